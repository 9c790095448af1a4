/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk, access-router role, after provisioning: the FBU checks that are not the MAC
 * (RFC 5269 §3.5, RFC 5568 §6.2.2, A4, A14, A21, A23), the BADF seal shared with the MN role and
 * the FBack (RFC 5568 §6.2.3, A20).
 */
#include <string.h>

#include "hk.h"
#include "hk_priv.h"

void hk_fbu_policy_defaults(struct hk_fbu_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->max_lifetime = 60;
	p->lifetime_4s = false;
}

int hk_fbu_check(const struct hk_fbu_policy *p, const struct wire_frame *f, const uint8_t *key_cga,
		 struct hk_fbu_info *info)
{
	const struct wire_mh *mh = &f->mh;
	uint32_t lt;

	memset(info, 0, sizeof(*info));
	if (f->err != WIRE_OK || f->msg != WIRE_MSG_FBU)
		return HK_R_NOT_FBU;
	/* RFC 5269 §3.5 / A23: the key is named by the Home Address option. */
	if (f->ip.hao == NULL)
		return HK_R_NO_HAO;
	if (key_cga && memcmp(f->ip.hao, key_cga, 16) != 0)
		return HK_R_HAO_MISMATCH; /* A21 */
	if ((mh->u.fbu.flags & (WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H)) !=
	    (WIRE_FBU_FLAG_A | WIRE_FBU_FLAG_H))
		return HK_R_FLAGS;
	/* from the PAR's link the NCoA can only be in the Alternate CoA option */
	if (memcmp(f->ip.src, f->ip.hao, 16) == 0 && mh->altcoa == NULL)
		return HK_R_NO_ALTCOA;
	memcpy(info->pcoa, f->ip.hao, 16);
	memcpy(info->ncoa, mh->altcoa ? mh->altcoa : f->ip.src, 16); /* A2 */
	memcpy(info->par, f->ip.dst, 16);			     /* A12 */
	info->seq = mh->u.fbu.seq;
	info->flags = mh->u.fbu.flags;
	lt = mh->u.fbu.lifetime;
	info->teardown = lt == 0; /* RFC 5568 §5.6 */
	if (p->lifetime_4s)
		lt *= 4; /* A4 */
	info->lifetime = lt > p->max_lifetime ? p->max_lifetime : lt;
	info->from_par_link = memcmp(f->ip.src, f->ip.hao, 16) == 0;
	if (mh->mh_lla && mh->mh_lla_code == 2 && mh->mh_lla_len >= 6) {
		info->has_mn_lla = true;
		memcpy(info->mn_lla, mh->mh_lla + 3, 6);
	}
	return HK_R_OK;
}

int hk_badf_seal(struct mac_ctx *mctx, const struct mac_key *key, uint8_t *pkt, size_t len,
		 size_t mh_off, size_t auth_off)
{
	static const uint8_t zero[MAC_TAG_MAX];
	struct wire_frame f;
	struct wire_mac_input in;
	struct mac_job job;
	uint8_t tag[MAC_TAG_MAX];

	/* checksum first so that the packet decodes; the MAC input has it zeroed anyway */
	if (wire_mh_seal(pkt, len, mh_off, auth_off, zero, key->tag_len) != WIRE_OK ||
	    wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &f) != WIRE_OK ||
	    wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		return HK_R_INTERNAL;
	mac_job_from_input(&job, key, &in);
	job.tag = NULL;
	job.tag_len = 0;
	job.out = tag;
	if (mac_generate_burst(mctx, &job, 1) != 1)
		return HK_R_INTERNAL;
	return wire_mh_seal(pkt, len, mh_off, auth_off, tag, key->tag_len) == WIRE_OK
		   ? HK_R_OK
		   : HK_R_INTERNAL;
}

int hk_fback_build(struct mac_ctx *mctx, const struct mac_key *key, const struct hk_fbu_policy *p,
		   const struct hk_fbu_info *fbu, uint8_t status, const uint8_t *assigned_ncoa,
		   uint8_t *pkt, size_t cap, size_t *len)
{
	struct wire_buf w = wire_buf_make(pkt, cap);
	struct wire_fback_spec s = {
		.src = fbu->par,
		.dst = fbu->ncoa,
		.status = status,
		.seq = fbu->seq,
		/* the granted lifetime, in the units the peer uses (A4), never rounded up */
		.lifetime = (uint16_t)(p->lifetime_4s ? fbu->lifetime / 4 : fbu->lifetime),
		/* status 1: "use NCoA supplied in alternate CoA", the one the NAR assigned */
		.altcoa = status == 1 ? assigned_ncoa : NULL,
		.auth_len = key->tag_len,
	};
	size_t mh_off, auth_off;
	int r;

	if (status == 1 && assigned_ncoa == NULL)
		return HK_R_INTERNAL;
	if (wire_build_fback(&w, &s, &mh_off, &auth_off) != WIRE_OK)
		return HK_R_NOSPACE;
	if ((r = hk_badf_seal(mctx, key, pkt, w.len, mh_off, auth_off)) != HK_R_OK)
		return r;
	*len = w.len;
	return HK_R_OK;
}
