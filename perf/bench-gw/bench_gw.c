/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw (a) — FBU verification through fmipgw's real worker loop (app/fmipgw/dp and the
 * gateway's port set-up, linked from the fmipgw_core library, unchanged): N mobile nodes' keys are
 * installed in the key table, their FBU frames (7/8 valid, 1/8 forged with a valid checksum, built
 * with lib/wire and sealed with an independent OpenSSL HMAC) are written to a pcap with libpcap,
 * and the net_pcap PMD replays that file forever (infinite_rx: an mbuf allocated and the frame
 * copied per packet, like a NIC RX).  One worker lcore runs dp_worker_main(); the main lcore
 * sleeps, drains the worker's event ring (what the control lcore would do) and samples the
 * counters.
 *
 * Checks: every distinct valid frame is accepted exactly once (its sequence is then stale on
 * every later lap: drop_fbu_stale_seq, after the full MAC check), every forged frame is dropped
 * as bad MAC, nothing is accepted that should not be (false accepts = 0).
 *
 * usage: bench-gw [EAL args] -- [-n MNs] [-t AT] [-s seconds] [-q]
 *   EAL args must give 2 lcores (-l 0-1); the PMD vdev is added here.
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

static const uint8_t par[16] = { 0x20, 0x03, [15] = 1 };

struct mn {
	uint8_t pcoa[16];
	uint8_t key[32];
};

/* Frames and keys before EAL (the vdev reads the file at probe); keys go in the table later. */
static int build_pcap(const char *file, unsigned n, uint8_t at, struct mn *mns, unsigned *n_valid)
{
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pd ? pcap_dump_open(pd, file) : NULL;
	unsigned klen = at == 0 ? 20 : 32, tlen = at == 0 ? 12 : 16;
	const EVP_MD *md = at == 0 ? EVP_sha1() : EVP_sha256();

	if (d == NULL) {
		fprintf(stderr, "bench-gw: cannot write %s\n", file);
		return -1;
	}
	*n_valid = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t pcoa[16] = { 0x20, 0x03 }, ncoa[16] = { 0x20, 0x03, 0, 0, 0, 0, 0, 2 };
		uint8_t key[32], frame[256], tag[EVP_MAX_MD_SIZE], mi[512];
		static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 1 },
				     gw_mac[6] = { 2, 0, 0, 0, 0, 2 };
		struct wire_buf w = wire_buf_make(frame, sizeof(frame));
		struct wire_fbu_spec s = { 0 };
		struct wire_frame f;
		struct wire_mac_input in;
		size_t mh_off, auth_off;
		unsigned tl = 0;
		bool forged = (i % 8) == 7;
		struct pcap_pkthdr h = { 0 };

		RAND_bytes(pcoa + 8, 8);
		memcpy(ncoa + 8, pcoa + 8, 8);
		RAND_bytes(key, klen);
		memcpy(mns[i].pcoa, pcoa, 16);
		memcpy(mns[i].key, key, 32);
		wire_build_eth(&w, gw_mac, mn_mac, -1, WIRE_ETH_P_IPV6);
		s.src = pcoa;
		s.dst = par;
		s.hoa = pcoa;
		s.altcoa = ncoa;
		s.seq = 1;
		s.lifetime = 10;
		s.auth_len = (uint8_t)tlen;
		struct wire_buf ip = wire_buf_make(frame + w.len, sizeof(frame) - w.len);
		if (wire_build_fbu(&ip, &s, &mh_off, &auth_off) != WIRE_OK) {
			fprintf(stderr, "bench-gw: wire_build_fbu failed\n");
			return -1;
		}
		/* the MAC input as lib/wire defines it, MACed by OpenSSL (independent of lib/mac)
		 */
		wire_decode_frame(frame + w.len, ip.len, WIRE_LINK_RAW6, &f);
		if (f.msg != WIRE_MSG_FBU || wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK) {
			fprintf(stderr, "bench-gw: built FBU does not decode\n");
			return -1;
		}
		size_t ml = wire_segs_copy(in.seg, in.n, mi, sizeof(mi));
		HMAC(md, key, (int)klen, mi, ml, tag, &tl);
		if (forged)
			tag[0] ^= 0x5a;
		wire_mh_seal(frame + w.len, ip.len, mh_off, auth_off, tag, tlen);
		h.caplen = h.len = (bpf_u_int32)(w.len + ip.len);
		pcap_dump((u_char *)d, &h, frame);
		if (!forged)
			(*n_valid)++;
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return 0;
}

