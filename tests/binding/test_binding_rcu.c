/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding under RCU: a removed or replaced record is zeroed after the grace period and not
 * before (the records live in the table's pool, so the test can look at them), the counter
 * slot of a removed binding is zeroed with it, and a concurrent reader lcore does bulk
 * lookups, reverse-tunnel checks and counting while the writer installs, replaces, activates,
 * tears down, deletes and sweeps more than 200,000 times against a model of the table.  Built
 * a second time with AddressSanitizer (the library compiled in).
 *
 * EAL: --no-huge --no-pci -m 256, a unique --file-prefix, two lcores.
 */
#include <errno.h>
#include <inttypes.h>

#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "test_util.h"

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* A deleted and a replaced record stay intact while a reader is online (it may hold them),
 * and are zeroed once it reports a quiescent state; no further delete is needed.  Installs
 * below capacity succeed while removed slots wait. */
static void test_reclaim_with_reader(void **state)
{
	struct binding_table *bt = new_table_cb(16, 1, 0, NULL, NULL);
	struct binding_ctr *ctr = binding_worker_ctrs(bt, 0);
	uint8_t pcoa[16], ncoa[16], p0[16], p1[16];
	struct binding_rec copy0, copy1;
	const struct binding_rec *r0, *r1;
	struct binding_stats st;
	struct binding_spec s;
	uint32_t slot0;

	(void)state;
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 2), 0);
	rte_rcu_qsbr_thread_online(qsv, 2); /* a reader mid-burst from here on */
	for (uint32_t i = 0; i < 16; i++) {
		s = spec_of(i, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	pcoa_of(0, p0);
	pcoa_of(1, p1);
	r0 = binding_find(bt, p0);
	r1 = binding_find(bt, p1);
	slot0 = r0->slot;
	binding_count_tun(ctr, r0, 1500);
	copy0 = *r0;
	copy1 = *r1;
	assert_int_equal(binding_delete(bt, p0), BINDING_OK);
	s = spec_of(1, pcoa, ncoa, 2, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_REPLACED);
	assert_null(binding_find(bt, p0));
	assert_ptr_not_equal(binding_find(bt, p1), r1);
	/* room below capacity while the deleted slot waits for its grace period */
	s = spec_of(16, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	s = spec_of(17, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_E_FULL);

	binding_sweep(bt, 0, 0);
	binding_get_stats(bt, &st);
	assert_int_equal(st.freed, 0); /* the reader may still hold them */
	assert_memory_equal(r0, &copy0, sizeof(copy0));
	assert_memory_equal(r1, &copy1, sizeof(copy1));
	assert_int_equal(ctr[slot0].tun_pkts, 1);
	assert_int_equal(ctr[slot0].tun_bytes, 1500);

	rte_rcu_qsbr_quiescent(qsv, 2);
	binding_sweep(bt, 0, 0);
	binding_get_stats(bt, &st);
	assert_int_equal(st.freed, 2);
	assert_true(all_zero(r0, sizeof(*r0)));
	assert_true(all_zero(r1, sizeof(*r1)));
	assert_true(all_zero(&ctr[slot0], sizeof(ctr[slot0])));
	assert_int_equal(st.live, 16);
	rte_rcu_qsbr_thread_offline(qsv, 2);
	rte_rcu_qsbr_thread_unregister(qsv, 2);
	binding_free(bt);
}

/* ------------------------------------------------------------------------------------------ */
/* Concurrent reader                                                                           */
/* ------------------------------------------------------------------------------------------ */

#define N_PCOA	 256
#define SENTINEL (N_PCOA - 1) /* only ever replaced or activated: its counters must add up */

static uint16_t mix(uint32_t i, uint32_t gen)
{
	return (uint16_t)((i * 40503u) ^ ((gen * 2654435761u) >> 16));
}

/* The NCoA of binding i at generation gen: its own check value, so that a reader can tell a
 * consistent record from a zeroed, reused or half-written one. */
static void ncoa_gen(uint32_t i, uint32_t gen, uint8_t a[16])
{
	uint16_t m = mix(i, gen);

	ncoa_of(0, a);
	a[8] = (uint8_t)(gen >> 24);
	a[9] = (uint8_t)(gen >> 16);
	a[10] = (uint8_t)(gen >> 8);
	a[11] = (uint8_t)gen;
	a[12] = (uint8_t)(i >> 8);
	a[13] = (uint8_t)i;
	a[14] = (uint8_t)(m >> 8);
	a[15] = (uint8_t)m;
}

static bool rec_consistent(const struct binding_rec *r, const uint8_t *key, uint32_t i)
{
	uint32_t gen = ((uint32_t)r->ncoa[8] << 24) | ((uint32_t)r->ncoa[9] << 16) |
		       ((uint32_t)r->ncoa[10] << 8) | r->ncoa[11];
	uint16_t m = (uint16_t)((r->ncoa[14] << 8) | r->ncoa[15]);

	return memcmp(r->pcoa, key, 16) == 0 && r->ncoa[0] == 0x20 && r->ncoa[7] == 2 &&
	       r->ncoa[12] == (uint8_t)(i >> 8) && r->ncoa[13] == (uint8_t)i && m == mix(i, gen) &&
	       memcmp(r->tun_src, tun_src_addr, 16) == 0 &&
	       (r->state == BINDING_PENDING || r->state == BINDING_ACTIVE) &&
	       r->key_ref == 1000 + i;
}

struct reader_arg {
	struct binding_table *bt;
	volatile int stop;
	uint64_t lookups, hits, bad, sentinel, rtun_checked, rtun_bad;
};

static void reader_rtun(struct reader_arg *a, const struct binding_rec *const found[],
			const uint8_t *const keys[], unsigned n)
{
	uint8_t outer_src[8][16];
	struct binding_decap d[8];
	const struct binding_rec *recs[8];
	unsigned k = 0;
	uint64_t ok;

	for (unsigned i = 0; i < n && k < 8; i++) {
		if (found[i] == NULL)
			continue;
		memcpy(outer_src[k], found[i]->ncoa, 16);
		memset(&d[k], 0, sizeof(d[k]));
		d[k].outer_src = outer_src[k];
		d[k].outer_dst = tun_src_addr;
		d[k].inner_src = keys[i];
		k++;
	}
	ok = binding_rtun_check_bulk(a->bt, d, NULL, k, 0, recs);
	for (unsigned i = 0; i < k; i++) {
		if (!(ok & (1ull << i)))
			continue;
		a->rtun_checked++;
		/* a pass is for a live binding with exactly that NCoA and tunnel source */
		if (recs[i] == NULL || recs[i]->state != BINDING_ACTIVE ||
		    memcmp(recs[i]->ncoa, outer_src[i], 16) != 0 ||
		    memcmp(recs[i]->pcoa, d[i].inner_src, 16) != 0)
			a->rtun_bad++;
	}
}

static int reader_main(void *p)
{
	struct reader_arg *a = p;
	struct binding_ctr *ctr = binding_worker_ctrs(a->bt, 0);
	static uint8_t pcoas[N_PCOA][16];
	const uint8_t *keys[32];
	uint32_t idx[32];
	hash_sig_t sigs[32];
	const struct binding_rec *recs[32];
	uint32_t x = 12345;

	for (uint32_t i = 0; i < N_PCOA; i++)
		pcoa_of(i, pcoas[i]);
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	while (!a->stop) {
		for (int i = 0; i < 32; i++) {
			x = x * 1103515245u + 12345u;
			idx[i] = (x >> 8) % N_PCOA;
			keys[i] = pcoas[idx[i]];
			sigs[i] = binding_sig(a->bt, keys[i]);
		}
		a->hits += binding_lookup_bulk(a->bt, keys, sigs, 32, recs);
		__atomic_fetch_add(&a->lookups, 32, __ATOMIC_RELAXED);
		for (int i = 0; i < 32; i++) {
			if (recs[i] == NULL)
				continue;
			if (!rec_consistent(recs[i], keys[i], idx[i]))
				a->bad++;
			binding_count_tun(ctr, recs[i], 64);
			if (idx[i] == SENTINEL)
				a->sentinel++;
		}
		reader_rtun(a, recs, keys, 32);
		rte_rcu_qsbr_quiescent(qsv, 0);
	}
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	return 0;
}

/* The writer's model of the table. */
struct model {
	bool present[N_PCOA];
	uint16_t seq[N_PCOA];
	uint64_t expires[N_PCOA];
	unsigned live;
	uint64_t now;
	unsigned expired, bad_expiry;
};

static void model_end(void *arg, const struct binding_end *e)
{
	struct model *m = arg;
	uint32_t i = ((uint32_t)e->pcoa[14] << 8) | e->pcoa[15];

	if (e->reason != BINDING_END_EXPIRED)
		return; /* teardown and delete are accounted by the writer */
	if (i >= N_PCOA || !m->present[i] || m->expires[i] > m->now || i == SENTINEL)
		m->bad_expiry++;
	m->present[i] = false;
	m->live--;
	m->expired++;
}

/* ops: 0 added, 1 replaced, 2 full, 3 activated, 4 torn down, 5 deleted, 6 stale.  Returns 1
 * for a call that changes (or tries to change) a binding, 0 for a sweep. */
static int writer_step(struct binding_table *bt, struct model *m, uint32_t x, uint32_t gen,
		       unsigned ops[7])
{
	uint32_t i = (x >> 8) % N_PCOA;
	uint8_t pcoa[16], ncoa[16];
	struct binding_spec s;
	unsigned op = (x >> 24) % 8;
	int rc;

	if (i == SENTINEL && (op == 3 || op == 4)) /* the sentinel is never removed */
		op = 1;
	s = spec_of(i, pcoa, ncoa, 0, 0, (x & 1) ? BINDING_ACTIVE : BINDING_PENDING);
	ncoa_gen(i, gen, ncoa);
	switch (op) {
	case 0:
	case 1: /* install: a new PCoA, or a newer FBU over it */
		s.seq = m->present[i] ? (uint16_t)(m->seq[i] + 1 + (x >> 4) % 100) : (uint16_t)x;
		s.expires = i == SENTINEL ? UINT64_MAX : m->now + 1 + (x >> 12) % 4096;
		rc = binding_install(bt, &s);
		if (!m->present[i] && m->live >= N_PCOA / 2)
			assert_int_equal(rc, BINDING_E_FULL);
		if (m->present[i]) {
			assert_int_equal(rc, BINDING_REPLACED);
			ops[1]++;
		} else if (rc == BINDING_E_FULL) {
			/* at capacity, or every spare slot still in its grace period */
			ops[2]++;
			return 1;
		} else {
			assert_int_equal(rc, BINDING_OK);
			m->present[i] = true;
			m->live++;
			ops[0]++;
		}
		m->seq[i] = s.seq;
		m->expires[i] = s.expires;
		break;
	case 2: /* HAck: activate, sometimes for an older FBU */
		rc = binding_activate(bt, pcoa, (x & 2) ? m->seq[i] : (uint16_t)(m->seq[i] - 1),
				      (x & 4) ? ncoa : NULL);
		if (!m->present[i])
			assert_int_equal(rc, BINDING_E_NOENT);
		else
			assert_int_equal(rc, (x & 2) ? BINDING_OK : BINDING_E_STALE);
		ops[rc == BINDING_OK ? 3 : 6] += rc != BINDING_E_NOENT;
		break;
	case 3: /* lifetime 0, newer or replayed */
		rc = binding_teardown(bt, pcoa, (x & 2) ? m->seq[i] + 1 : m->seq[i]);
		if (!m->present[i]) {
			assert_int_equal(rc, BINDING_E_NOENT);
			break;
		}
		assert_int_equal(rc, (x & 2) ? BINDING_OK : BINDING_E_STALE);
		ops[rc == BINDING_OK ? 4 : 6]++;
		if (rc == BINDING_OK) {
			m->present[i] = false;
			m->live--;
		}
		break;
	case 4:
		rc = binding_delete(bt, pcoa);
		assert_int_equal(rc, m->present[i] ? BINDING_OK : BINDING_E_NOENT);
		if (rc == BINDING_OK) {
			m->present[i] = false;
			m->live--;
			ops[5]++;
		}
		break;
	default:
		m->now++;
		binding_sweep(bt, m->now, 32);
		return 0;
	}
	return 1;
}

static void test_concurrent_reader(void **state)
{
	struct model *m = calloc(1, sizeof(*m));
	struct binding_table *bt = new_table_cb(N_PCOA / 2, 1, 0, model_end, m);
	struct reader_arg a = { 0 };
	unsigned worker = rte_get_next_lcore(-1, 1, 0), ops[7] = { 0 };
	struct binding_stats st;
	struct binding_info info;
	uint8_t sentinel[16], ncoa[16];
	uint32_t x = 777, it = 0, n = 0, calls = 0;
	const struct binding_rec *r;
	struct binding_spec s;

	(void)state;
	assert_true(worker < RTE_MAX_LCORE);
	/* the sentinel is there from the start */
	s = spec_of(SENTINEL, sentinel, ncoa, 1, UINT64_MAX, BINDING_ACTIVE);
	ncoa_gen(SENTINEL, 0, ncoa);
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	m->present[SENTINEL] = true;
	m->seq[SENTINEL] = 1;
	m->expires[SENTINEL] = UINT64_MAX;
	m->live = 1;
	a.bt = bt;
	assert_int_equal(rte_eal_remote_launch(reader_main, &a, worker), 0);
	/* overlap for sure, even on a loaded machine: start once the reader runs, and go on
	 * until it has done at least 2000 bursts and the writer 200,000 changes */
	while (__atomic_load_n(&a.lookups, __ATOMIC_RELAXED) == 0)
		rte_pause();
	for (uint32_t k = 0;
	     calls < 200000 || __atomic_load_n(&a.lookups, __ATOMIC_RELAXED) < 64000; k++) {
		x = x * 1664525u + 1013904223u;
		calls += writer_step(bt, m, x, k + 1, ops);
	}
	a.stop = 1;
	rte_eal_wait_lcore(worker);
	binding_get_stats(bt, &st);
	print_message("reader: %" PRIu64 " lookups, %" PRIu64 " hits, %" PRIu64
		      " reverse-tunnel passes; writer: added %u replaced %u full %u activated %u "
		      "torn down %u deleted %u stale %u expired %u (%u calls); freed %" PRIu64 "\n",
		      a.lookups, a.hits, a.rtun_checked, ops[0], ops[1], ops[2], ops[3], ops[4],
		      ops[5], ops[6], m->expired, calls, st.freed);
	assert_int_equal(a.bad, 0);
	assert_int_equal(a.rtun_bad, 0);
	assert_int_equal(m->bad_expiry, 0);
	assert_true(a.hits > 0 && a.rtun_checked > 0);
	for (int k = 0; k < 7; k++)
		assert_true(ops[k] > 0);
	assert_int_equal(st.added, ops[0] + 1);
	assert_int_equal(st.replaced, ops[1]);
	assert_int_equal(st.full, ops[2]);
	assert_int_equal(st.activated, ops[3]);
	assert_int_equal(st.torn_down, ops[4]);
	assert_int_equal(st.deleted, ops[5]);
	assert_int_equal(st.stale, ops[6]);
	assert_int_equal(st.expired, m->expired);
	assert_int_equal(st.live, m->live);
	/* every record is live, waiting for its grace period, or was freed once */
	assert_true(st.freed <= st.added + st.replaced + st.activated - st.live);
	assert_true(st.freed > 0);
	while (binding_iterate(bt, &it, &r)) {
		uint32_t i = r->pcoa[15] | ((uint32_t)r->pcoa[14] << 8);
		assert_true(i < N_PCOA && m->present[i]);
		assert_int_equal(r->seq, m->seq[i]);
		n++;
	}
	assert_int_equal(n, m->live);
	/* the sentinel's counter slot survived every replace: the reader's count adds up */
	binding_info_get(bt, binding_find(bt, sentinel), 0, &info);
	assert_int_equal(info.ctr.tun_pkts, a.sentinel);
	assert_int_equal(info.ctr.tun_bytes, a.sentinel * 64);
	binding_free(bt);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reclaim_with_reader),
		cmocka_unit_test(test_concurrent_reader),
	};
	return cmocka_run_group_tests(tests, util_setup, util_teardown);
}
