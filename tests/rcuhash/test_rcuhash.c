/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/rcuhash: lib/rcuhash's contract (rcuhash.h) on one thread, with the reader's QSBR
 * state driven by hand: insert / replace / delete and what the writer finds; the deferred
 * free (nothing reaches free_fn before the reader's quiescent state, everything after, with
 * deleted set for removed keys only); the key slot of a removed key staying taken until its
 * grace period ends (-ENOSPC, then the same add succeeds); the barrier; bulk lookups with and
 * without signatures, misses and n beyond RTE_HASH_LOOKUP_BULK_MAX.  EAL --no-huge --no-pci.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "rcuhash.h"

#define READER 0 /* the QSBR thread id this test plays the reader with */
#define NITEM  64

struct item {
	uint64_t key;
	uint32_t id;
};

/* What free_fn saw, in order. */
struct freed {
	const void *data;
	bool deleted;
};

static struct rte_rcu_qsbr *qsv;
static struct item items[NITEM];
static struct freed log_[4 * NITEM];
static unsigned n_log, tab_seq;

static void free_cb(void *arg, void *data, bool deleted)
{
	assert_ptr_equal(arg, &n_log);
	assert_true(n_log < sizeof(log_) / sizeof(log_[0]));
	log_[n_log].data = data;
	log_[n_log].deleted = deleted;
	n_log++;
}

static struct rcuhash *new_hash(uint32_t entries)
{
	char name[32];
	struct rcuhash_cfg cfg = { 0 };
	struct rcuhash *rh = NULL;

	snprintf(name, sizeof(name), "t_rh%u", tab_seq++);
	cfg.name = name;
	cfg.entries = entries;
	cfg.key_len = sizeof(uint64_t);
	cfg.seed = 0x5eed;
	cfg.socket_id = SOCKET_ID_ANY;
	cfg.qsv = qsv;
	cfg.free_fn = free_cb;
	cfg.arg = &n_log;
	assert_int_equal(rcuhash_create(&cfg, &rh), 0);
	assert_non_null(rh);
	n_log = 0;
	return rh;
}

static int add(struct rcuhash *rh, unsigned i)
{
	return rcuhash_publish(rh, &items[i].key, rcuhash_sig(rh, &items[i].key), &items[i], NULL);
}

static void *find(const struct rcuhash *rh, uint64_t key)
{
	return rcuhash_find(rh, &key, rcuhash_sig(rh, &key));
}

/* The reader goes online (mid-burst) before the writer changes anything. */
static void reader_online(void)
{
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, READER), 0);
	rte_rcu_qsbr_thread_online(qsv, READER);
}

static void reader_offline(void)
{
	rte_rcu_qsbr_thread_offline(qsv, READER);
	assert_int_equal(rte_rcu_qsbr_thread_unregister(qsv, READER), 0);
}

