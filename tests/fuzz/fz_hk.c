/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fz_hk: the AR and MN harnesses of lib/hk's fuzz targets (see fz_hk.h). */
#include "fz_hk.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include "cga.h"
#include "fz.h"
#include "hk.h"

/* ---- AR role -------------------------------------------------------------------------------- */

struct store {
	bool has;
	struct hk_key k;
};

static int store_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	struct store *s = ctx;
	if (!s->has || memcmp(s->k.cga, cga, 16) != 0)
		return 0;
	*out = s->k;
	return 1;
}

static struct {
	bool init;
	struct send_cfg send[2]; /* [1]: accept_nonce_only */
	struct mac_cfg mac[2];	 /* [1]: AT 0 only */
	struct hk_ap aps[8];
	uint8_t mn1_pk_sha1[20];
	uint8_t mn2_spki[512];
	size_t mn2_spki_len;
} ar;

static void ar_init(void)
{
	uint8_t der[1024];
	size_t n;

	for (int i = 0; i < 2; i++) {
		ar.send[i] = *fz_send_cfg();
		ar.send[i].cache_size = 16;
		mac_cfg_defaults(&ar.mac[i]);
		ar.mac[i].backend = MAC_BACKEND_OPENSSL;
	}
	ar.send[1].accept_nonce_only = true;
	ar.mac[1].at[1].alg = MAC_ALG_NONE;
	for (unsigned i = 0; i < 8; i++) {
		struct hk_ap *a = &ar.aps[i];
		/* AP 0 is the one the reference RtSolPr asks for (02:00:00:00:00:aa) */
		memcpy(a->ap_lla, (uint8_t[6]){ 2, 0, 0, 0, 0, (uint8_t)(i ? 0xa0 + i : 0xaa) }, 6);
		a->kind = (enum hk_ap_kind)(i % 4);
		memcpy(a->nar_lla, (uint8_t[6]){ 2, 0, 0, 0, 0, (uint8_t)(0xb0 + i) }, 6);
		memcpy(a->nar_addr, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, (uint8_t)i, [15] = 1 },
		       16);
		memcpy(a->nar_prefix, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, (uint8_t)i }, 16);
		a->nar_prefix_len = 64;
	}
	if ((n = cga_pubkey_der(fz_mn1()->key, der, sizeof(der))) == 0)
		abort();
	SHA1(der, n, ar.mn1_pk_sha1);
	ar.mn2_spki_len = cga_pubkey_der(fz_key("mn2.key.pem"), ar.mn2_spki, sizeof(ar.mn2_spki));
	if (ar.mn2_spki_len == 0)
		abort();
	ar.init = true;
}

static void ar_cfg(struct hk_ar_cfg *cfg, unsigned flags)
{
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 2 };

	hk_ar_cfg_defaults(cfg);
	cfg->send = &ar.send[(flags >> 1) & 1];
	cfg->creds = fz_ar1();
	cfg->mac = &ar.mac[(flags >> 3) & 1];
	cfg->lla = lla;
	cfg->aps = ar.aps;
	cfg->n_aps = 8;
	cfg->reply_on_failure = !(flags & 1);
	if (flags & 0x10)
		cfg->mtu = 1280;
}

/* The reply: a PrRtAdv from ar1 to the solicitation's source, verified with ar1's key. */
static void check_reply(const struct hk_ar_out *out, const struct wire_frame *sol,
			const struct wire_opt_nonce *nonce, struct wire_send_opts *so)
{
	struct wire_frame f;
	struct send_verify_req req;
	struct send_verify_res res;

	if (out->len > sizeof(out->pkt) ||
	    wire_decode_frame(out->pkt, out->len, WIRE_LINK_RAW6, &f) != WIRE_OK ||
	    f.msg != WIRE_MSG_PRRTADV || f.ip.hlim != 255 || memcmp(f.ip.src, fz_ar1_ll, 16) ||
	    memcmp(f.ip.dst, sol->ip.src, 16) || memcmp(out->dst, sol->ip.src, 16) ||
	    f.nd.fmip.identifier != sol->nd.fmip.identifier)
		abort();
	if (wire_send_opts_collect(&f.icmp, 8, so) != WIRE_OK)
		abort();
	send_verify_req_from_frame(&req, &f);
	req.certified = fz_ar1()->key;
	req.expect_nonce = nonce ? nonce->nonce : NULL;
	req.expect_nonce_len = nonce ? nonce->nonce_len : 0;
	memset(&res, 0, sizeof(res));
	if (send_verify(fz_send_cfg(), &req, &res) != SEND_R_OK)
		abort();
}

