/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3971 §6: trust anchors and certification paths with RFC 3779 blocks (PROTOCOL.md 2.5);
 * the CPS / CPA messages are in send_cpa.c. */
#include "send.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

struct send_trust {
	X509_STORE *store;
	STACK_OF(X509) * anchors;
	time_t at;
};

struct send_trust *send_trust_new(void)
{
	struct send_trust *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->store = X509_STORE_new();
	t->anchors = sk_X509_new_null();
	if (t->store == NULL || t->anchors == NULL) {
		send_trust_free(t);
		return NULL;
	}
	return t;
}

int send_trust_add(struct send_trust *t, X509 *anchor)
{
	if (!X509_STORE_add_cert(t->store, anchor))
		return SEND_R_INTERNAL;
	if (!X509_up_ref(anchor))
		return SEND_R_INTERNAL;
	if (!sk_X509_push(t->anchors, anchor)) {
		X509_free(anchor);
		return SEND_R_INTERNAL;
	}
	return SEND_R_OK;
}

struct send_trust *send_trust_load(const char *pem_file, char *errbuf, size_t errlen)
{
	struct send_trust *t;
	BIO *b = BIO_new_file(pem_file, "r");
	X509 *x;

	if (b == NULL) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: cannot open", pem_file);
		return NULL;
	}
	if ((t = send_trust_new()) == NULL) {
		BIO_free(b);
		return NULL;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		int r = send_trust_add(t, x);
		X509_free(x);
		if (r != SEND_R_OK)
			break;
	}
	BIO_free(b);
	ERR_clear_error();
	if (sk_X509_num(t->anchors) == 0) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: no certificate", pem_file);
		send_trust_free(t);
		return NULL;
	}
	return t;
}

void send_trust_free(struct send_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->anchors, X509_free);
	free(t);
}

unsigned send_trust_count(const struct send_trust *t)
{
	return (unsigned)sk_X509_num(t->anchors);
}

X509 *send_trust_get(const struct send_trust *t, unsigned i)
{
	return sk_X509_value(t->anchors, (int)i);
}

void send_trust_set_time(struct send_trust *t, time_t at)
{
	t->at = at;
}

/* ------------------------------------------------------------------------------------------ */
/* RFC 3779 blocks                                                                             */
/* ------------------------------------------------------------------------------------------ */

static IPAddrBlocks *cert_blocks(X509 *x)
{
	return X509_get_ext_d2i(x, NID_sbgp_ipAddrBlock, NULL, NULL);
}

static void blocks_free(IPAddrBlocks *b)
{
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);
}

/* RFC 3971 §6.3: at least one IPv6 addressesOrRanges element. */
static bool has_ipv6_blocks(IPAddrBlocks *b)
{
	for (int i = 0; b != NULL && i < sk_IPAddressFamily_num(b); i++) {
		IPAddressFamily *f = sk_IPAddressFamily_value(b, i);
		if (X509v3_addr_get_afi(f) == IANA_AFI_IPV6 && f->ipAddressChoice != NULL &&
		    f->ipAddressChoice->type == IPAddressChoice_addressesOrRanges &&
		    sk_IPAddressOrRange_num(f->ipAddressChoice->u.addressesOrRanges) > 0)
			return true;
	}
	return false;
}

/* One prefix inside one IPv6 family of the certificate (whatever its SAFI). */
static bool family_covers(IPAddressFamily *f, const uint8_t a[16], unsigned len)
{
	IPAddrBlocks *want = sk_IPAddressFamily_new_null(), *have = sk_IPAddressFamily_new_null();
	unsigned safi = 0;
	bool has_safi = f->addressFamily->length == 3, ok = false;

	if (want == NULL || have == NULL)
		goto out;
	if (has_safi)
		safi = f->addressFamily->data[2];
	if (!X509v3_addr_add_prefix(want, IANA_AFI_IPV6, has_safi ? &safi : NULL,
				    (unsigned char *)a, (int)len) ||
	    !X509v3_addr_canonize(want))
		goto out;
	/* a one-family view of the certificate's blocks, for X509v3_addr_subset */
	if (!sk_IPAddressFamily_push(have, f))
		goto out;
	ok = X509v3_addr_subset(want, have) == 1;
	(void)sk_IPAddressFamily_pop(have); /* f belongs to the certificate's blocks */
out:
	blocks_free(want);
	sk_IPAddressFamily_free(have);
	return ok;
}

