/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding decapsulation tests on mbufs (RFC 2473 §3.3): good frames (untagged, 802.1Q,
 * padded) stripped to the L2 header + the original packet in place; truncated, wrong next
 * header, tunnel extension headers, inner not IPv6 or not filling the payload, shared and
 * segmented frames refused and left untouched; parsed frames through the reverse-tunnel
 * check (wrong source, wrong destination, no binding).
 *
 * EAL: --no-huge --no-pci, a unique --file-prefix, an mbuf pool.
 */
#include "test_frames.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decap_good),
		cmocka_unit_test(test_decap_bad),
		cmocka_unit_test(test_decap_rtun),
	};
	return cmocka_run_group_tests(tests, tun_setup, tun_teardown);
}