/* mn2 decrypts the reply's key to the one issued (signed variant, mn2's request key). */
static void check_decrypt(const struct hk_ar_out *out, const struct wire_send_opts *so)
{
	struct wire_opt_hkrep hr;
	uint8_t plain[512];
	size_t plen = sizeof(plain);
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, fz_key("mn2.key.pem"), NULL);

	if (wire_opt_hkrep_decode(&so->hkrep, &hr) != WIRE_OK || hr.at != out->key.at ||
	    c == NULL || EVP_PKEY_decrypt_init(c) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) != 1 ||
	    EVP_PKEY_decrypt(c, plain, &plen, hr.enc, hr.enc_len) != 1 ||
	    plen != out->key.key_len || memcmp(plain, out->key.key, plen) != 0)
		abort();
	EVP_PKEY_CTX_free(c);
}

static void ar_oracles(const struct hk_ar_cfg *cfg, const struct store *st,
		       const struct hk_ar_out *out, const uint8_t *pkt, size_t len,
		       bool signed_variant)
{
	struct wire_frame sol;
	struct wire_send_opts in, so;
	struct wire_opt_nonce nonce;
	struct wire_opt_hkreq hq;
	bool has_nonce = false;

	if (out->reason < 0 || out->reason >= HK_R__COUNT)
		abort();
	if ((out->op != HK_KEY_NONE) != (out->reason == HK_R_OK))
		abort();
	if (out->len == 0) {
		if (out->op != HK_KEY_NONE)
			abort();
		return;
	}
	if (wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &sol) != WIRE_OK)
		abort(); /* a reply to something that did not decode */
	if (wire_send_opts_collect(&sol.icmp, 8, &in) == WIRE_OK && in.has_nonce &&
	    wire_opt_nonce_decode(&in.nonce, &nonce) == WIRE_OK)
		has_nonce = true;
	check_reply(out, &sol, has_nonce ? &nonce : NULL, &so);
	if (so.has_hkrep != (out->op != HK_KEY_NONE))
		abort();
	if (out->op == HK_KEY_INSERT &&
	    (out->key.key_len != hk_at_key_len(cfg->mac, out->key.at) || out->key.key_len == 0 ||
	     memcmp(out->key.cga, sol.ip.src, 16) != 0 || out->key.issued != FZ_NOW >> 16 ||
	     out->key.lifetime != cfg->hk_lifetime))
		abort();
	if (out->op == HK_KEY_EXISTING &&
	    (!st->has || memcmp(out->key.key, st->k.key, st->k.key_len) != 0))
		abort();
	if (signed_variant && out->op != HK_KEY_NONE && in.has_hkreq &&
	    wire_opt_hkreq_decode(&in.hkreq, &hq) == WIRE_OK && hq.key_len == ar.mn2_spki_len &&
	    memcmp(hq.key, ar.mn2_spki, hq.key_len) == 0)
		check_decrypt(out, &so);
}

void fz_ar_serve(const uint8_t *pkt, size_t len, unsigned flags, bool signed_variant)
{
	static struct hk_ar_state st;
	static struct hk_ar_out out;
	struct hk_ar_cfg cfg;
	struct store store = { 0 };
	struct hk_keystore ks = { &store, store_find };

	if (!ar.init)
		ar_init();
	ar_cfg(&cfg, flags);
	if (flags & 4) {
		store.has = true;
		memcpy(store.k.cga, fz_mn1_addr, 16);
		memcpy(store.k.pk_sha1, ar.mn1_pk_sha1, 20);
		store.k.key_len = 20;
		memset(store.k.key, 0x5a, 20);
		store.k.issued = (FZ_NOW >> 16) - (flags & 0x20 ? 50000 : 10);
		store.k.lifetime = HK_LIFETIME_DEFAULT;
	}
	memset(&st, 0, sizeof(st));
	if ((st.replay = send_replay_new(cfg.send)) == NULL)
		abort();
	uint8_t *copy = fz_dup(pkt, len);
	hk_ar_rtsolpr(&cfg, &st, &ks, copy, len, FZ_NOW, &out);
	ar_oracles(&cfg, &store, &out, copy, len, signed_variant);
	if (flags & 0x40) {
		int first = out.reason;
		bool verified =
		    first != HK_R_MALFORMED && first != HK_R_NOT_RTSOLPR && first != HK_R_SEND;
		hk_ar_rtsolpr(&cfg, &st, &ks, copy, len, FZ_NOW + FZ_TS(1), &out);
		if (verified && (out.reason != HK_R_SEND || out.send_reason != SEND_R_TS_REPLAY ||
				 out.send_work != 0 || out.op != HK_KEY_NONE))
			abort();
	}
	free(copy);
	send_replay_free(st.replay);
	OPENSSL_cleanse(&out.key, sizeof(out.key));
}

