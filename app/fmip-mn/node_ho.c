/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn handovers and data: the FBU from the PAR's or the NAR's link and the return to the
 * PAR (hk_mn_fbu), the FBack check (hk_mn_fback_check plus sequence, status, lifetime and
 * addresses, RFC 5568 6.2.3, A4), data from the correspondent to the PCoA and
 * reverse-tunnelled data (RFC 2473), and the checks of what comes back: tunnelled to the NCoA
 * with the inner packet intact but for its Hop Limit, or decapsulated to the correspondent.
 */
#include <string.h>

#include "mn.h"

#define DATA_MAGIC 0x464d4d4eu /* "FMMN" */
#define DATA_PORT  5568

bool mn_node_handover(struct mn_shard *sh, struct mn_node *n, enum mn_step step,
		      const struct mn_now *now)
{
	const struct mn_scen *s = sh->scen;
	bool ret = step == STEP_RETURN;
	struct hk_fbu_spec spec = {
		.pcoa = n->creds.addr,
		.ncoa = ret ? n->creds.addr : n->ncoa, /* back at the PAR: the CoA is the PCoA */
		.par = s->par,
		.ar = n->ar,
		.from_par_link = step != STEP_HO_NAR,
		.seq = (uint16_t)(n->seq + 1),
		.lifetime = (uint16_t)(ret ? 0 : s->ho_lifetime),
		.mn_lla = s->ho_mn_lla ? n->mac : NULL,
	};
	unsigned kind = ret ? MN_TX_fbu_return : spec.from_par_link ? MN_TX_fbu_par : MN_TX_fbu_nar;
	size_t len = 0;

	if (!mn_bucket_take(&sh->ho, now->ns))
		return false;
	if (hk_mn_fbu(&n->hk, sh->mctx, sh->w->eng, &spec, now->wall48, sh->buf + MN_L2,
		      sizeof(sh->buf) - MN_L2, &len) != HK_R_OK) {
		sh->st.out[MN_OUT_skipped]++; /* no key left for this router */
		mn_node_next(n, now->ns);
		return false;
	}
	n->seq = spec.seq;
	if (len <= MN_FBU_MAX) {
		memcpy(n->last_fbu, sh->buf + MN_L2, len);
		n->last_fbu_len = (uint8_t)len;
	}
	mn_emit_ip6(sh, kind, 0, mn_gw_mac(sh), n->mac, len);
	if (ret) {
		sh->st.out[MN_OUT_returns]++;
	} else {
		sh->st.out[MN_OUT_handovers]++;
		hk_mn_handover_done(&n->hk); /* HKEPK-HANDOVERS */
	}
	n->at_nar = !ret;
	n->fb_pending = true;
	n->fb_acked = false;
	n->fb_seq = spec.seq;
	n->fb_life = spec.lifetime;
	n->t_fbu = now->ns;
	if (s->fback_timeout_ms > 0) {
		n->state = NS_WAIT_FBACK;
		n->t_next = now->ns + (uint64_t)s->fback_timeout_ms * 1000000u;
	} else {
		mn_node_next(n, now->ns + (uint64_t)s->ho_interval_ms * 1000000u);
	}
	return true;
}

static void fback_refused(struct mn_shard *sh, enum mn_fb why)
{
	sh->st.rx[MN_RX_fback_bad]++;
	sh->st.fback_reason[why]++;
}

#define FB_COPY (-2) /* fback_fields: another copy of the FBack already taken */

/* Everything but the authenticator: addresses, sequence, status, lifetime (A4).  -1: as
 * expected; FB_COPY: a copy of the last FBack taken (RFC 5568 6.2.3: for an FBU from the PAR's
 * link the PAR MAY answer on the old link as well as through the tunnel, and fmip-mn, on one
 * port, sees both); else the reason it is refused. */
