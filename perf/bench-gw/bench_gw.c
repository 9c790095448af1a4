/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw (a) — FBU verification through fmipgw's real worker loop (app/fmipgw/dp and the
 * gateway's port set-up, linked from the fmipgw_core library, unchanged), on 1..N workers: N
 * mobile nodes' keys are installed in the key table, their FBU frames (7/8 valid, 1/8 forged,
 * bench_gw_frames.c) are split over the workers by the gateway's distribution hash (as RSS on
 * the IPv6 addresses would: each worker sees a disjoint set of MNs, A14's sequence state per
 * MN stays on one worker), and net_pcap replays them forever (infinite_rx: an mbuf allocated
 * and the frame copied per packet, like a NIC RX): one rx_pcap file and RX queue per worker,
 * or with -d one file and one RX queue that worker 0 polls and the gateway's software
 * distribution (dp/dist.c, [lcores] distribute = auto) spreads over the workers.  TX: the PMD's
 * tx_drop queues (an FBU is never transmitted by a worker: accepted ones go to the control
 * ring).  Each worker runs dp_worker_main(); the main lcore sleeps (nanosleep: on a CPU shared
 * with a worker it takes almost nothing), drains the event rings (what the control lcore
 * would do) and samples the counters: after 0.5 s of warm-up, R windows of S seconds.
 *
 * Figures per window: every worker's RX in Mpps, each worker's processed packets in Mpps, and
 * the busy TSC ticks (loop turns that found work) of all workers per processed packet — with
 * -d minus without, on the same frames and the same shares, is the distribution's cost.
 * Checks, per worker, exact (exit 1 and "# check: FAILED" otherwise): every valid frame of its
 * share accepted exactly once (later laps: stale sequence, after the full MAC check), exactly
 * the forged frames of what it processed dropped as bad MAC, nothing else (no key-less or
 * malformed drops), no false accept.  Packets dropped on a full distribution ring (-d on a
 * loaded machine) make the run inconclusive: exit 3, "# check: inconclusive".
 *
 * usage: bench-gw [EAL args] -- [-n MNs>=8] [-t AT] [-s seconds] [-r windows] [-D 0|1] [-F]
 *                 [-m sse|avx|avx2|avx512|auto|imb-auto] [-w workers] [-d] [-M] [-q]
 *   EAL args must give workers + 1 lcores (-l 0-1, --lcores 0@0,1@0,2@1); the vdev is added
 *   here.  -D: [fbu] pipeline_depth (default 1); -F: [fbu] fast_decode = false; -m: [mac] arch;
 *   -M: also the key table's and a binding table's memory per MN (rte_malloc heap).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "bench_gw.h"
#include "dp.h"

static const uint8_t par[16] = { 0x20, 0x03, [15] = 1 };

/* One reading of the counters of every worker. */
struct sample {
	uint64_t tsc;
	uint64_t rx[GW_MAX_WORKERS], proc[GW_MAX_WORKERS], busy[GW_MAX_WORKERS];
};

static void usage(void)
{
	fprintf(stderr, "usage: bench-gw [EAL] -- [-n MNs>=8] [-t 0|1] [-s seconds] [-r windows] "
			"[-D 0|1] [-F] [-m arch] [-w workers] [-d] [-M] [-q]\n");
	exit(2);
}

/* The options after "--" (argv[sep]). */
static void parse_opts(int argc, char **argv, int sep, struct bg_opts *o)
{
	int c;

	*o = (struct bg_opts){ .n = 1000, .windows = 1, .depth = 1, .secs = 3.0, .workers = 1 };
	optind = sep + 1 < argc ? sep + 1 : argc;
	while (optind < argc && (c = getopt(argc, argv, "n:t:s:r:D:Fm:w:dMq")) != -1) {
		if (c == 'n')
			o->n = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 't')
			o->at = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 's')
			o->secs = strtod(optarg, NULL);
		else if (c == 'r')
			o->windows = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'D')
			o->depth = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'F')
			o->slow_decode = true;
		else if (c == 'm' && (o->arch = mac_arch_parse(optarg)) >= 0)
			continue;
		else if (c == 'w')
			o->workers = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'd')
			o->dist = true;
		else if (c == 'M')
			o->mem = true;
		else if (c == 'q')
			o->quiet = true;
		else
			usage();
	}
	if (o->n < 8 || o->at > 1 || o->secs <= 0 || o->windows == 0 ||
	    o->windows > BG_MAX_WINDOWS || o->depth > 1 || o->workers == 0 ||
	    o->workers > GW_MAX_WORKERS || (o->dist && o->workers < 2))
		usage();
}

