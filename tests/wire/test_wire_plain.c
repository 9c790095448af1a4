/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * wire_decode_frame()'s fast path for plain IPv6 (the frames a router forwards: no extension
 * header, an upper layer lib/wire does not decode further) against the generic building blocks
 * it replaces, wire_eth_decode() and wire_ip6_decode(): on UDP, TCP, ESP and No Next Header
 * frames, untagged, 802.1Q-tagged and raw, with link trailers, every Next Header value, every
 * truncation, every version, Payload Lengths around the frame's: whenever the building blocks
 * say "plain", the frame decodes to exactly their view with msg OTHER; whenever they fail, it
 * fails with their error.  Exact values of a few frames are written out from RFC 8200 too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "plain_diff.h"
#include "wire.h"

static const uint8_t mac_dst[6] = { 2, 0, 0, 0, 0, 2 }, mac_src[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x64, [15] = 2 };

/* [eth (vlan < -1: none)] IPv6 nh with n payload octets and trailer extra octets. */
static size_t frame(uint8_t *buf, size_t cap, enum wire_link link, int vlan, uint8_t nh, size_t n,
		    size_t trailer)
{
	struct wire_buf w = wire_buf_make(buf, cap);
	size_t ip;

	if (link == WIRE_LINK_ETH)
		wire_build_eth(&w, mac_dst, mac_src, vlan, WIRE_ETH_P_IPV6);
	ip = wire_build_ip6(&w, src, dst, nh, 17);
	for (size_t i = 0; i < n; i++)
		wire_put_u8(&w, (uint8_t)(i * 7 + 3));
	assert_int_equal(wire_ip6_finish(&w, ip), WIRE_OK);
	buf[ip] |= 0x0a; /* Traffic Class 0xa0 ... */
	buf[ip + 1] = 0xbc;
	buf[ip + 3] = 0x5d; /* ... and a Flow Label */
	for (size_t i = 0; i < trailer; i++)
		wire_put_u8(&w, 0xee);
	assert_int_equal(w.err, WIRE_OK);
	return w.len;
}

static bool special(uint8_t nh)
{
	return nh == WIRE_NH_ICMPV6 || nh == WIRE_NH_MH || nh == WIRE_NH_IPV6;
}

/* The frame against the building blocks, and wire_plain_decode() against wire_decode_frame()
 * (plain_diff.h: the worker's fast path); returns whether it was a plain one. */
static bool compare(const uint8_t *p, size_t len, enum wire_link link)
{
	struct wire_frame f, r;
	size_t l2 = 0;
	int e = wire_decode_frame(p, len, link, &f), re;

	assert_int_equal(plain_diff(p, len, link), 0);
	memset(&r, 0, sizeof(r));
	if (link == WIRE_LINK_ETH) {
		re = wire_eth_decode(p, len, &r.eth);
		if (re != WIRE_OK) {
			assert_int_equal(e, re);
			return false;
		}
		l2 = r.eth.hdr_len;
	}
	re = wire_ip6_decode(p + l2, len - l2, &r.ip);
	if (re != WIRE_OK) {
		if (re != WIRE_E_FRAGMENT)
			assert_int_equal(e, re);
		return false;
	}
	if (r.ip.n_ext != 0 || special(r.ip.proto))
		return false;
	assert_int_equal(e, WIRE_OK);
	assert_int_equal(f.err, WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_OTHER);
	assert_memory_equal(&f.eth, &r.eth, sizeof(r.eth));
	assert_memory_equal(&f.ip, &r.ip, sizeof(r.ip));
	assert_null(f.icmp.p);
	assert_null(f.mh.p);
	return true;
}

