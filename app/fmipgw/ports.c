/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw ports: any ethdev (PCI NICs bound with dpdk-devbind, net_tap, af_packet, net_pcap,
 * net_memif, net_ring, net_null).  One RX queue per worker per port; one TX queue per lcore per
 * port, the control lcore's included (queue n_workers); RSS over the worker queues when the
 * port supports it.  Every refusal says what to change.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "gw.h"

static int port_setup(struct gw *gw, struct gw_port *p, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t nrx = (uint16_t)gw->n_workers, ntx = (uint16_t)(gw->n_workers + 1);
	uint16_t rxd = (uint16_t)cfg->rx_desc, txd = (uint16_t)cfg->tx_desc;
	int rc, sock = rte_eth_dev_socket_id(p->id);

	if (sock < 0)
		sock = (int)rte_socket_id();
	rc = rte_eth_dev_info_get(p->id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: cannot read device info: %s", p->id, strerror(-rc));
		return -1;
	}
	snprintf(p->name, sizeof(p->name), "%s", info.driver_name);
	if (info.max_rx_queues < nrx) {
		snprintf(err, errlen,
			 "port %u (%s) has %u RX queues, %u workers need one each: use fewer "
			 "worker lcores (-l) or a device with more queues (net_pcap: one rx_pcap= "
			 "per queue; net_tap: queues=N)",
			 p->id, info.driver_name, info.max_rx_queues, nrx);
		return -1;
	}
	if (info.max_tx_queues < ntx) {
		/* the control lcore's packets go through worker 0 (return ring) */
		ntx = (uint16_t)gw->n_workers;
		p->ctrl_via_worker = true;
		if (info.max_tx_queues < ntx) {
			snprintf(
			    err, errlen,
			    "port %u (%s) has %u TX queues, %u workers need one each: use fewer "
			    "worker lcores (-l) or a device with more queues",
			    p->id, info.driver_name, info.max_tx_queues, ntx);
			return -1;
		}
	}
	memset(&conf, 0, sizeof(conf));
	p->rss = false;
	if (cfg->rss && nrx > 1) {
		uint64_t hf =
		    info.flow_type_rss_offloads &
		    (RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER | RTE_ETH_RSS_IPV6_EX);
		if (hf != 0) {
			conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
			conf.rx_adv_conf.rss_conf.rss_hf = hf;
			p->rss = true;
		} else {
			GW_LOG(cfg, WARNING,
			       "port %u (%s): no IPv6 RSS; workers see only what the device puts "
			       "in their queue\n",
			       p->id, info.driver_name);
		}
	}
	if (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE)
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE;
	rc = rte_eth_dev_configure(p->id, nrx, ntx, &conf);
	if (rc != 0 && ntx > nrx) {
		/* e.g. net_tap wants as many TX as RX queues: control TX through worker 0 */
		ntx = nrx;
		p->ctrl_via_worker = true;
		rc = rte_eth_dev_configure(p->id, nrx, ntx, &conf);
	}
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): configure %u RX / %u TX queues failed: %s",
			 p->id, info.driver_name, nrx, ntx, strerror(-rc));
		return -1;
	}
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(p->id, &rxd, &txd);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: descriptor counts refused: %s", p->id,
			 strerror(-rc));
		return -1;
	}
	for (uint16_t q = 0; q < nrx; q++) {
		rc = rte_eth_rx_queue_setup(p->id, q, rxd, (unsigned)sock, NULL, gw->pool);
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
	p->nb_rxq = nrx;
	p->nb_txq = ntx;
	rc = rte_eth_macaddr_get(p->id, &p->mac);
	if (rc != 0)
		memset(&p->mac, 0, sizeof(p->mac));
	rc = rte_eth_dev_start(p->id);
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): start failed: %s", p->id, info.driver_name,
			 strerror(-rc));
		return -1;
	}
	if (cfg->promiscuous) {
		rc = rte_eth_promiscuous_enable(p->id);
		if (rc != 0 && rc != -ENOTSUP)
			GW_LOG(cfg, WARNING, "port %u: promiscuous mode: %s\n", p->id,
			       strerror(-rc));
	}
	GW_LOG(cfg, INFO,
	       "port %u: %s " RTE_ETHER_ADDR_PRT_FMT " %u RX queues (RSS %s), %u TX queues, "
	       "%u/%u descriptors%s\n",
	       p->id, info.driver_name, RTE_ETHER_ADDR_BYTES(&p->mac), nrx, p->rss ? "on" : "off",
	       ntx, rxd, txd,
	       p->ctrl_via_worker ? "; control TX through worker 0's queue (return ring)" : "");
	return 0;
}

