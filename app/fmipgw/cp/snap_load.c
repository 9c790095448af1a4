/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key persistence at start (snapshot.h): cp_key_install, the one insertion of a key
 * "as it was" that the key import ([bench] key_import) and the snapshot share; the import; the
 * snapshot's load (lib/seal opens it, the time since it was written is subtracted, expired keys
 * are skipped) and its refusal (the gateway starts empty, the file is kept aside).
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>

#include "cp.h"
#include "keyimp.h"
#include "snap_int.h"

#define NS 1000000000ull

int cp_key_install(struct gw *gw, const struct cp_key_in *k, uint64_t now_ns)
{
	uint64_t now_s = now_ns / NS, exp, hk_exp;
	struct keytab_entry e;
	int rc;

	/* A9 under today's AT map (an AT it does not enable has no key length) */
	if (k->at >= MAC_AT_MAX || k->key_len == 0 ||
	    k->key_len != hk_at_key_len(&gw->cfg.mac, k->at))
		return -EINVAL;
	if (k->rem_ns <= 0)
		return CP_KEY_EXPIRED;
	/* rounded down: the key ends at or before the instant it would have ended */
	exp = (now_ns + (uint64_t)k->rem_ns) / NS;
	if (exp <= now_s)
		return CP_KEY_EXPIRED;
	hk_exp = k->hk_rem_ns > 0 ? (now_ns + (uint64_t)k->hk_rem_ns) / NS : exp;
	if (hk_exp < exp)
		hk_exp = exp;
	memset(&e, 0, sizeof(e));
	memcpy(e.cga, k->cga, 16);
	memcpy(e.pk_sha1, k->pk_sha1, 20);
	e.at = k->at;
	e.key_len = k->key_len;
	memcpy(e.key, k->key, k->key_len);
	e.hk_expires = hk_exp;
	e.expires = exp;
	/* issued: HK-LIFETIME before its end (what a PrRtAdv for the existing key counts from),
	 * not before the clock's start nor after now */
	e.issued = hk_exp > k->hk_life_s ? hk_exp - k->hk_life_s : 0;
	e.issued = e.issued > now_s ? now_s : e.issued;
	e.last_seq = k->last_seq & 0x1ffffu;
	rc = keytab_insert(gw->kt, &e);
	OPENSSL_cleanse(&e, sizeof(e));
	return rc;
}

/* ---- the key import ([bench] key_import) --------------------------------------------------- */

struct imp_ctx {
	struct gw *gw;
	uint64_t now_ns;
};

static int import_one(void *ctx, const struct keyimp_rec *r, char *err, size_t len)
{
	struct imp_ctx *x = ctx;
	struct cp_key_in k = { 0 };
	int rc;

	memcpy(k.cga, r->cga, 16);
	memcpy(k.pk_sha1, r->pk_sha1, 20);
	k.at = r->at;
	k.key_len = r->key_len;
	memcpy(k.key, r->key, r->key_len);
	k.hk_life_s = r->lifetime;
	k.hk_rem_ns = k.rem_ns = (int64_t)r->lifetime * (int64_t)NS;
	rc = cp_key_install(x->gw, &k, x->now_ns);
	OPENSSL_cleanse(&k, sizeof(k));
	if (rc == CP_KEY_OK)
		return 0;
	snprintf(err, len, "%s:%u: cannot install the key: %s", x->gw->cfg.key_import, r->line,
		 rc > 0 ? "no lifetime left" : strerror(-rc));
	return -1;
}

int snap_import(struct gw *gw, struct cp_snap *s, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	struct imp_ctx x = { gw, cp_snap_mono_ns(gw, rte_get_tsc_cycles()) };
	unsigned n = 0;
	char e[512];
	int rc = keyimp_load(cfg->key_import, &cfg->mac, cfg->capacity, import_one, &x, &n, e,
			     sizeof(e));

	if (rc == KEYIMP_E_FILE || rc == KEYIMP_E_MODE) {
		snprintf(err, errlen, "%s:%u: [bench] key_import: %s", cfg->file,
			 config_key_line(cfg, "bench", "key_import"), e);
		return -1;
	}
	if (rc != 0) {
		snprintf(err, errlen, "%s", e);
		return -1;
	}
	s->imported = n;
	gw->ctrl->cnt.keys_imported = n;
	GW_LOG(ctrl, WARNING,
	       "BENCHMARK AID: imported %u handover keys from %s ([bench] key_import); never in "
	       "production\n",
	       n, cfg->key_import);
	return 0;
}

