/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the AR role behind the signature check.  Input: one flags octet
 * (fz_hk.h), then an ICMPv6 message (an RtSolPr from its Type octet); fz_sign() cuts it before
 * its first RSA Signature option and signs it with mn1's key, from mn1's CGA to ff02::2 (flags
 * bit 7: to ar1's link-local address), so that SEND validation can pass and the key
 * provisioning (Handover Key Request, A8-A10, AT resolution, encryption, the PrRtAdv) runs on
 * mutated options.  Then hk_ar_rtsolpr() with the oracles of fz_hk.h, including mn2 decrypting
 * the issued key.
 */
#include "fuzz.h"
#include "fz.h"
#include "fz_hk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_MAX_IN + 1024];

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	size_t n = fz_sign(fz_mn1(), fz_mn1_addr, data[0] & 0x80 ? fz_ar1_ll : fz_all_routers,
			   data + 1, size - 1, pkt, sizeof(pkt));
	if (n != 0)
		fz_ar_serve(pkt, n, data[0], true);
	return 0;
}
