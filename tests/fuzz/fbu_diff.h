/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The differential oracle of the FBU fast path (issue 14), shared by the libFuzzer target
 * fuzz_fbu_diff.c and the unit test tests/wire/test_wire_fbu_fast.c: where
 * wire_fbu_fast_decode() says "match", wire_decode_frame() must say WIRE_OK / FBU with the
 * same fields, and the in-place MAC input must equal wire_mac_input()'s segments.
 */
#ifndef FMIPGW_FBU_DIFF_H
#define FMIPGW_FBU_DIFF_H

#include <string.h>

#include "wire.h"

/*
 * 0 when the fast view ff of frame p agrees with the full decode f; otherwise a small number
 * naming the first field that differs (for the test's message).
 */
static inline int fbu_diff_fields(const uint8_t *p, enum wire_link link,
				  const struct wire_fbu_fast *ff, const struct wire_frame *f)
{
	const uint8_t *ncoa = f->mh.altcoa ? f->mh.altcoa : f->ip.src; /* A2 */

	if (f->err != WIRE_OK || f->msg != WIRE_MSG_FBU)
		return 1;
	if (ff->l3_off != (link == WIRE_LINK_ETH ? f->eth.hdr_len : 0))
		return 2;
	if (f->ip.hao == NULL || p + ff->pcoa_off != f->ip.hao)
		return 3;
	if (p + ff->par_off != f->ip.dst || p + ff->ncoa_off != ncoa)
		return 4;
	if (p + ff->mh_off != f->mh.p || ff->mh_len != f->mh.len)
		return 5;
	if (!f->mh.badf.present || p + ff->auth_off != f->mh.badf.auth ||
	    ff->auth_len != f->mh.badf.auth_len || ff->spi != f->mh.badf.spi)
		return 6;
	if (ff->seq != f->mh.u.fbu.seq || ff->flags != f->mh.u.fbu.flags ||
	    ff->lifetime != f->mh.u.fbu.lifetime)
		return 7;
	if (ff->has_altcoa != (f->mh.altcoa != NULL))
		return 8;
	if (link == WIRE_LINK_ETH &&
	    (ff->has_vlan != f->eth.has_vlan || (ff->has_vlan && ff->vlan_tci != f->eth.vlan_tci)))
		return 9;
	return 0;
}

/*
 * The in-place MAC input of a copy of the frame (pkt, writable, len octets) equals the
 * segments of wire_mac_input() over the original, and restore gives the packet back byte for
 * byte.  0 when both hold.
 */
static inline int fbu_diff_inplace(const uint8_t *orig, uint8_t *pkt, size_t len,
				   const struct wire_fbu_fast *ff, const struct wire_frame *f)
{
	struct wire_mac_input in;
	struct wire_mac_inplace s;
	size_t off = 0;

	if (wire_mac_input(&f->ip, &f->mh, &in) != WIRE_OK)
		return 20;
	memcpy(pkt, orig, len);
	if (wire_fbu_fast_inplace(pkt, ff, &s) != WIRE_OK)
		return 21;
	if (s.len != in.total || s.start != pkt + ff->mh_off - 32)
		return 22;
	for (unsigned i = 0; i < in.n; i++) {
		if (memcmp(s.start + off, in.seg[i].p, in.seg[i].len) != 0)
			return 23;
		off += in.seg[i].len;
	}
	if (memcmp(wire_fbu_fast_saved_pcoa(&s), f->ip.hao, 16) != 0)
		return 24;
	if (memcmp(pkt + ff->auth_off, in.auth, in.auth_len) != 0)
		return 25; /* the authenticator is not part of the input and stays */
	wire_mac_inplace_restore(&s);
	return memcmp(pkt, orig, len) != 0 ? 26 : 0;
}

#endif
