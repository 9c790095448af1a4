/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/wire: classify and decode one frame — the entry point of the fast path and fmipctl. */
#include "wire.h"

static int decode_icmp6(struct wire_frame *f)
{
	int e = wire_icmp6_decode(&f->ip, &f->icmp);
	if (f->icmp.p == NULL)
		return e; /* header not even there */
	switch (f->icmp.type) {
	case WIRE_ICMP6_FMIP:
		/* the subtype tells RtSolPr from PrRtAdv even when the checksum is bad */
		if (f->icmp.len >= 5 && f->icmp.p[4] == WIRE_FMIP_RTSOLPR)
			f->msg = WIRE_MSG_RTSOLPR;
		else if (f->icmp.len >= 5 && f->icmp.p[4] == WIRE_FMIP_PRRTADV)
			f->msg = WIRE_MSG_PRRTADV;
		else
			f->msg = WIRE_MSG_ICMP6;
		if (e == WIRE_OK)
			e = wire_fmip_decode(&f->icmp, &f->nd.fmip);
		break;
	case WIRE_ICMP6_CPS:
		f->msg = WIRE_MSG_CPS;
		if (e == WIRE_OK)
			e = wire_cps_decode(&f->icmp, &f->nd.cps);
		break;
	case WIRE_ICMP6_CPA:
		f->msg = WIRE_MSG_CPA;
		if (e == WIRE_OK)
			e = wire_cpa_decode(&f->icmp, &f->nd.cpa);
		break;
	case WIRE_ICMP6_RS:
	case WIRE_ICMP6_RA:
	case WIRE_ICMP6_NS:
	case WIRE_ICMP6_NA:
	case WIRE_ICMP6_REDIRECT:
		f->msg = WIRE_MSG_ND;
		break;
	default:
		f->msg = WIRE_MSG_ICMP6;
		break;
	}
	return e;
}

static int decode_mh(struct wire_frame *f)
{
	int e = wire_mh_decode(&f->ip, &f->mh);
	if (f->mh.p == NULL)
		return e;
	switch (f->mh.type) {
	case WIRE_MH_FBU:
		f->msg = WIRE_MSG_FBU;
		break;
	case WIRE_MH_FBACK:
		f->msg = WIRE_MSG_FBACK;
		break;
	case WIRE_MH_HI:
		f->msg = WIRE_MSG_HI;
		break;
	case WIRE_MH_HACK:
		f->msg = WIRE_MSG_HACK;
		break;
	default:
		f->msg = WIRE_MSG_MH;
		break;
	}
	return e;
}

/*
 * What a router forwards most: [Ethernet, at most one 802.1Q tag,] IPv6 straight to an upper
 * layer this file decodes no further (not an extension header, ICMPv6, MH or IPv6-in-IPv6),
 * its Payload Length inside the frame.  Fixed-offset loads after explicit length checks give
 * the view the generic path below gives such a frame (wire_eth_decode + wire_ip6_decode,
 * msg OTHER; tests/wire test_wire_plain), without its cursor calls and header-chain walk.
 * false: not such a frame, f untouched.
 */
static bool plain_ip6(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f)
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
	case WIRE_NH_IPV6:
		return false;
	case WIRE_NH_NONE:
		break;
	default:
		if (plen == 0)
			return false; /* a jumbogram: wire_ip6_decode says why */
	}
	f->msg = WIRE_MSG_OTHER;
	if (link == WIRE_LINK_ETH) {
		f->eth.dst = p;
		f->eth.src = p + 6;
		f->eth.has_vlan = l2 == WIRE_ETH_HLEN_VLAN;
		f->eth.vlan_tci = f->eth.has_vlan ? wire_be16(p + 14) : 0;
		f->eth.ethertype = WIRE_ETH_P_IPV6;
		f->eth.hdr_len = l2;
	}
	f->ip.hdr = h;
	f->ip.len = WIRE_IPV6_HLEN + (size_t)plen;
	f->ip.src = h + 8;
	f->ip.dst = h + 24;
	f->ip.tclass = (uint8_t)(vtf >> 20);
	f->ip.flow = vtf & 0xfffff;
	f->ip.hlim = h[7];
	f->ip.proto = h[6];
	f->ip.l4_off = WIRE_IPV6_HLEN;
	f->ip.l4 = h + WIRE_IPV6_HLEN;
	f->ip.l4_len = plen;
	return true;
}

int wire_decode_frame(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f)
{
	size_t l2 = 0;
	int e;

	memset(f, 0, sizeof(*f));
	if (plain_ip6(p, len, link, f))
		return f->err = WIRE_OK;
	f->msg = WIRE_MSG_NOT_IPV6;
	if (link == WIRE_LINK_ETH) {
		if ((e = wire_eth_decode(p, len, &f->eth)))
			return f->err = e;
		l2 = f->eth.hdr_len;
	}
	e = wire_ip6_decode(p + l2, len - l2, &f->ip);
	if (e == WIRE_E_NOT_IPV6 || f->ip.src == NULL)
		return f->err = e;
	f->msg = WIRE_MSG_OTHER;
	if (f->ip.frag) {
		/* Fragments are reported, never reassembled or served. */
		f->msg = WIRE_MSG_FRAGMENT;
		return f->err = (e == WIRE_E_FRAGMENT ? WIRE_OK : e);
	}
	if (e)
		return f->err = e;
	switch (f->ip.proto) {
	case WIRE_NH_ICMPV6:
		e = decode_icmp6(f);
		break;
	case WIRE_NH_MH:
		e = decode_mh(f);
		break;
	case WIRE_NH_IPV6:
		f->msg = WIRE_MSG_TUNNEL;
		break;
	default:
		break;
	}
	return f->err = e;
}
