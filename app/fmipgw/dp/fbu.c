/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw FBU stage: applies the rules of fbu.h to FBUs to a PAR address, in batches.
 *
 *   collect  the FBU comes either from the fast decoder (dp_fbu_fast: wire_fbu_fast_decode
 *            matched the one shape MNs send, and the classification table says the
 *            destination is a PAR address) or from wire_decode_frame (dp_fbu_collect: any
 *            other FBU).  The frame rules (L1, A23, A2), then its PCoA (the Home Address,
 *            A21/A23) goes into the lookup batch with its signature (keytab_batch_add); the
 *            frame itself stays as received.
 *   lookup   one bulk lookup per batch (keytab_pipe_advance), which prefetches the records.
 *   verify   the key rules (A13), the A2 MAC input built in place in the packet (NCoA || PAR
 *            over the 32 octets before the MH, the checksum zeroed: wire_mac_inplace_begin;
 *            segments for a full decode whose authenticator does not end the MH), one
 *            mac_burst_add per FBU and one mac_burst_verify per batch; the accept rules (L2,
 *            A14) in arrival order; an accepted FBU's octets are restored
 *            (wire_mac_inplace_restore: the control plane decodes it again) and the mbuf goes
 *            to the control plane as GW_EV_FBU; every other verdict is a counted drop.
 *
 * [fbu] pipeline_depth 0: a batch is one RX burst, looked up and verified in the burst's
 * flush.  1 (lib/keytab's keytab_pipe): a batch is one loop turn's FBUs, looked up right
 * after the turn's quiescent state (dp_fbu_after_quiescent) and verified in the next turn,
 * before its quiescent state (dp_fbu_before_quiescent), so that the records' cache misses
 * overlap that turn's RX and decoding.  RCU: a record is used only between its lookup and the
 * next quiescent state (or going offline): a turn that holds a looked-up batch reports itself
 * busy (no idle sleep, which is offline), and dp_fbu_drain() verifies it before the lcore
 * goes offline.  A batch that fills up within a turn is looked up and verified at once.
 */
#include <rte_ring.h>

#include "classify.h"
#include "dp.h"
#include "fbu.h"
#include "stages.h"

_Static_assert(KEYTAB_BATCH_MAX <= MAC_BURST_MAX, "a lookup batch fits in one MAC burst");
_Static_assert(GW_BURST_MAX <= KEYTAB_BATCH_MAX, "an RX burst fits in one lookup batch");

const size_t dp_fbu_counter[DP_FBU__COUNT] = {
	[DP_FBU_SPI] = GW_CNT_OFF(drop_fbu_spi),
	[DP_FBU_NO_HAO] = GW_CNT_OFF(drop_fbu_no_hao),
	[DP_FBU_MAC_INPUT] = GW_CNT_OFF(drop_fbu_mac_input),
	[DP_FBU_NO_KEY] = GW_CNT_OFF(drop_fbu_no_key),
	[DP_FBU_EXPIRED] = GW_CNT_OFF(drop_fbu_expired),
	[DP_FBU_BAD_MAC] = GW_CNT_OFF(drop_fbu_bad_mac),
	[DP_FBU_RING_FULL] = GW_CNT_OFF(drop_fbu_ring_full),
	[DP_FBU_STALE_SEQ] = GW_CNT_OFF(drop_fbu_stale_seq),
	[DP_FBU_ACCEPT] = GW_CNT_OFF(fbu_accepted),
};

static inline void fbu_count(struct gw_worker *w, enum dp_fbu_verdict v)
{
	(*gw_cnt(&w->cnt, dp_fbu_counter[v]))++;
}

static inline void fbu_drop(struct gw_worker *w, struct rte_mbuf *m, enum dp_fbu_verdict v)
{
	fbu_count(w, v);
	rte_pktmbuf_free(m);
}

/* A drop of the batch being verified: freed with the others at its end (one bulk free). */
static inline void fbu_drop_later(struct gw_worker *w, struct rte_mbuf *m, enum dp_fbu_verdict v)
{
	fbu_count(w, v);
	w->fbu.drop[w->fbu.n_drop++] = m;
}

void dp_fbu_init(struct gw_worker *w)
{
	struct dp_fbu_burst *fb = &w->fbu;

	fb->fast = w->gw->cfg.fbu_fast_decode;
	keytab_pipe_init(&fb->pipe, w->gw->cfg.fbu_pipeline_depth);
	fb->fill = keytab_pipe_begin(&fb->pipe);
}

/* Key rules and MAC input of entry i of batch r (index bi) into the MAC burst: its slot, or
 * -1 when the FBU was dropped. */
static int fbu_mac_add(struct gw_worker *w, const struct keytab_batch *r, unsigned bi, unsigned i,
		       uint64_t now_s)
{
	struct dp_fbu_burst *fb = &w->fbu;
	const struct dp_fbu_pkt *p = &fb->pkt[bi][i];
	const struct keytab_rec *rec = r->recs[i];
	struct wire_mac_inplace *ip = &fb->ip[i];
	enum dp_fbu_verdict v = dp_fbu_key_rules(rec, now_s);
	uint8_t *f;
	int slot = -1;

	if (v != DP_FBU_GO) {
		fbu_drop_later(w, p->m, v);
		return -1;
	}
	f = rte_pktmbuf_mtod(p->m, uint8_t *);
	/* the lookup is done: the octets before the MH (the HAO among them) may be overwritten */
	if (wire_mac_inplace_begin(f + p->mh_off, p->mh_len, p->auth_off, p->auth_len,
				   f + p->ncoa_off, f + p->par_off, ip) == WIRE_OK) {
		slot = mac_burst_add(w->mctx, &rec->mac, r->at[i], ip->start, ip->len,
				     f + p->mh_off + p->auth_off, p->auth_len);
	} else {
		ip->start = NULL; /* octets after the authenticator (full decodes only) */
		if (p->segs)
			slot = mac_burst_add_segs(w->mctx, &rec->mac, r->at[i], &fb->in[bi][i]);
	}
	if (slot < 0) /* cannot happen: a batch fits in one MAC burst */
		fbu_drop_later(w, p->m, DP_FBU_BAD_MAC);
	return slot;
}

/* Verify the looked-up batch (if it holds FBUs) and empty it.  now_s: the key table's clock. */
static void fbu_verify(struct gw_worker *w, uint64_t now_s)
{
	struct dp_fbu_burst *fb = &w->fbu;
	struct keytab_batch *r = keytab_pipe_ready(&fb->pipe);
	unsigned bi = keytab_pipe_idx(&fb->pipe, r), ns = 0;
	uint64_t ok;

	if (r->n == 0)
		return;
	for (unsigned i = 0; i < r->n; i++) {
		int slot = fbu_mac_add(w, r, bi, i, now_s);

		if (slot >= 0)
			fb->of_slot[ns++] =
			    (uint8_t)i; /* slots are numbered in the order of adds */
	}
	ok = mac_burst_verify(w->mctx);
	for (unsigned s = 0; s < ns; s++) { /* arrival order: A14 between FBUs of one MN */
		unsigned i = fb->of_slot[s];
		const struct dp_fbu_pkt *p = &fb->pkt[bi][i];
		/* this worker is the ring's only producer: a free slot now is still free at the
		 * enqueue below (L2) */
		enum dp_fbu_verdict v = dp_fbu_accept_rules(
		    r->recs[i], (ok >> s) & 1, rte_ring_free_count(w->ring) != 0, p->seq);

		if (v != DP_FBU_ACCEPT) {
			fbu_drop_later(w, p->m, v);
			continue;
		}
		if (fb->ip[i].start != NULL) /* as received, for the control plane */
			wire_mac_inplace_restore(&fb->ip[i]);
		if (dp_to_ctrl(w, w->ring, p->m, GW_EV_FBU, p->tsc))
			fbu_count(w, DP_FBU_ACCEPT);
		else
			w->cnt.drop_fbu_ring_full++; /* cannot happen: L2 checked the room */
	}
	rte_pktmbuf_free_bulk(fb->drop, fb->n_drop);
	fb->n_drop = 0;
	keytab_batch_reset(r);
}

static inline uint64_t fbu_now(const struct gw_worker *w, uint64_t tsc)
{
	return tsc / w->gw->tsc_hz; /* the key table's clock: seconds of TSC */
}

/* Look the fill batch up: it becomes the one to verify.  The next fill batch is the other one
 * with depth 1 (verified and emptied before this), the same one with depth 0 (emptied by the
 * verification that follows). */
static void fbu_lookup(struct gw_worker *w)
{
	struct dp_fbu_burst *fb = &w->fbu;

	keytab_pipe_advance(w->gw->kt, &fb->pipe);
	fb->fill = &fb->pipe.b[fb->pipe.fill];
}

/* The next entry of the fill batch (*bi, *i: its batch and index): a full batch is looked up
 * and verified first, after the batch looked up before it. */
static void fbu_spill(struct gw_worker *w)
{
	uint64_t now_s = fbu_now(w, rte_rdtsc());

	if (w->fbu.pipe.depth != 0)
		fbu_verify(w, now_s); /* the batch of the previous turn, first */
	fbu_lookup(w);
	fbu_verify(w, now_s);
}

static inline struct dp_fbu_pkt *fbu_entry(struct gw_worker *w, unsigned *bi, unsigned *i)
{
	struct dp_fbu_burst *fb = &w->fbu;

	if (unlikely(fb->fill->n == KEYTAB_BATCH_MAX)) /* depth 1 only: depth 0 flushes bursts */
		fbu_spill(w);
	*bi = keytab_pipe_idx(&fb->pipe, fb->fill);
	*i = fb->fill->n;
	return &fb->pkt[*bi][*i];
}

static inline void fbu_add(struct gw_worker *w, struct dp_fbu_pkt *p, struct rte_mbuf *m,
			   uint64_t tsc, const uint8_t *pcoa)
{
	p->m = m;
	p->tsc = tsc;
	keytab_batch_add(w->gw->kt, w->fbu.fill, pcoa); /* fbu_entry made room */
}

bool dp_fbu_fast(struct gw_worker *w, struct rte_mbuf *m, uint64_t tsc)
{
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	struct wire_fbu_fast ff;
	struct dp_fbu_pkt *p;
	enum dp_fbu_verdict v;
	unsigned bi, i;

	if (!wire_fbu_fast_decode(f, m->data_len, WIRE_LINK_ETH, &ff))
		return false;
	/* the table's destination rule, as for a full decode; otherwise that decides */
	if (dp_classify_msg(&w->gw->cfg, WIRE_MSG_FBU, f + ff.par_off)->stage != DP_STAGE_FBU)
		return false;
	w->cnt.fbu_rx++;
	v = dp_fbu_fast_frame_rules(&ff);
	if (v != DP_FBU_GO) {
		fbu_drop(w, m, v);
		return true;
	}
	p = fbu_entry(w, &bi, &i);
	p->seq = ff.seq;
	p->mh_off = ff.mh_off;
	p->mh_len = ff.mh_len;
	p->auth_off = (uint16_t)(ff.auth_off - ff.mh_off);
	p->auth_len = ff.auth_len;
	p->ncoa_off = ff.ncoa_off;
	p->par_off = ff.par_off;
	p->segs = 0; /* the fast shape's input is contiguous (A20) */
	fbu_add(w, p, m, tsc, f + ff.pcoa_off);
	return true;
}

void dp_fbu_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		    const struct dp_class *row, uint64_t tsc)
{
	const uint8_t *base = rte_pktmbuf_mtod(m, const uint8_t *);
	struct dp_fbu_pkt *p;
	struct wire_mac_input *in;
	enum dp_fbu_verdict v;
	unsigned bi, i;

	(void)row;
	w->cnt.fbu_rx++;
	p = fbu_entry(w, &bi, &i);
	in = &w->fbu.in[bi][i];
	v = dp_fbu_frame_rules(f, in);
	if (v != DP_FBU_GO) {
		fbu_drop(w, m, v);
		return;
	}
	p->seq = f->mh.u.fbu.seq;
	p->mh_off = (uint16_t)(f->mh.p - base);
	p->mh_len = (uint16_t)f->mh.len;
	p->auth_off = (uint16_t)f->mh.badf.auth_off;
	p->auth_len = f->mh.badf.auth_len;
	p->ncoa_off = (uint16_t)(in->coa - base); /* A2: Alt-CoA, else the IPv6 source */
	p->par_off = (uint16_t)(in->par - base);
	p->segs = 1;
	fbu_add(w, p, m, tsc, f->ip.hao);
}

