/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw FBack (RFC 5568 6.2.3) and the control plane's packet paths.  The FBack is built by
 * lib/hk (hk_fback_build: the FBU's sequence, the granted lifetime in the peer's units (A4),
 * status, the NAR-assigned NCoA in an Alternate CoA option for status 1, the BADF made with
 * the key the FBU was authenticated with, A20); its MAC input's care-of address is its IPv6
 * destination (wire_mac_input: A2 for the NCoA; a copy to the PCoA is MACed with the PCoA,
 * which is what the MN checks it with).  A packet leaves back on a received frame's path or
 * through the tunnel: an RFC 2473 header from the tunnel source to the exit (the FBack is the
 * gateway's own packet: its Hop Limit is not decremented), out of the [ap.*] section's port to
 * the NAR's link-layer address.
 */
#include <string.h>

#include "cp.h"
#include "handover.h"

int cp_path_tx(struct gw_ctrl *c, const struct cp_path *p, const uint8_t *pkt, size_t len)
{
	const struct gw *gw = c->gw;
	const struct gw_config *cfg = &gw->cfg;
	struct cp_ho *ho = c->ho;
	struct wire_tunnel_spec ts = {
		.src = p->tun_src,
		.dst = p->exit,
		.hlim = (uint8_t)cfg->tun_hop_limit,
		.tc_copy = cfg->tun_tc_mode == GW_TUN_COPY,
		.tc = (uint8_t)cfg->tun_tc,
		.flow_copy = cfg->tun_fl_mode == GW_TUN_COPY,
		.flow = cfg->tun_flow_label,
	};
	struct wire_ip6_hdr in;
	unsigned port;

	if (!p->tunnel)
		return cp_tx(c, p->port, p->mac, p->vlan, pkt, len);
	port = cfg->ap_ext[p->ap].port;
	if (len + WIRE_IPV6_HLEN > sizeof(ho->tx) ||
	    wire_ip6_hdr_decode(pkt, len, &in) != WIRE_OK ||
	    wire_tunnel_hdr(ho->tx, &in, &ts) != WIRE_OK)
		return -1;
	memcpy(ho->tx + WIRE_IPV6_HLEN, pkt, len);
	return cp_tx(c, gw->ports[port].p.id, cfg->aps[p->ap].nar_lla, -1, ho->tx,
		     len + WIRE_IPV6_HLEN);
}

/* FBacks sent, by status (RFC 5568 6.2.3); 128 for any other */
static const struct cp_code_ctr sent[] = {
	{ 0, GW_CNT_OFF(fback_sent_0) },
	{ 1, GW_CNT_OFF(fback_sent_1) },
	{ 129, GW_CNT_OFF(fback_sent_129) },
	{ 130, GW_CNT_OFF(fback_sent_130) },
};

int cp_fback_send(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *fbu,
		  uint8_t status, const uint8_t *assigned, const uint8_t dst[16],
		  const struct cp_path *p)
{
	struct cp_ho *ho = c->ho;
	struct hk_fbu_info to = *fbu;
	size_t len = 0;

	/* RFC 5568 6.2.3: an FBack answers an FBU whose A flag is set (hk_fbu_check requires
	 * it: an FBU without it is refused before this) */
	if (kr == NULL || !(fbu->flags & WIRE_FBU_FLAG_A)) {
		c->cnt.fback_failed++;
		return -1;
	}
	memcpy(to.ncoa, dst, 16); /* hk_fback_build sends to (and MACs with) info->ncoa */
	if (hk_fback_build(c->ho->mctx, &kr->mac, &c->gw->cfg.fbu, &to, status, assigned, ho->pkt,
			   sizeof(ho->pkt), &len) != HK_R_OK ||
	    cp_path_tx(c, p, ho->pkt, len) < 0) {
		c->cnt.fback_failed++;
		return -1;
	}
	(*cp_code_counter(&c->cnt, sent, 4, status, GW_CNT_OFF(fback_sent_128)))++;
	return 0;
}

void cp_fback_accept(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *fbu,
		     uint8_t status, const uint8_t *assigned, const uint8_t tun_dst[16],
		     const struct cp_path *tunnel, const struct cp_path *old)
{
	cp_fback_send(c, kr, fbu, status, assigned, tun_dst, tunnel);
	/* RFC 5568 6.2.3: "MAY also be sent to the MN on the old link" */
	if (fbu->from_par_link && c->gw->cfg.fback_old_link)
		cp_fback_send(c, kr, fbu, status, assigned, fbu->pcoa, old);
}
