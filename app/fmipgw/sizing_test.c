/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the mbuf estimate (sizing.c), no EAL: every expected figure below is worked
 * out by hand from the formula of docs/operations.md ("Sizing the mbuf pool"), term by term,
 * in the comment above it; the messages carry the file:line of the key to change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sizing.h"

static struct gw_config cfg;
static char file[64];

/* Two ports of two RX queues, 1024/1024 descriptors, two workers, no slow-path lcore, routing
 * with the [neighbours] defaults: the documented two-worker layout. */
static void two_workers(struct gw_sizing_layout *l)
{
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.file, sizeof(cfg.file), "%s", file);
	cfg.mbuf_cache = 256;
	cfg.burst = 32;
	cfg.ring_size = 1024;
	cfg.fbu_pipeline_depth = 1;
	cfg.fwd.capacity = 4096;
	cfg.fwd.queue_len = 3;
	cfg.fwd.resolve_rate = 1000;
	cfg.fwd.resolve_burst = 64;
	cfg.fwd.mcast_solicit = 3;
	cfg.fwd.retrans_ms = 1000;
	*l = (struct gw_sizing_layout){ .lcores = 3,
					.workers = 2,
					.ports = 2,
					.rxq = { 2, 2 },
					.rxd = { 1024, 1024 },
					.txd = { 1024, 1024 },
					.routing = true,
					.fbu_held = 64,
					.relay_entries = 1023 };
}

static void test_terms(void **state)
{
	struct gw_sizing_layout l;
	struct gw_sizing s;
	char buf[256];

	(void)state;
	two_workers(&l);
	gw_sizing_compute(&cfg, &l, &s);
	assert_int_equal(s.rx, 4096);	  /* 2 ports x 2 queues x 1024 */
	assert_int_equal(s.tx, 6144);	  /* 2 ports x (2 + 1) queues x 1024 */
	assert_int_equal(s.caches, 1152); /* 3 lcores x 384 (1.5 x 256) */
	assert_int_equal(s.bursts, 96);	  /* 2 x 32 + 32 */
	assert_int_equal(s.fixed, 11488);
	assert_int_equal(s.held, 128); /* 2 x 64 FBUs */
	assert_int_equal(s.n_rings, 2);
	assert_int_equal(s.rings, 2046); /* 2 x 1023 */
	/* min(4096 x 3, 2 x (64 + 1000 x 3 x 1000 / 1000)) = min(12288, 6128) */
	assert_int_equal(s.neigh, 6128);
	assert_int_equal(s.total, 19790);
	gw_sizing_describe(&s, buf, sizeof(buf));
	assert_string_equal(buf, "rx 4096 + tx 6144 + caches 1152 + bursts 96 + held 128 + "
				 "rings 2046 + neighbours 6128 = 19790");
}

static void test_neigh(void **state)
{
	struct gw_sizing_layout l;

	(void)state;
	two_workers(&l);
	assert_int_equal(gw_sizing_neigh(&cfg, 2, false), 0); /* no routes: nothing resolved */
	cfg.fwd.capacity = 100;
	cfg.fwd.queue_len = 2;
	assert_int_equal(gw_sizing_neigh(&cfg, 2, true), 200); /* the table bounds it */
	cfg.fwd.capacity = 1u << 20;
	cfg.fwd.resolve_rate = 3; /* 3 x 3 x 1000 ms = 9 per worker, + 64 */
	assert_int_equal(gw_sizing_neigh(&cfg, 4, true), 4 * 73);
	cfg.fwd.resolve_rate = 1;
	cfg.fwd.retrans_ms = 10;
	cfg.fwd.mcast_solicit = 1; /* 1 x 10 ms at 1/s: rounded up to one packet */
	assert_int_equal(gw_sizing_neigh(&cfg, 1, true), 65);
	cfg.fwd.resolve_rate = 0; /* 0: no packet handed over */
	assert_int_equal(gw_sizing_neigh(&cfg, 4, true), 0);
}

