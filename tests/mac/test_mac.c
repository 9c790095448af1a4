/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac tests.  Expected values come from RFC 2202, RFC 4231, the published FBU/FBack
 * vectors (reference.json), and OpenSSL's one-shot HMAC() as an independent implementation.
 */
#include <errno.h>
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

/* AT map used by the tests: the A1 defaults plus untruncated variants for the RFC KATs. */
enum { AT_SHA1_96 = 0, AT_SHA256_128 = 1, AT_SHA1_160 = 2, AT_SHA256_256 = 3 };

struct variant {
	const char *name;
	enum mac_backend backend;
	enum mac_arch arch;
	bool segmented;
};

static const struct variant variants[] = {
	{ "ipsec-mb sse", MAC_BACKEND_IPSECMB, MAC_ARCH_SSE, false },
	{ "ipsec-mb avx", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX, false },
	{ "ipsec-mb avx2", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX2, false },
	{ "ipsec-mb avx512", MAC_BACKEND_IPSECMB, MAC_ARCH_AVX512, false },
	{ "ipsec-mb imb-auto", MAC_BACKEND_IPSECMB, MAC_ARCH_IMB_AUTO, false },
	{ "ipsec-mb auto (self-benchmark)", MAC_BACKEND_IPSECMB, MAC_ARCH_AUTO, false },
	{ "openssl copy", MAC_BACKEND_OPENSSL, MAC_ARCH_AUTO, false },
	{ "openssl segmented", MAC_BACKEND_OPENSSL, MAC_ARCH_AUTO, true },
};
#define N_VARIANTS (sizeof(variants) / sizeof(variants[0]))

static int make_engine(const struct variant *v, struct mac_engine **e, struct mac_ctx **c)
{
	struct mac_cfg cfg;
	int rc;

	mac_cfg_defaults(&cfg);
	cfg.backend = v->backend;
	cfg.arch = v->arch;
	cfg.ossl_segmented = v->segmented;
	cfg.at[AT_SHA1_160].alg = MAC_ALG_HMAC_SHA1;
	cfg.at[AT_SHA1_160].tag_len = 20;
	cfg.at[AT_SHA256_256].alg = MAC_ALG_HMAC_SHA256;
	cfg.at[AT_SHA256_256].tag_len = 32;
	rc = mac_engine_create(&cfg, e);
	if (rc != 0)
		return rc;
	*c = mac_ctx_create(*e);
	assert_non_null(*c);
	return 0;
}

/* Every variant this machine can run must be created; others are skipped only when the CPU
 * lacks the instruction set. */
#define FOR_EACH_VARIANT(v, e, c)                                                              \
	for (size_t vi_ = 0; vi_ < N_VARIANTS; vi_++)                                          \
		for (const struct variant *v = &variants[vi_]; v != NULL; v = NULL)            \
			for (int once_ = (mac_arch_available(v->arch) ? 0 : 1); once_ == 0;    \
			     once_ = 1)                                                        \
				for (int rc_ = make_engine(v, &e, &c); rc_ == 0 && once_ == 0; \
				     mac_ctx_destroy(c), mac_engine_destroy(e), once_ = 1)

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		sscanf(s + 2 * i, "%2x", &v);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* ------------------------------------------------------------------------------------------ */
/* RFC 2202 / RFC 4231 known answers                                                           */
/* ------------------------------------------------------------------------------------------ */

struct kat {
	uint8_t at;
	uint8_t key_byte; /* 0: key is 0x01..0x19; 'J': "Jefe"; else repeated */
	size_t key_len;
	const char *data; /* NULL: data_byte repeated data_len */
	uint8_t data_byte;
	size_t data_len;
	const char *mac_hex; /* expected (already truncated when the RFC truncates) */
};