/* The vdev: one rx_pcap per worker, or with -d one rx_pcap and a tx_pcap per worker (the
 * gateway wants a TX queue per worker; net_pcap gives one per tx_pcap, else one per rx_pcap). */
static void vdev_args(const struct bg_frames *fr, char *v, size_t len)
{
	size_t o = (size_t)snprintf(v, len, "net_pcap0,infinite_rx=1");

	for (unsigned k = 0; k < fr->n_files && o < len; k++)
		o += (size_t)snprintf(v + o, len - o, ",rx_pcap=%s", fr->file[k]);
	for (unsigned k = 0; fr->n_files == 1 && k < fr->workers && fr->workers > 1 && o < len; k++)
		o += (size_t)snprintf(v + o, len - o, ",tx_pcap=/dev/null");
}

/* EAL with the arguments before "--", a file prefix of our own unless given, and the vdev. */
static int eal_start(int argc, char **argv, int sep, const char *vdev)
{
	char *eargv[sep + 5];
	char prefix[64];
	bool has_prefix = false;
	int ne = 0;

	(void)argc;
	for (int i = 0; i < sep; i++) {
		eargv[ne++] = argv[i];
		if (!strncmp(argv[i], "--file-prefix", 13) || !strcmp(argv[i], "--in-memory"))
			has_prefix = true;
	}
	if (!has_prefix) { /* unique: other build directories may run us concurrently */
		snprintf(prefix, sizeof(prefix), "fmipgw_bench_gw_%d", (int)getpid());
		eargv[ne++] = "--file-prefix";
		eargv[ne++] = prefix;
	}
	eargv[ne++] = "--vdev";
	eargv[ne++] = (char *)vdev;
	eargv[ne] = NULL;
	return rte_eal_init(ne, eargv);
}

static size_t heap_used(void)
{
	struct rte_malloc_socket_stats st;

	if (rte_malloc_get_socket_stats((int)rte_socket_id(), &st) != 0)
		return 0;
	return st.heap_allocsz_bytes;
}

/* -M: a binding table of capacity n (one counter array per worker), measured and freed. */
static int binding_mem(struct gw *gw, const struct bg_opts *o, size_t kt_bytes)
{
	struct binding_cfg bc = { .name = "bench_gw_bind",
				  .capacity = o->n,
				  .n_workers = o->workers,
				  .socket_id = (int)rte_socket_id(),
				  .qsv = gw->qsv };
	struct binding_table *bt;
	size_t h0 = heap_used(), bytes;

	if (binding_create(&bc, &bt) < 0)
		return -1;
	bytes = heap_used() - h0;
	binding_free(bt);
	printf("# memory per MN (rte_malloc heap): key table %.0f octets (%u keys, AT %u), "
	       "binding table %.0f octets (capacity %u, %u worker counter arrays)\n",
	       (double)kt_bytes / o->n, o->n, o->at, (double)bytes / o->n, o->n, o->workers);
	printf("# mem\t%u\t%u\t%.1f\t%.1f\n", o->n, o->workers, (double)kt_bytes / o->n,
	       (double)bytes / o->n);
	return 0;
}

