/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn attacks: forged FBUs (a random authenticator), replayed FBUs (a copy of the node's
 * last valid one), FBUs for a PCoA that has no key, RtSolPr with a broken signature and copies
 * of the node's RtSolPr, the flood (the attacker's signed RtSolPr with a fresh nonce each
 * time, so that its signature fails only after the gateway's RSA verification), and malformed
 * frames: each kind is built to carry exactly one lib/wire error, the one the gateway counts
 * in malformed_<error> (the kinds of tests/e2e/test_gw_e2e.py).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "mn.h"

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
static const uint8_t all_routers_mac[6] = { 0x33, 0x33, 0, 0, 0, 2 };

static void random_bytes(uint8_t *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1)
		for (size_t i = 0; i < n; i++)
			p[i] = (uint8_t)rand();
}

/* An FBU for pcoa sealed with a random authenticator of tag_len octets. */
static size_t fbu_random_tag(uint8_t *pkt, size_t cap, const uint8_t *pcoa, const uint8_t *ncoa,
			     const uint8_t *par, bool from_par_link, uint16_t seq, uint8_t tag_len)
{
	struct wire_buf b = wire_buf_make(pkt, cap);
	struct wire_fbu_spec fs = { .src = from_par_link ? pcoa : ncoa,
				    .dst = par,
				    .hoa = pcoa,
				    .altcoa = from_par_link ? ncoa : NULL,
				    .seq = seq,
				    .lifetime = 10,
				    .auth_len = tag_len };
	uint8_t tag[MAC_TAG_MAX];
	size_t mh, auth;

	random_bytes(tag, tag_len);
	tag[0] |= 1; /* never all zero */
	if (wire_build_fbu(&b, &fs, &mh, &auth) != WIRE_OK ||
	    wire_mh_seal(pkt, b.len, mh, auth, tag, tag_len) != WIRE_OK)
		return 0;
	return b.len;
}

static uint8_t tag_len_of(const struct mn_world *w, uint8_t at)
{
	return w->mac.at[at & (MAC_AT_MAX - 1)].tag_len;
}

/* The ICMPv6 checksum of an IPv6 packet whose upper layer starts at octet 40. */
static void icmp_csum(uint8_t *pkt, size_t len)
{
	uint16_t c = wire_l4_csum(pkt + 8, pkt + 24, WIRE_NH_ICMPV6, pkt + 40, len - 40, 2);

	pkt[42] = (uint8_t)(c >> 8);
	pkt[43] = (uint8_t)c;
}

/* A copy of the node's RtSolPr with one signature bit flipped (checksum fixed). */
static size_t badsig(struct mn_shard *sh, const struct mn_node *n, uint8_t *pkt, size_t cap)
{
	struct wire_send_opts so;

	if (n->last_sol == NULL || n->last_sol_len > cap)
		return 0;
	memcpy(pkt, n->last_sol, n->last_sol_len);
	if (wire_decode_frame(pkt, n->last_sol_len, WIRE_LINK_RAW6, &sh->inner) != WIRE_OK ||
	    wire_send_opts_collect(&sh->inner.icmp, 8, &so) != WIRE_OK || !so.has_rsasig)
		return 0;
	pkt[40 + so.rsasig.off + 20] ^= 0x01; /* type, length, reserved, key hash: then the sig */
	icmp_csum(pkt, n->last_sol_len);
	return n->last_sol_len;
}

