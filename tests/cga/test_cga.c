/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/cga against the published CGA vectors (tests/vectors: RFC 3972 Appendix A, veripy,
 * sendd mn1/mn2, the AR's link-local CGA of PROTOCOL.md §10) and one mutation per RFC 3972 §5
 * step.  Expected values come from reference.json, never from this library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "cga.h"
#include "reference_vectors.h"

#define KEYS VECTORS_DIR "/keys/"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b = malloc((size_t)n);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* Raw DER of the first PEM block of a file (base64 decoded by OpenSSL, not re-encoded). */
static uint8_t *pem_der(const char *path, size_t *len)
{
	BIO *b = BIO_new_file(path, "r");
	char *name = NULL, *hdr = NULL;
	unsigned char *data = NULL;
	long n = 0;
	uint8_t *out;

	assert_non_null(b);
	assert_int_equal(PEM_read_bio(b, &name, &hdr, &data, &n), 1);
	BIO_free(b);
	out = malloc((size_t)n);
	memcpy(out, data, (size_t)n);
	*len = (size_t)n;
	OPENSSL_free(name);
	OPENSSL_free(hdr);
	OPENSSL_free(data);
	return out;
}

/* SPKI DER of the public half of a PEM private key file (via OpenSSL's encoder). */
static uint8_t *key_spki(const char *path, size_t *len)
{
	BIO *b = BIO_new_file(path, "r");
	EVP_PKEY *k;
	unsigned char *der = NULL;
	int n;

	assert_non_null(b);
	k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	assert_non_null(k);
	n = i2d_PUBKEY(k, &der);
	assert_true(n > 0);
	EVP_PKEY_free(k);
	*len = (size_t)n;
	return der;
}

struct vec {
	const char *name;
	const char *params_file;
	const uint8_t *addr;
	const uint8_t *hash1; /* NULL when the vector does not publish it */
	const uint8_t *hash2;
};

static const struct vec file_vecs[] = {
	{ "rfc3972-appendix-a", KEYS "rfc3972-appendix-a.params",
	  ref_cga_rfc3972_appendix_a_address_addr, ref_cga_rfc3972_appendix_a_hash1,
	  ref_cga_rfc3972_appendix_a_hash2 },
	{ "sendd-mn1", KEYS "mn1.cga.params", ref_cga_sendd_mn1_address_addr, NULL,
	  ref_cga_sendd_mn1_hash2 },
	{ "sendd-mn2", KEYS "mn2.cga.params", ref_cga_sendd_mn2_address_addr, NULL,
	  ref_cga_sendd_mn2_hash2 },
};

static void check_ok(const uint8_t *addr, const uint8_t *params, size_t len, const uint8_t *h1,
		     const uint8_t *h2, unsigned sec)
{
	struct cga_info info;

	assert_int_equal(cga_verify(addr, params, len, &info), CGA_OK);
	assert_int_equal(info.sec, sec);
	assert_int_equal(info.step, 0);
	if (h1 != NULL)
		assert_memory_equal(info.hash1, h1, 8);
	assert_memory_equal(info.hash2, h2, 14);
}

static void test_file_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(file_vecs) / sizeof(file_vecs[0]); i++) {
		const struct vec *v = &file_vecs[i];
		size_t len;
		uint8_t *p = slurp(v->params_file, &len);
		uint8_t h1[8], h2[14];

		check_ok(v->addr, p, len, v->hash1, v->hash2, 1);
		assert_int_equal(cga_hash2(p, len, h2), CGA_OK);
		assert_memory_equal(h2, v->hash2, 14);
		if (v->hash1 != NULL) {
			assert_int_equal(cga_hash1(p, len, h1), CGA_OK);
			assert_memory_equal(h1, v->hash1, 8);
		}
		free(p);
	}
	/* RFC 3972 Appendix A: 512-bit key, 119 octets (PROTOCOL.md 3.6). */
	size_t len;
	uint8_t *p = slurp(KEYS "rfc3972-appendix-a.params", &len);
	assert_int_equal(len, 119);
	free(p);
}

