/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: ICMPv6, ND options (RFC 4861, SEND RFC 3971, FMIPv6 RFC 5568, RFC 5269), the
 * FMIPv6 and certification-path messages, and SEND's signed data (A5): the decoders.  Their
 * builders are in wire_nd_build.c.
 */
#include "wire.h"

int wire_icmp6_decode(const struct wire_ip6 *ip, struct wire_icmp6 *icmp)
{
	memset(icmp, 0, sizeof(*icmp));
	if (ip->proto != WIRE_NH_ICMPV6)
		return WIRE_E_UNKNOWN_TYPE;
	if (ip->l4_len < 4)
		return WIRE_E_TRUNCATED;
	icmp->p = ip->l4;
	icmp->len = ip->l4_len;
	icmp->type = ip->l4[0];
	icmp->code = ip->l4[1];
	icmp->csum = wire_be16(ip->l4 + 2);
	/* RFC 4443 §2.3: pseudo-header with the final destination */
	if (wire_l4_csum(ip->src, wire_ip6_final_dst(ip), WIRE_NH_ICMPV6, ip->l4, ip->l4_len, 2) !=
	    icmp->csum)
		return WIRE_E_BAD_CHECKSUM;
	return WIRE_OK;
}

int wire_ndopt_iter_init(struct wire_ndopt_iter *it, const struct wire_icmp6 *icmp, size_t opts_off)
{
	it->msg = icmp->p;
	it->c = wire_cur_make(icmp->p, icmp->len);
	return wire_skip(&it->c, opts_off);
}

int wire_ndopt_next(struct wire_ndopt_iter *it, struct wire_ndopt *opt)
{
	const uint8_t *p;
	int e;

	if (it->c.len == 0)
		return 0;
	if ((e = wire_need(&it->c, 2)))
		return -e;
	opt->type = it->c.p[0];
	opt->len8 = it->c.p[1];
	if (opt->len8 == 0)
		return -WIRE_E_BAD_LENGTH; /* RFC 4861 §4.6: discard the message */
	opt->off = (size_t)(it->c.p - it->msg);
	opt->len = 8 * (size_t)opt->len8;
	if ((e = wire_get_view(&it->c, opt->len, &p)))
		return -e;
	opt->p = p;
	return 1;
}

static int opt_is(const struct wire_ndopt *o, uint8_t type, size_t min_len)
{
	if (o->type != type)
		return WIRE_E_UNKNOWN_TYPE;
	return o->len >= min_len ? WIRE_OK : WIRE_E_BAD_LENGTH;
}

int wire_opt_ll_decode(const struct wire_ndopt *o, struct wire_opt_ll *v)
{
	if (o->type != WIRE_ND_SLLA && o->type != WIRE_ND_TLLA)
		return WIRE_E_UNKNOWN_TYPE;
	v->addr = o->p + 2;
	v->addr_len = o->len - 2;
	return WIRE_OK;
}

int wire_opt_prefix_decode(const struct wire_ndopt *o, struct wire_opt_prefix *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_PREFIX, 32)))
		return e;
	if (o->len8 != 4)
		return WIRE_E_BAD_LENGTH;
	v->prefix_len = o->p[2];
	v->flags = o->p[3];
	v->valid = wire_be32(o->p + 4);
	v->preferred = wire_be32(o->p + 8);
	v->prefix = o->p + 16;
	return v->prefix_len <= 128 ? WIRE_OK : WIRE_E_BAD_VALUE;
}

int wire_opt_cga_decode(const struct wire_ndopt *o, struct wire_opt_cga *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_CGA, 8)))
		return e;
	v->pad_len = o->p[2];
	if ((size_t)v->pad_len > o->len - 4)
		return WIRE_E_BAD_LENGTH;
	v->params = o->p + 4;
	v->params_len = o->len - 4 - v->pad_len;
	return WIRE_OK;
}

