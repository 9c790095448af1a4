/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire tests of the router's ICMPv6 errors (RFC 4443), their rate limit and the NS/NA
 * builders and decoder (RFC 4861).  Expected octets are written out from the RFC layouts
 * (RFC 4443 §3, RFC 4861 §4.3/§4.4/§4.6.1, RFC 4291 §2.7.1, RFC 2464 §7); checksums are
 * verified with a separate 16-bit RFC 1071 sum written here, not with lib/wire's.  The
 * byte-for-byte comparison against scapy and the tshark dissection are in test_icmp6_nd.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "wire.h"

static uint8_t out[4096], inv[4096];

static void addr(uint8_t a[16], const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

/* RFC 1071 over 16-bit words of the pseudo-header (RFC 8200 §8.1) and the message: 0xffff
 * (i.e. a zero complement) when the checksum in the message is right. */
static uint16_t indep_sum(const uint8_t *pkt, size_t len)
{
	uint32_t s = 0;
	size_t ulen = len - 40, i;

	for (i = 8; i < 40; i += 2) /* source and destination */
		s += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	s += (uint32_t)(ulen >> 16) + (uint32_t)(ulen & 0xffff) + 58;
	for (i = 40; i + 1 < len; i += 2)
		s += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
	if (i < len)
		s += (uint32_t)pkt[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* An invoking packet of total length len: IPv6 (src, dst, next header nh) and payload octets
 * i & 0xff. */
static size_t make_inv(const char *src, const char *dst, uint8_t nh, size_t len)
{
	uint8_t s[16], d[16];
	size_t plen = len - 40;

	addr(s, src);
	addr(d, dst);
	memset(inv, 0, 40);
	inv[0] = 0x60;
	inv[4] = (uint8_t)(plen >> 8);
	inv[5] = (uint8_t)plen;
	inv[6] = nh;
	inv[7] = 17;
	memcpy(inv + 8, s, 16);
	memcpy(inv + 24, d, 16);
	for (size_t i = 40; i < len; i++)
		inv[i] = (uint8_t)i;
	return len;
}

/* ---- wire_build_icmp6_error ----------------------------------------------------------------- */

static size_t build_err(uint8_t type, uint8_t code, uint32_t param, size_t inv_len, size_t cap)
{
	uint8_t rtr[16];
	struct wire_buf w = wire_buf_make(out, cap);

	addr(rtr, "2001:db8:ff::1");
	assert_int_equal(wire_build_icmp6_error(&w, rtr, type, code, param, inv, inv_len, 0),
			 WIRE_OK);
	return w.len;
}

/* Every field of RFC 4443 §3.1-§3.4 at its offset; the invoking packet quoted whole. */
static void test_error_layout(void **state)
{
	static const struct {
		uint8_t type, code;
		uint32_t param, word;
	} cases[] = {
		{ 1, 0, 77, 0 },      { 1, 3, 0, 0 },	{ 1, 6, 0, 0 },
		{ 2, 0, 1280, 1280 }, { 3, 0, 0, 0 },	{ 3, 1, 9, 0 },
		{ 4, 0, 6, 6 },	      { 4, 1, 40, 40 }, { 4, 2, 42, 42 },
	};
	uint8_t rtr[16], src[16];

	(void)state;
	addr(rtr, "2001:db8:ff::1");
	addr(src, "2001:db8:1::10");
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t n = make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 100);
		size_t len =
		    build_err(cases[k].type, cases[k].code, cases[k].param, n, sizeof(out));

		assert_int_equal(len, 40 + 8 + 100);
		assert_int_equal(out[0], 0x60);
		assert_int_equal(out[4] << 8 | out[5], 8 + 100); /* Payload Length */
		assert_int_equal(out[6], 58);
		assert_int_equal(out[7], 64); /* default Hop Limit */
		assert_memory_equal(out + 8, rtr, 16);
		assert_memory_equal(out + 24, src, 16); /* to the invoking packet's source */
		assert_int_equal(out[40], cases[k].type);
		assert_int_equal(out[41], cases[k].code);
		assert_int_equal((uint32_t)out[44] << 24 | (uint32_t)out[45] << 16 |
				     (uint32_t)out[46] << 8 | out[47],
				 cases[k].word);
		assert_memory_equal(out + 48, inv, 100);
		assert_int_equal(indep_sum(out, len), 0xffff);
	}
}

/* §2.4 (c): the error never exceeds 1280 octets; the quote is cut exactly there. */
static void test_error_truncation_1280(void **state)
{
	(void)state;
	/* 1232 + 48 = 1280: quoted whole */
	make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 1232);
	assert_int_equal(build_err(3, 0, 0, 1232, sizeof(out)), 1280);
	assert_memory_equal(out + 48, inv, 1232);
	assert_int_equal(out[4] << 8 | out[5], 1240);
	assert_int_equal(indep_sum(out, 1280), 0xffff);
	/* 1233: one octet left out */
	make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 1233);
	assert_int_equal(build_err(3, 0, 0, 1233, sizeof(out)), 1280);
	assert_memory_equal(out + 48, inv, 1232);
	assert_int_equal(indep_sum(out, 1280), 0xffff);
	/* a 1500-octet packet: 1232 of it */
	make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 1500);
	assert_int_equal(build_err(2, 0, 1400, 1500, sizeof(out)), 1280);
	assert_memory_equal(out + 48, inv, 1232);
	assert_int_equal(indep_sum(out, 1280), 0xffff);
	/* a buffer with room for 600 octets: the error is 600 octets, still valid */
	assert_int_equal(build_err(1, 0, 0, 1500, 600), 600);
	assert_memory_equal(out + 48, inv, 552);
	assert_int_equal(out[4] << 8 | out[5], 560);
	assert_int_equal(indep_sum(out, 600), 0xffff);
	/* after an L2 header already in the buffer: the 1280 counts from the IPv6 header */
	{
		uint8_t rtr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
		struct wire_buf w = wire_buf_make(out, sizeof(out));

		wire_put_zero(&w, 14);
		assert_int_equal(wire_build_icmp6_error(&w, rtr, 3, 0, 0, inv, 1500, 0), WIRE_OK);
		assert_int_equal(w.len, 14 + 1280);
	}
}