static void test_insert_replace_delete(void **state)
{
	struct rcuhash *rh = new_hash(16);
	struct item repl = { .key = items[1].key, .id = 1001 };
	const void *key;
	void *data, *out = NULL;
	uint32_t it = 0;
	unsigned seen = 0;

	(void)state;
	reader_online();
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(add(rh, i), 0);
	for (unsigned i = 0; i < 4; i++)
		assert_ptr_equal(find(rh, items[i].key), &items[i]);
	assert_null(find(rh, items[4].key));

	/* replace: the new data at once, the old one deferred */
	assert_int_equal(
	    rcuhash_publish(rh, &repl.key, rcuhash_sig(rh, &repl.key), &repl, &items[1]), 1);
	assert_ptr_equal(find(rh, items[1].key), &repl);

	/* remove: gone for the writer at once, its data handed back, deferred */
	assert_int_equal(rcuhash_remove(rh, &items[2].key, rcuhash_sig(rh, &items[2].key), &out),
			 0);
	assert_ptr_equal(out, &items[2]);
	assert_null(find(rh, items[2].key));
	assert_int_equal(rcuhash_remove(rh, &items[2].key, rcuhash_sig(rh, &items[2].key), &out),
			 -ENOENT);
	assert_int_equal(rcuhash_remove(rh, &items[9].key, rcuhash_sig(rh, &items[9].key), NULL),
			 -ENOENT);

	/* the iteration shows the three live keys with their current data */
	while (rcuhash_iterate(rh, &key, &data, &it) >= 0) {
		const struct item *d = data;
		assert_memory_equal(key, &d->key, sizeof(d->key));
		assert_true(d == &items[0] || d == &repl || d == &items[3]);
		seen++;
	}
	assert_int_equal(seen, 3);

	/* nothing freed while the reader has not reported a quiescent state */
	assert_int_equal(rcuhash_reclaim(rh, UINT32_MAX), 0);
	assert_int_equal(n_log, 0);
	rte_rcu_qsbr_quiescent(qsv, READER);
	assert_int_equal(rcuhash_reclaim(rh, UINT32_MAX), 2);
	assert_int_equal(n_log, 2);
	assert_ptr_equal(log_[0].data, &items[1]); /* in the order deferred */
	assert_false(log_[0].deleted);
	assert_ptr_equal(log_[1].data, &items[2]);
	assert_true(log_[1].deleted);
	assert_int_equal(rcuhash_reclaim(rh, UINT32_MAX), 0);

	reader_offline();
	rcuhash_free(rh); /* live entries are not passed to free_fn */
	assert_int_equal(n_log, 2);
}

/* A removed key's slot stays taken for its grace period: entries keys fit, not one more. */
static void test_slot_held_until_grace_period(void **state)
{
	struct rcuhash *rh = new_hash(8);

	(void)state;
	reader_online();
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(add(rh, i), 0);
	assert_int_equal(add(rh, 8), -ENOSPC);
	assert_int_equal(rcuhash_remove(rh, &items[0].key, rcuhash_sig(rh, &items[0].key), NULL),
			 0);
	assert_int_equal(add(rh, 8), -ENOSPC); /* the reader may still hold items[0]'s slot */
	assert_int_equal(n_log, 0);
	rte_rcu_qsbr_quiescent(qsv, READER);
	assert_int_equal(add(rh, 8), 0); /* publish reclaimed the slot, then added */
	assert_int_equal(n_log, 1);
	assert_ptr_equal(log_[0].data, &items[0]);
	assert_true(log_[0].deleted);
	assert_ptr_equal(find(rh, items[8].key), &items[8]);
	assert_null(find(rh, items[0].key));
	reader_offline();
	rcuhash_free(rh);
}

/* The barrier waits for the readers (offline here: at once) and frees everything pending;
 * rcuhash_free() frees what is still pending. */
static void test_barrier_and_free(void **state)
{
	struct rcuhash *rh = new_hash(16);

	(void)state;
	reader_online();
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(add(rh, i), 0);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(
		    rcuhash_remove(rh, &items[i].key, rcuhash_sig(rh, &items[i].key), NULL), 0);
	assert_int_equal(n_log, 0);
	reader_offline();
	rcuhash_barrier(rh);
	assert_int_equal(n_log, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_ptr_equal(log_[i].data, &items[i]);
		assert_true(log_[i].deleted);
	}

	reader_online();
	assert_int_equal(rcuhash_remove(rh, &items[3].key, rcuhash_sig(rh, &items[3].key), NULL),
			 0);
	assert_int_equal(rcuhash_publish(rh, &items[4].key, rcuhash_sig(rh, &items[4].key),
					 &items[40], &items[4]),
			 1);
	assert_int_equal(n_log, 3);
	reader_offline();
	rcuhash_free(rh);
	assert_int_equal(n_log, 5);
	assert_ptr_equal(log_[3].data, &items[3]);
	assert_true(log_[3].deleted);
	assert_ptr_equal(log_[4].data, &items[4]);
	assert_false(log_[4].deleted);
}

