/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: lib/seal's reader, seal_unseal() on an arbitrary file (the input is the
 * file) with the target's KEK and label FZ_SEAL_LABEL.  Mutations fail the GCM tag unless
 * they leave the file as it was; what they reach is the header parser and its refusals.
 *
 * Oracles besides ASan/UBSan: a refusal hands back no buffer; an opened file is exactly
 * header + plaintext + tag long, and its plaintext sealed again opens to the same octets;
 * the same file under another label is FOREIGN (or refused earlier), never opened.
 */
#include <string.h>

#include "fuzz.h"
#include "fz.h"
#include "seal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seal_kek *kek;
	uint8_t *out = (uint8_t *)1, *file, *again;
	size_t len, flen, alen;

	if (size > FZ_MAX_IN)
		return 0;
	if (kek == NULL && seal_kek_from_bytes(fz_seal_key, &kek) != SEAL_OK)
		abort();
	uint8_t *copy = fz_dup(data, size);
	int r = seal_unseal(kek, FZ_SEAL_LABEL, copy, size, &out, &len, NULL);
	if (r < 0 || r >= SEAL_E__COUNT || (r != SEAL_OK && out != NULL))
		abort();
	if (r == SEAL_OK) {
		if (size != SEAL_HDR_FIXED + strlen(FZ_SEAL_LABEL) + len + SEAL_TAG_LEN ||
		    seal_seal(kek, FZ_SEAL_LABEL, out, len, 1, &file, &flen) != SEAL_OK ||
		    seal_unseal(kek, FZ_SEAL_LABEL, file, flen, &again, &alen, NULL) != SEAL_OK ||
		    alen != len || (len && memcmp(again, out, len) != 0))
			abort();
		seal_buf_free(again, alen);
		seal_buf_free(file, flen);
		seal_buf_free(out, len);
		if (seal_unseal(kek, FZ_SEAL_LABEL "x", copy, size, &out, &len, NULL) == SEAL_OK)
			abort();
	}
	free(copy);
	return 0;
}
