/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw fast path (DESIGN.md "Fast path"; after DPDK examples/l3fwd).
 *
 * Per loop: RX burst on every port → wire_decode_frame() per frame → classify:
 *   - FBU to a PAR address: collected; then ONE keytab_lookup_bulk() (key = the Home Address,
 *     A23/A21) and ONE mac_verify_burst() for the burst; verified ones pass keytab_seq_accept()
 *     (A14) and their mbuf goes to the control lcore as the "accepted FBU" event (the mbuf
 *     itself: the forwarding stage and the FBack need the message; class and RX time ride in
 *     the fmipgw_meta mbuf dynamic field);
 *   - RtSolPr, CPS and other ND/SEND/MH messages for the router: per-class TSC token bucket,
 *     then the SP/SC ring to control;
 *   - everything else: pass-through (drop / same port / other port), the forwarding stage's
 *     place until the PAR forwarding issue fills it;
 *   - every drop has its own counter; malformed frames count per lib/wire error.
 * Then one rte_rcu_qsbr_quiescent().  No allocation, lock, OpenSSL call or log per packet.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "gw.h"

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 0x02 };

bool gw_is_par(const struct gw_config *cfg, const uint8_t a[16])
{
	for (unsigned i = 0; i < cfg->n_par; i++)
		if (memcmp(cfg->par[i], a, 16) == 0)
			return true;
	return false;
}

