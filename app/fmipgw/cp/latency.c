/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw provisioning latency: a ring of the last CP_LAT_SAMPLES (RX at a worker -> PrRtAdv
 * handed to the PMD, microseconds), written by the control lcore, read by telemetry; and the
 * address formatting of the control plane's DEBUG lines.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_cycles.h>

#include "cp.h"

void cp_latency_record(struct gw_ctrl *c, uint64_t rx_tsc)
{
	uint64_t d = rte_rdtsc() - rx_tsc;
	uint64_t us = d * 1000000ull / c->gw->tsc_hz;

	__atomic_store_n(&c->lat_us[c->lat_n % CP_LAT_SAMPLES],
			 (uint32_t)(us > UINT32_MAX ? UINT32_MAX : us), __ATOMIC_RELAXED);
	__atomic_store_n(&c->lat_n, c->lat_n + 1, __ATOMIC_RELEASE);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t cp_latency_pct(const struct gw_ctrl *c, unsigned pct)
{
	uint64_t n = __atomic_load_n(&c->lat_n, __ATOMIC_ACQUIRE);
	uint32_t *v;
	size_t k;
	uint32_t r;

	if (n == 0)
		return 0;
	if (n > CP_LAT_SAMPLES)
		n = CP_LAT_SAMPLES;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		v[i] = __atomic_load_n(&c->lat_us[i], __ATOMIC_RELAXED);
	qsort(v, n, sizeof(*v), cmp_u32);
	k = (size_t)((n * pct + 99) / 100);
	r = v[k ? k - 1 : 0];
	free(v);
	return r;
}

const char *cp_addr(const uint8_t a[16], char *buf)
{
	if (inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN) == NULL)
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}
