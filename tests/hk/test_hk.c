/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk tests: the RFC 5269 exchange in process, both roles, every failure path of §3.2 and
 * §3.3, the published vectors (the shared RtSolPr served by the AR role; the shared PrRtAdv
 * decrypted by the MN role with keys/mn2), FBU checks and the FBack.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "cga.h"
#include "hk.h"
#include "mac.h"
#include "send.h"
#include "wire.h"
#include "reference_vectors.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define TS(sec)	     ((uint64_t)(sec) << 16)
#define T0	     1704067200u /* 2024-01-01T00:00:00Z, the vectors' time */

static const uint8_t ap_lla[6] = { 2, 0, 0, 0, 0, 0xaa };
static const uint8_t nar_lla[6] = { 2, 0, 0, 0, 0, 0xbb };
static const uint8_t ar_lla[6] = { 2, 0, 0, 0, 0, 2 };

/* ---- a key table for the AR role ----------------------------------------------------------- */

struct store {
	struct hk_key k[16];
	unsigned n;
	unsigned finds;
};

static int store_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	struct store *s = ctx;
	s->finds++;
	for (unsigned i = 0; i < s->n; i++)
		if (memcmp(s->k[i].cga, cga, 16) == 0) {
			*out = s->k[i];
			return 1;
		}
	return 0;
}

static void store_commit(struct store *s, const struct hk_ar_out *o)
{
	if (o->op != HK_KEY_INSERT)
		return;
	for (unsigned i = 0; i < s->n; i++)
		if (memcmp(s->k[i].cga, o->key.cga, 16) == 0) {
			s->k[i] = o->key;
			return;
		}
	assert_true(s->n < ARRAY_LEN(s->k));
	s->k[s->n++] = o->key;
}

/* ---- credentials made at test time ---------------------------------------------------------- */

static EVP_PKEY *rsa(unsigned bits)
{
	EVP_PKEY *k = EVP_RSA_gen(bits);
	assert_non_null(k);
	return k;
}

/* A CGA (Sec 1) for key under prefix (8 octets), as send credentials. */
static void cga_creds(struct send_creds *c, EVP_PKEY *key, const uint8_t prefix[8])
{
	uint8_t der[1024], params[1200];
	struct cga_gen_req req = { 0 };
	struct cga_gen_res res;
	size_t n = cga_pubkey_der(key, der, sizeof(der));

	assert_true(n > 0);
	req.pubkey = der;
	req.pubkey_len = n;
	memcpy(req.prefix, prefix, 8);
	req.sec = 1;
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
	assert_int_equal(send_creds_set(c, key, params, res.params_len), SEND_R_OK);
	assert_memory_equal(c->addr, res.addr, 16);
}

/* A certificate for key (self-issued: hk_mn_set_router takes the validated certificate; path
 * validation itself is lib/send's and is tested there). */
static X509 *cert_for(EVP_PKEY *key)
{
	X509 *x = X509_new();
	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"ar", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	return x;
}

static const uint8_t prefix_2003[8] = { 0x20, 0x03 };
static const uint8_t prefix_fe80[8] = { 0xfe, 0x80 };

struct world {
	struct send_cfg send;
	struct mac_cfg mac;
	struct mac_engine *eng;
	struct mac_ctx *mctx;
	EVP_PKEY *ar_key, *mn_key;
	struct send_creds ar, mn;
	X509 *ar_cert;
	struct hk_ap ap;
	struct hk_ar_cfg arc;
	struct hk_ar_state st;
	struct store store;
	struct hk_ks {
		struct hk_keystore ks;
	} ks;
	struct hk_mn_cfg mnc;
	struct hk_mn m;
	unsigned bits;
};

static struct world *world_new(unsigned bits)
{
	struct world *w = calloc(1, sizeof(*w));
	assert_non_null(w);
	w->bits = bits;
	send_cfg_default(&w->send);
	mac_cfg_defaults(&w->mac);
	w->mac.backend = MAC_BACKEND_OPENSSL; /* the fast path's backend is lib/mac's to test */
	assert_int_equal(mac_engine_create(&w->mac, &w->eng), 0);
	w->mctx = mac_ctx_create(w->eng);
	assert_non_null(w->mctx);

	w->ar_key = rsa(bits);
	w->mn_key = rsa(bits);
	cga_creds(&w->ar, w->ar_key, prefix_fe80);
	cga_creds(&w->mn, w->mn_key, prefix_2003);
	w->ar_cert = cert_for(w->ar_key);

	memcpy(w->ap.ap_lla, ap_lla, 6);
	w->ap.kind = HK_AP_NAR;
	memcpy(w->ap.nar_lla, nar_lla, 6);
	memcpy(w->ap.nar_addr, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2, [15] = 1 }, 16);
	memcpy(w->ap.nar_prefix, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2 }, 16);
	w->ap.nar_prefix_len = 64;

	hk_ar_cfg_defaults(&w->arc);
	w->arc.send = &w->send;
	w->arc.creds = &w->ar;
	w->arc.mac = &w->mac;
	w->arc.lla = ar_lla;
	w->arc.aps = &w->ap;
	w->arc.n_aps = 1;
	w->st.replay = send_replay_new(&w->send);
	assert_non_null(w->st.replay);
	w->ks.ks.ctx = &w->store;
	w->ks.ks.find = store_find;

	hk_mn_cfg_defaults(&w->mnc);
	w->mnc.send = &w->send;
	w->mnc.creds = &w->mn;
	w->mnc.mac = &w->mac;
	assert_int_equal(hk_mn_init(&w->m, &w->mnc), HK_R_OK);
	assert_int_equal(hk_mn_set_router(&w->m, w->ar.addr, w->ar_cert), HK_R_OK);
	return w;
}

static void world_free(struct world *w)
{
	hk_mn_free(&w->m);
	send_replay_free(w->st.replay);
	send_creds_free(&w->ar);
	send_creds_free(&w->mn);
	X509_free(w->ar_cert);
	EVP_PKEY_free(w->ar_key);
	EVP_PKEY_free(w->mn_key);
	mac_ctx_destroy(w->mctx);
	mac_engine_destroy(w->eng);
	free(w);
}

