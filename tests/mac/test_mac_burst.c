/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac per-packet bursts (issue 14): the published FBU authenticators (tests/vectors)
 * through lib/wire's fast decoder and in-place MAC input and mac_burst_add(); random inputs
 * hashed in place (one segment) and gathered from random segments (mac_burst_add_segs)
 * against OpenSSL's one-shot HMAC() on 100,000 pairs per manager, the ATs mixed in each burst;
 * and the word-wise constant-time compare at every octet and bit position.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mac.h"
#include "reference_vectors.h"
#include "wire.h"

struct variant {
	const char *name;
	enum mac_backend backend;
	enum mac_arch arch;
};

static const struct variant variants[] = {
	{ "ipsec-mb sse", MAC_BACKEND_IPSECMB, MAC_ARCH_SSE },
	{ "ipsec-mb avx", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX },
	{ "ipsec-mb avx2", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX2 },
	{ "ipsec-mb avx512", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX512 },
	{ "ipsec-mb imb-auto", MAC_BACKEND_IPSECMB, MAC_ARCH_IMB_AUTO },
	{ "openssl", MAC_BACKEND_OPENSSL, MAC_ARCH_AUTO },
};
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static void make(const struct variant *v, struct mac_engine **e, struct mac_ctx **c)
{
	struct mac_cfg cfg;

	mac_cfg_defaults(&cfg); /* A1: AT 0 HMAC-SHA1-96, AT 1 HMAC-SHA256-128 */
	cfg.backend = v->backend;
	cfg.arch = v->arch;
	assert_int_equal(mac_engine_create(&cfg, e), 0);
	*c = mac_ctx_create(*e);
	assert_non_null(*c);
}

static void drop(struct mac_engine *e, struct mac_ctx *c)
{
	mac_ctx_destroy(c);
	mac_engine_destroy(e);
}

/* ---- constant-time compare --------------------------------------------------------------- */

static void test_ct_equal_every_position(void **state)
{
	uint8_t a[40], b[40];

	(void)state;
	for (size_t n = 0; n <= 32; n++) {
		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = b[i] = (uint8_t)(0x5a ^ i * 7);
		assert_int_equal(mac_ct_equal(a, b, n), 1);
		/* a difference outside the n octets is not seen */
		b[n] ^= 0x80;
		assert_int_equal(mac_ct_equal(a, b, n), 1);
		b[n] ^= 0x80;
		for (size_t pos = 0; pos < n; pos++)
			for (int bit = 0; bit < 8; bit++) {
				b[pos] ^= (uint8_t)(1u << bit);
				assert_int_equal(mac_ct_equal(a, b, n), 0);
				b[pos] ^= (uint8_t)(1u << bit);
			}
		/* every octet different */
		for (size_t pos = 0; pos < n; pos++)
			b[pos] = (uint8_t)~a[pos];
		if (n)
			assert_int_equal(mac_ct_equal(a, b, n), 0);
	}
	/* unaligned operands */
	for (size_t off = 1; off < 8; off++) {
		memcpy(b + off, a, 16);
		assert_int_equal(mac_ct_equal(a, b + off, 16), 1);
		b[off + 15] ^= 1;
		assert_int_equal(mac_ct_equal(a, b + off, 16), 0);
	}
}

/*
 * The burst's tag compare at every tag length the AT map can give (1..20 for SHA-1, 1..32 for
 * SHA-256): the right tag verifies, a change in any bit of the kept octets fails, a change
 * just past them does not matter.  Reference tags from OpenSSL's HMAC(), truncated.
 */
static void test_burst_every_tag_length(void **state)
{
	static const uint8_t key[20] = "fmipgw tag lengths!";
	uint8_t in[70], ref[EVP_MAX_MD_SIZE + 1], bad[EVP_MAX_MD_SIZE + 1];
	unsigned rl;

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 13 + 1);
	for (int a = 0; a < 2; a++) {
		enum mac_alg alg = a ? MAC_ALG_HMAC_SHA256 : MAC_ALG_HMAC_SHA1;
		unsigned dl = a ? 32 : 20;
		assert_non_null(HMAC(a ? EVP_sha256() : EVP_sha1(), key, sizeof(key), in,
				     sizeof(in), ref, &rl));
		assert_int_equal(rl, dl);
		ref[dl] = 0;
		for (unsigned tl = 1; tl <= dl; tl++) {
			struct mac_cfg cfg;
			struct mac_engine *e = NULL;
			struct mac_ctx *c = NULL;
			struct mac_key k;

			mac_cfg_defaults(&cfg);
			cfg.arch = MAC_ARCH_IMB_AUTO;
			cfg.at[2] = (struct mac_at_cfg){ alg, (uint8_t)tl };
			assert_int_equal(mac_engine_create(&cfg, &e), 0);
			c = mac_ctx_create(e);
			assert_non_null(c);
			assert_int_equal(mac_key_init(e, &k, 2, key, sizeof(key)), 0);
			memcpy(bad, ref, dl + 1);
			bad[tl] ^= 0x01; /* past the kept octets */
			assert_int_equal(mac_burst_add(c, &k, 2, in, sizeof(in), bad, tl), 0);
			assert_int_equal(mac_burst_verify(c), 1);
			bad[tl] ^= 0x01;
			for (unsigned bit = 0; bit < tl * 8; bit++) {
				bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				mac_burst_add(c, &k, 2, in, sizeof(in), bad, tl);
				mac_burst_add(c, &k, 2, in, sizeof(in), ref, tl);
				assert_int_equal(mac_burst_verify(c), 2);
				bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			}
			mac_key_clear(&k);
			drop(e, c);
		}
	}
}

