/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/send against the published SEND vectors (tests/vectors/reference.json: the RtSolPr and
 * PrRtAdv of PROTOCOL.md §10 with their signed data and signature) and the RFC 3971 rules:
 * every covered octet, the Key Hash, the signature and the checksum are protected, options
 * after the signature are ignored, presence rules, key sizes, and the §5.3.4.2 replay formulas
 * at their exact boundaries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "send.h"
#include "reference_vectors.h"

#define KEYS VECTORS_DIR "/keys/"

static const uint8_t ref_nonce[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
#define REF_TS ((uint64_t)1704067200 << 16) /* PROTOCOL.md §10 */

static EVP_PKEY *load_key(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	EVP_PKEY *k;

	assert_non_null(b);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(k);
	return k;
}

static void load_creds(struct send_creds *c, const char *key, const char *params)
{
	char err[256];
	assert_int_equal(send_creds_load(c, key, params, NULL, err, sizeof(err)), SEND_R_OK);
}

static struct send_cfg cfg_raw(void)
{
	struct send_cfg cfg;
	send_cfg_default(&cfg);
	return cfg;
}

/* Decode an IPv6 packet with lib/wire and fill a request from it. */
static int decode(const uint8_t *pkt, size_t len, struct wire_frame *f, struct send_verify_req *req)
{
	int e = wire_decode_frame(pkt, len, WIRE_LINK_RAW6, f);
	if (e == WIRE_OK)
		send_verify_req_from_frame(req, f);
	return e;
}

static int verify_pkt(const struct send_cfg *cfg, const uint8_t *pkt, size_t len,
		      enum send_role role, struct send_verify_res *res)
{
	struct wire_frame f;
	struct send_verify_req req;

	assert_int_equal(decode(pkt, len, &f, &req), WIRE_OK);
	req.role = role;
	if (role == SEND_ADVERTISEMENT) {
		req.expect_nonce = ref_nonce;
		req.expect_nonce_len = sizeof(ref_nonce);
	}
	memset(res, 0, sizeof(*res));
	return send_verify(cfg, &req, res);
}

/* Signing the published signed data with mn1's key gives the published signature. */
static void test_sign_reference(void **state)
{
	struct send_creds c;
	struct wire_seg seg = { ref_send_rtsolpr_signed_data, ref_send_rtsolpr_signed_data_len };
	uint8_t sig[128];

	(void)state;
	load_creds(&c, KEYS "mn1.key.pem", KEYS "mn1.cga.params");
	assert_memory_equal(c.addr, ref_cga_sendd_mn1_address_addr, 16);
	assert_memory_equal(c.key_hash, ref_send_rtsolpr_key_hash, 16);
	assert_int_equal(c.sig_len, ref_send_rtsolpr_signature_len);
	assert_int_equal(send_sign_segs(&c, &seg, 1, sig), SEND_R_OK);
	assert_memory_equal(sig, ref_send_rtsolpr_signature, 128);
	send_creds_free(&c);
}

/* The A5 signed octets of the published RtSolPr are the published signed data. */
static void test_tbs_reference(void **state)
{
	struct wire_frame f;
	struct send_verify_req req;
	struct wire_send_opts o;
	struct wire_send_tbs tbs;
	uint8_t buf[1024];

	(void)state;
	assert_int_equal(decode(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f, &req),
			 WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &o), WIRE_OK);
	assert_int_equal(wire_send_tbs(f.ip.src, f.ip.dst, f.icmp.p, o.sig_off, &tbs), WIRE_OK);
	assert_int_equal(tbs.csum, ref_send_rtsolpr_checksum_in_signed_data);
	assert_int_equal(wire_segs_copy(tbs.seg, 2, buf, sizeof(buf)),
			 ref_send_rtsolpr_signed_data_len);
	assert_memory_equal(buf, ref_send_rtsolpr_signed_data, ref_send_rtsolpr_signed_data_len);
}

