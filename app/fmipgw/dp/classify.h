/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw classification: the one table that says, for each lib/wire message (enum wire_msg),
 * which fast-path stage takes it, which destinations make it the router's, and which control
 * event it becomes; and, for each control event, which counters count it.  Adding a message
 * type is a row here (and a counter row in obs/counters.h, a handler row in cp/handlers.c).
 */
#ifndef FMIPGW_DP_CLASSIFY_H
#define FMIPGW_DP_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "wire.h"

/* The fast-path stages (dp/stages.h has their functions). */
enum dp_stage {
	DP_STAGE_PASS = 0, /* not the gateway's: [ports] pass_through */
	/* Everything not the gateway's, and the reverse tunnel: bindings (dp/tunnel.c).  Its
	 * flush hands what is not tunnelled to DP_TUNNEL_NEXT's collect, so every stage it may
	 * hand to must come after it here (flushes run in this order). */
	DP_STAGE_TUNNEL,
	DP_STAGE_FBU,	/* FBU to a PAR address: key lookup, MAC, sequence (dp/fbu.c) */
	DP_STAGE_CTRL,	/* for the control plane: policer, ring (dp/relay.c) */
	DP_STAGE_FRAG,	/* a fragment for the router: never reassembled, dropped */
	DP_STAGE_ROUTE, /* everything else: FIB, neighbours, exception port (dp/route.c);
			   last: stages hand packets on to it in their flush */
	DP_STAGE__COUNT
};

/* Where the tunnel stage hands packets that are not tunnelled and decapsulated ones: the
 * routing stage (FIB, neighbours, exception port). */
#define DP_TUNNEL_NEXT DP_STAGE_ROUTE

/* Whose destination makes a message the gateway's. */
enum dp_dst {
	DP_DST_NONE = 0, /* never (the row of everything else) */
	DP_DST_PAR,	 /* one of the [par] addresses */
	DP_DST_ROUTER,	 /* the router's link-local address, a PAR address, all-routers, or the
			    solicited-node group of one of these */
	DP_DST_TUNNEL,	 /* a tunnel source: a PAR address or [tunnel] source */
};

struct dp_class {
	uint8_t stage; /* enum dp_stage when the destination matches */
	uint8_t dst;   /* enum dp_dst */
	uint8_t ev;    /* enum gw_ev (DP_STAGE_CTRL) */
};

/* Counters of each control event on the worker side (offsets into struct gw_counters). */
struct dp_event {
	size_t queued;	/* handed to the control ring */
	size_t policed; /* dropped by the policer (policed events only) */
};
extern const struct dp_event dp_events[GW_EV__COUNT];

/* The row of everything else (no row of its own, or a destination that is not the gateway's;
 * the row of every plain frame: wire_plain_decode()). */
extern const struct dp_class dp_class_other;

/* The stage and event of a frame lib/wire decoded without error: its message's row when the
 * destination makes it the gateway's, else the row of everything else (DP_STAGE_TUNNEL). */
const struct dp_class *dp_classify(const struct gw_config *cfg, const struct wire_frame *f);
/* The same for a message type and destination known without a full decode (the FBU fast
 * path: wire_fbu_fast_decode matched an FBU; dp_classify(f) == dp_classify_msg(f->msg,
 * f->ip.dst) for every frame). */
const struct dp_class *dp_classify_msg(const struct gw_config *cfg, enum wire_msg msg,
				       const uint8_t dst[16]);

bool dp_is_par(const struct gw_config *cfg, const uint8_t a[16]);
/* A tunnel entry point of this router (DP_DST_TUNNEL): a PAR address or [tunnel] source. */
bool dp_is_tunnel_dst(const struct gw_config *cfg, const uint8_t a[16]);
/* Addressed to the router (DP_DST_ROUTER above).  Other multicast (all-nodes, hosts'
 * solicited-node groups: DAD, address resolution, upstream RAs) is not the router's. */
bool dp_is_router_dst(const struct gw_config *cfg, const uint8_t a[16]);

#endif /* FMIPGW_DP_CLASSIFY_H */
