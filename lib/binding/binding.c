/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding — the binding cache's writer side (see binding.h): record pool, counter slots,
 * install / replace / activate / teardown / delete, the expiry sweep.  The rte_hash + RCU
 * part is lib/rcuhash, the readers' side binding_read.c.  Pools and free lists are touched by the
 * writer only (and by the defer queue's callback, which runs on the writer).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "binding_priv.h"

/* Statistics are written by the single writer and read by telemetry: relaxed atomics. */
#define ST_ADD(bt, f, v) __atomic_store_n(&(bt)->st.f, (bt)->st.f + (v), __ATOMIC_RELAXED)
#define ST_INC(bt, f)	 ST_ADD(bt, f, 1)

static const char *const rc_text[] = { "ok",	     "stale sequence",	 "table full",
				       "no binding", "invalid argument", "internal error" };

const char *binding_strerror(int rc)
{
	if (rc == BINDING_REPLACED)
		return "replaced";
	if (rc > 0 || -rc >= (int)RTE_DIM(rc_text))
		return "unknown";
	return rc_text[-rc];
}

/* RFC 3775 §9.5.1: a is newer than b modulo 2^16 (A14). */
static inline bool seq_newer(uint16_t a, uint16_t b)
{
	uint16_t d = (uint16_t)(a - b);

	return d != 0 && d < 0x8000u;
}

static int stack_init(struct idx_stack *s, uint32_t n)
{
	s->v = malloc((size_t)n * sizeof(*s->v));
	if (s->v == NULL)
		return -ENOMEM;
	/* pop order 0, 1, 2, ...: the low indices (and counter lines) are used first */
	for (uint32_t i = 0; i < n; i++)
		s->v[i] = n - 1 - i;
	s->n = s->cap = n;
	return 0;
}

static inline bool stack_pop(struct idx_stack *s, uint32_t *i)
{
	if (s->n == 0)
		return false;
	*i = s->v[--s->n];
	return true;
}

static inline void stack_push(struct idx_stack *s, uint32_t i)
{
	s->v[s->n++] = i; /* never overflows: every index is pushed once after a pop */
}

/* rcuhash callback: the grace period of r is over.  A removed binding also gives back its
 * counter slot, zeroed in every worker's array (no worker can hold it any more). */
static void rec_free_cb(void *arg, void *data, bool deleted)
{
	struct binding_table *bt = arg;
	struct binding_rec *r = data;
	uint32_t idx = r->idx, slot = r->slot;

	if (deleted) {
		for (unsigned w = 0; w < bt->n_workers; w++)
			memset(ctr_at(bt, w, slot), 0, sizeof(struct binding_ctr));
		stack_push(&bt->free_slot, slot);
	}
	memset(r, 0, sizeof(*r));
	stack_push(&bt->free_rec, idx);
	ST_INC(bt, freed);
}

int binding_create(const struct binding_cfg *cfg, struct binding_table **out)
{
	struct rcuhash_cfg hc = { 0 };
	struct binding_table *bt;
	uint32_t headroom, entries, n_rec;
	int rc = -ENOMEM;

	*out = NULL;
	if (cfg->capacity == 0 || cfg->capacity > (1u << 28) || cfg->n_workers == 0 ||
	    cfg->n_workers > RTE_MAX_LCORE || cfg->qsv == NULL || cfg->name == NULL)
		return -EINVAL;
	bt = calloc(1, sizeof(*bt));
	if (bt == NULL)
		return -ENOMEM;
	/* headroom for removed bindings whose key slot and counter slot wait for their grace
	 * period, and again for replaced records waiting for theirs */
	headroom = RTE_MAX(cfg->capacity / 8, 64u);
	entries = cfg->capacity + headroom;
	n_rec = entries + headroom;
	bt->capacity = cfg->capacity;
	bt->n_workers = cfg->n_workers;
	bt->sweep_batch = cfg->sweep_batch ? cfg->sweep_batch : 1024;
	bt->on_end = cfg->on_end;
	bt->on_end_arg = cfg->on_end_arg;
	/* a worker's array starts on a cache line of its own (2 counters per line) */
	bt->ctr_stride = RTE_ALIGN_CEIL(entries, RTE_CACHE_LINE_SIZE / sizeof(struct binding_ctr));
	bt->recs = rte_zmalloc_socket("binding_recs", (size_t)n_rec * sizeof(*bt->recs),
				      RTE_CACHE_LINE_SIZE, cfg->socket_id);
	bt->ctr = rte_zmalloc_socket("binding_ctr",
				     (size_t)bt->n_workers * bt->ctr_stride * sizeof(*bt->ctr),
				     RTE_CACHE_LINE_SIZE, cfg->socket_id);
	if (bt->recs == NULL || bt->ctr == NULL || stack_init(&bt->free_rec, n_rec) != 0 ||
	    stack_init(&bt->free_slot, entries) != 0)
		goto fail;
	hc.name = cfg->name;
	hc.entries = entries;
	hc.key_len = 16;
	hc.dq_size = n_rec; /* every record could be waiting at once */
	hc.seed = cfg->hash_seed;
	hc.socket_id = cfg->socket_id;
	hc.qsv = cfg->qsv;
	hc.free_fn = rec_free_cb;
	hc.arg = bt;
	rc = rcuhash_create(&hc, &bt->rh);
	if (rc != 0)
		goto fail;
	*out = bt;
	return 0;
fail:
	free(bt->free_rec.v);
	free(bt->free_slot.v);
	rte_free(bt->recs);
	rte_free(bt->ctr);
	free(bt);
	return rc;
}

void binding_free(struct binding_table *bt)
{
	if (bt == NULL)
		return;
	rcuhash_free(bt->rh); /* pending records go through rec_free_cb */
	memset(bt->recs, 0, (size_t)bt->free_rec.cap * sizeof(*bt->recs));
	rte_free(bt->recs);
	rte_free(bt->ctr);
	free(bt->free_rec.v);
	free(bt->free_slot.v);
	free(bt);
}

uint32_t binding_capacity(const struct binding_table *bt)
{
	return bt->capacity;
}

uint32_t binding_count(const struct binding_table *bt)
{
	return __atomic_load_n(&bt->st.live, __ATOMIC_RELAXED);
}

const struct rte_hash *binding_hash_table(const struct binding_table *bt)
{
	return rcuhash_table(bt->rh);
}

void binding_get_stats(const struct binding_table *bt, struct binding_stats *st)
{
#define LD(f) st->f = __atomic_load_n(&bt->st.f, __ATOMIC_RELAXED)
	LD(added);
	LD(replaced);
	LD(activated);
	LD(torn_down);
	LD(deleted);
	LD(expired);
	LD(stale);
	LD(full);
	LD(errors);
	LD(freed);
	LD(live);
#undef LD
}

/* A record from the pool: when it is empty, reclaim what the grace period allows, then wait
 * for the readers (the writer is never one) and reclaim the rest. */
static struct binding_rec *rec_alloc(struct binding_table *bt)
{
	uint32_t i;

	if (!stack_pop(&bt->free_rec, &i)) {
		rcuhash_reclaim(bt->rh, UINT32_MAX);
		if (!stack_pop(&bt->free_rec, &i)) {
			rcuhash_barrier(bt->rh);
			if (!stack_pop(&bt->free_rec, &i))
				return NULL; /* cannot happen: live records < pool size */
		}
	}
	bt->recs[i].idx = i;
	return &bt->recs[i];
}

/* A record that was never published goes straight back. */
static void rec_unused(struct binding_table *bt, struct binding_rec *r)
{
	uint32_t idx = r->idx;

	memset(r, 0, sizeof(*r));
	stack_push(&bt->free_rec, idx);
}

/* A copy of what on_end reports, taken before the record can be freed. */
struct end_note {
	uint8_t pcoa[16], ncoa[16];
	uintptr_t key_ref;
	uint16_t seq;
};

static void note_take(struct end_note *n, const struct binding_rec *r)
{
	memcpy(n->pcoa, r->pcoa, 16);
	memcpy(n->ncoa, r->ncoa, 16);
	n->key_ref = r->key_ref;
	n->seq = r->seq;
}

static void note_report(const struct binding_table *bt, const struct end_note *n,
			enum binding_end_reason why)
{
	struct binding_end e = { n->pcoa, n->ncoa, n->key_ref, n->seq, why };

	if (bt->on_end != NULL)
		bt->on_end(bt->on_end_arg, &e);
}

/* Publish r (filled, slot set) over old (or as a new key).  BINDING_OK / REPLACED, or an
 * error with r (and a new slot) given back. */
static int publish(struct binding_table *bt, struct binding_rec *r, hash_sig_t sig,
		   struct binding_rec *old)
{
	int rc = rcuhash_publish(bt->rh, r->pcoa, sig, r, old);

	if (rc >= 0)
		return rc == 0 ? BINDING_OK : BINDING_REPLACED;
	if (old == NULL)
		stack_push(&bt->free_slot, r->slot);
	rec_unused(bt, r);
	if (rc == -ENOSPC) {
		ST_INC(bt, full); /* every spare key slot still in its grace period */
		return BINDING_E_FULL;
	}
	ST_INC(bt, errors);
	return BINDING_E_INTERNAL;
}

static bool spec_ok(const struct binding_spec *s)
{
	return s->pcoa && s->ncoa && s->par && s->tun_src && s->lifetime != 0 &&
	       (s->state == BINDING_PENDING || s->state == BINDING_ACTIVE);
}

/* A counter slot for a new PCoA (reclaiming if none is free). */
static bool slot_alloc(struct binding_table *bt, uint32_t *slot)
{
	if (stack_pop(&bt->free_slot, slot))
		return true;
	rcuhash_reclaim(bt->rh, UINT32_MAX);
	return stack_pop(&bt->free_slot, slot);
}

static void rec_fill(struct binding_rec *r, const struct binding_spec *s, uint32_t slot)
{
	memcpy(r->pcoa, s->pcoa, 16);
	memcpy(r->ncoa, s->ncoa, 16);
	memcpy(r->par, s->par, 16);
	memcpy(r->tun_src, s->tun_src, 16);
	r->seq = s->seq;
	r->lifetime = s->lifetime;
	r->expires = s->expires;
	r->state = s->state;
	r->key_ref = s->key_ref;
	r->user = s->user;
	r->slot = slot;
}

int binding_install(struct binding_table *bt, const struct binding_spec *s)
{
	struct binding_rec *r, *old;
	struct end_note prev;
	hash_sig_t sig;
	uint32_t slot;
	int rc;

	if (!spec_ok(s)) {
		ST_INC(bt, errors);
		return BINDING_E_INVAL;
	}
	sig = rte_hash_hash(rcuhash_table(bt->rh), s->pcoa);
	old = rcuhash_find(bt->rh, s->pcoa, sig);
	if (old != NULL) {
		if (!seq_newer(s->seq, old->seq)) {
			ST_INC(bt, stale);
			return BINDING_E_STALE;
		}
		slot = old->slot; /* the counters carry on */
		note_take(&prev, old);
	} else if (bt->st.live >= bt->capacity || !slot_alloc(bt, &slot)) {
		ST_INC(bt, full);
		return BINDING_E_FULL;
	}
	r = rec_alloc(bt);
	if (r == NULL) {
		if (old == NULL)
			stack_push(&bt->free_slot, slot);
		ST_INC(bt, errors);
		return BINDING_E_INTERNAL;
	}
	rec_fill(r, s, slot);
	rc = publish(bt, r, sig, old);
	if (rc == BINDING_OK) {
		ST_INC(bt, added);
		ST_INC(bt, live);
	} else if (rc == BINDING_REPLACED) {
		ST_INC(bt, replaced);
		if (prev.key_ref != s->key_ref)
			note_report(bt, &prev, BINDING_END_REKEYED);
	}
	return rc;
}

int binding_activate(struct binding_table *bt, const uint8_t pcoa[16], uint16_t seq,
		     const uint8_t *ncoa)
{
	hash_sig_t sig = rte_hash_hash(rcuhash_table(bt->rh), pcoa);
	struct binding_rec *old = rcuhash_find(bt->rh, pcoa, sig), *r;
	uint32_t idx;
	int rc;

	if (old == NULL)
		return BINDING_E_NOENT;
	if (old->seq != seq) {
		ST_INC(bt, stale);
		return BINDING_E_STALE;
	}
	r = rec_alloc(bt);
	if (r == NULL) {
		ST_INC(bt, errors);
		return BINDING_E_INTERNAL;
	}
	idx = r->idx;
	*r = *old; /* same PCoA, slot, sequence, lifetime and key */
	r->idx = idx;
	r->state = BINDING_ACTIVE;
	if (ncoa != NULL)
		memcpy(r->ncoa, ncoa, 16);
	rc = publish(bt, r, sig, old);
	if (rc != BINDING_REPLACED)
		return rc;
	ST_INC(bt, activated);
	return BINDING_OK;
}

/* Remove the binding (deferred free) and report why. */
static int remove_rec(struct binding_table *bt, const uint8_t pcoa[16], hash_sig_t sig,
		      const struct binding_rec *r, enum binding_end_reason why)
{
	struct end_note n;

	note_take(&n, r);
	if (rcuhash_remove(bt->rh, pcoa, sig, NULL) != 0)
		return BINDING_E_NOENT;
	ST_ADD(bt, live, -1);
	note_report(bt, &n, why);
	return BINDING_OK;
}

int binding_teardown(struct binding_table *bt, const uint8_t pcoa[16], uint16_t seq)
{
	hash_sig_t sig = rte_hash_hash(rcuhash_table(bt->rh), pcoa);
	const struct binding_rec *r = rcuhash_find(bt->rh, pcoa, sig);

	if (r == NULL)
		return BINDING_E_NOENT;
	if (!seq_newer(seq, r->seq)) {
		ST_INC(bt, stale);
		return BINDING_E_STALE;
	}
	if (remove_rec(bt, pcoa, sig, r, BINDING_END_TEARDOWN) != BINDING_OK)
		return BINDING_E_NOENT;
	ST_INC(bt, torn_down);
	return BINDING_OK;
}

int binding_delete(struct binding_table *bt, const uint8_t pcoa[16])
{
	hash_sig_t sig = rte_hash_hash(rcuhash_table(bt->rh), pcoa);
	const struct binding_rec *r = rcuhash_find(bt->rh, pcoa, sig);

	if (r == NULL || remove_rec(bt, pcoa, sig, r, BINDING_END_DELETED) != BINDING_OK)
		return BINDING_E_NOENT;
	ST_INC(bt, deleted);
	return BINDING_OK;
}

unsigned binding_sweep(struct binding_table *bt, uint64_t now, unsigned max_work)
{
	unsigned seen = 0, removed = 0;
	const void *key;
	void *data;

	if (max_work == 0)
		max_work = bt->sweep_batch;
	while (seen < max_work) {
		const struct binding_rec *r;

		if (rcuhash_iterate(bt->rh, &key, &data, &bt->iter) < 0) {
			bt->iter = 0; /* wrapped: the next call starts over */
			break;
		}
		seen++;
		r = data;
		if (now >= r->expires &&
		    remove_rec(bt, r->pcoa, rte_hash_hash(rcuhash_table(bt->rh), r->pcoa), r,
			       BINDING_END_EXPIRED) == BINDING_OK) {
			ST_INC(bt, expired);
			removed++;
		}
	}
	/* replaced and removed records whose grace period is over */
	rcuhash_reclaim(bt->rh, max_work);
	return removed;
}

const struct binding_rec *binding_find(const struct binding_table *bt, const uint8_t pcoa[16])
{
	return rcuhash_find(bt->rh, pcoa, rte_hash_hash(rcuhash_table(bt->rh), pcoa));
}

int binding_iterate(const struct binding_table *bt, uint32_t *it, const struct binding_rec **r)
{
	const void *key;
	void *data;

	if (rcuhash_iterate(bt->rh, &key, &data, it) < 0)
		return 0;
	*r = data;
	return 1;
}
