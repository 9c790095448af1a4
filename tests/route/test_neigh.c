/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route neighbour-table tests on an injected clock (milliseconds): resolution with held
 * packets, the multicast NS count and spacing, timeout -> FAILED with the held packets dropped
 * and counted, NA handling (RFC 4861 §7.2.5) and NS SLLA learning (§7.2.3), the reachability
 * cycle REACHABLE -> STALE -> DELAY -> PROBE with its unicast NSs, static entries, a full
 * table, the action array limit, deferred frees, and a reader lcore looking entries up while
 * the writer churns them (also under AddressSanitizer).
 *
 * Packets are fake pointers into an array; the table's free_pkt callback records each one it
 * drops, so every drop is checked by identity.  EAL: --no-huge --no-pci, two lcores.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>
#include <rte_rcu_qsbr.h>

#include "neigh.h"
#include "route_test.h"

static unsigned tab_seq;

/* fake packets and what the table dropped */
static uint8_t pkt_mem[64];
#define PKT(i) ((struct rte_mbuf *)(void *)&pkt_mem[i])
static int dropped[64];
static unsigned n_dropped;

static void rec_free(struct rte_mbuf *m, void *arg)
{
	(void)arg;
	if (n_dropped < sizeof(dropped) / sizeof(dropped[0]))
		dropped[n_dropped] = (int)((uint8_t *)(void *)m - pkt_mem);
	n_dropped++;
}

static const uint8_t mac1[6] = { 2, 0, 0, 0, 0, 1 }, mac2[6] = { 2, 0, 0, 0, 0, 2 },
		     mac3[6] = { 2, 0, 0, 0, 0, 3 };

static int group_setup(void **state)
{
	(void)state;
	return route_test_eal("test_neigh", "128");
}

static struct neigh_table *new_table(uint32_t capacity, uint16_t queue_len)
{
	char name[16];
	struct neigh_cfg cfg;
	struct neigh_table *t = NULL;

	neigh_cfg_defaults(&cfg);
	snprintf(name, sizeof(name), "nt%u", tab_seq++);
	cfg.name = name;
	cfg.capacity = capacity;
	cfg.queue_len = queue_len;
	cfg.qsv = qsv;
	cfg.free_pkt = rec_free;
	assert_int_equal(neigh_create(&cfg, &t), 0);
	n_dropped = 0;
	return t;
}

static unsigned state_of(struct neigh_table *t, const uint8_t a[16], uint16_t port)
{
	struct neigh_info info;
	return neigh_get(t, a, port, &info) == 0 ? info.state : NEIGH__COUNT;
}

/* What a worker would see through the lock-free path. */
static bool reader_mac(struct neigh_table *t, const uint8_t a[16], uint16_t port, uint8_t mac[6],
		       unsigned *state)
{
	struct neigh_key k;
	const struct neigh_key *keys[1] = { &k };
	struct neigh_entry *e[1];

	neigh_key_make(&k, a, port);
	if (neigh_lookup_bulk(t, keys, 1, e) != 1) {
		*state = NEIGH_NONE;
		return false;
	}
	return neigh_entry_mac(e[0], mac, state);
}

