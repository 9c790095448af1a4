/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/cga — Cryptographically Generated Addresses (RFC 3972; PROTOCOL.md section 3).
 *
 * Verification runs the seven steps of RFC 3972 §5 in order and stops at the first failure;
 * each step has its own error code, so callers (lib/send, fmipctl) can say which one failed.
 * The CGA Parameters are parsed only through lib/wire (wire_cga_params_decode); SHA-1 and the
 * DER public key come from OpenSSL.
 *
 * Public keys: cga_pubkey_parse() is the fast path (the rsaEncryption SubjectPublicKeyInfo is
 * split with OpenSSL's ASN1_get_object and its inner RSAPublicKey handed to
 * d2i_PublicKey(EVP_PKEY_RSA)); cga_pubkey_parse_generic() is OpenSSL 3.0's d2i_PUBKEY, which
 * walks the provider decoder chain and costs several times more (perf/bench-send measures
 * both; docs/credentials.md has the figures).
 */
#ifndef FMIPGW_CGA_H
#define FMIPGW_CGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, text.  Steps are RFC 3972 §5 step numbers. */
#define CGA_ERRORS(X)                                                                       \
	X(OK, "ok")                                                                         \
	X(PARAMS, "malformed cga parameters") /* wire_cga_params_decode refused them */     \
	X(COLLISION_COUNT, "step 1: collision count not 0, 1 or 2")                         \
	X(PREFIX, "step 2: subnet prefix differs from the address")                         \
	X(HASH1_COMPUTE, "step 3: hash1 computation failed")                                \
	X(HASH1, "step 4: hash1 does not match the interface identifier")                   \
	X(SEC, "step 5: unsupported sec value") /* Sec 3..7 are unassigned (RFC 4982) */    \
	X(HASH2_COMPUTE, "step 6: hash2 computation failed")                                \
	X(HASH2, "step 7: hash2 lacks 16*sec leading zero bits")                            \
	X(KEY, "public key is not a usable rsa key")                                        \
	X(COLLISIONS, "three address collisions") /* generation, RFC 3972 §4 step 8 */     \
	X(ITERATIONS, "modifier search gave up")  /* generation, iteration limit reached */ \
	X(NOSPACE, "output buffer too small")                                               \
	X(INTERNAL, "internal error")

enum cga_err {
#define CGA_ERR_ENUM(n, s) CGA_E_##n,
	CGA_ERRORS(CGA_ERR_ENUM)
#undef CGA_ERR_ENUM
	    CGA_E__COUNT
};
#define CGA_OK CGA_E_OK

/* Stable text for an error; never NULL. */
const char *cga_strerror(int err);
/* Short machine name ("hash1", "prefix", ...), used in fmipctl's JSON; never NULL. */
const char *cga_errname(int err);
/* The RFC 3972 §5 step an error belongs to (1..7), or 0 for errors outside the steps. */
int cga_err_step(int err);

enum {
	CGA_MODIFIER_LEN = 16,
	CGA_PREFIX_LEN = 8,
	CGA_FIXED_LEN = 25,	   /* modifier + prefix + collision count */
	CGA_SEC_MAX = 2,	   /* Sec values with an assigned hash (SHA-1, RFC 4982) */
	CGA_PARAMS_MAX = 2040 - 4, /* what one CGA option can carry (RFC 3971 §5.1) */
};

/* Sec of an address: the three leftmost bits of the interface identifier. */
static inline unsigned cga_addr_sec(const uint8_t addr[16])
{
	return addr[8] >> 5;
}

/* What verification learnt, for callers that want more than the verdict. */
struct cga_info {
	unsigned sec;
	uint8_t hash1[8];
	uint8_t hash2[14];     /* 112 bits */
	const uint8_t *pubkey; /* DER SubjectPublicKeyInfo inside the caller's params */
	size_t pubkey_len;
	int step; /* the step that failed (0 on success) */
};

/*
 * RFC 3972 §5: verify that addr is the CGA of params (params_len octets: the CGA Parameters
 * exactly, no option padding).  info may be NULL.  Returns CGA_OK or the first failing step's
 * error.  Does not parse the public key (see cga_pubkey_parse).
 */
int cga_verify(const uint8_t addr[16], const uint8_t *params, size_t params_len,
	       struct cga_info *info);

/* Hash1 (64 bits) and Hash2 (112 bits) over a CGA Parameters structure (RFC 3972 §4). */
int cga_hash1(const uint8_t *params, size_t params_len, uint8_t out[8]);
int cga_hash2(const uint8_t *params, size_t params_len, uint8_t out[14]);

/*
 * Generation (RFC 3972 §4).  The caller supplies the key (DER SubjectPublicKeyInfo), prefix,
 * Sec and optional extension fields (TLVs, carried through into the parameters and both
 * hashes).  modifier_start NULL means a random start (RAND_bytes); given, the search counts up
 * from it as a 128-bit big-endian integer, so the result is reproducible (PROTOCOL.md §10: the
 * AR's modifier 0...e6d1).  max_iter bounds the modifier search (0 = no bound; Sec 2 needs
 * about 2^32 hashes).  in_use, when set, is RFC 3972 §4 step 8 (duplicate address detection):
 * it returns true if the address collides, and the collision count is bumped; after three
 * collisions generation fails with CGA_E_COLLISIONS.
 */
struct cga_gen_req {
	const uint8_t *pubkey; /* DER SubjectPublicKeyInfo */
	size_t pubkey_len;
	uint8_t prefix[8];
	unsigned sec;	    /* 0..CGA_SEC_MAX */
	const uint8_t *ext; /* extension fields, may be NULL */
	size_t ext_len;
	const uint8_t *modifier_start; /* 16 octets or NULL */
	uint64_t max_iter;
	bool (*in_use)(const uint8_t addr[16], void *arg);
	void *in_use_arg;
};
struct cga_gen_res {
	uint8_t addr[16];
	size_t params_len;   /* octets written to the caller's params buffer */
	uint64_t iterations; /* Hash2 computations done */
	uint8_t collision_count;
};
int cga_generate(const struct cga_gen_req *req, uint8_t *params, size_t params_cap,
		 struct cga_gen_res *res);

/*
 * Public keys.  Both return a new EVP_PKEY (public RSA) or NULL; *used (may be NULL) receives
 * the DER length consumed.  cga_pubkey_parse accepts only rsaEncryption SPKIs.
 */
EVP_PKEY *cga_pubkey_parse(const uint8_t *der, size_t len, size_t *used);
EVP_PKEY *cga_pubkey_parse_generic(const uint8_t *der, size_t len, size_t *used);

/*
 * DER SubjectPublicKeyInfo of a key (public part).  Returns the length written, or 0 if it
 * does not fit in cap (or on error).  With out NULL returns the length needed.
 */
size_t cga_pubkey_der(const EVP_PKEY *key, uint8_t *out, size_t cap);

/* SHA-1 of the SubjectPublicKeyInfo, leftmost 128 bits: SEND's Key Hash (RFC 3971 §5.2). */
int cga_key_hash(const uint8_t *der, size_t len, uint8_t out[16]);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_CGA_H */
