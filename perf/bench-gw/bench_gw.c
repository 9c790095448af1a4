/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw (a) — FBU verification through fmipgw's real worker loop (app/fmipgw/dp and the
 * gateway's port set-up, linked from the fmipgw_core library, unchanged): N mobile nodes' keys are
 * installed in the key table, their FBU frames (7/8 valid, 1/8 forged with a valid checksum, built
 * with lib/wire and sealed with an independent OpenSSL HMAC) are written to a pcap with libpcap,
 * and the net_pcap PMD replays that file forever (infinite_rx: an mbuf allocated and the frame
 * copied per packet, like a NIC RX).  One worker lcore runs dp_worker_main(); the main lcore
 * sleeps, drains the worker's event ring (what the control lcore would do) and samples the
 * counters: after 0.5 s of warm-up, R windows of S seconds each, TSC ticks per received packet
 * per window (the worker polls all the time, so elapsed ticks / packets is its cost).
 *
 * Checks: every distinct valid frame is accepted exactly once (its sequence is then stale on
 * every later lap: drop_fbu_stale_seq, after the full MAC check), every forged frame is dropped
 * as bad MAC, nothing is accepted that should not be (false accepts = 0).
 *
 * usage: bench-gw [EAL args] -- [-n MNs] [-t AT] [-s seconds] [-r windows] [-D 0|1] [-F]
 *                 [-m sse|avx|avx2|avx512|auto|imb-auto] [-q]
 *   EAL args must give 2 lcores (-l 0-1); the PMD vdev is added here.
 *   -D: [fbu] pipeline_depth (default 1); -F: [fbu] fast_decode = false; -m: [mac] arch.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pcap/pcap.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp.h"
#include "gw.h"

#define MAX_WINDOWS 32

static const uint8_t par[16] = { 0x20, 0x03, [15] = 1 };

struct mn {
	uint8_t pcoa[16];
	uint8_t key[32];
};

struct opts {
	unsigned n, at, windows, depth;
	double secs;
	bool quiet, slow_decode;
	int arch;
};

/* One MN's sealed FBU frame (Ethernet + IPv6 FBU from the PAR's link) into frame; its length. */
static size_t build_frame(uint8_t at, const struct mn *mn, bool forged, uint8_t *frame, size_t cap)
{
	static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 1 }, gw_mac[6] = { 2, 0, 0, 0, 0, 2 };
	unsigned klen = at == 0 ? 20 : 32, tlen = at == 0 ? 12 : 16, tl = 0;
	const EVP_MD *md = at == 0 ? EVP_sha1() : EVP_sha256();
	uint8_t ncoa[16], tag[EVP_MAX_MD_SIZE], mi[512];
	struct wire_buf w = wire_buf_make(frame, cap);
	struct wire_fbu_spec s = { 0 };
	struct wire_frame f;
	struct wire_mac_input in;
	size_t mh_off, auth_off;

	memcpy(ncoa, mn->pcoa, 16);
	ncoa[7] = 2;
	wire_build_eth(&w, gw_mac, mn_mac, -1, WIRE_ETH_P_IPV6);
	s.src = mn->pcoa;
	s.dst = par;
	s.hoa = mn->pcoa;
	s.altcoa = ncoa;
	s.seq = 1;
	s.lifetime = 10;
	s.auth_len = (uint8_t)tlen;
	struct wire_buf ip = wire_buf_make(frame + w.len, cap - w.len);
	if (wire_build_fbu(&ip, &s, &mh_off, &auth_off) != WIRE_OK)
		return 0;
	/* the MAC input as lib/wire defines it, MACed by OpenSSL (independent of lib/mac) */
	wire_decode_frame(frame + w.len, ip.len, WIRE_LINK_RAW6, &f);
	if (f.msg != WIRE_MSG_FBU || wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		return 0;
	size_t ml = wire_segs_copy(in.seg, in.n, mi, sizeof(mi));
	HMAC(md, mn->key, (int)klen, mi, ml, tag, &tl);
	if (forged)
		tag[0] ^= 0x5a;
	wire_mh_seal(frame + w.len, ip.len, mh_off, auth_off, tag, tlen);
	return w.len + ip.len;
}

/* Frames and keys before EAL (the vdev reads the file at probe); keys go in the table later. */
static int build_pcap(const char *file, unsigned n, uint8_t at, struct mn *mns, unsigned *n_valid)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pd ? pcap_dump_open(pd, file) : NULL;

	if (d == NULL) {
		fprintf(stderr, "bench-gw: cannot write %s\n", file);
		return -1;
	}
	*n_valid = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t frame[256];
		bool forged = (i % 8) == 7;
		struct pcap_pkthdr h = { 0 };

		mns[i].pcoa[0] = 0x20;
		mns[i].pcoa[1] = 0x03;
		RAND_bytes(mns[i].pcoa + 8, 8);
		RAND_bytes(mns[i].key, sizeof(mns[i].key));
		h.caplen = h.len =
		    (bpf_u_int32)build_frame(at, &mns[i], forged, frame, sizeof(frame));
		if (h.len == 0) {
			fprintf(stderr, "bench-gw: building an FBU failed\n");
			return -1;
		}
		pcap_dump((u_char *)d, &h, frame);
		if (!forged)
			(*n_valid)++;
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-gw [EAL] -- [-n MNs>=8] [-t 0|1] [-s seconds] [-r windows] "
			"[-D 0|1] [-F] [-m arch] [-q]\n");
	exit(2);
}

