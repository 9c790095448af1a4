/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding — IPv6-in-IPv6 encapsulation and decapsulation on mbufs (RFC 2473; see
 * binding.h).  Headers are read and written through lib/wire (wire_eth_decode,
 * wire_ip6_hdr_decode, wire_tunnel_hdr, wire_tunnel_decode); this file only moves the L2
 * header and adjusts the mbuf.  Nothing is written before every check has passed.
 */
#include <string.h>

#include <rte_mbuf.h>

#include "binding.h"
#include "wire.h"

static const char *const tun_text[] = {
#define BINDING_TUN_TEXT(n, s) s,
	BINDING_TUN_RESULTS(BINDING_TUN_TEXT)
#undef BINDING_TUN_TEXT
};

const char *binding_tun_strerror(int rc)
{
	if (rc < 0 || rc >= BINDING_TUN__COUNT)
		return "unknown";
	return tun_text[rc];
}

/* The mbuf's data may be written: direct, not shared. */
static inline bool writable(const struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1;
}

int binding_encap(struct rte_mbuf *m, const struct binding_rec *b,
		  const struct binding_tun_cfg *cfg, const uint8_t *eth_dst, const uint8_t *eth_src,
		  uint32_t *inner_len)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dlen = rte_pktmbuf_data_len(m);
	struct wire_tunnel_spec ts = { 0 };
	struct wire_ip6_hdr in;
	struct wire_eth eth;
	uint8_t hdr[WIRE_IPV6_HLEN], *np;
	size_t l2;

	if (!rte_pktmbuf_is_contiguous(m))
		return BINDING_TUN_SEGMENTED;
	if (wire_eth_decode(p, dlen, &eth) != WIRE_OK)
		return BINDING_TUN_MALFORMED;
	l2 = eth.hdr_len;
	if (wire_ip6_hdr_decode(p + l2, dlen - l2, &in) != WIRE_OK)
		return BINDING_TUN_MALFORMED;
	/* RFC 2473 §3.1 (a): the entry point forwards the original packet, which must not
	 * leave with Hop Limit 0 (RFC 4443 §3.3: Time Exceeded) */
	if (in.hlim <= 1)
		return BINDING_TUN_HOP_LIMIT;
	if (in.len > binding_tun_mtu(cfg))
		return in.len > 1280 ? BINDING_TUN_TOO_BIG : BINDING_TUN_FRAG_NEEDED;
	ts.src = b->tun_src;
	ts.dst = b->ncoa;
	ts.hlim = cfg->hop_limit ? cfg->hop_limit : 64;
	ts.tc_copy = cfg->tc_mode == BINDING_TC_COPY;
	ts.tc = cfg->tc;
	ts.flow_copy = cfg->fl_mode == BINDING_FL_COPY;
	ts.flow = cfg->flow_label;
	if (wire_tunnel_hdr(hdr, &in, &ts) != WIRE_OK)
		return BINDING_TUN_MALFORMED;
	if (!writable(m))
		return BINDING_TUN_SHARED;
	if (rte_pktmbuf_headroom(m) < WIRE_IPV6_HLEN)
		return BINDING_TUN_NO_HEADROOM;

	/* Ethernet padding after the original packet is not tunnelled (one segment: no fail) */
	if (dlen > l2 + in.len)
		rte_pktmbuf_trim(m, (uint16_t)(dlen - l2 - in.len));
	/* the original header's Hop Limit octet (offset 7, inside the decoded 40 octets) */
	((uint8_t *)(uintptr_t)in.hdr)[7] = (uint8_t)(in.hlim - 1);
	np = (uint8_t *)rte_pktmbuf_prepend(m, WIRE_IPV6_HLEN);
	memmove(np, np + WIRE_IPV6_HLEN, l2); /* only the L2 header moves */
	memcpy(np + l2, hdr, WIRE_IPV6_HLEN);
	if (eth_dst != NULL)
		memcpy(np, eth_dst, 6);
	if (eth_src != NULL)
		memcpy(np + 6, eth_src, 6);
	m->l2_len = l2;
	m->l3_len = WIRE_IPV6_HLEN;
	if (inner_len != NULL)
		*inner_len = (uint32_t)in.len;
	return BINDING_TUN_OK;
}

int binding_decap_parse(const struct rte_mbuf *m, struct binding_decap *d)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t dlen = rte_pktmbuf_data_len(m);
	struct wire_tunnel t;
	struct wire_eth eth;
	int e;

	memset(d, 0, sizeof(*d));
	if (!rte_pktmbuf_is_contiguous(m))
		return BINDING_TUN_SEGMENTED;
	if (wire_eth_decode(p, dlen, &eth) != WIRE_OK)
		return BINDING_TUN_MALFORMED;
	e = wire_tunnel_decode(p + eth.hdr_len, dlen - eth.hdr_len, &t);
	if (e == WIRE_E_HDR_CHAIN)
		return BINDING_TUN_EXT_HDR;
	if (e == WIRE_E_UNKNOWN_TYPE)
		return BINDING_TUN_NOT_TUNNEL;
	if (e != WIRE_OK)
		return BINDING_TUN_MALFORMED;
	d->outer_src = t.outer.src;
	d->outer_dst = t.outer.dst;
	d->inner_src = t.inner.src;
	d->inner_dst = t.inner.dst;
	d->inner_len = (uint32_t)t.inner.len;
	d->l2_len = (uint16_t)eth.hdr_len;
	return BINDING_TUN_OK;
}

int binding_decap_strip(struct rte_mbuf *m, const struct binding_decap *d)
{
	uint32_t dlen = rte_pktmbuf_data_len(m);
	size_t total = (size_t)d->l2_len + WIRE_IPV6_HLEN + d->inner_len;
	uint8_t *old, *np;

	if (!writable(m))
		return BINDING_TUN_SHARED;
	/* d must describe m: binding_decap_parse() checked these on the same frame */
	if (!rte_pktmbuf_is_contiguous(m) || d->inner_len < WIRE_IPV6_HLEN || dlen < total)
		return BINDING_TUN_MALFORMED;
	if (dlen > total)
		rte_pktmbuf_trim(m, (uint16_t)(dlen - total)); /* Ethernet padding */
	old = rte_pktmbuf_mtod(m, uint8_t *);
	np = (uint8_t *)rte_pktmbuf_adj(m, WIRE_IPV6_HLEN);
	memmove(np, old, d->l2_len);
	m->l2_len = d->l2_len;
	m->l3_len = 0;
	return BINDING_TUN_OK;
}
