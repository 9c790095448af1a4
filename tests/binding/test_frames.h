/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/binding: frames built by hand for the tunnel tests (test_encap.c, test_decap.c) from
 * RFC 8200 §3 and RFC 2473 §5 — not with lib/wire — an mbuf pool, and frame assertions.
 */
#ifndef FMIPGW_TEST_FRAMES_H
#define FMIPGW_TEST_FRAMES_H

#include <rte_mbuf.h>

#include "test_util.h"
#include "wire.h"

static struct rte_mempool *mp;

static const uint8_t mac_mn[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_gw[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_nh[6] = { 2, 0, 0, 0, 0, 0x09 };
static const uint8_t cn_addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };

static inline int tun_setup(void **state)
{
	(void)state;
	if (eal_up() != 0)
		return -1;
	mp = rte_pktmbuf_pool_create("tun_pool", 256, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	return mp == NULL ? -1 : 0;
}

static inline int tun_teardown(void **state)
{
	(void)state;
	rte_mempool_free(mp);
	eal_down();
	return 0;
}

/* An IPv6 header by hand (RFC 8200 §3): Version 6, Traffic Class, Flow Label, Payload
 * Length, Next Header, Hop Limit, source, destination. */
static inline void hdr6(uint8_t *h, uint8_t tc, uint32_t flow, size_t plen, uint8_t nh,
			uint8_t hlim, const uint8_t src[16], const uint8_t dst[16])
{
	h[0] = (uint8_t)(0x60 | tc >> 4);
	h[1] = (uint8_t)((tc & 0x0f) << 4 | ((flow >> 16) & 0x0f));
	h[2] = (uint8_t)(flow >> 8);
	h[3] = (uint8_t)flow;
	h[4] = (uint8_t)(plen >> 8);
	h[5] = (uint8_t)plen;
	h[6] = nh;
	h[7] = hlim;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

/* An IPv6/UDP packet of len octets (>= 44) with a patterned payload. */
static inline size_t ip6_pkt(uint8_t *p, size_t len, uint8_t tc, uint32_t flow, uint8_t hlim,
			     const uint8_t src[16], const uint8_t dst[16])
{
	hdr6(p, tc, flow, len - 40, 17, hlim, src, dst);
	for (size_t i = 40; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	return len;
}

/* Ethernet II (+ 802.1Q when vlan >= 0) around ip; pad octets of 0xee after it. */
static inline size_t eth_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, int vlan,
			       const uint8_t *ip, size_t iplen, size_t pad)
{
	size_t o = 12;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	if (vlan >= 0) {
		f[o++] = 0x81;
		f[o++] = 0x00;
		f[o++] = (uint8_t)(vlan >> 8);
		f[o++] = (uint8_t)vlan;
	}
	f[o++] = 0x86;
	f[o++] = 0xdd;
	memcpy(f + o, ip, iplen);
	memset(f + o + iplen, 0xee, pad);
	return o + iplen + pad;
}

/* The tunnel header of RFC 2473 §5: Payload Length = the original packet (ilen octets),
 * Next Header 41, the tunnel Hop Limit, entry point, exit point. */
static inline void tun_hdr(uint8_t *h, uint8_t tc, uint32_t flow, size_t ilen, uint8_t hlim,
			   const uint8_t src[16], const uint8_t dst[16])
{
	hdr6(h, tc, flow, ilen, 41, hlim, src, dst);
}

static inline struct rte_mbuf *mbuf_of(const uint8_t *f, size_t len, uint16_t data_off)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	char *p;

	assert_non_null(m);
	m->data_off = data_off;
	p = rte_pktmbuf_append(m, (uint16_t)len);
	assert_non_null(p);
	memcpy(p, f, len);
	return m;
}

static inline void assert_frame(const struct rte_mbuf *m, const uint8_t *f, size_t len)
{
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_int_equal(rte_pktmbuf_data_len(m), len);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), f, len);
}

/* A binding record as the table would hand it to a worker (encap reads NCoA, tunnel src). */
static inline struct binding_rec rec_for(uint32_t i)
{
	struct binding_rec r;

	memset(&r, 0, sizeof(r));
	pcoa_of(i, r.pcoa);
	ncoa_of(i, r.ncoa);
	memcpy(r.tun_src, tun_src_addr, 16);
	r.state = BINDING_ACTIVE;
	r.expires = UINT64_MAX;
	return r;
}

static uint8_t in_f[2048], want[2048];

#endif /* FMIPGW_TEST_FRAMES_H */