/* Octets past the Payload Length (an Ethernet pad) are not the invoking packet. */
static void test_error_no_trailer(void **state)
{
	(void)state;
	make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 60);
	memset(inv + 60, 0xee, 4); /* 4 octets of trailer */
	assert_int_equal(build_err(1, 0, 0, 64, sizeof(out)), 48 + 60);
	assert_int_equal(indep_sum(out, 108), 0xffff);
}

static void test_error_refusals(void **state)
{
	uint8_t rtr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct wire_buf w = wire_buf_make(out, sizeof(out));

	(void)state;
	make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 80);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 1, 7, 0, inv, 80, 0), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 2, 1, 0, inv, 80, 0), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 3, 2, 0, inv, 80, 0), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 4, 4, 0, inv, 80, 0), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 128, 0, 0, inv, 80, 0), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 1, 0, 0, inv, 39, 0), WIRE_E_TRUNCATED);
	inv[0] = 0x45;
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 1, 0, 0, inv, 80, 0), WIRE_E_NOT_IPV6);
	inv[0] = 0x60;
	assert_int_equal(w.len, 0);
	w = wire_buf_make(out, 47);
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 1, 0, 0, inv, 80, 0), WIRE_E_NOSPACE);
	/* the Hop Limit given is used */
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_icmp6_error(&w, rtr, 1, 0, 0, inv, 80, 255), WIRE_OK);
	assert_int_equal(out[7], 255);
}

/* ---- wire_icmp6_error_allowed: RFC 4443 §2.4 (e) ------------------------------------------------
 */

/* An invoking ICMPv6 message of the given type behind an optional Destination Options
 * header. */
static size_t make_icmp_inv(uint8_t icmp_type, bool dstopt)
{
	size_t n = make_inv("2001:db8:1::10", "2001:db8:2::20", dstopt ? 60 : 58, 40 + 8 + 8);
	uint8_t *l4 = inv + 40;

	if (dstopt) {
		memset(l4, 0, 8);
		l4[0] = 58;
		l4[2] = 1; /* PadN 4 */
		l4[3] = 4;
		l4 += 8;
	}
	l4[0] = icmp_type;
	return n;
}