/* ---- the snapshot -------------------------------------------------------------------------- */

/* A refused file is renamed FILE.rejected.<UTC time>[.N], never over an existing one; when it
 * cannot be, this run writes no snapshot (the next write would replace the evidence). */
static void refuse(struct gw *gw, struct cp_snap *s, const char *why)
{
	char stamp[32], cand[sizeof(s->rejected)];
	time_t now = time(NULL);
	struct tm tm;
	int e = 0;

	gw->ctrl->cnt.snapshot_files_refused++;
	snprintf(s->load_result, sizeof(s->load_result), "refused: %s", why);
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	for (int i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(cand, sizeof(cand), "%s.rejected.%s", s->file, stamp);
		else
			snprintf(cand, sizeof(cand), "%s.rejected.%s.%d", s->file, stamp, i);
		if (access(cand, F_OK) == 0)
			continue;
		if (rename(s->file, cand) == 0) {
			snprintf(s->rejected, sizeof(s->rejected), "%s", cand);
			GW_LOG(
			    ctrl, ERR,
			    "snapshot %s refused: %s; the gateway starts with an empty key table "
			    "(mobile nodes provision again); the file is kept as %s\n",
			    s->file, why, cand);
			return;
		}
		e = errno;
		break;
	}
	s->disabled = true;
	GW_LOG(ctrl, ERR,
	       "snapshot %s refused: %s; the gateway starts with an empty key table; the file "
	       "cannot be kept aside (%s): no snapshot is written in this run so that it is not "
	       "overwritten; move it away and restart\n",
	       s->file, why, e ? strerror(e) : "no free name");
}

