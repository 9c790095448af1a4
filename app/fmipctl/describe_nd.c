/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — ICMPv6 messages: the FMIPv6 / CPS / CPA / ND headers, every ND option (RFC 4861,
 * RFC 3971, RFC 5568, RFC 5269) and the SEND summary (A5).  See describe.h.
 */
#include <string.h>

#include "describe_priv.h"

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

/* Source / Target Link-layer Address (RFC 4861 §4.6.1) */
static int nd_opt_ll(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_ll v;
	int e;

	if ((e = wire_opt_ll_decode(o, &v)) == WIRE_OK) {
		jw_key(w, "addr");
		jw_lladdr(w, v.addr, v.addr_len);
	}
	return e;
}

/* Prefix Information (RFC 4861 §4.6.2) */
static int nd_opt_prefix(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_prefix v;
	int e;

	if ((e = wire_opt_prefix_decode(o, &v)) == WIRE_OK) {
		jw_kv_addr6(w, "prefix", v.prefix);
		jw_kv_uint(w, "plen", v.prefix_len);
		jw_kv_bool(w, "L", v.flags & 0x80);
		jw_kv_bool(w, "A", v.flags & 0x40);
		jw_kv_uint(w, "valid", v.valid);
		jw_kv_uint(w, "preferred", v.preferred);
	}
	return e;
}

/* CGA option and its CGA Parameters (RFC 3971 §5.1, RFC 3972 §3) */
static int nd_opt_cga(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_cga v;
	struct wire_cga_params cp;
	int e;

	if ((e = wire_opt_cga_decode(o, &v)) != WIRE_OK)
		return e;
	jw_kv_uint(w, "pad_len", v.pad_len);
	jw_kv_uint(w, "params_len", v.params_len);
	int pe = wire_cga_params_decode(v.params, v.params_len, &cp);
	if (pe != WIRE_OK) {
		jw_kv_str(w, "params_error", wire_strerror(pe));
		return e;
	}
	jw_kv_hex(w, "modifier", cp.modifier, 16, 16);
	kv_prefix64(w, "subnet_prefix", cp.prefix);
	jw_kv_uint(w, "collision_count", cp.collision_count);
	jw_kv_uint(w, "pubkey_len", cp.pubkey_len);
	jw_kv_hex(w, "pubkey", cp.pubkey, cp.pubkey_len, SHORT_HEX);
	jw_kv_uint(w, "ext_len", cp.ext_len);
	return e;
}

/* RSA Signature (RFC 3971 §5.2) */
static int nd_opt_rsasig(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_rsasig v;
	int e;

	if ((e = wire_opt_rsasig_decode(o, &v)) == WIRE_OK) {
		jw_kv_hex(w, "key_hash", v.key_hash, 16, 16);
		jw_kv_uint(w, "sig_room", v.sig_room);
		jw_kv_hex(w, "sig", v.sig, v.sig_room, SHORT_HEX);
	}
	return e;
}

/* Timestamp (RFC 3971 §5.3.1) */
static int nd_opt_timestamp(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_timestamp v;
	int e;

	if ((e = wire_opt_timestamp_decode(o, &v)) == WIRE_OK) {
		/* 48.16 fixed point: seconds since 1970 and 1/65536 s */
		jw_kv_uint(w, "ts_sec", v.ts >> 16);
		jw_kv_uint(w, "ts_frac", v.ts & 0xffff);
	}
	return e;
}

/* Nonce (RFC 3971 §5.3.2) */
static int nd_opt_nonce(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_nonce v;
	int e;

	if ((e = wire_opt_nonce_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "nonce_len", v.nonce_len);
		jw_kv_hex(w, "nonce", v.nonce, v.nonce_len, 32);
	}
	return e;
}

/* Trust Anchor (RFC 3971 §6.4.3) */
static int nd_opt_trust_anchor(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_trust_anchor v;
	int e;

	if ((e = wire_opt_trust_anchor_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "name_type", v.name_type);
		jw_kv_uint(w, "pad_len", v.pad_len);
		jw_kv_uint(w, "name_len", v.name_len);
		jw_kv_hex(w, "name", v.name, v.name_len, SHORT_HEX);
	}
	return e;
}

/* Certificate (RFC 3971 §6.4.4) */
static int nd_opt_cert(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_cert v;
	int e;

	if ((e = wire_opt_cert_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "cert_type", v.cert_type);
		jw_kv_uint(w, "cert_len", v.cert_len);
		jw_kv_hex(w, "cert", v.cert, v.cert_len, SHORT_HEX);
	}
	return e;
}

