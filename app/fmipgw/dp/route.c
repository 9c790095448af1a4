/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw routing stage (issue 11): what is not the gateway's own — the classification
 * table's row of "everything else" and what other stages hand on (dp_route_collect()).
 *
 * collect, per packet: multicast is the router's or not (link scope only: an NS is looked up
 * by its target, other ND and MLD go to the exception port with [exception] nd, the rest of
 * the link-scope multicast — routing protocols — goes there always; nothing is routed beyond
 * the link); a unicast frame not addressed to the port's MAC is another node's (promiscuous
 * mode) and dropped; a link-local destination to this MAC is the router's (exception port);
 * the rest waits for the burst's lookup.
 * flush, per burst: one route_fib_current() and one route_lookup_bulk(); no route:
 * Destination Unreachable (code 0); a `local` route: the exception port (an NS for one of
 * the router's addresses: the control lcore, which answers it); a link-local source cannot
 * leave its link (RFC 4291 2.5.6); Hop Limit 0 or 1: Time Exceeded (code 0); then one
 * neighbour_lookup_bulk() over the burst's distinct next hops; usable: MACs rewritten, Hop
 * Limit decremented, queued for TX on the route's port; unresolved: to the control lcore
 * (GW_EV_RESOLVE, [neighbours] resolve_rate per worker), which holds it until the NA; failed:
 * dropped.  An ICMPv6 error is decided here (RFC 4443 2.4 (e), then the per-worker 2.4 (f)
 * bucket) and built by the control lcore from the invoking packet (no allocation here).
 * Without routes ([routes] empty at start-up) every packet goes to [ports] pass_through.
 */
#include "dp.h"
#include "fwd.h"
#include "stages.h"

/* other stages hand packets to this one in their flush: it must be flushed last */
_Static_assert(DP_STAGE_ROUTE == DP_STAGE__COUNT - 1, "the routing stage is flushed last");

static const struct dp_class nd_row = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_ND };

static inline void drop(struct rte_mbuf *m, uint64_t *cnt)
{
	(*cnt)++;
	rte_pktmbuf_free(m);
}

static inline bool is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

static inline bool is_mld(uint8_t type)
{
	return type == 130 || type == 131 || type == 132 || type == 143; /* RFC 2710, 3810 */
}

/* For the router and not fmipgw's: the exception port of its input port. */
static void punt(struct gw_worker *w, struct rte_mbuf *m, unsigned in)
{
	int e = w->gw->fwd->exc_of[in];

	if (e < 0) {
		drop(m, &w->cnt.exc_drop_no_port);
		return;
	}
	w->cnt.exc_punted++;
	dp_tx_queue(w, (unsigned)e, m);
}

/* Link-scope multicast that is not an NS for one of the router's addresses (nd: ND or MLD). */
static void mcast(struct gw_worker *w, struct rte_mbuf *m, bool nd, unsigned in)
{
	const struct gw_fwd *fw = w->gw->fwd;

	if (fw->exc_of[in] < 0 || (nd && !fw->nd))
		drop(m, &w->cnt.fwd_drop_multicast);
	else
		punt(w, m, in);
}

void dp_route_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		      const struct dp_class *row, uint64_t tsc)
{
	const struct gw *gw = w->gw;
	struct dp_route_burst *b = &w->route;
	unsigned in, k = b->n;

	(void)row;
	(void)tsc;
	if (gw->fwd == NULL || !gw->fwd->on) {
		dp_pass_through(w, m); /* no routes: the lab setting */
		return;
	}
	in = gw_port_index(gw, m->port);
	if (wire_ip6_is_multicast(f->ip.dst)) {
		if ((f->ip.dst[1] & 0x0f) > 2) { /* beyond link scope: no multicast routing */
			drop(m, &w->cnt.fwd_drop_multicast);
			return;
		}
		if (f->msg != WIRE_MSG_ND || f->icmp.type != WIRE_ICMP6_NS ||
		    f->icmp.len < WIRE_NS_LEN) {
			mcast(w, m,
			      f->msg == WIRE_MSG_ND ||
				  (f->msg == WIRE_MSG_ICMP6 && is_mld(f->icmp.type)),
			      in);
			return;
		}
		memcpy(b->ips[k], f->icmp.p + 8, 16); /* the target */
		b->kind[k] = DP_RT_NS;
	} else if (memcmp(f->eth.dst, gw->ports[in].p.mac.addr_bytes, 6) != 0) {
		drop(m, &w->cnt.fwd_drop_l2_other); /* another node's frame (promiscuous) */
		return;
	} else if (is_link_local(f->ip.dst)) {
		punt(w, m, in); /* to this router's MAC and never forwarded: the router's */
		return;
	} else {
		memcpy(b->ips[k], f->ip.dst, 16);
		b->kind[k] = DP_RT_FWD;
	}
	b->m[k] = m;
	b->f[k] = f;
	b->in[k] = (uint8_t)in;
	b->hlim[k] = f->ip.hlim;
	b->ll_src[k] = is_link_local(f->ip.src);
	b->n = k + 1;
}

