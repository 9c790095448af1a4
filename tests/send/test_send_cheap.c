/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/send, cheap checks first (issue 13 item 6): a stale or replayed SEND message is refused
 * by the RFC 3971 §5.3.4.2 timestamp rules before the CGA check and the RSA verification, with
 * the same reason as before (TS_WINDOW, TS_REPLAY), and the replay cache is still written only
 * by a message whose signature verified.
 *
 * The costly steps are counted from outside the library: this test is linked with
 * -Wl,--wrap=cga_verify,--wrap=cga_pubkey_parse,--wrap=EVP_DigestVerifyFinal, so every call
 * lib/send makes to them goes through the counters below (the counts do not depend on
 * anything lib/send reports about itself).
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

#include "send.h"
#include "reference_vectors.h"

#define KEYS   VECTORS_DIR "/keys/"
#define S      ((uint64_t)1 << 16)
#define REF_TS ((uint64_t)1704067200 << 16) /* PROTOCOL.md §10 */

static const uint8_t ref_nonce[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

/* ---- the counters (the linker routes lib/send's calls here) ------------------------------ */

static unsigned n_cga, n_parse, n_rsa;

int __real_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info);
int __wrap_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info);
EVP_PKEY *__real_cga_pubkey_parse(const uint8_t *der, size_t len, size_t *used);
EVP_PKEY *__wrap_cga_pubkey_parse(const uint8_t *der, size_t len, size_t *used);
int __real_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen);
int __wrap_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen);

int __wrap_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info)
{
	n_cga++;
	return __real_cga_verify(addr, params, params_len, info);
}

EVP_PKEY *__wrap_cga_pubkey_parse(const uint8_t *der, size_t len, size_t *used)
{
	n_parse++;
	return __real_cga_pubkey_parse(der, len, used);
}

int __wrap_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen)
{
	n_rsa++;
	return __real_EVP_DigestVerifyFinal(ctx, sig, siglen);
}

static void counts_reset(void)
{
	n_cga = n_parse = n_rsa = 0;
}

static void counts_are(unsigned cga, unsigned parse, unsigned rsa)
{
	assert_int_equal(n_cga, cga);
	assert_int_equal(n_parse, parse);
	assert_int_equal(n_rsa, rsa);
}

/* ---- messages ------------------------------------------------------------------------------ */

struct msg {
	uint8_t pkt[1500];
	size_t len;
};

/* A request over raw octets (an IPv6 header, then the ICMPv6 message): send_verify does not
 * look at the checksum, so a test may change octets without fixing it. */
static void req_of(struct send_verify_req *req, const uint8_t *pkt, size_t len,
		   struct send_replay *r, uint64_t now)
{
	assert_true(len > 48);
	memset(req, 0, sizeof(*req));
	req->src = pkt + 8;
	req->dst = pkt + 24;
	req->hop_limit = pkt[7];
	req->icmp = pkt + 40;
	req->icmp_len = len - 40;
	req->opts_off = 8;
	req->role = SEND_SOLICITATION;
	req->replay = r;
	req->now = now;
}

/* An RtSolPr from mn1 (the vectors' MN key and CGA) signed with timestamp ts. */
static void rtsolpr(struct msg *m, const struct send_creds *mn, uint64_t ts)
{
	struct wire_buf w = wire_buf_make(m->pkt, sizeof(m->pkt));
	struct send_sign_opts o = { .timestamp = ts,
				    .nonce = ref_nonce,
				    .nonce_len = sizeof(ref_nonce) };
	size_t ip6 =
	    wire_build_ip6(&w, mn->addr, ref_send_ar_link_local_cga_addr, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 42);

	send_put_opts(&w, mn, &o);
	assert_int_equal(send_sign_finish(&w, mn, ip6, icmp), SEND_R_OK);
	m->len = w.len;
}

static int verify(const struct send_cfg *cfg, const uint8_t *pkt, size_t len, struct send_replay *r,
		  uint64_t now, struct send_verify_res *res)
{
	struct send_verify_req req;

	req_of(&req, pkt, len, r, now);
	memset(res, 0, sizeof(*res));
	counts_reset();
	return send_verify(cfg, &req, res);
}

