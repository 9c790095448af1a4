/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: X.509 / RFC 3779 certification paths (RFC 3971 §6.3) from arbitrary DER.
 * Input: one flags octet, then DER certificates back to back (d2i_X509 until one fails, at
 * most SEND_MAX_PATH): the first is the router's (leaf), the rest its chain.  They go
 * through send_path_verify() against the anchor of tests/fuzz/pki (or, bit 3, the vectors'
 * MD5 anchor) and send_cert_covers(), with served prefixes chosen by bits 0-2:
 *   0 none, 1 2003::/64, 2 2003::/64 + fe80::/64, 3 ::/0, 4 2003:0:0:1::/64, 5 2003::/16,
 *   6 2003::1/128, 7 the prefix in the last 17 input octets (16 address + length).
 *
 * Oracles besides ASan/UBSan: a path that verifies has an RSA leaf whose blocks cover the
 * served prefixes (send_cert_covers agrees), and verifying twice gives the same answer.
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "fz.h"

static unsigned served_set(unsigned sel, const uint8_t **data, size_t *size, struct send_prefix *p)
{
	static const uint8_t a2003[16] = { 0x20, 0x03 }, a2003_1[16] = { 0x20, 0x03, [7] = 1 },
			     afe80[16] = { 0xfe, 0x80 }, a2003h[16] = { 0x20, 0x03, [15] = 1 };
	switch (sel) {
	case 1:
		memcpy(p[0].addr, a2003, 16), p[0].len = 64;
		return 1;
	case 2:
		memcpy(p[0].addr, a2003, 16), p[0].len = 64;
		memcpy(p[1].addr, afe80, 16), p[1].len = 64;
		return 2;
	case 3:
		memset(p[0].addr, 0, 16), p[0].len = 0;
		return 1;
	case 4:
		memcpy(p[0].addr, a2003_1, 16), p[0].len = 64;
		return 1;
	case 5:
		memcpy(p[0].addr, a2003, 16), p[0].len = 16;
		return 1;
	case 6:
		memcpy(p[0].addr, a2003h, 16), p[0].len = 128;
		return 1;
	case 7:
		if (*size < 17)
			return 0;
		memcpy(p[0].addr, *data + *size - 17, 16);
		p[0].len = (*data)[*size - 1]; /* may exceed 128: must be refused, not read */
		*size -= 17;
		return 1;
	default:
		return 0;
	}
}

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
	n_served = served_set(flags & 7, &data, &size, served);
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
