/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3972 CGA generation and verification (PROTOCOL.md section 3). */
#include "cga.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "wire.h"

static const char *const cga_err_text[] = {
#define CGA_ERR_TEXT(n, s) s,
	CGA_ERRORS(CGA_ERR_TEXT)
#undef CGA_ERR_TEXT
};

static const char *const cga_err_names[] = {
	[CGA_E_OK] = "ok",
	[CGA_E_PARAMS] = "params",
	[CGA_E_COLLISION_COUNT] = "collision-count",
	[CGA_E_PREFIX] = "prefix",
	[CGA_E_HASH1_COMPUTE] = "hash1-compute",
	[CGA_E_HASH1] = "hash1",
	[CGA_E_SEC] = "sec",
	[CGA_E_HASH2_COMPUTE] = "hash2-compute",
	[CGA_E_HASH2] = "hash2",
	[CGA_E_KEY] = "key",
	[CGA_E_COLLISIONS] = "collisions",
	[CGA_E_ITERATIONS] = "iterations",
	[CGA_E_NOSPACE] = "nospace",
	[CGA_E_INTERNAL] = "internal",
};

const char *cga_strerror(int err)
{
	if (err < 0 || err >= CGA_E__COUNT)
		return "unknown cga error";
	return cga_err_text[err];
}

const char *cga_errname(int err)
{
	if (err < 0 || err >= CGA_E__COUNT || cga_err_names[err] == NULL)
		return "unknown";
	return cga_err_names[err];
}

int cga_err_step(int err)
{
	switch (err) {
	case CGA_E_COLLISION_COUNT:
		return 1;
	case CGA_E_PREFIX:
		return 2;
	case CGA_E_HASH1_COMPUTE:
		return 3;
	case CGA_E_HASH1:
		return 4;
	case CGA_E_SEC:
		return 5;
	case CGA_E_HASH2_COMPUTE:
		return 6;
	case CGA_E_HASH2:
		return 7;
	default:
		return 0;
	}
}

/* SHA-1 fetched once: an implicit fetch on every EVP_DigestInit costs as much as the hash. */
static CRYPTO_ONCE sha1_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *sha1_md;

static void sha1_fetch(void)
{
	sha1_md = EVP_MD_fetch(NULL, "SHA1", NULL);
}

static const EVP_MD *sha1(void)
{
	if (!CRYPTO_THREAD_run_once(&sha1_once, sha1_fetch))
		return NULL;
	return sha1_md;
}

/* SHA-1 over up to three segments. */
static int sha1_segs(EVP_MD_CTX *ctx, const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
		     const uint8_t *c, size_t cl, uint8_t out[20])
{
	const EVP_MD *md = sha1();
	unsigned int n = 0;

	if (md == NULL || !EVP_DigestInit_ex2(ctx, md, NULL))
		return -1;
	if (al && !EVP_DigestUpdate(ctx, a, al))
		return -1;
	if (bl && !EVP_DigestUpdate(ctx, b, bl))
		return -1;
	if (cl && !EVP_DigestUpdate(ctx, c, cl))
		return -1;
	if (!EVP_DigestFinal_ex(ctx, out, &n) || n != 20)
		return -1;
	return 0;
}

static const uint8_t zeros9[9];

static int hash1_of(EVP_MD_CTX *ctx, const struct wire_cga_params *v, uint8_t out[8])
{
	uint8_t h[20];

	if (sha1_segs(ctx, v->all, v->all_len, NULL, 0, NULL, 0, h) != 0)
		return -1;
	memcpy(out, h, 8);
	return 0;
}

/* Hash2: SHA-1(modifier ‖ 9 zero octets ‖ public key ‖ extensions), leftmost 112 bits. */
static int hash2_of(EVP_MD_CTX *ctx, const struct wire_cga_params *v, uint8_t out[14])
{
	uint8_t h[20];

	if (sha1_segs(ctx, v->modifier, CGA_MODIFIER_LEN, zeros9, sizeof(zeros9),
		      v->all + CGA_FIXED_LEN, v->all_len - CGA_FIXED_LEN, h) != 0)
		return -1;
	memcpy(out, h, 14);
	return 0;
}

/* Leftmost 16*sec bits of Hash2 zero. */
static bool hash2_ok(const uint8_t h2[14], unsigned sec)
{
	for (unsigned i = 0; i < 2 * sec; i++)
		if (h2[i] != 0)
			return false;
	return true;
}

/* IID from Hash1 (RFC 3972 §4 step 6; PROTOCOL.md 3.1). */
static void iid_from_hash1(uint8_t iid[8], const uint8_t h1[8], unsigned sec)
{
	memcpy(iid, h1, 8);
	iid[0] = (uint8_t)((sec << 5) | (h1[0] & 0x1c));
}

