/* SPDX-License-Identifier: BSD-3-Clause */
/* fmip-mn key export: the file format of keyexp.h, written 0600 through a temporary name. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "keyexp.h"

struct mn_keyexp {
	FILE *f;
	char path[512], tmp[560];
	unsigned n;
	int err;
	char iobuf[8192]; /* stdio's buffer: ours, so that it is cleansed at close */
};

struct mn_keyexp *mn_keyexp_open(const char *path, char *err, size_t len)
{
	struct mn_keyexp *x = calloc(1, sizeof(*x));
	int fd;

	if (x == NULL || strlen(path) >= sizeof(x->path)) {
		free(x);
		snprintf(err, len, "%s: cannot create the key-export file", path);
		return NULL;
	}
	strcpy(x->path, path);
	snprintf(x->tmp, sizeof(x->tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(x->tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (x->f = fdopen(fd, "w")) == NULL) {
		snprintf(err, len, "%s: cannot create: %s", x->tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(x);
		return NULL;
	}
	setvbuf(x->f, x->iobuf, _IOFBF, sizeof(x->iobuf));
	fprintf(x->f, "%s %d\n# cga at key lifetime pk_sha1\n", MN_KEYEXP_MAGIC, MN_KEYEXP_VERSION);
	return x;
}

static void hex(FILE *f, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

int mn_keyexp_add(struct mn_keyexp *x, const uint8_t cga[16], uint8_t at, const uint8_t *key,
		  size_t key_len, uint32_t lifetime, const uint8_t pk_sha1[20])
{
	char a[INET6_ADDRSTRLEN];

	if (at > 15 || key_len == 0 || key_len > HK_KEY_MAX || lifetime == 0 || lifetime > 65535)
		return x->err = -1;
	fprintf(x->f, "%s %u ", inet_ntop(AF_INET6, cga, a, sizeof(a)), at);
	hex(x->f, key, key_len);
	fprintf(x->f, " %u ", lifetime);
	hex(x->f, pk_sha1, 20);
	fputc('\n', x->f);
	x->n++;
	return 0;
}

unsigned mn_keyexp_count(const struct mn_keyexp *x)
{
	return x->n;
}

int mn_keyexp_close(struct mn_keyexp *x, char *err, size_t len)
{
	int rc = x->err;

	if (fclose(x->f) != 0)
		rc = -1;
	if (rc == 0 && rename(x->tmp, x->path) != 0)
		rc = -1;
	if (rc != 0) {
		snprintf(err, len, "%s: cannot write the key-export file: %s", x->path,
			 strerror(errno));
		unlink(x->tmp);
	}
	OPENSSL_cleanse(x, sizeof(*x)); /* iobuf held keys */
	free(x);
	return rc;
}
