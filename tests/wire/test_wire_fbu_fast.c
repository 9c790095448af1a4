/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FBU fast path of lib/wire (issue 14): wire_fbu_fast_decode() on the published reference
 * FBUs (tests/vectors, PROTOCOL.md 10.3/10.4, AT 0 and AT 1) and on an FBU built with the
 * builders behind an 802.1Q tag; the fields it yields are the published ones; every near-miss
 * shape either does not match or matches with exactly what wire_decode_frame() says; the
 * in-place MAC input is the published MAC input and restore gives the packet back byte for
 * byte.  Expected values come from reference.json (published), never from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "wire.h"
#include "fbu_diff.h"
#include "reference_vectors.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const uint8_t mac_dst[6] = { 2, 0, 0, 0, 0, 2 }, mac_src[6] = { 2, 0, 0, 0, 0, 1 };

struct vec {
	const char *name;
	const uint8_t *ip6;
	size_t len;
	uint16_t seq;
	bool from_par;	       /* Alt-CoA present */
	uint8_t auth_len;      /* A1 */
	size_t mh_len;	       /* PROTOCOL.md 10.3/10.4 */
	const uint8_t *mac_in; /* published MAC input (AT 0 only) */
	size_t mac_in_len;
	const uint8_t *auth;
};

static const struct vec vecs[] = {
	{ "at0 par link", ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, 1,
	  true, 12, 56, ref_fbu_at0_from_par_link_mac_input,
	  ref_fbu_at0_from_par_link_mac_input_len, ref_fbu_at0_from_par_link_authenticator },
	{ "at0 nar link", ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, 2,
	  false, 12, 32, ref_fbu_at0_from_nar_link_mac_input,
	  ref_fbu_at0_from_nar_link_mac_input_len, ref_fbu_at0_from_nar_link_authenticator },
	{ "at1 par link", ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len, 5,
	  true, 16, 56, NULL, 0, NULL },
	{ "at1 nar link", ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len, 6,
	  false, 16, 40, NULL, 0, NULL },
};

/* Ethernet (optionally 802.1Q) + the IPv6 packet; returns the frame length. */
static size_t to_eth(const uint8_t *ip6, size_t len, int vlan, uint8_t *out, size_t cap)
{
	struct wire_buf w = wire_buf_make(out, cap);
	wire_build_eth(&w, mac_dst, mac_src, vlan, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, ip6, len);
	assert_int_equal(w.err, WIRE_OK);
	return w.len;
}

/* Both decoders on one input: no match, or a match with identical fields and MAC input. */
static bool agree(const uint8_t *p, size_t len, enum wire_link link)
{
	struct wire_fbu_fast ff;
	struct wire_frame f;
	static uint8_t copy[4096];
	bool m = wire_fbu_fast_decode(p, len, link, &ff);
	int e = wire_decode_frame(p, len, link, &f);

	if (!m)
		return false;
	assert_int_equal(e, WIRE_OK);
	assert_int_equal(fbu_diff_fields(p, link, &ff, &f), 0);
	assert_true(len <= sizeof(copy));
	assert_int_equal(fbu_diff_inplace(p, copy, len, &ff, &f), 0);
	return true;
}

