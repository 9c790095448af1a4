/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/rcuhash — an rte_hash with lock-free readers and RCU-deferred frees: the pattern
 * lib/keytab established (keytab.h explains it), in one place.  lib/binding (the binding cache)
 * and lib/route (the neighbour table) are built on it; lib/keytab still has its own copy.
 *
 *  - RW_CONCURRENCY_LF + EXT_TABLE, no integrated RCU (DPDK 22.11's rte_hash_rcu_qsbr_add
 *    reclaims only on the next delete or a full table);
 *  - remove: the key leaves the hash at once; its key slot stays allocated and goes, with the
 *    data, to an rte_rcu_qsbr_dq; after the grace period the slot is freed
 *    (rte_hash_free_key_with_position) and the owner's free_fn is called (deleted == true);
 *  - publish over an existing key swaps the data pointer (never delete-then-add); the old data
 *    goes to the same queue and free_fn is called for it with deleted == false;
 *  - reclamation runs on every enqueue and in rcuhash_reclaim(); when the queue is full the
 *    writer waits for the readers (rte_rcu_qsbr_synchronize) and frees at once.
 *
 * Single-writer rules:
 *  - every function marked "Writer" is called by one thread at a time (the owner serialises
 *    them); that thread is never an RCU reader on qsv, or the waits above would never end;
 *  - readers are the threads registered on qsv; they call only rcuhash_lookup_bulk() (or
 *    rte_hash lookups on rcuhash_table()) between reporting quiescent states, and may use
 *    the data they found until their next quiescent state;
 *  - the data a reader sees is whatever the writer published: the writer never changes it in
 *    place after publishing (publish a new copy instead), unless the owner's own rules make
 *    such a change safe (single atomic words, as lib/route's neighbour entries);
 *  - free_fn runs on the writer (inside the Writer calls, or rcuhash_free()), never on a
 *    reader.
 */
#ifndef FMIPGW_RCUHASH_H
#define FMIPGW_RCUHASH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_rcu_qsbr.h>

#ifdef __cplusplus
extern "C" {
#endif

/* data's grace period is over; deleted: its key was removed (else it was replaced). */
typedef void (*rcuhash_free_fn)(void *arg, void *data, bool deleted);

struct rcuhash_cfg {
	const char *name; /* unique among the process's hashes; "<name>_rq" names the queue */
	uint32_t entries; /* key slots, headroom for slots in their grace period included */
	uint32_t key_len; /* octets */
	uint32_t dq_size; /* entries the defer queue holds; 0: entries */
	uint32_t seed;	  /* jhash initial value; 0: random (rte_rand) */
	int socket_id;	  /* NUMA socket of the hash */
	struct rte_rcu_qsbr *qsv;
	rcuhash_free_fn free_fn;
	void *arg;
};

struct rcuhash;

/* 0 or -errno. */
int rcuhash_create(const struct rcuhash_cfg *cfg, struct rcuhash **out);
/* Readers offline: the pending entries are reclaimed (free_fn), then the hash is freed.  Live
 * entries are not passed to free_fn: iterate them first. */
void rcuhash_free(struct rcuhash *rh);

const struct rte_hash *rcuhash_table(const struct rcuhash *rh);

/* The key's signature, for the *_sig arguments (rte_hash_hash()). */
hash_sig_t rcuhash_sig(const struct rcuhash *rh, const void *key);

/* Writer: the data stored under key, or NULL. */
void *rcuhash_find(const struct rcuhash *rh, const void *key, hash_sig_t sig);
/*
 * Writer: publish data under key.  old must be what rcuhash_find() returned: NULL adds the
 * key (0, or -ENOSPC when every key slot is taken even after reclaiming, or another -errno);
 * non-NULL swaps the data pointer and defers old (1).
 */
int rcuhash_publish(struct rcuhash *rh, const void *key, hash_sig_t sig, void *data, void *old);
/* Writer: remove key; its data is deferred.  0 and *data, or -ENOENT. */
int rcuhash_remove(struct rcuhash *rh, const void *key, hash_sig_t sig, void **data);
/* Writer: reclaim up to max entries whose grace period is over.  Returns how many. */
unsigned rcuhash_reclaim(struct rcuhash *rh, unsigned max);
/* Writer: wait until every reader has passed a quiescent state, then reclaim everything. */
void rcuhash_barrier(struct rcuhash *rh);
/* Writer: rte_hash_iterate() (>= 0: a position, with *key and *data; < 0: the end). */
int32_t rcuhash_iterate(const struct rcuhash *rh, const void **key, void **data, uint32_t *it);

/*
 * Reader: look up n (<= RTE_HASH_LOOKUP_BULK_MAX; beyond it, NULL) keys with their
 * signatures (sigs NULL: computed); data[i] is the data or NULL, prefetched when found.
 * Returns the number found.
 */
unsigned rcuhash_lookup_bulk(const struct rcuhash *rh, const void *const keys[],
			     const hash_sig_t sigs[], unsigned n, void *data[]);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_RCUHASH_H */