/* ---- published vectors through the in-place input ---------------------------------------- */

struct vec {
	const uint8_t *ip6;
	size_t len;
	uint8_t at;
	const uint8_t *auth; /* published (AT 0); AT 1: the packet's last 16 octets */
};

static const struct vec vecs[] = {
	{ ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, 0,
	  ref_fbu_at0_from_par_link_authenticator },
	{ ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, 0,
	  ref_fbu_at0_from_nar_link_authenticator },
	{ ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len, 1, NULL },
	{ ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len, 1, NULL },
};

static void test_vectors_in_place(void **state)
{
	(void)state;
	for (size_t vi = 0; vi < N_VARIANTS; vi++) {
		const struct variant *v = &variants[vi];
		struct mac_engine *e;
		struct mac_ctx *c;
		struct mac_key k[2];
		uint8_t pkt[4][128], orig[4][128];
		struct wire_fbu_fast ff[4];
		struct wire_mac_inplace s[4];
		int slot[8];
		uint64_t ok;

		if (!mac_arch_available(v->arch))
			continue;
		print_message("%s\n", v->name);
		make(v, &e, &c);
		assert_int_equal(mac_key_init(e, &k[0], 0, ref_fbu_at0_key, ref_fbu_at0_key_len),
				 0);
		assert_int_equal(mac_key_init(e, &k[1], 1, ref_fbu_at1_key, ref_fbu_at1_key_len),
				 0);
		mac_burst_begin(c);
		for (int i = 0; i < 4; i++) {
			const struct vec *x = &vecs[i];
			memcpy(pkt[i], x->ip6, x->len);
			memcpy(orig[i], x->ip6, x->len);
			assert_true(wire_fbu_fast_decode(pkt[i], x->len, WIRE_LINK_RAW6, &ff[i]));
			if (x->auth)
				assert_memory_equal(pkt[i] + ff[i].auth_off, x->auth, 12);
			assert_int_equal(wire_fbu_fast_inplace(pkt[i], &ff[i], &s[i]), WIRE_OK);
			/* the right key, then the other AT's key and a tag of the wrong length */
			slot[i] = mac_burst_add(c, &k[x->at], x->at, s[i].start, s[i].len,
						pkt[i] + ff[i].auth_off, ff[i].auth_len);
			slot[4 + i] = mac_burst_add(c, &k[!x->at], !x->at, s[i].start, s[i].len,
						    pkt[i] + ff[i].auth_off, ff[i].auth_len);
			assert_int_equal(slot[i], 2 * i);
			assert_int_equal(slot[4 + i], 2 * i + 1);
		}
		ok = mac_burst_verify(c);
		assert_int_equal(ok, 0x55); /* every right-key slot, no other */
		for (int i = 0; i < 4; i++) {
			wire_mac_inplace_restore(&s[i]);
			assert_memory_equal(pkt[i], orig[i], vecs[i].len);
		}
		/* every single-bit change of each authenticator fails, the others still verify */
		for (int i = 0; i < 4; i++) {
			uint8_t *a = pkt[i] + ff[i].auth_off;
			assert_int_equal(wire_fbu_fast_inplace(pkt[i], &ff[i], &s[i]), WIRE_OK);
			for (int bit = 0; bit < ff[i].auth_len * 8; bit++) {
				uint8_t bad[16]; /* tags are read at verify time: a copy */
				memcpy(bad, a, ff[i].auth_len);
				bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				mac_burst_add(c, &k[vecs[i].at], vecs[i].at, s[i].start, s[i].len,
					      bad, ff[i].auth_len);
				mac_burst_add(c, &k[vecs[i].at], vecs[i].at, s[i].start, s[i].len,
					      a, ff[i].auth_len);
				assert_int_equal(mac_burst_verify(c), 2);
			}
			wire_mac_inplace_restore(&s[i]);
		}
		/* no key, an AT that is not enabled, and a full burst */
		assert_int_equal(mac_burst_add(c, NULL, 0, s[0].start, s[0].len, s[0].start, 12),
				 0);
		assert_int_equal(mac_burst_add(c, &k[0], 9, s[0].start, s[0].len, s[0].start, 12),
				 1);
		for (int i = 2; i < MAC_BURST_MAX; i++)
			assert_int_equal(
			    mac_burst_add(c, &k[0], 0, s[0].start, s[0].len, s[0].start, 12), i);
		assert_int_equal(mac_burst_add(c, &k[0], 0, s[0].start, s[0].len, s[0].start, 12),
				 -1);
		assert_int_equal(mac_burst_verify(c), 0);
		mac_key_clear(&k[0]);
		mac_key_clear(&k[1]);
		drop(e, c);
	}
}

