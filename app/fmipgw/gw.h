/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw — the gateway's shared context (struct gw) and what every module needs of it.
 * The modules and who owns what (docs/architecture.md has the map):
 *
 *   main.c      start-up only: options, EAL, launch, exit status
 *   gw.c        the shared resources' life: lcores, MAC engine, RCU, key and binding tables,
 *               ports, pool
 *   config/     the configuration table, parsing, file:line errors, reload diff (EAL-free)
 *   dp/         the data plane: one worker loop, classification table, stages (FBU rules,
 *               control relay, pass-through), policer, TX buffering
 *   cp/         the control plane: the single table writer, handlers by event, provisioning
 *               (work apart from the commit), CPS, FBU events, credentials, reload
 *   obs/        counters (one X-macro and its emitters) and telemetry
 *   ../common/  ports and lcore helpers shared with the benchmarks and the simulator
 *
 * Every lcore's state is one cache-aligned struct passed explicitly (struct gw_worker in
 * dp/dp.h, struct gw_ctrl in cp/cp.h).  File-scope state: main.c's signal flags (the handlers
 * can reach nothing else) and telemetry.c's context pointer (DPDK 22.11's telemetry callbacks
 * take no user argument).
 */
#ifndef FMIPGW_GW_H
#define FMIPGW_GW_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_rcu_qsbr.h>

#include "binding.h"
#include "config.h"
#include "ev.h"
#include "keytab.h"
#include "log.h"
#include "mac.h"
#include "port.h"
#include "sizing.h"

#define GW_MAX_PORTS	   FMIP_MAX_PORTS
#define GW_MAX_WORKERS	   16
#define GW_RELAY_RING_SIZE 1024 /* control -> worker 0 TX relay (ports with too few TX queues) */

/* Per-mbuf metadata carried from a worker to the control plane (an rte_mbuf dynamic field). */
struct gw_mbuf_meta {
	uint64_t rx_tsc; /* when the worker received it (provisioning latency) */
	uint32_t ev;	 /* enum gw_ev */
};

/* Set by the signal handlers (main.c), read by the control loop. */
struct gw_signals {
	volatile sig_atomic_t stop;
	volatile sig_atomic_t hup;
};

struct gw_port {
	struct fmip_port p;   /* id, MAC, queues, driver (app/common/port.h) */
	bool ctrl_via_worker; /* too few TX queues: control TX goes through worker 0's relay */
	bool dist;	      /* fewer RX queues than workers: software distribution (dp/dist.c) */
};

struct gw_worker;
struct gw_ctrl;
struct cp_slow;
struct gw_fwd;
struct cp_snap;

struct gw {
	struct gw_config cfg;
	volatile int running; /* 0: workers stop (written by the control lcore) */
	struct gw_signals *sig;
	bool log_from_eal; /* --log-level names fmipgw: [log] level is not applied */
	uint64_t tsc_hz;
	int mbuf_meta_off; /* dynfield offset of struct gw_mbuf_meta */
	struct gw_port ports[GW_MAX_PORTS];
	unsigned n_ports;
	struct rte_mempool *pool;
	struct gw_sizing sizing;  /* what can be out of the pool at once (pool.c, sizing.h) */
	struct rte_rcu_qsbr *qsv; /* workers 0..n-1, the telemetry reader, the slow-path lcores */
	struct mac_engine *mac;
	struct keytab *kt;
	struct binding_table *bt; /* the PAR's bindings (lib/binding); NULL in benchmarks without */
	unsigned n_workers;
	struct gw_worker *workers[GW_MAX_WORKERS];
	struct gw_ctrl *ctrl;
	unsigned n_slow; /* slow-path lcores ([lcores] slow) */
	struct cp_slow *slow[GW_MAX_SLOW];
	struct rte_ring *dec_ring;	/* slow-path lcores -> the writer: key decisions (MP/SC) */
	struct rte_mempool *dec_pool;	/* their struct cp_decision objects */
	uint32_t cfg_gen;		/* bumped by each reload: lcores apply their copies */
	struct rte_ring *ctrl_tx_relay; /* control -> worker 0 TX, for ctrl_via_worker ports */
	struct gw_fwd *fwd;		/* routes, neighbours, exception ports (fwd.h) */
	struct cp_snap *snap;		/* [snapshot], [bench] key_import (cp/snapshot.h) */
	uint64_t start_tsc;
	double duration; /* seconds; 0: run until a signal */
};

static inline struct gw_mbuf_meta *gw_meta(const struct gw *gw, struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, gw->mbuf_meta_off, struct gw_mbuf_meta *);
}

/* Seconds since boot from the TSC: the key table's clock (keytab never reads a clock). */
static inline uint64_t gw_now_s(const struct gw *gw)
{
	return rte_get_tsc_cycles() / gw->tsc_hz;
}

/* RCU reader ids: the workers', then telemetry's, then the slow-path lcores'. */
static inline unsigned gw_qsbr_telemetry(const struct gw *gw)
{
	return gw->n_workers;
}
static inline unsigned gw_qsbr_slow(const struct gw *gw, unsigned k)
{
	return gw->n_workers + 1 + k;
}

/* The index in gw->ports of DPDK port id (0 if unknown: callers pass ids of their ports). */
static inline unsigned gw_port_index(const struct gw *gw, uint16_t id)
{
	for (unsigned i = 0; i < gw->n_ports; i++)
		if (gw->ports[i].p.id == id)
			return i;
	return 0;
}

/* Dequeue up to max objects from r (0: until it is empty) in bursts; fn(ctx, obj) for each,
 * or rte_pktmbuf_free(obj) when fn is NULL (a ring of mbufs).  Returns the number dequeued.
 * The one ring drain of the gateway: the control loop, the stop path and the teardown. */
unsigned gw_ring_drain(struct rte_ring *r, unsigned max, void (*fn)(void *ctx, void *obj),
		       void *ctx);

/* secmem.c: the secret memory lib/send decodes private keys into (after the EAL started);
 * gw_secmem_close() before the EAL goes: frees into it are ignored from then on. */
int gw_secmem_init(size_t bytes, char *err, size_t errlen);
void gw_secmem_close(void);

/* gw.c: the shared resources, in start-up order; gw_teardown undoes whatever was done. */
int gw_setup(struct gw *gw, char *err, size_t errlen);
void gw_teardown(struct gw *gw);
/* The ports, the mbuf pool and the relay ring alone (gw->cfg and n_workers set): benchmarks
 * that drive a worker without the control plane use it. */
int gw_ports_init(struct gw *gw, char *err, size_t errlen);
/* The RX queues to ask of port id: one per worker, fewer when distributed ([lcores]
 * distribute). */
uint16_t gw_rx_queues(const struct gw *gw, uint16_t id);

/* pool.c: the mbuf estimate (gw->sizing) of the ports ids[0..n) — before the pool exists
 * (opened false: refusals only) and once they are open (logged, the risky case warned).
 * 0, or -1 with "file:line: what, and the fix" in err. */
int gw_pool_sizing(struct gw *gw, const uint16_t ids[], unsigned n, bool opened, char *err,
		   size_t errlen);
/* After a reload: the neighbour term again (resolve_rate, resolve_burst), warned if risky. */
void gw_pool_sizing_reload(struct gw *gw);

#endif /* FMIPGW_GW_H */
