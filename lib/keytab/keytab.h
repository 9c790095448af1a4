/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab — the handover-key table (DESIGN.md "Fast path", A8, A13, A14).
 *
 * An rte_hash keyed by the full 128-bit CGA (A8), RW_CONCURRENCY_LF + EXT_TABLE, whose data
 * pointer is a struct keytab_rec (with its AT in the low bits, keytab_data_rec) from the
 * table's own rte_mempool, excluded from core dumps.  One writer (the control lcore, which is never
 * an RCU reader) adds, replaces, deletes and expires; worker lcores look up lock-free in bulk and
 * report quiescent states on the rte_rcu_qsbr variable given at creation.
 *
 *  - delete / expire: the key leaves the hash at once (readers stop finding it); with
 *    RW_CONCURRENCY_LF its key slot stays allocated, and slot and record go to the table's
 *    rte_rcu_qsbr_dq, whose callback frees the slot (rte_hash_free_key_with_position),
 *    clears the MAC states and zeroes the record after the grace period, then puts it back
 *    in the pool (poisoned under AddressSanitizer).  (DPDK 22.11's integrated hash RCU,
 *    rte_hash_rcu_qsbr_add, is not used: it reclaims only on the next delete or a full
 *    table, so the last deleted key would stay in memory indefinitely.);
 *  - replace (same CGA, new key): a new record is published by swapping the data pointer
 *    (rte_hash_add_key_with_hash_data on the existing key); the old record goes to the same
 *    queue.  Never delete-then-add, so a reader always finds either the old or the new record;
 *  - reclamation runs on every enqueue and in keytab_sweep(), so the control lcore's periodic
 *    sweep bounds how long a dead key stays in memory;
 *  - capacity is configuration; the hash has headroom above it for slots in their grace
 *    period; when full a new CGA is refused and counted, live keys are never evicted.
 *
 * Times are in the caller's clock (any monotonic unit, e.g. seconds); the table never reads a
 * clock itself.
 */
#ifndef FMIPGW_KEYTAB_H
#define FMIPGW_KEYTAB_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_prefetch.h>
#include <rte_rcu_qsbr.h>

#include "mac.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KEYTAB_KEY_MAX 32 /* A9: 20 octets for AT 0, 32 for AT 1 */

/*
 * One handover key.  Written once by the writer before it is published, except the fields
 * marked (atomic), which are updated in place with __atomic builtins.
 *
 * Layout (issue 14; 192 octets, three cache lines, static_asserts in keytab.c):
 *   line 0  mac.ipad, mac.opad — all the MAC check reads.  The AT rides in the low bits of
 *           the hash's data pointer (keytab_data_rec/keytab_data_at) and the algorithm and tag
 *           length follow from it through the engine's AT map (lib/mac keeps a copy per
 *           lcore), so keytab_batch_lookup() prefetches this one line and the check needs no
 *           other, for both ATs (HMAC-SHA256's two states fill the whole line).
 *   line 1  the rest of mac (at, alg, tag_len, digest_len, OpenSSL states), cga, pk_sha1, at,
 *           key_len: read-only after publication (the writer, the OpenSSL backend and
 *           mac_verify_burst() read them).
 *   line 2  key, issued, hk_expires and the fields that change: expires (written by the
 *           writer), last_seq (compare-and-swapped by the worker that accepts an FBU), so such
 *           a write never invalidates the lines other workers read for their checks.
 * Records come from a per-table rte_mempool (hugepage-backed when the EAL has hugepages)
 * whose memory is excluded from core dumps (madvise MADV_DONTDUMP on every memory chunk of
 * the pool, at creation; issue 13): the raw key and the HMAC states never reach a core file.
 * The OpenSSL backend's EVP states (mac.ossl) live on OpenSSL's heap and are not covered.
 */
struct keytab_rec {
	struct mac_key mac;  /* precomputed HMAC states for the AT (lib/mac); ipad/opad first */
	uint8_t cga[16];     /* the table key (A8, A21) */
	uint8_t pk_sha1[20]; /* SHA-1 of the CGA public key (A8), computed by the caller */
	uint8_t at;
	uint8_t key_len;
	uint8_t pad1_[10];
	uint8_t key[KEYTAB_KEY_MAX]; /* line 2 */
	uint64_t issued;	     /* when the key was handed out */
	uint64_t hk_expires;	     /* issued + HK-LIFETIME (A13) */
	uint64_t expires;  /* (atomic) the end of the key's use (A13; the gateway's rule) */
	uint32_t last_seq; /* (atomic) bit 16: valid; low 16 bits: last accepted FBU seq (A14; the
			      gateway's rule, compare-and-swap on this field) */
} __attribute__((aligned(64)));

