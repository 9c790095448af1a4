/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the tunnel stage (dp/tunnel.c, dp/tunnel_err.c) on real mbufs and a real
 * binding table (the EAL in memory, no devices: the stage only queues into the worker's TX
 * buffers, which the test reads).  Expected frames are written out by hand from RFC 2473 5
 * (the tunnel header), RFC 4443 3.2/3.3 and 2.4 (the errors), RFC 5568 4 (reverse tunnel).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <rte_eal.h>
#include <rte_malloc.h>

#include "dp.h"
#include "stages.h"

static struct gw gw;
static struct gw_worker *w;
static struct rte_mempool *pool;
static uint8_t pcoa[16], ncoa[16], par[16], cn[16];
static const uint8_t nar_lla[6] = { 2, 0, 0, 0, 0, 0x0b }, cn_mac[6] = { 2, 0, 0, 0, 0, 0xcc };
static const uint8_t mac0[6] = { 2, 0, 0, 0, 0, 0xaa }, mac1[6] = { 2, 0, 0, 0, 0, 0xbb };

static void a6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

static int group_setup(void **state)
{
	char prefix[64];
	char *argv[] = { "tunnel_test", "--no-huge", "--no-pci",    "--file-prefix", prefix,
			 "-m",		"256",	     "--log-level", "lib.eal:error", NULL };
	struct binding_cfg bc = { .name = "t_bind", .capacity = 64, .n_workers = 1 };
	size_t sz = rte_rcu_qsbr_get_memsize(1);

	(void)state;
	snprintf(prefix, sizeof(prefix), "fmipgw_tunnel_test_%d", (int)getpid());
	if (rte_eal_init(9, argv) < 0)
		return -1;
	pool =
	    rte_pktmbuf_pool_create("t_pool", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	gw.qsv = rte_zmalloc(NULL, sz, RTE_CACHE_LINE_SIZE);
	if (pool == NULL || gw.qsv == NULL || rte_rcu_qsbr_init(gw.qsv, 1) != 0)
		return -1;
	bc.qsv = gw.qsv;
	if (binding_create(&bc, &gw.bt) != 0)
		return -1;
	w = rte_zmalloc(NULL, sizeof(*w), RTE_CACHE_LINE_SIZE);
	a6("2003::3049:deeb:fd31:70b0", pcoa);
	a6("2003:0:0:2::10", ncoa);
	a6("2003::1", par);
	a6("2001:db8::99", cn);
	return w == NULL ? -1 : 0;
}

/* The gateway as the stage reads it: PAR 2003::1, one NAR section (port 1), MTU 1500, Hop
 * Limit 64, Traffic Class copied, Flow Label 0, 3 ICMPv6 errors of burst, pass_through same;
 * an empty binding table; clean counters and TX buffers. */
static int setup(void **state)
{
	struct gw_config *cfg = &gw.cfg;
	uint32_t it = 0;
	const struct binding_rec *r;

	(void)state;
	while (binding_iterate(gw.bt, &it, &r)) {
		uint8_t k[16];

		memcpy(k, r->pcoa, 16);
		binding_delete(gw.bt, k);
		it = 0;
	}
	memcpy(cfg->par[0], par, 16);
	cfg->n_par = 1;
	cfg->n_aps = 1;
	cfg->aps[0].kind = HK_AP_NAR;
	memcpy(cfg->aps[0].nar_lla, nar_lla, 6);
	cfg->ap_ext[0].port = 1;
	cfg->tun_mtu = 1500;
	cfg->tun_hop_limit = 64;
	cfg->tun_tc_mode = GW_TUN_COPY;	 /* the defaults of [tunnel] */
	cfg->tun_fl_mode = GW_TUN_FIXED; /* flow_label 0 */
	cfg->tun_icmp_rate = 1;
	cfg->tun_icmp_burst = 3;
	cfg->pass = GW_PASS_SAME;
	gw.tsc_hz = rte_get_tsc_hz();
	gw.n_ports = 2;
	gw.ports[0].p.id = 0;
	gw.ports[1].p.id = 1;
	memcpy(gw.ports[0].p.mac.addr_bytes, mac0, 6);
	memcpy(gw.ports[1].p.mac.addr_bytes, mac1, 6);
	memset(w, 0, sizeof(*w));
	w->gw = &gw;
	dp_tunnel_init(w);
	return 0;
}

static uint16_t seq;

/* Install (or replace, with the next sequence) pcoa's binding to ncoa. */
static void install(uint8_t state, uint64_t expires)
{
	struct binding_spec s = { pcoa, ncoa, par, par, ++seq, 10, expires, state, 7, 0 };

	assert_true(binding_install(gw.bt, &s) >= 0);
}

static uint64_t now_s(void)
{
	return rte_rdtsc() / gw.tsc_hz;
}

/* An IPv6/UDP packet (checksum left 0: nothing here reads it) of len octets. */
static size_t udp(uint8_t *p, size_t len, const uint8_t src[16], const uint8_t dst[16],
		  uint8_t hlim)
{
	memset(p, 0, len);
	p[0] = 0x6b; /* version 6, Traffic Class 0xb8, Flow Label 0x12345 */
	p[1] = 0x81;
	p[2] = 0x23;
	p[3] = 0x45;
	p[4] = (uint8_t)((len - 40) >> 8);
	p[5] = (uint8_t)(len - 40);
	p[6] = 17;
	p[7] = hlim;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	p[44] = (uint8_t)((len - 40) >> 8);
	p[45] = (uint8_t)(len - 40);
	for (size_t i = 48; i < len; i++)
		p[i] = (uint8_t)i;
	return len;
}

/* The frame eth(dst, src) + pkt received on port, through the stage as the worker does it:
 * decoded into frames[i], classified, collected. */
static void rx(unsigned i, uint16_t port, const uint8_t dst[6], const uint8_t *pkt, size_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)(14 + len));
	struct wire_frame *f = &w->frames[i];

	memcpy(d, dst, 6);
	memcpy(d + 6, cn_mac, 6);
	d[12] = 0x86;
	d[13] = 0xdd;
	memcpy(d + 14, pkt, len);
	m->port = port;
	assert_int_equal(wire_decode_frame(d, 14 + len, WIRE_LINK_ETH, f), WIRE_OK);
	dp_tunnel_collect(w, m, f, dp_classify(&gw.cfg, f), rte_rdtsc());
}

