/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_make_seeds OUT_DIR: write the seed corpora of the fuzz targets other than fuzz_decode
 * (tests/fuzz/make_corpus.py makes that one) into OUT_DIR/corpus_<name>/, one file per seed
 * named by its SHA-1.  Seeds come from the vectors (tests/vectors: the published RtSolPr,
 * PrRtAdv, FBUs and FBack, the CGA Parameters, the RFC 3779 certificates) and from the
 * builders (lib/send's CPS/CPA, lib/hk's RtSolPr and PrRtAdv, tests/fuzz/pki's path), each with
 * the flags octet(s) its target reads (see the target's header comment).
 *
 * Built in the normal build (it needs the generated reference_vectors.h).  Regenerate with
 *     build/tests/fuzz/fuzz_make_seeds tests/fuzz
 * RSA encryption and the MN's nonces are random, so a new run gives some new files: replace
 * the directories rather than adding to them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/sha.h>

#include "cga.h"
#include "fz.h"
#include "hk.h"
#include "reference_vectors.h"
#include "seal.h"

static const char *out_dir;
static unsigned n_written;

static void put(const char *target, const uint8_t *pre, size_t pre_len, const uint8_t *p,
		size_t len)
{
	static uint8_t buf[FZ_MAX_IN];
	char dir[1024], path[1200], hex[41];
	uint8_t md[20];

	if (pre_len + len > sizeof(buf))
		abort();
	memcpy(buf, pre, pre_len);
	memcpy(buf + pre_len, p, len);
	SHA1(buf, pre_len + len, md);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(dir, sizeof(dir), "%s/corpus_%s", out_dir, target);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		abort();
	snprintf(path, sizeof(path), "%s/%s", dir, hex);
	FILE *f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, pre_len + len, f) != pre_len + len || fclose(f) != 0)
		abort();
	n_written++;
}

/* One seed: a flags octet, then p. */
static void put1(const char *target, uint8_t flags, const uint8_t *p, size_t len)
{
	put(target, &flags, 1, p, len);
}

static size_t der_of(X509 *x, uint8_t *out, size_t cap)
{
	unsigned char *d = NULL;
	int n = i2d_X509(x, &d);
	if (n <= 0 || (size_t)n > cap)
		abort();
	memcpy(out, d, (size_t)n);
	OPENSSL_free(d);
	return (size_t)n;
}

static X509 *vec_cert(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (x == NULL)
		abort();
	return x;
}

/* ---- lib/send ------------------------------------------------------------------------------ */

static void seeds_cert(void)
{
	static uint8_t b[8192];
	X509 *router = fz_pki_cert("pki/router.cert.pem"), *ca = fz_pki_cert("pki/ca.cert.pem");
	X509 *ta = fz_pki_cert("pki/trust-anchor.pem");
	X509 *ar1 = vec_cert("ar1.cert_ipext.pem"), *lvl1 = vec_cert("lvl1.cert_ipext.pem");
	size_t n;

	n = der_of(router, b, sizeof(b));
	n += der_of(ca, b + n, sizeof(b) - n);
	for (uint8_t f = 0; f < 7; f++) /* every built-in served set over the good path */
		put1("send_cert", f, b, n);
	n = der_of(ca, b, sizeof(b));
	n += der_of(router, b + n, sizeof(b) - n); /* wrong order */
	put1("send_cert", 1, b, n);
	put1("send_cert", 0, b, der_of(router, b, sizeof(b))); /* no intermediate */
	put1("send_cert", 3, b, der_of(ta, b, sizeof(b)));
	n = der_of(ar1, b, sizeof(b));
	n += der_of(lvl1, b + n, sizeof(b) - n);
	put1("send_cert", 8 | 1, b, n); /* the vectors' MD5 path */
	X509_free(ar1);
	X509_free(lvl1);
}

/* An answer as fuzz_send_cpa reads it: (2-octet length, ICMPv6 CPA) records.  b: 8 KB. */
static size_t cpa_records(const struct send_cpa_out *out, uint8_t *b)
{
	size_t n = 0;
	for (unsigned i = 0; i < out->n; i++) {
		size_t l = out->len[i] - WIRE_IPV6_HLEN;
		b[n++] = (uint8_t)(l >> 8);
		b[n++] = (uint8_t)l;
		memcpy(b + n, out->pkt[i] + WIRE_IPV6_HLEN, l);
		n += l;
	}
	return n;
}

