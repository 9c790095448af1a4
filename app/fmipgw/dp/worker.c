/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw worker loop (DESIGN.md "Fast path"; after DPDK examples/l3fwd).  Per turn, for every
 * port: RX burst -> wire_decode_frame() per frame -> the frame's row of the classification
 * table -> that row's stage collects it; then each stage's flush (the FBU stage's one bulk
 * lookup and one MAC burst), one TX burst per port; then worker 0 sends the control plane's
 * relayed packets, and one rte_rcu_qsbr_quiescent().  Every drop has its own counter;
 * malformed frames count per lib/wire error.
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "dp.h"
#include "stages.h"

static const struct dp_stage_ops stages[DP_STAGE__COUNT] = {
	[DP_STAGE_PASS] = { "pass", dp_pass_collect, NULL },
	[DP_STAGE_FBU] = { "fbu", dp_fbu_collect, dp_fbu_flush },
	[DP_STAGE_CTRL] = { "ctrl", dp_ctrl_collect, NULL },
	[DP_STAGE_FRAG] = { "fragment", dp_frag_collect, NULL },
};

static inline void drop_malformed(struct gw_worker *w, struct rte_mbuf *m, int e)
{
	w->cnt.drop_malformed++;
	w->cnt.malformed[(unsigned)e < WIRE_E__COUNT ? (unsigned)e : 0]++;
	rte_pktmbuf_free(m);
}

void dp_frag_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc)
{
	(void)f;
	(void)row;
	(void)tsc;
	drop_malformed(w, m, WIRE_E_FRAGMENT); /* never reassembled: cannot be served */
}

static void rx_burst(struct gw_worker *w, uint16_t port, uint16_t burst)
{
	const struct gw_config *cfg = &w->gw->cfg;
	uint16_t n = rte_eth_rx_burst(port, w->rxq, w->pkts, burst);
	uint64_t tsc;

	if (n == 0)
		return;
	tsc = rte_rdtsc();
	w->cnt.rx_packets += n;
	w->cnt.rx_bursts++;
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
		e = wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
				      WIRE_LINK_ETH, f);
		if (e == WIRE_E_NOT_IPV6 && f->msg == WIRE_MSG_NOT_IPV6 &&
		    f->eth.ethertype != WIRE_ETH_P_IPV6) {
			dp_pass_through(w, m); /* ARP and other non-IPv6 traffic */
			continue;
		}
		if (e != WIRE_OK) {
			drop_malformed(w, m, e);
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

/* One turn: every port, the relay (worker 0), one quiescent state. */
static inline void worker_turn(struct gw_worker *w, uint16_t burst)
{
	const struct gw *gw = w->gw;

	for (unsigned p = 0; p < gw->n_ports; p++)
		rx_burst(w, gw->ports[p].p.id, burst);
	if (w->idx == 0 && gw->ctrl_tx_relay != NULL)
		dp_relay_tx(w);
	rte_rcu_qsbr_quiescent(gw->qsv, w->idx);
}

void dp_worker_poll(struct gw_worker *w)
{
	rte_rcu_qsbr_thread_online(w->gw->qsv, w->idx);
	worker_turn(w, (uint16_t)w->gw->cfg.burst);
	/* offline while this thread is the writer: keytab may wait for a grace period */
	rte_rcu_qsbr_thread_offline(w->gw->qsv, w->idx);
}

int dp_worker_main(void *arg)
{
	struct gw_worker *w = arg;
	const struct gw *gw = w->gw;
	uint16_t burst = (uint16_t)gw->cfg.burst;

	rte_rcu_qsbr_thread_online(gw->qsv, w->idx);
	GW_LOG(fast, INFO, "worker %u on lcore %u: RX queue %u, TX queue %u\n", w->idx, w->lcore,
	       w->rxq, w->txq);
	while (__atomic_load_n(&gw->running, __ATOMIC_RELAXED))
		worker_turn(w, burst);
	rte_rcu_qsbr_thread_offline(gw->qsv, w->idx);
	return 0;
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
	snprintf(name, sizeof(name), "fmipgw_ctrl_%u", idx);
	w->ring = rte_ring_create(name, gw->cfg.ring_size, sock, RING_F_SP_ENQ | RING_F_SC_DEQ);
	w->mctx = mac_ctx_create(gw->mac);
	if (w->ring == NULL || w->mctx == NULL) {
		snprintf(err, errlen, "cannot create worker %u's ring/MAC context: %s", idx,
			 rte_strerror(rte_errno));
		return -1;
	}
	if (rte_rcu_qsbr_thread_register(gw->qsv, idx) != 0) {
		snprintf(err, errlen, "cannot register worker %u's RCU thread id", idx);
		return -1;
	}
	dp_policer_set(&w->pol, &gw->cfg, gw->tsc_hz);
	return 0;
}

void dp_worker_free(struct gw_worker *w)
{
	if (w == NULL)
		return;
	mac_ctx_destroy(w->mctx);
	gw_ring_drain(w->ring, 0, NULL, NULL);
	rte_ring_free(w->ring);
	rte_free(w);
}
