/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw PAR role toward the NAR (RFC 5568 6.2.1, A18): the HI (MH 14) an accepted FBU sends
 * to the NAR of its NCoA's [ap.*] section — Sequence # of its own, Code 0 when the FBU came
 * from the PCoA and 1 otherwise, S and U clear (fmipgw asks for no assigned address and
 * buffers nothing), the MN's link-layer address (MH-LLA code 2), the PCoA (option 34 code 1)
 * and the NCoA (code 2) — its retransmission (no less than hi_timeout_ms, doubled each time,
 * HI_RETRIES times: 6.2.1.1) on rte_timer, and the HAck (MH 15) that answers it:
 *
 *   predictive (binding PENDING)   0         activate, FBack 0 (tunnel to the NCoA, old link)
 *                                  2 + NCoA  activate with the NAR's NCoA, FBack 1 + Alt-CoA
 *                                  3         activate with the NAR as the tunnel's exit,
 *                                            FBack 0 (to the PCoA through it, old link)
 *                                  1, 128-130, others, timeout
 *                                            delete the binding, FBack 128-130 on the old link
 *   reactive (binding ACTIVE)      128-130, others: delete the binding; no FBack (it went)
 *   code 4 (unsolicited)           counted, ignored (it answers no HI)
 *
 * A HAck is matched to its HI by Sequence # and source (the NAR the HI went to); one HI per
 * PCoA is outstanding (a newer FBU replaces it).  A binding is removed only while it is still
 * the FBU's own (same sequence).
 */
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "cp.h"
#include "handover.h"

static struct cp_hi_entry *by_pcoa(struct cp_ho *ho, const uint8_t pcoa[16])
{
	void *d;

	return rte_hash_lookup_data(ho->hi_by_pcoa, pcoa, &d) >= 0 ? d : NULL;
}

static void entry_free(struct cp_ho *ho, struct cp_hi_entry *e)
{
	rte_timer_stop(&e->tim);
	rte_hash_del_key(ho->hi_by_pcoa, e->fbu.pcoa);
	ho->hi_by_seq[e->seq] = 0;
	e->used = false;
	ho->hi_used--;
	ho->hi_free[ho->hi_cap - ho->hi_used - 1] = (uint32_t)(e - ho->hi);
}

bool cp_hi_room(struct gw_ctrl *c, const uint8_t pcoa[16])
{
	return c->ho->hi_used < c->ho->hi_cap || by_pcoa(c->ho, pcoa) != NULL;
}

void cp_hi_cancel(struct gw_ctrl *c, const uint8_t pcoa[16])
{
	struct cp_hi_entry *e = c->ho != NULL ? by_pcoa(c->ho, pcoa) : NULL;

	if (e != NULL)
		entry_free(c->ho, e);
}

void cp_hi_free_all(struct gw_ctrl *c)
{
	struct cp_ho *ho = c->ho;

	for (uint32_t i = 0; i < ho->hi_cap; i++)
		if (ho->hi[i].used)
			entry_free(ho, &ho->hi[i]);
}

/* The binding is still the one this HI is for. */
static bool binding_is(const struct gw_ctrl *c, const struct cp_hi_entry *e)
{
	const struct binding_rec *r = binding_find(c->gw->bt, e->fbu.pcoa);

	return r != NULL && r->seq == e->fbu.seq;
}

/* The key the FBU was authenticated with, if the key table still holds it (else no FBack:
 * cp_fback_send counts it). */
static const struct keytab_rec *fbu_key(const struct gw_ctrl *c, const struct cp_hi_entry *e)
{
	const struct keytab_rec *kr = keytab_find(c->gw->kt, e->fbu.pcoa);

	return (uintptr_t)kr == e->key_ref ? kr : NULL;
}

/* The NAR said no, or nothing: the binding goes; in predictive mode the MN hears status. */
static void refused(struct gw_ctrl *c, struct cp_hi_entry *e, uint8_t status)
{
	if (binding_is(c, e))
		binding_delete(c->gw->bt, e->fbu.pcoa);
	if (e->fbu.from_par_link)
		cp_fback_send(c, fbu_key(c, e), &e->fbu, status, NULL, e->fbu.pcoa, &e->old);
}

