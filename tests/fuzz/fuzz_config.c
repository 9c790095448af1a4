/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the gateway's configuration reader (app/fmipgw/config): config_load and
 * everything under it — the pre-scan and the line finder (scan.c), rte_cfgfile, the key
 * table's value parsers (keys.c, parse.c: numbers, booleans, enums, addresses, prefix and
 * address lists, at_map, lcore ids and lists), [ap.NAME] sections, the labelled [routes] and
 * [neighbours] entries, the route file and the [exception] map (fwd_cfg.c), the cross-key
 * checks — then config_warnings() and the SIGHUP diff (reload.c) against the sample
 * configuration.
 *
 * Input: CONFIG [FZ_CFG_SEP ROUTES]: a configuration file and, after the separator line, the
 * text of a route file.  Nothing is written to a file system: every file is a memfd
 * (memfd_create, anonymous memory) that the reader opens by its /proc/self/fd/N name, exactly
 * as it opens a file.  "@D@/NAME" in CONFIG names one of them — router.key.pem (empty, mode
 * 0600: config_load refuses any other mode), router.cga.params, router.chain.pem,
 * trust-anchor.pem (empty, readable: config_load only checks that they are), routes.txt
 * (ROUTES; missing when the input has no separator) — and any other "@D@" a missing
 * directory.  CONFIG itself is the memfd config_load reads, rewritten for each input.  Seeds:
 * tests/fuzz/make_corpus_config.py.
 *
 * Oracles besides ASan/UBSan/LeakSanitizer (fz_config.c):
 *  - what the pre-scan accepts, rte_cfgfile reads as the pre-scan saw it (scan.c's promise):
 *    it parses the file, every section and entry it reads is on a line the line finder finds,
 *    no entry is there twice and none was cut;
 *  - a refusal is "FILE:LINE: what" with FILE the configuration and LINE inside it (the
 *    pre-scan's own line and message when it refused), and nothing is left allocated;
 *  - an accepted configuration keeps config.h's promises (the cross-key checks held);
 *  - the reload diff applied onto the sample: the reloadable keys take the new values and
 *    text, the others keep theirs, and it counts the start-up-only keys that differ (and the
 *    [ap.*] sections) — recomputed here from the key table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "fz.h"
#include "fz_config.h"

#define MISSING "/nonexistent-fmipgw-fuzz" /* what "@D@" names that is not a file below */

/* The memfds "@D@/NAME" names; conf is the configuration itself. */
static struct mfile {
	const char *name;
	mode_t mode;
	int fd;
	char path[32]; /* /proc/self/fd/N */
} files[] = {
	{ "router.key.pem", 0600, -1, "" },   { "router.cga.params", 0644, -1, "" },
	{ "router.chain.pem", 0644, -1, "" }, { "trust-anchor.pem", 0644, -1, "" },
	{ "routes.txt", 0644, -1, "" },	      { "fmipgw.conf", 0644, -1, "" },
};
enum { F_ROUTES = 4, F_CONF = 5, N_FILES = 6 };
static bool have_routes;
static struct gw_config sample;

/* Replace the content of memfd f by p/n (memory only). */
static void put_file(struct mfile *f, const void *p, size_t n)
{
	if (ftruncate(f->fd, 0) != 0 || (n && pwrite(f->fd, p, n, 0) != (ssize_t)n)) {
		fprintf(stderr, "fuzz_config: %s: %s\n", f->name, strerror(errno));
		abort();
	}
}

/* What "@D@" followed by text[0..n) names: its replacement and how many octets it covers. */
static const char *subst_one(const char *text, size_t n, size_t *used)
{
	for (size_t i = 0; i < N_FILES; i++) {
		size_t l = strlen(files[i].name);

		if (n > l && text[0] == '/' && memcmp(text + 1, files[i].name, l) == 0 &&
		    (i != F_ROUTES || have_routes)) {
			*used = l + 1;
			return files[i].path;
		}
	}
	*used = 0;
	return MISSING;
}

/* text with every "@D@" replaced (subst_one); free() it. */
static char *subst(const char *text, size_t n, size_t *out_len)
{
	size_t cap = n + 1, k = 0, used;
	char *o;

	for (const char *p = text; (p = memmem(p, n - (size_t)(p - text), "@D@", 3)) != NULL;
	     p += 3)
		cap += sizeof(MISSING); /* the longest replacement */
	o = malloc(cap);
	if (o == NULL)
		abort();
	for (size_t i = 0; i < n;) {
		if (n - i >= 3 && memcmp(text + i, "@D@", 3) == 0) {
			const char *r = subst_one(text + i + 3, n - i - 3, &used);

			memcpy(o + k, r, strlen(r));
			k += strlen(r);
			i += 3 + used;
		} else {
			o[k++] = text[i++];
		}
	}
	o[k] = '\0';
	*out_len = k;
	return o;
}

/* The sample configuration with its /etc/fmipgw/ files in memfds: the reload baseline. */
static void load_sample(void)
{
	char err[512];
	size_t n, len;
	char *text, *s;
	FILE *f = fopen(FUZZ_DIR "/../../conf/fmipgw.conf", "r");

	s = f ? malloc(1 << 16) : NULL;
	if (s == NULL || (n = fread(s, 1, (1 << 16) - 1, f)) == 0)
		abort();
	fclose(f);
	s[n] = '\0';
	for (char *q; (q = strstr(s, "/etc/fmipgw/")) != NULL;) {
		memcpy(q, "@D@/", 4);
		memmove(q + 4, q + 12, strlen(q + 12) + 1);
	}
	have_routes = false;
	text = subst(s, strlen(s), &len);
	put_file(&files[F_CONF], text, len);
	free(text);
	free(s);
	if (config_load(files[F_CONF].path, &sample, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_config: the sample does not load: %s\n", err);
		abort();
	}
}

static void init(void)
{
	/* a route file named /dev/stdin must not wait for a terminal */
	if (freopen("/dev/null", "r", stdin) == NULL)
		abort();
	for (size_t i = 0; i < N_FILES; i++) {
		struct mfile *f = &files[i];

		f->fd = memfd_create(f->name, 0);
		if (f->fd < 0 || fchmod(f->fd, f->mode) != 0) {
			fprintf(stderr, "fuzz_config: memfd %s: %s\n", f->name, strerror(errno));
			abort();
		}
		snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
	}
	load_sample();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *sep;
	size_t clen = size, len;
	struct gw_config cfg;
	char err[512];
	char *text;
	int rc;

	if (size > FZ_MAX_IN)
		return 0;
	if (files[0].fd < 0)
		init();
	sep = memmem(in, size, FZ_CFG_SEP, strlen(FZ_CFG_SEP));
	have_routes = sep != NULL;
	if (sep != NULL) {
		clen = (size_t)(sep - in);
		put_file(&files[F_ROUTES], sep + strlen(FZ_CFG_SEP),
			 size - clen - strlen(FZ_CFG_SEP));
	}
	text = subst(in, clen, &len);
	put_file(&files[F_CONF], text, len);

	fz_cfg_scan_agrees(files[F_CONF].path, data, size);
	memset(err, 0, sizeof(err));
	rc = config_load(files[F_CONF].path, &cfg, err, sizeof(err));
	if (rc != 0) {
		fz_cfg_refusal(files[F_CONF].path, text, len, err);
	} else {
		fz_cfg_accepted(&cfg);
		fz_cfg_reload(&sample, &cfg);
		config_free(&cfg);
	}
	free(text);
	return 0;
}