/* ---- random inputs: in place vs gathered vs HMAC() ---------------------------------------- */

static uint64_t rng = 0x2545f4914f6cdd1dull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

#define N_RANDOM 100000
#define PER	 16 /* pairs per burst: each one in place and gathered (32 slots) */

static void random_pairs(const struct variant *v)
{
	struct mac_engine *e;
	struct mac_ctx *c;
	unsigned done = 0;

	make(v, &e, &c);
	while (done < N_RANDOM) {
		static uint8_t msg[PER][300], key[PER][80], ref[PER][32];
		struct mac_key k[PER];
		struct wire_mac_input in[PER];
		uint8_t at[PER];
		uint64_t want = 0, ok;
		unsigned flip = rnd() % PER;

		memset(in, 0, sizeof(in));
		for (unsigned i = 0; i < PER; i++) {
			size_t kl = 1 + rnd() % 80;
			uint32_t ml = 1 + rnd() % 250, cut[WIRE_MAC_SEGS - 1];
			unsigned rl = 0, ns = 1 + rnd() % WIRE_MAC_SEGS;

			at[i] = (uint8_t)(rnd() & 1);
			for (size_t q = 0; q < kl; q++)
				key[i][q] = (uint8_t)rnd();
			for (uint32_t q = 0; q < ml; q++)
				msg[i][q] = (uint8_t)rnd();
			assert_int_equal(mac_key_init(e, &k[i], at[i], key[i], kl), 0);
			assert_non_null(HMAC(at[i] ? EVP_sha256() : EVP_sha1(), key[i], (int)kl,
					     msg[i], ml, ref[i], &rl));
			/* ns segments at sorted random cuts (some empty) */
			for (unsigned q = 0; q + 1 < ns; q++)
				cut[q] = rnd() % (ml + 1);
			for (unsigned q = 1; q + 1 < ns; q++)
				for (unsigned r = q; r > 0 && cut[r - 1] > cut[r]; r--) {
					uint32_t t = cut[r];
					cut[r] = cut[r - 1];
					cut[r - 1] = t;
				}
			for (unsigned q = 0; q < ns; q++) {
				uint32_t a = q ? cut[q - 1] : 0, b = q + 1 < ns ? cut[q] : ml;
				in[i].seg[q] = (struct wire_seg){ msg[i] + a, b - a };
			}
			in[i].n = ns;
			in[i].total = ml;
			in[i].auth = ref[i];
			in[i].auth_len = at[i] ? 16 : 12;
		}
		ref[flip][rnd() % in[flip].auth_len] ^= (uint8_t)(1u << (rnd() % 8));
		for (unsigned i = 0; i < PER; i++) {
			assert_int_equal(mac_burst_add(c, &k[i], at[i], msg[i], in[i].total, ref[i],
						       in[i].auth_len),
					 2 * i);
			assert_int_equal(mac_burst_add_segs(c, &k[i], at[i], &in[i]), 2 * i + 1);
			if (i != flip)
				want |= 3ull << (2 * i);
		}
		ok = mac_burst_verify(c);
		if (ok != want)
			fail_msg("%s: pairs %u..%u: ok %016llx, want %016llx", v->name, done,
				 done + PER - 1, (unsigned long long)ok, (unsigned long long)want);
		for (unsigned i = 0; i < PER; i++)
			mac_key_clear(&k[i]);
		done += PER;
	}
	drop(e, c);
}

static void test_random_in_place_vs_gathered_vs_hmac(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_VARIANTS; i++)
		if (mac_arch_available(variants[i].arch)) {
			print_message("%s: %u pairs\n", variants[i].name, N_RANDOM);
			random_pairs(&variants[i]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_equal_every_position),
		cmocka_unit_test(test_burst_every_tag_length),
		cmocka_unit_test(test_vectors_in_place),
		cmocka_unit_test(test_random_in_place_vs_gathered_vs_hmac),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
