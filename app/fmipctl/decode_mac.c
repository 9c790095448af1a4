/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `fmipctl decode --hk ADDR=HEXKEY[:AT]` (repeatable) and `--hk-file FILE`: check the BADF
 * authenticator (RFC 5568 §6.4.5, PROTOCOL.md 1.9) of every FBU and FBack with lib/mac.
 *
 * ADDR names the key as the gateway's table does: the PCoA (A8, A21).  An FBU is matched by
 * its Home Address option (A23), or its IPv6 source when it has none; an FBack by its type-2
 * Routing header address, else its destination (the NCoA), else the PCoA of an earlier FBU in
 * the capture that registered that NCoA.  AT defaults to 0 (A1).  An address may have several
 * keys (e.g. one per AT): the frame is "ok" if one of those whose tag length matches verifies.
 *
 * Output per FBU/FBack that decoded without error:  "mac": "ok" | "bad" | "no-key".
 * FILE: one "ADDR=HEXKEY[:AT]" per line, '#' comments and blank lines ignored; it holds
 * secrets, so it is refused when group or others may read it.  Keys are never printed; they
 * are zeroed at exit.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode_ext.h"
#include "mac.h"

#define HK_MAX	    4096
#define HK_NCOA_MAX 1024

struct hk_ent {
	uint8_t addr[16];
	struct mac_key key;
};

/* One table for both options; each option's ctx points to it. */
struct hk_tab {
	struct mac_engine *eng;
	struct mac_ctx *mac;
	struct hk_ent *ent;
	unsigned n, refs;
	const void *writer; /* the ctx whose annotate writes (the first option seen) */
	struct {
		uint8_t ncoa[16], pcoa[16];
	} seen[HK_NCOA_MAX]; /* NCoA -> PCoA learnt from FBUs, for FBacks */
	unsigned n_seen, next_seen;
	unsigned ok, bad, nokey;
};

struct hk_opt {
	struct hk_tab *t;
};

static struct hk_tab *hk_shared; /* the two options share one table (CLI process only) */

static struct hk_tab *tab_get(void)
{
	struct mac_cfg cfg;

