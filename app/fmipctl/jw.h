/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jw — a tiny streaming writer with two renderings of the same calls:
 *
 *   JSON  one compact JSON value per top-level object, terminated by '\n'
 *         (strings escaped; octets >= 0x7f written as \u00XX so the output is always ASCII);
 *   text  one human-readable line per top-level object: `key=value` pairs separated by
 *         spaces, named objects as `name(k=v ...)`, arrays as `[a b]`; strings quoted (with
 *         the JSON escapes) only when they contain a space, a quote or a control octet.
 *
 * There is no JSON library in the stack (STYLE: do not hand-roll what a library does; none of
 * ours does this), so this is the whole of it: no allocation, no parsing.  Output goes through
 * a sink callback (stdio for fmipctl, a counter in the fuzz target).  Misuse (a value with no
 * key in an object, nesting deeper than JW_MAX_DEPTH, ending what was not begun) sets w->err
 * and the writer then drops calls until jw_reset(); the output stays well-formed up to there.
 */
#ifndef FMIPCTL_JW_H
#define FMIPCTL_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JW_MAX_DEPTH 16

typedef void (*jw_sink_fn)(void *ctx, const char *s, size_t n);

struct jw {
	jw_sink_fn sink;
	void *ctx;
	bool json;
	unsigned depth;
	char kind[JW_MAX_DEPTH];      /* '{' object, '(' named object (text), '[' array */
	unsigned count[JW_MAX_DEPTH]; /* items written in each open container */
	bool have_key;		      /* a key was written, its value is next */
	int err;		      /* 0, or JW_E_* */
};

enum { JW_OK = 0, JW_E_NESTING = 1, JW_E_NOKEY = 2, JW_E_UNBALANCED = 3 };

void jw_init(struct jw *w, bool json, jw_sink_fn sink, void *ctx);
/* Clear an error and any open containers (no output). */
void jw_reset(struct jw *w);

/* Containers.  At the top level an object is one line; end writes the '\n'. */
void jw_obj_begin(struct jw *w);
/* JSON: {"type":"<type>", ...   text: <type>( ... ) */
void jw_obj_begin_named(struct jw *w, const char *type);
void jw_obj_end(struct jw *w);
void jw_arr_begin(struct jw *w);
void jw_arr_end(struct jw *w);

/* A key in the current object; jw_key_bare's name is left out of the text rendering. */
void jw_key(struct jw *w, const char *key);
void jw_key_bare(struct jw *w, const char *key);

/* Values. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_uint(struct jw *w, uint64_t v);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
/* Lower-case hex string of n octets; when n > max only the first max octets, then "..". */
void jw_hex(struct jw *w, const uint8_t *p, size_t n, size_t max);
/* IPv6 address (inet_ntop). */
void jw_addr6(struct jw *w, const uint8_t a[16]);
/* Link-layer address: aa:bb:cc:... of n octets (n <= 32, longer is cut). */
void jw_lladdr(struct jw *w, const uint8_t *p, size_t n);
/* A 16-bit value as the string "0x%04x" (checksums). */
void jw_hex16(struct jw *w, uint16_t v);
/* A number written verbatim (caller formats it, e.g. "1704067200.000000"). */
void jw_raw_number(struct jw *w, const char *num);

/* key + value shorthands */
void jw_kv_str(struct jw *w, const char *key, const char *s);
void jw_kv_uint(struct jw *w, const char *key, uint64_t v);
void jw_kv_bool(struct jw *w, const char *key, bool v);
void jw_kv_hex(struct jw *w, const char *key, const uint8_t *p, size_t n, size_t max);
void jw_kv_addr6(struct jw *w, const char *key, const uint8_t a[16]);
void jw_kv_hex16(struct jw *w, const char *key, uint16_t v);

#endif /* FMIPCTL_JW_H */
