/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3971 signing and verification (PROTOCOL.md 2.1-2.4, A5-A7); the replay cache is in
 * send_replay.c. */
#include "send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

static const char *const send_text[] = {
#define SEND_TEXT(n, s) s,
	SEND_REASONS(SEND_TEXT)
#undef SEND_TEXT
};

static const char *const send_names[] = {
	[SEND_R_OK] = "ok",
	[SEND_R_MALFORMED] = "malformed",
	[SEND_R_HOP_LIMIT] = "hop-limit",
	[SEND_R_UNSECURED] = "unsecured",
	[SEND_R_NO_CGA] = "no-cga",
	[SEND_R_NO_RSASIG] = "no-rsasig",
	[SEND_R_CGA] = "cga",
	[SEND_R_KEY] = "key",
	[SEND_R_KEY_TOO_SMALL] = "key-too-small",
	[SEND_R_KEY_TOO_LARGE] = "key-too-large",
	[SEND_R_KEY_HASH] = "key-hash",
	[SEND_R_NOT_CERTIFIED] = "not-certified",
	[SEND_R_SIG_SHORT] = "sig-short",
	[SEND_R_SIG] = "sig",
	[SEND_R_NO_TIMESTAMP] = "no-timestamp",
	[SEND_R_NO_NONCE] = "no-nonce",
	[SEND_R_NONCE_MISMATCH] = "nonce-mismatch",
	[SEND_R_TS_WINDOW] = "ts-window",
	[SEND_R_TS_REPLAY] = "ts-replay",
	[SEND_R_CACHE_FULL] = "cache-full",
	[SEND_R_CERT_PARSE] = "cert-parse",
	[SEND_R_CERT_UNTRUSTED] = "cert-untrusted",
	[SEND_R_CERT_EXPIRED] = "cert-expired",
	[SEND_R_CERT_WEAK] = "cert-weak",
	[SEND_R_CERT_NO_IPADDR] = "cert-no-ipaddr",
	[SEND_R_CERT_RESOURCES] = "cert-resources",
	[SEND_R_CERT_PREFIX] = "cert-prefix",
	[SEND_R_CERT_INVALID] = "cert-invalid",
	[SEND_R_RATE_LIMITED] = "rate-limited",
	[SEND_R_NOT_FOR_US] = "not-for-us",
	[SEND_R_INCOMPLETE] = "incomplete",
	[SEND_R_NOSPACE] = "nospace",
	[SEND_R_IO] = "io",
	[SEND_R_INTERNAL] = "internal",
};

const char *send_strerror(int reason)
{
	if (reason < 0 || reason >= SEND_R__COUNT)
		return "unknown send reason";
	return send_text[reason];
}

const char *send_reason_name(int reason)
{
	if (reason < 0 || reason >= SEND_R__COUNT || send_names[reason] == NULL)
		return "unknown";
	return send_names[reason];
}

void send_cfg_default(struct send_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->min_bits = 1024; /* RFC 3971 §5.1.3 */
	cfg->max_bits = 4096;
	cfg->ts_delta = 300; /* §10.2 */
	cfg->ts_fuzz = 1;
	cfg->ts_drift_permille = 10;
	cfg->cache_size = 1024;
}

uint64_t send_time_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return ((uint64_t)t.tv_sec << 16) | (uint64_t)(((uint64_t)t.tv_nsec << 16) / 1000000000u);
}

