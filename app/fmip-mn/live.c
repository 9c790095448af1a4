/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn live mode: one shard per enabled lcore, each with its own RX and TX queue of one
 * port (app/common/port.c).  A lane's turn: an RX burst (frames for another shard's nodes go
 * to that shard's ring), its ring, its shard's tick, one TX burst.  Frames wait in the lane's
 * TX buffer until the PMD takes them and are counted by kind then; a step is taken only when
 * the buffer has room, so the simulator never drops what it built.  The main lane prints the
 * progress line and decides when the run is over.
 */
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_malloc.h>
#include <rte_ring.h>

#include "port.h"
#include "run.h"

enum { TXBUF = 256, BURST = 32, RING = 4096 };

struct lane {
	struct mn_shard sh;
	unsigned idx, lcore;
	uint16_t port, q;
	struct rte_mempool *pool;
	struct rte_ring *in; /* frames for this shard received by another lane */
	struct rte_mbuf *tx[TXBUF];
	uint16_t kind[TXBUF], err[TXBUF];
	unsigned n_tx;
	uint64_t rx_ring_full;
	pcap_dumper_t *dump; /* --tx-pcap (one lane only) */
	bool alloc_failed;
} __attribute__((aligned(64)));

static struct lane *lanes;
static unsigned n_lanes;
static volatile sig_atomic_t stop_signal;
static volatile int stop_run;
static double ns_per_tick;
static uint64_t tsc0;

static void on_signal(int sig)
{
	(void)sig;
	stop_signal = 1;
}

static void lane_now(struct mn_now *now)
{
	now->ns = (uint64_t)((double)(rte_rdtsc() - tsc0) * ns_per_tick);
	now->wall48 = send_time_now();
}

static unsigned sink_room(void *ctx)
{
	struct lane *l = ctx;

	return TXBUF - l->n_tx;
}

static void sink_emit(void *ctx, unsigned kind, unsigned err, const uint8_t *frame, size_t len)
{
	struct lane *l = ctx;
	struct rte_mbuf *m;
	char *p;

	if (l->n_tx == TXBUF || (m = rte_pktmbuf_alloc(l->pool)) == NULL) {
		l->alloc_failed = true;
		return;
	}
	p = rte_pktmbuf_append(m, (uint16_t)len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(p, frame, len);
	if (l->dump != NULL) { /* --tx-pcap: as built (every frame built leaves) */
		struct pcap_pkthdr h;
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		h.ts.tv_sec = t.tv_sec;
		h.ts.tv_usec = (suseconds_t)(t.tv_nsec / 1000);
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)l->dump, &h, frame);
	}
	l->tx[l->n_tx] = m;
	l->kind[l->n_tx] = (uint16_t)kind;
	l->err[l->n_tx++] = (uint16_t)err;
}

static void tx_flush(struct lane *l)
{
	struct mn_stats *st = &l->sh.st;
	uint16_t n;

	if (l->n_tx == 0)
		return;
	n = rte_eth_tx_burst(l->port, l->q, l->tx, (uint16_t)l->n_tx);
	for (uint16_t i = 0; i < n; i++) { /* the PMD took these: count them now */
		st->tx[l->kind[i]]++;
		if (l->kind[i] == MN_TX_malformed)
			st->tx_malformed[l->err[i]]++;
		st->tx_frames++;
		st->tx_bytes += l->tx[i]->data_len;
	}
	if (n < l->n_tx) {
		st->tx_retry++;
		memmove(l->tx, l->tx + n, (l->n_tx - n) * sizeof(l->tx[0]));
		memmove(l->kind, l->kind + n, (l->n_tx - n) * sizeof(l->kind[0]));
		memmove(l->err, l->err + n, (l->n_tx - n) * sizeof(l->err[0]));
	}
	l->n_tx -= n;
}

static void deliver(struct lane *l, struct rte_mbuf *m, const struct mn_now *now)
{
	mn_shard_rx(&l->sh, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, now);
	rte_pktmbuf_free(m);
}

static bool rx_turn(struct lane *l, const struct mn_now *now)
{
	struct rte_mbuf *m[BURST];
	uint16_t n = rte_eth_rx_burst(l->port, l->q, m, BURST);
	unsigned k;

	for (uint16_t i = 0; i < n; i++) {
		int o = mn_frame_owner(l->sh.w, rte_pktmbuf_mtod(m[i], const uint8_t *),
				       m[i]->data_len);

		if (o < 0) { /* every shard (an all-nodes CPA) */
			rte_mbuf_refcnt_update(m[i], (int16_t)(n_lanes - 1));
			for (unsigned j = 0; j < n_lanes; j++)
				if (j != l->idx && rte_ring_mp_enqueue(lanes[j].in, m[i]) != 0) {
					lanes[j].rx_ring_full++;
					rte_pktmbuf_free(m[i]);
				}
			o = (int)l->idx;
		}
		if ((unsigned)o == l->idx) {
			deliver(l, m[i], now);
		} else if (rte_ring_mp_enqueue(lanes[o].in, m[i]) != 0) {
			lanes[o].rx_ring_full++;
			rte_pktmbuf_free(m[i]);
		}
	}
	k = 0;
	while (l->in && k < BURST && rte_ring_sc_dequeue(l->in, (void **)&m[0]) == 0) {
		deliver(l, m[0], now);
		k++;
	}
	return n > 0 || k > 0;
}

