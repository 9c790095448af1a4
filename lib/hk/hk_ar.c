/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk, access-router role: RtSolPr → PrRtAdv with a Handover Key Reply (RFC 5269 §3.2,
 * §3.6, §5).  The FBU checks and the FBack are in hk_fbu.c.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "cga.h"
#include "hk.h"
#include "hk_priv.h"

static const char *const hk_text[] = {
#define HK_REASON_TEXT(n, s) s,
	HK_REASONS(HK_REASON_TEXT)
#undef HK_REASON_TEXT
};

const char *hk_strerror(int reason)
{
	if (reason < 0 || reason >= HK_R__COUNT)
		return "unknown reason";
	return hk_text[reason];
}

/* ---- algorithm types (A1, A9) -------------------------------------------------------------- */

static unsigned alg_digest(enum mac_alg a)
{
	return a == MAC_ALG_HMAC_SHA1 ? 20 : a == MAC_ALG_HMAC_SHA256 ? 32 : 0;
}

unsigned hk_at_key_len(const struct mac_cfg *mac, uint8_t at)
{
	if (at >= MAC_AT_MAX)
		return 0;
	/* A9: a key as long as the hash's output (20 for HMAC-SHA1, 32 for HMAC-SHA256) */
	return alg_digest(mac->at[at].alg);
}

/* Strength order: the hash first, then how much of the tag is kept. */
static unsigned at_strength(const struct mac_cfg *mac, unsigned at)
{
	return alg_digest(mac->at[at].alg) * 256u + mac->at[at].tag_len;
}

int hk_at_resolve(const struct mac_cfg *mac, uint8_t want)
{
	int best = -1;
	unsigned i;

	/* RFC 5269 §3.2: echo the preferred AT if supported ... */
	if (want < MAC_AT_MAX && mac->at[want].alg != MAC_ALG_NONE)
		return want;
	/* ... otherwise one of equal or greater strength: an AT we do not know has no strength
	 * we can compare, so A1 answers with the strongest AT enabled. */
	for (i = 0; i < MAC_AT_MAX; i++) {
		if (mac->at[i].alg == MAC_ALG_NONE)
			continue;
		if (best < 0 || at_strength(mac, i) > at_strength(mac, (unsigned)best))
			best = (int)i;
	}
	return best;
}

/* ---- configuration -------------------------------------------------------------------------- */

void hk_ar_cfg_defaults(struct hk_ar_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hk_lifetime = HK_LIFETIME_DEFAULT;
	cfg->reply_on_failure = true;
	cfg->failure_reply_rate = 10;
	cfg->mtu = 1500;
}

/* ---- the PrRtAdv ----------------------------------------------------------------------------- */

static const struct hk_ap *ap_find(const struct hk_ar_cfg *cfg, const uint8_t *lla)
{
	for (unsigned i = 0; i < cfg->n_aps; i++)
		if (memcmp(cfg->aps[i].ap_lla, lla, 6) == 0)
			return &cfg->aps[i];
	return NULL;
}

/*
 * One [AP-ID, AR-Info] tuple (RFC 5568 §6.1.2).  Returns 1 if it carried NAR information, 0
 * if it carried an Option-Code 5-7 answer, -1 if it did not fit in the room left.
 */
static int put_ap(struct wire_buf *w, const uint8_t *ap_lla, const struct hk_ap *ap)
{
	size_t need = ap && ap->kind == HK_AP_NAR ? 16 + 16 + 24 + 24 : 16;
	if (w->cap - w->len < need)
		return -1;
	if (ap == NULL) {
		wire_put_opt_lla(w, WIRE_LLA_NO_PREFIX, ap_lla, 6); /* unknown AP: no prefix info */
		return 0;
	}
	switch (ap->kind) {
	case HK_AP_NAR:
		wire_put_opt_lla(w, WIRE_LLA_NEW_AP, ap->ap_lla, 6);
		wire_put_opt_lla(w, WIRE_LLA_NAR, ap->nar_lla, 6);
		wire_put_opt_ipaddr(w, WIRE_IPA_NAR_ADDR, 128, ap->nar_addr);
		wire_put_opt_ipaddr(w, WIRE_IPA_NAR_PREFIX, ap->nar_prefix_len, ap->nar_prefix);
		return 1;
	case HK_AP_CURRENT_IF:
		wire_put_opt_lla(w, WIRE_LLA_AP_CURRENT_IF, ap->ap_lla, 6);
		return 0;
	case HK_AP_NO_PREFIX:
		wire_put_opt_lla(w, WIRE_LLA_NO_PREFIX, ap->ap_lla, 6);
		return 0;
	default:
		wire_put_opt_lla(w, WIRE_LLA_NO_FMIP, ap->ap_lla, 6);
		return 0;
	}
}

