/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw key persistence internals shared by snapshot.c, snap_load.c and snap_fmt.c. */
#ifndef FMIPGW_SNAP_INT_H
#define FMIPGW_SNAP_INT_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_spinlock.h>

#include "seal.h"
#include "snapshot.h"

/*
 * The plaintext (all integers big-endian):
 *   header (SNAP_HDR_LEN): magic "FMIPKEYS", version 1 (2), flags 0 (2), count (4),
 *     wall clock ns (8), boot clock ns (8), boot id (16): the reference instant;
 *   count entries of SNAP_ENTRY_LEN: cga (16), pk_sha1 (20), at (1), key_len (1), key (32,
 *     zero after key_len), HK-LIFETIME s (4), left of HK-LIFETIME ms (4), left of its use ms
 *     (4), last sequence (4, bit 16: valid), lifetimes counted from the reference instant.
 */
#define SNAP_MAGIC     "FMIPKEYS"
#define SNAP_VERSION   1
#define SNAP_HDR_LEN   48
#define SNAP_ENTRY_LEN 86
#define SNAP_ERR_LEN   320

/* The clocks at one instant. */
struct snap_clock {
	uint64_t mono_ns; /* the key table's clock (TSC), nanoseconds */
	uint64_t wall_ns; /* CLOCK_REALTIME */
	uint64_t boot_ns; /* CLOCK_BOOTTIME */
	uint8_t boot_id[16];
};

/* One entry as it is in the file. */
struct snap_entry {
	uint8_t cga[16];
	uint8_t pk_sha1[20];
	uint8_t at;
	uint8_t key_len;
	uint8_t key[KEYTAB_KEY_MAX];
	uint32_t hk_life_s;
	uint32_t hk_rem_ms;
	uint32_t rem_ms;
	uint32_t last_seq;
};

enum snap_state { SNAP_IDLE = 0, SNAP_WALK, SNAP_QUEUED, SNAP_DONE };

struct cp_snap {
	struct seal_kek *kek;
	char label[SEAL_LABEL_MAX + 1];
	const char *file;
	/* the control lcore's (the main thread's after the lcores returned) */
	uint32_t state; /* enum snap_state (atomic: the thread sets DONE) */
	bool disabled;	/* a refused file could not be kept aside: never write over it */
	uint64_t next_tsc;
	uint32_t slot; /* walk position */
	uint32_t turns;
	uint8_t *buf; /* plaintext being filled: OPENSSL_malloc, i.e. the secret heap */
	size_t cap;   /* entries buf holds */
	uint32_t n;
	struct snap_clock ref;
	/* the writer thread */
	pthread_t th;
	bool th_started;
	sem_t go;
	uint32_t quit;
	/* the result of the last write (written by the thread before it sets DONE) */
	int res_rc;
	uint32_t res_keys;
	uint64_t res_octets, res_us, res_wall_s;
	char res_err[SNAP_ERR_LEN];
	/* for telemetry (relaxed atomics; the text under lock) */
	uint64_t last_ok_unix, last_keys, last_octets, last_us, last_turns;
	uint32_t failing; /* consecutive failures */
	rte_spinlock_t text_lock;
	char last_error[SNAP_ERR_LEN];
	char load_result[SNAP_ERR_LEN]; /* written at start only */
	char rejected[GW_PATH_MAX + 48];
	uint64_t loaded_written_unix;
	unsigned imported;
};

/* snap_fmt.c */
uint64_t cp_snap_mono_ns(const struct gw *gw, uint64_t tsc);
void snap_clock_now(const struct gw *gw, struct snap_clock *c);
void snap_put_header(uint8_t *buf, const struct snap_clock *ref, uint32_t count);
/* Entry of e at p (ref: the reference instant).  0, or 1 when nothing is left of its use. */
int snap_put_entry(uint8_t *p, const struct keytab_entry *e, uint64_t ref_mono_ns);
/* The header of a len-octet plaintext: 0 (ref without mono_ns, count checked against len) or
 * -1 with what is wrong in err. */
int snap_get_header(const uint8_t *buf, size_t len, struct snap_clock *ref, uint32_t *count,
		    char *err, size_t errlen);
void snap_get_entry(const uint8_t *p, struct snap_entry *e);
/* Keep one entry per CGA (the one issued last) in n entries; the count left. */
uint32_t snap_dedup(uint8_t *entries, uint32_t n);

/* snap_load.c */
int snap_load(struct gw *gw, struct cp_snap *s);
int snap_import(struct gw *gw, struct cp_snap *s, char *err, size_t errlen);

#endif
