/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/common/port — ethdev and mbuf-pool set-up shared by the gateway, the benchmarks and the
 * mobile-node simulator: any ethdev (PCI NICs bound with dpdk-devbind.py, net_tap, af_packet,
 * net_pcap, net_memif, net_ring, net_null).
 *
 * A port gets `nb_rxq` RX queues and asks for `nb_txq` TX queues; when the device has fewer
 * (or refuses that many, as net_tap does when TX > RX; or is net_memif, whose peer maps only
 * as many TX queues as it has RX queues) it gets `nb_txq_min` and the port is marked
 * `tx_short` so that the application can relay the missing queue's packets through one it
 * has.  RSS over the RX queues on the IPv6 fields when asked for and supported.  Every
 * refusal says what to change, in err.
 */
#ifndef FMIP_PORT_H
#define FMIP_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#define FMIP_MAX_PORTS 8

/* What the application wants of one port. */
struct fmip_port_conf {
	uint16_t nb_rxq;     /* one per polling lcore */
	uint16_t nb_txq;     /* wanted: one per lcore that sends */
	uint16_t nb_txq_min; /* acceptable fallback (tx_short); 0: nb_txq is required */
	uint16_t rx_desc, tx_desc;
	struct rte_mempool *pool;
	bool rss;	  /* spread over the RX queues by the IPv6 addresses when supported */
	bool promiscuous; /* enable promiscuous mode (a warning when the device refuses) */
	bool rx_intr;	  /* ask for RX interrupts (rte_eth_dev_rx_intr_*); refused: polled */
	int logtype;	  /* rte_log type for the INFO/WARNING lines */
};

/* What the port got. */
struct fmip_port {
	uint16_t id;
	struct rte_ether_addr mac;
	uint16_t nb_rxq, nb_txq;
	bool rss;      /* RSS is on */
	bool tx_short; /* got nb_txq_min TX queues, not nb_txq */
	bool rx_intr;  /* RX interrupts are configured */
	char name[64]; /* driver name */
};

/* The ids of every probed port, at most max.  The count, or -1 (err says why: none, too many). */
int fmip_ports_probe(uint16_t ids[], unsigned max, char *err, size_t errlen);

/* Configure, set up and start port `id`.  0, or -1 with err. */
int fmip_port_open(uint16_t id, const struct fmip_port_conf *pc, struct fmip_port *p, char *err,
		   size_t errlen);
void fmip_port_close(const struct fmip_port *p);

/* The device's largest RX and TX queue counts.  0, or -1 (not a port). */
int fmip_port_max_queues(uint16_t id, uint16_t *rxq, uint16_t *txq);

/* The descriptors the device will really use for the wanted counts (rte_eth_dev_adjust_*). */
void fmip_port_desc(uint16_t id, uint16_t *rx_desc, uint16_t *tx_desc);

/* A packet mbuf pool of n mbufs (default data room); NULL with err naming the memory needed. */
/* As fmip_pool_create(), with data_room octets per mbuf (headroom included); 0: the default
 * RTE_MBUF_DEFAULT_BUF_SIZE. */
struct rte_mempool *fmip_pool_create_sized(const char *name, unsigned n, unsigned cache,
					   uint16_t data_room, char *err, size_t errlen);
struct rte_mempool *fmip_pool_create(const char *name, unsigned n, unsigned cache, char *err,
				     size_t errlen);

#endif /* FMIP_PORT_H */
