/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the handover decisions (cp/ho_policy.c): the [ap.*] section of an NCoA by
 * longest prefix (RFC 5568 4), the FBack status fmipgw decides itself (RFC 5568 6.2.3: 128,
 * 129), the configured neighbours, the NAR role's HAck code (6.2.1.2) on HIs built by
 * lib/wire and decoded back, and the HI back-off (6.2.1.1).  Expected values from the RFC
 * text and the addresses themselves.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "handover.h"

static struct gw_config cfg;

static void a6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static void ap(unsigned i, enum hk_ap_kind kind, const char *prefix, unsigned len, const char *nar)
{
	cfg.aps[i].kind = kind;
	a6(prefix, cfg.aps[i].nar_prefix);
	cfg.aps[i].nar_prefix_len = (uint8_t)len;
	if (nar != NULL)
		a6(nar, cfg.aps[i].nar_addr);
	if (i >= cfg.n_aps)
		cfg.n_aps = i + 1;
}

/* 0: a NAR for 2003:0:0:2::/64; 1: a more specific NAR for 2003:0:0:2:8000::/65; 2: a /48
 * around both; 3: no-fmip 2003:0:0:3::/64; 4: current-if 2003:0:0:4::/61 (not a multiple of
 * 8); 5: no prefix at all. */
static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	ap(0, HK_AP_NAR, "2003:0:0:2::", 64, "2003:0:0:2::1");
	ap(1, HK_AP_NAR, "2003:0:0:2:8000::", 65, "2003:0:0:2:8000::1");
	ap(2, HK_AP_NAR, "2003::", 48, "2003:0:0:ff::1");
	ap(3, HK_AP_NO_FMIP, "2003:0:0:3::", 64, NULL);
	ap(4, HK_AP_CURRENT_IF, "2003:0:0:0::", 61, NULL);
	cfg.aps[5].kind = HK_AP_NO_PREFIX;
	cfg.n_aps = 6;
	a6("2003::", cfg.prefixes[0].addr);
	cfg.prefixes[0].len = 64;
	cfg.n_prefixes = 1;
	cfg.nar_role = true;
	cfg.neighbours_only = true;
	cfg.hi_timeout_ms = 100;
	return 0;
}

static void longest_prefix(void **state)
{
	uint8_t a[16];

	(void)state;
	a6("2003:0:0:2::10", a);
	assert_int_equal(cp_ap_match(&cfg, a), 0); /* /64 beats the /48 */
	a6("2003:0:0:2:8000::10", a);
	assert_int_equal(cp_ap_match(&cfg, a), 1); /* /65 beats /64 and /48 */
	a6("2003:0:0:2:7fff::10", a);
	assert_int_equal(cp_ap_match(&cfg, a), 0); /* bit 64 is 0: not in the /65 */
	a6("2003:0:0:9::1", a);
	assert_int_equal(cp_ap_match(&cfg, a), 2); /* only the /48 */
	a6("2003:0:0:7::1", a); /* 2003:0:0:0::/61 covers ::0..::7 in the fourth group */
	assert_int_equal(cp_ap_match(&cfg, a), 4);
	a6("2003:0:0:8::1", a); /* outside the /61, inside the /48 */
	assert_int_equal(cp_ap_match(&cfg, a), 2);
	a6("2003:1::1", a);
	assert_int_equal(cp_ap_match(&cfg, a), -1);
}

static uint8_t status_of(const char *ncoa, const char *pcoa, int *i)
{
	struct hk_fbu_info info = { 0 };

	a6(ncoa, info.ncoa);
	a6(pcoa, info.pcoa);
	return cp_fbu_status(&cfg, &info, i);
}

static void fback_status(void **state)
{
	int i;

	(void)state;
	assert_int_equal(status_of("2003:0:0:2::10", "2003::10", &i), 0);
	assert_int_equal(i, 0);
	assert_int_equal(status_of("2003:0:0:3::10", "2003::10", &i), 129); /* no-fmip */
	assert_int_equal(i, 3);
	assert_int_equal(status_of("2003:0:0:5::10", "2003::10", &i), 128); /* current-if */
	assert_int_equal(status_of("2003:1::10", "2003::10", &i), 128);	    /* no section */
	assert_int_equal(i, -1);
	/* not a care-of address: multicast, link-local, ::, ::1, the PCoA itself */
	assert_int_equal(status_of("ff02::1", "2003::10", &i), 128);
	assert_int_equal(status_of("fe80::1", "2003::10", &i), 128);
	assert_int_equal(status_of("::", "2003::10", &i), 128);
	assert_int_equal(status_of("::1", "2003::10", &i), 128);
	assert_int_equal(status_of("2003:0:0:2::10", "2003:0:0:2::10", &i), 128);
	cfg.n_aps = 0; /* no [ap.*] section at all: nothing to tunnel toward */
	assert_int_equal(status_of("2003:0:0:2::10", "2003::10", &i), 128);
}

