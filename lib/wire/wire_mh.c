/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: the Mobility Header (RFC 3775 §6.1) with the FMIPv6 messages FBU, FBack, HI and
 * HAck (RFC 5568 §6.2), their options and the BADF MAC input (PROTOCOL.md 1.9).
 */
#include "wire.h"

int wire_mhopt_iter_init(struct wire_mhopt_iter *it, const struct wire_mh *mh)
{
	int e;

	it->mh = mh->p;
	it->c = wire_cur_make(mh->p, 0);
	/* only a Mobility Header whose length and body wire_mh_decode() checked has options */
	if (mh->p == NULL || mh->opts_off == 0 || mh->len < mh->opts_off)
		return WIRE_E_TRUNCATED;
	it->c = wire_cur_make(mh->p, mh->len);
	if ((e = wire_skip(&it->c, mh->opts_off)) != WIRE_OK)
		it->c.len = 0;
	return e;
}

/* n octets that are nothing but Pad1/PadN options covering them exactly */
static bool mh_padding_only(const uint8_t *p, size_t n)
{
	while (n) {
		size_t l = p[0] == WIRE_MHOPT_PAD1		 ? 1
			   : (n >= 2 && p[0] == WIRE_MHOPT_PADN) ? 2 + (size_t)p[1]
								 : n + 1;
		if (l > n)
			return false;
		p += l;
		n -= l;
	}
	return true;
}

int wire_mhopt_next(struct wire_mhopt_iter *it, struct wire_mhopt *opt)
{
	const uint8_t *p;
	size_t body;
	int e;

	if (it->c.len == 0)
		return 0;
	opt->p = it->c.p;
	opt->off = (size_t)(it->c.p - it->mh);
	opt->type = it->c.p[0];
	if (opt->type == WIRE_MHOPT_PAD1) {
		opt->len = 0;
		wire_skip(&it->c, 1);
		return 1;
	}
	if ((e = wire_need(&it->c, 2)))
		return -e;
	opt->len = it->c.p[1];
	body = opt->len;
	/*
	 * A3: the SPI-counted Length is the form we accept first.  A BADF whose Length counts
	 * only the authenticator is accepted when the option, SPI added, then ends exactly at the
	 * end of the MH, unless the SPI-counted reading leaves exactly 4 octets that are
	 * padding (Pad1/PadN), which that reading explains (RFC 3775-style 8n+2 placement).
	 */
	if (opt->type == WIRE_MHOPT_BADF && it->c.len == 2 + body + 4 &&
	    !mh_padding_only(it->c.p + 2 + body, 4))
		body += 4;
	if ((e = wire_get_view(&it->c, 2 + body, &p)))
		return -e;
	opt->len = (uint16_t)body;
	return 1;
}

