/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-send: the cost of the SEND control-path operations, beside `openssl speed rsa1024
 * rsa2048` measured in the same run on the same machine.
 *
 *   bench-send [--quick] [--runs R] [--no-openssl]
 *
 * Each row is measured R times (default 7) over a fixed time slice; the table gives the median
 * and the min/max of the per-operation time.  Rows:
 *   key parse (d2i_PUBKEY)        OpenSSL 3.0's generic decoder chain (cga_pubkey_parse_generic)
 *   key parse (direct RSA)        ASN1_get_object + d2i_PublicKey(EVP_PKEY_RSA) (cga_pubkey_parse)
 *   parse+verify, both ways       a fresh key then one RSA-1024 verify (what a receiver pays)
 *   CGA verify (Sec 1)            RFC 3972 §5 on sendd mn1 (two SHA-1)
 *   sig verify / sign 1024, 2048  RSASSA-PKCS1-v1_5/SHA-1 over the 480-octet reference TBS
 *   send_verify RtSolPr           the whole receive check of the reference RtSolPr
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "send.h"
#include "reference_vectors.h"

#define KEYS VECTORS_DIR "/keys/"

static int runs = 7;
static double slice = 0.2; /* seconds per run */

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

typedef void (*op_fn)(void *arg);

struct row {
	const char *name;
	double med, min, max; /* microseconds per operation */
};

static struct row measure(const char *name, op_fn fn, void *arg)
{
	double t[64];
	struct row r = { name, 0, 0, 0 };

	fn(arg); /* warm up */
	for (int i = 0; i < runs; i++) {
		unsigned long n = 0;
		double t0 = now(), t1;
		do {
			for (int k = 0; k < 16; k++)
				fn(arg);
			n += 16;
			t1 = now();
		} while (t1 - t0 < slice);
		t[i] = (t1 - t0) / (double)n * 1e6;
	}
	qsort(t, (size_t)runs, sizeof(double), cmp_d);
	r.med = t[runs / 2];
	r.min = t[0];
	r.max = t[runs - 1];
	return r;
}

static void print_row(const struct row *r)
{
	printf("| %-34s | %10.2f | %10.2f | %10.2f | %10.0f |\n", r->name, r->med, r->min, r->max,
	       1e6 / r->med);
}

/* ---- operations ---------------------------------------------------------------------------- */

struct keyarg {
	const uint8_t *der;
	size_t len;
	EVP_PKEY *pub;
	struct send_creds *creds;
	struct wire_seg seg;
	uint8_t sig[512];
	size_t sig_len;
};

static void op_parse_generic(void *a)
{
	struct keyarg *k = a;
	EVP_PKEY_free(cga_pubkey_parse_generic(k->der, k->len, NULL));
}

static void op_parse_direct(void *a)
{
	struct keyarg *k = a;
	EVP_PKEY_free(cga_pubkey_parse(k->der, k->len, NULL));
}

static int verify_with(EVP_PKEY *pk, const struct keyarg *k)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok = EVP_DigestVerifyInit_ex(ctx, &pctx, "SHA1", NULL, NULL, pk, NULL) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
		 EVP_DigestVerify(ctx, k->sig, k->sig_len, k->seg.p, k->seg.len) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static void op_parse_verify_generic(void *a)
{
	struct keyarg *k = a;
	EVP_PKEY *pk = cga_pubkey_parse_generic(k->der, k->len, NULL);
	if (!verify_with(pk, k))
		abort();
	EVP_PKEY_free(pk);
}

static void op_parse_verify_direct(void *a)
{
	struct keyarg *k = a;
	EVP_PKEY *pk = cga_pubkey_parse(k->der, k->len, NULL);
	if (!verify_with(pk, k))
		abort();
	EVP_PKEY_free(pk);
}

static void op_verify(void *a)
{
	struct keyarg *k = a;
	if (!verify_with(k->pub, k))
		abort();
}

static void op_sign(void *a)
{
	struct keyarg *k = a;
	if (send_sign_segs(k->creds, &k->seg, 1, k->sig) != SEND_R_OK)
		abort();
}

struct cgaarg {
	uint8_t *params;
	size_t len;
};

static void op_cga_verify(void *a)
{
	struct cgaarg *c = a;
	if (cga_verify(ref_cga_sendd_mn1_address_addr, c->params, c->len, NULL) != CGA_OK)
		abort();
}

struct sendarg {
	struct send_cfg cfg;
	struct send_verify_req req;
};

static void op_send_verify(void *a)
{
	struct sendarg *s = a;
	struct send_verify_res res;
	if (send_verify(&s->cfg, &s->req, &res) != SEND_R_OK)
		abort();
}

static void keyarg_for(struct keyarg *k, struct send_creds *c, uint8_t *der, size_t cap)
{
	memset(k, 0, sizeof(*k));
	k->creds = c;
	k->len = cga_pubkey_der(c->key, der, cap);
	k->der = der;
	k->pub = cga_pubkey_parse(der, k->len, NULL);
	k->seg.p = ref_send_rtsolpr_signed_data;
	k->seg.len = ref_send_rtsolpr_signed_data_len;
	k->sig_len = c->sig_len;
	if (k->pub == NULL || send_sign_segs(c, &k->seg, 1, k->sig) != SEND_R_OK)
		abort();
}