/* The gateway's defaults for what the worker reads, the MAC engine, RCU and the keys. */
static int gw_build(struct gw *gw, const struct bg_opts *o, struct bg_mn *mns)
{
	size_t h0;

	gw->tsc_hz = rte_get_tsc_hz();
	gw->n_workers = o->workers;
	memcpy(gw->cfg.par[0], par, 16);
	gw->cfg.n_par = 1;
	gw->cfg.router_addr[0] = 0xfe;
	gw->cfg.router_addr[1] = 0x80;
	gw->cfg.router_addr[15] = 1;
	gw->cfg.burst = 32;
	gw->cfg.pass = GW_PASS_DROP;
	/* control and distribution rings: room for ~10 ms of a worker that is descheduled */
	gw->cfg.ring_size = o->workers > 1 ? 16384 : 4096;
	/* infinite_rx keeps every frame in an mbuf; the rings' contents beside */
	gw->cfg.mbufs = o->n + o->workers * (16384 + gw->cfg.ring_size);
	gw->cfg.mbuf_cache = 256;
	/* 134-octet frames: 512 octets of data room keep the 1M frames that infinite_rx stores
	 * about 3x denser than the default 2 KiB (bench-fbu's RX stand-in copies from a dense
	 * array) */
	gw->cfg.mbuf_data_room = RTE_PKTMBUF_HEADROOM + 512;
	gw->cfg.rx_desc = 1024;
	gw->cfg.tx_desc = 1024;
	gw->cfg.distribute = GW_DIST_AUTO; /* the device's queue count decides (-d: one) */
	gw->cfg.fbu_fast_decode = !o->slow_decode;
	gw->cfg.fbu_pipeline_depth = o->depth;
	mac_cfg_defaults(&gw->cfg.mac);
	gw->cfg.mac.arch = (enum mac_arch)o->arch;
	if (mac_engine_create(&gw->cfg.mac, &gw->mac) < 0)
		return -1;
	gw->qsv = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(o->workers), RTE_CACHE_LINE_SIZE);
	if (gw->qsv == NULL || rte_rcu_qsbr_init(gw->qsv, o->workers) != 0)
		return -1;
	struct keytab_cfg kc = { .name = "bench_gw",
				 .capacity = o->n + 64,
				 .socket_id = 0,
				 .qsv = gw->qsv,
				 .mac = gw->mac };
	h0 = heap_used();
	if (keytab_create(&kc, &gw->kt) < 0)
		return -1;
	for (unsigned i = 0; i < o->n; i++) {
		static const uint8_t sha[20];

		if (keytab_add(gw->kt, mns[i].pcoa, (uint8_t)o->at, mns[i].key,
			       o->at == 0 ? 20 : 32, sha, 0, 1u << 30) < 0) {
			fprintf(stderr, "bench-gw: keytab_add failed\n");
			return -1;
		}
	}
	return o->mem ? binding_mem(gw, o, heap_used() - h0) : 0;
}

static void take(const struct gw *gw, struct sample *s)
{
	s->tsc = rte_rdtsc();
	for (unsigned i = 0; i < gw->n_workers; i++) {
		const struct gw_counters *k = &gw->workers[i]->cnt;
		uint64_t rx = __atomic_load_n(&k->rx_packets, __ATOMIC_RELAXED);
		uint64_t dtx = __atomic_load_n(&k->dist_tx, __ATOMIC_RELAXED);
		uint64_t ddrop = __atomic_load_n(&k->drop_dist_full, __ATOMIC_RELAXED);
		uint64_t drx = __atomic_load_n(&k->dist_rx, __ATOMIC_RELAXED);

		s->rx[i] = rx;
		s->proc[i] = rx - dtx - ddrop + drx;
		s->busy[i] = __atomic_load_n(&k->busy_ticks, __ATOMIC_RELAXED);
	}
}

static void window(const struct gw *gw, const struct sample *a, const struct sample *b, unsigned k,
		   struct bg_result *r)
{
	double win = (double)(b->tsc - a->tsc), hz = (double)gw->tsc_hz;
	uint64_t rx = 0, proc = 0, busy = 0;

