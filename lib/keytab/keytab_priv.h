/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/keytab internals shared by keytab.c (table, writer, readers) and keytab_mem.c (records'
 * memory).  Not installed. */
#ifndef FMIPGW_KEYTAB_PRIV_H
#define FMIPGW_KEYTAB_PRIV_H

#include <rte_mempool.h>

#include "keytab.h"

/*
 * A record waiting for its grace period: a replaced one (pos < 0: its key slot lives on with
 * the new record) or a deleted one (pos: the key slot rte_hash_del_key_with_hash() left
 * allocated, freed together with the record).  Both go through our own defer queue: DPDK
 * 22.11's integrated hash RCU reclaims only on its next delete or on a full table, so the last
 * deleted key would stay in memory indefinitely.
 */
struct keytab_dead {
	struct keytab_rec *rec;
	int32_t pos;
};

struct keytab {
	struct rte_hash *h;
	struct rte_mempool *mp; /* the records */
	struct rte_rcu_qsbr_dq
	    *dq; /* replaced and deleted records waiting for their grace period */
	struct rte_rcu_qsbr *qsv;
	const struct mac_engine *mac;
	uint32_t capacity;
	uint32_t sweep_batch;
	uint32_t iter; /* rte_hash_iterate position of the incremental sweep */
	struct keytab_stats st;
};

/* The hash's data pointer for r: the record with its AT in the low bits (keytab_data_rec). */
static inline void *keytab_rec_tag(struct keytab_rec *r)
{
	return (void *)((uintptr_t)r | r->at);
}

/* keytab_mem.c */
int keytab_pool_create(struct keytab *kt, const struct keytab_cfg *cfg, uint32_t n);
void keytab_pool_free(struct keytab *kt);
struct keytab_rec *keytab_rec_alloc(struct keytab *kt);
void keytab_rec_zero_free(struct keytab *kt, struct keytab_rec *r);

#endif
