/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/wire: Ethernet, the IPv6 header and its extension-header chain. */
#include "wire.h"

int wire_eth_decode(const uint8_t *p, size_t len, struct wire_eth *eth)
{
	struct wire_cur c = wire_cur_make(p, len);
	uint16_t type;
	int e;

	memset(eth, 0, sizeof(*eth));
	if ((e = wire_get_view(&c, 6, &eth->dst)) || (e = wire_get_view(&c, 6, &eth->src)) ||
	    (e = wire_get_be16(&c, &type)))
		return e;
	if (type == WIRE_ETH_P_8021Q) {
		eth->has_vlan = true;
		if ((e = wire_get_be16(&c, &eth->vlan_tci)) || (e = wire_get_be16(&c, &type)))
			return e;
	}
	eth->ethertype = type;
	eth->hdr_len = len - c.len;
	return type == WIRE_ETH_P_IPV6 ? WIRE_OK : WIRE_E_NOT_IPV6;
}

/*
 * Options of a Hop-by-Hop or Destination Options header (RFC 8200 §4.2): TLVs with Pad1.
 * Records the Home Address option (RFC 3775 §6.3): length 16, at 8n+6 from the header start.
 */
static int ip6_tlv_opts(const uint8_t *hdr, size_t hlen, const uint8_t **hao)
{
	struct wire_cur c = wire_cur_make(hdr + 2, hlen - 2);
	while (c.len) {
		uint8_t type, olen;
		const uint8_t *body;
		size_t off = hlen - c.len;
		int e;

		if ((e = wire_get_u8(&c, &type)))
			return e;
		if (type == WIRE_DSTOPT_PAD1)
			continue;
		if ((e = wire_get_u8(&c, &olen)) || (e = wire_get_view(&c, olen, &body)))
			return e;
		if (type == WIRE_DSTOPT_HAO && hao) {
			if (olen != 16)
				return WIRE_E_BAD_LENGTH;
			if (off % 8 != 6)
				return WIRE_E_BAD_ALIGNMENT;
			if (*hao)
				return WIRE_E_DUPLICATE;
			*hao = body;
		}
	}
	return WIRE_OK;
}

