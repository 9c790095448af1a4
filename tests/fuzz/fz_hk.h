/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/fuzz/fz_hk — the RFC 5269 harnesses shared by the plain and the signed fuzz targets of
 * each role (fuzz_hk_rtsolpr{,_signed}, fuzz_hk_prrtadv{,_signed}): the same set-up, flags
 * and oracles; the signed targets only build their packet with fz_sign() first.
 *
 * AR role (fz_ar_serve): hk_ar_rtsolpr() as the gateway runs it, with ar1's key, its
 * link-local CGA and certificate, eight configured access points, a key store and a fresh
 * replay cache and exact-replay ring per input.  Flags:
 *   bit 0  no A19 failure replies          bit 1  accept_nonce_only (A6)
 *   bit 2  the store already holds a live key for mn1 (with mn1's public key hash)
 *   bit 3  only AT 0 enabled (AT resolution, A1)
 *   bit 4  link MTU 1280 (AP tuples cut, Code 3)
 *   bit 5  the store's key for mn1 is past its lifetime (A13)
 *   bit 6  the same packet is served again 1 s later (it must be a replay if the first passed
 *          SEND validation, refused with no CGA or RSA work: issue 13 item 6)
 * Oracles: a key operation only with reason OK and a reply that carries it; a new key has the
 * AT's length, the CGA, the issue time and HK-LIFETIME; every reply decodes as a PrRtAdv from
 * ar1 to the solicitation's source, Hop Limit 255, and passes send_verify() with ar1's
 * certified key and the solicitation's nonce; in the signed variant, when the Handover Key
 * Request carries mn2's key, mn2 decrypts the reply's key to the one issued.
 *
 * MN role (fz_mn_process): hk_mn_prrtadv() on a copy of an MN (mn1) that knows ar1 as its
 * router (tests/fuzz/pki/router.cert.pem) and has the reference RtSolPr outstanding (nonce
 * 1..14, Identifier 0x1234, encryption key mn2).  Flags:
 *   bit 0  only AT 0 supported            bit 1  the router is not known (NEED_PATH)
 *   bit 2  processed 400 s after the solicitation (it has expired: NONCE)
 * Oracles: OK stores a key for (ar1, mn1) of the AT's length, received now, and consumes the
 * solicitation; anything else stores nothing and leaves the solicitation outstanding.
 */
#ifndef FMIPGW_FZ_HK_H
#define FMIPGW_FZ_HK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void fz_ar_serve(const uint8_t *pkt, size_t len, unsigned flags, bool signed_variant);
void fz_mn_process(const uint8_t *pkt, size_t len, unsigned flags);

#endif /* FMIPGW_FZ_HK_H */
