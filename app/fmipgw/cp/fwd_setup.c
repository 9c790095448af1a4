/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw router fast path, the control lcore's side of its life (fwd.h): the exception map
 * and the TAPs' MAC addresses at start-up; the route and neighbour tables when [routes] has
 * routes; each FIB built from the whole list plus a `local` /128 for the router address and
 * each PAR address (unless the list has that prefix), published with one pointer store; the
 * static neighbours reconciled on reload; the periodic work (neighbour timers, old FIBs
 * reclaimed, the telemetry snapshot).  Errors name the route's file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "cp.h"
#include "fwd.h"
#include "fwd_tel.h"

_Static_assert(GW_FWD_MAX_PORTS == GW_MAX_PORTS, "fwd_cfg.h and port.h port counts");

/* Exception ports: the map checked against the ports there are, each TAP given its data
 * port's MAC (so that the kernel answers for it and sends from it), no distribution. */
static int exc_ports(struct gw *gw, char *err, size_t errlen)
{
	struct gw_fwd *fw = gw->fwd;
	const struct gw_config *cfg = &gw->cfg;

	for (unsigned d = 0; d < GW_MAX_PORTS; d++) {
		int e = cfg->fwd.exc_of[d];
		struct gw_port *ep;

		if (e < 0)
			continue;
		if (d >= gw->n_ports || (unsigned)e >= gw->n_ports) {
			snprintf(
			    err, errlen,
			    "%s:%u: [exception] ports: port %u does not exist (%u ports: -a/--vdev "
			    "in order from 0)",
			    cfg->file, config_key_line(cfg, "exception", "ports"),
			    d >= gw->n_ports ? d : (unsigned)e, gw->n_ports);
			return -1;
		}
		ep = &gw->ports[e];
		fw->exc_of[d] = (int8_t)e;
		fw->data_of[e] = (int8_t)d;
		ep->dist = false;
		if (rte_eth_dev_default_mac_addr_set(ep->p.id, &gw->ports[d].p.mac) == 0)
			ep->p.mac = gw->ports[d].p.mac;
		else
			GW_LOG(cfg, WARNING,
			       "exception port %u (%s) does not take port %u's "
			       "MAC " RTE_ETHER_ADDR_PRT_FMT
			       ": give its kernel interface that address\n",
			       e, ep->p.name, d, RTE_ETHER_ADDR_BYTES(&gw->ports[d].p.mac));
		GW_LOG(cfg, INFO, "port %u: exception port of port %u\n", e, d);
	}
	return 0;
}

/* A `local` /128 for a, unless v has that prefix already (given, or a PAR twice). */
static void add_local(struct route_spec *v, unsigned *n, const uint8_t a[16])
{
	static const uint8_t z[16];

	if (memcmp(a, z, 16) == 0)
		return;
	for (unsigned i = 0; i < *n; i++)
		if (v[i].len == 128 && memcmp(v[i].prefix, a, 16) == 0)
			return;
	memset(&v[*n], 0, sizeof(v[*n]));
	memcpy(v[*n].prefix, a, 16);
	v[*n].len = 128;
	v[*n].kind = ROUTE_LOCAL;
	(*n)++;
}

/* A FIB from cfg's routes and the router's own addresses.  0, or -1 with "file:line: what". */
static int build(struct gw *gw, const struct gw_config *cfg, struct route_fib **out, char *err,
		 size_t errlen)
{
	unsigned n = cfg->fwd.n_routes, m = n;
	struct route_spec *v = malloc((n + 1 + cfg->n_par) * sizeof(*v));
	struct route_err re = { -1, "" };
	char msg[300];
	int rc;

	if (v == NULL) {
		snprintf(err, errlen, "out of memory for %u routes", n);
		return -1;
	}
	if (n != 0)
		memcpy(v, cfg->fwd.routes, n * sizeof(*v));
	add_local(v, &m, gw->cfg.router_addr);
	for (unsigned i = 0; i < cfg->n_par; i++)
		add_local(v, &m, cfg->par[i]);
	rc = route_fib_build(gw->fwd->rt, v, m, out, &re);
	free(v);
	if (rc == 0)
		return 0;
	if (re.index >= 0 && (unsigned)re.index < n) {
		const char *what = strchr(re.msg, ':'); /* past lib/route's "route N: " */
		unsigned line = config_route_msg(
		    cfg, (unsigned)re.index,
		    what != NULL && strncmp(re.msg, "route ", 6) == 0 ? what + 2 : re.msg, msg,
		    sizeof(msg));

		snprintf(err, errlen, "%s:%u: %s", cfg->file, line, msg);
	} else {
		snprintf(err, errlen, "%s:%u: [routes]: %s%s", cfg->file,
			 config_key_line(cfg, "routes", "max_routes"), re.msg,
			 re.index >= 0 ? " (an automatic local route of the router's addresses)"
				       : "");
	}
	return -1;
}

