/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the FIB: building a complete rte_lpm6 + next-hop array aside, publishing it
 * with one pointer store, freeing the old one after the workers' grace period.  See route.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_jhash.h>
#include <rte_lpm6.h>
#include <rte_rcu_qsbr.h>

#include "route.h"

#define ROUTE_DQ_SIZE 2 /* old FIBs waiting for their grace period (64 MiB of tbl24 each) */

struct route_table {
	struct route_fib *cur; /* (atomic) what readers see */
	struct rte_rcu_qsbr *qsv;
	struct rte_rcu_qsbr_dq *dq;
	struct route_table_cfg cfg;
	char name[16];
	uint32_t seq; /* makes rte_lpm6 / rte_hash names unique */
	uint64_t gen;
	struct route_stats st;
};

/* Statistics: written by the single writer, read by telemetry (relaxed atomics). */
#define ST_SET(t, f, v) __atomic_store_n(&(t)->st.f, (v), __ATOMIC_RELAXED)
#define ST_INC(t, f)	ST_SET(t, f, (t)->st.f + 1)

static int fail(struct route_err *err, int index, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct route_err *err, int index, int rc, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->index = index;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return rc;
}

static void fib_free(struct route_fib *f)
{
	if (f == NULL)
		return;
	rte_lpm6_free(f->lpm);
	if (f->nh) {
		/* a reader past its grace period would see port 0 / zero flags, never a live
		 * next hop (and ASan catches it outright) */
		memset((void *)(uintptr_t)f->nh, 0, f->n_nh * sizeof(*f->nh));
		free((void *)(uintptr_t)f->nh);
	}
	memset(f, 0, sizeof(*f));
	free(f);
}

static void dq_free_cb(void *p, void *e, unsigned int n)
{
	struct route_table *t = p;
	struct route_fib **f = e;

	for (unsigned int i = 0; i < n; i++) {
		fib_free(f[i]);
		ST_INC(t, freed);
	}
}

int route_table_create(const struct route_table_cfg *cfg, struct route_table **out)
{
	struct rte_rcu_qsbr_dq_parameters dp = { 0 };
	char dqname[RTE_RCU_QSBR_DQ_NAMESIZE];
	struct route_table *t;
	struct route_fib *f;
	int rc;

	*out = NULL;
	if (cfg->name == NULL || strlen(cfg->name) > 12 || cfg->qsv == NULL ||
	    cfg->max_routes == 0 || cfg->tbl8_groups == 0 || cfg->n_ports == 0)
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	t->cfg = *cfg;
	snprintf(t->name, sizeof(t->name), "%s", cfg->name);
	t->cfg.name = t->name;
	t->qsv = cfg->qsv;

	snprintf(dqname, sizeof(dqname), "%s_dq", t->name);
	dp.name = dqname;
	dp.size = ROUTE_DQ_SIZE;
	dp.esize = sizeof(struct route_fib *);
	dp.trigger_reclaim_limit = 0; /* try to reclaim on every enqueue */
	dp.max_reclaim_size = ROUTE_DQ_SIZE;
	dp.free_fn = dq_free_cb;
	dp.p = t;
	dp.v = cfg->qsv;
	t->dq = rte_rcu_qsbr_dq_create(&dp);
	if (t->dq == NULL) {
		rc = rte_errno ? -rte_errno : -ENOMEM;
		free(t);
		return rc;
	}
	rc = route_fib_build(t, NULL, 0, &f, NULL);
	if (rc != 0) {
		rte_rcu_qsbr_dq_delete(t->dq);
		free(t);
		return rc;
	}
	route_table_publish(t, f);
	*out = t;
	return 0;
}

void route_table_free(struct route_table *t)
{
	if (t == NULL)
		return;
	/* readers are offline (the contract): the queue reclaims every pending FIB */
	rte_rcu_qsbr_dq_delete(t->dq);
	fib_free(t->cur);
	free(t);
}

/* ---- building ------------------------------------------------------------------------------ */

/* Next-hop deduplication while building: an rte_hash from struct route_nh to its index. */
struct nh_set {
	struct rte_hash *h;
	struct route_nh *nh;
	uint32_t n, cap;
};