/* a is the solicited-node multicast group (ff02::1:ffXX:XXXX) of u */
static inline bool is_sol_node_of(const uint8_t a[16], const uint8_t u[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	return memcmp(a, pfx, 13) == 0 && memcmp(a + 13, u + 13, 3) == 0;
}

/* Addressed to the router: its link-local address, a PAR address, all-routers, or the
 * solicited-node group of one of these.  Other multicast (all-nodes, hosts' solicited-node
 * groups: DAD, address resolution, upstream RAs) is not the router's: it passes through. */
bool gw_is_router_dst(const struct gw_config *cfg, const uint8_t ll[16], const uint8_t a[16])
{
	if (a[0] != 0xff)
		return memcmp(a, ll, 16) == 0 || gw_is_par(cfg, a);
	if (memcmp(a, all_routers, 16) == 0 || is_sol_node_of(a, ll))
		return true;
	for (unsigned i = 0; i < cfg->n_par; i++)
		if (is_sol_node_of(a, cfg->par[i]))
			return true;
	return false;
}

void worker_set_policer(struct gw_worker *w, const struct gw_config *cfg, uint64_t hz)
{
	for (int c = 0; c < GW_CLS__COUNT; c++) {
		uint64_t cost = cfg->pol[c].rate ? hz / cfg->pol[c].rate : 0;

		if (cfg->pol[c].rate && cost == 0)
			cost = 1;
		__atomic_store_n(&w->pol_cap[c], cost * cfg->pol[c].burst, __ATOMIC_RELAXED);
		__atomic_store_n(&w->pol_cost[c], cost, __ATOMIC_RELAXED);
	}
}

/* TSC token bucket: 1 pass, 0 drop. */
int worker_policer_take(struct gw_worker *w, int cls, uint64_t now)
{
	uint64_t cost = __atomic_load_n(&w->pol_cost[cls], __ATOMIC_RELAXED);
	uint64_t cap = __atomic_load_n(&w->pol_cap[cls], __ATOMIC_RELAXED);
	struct gw_tb *tb = &w->tb[cls];

	if (cost == 0)
		return 1;
	tb->credit += now - tb->last;
	tb->last = now;
	if (tb->credit > cap)
		tb->credit = cap;
	if (tb->credit < cost)
		return 0;
	tb->credit -= cost;
	return 1;
}

/* Queue m to the control lcore: true on success; on failure m is freed and the caller counts
 * the drop (each packet has exactly one outcome counter). */
static inline bool to_ctrl(struct gw_worker *w, struct rte_mbuf *m, enum gw_ev ev, uint64_t tsc)
{
	struct gw_mbuf_meta *meta = gw_meta(w->gw, m);

	meta->ev = ev;
	meta->rx_tsc = tsc;
	if (rte_ring_sp_enqueue(w->ring, m) != 0) {
		rte_pktmbuf_free(m);
		return false;
	}
	return true;
}

static inline void pass(struct gw_worker *w, struct rte_mbuf *m, enum gw_pass mode)
{
	unsigned in = 0, out;

	if (mode == GW_PASS_DROP) {
		w->cnt.drop_pass++;
		rte_pktmbuf_free(m);
		return;
	}
	for (unsigned i = 0; i < w->gw->n_ports; i++)
		if (w->gw->ports[i].id == m->port)
			in = i;
	out = mode == GW_PASS_SAME ? in : (in ^ 1u);
	if (out >= w->gw->n_ports)
		out = in;
	w->tx[out][w->ntx[out]++] = m;
}

static inline void classify_ctrl(struct gw_worker *w, struct rte_mbuf *m, int cls, enum gw_ev ev,
				 uint64_t tsc)
{
	if (!worker_policer_take(w, cls, tsc)) {
		if (cls == GW_CLS_RTSOLPR)
			w->cnt.drop_policer_rtsolpr++;
		else if (cls == GW_CLS_CPS)
			w->cnt.drop_policer_cps++;
		else
			w->cnt.drop_policer_nd++;
		rte_pktmbuf_free(m);
		return;
	}
	if (!to_ctrl(w, m, ev, tsc))
		w->cnt.drop_ring_full++;
	else if (cls == GW_CLS_RTSOLPR)
		w->cnt.ctrl_rtsolpr++;
	else if (cls == GW_CLS_CPS)
		w->cnt.ctrl_cps++;
	else
		w->cnt.ctrl_nd++;
}

/* The FBUs of one burst: bulk lookup, one MAC burst, sequence check. */
static void fbu_burst(struct gw_worker *w, unsigned nf, uint64_t tsc)
{
	const struct gw *gw = w->gw;
	uint64_t now_s = tsc / gw->tsc_hz, ok = 0;
	unsigned nj = 0;
	uint16_t jidx[GW_BURST_MAX];

	keytab_lookup_bulk(gw->kt, w->cgas, w->sigs, nf, w->recs);
	for (unsigned i = 0; i < nf; i++) {
		struct keytab_rec *r = w->recs[i];

		if (r == NULL) {
			w->cnt.drop_fbu_no_key++;
			rte_pktmbuf_free(w->pkts[w->fbu_idx[i]]);
			continue;
		}
		if (!keytab_rec_usable(r, now_s)) {
			w->cnt.drop_fbu_expired++;
			rte_pktmbuf_free(w->pkts[w->fbu_idx[i]]);
			continue;
		}
		mac_job_from_input(&w->jobs[nj], &r->mac, &w->min[i]);
		jidx[nj++] = (uint16_t)i;
	}
	if (nj == 0)
		return;
	mac_verify_burst(w->mctx, w->jobs, nj, &ok);
	for (unsigned j = 0; j < nj; j++) {
		unsigned i = jidx[j];
		struct rte_mbuf *m = w->pkts[w->fbu_idx[i]];

		if (!(ok & (1ull << j))) {
			w->cnt.drop_fbu_bad_mac++;
			rte_pktmbuf_free(m);
		} else if (rte_ring_free_count(w->ring) == 0) {
			/* this worker is the ring's only producer: a free slot now is still free
			 * at the enqueue below; without one the sequence number is left alone
			 * (the MN's retransmission with the same sequence stays acceptable) */
			w->cnt.drop_fbu_ring_full++;
			rte_pktmbuf_free(m);
		} else if (/* L2: the sequence is consumed here, before control's hk_fbu_check */
			   !keytab_seq_accept(w->recs[i], w->frames[w->fbu_idx[i]].mh.u.fbu.seq)) {
			w->cnt.drop_fbu_stale_seq++;
			rte_pktmbuf_free(m);
		} else {
			if (to_ctrl(w, m, GW_EV_FBU_OK, tsc))
				w->cnt.fbu_accepted++;
			else
				w->cnt.drop_fbu_ring_full++; /* cannot happen: checked above */
		}
	}
}

static void flush_tx(struct gw_worker *w)
{
	for (unsigned p = 0; p < w->gw->n_ports; p++) {
		uint16_t n = w->ntx[p], sent;

		if (n == 0)
			continue;
		sent = rte_eth_tx_burst(w->gw->ports[p].id, w->txq, w->tx[p], n);
		w->cnt.pass_tx += sent;
		if (sent < n) {
			w->cnt.drop_tx_full += (uint64_t)(n - sent);
			rte_pktmbuf_free_bulk(&w->tx[p][sent], (unsigned)(n - sent));
		}
		w->ntx[p] = 0;
	}
}

/* Worker 0 sends what the control lcore queued for ports without a control TX queue. */
static void ret_ring_tx(struct gw_worker *w)
{
	struct rte_mbuf *ms[32];
	unsigned n = rte_ring_sc_dequeue_burst(w->gw->ret_ring, (void **)ms, 32, NULL);

	for (unsigned i = 0; i < n; i++) {
		/* control's packets: their own counters, not the RX outcomes of worker traffic */
		if (rte_eth_tx_burst(ms[i]->port, w->txq, &ms[i], 1) == 1) {
			w->cnt.ctrl_ret_tx++;
		} else {
			w->cnt.ctrl_ret_tx_failed++;
			rte_pktmbuf_free(ms[i]);
		}
	}
}

static void rx_burst(struct gw_worker *w, uint16_t port, uint16_t burst)
{
	const struct gw *gw = w->gw;
	const struct gw_config *cfg = &gw->cfg;
	const uint8_t *ll = cfg->router_addr;
	enum gw_pass mode = __atomic_load_n(&cfg->pass, __ATOMIC_RELAXED);
	uint16_t n = rte_eth_rx_burst(port, w->rxq, w->pkts, burst);
	unsigned nf = 0;
	uint64_t tsc;

	if (n == 0)
		return;
	tsc = rte_rdtsc();
	w->cnt.rx_packets += n;
	w->cnt.rx_bursts++;
	for (uint16_t i = 0; i < n; i++) {
		struct rte_mbuf *m = w->pkts[i];
		struct wire_frame *f = &w->frames[i];
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
			pass(w, m, mode); /* ARP and other non-IPv6 traffic */
			continue;
		}
		if (e != WIRE_OK) {
			w->cnt.drop_malformed++;
			w->cnt.malformed[(unsigned)e < WIRE_E__COUNT ? (unsigned)e : 0]++;
			rte_pktmbuf_free(m);
			continue;
		}
		switch (f->msg) {
		case WIRE_MSG_FBU:
			if (!gw_is_par(cfg, f->ip.dst))
				break;
			w->cnt.fbu_rx++;
			if (f->mh.badf.spi != 0) {
				/* L1 (docs/protocol-decisions.md): SPI 0 is the SEND-based
				 * handover key's (RFC 5568 §6.4.5); no other SA exists here */
				w->cnt.drop_fbu_spi++;
				rte_pktmbuf_free(m);
				continue;
			}
			if (f->ip.hao == NULL) {
				w->cnt.drop_fbu_no_hao++; /* A23: the key is named by the PCoA */
				rte_pktmbuf_free(m);
				continue;
			}
			if (wire_mac_input(&f->ip, &f->mh, &w->min[nf]) != WIRE_OK) {
				w->cnt.drop_fbu_mac_input++;
				rte_pktmbuf_free(m);
				continue;
			}
			w->cgas[nf] = f->ip.hao;
			w->sigs[nf] = keytab_sig(gw->kt, f->ip.hao);
			w->fbu_idx[nf++] = i;
			continue;
		case WIRE_MSG_RTSOLPR:
			if (!gw_is_router_dst(cfg, ll, f->ip.dst))
				break;
			classify_ctrl(w, m, GW_CLS_RTSOLPR, GW_EV_RTSOLPR, tsc);
			continue;
		case WIRE_MSG_CPS:
			if (!gw_is_router_dst(cfg, ll, f->ip.dst))
				break;
			classify_ctrl(w, m, GW_CLS_CPS, GW_EV_CPS, tsc);
			continue;
		case WIRE_MSG_FRAGMENT:
			/* never reassembled: a fragment for the router cannot be served */
			if (!gw_is_router_dst(cfg, ll, f->ip.dst))
				break;
			w->cnt.drop_malformed++;
			w->cnt.malformed[WIRE_E_FRAGMENT]++;
			rte_pktmbuf_free(m);
			continue;
		case WIRE_MSG_ND:
		case WIRE_MSG_FBACK:
		case WIRE_MSG_HI:
		case WIRE_MSG_HACK:
			if (!gw_is_router_dst(cfg, ll, f->ip.dst))
				break;
			classify_ctrl(w, m, GW_CLS_ND, GW_EV_ND, tsc);
			continue;
		default:
			break;
		}
		pass(w, m, mode);
	}
	if (nf != 0)
		fbu_burst(w, nf, tsc);
	flush_tx(w);
}

