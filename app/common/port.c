/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/common/port — see port.h.  One function per step of an ethdev's life: probe, open
 * (info, queue counts, RSS, configure, descriptors, queues, start, promiscuous), close.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "port.h"

int fmip_ports_probe(uint16_t ids[], unsigned max, char *err, size_t errlen)
{
	unsigned n = 0;
	uint16_t pid;

	RTE_ETH_FOREACH_DEV(pid)
	{
		if (n == max) {
			snprintf(err, errlen, "more than %u ports: restrict them with -a/--vdev",
				 max);
			return -1;
		}
		ids[n++] = pid;
	}
	if (n == 0) {
		snprintf(err, errlen,
			 "no ports: bind a NIC to vfio-pci with dpdk-devbind.py, or add a virtual "
			 "device, e.g. --vdev net_tap0 or --vdev net_pcap0,rx_pcap=in.pcap,"
			 "tx_pcap=out.pcap (see docs/operations.md)");
		return -1;
	}
	return (int)n;
}

int fmip_port_max_queues(uint16_t id, uint16_t *rxq, uint16_t *txq)
{
	struct rte_eth_dev_info info;

	if (rte_eth_dev_info_get(id, &info) != 0)
		return -1;
	*rxq = info.max_rx_queues;
	*txq = info.max_tx_queues;
	return 0;
}

void fmip_port_desc(uint16_t id, uint16_t *rx_desc, uint16_t *tx_desc)
{
	uint16_t rxd = *rx_desc, txd = *tx_desc;

	if (rte_eth_dev_adjust_nb_rx_tx_desc(id, &rxd, &txd) == 0) {
		*rx_desc = rxd;
		*tx_desc = txd;
	}
}

/* net_memif connects TX queue i to ring i of its peer, and the connection has only as many
 * rings as the side with fewer queues asked for: a TX queue beyond the peer's RX queues (the
 * control lcore's, when the peer has one queue pair per worker) has no ring, and what it
 * sends is lost.  Such a device gets one TX queue per RX queue. */
static bool tx_by_pairs(const struct rte_eth_dev_info *info)
{
	return info->driver_name != NULL && strcmp(info->driver_name, "net_memif") == 0;
}

/* The TX queue count the device can give: nb_txq, else nb_txq_min (tx_short); -1 if neither. */
static int txq_count(const struct rte_eth_dev_info *info, const struct fmip_port_conf *pc,
		     struct fmip_port *p, char *err, size_t errlen)
{
	if (info->max_tx_queues >= pc->nb_txq &&
	    !(tx_by_pairs(info) && pc->nb_txq_min != 0 && pc->nb_txq_min < pc->nb_txq))
		return pc->nb_txq;
	if (pc->nb_txq_min != 0 && info->max_tx_queues >= pc->nb_txq_min) {
		p->tx_short = true;
		return pc->nb_txq_min;
	}
	snprintf(err, errlen,
		 "port %u (%s) has %u TX queues, %u lcores need one each: use fewer worker "
		 "lcores (-l) or a device with more queues",
		 p->id, info->driver_name, info->max_tx_queues,
		 pc->nb_txq_min ? pc->nb_txq_min : pc->nb_txq);
	return -1;
}

static void rss_conf(const struct rte_eth_dev_info *info, const struct fmip_port_conf *pc,
		     struct fmip_port *p, struct rte_eth_conf *conf)
{
	uint64_t hf = info->flow_type_rss_offloads &
		      (RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER | RTE_ETH_RSS_IPV6_EX);

	p->rss = false;
	if (!pc->rss || pc->nb_rxq <= 1)
		return;
	if (hf == 0) {
		rte_log(RTE_LOG_WARNING, pc->logtype,
			"port %u (%s): no IPv6 RSS; lcores see only what the device puts in their "
			"queue\n",
			p->id, info->driver_name);
		return;
	}
	conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf->rx_adv_conf.rss_conf.rss_hf = hf;
	p->rss = true;
}

static int queues_setup(const struct fmip_port_conf *pc, struct fmip_port *p, uint16_t ntx,
			char *err, size_t errlen)
{
	uint16_t rxd = pc->rx_desc, txd = pc->tx_desc;
	int rc, sock = rte_eth_dev_socket_id(p->id);

	if (sock < 0)
		sock = (int)rte_socket_id();
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->id, &rxd, &txd);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: descriptor counts refused: %s", p->id,
			 strerror(-rc));
		return -1;
	}
	for (uint16_t q = 0; q < pc->nb_rxq; q++) {
		rc = rte_eth_rx_queue_setup(p->id, q, rxd, (unsigned)sock, NULL, pc->pool);
		if (rc != 0) {
			snprintf(err, errlen, "port %u: RX queue %u setup failed: %s", p->id, q,
				 strerror(-rc));
			return -1;
		}
	}
	for (uint16_t q = 0; q < ntx; q++) {
		rc = rte_eth_tx_queue_setup(p->id, q, txd, (unsigned)sock, NULL);
		if (rc != 0) {
			snprintf(err, errlen, "port %u: TX queue %u setup failed: %s", p->id, q,
				 strerror(-rc));
			return -1;
		}
	}
	rte_log(RTE_LOG_INFO, pc->logtype,
		"port %u: %s " RTE_ETHER_ADDR_PRT_FMT " %u RX queues (RSS %s), %u TX queues, "
		"%u/%u descriptors%s\n",
		p->id, p->name, RTE_ETHER_ADDR_BYTES(&p->mac), pc->nb_rxq, p->rss ? "on" : "off",
		ntx, rxd, txd, p->tx_short ? "; fewer TX queues than lcores" : "");
	return 0;
}

