/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk, cheap checks first (issue 13 item 6): the AR refuses a stale or replayed signed
 * RtSolPr with the same reasons as before (HK_R_SEND with SEND_R_TS_WINDOW / SEND_R_TS_REPLAY,
 * no key operation) but before the CGA check and the RSA verification: the RFC 3971 §5.3.4.2
 * window and the AR's exact-replay ring run first.
 *
 * The costly calls are counted from outside the libraries: the test is linked with
 * -Wl,--wrap=cga_verify,--wrap=EVP_DigestVerifyFinal, so every call lib/send and lib/hk make
 * to them goes through the counters below.  Inputs are the published RtSolPr (mn1 -> ar1,
 * tests/vectors) and RtSolPrs signed here with mn1's key.
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

#include "cga.h"
#include "hk.h"
#include "mac.h"
#include "send.h"
#include "wire.h"
#include "reference_vectors.h"

#define TS(sec) ((uint64_t)(sec) << 16)
#define T0	1704067200u /* the vectors' time */

static unsigned n_cga, n_rsa;

int __real_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info);
int __wrap_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info);
int __real_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen);
int __wrap_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen);

int __wrap_cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
		      struct cga_info *info)
{
	n_cga++;
	return __real_cga_verify(addr, params, params_len, info);
}

int __wrap_EVP_DigestVerifyFinal(EVP_MD_CTX *ctx, const unsigned char *sig, size_t siglen)
{
	n_rsa++;
	return __real_EVP_DigestVerifyFinal(ctx, sig, siglen);
}

/* ---- the AR (ar1 with its published link-local CGA) and mn1 ------------------------------ */

struct store {
	struct hk_key k[4];
	unsigned n, finds;
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

struct ar {
	struct send_cfg send;
	struct mac_cfg mac;
	struct send_creds creds, mn;
	EVP_PKEY *enc; /* mn2: the vectors' handover-key encryption key */
	struct hk_ar_cfg cfg;
	struct hk_ar_state st;
	struct store store;
	struct hk_keystore ks;
	struct hk_ar_out out;
};

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

static struct ar *ar_new(void)
{
	struct ar *a = calloc(1, sizeof(*a));
	EVP_PKEY *ar1 = load_key("ar1.key.pem");
	uint8_t der[512], params[600];
	size_t n = cga_pubkey_der(ar1, der, sizeof(der));
	struct cga_gen_req req = { .pubkey = der, .pubkey_len = n, .sec = 1 };
	struct cga_gen_res res;
	char err[256];

	assert_non_null(a);
	memcpy(req.prefix, ref_send_ar_cga_prefix_addr, 8);
	req.modifier_start = ref_send_ar_cga_modifier; /* PROTOCOL.md §10 */
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
	assert_memory_equal(res.addr, ref_send_ar_link_local_cga_addr, 16);
	assert_int_equal(send_creds_set(&a->creds, ar1, params, res.params_len), SEND_R_OK);
	EVP_PKEY_free(ar1);
	assert_int_equal(send_creds_load(&a->mn, VECTORS_DIR "/keys/mn1.key.pem",
					 VECTORS_DIR "/keys/mn1.cga.params", NULL, err,
					 sizeof(err)),
			 SEND_R_OK);
	a->enc = load_key("mn2.key.pem");

