/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac — the FBU/FBack authenticator (RFC 5568 §6.4.5, PROTOCOL.md 1.9) in bursts.
 *
 * An engine (created once, from configuration) holds the AT -> algorithm map (A1) and the
 * backend choice.  Keys are installed once, on the control lcore: mac_key_init() computes the
 * HMAC inner/outer chaining states (ipad/opad) so that a packet costs only the hash of its own
 * data.  Each worker lcore owns one struct mac_ctx (cache aligned, created with
 * mac_ctx_create()) and calls mac_verify_burst() once per RX burst.
 *
 * Backends:
 *   - ipsec-mb (default): one IMB_MGR and one job array per lcore; one
 *     IMB_SUBMIT_HASH_BURST_NOCHECK per algorithm per burst.  Hash jobs need contiguous input:
 *     give it in place (mac_burst_add with wire_mac_inplace) or as segments, which are copied
 *     into a per-lcore scratch area; tags are written to scratch and their prefix compared in
 *     constant time.  The manager (sse/avx/avx2/avx512) is
 *     configuration; "auto" runs a start-up self-benchmark at the configured burst size and
 *     keeps the fastest manager per algorithm.
 *   - OpenSSL: EVP_MD_CTX copies of the precomputed inner/outer states, per job.  For machines
 *     without ipsec-mb and as the cross-check.  It may allocate (OpenSSL does), so it is not
 *     the fast path.
 *
 * Per-packet functions (mac_verify_burst, mac_generate_burst with the ipsec-mb backend) do no
 * allocation, take no lock, call no OpenSSL and log nothing.
 */
#ifndef FMIPGW_MAC_H
#define FMIPGW_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mac_alg {
	MAC_ALG_NONE = 0,    /* AT not supported */
	MAC_ALG_HMAC_SHA1,   /* block 64, digest 20 */
	MAC_ALG_HMAC_SHA256, /* block 64, digest 32 */
	MAC_ALG__COUNT
};

enum mac_backend {
	MAC_BACKEND_IPSECMB = 0,
	MAC_BACKEND_OPENSSL,
};

/* ipsec-mb manager choice. */
enum mac_arch {
	MAC_ARCH_AUTO = 0, /* start-up self-benchmark: the fastest available manager per alg */
	MAC_ARCH_SSE,
	MAC_ARCH_AVX,
	MAC_ARCH_AVX2,
	MAC_ARCH_AVX512,
	MAC_ARCH_IMB_AUTO, /* whatever init_mb_mgr_auto() picks */
	MAC_ARCH__COUNT
};

#define MAC_AT_MAX    16   /* the AT field is 4 bits (RFC 5269 §6.1) */
#define MAC_BURST_MAX 64   /* jobs per call; the ok mask is 64 bits */
#define MAC_INPUT_MAX 2080 /* 16 + 16 + the longest MH (8 * 256) */
#define MAC_TAG_MAX   32   /* == WIRE_BADF_MAX_AUTH */
#define MAC_KEY_MAX   256  /* longest key accepted by mac_key_init() */

struct mac_at_cfg {
	enum mac_alg alg; /* MAC_ALG_NONE: this AT is not enabled */
	uint8_t tag_len;  /* octets kept (truncation), 1..digest length */
};

struct mac_cfg {
	enum mac_backend backend;
	enum mac_arch arch;
	unsigned burst;	     /* burst size the self-benchmark measures (default 32) */
	bool ossl_segmented; /* OpenSSL backend: hash segments in place, or copy first (default) */
	struct mac_at_cfg at[MAC_AT_MAX];
};

/* A1 defaults: AT 0 = HMAC-SHA1-96, AT 1 = HMAC-SHA256-128; ipsec-mb, auto, burst 32. */
void mac_cfg_defaults(struct mac_cfg *cfg);

/* "sse", "avx", "avx2", "avx512", "auto", "imb-auto"; -1 if unknown. */
int mac_arch_parse(const char *s);
const char *mac_arch_name(enum mac_arch a);
const char *mac_alg_name(enum mac_alg a);
/* 1 if this CPU and ipsec-mb build can run the manager (AUTO/IMB_AUTO: always 1). */
int mac_arch_available(enum mac_arch a);

struct mac_engine;

/* Validates the configuration (AT map, tag lengths); runs the self-benchmark for AUTO.
 * Returns 0 or -errno (-EINVAL bad config, -ENOTSUP manager unavailable, -ENOMEM). */
int mac_engine_create(const struct mac_cfg *cfg, struct mac_engine **out);
void mac_engine_destroy(struct mac_engine *eng);
const struct mac_cfg *mac_engine_cfg(const struct mac_engine *eng);
/* The manager used for an algorithm (after the self-benchmark for AUTO). */
enum mac_arch mac_engine_arch(const struct mac_engine *eng, enum mac_alg alg);
/* Self-benchmark result: TSC ticks per job for (arch, alg) at the configured burst; 0 when not
 * measured (arch not available, or arch was not AUTO). */
double mac_engine_bench_cycles(const struct mac_engine *eng, enum mac_arch arch, enum mac_alg alg);
/* One line describing the choice, e.g. "ipsec-mb sha1=sse sha256=avx512 (self-benchmark)". */
const char *mac_engine_describe(const struct mac_engine *eng);

struct mac_ossl_state; /* OpenSSL backend only */

