/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-tun — the tunnel stage (app/fmipgw/dp/tunnel.c) through fmipgw's real worker loop,
 * each figure beside its baseline from the same run: fmipgw's plain forwarding of the same
 * frames through the real routing stage (dp/route.c), with the same key count (README.md).
 *
 * N bindings (default 1M) PCoA_i -> NCoA_i are installed ACTIVE in a lib/binding table.  Two
 * pcap files are written with libpcap and replayed forever by net_pcap (infinite_rx: an mbuf
 * allocated and the frame copied per packet, like a NIC RX): F 64-octet UDP frames from a
 * correspondent to PCoA_{h(j)} (h spreads them over all N bindings), and F reverse-tunnel
 * frames (104 octets) NCoA_{h(j)} -> PAR carrying PCoA_{h(j)} -> CN, each addressed to its
 * pcap port's MAC.  Ports: 0 forward pcap, 1 net_null (TX sink), 2 reverse pcap, 3 net_null.
 * Routing (lib/route, as cp/fwd_setup.c makes it): PCoA_i's /64 connected on port 1 with a
 * static neighbour per PCoA (N entries: the plain forward's per-packet neighbour lookup is
 * over as many keys as the encapsulation's binding lookup), the CN's /32 and the PAR's /64 via
 * a static next hop on port 3; the NAR section's port is 1.
 *
 * Four phases on one worker lcore, the others' pcap port not polled, in this order, each
 * warm-up then -s seconds: plain forward (no binding: the routing stage forwards each frame to
 * its PCoA), encapsulation (the table: one bulk lookup per burst, binding_encap in the
 * headroom), plain reverse (the PAR address not the gateway's: the tunnel frames routed by
 * their outer destination), decapsulation (one bulk reverse-tunnel check per burst,
 * binding_decap_strip, the inner packet re-decoded and routed to the CN).  Mpps per worker from
 * the worker's RX counter; checks that every packet of a phase was forwarded / tunnelled /
 * decapsulated as the phase says and sent, and nothing dropped.
 *
 * usage: bench-tun [EAL args] -- [-n bindings] [-f frames] [-s seconds] [-q]
 *   EAL args must give 2 lcores (-l 0-1) and memory for the table (-m 2048 for 1M).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp.h"
#include "fwd.h"
#include "gw.h"

static const uint8_t par[16] = { 0x20, 0x03, [15] = 1 };
static const uint8_t cn[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };
static const uint8_t nar_lla[6] = { 2, 0, 0, 0, 0, 0x0b };
static const uint8_t nh_ll[16] = { 0xfe, 0x80, [15] = 1 };		  /* next hop on port 3 */
static const uint8_t nh_mac[6] = { 2, 0, 0, 0, 0, 0x0c };		  /* its MAC */
static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 0x0d };		  /* the PCoAs' (port 1) */
static const uint8_t pcap_mac[2][6] = { { 2, 0x70, 0x63, 0x61, 0x70, 0 }, /* net_pcap0, 1 */
					{ 2, 0x70, 0x63, 0x61, 0x70, 1 } };

/* PCoA_i = 2003:0:0:1::/64 | i+1, NCoA_i = 2003:0:0:2::/64 | i+1 (the PAR is 2003::1) */
static void addr_of(uint32_t i, uint8_t net, uint8_t a[16])
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x03;
	a[7] = net;
	i++;
	a[12] = (uint8_t)(i >> 24);
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

/* An IPv6/UDP packet with 2 octets of payload at w (UDP checksum 0: never read). */
static void put_udp(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16])
{
	size_t ip = wire_build_ip6(w, src, dst, 17, 64);

	wire_put_be16(w, 40000);
	wire_put_be16(w, 40001);
	wire_put_be16(w, 10);
	wire_put_be16(w, 0);
	wire_put_be16(w, 0x5a5a);
	wire_ip6_finish(w, ip);
}

