/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw worker loop (DESIGN.md "Fast path"; after DPDK examples/l3fwd).  Per turn, for every
 * port: RX burst -> per frame, the FBU fast path (dp_fbu_fast: an FBU to a PAR address in
 * the one shape MNs send goes straight to the FBU stage), else wire_decode_frame() -> the
 * frame's row of the classification table -> that row's stage collects it; then each stage's
 * flush, one TX burst per port; then worker 0 sends the control plane's relayed packets, the
 * FBUs looked up in the previous turn are verified, one rte_rcu_qsbr_quiescent(), and this
 * turn's FBUs are looked up (dp/fbu.c: the lookup pipeline).  Every drop has its own
 * counter; malformed frames count per lib/wire error.
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_interrupts.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "dp.h"
#include "stages.h"

static const struct dp_stage_ops stages[DP_STAGE__COUNT] = {
	[DP_STAGE_PASS] = { "pass", dp_pass_collect, NULL },
	[DP_STAGE_TUNNEL] = { "tunnel", dp_tunnel_collect, dp_tunnel_flush },
	[DP_STAGE_FBU] = { "fbu", dp_fbu_collect, dp_fbu_flush },
	[DP_STAGE_CTRL] = { "ctrl", dp_ctrl_collect, NULL },
	[DP_STAGE_FRAG] = { "fragment", dp_frag_collect, NULL },
	[DP_STAGE_ROUTE] = { "route", dp_route_collect, dp_route_flush },
};

void dp_drop_malformed(struct gw_worker *w, struct rte_mbuf *m, int e)
{
	w->cnt.drop_malformed++;
	w->cnt.malformed[(unsigned)e < WIRE_E__COUNT ? (unsigned)e : 0]++;
	rte_pktmbuf_free(m);
}

void dp_stage_collect(struct gw_worker *w, unsigned stage, struct rte_mbuf *m,
		      const struct wire_frame *f, const struct dp_class *row, uint64_t tsc)
{
	stages[stage].collect(w, m, f, row, tsc);
}

void dp_frag_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc)
{
	(void)f;
	(void)row;
	(void)tsc;
	dp_drop_malformed(w, m, WIRE_E_FRAGMENT); /* never reassembled: cannot be served */
}

/* Decode, classify and stage n packets of w->pkts (received at tsc), then flush the stages
 * and the TX buffers. */
static void process_burst(struct gw_worker *w, uint16_t n, uint64_t tsc)
{
	const struct gw_config *cfg = &w->gw->cfg;
	/* plain frames: the row of everything else, the tunnel stage's unless it would only hand
	 * them on (no binding: read once per burst) */
	const bool tun = dp_tunnel_on(w);
	const unsigned plain_stage = tun ? dp_class_other.stage : DP_TUNNEL_NEXT;
	const struct dp_class *plain_row = tun ? &dp_class_other : &dp_tunnel_next_row;

	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = w->pkts[i];
		struct wire_frame *f = &w->frames[i];
		const struct dp_class *row;
		int e;

		if (m->nb_segs != 1) {
			w->cnt.drop_multiseg++;
			rte_pktmbuf_free(m);
			continue;
		}
		/* plain IPv6 (no extension header, not ICMPv6/MH: never an FBU): the view
		 * without the full decoder's clearing; msg OTHER has no row of its own: the row
		 * of everything else without the table; IPv6-in-IPv6 (TUNNEL): the table
		 * (wire_plain_decode) */
		if (wire_plain_decode(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
				      WIRE_LINK_ETH, f)) {
			if (f->msg == WIRE_MSG_OTHER) {
				stages[plain_stage].collect(w, m, f, plain_row, tsc);
			} else {
				row = dp_classify(cfg, f);
				stages[row->stage].collect(w, m, f, row, tsc);
			}
			continue;
		}
		/* an FBU to a PAR address in the fast shape: the FBU stage takes it */
		if (w->fbu.fast && dp_fbu_fast(w, m, tsc))
			continue;
		e = wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
				      WIRE_LINK_ETH, f);
		if (e == WIRE_E_NOT_IPV6 && f->msg == WIRE_MSG_NOT_IPV6 &&
		    f->eth.ethertype != WIRE_ETH_P_IPV6) {
			dp_pass_through(w, m); /* ARP and other non-IPv6 traffic */
			continue;
		}
		if (e != WIRE_OK) {
			dp_drop_malformed(w, m, e);
			continue;
		}
		row = dp_classify(cfg, f);
		stages[row->stage].collect(w, m, f, row, tsc);
	}
	for (unsigned s = 0; s < DP_STAGE__COUNT; s++)
		if (stages[s].flush != NULL)
			stages[s].flush(w, tsc);
	dp_tx_flush(w);
}