/* ---- tests --------------------------------------------------------------------------------- */

/* The reference RtSolPr: verified once (every step ran), then a replay and a stale copy are
 * refused with the §5.3.4.2 reasons and no CGA, key or RSA work. */
static void test_replay_and_stale_cost_nothing(void **state)
{
	struct send_cfg cfg;
	struct send_replay *r;
	struct send_verify_res res;

	(void)state;
	send_cfg_default(&cfg);
	r = send_replay_new(&cfg);
	assert_int_equal(
	    verify(&cfg, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, r, REF_TS + 2 * S, &res),
	    SEND_R_OK);
	counts_are(1, 1, 1);
	assert_int_equal(res.work, SEND_WORK_CGA | SEND_WORK_KEY | SEND_WORK_SIG);
	assert_int_equal(send_replay_count(r), 1);

	/* 10 s later with a timestamp not newer than the last accepted: known-peer formula */
	assert_int_equal(verify(&cfg, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, r,
				REF_TS + 12 * S, &res),
			 SEND_R_TS_REPLAY);
	counts_are(0, 0, 0);
	assert_int_equal(res.work, 0);

	/* a new peer (fresh cache) 400 s after the timestamp: outside Delta = 300 s */
	send_replay_free(r);
	r = send_replay_new(&cfg);
	assert_int_equal(verify(&cfg, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, r,
				REF_TS + 400 * S, &res),
			 SEND_R_TS_WINDOW);
	counts_are(0, 0, 0);
	assert_int_equal(send_replay_count(r), 0);
	/* ... and 400 s before it */
	assert_int_equal(verify(&cfg, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, r,
				REF_TS - 400 * S, &res),
			 SEND_R_TS_WINDOW);
	counts_are(0, 0, 0);
	send_replay_free(r);
}

/* A message whose signature fails never writes the cache, even though its timestamp passed
 * the early (read-only) check: a forged newer timestamp cannot lock the real peer out. */
static void test_cache_written_only_after_signature(void **state)
{
	struct send_cfg cfg;
	struct send_creds mn;
	struct send_replay *r;
	struct send_verify_res res;
	struct msg a, forged, b;
	char err[256];

	(void)state;
	send_cfg_default(&cfg);
	assert_int_equal(
	    send_creds_load(&mn, KEYS "mn1.key.pem", KEYS "mn1.cga.params", NULL, err, sizeof(err)),
	    SEND_R_OK);
	r = send_replay_new(&cfg);

	rtsolpr(&a, &mn, REF_TS);
	assert_int_equal(verify(&cfg, a.pkt, a.len, r, REF_TS, &res), SEND_R_OK);
	counts_are(1, 1, 1);
	/* the same MN's message with a timestamp 100 s ahead, its signature broken */
	rtsolpr(&forged, &mn, REF_TS + 100 * S);
	forged.pkt[forged.len - 20] ^= 0x40;
	assert_int_equal(verify(&cfg, forged.pkt, forged.len, r, REF_TS + S, &res), SEND_R_SIG);
	counts_are(1, 1, 1);
	assert_int_equal(send_replay_count(r), 1);
	/* a real message 5 s later is accepted: TSlast is still the first message's */
	rtsolpr(&b, &mn, REF_TS + 5 * S);
	assert_int_equal(verify(&cfg, b.pkt, b.len, r, REF_TS + 5 * S, &res), SEND_R_OK);
	counts_are(1, 1, 1);
	/* and the first one, older than TSlast now, is a replay that costs nothing */
	assert_int_equal(verify(&cfg, a.pkt, a.len, r, REF_TS + 6 * S, &res), SEND_R_TS_REPLAY);
	counts_are(0, 0, 0);

	send_replay_free(r);
	send_creds_free(&mn);
}

struct pre {
	unsigned calls;
	int answer;
	bool has_ts;
	uint64_t ts;
	uint8_t nonce[32];
	size_t nonce_len;
};

