/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw accepted-FBU events: a worker verified the authenticator and consumed the sequence
 * (dp/fbu.h: L1, A23, A13, A14, L2); here the checks that are not the MAC (lib/hk's
 * hk_fbu_check: A flags, A21, Alt-CoA from the PAR's link, A4 lifetime); then what the FBU is
 * for: the binding, the FBack, the HI (handover.c).
 */
#include "cp.h"
#include "handover.h"

void cp_on_fbu(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct wire_frame *f = &c->work.frame;
	struct hk_fbu_info info;

	(void)rx_tsc;
	c->cnt.fbu_events++;
	int r = wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
				  f) == WIRE_OK
		    ? hk_fbu_check(&c->gw->cfg.fbu, f, f->ip.hao, &info)
		    : HK_R_NOT_FBU;
	char a[64];

	GW_LOG(ctrl, DEBUG, "accepted FBU for PCoA %s seq %u lifetime %u s: %s\n",
	       r == HK_R_OK ? cp_addr(info.pcoa, a) : "?", info.seq, info.lifetime, hk_strerror(r));
	if (r != HK_R_OK) {
		c->cnt.fbu_check_failed++;
		return;
	}
	c->cnt.fbu_check_ok++;
	if (c->ho != NULL) /* (the unit tests run the check alone) */
		cp_handover_fbu(c, m, f, &info);
}