/* Re-read the per-worker limits after a reload (and at the first burst). */
static void limits(struct gw_worker *w, uint64_t tsc)
{
	const struct gw *gw = w->gw;
	const struct gw_fwd_cfg *c = &gw->cfg.fwd;
	struct dp_route_burst *b = &w->route;
	uint32_t g = __atomic_load_n(&gw->fwd->gen, __ATOMIC_ACQUIRE);

	if (g == b->gen)
		return;
	wire_ratelim_init(&b->err_rl, __atomic_load_n(&c->error_rate, __ATOMIC_RELAXED),
			  __atomic_load_n(&c->error_burst, __ATOMIC_RELAXED), gw->tsc_hz, tsc);
	wire_ratelim_init(&b->res_rl, __atomic_load_n(&c->resolve_rate, __ATOMIC_RELAXED),
			  __atomic_load_n(&c->resolve_burst, __ATOMIC_RELAXED), gw->tsc_hz, tsc);
	b->gen = g;
}

/* An ICMPv6 error for packet i: RFC 4443 2.4 (e), the 2.4 (f) bucket, then the control
 * lcore builds it (ev) from the packet. */
static void icmp6_error(struct gw_worker *w, struct rte_mbuf *m, unsigned ev, uint8_t type,
			uint64_t tsc)
{
	unsigned len;
	const uint8_t *ip = fwd_ip6(m, &len);

	if (!wire_icmp6_error_allowed(ip, len, type, 0, 0, false))
		drop(m, &w->cnt.icmp6_err_suppressed);
	else if (!wire_ratelim_take(&w->route.err_rl, tsc))
		drop(m, &w->cnt.icmp6_err_ratelimited);
	else if (dp_to_ctrl(w, w->ring, m, ev, tsc))
		w->cnt.icmp6_err_queued++;
	else
		w->cnt.drop_ring_full++;
}

/* The key slot of packet i's next hop h: one of the last few distinct ones, or a new one. */
static unsigned key_slot(struct dp_route_burst *b, unsigned *nk, int32_t key_nh[],
			 const struct route_nh *h, int32_t nh, const uint8_t *target)
{
	unsigned k = *nk;
	bool via = !(h->flags & ROUTE_NH_CONNECTED);

	for (unsigned j = k; j > 0 && j + 4 > k; j--)
		if (via ? key_nh[j - 1] == nh
			: key_nh[j - 1] < 0 && b->keys[j - 1].port == h->port &&
			      memcmp(b->keys[j - 1].addr, target, 16) == 0)
			return j - 1;
	neigh_key_make(&b->keys[k], target, h->port);
	b->kp[k] = &b->keys[k];
	key_nh[k] = via ? nh : -1;
	*nk = k + 1;
	return k;
}

/* Pass 1: every packet of the burst that does not need a neighbour is finished (b->m[i] set
 * to NULL); the others get a key slot.  Returns the number of distinct keys. */
