/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key persistence, the writer (snapshot.h): the walk on the control lcore, bounded per
 * loop turn; the sealing and the atomic write on a thread of its own; the clean stop's last
 * write; start-up and teardown; /fmipgw/snapshot.
 *
 * Why a thread: AES-GCM over the table is milliseconds, the fsync()s of the file and of its
 * directory are unbounded (a busy or remote disk), and neither may hold up the control lcore
 * (RtSolPr, accepted FBUs, HI timers, ND, sweeps).  The thread is a DPDK control thread
 * (rte_ctrl_thread_create: off the lcores' CPUs), sleeps on a semaphore, touches no table and
 * no counter: it gets a finished plaintext and hands back a result, which the control lcore
 * collects.  The plaintext lives in OpenSSL's memory, which is the gateway's secret heap
 * (secmem.c: MADV_DONTDUMP, locked when allowed), and is cleansed as soon as it is sealed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_telemetry.h>

#include "cp.h"
#include "keyimp.h"
#include "snap_int.h"

#define NS 1000000000ull

static uint64_t mono_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

static void set_text(struct cp_snap *s, char *dst, const char *src)
{
	rte_spinlock_lock(&s->text_lock);
	snprintf(dst, SNAP_ERR_LEN, "%s", src);
	rte_spinlock_unlock(&s->text_lock);
}

/* ---- the walk (control lcore; the main thread at stop) -------------------------------------- */

static void walk_drop(struct cp_snap *s)
{
	if (s->buf != NULL)
		OPENSSL_clear_free(s->buf, SNAP_HDR_LEN + s->cap * SNAP_ENTRY_LEN);
	s->buf = NULL;
	s->cap = 0;
	s->n = 0;
}

static int walk_begin(struct gw *gw, struct cp_snap *s)
{
	uint32_t slots = keytab_slots(gw->kt);
	struct keytab_stats st;
	size_t want;

	keytab_get_stats(gw->kt, &st);
	want = (size_t)st.live + 1024 < slots ? (size_t)st.live + 1024 : slots;
	want = want ? want : 1;
	s->buf = OPENSSL_malloc(SNAP_HDR_LEN + want * SNAP_ENTRY_LEN);
	if (s->buf == NULL)
		return -1;
	s->cap = want;
	s->n = 0;
	s->slot = 0;
	s->turns = 0;
	snap_clock_now(gw, &s->ref);
	return 0;
}

static int grow(struct cp_snap *s, uint32_t slots)
{
	size_t cap = s->cap * 2 < slots ? s->cap * 2 : slots;
	uint8_t *b = OPENSSL_clear_realloc(s->buf, SNAP_HDR_LEN + s->cap * SNAP_ENTRY_LEN,
					   SNAP_HDR_LEN + cap * SNAP_ENTRY_LEN);

	if (b == NULL || cap <= s->cap)
		return -1;
	s->buf = b;
	s->cap = cap;
	return 0;
}

/*
 * A13: the key of a forwarding its FBU set up ends with that forwarding (cp_binding_on_end
 * deletes it).  Bindings are not persisted, so the saved key keeps no more than the binding's
 * time: after a restart the MN may send its FBU again with it until then, never longer.
 */
static void key_use_end(const struct gw *gw, const struct keytab_rec *r, struct keytab_entry *e)
{
	const struct binding_rec *b = gw->bt != NULL ? binding_find(gw->bt, e->cga) : NULL;

	if (b != NULL && b->key_ref == (uintptr_t)r && b->expires < e->expires)
		e->expires = b->expires > e->issued ? b->expires : e->issued;
}

/* Up to max slots: 1 when the walk is complete, 0 when not yet, -1 out of memory. */
static int walk_step(struct gw *gw, struct cp_snap *s, uint32_t max)
{
	uint32_t end = keytab_slots(gw->kt);
	struct keytab_entry e;

	for (; s->slot < end && max > 0; s->slot++, max--) {
		const struct keytab_rec *r;

		if (!keytab_slot(gw->kt, s->slot, &r))
			continue;
		if (s->n == s->cap && grow(s, end) < 0)
			return -1;
		keytab_entry_get(r, &e);
		key_use_end(gw, r, &e);
		if (snap_put_entry(s->buf + SNAP_HDR_LEN + (size_t)s->n * SNAP_ENTRY_LEN, &e,
				   s->ref.mono_ns) == 0)
			s->n++;
	}
	OPENSSL_cleanse(&e, sizeof(e));
	s->turns++;
	return s->slot >= end;
}

/* ---- the write (the thread; the main thread at stop) ---------------------------------------- */

static void write_job(struct cp_snap *s)
{
	uint64_t t0 = mono_us();
	uint32_t n = snap_dedup(s->buf + SNAP_HDR_LEN, s->n);
	size_t len = SNAP_HDR_LEN + (size_t)n * SNAP_ENTRY_LEN;

	snap_put_header(s->buf, &s->ref, n);
	s->res_err[0] = '\0';
	s->res_rc = seal_write(s->kek, s->file, s->label, s->buf, len, s->ref.wall_ns / NS,
			       s->res_err, sizeof(s->res_err));
	walk_drop(s); /* the plaintext goes as soon as it is sealed */
	s->res_keys = n;
	s->res_octets = SEAL_HDR_FIXED + strlen(s->label) + len + SEAL_TAG_LEN;
	s->res_us = mono_us() - t0;
	s->res_wall_s = s->ref.wall_ns / NS;
	__atomic_store_n(&s->state, SNAP_DONE, __ATOMIC_RELEASE);
}

static void *writer_main(void *arg)
{
	struct cp_snap *s = arg;

	for (;;) {
		while (sem_wait(&s->go) != 0 && errno == EINTR)
			;
		if (__atomic_load_n(&s->quit, __ATOMIC_ACQUIRE))
			return NULL;
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SNAP_QUEUED)
			write_job(s);
	}
}

