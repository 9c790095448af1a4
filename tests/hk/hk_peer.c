/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hk_peer — a line-oriented harness around lib/hk for tests/hk/test_hk_interop.py, which plays
 * the other role with its own, independent implementation (Python hashlib/hmac/cryptography).
 *
 *   hk_peer ar KEY.pem [LIFETIME]
 *     The AR role with a persistent key store.  Generates the router's link-local CGA from KEY
 *     (lib/cga, modifier counted up from 0, Sec 1, fe80::/64) and prints "addr=<hex>".
 *     rtsolpr NOW HEX    serve one RtSolPr; commit INSERT ops to the store; print reason, send
 *                        reason, op, the key in the reply, the store size and the PrRtAdv
 *     store CGAHEX       the stored key of a CGA
 *     fbu HEX            an FBU: key by its Home Address option, hk_fbu_check, then A14 against
 *                        the last sequence accepted for that key), BADF verified by lib/mac;
 *                        if accepted, the FBack (status 0) built with the key
 *
 *   hk_peer mn KEY.pem PARAMS ROUTER-ADDR ROUTER-CERT.pem
 *     The MN role with CGA credentials KEY + PARAMS; the router's certified key from the
 *     certificate (path validation is lib/send's, tested elsewhere).  Prints "addr=<hex>".
 *     rtsolpr NOW AT DSTHEX          a signed RtSolPr with a Handover Key Request
 *     prrtadv NOW HEX                process a PrRtAdv; print the reason and the stored key
 *     set-router ADDRHEX CERT.pem    remember (another) certified router key
 *     fbu NOW AR PAR NCOA SEQ LIFETIME FROM-PAR-LINK   an FBU made with the key from AR
 *     fback NOW AR HEX               check an FBack's BADF with the key from AR
 *     handover                       hk_mn_handover_done (HKEPK-HANDOVERS)
 *
 * NOW is 48.16 fixed-point seconds (decimal); addresses and packets are hex.  Every answer is
 * one line of key=value tokens.  This is test tooling: it prints handover keys on purpose.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cga.h"
#include "hk.h"
#include "mac.h"
#include "send.h"
#include "wire.h"

#define LINE_MAX_LEN 16384

static const char *const hk_names[] = {
#define HK_NAME(n, s) #n,
	HK_REASONS(HK_NAME)
#undef HK_NAME
};

static const char *hk_name(int r)
{
	return r >= 0 && r < HK_R__COUNT ? hk_names[r] : "UNKNOWN";
}

static void put_hex(const char *name, const uint8_t *p, size_t n)
{
	printf(" %s=", name);
	if (n == 0)
		putchar('-');
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex s into out (cap octets); returns the length or -1. */
static long unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 != 0 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(n / 2);
}

static bool addr_arg(const char *s, uint8_t out[16])
{
	return s != NULL && unhex(s, out, 16) == 16;
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *k;
	if (fp == NULL)
		return NULL;
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	return k;
}

static X509 *load_cert(const char *path)
{
	FILE *fp = fopen(path, "r");
	X509 *x;
	if (fp == NULL)
		return NULL;
	x = PEM_read_X509(fp, NULL, NULL, NULL);
	fclose(fp);
	return x;
}

/* Split line into at most max whitespace-separated tokens. */
static int tokens(char *line, char **tok, int max)
{
	int n = 0;
	for (char *t = strtok(line, " \t\r\n"); t && n < max; t = strtok(NULL, " \t\r\n"))
		tok[n++] = t;
	return n;
}

/* ---- AR role -------------------------------------------------------------------------------- */

#define STORE_MAX 64

struct ar_store {
	struct hk_key k[STORE_MAX];
	bool has_last[STORE_MAX];
	uint16_t last_seq[STORE_MAX];
	unsigned n;
	uint64_t now; /* seconds, for find: keys past HK-LIFETIME are not usable (A13) */
};

static int store_idx(const struct ar_store *s, const uint8_t cga[16])
{
	for (unsigned i = 0; i < s->n; i++)
		if (memcmp(s->k[i].cga, cga, 16) == 0)
			return (int)i;
	return -1;
}

static int store_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	const struct ar_store *s = ctx;
	int i = store_idx(s, cga);
	/* the keystore contract: only a usable key (what lib/keytab's users do, A13) */
	if (i < 0 || s->now >= s->k[i].issued + s->k[i].lifetime)
		return 0;
	*out = s->k[i];
	return 1;
}

