/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the neighbour table: records, the held-packet queues and RFC 4861 input (NA,
 * NS SLLA).  The timers are in neigh_timer.c.  See neigh.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_jhash.h>
#include <rte_random.h>

#include "neigh_priv.h"

static const char *const state_text[] = {
#define NEIGH_STATE_TEXT(n, s) s,
	NEIGH_STATES(NEIGH_STATE_TEXT)
#undef NEIGH_STATE_TEXT
};

const char *neigh_state_name(unsigned state)
{
	return state < NEIGH__COUNT ? state_text[state] : "unknown";
}

void neigh_cfg_defaults(struct neigh_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->capacity = 4096;
	cfg->queue_len = 3;
	cfg->retrans_ms = 1000;
	cfg->mcast_solicit = 3;
	cfg->ucast_solicit = 3;
	cfg->reachable_ms = 30000;
	cfg->delay_ms = 5000;
	cfg->stale_ms = 60000;
	cfg->failed_ms = 20000;
}

static void default_free(struct rte_mbuf *m, void *arg)
{
	(void)arg;
	rte_pktmbuf_free(m);
}

/* Defer queue callback: these records' grace period is over. */
static void dq_free_cb(void *p, void *e, unsigned int n)
{
	struct neigh_table *t = p;
	struct neigh_dead *d = e;

	for (unsigned int i = 0; i < n; i++) {
		rte_hash_free_key_with_position(t->h, d[i].pos);
		memset(d[i].rec, 0, sizeof(*d[i].rec)); /* a late reader sees state NONE */
		free(d[i].rec);
		NST_INC(t, freed);
	}
}

