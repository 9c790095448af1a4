/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential libFuzzer target for the plain-IPv6 fast shape (issue 11: the worker decodes
 * the frames it only forwards with wire_plain_decode()): against wire_decode_frame(), for both
 * link types (plain_diff.h: the same views where it says "plain", untouched and not the full
 * decoder's plain view where it says no).  Any disagreement aborts.
 * Seeds: tests/fuzz/corpus_plain_diff (make_corpus_plain_diff.py).
 */
#include <stdlib.h>

#include "fuzz.h"
#include "plain_diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (plain_diff(data, size, WIRE_LINK_ETH) != 0 ||
	    plain_diff(data, size, WIRE_LINK_RAW6) != 0)
		abort();
	return 0;
}