/* IP Address/Prefix (RFC 5568 §6.4.1) */
static int nd_opt_ipaddr(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_ipaddr v;
	int e;

	if ((e = wire_opt_ipaddr_decode(o, &v)) == WIRE_OK) {
		kv_code(w, v.code, ipa_code_name(v.code));
		jw_kv_uint(w, "plen", v.prefix_len);
		jw_kv_addr6(w, "addr", v.addr);
	}
	return e;
}

/* FMIPv6 Link-layer Address (RFC 5568 §6.4.3) */
static int nd_opt_lla(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_lla v;
	int e;

	if ((e = wire_opt_lla_decode(o, &v)) == WIRE_OK) {
		kv_code(w, v.code, lla_code_name(v.code));
		/* no length of its own: show an Ethernet-sized address, and the room */
		jw_key(w, "lla");
		jw_lladdr(w, v.lla, v.lla_len < 6 ? v.lla_len : 6);
		jw_kv_uint(w, "lla_room", v.lla_len);
	}
	return e;
}

/* Neighbor Advertisement Acknowledgment (RFC 5568 §6.4.6) */
static int nd_opt_naack(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_naack v;
	int e;

	if ((e = wire_opt_naack_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "code", v.code);
		jw_kv_uint(w, "status", v.status);
		if (v.ncoa)
			jw_kv_addr6(w, "ncoa", v.ncoa);
	}
	return e;
}

/* Handover Key Request (RFC 5269 §4.1) */
static int nd_opt_hkreq(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_hkreq v;
	int e;

	if ((e = wire_opt_hkreq_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "pad_len", v.pad_len);
		jw_kv_uint(w, "at", v.at);
		jw_kv_uint(w, "key_len", v.key_len);
		jw_kv_hex(w, "key", v.key, v.key_len, SHORT_HEX);
	}
	return e;
}

/* Handover Key Reply (RFC 5269 §4.2) */
static int nd_opt_hkrep(struct jw *w, const struct wire_ndopt *o)
{
	struct wire_opt_hkrep v;
	int e;

	if ((e = wire_opt_hkrep_decode(o, &v)) == WIRE_OK) {
		jw_kv_uint(w, "pad_len", v.pad_len);
		jw_kv_uint(w, "at", v.at);
		jw_kv_uint(w, "lifetime", v.lifetime);
		/* the wrapped key: length only (and a few octets of ciphertext) */
		jw_kv_uint(w, "enc_len", v.enc_len);
		jw_kv_hex(w, "enc", v.enc, v.enc_len, SHORT_HEX);
	}
	return e;
}

/* The fields of one ND option (nothing more for a type without a decoder), or its error. */
static void nd_opt_body(struct jw *w, const struct wire_ndopt *o)
{
	int e = WIRE_OK;

	switch (o->type) {
	case WIRE_ND_SLLA:
	case WIRE_ND_TLLA:
		e = nd_opt_ll(w, o);
		break;
	case WIRE_ND_PREFIX:
		e = nd_opt_prefix(w, o);
		break;
	case WIRE_ND_CGA:
		e = nd_opt_cga(w, o);
		break;
	case WIRE_ND_RSA_SIG:
		e = nd_opt_rsasig(w, o);
		break;
	case WIRE_ND_TIMESTAMP:
		e = nd_opt_timestamp(w, o);
		break;
	case WIRE_ND_NONCE:
		e = nd_opt_nonce(w, o);
		break;
	case WIRE_ND_TRUST_ANCHOR:
		e = nd_opt_trust_anchor(w, o);
		break;
	case WIRE_ND_CERTIFICATE:
		e = nd_opt_cert(w, o);
		break;
	case WIRE_ND_IPADDR:
		e = nd_opt_ipaddr(w, o);
		break;
	case WIRE_ND_FMIP_LLA:
		e = nd_opt_lla(w, o);
		break;
	case WIRE_ND_NAACK:
		e = nd_opt_naack(w, o);
		break;
	case WIRE_ND_HK_REQUEST:
		e = nd_opt_hkreq(w, o);
		break;
	case WIRE_ND_HK_REPLY:
		e = nd_opt_hkrep(w, o);
		break;
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

void describe_icmp(struct jw *w, const struct wire_frame *f)
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
