/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw next-hop resolution on the control lcore (the neighbour table's one writer):
 *
 *   GW_EV_RESOLVE  a packet a worker could not send (no usable entry for its next hop): its
 *                  route is looked up again in the current FIB (it may have changed), then
 *                  neigh_resolve() holds it (a new entry is INCOMPLETE; its first NS goes at
 *                  once), sends it (resolved meanwhile) or drops it (queue full, failed,
 *                  table full — lib/route counts which);
 *   timers         neigh_timer() every FWD_TICK_MS and right after a new entry: multicast NS
 *                  to the solicited-node group (address resolution), unicast NS to the cached
 *                  address (PROBE), failures (held packets dropped, counted by lib/route);
 *   release        packets held for a neighbour that answered are forwarded (cp_fwd_send()).
 *
 * NSs come from the router address ([router] address, link-local) with the port's MAC as
 * SLLA (RFC 4861 7.2.2).
 */
#include "cp.h"
#include "fwd.h"

void cp_fwd_send(struct gw_ctrl *c, struct rte_mbuf *m, unsigned port, const uint8_t mac[6])
{
	const struct gw_port *gp = &c->gw->ports[port];

	fwd_rewrite(m, mac, gp->p.mac.addr_bytes);
	if (cp_tx_mbuf(c, gp->p.id, m) == 0)
		c->cnt.fwd_ctrl_tx++;
}

void cp_on_resolve(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct gw *gw = c->gw;
	struct gw_fwd *fw = gw->fwd;
	const struct route_fib *fib;
	const struct route_nh *h;
	unsigned len;
	const uint8_t *ip = fwd_ip6(m, &len);
	uint8_t mac[6];
	int32_t nh;

	(void)rx_tsc;
	if (fw == NULL || !fw->on || len < 40) {
		c->cnt.fwd_ctrl_drop++;
		return;
	}
	fib = route_table_writer_fib(fw->rt);
	nh = route_lookup(fib, ip + 24);
	if (nh == ROUTE_NONE || (fib->nh[nh].flags & ROUTE_NH_LOCAL)) {
		c->cnt.fwd_ctrl_drop++; /* the route went away meanwhile */
		return;
	}
	h = &fib->nh[nh];
	rte_mbuf_refcnt_update(m, 1); /* held or sent: it outlives the dispatcher's free */
	switch (
	    neigh_resolve(fw->nt, route_nh_target(h, ip + 24), h->port, m, fwd_now_ms(gw), mac)) {
	case NEIGH_V_SEND:
		cp_fwd_send(c, m, h->port, mac);
		break;
	case NEIGH_V_QUEUED:
		fw->kick = true; /* a new entry's first NS now, not at the next tick */
		break;
	default:
		c->cnt.fwd_ctrl_drop++; /* freed by lib/route, counted there by cause */
		break;
	}
}

static void send_ns(struct gw_ctrl *c, const struct neigh_action *a)
{
	const struct gw_port *gp = &c->gw->ports[a->port];
	bool ucast = a->kind == NEIGH_ACT_NS_UCAST;
	uint8_t pkt[WIRE_NS_LEN + 40 + 8], grp[16], l2[6];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));

	if (ucast) {
		memcpy(l2, a->mac, 6);
	} else {
		wire_solicited_node(a->addr, grp);
		wire_ip6_mcast_mac(grp, l2);
	}
	if (wire_build_ns(&w, c->gw->cfg.router_addr, ucast ? a->addr : NULL, a->addr,
			  gp->p.mac.addr_bytes) != WIRE_OK ||
	    cp_tx(c, gp->p.id, l2, -1, pkt, w.len) != 0)
		return;
	if (ucast)
		c->cnt.ns_sent_ucast++;
	else
		c->cnt.ns_sent_mcast++;
}

void cp_neigh_timers(struct gw_ctrl *c)
{
	struct gw *gw = c->gw;
	struct neigh_action act[32];
	uint64_t now = fwd_now_ms(gw);
	unsigned n;

	do {
		n = neigh_timer(gw->fwd->nt, now, act, 32);
		for (unsigned i = 0; i < n; i++) {
			if (act[i].kind == NEIGH_ACT_FAILED) {
				GW_LOG(ctrl, DEBUG,
				       "neighbour on port %u failed to resolve (%u held "
				       "packets dropped)\n",
				       act[i].port, act[i].dropped);
				continue;
			}
			if (act[i].port < gw->n_ports)
				send_ns(c, &act[i]);
		}
	} while (n == 32);
}
