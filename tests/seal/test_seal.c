/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/seal: round trips, the documented header layout (seal.h), every octet of a sealed file
 * flipped in turn, truncation at every length, a wrong KEK, a foreign label, an unknown
 * version, the KEK file rules (mode, type, format) and the atomic write (a write that fails
 * leaves the previous file as it was and no temporary file behind).  The format is also
 * checked against an independent implementation (python3-cryptography) by test_seal.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "seal.h"

static const uint8_t key_a[32] = { 1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
				   17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };
static const uint8_t key_b[32] = { 0xff };

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fmipgw-test-seal.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[300];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_in(const char *name)
{
	static char p[4][512];
	static unsigned i;
	char *r = p[i++ % 4];
	snprintf(r, sizeof(p[0]), "%s/%s", tmpdir, name);
	return r;
}

static void write_file(const char *path, const void *p, size_t n, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static size_t read_file(const char *path, uint8_t *p, size_t cap)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t n = fread(p, 1, cap, f);
	fclose(f);
	return n;
}

static struct seal_kek *kek(const uint8_t *k)
{
	struct seal_kek *x;
	assert_int_equal(seal_kek_from_bytes(k, &x), SEAL_OK);
	return x;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* ---- round trip and layout ------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
	static uint8_t in[100000], file[100200];
	const size_t sizes[] = { 0, 1, 15, 16, 17, 1000, sizeof(in) };
	struct seal_kek *k;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	write_file(path_in("kek"), key_a, 32, 0600);
	assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)), SEAL_OK);
	for (unsigned s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		uint8_t *out = NULL;
		size_t len = 99;
		struct seal_info info;
		struct stat st;

		assert_int_equal(seal_write(k, path_in("keys.sealed"), "gw1", in, sizes[s],
					    1700000000, err, sizeof(err)),
				 SEAL_OK);
		assert_int_equal(stat(path_in("keys.sealed"), &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		/* the documented layout: 49 + L header octets, N ciphertext octets, 16 tag */
		size_t n = read_file(path_in("keys.sealed"), file, sizeof(file));
		assert_int_equal(n, 49 + 3 + sizes[s] + 16);
		assert_memory_equal(file, "FMIPSEAL", 8);
		assert_int_equal(file[8] << 8 | file[9], 1);
		assert_int_equal(file[10] << 8 | file[11], 0);
		assert_true(be64(file + 12) == 1700000000);
		assert_int_equal(file[28], 3);
		assert_memory_equal(file + 29, "gw1", 3);
		assert_true(be64(file + 29 + 3 + 12) == sizes[s]);
		if (sizes[s] >= 16) /* it is encrypted */
			assert_memory_not_equal(file + 52, in, 16);

		assert_int_equal(seal_open(k, path_in("keys.sealed"), "gw1", &out, &len, &info, err,
					   sizeof(err)),
				 SEAL_OK);
		assert_int_equal(len, sizes[s]);
		if (sizes[s])
			assert_memory_equal(out, in, sizes[s]);
		assert_int_equal(info.version, 1);
		assert_true(info.created == 1700000000);
		seal_buf_free(out, len);
	}
	seal_kek_free(k);
}

/* Two writes of the same buffer use fresh nonces: different nonce fields and ciphertexts. */
static void test_nonce_per_write(void **state)
{
	struct seal_kek *k = kek(key_a);
	uint8_t *a, *b, in[64] = { 0 };
	size_t la, lb;

	(void)state;
	assert_int_equal(seal_seal(k, "gw1", in, sizeof(in), 1, &a, &la), SEAL_OK);
	assert_int_equal(seal_seal(k, "gw1", in, sizeof(in), 1, &b, &lb), SEAL_OK);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, 32);			     /* same header up to the nonce */
	assert_memory_not_equal(a + 32, b + 32, 12);	     /* nonce */
	assert_memory_not_equal(a + 52, b + 52, sizeof(in)); /* ciphertext */
	seal_buf_free(a, la);
	seal_buf_free(b, lb);
	seal_kek_free(k);
}

/* ---- refusals ------------------------------------------------------------------------------- */

