/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding table tests: install / replace / stale sequences across the 2^16 wrap (RFC 3775
 * §9.5.1, A14), activation with a NAR-assigned NCoA, teardown (RFC 5568 §5.6), delete, the
 * expiry sweep with exact counts, the full table (FBack status 130), the end callback that
 * tells the writer which keys to discard (A13).  The readers' side: test_binding_read.c.
 *
 * EAL: --no-huge --no-pci, a unique --file-prefix.
 */
#include <errno.h>

#include "test_util.h"

/* ---- the end callback records what it is told -------------------------------------------- */

#define MAX_ENDS 2048
struct ends {
	unsigned n;
	struct {
		uint8_t pcoa[16], ncoa[16];
		uintptr_t key_ref;
		uint16_t seq;
		int reason;
	} e[MAX_ENDS];
};

static void on_end(void *arg, const struct binding_end *e)
{
	struct ends *x = arg;

	assert_true(x->n < MAX_ENDS);
	memcpy(x->e[x->n].pcoa, e->pcoa, 16);
	memcpy(x->e[x->n].ncoa, e->ncoa, 16);
	x->e[x->n].key_ref = e->key_ref;
	x->e[x->n].seq = e->seq;
	x->e[x->n].reason = e->reason;
	x->n++;
}

static void test_install_replace_stale(void **state)
{
	struct binding_table *bt = new_table(64);
	uint8_t pcoa[16], ncoa[16], ncoa2[16];
	struct binding_spec s = spec_of(1, pcoa, ncoa, 10, 100, BINDING_ACTIVE);
	const struct binding_rec *r1, *r2;
	struct binding_stats st;

	(void)state;
	assert_null(binding_find(bt, pcoa));
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	r1 = binding_find(bt, pcoa);
	assert_non_null(r1);
	assert_memory_equal(r1->pcoa, pcoa, 16);
	assert_memory_equal(r1->ncoa, ncoa, 16);
	assert_memory_equal(r1->par, par_addr, 16);
	assert_memory_equal(r1->tun_src, tun_src_addr, 16);
	assert_int_equal(r1->seq, 10);
	assert_int_equal(r1->lifetime, 10);
	assert_int_equal(r1->expires, 100);
	assert_int_equal(r1->state, BINDING_ACTIVE);
	assert_int_equal(r1->key_ref, 1001);
	assert_int_equal(binding_count(bt), 1);

	/* the same and older sequences are refused and change nothing */
	ncoa_of(77, ncoa2);
	s.ncoa = ncoa2;
	assert_int_equal(binding_install(bt, &s), BINDING_E_STALE);
	s.seq = 9;
	assert_int_equal(binding_install(bt, &s), BINDING_E_STALE);
	assert_ptr_equal(binding_find(bt, pcoa), r1);
	assert_memory_equal(r1->ncoa, ncoa, 16);

	/* a newer FBU moves the tunnel: a new record, by pointer swap, same counter slot */
	s.seq = 11;
	s.expires = 200;
	assert_int_equal(binding_install(bt, &s), BINDING_REPLACED);
	r2 = binding_find(bt, pcoa);
	assert_non_null(r2);
	assert_ptr_not_equal(r1, r2);
	assert_memory_equal(r2->ncoa, ncoa2, 16);
	assert_int_equal(r2->seq, 11);
	assert_int_equal(r2->expires, 200);
	assert_int_equal(r2->slot, r1->slot);
	assert_int_equal(binding_count(bt), 1);

	binding_get_stats(bt, &st);
	assert_int_equal(st.added, 1);
	assert_int_equal(st.replaced, 1);
	assert_int_equal(st.stale, 2);
	assert_int_equal(st.live, 1);
	assert_int_equal(st.errors, 0);
	binding_free(bt);
}

