/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key import, the file ([bench] key_import; issue 12): a benchmarking aid that loads
 * the handover keys a simulator's pcaps were made with.  This is the parser and the file's
 * checks, without DPDK or the EAL (`--check`, the unit test and the fuzz target use it); the
 * gateway installs what it returns (cp/snapshot.h: cp_key_install, shared with the snapshot).
 *
 * Format, version 1 (app/fmip-mn/keyexp.h writes it; docs/operations.md "Key import"):
 *
 *   fmip-mn-keys 1
 *   # cga at key lifetime pk_sha1
 *   2003::3049:deeb:fd31:70b0 0 000102030405060708090a0b0c0d0e0f10111213 43200 <40 hex>
 *
 *   - line 1: the magic "fmip-mn-keys", one space, the version "1";
 *   - lines starting with '#': comments;
 *   - every other line one record, five fields separated by one space: the CGA (IPv6 text),
 *     the AT (decimal 0-15, enabled in [mac] at_map), the key (lower-case hex of exactly the
 *     AT's key length, A9: 20 octets for HMAC-SHA1, 32 for HMAC-SHA256), the lifetime in
 *     seconds from the import (1-65535), SHA-1 of the CGA's public key (40 lower-case hex
 *     digits, A8);
 *   - every line ends with a newline, the last one too; no line is longer than
 *     KEYIMP_LINE_MAX octets.
 *
 * Refused, each as "PATH:line: what": a bad first line, a malformed record (empty line,
 * field count, a field out of its syntax or range), an AT not in the AT map, a key of another
 * length than its AT's, a CGA listed twice (the later line, naming the earlier), more records
 * than the key table holds (the first line beyond).  Nothing is handed out unless the whole
 * text is valid.  The file itself must be a regular file accessible by its owner only (mode
 * 0600 or 0400: it holds keys).
 */
#ifndef FMIPGW_KEYIMP_H
#define FMIPGW_KEYIMP_H

#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define KEYIMP_MAGIC	"fmip-mn-keys"
#define KEYIMP_VERSION	1
#define KEYIMP_LINE_MAX 512
#define KEYIMP_KEY_MAX	32 /* == HK_KEY_MAX, KEYTAB_KEY_MAX */

/* One record.  Holds a key: the parser cleanses its copy after each call of the callback. */
struct keyimp_rec {
	uint8_t cga[16];
	uint8_t pk_sha1[20];
	uint8_t at;
	uint8_t key_len;
	uint8_t key[KEYIMP_KEY_MAX];
	uint32_t lifetime; /* seconds from the import */
	unsigned line;
};

/* Called for each record of a valid text, in file order; non-zero stops the walk and is
 * returned (with err filled by the callback). */
typedef int (*keyimp_fn)(void *ctx, const struct keyimp_rec *r, char *err, size_t errlen);

/*
 * Check text (len octets, the file's contents; path names it in messages) against mac's AT
 * map, at most max records; then, if it is valid, fn for every record (fn may be NULL: check
 * only).  0 with *count records; -1 with "path:line: what" in err; or fn's return value.
 */
int keyimp_parse(const char *path, const uint8_t *text, size_t len, const struct mac_cfg *mac,
		 uint32_t max, keyimp_fn fn, void *ctx, unsigned *count, char *err, size_t errlen);

enum {
	KEYIMP_E_FILE = -2, /* cannot open/read, not a regular file, too large */
	KEYIMP_E_MODE = -3, /* accessible by group or others */
};

/*
 * Read path (after the checks on the file opened: regular, no permission for group or
 * others) into memory that is cleansed when done, then keyimp_parse().  The file's own
 * problems (KEYIMP_E_FILE, KEYIMP_E_MODE) come without a "path:line:" of their own, e.g.
 * "/x/keys is readable or writable by group or others (mode 0644): chmod 600 /x/keys", for
 * the caller to prefix with the configuration key's file:line.
 */
int keyimp_load(const char *path, const struct mac_cfg *mac, uint32_t max, keyimp_fn fn, void *ctx,
		unsigned *count, char *err, size_t errlen);

#endif /* FMIPGW_KEYIMP_H */
