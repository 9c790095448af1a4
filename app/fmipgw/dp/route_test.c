/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the routing stage (dp/route.c) with real lib/route tables (EAL --no-huge, no
 * ports: the stage only fills the worker's TX buffers and its ring to the control lcore, which
 * the tests read).  Frames are built with lib/wire; the expected bytes are the input with the
 * link-layer addresses and the Hop Limit changed as RFC 8200 says, nothing else.  Three ports:
 * 0 (access, exception port 2), 1 (core, no exception port), 2 (the exception port).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_mbuf.h>
#include <rte_ring.h>

#include "dp.h"
#include "fwd.h"
#include "route_test.h"
#include "stages.h"

static struct gw gw;
static struct gw_fwd fw;
static struct gw_worker *w;
static struct rte_mempool *pool;
static const uint8_t host_mac[6] = { 2, 0, 0, 0, 1, 0 }, b_mac[6] = { 2, 0, 0, 0, 0xb, 0xb };
static const uint8_t other_mac[6] = { 2, 0, 0, 0, 0x99, 0x99 };

static const char *const routes[] = {
	"2001:db8:1::/64 connected port 0",
	"2001:db8:100::/40 via fe80::b port 1",
	"2001:db8:1::1/128 local",
	"fe80::1/128 local",
};

