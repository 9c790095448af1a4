/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the key-import parser of [bench] key_import (app/fmipgw/config/keyimp.h,
 * fmip-mn's key-export format), keyimp_parse() on an arbitrary text under the default AT map,
 * at most 16 records.
 *
 * Oracles besides ASan/UBSan: a refused text hands out nothing and its message starts with
 * "k:LINE: " (a line of the text) or names the path; an accepted one hands out exactly *count
 * records, in file order (strictly increasing lines), each with an enabled AT, the AT's key
 * length (A9), a lifetime of 1..65535 and distinct CGAs; parsing twice gives the same result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "fz.h"
#include "hk.h"
#include "keyimp.h"

#define MAXREC 16

struct seen {
	const struct mac_cfg *mac;
	unsigned n, last_line;
	uint8_t cga[MAXREC][16];
};

static int check_rec(void *ctx, const struct keyimp_rec *r, char *err, size_t len)
{
	struct seen *s = ctx;

	(void)err;
	(void)len;
	if (s->n >= MAXREC || r->line <= s->last_line || r->line < 2 || r->at >= MAC_AT_MAX ||
	    s->mac->at[r->at].alg == MAC_ALG_NONE || r->key_len != hk_at_key_len(s->mac, r->at) ||
	    r->lifetime == 0 || r->lifetime > 65535)
		abort();
	for (unsigned i = 0; i < s->n; i++)
		if (memcmp(s->cga[i], r->cga, 16) == 0)
			abort();
	memcpy(s->cga[s->n++], r->cga, 16);
	s->last_line = r->line;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mac_cfg mac;
	static int init;
	struct seen s = { &mac, 0, 0, { { 0 } } };
	unsigned count = 99, again = 99;
	char err[512], err2[512];
	int rc, rc2;

	if (size > FZ_MAX_IN)
		return 0;
	if (!init) {
		mac_cfg_defaults(&mac);
		init = 1;
	}
	uint8_t *copy = fz_dup(data, size);
	rc = keyimp_parse("k", copy, size, &mac, MAXREC, check_rec, &s, &count, err, sizeof(err));
	if (rc == 0 && (count != s.n || err[0] != '\0'))
		abort();
	if (rc != 0) {
		unsigned line = 0;
		if (rc != -1 || s.n != 0 ||
		    (sscanf(err, "k:%u: ", &line) != 1 && strncmp(err, "k: ", 3) != 0))
			abort();
	}
	rc2 = keyimp_parse("k", copy, size, &mac, MAXREC, NULL, NULL, &again, err2, sizeof(err2));
	if (rc2 != rc || (rc == 0 && again != count) || strcmp(err, err2) != 0)
		abort();
	free(copy);
	return 0;
}
