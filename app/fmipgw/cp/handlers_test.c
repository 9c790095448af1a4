/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests of the control plane's dispatch by event (cp/handlers.c): every event has a
 * handler; dispatch reaches the row of the mbuf's event with its RX time; an event without a
 * row is counted, not lost; the FBU-event and ND handlers count what they got, on the
 * published FBUs framed in Ethernet (tests/vectors).  No EAL: mbufs are plain structs over
 * a buffer, the metadata in their dynamic-field area.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cp.h"
#include "reference_vectors.h"

static struct gw gw;
static struct gw_ctrl ctrl;
static struct rte_mbuf mb;
static uint8_t buf[2048];

static int setup(void **state)
{
	(void)state;
	memset(&gw, 0, sizeof(gw));
	memset(&ctrl, 0, sizeof(ctrl));
	gw.mbuf_meta_off = (int)offsetof(struct rte_mbuf, dynfield1);
	hk_fbu_policy_defaults(&gw.cfg.fbu);
	ctrl.gw = &gw;
	ctrl.work.cnt = &ctrl.cnt;
	return 0;
}

/* An mbuf holding pkt (IPv6) behind an Ethernet header, for event ev received at rx_tsc. */
static struct rte_mbuf *frame(const uint8_t *pkt, size_t len, uint32_t ev, uint64_t rx_tsc)
{
	static const uint8_t gw_mac[6] = { 2, 0, 0, 0, 0, 2 }, mn_mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));

	wire_build_eth(&w, gw_mac, mn_mac, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	assert_int_equal(w.err, WIRE_OK);
	memset(&mb, 0, sizeof(mb));
	mb.buf_addr = buf;
	mb.data_len = (uint16_t)w.len;
	mb.pkt_len = (uint32_t)w.len;
	mb.nb_segs = 1;
	gw_meta(&gw, &mb)->ev = ev;
	gw_meta(&gw, &mb)->rx_tsc = rx_tsc;
	return &mb;
}

static void table_complete(void **state)
{
	(void)state;
	for (unsigned e = 0; e < GW_EV__COUNT; e++) {
		assert_non_null(cp_handlers[e].name);
		assert_non_null(cp_handlers[e].fn);
	}
	assert_ptr_equal(cp_handlers[GW_EV_RTSOLPR].fn, cp_on_rtsolpr);
	assert_ptr_equal(cp_handlers[GW_EV_CPS].fn, cp_on_cps);
	assert_ptr_equal(cp_handlers[GW_EV_ND].fn, cp_on_nd);
	assert_ptr_equal(cp_handlers[GW_EV_FBU].fn, cp_on_fbu);
	assert_ptr_equal(cp_handlers[GW_EV_RESOLVE].fn, cp_on_resolve);
	assert_ptr_equal(cp_handlers[GW_EV_ERR_HLIM].fn, cp_on_err_hlim);
	assert_ptr_equal(cp_handlers[GW_EV_ERR_NOROUTE].fn, cp_on_err_noroute);
	assert_ptr_equal(cp_handlers[GW_EV_HI].fn, cp_on_hi);
	assert_ptr_equal(cp_handlers[GW_EV_HACK].fn, cp_on_hack);
}

static unsigned calls[GW_EV__COUNT];
static uint64_t last_tsc;
static struct rte_mbuf *last_m;

#define RECORDER(e)                                                                 \
	static void rec_##e(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc) \
	{                                                                           \
		assert_ptr_equal(c, &ctrl);                                         \
		calls[e]++;                                                         \
		last_tsc = rx_tsc;                                                  \
		last_m = m;                                                         \
	}
RECORDER(GW_EV_RTSOLPR)
RECORDER(GW_EV_CPS)
RECORDER(GW_EV_ND)
RECORDER(GW_EV_FBU)
RECORDER(GW_EV_RESOLVE)
RECORDER(GW_EV_ERR_HLIM)
RECORDER(GW_EV_ERR_NOROUTE)
RECORDER(GW_EV_HI)
RECORDER(GW_EV_HACK)

/* Dispatch reaches exactly the event's row, with the worker's RX time and the mbuf. */
static void dispatch_by_event(void **state)
{
	const struct cp_handler table[GW_EV__COUNT] = {
		[GW_EV_RTSOLPR] = { "r", rec_GW_EV_RTSOLPR },
		[GW_EV_CPS] = { "c", rec_GW_EV_CPS },
		[GW_EV_ND] = { "n", rec_GW_EV_ND },
		[GW_EV_FBU] = { "f", rec_GW_EV_FBU },
		[GW_EV_RESOLVE] = { "s", rec_GW_EV_RESOLVE },
		[GW_EV_ERR_HLIM] = { "h", rec_GW_EV_ERR_HLIM },
		[GW_EV_ERR_NOROUTE] = { "u", rec_GW_EV_ERR_NOROUTE },
		[GW_EV_HI] = { "i", rec_GW_EV_HI },
		[GW_EV_HACK] = { "a", rec_GW_EV_HACK },
	};

	(void)state;
	memset(calls, 0, sizeof(calls));
	for (unsigned e = 0; e < GW_EV__COUNT; e++) {
		struct rte_mbuf *m = frame(ref_send_rtsolpr_ipv6, 64, e, 1000 + e);

		cp_dispatch(&ctrl, m, table);
		assert_int_equal(calls[e], 1);
		assert_int_equal(last_tsc, 1000 + e);
		assert_ptr_equal(last_m, m);
	}
	for (unsigned e = 0; e < GW_EV__COUNT; e++)
		assert_int_equal(calls[e], 1);
	assert_int_equal(ctrl.cnt.nd_rx, 0);
}

/* An event no row handles (a corrupted or future event) is counted with unhandled traffic. */
static void unknown_event_counted(void **state)
{
	(void)state;
	cp_dispatch(&ctrl, frame(ref_send_rtsolpr_ipv6, 64, GW_EV__COUNT, 0), cp_handlers);
	cp_dispatch(&ctrl, frame(ref_send_rtsolpr_ipv6, 64, 0xffffffffu, 0), cp_handlers);
	assert_int_equal(ctrl.cnt.nd_rx, 2);
}

/* The real rows: ND is counted; the published FBUs from both links pass lib/hk's checks;
 * a frame that no longer decodes is a failed check. */
static void fbu_and_nd_handlers(void **state)
{
	(void)state;
	cp_dispatch(&ctrl, frame(ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len, GW_EV_ND, 0),
		    cp_handlers);
	assert_int_equal(ctrl.cnt.nd_rx, 1);
	cp_dispatch(
	    &ctrl,
	    frame(ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, GW_EV_FBU, 0),
	    cp_handlers);
	cp_dispatch(
	    &ctrl,
	    frame(ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, GW_EV_FBU, 0),
	    cp_handlers);
	assert_int_equal(ctrl.cnt.fbu_events, 2);
	assert_int_equal(ctrl.cnt.fbu_check_ok, 2);
	cp_dispatch(&ctrl, frame(ref_fbu_at0_from_par_link_ipv6, 60, GW_EV_FBU, 0), cp_handlers);
	assert_int_equal(ctrl.cnt.fbu_events, 3);
	assert_int_equal(ctrl.cnt.fbu_check_ok, 2);
	assert_int_equal(ctrl.cnt.fbu_check_failed, 1);
	assert_int_equal(ctrl.cnt.nd_rx, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_complete),
		cmocka_unit_test_setup(dispatch_by_event, setup),
		cmocka_unit_test_setup(unknown_event_counted, setup),
		cmocka_unit_test_setup(fbu_and_nd_handlers, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
