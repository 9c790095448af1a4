/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential libFuzzer target for the FBU fast path (issue 14): wire_fbu_fast_decode()
 * against wire_decode_frame(), for both link types.  Wherever the fast decoder says "match",
 * the full decoder must say WIRE_OK / FBU with the same fields (fbu_diff_fields), and the MAC
 * input built in place must be the octets of wire_mac_input()'s segments, with the packet
 * restored byte for byte afterwards (fbu_diff_inplace).  Any disagreement aborts.
 * Seeds: tests/fuzz/corpus_fbu_diff (make_corpus_fbu_diff.py).
 */
#include <stdlib.h>
#include <string.h>

#include "fbu_diff.h"
#include "fuzz.h"
#include "wire.h"

static void one(const uint8_t *data, size_t size, enum wire_link link)
{
	static uint8_t copy[1 << 16];
	struct wire_fbu_fast ff;
	struct wire_frame f;

	if (!wire_fbu_fast_decode(data, size, link, &ff))
		return; /* no match: wire_decode_frame decides alone */
	wire_decode_frame(data, size, link, &f);
	if (fbu_diff_fields(data, link, &ff, &f) != 0)
		abort();
	/* every octet the fast view names lies inside the input */
	if ((size_t)ff.auth_off + ff.auth_len > size || (size_t)ff.mh_off + ff.mh_len > size)
		abort();
	if (size > sizeof(copy) || fbu_diff_inplace(data, copy, size, &ff, &f) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, WIRE_LINK_ETH);
	one(data, size, WIRE_LINK_RAW6);
	return 0;
}