void mn_node_attack(struct mn_shard *sh, struct mn_node *n, enum mn_step step)
{
	const struct mn_scen *s = sh->scen;
	uint8_t *p = sh->buf + MN_L2, pcoa[16];
	size_t cap = sizeof(sh->buf) - MN_L2, len = 0;
	unsigned kind = 0, err = 0;
	const uint8_t *dmac = mn_gw_mac(sh);

	switch (step) {
	case STEP_FORGED:
		kind = MN_TX_fbu_forged;
		len = fbu_random_tag(p, cap, n->creds.addr, n->ncoa, s->par, n->seq & 1,
				     (uint16_t)(n->seq + 1), tag_len_of(sh->w, n->at));
		break;
	case STEP_REPLAY_FBU:
		kind = MN_TX_fbu_replayed;
		len = n->last_fbu_len;
		memcpy(p, n->last_fbu, len);
		break;
	case STEP_UNKNOWN_FBU:
		kind = MN_TX_fbu_unknown;
		memcpy(pcoa, s->prefix.addr, 8);
		do
			random_bytes(pcoa + 8, 8);
		while (mn_world_find(sh->w, pcoa) != NULL);
		len = fbu_random_tag(p, cap, pcoa, n->ncoa, s->par, false, 1, 12);
		break;
	case STEP_BADSIG:
		kind = MN_TX_rtsolpr_badsig;
		dmac = all_routers_mac;
		len = badsig(sh, n, p, cap);
		break;
	case STEP_REPLAY_SOL:
		kind = MN_TX_rtsolpr_replayed;
		dmac = all_routers_mac;
		if (n->last_sol != NULL && n->last_sol_len <= cap)
			memcpy(p, n->last_sol, len = n->last_sol_len);
		break;
	default: {
		unsigned k = n->mal_next++ % mn_malformed_count();

		kind = MN_TX_malformed;
		err = (unsigned)mn_malformed_err(k);
		len = mn_malformed_build(k, n->creds.addr, n->ncoa, s->par, p, cap);
		if (err == WIRE_E_UNKNOWN_TYPE) /* an unknown ICMPv6 subtype: to all-routers */
			dmac = all_routers_mac;
		break;
	}
	}
	if (len == 0) {
		sh->st.out[MN_OUT_skipped]++;
		return;
	}
	mn_emit_ip6(sh, kind, err, dmac, n->mac, len);
}

void mn_flood_one(struct mn_shard *sh)
{
	const struct mn_world *w = sh->w;
	uint8_t *p = sh->buf + MN_L2;
	struct wire_send_opts so;
	uint8_t mac[6] = { 0x02, 0x66, 0x6c, 0x6f, 0x6f, 0x64 }; /* "flood" */

	if (w->flood_tpl == NULL || w->flood_tpl_len > sizeof(sh->buf) - MN_L2)
		return;
	memcpy(p, w->flood_tpl, w->flood_tpl_len);
	if (wire_decode_frame(p, w->flood_tpl_len, WIRE_LINK_RAW6, &sh->inner) != WIRE_OK ||
	    wire_send_opts_collect(&sh->inner.icmp, 8, &so) != WIRE_OK || !so.has_nonce ||
	    !so.has_timestamp)
		return;
	/* a fresh nonce and timestamp: a new solicitation whose signature no longer verifies */
	random_bytes(p + 40 + so.nonce.off + 2, so.nonce.len - 2);
	uint64_t ts = send_time_now();
	for (int i = 0; i < 8; i++)
		p[40 + so.timestamp.off + 8 + i] = (uint8_t)(ts >> (56 - 8 * i));
	icmp_csum(p, w->flood_tpl_len);
	mn_emit_ip6(sh, MN_TX_rtsolpr_flood, 0, all_routers_mac, mac, w->flood_tpl_len);
}

/* ---- malformed frames ----------------------------------------------------------------------- */

static const int mal_err[] = {
	WIRE_E_BAD_CHECKSUM,  WIRE_E_TRUNCATED,	   WIRE_E_HDR_CHAIN, WIRE_E_MISSING,
	WIRE_E_BAD_ALIGNMENT, WIRE_E_BAD_LENGTH,   WIRE_E_DUPLICATE, WIRE_E_OPT_ORDER,
	WIRE_E_BAD_VALUE,     WIRE_E_UNKNOWN_TYPE, WIRE_E_NOT_IPV6,  WIRE_E_FRAGMENT,
};

unsigned mn_malformed_count(void)
{
	return sizeof(mal_err) / sizeof(mal_err[0]);
}

int mn_malformed_err(unsigned kind)
{
	return mal_err[kind % mn_malformed_count()];
}

/* An FBU (PAR's link) with its options chosen by `order`: 0 Alt-CoA then BADF, 1 Alt-CoA twice,
 * 2 BADF before the Alt-CoA.  Zero authenticator, valid checksum. */