/* The k-th frame queued on port index p, and how many there are. */
static const uint8_t *txd(unsigned p, unsigned k, size_t *len)
{
	struct rte_mbuf *m = w->tx.m[p][k];

	*len = m->data_len;
	return rte_pktmbuf_mtod(m, const uint8_t *);
}

static void tx_free(void)
{
	for (unsigned p = 0; p < GW_MAX_PORTS; p++) {
		rte_pktmbuf_free_bulk(w->tx.m[p], w->tx.n[p]);
		w->tx.n[p] = 0;
	}
}

/* RFC 2473 5: version 6, Traffic Class copied (0xb8), Flow Label 0, Payload Length = the
 * original packet, Next Header 41, Hop Limit 64, tunnel source, NCoA; then the original
 * packet with its Hop Limit one less (3.1); out of the NAR section's port to the NAR. */
static void encap(void **state)
{
	uint8_t pkt[200], want[14 + 40 + 200];
	const uint8_t *got;
	struct binding_info bi;
	size_t len;

	(void)state;
	install(BINDING_ACTIVE, now_s() + 100);
	udp(pkt, sizeof(pkt), cn, pcoa, 30);
	rx(0, 1, mac1, pkt, sizeof(pkt));
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 1);
	assert_int_equal(w->tx.n[0], 0);
	memcpy(want, nar_lla, 6);
	memcpy(want + 6, mac1, 6);
	want[12] = 0x86;
	want[13] = 0xdd;
	want[14] = 0x6b; /* 6, tc 0xb8 */
	want[15] = 0x80;
	want[16] = want[17] = 0; /* flow label 0 */
	want[18] = 0;
	want[19] = 200;
	want[20] = 41;
	want[21] = 64;
	memcpy(want + 22, par, 16);
	memcpy(want + 38, ncoa, 16);
	memcpy(want + 54, pkt, 200);
	want[54 + 7] = 29;
	got = txd(1, 0, &len);
	assert_int_equal(len, sizeof(want));
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(w->cnt.tun_encap, 1);
	binding_info_get(gw.bt, binding_find(gw.bt, pcoa), now_s(), &bi);
	assert_int_equal(bi.ctr.tun_pkts, 1);
	assert_int_equal(bi.ctr.tun_bytes, 200);
	tx_free();
}