/*
 * The hash's data pointer is the record with its AT in the low 4 bits (records are 64-octet
 * aligned).  Anyone who reads rte_hash data directly (rte_hash_lookup_data on
 * keytab_hash_table()) must decode it with these.
 */
#define KEYTAB_AT_MASK 0x0fu
static inline struct keytab_rec *keytab_data_rec(void *data)
{
	return (struct keytab_rec *)((uintptr_t)data & ~(uintptr_t)KEYTAB_AT_MASK);
}
static inline uint8_t keytab_data_at(const void *data)
{
	return (uint8_t)((uintptr_t)data & KEYTAB_AT_MASK);
}

struct keytab_cfg {
	const char *name;  /* unique among the process's hash tables */
	uint32_t capacity; /* keys; adds beyond it are refused (counted) */
	int socket_id;
	struct rte_rcu_qsbr *qsv;     /* the workers' QSBR variable (required) */
	const struct mac_engine *mac; /* computes the MAC states of installed keys */
	uint32_t sweep_batch;	      /* entries looked at per keytab_sweep() call; default 1024 */
	uint32_t hash_seed;	      /* jhash initial value; 0: random (rte_rand) */
};

struct keytab_stats {
	uint64_t added;	   /* new CGAs */
	uint64_t replaced; /* pointer swaps */
	uint64_t deleted;  /* explicit deletes */
	uint64_t expired;  /* removed by the sweep */
	uint64_t full;	   /* adds refused because the table was full */
	uint64_t errors;   /* bad arguments, allocation or hash failures */
	uint64_t freed;	   /* records zeroed and freed after their grace period */
	uint32_t live;	   /* keys in the table */
};

struct keytab;

/* 0 or -errno. */
int keytab_create(const struct keytab_cfg *cfg, struct keytab **out);
/* All readers must be stopped (offline).  Every record is zeroed and freed. */
void keytab_free(struct keytab *kt);

/* ------------------------------------------------------------------------------------------ */
/* Writer (control lcore only)                                                                 */
/* ------------------------------------------------------------------------------------------ */

/*
 * Install key for cga, valid from now for lifetime.  A new CGA: 0.  A CGA already present:
 * the record is replaced by pointer swap and 1 is returned (the last accepted sequence number
 * is carried over).  -ENOSPC: the table is full (counted in stats.full).  -EINVAL: bad AT or
 * key length (mac_key_init).  -ENOMEM.
 */
int keytab_add(struct keytab *kt, const uint8_t cga[16], uint8_t at, const uint8_t *key,
	       size_t key_len, const uint8_t pk_sha1[20], uint64_t now, uint64_t lifetime);
/* Remove cga (deferred free): also how the writer ends a key whose forwarding ended (A13).
 * 0, or -ENOENT. */
int keytab_del(struct keytab *kt, const uint8_t cga[16]);
/* Writer-side lookup (no RCU needed: the writer is the only one that frees). */
const struct keytab_rec *keytab_find(const struct keytab *kt, const uint8_t cga[16]);
/*
 * Writer-side walk: *rec is the next record from position *next (start at 0); 1, or 0 at the
 * end.  Use it instead of rte_hash_iterate() on keytab_hash_table(), whose data pointers
 * carry the AT in their low bits (keytab_data_rec).
 */
int keytab_iterate(const struct keytab *kt, uint32_t *next, const struct keytab_rec **rec);
/*
 * Expire keys whose time is over: looks at no more than max_work entries (0: the configured
 * sweep_batch) from where the previous call stopped, and reclaims what the grace period
 * allows.  Returns the number of keys removed.
 */
unsigned keytab_sweep(struct keytab *kt, uint64_t now, unsigned max_work);
void keytab_get_stats(const struct keytab *kt, struct keytab_stats *st);
uint32_t keytab_capacity(const struct keytab *kt);

