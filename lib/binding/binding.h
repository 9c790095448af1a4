/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding — the PAR's binding cache and its IPv6-in-IPv6 tunnel (RFC 5568 §3-§6,
 * RFC 2473; PROTOCOL.md 1.5-1.10; A4, A13, A14).  docs/binding.md is the map.
 *
 * The table: PCoA (16 octets) -> binding record (NCoA, PAR address, tunnel source, lifetime,
 * expiry, FBU sequence, state, key reference).  An rte_hash with lock-free readers
 * (RW_CONCURRENCY_LF + EXT_TABLE) and RCU-deferred frees, the pattern of lib/keytab (see
 * keytab.h; shared through lib/rcuhash):
 *  - one writer, the control lcore, which is never an RCU reader: install / replace,
 *    activate, teardown, delete, expiry sweep;
 *  - readers (worker lcores, the telemetry thread) look up in bulk and report quiescent
 *    states on the rte_rcu_qsbr variable given at creation;
 *  - records are immutable once published: every change (a newer FBU, activation with a
 *    NAR-assigned NCoA) publishes a new record by swapping the data pointer, never
 *    delete-then-add, so a reader finds the old or the new binding, never neither;
 *  - records come from a pool allocated at creation; a replaced or removed record is zeroed
 *    and returned to the pool after the grace period (never before);
 *  - per-binding packet and byte counters live apart from the records, one array per worker
 *    indexed by the binding's counter slot (stable across replaces), so that workers count
 *    without atomics or locks and without sharing cache lines; readers sum over workers;
 *  - capacity is configuration; the hash and the pools have headroom above it for entries in
 *    their grace period; a new PCoA beyond capacity is refused (BINDING_E_FULL: FBack status
 *    130, "insufficient resources"), live bindings are never evicted.
 *
 * Times are in the caller's clock (e.g. seconds of the TSC); the table never reads a clock.
 *
 * The tunnel (binding_encap, binding_decap_*): functions on mbufs for the worker stage.
 * Encapsulation prepends the 40-octet tunnel header in the mbuf headroom and moves only the
 * Ethernet (+802.1Q) header; decapsulation removes it the same way.  No payload is copied.
 */
#ifndef FMIPGW_BINDING_H
#define FMIPGW_BINDING_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                     */
/* ------------------------------------------------------------------------------------------ */

enum binding_state {
	BINDING_PENDING = 1, /* FBU accepted, HI sent, HAck awaited: not tunnelled yet */
	BINDING_ACTIVE = 2,  /* packets for the PCoA are tunnelled to the NCoA */
};

/*
 * One binding.  Immutable once published (see above).  The first cache line is what a worker
 * reads; the second is the control plane's.
 */
struct binding_rec {
	uint8_t ncoa[16];    /* tunnel exit point: the NCoA (A2; or the NAR-assigned one) */
	uint8_t tun_src[16]; /* tunnel entry point: the PAR's global address on the old link */
	uint8_t pcoa[16];    /* the table key (the FBU's Home Address, A21/A23) */
	uint64_t expires;    /* absolute, caller's clock */
	uint32_t slot;	     /* counter slot: the same for every record of one PCoA */
	uint16_t seq;	     /* Sequence # of the FBU that made this binding (A14) */
	uint8_t state;	     /* enum binding_state */
	uint8_t user;	     /* the caller's octet from binding_spec (fmipgw: the egress) */

	uint8_t par[16];   /* the PAR address the FBU was sent to (A12) */
	uintptr_t key_ref; /* the key the FBU was authenticated with (A13); opaque here */
	uint32_t lifetime; /* granted, in seconds (A4: already clamped by the caller) */
	uint32_t idx;	   /* pool index (internal) */
} __attribute__((aligned(64)));

/* Per-binding traffic, one per worker and counter slot.  Octets are those of the original
 * (inner) IPv6 packet. */
struct binding_ctr {
	uint64_t tun_pkts, tun_bytes; /* PCoA -> NCoA, encapsulated */
	uint64_t rev_pkts, rev_bytes; /* NCoA -> reverse tunnel, decapsulated and accepted */
};

/* ------------------------------------------------------------------------------------------ */
/* Table                                                                                       */
/* ------------------------------------------------------------------------------------------ */

