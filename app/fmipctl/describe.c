/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — one frame to one line (text or JSON).  See describe.h; field names are listed in
 * docs/fmipctl.md.  Every octet of the frame is read through lib/wire (decoders, iterators,
 * cursors); this file never indexes packet memory itself.
 */
#include "describe.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Shown octets of long values (keys, certificates, signatures): enough to recognise them. */
#define SHORT_HEX 8

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

static const char *lla_code_name(uint8_t code)
{
	static const char *const n[] = { "wildcard", "new-ap",	  "mn",	       "nar",
					 "source",   "ap-cur-if", "no-prefix", "no-fmip" };
	return code < sizeof(n) / sizeof(n[0]) ? n[code] : NULL;
}

static const char *ipa_code_name(uint8_t code)
{
	static const char *const n[] = { NULL, "old-coa", "new-coa", "nar-addr", "nar-prefix" };
	return code < sizeof(n) / sizeof(n[0]) ? n[code] : NULL;
}

static void kv_code(struct jw *w, uint8_t code, const char *name)
{
	jw_kv_uint(w, "code", code);
	if (name)
		jw_kv_str(w, "code_name", name);
}

static void kv_err(struct jw *w, int err)
{
	jw_kv_str(w, "error", wire_strerror(err));
}

/* ------------------------------------------------------------------------------------------ */
/* ND options                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* A 64-bit prefix (CGA Subnet Prefix) shown as an IPv6 prefix. */
static void kv_prefix64(struct jw *w, const char *key, const uint8_t *p8)
{
	uint8_t a[16] = { 0 };
	memcpy(a, p8, 8);
	jw_kv_addr6(w, key, a);
}

