/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw tunnel stage: the PAR's forwarding of a moving node's traffic (RFC 5568 3.1, 4;
 * RFC 2473), per burst (docs/binding.md "What the worker stage does per burst"):
 *
 *   forward   every unicast global destination of a frame that is not the gateway's is
 *             looked up in one binding_lookup_bulk(); a live binding (ACTIVE, not past its
 *             lifetime): binding_encap() in the mbuf's headroom (no payload copy) toward the
 *             NCoA, out of the port of the binding's [ap.*] section to the NAR's link-layer
 *             address (the binding's `user` octet is that section's index, set by the control
 *             plane); Hop Limit <= 1 or over the tunnel MTU: the ICMPv6 error in the same mbuf
 *             (tunnel_err.c).  Misses and pending bindings go on to DP_TUNNEL_NEXT.
 *   reverse   IPv6-in-IPv6 to a tunnel source (row DP_DST_TUNNEL): binding_decap_parse(),
 *             one binding_rtun_check_bulk() (inner source a live PCoA, outer source its
 *             NCoA, outer destination its tunnel source), binding_decap_strip() and on to
 *             DP_TUNNEL_NEXT re-decoded; a packet that matches no binding is dropped and
 *             counted, never forwarded (RFC 5568 4).
 *
 * Times: the bindings' clock is whole seconds of the TSC (gw_now_s()).  Without a binding
 * table (benchmarks that do not make one) everything goes on to DP_TUNNEL_NEXT.
 */
#include <string.h>

#include <rte_prefetch.h>

#include "dp.h"
#include "stages.h"

/* The row packets are handed on with (the next stage sees no gateway destination). */
const struct dp_class dp_tunnel_next_row = { DP_TUNNEL_NEXT, DP_DST_NONE, 0 };

static inline void hand_on(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
			   uint64_t tsc)
{
	dp_stage_collect(w, DP_TUNNEL_NEXT, m, f, &dp_tunnel_next_row, tsc);
}

static inline void drop(struct rte_mbuf *m, uint64_t *ctr)
{
	(*ctr)++;
	rte_pktmbuf_free(m);
}

void dp_tunnel_init(struct gw_worker *w)
{
	const struct gw *gw = w->gw;
	const struct gw_config *cfg = &gw->cfg;
	struct dp_tunnel_burst *b = &w->tun;

	b->ctrs = gw->bt != NULL ? binding_worker_ctrs(gw->bt, w->idx) : NULL;
	b->cfg.mtu = (uint16_t)cfg->tun_mtu;
	b->cfg.hop_limit = (uint8_t)cfg->tun_hop_limit;
	b->cfg.tc_mode = cfg->tun_tc_mode == GW_TUN_FIXED ? BINDING_TC_FIXED : BINDING_TC_COPY;
	b->cfg.tc = (uint8_t)cfg->tun_tc;
	b->cfg.fl_mode = cfg->tun_fl_mode == GW_TUN_COPY ? BINDING_FL_COPY : BINDING_FL_FIXED;
	b->cfg.flow_label = cfg->tun_flow_label;
	wire_ratelim_init(&b->icmp_rl, cfg->tun_icmp_rate, cfg->tun_icmp_burst, gw->tsc_hz,
			  rte_rdtsc());
}

bool dp_tunnel_on(const struct gw_worker *w)
{
	const struct binding_table *bt = w->gw->bt;

	return bt != NULL && binding_count(bt) != 0;
}

/* A destination that can be a PCoA: not multicast, not link-local, not :: */
static inline bool maybe_pcoa(const uint8_t a[16])
{
	return a[0] != 0xff && !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80) && (a[0] | a[1]) != 0;
}

void dp_tunnel_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		       const struct dp_class *row, uint64_t tsc)
{
	struct dp_tunnel_burst *b = &w->tun;
	const struct binding_table *bt = w->gw->bt;

	if (bt == NULL) {
		hand_on(w, m, f, tsc);
		return;
	}
	if (row->dst == DP_DST_TUNNEL) {
		/* the frame is the worker's own frames[] entry: it is re-decoded after the strip */
		b->rm[b->nr] = m;
		b->rf[b->nr++] = &w->frames[f - w->frames];
		return;
	}
	if (!maybe_pcoa(f->ip.dst) || binding_count(bt) == 0) {
		hand_on(w, m, f, tsc);
		return;
	}
	b->m[b->n] = m;
	b->f[b->n] = f;
	b->dst[b->n] = f->ip.dst;
	b->sig[b->n] = binding_sig(bt, f->ip.dst);
	b->n++;
}