/* The code a flip at offset i must give, by the region of the header it falls in. */
static void expect_flip(size_t i, size_t label_len, int r)
{
	size_t nonce = 29 + label_len, nlen = nonce + 12;

	assert_int_not_equal(r, SEAL_OK);
	if (i < 8)
		assert_int_equal(r, SEAL_E_NOT_SEALED);
	else if (i < 12)
		assert_int_equal(r, SEAL_E_VERSION);
	else if (i < 20)
		assert_int_equal(r, SEAL_E_TAMPERED); /* created: authenticated */
	else if (i < 28)
		assert_int_equal(r, SEAL_E_WRONG_KEK);
	else if (i == 28) /* the label length: another label, or past the end */
		assert_true(r == SEAL_E_FOREIGN || r == SEAL_E_TRUNCATED);
	else if (i < nonce)
		assert_int_equal(r, SEAL_E_FOREIGN);
	else if (i >= nlen && i < nlen + 8) /* N: longer than the file, or octets left over */
		assert_true(r == SEAL_E_TRUNCATED || r == SEAL_E_TAMPERED);
	else
		assert_int_equal(r, SEAL_E_TAMPERED); /* nonce, ciphertext, tag */
}

static void test_every_octet_flipped(void **state)
{
	struct seal_kek *k = kek(key_a);
	uint8_t in[40], *f, *out;
	size_t fl, len;
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };

	(void)state;
	memset(in, 0x42, sizeof(in));
	assert_int_equal(seal_seal(k, "gateway-1", in, sizeof(in), 5, &f, &fl), SEAL_OK);
	for (size_t i = 0; i < fl; i++) {
		for (unsigned m = 0; m < sizeof(masks); m++) {
			f[i] ^= masks[m];
			int r = seal_unseal(k, "gateway-1", f, fl, &out, &len, NULL);
			assert_null(out);
			expect_flip(i, 9, r);
			f[i] ^= masks[m];
		}
	}
	assert_int_equal(seal_unseal(k, "gateway-1", f, fl, &out, &len, NULL), SEAL_OK);
	seal_buf_free(out, len);
	seal_buf_free(f, fl);
	seal_kek_free(k);
}

/* Cut at every length, in memory and (for a few lengths) as files: always TRUNCATED. */
static void test_truncated_everywhere(void **state)
{
	struct seal_kek *k = kek(key_a);
	uint8_t in[33], *f, *out;
	size_t fl, len;
	char err[256];

	(void)state;
	memset(in, 7, sizeof(in));
	assert_int_equal(seal_seal(k, "gw1", in, sizeof(in), 5, &f, &fl), SEAL_OK);
	for (size_t cut = 0; cut < fl; cut++) {
		assert_int_equal(seal_unseal(k, "gw1", f, cut, &out, &len, NULL), SEAL_E_TRUNCATED);
		assert_null(out);
	}
	const size_t cuts[] = { 0, 4, 30, fl - 1 };
	for (unsigned i = 0; i < 4; i++) {
		write_file(path_in("cut"), f, cuts[i], 0600);
		assert_int_equal(
		    seal_open(k, path_in("cut"), "gw1", &out, &len, NULL, err, sizeof(err)),
		    SEAL_E_TRUNCATED);
		assert_non_null(strstr(err, path_in("cut")));
		assert_non_null(strstr(err, "truncated"));
	}
	/* one octet too many is not a truncation: the file was changed */
	uint8_t *longer = malloc(fl + 1);
	memcpy(longer, f, fl);
	longer[fl] = 0;
	assert_int_equal(seal_unseal(k, "gw1", longer, fl + 1, &out, &len, NULL), SEAL_E_TAMPERED);
	free(longer);
	seal_buf_free(f, fl);
	seal_kek_free(k);
}

