/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The FBU fast path at the worker level (issue 14): the gateway's real worker loop (the
 * fmipgw_core library: dp/worker.c, dp/fbu.c) on a port made with rte_eth_from_rings, fed
 * through its RX ring, with keys installed in a real key table.  Every scenario runs under
 * [fbu] fast_decode true and false and pipeline_depth 0 and 1:
 *
 *   exact      FBUs of every kind (fast shape from the PAR's and the NAR's link, 802.1Q, link
 *              trailer; an MH-LLA option, which only the full decoder takes; replayed, forged,
 *              SPI 1, to another destination; an expired key, no key) for AT 0 and AT 1, and
 *              the reference capture with the published AT 0 key: every counter as derived
 *              from RFC 5269 / PROTOCOL.md by construction, under each of the four settings
 *   small ring L2: a 63-entry ring to control and 100 valid FBUs, half of them full decodes:
 *              63 accepted, 37 dropped without consuming their sequence, then accepted when
 *              sent again (the 63 others stale)
 *   full batch a turn of 128 FBUs (two ports, bursts of 64): a lookup batch fills up within
 *              the turn; 300 accepted, 100 stale, under each setting
 *   mutated    4000 deterministic mutants of those frames, every second one re-sealed with
 *              the live key: with fast_decode on and off every counter is equal, and so are
 *              the events to control and the frames sent, in order (across depths: the same
 *              counters, the same frames in any order)
 *
 * Every FBU that reaches the control ring is byte for byte a frame that was sent (the in-place
 * MAC input restored); every frame passed through leaves unchanged.
 *
 * usage: fbu_worker_test VECTORS_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fbu_frames.h"
#include "fbu_harness.h"
#include "reference_vectors.h"
#include "wire.h"

static const char *vectors;

/* fast_decode on/off x pipeline_depth 0/1 on the worker lcore, then the single-lcore mode */
static const struct fbuw_setting settings[5] = { { true, 0, false },
						 { false, 0, false },
						 { true, 1, false },
						 { false, 1, false },
						 { true, 1, true } };

#define N_MN 8			     /* 0-2 AT 0, 3-5 AT 1, 6 expired, 7 no key */
static struct fr_key keys[N_MN + 1]; /* + the reference PCoA with the published key */

static void make_keys(void)
{
	for (unsigned i = 0; i < N_MN; i++) {
		struct fr_key *k = &keys[i];

		memset(k, 0, sizeof(*k));
		k->pcoa[0] = 0x20;
		k->pcoa[1] = 0x03;
		k->pcoa[8] = 0x30;
		k->pcoa[15] = (uint8_t)(0x10 + i);
		k->at = i >= 3 && i <= 5 ? 1 : 0;
		k->key_len = k->at == 0 ? 20 : 32;
		for (unsigned q = 0; q < k->key_len; q++)
			k->key[q] = (uint8_t)(i * 31 + q);
	}
	keys[6].expired = true;
	keys[7].absent = true;
	memset(&keys[N_MN], 0, sizeof(keys[N_MN]));
	memcpy(keys[N_MN].pcoa, ref_fbu_at0_from_par_link_ipv6 + 48, 16); /* the HAO */
	memcpy(keys[N_MN].key, ref_fbu_at0_key, ref_fbu_at0_key_len);
	keys[N_MN].key_len = ref_fbu_at0_key_len;
}

static const uint8_t other_dst[16] = { 0x20, 0x03, [15] = 0x99 };

/* The kinds of FBU each MN sends, in this order (seq, then the way it departs). */
static const struct fr_fbu kinds[] = {
	{ .seq = 1, .vlan = -1 },		    /* accepted (fast shape) */
	{ .seq = 1, .vlan = -1 },		    /* replay: stale (A14) */
	{ .seq = 2, .vlan = -1, .mh_lla = true },   /* accepted (full decode) */
	{ .seq = 3, .vlan = -1, .nar_link = true }, /* accepted (fast, from the NAR's link) */
	{ .seq = 4, .vlan = 5 },		    /* accepted (fast, 802.1Q) */
	{ .seq = 5, .vlan = -1, .forged = true },   /* bad MAC */
	{ .seq = 6, .vlan = -1, .spi = 1 },	    /* L1 */
	{ .seq = 7, .vlan = -1, .dst = other_dst }, /* not to a PAR address: passed */
	{ .seq = 8, .vlan = -1, .trailer = 4 },	    /* accepted (fast, link trailer) */
	{ .seq = 2, .vlan = -1, .mh_lla = true },   /* stale (full decode) */
	{ .seq = 9, .vlan = -1, .nar_link = true, .mh_lla = true }, /* accepted (full) */
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The exact scenario's frames: kind by kind, MN by MN (bursts mix MNs; each MN's FBUs stay
 * in order), then MN 6 and 7 (expired, no key), then the reference capture. */