static size_t mn_solicit(struct world *w, int at, uint64_t now, uint8_t *pkt, size_t cap)
{
	const uint8_t(*aps)[6] = &ap_lla;
	struct hk_rtsolpr_spec s = {
		.dst = w->ar.addr, .src_lla = ar_lla, .new_aps = aps, .n_new_aps = 1, .at = at
	};
	size_t len = 0;
	assert_int_equal(hk_mn_rtsolpr(&w->m, &s, now, pkt, cap, &len), HK_R_OK);
	return len;
}

/* The handover-key options of a packet (to check what a reply does or does not carry). */
static void reply_opts(const uint8_t *pkt, size_t len, struct wire_send_opts *so,
		       struct wire_frame *f)
{
	assert_int_equal(wire_decode_frame(pkt, len, WIRE_LINK_RAW6, f), WIRE_OK);
	assert_int_equal(f->msg, WIRE_MSG_PRRTADV);
	assert_int_equal(wire_send_opts_collect(&f->icmp, 8, so), WIRE_OK);
}

/* Recompute the ICMPv6 checksum of a decoded packet after a test changed its bytes. */
static void icmp_csum_fix(uint8_t *pkt, const struct wire_frame *f, size_t l4_len)
{
	uint16_t c = wire_l4_csum(f->ip.src, f->ip.dst, 58, pkt + f->ip.l4_off, l4_len, 2);
	pkt[f->ip.l4_off + 2] = (uint8_t)(c >> 8);
	pkt[f->ip.l4_off + 3] = (uint8_t)c;
}

/* Cut the RSA Signature option (and what follows) off a SEND message: an unsigned copy. */
static size_t cut_signature(uint8_t *pkt, const struct wire_frame *f,
			    const struct wire_send_opts *so)
{
	size_t cut = f->ip.l4_off + so->sig_off;
	pkt[4] = (uint8_t)((cut - 40) >> 8);
	pkt[5] = (uint8_t)(cut - 40);
	icmp_csum_fix(pkt, f, so->sig_off);
	return cut;
}

/* ---- the round trip ------------------------------------------------------------------------ */

static void round_trip(unsigned bits, uint8_t at)
{
	struct world *w = world_new(bits);
	uint8_t sol[HK_PKT_MAX], pkt[512];
	struct hk_ar_out *out = malloc(sizeof(*out));
	struct hk_mn_key got;
	uint64_t now = TS(T0);
	size_t n;

	n = mn_solicit(w, at, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + 100, out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	assert_int_equal(out->key.at, at);
	assert_int_equal(out->key.key_len, at == 0 ? 20 : 32); /* A9 */
	assert_memory_equal(out->key.cga, w->mn.addr, 16);
	assert_memory_equal(out->dst, w->mn.addr, 16);
	assert_int_equal(out->key.lifetime, HK_LIFETIME_DEFAULT);
	assert_true(out->len > 0);
	store_commit(&w->store, out);

	/* the PrRtAdv: from the router's link-local CGA, Hop Limit 255, Code 0 with the NAR's
	 * information, the echoed Nonce, HK-LIFETIME */
	struct wire_frame f;
	struct wire_send_opts so;
	struct wire_opt_hkrep hr;
	reply_opts(out->pkt, out->len, &so, &f);
	assert_memory_equal(f.ip.src, w->ar.addr, 16);
	assert_int_equal(f.ip.hlim, 255);
	assert_int_equal(f.nd.fmip.code, 0);
	assert_true(so.has_nonce && so.has_hkrep && so.has_timestamp && so.has_cga &&
		    so.has_rsasig);
	assert_int_equal(wire_opt_hkrep_decode(&so.hkrep, &hr), WIRE_OK);
	assert_int_equal(hr.lifetime, HK_LIFETIME_DEFAULT);
	assert_int_equal(hr.at, at);
	assert_int_equal(hr.enc_len, bits / 8);

	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now + 200, &got), HK_R_OK);
	assert_int_equal(got.at, at);
	assert_int_equal(got.key_len, out->key.key_len);
	assert_memory_equal(got.key, out->key.key, got.key_len);
	assert_memory_equal(got.ar, w->ar.addr, 16);
	assert_non_null(hk_mn_key_find(&w->m, w->ar.addr, now + 200));

	/* FBU from the PAR's link, verified with the AR's copy of the key (lib/mac) */
	static const uint8_t par[16] = { 0x20, 3, [15] = 1 };
	uint8_t ncoa[16];
	memcpy(ncoa, w->mn.addr, 16);
	ncoa[7] = 2;
	struct hk_fbu_spec fs = { .pcoa = w->mn.addr,
				  .ncoa = ncoa,
				  .par = par,
				  .ar = w->ar.addr,
				  .from_par_link = true,
				  .seq = 7,
				  .lifetime = 30 };
	assert_int_equal(hk_mn_fbu(&w->m, w->mctx, w->eng, &fs, now + 300, pkt, sizeof(pkt), &n),
			 HK_R_OK);
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FBU);
	/* RFC 5269 §3.4: the key is that of the previous care-of CGA: no key for another HAO */
	struct hk_fbu_spec other = fs;
	other.pcoa = ncoa;
	size_t n2;
	uint8_t pkt2[512];
	assert_int_equal(
	    hk_mn_fbu(&w->m, w->mctx, w->eng, &other, now + 300, pkt2, sizeof(pkt2), &n2),
	    HK_R_NO_KEY);
	struct wire_mac_input in;
	struct mac_key mk;
	struct mac_job job;
	uint64_t ok = 0;
	assert_int_equal(wire_mac_input(&f.ip, &f.mh, &in), WIRE_OK);
	assert_int_equal(mac_key_init(w->eng, &mk, out->key.at, out->key.key, out->key.key_len), 0);
	mac_job_from_input(&job, &mk, &in);
	assert_int_equal(mac_verify_burst(w->mctx, &job, 1, &ok), 1);

	struct hk_fbu_policy pol;
	struct hk_fbu_info info;
	hk_fbu_policy_defaults(&pol);
	assert_int_equal(hk_fbu_check(&pol, &f, out->key.cga, &info), HK_R_OK);
	assert_memory_equal(info.pcoa, w->mn.addr, 16);
	assert_memory_equal(info.ncoa, ncoa, 16);
	assert_memory_equal(info.par, par, 16);
	assert_true(info.from_par_link);
	assert_int_equal(info.lifetime, 30);

	/* FBack from the PAR, checked by the MN with its key */
	assert_int_equal(hk_fback_build(w->mctx, &mk, &pol, &info, 0, NULL, pkt, sizeof(pkt), &n),
			 HK_R_OK);
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FBACK);
	assert_int_equal(f.mh.u.fback.seq, 7);
	assert_int_equal(f.mh.u.fback.lifetime, 30);
	assert_memory_equal(f.ip.dst, ncoa, 16);
	assert_int_equal(hk_mn_fback_check(&w->m, w->mctx, w->eng, w->ar.addr, pkt, n, now + 300),
			 HK_R_OK);
	pkt[n - 1] ^= 1; /* authenticator (last octet, A20) */
	assert_int_not_equal(
	    hk_mn_fback_check(&w->m, w->mctx, w->eng, w->ar.addr, pkt, n, now + 300), HK_R_OK);
	mac_key_clear(&mk);
	free(out);
	world_free(w);
}

