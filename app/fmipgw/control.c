/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control lcore (DESIGN.md "Slow path"): the single writer of the key table.
 *
 *   RtSolPr → hk_ar_rtsolpr() (SEND validation, A6-A10, A19) with a key-store adapter over
 *   keytab_find() → commit HK_KEY_INSERT with keytab_add() → PrRtAdv out on this lcore's TX
 *   queue of the port it came in, Ethernet destination = the solicitation's source MAC;
 *   CPS → send_cpa_answer(); accepted-FBU events (the mbuf) → hk_fbu_check() (binding and
 *   FBack come with the PAR forwarding issue); periodic keytab_sweep() (RCU reclamation is in
 *   keytab); SIGHUP → reload of the reloadable keys; SIGINT/SIGTERM → stop.
 *
 * Time: hk and SEND use 48.16 wall-clock time (send_time_now()); the key table uses whole
 * seconds of the TSC (gw_now_s()), which the workers read without a system call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_ring.h>

#include "gw.h"

/* ---- key-store adapter: lib/hk reads the key table through keytab_find() ------------------ */

struct ks_ctx {
	struct gw *gw;
	uint64_t now48;
};

static int ks_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	struct ks_ctx *k = ctx;
	const struct keytab_rec *r = keytab_find(k->gw->kt, cga);
	uint64_t now_s = gw_now_s(k->gw), age;

	if (r == NULL || !keytab_rec_usable(r, now_s))
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

/* ---- TX on the control lcore's own queue ---------------------------------------------------- */

static void multicast_mac(const uint8_t ip6[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, ip6 + 12, 4);
}