static void seeds_cps_cpa(void)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 1 };
	static uint8_t b[8192];
	static struct send_cpa_out out;
	struct send_cpa_server s = { .creds = fz_ar1(), .anchor = send_trust_get(fz_trust(), 0) };
	uint8_t pkt[1500];
	struct wire_buf w;
	struct wire_frame f;

	memcpy(s.src, fz_ar1_ll, 16);
	const struct send_trust *ts[2] = { fz_trust(), fz_trust_md5() };
	for (unsigned t = 0; t < 2; t++) {
		for (unsigned comp = 0; comp < 3; comp++) {
			uint16_t c = comp == 2 ? 0xffff : (uint16_t)comp;
			w = wire_buf_make(pkt, sizeof(pkt));
			if (send_cps_build(&w, ll, fz_all_routers, FZ_REF_IDENTIFIER, c, ts[t]) !=
			    SEND_R_OK)
				abort();
			const uint8_t *icmp = pkt + WIRE_IPV6_HLEN;
			size_t il = w.len - WIRE_IPV6_HLEN;
			put1("send_cps", 0, icmp, il);
			put("send_opts", NULL, 0, icmp, il);
			if (comp == 2) {
				put1("send_cps", 4, icmp, il);	/* frame */
				put1("send_cps", 1, icmp, il);	/* from :: */
				put1("send_cps", 3, icmp, il);	/* unsolicited */
				put1("send_cps", 16, icmp, il); /* rate limit */
			}
			/* the answer as a host receives it: records of (length, CPA) */
			s.win_count = 0;
			s.sent_allnodes = false;
			if (t != 0 ||
			    wire_decode_frame(pkt, w.len, WIRE_LINK_RAW6, &f) != WIRE_OK ||
			    send_cpa_answer_frame(&s, &f, FZ_NOW, &out) != SEND_R_OK)
				continue;
			size_t n = cpa_records(&out, b);
			for (unsigned i = 0; i < out.n; i++)
				put("send_opts", NULL, 0, out.pkt[i] + WIRE_IPV6_HLEN,
				    out.len[i] - WIRE_IPV6_HLEN);
			put1("send_cpa", 0, b, n);
			if (comp == 2) {
				put1("send_cpa", 1, b, n);
				put1("send_cpa", 2, b, n);
				put1("send_cpa", 3, b, n);
				put1("send_cpa", 0x10, b, n);
				put1("send_cpa", 8, b, n);
			}
		}
	}
	/* an unsolicited answer to all-nodes (Identifier 0) */
	s.win_count = 0;
	if (send_cpa_answer(&s, NULL, NULL, 0, FZ_NOW, &out) != SEND_R_OK)
		abort();
	size_t n = cpa_records(&out, b);
	put1("send_cpa", 4, b, n);
	put1("send_cpa", 4 | 0x10, b, n);
}

/* ---- lib/hk: the published exchange and one the builders make ------------------------------ */

struct built {
	uint8_t rtsolpr[HK_PKT_MAX], prrtadv[HK_PKT_MAX], wild[HK_PKT_MAX], nohk[HK_PKT_MAX];
	size_t rtsolpr_len, prrtadv_len, wild_len, nohk_len;
};

/* The AR's answer (ar1) to the published RtSolPr: a PrRtAdv whose key mn2 decrypts. */
static void ar_answer(struct built *b)
{
	struct hk_ar_cfg cfg;
	struct mac_cfg mac;
	static struct hk_ar_state st;
	static struct hk_ar_out out;
	static const uint8_t ap[6] = { 2, 0, 0, 0, 0, 0xaa };
	struct hk_ap aps[1] = { { .kind = HK_AP_NAR, .nar_prefix_len = 64 } };

	memcpy(aps[0].ap_lla, ap, 6);
	mac_cfg_defaults(&mac);
	hk_ar_cfg_defaults(&cfg);
	cfg.send = fz_send_cfg();
	cfg.creds = fz_ar1();
	cfg.mac = &mac;
	cfg.aps = aps;
	cfg.n_aps = 1;
	if ((st.replay = send_replay_new(cfg.send)) == NULL ||
	    hk_ar_rtsolpr(&cfg, &st, NULL, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len, FZ_NOW,
			  &out) != HK_R_OK)
		abort();
	memcpy(b->prrtadv, out.pkt, out.len);
	b->prrtadv_len = out.len;
	send_replay_free(st.replay);
}

