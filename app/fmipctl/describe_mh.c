/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — Mobility Header messages (FBU, FBack, HI, HAck; RFC 5568, RFC 6275), their
 * options, the BADF and its MAC input (PROTOCOL.md 1.9, A2, A3, A12).  See describe.h.
 */
#include "describe_priv.h"

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

void describe_mh(struct jw *w, const struct wire_frame *f)
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
