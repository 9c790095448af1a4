/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw shared resources, in start-up order: lcore roles, the MAC engine, the RCU variable,
 * the key table, the ports and the mbuf pool, the control -> worker 0 relay ring, the workers
 * (dp/), the control plane (cp/), telemetry (obs/).  gw_teardown() undoes whatever was done,
 * in the reverse order.  Every refusal says what to change.
 */
#include <stdio.h>
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "cp.h"
#include "dp.h"
#include "fwd.h"
#include "gw.h"
#include "lcore.h"
#include "snapshot.h"
#include "telemetry.h"

struct gw_logtypes gw_log; /* registered by main.c (or a benchmark) */

unsigned gw_ring_drain(struct rte_ring *r, unsigned max, void (*fn)(void *ctx, void *obj),
		       void *ctx)
{
	void *ms[32];
	unsigned total = 0, n;

	if (r == NULL)
		return 0;
	do {
		unsigned want = max == 0 || max - total > 32 ? 32 : max - total;

		n = rte_ring_sc_dequeue_burst(r, ms, want, NULL);
		for (unsigned i = 0; i < n; i++) {
			if (fn != NULL)
				fn(ctx, ms[i]);
			else
				rte_pktmbuf_free(ms[i]);
		}
		total += n;
	} while (n != 0 && (max == 0 || total < max));
	return total;
}

static int lcores(struct gw *gw, struct fmip_lcores *l, char *err, size_t errlen)
{
	int want = gw->cfg.control_lcore;
	char e[256];

	if (want >= 0 && !rte_lcore_is_enabled((unsigned)want)) {
		snprintf(err, errlen,
			 "%s:%u: [lcores] control = %d is not in the EAL lcore list (-l): add it "
			 "or set control = main",
			 gw->cfg.file, config_key_line(&gw->cfg, "lcores", "control"), want);
		return -1;
	}
	if (fmip_lcores_assign(want, gw->cfg.slow_lcores, gw->cfg.n_slow, GW_MAX_WORKERS, l, e,
			       sizeof(e)) < 0) {
		snprintf(err, errlen, "%s:%u: [lcores]: %s", gw->cfg.file,
			 config_key_line(&gw->cfg, "lcores", "slow"), e);
		return -1;
	}
	if (l->shared)
		GW_LOG(ctrl, WARNING,
		       "single-lcore development mode: the control lcore also polls the ports; "
		       "give at least two lcores (-l 0-1: control + 1 worker) in production\n");
	if (fmip_lcores_sharing(l, e, sizeof(e)) != 0 && gw->cfg.idle == GW_IDLE_POLL)
		GW_LOG(ctrl, WARNING,
		       "lcores share a CPU (%s) and poll without pause ([lcores] idle = poll): "
		       "they take turns at the scheduler's pace; map them to CPUs of their own "
		       "(-l/--lcores) or set idle = adaptive\n",
		       e);
	gw->n_workers = l->n_workers;
	gw->n_slow = l->n_slow;
	return 0;
}

static int mac_engine(struct gw *gw, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	char warn[512];
	int rc = mac_engine_create(&cfg->mac, &gw->mac);

	if (rc < 0) {
		snprintf(err, errlen,
			 "%s:%u: [mac] engine: %s (arch %s%s): choose an arch this CPU has "
			 "(arch = auto) or backend = openssl",
			 cfg->file, config_key_line(cfg, "mac", "arch"), strerror(-rc),
			 mac_arch_name(cfg->mac.arch),
			 mac_arch_available(cfg->mac.arch) ? "" : ", not available here");
		return -1;
	}
	GW_LOG(crypto, INFO, "FBU authenticator engine: %s\n", mac_engine_describe(gw->mac));
	config_warnings(cfg, warn, sizeof(warn));
	if (warn[0] != '\0')
		GW_LOG(crypto, WARNING, "%s", warn);
	return 0;
}