int neigh_create(const struct neigh_cfg *cfg, struct neigh_table **out)
{
	struct rte_hash_parameters hp = { 0 };
	struct rte_rcu_qsbr_dq_parameters dp = { 0 };
	char name[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct neigh_table *t;
	uint32_t headroom;

	*out = NULL;
	rte_errno = 0;
	if (cfg->name == NULL || cfg->capacity == 0 || cfg->qsv == NULL || cfg->retrans_ms == 0 ||
	    cfg->mcast_solicit == 0 || cfg->ucast_solicit == 0)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->cfg = *cfg;
	if (t->cfg.free_pkt == NULL)
		t->cfg.free_pkt = default_free;
	TAILQ_INIT(&t->dyn);
	/* key slots of removed entries stay allocated for their grace period */
	headroom = cfg->capacity / 8 > 64 ? cfg->capacity / 8 : 64;
	hp.name = cfg->name;
	hp.entries = cfg->capacity + headroom;
	hp.key_len = sizeof(struct neigh_key);
	hp.hash_func = rte_jhash;
	hp.hash_func_init_val = (uint32_t)rte_rand(); /* against bucket flooding */
	hp.socket_id = cfg->socket_id;
	hp.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF | RTE_HASH_EXTRA_FLAGS_EXT_TABLE;
	t->h = rte_hash_create(&hp);
	if (t->h == NULL)
		goto fail;
	snprintf(name, sizeof(name), "%s_rq", cfg->name);
	dp.name = name;
	dp.size = hp.entries;
	dp.esize = sizeof(struct neigh_dead);
	dp.trigger_reclaim_limit = 0;
	dp.max_reclaim_size = 32;
	dp.free_fn = dq_free_cb;
	dp.p = t;
	dp.v = cfg->qsv;
	t->dq = rte_rcu_qsbr_dq_create(&dp);
	if (t->dq == NULL)
		goto fail;
	*out = t;
	return 0;
fail:
	if (t->h)
		rte_hash_free(t->h);
	free(t);
	return rte_errno ? -rte_errno : -ENOMEM;
}

void neigh_free(struct neigh_table *t)
{
	const void *key;
	void *data;
	uint32_t it = 0;

	if (t == NULL)
		return;
	rte_rcu_qsbr_dq_delete(t->dq); /* readers offline: reclaims everything pending */
	while (rte_hash_iterate(t->h, &key, &data, &it) >= 0) {
		struct neigh_rec *r = data;
		neigh_q_drop(t, r);
		free(r);
	}
	rte_hash_free(t->h);
	free(t);
}

/* ---- records ------------------------------------------------------------------------------- */

void neigh_set(struct neigh_rec *r, unsigned state, const uint8_t *mac)
{
	uint8_t cur[6];

	if (mac == NULL) {
		neigh_word_mac(r->pub.word, cur);
		mac = cur;
	}
	r->state = (uint8_t)state;
	r->probes = 0;
	if (state == NEIGH_STALE)
		__atomic_store_n(&r->pub.used, 0, __ATOMIC_RELAXED);
	/* release: a reader that sees the state sees the address with it (one word) */
	__atomic_store_n(&r->pub.word, neigh_word(state, mac), __ATOMIC_RELEASE);
}

static struct neigh_rec *find(const struct neigh_table *t, const struct neigh_key *k)
{
	void *data;

	if (rte_hash_lookup_data(t->h, k, &data) < 0)
		return NULL;
	return data;
}

/* A new record in state (published at once); NULL when full (counted) or on error. */
static struct neigh_rec *rec_new(struct neigh_table *t, const struct neigh_key *k, unsigned state,
				 const uint8_t *mac)
{
	static const uint8_t zero[6];
	size_t sz = sizeof(struct neigh_rec) + t->cfg.queue_len * sizeof(struct rte_mbuf *);
	struct neigh_rec *r;

	if (t->st.live >= t->cfg.capacity) {
		NST_INC(t, full);
		return NULL;
	}
	r = aligned_alloc(64, (sz + 63) & ~(size_t)63);
	if (r == NULL)
		return NULL;
	memset(r, 0, sz);
	r->key = *k;
	neigh_set(r, state, mac ? mac : zero);
	if (rte_hash_add_key_data(t->h, k, r) != 0) {
		/* slots of removed keys may be past their grace period now */
		rte_rcu_qsbr_dq_reclaim(t->dq, UINT32_MAX, NULL, NULL, NULL);
		if (rte_hash_add_key_data(t->h, k, r) != 0) {
			free(r);
			NST_INC(t, full);
			return NULL;
		}
	}
	if (state != NEIGH_STATIC)
		TAILQ_INSERT_TAIL(&t->dyn, r, link);
	else
		NST_SET(t, statics, t->st.statics + 1);
	NST_SET(t, live, t->st.live + 1);
	return r;
}

void neigh_remove(struct neigh_table *t, struct neigh_rec *r)
{
	struct neigh_dead d;
	int32_t pos;

	neigh_q_drop(t, r);
	if (r->state == NEIGH_STATIC)
		NST_SET(t, statics, t->st.statics - 1);
	else
		TAILQ_REMOVE(&t->dyn, r, link);
	NST_SET(t, live, t->st.live - 1);
	pos = rte_hash_del_key(t->h, &r->key);
	d.rec = r;
	d.pos = pos;
	if (pos < 0) { /* not in the hash (cannot happen): no reader can hold it */
		free(r);
		return;
	}
	if (rte_rcu_qsbr_dq_enqueue(t->dq, &d) != 0) {
		rte_rcu_qsbr_synchronize(t->cfg.qsv, RTE_QSBR_THRID_INVALID);
		dq_free_cb(t, &d, 1);
	}
}

/* ---- held packets -------------------------------------------------------------------------- */

unsigned neigh_q_drop(struct neigh_table *t, struct neigh_rec *r)
{
	unsigned n = r->n_q;

	for (unsigned i = 0; i < n; i++)
		t->cfg.free_pkt(r->q[i], t->cfg.free_arg);
	r->n_q = 0;
	NST_ADD(t, drop_timeout, n);
	return n;
}

static void q_release(struct neigh_table *t, struct neigh_rec *r, struct rte_mbuf **out,
		      unsigned max_out, unsigned *n_out)
{
	unsigned i, k = 0;

	for (i = 0; i < r->n_q; i++) {
		if (out && k < max_out) {
			out[k++] = r->q[i];
		} else {
			t->cfg.free_pkt(r->q[i], t->cfg.free_arg);
			NST_INC(t, drop_queue_full);
		}
	}
	r->n_q = 0;
	NST_ADD(t, released, k);
	if (n_out)
		*n_out = k;
}

/* ---- configuration ------------------------------------------------------------------------- */

int neigh_add_static(struct neigh_table *t, const uint8_t addr[16], uint16_t port,
		     const uint8_t mac[6])
{
	struct neigh_key k;
	struct neigh_rec *r;

	neigh_key_make(&k, addr, port);
	r = find(t, &k);
	if (r == NULL)
		return rec_new(t, &k, NEIGH_STATIC, mac) ? 0 : -ENOSPC;
	neigh_q_drop(t, r);
	if (r->state != NEIGH_STATIC) {
		TAILQ_REMOVE(&t->dyn, r, link);
		NST_SET(t, statics, t->st.statics + 1);
	}
	neigh_set(r, NEIGH_STATIC, mac);
	r->due = 0;
	return 1;
}

int neigh_del(struct neigh_table *t, const uint8_t addr[16], uint16_t port)
{
	struct neigh_key k;
	struct neigh_rec *r;

	neigh_key_make(&k, addr, port);
	r = find(t, &k);
	if (r == NULL)
		return -ENOENT;
	neigh_remove(t, r);
	return 0;
}

/* ---- packets for unresolved neighbours ----------------------------------------------------- */

static enum neigh_verdict drop(struct neigh_table *t, struct rte_mbuf *m, enum neigh_verdict v)
{
	t->cfg.free_pkt(m, t->cfg.free_arg);
	if (v == NEIGH_V_DROP_QUEUE)
		NST_INC(t, drop_queue_full);
	else if (v == NEIGH_V_DROP_FAILED)
		NST_INC(t, drop_failed);
	else
		NST_INC(t, drop_table_full);
	return v;
}

enum neigh_verdict neigh_resolve(struct neigh_table *t, const uint8_t addr[16], uint16_t port,
				 struct rte_mbuf *m, uint64_t now, uint8_t mac[6])
{
	struct neigh_key k;
	struct neigh_rec *r;

	neigh_key_make(&k, addr, port);
	r = find(t, &k);
	if (r == NULL) {
		r = rec_new(t, &k, NEIGH_INCOMPLETE, NULL);
		if (r == NULL)
			return drop(t, m, NEIGH_V_DROP_FULL);
		r->due = now; /* the first NS on the next neigh_timer() */
		NST_INC(t, created);
	}
	if (neigh_state_usable(r->state)) {
		neigh_word_mac(r->pub.word, mac);
		if (r->state == NEIGH_STALE)
			__atomic_store_n(&r->pub.used, 1, __ATOMIC_RELAXED);
		return NEIGH_V_SEND;
	}
	if (r->state == NEIGH_FAILED)
		return drop(t, m, NEIGH_V_DROP_FAILED);
	if (r->n_q >= t->cfg.queue_len)
		return drop(t, m, NEIGH_V_DROP_QUEUE);
	r->q[r->n_q++] = m;
	NST_INC(t, queued);
	return NEIGH_V_QUEUED;
}

/* ---- NA / NS input (RFC 4861 §7.2.3, §7.2.5) ----------------------------------------------- */

static void confirm(const struct neigh_table *t, struct neigh_rec *r, const uint8_t *mac,
		    uint64_t now)
{
	neigh_set(r, NEIGH_REACHABLE, mac);
	r->due = now + t->cfg.reachable_ms;
}

static void go_stale(const struct neigh_table *t, struct neigh_rec *r, const uint8_t *mac,
		     uint64_t now)
{
	neigh_set(r, NEIGH_STALE, mac);
	r->due = now + t->cfg.stale_ms;
}

/* §7.2.5 for an entry that is not INCOMPLETE (nor STATIC). */
static void na_known(const struct neigh_table *t, struct neigh_rec *r, const uint8_t *lla,
		     unsigned flags, uint64_t now)
{
	uint8_t cur[6];
	bool differs;

	neigh_word_mac(r->pub.word, cur);
	differs = lla != NULL && memcmp(lla, cur, 6) != 0;
	if (!(flags & NEIGH_F_OVERRIDE) && differs) {
		/* not an override: keep the cached address; a REACHABLE entry becomes STALE */
		if (r->state == NEIGH_REACHABLE)
			go_stale(t, r, NULL, now);
		return;
	}
	if (flags & NEIGH_F_SOLICITED)
		confirm(t, r, differs ? lla : NULL, now);
	else if (differs)
		go_stale(t, r, lla, now);
}

int neigh_update(struct neigh_table *t, const uint8_t addr[16], uint16_t port, const uint8_t *lla,
		 unsigned flags, uint64_t now, struct rte_mbuf **out, unsigned max_out,
		 unsigned *n_out)
{
	struct neigh_key k;
	struct neigh_rec *r;

	if (n_out)
		*n_out = 0;
	neigh_key_make(&k, addr, port);
	r = find(t, &k);
	if (flags & NEIGH_F_NS) {
		if (lla == NULL)
			return r ? (int)r->state : -ENOENT;
		if (r == NULL) {
			r = rec_new(t, &k, NEIGH_STALE, lla);
			if (r == NULL)
				return -ENOSPC;
			r->due = now + t->cfg.stale_ms;
			NST_INC(t, learned);
			return NEIGH_STALE;
		}
		flags = NEIGH_F_OVERRIDE; /* §7.2.3: a different address makes it STALE */
	}
	if (r == NULL || r->state == NEIGH_STATIC ||
	    (r->state == NEIGH_INCOMPLETE && lla == NULL)) {
		NST_INC(t, na_ignored);
		return r ? (int)r->state : -ENOENT;
	}
	if (r->state == NEIGH_INCOMPLETE || r->state == NEIGH_FAILED) {
		if (lla == NULL) {
			NST_INC(t, na_ignored);
			return r->state;
		}
		if (r->state == NEIGH_INCOMPLETE)
			NST_INC(t, resolved);
		if (flags & NEIGH_F_SOLICITED)
			confirm(t, r, lla, now);
		else
			go_stale(t, r, lla, now);
		q_release(t, r, out, max_out, n_out);
		return r->state;
	}
	na_known(t, r, lla, flags, now);
	return r->state;
}

/* ---- writer-side views --------------------------------------------------------------------- */

static void info_of(const struct neigh_rec *r, struct neigh_info *info)
{
	info->state = r->state;
	neigh_word_mac(r->pub.word, info->mac);
	info->held = r->n_q;
	info->probes = r->probes;
	info->due = r->due;
}

int neigh_get(const struct neigh_table *t, const uint8_t addr[16], uint16_t port,
	      struct neigh_info *info)
{
	struct neigh_key k;
	const struct neigh_rec *r;

	neigh_key_make(&k, addr, port);
	r = find(t, &k);
	if (r == NULL)
		return -ENOENT;
	info_of(r, info);
	return 0;
}

int neigh_walk(const struct neigh_table *t,
	       int (*fn)(const struct neigh_key *k, const struct neigh_info *info, void *arg),
	       void *arg)
{
	const void *key;
	void *data;
	uint32_t it = 0;
	int rc;

	while (rte_hash_iterate(t->h, &key, &data, &it) >= 0) {
		struct neigh_info info;
		const struct neigh_rec *r = data;

		info_of(r, &info);
		if ((rc = fn(&r->key, &info, arg)) != 0)
			return rc;
	}
	return 0;
}

_Static_assert(offsetof(struct neigh_stats, live) == 17 * sizeof(uint64_t),
	       "neigh_get_stats copies the uint64_t counters before `live` as an array");

void neigh_get_stats(const struct neigh_table *t, struct neigh_stats *st)
{
	uint64_t *dst = (uint64_t *)st;
	const uint64_t *src = (const uint64_t *)&t->st;

	/* every uint64_t counter, then the two gauges */
	for (size_t i = 0; i < offsetof(struct neigh_stats, live) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	st->live = __atomic_load_n(&t->st.live, __ATOMIC_RELAXED);
	st->statics = __atomic_load_n(&t->st.statics, __ATOMIC_RELAXED);
}

/* ---- readers ------------------------------------------------------------------------------- */

unsigned neigh_lookup_bulk(const struct neigh_table *t, const struct neigh_key *const keys[],
			   unsigned n, struct neigh_entry *ents[])
{
	uint64_t hits = 0;
	int found;

	if (n == 0)
		return 0;
	if (n > RTE_HASH_LOOKUP_BULK_MAX) {
		for (unsigned i = RTE_HASH_LOOKUP_BULK_MAX; i < n; i++)
			ents[i] = NULL;
		n = RTE_HASH_LOOKUP_BULK_MAX;
	}
	found = rte_hash_lookup_bulk_data(t->h, (const void **)(uintptr_t)keys, n, &hits,
					  (void **)ents);
	for (unsigned i = 0; i < n; i++)
		if (found <= 0 || !(hits & (1ull << i)))
			ents[i] = NULL;
	return found > 0 ? (unsigned)found : 0;
}
