/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab — the handover-key table (DESIGN.md "Fast path", A8, A13, A14).
 *
 * An rte_hash keyed by the full 128-bit CGA (A8), RW_CONCURRENCY_LF + EXT_TABLE, whose data
 * pointer is a struct keytab_rec.  One writer (the control lcore, which is never an RCU
 * reader) adds, replaces, deletes and expires; worker lcores look up lock-free in bulk and
 * report quiescent states on the rte_rcu_qsbr variable given at creation.
 *
 *  - delete / expire: the key leaves the hash at once (readers stop finding it); with
 *    RW_CONCURRENCY_LF its key slot stays allocated, and slot and record go to the table's
 *    rte_rcu_qsbr_dq, whose callback frees the slot (rte_hash_free_key_with_position),
 *    clears the MAC states and zeroes the record after the grace period.  (DPDK 22.11's
 *    integrated hash RCU, rte_hash_rcu_qsbr_add, is not used: it reclaims only on the next
 *    delete or a full table, so the last deleted key would stay in memory indefinitely.);
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

/* One handover key.  Written once by the writer before it is published, except the fields
 * marked (atomic), which are updated in place with __atomic builtins. */
struct keytab_rec {
	struct mac_key mac;  /* precomputed HMAC states for the AT (lib/mac) */
	uint8_t cga[16];     /* the table key (A8, A21) */
	uint8_t pk_sha1[20]; /* SHA-1 of the CGA public key (A8), computed by the caller */
	uint8_t at;
	uint8_t key_len;
	uint8_t key[KEYTAB_KEY_MAX];
	uint64_t issued;     /* when the key was handed out */
	uint64_t hk_expires; /* issued + HK-LIFETIME (A13) */
	uint64_t expires;    /* (atomic) the end of the key's use (A13; the gateway's rule) */
	uint32_t last_seq;   /* (atomic) bit 16: valid; low 16 bits: last accepted FBU seq (A14;
				the gateway's rule, compare-and-swap on this field) */
} __attribute__((aligned(64)));

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
 * Expire keys whose time is over: looks at no more than max_work entries (0: the configured
 * sweep_batch) from where the previous call stopped, and reclaims what the grace period
 * allows.  Returns the number of keys removed.
 */
unsigned keytab_sweep(struct keytab *kt, uint64_t now, unsigned max_work);
void keytab_get_stats(const struct keytab *kt, struct keytab_stats *st);
uint32_t keytab_capacity(const struct keytab *kt);

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

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_KEYTAB_H */