_Static_assert(GW_AP_PORTS == GW_MAX_PORTS, "[ap.*] port range is the port table's");

/* The binding table (lib/binding) on the same RCU variable; its end callback releases keys
 * (A13, cp/handover.c).  [ap.*] port must name a port: checked in cp_create (ports come
 * later). */
static int bindings(struct gw *gw, char *err, size_t errlen)
{
	struct binding_cfg bc = {
		.name = "fmipgw_bind",
		.capacity = gw->cfg.bind_capacity,
		.n_workers = gw->n_workers,
		.socket_id = (int)rte_socket_id(),
		.qsv = gw->qsv,
		.sweep_batch = gw->cfg.bind_sweep_batch,
		.on_end = cp_binding_on_end,
		.on_end_arg = gw,
	};
	int rc = binding_create(&bc, &gw->bt);

	if (rc < 0) {
		snprintf(err, errlen,
			 "%s:%u: cannot create the binding table (capacity %u): %s; lower "
			 "[binding] capacity or give EAL more memory (-m)",
			 gw->cfg.file, config_key_line(&gw->cfg, "binding", "capacity"),
			 gw->cfg.bind_capacity, strerror(-rc));
		return -1;
	}
	return 0;
}

/* The RCU variable (workers 0..n-1, then the telemetry reader) and the key table. */
static int tables(struct gw *gw, char *err, size_t errlen)
{
	unsigned readers = gw->n_workers + 1 + gw->n_slow; /* gw.h: gw_qsbr_* */
	size_t sz = rte_rcu_qsbr_get_memsize(readers);
	struct keytab_cfg kc = {
		.name = "fmipgw_keys",
		.capacity = gw->cfg.capacity,
		.socket_id = (int)rte_socket_id(),
		.mac = gw->mac,
		.sweep_batch = gw->cfg.sweep_batch,
	};
	int rc;

	gw->qsv = rte_zmalloc("fmipgw_qsv", sz, RTE_CACHE_LINE_SIZE);
	if (gw->qsv == NULL || rte_rcu_qsbr_init(gw->qsv, readers) != 0) {
		snprintf(err, errlen,
			 "cannot allocate the RCU variable: give EAL more memory (-m)");
		return -1;
	}
	kc.qsv = gw->qsv;
	rc = keytab_create(&kc, &gw->kt);
	if (rc < 0) {
		snprintf(err, errlen,
			 "%s:%u: cannot create the key table (capacity %u): %s; lower [keys] "
			 "capacity or give EAL more memory (-m)",
			 gw->cfg.file, config_key_line(&gw->cfg, "keys", "capacity"),
			 gw->cfg.capacity, strerror(-rc));
		return -1;
	}
	if (bindings(gw, err, errlen) < 0)
		return -1;
	/* the telemetry thread's QSBR id (/fmipgw/key), offline except during a lookup */
	if (rte_rcu_qsbr_thread_register(gw->qsv, gw_qsbr_telemetry(gw)) != 0) {
		snprintf(err, errlen, "cannot register the telemetry RCU thread id");
		return -1;
	}
	return 0;
}

/* RX queues to ask of a port: one per worker; fewer when the device has fewer and
 * [lcores] distribute allows it (software distribution), one with distribute = on. */
uint16_t gw_rx_queues(const struct gw *gw, uint16_t id)
{
	uint16_t rxq = 0, txq = 0;

	if (gw->cfg.distribute == GW_DIST_ON)
		return 1;
	if (gw->cfg.distribute == GW_DIST_OFF || fmip_port_max_queues(id, &rxq, &txq) < 0 ||
	    rxq >= gw->n_workers || rxq == 0)
		return (uint16_t)gw->n_workers; /* fmip_port_open says what is wrong */
	return rxq;
}

