/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw handover decisions (handover.h): pure functions of the configuration and the
 * decoded message, no EAL, no table — unit-tested in ho_policy_test.c.
 */
#include <string.h>

#include "handover.h"

/* The first len bits of a and p are equal. */
static bool prefix_covers(const uint8_t a[16], const uint8_t p[16], unsigned len)
{
	unsigned bytes = len / 8, bits = len % 8;

	if (len > 128 || memcmp(a, p, bytes) != 0)
		return false;
	return bits == 0 || ((a[bytes] ^ p[bytes]) & (uint8_t)(0xff << (8 - bits))) == 0;
}

int cp_ap_match(const struct gw_config *cfg, const uint8_t a[16])
{
	int best = -1;

	for (unsigned i = 0; i < cfg->n_aps; i++) {
		const struct hk_ap *ap = &cfg->aps[i];

		if (ap->nar_prefix_len == 0 ||
		    !prefix_covers(a, ap->nar_prefix, ap->nar_prefix_len))
			continue;
		if (best < 0 || ap->nar_prefix_len > cfg->aps[best].nar_prefix_len)
			best = (int)i;
	}
	return best;
}

/* Unicast, not link-local, not :: or the loopback (a care-of address must be routable). */
static bool usable_coa(const uint8_t a[16])
{
	static const uint8_t z15[15];

	if (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
		return false;
	return !(memcmp(a, z15, 15) == 0 && a[15] <= 1);
}

uint8_t cp_fbu_status(const struct gw_config *cfg, const struct hk_fbu_info *info, int *ap)
{
	int i;

	*ap = -1;
	if (!usable_coa(info->ncoa) || memcmp(info->ncoa, info->pcoa, 16) == 0)
		return 128;
	i = cp_ap_match(cfg, info->ncoa);
	if (i < 0)
		return 128; /* no neighbouring AR serves that prefix: nothing to tunnel toward */
	*ap = i;
	switch (cfg->aps[i].kind) {
	case HK_AP_NAR:
		return 0;
	case HK_AP_NO_FMIP:
		return 129; /* the NAR does not support fast handovers (RFC 5568 6.4.3 code 7) */
	default:
		return 128; /* an AP of this router's own interface, or without prefix information
			     */
	}
}

bool cp_is_neighbour(const struct gw_config *cfg, const uint8_t a[16])
{
	for (unsigned i = 0; i < cfg->n_aps; i++)
		if (cfg->aps[i].kind == HK_AP_NAR && memcmp(cfg->aps[i].nar_addr, a, 16) == 0)
			return true;
	return false;
}

uint8_t cp_nar_code(const struct gw_config *cfg, const uint8_t src[16], const struct wire_mh *mh,
		    bool *echo)
{
	const uint8_t *ncoa = mh->ipaddr[2];

	*echo = false;
	if (!cfg->nar_role || (cfg->neighbours_only && !cp_is_neighbour(cfg, src)))
		return 129;
	if (mh->mh_lla == NULL || mh->mh_lla_code != 2 || mh->mh_lla_len == 0)
		return 128; /* RFC 5568 6.2.1.1: the MN's link-layer address MUST be included */
	if (mh->u.hi.code == 1)
		return 0; /* RFC 5568 4: with Code 1 the NAR skips the NCoA operations */
	if (ncoa == NULL)
		return 1;
	for (unsigned i = 0; i < cfg->n_prefixes; i++)
		if (prefix_covers(ncoa, cfg->prefixes[i].addr, cfg->prefixes[i].len)) {
			*echo = (mh->u.hi.flags & 0x80) != 0; /* S: "return" the NCoA */
			return 0;
		}
	return 1; /* NCoA not valid: not on this router's link */
}

uint32_t cp_hi_wait_ms(const struct gw_config *cfg, unsigned tries)
{
	unsigned shift = tries > 0 ? tries - 1 : 0;

	return shift >= 16 ? cfg->hi_timeout_ms << 16 : cfg->hi_timeout_ms << shift;
}

uint64_t *cp_code_counter(struct gw_counters *c, const struct cp_code_ctr *t, unsigned n,
			  uint8_t code, size_t other)
{
	for (unsigned i = 0; i < n; i++)
		if (t[i].code == code)
			return gw_cnt(c, t[i].off);
	return gw_cnt(c, other);
}
