/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire unit tests.  Expected values come from the published reference vectors
 * (tests/vectors/reference.json, via the generated reference_vectors.h) and from RFC field
 * definitions, never from lib/wire's own output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "wire.h"
#include "reference_vectors.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint8_t buf[4096];

static const uint8_t ff02_2[16] = { 0xff, 0x02, [15] = 2 };

/* Recompute the ICMPv6 checksum of a raw IPv6 packet after a test changed a byte. */
static void fix_icmp_csum(uint8_t *pkt, size_t len)
{
	struct wire_ip6 ip;
	assert_int_equal(wire_ip6_decode(pkt, len, &ip), WIRE_OK);
	uint8_t *l4 = pkt + ip.l4_off;
	uint16_t c = wire_l4_csum(ip.src, ip.dst, WIRE_NH_ICMPV6, l4, ip.l4_len, 2);
	l4[2] = (uint8_t)(c >> 8);
	l4[3] = (uint8_t)c;
}

static void fix_mh_csum(uint8_t *pkt, size_t len)
{
	struct wire_ip6 ip;
	assert_int_equal(wire_ip6_decode(pkt, len, &ip), WIRE_OK);
	uint8_t *l4 = pkt + ip.l4_off;
	uint16_t c = wire_l4_csum(ip.hao ? ip.hao : ip.src, ip.dst, WIRE_NH_MH, l4, ip.l4_len, 4);
	l4[4] = (uint8_t)(c >> 8);
	l4[5] = (uint8_t)c;
}

static int decode_raw(const uint8_t *p, size_t len, struct wire_frame *f)
{
	return wire_decode_frame(p, len, WIRE_LINK_RAW6, f);
}

/* ---- cursor and writer -------------------------------------------------------------------- */

static void test_cursor_bounds(void **state)
{
	(void)state;
	static const uint8_t b[7] = { 1, 2, 3, 4, 5, 6, 7 };
	struct wire_cur c = wire_cur_make(b, sizeof(b));
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	const uint8_t *v;

	assert_int_equal(wire_get_u8(&c, &u8), WIRE_OK);
	assert_int_equal(u8, 1);
	assert_int_equal(wire_get_be16(&c, &u16), WIRE_OK);
	assert_int_equal(u16, 0x0203);
	assert_int_equal(wire_get_be64(&c, &u64), WIRE_E_TRUNCATED);
	assert_int_equal(c.len, 4); /* a failed get does not move */
	assert_int_equal(wire_get_be32(&c, &u32), WIRE_OK);
	assert_int_equal(u32, 0x04050607);
	assert_int_equal(wire_get_u8(&c, &u8), WIRE_E_TRUNCATED);
	assert_int_equal(wire_get_view(&c, 1, &v), WIRE_E_TRUNCATED);
	assert_int_equal(wire_skip(&c, 0), WIRE_OK);
	assert_int_equal(wire_skip(&c, 1), WIRE_E_TRUNCATED);
}

static void test_writer_sticky_overflow(void **state)
{
	(void)state;
	uint8_t small[5];
	struct wire_buf w = wire_buf_make(small, sizeof(small));
	wire_put_be32(&w, 0x01020304);
	assert_int_equal(w.err, WIRE_OK);
	wire_put_be16(&w, 0x0506); /* does not fit: 4 + 2 > 5 */
	assert_int_equal(w.err, WIRE_E_NOSPACE);
	assert_int_equal(w.len, 4);
	wire_put_u8(&w, 9); /* would fit, but the error is sticky */
	assert_int_equal(w.len, 4);
	assert_memory_equal(small, "\x01\x02\x03\x04", 4);
	assert_string_equal(wire_strerror(WIRE_E_NOSPACE), "no space");
	assert_string_equal(wire_strerror(-WIRE_E_TRUNCATED), "truncated");
	assert_string_equal(wire_strerror(999), "unknown error");
}