static void progress(const struct mn_opts *o, uint64_t t_ns, uint64_t *last_frames,
		     uint64_t *last_ns)
{
	struct mn_stats sum;
	char line[400];
	double dt;

	memset(&sum, 0, sizeof(sum));
	for (unsigned i = 0; i < n_lanes; i++) { /* a racy read of plain counters: a display */
		struct mn_stats *s = &lanes[i].sh.st;

		for (unsigned k = 0; k < MN_TX__COUNT; k++)
			sum.tx[k] += __atomic_load_n(&s->tx[k], __ATOMIC_RELAXED);
		for (unsigned k = 0; k < MN_RX__COUNT; k++)
			sum.rx[k] += __atomic_load_n(&s->rx[k], __ATOMIC_RELAXED);
		for (unsigned k = 0; k < MN_OUT__COUNT; k++)
			sum.out[k] += __atomic_load_n(&s->out[k], __ATOMIC_RELAXED);
		sum.tx_frames += __atomic_load_n(&s->tx_frames, __ATOMIC_RELAXED);
		sum.rx_frames += __atomic_load_n(&s->rx_frames, __ATOMIC_RELAXED);
	}
	dt = (double)(t_ns - *last_ns) / 1e9;
	mn_progress_line(line, sizeof(line), &sum, (double)t_ns / 1e9,
			 dt > 0 ? (double)(sum.tx_frames - *last_frames) / dt : 0,
			 lanes[0].sh.w->n_nodes);
	fprintf(stderr, isatty(2) ? "\r%s" : "%s\n", line);
	*last_frames = sum.tx_frames;
	*last_ns = t_ns;
	(void)o;
}

/* Main lane: is the run over? */
static bool run_over(const struct mn_scen *s, uint64_t t_ns)
{
	uint64_t last = 0;

	if (stop_signal)
		return true;
	if (s->duration_s > 0)
		return t_ns >= (uint64_t)s->duration_s * 1000000000u;
	for (unsigned i = 0; i < n_lanes; i++) {
		const struct mn_shard *sh = &lanes[i].sh;

		if (!__atomic_load_n(&sh->finished, __ATOMIC_ACQUIRE))
			return false;
		if (sh->t_finished > last)
			last = sh->t_finished;
	}
	return t_ns >= last + (uint64_t)s->drain_ms * 1000000u;
}

struct lane_arg {
	struct lane *l;
	const struct mn_opts *o;
};

static int lane_main(void *arg)
{
	struct lane_arg *a = arg;
	struct lane *l = a->l;
	const struct mn_scen *s = l->sh.scen;
	uint64_t next_prog = (uint64_t)s->progress_s * 1000000000u, frames = 0, last = 0;
	struct mn_now now;

	while (!__atomic_load_n(&stop_run, __ATOMIC_RELAXED)) {
		bool busy;

		lane_now(&now);
		busy = rx_turn(l, &now);
		busy |= mn_shard_tick(&l->sh, &now);
		tx_flush(l);
		busy |= l->n_tx > 0;
		if (l->idx == 0) {
			if (s->progress_s && now.ns >= next_prog) {
				progress(a->o, now.ns, &frames, &last);
				next_prog += (uint64_t)s->progress_s * 1000000000u;
			}
			if (run_over(s, now.ns))
				__atomic_store_n(&stop_run, 1, __ATOMIC_RELEASE);
		}
		if (!busy && a->o->idle_us)
			rte_delay_us_sleep(a->o->idle_us);
	}
	for (int i = 0; i < 1000 && l->n_tx > 0; i++) /* what the run built still leaves */
		tx_flush(l);
	if (l->idx == 0 && s->progress_s)
		fputc('\n', stderr);
	return 0;
}

/* A NIC's link takes a while to come up: wait for it (10 s at most) before the first frame. */
static void link_wait(uint16_t port)
{
	struct rte_eth_link link;

	for (int i = 0; i < 100; i++) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return;
		rte_delay_ms(100);
	}
	fprintf(stderr, "fmip-mn: port %u: link still down after 10 s; sending anyway\n", port);
}