static void exact_frames(struct fr_list *l)
{
	l->n = 0;
	for (unsigned k = 0; k < N_KINDS; k++)
		for (unsigned m = 0; m < 6; m++)
			fr_add_fbu(l, &keys[m], &kinds[k]);
	for (unsigned m = 6; m < 8; m++) {
		fr_add_fbu(l, &keys[m], &kinds[0]);
		fr_add_fbu(l, &keys[m], &kinds[2]);
	}
	char file[512];

	assert_int_equal(l->n, 6 * N_KINDS + 4);
	snprintf(file, sizeof(file), "%s/reference.pcap", vectors);
	assert_int_equal(fr_add_pcap(l, file), 7);
}

/*
 * Per MN 0-5 (AT 0 and AT 1): 10 FBUs to the PAR, of which accepted seq 1, 2, 3, 4, 8, 9;
 * stale the replayed 1 and the second 2; one bad MAC; one SPI 1; the 11th is passed.  MN 6:
 * 2 expired; MN 7: 2 without a key.  The reference capture (tests/vectors/README.md): the
 * RtSolPr to control; the PrRtAdv and the FBack (to the NCoA) passed; its four FBUs to PAR
 * 2003::1 with the AT 0 key of PROTOCOL.md 10.3 installed for their PCoA: AT 0 seq 1 and 2
 * accepted, the AT 1 ones (16-octet authenticators) bad MAC.
 */
static void exact(void **state)
{
	static struct fr_list in;
	static struct fbuw_result r;
	const struct fr_list *ph[] = { &in };
	const struct fbuw_expect e = {
		.rx = 6 * N_KINDS + 4 + 7,
		.fbu_rx = 6 * 10 + 2 + 2 + 4,
		.accepted = 6 * 6 + 2,
		.stale = 6 * 2,
		.bad_mac = 6 + 2,
		.spi = 6,
		.expired = 2,
		.no_key = 2,
		.ctrl_rtsolpr = 1,
		.pass_tx = 6 + 2,
	};

	(void)state;
	exact_frames(&in);
	for (unsigned s = 0; s < 5; s++) {
		fbuw_run(ph, 1, keys, N_MN + 1, settings[s], 1024, &r);
		print_message("exact: fast_decode %d, pipeline_depth %u%s\n", settings[s].fast,
			      settings[s].depth, settings[s].shared ? ", single-lcore mode" : "");
		fbuw_check_expect(&r, &e);
		assert_int_equal(r.ev.n, e.accepted + e.ctrl_rtsolpr);
		fbuw_all_sent(&r.ev, 1, &in);
		assert_int_equal(r.tx.n, e.pass_tx);
		fbuw_all_sent(&r.tx, 0, &in);
	}
}

/* L2 with a ring of 63 entries to control, never drained during the phase: 100 valid FBUs (every
 * second one a full decode), 63 accepted and 37 dropped, their sequences not consumed; the
 * same 100 again after the ring was emptied: those 37 accepted, the 63 others stale. */
static struct fr_key mn100[100]; /* AT 0 */

static void make_mn100(void)
{
	for (unsigned i = 0; i < 100; i++) {
		mn100[i] = keys[0];
		mn100[i].pcoa[14] = (uint8_t)(1 + i);
	}
}

static void small_ring(void **state)
{
	static struct fr_list in;
	static struct fbuw_result r;
	const struct fr_list *ph[] = { &in, &in };
	const struct fbuw_expect e = {
		.rx = 200, .fbu_rx = 200, .accepted = 100, .stale = 63, .ring_full = 37
	};

	(void)state;
	make_mn100();
	in.n = 0;
	for (unsigned i = 0; i < 100; i++)
		fr_add_fbu(&in, &mn100[i], &kinds[i % 2 ? 2 : 0]);
	assert_int_equal(in.n, 100);
	for (unsigned s = 0; s < 4; s++) {
		fbuw_run(ph, 2, mn100, 100, settings[s], 64, &r);
		fbuw_check_expect(&r, &e);
		fbuw_all_sent(&r.ev, 1, &in);
	}
}

/* A turn with more FBUs than one lookup batch holds: bursts of 64 on two ports, MNs 0-49 on
 * port 0 and 50-99 on port 1, each sends seq 1, 2, 3 (odd MNs with an MH-LLA: full decodes)
 * and seq 2 again: 300 accepted, 100 stale.  With depth 1 the batch that fills up is looked
 * up and verified within the turn, after the batch of the turn before. */
