/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab — see keytab.h.  The table, its writer and its readers; the records' memory is
 * keytab_mem.c.  The fast path only reads records (and CASes last_seq).
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
#include "keytab_priv.h"

const struct rte_hash *keytab_hash_table(const struct keytab *kt)
{
	return kt->h;
}

uint32_t keytab_capacity(const struct keytab *kt)
{
	return kt->capacity;
}

/* Statistics are written by the single writer and read by telemetry: relaxed atomics. */
#define ST_ADD(kt, f, v) __atomic_store_n(&(kt)->st.f, (kt)->st.f + (v), __ATOMIC_RELAXED)
#define ST_INC(kt, f)	 ST_ADD(kt, f, 1)

static void rec_destroy(struct keytab *kt, struct keytab_rec *r)
{
	keytab_rec_zero_free(kt, r);
	ST_INC(kt, freed);
}

/* Defer queue callback: the grace period of these records (and key slots) is over. */
static void dq_free_cb(void *p, void *e, unsigned int n)
{
	struct keytab *kt = p;
	struct keytab_dead *d = e;

	for (unsigned int i = 0; i < n; i++) {
		if (d[i].pos >= 0)
			rte_hash_free_key_with_position(kt->h, d[i].pos);
		rec_destroy(kt, d[i].rec);
	}
}

/* Free rec (and key slot pos, if >= 0) once no reader can hold it. */
static void defer_free(struct keytab *kt, struct keytab_rec *rec, int32_t pos)
{
	struct keytab_dead d = { rec, pos };

	if (rte_rcu_qsbr_dq_enqueue(kt->dq, &d) != 0) {
		/* queue full even after reclaiming: wait for the readers instead */
		rte_rcu_qsbr_synchronize(kt->qsv, RTE_QSBR_THRID_INVALID);
		dq_free_cb(kt, &d, 1);
	}
}

int keytab_create(const struct keytab_cfg *cfg, struct keytab **out)
{
	char name[RTE_HASH_NAMESIZE];
	struct rte_hash_parameters hp = { 0 };
	struct rte_rcu_qsbr_dq_parameters dp = { 0 };
	struct keytab *kt;
	uint32_t headroom;
	int rc = 0;

	*out = NULL;
	rte_errno = 0;
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
	/*
	 * Key slots: the capacity plus headroom for deleted keys whose slot waits for its grace
	 * period (a worker mid-burst must not make adds fail below capacity).  The capacity
	 * itself is enforced by the live count.
	 */
	headroom = cfg->capacity / 8 > 64 ? cfg->capacity / 8 : 64;
	hp.entries = cfg->capacity + headroom;
	hp.key_len = 16;
	hp.hash_func = rte_jhash;
	/* a seed the peers cannot guess, against bucket flooding with chosen addresses */
	hp.hash_func_init_val = cfg->hash_seed ? cfg->hash_seed : (uint32_t)rte_rand();
	hp.socket_id = cfg->socket_id;
	/* LF readers; with no integrated RCU a delete leaves the key slot allocated until
	 * rte_hash_free_key_with_position(), which our defer queue calls (keytab_dead). */
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	kt->h = rte_hash_create(&hp);
	if (kt->h == NULL)
		goto fail;
	/* records: every live key, and as many again as the slot headroom for records in their
	 * grace period (rec_alloc() waits for the readers when even that runs out) */
	rc = keytab_pool_create(kt, cfg, hp.entries + headroom);
	if (rc != 0)
		goto fail;

	snprintf(name, sizeof(name), "%s_rq", cfg->name);
	dp.name = name;
	dp.size = hp.entries; /* every slot could be dead at once */
	dp.esize = sizeof(struct keytab_dead);
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
	keytab_pool_free(kt);
	if (kt->h != NULL)
		rte_hash_free(kt->h);
	free(kt);
	if (rc != 0)
		return rc;
	return rte_errno ? -rte_errno : -ENOMEM;
}

void keytab_free(struct keytab *kt)
{
	const void *key;
	void *data;
	uint32_t it = 0;

	if (kt == NULL)
		return;
	/*
	 * The readers are offline (the contract): every pending record is past its grace period
	 * and dq_delete reclaims it.  No rte_rcu_qsbr_synchronize() here: a caller that is itself
	 * a registered, online reader would wait forever; if a reader is still online the queue
	 * is left as it is rather than freed under it.
	 */
	rte_rcu_qsbr_dq_delete(kt->dq);
	while (rte_hash_iterate(kt->h, &key, &data, &it) >= 0)
		rec_destroy(kt, keytab_data_rec(data));
	rte_hash_free(kt->h);
	keytab_pool_free(kt);
	free(kt);
}

