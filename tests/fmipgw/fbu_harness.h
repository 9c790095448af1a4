/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The harness of the worker-level FBU test (fbu_worker_test.c): one gateway context with two
 * ports made with rte_eth_from_rings (the test fills their RX rings and empties their TX
 * rings), the real worker (fmipgw_core) created per run with the [fbu] setting under test, a
 * key table per run, and the comparisons of what runs produced.
 */
#ifndef FMIPGW_TESTS_FBU_HARNESS_H
#define FMIPGW_TESTS_FBU_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include "counters.h"
#include "fbu_frames.h"

struct fbuw_setting {
	bool fast;	/* [fbu] fast_decode */
	unsigned depth; /* [fbu] pipeline_depth */
	bool shared;	/* polled by this thread (dp_worker_poll, as the single-lcore mode does),
			   not dp_worker_main on lcore 1 */
};

struct fbuw_result {
	struct gw_counters cnt;
	struct fr_list ev; /* to control, in order (the event type in front of each frame) */
	struct fr_list tx; /* sent, port 0's then port 1's */
};

/* Counters a scenario expects (the others: 0). */
struct fbuw_expect {
	uint64_t rx, fbu_rx, accepted, stale, bad_mac, spi, expired, no_key, ring_full;
	uint64_t ctrl_rtsolpr, pass_tx, malformed;
};

/* EAL (lcores 0-1), the ports, the MAC engine, the RCU variable.  0 or -1. */
int fbuw_setup(void);
void fbuw_set_burst(uint32_t burst);
/*
 * Frames through a new worker with setting s, ring_size to control and a new table with keys
 * ks.  Phases: n_ph > 0: phases[p] one after the other on port 0, the control ring emptied
 * after each; n_ph < 0: phases[q] on port q, all at once.  The RX rings are filled before the
 * worker starts, so the bursts are the same in every run.
 */
void fbuw_run(const struct fr_list *const *phases, int n_ph, const struct fr_key *ks,
	      unsigned n_keys, struct fbuw_setting s, uint32_t ring_size, struct fbuw_result *res);

void fbuw_check_expect(const struct fbuw_result *r, const struct fbuw_expect *e);
/* Every frame of out (after skip octets) is one of in, octet for octet. */
void fbuw_all_sent(const struct fr_list *out, unsigned skip, const struct fr_list *in);
void fbuw_same_counters(const struct fbuw_result *a, const struct fbuw_result *b, const char *what);
/* a and b hold the same frames: in the same order, or in any order. */
void fbuw_same_frames(const struct fr_list *a, const struct fr_list *b, bool ordered);

#endif