static size_t fbu_opts(uint8_t *pkt, size_t cap, const uint8_t pcoa[16], const uint8_t ncoa[16],
		       const uint8_t par[16], int order)
{
	struct wire_buf b = wire_buf_make(pkt, cap);
	size_t ip = wire_build_ip6(&b, pcoa, par, WIRE_NH_DSTOPTS, 64), mh, auth;

	wire_build_dstopt_hao(&b, WIRE_NH_MH, pcoa);
	mh = wire_build_mh(&b, WIRE_MH_FBU);
	wire_put_be16(&b, 9);
	wire_put_u8(&b, WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H);
	wire_put_u8(&b, 0);
	wire_put_be16(&b, 10);
	if (order == 2)
		wire_put_mhopt_badf(&b, mh, 0, 12, &auth);
	wire_put_mhopt_altcoa(&b, mh, ncoa);
	if (order == 1)
		wire_put_mhopt_altcoa(&b, mh, ncoa);
	if (order != 2)
		wire_put_mhopt_badf(&b, mh, 0, 12, &auth);
	if (wire_mh_finish(&b, mh) != WIRE_OK || wire_ip6_finish(&b, ip) != WIRE_OK ||
	    wire_mh_csum_finish(&b, mh, pcoa, par) != WIRE_OK)
		return 0;
	return b.len;
}

static void mh_csum(uint8_t *pkt, size_t len, size_t mh)
{
	uint16_t c;

	pkt[mh + 4] = pkt[mh + 5] = 0;
	c = wire_l4_csum(pkt + 48, pkt + 24, WIRE_NH_MH, pkt + mh, len - mh, 4); /* HAO at 48 */
	pkt[mh + 4] = (uint8_t)(c >> 8);
	pkt[mh + 5] = (uint8_t)c;
}

size_t mn_malformed_build(unsigned k, const uint8_t pcoa[16], const uint8_t ncoa[16],
			  const uint8_t par[16], uint8_t *pkt, size_t cap)
{
	/* the base: IPv6 40 | Destination Options 24 (PadN 2 at 42, HAO 201 at 46, its
	 * address at 48) | MH at 64 (BADF at 64 + 38) */
	int e = mn_malformed_err(k);
	size_t len = fbu_opts(pkt, cap, pcoa, ncoa, par,
			      e == WIRE_E_DUPLICATE   ? 1
			      : e == WIRE_E_OPT_ORDER ? 2
						      : 0);
	struct wire_buf b = wire_buf_make(pkt, cap);
	size_t ic;

	if (len == 0)
		return 0;
	switch (e) {
	case WIRE_E_BAD_CHECKSUM:
		pkt[64 + 4] ^= 0xff;
		return len;
	case WIRE_E_TRUNCATED: /* Payload Length says 8 octets more than there are */
		return len - 8;
	case WIRE_E_HDR_CHAIN: /* Destination Options followed by Hop-by-Hop */
		pkt[40] = WIRE_NH_HOPOPT;
		return len;
	case WIRE_E_MISSING: /* the BADF turned into PadN */
		pkt[64 + 38] = WIRE_MHOPT_PADN;
		break;
	case WIRE_E_BAD_ALIGNMENT: /* the HAO at 8n+2 (then PadN 2): same address */
		memmove(pkt + 44, pkt + 48, 16);
		pkt[42] = WIRE_DSTOPT_HAO;
		pkt[43] = 16;
		pkt[60] = WIRE_DSTOPT_PADN;
		pkt[61] = 2;
		pkt[62] = pkt[63] = 0;
		return len;
	case WIRE_E_BAD_LENGTH: /* HAO option length 14 */
		pkt[47] = 14;
		return len;
	case WIRE_E_BAD_VALUE: /* MH Payload Proto must be 59 */
		pkt[64] = 6;
		break;
	case WIRE_E_UNKNOWN_TYPE: /* ICMPv6 154 with an unassigned subtype */
		ic = wire_build_ip6(&b, pcoa, all_routers, WIRE_NH_ICMPV6, 255);
		ic = wire_build_fmip(&b, 9, 0, 1);
		if (wire_ip6_finish(&b, 0) != WIRE_OK || wire_icmp6_finish(&b, 0, ic) != WIRE_OK)
			return 0;
		return b.len;
	case WIRE_E_NOT_IPV6: /* an IPv6 Ethertype with a version 4 header */
		pkt[0] = 0x45;
		return len;
	case WIRE_E_FRAGMENT: /* a non-first fragment to the PAR */
		wire_build_ip6(&b, pcoa, par, WIRE_NH_FRAGMENT, 64);
		wire_put_u8(&b, WIRE_NH_MH);
		wire_put_u8(&b, 0);
		wire_put_be16(&b, 8 << 3);
		wire_put_be32(&b, 1234);
		wire_put_zero(&b, 16);
		return wire_ip6_finish(&b, 0) == WIRE_OK ? b.len : 0;
	default: /* duplicate option, option order: made so by fbu_opts */
		return len;
	}
	mh_csum(pkt, len, 64);
	return len;
}
