/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn's engine without DPDK, against lib/hk's AR side in process (loopar.c: hk_ar_rtsolpr,
 * lib/mac, hk_fbu_check, hk_fback_build): whole plans (provisioning, handovers from both
 * links, FBacks built by the AR verified, return to the PAR, every attack), with the router's
 * own counts checked against what the simulator says it sent; the malformed kinds each carry
 * their lib/wire error; the attack frames are what they claim (lib/send refuses the broken
 * signatures with SEND_R_SIG); plans have the scenario's steps.
 */
#include "mn_test.h"

struct world_fix {
	struct mn_world w;
	struct mn_shard sh;
	struct mn_loopar ar;
	struct tsink sink;
	struct mn_now now;
};

static struct world_fix *world(const struct mn_scen *s)
{
	struct world_fix *x = calloc(1, sizeof(*x));
	struct mn_sink sink = { &x->sink, tsink_room, tsink_emit };
	struct mn_ident_cost c = { 0 };
	char err[256] = "";

	assert_non_null(x);
	x->now.ns = 1000 * MS;
	x->now.wall48 = send_time_now();
	assert_int_equal(mn_world_init(&x->w, s, 1, err, sizeof(err)), 0);
	for (unsigned i = 0; i < s->nodes; i++)
		assert_int_equal(mn_node_setup(&x->w, i, &x->now, &c, err, sizeof(err)), 0);
	assert_int_equal(c.generated, s->nodes);
	assert_int_equal(mn_world_finish(&x->w, err, sizeof(err)), 0);
	assert_int_equal(mn_loopar_init(&x->ar, &x->w, 600, err, sizeof(err)), 0);
	x->sink.sh = &x->sh;
	x->sink.ar = &x->ar;
	assert_int_equal(
	    mn_shard_init(&x->sh, &x->w, 0, &sink, (uint8_t[6]){ 2, 0, 0, 0, 0xc, 1 }, &x->now), 0);
	assert_int_equal(mn_path_seed(&x->sh, mn_loopar_addr(&x->ar), x->ar.cert), 0);
	return x;
}

static void world_free(struct world_fix *x)
{
	mn_shard_free(&x->sh);
	mn_loopar_free(&x->ar);
	mn_world_free(&x->w);
	free(x);
}

/* Turns of 1 ms, the router's answers delivered after each, until every plan is done. */
static void run(struct world_fix *x)
{
	uint8_t f[MN_FRAME_MAX];
	size_t n;

	for (int i = 0; i < 20000 && !x->sh.finished; i++) {
		x->sink.now48 = x->now.wall48;
		mn_shard_tick(&x->sh, &x->now);
		while ((n = mn_loopar_pop(&x->ar, f, sizeof(f))) > 0)
			mn_shard_rx(&x->sh, f, n, &x->now);
		x->now.ns += MS;
		x->now.wall48 += TS(1) / 1000;
	}
	assert_true(x->sh.finished);
}

static void test_whole_plans_against_lib_hk_ar(void **state)
{
	struct mn_scen s;
	struct world_fix *x;
	const struct mn_stats *st;

	(void)state;
	test_scen(&s, 4);
	s.ho_count = 3;
	s.at1_percent = 50;
	s.fback_timeout_ms = 200; /* each handover waits for its FBack */
	s.forged_fbu = 2;
	s.replayed_fbu = 1;
	s.unknown_fbu = 1;
	s.badsig_rtsolpr = 1;
	s.replayed_rtsolpr = 1;
	x = world(&s);
	run(x);
	st = &x->sh.st;
	/* provisioning: one RtSolPr each, answered with a key, no retries, no CPS */
	assert_int_equal(st->out[MN_OUT_prov_ok], 4);
	assert_int_equal(st->tx[MN_TX_rtsolpr], 4);
	assert_int_equal(st->tx[MN_TX_rtsolpr_retry] + st->tx[MN_TX_cps], 0);
	assert_int_equal(x->ar.keys_made, 4);
	/* 3 handovers and the return each: every FBU accepted by the router and its FBack
	 * (hk_fback_build) verified by the node, none timed out */
	assert_int_equal(st->tx[MN_TX_fbu_par] + st->tx[MN_TX_fbu_nar], 12);
	assert_int_equal(st->tx[MN_TX_fbu_return], 4);
	assert_int_equal(x->ar.fbu_ok, 16);
	assert_int_equal(st->rx[MN_RX_fback_ok], 16);
	assert_int_equal(st->rx[MN_RX_fback_bad], 0);
	assert_int_equal(st->out[MN_OUT_fback_timeout], 0);
	assert_int_equal(st->fback.n, 16);
	/* attacks: the router's verdicts are the kinds the simulator sent */
	assert_int_equal(st->tx[MN_TX_fbu_forged], 8);
	assert_int_equal(x->ar.fbu_bad_mac, 8);
	assert_int_equal(st->tx[MN_TX_fbu_replayed], 4);
	assert_int_equal(x->ar.fbu_stale, 4);
	assert_int_equal(st->tx[MN_TX_fbu_unknown], 4);
	assert_int_equal(x->ar.fbu_no_key, 4);
	assert_int_equal(st->tx[MN_TX_rtsolpr_badsig] + st->tx[MN_TX_rtsolpr_replayed], 8);
	assert_int_equal(x->ar.served, 12);
	assert_int_equal(x->ar.keys_made, 4); /* the refused solicitations made no key */
	assert_int_equal(st->rx[MN_RX_prrtadv_failure], 8); /* A19 answers, no nonce */
	assert_int_equal(st->out[MN_OUT_plans_done], 4);
	world_free(x);
}