/* veripy: parameters assembled from the published fields (modifier, prefix, cc, key). */
static uint8_t *veripy_params(size_t *len)
{
	size_t klen;
	uint8_t *key = pem_der(VERIPY_PEM, &klen);
	uint8_t *p = malloc(25 + klen);

	memcpy(p, ref_cga_veripy_modifier, 16);
	memcpy(p + 16, ref_cga_veripy_prefix_addr, 8);
	p[24] = ref_cga_veripy_collision_count;
	memcpy(p + 25, key, klen);
	free(key);
	*len = 25 + klen;
	return p;
}

static void test_veripy(void **state)
{
	size_t len;
	uint8_t *p = veripy_params(&len);
	uint8_t kh[16];

	(void)state;
	check_ok(ref_cga_veripy_address_addr, p, len, ref_cga_veripy_hash1, ref_cga_veripy_hash2,
		 ref_cga_veripy_sec);
	assert_int_equal(cga_key_hash(p + 25, len - 25, kh), CGA_OK);
	assert_memory_equal(kh, ref_cga_veripy_key_hash, 16);
	free(p);
}

/* The RtSolPr's Key Hash (PROTOCOL.md §10.1) is SHA-1 of mn1's SPKI as carried in its params. */
static void test_key_hash_mn1(void **state)
{
	size_t len;
	uint8_t *p = slurp(KEYS "mn1.cga.params", &len);
	uint8_t kh[16];
	struct cga_info info;

	(void)state;
	assert_int_equal(cga_verify(ref_cga_sendd_mn1_address_addr, p, len, &info), CGA_OK);
	assert_int_equal(info.pubkey_len, 162); /* RSA-1024 SPKI, PROTOCOL.md 3.2 */
	assert_int_equal(cga_key_hash(info.pubkey, info.pubkey_len, kh), CGA_OK);
	assert_memory_equal(kh, ref_send_rtsolpr_key_hash, 16);
	free(p);
}

static int verify_mut(const uint8_t *addr, const uint8_t *params, size_t len)
{
	struct cga_info info;
	int r = cga_verify(addr, params, len, &info);

	assert_int_equal(info.step, cga_err_step(r));
	return r;
}

/* One mutation per step, on every vector. */
static void test_mutations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(file_vecs) / sizeof(file_vecs[0]) + 1; i++) {
		size_t len;
		uint8_t *p, *m, a[16];
		const uint8_t *addr;

		if (i < sizeof(file_vecs) / sizeof(file_vecs[0])) {
			p = slurp(file_vecs[i].params_file, &len);
			addr = file_vecs[i].addr;
		} else {
			p = veripy_params(&len);
			addr = ref_cga_veripy_address_addr;
		}
		m = malloc(len + 8);

		/* parse: truncated inside the public key; extension TLV cut short */
		assert_int_equal(verify_mut(addr, p, len - 1), CGA_E_PARAMS);
		assert_int_equal(verify_mut(addr, p, 20), CGA_E_PARAMS);
		memcpy(m, p, len);
		memcpy(m + len, "\x00\x12\x00\x09", 4); /* claims 9 octets, has 0 */
		assert_int_equal(verify_mut(addr, m, len + 4), CGA_E_PARAMS);

		/* step 1: collision count 3 and 255 */
		for (unsigned cc = 3; cc < 256; cc += 252) {
			memcpy(m, p, len);
			m[24] = (uint8_t)cc;
			assert_int_equal(verify_mut(addr, m, len), CGA_E_COLLISION_COUNT);
		}
		/* step 2: prefix differs, in the params or in the address */
		for (unsigned b = 16; b < 24; b++) {
			memcpy(m, p, len);
			m[b] ^= 0x01;
			assert_int_equal(verify_mut(addr, m, len), CGA_E_PREFIX);
		}
		memcpy(a, addr, 16);
		a[7] ^= 0x80;
		assert_int_equal(verify_mut(a, p, len), CGA_E_PREFIX);

		/* step 4: modifier, collision count 1, public key, an added extension, IID bits */
		memcpy(m, p, len);
		m[0] ^= 0x01;
		assert_int_equal(verify_mut(addr, m, len), CGA_E_HASH1);
		memcpy(m, p, len);
		m[24] = 1;
		assert_int_equal(verify_mut(addr, m, len), CGA_E_HASH1);
		memcpy(m, p, len);
		m[len - 3] ^= 0x40; /* inside the modulus/exponent */
		assert_int_equal(verify_mut(addr, m, len), CGA_E_HASH1);
		memcpy(m, p, len);
		memcpy(m + len, "\xff\xfd\x00\x00", 4); /* empty experimental extension */
		assert_int_equal(verify_mut(addr, m, len + 4), CGA_E_HASH1);
		for (unsigned bit = 0; bit < 64; bit++) {
			unsigned byte = 8 + bit / 8;
			uint8_t mask = (uint8_t)(0x80 >> (bit % 8));

			memcpy(a, addr, 16);
			a[byte] ^= mask;
			int r = verify_mut(a, p, len);
			if (byte == 8 && (mask & 0xe0)) {
				/* Sec bits: 0 and 3.. give other results, checked below */
				continue;
			}
			if (byte == 8 && (mask & 0x03))
				assert_int_equal(r, CGA_OK); /* u/g bits are ignored */
			else
				assert_int_equal(r, CGA_E_HASH1);
		}

		/* step 5: Sec 3..7 */
		for (unsigned sec = 3; sec < 8; sec++) {
			memcpy(a, addr, 16);
			a[8] = (uint8_t)((a[8] & 0x1f) | (sec << 5));
			assert_int_equal(verify_mut(a, p, len), CGA_E_SEC);
		}
		/* step 7: Sec 2 needs 32 zero bits; these Hash2s have 16 to 23 */
		memcpy(a, addr, 16);
		a[8] = (uint8_t)((a[8] & 0x1f) | (2 << 5));
		assert_int_equal(verify_mut(a, p, len), CGA_E_HASH2);
		/* Sec 0: steps 6-7 cannot fail */
		memcpy(a, addr, 16);
		a[8] &= 0x1f;
		assert_int_equal(verify_mut(a, p, len), CGA_OK);

		free(m);
		free(p);
	}
}