/* One RX burst of port p (index), distributed first when the port is.  The packets kept for
 * this worker; *rx set when anything was received. */
static uint16_t rx_port(struct gw_worker *w, unsigned p, uint16_t burst, bool *rx)
{
	const struct gw_port *gp = &w->gw->ports[p];
	uint16_t n = rte_eth_rx_burst(gp->p.id, w->rxq, w->pkts, burst);

	if (n == 0)
		return 0;
	*rx = true;
	w->cnt.rx_packets += n;
	w->cnt.rx_bursts++;
	return gp->dist ? dp_dist_spread(w, w->pkts, n) : n;
}

/*
 * A turn whose RX found nothing: does the pool have less than one burst for this worker
 * (its lcore's cache and the common pool: what its PMDs' refills can take)?  Then RX is
 * starved, not idle, whether the PMD counts rx_nombuf (net_pcap, net_tap, NICs) or not
 * (net_null, net_ring, a NIC whose full descriptor ring only shows imissed).  Counted once per
 * starvation (rx_pool_empty); it ends when the worker finds two bursts again, so a single
 * mbuf freed and taken meanwhile does not count a new one.  Only on empty turns, and a few
 * loads and the pool driver's count (its common ring): never on a busy burst, never
 * rte_mempool_avail_count()'s walk of every lcore's cache.
 */
static inline void pool_check(struct gw_worker *w, uint16_t burst)
{
	struct rte_mempool *mp = w->gw->pool;
	const struct rte_mempool_cache *c = rte_mempool_default_cache(mp, rte_lcore_id());
	unsigned avail =
	    rte_mempool_get_ops(mp->ops_index)->get_count(mp) + (c != NULL ? c->len : 0);
	bool starved = __atomic_load_n(&w->starved, __ATOMIC_RELAXED);

	if (!starved && avail < burst) {
		w->cnt.rx_pool_empty++;
		__atomic_store_n(&w->starved, true, __ATOMIC_RELAXED);
	} else if (starved && avail >= 2u * burst) {
		__atomic_store_n(&w->starved, false, __ATOMIC_RELAXED);
	}
}

/* One turn: every port this worker has a queue on, its share of distributed packets, the relay
 * (worker 0), one quiescent state.  Whether it found any work. */
static inline bool worker_turn(struct gw_worker *w, uint16_t burst)
{
	const struct gw *gw = w->gw;
	bool busy = false, rx = false;
	uint16_t n;

	for (unsigned p = 0; p < gw->n_ports; p++) {
		if (w->rxq >= gw->ports[p].p.nb_rxq)
			continue;
		n = rx_port(w, p, burst, &rx);
		if (n != 0 && !dp_exc_rx(w, p, n)) /* an exception port's: out of its data port */
			process_burst(w, n, rte_rdtsc());
	}
	if (rx)
		busy = true;
	else if (w->polls)
		pool_check(w, burst);
	if (w->dist_ring != NULL) {
		n = (uint16_t)rte_ring_sc_dequeue_burst(w->dist_ring, (void **)w->pkts, burst,
							NULL);
		if (n != 0) {
			w->cnt.dist_rx += n;
			process_burst(w, n, rte_rdtsc());
			busy = true;
		}
	}
	if (w->idx == 0 && gw->ctrl_tx_relay != NULL && dp_relay_tx(w) != 0)
		busy = true;
	dp_fbu_before_quiescent(w); /* the FBUs looked up in the previous turn */
	rte_rcu_qsbr_quiescent(gw->qsv, w->idx);
	if (dp_fbu_after_quiescent(w)) /* this turn's: their records are held until the next */
		busy = true;
	return busy;
}