static void test_allowed_rules(void **state)
{
	size_t n;

	(void)state;
	/* an ordinary unicast packet: every error */
	n = make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 100);
	assert_true(wire_icmp6_error_allowed(inv, n, 1, 0, 0, false));
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	/* (e.1) an ICMPv6 error (types 1-4, and unknown errors < 128), directly or behind an
	 * extension header; a Redirect */
	for (uint8_t t = 1; t <= 4; t++) {
		n = make_icmp_inv(t, false);
		assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
		assert_false(wire_icmp6_error_allowed(inv, n, 2, 0, 1280, false));
		n = make_icmp_inv(t, true);
		assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	}
	n = make_icmp_inv(100, false);
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	n = make_icmp_inv(WIRE_ICMP6_REDIRECT, false);
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	/* ... but informational messages and other ND messages are answered */
	n = make_icmp_inv(WIRE_ICMP6_ECHO_REQUEST, false);
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	n = make_icmp_inv(WIRE_ICMP6_NS, true);
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	/* an ICMPv6 header cut before its Type octet (a Destination Options header says 58 and
	 * the packet ends): not answered */
	n = make_inv("2001:db8:1::10", "2001:db8:2::20", 60, 48);
	memset(inv + 40, 0, 8);
	inv[40] = 58;
	inv[42] = 1;
	inv[43] = 4;
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
}

static void test_allowed_multicast(void **state)
{
	size_t n;

	(void)state;
	/* (e.2) multicast destination: only Packet Too Big and PP code 2 for a 10xxxxxx option */
	n = make_inv("2001:db8:1::10", "ff0e::101", 17, 100);
	assert_false(wire_icmp6_error_allowed(inv, n, 1, 0, 0, false));
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	assert_false(wire_icmp6_error_allowed(inv, n, 4, 0, 6, false));
	assert_true(wire_icmp6_error_allowed(inv, n, 2, 0, 1280, false));
	inv[42] = 0x80; /* an option Type 10xxxxxx at offset 42 */
	assert_true(wire_icmp6_error_allowed(inv, n, 4, 2, 42, false));
	inv[42] = 0xc0; /* 11xxxxxx: the sender asked for no answer to multicast */
	assert_false(wire_icmp6_error_allowed(inv, n, 4, 2, 42, false));
	inv[42] = 0x40;
	assert_false(wire_icmp6_error_allowed(inv, n, 4, 2, 42, false));
	inv[42] = 0x80;
	assert_false(wire_icmp6_error_allowed(inv, n, 4, 2, 100, false)); /* pointer past it */
	/* (e.3/e.4) link-layer multicast or broadcast to a unicast address: the same rules */
	n = make_inv("2001:db8:1::10", "2001:db8:2::20", 17, 100);
	assert_false(wire_icmp6_error_allowed(inv, n, 1, 0, 0, true));
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, true));
	assert_true(wire_icmp6_error_allowed(inv, n, 2, 0, 1280, true));
	inv[42] = 0x80;
	assert_true(wire_icmp6_error_allowed(inv, n, 4, 2, 42, true));
	/* an ICMPv6 error to a multicast group: not even Packet Too Big */
	n = make_icmp_inv(1, false);
	memset(inv + 24, 0, 16);
	inv[24] = 0xff;
	inv[25] = 0x02;
	inv[39] = 1;
	assert_false(wire_icmp6_error_allowed(inv, n, 2, 0, 1280, false));
}

static void test_allowed_sources(void **state)
{
	static const char *const bad[] = { "::", "::1", "ff02::1", "ff05::2", "::ffff:192.0.2.1" };
	size_t n;

	(void)state;
	/* (e.5) sources that do not identify one node, for every error type */
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		n = make_inv(bad[k], "2001:db8:2::20", 17, 100);
		assert_false(wire_icmp6_error_allowed(inv, n, 1, 0, 0, false));
		assert_false(wire_icmp6_error_allowed(inv, n, 2, 0, 1280, false));
		inv[42] = 0x80;
		assert_false(wire_icmp6_error_allowed(inv, n, 4, 2, 42, false));
	}
	/* a link-local or ::2 source is one node */
	n = make_inv("fe80::1", "2001:db8:2::20", 17, 100);
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	n = make_inv("::2", "2001:db8:2::20", 17, 100);
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
	/* not IPv6 / shorter than a header */
	assert_false(wire_icmp6_error_allowed(inv, 39, 3, 0, 0, false));
	inv[0] = 0x45;
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 0, 0, false));
}

/* Non-first fragments and chains that cannot be walked are not known to be ICMPv6 errors. */
static void test_allowed_fragments(void **state)
{
	size_t n = make_inv("2001:db8:1::10", "2001:db8:2::20", 44, 40 + 8 + 16);

	(void)state;
	inv[40] = 58;	/* next header ICMPv6 */
	inv[42] = 0x00; /* offset 8 octets: non-first */
	inv[43] = 0x08;
	inv[48] = 1; /* looks like a Destination Unreachable, but is fragment data */
	assert_true(wire_icmp6_error_allowed(inv, n, 3, 1, 0, false));
	/* the first fragment carries the ICMPv6 header: refused */
	inv[43] = 0x01; /* offset 0, M */
	assert_false(wire_icmp6_error_allowed(inv, n, 3, 1, 0, false));
	/* Payload Length past the octets given: the chain is not walked */
	inv[5] = 200;
	assert_true(wire_icmp6_error_allowed(inv, n, 4, 0, 4, false));
}

