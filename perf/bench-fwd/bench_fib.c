/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fib — lib/route's FIB on its own: the time route_fib_build() takes for N routes (the
 * 1M-route build time of issue 11, a benchmark and not a test), the time route_table_publish()
 * takes, and single-lcore route_lookup_bulk() lookups per second over destinations spread
 * across the routes.  The routes are bench_fwd.py's: N /56 prefixes under 2001:db8::/32, the
 * i-th one 2001:db8:ii:ii00::/56 (i in the 24 bits after the /32), all via fe80::1 port 1.
 *
 * usage: bench-fib [EAL options] -- [-n ROUTES] [-s SECONDS] [-q]
 * Prints one Markdown table row (with a header unless -q).  Figures mean something only on a
 * quiet machine (docs/performance.md).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "route.h"

#define N_DST 4096 /* distinct destinations looked up */

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The i-th /56 of bench_fwd.py. */
static void route_prefix(uint32_t i, uint8_t p[16])
{
	static const uint8_t base[4] = { 0x20, 0x01, 0x0d, 0xb8 };

	memset(p, 0, 16);
	memcpy(p, base, 4);
	p[4] = (uint8_t)(i >> 16);
	p[5] = (uint8_t)(i >> 8);
	p[6] = (uint8_t)i;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-fib [EAL options] -- [-n ROUTES] [-s SECONDS] [-q]\n");
	exit(2);
}

static double lookups_per_s(const struct route_fib *f, uint32_t n_routes, double secs)
{
	static uint8_t dst[N_DST][16], ips[32][16];
	int32_t nh[32];
	uint64_t done = 0, bad = 0;
	double t0, t1;

	for (uint32_t j = 0; j < N_DST; j++) {
		route_prefix((uint32_t)(((uint64_t)j * 2654435761u) % n_routes), dst[j]);
		dst[j][15] = 1;
	}
	t0 = mono();
	do {
		for (int r = 0; r < 1024; r++) {
			for (int i = 0; i < 32; i++)
				memcpy(ips[i], dst[(done + (uint64_t)i) % N_DST], 16);
			route_lookup_bulk(f, ips, nh, 32);
			for (int i = 0; i < 32; i++)
				bad += nh[i] < 0;
			done += 32;
		}
		t1 = mono();
	} while (t1 - t0 < secs);
	if (bad) {
		fprintf(stderr, "bench-fib: %" PRIu64 " lookups found no route\n", bad);
		exit(1);
	}
	return (double)done / (t1 - t0);
}

int main(int argc, char **argv)
{
	struct route_table_cfg cfg = { .name = "bfib", .n_ports = 2 };
	struct route_table *t;
	struct route_fib *f;
	struct route_spec *rs;
	struct route_err err;
	struct rte_rcu_qsbr *qsv;
	uint32_t n = 1000;
	double secs = 1, tb, tp, lps;
	int quiet = 0, c, ret = rte_eal_init(argc, argv);

	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((c = getopt(argc, argv, "n:s:q")) != -1) {
		if (c == 'n')
			n = (uint32_t)strtoul(optarg, NULL, 10);
		else if (c == 's')
			secs = strtod(optarg, NULL);
		else if (c == 'q')
			quiet = 1;
		else
			usage();
	}
	if (n == 0 || n > (1u << 24))
		usage();
	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	rs = calloc(n, sizeof(*rs));
	if (qsv == NULL || rs == NULL || rte_rcu_qsbr_init(qsv, 1) != 0)
		return 1;
	for (uint32_t i = 0; i < n; i++) {
		route_prefix(i, rs[i].prefix);
		rs[i].len = 56;
		rs[i].kind = ROUTE_VIA;
		rs[i].port = 1;
		rs[i].gw[0] = 0xfe;
		rs[i].gw[1] = 0x80;
		rs[i].gw[15] = 1;
	}
	cfg.max_routes = n;
	cfg.tbl8_groups = 65536; /* as l3fwd's IPV6_L3FWD_LPM_NUMBER_TBL8S */
	cfg.qsv = qsv;
	if ((ret = route_table_create(&cfg, &t)) != 0) {
		fprintf(stderr, "bench-fib: route_table_create: %s\n", strerror(-ret));
		return 1;
	}
	tb = mono();
	if (route_fib_build(t, rs, n, &f, &err) != 0) {
		fprintf(stderr, "bench-fib: %s\n", err.msg);
		return 1;
	}
	tb = mono() - tb;
	tp = mono();
	route_table_publish(t, f);
	tp = mono() - tp;
	lps = lookups_per_s(route_fib_current(t), n, secs);
	if (!quiet) {
		printf("# bench-fib: lib/route FIB, %u /56 routes, one lcore, bulk of 32; TSC "
		       "%.3f GHz\n",
		       n, (double)rte_get_tsc_hz() / 1e9);
		printf("| routes | build s | publish us | Mlookups/s | TSC ticks/lookup |\n");
		printf("|---|---|---|---|---|\n");
	}
	printf("| %u | %.3f | %.1f | %.2f | %.1f |\n", n, tb, tp * 1e6, lps / 1e6,
	       (double)rte_get_tsc_hz() / lps);
	route_table_free(t);
	free(rs);
	rte_free(qsv);
	rte_eal_cleanup();
	return 0;
}