/* Stale temporary files of a write a crash interrupted (lib/seal: FILE.tmp.XXXXXX). */
static void stale_temporaries(const struct cp_snap *s)
{
	char pat[GW_PATH_MAX + 16];
	glob_t g;

	if (strpbrk(s->file, "*?[\\") != NULL)
		return;
	snprintf(pat, sizeof(pat), "%s.tmp.??????", s->file);
	if (glob(pat, GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		if (unlink(g.gl_pathv[i]) == 0)
			GW_LOG(ctrl, NOTICE,
			       "snapshot: removed %s, left by a write that did not finish\n",
			       g.gl_pathv[i]);
	globfree(&g);
}

/* The time since ref, by the boot clock within one boot, else the wall clock; -1: unknown. */
static int64_t elapsed_ns(const struct snap_clock *ref, const struct snap_clock *now,
			  const char **how)
{
	static const uint8_t z[16];
	int64_t d;

	if (memcmp(ref->boot_id, z, 16) != 0 && memcmp(ref->boot_id, now->boot_id, 16) == 0) {
		*how = "boot clock, same boot";
		d = (int64_t)(now->boot_ns - ref->boot_ns);
	} else {
		*how = "wall clock, another boot";
		d = (int64_t)(now->wall_ns - ref->wall_ns);
	}
	return d < 0 ? -1 : d;
}

struct tally {
	unsigned loaded, expired, inval, exist, full, other;
};

static void restore(struct gw *gw, const uint8_t *p, uint32_t count, int64_t el, uint64_t now_ns,
		    struct tally *t)
{
	struct snap_entry se;
	struct cp_key_in k;

	for (uint32_t i = 0; i < count; i++, p += SNAP_ENTRY_LEN) {
		int rc = CP_KEY_EXPIRED;

		snap_get_entry(p, &se);
		memset(&k, 0, sizeof(k));
		memcpy(k.cga, se.cga, 16);
		memcpy(k.pk_sha1, se.pk_sha1, 20);
		k.at = se.at;
		k.key_len = se.key_len <= KEYTAB_KEY_MAX ? se.key_len : 0;
		memcpy(k.key, se.key, k.key_len);
		k.hk_life_s = se.hk_life_s;
		k.rem_ns = (int64_t)se.rem_ms * 1000000 - el;
		k.hk_rem_ns = (int64_t)se.hk_rem_ms * 1000000 - el;
		k.last_seq = se.last_seq;
		if (el >= 0)
			rc = cp_key_install(gw, &k, now_ns);
		t->loaded += rc == CP_KEY_OK;
		t->expired += rc == CP_KEY_EXPIRED;
		t->inval += rc == -EINVAL;
		t->exist += rc == -EEXIST;
		t->full += rc == -ENOSPC;
		t->other += rc < 0 && rc != -EINVAL && rc != -EEXIST && rc != -ENOSPC;
	}
	OPENSSL_cleanse(&se, sizeof(se));
	OPENSSL_cleanse(&k, sizeof(k));
}

static void report(struct gw *gw, struct cp_snap *s, const struct snap_clock *ref, int64_t el,
		   const char *how, const struct tally *t)
{
	struct gw_counters *c = &gw->ctrl->cnt;
	unsigned refused = t->inval + t->exist + t->full + t->other;
	char when[32];
	time_t w = (time_t)(ref->wall_ns / NS);
	struct tm tm;

	c->snapshot_keys_loaded += t->loaded;
	c->snapshot_keys_expired += t->expired;
	c->snapshot_keys_refused += refused;
	s->loaded_written_unix = ref->wall_ns / NS;
	gmtime_r(&w, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(s->load_result, sizeof(s->load_result), "loaded");
	if (el < 0) {
		snprintf(s->load_result, sizeof(s->load_result), "clock: no key restored");
		GW_LOG(ctrl, WARNING,
		       "snapshot %s (written %s): the wall clock is earlier than when it was "
		       "written, after a reboot: the time since is unknown, so none of its %u "
		       "key(s) is restored (a key's life is never extended)\n",
		       s->file, when, t->expired);
		return;
	}
	GW_LOG(ctrl, NOTICE,
	       "snapshot %s: %u key(s) restored (written %s, %.1f s ago by the %s); %u expired, "
	       "%u refused (%u AT or key length, %u already installed by the key import, %u "
	       "table full, %u other)\n",
	       s->file, t->loaded, when, (double)el / 1e9, how, t->expired, refused, t->inval,
	       t->exist, t->full, t->other);
}

int snap_load(struct gw *gw, struct cp_snap *s)
{
	struct snap_clock ref, now;
	struct tally t = { 0 };
	struct stat st;
	uint8_t *buf = NULL;
	size_t len = 0;
	uint32_t count = 0;
	char e[SNAP_ERR_LEN], why[SNAP_ERR_LEN + 64];
	const char *how = "";
	int64_t el;
	int rc;

	stale_temporaries(s);
	if (stat(s->file, &st) != 0 && errno == ENOENT) {
		snprintf(s->load_result, sizeof(s->load_result), "absent");
		GW_LOG(ctrl, NOTICE, "snapshot %s: none yet: the key table starts empty\n",
		       s->file);
		return 0;
	}
	rc = seal_open(s->kek, s->file, s->label, &buf, &len, NULL, e, sizeof(e));
	if (rc != SEAL_OK) {
		if (rc == SEAL_E_FOREIGN)
			snprintf(why, sizeof(why),
				 "%s (this gateway is '%s': a snapshot of another router identity)",
				 seal_strerror(rc), s->label);
		else if (rc == SEAL_E_IO || rc == SEAL_E_NOMEM || rc == SEAL_E_TOO_LARGE)
			snprintf(why, sizeof(why), "%s", e);
		else
			snprintf(why, sizeof(why), "%s", seal_strerror(rc));
		refuse(gw, s, why);
		return 0;
	}
	if (snap_get_header(buf, len, &ref, &count, e, sizeof(e)) < 0) {
		seal_buf_free(buf, len);
		snprintf(why, sizeof(why), "malformed contents: %s", e);
		refuse(gw, s, why);
		return 0;
	}
	snap_clock_now(gw, &now);
	el = elapsed_ns(&ref, &now, &how);
	restore(gw, buf + SNAP_HDR_LEN, count, el, now.mono_ns, &t);
	seal_buf_free(buf, len);
	report(gw, s, &ref, el, how, &t);
	return 0;
}
