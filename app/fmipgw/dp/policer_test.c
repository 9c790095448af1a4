/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the worker's per-event token bucket (dp/policer.c).  A fake TSC of 1 MHz makes
 * every expectation exact: rate R packets/s costs 1e6 / R ticks per packet and the bucket
 * holds burst x cost ticks.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "policer.h"

#define HZ 1000000ull /* fake TSC: 1 tick = 1 us */
#define T0 (5ull * HZ)

static struct dp_policer w;
static struct gw_config cfg;

static void set(unsigned cls, uint32_t rate, uint32_t burst)
{
	cfg.pol[cls].rate = rate;
	cfg.pol[cls].burst = burst;
	dp_policer_set(&w, &cfg, HZ);
}

static int setup(void **state)
{
	(void)state;
	memset(&w, 0, sizeof(w));
	memset(&cfg, 0, sizeof(cfg));
	return 0;
}

/* A full bucket lets `burst` packets through back to back, then nothing until time passes. */
static void burst_then_rate(void **state)
{
	(void)state;
	set(GW_EV_RTSOLPR, 1000, 10); /* 1000 ticks per packet, 10 deep */
	for (int i = 0; i < 10; i++)
		assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0), 0);
	/* 999 ticks later: still short of one token */
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 999), 0);
	/* at 1000 ticks: exactly one */
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 1000), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 1000), 0);
}

/* Over one second at a steady offered load of 5000/s, a 1000/s bucket passes
 * burst + 1000 (minus at most one for phase). */
static void long_run_rate(void **state)
{
	unsigned passed = 0;

	(void)state;
	set(GW_EV_CPS, 1000, 16);
	for (uint64_t t = T0; t < T0 + HZ; t += 200)
		passed += (unsigned)dp_policer_take(&w, GW_EV_CPS, t);
	assert_in_range(passed, 16 + 1000 - 1, 16 + 1000);
}

/* An idle period refills no more than the bucket depth. */
static void idle_caps_at_burst(void **state)
{
	unsigned passed = 0;

	(void)state;
	set(GW_EV_ND, 100, 4);
	dp_policer_take(&w, GW_EV_ND, T0);
	for (int i = 0; i < 20; i++) /* an hour later, back to back */
		passed += (unsigned)dp_policer_take(&w, GW_EV_ND, T0 + 3600 * HZ);
	assert_int_equal(passed, 4);
}

/* Events are independent; rate 0 means no limit. */
static void events_and_unlimited(void **state)
{
	(void)state;
	set(GW_EV_RTSOLPR, 1, 1);
	set(GW_EV_CPS, 0, 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0), 0);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(dp_policer_take(&w, GW_EV_CPS, T0), 1);
}

/* A reload (dp_policer_set again) applies to the next packet. */
static void reload_applies(void **state)
{
	(void)state;
	set(GW_EV_RTSOLPR, 1, 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 10), 0);
	set(GW_EV_RTSOLPR, 0, 1); /* no limit */
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 20), 1);
	set(GW_EV_RTSOLPR, 100000, 2); /* 10 ticks per packet */
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 40), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 40), 1);
	assert_int_equal(dp_policer_take(&w, GW_EV_RTSOLPR, T0 + 40), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(burst_then_rate, setup),
		cmocka_unit_test_setup(long_run_rate, setup),
		cmocka_unit_test_setup(idle_caps_at_burst, setup),
		cmocka_unit_test_setup(events_and_unlimited, setup),
		cmocka_unit_test_setup(reload_applies, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