static void store_commit(struct ar_store *s, const struct hk_ar_out *o)
{
	int i;
	if (o->op != HK_KEY_INSERT)
		return;
	i = store_idx(s, o->key.cga);
	if (i < 0) {
		if (s->n == STORE_MAX)
			return;
		i = (int)s->n++;
	}
	s->k[i] = o->key;
	s->has_last[i] = false;
}

static const char *op_name(enum hk_key_op op)
{
	return op == HK_KEY_INSERT ? "insert" : op == HK_KEY_EXISTING ? "existing" : "none";
}

struct ar_world {
	struct send_cfg send;
	struct mac_cfg mac;
	struct mac_engine *eng;
	struct mac_ctx *mctx;
	struct send_creds creds;
	struct hk_ap ap;
	struct hk_ar_cfg cfg;
	struct hk_ar_state st;
	struct ar_store store;
	struct hk_keystore ks;
	struct hk_ar_out out;
};

static void ar_rtsolpr(struct ar_world *w, char **tok, int n)
{
	static uint8_t pkt[HK_PKT_MAX];
	uint64_t now;
	long len;

	if (n != 3 || (len = unhex(tok[2], pkt, sizeof(pkt))) < 0) {
		printf("error=usage\n");
		return;
	}
	now = strtoull(tok[1], NULL, 10);
	w->store.now = now >> 16;
	hk_ar_rtsolpr(&w->cfg, &w->st, &w->ks, pkt, (size_t)len, now, &w->out);
	store_commit(&w->store, &w->out);
	printf("reason=%s send=%s op=%s", hk_name(w->out.reason),
	       send_reason_name(w->out.send_reason), op_name(w->out.op));
	if (w->out.op != HK_KEY_NONE) {
		printf(" at=%u lifetime=%u", w->out.key.at, w->out.key.lifetime);
		put_hex("key", w->out.key.key, w->out.key.key_len);
		put_hex("cga", w->out.key.cga, 16);
	}
	printf(" suppressed=%d stored=%u", w->out.suppressed ? 1 : 0, w->store.n);
	put_hex("pkt", w->out.pkt, w->out.len);
	putchar('\n');
}

static void ar_store_show(struct ar_world *w, char **tok, int n)
{
	uint8_t cga[16];
	int i;

	if (n != 2 || !addr_arg(tok[1], cga)) {
		printf("error=usage\n");
		return;
	}
	i = store_idx(&w->store, cga);
	if (i < 0) {
		printf("found=0 stored=%u\n", w->store.n);
		return;
	}
	printf("found=1 stored=%u at=%u lifetime=%u issued=%llu", w->store.n, w->store.k[i].at,
	       w->store.k[i].lifetime, (unsigned long long)w->store.k[i].issued);
	put_hex("key", w->store.k[i].key, w->store.k[i].key_len);
	putchar('\n');
}

