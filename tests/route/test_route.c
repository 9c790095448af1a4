/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route FIB tests: longest prefix wins over overlapping /0, /32, /48, /64, /128 routes
 * (checked against a linear-scan longest match written here, for chosen and for random
 * addresses), the default route, no route, next-hop sharing, every build error and that it
 * leaves the current FIB serving, the route line parser, and a FIB swapped back and forth
 * under a reader lcore doing bulk lookups (built a second time with AddressSanitizer: a reader
 * touching a freed FIB or next-hop array aborts; freed arrays are zeroed, which the reader
 * would see as a wrong answer).
 *
 * EAL: --no-huge --no-pci -m 512, a unique --file-prefix, two lcores.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "route.h"
#include "route_test.h"

static unsigned tab_seq;

static int group_setup(void **state)
{
	(void)state;
	return route_test_eal("test_route", "512");
}

static struct route_table *new_table(uint32_t max_routes, uint32_t tbl8)
{
	char name[16];
	struct route_table_cfg cfg = { 0 };
	struct route_table *t = NULL;

	snprintf(name, sizeof(name), "rt%u", tab_seq++);
	cfg.name = name;
	cfg.max_routes = max_routes;
	cfg.tbl8_groups = tbl8;
	cfg.n_ports = 4;
	cfg.qsv = qsv;
	assert_int_equal(route_table_create(&cfg, &t), 0);
	return t;
}

static struct route_spec via(const char *pfx, uint8_t len, const char *gw, uint16_t port)
{
	struct route_spec r = { .len = len, .kind = ROUTE_VIA, .port = port };
	addr(r.prefix, pfx);
	addr(r.gw, gw);
	return r;
}

static struct route_spec other(const char *pfx, uint8_t len, uint8_t kind, uint16_t port)
{
	struct route_spec r = { .len = len, .kind = kind, .port = port };
	addr(r.prefix, pfx);
	return r;
}

/* ---- the reference: a linear scan for the longest matching prefix --------------------------- */

static bool covers(const struct route_spec *r, const uint8_t a[16])
{
	for (unsigned i = 0; i < r->len; i++) {
		uint8_t m = (uint8_t)(0x80u >> (i % 8));
		if ((r->prefix[i / 8] & m) != (a[i / 8] & m))
			return false;
	}
	return true;
}

static const struct route_spec *ref_lpm(const struct route_spec *rs, unsigned n,
					const uint8_t a[16])
{
	const struct route_spec *best = NULL;

	for (unsigned i = 0; i < n; i++)
		if (covers(&rs[i], a) && (best == NULL || rs[i].len > best->len))
			best = &rs[i];
	return best;
}

/* The FIB's answer for a equals the route the reference picked (or both have none). */
static void assert_answer(const struct route_fib *f, int32_t nhi, const struct route_spec *want)
{
	if (want == NULL) {
		assert_int_equal(nhi, ROUTE_NONE);
		return;
	}
	assert_true(nhi >= 0 && (uint32_t)nhi < f->n_nh);
	const struct route_nh *nh = &f->nh[nhi];
	switch (want->kind) {
	case ROUTE_VIA:
		assert_int_equal(nh->flags, 0);
		assert_int_equal(nh->port, want->port);
		assert_memory_equal(nh->addr, want->gw, 16);
		break;
	case ROUTE_CONNECTED:
		assert_int_equal(nh->flags, ROUTE_NH_CONNECTED);
		assert_int_equal(nh->port, want->port);
		break;
	default:
		assert_int_equal(nh->flags, ROUTE_NH_LOCAL);
	}
}

static const struct route_spec *overlap_routes(unsigned *n)
{
	static struct route_spec rs[6];

	rs[0] = via("::", 0, "fe80::1", 0); /* default */
	rs[1] = via("2001:db8::", 32, "fe80::2", 1);
	rs[2] = via("2001:db8:1::", 48, "fe80::3", 2);
	rs[3] = other("2001:db8:1:2::", 64, ROUTE_CONNECTED, 3);
	rs[4] = other("2001:db8:1:2::5", 128, ROUTE_LOCAL, 0);
	rs[5] = via("2001:db8:8000::", 33, "fe80::2", 1); /* same next hop as rs[1] */
	*n = 6;
	return rs;
}