static void test_checksum_rfc1071(void **state)
{
	(void)state;
	/* RFC 1071 §3 example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 (one's complement 220d). */
	static const uint8_t d[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	assert_int_equal(wire_csum_fold(wire_csum_add(0, d, 8)), 0x220d);
	/* odd length: the last octet is the high half of a word */
	static const uint8_t o[3] = { 0x01, 0x02, 0x03 };
	assert_int_equal(wire_csum_fold(wire_csum_add(0, o, 3)), (uint16_t) ~(0x0102 + 0x0300));
}

/* ---- RtSolPr / PrRtAdv vectors ------------------------------------------------------------- */

static void test_rtsolpr_vector_decodes(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_send_opts s;
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	static const uint8_t want_types[] = { 19, 19, 11, 13, 14, 27, 12 };
	unsigned n = 0;

	assert_int_equal(decode_raw(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_RTSOLPR);
	assert_memory_equal(f.ip.src, ref_cga_sendd_mn1_address_addr, 16);
	assert_memory_equal(f.ip.dst, ff02_2, 16);
	assert_int_equal(f.ip.hlim, 255);
	assert_int_equal(f.icmp.type, 154);
	assert_int_equal(f.icmp.csum, 0xb58a); /* PROTOCOL.md 10.1: wire checksum */
	assert_int_equal(f.nd.fmip.subtype, 2);
	assert_int_equal(f.nd.fmip.code, 0);
	assert_int_equal(f.nd.fmip.identifier, 0x1234);

	assert_int_equal(wire_ndopt_iter_init(&it, &f.icmp, f.nd.fmip.opts_off), WIRE_OK);
	while (wire_ndopt_next(&it, &o) == 1) {
		assert_true(n < ARRAY_LEN(want_types));
		assert_int_equal(o.type, want_types[n]);
		n++;
	}
	assert_int_equal(n, ARRAY_LEN(want_types));

	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_true(s.has_cga && s.has_timestamp && s.has_nonce && s.has_hkreq && s.has_rsasig);
	assert_int_equal(s.sig_off, 432); /* "over the 432-octet message without the RSA option" */

	struct wire_opt_rsasig sig;
	assert_int_equal(wire_opt_rsasig_decode(&s.rsasig, &sig), WIRE_OK);
	assert_memory_equal(sig.key_hash, ref_send_rtsolpr_key_hash, 16);
	assert_true(sig.sig_room >= ref_send_rtsolpr_signature_len);
	assert_memory_equal(sig.sig, ref_send_rtsolpr_signature, ref_send_rtsolpr_signature_len);

	struct wire_opt_timestamp ts;
	assert_int_equal(wire_opt_timestamp_decode(&s.timestamp, &ts), WIRE_OK);
	assert_true(ts.ts == (uint64_t)1704067200 << 16); /* 2024-01-01T00:00:00Z */

	struct wire_opt_nonce nonce;
	static const uint8_t want_nonce[14] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	assert_int_equal(wire_opt_nonce_decode(&s.nonce, &nonce), WIRE_OK);
	assert_int_equal(nonce.nonce_len, 14);
	assert_memory_equal(nonce.nonce, want_nonce, 14);

	struct wire_opt_hkreq hk;
	assert_int_equal(wire_opt_hkreq_decode(&s.hkreq, &hk), WIRE_OK);
	assert_int_equal(hk.at, 0);
	assert_int_equal(hk.pad_len, 2);
	assert_int_equal(hk.key_len, 162); /* RSA-1024 SPKI */
	assert_int_equal(s.hkreq.len8, 21);

	struct wire_opt_cga cga;
	struct wire_cga_params cp;
	assert_int_equal(wire_opt_cga_decode(&s.cga, &cga), WIRE_OK);
	assert_int_equal(wire_cga_params_decode(cga.params, cga.params_len, &cp), WIRE_OK);
	assert_int_equal(cp.collision_count, 0);
	assert_int_equal(cp.pubkey_len, 162);
	assert_int_equal(cp.ext_len, 0);
	assert_memory_equal(cp.prefix, ref_cga_sendd_mn1_address_addr, 8);
}

static void test_send_signed_data_vector(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_send_opts s;
	struct wire_send_tbs tbs;
	uint8_t out[1024];
	size_t n;

	assert_int_equal(decode_raw(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_int_equal(wire_send_tbs(f.ip.src, f.ip.dst, f.icmp.p, s.sig_off, &tbs), WIRE_OK);
	assert_int_equal(tbs.csum, ref_send_rtsolpr_checksum_in_signed_data);
	n = wire_segs_copy(tbs.seg, 2, out, sizeof(out));
	assert_int_equal(n, ref_send_rtsolpr_signed_data_len);
	assert_memory_equal(out, ref_send_rtsolpr_signed_data, n);

	assert_int_equal(decode_raw(ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_PRRTADV);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_int_equal(wire_send_tbs(f.ip.src, f.ip.dst, f.icmp.p, s.sig_off, &tbs), WIRE_OK);
	assert_int_equal(tbs.csum, ref_send_prrtadv_checksum_in_signed_data);
	assert_memory_equal(tbs.head, wire_send_cga_tag, 16);
	assert_memory_equal(tbs.head + 16, ref_send_ar_link_local_cga_addr, 16);
}

static void test_prrtadv_vector_decodes(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_send_opts s;
	struct wire_opt_hkrep hr;

	assert_int_equal(decode_raw(ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, &f), WIRE_OK);
	assert_int_equal(f.icmp.csum, 0x9599);
	assert_int_equal(f.nd.fmip.identifier, 0x1234);
	assert_memory_equal(f.ip.src, ref_send_ar_link_local_cga_addr, 16);
	assert_memory_equal(f.ip.dst, ref_cga_sendd_mn1_address_addr, 16);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_true(s.has_hkrep && !s.has_hkreq);
	assert_int_equal(wire_opt_hkrep_decode(&s.hkrep, &hr), WIRE_OK);
	assert_int_equal(hr.lifetime, 43200);
	assert_int_equal(hr.at, 0);
	assert_int_equal(hr.enc_len, ref_send_handover_key_encrypted_len);
	assert_memory_equal(hr.enc, ref_send_handover_key_encrypted, hr.enc_len);

	/* the FMIPv6 options in RFC 5568 §6.1.2 order */
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	int lla_codes[8], ipa_codes[8], nl = 0, ni = 0;
	wire_ndopt_iter_init(&it, &f.icmp, 8);
	while (wire_ndopt_next(&it, &o) == 1) {
		if (o.type == WIRE_ND_FMIP_LLA) {
			struct wire_opt_lla l;
			assert_int_equal(wire_opt_lla_decode(&o, &l), WIRE_OK);
			lla_codes[nl++] = l.code;
		} else if (o.type == WIRE_ND_IPADDR) {
			struct wire_opt_ipaddr a;
			assert_int_equal(wire_opt_ipaddr_decode(&o, &a), WIRE_OK);
			ipa_codes[ni++] = a.code;
			assert_int_equal(a.prefix_len, a.code == 3 ? 128 : 64);
		}
	}
	assert_int_equal(nl, 3);
	assert_int_equal(lla_codes[0], WIRE_LLA_SOURCE);
	assert_int_equal(lla_codes[1], WIRE_LLA_NEW_AP);
	assert_int_equal(lla_codes[2], WIRE_LLA_NAR);
	assert_int_equal(ni, 2);
	assert_int_equal(ipa_codes[0], WIRE_IPA_NAR_ADDR);
	assert_int_equal(ipa_codes[1], WIRE_IPA_NAR_PREFIX);
}

/* Rebuild an FMIPv6 message option by option from its decoded view: same bytes. */
static size_t rebuild_fmip(const uint8_t *ref, size_t ref_len, uint8_t *out, size_t cap)
{
	struct wire_frame f;
	struct wire_buf w = wire_buf_make(out, cap);
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	size_t ip6, icmp;

	assert_int_equal(decode_raw(ref, ref_len, &f), WIRE_OK);
	ip6 = wire_build_ip6(&w, f.ip.src, f.ip.dst, WIRE_NH_ICMPV6, f.ip.hlim);
	icmp = wire_build_fmip(&w, f.nd.fmip.subtype, f.nd.fmip.code, f.nd.fmip.identifier);
	wire_ndopt_iter_init(&it, &f.icmp, 8);
	while (wire_ndopt_next(&it, &o) == 1) {
		switch (o.type) {
		case WIRE_ND_FMIP_LLA: {
			struct wire_opt_lla v;
			assert_int_equal(wire_opt_lla_decode(&o, &v), WIRE_OK);
			wire_put_opt_lla(&w, v.code, v.lla, 6);
			break;
		}
		case WIRE_ND_IPADDR: {
			struct wire_opt_ipaddr v;
			assert_int_equal(wire_opt_ipaddr_decode(&o, &v), WIRE_OK);
			wire_put_opt_ipaddr(&w, v.code, v.prefix_len, v.addr);
			break;
		}
		case WIRE_ND_CGA: {
			struct wire_opt_cga v;
			assert_int_equal(wire_opt_cga_decode(&o, &v), WIRE_OK);
			wire_put_opt_cga(&w, v.params, v.params_len);
			break;
		}
		case WIRE_ND_TIMESTAMP: {
			struct wire_opt_timestamp v;
			assert_int_equal(wire_opt_timestamp_decode(&o, &v), WIRE_OK);
			wire_put_opt_timestamp(&w, v.ts);
			break;
		}
		case WIRE_ND_NONCE: {
			struct wire_opt_nonce v;
			assert_int_equal(wire_opt_nonce_decode(&o, &v), WIRE_OK);
			wire_put_opt_nonce(&w, v.nonce, v.nonce_len);
			break;
		}
		case WIRE_ND_HK_REQUEST: {
			struct wire_opt_hkreq v;
			assert_int_equal(wire_opt_hkreq_decode(&o, &v), WIRE_OK);
			wire_put_opt_hkreq(&w, v.at, v.key, v.key_len);
			break;
		}
		case WIRE_ND_HK_REPLY: {
			struct wire_opt_hkrep v;
			assert_int_equal(wire_opt_hkrep_decode(&o, &v), WIRE_OK);
			wire_put_opt_hkrep(&w, v.at, v.lifetime, v.enc, v.enc_len);
			break;
		}
		case WIRE_ND_RSA_SIG: {
			struct wire_opt_rsasig v;
			assert_int_equal(wire_opt_rsasig_decode(&o, &v), WIRE_OK);
			wire_put_opt_rsasig(&w, v.key_hash, v.sig, 128); /* RSA-1024 (A5) */
			break;
		}
		default:
			fail_msg("unexpected option %u", o.type);
		}
	}
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, ip6, icmp), WIRE_OK);
	return w.len;
}

static void test_fmip_vectors_reencode(void **state)
{
	(void)state;
	size_t n = rebuild_fmip(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, buf, sizeof(buf));
	assert_int_equal(n, ref_send_rtsolpr_ipv6_len);
	assert_memory_equal(buf, ref_send_rtsolpr_ipv6, n);
	n = rebuild_fmip(ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len, buf, sizeof(buf));
	assert_int_equal(n, ref_send_prrtadv_ipv6_len);
	assert_memory_equal(buf, ref_send_prrtadv_ipv6, n);
}

/* ---- FBU / FBack vectors ------------------------------------------------------------------- */

struct mh_vec {
	const char *name;
	const uint8_t *pkt;
	size_t len;
	const uint8_t *mac_input; /* NULL: not published */
	size_t mac_input_len;
	const uint8_t *auth;
	size_t auth_len;
	uint8_t type;
	uint16_t seq;
	bool from_par; /* Alt-CoA present */
};

static const struct mh_vec mh_vecs[] = {
	{ "fbu par at0", ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len,
	  ref_fbu_at0_from_par_link_mac_input, ref_fbu_at0_from_par_link_mac_input_len,
	  ref_fbu_at0_from_par_link_authenticator, 12, WIRE_MH_FBU, 1, true },
	{ "fbu nar at0", ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len,
	  ref_fbu_at0_from_nar_link_mac_input, ref_fbu_at0_from_nar_link_mac_input_len,
	  ref_fbu_at0_from_nar_link_authenticator, 12, WIRE_MH_FBU, 2, false },
	{ "fback at0", ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len,
	  ref_fbu_at0_fback_mac_input, ref_fbu_at0_fback_mac_input_len,
	  ref_fbu_at0_fback_authenticator, 12, WIRE_MH_FBACK, 1, false },
	{ "fbu par at1", ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len, NULL,
	  0, NULL, 16, WIRE_MH_FBU, 5, true },
	{ "fbu nar at1", ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len, NULL,
	  0, NULL, 16, WIRE_MH_FBU, 6, false },
};

static void test_mh_vectors_decode(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(mh_vecs); i++) {
		const struct mh_vec *v = &mh_vecs[i];
		struct wire_frame f;
		struct wire_mac_input in;
		uint8_t m[512];

		print_message("%s\n", v->name);
		assert_int_equal(decode_raw(v->pkt, v->len, &f), WIRE_OK);
		assert_int_equal(f.msg, v->type == WIRE_MH_FBU ? WIRE_MSG_FBU : WIRE_MSG_FBACK);
		assert_int_equal(f.mh.type, v->type);
		assert_true(f.mh.badf.present);
		assert_int_equal(f.mh.badf.spi, 0);
		assert_int_equal(f.mh.badf.auth_len, v->auth_len);
		/* A20: the MH ends right after the authenticator */
		assert_int_equal(f.mh.badf.auth_off + f.mh.badf.auth_len, f.mh.len);
		if (v->type == WIRE_MH_FBU) {
			assert_int_equal(f.mh.u.fbu.seq, v->seq);
			assert_int_equal(f.mh.u.fbu.flags, WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H);
			assert_int_equal(f.mh.u.fbu.lifetime, 10);
			assert_non_null(f.ip.hao);
			assert_memory_equal(f.ip.hao, ref_fbu_pcoa_addr, 16);
			assert_memory_equal(f.ip.dst, ref_fbu_par_addr, 16);
			if (v->from_par) {
				assert_non_null(f.mh.altcoa);
				assert_memory_equal(f.mh.altcoa, ref_fbu_ncoa_addr, 16);
				assert_memory_equal(f.ip.src, ref_fbu_pcoa_addr, 16);
			} else {
				assert_null(f.mh.altcoa);
				assert_memory_equal(f.ip.src, ref_fbu_ncoa_addr, 16);
			}
		} else {
			assert_int_equal(f.mh.u.fback.status, 0);
			assert_int_equal(f.mh.u.fback.seq, v->seq);
			assert_int_equal(f.mh.u.fback.lifetime, 10);
		}
		assert_int_equal(wire_mac_input(&f.ip, &f.mh, &in), WIRE_OK);
		assert_memory_equal(in.coa, ref_fbu_ncoa_addr, 16); /* A2 */
		assert_memory_equal(in.par, ref_fbu_par_addr, 16);
		size_t n = wire_segs_copy(in.seg, in.n, m, sizeof(m));
		assert_int_equal(n, in.total);
		/* MAC input = 32 address octets + the MH without the authenticator */
		assert_int_equal(n, 32 + f.mh.len - v->auth_len);
		if (v->mac_input) {
			assert_int_equal(n, v->mac_input_len);
			assert_memory_equal(m, v->mac_input, n);
			assert_memory_equal(in.auth, v->auth, v->auth_len);
		}
	}
}

static void test_mh_vectors_reencode(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(mh_vecs); i++) {
		const struct mh_vec *v = &mh_vecs[i];
		struct wire_frame f;
		struct wire_buf w = wire_buf_make(buf, sizeof(buf));
		size_t mh_off, auth_off;

		print_message("%s\n", v->name);
		assert_int_equal(decode_raw(v->pkt, v->len, &f), WIRE_OK);
		if (v->type == WIRE_MH_FBU) {
			struct wire_fbu_spec s = { .src = f.ip.src,
						   .dst = f.ip.dst,
						   .hoa = f.ip.hao,
						   .altcoa = f.mh.altcoa,
						   .seq = f.mh.u.fbu.seq,
						   .lifetime = f.mh.u.fbu.lifetime,
						   .auth_len = f.mh.badf.auth_len };
			assert_int_equal(wire_build_fbu(&w, &s, &mh_off, &auth_off), WIRE_OK);
		} else {
			struct wire_fback_spec s = { .src = f.ip.src,
						     .dst = f.ip.dst,
						     .status = f.mh.u.fback.status,
						     .seq = f.mh.u.fback.seq,
						     .lifetime = f.mh.u.fback.lifetime,
						     .auth_len = f.mh.badf.auth_len };
			assert_int_equal(wire_build_fback(&w, &s, &mh_off, &auth_off), WIRE_OK);
		}
		assert_int_equal(w.len, v->len);
		assert_int_equal(mh_off, f.ip.l4_off);
		assert_int_equal(auth_off, f.ip.l4_off + f.mh.badf.auth_off);
		/* the published authenticator, then the checksum is ours to compute */
		assert_int_equal(
		    wire_mh_seal(buf, w.len, mh_off, auth_off, f.mh.badf.auth, f.mh.badf.auth_len),
		    WIRE_OK);
		assert_memory_equal(buf, v->pkt, v->len);
	}
}

static void test_pcap_vectors(void **state)
{
	(void)state;
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(VECTORS_DIR "/reference.pcap", err);
	struct pcap_pkthdr *h;
	const u_char *d;
	static const enum wire_msg want[] = { WIRE_MSG_RTSOLPR, WIRE_MSG_PRRTADV, WIRE_MSG_FBU,
					      WIRE_MSG_FBU,	WIRE_MSG_FBACK,	  WIRE_MSG_FBU,
					      WIRE_MSG_FBU };
	static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 1 };
	unsigned n = 0;

	assert_non_null(pc);
	assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
	while (pcap_next_ex(pc, &h, &d) == 1) {
		struct wire_frame f;
		assert_true(n < ARRAY_LEN(want));
		assert_int_equal(wire_decode_frame(d, h->caplen, WIRE_LINK_ETH, &f), WIRE_OK);
		assert_int_equal(f.msg, want[n]);
		assert_int_equal(f.eth.hdr_len, 14);
		/* frames from the MN carry its MAC as source, the AR's as destination */
		bool from_mn = f.msg != WIRE_MSG_PRRTADV && f.msg != WIRE_MSG_FBACK;
		assert_memory_equal(from_mn ? f.eth.src : f.eth.dst, mn_mac, 6);
		n++;
	}
	assert_int_equal(n, ARRAY_LEN(want));
	pcap_close(pc);
}

