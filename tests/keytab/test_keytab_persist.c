/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab persistence (keytab.h "Persistence"; issue 13 item 7, issue 12): a record's
 * persistent fields out and into another table with its times and last sequence (the MAC
 * states recomputed: the published AT 0 authenticator verifies), every refusal of
 * keytab_insert with the statistics it moves, and the walk by key slot: in steps, with
 * deletes, adds and replaces between the steps on a table loaded to 87 % (cuckoo
 * displacement and extendable buckets), every key present throughout is seen exactly once.
 *
 * EAL: --no-huge --no-pci -m 256, a unique --file-prefix.
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

static int group_setup(void **state)
{
	(void)state;
	return kt_fixture_setup("test_keytab_persist", "fmipgw_test_keytab_persist", "0", 2);
}

static struct keytab *new_table(uint32_t capacity)
{
	char name[32];
	struct keytab_cfg cfg = { 0 };
	struct keytab *kt = NULL;

	snprintf(name, sizeof(name), "ktp%u", tab_seq++);
	cfg.name = name;
	cfg.capacity = capacity;
	cfg.qsv = qsv;
	cfg.mac = eng;
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

static uint32_t index_of(const uint8_t cga[16])
{
	return (uint32_t)cga[12] << 24 | (uint32_t)cga[13] << 16 | (uint32_t)cga[14] << 8 | cga[15];
}

static const uint8_t pk1[20] = { 0xa1, 0xa2, 0xa3 };

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

/* Out of one table, into another: every field as it was, the MAC states recomputed. */
static void test_entry_round_trip(void **state)
{
	struct keytab *a = new_table(64), *b = new_table(64);
	const uint8_t *pcoa = ref_fbu_pcoa_addr;
	const struct keytab_rec *r;
	struct keytab_entry e;
	struct keytab_stats st;

	(void)state;
	assert_int_equal(
	    keytab_add(a, pcoa, 0, ref_fbu_at0_key, ref_fbu_at0_key_len, pk1, 1000, 43200), 0);
	r = keytab_find(a, pcoa);
	__atomic_store_n(&((struct keytab_rec *)r)->last_seq, 0x10000u | 4242, __ATOMIC_RELAXED);
	__atomic_store_n(&((struct keytab_rec *)r)->expires, 20000, __ATOMIC_RELAXED);
	keytab_entry_get(r, &e);
	assert_memory_equal(e.cga, pcoa, 16);
	assert_memory_equal(e.pk_sha1, pk1, 20);
	assert_int_equal(e.at, 0);
	assert_int_equal(e.key_len, 20);
	assert_memory_equal(e.key, ref_fbu_at0_key, 20);
	assert_int_equal(e.issued, 1000);
	assert_int_equal(e.hk_expires, 44200);
	assert_int_equal(e.expires, 20000);
	assert_int_equal(e.last_seq, 0x10000u | 4242);

	/* restored elsewhere with other times: exactly those */
	e.issued = 7;
	e.hk_expires = 107;
	e.expires = 90;
	assert_int_equal(keytab_insert(b, &e), 0);
	r = keytab_find(b, pcoa);
	assert_non_null(r);
	assert_int_equal(r->issued, 7);
	assert_int_equal(r->hk_expires, 107);
	assert_int_equal(r->expires, 90);
	assert_int_equal(r->last_seq, 0x10000u | 4242);
	assert_int_equal(r->at, 0);
	assert_int_equal(r->key_len, 20);
	assert_memory_equal(r->pk_sha1, pk1, 20);
	assert_int_equal(rec_verifies_vector(r), 1);
	keytab_get_stats(b, &st);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.live, 1);
	/* the AT rides in the data pointer (the fast path reads it from there) */
	{
		struct keytab_batch bt;

		keytab_batch_reset(&bt);
		keytab_batch_add(b, &bt, pcoa);
		assert_int_equal(keytab_batch_lookup(b, &bt), 1);
		assert_ptr_equal(bt.recs[0], r);
		assert_int_equal(bt.at[0], 0);
	}
	memset(&e, 0, sizeof(e));
	keytab_free(a);
	keytab_free(b);
}