static void ar_fbu(struct ar_world *w, char **tok, int n)
{
	static uint8_t pkt[HK_PKT_MAX];
	uint8_t fback[512];
	size_t fback_len = 0;
	struct wire_frame f;
	struct wire_mac_input in;
	struct hk_fbu_policy pol;
	struct hk_fbu_info info;
	struct mac_key mk;
	struct mac_job job;
	uint64_t ok = 0;
	long len;
	int i, r;

	if (n != 2 || (len = unhex(tok[1], pkt, sizeof(pkt))) < 0) {
		printf("error=usage\n");
		return;
	}
	r = wire_decode_frame(pkt, (size_t)len, WIRE_LINK_RAW6, &f);
	if (r != WIRE_OK || f.msg != WIRE_MSG_FBU || f.ip.hao == NULL) {
		printf("verdict=malformed wire=%s msg=%s\n", wire_strerror(r),
		       wire_msg_name(f.msg));
		return;
	}
	/* RFC 5269 §3.5: the key is named by the Home Address option (A21, A23) */
	if ((i = store_idx(&w->store, f.ip.hao)) < 0) {
		printf("verdict=no-key\n");
		return;
	}
	hk_fbu_policy_defaults(&pol);
	r = hk_fbu_check(&pol, &f, w->store.k[i].cga, &info);
	if (r == HK_R_OK && w->store.has_last[i] &&
	    !wire_mh_seq_newer(w->store.last_seq[i], info.seq))
		r = HK_R_STALE_SEQ; /* A14, mod 2^16 */
	if (r != HK_R_OK) {
		printf("verdict=refused reason=%s\n", hk_name(r));
		return;
	}
	if (wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK ||
	    mac_key_init(w->eng, &mk, w->store.k[i].at, w->store.k[i].key, w->store.k[i].key_len) !=
		0) {
		printf("verdict=error\n");
		return;
	}
	mac_job_from_input(&job, &mk, &in);
	mac_verify_burst(w->mctx, &job, 1, &ok);
	if (!(ok & 1)) {
		mac_key_clear(&mk);
		printf("verdict=bad-mac auth_len=%u\n", in.auth_len);
		return;
	}
	w->store.has_last[i] = true;
	w->store.last_seq[i] = info.seq;
	r = hk_fback_build(w->mctx, &mk, &pol, &info, 0, NULL, fback, sizeof(fback), &fback_len);
	mac_key_clear(&mk);
	printf("verdict=ok seq=%u lifetime=%u from_par_link=%d auth_len=%u", info.seq,
	       info.lifetime, info.from_par_link ? 1 : 0, in.auth_len);
	put_hex("pcoa", info.pcoa, 16);
	put_hex("ncoa", info.ncoa, 16);
	put_hex("par", info.par, 16);
	printf(" fback_reason=%s", hk_name(r));
	put_hex("fback", fback, r == HK_R_OK ? fback_len : 0);
	putchar('\n');
}

static int run_ar(int argc, char **argv)
{
	static struct ar_world w;
	static const uint8_t zero16[16];
	static const uint8_t ar_lla[6] = { 2, 0, 0, 0, 0, 2 };
	static char line[LINE_MAX_LEN];
	uint8_t der[1200], params[1400];
	struct cga_gen_req req = { 0 };
	struct cga_gen_res res;
	EVP_PKEY *key;
	size_t n;

	if (argc < 3 || (key = load_key(argv[2])) == NULL) {
		fprintf(stderr, "hk_peer ar: cannot load the router key\n");
		return 2;
	}
	send_cfg_default(&w.send);
	mac_cfg_defaults(&w.mac);
	if (mac_engine_create(&w.mac, &w.eng) != 0 || (w.mctx = mac_ctx_create(w.eng)) == NULL)
		return 2;
	n = cga_pubkey_der(key, der, sizeof(der));
	req.pubkey = der;
	req.pubkey_len = n;
	req.prefix[0] = 0xfe;
	req.prefix[1] = 0x80;
	req.sec = 1;
	req.modifier_start = zero16;
	if (n == 0 || cga_generate(&req, params, sizeof(params), &res) != CGA_OK ||
	    send_creds_set(&w.creds, key, params, res.params_len) != SEND_R_OK) {
		fprintf(stderr, "hk_peer ar: cannot make the router's CGA\n");
		return 2;
	}
	EVP_PKEY_free(key);

	/* one AP behind a NAR, as in test_hk.c */
	w.ap.kind = HK_AP_NAR;
	memcpy(w.ap.ap_lla, (uint8_t[6]){ 2, 0, 0, 0, 0, 0xaa }, 6);
	memcpy(w.ap.nar_lla, (uint8_t[6]){ 2, 0, 0, 0, 0, 0xbb }, 6);
	memcpy(w.ap.nar_addr, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2, [15] = 1 }, 16);
	memcpy(w.ap.nar_prefix, (uint8_t[16]){ 0x20, 3, 0, 0, 0, 0, 0, 2 }, 16);
	w.ap.nar_prefix_len = 64;

	hk_ar_cfg_defaults(&w.cfg);
	w.cfg.send = &w.send;
	w.cfg.creds = &w.creds;
	w.cfg.mac = &w.mac;
	w.cfg.lla = ar_lla;
	w.cfg.aps = &w.ap;
	w.cfg.n_aps = 1;
	if (argc > 3)
		w.cfg.hk_lifetime = (uint16_t)strtoul(argv[3], NULL, 10);
	if ((w.st.replay = send_replay_new(&w.send)) == NULL)
		return 2;
	w.ks.ctx = &w.store;
	w.ks.find = store_find;

	printf("ready=ar");
	put_hex("addr", w.creds.addr, 16);
	putchar('\n');
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		char *tok[8];
		int nt = tokens(line, tok, 8);
		if (nt == 0)
			continue;
		if (strcmp(tok[0], "quit") == 0)
			break;
		if (strcmp(tok[0], "rtsolpr") == 0)
			ar_rtsolpr(&w, tok, nt);
		else if (strcmp(tok[0], "store") == 0)
			ar_store_show(&w, tok, nt);
		else if (strcmp(tok[0], "fbu") == 0)
			ar_fbu(&w, tok, nt);
		else
			printf("error=unknown-command\n");
		fflush(stdout);
	}
	OPENSSL_cleanse(&w.store, sizeof(w.store));
	OPENSSL_cleanse(&w.out, sizeof(w.out));
	send_replay_free(w.st.replay);
	send_creds_free(&w.creds);
	mac_ctx_destroy(w.mctx);
	mac_engine_destroy(w.eng);
	return 0;
}

