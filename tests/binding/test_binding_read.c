/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding readers' side: per-worker counter arrays (own cache lines, summed by the
 * telemetry view, carried over a replace, zeroed with a removed binding's slot), writer-side
 * iteration, bulk lookups with precomputed signatures, and the reverse-tunnel check (RFC 5568
 * §4: inner source a live PCoA, outer source its NCoA, outer destination its tunnel source).
 *
 * EAL: --no-huge --no-pci, a unique --file-prefix.
 */
#include "test_util.h"

/* Workers count into their own arrays; the telemetry view sums them. */
static void test_counters_info_iterate(void **state)
{
	struct binding_table *bt = new_table_cb(8, 3, 0, NULL, NULL);
	uint8_t pcoa[16], ncoa[16], p0[16];
	struct binding_spec s;
	struct binding_ctr *w0 = binding_worker_ctrs(bt, 0), *w1 = binding_worker_ctrs(bt, 1),
			   *w2 = binding_worker_ctrs(bt, 2);
	const struct binding_rec *r;
	struct binding_info info;
	uint32_t it = 0, slot;
	unsigned n = 0, mask = 0;

	(void)state;
	assert_non_null(w0);
	assert_null(binding_worker_ctrs(bt, 3));
	/* each worker's array starts on its own cache line, after the previous one's end */
	assert_int_equal((uintptr_t)w1 % 64, 0);
	assert_int_equal((uintptr_t)w2 % 64, 0);
	assert_true((uintptr_t)w1 - (uintptr_t)w0 >= 8 * sizeof(struct binding_ctr));
	for (uint32_t i = 0; i < 3; i++) {
		s = spec_of(i, pcoa, ncoa, 1, 100 + i, BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	pcoa_of(0, p0);
	r = binding_find(bt, p0);
	for (int k = 0; k < 3; k++)
		binding_count_tun(w0, r, 100);
	binding_count_tun(w2, r, 200);
	binding_count_rev(w1, r, 50);
	binding_count_rev(w1, r, 50);
	binding_info_get(bt, r, 40, &info);
	assert_memory_equal(info.pcoa, p0, 16);
	ncoa_of(0, ncoa);
	assert_memory_equal(info.ncoa, ncoa, 16);
	assert_memory_equal(info.par, par_addr, 16);
	assert_memory_equal(info.tun_src, tun_src_addr, 16);
	assert_int_equal(info.state, BINDING_ACTIVE);
	assert_int_equal(info.seq, 1);
	assert_int_equal(info.lifetime, 10);
	assert_int_equal(info.left, 60);
	assert_int_equal(info.ctr.tun_pkts, 4);
	assert_int_equal(info.ctr.tun_bytes, 500);
	assert_int_equal(info.ctr.rev_pkts, 2);
	assert_int_equal(info.ctr.rev_bytes, 100);
	binding_info_get(bt, r, 500, &info);
	assert_int_equal(info.left, 0);

	/* a replace keeps the counters */
	s = spec_of(0, pcoa, ncoa, 2, 100, BINDING_ACTIVE);
	assert_int_equal(binding_install(bt, &s), BINDING_REPLACED);
	r = binding_find(bt, p0);
	binding_info_get(bt, r, 0, &info);
	assert_int_equal(info.ctr.tun_pkts, 4);
	assert_int_equal(info.seq, 2);

	while (binding_iterate(bt, &it, &r)) {
		uint32_t i = r->pcoa[15];
		assert_true(i < 3 && !(mask & (1u << i)));
		mask |= 1u << i;
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(mask, 7);

	/* delete: after the grace period (no reader here) the slot's counters are zero; the
	 * next PCoA that gets the slot starts from zero */
	slot = binding_find(bt, p0)->slot;
	assert_int_equal(binding_delete(bt, p0), BINDING_OK);
	binding_sweep(bt, 0, 0);
	assert_int_equal(w0[slot].tun_pkts, 0);
	assert_int_equal(w2[slot].tun_bytes, 0);
	assert_int_equal(w1[slot].rev_pkts, 0);
	binding_free(bt);
}

/* A parsed reverse-tunnel packet, as binding_decap_parse() would describe it. */
static struct binding_decap decap_of(const uint8_t *osrc, const uint8_t *odst, const uint8_t *isrc)
{
	struct binding_decap d = { 0 };

	d.outer_src = osrc;
	d.outer_dst = odst;
	d.inner_src = isrc;
	d.inner_dst = par_addr;
	d.inner_len = 48;
	d.l2_len = 14;
	return d;
}

static void test_lookup_and_rtun(void **state)
{
	struct binding_table *bt = new_table(8);
	uint8_t p[4][16], n[4][16], unknown[16];
	const uint8_t *keys[5];
	hash_sig_t sigs[6];
	const struct binding_rec *recs[70];
	struct binding_decap d[70];
	struct binding_spec s;
	uint64_t ok;

	(void)state;
	for (uint32_t i = 0; i < 3; i++) {
		s = spec_of(i, p[i], n[i], 1, 100, i == 2 ? BINDING_PENDING : BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	pcoa_of(3, p[3]);
	ncoa_of(3, n[3]);
	pcoa_of(50, unknown);
	keys[0] = p[0];
	keys[1] = unknown;
	keys[2] = p[1];
	keys[3] = p[2];
	keys[4] = p[0];
	for (int i = 0; i < 5; i++)
		sigs[i] = binding_sig(bt, keys[i]);
	assert_int_equal(binding_lookup_bulk(bt, keys, sigs, 5, recs), 4);
	assert_ptr_equal(recs[0], binding_find(bt, p[0]));
	assert_null(recs[1]);
	assert_ptr_equal(recs[2], binding_find(bt, p[1]));
	assert_ptr_equal(recs[3], binding_find(bt, p[2])); /* pending: found, not live */
	assert_false(binding_rec_live(recs[3], 0));
	assert_ptr_equal(recs[4], recs[0]);

	/* outer source = NCoA, outer destination = tunnel source, inner source = PCoA */
	d[0] = decap_of(n[0], tun_src_addr, p[0]);    /* good */
	d[1] = decap_of(n[1], tun_src_addr, p[0]);    /* another node's NCoA */
	d[2] = decap_of(n[1], par_addr, p[1]);	      /* not to the tunnel source */
	d[3] = decap_of(n[2], tun_src_addr, p[2]);    /* pending binding */
	d[4] = decap_of(n[3], tun_src_addr, unknown); /* no binding */
	d[5] = decap_of(n[1], tun_src_addr, p[1]);    /* good */
	ok = binding_rtun_check_bulk(bt, d, NULL, 6, 50, recs);
	assert_int_equal(ok, 0x21);
	assert_ptr_equal(recs[0], binding_find(bt, p[0]));
	assert_ptr_equal(recs[5], binding_find(bt, p[1]));
	for (int i = 1; i < 5; i++)
		assert_null(recs[i]);
	/* with precomputed signatures; and past the expiry nothing passes */
	for (int i = 0; i < 6; i++)
		sigs[i] = binding_sig(bt, d[i].inner_src);
	assert_int_equal(binding_rtun_check_bulk(bt, d, sigs, 6, 50, recs), 0x21);
	assert_int_equal(binding_rtun_check_bulk(bt, d, sigs, 6, 100, recs), 0);
	/* more than a bulk: the first 64 are checked, the rest refused */
	for (int i = 0; i < 70; i++)
		d[i] = d[0];
	assert_int_equal(binding_rtun_check_bulk(bt, d, NULL, 70, 0, recs), UINT64_MAX);
	for (int i = 64; i < 70; i++)
		assert_null(recs[i]);
	binding_free(bt);
}

/* The signature seed is configurable (random by default): the same PCoA hashes differently
 * under two seeds, and a table finds what it holds with its own signatures. */
static void test_hash_seed(void **state)
{
	struct binding_cfg cfg = { .capacity = 8, .n_workers = 1, .qsv = qsv };
	struct binding_table *a, *b;
	uint8_t pcoa[16], ncoa[16];
	const struct binding_rec *r[1];
	const uint8_t *keys[1] = { pcoa };
	struct binding_spec s = spec_of(3, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
	hash_sig_t sig;
	unsigned differ = 0;

	(void)state;
	cfg.name = "seed_a";
	cfg.hash_seed = 1;
	assert_int_equal(binding_create(&cfg, &a), 0);
	cfg.name = "seed_b";
	cfg.hash_seed = 2;
	assert_int_equal(binding_create(&cfg, &b), 0);
	for (uint32_t i = 0; i < 16; i++) {
		pcoa_of(i, pcoa);
		differ += binding_sig(a, pcoa) != binding_sig(b, pcoa);
	}
	assert_true(differ >= 15);
	pcoa_of(3, pcoa);
	assert_int_equal(binding_install(b, &s), BINDING_OK);
	sig = binding_sig(b, pcoa);
	assert_int_equal(binding_lookup_bulk(b, keys, &sig, 1, r), 1);
	assert_memory_equal(r[0]->pcoa, pcoa, 16);
	sig = binding_sig(a, pcoa);
	assert_int_equal(binding_lookup_bulk(a, keys, &sig, 1, r), 0);
	assert_null(r[0]);
	binding_free(a);
	binding_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters_info_iterate),
		cmocka_unit_test(test_lookup_and_rtun),
		cmocka_unit_test(test_hash_seed),
	};
	return cmocka_run_group_tests(tests, util_setup, util_teardown);
}