static void test_verify_rtsolpr(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;

	(void)state;
	assert_int_equal(verify_pkt(&cfg, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len,
				    SEND_SOLICITATION, &res),
			 SEND_R_OK);
	assert_int_equal(res.sec, 1);
	assert_int_equal(res.key_bits, 1024);
	assert_memory_equal(res.key_hash, ref_send_rtsolpr_key_hash, 16);
	assert_true(res.has_timestamp);
	assert_true(res.timestamp == REF_TS);
	assert_int_equal(res.nonce_len, sizeof(ref_nonce));
	assert_memory_equal(res.nonce, ref_nonce, sizeof(ref_nonce));
	assert_true(res.opts.has_hkreq);
	assert_int_equal(res.opts.sig_off, 432);
}

static void test_verify_prrtadv(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	struct wire_frame f;
	struct send_verify_req req;
	EVP_PKEY *ar = load_key(KEYS "ar1.key.pem"), *mn2 = load_key(KEYS "mn2.key.pem");

	(void)state;
	assert_int_equal(verify_pkt(&cfg, ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len,
				    SEND_ADVERTISEMENT, &res),
			 SEND_R_OK);
	assert_true(res.solicited);
	assert_true(res.timestamp == REF_TS + 1);
	assert_true(res.opts.has_hkrep);

	assert_int_equal(decode(ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, &f, &req),
			 WIRE_OK);
	assert_int_equal(req.role, SEND_ADVERTISEMENT);
	/* no outstanding solicitation with that nonce */
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_NONCE_MISMATCH);
	static const uint8_t other[14] = { 9 };
	req.expect_nonce = other;
	req.expect_nonce_len = sizeof(other);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_NONCE_MISMATCH);
	req.expect_nonce = ref_nonce;
	req.expect_nonce_len = sizeof(ref_nonce);
	/* signed by the router's certified key (ar1), not by another key */
	req.certified = ar;
	req.keep_key = true;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_non_null(res.key);
	assert_int_equal(EVP_PKEY_eq(res.key, ar), 1);
	EVP_PKEY_free(res.key);
	req.certified = mn2;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_NOT_CERTIFIED);
	assert_null(res.key);
	EVP_PKEY_free(ar);
	EVP_PKEY_free(mn2);
}

/* Every covered octet, the Key Hash and the signature are protected; padding is not. */
static void test_mutations(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	const uint8_t *pkts[2] = { ref_send_rtsolpr_ipv6, ref_send_prrtadv_ipv6 };
	const size_t lens[2] = { ref_send_rtsolpr_ipv6_len, ref_send_prrtadv_ipv6_len };

	(void)state;
	cfg.no_hop_limit_check = true; /* mutate the raw ICMPv6 octets directly */
	for (int k = 0; k < 2; k++) {
		enum send_role role = k == 0 ? SEND_SOLICITATION : SEND_ADVERTISEMENT;
		uint8_t *m = malloc(lens[k]);
		struct wire_frame f;
		struct send_verify_req req;

		memcpy(m, pkts[k], lens[k]);
		assert_int_equal(decode(m, lens[k], &f, &req), WIRE_OK);
		req.role = role;
		req.expect_nonce = ref_nonce;
		req.expect_nonce_len = sizeof(ref_nonce);
		assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
		size_t sig_off = res.opts.sig_off, icmp_off = 40;
		size_t sig_end = sig_off + 20 + 128, opt_end = sig_off + res.opts.rsasig.len;

		/* the IPv6 source and destination and every ICMPv6 octet up to the signature's end
		 */
		for (size_t i = 8; i < icmp_off + sig_end; i++) {
			if (i == icmp_off + 2 || i == icmp_off + 3)
				continue; /* the wire checksum: see below */
			if (i == icmp_off + sig_off + 2 || i == icmp_off + sig_off + 3) {
				/* the signature option's own Reserved field is not signed */
				m[i] ^= 0x01;
				assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
				m[i] ^= 0x01;
				continue;
			}
			m[i] ^= 0x01;
			int r = send_verify(&cfg, &req, &res);
			if (r == SEND_R_OK)
				fail_msg("packet %d: octet %zu flipped still verifies", k, i);
			if (i >= icmp_off + sig_off + 4 && i < icmp_off + sig_off + 20)
				assert_int_equal(r, SEND_R_KEY_HASH);
			if (i >= icmp_off + sig_off + 20)
				assert_int_equal(r, SEND_R_SIG);
			m[i] ^= 0x01;
		}
		/* the signature option's padding is not covered */
		for (size_t i = icmp_off + sig_end; i < icmp_off + opt_end; i++) {
			m[i] ^= 0xff;
			assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
			m[i] ^= 0xff;
		}
		/* the wire checksum is lib/wire's to check; the signed data has its own */
		m[42] ^= 0x01;
		assert_int_equal(wire_decode_frame(m, lens[k], WIRE_LINK_RAW6, &f),
				 WIRE_E_BAD_CHECKSUM);
		assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
		m[42] ^= 0x01;
		assert_int_equal(wire_decode_frame(m, lens[k], WIRE_LINK_RAW6, &f), WIRE_OK);
		free(m);
	}
}

