/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw /fmipgw/ports (port_tel.h): the mbuf pool's counts and every port's rte_eth_stats.
 */
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "dp.h"
#include "port_tel.h"

struct tel_row {
	const char *name;
	uint64_t v;
};

static int add_rows(struct rte_tel_data *d, const struct tel_row *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rte_tel_data_add_dict_u64(d, r[i].name, r[i].v) != 0)
			return -1;
	return 0;
}

static int pool_dict(const struct gw *gw, struct rte_tel_data *d)
{
	const struct rte_mempool *mp = gw->pool;
	unsigned starved = 0;

	if (mp == NULL)
		return -1;
	for (unsigned i = 0; i < gw->n_workers; i++)
		starved += __atomic_load_n(&gw->workers[i]->starved, __ATOMIC_RELAXED) ? 1 : 0;
	const struct tel_row rows[] = {
		{ "pool_size", mp->size },
		{ "pool_available", rte_mempool_avail_count(mp) },
		{ "pool_in_use", rte_mempool_in_use_count(mp) },
		{ "pool_cache", mp->cache_size },
		{ "pool_estimate", gw->sizing.total },
		{ "pool_fixed", gw->sizing.fixed },
		{ "workers_starved", starved },
	};
	if (rte_tel_data_add_dict_string(d, "pool", mp->name) != 0)
		return -1;
	return add_rows(d, rows, sizeof(rows) / sizeof(rows[0]));
}

/* One port: what it got, then its ethdev statistics. */
static int port_dict(const struct gw_port *gp, struct rte_tel_data *p)
{
	const struct fmip_port *fp = &gp->p;
	struct rte_eth_stats st;

	if (rte_eth_stats_get(fp->id, &st) != 0)
		return -1;
	const struct tel_row rows[] = {
		{ "id", fp->id },
		{ "rx_queues", fp->nb_rxq },
		{ "tx_queues", fp->nb_txq },
		{ "ipackets", st.ipackets },
		{ "opackets", st.opackets },
		{ "imissed", st.imissed },
		{ "ierrors", st.ierrors },
		{ "oerrors", st.oerrors },
		{ "rx_nombuf", st.rx_nombuf },
		{ "ctrl_via_worker", gp->ctrl_via_worker },
		{ "distributed", gp->dist },
	};
	rte_tel_data_start_dict(p);
	if (rte_tel_data_add_dict_string(p, "driver", fp->name) != 0)
		return -1;
	return add_rows(p, rows, sizeof(rows) / sizeof(rows[0]));
}

int port_tel_ports(const struct gw *gw, struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	if (pool_dict(gw, d) < 0)
		return -1;
	for (unsigned i = 0; i < gw->n_ports; i++) {
		struct rte_tel_data *p = rte_tel_data_alloc();
		char name[16];

		if (p == NULL)
			return -1;
		snprintf(name, sizeof(name), "port%u", i);
		if (port_dict(&gw->ports[i], p) < 0 ||
		    rte_tel_data_add_dict_container(d, name, p, 0) != 0) {
			rte_tel_data_free(p);
			return -1;
		}
	}
	return 0;
}