/* Resolution: the first NS at once, packets held, an NA releases them in order. */
static void test_resolution(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[4];
	struct neigh_stats st;
	struct rte_mbuf *out[4];
	uint8_t a[16], mac[6];
	unsigned n_out, s;

	(void)state;
	addr(a, "fe80::1");
	assert_int_equal(neigh_resolve(t, a, 1, PKT(1), 0, mac), NEIGH_V_QUEUED);
	assert_int_equal(state_of(t, a, 1), NEIGH_INCOMPLETE);
	assert_false(reader_mac(t, a, 1, mac, &s)); /* workers see INCOMPLETE: not usable */
	assert_int_equal(s, NEIGH_INCOMPLETE);
	assert_int_equal(state_of(t, a, 2), NEIGH__COUNT); /* the port is part of the key */
	assert_int_equal(neigh_timer(t, 0, act, 4), 1);
	assert_int_equal(act[0].kind, NEIGH_ACT_NS_MCAST);
	assert_int_equal(act[0].port, 1);
	assert_memory_equal(act[0].addr, a, 16);
	assert_int_equal(neigh_timer(t, 500, act, 4), 0);
	assert_int_equal(neigh_resolve(t, a, 1, PKT(2), 600, mac), NEIGH_V_QUEUED);
	/* a solicited NA with its TLLA */
	assert_int_equal(
	    neigh_update(t, a, 1, mac1, NEIGH_F_SOLICITED | NEIGH_F_OVERRIDE, 700, out, 4, &n_out),
	    NEIGH_REACHABLE);
	assert_int_equal(n_out, 2);
	assert_ptr_equal(out[0], PKT(1));
	assert_ptr_equal(out[1], PKT(2));
	assert_true(reader_mac(t, a, 1, mac, &s));
	assert_int_equal(s, NEIGH_REACHABLE);
	assert_memory_equal(mac, mac1, 6);
	/* the next packet is sent at once */
	assert_int_equal(neigh_resolve(t, a, 1, PKT(3), 800, mac), NEIGH_V_SEND);
	assert_memory_equal(mac, mac1, 6);
	neigh_get_stats(t, &st);
	assert_int_equal(st.created, 1);
	assert_int_equal(st.resolved, 1);
	assert_int_equal(st.queued, 2);
	assert_int_equal(st.released, 2);
	assert_int_equal(st.ns_mcast, 1);
	assert_int_equal(st.live, 1);
	assert_int_equal(n_dropped, 0);
	/* an unsolicited NA for an INCOMPLETE entry makes it STALE; one without TLLA is ignored */
	addr(a, "fe80::2");
	assert_int_equal(neigh_resolve(t, a, 1, PKT(4), 1000, mac), NEIGH_V_QUEUED);
	assert_int_equal(neigh_update(t, a, 1, NULL, NEIGH_F_SOLICITED, 1001, out, 4, &n_out),
			 NEIGH_INCOMPLETE);
	assert_int_equal(n_out, 0);
	assert_int_equal(neigh_update(t, a, 1, mac2, 0, 1002, out, 4, &n_out), NEIGH_STALE);
	assert_int_equal(n_out, 1);
	assert_ptr_equal(out[0], PKT(4));
	neigh_get_stats(t, &st);
	assert_int_equal(st.na_ignored, 1);
	neigh_free(t);
}

/* mcast_solicit (3) NSs retrans_ms (1000) apart, FAILED retrans_ms after the last; the held
 * packets and the overflow dropped and counted; FAILED drops at once, then is removed. */