/* ---- malformed input ---------------------------------------------------------------------- */

static const struct {
	const uint8_t *p;
	size_t len;
} all_vecs[] = {
	{ ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len },
	{ ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len },
	{ ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len },
	{ ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len },
	{ ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len },
	{ ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len },
	{ ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len },
};

static void test_truncation_everywhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(all_vecs); i++) {
		for (size_t cut = 0; cut < all_vecs[i].len; cut++) {
			struct wire_frame f;
			/* a copy of exactly cut octets, so that ASan sees any overread */
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, all_vecs[i].p, cut);
			assert_int_equal(decode_raw(p, cut, &f), WIRE_E_TRUNCATED);
			free(p);
		}
	}
}

static void test_checksum_flip_detected(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(all_vecs); i++) {
		struct wire_frame f;
		memcpy(buf, all_vecs[i].p, all_vecs[i].len);
		assert_int_equal(decode_raw(buf, all_vecs[i].len, &f), WIRE_OK);
		size_t last = all_vecs[i].len - 1; /* a byte of the message, past every header */
		buf[last] ^= 0x01;
		assert_int_equal(decode_raw(buf, all_vecs[i].len, &f), WIRE_E_BAD_CHECKSUM);
	}
}

static void test_ip6_header_errors(void **state)
{
	(void)state;
	struct wire_frame f;
	size_t n = ref_fbu_at0_fback_ipv6_len;

	memcpy(buf, ref_fbu_at0_fback_ipv6, n);
	buf[0] = 0x45; /* IPv4 */
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_NOT_IPV6);
	assert_int_equal(f.msg, WIRE_MSG_NOT_IPV6);

	memcpy(buf, ref_fbu_at0_fback_ipv6, n);
	buf[5]++; /* Payload Length one more than there is */
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_TRUNCATED);

	memcpy(buf, ref_fbu_at0_fback_ipv6, n);
	buf[4] = buf[5] = 0; /* jumbogram */
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_BAD_LENGTH);

	/* trailing link padding after the payload is ignored */
	memcpy(buf, ref_fbu_at0_fback_ipv6, n);
	memset(buf + n, 0xee, 6);
	assert_int_equal(decode_raw(buf, n + 6, &f), WIRE_OK);
	assert_int_equal(f.ip.len, n);

	/* the MH shorter than the payload: something follows the last header */
	memcpy(buf, ref_fbu_at0_fback_ipv6, n);
	buf[5] += 8;
	memset(buf + n, 0, 8);
	assert_int_equal(decode_raw(buf, n + 8, &f), WIRE_E_BAD_LENGTH);
}

