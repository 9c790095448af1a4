/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control handler of GW_EV_ND: the ND/SEND/MH messages for the router that no other
 * handler takes (classification rows of WIRE_MSG_ND, and the routing stage's multicast NSs
 * whose target is one of the router's addresses).  All are counted (nd_rx); NSs and NAs also
 * feed the neighbour table (RFC 4861 7.1 validation by lib/wire, then neigh_update()):
 *
 *   NA        7.2.5 through neigh_update(); packets held for the neighbour are forwarded;
 *   NS        for one of the router's addresses (the router address, a PAR address, a `local`
 *             route): its SLLA refreshes or creates the sender's entry (7.2.3), and the router
 *             answers with a solicited NA (R, S, O; all-nodes without S for a DAD probe from
 *             ::), its TLLA the port's MAC — unless [exception] nd hands ND to the kernel of
 *             the port's exception port, which then answers for the addresses configured on it.
 *
 * With [exception] nd and an exception port for the input port, every ND message (RS, RA,
 * NS, NA, Redirect) also goes to the kernel, after fmipgw took what it needs from it.
 */
#include "cp.h"
#include "fwd.h"

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };

static bool unspecified(const uint8_t a[16])
{
	static const uint8_t z[16];

	return memcmp(a, z, 16) == 0;
}

/* One of the router's addresses: the router address, a PAR address, a `local` route. */
static bool ours(const struct gw *gw, const uint8_t a[16])
{
	const struct route_fib *f = route_table_writer_fib(gw->fwd->rt);
	int32_t nh = route_lookup(f, a);

	if (memcmp(a, gw->cfg.router_addr, 16) == 0)
		return true;
	for (unsigned i = 0; i < gw->cfg.n_par; i++)
		if (memcmp(a, gw->cfg.par[i], 16) == 0)
			return true;
	return nh != ROUTE_NONE && (f->nh[nh].flags & ROUTE_NH_LOCAL);
}

/* Forward the packets an update released to the neighbour's new address mac on port. */
static void release(struct gw_ctrl *c, struct rte_mbuf **out, unsigned n, unsigned port,
		    const uint8_t *mac)
{
	for (unsigned i = 0; i < n; i++)
		cp_fwd_send(c, out[i], port, mac);
}

/* The solicited NA answering an NS for one of the router's addresses (RFC 4861 7.2.4). */
static void answer(struct gw_ctrl *c, const struct wire_frame *f, const struct wire_nsna *v,
		   unsigned port)
{
	const struct gw_port *gp = &c->gw->ports[port];
	bool dad = unspecified(f->ip.src);
	const uint8_t *dst = dad ? all_nodes : f->ip.src;
	uint8_t pkt[WIRE_NS_LEN + 40 + 8], l2[6];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	uint8_t flags = WIRE_NA_FLAG_R | WIRE_NA_FLAG_O | (dad ? 0 : WIRE_NA_FLAG_S);

	if (wire_build_na(&w, v->target, dst, v->target, flags, gp->p.mac.addr_bytes) != WIRE_OK)
		return;
	if (dad)
		wire_ip6_mcast_mac(all_nodes, l2);
	else
		memcpy(l2, v->lla != NULL && v->lla_len >= 6 ? v->lla : f->eth.src, 6);
	if (cp_tx(c, gp->p.id, l2, f->eth.has_vlan ? f->eth.vlan_tci : -1, pkt, w.len) == 0)
		c->cnt.na_tx++;
}

static void nsna(struct gw_ctrl *c, const struct wire_frame *f, unsigned port)
{
	struct gw *gw = c->gw;
	struct gw_fwd *fw = gw->fwd;
	struct rte_mbuf *out[64];
	struct wire_nsna v;
	const uint8_t *lla;
	unsigned n = 0, flags;

	if (wire_nsna_decode(&f->ip, &f->icmp, &v) != WIRE_OK) {
		c->cnt.nd_invalid++;
		return;
	}
	lla = v.lla != NULL && v.lla_len >= 6 ? v.lla : NULL;
	if (v.type == WIRE_ICMP6_NA) {
		c->cnt.na_rx++;
		flags = ((v.flags & WIRE_NA_FLAG_S) ? NEIGH_F_SOLICITED : 0) |
			((v.flags & WIRE_NA_FLAG_O) ? NEIGH_F_OVERRIDE : 0);
		neigh_update(fw->nt, v.target, (uint16_t)port, lla, flags, fwd_now_ms(gw), out, 64,
			     &n);
		release(c, out, n, port, lla);
		return;
	}
	if (!ours(gw, v.target))
		return;
	c->cnt.ns_rx++;
	if (lla != NULL && !unspecified(f->ip.src)) {
		neigh_update(fw->nt, f->ip.src, (uint16_t)port, lla, NEIGH_F_NS, fwd_now_ms(gw),
			     out, 64, &n);
		release(c, out, n, port, lla);
	}
	if (!(fw->nd && fw->exc_of[port] >= 0)) /* else the kernel answers */
		answer(c, f, &v, port);
}

void cp_on_nd(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct gw *gw = c->gw;
	struct gw_fwd *fw = gw->fwd;
	struct wire_frame *f = &c->work.frame;
	unsigned port;

	(void)rx_tsc;
	c->cnt.nd_rx++;
	if (fw == NULL ||
	    wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK ||
	    f->msg != WIRE_MSG_ND)
		return; /* FBack, HI, HAck: counted until their handlers take them */
	port = gw_port_index(gw, m->port);
	if (fw->on && (f->icmp.type == WIRE_ICMP6_NS || f->icmp.type == WIRE_ICMP6_NA))
		nsna(c, f, port);
	if (fw->nd && fw->exc_of[port] >= 0) {
		rte_mbuf_refcnt_update(m, 1); /* the dispatcher frees its own reference */
		if (cp_tx_mbuf(c, gw->ports[fw->exc_of[port]].p.id, m) == 0)
			c->cnt.exc_nd_copied++;
	}
}