enum binding_rc {
	BINDING_OK = 0,		/* installed (new PCoA), activated, removed */
	BINDING_REPLACED = 1,	/* install: an existing binding was replaced (newer sequence) */
	BINDING_E_STALE = -1,	/* sequence not newer (mod 2^16, RFC 3775 §9.5.1; A14) */
	BINDING_E_FULL = -2,	/* capacity reached: FBack status 130 */
	BINDING_E_NOENT = -3,	/* no binding for the PCoA */
	BINDING_E_INVAL = -4,	/* bad argument (NULL address, lifetime 0, bad state) */
	BINDING_E_INTERNAL = -5 /* the hash refused an add for another reason (counted) */
};
const char *binding_strerror(int rc);

/* Why a key reference stops backing a live binding (A13: the caller discards the key). */
enum binding_end_reason {
	BINDING_END_TEARDOWN = 1, /* lifetime 0 (RFC 5568 §5.6) */
	BINDING_END_DELETED,	  /* binding_delete() */
	BINDING_END_EXPIRED,	  /* binding_sweep() */
	BINDING_END_REKEYED,	  /* a replace installed another key_ref; the binding lives on */
};
struct binding_end {
	const uint8_t *pcoa, *ncoa; /* valid during the call only */
	uintptr_t key_ref;
	uint16_t seq;
	enum binding_end_reason reason;
};
/* Called by the writer call that ended the binding (install for REKEYED), after the binding
 * left the table; e's pointers are valid during the call only. */
typedef void (*binding_end_fn)(void *arg, const struct binding_end *e);

struct binding_cfg {
	const char *name;	  /* unique among the process's hash tables (< 28 chars) */
	uint32_t capacity;	  /* live bindings; more are refused (BINDING_E_FULL) */
	unsigned n_workers;	  /* counter arrays: one per worker lcore (>= 1) */
	int socket_id;		  /* NUMA socket of the hash, pool and counters */
	struct rte_rcu_qsbr *qsv; /* the readers' QSBR variable (required) */
	uint32_t sweep_batch;	  /* entries looked at per binding_sweep(); default 1024 */
	uint32_t hash_seed;	  /* jhash initial value; 0: random (rte_rand) */
	binding_end_fn on_end;	  /* may be NULL */
	void *on_end_arg;
};

struct binding_stats {
	uint64_t added;	    /* new PCoAs */
	uint64_t replaced;  /* newer FBU over a binding (pointer swap) */
	uint64_t activated; /* binding_activate() */
	uint64_t torn_down; /* lifetime 0 */
	uint64_t deleted;   /* binding_delete() */
	uint64_t expired;   /* removed by the sweep */
	uint64_t stale;	    /* installs, activations and teardowns refused for their sequence */
	uint64_t full;	    /* installs refused: the table was full */
	uint64_t errors;    /* bad arguments, hash failures */
	uint64_t freed;	    /* records zeroed and returned to the pool after their grace period */
	uint32_t live;	    /* bindings in the table */
};

struct binding_table;

/* 0 or -errno. */
int binding_create(const struct binding_cfg *cfg, struct binding_table **out);
/* All readers must be offline.  Every record is zeroed; nothing is reported to on_end. */
void binding_free(struct binding_table *bt);

uint32_t binding_capacity(const struct binding_table *bt);
uint32_t binding_count(const struct binding_table *bt); /* live; safe from any thread */
void binding_get_stats(const struct binding_table *bt, struct binding_stats *st);

/* ---- writer (the control lcore only) ----------------------------------------------------- */

struct binding_spec {
	const uint8_t *pcoa;	/* key: the FBU's Home Address */
	const uint8_t *ncoa;	/* the NCoA (A2) */
	const uint8_t *par;	/* the FBU's IPv6 destination (A12) */
	const uint8_t *tun_src; /* the PAR's global address on the MN's old link (RFC 5568 §4) */
	uint16_t seq;		/* the FBU's Sequence # */
	uint32_t lifetime;	/* seconds, clamped (A4); 0 is a teardown, not an install */
	uint64_t expires;	/* absolute, caller's clock */
	uint8_t state;		/* BINDING_PENDING (HI sent) or BINDING_ACTIVE */
	uintptr_t key_ref;	/* reported back through on_end (A13) */
	uint8_t user;		/* opaque to the table, kept in the record's first cache line for
				 * the readers (activation keeps it); fmipgw: the [ap.*] index */
};

