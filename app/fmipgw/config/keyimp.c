/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key import, the file (keyimp.h): the checks on the file opened, a read into memory
 * cleansed afterwards, and the two passes over that one copy — every line checked (and the
 * CGAs compared) first, then the records handed out — so that nothing is handed out from a
 * text with an error anywhere.  No DPDK, no EAL; OpenSSL only for its cleansing allocator
 * (the gateway's secret memory once it runs, cp/snapshot.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "hk.h"
#include "keyimp.h"

_Static_assert(KEYIMP_KEY_MAX == HK_KEY_MAX, "the longest key A9 hands out");

#define KEYIMP_FILE_MAX (1u << 30) /* a gigabyte of text: millions of records */

struct span {
	const uint8_t *p;
	size_t n;
};

__attribute__((format(printf, 4, 5))) static int fail(char *err, size_t len, int rc,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return rc;
}

static bool span_is(struct span s, const char *lit)
{
	return s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

/* Decimal without sign or leading zero, at most 5 digits. */
static bool decimal(struct span s, uint32_t *v)
{
	uint32_t x = 0;

	if (s.n == 0 || s.n > 5 || (s.n > 1 && s.p[0] == '0'))
		return false;
	for (size_t i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		x = x * 10 + (uint32_t)(s.p[i] - '0');
	}
	*v = x;
	return true;
}

static int nibble(uint8_t c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Lower-case hex of whole octets, at most max of them. */
static bool hex(struct span s, uint8_t *out, size_t max, size_t *n)
{
	if (s.n == 0 || s.n % 2 != 0 || s.n / 2 > max)
		return false;
	for (size_t i = 0; i < s.n / 2; i++) {
		int hi = nibble(s.p[2 * i]), lo = nibble(s.p[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*n = s.n / 2;
	return true;
}

/* Printable text of a field for a message (never the key). */
static const char *shown(struct span s, char *buf, size_t cap)
{
	size_t n = s.n < cap - 1 ? s.n : cap - 1;

	for (size_t i = 0; i < n; i++)
		buf[i] = s.p[i] >= 0x20 && s.p[i] < 0x7f ? (char)s.p[i] : '?';
	buf[n] = '\0';
	return buf;
}

struct pctx {
	const char *path;
	const struct mac_cfg *mac;
	char *err;
	size_t errlen;
};

static bool cga_field(struct span s, uint8_t cga[16])
{
	char a[INET6_ADDRSTRLEN + 1];

	if (s.n == 0 || s.n >= sizeof(a) || memchr(s.p, '\0', s.n) != NULL)
		return false;
	memcpy(a, s.p, s.n);
	a[s.n] = '\0';
	return inet_pton(AF_INET6, a, cga) == 1;
}

/* One record line (already split into five fields) into r.  0 or -1 with err. */
static int record(const struct pctx *c, const struct span f[5], unsigned line, struct keyimp_rec *r)
{
	char b[64];
	uint32_t at = 0, life = 0;
	size_t n = 0;
	unsigned want;

	memset(r, 0, sizeof(*r));
	r->line = line;
	if (!cga_field(f[0], r->cga))
		return fail(c->err, c->errlen, -1, "%s:%u: cga '%s' is not an IPv6 address",
			    c->path, line, shown(f[0], b, sizeof(b)));
	if (!decimal(f[1], &at) || at >= MAC_AT_MAX)
		return fail(c->err, c->errlen, -1, "%s:%u: at '%s' is not an AT (0..15)", c->path,
			    line, shown(f[1], b, sizeof(b)));
	if (c->mac->at[at].alg == MAC_ALG_NONE)
		return fail(c->err, c->errlen, -1, "%s:%u: AT %u is not enabled in [mac] at_map",
			    c->path, line, at);
	r->at = (uint8_t)at;
	if (!hex(f[2], r->key, sizeof(r->key), &n))
		return fail(c->err, c->errlen, -1,
			    "%s:%u: key is not lower-case hexadecimal of 1..%u octets", c->path,
			    line, KEYIMP_KEY_MAX);
	want = hk_at_key_len(c->mac, r->at);
	if (n != want)
		return fail(c->err, c->errlen, -1,
			    "%s:%u: key of %zu octets: AT %u (%s) keys are %u octets (A9)", c->path,
			    line, n, at, mac_alg_name((enum mac_alg)c->mac->at[at].alg), want);
	r->key_len = (uint8_t)n;
	if (!decimal(f[3], &life) || life == 0 || life > 65535)
		return fail(c->err, c->errlen, -1, "%s:%u: lifetime '%s' is not 1..65535 seconds",
			    c->path, line, shown(f[3], b, sizeof(b)));
	r->lifetime = life;
	if (f[4].n != 40 || !hex(f[4], r->pk_sha1, 20, &n))
		return fail(c->err, c->errlen, -1,
			    "%s:%u: pk_sha1 is not 40 lower-case hexadecimal digits", c->path,
			    line);
	return 0;
}

/* Split a line into exactly five non-empty fields, one space apart. */
static int fields(const struct pctx *c, struct span l, unsigned line, struct span f[5])
{
	unsigned k = 0;
	size_t start = 0;

	for (size_t i = 0; i <= l.n; i++) {
		if (i < l.n && l.p[i] != ' ')
			continue;
		if (k < 5)
			f[k] = (struct span){ l.p + start, i - start };
		if (i == start || ++k > 5)
			break;
		start = i + 1;
	}
	if (k != 5 || f[0].n == 0 || f[4].p + f[4].n != l.p + l.n)
		return fail(c->err, c->errlen, -1,
			    "%s:%u: a record is five fields one space apart: cga at key "
			    "lifetime pk_sha1",
			    c->path, line);
	return 0;
}

struct seen {
	uint8_t cga[16];
	unsigned line;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int d = memcmp(x->cga, y->cga, 16);

	return d ? d : x->line < y->line ? -1 : x->line > y->line;
}

/* A CGA listed twice: the first such line in file order, naming the earlier one. */
static int duplicates(const struct pctx *c, struct seen *s, unsigned n)
{
	unsigned best = 0, first = 0;
	const uint8_t *cga = NULL;
	char a[INET6_ADDRSTRLEN];

	qsort(s, n, sizeof(*s), seen_cmp);
	for (unsigned i = 1; i < n; i++)
		if (memcmp(s[i].cga, s[i - 1].cga, 16) == 0 && (best == 0 || s[i].line < best)) {
			best = s[i].line;
			first = s[i - 1].line;
			cga = s[i].cga;
		}
	if (best == 0)
		return 0;
	return fail(c->err, c->errlen, -1, "%s:%u: CGA %s is already on line %u", c->path, best,
		    inet_ntop(AF_INET6, cga, a, sizeof(a)), first);
}

/* The next line from *off: 1 (l, with or without its newline), 0 at the end. */
static int next_line(const uint8_t *t, size_t len, size_t *off, struct span *l, bool *nl)
{
	const uint8_t *e;

	if (*off >= len)
		return 0;
	e = memchr(t + *off, '\n', len - *off);
	l->p = t + *off;
	l->n = e != NULL ? (size_t)(e - l->p) : len - *off;
	*nl = e != NULL;
	*off += l->n + (e != NULL);
	return 1;
}

static int header(const struct pctx *c, const uint8_t *t, size_t len, size_t *off)
{
	char want[32], b[64];
	struct span l;
	bool nl;

	snprintf(want, sizeof(want), "%s %d", KEYIMP_MAGIC, KEYIMP_VERSION);
	if (!next_line(t, len, off, &l, &nl) || l.n < strlen(KEYIMP_MAGIC) + 1 ||
	    memcmp(l.p, KEYIMP_MAGIC " ", strlen(KEYIMP_MAGIC) + 1) != 0)
		return fail(c->err, c->errlen, -1,
			    "%s:1: not a key-export file: the first line must be '%s'", c->path,
			    want);
	if (!span_is(l, want))
		return fail(c->err, c->errlen, -1,
			    "%s:1: '%s': key-export version not supported (this gateway reads "
			    "'%s')",
			    c->path, shown(l, b, sizeof(b)), want);
	if (!nl)
		return fail(c->err, c->errlen, -1, "%s:1: the line has no newline", c->path);
	return 0;
}

/* One pass over the records: check (s != NULL: collect the CGAs) or hand them out. */
static int pass(const struct pctx *c, const uint8_t *t, size_t len, uint32_t max, struct seen *s,
		keyimp_fn fn, void *ctx, unsigned *count)
{
	struct keyimp_rec r;
	struct span l, f[5];
	size_t off = 0;
	unsigned line = 1, n = 0;
	bool nl;
	int rc = header(c, t, len, &off);

	while (rc == 0 && next_line(t, len, &off, &l, &nl)) {
		line++;
		if (l.n > KEYIMP_LINE_MAX)
			rc = fail(c->err, c->errlen, -1, "%s:%u: line longer than %u octets",
				  c->path, line, KEYIMP_LINE_MAX);
		else if (!nl)
			rc = fail(c->err, c->errlen, -1,
				  "%s:%u: the last line has no newline (a truncated file?)",
				  c->path, line);
		else if (l.n > 0 && l.p[0] == '#')
			continue;
		else if (l.n == 0)
			rc = fail(c->err, c->errlen, -1,
				  "%s:%u: empty line (comments start with '#')", c->path, line);
		else if (n == max)
			rc = fail(c->err, c->errlen, -1,
				  "%s:%u: more than %u records: the key table holds %u ([keys] "
				  "capacity)",
				  c->path, line, max, max);
		else if ((rc = fields(c, l, line, f)) == 0 && (rc = record(c, f, line, &r)) == 0) {
			if (s != NULL) {
				memcpy(s[n].cga, r.cga, 16);
				s[n].line = line;
			} else if (fn != NULL) {
				rc = fn(ctx, &r, c->err, c->errlen);
			}
			n++;
		}
	}
	OPENSSL_cleanse(&r, sizeof(r));
	*count = n;
	return rc;
}

int keyimp_parse(const char *path, const uint8_t *text, size_t len, const struct mac_cfg *mac,
		 uint32_t max, keyimp_fn fn, void *ctx, unsigned *count, char *err, size_t errlen)
{
	struct pctx c = { path, mac, err, errlen };
	size_t lines = 1;
	struct seen *s;
	int rc;

	*count = 0;
	err[0] = '\0';
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	/* one entry per line at most, max + 1 at most (the first line beyond is refused) */
	s = malloc(sizeof(*s) * (lines < max ? lines : (size_t)max + 1));
	if (s == NULL)
		return fail(err, errlen, -1, "%s: out of memory for %zu lines", path, lines);
	rc = pass(&c, text, len, max, s, NULL, NULL, count);
	if (rc == 0)
		rc = duplicates(&c, s, *count);
	free(s);
	if (rc == 0 && fn != NULL)
		rc = pass(&c, text, len, max, NULL, fn, ctx, count);
	return rc;
}

int keyimp_load(const char *path, const struct mac_cfg *mac, uint32_t max, keyimp_fn fn, void *ctx,
		unsigned *count, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *text;
	size_t got = 0;
	int fd, rc;

	*count = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0)
		return fail(err, errlen, KEYIMP_E_FILE, "%s: cannot open: %s", path,
			    strerror(errno));
	/* the checks are on the file opened, not on the name */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > KEYIMP_FILE_MAX) {
		close(fd);
		return fail(err, errlen, KEYIMP_E_FILE, "%s: not a regular file of at most %u MiB",
			    path, KEYIMP_FILE_MAX >> 20);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return fail(err, errlen, KEYIMP_E_MODE,
			    "%s is readable or writable by group or others (mode %04o): it holds "
			    "handover keys; run: chmod 600 %s",
			    path, (unsigned)(st.st_mode & 07777), path);
	}
	text = OPENSSL_malloc((size_t)st.st_size + 1);
	if (text == NULL) {
		close(fd);
		return fail(err, errlen, KEYIMP_E_FILE,
			    "%s: out of memory for its %lld octets (the gateway reads it into its "
			    "secret heap: raise [security] secret_heap_mb)",
			    path, (long long)st.st_size);
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, text + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != (size_t)st.st_size)
		rc = fail(err, errlen, KEYIMP_E_FILE, "%s: cannot read it whole", path);
	else
		rc = keyimp_parse(path, text, got, mac, max, fn, ctx, count, err, errlen);
	OPENSSL_clear_free(text, (size_t)st.st_size + 1);
	return rc;
}
