/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw's report: medians over the windows, the table, the machine-readable "# data" line
 * (bench_scale.py and sizing.py read it) and the check's verdict.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>

#include "bench_gw.h"
#include "dp.h"

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The median of v[0..n) (sorted in place), its min and max. */
static double med(double *v, unsigned n, double *lo, double *hi)
{
	qsort(v, n, sizeof(double), cmp_d);
	if (lo != NULL) {
		*lo = v[0];
		*hi = v[n - 1];
	}
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One worker: the table row bench_gw_a.py reads (unchanged since issue 14). */
static void report_one(const struct gw *gw, const struct bg_opts *o, const struct bg_frames *fr,
		       struct bg_result *r)
{
	const struct gw_counters *k = &gw->workers[0]->cnt;
	double lo, hi, m = med(r->tpp, o->windows, &lo, &hi);

	if (!o->quiet) {
		printf("| AT | MNs | Mpps/worker | ticks/pkt median [min, max] | rx | accepted "
		       "(distinct valid) | stale (valid, later laps) | bad MAC (forged) | false "
		       "accepts |\n");
		printf("|---|---|---|---|---|---|---|---|---|\n");
	}
	printf("| %u | %u | %.2f | %.1f [%.1f, %.1f] | %" PRIu64 " | %" PRIu64 " of %u | %" PRIu64
	       " | %" PRIu64 " | %d |\n",
	       o->at, o->n, (double)gw->tsc_hz / m / 1e6, m, lo, hi, k->rx_packets, k->fbu_accepted,
	       fr->share[0].n_valid, k->drop_fbu_stale_seq, k->drop_fbu_bad_mac,
	       k->fbu_accepted > fr->share[0].n_valid
		   ? (int)(k->fbu_accepted - fr->share[0].n_valid)
		   : 0);
}

/* Several workers: totals and each worker's share. */
static void report_scale(const struct gw *gw, const struct bg_opts *o, const struct bg_frames *fr,
			 struct bg_result *r, double *per)
{
	uint64_t acc = 0, valid = 0, bad = 0, forged = 0;
	double lo, hi, tot = med(r->total, o->windows, &lo, &hi);
	char pw[GW_MAX_WORKERS * 16] = "", *p = pw;

	for (unsigned i = 0; i < o->workers; i++) {
		const struct gw_counters *k = &gw->workers[i]->cnt;

		acc += k->fbu_accepted;
		valid += fr->share[i].n_valid;
		bad += k->drop_fbu_bad_mac;
		forged += bg_forged_in(&fr->share[i], bg_processed(k));
		p += snprintf(p, sizeof(pw) - (size_t)(p - pw), "%s%.2f", i ? " / " : "", per[i]);
	}
	if (!o->quiet) {
		printf("| workers | RX queues | distribution | AT | MNs | total Mpps median [min, "
		       "max] | Mpps per worker (medians) | busy ticks/pkt, all workers | accepted "
		       "(distinct valid) | bad MAC (forged) | false accepts |\n");
		printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
	}
	printf("| %u | %u | %s | %u | %u | %.2f [%.2f, %.2f] | %s | %.1f | %" PRIu64 " of %" PRIu64
	       " | %" PRIu64 " of %" PRIu64 " | %" PRIu64 " |\n",
	       o->workers, gw->ports[0].p.nb_rxq,
	       o->dist ? "software (dp/dist.c)" : "none (RSS-like)", o->at, o->n, tot, lo, hi, pw,
	       med(r->cpu, o->windows, NULL, NULL), acc, valid, bad, forged,
	       acc > valid ? acc - valid : 0);
	for (unsigned i = 0; i < o->workers; i++) {
		const struct gw_counters *k = &gw->workers[i]->cnt;

		printf("# worker %u on lcore %u: share %u MNs; rx %" PRIu64 ", handed on %" PRIu64
		       ", taken from others %" PRIu64 "; accepted %" PRIu64 ", stale %" PRIu64
		       ", bad MAC %" PRIu64 ", control ring full %" PRIu64 "\n",
		       i, gw->workers[i]->lcore, fr->share[i].n, k->rx_packets, k->dist_tx,
		       k->dist_rx, k->fbu_accepted, k->drop_fbu_stale_seq, k->drop_fbu_bad_mac,
		       k->drop_fbu_ring_full);
	}
}

void bg_report(const struct gw *gw, const struct bg_opts *o, const struct bg_frames *fr,
	       struct bg_result *r, enum bg_verdict v)
{
	double per[GW_MAX_WORKERS], cpu, total;

	for (unsigned i = 0; i < o->workers; i++)
		per[i] = med(r->per[i], o->windows, NULL, NULL);
	if (!o->quiet)
		printf("# bench-gw (a): fmipgw worker loop (app/fmipgw/dp) on net_pcap "
		       "infinite_rx, %u worker(s), %s, burst 32, [fbu] fast_decode %s, "
		       "pipeline_depth %u; %u window(s) of %.1f s; TSC %.3f GHz; memory: %s\n",
		       o->workers,
		       o->dist ? "one RX queue + software distribution"
			       : "one RX queue "
				 "each",
		       o->slow_decode ? "false" : "true", o->depth, o->windows, o->secs,
		       (double)gw->tsc_hz / 1e9,
		       rte_eal_has_hugepages() ? "hugepages" : "4 KiB pages (--no-huge)");
	printf("# MAC engine: %s\n", mac_engine_describe(gw->mac));
	if (o->workers == 1)
		report_one(gw, o, fr, r);
	else
		report_scale(gw, o, fr, r, per);
	cpu = med(r->cpu, o->windows, NULL, NULL);
	total = med(r->total, o->windows, NULL, NULL);
	/* machine-readable (bench_scale.py, sizing.py): workers dist AT MNs total-Mpps
	 * busy-ticks/pkt TSC-Hz Mpps-of-each-worker... */
	printf("# data\t%u\t%d\t%u\t%u\t%.4f\t%.2f\t%" PRIu64, o->workers, o->dist, o->at, o->n,
	       total, cpu, gw->tsc_hz);
	for (unsigned i = 0; i < o->workers; i++)
		printf("\t%.4f", per[i]);
	printf("\n# check: %s\n",
	       v == BG_OK ? "ok (every valid frame accepted once, every forged one dropped as bad "
			    "MAC, no false accept)"
	       : v == BG_INCONCLUSIVE ? "inconclusive (distribution drops; no false accept, every "
					"FBU decided; the figures are not figures)"
				      : "FAILED");
}