/* ---- rate limit: RFC 4443 §2.4 (f), fake clock of 1 MHz ----------------------------------------
 */

#define HZ 1000000ull
#define T0 (7ull * HZ)

static void test_ratelim_exact(void **state)
{
	struct wire_ratelim r;

	(void)state;
	wire_ratelim_init(&r, 1000, 10, HZ, T0); /* 1000 ticks per message, 10 deep */
	for (int i = 0; i < 10; i++)
		assert_true(wire_ratelim_take(&r, T0));
	assert_false(wire_ratelim_take(&r, T0));
	assert_false(wire_ratelim_take(&r, T0 + 999));
	assert_true(wire_ratelim_take(&r, T0 + 1000));
	assert_false(wire_ratelim_take(&r, T0 + 1000));
	/* an hour idle refills no more than the depth */
	unsigned passed = 0;
	for (int i = 0; i < 30; i++)
		passed += wire_ratelim_take(&r, T0 + 3600 * HZ);
	assert_int_equal(passed, 10);
	/* a clock that goes back gives nothing */
	assert_false(wire_ratelim_take(&r, T0));
	assert_false(wire_ratelim_take(&r, T0 + 3600 * HZ + 999));
	assert_true(wire_ratelim_take(&r, T0 + 3600 * HZ + 1000));
}

/* A steady offered load of 5000/s through 100/s, burst 5, for 10 s: 5 + 1000 pass. */
static void test_ratelim_long_run(void **state)
{
	struct wire_ratelim r;
	unsigned passed = 0;

	(void)state;
	wire_ratelim_init(&r, 100, 5, HZ, T0);
	for (uint64_t t = T0; t < T0 + 10 * HZ; t += 200)
		passed += wire_ratelim_take(&r, t);
	assert_int_equal(passed, 5 + 1000 - 1); /* the last refill lands at T0 + 10 s, not before */
}

static void test_ratelim_disabled_and_fast(void **state)
{
	struct wire_ratelim r;

	(void)state;
	wire_ratelim_init(&r, 0, 10, HZ, T0);
	assert_false(wire_ratelim_take(&r, T0 + HZ));
	wire_ratelim_init(&r, 10, 0, HZ, T0);
	assert_false(wire_ratelim_take(&r, T0 + HZ));
	/* faster than the clock: one per tick */
	wire_ratelim_init(&r, 2000000, 1, HZ, T0);
	assert_true(wire_ratelim_take(&r, T0));
	assert_false(wire_ratelim_take(&r, T0));
	assert_true(wire_ratelim_take(&r, T0 + 1));
}

/* ---- NS / NA --------------------------------------------------------------------------------- */

static const uint8_t mac_r[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

/* RFC 4291 §2.7.1 and RFC 2464 §7, by hand. */
static void test_solicited_node_and_mac(void **state)
{
	uint8_t a[16], g[16], want[16], mac[6];
	static const uint8_t want_mac[6] = { 0x33, 0x33, 0xff, 0xab, 0xcd, 0xef };

	(void)state;
	addr(a, "2001:db8::12:34ab:cdef");
	addr(want, "ff02::1:ffab:cdef");
	wire_solicited_node(a, g);
	assert_memory_equal(g, want, 16);
	wire_ip6_mcast_mac(g, mac);
	assert_memory_equal(mac, want_mac, 6);
}

/* A multicast NS for address resolution, octet by octet from RFC 4861 §4.3 and §4.6.1. */
static void test_ns_bytes(void **state)
{
	uint8_t src[16], tgt[16], grp[16];
	struct wire_buf w = wire_buf_make(out, sizeof(out));

	(void)state;
	addr(src, "fe80::2");
	addr(tgt, "2001:db8:1::a:b");
	addr(grp, "ff02::1:ff0a:b");
	assert_int_equal(wire_build_ns(&w, src, NULL, tgt, mac_r), WIRE_OK);
	assert_int_equal(w.len, 40 + 24 + 8);
	static const uint8_t hdr[8] = { 0x60, 0, 0, 0, 0, 32, 58, 255 };
	assert_memory_equal(out, hdr, 8);
	assert_memory_equal(out + 8, src, 16);
	assert_memory_equal(out + 24, grp, 16);
	assert_int_equal(out[40], 135);
	assert_int_equal(out[41], 0);
	static const uint8_t zero4[4];
	assert_memory_equal(out + 44, zero4, 4); /* Reserved */
	assert_memory_equal(out + 48, tgt, 16);
	static const uint8_t slla[8] = { 1, 1, 0x02, 0, 0, 0, 0, 0x02 };
	assert_memory_equal(out + 64, slla, 8);
	assert_int_equal(indep_sum(out, w.len), 0xffff);

	/* unicast probe, no option */
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_ns(&w, src, tgt, tgt, NULL), WIRE_OK);
	assert_int_equal(w.len, 64);
	assert_memory_equal(out + 24, tgt, 16);
	assert_int_equal(indep_sum(out, w.len), 0xffff);
	/* DAD: from ::, no SLLA allowed */
	static const uint8_t unspec[16];
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_ns(&w, unspec, NULL, tgt, mac_r), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_ns(&w, unspec, NULL, tgt, NULL), WIRE_OK);
}

