/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/seal, the container in memory: the KEK object and its id, the version-1 header
 * (written with lib/wire's bounded writer, read with its cursors) and AES-256-GCM through EVP.
 * Files and the KEK file are in seal_file.c.
 */
#include "seal.h"

#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "seal_priv.h"
#include "wire.h"

static const uint8_t magic[8] = { 'F', 'M', 'I', 'P', 'S', 'E', 'A', 'L' };
static const char kek_id_info[] = "fmipgw-seal kek-id v1";

static const char *const seal_text[] = {
#define SEAL_TEXT(n, s) s,
	SEAL_ERRORS(SEAL_TEXT)
#undef SEAL_TEXT
};

const char *seal_strerror(int err)
{
	if (err < 0 || err >= SEAL_E__COUNT)
		return "unknown seal error";
	return seal_text[err];
}

int seal_kek_from_bytes(const uint8_t key[SEAL_KEK_LEN], struct seal_kek **kek)
{
	/* OpenSSL's secure heap (mlock'ed, excluded from core dumps) when the process set one
	 * up with CRYPTO_secure_malloc_init(), else ordinary memory */
	struct seal_kek *k = OPENSSL_secure_zalloc(sizeof(*k));
	uint8_t md[32];
	unsigned md_len = sizeof(md);

	*kek = NULL;
	if (k == NULL)
		return SEAL_E_NOMEM;
	memcpy(k->key, key, SEAL_KEK_LEN);
	if (HMAC(EVP_sha256(), k->key, SEAL_KEK_LEN, (const uint8_t *)kek_id_info,
		 sizeof(kek_id_info) - 1, md, &md_len) == NULL) {
		ERR_clear_error();
		seal_kek_free(k);
		return SEAL_E_CRYPTO;
	}
	memcpy(k->id, md, sizeof(k->id));
	OPENSSL_cleanse(md, sizeof(md));
	*kek = k;
	return SEAL_OK;
}

void seal_kek_free(struct seal_kek *kek)
{
	OPENSSL_secure_clear_free(kek, sizeof(*kek));
}

void seal_buf_free(uint8_t *buf, size_t len)
{
	if (buf != NULL)
		OPENSSL_clear_free(buf, len ? len : 1);
}

/*
 * AES-256-GCM of in (len octets) into out with the header as additional data.  Encrypting
 * writes the tag; decrypting checks it (SEAL_E_TAMPERED when it does not match).
 */
static int gcm(const struct seal_kek *kek, int enc, const uint8_t *nonce, const uint8_t *aad,
	       size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, r = SEAL_E_CRYPTO;

	if (c == NULL)
		return SEAL_E_NOMEM;
	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, kek->key, nonce, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, aad, (int)aad_len) != 1 ||
	    (len && EVP_CipherUpdate(c, out, &n, in, (int)len) != 1))
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG_LEN, tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(c, out + len, &n) != 1) {
		r = enc ? SEAL_E_CRYPTO : SEAL_E_TAMPERED;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG_LEN, tag) != 1)
		goto out;
	r = SEAL_OK;
out:
	EVP_CIPHER_CTX_free(c);
	ERR_clear_error();
	return r;
}

