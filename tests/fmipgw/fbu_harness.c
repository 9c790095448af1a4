/* SPDX-License-Identifier: BSD-3-Clause */
/* The harness of the worker-level FBU test — see fbu_harness.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "dp.h"
#include "fbu_harness.h"
#include "gw.h"

#define WORKER_LCORE 1

static struct gw gw;
static struct rte_ring *rxr[2], *txr[2]; /* the two ports' RX and TX rings */

int fbuw_setup(void)
{
	char prefix[64], err[256] = "";
	char *argv[] = { "fbu_worker_test",
			 "--no-huge",
			 "--no-pci",
			 "-m",
			 "512",
			 "-l",
			 "0-1",
			 "--file-prefix",
			 prefix,
			 "--log-level",
			 "lib.eal:error",
			 NULL };

	snprintf(prefix, sizeof(prefix), "fmipgw_fbuw_%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	gw_log.fast = gw_log.ctrl = gw_log.cfg = gw_log.crypto =
	    rte_log_register_type_and_pick_level("fmipgw.test", RTE_LOG_WARNING);
	gw.tsc_hz = rte_get_tsc_hz();
	gw.n_workers = 1;
	memcpy(gw.cfg.par[0], fr_par, 16);
	gw.cfg.n_par = 1;
	gw.cfg.router_addr[0] = 0xfe;
	gw.cfg.router_addr[1] = 0x80;
	gw.cfg.router_addr[15] = 1;
	gw.cfg.burst = 32;
	gw.cfg.pass = GW_PASS_SAME;
	gw.cfg.mbufs = 32767;
	gw.cfg.mbuf_cache = 0;
	gw.cfg.rx_desc = gw.cfg.tx_desc = 1024;
	mac_cfg_defaults(&gw.cfg.mac);
	gw.qsv = rte_zmalloc(NULL, rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	for (unsigned p = 0; p < 2; p++) {
		char name[32];

		snprintf(name, sizeof(name), "fbuw_rx%u", p);
		rxr[p] = rte_ring_create(name, 16384, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "fbuw_tx%u", p);
		txr[p] = rte_ring_create(name, 16384, 0, RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "fbuw%u", p);
		if (rxr[p] == NULL || txr[p] == NULL ||
		    rte_eth_from_rings(name, &rxr[p], 1, &txr[p], 1, 0) < 0)
			return -1;
	}
	if (gw.qsv == NULL || rte_rcu_qsbr_init(gw.qsv, 1) != 0 ||
	    mac_engine_create(&gw.cfg.mac, &gw.mac) != 0 ||
	    gw_ports_init(&gw, err, sizeof(err)) < 0) {
		fprintf(stderr, "set-up: %s\n", err);
		return -1;
	}
	return 0;
}

void fbuw_set_burst(uint32_t burst)
{
	gw.cfg.burst = burst;
}

/* The run's key table: every key not absent; expired ones added at time 0 for 1 s (A13). */
static struct keytab *make_table(unsigned n, const struct fr_key *ks)
{
	static unsigned no;
	static const uint8_t sha[20];
	char name[32];
	struct keytab_cfg kc = { .name = name, .capacity = 1024, .qsv = gw.qsv, .mac = gw.mac };
	struct keytab *kt = NULL;
	uint64_t now = rte_rdtsc() / gw.tsc_hz;

	snprintf(name, sizeof(name), "fbuw_%u", no++);
	assert_int_equal(keytab_create(&kc, &kt), 0);
	for (unsigned i = 0; i < n; i++)
		if (!ks[i].absent)
			assert_true(keytab_add(kt, ks[i].pcoa, ks[i].at, ks[i].key, ks[i].key_len,
					       sha, ks[i].expired ? 0 : now,
					       ks[i].expired ? 1 : 3600) >= 0);
	return kt;
}

static void feed(const struct fr_list *l, unsigned port)
{
	for (unsigned i = 0; i < l->n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(gw.pool);
		char *d = m != NULL ? rte_pktmbuf_append(m, l->len[i]) : NULL;

		assert_non_null(d);
		memcpy(d, l->p[i], l->len[i]);
		assert_int_equal(rte_ring_enqueue(rxr[port], m), 0);
	}
}

static void take(struct rte_ring *r, struct fr_list *out, bool with_ev)
{
	struct rte_mbuf *m;

	while (rte_ring_dequeue(r, (void **)&m) == 0) {
		uint8_t b[FR_MAX + 1];
		unsigned o = with_ev ? 1 : 0;

		assert_true(m->data_len + o <= sizeof(b));
		b[0] = with_ev ? (uint8_t)gw_meta(&gw, m)->ev : 0;
		memcpy(b + o, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
		fr_add(out, b, m->data_len + o);
		rte_pktmbuf_free(m);
	}
}

/* Until the RX rings are empty: the worker on its lcore (its loop, its pipeline across turns;
 * stopped, it verifies what it holds) or turns polled here. */
static void work(struct gw_worker *w, bool shared)
{
	if (shared) {
		while (rte_ring_count(rxr[0]) + rte_ring_count(rxr[1]) != 0)
			dp_worker_poll(w); /* verifies what it looked up before going offline */
		return;
	}
	gw.running = 1;
	assert_int_equal(rte_eal_remote_launch(dp_worker_main, w, WORKER_LCORE), 0);
	while (rte_ring_count(rxr[0]) + rte_ring_count(rxr[1]) != 0)
		rte_pause();
	__atomic_store_n(&gw.running, 0, __ATOMIC_RELEASE);
	assert_int_equal(rte_eal_wait_lcore(WORKER_LCORE), 0);
}

void fbuw_run(const struct fr_list *const *phases, int n_ph, const struct fr_key *ks,
	      unsigned n_keys, struct fbuw_setting s, uint32_t ring_size, struct fbuw_result *res)
{
	struct gw_worker *w = NULL;
	char err[256];

	memset(res, 0, sizeof(*res));
	gw.kt = make_table(n_keys, ks);
	gw.cfg.fbu_fast_decode = s.fast;
	gw.cfg.fbu_pipeline_depth = s.depth;
	gw.cfg.ring_size = ring_size;
	assert_int_equal(dp_worker_create(&gw, 0, s.shared ? rte_lcore_id() : WORKER_LCORE, &w, err,
					  sizeof(err)),
			 0);
	for (int p = 0; p < (n_ph < 0 ? 1 : n_ph); p++) {
		for (int q = 0; q < (n_ph < 0 ? -n_ph : 1); q++)
			feed(phases[n_ph < 0 ? q : p], (unsigned)(n_ph < 0 ? q : 0));
		work(w, s.shared);
		take(w->ring, &res->ev, true);
	}
	take(txr[0], &res->tx, false);
	take(txr[1], &res->tx, false);
	res->cnt = w->cnt;
	dp_worker_free(w);
	keytab_free(gw.kt);
	gw.kt = NULL;
}

static int cnt_print(void *ctx, const char *name, const char *unit, const char *help, uint64_t v)
{
	(void)ctx;
	(void)unit;
	(void)help;
	if (v != 0)
		print_message("  %s %lu\n", name, (unsigned long)v);
	return 0;
}

void fbuw_check_expect(const struct fbuw_result *r, const struct fbuw_expect *e)
{
	const struct gw_counters *c = &r->cnt;

	if (getenv("FBUW_VERBOSE") != NULL)
		counters_foreach(c, cnt_print, NULL);
	assert_int_equal(c->rx_packets, e->rx);
	assert_int_equal(c->fbu_rx, e->fbu_rx);
	assert_int_equal(c->fbu_accepted, e->accepted);
	assert_int_equal(c->drop_fbu_stale_seq, e->stale);
	assert_int_equal(c->drop_fbu_bad_mac, e->bad_mac);
	assert_int_equal(c->drop_fbu_spi, e->spi);
	assert_int_equal(c->drop_fbu_expired, e->expired);
	assert_int_equal(c->drop_fbu_no_key, e->no_key);
	assert_int_equal(c->drop_fbu_ring_full, e->ring_full);
	assert_int_equal(c->drop_fbu_no_hao, 0);
	assert_int_equal(c->drop_fbu_mac_input, 0);
	assert_int_equal(c->ctrl_rtsolpr, e->ctrl_rtsolpr);
	assert_int_equal(c->pass_tx, e->pass_tx);
	assert_int_equal(c->drop_malformed, e->malformed);
	/* each frame has exactly one outcome */
	assert_int_equal(c->fbu_accepted + c->drop_fbu_stale_seq + c->drop_fbu_bad_mac +
			     c->drop_fbu_spi + c->drop_fbu_expired + c->drop_fbu_no_key +
			     c->drop_fbu_ring_full,
			 c->fbu_rx);
	assert_int_equal(c->fbu_rx + c->ctrl_rtsolpr + c->pass_tx + c->drop_malformed,
			 c->rx_packets);
}

void fbuw_all_sent(const struct fr_list *out, unsigned skip, const struct fr_list *in)
{
	for (unsigned i = 0; i < out->n; i++) {
		bool found = false;

		for (unsigned j = 0; j < in->n && !found; j++)
			found = in->len[j] + skip == out->len[i] &&
				memcmp(in->p[j], out->p[i] + skip, in->len[j]) == 0;
		assert_true(found);
	}
}

struct cnt_list {
	unsigned n;
	const char *name[256];
	uint64_t v[256];
};

static int cnt_take(void *ctx, const char *name, const char *unit, const char *help, uint64_t v)
{
	struct cnt_list *l = ctx;

	(void)unit;
	(void)help;
	if (l->n < 256) {
		l->name[l->n] = name;
		l->v[l->n++] = v;
	}
	return 0;
}

void fbuw_same_counters(const struct fbuw_result *a, const struct fbuw_result *b, const char *what)
{
	struct cnt_list x = { 0 }, y = { 0 };
	int bad = 0;

	counters_foreach(&a->cnt, cnt_take, &x);
	counters_foreach(&b->cnt, cnt_take, &y);
	assert_int_equal(x.n, y.n);
	for (unsigned i = 0; i < x.n; i++)
		if (x.v[i] != y.v[i] && strcmp(x.name[i], "busy_ticks") != 0) {
			print_message("%s: %s %lu != %lu\n", what, x.name[i], (unsigned long)x.v[i],
				      (unsigned long)y.v[i]);
			bad = 1;
		}
	assert_int_equal(bad, 0);
}

static const struct fr_list *sort_list;
static int cmp_frame(const void *a, const void *b)
{
	unsigned i = *(const unsigned *)a, j = *(const unsigned *)b;

	if (sort_list->len[i] != sort_list->len[j])
		return sort_list->len[i] < sort_list->len[j] ? -1 : 1;
	return memcmp(sort_list->p[i], sort_list->p[j], sort_list->len[i]);
}

void fbuw_same_frames(const struct fr_list *a, const struct fr_list *b, bool ordered)
{
	static unsigned ia[FR_FRAMES], ib[FR_FRAMES];

	assert_int_equal(a->n, b->n);
	for (unsigned i = 0; i < a->n; i++)
		ia[i] = ib[i] = i;
	if (!ordered) {
		sort_list = a;
		qsort(ia, a->n, sizeof(unsigned), cmp_frame);
		sort_list = b;
		qsort(ib, b->n, sizeof(unsigned), cmp_frame);
	}
	for (unsigned i = 0; i < a->n; i++) {
		assert_int_equal(a->len[ia[i]], b->len[ib[i]]);
		assert_memory_equal(a->p[ia[i]], b->p[ib[i]], a->len[ia[i]]);
	}
}