int cga_hash1(const uint8_t *params, size_t params_len, uint8_t out[8])
{
	struct wire_cga_params v;
	EVP_MD_CTX *ctx;
	int r;

	if (wire_cga_params_decode(params, params_len, &v) != WIRE_OK)
		return CGA_E_PARAMS;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return CGA_E_INTERNAL;
	r = hash1_of(ctx, &v, out) == 0 ? CGA_OK : CGA_E_HASH1_COMPUTE;
	EVP_MD_CTX_free(ctx);
	return r;
}

int cga_hash2(const uint8_t *params, size_t params_len, uint8_t out[14])
{
	struct wire_cga_params v;
	EVP_MD_CTX *ctx;
	int r;

	if (wire_cga_params_decode(params, params_len, &v) != WIRE_OK)
		return CGA_E_PARAMS;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return CGA_E_INTERNAL;
	r = hash2_of(ctx, &v, out) == 0 ? CGA_OK : CGA_E_HASH2_COMPUTE;
	EVP_MD_CTX_free(ctx);
	return r;
}

int cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
	       struct cga_info *info)
{
	struct wire_cga_params v;
	struct cga_info tmp;
	EVP_MD_CTX *ctx = NULL;
	const uint8_t *iid = addr + 8;
	int r;

	if (info == NULL)
		info = &tmp;
	memset(info, 0, sizeof(*info));

	if (wire_cga_params_decode(params, params_len, &v) != WIRE_OK)
		return CGA_E_PARAMS;
	info->pubkey = v.pubkey;
	info->pubkey_len = v.pubkey_len;

	/* 1. Collision count 0, 1 or 2. */
	if (v.collision_count > 2) {
		r = CGA_E_COLLISION_COUNT;
		goto out;
	}
	/* 2. Subnet prefix equals the address's. */
	if (memcmp(v.prefix, addr, CGA_PREFIX_LEN) != 0) {
		r = CGA_E_PREFIX;
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		r = CGA_E_INTERNAL;
		goto out;
	}
	/* 3. Hash1 over the whole parameters. */
	if (hash1_of(ctx, &v, info->hash1) != 0) {
		r = CGA_E_HASH1_COMPUTE;
		goto out;
	}
	/* 4. Hash1 equals the IID, ignoring Sec (3 bits) and u/g (bits 6, 7). */
	if ((info->hash1[0] & 0x1c) != (iid[0] & 0x1c) ||
	    memcmp(info->hash1 + 1, iid + 1, 7) != 0) {
		r = CGA_E_HASH1;
		goto out;
	}
	/* 5. Sec from the IID; only 0..2 have a defined hash (RFC 4982). */
	info->sec = cga_addr_sec(addr);
	if (info->sec > CGA_SEC_MAX) {
		r = CGA_E_SEC;
		goto out;
	}
	/* 6. Hash2. */
	if (hash2_of(ctx, &v, info->hash2) != 0) {
		r = CGA_E_HASH2_COMPUTE;
		goto out;
	}
	/* 7. Leftmost 16*Sec bits zero. */
	r = hash2_ok(info->hash2, info->sec) ? CGA_OK : CGA_E_HASH2;
out:
	EVP_MD_CTX_free(ctx);
	info->step = cga_err_step(r);
	return r;
}

static void modifier_inc(uint8_t m[16])
{
	for (int i = 15; i >= 0; i--)
		if (++m[i] != 0)
			break;
}

int cga_generate(const struct cga_gen_req *req, uint8_t *params, size_t params_cap,
		 struct cga_gen_res *res)
{
	struct wire_cga_params v;
	EVP_MD_CTX *ctx = NULL;
	uint8_t *h2in = NULL;
	uint8_t h[20], h1[8];
	size_t keyext, total, used = 0;
	uint64_t it = 0;
	int r = CGA_E_INTERNAL;

	memset(res, 0, sizeof(*res));
	if (req->sec > CGA_SEC_MAX)
		return CGA_E_SEC;
	if (req->pubkey == NULL || wire_der_len(req->pubkey, req->pubkey_len, &used) != WIRE_OK ||
	    used != req->pubkey_len)
		return CGA_E_KEY;
	keyext = req->pubkey_len + req->ext_len;
	total = CGA_FIXED_LEN + keyext;
	if (total > CGA_PARAMS_MAX || total > params_cap)
		return CGA_E_NOSPACE;

	/* Hash2 input laid out once; only the modifier changes between iterations. */
	if ((h2in = malloc(CGA_MODIFIER_LEN + 9 + keyext)) == NULL)
		return CGA_E_INTERNAL;
	memset(h2in + CGA_MODIFIER_LEN, 0, 9);
	memcpy(h2in + CGA_FIXED_LEN, req->pubkey, req->pubkey_len);
	if (req->ext_len)
		memcpy(h2in + CGA_FIXED_LEN + req->pubkey_len, req->ext, req->ext_len);

	/* 1. Modifier. */
	if (req->modifier_start != NULL)
		memcpy(h2in, req->modifier_start, CGA_MODIFIER_LEN);
	else if (RAND_bytes(h2in, CGA_MODIFIER_LEN) != 1)
		goto out;
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		goto out;