static void test_retransmit_and_timeout(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[4];
	struct neigh_stats st;
	uint8_t a[16], mac[6];
	unsigned ns = 0;

	(void)state;
	addr(a, "2001:db8:1::99");
	for (int i = 0; i < 5; i++)
		assert_int_equal(neigh_resolve(t, a, 0, PKT(10 + i), 0, mac),
				 i < 3 ? NEIGH_V_QUEUED : NEIGH_V_DROP_QUEUE);
	assert_int_equal(n_dropped, 2); /* the two that did not fit, at once */
	assert_int_equal(dropped[0], 13);
	assert_int_equal(dropped[1], 14);
	for (uint64_t now = 0; now < 3000; now += 50) {
		unsigned n = neigh_timer(t, now, act, 4);
		if (n) {
			assert_int_equal(n, 1);
			assert_int_equal(act[0].kind, NEIGH_ACT_NS_MCAST);
			assert_int_equal(now, 1000 * ns); /* at 0, 1000, 2000 */
			ns++;
		}
	}
	assert_int_equal(ns, 3);
	assert_int_equal(state_of(t, a, 0), NEIGH_INCOMPLETE);
	assert_int_equal(neigh_timer(t, 2999, act, 4), 0);
	assert_int_equal(neigh_timer(t, 3000, act, 4), 1);
	assert_int_equal(act[0].kind, NEIGH_ACT_FAILED);
	assert_int_equal(act[0].dropped, 3);
	assert_memory_equal(act[0].addr, a, 16);
	assert_int_equal(n_dropped, 5);
	assert_int_equal(dropped[2], 10);
	assert_int_equal(dropped[3], 11);
	assert_int_equal(dropped[4], 12);
	assert_int_equal(state_of(t, a, 0), NEIGH_FAILED);
	/* FAILED: packets dropped at once, no new NS */
	assert_int_equal(neigh_resolve(t, a, 0, PKT(15), 4000, mac), NEIGH_V_DROP_FAILED);
	assert_int_equal(dropped[5], 15);
	assert_int_equal(neigh_timer(t, 4000, act, 4), 0);
	neigh_get_stats(t, &st);
	assert_int_equal(st.ns_mcast, 3);
	assert_int_equal(st.failed, 1);
	assert_int_equal(st.drop_timeout, 3);
	assert_int_equal(st.drop_queue_full, 2);
	assert_int_equal(st.drop_failed, 1);
	assert_int_equal(st.queued, 3);
	/* failed_ms (20000) after the failure it is removed; the next packet starts over */
	assert_int_equal(neigh_timer(t, 3000 + 19999, act, 4), 0);
	assert_int_equal(state_of(t, a, 0), NEIGH_FAILED);
	assert_int_equal(neigh_timer(t, 3000 + 20000, act, 4), 0);
	assert_int_equal(state_of(t, a, 0), NEIGH__COUNT);
	assert_int_equal(neigh_resolve(t, a, 0, PKT(16), 30000, mac), NEIGH_V_QUEUED);
	assert_int_equal(neigh_timer(t, 30000, act, 4), 1);
	assert_int_equal(act[0].kind, NEIGH_ACT_NS_MCAST);
	neigh_get_stats(t, &st);
	assert_int_equal(st.expired, 1);
	assert_int_equal(st.created, 2);
	neigh_free(t);
	assert_int_equal(dropped[6], 16); /* freeing the table drops what it holds */
}

/* RFC 4861 §7.2.5 on a known entry. */
static void test_na_updates(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct rte_mbuf *out[4];
	uint8_t a[16], mac[6];
	unsigned n_out, s;

	(void)state;
	addr(a, "fe80::7");
	neigh_resolve(t, a, 0, PKT(1), 0, mac);
	assert_int_equal(neigh_update(t, a, 0, mac1, NEIGH_F_SOLICITED, 10, out, 4, &n_out),
			 NEIGH_REACHABLE);
	/* O=1, S=0, another address: updated, STALE */
	assert_int_equal(neigh_update(t, a, 0, mac2, NEIGH_F_OVERRIDE, 20, out, 4, &n_out),
			 NEIGH_STALE);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_memory_equal(mac, mac2, 6);
	/* O=0, S=1, another address: not an override, not REACHABLE: ignored */
	assert_int_equal(neigh_update(t, a, 0, mac3, NEIGH_F_SOLICITED, 30, out, 4, &n_out),
			 NEIGH_STALE);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_memory_equal(mac, mac2, 6);
	/* O=1, S=1: REACHABLE with the new address */
	assert_int_equal(
	    neigh_update(t, a, 0, mac3, NEIGH_F_SOLICITED | NEIGH_F_OVERRIDE, 40, out, 4, &n_out),
	    NEIGH_REACHABLE);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_memory_equal(mac, mac3, 6);
	/* S=1 without TLLA: confirmed, address kept */
	assert_int_equal(neigh_update(t, a, 0, NULL, NEIGH_F_SOLICITED, 50, out, 4, &n_out),
			 NEIGH_REACHABLE);
	/* O=0, S=0, another address while REACHABLE: STALE, address kept */
	assert_int_equal(neigh_update(t, a, 0, mac1, 0, 60, out, 4, &n_out), NEIGH_STALE);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_memory_equal(mac, mac3, 6);
	/* S=0 with the same address: no change */
	assert_int_equal(neigh_update(t, a, 0, mac3, 0, 70, out, 4, &n_out), NEIGH_STALE);
	/* an NA for a neighbour we never asked about */
	addr(a, "fe80::8");
	assert_int_equal(neigh_update(t, a, 0, mac1, NEIGH_F_SOLICITED, 80, out, 4, &n_out),
			 -ENOENT);
	assert_int_equal(state_of(t, a, 0), NEIGH__COUNT);
	neigh_free(t);
}

