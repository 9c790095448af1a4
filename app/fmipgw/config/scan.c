/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration pre-scan and line finder.  rte_cfgfile keeps no line numbers, skips
 * some malformed lines silently, cuts long ones (names at CFG_NAME_LEN - 1, values at
 * CFG_VALUE_LEN - 1, lines at its read buffer) and keeps one of two duplicates: the pre-scan
 * refuses all of these first, with their line.  config_find_line() finds the line of a key
 * for messages about values (load.c), and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#include "config_int.h"

char *config_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

unsigned config_find_line(const char *file, const char *section, const char *key)
{
	FILE *f = fopen(file, "r");
	char buf[1024];
	unsigned n = 0, found = 0;
	bool in = false;

	if (f == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s = config_trim(buf), *e;

		n++;
		if (*s == '[') {
			e = strchr(s, ']');
			if (e != NULL)
				*e = '\0';
			in = strcmp(config_trim(s + 1), section) == 0;
			if (in && key == NULL) {
				found = n;
				break;
			}
			continue;
		}
		if (!in || key == NULL || *s == ';' || *s == '#')
			continue;
		e = strchr(s, '=');
		if (e == NULL)
			continue;
		*e = '\0';
		if (strcmp(config_trim(s), key) == 0) {
			found = n;
			break;
		}
	}
	fclose(f);
	return found;
}

enum { SEEN_MAX = 1024 };

/* What the scan has seen so far: "section\nkey" (key "" for a header) with its line. */
struct scan {
	char cursec[CFG_NAME_LEN];
	char (*seen)[2 * CFG_NAME_LEN];
	unsigned *seen_line;
	unsigned nseen;
};

/* Record section/key at line n; -1 (msg set) if seen before: rte_cfgfile would keep one of
 * the two silently. */
static int seen_check(struct scan *sc, const char *sec, const char *key, unsigned n, char *msg,
		      size_t msglen)
{
	char id[2 * CFG_NAME_LEN];

	snprintf(id, sizeof(id), "%s\n%s", sec, key);
	for (unsigned i = 0; i < sc->nseen; i++) {
		if (strcmp(sc->seen[i], id) != 0)
			continue;
		if (*key == '\0')
			snprintf(msg, msglen, "section [%s] appears twice (first at line %u)", sec,
				 sc->seen_line[i]);
		else
			snprintf(msg, msglen, "duplicate key '%s' in [%s] (first at line %u)", key,
				 sec, sc->seen_line[i]);
		return -1;
	}
	if (sc->nseen < SEEN_MAX) {
		memcpy(sc->seen[sc->nseen], id, sizeof(id));
		sc->seen_line[sc->nseen++] = n;
	}
	return 0;
}

/* One trimmed, non-empty, non-comment line n: 0, or -1 with msg. */
static int scan_line(struct scan *sc, char *s, unsigned n, char *msg, size_t msglen)
{
	char *eq;

	if ((*s == '[' && strchr(s, ']') == NULL) ||
	    (*s != '[' && (strchr(s, '=') == NULL || *s == '='))) {
		snprintf(msg, msglen, "syntax error (expected [section] or key = value)");
		return -1;
	}
	if (*s == '[') {
		if ((size_t)(strchr(s, ']') - s - 1) >= CFG_NAME_LEN) {
			snprintf(msg, msglen, "section name longer than %d characters",
				 CFG_NAME_LEN - 1);
			return -1;
		}
		*strchr(s, ']') = '\0';
		snprintf(sc->cursec, sizeof(sc->cursec), "%s", config_trim(s + 1));
		return seen_check(sc, sc->cursec, "", n, msg, msglen);
	}
	if (sc->cursec[0] == '\0') {
		snprintf(msg, msglen,
			 "key outside of any section (a [section] line must come first)");
		return -1;
	}
	eq = strchr(s, '=');
	*eq = '\0';
	if (strlen(config_trim(s)) >= CFG_NAME_LEN) {
		snprintf(msg, msglen, "key name longer than %d characters", CFG_NAME_LEN - 1);
		return -1;
	}
	if (seen_check(sc, sc->cursec, config_trim(s), n, msg, msglen) < 0)
		return -1;
	if (strchr(eq + 1, ';') != NULL)
		*strchr(eq + 1, ';') = '\0'; /* rte_cfgfile drops comments */
	if (strlen(config_trim(eq + 1)) >= CFG_VALUE_LEN) {
		snprintf(msg, msglen, "value longer than %d characters (rte_cfgfile would cut it)",
			 CFG_VALUE_LEN - 1);
		return -1;
	}
	return 0;
}

int config_scan(const char *file, unsigned *line, char *msg, size_t msglen)
{
	/* rte_cfgfile_load() reads lines with fgets into CFG_NAME_LEN + CFG_VALUE_LEN + 4 */
	const size_t max_line = CFG_NAME_LEN + CFG_VALUE_LEN + 2;
	struct scan sc = { .cursec = "" };
	FILE *f = fopen(file, "r");
	char buf[1024];
	unsigned n = 0;
	int rc = 0;

	sc.seen = calloc(SEEN_MAX, sizeof(*sc.seen));
	sc.seen_line = calloc(SEEN_MAX, sizeof(*sc.seen_line));
	if (f == NULL || sc.seen == NULL || sc.seen_line == NULL) {
		snprintf(msg, msglen, "cannot read the file");
		rc = -1;
	}
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		size_t len = strlen(buf);
		bool nl = len > 0 && buf[len - 1] == '\n';
		char *s;

		n++;
		if ((!nl && !feof(f)) || (nl ? len - 1 : len) > max_line) {
			snprintf(msg, msglen, "line longer than %zu characters", max_line);
			rc = -1;
			break;
		}
		s = config_trim(buf);
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		rc = scan_line(&sc, s, n, msg, msglen);
	}
	if (f != NULL)
		fclose(f);
	free(sc.seen);
	free(sc.seen_line);
	*line = n;
	return rc;
}
