/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: ND and SEND option collection on an arbitrary ICMPv6 message (the input
 * is the message, from its Type octet): wire_send_opts_collect at the RtSolPr/PrRtAdv/CPS
 * (8) and CPA (12) option offsets, every typed decoder on what it collected and on every
 * option the generic walk finds, wire_cga_params_decode inside CGA options, wire_der_len,
 * wire_send_tbs, and the message decoders (FMIPv6, CPS, CPA).
 *
 * Oracles besides ASan/UBSan: every view a decoder returns lies inside the input; the
 * collected options lie before the RSA Signature option and the signed data ends there; the
 * signed data is copied out (ASan sees every octet a signature check would hash).
 */
#include <string.h>

#include "fuzz.h"
#include "fz.h"

static void check_opt(const struct wire_ndopt *o, const uint8_t *d, size_t n)
{
	struct wire_opt_ll ll;
	struct wire_opt_prefix pf;
	struct wire_opt_cga cga;
	struct wire_opt_rsasig rs;
	struct wire_opt_timestamp ts;
	struct wire_opt_nonce no;
	struct wire_opt_trust_anchor ta;
	struct wire_opt_cert ce;
	struct wire_opt_ipaddr ia;
	struct wire_opt_lla la;
	struct wire_opt_naack na;
	struct wire_opt_hkreq hq;
	struct wire_opt_hkrep hr;
	struct wire_cga_params cp;
	size_t total;

	fz_inside(o->p, o->len, d, n);
	if (wire_opt_ll_decode(o, &ll) == WIRE_OK)
		fz_inside(ll.addr, ll.addr_len, d, n);
	if (wire_opt_prefix_decode(o, &pf) == WIRE_OK)
		fz_inside(pf.prefix, 16, d, n);
	if (wire_opt_cga_decode(o, &cga) == WIRE_OK) {
		fz_inside(cga.params, cga.params_len, d, n);
		if (wire_cga_params_decode(cga.params, cga.params_len, &cp) == WIRE_OK) {
			fz_inside(cp.pubkey, cp.pubkey_len, d, n);
			fz_inside(cp.ext, cp.ext_len, d, n);
			fz_inside(cp.all, cp.all_len, d, n);
			if (cp.all_len != cga.params_len)
				abort();
		}
	}
	if (wire_opt_rsasig_decode(o, &rs) == WIRE_OK) {
		fz_inside(rs.key_hash, 16, d, n);
		fz_inside(rs.sig, rs.sig_room, d, n);
	}
	(void)wire_opt_timestamp_decode(o, &ts);
	if (wire_opt_nonce_decode(o, &no) == WIRE_OK) {
		fz_inside(no.nonce, no.nonce_len, d, n);
		if (no.nonce_len < 6)
			abort(); /* RFC 3971 §5.3.2 */
	}
	if (wire_opt_trust_anchor_decode(o, &ta) == WIRE_OK)
		fz_inside(ta.name, ta.name_len, d, n);
	if (wire_opt_cert_decode(o, &ce) == WIRE_OK) {
		fz_inside(ce.cert, ce.cert_len, d, n);
		if (wire_der_len(ce.cert, ce.cert_len, &total) == WIRE_OK && total > ce.cert_len)
			abort();
	}
	if (wire_opt_ipaddr_decode(o, &ia) == WIRE_OK)
		fz_inside(ia.addr, 16, d, n);
	if (wire_opt_lla_decode(o, &la) == WIRE_OK)
		fz_inside(la.lla, la.lla_len, d, n);
	if (wire_opt_naack_decode(o, &na) == WIRE_OK && na.ncoa)
		fz_inside(na.ncoa, 16, d, n);
	if (wire_opt_hkreq_decode(o, &hq) == WIRE_OK)
		fz_inside(hq.key, hq.key_len, d, n);
	if (wire_opt_hkrep_decode(o, &hr) == WIRE_OK)
		fz_inside(hr.enc, hr.enc_len, d, n);
}

static void collected(const struct wire_send_opts *s, const uint8_t *d, size_t n)
{
	static uint8_t scratch[FZ_MAX_IN + 64];
	const struct {
		bool has;
		const struct wire_ndopt *o;
	} c[] = { { s->has_cga, &s->cga },     { s->has_timestamp, &s->timestamp },
		  { s->has_nonce, &s->nonce }, { s->has_hkreq, &s->hkreq },
		  { s->has_hkrep, &s->hkrep }, { s->has_rsasig, &s->rsasig } };
	struct wire_send_tbs tbs;

	if (s->sig_off > n || (!s->has_rsasig && s->sig_off != n))
		abort();
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (!c[i].has)
			continue;
		check_opt(c[i].o, d, n);
		/* §5.2.2: nothing after the signature option is collected */
		if (c[i].o->off > s->sig_off || (i < 5 && c[i].o->off + c[i].o->len > s->sig_off))
			abort();
	}
	if (s->has_rsasig && s->rsasig.off != s->sig_off)
		abort();
	if (wire_send_tbs(fz_mn1_addr, fz_ar1_ll, d, s->sig_off, &tbs) == WIRE_OK) {
		fz_inside(tbs.seg[1].p, tbs.seg[1].len, d, n);
		if (tbs.seg[1].p + tbs.seg[1].len != d + s->sig_off ||
		    wire_segs_copy(tbs.seg, 2, scratch, sizeof(scratch)) !=
			(size_t)tbs.seg[0].len + tbs.seg[1].len)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_icmp6 icmp = { data, size, 0, 0, 0 };
	struct wire_send_opts s;
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	struct wire_fmip fm;
	struct wire_cps cps;
	struct wire_cpa cpa;
	static const size_t offs[] = { 8, 12 };

	if (size < 4 || size > FZ_MAX_IN)
		return 0;
	icmp.type = data[0];
	icmp.code = data[1];
	icmp.csum = wire_be16(data + 2);
	(void)wire_fmip_decode(&icmp, &fm);
	(void)wire_cps_decode(&icmp, &cps);
	(void)wire_cpa_decode(&icmp, &cpa);
	for (unsigned k = 0; k < 2; k++) {
		if (offs[k] > size)
			continue;
		if (wire_send_opts_collect(&icmp, offs[k], &s) == WIRE_OK)
			collected(&s, data, size);
		if (wire_ndopt_iter_init(&it, &icmp, offs[k]) != WIRE_OK)
			continue;
		for (unsigned i = 0; i < 1024 && wire_ndopt_next(&it, &o) == 1; i++)
			check_opt(&o, data, size);
	}
	return 0;
}
