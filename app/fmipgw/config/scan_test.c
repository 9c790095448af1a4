/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the configuration pre-scan (config/scan.c) and the route file's opening
 * (config/fwd_cfg.c) against what rte_cfgfile does with the same lines (found by
 * tests/fuzz/fuzz_config.c): '#' comment lines holding a '=' (rte_cfgfile reads them as
 * entries; before the first section they failed the whole file), a ';' before the '=' (it cuts
 * the line there: a syntax error on that line, not "cannot parse the file" on line 0), "\;" in a
 * value, and a route file that is not a regular file (a FIFO blocked the reader, a directory
 * read as empty).  No EAL.
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

#include <cmocka.h>

#include "cfg_test.h"
#include "config.h"

static char dir[] = "/tmp/fmipgw_scan_test.XXXXXX";
static char keyf[128], conf[128], fifo[128], sub[128];

static int group_setup(void **state)
{
	(void)state;
	cfg_test_dir(dir, keyf, sizeof(keyf));
	snprintf(conf, sizeof(conf), "%s/gw.conf", dir);
	snprintf(fifo, sizeof(fifo), "%s/routes.fifo", dir);
	snprintf(sub, sizeof(sub), "%s/routes.d", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(mkdir(sub, 0700), 0);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(keyf);
	unlink(conf);
	unlink(fifo);
	rmdir(sub);
	rmdir(dir);
	return 0;
}

/* head, then the fixed body (lines 1-5 after head), then tail; config_load's answer. */
static int load(const char *head, const char *tail, struct gw_config *cfg, char *err, size_t n)
{
	FILE *f = fopen(conf, "w");

	assert_non_null(f);
	fprintf(f,
		"%s[router]\nkey_file = %s\nprefixes = 2003::/64\n[par]\naddresses = 2003::1\n%s",
		head, keyf, tail);
	fclose(f);
	return config_load(conf, cfg, err, n);
}

static void refused(const char *head, const char *tail, const char *want_at)
{
	struct gw_config cfg;
	char err[512], want[512];

	assert_int_equal(load(head, tail, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:%s", conf, want_at);
	assert_string_equal(err, want);
}

/* '#' lines are comments wherever they are and whatever they hold. */
static void hash_comments_with_equals(void **state)
{
	struct gw_config cfg;
	char err[512];

	(void)state;
	assert_int_equal(load("# sample = 1\n#x=y\n",
			      "# [par] addresses = 2003::2\n[keys]\n"
			      "# hk_lifetime = 70000\nhk_lifetime = 600\n",
			      &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.n_par, 1);
	assert_int_equal(cfg.hk_lifetime, 600);
	config_free(&cfg);
}

/* A ';' starts a comment anywhere: before the '=' it leaves a line without one. */
static void semicolon_before_equals(void **state)
{
	(void)state;
	refused("", "[keys]\nhk_;lifetime = 600\n",
		"7: syntax error (expected [section] or key = value)");
	refused("", "[keys]\n; hk_lifetime = 70000\nhk_lifetime = 70000 ; too long\n",
		"8: hk_lifetime: 70000 is out of range [1, 65535]");
}

/* "\;" keeps the ';' (rte_cfgfile drops the '\'): the value is read whole. */
static void escaped_semicolon(void **state)
{
	(void)state;
	refused("", "[keys]\nhk_lifetime = 600\\;1\n",
		"7: hk_lifetime: '600;1' is not an unsigned number");
}

/* The route file must be a regular file: refused at once, with its line. */
static void route_file_not_regular(void **state)
{
	char tail[256], want[256];

	(void)state;
	snprintf(tail, sizeof(tail), "[routes]\nfile = %s\n", fifo);
	snprintf(want, sizeof(want), "7: [routes] file '%s' is not a regular file", fifo);
	refused("", tail, want);
	snprintf(tail, sizeof(tail), "[routes]\nfile = %s\n", sub);
	snprintf(want, sizeof(want), "7: [routes] file '%s' is not a regular file", sub);
	refused("", tail, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hash_comments_with_equals),
		cmocka_unit_test(semicolon_before_equals),
		cmocka_unit_test(escaped_semicolon),
		cmocka_unit_test(route_file_not_regular),
	};

	alarm(20); /* a reader blocked on the FIFO fails the test instead of hanging */
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