static int fback_fields(struct mn_shard *sh, struct mn_node *n, const struct wire_frame *f)
{
	const struct wire_mh *mh = &f->mh;

	if (memcmp(f->ip.src, sh->scen->par, 16) != 0 ||
	    (memcmp(f->ip.dst, n->ncoa, 16) != 0 && memcmp(f->ip.dst, n->creds.addr, 16) != 0))
		return MN_FB_addr;
	if (!n->fb_pending)
		return n->fb_acked && mh->u.fback.seq == n->fb_seq ? FB_COPY : MN_FB_unexpected;
	if (mh->u.fback.seq != n->fb_seq)
		return MN_FB_seq;
	if (mh->u.fback.status >= 128)
		return MN_FB_status;
	if (mh->u.fback.lifetime > n->fb_life)
		return MN_FB_lifetime;
	return -1;
}

void mn_node_fback(struct mn_shard *sh, struct mn_node *n, const uint8_t *ip6, size_t len,
		   bool tunnelled, const struct mn_now *now)
{
	struct wire_frame *f = &sh->inner;
	int r = hk_mn_fback_check(&n->hk, sh->mctx, sh->w->eng, n->ar, ip6, len, now->wall48);
	int why;

	if (tunnelled)
		sh->st.rx[MN_RX_fback_tunnelled]++;
	if (r != HK_R_OK) {
		fback_refused(sh, r == HK_R_NO_KEY    ? MN_FB_no_key
				  : r == HK_R_BAD_MAC ? MN_FB_mac
						      : MN_FB_malformed);
		return;
	}
	wire_decode_frame(ip6, len, WIRE_LINK_RAW6, f); /* hk_mn_fback_check decoded it */
	if ((why = fback_fields(sh, n, f)) == FB_COPY) {
		sh->st.rx[MN_RX_fback_copy]++;
		return;
	}
	if (why >= 0) {
		fback_refused(sh, (enum mn_fb)why);
		return;
	}
	/* RFC 5568 6.2.3: Status 1 carries the NCoA the NAR assigned; the MN MUST use it */
	if (f->mh.u.fback.status == 1 && f->mh.altcoa != NULL)
		memcpy(n->ncoa, f->mh.altcoa, 16);
	sh->st.rx[MN_RX_fback_ok]++;
	mn_samples_add(&sh->st.fback, (now->ns - n->t_fbu) / 1000);
	n->fb_pending = false;
	n->fb_acked = true;
	if (n->state == NS_WAIT_FBACK)
		mn_node_next(n, now->ns + (uint64_t)sh->scen->ho_interval_ms * 1000000u);
}

size_t mn_data_build(const struct mn_world *w, const struct mn_node *n, uint32_t seq, bool reverse,
		     uint8_t *pkt, size_t cap)
{
	const struct mn_scen *s = &w->scen;
	struct wire_buf b = wire_buf_make(pkt, cap);
	const uint8_t *src = reverse ? n->creds.addr : s->cn,
		      *dst = reverse ? s->cn : n->creds.addr;
	size_t ip = wire_build_ip6(&b, src, dst, 17, 64), udp = b.len;
	uint16_t ulen = (uint16_t)(8 + s->data_size), c;

	wire_put_be16(&b, DATA_PORT);
	wire_put_be16(&b, (uint16_t)(DATA_PORT + reverse));
	wire_put_be16(&b, ulen);
	wire_put_be16(&b, 0);
	wire_put_be32(&b, DATA_MAGIC);
	wire_put_be32(&b, n->id);
	wire_put_be32(&b, seq);
	wire_put_u8(&b, reverse);
	wire_put_zero(&b, s->data_size - 13);
	if (b.err != WIRE_OK || wire_ip6_finish(&b, ip) != WIRE_OK)
		return 0;
	c = wire_l4_csum(src, dst, 17, pkt + udp, ulen, 6);
	wire_poke_be16(&b, udp + 6, c ? c : 0xffff); /* RFC 8200 8.1: never 0 over IPv6 */
	return b.len;
}