/* F frames of one kind (rev: reverse-tunnel frames) into file. */
static int build_pcap(const char *file, unsigned f, uint32_t n, bool rev)
{
	static const uint8_t src_mac[6] = { 2, 0, 0, 0, 0, 0xcc };
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = pd ? pcap_dump_open(pd, file) : NULL;

	if (d == NULL)
		return -1;
	for (unsigned j = 0; j < f; j++) {
		uint32_t i = (uint32_t)(((uint64_t)j * 2654435761u) % n);
		uint8_t frame[128], pcoa[16], ncoa[16];
		struct wire_buf w = wire_buf_make(frame, sizeof(frame));
		struct pcap_pkthdr h = { 0 };

		addr_of(i, 1, pcoa);
		addr_of(i, 2, ncoa);
		wire_build_eth(&w, pcap_mac[rev], src_mac, -1, WIRE_ETH_P_IPV6);
		if (rev) {
			size_t o = wire_build_ip6(&w, ncoa, par, WIRE_NH_IPV6, 64);

			put_udp(&w, pcoa, cn);
			wire_ip6_finish(&w, o);
		} else {
			put_udp(&w, cn, pcoa);
		}
		if (w.err != WIRE_OK)
			return -1;
		h.caplen = h.len = (bpf_u_int32)w.len;
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(pd);
	return 0;
}

struct phase {
	const char *name;
	unsigned port; /* the pcap port polled */
	bool table;    /* with the binding table (and the PAR address the gateway's) */
	bool par;      /* the PAR address the gateway's (tunnel frames are for it) */
	double mpps;   /* result */
	bool ok;       /* its checks */
	uint64_t pkts; /* measured */
};

/* Nothing dropped or handed elsewhere since the start. */
static bool no_drop(const struct gw_counters *c)
{
	return c->drop_malformed == 0 && c->drop_tx_full == 0 && c->drop_tun_unmatched == 0 &&
	       c->drop_pass == 0 && c->fwd_drop_no_route == 0 && c->fwd_drop_l2_other == 0 &&
	       c->fwd_drop_multicast == 0 && c->fwd_to_resolve == 0 &&
	       c->fwd_drop_unresolved == 0 && c->exc_drop_no_port == 0 && c->drop_tun_unusable == 0;
}

/* One phase: the worker polls port ph->port (and the sinks), warm-up 0.3 s, then secs. */
static void run_phase(struct gw *gw, struct gw_worker *w, struct binding_table *bt,
		      struct phase *ph, double secs)
{
	static const unsigned pcaps[2] = { 0, 2 };
	uint16_t nrx[GW_MAX_PORTS];
	struct gw_counters c0, c1;
	uint64_t t0, t1;

	for (unsigned p = 0; p < gw->n_ports; p++)
		nrx[p] = gw->ports[p].p.nb_rxq;
	for (unsigned k = 0; k < 2; k++)
		if (pcaps[k] != ph->port)
			gw->ports[pcaps[k]].p.nb_rxq = 0;
	gw->bt = ph->table ? bt : NULL;
	gw->cfg.n_par = ph->par ? 1 : 0;
	gw->running = 1;
	rte_eal_remote_launch(dp_worker_main, w, w->lcore);
	rte_delay_us_sleep(300000);
	c0 = w->cnt;
	t0 = rte_rdtsc();
	rte_delay_us_sleep((unsigned)(secs * 1e6));
	c1 = w->cnt;
	t1 = rte_rdtsc();
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(w->lcore);
	for (unsigned p = 0; p < gw->n_ports; p++)
		gw->ports[p].p.nb_rxq = nrx[p];
	ph->pkts = c1.rx_packets - c0.rx_packets;
	ph->mpps = (double)ph->pkts / ((double)(t1 - t0) / (double)gw->tsc_hz) / 1e6;
	/* every packet sent on (a burst may straddle a sample: 1 burst of slack) */
	ph->ok = ph->pkts > 0 && c1.pass_tx - c0.pass_tx + 64 >= ph->pkts && no_drop(&c1);
	if (ph->table && ph->port == 0) /* tunnelled, not routed */
		ph->ok = ph->ok && c1.tun_encap - c0.tun_encap + 64 >= ph->pkts &&
			 c1.fwd_packets == c0.fwd_packets;
	else /* routed (decapsulation: the inner packets) */
		ph->ok = ph->ok && c1.fwd_packets - c0.fwd_packets + 64 >= ph->pkts;
	if (ph->table && ph->port == 2)
		ph->ok = ph->ok && c1.tun_decap - c0.tun_decap + 64 >= ph->pkts;
	if (!ph->table)
		ph->ok = ph->ok && c1.tun_encap == c0.tun_encap && c1.tun_decap == c0.tun_decap;
}

static int install_all(struct gw *gw, uint32_t n, struct binding_table **out)
{
	struct binding_cfg bc = {
		.name = "bench_tun", .capacity = n, .n_workers = 1, .socket_id = 0, .qsv = gw->qsv
	};
	uint64_t exp = rte_rdtsc() / gw->tsc_hz + 1000000;

	if (binding_create(&bc, out) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t pcoa[16], ncoa[16];
		struct binding_spec s = { pcoa, ncoa, par, par, 1, 10, exp, BINDING_ACTIVE, 0, 0 };

		addr_of(i, 1, pcoa);
		addr_of(i, 2, ncoa);
		if (binding_install(*out, &s) != BINDING_OK)
			return -1;
	}
	return 0;
}

/* The routing state cp/fwd_setup.c would make from [routes] and [neighbours]: the FIB below,
 * a static neighbour per PCoA on port 1 and the next hop on port 3.  0, or -1 (memory). */
static int routing(struct gw *gw, uint32_t n)
{
	struct route_spec r[3] = {
		{ { 0x20, 0x03, [7] = 1 }, 64, ROUTE_CONNECTED, 1, { 0 } }, /* the PCoAs */
		{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, ROUTE_VIA, 3, { 0 } },    /* the CN */
		{ { 0x20, 0x03 }, 64, ROUTE_VIA, 3, { 0 } },		    /* the PAR's /64 */
	};
	struct route_table_cfg rc = { "bench_tun_rt", 16, 256, (uint16_t)gw->n_ports, 0, gw->qsv };
	struct neigh_cfg nc;
	struct route_fib *fib;
	struct gw_fwd *fw = rte_zmalloc("bench_tun_fwd", sizeof(*fw), RTE_CACHE_LINE_SIZE);

	if (fw == NULL)
		return -1;
	memcpy(r[1].gw, nh_ll, 16);
	memcpy(r[2].gw, nh_ll, 16);
	memset(fw->exc_of, -1, sizeof(fw->exc_of));
	memset(fw->data_of, -1, sizeof(fw->data_of));
	fw->gen = 1;
	neigh_cfg_defaults(&nc);
	nc.name = "bench_tun_nb";
	nc.capacity = n + 16;
	nc.socket_id = 0;
	nc.qsv = gw->qsv;
	gw->fwd = fw;
	if (route_table_create(&rc, &fw->rt) != 0 || neigh_create(&nc, &fw->nt) != 0 ||
	    route_fib_build(fw->rt, r, 3, &fib, NULL) != 0 ||
	    neigh_add_static(fw->nt, nh_ll, 3, nh_mac) < 0)
		return -1;
	route_table_publish(fw->rt, fib);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t pcoa[16];

		addr_of(i, 1, pcoa);
		if (neigh_add_static(fw->nt, pcoa, 1, mn_mac) < 0)
			return -1;
	}
	gw->cfg.fwd.error_rate = gw->cfg.fwd.resolve_rate = 100;
	gw->cfg.fwd.error_burst = gw->cfg.fwd.resolve_burst = 10;
	fw->on = true;
	return 0;
}