/* REACHABLE -> STALE (reachable_ms) -> used -> DELAY (delay_ms) -> PROBE: ucast_solicit
 * unicast NSs to the cached address -> removed; an NA during PROBE makes it REACHABLE. */
static void test_reachability_cycle(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[4];
	struct neigh_stats st;
	struct rte_mbuf *out[4];
	uint8_t a[16], mac[6];
	unsigned n_out, s;
	uint64_t t0 = 1000;

	(void)state;
	addr(a, "fe80::5");
	neigh_resolve(t, a, 3, PKT(1), 0, mac);
	neigh_timer(t, 0, act, 4);
	neigh_update(t, a, 3, mac1, NEIGH_F_SOLICITED, t0, out, 4, &n_out);
	assert_int_equal(neigh_timer(t, t0 + 29999, act, 4), 0);
	assert_int_equal(state_of(t, a, 3), NEIGH_REACHABLE);
	assert_int_equal(neigh_timer(t, t0 + 30000, act, 4), 0);
	assert_int_equal(state_of(t, a, 3), NEIGH_STALE);
	/* a worker sends through it: marked used; the next tick moves it to DELAY */
	assert_true(reader_mac(t, a, 3, mac, &s));
	assert_int_equal(s, NEIGH_STALE);
	assert_int_equal(neigh_timer(t, t0 + 30100, act, 4), 0);
	assert_int_equal(state_of(t, a, 3), NEIGH_DELAY);
	assert_true(reader_mac(t, a, 3, mac, &s)); /* still usable */
	assert_int_equal(neigh_timer(t, t0 + 35099, act, 4), 0);
	assert_int_equal(neigh_timer(t, t0 + 35100, act, 4), 1);
	assert_int_equal(state_of(t, a, 3), NEIGH_PROBE);
	assert_int_equal(act[0].kind, NEIGH_ACT_NS_UCAST);
	assert_int_equal(act[0].port, 3);
	assert_memory_equal(act[0].mac, mac1, 6);
	assert_int_equal(neigh_timer(t, t0 + 36099, act, 4), 0);
	assert_int_equal(neigh_timer(t, t0 + 36100, act, 4), 1);
	assert_int_equal(neigh_timer(t, t0 + 37100, act, 4), 1);
	assert_int_equal(act[0].kind, NEIGH_ACT_NS_UCAST);
	assert_true(reader_mac(t, a, 3, mac, &s));
	assert_int_equal(s, NEIGH_PROBE);
	/* three unicast NSs without answer: removed */
	assert_int_equal(neigh_timer(t, t0 + 38100, act, 4), 0);
	assert_int_equal(state_of(t, a, 3), NEIGH__COUNT);
	neigh_get_stats(t, &st);
	assert_int_equal(st.ns_ucast, 3);
	assert_int_equal(st.probe_failed, 1);
	assert_int_equal(st.live, 0);

	/* again, and this time the neighbour answers the first probe */
	neigh_resolve(t, a, 3, PKT(2), 50000, mac);
	neigh_timer(t, 50000, act, 4);
	neigh_update(t, a, 3, mac1, NEIGH_F_SOLICITED, 50001, out, 4, &n_out);
	neigh_timer(t, 80001, act, 4); /* STALE */
	assert_true(reader_mac(t, a, 3, mac, &s));
	neigh_timer(t, 80002, act, 4);			    /* DELAY */
	assert_int_equal(neigh_timer(t, 85002, act, 4), 1); /* PROBE, first NS */
	assert_int_equal(neigh_update(t, a, 3, NULL, NEIGH_F_SOLICITED, 85010, out, 4, &n_out),
			 NEIGH_REACHABLE);
	assert_int_equal(neigh_timer(t, 86010, act, 4), 0); /* no more probes */
	/* an unused STALE entry goes after stale_ms */
	neigh_timer(t, 85010 + 30000, act, 4);
	assert_int_equal(state_of(t, a, 3), NEIGH_STALE);
	neigh_timer(t, 85010 + 30000 + 59999, act, 4);
	assert_int_equal(state_of(t, a, 3), NEIGH_STALE);
	neigh_timer(t, 85010 + 30000 + 60000, act, 4);
	assert_int_equal(state_of(t, a, 3), NEIGH__COUNT);
	neigh_get_stats(t, &st);
	assert_int_equal(st.expired, 1);
	neigh_free(t);
}