static void hi_timer(struct rte_timer *t, void *arg);

static void arm(struct gw_ctrl *c, struct cp_hi_entry *e)
{
	uint64_t ticks = c->gw->tsc_hz * cp_hi_wait_ms(&c->gw->cfg, e->tries) / 1000;

	rte_timer_reset(&e->tim, ticks ? ticks : 1, SINGLE, rte_lcore_id(), hi_timer, e);
}

static int hi_tx(struct gw_ctrl *c, const struct cp_hi_entry *e)
{
	const struct gw_config *cfg = &c->gw->cfg;
	const struct gw_port *gp = &c->gw->ports[cfg->ap_ext[e->ap].port];

	return cp_tx(c, gp->p.id, cfg->aps[e->ap].nar_lla, -1, e->pkt, e->len);
}

static void hi_timer(struct rte_timer *t, void *arg)
{
	struct cp_hi_entry *e = arg;
	struct gw_ctrl *c = e->c;

	(void)t;
	if (e->tries <= c->gw->cfg.hi_retries) {
		if (hi_tx(c, e) == 0) /* else counted by cause in cp_tx */
			c->cnt.hi_retransmitted++;
		e->tries++;
		arm(c, e);
		return;
	}
	c->cnt.hi_timed_out++;
	if (e->fbu.from_par_link)
		refused(c, e, 128); /* the pending binding never forwarded: it goes */
	entry_free(c->ho, e);
}

/* A free entry and a Sequence # no outstanding HI uses. */
static struct cp_hi_entry *entry_alloc(struct cp_ho *ho)
{
	uint32_t i;

	if (ho->hi_used == ho->hi_cap)
		return NULL;
	i = ho->hi_free[ho->hi_cap - ho->hi_used - 1];
	while (ho->hi_by_seq[ho->next_seq] != 0) /* hi_pending <= 32768: terminates */
		ho->next_seq++;
	ho->hi[i].seq = ho->next_seq++;
	ho->hi[i].used = true;
	ho->hi_used++;
	ho->hi_by_seq[ho->hi[i].seq] = i + 1;
	return &ho->hi[i];
}

void cp_hi_start(struct gw_ctrl *c, const struct hk_fbu_info *info, const struct keytab_rec *kr,
		 unsigned ap, const uint8_t tun_src[16], const struct cp_path *old,
		 const uint8_t *mn_lla)
{
	const struct gw_config *cfg = &c->gw->cfg;
	struct cp_ho *ho = c->ho;
	struct cp_hi_entry *e;
	struct wire_buf w;
	struct wire_hi_spec s = {
		.src = info->par,
		.dst = cfg->aps[ap].nar_addr,
		.code = info->from_par_link ? 0 : 1, /* RFC 5568 4, 6.2.1.1 */
		.mn_lla = mn_lla,
		.pcoa = info->pcoa,
		.ncoa = info->ncoa, /* the Alternate CoA from the PAR's link (6.2.2) */
	};

	cp_hi_cancel(c, info->pcoa); /* a newer FBU: its HI replaces the old one */
	e = entry_alloc(ho);
	if (e == NULL)
		return; /* cp_hi_room() said there was room */
	e->c = c;
	e->tries = 1;
	e->ap = (uint8_t)ap;
	e->fbu = *info;
	e->key_ref = (uintptr_t)kr;
	e->old = *old;
	memcpy(e->tun_src, tun_src, 16);
	s.seq = e->seq;
	w = wire_buf_make(e->pkt, sizeof(e->pkt));
	if (wire_build_hi(&w, &s) != WIRE_OK) {
		entry_free(ho, e);
		return;
	}
	e->len = (uint16_t)w.len;
	rte_hash_add_key_data(ho->hi_by_pcoa, info->pcoa, e);
	if (hi_tx(c, e) == 0)
		c->cnt.hi_sent++;
	arm(c, e); /* a lost first transmission is retransmitted like a lost reply */
}