static void test_refused_below_fixed(void **state)
{
	struct gw_sizing_layout l;
	struct gw_sizing s;
	char err[512], warn[512], want[128];

	(void)state;
	two_workers(&l);
	cfg.mbufs = 8191; /* the old sample: below the 11488 RX alone needs */
	gw_sizing_compute(&cfg, &l, &s);
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), -1);
	snprintf(want, sizeof(want), "%s:3: [ports] mbufs = 8191 cannot work", file);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "raise mbufs to at least 11488 (19790 with the rings"));
	cfg.mbufs = 11487;
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), -1);
	cfg.mbufs = 12511; /* 11488 + 1023: a ring of 1023 would hold all that is left */
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), -1);
	assert_non_null(strstr(err, "[rings] ring_size = 1024 cannot work"));
	assert_non_null(strstr(err, "lower ring_size to 512 or raise mbufs to at least 12512"));
	cfg.mbufs = 12512; /* works, but a flood of unresolved next hops can drain it */
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), 0);
	snprintf(want, sizeof(want), "%s:6: [neighbours] queue_len = 3: up to 6128 packets", file);
	assert_non_null(strstr(warn, want));
	assert_non_null(strstr(warn, "raise mbufs to 19790"));
	cfg.mbufs = 19790; /* everything fits: no warning */
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), 0);
	assert_string_equal(warn, "");
}

static void test_ring_alone(void **state)
{
	struct gw_sizing_layout l = { .lcores = 2,
				      .workers = 1,
				      .ports = 1,
				      .rxq = { 1 },
				      .rxd = { 128 },
				      .txd = { 128 },
				      .fbu_held = 64,
				      .relay_entries = 1023 };
	struct gw_sizing s;
	char err[512], warn[512], want[128];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.file, sizeof(cfg.file), "%s", file);
	cfg.mbufs = 2047;
	cfg.mbuf_cache = 32;
	cfg.burst = 32;
	cfg.ring_size = 2048;
	/* fixed = 128 + 2 x 128 + 2 x 48 + (32 + 32) = 544; 2047 - 544 = 1503 <= 2047 */
	gw_sizing_compute(&cfg, &l, &s);
	assert_int_equal(s.fixed, 544);
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), -1);
	snprintf(want, sizeof(want), "%s:9: [rings] ring_size = 2048 cannot work", file);
	assert_non_null(strstr(err, want));
	assert_non_null(strstr(err, "one ring could hold 2047 mbufs, all the 1503"));
	assert_non_null(strstr(err, "lower ring_size to 1024 or raise mbufs to at least 2592"));
	cfg.ring_size = 1024; /* 1023 < 1503: works; 544 + 64 + 1023 = 1631 fits */
	gw_sizing_compute(&cfg, &l, &s);
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), 0);
	assert_string_equal(warn, "");
}

static void test_rings_risky(void **state)
{
	/* four workers, two slow-path lcores, one distributed port relaying control TX */
	struct gw_sizing_layout l = { .lcores = 7,
				      .workers = 4,
				      .slow = 2,
				      .ports = 1,
				      .rxq = { 1 },
				      .rxd = { 256 },
				      .txd = { 256 },
				      .dist = true,
				      .relay = true,
				      .fbu_held = 64,
				      .relay_entries = 1023 };
	struct gw_sizing s;
	char err[512], warn[512], want[160];

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.file, sizeof(cfg.file), "%s", file);
	cfg.mbufs = 8191;
	cfg.burst = 32;
	cfg.ring_size = 512;
	gw_sizing_compute(&cfg, &l, &s);
	assert_int_equal(s.tx, 1280);	 /* (4 + 1) x 256 */
	assert_int_equal(s.bursts, 162); /* 4 x 32 + 32 + 2 */
	assert_int_equal(s.fixed, 1698); /* 256 + 1280 + 0 + 162 */
	assert_int_equal(s.held, 1535);	 /* depth 0: no FBU; relay 1023 + 2 x 256 */
	assert_int_equal(s.n_rings, 16); /* 4 x (control + 2 slow + distribution) */
	assert_int_equal(s.rings, 8176);
	assert_int_equal(s.total, 11409);
	assert_int_equal(gw_sizing_check(&cfg, &s, err, sizeof(err), warn, sizeof(warn)), 0);
	snprintf(want, sizeof(want),
		 "%s:9: [rings] ring_size = 512: 16 rings of mbufs can hold 8176", file);
	assert_non_null(strstr(warn, want));
	assert_non_null(strstr(warn, "raise mbufs to 11409 or lower ring_size"));
}

int main(void)
{
	static const char text[] = "[ports]\n"
				   "rx_desc = 1024\n"
				   "mbufs = 8191\n"
				   "[neighbours]\n"
				   "capacity = 4096\n"
				   "queue_len = 3\n"
				   "; rings\n"
				   "[rings]\n"
				   "ring_size = 1024\n";
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_neigh),
		cmocka_unit_test(test_refused_below_fixed),
		cmocka_unit_test(test_ring_alone),
		cmocka_unit_test(test_rings_risky),
	};
	FILE *f;
	int rc;

	snprintf(file, sizeof(file), "/tmp/fmipgw_sizing_%d.conf", (int)getpid());
	f = fopen(file, "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(file);
	return rc;
}