static void test_static_entries(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[4];
	struct neigh_stats st;
	struct rte_mbuf *out[4];
	uint8_t a[16], b[16], mac[6];
	unsigned n_out, s;

	(void)state;
	addr(a, "fe80::1:1");
	addr(b, "fe80::1:2");
	assert_int_equal(neigh_add_static(t, a, 0, mac1), 0);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_int_equal(s, NEIGH_STATIC);
	assert_memory_equal(mac, mac1, 6);
	/* a day passes: no NS, no change */
	for (uint64_t now = 0; now <= 86400000ull; now += 3600000ull)
		assert_int_equal(neigh_timer(t, now, act, 4), 0);
	assert_int_equal(state_of(t, a, 0), NEIGH_STATIC);
	/* an NA (even an override) does not change it */
	assert_int_equal(
	    neigh_update(t, a, 0, mac2, NEIGH_F_SOLICITED | NEIGH_F_OVERRIDE, 1, out, 4, &n_out),
	    NEIGH_STATIC);
	assert_true(reader_mac(t, a, 0, mac, &s));
	assert_memory_equal(mac, mac1, 6);
	assert_int_equal(neigh_resolve(t, a, 0, PKT(1), 2, mac), NEIGH_V_SEND);
	/* replacing an INCOMPLETE entry: STATIC in place, the held packet dropped */
	assert_int_equal(neigh_resolve(t, b, 0, PKT(2), 3, mac), NEIGH_V_QUEUED);
	assert_int_equal(neigh_add_static(t, b, 0, mac3), 1);
	assert_int_equal(n_dropped, 1);
	assert_int_equal(dropped[0], 2);
	assert_true(reader_mac(t, b, 0, mac, &s));
	assert_int_equal(s, NEIGH_STATIC);
	assert_memory_equal(mac, mac3, 6);
	assert_int_equal(neigh_timer(t, 100000, act, 4), 0); /* no NS for it any more */
	neigh_get_stats(t, &st);
	assert_int_equal(st.statics, 2);
	assert_int_equal(st.live, 2);
	assert_int_equal(st.na_ignored, 1);
	assert_int_equal(neigh_del(t, a, 0), 0);
	assert_int_equal(neigh_del(t, a, 0), -ENOENT);
	assert_false(reader_mac(t, a, 0, mac, &s));
	neigh_get_stats(t, &st);
	assert_int_equal(st.statics, 1);
	assert_int_equal(st.live, 1);
	neigh_free(t);
}

static void test_table_full(void **state)
{
	struct neigh_table *t = new_table(4, 1);
	struct rte_mbuf *out[4];
	struct neigh_stats st;
	uint8_t a[16], mac[6];
	unsigned n_out;

	(void)state;
	for (int i = 0; i < 4; i++) {
		addr(a, "fe80::100");
		a[15] = (uint8_t)i;
		assert_int_equal(neigh_resolve(t, a, 0, PKT(i), 0, mac), NEIGH_V_QUEUED);
	}
	a[15] = 9;
	assert_int_equal(neigh_resolve(t, a, 0, PKT(9), 0, mac), NEIGH_V_DROP_FULL);
	assert_int_equal(n_dropped, 1);
	assert_int_equal(dropped[0], 9);
	assert_int_equal(neigh_add_static(t, a, 0, mac1), -ENOSPC);
	assert_int_equal(neigh_update(t, a, 0, mac1, NEIGH_F_NS, 0, out, 4, &n_out), -ENOSPC);
	/* an existing key is still served */
	a[15] = 2;
	assert_int_equal(neigh_resolve(t, a, 0, PKT(20), 0, mac), NEIGH_V_DROP_QUEUE);
	neigh_get_stats(t, &st);
	assert_int_equal(st.full, 3);
	assert_int_equal(st.drop_table_full, 1);
	assert_int_equal(st.drop_queue_full, 1);
	assert_int_equal(st.live, 4);
	/* room again once one goes */
	assert_int_equal(neigh_del(t, a, 0), 0);
	a[15] = 9;
	assert_int_equal(neigh_add_static(t, a, 0, mac1), 0);
	neigh_free(t);
}

