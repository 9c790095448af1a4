/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab — see keytab.h.  Records are allocated on the control path (aligned_alloc) and
 * zeroed before they are freed; the fast path only reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_random.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"

struct keytab {
	struct rte_hash *h;
	struct rte_rcu_qsbr_dq *dq; /* replaced records waiting for their grace period */
	struct rte_rcu_qsbr *qsv;
	const struct mac_engine *mac;
	uint32_t capacity;
	uint32_t sweep_batch;
	uint32_t iter; /* rte_hash_iterate position of the incremental sweep */
	struct keytab_stats st;
};

const struct rte_hash *keytab_hash_table(const struct keytab *kt)
{
	return kt->h;
}

uint32_t keytab_capacity(const struct keytab *kt)
{
	return kt->capacity;
}

static void rec_destroy(struct keytab *kt, struct keytab_rec *r)
{
	mac_key_clear(&r->mac);
	memset(r, 0, sizeof(*r));
	__asm__ __volatile__("" : : "r"(r) : "memory"); /* the zeroing is not a dead store */
	free(r);
	kt->st.freed++;
}

/* rte_hash RCU callback: a deleted key's grace period is over. */
static void hash_free_cb(void *p, void *key_data)
{
	rec_destroy(p, key_data);
}

/* Our defer queue callback: replaced records. */
static void dq_free_cb(void *p, void *e, unsigned int n)
{
	struct keytab_rec **recs = e;

	for (unsigned int i = 0; i < n; i++)
		rec_destroy(p, recs[i]);
}

int keytab_create(const struct keytab_cfg *cfg, struct keytab **out)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = { 0 };
	struct rte_hash_rcu_config rc = { 0 };
	struct rte_rcu_qsbr_dq_parameters dp = { 0 };
	struct keytab *kt;

	*out = NULL;
	if (cfg->capacity == 0 || cfg->qsv == NULL || cfg->mac == NULL || cfg->name == NULL)
		return -EINVAL;
	kt = calloc(1, sizeof(*kt));
	if (kt == NULL)
		return -ENOMEM;
	kt->qsv = cfg->qsv;
	kt->mac = cfg->mac;
	kt->capacity = cfg->capacity;
	kt->sweep_batch = cfg->sweep_batch ? cfg->sweep_batch : 1024;

	hp.name = cfg->name;
	/* rte_hash needs at least 8 entries; keep room for keys whose slot awaits reclaim */
	hp.entries = cfg->capacity < 8 ? 8 : cfg->capacity;
	hp.key_len = 16;
	hp.hash_func = rte_jhash;
	/* a seed the peers cannot guess, against bucket flooding with chosen addresses */
	hp.hash_func_init_val = cfg->hash_seed ? cfg->hash_seed : (uint32_t)rte_rand();
	hp.socket_id = cfg->socket_id;
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	kt->h = rte_hash_create(&hp);
	if (kt->h == NULL)
		goto fail;

	rc.v = cfg->qsv;
	rc.mode = RTE_HASH_QSBR_MODE_DQ;
	rc.key_data_ptr = kt;
	rc.free_key_data_func = hash_free_cb;
	if (rte_hash_rcu_qsbr_add(kt->h, &rc) != 0)
		goto fail;

	snprintf(name, sizeof(name), "%s_rq", cfg->name);
	dp.name = name;
	dp.size = hp.entries;
	dp.esize = sizeof(struct keytab_rec *);
	dp.trigger_reclaim_limit = 0; /* try to reclaim on every enqueue */
	dp.max_reclaim_size = 32;
	dp.free_fn = dq_free_cb;
	dp.p = kt;
	dp.v = cfg->qsv;
	kt->dq = rte_rcu_qsbr_dq_create(&dp);
	if (kt->dq == NULL)
		goto fail;
	*out = kt;
	return 0;
fail:
	if (kt->h != NULL)
		rte_hash_free(kt->h);
	free(kt);
	return rte_errno ? -rte_errno : -ENOMEM;
}

void keytab_free(struct keytab *kt)
{
	const void *key;
	void *data;
	uint32_t it = 0;

	if (kt == NULL)
		return;
	/* readers are stopped: live records can go now */
	while (rte_hash_iterate(kt->h, &key, &data, &it) >= 0)
		rec_destroy(kt, data);
	rte_rcu_qsbr_dq_delete(kt->dq); /* replaced records */
	rte_hash_free(kt->h);		/* deleted records, through hash_free_cb */
	free(kt);
}

const struct keytab_rec *keytab_find(const struct keytab *kt, const uint8_t cga[16])
{
	void *data = NULL;

	if (rte_hash_lookup_data(kt->h, cga, &data) < 0)
		return NULL;
	return data;
}