/* The options after "--" (argv[sep]). */
static void parse_opts(int argc, char **argv, int sep, struct opts *o)
{
	int c;

	*o = (struct opts){ .n = 1000, .windows = 1, .depth = 1, .secs = 3.0 };
	optind = sep + 1 < argc ? sep + 1 : argc;
	while (optind < argc && (c = getopt(argc, argv, "n:t:s:r:D:Fm:q")) != -1) {
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
		else if (c == 'q')
			o->quiet = true;
		else
			usage();
	}
	if (o->n < 8 || o->at > 1 || o->secs <= 0 || o->windows == 0 || o->windows > MAX_WINDOWS ||
	    o->depth > 1)
		usage();
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

/* The gateway's defaults for what the worker reads, the MAC engine, RCU and the keys. */
static int gw_build(struct gw *gw, const struct opts *o, struct mn *mns)
{
	gw->tsc_hz = rte_get_tsc_hz();
	gw->n_workers = 1;
	memcpy(gw->cfg.par[0], par, 16);
	gw->cfg.n_par = 1;
	gw->cfg.router_addr[0] = 0xfe;
	gw->cfg.router_addr[1] = 0x80;
	gw->cfg.router_addr[15] = 1;
	gw->cfg.burst = 32;
	gw->cfg.pass = GW_PASS_DROP;
	gw->cfg.mbufs = o->n + 16384; /* infinite_rx keeps every frame of the file in an mbuf */
	gw->cfg.mbuf_cache = 256;
	/* 134-octet frames: 512 octets of data room keep the 1M frames that infinite_rx stores
	 * about 3x denser than the default 2 KiB (bench-fbu's RX stand-in copies from a dense array) */
	gw->cfg.mbuf_data_room = RTE_PKTMBUF_HEADROOM + 512;
	gw->cfg.rx_desc = 1024;
	gw->cfg.tx_desc = 1024;
	gw->cfg.ring_size = 16384; /* the first lap's accepts: see measure() */
	gw->cfg.fbu_fast_decode = !o->slow_decode;
	gw->cfg.fbu_pipeline_depth = o->depth;
	mac_cfg_defaults(&gw->cfg.mac);
	gw->cfg.mac.arch = (enum mac_arch)o->arch;
	if (mac_engine_create(&gw->cfg.mac, &gw->mac) < 0)
		return -1;
	gw->qsv = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (gw->qsv == NULL || rte_rcu_qsbr_init(gw->qsv, 1) != 0)
		return -1;
	struct keytab_cfg kc = { .name = "bench_gw",
				 .capacity = o->n + 64,
				 .socket_id = 0,
				 .qsv = gw->qsv,
				 .mac = gw->mac };
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
	return 0;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Run the worker: 0.5 s of warm-up, then the windows; tpp[i]: ticks per packet of window i.
 * The main lcore drains the event ring (the control lcore's job) and sleeps otherwise. */
static void measure(struct gw *gw, struct gw_worker *w, const struct opts *o, double *tpp)
{
	uint64_t t0 = rte_rdtsc(), t1 = t0, win = (uint64_t)(o->secs * (double)gw->tsc_hz);
	uint64_t next = t0 + gw->tsc_hz / 2, rx0 = 0, rx;
	struct rte_mbuf *ev[64];
	unsigned k = 0;
	int started = 0;

	gw->running = 1;
	rte_eal_remote_launch(dp_worker_main, w, w->lcore);
	while (k < o->windows) {
		unsigned ne;

		/* every accepted FBU of the first lap comes here at the worker's rate: drain
		 * until empty, so that none is lost as drop_fbu_ring_full (decisions_ok) */
		do {
			ne = rte_ring_sc_dequeue_burst(w->ring, (void **)ev, 64, NULL);
			rte_pktmbuf_free_bulk(ev, ne);
		} while (ne == 64);
		rte_delay_us_sleep(500); /* leave the other CPU to the worker */
		if ((t1 = rte_rdtsc()) < next)
			continue;
		rx = __atomic_load_n(&w->cnt.rx_packets, __ATOMIC_RELAXED);
		if (started)
			tpp[k++] = (double)(t1 - t0) / (double)(rx - rx0 ? rx - rx0 : 1);
		started = 1;
		t0 = t1;
		rx0 = rx;
		next = t1 + win;
	}
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();
}

static void report(const struct gw *gw, const struct gw_worker *w, const struct opts *o,
		   unsigned n_valid, double *tpp, bool ok)
{
	const struct gw_counters *k = &w->cnt;
	unsigned r = o->windows;
	double med;

	qsort(tpp, r, sizeof(double), cmp_d);
	med = r % 2 ? tpp[r / 2] : (tpp[r / 2 - 1] + tpp[r / 2]) / 2;
	if (!o->quiet) {
		printf("# bench-gw (a): fmipgw worker loop (app/fmipgw/dp) on net_pcap "
		       "infinite_rx, 1 worker, burst 32, [fbu] fast_decode %s, pipeline_depth "
		       "%u; %u window(s) of %.1f s; TSC %.3f GHz; memory: %s\n",
		       o->slow_decode ? "false" : "true", o->depth, r, o->secs,
		       (double)gw->tsc_hz / 1e9,
		       rte_eal_has_hugepages() ? "hugepages" : "4 KiB pages (--no-huge)");
		printf("| AT | MNs | Mpps/worker | ticks/pkt median [min, max] | rx | accepted "
		       "(distinct valid) | stale (valid, later laps) | bad MAC (forged) | false "
		       "accepts |\n");
		printf("|---|---|---|---|---|---|---|---|---|\n");
	}
	printf("# MAC engine: %s\n", mac_engine_describe(gw->mac));
	printf("| %u | %u | %.2f | %.1f [%.1f, %.1f] | %" PRIu64 " | %" PRIu64 " of %u | %" PRIu64
	       " | %" PRIu64 " | %d |\n",
	       o->at, o->n, (double)gw->tsc_hz / med / 1e6, med, tpp[0], tpp[r - 1], k->rx_packets,
	       k->fbu_accepted, n_valid, k->drop_fbu_stale_seq, k->drop_fbu_bad_mac,
	       k->fbu_accepted > n_valid ? (int)(k->fbu_accepted - n_valid) : 0);
	printf("# check: %s\n", ok ? "ok (every valid frame accepted once, every forged one "
				     "dropped as bad MAC, no false accept)"
				   : "FAILED");
}

/* Every valid frame accepted once, every forged one a bad MAC, nothing else. */
static bool decisions_ok(const struct gw_counters *k, unsigned n, unsigned n_valid)
{
	uint64_t checked = k->fbu_accepted + k->drop_fbu_stale_seq + k->drop_fbu_bad_mac;
	/* forged frames are exactly 1 in 8 of each lap: bad MACs must match the laps' share */
	uint64_t laps = k->rx_packets / n, rem = k->rx_packets % n;
	uint64_t forged_expected = laps * (n / 8) + (rem / 8);

	return k->fbu_accepted == n_valid && k->drop_fbu_no_key == 0 && k->drop_malformed == 0 &&
	       k->drop_fbu_ring_full == 0 && checked == k->fbu_rx && k->rx_packets >= 2ull * n &&
	       k->drop_fbu_bad_mac >= forged_expected - 1 &&
	       k->drop_fbu_bad_mac <= forged_expected + 1;
}

int main(int argc, char **argv)
{
	static struct gw gw;
	struct opts o;
	unsigned n_valid = 0;
	char file[] = "/tmp/fmipgw-bench-gw-XXXXXX", vdev[256], err[512];
	double tpp[MAX_WINDOWS];
	int sep = argc, fd;
	struct gw_worker *w;
	struct mn *mns;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	parse_opts(argc, argv, sep, &o);
	if ((fd = mkstemp(file)) < 0)
		return 1;
	close(fd);
	snprintf(vdev, sizeof(vdev), "net_pcap0,rx_pcap=%s,infinite_rx=1", file);
	mns = calloc(o.n, sizeof(*mns));
	if (mns == NULL || build_pcap(file, o.n, (uint8_t)o.at, mns, &n_valid) < 0)
		return 1;
	if (eal_start(argc, argv, sep, vdev) < 0) {
		fprintf(stderr, "bench-gw: EAL init failed\n");
		return 1;
	}
	gw_log.fast = gw_log.ctrl = gw_log.cfg = gw_log.crypto =
	    rte_log_register_type_and_pick_level("fmipgw.bench", RTE_LOG_WARNING);
	if (rte_lcore_count() < 2) {
		fprintf(stderr, "bench-gw: give two lcores (-l 0-1): main samples, one worker\n");
		return 1;
	}
	if (gw_build(&gw, &o, mns) < 0) {
		fprintf(stderr, "bench-gw: MAC engine, RCU or key table set-up failed\n");
		return 1;
	}
	memset(mns, 0, o.n * sizeof(*mns));
	free(mns);
	if (gw_ports_init(&gw, err, sizeof(err)) < 0 ||
	    dp_worker_create(&gw, 0, rte_get_next_lcore(rte_get_main_lcore(), 1, 0), &w, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "bench-gw: %s\n", err);
		return 1;
	}
	gw.workers[0] = w;
	measure(&gw, w, &o, tpp);
	bool ok = decisions_ok(&w->cnt, o.n, n_valid);
	report(&gw, w, &o, n_valid, tpp, ok);
	unlink(file);
	return ok ? 0 : 1;
}
