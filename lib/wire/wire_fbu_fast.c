/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: the FBU fast path (issue 14) — the fixed-offset matcher for the one shape FBUs to
 * a PAR have (A20, A23, A3 first form; PROTOCOL.md 10.3/10.4), its one-pass MH checksum, and
 * the A2 MAC input made contiguous in place.  wire_decode_frame() stays the authority: this
 * file only says "match" where that decoder says WIRE_OK with the same fields.
 */
#include "wire.h"

/* Unaligned native-order loads (memcpy compiles to one mov). */
static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* The 8 octets a..h as a native-order 64-bit value, for one compare against ld64(). */
#define OCT8(a, b, c, d, e, f, g, h) \
	ld64((const uint8_t[8]){ (a), (b), (c), (d), (e), (f), (g), (h) })

/*
 * One's-complement addition (RFC 1071) in 64-bit words: the carry out of the top goes back in
 * at the bottom.  Byte order does not matter for the verdict (0xffff is its own swap).
 */
static inline uint64_t oc_add(uint64_t s, uint64_t v)
{
	s += v;
	return s + (s < v);
}

/*
 * A16 in one pass: pseudo-header (HAO, destination, length, next header 135) and the whole MH
 * with its checksum field as received sum to 0xffff iff the field is right.  One corner:
 * wire_l4_csum() never yields 0xffff (the sum it complements is never 0), so a field of 0xffff
 * is refused here too, although 0xffff + 0 would also sum to 0xffff.  mh_len is a constant at
 * each call, so the loop unrolls: 4 + 1 + mh_len / 8 additions.
 */
static inline __attribute__((always_inline)) bool mh_csum_ok(const uint8_t *hao, const uint8_t *dst,
							     const uint8_t *mh, size_t mh_len)
{
	uint64_t s = ld64(hao);

	s = oc_add(s, ld64(hao + 8));
	s = oc_add(s, ld64(dst));
	s = oc_add(s, ld64(dst + 8));
	s = oc_add(s, OCT8(0, 0, 0, (uint8_t)mh_len, 0, 0, 0, WIRE_NH_MH));
	for (size_t i = 0; i < mh_len; i += 8)
		s = oc_add(s, ld64(mh + i));
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return s == 0xffff && !(mh[4] == 0xff && mh[5] == 0xff);
}

/*
 * The MH options after the 12-octet FBU part: which of the four layouts this is.  Returns the
 * BADF offset in the MH (0: none) and sets *auth_len and *altcoa.
 */
static inline unsigned mh_layout(const uint8_t *mh, size_t mh_len, uint8_t *auth_len, bool *altcoa)
{
	switch (mh_len) {
	case 32: /* PadN(2), BADF(16) @14 */
		*altcoa = false;
		*auth_len = 12;
		return ld32(mh + 12) == ld32((const uint8_t[4]){ 1, 0, WIRE_MHOPT_BADF, 16 }) ? 14
											      : 0;
	case 40: /* PadN(6), BADF(20) @18 */
		*altcoa = false;
		*auth_len = 16;
		return ld64(mh + 12) == OCT8(1, 4, 0, 0, 0, 0, WIRE_MHOPT_BADF, 20) ? 18 : 0;
	case 56: /* PadN(2), Alt-CoA @14, then PadN(6) + BADF(16) @38 or PadN(2) + BADF(20) @34 */
		*altcoa = true;
		if (ld32(mh + 12) != ld32((const uint8_t[4]){ 1, 0, WIRE_MHOPT_ALTCOA, 16 }))
			return 0;
		if (ld64(mh + 32) == OCT8(1, 4, 0, 0, 0, 0, WIRE_MHOPT_BADF, 16)) {
			*auth_len = 12;
			return 38;
		}
		if (ld32(mh + 32) == ld32((const uint8_t[4]){ 1, 0, WIRE_MHOPT_BADF, 20 })) {
			*auth_len = 16;
			return 34;
		}
		return 0;
	default:
		return 0;
	}
}

bool wire_fbu_fast_decode(const uint8_t *p, size_t len, enum wire_link link,
			  struct wire_fbu_fast *ff)
{
	size_t l3 = 0, plen, mh_len;
	const uint8_t *ip, *mh;
	uint8_t auth_len;
	bool altcoa, vlan = false;
	unsigned badf;