	for (unsigned i = 0; i < gw->n_workers; i++) {
		rx += b->rx[i] - a->rx[i];
		proc += b->proc[i] - a->proc[i];
		busy += b->busy[i] - a->busy[i];
		r->per[i][k] = (double)(b->proc[i] - a->proc[i]) * hz / win / 1e6;
	}
	r->tpp[k] = win / (double)(rx ? rx : 1);
	r->total[k] = (double)rx * hz / win / 1e6;
	r->cpu[k] = (double)busy / (double)(proc ? proc : 1);
}

/* Whether every worker has accepted its share's valid frames: no more events come. */
static bool all_accepted(const struct gw *gw, const struct bg_frames *fr)
{
	for (unsigned i = 0; i < gw->n_workers; i++)
		if (__atomic_load_n(&gw->workers[i]->cnt.fbu_accepted, __ATOMIC_RELAXED) <
		    fr->share[i].n_valid)
			return false;
	return true;
}

/* Run the workers: 0.5 s of warm-up, then the windows.  The main lcore drains the event rings
 * (the control lcore's job) every 500 us while accepted FBUs come (the first lap), then sleeps
 * to the end of each window: on the CPU it shares with worker 0 it takes a few wake-ups. */
static void measure(struct gw *gw, const struct bg_opts *o, const struct bg_frames *fr,
		    struct bg_result *r)
{
	uint64_t win = (uint64_t)(o->secs * (double)gw->tsc_hz);
	struct sample s[2];
	unsigned k = 0, cur = 0;
	int started = 0;
	uint64_t next, now;

	gw->running = 1;
	for (unsigned i = 0; i < gw->n_workers; i++)
		rte_eal_remote_launch(dp_worker_main, gw->workers[i], gw->workers[i]->lcore);
	next = rte_rdtsc() + gw->tsc_hz / 2;
	while (k < o->windows) {
		for (unsigned i = 0; i < gw->n_workers; i++)
			gw_ring_drain(gw->workers[i]->ring, 0, NULL, NULL);
		now = rte_rdtsc();
		if (now < next) {
			uint64_t left_us = (next - now) * 1000000 / gw->tsc_hz + 1;

			if (left_us > 1000000)
				left_us = 1000000;
			rte_delay_us_sleep(all_accepted(gw, fr) ? (unsigned)left_us : 500);
			continue;
		}
		take(gw, &s[cur]);
		if (started)
			window(gw, &s[cur ^ 1], &s[cur], k++, r);
		started = 1;
		next = s[cur].tsc + win;
		cur ^= 1;
	}
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
}

/* Worker w's decisions against its share, exactly: every valid frame accepted once, exactly
 * the forged frames of what it processed a bad MAC, every other FBU a stale sequence (or a
 * full control ring: retried on a later lap), nothing else.  lost: packets that may have been
 * meant for this worker and were dropped on its full distribution ring; then which frames it
 * saw is unknown, only bounded: every FBU decided, none accepted twice, no more bad MACs than
 * forged frames among the first processed + lost of its stream. */
static bool worker_ok(const struct gw_worker *w, const struct bg_share *s, uint64_t lost, char *why,
		      size_t len)
{
	const struct gw_counters *k = &w->cnt;
	bool lossy = lost != 0;
	uint64_t proc = bg_processed(k), forged = bg_forged_in(s, proc + lost);
	uint64_t out =
	    k->fbu_accepted + k->drop_fbu_stale_seq + k->drop_fbu_bad_mac + k->drop_fbu_ring_full;

	if (lossy ? k->fbu_accepted > s->n_valid : k->fbu_accepted != s->n_valid)
		snprintf(why, len, "accepted %" PRIu64 " of its %u distinct valid frames",
			 k->fbu_accepted, s->n_valid);
	else if (lossy ? k->drop_fbu_bad_mac > forged : k->drop_fbu_bad_mac != forged)
		snprintf(why, len, "%" PRIu64 " bad MACs, but %" PRIu64 " forged frames processed",
			 k->drop_fbu_bad_mac, forged);
	else if (k->fbu_rx != proc || out != proc)
		snprintf(why, len,
			 "of %" PRIu64 " packets processed, %" PRIu64 " FBUs, %" PRIu64 " decided",
			 proc, k->fbu_rx, out);
	else if (!lossy && proc < 2ull * s->n)
		snprintf(why, len, "%" PRIu64 " processed: fewer than two laps of its %u frames",
			 proc, s->n);
	else
		return true;
	return false;
}

