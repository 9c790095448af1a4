/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn scenario parser.  A file is read twice: first line by line to know where each key
 * is and to refuse what rte_cfgfile would get wrong silently (syntax, names and values it would
 * cut, duplicates, unknown sections and keys: each with its line), then with rte_cfgfile for
 * the values, each parsed by its key's type.  Values' errors carry the key's line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_cfgfile.h>

#include "scen_int.h"

static int __attribute__((format(printf, 3, 4))) fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_uint(const struct scen_key *k, const char *v, uint32_t *out, char *err, size_t len)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(v, &end, 10);
	if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0)
		return fail(err, len, "'%s' is not a whole number", v);
	if (x < k->min || x > k->max)
		return fail(err, len, "%llu is outside %u..%u", x, k->min, k->max);
	*out = (uint32_t)x;
	return 0;
}

static int parse_mac(const char *v, uint8_t mac[6])
{
	unsigned b[6];
	char tail;

	if (sscanf(v, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static int parse_prefix(const char *v, struct mn_prefix *p, char *err, size_t len)
{
	char buf[64], *slash;
	char *end;
	long n;

	if (strlen(v) >= sizeof(buf))
		return fail(err, len, "'%s' is not addr/len", v);
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return fail(err, len, "'%s' is not addr/len", v);
	*slash = '\0';
	n = strtol(slash + 1, &end, 10);
	if (inet_pton(AF_INET6, buf, p->addr) != 1 || *end != '\0' || slash[1] == '\0')
		return fail(err, len, "'%s' is not addr/len", v);
	if (n != 64)
		return fail(err, len, "the prefix must be a /64 (CGAs and NCoAs are prefix + IID)");
	p->len = (uint8_t)n;
	memset(p->addr + 8, 0, 8);
	return 0;
}

int scen_parse_value(const struct scen_key *k, const char *v, struct mn_scen *s, char *err,
		     size_t len)
{
	void *f = (uint8_t *)s + k->off;

	switch (k->type) {
	case S_UINT:
		return parse_uint(k, v, f, err, len);
	case S_BOOL:
		if (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0)
			*(bool *)f = true;
		else if (strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
			 strcmp(v, "0") == 0)
			*(bool *)f = false;
		else
			return fail(err, len, "'%s' is not true or false", v);
		return 0;
	case S_STR:
		if (strlen(v) >= k->size)
			return fail(err, len, "longer than %zu characters", k->size - 1);
		strcpy(f, v);
		return 0;
	case S_IP6_OPT:
		if (*v == '\0') {
			memset(f, 0, 16);
			return 0;
		}
		/* fall through */
	case S_IP6:
		if (inet_pton(AF_INET6, v, f) != 1)
			return fail(err, len, "'%s' is not an IPv6 address", v);
		return 0;
	case S_PREFIX:
		return parse_prefix(v, f, err, len);
	case S_MAC_OPT:
		if (*v == '\0') {
			memset(f, 0, 6);
			return 0;
		}
		/* fall through */
	case S_MAC:
		if (parse_mac(v, f) < 0)
			return fail(err, len, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", v);
		return 0;
	case S_ENUM:
		for (uint32_t i = 0; k->names[i] != NULL; i++)
			if (strcmp(v, k->names[i]) == 0) {
				*(uint32_t *)f = i;
				return 0;
			}
		return fail(err, len, "'%s' is not one of the allowed values", v);
	}
	return fail(err, len, "internal: unknown type");
}

void scen_format_value(const struct scen_key *k, const struct mn_scen *s, char *out, size_t len)
{
	static const uint8_t z[16];
	const uint8_t *f = (const uint8_t *)s + k->off;
	char a[INET6_ADDRSTRLEN];

	switch (k->type) {
	case S_UINT:
		snprintf(out, len, "%u", *(const uint32_t *)(const void *)f);
		break;
	case S_BOOL:
		snprintf(out, len, "%s", *(const bool *)f ? "true" : "false");
		break;
	case S_STR:
		snprintf(out, len, "%s", (const char *)f);
		break;
	case S_IP6:
	case S_IP6_OPT:
		if (k->type == S_IP6_OPT && memcmp(f, z, 16) == 0)
			snprintf(out, len, "%s", "");
		else
			snprintf(out, len, "%s", inet_ntop(AF_INET6, f, a, sizeof(a)));
		break;
	case S_PREFIX:
		snprintf(out, len, "%s/%u", inet_ntop(AF_INET6, f, a, sizeof(a)),
			 ((const struct mn_prefix *)(const void *)f)->len);
		break;
	case S_MAC:
	case S_MAC_OPT:
		if (k->type == S_MAC_OPT && memcmp(f, z, 6) == 0)
			snprintf(out, len, "%s", "");
		else
			snprintf(out, len, "%02x:%02x:%02x:%02x:%02x:%02x", f[0], f[1], f[2], f[3],
				 f[4], f[5]);
		break;
	case S_ENUM:
		snprintf(out, len, "%s", k->names[*(const uint32_t *)(const void *)f]);
		break;
	}
}

/* Where each key of the file is: the line-by-line pass. */
enum { SEEN_MAX = 512 };
struct seen {
	char section[CFG_NAME_LEN], key[CFG_NAME_LEN];
	unsigned line;
};
struct scan {
	struct seen *v;
	unsigned n;
	char section[CFG_NAME_LEN];
};

static int remember(struct scan *sc, const char *key, unsigned line, char *err, size_t len)
{
	for (unsigned i = 0; i < sc->n; i++)
		if (strcmp(sc->v[i].section, sc->section) == 0 && strcmp(sc->v[i].key, key) == 0)
			return *key
				   ? fail(err, len, "%s.%s appears twice (first at line %u)",
					  sc->section, key, sc->v[i].line)
				   : fail(err, len, "section [%s] appears twice (first at line %u)",
					  sc->section, sc->v[i].line);
	if (sc->n == SEEN_MAX)
		return fail(err, len, "more than %d keys", SEEN_MAX);
	strcpy(sc->v[sc->n].section, sc->section);
	strcpy(sc->v[sc->n].key, key);
	sc->v[sc->n++].line = line;
	return 0;
}

static int scan_section(struct scan *sc, char *s, unsigned line, char *err, size_t len)
{
	char *e = strchr(s, ']'), *name;

	if (e == NULL || *trim(e + 1) != '\0')
		return fail(err, len, "syntax error (expected [section])");
	*e = '\0';
	name = trim(s + 1);
	if (strlen(name) >= CFG_NAME_LEN)
		return fail(err, len, "section name longer than %d characters", CFG_NAME_LEN - 1);
	strcpy(sc->section, name);
	for (unsigned i = 0; i < scen_nkeys; i++)
		if (strcmp(scen_keys[i].section, name) == 0)
			return remember(sc, "", line, err, len);
	return fail(err, len, "unknown section [%s]", name);
}

static int scan_line(struct scan *sc, char *s, unsigned line, char *err, size_t len)
{
	char *eq, *key, *val;

	if (*s == '[')
		return scan_section(sc, s, line, err, len);
	eq = strchr(s, '=');
	if (eq == NULL || eq == s)
		return fail(err, len, "syntax error (expected key = value)");
	if (sc->section[0] == '\0')
		return fail(err, len, "key outside a [section]");
	*eq = '\0';
	key = trim(s);
	val = eq + 1;
	if (strchr(val, ';') != NULL)
		*strchr(val, ';') = '\0'; /* rte_cfgfile drops comments */
	val = trim(val);
	if (strlen(key) >= CFG_NAME_LEN || strlen(val) >= CFG_VALUE_LEN)
		return fail(err, len, "%s longer than rte_cfgfile keeps (%d characters)",
			    strlen(key) >= CFG_NAME_LEN ? "key name" : "value",
			    (strlen(key) >= CFG_NAME_LEN ? CFG_NAME_LEN : CFG_VALUE_LEN) - 1);
	if (scen_key_find(sc->section, key) == NULL)
		return fail(err, len, "unknown key '%s' in [%s]", key, sc->section);
	return remember(sc, key, line, err, len);
}

static int scan_file(struct scan *sc, const char *file, char *err, size_t len)
{
	FILE *f = fopen(file, "r");
	char buf[CFG_NAME_LEN + CFG_VALUE_LEN + 8], msg[256];
	unsigned line = 0;
	int rc = 0;

	if (f == NULL)
		return fail(err, len, "%s: cannot open: %s", file, strerror(errno));
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		size_t n = strlen(buf);
		char *s;

		line++;
		if (n > 0 && buf[n - 1] != '\n' && !feof(f)) {
			rc = fail(err, len, "%s:%u: line longer than %zu characters", file, line,
				  sizeof(buf) - 2);
			break;
		}
		s = trim(buf);
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		if (scan_line(sc, s, line, msg, sizeof(msg)) < 0)
			rc = fail(err, len, "%s:%u: %s", file, line, msg);
	}
	fclose(f);
	return rc;
}

static unsigned line_of(const struct scan *sc, const char *section, const char *key)
{
	for (unsigned i = 0; i < sc->n; i++)
		if (strcmp(sc->v[i].section, section) == 0 && strcmp(sc->v[i].key, key) == 0)
			return sc->v[i].line;
	return 0;
}

static int load_values(struct mn_scen *s, struct rte_cfgfile *cf, const struct scan *sc,
		       const char *file, char *err, size_t len)
{
	char msg[256];

	for (unsigned i = 0; i < scen_nkeys; i++) {
		const struct scen_key *k = &scen_keys[i];
		const char *v = rte_cfgfile_get_entry(cf, k->section, k->key);
		char buf[CFG_VALUE_LEN];

		if (v == NULL)
			continue;
		snprintf(buf, sizeof(buf), "%s", v);
		if (scen_parse_value(k, trim(buf), s, msg, sizeof(msg)) < 0)
			return fail(err, len, "%s:%u: %s.%s: %s", file,
				    line_of(sc, k->section, k->key), k->section, k->key, msg);
	}
	return 0;
}

int scen_load(struct mn_scen *s, const char *file, char *err, size_t errlen)
{
	struct scan sc = { .n = 0 };
	struct rte_cfgfile *cf;
	int rc;

	sc.v = calloc(SEEN_MAX, sizeof(*sc.v));
	if (sc.v == NULL)
		return fail(err, errlen, "out of memory");
	rc = scan_file(&sc, file, err, errlen);
	if (rc == 0) {
		cf = rte_cfgfile_load(file, 0);
		if (cf == NULL) {
			rc = fail(err, errlen, "%s: rte_cfgfile cannot read it", file);
		} else {
			rc = load_values(s, cf, &sc, file, err, errlen);
			rte_cfgfile_close(cf);
		}
	}
	free(sc.v);
	return rc;
}

int scen_set(struct mn_scen *s, const char *assignment, char *err, size_t errlen)
{
	char buf[CFG_NAME_LEN * 2 + CFG_VALUE_LEN], msg[256];
	char *dot, *eq;
	const struct scen_key *k;

	if (strlen(assignment) >= sizeof(buf))
		return fail(err, errlen, "--set %s: too long", assignment);
	strcpy(buf, assignment);
	eq = strchr(buf, '=');
	dot = strchr(buf, '.');
	if (eq == NULL || dot == NULL || dot > eq)
		return fail(err, errlen, "--set %s: expected section.key=value", assignment);
	*eq = '\0';
	*dot = '\0';
	k = scen_key_find(trim(buf), trim(dot + 1));
	if (k == NULL)
		return fail(err, errlen, "--set %s: unknown key", assignment);
	if (scen_parse_value(k, trim(eq + 1), s, msg, sizeof(msg)) < 0)
		return fail(err, errlen, "--set %s.%s: %s", k->section, k->key, msg);
	return 0;
}

int scen_check(const struct mn_scen *s, char *err, size_t errlen)
{
	if (memcmp(s->prefix.addr, s->nar_prefix.addr, 8) == 0)
		return fail(
		    err, errlen,
		    "identity.prefix and gateway.nar_prefix are the same: the NCoA would be "
		    "the PCoA");
	if (s->replayed_fbu > 0 && s->ho_count == 0)
		return fail(err, errlen,
			    "attack.replayed_fbu needs handover.count >= 1 (a valid FBU to copy)");
	if (s->bits % 8 != 0)
		return fail(err, errlen, "identity.bits must be a multiple of 8");
	return 0;
}