struct reply_parts {
	const struct wire_frame *sol;
	const uint8_t *nonce; /* NULL: none (A19) */
	size_t nonce_len;
	uint8_t at;
	uint16_t lifetime;
	const uint8_t *enc; /* NULL: no Handover Key Reply */
	size_t enc_len;
};

/*
 * Build and sign the PrRtAdv: FMIPv6 options for the requested APs (Code 0, 2 or 3 as the
 * knowledge allows), CGA, Timestamp, Nonce, Handover Key Reply, RSA Signature (PROTOCOL.md
 * §10 order).  Unicast to the RtSolPr source from the router's link-local CGA, Hop Limit 255.
 */
static int build_prrtadv(const struct hk_ar_cfg *cfg, const struct reply_parts *r, uint64_t now,
			 struct hk_ar_out *out)
{
	const struct wire_frame *f = r->sol;
	struct wire_buf w = wire_buf_make(out->pkt, sizeof(out->pkt));
	struct wire_buf aps;
	uint8_t apbuf[HK_PKT_MAX];
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	unsigned asked = 0, known = 0;
	bool wildcard = false;
	size_t ip6, icmp, fixed, limit;
	int code, rr, t;

	/* The reply must fit the link MTU: the AP tuples get what the fixed part leaves. */
	limit = cfg->mtu >= 1280 ? cfg->mtu : 1280;
	limit = limit < sizeof(out->pkt) ? limit : sizeof(out->pkt);
	fixed = WIRE_IPV6_HLEN + 8 + (cfg->lla ? 16 : 0) + 16 /* Timestamp */ +
		(cfg->creds->params ? (4 + cfg->creds->params_len + 7) / 8 * 8 : 0) +
		(r->nonce ? r->nonce_len + 2 : 0) + (r->enc ? (6 + r->enc_len + 7) / 8 * 8 : 0) +
		(20 + cfg->creds->sig_len + 7) / 8 * 8;
	if (fixed > limit)
		return HK_R_NOSPACE;
	/* The AP tuples go into a side buffer first: the Code depends on them. */
	aps = wire_buf_make(apbuf, limit - fixed);
	wire_ndopt_iter_init(&it, &f->icmp, f->nd.fmip.opts_off);
	while (wire_ndopt_next(&it, &o) == 1) {
		struct wire_opt_lla l;
		if (o.type == WIRE_ND_RSA_SIG)
			break;
		if (o.type != WIRE_ND_FMIP_LLA || wire_opt_lla_decode(&o, &l) != WIRE_OK ||
		    l.lla_len < 6)
			continue;
		if (l.code == WIRE_LLA_WILDCARD) {
			wildcard = true;
		} else if (l.code == WIRE_LLA_NEW_AP) {
			t = put_ap(&aps, l.lla, ap_find(cfg, l.lla));
			known += t == 1;
			asked++;
		}
	}
	if (wildcard && asked == 0) {
		/* all nearby APs (RFC 5568 §6.1.1 Option-Code 0) */
		for (unsigned i = 0; i < cfg->n_aps; i++, asked++) {
			t = put_ap(&aps, cfg->aps[i].ap_lla, &cfg->aps[i]);
			known += t == 1;
		}
	}
	if (aps.err != WIRE_OK)
		return HK_R_NOSPACE;
	/* RFC 5568 §6.1.2: 0 = tuples for every AP asked, 2 = no new-router information,
	 * 3 = information for a subset (also when tuples did not fit the MTU). */
	code = known == 0 ? 2 : known == asked ? 0 : 3;

