/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn against the published vectors (tests/vectors, PROTOCOL.md section 10): the node is
 * mn1, it takes the published PrRtAdv (decrypted with mn2, the published key K), and its FBUs
 * from the PAR's and the NAR's link are the published FBUs byte for byte; the published FBack
 * verifies (and a changed one, a wrong sequence, a second copy are refused with their
 * reasons); tunnelled FBacks and data tunnelled as RFC 2473 says (the outer header written
 * out here field by field) are checked, and changed ones refused.
 */
#include "mn_test.h"

struct fix {
	struct mn_world w;
	struct mn_shard sh;
	struct tsink sink;
	struct mn_now now;
	X509 *ar1;
};

static const uint8_t plan3[] = { STEP_PROVISION, STEP_HO_PAR, STEP_HO_NAR };

/* A world whose node 0 is mn1, holding the published handover key K from the published
 * PrRtAdv (its solicitation's nonce and Identifier, mn2 as the encryption key). */
static int setup(void **state)
{
	static const uint8_t nonce[14] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	struct fix *x = calloc(1, sizeof(*x));
	struct mn_sink sink = { &x->sink, tsink_room, tsink_emit };
	struct mn_ident_cost c = { 0 };
	char key[512], params[512], err[256];
	struct mn_scen s;
	struct mn_node *n;

	assert_non_null(x);
	test_scen(&s, 1);
	assert_int_equal(mn_world_init(&x->w, &s, 1, err, sizeof(err)), 0);
	vec_path(key, sizeof(key), "mn1.key.pem");
	vec_path(params, sizeof(params), "mn1.cga.params");
	n = &x->w.nodes[0];
	assert_int_equal(send_creds_load(&n->creds, key, params, NULL, err, sizeof(err)),
			 SEND_R_OK);
	assert_memory_equal(n->creds.addr, ref_cga_sendd_mn1_address_addr, 16);
	x->now.ns = 1000 * MS;
	x->now.wall48 = TS(T0) + 1;
	assert_int_equal(mn_node_init(&x->w, 0, &x->now, &c, err, sizeof(err)), 0);
	assert_int_equal(mn_world_finish(&x->w, err, sizeof(err)), 0);
	memcpy(n->plan, plan3, sizeof(plan3));
	n->plan_len = sizeof(plan3);
	/* the solicitation of PROTOCOL.md 10.1, made with mn2 */
	EVP_PKEY_free(n->hk.enc[0].key);
	n->hk.enc[0].key = vec_key("mn2.key.pem");
	n->hk.pending[0].used = true;
	memcpy(n->hk.pending[0].nonce, nonce, 14);
	n->hk.pending[0].identifier = 0x1234;
	n->hk.pending[0].enc = 0;
	n->hk.pending[0].sent = T0;
	n->state = NS_SOLICIT;
	n->t_start = x->now.ns;
	x->sink.sh = &x->sh;
	assert_int_equal(
	    mn_shard_init(&x->sh, &x->w, 0, &sink, (uint8_t[6]){ 2, 0, 0, 0, 0xc, 1 }, &x->now), 0);
	x->ar1 = vec_cert("ar1.cert_ipext.pem"); /* only its public key is used (no path check) */
	assert_int_equal(mn_path_seed(&x->sh, ref_send_ar_link_local_cga_addr, x->ar1), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fix *x = *state;

	mn_shard_free(&x->sh);
	mn_world_free(&x->w);
	X509_free(x->ar1);
	free(x);
	return 0;
}

static void rx_ip6(struct fix *x, const uint8_t *ip6, size_t len)
{
	uint8_t f[MN_FRAME_MAX];

	mn_shard_rx(&x->sh, f, eth_wrap(f, ip6, len), &x->now);
}

/* Provision from the published PrRtAdv, then run the node until it sent n frames. */
static void provision_and_run(struct fix *x, unsigned frames)
{
	rx_ip6(x, ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len);
	assert_int_equal(x->sh.st.rx[MN_RX_prrtadv_key_new], 1);
	assert_int_equal(x->sh.st.out[MN_OUT_prov_ok], 1);
	for (int i = 0; i < 1000 && x->sink.n < frames; i++) {
		x->now.ns += MS;
		mn_shard_tick(&x->sh, &x->now);
	}
	assert_int_equal(x->sink.n, frames);
}

static void test_fbus_are_the_published_ones(void **state)
{
	struct fix *x = *state;
	const struct hk_mn_key *k;

	provision_and_run(x, 2);
	k = hk_mn_key_find(&x->w.nodes[0].hk, ref_send_ar_link_local_cga_addr, x->now.wall48);
	assert_non_null(k);
	assert_memory_equal(k->key, ref_send_handover_key, ref_send_handover_key_len);
	/* 10.3: seq 1 from the PAR's link; 10.4: seq 2 from the NAR's link (after Ethernet) */
	assert_int_equal(x->sink.kind[0], MN_TX_fbu_par);
	assert_int_equal(x->sink.len[0], 14 + ref_fbu_at0_from_par_link_ipv6_len);
	assert_memory_equal(x->sink.frame[0] + 14, ref_fbu_at0_from_par_link_ipv6,
			    ref_fbu_at0_from_par_link_ipv6_len);
	assert_int_equal(x->sink.kind[1], MN_TX_fbu_nar);
	assert_int_equal(x->sink.len[1], 14 + ref_fbu_at0_from_nar_link_ipv6_len);
	assert_memory_equal(x->sink.frame[1] + 14, ref_fbu_at0_from_nar_link_ipv6,
			    ref_fbu_at0_from_nar_link_ipv6_len);
	assert_int_equal(x->sh.st.out[MN_OUT_handovers], 2);
}

static void test_published_fback(void **state)
{
	struct fix *x = *state;
	uint8_t fb[256];

	provision_and_run(x, 1); /* the FBU of seq 1 awaits its FBack */
	memcpy(fb, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	fb[ref_fbu_at0_fback_ipv6_len - 1] ^= 1; /* the authenticator's last octet (A20) */
	fb[44] = fb[45] = 0;			 /* and a valid MH checksum (MH at 40) */
	uint16_t c =
	    wire_l4_csum(fb + 8, fb + 24, WIRE_NH_MH, fb + 40, ref_fbu_at0_fback_ipv6_len - 40, 4);
	fb[44] = (uint8_t)(c >> 8);
	fb[45] = (uint8_t)c;
	rx_ip6(x, fb, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(x->sh.st.fback_reason[MN_FB_mac], 1);
	rx_ip6(x, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_ok], 1);
	assert_int_equal(x->sh.st.fback.n, 1);
	/* the same FBack again (RFC 5568 6.2.3: the old link's copy): a copy, not refused */
	rx_ip6(x, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_copy], 1);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_ok], 1);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_bad], 1);
	assert_int_equal(x->sh.st.fback.n, 1);
}

