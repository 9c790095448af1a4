/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac OpenSSL backend: HMAC from precomputed inner/outer digest states.  mac_key_init()
 * absorbs K^ipad and K^opad into two EVP_MD_CTX once; a job copies them (EVP_MD_CTX_copy_ex)
 * and hashes only its own data, never the one-shot HMAC().  Not the fast path: OpenSSL may
 * allocate inside the copy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mac.h"
#include "mac_priv.h"

struct mac_ossl_engine {
	EVP_MD *md[MAC_ALG__COUNT];
};

struct mac_ossl_state {
	EVP_MD_CTX *inner, *outer;
};

struct mac_ossl_ctx {
	EVP_MD_CTX *work;
};

int mac_ossl_engine_init(struct mac_engine *e)
{
	struct mac_ossl_engine *o = calloc(1, sizeof(*o));

	if (o == NULL)
		return -ENOMEM;
	o->md[MAC_ALG_HMAC_SHA1] = EVP_MD_fetch(NULL, "SHA1", NULL);
	o->md[MAC_ALG_HMAC_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
	e->ossl = o;
	if (o->md[MAC_ALG_HMAC_SHA1] == NULL || o->md[MAC_ALG_HMAC_SHA256] == NULL) {
		mac_ossl_engine_fini(e);
		return -ENOTSUP;
	}
	return 0;
}

void mac_ossl_engine_fini(struct mac_engine *e)
{
	if (e->ossl == NULL)
		return;
	for (int i = 0; i < MAC_ALG__COUNT; i++)
		EVP_MD_free(e->ossl->md[i]);
	free(e->ossl);
	e->ossl = NULL;
}

int mac_ossl_key_init(const struct mac_engine *e, struct mac_key *k, const uint8_t *key,
		      size_t key_len)
{
	const EVP_MD *md = e->ossl->md[k->alg];
	unsigned char kb[64], blk[64];
	unsigned int dl = 0;
	struct mac_ossl_state *s;
	int ok;

	memset(kb, 0, sizeof(kb));
	memset(blk, 0, sizeof(blk));
	if (key_len > sizeof(kb)) {
		if (!EVP_Digest(key, key_len, kb, &dl, md, NULL)) {
			ok = 0;
			goto out;
		}
	} else {
		memcpy(kb, key, key_len);
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		mac_explicit_bzero(kb, sizeof(kb));
		return -ENOMEM;
	}
	k->ossl = s;
	s->inner = EVP_MD_CTX_new();
	s->outer = EVP_MD_CTX_new();
	if (s->inner == NULL || s->outer == NULL) {
		mac_explicit_bzero(kb, sizeof(kb));
		return -ENOMEM;
	}
	for (int i = 0; i < 64; i++)
		blk[i] = kb[i] ^ 0x36;
	ok = EVP_DigestInit_ex(s->inner, md, NULL) && EVP_DigestUpdate(s->inner, blk, 64);
	for (int i = 0; i < 64; i++)
		blk[i] = kb[i] ^ 0x5c;
	ok = ok && EVP_DigestInit_ex(s->outer, md, NULL) && EVP_DigestUpdate(s->outer, blk, 64);
out:
	mac_explicit_bzero(kb, sizeof(kb));
	mac_explicit_bzero(blk, sizeof(blk));
	return ok ? 0 : -EIO;
}

void mac_ossl_key_clear(struct mac_key *k)
{
	if (k->ossl == NULL)
		return;
	EVP_MD_CTX_free(k->ossl->inner); /* OpenSSL cleanses the digest state */
	EVP_MD_CTX_free(k->ossl->outer);
	free(k->ossl);
	k->ossl = NULL;
}

int mac_ossl_ctx_init(struct mac_ctx *c)
{
	c->ossl = calloc(1, sizeof(*c->ossl));
	if (c->ossl == NULL)
		return -ENOMEM;
	c->ossl->work = EVP_MD_CTX_new();
	return c->ossl->work != NULL ? 0 : -ENOMEM;
}

void mac_ossl_ctx_fini(struct mac_ctx *c)
{
	if (c->ossl == NULL)
		return;
	EVP_MD_CTX_free(c->ossl->work);
	free(c->ossl);
	c->ossl = NULL;
}

static int ossl_one(struct mac_ctx *c, const struct mac_job *j, uint8_t *digest)
{
	const struct mac_ossl_state *s = j->key->ossl;
	EVP_MD_CTX *w = c->ossl->work;
	unsigned char ih[32];
	unsigned int il = 0, ol = 0;
	uint32_t got = 0;

	if (s == NULL || !EVP_MD_CTX_copy_ex(w, s->inner))
		return 0;
	if (c->segmented) {
		for (uint32_t i = 0; i < j->nseg; i++) {
			if (j->seg[i].len > j->len - got ||
			    !EVP_DigestUpdate(w, j->seg[i].p, j->seg[i].len))
				return 0;
			got += j->seg[i].len;
		}
	} else {
		for (uint32_t i = 0; i < j->nseg; i++) {
			if (j->seg[i].len > j->len - got)
				return 0;
			memcpy(c->scratch + got, j->seg[i].p, j->seg[i].len);
			got += j->seg[i].len;
		}
		if (got == j->len && !EVP_DigestUpdate(w, c->scratch, got))
			return 0;
	}
	if (got != j->len || !EVP_DigestFinal_ex(w, ih, &il))
		return 0;
	if (!EVP_MD_CTX_copy_ex(w, s->outer) || !EVP_DigestUpdate(w, ih, il) ||
	    !EVP_DigestFinal_ex(w, digest, &ol))
		return 0;
	return 1;
}

uint64_t mac_ossl_run(struct mac_ctx *c, const struct mac_job *jobs, unsigned n, int verify)
{
	uint64_t done = 0;

	for (unsigned i = 0; i < n; i++) {
		const struct mac_job *j = &jobs[i];
		if (j->key == NULL || j->key->alg == MAC_ALG_NONE || j->len > MAC_INPUT_MAX)
			continue;
		if (verify ? (j->tag == NULL || j->tag_len != j->key->tag_len) : j->out == NULL)
			continue;
		if (ossl_one(c, j, c->digest[i]))
			done |= 1ull << i;
	}
	return done;
}