void mn_node_data(struct mn_shard *sh, struct mn_node *n, bool reverse)
{
	uint8_t *p = sh->buf + MN_L2;
	size_t cap = sizeof(sh->buf) - MN_L2, len;

	if (!reverse) {
		len = mn_data_build(sh->w, n, n->data_seq++, false, p, cap);
		mn_emit_ip6(sh, MN_TX_data, 0, mn_gw_mac(sh), sh->port_mac, len);
		return;
	}
	/* RFC 2473: outer source the NCoA, destination the tunnel end (the PAR) */
	struct wire_buf b = wire_buf_make(p, cap);
	size_t ip = wire_build_ip6(&b, n->ncoa, sh->w->tunnel_end, WIRE_NH_IPV6, 64);

	len = mn_data_build(sh->w, n, n->data_seq++, true, p + b.len, cap - b.len);
	b.len += len;
	if (len == 0 || wire_ip6_finish(&b, ip) != WIRE_OK)
		return;
	mn_emit_ip6(sh, MN_TX_reverse, 0, mn_gw_mac(sh), n->mac, b.len);
}

/* Who a data packet says it is: 1 with node, seq and direction, 0 if it is not ours. */
static int data_id(const struct wire_ip6 *ip, uint32_t *node, uint32_t *seq, bool *reverse)
{
	const uint8_t *u = ip->l4;

	if (ip->proto != 17 || ip->l4_len < 8 + 13 || wire_be32(u + 8) != DATA_MAGIC)
		return 0;
	*node = wire_be32(u + 12);
	*seq = wire_be32(u + 16);
	*reverse = u[20] != 0;
	return 1;
}

/* pkt is the packet (node, seq, reverse) as built, apart from its Hop Limit. */
static bool data_intact(struct mn_shard *sh, const struct mn_node *n, uint32_t seq, bool reverse,
			const uint8_t *pkt, size_t len)
{
	uint8_t want[1600];
	size_t wl = mn_data_build(sh->w, n, seq, reverse, want, sizeof(want));

	return wl == len && seq < n->data_seq && memcmp(want, pkt, 7) == 0 &&
	       memcmp(want + 8, pkt + 8, len - 8) == 0;
}

void mn_rx_udp(struct mn_shard *sh, const struct wire_frame *f)
{
	uint32_t id, seq;
	bool rev;
	const struct mn_node *n;

	if (!data_id(&f->ip, &id, &seq, &rev) || id >= sh->w->n_nodes) {
		sh->st.rx[MN_RX_other]++;
		return;
	}
	n = &sh->w->nodes[id];
	if (!rev && memcmp(f->ip.dst, n->creds.addr, 16) == 0) {
		sh->st.rx[MN_RX_data_plain]++;
	} else if (rev && memcmp(f->ip.dst, sh->scen->cn, 16) == 0) {
		bool ok = data_intact(sh, n, seq, true, f->ip.hdr, f->ip.len);

		sh->st.rx[ok ? MN_RX_reverse_ok : MN_RX_reverse_bad]++;
	} else {
		sh->st.rx[MN_RX_other]++;
	}
}

void mn_rx_tunnel(struct mn_shard *sh, struct mn_node *n, const struct wire_frame *f,
		  const struct mn_now *now)
{
	struct wire_frame *in = &sh->inner;
	uint32_t id, seq;
	bool rev;

	if (memcmp(f->ip.dst, n->ncoa, 16) != 0) {
		sh->st.rx[MN_RX_other]++; /* e.g. the node's own reverse packet passed back */
		return;
	}
	if (wire_decode_frame(f->ip.l4, f->ip.l4_len, WIRE_LINK_RAW6, in) == WIRE_OK &&
	    in->msg == WIRE_MSG_FBACK) {
		mn_node_fback(sh, n, f->ip.l4, f->ip.l4_len, true, now);
		return;
	}
	if (in->ip.hdr == NULL || !data_id(&in->ip, &id, &seq, &rev) || id != n->id || rev) {
		sh->st.rx[MN_RX_other]++;
		return;
	}
	/* RFC 2473: from the tunnel entry point, the inner packet as sent but its Hop Limit */
	bool ok = memcmp(f->ip.src, sh->w->tunnel_end, 16) == 0 &&
		  data_intact(sh, n, seq, false, in->ip.hdr, in->ip.len);

	sh->st.rx[ok ? MN_RX_data_tunnel_ok : MN_RX_data_tunnel_bad]++;
}