/* Options after the first RSA Signature option are ignored (§5.2.2). */
static void test_after_signature(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	size_t len = ref_send_rtsolpr_ipv6_len;
	uint8_t *m = malloc(len + 200);
	struct wire_buf w;
	struct wire_frame f;
	struct send_verify_req req;
	static const uint8_t bogus_nonce[6] = { 0xde, 0xad, 0xbe, 0xef, 0, 0 };

	(void)state;
	memcpy(m, ref_send_rtsolpr_ipv6, len);
	w = wire_buf_make(m, len + 200);
	w.len = len;
	/* a second CGA, Nonce and Timestamp and an unknown option after the signature */
	wire_put_opt_nonce(&w, bogus_nonce, sizeof(bogus_nonce));
	wire_put_opt_timestamp(&w, 1);
	wire_put_opt_cga(&w, m + 40 + 40 + 4, 60);
	uint8_t unk[8] = { 200, 1 };
	wire_put_bytes(&w, unk, sizeof(unk));
	assert_int_equal(w.err, WIRE_OK);
	assert_int_equal(wire_ip6_finish(&w, 0), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, 0, 40), WIRE_OK);
	assert_int_equal(decode(m, w.len, &f, &req), WIRE_OK);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_memory_equal(res.nonce, ref_nonce, sizeof(ref_nonce));
	assert_true(res.timestamp == REF_TS);
	free(m);
}

/* Build an RtSolPr like PROTOCOL.md §10 with lib/send's signer. */
struct build {
	bool no_cga, no_ts, no_nonce, no_sig;
	uint8_t hlim;
	uint64_t ts;
};

static size_t build_rtsolpr(const struct send_creds *c, const struct build *b, uint8_t *out,
			    size_t cap)
{
	static const uint8_t dst[16] = { 0xff, 0x02, [15] = 2 };
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 1 };
	struct wire_buf w = wire_buf_make(out, cap);
	struct send_sign_opts o = {
		.no_cga = b->no_cga,
		.no_timestamp = b->no_ts,
		.timestamp = b->ts ? b->ts : REF_TS,
		.nonce = b->no_nonce ? NULL : ref_nonce,
		.nonce_len = sizeof(ref_nonce),
	};
	size_t ip = wire_build_ip6(&w, c->addr, dst, WIRE_NH_ICMPV6, b->hlim ? b->hlim : 255);
	size_t icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 0x1234);

	wire_put_opt_lla(&w, WIRE_LLA_SOURCE, lla, sizeof(lla));
	send_put_opts(&w, c, &o);
	if (b->no_sig) {
		assert_int_equal(wire_ip6_finish(&w, ip), WIRE_OK);
		assert_int_equal(wire_icmp6_finish(&w, ip, icmp), WIRE_OK);
	} else {
		assert_int_equal(send_sign_finish(&w, c, ip, icmp), SEND_R_OK);
	}
	assert_int_equal(w.err, WIRE_OK);
	return w.len;
}

