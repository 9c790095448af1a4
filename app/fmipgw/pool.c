/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw mbuf pool sizing at start-up and on reload: the layout of sizing.h from the probed
 * ports (their queues and the descriptor counts the devices will use) and the lcore roles;
 * refused before the pool is made when it cannot work, reported (INFO, and a WARNING when
 * only risky) once the ports are open and their relay needs are known.
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "dp.h"
#include "fwd.h"
#include "gw.h"
#include "sizing.h"

_Static_assert(GW_SIZING_PORTS == GW_MAX_PORTS, "the sizing layout has a slot per port");

/* The layout of the ports ids[0..n): before they are open (opened false) the relay is
 * foreseen from the device's TX queues, after it is what the port got. */
static void layout(const struct gw *gw, const uint16_t ids[], unsigned n, bool opened,
		   struct gw_sizing_layout *l)
{
	unsigned w = gw->n_workers;

	*l = (struct gw_sizing_layout){
		.lcores = rte_lcore_count(),
		.workers = w,
		.slow = gw->n_slow,
		.ports = n,
		.routing = gw->cfg.fwd.n_routes != 0,
		.fbu_held = DP_FBU_HELD,
		.relay_entries = GW_RELAY_RING_SIZE - 1,
	};
	for (unsigned i = 0; i < n; i++) {
		uint16_t rxd = (uint16_t)gw->cfg.rx_desc, txd = (uint16_t)gw->cfg.tx_desc;
		uint16_t mrx = 0, mtx = 0;

		fmip_port_desc(ids[i], &rxd, &txd); /* what the device will really use */
		l->rxd[i] = rxd;
		l->txd[i] = txd;
		l->rxq[i] = opened ? gw->ports[i].p.nb_rxq : gw_rx_queues(gw, ids[i]);
		l->dist |= l->rxq[i] < w || (gw->cfg.distribute == GW_DIST_ON && w > 1);
		if (opened)
			l->relay |= gw->ports[i].ctrl_via_worker;
		else if (fmip_port_max_queues(ids[i], &mrx, &mtx) == 0)
			l->relay |= mtx < w + 1;
	}
}

int gw_pool_sizing(struct gw *gw, const uint16_t ids[], unsigned n, bool opened, char *err,
		   size_t errlen)
{
	struct gw_sizing_layout l;
	char warn[768], line[256];

	layout(gw, ids, n, opened, &l);
	gw_sizing_compute(&gw->cfg, &l, &gw->sizing);
	if (gw_sizing_check(&gw->cfg, &gw->sizing, err, errlen, warn, sizeof(warn)) < 0)
		return -1;
	if (!opened)
		return 0;
	gw_sizing_describe(&gw->sizing, line, sizeof(line));
	GW_LOG(cfg, INFO, "mbuf pool: %u mbufs; at most out of it at once: %s\n", gw->cfg.mbufs,
	       line);
	if (warn[0] != '\0')
		GW_LOG(cfg, WARNING, "%s\n", warn);
	return 0;
}

void gw_pool_sizing_reload(struct gw *gw)
{
	struct gw_sizing *s = &gw->sizing;
	uint64_t neigh = gw_sizing_neigh(&gw->cfg, gw->n_workers, gw->fwd != NULL && gw->fwd->on);
	char err[8], warn[768];

	if (neigh == s->neigh)
		return;
	s->total = s->total - s->neigh + neigh;
	s->neigh = neigh;
	if (gw_sizing_check(&gw->cfg, s, err, sizeof(err), warn, sizeof(warn)) == 0 &&
	    warn[0] != '\0')
		GW_LOG(cfg, WARNING, "after the reload: %s\n", warn);
}
