/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: cga_verify() (RFC 3972 §5) on arbitrary parameters and address, and the
 * public-key parsers on the key the parameters carry.  Input: one flags octet, the 16-octet
 * address, then the CGA Parameters.
 *
 *   bit 0  fix-up: the address is rewritten to the one the parameters produce at Sec 0
 *          (subnet prefix, Hash1 into the interface identifier, Sec bits 0), so that
 *          mutations of the parameters reach steps 5-7 and the key parsers
 *   bit 1  with bit 0: keep the input's Sec bits (steps 5 and 7 get real work)
 *
 * Oracles besides ASan/UBSan: the failing step agrees with the error (cga_err_step); the key
 * view lies inside the parameters; with the fix-up and Sec 0 an address whose parameters
 * decode with a collision count of at most 2 verifies; a verified CGA has the Sec of its
 * address and Hash1 in its interface identifier; the fast key parser (cga_pubkey_parse)
 * never accepts a key that OpenSSL's generic d2i_PUBKEY refuses or reads differently.
 */
#include <string.h>

#include <openssl/err.h>

#include "cga.h"
#include "fuzz.h"
#include "fz.h"

static void keys_agree(const uint8_t *der, size_t len)
{
	size_t used_fast = 0, used_gen = 0;
	EVP_PKEY *fast = cga_pubkey_parse(der, len, &used_fast);
	EVP_PKEY *gen;

	if (fast == NULL) {
		ERR_clear_error();
		return;
	}
	gen = cga_pubkey_parse_generic(der, len, &used_gen);
	if (gen == NULL || EVP_PKEY_eq(fast, gen) != 1 || used_fast != used_gen)
		abort();
	EVP_PKEY_free(fast);
	EVP_PKEY_free(gen);
	ERR_clear_error();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cga_info info;
	struct wire_cga_params v;
	uint8_t addr[16], h1[8];
	unsigned flags;
	bool fixed = false;

	if (size < 17 || size > FZ_MAX_IN)
		return 0;
	flags = data[0];
	memcpy(addr, data + 1, 16);
	uint8_t *params = fz_dup(data + 17, size - 17);
	size_t len = size - 17;

	bool decodes = wire_cga_params_decode(params, len, &v) == WIRE_OK;
	if ((flags & 1) && decodes && cga_hash1(params, len, h1) == CGA_OK) {
		uint8_t sec = flags & 2 ? (uint8_t)(addr[8] & 0xe0) : 0;
		memcpy(addr, v.prefix, 8);
		memcpy(addr + 8, h1, 8);
		addr[8] = (uint8_t)(sec | (h1[0] & 0x1c) | (addr[8] & 0x03));
		fixed = sec == 0;
	}
	int r = cga_verify(addr, params, len, &info);
	if (r < 0 || r >= CGA_E__COUNT || info.step != cga_err_step(r))
		abort();
	if (info.pubkey != NULL)
		fz_inside(info.pubkey, info.pubkey_len, params, len);
	if (fixed && v.collision_count <= 2 && r != CGA_OK)
		abort();
	if (r == CGA_OK) {
		if (info.sec != cga_addr_sec(addr) || info.sec > CGA_SEC_MAX ||
		    cga_hash1(params, len, h1) != CGA_OK || memcmp(h1 + 1, addr + 9, 7) != 0)
			abort();
		uint8_t kh[16];
		if (cga_key_hash(info.pubkey, info.pubkey_len, kh) != CGA_OK)
			abort();
	}
	if (decodes)
		keys_agree(v.pubkey, v.pubkey_len);
	free(params);
	return 0;
}
