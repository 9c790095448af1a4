/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration of the router fast path (issue 11; config/fwd_cfg.c): [routes],
 * [neighbours], [icmp6] and [exception].  The plain keys are rows of the key table (keys.c);
 * the labelled entries — `route.<label> = ROUTE LINE` in [routes], `static.<label> = ADDRESS
 * port N MAC` in [neighbours] — and the route file (`[routes] file`, one route line per line)
 * are read here, because their number is not fixed.  Route lines are lib/route's
 * (route_spec_parse(): `PREFIX/LEN via ADDR port N`, `PREFIX/LEN connected port N`,
 * `PREFIX/LEN local`, `default via ADDR port N`).  Ports are gateway port indexes (the order of
 * -a/--vdev); the checks that need the ports (a port that exists, not an exception port) are
 * made at start-up and on reload by cp/fwd_setup.c, with the file:line of the route.
 */
#ifndef FMIPGW_FWD_CFG_H
#define FMIPGW_FWD_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "route.h"

#define GW_FWD_MAX_PORTS  8 /* == FMIP_MAX_PORTS (app/common/port.h) */
#define GW_MAX_STATIC	  256
#define GW_ROUTE_IN_FILE  0x80000000u /* gw_fwd_cfg.route_line: the line is in [routes] file */
#define GW_ROUTE_LINE_MAX 0x7fffffffu

/* [neighbours] static.<label> */
struct gw_static_neigh {
	uint8_t addr[16];
	uint16_t port;
	uint8_t mac[6];
	uint32_t line; /* in the configuration file */
};

struct gw_fwd_cfg {
	/* [routes] */
	uint32_t max_routes;
	uint32_t tbl8_groups;
	char file[256];
	struct route_spec *routes; /* route.<label> entries (in file order), then the file's */
	uint32_t *route_line;	   /* per route: its line, | GW_ROUTE_IN_FILE for the file's */
	unsigned n_routes, cap_routes;
	/* [neighbours] */
	uint32_t capacity, queue_len;
	uint32_t retrans_ms, mcast_solicit, ucast_solicit;
	uint32_t reachable_ms, delay_ms, stale_ms, failed_ms;
	uint32_t resolve_rate, resolve_burst; /* per worker: hand-overs of unresolved packets */
	struct gw_static_neigh statics[GW_MAX_STATIC];
	unsigned n_statics;
	/* [icmp6] */
	uint32_t error_rate, error_burst; /* per worker (RFC 4443 2.4 (f)) */
	/* [exception] */
	char ports[160];		 /* "EXC:DATA,..." as written */
	int8_t exc_of[GW_FWD_MAX_PORTS]; /* data port index -> its exception port, or -1 */
	bool nd;			 /* ND/RA/MLD for the router also go to the kernel */
};

struct gw_config;
struct rte_cfgfile;

/* A key of [routes] or [neighbours] that is not in the key table: 1 consumed (a labelled
 * entry), 0 not one of ours (the caller reports an unknown key), -1 with err (no file:line). */
int config_fwd_entry(struct gw_config *cfg, const char *section, const char *key, const char *value,
		     char *err, size_t errlen);
/* After every section: [routes] file read, [exception] ports parsed.  0, or -1 with *line (0:
 * none) and err; a route file error is "FILE:LINE: what" with *line 0. */
int config_fwd_finish(struct gw_config *cfg, unsigned *line, char *err, size_t errlen);
/* Defaults before the sections are read (the exception map empty). */
void config_fwd_init(struct gw_config *cfg);
void config_fwd_free(struct gw_config *cfg);
/* An error about route i of cfg: for a route of the configuration file, err = msg and its
 * line is returned; for one of the route file, err = "FILE:LINE: msg" and the line of
 * [routes] file is returned (the caller prefixes "CONFIG:LINE: " in both cases). */
unsigned config_route_msg(const struct gw_config *cfg, unsigned i, const char *msg, char *err,
			  size_t errlen);
/* Exchange the route lists and static neighbours of a and b (reload: the new ones go live,
 * the old ones are freed with the loaded configuration). */
void config_fwd_swap(struct gw_config *a, struct gw_config *b);

#endif /* FMIPGW_FWD_CFG_H */