/*
 * Install the binding an accepted FBU asks for.  New PCoA: BINDING_OK.  Existing binding and
 * s->seq newer than its sequence (RFC 3775 §9.5.1 mod 2^16): replaced, BINDING_REPLACED (the
 * counters carry on).  Not newer: BINDING_E_STALE, nothing changes.  BINDING_E_FULL,
 * BINDING_E_INVAL, BINDING_E_INTERNAL.
 */
int binding_install(struct binding_table *bt, const struct binding_spec *s);
/*
 * The HAck for the FBU with sequence seq arrived (RFC 5568 §6.2.1.2): the binding becomes
 * ACTIVE; ncoa non-NULL replaces its NCoA (HAck code 2, NAR-assigned).  BINDING_OK,
 * BINDING_E_NOENT, BINDING_E_STALE (the binding was made by another FBU since).
 */
int binding_activate(struct binding_table *bt, const uint8_t pcoa[16], uint16_t seq,
		     const uint8_t *ncoa);
/*
 * An accepted FBU with Lifetime 0 (RFC 5568 §5.6): remove the binding if seq is newer than
 * its sequence.  BINDING_OK (on_end: TEARDOWN), BINDING_E_NOENT, BINDING_E_STALE.
 */
int binding_teardown(struct binding_table *bt, const uint8_t pcoa[16], uint16_t seq);
/* Remove the binding whatever its sequence.  BINDING_OK (on_end: DELETED), BINDING_E_NOENT. */
int binding_delete(struct binding_table *bt, const uint8_t pcoa[16]);
/*
 * Remove bindings with now >= expires, looking at no more than max_work entries (0: the
 * configured sweep_batch) from where the previous call stopped, and reclaim what the grace
 * period allows.  on_end: EXPIRED for each.  Returns the number removed.
 */
unsigned binding_sweep(struct binding_table *bt, uint64_t now, unsigned max_work);
/* Writer-side lookup (no RCU needed: the writer is the only one that frees). */
const struct binding_rec *binding_find(const struct binding_table *bt, const uint8_t pcoa[16]);
/* Writer-side walk: 1 and *r, or 0 at the end (*it = 0 to start). */
int binding_iterate(const struct binding_table *bt, uint32_t *it, const struct binding_rec **r);

/* What telemetry shows of one binding: never key material (key_ref is not shown either). */
struct binding_info {
	uint8_t pcoa[16], ncoa[16], par[16], tun_src[16];
	uint8_t state;
	uint16_t seq;
	uint32_t lifetime;	/* granted, seconds */
	uint64_t left;		/* expires - now, 0 when past (caller's clock) */
	struct binding_ctr ctr; /* summed over the workers */
};
/* From the writer, or from a reader while it holds r (between two quiescent states). */
void binding_info_get(const struct binding_table *bt, const struct binding_rec *r, uint64_t now,
		      struct binding_info *out);

/* ---- readers (lcores registered on the QSBR variable) ------------------------------------ */

const struct rte_hash *binding_hash_table(const struct binding_table *bt);

/* The signature of a PCoA, computed once per packet. */
static inline hash_sig_t binding_sig(const struct binding_table *bt, const uint8_t pcoa[16])
{
	return rte_hash_hash(binding_hash_table(bt), pcoa);
}

/*
 * Look up n (<= RTE_HASH_LOOKUP_BULK_MAX = 64) PCoAs with their signatures; recs[i] is the
 * record or NULL; found records are prefetched.  Returns the number found (PENDING bindings
 * included: use binding_rec_live()).  Records stay valid until this lcore's next
 * rte_rcu_qsbr_quiescent().
 */
unsigned binding_lookup_bulk(const struct binding_table *bt, const uint8_t *const pcoas[],
			     const hash_sig_t sigs[], unsigned n, const struct binding_rec *recs[]);