static void test_malformed_kinds(void **state)
{
	static const uint8_t pcoa[16] = { 0x20, 3,    [8] = 0x30, 0x49, 0xde,
					  0xeb, 0xfd, 0x31,	  0x70, 0xb0 };
	static const uint8_t ncoa[16] = { 0x20, 3,    [7] = 2, 0x30, 0x49, 0xde,
					  0xeb, 0xfd, 0x31,    0x70, 0xb0 };
	static const uint8_t par[16] = { 0x20, 3, [15] = 1 };
	const int want[] = { WIRE_E_BAD_CHECKSUM, WIRE_E_TRUNCATED,	WIRE_E_HDR_CHAIN,
			     WIRE_E_MISSING,	  WIRE_E_BAD_ALIGNMENT, WIRE_E_BAD_LENGTH,
			     WIRE_E_DUPLICATE,	  WIRE_E_OPT_ORDER,	WIRE_E_BAD_VALUE,
			     WIRE_E_UNKNOWN_TYPE, WIRE_E_NOT_IPV6,	WIRE_E_FRAGMENT };
	uint8_t pkt[512];
	struct wire_frame f;

	(void)state;
	assert_int_equal(mn_malformed_count(), sizeof(want) / sizeof(want[0]));
	for (unsigned k = 0; k < mn_malformed_count(); k++) {
		size_t n = mn_malformed_build(k, pcoa, ncoa, par, pkt, sizeof(pkt));

		assert_true(n >= 40);
		assert_int_equal(mn_malformed_err(k), want[k]);
		if (want[k] == WIRE_E_FRAGMENT) { /* reported, not an error: the gateway's
						   * fragment stage counts malformed_fragment */
			assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
			assert_int_equal(f.msg, WIRE_MSG_FRAGMENT);
			continue;
		}
		assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), want[k]);
	}
	/* the base they are made from is a well-formed FBU (checksum valid, BADF last) */
	size_t n = mn_malformed_build(0, pcoa, ncoa, par, pkt, sizeof(pkt));
	pkt[64 + 4] ^= 0xff;
	assert_int_equal(wire_decode_frame(pkt, n, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FBU);
	assert_memory_equal(f.ip.hao, pcoa, 16);
	assert_memory_equal(f.mh.altcoa, ncoa, 16);
}

