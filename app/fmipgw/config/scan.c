/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration pre-scan and line finder.  rte_cfgfile keeps no line numbers, skips
 * some malformed lines silently, cuts long ones (names at CFG_NAME_LEN - 1, values at
 * CFG_VALUE_LEN - 1, lines at its read buffer) and keeps one of two duplicates: the pre-scan
 * refuses all of these first, with their line.  config_find_line() finds the line of a key
 * for messages about values (load.c), and nothing else.  Both read each line exactly as
 * rte_cfgfile does (line_split: its comment, white-space and escape rules), so that what the
 * scan checks and where the finder looks are what config_load gets (tests/fuzz/fuzz_config.c
 * checks that they agree).
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

/* rte_cfgfile's white space (_strip: isspace in the C locale), both ends, in place. */
static char *strip(char *s)
{
	static const char ws[] = " \t\n\v\f\r";
	char *e;

	s += strspn(s, ws);
	e = s + strlen(s);
	while (e > s && strchr(ws, e[-1]) != NULL)
		*--e = '\0';
	return s;
}

enum line_kind { LINE_SKIP, LINE_SECTION, LINE_ENTRY, LINE_BAD };

/*
 * One line as rte_cfgfile_load() reads it, in place (DPDK 22.11 lib/cfgfile): cut at its
 * first ';' unless a '\\' precedes it (then not cut at all), white space stripped; "[NAME]"
 * (anything after ']' ignored) or "KEY = VALUE" split at the first '=', both stripped, "\\;"
 * in the value read as ';'.  Lines rte_cfgfile skips silently (no '=') are LINE_BAD here, and
 * '#' lines are comments (rte_cfgfile reads them as keys when they hold a '=': load.c skips
 * those entries).
 */
static enum line_kind line_split(char *s, char **name, char **value)
{
	char *c = strchr(s, ';'), *e;

	if (c != NULL && (c == s || c[-1] != '\\'))
		*c = '\0';
	s = strip(s);
	if (*s == '\0' || *s == '#')
		return LINE_SKIP;
	if (*s == '[') {
		e = strchr(s, ']');
		if (e == NULL)
			return LINE_BAD;
		*e = '\0';
		*name = strip(s + 1);
		return LINE_SECTION;
	}
	e = strchr(s, '=');
	if (e == NULL || e == s)
		return LINE_BAD;
	*e = '\0';
	*name = strip(s);
	*value = strip(e + 1);
	for (char *b = *value; (b = strchr(b, '\\')) != NULL;)
		if (b[1] == ';')
			memmove(b, b + 1, strlen(b)); /* rte_cfgfile drops the '\\' */
		else
			b++;
	return LINE_ENTRY;
}

unsigned config_find_line(const char *file, const char *section, const char *key)
{
	FILE *f = fopen(file, "r");
	char *buf = NULL, *name, *value;
	size_t cap = 0;
	unsigned n = 0, found = 0;
	bool in = false;

	if (f == NULL)
		return 0;
	while (found == 0 && getline(&buf, &cap, f) > 0) {
		enum line_kind k = line_split(buf, &name, &value);

		n++;
		if (k == LINE_SECTION) {
			in = strcmp(name, section) == 0;
			if (in && key == NULL)
				found = n;
		} else if (k == LINE_ENTRY && in && key != NULL && strcmp(name, key) == 0) {
			found = n;
		}
	}
	free(buf);
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

/* Line n (len octets read, its newline included): 0, or -1 with msg. */
static int scan_line(struct scan *sc, char *s, size_t len, unsigned n, char *msg, size_t msglen)
{
	/* rte_cfgfile_load() reads lines with fgets into CFG_NAME_LEN + CFG_VALUE_LEN + 4 */
	const size_t max_line = CFG_NAME_LEN + CFG_VALUE_LEN + 2;
	char *name, *value;

	if (len > 0 && s[len - 1] == '\n')
		len--;
	if (len > max_line) {
		snprintf(msg, msglen, "line longer than %zu characters", max_line);
		return -1;
	}
	if (memchr(s, '\0', len) != NULL) {
		snprintf(msg, msglen, "NUL character in the line");
		return -1;
	}
	switch (line_split(s, &name, &value)) {
	case LINE_SKIP:
		return 0;
	case LINE_BAD:
		snprintf(msg, msglen, "syntax error (expected [section] or key = value)");
		return -1;
	case LINE_SECTION:
		if (strlen(name) >= CFG_NAME_LEN) {
			snprintf(msg, msglen, "section name longer than %d characters",
				 CFG_NAME_LEN - 1);
			return -1;
		}
		snprintf(sc->cursec, sizeof(sc->cursec), "%s", name);
		return seen_check(sc, sc->cursec, "", n, msg, msglen);
	case LINE_ENTRY:
		break;
	}
	if (sc->cursec[0] == '\0') {
		snprintf(msg, msglen,
			 "key outside of any section (a [section] line must come first)");
		return -1;
	}
	if (strlen(name) >= CFG_NAME_LEN) {
		snprintf(msg, msglen, "key name longer than %d characters", CFG_NAME_LEN - 1);
		return -1;
	}
	if (seen_check(sc, sc->cursec, name, n, msg, msglen) < 0)
		return -1;
	if (strlen(value) >= CFG_VALUE_LEN) {
		snprintf(msg, msglen, "value longer than %d characters (rte_cfgfile would cut it)",
			 CFG_VALUE_LEN - 1);
		return -1;
	}
	return 0;
}

int config_scan(const char *file, unsigned *line, char *msg, size_t msglen)
{
	struct scan sc = { .cursec = "" };
	FILE *f = fopen(file, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned n = 0;
	int rc = 0;

	sc.seen = calloc(SEEN_MAX, sizeof(*sc.seen));
	sc.seen_line = calloc(SEEN_MAX, sizeof(*sc.seen_line));
	if (f == NULL || sc.seen == NULL || sc.seen_line == NULL) {
		snprintf(msg, msglen, "cannot read the file");
		rc = -1;
	}
	while (rc == 0 && (len = getline(&buf, &cap, f)) > 0)
		rc = scan_line(&sc, buf, (size_t)len, ++n, msg, msglen);
	if (f != NULL)
		fclose(f);
	free(buf);
	free(sc.seen);
	free(sc.seen_line);
	*line = n;
	return rc;
}
