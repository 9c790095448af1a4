/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry of the ports and the mbuf pool (obs/port_tel.c), issue 13 item 4:
 *
 *   /fmipgw/ports   the pool: its name, size, available and in-use mbufs (every lcore's cache
 *                   included), cache size, the start-up estimate of what can be out of it at
 *                   once (pool_estimate, pool_fixed: sizing.h), the workers now starved
 *                   (workers_starved; rx_pool_empty counts starvations); and per port
 *                   (port<index>): id, driver, queues, descriptors and rte_eth_stats —
 *                   ipackets, opackets, imissed, ierrors, oerrors, rx_nombuf
 *
 * Read-only: the pool and ethdev statistics are read from the telemetry thread the way DPDK's
 * own /ethdev/stats and /mempool/info do.
 */
#ifndef FMIPGW_PORT_TEL_H
#define FMIPGW_PORT_TEL_H

struct gw;
struct rte_tel_data;

int port_tel_ports(const struct gw *gw, struct rte_tel_data *d); /* 0, or -1 */

#endif /* FMIPGW_PORT_TEL_H */