int wire_ip6_decode(const uint8_t *p, size_t len, struct wire_ip6 *ip)
{
	struct wire_cur c = wire_cur_make(p, len);
	uint32_t vtf;
	uint16_t plen;
	uint8_t nh;
	int e;

	memset(ip, 0, sizeof(*ip));
	ip->hdr = p;
	if ((e = wire_get_be32(&c, &vtf)))
		return e;
	if ((vtf >> 28) != 6)
		return WIRE_E_NOT_IPV6;
	ip->tclass = (uint8_t)(vtf >> 20);
	ip->flow = vtf & 0xfffff;
	if ((e = wire_get_be16(&c, &plen)) || (e = wire_get_u8(&c, &nh)) ||
	    (e = wire_get_u8(&c, &ip->hlim)) || (e = wire_get_view(&c, 16, &ip->src)) ||
	    (e = wire_get_view(&c, 16, &ip->dst)))
		return e;
	/* Payload Length 0 is a jumbogram (RFC 2675): not on these links. */
	if (plen == 0 && nh != WIRE_NH_NONE)
		return WIRE_E_BAD_LENGTH;
	if (c.len < plen)
		return WIRE_E_TRUNCATED;
	c.len = plen; /* octets past the payload are link trailer */
	ip->len = WIRE_IPV6_HLEN + (size_t)plen;

	for (;;) {
		const uint8_t *h;
		uint8_t hnh, hl;
		size_t hlen;

		if (nh != WIRE_NH_HOPOPT && nh != WIRE_NH_ROUTING && nh != WIRE_NH_FRAGMENT &&
		    nh != WIRE_NH_DSTOPTS)
			break;
		if (ip->n_ext == WIRE_IPV6_MAX_EXT)
			return WIRE_E_HDR_CHAIN;
		if (nh == WIRE_NH_HOPOPT && ip->n_ext != 0)
			return WIRE_E_HDR_CHAIN; /* RFC 8200 §4.1: HBH only first */
		if ((e = wire_need(&c, 8)))
			return e;
		h = c.p;
		hnh = h[0];
		hl = h[1];
		hlen = nh == WIRE_NH_FRAGMENT ? 8 : 8 * ((size_t)hl + 1);
		if ((e = wire_skip(&c, hlen)))
			return e;
		ip->n_ext++;
		switch (nh) {
		case WIRE_NH_HOPOPT:
			ip->hbh = h;
			if ((e = ip6_tlv_opts(h, hlen, NULL)))
				return e;
			break;
		case WIRE_NH_DSTOPTS:
			/* The HAO lives in the Destination Options before the upper layer. */
			ip->dstopt = h;
			if ((e = ip6_tlv_opts(h, hlen, &ip->hao)))
				return e;
			break;
		case WIRE_NH_ROUTING:
			if (ip->routing)
				return WIRE_E_HDR_CHAIN;
			ip->routing = h;
			ip->rt_type = h[2];
			ip->rt_segleft = h[3];
			if (ip->rt_type == 2) { /* RFC 3775 §6.4: one home address */
				if (hl != 2)
					return WIRE_E_BAD_LENGTH;
				if (ip->rt_segleft != 1)
					return WIRE_E_BAD_VALUE;
				ip->rt2_addr = h + 8;
			}
			break;
		case WIRE_NH_FRAGMENT:
			if (ip->frag)
				return WIRE_E_HDR_CHAIN;
			ip->frag = h;
			ip->frag_off = wire_be16(h + 2) & 0xfff8;
			ip->frag_more = h[3] & 1;
			ip->frag_id = wire_be32(h + 4);
			break;
		}
		nh = hnh;
		if (ip->frag && ip->frag_off != 0) {
			/* A non-first fragment: what follows is not a header. Reported, never
			 * reassembled. */
			ip->proto = nh;
			ip->l4_off = (size_t)(c.p - p);
			ip->l4 = c.p;
			ip->l4_len = c.len;
			return WIRE_E_FRAGMENT;
		}
	}
	ip->proto = nh;
	ip->l4_off = (size_t)(c.p - p);
	ip->l4 = c.p;
	ip->l4_len = c.len;
	return WIRE_OK;
}

void wire_build_eth(struct wire_buf *w, const uint8_t dst[6], const uint8_t src[6], int vlan_tci,
		    uint16_t ethertype)
{
	wire_put_bytes(w, dst, 6);
	wire_put_bytes(w, src, 6);
	if (vlan_tci >= 0) {
		wire_put_be16(w, WIRE_ETH_P_8021Q);
		wire_put_be16(w, (uint16_t)vlan_tci);
	}
	wire_put_be16(w, ethertype);
}

size_t wire_build_ip6(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		      uint8_t hlim)
{
	size_t off = w->len;
	wire_put_be32(w, 6u << 28);
	wire_put_be16(w, 0);
	wire_put_u8(w, nh);
	wire_put_u8(w, hlim);
	wire_put_bytes(w, src, 16);
	wire_put_bytes(w, dst, 16);
	return off;
}

int wire_ip6_finish(struct wire_buf *w, size_t ip6_off)
{
	size_t plen;
	if (w->err != WIRE_OK)
		return w->err;
	if (w->len < ip6_off + WIRE_IPV6_HLEN)
		return WIRE_E_TRUNCATED;
	plen = w->len - ip6_off - WIRE_IPV6_HLEN;
	if (plen > 0xffff)
		return WIRE_E_BAD_LENGTH;
	wire_poke_be16(w, ip6_off + 4, (uint16_t)plen);
	return w->err;
}

void wire_build_dstopt_hao(struct wire_buf *w, uint8_t nh, const uint8_t hoa[16])
{
	/* nh, Hdr Ext Len 2 (24 octets), PadN(2) so that the HAO sits at 8n+6 */
	static const uint8_t head[6] = { 0, 2, WIRE_DSTOPT_PADN, 2, 0, 0 };
	uint8_t *p = wire_put_reserve(w, sizeof(head));
	if (p) {
		memcpy(p, head, sizeof(head));
		p[0] = nh;
	}
	wire_put_u8(w, WIRE_DSTOPT_HAO);
	wire_put_u8(w, 16);
	wire_put_bytes(w, hoa, 16);
}
