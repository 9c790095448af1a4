/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Test helper for the Python interop test (tests/send/interop.py): lib/send's signer.
 *
 *   send_tool sign KEY.pem PARAMS SUBTYPE OUT     write one raw IPv6 RtSolPr (2) / PrRtAdv (3)
 *                                                 from the CGA of KEY/PARAMS to ff02::2 with
 *                                                 LLA, CGA, Timestamp, Nonce and RSA Signature
 *   send_tool verify IN SUBTYPE                   print send_reason_name() of send_verify() on a
 *                                                 raw IPv6 packet (nonce of a PrRtAdv taken as it
 *                                                 is) and exit 0 iff "ok"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "send.h"

static const uint8_t nonce[14] = { 0xa0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 };

static int sign(const char *key, const char *params, int subtype, const char *out)
{
	static const uint8_t dst[16] = { 0xff, 0x02, [15] = 2 };
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 1 };
	struct send_creds c;
	char err[256];
	uint8_t pkt[1500];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct send_sign_opts o = { .nonce = nonce, .nonce_len = sizeof(nonce) };
	int r;

	if ((r = send_creds_load(&c, key, params, NULL, err, sizeof(err))) != SEND_R_OK) {
		fprintf(stderr, "send_tool: %s\n", err);
		return 1;
	}
	size_t ip = wire_build_ip6(&w, c.addr, dst, WIRE_NH_ICMPV6, 255);
	size_t ic = wire_build_fmip(&w, (uint8_t)subtype, 0, 0x4321);
	wire_put_opt_lla(&w, WIRE_LLA_SOURCE, lla, sizeof(lla));
	send_put_opts(&w, &c, &o);
	r = send_sign_finish(&w, &c, ip, ic);
	send_creds_free(&c);
	if (r != SEND_R_OK) {
		fprintf(stderr, "send_tool: %s\n", send_strerror(r));
		return 1;
	}
	FILE *f = fopen(out, "wb");
	if (f == NULL || fwrite(pkt, 1, w.len, f) != w.len || fclose(f) != 0) {
		fprintf(stderr, "send_tool: %s: cannot write\n", out);
		return 1;
	}
	return 0;
}

static int verify(const char *in, int subtype)
{
	uint8_t pkt[2048];
	FILE *f = fopen(in, "rb");
	struct wire_frame wf;
	struct send_verify_req req;
	struct send_verify_res res;
	struct send_cfg cfg;
	struct wire_opt_nonce n;
	size_t len;

	if (f == NULL)
		return 2;
	len = fread(pkt, 1, sizeof(pkt), f);
	fclose(f);
	int e = wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &wf);
	if (e != WIRE_OK) {
		printf("wire: %s\n", wire_strerror(e));
		return 1;
	}
	send_cfg_default(&cfg);
	send_verify_req_from_frame(&req, &wf);
	if (subtype == WIRE_FMIP_PRRTADV) {
		struct wire_send_opts o;
		if (wire_send_opts_collect(&wf.icmp, 8, &o) == WIRE_OK && o.has_nonce &&
		    wire_opt_nonce_decode(&o.nonce, &n) == WIRE_OK) {
			req.expect_nonce = n.nonce;
			req.expect_nonce_len = n.nonce_len;
		}
	}
	int r = send_verify(&cfg, &req, &res);
	printf("%s\n", send_reason_name(r));
	return r == SEND_R_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "sign"))
		return sign(argv[2], argv[3], atoi(argv[4]), argv[5]);
	if (argc == 4 && !strcmp(argv[1], "verify"))
		return verify(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: send_tool sign KEY PARAMS SUBTYPE OUT | verify IN SUBTYPE\n");
	return 2;
}