/* The result of the last write into the counters, telemetry and the log. */
static void collect(struct gw_ctrl *c, struct cp_snap *s, bool at_stop)
{
	if (s->res_rc == SEAL_OK) {
		c->cnt.snapshot_writes++;
		__atomic_store_n(&s->last_ok_unix, s->res_wall_s, __ATOMIC_RELAXED);
		__atomic_store_n(&s->last_keys, s->res_keys, __ATOMIC_RELAXED);
		__atomic_store_n(&s->last_octets, s->res_octets, __ATOMIC_RELAXED);
		__atomic_store_n(&s->last_us, s->res_us, __ATOMIC_RELAXED);
		__atomic_store_n(&s->last_turns, s->turns, __ATOMIC_RELAXED);
		if (s->failing)
			GW_LOG(ctrl, NOTICE, "snapshot %s: written again after %u failure(s)\n",
			       s->file, s->failing);
		__atomic_store_n(&s->failing, 0, __ATOMIC_RELAXED);
		if (at_stop)
			GW_LOG(ctrl, NOTICE, "snapshot %s: %u key(s) written at stop\n", s->file,
			       s->res_keys);
		else
			GW_LOG(ctrl, DEBUG,
			       "snapshot %s: %u key(s), %" PRIu64 " octets, walk of %u turn(s), "
			       "sealed and written in %" PRIu64 " us\n",
			       s->file, s->res_keys, s->res_octets, s->turns, s->res_us);
	} else {
		c->cnt.snapshot_write_failures++;
		__atomic_store_n(&s->failing, s->failing + 1, __ATOMIC_RELAXED);
		set_text(s, s->last_error, s->res_err);
		GW_LOG(ctrl, WARNING, "snapshot: write failed: %s; the previous file stays\n",
		       s->res_err);
	}
	__atomic_store_n(&s->state, SNAP_IDLE, __ATOMIC_RELAXED);
}

static void walk_failed(struct gw_ctrl *c, struct cp_snap *s)
{
	walk_drop(s);
	snprintf(s->res_err, sizeof(s->res_err),
		 "%s: out of secret memory for the plaintext: raise [security] secret_heap_mb",
		 s->file);
	s->res_rc = SEAL_E_NOMEM;
	collect(c, s, false);
}

void cp_snapshot_tick(struct gw_ctrl *c, uint64_t now)
{
	struct gw *gw = c->gw;
	struct cp_snap *s = gw->snap;
	uint32_t iv, st;
	int rc;

	if (s == NULL || s->file == NULL || s->disabled)
		return;
	st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
	if (st == SNAP_DONE) {
		collect(c, s, false);
		st = SNAP_IDLE;
	}
	if (st == SNAP_IDLE) {
		iv = __atomic_load_n(&gw->cfg.snap_interval_s, __ATOMIC_RELAXED);
		if (iv != 0 && s->next_tsc > now + (uint64_t)iv * gw->tsc_hz)
			s->next_tsc = now + (uint64_t)iv * gw->tsc_hz; /* shortened by a reload */
		if (iv == 0 || now < s->next_tsc)
			return;
		s->next_tsc = now + (uint64_t)iv * gw->tsc_hz;
		if (walk_begin(gw, s) < 0) {
			walk_failed(c, s);
			return;
		}
		s->state = SNAP_WALK;
		st = SNAP_WALK;
	}
	if (st != SNAP_WALK)
		return; /* the thread is writing */
	rc = walk_step(gw, s, gw->cfg.snap_batch);
	if (rc < 0) {
		walk_failed(c, s);
	} else if (rc > 0) {
		__atomic_store_n(&s->state, SNAP_QUEUED, __ATOMIC_RELEASE);
		sem_post(&s->go);
	}
}

