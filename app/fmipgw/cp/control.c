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

#include "cp.h"
#include "dp.h"

/* Per-AT live counts for /fmipgw/keys: the writer iterates its own table. */
static void count_keys(struct gw_ctrl *c)
{
	const struct rte_hash *h = keytab_hash_table(c->gw->kt);
	uint32_t it = 0;
	const void *key;
	void *data;
	uint64_t n[MAC_AT_MAX] = { 0 };

	while (rte_hash_iterate(h, &key, &data, &it) >= 0)
		n[((const struct keytab_rec *)data)->at & (MAC_AT_MAX - 1)]++;
	for (int a = 0; a < MAC_AT_MAX; a++)
		__atomic_store_n(&c->keys_per_at[a], n[a], __ATOMIC_RELAXED);
}

static void sweep(struct gw_ctrl *c, uint64_t now)
{
	struct gw *gw = c->gw;

	c->cnt.keys_expired += keytab_sweep(gw->kt, gw_now_s(gw), 0);
	count_keys(c);
	c->next_sweep = now + gw->tsc_hz * gw->cfg.sweep_interval_ms / 1000;
}

static void dispatch_free(void *ctx, struct rte_mbuf *m)
{
	cp_dispatch(ctx, m, cp_handlers);
	rte_pktmbuf_free(m);
}

int cp_main(void *arg)
{
	struct gw_ctrl *c = arg;
	struct gw *gw = c->gw;
	/* shared mode (one lcore): the worker runs in this loop */
	struct gw_worker *inline_w = gw->workers[0]->lcore == c->lcore ? gw->workers[0] : NULL;
	uint64_t end =
	    gw->duration > 0 ? gw->start_tsc + (uint64_t)(gw->duration * gw->tsc_hz) : UINT64_MAX;

	GW_LOG(ctrl, INFO, "control on lcore %u, TX queue %u%s\n", c->lcore, c->txq,
	       inline_w ? " (single-lcore mode: the worker runs here too)" : "");
	while (!gw->sig->stop) {
		uint64_t now = rte_get_tsc_cycles();

		if (now >= end)
			break;
		if (inline_w != NULL)
			dp_worker_poll(inline_w); /* goes offline before returning */
		if (gw->sig->hup) {
			gw->sig->hup = 0;
			cp_reload(gw);
		}
		for (unsigned i = 0; i < gw->n_workers; i++)
			gw_ring_drain(gw->workers[i]->ring, 32, dispatch_free, c);
		if (now >= c->next_sweep)
			sweep(c, now);
	}
	GW_LOG(ctrl, NOTICE, "stopping\n");
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	return 0;
}

void cp_drain_after_stop(struct gw *gw)
{
	for (unsigned i = 0; i < gw->n_workers; i++)
		if (gw->workers[i] != NULL)
			gw_ring_drain(gw->workers[i]->ring, 0, NULL, NULL);
}

/* lib/hk's AR configuration and state, the CPA server, from the configuration. */
static int work_init(struct gw_ctrl *c, char *err, size_t errlen)
{
	struct gw *gw = c->gw;
	struct gw_config *cfg = &gw->cfg;
	struct cp_work *wk = &c->work;

	wk->cnt = &c->cnt;
	wk->cpa.creds = &c->creds;
	wk->cpa.anchor = c->trust ? send_trust_get(c->trust, 0) : NULL;
	memcpy(wk->cpa.src, cfg->router_addr, 16);
	hk_ar_cfg_defaults(&wk->ar);
	wk->ar.send = &cfg->send;
	wk->ar.creds = &c->creds;
	wk->ar.mac = &cfg->mac;
	wk->ar.lla = gw->n_ports ? gw->ports[0].p.mac.addr_bytes : NULL;
	wk->ar.aps = cfg->aps;
	wk->ar.n_aps = cfg->n_aps;
	wk->ar_st.replay = send_replay_new(&cfg->send);
	if (wk->ar_st.replay == NULL) {
		snprintf(err, errlen, "cannot create the SEND replay cache (cache_size %u)",
			 cfg->send.cache_size);
		return -1;
	}
	return 0;
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
	    work_init(c, err, errlen) < 0)
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
	if (c->work.ar_st.replay != NULL)
		send_replay_free(c->work.ar_st.replay);
	send_trust_free(c->trust);
	send_creds_free(&c->creds);
	memset(&c->work.out, 0, sizeof(c->work.out));
	rte_free(c);
	gw->ctrl = NULL;
}
