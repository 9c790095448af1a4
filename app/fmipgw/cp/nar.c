/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw NAR role (RFC 5568 6.2.1.2, A18): an HI (MH 14) for this router is answered with a
 * HAck (MH 15) — source and destination swapped, the HI's Sequence #, the code of
 * cp_nar_code() (ho_policy.c), and the NCoA echoed (MH IPv6 Address option code 2) when the
 * HI's S flag asked for one that is valid here — back on the HI's path.
 *
 * What the role does not do (docs/conformance.md): it neither proxies nor defends the NCoA
 * (DAD, PROXY_ND_LIFETIME: the router's ND), assigns no address of its own, sets up no host
 * route or reverse tunnel for the PCoA (so it never answers code 2 or 3), and buffers nothing
 * for the arriving node (the U flag is ignored).  The PAR-NAR messages' protection is the
 * operator's IPsec (RFC 5568 10), outside fmipgw; [handover] neighbours_only keeps the sources
 * to the configured NARs.
 */
#include <string.h>

#include "cp.h"
#include "handover.h"

/* HAcks sent, by code (cp_nar_code never gives another than these) */
static const struct cp_code_ctr sent[] = {
	{ 0, GW_CNT_OFF(hack_sent_0) },
	{ 1, GW_CNT_OFF(hack_sent_1) },
	{ 129, GW_CNT_OFF(hack_sent_129) },
};

void cp_on_hi(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	const struct gw_config *cfg = &c->gw->cfg;
	struct wire_frame *f = &c->work.frame;
	struct wire_hack_spec s = { 0 };
	uint8_t pkt[128];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct cp_path back;
	bool echo;

	(void)rx_tsc;
	c->cnt.hi_rx++;
	if (wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK ||
	    f->msg != WIRE_MSG_HI)
		return; /* the worker decoded it: cannot happen */
	s.code = cp_nar_code(cfg, f->ip.src, &f->mh, &echo);
	/* RFC 5568 6.2.1.2: from the HI's destination to its source (a multicast destination is
	 * not a source: the first PAR address speaks for the router then) */
	s.src = f->ip.dst[0] == 0xff ? cfg->par[0] : f->ip.dst;
	s.dst = f->ip.src;
	s.seq = f->mh.u.hi.seq;
	s.ncoa = echo ? f->mh.ipaddr[2] : NULL;
	cp_path_back(&back, m, f);
	if (wire_build_hack(&w, &s) == WIRE_OK && cp_path_tx(c, &back, pkt, w.len) == 0)
		(*cp_code_counter(&c->cnt, sent, 3, s.code, GW_CNT_OFF(hack_sent_128)))++;
}
