/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw classification table — see classify.h. */
#include <string.h>

#include "classify.h"
#include "counters.h"

static const struct dp_class rows[WIRE_MSG__COUNT] = {
	[WIRE_MSG_FBU] = { DP_STAGE_FBU, DP_DST_PAR, GW_EV_FBU },
	[WIRE_MSG_RTSOLPR] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_RTSOLPR },
	[WIRE_MSG_CPS] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_CPS },
	[WIRE_MSG_ND] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_ND },
	[WIRE_MSG_FBACK] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_ND },
	[WIRE_MSG_HI] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_HI },
	[WIRE_MSG_HACK] = { DP_STAGE_CTRL, DP_DST_ROUTER, GW_EV_HACK },
	[WIRE_MSG_FRAGMENT] = { DP_STAGE_FRAG, DP_DST_ROUTER, 0 },
	/* the reverse tunnel: IPv6-in-IPv6 from an MN's NCoA to a tunnel source (RFC 5568 4) */
	[WIRE_MSG_TUNNEL] = { DP_STAGE_TUNNEL, DP_DST_TUNNEL, 0 },
};

/* everything else: not the gateway's — the tunnel stage (a PCoA with a binding?) first */
const struct dp_class dp_class_other = { DP_STAGE_TUNNEL, DP_DST_NONE, 0 };

const struct dp_event dp_events[GW_EV__COUNT] = {
	[GW_EV_RTSOLPR] = { GW_CNT_OFF(ctrl_rtsolpr), GW_CNT_OFF(drop_policer_rtsolpr) },
	[GW_EV_CPS] = { GW_CNT_OFF(ctrl_cps), GW_CNT_OFF(drop_policer_cps) },
	[GW_EV_ND] = { GW_CNT_OFF(ctrl_nd), GW_CNT_OFF(drop_policer_nd) },
	[GW_EV_HI] = { GW_CNT_OFF(ctrl_hi), GW_CNT_OFF(drop_policer_hi) },
	[GW_EV_HACK] = { GW_CNT_OFF(ctrl_hack), GW_CNT_OFF(drop_policer_hack) },
	[GW_EV_FBU] = { GW_CNT_OFF(fbu_accepted), 0 },
	[GW_EV_RESOLVE] = { GW_CNT_OFF(fwd_to_resolve), 0 },
	[GW_EV_ERR_HLIM] = { GW_CNT_OFF(icmp6_err_queued), 0 },
	[GW_EV_ERR_NOROUTE] = { GW_CNT_OFF(icmp6_err_queued), 0 },
};

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 0x02 };

bool dp_is_par(const struct gw_config *cfg, const uint8_t a[16])
{
	for (unsigned i = 0; i < cfg->n_par; i++)
		if (memcmp(cfg->par[i], a, 16) == 0)
			return true;
	return false;
}

/* a is the solicited-node multicast group (ff02::1:ffXX:XXXX) of u */
static inline bool is_sol_node_of(const uint8_t a[16], const uint8_t u[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	return memcmp(a, pfx, 13) == 0 && memcmp(a + 13, u + 13, 3) == 0;
}

bool dp_is_tunnel_dst(const struct gw_config *cfg, const uint8_t a[16])
{
	return dp_is_par(cfg, a) || (cfg->has_tun_source && memcmp(cfg->tun_source, a, 16) == 0);
}

bool dp_is_router_dst(const struct gw_config *cfg, const uint8_t a[16])
{
	const uint8_t *ll = cfg->router_addr;

	if (a[0] != 0xff)
		return memcmp(a, ll, 16) == 0 || dp_is_par(cfg, a);
	if (memcmp(a, all_routers, 16) == 0 || is_sol_node_of(a, ll))
		return true;
	for (unsigned i = 0; i < cfg->n_par; i++)
		if (is_sol_node_of(a, cfg->par[i]))
			return true;
	return false;
}

const struct dp_class *dp_classify_msg(const struct gw_config *cfg, enum wire_msg msg,
				       const uint8_t dst[16])
{
	const struct dp_class *r = (unsigned)msg < WIRE_MSG__COUNT ? &rows[msg] : &dp_class_other;

	switch (r->dst) {
	case DP_DST_PAR:
		return dp_is_par(cfg, dst) ? r : &dp_class_other;
	case DP_DST_ROUTER:
		return dp_is_router_dst(cfg, dst) ? r : &dp_class_other;
	case DP_DST_TUNNEL:
		return dp_is_tunnel_dst(cfg, dst) ? r : &dp_class_other;
	default:
		return &dp_class_other;
	}
}

const struct dp_class *dp_classify(const struct gw_config *cfg, const struct wire_frame *f)
{
	return dp_classify_msg(cfg, f->msg, f->ip.dst);
}