int wire_opt_rsasig_decode(const struct wire_ndopt *o, struct wire_opt_rsasig *v)
{
	int e;
	/* 4 + Key Hash 16; a signature of at least one octet */
	if ((e = opt_is(o, WIRE_ND_RSA_SIG, 24)))
		return e;
	v->key_hash = o->p + 4;
	v->sig = o->p + 20;
	v->sig_room = o->len - 20;
	return WIRE_OK;
}

int wire_opt_timestamp_decode(const struct wire_ndopt *o, struct wire_opt_timestamp *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_TIMESTAMP, 16)))
		return e;
	if (o->len8 != 2)
		return WIRE_E_BAD_LENGTH;
	v->ts = ((uint64_t)wire_be32(o->p + 8) << 32) | wire_be32(o->p + 12);
	return WIRE_OK;
}

int wire_opt_nonce_decode(const struct wire_ndopt *o, struct wire_opt_nonce *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_NONCE, 8)))
		return e;
	v->nonce = o->p + 2;
	v->nonce_len = o->len - 2; /* >= 6 since Length >= 1 */
	return WIRE_OK;
}

int wire_opt_trust_anchor_decode(const struct wire_ndopt *o, struct wire_opt_trust_anchor *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_TRUST_ANCHOR, 8)))
		return e;
	v->name_type = o->p[2];
	v->pad_len = o->p[3];
	if ((size_t)v->pad_len >= o->len - 4)
		return WIRE_E_BAD_LENGTH;
	v->name = o->p + 4;
	v->name_len = o->len - 4 - v->pad_len;
	return WIRE_OK;
}

int wire_opt_cert_decode(const struct wire_ndopt *o, struct wire_opt_cert *v)
{
	size_t der;
	int e;
	if ((e = opt_is(o, WIRE_ND_CERTIFICATE, 8)))
		return e;
	v->cert_type = o->p[2];
	v->cert = o->p + 4;
	v->cert_len = o->len - 4;
	/* The option has no certificate length: the DER header gives it, the rest is padding. */
	if (wire_der_len(v->cert, v->cert_len, &der) == WIRE_OK)
		v->cert_len = der;
	return WIRE_OK;
}

int wire_opt_ipaddr_decode(const struct wire_ndopt *o, struct wire_opt_ipaddr *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_IPADDR, 24)))
		return e;
	if (o->len8 != 3)
		return WIRE_E_BAD_LENGTH;
	v->code = o->p[2];
	v->prefix_len = o->p[3];
	v->addr = o->p + 8;
	return v->prefix_len <= 128 ? WIRE_OK : WIRE_E_BAD_VALUE;
}

int wire_opt_lla_decode(const struct wire_ndopt *o, struct wire_opt_lla *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_FMIP_LLA, 8)))
		return e;
	v->code = o->p[2];
	v->lla = o->p + 3;
	v->lla_len = o->len - 3;
	return WIRE_OK;
}

int wire_opt_naack_decode(const struct wire_ndopt *o, struct wire_opt_naack *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_NAACK, 8)))
		return e;
	if (o->len8 != 1 && o->len8 != 3)
		return WIRE_E_BAD_LENGTH;
	v->code = o->p[2];
	v->status = o->p[3];
	v->ncoa = o->len8 == 3 ? o->p + 8 : NULL; /* A22 */
	return WIRE_OK;
}

int wire_opt_hkreq_decode(const struct wire_ndopt *o, struct wire_opt_hkreq *v)
{
	size_t der;
	int e;
	if ((e = opt_is(o, WIRE_ND_HK_REQUEST, 8)))
		return e;
	v->pad_len = o->p[2];
	v->at = o->p[3] >> 4;
	if ((size_t)v->pad_len >= o->len - 4)
		return WIRE_E_BAD_LENGTH;
	v->key = o->p + 4;
	v->key_len = o->len - 4 - v->pad_len;
	/* The key is a DER SubjectPublicKeyInfo that fills the space Pad Length leaves. */
	if ((e = wire_der_len(v->key, v->key_len, &der)))
		return e == WIRE_E_TRUNCATED ? WIRE_E_BAD_LENGTH : e;
	return der == v->key_len ? WIRE_OK : WIRE_E_BAD_LENGTH;
}