/* PROTOCOL.md §10: the AR's link-local CGA is the first Sec-1 modifier counting up from 0. */
static void test_generate_ar_vector(void **state)
{
	size_t klen;
	uint8_t *key = key_spki(KEYS "ar1.key.pem", &klen);
	uint8_t params[512], zero[16] = { 0 };
	struct cga_gen_req req = {
		.pubkey = key,
		.pubkey_len = klen,
		.sec = ref_send_ar_cga_sec,
		.modifier_start = zero,
	};
	struct cga_gen_res res;

	(void)state;
	memcpy(req.prefix, ref_send_ar_cga_prefix_addr, 8);
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
	assert_memory_equal(res.addr, ref_send_ar_link_local_cga_addr, 16);
	assert_memory_equal(params, ref_send_ar_cga_modifier, 16);
	assert_int_equal(res.params_len, 25 + klen);
	assert_int_equal(res.collision_count, 0);
	assert_int_equal(params[24], 0);
	assert_memory_equal(params + 16, ref_send_ar_cga_prefix_addr, 8);
	assert_memory_equal(params + 25, key, klen);
	/* 0 .. 0xe6d1 inclusive were hashed */
	assert_int_equal(res.iterations, 0xe6d1 + 1);
	assert_int_equal(cga_verify(res.addr, params, res.params_len, NULL), CGA_OK);

	/* an iteration bound below that gives up */
	req.max_iter = 0xe6d1;
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_E_ITERATIONS);
	/* too small a buffer */
	req.max_iter = 0;
	assert_int_equal(cga_generate(&req, params, 25 + klen - 1, &res), CGA_E_NOSPACE);
	/* Sec 3 is not generated */
	req.sec = 3;
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_E_SEC);
	/* a key that is not one DER element */
	req.sec = 1;
	req.pubkey_len = klen - 1;
	assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_E_KEY);
	OPENSSL_free(key);
}

static unsigned collisions_wanted;
static unsigned collisions_seen;
static uint8_t seen_addr[3][16];

static bool fake_dad(const uint8_t addr[16], void *arg)
{
	(void)arg;
	if (collisions_seen < 3)
		memcpy(seen_addr[collisions_seen], addr, 16);
	return collisions_seen++ < collisions_wanted;
}