/* §7.2.3: an NS's SLLA creates a STALE entry, and resolves an INCOMPLETE one. */
static void test_ns_learning(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct rte_mbuf *out[4];
	struct neigh_stats st;
	uint8_t a[16], mac[6];
	unsigned n_out, s;

	(void)state;
	addr(a, "fe80::33");
	assert_int_equal(neigh_update(t, a, 1, mac1, NEIGH_F_NS, 5, out, 4, &n_out), NEIGH_STALE);
	assert_true(reader_mac(t, a, 1, mac, &s));
	assert_memory_equal(mac, mac1, 6);
	/* a new address in a later NS: updated, STALE */
	assert_int_equal(neigh_update(t, a, 1, mac2, NEIGH_F_NS, 6, out, 4, &n_out), NEIGH_STALE);
	assert_true(reader_mac(t, a, 1, mac, &s));
	assert_memory_equal(mac, mac2, 6);
	addr(a, "fe80::34");
	neigh_resolve(t, a, 1, PKT(5), 10, mac);
	assert_int_equal(neigh_update(t, a, 1, mac3, NEIGH_F_NS, 11, out, 4, &n_out), NEIGH_STALE);
	assert_int_equal(n_out, 1);
	assert_ptr_equal(out[0], PKT(5));
	/* an NS without SLLA (DAD) changes nothing */
	addr(a, "fe80::35");
	assert_int_equal(neigh_update(t, a, 1, NULL, NEIGH_F_NS, 12, out, 4, &n_out), -ENOENT);
	neigh_get_stats(t, &st);
	assert_int_equal(st.learned, 1);
	assert_int_equal(st.resolved, 1);
	neigh_free(t);
}

/* More due entries than action slots: the rest wait for the next call. */
static void test_action_limit(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[2];
	uint8_t a[16], mac[6];

	(void)state;
	for (int i = 0; i < 3; i++) {
		addr(a, "fe80::200");
		a[15] = (uint8_t)i;
		neigh_resolve(t, a, 0, PKT(i), 0, mac);
	}
	assert_int_equal(neigh_timer(t, 0, act, 2), 2);
	assert_int_equal(neigh_timer(t, 0, act, 2), 1);
	assert_int_equal(act[0].addr[15], 2);
	assert_int_equal(neigh_timer(t, 0, act, 2), 0);
	neigh_free(t);
}