static const struct kat kats[] = {
	/* RFC 2202 section 3 (HMAC-SHA-1) */
	{ AT_SHA1_160, 0x0b, 20, "Hi There", 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00" },
	{ AT_SHA1_160, 'J', 4, "what do ya want for nothing?", 0, 0,
	  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
	{ AT_SHA1_160, 0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
	{ AT_SHA1_160, 0, 25, NULL, 0xcd, 50, "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
	{ AT_SHA1_160, 0x0c, 20, "Test With Truncation", 0, 0,
	  "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
	{ AT_SHA1_96, 0x0c, 20, "Test With Truncation", 0, 0, "4c1a03424b55e07fe7f27be1" },
	{ AT_SHA1_160, 0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
	{ AT_SHA1_160, 0xaa, 80,
	  "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", 0, 0,
	  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	/* RFC 4231 section 4 (HMAC-SHA-256) */
	{ AT_SHA256_256, 0x0b, 20, "Hi There", 0, 0,
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ AT_SHA256_256, 'J', 4, "what do ya want for nothing?", 0, 0,
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ AT_SHA256_256, 0xaa, 20, NULL, 0xdd, 50,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ AT_SHA256_256, 0, 25, NULL, 0xcd, 50,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ AT_SHA256_128, 0x0c, 20, "Test With Truncation", 0, 0,
	  "a3b6167473100ee06e0c796c2955552b" },
	{ AT_SHA256_256, 0xaa, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ AT_SHA256_256, 0xaa, 131,
	  "This is a test using a larger than block-size key and a larger than block-size data. "
	  "The key needs to be hashed before being used by the HMAC algorithm.",
	  0, 0, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};

static void kat_key(const struct kat *k, uint8_t *key)
{
	if (k->key_byte == 0)
		for (size_t i = 0; i < k->key_len; i++)
			key[i] = (uint8_t)(i + 1);
	else if (k->key_byte == 'J')
		memcpy(key, "Jefe", 4);
	else
		memset(key, k->key_byte, k->key_len);
}

static size_t kat_data(const struct kat *k, uint8_t *data)
{
	if (k->data != NULL) {
		memcpy(data, k->data, strlen(k->data));
		return strlen(k->data);
	}
	memset(data, k->data_byte, k->data_len);
	return k->data_len;
}

static void test_rfc_kats(void **state)
{
	struct mac_engine *e;
	struct mac_ctx *c;
	unsigned n_variants = 0;

	(void)state;
	FOR_EACH_VARIANT(v, e, c)
	{
		n_variants++;
		for (size_t t = 0; t < sizeof(kats) / sizeof(kats[0]); t++) {
			const struct kat *k = &kats[t];
			uint8_t key[200], data[200], want[32], got[32], bad[32];
			size_t dl = kat_data(k, data), wl = unhex(k->mac_hex, want);
			struct mac_key mk;
			struct wire_seg seg[3];
			struct mac_job job[3];
			uint64_t ok = 0;

			kat_key(k, key);
			assert_int_equal(mac_key_init(e, &mk, k->at, key, k->key_len), 0);
			assert_int_equal(mk.tag_len, wl);
			/* data in three segments (split at 1/3 and 2/3) */
			seg[0] = (struct wire_seg){ data, (uint32_t)(dl / 3) };
			seg[1] =
			    (struct wire_seg){ data + dl / 3, (uint32_t)(2 * dl / 3 - dl / 3) };
			seg[2] =
			    (struct wire_seg){ data + 2 * dl / 3, (uint32_t)(dl - 2 * dl / 3) };
			memset(job, 0, sizeof(job));
			job[0] = (struct mac_job){
				.key = &mk, .seg = seg, .nseg = 3, .len = (uint32_t)dl, .out = got
			};
			memset(got, 0xee, sizeof(got));
			assert_int_equal(mac_generate_burst(c, job, 1), 1);
			if (memcmp(got, want, wl) != 0)
				fail_msg("%s: KAT %zu mismatch", v->name, t);
			/* verify: right tag, one flipped bit, truncated length claim */
			memcpy(bad, want, wl);
			bad[wl - 1] ^= 0x01;
			for (int i = 0; i < 3; i++)
				job[i] = (struct mac_job){ .key = &mk,
							   .seg = seg,
							   .nseg = 3,
							   .len = (uint32_t)dl,
							   .tag = want,
							   .tag_len = (uint32_t)wl };
			job[1].tag = bad;
			job[2].tag_len = (uint32_t)wl - 1;
			assert_int_equal(mac_verify_burst(c, job, 3, &ok), 1);
			assert_int_equal(ok, 0x1);
			mac_key_clear(&mk);
		}
	}
	/* SSE, IMB auto, self-benchmark, two OpenSSL modes at least */
	assert_true(n_variants >= 5);
}

/* ------------------------------------------------------------------------------------------ */
/* Published FBU / FBack vectors                                                               */
/* ------------------------------------------------------------------------------------------ */

/*
 * The MAC input cut by hand from an IPv6 packet laid out like the vectors (IPv6 40, optional
 * Dest-Opts 24 with the HAO, then the MH with BADF last and the authenticator at its end; A20):
 * NCoA | PAR (FBU: IPv6 dst, FBack: src) | MH[0:2] | MH[2:4] | 00 00 | MH[6:len-auth]
 * (PROTOCOL.md 1.9).
 */
struct cut {
	uint8_t zero[2];
	struct wire_seg seg[6];
	unsigned n;
	uint32_t total;
	const uint8_t *auth;
};

static void hand_cut(const uint8_t *pkt, size_t pkt_len, const uint8_t *ncoa, size_t auth_len,
		     struct cut *c)
{
	/* FBU: PAR = the IPv6 destination; FBack (MH type 9): PAR = the source */
	int fback = pkt[pkt[6] == 60 ? 64 + 2 : 40 + 2] == 9;
	size_t mh = pkt[6] == 60 ? 64 : 40;
	size_t mh_len = 8u * (pkt[mh + 1] + 1u);

	assert_int_equal(mh + mh_len, pkt_len);
	c->zero[0] = c->zero[1] = 0;
	c->seg[0] = (struct wire_seg){ ncoa, 16 };
	c->seg[1] = (struct wire_seg){ pkt + (fback ? 8 : 24), 16 };
	c->seg[2] = (struct wire_seg){ pkt + mh, 4 };
	c->seg[3] = (struct wire_seg){ c->zero, 2 };
	c->seg[4] = (struct wire_seg){ pkt + mh + 6, (uint32_t)(mh_len - 6 - auth_len) };
	c->n = 5;
	c->total = (uint32_t)(32 + mh_len - auth_len);
	c->auth = pkt + mh + mh_len - auth_len;
}

/* Verify tag over input `in` (one segment) and reject every single-bit change of either. */
static void check_all_flips(struct mac_ctx *c, const struct mac_key *k, const uint8_t *in,
			    size_t in_len, const uint8_t *tag, size_t tag_len)
{
	uint8_t ins[MAC_BURST_MAX][160], tags[MAC_BURST_MAX][32];
	struct wire_seg segs[MAC_BURST_MAX];
	struct mac_job jobs[MAC_BURST_MAX];
	size_t nbits = (in_len + tag_len) * 8, bit = 0;

	assert_true(in_len <= sizeof(ins[0]));
	while (bit < nbits) {
		unsigned n = 0;
		uint64_t ok = ~0ull;
		/* job 0 is the untouched one; 1..63 each flip one bit */
		for (n = 0; n < MAC_BURST_MAX && (n == 0 || bit < nbits); n++) {
			memcpy(ins[n], in, in_len);
			memcpy(tags[n], tag, tag_len);
			if (n > 0) {
				if (bit < in_len * 8)
					ins[n][bit / 8] ^= (uint8_t)(1u << (bit % 8));
				else
					tags[n][(bit - in_len * 8) / 8] ^=
					    (uint8_t)(1u << (bit % 8));
				bit++;
			}
			segs[n] = (struct wire_seg){ ins[n], (uint32_t)in_len };
			jobs[n] = (struct mac_job){ .key = k,
						    .seg = &segs[n],
						    .nseg = 1,
						    .len = (uint32_t)in_len,
						    .tag = tags[n],
						    .tag_len = (uint32_t)tag_len };
		}
		assert_int_equal(mac_verify_burst(c, jobs, n, &ok), 1);
		assert_int_equal(ok, 1);
	}
}

static void verify_one(struct mac_ctx *c, const struct mac_key *k, const struct wire_seg *seg,
		       unsigned nseg, uint32_t total, const uint8_t *tag, size_t tag_len, int want)
{
	struct mac_job j = { .key = k,
			     .seg = seg,
			     .nseg = nseg,
			     .len = total,
			     .tag = tag,
			     .tag_len = (uint32_t)tag_len };
	uint64_t ok = 0;
	assert_int_equal(mac_verify_burst(c, &j, 1, &ok), (unsigned)want);
	assert_int_equal(ok, (uint64_t)want);
}

static void test_fbu_vectors_at0(void **state)
{
	struct mac_engine *e;
	struct mac_ctx *c;
	static const struct {
		const uint8_t *pkt, *in, *auth;
		size_t pkt_len, in_len, auth_len;
	} v0[] = {
		{ ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_mac_input,
		  ref_fbu_at0_from_par_link_authenticator, ref_fbu_at0_from_par_link_ipv6_len,
		  ref_fbu_at0_from_par_link_mac_input_len,
		  ref_fbu_at0_from_par_link_authenticator_len },
		{ ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_mac_input,
		  ref_fbu_at0_from_nar_link_authenticator, ref_fbu_at0_from_nar_link_ipv6_len,
		  ref_fbu_at0_from_nar_link_mac_input_len,
		  ref_fbu_at0_from_nar_link_authenticator_len },
		{ ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_mac_input,
		  ref_fbu_at0_fback_authenticator, ref_fbu_at0_fback_ipv6_len,
		  ref_fbu_at0_fback_mac_input_len, ref_fbu_at0_fback_authenticator_len },
	};

	(void)state;
	FOR_EACH_VARIANT(v, e, c)
	{
		struct mac_key k;
		assert_int_equal(mac_key_init(e, &k, 0, ref_fbu_at0_key, ref_fbu_at0_key_len), 0);
		for (size_t i = 0; i < 3; i++) {
			struct wire_seg one = { v0[i].in, (uint32_t)v0[i].in_len };
			struct cut cut;
			assert_int_equal(v0[i].auth_len, 12);
			verify_one(c, &k, &one, 1, one.len, v0[i].auth, 12, 1);
			/* the same input cut from the packet in five segments */
			hand_cut(v0[i].pkt, v0[i].pkt_len, ref_fbu_ncoa_addr, 12, &cut);
			assert_int_equal(cut.total, v0[i].in_len);
			assert_memory_equal(cut.auth, v0[i].auth, 12);
			verify_one(c, &k, cut.seg, cut.n, cut.total, cut.auth, 12, 1);
			check_all_flips(c, &k, v0[i].in, v0[i].in_len, v0[i].auth, 12);
		}
		/* A2: with the PCoA instead of the NCoA the published wrong value comes out */
		{
			struct cut cut;
			uint8_t tag[12];
			struct mac_job j = { 0 };
			hand_cut(ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len,
				 ref_fbu_pcoa_addr, 12, &cut);
			j = (struct mac_job){ .key = &k,
					      .seg = cut.seg,
					      .nseg = cut.n,
					      .len = cut.total,
					      .out = tag };
			assert_int_equal(mac_generate_burst(c, &j, 1), 1);
			assert_memory_equal(
			    tag, ref_fbu_at0_authenticator_if_the_pcoa_were_used_wrong, 12);
			verify_one(c, &k, cut.seg, cut.n, cut.total,
				   ref_fbu_at0_from_par_link_authenticator, 12, 0);
		}
		mac_key_clear(&k);
	}
}

static void test_fbu_vectors_at1(void **state)
{
	struct mac_engine *e;
	struct mac_ctx *c;
	const uint8_t *pk[2] = { ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_nar_link_ipv6 };
	size_t pl[2] = { ref_fbu_at1_from_par_link_ipv6_len, ref_fbu_at1_from_nar_link_ipv6_len };

	(void)state;
	FOR_EACH_VARIANT(v, e, c)
	{
		struct mac_key k, k0;
		assert_int_equal(mac_key_init(e, &k, 1, ref_fbu_at1_key, ref_fbu_at1_key_len), 0);
		assert_int_equal(k.tag_len, 16);
		/* the AT 1 key used as an AT 0 key must not verify */
		assert_int_equal(mac_key_init(e, &k0, 0, ref_fbu_at1_key, ref_fbu_at1_key_len), 0);
		for (int i = 0; i < 2; i++) {
			struct cut cut;
			uint8_t flat[200];
			hand_cut(pk[i], pl[i], ref_fbu_ncoa_addr, 16, &cut);
			verify_one(c, &k, cut.seg, cut.n, cut.total, cut.auth, 16, 1);
			verify_one(c, &k0, cut.seg, cut.n, cut.total, cut.auth, 16, 0);
			assert_int_equal(wire_segs_copy(cut.seg, cut.n, flat, sizeof(flat)),
					 cut.total);
			check_all_flips(c, &k, flat, cut.total, cut.auth, 16);
		}
		mac_key_clear(&k);
		mac_key_clear(&k0);
	}
}

/* The same packets through lib/wire's decoder and MAC input view. */
static void test_fbu_vectors_via_wire(void **state)
{
	struct mac_engine *e = NULL;
	struct mac_ctx *c = NULL;
	const struct {
		const uint8_t *pkt;
		size_t len;
		int at;
	} pk[] = {
		{ ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, 0 },
		{ ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, 0 },
		{ ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len, 0 },
		{ ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len, 1 },
		{ ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len, 1 },
	};
	struct variant v = { "default", MAC_BACKEND_IPSECMB, MAC_ARCH_AUTO, false };
	struct mac_key k[2];
	struct mac_job jobs[5];
	static struct wire_frame f[5];
	struct wire_mac_input in[5];
	uint64_t ok = 0;

	(void)state;
	assert_int_equal(make_engine(&v, &e, &c), 0);
	assert_int_equal(mac_key_init(e, &k[0], 0, ref_fbu_at0_key, ref_fbu_at0_key_len), 0);
	assert_int_equal(mac_key_init(e, &k[1], 1, ref_fbu_at1_key, ref_fbu_at1_key_len), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(wire_decode_frame(pk[i].pkt, pk[i].len, WIRE_LINK_RAW6, &f[i]),
				 WIRE_OK);
		assert_int_equal(wire_mac_input(&f[i].ip, &f[i].mh, &in[i]), WIRE_OK);
		mac_job_from_input(&jobs[i], &k[pk[i].at], &in[i]);
	}
	assert_int_equal(mac_verify_burst(c, jobs, 5, &ok), 5);
	assert_int_equal(ok, 0x1f);
	/* swap the keys: nothing verifies */
	for (int i = 0; i < 5; i++)
		jobs[i].key = &k[!pk[i].at];
	assert_int_equal(mac_verify_burst(c, jobs, 5, &ok), 0);
	mac_key_clear(&k[0]);
	mac_key_clear(&k[1]);
	mac_ctx_destroy(c);
	mac_engine_destroy(e);
}

/* ------------------------------------------------------------------------------------------ */
/* ipsec-mb against OpenSSL HMAC() on random pairs                                             */
/* ------------------------------------------------------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

#define N_RANDOM 100000

static void random_vs_openssl(const struct variant *v)
{
	struct mac_engine *e = NULL;
	struct mac_ctx *c = NULL;
	const uint8_t ats[4] = { AT_SHA1_96, AT_SHA256_128, AT_SHA1_160, AT_SHA256_256 };
	unsigned done = 0;

	assert_int_equal(make_engine(v, &e, &c), 0);
	while (done < N_RANDOM) {
		static uint8_t msg[32][200], key[32][100], ref[32][32], out[32][32];
		struct mac_key k[32];
		struct wire_seg seg[32][4];
		struct mac_job jobs[32];
		unsigned n = 32, flip = rnd() % 32;
		uint64_t ok = 0;

		for (unsigned i = 0; i < n; i++) {
			uint8_t at = ats[rnd() % 4];
			size_t kl = (rnd() % 4 == 0) ? 1 + rnd() % 100 : (at & 1 ? 32 : 20);
			uint32_t ml = 40 + rnd() % 161, a, b;
			const EVP_MD *md = (at & 1) ? EVP_sha256() : EVP_sha1();
			unsigned rl = 0;

			for (size_t q = 0; q < kl; q++)
				key[i][q] = (uint8_t)rnd();
			for (uint32_t q = 0; q < ml; q++)
				msg[i][q] = (uint8_t)rnd();
			assert_int_equal(mac_key_init(e, &k[i], at, key[i], kl), 0);
			assert_non_null(HMAC(md, key[i], (int)kl, msg[i], ml, ref[i], &rl));
			/* 1..4 segments, some empty */
			a = rnd() % (ml + 1);
			b = a + rnd() % (ml - a + 1);
			seg[i][0] = (struct wire_seg){ msg[i], a };
			seg[i][1] = (struct wire_seg){ msg[i] + a, b - a };
			seg[i][2] = (struct wire_seg){ msg[i] + b, ml - b };
			jobs[i] = (struct mac_job){
				.key = &k[i], .seg = seg[i], .nseg = 3, .len = ml, .out = out[i]
			};
		}
		assert_int_equal(mac_generate_burst(c, jobs, n), n);
		for (unsigned i = 0; i < n; i++) {
			if (memcmp(out[i], ref[i], k[i].tag_len) != 0)
				fail_msg("%s: random pair %u differs from HMAC()", v->name,
					 done + i);
			jobs[i].out = NULL;
			jobs[i].tag = ref[i];
			jobs[i].tag_len = k[i].tag_len;
		}
		ref[flip][rnd() % k[flip].tag_len] ^= (uint8_t)(1u << (rnd() % 8));
		assert_int_equal(mac_verify_burst(c, jobs, n, &ok), n - 1);
		assert_int_equal(ok, 0xffffffffull & ~(1ull << flip));
		for (unsigned i = 0; i < n; i++)
			mac_key_clear(&k[i]);
		done += n;
	}
	mac_ctx_destroy(c);
	mac_engine_destroy(e);
}

static void test_random_ipsecmb_vs_openssl(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_VARIANTS; i++)
		if (variants[i].backend == MAC_BACKEND_IPSECMB &&
		    mac_arch_available(variants[i].arch))
			random_vs_openssl(&variants[i]);
}

static void test_random_openssl_backend(void **state)
{
	(void)state;
	random_vs_openssl(&variants[N_VARIANTS - 2]);
	random_vs_openssl(&variants[N_VARIANTS - 1]);
}

/* ------------------------------------------------------------------------------------------ */
/* Malformed jobs and configuration                                                            */
/* ------------------------------------------------------------------------------------------ */

static void test_bad_jobs(void **state)
{
	struct mac_engine *e;
	struct mac_ctx *c;

	(void)state;
	FOR_EACH_VARIANT(v, e, c)
	{
		struct mac_key k;
		struct wire_seg one = { ref_fbu_at0_from_par_link_mac_input,
					ref_fbu_at0_from_par_link_mac_input_len };
		struct mac_job j[5];
		uint64_t ok = ~0ull;

		assert_int_equal(mac_key_init(e, &k, 0, ref_fbu_at0_key, ref_fbu_at0_key_len), 0);
		for (int i = 0; i < 5; i++)
			j[i] = (struct mac_job){ .key = &k,
						 .seg = &one,
						 .nseg = 1,
						 .len = one.len,
						 .tag = ref_fbu_at0_from_par_link_authenticator,
						 .tag_len = 12 };
		j[1].key = NULL;	/* no key (A15) */
		j[2].tag_len = 16;	/* length not the key's (A3) */
		j[3].len = one.len + 1; /* segments shorter than claimed */
		j[4].len = one.len - 1; /* segments longer than claimed */
		assert_int_equal(mac_verify_burst(c, j, 5, &ok), 1);
		assert_int_equal(ok, 1);
		/* a burst whose digests all verify, then the same slots with inputs that cannot be
		 * hashed: a slot's digest from the previous burst must never be compared again */
		struct mac_job good[5];
		for (int i = 0; i < 5; i++)
			good[i] = j[0];
		assert_int_equal(mac_verify_burst(c, good, 5, &ok), 5);
		for (int i = 0; i < 5; i++)
			good[i].len = one.len + 1 + (uint32_t)i; /* segments shorter than claimed */
		assert_int_equal(mac_verify_burst(c, good, 5, &ok), 0);
		assert_int_equal(ok, 0);
		mac_key_clear(&k);
		/* cleared key: zeroed state, no algorithm */
		assert_int_equal(k.alg, MAC_ALG_NONE);
		assert_int_equal(mac_verify_burst(c, j, 1, &ok), 0);
		/* AT not enabled, oversized key */
		assert_int_equal(mac_key_init(e, &k, 7, ref_fbu_at0_key, 20), -EINVAL);
		assert_int_equal(mac_key_init(e, &k, 0, ref_fbu_at0_key, 0), -EINVAL);
	}
}

static void test_config(void **state)
{
	struct mac_cfg cfg;
	struct mac_engine *e = NULL;

	(void)state;
	mac_cfg_defaults(&cfg);
	assert_int_equal(cfg.at[0].alg, MAC_ALG_HMAC_SHA1);
	assert_int_equal(cfg.at[0].tag_len, 12);
	assert_int_equal(cfg.at[1].alg, MAC_ALG_HMAC_SHA256);
	assert_int_equal(cfg.at[1].tag_len, 16);
	cfg.at[0].tag_len = 21; /* longer than SHA-1 */
	assert_int_equal(mac_engine_create(&cfg, &e), -EINVAL);
	mac_cfg_defaults(&cfg);
	cfg.burst = MAC_BURST_MAX + 1;
	assert_int_equal(mac_engine_create(&cfg, &e), -EINVAL);
	assert_int_equal(mac_arch_parse("avx512"), MAC_ARCH_AVX512);
	assert_int_equal(mac_arch_parse("auto"), MAC_ARCH_AUTO);
	assert_int_equal(mac_arch_parse("imb-auto"), MAC_ARCH_IMB_AUTO);
	assert_int_equal(mac_arch_parse("avx3"), -1);
	/* the self-benchmark measured SSE (always present on x86-64 with AES-NI) and chose an
	 * arch it measured */
	mac_cfg_defaults(&cfg);
	assert_int_equal(mac_engine_create(&cfg, &e), 0);
	assert_true(mac_engine_bench_cycles(e, MAC_ARCH_SSE, MAC_ALG_HMAC_SHA1) > 0);
	for (int alg = MAC_ALG_HMAC_SHA1; alg < MAC_ALG__COUNT; alg++) {
		enum mac_arch a = mac_engine_arch(e, alg);
		double best = mac_engine_bench_cycles(e, a, alg);
		assert_true(best > 0);
		for (int o = MAC_ARCH_SSE; o <= MAC_ARCH_AVX512; o++) {
			double x = mac_engine_bench_cycles(e, o, alg);
			assert_true(x == 0 || x >= best);
		}
	}
	print_message("mac engine: %s\n", mac_engine_describe(e));
	mac_engine_destroy(e);
}

static void test_ct_equal(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	for (int i = 0; i < 32; i++)
		a[i] = b[i] = (uint8_t)i;
	assert_int_equal(mac_ct_equal(a, b, 32), 1);
	assert_int_equal(mac_ct_equal(a, b, 0), 1);
	for (int i = 0; i < 32 * 8; i++) {
		b[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(mac_ct_equal(a, b, 32), 0);
		b[i / 8] ^= (uint8_t)(1u << (i % 8));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ct_equal),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_rfc_kats),
		cmocka_unit_test(test_fbu_vectors_at0),
		cmocka_unit_test(test_fbu_vectors_at1),
		cmocka_unit_test(test_fbu_vectors_via_wire),
		cmocka_unit_test(test_bad_jobs),
		cmocka_unit_test(test_random_ipsecmb_vs_openssl),
		cmocka_unit_test(test_random_openssl_backend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