static void check_published(const struct vec *v, const uint8_t *p, size_t len, enum wire_link link,
			    int vlan)
{
	struct wire_fbu_fast ff;
	size_t l3 = link == WIRE_LINK_RAW6 ? 0 : vlan >= 0 ? 18 : 14;

	assert_true(wire_fbu_fast_decode(p, len, link, &ff));
	assert_int_equal(ff.l3_off, l3);
	assert_int_equal(ff.mh_off, l3 + 40 + 24);
	assert_int_equal(ff.mh_len, v->mh_len);
	assert_memory_equal(p + ff.pcoa_off, ref_fbu_pcoa_addr, 16);
	assert_memory_equal(p + ff.par_off, ref_fbu_par_addr, 16);
	assert_memory_equal(p + ff.ncoa_off, ref_fbu_ncoa_addr, 16); /* A2 */
	assert_int_equal(ff.has_altcoa, v->from_par);
	assert_int_equal(ff.seq, v->seq);
	assert_int_equal(ff.flags, WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H);
	assert_int_equal(ff.lifetime, 10);
	assert_int_equal(ff.spi, 0);
	assert_int_equal(ff.auth_len, v->auth_len);
	assert_int_equal(ff.auth_off + ff.auth_len, ff.mh_off + ff.mh_len); /* A20 */
	/* the authenticator is the packet's last v->auth_len octets */
	assert_memory_equal(p + ff.auth_off, p + l3 + v->len - v->auth_len, v->auth_len);
	if (v->auth)
		assert_memory_equal(p + ff.auth_off, v->auth, v->auth_len);
	assert_int_equal(ff.has_vlan, vlan >= 0);
	if (vlan >= 0)
		assert_int_equal(ff.vlan_tci, vlan);
	assert_true(agree(p, len, link));
}

static void test_reference_fbus_match(void **state)
{
	uint8_t fr[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(vecs); i++) {
		const struct vec *v = &vecs[i];
		size_t n;

		print_message("%s\n", v->name);
		check_published(v, v->ip6, v->len, WIRE_LINK_RAW6, -1);
		n = to_eth(v->ip6, v->len, -1, fr, sizeof(fr));
		check_published(v, fr, n, WIRE_LINK_ETH, -1);
		n = to_eth(v->ip6, v->len, 0x2007, fr, sizeof(fr));
		check_published(v, fr, n, WIRE_LINK_ETH, 0x2007);
		/* an Ethernet trailer after the IPv6 payload is ignored by both decoders */
		n = to_eth(v->ip6, v->len, -1, fr, sizeof(fr));
		memset(fr + n, 0xa5, 8);
		check_published(v, fr, n + 8, WIRE_LINK_ETH, -1);
	}
}

/* The published MAC input (PROTOCOL.md 10.3/10.4), built in place; restore is exact. */
static void test_inplace_is_published_input(void **state)
{
	uint8_t fr[256], orig[256];

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		const struct vec *v = &vecs[i];
		struct wire_fbu_fast ff;
		struct wire_mac_inplace s;
		size_t n = to_eth(v->ip6, v->len, 7, fr, sizeof(fr));

		memcpy(orig, fr, n);
		assert_true(wire_fbu_fast_decode(fr, n, WIRE_LINK_ETH, &ff));
		assert_int_equal(wire_fbu_fast_inplace(fr, &ff, &s), WIRE_OK);
		assert_int_equal(s.len, v->mac_in_len);
		assert_memory_equal(s.start, v->mac_in, v->mac_in_len);
		assert_memory_equal(wire_fbu_fast_saved_pcoa(&s), ref_fbu_pcoa_addr, 16);
		assert_memory_equal(s.start + 16, ref_fbu_par_addr, 16);
		assert_memory_equal(s.start + s.len, v->auth, 12);
		wire_mac_inplace_restore(&s);
		assert_memory_equal(fr, orig, n);
	}
}