static void neighbours(void **state)
{
	uint8_t a[16];

	(void)state;
	a6("2003:0:0:2::1", a);
	assert_true(cp_is_neighbour(&cfg, a));
	a6("2003:0:0:2:8000::1", a);
	assert_true(cp_is_neighbour(&cfg, a));
	a6("2003:0:0:2::2", a);
	assert_false(cp_is_neighbour(&cfg, a));
	memset(a, 0, 16); /* the no-fmip / current-if sections have no address: :: is none */
	assert_false(cp_is_neighbour(&cfg, a));
}

/* An HI from src (lib/wire's builder), decoded by lib/wire; then its HAck code. */
static uint8_t nar_code(const char *src, uint8_t code, uint8_t flags, bool lla, const char *ncoa,
			bool *echo)
{
	static const uint8_t mn[6] = { 2, 0, 0, 0, 0, 7 };
	uint8_t s[16], d[16], n[16], pkt[256];
	struct wire_hi_spec hs = { s, d, 9, flags, code, lla ? mn : NULL, NULL, NULL };
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct wire_frame f;

	a6(src, s);
	a6("2003::1", d);
	if (ncoa != NULL) {
		a6(ncoa, n);
		hs.ncoa = n;
	}
	assert_int_equal(wire_build_hi(&w, &hs), WIRE_OK);
	assert_int_equal(wire_decode_frame(pkt, w.len, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_HI);
	return cp_nar_code(&cfg, f.ip.src, &f.mh, echo);
}

static void nar_role(void **state)
{
	bool echo;

	(void)state;
	/* Code 0, NCoA on this router's link ([router] prefixes 2003::/64) */
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0, true, "2003::55", &echo), 0);
	assert_false(echo);
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0x80, true, "2003::55", &echo), 0);
	assert_true(echo); /* S: the NCoA goes back in the HAck */
	/* Code 0, NCoA elsewhere or absent: accepted, NCoA not valid */
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0x80, true, "2003:0:0:9::5", &echo), 1);
	assert_false(echo);
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0, true, NULL, &echo), 1);
	/* Code 1: no NCoA operations (RFC 5568 4) */
	assert_int_equal(nar_code("2003:0:0:2::1", 1, 0, true, "2003:0:0:9::5", &echo), 0);
	/* the MN's link-layer address MUST be there */
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0, false, "2003::55", &echo), 128);
	assert_int_equal(nar_code("2003:0:0:2::1", 1, 0, false, NULL, &echo), 128);
	/* not a configured neighbour: administratively prohibited, unless neighbours_only is
	 * off */
	assert_int_equal(nar_code("2003:0:0:8::1", 0, 0, true, "2003::55", &echo), 129);
	cfg.neighbours_only = false;
	assert_int_equal(nar_code("2003:0:0:8::1", 0, 0, true, "2003::55", &echo), 0);
	cfg.nar_role = false;
	assert_int_equal(nar_code("2003:0:0:2::1", 0, 0, true, "2003::55", &echo), 129);
}

/* RFC 5568 6.2.1.1: 100 ms (or 2 x RTT), doubled at each retransmission */
static void backoff(void **state)
{
	(void)state;
	assert_int_equal(cp_hi_wait_ms(&cfg, 1), 100);
	assert_int_equal(cp_hi_wait_ms(&cfg, 2), 200);
	assert_int_equal(cp_hi_wait_ms(&cfg, 3), 400);
	assert_int_equal(cp_hi_wait_ms(&cfg, 4), 800);
	cfg.hi_timeout_ms = 250;
	assert_int_equal(cp_hi_wait_ms(&cfg, 3), 1000);
	assert_int_equal(cp_hi_wait_ms(&cfg, 0), 250);
}

/* A code's counter is its row's; any other code the fallback's. */
static void code_counters(void **state)
{
	static struct gw_counters c;
	static const struct cp_code_ctr t[] = { { 0, GW_CNT_OFF(hack_rx_0) },
						{ 130, GW_CNT_OFF(hack_rx_130) } };

	(void)state;
	assert_ptr_equal(cp_code_counter(&c, t, 2, 0, GW_CNT_OFF(hack_rx_other)), &c.hack_rx_0);
	assert_ptr_equal(cp_code_counter(&c, t, 2, 130, GW_CNT_OFF(hack_rx_other)), &c.hack_rx_130);
	assert_ptr_equal(cp_code_counter(&c, t, 2, 7, GW_CNT_OFF(hack_rx_other)), &c.hack_rx_other);
	assert_ptr_equal(cp_code_counter(&c, t, 0, 0, GW_CNT_OFF(hack_rx_other)), &c.hack_rx_other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(longest_prefix, setup),
		cmocka_unit_test_setup(fback_status, setup),
		cmocka_unit_test_setup(neighbours, setup),
		cmocka_unit_test_setup(nar_role, setup),
		cmocka_unit_test_setup(backoff, setup),
		cmocka_unit_test(code_counters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