int wire_opt_hkrep_decode(const struct wire_ndopt *o, struct wire_opt_hkrep *v)
{
	int e;
	if ((e = opt_is(o, WIRE_ND_HK_REPLY, 8)))
		return e;
	v->pad_len = o->p[2];
	v->at = o->p[3] >> 4;
	v->lifetime = wire_be16(o->p + 4);
	if ((size_t)v->pad_len >= o->len - 6)
		return WIRE_E_BAD_LENGTH;
	v->enc = o->p + 6; /* A11 */
	v->enc_len = o->len - 6 - v->pad_len;
	return WIRE_OK;
}

int wire_der_len(const uint8_t *p, size_t len, size_t *total)
{
	size_t hdr, content, i, n;
	if (len < 2)
		return WIRE_E_TRUNCATED;
	if ((p[0] & 0x1f) == 0x1f)
		return WIRE_E_BAD_VALUE; /* multi-octet tags are not used here */
	if (p[1] < 0x80) {
		hdr = 2;
		content = p[1];
	} else {
		n = p[1] & 0x7f;
		if (n == 0 || n > 4)
			return WIRE_E_BAD_VALUE; /* indefinite, or absurd */
		if (len < 2 + n)
			return WIRE_E_TRUNCATED;
		content = 0;
		for (i = 0; i < n; i++)
			content = (content << 8) | p[2 + i];
		hdr = 2 + n;
	}
	if (content > len - hdr)
		return WIRE_E_TRUNCATED;
	*total = hdr + content;
	return WIRE_OK;
}

int wire_cga_params_decode(const uint8_t *p, size_t len, struct wire_cga_params *v)
{
	struct wire_cur c = wire_cur_make(p, len);
	struct wire_cur ext;
	int e;

	memset(v, 0, sizeof(*v));
	if ((e = wire_get_view(&c, 16, &v->modifier)) || (e = wire_get_view(&c, 8, &v->prefix)) ||
	    (e = wire_get_u8(&c, &v->collision_count)))
		return e;
	if ((e = wire_need(&c, 2)))
		return e;
	if (c.p[0] != 0x30)
		return WIRE_E_BAD_VALUE; /* SubjectPublicKeyInfo is a SEQUENCE */
	if ((e = wire_der_len(c.p, c.len, &v->pubkey_len)))
		return e;
	if ((e = wire_get_view(&c, v->pubkey_len, &v->pubkey)))
		return e;
	v->ext = c.p;
	v->ext_len = c.len;
	/* RFC 4581: Extension Type (16), Extension Data Length (16), data; whole TLVs only. */
	ext = c;
	while (ext.len) {
		uint16_t type, elen;
		if ((e = wire_get_be16(&ext, &type)) || (e = wire_get_be16(&ext, &elen)) ||
		    (e = wire_skip(&ext, elen)))
			return WIRE_E_BAD_LENGTH;
	}
	v->all = p;
	v->all_len = len;
	return WIRE_OK;
}

int wire_fmip_decode(const struct wire_icmp6 *icmp, struct wire_fmip *m)
{
	memset(m, 0, sizeof(*m));
	if (icmp->type != WIRE_ICMP6_FMIP)
		return WIRE_E_UNKNOWN_TYPE;
	if (icmp->len < 8)
		return WIRE_E_TRUNCATED;
	m->type = icmp->type;
	m->code = icmp->code;
	m->subtype = icmp->p[4];
	m->identifier = wire_be16(icmp->p + 6);
	m->opts_off = 8;
	if (m->subtype != WIRE_FMIP_RTSOLPR && m->subtype != WIRE_FMIP_PRRTADV)
		return WIRE_E_UNKNOWN_TYPE;
	return WIRE_OK;
}