/* ---- MN role -------------------------------------------------------------------------------- */

struct mn_world {
	struct send_cfg send;
	struct mac_cfg mac;
	struct mac_engine *eng;
	struct mac_ctx *mctx;
	struct send_creds creds;
	struct hk_mn_cfg cfg;
	struct hk_mn m;
};

static void mn_rtsolpr(struct mn_world *w, char **tok, int n)
{
	static const uint8_t src_lla[6] = { 2, 0, 0, 0, 0, 0x11 };
	static const uint8_t ap[1][6] = { { 2, 0, 0, 0, 0, 0xaa } };
	static uint8_t pkt[HK_PKT_MAX];
	uint8_t dst[16];
	size_t len = 0;
	int r;

	if (n != 4 || !addr_arg(tok[3], dst)) {
		printf("error=usage\n");
		return;
	}
	struct hk_rtsolpr_spec s = {
		.dst = dst, .src_lla = src_lla, .new_aps = ap, .n_new_aps = 1, .at = atoi(tok[2])
	};
	r = hk_mn_rtsolpr(&w->m, &s, strtoull(tok[1], NULL, 10), pkt, sizeof(pkt), &len);
	printf("reason=%s", hk_name(r));
	put_hex("pkt", pkt, r == HK_R_OK ? len : 0);
	putchar('\n');
}

static void mn_prrtadv(struct mn_world *w, char **tok, int n)
{
	static uint8_t pkt[HK_PKT_MAX];
	struct hk_mn_key k;
	long len;
	int r;

	if (n != 3 || (len = unhex(tok[2], pkt, sizeof(pkt))) < 0) {
		printf("error=usage\n");
		return;
	}
	memset(&k, 0, sizeof(k));
	r = hk_mn_prrtadv(&w->m, pkt, (size_t)len, strtoull(tok[1], NULL, 10), &k);
	printf("reason=%s", hk_name(r));
	if (r == HK_R_OK) {
		printf(" at=%u lifetime=%u", k.at, k.lifetime);
		put_hex("key", k.key, k.key_len);
		put_hex("ar", k.ar, 16);
	}
	putchar('\n');
	OPENSSL_cleanse(&k, sizeof(k));
}

static void mn_set_router(struct mn_world *w, char **tok, int n)
{
	uint8_t ar[16];
	X509 *x;

	if (n != 3 || !addr_arg(tok[1], ar) || (x = load_cert(tok[2])) == NULL) {
		printf("error=usage\n");
		return;
	}
	printf("reason=%s\n", hk_name(hk_mn_set_router(&w->m, ar, x)));
	X509_free(x);
}

