/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the idle policy (dp/idle.h): poll never yields; adaptive spins, pauses, then
 * sleeps with doubling lengths capped at idle_sleep_us, and the first busy turn resets it;
 * interrupt waits with the configured bound.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "idle.h"

static void poll_never_yields(void **state)
{
	struct dp_idle d;
	uint32_t us = 0;

	(void)state;
	dp_idle_init(&d, GW_IDLE_POLL, 200, DP_IDLE_SPIN, DP_IDLE_NAP);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_NONE);
}

static void adaptive_progression(void **state)
{
	struct dp_idle d;
	uint32_t us = 0;
	static const uint32_t sleeps[] = { 8, 16, 32, 64, 128, 200, 200, 200 };

	(void)state;
	dp_idle_init(&d, GW_IDLE_ADAPTIVE, 200, DP_IDLE_SPIN, DP_IDLE_NAP);
	for (int i = 0; i < DP_IDLE_SPIN; i++)
		assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_NONE);
	for (int i = DP_IDLE_SPIN; i < DP_IDLE_NAP; i++)
		assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_PAUSE);
	for (unsigned i = 0; i < sizeof(sleeps) / sizeof(sleeps[0]); i++) {
		assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_SLEEP);
		assert_int_equal(us, sleeps[i]);
	}
	/* one busy turn: back to spinning, and the next sleeps start short again */
	assert_int_equal(dp_idle_next(&d, true, &us), DP_IDLE_NONE);
	assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_NONE);
	for (int i = 1; i < DP_IDLE_NAP; i++)
		dp_idle_next(&d, false, &us);
	assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_SLEEP);
	assert_int_equal(us, 8);
}

static void interrupt_waits(void **state)
{
	struct dp_idle d;
	uint32_t us = 0;

	(void)state;
	dp_idle_init(&d, GW_IDLE_INTERRUPT, 3000, DP_IDLE_SPIN, DP_IDLE_NAP);
	for (int i = 0; i < DP_IDLE_NAP; i++)
		assert_int_not_equal(dp_idle_next(&d, false, &us), DP_IDLE_WAIT);
	assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_WAIT);
	assert_int_equal(us, 3000);
	assert_int_equal(dp_idle_next(&d, true, &us), DP_IDLE_NONE);
}

/* The sparse policy of the control and slow-path lcores: no pause phase, a nap after 32. */
static void sparse_naps_early(void **state)
{
	struct dp_idle d;
	uint32_t us = 0;

	(void)state;
	dp_idle_init(&d, GW_IDLE_ADAPTIVE, 500, DP_IDLE_NAP_SPARSE, DP_IDLE_NAP_SPARSE);
	for (int i = 0; i < DP_IDLE_NAP_SPARSE; i++)
		assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_NONE);
	assert_int_equal(dp_idle_next(&d, false, &us), DP_IDLE_SLEEP);
	assert_int_equal(us, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(poll_never_yields),
		cmocka_unit_test(adaptive_progression),
		cmocka_unit_test(interrupt_waits),
		cmocka_unit_test(sparse_naps_early),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