/* Build an IPv6 packet with the given extension headers before a No Next Header payload. */
static size_t build_ext_chain(const uint8_t *nhs, size_t n_ext, uint8_t *out, size_t cap)
{
	struct wire_buf w = wire_buf_make(out, cap);
	size_t ip6 = wire_build_ip6(&w, ref_fbu_par_addr, ref_fbu_ncoa_addr,
				    n_ext ? nhs[0] : WIRE_NH_NONE, 64);
	for (size_t i = 0; i < n_ext; i++) {
		uint8_t next = i + 1 < n_ext ? nhs[i + 1] : WIRE_NH_NONE;
		wire_put_u8(&w, next);
		if (nhs[i] == WIRE_NH_FRAGMENT) {
			wire_put_u8(&w, 0);
			wire_put_be16(&w, 0x0001); /* offset 0, M */
			wire_put_be32(&w, 77);
		} else {
			wire_put_u8(&w, 0);
			wire_put_u8(&w, WIRE_DSTOPT_PADN);
			wire_put_u8(&w, 4);
			wire_put_zero(&w, 4);
		}
	}
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	return w.len;
}

static void test_ext_chain(void **state)
{
	(void)state;
	struct wire_ip6 ip;
	uint8_t nhs[12];
	size_t n;

	memset(nhs, WIRE_NH_DSTOPTS, sizeof(nhs));
	n = build_ext_chain(nhs, WIRE_IPV6_MAX_EXT, buf, sizeof(buf));
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_OK);
	assert_int_equal(ip.n_ext, WIRE_IPV6_MAX_EXT);
	assert_int_equal(ip.proto, WIRE_NH_NONE);
	n = build_ext_chain(nhs, WIRE_IPV6_MAX_EXT + 1, buf, sizeof(buf));
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_E_HDR_CHAIN);

	/* Hop-by-Hop anywhere but first */
	nhs[0] = WIRE_NH_DSTOPTS;
	nhs[1] = WIRE_NH_HOPOPT;
	n = build_ext_chain(nhs, 2, buf, sizeof(buf));
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_E_HDR_CHAIN);
	nhs[0] = WIRE_NH_HOPOPT;
	nhs[1] = WIRE_NH_DSTOPTS;
	n = build_ext_chain(nhs, 2, buf, sizeof(buf));
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_OK);
	assert_non_null(ip.hbh);

	/* a first fragment is reported as a fragment, never served */
	nhs[0] = WIRE_NH_FRAGMENT;
	n = build_ext_chain(nhs, 1, buf, sizeof(buf));
	struct wire_frame f;
	assert_int_equal(decode_raw(buf, n, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FRAGMENT);
	assert_int_equal(f.ip.frag_id, 77);
	assert_true(f.ip.frag_more);
	/* a later fragment: offset 8 */
	buf[40 + 3] = 0x08;
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_E_FRAGMENT);
	assert_int_equal(ip.frag_off, 8);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FRAGMENT);

	/* a TLV running past its header */
	nhs[0] = WIRE_NH_DSTOPTS;
	n = build_ext_chain(nhs, 1, buf, sizeof(buf));
	buf[40 + 3] = 5; /* PadN of 5 in 4 octets */
	assert_int_equal(wire_ip6_decode(buf, n, &ip), WIRE_E_TRUNCATED);
}

/* RFC 8200 §8.1 / RFC 3775 §6.1.1: with a type-2 Routing header the checksum's pseudo-
 * destination is the final destination (the home address it carries). */
static void test_rh2_final_destination(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	size_t ip6 = wire_build_ip6(&w, ref_fbu_par_addr, ref_fbu_ncoa_addr, WIRE_NH_ROUTING, 64);
	/* RH2: nh, Hdr Ext Len 2, type 2, Segments Left 1, reserved, home address */
	wire_put_u8(&w, WIRE_NH_MH);
	wire_put_u8(&w, 2);
	wire_put_u8(&w, 2);
	wire_put_u8(&w, 1);
	wire_put_zero(&w, 4);
	wire_put_bytes(&w, ref_fbu_pcoa_addr, 16);
	/* the published FBack's Mobility Header */
	wire_put_bytes(&w, ref_fbu_at0_fback_ipv6 + 40, ref_fbu_at0_fback_ipv6_len - 40);
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	uint8_t *mh = buf + 64;
	uint16_t c = wire_l4_csum(ref_fbu_par_addr, ref_fbu_pcoa_addr, WIRE_NH_MH, mh,
				  ref_fbu_at0_fback_ipv6_len - 40, 4);
	mh[4] = (uint8_t)(c >> 8);
	mh[5] = (uint8_t)c;
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_FBACK);
	assert_memory_equal(f.ip.rt2_addr, ref_fbu_pcoa_addr, 16);
	assert_ptr_equal(wire_ip6_final_dst(&f.ip), f.ip.rt2_addr);
	/* RFC 3775 §6.4: a type-2 Routing header carries one address, Segments Left 1 */
	buf[40 + 3] = 0;
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_E_BAD_VALUE);
	buf[40 + 3] = 1;
	buf[40 + 1] = 4;
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_E_BAD_LENGTH);
}

static void test_hao_rules(void **state)
{
	(void)state;
	struct wire_frame f;
	size_t n = ref_fbu_at0_from_nar_link_ipv6_len;

	/* Destination Options: 40: nh, len, PadN(01 02 00 00), C9 10 addr */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	assert_int_equal(buf[40 + 6], WIRE_DSTOPT_HAO);
	buf[40 + 7] = 15;
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_BAD_LENGTH);

	/* move the HAO to 8n+4 (PadN of 0 then HAO, then PadN(0) to fill) */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	static const uint8_t shifted[22] = { 1, 0, 0xc9, 16, [20] = 1, [21] = 0 };
	memcpy(buf + 42, shifted, sizeof(shifted));
	memcpy(buf + 42 + 4, ref_fbu_pcoa_addr, 16);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_BAD_ALIGNMENT);
}

/* FBU from the NAR's link: MH at 64 = 40 + 24.  Offsets below are within the MH. */
#define NAR_MH 64

static void test_mh_errors(void **state)
{
	(void)state;
	struct wire_frame f;
	size_t n = ref_fbu_at0_from_nar_link_ipv6_len;

	/* Payload Proto must be 59 */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	buf[NAR_MH] = 6;
	fix_mh_csum(buf, n);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_BAD_VALUE);

	/* Header Len larger than the packet */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	buf[NAR_MH + 1]++;
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_TRUNCATED);

	/* BADF Option Length 0, 4 (no authenticator), 40 (past the MH) */
	static const uint8_t badf_lens[] = { 0, 4, 40 };
	for (size_t i = 0; i < sizeof(badf_lens); i++) {
		memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
		assert_int_equal(buf[NAR_MH + 14], WIRE_MHOPT_BADF);
		buf[NAR_MH + 15] = badf_lens[i];
		fix_mh_csum(buf, n);
		int e = decode_raw(buf, n, &f);
		assert_true(e == WIRE_E_BAD_LENGTH || e == WIRE_E_TRUNCATED);
	}

	/* no BADF at all: turn it into a PadN of the same size */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	buf[NAR_MH + 14] = WIRE_MHOPT_PADN;
	fix_mh_csum(buf, n);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_E_MISSING);
	assert_int_equal(f.msg, WIRE_MSG_FBU);

	/* Header Len 0: an FBU of 8 octets cannot hold its fixed part */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	buf[NAR_MH + 1] = 0;
	buf[5] = 24 + 8; /* payload: dstopt 24 + MH 8 */
	fix_mh_csum(buf, 40 + 32);
	assert_int_equal(decode_raw(buf, 40 + 32, &f), WIRE_E_BAD_LENGTH);
}