static void test_round_trip_at0_1024(void **s)
{
	(void)s;
	round_trip(1024, 0);
}
static void test_round_trip_at1_1024(void **s)
{
	(void)s;
	round_trip(1024, 1);
}
static void test_round_trip_at0_2048(void **s)
{
	(void)s;
	round_trip(2048, 0);
}
static void test_round_trip_at1_2048(void **s)
{
	(void)s;
	round_trip(2048, 1);
}

/* ---- §3.2 failure paths -------------------------------------------------------------------- */

static void test_unverified_no_key_no_state(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));
	struct wire_frame f;
	struct wire_send_opts so;

	/* a key already provisioned for this CGA must survive the attack untouched */
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	store_commit(&w->store, out);
	struct hk_key before = w->store.k[0];
	n = mn_solicit(w, 1, now + TS(1), sol, sizeof(sol));

	/* flip the AT nibble of the HK Request (covered by the signature), fix the checksum */
	assert_int_equal(wire_decode_frame(sol, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &so), WIRE_OK);
	size_t at_off = f.ip.l4_off + so.hkreq.off + 3;
	sol[at_off] ^= 0x30;
	icmp_csum_fix(sol, &f, f.ip.l4_len);

	w->store.finds = 0;
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_SIG);
	assert_int_equal(out->op, HK_KEY_NONE);
	assert_int_equal(w->store.finds, 0); /* the table was not even consulted (§5) */
	assert_int_equal(w->store.n, 1);
	assert_memory_equal(&w->store.k[0], &before, sizeof(before));
	/* A19: still answered, signed, with neither a Handover Key Reply nor a Nonce */
	assert_true(out->len > 0);
	reply_opts(out->pkt, out->len, &so, &f);
	assert_false(so.has_hkrep);
	assert_false(so.has_nonce);
	assert_true(so.has_rsasig && so.has_cga && so.has_timestamp);

	/* A19 replies are rate-limited: failure_reply_rate per second */
	unsigned sent = 1, suppressed = 0;
	for (unsigned i = 0; i < 2 * w->arc.failure_reply_rate; i++) {
		hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out);
		assert_int_equal(out->reason, HK_R_SEND);
		sent += out->len > 0;
		suppressed += out->suppressed;
	}
	assert_int_equal(sent, w->arc.failure_reply_rate);
	assert_int_equal(suppressed, w->arc.failure_reply_rate + 1);
	free(out);
	world_free(w);
}

static void test_unsigned_and_other_key(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));
	struct wire_frame f;
	struct wire_send_opts so;

	/* unsigned: cut the RSA Signature option off */
	assert_int_equal(wire_decode_frame(sol, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &so), WIRE_OK);
	size_t cut = cut_signature(sol, &f, &so);
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, cut, now, out), HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_NO_RSASIG);
	assert_int_equal(out->op, HK_KEY_NONE);
	assert_int_equal(w->store.n, 0);

	/* signed by another key: the MN's CGA parameters, but a different private key */
	EVP_PKEY *other = rsa(1024);
	struct send_creds forged = w->mn;
	forged.key = other;
	w->mnc.creds = &forged;
	w->m.cfg.creds = &forged;
	n = mn_solicit(w, 0, now, sol, sizeof(sol));
	w->m.cfg.creds = &w->mn;
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_SIG);
	assert_int_equal(out->op, HK_KEY_NONE);
	assert_int_equal(w->store.n, 0);
	EVP_PKEY_free(other);
	free(out);
	world_free(w);
}

static void test_known_cga_existing_key_new_cga_new_key(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	struct hk_mn_key k1, k2;
	uint64_t now = TS(T0);
	size_t n;

	n = mn_solicit(w, 0, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	store_commit(&w->store, out);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, &k1), HK_R_OK);

	/* the same CGA asks again (preferring AT 1 now): the existing key, its recorded AT and
	 * what is left of its lifetime */
	n = mn_solicit(w, 1, now + TS(100), sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(100), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_EXISTING);
	assert_int_equal(out->key.at, 0);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now + TS(100), &k2), HK_R_OK);
	assert_int_equal(k2.key_len, k1.key_len);
	assert_memory_equal(k2.key, k1.key, k1.key_len);
	assert_int_equal(k2.at, 0);
	assert_int_equal(k2.lifetime, HK_LIFETIME_DEFAULT - 100);
	assert_int_equal(w->store.n, 1);

	/* a new CGA (another MN): a new, different key */
	struct world *w2 = world_new(1024);
	hk_mn_set_router(&w2->m, w->ar.addr, w->ar_cert);
	n = mn_solicit(w2, 0, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(101), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	assert_memory_not_equal(out->key.key, k1.key, k1.key_len);
	store_commit(&w->store, out);
	assert_int_equal(w->store.n, 2);
	free(out);
	world_free(w2);
	world_free(w);
}

/* Swap the MN's current encryption key pair for one of another size (A10). */
static void enc_key_of_size(struct world *w, unsigned bits)
{
	EVP_PKEY *k = rsa(bits);
	EVP_PKEY_free(w->m.enc[0].key);
	w->m.enc[0].key = k;
	w->m.enc[0].spki_len = cga_pubkey_der(k, w->m.enc[0].spki, sizeof(w->m.enc[0].spki));
	assert_true(w->m.enc[0].spki_len > 0);
}

static void test_enc_key_other_size_refused(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	struct wire_frame f;
	struct wire_send_opts so;

	assert_int_equal(hk_mn_rotate(&w->m, now), HK_R_OK);
	enc_key_of_size(w, 2048);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_ENC_KEY);
	assert_int_equal(out->op, HK_KEY_NONE);
	assert_int_equal(w->store.n, 0);
	/* answered (verified: with the Nonce) but without a Handover Key Reply */
	reply_opts(out->pkt, out->len, &so, &f);
	assert_false(so.has_hkrep);
	assert_true(so.has_nonce);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NO_HKREP);
	free(out);
	world_free(w);
}

