/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn runs: set-up of every node over the lcores (identities, encryption key pairs), the
 * live run on a DPDK port (live.c) and the offline run into a pcap (offline.c).  main.c calls
 * these in order.
 */
#ifndef FMIP_MN_RUN_H
#define FMIP_MN_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "ident.h"
#include "mn.h"

struct mn_opts {
	const char *scenario;
	const char *json;
	const char *offline; /* the pcap to write: offline mode */
	const char *keys;    /* the key-export file (offline: default <pcap>.keys) */
	const char *tx_pcap; /* live: record every frame sent */
	unsigned port;	     /* index among the probed ports */
	unsigned idle_us;    /* live: sleep when a turn did nothing (0: busy poll) */
	bool ids_only;	     /* set up the identities, report their cost, stop */
	bool fail_on_error;  /* exit 3 if a valid operation failed */
	bool quiet;	     /* no text report */
};

/* Now in both clocks (CLOCK_MONOTONIC and SEND's wall time). */
void mn_now_get(struct mn_now *now);

/* Set up every node over the enabled lcores (rte_eal_remote_launch): 0, or -1 with err. */
int mn_setup_nodes(struct mn_world *w, struct mn_ident_cost *cost, double *wall_s, char *err,
		   size_t len);

/* Live: frames through a port, until the plans are done (and drained), the duration is over
 * or SIGINT/SIGTERM.  Counters summed into st. */
int mn_live_run(struct mn_world *w, const struct mn_opts *o, struct mn_stats *st, double *secs,
		char *err, size_t len);

/* Offline: the plans against the in-process router, frames into the pcap, keys exported. */
int mn_offline_run(struct mn_world *w, const struct mn_opts *o, struct mn_stats *st, double *secs,
		   char *err, size_t len);

/* Live: every key the nodes hold, as a key-export file.  The count, or -1 with err. */
int mn_world_export_keys(const struct mn_world *w, const char *path, char *err, size_t len);

#endif /* FMIP_MN_RUN_H */