static void test_presence_rules(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	struct send_creds c;
	uint8_t pkt[1280];
	size_t n;

	(void)state;
	load_creds(&c, KEYS "mn1.key.pem", KEYS "mn1.cga.params");
	struct {
		struct build b;
		int want;
	} cases[] = {
		{ { 0 }, SEND_R_OK },
		{ { .no_nonce = true }, SEND_R_NO_NONCE },
		{ { .no_ts = true }, SEND_R_NO_TIMESTAMP },
		{ { .no_ts = true, .no_nonce = true }, SEND_R_UNSECURED },
		{ { .no_cga = true }, SEND_R_NO_CGA },
		{ { .no_sig = true }, SEND_R_NO_RSASIG },
		{ { .no_sig = true, .no_cga = true }, SEND_R_UNSECURED },
		{ { .hlim = 64 }, SEND_R_HOP_LIMIT },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = build_rtsolpr(&c, &cases[i].b, pkt, sizeof(pkt));
		int r = verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res);
		if (r != cases[i].want)
			fail_msg("case %zu: %s, want %s", i, send_strerror(r),
				 send_strerror(cases[i].want));
	}
	/* A6 switch: nonce-only solicitations */
	cfg.accept_nonce_only = true;
	n = build_rtsolpr(&c, &(struct build){ .no_ts = true }, pkt, sizeof(pkt));
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_OK);
	assert_false(res.has_timestamp);
	/* ...but an advertisement still needs its timestamp */
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_ADVERTISEMENT, &res), SEND_R_NO_TIMESTAMP);

	/* the packet we built verifies the way the reference does, and is the reference's size */
	cfg = cfg_raw();
	n = build_rtsolpr(&c, &(struct build){ 0 }, pkt, sizeof(pkt));
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_OK);
	assert_int_equal(res.opts.rsasig.len, 152); /* RSA-1024: Length 19 (PROTOCOL.md 2.2) */
	/* the claimed address must be the CGA */
	struct wire_frame f;
	struct send_verify_req req;
	assert_int_equal(decode(pkt, n, &f, &req), WIRE_OK);
	req.claimed = ref_cga_sendd_mn2_address_addr;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_CGA);
	assert_int_equal(res.cga_err, CGA_E_HASH1);
	send_creds_free(&c);
}

static EVP_PKEY *gen_rsa(unsigned bits)
{
	EVP_PKEY *k = EVP_RSA_gen(bits);
	assert_non_null(k);
	return k;
}

static void creds_for(struct send_creds *c, EVP_PKEY *k, unsigned sec)
{
	uint8_t der[1024], params[1200];
	size_t n = cga_pubkey_der(k, der, sizeof(der));
	struct cga_gen_req gr = {
		.pubkey = der, .pubkey_len = n, .sec = sec, .prefix = { 0x20, 0x01, 0x0d, 0xb8 }
	};
	struct cga_gen_res gres;

	assert_true(n > 0);
	assert_int_equal(cga_generate(&gr, params, sizeof(params), &gres), CGA_OK);
	assert_int_equal(send_creds_set(c, k, params, gres.params_len), SEND_R_OK);
	/* a Sec 0 CGA whose Hash2 has 16 zero bits by chance is derived as Sec 1: set it */
	assert_int_equal(send_creds_set_addr(c, gres.addr), SEND_R_OK);
	assert_memory_equal(c->addr, gres.addr, 16);
}

static void test_key_sizes(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	struct send_creds c;
	uint8_t pkt[1280];
	size_t n;

	(void)state;
	/* 768 bits: below minbits */
	EVP_PKEY *k768 = gen_rsa(768);
	creds_for(&c, k768, 0);
	n = build_rtsolpr(&c, &(struct build){ 0 }, pkt, sizeof(pkt));
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_KEY_TOO_SMALL);
	cfg.min_bits = 768;
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_OK);
	send_creds_free(&c);
	EVP_PKEY_free(k768);

	/* 2048 bits, Sec 1: fine by default, too large for max 1024 */
	cfg = cfg_raw();
	EVP_PKEY *k2048 = gen_rsa(2048);
	creds_for(&c, k2048, 1);
	assert_int_equal(c.sig_len, 256);
	n = build_rtsolpr(&c, &(struct build){ 0 }, pkt, sizeof(pkt));
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_OK);
	assert_int_equal(res.key_bits, 2048);
	assert_int_equal(res.sec, 1);
	assert_int_equal(res.opts.rsasig.len, 280); /* 4+16+256 = 276 -> 35 units */
	cfg.max_bits = 1024;
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_KEY_TOO_LARGE);
	cfg.max_bits = 2048;
	cfg.min_bits = 2048;
	assert_int_equal(verify_pkt(&cfg, pkt, n, SEND_SOLICITATION, &res), SEND_R_OK);
	send_creds_free(&c);
	EVP_PKEY_free(k2048);
}