static void test_replayed_rtsolpr_refused(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));

	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	store_commit(&w->store, out);
	/* the same bytes (same nonce and timestamp) a second later */
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_TS_REPLAY);
	assert_int_equal(out->op, HK_KEY_NONE);
	/* ... and after TIMESTAMP_DELTA the timestamp window refuses it */
	assert_int_equal(
	    hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(w->send.ts_delta + 10), out),
	    HK_R_SEND);
	assert_int_not_equal(out->send_reason, SEND_R_OK);
	/* a fresh solicitation from the same MN is served */
	n = mn_solicit(w, 0, now + TS(2), sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(2), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_EXISTING);
	free(out);
	world_free(w);
}

/* An RtSolPr signed by the MN with a chosen nonce and timestamp (a retransmission keeps its
 * nonce, RFC 5568 §6.1.1). */
static size_t rtsolpr_with(struct world *w, const uint8_t nonce[14], uint64_t ts, uint8_t *pkt,
			   size_t cap)
{
	struct wire_buf b = wire_buf_make(pkt, cap);
	struct send_sign_opts so = { .timestamp = ts, .nonce = nonce, .nonce_len = 14 };
	size_t ip6 = wire_build_ip6(&b, w->mn.addr, w->ar.addr, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_fmip(&b, WIRE_FMIP_RTSOLPR, 0, 77);

	assert_int_equal(hk_mn_rotate(&w->m, ts), HK_R_OK);
	wire_put_opt_lla(&b, WIRE_LLA_NEW_AP, ap_lla, 6);
	send_put_opts(&b, &w->mn, &so);
	wire_put_opt_hkreq(&b, 0, w->m.enc[0].spki, w->m.enc[0].spki_len);
	assert_int_equal(send_sign_finish(&b, &w->mn, ip6, icmp), SEND_R_OK);
	return b.len;
}

static void test_retransmission_served_copy_refused(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	static const uint8_t nonce[14] = { 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	uint64_t now = TS(T0);
	size_t n;

	n = rtsolpr_with(w, nonce, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	store_commit(&w->store, out);
	/* the same nonce, signed again a second later: a retransmission, served */
	n = rtsolpr_with(w, nonce, now + TS(1), sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_EXISTING);
	/* a copy of it, or of the first one with an older timestamp: refused */
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(2), out),
			 HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_TS_REPLAY);
	n = rtsolpr_with(w, nonce, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(2), out),
			 HK_R_SEND);
	/* an expired record is no key: a new one is made (A13) */
	w->store.k[0].issued -= HK_LIFETIME_DEFAULT;
	n = mn_solicit(w, 0, now + TS(3), sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(3), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	free(out);
	world_free(w);
}

static void test_hop_limit_and_malformed(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));

	sol[7] = 64; /* A7: Hop Limit must be 255 */
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_SEND);
	assert_int_equal(out->send_reason, SEND_R_HOP_LIMIT);
	assert_int_equal(out->len, 0); /* off-link: no reply at all (no amplifier) */
	sol[7] = 255;
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n - 1, now, out),
			 HK_R_MALFORMED);
	assert_int_equal(out->len, 0); /* silently discarded */
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, ref_fbu_at0_fback_ipv6,
				       ref_fbu_at0_fback_ipv6_len, now, out),
			 HK_R_NOT_RTSOLPR);
	/* RFC 5568 §6.1.1: an RtSolPr has Code 0 */
	struct wire_frame f;
	assert_int_equal(wire_decode_frame(sol, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	sol[f.ip.l4_off + 1] = 1;
	icmp_csum_fix(sol, &f, f.ip.l4_len);
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out),
			 HK_R_MALFORMED);
	assert_int_equal(out->len, 0);
	free(out);
	world_free(w);
}

/* The PrRtAdv fits the link MTU: AP tuples that do not fit are left out, Code 3. */
static void test_prrtadv_fits_mtu(void **state)
{
	(void)state;
	struct world *w = world_new(2048);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	struct hk_ap aps[20];
	uint64_t now = TS(T0);
	struct hk_rtsolpr_spec s = { .dst = w->ar.addr, .at = 0 }; /* wildcard: every AP */
	size_t n;
	struct wire_frame f;

	for (unsigned i = 0; i < 20; i++) {
		aps[i] = w->ap;
		aps[i].ap_lla[5] = (uint8_t)i;
	}
	w->arc.aps = aps;
	w->arc.n_aps = 20;
	assert_int_equal(hk_mn_rtsolpr(&w->m, &s, now, sol, sizeof(sol), &n), HK_R_OK);
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	assert_true(out->len <= 1500);
	assert_true(out->len > 1500 - 80); /* filled up to what fits */
	assert_int_equal(wire_decode_frame(out->pkt, out->len, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.nd.fmip.code, 3);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_OK);
	store_commit(&w->store, out);
	/* a 1280-octet link gets fewer tuples, still a key */
	w->arc.mtu = 1280;
	assert_int_equal(hk_mn_rtsolpr(&w->m, &s, now + TS(1), sol, sizeof(sol), &n), HK_R_OK);
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_OK);
	assert_true(out->len <= 1280);
	assert_int_equal(out->op, HK_KEY_EXISTING);
	free(out);
	world_free(w);
}

/* RFC 5568 §6.1.2: Code 0 when every AP asked is known with NAR information, 2 when none is,
 * 3 for a subset; the per-AP Option-Codes say why; the wildcard asks for every AP known. */