void cp_snapshot_stop(struct gw *gw)
{
	struct cp_snap *s = gw->snap;
	const struct timespec ms = { 0, 1000000 };

	if (s == NULL || s->file == NULL || gw->ctrl == NULL)
		return;
	while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SNAP_QUEUED)
		nanosleep(&ms, NULL); /* the thread finishes its write */
	if (s->state == SNAP_DONE)
		collect(gw->ctrl, s, false);
	walk_drop(s); /* a walk the stop interrupted */
	s->state = SNAP_IDLE;
	if (s->disabled) {
		GW_LOG(ctrl, ERR, "snapshot %s: not written at stop (the refused file is there)\n",
		       s->file);
		return;
	}
	if (walk_begin(gw, s) < 0 || walk_step(gw, s, UINT32_MAX) < 0) {
		walk_failed(gw->ctrl, s);
		return;
	}
	write_job(s);
	collect(gw->ctrl, s, true);
}

/* ---- start-up, teardown -------------------------------------------------------------------- */

int cp_snapshot_check(const struct gw_config *cfg, unsigned *imported, char *err, size_t errlen)
{
	struct seal_kek *kek = NULL;
	char e[512], dir[GW_PATH_MAX];
	int rc;

	*imported = 0;
	if (cfg->snap_file[0] != '\0') {
		if (seal_kek_load(cfg->snap_kek_file, &kek, e, sizeof(e)) != SEAL_OK) {
			snprintf(err, errlen, "%s:%u: [snapshot] kek_file: %s", cfg->file,
				 config_key_line(cfg, "snapshot", "kek_file"), e);
			return -1;
		}
		seal_kek_free(kek);
		snprintf(dir, sizeof(dir), "%s", cfg->snap_file);
		if (access(dirname(dir), W_OK | X_OK) != 0) {
			snprintf(err, errlen,
				 "%s:%u: [snapshot] file %s: cannot write in its directory %s: %s",
				 cfg->file, config_key_line(cfg, "snapshot", "file"),
				 cfg->snap_file, dir, strerror(errno));
			return -1;
		}
	}
	if (cfg->key_import[0] == '\0')
		return 0;
	rc = keyimp_load(cfg->key_import, &cfg->mac, cfg->capacity, NULL, NULL, imported, e,
			 sizeof(e));
	if (rc == KEYIMP_E_FILE || rc == KEYIMP_E_MODE)
		snprintf(err, errlen, "%s:%u: [bench] key_import: %s", cfg->file,
			 config_key_line(cfg, "bench", "key_import"), e);
	else if (rc != 0)
		snprintf(err, errlen, "%s", e);
	return rc == 0 ? 0 : -1;
}

/* lib/seal's label: the router identity the snapshot belongs to (snapshot.h). */
static void make_label(const struct gw *gw, char *label, size_t len)
{
	char a[INET6_ADDRSTRLEN], h[33];

	for (int i = 0; i < 16; i++)
		snprintf(h + 2 * i, 3, "%02x", gw->ctrl->creds.key_hash[i]);
	snprintf(label, len, "fmipgw-keytab/1 router=%s key=%s",
		 inet_ntop(AF_INET6, gw->cfg.router_addr, a, sizeof(a)), h);
}

