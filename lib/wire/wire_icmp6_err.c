/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: ICMPv6 error messages a router originates (RFC 4443 §3), the rules that forbid
 * them (§2.4 (e)) and their token-bucket rate limit (§2.4 (f)).
 */
#include "wire.h"

static bool err_code_ok(uint8_t type, uint8_t code)
{
	switch (type) {
	case WIRE_ICMP6_DST_UNREACH:
		return code <= WIRE_DU_REJECT;
	case WIRE_ICMP6_PACKET_TOO_BIG:
		return code == 0;
	case WIRE_ICMP6_TIME_EXCEEDED:
		return code <= WIRE_TE_REASSEMBLY;
	case WIRE_ICMP6_PARAM_PROBLEM:
		return code <= WIRE_PP_CHAIN;
	default:
		return false;
	}
}

int wire_build_icmp6_error(struct wire_buf *w, const uint8_t src[16], uint8_t type, uint8_t code,
			   uint32_t param, const uint8_t *invoking, size_t inv_len, uint8_t hlim)
{
	struct wire_cur c = wire_cur_make(invoking, inv_len);
	const uint8_t *inv_src;
	uint32_t vtf;
	uint16_t plen;
	size_t quote, room, ip6_off, icmp_off;
	int e;

	if (!err_code_ok(type, code))
		return WIRE_E_BAD_VALUE;
	if ((e = wire_get_be32(&c, &vtf)) || (e = wire_get_be16(&c, &plen)) ||
	    (e = wire_skip(&c, 2)) || (e = wire_get_view(&c, 16, &inv_src)) ||
	    (e = wire_skip(&c, 16)))
		return e;
	if ((vtf >> 28) != 6)
		return WIRE_E_NOT_IPV6;
	if (w->err != WIRE_OK)
		return w->err;
	/* the invoking packet is its header and Payload Length octets, not a link trailer (a
	 * jumbogram's Payload Length 0, or a capture cut short, leaves what we were given) */
	quote = inv_len;
	if (plen != 0 && (size_t)WIRE_IPV6_HLEN + plen < quote)
		quote = WIRE_IPV6_HLEN + (size_t)plen;
	/* §2.4 (c): the error must not exceed the minimum IPv6 MTU; nor can it exceed w */
	room = w->cap - w->len;
	if (room > WIRE_IPV6_MIN_MTU)
		room = WIRE_IPV6_MIN_MTU;
	if (room < WIRE_ICMP6_ERR_HLEN) {
		w->err = WIRE_E_NOSPACE;
		return w->err;
	}
	if (quote > room - WIRE_ICMP6_ERR_HLEN)
		quote = room - WIRE_ICMP6_ERR_HLEN;

	ip6_off = wire_build_ip6(w, src, inv_src, WIRE_NH_ICMPV6, hlim ? hlim : 64);
	icmp_off = w->len;
	wire_put_u8(w, type);
	wire_put_u8(w, code);
	wire_put_be16(w, 0); /* checksum, below */
	wire_put_be32(
	    w, type == WIRE_ICMP6_PACKET_TOO_BIG || type == WIRE_ICMP6_PARAM_PROBLEM ? param : 0);
	wire_put_bytes(w, invoking, quote);
	if ((e = wire_ip6_finish(w, ip6_off)))
		return e;
	return wire_icmp6_finish(w, ip6_off, icmp_off);
}

/* §2.4 (e.5): the source does not identify a single node. */
static bool src_not_unique(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (wire_ip6_is_multicast(a))
		return true;
	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1)) /* :: and ::1 */
		return true;
	return memcmp(a, mapped, sizeof(mapped)) == 0; /* ::ffff:0:0/96 */
}

/* (e.1): the packet is an ICMPv6 error or a Redirect, as far as its header chain shows. */
static bool is_icmp6_error(const uint8_t *p, size_t len)
{
	struct wire_ip6 ip;

	if (wire_ip6_decode(p, len, &ip) != WIRE_OK || ip.proto != WIRE_NH_ICMPV6)
		return false; /* not walkable, non-first fragment, or another upper layer */
	if (ip.l4_len < 1)
		return true; /* an ICMPv6 header without even its Type: do not answer it */
	return ip.l4[0] < 128 || ip.l4[0] == WIRE_ICMP6_REDIRECT;
}

/* The exceptions of (e.2)-(e.4): Packet Too Big, and Parameter Problem code 2 for an option
 * whose Type's two high-order bits are 10 (RFC 8200 §4.2: "send an ICMP Parameter Problem,
 * Code 2, ... even if the packet's Destination Address was a multicast address"). */
static bool mcast_exception(const uint8_t *p, size_t len, uint8_t type, uint8_t code,
			    uint32_t param)
{
	if (type == WIRE_ICMP6_PACKET_TOO_BIG)
		return true;
	return type == WIRE_ICMP6_PARAM_PROBLEM && code == WIRE_PP_OPTION && param < len &&
	       (p[param] >> 6) == 2;
}

bool wire_icmp6_error_allowed(const uint8_t *invoking, size_t inv_len, uint8_t type, uint8_t code,
			      uint32_t param, bool l2_mcast)
{
	if (inv_len < WIRE_IPV6_HLEN || (invoking[0] >> 4) != 6)
		return false;
	if (src_not_unique(invoking + 8))
		return false;
	if ((wire_ip6_is_multicast(invoking + 24) || l2_mcast) &&
	    !mcast_exception(invoking, inv_len, type, code, param))
		return false;
	return !is_icmp6_error(invoking, inv_len);
}

void wire_ratelim_init(struct wire_ratelim *r, uint32_t rate, uint32_t burst, uint64_t hz,
		       uint64_t now)
{
	uint64_t cost = rate ? hz / rate : 0;

	if (rate && cost == 0)
		cost = 1; /* faster than the clock: one tick per message */
	r->cost = burst ? cost : 0;
	r->cap = r->cost * burst;
	r->credit = r->cap;
	r->last = now;
}

bool wire_ratelim_take(struct wire_ratelim *r, uint64_t now)
{
	if (r->cost == 0)
		return false;
	if (now > r->last) {
		uint64_t dt = now - r->last;

		r->credit = dt >= r->cap - r->credit ? r->cap : r->credit + dt;
		r->last = now;
	}
	if (r->credit < r->cost)
		return false;
	r->credit -= r->cost;
	return true;
}