static void test_prrtadv_codes(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	static const uint8_t unknown_ap[6] = { 2, 0, 0, 0, 0, 0xcc };
	const uint8_t both[2][6] = { { 2, 0, 0, 0, 0, 0xaa }, { 2, 0, 0, 0, 0, 0xcc } };
	struct {
		const uint8_t (*aps)[6];
		unsigned n;
		uint8_t code;
		unsigned n_lla;	   /* LLA options in the reply, the source LLA included */
		uint8_t last_code; /* Option-Code of the last LLA option */
	} cases[] = {
		{ &unknown_ap, 1, 2, 2, WIRE_LLA_NO_PREFIX },
		{ both, 2, 3, 4, WIRE_LLA_NO_PREFIX },
		{ NULL, 0, 0, 3, WIRE_LLA_NAR }, /* wildcard: the one known AP */
	};
	for (unsigned i = 0; i < ARRAY_LEN(cases); i++) {
		struct hk_rtsolpr_spec s = {
			.dst = w->ar.addr, .new_aps = cases[i].aps, .n_new_aps = cases[i].n, .at = 0
		};
		size_t n;
		struct wire_frame f;
		struct wire_ndopt_iter it;
		struct wire_ndopt o;
		unsigned n_lla = 0;
		uint8_t last = 0xff;

		assert_int_equal(hk_mn_rtsolpr(&w->m, &s, now + TS(i), sol, sizeof(sol), &n),
				 HK_R_OK);
		assert_int_equal(
		    hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(i), out), HK_R_OK);
		assert_int_equal(wire_decode_frame(out->pkt, out->len, WIRE_LINK_RAW6, &f),
				 WIRE_OK);
		assert_int_equal(f.nd.fmip.code, cases[i].code);
		wire_ndopt_iter_init(&it, &f.icmp, 8);
		while (wire_ndopt_next(&it, &o) == 1) {
			struct wire_opt_lla l;
			if (o.type != WIRE_ND_FMIP_LLA)
				continue;
			assert_int_equal(wire_opt_lla_decode(&o, &l), WIRE_OK);
			n_lla++;
			last = l.code;
		}
		assert_int_equal(n_lla, cases[i].n_lla);
		assert_int_equal(last, cases[i].last_code);
	}
	free(out);
	world_free(w);
}

/* ---- §3.3 on the MN side ------------------------------------------------------------------- */

static void test_mn_drops_bad_prrtadv(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX], pkt[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));
	struct wire_frame f;

	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);

	/* forged: a byte of the encrypted key changed (checksum fixed) */
	memcpy(pkt, out->pkt, out->len);
	struct wire_send_opts so;
	reply_opts(pkt, out->len, &so, &f);
	pkt[f.ip.l4_off + so.hkrep.off + 10] ^= 1;
	icmp_csum_fix(pkt, &f, f.ip.l4_len);
	assert_int_equal(hk_mn_prrtadv(&w->m, pkt, out->len, now, NULL), HK_R_SEND);

	/* unsigned: the signature option cut off */
	memcpy(pkt, out->pkt, out->len);
	size_t cut = cut_signature(pkt, &f, &so);
	assert_int_equal(hk_mn_prrtadv(&w->m, pkt, cut, now, NULL), HK_R_SEND);

	/* signed by a key that is not the router's certified key: an AR with the same
	 * link-local address is impossible (CGA), so give the MN another certificate */
	EVP_PKEY *other = rsa(1024);
	X509 *oc = cert_for(other);
	assert_int_equal(hk_mn_set_router(&w->m, w->ar.addr, oc), HK_R_OK);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_SEND);
	assert_int_equal(hk_mn_set_router(&w->m, w->ar.addr, w->ar_cert), HK_R_OK);
	X509_free(oc);
	EVP_PKEY_free(other);

	/* an unknown router: the path must be fetched first (CPS/CPA) */
	struct world *w2 = world_new(1024);
	n = mn_solicit(w, 0, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w2->arc, &w2->st, &w2->ks.ks, sol, n, now, out), HK_R_OK);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NEED_PATH);
	/* not addressed to this node: w2's MN did not solicit it */
	assert_int_equal(hk_mn_prrtadv(&w2->m, out->pkt, out->len, now, NULL), HK_R_NOT_FOR_US);
	assert_int_equal(hk_mn_set_router(&w->m, w2->ar.addr, w2->ar_cert), HK_R_OK);
	/* the right reply against altered solicitation state: another nonce, another
	 * Identifier (RFC 5568 §6.1.2), or a solicitation no longer recent (RFC 3971 §5.3.4.1) */
	for (unsigned i = 0; i < HK_MN_PENDING; i++)
		w->m.pending[i].nonce[0] ^= 1;
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NONCE);
	for (unsigned i = 0; i < HK_MN_PENDING; i++) {
		w->m.pending[i].nonce[0] ^= 1;
		w->m.pending[i].identifier++;
	}
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NONCE);
	for (unsigned i = 0; i < HK_MN_PENDING; i++)
		w->m.pending[i].identifier--;
	assert_int_equal(
	    hk_mn_prrtadv(&w->m, out->pkt, out->len, now + TS(w->send.ts_delta + 1), NULL),
	    HK_R_NONCE);
	/* forgotten: even the right time now finds nothing */
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NONCE);
	world_free(w2);

	/* the genuine one still works, once */
	n = mn_solicit(w, 0, now, sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_OK);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_OK);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NONCE);
	free(out);
	world_free(w);
}

/* RFC 5269 §3.3: a reply whose AT the MN does not support is not used. */
static void test_mn_refuses_unsupported_at(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	struct mac_cfg mn_mac = w->mac;
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 1, now, sol, sizeof(sol));

	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	assert_int_equal(out->key.at, 1);
	mn_mac.at[1].alg = MAC_ALG_NONE; /* this MN knows only AT 0 */
	w->m.cfg.mac = &mn_mac;
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_NO_AT);
	assert_null(hk_mn_key_find(&w->m, w->ar.addr, now));
	w->m.cfg.mac = &w->mac;
	free(out);
	world_free(w);
}

/* A8 / RFC 5269 §3.6: a key is unique per CGA public key: the same address with another
 * public key (as the table records it) gets a new key, never the old one. */
static void test_same_cga_other_public_key(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));
	uint8_t first[HK_KEY_MAX];

	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	store_commit(&w->store, out);
	memcpy(first, out->key.key, out->key.key_len);
	w->store.k[0].pk_sha1[0] ^= 1;
	n = mn_solicit(w, 0, now + TS(1), sol, sizeof(sol));
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now + TS(1), out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	assert_memory_not_equal(out->key.key, first, out->key.key_len);
	free(out);
	world_free(w);
}