	ip6 = wire_build_ip6(&w, cfg->creds->addr, f->ip.src, WIRE_NH_ICMPV6, 255);
	icmp = wire_build_fmip(&w, WIRE_FMIP_PRRTADV, (uint8_t)code, f->nd.fmip.identifier);
	if (cfg->lla)
		wire_put_opt_lla(&w, WIRE_LLA_SOURCE, cfg->lla, 6);
	wire_put_bytes(&w, apbuf, aps.len);
	struct send_sign_opts so = { .timestamp = now,
				     .nonce = r->nonce,
				     .nonce_len = r->nonce_len };
	send_put_opts(&w, cfg->creds, &so);
	if (r->enc)
		wire_put_opt_hkrep(&w, r->at, r->lifetime, r->enc, r->enc_len);
	if ((rr = hk_sign_reason(send_sign_finish(&w, cfg->creds, ip6, icmp))) != HK_R_OK)
		return rr;
	out->len = w.len;
	memcpy(out->dst, f->ip.src, 16);
	return HK_R_OK;
}

/* A reply that provisions nothing: out->reason stays `reason` unless building it failed. */
static int reply_without_key(const struct hk_ar_cfg *cfg, const struct reply_parts *rp,
			     uint64_t now, int reason, struct hk_ar_out *out)
{
	int r = build_prrtadv(cfg, rp, now, out);
	return out->reason = (r == HK_R_OK ? reason : r);
}

/* A10: RSA, the CGA key's modulus size, public exponent odd and at least 3. */
static EVP_PKEY *enc_key_check(const struct wire_opt_hkreq *hq, unsigned cga_bits)
{
	EVP_PKEY *k = cga_pubkey_parse(hq->key, hq->key_len, NULL);
	BIGNUM *e = NULL;
	bool ok = false;

	if (k == NULL)
		return NULL;
	/* odd and not 1, so at least 3 */
	if (EVP_PKEY_get_bits(k) == (int)cga_bits &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e) == 1)
		ok = BN_is_odd(e) && !BN_is_one(e);
	BN_free(e);
	ERR_clear_error();
	if (!ok) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

/* RSAES-PKCS1-v1_5 (RFC 3447) of the handover key. */
static int encrypt_key(EVP_PKEY *pub, const uint8_t *key, size_t key_len, uint8_t *enc,
		       size_t *enc_len)
{
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
	int ok = c && EVP_PKEY_encrypt_init(c) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
		 EVP_PKEY_encrypt(c, enc, enc_len, key, key_len) == 1;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	return ok ? HK_R_OK : HK_R_ENCRYPT;
}

static bool unicast_src(const uint8_t *a)
{
	static const uint8_t zero[16];
	return a[0] != 0xff && memcmp(a, zero, 16) != 0;
}

/* A19: rate-limited failure replies.  Returns true if one may be sent now. */
static bool failure_reply_allowed(const struct hk_ar_cfg *cfg, struct hk_ar_state *st, uint64_t now)
{
	uint64_t sec = now >> 16;
	if (!cfg->reply_on_failure)
		return false;
	if (sec != st->fail_win) {
		st->fail_win = sec;
		st->fail_count = 0;
	}
	if (st->fail_count >= cfg->failure_reply_rate)
		return false;
	st->fail_count++;
	return true;
}

/*
 * The ring entry of the same source and nonce accepted within TIMESTAMP_DELTA, or NULL (see
 * struct hk_ar_state).
 */
static struct hk_seen *seen_find(const struct hk_ar_cfg *cfg, struct hk_ar_state *st,
				 const uint8_t *src, const struct send_verify_res *res,
				 uint64_t now)
{
	uint64_t sec = now >> 16;
	size_t n =
	    res->nonce_len > sizeof(st->seen[0].nonce) ? sizeof(st->seen[0].nonce) : res->nonce_len;

	for (unsigned i = 0; i < HK_SEEN_NONCES; i++) {
		struct hk_seen *e = &st->seen[i];
		if (e->nonce_len == n && sec - e->at <= cfg->send->ts_delta &&
		    memcmp(e->src, src, 16) == 0 && memcmp(e->nonce, res->nonce, n) == 0)
			return e;
	}
	return NULL;
}

/* A copy of a solicitation in the ring: same source and nonce without a newer timestamp. */
static bool seen_replay(const struct hk_seen *s, const struct send_verify_res *res)
{
	return s != NULL && !(res->has_timestamp && s->has_ts && res->timestamp > s->ts);
}

