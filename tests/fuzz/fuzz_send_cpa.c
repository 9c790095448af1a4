/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: a host's processing of arbitrary Certification Path Advertisements
 * (RFC 3971 §6.4.2, §6.4.6): send_cpa_process() collecting components into a path and
 * validating it (send_path_verify, RFC 3779).  Input: one flags octet, then records of a
 * 2-octet big-endian length and an ICMPv6 CPA message, fed in order to one client.
 *
 *   bits 0-1  served prefixes fz_served(0-3): none, 2003::/64, + fe80::/64, 3000::/64
 *   bit 2     the client's Identifier is 0 (accepts only all-nodes answers) else 0x1234
 *   bit 3     the vectors' MD5 anchor instead of tests/fuzz/pki's
 *   bit 4     frames: each CPA inside an IPv6 packet from ar1's link-local address, Hop Limit
 *             255, checksum fixed, through wire_decode_frame and send_cpa_process_frame
 *
 * Oracles besides ASan/UBSan: when the client reports a validated path, it holds the router
 * certificate and its chain, and that path verifies again and covers the served prefixes.
 */
#include <string.h>

#include <openssl/err.h>

#include "fuzz.h"
#include "fz.h"

static int one(struct send_cpa_client *c, const uint8_t *m, size_t len, bool frame,
	       const struct send_prefix *served, unsigned n_served)
{
	static uint8_t pkt[FZ_MAX_IN + 64];
	int r;

	if (!frame) {
		uint8_t *copy = fz_dup(m, len);
		r = send_cpa_process(c, copy, len, served, n_served);
		free(copy);
		return r;
	}
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	struct wire_frame f;
	size_t ip6 = wire_build_ip6(&w, fz_ar1_ll, all_nodes, WIRE_NH_ICMPV6, 255);

	wire_put_bytes(&w, m, len);
	if (w.err != WIRE_OK || wire_ip6_finish(&w, ip6) != WIRE_OK)
		return SEND_R_NOSPACE;
	fz_fix_csum(pkt, w.len, WIRE_LINK_RAW6);
	uint8_t *copy = fz_dup(pkt, w.len);
	(void)wire_decode_frame(copy, w.len, WIRE_LINK_RAW6, &f);
	r = send_cpa_process_frame(c, &f, served, n_served); /* refuses non-CPA */
	free(copy);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct send_prefix served[2];
	struct send_cpa_client c;
	unsigned flags, n_served;
	const struct send_trust *t;

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	flags = data[0];
	data++, size--;
	n_served = fz_served(flags & 3, served);
	t = flags & 8 ? fz_trust_md5() : fz_trust();
	send_cpa_client_init(&c, t, flags & 4 ? 0 : FZ_REF_IDENTIFIER);

	while (size >= 2) {
		size_t len = wire_be16(data);
		data += 2, size -= 2;
		if (len > size)
			len = size;
		int r = one(&c, data, len, flags & 0x10, served, n_served);
		data += len, size -= len;
		if (r < 0 || r >= SEND_R__COUNT)
			abort();
		if (r != SEND_R_OK)
			continue;
		if (c.router == NULL || c.path == NULL ||
		    send_path_verify(t, c.router, c.path, served, n_served) != SEND_R_OK ||
		    !send_cert_covers(c.router, served, n_served))
			abort();
	}
	send_cpa_client_reset(&c);
	/* OpenSSL's error queue keeps what a refused certificate left (allocated strings): emptied
	 * so that every input frees what it allocated — else libFuzzer takes each for a possible
	 * leak and runs a full LeakSanitizer scan after it (~80 % of the time, 1,220 -> 7,100
	 * exec/s; docs/fuzzing.md). */
	ERR_clear_error();
	return 0;
}