/* The frames are addressed to the pcap ports' MACs (the routing stage drops unicast frames
 * for another MAC, as a router does). */
static bool macs_ok(const struct gw *gw)
{
	return gw->n_ports == 4 && !memcmp(gw->ports[0].p.mac.addr_bytes, pcap_mac[0], 6) &&
	       !memcmp(gw->ports[2].p.mac.addr_bytes, pcap_mac[1], 6);
}

/* The gateway's defaults for what the worker reads (bench-gw does the same). */
static void gw_defaults(struct gw *gw, unsigned f)
{
	struct gw_config *cfg = &gw->cfg;

	gw->tsc_hz = rte_get_tsc_hz();
	gw->n_workers = 1;
	memcpy(cfg->par[0], par, 16);
	cfg->n_par = 1;
	cfg->router_addr[0] = 0xfe;
	cfg->router_addr[1] = 0x80;
	cfg->router_addr[15] = 1;
	cfg->burst = 32;
	cfg->pass = GW_PASS_OTHER;
	cfg->mbufs = 2 * f + 16384; /* infinite_rx keeps every frame of both files in an mbuf */
	cfg->mbuf_cache = 256;
	cfg->rx_desc = cfg->tx_desc = 1024;
	cfg->ring_size = 1024;
	cfg->n_aps = 1;
	cfg->aps[0].kind = HK_AP_NAR;
	memcpy(cfg->aps[0].nar_lla, nar_lla, 6);
	cfg->ap_ext[0].port = 1;
	cfg->tun_mtu = 1500;
	cfg->tun_hop_limit = 64;
	cfg->tun_fl_mode = GW_TUN_FIXED;
	cfg->tun_icmp_rate = 100;
	cfg->tun_icmp_burst = 10;
	mac_cfg_defaults(&cfg->mac);
}