/* rte_eth_dev_configure with *ntx TX queues, then with nb_txq_min (e.g. net_tap wants as many
 * TX as RX queues): 0 (*ntx the count that worked), or the error. */
static int configure(uint16_t id, const struct fmip_port_conf *pc, struct fmip_port *p,
		     const struct rte_eth_conf *conf, int *ntx)
{
	int rc = rte_eth_dev_configure(id, pc->nb_rxq, (uint16_t)*ntx, conf);

	if (rc != 0 && pc->nb_txq_min != 0 && *ntx > pc->nb_txq_min) {
		rc = rte_eth_dev_configure(id, pc->nb_rxq, pc->nb_txq_min, conf);
		if (rc == 0) {
			*ntx = pc->nb_txq_min;
			p->tx_short = true;
		}
	}
	return rc;
}

int fmip_port_open(uint16_t id, const struct fmip_port_conf *pc, struct fmip_port *p, char *err,
		   size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int rc, ntx;

	memset(p, 0, sizeof(*p));
	p->id = id;
	rc = rte_eth_dev_info_get(id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: cannot read device info: %s", id, strerror(-rc));
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s", info.driver_name);
	if (info.max_rx_queues < pc->nb_rxq) {
		snprintf(err, errlen,
			 "port %u (%s) has %u RX queues, %u workers need one each: use fewer "
			 "worker lcores (-l) or a device with more queues (net_pcap: one rx_pcap= "
			 "per queue; net_tap: queues=N)",
			 id, info.driver_name, info.max_rx_queues, pc->nb_rxq);
		return -1;
	}
	ntx = txq_count(&info, pc, p, err, errlen);
	if (ntx < 0)
		return -1;
	memset(&conf, 0, sizeof(conf));
	rss_conf(&info, pc, p, &conf);
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	conf.intr_conf.rxq = pc->rx_intr ? 1 : 0;
	rc = configure(id, pc, p, &conf, &ntx);
	if (rc != 0 && conf.intr_conf.rxq) {
		rte_log(RTE_LOG_WARNING, pc->logtype,
			"port %u (%s): no RX interrupts (%s): polled\n", id, info.driver_name,
			strerror(-rc));
		conf.intr_conf.rxq = 0;
		rc = configure(id, pc, p, &conf, &ntx);
	}
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): configure %u RX / %d TX queues failed: %s", id,
			 info.driver_name, pc->nb_rxq, ntx, strerror(-rc));
		return -1;
	}
	if (rte_eth_macaddr_get(id, &p->mac) != 0)
		memset(&p->mac, 0, sizeof(p->mac));
	if (queues_setup(pc, p, (uint16_t)ntx, err, errlen) < 0)
		return -1;
	p->nb_rxq = pc->nb_rxq;
	p->nb_txq = (uint16_t)ntx;
	p->rx_intr = conf.intr_conf.rxq != 0;
	rc = rte_eth_dev_start(id);
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): start failed: %s", id, info.driver_name,
			 strerror(-rc));
		return -1;
	}
	if (pc->promiscuous) {
		rc = rte_eth_promiscuous_enable(id);
		if (rc != 0 && rc != -ENOTSUP)
			rte_log(RTE_LOG_WARNING, pc->logtype, "port %u: promiscuous mode: %s\n", id,
				strerror(-rc));
	}
	return 0;
}

void fmip_port_close(const struct fmip_port *p)
{
	rte_eth_dev_stop(p->id);
	rte_eth_dev_close(p->id);
}

struct rte_mempool *fmip_pool_create_sized(const char *name, unsigned n, unsigned cache,
					   uint16_t data_room, char *err, size_t errlen)
{
	uint16_t room = data_room ? data_room : RTE_MBUF_DEFAULT_BUF_SIZE;
	struct rte_mempool *mp =
	    rte_pktmbuf_pool_create(name, n, cache, 0, room, (int)rte_socket_id());

	if (mp == NULL)
		snprintf(err, errlen,
			 "cannot allocate %u mbufs (%.0f MB): %s; give EAL more memory (-m MB "
			 "with --no-huge, or reserve hugepages: see docs/operations.md) or lower "
			 "[ports] mbufs",
			 n, (double)n * (room + 256) / (1024.0 * 1024.0), rte_strerror(rte_errno));
	return mp;
}

struct rte_mempool *fmip_pool_create(const char *name, unsigned n, unsigned cache, char *err,
				     size_t errlen)
{
	return fmip_pool_create_sized(name, n, cache, 0, err, errlen);
}