/* Remember a verified solicitation (after seen_replay said it is none). */
static void seen_record(const struct hk_ar_cfg *cfg, struct hk_ar_state *st, const uint8_t *src,
			const struct send_verify_res *res, uint64_t now)
{
	struct hk_seen *s = seen_find(cfg, st, src, res, now);
	size_t n =
	    res->nonce_len > sizeof(st->seen[0].nonce) ? sizeof(st->seen[0].nonce) : res->nonce_len;

	if (s == NULL) {
		s = &st->seen[st->seen_next];
		st->seen_next = (st->seen_next + 1) % HK_SEEN_NONCES;
		memcpy(s->src, src, 16);
		memcpy(s->nonce, res->nonce, n);
		s->nonce_len = (uint8_t)n;
	}
	s->has_ts = res->has_timestamp;
	s->ts = res->timestamp;
	s->at = now >> 16;
}

/* send_verify's precheck: the exact-replay ring before any CGA or RSA work (item 6). */
struct seen_ctx {
	const struct hk_ar_cfg *cfg;
	struct hk_ar_state *st;
	const uint8_t *src;
	uint64_t now;
};

static int seen_precheck(void *ctx, const struct send_verify_res *res)
{
	struct seen_ctx *c = ctx;
	return seen_replay(seen_find(c->cfg, c->st, c->src, res, c->now), res) ? SEND_R_TS_REPLAY
									       : SEND_R_OK;
}

/* A19: to a solicitation that failed validation, a signed reply with no Nonce and no
 * Handover Key Reply, rate-limited; never to an unspecified or multicast source. */
static int failure_reply(const struct hk_ar_cfg *cfg, struct hk_ar_state *st,
			 const struct reply_parts *rp, uint64_t now, struct hk_ar_out *out)
{
	if (!unicast_src(rp->sol->ip.src))
		return out->reason;
	if (!failure_reply_allowed(cfg, st, now)) {
		out->suppressed = cfg->reply_on_failure;
		return out->reason;
	}
	return reply_without_key(cfg, rp, now, out->reason, out);
}

/*
 * A8: the key of this CGA and CGA public key (the record the store holds, if alive and for
 * the same key), or a new one of AT `at`.  Fills out->key and out->op, *lifetime (what the
 * reply announces).  HK_R_OK or a reason (nothing to commit then).
 */
static int key_for(const struct hk_ar_cfg *cfg, const struct hk_keystore *ks, const uint8_t *src,
		   const struct send_verify_res *res, int at, uint64_t now, struct hk_ar_out *out,
		   uint16_t *lifetime)
{
	struct hk_key *k = &out->key;
	struct hk_key old = { 0 };
	struct wire_opt_cga cga;
	struct cga_info info;

	if (wire_opt_cga_decode(&res->opts.cga, &cga) != WIRE_OK ||
	    cga_verify(src, cga.params, cga.params_len, &info) != CGA_OK)
		return HK_R_INTERNAL; /* send_verify just accepted it */
	memcpy(k->cga, src, 16);
	SHA1(info.pubkey, info.pubkey_len, k->pk_sha1);
	/* a record past its lifetime is no key, whatever the store says (A13) */
	if (ks && ks->find(ks->ctx, k->cga, &old) == 1 && old.issued + old.lifetime > (now >> 16) &&
	    CRYPTO_memcmp(old.pk_sha1, k->pk_sha1, 20) == 0) {
		/* MUST return the existing key, with its recorded AT and what is left of its
		 * lifetime (it is discarded then, A13). */
		uint64_t left = old.issued + old.lifetime - (now >> 16);
		*k = old;
		*lifetime = (uint16_t)(left > 0xffff ? 0xffff : left);
		out->op = HK_KEY_EXISTING;
		OPENSSL_cleanse(&old, sizeof(old));
		return HK_R_OK;
	}
	OPENSSL_cleanse(&old, sizeof(old)); /* whatever the store handed over */
	k->at = (uint8_t)at;
	k->key_len = (uint8_t)hk_at_key_len(cfg->mac, (uint8_t)at);
	/* A9: from a CSPRNG, only now that SEND verification succeeded (§5). */
	if (RAND_priv_bytes(k->key, k->key_len) != 1) {
		OPENSSL_cleanse(k, sizeof(*k));
		return HK_R_RANDOM;
	}
	k->issued = now >> 16;
	k->lifetime = cfg->hk_lifetime;
	*lifetime = cfg->hk_lifetime;
	out->op = HK_KEY_INSERT;
	return HK_R_OK;
}

