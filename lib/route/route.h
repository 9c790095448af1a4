/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the IPv6 FIB: longest-prefix match (rte_lpm6) from a prefix to a next-hop
 * index, the next-hop table those indexes designate, and a default route (issue 11).
 *
 * One writer (the control lcore, never an RCU reader) and lock-free readers (the worker
 * lcores, registered on the rte_rcu_qsbr variable given at creation, reporting a quiescent
 * state once per loop):
 *
 *  - a FIB is immutable once built.  A route change (start-up, SIGHUP) builds a complete new
 *    FIB aside — a new rte_lpm6 and a new next-hop array — from the whole route list, while
 *    the current one keeps serving;
 *  - route_table_publish() makes it current with one atomic pointer store (release); readers
 *    load the pointer (acquire) once per burst, so a burst is looked up entirely in the old or
 *    entirely in the new FIB, never in a half-built one;
 *  - the old FIB goes to an rte_rcu_qsbr_dq and is freed (next-hop array zeroed first) once
 *    every reader has passed a quiescent state: on the next publish, or on
 *    route_table_reclaim(), which the control loop calls periodically.  Only a few old FIBs
 *    may wait (a queue of ROUTE_DQ_SIZE = 2, rounded up by its ring); a publish that finds
 *    the queue full waits for the grace period itself (rte_rcu_qsbr_synchronize);
 *  - rte_lpm6 has no depth 0: the default route (::/0) is kept beside it and applied to
 *    misses.  rte_lpm6 next hops are 21 bits: at most ROUTE_MAX_NH distinct next hops;
 *  - capacity (rules and tbl8 groups per rte_lpm6) is configuration; a route list that does
 *    not fit fails with a message naming the limit to raise, and the current FIB stays.
 *
 * Memory: each FIB is one rte_lpm6 (DPDK heap: a 64 MiB tbl24 of 2^24 entries, tbl8_groups x
 * 1 KiB, a rule hash of max_routes entries) plus malloc'd next hops (20 octets each); the
 * current FIB, the one being built and the few waiting to be freed can exist at once.
 */
#ifndef FMIPGW_ROUTE_H
#define FMIPGW_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_lpm6.h>
#include <rte_rcu_qsbr.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ROUTE_NONE   (-1)	/* lookup result: no route (and no default route) */
#define ROUTE_MAX_NH (1u << 21) /* rte_lpm6 next hops are 21 bits */

/* ------------------------------------------------------------------------------------------ */
/* Route sources                                                                               */
/* ------------------------------------------------------------------------------------------ */

enum route_kind {
	ROUTE_VIA = 0,	 /* forward to the next hop gw on port */
	ROUTE_CONNECTED, /* on-link prefix of port: the next hop is the destination itself */
	ROUTE_LOCAL,	 /* the router's own address or prefix: exception path / control lcore */
};

struct route_spec {
	uint8_t prefix[16]; /* host bits (past len) must be zero */
	uint8_t len;	    /* 0..128; 0 is the default route (at most one) */
	uint8_t kind;	    /* enum route_kind */
	uint16_t port;	    /* output port (VIA, CONNECTED); ignored for LOCAL */
	uint8_t gw[16];	    /* next hop (VIA): unicast, not ::, typically link-local */
};

/*
 * Parse one route line (the proposed [routes] file format, docs/route.md):
 *   PREFIX/LEN via ADDR port N
 *   PREFIX/LEN connected port N
 *   PREFIX/LEN local
 *   default via ADDR port N            (the same as ::/0 via ...)
 * Addresses as inet_pton(AF_INET6) reads them; words separated by blanks.  0, or -EINVAL with
 * a message in err (errlen octets).  Semantic checks (host bits, port range, duplicates) are
 * route_fib_build()'s.
 */
int route_spec_parse(const char *line, struct route_spec *r, char *err, size_t errlen);

/* ------------------------------------------------------------------------------------------ */
/* FIB (readers and writer)                                                                    */
/* ------------------------------------------------------------------------------------------ */

enum {
	ROUTE_NH_CONNECTED = 0x01, /* next hop = the packet's destination (addr is zero) */
	ROUTE_NH_LOCAL = 0x02,	   /* for the router itself (port is 0) */
};

struct route_nh {
	uint8_t addr[16]; /* next-hop address (VIA) */
	uint16_t port;
	uint8_t flags; /* ROUTE_NH_* */
	uint8_t pad;
};

