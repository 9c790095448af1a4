/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the fast-path FBU rules (dp/fbu.h), on the published FBUs (tests/vectors,
 * PROTOCOL.md 10.3/10.4) decoded by lib/wire: L1, A23, the A2 MAC input, the fast shape's
 * frame rules against the full decode's (and its MAC input built in place), the key rules (A13
 * boundary), the accept rules (L2 leaves the sequence alone, A14 mod 2^16 and its
 * compare-and-swap), and one distinct counter per verdict.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "counters.h"
#include "fbu.h"
#include "reference_vectors.h"

static struct wire_frame f;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(wire_decode_frame(ref_fbu_at0_from_par_link_ipv6,
					   ref_fbu_at0_from_par_link_ipv6_len, WIRE_LINK_RAW6, &f),
			 WIRE_OK);
	return 0;
}

/* The published FBU passes the frame rules, and its MAC input is the published one. */
static void frame_rules_vector(void **state)
{
	struct wire_mac_input in;
	uint8_t buf[256];

	(void)state;
	assert_int_equal(dp_fbu_frame_rules(&f, &in), DP_FBU_GO);
	assert_int_equal(wire_segs_copy(in.seg, in.n, buf, sizeof(buf)),
			 ref_fbu_at0_from_par_link_mac_input_len);
	assert_memory_equal(buf, ref_fbu_at0_from_par_link_mac_input,
			    ref_fbu_at0_from_par_link_mac_input_len);
	assert_memory_equal(in.auth, ref_fbu_at0_from_par_link_authenticator, 12);
}

/* L1 first, then A23, then the MAC input. */
static void frame_rules_refusals(void **state)
{
	struct wire_mac_input in;
	struct wire_frame g = f;

	(void)state;
	g.mh.badf.spi = 1;
	g.ip.hao = NULL;
	assert_int_equal(dp_fbu_frame_rules(&g, &in), DP_FBU_SPI);
	g.mh.badf.spi = 0;
	assert_int_equal(dp_fbu_frame_rules(&g, &in), DP_FBU_NO_HAO);
	g = f;
	g.mh.badf.present = false;
	assert_int_equal(dp_fbu_frame_rules(&g, &in), DP_FBU_MAC_INPUT);
}

struct vec {
	const uint8_t *p;
	size_t len;
	const uint8_t *mac_input; /* NULL: not published */
	size_t mac_input_len;
};

static const struct vec vecs[] = {
	{ ref_fbu_at0_from_par_link_ipv6, sizeof(ref_fbu_at0_from_par_link_ipv6),
	  ref_fbu_at0_from_par_link_mac_input, ref_fbu_at0_from_par_link_mac_input_len },
	{ ref_fbu_at0_from_nar_link_ipv6, sizeof(ref_fbu_at0_from_nar_link_ipv6),
	  ref_fbu_at0_from_nar_link_mac_input, ref_fbu_at0_from_nar_link_mac_input_len },
	{ ref_fbu_at1_from_par_link_ipv6, sizeof(ref_fbu_at1_from_par_link_ipv6), NULL, 0 },
	{ ref_fbu_at1_from_nar_link_ipv6, sizeof(ref_fbu_at1_from_nar_link_ipv6), NULL, 0 },
};

/* Every published FBU has the fast shape; both forms of the frame rules give the same verdict
 * (GO, and SPI for SPI 1), and the MAC input built in place is the segments' (and the
 * published one), with the packet restored byte for byte. */
static void fast_rules_agree(void **state)
{
	(void)state;
	for (unsigned v = 0; v < sizeof(vecs) / sizeof(vecs[0]); v++) {
		struct wire_frame g;
		struct wire_fbu_fast ff;
		struct wire_mac_input in;
		struct wire_mac_inplace ip;
		uint8_t pkt[256], segs[256];
		size_t n;

		assert_true(vecs[v].len <= sizeof(pkt));
		memcpy(pkt, vecs[v].p, vecs[v].len);
		assert_int_equal(wire_decode_frame(pkt, vecs[v].len, WIRE_LINK_RAW6, &g), WIRE_OK);
		assert_true(wire_fbu_fast_decode(pkt, vecs[v].len, WIRE_LINK_RAW6, &ff));
		assert_int_equal(dp_fbu_frame_rules(&g, &in), DP_FBU_GO);
		assert_int_equal(dp_fbu_fast_frame_rules(&ff), DP_FBU_GO);
		n = wire_segs_copy(in.seg, in.n, segs, sizeof(segs));
		if (vecs[v].mac_input != NULL) {
			assert_int_equal(n, vecs[v].mac_input_len);
			assert_memory_equal(segs, vecs[v].mac_input, n);
		}
		assert_int_equal(wire_fbu_fast_inplace(pkt, &ff, &ip), WIRE_OK);
		assert_int_equal(ip.len, n);
		assert_memory_equal(ip.start, segs, n);
		assert_ptr_equal(pkt + ff.auth_off, in.auth);
		wire_mac_inplace_restore(&ip);
		assert_memory_equal(pkt, vecs[v].p, vecs[v].len);
		g.mh.badf.spi = 1;
		ff.spi = 1;
		assert_int_equal(dp_fbu_frame_rules(&g, &in), DP_FBU_SPI);
		assert_int_equal(dp_fbu_fast_frame_rules(&ff), DP_FBU_SPI);
	}
}

