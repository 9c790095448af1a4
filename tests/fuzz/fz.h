/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/fuzz/fz — what the fuzz targets share (tests/fuzz/meson.build links fz.c into every
 * target, in the fuzz build and in the replay executables of the normal build):
 *
 *   - the test credentials, loaded once and never freed (LeakSanitizer sees them reachable):
 *     mn1 (the vectors' mobile node: key + CGA), ar1 (the vectors' router key with its
 *     published link-local CGA and the certification path of tests/fuzz/pki), the trust
 *     anchor of tests/fuzz/pki and the vectors' own (MD5, expired) anchor;
 *   - the oracles' helpers (fz_inside aborts when a decoder's view leaves the input);
 *   - fz_fix_csum, which sets a mutated packet's ICMPv6/MH checksum right so that mutations
 *     reach the message decoders;
 *   - fz_sign, the "signed variant" helper: it cuts a fuzzed ICMPv6 message before its first
 *     RSA Signature option and signs it (send_sign_finish), so that the code behind the
 *     signature check is reached (a message whose option walk fails is not signed).
 *
 * Set-up failures abort: a target that cannot load its credentials must not look clean.
 * VECTORS_DIR and FUZZ_DIR are compiled in by tests/fuzz/meson.build.
 */
#ifndef FMIPGW_FZ_H
#define FMIPGW_FZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "send.h"
#include "wire.h"

#define FZ_T0	  1704067200u /* 2024-01-01T00:00:00Z: the vectors' timestamps */
#define FZ_TS(s)  ((uint64_t)(s) << 16)
#define FZ_NOW	  (FZ_TS(FZ_T0) + 1) /* 1/65536 s after the vectors' timestamps */
#define FZ_MAX_IN 65536		     /* larger inputs are ignored */

/* The vectors' addresses (tests/vectors/reference.json). */
extern const uint8_t fz_mn1_addr[16];	 /* 2003::3049:deeb:fd31:70b0, mn1's CGA */
extern const uint8_t fz_ar1_ll[16];	 /* fe80::20a7:895c:2302:73f1, ar1's link-local CGA */
extern const uint8_t fz_all_routers[16]; /* ff02::2 */
extern const uint8_t fz_ref_nonce[14];	 /* 1..14: the reference RtSolPr's nonce */
#define FZ_REF_IDENTIFIER 0x1234	 /* ... and its Identifier */
extern const uint8_t fz_seal_key[32];	 /* fuzz_seal's KEK (and its seeds') */
#define FZ_SEAL_LABEL "fmipgw-fuzz"

EVP_PKEY *fz_key(const char *name); /* tests/vectors/keys/<name>; shared, do not free */
const struct send_creds *fz_mn1(void);
const struct send_creds *fz_ar1(void);	     /* with router.cert.pem + ca.cert.pem */
X509 *fz_pki_cert(const char *name);	     /* tests/fuzz/pki/<name>; shared, do not free */
const struct send_trust *fz_trust(void);     /* tests/fuzz/pki/trust-anchor.pem */
const struct send_trust *fz_trust_md5(void); /* tests/vectors/keys/ca.cert_ipext.pem */
const struct send_cfg *fz_send_cfg(void);    /* send_cfg_default() */
/*
 * Served prefixes for the certificate checks, by selector (tests/fuzz/pki's router certificate
 * covers 2003::/64 and fe80::/64): 0 none, 1 2003::/64, 2 2003::/64 + fe80::/64, 3 3000::/64,
 * 4 2003:0:0:1::/64, 5 2003::/16, 6 2003::1/128, 7 ::/0.  Returns how many (at most 2).
 */
unsigned fz_served(unsigned sel, struct send_prefix p[2]);
/* Full path of a file under tests/fuzz (for the fmipctl options that take file names). */
const char *fz_path(const char *rel);

/* Abort unless [p, p+n) lies inside [data, data+size) (n == 0 always passes). */
static inline void fz_inside(const void *p, size_t n, const uint8_t *data, size_t size)
{
	const uint8_t *q = p;
	if (n && (q < data || q > data + size || n > (size_t)(data + size - q)))
		abort();
}

/* A heap copy of exactly n octets (so that ASan sees over-reads); free() it. */
uint8_t *fz_dup(const uint8_t *p, size_t n);

/* Set the ICMPv6 or MH (A16) checksum of a packet right, in place. */
void fz_fix_csum(uint8_t *buf, size_t len, enum wire_link link);

/*
 * An IPv6 packet src -> dst, Hop Limit 255, carrying the ICMPv6 message msg cut before its
 * first RSA Signature option (when the option walk finds one), signed with c.  Returns the
 * packet length, or 0 when msg is shorter than an ICMPv6 header or the result does not fit.
 */
size_t fz_sign(const struct send_creds *c, const uint8_t src[16], const uint8_t dst[16],
	       const uint8_t *msg, size_t len, uint8_t *out, size_t cap);

#endif /* FMIPGW_FZ_H */