/* RFC 3775 §9.5.1: newer means (new - old) mod 2^16 in 1..0x7fff. */
static void test_seq_wrap(void **state)
{
	struct binding_table *bt = new_table(8);
	uint8_t pcoa[16], ncoa[16];
	struct binding_spec s = spec_of(2, pcoa, ncoa, 65535, 100, BINDING_ACTIVE);
	static const struct {
		uint16_t seq;
		int rc;
	} steps[] = {
		{ 65535, BINDING_E_STALE },  /* replay */
		{ 65534, BINDING_E_STALE },  /* older */
		{ 0, BINDING_REPLACED },     /* newer across the wrap */
		{ 0x8000, BINDING_E_STALE }, /* exactly half the space ahead: not newer */
		{ 0x7fff, BINDING_REPLACED },
		{ 5, BINDING_E_STALE },	      /* 5 - 0x7fff = 0x8006: behind */
		{ 0xfffe, BINDING_REPLACED }, /* 0xfffe - 0x7fff = 0x7fff: ahead */
	};

	(void)state;
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		s.seq = steps[i].seq;
		assert_int_equal(binding_install(bt, &s), steps[i].rc);
	}
	assert_int_equal(binding_find(bt, pcoa)->seq, 0xfffe);
	/* teardown follows the same rule: 0xfffe is not newer, 1 is (across the wrap) */
	assert_int_equal(binding_teardown(bt, pcoa, 0xfffe), BINDING_E_STALE);
	assert_int_equal(binding_teardown(bt, pcoa, 0x7ffe), BINDING_E_STALE);
	assert_non_null(binding_find(bt, pcoa));
	assert_int_equal(binding_teardown(bt, pcoa, 1), BINDING_OK);
	assert_null(binding_find(bt, pcoa));
	binding_free(bt);
}

static void test_teardown_delete_ends(void **state)
{
	struct ends *x = calloc(1, sizeof(*x));
	struct binding_table *bt = new_table_cb(8, 1, 0, on_end, x);
	uint8_t p1[16], n1[16], p2[16], n2[16];
	struct binding_spec s1 = spec_of(1, p1, n1, 5, 100, BINDING_ACTIVE);
	struct binding_spec s2 = spec_of(2, p2, n2, 5, 100, BINDING_ACTIVE);
	struct binding_stats st;

	(void)state;
	assert_int_equal(binding_install(bt, &s1), BINDING_OK);
	assert_int_equal(binding_install(bt, &s2), BINDING_OK);
	/* a replace with the same key reports nothing; another key: the old one is released */
	s1.seq = 6;
	assert_int_equal(binding_install(bt, &s1), BINDING_REPLACED);
	assert_int_equal(x->n, 0);
	s1.seq = 7;
	s1.key_ref = 4242;
	assert_int_equal(binding_install(bt, &s1), BINDING_REPLACED);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->e[0].reason, BINDING_END_REKEYED);
	assert_int_equal(x->e[0].key_ref, 1001);
	assert_int_equal(x->e[0].seq, 6);
	assert_memory_equal(x->e[0].pcoa, p1, 16);

	/* lifetime 0 (RFC 5568 §5.6) with a stale sequence changes nothing */
	assert_int_equal(binding_teardown(bt, p1, 7), BINDING_E_STALE);
	assert_int_equal(x->n, 1);
	assert_int_equal(binding_teardown(bt, p1, 8), BINDING_OK);
	assert_null(binding_find(bt, p1));
	assert_int_equal(x->n, 2);
	assert_int_equal(x->e[1].reason, BINDING_END_TEARDOWN);
	assert_int_equal(x->e[1].key_ref, 4242);
	assert_int_equal(x->e[1].seq, 7);
	assert_memory_equal(x->e[1].pcoa, p1, 16);
	assert_memory_equal(x->e[1].ncoa, n1, 16);
	assert_int_equal(binding_teardown(bt, p1, 9), BINDING_E_NOENT);
	assert_int_equal(binding_delete(bt, p1), BINDING_E_NOENT);

	assert_int_equal(binding_delete(bt, p2), BINDING_OK);
	assert_int_equal(x->n, 3);
	assert_int_equal(x->e[2].reason, BINDING_END_DELETED);
	assert_int_equal(x->e[2].key_ref, 1002);
	assert_int_equal(binding_count(bt), 0);
	binding_get_stats(bt, &st);
	assert_int_equal(st.torn_down, 1);
	assert_int_equal(st.deleted, 1);
	assert_int_equal(st.stale, 1);
	assert_int_equal(st.live, 0);
	binding_free(bt);
	free(x);
}

