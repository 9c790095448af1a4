/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Certification paths (RFC 3971 §6, RFC 3779) and CPS/CPA, with credentials made at test time by
 * conf/make-credentials.sh (the openssl command line) in a temporary directory, and the
 * published sendd chain (MD5, tests/vectors/keys) that must be refused.
 *
 * argv[1] = conf/make-credentials.sh, argv[2] = the fmipctl binary.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "send.h"

#define KEYS VECTORS_DIR "/keys/"

static const char *script, *fmipctl;
static char tmp[256];
static const uint64_t S = 1u << 16;

static void run_script(const char *dir, const char *args)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "'%s' --out '%s/%s' --fmipctl '%s' %s >/dev/null", script, tmp,
		 dir, fmipctl, args);
	if (system(cmd) != 0)
		fail_msg("%s failed", cmd);
}

static char *path(const char *dir, const char *file)
{
	static char buf[4][512];
	static int k;
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s/%s", tmp, dir, file);
	return buf[k];
}

static struct send_prefix pfx(const char *s, unsigned len)
{
	struct send_prefix p = { .len = (uint8_t)len };
	assert_int_equal(inet_pton(AF_INET6, s, p.addr), 1);
	return p;
}

static struct send_trust *trust(const char *dir)
{
	char err[256];
	struct send_trust *t = send_trust_load(path(dir, "trust-anchor.pem"), err, sizeof(err));
	assert_non_null(t);
	return t;
}

