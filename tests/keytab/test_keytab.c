/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab tests: add / find / replace / delete / expire, sequence numbers (A14), key
 * lifetime vs binding (A13), the full table, and a concurrent reader lcore while the writer
 * churns the table (built a second time with AddressSanitizer: a reader touching a freed
 * record aborts the test; the free callback zeroes records, which the reader checks too).
 *
 * EAL: --no-huge --no-pci -m 256, a unique --file-prefix, two lcores.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"
#include "kt_fixture.h"
#include "mac.h"
#include "reference_vectors.h"

static unsigned tab_seq;

static int group_setup(void **state)
{
	(void)state;
	return kt_fixture_setup("test_keytab", TEST_PREFIX, "0-1", 4);
}

static struct keytab *new_table(uint32_t capacity, uint32_t sweep_batch)
{
	char name[32];
	struct keytab_cfg cfg = { 0 };
	struct keytab *kt = NULL;

	snprintf(name, sizeof(name), "kt%u", tab_seq++);
	cfg.name = name;
	cfg.capacity = capacity;
	cfg.socket_id = 0;
	cfg.qsv = qsv;
	cfg.mac = eng;
	cfg.sweep_batch = sweep_batch;
	assert_int_equal(keytab_create(&cfg, &kt), 0);
	return kt;
}

static void cga_of(uint32_t i, uint8_t cga[16])
{
	memset(cga, 0, 16);
	cga[0] = 0x20;
	cga[1] = 0x03;
	cga[12] = (uint8_t)(i >> 24);
	cga[13] = (uint8_t)(i >> 16);
	cga[14] = (uint8_t)(i >> 8);
	cga[15] = (uint8_t)i;
}

static const uint8_t pk1[20] = { 1, 2, 3 };

/* The record's MAC state verifies the published AT 0 FBU authenticator. */
static int rec_verifies_vector(const struct keytab_rec *r)
{
	struct wire_seg s = { ref_fbu_at0_from_par_link_mac_input,
			      ref_fbu_at0_from_par_link_mac_input_len };
	struct mac_job j = { .key = &r->mac,
			     .seg = &s,
			     .nseg = 1,
			     .len = s.len,
			     .tag = ref_fbu_at0_from_par_link_authenticator,
			     .tag_len = 12 };
	uint64_t ok = 0;
	return (int)mac_verify_burst(mctx, &j, 1, &ok);
}

static void test_add_find_replace_delete(void **state)
{
	struct keytab *kt = new_table(64, 0);
	const uint8_t *pcoa = ref_fbu_pcoa_addr;
	uint8_t other[16], k2[20];
	const struct keytab_rec *r1, *r2;
	struct keytab_stats st;

	(void)state;
	assert_null(keytab_find(kt, pcoa));
	assert_int_equal(
	    keytab_add(kt, pcoa, 0, ref_fbu_at0_key, ref_fbu_at0_key_len, pk1, 100, 43200), 0);
	r1 = keytab_find(kt, pcoa);
	assert_non_null(r1);
	assert_memory_equal(r1->cga, pcoa, 16);
	assert_memory_equal(r1->key, ref_fbu_at0_key, 20);
	assert_memory_equal(r1->pk_sha1, pk1, 20);
	assert_int_equal(r1->at, 0);
	assert_int_equal(r1->issued, 100);
	assert_int_equal(r1->expires, 100 + 43200);
	assert_int_equal(rec_verifies_vector(r1), 1);

	/* bad keys are refused, not stored */
	cga_of(7, other);
	assert_int_equal(keytab_add(kt, other, 5, ref_fbu_at0_key, 20, pk1, 0, 10), -EINVAL);
	assert_int_equal(keytab_add(kt, other, 0, ref_fbu_at0_key, 33, pk1, 0, 10), -EINVAL);
	assert_null(keytab_find(kt, other));

	/* replace: pointer swap, new contents, sequence carried over (A14's state; the rule is
	 * the gateway's, app/fmipgw/dp/fbu.h) */
	__atomic_store_n(&((struct keytab_rec *)r1)->last_seq, 0x10000u | 41, __ATOMIC_RELAXED);
	memcpy(k2, ref_fbu_at0_key, 20);
	k2[0] ^= 0x80;
	assert_int_equal(keytab_add(kt, pcoa, 0, k2, 20, pk1, 200, 50), 1);
	r2 = keytab_find(kt, pcoa);
	assert_non_null(r2);
	assert_ptr_not_equal(r1, r2);
	assert_memory_equal(r2->key, k2, 20);
	assert_int_equal(r2->expires, 250);
	assert_int_equal(rec_verifies_vector(r2), 0);
	assert_int_equal(r2->last_seq, 0x10000u | 41);

	keytab_get_stats(kt, &st);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.replaced, 1);
	assert_int_equal(st.live, 1);
	assert_int_equal(st.errors, 2);

	/* bulk lookup with precomputed signatures: hit, miss, hit */
	{
		const uint8_t *keys[3] = { pcoa, other, pcoa };
		hash_sig_t sigs[3];
		struct keytab_rec *recs[3];
		for (int i = 0; i < 3; i++)
			sigs[i] = keytab_sig(kt, keys[i]);
		assert_int_equal(keytab_lookup_bulk(kt, keys, sigs, 3, recs), 2);
		assert_ptr_equal(recs[0], r2);
		assert_null(recs[1]);
		assert_ptr_equal(recs[2], r2);
	}

	assert_int_equal(keytab_del(kt, pcoa), 0);
	assert_int_equal(keytab_del(kt, pcoa), -ENOENT);
	assert_null(keytab_find(kt, pcoa));
	keytab_get_stats(kt, &st);
	assert_int_equal(st.live, 0);
	assert_int_equal(st.deleted, 1);
	keytab_free(kt);
}

