/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw slow-path lcores ([lcores] slow; DESIGN.md "Slow path", issue "Scale inside one box").
 *
 *   worker w --(RtSolPr whose source hashes to k; SP/SC ring w->slow_ring[k])--> slow lcore k
 *   slow lcore k: for every worker, round robin, up to CP_SLOW_BURST messages per turn:
 *                 cp_prov_work() (SEND verification, key decision, RSA wrap, signing) with its
 *                 own cp_work (replay cache, router key copy, A19 share) -> a cp_decision
 *   slow lcores --(MP/SC gw->dec_ring)--> the writer (control lcore): cp_prov_commit(), then
 *                 the reply; a reply never leaves before its commit
 *
 * All of one source address's solicitations go to one slow lcore, so its per-peer state (the
 * RFC 3971 5.3.4.2 timestamp cache, lib/hk's exact-replay ring, the keys it decided but the
 * writer has not committed yet) stays on one lcore and nothing mutable is shared.  A slow lcore
 * takes a message only when a decision object is free (gw->dec_pool, no larger than the
 * decision ring), so an enqueue to the writer never fails: when the writer falls behind, the
 * workers' rings fill and the workers count drop_ring_full.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_pause.h>

#include "cp.h"
#include "dp.h"

#define CP_SLOW_BURST 4 /* messages per worker ring per turn: every ring is served */

/* One message: the work, then its decision to the writer.  false: no decision object free. */
static bool serve_one(struct cp_slow *s, struct rte_ring *r)
{
	struct gw *gw = s->gw;
	struct cp_decision *d;
	struct rte_mbuf *m;
	const struct hk_ar_out *out;

	if (rte_mempool_get(gw->dec_pool, (void **)&d) != 0)
		return false;
	if (rte_ring_sc_dequeue(r, (void **)&m) != 0) {
		rte_mempool_put(gw->dec_pool, d);
		return false;
	}
	out = cp_prov_work(&s->work, m);
	if (out == NULL) {
		rte_pktmbuf_free(m);
		rte_mempool_put(gw->dec_pool, d);
	} else {
		if (out->op == HK_KEY_INSERT)
			cp_work_pending_add(&s->work, &out->key);
		d->m = m;
		d->rx_tsc = gw_meta(gw, m)->rx_tsc;
		memcpy(&d->out, out, sizeof(*out));
		OPENSSL_cleanse(&s->work.out.key, sizeof(s->work.out.key));
		rte_ring_mp_enqueue(gw->dec_ring, d); /* ring >= pool: cannot fail */
	}
	/* the key record read by the adapter is no longer held */
	rte_rcu_qsbr_quiescent(gw->qsv, gw_qsbr_slow(gw, s->idx));
	return true;
}

/* One turn over every worker's ring (round robin start); the number served. */
static unsigned slow_turn(struct cp_slow *s)
{
	struct gw *gw = s->gw;
	unsigned done = 0;

	for (unsigned i = 0; i < gw->n_workers; i++) {
		struct rte_ring *r = gw->workers[(s->next + i) % gw->n_workers]->slow_ring[s->idx];

		for (unsigned b = 0; b < CP_SLOW_BURST && serve_one(s, r); b++)
			done++;
	}
	s->next = (s->next + 1) % gw->n_workers;
	return done;
}

