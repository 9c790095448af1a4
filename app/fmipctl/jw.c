/* SPDX-License-Identifier: BSD-3-Clause */
/* jw — JSON / text line writer; see jw.h. */
#include "jw.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void out(struct jw *w, const char *s, size_t n)
{
	if (n)
		w->sink(w->ctx, s, n);
}

static void outs(struct jw *w, const char *s)
{
	out(w, s, strlen(s));
}

void jw_init(struct jw *w, bool json, jw_sink_fn sink, void *ctx)
{
	memset(w, 0, sizeof(*w));
	w->sink = sink;
	w->ctx = ctx;
	w->json = json;
}

void jw_reset(struct jw *w)
{
	w->depth = 0;
	w->have_key = false;
	w->err = JW_OK;
}

/* Separator and bookkeeping before a value; false if the value must be dropped. */
static bool value_prefix(struct jw *w)
{
	if (w->err)
		return false;
	if (w->depth == 0)
		return true;
	char k = w->kind[w->depth - 1];
	if (k == '[') {
		if (w->count[w->depth - 1]++ > 0)
			outs(w, w->json ? "," : " ");
		return true;
	}
	if (!w->have_key) {
		w->err = JW_E_NOKEY;
		return false;
	}
	w->have_key = false;
	return true;
}

static void key_common(struct jw *w, const char *key, bool bare);

static void push(struct jw *w, char kind)
{
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = JW_E_NESTING;
		return;
	}
	w->kind[w->depth] = kind;
	w->count[w->depth] = 0;
	w->depth++;
}

void jw_obj_begin(struct jw *w)
{
	if (!value_prefix(w))
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = JW_E_NESTING;
		return;
	}
	if (w->json || w->depth > 0)
		outs(w, "{");
	push(w, '{');
}

void jw_obj_begin_named(struct jw *w, const char *type)
{
	if (!value_prefix(w))
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = JW_E_NESTING;
		return;
	}
	if (w->json) {
		outs(w, "{");
		push(w, '(');
		key_common(w, "type", false);
		jw_str(w, type);
	} else {
		outs(w, type);
		outs(w, "(");
		push(w, '(');
	}
}

void jw_obj_end(struct jw *w)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] == '[' || w->have_key) {
		w->err = JW_E_UNBALANCED;
		return;
	}
	char k = w->kind[w->depth - 1];
	w->depth--;
	if (w->json)
		outs(w, "}");
	else if (k == '(')
		outs(w, ")");
	else if (w->depth > 0)
		outs(w, "}");
	if (w->depth == 0)
		outs(w, "\n");
}

void jw_arr_begin(struct jw *w)
{
	if (!value_prefix(w))
		return;
	if (w->depth >= JW_MAX_DEPTH) {
		w->err = JW_E_NESTING;
		return;
	}
	outs(w, "[");
	push(w, '[');
}

void jw_arr_end(struct jw *w)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] != '[') {
		w->err = JW_E_UNBALANCED;
		return;
	}
	w->depth--;
	outs(w, "]");
	if (w->depth == 0)
		outs(w, "\n");
}

static void put_escaped(struct jw *w, const char *s, size_t n)
{
	char buf[8];
	size_t run = 0; /* octets of s[i - run .. i) still to be written as they are */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20 || c >= 0x7f) {
				snprintf(buf, sizeof(buf), "\\u%04x", c);
				esc = buf;
			}
		}
		if (esc) {
			out(w, s + i - run, run);
			run = 0;
			outs(w, esc);
		} else {
			run++;
		}
	}
	out(w, s + n - run, run);
}

static void key_common(struct jw *w, const char *key, bool bare)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->kind[w->depth - 1] == '[' || w->have_key) {
		w->err = JW_E_NOKEY;
		return;
	}
	if (w->count[w->depth - 1]++ > 0)
		outs(w, w->json ? "," : " ");
	if (w->json) {
		outs(w, "\"");
		put_escaped(w, key, strlen(key));
		outs(w, "\":");
	} else if (!bare) {
		put_escaped(w, key, strlen(key));
		outs(w, "=");
	}
	w->have_key = true;
}

void jw_key(struct jw *w, const char *key)
{
	key_common(w, key, false);
}

void jw_key_bare(struct jw *w, const char *key)
{
	key_common(w, key, true);
}

static bool text_needs_quotes(const char *s, size_t n)
{
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '(' || c == ')' ||
		    c == '[' || c == ']' || c == '{' || c == '}' || c == '=')
			return true;
	}
	return false;
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
	if (!value_prefix(w))
		return;
	if (w->json || text_needs_quotes(s, n)) {
		outs(w, "\"");
		put_escaped(w, s, n);
		outs(w, "\"");
	} else {
		out(w, s, n);
	}
}

void jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

static void number(struct jw *w, const char *num)
{
	if (!value_prefix(w))
		return;
	outs(w, num);
}

void jw_raw_number(struct jw *w, const char *num)
{
	number(w, num);
}

void jw_uint(struct jw *w, uint64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "%" PRIu64, v);
	number(w, b);
}

void jw_int(struct jw *w, int64_t v)
{
	char b[24];
	snprintf(b, sizeof(b), "%" PRId64, v);
	number(w, b);
}

void jw_bool(struct jw *w, bool v)
{
	number(w, v ? "true" : "false");
}

void jw_hex(struct jw *w, const uint8_t *p, size_t n, size_t max)
{
	static const char digits[] = "0123456789abcdef";
	char b[2 * 64 + 3];
	size_t shown = n > max ? max : n;
	if (shown > 64)
		shown = 64;
	size_t k = 0;
	for (size_t i = 0; i < shown; i++) {
		b[k++] = digits[p[i] >> 4];
		b[k++] = digits[p[i] & 15];
	}
	if (shown < n) {
		b[k++] = '.';
		b[k++] = '.';
	}
	if (k == 0) {
		jw_strn(w, "", 0);
		return;
	}
	jw_strn(w, b, k);
}

void jw_addr6(struct jw *w, const uint8_t a[16])
{
	char b[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, a, b, sizeof(b)))
		snprintf(b, sizeof(b), "?");
	jw_str(w, b);
}

void jw_lladdr(struct jw *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char b[32 * 3];
	size_t k = 0;
	if (n > 32)
		n = 32;
	for (size_t i = 0; i < n; i++) {
		if (i)
			b[k++] = ':';
		b[k++] = digits[p[i] >> 4];
		b[k++] = digits[p[i] & 15];
	}
	jw_strn(w, b, k);
}

void jw_hex16(struct jw *w, uint16_t v)
{
	char b[8];
	snprintf(b, sizeof(b), "0x%04x", v);
	jw_str(w, b);
}

void jw_kv_str(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kv_uint(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_kv_bool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_kv_hex(struct jw *w, const char *key, const uint8_t *p, size_t n, size_t max)
{
	jw_key(w, key);
	jw_hex(w, p, n, max);
}

void jw_kv_addr6(struct jw *w, const char *key, const uint8_t a[16])
{
	jw_key(w, key);
	jw_addr6(w, a);
}

void jw_kv_hex16(struct jw *w, const char *key, uint16_t v)
{
	jw_key(w, key);
	jw_hex16(w, v);
}
