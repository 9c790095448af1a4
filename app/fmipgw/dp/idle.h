/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw idle policy ([lcores] idle) of a polling lcore: after each turn the lcore tells
 * dp_idle_next() whether the turn found work, and does what it answers:
 *
 *   poll       never anything: busy polling, the lowest latency, 100 % of a CPU
 *   adaptive   after `spin` empty turns rte_pause() per turn; after `nap` empty turns sleeps
 *              of 8, 16, 32 ... up to idle_sleep_us microseconds; any work resets it (the worst
 *              added wake-up latency is one sleep).  Workers wait DP_IDLE_SPIN / DP_IDLE_NAP
 *              turns (traffic comes in bursts); the control and slow-path lcores, whose turns
 *              are cheap and whose work is sparse, DP_IDLE_NAP_SPARSE
 *   interrupt  after `nap` empty turns, wait for an RX interrupt of the lcore's queues
 *              (or idle_sleep_us, rounded up to a millisecond, whichever comes first); an lcore
 *              without interrupt-capable queues behaves as adaptive
 *
 * The policy is a pure function of its state (unit-tested without the EAL, idle_test.c); the
 * lcore loops carry out the action.
 */
#ifndef FMIPGW_DP_IDLE_H
#define FMIPGW_DP_IDLE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

#define DP_IDLE_SPIN	   64	/* empty turns before pausing (workers) */
#define DP_IDLE_NAP	   1024 /* empty turns before sleeping / waiting (workers) */
#define DP_IDLE_NAP_SPARSE 32	/* the same for the control and slow-path lcores (no spin) */
#define DP_IDLE_MIN_SLEEP  8

enum dp_idle_action { DP_IDLE_NONE = 0, DP_IDLE_PAUSE, DP_IDLE_SLEEP, DP_IDLE_WAIT };

struct dp_idle {
	uint8_t mode; /* enum gw_idle as it applies to this lcore */
	uint32_t spin, nap;
	uint32_t empty;
	uint32_t sleep_us; /* the next sleep (adaptive) */
	uint32_t max_us;
};

/* spin, nap: empty turns before pausing, before sleeping (spin >= nap: no pause phase). */
void dp_idle_init(struct dp_idle *d, enum gw_idle mode, uint32_t max_us, uint32_t spin,
		  uint32_t nap);

/* What to do after a turn that found work (busy) or not; *us: how long (SLEEP, WAIT). */
static inline enum dp_idle_action dp_idle_next(struct dp_idle *d, bool busy, uint32_t *us)
{
	if (busy || d->mode == GW_IDLE_POLL) {
		d->empty = 0;
		d->sleep_us = DP_IDLE_MIN_SLEEP;
		return DP_IDLE_NONE;
	}
	if (d->empty < d->nap) {
		d->empty++;
		return d->empty > d->spin ? DP_IDLE_PAUSE : DP_IDLE_NONE;
	}
	if (d->mode == GW_IDLE_INTERRUPT) {
		*us = d->max_us;
		return DP_IDLE_WAIT;
	}
	*us = d->sleep_us;
	if (d->sleep_us < d->max_us)
		d->sleep_us = d->sleep_us * 2 > d->max_us ? d->max_us : d->sleep_us * 2;
	return DP_IDLE_SLEEP;
}

#endif /* FMIPGW_DP_IDLE_H */