/* A key with its precomputed HMAC states.  Plain data apart from `ossl`; clear it with
 * mac_key_clear() (zeroes everything).  ipad and opad are the first 64 octets: a 64-aligned
 * mac_key has all the burst path reads (mac_burst_add) in one cache line (lib/keytab relies
 * on it); at/alg/tag_len follow in the next line and are read by mac_verify_burst and the
 * OpenSSL backend, not by mac_burst_add (it takes the AT from the caller). */
struct mac_key {
	uint8_t ipad[32] __attribute__((aligned(16))); /* ipsec-mb chaining state after K^ipad */
	uint8_t opad[32] __attribute__((aligned(16))); /* ... after K^opad */
	uint8_t at;
	uint8_t alg;	    /* enum mac_alg */
	uint8_t tag_len;    /* from the AT map */
	uint8_t digest_len; /* 20 or 32 */
	struct mac_ossl_state *ossl;
};

/*
 * Install a key for AT at (control path).  -EINVAL: AT not enabled, key empty or longer than
 * MAC_KEY_MAX; -ENOMEM.  Keys longer than the block size are hashed first (RFC 2104).
 * Uses the engine's control-path manager: call from one thread at a time (the control lcore).
 */
int mac_key_init(const struct mac_engine *eng, struct mac_key *k, uint8_t at, const uint8_t *key,
		 size_t key_len);
void mac_key_clear(struct mac_key *k);

/* One MAC computation or check. */
struct mac_job {
	const struct mac_key *key;  /* NULL: the job fails (no key) */
	const struct wire_seg *seg; /* MAC input */
	uint32_t nseg;
	uint32_t len;	    /* total octets of seg[], <= MAC_INPUT_MAX */
	const uint8_t *tag; /* verify: the received authenticator */
	uint32_t tag_len;   /* verify: its length (must equal key->tag_len) */
	uint8_t *out;	    /* generate: key->tag_len octets are written here */
};

/* Fill a verify job from lib/wire's MAC input view (segments + authenticator). */
static inline void mac_job_from_input(struct mac_job *j, const struct mac_key *k,
				      const struct wire_mac_input *in)
{
	j->key = k;
	j->seg = in->seg;
	j->nseg = in->n;
	j->len = in->total;
	j->tag = in->auth;
	j->tag_len = in->auth_len;
	j->out = NULL;
}

/* Per-lcore state: one per worker, never shared. */
struct mac_ctx;

struct mac_ctx *mac_ctx_create(const struct mac_engine *eng);
void mac_ctx_destroy(struct mac_ctx *ctx);

/*
 * Check n (<= MAC_BURST_MAX) authenticators.  Bit i of *ok_mask is set iff job i has a key,
 * a tag of the key's length, a valid input, and its authenticator matches (constant time).
 * Returns the number of set bits.
 */
unsigned mac_verify_burst(struct mac_ctx *ctx, const struct mac_job *jobs, unsigned n,
			  uint64_t *ok_mask);

/* Compute n tags into jobs[i].out (key->tag_len octets).  Returns the number written; jobs
 * without a key or with a bad length are skipped. */
unsigned mac_generate_burst(struct mac_ctx *ctx, const struct mac_job *jobs, unsigned n);

/*
 * Per-packet burst building (issue 14): the worker adds each check while it parses, into the
 * IMB_JOB arrays of its context (grouped by algorithm as they are added), and one
 * mac_burst_verify() per burst submits one IMB_SUBMIT_HASH_BURST_NOCHECK per algorithm
 * present and compares each digest with its tag in the same pass.
 *
 *   mac_burst_begin(ctx);                          (once; mac_burst_verify() begins the next)
 *   per FBU:  slot = mac_burst_add(ctx, &rec->mac, at, in, len, tag, tag_len);
 *     in:  the contiguous MAC input, e.g. wire_mac_inplace.start / .len (no copy)
 *     at:  the AT the key was installed for (keytab_batch.at[i]: no read of the record's
 *          second cache line; the AT map is the engine's, kept in ctx)
 *     tag: the received authenticator; tag_len must be the AT's length (A3), else the slot
 *          never verifies
 *   or, when the input is not contiguous (octets after the authenticator):
 *            slot = mac_burst_add_segs(ctx, &rec->mac, at, &wire_mac_input);  (gathered)
 *   ok = mac_burst_verify(ctx);                    bit `slot` set iff that check passed
 *
 * Slots are numbered 0, 1, ... in the order of the adds; -1 means the burst is full
 * (MAC_BURST_MAX): verify first.  A NULL key, an AT that is not enabled or an input longer
 * than MAC_INPUT_MAX gives a slot that never verifies.  The inputs and tags must stay where
 * they are until mac_burst_verify() returns (restore an in-place input only after it).  Both
 * backends; no allocation, lock, OpenSSL call or log with ipsec-mb.
 */
void mac_burst_begin(struct mac_ctx *ctx);
int mac_burst_add(struct mac_ctx *ctx, const struct mac_key *k, uint8_t at, const uint8_t *in,
		  uint32_t len, const uint8_t *tag, uint32_t tag_len);
int mac_burst_add_segs(struct mac_ctx *ctx, const struct mac_key *k, uint8_t at,
		       const struct wire_mac_input *in);
uint64_t mac_burst_verify(struct mac_ctx *ctx);

/*
 * Constant-time equality of n octets: 1 equal, 0 different.  Word-wise (8-octet XORs, the
 * last one overlapping), no byte loop, no branch on the data, no early exit.
 */
int mac_ct_equal(const uint8_t *a, const uint8_t *b, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_MAC_H */