static int lanes_open(struct mn_world *w, const struct mn_opts *o, char *err, size_t len)
{
	struct fmip_port_conf pc = { 0 };
	struct fmip_port port;
	uint16_t ids[FMIP_MAX_PORTS];
	int n = fmip_ports_probe(ids, FMIP_MAX_PORTS, err, len);
	unsigned lc, i = 0;
	struct mn_now now;

	if (n < 0)
		return -1;
	if (o->port >= (unsigned)n) {
		snprintf(err, len, "--port %u: only %d port(s)", o->port, n);
		return -1;
	}
	pc.pool = fmip_pool_create("fmip_mn_pool", 8191 + n_lanes * (TXBUF + 2 * RING / 4), 256,
				   err, len);
	if (pc.pool == NULL)
		return -1;
	pc.nb_rxq = pc.nb_txq = (uint16_t)n_lanes;
	pc.rx_desc = pc.tx_desc = 512;
	pc.promiscuous = true; /* frames for every node's MAC */
	pc.logtype = RTE_LOGTYPE_USER1;
	if (fmip_port_open(ids[o->port], &pc, &port, err, len) < 0)
		return -1;
	link_wait(port.id);
	lane_now(&now);
	RTE_LCORE_FOREACH(lc)
	{
		struct lane *l = &lanes[i];
		struct mn_sink sink = { l, sink_room, sink_emit };
		char name[32];

		l->idx = i;
		l->lcore = lc;
		l->port = port.id;
		l->q = (uint16_t)i;
		l->pool = pc.pool;
		snprintf(name, sizeof(name), "fmip_mn_in%u", i);
		if (n_lanes > 1 && (l->in = rte_ring_create(name, RING, (int)rte_socket_id(),
							    RING_F_SC_DEQ)) == NULL) {
			snprintf(err, len, "cannot create ring %s", name);
			return -1;
		}
		if (mn_shard_init(&l->sh, w, i, &sink, port.mac.addr_bytes, &now) < 0) {
			snprintf(err, len, "cannot set up shard %u", i);
			return -1;
		}
		i++;
	}
	return 0;
}

static int dump_open(const char *path, char *err, size_t len)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);

	if (p == NULL || (lanes[0].dump = pcap_dump_open(p, path)) == NULL) {
		snprintf(err, len, "--tx-pcap %s: %s", path, p ? pcap_geterr(p) : "libpcap");
		if (p)
			pcap_close(p);
		return -1;
	}
	pcap_close(p); /* the dumper keeps what it needs */
	return 0;
}

int mn_live_run(struct mn_world *w, const struct mn_opts *o, struct mn_stats *st, double *secs,
		char *err, size_t len)
{
	struct lane_arg args[RTE_MAX_LCORE];
	uint64_t t_start;
	int rc = 0;

	n_lanes = rte_lcore_count();
	if (n_lanes != w->n_shards || n_lanes > 15) {
		snprintf(err, len, "internal: %u lanes for %u shards (at most 15 lcores)", n_lanes,
			 w->n_shards);
		return -1;
	}
	if (o->tx_pcap && n_lanes > 1) {
		snprintf(err, len, "--tx-pcap needs one lcore (-l N)");
		return -1;
	}
	lanes = rte_zmalloc("fmip_mn_lanes", n_lanes * sizeof(*lanes), 64);
	ns_per_tick = 1e9 / (double)rte_get_tsc_hz();
	tsc0 = rte_rdtsc();
	if (lanes == NULL) {
		snprintf(err, len, "cannot allocate the lanes: give EAL more memory (-m)");
		return -1;
	}
	if (lanes_open(w, o, err, len) < 0 || (o->tx_pcap && dump_open(o->tx_pcap, err, len) < 0))
		return -1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	t_start = rte_rdtsc();
	for (unsigned i = 0; i < n_lanes; i++) {
		args[i].l = &lanes[i];
		args[i].o = o;
		if (i > 0 && rte_eal_remote_launch(lane_main, &args[i], lanes[i].lcore) != 0) {
			snprintf(err, len, "cannot launch lcore %u", lanes[i].lcore);
			__atomic_store_n(&stop_run, 1, __ATOMIC_RELEASE);
			rc = -1;
		}
	}
	lane_main(&args[0]);
	rte_eal_mp_wait_lcore();
	*secs = (double)(rte_rdtsc() - t_start) * ns_per_tick / 1e9;
	for (unsigned i = 0; i < n_lanes; i++) {
		struct lane *l = &lanes[i];

		if (l->rx_ring_full || l->alloc_failed)
			fprintf(stderr, "fmip-mn: lane %u: %llu frames lost between lanes%s\n", i,
				(unsigned long long)l->rx_ring_full,
				l->alloc_failed ? ", mbuf allocation failed (frames not built)"
						: "");
		mn_stats_add(st, &l->sh.st);
		for (unsigned k = 0; k < l->n_tx; k++)
			rte_pktmbuf_free(l->tx[k]);
		if (l->dump)
			pcap_dump_close(l->dump);
		mn_shard_free(&l->sh);
		rte_ring_free(l->in);
	}
	if (n_lanes > 0)
		rte_eth_dev_stop(lanes[0].port);
	rte_free(lanes);
	lanes = NULL;
	return rc;
}