const struct keytab_rec *keytab_find(const struct keytab *kt, const uint8_t cga[16])
{
	void *data = NULL;

	if (rte_hash_lookup_data(kt->h, cga, &data) < 0)
		return NULL;
	return keytab_data_rec(data);
}

int keytab_iterate(const struct keytab *kt, uint32_t *next, const struct keytab_rec **rec)
{
	const void *key;
	void *data;

	if (rte_hash_iterate(kt->h, &key, &data, next) < 0)
		return 0;
	*rec = keytab_data_rec(data);
	return 1;
}

int keytab_add(struct keytab *kt, const uint8_t cga[16], uint8_t at, const uint8_t *key,
	       size_t key_len, const uint8_t pk_sha1[20], uint64_t now, uint64_t lifetime)
{
	hash_sig_t sig = rte_hash_hash(kt->h, cga);
	struct keytab_rec *r, *o;
	void *old = NULL;
	int rc;

	if (key_len == 0 || key_len > KEYTAB_KEY_MAX) {
		ST_INC(kt, errors);
		return -EINVAL;
	}
	if (rte_hash_lookup_with_hash_data(kt->h, cga, sig, &old) < 0)
		old = NULL;
	old = old != NULL ? keytab_data_rec(old) : NULL;
	if (old == NULL && kt->st.live >= kt->capacity) {
		ST_INC(kt, full);
		return -ENOSPC;
	}
	r = keytab_rec_alloc(kt);
	if (r == NULL) {
		ST_INC(kt, errors);
		return -ENOMEM;
	}
	rc = mac_key_init(kt->mac, &r->mac, at, key, key_len);
	if (rc != 0) {
		keytab_rec_zero_free(kt, r);
		ST_INC(kt, errors);
		return rc;
	}
	memcpy(r->cga, cga, 16);
	memcpy(r->pk_sha1, pk_sha1, 20);
	r->at = at;
	r->key_len = (uint8_t)key_len;
	memcpy(r->key, key, key_len);
	r->issued = now;
	r->hk_expires = lifetime > UINT64_MAX - now ? UINT64_MAX : now + lifetime;
	r->expires = r->hk_expires;
	o = old;
	if (o != NULL)
		r->last_seq = __atomic_load_n(&o->last_seq, __ATOMIC_RELAXED);

	/* Publishes r (release store of the data pointer, or of the new key slot). */
	rc = rte_hash_add_key_with_hash_data(kt->h, cga, sig, keytab_rec_tag(r));
	if (rc == -ENOSPC) {
		/* slots of deleted keys may be past their grace period now */
		rte_rcu_qsbr_dq_reclaim(kt->dq, UINT32_MAX, NULL, NULL, NULL);
		rc = rte_hash_add_key_with_hash_data(kt->h, cga, sig, keytab_rec_tag(r));
	}
	if (rc != 0) {
		keytab_rec_zero_free(kt, r); /* never published */
		if (rc == -ENOSPC) {
			ST_INC(kt, full); /* every spare slot still in its grace period */
			return -ENOSPC;
		}
		ST_INC(kt, errors);
		return rc;
	}
	if (o == NULL) {
		ST_INC(kt, added);
		ST_INC(kt, live);
		return 0;
	}
	/* A14: a worker holding the old record may have accepted a newer sequence since it was
	 * copied: keep the newer of the two. */
	for (uint32_t seen = __atomic_load_n(&o->last_seq, __ATOMIC_RELAXED);;) {
		uint32_t cur = __atomic_load_n(&r->last_seq, __ATOMIC_RELAXED);
		uint16_t d = (uint16_t)((uint16_t)seen - (uint16_t)cur);
		if (!(seen & 0x10000u) || ((cur & 0x10000u) && (d == 0 || d >= 0x8000u)) ||
		    __atomic_compare_exchange_n(&r->last_seq, &cur, seen, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			break;
	}
	/* The old record may still be held by a reader: free it after the grace period. */
	defer_free(kt, o, -1);
	ST_INC(kt, replaced);
	return 1;
}

static int del_sig(struct keytab *kt, const uint8_t cga[16], hash_sig_t sig)
{
	void *data = NULL;
	int32_t pos;

	if (rte_hash_lookup_with_hash_data(kt->h, cga, sig, &data) < 0)
		return -ENOENT;
	/* LF without integrated RCU: the slot stays allocated; record and slot are freed
	 * together after the grace period. */
	pos = rte_hash_del_key_with_hash(kt->h, cga, sig);
	if (pos < 0)
		return -ENOENT;
	defer_free(kt, keytab_data_rec(data), pos);
	ST_ADD(kt, live, -1);
	return 0;
}

int keytab_del(struct keytab *kt, const uint8_t cga[16])
{
	int rc = del_sig(kt, cga, rte_hash_hash(kt->h, cga));

	if (rc == 0)
		ST_INC(kt, deleted);
	return rc;
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
		r = keytab_data_rec(data);
		if (now >= __atomic_load_n(&r->expires, __ATOMIC_RELAXED) &&
		    del_sig(kt, r->cga, rte_hash_hash(kt->h, r->cga)) == 0) {
			ST_INC(kt, expired);
			removed++;
		}
	}
	/* replaced and deleted records (and key slots) whose grace period is over */
	rte_rcu_qsbr_dq_reclaim(kt->dq, max_work, NULL, NULL, NULL);
	return removed;
}

void keytab_get_stats(const struct keytab *kt, struct keytab_stats *st)
{
	st->added = __atomic_load_n(&kt->st.added, __ATOMIC_RELAXED);
	st->replaced = __atomic_load_n(&kt->st.replaced, __ATOMIC_RELAXED);
	st->deleted = __atomic_load_n(&kt->st.deleted, __ATOMIC_RELAXED);
	st->expired = __atomic_load_n(&kt->st.expired, __ATOMIC_RELAXED);
	st->full = __atomic_load_n(&kt->st.full, __ATOMIC_RELAXED);
	st->errors = __atomic_load_n(&kt->st.errors, __ATOMIC_RELAXED);
	st->freed = __atomic_load_n(&kt->st.freed, __ATOMIC_RELAXED);
	st->live = __atomic_load_n(&kt->st.live, __ATOMIC_RELAXED);
}

unsigned keytab_lookup_bulk(const struct keytab *kt, const uint8_t *const cgas[],
			    const hash_sig_t sigs[], unsigned n, struct keytab_rec *recs[])
{
	uint64_t hits = 0;
	int found;

	if (n == 0)
		return 0;
	if (n > RTE_HASH_LOOKUP_BULK_MAX) {
		for (unsigned i = RTE_HASH_LOOKUP_BULK_MAX; i < n; i++)
			recs[i] = NULL;
		n = RTE_HASH_LOOKUP_BULK_MAX;
	}
	found = rte_hash_lookup_with_hash_bulk_data(kt->h, (const void **)(uintptr_t)cgas,
						    (hash_sig_t *)(uintptr_t)sigs, n, &hits,
						    (void **)recs);
	if (found <= 0) {
		for (unsigned i = 0; i < n; i++)
			recs[i] = NULL;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		if (hits & (1ull << i)) {
			recs[i] = keytab_data_rec(recs[i]);
			rte_prefetch0(recs[i]);
		} else {
			recs[i] = NULL;
		}
	}
	return (unsigned)found;
}

_Static_assert(KEYTAB_BATCH_MAX == RTE_HASH_LOOKUP_BULK_MAX, "one bulk call per batch");

unsigned keytab_batch_lookup(const struct keytab *kt, struct keytab_batch *b)
{
	void *data[KEYTAB_BATCH_MAX];
	uint64_t hits = 0;
	int found = 0;

	if (b->n != 0)
		found = rte_hash_lookup_with_hash_bulk_data(kt->h, (const void **)b->keys, b->sigs,
							    b->n, &hits, data);
	if (found <= 0)
		hits = 0;
	for (unsigned i = 0; i < b->n; i++) {
		if (hits & (1ull << i)) {
			/* line 0 (the HMAC states) is all the MAC check reads, the AT is in the
			 * pointer; line 2 holds what the accept step reads and CASes (A13/A14) */
			b->recs[i] = keytab_data_rec(data[i]);
			b->at[i] = keytab_data_at(data[i]);
			rte_prefetch0(b->recs[i]);
			rte_prefetch0_write((const uint8_t *)b->recs[i] + 128);
		} else {
			b->recs[i] = NULL;
			b->at[i] = 0;
		}
	}
	b->hits = hits;
	b->found = (uint32_t)__builtin_popcountll(hits);
	return b->found;
}
