/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the neighbour table: next-hop IPv6 address + port -> link-layer address and
 * reachability state (RFC 4861 §7.3, kept simple; docs/route.md has the state machine).
 *
 * One writer, the control lcore (never an RCU reader): it creates entries when a worker hands
 * it a packet for a next hop it could not resolve, processes NAs (and NSs' SLLA), runs the
 * timers and says which NS to send.  Workers read lock-free: an rte_hash (RW_CONCURRENCY_LF,
 * EXT_TABLE) from struct neigh_key to a struct neigh_entry whose link-layer address and state
 * are one 64-bit word, so a reader never sees the address of one state with another; removed
 * entries leave the hash at once and are freed after the workers' grace period
 * (rte_rcu_qsbr_dq, as lib/keytab).  The only thing a worker writes is the entry's `used` hint
 * (a relaxed store, once per STALE period), which starts the reachability check.
 *
 * States and timers (cfg fields in milliseconds of the caller's clock; the table never reads
 * a clock):
 *   INCOMPLETE  created by neigh_resolve(): multicast NS to the solicited-node group at once,
 *               then every retrans_ms, mcast_solicit in all; packets wait in a bounded queue
 *               (queue_len; overflow dropped and counted).  An NA with a TLLA -> REACHABLE
 *               (S set) or STALE, queue released.  No answer retrans_ms after the last NS ->
 *               FAILED, queue dropped and counted.
 *   REACHABLE   confirmed (solicited NA) within reachable_ms; then -> STALE.
 *   STALE       usable; a worker sending through it sets `used` -> DELAY.  Unused for
 *               stale_ms -> removed.
 *   DELAY       usable; after delay_ms -> PROBE (unless confirmed meanwhile).
 *   PROBE       usable; unicast NS to the cached address every retrans_ms, ucast_solicit in
 *               all; no answer retrans_ms after the last -> removed (the next packet starts
 *               over with INCOMPLETE).
 *   FAILED      packets for it are dropped (counted) without a new resolution for failed_ms,
 *               then it is removed.
 *   STATIC      from the configuration: never expires, never probed, NAs do not change it.
 * Departures from RFC 4861, for a router's next-hop cache: ReachableTime is the configured
 * value, not randomized (§6.3.2); the IsRouter flag is not tracked (no Redirects, no default
 * router list); a failed resolution is remembered for failed_ms instead of being forgotten at
 * once, so that a dead next hop costs mcast_solicit NSs per failed_ms, not per packet.
 */
#ifndef FMIPGW_NEIGH_H
#define FMIPGW_NEIGH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NEIGH_STATES(X)                             \
	X(NONE, "none") /* never seen by readers */ \
	X(INCOMPLETE, "incomplete")                 \
	X(REACHABLE, "reachable")                   \
	X(STALE, "stale")                           \
	X(DELAY, "delay")                           \
	X(PROBE, "probe")                           \
	X(FAILED, "failed")                         \
	X(STATIC, "static")

enum neigh_state {
#define NEIGH_STATE_ENUM(n, s) NEIGH_##n,
	NEIGH_STATES(NEIGH_STATE_ENUM)
#undef NEIGH_STATE_ENUM
	    NEIGH__COUNT
};
const char *neigh_state_name(unsigned state);

/* The hash key: padding must be zero (use neigh_key_make). */
struct neigh_key {
	uint8_t addr[16];
	uint16_t port;
	uint16_t pad;
};

static inline void neigh_key_make(struct neigh_key *k, const uint8_t addr[16], uint16_t port)
{
	memcpy(k->addr, addr, 16);
	k->port = port;
	k->pad = 0;
}

/* What readers see of an entry. */
struct neigh_entry {
	uint64_t word; /* (atomic) state << 48 | link-layer address (octet 0 in bits 40-47) */
	uint8_t used;  /* (atomic) set by a worker that sent through a STALE entry */
};

static inline uint64_t neigh_word(unsigned state, const uint8_t mac[6])
{
	uint64_t w = (uint64_t)state << 48;
	for (int i = 0; i < 6; i++)
		w |= (uint64_t)mac[i] << (40 - 8 * i);
	return w;
}

static inline unsigned neigh_word_state(uint64_t w)
{
	return (unsigned)(w >> 48);
}

static inline void neigh_word_mac(uint64_t w, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(w >> (40 - 8 * i));
}

/* A state in which packets are sent with the cached address. */
static inline bool neigh_state_usable(unsigned s)
{
	return s == NEIGH_REACHABLE || s == NEIGH_STALE || s == NEIGH_DELAY || s == NEIGH_PROBE ||
	       s == NEIGH_STATIC;
}

/* ------------------------------------------------------------------------------------------ */
/* Readers (worker lcores registered on the QSBR variable)                                     */
/* ------------------------------------------------------------------------------------------ */

struct neigh_table;

/*
 * Look up n (<= RTE_HASH_LOOKUP_BULK_MAX) keys; ents[i] is the entry or NULL.  Entries stay
 * valid until this lcore's next rte_rcu_qsbr_quiescent().  Returns the number found.
 */
unsigned neigh_lookup_bulk(const struct neigh_table *t, const struct neigh_key *const keys[],
			   unsigned n, struct neigh_entry *ents[]);

/*
 * The entry's state (one atomic load) and, when usable, its address in mac (return true).
 * Marks a STALE entry used.  false: hand the packet to the control lcore (INCOMPLETE: it
 * queues it) or drop it (FAILED; the caller counts).
 */
static inline bool neigh_entry_mac(struct neigh_entry *e, uint8_t mac[6], unsigned *state)
{
	uint64_t w = __atomic_load_n(&e->word, __ATOMIC_ACQUIRE);
	unsigned s = neigh_word_state(w);

	*state = s;
	if (!neigh_state_usable(s))
		return false;
	neigh_word_mac(w, mac);
	if (s == NEIGH_STALE && !__atomic_load_n(&e->used, __ATOMIC_RELAXED))
		__atomic_store_n(&e->used, 1, __ATOMIC_RELAXED);
	return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Writer (control lcore only)                                                                 */
/* ------------------------------------------------------------------------------------------ */

struct neigh_cfg {
	const char *name;  /* unique among the process's hash tables */
	uint32_t capacity; /* entries, static ones included */
	int socket_id;
	struct rte_rcu_qsbr *qsv; /* the workers' QSBR variable (required) */
	uint16_t queue_len;	  /* packets held per INCOMPLETE entry; 0: none (dropped) */
	uint32_t retrans_ms;	  /* RFC 4861 RETRANS_TIMER: 1000 */
	uint8_t mcast_solicit;	  /* MAX_MULTICAST_SOLICIT: 3 */
	uint8_t ucast_solicit;	  /* MAX_UNICAST_SOLICIT: 3 */
	uint32_t reachable_ms;	  /* REACHABLE_TIME (BaseReachableTime): 30000 */
	uint32_t delay_ms;	  /* DELAY_FIRST_PROBE_TIME: 5000 */
	uint32_t stale_ms;	  /* an unused STALE entry is removed after: 60000 */
	uint32_t failed_ms;	  /* a FAILED entry drops packets for: 20000 */
	/* how a dropped queued packet is freed (NULL: rte_pktmbuf_free) */
	void (*free_pkt)(struct rte_mbuf *m, void *arg);
	void *free_arg;
};

/* The RFC 4861 §10 defaults above, capacity 4096, queue_len 3. */
void neigh_cfg_defaults(struct neigh_cfg *cfg);

struct neigh_stats {
	uint64_t created;	  /* INCOMPLETE entries made by neigh_resolve */
	uint64_t resolved;	  /* INCOMPLETE -> REACHABLE/STALE */
	uint64_t failed;	  /* INCOMPLETE -> FAILED */
	uint64_t probe_failed;	  /* PROBE without answer -> removed */
	uint64_t expired;	  /* STALE unused / FAILED hold over -> removed */
	uint64_t learned;	  /* STALE entries made from an NS's SLLA */
	uint64_t ns_mcast;	  /* multicast NS asked for */
	uint64_t ns_ucast;	  /* unicast NS asked for */
	uint64_t queued;	  /* packets held for an INCOMPLETE entry */
	uint64_t released;	  /* held packets handed back for sending */
	uint64_t drop_queue_full; /* packets dropped: the entry's queue was full */
	uint64_t drop_timeout;	  /* held packets dropped: resolution failed, entry removed */
	uint64_t drop_failed;	  /* packets dropped: the entry is FAILED */
	uint64_t drop_table_full; /* packets dropped: no room for a new entry */
	uint64_t na_ignored;	  /* NAs for unknown, STATIC or INCOMPLETE-without-TLLA entries */
	uint64_t full;		  /* entries refused: capacity */
	uint64_t freed;		  /* records freed after their grace period */
	uint32_t live;		  /* entries in the table */
	uint32_t statics;	  /* of which STATIC */
};

int neigh_create(const struct neigh_cfg *cfg, struct neigh_table **out);
/* All readers offline.  Held packets are dropped (free_pkt), every record freed. */
void neigh_free(struct neigh_table *t);

/* A STATIC entry (configuration).  0: new; 1: an entry for the key existed and is now STATIC
 * with this address (in place: readers see either; packets it held are dropped, counted
 * drop_timeout); -ENOSPC: full; -ENOMEM. */
int neigh_add_static(struct neigh_table *t, const uint8_t addr[16], uint16_t port,
		     const uint8_t mac[6]);
/* Remove any entry (held packets dropped, counted drop_timeout).  0 or -ENOENT. */
int neigh_del(struct neigh_table *t, const uint8_t addr[16], uint16_t port);

enum neigh_verdict {
	NEIGH_V_QUEUED = 0,  /* held until the neighbour answers */
	NEIGH_V_SEND,	     /* usable now: send m to *mac (the caller owns m) */
	NEIGH_V_DROP_QUEUE,  /* freed: the queue is full (or queue_len 0) */
	NEIGH_V_DROP_FAILED, /* freed: the neighbour is FAILED */
	NEIGH_V_DROP_FULL,   /* freed: no room for a new entry */
};

/*
 * A worker found no usable entry for (addr, port) and handed m over.  Creates an INCOMPLETE
 * entry if there is none (its first NS comes from the next neigh_timer() call) and holds m.
 */
enum neigh_verdict neigh_resolve(struct neigh_table *t, const uint8_t addr[16], uint16_t port,
				 struct rte_mbuf *m, uint64_t now, uint8_t mac[6]);

enum {
	NEIGH_F_SOLICITED = 0x01, /* NA with the S flag */
	NEIGH_F_OVERRIDE = 0x02,  /* NA with the O flag */
	NEIGH_F_NS = 0x04,	  /* an NS's Source Link-Layer Address (RFC 4861 §7.2.3) */
};

/*
 * An NA for target addr received on port (RFC 4861 §7.2.5; flags NEIGH_F_SOLICITED /
 * NEIGH_F_OVERRIDE; lla = its TLLA or NULL), or with NEIGH_F_NS an NS's SLLA (§7.2.3: a
 * missing entry is created STALE).  Packets held by an INCOMPLETE entry that this resolves are
 * written to out (at most max_out; give queue_len room, the rest are dropped and counted) for
 * the caller to send to the new address; *n_out says how many.  Returns the entry's new state,
 * or -ENOENT (no entry: the NA is ignored and counted), -ENOSPC (no room for an NS's entry).
 */
int neigh_update(struct neigh_table *t, const uint8_t addr[16], uint16_t port, const uint8_t *lla,
		 unsigned flags, uint64_t now, struct rte_mbuf **out, unsigned max_out,
		 unsigned *n_out);

enum neigh_act_kind {
	NEIGH_ACT_NS_MCAST = 1, /* send an NS for addr to its solicited-node group on port */
	NEIGH_ACT_NS_UCAST,	/* send an NS for addr to addr, L2 destination mac, on port */
	NEIGH_ACT_FAILED,	/* resolution of addr failed; `dropped` held packets were dropped */
};

struct neigh_action {
	uint8_t kind; /* enum neigh_act_kind */
	uint16_t port;
	uint8_t addr[16];
	uint8_t mac[6];
	uint16_t dropped;
};

/*
 * Run the timers at time now: state changes, removals, and up to max actions (NS to send,
 * failures) written to act.  Returns the number of actions; when it is max, call again (the
 * entries left are still due).  Walks every dynamic entry: call it every few hundred ms and
 * right after neigh_resolve() created an entry.  Reclaims freed records too.
 */
unsigned neigh_timer(struct neigh_table *t, uint64_t now, struct neigh_action *act, unsigned max);

/* Writer-side view of one entry (telemetry, tests): 0 or -ENOENT. */
struct neigh_info {
	unsigned state;
	uint8_t mac[6];
	uint16_t held;	/* packets queued */
	uint8_t probes; /* NS sent in this state */
	uint64_t due;	/* next timer event (0: none) */
};
int neigh_get(const struct neigh_table *t, const uint8_t addr[16], uint16_t port,
	      struct neigh_info *info);
/* Call fn for every entry (writer); stops when fn returns non-zero and returns that. */
int neigh_walk(const struct neigh_table *t,
	       int (*fn)(const struct neigh_key *k, const struct neigh_info *info, void *arg),
	       void *arg);
void neigh_get_stats(const struct neigh_table *t, struct neigh_stats *st);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_NEIGH_H */