int seal_seal(const struct seal_kek *kek, const char *label, const uint8_t *buf, size_t len,
	      uint64_t created, uint8_t **file, size_t *file_len)
{
	size_t l = label ? strlen(label) : 0, hdr, total;
	uint8_t nonce[12], *p;
	struct wire_buf w;
	int r;

	*file = NULL;
	*file_len = 0;
	if (kek == NULL || l == 0 || l > SEAL_LABEL_MAX || (buf == NULL && len != 0))
		return SEAL_E_ARG;
	if (len > SEAL_MAX_LEN)
		return SEAL_E_TOO_LARGE;
	hdr = SEAL_HDR_FIXED + l;
	total = hdr + len + SEAL_TAG_LEN;
	if ((p = OPENSSL_malloc(total)) == NULL)
		return SEAL_E_NOMEM;
	if (RAND_bytes(nonce, sizeof(nonce)) != 1) {
		ERR_clear_error();
		OPENSSL_free(p);
		return SEAL_E_CRYPTO;
	}
	w = wire_buf_make(p, total);
	wire_put_bytes(&w, magic, sizeof(magic));
	wire_put_be16(&w, SEAL_VERSION);
	wire_put_be16(&w, 0);
	wire_put_be64(&w, created ? created : (uint64_t)time(NULL));
	wire_put_bytes(&w, kek->id, sizeof(kek->id));
	wire_put_u8(&w, (uint8_t)l);
	wire_put_bytes(&w, label, l);
	wire_put_bytes(&w, nonce, sizeof(nonce));
	wire_put_be64(&w, len);
	if (w.err != WIRE_OK || w.len != hdr) {
		OPENSSL_free(p);
		return SEAL_E_CRYPTO;
	}
	r = gcm(kek, 1, nonce, p, hdr, buf, len, p + hdr, p + hdr + len);
	if (r != SEAL_OK) {
		seal_buf_free(p, total);
		return r;
	}
	*file = p;
	*file_len = total;
	return SEAL_OK;
}

int seal_unseal(const struct seal_kek *kek, const char *label, const uint8_t *file, size_t file_len,
		uint8_t **buf, size_t *len, struct seal_info *info)
{
	struct wire_cur c = wire_cur_make(file, file_len);
	const uint8_t *m, *lab, *id, *nonce;
	uint16_t version, flags;
	uint64_t created, n;
	uint8_t l;
	size_t want = label ? strlen(label) : 0;

	*buf = NULL;
	*len = 0;
	if (kek == NULL || want == 0 || want > SEAL_LABEL_MAX)
		return SEAL_E_ARG;
	/* magic: a file cut inside it still starts like one */
	if (file_len && memcmp(file, magic, file_len < sizeof(magic) ? file_len : sizeof(magic)))
		return SEAL_E_NOT_SEALED;
	if (wire_get_view(&c, sizeof(magic), &m) || wire_get_be16(&c, &version) ||
	    wire_get_be16(&c, &flags))
		return SEAL_E_TRUNCATED;
	if (version != SEAL_VERSION || flags != 0)
		return SEAL_E_VERSION;
	if (wire_get_be64(&c, &created) || wire_get_view(&c, 8, &id) || wire_get_u8(&c, &l) ||
	    wire_get_view(&c, l, &lab))
		return SEAL_E_TRUNCATED;
	if (l != want || memcmp(lab, label, l) != 0)
		return SEAL_E_FOREIGN;
	if (CRYPTO_memcmp(id, kek->id, sizeof(kek->id)) != 0)
		return SEAL_E_WRONG_KEK;
	if (wire_get_view(&c, 12, &nonce) || wire_get_be64(&c, &n))
		return SEAL_E_TRUNCATED;
	size_t hdr = file_len - c.len;
	if (n > SEAL_MAX_LEN) /* a writer never writes this: the header was changed */
		return SEAL_E_TAMPERED;
	if (c.len < n + SEAL_TAG_LEN)
		return SEAL_E_TRUNCATED;
	if (c.len > n + SEAL_TAG_LEN)
		return SEAL_E_TAMPERED; /* octets after the tag */

	uint8_t *p = OPENSSL_malloc(n ? n : 1);
	uint8_t tag[SEAL_TAG_LEN];
	if (p == NULL)
		return SEAL_E_NOMEM;
	memcpy(tag, c.p + n, SEAL_TAG_LEN);
	int r = gcm(kek, 0, nonce, file, hdr, c.p, n, p, tag);
	if (r != SEAL_OK) {
		seal_buf_free(p, n);
		return r;
	}
	*buf = p;
	*len = n;
	if (info != NULL) {
		info->version = version;
		info->created = created;
	}
	return SEAL_OK;
}
