/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control handlers: one row per control event (ev.h).  Adding a control event is a
 * row here, a row in dp/classify.c and a file with its handler.
 */
#include "cp.h"

const struct cp_handler cp_handlers[GW_EV__COUNT] = {
	[GW_EV_RTSOLPR] = { "rtsolpr", cp_on_rtsolpr },
	[GW_EV_CPS] = { "cps", cp_on_cps },
	[GW_EV_ND] = { "nd", cp_on_nd },
	[GW_EV_HI] = { "hi", cp_on_hi },
	[GW_EV_HACK] = { "hack", cp_on_hack },
	[GW_EV_FBU] = { "fbu", cp_on_fbu },
	[GW_EV_RESOLVE] = { "resolve", cp_on_resolve },
	[GW_EV_ERR_HLIM] = { "time-exceeded", cp_on_err_hlim },
	[GW_EV_ERR_NOROUTE] = { "no-route", cp_on_err_noroute },
};

void cp_dispatch(struct gw_ctrl *c, struct rte_mbuf *m, const struct cp_handler *table)
{
	const struct gw_mbuf_meta *meta = gw_meta(c->gw, m);

	if (meta->ev < GW_EV__COUNT && table[meta->ev].fn != NULL)
		table[meta->ev].fn(c, m, meta->rx_tsc);
	else
		c->cnt.nd_rx++; /* no handler: counted with the unhandled control traffic */
}
