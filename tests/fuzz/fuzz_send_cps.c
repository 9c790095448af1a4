/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the router's answer to an arbitrary Certification Path Solicitation
 * (RFC 3971 §6.4.1, §6.4.2, §6.4.5).  Input: one flags octet, then the ICMPv6 CPS message.
 * The server is ar1 with the path of tests/fuzz/pki (router certificate, intermediate) and
 * that trust anchor; its rate-limit state starts fresh for every input.
 *
 *   bits 0-1  requester: 0 fe80::1, 1 :: (unspecified), 2 2003::1 (global), 3 none
 *             (an unsolicited advertisement)
 *   bit 2     the CPS as a decoded frame (IPv6 header + fixed checksum, wire_decode_frame,
 *             send_cpa_answer_frame) instead of raw octets (send_cpa_answer)
 *   bit 3     Hop Limit 254 (frame mode)
 *   bit 4     eleven CPSs in the same second: the rate limit (MAX_CPA_RATE) is reached
 *
 * Oracles besides ASan/UBSan: every packet of the answer decodes as a CPA with a correct
 * checksum, Hop Limit 255, from the router's address to out->dst with out->identifier; when
 * the path was found and every component was sent, a host (send_cpa_client with the same
 * anchor) that processes the answer validates the router's certificate.
 */
#include <string.h>

#include "fuzz.h"
#include "fz.h"

static const uint8_t req_ll[16] = { 0xfe, 0x80, [15] = 1 };
static const uint8_t req_global[16] = { 0x20, 0x03, [15] = 1 };
static const uint8_t unspec[16];

/* Answers whose path a host has validated already (FNV-1a 64 of every octet of out and its
 * fields): the validation (d2i_X509, X509_verify_cert, RSA) is a pure function of them, and
 * redoing it for the same answer — nearly every input's — took most of the time (~900 exec/s).
 * Every answer is still decoded and checked in full. */
#define SEEN 64
static uint64_t seen[SEEN];
static unsigned n_seen, next; /* how many are in seen[], where the next goes */

static uint64_t fnv64(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const uint8_t *)p)[i]) * 1099511628211ull;
	return h;
}

static bool answer_seen(const struct send_cpa_out *out)
{
	uint64_t h = 14695981039346656037ull;

	h = fnv64(h, &out->n, sizeof(out->n));
	h = fnv64(h, &out->path_found, sizeof(out->path_found));
	h = fnv64(h, &out->identifier, sizeof(out->identifier));
	h = fnv64(h, out->dst, sizeof(out->dst));
	for (unsigned i = 0; i < out->n; i++) {
		h = fnv64(h, &out->len[i], sizeof(out->len[i]));
		h = fnv64(h, out->pkt[i], out->len[i]);
	}
	for (unsigned i = 0; i < n_seen; i++)
		if (seen[i] == h)
			return true;
	seen[next] = h;
	next = (next + 1) % SEEN;
	if (n_seen < SEEN)
		n_seen++;
	return false;
}

static void check_answer(const struct send_cpa_out *out)
{
	struct send_cpa_client c;
	struct wire_frame f;
	int r = SEND_R_INCOMPLETE;
	unsigned all = 0;

	for (unsigned i = 0; i < out->n; i++) {
		if (out->len[i] > sizeof(out->pkt[i]) ||
		    wire_decode_frame(out->pkt[i], out->len[i], WIRE_LINK_RAW6, &f) != WIRE_OK ||
		    f.msg != WIRE_MSG_CPA || f.ip.hlim != 255 ||
		    memcmp(f.ip.src, fz_ar1_ll, 16) != 0 || memcmp(f.ip.dst, out->dst, 16) != 0 ||
		    f.nd.cpa.identifier != out->identifier)
			abort();
	}
	if (answer_seen(out))
		return;
	send_cpa_client_init(&c, fz_trust(), out->identifier);
	for (unsigned i = 0; i < out->n; i++) {
		(void)wire_decode_frame(out->pkt[i], out->len[i], WIRE_LINK_RAW6, &f);
		all = f.nd.cpa.all_components;
		r = send_cpa_process_frame(&c, &f, NULL, 0);
	}
	if (out->path_found && out->n > 0 && out->n == all && r != SEND_R_OK)
		abort();
	send_cpa_client_reset(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_MAX_IN + 64];
	static struct send_cpa_out out;
	struct send_cpa_server s;
	const uint8_t *src;
	unsigned flags;
	int r = SEND_R_OK;

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	flags = data[0];
	data++, size--;
	switch (flags & 3) {
	case 0:
		src = req_ll;
		break;
	case 1:
		src = unspec;
		break;
	case 2:
		src = req_global;
		break;
	default:
		src = NULL;
	}
	memset(&s, 0, sizeof(s));
	s.creds = fz_ar1();
	s.anchor = send_trust_get(fz_trust(), 0);
	memcpy(s.src, fz_ar1_ll, 16);

	for (unsigned k = 0; k < (flags & 0x10 ? 11u : 1u); k++) {
		if ((flags & 4) && src != NULL) {
			struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
			struct wire_frame f;
			size_t ip6 = wire_build_ip6(&w, src, fz_all_routers, WIRE_NH_ICMPV6,
						    flags & 8 ? 254 : 255);
			wire_put_bytes(&w, data, size);
			if (w.err != WIRE_OK || wire_ip6_finish(&w, ip6) != WIRE_OK)
				return 0;
			fz_fix_csum(pkt, w.len, WIRE_LINK_RAW6);
			uint8_t *copy = fz_dup(pkt, w.len);
			(void)wire_decode_frame(copy, w.len, WIRE_LINK_RAW6, &f);
			r = send_cpa_answer_frame(&s, &f, FZ_NOW, &out); /* refuses non-CPS */
			free(copy);
		} else {
			uint8_t *copy = fz_dup(data, size);
			r = send_cpa_answer(&s, src, copy, size, FZ_NOW, &out);
			free(copy);
		}
		if (r < 0 || r >= SEND_R__COUNT)
			abort();
		if (r == SEND_R_OK)
			check_answer(&out);
	}
	return 0;
}
