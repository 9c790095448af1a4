/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw per-worker policer — see policer.h. */
#include "policer.h"

void dp_policer_set(struct dp_policer *p, const struct gw_config *cfg, uint64_t hz)
{
	for (unsigned e = 0; e < GW_EV__POLICED; e++) {
		uint64_t cost = cfg->pol[e].rate ? hz / cfg->pol[e].rate : 0;

		if (cfg->pol[e].rate && cost == 0)
			cost = 1;
		__atomic_store_n(&p->cap[e], cost * cfg->pol[e].burst, __ATOMIC_RELAXED);
		__atomic_store_n(&p->cost[e], cost, __ATOMIC_RELAXED);
	}
}

int dp_policer_take(struct dp_policer *p, unsigned ev, uint64_t now)
{
	uint64_t cost = __atomic_load_n(&p->cost[ev], __ATOMIC_RELAXED);
	uint64_t cap = __atomic_load_n(&p->cap[ev], __ATOMIC_RELAXED);

	if (cost == 0)
		return 1;
	p->credit[ev] += now - p->last[ev];
	p->last[ev] = now;
	if (p->credit[ev] > cap)
		p->credit[ev] = cap;
	if (p->credit[ev] < cost)
		return 0;
	p->credit[ev] -= cost;
	return 1;
}