/* A verified solicitation: the reply with the Nonce and, if asked for, the key (A8-A10, A1). */
static int provision(const struct hk_ar_cfg *cfg, const struct hk_keystore *ks,
		     const struct wire_frame *f, const struct send_verify_res *res,
		     struct reply_parts *rp, uint64_t now, struct hk_ar_out *out)
{
	struct wire_opt_hkreq hq;
	uint8_t enc[512];
	size_t enc_len = sizeof(enc);
	EVP_PKEY *ek;
	int at, r;

	rp->nonce = res->nonce;
	rp->nonce_len = res->nonce_len;
	if (!res->opts.has_hkreq)
		return reply_without_key(cfg, rp, now, HK_R_NO_HKREQ, out);
	if (wire_opt_hkreq_decode(&res->opts.hkreq, &hq) != WIRE_OK ||
	    (ek = enc_key_check(&hq, res->key_bits)) == NULL) {
		/* A10: answered without a Handover Key Reply */
		return reply_without_key(cfg, rp, now, HK_R_ENC_KEY, out);
	}
	if ((at = hk_at_resolve(cfg->mac, hq.at)) < 0) {
		EVP_PKEY_free(ek);
		return reply_without_key(cfg, rp, now, HK_R_NO_AT, out);
	}
	r = key_for(cfg, ks, f->ip.src, res, at, now, out, &rp->lifetime);
	if (r == HK_R_OK)
		r = encrypt_key(ek, out->key.key, out->key.key_len, enc, &enc_len);
	EVP_PKEY_free(ek);
	if (r == HK_R_OK) {
		rp->at = out->key.at;
		rp->enc = enc;
		rp->enc_len = enc_len;
		r = build_prrtadv(cfg, rp, now, out);
	}
	if (r != HK_R_OK) {
		/* nothing was sent: nothing to commit */
		OPENSSL_cleanse(&out->key, sizeof(out->key));
		out->op = HK_KEY_NONE;
		out->len = 0;
		return out->reason = r;
	}
	return out->reason;
}

int hk_ar_rtsolpr(const struct hk_ar_cfg *cfg, struct hk_ar_state *st, const struct hk_keystore *ks,
		  const uint8_t *pkt, size_t len, uint64_t now, struct hk_ar_out *out)
{
	struct wire_frame f;
	struct send_verify_req req;
	struct send_verify_res res;
	struct reply_parts rp;

	out->reason = HK_R_OK;
	out->send_reason = SEND_R_OK;
	out->cga_err = 0;
	out->op = HK_KEY_NONE;
	out->len = 0;
	out->suppressed = false;
	out->send_work = 0;
	memset(&out->key, 0, sizeof(out->key));

	if (wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &f) != WIRE_OK)
		return out->reason = HK_R_MALFORMED; /* silently discarded */
	if (f.msg != WIRE_MSG_RTSOLPR)
		return out->reason = HK_R_NOT_RTSOLPR;
	if (f.nd.fmip.code != 0)
		return out->reason = HK_R_MALFORMED; /* RFC 5568 §6.1.1: Code 0 */

	/* RFC 5269 §3.2: validate with SEND first (A6, A7); no state before that (§5).  The
	 * exact-replay ring (struct hk_ar_state) runs inside send_verify, after the timestamp
	 * window and before the CGA check and the signature (cheap checks first). */
	struct seen_ctx sc = { cfg, st, f.ip.src, now };
	send_verify_req_from_frame(&req, &f);
	req.role = SEND_SOLICITATION;
	req.replay = st->replay;
	req.now = now;
	req.precheck = seen_precheck;
	req.precheck_ctx = &sc;
	memset(&res, 0, sizeof(res));
	memset(&rp, 0, sizeof(rp));
	rp.sol = &f;
	int vr = send_verify(cfg->send, &req, &res);
	out->send_work = res.work;
	if (vr != SEND_R_OK) {
		out->reason = HK_R_SEND;
		out->send_reason = res.reason;
		out->cga_err = res.cga_err;
		/* Not from this link (A7, RFC 4861 §6.1) or not even a well-formed SEND message:
		 * silently discarded — an answer would be an amplifier for spoofed sources. */
		if (res.reason == SEND_R_HOP_LIMIT || res.reason == SEND_R_MALFORMED)
			return out->reason;
		/* MUST NOT include a Handover Key Reply nor touch any key record */
		return failure_reply(cfg, st, &rp, now, out);
	}
	seen_record(cfg, st, f.ip.src, &res, now);
	return provision(cfg, ks, &f, &res, &rp, now, out);
}
