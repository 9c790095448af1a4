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
 * text of a route file.  Every "@D@" in CONFIG is replaced by the target's private directory
 * (mkdtemp under /dev/shm, else /tmp), which holds the files the sample names — router.key.pem
 * (empty, mode 0600: config_load refuses any other mode), router.cga.params, router.chain.pem,
 * trust-anchor.pem (empty, readable: config_load only checks that they are) — and routes.txt
 * with ROUTES when the input has the separator (none otherwise).  CONFIG is written to
 * @D@/fmipgw.conf for each input.  Seeds: tests/fuzz/make_corpus_config.py.
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
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "fz.h"
#include "fz_config.h"

static char dir[64];
static char conf_path[128], routes_path[128];
static struct gw_config sample;

static void dir_cleanup(void)
{
	static const char *const names[] = { "fmipgw.conf",	 "routes.txt",
					     "router.key.pem",	 "router.cga.params",
					     "router.chain.pem", "trust-anchor.pem" };
	char p[192];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
		unlink(p);
	}
	rmdir(dir);
}

static void put_file(const char *path, const void *p, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) || close(fd) != 0) {
		fprintf(stderr, "fuzz_config: %s: %s\n", path, strerror(errno));
		abort();
	}
}

/* text with every "@D@" replaced by dir; free() it. */
static char *subst(const char *text, size_t n, size_t *out_len)
{
	size_t dl = strlen(dir), cap = n + 1, k = 0;
	char *o;

	for (const char *p = text; (p = memmem(p, n - (size_t)(p - text), "@D@", 3)) != NULL;
	     p += 3)
		cap += dl;
	o = malloc(cap);
	if (o == NULL)
		abort();
	for (size_t i = 0; i < n;) {
		if (n - i >= 3 && memcmp(text + i, "@D@", 3) == 0) {
			memcpy(o + k, dir, dl);
			k += dl;
			i += 3;
		} else {
			o[k++] = text[i++];
		}
	}
	o[k] = '\0';
	*out_len = k;
	return o;
}

static void init(void)
{
	static const char *const empty[] = { "router.cga.params", "router.chain.pem",
					     "trust-anchor.pem" };
	char p[192], err[512];
	size_t n, len;
	char *text, *s;
	FILE *f;

	/* a route file named /dev/stdin must not wait for a terminal */
	if (freopen("/dev/null", "r", stdin) == NULL)
		abort();
	snprintf(dir, sizeof(dir), "%s/fmipgw-fuzz-config.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(dir_cleanup);
	snprintf(conf_path, sizeof(conf_path), "%s/fmipgw.conf", dir);
	snprintf(routes_path, sizeof(routes_path), "%s/routes.txt", dir);
	snprintf(p, sizeof(p), "%s/router.key.pem", dir);
	put_file(p, "", 0, 0600);
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, empty[i]);
		put_file(p, "", 0, 0644);
	}

	/* the sample configuration, its /etc/fmipgw/ files in dir: the reload baseline */
	f = fopen(FUZZ_DIR "/../../conf/fmipgw.conf", "r");
	s = f ? malloc(1 << 16) : NULL;
	if (s == NULL || (n = fread(s, 1, (1 << 16) - 1, f)) == 0)
		abort();
	fclose(f);
	s[n] = '\0';
	for (char *q; (q = strstr(s, "/etc/fmipgw/")) != NULL;) {
		memcpy(q, "@D@/", 4);
		memmove(q + 4, q + 12, strlen(q + 12) + 1);
	}
	text = subst(s, strlen(s), &len);
	put_file(conf_path, text, len, 0644);
	free(text);
	free(s);
	if (config_load(conf_path, &sample, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz_config: the sample does not load: %s\n", err);
		abort();
	}
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
	if (dir[0] == '\0')
		init();
	sep = memmem(in, size, FZ_CFG_SEP, strlen(FZ_CFG_SEP));
	if (sep != NULL) {
		clen = (size_t)(sep - in);
		put_file(routes_path, sep + strlen(FZ_CFG_SEP), size - clen - strlen(FZ_CFG_SEP),
			 0644);
	} else {
		unlink(routes_path);
	}
	text = subst(in, clen, &len);
	put_file(conf_path, text, len, 0644);

	fz_cfg_scan_agrees(conf_path, data, size);
	memset(err, 0, sizeof(err));
	rc = config_load(conf_path, &cfg, err, sizeof(err));
	if (rc != 0) {
		fz_cfg_refusal(conf_path, text, len, err);
	} else {
		fz_cfg_accepted(&cfg);
		fz_cfg_reload(&sample, &cfg);
		config_free(&cfg);
	}
	free(text);
	return 0;
}
