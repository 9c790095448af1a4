/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control events: what a worker hands to the control plane.  One enum for the whole
 * gateway: the data plane's classification table names the event of each wire message
 * (dp/classify.c), the policer is configured per policed event ([policer] keys), and the
 * control plane dispatches by event through its handler table (cp/handlers.c).
 */
#ifndef FMIPGW_EV_H
#define FMIPGW_EV_H

enum gw_ev {
	GW_EV_RTSOLPR, /* RtSolPr for the router (policed) */
	GW_EV_CPS,     /* CPS (policed) */
	GW_EV_ND,      /* other ND/SEND/MH messages for the router (policed) */
	GW_EV_HI,      /* Handover Initiate (MH 14) for the router as NAR (policed; A18) */
	GW_EV_HACK,    /* Handover Acknowledge (MH 15) for the router as PAR (policed; A18) */
	GW_EV_FBU,     /* an FBU whose authenticator verified on the fast path (not policed) */
	/* the routing stage (dp/route.c; rate limited there, not policed) */
	GW_EV_RESOLVE,	   /* a packet for a next hop without a usable neighbour entry */
	GW_EV_ERR_HLIM,	   /* a packet whose Hop Limit expired: answer Time Exceeded */
	GW_EV_ERR_NOROUTE, /* a packet without a route: answer Destination Unreachable 0 */
	GW_EV__COUNT
};

/* Events below this one go through the per-worker token bucket. */
#define GW_EV__POLICED GW_EV_FBU

#endif /* FMIPGW_EV_H */