/* One packet for the live binding r: into the tunnel, or its ICMPv6 error. */
static void encap_one(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		      const struct binding_rec *r, uint64_t tsc)
{
	const struct gw *gw = w->gw;
	struct dp_tunnel_burst *b = &w->tun;
	unsigned ap = r->user, port;
	uint32_t len = 0;
	int rc;

	if (ap >= gw->cfg.n_aps || (port = gw->cfg.ap_ext[ap].port) >= gw->n_ports) {
		drop(m, &w->cnt.drop_tun_unusable); /* the control plane never sets these */
		return;
	}
	rc = binding_encap(m, r, &b->cfg, gw->cfg.aps[ap].nar_lla, gw->ports[port].p.mac.addr_bytes,
			   &len);
	switch (rc) {
	case BINDING_TUN_OK:
		binding_count_tun(b->ctrs, r, len);
		w->cnt.tun_encap++;
		dp_tx_queue(w, port, m);
		return;
	case BINDING_TUN_HOP_LIMIT: /* RFC 2473 3.1 (a), RFC 4443 3.3 */
		w->cnt.tun_hop_limit++;
		dp_tunnel_icmp_error(w, m, f, r->tun_src, WIRE_ICMP6_TIME_EXCEEDED,
				     WIRE_TE_HOP_LIMIT, 0, tsc);
		return;
	case BINDING_TUN_TOO_BIG: /* RFC 2473 7.1 (a) */
		w->cnt.tun_too_big++;
		dp_tunnel_icmp_error(w, m, f, r->tun_src, WIRE_ICMP6_PACKET_TOO_BIG, 0,
				     binding_tun_ptb_mtu(&b->cfg), tsc);
		return;
	case BINDING_TUN_MALFORMED:
		drop(m, &w->cnt.drop_tun_malformed);
		return;
	default: /* SEGMENTED, SHARED, NO_HEADROOM; FRAG_NEEDED cannot be: [tunnel] mtu >= 1320 */
		drop(m, &w->cnt.drop_tun_unusable);
	}
}

/* The per-binding counters of the burst's hits, one line each: with many bindings they are
 * cache misses, issued together before the first is written. */
static inline void prefetch_ctrs(const struct dp_tunnel_burst *b,
				 const struct binding_rec *const *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i] != NULL)
			rte_prefetch0(&b->ctrs[r[i]->slot]);
}

static void forward_flush(struct gw_worker *w, uint64_t tsc)
{
	struct dp_tunnel_burst *b = &w->tun;
	uint64_t now_s = tsc / w->gw->tsc_hz;

	binding_lookup_bulk(w->gw->bt, b->dst, b->sig, b->n, b->rec);
	prefetch_ctrs(b, b->rec, b->n);
	for (unsigned i = 0; i < b->n; i++) {
		const struct binding_rec *r = b->rec[i];

		if (r != NULL && binding_rec_live(r, now_s)) {
			encap_one(w, b->m[i], b->f[i], r, tsc);
			continue;
		}
		if (r != NULL && r->state == BINDING_PENDING)
			w->cnt.tun_pending++; /* RFC 5568 6.2.3: no forwarding before the HAck */
		hand_on(w, b->m[i], b->f[i], tsc);
	}
	b->n = 0;
}

/* The parse refusals' counters. */
static uint64_t *parse_drop_ctr(struct gw_worker *w, int rc)
{
	switch (rc) {
	case BINDING_TUN_NOT_TUNNEL:
	case BINDING_TUN_EXT_HDR:
		return &w->cnt.drop_tun_ext_hdr;
	case BINDING_TUN_MALFORMED:
		return &w->cnt.drop_tun_malformed;
	default:
		return &w->cnt.drop_tun_unusable;
	}
}

static void reverse_flush(struct gw_worker *w, uint64_t tsc)
{
	struct dp_tunnel_burst *b = &w->tun;
	uint64_t now_s = tsc / w->gw->tsc_hz, ok;
	unsigned k = 0;

	for (unsigned i = 0; i < b->nr; i++) { /* parsed ones compacted to the front */
		int rc = binding_decap_parse(b->rm[i], &b->d[k]);

		if (rc != BINDING_TUN_OK) {
			drop(b->rm[i], parse_drop_ctr(w, rc));
			continue;
		}
		b->rm[k] = b->rm[i];
		b->rf[k++] = b->rf[i];
	}
	b->nr = 0;
	if (k == 0)
		return;
	ok = binding_rtun_check_bulk(w->gw->bt, b->d, NULL, k, now_s, b->rrec);
	prefetch_ctrs(b, b->rrec, k);
	for (unsigned j = 0; j < k; j++) {
		struct rte_mbuf *m = b->rm[j];
		int e;

		if (!((ok >> j) & 1)) {
			drop(m, &w->cnt.drop_tun_unmatched); /* RFC 5568 4: never forwarded */
			continue;
		}
		if (binding_decap_strip(m, &b->d[j]) != BINDING_TUN_OK) {
			drop(m, &w->cnt.drop_tun_unusable);
			continue;
		}
		binding_count_rev(b->ctrs, b->rrec[j], b->d[j].inner_len);
		w->cnt.tun_decap++;
		/* the inner packet: plain IPv6 most often (the worker's fast view, as for RX) */
		if (wire_plain_decode(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
				      WIRE_LINK_ETH, b->rf[j]))
			e = WIRE_OK;
		else
			e = wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len,
					      WIRE_LINK_ETH, b->rf[j]);
		if (e != WIRE_OK)
			dp_drop_malformed(w, m, e);
		else
			hand_on(w, m, b->rf[j], tsc);
	}
}

void dp_tunnel_flush(struct gw_worker *w, uint64_t tsc)
{
	if (w->tun.n != 0)
		forward_flush(w, tsc);
	if (w->tun.nr != 0)
		reverse_flush(w, tsc);
}