/* A signature option with less room than the modulus (A5). */
static void test_sig_short(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_verify_res res;
	struct wire_frame f;
	struct send_verify_req req;
	uint8_t m[1024];

	(void)state;
	memcpy(m, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len);
	assert_int_equal(decode(m, ref_send_rtsolpr_ipv6_len, &f, &req), WIRE_OK);
	/* Length 19 -> 18: 124 octets of room for a 128-octet signature */
	size_t sig_off = 432;
	assert_int_equal(m[40 + sig_off], 12);
	m[40 + sig_off + 1] = 18;
	req.icmp_len -= 8;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_SIG_SHORT);
}

/* RFC 3971 §5.3.4.2 at the exact boundaries (defaults: Delta 300 s, fuzz 1 s, drift 1 %). */
static void test_replay_formulas(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_replay *r = send_replay_new(&cfg);
	const uint64_t S = 1 << 16; /* one second */
	const uint64_t now = (uint64_t)1704067200 * S;
	uint8_t a[16] = { 0x20, 0x01, [15] = 1 }, b[16] = { 0x20, 0x01, [15] = 2 };

	(void)state;
	/* new peer: -Delta < RDnew - TSnew < +Delta, strict */
	assert_int_equal(send_replay_check(r, a, 1, now - 300 * S, now), SEND_R_TS_WINDOW);
	assert_int_equal(send_replay_check(r, a, 1, now + 300 * S, now), SEND_R_TS_WINDOW);
	assert_int_equal(send_replay_count(r), 0);
	assert_int_equal(send_replay_check(r, a, 1, now - 300 * S + 1, now), SEND_R_OK);
	assert_int_equal(send_replay_check(r, b, 1, now + 300 * S - 1, now), SEND_R_OK);
	assert_int_equal(send_replay_count(r), 2);

	/*
	 * known peer a: TSlast = now - 300 s + 1, RDlast = now.  At RDnew = now + 100 s:
	 * accept iff TSnew + 1 s > TSlast + 100 s * 0.99 - 1 s, i.e. TSnew > TSlast + 97 s.
	 */
	uint64_t tsl = now - 300 * S + 1, rd = now + 100 * S;
	assert_int_equal(send_replay_check(r, a, 1, tsl + 97 * S, rd), SEND_R_TS_REPLAY);
	assert_int_equal(send_replay_check(r, a, 1, tsl + 97 * S + 1, rd), SEND_R_OK);
	/* accepted and newer: TSlast = tsl + 97 s + 1, RDlast = rd */
	tsl += 97 * S + 1;
	/* same instant: the same timestamp is inside the fuzz (TSnew + 1 s > TSlast - 1 s) */
	assert_int_equal(send_replay_check(r, a, 1, tsl, rd), SEND_R_OK);
	/* ...down to TSlast - 2 s exclusive */
	assert_int_equal(send_replay_check(r, a, 1, tsl - 2 * S, rd), SEND_R_TS_REPLAY);
	assert_int_equal(send_replay_check(r, a, 1, tsl - 2 * S + 1, rd), SEND_R_OK);
	/* that older one did not update: at rd + 100 s the bound is TSlast + 99 s - 2 s */
	uint64_t bound = tsl + 99 * S - 2 * S;
	assert_int_equal(send_replay_check(r, a, 1, bound, rd + 100 * S), SEND_R_TS_REPLAY);
	assert_int_equal(send_replay_check(r, a, 1, bound + 1, rd + 100 * S), SEND_R_OK);

	/* a replay of a message 10 s later (timestamp unchanged) is refused */
	assert_int_equal(send_replay_check(r, b, 1, now + 300 * S - 1, now + 10 * S),
			 SEND_R_TS_REPLAY);
	send_replay_free(r);

	/* drift configurable: 0 %: accept iff TSnew > TSlast + (RDnew - RDlast) - 2 fuzz */
	cfg.ts_drift_permille = 0;
	cfg.ts_fuzz = 0;
	r = send_replay_new(&cfg);
	assert_int_equal(send_replay_check(r, a, 0, now, now), SEND_R_OK);
	assert_int_equal(send_replay_check(r, a, 0, now + 5 * S, now + 5 * S), SEND_R_TS_REPLAY);
	assert_int_equal(send_replay_check(r, a, 0, now + 5 * S + 1, now + 5 * S), SEND_R_OK);
	send_replay_free(r);
}