/* HAcks received, by code (RFC 5568 6.2.1.2) */
static const struct cp_code_ctr rx[] = {
	{ 0, GW_CNT_OFF(hack_rx_0) },	  { 1, GW_CNT_OFF(hack_rx_1) },
	{ 2, GW_CNT_OFF(hack_rx_2) },	  { 3, GW_CNT_OFF(hack_rx_3) },
	{ 4, GW_CNT_OFF(hack_rx_4) },	  { 128, GW_CNT_OFF(hack_rx_128) },
	{ 129, GW_CNT_OFF(hack_rx_129) }, { 130, GW_CNT_OFF(hack_rx_130) },
};

/* Predictive mode accepted: the binding becomes ACTIVE toward exit, the FBack goes. */
static void accepted(struct gw_ctrl *c, struct cp_hi_entry *e, uint8_t status, const uint8_t *ncoa,
		     const uint8_t exit[16], const uint8_t fb_dst[16])
{
	struct cp_path tun;

	if (binding_activate(c->gw->bt, e->fbu.pcoa, e->fbu.seq, ncoa) != BINDING_OK) {
		c->cnt.hack_rx_stale++; /* replaced by a newer FBU, expired, or torn down */
		return;
	}
	cp_hi_tunnel_path(e, exit, &tun);
	cp_fback_accept(c, fbu_key(c, e), &e->fbu, status, status == 1 ? ncoa : NULL, fb_dst, &tun,
			&e->old);
}

static void answer(struct gw_ctrl *c, struct cp_hi_entry *e, uint8_t code, const uint8_t *ncoa)
{
	const uint8_t *nar = c->gw->cfg.aps[e->ap].nar_addr;

	if (!e->fbu.from_par_link) { /* reactive: only a refusal changes anything */
		if (code >= 128 && binding_is(c, e))
			binding_delete(c->gw->bt, e->fbu.pcoa);
		return;
	}
	switch (code) {
	case 0:
		accepted(c, e, 0, NULL, e->fbu.ncoa, e->fbu.ncoa);
		return;
	case 2:
		if (ncoa != NULL) {
			accepted(c, e, 1, ncoa, ncoa, ncoa);
			return;
		}
		refused(c, e, 128); /* "assigned" without the address */
		return;
	case 3: /* the NAR forwards for the PCoA: tunnel to the NAR itself */
		accepted(c, e, 0, nar, nar, e->fbu.pcoa);
		return;
	case 129:
	case 130:
		refused(c, e, code);
		return;
	default: /* 1 (NCoA not valid), 128, unknown */
		refused(c, e, 128);
	}
}

void cp_on_hack(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc)
{
	struct wire_frame *f = &c->work.frame;
	struct cp_ho *ho = c->ho;
	struct cp_hi_entry *e;
	uint32_t idx;
	uint8_t code;

	(void)rx_tsc;
	if (wire_decode_frame(rte_pktmbuf_mtod(m, const uint8_t *), m->data_len, WIRE_LINK_ETH,
			      f) != WIRE_OK ||
	    f->msg != WIRE_MSG_HACK ||
	    (c->gw->cfg.neighbours_only && !cp_is_neighbour(&c->gw->cfg, f->ip.src))) {
		c->cnt.hack_rx_refused++;
		return;
	}
	code = f->mh.u.hack.code;
	(*cp_code_counter(&c->cnt, rx, 8, code, GW_CNT_OFF(hack_rx_other)))++;
	if (code == 4 || ho == NULL)
		return; /* unsolicited: it answers no HI */
	idx = ho->hi_by_seq[f->mh.u.hack.seq];
	e = idx != 0 ? &ho->hi[idx - 1] : NULL;
	if (e == NULL || memcmp(c->gw->cfg.aps[e->ap].nar_addr, f->ip.src, 16) != 0) {
		c->cnt.hack_rx_unmatched++;
		return;
	}
	answer(c, e, code, f->mh.ipaddr[2]);
	entry_free(ho, e);
}
