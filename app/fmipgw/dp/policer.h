/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw per-worker, per-event policer: a TSC token bucket in packets (credit in TSC ticks)
 * for the events that go to the control plane (GW_EV__POLICED of them).  Rate and depth are
 * two relaxed atomics the control plane rewrites on SIGHUP while the worker polices; the clock
 * is an argument, so the unit test (policer_test.c) runs on a fake clock with exact
 * expectations.  Not rte_meter: see docs/architecture.md, "Departures".
 */
#ifndef FMIPGW_DP_POLICER_H
#define FMIPGW_DP_POLICER_H

#include <stdint.h>

#include "config.h"

struct dp_policer {
	uint64_t cost[GW_EV__POLICED]; /* ticks per packet (0: no limit) */
	uint64_t cap[GW_EV__POLICED];  /* bucket depth in ticks */
	uint64_t last[GW_EV__POLICED];
	uint64_t credit[GW_EV__POLICED];
};

/* Rates and depths from cfg->pol for a clock of hz ticks per second (any lcore may call it). */
void dp_policer_set(struct dp_policer *p, const struct gw_config *cfg, uint64_t hz);
/* 1: the packet of event ev passes at time now; 0: it is over the rate. */
int dp_policer_take(struct dp_policer *p, unsigned ev, uint64_t now);

#endif /* FMIPGW_DP_POLICER_H */