/* Not tunnelled, handed on unchanged (pass_through same: back out of port 1): a pending
 * binding (RFC 5568 6.2.3), an expired one, no binding, a multicast destination. */
static void handed_on(void **state)
{
	uint8_t pkt[4][100], mc[16];
	size_t len;

	(void)state;
	install(BINDING_PENDING, now_s() + 100);
	udp(pkt[0], 100, cn, pcoa, 30);
	rx(0, 1, mac1, pkt[0], 100);
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->cnt.tun_pending, 1);
	install(BINDING_ACTIVE, 1); /* (a newer sequence) expired long ago */
	a6("ff05::2", mc);
	udp(pkt[1], 100, cn, pcoa, 30);
	udp(pkt[2], 100, cn, ncoa, 30);
	udp(pkt[3], 100, cn, mc, 30);
	rx(0, 1, mac1, pkt[1], 100);
	rx(1, 1, mac1, pkt[2], 100);
	rx(2, 1, mac1, pkt[3], 100);
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 4);
	/* in order: the pending one (first burst); the multicast one, handed on as collected;
	 * the two looked up, in burst order */
	static const unsigned order[4] = { 0, 3, 1, 2 };

	for (unsigned k = 0; k < 4; k++)
		assert_memory_equal(txd(1, k, &len) + 14, pkt[order[k]], 100);
	assert_int_equal(w->cnt.tun_encap, 0);
	tx_free();
	/* without a binding table (benchmarks): everything goes on at once */
	{
		struct binding_table *bt = gw.bt;

		install(BINDING_ACTIVE, now_s() + 100);
		gw.bt = NULL;
		rx(0, 1, mac1, pkt[1], 100);
		gw.bt = bt;
	}
	assert_int_equal(w->tun.n, 0);
	assert_int_equal(w->tx.n[1], 1);
	assert_memory_equal(txd(1, 0, &len) + 14, pkt[1], 100);
	tx_free();
}

/* The one's complement checksum of an ICMPv6 message with its pseudo-header (RFC 4443 2.3). */
static uint16_t icmp_sum(const uint8_t *ip, size_t len)
{
	uint32_t s = 58 + (uint32_t)(len - 40);

	for (size_t i = 8; i < 40; i += 2)
		s += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	for (size_t i = 40; i < len; i += 2)
		s += (uint32_t)(ip[i] << 8 | (i + 1 < len ? ip[i + 1] : 0));
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* An error as RFC 4443 writes it, back out of the ingress port to the frame's source. */
static void check_error(const uint8_t *fr, size_t len, uint8_t type, uint32_t param,
			const uint8_t *orig, size_t olen)
{
	size_t q = olen < 1280 - 48 ? olen : 1280 - 48;

	assert_int_equal(len, 14 + 48 + q);
	assert_memory_equal(fr, cn_mac, 6);
	assert_memory_equal(fr + 6, mac1, 6);
	assert_int_equal(fr[14] >> 4, 6);
	assert_int_equal((fr[18] << 8) | fr[19], 8 + q);
	assert_int_equal(fr[20], 58);
	assert_memory_equal(fr + 22, par, 16); /* from the tunnel entry point */
	assert_memory_equal(fr + 38, cn, 16);  /* to the packet's source */
	assert_int_equal(fr[54], type);
	assert_int_equal(fr[55], 0);
	assert_int_equal(icmp_sum(fr + 14, len - 14), 0xffff);
	assert_int_equal((uint32_t)fr[58] << 24 | fr[59] << 16 | fr[60] << 8 | fr[61], param);
	assert_memory_equal(fr + 62, orig, q);
}

/* Packet Too Big (RFC 2473 7.1 (a)): 1461 octets over the tunnel MTU 1460, MTU 1460; Time
 * Exceeded for Hop Limit 1 (RFC 4443 3.3); then the rate limit (burst 3) drops the rest. */
static void icmp_errors(void **state)
{
	static uint8_t big[1461], small[100];
	const uint8_t *fr;
	size_t len;

	(void)state;
	install(BINDING_ACTIVE, now_s() + 100);
	udp(big, sizeof(big), cn, pcoa, 30);
	udp(small, sizeof(small), cn, pcoa, 1);
	rx(0, 1, mac1, big, sizeof(big));
	rx(1, 1, mac1, small, sizeof(small));
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 2);
	fr = txd(1, 0, &len);
	check_error(fr, len, 2, 1460, big, sizeof(big));
	fr = txd(1, 1, &len);
	check_error(fr, len, 3, 0, small, sizeof(small));
	assert_int_equal(w->cnt.tun_too_big, 1);
	assert_int_equal(w->cnt.tun_hop_limit, 1);
	assert_int_equal(w->cnt.tun_icmp_tx, 2);
	tx_free();
	for (unsigned i = 0; i < 3; i++)
		rx(i, 1, mac1, big, sizeof(big));
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 1); /* the third token of the burst */
	assert_int_equal(w->cnt.drop_tun_icmp_limited, 2);
	tx_free();
}

