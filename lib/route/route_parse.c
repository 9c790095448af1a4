/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route: one route line of the proposed [routes] file format (route.h, docs/route.md)
 * into a struct route_spec.  Addresses through inet_pton, numbers through strtoul.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "route.h"

#define MAX_WORDS 6

static int perr(char *err, size_t errlen, const char *what, const char *word)
{
	if (err && errlen)
		snprintf(err, errlen, "%s%s%s%s", what, word ? " '" : "", word ? word : "",
			 word ? "'" : "");
	return -EINVAL;
}

/* PREFIX/LEN or "default" */
static int parse_prefix(char *w, struct route_spec *r, char *err, size_t errlen)
{
	char *slash, *end;
	unsigned long len;

	if (strcmp(w, "default") == 0) {
		memset(r->prefix, 0, 16);
		r->len = 0;
		return 0;
	}
	slash = strchr(w, '/');
	if (slash == NULL)
		return perr(err, errlen, "expected PREFIX/LEN or default, got", w);
	*slash = '\0';
	if (inet_pton(AF_INET6, w, r->prefix) != 1)
		return perr(err, errlen, "not an IPv6 prefix:", w);
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (slash[1] == '\0' || *end != '\0' || errno || len > 128)
		return perr(err, errlen, "prefix length is not 0-128:", slash + 1);
	r->len = (uint8_t)len;
	return 0;
}

static int parse_port(const char *w, struct route_spec *r, char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(w, &end, 10);
	if (*w == '\0' || *w == '-' || *end != '\0' || errno || v > UINT16_MAX)
		return perr(err, errlen, "not a port number:", w);
	r->port = (uint16_t)v;
	return 0;
}

int route_spec_parse(const char *line, struct route_spec *r, char *err, size_t errlen)
{
	char buf[256], *save = NULL, *w[MAX_WORDS + 1];
	unsigned n = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	if (strlen(line) >= sizeof(buf))
		return perr(err, errlen, "line too long", NULL);
	strcpy(buf, line);
	for (char *t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_WORDS)
			return perr(err, errlen, "too many words at", t);
		w[n++] = t;
	}
	if (n < 2)
		return perr(err, errlen, "expected PREFIX/LEN via|connected|local ...", NULL);
	if ((rc = parse_prefix(w[0], r, err, errlen)))
		return rc;
	if (strcmp(w[1], "via") == 0 && n == 5 && strcmp(w[3], "port") == 0) {
		r->kind = ROUTE_VIA;
		if (inet_pton(AF_INET6, w[2], r->gw) != 1)
			return perr(err, errlen, "not an IPv6 next hop:", w[2]);
		return parse_port(w[4], r, err, errlen);
	}
	if (strcmp(w[1], "connected") == 0 && n == 4 && strcmp(w[2], "port") == 0) {
		r->kind = ROUTE_CONNECTED;
		return parse_port(w[3], r, err, errlen);
	}
	if (strcmp(w[1], "local") == 0 && n == 2) {
		r->kind = ROUTE_LOCAL;
		return 0;
	}
	return perr(err, errlen, "expected 'via ADDR port N', 'connected port N' or 'local' after",
		    w[0]);
}
