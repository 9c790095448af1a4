/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `fmipctl decode --hk-enc-key FILE` (repeatable): decrypt the Handover Key Reply of every
 * PrRtAdv with the mobile node's handover-key encryption private key(s) (RFC 5269 §4.2,
 * RSAES-PKCS1-v1_5) and print the key, so that an operator can debug provisioning.  The key
 * is printed because that is the point of the option: use it on test captures only.
 *
 * Output per PrRtAdv carrying a Handover Key Reply:
 *   "hk": {"at": N, "lifetime": S, "key": "hex"}      decrypted by one of the keys
 *   "hk": {"at": N, "lifetime": S, "key": null, "error": "undecryptable"}
 */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "decode_ext.h"

#define HKENC_MAX 8

struct hkenc {
	EVP_PKEY *keys[HKENC_MAX];
	unsigned n;
	unsigned decrypted, failed;
};

static int parse(void **ctx, const char *arg)
{
	struct hkenc *h = *ctx;
	FILE *fp;
	EVP_PKEY *k;

	if (h == NULL && (h = *ctx = calloc(1, sizeof(*h))) == NULL)
		return 1;
	if (h->n == HKENC_MAX) {
		fprintf(stderr, "fmipctl decode: at most %d --hk-enc-key files\n", HKENC_MAX);
		return 1;
	}
	if ((fp = fopen(arg, "r")) == NULL) {
		fprintf(stderr, "fmipctl decode: --hk-enc-key %s: cannot open\n", arg);
		return 1;
	}
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	ERR_clear_error();
	if (k == NULL || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
		EVP_PKEY_free(k);
		fprintf(stderr, "fmipctl decode: --hk-enc-key %s: not an RSA private key (PEM)\n",
			arg);
		return 1;
	}
	h->keys[h->n++] = k;
	return 0;
}

static int try_decrypt(EVP_PKEY *k, const struct wire_opt_hkrep *hr, uint8_t *out, size_t *len)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	int ok = c && EVP_PKEY_decrypt_init(c) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
		 EVP_PKEY_decrypt(c, out, len, hr->enc, hr->enc_len) == 1;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return ok;
}

static void annotate(const struct fmipctl_frame *f, struct jw *w, void *ctx)
{
	struct hkenc *h = ctx;
	const struct wire_frame *wf = &f->wf;
	struct wire_send_opts o;
	struct wire_opt_hkrep hr;
	uint8_t key[512];
	size_t len = 0;
	bool ok = false;

	if (wf->msg != WIRE_MSG_PRRTADV || wf->icmp.p == NULL ||
	    (wf->err != WIRE_OK && wf->err != WIRE_E_BAD_CHECKSUM))
		return;
	if (wire_send_opts_collect(&wf->icmp, 8, &o) != WIRE_OK || !o.has_hkrep ||
	    wire_opt_hkrep_decode(&o.hkrep, &hr) != WIRE_OK)
		return;
	for (unsigned i = 0; i < h->n && !ok; i++) {
		len = sizeof(key);
		ok = try_decrypt(h->keys[i], &hr, key, &len);
	}
	jw_key(w, "hk");
	jw_obj_begin(w);
	jw_kv_uint(w, "at", hr.at);
	jw_kv_uint(w, "lifetime", hr.lifetime);
	if (ok) {
		jw_kv_hex(w, "key", key, len, len);
		h->decrypted++;
	} else {
		jw_key(w, "key");
		jw_raw_number(w, "null");
		jw_kv_str(w, "error", "undecryptable");
		h->failed++;
	}
	jw_obj_end(w);
	OPENSSL_cleanse(key, sizeof(key));
}

static int finish(void *ctx)
{
	struct hkenc *h = ctx;
	if (h == NULL)
		return 0;
	if (h->decrypted + h->failed)
		fprintf(stderr, "hk-enc-key: %u handover key(s) decrypted, %u not\n", h->decrypted,
			h->failed);
	for (unsigned i = 0; i < h->n; i++)
		EVP_PKEY_free(h->keys[i]);
	free(h);
	return 0;
}

const struct decode_ext decode_ext_hk_enc_key = {
	.name = "hk-enc-key",
	.has_arg = 1, /* required_argument */
	.arg_name = "FILE",
	.help = "decrypt Handover Key Replies with this MN encryption private key (repeatable)",
	.parse = parse,
	.annotate = annotate,
	.finish = finish,
};
