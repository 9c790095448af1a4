/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac — engine, keys, per-lcore contexts and the ipsec-mb burst path.
 * The OpenSSL backend lives in mac_ossl.c.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <intel-ipsec-mb.h>
#include <x86intrin.h>

#include "mac.h"
#include "mac_priv.h"

#define MAC_BLOCK 64 /* SHA-1 and SHA-256 block size */

static const char *const arch_names[MAC_ARCH__COUNT] = {
	[MAC_ARCH_AUTO] = "auto", [MAC_ARCH_SSE] = "sse",	[MAC_ARCH_AVX] = "avx",
	[MAC_ARCH_AVX2] = "avx2", [MAC_ARCH_AVX512] = "avx512", [MAC_ARCH_IMB_AUTO] = "imb-auto",
};

void mac_cfg_defaults(struct mac_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->backend = MAC_BACKEND_IPSECMB;
	cfg->arch = MAC_ARCH_AUTO;
	cfg->burst = 32;
	/* OpenSSL backend: a scratch copy then one update beat one update per segment in the
	 * recorded run (docs/performance.md, bench-fbu (b) vs (b')) */
	cfg->ossl_segmented = false;
	/* A1: AT 0 = HMAC-SHA1, first 96 bits; AT 1 = HMAC-SHA256, first 128 bits. */
	cfg->at[0].alg = MAC_ALG_HMAC_SHA1;
	cfg->at[0].tag_len = 12;
	cfg->at[1].alg = MAC_ALG_HMAC_SHA256;
	cfg->at[1].tag_len = 16;
}

int mac_arch_parse(const char *s)
{
	for (int i = 0; i < MAC_ARCH__COUNT; i++)
		if (strcmp(s, arch_names[i]) == 0)
			return i;
	return -1;
}

const char *mac_arch_name(enum mac_arch a)
{
	return (unsigned)a < MAC_ARCH__COUNT ? arch_names[a] : "?";
}

const char *mac_alg_name(enum mac_alg a)
{
	switch (a) {
	case MAC_ALG_HMAC_SHA1:
		return "hmac-sha1";
	case MAC_ALG_HMAC_SHA256:
		return "hmac-sha256";
	default:
		return "none";
	}
}

unsigned mac_alg_digest_len(enum mac_alg a)
{
	return a == MAC_ALG_HMAC_SHA1 ? 20 : a == MAC_ALG_HMAC_SHA256 ? 32 : 0;
}

/* Allocate and initialise a manager for arch; NULL if this CPU/library cannot run it. */
IMB_MGR *mac_imb_mgr_new(enum mac_arch a)
{
	IMB_MGR *m = alloc_mb_mgr(0);
	uint64_t need;
	IMB_ARCH got;

	if (m == NULL)
		return NULL;
	switch (a) {
	case MAC_ARCH_SSE:
		need = IMB_CPUFLAGS_SSE;
		break;
	case MAC_ARCH_AVX:
		need = IMB_CPUFLAGS_AVX;
		break;
	case MAC_ARCH_AVX2:
		need = IMB_CPUFLAGS_AVX2;
		break;
	case MAC_ARCH_AVX512:
		need = IMB_CPUFLAGS_AVX512;
		break;
	default:
		need = 0;
		break;
	}
	if ((m->features & need) != need) {
		free_mb_mgr(m);
		return NULL;
	}
	switch (a) {
	case MAC_ARCH_SSE:
		init_mb_mgr_sse(m);
		break;
	case MAC_ARCH_AVX:
		init_mb_mgr_avx(m);
		break;
	case MAC_ARCH_AVX2:
		init_mb_mgr_avx2(m);
		break;
	case MAC_ARCH_AVX512:
		init_mb_mgr_avx512(m);
		break;
	default:
		init_mb_mgr_auto(m, &got);
		break;
	}
	if (imb_get_errno(m) != 0) {
		free_mb_mgr(m);
		return NULL;
	}
	return m;
}

