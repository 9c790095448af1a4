/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the key-import parser (keyimp.h; [bench] key_import, issue 12), no EAL: a
 * valid file hands out exactly its records (bytes, lines), every refusal has its exact
 * "path:line: what", nothing is handed out when any line is wrong, the callback's error is
 * returned, and the file checks (mode 0644 refused with the chmod, absent file).
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

#include "keyimp.h"

static const char K20[] = "000102030405060708090a0b0c0d0e0f10111213";
static const char K32[] = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
static const char PK[] = "f4240000000000000000000000000000000000ab";

struct got {
	unsigned n;
	struct keyimp_rec r[8];
};

static int collect(void *ctx, const struct keyimp_rec *r, char *err, size_t len)
{
	struct got *g = ctx;

	(void)err;
	(void)len;
	if (g->n < 8)
		g->r[g->n] = *r;
	g->n++;
	return 0;
}

static int parse(const char *text, uint32_t max, struct got *g, char *err, size_t len)
{
	struct mac_cfg mac;
	unsigned count = 0;
	int rc;

	mac_cfg_defaults(&mac);
	memset(g, 0, sizeof(*g));
	rc = keyimp_parse("k.txt", (const uint8_t *)text, strlen(text), &mac, max, collect, g,
			  &count, err, len);
	if (rc == 0)
		assert_int_equal(count, g->n);
	return rc;
}

static void test_valid(void **state)
{
	char text[1024], err[256];
	struct got g;
	const uint8_t cga1[16] = {
		0x20, 0x03, [8] = 0x30, 0x49, 0xde, 0xeb, 0xfd, 0x31, 0x70, 0xb0
	};

	(void)state;
	snprintf(text, sizeof(text),
		 "fmip-mn-keys 1\n# cga at key lifetime pk_sha1\n"
		 "2003::3049:deeb:fd31:70b0 0 %s 43200 %s\n"
		 "#\n"
		 "2003::2 1 %s 1 %s\n"
		 "2003:0:0:0:0:0:0:3 0 %s 65535 %s\n",
		 K20, PK, K32, PK, K20, PK);
	assert_int_equal(parse(text, 16, &g, err, sizeof(err)), 0);
	assert_int_equal(g.n, 3);
	assert_memory_equal(g.r[0].cga, cga1, 16);
	assert_int_equal(g.r[0].at, 0);
	assert_int_equal(g.r[0].key_len, 20);
	for (int i = 0; i < 20; i++)
		assert_int_equal(g.r[0].key[i], i);
	assert_int_equal(g.r[0].lifetime, 43200);
	assert_int_equal(g.r[0].pk_sha1[0], 0xf4);
	assert_int_equal(g.r[0].pk_sha1[19], 0xab);
	assert_int_equal(g.r[0].line, 3);
	assert_int_equal(g.r[1].at, 1);
	assert_int_equal(g.r[1].key_len, 32);
	assert_int_equal(g.r[1].key[31], 0xbf);
	assert_int_equal(g.r[1].lifetime, 1);
	assert_int_equal(g.r[1].line, 5);
	assert_int_equal(g.r[2].cga[15], 3);
	assert_int_equal(g.r[2].lifetime, 65535);
	assert_int_equal(g.r[2].line, 6);
	/* the header alone: no record, fine */
	assert_int_equal(parse("fmip-mn-keys 1\n", 16, &g, err, sizeof(err)), 0);
	assert_int_equal(g.n, 0);
}

/* text with line 3 replaced by bad, then a valid line 4: the exact error, nothing out. */
static void refused(const char *bad, const char *want)
{
	char text[2048], err[256];
	struct got g;

	snprintf(text, sizeof(text), "fmip-mn-keys 1\n2003::1 0 %s 100 %s\n%s2003::9 0 %s 100 %s\n",
		 K20, PK, bad, K20, PK);
	assert_int_equal(parse(text, 16, &g, err, sizeof(err)), -1);
	if (strcmp(err, want) != 0)
		fail_msg("got '%s', want '%s'", err, want);
	assert_int_equal(g.n, 0);
}