/* ------------------------------------------------------------------------------------------ */
/* Credentials                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static void errf(char *buf, size_t len, const char *path, const char *what)
{
	if (buf != NULL && len > 0)
		snprintf(buf, len, "%s: %s", path ? path : "-", what);
}

static int creds_fill(struct send_creds *c, EVP_PKEY *key)
{
	uint8_t der[2048];
	size_t n;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA)
		return SEND_R_KEY;
	n = cga_pubkey_der(key, der, sizeof(der));
	if (n == 0 || cga_key_hash(der, n, c->key_hash) != CGA_OK)
		return SEND_R_KEY;
	if (!EVP_PKEY_up_ref(key))
		return SEND_R_INTERNAL;
	c->key = key;
	c->sig_len = (size_t)EVP_PKEY_get_size(key);
	return SEND_R_OK;
}

int send_creds_set(struct send_creds *c, EVP_PKEY *key, const uint8_t *params, size_t params_len)
{
	struct cga_info info;
	uint8_t der[2048];
	size_t n;
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = creds_fill(c, key)) != SEND_R_OK)
		return r;
	if (params == NULL)
		return SEND_R_OK;
	/* The parameters must carry this very key; the CGA is derived from them. */
	n = cga_pubkey_der(key, der, sizeof(der));
	if (params_len < CGA_FIXED_LEN || (c->params = malloc(params_len)) == NULL) {
		send_creds_free(c);
		return params_len < CGA_FIXED_LEN ? SEND_R_CGA : SEND_R_INTERNAL;
	}
	memcpy(c->params, params, params_len);
	c->params_len = params_len;
	memcpy(c->addr, params + 16, 8);
	if (cga_hash1(params, params_len, c->addr + 8) != CGA_OK) {
		send_creds_free(c);
		return SEND_R_CGA;
	}
	/* Sec is not in the parameters: take the highest Sec the modifier satisfies (0..2). */
	uint8_t h2[14];
	unsigned sec = 0;
	if (cga_hash2(params, params_len, h2) != CGA_OK) {
		send_creds_free(c);
		return SEND_R_CGA;
	}
	while (sec < CGA_SEC_MAX && h2[2 * sec] == 0 && h2[2 * sec + 1] == 0)
		sec++;
	c->addr[8] = (uint8_t)((sec << 5) | (c->addr[8] & 0x1c));
	if (cga_verify(c->addr, params, params_len, &info) != CGA_OK || info.pubkey_len != n ||
	    memcmp(info.pubkey, der, n) != 0) {
		send_creds_free(c);
		return SEND_R_CGA;
	}
	return SEND_R_OK;
}

int send_creds_set_addr(struct send_creds *c, const uint8_t addr[16])
{
	if (c->params == NULL || cga_verify(addr, c->params, c->params_len, NULL) != CGA_OK)
		return SEND_R_CGA;
	memcpy(c->addr, addr, 16);
	return SEND_R_OK;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n <= 65536 &&
	    fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n)) != NULL) {
		if (fread(b, 1, (size_t)n, f) != (size_t)n) {
			free(b);
			b = NULL;
		} else {
			*len = (size_t)n;
		}
	}
	fclose(f);
	return b;
}

