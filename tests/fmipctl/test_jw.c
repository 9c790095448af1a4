/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * jw (fmipctl's JSON / text writer): exact output for escaping (RFC 8259 §7), nesting, the
 * text rendering, and misuse detection.  Expected strings are written out by hand from the
 * JSON grammar, not captured from the writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "jw.h"

struct sbuf {
	char s[4096];
	size_t n;
};

static void sink(void *ctx, const char *s, size_t n)
{
	struct sbuf *b = ctx;
	assert_true(b->n + n < sizeof(b->s));
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static void test_json_escaping(void **state)
{
	(void)state;
	struct sbuf b = { .n = 0 };
	struct jw w;
	jw_init(&w, true, sink, &b);
	jw_obj_begin(&w);
	jw_key(&w, "k\"ey");
	jw_strn(&w, "a\"b\\c\n\r\t\x01\x1f\x7f\xc3\xa9 z", 15);
	jw_obj_end(&w);
	assert_int_equal(w.err, JW_OK);
	assert_string_equal(b.s, "{\"k\\\"ey\":\"a\\\"b\\\\c\\n\\r\\t\\u0001\\u001f\\u007f"
				 "\\u00c3\\u00a9 z\"}\n");
}

static void test_json_structure(void **state)
{
	(void)state;
	static const uint8_t a[16] = { 0x20, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t h[5] = { 0x00, 0xff, 0x10, 0xab, 0x7e };
	struct sbuf b = { .n = 0 };
	struct jw w;
	jw_init(&w, true, sink, &b);
	jw_obj_begin(&w);
	jw_key_bare(&w, "frame");
	jw_uint(&w, 18446744073709551615ull);
	jw_key(&w, "opts");
	jw_arr_begin(&w);
	jw_int(&w, -5);
	jw_obj_begin_named(&w, "lla");
	jw_kv_bool(&w, "x", true);
	jw_kv_hex(&w, "h", h, 5, 3);
	jw_obj_end(&w);
	jw_obj_begin(&w);
	jw_obj_end(&w);
	jw_arr_begin(&w);
	jw_arr_end(&w);
	jw_arr_end(&w);
	jw_kv_addr6(&w, "a", a);
	jw_kv_hex16(&w, "c", 0x57b8);
	jw_key(&w, "m");
	jw_lladdr(&w, h, 2);
	jw_key(&w, "t");
	jw_raw_number(&w, "1.500000");
	jw_kv_hex(&w, "e", h, 0, 8);
	jw_obj_end(&w);
	assert_int_equal(w.err, JW_OK);
	assert_string_equal(b.s, "{\"frame\":18446744073709551615,\"opts\":[-5,{\"type\":\"lla\","
				 "\"x\":true,\"h\":\"00ff10..\"},{},[]],\"a\":\"2003::1\","
				 "\"c\":\"0x57b8\",\"m\":\"00:ff\",\"t\":1.500000,\"e\":\"\"}\n");
}

static void test_text(void **state)
{
	(void)state;
	struct sbuf b = { .n = 0 };
	struct jw w;
	jw_init(&w, false, sink, &b);
	jw_obj_begin(&w);
	jw_key_bare(&w, "frame");
	jw_uint(&w, 3);
	jw_key_bare(&w, "msg");
	jw_str(&w, "fbu");
	jw_kv_str(&w, "error", "bad checksum");
	jw_kv_str(&w, "empty", "");
	jw_key(&w, "opts");
	jw_arr_begin(&w);
	jw_obj_begin_named(&w, "padn");
	jw_kv_uint(&w, "len", 4);
	jw_obj_end(&w);
	jw_obj_begin_named(&w, "badf");
	jw_kv_uint(&w, "spi", 0);
	jw_kv_str(&w, "q", "a=b");
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "badf");
	jw_obj_begin(&w);
	jw_kv_uint(&w, "off", 38);
	jw_obj_end(&w);
	jw_obj_end(&w);
	assert_int_equal(w.err, JW_OK);
	assert_string_equal(b.s, "3 fbu error=\"bad checksum\" empty=\"\" opts=[padn(len=4) "
				 "badf(spi=0 q=\"a=b\")] badf={off=38}\n");
}

static void test_misuse(void **state)
{
	(void)state;
	struct sbuf b = { .n = 0 };
	struct jw w;

	/* a value with no key inside an object */
	jw_init(&w, true, sink, &b);
	jw_obj_begin(&w);
	jw_uint(&w, 1);
	assert_int_equal(w.err, JW_E_NOKEY);
	/* dropped from then on */
	size_t n = b.n;
	jw_kv_uint(&w, "a", 1);
	jw_obj_end(&w);
	assert_int_equal(b.n, n);
	jw_reset(&w);
	assert_int_equal(w.err, JW_OK);

	/* ending what was not begun */
	jw_obj_end(&w);
	assert_int_equal(w.err, JW_E_UNBALANCED);
	jw_reset(&w);
	jw_arr_begin(&w);
	jw_obj_end(&w);
	assert_int_equal(w.err, JW_E_UNBALANCED);
	jw_reset(&w);

	/* a key in an array, a key after a key */
	jw_arr_begin(&w);
	jw_key(&w, "x");
	assert_int_equal(w.err, JW_E_NOKEY);
	jw_reset(&w);
	jw_obj_begin(&w);
	jw_key(&w, "x");
	jw_key(&w, "y");
	assert_int_equal(w.err, JW_E_NOKEY);
	jw_reset(&w);

	/* nesting */
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_arr_begin(&w);
	assert_int_equal(w.err, JW_OK);
	jw_arr_begin(&w);
	assert_int_equal(w.err, JW_E_NESTING);
	jw_reset(&w);
	for (int i = 0; i < JW_MAX_DEPTH; i++)
		jw_arr_begin(&w);
	jw_obj_begin_named(&w, "x");
	assert_int_equal(w.err, JW_E_NESTING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_json_structure),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