static int ctrl_tx(struct gw_ctrl *c, uint16_t port, const uint8_t dst_mac[6], int vlan,
		   const uint8_t *pkt, size_t len)
{
	struct gw *gw = c->gw;
	struct rte_mbuf *m;
	struct wire_buf w;
	uint8_t *p;
	const struct gw_port *gp = NULL;
	size_t alen;

	for (unsigned i = 0; i < gw->n_ports; i++)
		if (gw->ports[i].id == port)
			gp = &gw->ports[i];
	if (gp == NULL || len + 18 > RTE_MBUF_DEFAULT_DATAROOM)
		goto fail;
	m = rte_pktmbuf_alloc(gw->pool);
	if (m == NULL)
		goto fail;
	alen = len + (vlan >= 0 ? 18 : 14);
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)alen);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		goto fail;
	}
	w = wire_buf_make(p, alen); /* exactly what was appended */
	wire_build_eth(&w, dst_mac, gp->mac.addr_bytes, vlan, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	if (w.err != WIRE_OK) {
		rte_pktmbuf_free(m);
		goto fail;
	}
	m->port = port;
	if (gp->ctrl_via_worker ? rte_ring_mp_enqueue(gw->ret_ring, m) != 0
				: rte_eth_tx_burst(port, c->txq, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		goto fail;
	}
	return 0;
fail:
	c->cnt.ctrl_tx_failed++;
	return -1;
}

/* ---- message handlers ------------------------------------------------------------------------ */

static void lat_record(struct gw_ctrl *c, uint64_t rx_tsc)
{
	uint64_t d = rte_rdtsc() - rx_tsc;
	uint64_t us = d * 1000000ull / c->gw->tsc_hz;

	__atomic_store_n(&c->lat_us[c->lat_n % GW_LAT_SAMPLES],
			 (uint32_t)(us > UINT32_MAX ? UINT32_MAX : us), __ATOMIC_RELAXED);
	__atomic_store_n(&c->lat_n, c->lat_n + 1, __ATOMIC_RELEASE);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

uint32_t ctrl_latency_pct(const struct gw_ctrl *c, unsigned pct)
{
	uint64_t n = __atomic_load_n(&c->lat_n, __ATOMIC_ACQUIRE);
	uint32_t *v;
	size_t k;
	uint32_t r;

	if (n == 0)
		return 0;
	if (n > GW_LAT_SAMPLES)
		n = GW_LAT_SAMPLES;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return 0;
	for (size_t i = 0; i < n; i++)
		v[i] = __atomic_load_n(&c->lat_us[i], __ATOMIC_RELAXED);
	qsort(v, n, sizeof(*v), cmp_u32);
	k = (size_t)((n * pct + 99) / 100);
	r = v[k ? k - 1 : 0];
	free(v);
	return r;
}

static void on_rtsolpr(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct gw *gw = c->gw;
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	struct wire_eth eth;
	struct hk_ar_out *out = &c->out;
	struct ks_ctx kc = { gw, send_time_now() };
	struct hk_keystore ks = { &kc, ks_find };
	uint64_t t0;
	int rc;

	c->cnt.rtsolpr_rx++;
	if (wire_eth_decode(p, m->data_len, &eth) != WIRE_OK)
		return; /* the worker decoded it: cannot happen */
	t0 = rte_rdtsc();
	hk_ar_rtsolpr(&c->ar, &c->ar_st, &ks, p + eth.hdr_len, m->data_len - eth.hdr_len, kc.now48,
		      out);
	c->cnt.rtsolpr_cycles += rte_rdtsc() - t0;
	c->hk_reason[out->reason < HK_R__COUNT ? out->reason : HK_R_INTERNAL]++;
	if (out->reason == HK_R_SEND) {
		c->cnt.rtsolpr_send_failed++;
		c->send_reason[out->send_reason < SEND_R__COUNT ? out->send_reason : 0]++;
	}
	if (out->op == HK_KEY_INSERT) {
		rc = keytab_add(gw->kt, out->key.cga, out->key.at, out->key.key, out->key.key_len,
				out->key.pk_sha1, gw_now_s(gw), out->key.lifetime);
		if (rc < 0) {
			/* the reply would hand out a key the table does not hold: not sent */
			c->cnt.keys_commit_failed++;
			GW_LOG(ctrl, WARNING, "key commit refused: %s\n", strerror(-rc));
			memset(&out->key, 0, sizeof(out->key));
			return;
		}
		c->cnt.keys_provisioned++;
		c->keys_per_at[out->key.at & (MAC_AT_MAX - 1)]++;
	} else if (out->op == HK_KEY_EXISTING) {
		c->cnt.keys_existing++;
	}
	if (out->op == HK_KEY_NONE)
		c->cnt.rtsolpr_refused++;
	if (out->suppressed)
		c->cnt.rtsolpr_reply_suppressed++;
	memset(&out->key, 0, sizeof(out->key)); /* no key material left behind */
	if (out->len == 0)
		return;
	if (ctrl_tx(c, m->port, eth.src, eth.has_vlan ? (int)eth.vlan_tci : -1, out->pkt,
		    out->len) == 0) {
		c->cnt.prrtadv_tx++;
		if (out->op != HK_KEY_NONE)
			lat_record(c, rx_tsc);
	}
}

static void on_cps(struct gw_ctrl *c, struct rte_mbuf *m)
{
	struct wire_frame *f = &c->frame;
	struct send_cpa_out *o = &c->cpa_out;
	uint64_t t0;
	int rc;

	c->cnt.cps_rx++;
	if (wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK)
		return;
	t0 = rte_rdtsc();
	rc = send_cpa_answer(&c->cpa, f->ip.src, f->icmp.p, f->icmp.len, send_time_now(), o);
	c->cnt.cps_cycles += rte_rdtsc() - t0;
	if (rc != SEND_R_OK || o->n == 0) {
		c->cnt.cps_refused++;
		return;
	}
	for (unsigned i = 0; i < o->n; i++) {
		uint8_t dmac[6];

		if (o->dst[0] == 0xff)
			multicast_mac(o->dst, dmac);
		else
			memcpy(dmac, f->eth.src, 6);
		if (ctrl_tx(c, m->port, dmac, f->eth.has_vlan ? (int)f->eth.vlan_tci : -1,
			    o->pkt[i], o->len[i]) == 0)
			c->cnt.cpa_tx++;
	}
}

static void on_fbu(struct gw_ctrl *c, struct rte_mbuf *m)
{
	struct wire_frame *f = &c->frame;
	struct hk_fbu_info info;

	c->cnt.fbu_events++;
	if (wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK) {
		c->cnt.fbu_check_failed++;
		return;
	}
	/* The worker verified the MAC and accepted the sequence (A14); here A4, A21, A23.
	 * The binding and the FBack come with the PAR forwarding issue. */
	if (hk_fbu_check(&c->gw->cfg.fbu, f, f->ip.hao, false, 0, &info) == HK_R_OK)
		c->cnt.fbu_check_ok++;
	else
		c->cnt.fbu_check_failed++;
}

/* ---- reload ---------------------------------------------------------------------------------- */

static void apply_runtime(struct gw *gw)
{
	struct gw_ctrl *c = gw->ctrl;
	const struct gw_config *cfg = &gw->cfg;

	c->ar.hk_lifetime = (uint16_t)cfg->hk_lifetime;
	c->ar.reply_on_failure = cfg->reply_on_failure;
	c->ar.failure_reply_rate = cfg->failure_reply_rate;
	for (unsigned i = 0; i < gw->n_workers; i++)
		worker_set_policer(gw->workers[i], cfg, gw->tsc_hz);
	rte_log_set_level_pattern("fmipgw.*", cfg->log_level);
}

static void reload(struct gw *gw)
{
	struct gw_config nw;
	char err[512], warn[512];
	int changed;

	if (config_load(gw->cfg.file, &nw, err, sizeof(err)) < 0) {
		gw->ctrl->cnt.reload_errors++;
		GW_LOG(cfg, ERR, "reload refused, the running configuration stays: %s\n", err);
		return;
	}
	changed = config_apply_reload(&gw->cfg, &nw, warn, sizeof(warn));
	config_free(&nw);
	if (changed)
		GW_LOG(cfg, WARNING, "start-up-only keys changed, restart to apply: %s\n", warn);
	apply_runtime(gw);
	gw->ctrl->cnt.reloads++;
	GW_LOG(cfg, NOTICE, "configuration reloaded from %s\n", gw->cfg.file);
}

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

/* ---- init / loop ----------------------------------------------------------------------------- */

int gw_creds_check(struct gw_config *cfg, struct send_creds *creds, struct send_trust **trust,
		   char *err, size_t errlen)
{
	char e[256];
	int rc;

	*trust = NULL;
	rc = send_creds_load(creds, cfg->key_file, cfg->params_file[0] ? cfg->params_file : NULL,
			     cfg->cert_file[0] ? cfg->cert_file : NULL, e, sizeof(e));
	if (rc != SEND_R_OK) {
		snprintf(err, errlen, "%s:%u: [router] credentials: %s (%s)", cfg->file,
			 config_key_line(cfg, "router", "key_file"), e, send_strerror(rc));
		return -1;
	}
	if (!cfg->has_router_addr) {
		static const uint8_t fe80_1[16] = { 0xfe, 0x80, [15] = 1 };

		memcpy(cfg->router_addr, creds->params ? creds->addr : fe80_1, 16);
	}
	if (creds->cert != NULL && !send_cert_covers(creds->cert, cfg->prefixes, cfg->n_prefixes)) {
		snprintf(err, errlen,
			 "%s:%u: [router] prefixes are not all inside the RFC 3779 blocks of "
			 "cert_file %s: issue a certificate covering them "
			 "(conf/make-credentials.sh)",
			 cfg->file, config_key_line(cfg, "router", "prefixes"), cfg->cert_file);
		goto fail;
	}
	if (cfg->anchor_file[0] != '\0') {
		*trust = send_trust_load(cfg->anchor_file, e, sizeof(e));
		if (*trust == NULL || send_trust_count(*trust) == 0) {
			snprintf(err, errlen, "%s:%u: [router] anchor_file %s: %s", cfg->file,
				 config_key_line(cfg, "router", "anchor_file"), cfg->anchor_file,
				 *trust ? "no certificate" : e);
			goto fail;
		}
		if (creds->cert != NULL) {
			rc = send_path_verify(*trust, creds->cert, creds->chain, cfg->prefixes,
					      cfg->n_prefixes);
			if (rc != SEND_R_OK) {
				snprintf(err, errlen,
					 "%s:%u: [router] cert_file %s does not validate to "
					 "anchor_file %s: %s",
					 cfg->file, config_key_line(cfg, "router", "cert_file"),
					 cfg->cert_file, cfg->anchor_file, send_strerror(rc));
				goto fail;
			}
		}
	}
	return 0;
fail:
	send_trust_free(*trust);
	*trust = NULL;
	send_creds_free(creds);
	return -1;
}

int ctrl_init(struct gw *gw, struct gw_ctrl *c, char *err, size_t errlen)
{
	struct gw_config *cfg = &gw->cfg;

	c->gw = gw;
	c->pool = gw->pool;
	if (gw_creds_check(cfg, &c->creds, &c->trust, err, errlen) < 0)
		return -1;
	memset(&c->cpa, 0, sizeof(c->cpa));
	c->cpa.creds = &c->creds;
	c->cpa.anchor = c->trust ? send_trust_get(c->trust, 0) : NULL;
	memcpy(c->cpa.src, cfg->router_addr, 16);

	hk_ar_cfg_defaults(&c->ar);
	c->ar.send = &cfg->send;
	c->ar.creds = &c->creds;
	c->ar.mac = &cfg->mac;
	c->ar.lla = gw->n_ports ? gw->ports[0].mac.addr_bytes : NULL;
	c->ar.aps = cfg->aps;
	c->ar.n_aps = cfg->n_aps;
	memset(&c->ar_st, 0, sizeof(c->ar_st));
	c->ar_st.replay = send_replay_new(&cfg->send);
	if (c->ar_st.replay == NULL) {
		snprintf(err, errlen, "cannot create the SEND replay cache (cache_size %u)",
			 cfg->send.cache_size);
		return -1;
	}
	apply_runtime(gw);
	c->next_sweep = rte_get_tsc_cycles();
	return 0;
}

void ctrl_free(struct gw_ctrl *c)
{
	if (c->ar_st.replay != NULL)
		send_replay_free(c->ar_st.replay);
	c->ar_st.replay = NULL;
	send_trust_free(c->trust);
	c->trust = NULL;
	send_creds_free(&c->creds);
	memset(&c->out, 0, sizeof(c->out));
}

static void dispatch(struct gw_ctrl *c, struct rte_mbuf *m)
{
	struct gw_mbuf_meta *meta = gw_meta(c->gw, m);

	switch (meta->ev) {
	case GW_EV_RTSOLPR:
		on_rtsolpr(c, m, meta->rx_tsc);
		break;
	case GW_EV_CPS:
		on_cps(c, m);
		break;
	case GW_EV_FBU_OK:
		on_fbu(c, m);
		break;
	default:
		c->cnt.nd_rx++; /* ND proper stays with the router's control plane */
		break;
	}
	rte_pktmbuf_free(m);
}

/* Dequeue what the workers queued; returns how many were handled. */
static unsigned drain(struct gw_ctrl *c)
{
	struct gw *gw = c->gw;
	struct rte_mbuf *ms[32];
	unsigned total = 0;

	for (unsigned i = 0; i < gw->n_workers; i++) {
		unsigned n = rte_ring_sc_dequeue_burst(gw->workers[i]->ring, (void **)ms, 32, NULL);

		for (unsigned j = 0; j < n; j++)
			dispatch(c, ms[j]);
		total += n;
	}
	return total;
}

int ctrl_main(void *arg)
{
	struct gw_ctrl *c = arg;
	struct gw *gw = c->gw;
	/* single-lcore development mode: the worker runs in this loop */
	struct gw_worker *inline_w = gw->workers[0]->lcore == c->lcore ? gw->workers[0] : NULL;
	uint64_t end =
	    gw->duration > 0 ? gw->start_tsc + (uint64_t)(gw->duration * gw->tsc_hz) : UINT64_MAX;

	GW_LOG(ctrl, INFO, "control on lcore %u, TX queue %u%s\n", c->lcore, c->txq,
	       inline_w ? " (single-lcore mode: the worker runs here too)" : "");
	while (!gw_sig_stop) {
		uint64_t now = rte_get_tsc_cycles();

		if (now >= end)
			break;
		if (inline_w != NULL)
			worker_poll(inline_w); /* goes offline before returning */
		if (gw_sig_hup) {
			gw_sig_hup = 0;
			reload(gw);
		}
		drain(c);
		if (now >= c->next_sweep) {
			c->cnt.keys_expired += keytab_sweep(gw->kt, gw_now_s(gw), 0);
			count_keys(c);
			c->next_sweep = now + gw->tsc_hz * gw->cfg.sweep_interval_ms / 1000;
		}
	}
	GW_LOG(ctrl, NOTICE, "stopping\n");
	__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE);
	return 0;
}

/* After the workers stopped: what is still queued is freed (not served). */
void ctrl_drain_after_stop(struct gw_ctrl *c)
{
	struct gw *gw = c->gw;
	struct rte_mbuf *ms[32];
	unsigned n;

	for (unsigned i = 0; i < gw->n_workers; i++)
		while ((n = rte_ring_sc_dequeue_burst(gw->workers[i]->ring, (void **)ms, 32,
						      NULL)) > 0)
			rte_pktmbuf_free_bulk(ms, n);
}