static int mh_options(struct wire_mh *mh)
{
	struct wire_mhopt_iter it;
	struct wire_mhopt o;
	int r;

	if ((r = wire_mhopt_iter_init(&it, mh)))
		return r;
	while ((r = wire_mhopt_next(&it, &o)) == 1) {
		size_t body = o.len;
		if (mh->badf.present && o.type != WIRE_MHOPT_PAD1 && o.type != WIRE_MHOPT_PADN)
			return WIRE_E_OPT_ORDER; /* BADF MUST be the last option */
		switch (o.type) {
		case WIRE_MHOPT_ALTCOA:
			if (body != 16)
				return WIRE_E_BAD_LENGTH;
			if (o.off % 8 != 6)
				return WIRE_E_BAD_ALIGNMENT;
			if (mh->altcoa)
				return WIRE_E_DUPLICATE;
			mh->altcoa = o.p + 2;
			break;
		case WIRE_MHOPT_MH_LLA:
			if (body < 1)
				return WIRE_E_BAD_LENGTH;
			if (mh->mh_lla)
				return WIRE_E_DUPLICATE;
			mh->mh_lla = o.p;
			mh->mh_lla_code = o.p[2];
			mh->mh_lla_len = body - 1;
			break;
		case WIRE_MHOPT_IPADDR: {
			uint8_t code;
			if (body != 18)
				return WIRE_E_BAD_LENGTH;
			if (o.off % 8 != 4)
				return WIRE_E_BAD_ALIGNMENT;
			code = o.p[2];
			if (code < 1 || code > 4 || o.p[3] > 128)
				return WIRE_E_BAD_VALUE;
			if (mh->ipaddr[code])
				return WIRE_E_DUPLICATE;
			mh->ipaddr[code] = o.p + 4;
			mh->ipaddr_plen[code] = o.p[3];
			break;
		}
		case WIRE_MHOPT_BADF:
			/* SPI (4) and an authenticator of 1..WIRE_BADF_MAX_AUTH octets */
			if (body < 5 || body - 4 > WIRE_BADF_MAX_AUTH)
				return WIRE_E_BAD_LENGTH;
			mh->badf.present = true;
			mh->badf.spi = wire_be32(o.p + 2);
			mh->badf.off = o.off;
			mh->badf.auth_off = o.off + 6;
			mh->badf.auth = o.p + 6;
			mh->badf.auth_len = (uint8_t)(body - 4);
			break;
		default: /* Pad1, PadN, and unknown options are skipped (RFC 3775 §6.2.1) */
			break;
		}
	}
	return r == 0 ? WIRE_OK : -r;
}

int wire_mh_decode(const struct wire_ip6 *ip, struct wire_mh *mh)
{
	const uint8_t *p = ip->l4;
	size_t min;
	int e;

	memset(mh, 0, sizeof(*mh));
	if (ip->proto != WIRE_NH_MH)
		return WIRE_E_UNKNOWN_TYPE;
	if (ip->l4_len < 6)
		return WIRE_E_TRUNCATED;
	mh->p = p;
	mh->proto = p[0];
	mh->type = p[2];
	mh->csum = wire_be16(p + 4);
	/* the view never claims more octets than there are, even when refused */
	mh->len = 8 * ((size_t)p[1] + 1);
	if (mh->len > ip->l4_len) {
		mh->len = ip->l4_len;
		return WIRE_E_TRUNCATED;
	}
	if (mh->len < ip->l4_len)
		return WIRE_E_BAD_LENGTH; /* the MH is the last header: nothing may follow it */
	if (mh->proto != WIRE_NH_NONE)
		return WIRE_E_BAD_VALUE; /* RFC 3775 §9.2: Payload Proto must be 59 */

	switch (mh->type) {
	case WIRE_MH_FBU:
		min = 12;
		break;
	case WIRE_MH_FBACK:
		min = 12;
		break;
	case WIRE_MH_HI:
	case WIRE_MH_HACK:
		min = 10;
		break;
	default:
		min = 0;
		break;
	}
	if (min) {
		if (mh->len < min)
			return WIRE_E_BAD_LENGTH;
		mh->opts_off = min;
		switch (mh->type) {
		case WIRE_MH_FBU:
			mh->u.fbu.seq = wire_be16(p + 6);
			mh->u.fbu.flags = p[8];
			mh->u.fbu.lifetime = wire_be16(p + 10);
			break;
		case WIRE_MH_FBACK:
			mh->u.fback.status = p[6];
			mh->u.fback.flags = p[7];
			mh->u.fback.seq = wire_be16(p + 8);
			mh->u.fback.lifetime = wire_be16(p + 10);
			break;
		case WIRE_MH_HI:
			mh->u.hi.seq = wire_be16(p + 6);
			mh->u.hi.flags = p[8];
			mh->u.hi.code = p[9];
			break;
		default:
			mh->u.hack.seq = wire_be16(p + 6);
			mh->u.hack.code = p[9];
			break;
		}
		if ((e = mh_options(mh)))
			return e;
		if ((mh->type == WIRE_MH_FBU || mh->type == WIRE_MH_FBACK) && !mh->badf.present)
			return WIRE_E_MISSING; /* RFC 5568 §6.4.5: BADF MUST be present */
	}
	/* A16: next header 135 in the pseudo-header; the HAO is the pseudo-source; the final
	 * destination (a type-2 Routing header's address) the pseudo-destination. */
	if (wire_l4_csum(ip->hao ? ip->hao : ip->src, wire_ip6_final_dst(ip), WIRE_NH_MH, p,
			 mh->len, 4) != mh->csum)
		return WIRE_E_BAD_CHECKSUM;
	return WIRE_OK;
}

