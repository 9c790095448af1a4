/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control relay, both directions: the control stage (policer, then the SP/SC ring to
 * the control plane, the class and RX time in the fmipgw_meta mbuf dynamic field), and worker
 * 0's sending of what the control plane queued on gw->ctrl_tx_relay for ports that have no
 * TX queue of their own for it.
 */
#include <rte_ethdev.h>
#include <rte_hash_crc.h>

#include "classify.h"
#include "dp.h"
#include "stages.h"

bool dp_to_ctrl(struct gw_worker *w, struct rte_ring *r, struct rte_mbuf *m, unsigned ev,
		uint64_t tsc)
{
	struct gw_mbuf_meta *meta = gw_meta(w->gw, m);

	meta->ev = ev;
	meta->rx_tsc = tsc;
	if (rte_ring_sp_enqueue(r, m) != 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	return true;
}

/* The ring an event goes to: an RtSolPr to the slow-path lcore its source hashes to (all of a
 * source's on one lcore: its replay state stays there), everything else to the writer. */
static inline struct rte_ring *ring_for(const struct gw_worker *w, const struct wire_frame *f,
					unsigned ev)
{
	unsigned k = w->gw->n_slow;

	if (ev != GW_EV_RTSOLPR || k == 0)
		return w->ring;
	return w->slow_ring[rte_hash_crc(f->ip.src, 16, 0) % k];
}

void dp_ctrl_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc)
{
	const struct dp_event *e = &dp_events[row->ev];

	if (!dp_policer_take(&w->pol, row->ev, tsc)) {
		(*gw_cnt(&w->cnt, e->policed))++;
		rte_pktmbuf_free(m);
	} else if (dp_to_ctrl(w, ring_for(w, f, row->ev), m, row->ev, tsc)) {
		(*gw_cnt(&w->cnt, e->queued))++;
	} else {
		w->cnt.drop_ring_full++; /* each packet has exactly one outcome counter */
	}
}

unsigned dp_relay_tx(struct gw_worker *w)
{
	struct rte_mbuf *ms[32];
	unsigned n = rte_ring_sc_dequeue_burst(w->gw->ctrl_tx_relay, (void **)ms, 32, NULL);

	for (unsigned i = 0; i < n; i++) {
		/* control's packets: their own counters, not the RX outcomes of worker traffic */
		if (rte_eth_tx_burst(ms[i]->port, w->txq, &ms[i], 1) == 1) {
			w->cnt.ctrl_ret_tx++;
		} else {
			w->cnt.ctrl_ret_tx_failed++;
			rte_pktmbuf_free(ms[i]);
		}
	}
	return n;
}