bool send_cert_covers(X509 *cert, const struct send_prefix *served, unsigned n_served)
{
	IPAddrBlocks *have = cert_blocks(cert);
	bool ok = have != NULL;

	for (unsigned i = 0; ok && i < n_served; i++) {
		uint8_t a[16];
		bool covered = false;

		if (served[i].len > 128) {
			ok = false;
			break;
		}
		/* X509v3_addr_add_prefix wants the bits beyond the length clear. */
		memset(a, 0, sizeof(a));
		for (unsigned bit = 0; bit < served[i].len; bit++)
			if (served[i].addr[bit / 8] & (0x80 >> (bit % 8)))
				a[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		for (int k = 0; !covered && k < sk_IPAddressFamily_num(have); k++) {
			IPAddressFamily *f = sk_IPAddressFamily_value(have, k);
			if (X509v3_addr_get_afi(f) == IANA_AFI_IPV6)
				covered = family_covers(f, a, served[i].len);
		}
		ok = covered;
	}
	blocks_free(have);
	ERR_clear_error();
	return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* Path validation                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* MD2/MD4/MD5/SHA-1 signatures are refused outright (the sendd example chain is MD5). */
static bool weak_sig(X509 *x)
{
	int mdnid = NID_undef, pknid = NID_undef;

	if (!X509_get_signature_info(x, &mdnid, &pknid, NULL, NULL))
		return true;
	return mdnid == NID_md5 || mdnid == NID_md4 || mdnid == NID_md2 || mdnid == NID_sha1 ||
	       mdnid == NID_md5_sha1 || mdnid == NID_undef;
}

static int map_x509_err(int e)
{
	switch (e) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return SEND_R_CERT_EXPIRED;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return SEND_R_CERT_UNTRUSTED;
	case X509_V_ERR_CA_MD_TOO_WEAK:
	case X509_V_ERR_CA_KEY_TOO_SMALL:
	case X509_V_ERR_EE_KEY_TOO_SMALL:
		return SEND_R_CERT_WEAK;
	case X509_V_ERR_UNNESTED_RESOURCE:
		return SEND_R_CERT_RESOURCES;
	default:
		return SEND_R_CERT_INVALID;
	}
}

int send_path_verify(const struct send_trust *t, X509 *leaf, STACK_OF(X509) * chain,
		     const struct send_prefix *served, unsigned n_served)
{
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *p;
	IPAddrBlocks *b;
	int r;

	if (leaf == NULL)
		return SEND_R_CERT_PARSE;
	if (weak_sig(leaf))
		return SEND_R_CERT_WEAK;
	for (int i = 0; chain != NULL && i < sk_X509_num(chain); i++)
		if (weak_sig(sk_X509_value(chain, i)))
			return SEND_R_CERT_WEAK;
	/* RFC 3971 §6.3: hosts use RSA keys only, from the last certificate. */
	EVP_PKEY *pk = X509_get0_pubkey(leaf);
	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		return SEND_R_KEY;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return SEND_R_INTERNAL;
	if (!X509_STORE_CTX_init(ctx, t->store, leaf, chain)) {
		X509_STORE_CTX_free(ctx);
		return SEND_R_INTERNAL;
	}
	p = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(p, X509_V_FLAG_X509_STRICT);
	X509_VERIFY_PARAM_set_auth_level(p, 1); /* RSA >= 1024, no MD5 (security level 1) */
	if (t->at != 0)
		X509_VERIFY_PARAM_set_time(p, t->at);
	/* X509_verify_cert runs RFC 3779 path validation (X509v3_addr_validate_path). */
	if (X509_verify_cert(ctx) == 1) {
		r = SEND_R_OK;
		/* trust anchors (and CAs) check nesting; the router must carry IPv6 blocks. */
		if (!has_ipv6_blocks(b = cert_blocks(leaf)))
			r = SEND_R_CERT_NO_IPADDR;
		else if (!send_cert_covers(leaf, served, n_served))
			r = SEND_R_CERT_PREFIX;
		blocks_free(b);
	} else {
		r = map_x509_err(X509_STORE_CTX_get_error(ctx));
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return r;
}