static void test_activate(void **state)
{
	struct binding_table *bt = new_table(8);
	uint8_t pcoa[16], ncoa[16], assigned[16], other[16];
	struct binding_spec s = spec_of(3, pcoa, ncoa, 40, 100, BINDING_PENDING);
	const struct binding_rec *r1, *r2;

	(void)state;
	s.user = 0xa5; /* the caller's octet (fmipgw: the egress) is kept by every record */
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	r1 = binding_find(bt, pcoa);
	assert_int_equal(r1->state, BINDING_PENDING);
	assert_int_equal(r1->user, 0xa5);
	assert_false(binding_rec_live(r1, 0)); /* pending: not tunnelled */
	/* a HAck for another FBU's HI */
	assert_int_equal(binding_activate(bt, pcoa, 39, NULL), BINDING_E_STALE);
	pcoa_of(99, other);
	assert_int_equal(binding_activate(bt, other, 40, NULL), BINDING_E_NOENT);
	/* HAck code 2: the NAR assigned another NCoA */
	ncoa_of(333, assigned);
	assert_int_equal(binding_activate(bt, pcoa, 40, assigned), BINDING_OK);
	r2 = binding_find(bt, pcoa);
	assert_ptr_not_equal(r1, r2);
	assert_int_equal(r2->state, BINDING_ACTIVE);
	assert_memory_equal(r2->ncoa, assigned, 16);
	assert_int_equal(r2->seq, 40);
	assert_int_equal(r2->slot, r1->slot);
	assert_int_equal(r2->expires, 100);
	assert_int_equal(r2->key_ref, 1003);
	assert_int_equal(r2->user, 0xa5);
	assert_true(binding_rec_live(r2, 99));
	assert_false(binding_rec_live(r2, 100));
	/* an activation without a new NCoA keeps it */
	assert_int_equal(binding_activate(bt, pcoa, 40, NULL), BINDING_OK);
	assert_memory_equal(binding_find(bt, pcoa)->ncoa, assigned, 16);
	binding_free(bt);
}