static void creds(struct send_creds *c, const char *dir)
{
	char err[256];
	int r = send_creds_load(c, path(dir, "router.key.pem"), path(dir, "router.cga.params"),
				path(dir, "router.chain.pem"), err, sizeof(err));
	if (r != SEND_R_OK)
		fail_msg("%s: %s", send_strerror(r), err);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/fmipgw-cert-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	/* a: valid; b: another trust anchor; c: router prefix outside its CA's block (same
	 * anchor as a); d: router certificate without RFC 3779 blocks (same anchor) */
	run_script("a", "--prefix 2001:db8:1:2::/64 --ca-prefix 2001:db8:1::/48 --days 2 "
			"--bits 1024");
	run_script("b", "--prefix 2001:db8:1:2::/64 --bits 1024 --name other");
	char reuse[400];
	snprintf(
	    reuse, sizeof(reuse),
	    "--prefix 2001:db8:2:2::/64 --ca-prefix 2001:db8:1::/48 --bits 1024 --reuse-ta %s/a",
	    tmp);
	run_script("c", reuse);
	snprintf(reuse, sizeof(reuse),
		 "--prefix 2001:db8:1:2::/64 --ca-prefix 2001:db8:1::/48 --bits 1024 --no-ipaddr "
		 "--reuse-ta %s/a",
		 tmp);
	run_script("d", reuse);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* What the script made: key 0600, CGA that verifies, chain that loads with the key. */
static void test_script_output(void **state)
{
	struct stat st;
	struct send_creds c;
	char line[128] = { 0 };
	uint8_t a[16];

	(void)state;
	assert_int_equal(stat(path("a", "router.key.pem"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	creds(&c, "a");
	FILE *f = fopen(path("a", "router.cga"), "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	line[strcspn(line, "\n")] = 0;
	assert_int_equal(inet_pton(AF_INET6, line, a), 1);
	assert_memory_equal(a, c.addr, 16);
	assert_int_equal(a[0], 0xfe);
	assert_int_equal(a[1], 0x80);
	assert_int_equal(cga_addr_sec(a), 1);
	assert_int_equal(cga_verify(a, c.params, c.params_len, NULL), CGA_OK);
	assert_non_null(c.cert);
	assert_int_equal(sk_X509_num(c.chain), 1);
	send_creds_free(&c);
	/* a chain whose certificate is not the key's is refused */
	char err[256];
	assert_int_equal(send_creds_load(&c, path("a", "router.key.pem"), NULL,
					 path("b", "router.chain.pem"), err, sizeof(err)),
			 SEND_R_NOT_CERTIFIED);
}

static void test_paths(void **state)
{
	struct send_trust *ta = trust("a"), *tb = trust("b");
	struct send_creds c, cc, cd;
	struct send_prefix served = pfx("2001:db8:1:2::", 64);
	time_t now = time(NULL);

	(void)state;
	creds(&c, "a");
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &served, 1), SEND_R_OK);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, NULL, 0), SEND_R_OK);
	/* served prefixes: inside (a longer prefix) ok; a sibling or a shorter one not */
	struct send_prefix inside = pfx("2001:db8:1:2:8000::", 65);
	struct send_prefix sibling = pfx("2001:db8:1:3::", 64);
	struct send_prefix wider = pfx("2001:db8:1::", 48);
	struct send_prefix two[2] = { served, sibling };
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &inside, 1), SEND_R_OK);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &sibling, 1), SEND_R_CERT_PREFIX);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &wider, 1), SEND_R_CERT_PREFIX);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, two, 2), SEND_R_CERT_PREFIX);
	/* expired (valid 2 days) and not yet valid */
	send_trust_set_time(ta, now + 3 * 86400);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &served, 1), SEND_R_CERT_EXPIRED);
	send_trust_set_time(ta, now - 86400);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &served, 1), SEND_R_CERT_EXPIRED);
	send_trust_set_time(ta, now + 86400);
	assert_int_equal(send_path_verify(ta, c.cert, c.chain, &served, 1), SEND_R_OK);
	send_trust_set_time(ta, 0);
	/* wrong anchor; missing intermediate */
	assert_int_equal(send_path_verify(tb, c.cert, c.chain, &served, 1), SEND_R_CERT_UNTRUSTED);
	assert_int_equal(send_path_verify(ta, c.cert, NULL, &served, 1), SEND_R_CERT_UNTRUSTED);
	/* router block 2001:db8:2:2::/64 outside its CA's 2001:db8:1::/48 */
	creds(&cc, "c");
	struct send_prefix served_c = pfx("2001:db8:2:2::", 64);
	assert_int_equal(send_path_verify(ta, cc.cert, cc.chain, &served_c, 1),
			 SEND_R_CERT_RESOURCES);
	/* no RFC 3779 extension on the router certificate */
	creds(&cd, "d");
	assert_int_equal(send_path_verify(ta, cd.cert, cd.chain, NULL, 0), SEND_R_CERT_NO_IPADDR);
	assert_false(send_cert_covers(cd.cert, &served, 1));
	send_creds_free(&c);
	send_creds_free(&cc);
	send_creds_free(&cd);
	send_trust_free(ta);
	send_trust_free(tb);
}

static X509 *read_cert(const char *file)
{
	BIO *b = BIO_new_file(file, "r");
	X509 *x;
	assert_non_null(b);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(x);
	return x;
}

/* The published sendd chain (ca -> lvl1 -> ar1, md5WithRSA, 2005-2006) is refused. */
static void test_sendd_md5_chain(void **state)
{
	struct send_trust *t = send_trust_new();
	X509 *ca = read_cert(KEYS "ca.cert_ipext.pem"),
	     *lvl1 = read_cert(KEYS "lvl1.cert_ipext.pem"),
	     *ar1 = read_cert(KEYS "ar1.cert_ipext.pem");
	STACK_OF(X509) *chain = sk_X509_new_null();
	struct send_prefix p2003 = pfx("2003::", 64), p2004 = pfx("2004::", 64);

	(void)state;
	assert_int_equal(send_trust_add(t, ca), SEND_R_OK);
	sk_X509_push(chain, lvl1);
	/* its RFC 3779 block parses: 2003::/64 (PROTOCOL.md 2.6) */
	assert_true(send_cert_covers(ar1, &p2003, 1));
	assert_false(send_cert_covers(ar1, &p2004, 1));
	/* refused for MD5, also inside its validity period */
	assert_int_equal(send_path_verify(t, ar1, chain, &p2003, 1), SEND_R_CERT_WEAK);
	send_trust_set_time(t, 1120000000); /* 2005-06-29 */
	assert_int_equal(send_path_verify(t, ar1, chain, &p2003, 1), SEND_R_CERT_WEAK);
	sk_X509_pop_free(chain, X509_free);
	X509_free(ca);
	X509_free(ar1);
	send_trust_free(t);
}