static void test_refusals(void **state)
{
	char l[700];

	(void)state;
	refused("\n", "k.txt:3: empty line (comments start with '#')");
	refused("2003::3 0 x\n",
		"k.txt:3: a record is five fields one space apart: cga at key lifetime pk_sha1");
	snprintf(l, sizeof(l), "2003::3  0 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: a record is five fields one space apart: cga at key lifetime "
		   "pk_sha1");
	snprintf(l, sizeof(l), "2003::3 0 %s 100 %s \n", K20, PK);
	refused(l, "k.txt:3: a record is five fields one space apart: cga at key lifetime "
		   "pk_sha1");
	snprintf(l, sizeof(l), "2003::3 0 %s 100 %s extra\n", K20, PK);
	refused(l, "k.txt:3: a record is five fields one space apart: cga at key lifetime "
		   "pk_sha1");
	snprintf(l, sizeof(l), "2003::zz 0 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: cga '2003::zz' is not an IPv6 address");
	snprintf(l, sizeof(l), "2003::3 16 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: at '16' is not an AT (0..15)");
	snprintf(l, sizeof(l), "2003::3 00 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: at '00' is not an AT (0..15)");
	snprintf(l, sizeof(l), "2003::3 2 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: AT 2 is not enabled in [mac] at_map");
	snprintf(l, sizeof(l), "2003::3 0 %s 100 %s\n", K32, PK);
	refused(l, "k.txt:3: key of 32 octets: AT 0 (hmac-sha1) keys are 20 octets (A9)");
	snprintf(l, sizeof(l), "2003::3 1 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: key of 20 octets: AT 1 (hmac-sha256) keys are 32 octets (A9)");
	snprintf(l, sizeof(l), "2003::3 0 000102030405060708090A0B0C0D0E0F10111213 100 %s\n", PK);
	refused(l, "k.txt:3: key is not lower-case hexadecimal of 1..32 octets");
	snprintf(l, sizeof(l), "2003::3 0 %s 0 %s\n", K20, PK);
	refused(l, "k.txt:3: lifetime '0' is not 1..65535 seconds");
	snprintf(l, sizeof(l), "2003::3 0 %s 65536 %s\n", K20, PK);
	refused(l, "k.txt:3: lifetime '65536' is not 1..65535 seconds");
	snprintf(l, sizeof(l), "2003::3 0 %s 100 %.38s\n", K20, PK);
	refused(l, "k.txt:3: pk_sha1 is not 40 lower-case hexadecimal digits");
	snprintf(l, sizeof(l), "2003::3 0 %s 100 %s\r\n", K20, PK);
	refused(l, "k.txt:3: pk_sha1 is not 40 lower-case hexadecimal digits");
	snprintf(l, sizeof(l), "2003:0::1 0 %s 100 %s\n", K20, PK);
	refused(l, "k.txt:3: CGA 2003::1 is already on line 2");
	memset(l, 'x', 600);
	l[600] = '\n';
	l[601] = '\0';
	refused(l, "k.txt:3: line longer than 512 octets");
}

static void test_file_level(void **state)
{
	char text[1024], err[256];
	struct got g;

	(void)state;
	assert_int_equal(parse("", 16, &g, err, sizeof(err)), -1);
	assert_string_equal(
	    err, "k.txt:1: not a key-export file: the first line must be 'fmip-mn-keys 1'");
	assert_int_equal(parse("fmip-mn-keysX 1\n", 16, &g, err, sizeof(err)), -1);
	assert_string_equal(
	    err, "k.txt:1: not a key-export file: the first line must be 'fmip-mn-keys 1'");
	assert_int_equal(parse("fmip-mn-keys 2\n", 16, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "k.txt:1: 'fmip-mn-keys 2': key-export version not supported "
				 "(this gateway reads 'fmip-mn-keys 1')");
	assert_int_equal(parse("fmip-mn-keys 1", 16, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "k.txt:1: the line has no newline");
	snprintf(text, sizeof(text), "fmip-mn-keys 1\n2003::1 0 %s 100 %s", K20, PK);
	assert_int_equal(parse(text, 16, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "k.txt:2: the last line has no newline (a truncated file?)");
	/* capacity: the first record beyond it */
	snprintf(text, sizeof(text),
		 "fmip-mn-keys 1\n2003::1 0 %s 100 %s\n# c\n2003::2 0 %s 100 %s\n2003::3 0 %s 100 "
		 "%s\n",
		 K20, PK, K20, PK, K20, PK);
	assert_int_equal(parse(text, 2, &g, err, sizeof(err)), -1);
	assert_string_equal(err, "k.txt:5: more than 2 records: the key table holds 2 ([keys] "
				 "capacity)");
	assert_int_equal(g.n, 0);
	assert_int_equal(parse(text, 3, &g, err, sizeof(err)), 0);
	assert_int_equal(g.n, 3);
}

static int stop_at_second(void *ctx, const struct keyimp_rec *r, char *err, size_t len)
{
	unsigned *n = ctx;

	if (++*n == 2) {
		snprintf(err, len, "stop at line %u", r->line);
		return -7;
	}
	return 0;
}

static void test_callback_and_files(void **state)
{
	char text[1024], err[512], path[] = "/tmp/keyimp_test.XXXXXX";
	struct mac_cfg mac;
	unsigned n = 0, count = 0;
	FILE *f;
	int fd;

	(void)state;
	mac_cfg_defaults(&mac);
	snprintf(text, sizeof(text), "fmip-mn-keys 1\n2003::1 0 %s 100 %s\n2003::2 0 %s 100 %s\n",
		 K20, PK, K20, PK);
	assert_int_equal(keyimp_parse("k", (const uint8_t *)text, strlen(text), &mac, 16,
				      stop_at_second, &n, &count, err, sizeof(err)),
			 -7);
	assert_string_equal(err, "stop at line 3");

	fd = mkstemp(path); /* mode 0600 */
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	assert_int_equal(keyimp_load(path, &mac, 16, NULL, NULL, &count, err, sizeof(err)), 0);
	assert_int_equal(count, 2);
	chmod(path, 0640);
	assert_int_equal(keyimp_load(path, &mac, 16, NULL, NULL, &count, err, sizeof(err)),
			 KEYIMP_E_MODE);
	{
		char want[512];

		snprintf(want, sizeof(want),
			 "%s is readable or writable by group or others (mode 0640): it holds "
			 "handover keys; run: chmod 600 %s",
			 path, path);
		assert_string_equal(err, want);
	}
	unlink(path);
	assert_int_equal(keyimp_load(path, &mac, 16, NULL, NULL, &count, err, sizeof(err)),
			 KEYIMP_E_FILE);
	assert_non_null(strstr(err, "cannot open: No such file or directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_file_level),
		cmocka_unit_test(test_callback_and_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