int mac_arch_available(enum mac_arch a)
{
	IMB_MGR *m;

	if (a == MAC_ARCH_AUTO || a == MAC_ARCH_IMB_AUTO)
		return 1;
	if ((unsigned)a >= MAC_ARCH__COUNT)
		return 0;
	m = mac_imb_mgr_new(a);
	if (m == NULL)
		return 0;
	free_mb_mgr(m);
	return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Engine and self-benchmark                                                                   */
/* ------------------------------------------------------------------------------------------ */

/*
 * TSC ticks per job of one burst of `burst` jobs with typical FBU MAC inputs (76..100 octets,
 * PROTOCOL.md 10.3-10.4), minimum over repetitions.
 */
static double self_bench(enum mac_arch a, enum mac_alg alg, unsigned burst)
{
	IMB_MGR *m = mac_imb_mgr_new(a);
	static alignas(64) uint8_t buf[MAC_BURST_MAX][128];
	static alignas(64) uint8_t dig[MAC_BURST_MAX][32];
	static alignas(64) IMB_JOB jobs[MAC_BURST_MAX];
	alignas(16) uint8_t ipad[32], opad[32], blk[MAC_BLOCK];
	uint64_t best = UINT64_MAX;

	if (m == NULL)
		return 0;
	memset(blk, 0x36, sizeof(blk));
	if (alg == MAC_ALG_HMAC_SHA1) {
		IMB_SHA1_ONE_BLOCK(m, blk, ipad);
		IMB_SHA1_ONE_BLOCK(m, blk, opad);
	} else {
		IMB_SHA256_ONE_BLOCK(m, blk, ipad);
		IMB_SHA256_ONE_BLOCK(m, blk, opad);
	}
	memset(jobs, 0, sizeof(jobs));
	for (unsigned i = 0; i < burst; i++) {
		memset(buf[i], (int)i, sizeof(buf[i]));
		imb_job_setup(&jobs[i], alg, ipad, opad, buf[i], 76 + (i % 4) * 8, dig[i]);
	}
	for (int rep = 0; rep < 200; rep++) {
		uint64_t t0 = __rdtsc();
		uint32_t done = imb_burst(m, jobs, burst, alg);
		uint64_t t = __rdtsc() - t0;
		/* a manager that fails jobs fast must not win: every job must have completed */
		if (done != burst || imb_get_errno(m) != 0) {
			best = UINT64_MAX;
			break;
		}
		if (rep >= 10 && t < best)
			best = t;
	}
	free_mb_mgr(m);
	return best == UINT64_MAX ? 0 : (double)best / burst;
}

int mac_engine_create(const struct mac_cfg *cfg, struct mac_engine **out)
{
	struct mac_engine *e;
	int rc;

	*out = NULL;
	if (cfg->burst == 0 || cfg->burst > MAC_BURST_MAX)
		return -EINVAL;
	if ((unsigned)cfg->arch >= MAC_ARCH__COUNT)
		return -EINVAL;
	if (cfg->backend != MAC_BACKEND_IPSECMB && cfg->backend != MAC_BACKEND_OPENSSL)
		return -EINVAL;
	for (int i = 0; i < MAC_AT_MAX; i++) {
		const struct mac_at_cfg *at = &cfg->at[i];
		if (at->alg == MAC_ALG_NONE)
			continue;
		if ((unsigned)at->alg >= MAC_ALG__COUNT || at->tag_len == 0 ||
		    at->tag_len > mac_alg_digest_len(at->alg))
			return -EINVAL;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	e->cfg = *cfg;

	if (cfg->arch == MAC_ARCH_AUTO) {
		for (int alg = MAC_ALG_HMAC_SHA1; alg < MAC_ALG__COUNT; alg++) {
			double best = 0;
			e->arch[alg] = MAC_ARCH_IMB_AUTO;
			for (int a = MAC_ARCH_SSE; a <= MAC_ARCH_AVX512; a++) {
				double c = self_bench(a, alg, cfg->burst);
				e->bench[a][alg] = c;
				if (c > 0 && (best == 0 || c < best)) {
					best = c;
					e->arch[alg] = a;
				}
			}
		}
	} else {
		if (!mac_arch_available(cfg->arch)) {
			free(e);
			return -ENOTSUP;
		}
		for (int alg = 0; alg < MAC_ALG__COUNT; alg++)
			e->arch[alg] = cfg->arch;
	}
	/* The control-path manager that computes ipad/opad states. */
	e->ctl = mac_imb_mgr_new(e->arch[MAC_ALG_HMAC_SHA1]);
	if (e->ctl == NULL) {
		free(e);
		return -ENOTSUP;
	}
	if (cfg->backend == MAC_BACKEND_OPENSSL) {
		rc = mac_ossl_engine_init(e);
		if (rc != 0) {
			free_mb_mgr(e->ctl);
			free(e);
			return rc;
		}
	}
	if (cfg->backend == MAC_BACKEND_OPENSSL)
		snprintf(e->desc, sizeof(e->desc), "openssl (%s)",
			 cfg->ossl_segmented ? "segmented" : "scratch copy");
	else
		snprintf(e->desc, sizeof(e->desc), "ipsec-mb %s sha1=%s sha256=%s%s",
			 IMB_VERSION_STR, mac_arch_name(e->arch[MAC_ALG_HMAC_SHA1]),
			 mac_arch_name(e->arch[MAC_ALG_HMAC_SHA256]),
			 cfg->arch == MAC_ARCH_AUTO ? " (self-benchmark)" : "");
	*out = e;
	return 0;
}

void mac_engine_destroy(struct mac_engine *e)
{
	if (e == NULL)
		return;
	mac_ossl_engine_fini(e);
	free_mb_mgr(e->ctl);
	free(e);
}

const struct mac_cfg *mac_engine_cfg(const struct mac_engine *e)
{
	return &e->cfg;
}

enum mac_arch mac_engine_arch(const struct mac_engine *e, enum mac_alg alg)
{
	return (unsigned)alg < MAC_ALG__COUNT ? e->arch[alg] : MAC_ARCH_AUTO;
}

double mac_engine_bench_cycles(const struct mac_engine *e, enum mac_arch a, enum mac_alg alg)
{
	if ((unsigned)a >= MAC_ARCH__COUNT || (unsigned)alg >= MAC_ALG__COUNT)
		return 0;
	return e->bench[a][alg];
}

const char *mac_engine_describe(const struct mac_engine *e)
{
	return e->desc;
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                        */
/* ------------------------------------------------------------------------------------------ */

int mac_key_init(const struct mac_engine *e, struct mac_key *k, uint8_t at, const uint8_t *key,
		 size_t key_len)
{
	alignas(16) uint8_t kb[MAC_BLOCK], blk[MAC_BLOCK];
	const struct mac_at_cfg *ac;
	int rc = 0;

	memset(k, 0, sizeof(*k));
	if (at >= MAC_AT_MAX || key == NULL || key_len == 0 || key_len > MAC_KEY_MAX)
		return -EINVAL;
	ac = &e->cfg.at[at];
	if (ac->alg == MAC_ALG_NONE)
		return -EINVAL;
	k->at = at;
	k->alg = (uint8_t)ac->alg;
	k->tag_len = ac->tag_len;
	k->digest_len = (uint8_t)mac_alg_digest_len(ac->alg);

	/* RFC 2104: K' = H(K) when K is longer than the block, then zero-padded. */
	memset(kb, 0, sizeof(kb));
	if (key_len > MAC_BLOCK) {
		if (ac->alg == MAC_ALG_HMAC_SHA1)
			IMB_SHA1(e->ctl, key, key_len, kb);
		else
			IMB_SHA256(e->ctl, key, key_len, kb);
	} else {
		memcpy(kb, key, key_len);
	}
	for (int i = 0; i < MAC_BLOCK; i++)
		blk[i] = kb[i] ^ 0x36;
	if (ac->alg == MAC_ALG_HMAC_SHA1)
		IMB_SHA1_ONE_BLOCK(e->ctl, blk, k->ipad);
	else
		IMB_SHA256_ONE_BLOCK(e->ctl, blk, k->ipad);
	for (int i = 0; i < MAC_BLOCK; i++)
		blk[i] = kb[i] ^ 0x5c;
	if (ac->alg == MAC_ALG_HMAC_SHA1)
		IMB_SHA1_ONE_BLOCK(e->ctl, blk, k->opad);
	else
		IMB_SHA256_ONE_BLOCK(e->ctl, blk, k->opad);

	if (e->cfg.backend == MAC_BACKEND_OPENSSL)
		rc = mac_ossl_key_init(e, k, key, key_len);
	mac_explicit_bzero(kb, sizeof(kb));
	mac_explicit_bzero(blk, sizeof(blk));
	if (rc != 0)
		mac_key_clear(k);
	return rc;
}

void mac_explicit_bzero(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void mac_key_clear(struct mac_key *k)
{
	if (k == NULL)
		return;
	mac_ossl_key_clear(k);
	mac_explicit_bzero(k, sizeof(*k));
}

/* ------------------------------------------------------------------------------------------ */
/* Per-lcore context                                                                           */
/* ------------------------------------------------------------------------------------------ */

struct mac_ctx *mac_ctx_create(const struct mac_engine *e)
{
	struct mac_ctx *c;

	if (posix_memalign((void **)&c, 64, sizeof(*c)) != 0)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->eng = e;
	c->backend = e->cfg.backend;
	c->segmented = e->cfg.ossl_segmented;
	for (int at = 0; at < MAC_AT_MAX; at++) {
		c->at_alg[at] = (uint8_t)e->cfg.at[at].alg;
		c->at_tag[at] = e->cfg.at[at].tag_len;
	}
	for (int alg = MAC_ALG_HMAC_SHA1; alg < MAC_ALG__COUNT; alg++)
		for (int i = 0; i < MAC_BURST_MAX; i++)
			imb_job_setup(&c->jobs[alg][i], (enum mac_alg)alg, NULL, NULL, NULL, 0,
				      NULL);
	if (c->backend == MAC_BACKEND_IPSECMB) {
		for (int alg = MAC_ALG_HMAC_SHA1; alg < MAC_ALG__COUNT; alg++) {
			/* share one manager when both algorithms use the same arch */
			if (alg > MAC_ALG_HMAC_SHA1 && e->arch[alg] == e->arch[MAC_ALG_HMAC_SHA1]) {
				c->mgr[alg] = c->mgr[MAC_ALG_HMAC_SHA1];
				continue;
			}
			c->mgr[alg] = mac_imb_mgr_new(e->arch[alg]);
			if (c->mgr[alg] == NULL) {
				mac_ctx_destroy(c);
				return NULL;
			}
		}
	} else if (mac_ossl_ctx_init(c) != 0) {
		mac_ctx_destroy(c);
		return NULL;
	}
	return c;
}

void mac_ctx_destroy(struct mac_ctx *c)
{
	if (c == NULL)
		return;
	if (c->mgr[MAC_ALG_HMAC_SHA256] != NULL &&
	    c->mgr[MAC_ALG_HMAC_SHA256] != c->mgr[MAC_ALG_HMAC_SHA1])
		free_mb_mgr(c->mgr[MAC_ALG_HMAC_SHA256]);
	if (c->mgr[MAC_ALG_HMAC_SHA1] != NULL)
		free_mb_mgr(c->mgr[MAC_ALG_HMAC_SHA1]);
	mac_ossl_ctx_fini(c);
	mac_explicit_bzero(c->scratch, sizeof(c->scratch));
	mac_explicit_bzero(c->digest, sizeof(c->digest));
	free(c);
}
