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
	/* the burst being built (mac_burst_*, mac_verify_burst, mac_generate_burst) */
	uint32_t nb;		       /* slots used */
	uint32_t nalg[MAC_ALG__COUNT]; /* ipsec-mb jobs per algorithm */
	uint32_t scratch_off;	       /* gathered inputs so far */
	uint64_t bad;		       /* slots that cannot verify (no key, bad length...) */
	uint8_t at_alg[MAC_AT_MAX];    /* the engine's AT map (A1), next to the burst state */
	uint8_t at_tag[MAC_AT_MAX];
	uint8_t slot_tag_len[MAC_BURST_MAX];
	const uint8_t *slot_tag[MAC_BURST_MAX];
	uint8_t idx[MAC_ALG__COUNT][MAC_BURST_MAX]; /* job q of an algorithm -> slot */
	struct mac_job ojobs[MAC_BURST_MAX];	    /* OpenSSL backend: the burst as jobs */
	struct wire_seg oseg[MAC_BURST_MAX][WIRE_MAC_SEGS];
	/* one job array per algorithm, constant fields filled once (mac_ctx_create) */
	IMB_JOB jobs[MAC_ALG__COUNT][MAC_BURST_MAX] __attribute__((aligned(64)));
	uint8_t digest[MAC_BURST_MAX][32] __attribute__((aligned(64)));
	/* gathered MAC inputs, each at a 64-octet boundary; sized for the worst case */
	uint8_t scratch[MAC_BURST_MAX * ((MAC_INPUT_MAX + 63) & ~63)] __attribute__((aligned(64)));
} __attribute__((aligned(64)));

static inline void imb_job_setup(IMB_JOB *j, enum mac_alg alg, const uint8_t *ipad,
				 const uint8_t *opad, const uint8_t *src, uint32_t len,
				 uint8_t *digest)
{
	j->hash_alg = alg == MAC_ALG_HMAC_SHA1 ? IMB_AUTH_HMAC_SHA_1 : IMB_AUTH_HMAC_SHA_256;
	j->cipher_mode = IMB_CIPHER_NULL;
	j->chain_order = IMB_ORDER_HASH_CIPHER;
	j->src = src;
	j->hash_start_src_offset_in_bytes = 0;
	j->msg_len_to_hash_in_bytes = len;
	j->auth_tag_output = digest;
	/* Full digest: 1.3 rejects some truncated lengths; NOCHECK writes what we ask. */
	j->auth_tag_output_len_in_bytes = alg == MAC_ALG_HMAC_SHA1 ? 20 : 32;
	j->u.HMAC._hashed_auth_key_xor_ipad = ipad;
	j->u.HMAC._hashed_auth_key_xor_opad = opad;
}

static inline uint32_t imb_burst(IMB_MGR *m, IMB_JOB *jobs, uint32_t n, enum mac_alg alg)
{
	return IMB_SUBMIT_HASH_BURST_NOCHECK(
	    m, jobs, n, alg == MAC_ALG_HMAC_SHA1 ? IMB_AUTH_HMAC_SHA_1 : IMB_AUTH_HMAC_SHA_256);
}

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