	if (hk_shared != NULL)
		return hk_shared;
	hk_shared = calloc(1, sizeof(*hk_shared));
	if (hk_shared == NULL)
		return NULL;
	hk_shared->ent = calloc(HK_MAX, sizeof(*hk_shared->ent));
	mac_cfg_defaults(&cfg);
	cfg.backend = MAC_BACKEND_OPENSSL; /* a tool, not the fast path: no self-benchmark */
	if (hk_shared->ent == NULL || mac_engine_create(&cfg, &hk_shared->eng) != 0 ||
	    (hk_shared->mac = mac_ctx_create(hk_shared->eng)) == NULL) {
		fprintf(stderr, "fmipctl decode: --hk: cannot set up the MAC engine\n");
		free(hk_shared->ent);
		mac_engine_destroy(hk_shared->eng);
		free(hk_shared);
		hk_shared = NULL;
	}
	return hk_shared;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* "ADDR=HEXKEY[:AT]" -> table; what names the source in messages. */
static int add_spec(struct hk_tab *t, const char *spec, const char *what)
{
	char addr[64];
	uint8_t key[MAC_KEY_MAX];
	size_t kl = 0;
	const char *eq = strchr(spec, '='), *p;
	unsigned long at = 0;
	struct hk_ent *e;
	int rc;

	if (eq == NULL || (size_t)(eq - spec) >= sizeof(addr))
		goto bad;
	memcpy(addr, spec, (size_t)(eq - spec));
	addr[eq - spec] = 0;
	if (t->n == HK_MAX) {
		fprintf(stderr, "fmipctl decode: %s: more than %d keys\n", what, HK_MAX);
		return 1;
	}
	e = &t->ent[t->n];
	if (inet_pton(AF_INET6, addr, e->addr) != 1)
		goto bad;
	for (p = eq + 1; hexval((unsigned char)p[0]) >= 0 && hexval((unsigned char)p[1]) >= 0;
	     p += 2) {
		if (kl == sizeof(key))
			goto bad;
		key[kl++] =
		    (uint8_t)(hexval((unsigned char)p[0]) << 4 | hexval((unsigned char)p[1]));
	}
	if (*p == ':') {
		char *end;
		at = strtoul(p + 1, &end, 10);
		if (end == p + 1 || *end != 0 || at >= MAC_AT_MAX)
			goto bad;
	} else if (*p != 0) {
		goto bad;
	}
	if (kl == 0)
		goto bad;
	rc = mac_key_init(t->eng, &e->key, (uint8_t)at, key, kl);
	memset(key, 0, sizeof(key));
	if (rc != 0) {
		fprintf(stderr,
			"fmipctl decode: %s: AT %lu is not enabled or the key is unusable\n", what,
			at);
		return 1;
	}
	t->n++;
	return 0;
bad:
	memset(key, 0, sizeof(key));
	fprintf(stderr, "fmipctl decode: %s: expected ADDR=HEXKEY[:AT]\n", what);
	return 1;
}

static int opt_new(void **ctx, struct hk_tab **t)
{
	struct hk_opt *o = *ctx;

	if (o == NULL) {
		if ((*t = tab_get()) == NULL || (o = calloc(1, sizeof(*o))) == NULL)
			return 1;
		o->t = *t;
		(*t)->refs++;
		if ((*t)->writer == NULL)
			(*t)->writer = o;
		*ctx = o;
	}
	*t = o->t;
	return 0;
}

static int parse_hk(void **ctx, const char *arg)
{
	struct hk_tab *t;

	if (opt_new(ctx, &t) != 0)
		return 1;
	return add_spec(t, arg, "--hk");
}

static int parse_hk_file(void **ctx, const char *arg)
{
	struct hk_tab *t;
	struct stat st;
	char line[512], what[600];
	unsigned no = 0;
	FILE *fp;
	int rc = 0;

	if (opt_new(ctx, &t) != 0)
		return 1;
	if ((fp = fopen(arg, "r")) == NULL || fstat(fileno(fp), &st) != 0) {
		fprintf(stderr, "fmipctl decode: --hk-file %s: cannot open\n", arg);
		if (fp != NULL)
			fclose(fp);
		return 1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(stderr,
			"fmipctl decode: --hk-file %s: holds keys but group/others may "
			"read it (chmod 600)\n",
			arg);
		fclose(fp);
		return 1;
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		char *s = line, *e;
		no++;
		while (isspace((unsigned char)*s))
			s++;
		e = s + strcspn(s, "#\r\n");
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*e = 0;
		if (*s == 0)
			continue;
		snprintf(what, sizeof(what), "%s:%u", arg, no);
		rc = add_spec(t, s, what);
	}
	memset(line, 0, sizeof(line));
	fclose(fp);
	return rc;
}

/* 1 ok, 0 bad, -1 no key for addr */
static int check(struct hk_tab *t, const uint8_t *addr, const struct wire_mac_input *in)
{
	int found = 0;

	for (unsigned i = 0; i < t->n; i++) {
		struct mac_job j;
		uint64_t ok = 0;
		if (memcmp(t->ent[i].addr, addr, 16) != 0)
			continue;
		found = 1;
		mac_job_from_input(&j, &t->ent[i].key, in);
		if (mac_verify_burst(t->mac, &j, 1, &ok) == 1)
			return 1;
	}
	return found ? 0 : -1;
}

static void annotate(const struct fmipctl_frame *f, struct jw *w, void *ctx)
{
	struct hk_opt *o = ctx;
	struct hk_tab *t = o->t;
	const struct wire_frame *wf = &f->wf;
	struct wire_mac_input in;
	int v = -1;

	if (t->writer != o || wf->err != WIRE_OK ||
	    (wf->msg != WIRE_MSG_FBU && wf->msg != WIRE_MSG_FBACK))
		return;
	if (wire_mac_input(&wf->ip, &wf->mh, &in) != WIRE_OK)
		return;
	if (wf->msg == WIRE_MSG_FBU) {
		const uint8_t *pcoa = wf->ip.hao ? wf->ip.hao : wf->ip.src;
		v = check(t, pcoa, &in);
		if (wf->mh.altcoa != NULL) { /* remember NCoA -> PCoA for the FBack */
			unsigned s = t->next_seen;
			memcpy(t->seen[s].ncoa, wf->mh.altcoa, 16);
			memcpy(t->seen[s].pcoa, pcoa, 16);
			t->next_seen = (s + 1) % HK_NCOA_MAX;
			if (t->n_seen < HK_NCOA_MAX)
				t->n_seen++;
		}
	} else {
		if (wf->ip.rt2_addr != NULL)
			v = check(t, wf->ip.rt2_addr, &in);
		if (v < 0)
			v = check(t, wf->ip.dst, &in);
		for (unsigned s = 0; v < 0 && s < t->n_seen; s++)
			if (memcmp(t->seen[s].ncoa, wf->ip.dst, 16) == 0)
				v = check(t, t->seen[s].pcoa, &in);
	}
	if (v > 0)
		t->ok++;
	else if (v == 0)
		t->bad++;
	else
		t->nokey++;
	jw_kv_str(w, "mac", v > 0 ? "ok" : v == 0 ? "bad" : "no-key");
}

static int finish(void *ctx)
{
	struct hk_opt *o = ctx;
	struct hk_tab *t;

	if (o == NULL)
		return 0;
	t = o->t;
	if (t->writer == o && t->ok + t->bad + t->nokey > 0)
		fprintf(stderr, "fmipctl decode: BADF MACs: %u ok, %u bad, %u no key\n", t->ok,
			t->bad, t->nokey);
	free(o);
	if (--t->refs == 0) {
		for (unsigned i = 0; i < t->n; i++)
			mac_key_clear(&t->ent[i].key);
		free(t->ent);
		mac_ctx_destroy(t->mac);
		mac_engine_destroy(t->eng);
		free(t);
		hk_shared = NULL;
	}
	return 0;
}

const struct decode_ext decode_ext_hk = {
	.name = "hk",
	.has_arg = required_argument,
	.arg_name = "ADDR=HEXKEY[:AT]",
	.help = "check FBU/FBack authenticators with this handover key of PCoA ADDR (repeatable)",
	.parse = parse_hk,
	.annotate = annotate,
	.finish = finish,
};

const struct decode_ext decode_ext_hk_file = {
	.name = "hk-file",
	.has_arg = required_argument,
	.arg_name = "FILE",
	.help = "like --hk, one ADDR=HEXKEY[:AT] per line (file must be mode 600)",
	.parse = parse_hk_file,
	.annotate = annotate,
	.finish = finish,
};