/* Only virtual devices and the EAL still scans the PCI bus: say how to skip that. */
static void pci_hint(const uint16_t ids[], unsigned n)
{
	if (!rte_eal_has_pci())
		return;
	for (unsigned i = 0; i < n; i++) {
		struct rte_eth_dev_info info;
		const struct rte_bus *bus;

		if (rte_eth_dev_info_get(ids[i], &info) != 0 || info.device == NULL)
			return;
		bus = rte_dev_bus(info.device);
		if (bus == NULL || strcmp(rte_bus_name(bus), "vdev") != 0)
			return;
	}
	GW_LOG(cfg, NOTICE,
	       "every port is a virtual device: --no-pci skips the EAL's PCI scan "
	       "(and the devices it would take)\n");
}

static int ports(struct gw *gw, char *err, size_t errlen)
{
	static const struct rte_mbuf_dynfield meta_desc = {
		.name = "fmipgw_meta",
		.size = sizeof(struct gw_mbuf_meta),
		.align = __alignof__(struct gw_mbuf_meta),
	};
	const struct gw_config *cfg = &gw->cfg;
	uint16_t ids[GW_MAX_PORTS];
	int n = fmip_ports_probe(ids, GW_MAX_PORTS, err, errlen);

	if (n < 0)
		return -1;
	pci_hint(ids, (unsigned)n);
	gw->mbuf_meta_off = rte_mbuf_dynfield_register(&meta_desc);
	if (gw->mbuf_meta_off < 0) {
		snprintf(err, errlen, "cannot register the mbuf dynamic field: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	if (gw_pool_sizing(gw, ids, (unsigned)n, false, err, errlen) < 0) /* pool.c, sizing.h */
		return -1;
	gw->pool = fmip_pool_create_sized("fmipgw_pool", cfg->mbufs, cfg->mbuf_cache,
					  cfg->mbuf_data_room, err, errlen);
	if (gw->pool == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		struct fmip_port_conf pc = {
			.nb_rxq = gw_rx_queues(gw, ids[i]),
			.nb_txq = (uint16_t)(gw->n_workers + 1), /* + the control lcore's */
			.nb_txq_min = (uint16_t)gw->n_workers,	 /* control TX through worker 0 */
			.rx_desc = (uint16_t)cfg->rx_desc,
			.tx_desc = (uint16_t)cfg->tx_desc,
			.pool = gw->pool,
			.rss = cfg->rss,
			.promiscuous = cfg->promiscuous,
			.rx_intr = cfg->idle == GW_IDLE_INTERRUPT,
			.logtype = gw_log.cfg,
		};
		struct gw_port *gp = &gw->ports[gw->n_ports];

		if (fmip_port_open(ids[i], &pc, &gp->p, err, errlen) < 0)
			return -1;
		gw->n_ports++;
		gp->ctrl_via_worker = gp->p.tx_short;
		gp->dist = pc.nb_rxq < gw->n_workers ||
			   (cfg->distribute == GW_DIST_ON && gw->n_workers > 1);
		if (gp->dist)
			GW_LOG(cfg, INFO,
			       "port %u: %u RX queue(s) for %u workers: software distribution by "
			       "the IPv6 addresses\n",
			       gp->p.id, pc.nb_rxq, gw->n_workers);
		if (gp->ctrl_via_worker)
			GW_LOG(cfg, INFO,
			       "port %u: control TX through worker 0's queue (relay ring)\n",
			       gp->p.id);
	}
	return gw_pool_sizing(gw, ids, (unsigned)n, true, err, errlen); /* and the relay known */
}

/* The control -> worker 0 relay, when a port has no TX queue for the control lcore. */
static int relay_ring(struct gw *gw, char *err, size_t errlen)
{
	for (unsigned i = 0; i < gw->n_ports; i++) {
		if (!gw->ports[i].ctrl_via_worker)
			continue;
		gw->ctrl_tx_relay = rte_ring_create("fmipgw_relay", GW_RELAY_RING_SIZE,
						    (int)rte_socket_id(), RING_F_SC_DEQ);
		if (gw->ctrl_tx_relay == NULL) {
			snprintf(err, errlen, "cannot create the relay ring: %s",
				 rte_strerror(rte_errno));
			return -1;
		}
		return 0;
	}
	return 0;
}

int gw_ports_init(struct gw *gw, char *err, size_t errlen)
{
	return ports(gw, err, errlen) < 0 || relay_ring(gw, err, errlen) < 0 ? -1 : 0;
}

/* The slow-path lcores' decisions to the writer: a pool no larger than the ring. */
static int decision_ring(struct gw *gw, char *err, size_t errlen)
{
	unsigned n = gw->n_slow * GW_SIZING_DECISIONS; /* sizing.h counts them */

	gw->dec_pool = rte_mempool_create("fmipgw_dec", n, sizeof(struct cp_decision), 0, 0, NULL,
					  NULL, NULL, NULL, (int)rte_socket_id(), 0);
	gw->dec_ring = rte_ring_create("fmipgw_dec", rte_align32pow2(n + 1), (int)rte_socket_id(),
				       RING_F_SC_DEQ);
	if (gw->dec_pool == NULL || gw->dec_ring == NULL) {
		snprintf(err, errlen, "cannot create the slow-path decision pool/ring: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

int gw_setup(struct gw *gw, char *err, size_t errlen)
{
	struct fmip_lcores l;

	if (lcores(gw, &l, err, errlen) < 0 ||
	    gw_secmem_init((size_t)gw->cfg.secret_heap_mb << 20, err, errlen) < 0)
		return -1;
	gw->tsc_hz = rte_get_tsc_hz();
	if (mac_engine(gw, err, errlen) < 0 || tables(gw, err, errlen) < 0 ||
	    gw_ports_init(gw, err, errlen) < 0)
		return -1;
	for (unsigned i = 0; i < gw->n_workers; i++)
		if (dp_worker_create(gw, i, l.workers[i], &gw->workers[i], err, errlen) < 0)
			return -1;
	if (cp_create(gw, l.ctrl, err, errlen) < 0 || fwd_create(gw, err, errlen) < 0 ||
	    cp_snapshot_start(gw, err, errlen) < 0) /* keys before any lcore runs */
		return -1;
	if (gw->n_slow != 0 && decision_ring(gw, err, errlen) < 0)
		return -1;
	for (unsigned k = 0; k < gw->n_slow; k++)
		if (cp_slow_create(gw, k, l.slow[k], err, errlen) < 0)
			return -1;
	return telemetry_init(gw, err, errlen);
}

void gw_teardown(struct gw *gw)
{
	telemetry_stop(); /* no telemetry thread reads what is freed below */
	cp_snapshot_free(gw);
	cp_drain_after_stop(gw);
	for (unsigned i = 0; i < gw->n_ports; i++)
		fmip_port_close(&gw->ports[i].p);
	for (unsigned i = 0; i < gw->n_workers; i++) {
		dp_worker_free(gw->workers[i]);
		gw->workers[i] = NULL;
	}
	gw_ring_drain(gw->ctrl_tx_relay, 0, NULL, NULL);
	rte_ring_free(gw->ctrl_tx_relay);
	cp_slow_free(gw);
	rte_ring_free(gw->dec_ring);
	rte_mempool_free(gw->dec_pool);
	fwd_free(gw); /* held packets back to the pool */
	cp_free(gw);  /* its HI timers, before the tables */
	if (gw->bt != NULL)
		binding_free(gw->bt); /* no end callbacks: the key table goes next */
	gw->bt = NULL;
	if (gw->kt != NULL)
		keytab_free(gw->kt);
	if (gw->mac != NULL)
		mac_engine_destroy(gw->mac);
	rte_mempool_free(gw->pool); /* after the ports are closed and every ring drained */
	gw->pool = NULL;
	rte_free(gw->qsv);
	config_free(&gw->cfg);
}
