/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: the plain-IPv6 fast shape (issue 11: what a router forwards most) — the
 * fixed-offset decoder wire_plain_decode() that wire_decode_frame() tries first and that the
 * worker calls on its own (app/fmipgw dp/worker.c: no view cleared whole, no classification
 * table for a frame that can only be "everything else").  wire_decode_frame()'s building
 * blocks (wire_eth_decode + wire_ip6_decode) stay the authority: this file only says "plain"
 * where they give the same view (tests/wire test_wire_plain, tests/fuzz/fuzz_plain_diff.c).
 */
#include "wire.h"

bool wire_plain_decode(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f)
{
	size_t l2 = 0;
	const uint8_t *h;
	uint16_t plen;
	uint32_t vtf;

	if (link == WIRE_LINK_ETH) {
		if (len < WIRE_ETH_HLEN)
			return false;
		l2 = wire_be16(p + 12) == WIRE_ETH_P_8021Q ? WIRE_ETH_HLEN_VLAN : WIRE_ETH_HLEN;
		if (len < l2 || wire_be16(p + l2 - 2) != WIRE_ETH_P_IPV6)
			return false;
	}
	if (len - l2 < WIRE_IPV6_HLEN)
		return false;
	h = p + l2;
	vtf = wire_be32(h);
	plen = wire_be16(h + 4);
	if ((vtf >> 28) != 6 || len - l2 - WIRE_IPV6_HLEN < plen)
		return false;
	switch (h[6]) {
	case WIRE_NH_HOPOPT:
	case WIRE_NH_ROUTING:
	case WIRE_NH_FRAGMENT:
	case WIRE_NH_DSTOPTS:
	case WIRE_NH_ICMPV6:
	case WIRE_NH_MH:
		return false;
	case WIRE_NH_NONE:
		break;
	default:
		if (plen == 0)
			return false; /* a jumbogram: wire_ip6_decode says why */
	}
	/* IPv6-in-IPv6: the tunnel class, with no decode past the outer header either */
	f->msg = h[6] == WIRE_NH_IPV6 ? WIRE_MSG_TUNNEL : WIRE_MSG_OTHER;
	f->err = WIRE_OK;
	/* every member of eth and ip (no memset: a rep stos per packet is the largest part of
	 * a full decode's cost); padding is not written */
	if (link == WIRE_LINK_ETH) {
		f->eth.dst = p;
		f->eth.src = p + 6;
		f->eth.has_vlan = l2 == WIRE_ETH_HLEN_VLAN;
		f->eth.vlan_tci = f->eth.has_vlan ? wire_be16(p + 14) : 0;
		f->eth.ethertype = WIRE_ETH_P_IPV6;
		f->eth.hdr_len = l2;
	} else {
		f->eth.dst = f->eth.src = NULL;
		f->eth.has_vlan = false;
		f->eth.vlan_tci = f->eth.ethertype = 0;
		f->eth.hdr_len = 0;
	}
	f->ip.hdr = h;
	f->ip.len = WIRE_IPV6_HLEN + (size_t)plen;
	f->ip.src = h + 8;
	f->ip.dst = h + 24;
	f->ip.tclass = (uint8_t)(vtf >> 20);
	f->ip.hlim = h[7];
	f->ip.flow = vtf & 0xfffff;
	/* no extension header */
	f->ip.hbh = f->ip.dstopt = f->ip.routing = NULL;
	f->ip.rt_type = f->ip.rt_segleft = 0;
	f->ip.hao = f->ip.rt2_addr = f->ip.frag = NULL;
	f->ip.frag_off = 0;
	f->ip.frag_more = false;
	f->ip.frag_id = 0;
	f->ip.n_ext = 0;
	f->ip.proto = h[6];
	f->ip.l4_off = WIRE_IPV6_HLEN;
	f->ip.l4 = h + WIRE_IPV6_HLEN;
	f->ip.l4_len = plen;
	return true;
}