/* RFC 4443 2.4 (e): no Time Exceeded for a frame sent to a link-layer multicast address. */
static void icmp_refused(void **state)
{
	static const uint8_t mcast_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	uint8_t small[100];

	(void)state;
	install(BINDING_ACTIVE, now_s() + 100);
	udp(small, sizeof(small), cn, pcoa, 1);
	rx(0, 1, mcast_mac, small, sizeof(small));
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 0);
	assert_int_equal(w->cnt.drop_tun_icmp_refused, 1);
}

/* The reverse tunnel (RFC 5568 4): from the NCoA to the tunnel source with the PCoA inside:
 * stripped and handed on (out of port 1, pass_through same) with the original packet as it
 * was; another outer source, another inner source: dropped, never forwarded. */
static void reverse(void **state)
{
	uint8_t in[80], tun[3][120], other[16];
	const uint8_t *fr;
	struct binding_info bi;
	size_t len;

	(void)state;
	install(BINDING_ACTIVE, now_s() + 100);
	a6("2003:0:0:2::99", other);
	for (unsigned k = 0; k < 3; k++) {
		udp(in, sizeof(in), k == 2 ? other : pcoa, cn, 40);
		udp(tun[k], sizeof(tun[k]), k == 1 ? other : ncoa, par, 64);
		tun[k][6] = 41;
		memcpy(tun[k] + 40, in, sizeof(in));
		rx(k, 1, mac1, tun[k], sizeof(tun[k]));
	}
	assert_int_equal(w->tun.nr, 3);
	dp_tunnel_flush(w, rte_rdtsc());
	assert_int_equal(w->tx.n[1], 1);
	assert_int_equal(w->cnt.tun_decap, 1);
	assert_int_equal(w->cnt.drop_tun_unmatched, 2);
	fr = txd(1, 0, &len);
	udp(in, sizeof(in), pcoa, cn, 40);
	assert_int_equal(len, 14 + sizeof(in));
	assert_memory_equal(fr, mac1, 6); /* the L2 header as received */
	assert_memory_equal(fr + 14, in, sizeof(in));
	binding_info_get(gw.bt, binding_find(gw.bt, pcoa), now_s(), &bi);
	assert_int_equal(bi.ctr.rev_pkts, 1);
	assert_int_equal(bi.ctr.rev_bytes, sizeof(in));
	tx_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(encap, setup),
		cmocka_unit_test_setup(handed_on, setup),
		cmocka_unit_test_setup(icmp_errors, setup),
		cmocka_unit_test_setup(icmp_refused, setup),
		cmocka_unit_test_setup(reverse, setup),
	};
	int rc = cmocka_run_group_tests(tests, group_setup, NULL);

	rte_eal_cleanup(); /* the runtime files under /var/run/dpdk/<prefix> */
	return rc;
}
