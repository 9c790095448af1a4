/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn identities: a node's CGA key pair and CGA Parameters (RFC 3972), made with OpenSSL
 * and lib/cga, or read back from an on-disk cache so that later runs skip the RSA key
 * generation and the Sec 1 modifier search.
 *
 * Cache layout: DIR/rsa<bits>-sec<sec>-<prefix: 16 hex digits>/<index: 6 digits>.key.pem (PEM
 * private key, mode 0600), .cga.params (raw CGA Parameters, 0600), .cga (the address, text).
 * Directories are made 0700.  A cache (or any key in it) readable or writable by group or
 * others is refused.  Files are written to a temporary name and renamed, so that an
 * interrupted run leaves no half identity.
 */
#ifndef FMIP_MN_IDENT_H
#define FMIP_MN_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "send.h"

struct mn_ident_req {
	unsigned bits, sec;
	uint8_t prefix[8];
	const char *cache; /* NULL or "": no cache */
};

/* What identities cost: CPU seconds of the threads that made them (CLOCK_THREAD_CPUTIME_ID,
 * not inflated by other load), summed by the caller. */
struct mn_ident_cost {
	unsigned generated, loaded;
	double keygen_s, search_s, load_s, save_s, enc_s;
	uint64_t iterations; /* Hash2 computations of the modifier search */
};

/* Check (and make, 0700) the cache directory for req: 0, or -1 with err.  sub receives the
 * per-(bits, sec, prefix) directory. */
int mn_ident_cache_open(const struct mn_ident_req *req, char *sub, size_t sublen, char *err,
			size_t len);
/* Identity idx: loaded from sub (if it is there), else made and saved there (sub NULL: made,
 * not saved).  0, or -1 with err. */
int mn_ident_get(const struct mn_ident_req *req, const char *sub, unsigned idx,
		 struct send_creds *c, struct mn_ident_cost *cost, char *err, size_t len);
/* Make one identity (no cache). */
int mn_ident_make(const struct mn_ident_req *req, struct send_creds *c, struct mn_ident_cost *cost,
		  char *err, size_t len);

#endif /* FMIP_MN_IDENT_H */
