/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the MN role behind the signature check.  Input: one flags octet
 * (fz_hk.h), then an ICMPv6 message (a PrRtAdv from its Type octet); fz_sign() cuts it before
 * its first RSA Signature option and signs it with the router test key ar1, from ar1's
 * link-local CGA to mn1, so that validation with the certified key can pass and the nonce
 * match, the Handover Key Reply, the AT check, the RSA decryption (mn2) and the key store run
 * on mutated options.  Then hk_mn_prrtadv() with the oracles of fz_hk.h.
 */
#include "fuzz.h"
#include "fz.h"
#include "fz_hk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_MAX_IN + 1024];

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	size_t n = fz_sign(fz_ar1(), fz_ar1_ll, fz_mn1_addr, data + 1, size - 1, pkt, sizeof(pkt));
	if (n != 0)
		fz_mn_process(pkt, n, data[0]);
	return 0;
}
