/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry of the router fast path (obs/fwd_tel.c):
 *
 *   /fmipgw/routes      routing on/off, the FIB's generation, routes, next hops, builds, build
 *                       errors, old FIBs freed, the last build error, the first FWD_SNAP_MAX
 *                       configured routes
 *   /fmipgw/neighbours  the neighbour table's statistics and its first FWD_SNAP_MAX entries
 *                       (address, port, state, MAC, held packets, probes)
 *
 * The tables' writer-side views belong to the control lcore: a command asks it for a snapshot
 * (struct fwd_snap, fwd.h), which it fills at its next turn (fwd_tick), and waits at most a
 * second for it.
 */
#ifndef FMIPGW_FWD_TEL_H
#define FMIPGW_FWD_TEL_H

struct gw;
struct fwd_snap;
struct rte_tel_data;

void fwd_snap_init(struct fwd_snap *s);
/* Control lcore: fill the snapshot when one is asked for. */
void fwd_snap_serve(struct gw *gw);
/* Telemetry threads.  0, or -1 (the control lcore did not answer in time). */
int fwd_tel_routes(struct gw *gw, struct rte_tel_data *d);
int fwd_tel_neighbours(struct gw *gw, struct rte_tel_data *d);

#endif /* FMIPGW_FWD_TEL_H */
