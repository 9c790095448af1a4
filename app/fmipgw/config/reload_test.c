/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the reload diff (config/reload.c) on configurations loaded from files: the
 * reloadable keys that changed are applied and their /fmipgw/config text replaced, the
 * start-up-only ones (and [ap.*] sections) are named and left as they are, an unchanged file
 * changes nothing, and the text array is published by a pointer swap (the old one kept until
 * the next reload).  No EAL (rte_cfgfile needs none).
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

static char dir[] = "/tmp/fmipgw_reload_test.XXXXXX";
static char keyf[128], fa[128], fb[128];

/* A configuration with the given hk_lifetime, pass_through, capacity, rtsolpr_rate and an
 * optional [ap.x] section. */
static void write_conf(const char *path, unsigned hk, const char *pass, unsigned cap, unsigned rate,
		       bool ap)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f,
		"[router]\nkey_file = %s\nprefixes = 2003::/64\n[par]\naddresses = 2003::1\n"
		"[keys]\nhk_lifetime = %u\ncapacity = %u\n[ports]\npass_through = %s\n"
		"[policer]\nrtsolpr_rate = %u\n",
		keyf, hk, cap, pass, rate);
	if (ap)
		fprintf(f, "[ap.x]\nlla = 02:00:00:00:00:09\nkind = no-fmip\n");
	fclose(f);
}

static int group_setup(void **state)
{
	(void)state;
	cfg_test_dir(dir, keyf, sizeof(keyf));
	snprintf(fa, sizeof(fa), "%s/a.conf", dir);
	snprintf(fb, sizeof(fb), "%s/b.conf", dir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(keyf);
	unlink(fa);
	unlink(fb);
	rmdir(dir);
	return 0;
}

/* The text of [section] key in cfg's /fmipgw/config array. */
static const char *text_of(const struct gw_config *cfg, const char *section, const char *key)
{
	for (unsigned i = 0; i < config_nkeys(); i++) {
		const char *s, *k, *t, *d, *h;
		bool rl;

		config_key_info(i, &s, &k, &t, &d, &rl, &h);
		if (strcmp(s, section) == 0 && strcmp(k, key) == 0)
			return cfg->text[i];
	}
	fail_msg("no key %s.%s", section, key);
	return NULL;
}

static void reload_applies_reloadable_only(void **state)
{
	struct gw_config cur, loaded;
	char err[512], warn[512];
	char(*before)[GW_CFG_TEXT];

	(void)state;
	write_conf(fa, 100, "drop", 1024, 10, false);
	write_conf(fb, 200, "same", 2048, 20, true);
	assert_int_equal(config_load(fa, &cur, err, sizeof(err)), 0);
	assert_int_equal(config_load(fb, &loaded, err, sizeof(err)), 0);
	before = cur.text;
	/* capacity (start-up only) and the new [ap.x] section: two changes not applied */
	assert_int_equal(config_apply_reload(&cur, &loaded, warn, sizeof(warn)), 2);
	assert_non_null(strstr(warn, "keys.capacity"));
	assert_non_null(strstr(warn, "[ap.*] sections (need a restart)"));
	assert_null(strstr(warn, "hk_lifetime"));
	/* the reloadable ones are in effect */
	assert_int_equal(cur.hk_lifetime, 200);
	assert_int_equal(cur.pass, GW_PASS_SAME);
	assert_int_equal(cur.pol[GW_EV_RTSOLPR].rate, 20);
	assert_string_equal(text_of(&cur, "keys", "hk_lifetime"), "200");
	assert_string_equal(text_of(&cur, "ports", "pass_through"), "same");
	/* the start-up-only ones are not */
	assert_int_equal(cur.capacity, 1024);
	assert_int_equal(cur.n_aps, 0);
	assert_string_equal(text_of(&cur, "keys", "capacity"), "1024");
	/* a new text array was published; the old one is kept for readers until next time */
	assert_ptr_not_equal(cur.text, before);
	assert_ptr_equal(cur.text_old, before);
	config_free(&loaded);

	/* the same file again: nothing to change, nothing to warn about */
	assert_int_equal(config_load(fa, &loaded, err, sizeof(err)), 0);
	write_conf(fb, 200, "same", 1024, 20, false);
	config_free(&loaded);
	assert_int_equal(config_load(fb, &loaded, err, sizeof(err)), 0);
	assert_int_equal(config_apply_reload(&cur, &loaded, warn, sizeof(warn)), 0);
	assert_string_equal(warn, "");
	assert_int_equal(cur.hk_lifetime, 200);
	config_free(&loaded);
	config_free(&cur);
}

/* A file that does not load names its line: the caller keeps the running configuration. */
static void bad_file_names_line(void **state)
{
	struct gw_config cfg;
	char err[512], want[256];
	FILE *f = fopen(fb, "w");

	(void)state;
	assert_non_null(f);
	fprintf(f, "[router]\nkey_file = %s\n[keys]\nhk_lifetime = 70000\n", keyf);
	fclose(f);
	assert_int_equal(config_load(fb, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:4: hk_lifetime: 70000 is out of range [1, 65535]", fb);
	assert_string_equal(err, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reload_applies_reloadable_only),
		cmocka_unit_test(bad_file_names_line),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