static int eal(int sep, char **argv, const char *fwd, const char *rev)
{
	char *eargv[sep + 12], prefix[64], v[4][320];
	bool has_prefix = false;
	int ne = 0;

	for (int i = 0; i < sep; i++) {
		eargv[ne++] = argv[i];
		has_prefix |= !strncmp(argv[i], "--file-prefix", 13);
	}
	if (!has_prefix) {
		snprintf(prefix, sizeof(prefix), "fmipgw_bench_tun_%d", (int)getpid());
		eargv[ne++] = "--file-prefix";
		eargv[ne++] = prefix;
	}
	snprintf(v[0], sizeof(v[0]), "net_pcap0,rx_pcap=%s,infinite_rx=1", fwd);
	snprintf(v[1], sizeof(v[1]), "net_null0,no-rx=1");
	snprintf(v[2], sizeof(v[2]), "net_pcap1,rx_pcap=%s,infinite_rx=1", rev);
	snprintf(v[3], sizeof(v[3]), "net_null1,no-rx=1");
	for (int k = 0; k < 4; k++) {
		eargv[ne++] = "--vdev";
		eargv[ne++] = v[k];
	}
	eargv[ne] = NULL;
	return rte_eal_init(ne, eargv);
}

static void report(const struct phase *ph, unsigned n, unsigned f, bool quiet, uint64_t hz)
{
	/* the table of N keys each phase's packets are looked up in (README.md) */
	static const char *const keys[4] = { "neighbours (routing stage)", "bindings",
					     "- (1 route, 1 neighbour)", "bindings (+ routing)" };

	if (!quiet) {
		printf("# bench-tun: fmipgw worker loop (app/fmipgw/dp: tunnel and routing stages) "
		       "on net_pcap infinite_rx -> net_null, 1 worker, burst 32; TSC %.3f GHz\n",
		       (double)hz / 1e9);
		printf("| mode | keys | table | frames | Mpps/worker | ticks/pkt | vs plain (same "
		       "run) | target |\n|---|---|---|---|---|---|---|---|\n");
	}
	for (int i = 0; i < 4; i++) {
		const struct phase *base = &ph[i & ~1];

		printf("| %s | %u | %s | %u | %.2f | %.0f | %s%.2f | %s |\n", ph[i].name,
		       i == 2 ? 1 : n, keys[i], f, ph[i].mpps, (double)hz / (ph[i].mpps * 1e6),
		       i & 1 ? "" : "(baseline) ", ph[i].mpps / base->mpps, i & 1 ? ">= 0.8" : "-");
	}
}

