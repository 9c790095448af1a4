/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control-plane TX: an mbuf from the pool, the Ethernet header, the packet, then the
 * control lcore's own TX queue of the port — or worker 0's relay ring for ports that have no
 * queue for it (gw_port.ctrl_via_worker).  Every control sender (PrRtAdv, CPA, FBack, HI,
 * HAck, NS/NA, ICMPv6 errors, forwarded and copied frames) goes through here, and a packet
 * not sent is counted by its one cause: ctrl_alloc_failed (the pool had no mbuf),
 * ctrl_tx_too_long (the frame does not fit one), ctrl_tx_failed (TX queue or ring full).
 */
#include <rte_ethdev.h>

#include "cp.h"

int cp_tx_mbuf(struct gw_ctrl *c, uint16_t port, struct rte_mbuf *m)
{
	struct gw *gw = c->gw;
	const struct gw_port *gp = &gw->ports[gw_port_index(gw, port)];

	m->port = port;
	if (gp->ctrl_via_worker ? rte_ring_mp_enqueue(gw->ctrl_tx_relay, m) != 0
				: rte_eth_tx_burst(port, c->txq, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		c->cnt.ctrl_tx_failed++;
		return -1;
	}
	return 0;
}

int cp_tx(struct gw_ctrl *c, uint16_t port, const uint8_t dst_mac[6], int vlan, const uint8_t *pkt,
	  size_t len)
{
	struct gw *gw = c->gw;
	const struct gw_port *gp = &gw->ports[gw_port_index(gw, port)];
	size_t l2 = vlan >= 0 ? WIRE_ETH_HLEN_VLAN : WIRE_ETH_HLEN, alen = l2 + len;
	struct rte_mbuf *m;
	struct wire_buf w;
	uint8_t *p;

	if (gp->p.id != port || alen > RTE_MBUF_DEFAULT_DATAROOM)
		goto too_long; /* (no such port: a caller's error, counted the same) */
	m = rte_pktmbuf_alloc(gw->pool);
	if (m == NULL) {
		c->cnt.ctrl_alloc_failed++; /* the pool is empty: see rx_pool_empty */
		return -1;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)alen);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		goto too_long;
	}
	w = wire_buf_make(p, alen); /* exactly what was appended */
	wire_build_eth(&w, dst_mac, gp->p.mac.addr_bytes, vlan, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	if (w.err != WIRE_OK) {
		rte_pktmbuf_free(m);
		goto too_long;
	}
	return cp_tx_mbuf(c, port, m);
too_long:
	c->cnt.ctrl_tx_too_long++;
	return -1;
}