int send_creds_load(struct send_creds *c, const char *key_pem, const char *params_file,
		    const char *chain_pem, char *errbuf, size_t errlen)
{
	EVP_PKEY *key = NULL;
	uint8_t *params = NULL;
	size_t plen = 0;
	BIO *b;
	int r;

	memset(c, 0, sizeof(*c));
	if ((b = BIO_new_file(key_pem, "r")) == NULL) {
		errf(errbuf, errlen, key_pem, "cannot open");
		return SEND_R_IO;
	}
	key = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	ERR_clear_error();
	if (key == NULL) {
		errf(errbuf, errlen, key_pem, "not an unencrypted PEM private key");
		return SEND_R_KEY;
	}
	if (params_file != NULL && (params = read_all(params_file, &plen)) == NULL) {
		EVP_PKEY_free(key);
		errf(errbuf, errlen, params_file, "cannot read");
		return SEND_R_IO;
	}
	r = send_creds_set(c, key, params, plen);
	EVP_PKEY_free(key);
	free(params);
	if (r != SEND_R_OK) {
		if (r == SEND_R_CGA)
			errf(errbuf, errlen, params_file, "CGA parameters do not match the key");
		else
			errf(errbuf, errlen, key_pem, "key is not a usable RSA key");
		return r;
	}
	if (chain_pem == NULL)
		return SEND_R_OK;

	if ((b = BIO_new_file(chain_pem, "r")) == NULL) {
		send_creds_free(c);
		errf(errbuf, errlen, chain_pem, "cannot open");
		return SEND_R_IO;
	}
	c->chain = sk_X509_new_null();
	for (X509 *x; (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;) {
		if (c->cert == NULL)
			c->cert = x;
		else if (c->chain == NULL || !sk_X509_push(c->chain, x))
			X509_free(x);
	}
	BIO_free(b);
	ERR_clear_error();
	if (c->cert == NULL) {
		send_creds_free(c);
		errf(errbuf, errlen, chain_pem, "no certificate");
		return SEND_R_CERT_PARSE;
	}
	/* RFC 3971 §6.3: hosts use the key of the last certificate; it must be ours. */
	EVP_PKEY *pub = X509_get0_pubkey(c->cert);
	if (pub == NULL || EVP_PKEY_eq(pub, c->key) != 1) {
		send_creds_free(c);
		errf(errbuf, errlen, chain_pem, "certificate is not for the private key");
		return SEND_R_NOT_CERTIFIED;
	}
	return SEND_R_OK;
}

void send_creds_free(struct send_creds *c)
{
	EVP_PKEY_free(c->key);
	if (c->params != NULL)
		OPENSSL_clear_free(c->params, c->params_len);
	X509_free(c->cert);
	sk_X509_pop_free(c->chain, X509_free);
	OPENSSL_cleanse(c, sizeof(*c));
}

/* ------------------------------------------------------------------------------------------ */
/* Signing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

void send_put_opts(struct wire_buf *w, const struct send_creds *c, const struct send_sign_opts *o)
{
	if (!o->no_cga && c->params != NULL)
		wire_put_opt_cga(w, c->params, c->params_len);
	if (!o->no_timestamp)
		wire_put_opt_timestamp(w, o->timestamp ? o->timestamp : send_time_now());
	if (o->nonce != NULL)
		wire_put_opt_nonce(w, o->nonce, o->nonce_len);
}

int send_sign_segs(const struct send_creds *c, const struct wire_seg *seg, unsigned n, uint8_t *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	size_t len = c->sig_len;
	int r = SEND_R_INTERNAL;

	if (ctx == NULL)
		return r;
	/* RSASSA-PKCS1-v1_5 with SHA-1 (RFC 3971 §5.2). */
	if (EVP_DigestSignInit_ex(ctx, &pctx, "SHA1", NULL, NULL, c->key, NULL) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1)
		goto out;
	for (unsigned i = 0; i < n; i++)
		if (seg[i].len && EVP_DigestSignUpdate(ctx, seg[i].p, seg[i].len) != 1)
			goto out;
	if (EVP_DigestSignFinal(ctx, sig, &len) != 1 || len != c->sig_len)
		goto out;
	r = SEND_R_OK;
out:
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

int send_sign_finish(struct wire_buf *w, const struct send_creds *c, size_t ip6_off,
		     size_t icmp_off)
{
	struct wire_send_tbs tbs;
	uint8_t sig[512];
	int r;

	if (w->err != WIRE_OK)
		return SEND_R_NOSPACE;
	if (c->key == NULL || c->sig_len > sizeof(sig) || icmp_off < ip6_off + WIRE_IPV6_HLEN ||
	    w->len < icmp_off + 4)
		return SEND_R_INTERNAL;
	/* A5: the signed octets with the checksum of the message cut here. */
	if (wire_send_tbs(w->p + ip6_off + 8, w->p + ip6_off + 24, w->p + icmp_off,
			  w->len - icmp_off, &tbs) != WIRE_OK)
		return SEND_R_INTERNAL;
	if ((r = send_sign_segs(c, tbs.seg, 2, sig)) != SEND_R_OK)
		return r;
	wire_put_opt_rsasig(w, c->key_hash, sig, c->sig_len);
	OPENSSL_cleanse(sig, sizeof(sig));
	if (w->err != WIRE_OK)
		return SEND_R_NOSPACE;
	if (wire_ip6_finish(w, ip6_off) != WIRE_OK ||
	    wire_icmp6_finish(w, ip6_off, icmp_off) != WIRE_OK)
		return SEND_R_NOSPACE;
	return SEND_R_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Verification                                                                                */
/* ------------------------------------------------------------------------------------------ */

void send_verify_req_from_frame(struct send_verify_req *req, const struct wire_frame *f)
{
	memset(req, 0, sizeof(*req));
	req->src = f->ip.src;
	req->dst = f->ip.dst;
	req->hop_limit = f->ip.hlim;
	req->icmp = f->icmp.p;
	req->icmp_len = f->icmp.len;
	req->opts_off = f->msg == WIRE_MSG_CPA ? 12 : 8;
	req->role = (f->msg == WIRE_MSG_PRRTADV || f->msg == WIRE_MSG_CPA) ? SEND_ADVERTISEMENT
									   : SEND_SOLICITATION;
}

static int sig_verify(EVP_PKEY *key, const struct wire_seg *seg, unsigned n, const uint8_t *sig,
		      size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = 0;

	if (ctx == NULL)
		return SEND_R_INTERNAL;
	if (EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA1", NULL, NULL, key, NULL) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1) {
		ok = 1;
		for (unsigned i = 0; i < n && ok; i++)
			if (seg[i].len && EVP_DigestVerifyUpdate(ctx, seg[i].p, seg[i].len) != 1)
				ok = 0;
		if (ok)
			ok = EVP_DigestVerifyFinal(ctx, sig, sig_len) == 1;
	}
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok ? SEND_R_OK : SEND_R_SIG;
}

/* Hop Limit, the option walk, the Timestamp and Nonce decoders and the presence rules. */
static int verify_options(const struct send_cfg *cfg, const struct send_verify_req *req,
			  struct send_verify_res *res, struct wire_opt_rsasig *rs)
{
	struct wire_icmp6 icmp = { req->icmp, req->icmp_len, 0, 0, 0 };
	struct wire_send_opts *o = &res->opts;
	struct wire_opt_timestamp ts;
	struct wire_opt_nonce nonce;

	if (req->icmp_len < 4 || req->opts_off > req->icmp_len)
		return SEND_R_MALFORMED;
	icmp.type = req->icmp[0];
	icmp.code = req->icmp[1];
	icmp.csum = wire_be16(req->icmp + 2);

	/* A7: Hop Limit 255 on RtSolPr and PrRtAdv (as for RS/RA). */
	if (!cfg->no_hop_limit_check && req->hop_limit != 255)
		return SEND_R_HOP_LIMIT;
	/* §5.2.2: one walk; options after the first RSA Signature are not looked at. */
	if (wire_send_opts_collect(&icmp, req->opts_off, o) != WIRE_OK)
		return SEND_R_MALFORMED;
	if (o->has_timestamp) {
		if (wire_opt_timestamp_decode(&o->timestamp, &ts) != WIRE_OK)
			return SEND_R_MALFORMED;
		res->has_timestamp = true;
		res->timestamp = ts.ts;
	}
	if (o->has_nonce) {
		if (wire_opt_nonce_decode(&o->nonce, &nonce) != WIRE_OK)
			return SEND_R_MALFORMED;
		res->nonce = nonce.nonce;
		res->nonce_len = nonce.nonce_len;
	}

	/* Presence rules (§5.1.2, §5.2.2, §5.3.4, A6, A7). */
	if (!o->has_cga && !o->has_rsasig)
		return SEND_R_UNSECURED;
	if (!o->has_rsasig)
		return SEND_R_NO_RSASIG;
	if (!o->has_timestamp && !o->has_nonce)
		return SEND_R_UNSECURED;
	if (req->role == SEND_SOLICITATION && !o->has_nonce)
		return SEND_R_NO_NONCE;
	if (!o->has_timestamp && !(req->role == SEND_SOLICITATION && cfg->accept_nonce_only))
		return SEND_R_NO_TIMESTAMP;
	if (!o->has_cga && req->certified == NULL)
		return SEND_R_NO_CGA;
	if (wire_opt_rsasig_decode(&o->rsasig, rs) != WIRE_OK)
		return SEND_R_MALFORMED;
	return SEND_R_OK;
}

/*
 * The signer's key: from the CGA option (verified against claimed/src, §5.1.2: before the
 * expensive signature) or the certified key; its Key Hash must be the option's.
 */
static int verify_key(const struct send_verify_req *req, struct send_verify_res *res,
		      const struct wire_opt_rsasig *rs, EVP_PKEY **keyp)
{
	const struct wire_send_opts *o = &res->opts;
	struct wire_opt_cga cga;
	struct cga_info info;
	EVP_PKEY *key;
	int r;

	if (!o->has_cga) {
		uint8_t der[2048];
		size_t n = cga_pubkey_der(req->certified, der, sizeof(der));

		if (n == 0 || cga_key_hash(der, n, res->key_hash) != CGA_OK)
			return SEND_R_KEY;
		if (CRYPTO_memcmp(res->key_hash, rs->key_hash, 16) != 0)
			return SEND_R_KEY_HASH;
		if (EVP_PKEY_get_base_id(req->certified) != EVP_PKEY_RSA ||
		    !EVP_PKEY_up_ref(req->certified))
			return SEND_R_KEY;
		*keyp = req->certified;
		return SEND_R_OK;
	}
	if (wire_opt_cga_decode(&o->cga, &cga) != WIRE_OK)
		return SEND_R_MALFORMED;
	res->work |= SEND_WORK_CGA;
	r = cga_verify(req->claimed ? req->claimed : req->src, cga.params, cga.params_len, &info);
	res->cga_err = r;
	if (r != CGA_OK && !(req->no_cga_check && r != CGA_E_PARAMS))
		return SEND_R_CGA;
	res->sec = info.sec;
	if (cga_key_hash(info.pubkey, info.pubkey_len, res->key_hash) != CGA_OK)
		return SEND_R_INTERNAL;
	/* Key Hash must name the CGA key (two different keys: discard, §5.1.2). */
	if (CRYPTO_memcmp(res->key_hash, rs->key_hash, 16) != 0)
		return SEND_R_KEY_HASH;
	res->work |= SEND_WORK_KEY;
	if ((key = cga_pubkey_parse(info.pubkey, info.pubkey_len, NULL)) == NULL)
		return SEND_R_KEY;
	if (req->certified != NULL && EVP_PKEY_eq(key, req->certified) != 1) {
		EVP_PKEY_free(key);
		return SEND_R_NOT_CERTIFIED;
	}
	*keyp = key;
	return SEND_R_OK;
}

static int verify_inner(const struct send_cfg *cfg, const struct send_verify_req *req,
			struct send_verify_res *res, EVP_PKEY **keyp)
{
	const struct wire_send_opts *o = &res->opts;
	struct wire_opt_rsasig rs;
	struct wire_send_tbs tbs;
	int bits, r;

	if ((r = verify_options(cfg, req, res, &rs)) != SEND_R_OK)
		return r;
	/*
	 * Cheap checks first (issue 13 item 6): the §5.3.4.2 verdict on the cache as it is and
	 * the caller's precheck refuse a stale or replayed message before any CGA or RSA work.
	 * Nothing is written here; the cache is updated after the signature verified.
	 */
	if (req->replay != NULL && o->has_timestamp &&
	    (r = send_replay_peek(req->replay, req->src, res->timestamp, req->now)) != SEND_R_OK)
		return r;
	if (req->precheck != NULL && (r = req->precheck(req->precheck_ctx, res)) != SEND_R_OK)
		return r;

	if ((r = verify_key(req, res, &rs, keyp)) != SEND_R_OK)
		return r;

	/* §5.1.3 minbits and a maximum. */
	bits = EVP_PKEY_get_bits(*keyp);
	res->key_bits = bits > 0 ? (unsigned)bits : 0;
	if (bits < (int)cfg->min_bits)
		return SEND_R_KEY_TOO_SMALL;
	if (bits > (int)cfg->max_bits)
		return SEND_R_KEY_TOO_LARGE;

	/* A5: signature length = modulus length; the rest of the option is padding. */
	size_t sig_len = (size_t)EVP_PKEY_get_size(*keyp);
	if (rs.sig_room < sig_len)
		return SEND_R_SIG_SHORT;
	if (wire_send_tbs(req->src, req->dst, req->icmp, o->sig_off, &tbs) != WIRE_OK)
		return SEND_R_MALFORMED;
	res->work |= SEND_WORK_SIG;
	if ((r = sig_verify(*keyp, tbs.seg, 2, rs.sig, sig_len)) != SEND_R_OK)
		return r;

	/* Nonce (§5.3.4.1): advertisements echo our solicitation's nonce or are unsolicited. */
	if (req->role == SEND_ADVERTISEMENT && o->has_nonce) {
		if (req->expect_nonce == NULL || req->expect_nonce_len != res->nonce_len ||
		    CRYPTO_memcmp(req->expect_nonce, res->nonce, res->nonce_len) != 0)
			return SEND_R_NONCE_MISMATCH;
		res->solicited = true;
	}
	/* Timestamp (§5.3.4.2): only messages that passed the signature touch the cache. */
	if (req->replay != NULL && o->has_timestamp)
		return send_replay_check(req->replay, req->src, res->sec, res->timestamp, req->now);
	return SEND_R_OK;
}

int send_verify(const struct send_cfg *cfg, const struct send_verify_req *req,
		struct send_verify_res *res)
{
	EVP_PKEY *key = NULL;

	/* res is output only: the key is kept when the request asks (req->keep_key) */
	memset(res, 0, sizeof(*res));
	res->reason = verify_inner(cfg, req, res, &key);
	if (req->keep_key && res->reason == SEND_R_OK)
		res->key = key;
	else
		EVP_PKEY_free(key);
	return res->reason;
}
