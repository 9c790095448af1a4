/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry (/var/run/dpdk/<prefix>/dpdk_telemetry.v2; `fmipctl stats|keys`):
 *
 *   /fmipgw/stats         counters summed over every lcore, malformed drops by lib/wire error,
 *                         RtSolPr outcomes by lib/hk / SEND reason, provisioning latency
 *   /fmipgw/lcore,<id>    one lcore's counters
 *   /fmipgw/keys          live keys, capacity, table statistics, live keys per AT
 *   /fmipgw/key,<address> one key record without secrets (AT, times, last sequence)
 *   /fmipgw/config        the effective value of every configuration key
 *   /fmipgw/routes        the FIB (generation, routes, errors) and the configured routes
 *   /fmipgw/neighbours    the neighbour table's statistics and entries (fwd_tel.h)
 *   /fmipgw/bindings      bindings: count, capacity, the table's writer statistics
 *   /fmipgw/binding,<pcoa> one binding (NCoA, state, lifetime left, packets, bytes; no key)
 *   /fmipgw/snapshot      the sealed snapshot (writes, last write, the load at start) and the
 *                         key import (cp/snapshot.h); no key material
 *   /fmipgw/ports         the mbuf pool (size, available, in use, the estimate, starved
 *                         workers) and every port's ethdev statistics (port_tel.h)
 */
#ifndef FMIPGW_TELEMETRY_H
#define FMIPGW_TELEMETRY_H

#include <stddef.h>

#include "counters.h"

struct gw;

int telemetry_init(struct gw *gw, char *err, size_t errlen);
/* Before teardown: commands answer -1 from now on; returns when none is running. */
void telemetry_stop(void);
/* The counters of every lcore of gw, summed (relaxed loads). */
void gw_counters_sum(const struct gw *gw, struct gw_counters *sum);

#endif /* FMIPGW_TELEMETRY_H */