static void load(const char *const *lines, unsigned n)
{
	struct route_spec r[8];
	struct route_err e;

	for (unsigned i = 0; i < n; i++)
		assert_int_equal(route_spec_parse(lines[i], &r[i], e.msg, sizeof(e.msg)), 0);
	rte_rcu_qsbr_thread_offline(qsv, 0); /* the writer may wait for a grace period */
	assert_int_equal(route_table_load(fw.rt, r, n, &e), 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
}

static int group_setup(void **state)
{
	static const struct rte_mbuf_dynfield meta = { .name = "t_meta",
						       .size = sizeof(struct gw_mbuf_meta),
						       .align = 8 };
	struct route_table_cfg rc = { "t_fib", 64, 64, 3, 0, NULL };
	struct neigh_cfg nc;
	uint8_t a[16];

	(void)state;
	if (route_test_eal("route_test", "256") < 0)
		return -1;
	pool = rte_pktmbuf_pool_create("t_pool", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	gw.mbuf_meta_off = rte_mbuf_dynfield_register(&meta);
	gw.tsc_hz = rte_get_tsc_hz();
	gw.qsv = qsv;
	gw.n_ports = 3;
	for (unsigned p = 0; p < 3; p++) {
		gw.ports[p].p.id = (uint16_t)p;
		memcpy(gw.ports[p].p.mac.addr_bytes, (uint8_t[]){ 2, 0x70, 0, 0, 0, (uint8_t)p },
		       6);
	}
	gw.cfg.fwd.error_rate = 100;
	gw.cfg.fwd.error_burst = 2;
	gw.cfg.fwd.resolve_rate = 1000;
	gw.cfg.fwd.resolve_burst = 64;
	gw.cfg.pol[GW_EV_ND].rate = 1000;
	gw.cfg.pol[GW_EV_ND].burst = 64;
	gw.cfg.pass = GW_PASS_DROP;
	rc.qsv = qsv;
	neigh_cfg_defaults(&nc);
	nc.name = "t_neigh";
	nc.qsv = qsv;
	nc.mcast_solicit = 1;
	nc.retrans_ms = 10;
	if (pool == NULL || gw.mbuf_meta_off < 0 || route_table_create(&rc, &fw.rt) != 0 ||
	    neigh_create(&nc, &fw.nt) != 0)
		return -1;
	memset(fw.exc_of, -1, sizeof(fw.exc_of));
	memset(fw.data_of, -1, sizeof(fw.data_of));
	fw.exc_of[0] = 2;
	fw.data_of[2] = 0;
	fw.on = true;
	fw.gen = 1;
	gw.fwd = &fw;
	addr(a, "fe80::b");
	neigh_add_static(fw.nt, a, 1, b_mac);
	addr(a, "2001:db8:1::100");
	neigh_add_static(fw.nt, a, 0, host_mac);
	w = rte_zmalloc("t_worker", sizeof(*w), RTE_CACHE_LINE_SIZE);
	if (w == NULL || rte_rcu_qsbr_thread_register(qsv, 0) != 0)
		return -1;
	w->gw = &gw;
	w->ring = rte_ring_create("t_ring", 64, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
	dp_policer_set(&w->pol, &gw.cfg, gw.tsc_hz);
	rte_rcu_qsbr_thread_online(qsv, 0);
	load(routes, 4);
	return w->ring == NULL ? -1 : 0;
}

/* Before each test: empty TX buffers and ring, zero counters, fresh rate limits. */
static int setup(void **state)
{
	struct rte_mbuf *m;

	(void)state;
	for (unsigned p = 0; p < 3; p++) {
		rte_pktmbuf_free_bulk(w->tx.m[p], w->tx.n[p]);
		w->tx.n[p] = 0;
	}
	while (rte_ring_dequeue(w->ring, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	memset(&w->cnt, 0, sizeof(w->cnt));
	fw.gen++;
	fw.nd = false;
	fw.on = true;
	return 0;
}

/* A UDP frame src -> dst from eth_src to eth_dst, received on port. */
static struct rte_mbuf *udp(uint16_t port, const uint8_t *eth_dst, const char *src, const char *dst,
			    uint8_t hlim)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t s[16], d[16], *p = (uint8_t *)rte_pktmbuf_append(m, 14 + 40 + 16);
	struct wire_buf b = wire_buf_make(p, 14 + 40 + 16);
	size_t ip;

	addr(s, src);
	addr(d, dst);
	wire_build_eth(&b, eth_dst, host_mac, -1, WIRE_ETH_P_IPV6);
	ip = wire_build_ip6(&b, s, d, 17, hlim);
	wire_put_bytes(&b, "\x0f\xa0\x00\x09\x00\x10\x00\x00fmipgw!!", 16);
	assert_int_equal(wire_ip6_finish(&b, ip), WIRE_OK);
	assert_int_equal(b.err, WIRE_OK);
	m->port = port;
	return m;
}

static struct rte_mbuf *to_me(uint16_t port, const char *dst, uint8_t hlim)
{
	return udp(port, gw.ports[port].p.mac.addr_bytes, "2001:db8:1::100", dst, hlim);
}

/* A multicast NS for target from 2001:db8:1::100 on port 0. */
static struct rte_mbuf *ns(const char *target)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t s[16], t[16], g[16], l2[6], *p = (uint8_t *)rte_pktmbuf_append(m, 14 + 72);
	struct wire_buf b = wire_buf_make(p, 14 + 72);

	addr(s, "2001:db8:1::100");
	addr(t, target);
	wire_solicited_node(t, g);
	wire_ip6_mcast_mac(g, l2);
	wire_build_eth(&b, l2, host_mac, -1, WIRE_ETH_P_IPV6);
	assert_int_equal(wire_build_ns(&b, s, NULL, t, host_mac), WIRE_OK);
	m->port = 0;
	return m;
}

/* One burst through the stage: decode, collect, flush. */
static void burst(struct rte_mbuf **ms, unsigned n)
{
	uint64_t tsc = rte_rdtsc();

	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(wire_decode_frame(rte_pktmbuf_mtod(ms[i], const uint8_t *),
						   ms[i]->data_len, WIRE_LINK_ETH, &w->frames[i]),
				 WIRE_OK);
		dp_route_collect(w, ms[i], &w->frames[i], NULL, tsc);
	}
	dp_route_flush(w, tsc);
}

/* The frame m must be in as a forwarded copy of orig: MACs dst/src, Hop Limit - 1. */
static void assert_forwarded(const struct rte_mbuf *m, const uint8_t *orig, size_t len,
			     const uint8_t dst[6], unsigned port)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);

	assert_int_equal(m->data_len, len);
	assert_memory_equal(p, dst, 6);
	assert_memory_equal(p + 6, gw.ports[port].p.mac.addr_bytes, 6);
	assert_memory_equal(p + 12, orig + 12, 9);
	assert_int_equal(p[21], orig[21] - 1);
	assert_memory_equal(p + 22, orig + 22, len - 22);
}

static unsigned ring_events(unsigned ev)
{
	struct rte_mbuf *ms[64];
	unsigned n = rte_ring_dequeue_burst(w->ring, (void **)ms, 64, NULL), k = 0;

	for (unsigned i = 0; i < n; i++) {
		k += gw_meta(&gw, ms[i])->ev == ev;
		rte_pktmbuf_free(ms[i]);
	}
	return n == k ? k : 1000 + n; /* every one of them ev */
}