int wire_cps_decode(const struct wire_icmp6 *icmp, struct wire_cps *m)
{
	memset(m, 0, sizeof(*m));
	if (icmp->type != WIRE_ICMP6_CPS)
		return WIRE_E_UNKNOWN_TYPE;
	if (icmp->len < 8)
		return WIRE_E_TRUNCATED;
	m->identifier = wire_be16(icmp->p + 4);
	m->component = wire_be16(icmp->p + 6);
	m->opts_off = 8;
	return WIRE_OK;
}

int wire_cpa_decode(const struct wire_icmp6 *icmp, struct wire_cpa *m)
{
	memset(m, 0, sizeof(*m));
	if (icmp->type != WIRE_ICMP6_CPA)
		return WIRE_E_UNKNOWN_TYPE;
	if (icmp->len < 12)
		return WIRE_E_TRUNCATED;
	m->identifier = wire_be16(icmp->p + 4);
	m->all_components = wire_be16(icmp->p + 6);
	m->component = wire_be16(icmp->p + 8);
	m->opts_off = 12;
	return WIRE_OK;
}

int wire_send_opts_collect(const struct wire_icmp6 *icmp, size_t opts_off, struct wire_send_opts *s)
{
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	int r;

	memset(s, 0, sizeof(*s));
	s->sig_off = icmp->len;
	if ((r = wire_ndopt_iter_init(&it, icmp, opts_off)))
		return r;
	while ((r = wire_ndopt_next(&it, &o)) == 1) {
		struct wire_ndopt *slot = NULL;
		bool *has = NULL;
		s->n_opts++;
		switch (o.type) {
		case WIRE_ND_CGA:
			slot = &s->cga, has = &s->has_cga;
			break;
		case WIRE_ND_TIMESTAMP:
			slot = &s->timestamp, has = &s->has_timestamp;
			break;
		case WIRE_ND_NONCE:
			slot = &s->nonce, has = &s->has_nonce;
			break;
		case WIRE_ND_HK_REQUEST:
			slot = &s->hkreq, has = &s->has_hkreq;
			break;
		case WIRE_ND_HK_REPLY:
			slot = &s->hkrep, has = &s->has_hkrep;
			break;
		case WIRE_ND_RSA_SIG:
			/* RFC 3971 §5.2.2: anything after the first signature is ignored. */
			s->rsasig = o;
			s->has_rsasig = true;
			s->sig_off = o.off;
			return WIRE_OK;
		default:
			continue;
		}
		if (*has)
			return WIRE_E_DUPLICATE;
		*slot = o;
		*has = true;
	}
	return r == 0 ? WIRE_OK : -r;
}

int wire_send_tbs(const uint8_t src[16], const uint8_t dst[16], const uint8_t *icmp, size_t sig_off,
		  struct wire_send_tbs *tbs)
{
	if (sig_off < 4)
		return WIRE_E_TRUNCATED;
	/* A5: the checksum over the message cut before the signature option, the
	 * pseudo-header's upper-layer length being that cut length. */
	tbs->csum = wire_l4_csum(src, dst, WIRE_NH_ICMPV6, icmp, sig_off, 2);
	memcpy(tbs->head, wire_send_cga_tag, 16);
	memcpy(tbs->head + 16, src, 16);
	memcpy(tbs->head + 32, dst, 16);
	tbs->head[48] = icmp[0];
	tbs->head[49] = icmp[1];
	tbs->head[50] = (uint8_t)(tbs->csum >> 8);
	tbs->head[51] = (uint8_t)tbs->csum;
	tbs->seg[0].p = tbs->head;
	tbs->seg[0].len = sizeof(tbs->head);
	tbs->seg[1].p = icmp + 4;
	tbs->seg[1].len = (uint32_t)(sig_off - 4);
	return WIRE_OK;
}