/* An immutable FIB.  Readers may read every field. */
struct route_fib {
	struct rte_lpm6 *lpm;
	const struct route_nh *nh; /* n_nh entries, indexed by lookup results */
	uint32_t n_nh;
	int32_t dflt;	   /* next hop of ::/0, or ROUTE_NONE */
	uint32_t n_routes; /* routes in the list it was built from, default included */
	uint64_t gen;	   /* publish order: 1, 2, ...; 0 until published */
};

/* The neighbour to resolve for destination dst through nh (NULL for a LOCAL next hop). */
static inline const uint8_t *route_nh_target(const struct route_nh *nh, const uint8_t dst[16])
{
	if (nh->flags & ROUTE_NH_LOCAL)
		return NULL;
	return (nh->flags & ROUTE_NH_CONNECTED) ? dst : nh->addr;
}

/* ------------------------------------------------------------------------------------------ */
/* Table: the current FIB and its replacement                                                  */
/* ------------------------------------------------------------------------------------------ */

struct route_table_cfg {
	const char *name;     /* at most 12 characters, unique among the process's tables */
	uint32_t max_routes;  /* rte_lpm6 rules per FIB (the default route not counted) */
	uint32_t tbl8_groups; /* rte_lpm6 tbl8 groups per FIB */
	uint16_t n_ports;     /* ports are 0 .. n_ports - 1 */
	int socket_id;
	struct rte_rcu_qsbr *qsv; /* the workers' QSBR variable (required) */
};

/* Why a build failed: the route (index in the list given, or -1 for the list as a whole) and
 * a message that names it and, for capacity errors, the setting to raise. */
struct route_err {
	int index;
	char msg[192];
};

struct route_stats {
	uint64_t builds;       /* FIBs built */
	uint64_t build_errors; /* builds refused (route_err) */
	uint64_t published;
	uint64_t freed;	    /* old FIBs freed after their grace period */
	uint64_t gen;	    /* generation of the current FIB */
	uint32_t routes;    /* in the current FIB, default included */
	uint32_t next_hops; /* distinct next hops in the current FIB */
};

struct route_table;

/*
 * 0 or -errno (-EINVAL: a bad cfg; -ENOMEM or rte_errno from DPDK).  The table starts with an
 * empty FIB (every lookup ROUTE_NONE), published as generation 1, so readers never see NULL.
 */
int route_table_create(const struct route_table_cfg *cfg, struct route_table **out);
/* All readers must be offline.  Frees every FIB, current and pending. */
void route_table_free(struct route_table *t);

/*
 * Writer.  Build a complete FIB from routes[0..n) without touching the current one: next hops
 * are deduplicated (same port, address and kind share an index).  0, or:
 *   -EINVAL  a route is malformed (length > 128, host bits set, port >= n_ports, gw multicast
 *            or ::, two routes for one prefix, two defaults) — err says which;
 *   -ENOSPC  more than max_routes routes, more than ROUTE_MAX_NH next hops, or the tbl8 groups
 *            ran out — err names the setting;
 *   -ENOMEM / -rte_errno  allocation.
 * err may be NULL.
 */
int route_fib_build(struct route_table *t, const struct route_spec *routes, unsigned n,
		    struct route_fib **out, struct route_err *err);
/* Free a FIB that was built but never published. */
void route_fib_discard(struct route_table *t, struct route_fib *f);
/*
 * Make f current (one release store) and queue the previous FIB for freeing after the grace
 * period.  Returns the new generation.
 */
uint64_t route_table_publish(struct route_table *t, struct route_fib *f);
/* route_fib_build + route_table_publish; on error the current FIB stays. */
int route_table_load(struct route_table *t, const struct route_spec *routes, unsigned n,
		     struct route_err *err);
/* Free the old FIBs whose grace period is over; returns how many. */
unsigned route_table_reclaim(struct route_table *t);
void route_table_get_stats(const struct route_table *t, struct route_stats *st);
/* Writer-side current FIB (no RCU needed: only the writer frees). */
const struct route_fib *route_table_writer_fib(const struct route_table *t);

/*
 * Readers (registered, online on the QSBR variable).  The FIB returned stays valid until this
 * lcore's next rte_rcu_qsbr_quiescent(): load it once per burst.
 */
const struct route_fib *route_fib_current(const struct route_table *t);

/*
 * Longest-prefix match of n destinations (contiguous 16-octet addresses, as rte_lpm6 wants
 * them): nh[i] = next-hop index into f->nh, the default route's for a miss, or ROUTE_NONE.
 */
void route_lookup_bulk(const struct route_fib *f, uint8_t ips[][16], int32_t nh[], unsigned n);
/* One destination (writer, tests, telemetry). */
int32_t route_lookup(const struct route_fib *f, const uint8_t ip[16]);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_ROUTE_H */
