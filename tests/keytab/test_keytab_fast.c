/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab, the fast-path parts of issue 14: the record layout (line 0 = HMAC states, AT in
 * the data pointer), records from the table's mempool excluded from core dumps (VmFlags "dd"
 * in /proc/self/smaps over every record), replace churn beyond the pool size, and the
 * lookup pipeline (keytab_batch / keytab_pipe) at depth 0 and 1, including the RCU rule:
 * a record looked up after a quiescent state is not freed before the next one.
 *
 * EAL: --no-huge --no-pci -m 256, a unique --file-prefix, one lcore.
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
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"
#include "kt_fixture.h"
#include "mac.h"
#include "reference_vectors.h"

static unsigned tab_seq;
static const uint8_t pk[20] = { 9 };

static int group_setup(void **state)
{
	(void)state;
	return kt_fixture_setup("test_keytab_fast", "fmipgw_test_keytab_fast", "0", 2);
}

static struct keytab *new_table(uint32_t capacity)
{
	char name[32];
	struct keytab_cfg cfg = { .capacity = capacity, .qsv = qsv, .mac = eng };
	struct keytab *kt = NULL;

	snprintf(name, sizeof(name), "ktf%u", tab_seq++);
	cfg.name = name;
	assert_int_equal(keytab_create(&cfg, &kt), 0);
	return kt;
}

static void cga_of(uint32_t i, uint8_t cga[16])
{
	memset(cga, 0, 16);
	cga[0] = 0x20;
	cga[1] = 0x03;
	memcpy(cga + 12, &i, 4);
}

/* Even i: AT 0 with the published AT 0 key; odd i: AT 1 with the published AT 1 key. */
static void add(struct keytab *kt, uint32_t i)
{
	uint8_t cga[16];
	cga_of(i, cga);
	if (i & 1)
		assert_true(keytab_add(kt, cga, 1, ref_fbu_at1_key, 32, pk, 0, 100) >= 0);
	else
		assert_true(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk, 0, 100) >= 0);
}

/* The VmFlags of the mapping that holds address a contain "dd" (VM_DONTDUMP). */
static int vma_dontdump(const void *a)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, dd = -1;
	uintptr_t x = (uintptr_t)a;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = x >= lo && x < hi;
			continue;
		}
		if (in && strncmp(line, "VmFlags:", 8) == 0) {
			dd = strstr(line, " dd") != NULL;
			break;
		}
	}
	fclose(f);
	return dd;
}

static void test_records_not_dumped(void **state)
{
	struct keytab *kt = new_table(1000);
	void *heap = malloc(1 << 20);
	uint32_t it = 0, n = 0;
	const struct keytab_rec *r;

	(void)state;
	for (uint32_t i = 0; i < 1000; i++)
		add(kt, i);
	/* the check itself: ordinary heap memory is dumped */
	assert_int_equal(vma_dontdump(heap), 0);
	free(heap);
	while (keytab_iterate(kt, &it, &r)) {
		assert_int_equal((uintptr_t)r % 64, 0);
		assert_int_equal(vma_dontdump(r), 1);
		assert_int_equal(vma_dontdump(r->key + KEYTAB_KEY_MAX - 1), 1);
		n++;
	}
	assert_int_equal(n, 1000);
	keytab_free(kt);
}

/* Replacing one CGA's key many more times than the pool has records (no reader online). */
static void test_replace_churn_beyond_pool(void **state)
{
	struct keytab *kt = new_table(8);
	struct keytab_stats st;
	uint8_t cga[16];

	(void)state;
	cga_of(1, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk, 0, 100), 0);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(keytab_add(kt, cga, (uint8_t)(i & 1), ref_fbu_at1_key,
					    (i & 1) ? 32 : 20, pk, 0, 100),
				 1);
	keytab_sweep(kt, 0, 0);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.replaced, 5000);
	assert_int_equal(st.freed, 5000);
	assert_int_equal(st.errors, 0);
	keytab_free(kt);
}

/* The batch gives the records keytab_find() gives, and their AT from the pointer. */
static void test_batch_records_and_at(void **state)
{
	struct keytab *kt = new_table(512);
	struct keytab_batch b;
	uint8_t cga[KEYTAB_BATCH_MAX][16];

	(void)state;
	for (uint32_t i = 0; i < 300; i++)
		add(kt, i);
	keytab_batch_reset(&b);
	for (uint32_t i = 0; i < KEYTAB_BATCH_MAX; i++) {
		cga_of(i * 4 + (i % 3 == 0 ? 1000 : 1), cga[i]); /* 1 in 3 not in the table */
		assert_int_equal(keytab_batch_add(kt, &b, cga[i]), (int)i);
	}
	assert_int_equal(keytab_batch_add(kt, &b, cga[0]), -1);
	assert_int_equal(keytab_batch_lookup(kt, &b), KEYTAB_BATCH_MAX - 22);
	for (uint32_t i = 0; i < KEYTAB_BATCH_MAX; i++) {
		const struct keytab_rec *want = keytab_find(kt, cga[i]);
		assert_ptr_equal(b.recs[i], want);
		assert_int_equal((b.hits >> i) & 1, want != NULL);
		if (want != NULL) {
			assert_int_equal(b.at[i], 1); /* odd i*4+1: AT 1 */
			assert_int_equal(b.at[i], want->at);
			assert_int_equal(want->mac.alg, MAC_ALG_HMAC_SHA256);
			assert_memory_equal(want->cga, cga[i], 16);
		}
	}
	keytab_free(kt);
}

