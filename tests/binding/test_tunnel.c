/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding tunnel tests on mbufs (RFC 2473): every encapsulated frame is compared octet for
 * octet with a frame this file builds by hand from RFC 2473 §5 and RFC 8200 §3 (not with
 * lib/wire); the original packet must come out identical but for its Hop Limit, in place (no
 * copy).  Headroom exhausted, the MTU at exactly the tunnel MTU and one more, Hop Limit 2/1/0,
 * shared, segmented and malformed frames (each refused with its code and left untouched);
 * decapsulation of good, truncated, wrong-next-header and wrong-source packets with the
 * reverse-tunnel check.
 *
 * EAL: --no-huge --no-pci, a unique --file-prefix, an mbuf pool.
 */
#include <rte_mbuf.h>

#include "test_util.h"
#include "wire.h"

static struct rte_mempool *mp;

static const uint8_t mac_mn[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_gw[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_nh[6] = { 2, 0, 0, 0, 0, 0x09 };
static const uint8_t cn_addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 };

static int group_setup(void **state)
{
	(void)state;
	if (eal_up() != 0)
		return -1;
	mp = rte_pktmbuf_pool_create("tun_pool", 256, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	return mp == NULL ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rte_mempool_free(mp);
	eal_down();
	return 0;
}

/* An IPv6/UDP packet of len octets (>= 44) by hand (RFC 8200 §3): Version 6, Traffic Class,
 * Flow Label, Payload Length, Next Header 17, Hop Limit, addresses; a patterned payload. */
static size_t ip6_pkt(uint8_t *p, size_t len, uint8_t tc, uint32_t flow, uint8_t hlim,
		      const uint8_t src[16], const uint8_t dst[16])
{
	size_t plen = len - 40;

	p[0] = (uint8_t)(0x60 | tc >> 4);
	p[1] = (uint8_t)((tc & 0x0f) << 4 | ((flow >> 16) & 0x0f));
	p[2] = (uint8_t)(flow >> 8);
	p[3] = (uint8_t)flow;
	p[4] = (uint8_t)(plen >> 8);
	p[5] = (uint8_t)plen;
	p[6] = 17;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	for (size_t i = 40; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	return len;
}

/* Ethernet II (+ 802.1Q when vlan >= 0) around ip; pad octets of 0xee after it. */
static size_t eth_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, int vlan,
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

/* The tunnel header of RFC 2473 §5 by hand: Version 6, tc, flow, Payload Length = the
 * original packet, Next Header 41, Hop Limit, source, destination. */
static void tun_hdr(uint8_t *h, uint8_t tc, uint32_t flow, size_t ilen, uint8_t hlim,
		    const uint8_t src[16], const uint8_t dst[16])
{
	h[0] = (uint8_t)(0x60 | tc >> 4);
	h[1] = (uint8_t)((tc & 0x0f) << 4 | ((flow >> 16) & 0x0f));
	h[2] = (uint8_t)(flow >> 8);
	h[3] = (uint8_t)flow;
	h[4] = (uint8_t)(ilen >> 8);
	h[5] = (uint8_t)ilen;
	h[6] = 41;
	h[7] = hlim;
	memcpy(h + 8, src, 16);
	memcpy(h + 24, dst, 16);
}

static struct rte_mbuf *mbuf_of(const uint8_t *f, size_t len, uint16_t data_off)
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

static void assert_frame(const struct rte_mbuf *m, const uint8_t *f, size_t len)
{
	assert_int_equal(rte_pktmbuf_pkt_len(m), len);
	assert_int_equal(rte_pktmbuf_data_len(m), len);
	assert_memory_equal(rte_pktmbuf_mtod(m, const uint8_t *), f, len);
}

/* A binding record as the table would hand it to a worker (encap reads NCoA, tunnel src). */
static struct binding_rec rec_for(uint32_t i)
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

static uint8_t in_f[2048], want[2048], ip[2048];

/* Encapsulate (frame of one original packet) and compare with the hand-built result. */
static void encap_case(int vlan, size_t ilen, size_t pad, uint8_t tc, uint32_t flow,
		       const struct binding_tun_cfg *cfg, const uint8_t *edst, const uint8_t *esrc,
		       uint8_t want_tc, uint32_t want_flow, uint8_t want_hlim)
{
	struct binding_rec b = rec_for(1);
	size_t flen, l2 = vlan >= 0 ? 18 : 14, wlen;
	struct rte_mbuf *m;
	const uint8_t *inner_before;
	uint16_t head;
	uint32_t got_len = 0;

	ip6_pkt(ip, ilen, tc, flow, 64, cn_addr, b.pcoa);
	flen = eth_frame(in_f, mac_gw, mac_mn, vlan, ip, ilen, pad);
	m = mbuf_of(in_f, flen, RTE_PKTMBUF_HEADROOM);
	head = rte_pktmbuf_headroom(m);
	inner_before = rte_pktmbuf_mtod(m, const uint8_t *) + l2;

	assert_int_equal(binding_encap(m, &b, cfg, edst, esrc, &got_len), BINDING_TUN_OK);
	/* expected: L2 (MACs replaced or kept, tag kept), tunnel header, original packet with
	 * Hop Limit - 1, no padding */
	wlen = eth_frame(want, edst ? edst : mac_gw, esrc ? esrc : mac_mn, vlan, ip, 0, 0);
	tun_hdr(want + wlen, want_tc, want_flow, ilen, want_hlim, tun_src_addr, b.ncoa);
	memcpy(want + wlen + 40, ip, ilen);
	want[wlen + 40 + 7] = 63;
	assert_frame(m, want, wlen + 40 + ilen);
	assert_int_equal(got_len, ilen);
	assert_int_equal(rte_pktmbuf_headroom(m), head - 40);
	/* the original packet did not move: only the L2 header was written in front */
	assert_ptr_equal(rte_pktmbuf_mtod(m, const uint8_t *) + l2 + 40, inner_before);
	assert_int_equal(m->l2_len, l2);
	assert_int_equal(m->l3_len, 40);
	rte_pktmbuf_free(m);
}

static void test_encap_frames(void **state)
{
	struct binding_tun_cfg def = { 0 }, other = { 0 };

	(void)state;
	/* defaults: Hop Limit 64, Traffic Class copied, Flow Label 0 (RFC 2473 §5, §6.3-6.5) */
	encap_case(-1, 100, 0, 0xb8, 0x12345, &def, mac_nh, mac_gw, 0xb8, 0, 64);
	/* 802.1Q kept, MACs kept; fixed Traffic Class, copied Flow Label, Hop Limit 17 */
	other.tc_mode = BINDING_TC_FIXED;
	other.tc = 0x20;
	other.fl_mode = BINDING_FL_COPY;
	other.hop_limit = 17;
	encap_case(0x0123, 300, 0, 0xb8, 0x12345, &other, NULL, NULL, 0x20, 0x12345, 17);
	/* fixed non-zero Flow Label */
	other.fl_mode = BINDING_FL_FIXED;
	other.flow_label = 0xfedcb;
	encap_case(-1, 64, 0, 0x03, 0, &other, mac_nh, NULL, 0x20, 0xfedcb, 17);
	/* a 44-octet packet in a 60-octet frame: the 2 octets of padding are not tunnelled */
	encap_case(-1, 44, 2, 0, 0, &def, mac_nh, mac_gw, 0, 0, 64);
}

/* Encapsulation refused with rc: the frame must be exactly as it was. */
static void encap_refused(struct rte_mbuf *m, const struct binding_tun_cfg *cfg, int rc)
{
	struct binding_rec b = rec_for(1);
	uint8_t before[2048];
	uint32_t len = rte_pktmbuf_data_len(m);
	uint16_t head = rte_pktmbuf_headroom(m);

	memcpy(before, rte_pktmbuf_mtod(m, const uint8_t *), len);
	assert_int_equal(binding_encap(m, &b, cfg, mac_nh, mac_gw, NULL), rc);
	assert_frame(m, before, len);
	assert_int_equal(rte_pktmbuf_headroom(m), head);
}

static struct rte_mbuf *frame_mbuf(size_t ilen, uint8_t hlim, uint16_t data_off)
{
	uint8_t pcoa[16];
	size_t flen;

	pcoa_of(1, pcoa);
	ip6_pkt(ip, ilen, 0, 0, hlim, cn_addr, pcoa);
	flen = eth_frame(in_f, mac_gw, mac_mn, -1, ip, ilen, 0);
	return mbuf_of(in_f, flen, data_off);
}

static void test_encap_hop_limit(void **state)
{
	struct binding_tun_cfg cfg = { 0 };
	struct binding_rec b = rec_for(1);
	struct rte_mbuf *m;

	(void)state;
	/* 2: forwarded with 1 */
	m = frame_mbuf(80, 2, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(binding_encap(m, &b, &cfg, NULL, NULL, NULL), BINDING_TUN_OK);
	assert_int_equal(rte_pktmbuf_mtod(m, const uint8_t *)[14 + 40 + 7], 1);
	assert_int_equal(rte_pktmbuf_mtod(m, const uint8_t *)[14 + 7], 64); /* outer */
	rte_pktmbuf_free(m);
	/* 1 and 0: Time Exceeded, not tunnelled (RFC 4443 §3.3) */
	for (uint8_t h = 0; h < 2; h++) {
		m = frame_mbuf(80, h, RTE_PKTMBUF_HEADROOM);
		encap_refused(m, &cfg, BINDING_TUN_HOP_LIMIT);
		rte_pktmbuf_free(m);
	}
}

static void encap_len(const struct binding_tun_cfg *cfg, size_t ilen, int rc)
{
	struct binding_rec b = rec_for(1);
	struct rte_mbuf *m = frame_mbuf(ilen, 64, RTE_PKTMBUF_HEADROOM);
	uint32_t got = 0;

	if (rc == BINDING_TUN_OK) {
		assert_int_equal(binding_encap(m, &b, cfg, NULL, NULL, &got), BINDING_TUN_OK);
		assert_int_equal(got, ilen);
		assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 40 + ilen);
	} else {
		encap_refused(m, cfg, rc);
	}
	rte_pktmbuf_free(m);
}

/* Tunnel MTU = egress MTU - 40 (RFC 2473 §6.7); §7.1 (a) above 1280, (b) at or below. */
static void test_encap_mtu(void **state)
{
	struct binding_tun_cfg c1500 = { 0 }, c1300 = { .mtu = 1300 };

	(void)state;
	assert_int_equal(binding_tun_mtu(&c1500), 1460);
	assert_int_equal(binding_tun_ptb_mtu(&c1500), 1460);
	encap_len(&c1500, 1460, BINDING_TUN_OK); /* exactly the tunnel MTU */
	encap_len(&c1500, 1461, BINDING_TUN_TOO_BIG);
	assert_int_equal(binding_tun_mtu(&c1300), 1260);
	assert_int_equal(binding_tun_ptb_mtu(&c1300), 1280); /* max(tunnel MTU, 1280) */
	encap_len(&c1300, 1260, BINDING_TUN_OK);
	encap_len(&c1300, 1261, BINDING_TUN_FRAG_NEEDED);
	encap_len(&c1300, 1280, BINDING_TUN_FRAG_NEEDED);
	encap_len(&c1300, 1281, BINDING_TUN_TOO_BIG);
}

static void test_encap_headroom_and_mbufs(void **state)
{
	struct binding_tun_cfg cfg = { 0 };
	struct binding_rec b = rec_for(1);
	struct rte_mbuf *m, *m2;

	(void)state;
	m = frame_mbuf(100, 64, 39);
	encap_refused(m, &cfg, BINDING_TUN_NO_HEADROOM);
	rte_pktmbuf_free(m);
	m = frame_mbuf(100, 64, 40); /* exactly enough: the frame then starts the buffer */
	assert_int_equal(binding_encap(m, &b, &cfg, NULL, NULL, NULL), BINDING_TUN_OK);
	assert_int_equal(rte_pktmbuf_headroom(m), 0);
	assert_ptr_equal(rte_pktmbuf_mtod(m, void *), m->buf_addr);
	rte_pktmbuf_free(m);
	/* a clone shares the data: never written */
	m = frame_mbuf(100, 64, RTE_PKTMBUF_HEADROOM);
	rte_mbuf_refcnt_update(m, 1);
	encap_refused(m, &cfg, BINDING_TUN_SHARED);
	rte_mbuf_refcnt_update(m, -1);
	/* two segments */
	m2 = rte_pktmbuf_alloc(mp);
	assert_non_null(rte_pktmbuf_append(m2, 10));
	assert_int_equal(rte_pktmbuf_chain(m, m2), 0);
	assert_int_equal(binding_encap(m, &b, &cfg, NULL, NULL, NULL), BINDING_TUN_SEGMENTED);
	rte_pktmbuf_free(m);
}

static void test_encap_malformed(void **state)
{
	struct binding_tun_cfg cfg = { 0 };
	struct rte_mbuf *m;
	size_t flen;

	(void)state;
	/* IPv4 ethertype */
	m = frame_mbuf(100, 64, RTE_PKTMBUF_HEADROOM);
	rte_pktmbuf_mtod(m, uint8_t *)[12] = 0x08;
	rte_pktmbuf_mtod(m, uint8_t *)[13] = 0x00;
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_free(m);
	/* version 4 in an IPv6 frame */
	m = frame_mbuf(100, 64, RTE_PKTMBUF_HEADROOM);
	rte_pktmbuf_mtod(m, uint8_t *)[14] = 0x45;
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_free(m);
	/* Payload Length beyond the frame; Payload Length 0 (jumbogram) */
	m = frame_mbuf(100, 64, RTE_PKTMBUF_HEADROOM);
	rte_pktmbuf_mtod(m, uint8_t *)[14 + 5] = 61;
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_mtod(m, uint8_t *)[14 + 4] = 0;
	rte_pktmbuf_mtod(m, uint8_t *)[14 + 5] = 0;
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_free(m);
	/* an IPv6 header cut short, and a frame cut inside the Ethernet header */
	ip6_pkt(ip, 60, 0, 0, 64, cn_addr, cn_addr);
	flen = eth_frame(in_f, mac_gw, mac_mn, -1, ip, 39, 0);
	m = mbuf_of(in_f, flen, RTE_PKTMBUF_HEADROOM);
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_free(m);
	m = mbuf_of(in_f, 13, RTE_PKTMBUF_HEADROOM);
	encap_refused(m, &cfg, BINDING_TUN_MALFORMED);
	rte_pktmbuf_free(m);
}

/* ---- decapsulation ----------------------------------------------------------------------- */

/* A reverse-tunnelled frame from the MN of binding i: outer NCoA -> tunnel source, inner
 * PCoA -> cn_addr, ilen octets; nh the outer Next Header; pad octets of padding. */
static size_t rtun_frame(uint8_t *f, uint32_t i, int vlan, size_t ilen, uint8_t nh, size_t pad,
			 const uint8_t *osrc, const uint8_t *odst)
{
	uint8_t pcoa[16], ncoa[16], pkt[2048];

	pcoa_of(i, pcoa);
	ncoa_of(i, ncoa);
	tun_hdr(pkt, 0, 0, ilen, 64, osrc ? osrc : ncoa, odst ? odst : tun_src_addr);
	pkt[6] = nh;
	ip6_pkt(pkt + 40, ilen, 0x10, 0x777, 64, pcoa, cn_addr);
	return eth_frame(f, mac_gw, mac_mn, vlan, pkt, 40 + ilen, pad);
}

static void decap_good(int vlan, size_t pad)
{
	size_t l2 = vlan >= 0 ? 18 : 14, flen = rtun_frame(in_f, 1, vlan, 120, 41, pad, NULL, NULL);
	struct rte_mbuf *m = mbuf_of(in_f, flen, RTE_PKTMBUF_HEADROOM);
	const uint8_t *f = rte_pktmbuf_mtod(m, const uint8_t *);
	uint8_t pcoa[16], ncoa[16];
	struct binding_decap d;
	uint16_t head = rte_pktmbuf_headroom(m);

	pcoa_of(1, pcoa);
	ncoa_of(1, ncoa);
	assert_int_equal(binding_decap_parse(m, &d), BINDING_TUN_OK);
	assert_frame(m, in_f, flen); /* parsing writes nothing */
	assert_ptr_equal(d.outer_src, f + l2 + 8);
	assert_ptr_equal(d.outer_dst, f + l2 + 24);
	assert_ptr_equal(d.inner_src, f + l2 + 48);
	assert_ptr_equal(d.inner_dst, f + l2 + 64);
	assert_memory_equal(d.outer_src, ncoa, 16);
	assert_memory_equal(d.inner_src, pcoa, 16);
	assert_int_equal(d.inner_len, 120);
	assert_int_equal(d.l2_len, l2);
	assert_int_equal(binding_decap_strip(m, &d), BINDING_TUN_OK);
	/* L2 header unchanged, then the original packet octet for octet, no padding */
	memcpy(want, in_f, l2);
	memcpy(want + l2, in_f + l2 + 40, 120);
	assert_frame(m, want, l2 + 120);
	assert_int_equal(rte_pktmbuf_headroom(m), head + 40);
	assert_ptr_equal(rte_pktmbuf_mtod(m, const uint8_t *) + l2, d.inner_src - 8);
	rte_pktmbuf_free(m);
}

static void test_decap_good(void **state)
{
	(void)state;
	decap_good(-1, 0);
	decap_good(7, 0);
	decap_good(-1, 6);
}

static void decap_refused(const uint8_t *f, size_t len, int rc)
{
	struct rte_mbuf *m = mbuf_of(f, len, RTE_PKTMBUF_HEADROOM);
	struct binding_decap d;

	assert_int_equal(binding_decap_parse(m, &d), rc);
	assert_frame(m, f, len);
	rte_pktmbuf_free(m);
}

static void test_decap_bad(void **state)
{
	static const uint8_t ext[] = { 0, 43, 44, 60, 50, 51 };
	size_t flen = rtun_frame(in_f, 1, -1, 120, 41, 0, NULL, NULL);
	struct rte_mbuf *m, *m2;
	struct binding_decap d;

	(void)state;
	/* truncated: in the tunnel header, in the original header, one octet of payload short */
	decap_refused(in_f, 14 + 39, BINDING_TUN_MALFORMED);
	decap_refused(in_f, 14 + 40 + 39, BINDING_TUN_MALFORMED);
	decap_refused(in_f, flen - 1, BINDING_TUN_MALFORMED);
	/* wrong next header: an upper layer, or tunnel extension headers (refused) */
	in_f[14 + 6] = 17;
	decap_refused(in_f, flen, BINDING_TUN_NOT_TUNNEL);
	in_f[14 + 6] = 4; /* IPv4-in-IPv6 is not served */
	decap_refused(in_f, flen, BINDING_TUN_NOT_TUNNEL);
	for (unsigned i = 0; i < sizeof(ext); i++) {
		in_f[14 + 6] = ext[i];
		decap_refused(in_f, flen, BINDING_TUN_EXT_HDR);
	}
	in_f[14 + 6] = 41;
	/* the original packet must be IPv6 and fill the tunnel payload exactly */
	in_f[14 + 40] = 0x45;
	decap_refused(in_f, flen, BINDING_TUN_MALFORMED);
	in_f[14 + 40] = 0x61;
	in_f[14 + 40 + 5] = 79; /* 1 less than 80 */
	decap_refused(in_f, flen, BINDING_TUN_MALFORMED);
	in_f[14 + 40 + 5] = 81;
	decap_refused(in_f, flen, BINDING_TUN_MALFORMED);
	in_f[14 + 40 + 5] = 80;
	in_f[14] = 0x40; /* outer version 4 */
	decap_refused(in_f, flen, BINDING_TUN_MALFORMED);
	in_f[14] = 0x60;
	in_f[12] = 0x08; /* not IPv6 at all */
	decap_refused(in_f, flen, BINDING_TUN_MALFORMED);
	in_f[12] = 0x86;
	/* still good after the repairs; segmented; shared (parse reads, strip refuses) */
	decap_refused(in_f, flen, BINDING_TUN_OK);
	m = mbuf_of(in_f, flen, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(binding_decap_parse(m, &d), BINDING_TUN_OK);
	rte_mbuf_refcnt_update(m, 1);
	assert_int_equal(binding_decap_strip(m, &d), BINDING_TUN_SHARED);
	assert_frame(m, in_f, flen);
	rte_mbuf_refcnt_update(m, -1);
	m2 = rte_pktmbuf_alloc(mp);
	assert_non_null(rte_pktmbuf_append(m2, 10));
	assert_int_equal(rte_pktmbuf_chain(m, m2), 0);
	assert_int_equal(binding_decap_parse(m, &d), BINDING_TUN_SEGMENTED);
	rte_pktmbuf_free(m);
}

/* Parsed reverse-tunnel packets through the table's check: only the one from the binding's
 * NCoA to its tunnel source with its PCoA inside passes. */
static void test_decap_rtun(void **state)
{
	struct binding_table *bt = new_table_cb(8, 1, 0, NULL, NULL);
	uint8_t pcoa[16], ncoa[16], spoof[16], f[4][256];
	size_t len[4];
	struct rte_mbuf *m[4];
	struct binding_decap d[4];
	const struct binding_rec *recs[4];
	struct binding_spec s;

	(void)state;
	for (uint32_t i = 1; i <= 2; i++) {
		s = spec_of(i, pcoa, ncoa, 1, 100, BINDING_ACTIVE);
		assert_int_equal(binding_install(bt, &s), BINDING_OK);
	}
	ncoa_of(2, spoof);
	len[0] = rtun_frame(f[0], 1, -1, 60, 41, 0, NULL, NULL);     /* good */
	len[1] = rtun_frame(f[1], 1, -1, 60, 41, 0, spoof, NULL);    /* wrong source */
	len[2] = rtun_frame(f[2], 1, -1, 60, 41, 0, NULL, par_addr); /* not to the tunnel src */
	len[3] = rtun_frame(f[3], 5, -1, 60, 41, 0, NULL, NULL);     /* no binding for 2003::5 */
	for (int i = 0; i < 4; i++) {
		m[i] = mbuf_of(f[i], len[i], RTE_PKTMBUF_HEADROOM);
		assert_int_equal(binding_decap_parse(m[i], &d[i]), BINDING_TUN_OK);
	}
	assert_int_equal(binding_rtun_check_bulk(bt, d, NULL, 4, 0, recs), 0x1);
	pcoa_of(1, pcoa);
	assert_ptr_equal(recs[0], binding_find(bt, pcoa));
	assert_int_equal(binding_decap_strip(m[0], &d[0]), BINDING_TUN_OK);
	memcpy(want, f[0], 14);
	memcpy(want + 14, f[0] + 54, 60);
	assert_frame(m[0], want, 74);
	for (int i = 0; i < 4; i++)
		rte_pktmbuf_free(m[i]);
	binding_free(bt);
}

/* encap then decap gives back the frame but for the Hop Limit and the MACs */
static void test_round_trip(void **state)
{
	struct binding_tun_cfg cfg = { 0 };
	struct binding_rec b = rec_for(3);
	struct binding_decap d;
	struct rte_mbuf *m;
	size_t flen;

	(void)state;
	ip6_pkt(ip, 500, 0x2e, 0xabcde, 9, cn_addr, b.pcoa);
	flen = eth_frame(in_f, mac_gw, mac_mn, 42, ip, 500, 0);
	m = mbuf_of(in_f, flen, RTE_PKTMBUF_HEADROOM);
	assert_int_equal(binding_encap(m, &b, &cfg, mac_nh, mac_gw, NULL), BINDING_TUN_OK);
	assert_int_equal(binding_decap_parse(m, &d), BINDING_TUN_OK);
	assert_memory_equal(d.outer_src, tun_src_addr, 16);
	assert_memory_equal(d.outer_dst, b.ncoa, 16);
	assert_int_equal(binding_decap_strip(m, &d), BINDING_TUN_OK);
	in_f[18 + 7] = 8;
	memcpy(in_f, mac_nh, 6);
	memcpy(in_f + 6, mac_gw, 6);
	assert_frame(m, in_f, flen);
	rte_pktmbuf_free(m);
}

static void test_wire_and_names(void **state)
{
	struct wire_tunnel_spec ts = { .src = tun_src_addr, .dst = par_addr, .hlim = 64 };
	struct wire_ip6_hdr big = { .len = 65536 }, small = { .len = 39 };
	uint8_t h[40];

	(void)state;
	assert_int_equal(wire_tunnel_hdr(h, &big, &ts), WIRE_E_BAD_LENGTH);
	assert_int_equal(wire_tunnel_hdr(h, &small, &ts), WIRE_E_BAD_LENGTH);
	big.len = 65535;
	assert_int_equal(wire_tunnel_hdr(h, &big, &ts), WIRE_OK);
	assert_int_equal(h[4], 0xff);
	assert_int_equal(h[5], 0xff);
	assert_string_equal(binding_tun_strerror(BINDING_TUN_TOO_BIG), "too big");
	assert_string_equal(binding_tun_strerror(BINDING_TUN_EXT_HDR), "tunnel ext header");
	assert_string_equal(binding_tun_strerror(BINDING_TUN__COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encap_frames),
		cmocka_unit_test(test_encap_hop_limit),
		cmocka_unit_test(test_encap_mtu),
		cmocka_unit_test(test_encap_headroom_and_mbufs),
		cmocka_unit_test(test_encap_malformed),
		cmocka_unit_test(test_decap_good),
		cmocka_unit_test(test_decap_bad),
		cmocka_unit_test(test_decap_rtun),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wire_and_names),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
