/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/rcuhash — see rcuhash.h (the pattern of lib/keytab/keytab.c, shared). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_prefetch.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "rcuhash.h"

/* An entry waiting for its grace period: replaced data (pos < 0: the key slot lives on with
 * the new data) or removed data (pos: the key slot rte_hash_del_key_with_hash() left
 * allocated, freed together with the data). */
struct rcuhash_dead {
	void *data;
	int32_t pos;
};

struct rcuhash {
	struct rte_hash *h;
	struct rte_rcu_qsbr_dq *dq;
	struct rte_rcu_qsbr *qsv;
	rcuhash_free_fn free_fn;
	void *arg;
};

const struct rte_hash *rcuhash_table(const struct rcuhash *rh)
{
	return rh->h;
}

static void dq_free_cb(void *p, void *e, unsigned int n)
{
	struct rcuhash *rh = p;
	struct rcuhash_dead *d = e;

	for (unsigned int i = 0; i < n; i++) {
		if (d[i].pos >= 0)
			rte_hash_free_key_with_position(rh->h, d[i].pos);
		rh->free_fn(rh->arg, d[i].data, d[i].pos >= 0);
	}
}

/* Free data (and key slot pos, if >= 0) once no reader can hold it. */
static void defer(struct rcuhash *rh, void *data, int32_t pos)
{
	struct rcuhash_dead d = { data, pos };

	if (rte_rcu_qsbr_dq_enqueue(rh->dq, &d) != 0) {
		/* queue full even after reclaiming: wait for the readers instead */
		rte_rcu_qsbr_synchronize(rh->qsv, RTE_QSBR_THRID_INVALID);
		dq_free_cb(rh, &d, 1);
	}
}

int rcuhash_create(const struct rcuhash_cfg *cfg, struct rcuhash **out)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = { 0 };
	struct rte_rcu_qsbr_dq_parameters dp = { 0 };
	struct rcuhash *rh;

	*out = NULL;
	rte_errno = 0;
	if (cfg->entries == 0 || cfg->key_len == 0 || cfg->qsv == NULL || cfg->name == NULL ||
	    cfg->free_fn == NULL)
		return -EINVAL;
	rh = calloc(1, sizeof(*rh));
	if (rh == NULL)
		return -ENOMEM;
	rh->qsv = cfg->qsv;
	rh->free_fn = cfg->free_fn;
	rh->arg = cfg->arg;

	hp.name = cfg->name;
	hp.entries = cfg->entries;
	hp.key_len = cfg->key_len;
	hp.hash_func = rte_jhash;
	/* a seed the peers cannot guess, against bucket flooding with chosen addresses */
	hp.hash_func_init_val = cfg->seed ? cfg->seed : (uint32_t)rte_rand();
	hp.socket_id = cfg->socket_id;
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	rh->h = rte_hash_create(&hp);
	if (rh->h == NULL)
		goto fail;

	snprintf(name, sizeof(name), "%s_rq", cfg->name);
	dp.name = name;
	dp.size = cfg->dq_size ? cfg->dq_size : cfg->entries;
	dp.esize = sizeof(struct rcuhash_dead);
	dp.trigger_reclaim_limit = 0; /* try to reclaim on every enqueue */
	dp.max_reclaim_size = 32;
	dp.free_fn = dq_free_cb;
	dp.p = rh;
	dp.v = cfg->qsv;
	rh->dq = rte_rcu_qsbr_dq_create(&dp);
	if (rh->dq == NULL)
		goto fail;
	*out = rh;
	return 0;
fail:
	if (rh->h != NULL)
		rte_hash_free(rh->h);
	free(rh);
	return rte_errno ? -rte_errno : -ENOMEM;
}

void rcuhash_free(struct rcuhash *rh)
{
	if (rh == NULL)
		return;
	/* No rte_rcu_qsbr_synchronize() here: a caller that is itself an online reader would
	 * wait forever; with the readers offline (the contract) dq_delete reclaims everything. */
	rte_rcu_qsbr_dq_delete(rh->dq);
	rte_hash_free(rh->h);
	free(rh);
}

hash_sig_t rcuhash_sig(const struct rcuhash *rh, const void *key)
{
	return rte_hash_hash(rh->h, key);
}

void *rcuhash_find(const struct rcuhash *rh, const void *key, hash_sig_t sig)
{
	void *data = NULL;

	if (rte_hash_lookup_with_hash_data(rh->h, key, sig, &data) < 0)
		return NULL;
	return data;
}

int rcuhash_publish(struct rcuhash *rh, const void *key, hash_sig_t sig, void *data, void *old)
{
	/* publishes data (release store of the data pointer, or of the new key slot) */
	int rc = rte_hash_add_key_with_hash_data(rh->h, key, sig, data);

	if (rc == -ENOSPC && old == NULL) {
		/* slots of removed keys may be past their grace period now */
		rte_rcu_qsbr_dq_reclaim(rh->dq, UINT32_MAX, NULL, NULL, NULL);
		rc = rte_hash_add_key_with_hash_data(rh->h, key, sig, data);
	}
	if (rc != 0)
		return rc;
	if (old == NULL)
		return 0;
	defer(rh, old, -1); /* a reader may still hold it */
	return 1;
}

int rcuhash_remove(struct rcuhash *rh, const void *key, hash_sig_t sig, void **data)
{
	void *d = NULL;
	int32_t pos;

	if (rte_hash_lookup_with_hash_data(rh->h, key, sig, &d) < 0)
		return -ENOENT;
	pos = rte_hash_del_key_with_hash(rh->h, key, sig);
	if (pos < 0)
		return -ENOENT;
	if (data != NULL)
		*data = d;
	defer(rh, d, pos);
	return 0;
}

unsigned rcuhash_reclaim(struct rcuhash *rh, unsigned max)
{
	unsigned int freed = 0;

	rte_rcu_qsbr_dq_reclaim(rh->dq, max, &freed, NULL, NULL);
	return freed;
}

void rcuhash_barrier(struct rcuhash *rh)
{
	rte_rcu_qsbr_synchronize(rh->qsv, RTE_QSBR_THRID_INVALID);
	rte_rcu_qsbr_dq_reclaim(rh->dq, UINT32_MAX, NULL, NULL, NULL);
}

int32_t rcuhash_iterate(const struct rcuhash *rh, const void **key, void **data, uint32_t *it)
{
	return rte_hash_iterate(rh->h, key, data, it);
}

unsigned rcuhash_lookup_bulk(const struct rcuhash *rh, const void *const keys[],
			     const hash_sig_t sigs[], unsigned n, void *data[])
{
	uint64_t hits = 0;
	int found;

	if (n == 0)
		return 0;
	if (n > RTE_HASH_LOOKUP_BULK_MAX) {
		for (unsigned i = RTE_HASH_LOOKUP_BULK_MAX; i < n; i++)
			data[i] = NULL;
		n = RTE_HASH_LOOKUP_BULK_MAX;
	}
	if (sigs == NULL)
		found = rte_hash_lookup_bulk_data(rh->h, (const void **)(uintptr_t)keys, n, &hits,
						  data);
	else
		found = rte_hash_lookup_with_hash_bulk_data(rh->h, (const void **)(uintptr_t)keys,
							    (hash_sig_t *)(uintptr_t)sigs, n, &hits,
							    data);
	if (found <= 0) {
		for (unsigned i = 0; i < n; i++)
			data[i] = NULL;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		if (hits & (1ull << i))
			rte_prefetch0(data[i]);
		else
			data[i] = NULL;
	}
	return (unsigned)found;
}