static void test_expiry_sweep(void **state)
{
	struct ends *x = calloc(1, sizeof(*x));
	struct binding_table *bt = new_table_cb(1024, 1, 0, on_end, x);
	uint8_t pcoa[16], ncoa[16], seen[1000] = { 0 };
	struct binding_stats st;
	unsigned removed = 0, calls = 0, r;

	(void)state;
	/* 1000 bindings: even ones expire at 100, odd ones at 1000 */
	for (uint32_t i = 0; i < 1000; i++) {
		struct binding_spec s =
		    spec_of(i, pcoa, ncoa, 1, (i & 1) ? 1000 : 100, BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	assert_int_equal(binding_sweep(bt, 99, 5000), 0);
	assert_int_equal(x->n, 0);
	/* at 100: the 500 even ones go, no more than 64 entries looked at per call */
	while (calls < 100 && binding_count(bt) > 500) {
		r = binding_sweep(bt, 100, 64);
		assert_true(r <= 64);
		removed += r;
		calls++;
	}
	assert_int_equal(removed, 500);
	assert_true(calls >= 1000 / 64);
	assert_int_equal(x->n, 500);
	for (unsigned k = 0; k < x->n; k++) {
		uint32_t i = x->e[k].key_ref - 1000;
		assert_int_equal(x->e[k].reason, BINDING_END_EXPIRED);
		assert_true(i < 1000 && (i & 1) == 0 && !seen[i]);
		pcoa_of(i, pcoa);
		assert_memory_equal(x->e[k].pcoa, pcoa, 16);
		seen[i] = 1;
	}
	for (uint32_t i = 0; i < 1000; i++) {
		pcoa_of(i, pcoa);
		if (i & 1)
			assert_non_null(binding_find(bt, pcoa));
		else
			assert_null(binding_find(bt, pcoa));
	}
	/* the rest at 1000, in one call that looks at everything */
	assert_int_equal(binding_sweep(bt, 1000, 5000), 500);
	binding_get_stats(bt, &st);
	assert_int_equal(st.expired, 1000);
	assert_int_equal(st.live, 0);
	/* no reader is registered: every record was zeroed and given back already */
	assert_int_equal(st.freed, 1000);
	binding_free(bt);
	free(x);
}

static void test_full_table(void **state)
{
	struct binding_table *bt = new_table(16);
	uint8_t pcoa[16], ncoa[16];
	struct binding_stats st;
	struct binding_spec s;

	(void)state;
	for (uint32_t i = 0; i < 16; i++) {
		s = spec_of(i, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	s = spec_of(16, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_E_FULL);
	assert_int_equal(binding_install(bt, &s), BINDING_E_FULL);
	assert_null(binding_find(bt, pcoa));
	binding_get_stats(bt, &st);
	assert_int_equal(st.full, 2);
	assert_int_equal(st.live, 16);
	/* no live binding was evicted; a present one can still move while the table is full */
	for (uint32_t i = 0; i < 16; i++) {
		pcoa_of(i, pcoa);
		assert_non_null(binding_find(bt, pcoa));
	}
	s = spec_of(3, pcoa, ncoa, 2, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_REPLACED);
	pcoa_of(4, pcoa);
	assert_int_equal(binding_delete(bt, pcoa), BINDING_OK);
	s = spec_of(16, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_OK);
	assert_int_equal(binding_capacity(bt), 16);
	binding_free(bt);
}

static void test_invalid(void **state)
{
	struct binding_table *bt = new_table(4), *none = NULL;
	struct binding_cfg cfg = { .name = "bad", .capacity = 4, .n_workers = 1, .qsv = qsv };
	uint8_t pcoa[16], ncoa[16];
	struct binding_spec s = spec_of(1, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	struct binding_stats st;

	(void)state;
	s.lifetime = 0; /* a teardown, not an install */
	assert_int_equal(binding_install(bt, &s), BINDING_E_INVAL);
	s.lifetime = 10;
	s.state = 0;
	assert_int_equal(binding_install(bt, &s), BINDING_E_INVAL);
	s.state = BINDING_ACTIVE;
	s.tun_src = NULL;
	assert_int_equal(binding_install(bt, &s), BINDING_E_INVAL);
	binding_get_stats(bt, &st);
	assert_int_equal(st.errors, 3);
	assert_int_equal(st.live, 0);
	binding_free(bt);

	cfg.capacity = 0;
	assert_int_equal(binding_create(&cfg, &none), -EINVAL);
	cfg.capacity = 4;
	cfg.n_workers = 0;
	assert_int_equal(binding_create(&cfg, &none), -EINVAL);
	cfg.n_workers = 1;
	cfg.qsv = NULL;
	assert_int_equal(binding_create(&cfg, &none), -EINVAL);
	assert_null(none);
	assert_string_equal(binding_strerror(BINDING_E_FULL), "table full");
	assert_string_equal(binding_strerror(BINDING_E_STALE), "stale sequence");
	assert_string_equal(binding_strerror(BINDING_REPLACED), "replaced");
	assert_string_equal(binding_strerror(-99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_replace_stale),
		cmocka_unit_test(test_seq_wrap),
		cmocka_unit_test(test_teardown_delete_ends),
		cmocka_unit_test(test_activate),
		cmocka_unit_test(test_expiry_sweep),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_invalid),
	};
	return cmocka_run_group_tests(tests, util_setup, util_teardown);
}