static void test_replay_cache_bounds(void **state)
{
	struct send_cfg cfg = cfg_raw();
	const uint64_t S = 1 << 16, now = (uint64_t)1704067200 * S;
	uint8_t p[6][16];

	(void)state;
	for (int i = 0; i < 6; i++) {
		memset(p[i], 0, 16);
		p[i][0] = 0xfe;
		p[i][1] = 0x80;
		p[i][15] = (uint8_t)(i + 1);
	}
	cfg.cache_size = 2;
	struct send_replay *r = send_replay_new(&cfg);
	assert_int_equal(send_replay_check(r, p[0], 1, now, now), SEND_R_OK);
	assert_int_equal(send_replay_check(r, p[1], 1, now + S, now + S), SEND_R_OK);
	/* full: same Sec and lower Sec are refused, the existing entries stay */
	assert_int_equal(send_replay_check(r, p[2], 1, now + 2 * S, now + 2 * S),
			 SEND_R_CACHE_FULL);
	assert_int_equal(send_replay_check(r, p[2], 0, now + 2 * S, now + 2 * S),
			 SEND_R_CACHE_FULL);
	assert_int_equal(send_replay_count(r), 2);
	/* p0 is still known: an old timestamp from it is a replay, not a new peer */
	assert_int_equal(send_replay_check(r, p[0], 1, now - 10 * S, now + 2 * S),
			 SEND_R_TS_REPLAY);
	/* a higher Sec replaces the lowest-Sec, least recently updated entry (p0) */
	assert_int_equal(send_replay_check(r, p[3], 2, now + 3 * S, now + 3 * S), SEND_R_OK);
	assert_int_equal(send_replay_count(r), 2);
	/* p0 is now unknown again: the new-peer window applies to it */
	assert_int_equal(send_replay_check(r, p[0], 1, now - 10 * S, now + 3 * S),
			 SEND_R_CACHE_FULL);
	/* p1 kept */
	assert_int_equal(send_replay_check(r, p[1], 1, now - 10 * S, now + 3 * S),
			 SEND_R_TS_REPLAY);
	/* Sec 2 entry is not replaced by another Sec 2 */
	assert_int_equal(send_replay_check(r, p[4], 2, now + 3 * S, now + 3 * S), SEND_R_OK);
	/* (p1 was Sec 1, so it went) */
	assert_int_equal(send_replay_check(r, p[5], 2, now + 3 * S, now + 3 * S),
			 SEND_R_CACHE_FULL);
	/* entries older than Delta are stale: their slots are reused */
	uint64_t later = now + 3 * S + 300 * S;
	assert_int_equal(send_replay_check(r, p[5], 0, later, later), SEND_R_OK);
	assert_int_equal(send_replay_check(r, p[2], 0, later, later), SEND_R_OK);
	assert_int_equal(send_replay_count(r), 2);
	send_replay_free(r);
}

