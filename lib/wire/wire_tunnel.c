/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: IPv6-in-IPv6 tunnel headers (RFC 2473) — the fixed IPv6 header of an original
 * packet, the tunnel header an entry point prepends (§5), and the decoder of a tunnel packet
 * at its exit point (§3.3).  No tunnel extension headers are written, and none are accepted.
 */
#include "wire.h"

int wire_ip6_hdr_decode(const uint8_t *p, size_t len, struct wire_ip6_hdr *h)
{
	uint32_t vtf;

	/* fixed offsets after one explicit length check (the fast path: every encapsulated
	 * packet, two per decapsulated one; tests/binding test_encap) */
	memset(h, 0, sizeof(*h));
	if (len < WIRE_IPV6_HLEN)
		return WIRE_E_TRUNCATED;
	h->hdr = p;
	vtf = wire_be32(p);
	if ((vtf >> 28) != 6)
		return WIRE_E_NOT_IPV6;
	h->tclass = (uint8_t)(vtf >> 20);
	h->flow = vtf & 0xfffff;
	h->plen = wire_be16(p + 4);
	h->nh = p[6];
	h->hlim = p[7];
	h->src = p + 8;
	h->dst = p + 24;
	/* Payload Length 0 is a jumbogram (RFC 2675): not carried here. */
	if (h->plen == 0)
		return WIRE_E_BAD_LENGTH;
	if (len - WIRE_IPV6_HLEN < h->plen)
		return WIRE_E_TRUNCATED;
	h->len = WIRE_IPV6_HLEN + (size_t)h->plen;
	return WIRE_OK;
}

int wire_tunnel_hdr(uint8_t out[WIRE_IPV6_HLEN], const struct wire_ip6_hdr *inner,
		    const struct wire_tunnel_spec *s)
{
	uint32_t tc = s->tc_copy ? inner->tclass : s->tc;
	uint32_t flow = (s->flow_copy ? inner->flow : s->flow) & 0xfffff;
	uint32_t vtf = (6u << 28) | ((tc & 0xff) << 20) | flow;

	/* §5: Payload Length = the original packet's length (no tunnel extension headers) */
	if (inner->len < WIRE_IPV6_HLEN || inner->len > 0xffff)
		return WIRE_E_BAD_LENGTH;
	/* a fixed 40-octet header into a 40-octet array: plain stores */
	out[0] = (uint8_t)(vtf >> 24);
	out[1] = (uint8_t)(vtf >> 16);
	out[2] = (uint8_t)(vtf >> 8);
	out[3] = (uint8_t)vtf;
	out[4] = (uint8_t)(inner->len >> 8);
	out[5] = (uint8_t)inner->len;
	out[6] = WIRE_NH_IPV6; /* §5: 41 when there are no tunnel extension headers */
	out[7] = s->hlim;      /* §6.3: configured, independent of the original's */
	memcpy(out + 8, s->src, 16);
	memcpy(out + 24, s->dst, 16);
	return WIRE_OK;
}

/* The extension headers RFC 8200 §4.1 lists before an upper layer, plus ESP and AH. */
static bool is_ext_hdr(uint8_t nh)
{
	return nh == WIRE_NH_HOPOPT || nh == WIRE_NH_ROUTING || nh == WIRE_NH_FRAGMENT ||
	       nh == WIRE_NH_DSTOPTS || nh == WIRE_NH_ESP || nh == WIRE_NH_AH;
}

int wire_tunnel_decode(const uint8_t *p, size_t len, struct wire_tunnel *t)
{
	struct wire_cur c = wire_cur_make(p, len);
	struct wire_cur payload;
	int e;

	memset(t, 0, sizeof(*t));
	if ((e = wire_ip6_hdr_decode(p, len, &t->outer)))
		return e;
	if (t->outer.nh != WIRE_NH_IPV6)
		return is_ext_hdr(t->outer.nh) ? WIRE_E_HDR_CHAIN : WIRE_E_UNKNOWN_TYPE;
	if ((e = wire_skip(&c, WIRE_IPV6_HLEN)) || (e = wire_get_sub(&c, t->outer.plen, &payload)))
		return e;
	/* the original packet fills the tunnel payload exactly */
	e = wire_ip6_hdr_decode(payload.p, payload.len, &t->inner);
	if (e == WIRE_E_TRUNCATED)
		return WIRE_E_BAD_LENGTH; /* an inner header longer than the tunnel payload */
	if (e)
		return e;
	return t->inner.len == payload.len ? WIRE_OK : WIRE_E_BAD_LENGTH;
}