static const uint8_t zero2[2];

int wire_mac_input(const struct wire_ip6 *ip, const struct wire_mh *mh, struct wire_mac_input *in)
{
	const struct wire_badf *b = &mh->badf;
	unsigned n = 0, i;

	memset(in, 0, sizeof(*in));
	if (!b->present)
		return WIRE_E_MISSING;
	if (mh->type == WIRE_MH_FBU) {
		in->coa = mh->altcoa ? mh->altcoa : ip->src; /* A2: the NCoA */
		in->par = ip->dst;			     /* A12 */
	} else if (mh->type == WIRE_MH_FBACK) {
		in->coa = ip->dst;
		in->par = ip->src;
	} else {
		return WIRE_E_UNKNOWN_TYPE;
	}
	in->seg[n++] = (struct wire_seg){ in->coa, 16 };
	in->seg[n++] = (struct wire_seg){ in->par, 16 };
	in->seg[n++] = (struct wire_seg){ mh->p, 4 };
	in->seg[n++] = (struct wire_seg){ zero2, 2 }; /* checksum as zero */
	in->seg[n++] = (struct wire_seg){ mh->p + 6, (uint32_t)(b->auth_off - 6) };
	if (b->auth_off + b->auth_len < mh->len) /* octets after the authenticator, as they are */
		in->seg[n++] = (struct wire_seg){ mh->p + b->auth_off + b->auth_len,
						  (uint32_t)(mh->len - b->auth_off - b->auth_len) };
	in->n = n;
	for (i = 0; i < n; i++)
		in->total += in->seg[i].len;
	in->auth = b->auth;
	in->auth_len = b->auth_len;
	return WIRE_OK;
}

/* ---- builders ---------------------------------------------------------------------------- */

size_t wire_build_mh(struct wire_buf *w, uint8_t type)
{
	size_t off = w->len;
	wire_put_u8(w, WIRE_NH_NONE);
	wire_put_u8(w, 0); /* Header Len: wire_mh_finish() */
	wire_put_u8(w, type);
	wire_put_u8(w, 0);
	wire_put_be16(w, 0);
	return off;
}

/* Pad1 or PadN of exactly n octets. */
static void mh_pad(struct wire_buf *w, size_t n)
{
	if (n == 1) {
		wire_put_u8(w, WIRE_MHOPT_PAD1);
	} else if (n >= 2) {
		wire_put_u8(w, WIRE_MHOPT_PADN);
		wire_put_u8(w, (uint8_t)(n - 2));
		wire_put_zero(w, n - 2);
	}
}

void wire_mh_align(struct wire_buf *w, size_t mh_off, unsigned n, unsigned k)
{
	size_t cur = w->len - mh_off;
	mh_pad(w, (k + n - cur % n) % n);
}

int wire_mh_finish(struct wire_buf *w, size_t mh_off)
{
	size_t total;
	mh_pad(w, (8 - (w->len - mh_off) % 8) % 8);
	if (w->err != WIRE_OK)
		return w->err;
	total = w->len - mh_off;
	if (total < 8 || total > 256 * 8)
		return WIRE_E_BAD_LENGTH;
	w->p[mh_off + 1] = (uint8_t)(total / 8 - 1);
	return WIRE_OK;
}

int wire_mh_csum_finish(struct wire_buf *w, size_t mh_off, const uint8_t pseudo_src[16],
			const uint8_t dst[16])
{
	if (w->err != WIRE_OK)
		return w->err;
	wire_poke_be16(
	    w, mh_off + 4,
	    wire_l4_csum(pseudo_src, dst, WIRE_NH_MH, w->p + mh_off, w->len - mh_off, 4));
	return w->err;
}