static int precheck(void *ctx, const struct send_verify_res *res)
{
	struct pre *p = ctx;
	p->calls++;
	p->has_ts = res->has_timestamp;
	p->ts = res->timestamp;
	p->nonce_len = res->nonce_len < sizeof(p->nonce) ? res->nonce_len : sizeof(p->nonce);
	memcpy(p->nonce, res->nonce, p->nonce_len);
	return p->answer;
}

/* The caller's precheck sees the decoded Timestamp and Nonce and can refuse before the CGA
 * check; it is not called for a message the timestamp window already refused. */
static void test_precheck(void **state)
{
	struct send_cfg cfg;
	struct send_verify_req req;
	struct send_verify_res res;
	struct pre p = { .answer = SEND_R_TS_REPLAY };
	struct send_replay *r;

	(void)state;
	send_cfg_default(&cfg);
	r = send_replay_new(&cfg);
	req_of(&req, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, r, REF_TS + S);
	req.precheck = precheck;
	req.precheck_ctx = &p;
	memset(&res, 0, sizeof(res));
	counts_reset();
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_TS_REPLAY);
	counts_are(0, 0, 0);
	assert_int_equal(p.calls, 1);
	assert_true(p.has_ts);
	assert_true(p.ts == REF_TS); /* PROTOCOL.md §10: the vector's Timestamp */
	assert_int_equal(p.nonce_len, sizeof(ref_nonce));
	assert_memory_equal(p.nonce, ref_nonce, sizeof(ref_nonce));
	assert_int_equal(send_replay_count(r), 0);

	p.answer = SEND_R_OK;
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	counts_are(1, 1, 1);
	assert_int_equal(p.calls, 2);

	req.now = REF_TS + 1000 * S; /* stale: the window refuses first */
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_TS_WINDOW);
	assert_int_equal(p.calls, 2);
	send_replay_free(r);
}

/* send_replay_peek gives send_replay_check's verdict and writes nothing. */
static void test_peek_is_check_without_writes(void **state)
{
	static const uint8_t a[16] = { 0x20, 0x03, [15] = 1 };
	const uint64_t t0 = REF_TS;
	/* (ts, now) after a first accepted (t0, t0): the §5.3.4.2 boundaries of test_send */
	const struct {
		int64_t dts, dnow;
	} pts[] = { { 0, 1 },	{ -2, 0 },    { -1, 0 },      { 97, 100 }, { 98, 100 },
		    { -1, 10 }, { 300, 301 }, { -299, 0 },    { 299, 10 }, { 0, 299 },
		    { 0, 300 }, { -10, 400 }, { 1000, 1000 }, { 700, 400 } };
	struct send_cfg cfg;

	(void)state;
	send_cfg_default(&cfg);
	for (unsigned i = 0; i < sizeof(pts) / sizeof(pts[0]); i++) {
		uint64_t ts = t0 + (uint64_t)(pts[i].dts * (int64_t)S);
		uint64_t now = t0 + (uint64_t)(pts[i].dnow * (int64_t)S);
		struct send_replay *r = send_replay_new(&cfg);
		struct send_replay *fresh = send_replay_new(&cfg);

		assert_int_equal(send_replay_check(r, a, 1, t0, t0), SEND_R_OK);
		int peek = send_replay_peek(r, a, ts, now);
		int peek_new = send_replay_peek(fresh, a, ts, now);
		assert_int_equal(send_replay_count(r), 1);
		assert_int_equal(send_replay_count(fresh), 0);
		assert_int_equal(peek, send_replay_check(r, a, 1, ts, now));
		assert_int_equal(peek_new, send_replay_check(fresh, a, 1, ts, now));
		send_replay_free(r);
		send_replay_free(fresh);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_and_stale_cost_nothing),
		cmocka_unit_test(test_cache_written_only_after_signature),
		cmocka_unit_test(test_precheck),
		cmocka_unit_test(test_peek_is_check_without_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
