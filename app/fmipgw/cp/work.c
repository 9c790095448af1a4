/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw work contexts (struct cp_work, cp.h): lib/hk's AR configuration and state, the CPA
 * server, an lcore's own copy of the reloadable values, and the key-store adapter through
 * which lib/hk reads the key table:
 *   - on the control lcore (the writer): keytab_find(), no RCU (the writer is the only one that
 *     frees);
 *   - on a slow-path lcore: keytab_lookup_bulk() as an RCU reader (the lcore reports quiescent
 *     states after each message), then the keys this lcore decided that the writer may not
 *     have committed yet (cp_pending), so that a CGA is never given two keys.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>

#include "cp.h"

/* A13: the key is within its lifetime */
static bool live(const struct keytab_rec *r, uint64_t now_s)
{
	return now_s < __atomic_load_n(&r->expires, __ATOMIC_RELAXED);
}

static void rec_to_key(const struct keytab_rec *r, uint64_t now_s, uint64_t now48,
		       struct hk_key *out)
{
	uint64_t age = now_s > r->issued ? now_s - r->issued : 0;

	memcpy(out->cga, r->cga, 16);
	memcpy(out->pk_sha1, r->pk_sha1, 20);
	out->at = r->at;
	out->key_len = r->key_len;
	memcpy(out->key, r->key, r->key_len);
	out->issued = (now48 >> 16) - age; /* in lib/hk's clock (wall seconds) */
	out->lifetime = (uint32_t)(r->hk_expires - r->issued);
}

/* A key this lcore decided less than a second ago (the writer commits within that). */
static const struct hk_key *pending_find(const struct cp_pending *p, const uint8_t cga[16],
					 uint64_t tsc, uint64_t hz)
{
	for (unsigned i = 0; i < CP_PENDING; i++)
		if (p->e[i].tsc != 0 && tsc - p->e[i].tsc < hz &&
		    memcmp(p->e[i].key.cga, cga, 16) == 0)
			return &p->e[i].key;
	return NULL;
}

static int ks_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	struct cp_work *wk = ctx;
	struct gw *gw = wk->gw;
	uint64_t now_s = gw_now_s(gw), now48 = send_time_now();
	const struct hk_key *pk;

	if (wk->qsbr_id == CP_WRITER) {
		const struct keytab_rec *r = keytab_find(gw->kt, cga);

		if (r == NULL || !live(r, now_s))
			return 0;
		rec_to_key(r, now_s, now48, out);
		return 1;
	} else {
		const uint8_t *keys[1] = { cga };
		hash_sig_t sig[1] = { keytab_sig(gw->kt, cga) };
		struct keytab_rec *rec[1];

		/* online since the lcore started; the record stays valid until its next
		 * quiescent state, after this message */
		if (keytab_lookup_bulk(gw->kt, keys, sig, 1, rec) == 1 && live(rec[0], now_s)) {
			rec_to_key(rec[0], now_s, now48, out);
			return 1;
		}
	}
	pk = pending_find(&wk->pend, cga, rte_get_tsc_cycles(), gw->tsc_hz);
	if (pk == NULL)
		return 0;
	*out = *pk;
	return 1;
}

void cp_work_pending_add(struct cp_work *wk, const struct hk_key *key)
{
	struct cp_pending *p = &wk->pend;

	OPENSSL_cleanse(&p->e[p->next], sizeof(p->e[p->next]));
	p->e[p->next].key = *key;
	p->e[p->next].tsc = rte_get_tsc_cycles() | 1;
	p->next = (p->next + 1) % CP_PENDING;
}

void cp_work_apply(struct cp_work *wk)
{
	const struct gw_config *cfg = &wk->gw->cfg;
	uint32_t rate = cfg->failure_reply_rate;

	wk->cfg_gen = __atomic_load_n(&wk->gw->cfg_gen, __ATOMIC_ACQUIRE);
	wk->send = cfg->send;
	wk->ar.hk_lifetime = (uint16_t)cfg->hk_lifetime;
	wk->ar.reply_on_failure = cfg->reply_on_failure;
	/* A19's rate is the router's: each of `share` lcores gets its part (at least one) */
	wk->ar.failure_reply_rate = rate == 0 ? 0 : (rate + wk->share - 1) / wk->share;
}

int cp_work_init(struct cp_work *wk, struct gw *gw, const struct send_creds *creds,
		 const struct send_trust *trust, struct gw_counters *cnt, unsigned qsbr_id,
		 unsigned share, char *err, size_t errlen)
{
	struct gw_config *cfg = &gw->cfg;

	wk->gw = gw;
	wk->cnt = cnt;
	wk->qsbr_id = qsbr_id;
	wk->share = share ? share : 1;
	wk->cpa.creds = creds;
	wk->cpa.anchor = trust ? send_trust_get(trust, 0) : NULL;
	memcpy(wk->cpa.src, cfg->router_addr, 16);
	hk_ar_cfg_defaults(&wk->ar);
	wk->ar.send = &wk->send;
	wk->ar.creds = creds;
	wk->ar.mac = &cfg->mac;
	wk->ar.lla = gw->n_ports ? gw->ports[0].p.mac.addr_bytes : NULL;
	wk->ar.aps = cfg->aps;
	wk->ar.n_aps = cfg->n_aps;
	cp_work_apply(wk);
	wk->ar_st.replay = send_replay_new(&wk->send);
	if (wk->ar_st.replay == NULL) {
		snprintf(err, errlen, "cannot create the SEND replay cache (cache_size %u)",
			 cfg->send.cache_size);
		return -1;
	}
	return 0;
}

void cp_work_free(struct cp_work *wk)
{
	if (wk->ar_st.replay != NULL)
		send_replay_free(wk->ar_st.replay);
	wk->ar_st.replay = NULL;
	OPENSSL_cleanse(&wk->out, sizeof(wk->out));
	OPENSSL_cleanse(&wk->pend, sizeof(wk->pend));
}

const struct hk_keystore *cp_work_keystore(struct cp_work *wk, struct hk_keystore *ks)
{
	ks->ctx = wk;
	ks->find = ks_find;
	return ks;
}