int main(int argc, char **argv)
{
	static struct gw gw;
	unsigned n = 1000, n_valid = 0, at = 0;
	double secs = 3.0;
	bool quiet = false;
	char file[] = "/tmp/fmipgw-bench-gw-XXXXXX", vdev[256], err[512];
	int sep = argc, fd, c;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			sep = i;
			break;
		}
	optind = sep + 1 < argc ? sep + 1 : argc;
	while (optind < argc && (c = getopt(argc, argv, "n:t:s:q")) != -1) {
		if (c == 'n')
			n = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 't')
			at = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 's')
			secs = strtod(optarg, NULL);
		else if (c == 'q')
			quiet = true;
		else
			return 2;
	}
	if (n < 8 || at > 1 || secs <= 0) {
		fprintf(stderr,
			"usage: bench-gw [EAL] -- [-n MNs>=8] [-t 0|1] [-s seconds] [-q]\n");
		return 2;
	}
	fd = mkstemp(file);
	if (fd < 0)
		return 1;
	close(fd);
	snprintf(vdev, sizeof(vdev), "net_pcap0,rx_pcap=%s,infinite_rx=1", file);
	struct mn *mns = calloc(n, sizeof(*mns));

	if (mns == NULL || build_pcap(file, n, (uint8_t)at, mns, &n_valid) < 0)
		return 1;
	{
		char *eargv[sep + 5];
		char prefix[64];
		bool has_prefix = false;
		int ne = 0;

		for (int i = 0; i < sep; i++) {
			eargv[ne++] = argv[i];
			if (!strncmp(argv[i], "--file-prefix", 13) ||
			    !strcmp(argv[i], "--in-memory"))
				has_prefix = true;
		}
		if (!has_prefix) { /* unique: other build directories may run us concurrently */
			snprintf(prefix, sizeof(prefix), "fmipgw_bench_gw_%d", (int)getpid());
			eargv[ne++] = "--file-prefix";
			eargv[ne++] = prefix;
		}
		eargv[ne++] = "--vdev";
		eargv[ne++] = vdev;
		eargv[ne] = NULL;
		if (rte_eal_init(ne, eargv) < 0) {
			fprintf(stderr, "bench-gw: EAL init failed\n");
			return 1;
		}
	}
	gw_log.fast = gw_log.ctrl = gw_log.cfg = gw_log.crypto =
	    rte_log_register_type_and_pick_level("fmipgw.bench", RTE_LOG_WARNING);
	if (rte_lcore_count() < 2) {
		fprintf(stderr, "bench-gw: give two lcores (-l 0-1): main samples, one worker\n");
		return 1;
	}
	/* the gateway's defaults for what the worker reads */
	gw.tsc_hz = rte_get_tsc_hz();
	gw.n_workers = 1;
	memcpy(gw.cfg.par[0], par, 16);
	gw.cfg.n_par = 1;
	gw.cfg.router_addr[0] = 0xfe;
	gw.cfg.router_addr[1] = 0x80;
	gw.cfg.router_addr[15] = 1;
	gw.cfg.burst = 32;
	gw.cfg.pass = GW_PASS_DROP;
	gw.cfg.mbufs = n + 16384; /* infinite_rx keeps every frame of the file in an mbuf */
	gw.cfg.mbuf_cache = 256;
	gw.cfg.rx_desc = 1024;
	gw.cfg.tx_desc = 1024;
	gw.cfg.ring_size = 1024;
	mac_cfg_defaults(&gw.cfg.mac);
	if (mac_engine_create(&gw.cfg.mac, &gw.mac) < 0)
		return 1;
	gw.qsv = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	rte_rcu_qsbr_init(gw.qsv, 1);
	struct keytab_cfg kc = {
		.name = "bench_gw", .capacity = n + 64, .socket_id = 0, .qsv = gw.qsv, .mac = gw.mac
	};
	if (keytab_create(&kc, &gw.kt) < 0)
		return 1;
	for (unsigned i = 0; i < n; i++) {
		static const uint8_t sha[20];

		if (keytab_add(gw.kt, mns[i].pcoa, (uint8_t)at, mns[i].key, at == 0 ? 20 : 32, sha,
			       0, 1u << 30) < 0) {
			fprintf(stderr, "bench-gw: keytab_add failed\n");
			return 1;
		}
	}
	memset(mns, 0, n * sizeof(*mns));
	free(mns);
	struct gw_worker *w;

	if (gw_ports_init(&gw, err, sizeof(err)) < 0 ||
	    dp_worker_create(&gw, 0, rte_get_next_lcore(rte_get_main_lcore(), 1, 0), &w, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "bench-gw: %s\n", err);
		return 1;
	}
	gw.workers[0] = w;
	gw.running = 1;
	rte_eal_remote_launch(dp_worker_main, w, w->lcore);

	/* warm-up 0.5 s, then measure; the main lcore drains the event ring (control's job) */
	uint64_t t0 = rte_rdtsc(), t1, rx0 = 0, rx1, end;
	struct rte_mbuf *ev[64];
	bool started = false;

	end = t0 + (uint64_t)((secs + 0.5) * (double)gw.tsc_hz);
	while ((t1 = rte_rdtsc()) < end) {
		unsigned k = rte_ring_sc_dequeue_burst(w->ring, (void **)ev, 64, NULL);

		rte_pktmbuf_free_bulk(ev, k);
		/* the main lcore only samples: sleep, leave the other CPU to the worker */
		rte_delay_us_sleep(500);
		if (!started && t1 - t0 > gw.tsc_hz / 2) {
			started = true;
			t0 = t1;
			rx0 = __atomic_load_n(&w->cnt.rx_packets, __ATOMIC_RELAXED);
		}
	}
	rx1 = __atomic_load_n(&w->cnt.rx_packets, __ATOMIC_RELAXED);
	__atomic_store_n(&gw.running, 0, __ATOMIC_RELEASE);
	rte_eal_mp_wait_lcore();

	double dt = (double)(t1 - t0) / (double)gw.tsc_hz;
	double mpps = (double)(rx1 - rx0) / dt / 1e6;
	const struct gw_counters *k = &w->cnt;
	uint64_t checked = k->fbu_accepted + k->drop_fbu_stale_seq + k->drop_fbu_bad_mac;
	bool ok = k->fbu_accepted == n_valid && k->drop_fbu_no_key == 0 && k->drop_malformed == 0 &&
		  checked == k->fbu_rx && k->rx_packets >= 2ull * n;
	/* forged frames are exactly 1 in 8 of each lap: bad MACs must match the laps' share */
	uint64_t laps = k->rx_packets / n, rem = k->rx_packets % n;
	uint64_t forged_expected = laps * (n / 8) + (rem / 8);

	ok = ok && k->drop_fbu_bad_mac >= forged_expected - 1 &&
	     k->drop_fbu_bad_mac <= forged_expected + 1;
	if (!quiet) {
		printf("# bench-gw (a): fmipgw worker loop (app/fmipgw/dp) on net_pcap "
		       "infinite_rx, 1 worker, burst 32; TSC %.3f GHz\n",
		       (double)gw.tsc_hz / 1e9);

		printf("| AT | MNs | Mpps/worker | ticks/pkt | rx | accepted (distinct valid) | "
		       "stale (valid, later laps) | bad MAC (forged) | false accepts |\n");
		printf("|---|---|---|---|---|---|---|---|---|\n");
	}
	printf("# MAC engine: %s\n", mac_engine_describe(gw.mac));
	printf("| %u | %u | %.2f | %.0f | %" PRIu64 " | %" PRIu64 " of %u | %" PRIu64 " | %" PRIu64
	       " | %d |\n",
	       at, n, mpps, (double)gw.tsc_hz / (mpps * 1e6), k->rx_packets, k->fbu_accepted,
	       n_valid, k->drop_fbu_stale_seq, k->drop_fbu_bad_mac,
	       k->fbu_accepted > n_valid ? (int)(k->fbu_accepted - n_valid) : 0);
	printf("# check: %s\n", ok ? "ok (every valid frame accepted once, every forged one "
				     "dropped as bad MAC, no false accept)"
				   : "FAILED");
	unlink(file);
	return ok ? 0 : 1;
}