static void test_na_bytes(void **state)
{
	uint8_t src[16], dst[16], tgt[16];
	struct wire_buf w = wire_buf_make(out, sizeof(out));

	(void)state;
	addr(src, "2001:db8:1::1");
	addr(dst, "2001:db8:1::a:b");
	addr(tgt, "2001:db8:1::1");
	assert_int_equal(wire_build_na(&w, src, dst, tgt,
				       WIRE_NA_FLAG_R | WIRE_NA_FLAG_S | WIRE_NA_FLAG_O, mac_r),
			 WIRE_OK);
	assert_int_equal(w.len, 72);
	assert_int_equal(out[7], 255);
	assert_int_equal(out[40], 136);
	static const uint8_t word[4] = { 0xe0, 0, 0, 0 }; /* R S O, Reserved */
	assert_memory_equal(out + 44, word, 4);
	assert_memory_equal(out + 48, tgt, 16);
	static const uint8_t tlla[8] = { 2, 1, 0x02, 0, 0, 0, 0, 0x02 };
	assert_memory_equal(out + 64, tlla, 8);
	assert_int_equal(indep_sum(out, w.len), 0xffff);
	/* S to a multicast destination is refused (§7.1.2); unsolicited O to all-nodes is fine */
	uint8_t all[16];
	addr(all, "ff02::1");
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_na(&w, src, all, tgt, WIRE_NA_FLAG_S, mac_r), WIRE_E_BAD_VALUE);
	assert_int_equal(wire_build_na(&w, src, all, tgt, WIRE_NA_FLAG_O | 0x1f, mac_r), WIRE_OK);
	assert_int_equal(out[44], 0x20); /* reserved bits not set */
	w = wire_buf_make(out, 71);
	assert_int_equal(wire_build_na(&w, src, dst, tgt, 0, mac_r), WIRE_E_NOSPACE);
}

static int decode(uint8_t *pkt, size_t len, struct wire_nsna *v)
{
	struct wire_ip6 ip;
	struct wire_icmp6 icmp;
	int e;

	if ((e = wire_ip6_decode(pkt, len, &ip)) || (e = wire_icmp6_decode(&ip, &icmp)))
		return e;
	return wire_nsna_decode(&ip, &icmp, v);
}

/* Change octet off of an NS/NA and fix the checksum with the independent sum. */
static void poke(uint8_t *pkt, size_t len, size_t off, uint8_t v)
{
	pkt[off] = v;
	pkt[42] = pkt[43] = 0;
	uint16_t c = (uint16_t)~indep_sum(pkt, len);
	pkt[42] = (uint8_t)(c >> 8);
	pkt[43] = (uint8_t)c;
}

