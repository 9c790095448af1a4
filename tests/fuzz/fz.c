/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fz: credentials, checksum fix-up and the signing helper shared by the targets. */
#include "fz.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

const uint8_t fz_mn1_addr[16] = {
	0x20, 0x03, [8] = 0x30, 0x49, 0xde, 0xeb, 0xfd, 0x31, 0x70, 0xb0
};
const uint8_t fz_ar1_ll[16] = { 0xfe, 0x80, [8] = 0x20, 0xa7, 0x89, 0x5c, 0x23, 0x02, 0x73, 0xf1 };
const uint8_t fz_all_routers[16] = { 0xff, 0x02, [15] = 2 };
const uint8_t fz_seal_key[32] = { 0x5e, 0xa1, [31] = 0x01 };
const uint8_t fz_ref_nonce[14] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

static void die(const char *what, const char *path)
{
	fprintf(stderr, "fuzz set-up: %s: %s\n", path, what);
	abort();
}

const char *fz_path(const char *rel)
{
	static char buf[8][1024];
	static unsigned next;
	char *p = buf[next++ % 8];

	snprintf(p, sizeof(buf[0]), "%s/%s", FUZZ_DIR, rel);
	return p;
}

EVP_PKEY *fz_key(const char *name)
{
	static struct {
		char name[64];
		EVP_PKEY *k;
	} cache[8];
	char path[1024];
	unsigned i;

	for (i = 0; i < 8 && cache[i].k; i++)
		if (strcmp(cache[i].name, name) == 0)
			return cache[i].k;
	if (i == 8)
		die("too many keys", name);
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		die("cannot open", path);
	cache[i].k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (cache[i].k == NULL)
		die("not a PEM private key", path);
	snprintf(cache[i].name, sizeof(cache[i].name), "%s", name);
	return cache[i].k;
}

X509 *fz_pki_cert(const char *name)
{
	static struct {
		char name[64];
		X509 *x;
	} cache[8];
	unsigned i;

	for (i = 0; i < 8 && cache[i].x; i++)
		if (strcmp(cache[i].name, name) == 0)
			return cache[i].x;
	if (i == 8)
		die("too many certificates", name);
	FILE *f = fopen(fz_path(name), "r");
	if (f == NULL)
		die("cannot open", fz_path(name));
	cache[i].x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (cache[i].x == NULL)
		die("not a PEM certificate", name);
	snprintf(cache[i].name, sizeof(cache[i].name), "%s", name);
	return cache[i].x;
}

static void creds(struct send_creds *c, const char *key, const char *params, const char *chain)
{
	char err[256];
	if (send_creds_load(c, key, params, chain, err, sizeof(err)) != SEND_R_OK)
		die(err, key);
}

const struct send_creds *fz_mn1(void)
{
	static struct send_creds c;
	if (c.key == NULL) {
		creds(&c, VECTORS_DIR "/keys/mn1.key.pem", VECTORS_DIR "/keys/mn1.cga.params",
		      NULL);
		if (memcmp(c.addr, fz_mn1_addr, 16) != 0)
			die("mn1's CGA is not the published one", "mn1.cga.params");
	}
	return &c;
}

const struct send_creds *fz_ar1(void)
{
	static struct send_creds c;
	if (c.key == NULL) {
		creds(&c, VECTORS_DIR "/keys/ar1.key.pem", fz_path("pki/ar1.cga.params"),
		      fz_path("pki/router.chain.pem"));
		if (memcmp(c.addr, fz_ar1_ll, 16) != 0)
			die("ar1's CGA is not the published one", "pki/ar1.cga.params");
	}
	return &c;
}

static struct send_trust *trust_of(const char *path)
{
	char err[256];
	struct send_trust *t = send_trust_load(path, err, sizeof(err));
	if (t == NULL)
		die(err, path);
	return t;
}

const struct send_trust *fz_trust(void)
{
	static struct send_trust *t;
	if (t == NULL)
		t = trust_of(fz_path("pki/trust-anchor.pem"));
	return t;
}

const struct send_trust *fz_trust_md5(void)
{
	static struct send_trust *t;
	if (t == NULL)
		t = trust_of(VECTORS_DIR "/keys/ca.cert_ipext.pem");
	return t;
}

const struct send_cfg *fz_send_cfg(void)
{
	static struct send_cfg c;
	static int done;
	if (!done) {
		send_cfg_default(&c);
		done = 1;
	}
	return &c;
}

unsigned fz_served(unsigned sel, struct send_prefix p[2])
{
	static const struct send_prefix set[8][2] = {
		[1] = { { { 0x20, 0x03 }, 64 } },
		[2] = { { { 0x20, 0x03 }, 64 }, { { 0xfe, 0x80 }, 64 } },
		[3] = { { { 0x30 }, 64 } },
		[4] = { { { 0x20, 0x03, [7] = 1 }, 64 } },
		[5] = { { { 0x20, 0x03 }, 16 } },
		[6] = { { { 0x20, 0x03, [15] = 1 }, 128 } },
		[7] = { { { 0 }, 0 } },
	};
	static const unsigned count[8] = { 0, 1, 2, 1, 1, 1, 1, 1 };

	memcpy(p, set[sel & 7], sizeof(set[0]));
	return count[sel & 7];
}

uint8_t *fz_dup(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	if (c == NULL)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

void fz_fix_csum(uint8_t *buf, size_t len, enum wire_link link)
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

size_t fz_sign(const struct send_creds *c, const uint8_t src[16], const uint8_t dst[16],
	       const uint8_t *msg, size_t len, uint8_t *out, size_t cap)
{
	struct wire_icmp6 icmp = { msg, len, 0, 0, 0 };
	struct wire_send_opts so;
	struct wire_buf w = wire_buf_make(out, cap);
	size_t cut = len, ip6, off;

	if (len < 8)
		return 0;
	icmp.type = msg[0];
	icmp.code = msg[1];
	/* the options start at 8 (RtSolPr, PrRtAdv, CPS) or 12 (CPA) */
	off = msg[0] == WIRE_ICMP6_CPA ? 12 : 8;
	/* a message whose option walk fails is not signed: the appended signature could be read
	 * as part of the broken option, and verification refuses the walk first anyway */
	if (off > len || wire_send_opts_collect(&icmp, off, &so) != WIRE_OK)
		return 0;
	if (so.has_rsasig)
		cut = so.sig_off;
	ip6 = wire_build_ip6(&w, src, dst, WIRE_NH_ICMPV6, 255);
	wire_put_bytes(&w, msg, cut);
	if (send_sign_finish(&w, c, ip6, ip6 + WIRE_IPV6_HLEN) != SEND_R_OK)
		return 0;
	return w.len;
}
