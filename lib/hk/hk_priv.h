/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/hk internals shared by the AR and MN roles. */
#ifndef FMIPGW_HK_PRIV_H
#define FMIPGW_HK_PRIV_H

#include "hk.h"

/* Compute and place the BADF authenticator of a built FBU/FBack whose authenticator octets
 * are at auth_off (mh_off: the MH), then the MH checksum.  HK_R_OK or HK_R_INTERNAL. */
int hk_badf_seal(struct mac_ctx *mctx, const struct mac_key *key, uint8_t *pkt, size_t len,
		 size_t mh_off, size_t auth_off);

/* lib/send's signing result as an hk reason. */
static inline int hk_sign_reason(int send_reason)
{
	return send_reason == SEND_R_OK	       ? HK_R_OK
	       : send_reason == SEND_R_NOSPACE ? HK_R_NOSPACE
					       : HK_R_SIGN;
}

#endif
