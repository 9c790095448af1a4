/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw router fast path (issue 11): the state the routing stage (dp/route.c), the control
 * plane's neighbour, ND and ICMPv6-error handlers (cp/resolve.c, cp/nd.c, cp/icmp6_err.c)
 * and telemetry (obs/fwd_tel.c) share, built and reloaded by cp/fwd_setup.c.
 *
 *  - the FIB (lib/route: rte_lpm6, built aside, one pointer store, old FIBs freed after the
 *    workers' grace period) from [routes], plus a `local` /128 for the router address and each
 *    PAR address;
 *  - the neighbour table (lib/route: rte_hash LF, read by the workers without locks, written by
 *    the control lcore only), static entries from [neighbours];
 *  - the exception ports: a data port's packets for the router that fmipgw does not handle go
 *    to its exception port (a TAP to the kernel), and what the kernel sends there leaves by the
 *    data port;
 *  - a snapshot the control lcore fills on request for /fmipgw/routes and /fmipgw/neighbours
 *    (the tables' writer-side views are the control lcore's alone).
 *
 * Routing is on when the configuration has routes at start-up; otherwise the routing stage
 * hands everything to [ports] pass_through (the lab setting) and no table exists.
 */
#ifndef FMIPGW_FWD_H
#define FMIPGW_FWD_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include "gw.h"
#include "neigh.h"
#include "route.h"

#define FWD_SNAP_MAX  64  /* routes and neighbours listed by telemetry */
#define FWD_TICK_MS   100 /* the control lcore runs the neighbour timers this often */
#define FWD_SNAP_TEXT 112

/* What telemetry reads: filled by the control lcore when req != done. */
struct fwd_snap {
	rte_spinlock_t lock; /* telemetry readers, one at a time (never the fast path) */
	uint32_t req;	     /* (atomic) bumped by a telemetry reader */
	uint32_t done;	     /* (atomic, release) == req once the fields below answer it */
	struct route_stats rs;
	struct neigh_stats ns;
	char last_err[640];
	unsigned n_configured, n_routes, n_neigh, neigh_total;
	char route[FWD_SNAP_MAX][FWD_SNAP_TEXT];
	char neigh[FWD_SNAP_MAX][FWD_SNAP_TEXT];
};

struct gw_fwd {
	bool on; /* routes configured at start-up: the tables below exist */
	bool nd; /* [exception] nd */
	struct route_table *rt;
	struct neigh_table *nt;
	int8_t exc_of[GW_MAX_PORTS];  /* data port index -> its exception port index, or -1 */
	int8_t data_of[GW_MAX_PORTS]; /* exception port index -> its data port index, or -1 */
	uint32_t gen; /* (atomic) bumped by each reload: workers re-read their rate limits */
	/* control lcore only */
	uint8_t err_src[GW_MAX_PORTS][16]; /* source of the ICMPv6 errors for packets from a port */
	uint64_t next_tick;		   /* TSC */
	bool kick;			   /* run the neighbour timers at the next turn */
	char last_err[640];		   /* the last FIB build error */
	struct fwd_snap *snap;
};

struct gw_ctrl;

/* cp/fwd_setup.c.  After the ports: the exception map (and the TAPs' MAC addresses), then,
 * when routing is on, the tables, the static neighbours and the first FIB.  0, or -1 with
 * err ("file:line: what" for a route or neighbour). */
int fwd_create(struct gw *gw, char *err, size_t errlen);
/* After the workers stopped, before the mbuf pool goes: held packets are freed. */
void fwd_free(struct gw *gw);
/* SIGHUP, after config_apply_reload(): the new route list and static neighbours go live (the
 * old ones move to loaded, freed with it); a list that does not build leaves the current FIB
 * and list, logged with its file:line.  Returns 0, or -1 when the routes were refused. */
int fwd_reload(struct gw *gw, struct gw_config *loaded);
/* Every control-loop turn: every FWD_TICK_MS (or when kicked) the neighbour timers (NSs),
 * old FIBs reclaimed, a telemetry snapshot when one is asked for. */
void fwd_tick(struct gw_ctrl *c, uint64_t now_tsc);
/* The neighbour table's clock: milliseconds of the TSC. */
static inline uint64_t fwd_now_ms(const struct gw *gw)
{
	return rte_get_tsc_cycles() / (gw->tsc_hz / 1000);
}

/*
 * Forward m (an Ethernet frame with an IPv6 packet, one segment): link-layer destination dst,
 * source src, Hop Limit decremented (the caller checked it is above 1).  The 802.1Q tag, if
 * any, is kept.  The worker and the control lcore (held packets) both use it.
 */
static inline void fwd_rewrite(struct rte_mbuf *m, const uint8_t dst[6], const uint8_t src[6])
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	unsigned ip = (p[12] == 0x81 && p[13] == 0x00) ? 18 : 14;

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[ip + 7]--;
}

/* The IPv6 header of a frame the worker decoded (after at most one 802.1Q tag). */
static inline uint8_t *fwd_ip6(struct rte_mbuf *m, unsigned *len)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	unsigned ip = (p[12] == 0x81 && p[13] == 0x00) ? 18 : 14;

	*len = m->data_len > ip ? m->data_len - ip : 0;
	return p + ip;
}

#endif /* FMIPGW_FWD_H */