/* A13: usable until one second before `expires`, in the key table's clock. */
static void key_rules(void **state)
{
	struct keytab_rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.expires = 43300;
	assert_int_equal(dp_fbu_key_rules(NULL, 0), DP_FBU_NO_KEY);
	assert_int_equal(dp_fbu_key_rules(&r, 43299), DP_FBU_GO);
	assert_int_equal(dp_fbu_key_rules(&r, 43300), DP_FBU_EXPIRED);
}

/* A bad MAC and a full ring consume nothing: the same sequence is still accepted after. */
static void accept_rules_order(void **state)
{
	struct keytab_rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(dp_fbu_accept_rules(&r, false, true, 7), DP_FBU_BAD_MAC);
	assert_int_equal(r.last_seq, 0);
	assert_int_equal(dp_fbu_accept_rules(&r, true, false, 7), DP_FBU_RING_FULL);
	assert_int_equal(r.last_seq, 0);
	assert_int_equal(dp_fbu_accept_rules(&r, true, true, 7), DP_FBU_ACCEPT);
	assert_int_equal(r.last_seq, 0x10000u | 7);
	assert_int_equal(dp_fbu_accept_rules(&r, true, true, 7), DP_FBU_STALE_SEQ); /* replay */
	assert_int_equal(dp_fbu_accept_rules(&r, false, true, 8), DP_FBU_BAD_MAC);
	assert_int_equal(r.last_seq, 0x10000u | 7);
}

/* A14: newer mod 2^16 (RFC 3775 9.5.1), the first accepted sequence may be any value. */
static void seq_mod_2_16(void **state)
{
	struct keytab_rec r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_true(dp_fbu_seq_accept(&r, 65535));   /* first one: any value */
	assert_false(dp_fbu_seq_accept(&r, 65535));  /* replay */
	assert_false(dp_fbu_seq_accept(&r, 65534));  /* older */
	assert_true(dp_fbu_seq_accept(&r, 0));	     /* newer across the wrap */
	assert_false(dp_fbu_seq_accept(&r, 0x8000)); /* half the space ahead: not newer */
	assert_true(dp_fbu_seq_accept(&r, 0x7fff));
	assert_false(dp_fbu_seq_accept(&r, 5));
	assert_int_equal(r.last_seq, 0x10000u | 0x7fff);
}

/* Every verdict but GO has its own counter. */
static void verdict_counters(void **state)
{
	(void)state;
	assert_int_equal(dp_fbu_counter[DP_FBU_SPI], GW_CNT_OFF(drop_fbu_spi));
	assert_int_equal(dp_fbu_counter[DP_FBU_NO_HAO], GW_CNT_OFF(drop_fbu_no_hao));
	assert_int_equal(dp_fbu_counter[DP_FBU_MAC_INPUT], GW_CNT_OFF(drop_fbu_mac_input));
	assert_int_equal(dp_fbu_counter[DP_FBU_NO_KEY], GW_CNT_OFF(drop_fbu_no_key));
	assert_int_equal(dp_fbu_counter[DP_FBU_EXPIRED], GW_CNT_OFF(drop_fbu_expired));
	assert_int_equal(dp_fbu_counter[DP_FBU_BAD_MAC], GW_CNT_OFF(drop_fbu_bad_mac));
	assert_int_equal(dp_fbu_counter[DP_FBU_RING_FULL], GW_CNT_OFF(drop_fbu_ring_full));
	assert_int_equal(dp_fbu_counter[DP_FBU_STALE_SEQ], GW_CNT_OFF(drop_fbu_stale_seq));
	assert_int_equal(dp_fbu_counter[DP_FBU_ACCEPT], GW_CNT_OFF(fbu_accepted));
	for (unsigned a = DP_FBU_GO + 1; a < DP_FBU__COUNT; a++)
		for (unsigned b = a + 1; b < DP_FBU__COUNT; b++)
			assert_int_not_equal(dp_fbu_counter[a], dp_fbu_counter[b]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(frame_rules_vector, setup),
		cmocka_unit_test_setup(frame_rules_refusals, setup),
		cmocka_unit_test(fast_rules_agree),
		cmocka_unit_test(key_rules),
		cmocka_unit_test(accept_rules_order),
		cmocka_unit_test(seq_mod_2_16),
		cmocka_unit_test(verdict_counters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