/* `openssl speed -seconds 1 rsa1024 rsa2048`: sign/s and verify/s per size. */
static int openssl_speed(double sign_s[2], double verify_s[2])
{
	FILE *p = popen("openssl speed -seconds 1 rsa1024 rsa2048 2>/dev/null", "r");
	char line[512];
	int found = 0;

	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		int bits;
		double ts, tv, s, v;
		if (sscanf(line, "rsa %d bits %lfs %lfs %lf %lf", &bits, &ts, &tv, &s, &v) == 5) {
			int i = bits == 1024 ? 0 : bits == 2048 ? 1 : -1;
			if (i >= 0) {
				sign_s[i] = s;
				verify_s[i] = v;
				found |= 1 << i;
			}
		}
	}
	pclose(p);
	return found == 3 ? 0 : -1;
}

int main(int argc, char **argv)
{
	bool with_openssl = true;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			runs = 1;
			slice = 0.01;
			with_openssl = false;
		} else if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
			runs = atoi(argv[++i]);
			if (runs < 1 || runs > 64)
				runs = 7;
		} else if (!strcmp(argv[i], "--no-openssl")) {
			with_openssl = false;
		} else {
			fprintf(stderr, "usage: bench-send [--quick] [--runs R] [--no-openssl]\n");
			return 2;
		}
	}

	struct send_creds c1024, c2048;
	char err[256];
	if (send_creds_load(&c1024, KEYS "mn1.key.pem", KEYS "mn1.cga.params", NULL, err,
			    sizeof(err)) != SEND_R_OK) {
		fprintf(stderr, "bench-send: %s\n", err);
		return 1;
	}
	EVP_PKEY *k2048 = EVP_RSA_gen(2048);
	if (k2048 == NULL || send_creds_set(&c2048, k2048, NULL, 0) != SEND_R_OK)
		return 1;

	static uint8_t der1[1024], der2[1024];
	struct keyarg ka1, ka2;
	keyarg_for(&ka1, &c1024, der1, sizeof(der1));
	keyarg_for(&ka2, &c2048, der2, sizeof(der2));

	struct cgaarg ca = { c1024.params, c1024.params_len };
	struct sendarg sa;
	struct wire_frame f;
	send_cfg_default(&sa.cfg);
	if (wire_decode_frame(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, WIRE_LINK_RAW6,
			      &f) != WIRE_OK)
		return 1;
	send_verify_req_from_frame(&sa.req, &f);

	struct row rows[16];
	int n = 0;
	rows[n++] = measure("key parse 1024 (d2i_PUBKEY)", op_parse_generic, &ka1);
	rows[n++] = measure("key parse 1024 (direct RSA)", op_parse_direct, &ka1);
	rows[n++] = measure("key parse 2048 (d2i_PUBKEY)", op_parse_generic, &ka2);
	rows[n++] = measure("key parse 2048 (direct RSA)", op_parse_direct, &ka2);
	rows[n++] = measure("parse+verify 1024 (d2i_PUBKEY)", op_parse_verify_generic, &ka1);
	rows[n++] = measure("parse+verify 1024 (direct RSA)", op_parse_verify_direct, &ka1);
	rows[n++] = measure("CGA verify (Sec 1, mn1)", op_cga_verify, &ca);
	rows[n++] = measure("sig verify RSA-1024/SHA-1", op_verify, &ka1);
	rows[n++] = measure("sig verify RSA-2048/SHA-1", op_verify, &ka2);
	rows[n++] = measure("sign RSA-1024/SHA-1", op_sign, &ka1);
	rows[n++] = measure("sign RSA-2048/SHA-1", op_sign, &ka2);
	rows[n++] = measure("send_verify reference RtSolPr", op_send_verify, &sa);

	printf("bench-send: %d run(s) of %.2f s per row; microseconds per operation\n\n", runs,
	       slice);
	printf("| %-34s | %10s | %10s | %10s | %10s |\n", "operation", "median us", "min us",
	       "max us", "ops/s");
	printf("|%s|%s|%s|%s|%s|\n", "------------------------------------", "------------",
	       "------------", "------------", "------------");
	for (int i = 0; i < n; i++)
		print_row(&rows[i]);

	if (with_openssl) {
		double s[2], v[2];
		if (openssl_speed(s, v) == 0) {
			printf("\nbaseline, same run: openssl speed -seconds 1 rsa1024 rsa2048\n");
			printf("| %-34s | %10.2f |            |            | %10.0f |\n",
			       "openssl sign rsa1024", 1e6 / s[0], s[0]);
			printf("| %-34s | %10.2f |            |            | %10.0f |\n",
			       "openssl verify rsa1024", 1e6 / v[0], v[0]);
			printf("| %-34s | %10.2f |            |            | %10.0f |\n",
			       "openssl sign rsa2048", 1e6 / s[1], s[1]);
			printf("| %-34s | %10.2f |            |            | %10.0f |\n",
			       "openssl verify rsa2048", 1e6 / v[1], v[1]);
		} else {
			printf("\n(openssl speed output not understood)\n");
		}
	}
	printf("\nkey parse path used by lib/cga and lib/send: direct RSA (cga_pubkey_parse), "
	       "%.1fx faster than d2i_PUBKEY for RSA-1024\n",
	       rows[0].med / rows[1].med);

	EVP_PKEY_free(ka1.pub);
	EVP_PKEY_free(ka2.pub);
	EVP_PKEY_free(k2048);
	send_creds_free(&c1024);
	send_creds_free(&c2048);
	return 0;
}
