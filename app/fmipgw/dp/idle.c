/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw idle policy — see idle.h. */
#include "idle.h"

void dp_idle_init(struct dp_idle *d, enum gw_idle mode, uint32_t max_us, uint32_t spin,
		  uint32_t nap)
{
	d->mode = (uint8_t)mode;
	d->spin = spin;
	d->nap = nap;
	d->empty = 0;
	d->max_us = max_us < DP_IDLE_MIN_SLEEP ? DP_IDLE_MIN_SLEEP : max_us;
	d->sleep_us = DP_IDLE_MIN_SLEEP;
}