static void check_bulk(struct rcuhash *rh, bool with_sigs)
{
	const void *keys[RTE_HASH_LOOKUP_BULK_MAX + 4];
	hash_sig_t sigs[RTE_HASH_LOOKUP_BULK_MAX + 4];
	void *data[RTE_HASH_LOOKUP_BULK_MAX + 4];
	const unsigned n = RTE_HASH_LOOKUP_BULK_MAX + 4;
	unsigned expect = 0;

	/* key i is items[i % NITEM]; the even items up to 40 are in the table */
	for (unsigned i = 0; i < n; i++) {
		keys[i] = &items[i % NITEM].key;
		sigs[i] = rcuhash_sig(rh, keys[i]);
		data[i] = &items[0]; /* overwritten either way */
		if (i < RTE_HASH_LOOKUP_BULK_MAX && i % 2 == 0 && i % NITEM < 40)
			expect++;
	}
	assert_int_equal(rcuhash_lookup_bulk(rh, keys, with_sigs ? sigs : NULL, n, data), expect);
	for (unsigned i = 0; i < n; i++) {
		if (i < RTE_HASH_LOOKUP_BULK_MAX && i % 2 == 0 && i % NITEM < 40)
			assert_ptr_equal(data[i], &items[i % NITEM]);
		else
			assert_null(data[i]); /* a miss, or beyond the bulk maximum */
	}
	assert_int_equal(rcuhash_lookup_bulk(rh, keys, with_sigs ? sigs : NULL, 0, data), 0);
	assert_int_equal(rcuhash_lookup_bulk(rh, &keys[1], with_sigs ? &sigs[1] : NULL, 1, data),
			 0);
	assert_null(data[0]);
}

static void test_bulk_lookup(void **state)
{
	struct rcuhash *rh = new_hash(64);

	(void)state;
	for (unsigned i = 0; i < 40; i += 2)
		assert_int_equal(add(rh, i), 0);
	check_bulk(rh, true);
	check_bulk(rh, false);
	rcuhash_free(rh);
}

static void test_invalid(void **state)
{
	struct rcuhash_cfg cfg = {
		.name = "t_rh_bad", .entries = 8, .key_len = 8, .qsv = NULL, .free_fn = free_cb
	};
	struct rcuhash *rh = (struct rcuhash *)&cfg;

	(void)state;
	assert_int_equal(rcuhash_create(&cfg, &rh), -EINVAL); /* no qsv */
	assert_null(rh);
	cfg.qsv = qsv;
	cfg.free_fn = NULL;
	assert_int_equal(rcuhash_create(&cfg, &rh), -EINVAL);
	cfg.free_fn = free_cb;
	cfg.entries = 0;
	assert_int_equal(rcuhash_create(&cfg, &rh), -EINVAL);
	cfg.entries = 8;
	cfg.key_len = 0;
	assert_int_equal(rcuhash_create(&cfg, &rh), -EINVAL);
	rcuhash_free(NULL);
}

static int setup(void **state)
{
	char prefix[64];
	char *argv[] = { "test_rcuhash",
			 "--no-huge",
			 "--no-pci",
			 "-m",
			 "128",
			 "-l",
			 "0",
			 "--file-prefix",
			 prefix,
			 "--log-level",
			 "lib.eal:error",
			 NULL };

	(void)state;
	snprintf(prefix, sizeof(prefix), "%s_%d", TEST_PREFIX, (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, 1) != 0)
		return -1;
	for (unsigned i = 0; i < NITEM; i++) {
		items[i].key = 0x2003000000000000ull | i;
		items[i].id = i;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rte_free(qsv);
	rte_eal_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_replace_delete),
		cmocka_unit_test(test_slot_held_until_grace_period),
		cmocka_unit_test(test_barrier_and_free),
		cmocka_unit_test(test_bulk_lookup),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