/* The /40 via fe80::b and the connected /64 (a static host): one burst, two next hops. */
static void forward(void **state)
{
	struct rte_mbuf *ms[3] = { to_me(0, "2001:db8:100:5::1", 64),
				   to_me(1, "2001:db8:1::100", 9),
				   to_me(0, "2001:db8:100:6::1", 2) };
	uint8_t orig[3][70];

	(void)state;
	for (unsigned i = 0; i < 3; i++)
		memcpy(orig[i], rte_pktmbuf_mtod(ms[i], uint8_t *), 70);
	burst(ms, 3);
	assert_int_equal(w->cnt.fwd_packets, 3);
	assert_int_equal(w->tx.n[1], 2);
	assert_int_equal(w->tx.n[0], 1);
	assert_forwarded(w->tx.m[1][0], orig[0], 70, b_mac, 1);
	assert_forwarded(w->tx.m[1][1], orig[2], 70, b_mac, 1);
	assert_forwarded(w->tx.m[0][0], orig[1], 70, host_mac, 0);
}

/* Hop Limit 1 and 0: Time Exceeded events, the third over error_burst 2; no route: none left
 * to send either; an ICMPv6 error is never answered (RFC 4443 2.4 (e.1)). */
static void errors(void **state)
{
	struct rte_mbuf *ms[3] = { to_me(0, "2001:db8:100::1", 1), to_me(0, "2001:db8:100::1", 0),
				   to_me(0, "2001:db8:100::1", 1) };
	struct rte_mbuf *nr, *err, *inv;
	uint8_t buf[200], s[16];
	struct wire_buf b;

	(void)state;
	burst(ms, 3);
	assert_int_equal(w->cnt.fwd_drop_hlim, 3);
	assert_int_equal(w->cnt.icmp6_err_queued, 2);
	assert_int_equal(w->cnt.icmp6_err_ratelimited, 1);
	assert_int_equal(ring_events(GW_EV_ERR_HLIM), 2);
	fw.gen++; /* a reload: full bucket again */
	nr = to_me(0, "2001:db9::1", 64);
	burst(&nr, 1);
	assert_int_equal(w->cnt.fwd_drop_no_route, 1);
	assert_int_equal(ring_events(GW_EV_ERR_NOROUTE), 1);
	/* a Destination Unreachable in transit to 2001:db9::1 (no route): not answered */
	inv = udp(0, host_mac, "2001:db9::1", "2001:db8:1::100", 64);
	addr(s, "2001:db8:1::100");
	b = wire_buf_make(buf, sizeof(buf));
	wire_build_eth(&b, gw.ports[0].p.mac.addr_bytes, host_mac, -1, WIRE_ETH_P_IPV6);
	assert_int_equal(wire_build_icmp6_error(&b, s, WIRE_ICMP6_DST_UNREACH, 0, 0,
						rte_pktmbuf_mtod(inv, uint8_t *) + 14, 56, 64),
			 WIRE_OK);
	rte_pktmbuf_free(inv);
	err = rte_pktmbuf_alloc(pool);
	memcpy(rte_pktmbuf_append(err, (uint16_t)b.len), buf, b.len);
	err->port = 0;
	burst(&err, 1);
	assert_int_equal(w->cnt.icmp6_err_suppressed, 1);
	assert_int_equal(rte_ring_count(w->ring), 0);
}

/* For the router: its exception port (port 0 has one, port 1 none); link-local destinations
 * to this MAC are the router's too; another MAC's frame and a link-local source are dropped. */
static void local_and_scope(void **state)
{
	struct rte_mbuf *ms[6] = { to_me(0, "2001:db8:1::1", 64),
				   to_me(1, "2001:db8:1::1", 1),
				   to_me(0, "fe80::1", 255),
				   to_me(1, "fe80::77", 255),
				   udp(0, other_mac, "2001:db8:1::100", "2001:db8:100::1", 64),
				   udp(0, gw.ports[0].p.mac.addr_bytes, "fe80::100",
				       "2001:db8:100::1", 64) };

	(void)state;
	burst(ms, 6);
	assert_int_equal(w->cnt.exc_punted, 2);
	assert_int_equal(w->tx.n[2], 2);
	/* a link-local destination is punted at collect, a local route's at flush */
	assert_ptr_equal(w->tx.m[2][0], ms[2]);
	assert_ptr_equal(w->tx.m[2][1], ms[0]);
	assert_int_equal(w->cnt.exc_drop_no_port, 2);
	assert_int_equal(w->cnt.fwd_drop_l2_other, 1);
	assert_int_equal(w->cnt.fwd_drop_scope, 1);
	assert_int_equal(w->cnt.fwd_packets, 0);
}

/* Multicast: an NS for a local address goes to the control lcore (GW_EV_ND); another
 * target's NS is dropped, or punted with [exception] nd; nothing beyond link scope. */
