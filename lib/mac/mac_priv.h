/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/mac internals shared by mac.c (ipsec-mb) and mac_ossl.c (OpenSSL). Not installed. */
#ifndef FMIPGW_MAC_PRIV_H
#define FMIPGW_MAC_PRIV_H

#include <intel-ipsec-mb.h>

#include "mac.h"

struct mac_ossl_engine;
struct mac_ossl_ctx;

struct mac_engine {
	struct mac_cfg cfg;
	enum mac_arch arch[MAC_ALG__COUNT];	       /* manager per algorithm */
	double bench[MAC_ARCH__COUNT][MAC_ALG__COUNT]; /* self-benchmark, ticks/job */
	IMB_MGR *ctl;				       /* control path: ipad/opad states */
	struct mac_ossl_engine *ossl;
	char desc[96];
};

/* Per-lcore state, one cache-aligned block. */
struct mac_ctx {
	IMB_MGR *mgr[MAC_ALG__COUNT];
	const struct mac_engine *eng;
	enum mac_backend backend;
	bool segmented;
	struct mac_ossl_ctx *ossl;
	uint8_t idx[MAC_BURST_MAX];
	/* one job array per algorithm, constant fields filled once (mac_ctx_create) */
	IMB_JOB jobs[MAC_ALG__COUNT][MAC_BURST_MAX] __attribute__((aligned(64)));
	uint8_t digest[MAC_BURST_MAX][32] __attribute__((aligned(64)));
	/* gathered MAC inputs, each at a 64-octet boundary; sized for the worst case */
	uint8_t scratch[MAC_BURST_MAX * ((MAC_INPUT_MAX + 63) & ~63)] __attribute__((aligned(64)));
} __attribute__((aligned(64)));

unsigned mac_alg_digest_len(enum mac_alg a);
IMB_MGR *mac_imb_mgr_new(enum mac_arch a);
void mac_explicit_bzero(void *p, size_t n);

/* mac_ossl.c */
int mac_ossl_engine_init(struct mac_engine *e);
void mac_ossl_engine_fini(struct mac_engine *e);
int mac_ossl_key_init(const struct mac_engine *e, struct mac_key *k, const uint8_t *key,
		      size_t key_len);
void mac_ossl_key_clear(struct mac_key *k);
int mac_ossl_ctx_init(struct mac_ctx *c);
void mac_ossl_ctx_fini(struct mac_ctx *c);
/* Compute digests of the well-formed jobs into c->digest[i]; returns the mask done. */
uint64_t mac_ossl_run(struct mac_ctx *c, const struct mac_job *jobs, unsigned n, int verify);

#endif
