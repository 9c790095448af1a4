/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: `fmipctl decode --verify --trust-anchor TA --chain CHAIN --hk-enc-key KEY
 * --hk ADDR=HEXKEY[:AT]` on arbitrary frames: describe_decode() and describe_frame() with the
 * three extensions' annotators (app/fmipctl/decode_verify.c: lib/send verdicts and the PrRtAdv
 * signer through tests/fuzz/pki; decode_hkenc.c: RSA decryption of Handover Key Replies with
 * mn2; decode_mac.c: BADF verdicts with the vectors' AT 0 and AT 1 keys for the PCoA).  The
 * extensions are set up through their own option parsers, as the command line does.
 *
 * Each input is decoded as raw IPv6 and as Ethernet, and once more with its checksum set right
 * (a copy), as fuzz_decode does.  Oracles besides ASan/UBSan: those of fz_describe.h (balanced
 * writer, escaped one-line JSON, one-line text).  The --hk extension remembers NCoA -> PCoA
 * pairs from earlier FBUs (as over one capture), so an input's verdict can depend on the ones
 * before it; reproduce a finding with the inputs libFuzzer reports.
 */
#include <getopt.h>
#include <string.h>

#include "decode_ext.h"
#include "fuzz.h"
#include "fz.h"
#include "fz_describe.h"

static struct describe_annotator ann[3];

static void *opt(const struct decode_ext *e, void *ctx, const char *arg)
{
	if (e->parse(&ctx, arg) != 0)
		abort();
	return ctx;
}

static void init(void)
{
	void *v = NULL, *h = NULL, *k = NULL;
	static char ta[1024], chain[1024], mn2[1024]; /* decode_verify keeps the names */

	snprintf(ta, sizeof(ta), "%s", fz_path("pki/trust-anchor.pem"));
	snprintf(chain, sizeof(chain), "%s", fz_path("pki/router.chain.pem"));
	snprintf(mn2, sizeof(mn2), "%s/keys/mn2.key.pem", VECTORS_DIR);
	v = opt(&decode_ext_verify, v, NULL);
	(void)opt(&decode_ext_trust_anchor, NULL, ta);
	(void)opt(&decode_ext_chain, NULL, chain);
	h = opt(&decode_ext_hk_enc_key, h, mn2);
	/* the vectors' PCoA with the AT 0 and AT 1 keys (tests/vectors/reference.json) */
	k = opt(&decode_ext_hk, k,
		"2003::3049:deeb:fd31:70b0=000102030405060708090a0b0c0d0e0f10111213");
	k = opt(&decode_ext_hk, k,
		"2003::3049:deeb:fd31:70b0=202122232425262728292a2b2c2d2e2f"
		"303132333435363738393a3b3c3d3e3f:1");
	ann[0] = (struct describe_annotator){ "verify", decode_ext_verify.annotate, v };
	ann[1] = (struct describe_annotator){ "hk-enc-key", decode_ext_hk_enc_key.annotate, h };
	ann[2] = (struct describe_annotator){ "hk", decode_ext_hk.annotate, k };
}

static void one(const uint8_t *data, size_t size, enum describe_link link)
{
	struct fmipctl_frame f;

	fz_decode(&f, data, size, link);
	fz_render(&f, ann, 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FZ_MAX_IN)
		return 0;
	if (ann[0].annotate == NULL)
		init();
	uint8_t *copy = fz_dup(data, size);
	one(copy, size, DESCRIBE_LINK_RAW6);
	one(copy, size, DESCRIBE_LINK_ETH);
	enum wire_link wl = size && (data[0] >> 4) == 6 ? WIRE_LINK_RAW6 : WIRE_LINK_ETH;
	fz_fix_csum(copy, size, wl);
	one(copy, size, wl == WIRE_LINK_ETH ? DESCRIBE_LINK_ETH : DESCRIBE_LINK_RAW6);
	free(copy);
	return 0;
}