static void test_nsna_decode(void **state)
{
	uint8_t src[16], dst[16], tgt[16];
	struct wire_nsna v;
	struct wire_buf w;
	size_t len;

	(void)state;
	addr(src, "fe80::9");
	addr(dst, "fe80::2");
	addr(tgt, "2001:db8:1::a:b");
	/* an NA with TLLA */
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_na(&w, src, dst, tgt, WIRE_NA_FLAG_S | WIRE_NA_FLAG_O, mac_r),
			 WIRE_OK);
	len = w.len;
	assert_int_equal(decode(out, len, &v), WIRE_OK);
	assert_int_equal(v.type, 136);
	assert_int_equal(v.flags, WIRE_NA_FLAG_S | WIRE_NA_FLAG_O);
	assert_memory_equal(v.target, tgt, 16);
	assert_non_null(v.lla);
	assert_int_equal(v.lla_len, 6);
	assert_memory_equal(v.lla, mac_r, 6);
	assert_int_equal(v.n_opts, 1);
	/* §7.1.2: Hop Limit, Code, multicast target */
	out[7] = 254;
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_VALUE);
	out[7] = 255;
	poke(out, len, 41, 1);
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_VALUE);
	poke(out, len, 41, 0);
	poke(out, len, 48, 0xff);
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_VALUE);
	poke(out, len, 48, 0x20);
	/* an option of length 0 */
	poke(out, len, 65, 0);
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_LENGTH);
	poke(out, len, 65, 2); /* runs past the message */
	assert_int_equal(decode(out, len, &v), WIRE_E_TRUNCATED);
	poke(out, len, 65, 1);
	/* S set with a multicast destination */
	out[24] = 0xff;
	poke(out, len, 25, 0x02);
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_VALUE);
	poke(out, len, 44, WIRE_NA_FLAG_O);
	assert_int_equal(decode(out, len, &v), WIRE_OK);
	assert_int_equal(v.flags, WIRE_NA_FLAG_O);

	/* an NS with an unknown option (type 200) before the SLLA: skipped, SLLA found */
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_ns(&w, src, NULL, tgt, NULL), WIRE_OK);
	wire_put_opt_ll(&w, 200, mac_r, 6);
	wire_put_opt_ll(&w, WIRE_ND_SLLA, mac_r, 6);
	len = w.len;
	assert_int_equal(len, 80);
	poke(out, len, 5, 40); /* Payload Length 24 + 16 */
	assert_int_equal(decode(out, len, &v), WIRE_OK);
	assert_int_equal(v.type, 135);
	assert_int_equal(v.flags, 0);
	assert_memory_equal(v.lla, mac_r, 6);
	assert_int_equal(v.n_opts, 2);
	/* shorter than an NS (Payload Length 20) */
	poke(out, 60, 5, 20);
	assert_int_equal(decode(out, 60, &v), WIRE_E_TRUNCATED);
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_ns(&w, src, NULL, tgt, mac_r), WIRE_OK);
	len = w.len;
	/* DAD NS: from :: to a solicited-node group without SLLA is valid; with an SLLA, or to
	 * a unicast destination, it is not */
	memset(out + 8, 0, 16);
	poke(out, len, 8, 0);
	assert_int_equal(decode(out, len, &v), WIRE_E_BAD_VALUE); /* has SLLA */
	w = wire_buf_make(out, sizeof(out));
	static const uint8_t unspec[16];
	assert_int_equal(wire_build_ns(&w, unspec, NULL, tgt, NULL), WIRE_OK);
	assert_int_equal(decode(out, w.len, &v), WIRE_OK);
	assert_null(v.lla);
	w = wire_buf_make(out, sizeof(out));
	assert_int_equal(wire_build_ns(&w, unspec, tgt, tgt, NULL), WIRE_OK);
	assert_int_equal(decode(out, w.len, &v), WIRE_E_BAD_VALUE);
	/* not an NS or NA */
	make_icmp_inv(WIRE_ICMP6_ECHO_REQUEST, false);
	{
		struct wire_ip6 ip;
		struct wire_icmp6 icmp = { .p = inv + 40, .len = 16, .type = 128 };
		assert_int_equal(wire_ip6_decode(inv, 56, &ip), WIRE_OK);
		assert_int_equal(wire_nsna_decode(&ip, &icmp, &v), WIRE_E_UNKNOWN_TYPE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_layout),
		cmocka_unit_test(test_error_truncation_1280),
		cmocka_unit_test(test_error_no_trailer),
		cmocka_unit_test(test_error_refusals),
		cmocka_unit_test(test_allowed_rules),
		cmocka_unit_test(test_allowed_multicast),
		cmocka_unit_test(test_allowed_sources),
		cmocka_unit_test(test_allowed_fragments),
		cmocka_unit_test(test_ratelim_exact),
		cmocka_unit_test(test_ratelim_long_run),
		cmocka_unit_test(test_ratelim_disabled_and_fast),
		cmocka_unit_test(test_solicited_node_and_mac),
		cmocka_unit_test(test_ns_bytes),
		cmocka_unit_test(test_na_bytes),
		cmocka_unit_test(test_nsna_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
