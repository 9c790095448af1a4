/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the classification table (dp/classify.c): the published frames (tests/vectors)
 * decoded by lib/wire land on the stage and event their row says, only when addressed to the
 * gateway; the router-destination rule over unicast and multicast; every control event has
 * its counters.  No EAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "classify.h"
#include "counters.h"
#include "reference_vectors.h"

static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 7 };
static struct gw_config cfg;

static int setup(void **state)
{
	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.par[0], ref_fbu_par_addr, 16); /* 2003::1, the vectors' PAR */
	cfg.n_par = 1;
	memcpy(cfg.router_addr, ll, 16);
	return 0;
}

static const struct dp_class *classify(const uint8_t *pkt, size_t len, struct wire_frame *f)
{
	assert_int_equal(wire_decode_frame(pkt, len, WIRE_LINK_RAW6, f), WIRE_OK);
	return dp_classify(&cfg, f);
}

/* The published FBUs (PROTOCOL.md 10.3, 10.4) to the PAR: the FBU stage; to another address
 * (not a PAR): not the gateway's, the tunnel stage (which hands it on to the routing stage
 * unless it is for a PCoA with a binding). */
static void fbu_rows(void **state)
{
	struct wire_frame f;
	const struct dp_class *r;

	(void)state;
	r = classify(ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, &f);
	assert_int_equal(f.msg, WIRE_MSG_FBU);
	assert_int_equal(r->stage, DP_STAGE_FBU);
	assert_int_equal(r->ev, GW_EV_FBU);
	r = classify(ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, &f);
	assert_int_equal(r->stage, DP_STAGE_FBU);
	cfg.par[0][15] = 2; /* the gateway is 2003::2 now: the FBU is someone else's */
	r = classify(ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, &f);
	assert_int_equal(r->stage, DP_STAGE_TUNNEL);
	assert_int_equal(r->dst, DP_DST_NONE);
}

/* The published RtSolPr (to all-routers): the control stage as GW_EV_RTSOLPR; the published
 * PrRtAdv (to an MN) and FBack (to the NCoA) are not the router's: the tunnel stage; an FBack
 * to the router's PAR address is other control traffic (GW_EV_ND). */
