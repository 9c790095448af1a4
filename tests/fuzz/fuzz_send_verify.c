/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: send_verify() (RFC 3971 §5, A5-A7) on an arbitrary SEND message with the
 * CGA key taken from the message.  Input: one flags octet, then the ICMPv6 message.
 *
 *   bit 0  advertisement (PrRtAdv rules: ar1 -> mn1, nonce expected 1..14) else solicitation
 *          (RtSolPr rules: mn1 -> ar1 link-local)
 *   bit 1  signed variant: the message is cut before its first RSA Signature option and
 *          signed (fz_sign) with mn1's key (solicitation) or ar1's (advertisement), so that
 *          the code after the signature check runs
 *   bit 2  advertisement: ar1's certified key (else the CGA key only)
 *   bit 3  a replay cache, and the message verified a second time 10 s later
 *   bit 4  accept_nonce_only (A6)
 *   bit 5  no_cga_check (fmipctl's diagnostic mode)
 *   bit 6  Hop Limit 254
 *   bit 7  the source address is the next 16 input octets
 *
 * Oracles besides ASan/UBSan: OK means every costly step ran, the key is inside the size
 * limits and the nonce lies inside the message; a solicitation needs a nonce; a message this
 * target signed never fails the signature itself (SIG/SIG_SHORT would be a sign/verify
 * mismatch); a verified timestamped message repeated 10 s later is a replay, refused before
 * any CGA or RSA work (issue 13 item 6), and a refusal never writes the cache.
 */
#include <string.h>

#include "fuzz.h"
#include "fz.h"

static void oracles(const struct send_verify_req *req, const struct send_verify_res *res,
		    bool signed_variant)
{
	const struct send_cfg *cfg = fz_send_cfg();

	if (res->reason < 0 || res->reason >= SEND_R__COUNT)
		abort();
	if (signed_variant && (res->reason == SEND_R_SIG || res->reason == SEND_R_SIG_SHORT))
		abort();
	if (res->reason != SEND_R_OK)
		return;
	if (!(res->work & SEND_WORK_SIG) || res->key_bits < cfg->min_bits ||
	    res->key_bits > cfg->max_bits)
		abort();
	if (res->nonce != NULL)
		fz_inside(res->nonce, res->nonce_len, req->icmp, req->icmp_len);
	if (req->role == SEND_SOLICITATION && res->nonce == NULL)
		abort();
	if (!res->has_timestamp && !(req->role == SEND_SOLICITATION))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[FZ_MAX_IN + 1024];
	uint8_t src[16];
	struct send_verify_req req;
	struct send_verify_res res;
	struct send_cfg cfg = *fz_send_cfg();
	bool adv, sign;
	unsigned flags;

	if (size < 1 || size > FZ_MAX_IN)
		return 0;
	flags = data[0];
	data++, size--;
	adv = flags & 1;
	sign = flags & 2;
	memcpy(src, adv ? fz_ar1_ll : fz_mn1_addr, 16);
	if (flags & 0x80) {
		if (size < 16)
			return 0;
		memcpy(src, data, 16);
		data += 16, size -= 16;
	}
	const uint8_t *dst = adv ? fz_mn1_addr : fz_ar1_ll;
	uint8_t *msg;
	size_t len;
	if (sign) {
		size_t n =
		    fz_sign(adv ? fz_ar1() : fz_mn1(), src, dst, data, size, pkt, sizeof(pkt));
		if (n == 0)
			return 0;
		msg = fz_dup(pkt + WIRE_IPV6_HLEN, n - WIRE_IPV6_HLEN);
		len = n - WIRE_IPV6_HLEN;
	} else {
		msg = fz_dup(data, size);
		len = size;
	}

	cfg.accept_nonce_only = flags & 0x10;
	memset(&req, 0, sizeof(req));
	req.src = src;
	req.dst = dst;
	req.hop_limit = flags & 0x40 ? 254 : 255;
	req.icmp = msg;
	req.icmp_len = len;
	req.opts_off = 8;
	req.role = adv ? SEND_ADVERTISEMENT : SEND_SOLICITATION;
	if (adv && (flags & 4))
		req.certified = fz_ar1()->key;
	if (adv) {
		req.expect_nonce = fz_ref_nonce;
		req.expect_nonce_len = sizeof(fz_ref_nonce);
	}
	req.no_cga_check = flags & 0x20;
	req.now = FZ_NOW;
	if (flags & 8)
		req.replay = send_replay_new(&cfg);

	req.keep_key = true;
	memset(&res, 0x2a, sizeof(res)); /* output only: send_verify must not read it */
	send_verify(&cfg, &req, &res);
	oracles(&req, &res, sign);
	EVP_PKEY_free(res.key);
	if (req.replay != NULL) {
		size_t cached = send_replay_count(req.replay);
		if (cached != (size_t)(res.reason == SEND_R_OK && res.has_timestamp))
			abort(); /* only a verified message writes the cache */
		bool again = res.reason == SEND_R_OK && res.has_timestamp;
		req.now += FZ_TS(10);
		req.keep_key = false;
		send_verify(&cfg, &req, &res);
		if (again && (res.reason != SEND_R_TS_REPLAY || res.work != 0))
			abort();
		if (send_replay_count(req.replay) != cached)
			abort();
		send_replay_free(req.replay);
	}
	free(msg);
	return 0;
}