/* Every attack frame once, checked for what it claims to be. */
static void test_attack_frames(void **state)
{
	struct mn_scen s;
	struct world_fix *x;
	struct wire_frame f;
	struct send_verify_req req;
	struct send_verify_res res;
	unsigned seen = 0;

	(void)state;
	test_scen(&s, 1);
	s.ho_count = 1;
	s.ho_return = false;
	s.forged_fbu = s.unknown_fbu = s.badsig_rtsolpr = 1;
	s.flood_rtsolpr = 1;
	x = world(&s);
	run(x);
	for (unsigned k = 0; k < x->sink.n; k++) {
		const uint8_t *p = x->sink.frame[k] + 14;
		size_t len = x->sink.len[k] - 14;

		assert_int_equal(wire_decode_frame(p, len, WIRE_LINK_RAW6, &f), WIRE_OK);
		switch (x->sink.kind[k]) {
		case MN_TX_fbu_forged: /* the node's PCoA, a tag of its AT's length */
			assert_int_equal(f.msg, WIRE_MSG_FBU);
			assert_memory_equal(f.ip.hao, x->w.nodes[0].creds.addr, 16);
			assert_int_equal(f.mh.badf.auth_len, x->w.nodes[0].at ? 16 : 12);
			seen |= 1;
			break;
		case MN_TX_fbu_unknown: /* a PCoA in the prefix that no node has */
			assert_int_equal(f.msg, WIRE_MSG_FBU);
			assert_memory_equal(f.ip.hao, s.prefix.addr, 8);
			assert_null(mn_world_find(&x->w, f.ip.hao));
			seen |= 2;
			break;
		case MN_TX_rtsolpr_badsig:
		case MN_TX_rtsolpr_flood: /* well formed, and the signature fails */
			assert_int_equal(f.msg, WIRE_MSG_RTSOLPR);
			send_verify_req_from_frame(&req, &f);
			req.role = SEND_SOLICITATION;
			memset(&res, 0, sizeof(res));
			assert_int_equal(send_verify(&x->w.send, &req, &res), SEND_R_SIG);
			seen |= x->sink.kind[k] == MN_TX_rtsolpr_flood ? 8 : 4;
			break;
		default:
			break;
		}
	}
	assert_int_equal(seen, 15);
	assert_int_equal(x->ar.fbu_bad_mac, 1);
	assert_int_equal(x->ar.fbu_no_key, 1);
	world_free(x);
}

static void count_steps(const struct mn_node *n, unsigned *c)
{
	memset(c, 0, STEP__COUNT * sizeof(*c));
	for (unsigned i = 0; i < n->plan_len; i++)
		c[n->plan[i]]++;
}

static void test_plans(void **state)
{
	struct mn_scen s;
	struct mn_world w;
	struct mn_node n;
	unsigned c[STEP__COUNT], first_attack = 0, first_ho2 = 0;
	char err[128];

	(void)state;
	test_scen(&s, 10);
	s.ho_count = 4;
	s.nar_percent = 100;
	s.data_per_ho = 2;
	s.reverse_per_ho = 1;
	s.forged_fbu = 3;
	s.replayed_fbu = 1;
	s.malformed = 2;
	assert_int_equal(mn_world_init(&w, &s, 1, err, sizeof(err)), 0);
	memset(&n, 0, sizeof(n));
	n.id = 3;
	assert_int_equal(mn_plan_make(&w, &n), 0);
	count_steps(&n, c);
	assert_int_equal(n.plan[0], STEP_PROVISION);
	assert_int_equal(c[STEP_HO_NAR], 4);
	assert_int_equal(c[STEP_HO_PAR], 0);
	assert_int_equal(c[STEP_DATA], 8);
	assert_int_equal(c[STEP_REVERSE], 4);
	assert_int_equal(c[STEP_FORGED], 3);
	assert_int_equal(c[STEP_REPLAY_FBU], 1);
	assert_int_equal(c[STEP_MALFORMED], 2);
	assert_int_equal(n.plan[n.plan_len - 1], STEP_RETURN);
	for (unsigned i = 0, hos = 0; i < n.plan_len; i++) {
		hos += n.plan[i] == STEP_HO_NAR;
		if (hos == 2 && !first_ho2)
			first_ho2 = i;
		if (n.plan[i] >= STEP_FORGED && !first_attack)
			first_attack = i;
	}
	/* the attacks follow the first handover (there is an FBU to replay) */
	assert_true(first_attack > 1 && first_attack < first_ho2);
	free(n.plan);
	s.nar_percent = 0;
	s.ho_return = false;
	mn_world_free(&w);
	assert_int_equal(mn_world_init(&w, &s, 1, err, sizeof(err)), 0);
	assert_int_equal(mn_plan_make(&w, &n), 0);
	count_steps(&n, c);
	assert_int_equal(c[STEP_HO_PAR], 4);
	assert_int_equal(c[STEP_RETURN], 0);
	free(n.plan);
	mn_world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_plans_against_lib_hk_ar),
		cmocka_unit_test(test_malformed_kinds),
		cmocka_unit_test(test_attack_frames),
		cmocka_unit_test(test_plans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