	/* 2-3. Search for a modifier whose Hash2 has 16*Sec leading zero bits. */
	for (;;) {
		if (req->max_iter && it >= req->max_iter) {
			r = CGA_E_ITERATIONS;
			goto out;
		}
		if (sha1_segs(ctx, h2in, total, NULL, 0, NULL, 0, h) != 0) {
			r = CGA_E_HASH2_COMPUTE;
			goto out;
		}
		it++;
		if (hash2_ok(h, req->sec))
			break;
		modifier_inc(h2in);
	}

	/* 9 (laid out now): modifier ‖ prefix ‖ cc ‖ key ‖ ext; 4-8: collision count loop. */
	memcpy(params, h2in, CGA_MODIFIER_LEN);
	memcpy(params + CGA_MODIFIER_LEN, req->prefix, CGA_PREFIX_LEN);
	memcpy(params + CGA_FIXED_LEN, h2in + CGA_FIXED_LEN, keyext);
	for (unsigned cc = 0;; cc++) {
		if (cc > 2) {
			r = CGA_E_COLLISIONS;
			goto out;
		}
		params[24] = (uint8_t)cc;
		if (wire_cga_params_decode(params, total, &v) != WIRE_OK) {
			r = CGA_E_PARAMS;
			goto out;
		}
		if (hash1_of(ctx, &v, h1) != 0) {
			r = CGA_E_HASH1_COMPUTE;
			goto out;
		}
		memcpy(res->addr, req->prefix, CGA_PREFIX_LEN);
		iid_from_hash1(res->addr + 8, h1, req->sec);
		if (req->in_use == NULL || !req->in_use(res->addr, req->in_use_arg)) {
			res->collision_count = (uint8_t)cc;
			break;
		}
	}
	res->params_len = total;
	res->iterations = it;
	r = CGA_OK;
out:
	EVP_MD_CTX_free(ctx);
	free(h2in);
	return r;
}

EVP_PKEY *cga_pubkey_parse(const uint8_t *der, size_t len, size_t *used)
{
	const unsigned char *p = der, *end, *q;
	X509_ALGOR *alg = NULL;
	EVP_PKEY *pk = NULL;
	long clen;
	int tag, xclass, r, nid;

	if (len == 0 || len > 0x7fffffff)
		return NULL;
	/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, BIT STRING } */
	r = ASN1_get_object(&p, &clen, &tag, &xclass, (long)len);
	if ((r & 0x80) || r != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE ||
	    xclass != V_ASN1_UNIVERSAL)
		return NULL;
	end = p + clen;
	if ((alg = d2i_X509_ALGOR(NULL, &p, end - p)) == NULL)
		return NULL;
	nid = OBJ_obj2nid(alg->algorithm);
	/* RFC 3279 §2.3.1: rsaEncryption parameters are NULL. */
	if (nid != NID_rsaEncryption ||
	    (alg->parameter != NULL && alg->parameter->type != V_ASN1_NULL))
		goto out;
	q = p;
	r = ASN1_get_object(&q, &clen, &tag, &xclass, end - p);
	if ((r & 0x80) || r != 0 || tag != V_ASN1_BIT_STRING || xclass != V_ASN1_UNIVERSAL ||
	    clen < 2 || q + clen != end || q[0] != 0 /* unused bits */)
		goto out;
	p = q + 1;
	pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, clen - 1);
	if (pk != NULL && p != end) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	if (pk != NULL && used != NULL)
		*used = (size_t)(end - der);
out:
	X509_ALGOR_free(alg);
	return pk;
}

EVP_PKEY *cga_pubkey_parse_generic(const uint8_t *der, size_t len, size_t *used)
{
	const unsigned char *p = der;
	EVP_PKEY *pk;

	if (len == 0 || len > 0x7fffffff)
		return NULL;
	pk = d2i_PUBKEY(NULL, &p, (long)len);
	if (pk != NULL && used != NULL)
		*used = (size_t)(p - der);
	return pk;
}

size_t cga_pubkey_der(const EVP_PKEY *key, uint8_t *out, size_t cap)
{
	unsigned char *p;
	int n = i2d_PUBKEY(key, NULL);

	if (n <= 0)
		return 0;
	if (out == NULL)
		return (size_t)n;
	if ((size_t)n > cap)
		return 0;
	p = out;
	if (i2d_PUBKEY(key, &p) != n)
		return 0;
	return (size_t)n;
}

int cga_key_hash(const uint8_t *der, size_t len, uint8_t out[16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t h[20];
	int r;

	if (ctx == NULL)
		return CGA_E_INTERNAL;
	r = sha1_segs(ctx, der, len, NULL, 0, NULL, 0, h) == 0 ? CGA_OK : CGA_E_INTERNAL;
	EVP_MD_CTX_free(ctx);
	if (r == CGA_OK)
		memcpy(out, h, 16);
	return r;
}