/* Longest prefix wins, at and around every prefix boundary, single and bulk. */
static void test_longest_prefix(void **state)
{
	static const struct {
		const char *a;
		int route;
	} cases[] = {
		{ "2001:db8:1:2::5", 4 },
		{ "2001:db8:1:2::4", 3 },
		{ "2001:db8:1:2::6", 3 },
		{ "2001:db8:1:2:ffff:ffff:ffff:ffff", 3 },
		{ "2001:db8:1:2::", 3 },
		{ "2001:db8:1:1:ffff:ffff:ffff:ffff", 2 },
		{ "2001:db8:1:3::", 2 },
		{ "2001:db8:1::", 2 },
		{ "2001:db8:1:ffff::1", 2 },
		{ "2001:db8:0:ffff::1", 1 },
		{ "2001:db8:2::1", 1 },
		{ "2001:db8:7fff:ffff::", 1 },
		{ "2001:db8:8000::1", 5 },
		{ "2001:db8:ffff:ffff::1", 5 },
		{ "2001:db9::1", 0 },
		{ "2001:db7:ffff::1", 0 },
		{ "::1", 0 },
		{ "ff02::1", 0 },
	};
	struct route_table *t = new_table(64, 64);
	const struct route_spec *rs;
	const struct route_fib *f;
	uint8_t ips[32][16];
	int32_t nh[32];
	unsigned n, nc = sizeof(cases) / sizeof(cases[0]);

	(void)state;
	rs = overlap_routes(&n);
	assert_int_equal(route_table_load(t, rs, n, NULL), 0);
	f = route_fib_current(t);
	assert_int_equal(f->gen, 2);
	assert_int_equal(f->n_routes, 6);
	assert_int_equal(f->n_nh, 5); /* rs[1] and rs[5] share one */
	for (unsigned i = 0; i < nc; i++) {
		addr(ips[i], cases[i].a);
		/* the table in this test agrees with the reference scan ... */
		assert_ptr_equal(ref_lpm(rs, n, ips[i]), &rs[cases[i].route]);
		/* ... and the FIB with both */
		assert_answer(f, route_lookup(f, ips[i]), &rs[cases[i].route]);
	}
	route_lookup_bulk(f, ips, nh, nc);
	for (unsigned i = 0; i < nc; i++)
		assert_answer(f, nh[i], &rs[cases[i].route]);
	/* the connected route's neighbour is the destination, a via route's its gateway */
	assert_ptr_equal(route_nh_target(&f->nh[nh[1]], ips[1]), ips[1]);
	assert_memory_equal(route_nh_target(&f->nh[nh[9]], ips[9]), rs[1].gw, 16);
	assert_null(route_nh_target(&f->nh[nh[0]], ips[0]));
	route_table_free(t);
}

/* 20 000 random addresses near the prefixes: the FIB and the reference scan agree. */
static void test_random_against_reference(void **state)
{
	struct route_table *t = new_table(64, 64);
	const struct route_spec *rs;
	const struct route_fib *f;
	uint8_t ips[32][16];
	int32_t nh[32];
	uint32_t x = 99;
	unsigned n;

	(void)state;
	rs = overlap_routes(&n);
	assert_int_equal(route_table_load(t, rs, n, NULL), 0);
	f = route_fib_current(t);
	for (int round = 0; round < 625; round++) {
		for (int i = 0; i < 32; i++) {
			/* start from one of the prefixes, flip a few random bits */
			memcpy(ips[i], rs[(x >> 4) % n].prefix, 16);
			for (int b = 0; b < 3; b++) {
				x = x * 1103515245u + 12345u;
				ips[i][(x >> 8) % 16] ^= (uint8_t)(1u << ((x >> 20) % 8));
			}
		}
		route_lookup_bulk(f, ips, nh, 32);
		for (int i = 0; i < 32; i++)
			assert_answer(f, nh[i], ref_lpm(rs, n, ips[i]));
	}
	route_table_free(t);
}