static bool prefix_has(const struct route_spec *p, const uint8_t a[16])
{
	unsigned full = p->len / 8, rest = p->len % 8;

	return memcmp(p->prefix, a, full) == 0 &&
	       (rest == 0 || ((p->prefix[full] ^ a[full]) & (0xff00 >> rest)) == 0);
}

/* The source of the ICMPv6 errors per input port (icmp6_err.c). */
static void err_sources(struct gw *gw)
{
	const struct gw_fwd_cfg *fc = &gw->cfg.fwd;
	struct gw_fwd *fw = gw->fwd;
	const uint8_t *global = NULL;
	bool set[GW_MAX_PORTS] = { false };

	for (unsigned i = 0; i < fc->n_routes; i++) {
		const struct route_spec *l = &fc->routes[i];

		if (l->kind != ROUTE_LOCAL || l->len != 128 || l->prefix[0] == 0xfe)
			continue;
		if (global == NULL)
			global = l->prefix;
		for (unsigned j = 0; j < fc->n_routes; j++) {
			const struct route_spec *c = &fc->routes[j];

			if (c->kind == ROUTE_CONNECTED && c->port < GW_MAX_PORTS && !set[c->port] &&
			    prefix_has(c, l->prefix)) {
				memcpy(fw->err_src[c->port], l->prefix, 16);
				set[c->port] = true;
			}
		}
	}
	for (unsigned p = 0; p < GW_MAX_PORTS; p++)
		if (!set[p])
			memcpy(fw->err_src[p], global ? global : gw->cfg.router_addr, 16);
}

static bool static_in(const struct gw_fwd_cfg *fc, const struct gw_static_neigh *s)
{
	for (unsigned i = 0; i < fc->n_statics; i++)
		if (fc->statics[i].port == s->port && memcmp(fc->statics[i].addr, s->addr, 16) == 0)
			return true;
	return false;
}

/* Every static neighbour of nc is on a port that exists.  0, or -1 with err. */
static int statics_check(const struct gw *gw, const struct gw_config *cfg, char *err, size_t errlen)
{
	for (unsigned i = 0; i < cfg->fwd.n_statics; i++)
		if (cfg->fwd.statics[i].port >= gw->n_ports) {
			snprintf(err, errlen,
				 "%s:%u: static neighbour on port %u: there are %u ports",
				 cfg->file, cfg->fwd.statics[i].line, cfg->fwd.statics[i].port,
				 gw->n_ports);
			return -1;
		}
	return 0;
}

/* The static neighbours of nc (those of oc that nc has not are removed).  0, or -1 with err
 * when one cannot be added (the table is full: the others are in). */
static int statics(struct gw *gw, const struct gw_fwd_cfg *oc, const struct gw_fwd_cfg *nc,
		   char *err, size_t errlen)
{
	int rc = 0;

	for (unsigned i = 0; oc != NULL && i < oc->n_statics; i++)
		if (!static_in(nc, &oc->statics[i]))
			neigh_del(gw->fwd->nt, oc->statics[i].addr, oc->statics[i].port);
	for (unsigned i = 0; i < nc->n_statics; i++) {
		const struct gw_static_neigh *s = &nc->statics[i];

		if (neigh_add_static(gw->fwd->nt, s->addr, s->port, s->mac) < 0 && rc == 0) {
			snprintf(
			    err, errlen,
			    "%s:%u: static neighbour: the table is full ([neighbours] capacity)",
			    gw->cfg.file, s->line);
			rc = -1;
		}
	}
	return rc;
}

static int tables(struct gw *gw, char *err, size_t errlen)
{
	const struct gw_fwd_cfg *fc = &gw->cfg.fwd;
	struct route_table_cfg rc = {
		.name = "fmipgw_fib",
		.max_routes = fc->max_routes,
		.tbl8_groups = fc->tbl8_groups,
		.n_ports = (uint16_t)gw->n_ports,
		.socket_id = (int)rte_socket_id(),
		.qsv = gw->qsv,
	};
	struct neigh_cfg nc;
	int rc_ = route_table_create(&rc, &gw->fwd->rt);

	if (rc_ == 0) {
		neigh_cfg_defaults(&nc);
		nc.name = "fmipgw_neigh";
		nc.capacity = fc->capacity;
		nc.socket_id = (int)rte_socket_id();
		nc.qsv = gw->qsv;
		nc.queue_len = (uint16_t)fc->queue_len;
		nc.retrans_ms = fc->retrans_ms;
		nc.mcast_solicit = (uint8_t)fc->mcast_solicit;
		nc.ucast_solicit = (uint8_t)fc->ucast_solicit;
		nc.reachable_ms = fc->reachable_ms;
		nc.delay_ms = fc->delay_ms;
		nc.stale_ms = fc->stale_ms;
		nc.failed_ms = fc->failed_ms;
		rc_ = neigh_create(&nc, &gw->fwd->nt);
	}
	if (rc_ < 0)
		snprintf(
		    err, errlen,
		    "%s:%u: cannot create the route/neighbour tables (max_routes %u, "
		    "tbl8_groups %u, capacity %u): %s; lower them or give EAL more memory (-m)",
		    gw->cfg.file, config_key_line(&gw->cfg, "routes", NULL), fc->max_routes,
		    fc->tbl8_groups, fc->capacity, strerror(-rc_));
	return rc_ < 0 ? -1 : 0;
}