/* Every worker's decisions, the port's distribution as asked.  A packet dropped on a full
 * distribution ring (a worker that did not get its CPU: a loaded machine) makes the run
 * inconclusive: the receiving workers are checked loosely, the figures are not figures. */
static enum bg_verdict decisions(const struct gw *gw, const struct bg_opts *o,
				 const struct bg_frames *fr)
{
	const struct gw_port *gp = &gw->ports[0];
	enum bg_verdict v = BG_OK;
	uint64_t dropped = 0;
	char why[160];

	if (gp->dist != o->dist || gp->p.nb_rxq != (o->dist ? 1 : o->workers)) {
		printf("# check: port 0 has %u RX queue(s), distribution %s: not what -w/-d ask\n",
		       gp->p.nb_rxq, gp->dist ? "on" : "off");
		v = BG_FAILED;
	}
	for (unsigned i = 0; i < o->workers; i++)
		dropped += gw->workers[i]->cnt.drop_dist_full;
	if (dropped != 0 && v == BG_OK) {
		printf("# check: %" PRIu64 " packets dropped on a full distribution ring: a worker "
		       "did not keep up (a loaded machine?)\n",
		       dropped);
		v = BG_INCONCLUSIVE;
	}
	for (unsigned i = 0; i < o->workers; i++)
		if (!worker_ok(gw->workers[i], &fr->share[i], i != 0 ? dropped : 0, why,
			       sizeof(why))) {
			printf("# check: worker %u: %s\n", i, why);
			v = BG_FAILED;
		}
	return v;
}

int main(int argc, char **argv)
{
	static struct gw gw;
	static struct bg_result r;
	struct bg_frames fr;
	struct bg_opts o;
	char vdev[1024], err[512];
	unsigned lcore;
	int sep = argc;
	struct bg_mn *mns;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	parse_opts(argc, argv, sep, &o);
	mns = calloc(o.n, sizeof(*mns));
	if (mns == NULL || bg_frames_build(&o, mns, &fr) < 0)
		return 1;
	vdev_args(&fr, vdev, sizeof(vdev));
	if (eal_start(argc, argv, sep, vdev) < 0) {
		fprintf(stderr, "bench-gw: EAL init failed\n");
		return 1;
	}
	gw_log.fast = gw_log.ctrl = gw_log.cfg = gw_log.crypto =
	    rte_log_register_type_and_pick_level("fmipgw.bench", RTE_LOG_WARNING);
	if (rte_lcore_count() < o.workers + 1) {
		fprintf(stderr,
			"bench-gw: give %u lcores (-l 0-%u, or --lcores): the main one "
			"samples, %u worker(s)\n",
			o.workers + 1, o.workers, o.workers);
		return 1;
	}
	if (gw_build(&gw, &o, mns) < 0) {
		fprintf(stderr, "bench-gw: MAC engine, RCU or key table set-up failed\n");
		return 1;
	}
	memset(mns, 0, o.n * sizeof(*mns));
	free(mns);
	if (gw_ports_init(&gw, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench-gw: %s\n", err);
		return 1;
	}
	lcore = rte_get_main_lcore();
	for (unsigned i = 0; i < o.workers; i++) {
		lcore = rte_get_next_lcore(lcore, 1, 0);
		if (dp_worker_create(&gw, i, lcore, &gw.workers[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "bench-gw: %s\n", err);
			return 1;
		}
	}
	measure(&gw, &o, &fr, &r);
	enum bg_verdict v = decisions(&gw, &o, &fr);
	bg_report(&gw, &o, &fr, &r, v);
	bg_frames_unlink(&fr);
	return v == BG_OK ? 0 : v == BG_INCONCLUSIVE ? 3 : 1;
}