static void test_expire(void **state)
{
	struct keytab *kt = new_table(1024, 0);
	struct keytab_stats st;
	uint8_t cga[16];
	unsigned removed = 0, calls = 0, r;

	(void)state;
	/* 1000 keys: even ones live 100, odd ones 1000 */
	for (uint32_t i = 0; i < 1000; i++) {
		cga_of(i, cga);
		assert_int_equal(
		    keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, (i & 1) ? 1000 : 100), 0);
	}
	/* key 3 is deleted (the writer ends a key whose forwarding ended, A13) */
	cga_of(3, cga);
	assert_int_equal(keytab_del(kt, cga), 0);
	assert_null(keytab_find(kt, cga));

	/* nothing is due at 99 */
	assert_int_equal(keytab_sweep(kt, 99, 5000), 0);
	/* at 100: the 500 even keys go, at most 64 entries looked at per call */
	while (calls < 100) {
		r = keytab_sweep(kt, 100, 64);
		assert_true(r <= 64);
		removed += r;
		calls++;
		keytab_get_stats(kt, &st);
		if (st.live == 1000 - 1 - 500)
			break;
	}
	assert_int_equal(removed, 500);
	assert_true(calls >= 500 / 64);
	for (uint32_t i = 0; i < 1000; i++) {
		cga_of(i, cga);
		if ((i & 1) && i != 3)
			assert_non_null(keytab_find(kt, cga));
		else
			assert_null(keytab_find(kt, cga));
	}
	keytab_get_stats(kt, &st);
	assert_int_equal(st.expired, 500);
	assert_int_equal(st.deleted, 1);
	keytab_free(kt);
}

static void test_full_table(void **state)
{
	struct keytab *kt = new_table(16, 0);
	struct keytab_stats st;
	uint8_t cga[16];

	(void)state;
	for (uint32_t i = 0; i < 16; i++) {
		cga_of(i, cga);
		assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	}
	cga_of(16, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), -ENOSPC);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), -ENOSPC);
	assert_null(keytab_find(kt, cga));
	keytab_get_stats(kt, &st);
	assert_int_equal(st.full, 2);
	assert_int_equal(st.live, 16);
	/* no live key was evicted; a present key can still be replaced while full */
	for (uint32_t i = 0; i < 16; i++) {
		cga_of(i, cga);
		assert_non_null(keytab_find(kt, cga));
	}
	cga_of(3, cga);
	assert_int_equal(keytab_add(kt, cga, 1, ref_fbu_at1_key, 32, pk1, 0, 100), 1);
	assert_int_equal(keytab_find(kt, cga)->at, 1);
	/* after a delete there is room again */
	cga_of(4, cga);
	assert_int_equal(keytab_del(kt, cga), 0);
	cga_of(16, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	keytab_free(kt);
}