	if (link == WIRE_LINK_ETH) {
		/* Ethernet II, at most one 802.1Q tag (as wire_eth_decode) */
		if (len < 14 + 40 + 24 + 32)
			return false;
		if (p[12] == 0x86 && p[13] == 0xdd) {
			l3 = 14;
		} else if (p[12] == 0x81 && p[13] == 0x00 && p[16] == 0x86 && p[17] == 0xdd) {
			l3 = 18;
			vlan = true;
		} else {
			return false;
		}
	}
	if (len < l3 + 40 + 24 + 32)
		return false;
	ip = p + l3;
	plen = wire_be16(ip + 4);
	mh = ip + 64;
	mh_len = 8 * ((size_t)mh[1] + 1);
	/* version 6, Next Header DstOpt; Payload Length = DstOpt + the whole MH, inside len */
	if ((ip[0] >> 4) != 6 || ip[6] != WIRE_NH_DSTOPTS || plen != 24 + mh_len ||
	    len - l3 - 40 < plen)
		return false;
	/* DstOpt: MH next, 24 octets, PadN(2) of zeros, HAO type 201 length 16 at 8n+6 */
	if (ld64(ip + 40) != OCT8(WIRE_NH_MH, 2, WIRE_DSTOPT_PADN, 2, 0, 0, WIRE_DSTOPT_HAO, 16))
		return false;
	/* MH: Payload Proto 59, type FBU, Reserved 0 */
	if (mh[0] != WIRE_NH_NONE || mh[2] != WIRE_MH_FBU || mh[3] != 0)
		return false;
	badf = mh_layout(mh, mh_len, &auth_len, &altcoa);
	if (badf == 0)
		return false;
	switch (mh_len) { /* one unrolled sum per MH length */
	case 32:
		if (!mh_csum_ok(ip + 48, ip + 24, mh, 32))
			return false;
		break;
	case 40:
		if (!mh_csum_ok(ip + 48, ip + 24, mh, 40))
			return false;
		break;
	default:
		if (!mh_csum_ok(ip + 48, ip + 24, mh, 56))
			return false;
		break;
	}

	ff->l3_off = (uint16_t)l3;
	ff->mh_off = (uint16_t)(l3 + 64);
	ff->mh_len = (uint16_t)mh_len;
	ff->pcoa_off = (uint16_t)(l3 + 48);
	ff->par_off = (uint16_t)(l3 + 24);
	ff->ncoa_off = (uint16_t)(altcoa ? l3 + 64 + 16 : l3 + 8);
	ff->auth_off = (uint16_t)(l3 + 64 + badf + 6);
	ff->auth_len = auth_len;
	ff->flags = mh[8];
	ff->seq = wire_be16(mh + 6);
	ff->lifetime = wire_be16(mh + 10);
	ff->has_vlan = vlan;
	ff->vlan_tci = vlan ? wire_be16(p + 14) : 0;
	ff->has_altcoa = altcoa;
	ff->spi = wire_be32(mh + badf + 2);
	return true;
}

int wire_mac_inplace_begin(uint8_t *mh, size_t mh_len, size_t auth_off, size_t auth_len,
			   const uint8_t ncoa[16], const uint8_t par[16],
			   struct wire_mac_inplace *s)
{
	uint8_t addrs[32];

	/* contiguous only when the authenticator ends the MH (A20) */
	if (mh_len < 6 || auth_off < 6 || auth_len == 0 || auth_off + auth_len != mh_len)
		return WIRE_E_BAD_LENGTH;
	memcpy(addrs, ncoa, 16); /* ncoa/par may lie in the octets about to be overwritten */
	memcpy(addrs + 16, par, 16);
	s->start = mh - 32;
	s->len = (uint32_t)(32 + auth_off);
	memcpy(s->saved, s->start, 32);
	s->csum[0] = mh[4];
	s->csum[1] = mh[5];
	memcpy(s->start, addrs, 32);
	mh[4] = 0; /* PROTOCOL.md 1.9: the checksum enters the MAC as zero */
	mh[5] = 0;
	return WIRE_OK;
}

void wire_mac_inplace_restore(const struct wire_mac_inplace *s)
{
	memcpy(s->start, s->saved, 32);
	s->start[32 + 4] = s->csum[0];
	s->start[32 + 5] = s->csum[1];
}