/* idle = interrupt: register this thread's epoll for the RX interrupts of its queues; a
 * worker with a queue that cannot interrupt (or none at all) naps as adaptive instead. */
static void idle_setup(struct gw_worker *w)
{
	const struct gw *gw = w->gw;
	unsigned nq = 0;

	if (w->idle.mode != GW_IDLE_INTERRUPT)
		return;
	for (unsigned p = 0; p < gw->n_ports; p++) {
		const struct gw_port *gp = &gw->ports[p];

		if (w->rxq >= gp->p.nb_rxq)
			continue;
		if (!gp->p.rx_intr ||
		    rte_eth_dev_rx_intr_ctl_q(gp->p.id, w->rxq, RTE_EPOLL_PER_THREAD,
					      RTE_INTR_EVENT_ADD, NULL) != 0) {
			nq = 0;
			break;
		}
		nq++;
	}
	w->intr = nq != 0 && w->dist_ring == NULL;
	if (!w->intr) {
		GW_LOG(fast, WARNING,
		       "worker %u: idle = interrupt, but a port queue of it cannot interrupt "
		       "(or it takes distributed packets): adaptive naps instead\n",
		       w->idx);
		w->idle.mode = GW_IDLE_ADAPTIVE;
	}
}

static void rx_intr(const struct gw_worker *w, bool on)
{
	const struct gw *gw = w->gw;

	for (unsigned p = 0; p < gw->n_ports; p++)
		if (w->rxq < gw->ports[p].p.nb_rxq) {
			if (on)
				rte_eth_dev_rx_intr_enable(gw->ports[p].p.id, w->rxq);
			else
				rte_eth_dev_rx_intr_disable(gw->ports[p].p.id, w->rxq);
		}
}

/* Carry out the idle policy's answer; offline (for RCU) while sleeping or waiting. */
static void idle_act(struct gw_worker *w, enum dp_idle_action a, uint32_t us)
{
	struct rte_epoll_event ev[GW_MAX_PORTS];

	if (a == DP_IDLE_NONE)
		return;
	if (a == DP_IDLE_PAUSE) {
		rte_pause();
		return;
	}
	w->cnt.idle_sleeps++;
	rte_rcu_qsbr_thread_offline(w->gw->qsv, w->idx);
	if (a == DP_IDLE_WAIT && w->intr) {
		rx_intr(w, true);
		if (rte_epoll_wait(RTE_EPOLL_PER_THREAD, ev, GW_MAX_PORTS,
				   (int)((us + 999) / 1000)) > 0)
			w->cnt.idle_wakeups++;
		rx_intr(w, false);
	} else {
		rte_delay_us_sleep(us);
	}
	rte_rcu_qsbr_thread_online(w->gw->qsv, w->idx);
}

bool dp_worker_poll(struct gw_worker *w)
{
	bool busy;

	rte_rcu_qsbr_thread_online(w->gw->qsv, w->idx);
	busy = worker_turn(w, (uint16_t)w->gw->cfg.burst);
	dp_fbu_drain(w); /* no record held while offline */
	/* offline while this thread is the writer: keytab may wait for a grace period */
	rte_rcu_qsbr_thread_offline(w->gw->qsv, w->idx);
	return busy;
}

int dp_worker_main(void *arg)
{
	struct gw_worker *w = arg;
	const struct gw *gw = w->gw;
	uint16_t burst = (uint16_t)gw->cfg.burst;

	rte_rcu_qsbr_thread_online(gw->qsv, w->idx);
	idle_setup(w);
	GW_LOG(fast, INFO, "worker %u on lcore %u: RX queue %u, TX queue %u, idle %s\n", w->idx,
	       w->lcore, w->rxq, w->txq,
	       w->idle.mode == GW_IDLE_POLL	  ? "poll"
	       : w->idle.mode == GW_IDLE_ADAPTIVE ? "adaptive"
						  : "interrupt");
	while (__atomic_load_n(&gw->running, __ATOMIC_RELAXED)) {
		uint64_t t0 = rte_rdtsc();
		bool busy = worker_turn(w, burst);
		uint32_t us = 0;
		enum dp_idle_action a;

		if (busy)
			w->cnt.busy_ticks += rte_rdtsc() - t0;
		a = dp_idle_next(&w->idle, busy, &us); /* sets us: not in the same call */
		idle_act(w, a, us);
	}
	dp_fbu_drain(w);
	rte_rcu_qsbr_thread_offline(gw->qsv, w->idx);
	return 0;
}