int cp_snapshot_start(struct gw *gw, char *err, size_t errlen)
{
	const struct gw_config *cfg = &gw->cfg;
	struct cp_snap *s;
	unsigned n;
	char e[512];

	if (cfg->snap_file[0] == '\0' && cfg->key_import[0] == '\0')
		return 0;
	if (cp_snapshot_check(cfg, &n, err, errlen) < 0)
		return -1;
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(err, errlen, "out of memory for the snapshot state");
		return -1;
	}
	rte_spinlock_init(&s->text_lock);
	gw->snap = s;
	if (cfg->key_import[0] != '\0' && snap_import(gw, s, err, errlen) < 0)
		return -1;
	if (cfg->snap_file[0] == '\0')
		return 0;
	if (seal_kek_load(cfg->snap_kek_file, &s->kek, e, sizeof(e)) != SEAL_OK) {
		snprintf(err, errlen, "%s:%u: [snapshot] kek_file: %s", cfg->file,
			 config_key_line(cfg, "snapshot", "kek_file"), e);
		return -1;
	}
	make_label(gw, s->label, sizeof(s->label));
	s->file = cfg->snap_file;
	signal(SIGXFSZ, SIG_IGN); /* a file size limit is a write error, not a signal (seal.h) */
	snap_load(gw, s);
	if (sem_init(&s->go, 0, 0) != 0) {
		snprintf(err, errlen, "snapshot: sem_init: %s", strerror(errno));
		return -1;
	}
	if (rte_ctrl_thread_create(&s->th, "fmipgw-snap", NULL, writer_main, s) != 0) {
		sem_destroy(&s->go);
		snprintf(err, errlen, "snapshot: cannot start the writer thread");
		return -1;
	}
	s->th_started = true;
	s->next_tsc = rte_get_tsc_cycles() + (uint64_t)cfg->snap_interval_s * gw->tsc_hz;
	return 0;
}

void cp_snapshot_free(struct gw *gw)
{
	struct cp_snap *s = gw->snap;

	if (s == NULL)
		return;
	if (s->th_started) {
		const struct timespec ms = { 0, 1000000 };

		while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SNAP_QUEUED)
			nanosleep(&ms, NULL);
		__atomic_store_n(&s->quit, 1, __ATOMIC_RELEASE);
		sem_post(&s->go);
		pthread_join(s->th, NULL);
		sem_destroy(&s->go);
	}
	walk_drop(s);
	seal_kek_free(s->kek);
	free(s);
	gw->snap = NULL;
}

/* ---- /fmipgw/snapshot ---------------------------------------------------------------------- */

static const char *const state_names[] = { "idle", "walking", "writing", "written" };

int cp_snapshot_tel(const struct gw *gw, struct rte_tel_data *d)
{
	const struct cp_snap *s = gw->snap;
	const struct gw_counters *k = &gw->ctrl->cnt;
	uint64_t now = rte_get_tsc_cycles(), next;
	char t[SNAP_ERR_LEN];

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "file", gw->cfg.snap_file);
	rte_tel_data_add_dict_u64(d, "enabled", s != NULL && s->file != NULL && !s->disabled);
	rte_tel_data_add_dict_u64(d, "interval_s", gw->cfg.snap_interval_s);
#define CNT(n) rte_tel_data_add_dict_u64(d, #n, __atomic_load_n(&k->n, __ATOMIC_RELAXED))
	CNT(snapshot_writes);
	CNT(snapshot_write_failures);
	CNT(snapshot_keys_loaded);
	CNT(snapshot_keys_expired);
	CNT(snapshot_keys_refused);
	CNT(snapshot_files_refused);
	CNT(keys_imported);
#undef CNT
	if (s == NULL)
		return 0;
	rte_tel_data_add_dict_string(d, "label", s->label);
	rte_tel_data_add_dict_string(d, "state",
				     state_names[__atomic_load_n(&s->state, __ATOMIC_RELAXED) & 3]);
	next = __atomic_load_n(&s->next_tsc, __ATOMIC_RELAXED);
	rte_tel_data_add_dict_u64(d, "next_write_in_ms",
				  next > now ? (next - now) / (gw->tsc_hz / 1000) : 0);
#define LAST(n) rte_tel_data_add_dict_u64(d, #n, __atomic_load_n(&s->n, __ATOMIC_RELAXED))
	LAST(last_ok_unix);
	LAST(last_keys);
	LAST(last_octets);
	LAST(last_us);
	LAST(last_turns);
	LAST(failing);
	LAST(loaded_written_unix);
#undef LAST
	rte_spinlock_lock((rte_spinlock_t *)(uintptr_t)&s->text_lock);
	snprintf(t, sizeof(t), "%s", s->last_error);
	rte_spinlock_unlock((rte_spinlock_t *)(uintptr_t)&s->text_lock);
	rte_tel_data_add_dict_string(d, "last_error", t);
	rte_tel_data_add_dict_string(d, "load_result", s->load_result);
	rte_tel_data_add_dict_string(d, "rejected_file", s->rejected);
	rte_tel_data_add_dict_string(d, "key_import", gw->cfg.key_import);
	return 0;
}