static void full_batch(void **state)
{
	static struct fr_list in[2];
	static struct fbuw_result r;
	const struct fr_list *ph[] = { &in[0], &in[1] };
	const struct fbuw_expect e = { .rx = 400, .fbu_rx = 400, .accepted = 300, .stale = 100 };
	static const uint16_t seqs[] = { 1, 2, 3, 2 };

	(void)state;
	make_mn100();
	in[0].n = in[1].n = 0;
	for (unsigned k = 0; k < 4; k++)
		for (unsigned i = 0; i < 100; i++) {
			struct fr_fbu f = { .seq = seqs[k], .vlan = -1, .mh_lla = i % 2 };

			fr_add_fbu(&in[i / 50], &mn100[i], &f);
		}
	assert_int_equal(in[0].n + in[1].n, 400);
	fbuw_set_burst(64);
	for (unsigned s = 0; s < 5; s++) {
		fbuw_run(ph, -2, mn100, 100, settings[s], 1024, &r);
		fbuw_check_expect(&r, &e);
		assert_true(r.cnt.rx_bursts < 16); /* 64-frame bursts: turns of 128 FBUs */
	}
	fbuw_set_burst(32);
}

/*
 * 4000 mutants of the exact scenario's frames (every second one re-sealed with the live key
 * of its Home Address), then those frames themselves.  fast_decode on and off: the same
 * counters, events and frames sent, in order, at either depth; the depths: the same counters
 * and the same frames in any order (the control events of a turn come a turn later).  And
 * the mutants reach every path: frames the fast decoder takes, FBUs only the full decoder
 * takes, refusals, and after them accepted FBUs, stale sequences and bad MACs.
 */
static void mutated(void **state)
{
	static struct fr_list seeds, in;
	static struct fbuw_result r[4];
	const struct fr_list *ph[] = { &in };
	unsigned fast = 0, full_only = 0;

	(void)state;
	exact_frames(&seeds);
	in.n = 0;
	fr_mutate(&in, &seeds, 4000, 5269, keys, N_MN + 1);
	for (unsigned i = 0; i < seeds.n; i++)
		fr_add(&in, seeds.p[i], seeds.len[i]);
	for (unsigned i = 0; i < in.n; i++) {
		struct wire_fbu_fast ff;
		struct wire_frame f;
		bool fa = wire_fbu_fast_decode(in.p[i], in.len[i], WIRE_LINK_ETH, &ff);

		fast += fa;
		full_only += !fa &&
			     wire_decode_frame(in.p[i], in.len[i], WIRE_LINK_ETH, &f) == WIRE_OK &&
			     f.msg == WIRE_MSG_FBU;
	}
	print_message("mutated: %u frames, %u in the fast shape, %u FBUs only the full decoder "
		      "takes\n",
		      in.n, fast, full_only);
	assert_true(fast > 400 && full_only > 100);
	for (unsigned s = 0; s < 4; s++)
		fbuw_run(ph, 1, keys, N_MN + 1, settings[s], 8192, &r[s]);
	for (unsigned d = 0; d < 4; d += 2) { /* fast on (d) against off (d + 1) */
		fbuw_same_counters(&r[d], &r[d + 1], "fast_decode on/off");
		fbuw_same_frames(&r[d].ev, &r[d + 1].ev, true);
		fbuw_same_frames(&r[d].tx, &r[d + 1].tx, true);
	}
	fbuw_same_counters(&r[0], &r[2], "pipeline_depth 0/1");
	fbuw_same_frames(&r[0].ev, &r[2].ev, false);
	fbuw_same_frames(&r[0].tx, &r[2].tx, false);
	fbuw_all_sent(&r[0].ev, 1, &in);
	fbuw_all_sent(&r[0].tx, 0, &in);
	print_message("mutated: accepted %lu, stale %lu, bad MAC %lu, malformed %lu, passed %lu\n",
		      (unsigned long)r[0].cnt.fbu_accepted,
		      (unsigned long)r[0].cnt.drop_fbu_stale_seq,
		      (unsigned long)r[0].cnt.drop_fbu_bad_mac,
		      (unsigned long)r[0].cnt.drop_malformed, (unsigned long)r[0].cnt.pass_tx);
	assert_true(r[0].cnt.fbu_accepted > 10 && r[0].cnt.drop_fbu_stale_seq > 12 &&
		    r[0].cnt.drop_fbu_bad_mac > 8 && r[0].cnt.drop_malformed > 500);
}

static int setup(void **state)
{
	(void)state;
	if (fbuw_setup() < 0)
		return -1;
	make_keys();
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact),
		cmocka_unit_test(small_ring),
		cmocka_unit_test(full_batch),
		cmocka_unit_test(mutated),
	};

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
		return 2;
	}
	vectors = argv[1];
	return cmocka_run_group_tests(tests, setup, NULL);
}
