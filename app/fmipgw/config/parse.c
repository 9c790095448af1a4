/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration value parsers, one per key type of keys.c.  Each returns 0, or -1 with
 * a message without `file:line:` (load.c adds it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <rte_config.h>

#include "config_int.h"

static int parse_uint(const char *v, uint64_t lo, uint64_t hi, uint64_t *out, char *err, size_t len)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (*v == '-' || *v == '\0') {
		snprintf(err, len, "'%s' is not an unsigned number", v);
		return -1;
	}
	x = strtoull(v, &end, 10); /* base 10: 0100 is one hundred, not octal */
	if (errno != 0 || *end != '\0') {
		snprintf(err, len, "'%s' is not an unsigned number", v);
		return -1;
	}
	if (x < lo || x > hi) {
		snprintf(err, len, "%llu is out of range [%llu, %llu]", x, (unsigned long long)lo,
			 (unsigned long long)hi);
		return -1;
	}
	*out = x;
	return 0;
}

static int parse_ip6(const char *v, uint8_t out[16], char *err, size_t len)
{
	if (inet_pton(AF_INET6, v, out) != 1) {
		snprintf(err, len, "'%s' is not an IPv6 address", v);
		return -1;
	}
	return 0;
}

static int parse_prefix(const char *v, uint8_t addr[16], uint8_t *plen, char *err, size_t len)
{
	char buf[128];
	char *slash;
	uint64_t l;

	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash == NULL) {
		snprintf(err, len, "'%s' is not a prefix (addr/len)", v);
		return -1;
	}
	*slash = '\0';
	if (parse_ip6(config_trim(buf), addr, err, len) < 0 ||
	    parse_uint(config_trim(slash + 1), 1, 128, &l, err, len) < 0)
		return -1;
	*plen = (uint8_t)l;
	return 0;
}

static int parse_mac(const char *v, uint8_t out[6], char *err, size_t len)
{
	unsigned b[6];
	char c;

	if (sscanf(v, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &c) != 6) {
		snprintf(err, len, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", v);
		return -1;
	}
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255) {
			snprintf(err, len, "'%s' is not a MAC address", v);
			return -1;
		}
		out[i] = (uint8_t)b[i];
	}
	return 0;
}

/* Split a comma-separated list in place; returns the count or -1 if over max. */
static int split(char *s, char **items, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		t = config_trim(t);
		if (*t == '\0')
			continue;
		if (n == max)
			return -1;
		items[n++] = t;
	}
	return n;
}

static int parse_atmap(const char *v, struct mac_at_cfg *at, char *err, size_t len)
{
	char buf[256];
	char *items[MAC_AT_MAX];
	int n;

	memset(at, 0, sizeof(struct mac_at_cfg) * MAC_AT_MAX);
	snprintf(buf, sizeof(buf), "%s", v);
	n = split(buf, items, MAC_AT_MAX);
	if (n <= 0) {
		snprintf(err, len, "'%s': need at least one AT:algorithm:tag-octets", v);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char alg[32];
		unsigned a, t, dl;
		enum mac_alg ma;

		if (sscanf(items[i], "%u:%31[a-z0-9-]:%u", &a, alg, &t) != 3 || a >= MAC_AT_MAX) {
			snprintf(err, len, "'%s' is not AT:algorithm:tag-octets with AT 0..15",
				 items[i]);
			return -1;
		}
		if (strcmp(alg, "hmac-sha1") == 0) {
			ma = MAC_ALG_HMAC_SHA1;
			dl = 20;
		} else if (strcmp(alg, "hmac-sha256") == 0) {
			ma = MAC_ALG_HMAC_SHA256;
			dl = 32;
		} else {
			snprintf(err, len, "unknown algorithm '%s' (hmac-sha1, hmac-sha256)", alg);
			return -1;
		}
		/* A3 leaves the truncation to configuration; below 8 octets (64 bits) an
		 * authenticator is guessable at line rate, so it is refused (issue 13). */
		if (t < GW_TAG_MIN || t > dl) {
			snprintf(err, len, "tag length %u of AT %u is not %u..%u", t, a, GW_TAG_MIN,
				 dl);
			return -1;
		}
		if (at[a].alg != MAC_ALG_NONE) {
			snprintf(err, len, "AT %u listed twice", a);
			return -1;
		}
		at[a].alg = ma;
		at[a].tag_len = (uint8_t)t;
	}
	return 0;
}

static int parse_enum(const struct key *k, const char *v, uint8_t *dst, char *err, size_t len)
{
	char opts[160] = "";

	for (unsigned i = 0; k->names[i] != NULL; i++) {
		if (strcmp(v, k->names[i]) == 0) {
			*(uint32_t *)(void *)dst = i; /* every enum field is 4 octets */
			return 0;
		}
	}
	for (unsigned i = 0; k->names[i] != NULL; i++) {
		strncat(opts, " ", sizeof(opts) - strlen(opts) - 1);
		strncat(opts, k->names[i], sizeof(opts) - strlen(opts) - 1);
	}
	snprintf(err, len, "'%s' is not one of:%s", v, opts);
	return -1;
}