/* An FBU's IPv6 header and fixed part; options follow.  Returns the MH offset. */
static size_t fbu_begin(struct wire_buf *w, size_t *ip6)
{
	size_t mh;
	*w = wire_buf_make(buf, sizeof(buf));
	*ip6 = wire_build_ip6(w, ref_fbu_pcoa_addr, ref_fbu_par_addr, WIRE_NH_MH, 64);
	mh = wire_build_mh(w, WIRE_MH_FBU);
	wire_put_be16(w, 1);
	wire_put_u8(w, 0xc0);
	wire_put_u8(w, 0);
	wire_put_be16(w, 10);
	return mh;
}

/* Finish the FBU (lengths, checksum) and decode it. */
static int fbu_end_decode(struct wire_buf *w, size_t ip6, size_t mh)
{
	struct wire_frame f;
	assert_int_equal(wire_mh_finish(w, mh), WIRE_OK);
	assert_int_equal(wire_ip6_finish(w, ip6), WIRE_OK);
	assert_int_equal(wire_mh_csum_finish(w, mh, ref_fbu_pcoa_addr, ref_fbu_par_addr), WIRE_OK);
	return decode_raw(buf, w->len, &f);
}

/* A3: a BADF in the SPI-counted form placed RFC 3775-style at 8n+2 with 12 octets of
 * authenticator and 4 octets of padding after it is read as the SPI-counted form. */
static void test_badf_followed_by_four_pad_octets(void **state)
{
	(void)state;
	static const uint8_t pads[2][4] = { { WIRE_MHOPT_PADN, 2, 0, 0 }, { 0, 0, 0, 0 } };
	for (int i = 0; i < 2; i++) {
		struct wire_buf w;
		struct wire_frame f;
		struct wire_mac_input in;
		size_t ip6, mh;
		mh = fbu_begin(&w, &ip6);
		wire_put_mhopt_altcoa(&w, mh, ref_fbu_ncoa_addr);
		wire_mh_align(&w, mh, 8, 2);
		size_t badf = w.len - mh;
		wire_put_u8(&w, WIRE_MHOPT_BADF);
		wire_put_u8(&w, 16); /* SPI + 12 */
		wire_put_be32(&w, 0);
		wire_put_bytes(&w, ref_fbu_at0_from_par_link_authenticator, 12);
		wire_put_bytes(&w, pads[i], 4);
		assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_OK);
		assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
		assert_int_equal(badf % 8, 2);
		assert_int_equal(f.mh.badf.off, badf);
		assert_int_equal(f.mh.badf.auth_len, 12);
		assert_int_equal(f.mh.badf.auth_off, badf + 6);
		assert_memory_equal(f.mh.badf.auth, ref_fbu_at0_from_par_link_authenticator, 12);
		/* the padding after the authenticator is MACed as it is (A20) */
		assert_int_equal(wire_mac_input(&f.ip, &f.mh, &in), WIRE_OK);
		assert_int_equal(in.total, 32 + f.mh.len - 12);
		assert_ptr_equal(in.seg[in.n - 1].p, f.mh.p + f.mh.len - 4);
	}
}

/* A refused Mobility Header never claims more octets than the packet has, and its options
 * cannot be walked. */
static void test_mh_refused_view(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_mhopt_iter it;
	size_t n = ref_fbu_at0_from_nar_link_ipv6_len;
	uint8_t *p = malloc(n);

	memcpy(p, ref_fbu_at0_from_nar_link_ipv6, n);
	p[NAR_MH + 1] = 0x83; /* Header Len far past the packet */
	assert_int_equal(decode_raw(p, n, &f), WIRE_E_TRUNCATED);
	assert_true(f.mh.len <= f.ip.l4_len);
	assert_int_equal(wire_mhopt_iter_init(&it, &f.mh), WIRE_E_TRUNCATED);
	struct wire_mhopt o;
	assert_int_equal(wire_mhopt_next(&it, &o), 0);
	free(p);
}

static void test_mh_option_rules(void **state)
{
	(void)state;
	struct wire_buf w;
	size_t ip6, mh, ao;

	/* Alt-CoA at 8n+4 instead of 8n+6 */
	mh = fbu_begin(&w, &ip6);
	wire_mh_align(&w, mh, 8, 4);
	wire_put_u8(&w, WIRE_MHOPT_ALTCOA);
	wire_put_u8(&w, 16);
	wire_put_bytes(&w, ref_fbu_ncoa_addr, 16);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_E_BAD_ALIGNMENT);

	/* BADF followed by another option */
	mh = fbu_begin(&w, &ip6);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	wire_put_mhopt_altcoa(&w, mh, ref_fbu_ncoa_addr);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_E_OPT_ORDER);

	/* BADF followed by padding only: accepted (A20: octets after it are MACed as they are) */
	mh = fbu_begin(&w, &ip6);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	wire_put_u8(&w, WIRE_MHOPT_PADN);
	wire_put_u8(&w, 6);
	wire_put_zero(&w, 6);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_OK);

	/* two Alt-CoA options */
	mh = fbu_begin(&w, &ip6);
	wire_put_mhopt_altcoa(&w, mh, ref_fbu_ncoa_addr);
	wire_put_mhopt_altcoa(&w, mh, ref_fbu_ncoa_addr);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_E_DUPLICATE);

	/* MH IPv6 Address option at 8n+2 instead of 8n+4, and with Option-Code 5 */
	mh = fbu_begin(&w, &ip6);
	wire_mh_align(&w, mh, 8, 2);
	wire_put_u8(&w, WIRE_MHOPT_IPADDR);
	wire_put_u8(&w, 18);
	wire_put_u8(&w, 1);
	wire_put_u8(&w, 128);
	wire_put_bytes(&w, ref_fbu_ncoa_addr, 16);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_E_BAD_ALIGNMENT);
	mh = fbu_begin(&w, &ip6);
	wire_put_mhopt_ipaddr(&w, mh, 5, 128, ref_fbu_ncoa_addr);
	wire_put_mhopt_badf(&w, mh, 0, 12, &ao);
	assert_int_equal(fbu_end_decode(&w, ip6, mh), WIRE_E_BAD_VALUE);
}

static void test_badf_short_length_form(void **state)
{
	(void)state;
	struct wire_frame f, g;
	size_t n = ref_fbu_at0_from_nar_link_ipv6_len;

	/* A3: Option Length = authenticator only (12), BADF last: accepted, same authenticator */
	memcpy(buf, ref_fbu_at0_from_nar_link_ipv6, n);
	buf[NAR_MH + 15] = 12;
	fix_mh_csum(buf, n);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_OK);
	assert_int_equal(decode_raw(ref_fbu_at0_from_nar_link_ipv6, n, &g), WIRE_OK);
	assert_int_equal(f.mh.badf.auth_len, 12);
	assert_int_equal(f.mh.badf.auth_off, g.mh.badf.auth_off);
	assert_memory_equal(f.mh.badf.auth, ref_fbu_at0_from_nar_link_authenticator, 12);

	/* the same short form with the AT 1 (16-octet) vector */
	n = ref_fbu_at1_from_nar_link_ipv6_len;
	memcpy(buf, ref_fbu_at1_from_nar_link_ipv6, n);
	assert_int_equal(decode_raw(buf, n, &g), WIRE_OK);
	buf[g.ip.l4_off + g.mh.badf.off + 1] = 16;
	fix_mh_csum(buf, n);
	assert_int_equal(decode_raw(buf, n, &f), WIRE_OK);
	assert_int_equal(f.mh.badf.auth_len, 16);
}