/* A removed record is freed only after the readers' grace period. */
static void test_deferred_free(void **state)
{
	struct neigh_table *t = new_table(16, 3);
	struct neigh_action act[2];
	struct neigh_stats st;
	uint8_t a[16];

	(void)state;
	addr(a, "fe80::44");
	assert_int_equal(rte_rcu_qsbr_thread_register(qsv, 2), 0);
	rte_rcu_qsbr_thread_online(qsv, 2);
	neigh_add_static(t, a, 0, mac1);
	assert_int_equal(neigh_del(t, a, 0), 0);
	neigh_timer(t, 0, act, 2);
	neigh_get_stats(t, &st);
	assert_int_equal(st.freed, 0);
	rte_rcu_qsbr_quiescent(qsv, 2);
	neigh_timer(t, 0, act, 2);
	neigh_get_stats(t, &st);
	assert_int_equal(st.freed, 1);
	rte_rcu_qsbr_thread_offline(qsv, 2);
	rte_rcu_qsbr_thread_unregister(qsv, 2);
	neigh_free(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Concurrent reader                                                                           */
/* ------------------------------------------------------------------------------------------ */

#define N_NB 64

struct reader_arg {
	struct neigh_table *t;
	volatile int stop;
	uint64_t lookups, usable, bad;
};

/* The writer gives neighbour i the address 02:00:00:00:i:g for some generation g: a reader
 * checks that any address it reads belongs to the key it asked for. */
static int reader_main(void *p)
{
	struct reader_arg *a = p;
	struct neigh_key keys[N_NB];
	const struct neigh_key *kp[32];
	struct neigh_entry *e[32];
	uint32_t x = 7;

	for (int i = 0; i < N_NB; i++) {
		uint8_t ad[16] = { 0xfe, 0x80, [15] = (uint8_t)i };
		neigh_key_make(&keys[i], ad, 0);
	}
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	while (!a->stop) {
		int idx[32];
		for (int i = 0; i < 32; i++) {
			x = x * 1103515245u + 12345u;
			idx[i] = (int)((x >> 8) % N_NB);
			kp[i] = &keys[idx[i]];
		}
		neigh_lookup_bulk(a->t, kp, 32, e);
		for (int i = 0; i < 32; i++) {
			uint8_t mac[6];
			unsigned s;
			if (e[i] == NULL)
				continue;
			if (neigh_entry_mac(e[i], mac, &s)) {
				a->usable++;
				if (mac[0] != 2 || mac[4] != idx[i])
					a->bad++;
			} else if (s != NEIGH_INCOMPLETE && s != NEIGH_FAILED) {
				a->bad++; /* NONE: a zeroed (freed) record */
			}
		}
		__atomic_fetch_add(&a->lookups, 32, __ATOMIC_RELAXED);
		rte_rcu_qsbr_quiescent(qsv, 0);
	}
	rte_rcu_qsbr_thread_offline(qsv, 0);
	rte_rcu_qsbr_thread_unregister(qsv, 0);
	return 0;
}

static void test_concurrent_reader(void **state)
{
	struct neigh_table *t = new_table(N_NB / 2, 2);
	struct reader_arg ra = { 0 };
	unsigned worker = rte_get_next_lcore(-1, 1, 0);
	struct neigh_action act[8];
	struct rte_mbuf *out[4];
	struct neigh_stats st;
	uint32_t x = 31337;
	uint64_t now = 0;

	(void)state;
	ra.t = t;
	assert_int_equal(rte_eal_remote_launch(reader_main, &ra, worker), 0);
	while (__atomic_load_n(&ra.lookups, __ATOMIC_RELAXED) == 0)
		rte_pause();
	for (int it = 0; it < 100000 || __atomic_load_n(&ra.lookups, __ATOMIC_RELAXED) < 64000;
	     it++) {
		uint8_t ad[16] = { 0xfe, 0x80 }, mac[6] = { 2, 0, 0, 0, 0, 0 };
		unsigned n_out;

		x = x * 1664525u + 1013904223u;
		ad[15] = (uint8_t)((x >> 8) % N_NB);
		mac[4] = ad[15];
		mac[5] = (uint8_t)it;
		switch ((x >> 24) % 6) {
		case 0:
		case 1:
			neigh_resolve(t, ad, 0, PKT(x % 64), now, mac);
			break;
		case 2:
			neigh_update(t, ad, 0, mac, NEIGH_F_SOLICITED | NEIGH_F_OVERRIDE, now, out,
				     4, &n_out);
			break;
		case 3:
			neigh_del(t, ad, 0);
			break;
		default:
			now += 700;
			while (neigh_timer(t, now, act, 8) == 8)
				;
		}
	}
	ra.stop = 1;
	rte_eal_wait_lcore(worker);
	neigh_get_stats(t, &st);
	print_message("reader: %" PRIu64 " lookups, %" PRIu64 " usable; writer: created %" PRIu64
		      " resolved %" PRIu64 " failed %" PRIu64 " full %" PRIu64 " freed %" PRIu64
		      "\n",
		      ra.lookups, ra.usable, st.created, st.resolved, st.failed, st.full, st.freed);
	assert_int_equal(ra.bad, 0);
	assert_true(ra.usable > 0);
	assert_true(st.created > 0 && st.resolved > 0 && st.freed > 0 && st.full > 0);
	assert_true(st.live <= N_NB / 2);
	neigh_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolution),
		cmocka_unit_test(test_retransmit_and_timeout),
		cmocka_unit_test(test_na_updates),
		cmocka_unit_test(test_reachability_cycle),
		cmocka_unit_test(test_static_entries),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_ns_learning),
		cmocka_unit_test(test_action_limit),
		cmocka_unit_test(test_deferred_free),
		cmocka_unit_test(test_concurrent_reader),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