/* Packets for the PCoA go through the tunnel now. */
static inline bool binding_rec_live(const struct binding_rec *r, uint64_t now)
{
	return r->state == BINDING_ACTIVE && now < r->expires;
}

/* This worker's counter array (index: binding_rec.slot); fetch once at start-up. */
struct binding_ctr *binding_worker_ctrs(struct binding_table *bt, unsigned worker);

/* Count one packet of bytes octets (the original packet).  Only worker w writes its array:
 * relaxed stores, for the readers' relaxed loads. */
static inline void binding_count_tun(struct binding_ctr *ctrs, const struct binding_rec *r,
				     uint32_t bytes)
{
	struct binding_ctr *c = &ctrs[r->slot];

	__atomic_store_n(&c->tun_pkts, c->tun_pkts + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->tun_bytes, c->tun_bytes + bytes, __ATOMIC_RELAXED);
}
static inline void binding_count_rev(struct binding_ctr *ctrs, const struct binding_rec *r,
				     uint32_t bytes)
{
	struct binding_ctr *c = &ctrs[r->slot];

	__atomic_store_n(&c->rev_pkts, c->rev_pkts + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&c->rev_bytes, c->rev_bytes + bytes, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------------------------------------ */
/* Tunnel (RFC 2473) on mbufs                                                                  */
/* ------------------------------------------------------------------------------------------ */

#define BINDING_TUN_RESULTS(X)                                                                  \
	X(OK, "ok")                                                                             \
	X(MALFORMED, "malformed")	/* not Ethernet + IPv6, truncated, lengths disagree */  \
	X(SEGMENTED, "segmented")	/* the packet is not in one mbuf segment */             \
	X(SHARED, "shared")		/* indirect mbuf or refcnt > 1: not written */          \
	X(HOP_LIMIT, "hop limit")	/* inner Hop Limit <= 1: Time Exceeded */               \
	X(TOO_BIG, "too big")		/* > tunnel MTU: Packet Too Big */                      \
	X(FRAG_NEEDED, "frag needed")	/* > tunnel MTU, <= 1280: fragment the tunnel packet */ \
	X(NO_HEADROOM, "no headroom")	/* fewer than 40 octets of headroom */                  \
	X(NOT_TUNNEL, "not tunnel")	/* decap: outer Next Header is not 41 */                \
	X(EXT_HDR, "tunnel ext header") /* decap: tunnel extension headers (refused) */

enum binding_tun_rc {
#define BINDING_TUN_ENUM(n, s) BINDING_TUN_##n,
	BINDING_TUN_RESULTS(BINDING_TUN_ENUM)
#undef BINDING_TUN_ENUM
	    BINDING_TUN__COUNT
};
const char *binding_tun_strerror(int rc);

enum binding_tc_mode {
	BINDING_TC_COPY = 0, /* Traffic Class of the original packet (RFC 2473 §5) */
	BINDING_TC_FIXED,    /* the configured tc (§6.4) */
};
enum binding_fl_mode {
	BINDING_FL_FIXED = 0, /* the configured flow_label, default 0 (§5: "typical value is
			       * zero", §6.5: "The default value is zero") */
	BINDING_FL_COPY,      /* copied from the original packet */
};

/* All-zero is the default: MTU 1500, Hop Limit 64, Traffic Class copied, Flow Label 0. */
struct binding_tun_cfg {
	uint16_t mtu;	     /* egress link MTU (IPv6 packet octets); 0: 1500 */
	uint8_t hop_limit;   /* tunnel Hop Limit (RFC 2473 §6.3: the router's default); 0: 64 */
	uint8_t tc_mode;     /* enum binding_tc_mode */
	uint8_t tc;	     /* BINDING_TC_FIXED */
	uint8_t fl_mode;     /* enum binding_fl_mode */
	uint32_t flow_label; /* BINDING_FL_FIXED */
};

/* Tunnel MTU: the egress MTU less the 40-octet tunnel header (RFC 2473 §6.7). */
static inline uint32_t binding_tun_mtu(const struct binding_tun_cfg *c)
{
	uint32_t mtu = c->mtu ? c->mtu : 1500;

	return mtu > 40 ? mtu - 40 : 0;
}
/* The MTU a Packet Too Big for BINDING_TUN_TOO_BIG carries: max(tunnel MTU, 1280) (RFC 2473
 * §7.1 (a)); the tunnel MTU whenever the egress MTU is 1320 or more. */
static inline uint32_t binding_tun_ptb_mtu(const struct binding_tun_cfg *c)
{
	uint32_t t = binding_tun_mtu(c);

	return t > 1280 ? t : 1280;
}

/*
 * Encapsulate the frame m (Ethernet [+ one 802.1Q tag] + an IPv6 packet for b's PCoA) into
 * IPv6-in-IPv6 toward b->ncoa (RFC 2473 §3.1, §5): the inner Hop Limit is decremented (the
 * entry point forwards the original packet), 40 octets are prepended in the headroom, the
 * L2 header is moved in front of them with eth_dst/eth_src written into it (NULL: keep) and
 * its 802.1Q tag kept; outer source b->tun_src, destination b->ncoa, Next Header 41, Hop
 * Limit, Traffic Class and Flow Label from cfg.  Ethernet padding after the original packet
 * is trimmed.  *inner_len (may be NULL): the original packet's length, for the counters.
 *
 * Checks, in this order, each with its code and m left exactly as it was: SEGMENTED,
 * MALFORMED, HOP_LIMIT (inner Hop Limit 0 or 1: the caller sends Time Exceeded, RFC 4443
 * §3.3), TOO_BIG (original packet > tunnel MTU and > 1280: the caller sends a rate-limited
 * Packet Too Big with binding_tun_ptb_mtu() to the inner source, RFC 2473 §7.1 (a)),
 * FRAG_NEEDED (> tunnel MTU but <= 1280: §7.1 (b) asks the entry point to fragment the
 * tunnel packet; only with an egress MTU under 1320), SHARED, NO_HEADROOM.  BINDING_TUN_OK.
 */
int binding_encap(struct rte_mbuf *m, const struct binding_rec *b,
		  const struct binding_tun_cfg *cfg, const uint8_t *eth_dst, const uint8_t *eth_src,
		  uint32_t *inner_len);

/* A tunnel packet received (the reverse tunnel from the MN), parsed. */
struct binding_decap {
	const uint8_t *outer_src, *outer_dst; /* valid until binding_decap_strip() */
	const uint8_t *inner_src, *inner_dst; /* stay valid: the original packet does not move */
	uint32_t inner_len;		      /* the original packet */
	uint16_t l2_len;		      /* 14 or 18 */
};

/*
 * Parse m (Ethernet [+ 802.1Q] + IPv6 with Next Header 41 + IPv6) without changing it.
 * BINDING_TUN_OK, SEGMENTED, MALFORMED (not IPv6, truncated, the original packet does not
 * fill the tunnel payload), NOT_TUNNEL (outer Next Header not 41), EXT_HDR (tunnel
 * extension headers before 41: refused, not walked — fmipgw's MNs send none).
 */
int binding_decap_parse(const struct rte_mbuf *m, struct binding_decap *d);
/*
 * After the reverse-tunnel check passed: remove the 40-octet tunnel header by moving the L2
 * header forward over it (rte_pktmbuf_adj) and trim Ethernet padding; the original packet is
 * not touched (forwarding it, Hop Limit included, is the caller's stage).  BINDING_TUN_OK,
 * SHARED, MALFORMED (padding that spans segments); m is unchanged on error.
 */
int binding_decap_strip(struct rte_mbuf *m, const struct binding_decap *d);

/*
 * The reverse-tunnel rule (RFC 5568 §4: the PAR forwards the inner packet only if a binding
 * exists for its source): for each of n (<= 64) parsed tunnel packets, inner source = a PCoA
 * whose binding is live at now, outer source = its NCoA and outer destination = its tunnel
 * source.  sigs: binding_sig() of each inner source, or NULL (computed here).  Returns the
 * mask of packets that pass; recs[i] is the binding of a passing packet, else NULL.
 */
uint64_t binding_rtun_check_bulk(const struct binding_table *bt, const struct binding_decap d[],
				 const hash_sig_t *sigs, unsigned n, uint64_t now,
				 const struct binding_rec *recs[]);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_BINDING_H */