int fwd_create(struct gw *gw, char *err, size_t errlen)
{
	struct gw_fwd *fw = rte_zmalloc("fmipgw_fwd", sizeof(*fw), RTE_CACHE_LINE_SIZE);
	struct route_fib *f;

	gw->fwd = fw;
	if (fw == NULL ||
	    (fw->snap = rte_zmalloc("fmipgw_fwd_snap", sizeof(*fw->snap), 0)) == NULL) {
		snprintf(err, errlen,
			 "cannot allocate the routing state: give EAL more memory (-m)");
		return -1;
	}
	fwd_snap_init(fw->snap);
	memset(fw->exc_of, -1, sizeof(fw->exc_of));
	memset(fw->data_of, -1, sizeof(fw->data_of));
	fw->gen = 1;
	fw->nd = gw->cfg.fwd.nd;
	if (exc_ports(gw, err, errlen) < 0)
		return -1;
	if (gw->cfg.fwd.n_routes == 0) {
		GW_LOG(cfg, INFO,
		       "no [routes]: traffic not for the gateway follows [ports] "
		       "pass_through (the lab setting)\n");
		return 0;
	}
	if (statics_check(gw, &gw->cfg, err, errlen) < 0 || tables(gw, err, errlen) < 0 ||
	    statics(gw, NULL, &gw->cfg.fwd, err, errlen) < 0 ||
	    build(gw, &gw->cfg, &f, err, errlen) < 0)
		return -1;
	route_table_publish(fw->rt, f);
	err_sources(gw);
	fw->on = true;
	GW_LOG(cfg, INFO, "routing: %u routes, %u static neighbours\n", gw->cfg.fwd.n_routes,
	       gw->cfg.fwd.n_statics);
	return 0;
}

void fwd_free(struct gw *gw)
{
	struct gw_fwd *fw = gw->fwd;

	if (fw == NULL)
		return;
	if (fw->nt != NULL)
		neigh_free(fw->nt);
	if (fw->rt != NULL)
		route_table_free(fw->rt);
	rte_free(fw->snap);
	rte_free(fw);
	gw->fwd = NULL;
}

int fwd_reload(struct gw *gw, struct gw_config *loaded)
{
	struct gw_fwd *fw = gw->fwd;
	struct route_fib *f;
	char err[sizeof(fw->last_err)];

	if (fw == NULL)
		return 0;
	__atomic_add_fetch(&fw->gen, 1, __ATOMIC_RELEASE); /* the rates config_apply_reload set */
	if (!fw->on) {
		if (loaded->fwd.n_routes != 0)
			GW_LOG(cfg, WARNING,
			       "[routes] given, but routing was off at start-up: "
			       "restart to route\n");
		return 0;
	}
	if (statics_check(gw, loaded, err, sizeof(err)) < 0 ||
	    build(gw, loaded, &f, err, sizeof(err)) < 0) {
		snprintf(fw->last_err, sizeof(fw->last_err), "%s", err);
		GW_LOG(cfg, ERR, "routes not reloaded, the current FIB stays: %s\n", err);
		return -1;
	}
	route_table_publish(fw->rt, f);
	if (statics(gw, &gw->cfg.fwd, &loaded->fwd, err, sizeof(err)) < 0)
		GW_LOG(cfg, WARNING, "%s\n", err);
	config_fwd_swap(&gw->cfg, loaded); /* the old list goes with loaded */
	err_sources(gw);
	GW_LOG(cfg, NOTICE, "routes reloaded: %u routes, %u static neighbours\n",
	       gw->cfg.fwd.n_routes, gw->cfg.fwd.n_statics);
	return 0;
}

void fwd_tick(struct gw_ctrl *c, uint64_t now)
{
	struct gw *gw = c->gw;
	struct gw_fwd *fw = gw->fwd;

	if (fw == NULL)
		return;
	fwd_snap_serve(gw);
	if (!fw->on || (now < fw->next_tick && !fw->kick))
		return;
	fw->kick = false;
	fw->next_tick = now + gw->tsc_hz / 1000 * FWD_TICK_MS;
	cp_neigh_timers(c);
	route_table_reclaim(fw->rt);
}