	send_cfg_default(&a->send);
	mac_cfg_defaults(&a->mac);
	hk_ar_cfg_defaults(&a->cfg);
	a->cfg.send = &a->send;
	a->cfg.creds = &a->creds;
	a->cfg.mac = &a->mac;
	a->st.replay = send_replay_new(&a->send);
	assert_non_null(a->st.replay);
	a->ks.ctx = &a->store;
	a->ks.find = store_find;
	return a;
}

static void ar_free(struct ar *a)
{
	send_replay_free(a->st.replay);
	send_creds_free(&a->creds);
	send_creds_free(&a->mn);
	EVP_PKEY_free(a->enc);
	free(a);
}

/* Serve one RtSolPr at now with the counters reset; returns out.reason. */
static int serve(struct ar *a, const uint8_t *pkt, size_t len, uint64_t now)
{
	n_cga = n_rsa = 0;
	int r = hk_ar_rtsolpr(&a->cfg, &a->st, &a->ks, pkt, len, now, &a->out);
	if (a->out.op == HK_KEY_INSERT) {
		assert_true(a->store.n < 4);
		a->store.k[a->store.n++] = a->out.key;
	}
	return r;
}

static void refused_cheaply(const struct ar *a, int send_reason)
{
	assert_int_equal(a->out.reason, HK_R_SEND);
	assert_int_equal(a->out.send_reason, send_reason);
	assert_int_equal(a->out.op, HK_KEY_NONE);
	assert_int_equal(a->out.send_work, 0);
	assert_int_equal(n_cga, 0);
	assert_int_equal(n_rsa, 0);
}

/* An RtSolPr from mn1 to the AR with a chosen nonce and timestamp, signed with mn1's key. */
static size_t rtsolpr(const struct ar *a, const uint8_t nonce[14], uint64_t ts, uint8_t *pkt,
		      size_t cap)
{
	struct wire_buf b = wire_buf_make(pkt, cap);
	struct send_sign_opts so = { .timestamp = ts, .nonce = nonce, .nonce_len = 14 };
	uint8_t spki[512];
	size_t spki_len = cga_pubkey_der(a->enc, spki, sizeof(spki));
	size_t ip6 = wire_build_ip6(&b, a->mn.addr, a->creds.addr, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_fmip(&b, WIRE_FMIP_RTSOLPR, 0, 77);

	send_put_opts(&b, &a->mn, &so);
	wire_put_opt_hkreq(&b, 0, spki, spki_len);
	assert_int_equal(send_sign_finish(&b, &a->mn, ip6, icmp), SEND_R_OK);
	return b.len;
}

/* ---- tests --------------------------------------------------------------------------------- */

/* The published RtSolPr is served once; its copy a second later is refused by the exact-replay
 * ring and its copy after TIMESTAMP_DELTA by the window, neither reaching CGA or RSA. */
static void test_replayed_and_stale_published_rtsolpr(void **state)
{
	struct ar *a = ar_new();

	(void)state;
	assert_int_equal(serve(a, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, TS(T0) + 1),
			 HK_R_OK);
	assert_int_equal(a->out.op, HK_KEY_INSERT);
	assert_int_equal(n_rsa, 1);
	assert_true(n_cga >= 1);
	assert_int_equal(a->out.send_work, SEND_WORK_CGA | SEND_WORK_KEY | SEND_WORK_SIG);
	unsigned finds = a->store.finds;

	serve(a, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, TS(T0 + 1));
	refused_cheaply(a, SEND_R_TS_REPLAY);
	/* A19 as before: a signed reply without nonce or key (rate-limited), no key lookup */
	assert_true(a->out.len > 0);
	assert_int_equal(a->store.finds, finds);

	serve(a, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, TS(T0 + 400));
	refused_cheaply(a, SEND_R_TS_WINDOW);
	assert_int_equal(a->store.finds, finds);
	ar_free(a);
}

/* A stale message to an AR that never saw the MN (new peer, §5.3.4.2 window). */
static void test_stale_new_peer(void **state)
{
	struct ar *a = ar_new();
	uint8_t pkt[HK_PKT_MAX];
	static const uint8_t nonce[14] = { 7, 7, 7 };
	size_t n = rtsolpr(a, nonce, TS(T0), pkt, sizeof(pkt));

	(void)state;
	serve(a, pkt, n, TS(T0 + 301));
	refused_cheaply(a, SEND_R_TS_WINDOW);
	serve(a, pkt, n, TS(T0) - TS(301));
	refused_cheaply(a, SEND_R_TS_WINDOW);
	assert_int_equal(send_replay_count(a->st.replay), 0);
	/* inside the window it is served, every step run */
	assert_int_equal(serve(a, pkt, n, TS(T0 + 299)), HK_R_OK);
	assert_int_equal(n_rsa, 1);
	ar_free(a);
}

/* A validly signed message older than the last accepted one (known peer, §5.3.4.2 formula),
 * and the ring's rule: the same nonce re-signed with a newer timestamp is served. */
static void test_older_than_last_and_retransmission(void **state)
{
	struct ar *a = ar_new();
	uint8_t pkt[HK_PKT_MAX], old[HK_PKT_MAX];
	static const uint8_t n1[14] = { 1 }, n2[14] = { 2 };
	size_t n, n_old = rtsolpr(a, n1, TS(T0 - 10), old, sizeof(old));

	(void)state;
	n = rtsolpr(a, n2, TS(T0), pkt, sizeof(pkt));
	assert_int_equal(serve(a, pkt, n, TS(T0)), HK_R_OK);
	/* 10 s older than TSlast, another nonce (so not the ring): the formula refuses it */
	serve(a, old, n_old, TS(T0 + 1));
	refused_cheaply(a, SEND_R_TS_REPLAY);
	/* the same nonce signed again 2 s later: a retransmission, verified and served */
	n = rtsolpr(a, n2, TS(T0 + 2), pkt, sizeof(pkt));
	assert_int_equal(serve(a, pkt, n, TS(T0 + 2)), HK_R_OK);
	assert_int_equal(a->out.op, HK_KEY_EXISTING);
	assert_int_equal(n_rsa, 1);
	/* its copy: the ring, before any CGA or RSA work */
	serve(a, pkt, n, TS(T0 + 3));
	refused_cheaply(a, SEND_R_TS_REPLAY);
	ar_free(a);
}

/* A forged copy (signature broken) with a newer timestamp is refused by the signature and
 * writes neither the cache nor the ring: the real MN's next message is served. */
static void test_forgery_writes_nothing(void **state)
{
	struct ar *a = ar_new();
	uint8_t pkt[HK_PKT_MAX];
	static const uint8_t nonce[14] = { 3 };
	size_t n = rtsolpr(a, nonce, TS(T0 + 100), pkt, sizeof(pkt));
	struct wire_frame f;

	(void)state;
	pkt[n - 20] ^= 1; /* inside the signature */
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_E_BAD_CHECKSUM);
	uint16_t c = wire_l4_csum(pkt + 8, pkt + 24, WIRE_NH_ICMPV6, pkt + 40, n - 40, 2);
	pkt[42] = (uint8_t)(c >> 8);
	pkt[43] = (uint8_t)c;
	serve(a, pkt, n, TS(T0 + 100));
	assert_int_equal(a->out.send_reason, SEND_R_SIG);
	assert_int_equal(n_rsa, 1);
	assert_int_equal(send_replay_count(a->st.replay), 0);
	/* the real message with the same nonce and an older timestamp */
	n = rtsolpr(a, nonce, TS(T0 + 50), pkt, sizeof(pkt));
	assert_int_equal(serve(a, pkt, n, TS(T0 + 100)), HK_R_OK);
	assert_int_equal(a->out.op, HK_KEY_INSERT);
	ar_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replayed_and_stale_published_rtsolpr),
		cmocka_unit_test(test_stale_new_peer),
		cmocka_unit_test(test_older_than_last_and_retransmission),
		cmocka_unit_test(test_forgery_writes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