void wire_put_mhopt_altcoa(struct wire_buf *w, size_t mh_off, const uint8_t coa[16])
{
	wire_mh_align(w, mh_off, 8, 6);
	wire_put_u8(w, WIRE_MHOPT_ALTCOA);
	wire_put_u8(w, 16);
	wire_put_bytes(w, coa, 16);
}

void wire_put_mhopt_lla(struct wire_buf *w, uint8_t code, const uint8_t *lla, size_t lla_len)
{
	if (lla_len > 254) {
		if (w->err == WIRE_OK)
			w->err = WIRE_E_NOSPACE;
		return;
	}
	wire_put_u8(w, WIRE_MHOPT_MH_LLA);
	wire_put_u8(w, (uint8_t)(1 + lla_len));
	wire_put_u8(w, code);
	wire_put_bytes(w, lla, lla_len);
}

void wire_put_mhopt_ipaddr(struct wire_buf *w, size_t mh_off, uint8_t code, uint8_t prefix_len,
			   const uint8_t addr[16])
{
	wire_mh_align(w, mh_off, 8, 4);
	wire_put_u8(w, WIRE_MHOPT_IPADDR);
	wire_put_u8(w, 18);
	wire_put_u8(w, code);
	wire_put_u8(w, prefix_len);
	wire_put_bytes(w, addr, 16);
}

void wire_put_mhopt_badf(struct wire_buf *w, size_t mh_off, uint32_t spi, uint8_t auth_len,
			 size_t *auth_off)
{
	/* A20: start where Type..authenticator (6 + auth_len octets) ends on 8n. */
	unsigned k = (unsigned)((8 - (6 + auth_len) % 8) % 8);
	if (auth_len == 0 || auth_len > WIRE_BADF_MAX_AUTH) {
		if (w->err == WIRE_OK)
			w->err = WIRE_E_BAD_LENGTH;
		return;
	}
	wire_mh_align(w, mh_off, 8, k);
	wire_put_u8(w, WIRE_MHOPT_BADF);
	wire_put_u8(w, (uint8_t)(4 + auth_len)); /* A3: SPI counted */
	wire_put_be32(w, spi);
	*auth_off = w->len - mh_off;
	wire_put_zero(w, auth_len);
}

/* IPv6 header (+ HAO Destination Options when hoa) and the MH header; returns the MH offset. */
static size_t mh_packet_begin(struct wire_buf *w, const uint8_t *src, const uint8_t *dst,
			      const uint8_t *hoa, uint8_t hlim, uint8_t type, size_t *ip6_off)
{
	*ip6_off =
	    wire_build_ip6(w, src, dst, hoa ? WIRE_NH_DSTOPTS : WIRE_NH_MH, hlim ? hlim : 64);
	if (hoa)
		wire_build_dstopt_hao(w, WIRE_NH_MH, hoa);
	return wire_build_mh(w, type);
}

static int mh_packet_end(struct wire_buf *w, size_t ip6_off, size_t mh_off)
{
	int e;
	if ((e = wire_mh_finish(w, mh_off)))
		return e;
	return wire_ip6_finish(w, ip6_off);
}

int wire_build_fbu(struct wire_buf *w, const struct wire_fbu_spec *s, size_t *mh_off,
		   size_t *auth_off)
{
	size_t ip6_off, mo, ao = 0;
	int e;

	mo = mh_packet_begin(w, s->src, s->dst, s->hoa, s->hlim, WIRE_MH_FBU, &ip6_off);
	wire_put_be16(w, s->seq);
	wire_put_u8(w, s->flags ? s->flags : (WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H));
	wire_put_u8(w, 0);
	wire_put_be16(w, s->lifetime);
	if (s->altcoa)
		wire_put_mhopt_altcoa(w, mo, s->altcoa);
	if (s->mh_lla)
		wire_put_mhopt_lla(w, 2, s->mh_lla, 6);
	wire_put_mhopt_badf(w, mo, 0, s->auth_len, &ao);
	if ((e = mh_packet_end(w, ip6_off, mo)))
		return e;
	*mh_off = mo - ip6_off;
	*auth_off = mo - ip6_off + ao;
	return WIRE_OK;
}