static void control_rows(void **state)
{
	uint8_t pkt[1024];
	struct wire_frame f;
	const struct dp_class *r;

	(void)state;
	r = classify(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f);
	assert_int_equal(f.msg, WIRE_MSG_RTSOLPR);
	assert_int_equal(r->stage, DP_STAGE_CTRL);
	assert_int_equal(r->ev, GW_EV_RTSOLPR);
	r = classify(ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, &f);
	assert_int_equal(f.msg, WIRE_MSG_PRRTADV);
	assert_int_equal(r->stage, DP_STAGE_TUNNEL);
	r = classify(ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len, &f);
	assert_int_equal(f.msg, WIRE_MSG_FBACK);
	assert_int_equal(r->stage, DP_STAGE_TUNNEL);
	/* the same FBack with source and destination swapped, i.e. to the PAR address (the MH
	 * checksum's pseudo-header sums both addresses: the swap keeps it valid) */
	memcpy(pkt, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	memcpy(pkt + 8, ref_fbu_at0_fback_ipv6 + 24, 16);
	memcpy(pkt + 24, ref_fbu_at0_fback_ipv6 + 8, 16);
	r = classify(pkt, ref_fbu_at0_fback_ipv6_len, &f);
	assert_int_equal(r->stage, DP_STAGE_CTRL);
	assert_int_equal(r->ev, GW_EV_ND);
}

/* A fragment for the router is dropped (never reassembled); one for another host is routed. */
static void fragment_rows(void **state)
{
	static const uint8_t mn[16] = { 0x20, 0x03, [15] = 0x42 };
	uint8_t pkt[128];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct wire_frame f;
	size_t ip;

	(void)state;
	ip = wire_build_ip6(&w, mn, ref_fbu_par_addr, WIRE_NH_FRAGMENT, 64);
	/* Fragment header: next header ICMPv6, offset 0, M = 1, identification 7 */
	wire_put_u8(&w, WIRE_NH_ICMPV6);
	wire_put_u8(&w, 0);
	wire_put_be16(&w, 1);
	wire_put_be32(&w, 7);
	wire_put_zero(&w, 16);
	assert_int_equal(wire_ip6_finish(&w, ip), WIRE_OK);
	assert_int_equal(classify(pkt, w.len, &f)->stage, DP_STAGE_FRAG);
	assert_int_equal(f.msg, WIRE_MSG_FRAGMENT);
	memcpy(pkt + 24, mn, 16); /* to another host */
	assert_int_equal(classify(pkt, w.len, &f)->stage, DP_STAGE_TUNNEL);
}

/* An HI and an HAck (lib/wire's builders, RFC 5568 6.2.1) to the PAR address: their own
 * control events (A18); to another host: not the gateway's. */
static void hi_hack_rows(void **state)
{
	static const uint8_t nar[16] = { 0x20, 0x03, 0, 0, 0, 0, 0, 2, [15] = 1 };
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t pkt[256];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct wire_hi_spec hi = {
		nar, ref_fbu_par_addr, 7, 0, 0, lla, ref_fbu_pcoa_addr, ref_fbu_ncoa_addr
	};
	struct wire_hack_spec ha = { nar, ref_fbu_par_addr, 7, 0, NULL };
	struct wire_frame f;
	const struct dp_class *r;

	(void)state;
	assert_int_equal(wire_build_hi(&w, &hi), WIRE_OK);
	r = classify(pkt, w.len, &f);
	assert_int_equal(f.msg, WIRE_MSG_HI);
	assert_int_equal(r->stage, DP_STAGE_CTRL);
	assert_int_equal(r->ev, GW_EV_HI);
	w = wire_buf_make(pkt, sizeof(pkt));
	assert_int_equal(wire_build_hack(&w, &ha), WIRE_OK);
	r = classify(pkt, w.len, &f);
	assert_int_equal(f.msg, WIRE_MSG_HACK);
	assert_int_equal(r->stage, DP_STAGE_CTRL);
	assert_int_equal(r->ev, GW_EV_HACK);
	ha.dst = ref_fbu_pcoa_addr;
	w = wire_buf_make(pkt, sizeof(pkt));
	assert_int_equal(wire_build_hack(&w, &ha), WIRE_OK);
	assert_int_equal(classify(pkt, w.len, &f)->stage, DP_STAGE_TUNNEL);
}

/* IPv6-in-IPv6 (RFC 2473) to a PAR address or to [tunnel] source: the reverse-tunnel row;
 * to any other address: the row of everything else (a packet that may be for a PCoA). */
static void tunnel_rows(void **state)
{
	static const uint8_t ncoa[16] = { 0x20, 0x03, 0, 0, 0, 0, 0, 2, [15] = 9 };
	static const uint8_t cn[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t tsrc[16] = { 0x20, 0x03, 0, 0, 0, 0, 0, 1, [15] = 1 };
	uint8_t pkt[256];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct wire_frame f;
	const struct dp_class *r;
	size_t o, i;

	(void)state;
	o = wire_build_ip6(&w, ncoa, ref_fbu_par_addr, WIRE_NH_IPV6, 64);
	i = wire_build_ip6(&w, ref_fbu_pcoa_addr, cn, WIRE_NH_NONE, 64);
	assert_int_equal(wire_ip6_finish(&w, i), WIRE_OK);
	assert_int_equal(wire_ip6_finish(&w, o), WIRE_OK);
	r = classify(pkt, w.len, &f);
	assert_int_equal(f.msg, WIRE_MSG_TUNNEL);
	assert_int_equal(r->stage, DP_STAGE_TUNNEL);
	assert_int_equal(r->dst, DP_DST_TUNNEL);
	memcpy(pkt + 24, tsrc, 16); /* to [tunnel] source: not yet configured */
	assert_int_equal(classify(pkt, w.len, &f)->dst, DP_DST_NONE);
	memcpy(cfg.tun_source, tsrc, 16);
	cfg.has_tun_source = true;
	r = classify(pkt, w.len, &f);
	assert_int_equal(r->dst, DP_DST_TUNNEL);
	assert_true(dp_is_tunnel_dst(&cfg, tsrc));
	assert_true(dp_is_tunnel_dst(&cfg, ref_fbu_par_addr));
	assert_false(dp_is_tunnel_dst(&cfg, ncoa));
}

static void router_dst(void **state)
{
	static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
	static const uint8_t sol_node[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 7 };
	static const uint8_t mn[16] = { 0x20, 0x03, [15] = 0x42 };
	static const uint8_t other_ll[16] = { 0xfe, 0x80, [15] = 8 };
	/* solicited-node group of the PAR address 2003::1 */
	static const uint8_t sol_par[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };
	/* a host's DAD / address resolution, an upstream RA to all-nodes, another group */
	static const uint8_t sol_host[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 0x42 };
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t mld_group[16] = { 0xff, 0x05, [15] = 2 };

	(void)state;
	assert_true(dp_is_par(&cfg, ref_fbu_par_addr));
	assert_false(dp_is_par(&cfg, mn));
	assert_true(dp_is_router_dst(&cfg, ll));
	assert_true(dp_is_router_dst(&cfg, ref_fbu_par_addr));
	assert_true(dp_is_router_dst(&cfg, all_routers));
	assert_true(dp_is_router_dst(&cfg, sol_node));
	assert_false(dp_is_router_dst(&cfg, mn));
	assert_false(dp_is_router_dst(&cfg, other_ll));
	assert_true(dp_is_router_dst(&cfg, sol_par));
	assert_false(dp_is_router_dst(&cfg, sol_host));
	assert_false(dp_is_router_dst(&cfg, all_nodes));
	assert_false(dp_is_router_dst(&cfg, mld_group));
}

/* Every event has a queued counter; the policed ones a policer counter; all distinct. */
static void event_counters(void **state)
{
	(void)state;
	assert_int_equal(dp_events[GW_EV_RTSOLPR].queued, GW_CNT_OFF(ctrl_rtsolpr));
	assert_int_equal(dp_events[GW_EV_RTSOLPR].policed, GW_CNT_OFF(drop_policer_rtsolpr));
	assert_int_equal(dp_events[GW_EV_CPS].queued, GW_CNT_OFF(ctrl_cps));
	assert_int_equal(dp_events[GW_EV_CPS].policed, GW_CNT_OFF(drop_policer_cps));
	assert_int_equal(dp_events[GW_EV_ND].queued, GW_CNT_OFF(ctrl_nd));
	assert_int_equal(dp_events[GW_EV_ND].policed, GW_CNT_OFF(drop_policer_nd));
	assert_int_equal(dp_events[GW_EV_HI].queued, GW_CNT_OFF(ctrl_hi));
	assert_int_equal(dp_events[GW_EV_HI].policed, GW_CNT_OFF(drop_policer_hi));
	assert_int_equal(dp_events[GW_EV_HACK].queued, GW_CNT_OFF(ctrl_hack));
	assert_int_equal(dp_events[GW_EV_HACK].policed, GW_CNT_OFF(drop_policer_hack));
	assert_int_equal(dp_events[GW_EV_FBU].queued, GW_CNT_OFF(fbu_accepted));
	/* the routing stage's hand-overs (not policed: rate limited in dp/route.c) */
	assert_int_equal(dp_events[GW_EV_RESOLVE].queued, GW_CNT_OFF(fwd_to_resolve));
	assert_int_equal(dp_events[GW_EV_ERR_HLIM].queued, GW_CNT_OFF(icmp6_err_queued));
	assert_int_equal(dp_events[GW_EV_ERR_NOROUTE].queued, GW_CNT_OFF(icmp6_err_queued));
	assert_true(GW_EV_RESOLVE > GW_EV__POLICED && GW_EV_ERR_NOROUTE > GW_EV__POLICED);
	for (unsigned a = 0; a < GW_EV__POLICED; a++)
		for (unsigned b = a + 1; b < GW_EV__POLICED; b++) {
			assert_int_not_equal(dp_events[a].queued, dp_events[b].queued);
			assert_int_not_equal(dp_events[a].policed, dp_events[b].policed);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(fbu_rows, setup),
		cmocka_unit_test_setup(control_rows, setup),
		cmocka_unit_test_setup(fragment_rows, setup),
		cmocka_unit_test_setup(hi_hack_rows, setup),
		cmocka_unit_test_setup(tunnel_rows, setup),
		cmocka_unit_test_setup(router_dst, setup),
		cmocka_unit_test_setup(event_counters, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