static unsigned decide(struct gw_worker *w, const struct route_fib *fib, unsigned n, uint64_t tsc)
{
	struct dp_route_burst *b = &w->route;
	int32_t key_nh[GW_BURST_MAX];
	unsigned nk = 0;

	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = b->m[i];
		const struct route_nh *h = b->nh[i] == ROUTE_NONE ? NULL : &fib->nh[b->nh[i]];

		if (b->kind[i] == DP_RT_NS) {
			if (h != NULL && (h->flags & ROUTE_NH_LOCAL))
				dp_ctrl_collect(w, m, b->f[i], &nd_row, tsc); /* for the router */
			else
				mcast(w, m, true, b->in[i]);
		} else if (h == NULL) {
			w->cnt.fwd_drop_no_route++;
			icmp6_error(w, m, GW_EV_ERR_NOROUTE, WIRE_ICMP6_DST_UNREACH, tsc);
		} else if (h->flags & ROUTE_NH_LOCAL) {
			punt(w, m, b->in[i]);
		} else if (b->ll_src[i]) {
			drop(m, &w->cnt.fwd_drop_scope);
		} else if (b->hlim[i] <= 1) {
			w->cnt.fwd_drop_hlim++;
			icmp6_error(w, m, GW_EV_ERR_HLIM, WIRE_ICMP6_TIME_EXCEEDED, tsc);
		} else {
			b->key_of[i] = (uint8_t)key_slot(b, &nk, key_nh, h, b->nh[i],
							 route_nh_target(h, b->ips[i]));
			continue;
		}
		b->m[i] = NULL;
	}
	return nk;
}

/* A packet whose next hop has no usable entry: to the control lcore, which resolves it. */
static void to_resolve(struct gw_worker *w, struct rte_mbuf *m, unsigned state, uint64_t tsc)
{
	if (state == NEIGH_FAILED)
		drop(m, &w->cnt.fwd_drop_neigh_failed);
	else if (!wire_ratelim_take(&w->route.res_rl, tsc))
		drop(m, &w->cnt.fwd_drop_unresolved);
	else if (dp_to_ctrl(w, w->ring, m, GW_EV_RESOLVE, tsc))
		w->cnt.fwd_to_resolve++;
	else
		w->cnt.drop_ring_full++;
}

void dp_route_flush(struct gw_worker *w, uint64_t tsc)
{
	const struct gw *gw = w->gw;
	struct dp_route_burst *b = &w->route;
	const struct route_fib *fib;
	unsigned n = b->n, nk;

	if (n == 0)
		return;
	b->n = 0;
	limits(w, tsc);
	fib = route_fib_current(gw->fwd->rt); /* the whole burst in one FIB */
	route_lookup_bulk(fib, b->ips, b->nh, n);
	nk = decide(w, fib, n, tsc);
	if (nk == 0)
		return;
	neigh_lookup_bulk(gw->fwd->nt, b->kp, nk, b->ents);
	for (unsigned k = 0; k < nk; k++) {
		unsigned st = NEIGH_NONE;

		if (b->ents[k] != NULL)
			neigh_entry_mac(b->ents[k], b->mac[k], &st);
		b->state[k] = (uint8_t)st;
	}
	for (unsigned i = 0; i < n; i++) {
		struct rte_mbuf *m = b->m[i];
		unsigned k = b->key_of[i], port;

		if (m == NULL)
			continue;
		if (!neigh_state_usable(b->state[k])) {
			to_resolve(w, m, b->state[k], tsc);
			continue;
		}
		port = fib->nh[b->nh[i]].port;
		fwd_rewrite(m, b->mac[k], gw->ports[port].p.mac.addr_bytes);
		w->cnt.fwd_packets++;
		dp_tx_queue(w, port, m);
	}
}

bool dp_exc_rx(struct gw_worker *w, unsigned p, uint16_t n)
{
	const struct gw_fwd *fw = w->gw->fwd;
	int d = fw != NULL ? fw->data_of[p] : -1;

	if (d < 0)
		return false;
	for (uint16_t i = 0; i < n; i++) {
		if (w->pkts[i]->nb_segs != 1) {
			drop(w->pkts[i], &w->cnt.drop_multiseg);
			continue;
		}
		w->cnt.exc_injected++;
		dp_tx_queue(w, (unsigned)d, w->pkts[i]);
	}
	dp_tx_flush(w);
	return true;
}