static void test_wrong_kek_foreign_version(void **state)
{
	struct seal_kek *a = kek(key_a), *b = kek(key_b);
	uint8_t in[8] = { 1 }, *f, *out;
	size_t fl, len;
	char err[256];

	(void)state;
	assert_int_equal(seal_write(a, path_in("s"), "gw1", in, sizeof(in), 0, err, sizeof(err)),
			 SEAL_OK);
	assert_int_equal(seal_open(b, path_in("s"), "gw1", &out, &len, NULL, err, sizeof(err)),
			 SEAL_E_WRONG_KEK);
	assert_null(out);
	assert_non_null(strstr(err, "another key-encryption key"));
	assert_int_equal(seal_open(a, path_in("s"), "gw10", &out, &len, NULL, err, sizeof(err)),
			 SEAL_E_FOREIGN);
	assert_int_equal(seal_open(a, path_in("s"), "gw", &out, &len, NULL, err, sizeof(err)),
			 SEAL_E_FOREIGN);
	assert_non_null(strstr(err, "another context"));
	/* version 2 (the header is authenticated, but the version is refused before) */
	assert_int_equal(seal_seal(a, "gw1", in, sizeof(in), 0, &f, &fl), SEAL_OK);
	f[9] = 2;
	assert_int_equal(seal_unseal(a, "gw1", f, fl, &out, &len, NULL), SEAL_E_VERSION);
	f[9] = 1;
	f[11] = 1; /* flags */
	assert_int_equal(seal_unseal(a, "gw1", f, fl, &out, &len, NULL), SEAL_E_VERSION);
	f[11] = 0;
	assert_int_equal(seal_unseal(a, "gw1", f, fl, &out, &len, NULL), SEAL_OK);
	seal_buf_free(out, len);
	/* not a sealed file at all */
	assert_int_equal(seal_unseal(a, "gw1", (const uint8_t *)"hello", 5, &out, &len, NULL),
			 SEAL_E_NOT_SEALED);
	/* labels: empty and over 255 octets are refused when writing */
	char big[300];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(seal_seal(a, "", in, 1, 0, &out, &len), SEAL_E_ARG);
	assert_int_equal(seal_seal(a, big, in, 1, 0, &out, &len), SEAL_E_ARG);
	big[255] = 0;
	assert_int_equal(seal_seal(a, big, in, 1, 0, &out, &len), SEAL_OK);
	seal_buf_free(out, len);
	seal_buf_free(f, fl);
	seal_kek_free(a);
	seal_kek_free(b);
}

/* ---- the KEK file --------------------------------------------------------------------------- */

static void test_kek_file_rules(void **state)
{
	static const mode_t refused[] = { 0644, 0640, 0604, 0700, 0660, 0601, 04600 };
	struct seal_kek *k;
	char err[512], hex[66];

	(void)state;
	for (unsigned i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		write_file(path_in("kek"), key_a, 32, refused[i]);
		assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)),
				 SEAL_E_KEK_MODE);
		assert_null(k);
		assert_non_null(strstr(err, path_in("kek")));
		assert_non_null(strstr(err, "chmod 600"));
	}
	write_file(path_in("kek"), key_a, 32, 0644);
	assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)), SEAL_E_KEK_MODE);
	assert_non_null(strstr(err, "mode 0644"));
	write_file(path_in("kek"), key_a, 32, 0400);
	assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)), SEAL_OK);
	seal_kek_free(k);
	/* a symbolic link to a good file: the file is what counts */
	write_file(path_in("kek"), key_a, 32, 0600);
	unlink(path_in("kek.link"));
	assert_int_equal(symlink(path_in("kek"), path_in("kek.link")), 0);
	assert_int_equal(seal_kek_load(path_in("kek.link"), &k, err, sizeof(err)), SEAL_OK);
	seal_kek_free(k);
	/* a directory */
	mkdir(path_in("kekdir"), 0700);
	assert_int_equal(seal_kek_load(path_in("kekdir"), &k, err, sizeof(err)), SEAL_E_KEK_FILE);
	assert_non_null(strstr(err, "regular file"));
	/* 64 hex characters (with and without a newline), 31 and 33 octets, empty, missing */
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key_a[i]);
	hex[64] = '\n';
	write_file(path_in("kek"), hex, 65, 0600);
	assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)), SEAL_E_KEK_FORMAT);
	assert_non_null(strstr(err, "hexadecimal"));
	assert_non_null(strstr(err, "openssl rand"));
	write_file(path_in("kek"), hex, 64, 0600);
	assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)), SEAL_E_KEK_FORMAT);
	const size_t bad[] = { 0, 31, 33 };
	for (unsigned i = 0; i < 3; i++) {
		uint8_t b[33] = { 0 };
		write_file(path_in("kek"), b, bad[i], 0600);
		assert_int_equal(seal_kek_load(path_in("kek"), &k, err, sizeof(err)),
				 SEAL_E_KEK_FORMAT);
		assert_non_null(strstr(err, "32 raw octets"));
	}
	assert_int_equal(seal_kek_load(path_in("nonexistent"), &k, err, sizeof(err)), SEAL_E_IO);
	assert_non_null(strstr(err, "nonexistent"));
}