static int nh_set_init(struct route_table *t, struct nh_set *s, uint32_t cap)
{
	struct rte_hash_parameters hp = { 0 };
	char name[RTE_HASH_NAMESIZE];

	snprintf(name, sizeof(name), "%s_nh%u", t->name, t->seq);
	hp.name = name;
	hp.entries = cap < 8 ? 8 : cap;
	hp.key_len = sizeof(struct route_nh);
	hp.hash_func = rte_jhash;
	hp.socket_id = t->cfg.socket_id;
	s->n = 0;
	s->cap = cap;
	s->nh = calloc(cap ? cap : 1, sizeof(*s->nh));
	s->h = s->nh ? rte_hash_create(&hp) : NULL;
	if (s->h == NULL) {
		free(s->nh);
		s->nh = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* Index of nh in the set, added if new; < 0 on error. */
static int32_t nh_set_get(struct nh_set *s, const struct route_nh *nh)
{
	void *data;

	if (rte_hash_lookup_data(s->h, nh, &data) >= 0)
		return (int32_t)(uintptr_t)data;
	if (s->n >= s->cap || s->n >= ROUTE_MAX_NH)
		return -ENOSPC;
	if (rte_hash_add_key_data(s->h, nh, (void *)(uintptr_t)s->n) != 0)
		return -ENOMEM;
	s->nh[s->n] = *nh;
	return (int32_t)s->n++;
}

static bool addr_zero(const uint8_t a[16])
{
	static const uint8_t z[16];
	return memcmp(a, z, 16) == 0;
}

static bool host_bits_zero(const uint8_t p[16], uint8_t len)
{
	for (unsigned i = len; i < 128; i++)
		if (p[i / 8] & (0x80u >> (i % 8)))
			return false;
	return true;
}

/* Checks of one route and its next hop; 0 or -EINVAL with err filled. */
static int spec_nh(const struct route_table *t, const struct route_spec *r, int i,
		   struct route_nh *nh, struct route_err *err)
{
	memset(nh, 0, sizeof(*nh));
	if (r->len > 128)
		return fail(err, i, -EINVAL, "route %d: prefix length %u > 128", i, r->len);
	if (!host_bits_zero(r->prefix, r->len))
		return fail(err, i, -EINVAL, "route %d: bits set past the /%u prefix length", i,
			    r->len);
	switch (r->kind) {
	case ROUTE_VIA:
		if (addr_zero(r->gw) || r->gw[0] == 0xff)
			return fail(err, i, -EINVAL, "route %d: next hop is :: or multicast", i);
		memcpy(nh->addr, r->gw, 16);
		break;
	case ROUTE_CONNECTED:
		nh->flags = ROUTE_NH_CONNECTED;
		break;
	case ROUTE_LOCAL:
		nh->flags = ROUTE_NH_LOCAL;
		return 0;
	default:
		return fail(err, i, -EINVAL, "route %d: unknown kind %u", i, r->kind);
	}
	if (r->port >= t->cfg.n_ports)
		return fail(err, i, -EINVAL, "route %d: port %u, the gateway has ports 0-%u", i,
			    r->port, t->cfg.n_ports - 1);
	nh->port = r->port;
	return 0;
}

static struct rte_lpm6 *lpm_create(struct route_table *t, struct route_err *err, int *rc)
{
	struct rte_lpm6_config lc = { .max_rules = t->cfg.max_routes,
				      .number_tbl8s = t->cfg.tbl8_groups };
	char name[RTE_LPM6_NAMESIZE];
	struct rte_lpm6 *lpm;

	snprintf(name, sizeof(name), "%s_%u", t->name, t->seq);
	lpm = rte_lpm6_create(name, t->cfg.socket_id, &lc);
	if (lpm == NULL)
		*rc = fail(err, -1, rte_errno ? -rte_errno : -ENOMEM,
			   "cannot create an LPM6 table of %u routes and %u tbl8 groups: %s",
			   t->cfg.max_routes, t->cfg.tbl8_groups, rte_strerror(rte_errno));
	return lpm;
}

/* Route i into the LPM (or as the default); 0 or -errno with err filled. */
static int add_route(struct route_table *t, struct route_fib *f, const struct route_spec *r, int i,
		     int32_t nhi, struct route_err *err)
{
	uint32_t old;
	int rc;

	if (r->len == 0) {
		if (f->dflt != ROUTE_NONE)
			return fail(err, i, -EINVAL, "route %d: a second default route", i);
		f->dflt = nhi;
		return 0;
	}
	if (rte_lpm6_is_rule_present(f->lpm, r->prefix, r->len, &old) == 1)
		return fail(err, i, -EINVAL, "route %d: a second route for the same prefix", i);
	rc = rte_lpm6_add(f->lpm, r->prefix, r->len, (uint32_t)nhi);
	if (rc == -ENOSPC)
		return fail(err, i, rc,
			    "route %d: the LPM6 table ran out of tbl8 groups (tbl8_groups = %u): "
			    "raise it",
			    i, t->cfg.tbl8_groups);
	if (rc < 0)
		return fail(err, i, rc, "route %d: rte_lpm6_add: %s", i, strerror(-rc));
	return 0;
}

static int fill(struct route_table *t, struct route_fib *f, const struct route_spec *routes,
		unsigned n, struct nh_set *s, struct route_err *err)
{
	for (unsigned i = 0; i < n; i++) {
		struct route_nh nh;
		int32_t nhi;
		int rc;

		if ((rc = spec_nh(t, &routes[i], (int)i, &nh, err)))
			return rc;
		nhi = nh_set_get(s, &nh);
		if (nhi < 0)
			return fail(err, (int)i, nhi, "route %d: more than %u next hops", (int)i,
				    ROUTE_MAX_NH);
		if ((rc = add_route(t, f, &routes[i], (int)i, nhi, err)))
			return rc;
	}
	return 0;
}

int route_fib_build(struct route_table *t, const struct route_spec *routes, unsigned n,
		    struct route_fib **out, struct route_err *err)
{
	struct nh_set s = { 0 };
	struct route_fib *f;
	unsigned n_lpm = 0;
	int rc;

	*out = NULL;
	for (unsigned i = 0; i < n; i++)
		n_lpm += routes[i].len != 0;
	if (n_lpm > t->cfg.max_routes) {
		ST_INC(t, build_errors);
		return fail(err, -1, -ENOSPC, "%u routes, more than max_routes = %u: raise it",
			    n_lpm, t->cfg.max_routes);
	}
	t->seq++;
	f = calloc(1, sizeof(*f));
	if (f == NULL || (rc = nh_set_init(t, &s, n)) != 0) {
		free(f);
		ST_INC(t, build_errors);
		return fail(err, -1, -ENOMEM, "out of memory");
	}
	f->dflt = ROUTE_NONE;
	f->n_routes = n;
	f->lpm = lpm_create(t, err, &rc);
	if (f->lpm != NULL)
		rc = fill(t, f, routes, n, &s, err);
	rte_hash_free(s.h);
	f->nh = s.nh;
	f->n_nh = s.n;
	if (rc != 0) {
		fib_free(f);
		ST_INC(t, build_errors);
		return rc;
	}
	ST_INC(t, builds);
	*out = f;
	return 0;
}

void route_fib_discard(struct route_table *t, struct route_fib *f)
{
	(void)t;
	fib_free(f);
}

/* ---- publishing ---------------------------------------------------------------------------- */

uint64_t route_table_publish(struct route_table *t, struct route_fib *f)
{
	struct route_fib *old = t->cur;

	f->gen = ++t->gen;
	/* everything f points to was written before this store (release) */
	__atomic_store_n(&t->cur, f, __ATOMIC_RELEASE);
	ST_INC(t, published);
	ST_SET(t, gen, f->gen);
	ST_SET(t, routes, f->n_routes);
	ST_SET(t, next_hops, f->n_nh);
	if (old != NULL && rte_rcu_qsbr_dq_enqueue(t->dq, &old) != 0) {
		/* queue full even after reclaiming: wait for the readers instead */
		rte_rcu_qsbr_synchronize(t->qsv, RTE_QSBR_THRID_INVALID);
		dq_free_cb(t, &old, 1);
	}
	return f->gen;
}

int route_table_load(struct route_table *t, const struct route_spec *routes, unsigned n,
		     struct route_err *err)
{
	struct route_fib *f;
	int rc = route_fib_build(t, routes, n, &f, err);

	if (rc == 0)
		route_table_publish(t, f);
	return rc;
}

unsigned route_table_reclaim(struct route_table *t)
{
	unsigned int freed = 0, pending = 0, avail = 0;

	rte_rcu_qsbr_dq_reclaim(t->dq, ROUTE_DQ_SIZE, &freed, &pending, &avail);
	return freed;
}

void route_table_get_stats(const struct route_table *t, struct route_stats *st)
{
	st->builds = __atomic_load_n(&t->st.builds, __ATOMIC_RELAXED);
	st->build_errors = __atomic_load_n(&t->st.build_errors, __ATOMIC_RELAXED);
	st->published = __atomic_load_n(&t->st.published, __ATOMIC_RELAXED);
	st->freed = __atomic_load_n(&t->st.freed, __ATOMIC_RELAXED);
	st->gen = __atomic_load_n(&t->st.gen, __ATOMIC_RELAXED);
	st->routes = __atomic_load_n(&t->st.routes, __ATOMIC_RELAXED);
	st->next_hops = __atomic_load_n(&t->st.next_hops, __ATOMIC_RELAXED);
}

const struct route_fib *route_table_writer_fib(const struct route_table *t)
{
	return t->cur;
}

/* ---- readers ------------------------------------------------------------------------------- */

const struct route_fib *route_fib_current(const struct route_table *t)
{
	return __atomic_load_n(&t->cur, __ATOMIC_ACQUIRE);
}

void route_lookup_bulk(const struct route_fib *f, uint8_t ips[][16], int32_t nh[], unsigned n)
{
	if (n == 0)
		return;
	rte_lpm6_lookup_bulk_func(f->lpm, ips, nh, n);
	if (f->dflt != ROUTE_NONE)
		for (unsigned i = 0; i < n; i++)
			if (nh[i] < 0)
				nh[i] = f->dflt;
}

int32_t route_lookup(const struct route_fib *f, const uint8_t ip[16])
{
	uint32_t nh;

	if (rte_lpm6_lookup(f->lpm, ip, &nh) == 0)
		return (int32_t)nh;
	return f->dflt;
}
