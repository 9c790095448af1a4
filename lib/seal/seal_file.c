/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/seal, files: the KEK file (regular, mode 0600 or stricter, 32 raw octets), the atomic
 * write (temporary file in the same directory, fsync, rename, fsync of the directory) and
 * reading a sealed file back.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "seal.h"
#include "seal_priv.h"

/* Put one message line into the caller's buffer (may be NULL) and return code. */
__attribute__((format(printf, 4, 5))) static int fail(char *buf, size_t len, int code,
						      const char *fmt, ...)
{
	va_list ap;

	if (buf != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Read all of fd (at most cap octets) into b; -1 on error, else the count. */
static ssize_t read_all(int fd, uint8_t *b, size_t cap)
{
	size_t n = 0;

	while (n < cap) {
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		n += (size_t)r;
	}
	return (ssize_t)n;
}

static int hexish(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((b[i] >= '0' && b[i] <= '9') || (b[i] >= 'a' && b[i] <= 'f') ||
		      (b[i] >= 'A' && b[i] <= 'F') || (i == n - 1 && b[i] == '\n')))
			return 0;
	return 1;
}

int seal_kek_load(const char *path, struct seal_kek **kek, char *errbuf, size_t errlen)
{
	uint8_t b[SEAL_KEK_LEN * 2 + 2];
	struct stat st;
	ssize_t n;
	int fd, r;

	*kek = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return fail(errbuf, errlen, SEAL_E_IO, "%s: cannot open the key-encryption key: %s",
			    path, strerror(errno));
	/* the checks are on the file opened, not on the name (no race with a rename) */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(errbuf, errlen, SEAL_E_KEK_FILE,
			    "%s: the key-encryption key must be a regular file", path);
	}
	if ((st.st_mode & 07777 & ~(mode_t)0600) != 0) {
		close(fd);
		return fail(errbuf, errlen, SEAL_E_KEK_MODE,
			    "%s: mode 0%03o lets others than its owner use the key-encryption key; "
			    "run: chmod 600 %s",
			    path, (unsigned)(st.st_mode & 07777), path);
	}
	n = read_all(fd, b, sizeof(b));
	close(fd);
	if (n < 0)
		r = fail(errbuf, errlen, SEAL_E_IO, "%s: cannot read the key-encryption key: %s",
			 path, strerror(errno));
	else if (n == SEAL_KEK_LEN)
		r = seal_kek_from_bytes(b, kek);
	else if ((n == 2 * SEAL_KEK_LEN || n == 2 * SEAL_KEK_LEN + 1) && hexish(b, (size_t)n))
		r = fail(errbuf, errlen, SEAL_E_KEK_FORMAT,
			 "%s: holds hexadecimal text; the key-encryption key must be 32 raw "
			 "octets: (umask 077; openssl rand -out %s 32)",
			 path, path);
	else
		r = fail(errbuf, errlen, SEAL_E_KEK_FORMAT,
			 "%s: is not 32 octets long; the key-encryption key must be 32 raw "
			 "octets: (umask 077; openssl rand -out %s 32)",
			 path, path);
	OPENSSL_cleanse(b, sizeof(b));
	return r;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The directory part of path (for the temporary file and the directory fsync). */
static void dir_of(const char *path, char *dir, size_t cap)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, cap, "%s", dirname(tmp));
}

/* Write file atomically over path; on failure nothing is left and path is untouched. */
static int write_atomic(const char *path, const uint8_t *file, size_t len, char *errbuf,
			size_t errlen)
{
	char dir[4096], tmp[4200];
	const char *step;
	int fd, dfd, e;

	if (strlen(path) >= sizeof(dir) - 16)
		return fail(errbuf, errlen, SEAL_E_ARG, "%s: path too long", path);
	dir_of(path, dir, sizeof(dir));
	snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) /* mode 0600, O_EXCL */
		return fail(errbuf, errlen, SEAL_E_IO, "%s: cannot create a temporary file: %s",
			    path, strerror(errno));
	step = fchmod(fd, 0600) != 0	       ? "chmod"
	       : write_all(fd, file, len) != 0 ? "write"
	       : fsync(fd) != 0		       ? "fsync"
					       : NULL;
	if (step != NULL) {
		e = errno;
		close(fd);
		unlink(tmp);
		return fail(errbuf, errlen, SEAL_E_IO, "%s: %s of the temporary file failed: %s",
			    path, step, strerror(e));
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		return fail(errbuf, errlen, SEAL_E_IO, "%s: cannot replace the file: %s", path,
			    strerror(e));
	}
	/* the rename itself must reach the disk */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 || fsync(dfd) != 0) {
		e = errno;
		if (dfd >= 0)
			close(dfd);
		return fail(errbuf, errlen, SEAL_E_IO, "%s: fsync of its directory failed: %s",
			    path, strerror(e));
	}
	close(dfd);
	return SEAL_OK;
}

int seal_write(const struct seal_kek *kek, const char *path, const char *label, const uint8_t *buf,
	       size_t len, uint64_t created, char *errbuf, size_t errlen)
{
	uint8_t *file;
	size_t file_len;
	int r;

	if (path == NULL)
		return SEAL_E_ARG;
	if ((r = seal_seal(kek, label, buf, len, created, &file, &file_len)) != SEAL_OK)
		return fail(errbuf, errlen, r, "%s: cannot seal: %s", path, seal_strerror(r));
	r = write_atomic(path, file, file_len, errbuf, errlen);
	seal_buf_free(file, file_len);
	return r;
}

int seal_open(const struct seal_kek *kek, const char *path, const char *label, uint8_t **buf,
	      size_t *len, struct seal_info *info, char *errbuf, size_t errlen)
{
	const size_t max = SEAL_HDR_FIXED + SEAL_LABEL_MAX + (size_t)SEAL_MAX_LEN + SEAL_TAG_LEN;
	struct stat st;
	uint8_t *file;
	ssize_t n;
	int fd, r;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return fail(errbuf, errlen, SEAL_E_IO, "%s: cannot open: %s", path,
			    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(errbuf, errlen, SEAL_E_IO, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return fail(errbuf, errlen, SEAL_E_TOO_LARGE, "%s: %s", path,
			    seal_strerror(SEAL_E_TOO_LARGE));
	}
	if ((file = OPENSSL_malloc((size_t)st.st_size + 1)) == NULL) {
		close(fd);
		return SEAL_E_NOMEM;
	}
	n = read_all(fd, file, (size_t)st.st_size + 1);
	close(fd);
	if (n < 0) {
		OPENSSL_free(file);
		return fail(errbuf, errlen, SEAL_E_IO, "%s: cannot read: %s", path,
			    strerror(errno));
	}
	r = seal_unseal(kek, label, file, (size_t)n, buf, len, info);
	OPENSSL_free(file); /* ciphertext only */
	if (r != SEAL_OK)
		return fail(errbuf, errlen, r, "%s: %s", path, seal_strerror(r));
	return SEAL_OK;
}
