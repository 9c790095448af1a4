/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — one frame to one line (text or JSON).  See describe.h; field names are listed in
 * docs/fmipctl.md.  Every octet of the frame is read through lib/wire (decoders, iterators,
 * cursors); these files never index packet memory themselves.  This file: the link layer, the
 * option names, the IPv6 fields and the frame object; ICMPv6 / ND / SEND in describe_nd.c, the
 * Mobility Header in describe_mh.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "describe_priv.h"

/* ------------------------------------------------------------------------------------------ */
/* Link layer and decode                                                                       */
/* ------------------------------------------------------------------------------------------ */

enum { SLL_HLEN = 16, SLL2_HLEN = 20 };

void describe_decode(struct fmipctl_frame *f)
{
	struct wire_cur c = wire_cur_make(f->data, f->len);
	enum wire_link wl = WIRE_LINK_RAW6;
	uint16_t proto = 0;
	int e = WIRE_OK;

	memset(&f->wf, 0, sizeof(f->wf));
	f->l2_skip = 0;
	f->l2_not_ipv6 = false;
	f->l2_proto = 0;
	f->l2_err = WIRE_OK;

	switch (f->link) {
	case DESCRIBE_LINK_ETH:
		wl = WIRE_LINK_ETH;
		break;
	case DESCRIBE_LINK_RAW6:
		break;
	case DESCRIBE_LINK_SLL: /* type 2, ARPHRD 2, addr len 2, addr 8, protocol 2 */
		if ((e = wire_skip(&c, 14)) == WIRE_OK)
			e = wire_get_be16(&c, &proto);
		f->l2_skip = SLL_HLEN;
		break;
	case DESCRIBE_LINK_SLL2: /* protocol 2, reserved 2, ifindex 4, ARPHRD 2, ... 20 */
		if ((e = wire_get_be16(&c, &proto)) == WIRE_OK)
			e = wire_skip(&c, SLL2_HLEN - 2);
		f->l2_skip = SLL2_HLEN;
		break;
	default:
		e = WIRE_E_UNKNOWN_TYPE;
		break;
	}
	if (e != WIRE_OK) {
		f->l2_err = e;
		f->wf.msg = WIRE_MSG_OTHER;
		f->wf.err = e;
		return;
	}
	if (f->link == DESCRIBE_LINK_SLL || f->link == DESCRIBE_LINK_SLL2) {
		f->l2_proto = proto;
		if (proto != WIRE_ETH_P_IPV6) {
			f->l2_not_ipv6 = true;
			f->wf.msg = WIRE_MSG_NOT_IPV6;
			f->wf.err = WIRE_E_NOT_IPV6;
			return;
		}
	}
	wire_decode_frame(c.p, c.len, wl, &f->wf);
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */
/* ------------------------------------------------------------------------------------------ */

const char *describe_ndopt_name(uint8_t type, char buf[16])
{
	switch (type) {
	case WIRE_ND_SLLA:
		return "slla";
	case WIRE_ND_TLLA:
		return "tlla";
	case WIRE_ND_PREFIX:
		return "prefix";
	case WIRE_ND_CGA:
		return "cga";
	case WIRE_ND_RSA_SIG:
		return "rsasig";
	case WIRE_ND_TIMESTAMP:
		return "timestamp";
	case WIRE_ND_NONCE:
		return "nonce";
	case WIRE_ND_TRUST_ANCHOR:
		return "trust-anchor";
	case WIRE_ND_CERTIFICATE:
		return "cert";
	case WIRE_ND_IPADDR:
		return "ipaddr";
	case WIRE_ND_FMIP_LLA:
		return "lla";
	case WIRE_ND_NAACK:
		return "naack";
	case WIRE_ND_HK_REQUEST:
		return "hkreq";
	case WIRE_ND_HK_REPLY:
		return "hkrep";
	default:
		snprintf(buf, 16, "nd-%u", type);
		return buf;
	}
}

const char *describe_mhopt_name(uint8_t type, char buf[16])
{
	switch (type) {
	case WIRE_MHOPT_PAD1:
		return "pad1";
	case WIRE_MHOPT_PADN:
		return "padn";
	case WIRE_MHOPT_ALTCOA:
		return "altcoa";
	case WIRE_MHOPT_MH_LLA:
		return "mh-lla";
	case WIRE_MHOPT_BADF:
		return "badf";
	case WIRE_MHOPT_IPADDR:
		return "mh-ipaddr";
	default:
		snprintf(buf, 16, "mh-%u", type);
		return buf;
	}
}

/* ------------------------------------------------------------------------------------------ */
/* The frame                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static void ip_fields(struct jw *w, const struct wire_frame *f)
{
	const struct wire_ip6 *ip = &f->ip;

	if (!ip->hdr || !ip->src || !ip->dst)
		return;
	jw_kv_addr6(w, "src", ip->src);
	jw_kv_addr6(w, "dst", ip->dst);
	jw_kv_uint(w, "hlim", ip->hlim);
	if (ip->hao)
		jw_kv_addr6(w, "hoa", ip->hao);
	if (ip->rt2_addr)
		jw_kv_addr6(w, "rt2", ip->rt2_addr);
	if (ip->frag) {
		jw_key(w, "frag");
		jw_obj_begin(w);
		jw_kv_uint(w, "off", ip->frag_off);
		jw_kv_bool(w, "more", ip->frag_more);
		jw_kv_uint(w, "id", ip->frag_id);
		jw_obj_end(w);
	}
	if (ip->l4) /* the extension chain was walked to its end */
		jw_kv_uint(w, "proto", ip->proto);
}

