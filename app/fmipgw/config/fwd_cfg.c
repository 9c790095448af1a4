/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration of the router fast path: the labelled entries of [routes] and
 * [neighbours], the route file and the [exception] port map (fwd_cfg.h).  EAL-free.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_int.h"

void config_fwd_init(struct gw_config *cfg)
{
	memset(cfg->fwd.exc_of, -1, sizeof(cfg->fwd.exc_of));
}

void config_fwd_free(struct gw_config *cfg)
{
	free(cfg->fwd.routes);
	free(cfg->fwd.route_line);
	cfg->fwd.routes = NULL;
	cfg->fwd.route_line = NULL;
	cfg->fwd.n_routes = cfg->fwd.cap_routes = 0;
}

void config_fwd_swap(struct gw_config *a, struct gw_config *b)
{
	struct gw_fwd_cfg t;

	memcpy(&t, &a->fwd, sizeof(t));
	a->fwd.routes = b->fwd.routes;
	a->fwd.route_line = b->fwd.route_line;
	a->fwd.n_routes = b->fwd.n_routes;
	a->fwd.cap_routes = b->fwd.cap_routes;
	memcpy(a->fwd.statics, b->fwd.statics, sizeof(a->fwd.statics));
	a->fwd.n_statics = b->fwd.n_statics;
	b->fwd.routes = t.routes;
	b->fwd.route_line = t.route_line;
	b->fwd.n_routes = t.n_routes;
	b->fwd.cap_routes = t.cap_routes;
	memcpy(b->fwd.statics, t.statics, sizeof(b->fwd.statics));
	b->fwd.n_statics = t.n_statics;
}

static int route_add(struct gw_fwd_cfg *fc, const struct route_spec *r, uint32_t line)
{
	if (fc->n_routes == fc->cap_routes) {
		unsigned cap = fc->cap_routes ? 2 * fc->cap_routes : 64;
		struct route_spec *nr = realloc(fc->routes, cap * sizeof(*nr));
		uint32_t *nl;

		if (nr == NULL)
			return -1;
		fc->routes = nr;
		nl = realloc(fc->route_line, cap * sizeof(*nl));
		if (nl == NULL)
			return -1;
		fc->route_line = nl;
		fc->cap_routes = cap;
	}
	fc->routes[fc->n_routes] = *r;
	fc->route_line[fc->n_routes++] = line;
	return 0;
}

/* "ADDRESS port N MAC" */
static int static_parse(const char *v, struct gw_static_neigh *s, char *err, size_t errlen)
{
	char a[64], word[16], mac[32], extra;
	unsigned port, b[6];

	if (sscanf(v, "%63s %15s %u %31s %c", a, word, &port, mac, &extra) != 4 ||
	    strcmp(word, "port") != 0) {
		snprintf(err, errlen, "'%s' is not ADDRESS port N MAC", v);
		return -1;
	}
	if (inet_pton(AF_INET6, a, s->addr) != 1 || s->addr[0] == 0xff) {
		snprintf(err, errlen, "'%s' is not a unicast IPv6 address", a);
		return -1;
	}
	if (port >= GW_FWD_MAX_PORTS) {
		snprintf(err, errlen, "port %u: at most %d ports", port, GW_FWD_MAX_PORTS);
		return -1;
	}
	if (sscanf(mac, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &extra) !=
	    6) {
		snprintf(err, errlen, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", mac);
		return -1;
	}
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255 || (i == 0 && (b[0] & 1))) {
			snprintf(err, errlen, "'%s' is not a unicast MAC address", mac);
			return -1;
		}
		s->mac[i] = (uint8_t)b[i];
	}
	s->port = (uint16_t)port;
	return 0;
}