int wire_build_fback(struct wire_buf *w, const struct wire_fback_spec *s, size_t *mh_off,
		     size_t *auth_off)
{
	size_t ip6_off, mo, ao = 0;
	int e;

	mo = mh_packet_begin(w, s->src, s->dst, NULL, s->hlim, WIRE_MH_FBACK, &ip6_off);
	wire_put_u8(w, s->status);
	wire_put_u8(w, s->flags);
	wire_put_be16(w, s->seq);
	wire_put_be16(w, s->lifetime);
	if (s->altcoa)
		wire_put_mhopt_altcoa(w, mo, s->altcoa);
	wire_put_mhopt_badf(w, mo, 0, s->auth_len, &ao);
	if ((e = mh_packet_end(w, ip6_off, mo)))
		return e;
	*mh_off = mo - ip6_off;
	*auth_off = mo - ip6_off + ao;
	return WIRE_OK;
}

int wire_mh_seal(uint8_t *pkt, size_t pkt_len, size_t mh_off, size_t auth_off, const uint8_t *tag,
		 size_t tag_len)
{
	struct wire_ip6 ip;
	struct wire_buf w;
	size_t mh_len;
	int e;

	if ((e = wire_ip6_decode(pkt, pkt_len, &ip)))
		return e;
	if (ip.proto != WIRE_NH_MH || ip.l4_off != mh_off)
		return WIRE_E_UNKNOWN_TYPE;
	mh_len = 8 * ((size_t)pkt[mh_off + 1] + 1);
	if (mh_len != ip.l4_len || auth_off < mh_off + 6 || auth_off + tag_len > mh_off + mh_len)
		return WIRE_E_BAD_LENGTH;
	/* the tag must fill the BADF's authenticator exactly (A3 form: Length = 4 + tag) */
	if (pkt[auth_off - 6] != WIRE_MHOPT_BADF || pkt[auth_off - 5] != 4 + tag_len)
		return WIRE_E_BAD_LENGTH;
	memcpy(pkt + auth_off, tag, tag_len);
	w = wire_buf_make(pkt, pkt_len);
	w.len = mh_off + mh_len;
	return wire_mh_csum_finish(&w, mh_off, ip.hao ? ip.hao : ip.src, wire_ip6_final_dst(&ip));
}

int wire_build_hi(struct wire_buf *w, const struct wire_hi_spec *s)
{
	size_t ip6_off, mo;
	int e;

	mo = mh_packet_begin(w, s->src, s->dst, NULL, 64, WIRE_MH_HI, &ip6_off);
	wire_put_be16(w, s->seq);
	wire_put_u8(w, s->flags);
	wire_put_u8(w, s->code);
	if (s->mn_lla)
		wire_put_mhopt_lla(w, 2, s->mn_lla, 6);
	if (s->pcoa)
		wire_put_mhopt_ipaddr(w, mo, 1, 128, s->pcoa);
	if (s->ncoa)
		wire_put_mhopt_ipaddr(w, mo, 2, 128, s->ncoa);
	if ((e = mh_packet_end(w, ip6_off, mo)))
		return e;
	return wire_mh_csum_finish(w, mo, s->src, s->dst);
}

int wire_build_hack(struct wire_buf *w, const struct wire_hack_spec *s)
{
	size_t ip6_off, mo;
	int e;

	mo = mh_packet_begin(w, s->src, s->dst, NULL, 64, WIRE_MH_HACK, &ip6_off);
	wire_put_be16(w, s->seq);
	wire_put_u8(w, 0);
	wire_put_u8(w, s->code);
	if (s->ncoa)
		wire_put_mhopt_ipaddr(w, mo, 2, 128, s->ncoa);
	if ((e = mh_packet_end(w, ip6_off, mo)))
		return e;
	return wire_mh_csum_finish(w, mo, s->src, s->dst);
}