/* No default: a miss is ROUTE_NONE; a fresh table answers ROUTE_NONE to everything. */
static void test_no_route_and_empty(void **state)
{
	struct route_table *t = new_table(16, 16);
	struct route_spec rs[2];
	uint8_t ips[3][16];
	int32_t nh[3];
	const struct route_fib *f = route_fib_current(t);

	(void)state;
	assert_int_equal(f->gen, 1);
	assert_int_equal(f->n_nh, 0);
	addr(ips[0], "2001:db8::1");
	addr(ips[1], "::");
	addr(ips[2], "2001:db8:5::1");
	route_lookup_bulk(f, ips, nh, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(nh[i], ROUTE_NONE);
	rs[0] = via("2001:db8::", 32, "fe80::2", 1);
	rs[1] = other("2001:db8:5::", 48, ROUTE_CONNECTED, 2);
	assert_int_equal(route_table_load(t, rs, 2, NULL), 0);
	f = route_fib_current(t);
	addr(ips[0], "2001:db9::1");
	addr(ips[1], "2001:db8:5::1");
	addr(ips[2], "::");
	route_lookup_bulk(f, ips, nh, 3);
	assert_int_equal(nh[0], ROUTE_NONE);
	assert_answer(f, nh[1], &rs[1]);
	assert_int_equal(nh[2], ROUTE_NONE);
	assert_int_equal(route_lookup(f, ips[0]), ROUTE_NONE);
	route_table_free(t);
}

static void expect_err(struct route_table *t, const struct route_spec *rs, unsigned n, int rc,
		       int index, const char *needle)
{
	struct route_err err = { 0 };
	uint64_t gen = route_fib_current(t)->gen;

	assert_int_equal(route_table_load(t, rs, n, &err), rc);
	assert_int_equal(err.index, index);
	if (strstr(err.msg, needle) == NULL)
		fail_msg("error '%s' does not say '%s'", err.msg, needle);
	assert_int_equal(route_fib_current(t)->gen, gen); /* the current FIB stays */
}

static void test_build_errors(void **state)
{
	struct route_table *t = new_table(4, 4);
	struct route_spec rs[8];
	struct route_stats st;
	uint8_t a[16];

	(void)state;
	rs[0] = via("2001:db8::", 32, "fe80::2", 1);
	assert_int_equal(route_table_load(t, rs, 1, NULL), 0);
	rs[1] = via("2001:db8::", 129, "fe80::2", 1);
	expect_err(t, rs, 2, -EINVAL, 1, "> 128");
	rs[1] = via("2001:db8::1", 64, "fe80::2", 1);
	expect_err(t, rs, 2, -EINVAL, 1, "bits set past the /64");
	rs[1] = via("2001:db9::", 32, "fe80::2", 4);
	expect_err(t, rs, 2, -EINVAL, 1, "port 4, the gateway has ports 0-3");
	rs[1] = via("2001:db9::", 32, "ff02::2", 1);
	expect_err(t, rs, 2, -EINVAL, 1, "multicast");
	rs[1] = via("2001:db9::", 32, "::", 1);
	expect_err(t, rs, 2, -EINVAL, 1, ":: or multicast");
	rs[1] = via("2001:db8::", 32, "fe80::3", 1);
	expect_err(t, rs, 2, -EINVAL, 1, "same prefix");
	rs[1] = via("::", 0, "fe80::3", 1);
	rs[2] = via("::", 0, "fe80::4", 1);
	expect_err(t, rs, 3, -EINVAL, 2, "second default");
	rs[1].kind = 9;
	expect_err(t, rs, 2, -EINVAL, 1, "unknown kind");
	/* capacity: 5 routes for max_routes 4 (the default does not count) */
	for (int i = 0; i < 5; i++) {
		char p[32];
		snprintf(p, sizeof(p), "2001:db8:%x::", i);
		rs[i] = via(p, 48, "fe80::2", 1);
	}
	rs[5] = via("::", 0, "fe80::3", 1);
	expect_err(t, rs, 6, -ENOSPC, -1, "5 routes, more than max_routes = 4: raise it");
	assert_int_equal(route_table_load(t, rs + 1, 5, NULL), 0); /* 4 + default fit */
	/* tbl8 groups: a /40 under its own first 24 bits needs two (octets 3 and 4): the third
	 * of these /40s finds the 4 groups used up */
	for (int i = 0; i < 4; i++) {
		char p[40];
		snprintf(p, sizeof(p), "2001:%x::", 0x100 * (i + 1));
		rs[i] = via(p, 40, "fe80::2", 1);
	}
	expect_err(t, rs, 4, -ENOSPC, 2, "tbl8 groups (tbl8_groups = 4): raise it");
	/* what was loaded before still answers */
	addr(a, "2001:db8:4::1");
	assert_int_equal(route_fib_current(t)->nh[route_lookup(route_fib_current(t), a)].port, 1);
	addr(a, "2001:db9::1");
	assert_memory_equal(route_fib_current(t)->nh[route_lookup(route_fib_current(t), a)].addr,
			    rs[5].gw, 16);
	route_table_get_stats(t, &st);
	assert_int_equal(st.build_errors, 10);
	assert_int_equal(st.builds, 3); /* the empty one, and two loads */
	assert_int_equal(st.routes, 5);
	assert_int_equal(st.next_hops, 2);
	route_table_free(t);
}

static void test_create_errors(void **state)
{
	struct route_table_cfg cfg = {
		.name = "x", .max_routes = 1, .tbl8_groups = 1, .n_ports = 1, .qsv = qsv
	};
	struct route_table *t = NULL;

	(void)state;
	cfg.name = "a-name-too-long";
	assert_int_equal(route_table_create(&cfg, &t), -EINVAL);
	cfg.name = "x";
	cfg.max_routes = 0;
	assert_int_equal(route_table_create(&cfg, &t), -EINVAL);
	cfg.max_routes = 1;
	cfg.qsv = NULL;
	assert_int_equal(route_table_create(&cfg, &t), -EINVAL);
	assert_null(t);
}

static void test_parse(void **state)
{
	struct route_spec r;
	char err[128];
	uint8_t a[16];

	(void)state;
	assert_int_equal(route_spec_parse("2001:db8::/32 via fe80::1 port 2", &r, err, sizeof(err)),
			 0);
	addr(a, "2001:db8::");
	assert_memory_equal(r.prefix, a, 16);
	assert_int_equal(r.len, 32);
	assert_int_equal(r.kind, ROUTE_VIA);
	assert_int_equal(r.port, 2);
	addr(a, "fe80::1");
	assert_memory_equal(r.gw, a, 16);
	assert_int_equal(route_spec_parse("  2001:db8:1::/64\tconnected port 0\n", &r, err, 128),
			 0);
	assert_int_equal(r.kind, ROUTE_CONNECTED);
	assert_int_equal(r.len, 64);
	assert_int_equal(route_spec_parse("2001:db8::1/128 local", &r, err, 128), 0);
	assert_int_equal(r.kind, ROUTE_LOCAL);
	assert_int_equal(route_spec_parse("default via fe80::9 port 1", &r, err, 128), 0);
	assert_int_equal(r.len, 0);
	assert_int_equal(r.port, 1);
	static const char *const bad[][2] = {
		{ "2001:db8::/129 local", "prefix length" },
		{ "2001:db8:: local", "PREFIX/LEN" },
		{ "2001:db8::/ local", "prefix length" },
		{ "2001:zz8::/32 local", "not an IPv6 prefix" },
		{ "2001:db8::/32 via fe80::1 port", "expected 'via" },
		{ "2001:db8::/32 via fe80::1 port 70000", "not a port" },
		{ "2001:db8::/32 via fe80::1 port -1", "not a port" },
		{ "2001:db8::/32 via nothere port 1", "next hop" },
		{ "2001:db8::/32 connected 1", "expected 'via" },
		{ "2001:db8::/32 local extra", "expected 'via" },
		{ "2001:db8::/32", "expected PREFIX/LEN via" },
		{ "a b c d e f g", "too many words" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(route_spec_parse(bad[i][0], &r, err, sizeof(err)), -EINVAL);
		if (strstr(err, bad[i][1]) == NULL)
			fail_msg("'%s': error '%s' does not say '%s'", bad[i][0], err, bad[i][1]);
	}
}

/* ------------------------------------------------------------------------------------------ */
/* Swap under a concurrent reader                                                              */
/* ------------------------------------------------------------------------------------------ */

#define N_PFX	64
#define N_PROBE 256

/* Two route lists over the same prefixes with different next hops; the answer each gives for
 * every probe address, from the reference scan. */
static struct route_spec set_a[N_PFX + 1], set_b[N_PFX + 1];
static uint8_t probes[N_PROBE][16];
static struct route_nh want_a[N_PROBE], want_b[N_PROBE];

static void make_sets(void)
{
	for (int i = 0; i < N_PFX; i++) {
		char p[48], g1[32], g2[32];
		/* /48s and /64s nested inside them */
		if (i % 2 == 0)
			snprintf(p, sizeof(p), "2001:db8:%x::", i);
		else
			snprintf(p, sizeof(p), "2001:db8:%x:%x::", i - 1, i);
		snprintf(g1, sizeof(g1), "fe80::a:%x", i);
		snprintf(g2, sizeof(g2), "fe80::b:%x", i);
		set_a[i] = via(p, i % 2 ? 64 : 48, g1, (uint16_t)(i % 4));
		set_b[i] = via(p, i % 2 ? 64 : 48, g2, (uint16_t)((i + 1) % 4));
	}
	set_a[N_PFX] = via("::", 0, "fe80::a:ffff", 0);
	set_b[N_PFX] = via("::", 0, "fe80::b:ffff", 3);
	for (int i = 0; i < N_PROBE; i++) {
		char p[64];
		snprintf(p, sizeof(p), "2001:db8:%x:%x::%x", (i / 4) % N_PFX, i % 3 ? i / 4 : 999,
			 i);
		addr(probes[i], p);
		const struct route_spec *ra = ref_lpm(set_a, N_PFX + 1, probes[i]);
		const struct route_spec *rb = ref_lpm(set_b, N_PFX + 1, probes[i]);
		want_a[i].port = ra->port;
		memcpy(want_a[i].addr, ra->gw, 16);
		want_b[i].port = rb->port;
		memcpy(want_b[i].addr, rb->gw, 16);
	}
}

struct reader_arg {
	struct route_table *t;
	volatile int stop;
	uint64_t bursts, lookups, bad, gens_seen;
};

static int reader_main(void *p)
{
	struct reader_arg *a = p;
	uint8_t ips[32][16];
	int32_t nh[32];
	uint64_t last_gen = 0;
	uint32_t x = 4242;

	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	while (!a->stop) {
		int idx[32];
		const struct route_fib *f = route_fib_current(a->t);
		const struct route_nh *want;

		for (int i = 0; i < 32; i++) {
			x = x * 1103515245u + 12345u;
			idx[i] = (int)((x >> 8) % N_PROBE);
			memcpy(ips[i], probes[idx[i]], 16);
		}
		route_lookup_bulk(f, ips, nh, 32);
		if (f->gen < last_gen)
			a->bad++; /* the FIB went back in time */
		if (f->gen != last_gen)
			a->gens_seen++;
		last_gen = f->gen;
		/* gen 1 is the empty FIB; then A (even) and B (odd) alternate */
		for (int i = 0; i < 32; i++) {
			if (f->gen == 1) {
				a->bad += nh[i] != ROUTE_NONE;
				continue;
			}
			want = f->gen % 2 == 0 ? want_a : want_b;
			if (nh[i] < 0 || (uint32_t)nh[i] >= f->n_nh ||
			    f->nh[nh[i]].port != want[idx[i]].port ||
			    memcmp(f->nh[nh[i]].addr, want[idx[i]].addr, 16) != 0)
				a->bad++;
		}
		a->lookups += 32;
		__atomic_store_n(&a->bursts, a->bursts + 1, __ATOMIC_RELEASE);
		rte_rcu_qsbr_quiescent(qsv, 0);
	}
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	return 0;
}

static void test_swap_under_reader(void **state)
{
	struct route_table *t = new_table(2 * N_PFX, 512);
	struct reader_arg a = { 0 };
	unsigned worker = rte_get_next_lcore(-1, 1, 0);
	struct route_stats st;
	const int swaps = 40;

	(void)state;
	make_sets();
	a.t = t;
	assert_true(worker < RTE_MAX_LCORE);
	assert_int_equal(rte_eal_remote_launch(reader_main, &a, worker), 0);
	while (__atomic_load_n(&a.bursts, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	for (int i = 0; i < swaps; i++) {
		uint64_t b = __atomic_load_n(&a.bursts, __ATOMIC_ACQUIRE);
		struct route_fib *f;

		assert_int_equal(route_fib_build(t, i % 2 ? set_b : set_a, N_PFX + 1, &f, NULL), 0);
		/* the reader is mid-way through bursts of the old FIB while this one is built */
		assert_int_equal(route_table_publish(t, f), (uint64_t)i + 2);
		while (__atomic_load_n(&a.bursts, __ATOMIC_ACQUIRE) < b + 2)
			rte_pause();
		route_table_reclaim(t);
	}
	a.stop = 1;
	rte_eal_wait_lcore(worker);
	route_table_reclaim(t);
	route_table_get_stats(t, &st);
	print_message("reader: %" PRIu64 " bursts, %" PRIu64 " lookups, %" PRIu64
		      " generations seen; freed %" PRIu64 "\n",
		      a.bursts, a.lookups, a.gens_seen, st.freed);
	assert_int_equal(a.bad, 0);
	assert_true(a.gens_seen >= (uint64_t)swaps / 2);
	assert_int_equal(st.published, (uint64_t)swaps + 1);
	assert_int_equal(st.freed, (uint64_t)swaps); /* every old FIB, once */
	assert_int_equal(st.gen, (uint64_t)swaps + 1);
	route_table_free(t);
}

/* An old FIB is not freed while a reader is online and has not passed a quiescent state. */
static void test_grace_period(void **state)
{
	struct route_table *t = new_table(8, 8);
	struct route_spec r = via("2001:db8::", 32, "fe80::2", 1);
	struct route_stats st;

	(void)state;
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 2), 0);
	rte_rcu_qsbr_thread_online(qsv, 2);
	assert_int_equal(route_table_load(t, &r, 1, NULL), 0);
	route_table_reclaim(t);
	route_table_get_stats(t, &st);
	assert_int_equal(st.freed, 0);
	rte_rcu_qsbr_quiescent(qsv, 2);
	route_table_reclaim(t);
	route_table_get_stats(t, &st);
	assert_int_equal(st.freed, 1);
	/* two more old FIBs wait while the reader holds on */
	assert_int_equal(route_table_load(t, &r, 1, NULL), 0);
	assert_int_equal(route_table_load(t, &r, 1, NULL), 0);
	route_table_get_stats(t, &st);
	assert_int_equal(st.freed, 1);
	rte_rcu_qsbr_thread_offline(qsv, 2);
	rte_rcu_qsbr_thread_unregister(qsv, 2);
	assert_int_equal(route_table_load(t, &r, 1, NULL), 0);
	route_table_reclaim(t);
	route_table_get_stats(t, &st);
	assert_int_equal(st.freed, 4);
	route_table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_longest_prefix),
		cmocka_unit_test(test_random_against_reference),
		cmocka_unit_test(test_no_route_and_empty),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_create_errors),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_grace_period),
		cmocka_unit_test(test_swap_under_reader),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
