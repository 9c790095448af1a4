/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw provisioning: RtSolPr -> PrRtAdv with a handover key (RFC 5269 3.2), in two parts.
 *
 *   cp_prov_work    writes no table: hk_ar_rtsolpr() validates with SEND first (A6, A7),
 *                   reads the key table through the work context's key-store adapter
 *                   (work.c), decides (A8-A10, A1), wraps the key (RSAES) and signs the reply
 *                   (A19 on failure).  It returns the decision: key op, key, reply.  It runs on
 *                   the control lcore, or on a slow-path lcore (slow.c).
 *   cp_prov_commit  the writer: HK_KEY_INSERT -> keytab_add(); HK_KEY_EXISTING -> the table
 *                   must still hold that very key.  Only then does the reply leave (a reply
 *                   whose key the table does not hold is never sent), to the solicitation's
 *                   source MAC on the control lcore's TX queue.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>

#include "cp.h"

const struct hk_ar_out *cp_prov_work(struct cp_work *wk, struct rte_mbuf *m)
{
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct hk_ar_out *out = &wk->out;
	struct hk_keystore ks;
	struct wire_eth eth;
	uint64_t t0, now48 = send_time_now();

	wk->cnt->rtsolpr_rx++;
	if (wire_eth_decode(p, m->data_len, &eth) != WIRE_OK)
		return NULL; /* the worker decoded it: cannot happen */
	t0 = rte_rdtsc();
	hk_ar_rtsolpr(&wk->ar, &wk->ar_st, cp_work_keystore(wk, &ks), p + eth.hdr_len,
		      m->data_len - eth.hdr_len, now48, out);
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
static int commit_key(struct gw_ctrl *c, const struct hk_ar_out *out)
{
	struct gw *gw = c->gw;
	const struct keytab_rec *r;
	int rc;

	if (out->op == HK_KEY_EXISTING) {
		/* decided on another lcore from what it saw: the table must still hold it */
		r = keytab_find(gw->kt, out->key.cga);
		if (r == NULL || r->key_len != out->key.key_len ||
		    CRYPTO_memcmp(r->key, out->key.key, r->key_len) != 0) {
			c->cnt.prov_stale_decision++;
			return -1;
		}
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

void cp_prov_commit(struct gw_ctrl *c, struct rte_mbuf *m, struct hk_ar_out *out, uint64_t rx_tsc)
{
	static const char *const ops[] = { "no key", "new key", "existing key" };
	char a[64];
	struct wire_eth eth;
	int rc = commit_key(c, out);

	GW_LOG(ctrl, DEBUG, "RtSolPr from %s: %s, %s (AT %u)%s, reply %zu octets\n",
	       cp_addr(out->dst, a), hk_strerror(out->reason),
	       ops[(unsigned)out->op < 3 ? out->op : 0], out->key.at,
	       rc < 0 ? ", commit refused: no reply" : "", rc < 0 ? (size_t)0 : out->len);
	OPENSSL_cleanse(&out->key, sizeof(out->key)); /* no key material left behind */
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
	struct hk_ar_out *out = (struct hk_ar_out *)cp_prov_work(&c->work, m);

	if (out != NULL)
		cp_prov_commit(c, m, out, rx_tsc);
}