/* Build a one-option ND message (a CPS) around raw option bytes and decode that option. */
static int one_ndopt(const uint8_t *opt, size_t len, struct wire_ndopt *o, struct wire_frame *f)
{
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	struct wire_ndopt_iter it;
	size_t ip6 = wire_build_ip6(&w, ref_fbu_pcoa_addr, ff02_2, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_cps(&w, 7, 0xffff);
	int r;
	wire_put_bytes(&w, opt, len);
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, ip6, icmp), WIRE_OK);
	assert_int_equal(decode_raw(buf, w.len, f), WIRE_OK);
	assert_int_equal(f->msg, WIRE_MSG_CPS);
	wire_ndopt_iter_init(&it, &f->icmp, f->nd.cps.opts_off);
	r = wire_ndopt_next(&it, o);
	return r;
}

/* Decode an ND option with the typed decoder of its type. */
static int decode_typed(const struct wire_ndopt *o)
{
	union {
		struct wire_opt_ll ll;
		struct wire_opt_prefix pi;
		struct wire_opt_cga cga;
		struct wire_opt_rsasig rs;
		struct wire_opt_timestamp ts;
		struct wire_opt_nonce no;
		struct wire_opt_trust_anchor ta;
		struct wire_opt_cert ce;
		struct wire_opt_ipaddr ia;
		struct wire_opt_lla lla;
		struct wire_opt_naack na;
		struct wire_opt_hkreq hq;
		struct wire_opt_hkrep hp;
	} u;
	switch (o->type) {
	case WIRE_ND_SLLA:
	case WIRE_ND_TLLA:
		return wire_opt_ll_decode(o, &u.ll);
	case WIRE_ND_PREFIX:
		return wire_opt_prefix_decode(o, &u.pi);
	case WIRE_ND_CGA:
		return wire_opt_cga_decode(o, &u.cga);
	case WIRE_ND_RSA_SIG:
		return wire_opt_rsasig_decode(o, &u.rs);
	case WIRE_ND_TIMESTAMP:
		return wire_opt_timestamp_decode(o, &u.ts);
	case WIRE_ND_NONCE:
		return wire_opt_nonce_decode(o, &u.no);
	case WIRE_ND_TRUST_ANCHOR:
		return wire_opt_trust_anchor_decode(o, &u.ta);
	case WIRE_ND_CERTIFICATE:
		return wire_opt_cert_decode(o, &u.ce);
	case WIRE_ND_IPADDR:
		return wire_opt_ipaddr_decode(o, &u.ia);
	case WIRE_ND_FMIP_LLA:
		return wire_opt_lla_decode(o, &u.lla);
	case WIRE_ND_NAACK:
		return wire_opt_naack_decode(o, &u.na);
	case WIRE_ND_HK_REQUEST:
		return wire_opt_hkreq_decode(o, &u.hq);
	case WIRE_ND_HK_REPLY:
		return wire_opt_hkrep_decode(o, &u.hp);
	default:
		return WIRE_E_UNKNOWN_TYPE;
	}
}

static void test_ndopt_length_errors(void **state)
{
	(void)state;
	struct wire_ndopt o;
	struct wire_frame f;
	uint8_t opt[64];
	/* an option's first octets (the rest zero), its size in the message, the verdict */
	static const struct {
		const char *what;
		uint8_t head[6];
		size_t size;
		int iter; /* what the iterator says */
		int want; /* what the typed decoder says (when iter == 1) */
	} cases[] = {
		{ "Length 0", { WIRE_ND_NONCE, 0 }, 8, -WIRE_E_BAD_LENGTH, 0 },
		{ "runs past the message", { WIRE_ND_NONCE, 2 }, 8, -WIRE_E_TRUNCATED, 0 },
		{ "a lone octet", { WIRE_ND_NONCE, 2 }, 1, -WIRE_E_TRUNCATED, 0 },
		{ "Timestamp Length 3", { WIRE_ND_TIMESTAMP, 3 }, 24, 1, WIRE_E_BAD_LENGTH },
		{ "Timestamp Length 1", { WIRE_ND_TIMESTAMP, 1 }, 8, 1, WIRE_E_BAD_LENGTH },
		{ "Timestamp Length 2", { WIRE_ND_TIMESTAMP, 2 }, 16, 1, WIRE_OK },
		{ "IP Address Length 2", { WIRE_ND_IPADDR, 2 }, 16, 1, WIRE_E_BAD_LENGTH },
		{ "IP Address prefix 129", { WIRE_ND_IPADDR, 3, 0, 129 }, 24, 1, WIRE_E_BAD_VALUE },
		{ "IP Address prefix 128", { WIRE_ND_IPADDR, 3, 0, 128 }, 24, 1, WIRE_OK },
		{ "Prefix Information Length 5", { WIRE_ND_PREFIX, 5 }, 40, 1, WIRE_E_BAD_LENGTH },
		{ "Prefix Information prefix 129",
		  { WIRE_ND_PREFIX, 4, 129 },
		  32,
		  1,
		  WIRE_E_BAD_VALUE },
		{ "NAACK Length 2", { WIRE_ND_NAACK, 2 }, 16, 1, WIRE_E_BAD_LENGTH },
		{ "NAACK Length 1", { WIRE_ND_NAACK, 1 }, 8, 1, WIRE_OK },
		{ "CGA Pad Length past the room", { WIRE_ND_CGA, 1, 5 }, 8, 1, WIRE_E_BAD_LENGTH },
		{ "HK Request Pad Length eats the key",
		  { WIRE_ND_HK_REQUEST, 1, 4 },
		  8,
		  1,
		  WIRE_E_BAD_LENGTH },
		/* SEQUENCE of 9 content octets = 11, but 16 - 4 - 2 = 10 remain */
		{ "HK Request DER longer than the key",
		  { WIRE_ND_HK_REQUEST, 2, 2, 0, 0x30, 9 },
		  16,
		  1,
		  WIRE_E_BAD_LENGTH },
		{ "HK Request DER shorter than the key",
		  { WIRE_ND_HK_REQUEST, 2, 2, 0, 0x30, 7 },
		  16,
		  1,
		  WIRE_E_BAD_LENGTH },
		{ "HK Request DER exact",
		  { WIRE_ND_HK_REQUEST, 2, 2, 0, 0x30, 8 },
		  16,
		  1,
		  WIRE_OK },
		{ "HK Reply no ciphertext", { WIRE_ND_HK_REPLY, 1, 2 }, 8, 1, WIRE_E_BAD_LENGTH },
		{ "RSA Signature without a signature",
		  { WIRE_ND_RSA_SIG, 2 },
		  16,
		  1,
		  WIRE_E_BAD_LENGTH },
		{ "Trust Anchor without a name",
		  { WIRE_ND_TRUST_ANCHOR, 1, 1, 4 },
		  8,
		  1,
		  WIRE_E_BAD_LENGTH },
		{ "Nonce Length 1", { WIRE_ND_NONCE, 1 }, 8, 1, WIRE_OK },
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		print_message("%s\n", cases[i].what);
		memset(opt, 0, sizeof(opt));
		memcpy(opt, cases[i].head, sizeof(cases[i].head));
		assert_int_equal(one_ndopt(opt, cases[i].size, &o, &f), cases[i].iter);
		if (cases[i].iter == 1)
			assert_int_equal(decode_typed(&o), cases[i].want);
	}
	/* the HK Request whose DER fits exactly has a 10-octet key */
	struct wire_opt_hkreq hq;
	memset(opt, 0, sizeof(opt));
	memcpy(opt, (uint8_t[]){ WIRE_ND_HK_REQUEST, 2, 2, 0, 0x30, 8 }, 6);
	assert_int_equal(one_ndopt(opt, 16, &o, &f), 1);
	assert_int_equal(wire_opt_hkreq_decode(&o, &hq), WIRE_OK);
	assert_int_equal(hq.key_len, 10);
	/* a typed decoder refuses an option of another type */
	assert_int_equal(wire_opt_nonce_decode(&o, &(struct wire_opt_nonce){ 0 }),
			 WIRE_E_UNKNOWN_TYPE);
}

