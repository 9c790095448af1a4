/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: X.509 / RFC 3779 certification paths (RFC 3971 §6.3) from arbitrary DER.
 * Input: one flags octet, then DER certificates back to back (d2i_X509 until one fails, at
 * most SEND_MAX_PATH): the first is the router's (leaf), the rest its chain.  They go
 * through send_path_verify() against the anchor of tests/fuzz/pki (or, bit 3, the vectors'
 * MD5 anchor) and send_cert_covers(), with the served prefixes fz_served(bits 0-2), or
 * (bit 4) the prefix in the last 17 input octets (16 address + length).
 *
 * Oracles besides ASan/UBSan: a path that verifies has an RSA leaf whose blocks cover the
 * served prefixes (send_cert_covers agrees), and verifying twice gives the same answer.
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "fz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct send_prefix served[2];
	X509 *leaf = NULL;
	STACK_OF(X509) * chain;
	const struct send_trust *t;
	unsigned n_served, flags;

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	flags = data[0];
	data++, size--;
	n_served = fz_served(flags, served);
	if ((flags & 0x10) && size >= 17) { /* the prefix in the last 17 octets */
		memcpy(served[0].addr, data + size - 17, 16);
		served[0].len = data[size - 1]; /* may exceed 128: must be refused, not read */
		n_served = 1;
		size -= 17;
	}
	t = flags & 8 ? fz_trust_md5() : fz_trust();

	uint8_t *der = fz_dup(data, size);
	const unsigned char *p = der;
	long left = (long)size;
	chain = sk_X509_new_null();
	if (chain == NULL)
		abort();
	for (unsigned i = 0; i < SEND_MAX_PATH && left > 0; i++) {
		const unsigned char *start = p;
		X509 *x = d2i_X509(NULL, &p, left);
		if (x == NULL)
			break;
		left -= (long)(p - start);
		if (leaf == NULL)
			leaf = x;
		else if (!sk_X509_push(chain, x))
			X509_free(x);
	}
	ERR_clear_error();

	int r = send_path_verify(t, leaf, chain, served, n_served);
	if (r < 0 || r >= SEND_R__COUNT)
		abort();
	if (r == SEND_R_OK) {
		if (EVP_PKEY_get_base_id(X509_get0_pubkey(leaf)) != EVP_PKEY_RSA ||
		    !send_cert_covers(leaf, served, n_served))
			abort();
	}
	if (leaf != NULL) {
		(void)send_cert_covers(leaf, served, n_served);
		if (send_path_verify(t, leaf, chain, served, n_served) != r)
			abort();
	}
	X509_free(leaf);
	sk_X509_pop_free(chain, X509_free);
	free(der);
	return 0;
}