static void nd_opt_body(struct jw *w, const struct wire_ndopt *o)
{
	int e = WIRE_OK;

	switch (o->type) {
	case WIRE_ND_SLLA:
	case WIRE_ND_TLLA: {
		struct wire_opt_ll v;
		if ((e = wire_opt_ll_decode(o, &v)) == WIRE_OK) {
			jw_key(w, "addr");
			jw_lladdr(w, v.addr, v.addr_len);
		}
		break;
	}
	case WIRE_ND_PREFIX: {
		struct wire_opt_prefix v;
		if ((e = wire_opt_prefix_decode(o, &v)) == WIRE_OK) {
			jw_kv_addr6(w, "prefix", v.prefix);
			jw_kv_uint(w, "plen", v.prefix_len);
			jw_kv_bool(w, "L", v.flags & 0x80);
			jw_kv_bool(w, "A", v.flags & 0x40);
			jw_kv_uint(w, "valid", v.valid);
			jw_kv_uint(w, "preferred", v.preferred);
		}
		break;
	}
	case WIRE_ND_CGA: {
		struct wire_opt_cga v;
		struct wire_cga_params cp;
		if ((e = wire_opt_cga_decode(o, &v)) != WIRE_OK)
			break;
		jw_kv_uint(w, "pad_len", v.pad_len);
		jw_kv_uint(w, "params_len", v.params_len);
		int pe = wire_cga_params_decode(v.params, v.params_len, &cp);
		if (pe != WIRE_OK) {
			jw_kv_str(w, "params_error", wire_strerror(pe));
			break;
		}
		jw_kv_hex(w, "modifier", cp.modifier, 16, 16);
		kv_prefix64(w, "subnet_prefix", cp.prefix);
		jw_kv_uint(w, "collision_count", cp.collision_count);
		jw_kv_uint(w, "pubkey_len", cp.pubkey_len);
		jw_kv_hex(w, "pubkey", cp.pubkey, cp.pubkey_len, SHORT_HEX);
		jw_kv_uint(w, "ext_len", cp.ext_len);
		break;
	}
	case WIRE_ND_RSA_SIG: {
		struct wire_opt_rsasig v;
		if ((e = wire_opt_rsasig_decode(o, &v)) == WIRE_OK) {
			jw_kv_hex(w, "key_hash", v.key_hash, 16, 16);
			jw_kv_uint(w, "sig_room", v.sig_room);
			jw_kv_hex(w, "sig", v.sig, v.sig_room, SHORT_HEX);
		}
		break;
	}
	case WIRE_ND_TIMESTAMP: {
		struct wire_opt_timestamp v;
		if ((e = wire_opt_timestamp_decode(o, &v)) == WIRE_OK) {
			/* 48.16 fixed point: seconds since 1970 and 1/65536 s */
			jw_kv_uint(w, "ts_sec", v.ts >> 16);
			jw_kv_uint(w, "ts_frac", v.ts & 0xffff);
		}
		break;
	}
	case WIRE_ND_NONCE: {
		struct wire_opt_nonce v;
		if ((e = wire_opt_nonce_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "nonce_len", v.nonce_len);
			jw_kv_hex(w, "nonce", v.nonce, v.nonce_len, 32);
		}
		break;
	}
	case WIRE_ND_TRUST_ANCHOR: {
		struct wire_opt_trust_anchor v;
		if ((e = wire_opt_trust_anchor_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "name_type", v.name_type);
			jw_kv_uint(w, "pad_len", v.pad_len);
			jw_kv_uint(w, "name_len", v.name_len);
			jw_kv_hex(w, "name", v.name, v.name_len, SHORT_HEX);
		}
		break;
	}
	case WIRE_ND_CERTIFICATE: {
		struct wire_opt_cert v;
		if ((e = wire_opt_cert_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "cert_type", v.cert_type);
			jw_kv_uint(w, "cert_len", v.cert_len);
			jw_kv_hex(w, "cert", v.cert, v.cert_len, SHORT_HEX);
		}
		break;
	}
	case WIRE_ND_IPADDR: {
		struct wire_opt_ipaddr v;
		if ((e = wire_opt_ipaddr_decode(o, &v)) == WIRE_OK) {
			kv_code(w, v.code, ipa_code_name(v.code));
			jw_kv_uint(w, "plen", v.prefix_len);
			jw_kv_addr6(w, "addr", v.addr);
		}
		break;
	}
	case WIRE_ND_FMIP_LLA: {
		struct wire_opt_lla v;
		if ((e = wire_opt_lla_decode(o, &v)) == WIRE_OK) {
			kv_code(w, v.code, lla_code_name(v.code));
			/* no length of its own: show an Ethernet-sized address, and the room */
			jw_key(w, "lla");
			jw_lladdr(w, v.lla, v.lla_len < 6 ? v.lla_len : 6);
			jw_kv_uint(w, "lla_room", v.lla_len);
		}
		break;
	}
	case WIRE_ND_NAACK: {
		struct wire_opt_naack v;
		if ((e = wire_opt_naack_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "code", v.code);
			jw_kv_uint(w, "status", v.status);
			if (v.ncoa)
				jw_kv_addr6(w, "ncoa", v.ncoa);
		}
		break;
	}
	case WIRE_ND_HK_REQUEST: {
		struct wire_opt_hkreq v;
		if ((e = wire_opt_hkreq_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "pad_len", v.pad_len);
			jw_kv_uint(w, "at", v.at);
			jw_kv_uint(w, "key_len", v.key_len);
			jw_kv_hex(w, "key", v.key, v.key_len, SHORT_HEX);
		}
		break;
	}
	case WIRE_ND_HK_REPLY: {
		struct wire_opt_hkrep v;
		if ((e = wire_opt_hkrep_decode(o, &v)) == WIRE_OK) {
			jw_kv_uint(w, "pad_len", v.pad_len);
			jw_kv_uint(w, "at", v.at);
			jw_kv_uint(w, "lifetime", v.lifetime);
			/* the wrapped key: length only (and a few octets of ciphertext) */
			jw_kv_uint(w, "enc_len", v.enc_len);
			jw_kv_hex(w, "enc", v.enc, v.enc_len, SHORT_HEX);
		}
		break;
	}
	default:
		break;
	}
	if (e != WIRE_OK)
		kv_err(w, e);
}