int keytab_add(struct keytab *kt, const uint8_t cga[16], uint8_t at, const uint8_t *key,
	       size_t key_len, const uint8_t pk_sha1[20], uint64_t now, uint64_t lifetime)
{
	hash_sig_t sig = rte_hash_hash(kt->h, cga);
	void *old = NULL;
	struct keytab_rec *r;
	int rc;

	if (key_len == 0 || key_len > KEYTAB_KEY_MAX) {
		kt->st.errors++;
		return -EINVAL;
	}
	if (rte_hash_lookup_with_hash_data(kt->h, cga, sig, &old) < 0)
		old = NULL;
	if (old == NULL && kt->st.live >= kt->capacity) {
		kt->st.full++;
		return -ENOSPC;
	}
	r = aligned_alloc(64, sizeof(*r));
	if (r == NULL) {
		kt->st.errors++;
		return -ENOMEM;
	}
	memset(r, 0, sizeof(*r));
	rc = mac_key_init(kt->mac, &r->mac, at, key, key_len);
	if (rc != 0) {
		free(r);
		kt->st.errors++;
		return rc;
	}
	memcpy(r->cga, cga, 16);
	memcpy(r->pk_sha1, pk_sha1, 20);
	r->at = at;
	r->key_len = (uint8_t)key_len;
	memcpy(r->key, key, key_len);
	r->issued = now;
	r->hk_expires = now + lifetime;
	r->expires = r->hk_expires;
	if (old != NULL)
		r->last_seq =
		    __atomic_load_n(&((struct keytab_rec *)old)->last_seq, __ATOMIC_RELAXED);

	/* Publishes r (release store of the data pointer, or of the new key slot). */
	rc = rte_hash_add_key_with_hash_data(kt->h, cga, sig, r);
	if (rc != 0) {
		rec_destroy(kt, r);
		kt->st.freed--; /* never published */
		if (rc == -ENOSPC) {
			kt->st.full++; /* no free slot even after reclaim (EXT_TABLE exhausted) */
			return -ENOSPC;
		}
		kt->st.errors++;
		return rc;
	}
	if (old == NULL) {
		kt->st.added++;
		kt->st.live++;
		return 0;
	}
	/* The old record may still be held by a reader: free it after the grace period. */
	if (rte_rcu_qsbr_dq_enqueue(kt->dq, &old) != 0) {
		/* queue full even after reclaiming: wait for the readers instead */
		rte_rcu_qsbr_synchronize(kt->qsv, RTE_QSBR_THRID_INVALID);
		rec_destroy(kt, old);
	}
	kt->st.replaced++;
	return 1;
}

static int del_sig(struct keytab *kt, const uint8_t cga[16], hash_sig_t sig)
{
	/* With RCU configured, rte_hash defers the slot and calls hash_free_cb with the data. */
	int rc = rte_hash_del_key_with_hash(kt->h, cga, sig);

	if (rc < 0)
		return -ENOENT;
	kt->st.live--;
	return 0;
}

int keytab_del(struct keytab *kt, const uint8_t cga[16])
{
	int rc = del_sig(kt, cga, rte_hash_hash(kt->h, cga));

	if (rc == 0)
		kt->st.deleted++;
	return rc;
}

int keytab_binding(struct keytab *kt, const uint8_t cga[16], bool live, uint64_t end)
{
	void *data = NULL;
	struct keytab_rec *r;

	if (rte_hash_lookup_data(kt->h, cga, &data) < 0)
		return -ENOENT;
	r = data;
	if (!live) {
		/* A13: the forwarding this key set up is over: discard the key now */
		__atomic_store_n(&r->expires, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&r->binding_live, 0, __ATOMIC_RELAXED);
		return keytab_del(kt, cga);
	}
	__atomic_store_n(&r->expires, end < r->hk_expires ? end : r->hk_expires, __ATOMIC_RELAXED);
	__atomic_store_n(&r->binding_live, 1, __ATOMIC_RELAXED);
	return 0;
}

unsigned keytab_sweep(struct keytab *kt, uint64_t now, unsigned max_work)
{
	unsigned seen = 0, removed = 0;
	const void *key;
	void *data;

	if (max_work == 0)
		max_work = kt->sweep_batch;
	while (seen < max_work) {
		struct keytab_rec *r;
		int32_t pos = rte_hash_iterate(kt->h, &key, &data, &kt->iter);
		if (pos < 0) {
			kt->iter = 0; /* wrapped: next call starts over */
			break;
		}
		seen++;
		r = data;
		if (now >= __atomic_load_n(&r->expires, __ATOMIC_RELAXED) &&
		    del_sig(kt, r->cga, rte_hash_hash(kt->h, r->cga)) == 0) {
			kt->st.expired++;
			removed++;
		}
	}
	/* replaced records whose grace period is over */
	rte_rcu_qsbr_dq_reclaim(kt->dq, max_work, NULL, NULL, NULL);
	return removed;
}

void keytab_get_stats(const struct keytab *kt, struct keytab_stats *st)
{
	*st = kt->st;
}

unsigned keytab_lookup_bulk(const struct keytab *kt, const uint8_t *const cgas[],
			    const hash_sig_t sigs[], unsigned n, struct keytab_rec *recs[])
{
	uint64_t hits = 0;
	int found;

	if (n == 0)
		return 0;
	if (n > RTE_HASH_LOOKUP_BULK_MAX)
		n = RTE_HASH_LOOKUP_BULK_MAX;
	found = rte_hash_lookup_with_hash_bulk_data(kt->h, (const void **)(uintptr_t)cgas,
						    (hash_sig_t *)(uintptr_t)sigs, n, &hits,
						    (void **)recs);
	if (found <= 0) {
		for (unsigned i = 0; i < n; i++)
			recs[i] = NULL;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		if (hits & (1ull << i))
			rte_prefetch0(recs[i]);
		else
			recs[i] = NULL;
	}
	return (unsigned)found;
}
