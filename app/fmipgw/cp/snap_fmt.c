/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw key persistence: the plaintext of a snapshot (snap_int.h has the layout; written with
 * lib/wire's bounded writer, read with its cursors) and the clocks of its reference instant.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <rte_cycles.h>

#include "cp.h"
#include "snap_int.h"
#include "wire.h"

_Static_assert(SNAP_ENTRY_LEN == GW_SNAP_ENTRY_LEN, "config.h sizes the secret heap with it");
_Static_assert(KEYTAB_KEY_MAX == 32, "the entry layout holds 32 octets of key");

#define NS 1000000000ull

uint64_t cp_snap_mono_ns(const struct gw *gw, uint64_t tsc)
{
	/* whole seconds as gw_now_s() counts them, then the fraction (no overflow) */
	return tsc / gw->tsc_hz * NS + tsc % gw->tsc_hz * NS / gw->tsc_hz;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec t;

	if (clock_gettime(id, &t) != 0)
		return 0;
	return (uint64_t)t.tv_sec * NS + (uint64_t)t.tv_nsec;
}

static int nib(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The kernel's boot id (a UUID), all zero when it cannot be read (then every load counts as
 * after a reboot). */
static void boot_id(uint8_t id[16])
{
	char t[64];
	ssize_t n = 0;
	unsigned k = 0;
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	memset(id, 0, 16);
	if (fd >= 0) {
		n = read(fd, t, sizeof(t) - 1);
		close(fd);
	}
	for (ssize_t i = 0; i + 1 < n && k < 16; i++) {
		int hi = nib(t[i]), lo;

		if (hi < 0)
			continue;
		if ((lo = nib(t[i + 1])) < 0) {
			memset(id, 0, 16);
			return;
		}
		id[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	if (k != 16)
		memset(id, 0, 16);
}

void snap_clock_now(const struct gw *gw, struct snap_clock *c)
{
	boot_id(c->boot_id);
	c->mono_ns = cp_snap_mono_ns(gw, rte_get_tsc_cycles());
	c->wall_ns = clock_ns(CLOCK_REALTIME);
	c->boot_ns = clock_ns(CLOCK_BOOTTIME);
}

void snap_put_header(uint8_t *buf, const struct snap_clock *ref, uint32_t count)
{
	struct wire_buf w = wire_buf_make(buf, SNAP_HDR_LEN);

	wire_put_bytes(&w, SNAP_MAGIC, 8);
	wire_put_be16(&w, SNAP_VERSION);
	wire_put_be16(&w, 0);
	wire_put_be32(&w, count);
	wire_put_be64(&w, ref->wall_ns);
	wire_put_be64(&w, ref->boot_ns);
	wire_put_bytes(&w, ref->boot_id, 16);
}

/* What is left from ref (ns) until t (whole seconds of the same clock), in ms, rounded down. */
static uint32_t left_ms(uint64_t t, uint64_t ref)
{
	uint64_t ms;

	if (t > UINT64_MAX / NS || t * NS <= ref)
		return 0;
	ms = (t * NS - ref) / 1000000u;
	return ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
}

int snap_put_entry(uint8_t *p, const struct keytab_entry *e, uint64_t ref_mono_ns)
{
	struct wire_buf w = wire_buf_make(p, SNAP_ENTRY_LEN);
	uint32_t rem = left_ms(e->expires, ref_mono_ns);
	uint64_t life = e->hk_expires - e->issued;

	if (rem == 0)
		return 1;
	wire_put_bytes(&w, e->cga, 16);
	wire_put_bytes(&w, e->pk_sha1, 20);
	wire_put_u8(&w, e->at);
	wire_put_u8(&w, e->key_len);
	wire_put_bytes(&w, e->key, e->key_len);
	wire_put_zero(&w, KEYTAB_KEY_MAX - e->key_len);
	wire_put_be32(&w, life > UINT32_MAX ? UINT32_MAX : (uint32_t)life);
	wire_put_be32(&w, left_ms(e->hk_expires, ref_mono_ns));
	wire_put_be32(&w, rem);
	wire_put_be32(&w, e->last_seq);
	return 0;
}

int snap_get_header(const uint8_t *buf, size_t len, struct snap_clock *ref, uint32_t *count,
		    char *err, size_t errlen)
{
	struct wire_cur c = wire_cur_make(buf, len);
	const uint8_t *magic;
	uint16_t version = 0, flags = 0;

	memset(ref, 0, sizeof(*ref));
	if (wire_get_view(&c, 8, &magic) || memcmp(magic, SNAP_MAGIC, 8) != 0 ||
	    wire_get_be16(&c, &version) || wire_get_be16(&c, &flags) || wire_get_be32(&c, count) ||
	    wire_get_be64(&c, &ref->wall_ns) || wire_get_be64(&c, &ref->boot_ns) ||
	    wire_get_bytes(&c, ref->boot_id, 16)) {
		snprintf(err, errlen, "its contents are not a key table (header)");
		return -1;
	}
	if (version != SNAP_VERSION || flags != 0) {
		snprintf(err, errlen, "key table version %u flags %u: not supported (version %u)",
			 version, flags, SNAP_VERSION);
		return -1;
	}
	if (c.len != (size_t)*count * SNAP_ENTRY_LEN) {
		snprintf(err, errlen, "%u entries announced, %zu octets of entries", *count, c.len);
		return -1;
	}
	return 0;
}

void snap_get_entry(const uint8_t *p, struct snap_entry *e)
{
	struct wire_cur c = wire_cur_make(p, SNAP_ENTRY_LEN);

	/* the length was checked with the header: no read below can fail */
	memset(e, 0, sizeof(*e));
	if (wire_get_bytes(&c, e->cga, 16) || wire_get_bytes(&c, e->pk_sha1, 20) ||
	    wire_get_u8(&c, &e->at) || wire_get_u8(&c, &e->key_len) ||
	    wire_get_bytes(&c, e->key, KEYTAB_KEY_MAX) || wire_get_be32(&c, &e->hk_life_s) ||
	    wire_get_be32(&c, &e->hk_rem_ms) || wire_get_be32(&c, &e->rem_ms) ||
	    wire_get_be32(&c, &e->last_seq))
		memset(e, 0, sizeof(*e));
}

/* When an entry's key was issued, relative to the reference instant (ms; larger: later). */
static int64_t issued_rel(const uint8_t *p)
{
	struct snap_entry e;
	int64_t r;

	snap_get_entry(p, &e);
	r = (int64_t)e.hk_rem_ms - (int64_t)e.hk_life_s * 1000;
	OPENSSL_cleanse(&e, sizeof(e));
	return r;
}

/* What the sort moves: an entry's CGA (public), when it was issued and where it is — never
 * the entry itself, whose key glibc's qsort would copy into a temporary buffer of its own
 * (ordinary heap, freed without being cleansed). */
struct dedup_ix {
	uint8_t cga[16];
	int64_t issued;
	uint32_t i;
};

static int ix_cmp(const void *a, const void *b)
{
	const struct dedup_ix *x = a, *y = b;
	int d = memcmp(x->cga, y->cga, 16);

	if (d != 0)
		return d;
	return x->issued < y->issued ? -1 : x->issued > y->issued;
}

uint32_t snap_dedup(uint8_t *entries, uint32_t n)
{
	struct dedup_ix *ix;
	uint8_t *drop;
	uint32_t out = 0;

	if (n < 2)
		return n;
	ix = malloc(sizeof(*ix) * n);
	drop = calloc(n, 1);
	if (ix == NULL || drop == NULL) {
		free(ix);
		free(drop);
		return n; /* duplicates stay: the load keeps the first of a CGA (-EEXIST) */
	}
	for (uint32_t i = 0; i < n; i++) {
		memcpy(ix[i].cga, entries + (size_t)i * SNAP_ENTRY_LEN, 16);
		ix[i].issued = issued_rel(entries + (size_t)i * SNAP_ENTRY_LEN);
		ix[i].i = i;
	}
	qsort(ix, n, sizeof(*ix), ix_cmp);
	/* a CGA deleted and added again during the walk: keep the key issued last */
	for (uint32_t i = 0; i + 1 < n; i++)
		if (memcmp(ix[i].cga, ix[i + 1].cga, 16) == 0)
			drop[ix[i].i] = 1;
	for (uint32_t i = 0; i < n; i++) {
		if (drop[i])
			continue;
		if (out != i)
			memcpy(entries + (size_t)out * SNAP_ENTRY_LEN,
			       entries + (size_t)i * SNAP_ENTRY_LEN, SNAP_ENTRY_LEN);
		out++;
	}
	free(ix);
	free(drop);
	OPENSSL_cleanse(entries + (size_t)out * SNAP_ENTRY_LEN, (size_t)(n - out) * SNAP_ENTRY_LEN);
	return out;
}