static void test_send_opts_duplicates_and_after_sig(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_send_opts s;
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	static const uint8_t nonce[6] = { 1, 2, 3, 4, 5, 6 }, kh[16] = { 9 }, sig[4] = { 7 };
	size_t ip6 = wire_build_ip6(&w, ref_fbu_pcoa_addr, ff02_2, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 1);

	wire_put_opt_nonce(&w, nonce, 6);
	wire_put_opt_rsasig(&w, kh, sig, sizeof(sig));
	wire_put_opt_nonce(&w, nonce, 6); /* after the signature: ignored (RFC 3971 §5.2.2) */
	wire_put_u8(&w, 99);		  /* even a broken option there is not walked */
	wire_put_u8(&w, 0);
	wire_put_zero(&w, 6);
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, ip6, icmp), WIRE_OK);
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_true(s.has_nonce && s.has_rsasig);
	assert_int_equal(s.sig_off, 16);
	assert_int_equal(s.n_opts, 2);

	w = wire_buf_make(buf, sizeof(buf));
	ip6 = wire_build_ip6(&w, ref_fbu_pcoa_addr, ff02_2, WIRE_NH_ICMPV6, 255);
	icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 1);
	wire_put_opt_nonce(&w, nonce, 6);
	wire_put_opt_nonce(&w, nonce, 6);
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, ip6, icmp), WIRE_OK);
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_E_DUPLICATE);
	assert_int_equal(s.sig_off, f.icmp.len);
}

static void test_cga_params_errors(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_send_opts s;
	struct wire_opt_cga cga;
	struct wire_cga_params cp;
	uint8_t p[512];

	assert_int_equal(decode_raw(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, &f), WIRE_OK);
	assert_int_equal(wire_send_opts_collect(&f.icmp, 8, &s), WIRE_OK);
	assert_int_equal(wire_opt_cga_decode(&s.cga, &cga), WIRE_OK);
	assert_int_equal(cga.params_len, 25 + 162);
	for (size_t cut = 0; cut < cga.params_len; cut++)
		assert_int_equal(wire_cga_params_decode(cga.params, cut, &cp), WIRE_E_TRUNCATED);

	memcpy(p, cga.params, cga.params_len);
	/* one extension TLV (RFC 4581): type 0xfffd, 3 octets */
	static const uint8_t ext[7] = { 0xff, 0xfd, 0, 3, 'a', 'b', 'c' };
	memcpy(p + cga.params_len, ext, sizeof(ext));
	assert_int_equal(wire_cga_params_decode(p, cga.params_len + 7, &cp), WIRE_OK);
	assert_int_equal(cp.ext_len, 7);
	assert_int_equal(wire_cga_params_decode(p, cga.params_len + 6, &cp), WIRE_E_BAD_LENGTH);
	assert_int_equal(wire_cga_params_decode(p, cga.params_len + 3, &cp), WIRE_E_BAD_LENGTH);

	p[25] = 0x04; /* not a SEQUENCE */
	assert_int_equal(wire_cga_params_decode(p, cga.params_len, &cp), WIRE_E_BAD_VALUE);
	p[25] = 0x30;
	p[26] = 0x80; /* indefinite length */
	assert_int_equal(wire_cga_params_decode(p, cga.params_len, &cp), WIRE_E_BAD_VALUE);

	size_t t;
	static const uint8_t der_long[5] = { 0x30, 0x82, 0x01, 0x00, 0 };
	assert_int_equal(wire_der_len(der_long, 5, &t), WIRE_E_TRUNCATED);
	static const uint8_t der_5oct[8] = { 0x30, 0x85, 0, 0, 0, 0, 1, 0 };
	assert_int_equal(wire_der_len(der_5oct, 8, &t), WIRE_E_BAD_VALUE);
}

/* ---- builders round trip ------------------------------------------------------------------ */

static void test_nd_options_round_trip(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 9 };
	static const uint8_t name[5] = { 0x30, 3, 1, 2, 3 };
	static const uint8_t cert[9] = { 0x30, 7, 1, 2, 3, 4, 5, 6, 7 };
	static const uint8_t enc[128] = { 0xab };
	struct wire_opt_prefix pin = { .prefix_len = 64,
				       .flags = 0xc0,
				       .valid = 86400,
				       .preferred = 14400,
				       .prefix = ref_fbu_par_addr };
	size_t ip6 = wire_build_ip6(&w, ref_fbu_pcoa_addr, ff02_2, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_cpa(&w, 0, 3, 2);

	wire_put_opt_ll(&w, WIRE_ND_SLLA, mac, 6);
	wire_put_opt_prefix(&w, &pin);
	wire_put_opt_trust_anchor(&w, 1, name, sizeof(name));
	wire_put_opt_cert(&w, 1, cert, sizeof(cert));
	wire_put_opt_naack(&w, 0, 2, ref_fbu_ncoa_addr);
	wire_put_opt_naack(&w, 0, 1, NULL);
	wire_put_opt_hkrep(&w, 1, 43200, enc, sizeof(enc));
	wire_put_opt_timestamp(&w, 0x0000659200800001ull);
	assert_int_equal(wire_ip6_finish(&w, ip6), WIRE_OK);
	assert_int_equal(wire_icmp6_finish(&w, ip6, icmp), WIRE_OK);

	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_CPA);
	assert_int_equal(f.nd.cpa.all_components, 3);
	assert_int_equal(f.nd.cpa.component, 2);
	wire_ndopt_iter_init(&it, &f.icmp, f.nd.cpa.opts_off);

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_ll ll;
	assert_int_equal(wire_opt_ll_decode(&o, &ll), WIRE_OK);
	assert_int_equal(o.len8, 1);
	assert_memory_equal(ll.addr, mac, 6);

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_prefix pout;
	assert_int_equal(wire_opt_prefix_decode(&o, &pout), WIRE_OK);
	assert_int_equal(pout.valid, 86400);
	assert_int_equal(pout.preferred, 14400);
	assert_int_equal(pout.flags, 0xc0);
	assert_memory_equal(pout.prefix, ref_fbu_par_addr, 16);

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_trust_anchor ta;
	assert_int_equal(wire_opt_trust_anchor_decode(&o, &ta), WIRE_OK);
	assert_int_equal(ta.name_len, sizeof(name));
	assert_int_equal(ta.pad_len, 7); /* 4 + 5 octets → 16 */
	assert_memory_equal(ta.name, name, sizeof(name));

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_cert ce;
	assert_int_equal(wire_opt_cert_decode(&o, &ce), WIRE_OK);
	assert_int_equal(ce.cert_len, sizeof(cert));
	assert_memory_equal(ce.cert, cert, sizeof(cert));

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_naack na;
	assert_int_equal(wire_opt_naack_decode(&o, &na), WIRE_OK);
	assert_int_equal(na.status, 2);
	assert_memory_equal(na.ncoa, ref_fbu_ncoa_addr, 16);
	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	assert_int_equal(wire_opt_naack_decode(&o, &na), WIRE_OK);
	assert_null(na.ncoa);

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_hkrep hr;
	assert_int_equal(wire_opt_hkrep_decode(&o, &hr), WIRE_OK);
	assert_int_equal(o.len8, 17); /* PROTOCOL.md 4.2: RSA-1024 → Length 17 */
	assert_int_equal(hr.at, 1);
	assert_int_equal(hr.lifetime, 43200);
	assert_int_equal(hr.enc_len, 128);

	assert_int_equal(wire_ndopt_next(&it, &o), 1);
	struct wire_opt_timestamp ts;
	assert_int_equal(wire_opt_timestamp_decode(&o, &ts), WIRE_OK);
	assert_true(ts.ts == 0x0000659200800001ull);
	assert_int_equal(wire_ndopt_next(&it, &o), 0);

	/* a nonce that cannot fill whole 8-octet units is refused by the builder */
	w = wire_buf_make(buf, sizeof(buf));
	wire_put_opt_nonce(&w, enc, 7);
	assert_int_equal(w.err, WIRE_E_BAD_LENGTH);
	/* an option over 2040 octets cannot be expressed */
	static uint8_t big[2100];
	w = wire_buf_make(buf, sizeof(buf));
	wire_put_opt_cert(&w, 1, big, sizeof(big));
	assert_int_equal(w.err, WIRE_E_NOSPACE);
}

