/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw provisioning: RtSolPr -> PrRtAdv with a handover key (RFC 5269 3.2), in two parts.
 *
 *   cp_prov_work    writes no table: hk_ar_rtsolpr() validates with SEND first (A6, A7),
 *                   reads the key table through a key-store adapter, decides (A8-A10, A1),
 *                   wraps the key (RSAES) and signs the reply (A19 on failure).  It returns
 *                   the decision: key op, key, reply.
 *   cp_prov_commit  the writer: HK_KEY_INSERT -> keytab_add(); only after the commit does the
 *                   reply leave (a reply whose key the table refused is not sent), to the
 *                   solicitation's source MAC on the control lcore's TX queue.
 *
 * The work runs on the writer's lcore today, so the adapter uses the writer-side lookup
 * (keytab_find, no RCU); a work lcore that is not the writer needs an RCU thread id and the
 * readers' lookup instead.
 */
#include <string.h>

#include <rte_cycles.h>

#include "cp.h"

/* lib/hk reads the key table through keytab_find() */
struct ks_ctx {
	struct gw *gw;
	uint64_t now48;
};

static int ks_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	struct ks_ctx *k = ctx;
	const struct keytab_rec *r = keytab_find(k->gw->kt, cga);
	uint64_t now_s = gw_now_s(k->gw), age;

	if (r == NULL || now_s >= __atomic_load_n(&r->expires, __ATOMIC_RELAXED)) /* A13 */
		return 0;
	memcpy(out->cga, r->cga, 16);
	memcpy(out->pk_sha1, r->pk_sha1, 20);
	out->at = r->at;
	out->key_len = r->key_len;
	memcpy(out->key, r->key, r->key_len);
	/* issued in lib/hk's clock (wall seconds) */
	age = now_s > r->issued ? now_s - r->issued : 0;
	out->issued = (k->now48 >> 16) - age;
	out->lifetime = (uint32_t)(r->hk_expires - r->issued);
	return 1;
}

const struct hk_ar_out *cp_prov_work(struct cp_work *wk, struct gw *gw, struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct hk_ar_out *out = &wk->out;
	struct ks_ctx kc = { gw, send_time_now() };
	struct hk_keystore ks = { &kc, ks_find };
	struct wire_eth eth;
	uint64_t t0;

	wk->cnt->rtsolpr_rx++;
	if (wire_eth_decode(p, m->data_len, &eth) != WIRE_OK)
		return NULL; /* the worker decoded it: cannot happen */
	t0 = rte_rdtsc();
	hk_ar_rtsolpr(&wk->ar, &wk->ar_st, &ks, p + eth.hdr_len, m->data_len - eth.hdr_len,
		      kc.now48, out);
	wk->cnt->rtsolpr_cycles += rte_rdtsc() - t0;
	wk->hk_reason[out->reason < HK_R__COUNT ? out->reason : HK_R_INTERNAL]++;
	if (out->reason == HK_R_SEND) {
		wk->cnt->rtsolpr_send_failed++;
		wk->send_reason[out->send_reason < SEND_R__COUNT ? out->send_reason : 0]++;
	}
	if (out->op == HK_KEY_NONE)
		wk->cnt->rtsolpr_refused++;
	if (out->suppressed)
		wk->cnt->rtsolpr_reply_suppressed++;
	return out;
}

/* The writer's part of a decision: 0 (the reply may leave) or -1 (it must not). */
static int commit_key(struct gw_ctrl *c, struct hk_ar_out *out)
{
	struct gw *gw = c->gw;
	int rc;

	if (out->op == HK_KEY_EXISTING) {
		c->cnt.keys_existing++;
		return 0;
	}
	if (out->op != HK_KEY_INSERT)
		return 0;
	rc = keytab_add(gw->kt, out->key.cga, out->key.at, out->key.key, out->key.key_len,
			out->key.pk_sha1, gw_now_s(gw), out->key.lifetime);
	if (rc < 0) {
		/* the reply would hand out a key the table does not hold */
		c->cnt.keys_commit_failed++;
		GW_LOG(ctrl, WARNING, "key commit refused: %s\n", strerror(-rc));
		return -1;
	}
	c->cnt.keys_provisioned++;
	c->keys_per_at[out->key.at & (MAC_AT_MAX - 1)]++;
	return 0;
}

void cp_prov_commit(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct hk_ar_out *out = &c->work.out;
	struct wire_eth eth;
	int rc = commit_key(c, out);

	memset(&out->key, 0, sizeof(out->key)); /* no key material left behind */
	if (rc < 0 || out->len == 0 ||
	    wire_eth_decode(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, &eth) != WIRE_OK)
		return;
	if (cp_tx(c, m->port, eth.src, eth.has_vlan ? (int)eth.vlan_tci : -1, out->pkt, out->len) ==
	    0) {
		c->cnt.prrtadv_tx++;
		if (out->op != HK_KEY_NONE)
			cp_latency_record(c, rx_tsc);
	}
}

void cp_on_rtsolpr(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	if (cp_prov_work(&c->work, c->gw, m) != NULL)
		cp_prov_commit(c, m, rx_tsc);
}
