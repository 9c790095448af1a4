/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the neighbour table: records, the held-packet queues and RFC 4861 input (NA,
 * NS SLLA).  The timers are in neigh_timer.c.  See neigh.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* rcuhash callback: this removed record's grace period is over (records are never replaced). */
static void rec_free_cb(void *arg, void *data, bool deleted)
{
	struct neigh_table *t = arg;
	struct neigh_rec *r = data;

	(void)deleted;
	memset(r, 0, sizeof(*r)); /* a late reader sees state NONE */
	free(r);
	NST_INC(t, freed);
}

int neigh_create(const struct neigh_cfg *cfg, struct neigh_table **out)
{
	struct rcuhash_cfg hc = { 0 };
	struct neigh_table *t;
	uint32_t headroom;
	int rc;

	*out = NULL;
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
	hc.name = cfg->name;
	hc.entries = cfg->capacity + headroom;
	hc.key_len = sizeof(struct neigh_key);
	hc.seed = 0; /* random, against bucket flooding */
	hc.socket_id = cfg->socket_id;
	hc.qsv = cfg->qsv;
	hc.free_fn = rec_free_cb;
	hc.arg = t;
	rc = rcuhash_create(&hc, &t->rh);
	if (rc != 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void neigh_free(struct neigh_table *t)
{
	const void *key;
	void *data;
	uint32_t it = 0;

	if (t == NULL)
		return;
	while (rcuhash_iterate(t->rh, &key, &data, &it) >= 0) {
		struct neigh_rec *r = data;
		neigh_q_drop(t, r);
		free(r);
	}
	rcuhash_free(t->rh); /* readers offline: reclaims everything pending (rec_free_cb) */
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
	return rcuhash_find(t->rh, k, rcuhash_sig(t->rh, k));
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
	/* on a full hash, rcuhash reclaims the slots past their grace period and tries again */
	if (rcuhash_publish(t->rh, k, rcuhash_sig(t->rh, k), r, NULL) != 0) {
		free(r);
		NST_INC(t, full);
		return NULL;
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
	neigh_q_drop(t, r);
	if (r->state == NEIGH_STATIC)
		NST_SET(t, statics, t->st.statics - 1);
	else
		TAILQ_REMOVE(&t->dyn, r, link);
	NST_SET(t, live, t->st.live - 1);
	/* freed by rec_free_cb after the grace period */
	if (rcuhash_remove(t->rh, &r->key, rcuhash_sig(t->rh, &r->key), NULL) != 0)
		free(r); /* not in the hash (cannot happen): no reader can hold it */
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

	while (rcuhash_iterate(t->rh, &key, &data, &it) >= 0) {
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
	return rcuhash_lookup_bulk(t->rh, (const void *const *)keys, NULL, n, (void **)ents);
}