/* RtSolPrs from mn1 signed with the builders: the AP of the vectors, the wildcard, no key. */
static size_t mn_rtsolpr(uint8_t *pkt, const uint8_t *ap, bool hkreq)
{
	static const uint8_t wildcard[6];
	struct wire_buf w = wire_buf_make(pkt, HK_PKT_MAX);
	struct send_sign_opts so = { .timestamp = FZ_TS(FZ_T0),
				     .nonce = fz_ref_nonce,
				     .nonce_len = sizeof(fz_ref_nonce) };
	uint8_t spki[512];
	size_t spki_len = cga_pubkey_der(fz_key("mn2.key.pem"), spki, sizeof(spki));
	size_t ip6 = wire_build_ip6(&w, fz_mn1_addr, fz_all_routers, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, FZ_REF_IDENTIFIER);

	wire_put_opt_lla(&w, ap ? WIRE_LLA_NEW_AP : WIRE_LLA_WILDCARD, ap ? ap : wildcard, 6);
	send_put_opts(&w, fz_mn1(), &so);
	if (hkreq)
		wire_put_opt_hkreq(&w, 1, spki, spki_len);
	if (send_sign_finish(&w, fz_mn1(), ip6, icmp) != SEND_R_OK)
		abort();
	return w.len;
}

static void seeds_hk(void)
{
	static struct built b;
	static const uint8_t ap[6] = { 2, 0, 0, 0, 0, 0xa1 };
	static const uint8_t ar_flags[] = { 0, 1, 2, 4, 8, 0x10, 0x24, 0x40, 0x44 };

	ar_answer(&b);
	b.rtsolpr_len = mn_rtsolpr(b.rtsolpr, ap, true);
	b.wild_len = mn_rtsolpr(b.wild, NULL, true);
	b.nohk_len = mn_rtsolpr(b.nohk, ap, false);
	const struct {
		const uint8_t *p;
		size_t len;
	} sol[] = { { ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len },
		    { b.rtsolpr, b.rtsolpr_len },
		    { b.wild, b.wild_len },
		    { b.nohk, b.nohk_len } };
	for (unsigned i = 0; i < sizeof(sol) / sizeof(sol[0]); i++) {
		const uint8_t *icmp = sol[i].p + WIRE_IPV6_HLEN;
		size_t il = sol[i].len - WIRE_IPV6_HLEN;
		for (unsigned k = 0; k < sizeof(ar_flags); k++) {
			put1("hk_rtsolpr", ar_flags[k], sol[i].p, sol[i].len);
			put1("hk_rtsolpr_signed", ar_flags[k], icmp, il);
		}
		put1("send_verify", 0, icmp, il);
		put1("send_verify", 8, icmp, il);
		put1("send_verify", 2 | 8, icmp, il);
		put1("send_verify", 0x20, icmp, il);
		put("send_opts", NULL, 0, icmp, il);
	}
	const struct {
		const uint8_t *p;
		size_t len;
	} adv[] = { { ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len },
		    { b.prrtadv, b.prrtadv_len } };
	for (unsigned i = 0; i < 2; i++) {
		for (uint8_t fl = 0; fl < 8; fl++) {
			put1("hk_prrtadv", fl, adv[i].p, adv[i].len);
			put1("hk_prrtadv_signed", fl, adv[i].p + 40, adv[i].len - 40);
		}
		put1("send_verify", 1, adv[i].p + 40, adv[i].len - 40);
		put1("send_verify", 1 | 4, adv[i].p + 40, adv[i].len - 40);
		put1("send_verify", 1 | 2 | 4 | 8, adv[i].p + 40, adv[i].len - 40);
		put("send_opts", NULL, 0, adv[i].p + 40, adv[i].len - 40);
	}
	/* fuzz_fmipctl: raw IPv6 packets (it also decodes them as Ethernet) */
	put("fmipctl", NULL, 0, ref_send_rtsolpr_ipv6, ref_send_rtsolpr_ipv6_len);
	put("fmipctl", NULL, 0, ref_send_prrtadv_ipv6, ref_send_prrtadv_ipv6_len);
	put("fmipctl", NULL, 0, b.prrtadv, b.prrtadv_len);
	put("fmipctl", NULL, 0, b.rtsolpr, b.rtsolpr_len);
}