/* Random modifier, Sec 0 and 1, extensions carried, collision count bumped by DAD. */
static void test_generate_random(void **state)
{
	size_t klen;
	uint8_t *key = key_spki(KEYS "mn2.key.pem", &klen);
	static const uint8_t ext[] = { 0xff, 0xfd, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o' };
	uint8_t params[512], h2[14];
	struct cga_gen_req req = {
		.pubkey = key,
		.pubkey_len = klen,
		.prefix = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1 },
		.ext = ext,
		.ext_len = sizeof(ext),
	};
	struct cga_gen_res res, res2;

	(void)state;
	for (unsigned sec = 0; sec <= 1; sec++) {
		req.sec = sec;
		collisions_wanted = 0;
		collisions_seen = 0;
		req.in_use = NULL;
		assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
		assert_int_equal(res.params_len, 25 + klen + sizeof(ext));
		assert_memory_equal(params + 25 + klen, ext, sizeof(ext));
		assert_int_equal(cga_addr_sec(res.addr), sec);
		assert_int_equal(res.addr[8] & 0x03, 0); /* u, g zero */
		assert_int_equal(cga_verify(res.addr, params, res.params_len, NULL), CGA_OK);
		/* the extension is covered: dropping it breaks Hash1 */
		assert_int_equal(cga_verify(res.addr, params, res.params_len - sizeof(ext), NULL),
				 CGA_E_HASH1);
		if (sec == 1) {
			assert_int_equal(cga_hash2(params, res.params_len, h2), CGA_OK);
			assert_int_equal(h2[0] | h2[1], 0);
		}
		if (sec == 0)
			assert_int_equal(res.iterations, 1);

		/* two collisions: cc 2, new address each time, same modifier (§4 step 8) */
		collisions_wanted = 2;
		collisions_seen = 0;
		req.in_use = fake_dad;
		req.modifier_start = params; /* reproducible: restart from the found modifier */
		uint8_t params2[512];
		assert_int_equal(cga_generate(&req, params2, sizeof(params2), &res2), CGA_OK);
		assert_int_equal(collisions_seen, 3);
		assert_int_equal(res2.collision_count, 2);
		assert_int_equal(params2[24], 2);
		assert_memory_equal(params2, params, 16);
		assert_memory_equal(seen_addr[0], res.addr, 16); /* cc 0 gives the first address */
		assert_memory_not_equal(seen_addr[1], seen_addr[0], 16);
		assert_memory_equal(seen_addr[2], res2.addr, 16);
		assert_int_equal(cga_verify(res2.addr, params2, res2.params_len, NULL), CGA_OK);
		/* three collisions: give up */
		collisions_wanted = 3;
		collisions_seen = 0;
		assert_int_equal(cga_generate(&req, params2, sizeof(params2), &res2),
				 CGA_E_COLLISIONS);
		req.modifier_start = NULL;
	}
	OPENSSL_free(key);
}

/* Step 7 with a real Hash2: a Sec-0 CGA whose Hash2 starts non-zero, claimed as Sec 1. */
static void test_step7_sec1(void **state)
{
	size_t klen;
	uint8_t *key = key_spki(KEYS "mn1.key.pem", &klen);
	uint8_t params[512], h2[14], a[16];
	struct cga_gen_req req = { .pubkey = key, .pubkey_len = klen, .sec = 0 };
	struct cga_gen_res res;

	(void)state;
	for (;;) {
		assert_int_equal(cga_generate(&req, params, sizeof(params), &res), CGA_OK);
		assert_int_equal(cga_hash2(params, res.params_len, h2), CGA_OK);
		if (h2[0] | h2[1])
			break;
	}
	memcpy(a, res.addr, 16);
	assert_int_equal(cga_verify(a, params, res.params_len, NULL), CGA_OK);
	a[8] |= 1 << 5;
	struct cga_info info;
	assert_int_equal(cga_verify(a, params, res.params_len, &info), CGA_E_HASH2);
	assert_int_equal(info.step, 7);
	assert_memory_equal(info.hash2, h2, 14);
	OPENSSL_free(key);
}