static void test_hkepk_rotation(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint64_t now = TS(T0);
	uint8_t spki[1024];
	size_t len;

	assert_int_equal(hk_mn_rotate(&w->m, now), HK_R_OK);
	memcpy(spki, w->m.enc[0].spki, len = w->m.enc[0].spki_len);
	/* 9 handovers: kept; the 10th (HKEPK-HANDOVERS) retires it */
	for (unsigned i = 0; i < HKEPK_HANDOVERS_DEFAULT - 1; i++)
		hk_mn_handover_done(&w->m);
	assert_int_equal(hk_mn_rotate(&w->m, now + TS(1)), HK_R_OK);
	assert_memory_equal(w->m.enc[0].spki, spki, len);
	hk_mn_handover_done(&w->m);
	assert_int_equal(hk_mn_rotate(&w->m, now + TS(1)), HK_R_OK);
	assert_memory_not_equal(w->m.enc[0].spki, spki, len);
	assert_memory_equal(w->m.enc[1].spki, spki, len); /* kept for outstanding replies */

	/* HKEPK-LIFETIME (12 h) on the injected clock */
	memcpy(spki, w->m.enc[0].spki, len = w->m.enc[0].spki_len);
	uint64_t t1 = now + TS(1);
	assert_int_equal(hk_mn_rotate(&w->m, t1 + TS(HKEPK_LIFETIME_DEFAULT - 1)), HK_R_OK);
	assert_memory_equal(w->m.enc[0].spki, spki, len);
	assert_int_equal(hk_mn_rotate(&w->m, t1 + TS(HKEPK_LIFETIME_DEFAULT)), HK_R_OK);
	assert_memory_not_equal(w->m.enc[0].spki, spki, len);
	world_free(w);
}

static void test_mn_key_lifetime(void **state)
{
	(void)state;
	struct world *w = world_new(1024);
	uint8_t sol[HK_PKT_MAX];
	struct hk_ar_out *out = malloc(sizeof(*out));
	uint64_t now = TS(T0);
	size_t n = mn_solicit(w, 0, now, sol, sizeof(sol));

	w->arc.hk_lifetime = 600;
	assert_int_equal(hk_ar_rtsolpr(&w->arc, &w->st, &w->ks.ks, sol, n, now, out), HK_R_OK);
	assert_int_equal(hk_mn_prrtadv(&w->m, out->pkt, out->len, now, NULL), HK_R_OK);
	assert_false(hk_mn_refresh_due(&w->m, w->ar.addr, now + TS(600 - 61)));
	assert_true(hk_mn_refresh_due(&w->m, w->ar.addr, now + TS(600 - 60)));
	assert_non_null(hk_mn_key_find(&w->m, w->ar.addr, now + TS(599)));
	assert_null(hk_mn_key_find(&w->m, w->ar.addr, now + TS(600))); /* never an old key */
	hk_mn_key_drop(&w->m, w->ar.addr);
	assert_null(hk_mn_key_find(&w->m, w->ar.addr, now));
	free(out);
	world_free(w);
}

/* ---- the published vectors ------------------------------------------------------------------ */

static EVP_PKEY *load_key(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	EVP_PKEY *k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(k);
	return k;
}

static X509 *load_cert(const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	X509 *x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	assert_non_null(x);
	return x;
}

static uint8_t *load_file(const char *name, size_t *len)
{
	char path[512];
	static uint8_t buf[4][1024];
	static unsigned next;
	uint8_t *b = buf[next++ % 4];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	*len = fread(b, 1, 1024, fp);
	fclose(fp);
	return b;
}

/* The shared PrRtAdv (PROTOCOL.md 10.2) decrypts with keys/mn2 to the published key. */
static void test_shared_prrtadv_decrypts(void **state)
{
	(void)state;
	struct send_cfg sc;
	struct mac_cfg mc;
	struct send_creds mn;
	struct hk_mn_cfg cfg;
	struct hk_mn *m = calloc(1, sizeof(*m));
	struct hk_mn_key k;
	size_t plen;
	uint8_t *params = load_file("mn1.cga.params", &plen);
	EVP_PKEY *mn1 = load_key("mn1.key.pem"), *mn2 = load_key("mn2.key.pem");
	X509 *ar1 = load_cert("ar1.cert_ipext.pem"); /* only its public key is used here */
	static const uint8_t nonce[14] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

	send_cfg_default(&sc);
	mac_cfg_defaults(&mc);
	assert_int_equal(send_creds_set(&mn, mn1, params, plen), SEND_R_OK);
	assert_memory_equal(mn.addr, ref_cga_sendd_mn1_address_addr, 16);
	hk_mn_cfg_defaults(&cfg);
	cfg.send = &sc;
	cfg.creds = &mn;
	cfg.mac = &mc;
	assert_int_equal(hk_mn_init(m, &cfg), HK_R_OK);
	assert_int_equal(hk_mn_set_router(m, ref_send_ar_link_local_cga_addr, ar1), HK_R_OK);
	/* the solicitation of 10.1: its nonce, with mn2 as the encryption key */
	m->enc[0].key = mn2;
	m->enc[0].in_use = true;
	m->pending[0].used = true;
	memcpy(m->pending[0].nonce, nonce, 14);
	m->pending[0].enc = 0;
	m->pending[0].identifier = 0x1234;
	m->pending[0].sent = T0;

	assert_int_equal(
	    hk_mn_prrtadv(m, ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, TS(T0) + 1, &k),
	    HK_R_OK);
	assert_int_equal(k.at, 0);
	assert_int_equal(k.lifetime, 43200);
	assert_int_equal(k.key_len, ref_send_handover_key_len);
	assert_memory_equal(k.key, ref_send_handover_key, k.key_len);
	assert_memory_equal(k.ar, ref_send_ar_link_local_cga_addr, 16);

	hk_mn_free(m); /* frees mn2 through enc[0] */
	free(m);
	X509_free(ar1);
	EVP_PKEY_free(mn1);
	send_creds_free(&mn);
}

/* The AR role serves the shared RtSolPr (PROTOCOL.md 10.1): keys/ar1 with its link-local CGA
 * (modifier ...e6d1, Sec 1); the reply decrypts with keys/mn2 and verifies as 10.2 does. */