/* The published AT 0 FBU MAC input verifies with a record from a batch, AT from the pointer. */
static void test_batch_verifies_vector(void **state)
{
	struct keytab *kt = new_table(8);
	struct keytab_batch b;

	(void)state;
	assert_int_equal(keytab_add(kt, ref_fbu_pcoa_addr, 0, ref_fbu_at0_key, 20, pk, 0, 100), 0);
	keytab_batch_reset(&b);
	keytab_batch_add(kt, &b, ref_fbu_pcoa_addr);
	assert_int_equal(keytab_batch_lookup(kt, &b), 1);
	mac_burst_add(mctx, &b.recs[0]->mac, b.at[0], ref_fbu_at0_from_par_link_mac_input,
		      ref_fbu_at0_from_par_link_mac_input_len,
		      ref_fbu_at0_from_par_link_authenticator, 12);
	assert_int_equal(mac_burst_verify(mctx), 1);
	keytab_free(kt);
}

/* Bursts through the pipe: ready() is the burst of the previous loop (depth 1) or this
 * loop's (depth 0), with the records of exactly its keys. */
static void run_pipe(struct keytab *kt, unsigned depth)
{
	struct keytab_pipe p;
	uint8_t keys[2][8][16];
	unsigned loops = 6;

	keytab_pipe_init(&p, depth);
	for (unsigned k = 0; k < loops; k++) {
		struct keytab_batch *b = keytab_pipe_begin(&p), *r;
		unsigned slot = keytab_pipe_idx(&p, b);

		assert_int_equal(b->n, 0);
		for (unsigned i = 0; i < 8; i++) {
			cga_of(k * 8 + i, keys[slot][i]);
			keytab_batch_add(kt, b, keys[slot][i]);
		}
		if (depth == 0)
			keytab_pipe_advance(kt, &p);
		r = keytab_pipe_ready(&p);
		if (depth == 1 && k == 0) {
			assert_int_equal(r->n, 0); /* nothing looked up yet */
		} else {
			unsigned burst = depth ? k - 1 : k;
			assert_int_equal(r->n, 8);
			assert_int_equal(r->found, 8);
			for (unsigned i = 0; i < 8; i++) {
				uint8_t want[16];
				cga_of(burst * 8 + i, want);
				assert_memory_equal(r->recs[i]->cga, want, 16);
				assert_int_equal(r->at[i], (burst * 8 + i) & 1);
			}
		}
		rte_rcu_qsbr_quiescent(qsv, 0);
		if (depth == 1)
			keytab_pipe_advance(kt, &p);
	}
}

static void test_pipe_depths(void **state)
{
	struct keytab *kt = new_table(64);

	(void)state;
	for (uint32_t i = 0; i < 64; i++)
		add(kt, i);
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 0), 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	run_pipe(kt, 0);
	run_pipe(kt, 1);
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	keytab_free(kt);
}

/* Depth 1 and RCU: a record looked up after the quiescent state of loop k is held through
 * loop k+1's verification; the writer deletes it in between: it is freed only after the
 * reader's next quiescent state. */
static void test_pipe_rcu(void **state)
{
	struct keytab *kt = new_table(8);
	struct keytab_pipe p;
	struct keytab_batch *b;
	struct keytab_stats st;
	uint8_t cga[16];

	(void)state;
	cga_of(5, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk, 0, 100), 0);
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 1), 0);
	rte_rcu_qsbr_thread_online(qsv, 1);
	keytab_pipe_init(&p, 1);
	b = keytab_pipe_begin(&p);
	keytab_batch_add(kt, b, cga);
	rte_rcu_qsbr_quiescent(qsv, 1);
	keytab_pipe_advance(kt, &p); /* looked up after the quiescent state */
	assert_int_equal(keytab_del(kt, cga), 0);
	keytab_sweep(kt, 0, 0);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.freed, 0);
	/* next loop: the record is still whole when it is verified */
	b = keytab_pipe_begin(&p);
	assert_memory_equal(keytab_pipe_ready(&p)->recs[0]->cga, cga, 16);
	assert_memory_equal(keytab_pipe_ready(&p)->recs[0]->key, ref_fbu_at0_key, 20);
	rte_rcu_qsbr_quiescent(qsv, 1);
	keytab_pipe_advance(kt, &p);
	keytab_sweep(kt, 0, 0);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.freed, 1);
	rte_rcu_qsbr_thread_offline(qsv, 1);
	rte_rcu_qsbr_thread_unregister(qsv, 1);
	keytab_free(kt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_not_dumped),
		cmocka_unit_test(test_replace_churn_beyond_pool),
		cmocka_unit_test(test_batch_records_and_at),
		cmocka_unit_test(test_batch_verifies_vector),
		cmocka_unit_test(test_pipe_depths),
		cmocka_unit_test(test_pipe_rcu),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