/* ------------------------------------------------------------------------------------------ */
/* Persistence (writer; issue 13 item 7: the sealed snapshot, issue 12: the key import)        */
/* ------------------------------------------------------------------------------------------ */

/*
 * A key as it is saved and restored: the record's persistent fields.  Times are in the
 * caller's clock, like keytab_add()'s.  Holds the key: cleanse it after use.
 */
struct keytab_entry {
	uint8_t cga[16];
	uint8_t pk_sha1[20];
	uint8_t at;
	uint8_t key_len;
	uint8_t key[KEYTAB_KEY_MAX];
	uint64_t issued;
	uint64_t hk_expires;
	uint64_t expires;
	uint32_t last_seq; /* as in the record: bit 16 valid, low 16 bits the sequence (A14) */
};

/* The persistent fields of r (expires and last_seq loaded atomically). */
void keytab_entry_get(const struct keytab_rec *r, struct keytab_entry *e);

/*
 * Install e as it was: its times and its last accepted sequence (A14), for a CGA that is not
 * in the table.  The record is complete before it is published, so a reader never sees it
 * without its sequence.  0; -EEXIST: the CGA has a key (nothing changes); -ENOSPC: the table
 * is full (stats.full); -EINVAL: bad AT or key length, or expires/hk_expires before issued
 * (stats.errors); -ENOMEM.  Counted in stats.added like keytab_add().
 */
int keytab_insert(struct keytab *kt, const struct keytab_entry *e);

/*
 * Writer-side walk by key slot, for work spread over several calls.  A key keeps its slot
 * from its add to its delete (a replace keeps it too), while rte_hash_iterate()'s bucket
 * positions move under cuckoo displacement and the extendable buckets' compaction.  So a walk
 * of slots 0 .. keytab_slots() - 1 in any number of steps, with adds, replaces and deletes in
 * between, sees every key that was in the table when it started and still is when it ends,
 * each once, with its record as of the moment its slot was looked at; a key deleted and added
 * again during the walk may be seen twice (old and new record), one added during it maybe not
 * at all.  keytab_slot(): 1 and *rec when slot holds a live key, else 0.  One slot costs two
 * hash lookups.
 */
uint32_t keytab_slots(const struct keytab *kt);
int keytab_slot(const struct keytab *kt, uint32_t slot, const struct keytab_rec **rec);

/* ------------------------------------------------------------------------------------------ */
/* Readers (worker lcores registered on the QSBR variable)                                     */
/* ------------------------------------------------------------------------------------------ */

const struct rte_hash *keytab_hash_table(const struct keytab *kt);

/* The signature of a CGA, computed once per packet (e.g. while parsing). */
static inline hash_sig_t keytab_sig(const struct keytab *kt, const uint8_t cga[16])
{
	return rte_hash_hash(keytab_hash_table(kt), cga);
}

/*
 * Look up n (<= RTE_HASH_LOOKUP_BULK_MAX) CGAs with their precomputed signatures; recs[i] is
 * the record or NULL; the records found are prefetched.  Returns the number found.  The
 * records stay valid until this lcore's next rte_rcu_qsbr_quiescent().
 */
unsigned keytab_lookup_bulk(const struct keytab *kt, const uint8_t *const cgas[],
			    const hash_sig_t sigs[], unsigned n, struct keytab_rec *recs[]);

