/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the AR role, hk_ar_rtsolpr() on arbitrary RtSolPr bytes (RFC 5269 §3.2,
 * A6-A10, A19) with the test router key ar1.  Input: one flags octet (fz_hk.h), then an IPv6
 * packet; its ICMPv6 checksum is set right (fz_fix_csum) unless flags bit 7 is set, so that
 * mutations reach lib/send and lib/hk rather than stopping at lib/wire's checksum check.
 * Mutated signatures fail: fuzz_hk_rtsolpr_signed reaches the code behind them.
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
	fz_ar_serve(pkt, size - 1, data[0], false);
	free(pkt);
	return 0;
}
