/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the MN role, hk_mn_prrtadv() on arbitrary PrRtAdv bytes (RFC 5269 §3.3:
 * SEND validation with the router's certified key, nonce match, AT, decryption, storage).
 * Input: one flags octet (fz_hk.h), then an IPv6 packet; its ICMPv6 checksum is set right
 * unless flags bit 7 is set.  Mutated signatures fail: fuzz_hk_prrtadv_signed reaches the
 * code behind them.
 */
#include "fuzz.h"
#include "fz.h"
#include "fz_hk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	uint8_t *pkt = fz_dup(data + 1, size - 1);
	if (!(data[0] & 0x80))
		fz_fix_csum(pkt, size - 1, WIRE_LINK_RAW6);
	fz_mn_process(pkt, size - 1, data[0]);
	free(pkt);
	return 0;
}