/* The rings to the slow-path lcores (one each) and the distribution ring (when a port is
 * distributed). */
static int worker_rings(struct gw_worker *w, int sock)
{
	const struct gw *gw = w->gw;
	char name[RTE_RING_NAMESIZE];
	bool dist = false;

	for (unsigned k = 0; k < gw->n_slow; k++) {
		snprintf(name, sizeof(name), "fmipgw_slow_%u_%u", w->idx, k);
		w->slow_ring[k] =
		    rte_ring_create(name, gw->cfg.ring_size, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (w->slow_ring[k] == NULL)
			return -1;
	}
	for (unsigned p = 0; p < gw->n_ports; p++)
		dist |= gw->ports[p].dist;
	if (!dist)
		return 0;
	snprintf(name, sizeof(name), "fmipgw_dist_%u", w->idx);
	w->dist_ring = rte_ring_create(name, gw->cfg.ring_size, sock, RING_F_SC_DEQ);
	return w->dist_ring == NULL ? -1 : 0;
}

int dp_worker_create(struct gw *gw, unsigned idx, unsigned lcore, struct gw_worker **out, char *err,
		     size_t errlen)
{
	int sock = (int)rte_lcore_to_socket_id(lcore);
	struct gw_worker *w =
	    rte_zmalloc_socket("fmipgw_worker", sizeof(*w), RTE_CACHE_LINE_SIZE, sock);
	char name[RTE_RING_NAMESIZE];

	*out = w;
	if (w == NULL) {
		snprintf(err, errlen, "cannot allocate worker %u: give EAL more memory (-m)", idx);
		return -1;
	}
	w->gw = gw;
	w->idx = idx;
	w->lcore = lcore;
	w->rxq = (uint16_t)idx;
	w->txq = (uint16_t)idx;
	for (unsigned p = 0; p < gw->n_ports; p++)
		w->polls |= w->rxq < gw->ports[p].p.nb_rxq;
	snprintf(name, sizeof(name), "fmipgw_ctrl_%u", idx);
	w->ring = rte_ring_create(name, gw->cfg.ring_size, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
	w->mctx = mac_ctx_create(gw->mac);
	if (w->ring == NULL || w->mctx == NULL || worker_rings(w, sock) < 0) {
		snprintf(err, errlen, "cannot create worker %u's rings/MAC context: %s", idx,
			 rte_strerror(rte_errno));
		return -1;
	}
	if (rte_rcu_qsbr_thread_register(gw->qsv, idx) != 0) {
		snprintf(err, errlen, "cannot register worker %u's RCU thread id", idx);
		return -1;
	}
	dp_policer_set(&w->pol, &gw->cfg, gw->tsc_hz);
	dp_fbu_init(w);
	dp_tunnel_init(w);
	dp_idle_init(&w->idle, gw->cfg.idle, gw->cfg.idle_sleep_us, DP_IDLE_SPIN, DP_IDLE_NAP);
	return 0;
}

void dp_worker_free(struct gw_worker *w)
{
	if (w == NULL)
		return;
	dp_fbu_release(w);
	mac_ctx_destroy(w->mctx);
	gw_ring_drain(w->ring, 0, NULL, NULL);
	rte_ring_free(w->ring);
	for (unsigned k = 0; k < GW_MAX_SLOW; k++) {
		gw_ring_drain(w->slow_ring[k], 0, NULL, NULL);
		rte_ring_free(w->slow_ring[k]);
	}
	gw_ring_drain(w->dist_ring, 0, NULL, NULL);
	rte_ring_free(w->dist_ring);
	rte_free(w);
}