/* CPS -> CPA -> path on the MN side, and the PrRtAdv checked against the certified key. */
static void test_cps_cpa(void **state)
{
	struct send_trust *ta = trust("a"), *tb = trust("b");
	struct send_creds c;
	struct send_cpa_server srv;
	struct send_cpa_out *out = malloc(sizeof(*out));
	struct send_cpa_client cl;
	uint8_t mn[16], cps[1500];
	struct wire_frame f, g0;
	struct send_prefix served = pfx("2001:db8:1:2::", 64);
	uint64_t now = (uint64_t)1704067200 * S;

	(void)state;
	creds(&c, "a");
	memset(&srv, 0, sizeof(srv));
	srv.creds = &c;
	srv.anchor = send_trust_get(ta, 0);
	memcpy(srv.src, c.addr, 16);
	inet_pton(AF_INET6, "fe80::200:ff:fe00:1234", mn);
	static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };

	struct wire_buf w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0x4242, 0xffff, ta), SEND_R_OK);
	assert_int_equal(wire_decode_frame(cps, w.len, WIRE_LINK_RAW6, &f), WIRE_OK);
	assert_int_equal(f.msg, WIRE_MSG_CPS);
	assert_int_equal(f.ip.hlim, 255);
	assert_int_equal(f.nd.cps.identifier, 0x4242);
	assert_int_equal(f.nd.cps.component, 0xffff);

	assert_int_equal(send_cpa_answer(&srv, f.ip.src, f.icmp.p, f.icmp.len, now, out),
			 SEND_R_OK);
	assert_true(out->path_found);
	assert_int_equal(out->n, 2); /* intermediate, then the router; the anchor not sent */
	assert_int_equal(out->identifier, 0x4242);
	static const uint8_t snm[16] = { 0xff, 0x02, [11] = 1, 0xff, 0x00, 0x12, 0x34 };
	assert_memory_equal(out->dst, snm, 16);

	/* the frame variant: same answer; Hop Limit and source checked */
	struct send_cpa_out *out2 = malloc(sizeof(*out2));
	struct send_cpa_server srv2 = srv;
	assert_int_equal(send_cpa_answer_frame(&srv2, &f, now, out2), SEND_R_OK);
	assert_int_equal(out2->n, out->n);
	for (unsigned i = 0; i < out->n; i++) {
		assert_int_equal(out2->len[i], out->len[i]);
		assert_memory_equal(out2->pkt[i], out->pkt[i], out->len[i]);
	}
	uint8_t bad[1500];
	memcpy(bad, cps, w.len);
	bad[7] = 64; /* Hop Limit (no checksum covers it) */
	assert_int_equal(wire_decode_frame(bad, w.len, WIRE_LINK_RAW6, &g0), WIRE_OK);
	assert_int_equal(send_cpa_answer_frame(&srv2, &g0, now, out2), SEND_R_HOP_LIMIT);
	struct wire_buf wb = wire_buf_make(bad, sizeof(bad));
	static const uint8_t global[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	assert_int_equal(send_cps_build(&wb, global, all_routers, 0x4242, 0xffff, ta), SEND_R_OK);
	assert_int_equal(wire_decode_frame(bad, wb.len, WIRE_LINK_RAW6, &g0), WIRE_OK);
	assert_int_equal(send_cpa_answer_frame(&srv2, &g0, now, out2), SEND_R_MALFORMED);
	memcpy(bad, out->pkt[0], out->len[0]);
	bad[7] = 64;
	assert_int_equal(wire_decode_frame(bad, out->len[0], WIRE_LINK_RAW6, &g0), WIRE_OK);
	send_cpa_client_init(&cl, ta, 0x4242);
	assert_int_equal(send_cpa_process_frame(&cl, &g0, NULL, 0), SEND_R_HOP_LIMIT);
	assert_int_equal(send_cpa_process_frame(&cl, &f, NULL, 0), SEND_R_MALFORMED); /* a CPS */
	free(out2);

	send_cpa_client_init(&cl, ta, 0x4242);
	for (unsigned i = 0; i < out->n; i++) {
		struct wire_frame g;
		assert_int_equal(wire_decode_frame(out->pkt[i], out->len[i], WIRE_LINK_RAW6, &g),
				 WIRE_OK);
		assert_int_equal(g.msg, WIRE_MSG_CPA);
		assert_int_equal(g.ip.hlim, 255);
		assert_memory_equal(g.ip.src, c.addr, 16);
		assert_int_equal(g.nd.cpa.all_components, 2);
		assert_int_equal(g.nd.cpa.component, 1 - i);
		assert_int_equal(g.nd.cpa.identifier, 0x4242);
		/* Trust Anchor option only in the first component */
		struct wire_ndopt_iter it;
		struct wire_ndopt o;
		unsigned n_ta = 0, n_cert = 0;
		assert_int_equal(wire_ndopt_iter_init(&it, &g.icmp, 12), WIRE_OK);
		while (wire_ndopt_next(&it, &o) == 1) {
			n_ta += o.type == WIRE_ND_TRUST_ANCHOR;
			n_cert += o.type == WIRE_ND_CERTIFICATE;
		}
		assert_int_equal(n_ta, i == 0 ? 1 : 0);
		assert_int_equal(n_cert, 1);
		int r = send_cpa_process_frame(&cl, &g, &served, 1);
		assert_int_equal(r, i == 0 ? SEND_R_INCOMPLETE : SEND_R_OK);
	}
	assert_non_null(cl.router);
	assert_int_equal(X509_cmp(cl.router, c.cert), 0);

	/* the router signs a PrRtAdv; the MN checks it against the certified key */
	uint8_t pkt[1500];
	static const uint8_t nonce[6] = { 1, 2, 3, 4, 5, 6 };
	w = wire_buf_make(pkt, sizeof(pkt));
	size_t ip = wire_build_ip6(&w, c.addr, mn, WIRE_NH_ICMPV6, 255);
	size_t ic = wire_build_fmip(&w, WIRE_FMIP_PRRTADV, 0, 0x1234);
	struct send_sign_opts so = { .nonce = nonce, .nonce_len = sizeof(nonce) };
	send_put_opts(&w, &c, &so);
	assert_int_equal(send_sign_finish(&w, &c, ip, ic), SEND_R_OK);
	struct send_verify_req req;
	struct send_verify_res res;
	struct send_cfg cfg;
	send_cfg_default(&cfg);
	assert_int_equal(wire_decode_frame(pkt, w.len, WIRE_LINK_RAW6, &f), WIRE_OK);
	send_verify_req_from_frame(&req, &f);
	req.expect_nonce = nonce;
	req.expect_nonce_len = sizeof(nonce);
	req.certified = X509_get0_pubkey(cl.router);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_true(res.solicited);
	struct send_creds cb;
	creds(&cb, "b");
	req.certified = X509_get0_pubkey(cb.cert);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_NOT_CERTIFIED);
	/* signed without a CGA option, naming the certified key by its Key Hash */
	w = wire_buf_make(pkt, sizeof(pkt));
	ip = wire_build_ip6(&w, c.addr, mn, WIRE_NH_ICMPV6, 255);
	ic = wire_build_fmip(&w, WIRE_FMIP_PRRTADV, 0, 0x1234);
	so.no_cga = true;
	send_put_opts(&w, &c, &so);
	assert_int_equal(send_sign_finish(&w, &c, ip, ic), SEND_R_OK);
	assert_int_equal(wire_decode_frame(pkt, w.len, WIRE_LINK_RAW6, &f), WIRE_OK);
	send_verify_req_from_frame(&req, &f);
	req.expect_nonce = nonce;
	req.expect_nonce_len = sizeof(nonce);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_NO_CGA);
	req.certified = X509_get0_pubkey(cl.router);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	req.certified = X509_get0_pubkey(cb.cert);
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_KEY_HASH);
	send_creds_free(&cb);

	/* out of order: component 0 first */
	send_cpa_client_reset(&cl);
	assert_int_equal(send_cpa_process(&cl, out->pkt[1] + 40, out->len[1] - 40, NULL, 0),
			 SEND_R_INCOMPLETE);
	assert_int_equal(send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, NULL, 0),
			 SEND_R_OK);
	/* another identifier: not ours; another anchor: untrusted */
	send_cpa_client_reset(&cl);
	send_cpa_client_init(&cl, ta, 0x1111);
	assert_int_equal(send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, NULL, 0),
			 SEND_R_NOT_FOR_US);
	send_cpa_client_init(&cl, tb, 0x4242);
	assert_int_equal(send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, NULL, 0),
			 SEND_R_INCOMPLETE);
	assert_int_equal(send_cpa_process(&cl, out->pkt[1] + 40, out->len[1] - 40, NULL, 0),
			 SEND_R_CERT_UNTRUSTED);
	/* served prefix outside the router's block */
	send_cpa_client_init(&cl, ta, 0x4242);
	struct send_prefix other = pfx("2001:db8:9::", 64);
	send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, &other, 1);
	assert_int_equal(send_cpa_process(&cl, out->pkt[1] + 40, out->len[1] - 40, &other, 1),
			 SEND_R_CERT_PREFIX);
	send_cpa_client_reset(&cl);

	/* only component 0 asked for */
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0x4243, 0, ta), SEND_R_OK);
	now += 2 * S;
	assert_int_equal(send_cpa_answer(&srv, cps + 8, cps + 40, w.len - 40, now, out), SEND_R_OK);
	assert_int_equal(out->n, 1);
	assert_int_equal(wire_be16(out->pkt[0] + 40 + 8), 0); /* Component */
	assert_int_equal(wire_be16(out->pkt[0] + 40 + 6), 2); /* All Components */

	/* a CPS naming another anchor: no certificates, its anchor echoed */
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0x4244, 0xffff, tb), SEND_R_OK);
	assert_int_equal(send_cpa_answer(&srv, cps + 8, cps + 40, w.len - 40, now, out), SEND_R_OK);
	assert_false(out->path_found);
	assert_int_equal(out->n, 1);
	assert_memory_equal(out->pkt[0] + 40 + 12, cps + 40 + 8, w.len - 48); /* echoed TA */
	send_cpa_client_init(&cl, tb, 0x4244);
	assert_int_equal(send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, NULL, 0),
			 SEND_R_CERT_UNTRUSTED);

	/* nine anchors named, ours last: path found, no foreign anchor echoed */
	struct send_trust *t9 = send_trust_new();
	for (int i = 0; i < 8; i++)
		assert_int_equal(send_trust_add(t9, send_trust_get(tb, 0)), SEND_R_OK);
	assert_int_equal(send_trust_add(t9, send_trust_get(ta, 0)), SEND_R_OK);
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0x4247, 0xffff, t9), SEND_R_OK);
	assert_int_equal(send_cpa_answer(&srv, cps + 8, cps + 40, w.len - 40, now, out), SEND_R_OK);
	assert_true(out->path_found);
	assert_int_equal(out->n, 2);
	assert_int_equal(out->pkt[0][40 + 12], WIRE_ND_CERTIFICATE); /* no Trust Anchor echoed */
	send_trust_free(t9);

	/* from the unspecified address: all-nodes, Identifier 0 */
	static const uint8_t unspec[16], all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, unspec, all_routers, 0x4245, 0xffff, ta), SEND_R_OK);
	assert_int_equal(send_cpa_answer(&srv, cps + 8, cps + 40, w.len - 40, now, out), SEND_R_OK);
	assert_memory_equal(out->dst, all_nodes, 16);
	assert_int_equal(out->identifier, 0);
	assert_int_equal(wire_be16(out->pkt[0] + 40 + 4), 0);
	/* an identifier of 0 in a CPS is invalid */
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0, 0xffff, ta), SEND_R_OK);
	assert_int_equal(send_cpa_answer(&srv, cps + 8, cps + 40, w.len - 40, now, out),
			 SEND_R_MALFORMED);
	/* unsolicited: all-nodes, Identifier 0, our anchor named */
	assert_int_equal(send_cpa_answer(&srv, NULL, NULL, 0, now, out), SEND_R_OK);
	assert_memory_equal(out->dst, all_nodes, 16);
	assert_int_equal(out->n, 2);
	assert_int_equal(out->pkt[0][40 + 12], WIRE_ND_TRUST_ANCHOR);
	send_cpa_client_init(&cl, ta, 0);
	assert_int_equal(send_cpa_process(&cl, out->pkt[0] + 40, out->len[0] - 40, NULL, 0),
			 SEND_R_INCOMPLETE);
	assert_int_equal(send_cpa_process(&cl, out->pkt[1] + 40, out->len[1] - 40, NULL, 0),
			 SEND_R_OK);
	send_cpa_client_reset(&cl);

	/* MAX_CPA_RATE: 10 answers within a second go to the requester, the 11th to all-nodes,
	 * later ones that second are suppressed; the next second is normal again */
	struct send_cpa_server s2;
	memset(&s2, 0, sizeof(s2));
	s2.creds = &c;
	s2.anchor = srv.anchor;
	memcpy(s2.src, c.addr, 16);
	w = wire_buf_make(cps, sizeof(cps));
	assert_int_equal(send_cps_build(&w, mn, all_routers, 0x4246, 0xffff, ta), SEND_R_OK);
	uint64_t t0 = now + 100 * S;
	for (unsigned i = 0; i < SEND_MAX_CPA_RATE; i++) {
		assert_int_equal(send_cpa_answer(&s2, cps + 8, cps + 40, w.len - 40, t0 + i, out),
				 SEND_R_OK);
		assert_memory_equal(out->dst, snm, 16);
	}
	assert_int_equal(send_cpa_answer(&s2, cps + 8, cps + 40, w.len - 40, t0 + 10, out),
			 SEND_R_OK);
	assert_memory_equal(out->dst, all_nodes, 16);
	assert_int_equal(out->identifier, 0);
	assert_int_equal(send_cpa_answer(&s2, cps + 8, cps + 40, w.len - 40, t0 + 11, out),
			 SEND_R_RATE_LIMITED);
	assert_int_equal(send_cpa_answer(&s2, cps + 8, cps + 40, w.len - 40, t0 + S - 1, out),
			 SEND_R_RATE_LIMITED);
	assert_int_equal(send_cpa_answer(&s2, cps + 8, cps + 40, w.len - 40, t0 + S, out),
			 SEND_R_OK);
	assert_memory_equal(out->dst, snm, 16);

	send_creds_free(&c);
	send_trust_free(ta);
	send_trust_free(tb);
	free(out);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_cert make-credentials.sh fmipctl\n");
		return 2;
	}
	script = argv[1];
	fmipctl = argv[2];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_output),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_sendd_md5_chain),
		cmocka_unit_test(test_cps_cpa),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
