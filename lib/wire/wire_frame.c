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

int wire_decode_frame(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f)
{
	size_t l2 = 0;
	int e;

	memset(f, 0, sizeof(*f)); /* padding included: callers compare views whole */
	if (wire_plain_decode(p, len, link, f))
		return WIRE_OK;
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
