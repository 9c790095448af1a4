/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/send regressions found by fuzzing (docs/fuzzing.md, "Findings"), each on the input
 * shape that found it.
 *
 * F1 (fuzz_fmipctl, UBSan "load of value 42, which is not a valid value for type 'bool'" in
 * send_verify): send_verify read res->keep_key, an input field inside its output struct,
 * before zeroing the struct; fmipctl's --verify passed an uninitialised result, so an arbitrary
 * stack octet decided whether the signer's key was kept (and leaked).  The flag is now
 * req->keep_key and res is output only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "send.h"
#include "reference_vectors.h"

#define REF_TS ((uint64_t)1704067200 << 16) /* PROTOCOL.md §10 */

static void req_of(struct send_verify_req *req)
{
	struct wire_frame f;

	assert_int_equal(
	    wire_decode_frame(ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, WIRE_LINK_RAW6, &f),
	    WIRE_OK);
	send_verify_req_from_frame(req, &f);
	req->now = REF_TS;
}

/* F1: a result struct full of garbage is not read: no key is kept unless the request asks. */
static void test_res_is_output_only(void **state)
{
	struct send_cfg cfg;
	struct send_verify_req req;
	struct send_verify_res res;

	(void)state;
	send_cfg_default(&cfg);
	req_of(&req);
	memset(&res, 0x2a, sizeof(res));
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_null(res.key);
	assert_int_equal(res.reason, SEND_R_OK);
	assert_int_equal(res.cga_err, 0);
	assert_int_equal(res.sec, 1); /* mn1's CGA is Sec 1 (reference.json) */
	assert_int_equal(res.key_bits, 1024);
	assert_true(res.has_timestamp);
	assert_true(res.timestamp == REF_TS);
}

/* F1: the key is kept (and must be freed) when req->keep_key is set, only on success. */
static void test_keep_key_in_request(void **state)
{
	struct send_cfg cfg;
	struct send_verify_req req;
	struct send_verify_res res;

	(void)state;
	send_cfg_default(&cfg);
	req_of(&req);
	req.keep_key = true;
	memset(&res, 0x2a, sizeof(res));
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_OK);
	assert_non_null(res.key);
	assert_int_equal(EVP_PKEY_get_bits(res.key), 1024);
	EVP_PKEY_free(res.key);
	req.hop_limit = 64; /* refused: nothing kept */
	assert_int_equal(send_verify(&cfg, &req, &res), SEND_R_HOP_LIMIT);
	assert_null(res.key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_res_is_output_only),
		cmocka_unit_test(test_keep_key_in_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