/* The options after "--" (*sep: its index, argc if none).  0, or -1 (usage). */
static int args(int argc, char **argv, int *sep, unsigned *n, unsigned *f, double *secs,
		bool *quiet)
{
	int c;

	*sep = argc;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			*sep = i;
			break;
		}
	optind = *sep + 1 < argc ? *sep + 1 : argc;
	while (optind < argc && (c = getopt(argc, argv, "n:f:s:q")) != -1) {
		if (c == 'n')
			*n = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 'f')
			*f = (unsigned)strtoul(optarg, NULL, 10);
		else if (c == 's')
			*secs = strtod(optarg, NULL);
		else if (c == 'q')
			*quiet = true;
		else
			return -1;
	}
	return *n < 1 || *f < 64 || *secs <= 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct gw gw;
	struct phase ph[4] = { { "plain forward", 0, false, true, 0, 0, 0 },
			       { "encapsulation", 0, true, true, 0, 0, 0 },
			       { "plain reverse", 2, false, false, 0, 0, 0 },
			       { "decapsulation", 2, true, true, 0, 0, 0 } };
	unsigned n = 1u << 20, f = 4096;
	double secs = 2.0;
	bool quiet = false, ok = true;
	char fwd[] = "/tmp/fmipgw-bench-tun-f-XXXXXX", rev[] = "/tmp/fmipgw-bench-tun-r-XXXXXX";
	char err[512];
	struct binding_table *bt;
	struct gw_worker *w;
	int sep, fd1, fd2;

	if (args(argc, argv, &sep, &n, &f, &secs, &quiet) != 0) {
		fprintf(stderr,
			"usage: bench-tun [EAL] -- [-n bindings] [-f frames>=64] [-s s] [-q]\n");
		return 2;
	}
	fd1 = mkstemp(fwd);
	fd2 = mkstemp(rev);
	if (fd1 < 0 || fd2 < 0)
		return 1;
	close(fd1);
	close(fd2);
	if (build_pcap(fwd, f, n, false) < 0 || build_pcap(rev, f, n, true) < 0 ||
	    eal(sep, argv, fwd, rev) < 0) {
		fprintf(stderr, "bench-tun: pcap files or EAL init failed\n");
		return 1;
	}
	gw_log.fast = gw_log.ctrl = gw_log.cfg = gw_log.crypto =
	    rte_log_register_type_and_pick_level("fmipgw.bench", RTE_LOG_WARNING);
	if (rte_lcore_count() < 2) {
		fprintf(stderr, "bench-tun: give two lcores (-l 0-1): main samples, one worker\n");
		return 1;
	}
	gw_defaults(&gw, f);
	gw.qsv = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (gw.qsv == NULL || rte_rcu_qsbr_init(gw.qsv, 1) != 0 ||
	    mac_engine_create(&gw.cfg.mac, &gw.mac) < 0 || install_all(&gw, n, &bt) < 0) {
		fprintf(stderr,
			"bench-tun: cannot install %u bindings: give EAL more memory (-m)\n", n);
		return 1;
	}
	gw.bt = bt; /* the worker's per-binding counters (dp_tunnel_init) */
	if (gw_ports_init(&gw, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench-tun: %s\n", err);
		return 1;
	}
	if (!macs_ok(&gw) || routing(&gw, n) < 0) {
		fprintf(stderr, "bench-tun: %s\n",
			macs_ok(&gw) ? "cannot make the routing tables: give EAL more memory (-m)"
				     : "the pcap ports' MACs are not 02:70:63:61:70:0{0,1}");
		return 1;
	}
	if (dp_worker_create(&gw, 0, rte_get_next_lcore(rte_get_main_lcore(), 1, 0), &w, err,
			     sizeof(err)) < 0) {
		fprintf(stderr, "bench-tun: %s\n", err);
		return 1;
	}
	gw.workers[0] = w;
	for (int i = 0; i < 4; i++) {
		run_phase(&gw, w, bt, &ph[i], secs);
		ok = ok && ph[i].ok;
	}
	report(ph, n, f, quiet, gw.tsc_hz);
	printf("# check: %s\n", ok ? "ok (every packet of each phase routed or tunnelled / "
				     "decapsulated as the phase says, and sent; no drop)"
				   : "FAILED");
	unlink(fwd);
	unlink(rev);
	return ok ? 0 : 1;
}