static void seeds_fbu(void)
{
	const struct {
		const uint8_t *p;
		size_t len;
		bool at1;
	} m[] = {
		{ ref_fbu_at0_from_par_link_ipv6, ref_fbu_at0_from_par_link_ipv6_len, false },
		{ ref_fbu_at0_from_nar_link_ipv6, ref_fbu_at0_from_nar_link_ipv6_len, false },
		{ ref_fbu_at1_from_par_link_ipv6, ref_fbu_at1_from_par_link_ipv6_len, true },
		{ ref_fbu_at1_from_nar_link_ipv6, ref_fbu_at1_from_nar_link_ipv6_len, true },
		{ ref_fbu_at0_fback_ipv6, ref_fbu_at0_fback_ipv6_len, false },
	};
	static const uint8_t fl[] = { 0, 4, 8, 0x10, 0x20, 0x40, 0x14, 0x2c };
	for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		for (unsigned k = 0; k < sizeof(fl); k++) {
			uint8_t pre[3] = { (uint8_t)(fl[k] | (m[i].at1 ? 0x80 : 0)), 0, 0 };
			put("hk_fbu", pre, 3, m[i].p, m[i].len);
		}
		put("fmipctl", NULL, 0, m[i].p, m[i].len);
	}
}

static void seeds_cga(void)
{
	static uint8_t params[2048];
	const struct {
		const char *file;
		const uint8_t *addr;
	} v[] = {
		{ VECTORS_DIR "/keys/mn1.cga.params", ref_cga_sendd_mn1_address_addr },
		{ VECTORS_DIR "/keys/mn2.cga.params", ref_cga_sendd_mn2_address_addr },
		{ VECTORS_DIR "/keys/rfc3972-appendix-a.params",
		  ref_cga_rfc3972_appendix_a_address_addr },
		{ FUZZ_DIR "/pki/ar1.cga.params", fz_ar1_ll },
	};
	for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		FILE *f = fopen(v[i].file, "rb");
		size_t n = f ? fread(params, 1, sizeof(params), f) : 0;
		if (f)
			fclose(f);
		if (n == 0)
			abort();
		for (uint8_t fl = 0; fl < 4; fl++) {
			uint8_t pre[17] = { fl };
			memcpy(pre + 1, v[i].addr, 16);
			put("cga", pre, 17, params, n);
		}
	}
}

/* lib/seal: files sealed with the target's KEK (and one with another label). */
static void seeds_seal(void)
{
	static uint8_t in[600];
	const size_t sizes[] = { 0, 1, 16, sizeof(in) };
	const char *labels[] = { FZ_SEAL_LABEL, FZ_SEAL_LABEL, FZ_SEAL_LABEL, "another" };
	struct seal_kek *k;
	uint8_t *f;
	size_t n;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	if (seal_kek_from_bytes(fz_seal_key, &k) != SEAL_OK)
		abort();
	for (unsigned i = 0; i < 4; i++) {
		if (seal_seal(k, labels[i], in, sizes[i], FZ_T0, &f, &n) != SEAL_OK)
			abort();
		put("seal", NULL, 0, f, n);
		seal_buf_free(f, n);
	}
	seal_kek_free(k);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUT_DIR (tests/fuzz)\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	seeds_cert();
	seeds_cps_cpa();
	seeds_hk();
	seeds_fbu();
	seeds_cga();
	seeds_seal();
	printf("%u seeds written under %s/corpus_*\n", n_written, out_dir);
	return 0;
}