/* ---- atomic write --------------------------------------------------------------------------- */

static unsigned dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * A write that fails half-way (the file size limit, RLIMIT_FSIZE, makes write() fail with
 * EFBIG) reports the failure, leaves the previous file intact and leaves no temporary file.
 * In a child process, so that the limit stays there.
 */
static void test_failed_write_keeps_old_file(void **state)
{
	static uint8_t big[200000], old[64];
	struct seal_kek *k = kek(key_a);
	uint8_t *out, before[200], after[200];
	size_t len, nb, na;
	char err[256];
	pid_t pid;
	int st;

	(void)state;
	mkdir(path_in("atomic"), 0700);
	const char *p = path_in("atomic/keys.sealed");
	memset(old, 0x11, sizeof(old));
	assert_int_equal(seal_write(k, p, "gw1", old, sizeof(old), 0, err, sizeof(err)), SEAL_OK);
	nb = read_file(p, before, sizeof(before));

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 4096, 4096 };
		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(10);
		int r = seal_write(k, p, "gw1", big, sizeof(big), 0, err, sizeof(err));
		_exit(r == SEAL_E_IO && strstr(err, "write of the temporary file failed") ? 0 : 11);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	na = read_file(p, after, sizeof(after));
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, nb);
	assert_int_equal(dir_entries(path_in("atomic")), 1); /* no temporary file left */
	assert_int_equal(seal_open(k, p, "gw1", &out, &len, NULL, err, sizeof(err)), SEAL_OK);
	assert_int_equal(len, sizeof(old));
	assert_memory_equal(out, old, sizeof(old));
	seal_buf_free(out, len);

	/* the rename fails (the target is a directory): the temporary file is removed */
	mkdir(path_in("atomic/adir"), 0700);
	assert_int_equal(seal_write(k, path_in("atomic/adir"), "gw1", old, 8, 0, err, sizeof(err)),
			 SEAL_E_IO);
	assert_non_null(strstr(err, "cannot replace"));
	assert_int_equal(dir_entries(path_in("atomic")), 2);
	/* a missing directory */
	assert_int_equal(seal_write(k, path_in("nodir/x"), "gw1", old, 8, 0, err, sizeof(err)),
			 SEAL_E_IO);
	/* an unwritable directory (only meaningful when not root: root writes anyway) */
	if (geteuid() != 0) {
		assert_int_equal(chmod(path_in("atomic"), 0500), 0);
		assert_int_equal(seal_write(k, p, "gw1", big, 10, 0, err, sizeof(err)), SEAL_E_IO);
		assert_int_equal(chmod(path_in("atomic"), 0700), 0);
		na = read_file(p, after, sizeof(after));
		assert_memory_equal(after, before, nb);
	}
	seal_kek_free(k);
}

/* With a secure heap set up, the KEK is allocated there (locked, out of core dumps). */
static void test_kek_in_secure_heap(void **state)
{
	struct seal_kek *k;

	(void)state;
	if (CRYPTO_secure_malloc_initialized() == 0)
		assert_int_not_equal(CRYPTO_secure_malloc_init(32768, 32), 0);
	k = kek(key_a);
	assert_int_equal(CRYPTO_secure_allocated(k), 1);
	seal_kek_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_nonce_per_write),
		cmocka_unit_test(test_every_octet_flipped),
		cmocka_unit_test(test_truncated_everywhere),
		cmocka_unit_test(test_wrong_kek_foreign_version),
		cmocka_unit_test(test_kek_file_rules),
		cmocka_unit_test(test_failed_write_keeps_old_file),
		cmocka_unit_test(test_kek_in_secure_heap),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
