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
#include "wire.h"

struct out {
	size_t n;
	size_t newlines;
	bool json;
};

static void sink(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			o->newlines++;
		else if (o->json && (c < 0x20 || c >= 0x7f))
			abort(); /* JSON output must be escaped ASCII */
	}
	o->n += n;
}

static void in_input(const uint8_t *p, size_t n, const uint8_t *data, size_t size)
{
	if (n && (p < data || p + n > data + size))
		abort();
}

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
				in_input(in.seg[i].p, in.seg[i].len, data, size);
			total += in.seg[i].len;
		}
		in_input(in.auth, in.auth_len, data, size);
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
				in_input(tbs.seg[1].p, tbs.seg[1].len, data, size);
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
 * with its checksum set right (computed with lib/wire's own wire_l4_csum on a copy), which
 * lets mutations reach the message decoders and wire_send_* / wire_mac_input on "valid"
 * frames.
 */
static void fix_csum(uint8_t *buf, size_t len, enum wire_link link)
{
	struct wire_eth eth;
	struct wire_ip6 ip;
	size_t l2 = 0;

	if (link == WIRE_LINK_ETH) {
		if (wire_eth_decode(buf, len, &eth) != WIRE_OK)
			return;
		l2 = eth.hdr_len;
	}
	if (wire_ip6_decode(buf + l2, len - l2, &ip) != WIRE_OK || !ip.l4)
		return;
	size_t off = (size_t)(ip.l4 - buf);
	if (ip.proto == WIRE_NH_ICMPV6 && ip.l4_len >= 4) {
		uint16_t c = wire_l4_csum(ip.src, ip.dst, WIRE_NH_ICMPV6, ip.l4, ip.l4_len, 2);
		buf[off + 2] = (uint8_t)(c >> 8);
		buf[off + 3] = (uint8_t)c;
	} else if (ip.proto == WIRE_NH_MH && ip.l4_len >= 6) {
		/* A16: over the MH length the header claims, if it fits */
		size_t mh_len = 8 * ((size_t)ip.l4[1] + 1);
		if (mh_len > ip.l4_len)
			return;
		uint16_t c =
		    wire_l4_csum(ip.hao ? ip.hao : ip.src, ip.dst, WIRE_NH_MH, ip.l4, mh_len, 4);
		buf[off + 4] = (uint8_t)(c >> 8);
		buf[off + 5] = (uint8_t)c;
	}
}

static void one(const uint8_t *data, size_t size, enum describe_link link)
{
	const struct describe_annotator ann[] = { { "fuzz", annotate, NULL } };
	struct fmipctl_frame f;

	memset(&f, 0, sizeof(f));
	f.no = 1;
	f.data = data;
	f.len = size;
	f.orig_len = size;
	f.link = link;
	describe_decode(&f);
	oracles(&f, data, size);
	for (int json = 1; json >= 0; json--) {
		struct out o = { 0, 0, json };
		struct jw w;
		jw_init(&w, json, sink, &o);
		describe_frame(&w, &f, ann, 1);
		if (w.err || w.depth || o.newlines != 1)
			abort();
	}
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
		fix_csum(copy, size, wl);
		one(copy, size, wl == WIRE_LINK_ETH ? DESCRIBE_LINK_ETH : DESCRIBE_LINK_RAW6);
		free(copy);
	}
	return 0;
}