/* Both key parsers give the same key; the fast one refuses what is not rsaEncryption. */
static void test_pubkey_parse(void **state)
{
	static const char *files[] = { KEYS "mn1.cga.params", KEYS "mn2.cga.params",
				       KEYS "rfc3972-appendix-a.params" };
	static const int bits[] = { 1024, 1024, 512 };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		size_t len, used1 = 0, used2 = 0;
		uint8_t *p = slurp(files[i], &len);
		EVP_PKEY *a = cga_pubkey_parse(p + 25, len - 25, &used1);
		EVP_PKEY *b = cga_pubkey_parse_generic(p + 25, len - 25, &used2);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(used1, len - 25);
		assert_int_equal(used2, len - 25);
		assert_int_equal(EVP_PKEY_eq(a, b), 1);
		assert_int_equal(EVP_PKEY_get_bits(a), bits[i]);
		assert_int_equal(EVP_PKEY_get_base_id(a), EVP_PKEY_RSA);

		/* re-encoding gives the carried octets back */
		uint8_t der[600];
		assert_int_equal(cga_pubkey_der(a, der, sizeof(der)), len - 25);
		assert_memory_equal(der, p + 25, len - 25);
		assert_int_equal(cga_pubkey_der(a, der, len - 26), 0);
		EVP_PKEY_free(a);
		EVP_PKEY_free(b);

		/* truncation, a broken algorithm OID, unused bits set */
		assert_null(cga_pubkey_parse(p + 25, len - 26, NULL));
		uint8_t *m = malloc(len);
		memcpy(m, p, len);
		/* SPKI header: 30 len (short or long form) */
		size_t hdr = (m[26] & 0x80) ? 2 + (m[26] & 0x7f) : 2;
		/* last octet of the rsaEncryption OID: 30 0d 06 09 2a .. 01 01 01 */
		assert_int_equal(m[25 + hdr + 12], 0x01);
		m[25 + hdr + 12] ^= 0x02;
		assert_null(cga_pubkey_parse(m + 25, len - 25, NULL));
		memcpy(m, p, len);
		/* BIT STRING unused-bits octet: after the AlgorithmIdentifier, 03 len */
		size_t bs = 25 + hdr + 15; /* the BIT STRING tag */
		assert_int_equal(m[bs], 0x03);
		size_t bsl = (m[bs + 1] & 0x80) ? 2 + (m[bs + 1] & 0x7f) : 2;
		assert_int_equal(m[bs + bsl], 0x00);
		m[bs + bsl] = 0x01;
		assert_null(cga_pubkey_parse(m + 25, len - 25, NULL));
		free(m);
		free(p);
	}

	/* An EC key: the generic parser takes it, the RSA-only one does not. */
	EVP_PKEY *ec = EVP_EC_gen("P-256");
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(ec, &der);
	assert_true(n > 0);
	EVP_PKEY *g = cga_pubkey_parse_generic(der, (size_t)n, NULL);
	assert_non_null(g);
	assert_null(cga_pubkey_parse(der, (size_t)n, NULL));
	EVP_PKEY_free(g);
	EVP_PKEY_free(ec);
	OPENSSL_free(der);
}

static void test_strings(void **state)
{
	(void)state;
	for (int e = 0; e < CGA_E__COUNT; e++) {
		assert_non_null(cga_strerror(e));
		assert_string_not_equal(cga_errname(e), "unknown");
	}
	assert_string_equal(cga_strerror(-1), "unknown cga error");
	assert_string_equal(cga_errname(CGA_E_HASH1), "hash1");
	assert_int_equal(cga_err_step(CGA_E_COLLISION_COUNT), 1);
	assert_int_equal(cga_err_step(CGA_E_HASH2), 7);
	assert_int_equal(cga_err_step(CGA_E_PARAMS), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_vectors),
		cmocka_unit_test(test_veripy),
		cmocka_unit_test(test_key_hash_mn1),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_generate_ar_vector),
		cmocka_unit_test(test_generate_random),
		cmocka_unit_test(test_step7_sec1),
		cmocka_unit_test(test_pubkey_parse),
		cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