/* The signature seed is configurable, random by default: the same CGA hashes differently. */
/* A deleted key is zeroed and freed once the readers have passed a quiescent state, without
 * waiting for another delete; adds below capacity succeed while a reader is mid-burst. */
static void test_reclaim_with_reader(void **state)
{
	struct keytab *kt = new_table(16, 0);
	struct keytab_stats st;
	uint8_t cga[16];

	(void)state;
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 2), 0);
	rte_rcu_qsbr_thread_online(qsv, 2); /* a reader mid-burst from here on */
	for (uint32_t i = 0; i < 16; i++) {
		cga_of(i, cga);
		assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	}
	for (uint32_t i = 0; i < 2; i++) {
		cga_of(i, cga);
		assert_int_equal(keytab_del(kt, cga), 0);
		assert_null(keytab_find(kt, cga));
	}
	/* room below capacity while the deleted slots wait for their grace period */
	for (uint32_t i = 16; i < 18; i++) {
		cga_of(i, cga);
		assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	}
	cga_of(18, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), -ENOSPC);
	keytab_sweep(kt, 0, 0);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.live, 16);
	assert_int_equal(st.freed, 0); /* the reader may still hold them */
	rte_rcu_qsbr_quiescent(qsv, 2);
	keytab_sweep(kt, 0, 0);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.freed, 2); /* no further delete needed */
	rte_rcu_qsbr_thread_offline(qsv, 2);
	rte_rcu_qsbr_thread_unregister(qsv, 2);
	keytab_free(kt);
}

