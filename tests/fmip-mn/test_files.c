/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn's files: scenarios (values applied, every error with its file:line, --set), the
 * key-export file (exact text of the format, mode 0600), the identity cache (made 0700/0600,
 * reused byte for byte by a second run, refused when open to group or others).
 */
#include <sys/stat.h>
#include <unistd.h>

#include "ident.h"
#include "keyexp.h"
#include "mn_test.h"

static char tmpdir[64];

static int mk_tmp(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/fmip-mn-test-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int rm_tmp(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void load_fails(const char *text, const char *want)
{
	struct mn_scen s;
	char err[512], exp[600];
	const char *p = write_file("bad.ini", text);

	scen_defaults(&s);
	assert_int_equal(scen_load(&s, p, err, sizeof(err)), -1);
	snprintf(exp, sizeof(exp), "%s:%s", p, want);
	if (strcmp(err, exp) != 0)
		fail_msg("got '%s', expected '%s'", err, exp);
}

static void test_scenario_values(void **state)
{
	struct mn_scen s;
	char err[512];
	const char *p =
	    write_file("ok.ini", "; a comment\n[run]\nnodes = 12   ; inline\nseed=7\n"
				 "\n[gateway]\npar = 2003::99\ngw_mac = 02:aa:bb:cc:dd:ee\n"
				 "[provision]\npath_cache = node\n"
				 "[handover]\nreturn = no\n");

	(void)state;
	scen_defaults(&s);
	assert_int_equal(s.nodes, 16);
	assert_int_equal(s.bits, 1024);
	assert_true(s.ho_return);
	assert_int_equal(scen_load(&s, p, err, sizeof(err)), 0);
	assert_int_equal(s.nodes, 12);
	assert_int_equal(s.seed, 7);
	assert_int_equal(s.par[15], 0x99);
	assert_int_equal(s.gw_mac[5], 0xee);
	assert_int_equal(s.path_cache, MN_PATH_NODE);
	assert_false(s.ho_return);
	assert_int_equal(scen_set(&s, "attack.forged_fbu=3", err, sizeof(err)), 0);
	assert_int_equal(s.forged_fbu, 3);
	assert_int_equal(scen_set(&s, "attack.forged=3", err, sizeof(err)), -1);
	assert_string_equal(err, "--set attack.forged=3: unknown key");
	assert_int_equal(scen_set(&s, "run.nodes=0", err, sizeof(err)), -1);
	assert_string_equal(err, "--set run.nodes: 0 is outside 1..1000000");
	assert_int_equal(scen_check(&s, err, sizeof(err)), 0);
	assert_int_equal(scen_set(&s, "gateway.nar_prefix=2003::/64", err, sizeof(err)), 0);
	assert_int_equal(scen_check(&s, err, sizeof(err)), -1);
}

static void test_scenario_errors(void **state)
{
	(void)state;
	load_fails("[run]\nnodes = 3\n\n[runn]\n", "4: unknown section [runn]");
	load_fails("[run]\n\nnodez = 3\n", "3: unknown key 'nodez' in [run]");
	load_fails("[run]\nnodes = 3\nnodes = 4\n", "3: run.nodes appears twice (first at line 2)");
	load_fails("[run]\n[handover]\n[run]\n",
		   "3: section [run] appears twice (first at line 1)");
	load_fails("nodes = 3\n", "1: key outside a [section]");
	load_fails("[run]\nnodes\n", "2: syntax error (expected key = value)");
	load_fails("[run\n", "1: syntax error (expected [section])");
	load_fails("[identity]\nbits = 512\n", "2: identity.bits: 512 is outside 1024..4096");
	load_fails("[x]\n", "1: unknown section [x]");
	load_fails("[gateway]\n# c\npar = 2003::1::2\n",
		   "3: gateway.par: '2003::1::2' is not an IPv6 address");
	load_fails("[gateway]\nnar_prefix = 2003:0:0:2::/48\n",
		   "2: gateway.nar_prefix: the prefix must be a /64 (CGAs and NCoAs are prefix + "
		   "IID)");
	load_fails("[handover]\nreturn = maybe\n",
		   "2: handover.return: 'maybe' is not true or false");
	load_fails("[provision]\npath_cache = all\n",
		   "2: provision.path_cache: 'all' is not one of the allowed values");
	load_fails("[run]\nnodes = 12x\n", "2: run.nodes: '12x' is not a whole number");
}

/* The scenarios shipped in app/fmip-mn/scenarios load and pass the cross-key checks. */
static void test_shipped_scenarios(void **state)
{
	static const char *const files[] = { "handovers.ini", "10k.ini", "fbu-mix.ini",
					     "rtsolpr-set.ini", "attacks.ini" };
	struct mn_scen s;
	char path[512], err[512];

	(void)state;
	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", SCENARIOS_DIR, files[i]);
		scen_defaults(&s);
		if (scen_load(&s, path, err, sizeof(err)) != 0 || scen_check(&s, err, sizeof(err)))
			fail_msg("%s: %s", files[i], err);
	}
	scen_defaults(&s);
	snprintf(path, sizeof(path), "%s/10k.ini", SCENARIOS_DIR);
	assert_int_equal(scen_load(&s, path, err, sizeof(err)), 0);
	assert_int_equal(s.nodes, 10000);
	assert_int_equal(s.flood_rtsolpr, 10000);
}

static void test_key_export(void **state)
{
	uint8_t cga[16], key[20], sha[20];
	char path[128], line[256], err[256];
	struct mn_keyexp *x;
	struct stat st;
	FILE *f;

	(void)state;
	memcpy(cga, ref_fbu_pcoa_addr, 16);
	memcpy(key, ref_fbu_at0_key, 20);
	for (int i = 0; i < 20; i++)
		sha[i] = (uint8_t)(0xa0 + i);
	snprintf(path, sizeof(path), "%s/k.keys", tmpdir);
	x = mn_keyexp_open(path, err, sizeof(err));
	assert_non_null(x);
	assert_int_equal(mn_keyexp_add(x, cga, 0, key, 20, 43200, sha), 0);
	assert_int_equal(mn_keyexp_add(x, cga, 1, ref_fbu_at1_key, 32, 1, sha), 0);
	assert_int_equal(mn_keyexp_count(x), 2);
	assert_int_equal(mn_keyexp_close(x, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "fmip-mn-keys 1\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "# cga at key lifetime pk_sha1\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "2003::3049:deeb:fd31:70b0 0 000102030405060708090a0b0c0d0e0f"
				  "10111213 43200 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3\n");
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "2003::3049:deeb:fd31:70b0 1 202122232425262728292a2b2c2d2e2f"
				  "303132333435363738393a3b3c3d3e3f 1 "
				  "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3\n");
	assert_null(fgets(line, sizeof(line), f));
	fclose(f);
	/* refused records: AT > 15, lifetime 0; the file is then not left behind */
	snprintf(path, sizeof(path), "%s/bad.keys", tmpdir);
	x = mn_keyexp_open(path, err, sizeof(err));
	assert_int_equal(mn_keyexp_add(x, cga, 16, key, 20, 10, sha), -1);
	assert_int_equal(mn_keyexp_close(x, err, sizeof(err)), -1);
	assert_int_not_equal(access(path, F_OK), 0);
}

static void test_identity_cache(void **state)
{
	struct mn_ident_req r = { 1024, 1, { 0x20, 0x03 }, NULL };
	struct mn_ident_cost c1 = { 0 }, c2 = { 0 };
	struct send_creds a, b;
	char cache[128], sub[700], file[800], err[512];
	uint8_t da[1024], db[1024];
	struct stat st;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/ids", tmpdir);
	r.cache = cache;
	assert_int_equal(mn_ident_cache_open(&r, sub, sizeof(sub), err, sizeof(err)), 0);
	assert_int_equal(stat(cache, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_non_null(strstr(sub, "/rsa1024-sec1-2003000000000000"));
	assert_int_equal(mn_ident_get(&r, sub, 5, &a, &c1, err, sizeof(err)), 0);
	assert_int_equal(c1.generated, 1);
	assert_int_equal(c1.loaded, 0);
	assert_int_equal(cga_addr_sec(a.addr), 1);
	assert_true(c1.iterations >= 1);
	snprintf(file, sizeof(file), "%s/000005.key.pem", sub);
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a second run reads it back: the same address and the same key */
	assert_int_equal(mn_ident_get(&r, sub, 5, &b, &c2, err, sizeof(err)), 0);
	assert_int_equal(c2.generated, 0);
	assert_int_equal(c2.loaded, 1);
	assert_memory_equal(a.addr, b.addr, 16);
	assert_int_equal(cga_pubkey_der(a.key, da, sizeof(da)),
			 cga_pubkey_der(b.key, db, sizeof(db)));
	assert_memory_equal(da, db, cga_pubkey_der(a.key, NULL, 0));
	assert_int_equal(EVP_PKEY_eq(a.key, b.key), 1);
	send_creds_free(&b);
	/* refused: a key readable by others, a cache open to others */
	chmod(file, 0644);
	assert_int_equal(mn_ident_get(&r, sub, 5, &b, &c2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "readable by group or others (mode 0644)"));
	chmod(file, 0600);
	chmod(cache, 0755);
	assert_int_equal(mn_ident_cache_open(&r, sub, sizeof(sub), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "accessible by group or others (mode 0755)"));
	send_creds_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_values),	  cmocka_unit_test(test_scenario_errors),
		cmocka_unit_test(test_shipped_scenarios), cmocka_unit_test(test_key_export),
		cmocka_unit_test(test_identity_cache),
	};
	return cmocka_run_group_tests(tests, mk_tmp, rm_tmp);
}