static void mn_fbu(struct mn_world *w, char **tok, int n)
{
	static uint8_t pkt[HK_PKT_MAX];
	uint8_t ar[16], par[16], ncoa[16];
	size_t len = 0;
	int r;

	if (n != 8 || !addr_arg(tok[2], ar) || !addr_arg(tok[3], par) || !addr_arg(tok[4], ncoa)) {
		printf("error=usage\n");
		return;
	}
	struct hk_fbu_spec s = { .pcoa = w->creds.addr,
				 .ncoa = ncoa,
				 .par = par,
				 .ar = ar,
				 .from_par_link = atoi(tok[7]) != 0,
				 .seq = (uint16_t)atoi(tok[5]),
				 .lifetime = (uint16_t)atoi(tok[6]) };
	r = hk_mn_fbu(&w->m, w->mctx, w->eng, &s, strtoull(tok[1], NULL, 10), pkt, sizeof(pkt),
		      &len);
	printf("reason=%s", hk_name(r));
	put_hex("pkt", pkt, r == HK_R_OK ? len : 0);
	putchar('\n');
}

static void mn_fback(struct mn_world *w, char **tok, int n)
{
	static uint8_t pkt[HK_PKT_MAX];
	uint8_t ar[16];
	long len;

	if (n != 4 || !addr_arg(tok[2], ar) || (len = unhex(tok[3], pkt, sizeof(pkt))) < 0) {
		printf("error=usage\n");
		return;
	}
	printf("reason=%s\n", hk_name(hk_mn_fback_check(&w->m, w->mctx, w->eng, ar, pkt,
							(size_t)len, strtoull(tok[1], NULL, 10))));
}

static int run_mn(int argc, char **argv)
{
	static struct mn_world w;
	static char line[LINE_MAX_LEN];
	char err[256];
	uint8_t ar[16];
	X509 *cert;

	if (argc != 6 || !addr_arg(argv[4], ar)) {
		fprintf(stderr, "usage: hk_peer mn KEY PARAMS ROUTER-ADDR ROUTER-CERT\n");
		return 2;
	}
	send_cfg_default(&w.send);
	mac_cfg_defaults(&w.mac);
	if (mac_engine_create(&w.mac, &w.eng) != 0 || (w.mctx = mac_ctx_create(w.eng)) == NULL)
		return 2;
	if (send_creds_load(&w.creds, argv[2], argv[3], NULL, err, sizeof(err)) != SEND_R_OK) {
		fprintf(stderr, "hk_peer mn: %s\n", err);
		return 2;
	}
	hk_mn_cfg_defaults(&w.cfg);
	w.cfg.send = &w.send;
	w.cfg.creds = &w.creds;
	w.cfg.mac = &w.mac;
	if (hk_mn_init(&w.m, &w.cfg) != HK_R_OK || (cert = load_cert(argv[5])) == NULL ||
	    hk_mn_set_router(&w.m, ar, cert) != HK_R_OK) {
		fprintf(stderr, "hk_peer mn: cannot set up the MN\n");
		return 2;
	}
	X509_free(cert);

	printf("ready=mn");
	put_hex("addr", w.creds.addr, 16);
	putchar('\n');
	fflush(stdout);

	while (fgets(line, sizeof(line), stdin)) {
		char *tok[10];
		int nt = tokens(line, tok, 10);
		if (nt == 0)
			continue;
		if (strcmp(tok[0], "quit") == 0)
			break;
		if (strcmp(tok[0], "rtsolpr") == 0)
			mn_rtsolpr(&w, tok, nt);
		else if (strcmp(tok[0], "prrtadv") == 0)
			mn_prrtadv(&w, tok, nt);
		else if (strcmp(tok[0], "set-router") == 0)
			mn_set_router(&w, tok, nt);
		else if (strcmp(tok[0], "fbu") == 0)
			mn_fbu(&w, tok, nt);
		else if (strcmp(tok[0], "fback") == 0)
			mn_fback(&w, tok, nt);
		else if (strcmp(tok[0], "handover") == 0) {
			hk_mn_handover_done(&w.m);
			printf("handovers=%u\n", w.m.enc[0].handovers);
		} else
			printf("error=unknown-command\n");
		fflush(stdout);
	}
	hk_mn_free(&w.m);
	send_creds_free(&w.creds);
	mac_ctx_destroy(w.mctx);
	mac_engine_destroy(w.eng);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "ar") == 0)
		return run_ar(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "mn") == 0)
		return run_mn(argc, argv);
	fprintf(stderr, "usage: hk_peer ar KEY.pem [LIFETIME] | hk_peer mn KEY PARAMS ADDR CERT\n");
	return 2;
}