static void test_insert_refusals(void **state)
{
	struct keytab *kt = new_table(16);
	struct keytab_entry e = { 0 };
	struct keytab_stats st;
	const struct keytab_rec *r;

	(void)state;
	cga_of(1, e.cga);
	memcpy(e.pk_sha1, pk1, 20);
	e.at = 0;
	e.key_len = 20;
	memcpy(e.key, ref_fbu_at0_key, 20);
	e.issued = 10;
	e.hk_expires = e.expires = 110;
	assert_int_equal(keytab_insert(kt, &e), 0);
	r = keytab_find(kt, e.cga);

	/* the CGA has a key: nothing changes (no pointer swap, no statistics) */
	e.expires = e.hk_expires = 999;
	assert_int_equal(keytab_insert(kt, &e), -EEXIST);
	assert_ptr_equal(keytab_find(kt, e.cga), r);
	assert_int_equal(r->expires, 110);

	cga_of(2, e.cga);
	e.at = 5; /* not in the AT map */
	assert_int_equal(keytab_insert(kt, &e), -EINVAL);
	e.at = 0;
	e.key_len = 0;
	assert_int_equal(keytab_insert(kt, &e), -EINVAL);
	e.key_len = KEYTAB_KEY_MAX + 1;
	assert_int_equal(keytab_insert(kt, &e), -EINVAL);
	e.key_len = 20;
	e.issued = 1000; /* ends before it began */
	assert_int_equal(keytab_insert(kt, &e), -EINVAL);
	e.issued = 10;
	assert_null(keytab_find(kt, e.cga));
	keytab_get_stats(kt, &st);
	assert_int_equal(st.errors, 4);
	assert_int_equal(st.live, 1);

	for (uint32_t i = 2; i <= 16; i++) {
		cga_of(i, e.cga);
		assert_int_equal(keytab_insert(kt, &e), 0);
	}
	cga_of(17, e.cga);
	assert_int_equal(keytab_insert(kt, &e), -ENOSPC);
	keytab_get_stats(kt, &st);
	assert_int_equal(st.full, 1);
	assert_int_equal(st.live, 16);
	assert_int_equal(st.added, 16);
	memset(&e, 0, sizeof(e));
	keytab_free(kt);
}

/* A replace keeps the slot: the walk finds the new record where the old one was. */
static void test_slot_replace(void **state)
{
	struct keytab *kt = new_table(64);
	const struct keytab_rec *r, *s = NULL;
	uint8_t cga[16], k2[20];
	uint32_t slot = UINT32_MAX;

	(void)state;
	cga_of(9, cga);
	assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	for (uint32_t i = 0; i < keytab_slots(kt); i++)
		if (keytab_slot(kt, i, &s)) {
			assert_int_equal(slot, UINT32_MAX); /* one key, one slot */
			slot = i;
		}
	assert_ptr_equal(s, keytab_find(kt, cga));
	memcpy(k2, ref_fbu_at0_key, 20);
	k2[3] ^= 1;
	assert_int_equal(keytab_add(kt, cga, 0, k2, 20, pk1, 5, 100), 1);
	r = keytab_find(kt, cga);
	assert_ptr_not_equal(r, s);
	assert_int_equal(keytab_slot(kt, slot, &s), 1);
	assert_ptr_equal(s, r);
	assert_int_equal(keytab_del(kt, cga), 0);
	assert_int_equal(keytab_slot(kt, slot, &s), 0); /* a deleted key's slot holds nothing */
	assert_int_equal(keytab_slot(kt, keytab_slots(kt), &s), 0);
	keytab_free(kt);
}

/*
 * 448 keys in a table of 512 slots: the walk goes 5 slots at a time; between two steps one
 * doomed key is deleted, one new key added and one stable key replaced.  Every stable key is
 * seen exactly once, no key twice.
 */
static void test_slot_walk_under_churn(void **state)
{
	enum { CAP = 448, STABLE = 300, NEW0 = 100000 };
	struct keytab *kt = new_table(CAP);
	static uint8_t seen[NEW0 + 1024];
	uint32_t victim = STABLE, added = 0, replaced = 0;
	uint8_t cga[16], k2[20];

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (uint32_t i = 0; i < CAP; i++) {
		cga_of(i, cga);
		assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100), 0);
	}
	assert_true(keytab_slots(kt) >= CAP);
	memcpy(k2, ref_fbu_at0_key, 20);
	for (uint32_t slot = 0; slot < keytab_slots(kt);) {
		for (unsigned n = 0; n < 5 && slot < keytab_slots(kt); n++, slot++) {
			const struct keytab_rec *r;

			if (keytab_slot(kt, slot, &r)) {
				uint32_t i = index_of(r->cga);

				assert_true(i < sizeof(seen));
				seen[i]++;
			}
		}
		if (victim < CAP) { /* room for one more: delete, then add */
			cga_of(victim++, cga);
			assert_int_equal(keytab_del(kt, cga), 0);
			cga_of(NEW0 + added++, cga);
			assert_int_equal(keytab_add(kt, cga, 0, ref_fbu_at0_key, 20, pk1, 0, 100),
					 0);
		}
		cga_of(replaced++ % STABLE, cga);
		k2[0] = (uint8_t)replaced;
		assert_int_equal(keytab_add(kt, cga, 0, k2, 20, pk1, 1, 100), 1);
		keytab_sweep(kt, 0, 0); /* reclaims (no reader is registered) */
	}
	for (uint32_t i = 0; i < STABLE; i++)
		assert_int_equal(seen[i], 1);
	for (uint32_t i = 0; i < sizeof(seen); i++)
		assert_true(seen[i] <= 1);
	assert_true(added > 100);
	keytab_free(kt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_round_trip),
		cmocka_unit_test(test_insert_refusals),
		cmocka_unit_test(test_slot_replace),
		cmocka_unit_test(test_slot_walk_under_churn),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