/* [par] addresses / [router] prefixes: comma separated, at most GW_MAX_PAR/GW_MAX_PREFIXES. */
static int parse_list(const struct key *k, const char *v, struct gw_config *c, char *err,
		      size_t len)
{
	char buf[1024];
	char *items[GW_MAX_PAR > GW_MAX_PREFIXES ? GW_MAX_PAR : GW_MAX_PREFIXES];
	int max = k->type == T_IP6_LIST ? GW_MAX_PAR : GW_MAX_PREFIXES, n;

	snprintf(buf, sizeof(buf), "%s", v);
	n = split(buf, items, max);
	if (n < 0) {
		snprintf(err, len, "more than %d entries", max);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (k->type == T_IP6_LIST) {
			if (parse_ip6(items[i], c->par[i], err, len) < 0)
				return -1;
		} else if (parse_prefix(items[i], c->prefixes[i].addr, &c->prefixes[i].len, err,
					len) < 0) {
			return -1;
		}
	}
	if (k->type == T_IP6_LIST)
		c->n_par = (unsigned)n;
	else
		c->n_prefixes = (unsigned)n;
	return 0;
}

/* [lcores] slow: none, or lcore ids and ranges (a-b), comma separated, each once. */
static int parse_lcore_list(const char *v, struct gw_config *c, char *err, size_t len)
{
	char buf[256];
	char *items[GW_MAX_SLOW];
	int n;

	c->n_slow = 0;
	if (strcmp(v, "none") == 0 || *v == '\0')
		return 0;
	snprintf(buf, sizeof(buf), "%s", v);
	n = split(buf, items, GW_MAX_SLOW);
	if (n < 0) {
		snprintf(err, len, "more than %d entries", GW_MAX_SLOW);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *dash = strchr(items[i], '-');
		uint64_t lo, hi;

		if (dash != NULL)
			*dash = '\0';
		if (parse_uint(config_trim(items[i]), 0, RTE_MAX_LCORE - 1, &lo, err, len) < 0 ||
		    (dash != NULL &&
		     parse_uint(config_trim(dash + 1), lo, RTE_MAX_LCORE - 1, &hi, err, len) < 0))
			return -1;
		if (dash == NULL)
			hi = lo;
		for (uint64_t l = lo; l <= hi; l++) {
			if (c->n_slow == GW_MAX_SLOW) {
				snprintf(err, len, "more than %d lcores", GW_MAX_SLOW);
				return -1;
			}
			for (unsigned j = 0; j < c->n_slow; j++)
				if (c->slow_lcores[j] == l) {
					snprintf(err, len, "lcore %u listed twice", (unsigned)l);
					return -1;
				}
			c->slow_lcores[c->n_slow++] = (unsigned)l;
		}
	}
	return 0;
}

int config_parse_value(const struct key *k, const char *v, void *base, struct gw_config *cfg,
		       char *err, size_t len)
{
	uint8_t *dst = (uint8_t *)base + k->off;
	uint64_t x;

	switch (k->type) {
	case T_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, len, "value longer than %zu characters", k->size - 1);
			return -1;
		}
		memcpy(dst, v, strlen(v) + 1);
		return 0;
	case T_UINT:
		if (parse_uint(v, k->min, k->max, &x, err, len) < 0)
			return -1;
		if (k->size == 4)
			*(uint32_t *)(void *)dst = (uint32_t)x;
		else if (k->size == 2)
			*(uint16_t *)(void *)dst = (uint16_t)x;
		else if (k->size == 8)
			*(uint64_t *)(void *)dst = x;
		else
			*(unsigned *)(void *)dst = (unsigned)x;
		return 0;
	case T_BOOL:
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
		    !strcasecmp(v, "on"))
			*(bool *)(void *)dst = true;
		else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
			 !strcasecmp(v, "off"))
			*(bool *)(void *)dst = false;
		else {
			snprintf(err, len, "'%s' is not a boolean (true/false)", v);
			return -1;
		}
		return 0;
	case T_IP6:
		if (*v == '\0')
			return 0;
		return parse_ip6(v, dst, err, len);
	case T_MAC:
		if (*v == '\0')
			return 0;
		return parse_mac(v, dst, err, len);
	case T_PREFIX:
		if (*v == '\0')
			return 0;
		/* struct hk_ap: nar_prefix[16] then nar_prefix_len */
		return parse_prefix(v, dst, &((struct hk_ap *)base)->nar_prefix_len, err, len);
	case T_ATMAP:
		return parse_atmap(v, (struct mac_at_cfg *)(void *)dst, err, len);
	case T_LCORE: {
		int *l = (int *)(void *)dst;

		if (strcmp(v, "main") == 0) {
			*l = -1;
			return 0;
		}
		if (parse_uint(v, 0, RTE_MAX_LCORE - 1, &x, err, len) < 0)
			return -1;
		*l = (int)x;
		return 0;
	}
	case T_IP6_LIST:
	case T_PREFIX_LIST:
		return parse_list(k, v, cfg, err, len);
	case T_ENUM:
		return parse_enum(k, v, dst, err, len);
	case T_LCORE_LIST:
		return parse_lcore_list(v, cfg, err, len);
	}
	snprintf(err, len, "internal: unknown type");
	return -1;
}
