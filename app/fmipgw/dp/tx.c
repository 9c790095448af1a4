/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw per-port TX buffering (one rte_eth_tx_burst per port per RX burst) and the pass
 * stage: traffic that is not the gateway's is dropped, sent back out of the port it came in,
 * or out of the "other" port (port index xor 1), as [ports] pass_through says — a lab setting
 * until the routing stage replaces it (docs/operations.md).
 */
#include <rte_ethdev.h>

#include "dp.h"
#include "stages.h"

void dp_tx_queue(struct gw_worker *w, unsigned port_index, struct rte_mbuf *m)
{
	struct dp_txbuf *t = &w->tx;

	if (t->n[port_index] == GW_BURST_MAX) { /* stages queue at most one RX burst: never */
		w->cnt.drop_tx_full++;
		rte_pktmbuf_free(m);
		return;
	}
	t->m[port_index][t->n[port_index]++] = m;
}

void dp_tx_flush(struct gw_worker *w)
{
	struct dp_txbuf *t = &w->tx;

	for (unsigned p = 0; p < w->gw->n_ports; p++) {
		uint16_t n = t->n[p], sent;

		if (n == 0)
			continue;
		sent = rte_eth_tx_burst(w->gw->ports[p].p.id, w->txq, t->m[p], n);
		w->cnt.pass_tx += sent;
		if (sent < n) {
			w->cnt.drop_tx_full += (uint64_t)(n - sent);
			rte_pktmbuf_free_bulk(&t->m[p][sent], (unsigned)(n - sent));
		}
		t->n[p] = 0;
	}
}

void dp_pass_through(struct gw_worker *w, struct rte_mbuf *m)
{
	const struct gw *gw = w->gw;
	enum gw_pass_through mode = __atomic_load_n(&gw->cfg.pass, __ATOMIC_RELAXED);
	unsigned in, out;

	if (mode == GW_PASS_DROP) {
		w->cnt.drop_pass++;
		rte_pktmbuf_free(m);
		return;
	}
	in = gw_port_index(gw, m->port);
	out = mode == GW_PASS_SAME ? in : (in ^ 1u);
	if (out >= gw->n_ports)
		out = in;
	dp_tx_queue(w, out, m);
}

void dp_pass_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc)
{
	(void)f;
	(void)row;
	(void)tsc;
	dp_pass_through(w, m);
}