int ports_init(struct gw *gw, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	uint16_t pid;
	uint64_t need;
	static const struct rte_mbuf_dynfield meta_desc = {
		.name = "fmipgw_meta",
		.size = sizeof(struct gw_mbuf_meta),
		.align = __alignof__(struct gw_mbuf_meta),
	};

	gw->n_ports = 0;
	RTE_ETH_FOREACH_DEV(pid)
	{
		if (gw->n_ports == GW_MAX_PORTS) {
			snprintf(err, errlen, "more than %d ports: restrict them with -a/--vdev",
				 GW_MAX_PORTS);
			return -1;
		}
		gw->ports[gw->n_ports++].id = pid;
	}
	if (gw->n_ports == 0) {
		snprintf(err, errlen,
			 "no ports: bind a NIC to vfio-pci with dpdk-devbind.py, or add a virtual "
			 "device, e.g. --vdev net_tap0 or --vdev net_pcap0,rx_pcap=in.pcap,"
			 "tx_pcap=out.pcap (see docs/operations.md)");
		return -1;
	}
	gw->mbuf_meta_off = rte_mbuf_dynfield_register(&meta_desc);
	if (gw->mbuf_meta_off < 0) {
		snprintf(err, errlen, "cannot register the mbuf dynamic field: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	/* what the queues, caches and rings can hold at once */
	need = (uint64_t)(gw->n_workers + 1) * (cfg->mbuf_cache + GW_BURST_MAX) +
	       (uint64_t)gw->n_workers * cfg->ring_size + GW_RET_RING_SIZE;
	for (unsigned i = 0; i < gw->n_ports; i++) {
		/* the descriptor counts the device will really use (as ports_init sets them) */
		uint16_t rxd = (uint16_t)cfg->rx_desc, txd = (uint16_t)cfg->tx_desc;

		if (rte_eth_dev_adjust_nb_rx_tx_desc(gw->ports[i].id, &rxd, &txd) != 0) {
			rxd = (uint16_t)cfg->rx_desc;
			txd = (uint16_t)cfg->tx_desc;
		}
		need += (uint64_t)gw->n_workers * rxd + (uint64_t)(gw->n_workers + 1) * txd;
	}
	if (cfg->mbufs < need)
		GW_LOG(cfg, WARNING,
		       "[ports] mbufs = %u is below the %" PRIu64
		       " the queues, caches and rings can hold: RX may stall under load; raise "
		       "mbufs or lower rx_desc/tx_desc/ring_size\n",
		       cfg->mbufs, need);
	gw->pool = rte_pktmbuf_pool_create("fmipgw_pool", cfg->mbufs, cfg->mbuf_cache, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (gw->pool == NULL) {
		snprintf(
		    err, errlen,
		    "cannot allocate %u mbufs (%.0f MB): %s; give EAL more memory (-m MB with "
		    "--no-huge, or reserve hugepages: see docs/operations.md) or lower [ports] "
		    "mbufs",
		    cfg->mbufs,
		    (double)cfg->mbufs * (RTE_MBUF_DEFAULT_BUF_SIZE + 256) / (1024.0 * 1024.0),
		    rte_strerror(rte_errno));
		return -1;
	}
	for (unsigned i = 0; i < gw->n_ports; i++)
		if (port_setup(gw, &gw->ports[i], err, errlen) < 0)
			return -1;
	return 0;
}

void ports_stop(struct gw *gw)
{
	for (unsigned i = 0; i < gw->n_ports; i++) {
		rte_eth_dev_stop(gw->ports[i].id);
		rte_eth_dev_close(gw->ports[i].id);
	}
}