int cp_slow_main(void *arg)
{
	struct cp_slow *s = arg;
	struct gw *gw = s->gw;
	unsigned tid = gw_qsbr_slow(gw, s->idx);

	rte_rcu_qsbr_thread_online(gw->qsv, tid);
	GW_LOG(ctrl, INFO, "slow-path lcore %u (column %u): RtSolPr work for %u worker(s)\n",
	       s->lcore, s->idx, gw->n_workers);
	while (__atomic_load_n(&gw->running, __ATOMIC_RELAXED)) {
		uint64_t t0 = rte_rdtsc();
		unsigned done;
		uint32_t us = 0;

		if (s->work.cfg_gen != __atomic_load_n(&gw->cfg_gen, __ATOMIC_ACQUIRE))
			cp_work_apply(&s->work); /* a reload: this lcore's own copy */
		done = slow_turn(s);
		rte_rcu_qsbr_quiescent(gw->qsv, tid);
		if (done != 0)
			s->cnt.busy_ticks += rte_rdtsc() - t0;
		switch (dp_idle_next(&s->idle, done != 0, &us)) {
		case DP_IDLE_PAUSE:
			rte_pause();
			break;
		case DP_IDLE_SLEEP:
		case DP_IDLE_WAIT:
			s->cnt.idle_sleeps++;
			rte_rcu_qsbr_thread_offline(gw->qsv, tid);
			rte_delay_us_sleep(us);
			rte_rcu_qsbr_thread_online(gw->qsv, tid);
			break;
		default:
			break;
		}
	}
	rte_rcu_qsbr_thread_offline(gw->qsv, tid);
	return 0;
}

static void commit_one(void *ctx, void *obj)
{
	struct gw_ctrl *c = ctx;
	struct cp_decision *d = obj;

	cp_prov_commit(c, d->m, &d->out, d->rx_tsc);
	rte_pktmbuf_free(d->m);
	OPENSSL_cleanse(d, sizeof(*d));
	rte_mempool_put(c->gw->dec_pool, d);
}

unsigned cp_slow_commit(struct gw_ctrl *c, unsigned max)
{
	return gw_ring_drain(c->gw->dec_ring, max, commit_one, c);
}

/* After the lcores stopped: what is queued is dropped, the decisions' keys cleansed. */
static void drop_decision(void *ctx, void *obj)
{
	struct gw *gw = ctx;
	struct cp_decision *d = obj;

	rte_pktmbuf_free(d->m);
	OPENSSL_cleanse(d, sizeof(*d));
	rte_mempool_put(gw->dec_pool, d);
}

int cp_slow_create(struct gw *gw, unsigned idx, unsigned lcore, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	int sock = (int)rte_lcore_to_socket_id(lcore);
	struct cp_slow *s =
	    rte_zmalloc_socket("fmipgw_slow", sizeof(*s), RTE_CACHE_LINE_SIZE, sock);
	char e[256];
	int rc;

	gw->slow[idx] = s;
	if (s == NULL) {
		snprintf(err, errlen, "cannot allocate slow-path lcore %u: give EAL more memory",
			 lcore);
		return -1;
	}
	s->gw = gw;
	s->idx = idx;
	s->lcore = lcore;
	/* idle = interrupt: a slow lcore has no RX queue to wait on; it naps as adaptive */
	dp_idle_init(&s->idle, cfg->idle == GW_IDLE_POLL ? GW_IDLE_POLL : GW_IDLE_ADAPTIVE,
		     cfg->idle_sleep_us, DP_IDLE_NAP_SPARSE, DP_IDLE_NAP_SPARSE);
	rc =
	    send_creds_load(&s->creds, cfg->key_file, cfg->params_file[0] ? cfg->params_file : NULL,
			    cfg->cert_file[0] ? cfg->cert_file : NULL, e, sizeof(e));
	if (rc != SEND_R_OK) {
		snprintf(err, errlen, "slow-path lcore %u: router credentials: %s", lcore, e);
		return -1;
	}
	if (rte_rcu_qsbr_thread_register(gw->qsv, gw_qsbr_slow(gw, idx)) != 0) {
		snprintf(err, errlen, "cannot register slow-path lcore %u's RCU thread id", lcore);
		return -1;
	}
	return cp_work_init(&s->work, gw, &s->creds, NULL, &s->cnt, gw_qsbr_slow(gw, idx),
			    gw->n_slow, err, errlen);
}

void cp_slow_free(struct gw *gw)
{
	gw_ring_drain(gw->dec_ring, 0, drop_decision, gw);
	for (unsigned k = 0; k < gw->n_slow; k++) {
		struct cp_slow *s = gw->slow[k];

		if (s == NULL)
			continue;
		cp_work_free(&s->work);
		send_creds_free(&s->creds);
		rte_free(s);
		gw->slow[k] = NULL;
	}
}
