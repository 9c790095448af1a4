/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw routing stage (dp/route.c): the burst state it keeps in struct gw_worker between
 * collect (one packet) and flush (one bulk FIB lookup, one bulk neighbour lookup), and the
 * exception ports' receive side.
 */
#ifndef FMIPGW_DP_ROUTE_STAGE_H
#define FMIPGW_DP_ROUTE_STAGE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "config.h"
#include "neigh.h"
#include "wire.h"

enum dp_rt_kind {
	DP_RT_FWD = 0, /* a packet to forward (or for the router): looked up by destination */
	DP_RT_NS,      /* a multicast NS: looked up by its target (ours: to the control lcore) */
};

struct dp_route_burst {
	unsigned n;
	struct rte_mbuf *m[GW_BURST_MAX];
	const struct wire_frame *f[GW_BURST_MAX];
	uint8_t ips[GW_BURST_MAX][16]; /* the lookup keys, as rte_lpm6 wants them */
	int32_t nh[GW_BURST_MAX];
	uint8_t in[GW_BURST_MAX];   /* input port index */
	uint8_t kind[GW_BURST_MAX]; /* enum dp_rt_kind */
	uint8_t hlim[GW_BURST_MAX]; /* as received */
	bool ll_src[GW_BURST_MAX];  /* a link-local source */
	uint8_t key_of[GW_BURST_MAX];
	/* the distinct neighbours of the burst */
	struct neigh_key keys[GW_BURST_MAX];
	const struct neigh_key *kp[GW_BURST_MAX];
	struct neigh_entry *ents[GW_BURST_MAX];
	uint8_t mac[GW_BURST_MAX][6];
	uint8_t state[GW_BURST_MAX];
	/* RFC 4443 2.4 (f) and the hand-overs of unresolved packets, per worker */
	struct wire_ratelim err_rl, res_rl;
	uint32_t gen; /* gw_fwd.gen these limits were set from */
};

struct gw_worker;

/* An exception port's RX burst of n packets (w->pkts): out of its data port unchanged.  true
 * when port p is an exception port (the packets are taken), false for a data port. */
bool dp_exc_rx(struct gw_worker *w, unsigned p, uint16_t n);

#endif /* FMIPGW_DP_ROUTE_STAGE_H */