void dp_fbu_flush(struct gw_worker *w, uint64_t tsc)
{
	if (w->fbu.pipe.depth != 0 || w->fbu.fill->n == 0)
		return;
	fbu_lookup(w); /* depth 0: the ready batch is this one */
	fbu_verify(w, fbu_now(w, tsc));
}

void dp_fbu_before_quiescent(struct gw_worker *w)
{
	if (w->fbu.pipe.depth != 0 && keytab_pipe_ready(&w->fbu.pipe)->n != 0)
		fbu_verify(w, fbu_now(w, rte_rdtsc()));
}

bool dp_fbu_after_quiescent(struct gw_worker *w)
{
	if (w->fbu.pipe.depth == 0 || w->fbu.fill->n == 0)
		return false;
	fbu_lookup(w);
	return true; /* records held until the next turn's dp_fbu_before_quiescent */
}

void dp_fbu_drain(struct gw_worker *w)
{
	dp_fbu_before_quiescent(w);
}

void dp_fbu_release(struct gw_worker *w)
{
	struct dp_fbu_burst *fb = &w->fbu;

	for (unsigned b = 0; b < 2; b++) {
		for (unsigned i = 0; i < fb->pipe.b[b].n; i++)
			rte_pktmbuf_free(fb->pkt[b][i].m);
		keytab_batch_reset(&fb->pipe.b[b]);
	}
}