void worker_poll(struct gw_worker *w)
{
	const struct gw *gw = w->gw;

	rte_rcu_qsbr_thread_online(gw->qsv, w->idx);
	for (unsigned p = 0; p < gw->n_ports; p++)
		rx_burst(w, gw->ports[p].id, (uint16_t)gw->cfg.burst);
	if (w->idx == 0 && gw->ret_ring != NULL)
		ret_ring_tx(w);
	rte_rcu_qsbr_quiescent(gw->qsv, w->idx);
	/* offline while this thread is the writer: keytab may wait for a grace period */
	rte_rcu_qsbr_thread_offline(gw->qsv, w->idx);
}

int worker_main(void *arg)
{
	struct gw_worker *w = arg;
	const struct gw *gw = w->gw;
	uint16_t burst = (uint16_t)gw->cfg.burst;

	rte_rcu_qsbr_thread_online(gw->qsv, w->idx); /* registered by main.c */
	GW_LOG(fast, INFO, "worker %u on lcore %u: RX queue %u, TX queue %u\n", w->idx, w->lcore,
	       w->rxq, w->txq);
	while (__atomic_load_n(&gw->running, __ATOMIC_RELAXED)) {
		for (unsigned p = 0; p < gw->n_ports; p++)
			rx_burst(w, gw->ports[p].id, burst);
		if (w->idx == 0 && gw->ret_ring != NULL)
			ret_ring_tx(w);
		rte_rcu_qsbr_quiescent(gw->qsv, w->idx);
	}
	rte_rcu_qsbr_thread_offline(gw->qsv, w->idx);
	return 0;
}
