/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw mbuf sizing (issue 13 item 4): how many mbufs the ports, the lcores, the rings and
 * the packets the gateway holds can take out of its one pool at once, term by term, and what
 * start-up does about it (docs/operations.md, "Sizing the mbuf pool", has the same formula):
 *
 *   rx      sum over the ports of RX queues x RX descriptors (as the device adjusts rx_desc)
 *   tx      sum over the ports of (workers + 1) x TX descriptors (a queue per worker and the
 *           control lcore's; sent mbufs wait there until the PMD frees them)
 *   caches  EAL lcores x floor(1.5 x mbuf_cache) (a mempool cache flushes above 1.5 x its
 *           size)
 *   bursts  workers x burst (one RX burst in flight each) + 32 (the control lcore's drain
 *           of a ring) + one per slow-path lcore (the message it works on)
 *   fixed = rx + tx + caches + bursts: what RX needs to keep working under load with nothing
 *           queued anywhere.  mbufs below it cannot work: refused.
 *   held    workers x 64 (FBUs a worker holds from one loop turn to the next, [fbu]
 *           pipeline_depth 1) + 1023 when a port sends the control lcore's packets through
 *           worker 0 (the relay ring) + slow-path lcores x 256 (their decisions, each with its
 *           RtSolPr)
 *   rings   rings x (ring_size - 1): each worker's ring to the control lcore, one per
 *           slow-path lcore, and its distribution ring when a port is distributed.  One ring
 *           alone able to hold what the pool has beyond `fixed` cannot work: refused.
 *   neigh   with routes: packets held for unresolved next hops, min(capacity x queue_len,
 *           workers x (resolve_burst + resolve_rate x mcast_solicit x retrans_ms / 1000))
 *           (resolve_rate 0: none)
 *   total = fixed + held + rings + neigh.  mbufs below it is only risky (a slow control
 *           lcore, a flood to unresolved addresses): a warning naming the largest term.
 *
 * Pure arithmetic on the configuration and a layout (no EAL: sizing_test.c); gw.c fills the
 * layout from the probed ports and the lcore roles.
 */
#ifndef FMIPGW_SIZING_H
#define FMIPGW_SIZING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define GW_SIZING_PORTS	     8	 /* == GW_MAX_PORTS (gw.c asserts it) */
#define GW_SIZING_CTRL_DRAIN 32	 /* mbufs the control lcore takes off a ring at once */
#define GW_SIZING_DECISIONS  256 /* decision objects per slow-path lcore (gw.c) */
#define GW_SIZING_CACHE_NUM  3	 /* a mempool cache holds up to 3/2 of its size */
#define GW_SIZING_CACHE_DEN  2

/* What the gateway runs with: lcores, ports and what kind they are. */
struct gw_sizing_layout {
	unsigned lcores;  /* EAL lcores (-l): each keeps a mempool cache */
	unsigned workers; /* polling lcores (1 in single-lcore mode) */
	unsigned slow;	  /* slow-path lcores */
	unsigned ports;
	uint32_t rxq[GW_SIZING_PORTS]; /* RX queues of each port */
	uint32_t rxd[GW_SIZING_PORTS]; /* RX descriptors per queue, as the device adjusts them */
	uint32_t txd[GW_SIZING_PORTS]; /* TX descriptors per queue, as the device adjusts them */
	bool dist;		       /* a port is distributed in software (dp/dist.c) */
	bool relay;		       /* a port sends the control lcore's packets via worker 0 */
	bool routing;		       /* [routes] has routes: next hops are resolved */
	uint32_t fbu_held;	       /* per worker: FBUs held across a turn (DP_FBU_HELD) */
	uint32_t relay_entries;	       /* the relay ring's capacity */
};

/* The estimate, term by term (mbufs). */
struct gw_sizing {
	uint64_t rx, tx, caches, bursts, fixed;
	uint64_t held;
	uint64_t n_rings, rings;
	uint64_t neigh;
	uint64_t total;
};

/* The estimate of cfg on layout l. */
void gw_sizing_compute(const struct gw_config *cfg, const struct gw_sizing_layout *l,
		       struct gw_sizing *s);
/* The neighbour term alone (also after a reload of resolve_rate / resolve_burst). */
uint64_t gw_sizing_neigh(const struct gw_config *cfg, unsigned workers, bool routing);
/* What cannot work: -1 with "file:line: what, and the fix" in err ([ports] mbufs below
 * `fixed`, or one ring able to hold all the pool has beyond it).  0 otherwise; then warn
 * holds the risky case (total above mbufs: the largest term's key and the mbufs it takes),
 * or is empty. */
int gw_sizing_check(const struct gw_config *cfg, const struct gw_sizing *s, char *err,
		    size_t errlen, char *warn, size_t warnlen);
/* "rx R + tx T + ... = total" (the INFO line at start-up; tests recompute it). */
void gw_sizing_describe(const struct gw_sizing *s, char *buf, size_t len);

#endif /* FMIPGW_SIZING_H */