int config_fwd_entry(struct gw_config *cfg, const char *section, const char *key, const char *value,
		     char *err, size_t errlen)
{
	struct gw_fwd_cfg *fc = &cfg->fwd;

	if (strcmp(section, "routes") == 0 && strncmp(key, "route.", 6) == 0 && key[6]) {
		struct route_spec r;

		if (route_spec_parse(value, &r, err, errlen) < 0)
			return -1;
		if (route_add(fc, &r, config_find_line(cfg->file, section, key)) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 1;
	}
	if (strcmp(section, "neighbours") == 0 && strncmp(key, "static.", 7) == 0 && key[7]) {
		struct gw_static_neigh *s = &fc->statics[fc->n_statics];

		if (fc->n_statics == GW_MAX_STATIC) {
			snprintf(err, errlen, "more than %d static neighbours", GW_MAX_STATIC);
			return -1;
		}
		if (static_parse(value, s, err, errlen) < 0)
			return -1;
		for (unsigned i = 0; i < fc->n_statics; i++)
			if (fc->statics[i].port == s->port &&
			    memcmp(fc->statics[i].addr, s->addr, 16) == 0) {
				snprintf(err, errlen, "the same neighbour as line %u",
					 fc->statics[i].line);
				return -1;
			}
		s->line = config_find_line(cfg->file, section, key);
		fc->n_statics++;
		return 1;
	}
	return 0;
}

/* The route file, opened for reading: a regular file only (a FIFO or a terminal would block
 * start-up, --check and the control lcore's SIGHUP reload; a directory would read as empty). */
static FILE *routes_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	FILE *f;

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "[routes] file '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "[routes] file '%s' is not a regular file", path);
		close(fd);
		return NULL;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		snprintf(err, errlen, "[routes] file '%s': %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* [routes] file: one route line per line; '#' or ';' start a comment. */
static int routes_file(struct gw_config *cfg, char *err, size_t errlen)
{
	struct gw_fwd_cfg *fc = &cfg->fwd;
	FILE *f = routes_open(fc->file, err, errlen);
	char buf[512], e[160];
	unsigned n = 0;
	int rc = 0;

	if (f == NULL)
		return -1;
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		char *s = buf, *c;
		struct route_spec r;

		n++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line longer than %zu characters", fc->file, n,
				 sizeof(buf) - 2);
			rc = -1;
			break;
		}
		if ((c = strpbrk(s, "#;")) != NULL)
			*c = '\0';
		s = config_trim(s);
		if (*s == '\0')
			continue;
		if (n > GW_ROUTE_LINE_MAX || route_spec_parse(s, &r, e, sizeof(e)) < 0) {
			snprintf(err, errlen, "%s:%u: %s", fc->file, n, e);
			rc = -1;
		} else if (route_add(fc, &r, n | GW_ROUTE_IN_FILE) < 0) {
			snprintf(err, errlen, "%s: out of memory at line %u", fc->file, n);
			rc = -1;
		}
	}
	fclose(f);
	return rc;
}

/* [exception] ports = EXC:DATA[,EXC:DATA...] */
static int exc_map(struct gw_fwd_cfg *fc, char *err, size_t errlen)
{
	char buf[sizeof(fc->ports)], *save = NULL, *t;
	bool is_exc[GW_FWD_MAX_PORTS] = { false };

	snprintf(buf, sizeof(buf), "%s", fc->ports);
	for (t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		unsigned e, d;
		char extra;

		t = config_trim(t);
		if (*t == '\0')
			continue;
		if (sscanf(t, "%u:%u%c", &e, &d, &extra) != 2 || e >= GW_FWD_MAX_PORTS ||
		    d >= GW_FWD_MAX_PORTS || e == d) {
			snprintf(err, errlen,
				 "ports: '%s' is not EXC:DATA (two different port indexes < %d)", t,
				 GW_FWD_MAX_PORTS);
			return -1;
		}
		if (fc->exc_of[d] >= 0 || is_exc[e] || is_exc[d] || fc->exc_of[e] >= 0) {
			snprintf(
			    err, errlen,
			    "ports: '%s': a data port has one exception port, and an exception "
			    "port serves one data port",
			    t);
			return -1;
		}
		fc->exc_of[d] = (int8_t)e;
		is_exc[e] = true;
	}
	return 0;
}

static bool is_exc_port(const struct gw_fwd_cfg *fc, unsigned p)
{
	for (unsigned d = 0; d < GW_FWD_MAX_PORTS; d++)
		if (fc->exc_of[d] == (int)p)
			return true;
	return false;
}

unsigned config_route_msg(const struct gw_config *cfg, unsigned i, const char *msg, char *err,
			  size_t errlen)
{
	uint32_t l = i < cfg->fwd.n_routes ? cfg->fwd.route_line[i] : 0;

	if (!(l & GW_ROUTE_IN_FILE)) {
		snprintf(err, errlen, "%s", msg);
		return l;
	}
	snprintf(err, errlen, "%s:%u: %s", cfg->fwd.file, l & GW_ROUTE_LINE_MAX, msg);
	return config_find_line(cfg->file, "routes", "file");
}

int config_fwd_finish(struct gw_config *cfg, unsigned *line, char *err, size_t errlen)
{
	struct gw_fwd_cfg *fc = &cfg->fwd;
	char msg[96];

	*line = 0;
	if (fc->file[0] != '\0' && routes_file(cfg, err, errlen) < 0) {
		*line = config_find_line(cfg->file, "routes", "file");
		return -1;
	}
	if (exc_map(fc, err, errlen) < 0) {
		*line = config_find_line(cfg->file, "exception", "ports");
		return -1;
	}
	for (unsigned i = 0; i < fc->n_routes; i++)
		if (fc->routes[i].kind != ROUTE_LOCAL && is_exc_port(fc, fc->routes[i].port)) {
			snprintf(msg, sizeof(msg),
				 "port %u is an exception port ([exception] ports)",
				 fc->routes[i].port);
			*line = config_route_msg(cfg, i, msg, err, errlen);
			return -1;
		}
	for (unsigned i = 0; i < fc->n_statics; i++)
		if (is_exc_port(fc, fc->statics[i].port)) {
			*line = fc->statics[i].line;
			snprintf(err, errlen, "static neighbour on port %u, an exception port",
				 fc->statics[i].port);
			return -1;
		}
	return 0;
}