static void test_ar_serves_shared_rtsolpr(void **state)
{
	(void)state;
	struct send_cfg sc;
	struct mac_cfg mc;
	struct send_creds ar;
	struct hk_ar_cfg cfg;
	struct hk_ar_state st = { 0 };
	struct hk_ar_out *out = malloc(sizeof(*out));
	struct store store = { 0 };
	struct hk_keystore ks = { &store, store_find };
	EVP_PKEY *ar1 = load_key("ar1.key.pem");
	uint8_t der[512], params[600];
	size_t n = cga_pubkey_der(ar1, der, sizeof(der));
	struct cga_gen_req req = { 0 };
	struct cga_gen_res res;
	struct hk_ap ap = { .kind = HK_AP_NAR, .nar_prefix_len = 64 };

	req.pubkey = der;
	req.pubkey_len = n;
	memcpy(req.prefix, prefix_fe80, 8);
	req.sec = 1;
	req.modifier_start = (const uint8_t[16]){ 0 };
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
	assert_memory_equal(res.addr, ref_send_ar_link_local_cga_addr, 16);
	assert_int_equal(send_creds_set(&ar, ar1, params, res.params_len), SEND_R_OK);

	send_cfg_default(&sc);
	mac_cfg_defaults(&mc);
	hk_ar_cfg_defaults(&cfg);
	cfg.send = &sc;
	cfg.creds = &ar;
	cfg.mac = &mc;
	cfg.lla = ar_lla;
	memcpy(ap.ap_lla, ap_lla, 6);
	memcpy(ap.nar_lla, nar_lla, 6);
	memcpy(ap.nar_addr, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2, [15] = 1 }, 16);
	memcpy(ap.nar_prefix, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2 }, 16);
	cfg.aps = &ap;
	cfg.n_aps = 1;
	st.replay = send_replay_new(&sc);

	assert_int_equal(hk_ar_rtsolpr(&cfg, &st, &ks, ref_send_rtsolpr_ipv6,
				       ref_send_rtsolpr_ipv6_len, TS(T0) + 1, out),
			 HK_R_OK);
	assert_int_equal(out->op, HK_KEY_INSERT);
	assert_memory_equal(out->key.cga, ref_cga_sendd_mn1_address_addr, 16);
	assert_int_equal(out->key.at, 0);
	/* the published PrRtAdv has the same length: same options, same sizes */
	assert_int_equal(out->len, ref_send_prrtadv_ipv6_len);
	/* identical but for the checksum up to the encrypted key: header, the FMIPv6 options
	 * (Code 0), CGA, Timestamp (answered 1/65536 s later, as the vector was), Nonce, and
	 * the Handover Key Reply's header with AT 0 and Key Lifetime 43200 (ICMPv6 offset 334) */
	assert_memory_equal(out->pkt, ref_send_prrtadv_ipv6, 40 + 2);
	assert_memory_equal(out->pkt + 44, ref_send_prrtadv_ipv6 + 44, 40 + 334 - 44);

	/* decrypt it as the MN would (mn2's private key) */
	struct wire_frame f;
	struct wire_send_opts so;
	struct wire_opt_hkrep hr;
	reply_opts(out->pkt, out->len, &so, &f);
	assert_int_equal(wire_opt_hkrep_decode(&so.hkrep, &hr), WIRE_OK);
	EVP_PKEY *mn2 = load_key("mn2.key.pem");
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, mn2, NULL);
	uint8_t plain[256];
	size_t plen = sizeof(plain);
	assert_int_equal(EVP_PKEY_decrypt_init(c), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING), 1);
	assert_int_equal(EVP_PKEY_decrypt(c, plain, &plen, hr.enc, hr.enc_len), 1);
	assert_int_equal(plen, 20);
	assert_memory_equal(plain, out->key.key, 20);
	EVP_PKEY_CTX_free(c);
	EVP_PKEY_free(mn2);

	send_replay_free(st.replay);
	send_creds_free(&ar);
	EVP_PKEY_free(ar1);
	free(out);
}

/* ---- FBU checks ----------------------------------------------------------------------------- */

static void test_fbu_checks(void **state)
{
	(void)state;
	struct wire_frame f;
	struct hk_fbu_policy p;
	struct hk_fbu_info info;

	hk_fbu_policy_defaults(&p);
	assert_int_equal(wire_decode_frame(ref_fbu_at0_from_nar_link_ipv6,
					   ref_fbu_at0_from_nar_link_ipv6_len, WIRE_LINK_RAW6, &f),
			 WIRE_OK);
	/* the vector: seq 2, lifetime 10, from the NAR's link (source = NCoA) */
	assert_int_equal(hk_fbu_check(&p, &f, ref_fbu_pcoa_addr, &info), HK_R_OK);
	assert_false(info.from_par_link);
	assert_memory_equal(info.ncoa, ref_fbu_ncoa_addr, 16);
	assert_int_equal(info.lifetime, 10);
	assert_false(info.teardown);
	/* A14 (the caller's rule, wire_mh_seq_newer): the vector's seq 2 against a last of 1, 2,
	 * 3; 2 - 0x8002 = 0x8000: half the space away is not newer; 2 - 0x8003 = 0x7fff is */
	assert_true(wire_mh_seq_newer(1, info.seq));
	assert_false(wire_mh_seq_newer(2, info.seq));
	assert_false(wire_mh_seq_newer(3, info.seq));
	assert_false(wire_mh_seq_newer(0x8002, info.seq));
	assert_true(wire_mh_seq_newer(0x8003, info.seq));
	/* A21: the HAO must be the key's CGA */
	assert_int_equal(hk_fbu_check(&p, &f, ref_fbu_ncoa_addr, &info), HK_R_HAO_MISMATCH);
	/* A4: 4-second units, clamped */
	p.lifetime_4s = true;
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_OK);
	assert_int_equal(info.lifetime, 40);
	p.max_lifetime = 25;
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_OK);
	assert_int_equal(info.lifetime, 25);
	/* RFC 5568 §6.2.2: the A and H flags */
	uint8_t pkt[256];
	memcpy(pkt, ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len);
	pkt[64 + 8] = WIRE_FBU_FLAG_A; /* H cleared (MH at 64, flags at 8) */
	assert_int_equal(wire_mh_seal(pkt, ref_fbu_at0_from_nar_link_ipv6_len, 64, 64 + 20,
				      ref_fbu_at0_from_nar_link_authenticator, 12),
			 WIRE_OK);
	assert_int_equal(
	    wire_decode_frame(pkt, ref_fbu_at0_from_nar_link_ipv6_len, WIRE_LINK_RAW6, &f),
	    WIRE_OK);
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_FLAGS);
	/* from the PAR's link (source = HAO) there must be an Alternate CoA */
	memcpy(pkt, ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len);
	memcpy(pkt + 8, ref_fbu_pcoa_addr, 16);
	assert_int_equal(wire_mh_seal(pkt, ref_fbu_at0_from_nar_link_ipv6_len, 64, 64 + 20,
				      ref_fbu_at0_from_nar_link_authenticator, 12),
			 WIRE_OK);
	assert_int_equal(
	    wire_decode_frame(pkt, ref_fbu_at0_from_nar_link_ipv6_len, WIRE_LINK_RAW6, &f),
	    WIRE_OK);
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_NO_ALTCOA);
	/* from the PAR's link */
	assert_int_equal(wire_decode_frame(ref_fbu_at0_from_par_link_ipv6,
					   ref_fbu_at0_from_par_link_ipv6_len, WIRE_LINK_RAW6, &f),
			 WIRE_OK);
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_OK);
	assert_true(info.from_par_link);
	assert_memory_equal(info.ncoa, ref_fbu_ncoa_addr, 16); /* A2: the Alt-CoA */
	/* an FBack is not an FBU */
	assert_int_equal(wire_decode_frame(ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len,
					   WIRE_LINK_RAW6, &f),
			 WIRE_OK);
	assert_int_equal(hk_fbu_check(&p, &f, NULL, &info), HK_R_NOT_FBU);
	/* sequence arithmetic mod 2^16 (RFC 3775 §9.5.1) */
	assert_true(wire_mh_seq_newer(0xffff, 0));
	assert_false(wire_mh_seq_newer(0, 0xffff));
	assert_false(wire_mh_seq_newer(5, 5));
	assert_true(wire_mh_seq_newer(5, 5 + 0x7fff));
	assert_false(wire_mh_seq_newer(5, 5 + 0x8000));
}

