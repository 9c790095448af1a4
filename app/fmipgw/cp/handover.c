/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw accepted FBU -> binding -> FBack (RFC 5568 4, 5.6, 6.2.3; handover.h has the map and
 * the decisions).  The control lcore is the binding table's only writer.  Per accepted FBU
 * (lib/hk's hk_fbu_check passed; A4 clamped the lifetime):
 *
 *   Lifetime 0          the FBack (status 0, back on the FBU's path) is built while the key
 *                       is alive, then binding_teardown (its end callback deletes the key,
 *                       A13), then the FBack leaves (RFC 5568 5.6);
 *   decision            cp_fbu_status: 128 / 129 -> FBack with that status, no state;
 *   HI table full       -> FBack 130;
 *   binding_install     PENDING (predictive mode with an HI: FBack after the HAck, hi.c) or
 *                       ACTIVE (reactive mode, or no HI: FBack now through the tunnel to the
 *                       NCoA and, from the PAR's link, to the PCoA on the old link); FULL ->
 *                       FBack 130; STALE -> nothing (counted);
 *   HI                  when [handover] hi: Code 0 from the PAR's link, 1 otherwise.
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_random.h>

#include "cp.h"
#include "handover.h"

void cp_binding_on_end(void *arg, const struct binding_end *e)
{
	struct gw *gw = arg;
	struct gw_ctrl *c = gw->ctrl;
	const struct keytab_rec *kr;

	if (e->reason == BINDING_END_EXPIRED && c != NULL)
		c->cnt.bindings_expired++;
	/* A13: the key goes when the forwarding it set up ends (torn down, run out).  A binding
	 * the NAR refused or never answered (DELETED) forwarded nothing: its key stays for the
	 * MN's next FBU; REKEYED: the old key was already replaced in the key table. */
	if (e->reason != BINDING_END_TEARDOWN && e->reason != BINDING_END_EXPIRED)
		return;
	kr = keytab_find(gw->kt, e->pcoa);
	if (kr != NULL && (uintptr_t)kr == e->key_ref && keytab_del(gw->kt, e->pcoa) == 0 &&
	    c != NULL)
		c->cnt.keys_released++;
}

void cp_path_back(struct cp_path *p, const struct rte_mbuf *m, const struct wire_frame *f)
{
	memset(p, 0, sizeof(*p));
	p->port = m->port;
	memcpy(p->mac, f->eth.src, 6);
	p->vlan = f->eth.has_vlan ? (int)f->eth.vlan_tci : -1;
}

/* The tunnel toward exit from tun_src, by [ap.*] section ap. */
static void path_tunnel(struct cp_path *p, unsigned ap, const uint8_t tun_src[16],
			const uint8_t exit[16])
{
	memset(p, 0, sizeof(*p));
	p->tunnel = true;
	p->ap = ap;
	memcpy(p->tun_src, tun_src, 16);
	memcpy(p->exit, exit, 16);
}

/* RFC 5568 5.6: Lifetime 0 from the MN back on the PAR's link. */
static void teardown(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *info,
		     const struct wire_frame *f, const struct cp_path *back)
{
	struct cp_ho *ho = c->ho;
	struct hk_fbu_info to = *info;
	size_t len = 0;
	int rc, built;

	cp_hi_cancel(c, info->pcoa);
	memcpy(to.ncoa, f->ip.src, 16); /* back where it came from */
	built = hk_fback_build(ho->mctx, &kr->mac, &c->gw->cfg.fbu, &to, 0, NULL, ho->pkt,
			       sizeof(ho->pkt), &len) == HK_R_OK; /* before the key goes (A13) */
	rc = binding_teardown(c->gw->bt, info->pcoa, info->seq);
	if (rc == BINDING_E_STALE) {
		c->cnt.fbu_binding_stale++;
		return;
	}
	if (rc == BINDING_OK)
		c->cnt.fbu_teardown++;
	else
		c->cnt.fbu_teardown_none++; /* nothing to remove: the state asked for holds */
	if (built && cp_path_tx(c, back, ho->pkt, len) == 0)
		c->cnt.fback_sent_0++;
	else
		c->cnt.fback_failed++;
}

/* FBUs refused by the decision, by FBack status; 128 for any other */
static const struct cp_code_ctr refusal[] = {
	{ 129, GW_CNT_OFF(fbu_admin_refused) },
	{ 130, GW_CNT_OFF(fbu_table_full) },
};

/* The install for an FBU that passed the decision; false when it is answered already. */
static bool install(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *info,
		    unsigned ap, const uint8_t *tun_src, bool pending, const struct cp_path *back)
{
	struct binding_spec s = {
		.pcoa = info->pcoa,
		.ncoa = info->ncoa,
		.par = info->par,
		.tun_src = tun_src,
		.seq = info->seq,
		.lifetime = info->lifetime,
		.expires = gw_now_s(c->gw) + info->lifetime,
		.state = pending ? BINDING_PENDING : BINDING_ACTIVE,
		.key_ref = (uintptr_t)kr,
		.user = (uint8_t)ap,
	};
	int rc = binding_install(c->gw->bt, &s);

	if (rc == BINDING_OK || rc == BINDING_REPLACED)
		return true;
	if (rc == BINDING_E_STALE) {
		c->cnt.fbu_binding_stale++; /* nothing changes, no FBack */
		return false;
	}
	if (rc == BINDING_E_FULL) {
		c->cnt.fbu_table_full++;
		cp_fback_send(c, kr, info, 130, NULL, info->from_par_link ? info->pcoa : info->ncoa,
			      back);
		return false;
	}
	cp_fback_send(c, kr, info, 128, NULL, info->from_par_link ? info->pcoa : info->ncoa, back);
	return false;
}

void cp_handover_fbu(struct gw_ctrl *c, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct hk_fbu_info *info)
{
	const struct gw_config *cfg = &c->gw->cfg;
	const struct keytab_rec *kr = keytab_find(c->gw->kt, info->pcoa);
	uint32_t asked = f->mh.u.fbu.lifetime * (cfg->fbu.lifetime_4s ? 4u : 1u);
	const uint8_t *src = info->from_par_link ? info->pcoa : info->ncoa;
	const uint8_t *tun_src = cfg->has_tun_source ? cfg->tun_source : info->par;
	/* the MN's link-layer address the HI MUST carry (RFC 5568 6.2.1.1): the FBU's MH-LLA,
	 * else, from the PAR's link, the FBU's Ethernet source; from the NAR's link without an
	 * MH-LLA there is none, and no HI (the NAR would have to refuse it) */
	const uint8_t *mn_lla = info->has_mn_lla      ? info->mn_lla
				: info->from_par_link ? f->eth.src
						      : NULL;
	struct cp_path back, tun;
	uint8_t status;
	bool hi, pending;
	int ap;

	cp_path_back(&back, m, f);
	if (kr == NULL) { /* the key went between the worker's check and now */
		c->cnt.fback_failed++;
		return;
	}
	if (asked > info->lifetime)
		c->cnt.fbu_lifetime_clamped++; /* A4: clamped, not refused */
	if (info->teardown) {
		teardown(c, kr, info, f, &back);
		return;
	}
	status = cp_fbu_status(cfg, info, &ap);
	hi = status == 0 && cfg->ho_hi && mn_lla != NULL;
	if (hi && !cp_hi_room(c, info->pcoa))
		status = 130;
	if (status != 0) {
		(*cp_code_counter(&c->cnt, refusal, 2, status, GW_CNT_OFF(fbu_ncoa_refused)))++;
		cp_fback_send(c, kr, info, status, NULL, src, &back);
		return;
	}
	pending = hi && info->from_par_link; /* predictive: RFC 5568 6.2.3 */
	if (!install(c, kr, info, (unsigned)ap, tun_src, pending, &back))
		return;
	if (hi)
		cp_hi_start(c, info, kr, (unsigned)ap, tun_src, &back, mn_lla);
	else
		cp_hi_cancel(c, info->pcoa);
	if (!pending) {
		path_tunnel(&tun, (unsigned)ap, tun_src, info->ncoa);
		cp_fback_accept(c, kr, info, 0, NULL, info->ncoa, &tun, &back);
	}
}

/* The tunnel path of an outstanding HI's binding (hi.c). */
void cp_hi_tunnel_path(const struct cp_hi_entry *e, const uint8_t exit[16], struct cp_path *p)
{
	path_tunnel(p, e->ap, e->tun_src, exit);
}

void cp_handover_tick(struct gw_ctrl *c, uint64_t now)
{
	struct gw *gw = c->gw;

	if (c->ho == NULL)
		return;
	rte_timer_manage(); /* HI retransmissions and timeouts (hi.c) */
	if (now < c->ho->next_sweep)
		return;
	binding_sweep(gw->bt, gw_now_s(gw), 0);
	c->ho->next_sweep = now + gw->tsc_hz * gw->cfg.bind_sweep_interval_ms / 1000;
}

int cp_handover_init(struct gw_ctrl *c, char *err, size_t errlen)
{
	struct gw *gw = c->gw;
	const struct gw_config *cfg = &gw->cfg;
	struct rte_hash_parameters hp = {
		.name = "fmipgw_hi",
		.entries = cfg->hi_pending < 64 ? 64 : cfg->hi_pending * 2,
		.key_len = 16,
		.socket_id = (int)rte_socket_id(),
	};
	struct cp_ho *ho;
	int rc;

	for (unsigned i = 0; i < cfg->n_aps; i++)
		if (cfg->ap_ext[i].port >= gw->n_ports) {
			snprintf(err, errlen,
				 "%s:%u: [%s] port %u, but the gateway has %u port(s) (0..%u)",
				 cfg->file, config_key_line(cfg, cfg->ap_ext[i].name, "port"),
				 cfg->ap_ext[i].name, cfg->ap_ext[i].port, gw->n_ports,
				 gw->n_ports - 1);
			return -1;
		}
	rc = rte_timer_subsystem_init();
	ho = rte_zmalloc("fmipgw_ho", sizeof(*ho), RTE_CACHE_LINE_SIZE);
	c->ho = ho;
	if ((rc < 0 && rc != -EALREADY) || ho == NULL ||
	    (ho->mctx = mac_ctx_create(gw->mac)) == NULL ||
	    (ho->hi_by_pcoa = rte_hash_create(&hp)) == NULL ||
	    (ho->hi_by_seq = rte_zmalloc("fmipgw_hi_seq", 65536 * sizeof(uint32_t), 0)) == NULL ||
	    (ho->hi = rte_zmalloc("fmipgw_hi_tab", cfg->hi_pending * sizeof(*ho->hi),
				  RTE_CACHE_LINE_SIZE)) == NULL ||
	    (ho->hi_free = rte_malloc("fmipgw_hi_free", cfg->hi_pending * sizeof(uint32_t), 0)) ==
		NULL) {
		snprintf(err, errlen,
			 "cannot create the handover state (timers, HI table of %u): give EAL "
			 "more memory (-m)",
			 cfg->hi_pending);
		return -1;
	}
	ho->hi_cap = cfg->hi_pending;
	for (uint32_t i = 0; i < ho->hi_cap; i++) {
		rte_timer_init(&ho->hi[i].tim);
		ho->hi_free[i] = ho->hi_cap - 1 - i; /* entry 0 on top */
	}
	ho->next_seq = (uint16_t)rte_rand();
	ho->next_sweep = rte_get_tsc_cycles();
	return 0;
}

void cp_handover_free(struct gw_ctrl *c)
{
	struct cp_ho *ho = c->ho;

	if (ho == NULL)
		return;
	if (ho->hi != NULL && ho->hi_free != NULL)
		cp_hi_free_all(c);
	rte_hash_free(ho->hi_by_pcoa);
	if (ho->mctx != NULL)
		mac_ctx_destroy(ho->mctx);
	rte_free(ho->hi_by_seq);
	rte_free(ho->hi_free);
	rte_free(ho->hi);
	rte_free(ho);
	c->ho = NULL;
}
