/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key persistence: the key table survives a restart (issue 13 item 7) and the
 * benchmarking aid that installs keys from a file at start (issue 12 item 2).
 *
 *   snapshot.c   the writer: every [snapshot] interval_s the control lcore copies the table
 *                into a plaintext buffer in the secret heap, [snapshot] batch key slots per
 *                loop turn (keytab_slot: a walk spread over turns sees every key present
 *                throughout it); a thread of its own (not an lcore, it never polls) seals it
 *                with lib/seal (AES-256-GCM under the KEK, temporary file, fsync, rename,
 *                fsync of the directory) and cleanses it; the control lcore collects the
 *                result (counters, log).  At a clean stop, after every lcore returned, one
 *                last complete write.  /fmipgw/snapshot.
 *   snap_load.c  at start: the key import first ([bench] key_import, config/keyimp.h), then
 *                the snapshot: refused when lib/seal refuses it (tampered, truncated, foreign
 *                label, another KEK, ...) or its contents are malformed — the gateway then
 *                starts empty and the file is renamed FILE.rejected.<UTC time> so that the
 *                next write does not destroy it (if it cannot be renamed, no snapshot is
 *                written in this run); expired keys are skipped; cp_key_install, the one
 *                insertion both use.
 *   snap_fmt.c   the plaintext format (docs/operations.md "Keys across restarts") and the
 *                clocks.
 *
 * Times: the key table counts whole seconds of the TSC (gw_now_s), which means nothing in
 * another process.  A snapshot stores what is left of each key's life, in milliseconds, from
 * one reference instant, with the wall clock (CLOCK_REALTIME), the boot clock
 * (CLOCK_BOOTTIME) and the kernel's boot id read at that instant.  Loading subtracts the time
 * since: the boot clock's when the boot id is the same (wall-clock steps change nothing), the
 * wall clock's after a reboot; a wall clock earlier than the snapshot's means the time since
 * is unknown, and then no key is restored (a key's life is never extended).  Rounding is
 * always toward a shorter life.
 *
 * Label (lib/seal's context): "fmipgw-keytab/1 router=<[router] address> key=<RFC 3971 Key
 * Hash of the router key, 32 hex digits>": a snapshot is this router identity's, so a pair
 * sharing one identity (docs/architecture.md) may share it, and another gateway's file is
 * refused as foreign.  The AT map is not in the label: each key is checked against it.
 *
 * Not persisted: bindings (an MN whose tunnel went re-sends its FBU with the same key; a
 * binding lives [fbu] max_lifetime seconds at most), the SEND replay cache, the HI state.  A
 * key whose FBU set up a forwarding is saved with no more life than that binding has (A13:
 * the key ends with the forwarding), so a restart never lengthens it.
 */
#ifndef FMIPGW_SNAPSHOT_H
#define FMIPGW_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "keytab.h"

struct gw;
struct gw_ctrl;
struct rte_tel_data;

/* A key to install as it was: an entry of a snapshot or a line of the key import.  Holds
 * the key: cleanse it after use. */
struct cp_key_in {
	uint8_t cga[16];
	uint8_t pk_sha1[20];
	uint8_t at;
	uint8_t key_len;
	uint8_t key[KEYTAB_KEY_MAX];
	uint32_t hk_life_s; /* its HK-LIFETIME */
	int64_t hk_rem_ns;  /* what is left of HK-LIFETIME, from now */
	int64_t rem_ns;	    /* what is left of its use, from now (A13) */
	uint32_t last_seq;  /* A14, as in the record (bit 16: valid) */
};

enum { CP_KEY_OK = 0, CP_KEY_EXPIRED = 1 };

/*
 * Install k into the key table, now_ns being the key table's clock in nanoseconds
 * (snap_fmt.c: cp_snap_mono_ns).  CP_KEY_OK; CP_KEY_EXPIRED (nothing left of its life, after
 * rounding down); -EINVAL (an AT the AT map does not enable, a key of another length than
 * the AT's, A9), -EEXIST (the CGA has a key), -ENOSPC (table full), -ENOMEM.
 */
int cp_key_install(struct gw *gw, const struct cp_key_in *k, uint64_t now_ns);

/* --check and start-up: the KEK file, the snapshot's directory, the key-import file.  0 (with
 * *imported the import's record count) or -1 with "file:line: what". */
int cp_snapshot_check(const struct gw_config *cfg, unsigned *imported, char *err, size_t errlen);
/* Start-up, after cp_create (the router's credentials name the label) and before the lcores
 * run: the import, the snapshot, the writer thread.  0, or -1 with err (the gateway does not
 * start; a refused snapshot is not such an error). */
int cp_snapshot_start(struct gw *gw, char *err, size_t errlen);
/* Per control-loop turn: collects a finished write, starts one when due, walks a batch. */
void cp_snapshot_tick(struct gw_ctrl *c, uint64_t now_tsc);
/* The clean stop's write, after every lcore has returned (then no key changes any more). */
void cp_snapshot_stop(struct gw *gw);
/* Teardown: the thread, the buffers (cleansed), the KEK. */
void cp_snapshot_free(struct gw *gw);
/* /fmipgw/snapshot (read from a telemetry thread). */
int cp_snapshot_tel(const struct gw *gw, struct rte_tel_data *d);

#endif /* FMIPGW_SNAPSHOT_H */
