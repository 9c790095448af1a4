/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw FBU stage: applies the rules of fbu.h to the FBUs of one burst — frame rules as each
 * is collected, then one keytab_lookup_bulk() (key = the Home Address, A23/A21), the key
 * rules, one mac_verify_burst(), the accept rules; accepted mbufs go to the control plane as
 * GW_EV_FBU (the mbuf itself: the binding and the FBack need the message).
 */
#include <rte_ring.h>

#include "dp.h"
#include "fbu.h"
#include "stages.h"

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

static inline void fbu_drop(struct gw_worker *w, struct rte_mbuf *m, enum dp_fbu_verdict v)
{
	(*gw_cnt(&w->cnt, dp_fbu_counter[v]))++;
	rte_pktmbuf_free(m);
}

void dp_fbu_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		    const struct dp_class *row, uint64_t tsc)
{
	struct dp_fbu_burst *b = &w->fbu;
	enum dp_fbu_verdict v;

	(void)row;
	(void)tsc;
	w->cnt.fbu_rx++;
	v = dp_fbu_frame_rules(f, &b->mac_in[b->n]);
	if (v != DP_FBU_GO) {
		fbu_drop(w, m, v);
		return;
	}
	b->m[b->n] = m;
	b->seq[b->n] = f->mh.u.fbu.seq;
	b->pcoa[b->n] = f->ip.hao;
	b->sigs[b->n] = keytab_sig(w->gw->kt, f->ip.hao);
	b->n++;
}

void dp_fbu_flush(struct gw_worker *w, uint64_t tsc)
{
	struct dp_fbu_burst *b = &w->fbu;
	uint64_t now_s = tsc / w->gw->tsc_hz, ok = 0;
	unsigned nj = 0;

	if (b->n == 0)
		return;
	keytab_lookup_bulk(w->gw->kt, b->pcoa, b->sigs, b->n, b->recs);
	for (unsigned i = 0; i < b->n; i++) {
		enum dp_fbu_verdict v = dp_fbu_key_rules(b->recs[i], now_s);

		if (v != DP_FBU_GO) {
			fbu_drop(w, b->m[i], v);
			continue;
		}
		mac_job_from_input(&b->jobs[nj], &b->recs[i]->mac, &b->mac_in[i]);
		b->job_of[nj++] = (uint16_t)i;
	}
	b->n = 0;
	if (nj == 0)
		return;
	mac_verify_burst(w->mctx, b->jobs, nj, &ok);
	for (unsigned j = 0; j < nj; j++) {
		unsigned i = b->job_of[j];
		/* this worker is the ring's only producer: a free slot now is still free at the
		 * enqueue below (L2) */
		enum dp_fbu_verdict v = dp_fbu_accept_rules(
		    b->recs[i], (ok >> j) & 1, rte_ring_free_count(w->ring) != 0, b->seq[i]);

		if (v != DP_FBU_ACCEPT)
			fbu_drop(w, b->m[i], v);
		else if (dp_to_ctrl(w, w->ring, b->m[i], GW_EV_FBU, tsc))
			w->cnt.fbu_accepted++;
		else
			w->cnt.drop_fbu_ring_full++; /* cannot happen: L2 checked the room */
	}
}