static void test_fback_nothing_awaits(void **state)
{
	struct fix *x = *state;

	provision_and_run(x, 0); /* a key, but no FBU sent */
	rx_ip6(x, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_ok], 0);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_copy], 0);
	assert_int_equal(x->sh.st.fback_reason[MN_FB_unexpected], 1);
}

static void test_fback_for_another_sequence(void **state)
{
	struct fix *x = *state;

	provision_and_run(x, 2); /* the FBU of seq 2 awaits */
	rx_ip6(x, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_ok], 0);
	assert_int_equal(x->sh.st.fback_reason[MN_FB_seq], 1);
}

/* RFC 2473 3: an outer IPv6 header (version 6, Payload Length, Next Header 41, Hop Limit 64,
 * the tunnel entry point, the exit point), written field by field. */
static size_t encapsulate(uint8_t *out, const uint8_t src[16], const uint8_t dst[16],
			  const uint8_t *inner, size_t len)
{
	memset(out, 0, 40);
	out[0] = 0x60;
	out[4] = (uint8_t)(len >> 8);
	out[5] = (uint8_t)len;
	out[6] = 41;
	out[7] = 64;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	memcpy(out + 40, inner, len);
	return 40 + len;
}

static void test_tunnelled_fback(void **state)
{
	struct fix *x = *state;
	uint8_t t[400];
	size_t n;

	provision_and_run(x, 1);
	n = encapsulate(t, ref_fbu_par_addr, ref_fbu_ncoa_addr, ref_fbu_at0_fback_ipv6,
			ref_fbu_at0_fback_ipv6_len);
	rx_ip6(x, t, n);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_ok], 1);
	assert_int_equal(x->sh.st.rx[MN_RX_fback_tunnelled], 1);
}

static void test_data_through_the_tunnel(void **state)
{
	struct fix *x = *state;
	struct mn_node *n = &x->w.nodes[0];
	uint8_t in[1600], t[1700], rev[1700];
	size_t il, tl;

	provision_and_run(x, 1);
	n->data_seq = 3; /* packets 0..2 were sent */
	il = mn_data_build(&x->w, n, 1, false, in, sizeof(in));
	/* the correspondent's UDP to the PCoA: 40 + 8 + 64 octets, Hop Limit 64 */
	assert_int_equal(il, 40 + 8 + 64);
	assert_int_equal(in[6], 17);
	assert_int_equal(in[7], 64);
	assert_memory_equal(in + 24, ref_fbu_pcoa_addr, 16);
	in[7] = 63; /* the PAR forwarded it into the tunnel: Hop Limit one less */
	tl = encapsulate(t, ref_fbu_par_addr, ref_fbu_ncoa_addr, in, il);
	rx_ip6(x, t, tl);
	assert_int_equal(x->sh.st.rx[MN_RX_data_tunnel_ok], 1);
	t[40 + il - 1] ^= 0x80; /* a payload octet changed */
	rx_ip6(x, t, tl);
	t[40 + il - 1] ^= 0x80;
	memcpy(t + 8, ref_fbu_pcoa_addr, 16); /* not from the tunnel entry point */
	rx_ip6(x, t, tl);
	assert_int_equal(x->sh.st.rx[MN_RX_data_tunnel_bad], 2);
	rx_ip6(x, in, il); /* not tunnelled at all */
	assert_int_equal(x->sh.st.rx[MN_RX_data_plain], 1);
	il = mn_data_build(&x->w, n, 2, true, in, sizeof(in)); /* reverse, decapsulated */
	rx_ip6(x, in, il);
	assert_int_equal(x->sh.st.rx[MN_RX_reverse_ok], 1);
	tl = encapsulate(rev, ref_fbu_ncoa_addr, ref_fbu_par_addr, in, il); /* not decapsulated */
	rx_ip6(x, rev, tl);
	assert_int_equal(x->sh.st.rx[MN_RX_reverse_returned], 1);
	in[il - 2] ^= 1;
	rx_ip6(x, in, il);
	assert_int_equal(x->sh.st.rx[MN_RX_reverse_bad], 1);
	il = mn_data_build(&x->w, n, 7, false, in, sizeof(in)); /* never sent (seq >= 3) */
	tl = encapsulate(t, ref_fbu_par_addr, ref_fbu_ncoa_addr, in, il);
	rx_ip6(x, t, tl);
	assert_int_equal(x->sh.st.rx[MN_RX_data_tunnel_bad], 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fbus_are_the_published_ones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_published_fback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fback_for_another_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fback_nothing_awaits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tunnelled_fback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_through_the_tunnel, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
