/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding encapsulation tests on mbufs (RFC 2473): every encapsulated frame is compared
 * octet for octet with a frame built by hand (test_frames.h); the original packet must come
 * out identical but for its Hop Limit, in place (no copy).  Headroom exhausted, the MTU at
 * exactly the tunnel MTU and one more, Hop Limit 2/1/0, shared, segmented and malformed
 * frames (each refused with its code and left untouched); encap then decap round trip.
 *
 * EAL: --no-huge --no-pci, a unique --file-prefix, an mbuf pool.
 */
#include "test_frames.h"

static uint8_t ip[2048];

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
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_wire_and_names),
	};
	return cmocka_run_group_tests(tests, tun_setup, tun_teardown);
}