/* The replay cache through send_verify: the reference RtSolPr once, then as a replay. */
static void test_verify_replay(void **state)
{
	struct send_cfg cfg = cfg_raw();
	struct send_replay *r = send_replay_new(&cfg);
	struct send_verify_res res;
	struct wire_frame f;
	struct send_verify_req req;
	const uint64_t S = 1 << 16;

	(void)state;
	assert_int_equal(decode(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f, &req),
			 WIRE_OK);
	req.replay = r;
	req.now = REF_TS + 400 * S; /* outside the window: refused, nothing cached */
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_TS_WINDOW);
	assert_int_equal(send_replay_count(r), 0);
	req.now = REF_TS + 2 * S;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_int_equal(send_replay_count(r), 1);
	req.now = REF_TS + 12 * S;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_TS_REPLAY);
	/* a forged message does not touch the cache */
	uint8_t m[1024];
	memcpy(m, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len);
	m[40 + 500] ^= 1; /* inside the signature */
	req.src = m + 8;
	req.dst = m + 24;
	req.icmp = m + 40;
	req.now = REF_TS + 2 * S;
	send_replay_free(r);
	r = send_replay_new(&cfg);
	req.replay = r;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_SIG);
	assert_int_equal(send_replay_count(r), 0);
	send_replay_free(r);
}

static void test_creds_load(void **state)
{
	struct send_creds c;
	char err[256];

	(void)state;
	assert_int_equal(
	    send_creds_load(&c, KEYS "mn1.key.pem", KEYS "mn2.cga.params", NULL, err, sizeof(err)),
	    SEND_R_CGA);
	assert_non_null(strstr(err, "mn2.cga.params"));
	assert_int_equal(send_creds_load(&c, KEYS "nonexistent.pem", NULL, NULL, err, sizeof(err)),
			 SEND_R_IO);
	assert_int_equal(send_creds_load(&c, KEYS "mn1.cga.params", NULL, NULL, err, sizeof(err)),
			 SEND_R_KEY);
	load_creds(&c, KEYS "mn2.key.pem", KEYS "mn2.cga.params");
	assert_memory_equal(c.addr, ref_cga_sendd_mn2_address_addr, 16);
	send_creds_free(&c);
	/* the AR's link-local CGA from its key and the published modifier */
	EVP_PKEY *ar = load_key(KEYS "ar1.key.pem");
	uint8_t params[256];
	size_t n = cga_pubkey_der(ar, params + 25, sizeof(params) - 25);
	memcpy(params, ref_send_ar_cga_modifier, 16);
	memcpy(params + 16, ref_send_ar_cga_prefix_addr, 8);
	params[24] = 0;
	assert_int_equal(send_creds_set(&c, ar, params, 25 + n), SEND_R_OK);
	assert_memory_equal(c.addr, ref_send_ar_link_local_cga_addr, 16);
	/* an address that is not the CGA of the parameters is refused */
	uint8_t other[16];
	memcpy(other, c.addr, 16);
	other[8] &= 0x1f; /* Sec 0: still the CGA (Sec 0 never fails step 7) */
	assert_int_equal(send_creds_set_addr(&c, other), SEND_R_OK);
	assert_memory_equal(c.addr, other, 16);
	other[15] ^= 1;
	assert_int_equal(send_creds_set_addr(&c, other), SEND_R_CGA);
	assert_memory_equal(c.addr + 8, (uint8_t[]){ ref_send_ar_link_local_cga_addr[8] & 0x1f },
			    1);
	send_creds_free(&c);
	EVP_PKEY_free(ar);
}

static void test_strings(void **state)
{
	(void)state;
	for (int i = 0; i < SEND_R__COUNT; i++)
		assert_string_not_equal(send_reason_name(i), "unknown");
	assert_string_equal(send_strerror(SEND_R_SIG), "signature does not verify");
	assert_string_equal(send_reason_name(SEND_R_KEY_HASH), "key-hash");
	assert_string_equal(send_strerror(SEND_R__COUNT), "unknown send reason");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_reference),	    cmocka_unit_test(test_tbs_reference),
		cmocka_unit_test(test_verify_rtsolpr),	    cmocka_unit_test(test_verify_prrtadv),
		cmocka_unit_test(test_mutations),	    cmocka_unit_test(test_after_signature),
		cmocka_unit_test(test_presence_rules),	    cmocka_unit_test(test_key_sizes),
		cmocka_unit_test(test_sig_short),	    cmocka_unit_test(test_replay_formulas),
		cmocka_unit_test(test_replay_cache_bounds), cmocka_unit_test(test_verify_replay),
		cmocka_unit_test(test_creds_load),	    cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