static void test_hash_seed(void **state)
{
	struct keytab_cfg cfg = { .capacity = 8, .qsv = qsv, .mac = eng };
	struct keytab *a, *b;
	uint8_t cga[16];
	unsigned differ = 0;

	(void)state;
	cfg.name = "seed_a";
	cfg.hash_seed = 1;
	assert_int_equal(keytab_create(&cfg, &a), 0);
	cfg.name = "seed_b";
	cfg.hash_seed = 2;
	assert_int_equal(keytab_create(&cfg, &b), 0);
	for (uint32_t i = 0; i < 16; i++) {
		cga_of(i, cga);
		differ += keytab_sig(a, cga) != keytab_sig(b, cga);
	}
	assert_true(differ >= 15);
	cga_of(3, cga);
	assert_int_equal(keytab_add(b, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 10), 0);
	{
		const uint8_t *keys[1] = { cga };
		hash_sig_t sig = keytab_sig(b, cga);
		struct keytab_rec *r[1];
		assert_int_equal(keytab_lookup_bulk(b, keys, &sig, 1, r), 1);
		assert_memory_equal(r[0]->cga, cga, 16);
	}
	keytab_free(a);
	keytab_free(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Concurrent reader                                                                           */
/* ------------------------------------------------------------------------------------------ */

#define N_CGA 256

struct reader_arg {
	struct keytab *kt;
	volatile int stop;
	uint64_t lookups, hits, bad;
};

/* The writer stores, for CGA c, a key whose first 16 octets are c and whose last 4 octets are
 * a generation number: a reader can check any record it finds against the CGA it asked for. */
static int reader_main(void *p)
{
	struct reader_arg *a = p;
	uint8_t cgas[N_CGA][16];
	const uint8_t *keys[32];
	hash_sig_t sigs[32];
	struct keytab_rec *recs[32];
	uint32_t x = 12345;

	for (uint32_t i = 0; i < N_CGA; i++)
		cga_of(i, cgas[i]);
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	while (!a->stop) {
		for (int i = 0; i < 32; i++) {
			x = x * 1103515245u + 12345u;
			keys[i] = cgas[(x >> 8) % N_CGA];
			sigs[i] = keytab_sig(a->kt, keys[i]);
		}
		a->hits += keytab_lookup_bulk(a->kt, keys, sigs, 32, recs);
		__atomic_fetch_add(&a->lookups, 32, __ATOMIC_RELAXED);
		for (int i = 0; i < 32; i++) {
			const struct keytab_rec *r = recs[i];
			if (r == NULL)
				continue;
			/* a zeroed (freed) or foreign record fails here; ASan aborts on a
			 * freed one before that */
			if (memcmp(r->cga, keys[i], 16) != 0 || memcmp(r->key, keys[i], 16) != 0 ||
			    r->key_len != 20 || r->mac.alg != MAC_ALG_HMAC_SHA1 ||
			    r->mac.tag_len != 12)
				a->bad++;
		}
		rte_rcu_qsbr_quiescent(qsv, 0);
	}
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	return 0;
}

static void test_concurrent_reader(void **state)
{
	struct keytab *kt = new_table(N_CGA / 2, 32);
	struct reader_arg a = { 0 };
	unsigned worker = rte_get_next_lcore(-1, 1, 0);
	struct keytab_stats st;
	uint32_t x = 777, gen = 0;
	uint64_t now = 0;
	unsigned ops[5] = { 0 };

	(void)state;
	assert_true(worker < RTE_MAX_LCORE);
	a.kt = kt;
	assert_int_equal(rte_eal_remote_launch(reader_main, &a, worker), 0);
	/* overlap for sure, even on a loaded machine: start once the reader runs, and go on
	 * until it has done at least 2000 bursts */
	while (__atomic_load_n(&a.lookups, __ATOMIC_RELAXED) == 0)
		rte_pause();
	for (int it = 0; it < 200000 || __atomic_load_n(&a.lookups, __ATOMIC_RELAXED) < 2000 * 32;
	     it++) {
		uint8_t cga[16], key[20];
		uint32_t i;
		int rc;

		x = x * 1664525u + 1013904223u;
		i = (x >> 8) % N_CGA;
		cga_of(i, cga);
		memcpy(key, cga, 16);
		gen++;
		memcpy(key + 16, &gen, 4);
		switch ((x >> 24) % 8) {
		case 0:
		case 1:
		case 2: /* add or replace */
			rc = keytab_add(kt, cga, 0, key, 20, pk1, now, 1 + (x >> 16) % 4096);
			assert_true(rc == 0 || rc == 1 || rc == -ENOSPC);
			ops[rc < 0 ? 4 : rc]++;
			break;
		case 3:
		case 4:
			if (keytab_del(kt, cga) == 0)
				ops[2]++;
			break;
		case 5: /* a replace with a lifetime that ends at the next sweep */
			rc = keytab_add(kt, cga, 0, key, 20, pk1, now, 1);
			assert_true(rc == 0 || rc == 1 || rc == -ENOSPC);
			ops[rc < 0 ? 4 : rc]++;
			break;
		default:
			now++;
			ops[3] += keytab_sweep(kt, now, 0);
			break;
		}
	}
	a.stop = 1;
	rte_eal_wait_lcore(worker);
	keytab_get_stats(kt, &st);
	print_message("reader: %" PRIu64 " lookups, %" PRIu64 " hits; writer: added %u replaced "
		      "%u deleted %u expired %u full %u; freed %" PRIu64 "\n",
		      a.lookups, a.hits, ops[0], ops[1], ops[2], ops[3], ops[4], st.freed);
	assert_int_equal(a.bad, 0);
	assert_true(a.lookups > 0);
	assert_true(a.hits > 0);
	assert_true(ops[0] > 0 && ops[1] > 0 && ops[2] > 0 && ops[3] > 0);
	assert_int_equal(st.added, ops[0]);
	assert_int_equal(st.replaced, ops[1]);
	/* every record created is either live, waiting for its grace period, or was freed once */
	assert_true(st.freed <= st.added + st.replaced - st.live);
	assert_true(st.freed > 0);
	/* the live count matches what the table holds (rte_hash_count also counts slots still
	 * waiting for reclaim, so walk it) */
	{
		const void *k;
		void *d;
		uint32_t pos = 0, n = 0;
		while (rte_hash_iterate(keytab_hash_table(kt), &k, &d, &pos) >= 0)
			n++;
		assert_int_equal(st.live, n);
		assert_true(n <= N_CGA / 2);
	}
	assert_true(st.full > 0);
	keytab_free(kt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_replace_delete),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_reclaim_with_reader),
		cmocka_unit_test(test_hash_seed),
		cmocka_unit_test(test_concurrent_reader),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