/* Every ND option of an ICMPv6 message from opts_off, as the array "opts". */
static void nd_opts(struct jw *w, const struct wire_icmp6 *icmp, size_t opts_off)
{
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	char nb[16];
	int r;

	jw_key(w, "opts");
	jw_arr_begin(w);
	if ((r = wire_ndopt_iter_init(&it, icmp, opts_off)) != WIRE_OK) {
		jw_obj_begin_named(w, "bad");
		kv_err(w, r);
		jw_obj_end(w);
		jw_arr_end(w);
		return;
	}
	while ((r = wire_ndopt_next(&it, &o)) == 1) {
		jw_obj_begin_named(w, describe_ndopt_name(o.type, nb));
		jw_kv_uint(w, "off", o.off);
		jw_kv_uint(w, "len", o.len);
		nd_opt_body(w, &o);
		jw_obj_end(w);
	}
	if (r < 0) {
		jw_obj_begin_named(w, "bad");
		jw_kv_uint(w, "off", (size_t)(it.c.p - it.msg));
		kv_err(w, -r);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/*
 * SEND summary (RFC 3971 §5.2, A5): which protected options the message carries, and, when it
 * is signed, the length of the signed data and the checksum placed in it.
 */
static void send_summary(struct jw *w, const struct wire_frame *f, size_t opts_off)
{
	struct wire_send_opts s;
	struct wire_send_tbs tbs;
	int e;

	if ((e = wire_send_opts_collect(&f->icmp, opts_off, &s)) != WIRE_OK) {
		jw_key(w, "send_opts");
		jw_obj_begin(w);
		kv_err(w, e);
		jw_obj_end(w);
		return;
	}
	if (!s.has_cga && !s.has_rsasig && !s.has_timestamp && !s.has_nonce && !s.has_hkreq &&
	    !s.has_hkrep)
		return;
	jw_key(w, "send_opts");
	jw_obj_begin(w);
	jw_kv_bool(w, "cga", s.has_cga);
	jw_kv_bool(w, "sig", s.has_rsasig);
	jw_kv_bool(w, "timestamp", s.has_timestamp);
	jw_kv_bool(w, "nonce", s.has_nonce);
	if (s.has_hkreq)
		jw_kv_bool(w, "hkreq", true);
	if (s.has_hkrep)
		jw_kv_bool(w, "hkrep", true);
	if (s.has_rsasig) {
		jw_kv_uint(w, "sig_off", s.sig_off);
		if ((e = wire_send_tbs(f->ip.src, f->ip.dst, f->icmp.p, s.sig_off, &tbs)) ==
		    WIRE_OK) {
			jw_kv_uint(w, "signed_len", (uint64_t)tbs.seg[0].len + tbs.seg[1].len);
			jw_kv_hex16(w, "signed_csum", tbs.csum);
		} else {
			kv_err(w, e);
		}
	}
	jw_obj_end(w);
}

static void icmp_fields(struct jw *w, const struct wire_frame *f)
{
	const struct wire_icmp6 *ic = &f->icmp;
	size_t opts_off = 0;

	if (!ic->p)
		return;
	jw_kv_uint(w, "icmp_type", ic->type);
	jw_kv_uint(w, "icmp_code", ic->code);
	jw_kv_hex16(w, "csum", ic->csum);
	/*
	 * wire_decode_frame() decodes the message header only when the checksum is right; an
	 * operator wants the fields of a frame with a bad checksum too, so decode the header here
	 * when the frame did not (the same decoders, on the same checked ICMPv6 view).
	 */
	switch (f->msg) {
	case WIRE_MSG_RTSOLPR:
	case WIRE_MSG_PRRTADV: {
		struct wire_fmip m = f->nd.fmip;
		if (m.opts_off == 0 && wire_fmip_decode(ic, &m) != WIRE_OK)
			return; /* too short for the FMIPv6 header */
		jw_kv_uint(w, "subtype", m.subtype);
		jw_kv_uint(w, "identifier", m.identifier);
		opts_off = m.opts_off;
		break;
	}
	case WIRE_MSG_CPS: {
		struct wire_cps m = f->nd.cps;
		if (m.opts_off == 0 && wire_cps_decode(ic, &m) != WIRE_OK)
			return;
		jw_kv_uint(w, "identifier", m.identifier);
		jw_kv_uint(w, "component", m.component);
		opts_off = m.opts_off;
		break;
	}
	case WIRE_MSG_CPA: {
		struct wire_cpa m = f->nd.cpa;
		if (m.opts_off == 0 && wire_cpa_decode(ic, &m) != WIRE_OK)
			return;
		jw_kv_uint(w, "identifier", m.identifier);
		jw_kv_uint(w, "all_components", m.all_components);
		jw_kv_uint(w, "component", m.component);
		opts_off = m.opts_off;
		break;
	}
	case WIRE_MSG_ND:
		/* RFC 4861 §4: where the options of RS/RA/NS/NA/Redirect start */
		switch (ic->type) {
		case WIRE_ICMP6_RS:
			opts_off = 8;
			break;
		case WIRE_ICMP6_RA:
			opts_off = 16;
			break;
		case WIRE_ICMP6_NS:
		case WIRE_ICMP6_NA:
			opts_off = 24;
			break;
		case WIRE_ICMP6_REDIRECT:
			opts_off = 40;
			break;
		default:
			return;
		}
		if (ic->len < opts_off)
			return;
		break;
	default:
		return;
	}
	nd_opts(w, ic, opts_off);
	send_summary(w, f, opts_off);
}

/* ------------------------------------------------------------------------------------------ */
/* Mobility Header                                                                             */
/* ------------------------------------------------------------------------------------------ */

static void mh_flags(struct jw *w, uint8_t flags, const char *names, const uint8_t *bits,
		     unsigned n)
{
	char b[8];
	size_t k = 0;
	for (unsigned i = 0; i < n && k < sizeof(b) - 1; i++)
		if (flags & bits[i])
			b[k++] = names[i];
	jw_key(w, "flags");
	jw_strn(w, b, k);
}

static void mh_opt_body(struct jw *w, const struct wire_mh *mh, const struct wire_mhopt *o)
{
	/* the option's octets, through a cursor (Pad1 is a single octet) */
	struct wire_cur c =
	    wire_cur_make(o->p, o->type == WIRE_MHOPT_PAD1 ? 1 : 2 + (size_t)o->len);
	const uint8_t *v;
	uint8_t code, plen;
	uint32_t spi;

	if (o->type == WIRE_MHOPT_PAD1)
		return;
	if (wire_skip(&c, 2) != WIRE_OK) {
		kv_err(w, WIRE_E_TRUNCATED);
		return;
	}
	switch (o->type) {
	case WIRE_MHOPT_PADN:
		break;
	case WIRE_MHOPT_ALTCOA:
		if (o->len != 16 || wire_get_view(&c, 16, &v) != WIRE_OK) {
			kv_err(w, WIRE_E_BAD_LENGTH);
			break;
		}
		jw_kv_addr6(w, "addr", v);
		break;
	case WIRE_MHOPT_MH_LLA:
		if (wire_get_u8(&c, &code) != WIRE_OK) {
			kv_err(w, WIRE_E_BAD_LENGTH);
			break;
		}
		kv_code(w, code, lla_code_name(code));
		jw_key(w, "lla");
		jw_lladdr(w, c.p, c.len);
		break;
	case WIRE_MHOPT_IPADDR:
		if (o->len != 18 || wire_get_u8(&c, &code) != WIRE_OK ||
		    wire_get_u8(&c, &plen) != WIRE_OK || wire_get_view(&c, 16, &v) != WIRE_OK) {
			kv_err(w, WIRE_E_BAD_LENGTH);
			break;
		}
		kv_code(w, code, ipa_code_name(code));
		jw_kv_uint(w, "plen", plen);
		jw_kv_addr6(w, "addr", v);
		break;
	case WIRE_MHOPT_BADF:
		if (mh->badf.present && mh->badf.off == o->off) {
			/* the decoder resolved the two length forms (A3) */
			jw_kv_uint(w, "spi", mh->badf.spi);
			jw_kv_uint(w, "auth_len", mh->badf.auth_len);
			jw_kv_hex(w, "auth", mh->badf.auth, mh->badf.auth_len, 32);
		} else if (wire_get_be32(&c, &spi) == WIRE_OK) {
			jw_kv_uint(w, "spi", spi);
			jw_kv_uint(w, "auth_room", c.len);
		} else {
			kv_err(w, WIRE_E_BAD_LENGTH);
		}
		break;
	default:
		break;
	}
}

static void mh_opts(struct jw *w, const struct wire_mh *mh)
{
	struct wire_mhopt_iter it;
	struct wire_mhopt o;
	char nb[16];
	int r;

	jw_key(w, "opts");
	jw_arr_begin(w);
	if ((r = wire_mhopt_iter_init(&it, mh)) != WIRE_OK) {
		jw_obj_begin_named(w, "bad");
		kv_err(w, r);
		jw_obj_end(w);
		jw_arr_end(w);
		return;
	}
	while ((r = wire_mhopt_next(&it, &o)) == 1) {
		jw_obj_begin_named(w, describe_mhopt_name(o.type, nb));
		jw_kv_uint(w, "off", o.off);
		if (o.type != WIRE_MHOPT_PAD1)
			jw_kv_uint(w, "len", o.len);
		mh_opt_body(w, mh, &o);
		jw_obj_end(w);
	}
	if (r < 0) {
		jw_obj_begin_named(w, "bad");
		jw_kv_uint(w, "off", (size_t)(it.c.p - it.mh));
		kv_err(w, -r);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void mh_fields(struct jw *w, const struct wire_frame *f)
{
	static const uint8_t fbu_bits[] = { WIRE_FBU_FLAG_A, WIRE_FBU_FLAG_H, WIRE_FBU_FLAG_L,
					    WIRE_FBU_FLAG_K };
	static const uint8_t fback_bits[] = { 0x80 };
	static const uint8_t hi_bits[] = { WIRE_HI_FLAG_S, WIRE_HI_FLAG_U, 0x20, 0x10 };
	const struct wire_mh *mh = &f->mh;

	if (!mh->p)
		return;
	jw_kv_uint(w, "mh_type", mh->type);
	jw_kv_uint(w, "mh_len", mh->len);
	jw_kv_hex16(w, "csum", mh->csum);
	if (mh->opts_off == 0)
		return; /* a type without a body decoder, or a header that did not decode */
	switch (f->msg) {
	case WIRE_MSG_FBU:
		jw_kv_uint(w, "seq", mh->u.fbu.seq);
		mh_flags(w, mh->u.fbu.flags, "AHLK", fbu_bits, 4);
		jw_kv_uint(w, "lifetime", mh->u.fbu.lifetime);
		/* A2: the NCoA is the Alternate CoA when present, else the IPv6 source */
		if (mh->altcoa)
			jw_kv_addr6(w, "ncoa", mh->altcoa);
		else if (f->ip.src)
			jw_kv_addr6(w, "ncoa", f->ip.src);
		if (f->ip.hao)
			jw_kv_addr6(w, "pcoa", f->ip.hao);
		break;
	case WIRE_MSG_FBACK:
		jw_kv_uint(w, "status", mh->u.fback.status);
		mh_flags(w, mh->u.fback.flags, "K", fback_bits, 1);
		jw_kv_uint(w, "seq", mh->u.fback.seq);
		jw_kv_uint(w, "lifetime", mh->u.fback.lifetime);
		if (mh->altcoa)
			jw_kv_addr6(w, "altcoa", mh->altcoa);
		break;
	case WIRE_MSG_HI:
		jw_kv_uint(w, "seq", mh->u.hi.seq);
		mh_flags(w, mh->u.hi.flags, "SUPF", hi_bits, 4);
		jw_kv_uint(w, "code", mh->u.hi.code);
		break;
	case WIRE_MSG_HACK:
		jw_kv_uint(w, "seq", mh->u.hack.seq);
		jw_kv_uint(w, "code", mh->u.hack.code);
		break;
	default:
		break;
	}
	if (mh->badf.present) {
		jw_key(w, "badf");
		jw_obj_begin(w);
		jw_kv_uint(w, "spi", mh->badf.spi);
		jw_kv_uint(w, "auth_len", mh->badf.auth_len);
		jw_kv_uint(w, "off", mh->badf.off);
		jw_obj_end(w);
	}
	mh_opts(w, mh);

	/* The BADF MAC input (PROTOCOL.md 1.9, A2, A12): its size and the addresses in it. */
	if ((f->msg == WIRE_MSG_FBU || f->msg == WIRE_MSG_FBACK) && mh->badf.present) {
		struct wire_mac_input in;
		int e = wire_mac_input(&f->ip, mh, &in);
		jw_key(w, "mac_input");
		jw_obj_begin(w);
		if (e == WIRE_OK) {
			jw_kv_uint(w, "len", in.total);
			jw_kv_uint(w, "segs", in.n);
			jw_kv_addr6(w, "coa", in.coa);
			jw_kv_addr6(w, "par", in.par);
		} else {
			kv_err(w, e);
		}
		jw_obj_end(w);
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
		icmp_fields(w, wf);
		break;
	case WIRE_MSG_FBU:
	case WIRE_MSG_FBACK:
	case WIRE_MSG_HI:
	case WIRE_MSG_HACK:
	case WIRE_MSG_MH:
		mh_fields(w, wf);
		break;
	default:
		break;
	}

	for (unsigned i = 0; i < n_ann; i++)
		if (ann[i].annotate)
			ann[i].annotate(f, w, ann[i].ctx);
	jw_obj_end(w);
}
