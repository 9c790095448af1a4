/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the classify-and-decode entry point (wire_decode_frame) for both wire link
 * types (and the cooked Linux headers fmipctl strips), then fmipctl's describe_frame(), which
 * runs every ND option decoder, wire_cga_params_decode, the MH option walk,
 * wire_send_opts_collect + wire_send_tbs and wire_mac_input — in JSON and text renderings.
 *
 * Oracles besides ASan/UBSan: the writer ends balanced and without error, its JSON output is
 * printable ASCII with exactly one trailing newline, and every segment of the SEND signed data
 * and of the BADF MAC input lies inside the input and is copied out (so ASan sees every octet
 * the MAC would read).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"
#include "fuzz.h"
#include "fz.h"
#include "fz_describe.h"
#include "wire.h"

/* A hook user, as `--verify` / `--hk` will be: writes one key per frame. */
static void annotate(const struct fmipctl_frame *f, struct jw *w, void *ctx)
{
	(void)ctx;
	jw_key(w, "fuzz");
	jw_obj_begin(w);
	jw_kv_bool(w, "ok", f->wf.err == WIRE_OK);
	jw_obj_end(w);
}

static void oracles(const struct fmipctl_frame *f, const uint8_t *data, size_t size)
{
	const struct wire_frame *wf = &f->wf;
	static uint8_t scratch[70000];

	if ((wf->msg == WIRE_MSG_FBU || wf->msg == WIRE_MSG_FBACK) && wf->mh.badf.present &&
	    wf->err == WIRE_OK) {
		struct wire_mac_input in;
		if (wire_mac_input(&wf->ip, &wf->mh, &in) != WIRE_OK)
			abort(); /* a decoded FBU/FBack always has a MAC input */
		uint32_t total = 0;
		for (unsigned i = 0; i < in.n; i++) {
			if (i != 3) /* segment 3 is the zeroed checksum, a constant */
				fz_inside(in.seg[i].p, in.seg[i].len, data, size);
			total += in.seg[i].len;
		}
		fz_inside(in.auth, in.auth_len, data, size);
		if (total != in.total ||
		    wire_segs_copy(in.seg, in.n, scratch, sizeof(scratch)) != total)
			abort();
	}
	if (wf->icmp.p && wf->err == WIRE_OK &&
	    (wf->msg == WIRE_MSG_RTSOLPR || wf->msg == WIRE_MSG_PRRTADV ||
	     wf->msg == WIRE_MSG_CPS || wf->msg == WIRE_MSG_CPA)) {
		struct wire_send_opts s;
		struct wire_send_tbs tbs;
		size_t off = wf->msg == WIRE_MSG_CPA ? 12 : 8;
		if (wire_send_opts_collect(&wf->icmp, off, &s) == WIRE_OK && s.has_rsasig) {
			if (s.sig_off > wf->icmp.len)
				abort();
			if (wire_send_tbs(wf->ip.src, wf->ip.dst, wf->icmp.p, s.sig_off, &tbs) ==
			    WIRE_OK) {
				fz_inside(tbs.seg[1].p, tbs.seg[1].len, data, size);
				if (wire_segs_copy(tbs.seg, 2, scratch, sizeof(scratch)) !=
				    (size_t)tbs.seg[0].len + tbs.seg[1].len)
					abort();
			}
		}
	}
}

/*
 * Mutated frames nearly always have a wrong ICMPv6/MH checksum, and wire_decode_frame() does
 * not decode an ICMPv6 message body past a bad checksum.  So each input is also decoded once
 * with its checksum set right (fz_fix_csum, with lib/wire's own wire_l4_csum, on a copy),
 * which lets mutations reach the message decoders and wire_send_* / wire_mac_input on "valid"
 * frames.
 */
static void one(const uint8_t *data, size_t size, enum describe_link link)
{
	const struct describe_annotator ann[] = { { "fuzz", annotate, NULL } };
	struct fmipctl_frame f;

	fz_decode(&f, data, size, link);
	oracles(&f, data, size);
	fz_render(&f, ann, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum describe_link links[] = { DESCRIBE_LINK_ETH, DESCRIBE_LINK_RAW6,
						    DESCRIBE_LINK_SLL, DESCRIBE_LINK_SLL2 };

	for (unsigned i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		/* the cooked headers are a few lines: fuzz them on short inputs only */
		if (links[i] >= DESCRIBE_LINK_SLL && (size == 0 || size > 64 || (data[0] & 1) == 0))
			continue;
		one(data, size, links[i]);
	}
	/* the same octets with the checksum made right, as raw IPv6 when the first nibble is 6,
	 * else as Ethernet (an exact-size heap copy, so that ASan sees over-reads) */
	if (size > 0 && size <= 65536) {
		uint8_t *copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		enum wire_link wl = (data[0] >> 4) == 6 ? WIRE_LINK_RAW6 : WIRE_LINK_ETH;
		fz_fix_csum(copy, size, wl);
		one(copy, size, wl == WIRE_LINK_ETH ? DESCRIBE_LINK_ETH : DESCRIBE_LINK_RAW6);
		free(copy);
	}
	return 0;
}
