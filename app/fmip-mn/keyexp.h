/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn key export: the handover keys a pcap's FBUs were made with, for a gateway that
 * imports them as a benchmarking aid.  Format (version 1, docs/fmip-mn.md "Key export"):
 *
 *   fmip-mn-keys 1
 *   # cga at key lifetime pk_sha1
 *   2003::3049:deeb:fd31:70b0 0 000102030405060708090a0b0c0d0e0f10111213 43200 <40 hex>
 *
 * The first line is the magic and the version.  Then one record per line, five fields
 * separated by one space: the CGA (RFC 5952 text), the AT (decimal, 0-15), the key (lower-case
 * hex, 20 octets for AT 0 and 32 for AT 1 under the default AT map, A9), the lifetime in
 * seconds counted from the import (1-65535), and SHA-1 of the CGA's public key (the DER
 * SubjectPublicKeyInfo, 40 hex digits, A8).  Lines starting with '#' are comments.  The file
 * is created with mode 0600 (it holds secrets) and never overwritten in place.
 */
#ifndef FMIP_MN_KEYEXP_H
#define FMIP_MN_KEYEXP_H

#include <stddef.h>
#include <stdint.h>

#include "hk.h"

#define MN_KEYEXP_MAGIC	  "fmip-mn-keys"
#define MN_KEYEXP_VERSION 1

struct mn_keyexp;
/* Create path (mode 0600, through a temporary name renamed at close): NULL with err. */
struct mn_keyexp *mn_keyexp_open(const char *path, char *err, size_t len);
/* One record; lifetime in seconds from the import. */
int mn_keyexp_add(struct mn_keyexp *x, const uint8_t cga[16], uint8_t at, const uint8_t *key,
		  size_t key_len, uint32_t lifetime, const uint8_t pk_sha1[20]);
/* Finish (rename into place): 0, or -1 with err (nothing is left behind). */
int mn_keyexp_close(struct mn_keyexp *x, char *err, size_t len);
/* The records written so far. */
unsigned mn_keyexp_count(const struct mn_keyexp *x);

#endif /* FMIP_MN_KEYEXP_H */