/* ---- MN role -------------------------------------------------------------------------------- */

static struct {
	bool init;
	struct mac_cfg mac[2]; /* [1]: AT 0 only */
	struct hk_mn_cfg cfg[2];
	struct hk_mn mn; /* the template; copies are processed */
} mn;

static void mn_init(void)
{
	for (int i = 0; i < 2; i++) {
		mac_cfg_defaults(&mn.mac[i]);
		hk_mn_cfg_defaults(&mn.cfg[i]);
		mn.cfg[i].send = fz_send_cfg();
		mn.cfg[i].creds = fz_mn1();
		mn.cfg[i].trust = fz_trust();
		mn.cfg[i].mac = &mn.mac[i];
	}
	mn.mac[1].at[1].alg = MAC_ALG_NONE;
	if (hk_mn_init(&mn.mn, &mn.cfg[0]) != HK_R_OK)
		abort();
	/* the reference RtSolPr, outstanding: its nonce, Identifier and encryption key (mn2) */
	struct hk_enc_key *e = &mn.mn.enc[0];
	e->key = fz_key("mn2.key.pem");
	e->spki_len = cga_pubkey_der(e->key, e->spki, sizeof(e->spki));
	e->created = FZ_T0;
	e->in_use = true;
	mn.mn.pending[0].used = true;
	memcpy(mn.mn.pending[0].nonce, fz_ref_nonce, HK_NONCE_LEN);
	memcpy(mn.mn.pending[0].dst, fz_all_routers, 16);
	mn.mn.pending[0].identifier = FZ_REF_IDENTIFIER;
	mn.mn.pending[0].sent = FZ_T0;
	if (e->spki_len == 0 ||
	    hk_mn_set_router(&mn.mn, fz_ar1_ll, fz_pki_cert("pki/router.cert.pem")) != HK_R_OK)
		abort();
	mn.init = true;
}

void fz_mn_process(const uint8_t *pkt, size_t len, unsigned flags)
{
	static struct hk_mn m;
	struct hk_mn_key key;
	uint64_t now = flags & 4 ? FZ_NOW + FZ_TS(400) : FZ_NOW;

	if (!mn.init)
		mn_init();
	m = mn.mn; /* shallow: the keys stay the template's; m is never freed */
	m.cfg = mn.cfg[flags & 1];
	if (flags & 2)
		memset(m.routers, 0, sizeof(m.routers));
	uint8_t *copy = fz_dup(pkt, len);
	memset(&key, 0, sizeof(key));
	int r = hk_mn_prrtadv(&m, copy, len, now, &key);
	free(copy);
	if (r < 0 || r >= HK_R__COUNT)
		abort();
	const struct hk_mn_key *k = hk_mn_key_find(&m, fz_ar1_ll, now);
	if (r != HK_R_OK) {
		if (k != NULL || (m.pending[0].used != mn.mn.pending[0].used && !(flags & 4)))
			abort();
		return;
	}
	if (k == NULL || memcmp(k->ar, fz_ar1_ll, 16) || memcmp(k->cga, fz_mn1_addr, 16) ||
	    k->key_len == 0 || k->key_len != hk_at_key_len(m.cfg.mac, k->at) ||
	    k->received != now >> 16 || memcmp(&key, k, sizeof(key)) != 0 || m.pending[0].used)
		abort();
	OPENSSL_cleanse(&m.keys, sizeof(m.keys));
}