/* The FBack builder reproduces the published FBack (10.5) with the published key. */
static void test_fback_vector(void **state)
{
	(void)state;
	struct mac_cfg mc;
	struct mac_engine *eng;
	struct mac_ctx *ctx;
	struct mac_key mk;
	struct hk_fbu_policy p;
	struct hk_fbu_info info = { .seq = 1, .lifetime = 10 };
	uint8_t pkt[256];
	size_t n;

	mac_cfg_defaults(&mc);
	assert_int_equal(mac_engine_create(&mc, &eng), 0);
	ctx = mac_ctx_create(eng);
	assert_int_equal(mac_key_init(eng, &mk, 0, ref_fbu_at0_key, ref_fbu_at0_key_len), 0);
	hk_fbu_policy_defaults(&p);
	memcpy(info.par, ref_fbu_par_addr, 16);
	memcpy(info.ncoa, ref_fbu_ncoa_addr, 16);
	assert_int_equal(hk_fback_build(ctx, &mk, &p, &info, 0, NULL, pkt, sizeof(pkt), &n),
			 HK_R_OK);
	assert_int_equal(n, ref_fbu_at0_fback_ipv6_len);
	assert_memory_equal(pkt, ref_fbu_at0_fback_ipv6, n);
	/* Status 1 carries the NCoA the NAR assigned, not the MN's rejected one */
	static const uint8_t assigned[16] = { 0x20, 3, 0, 0, 0, 0, 0, 2, [15] = 0x99 };
	struct wire_frame f;
	assert_int_equal(hk_fback_build(ctx, &mk, &p, &info, 1, NULL, pkt, sizeof(pkt), &n),
			 HK_R_INTERNAL);
	assert_int_equal(hk_fback_build(ctx, &mk, &p, &info, 1, assigned, pkt, sizeof(pkt), &n),
			 HK_R_OK);
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.mh.u.fback.status, 1);
	assert_memory_equal(f.mh.altcoa, assigned, 16);
	assert_memory_equal(f.ip.dst, ref_fbu_ncoa_addr, 16);
	/* 4-second units are never rounded up past what was granted (A4) */
	p.lifetime_4s = true;
	info.lifetime = 10;
	assert_int_equal(hk_fback_build(ctx, &mk, &p, &info, 0, NULL, pkt, sizeof(pkt), &n),
			 HK_R_OK);
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.mh.u.fback.lifetime, 2);
	mac_key_clear(&mk);
	mac_ctx_destroy(ctx);
	mac_engine_destroy(eng);
}

static void test_at_resolution(void **state)
{
	(void)state;
	struct mac_cfg mc;
	mac_cfg_defaults(&mc);
	assert_int_equal(hk_at_resolve(&mc, 0), 0);
	assert_int_equal(hk_at_resolve(&mc, 1), 1);
	assert_int_equal(hk_at_resolve(&mc, 9), 1); /* unknown: the strongest enabled (A1) */
	mc.at[1].alg = MAC_ALG_NONE;
	assert_int_equal(hk_at_resolve(&mc, 1), 0);
	mc.at[0].alg = MAC_ALG_NONE;
	assert_int_equal(hk_at_resolve(&mc, 0), -1);
	mac_cfg_defaults(&mc);
	assert_int_equal(hk_at_key_len(&mc, 0), 20);
	assert_int_equal(hk_at_key_len(&mc, 1), 32);
	assert_int_equal(hk_at_key_len(&mc, 2), 0);
	assert_string_equal(hk_strerror(HK_R_STALE_SEQ), "fbu sequence not newer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_at0_1024),
		cmocka_unit_test(test_round_trip_at1_1024),
		cmocka_unit_test(test_round_trip_at0_2048),
		cmocka_unit_test(test_round_trip_at1_2048),
		cmocka_unit_test(test_unverified_no_key_no_state),
		cmocka_unit_test(test_unsigned_and_other_key),
		cmocka_unit_test(test_known_cga_existing_key_new_cga_new_key),
		cmocka_unit_test(test_enc_key_other_size_refused),
		cmocka_unit_test(test_replayed_rtsolpr_refused),
		cmocka_unit_test(test_retransmission_served_copy_refused),
		cmocka_unit_test(test_hop_limit_and_malformed),
		cmocka_unit_test(test_prrtadv_codes),
		cmocka_unit_test(test_prrtadv_fits_mtu),
		cmocka_unit_test(test_mn_drops_bad_prrtadv),
		cmocka_unit_test(test_mn_refuses_unsupported_at),
		cmocka_unit_test(test_same_cga_other_public_key),
		cmocka_unit_test(test_hkepk_rotation),
		cmocka_unit_test(test_mn_key_lifetime),
		cmocka_unit_test(test_shared_prrtadv_decrypts),
		cmocka_unit_test(test_ar_serves_shared_rtsolpr),
		cmocka_unit_test(test_fbu_checks),
		cmocka_unit_test(test_fback_vector),
		cmocka_unit_test(test_at_resolution),
	};
	return cmocka_run_group_tests_name("hk", tests, NULL, NULL);
}
