/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control loop (DESIGN.md "Slow path"): the single writer of the key table.  Per turn:
 * the shared-mode worker's turn (one lcore only), a pending reload (SIGHUP), up to a burst
 * from every worker's ring dispatched by event (handlers.c), and the periodic expiry sweep
 * (RCU reclamation is in keytab).  SIGINT/SIGTERM or --duration stop it; it then stops the
 * workers.
 */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_pause.h>

#include "cp.h"
#include "dp.h"
#include "fwd.h"
#include "handover.h"
#include "snapshot.h"

/* Per-AT live counts for /fmipgw/keys: the writer iterates its own table. */
static void count_keys(struct gw_ctrl *c)
{
	const struct keytab_rec *r;
	uint64_t n[MAC_AT_MAX] = { 0 };
	uint32_t it = 0;

	while (keytab_iterate(c->gw->kt, &it, &r))
		n[r->at & (MAC_AT_MAX - 1)]++;
	for (int a = 0; a < MAC_AT_MAX; a++)
		__atomic_store_n(&c->keys_per_at[a], n[a], __ATOMIC_RELAXED);
}

static void sweep(struct gw_ctrl *c, uint64_t now)
{
	struct gw *gw = c->gw;

	unsigned gone = keytab_sweep(gw->kt, gw_now_s(gw), 0);

	c->cnt.keys_expired += gone;
	count_keys(c);
	if (gone != 0)
		GW_LOG(ctrl, DEBUG, "sweep: %u key(s) expired\n", gone);
	c->next_sweep = now + gw->tsc_hz * gw->cfg.sweep_interval_ms / 1000;
}

static void dispatch_free(void *ctx, void *m)
{
	cp_dispatch(ctx, m, cp_handlers);
	rte_pktmbuf_free(m);
}

/* One turn's work: the workers' rings, the slow-path lcores' decisions.  The number done. */
static unsigned serve(struct gw_ctrl *c)
{
	struct gw *gw = c->gw;
	unsigned done = 0;

	for (unsigned i = 0; i < gw->n_workers; i++)
		done += gw_ring_drain(gw->workers[i]->ring, 32, dispatch_free, c);
	if (gw->dec_ring != NULL)
		done += cp_slow_commit(c, 32);
	return done;
}

int cp_main(void *arg)
{
	struct gw_ctrl *c = arg;
	struct gw *gw = c->gw;
	/* shared mode (one lcore): the worker runs in this loop */
	struct gw_worker *inline_w = gw->workers[0]->lcore == c->lcore ? gw->workers[0] : NULL;
	uint64_t end =
	    gw->duration > 0 ? gw->start_tsc + (uint64_t)(gw->duration * gw->tsc_hz) : UINT64_MAX;

	struct dp_idle idle;

	/* the control lcore's idle policy: adaptive for interrupt too (it has no RX queue) */
	dp_idle_init(&idle, gw->cfg.idle == GW_IDLE_POLL ? GW_IDLE_POLL : GW_IDLE_ADAPTIVE,
		     gw->cfg.idle_sleep_us, DP_IDLE_NAP_SPARSE, DP_IDLE_NAP_SPARSE);
	GW_LOG(ctrl, INFO, "control on lcore %u, TX queue %u%s\n", c->lcore, c->txq,
	       inline_w ? " (single-lcore mode: the worker runs here too)" : "");
	while (!gw->sig->stop) {
		uint64_t now = rte_get_tsc_cycles();
		bool busy = false;
		uint32_t us = 0;

		if (now >= end)
			break;
		if (inline_w != NULL)
			busy = dp_worker_poll(inline_w); /* goes offline before returning */
		if (gw->sig->hup) {
			gw->sig->hup = 0;
			cp_reload(gw);
		}
		if (serve(c) != 0) {
			c->cnt.busy_ticks += rte_get_tsc_cycles() - now;
			busy = true;
		}
		if (now >= c->next_sweep)
			sweep(c, now);
		fwd_tick(c, now); /* neighbour timers, old FIBs, telemetry snapshot */
		cp_handover_tick(c, now);
		cp_snapshot_tick(c, now); /* [snapshot]: a batch of the walk when one is due */
		switch (dp_idle_next(&idle, busy, &us)) {
		case DP_IDLE_PAUSE:
			rte_pause();
			break;
		case DP_IDLE_SLEEP:
		case DP_IDLE_WAIT:
			c->cnt.idle_sleeps++;
			rte_delay_us_sleep(us);
			break;
		default:
			break;
		}
	}
	GW_LOG(ctrl, NOTICE, "stopping\n");
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	return 0;
}

void cp_drain_after_stop(struct gw *gw)
{
	for (unsigned i = 0; i < gw->n_workers; i++) {
		struct gw_worker *w = gw->workers[i];

		if (w == NULL)
			continue;
		gw_ring_drain(w->ring, 0, NULL, NULL);
		for (unsigned k = 0; k < gw->n_slow; k++)
			gw_ring_drain(w->slow_ring[k], 0, NULL, NULL);
	}
}

int cp_create(struct gw *gw, unsigned lcore, char *err, size_t errlen)
{
	struct gw_ctrl *c = rte_zmalloc("fmipgw_ctrl", sizeof(*c), RTE_CACHE_LINE_SIZE);

	gw->ctrl = c;
	if (c == NULL) {
		snprintf(err, errlen, "cannot allocate the control lcore state");
		return -1;
	}
	c->gw = gw;
	c->lcore = lcore;
	c->txq = (uint16_t)gw->n_workers; /* after the workers' queues */
	if (cp_creds_check(&gw->cfg, &c->creds, &c->trust, err, errlen) < 0 ||
	    cp_work_init(&c->work, gw, &c->creds, c->trust, &c->cnt, CP_WRITER, 1, err, errlen) <
		0 ||
	    cp_handover_init(c, err, errlen) < 0)
		return -1;
	cp_apply_runtime(gw);
	c->next_sweep = rte_get_tsc_cycles();
	return 0;
}

void cp_free(struct gw *gw)
{
	struct gw_ctrl *c = gw->ctrl;

	if (c == NULL)
		return;
	cp_handover_free(c);
	cp_work_free(&c->work);
	send_trust_free(c->trust);
	send_creds_free(&c->creds);
	rte_free(c);
	gw->ctrl = NULL;
}