/* An AT 1 FBU built with the builders (tag written with wire_mh_seal), behind 802.1Q. */
static void test_built_at1_vlan(void **state)
{
	static const uint8_t tag[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	uint8_t ip6[256], fr[300];
	struct wire_buf w = wire_buf_make(ip6, sizeof(ip6));
	struct wire_fbu_spec s = { .src = ref_fbu_pcoa_addr,
				   .dst = ref_fbu_par_addr,
				   .hoa = ref_fbu_pcoa_addr,
				   .altcoa = ref_fbu_ncoa_addr,
				   .seq = 0xbeef,
				   .flags = WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H | WIRE_FBU_FLAG_K,
				   .lifetime = 300,
				   .auth_len = 16 };
	struct wire_fbu_fast ff;
	size_t mh_off, auth_off, n;

	(void)state;
	assert_int_equal(wire_build_fbu(&w, &s, &mh_off, &auth_off), WIRE_OK);
	assert_int_equal(wire_mh_seal(ip6, w.len, mh_off, auth_off, tag, 16), WIRE_OK);
	n = to_eth(ip6, w.len, 0x0fff, fr, sizeof(fr));
	assert_true(wire_fbu_fast_decode(fr, n, WIRE_LINK_ETH, &ff));
	assert_int_equal(ff.seq, 0xbeef);
	assert_int_equal(ff.flags, 0xd0);
	assert_int_equal(ff.lifetime, 300);
	assert_int_equal(ff.auth_len, 16);
	assert_memory_equal(fr + ff.auth_off, tag, 16);
	assert_int_equal(ff.vlan_tci, 0x0fff);
	assert_true(agree(fr, n, WIRE_LINK_ETH));
}

/* ---- near misses ----------------------------------------------------------------------- */

/* Recompute the MH checksum (A16) of a raw IPv6 FBU with a HAO after a test changed it. */
static void fix_csum(uint8_t *pkt, size_t len)
{
	struct wire_ip6 ip;
	uint8_t *l4;
	uint16_t c;

	assert_int_equal(wire_ip6_decode(pkt, len, &ip), WIRE_OK);
	l4 = pkt + ip.l4_off;
	c = wire_l4_csum(ip.hao ? ip.hao : ip.src, ip.dst, WIRE_NH_MH, l4, ip.l4_len, 4);
	l4[4] = (uint8_t)(c >> 8);
	l4[5] = (uint8_t)c;
}

/* An FBU as wire_build_fbu() makes it with the options the spec asks for, checksum valid. */
static size_t build(const struct wire_fbu_spec *s, uint8_t *out, size_t cap)
{
	struct wire_buf w = wire_buf_make(out, cap);
	size_t mh_off, auth_off;
	assert_int_equal(wire_build_fbu(&w, s, &mh_off, &auth_off), WIRE_OK);
	fix_csum(out, w.len);
	return w.len;
}

static void expect_no_match(const char *what, const uint8_t *p, size_t len)
{
	struct wire_fbu_fast ff;
	print_message("near miss: %s\n", what);
	assert_false(wire_fbu_fast_decode(p, len, WIRE_LINK_RAW6, &ff));
}

static void test_near_miss_shapes(void **state)
{
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 9 };
	struct wire_fbu_spec s = { .src = ref_fbu_pcoa_addr,
				   .dst = ref_fbu_par_addr,
				   .hoa = ref_fbu_pcoa_addr,
				   .altcoa = ref_fbu_ncoa_addr,
				   .seq = 3,
				   .lifetime = 10,
				   .auth_len = 12 };
	uint8_t p[512], q[512];
	size_t n;
	struct wire_frame f;

	(void)state;
	/* the base case matches */
	n = build(&s, p, sizeof(p));
	assert_true(agree(p, n, WIRE_LINK_RAW6));

	/* an extra option (MH-LLA): valid for wire_decode_frame, not the fast shape */
	s.mh_lla = lla;
	n = build(&s, p, sizeof(p));
	assert_int_equal(wire_decode_frame(p, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("MH-LLA option", p, n);
	s.mh_lla = NULL;

	/* authenticator lengths the fast shape does not know (the A20 layout still holds) */
	s.auth_len = 20;
	n = build(&s, p, sizeof(p));
	assert_int_equal(wire_decode_frame(p, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("20-octet authenticator", p, n);
	s.auth_len = 12;

	/* no HAO: an FBU the fast path does not serve (A23) */
	s.hoa = NULL;
	n = build(&s, p, sizeof(p));
	assert_int_equal(wire_decode_frame(p, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("no Destination Options", p, n);
	s.hoa = ref_fbu_pcoa_addr;

	/* a Hop-by-Hop header (PadN) in front of the DstOpt */
	n = build(&s, p, sizeof(p));
	{
		static const uint8_t hbh[8] = { WIRE_NH_DSTOPTS, 0, 1, 4, 0, 0, 0, 0 };
		memcpy(q, p, 40);
		q[6] = WIRE_NH_HOPOPT;
		q[5] = (uint8_t)(q[5] + 8);
		memcpy(q + 40, hbh, 8);
		memcpy(q + 48, p + 40, n - 40);
		assert_int_equal(wire_decode_frame(q, n + 8, WIRE_LINK_RAW6, &f), WIRE_OK);
		expect_no_match("Hop-by-Hop header", q, n + 8);
	}

	/* odd padding: Pad1 Pad1 instead of PadN(2) in the DstOpt (valid, not the shape) */
	memcpy(q, p, n);
	q[42] = 0;
	q[43] = 0;
	assert_int_equal(wire_decode_frame(q, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("Pad1 Pad1 in the DstOpt", q, n);
	/* ... and in the MH before the Alt-CoA (checksum fixed: still a valid FBU) */
	memcpy(q, p, n);
	q[64 + 12] = 0;
	q[64 + 13] = 0;
	fix_csum(q, n);
	assert_int_equal(wire_decode_frame(q, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("Pad1 Pad1 in the MH", q, n);
	/* non-zero PadN data in the MH (valid for the full decoder) */
	memcpy(q, p, n);
	q[64 + 34] = 0x5a;
	fix_csum(q, n);
	assert_int_equal(wire_decode_frame(q, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	expect_no_match("PadN data not zero", q, n);

	/* wrong checksum */
	memcpy(q, p, n);
	q[64 + 5] ^= 1;
	assert_int_equal(wire_decode_frame(q, n, WIRE_LINK_RAW6, &f), WIRE_E_BAD_CHECKSUM);
	expect_no_match("bad checksum", q, n);
}

/* IPv6 + DstOpt/HAO + the FBU part of an MH written by hand (seq 4, A|H, lifetime 10). */
static size_t fbu_by_hand(struct wire_buf *w, size_t *ip6)
{
	size_t mo;

	*ip6 = wire_build_ip6(w, ref_fbu_pcoa_addr, ref_fbu_par_addr, WIRE_NH_DSTOPTS, 64);
	wire_build_dstopt_hao(w, WIRE_NH_MH, ref_fbu_pcoa_addr);
	mo = wire_build_mh(w, WIRE_MH_FBU);
	wire_put_be16(w, 4);
	wire_put_u8(w, WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H);
	wire_put_u8(w, 0);
	wire_put_be16(w, 10);
	return mo;
}

static void fbu_by_hand_end(struct wire_buf *w, size_t ip6, size_t mo)
{
	assert_int_equal(wire_mh_finish(w, mo), WIRE_OK);
	assert_int_equal(wire_ip6_finish(w, ip6), WIRE_OK);
	fix_csum(w->p, w->len);
}

/* BADF not last, and octets after the authenticator: the full decoder's cases. */
static void test_badf_not_last_and_trailing(void **state)
{
	uint8_t p[256], before[256];
	struct wire_buf w = wire_buf_make(p, sizeof(p));
	size_t ip6, mo, ao = 0;
	struct wire_frame f;
	struct wire_mac_inplace s;

	(void)state;
	/* BADF (12) at 8n+2 followed by PadN(4): octets after the authenticator (A20 receive) */
	mo = fbu_by_hand(&w, &ip6);
	wire_mh_align(&w, mo, 8, 2);
	wire_put_u8(&w, WIRE_MHOPT_BADF);
	wire_put_u8(&w, 16);
	wire_put_be32(&w, 0);
	wire_put_zero(&w, 12);
	fbu_by_hand_end(&w, ip6, mo);
	assert_int_equal(wire_decode_frame(p, w.len, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_true(f.mh.badf.auth_off + f.mh.badf.auth_len < f.mh.len);
	expect_no_match("octets after the authenticator", p, w.len);
	/* not contiguous: the in-place input refuses and leaves the packet as it was */
	memcpy(before, p, w.len);
	assert_int_equal(wire_mac_inplace_begin(p + mo, f.mh.len, f.mh.badf.auth_off,
						f.mh.badf.auth_len, f.ip.src, f.ip.dst, &s),
			 WIRE_E_BAD_LENGTH);
	assert_memory_equal(p, before, w.len);

	/* BADF not last: an Alt-CoA after it (wire_decode_frame: option order) */
	w = wire_buf_make(p, sizeof(p));
	mo = fbu_by_hand(&w, &ip6);
	wire_put_mhopt_badf(&w, mo, 0, 12, &ao);
	wire_put_mhopt_altcoa(&w, mo, ref_fbu_ncoa_addr);
	fbu_by_hand_end(&w, ip6, mo);
	assert_int_equal(wire_decode_frame(p, w.len, WIRE_LINK_RAW6, &f), WIRE_E_OPT_ORDER);
	expect_no_match("BADF not last", p, w.len);
}

/* Truncated at every length, and every single-octet value at every position. */
static void test_truncation_and_every_octet(void **state)
{
	uint8_t fr[256], q[256];
	unsigned matched = 0, tried = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(vecs); i++) {
		const struct vec *v = &vecs[i];
		size_t n = to_eth(v->ip6, v->len, -1, fr, sizeof(fr));
		struct wire_fbu_fast ff;

		for (size_t cut = 0; cut < n; cut++) {
			assert_false(wire_fbu_fast_decode(fr, cut, WIRE_LINK_ETH, &ff));
			assert_false(wire_fbu_fast_decode(fr + 14, cut > 14 ? cut - 14 : 0,
							  WIRE_LINK_RAW6, &ff));
		}
		for (size_t pos = 0; pos < n; pos++) {
			for (unsigned val = 0; val < 256; val++) {
				memcpy(q, fr, n);
				q[pos] = (uint8_t)val;
				matched += agree(q, n, WIRE_LINK_ETH);
				tried++;
			}
		}
	}
	/* the unchanged frames and the octets nobody checks (addresses, seq, lifetime, flags,
	 * SPI, MACs, MAC addresses, traffic class) match; checked against wire_decode_frame */
	print_message("%u of %u single-octet variants matched (and agreed)\n", matched, tried);
	assert_true(matched > 0 && matched < tried);
}

/* A16 corner: a right checksum of 0x0000 sent as 0xffff is refused by wire_decode_frame, and
 * must not match here either (0xffff + 0 also sums to 0xffff in one pass). */
static void test_checksum_ffff_corner(void **state)
{
	struct wire_fbu_spec s = { .src = ref_fbu_ncoa_addr,
				   .dst = ref_fbu_par_addr,
				   .hoa = ref_fbu_pcoa_addr,
				   .lifetime = 10,
				   .auth_len = 12 };
	uint8_t p[256];
	struct wire_frame f;
	size_t n = 0;
	unsigned seq;

	(void)state;
	for (seq = 0; seq < 65536; seq++) {
		s.seq = (uint16_t)seq;
		n = build(&s, p, sizeof(p));
		if (p[64 + 4] == 0 && p[64 + 5] == 0)
			break;
	}
	assert_true(seq < 65536);
	assert_true(agree(p, n, WIRE_LINK_RAW6)); /* 0x0000 as computed: both accept */
	p[64 + 4] = 0xff;
	p[64 + 5] = 0xff;
	assert_int_equal(wire_decode_frame(p, n, WIRE_LINK_RAW6, &f), WIRE_E_BAD_CHECKSUM);
	expect_no_match("checksum 0xffff for 0x0000", p, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_fbus_match),
		cmocka_unit_test(test_inplace_is_published_input),
		cmocka_unit_test(test_built_at1_vlan),
		cmocka_unit_test(test_near_miss_shapes),
		cmocka_unit_test(test_badf_not_last_and_trailing),
		cmocka_unit_test(test_truncation_and_every_octet),
		cmocka_unit_test(test_checksum_ffff_corner),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