static void multicast(void **state)
{
	struct rte_mbuf *ms[3] = { ns("2001:db8:1::1"), ns("2001:db8:1::777"),
				   udp(0, (uint8_t[]){ 0x33, 0x33, 0, 0, 0, 1 }, "2001:db8:1::100",
				       "ff05::1", 64) };
	struct rte_mbuf *again;

	(void)state;
	burst(ms, 3);
	assert_int_equal(w->cnt.ctrl_nd, 1);
	assert_int_equal(ring_events(GW_EV_ND), 1);
	assert_int_equal(w->cnt.fwd_drop_multicast, 2);
	fw.nd = true;
	again = ns("2001:db8:1::777");
	burst(&again, 1);
	assert_int_equal(w->cnt.exc_punted, 1);
	assert_ptr_equal(w->tx.m[2][0], again);
}

/* No usable neighbour: to the control lcore; a FAILED one: dropped. */
static void unresolved(void **state)
{
	struct rte_mbuf *m = to_me(1, "2001:db8:1::200", 64), *held = NULL;
	struct neigh_action act[4];
	uint8_t a[16], mac[6];

	(void)state;
	burst(&m, 1);
	assert_int_equal(w->cnt.fwd_to_resolve, 1);
	assert_int_equal(rte_ring_dequeue(w->ring, (void **)&held), 0);
	assert_int_equal(gw_meta(&gw, held)->ev, GW_EV_RESOLVE);
	/* the control lcore's part, on the table's clock: one NS, no answer, FAILED */
	addr(a, "2001:db8:1::200");
	rte_rcu_qsbr_thread_offline(qsv, 0);
	assert_int_equal(neigh_resolve(fw.nt, a, 0, held, 0, mac), NEIGH_V_QUEUED);
	assert_int_equal(neigh_timer(fw.nt, 0, act, 4), 1);
	assert_int_equal(neigh_timer(fw.nt, 100, act, 4), 1);
	assert_int_equal(act[0].kind, NEIGH_ACT_FAILED);
	rte_rcu_qsbr_thread_online(qsv, 0);
	m = to_me(1, "2001:db8:1::200", 64);
	burst(&m, 1);
	assert_int_equal(w->cnt.fwd_drop_neigh_failed, 1);
	assert_int_equal(rte_ring_count(w->ring), 0);
}

/* [neighbours] resolve_rate/burst: hand-overs beyond the bucket are dropped and counted. */
static void resolve_rate(void **state)
{
	struct rte_mbuf *ms[3] = { to_me(0, "2001:db8:1::201", 64), to_me(0, "2001:db8:1::202", 64),
				   to_me(0, "2001:db8:1::203", 64) };

	(void)state;
	gw.cfg.fwd.resolve_burst = 2;
	fw.gen++;
	burst(ms, 3);
	gw.cfg.fwd.resolve_burst = 64;
	assert_int_equal(w->cnt.fwd_to_resolve, 2);
	assert_int_equal(w->cnt.fwd_drop_unresolved, 1);
	assert_int_equal(ring_events(GW_EV_RESOLVE), 2);
}

/* A new FIB applies from the next burst; without routing everything follows pass_through. */
static void swap_and_off(void **state)
{
	static const char *const two[] = { "2001:db8:1::/64 connected port 0",
					   "default via fe80::b port 1" };
	struct rte_mbuf *m = to_me(0, "2001:db9::1", 64);

	(void)state;
	load(two, 2);
	burst(&m, 1);
	assert_int_equal(w->cnt.fwd_packets, 1);
	assert_int_equal(w->tx.n[1], 1);
	load(routes, 4);
	m = to_me(0, "2001:db9::1", 64);
	burst(&m, 1);
	assert_int_equal(w->cnt.fwd_drop_no_route, 1);
	fw.on = false;
	m = to_me(0, "2001:db8:100::1", 64);
	burst(&m, 1);
	assert_int_equal(w->cnt.drop_pass, 1);
	assert_int_equal(w->cnt.fwd_packets, 1);
}

static int teardown_all(void **state)
{
	setup(state);
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_ring_free(w->ring);
	rte_free(w);
	neigh_free(fw.nt);
	route_table_free(fw.rt);
	rte_mempool_free(pool);
	return group_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(forward, setup),
		cmocka_unit_test_setup(errors, setup),
		cmocka_unit_test_setup(local_and_scope, setup),
		cmocka_unit_test_setup(multicast, setup),
		cmocka_unit_test_setup(unresolved, setup),
		cmocka_unit_test_setup(resolve_rate, setup),
		cmocka_unit_test_setup(swap_and_off, setup),
	};
	return cmocka_run_group_tests(tests, group_setup, teardown_all);
}