/*
 * The lookup pipeline across bursts (issue 14).  A batch is one burst's lookups: keys added
 * while parsing (each signature computed then, while the packet is hot), one bulk lookup
 * with the precomputed signatures (rte_hash_lookup_with_hash_bulk_data: it prefetches the
 * buckets of the whole batch before it compares, then the key slots of the first hits), and
 * a prefetch of every record found: line 0 for the MAC check (the AT is taken from the data
 * pointer) and line 2, with write intent, for the accept step (expires, last_seq; A13/A14).
 *
 * struct keytab_pipe holds two batches so that a record's cache miss is hidden behind the
 * next burst's RX and parsing (depth 1):
 *
 *   loop:  b = keytab_pipe_begin(p);          burst k: empty batch to fill
 *          rx + parse burst k; per FBU: i = keytab_batch_add(kt, b, pcoa);  (keep per-packet
 *                                          state in your arrays at [keytab_pipe_idx(p, b)][i])
 *          r = keytab_pipe_ready(p);          burst k-1 (depth 1) or k (depth 0)
 *          ... with depth 0: keytab_pipe_advance(kt, p) first, then r = keytab_pipe_ready(p)
 *          verify r: r->recs[i] (NULL: no key), r->at[i]; mac_burst_add ... mac_burst_verify
 *          rte_rcu_qsbr_quiescent(qsv, id);   no record of r is held any more
 *          depth 1: keytab_pipe_advance(kt, p);  looks b up, prefetches its records; b is
 *                                                the next loop's ready batch
 *
 * RCU: records may be used only between their lookup and the lcore's next quiescent state.
 * Depth 1 keeps that rule because the lookup of burst k comes after the quiescent state that
 * follows the verification of burst k-1: each quiescent state falls where no record is held.
 * That is why the depth is at most 1: looking burst k+1 up in the same loop would hold its
 * records across a quiescent state.  Signatures (keytab_batch_add) hold nothing and may be
 * computed any time before.  A loop with no packets still runs the verify stage, so a burst
 * waits at most one loop.  DPDK 22.11 has no public bucket prefetch, so the bucket and
 * key-slot misses are overlapped inside one bulk call (up to KEYTAB_BATCH_MAX keys), not
 * across bursts; the records' misses are moved out of the critical path.
 */
#define KEYTAB_BATCH_MAX 64 /* == RTE_HASH_LOOKUP_BULK_MAX */

struct keytab_batch {
	uint32_t n;			       /* keys added */
	uint32_t found;			       /* after the lookup */
	uint64_t hits;			       /* bit i: recs[i] found */
	const uint8_t *keys[KEYTAB_BATCH_MAX]; /* the CGAs (the PCoA, A21/A23), e.g. in the packet:
						* they are read again by the lookup */
	hash_sig_t sigs[KEYTAB_BATCH_MAX];
	struct keytab_rec *recs[KEYTAB_BATCH_MAX]; /* after the lookup: record or NULL */
	uint8_t at[KEYTAB_BATCH_MAX];		   /* after the lookup: its AT (no record read) */
};

static inline void keytab_batch_reset(struct keytab_batch *b)
{
	b->n = 0;
	b->found = 0;
	b->hits = 0;
}

/* Stage 1: add a key, computing its signature now.  Its index, or -1 if the batch is full. */
static inline int keytab_batch_add(const struct keytab *kt, struct keytab_batch *b,
				   const uint8_t cga[16])
{
	uint32_t i = b->n;

	if (i >= KEYTAB_BATCH_MAX)
		return -1;
	b->keys[i] = cga;
	b->sigs[i] = keytab_sig(kt, cga);
	b->n = i + 1;
	return (int)i;
}

/* Stage 2: one bulk lookup for the batch; prefetches lines 0 and 2 of each record found.
 * Returns the number found. */
unsigned keytab_batch_lookup(const struct keytab *kt, struct keytab_batch *b);

struct keytab_pipe {
	struct keytab_batch b[2];
	uint8_t fill;  /* the batch being filled */
	uint8_t ready; /* the batch looked up last (to verify) */
	uint8_t depth; /* 0 or 1 (see above) */
};

/* depth 0: lookup and verification in the same loop; 1: verification one loop later. */
static inline void keytab_pipe_init(struct keytab_pipe *p, unsigned depth)
{
	keytab_batch_reset(&p->b[0]);
	keytab_batch_reset(&p->b[1]);
	p->depth = depth ? 1 : 0;
	p->fill = 0;
	p->ready = 1;
}
static inline struct keytab_batch *keytab_pipe_begin(struct keytab_pipe *p)
{
	keytab_batch_reset(&p->b[p->fill]);
	return &p->b[p->fill];
}
static inline struct keytab_batch *keytab_pipe_ready(struct keytab_pipe *p)
{
	return &p->b[p->ready];
}
static inline unsigned keytab_pipe_idx(const struct keytab_pipe *p, const struct keytab_batch *b)
{
	return (unsigned)(b - p->b);
}
/* Look the filled batch up; it becomes the ready one (depth 1: the other one is filled next). */
static inline void keytab_pipe_advance(const struct keytab *kt, struct keytab_pipe *p)
{
	keytab_batch_lookup(kt, &p->b[p->fill]);
	p->ready = p->fill;
	p->fill = (uint8_t)(p->fill ^ p->depth);
}

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_KEYTAB_H */
