/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/fmip-mn helpers: a sink that keeps every frame the simulator sends (and counts it as
 * the live and offline sinks do), optionally feeding the in-process router; the published
 * keys and certificates of tests/vectors; a one-node world whose node is the published mn1.
 */
#ifndef FMIP_MN_TEST_H
#define FMIP_MN_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/pem.h>

#include "ident.h"
#include "loopar.h"
#include "mn.h"
#include "reference_vectors.h"

#define TS(sec) ((uint64_t)(sec) << 16)
#define T0	1704067200u /* 2024-01-01T00:00:00Z, the vectors' time */
#define MS	1000000ull  /* ns */

#define TSINK_MAX 512
struct tsink {
	struct mn_shard *sh;
	struct mn_loopar *ar; /* NULL: frames are only kept */
	uint64_t now48;
	unsigned n;
	unsigned kind[TSINK_MAX];
	size_t len[TSINK_MAX];
	uint8_t frame[TSINK_MAX][MN_FRAME_MAX];
};

static inline unsigned tsink_room(void *ctx)
{
	struct tsink *t = ctx;

	return TSINK_MAX - t->n;
}

static inline void tsink_emit(void *ctx, unsigned kind, unsigned err, const uint8_t *frame,
			      size_t len)
{
	struct tsink *t = ctx;

	assert_true(t->n < TSINK_MAX);
	memcpy(t->frame[t->n], frame, len);
	t->len[t->n] = len;
	t->kind[t->n++] = kind;
	t->sh->st.tx[kind]++;
	if (kind == MN_TX_malformed)
		t->sh->st.tx_malformed[err]++;
	t->sh->st.tx_frames++;
	if (t->ar)
		mn_loopar_input(t->ar, frame, len, t->now48);
}

/* A PEM object from tests/vectors/keys (read with reader: PEM_read_PrivateKey, _X509). */
static inline void *vec_pem(const char *name, void *(*reader)(FILE *))
{
	char path[512];
	FILE *f;
	void *x;

	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	x = reader(f);
	fclose(f);
	assert_non_null(x);
	return x;
}

static inline void *read_key(FILE *f)
{
	return PEM_read_PrivateKey(f, NULL, NULL, NULL);
}

static inline void *read_cert(FILE *f)
{
	return PEM_read_X509(f, NULL, NULL, NULL);
}

static inline EVP_PKEY *vec_key(const char *name)
{
	return vec_pem(name, read_key);
}

static inline X509 *vec_cert(const char *name)
{
	return vec_pem(name, read_cert);
}

static inline void vec_path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/keys/%s", VECTORS_DIR, name);
}

/* An Ethernet frame around an IPv6 packet (to feed mn_shard_rx). */
static inline size_t eth_wrap(uint8_t *out, const uint8_t *ip6, size_t len)
{
	static const uint8_t dst[6] = { 2, 0, 0, 1, 0, 0 }, src[6] = { 2, 0, 0, 0, 0, 2 };
	struct wire_buf b = wire_buf_make(out, MN_FRAME_MAX);

	wire_build_eth(&b, dst, src, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&b, ip6, len);
	assert_int_equal(b.err, WIRE_OK);
	return b.len;
}

/* The scenario the tests start from: one shard, no waiting for FBacks, no MH-LLA option. */
static inline void test_scen(struct mn_scen *s, unsigned nodes)
{
	scen_defaults(s);
	s->nodes = nodes;
	s->ho_mn_lla = false;
	s->ho_interval_ms = 10;
}

#endif /* FMIP_MN_TEST_H */
