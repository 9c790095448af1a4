/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the router fast path's configuration (config/fwd_cfg.c) on files: route.<label>
 * entries and the route file in order with their lines, static neighbours, the exception map,
 * the reloadable keys of [icmp6]/[neighbours], the exchange of the lists on reload, and the
 * file:line of every refusal.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "cfg_test.h"
#include "config.h"

static char dir[] = "/tmp/fmipgw_fwd_cfg_test.XXXXXX";
static char keyf[128], conf[128], routes[128];

static int group_setup(void **state)
{
	(void)state;
	cfg_test_dir(dir, keyf, sizeof(keyf));
	snprintf(conf, sizeof(conf), "%s/gw.conf", dir);
	snprintf(routes, sizeof(routes), "%s/routes.txt", dir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(keyf);
	unlink(conf);
	unlink(routes);
	rmdir(dir);
	return 0;
}

/* Lines 1-5 are the fixed head; what follows starts at line 6. */
static void write_conf(const char *tail)
{
	FILE *f = fopen(conf, "w");

	assert_non_null(f);
	fprintf(f, "[router]\nkey_file = %s\nprefixes = 2003::/64\n[par]\naddresses = 2003::1\n%s",
		keyf, tail);
	fclose(f);
}

static void write_routes(const char *text)
{
	FILE *f = fopen(routes, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void assert_addr(const uint8_t a[16], const char *s)
{
	uint8_t b[16];

	assert_int_equal(inet_pton(AF_INET6, s, b), 1);
	assert_memory_equal(a, b, 16);
}

static void entries_in_order(void **state)
{
	struct gw_config cfg;
	char err[512], tail[512], msg[256], want[400];
	const struct gw_fwd_cfg *fc = &cfg.fwd;

	(void)state;
	write_routes("# core\n2001:db8:100::/40 via fe80::b port 1\n\n"
		     "2001:db8:1::1/128 local ; me\n");
	snprintf(tail, sizeof(tail),
		 "[routes]\n"					  /* 6 */
		 "route.up = default via fe80::1 port 1\n"	  /* 7 */
		 "file = %s\n"					  /* 8 */
		 "route.acc = 2001:db8:1::/64 connected port 0\n" /* 9 */
		 "[neighbours]\n"				  /* 10 */
		 "static.b = fe80::b port 1 02:00:00:00:0b:0b\n"  /* 11 */
		 "[icmp6]\nerror_rate = 7\n[exception]\nports = 2:0, 3:1\nnd = true\n",
		 routes);
	write_conf(tail);
	assert_int_equal(config_load(conf, &cfg, err, sizeof(err)), 0);
	assert_int_equal(fc->n_routes, 4);
	/* the labelled entries in file order, then the route file's */
	assert_int_equal(fc->routes[0].len, 0);
	assert_int_equal(fc->routes[0].kind, ROUTE_VIA);
	assert_addr(fc->routes[0].gw, "fe80::1");
	assert_int_equal(fc->route_line[0], 7);
	assert_int_equal(fc->routes[1].kind, ROUTE_CONNECTED);
	assert_int_equal(fc->routes[1].port, 0);
	assert_int_equal(fc->route_line[1], 9);
	assert_addr(fc->routes[2].prefix, "2001:db8:100::");
	assert_int_equal(fc->routes[2].len, 40);
	assert_int_equal(fc->route_line[2], 2 | GW_ROUTE_IN_FILE);
	assert_int_equal(fc->routes[3].kind, ROUTE_LOCAL);
	assert_int_equal(fc->route_line[3], 4 | GW_ROUTE_IN_FILE);
	/* errors about a route name its place */
	assert_int_equal(config_route_msg(&cfg, 1, "bad", msg, sizeof(msg)), 9);
	assert_string_equal(msg, "bad");
	assert_int_equal(config_route_msg(&cfg, 3, "bad", msg, sizeof(msg)), 8);
	snprintf(want, sizeof(want), "%s:4: bad", routes);
	assert_string_equal(msg, want);
	/* static neighbours, rates, the exception map */
	assert_int_equal(fc->n_statics, 1);
	assert_addr(fc->statics[0].addr, "fe80::b");
	assert_int_equal(fc->statics[0].port, 1);
	assert_memory_equal(fc->statics[0].mac, ((uint8_t[]){ 2, 0, 0, 0, 0xb, 0xb }), 6);
	assert_int_equal(fc->statics[0].line, 11);
	assert_int_equal(fc->error_rate, 7);
	assert_int_equal(fc->error_burst, 10);
	assert_int_equal(fc->exc_of[0], 2);
	assert_int_equal(fc->exc_of[1], 3);
	assert_int_equal(fc->exc_of[2], -1);
	assert_true(fc->nd);
	assert_int_equal(fc->max_routes, 1024);
	config_free(&cfg);
	assert_null(cfg.fwd.routes);
}

/* Reload: the new lists go live, the old ones leave with the loaded configuration. */
static void reload_swaps_lists(void **state)
{
	struct gw_config cur, loaded;
	char err[512], warn[512];
	struct route_spec *old;

	(void)state;
	write_conf("[routes]\nroute.a = default via fe80::1 port 1\n[icmp6]\nerror_rate = 5\n");
	assert_int_equal(config_load(conf, &cur, err, sizeof(err)), 0);
	write_conf("[routes]\nroute.a = default via fe80::2 port 1\n"
		   "route.b = 2001:db8::/32 via fe80::3 port 0\n[neighbours]\n"
		   "static.x = fe80::3 port 0 02:00:00:00:00:03\n[icmp6]\nerror_rate = 9\n");
	assert_int_equal(config_load(conf, &loaded, err, sizeof(err)), 0);
	old = cur.fwd.routes;
	assert_int_equal(config_apply_reload(&cur, &loaded, warn, sizeof(warn)), 0);
	assert_int_equal(cur.fwd.error_rate, 9); /* reloadable */
	assert_int_equal(cur.fwd.n_routes, 1);	 /* the lists are the routing code's to swap */
	config_fwd_swap(&cur, &loaded);
	assert_int_equal(cur.fwd.n_routes, 2);
	assert_addr(cur.fwd.routes[0].gw, "fe80::2");
	assert_int_equal(cur.fwd.n_statics, 1);
	assert_ptr_equal(loaded.fwd.routes, old);
	assert_int_equal(loaded.fwd.n_routes, 1);
	assert_int_equal(loaded.fwd.n_statics, 0);
	config_free(&loaded);
	config_free(&cur);
}

static void refusal(const char *tail, const char *want_at, const char *what)
{
	struct gw_config cfg;
	char err[512], want[512];

	write_conf(tail);
	assert_int_equal(config_load(conf, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%s", conf, want_at);
	if (strncmp(err, want, strlen(want)) != 0 || strstr(err, what) == NULL)
		fail_msg("got '%s', want '%s...%s'", err, want, what);
}

static void refusals_name_lines(void **state)
{
	char tail[256];

	(void)state;
	refusal("[routes]\nroute.x = 2001:db8::/129 via fe80::1 port 1\n",
		"7: route.x: ", "prefix length");
	refusal("[routes]\nroute. = default via fe80::1 port 1\n", "7: ", "unknown key 'route.'");
	refusal("[neighbours]\nstatic.x = ff02::1 port 0 02:00:00:00:00:01\n",
		"7: static.x: ", "not a unicast IPv6 address");
	refusal("[neighbours]\nstatic.x = fe80::1 port 0 03:00:00:00:00:01\n",
		"7: ", "not a unicast MAC");
	refusal("[exception]\nports = 1:0\n[routes]\nroute.x = default via fe80::1 port 1\n",
		"9: ", "port 1 is an exception port");
	refusal("[exception]\nports = 1:0\n[neighbours]\n"
		"static.x = fe80::1 port 1 02:00:00:00:00:01\n",
		"9: ", "static neighbour on port 1, an exception port");
	write_routes("2001:db8::/32 via fe80::1 port 1\nnot a route\n");
	snprintf(tail, sizeof(tail), "[routes]\nfile = %s\n", routes);
	refusal(tail, "7: ", "routes.txt:2: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(entries_in_order),
		cmocka_unit_test(reload_swaps_lists),
		cmocka_unit_test(refusals_name_lines),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