void describe_frame(struct jw *w, const struct fmipctl_frame *f,
		    const struct describe_annotator *ann, unsigned n_ann)
{
	const struct wire_frame *wf = &f->wf;
	char ts[40];

	jw_obj_begin(w);
	jw_key_bare(w, "frame");
	jw_uint(w, f->no);
	jw_key_bare(w, "msg");
	jw_str(w, wire_msg_name(wf->msg));
	if (wf->err != WIRE_OK)
		kv_err(w, wf->err);
	if (f->has_ts) {
		snprintf(ts, sizeof(ts), "%" PRId64 ".%06" PRIu32, f->ts_sec, f->ts_usec);
		jw_key(w, "time");
		jw_raw_number(w, ts);
	}
	jw_kv_uint(w, "len", f->len);
	if (f->orig_len > f->len)
		jw_kv_uint(w, "wire_len", f->orig_len);

	if (f->link == DESCRIBE_LINK_ETH && wf->eth.hdr_len && wf->eth.src && wf->eth.dst) {
		jw_key(w, "eth_src");
		jw_lladdr(w, wf->eth.src, 6);
		jw_key(w, "eth_dst");
		jw_lladdr(w, wf->eth.dst, 6);
		if (wf->eth.has_vlan)
			jw_kv_uint(w, "vlan", wf->eth.vlan_tci & 0x0fff);
		if (wf->eth.ethertype != WIRE_ETH_P_IPV6)
			jw_kv_hex16(w, "ethertype", wf->eth.ethertype);
	}
	if (f->l2_not_ipv6)
		jw_kv_hex16(w, "ethertype", f->l2_proto);

	ip_fields(w, wf);
	switch (wf->msg) {
	case WIRE_MSG_RTSOLPR:
	case WIRE_MSG_PRRTADV:
	case WIRE_MSG_CPS:
	case WIRE_MSG_CPA:
	case WIRE_MSG_ND:
	case WIRE_MSG_ICMP6:
		describe_icmp(w, wf);
		break;
	case WIRE_MSG_FBU:
	case WIRE_MSG_FBACK:
	case WIRE_MSG_HI:
	case WIRE_MSG_HACK:
	case WIRE_MSG_MH:
		describe_mh(w, wf);
		break;
	default:
		break;
	}

	for (unsigned i = 0; i < n_ann; i++)
		if (ann[i].annotate)
			ann[i].annotate(f, w, ann[i].ctx);
	jw_obj_end(w);
}