static void test_hi_hack_round_trip(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct wire_hi_spec hi = { .src = ref_fbu_par_addr,
				   .dst = ref_fbu_ncoa_addr,
				   .seq = 77,
				   .flags = WIRE_HI_FLAG_U,
				   .code = 1,
				   .mn_lla = mac,
				   .pcoa = ref_fbu_pcoa_addr,
				   .ncoa = ref_fbu_ncoa_addr };

	assert_int_equal(wire_build_hi(&w, &hi), WIRE_OK);
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_HI);
	assert_int_equal(f.mh.u.hi.seq, 77);
	assert_int_equal(f.mh.u.hi.flags, WIRE_HI_FLAG_U);
	assert_int_equal(f.mh.u.hi.code, 1);
	assert_non_null(f.mh.mh_lla);
	assert_int_equal(f.mh.mh_lla_code, 2);
	assert_int_equal(f.mh.mh_lla_len, 6);
	assert_memory_equal(f.mh.ipaddr[1], ref_fbu_pcoa_addr, 16);
	assert_memory_equal(f.mh.ipaddr[2], ref_fbu_ncoa_addr, 16);
	assert_int_equal(f.mh.ipaddr_plen[2], 128);
	assert_int_equal(f.mh.len % 8, 0);

	w = wire_buf_make(buf, sizeof(buf));
	struct wire_hack_spec ha = { .src = ref_fbu_ncoa_addr,
				     .dst = ref_fbu_par_addr,
				     .seq = 77,
				     .code = 2,
				     .ncoa = ref_fbu_ncoa_addr };
	assert_int_equal(wire_build_hack(&w, &ha), WIRE_OK);
	assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_HACK);
	assert_int_equal(f.mh.u.hack.seq, 77);
	assert_int_equal(f.mh.u.hack.code, 2);
	assert_memory_equal(f.mh.ipaddr[2], ref_fbu_ncoa_addr, 16);
	assert_null(f.mh.ipaddr[1]);
	/* the MAC input is for FBU/FBack only */
	struct wire_mac_input in;
	assert_int_equal(wire_mac_input(&f.ip, &f.mh, &in), WIRE_E_MISSING);
}

static void test_fbu_builder_variants(void **state)
{
	(void)state;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	for (uint8_t auth = 1; auth <= WIRE_BADF_MAX_AUTH; auth++) {
		struct wire_frame f;
		struct wire_buf w = wire_buf_make(buf, sizeof(buf));
		struct wire_fbu_spec s = { .src = ref_fbu_pcoa_addr,
					   .dst = ref_fbu_par_addr,
					   .hoa = ref_fbu_pcoa_addr,
					   .altcoa = ref_fbu_ncoa_addr,
					   .mh_lla = mac,
					   .seq = 9,
					   .lifetime = 4,
					   .auth_len = auth };
		size_t mh_off, auth_off;
		uint8_t tag[WIRE_BADF_MAX_AUTH];
		memset(tag, 0x5a, sizeof(tag));
		assert_int_equal(wire_build_fbu(&w, &s, &mh_off, &auth_off), WIRE_OK);
		assert_int_equal(wire_mh_seal(buf, w.len, mh_off, auth_off, tag, auth), WIRE_OK);
		assert_int_equal(decode_raw(buf, w.len, &f), WIRE_OK);
		assert_int_equal(f.mh.badf.auth_len, auth);
		assert_memory_equal(f.mh.badf.auth, tag, auth);
		assert_int_equal(f.mh.mh_lla_len, 6);
		assert_memory_equal(f.mh.mh_lla + 3, mac, 6);
		/* A20: no trailing padding after the authenticator */
		assert_int_equal(f.mh.badf.auth_off + auth, f.mh.len);
		assert_int_equal(f.mh.badf.off % 8, (8 - (6 + auth) % 8) % 8);
		if (auth == 12) /* A20's literals */
			assert_int_equal(f.mh.badf.off % 8, 6);
		if (auth == 16)
			assert_int_equal(f.mh.badf.off % 8, 2);
	}
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	struct wire_fbu_spec bad = { .src = ref_fbu_pcoa_addr, .dst = ref_fbu_par_addr };
	size_t a, b;
	assert_int_equal(wire_build_fbu(&w, &bad, &a, &b), WIRE_E_BAD_LENGTH); /* auth_len 0 */
	uint8_t tiny[60];
	w = wire_buf_make(tiny, sizeof(tiny));
	bad.auth_len = 12;
	assert_int_equal(wire_build_fbu(&w, &bad, &a, &b), WIRE_E_NOSPACE);
}

static void test_vlan_and_ethertype(void **state)
{
	(void)state;
	struct wire_frame f;
	struct wire_buf w = wire_buf_make(buf, sizeof(buf));
	static const uint8_t a[6] = { 2, 0, 0, 0, 0, 1 }, b[6] = { 2, 0, 0, 0, 0, 2 };
	wire_build_eth(&w, b, a, 100, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len);
	assert_int_equal(wire_decode_frame(buf, w.len, WIRE_LINK_ETH, &f), WIRE_OK);
	assert_true(f.eth.has_vlan);
	assert_int_equal(f.eth.vlan_tci, 100);
	assert_int_equal(f.eth.hdr_len, 18);
	assert_int_equal(f.msg, WIRE_MSG_FBACK);

	w = wire_buf_make(buf, sizeof(buf));
	wire_build_eth(&w, b, a, -1, 0x0800);
	wire_put_zero(&w, 40);
	assert_int_equal(wire_decode_frame(buf, w.len, WIRE_LINK_ETH, &f), WIRE_E_NOT_IPV6);
	assert_int_equal(f.msg, WIRE_MSG_NOT_IPV6);
	assert_int_equal(wire_decode_frame(buf, 13, WIRE_LINK_ETH, &f), WIRE_E_TRUNCATED);
	assert_string_equal(wire_msg_name(WIRE_MSG_FBU), "fbu");
	assert_string_equal(wire_msg_name(WIRE_MSG__COUNT), "unknown");
}

static void test_unknown_fmip_subtype(void **state)
{
	(void)state;
	struct wire_frame f;
	memcpy(buf, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len);
	buf[40 + 4] = 4; /* deprecated ICMPv6 HI subtype */
	fix_icmp_csum(buf, ref_send_rtsolpr_ipv6_len);
	assert_int_equal(decode_raw(buf, ref_send_rtsolpr_ipv6_len, &f), WIRE_E_UNKNOWN_TYPE);
	assert_int_equal(f.msg, WIRE_MSG_ICMP6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_bounds),
		cmocka_unit_test(test_writer_sticky_overflow),
		cmocka_unit_test(test_checksum_rfc1071),
		cmocka_unit_test(test_rtsolpr_vector_decodes),
		cmocka_unit_test(test_send_signed_data_vector),
		cmocka_unit_test(test_prrtadv_vector_decodes),
		cmocka_unit_test(test_fmip_vectors_reencode),
		cmocka_unit_test(test_mh_vectors_decode),
		cmocka_unit_test(test_mh_vectors_reencode),
		cmocka_unit_test(test_pcap_vectors),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_checksum_flip_detected),
		cmocka_unit_test(test_ip6_header_errors),
		cmocka_unit_test(test_ext_chain),
		cmocka_unit_test(test_hao_rules),
		cmocka_unit_test(test_rh2_final_destination),
		cmocka_unit_test(test_mh_errors),
		cmocka_unit_test(test_mh_option_rules),
		cmocka_unit_test(test_badf_followed_by_four_pad_octets),
		cmocka_unit_test(test_mh_refused_view),
		cmocka_unit_test(test_badf_short_length_form),
		cmocka_unit_test(test_ndopt_length_errors),
		cmocka_unit_test(test_send_opts_duplicates_and_after_sig),
		cmocka_unit_test(test_cga_params_errors),
		cmocka_unit_test(test_nd_options_round_trip),
		cmocka_unit_test(test_hi_hack_round_trip),
		cmocka_unit_test(test_fbu_builder_variants),
		cmocka_unit_test(test_vlan_and_ethertype),
		cmocka_unit_test(test_unknown_fmip_subtype),
	};
	return cmocka_run_group_tests_name("wire", tests, NULL, NULL);
}