/* The view of one tagged UDP frame, written out from RFC 8200 section 3. */
static void exact_view(void **state)
{
	uint8_t b[256];
	size_t len = frame(b, sizeof(b), WIRE_LINK_ETH, 0x2064, 17, 16, 4);
	struct wire_frame f;

	(void)state;
	assert_int_equal(len, 18 + 40 + 16 + 4);
	assert_int_equal(wire_decode_frame(b, len, WIRE_LINK_ETH, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_OTHER);
	assert_ptr_equal(f.eth.dst, b);
	assert_ptr_equal(f.eth.src, b + 6);
	assert_true(f.eth.has_vlan);
	assert_int_equal(f.eth.vlan_tci, 0x2064);
	assert_int_equal(f.eth.hdr_len, 18);
	assert_ptr_equal(f.ip.hdr, b + 18);
	assert_int_equal(f.ip.len, 56); /* the trailer is not IPv6 */
	assert_memory_equal(f.ip.src, src, 16);
	assert_memory_equal(f.ip.dst, dst, 16);
	assert_int_equal(f.ip.tclass, 0xab);
	assert_int_equal(f.ip.flow, 0xc005d);
	assert_int_equal(f.ip.hlim, 17);
	assert_int_equal(f.ip.proto, 17);
	assert_int_equal(f.ip.l4_off, 40);
	assert_ptr_equal(f.ip.l4, b + 58);
	assert_int_equal(f.ip.l4_len, 16);
	assert_int_equal(f.ip.n_ext, 0);
	/* the fast decoder alone writes the same view, and nothing past it */
	memset(&f, 0x5a, sizeof(f));
	assert_true(wire_plain_decode(b, len, WIRE_LINK_ETH, &f));
	assert_int_equal(f.msg, WIRE_MSG_OTHER);
	assert_int_equal(f.err, WIRE_OK);
	assert_ptr_equal(f.ip.dst, b + 18 + 24);
	assert_int_equal(f.ip.flow, 0xc005d);
	assert_int_equal(f.eth.vlan_tci, 0x2064);
	assert_null(f.ip.hbh);
	assert_null(f.ip.frag);
	assert_int_equal(f.ip.n_ext, 0);
	assert_int_equal(f.icmp.len, (size_t)0x5a5a5a5a5a5a5a5aull); /* not written */
	b[18 + 6] = WIRE_NH_ICMPV6;				     /* not the shape: untouched */
	memset(&f, 0x5a, sizeof(f));
	assert_false(wire_plain_decode(b, len, WIRE_LINK_ETH, &f));
	assert_int_equal(f.ip.len, (size_t)0x5a5a5a5a5a5a5a5aull);
	b[18 + 6] = WIRE_NH_IPV6; /* IPv6-in-IPv6 (RFC 2473 5): the tunnel class, not decoded on */
	assert_true(wire_plain_decode(b, len, WIRE_LINK_ETH, &f));
	assert_int_equal(f.msg, WIRE_MSG_TUNNEL);
	assert_int_equal(f.ip.proto, WIRE_NH_IPV6);
	assert_ptr_equal(f.ip.l4, b + 58);
	assert_int_equal(f.ip.l4_len, 16);
}

/* Every Next Header, every link, with and without trailer: plain ones equal the blocks. */
static void every_next_header(void **state)
{
	static const struct {
		enum wire_link link;
		int vlan;
	} links[] = { { WIRE_LINK_ETH, -1 }, { WIRE_LINK_ETH, 5 }, { WIRE_LINK_RAW6, -1 } };
	uint8_t b[256];
	unsigned plain = 0;

	(void)state;
	for (size_t l = 0; l < sizeof(links) / sizeof(links[0]); l++)
		for (unsigned nh = 0; nh < 256; nh++)
			for (size_t tr = 0; tr < 3; tr += 2) {
				size_t len = frame(b, sizeof(b), links[l].link, links[l].vlan,
						   (uint8_t)nh, 24, tr);

				plain += compare(b, len, links[l].link);
			}
	/* 256 - HBH, Routing, Fragment, DstOpts, ICMPv6, MH, IPv6 = 249 per link and trailer */
	assert_int_equal(plain, 3 * 2 * 249);
}

/* Cut at every octet, every version nibble, Payload Lengths around the frame's, No Next
 * Header with and without payload, a zero Payload Length (jumbogram) otherwise. */
static void boundaries(void **state)
{
	uint8_t b[256], c[256];
	size_t len = frame(b, sizeof(b), WIRE_LINK_ETH, -1, 6, 20, 0);
	struct wire_frame f;

	(void)state;
	for (size_t cut = 0; cut <= len; cut++)
		compare(b, cut, WIRE_LINK_ETH);
	for (unsigned v = 0; v < 16; v++) {
		memcpy(c, b, len);
		c[14] = (uint8_t)((v << 4) | (c[14] & 0x0f));
		assert_int_equal(compare(c, len, WIRE_LINK_ETH), v == 6);
	}
	for (unsigned pl = 0; pl < 40; pl++) {
		memcpy(c, b, len);
		c[18] = 0;
		c[19] = (uint8_t)pl;
		assert_int_equal(compare(c, len, WIRE_LINK_ETH), pl > 0 && pl <= 20);
	}
	memcpy(c, b, len);
	c[18] = c[19] = 0;
	assert_int_equal(wire_decode_frame(c, len, WIRE_LINK_ETH, &f), WIRE_E_BAD_LENGTH);
	c[20] = WIRE_NH_NONE;
	assert_true(compare(c, len, WIRE_LINK_ETH));
	c[19] = 20;
	assert_true(compare(c, len, WIRE_LINK_ETH));
	memcpy(c, b, len);
	c[12] = 0x08; /* IPv4 ethertype */
	c[13] = 0x00;
	assert_int_equal(wire_decode_frame(c, len, WIRE_LINK_ETH, &f), WIRE_E_NOT_IPV6);
	assert_int_equal(f.msg, WIRE_MSG_NOT_IPV6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_view),
		cmocka_unit_test(every_next_header),
		cmocka_unit_test(boundaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
