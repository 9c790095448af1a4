/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gen_builder_pcap OUT.pcap — write every packet the lib/wire builders produce, as Ethernet
 * frames, for the tshark test (tests/fmipctl/test_tshark.py).  On stdout, one JSON line per
 * frame says what the frame is meant to be: {"frame":N,"msg":"...","icmpv6.type":T,
 * "icmpv6.fmip6.subtype":S} or {"frame":N,"msg":"...","mip6.mhtype":M}.  The test checks that
 * tshark (an independent dissector) and fmipctl both see that message.
 *
 * Contents come from the published vectors (VECTORS_DIR): the MN's CGA Parameters
 * (keys/mn1.cga.params), the handover-key encryption key (the SPKI inside keys/mn2.cga.params),
 * the router certificate and the trust anchor's name (keys/ar1.cert_ipext.pem,
 * keys/ca.cert_ipext.pem, converted with OpenSSL).  Signatures, encrypted keys and BADF
 * authenticators are placeholder octets: tshark does not verify them.
 */
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define BUF 4096

static const uint8_t mac_mn[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_ar[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t mac_new_ap[6] = { 2, 0, 0, 0, 0, 0xaa };
static const uint8_t mac_nar[6] = { 2, 0, 0, 0, 0, 0xbb };

static uint8_t pcoa[16], ncoa[16], par[16], nar[16], nar_prefix[16], ar_ll[16], mn_ll[16],
    all_routers[16], all_nodes[16];

static pcap_dumper_t *dumper;
static unsigned frame_no;

static void die(const char *what)
{
	fprintf(stderr, "gen_builder_pcap: %s\n", what);
	exit(1);
}

static void addr(uint8_t a[16], const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		die("bad address literal");
}

static size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path);
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	if (n == 0 || n == cap)
		die("vector file empty or too large");
	return n;
}

static X509 *read_cert(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/keys/%s", VECTORS_DIR, name);
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x)
		die("PEM_read_X509");
	return x;
}

/* Write one frame: Ethernet header + the IPv6 packet; print its manifest line. */
static void emit(const uint8_t *dst_mac, const uint8_t *src_mac, const uint8_t *pkt, size_t len,
		 const char *msg, const char *fields)
{
	uint8_t frame[BUF + 18];
	struct wire_buf w = wire_buf_make(frame, sizeof(frame));
	struct pcap_pkthdr h;

	wire_build_eth(&w, dst_mac, src_mac, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	if (w.err)
		die("frame too large");
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = 1704067200 + frame_no;
	h.caplen = h.len = (bpf_u_int32)w.len;
	pcap_dump((u_char *)dumper, &h, frame);
	frame_no++;
	printf("{\"frame\":%u,\"msg\":\"%s\",%s}\n", frame_no, msg, fields);
}

static void emit_icmp(const uint8_t *dm, const uint8_t *sm, const uint8_t *pkt, size_t len,
		      const char *msg, int type, int subtype)
{
	char f[96];
	if (subtype >= 0)
		snprintf(f, sizeof(f), "\"icmpv6.type\":%d,\"icmpv6.fmip6.subtype\":%d", type,
			 subtype);
	else
		snprintf(f, sizeof(f), "\"icmpv6.type\":%d", type);
	emit(dm, sm, pkt, len, msg, f);
}

static void emit_mh(const uint8_t *dm, const uint8_t *sm, const uint8_t *pkt, size_t len,
		    const char *msg, int mhtype)
{
	char f[64];
	snprintf(f, sizeof(f), "\"mip6.mhtype\":%d", mhtype);
	emit(dm, sm, pkt, len, msg, f);
}

/* Finish an ICMPv6 packet built in w (IPv6 header at 0). */
static void icmp_done(struct wire_buf *w, size_t icmp_off)
{
	if (wire_ip6_finish(w, 0) != WIRE_OK || wire_icmp6_finish(w, 0, icmp_off) != WIRE_OK ||
	    w->err)
		die("ICMPv6 builder failed");
}

int main(int argc, char **argv)
{
	uint8_t cga_mn[512], cga_hk[512], cert[4096], ta_name[1024];
	size_t cga_mn_len, cga_hk_len;
	struct wire_cga_params hkp;
	uint8_t sig[128], enc[128], key_hash[16], nonce[14];
	uint8_t pkt[BUF];
	struct wire_buf w;
	size_t icmp_off, mh_off, auth_off;

	if (argc != 2) {
		fprintf(stderr, "usage: gen_builder_pcap OUT.pcap\n");
		return 2;
	}
	addr(pcoa, "2003::3049:deeb:fd31:70b0");
	addr(ncoa, "2003::2:3049:deeb:fd31:70b0");
	addr(par, "2003::1");
	addr(nar, "2003:0:0:2::1");
	addr(nar_prefix, "2003:0:0:2::");
	addr(ar_ll, "fe80::20a7:895c:2302:73f1");
	addr(mn_ll, "fe80::3049:deeb:fd31:70b0");
	addr(all_routers, "ff02::2");
	addr(all_nodes, "ff02::1");

	cga_mn_len = read_file("mn1.cga.params", cga_mn, sizeof(cga_mn));
	cga_hk_len = read_file("mn2.cga.params", cga_hk, sizeof(cga_hk));
	if (wire_cga_params_decode(cga_hk, cga_hk_len, &hkp) != WIRE_OK)
		die("mn2.cga.params does not decode");

	X509 *ar_cert = read_cert("ar1.cert_ipext.pem");
	X509 *ca_cert = read_cert("ca.cert_ipext.pem");
	unsigned char *q = cert;
	int cert_len = i2d_X509(ar_cert, NULL);
	if (cert_len <= 0 || cert_len > (int)sizeof(cert))
		die("certificate DER");
	cert_len = i2d_X509(ar_cert, &q);
	q = ta_name;
	int ta_len = i2d_X509_NAME(X509_get_subject_name(ca_cert), NULL);
	if (ta_len <= 0 || ta_len > (int)sizeof(ta_name))
		die("trust anchor name DER");
	ta_len = i2d_X509_NAME(X509_get_subject_name(ca_cert), &q);
	X509_free(ar_cert);
	X509_free(ca_cert);

	for (unsigned i = 0; i < sizeof(sig); i++)
		sig[i] = (uint8_t)(0x5a ^ i);
	for (unsigned i = 0; i < sizeof(enc); i++)
		enc[i] = (uint8_t)(0xc3 + 7 * i);
	for (unsigned i = 0; i < sizeof(key_hash); i++)
		key_hash[i] = (uint8_t)(0x10 + i);
	for (unsigned i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)(1 + i);

	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (!dead || !(dumper = pcap_dump_open(dead, argv[1])))
		die("cannot open the output pcap");

	/* RtSolPr with every option an MN sends (RFC 5568 §6.1.1, RFC 5269 §3.1, A6) */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, pcoa, all_routers, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 0x1234);
	wire_put_opt_lla(&w, WIRE_LLA_SOURCE, mac_mn, 6);
	wire_put_opt_lla(&w, WIRE_LLA_NEW_AP, mac_new_ap, 6);
	wire_put_opt_cga(&w, cga_mn, cga_mn_len);
	wire_put_opt_timestamp(&w, (uint64_t)1704067200 << 16);
	wire_put_opt_nonce(&w, nonce, sizeof(nonce));
	wire_put_opt_hkreq(&w, 0, hkp.pubkey, hkp.pubkey_len);
	wire_put_opt_rsasig(&w, key_hash, sig, sizeof(sig));
	icmp_done(&w, icmp_off);
	emit_icmp(mac_ar, mac_mn, pkt, w.len, "rtsolpr", WIRE_ICMP6_FMIP, WIRE_FMIP_RTSOLPR);

	/* RtSolPr with a wildcard LLA and AT 1 */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, pcoa, par, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, 0x0001);
	wire_put_opt_lla(&w, WIRE_LLA_WILDCARD, mac_new_ap, 6);
	wire_put_opt_cga(&w, cga_mn, cga_mn_len);
	wire_put_opt_nonce(&w, nonce, 6);
	wire_put_opt_hkreq(&w, 1, hkp.pubkey, hkp.pubkey_len);
	wire_put_opt_rsasig(&w, key_hash, sig, sizeof(sig));
	icmp_done(&w, icmp_off);
	emit_icmp(mac_ar, mac_mn, pkt, w.len, "rtsolpr", WIRE_ICMP6_FMIP, WIRE_FMIP_RTSOLPR);

	/* PrRtAdv with the FMIPv6 options in RFC 5568 §6.1.2 order and the RFC 5269 ones */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, ar_ll, pcoa, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_fmip(&w, WIRE_FMIP_PRRTADV, 0, 0x1234);
	wire_put_opt_lla(&w, WIRE_LLA_SOURCE, mac_ar, 6);
	wire_put_opt_lla(&w, WIRE_LLA_NEW_AP, mac_new_ap, 6);
	wire_put_opt_lla(&w, WIRE_LLA_NAR, mac_nar, 6);
	wire_put_opt_ipaddr(&w, WIRE_IPA_NAR_ADDR, 128, nar);
	wire_put_opt_ipaddr(&w, WIRE_IPA_NAR_PREFIX, 64, nar_prefix);
	wire_put_opt_ipaddr(&w, WIRE_IPA_NEW_COA, 128, ncoa);
	wire_put_opt_cga(&w, cga_mn, cga_mn_len);
	wire_put_opt_timestamp(&w, ((uint64_t)1704067200 << 16) | 1);
	wire_put_opt_nonce(&w, nonce, sizeof(nonce));
	wire_put_opt_hkrep(&w, 0, 43200, enc, sizeof(enc));
	wire_put_opt_rsasig(&w, key_hash, sig, sizeof(sig));
	icmp_done(&w, icmp_off);
	emit_icmp(mac_mn, mac_ar, pkt, w.len, "prrtadv", WIRE_ICMP6_FMIP, WIRE_FMIP_PRRTADV);

	/* PrRtAdv code 2 (no new-router information), an AP on the current interface */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, ar_ll, pcoa, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_fmip(&w, WIRE_FMIP_PRRTADV, 2, 0x0001);
	wire_put_opt_lla(&w, WIRE_LLA_AP_CURRENT_IF, mac_new_ap, 6);
	wire_put_opt_timestamp(&w, (uint64_t)1704067201 << 16);
	wire_put_opt_hkrep(&w, 1, 600, enc, sizeof(enc));
	icmp_done(&w, icmp_off);
	emit_icmp(mac_mn, mac_ar, pkt, w.len, "prrtadv", WIRE_ICMP6_FMIP, WIRE_FMIP_PRRTADV);

	/* CPS with a Trust Anchor (DER X.501 Name) */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, mn_ll, all_routers, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_cps(&w, 0x4242, 0xffff);
	wire_put_opt_trust_anchor(&w, 1, ta_name, (size_t)ta_len);
	icmp_done(&w, icmp_off);
	emit_icmp(mac_ar, mac_mn, pkt, w.len, "cps", WIRE_ICMP6_CPS, -1);

	/* CPA with the Trust Anchor and the router certificate */
	w = wire_buf_make(pkt, sizeof(pkt));
	wire_build_ip6(&w, ar_ll, all_nodes, WIRE_NH_ICMPV6, 255);
	icmp_off = wire_build_cpa(&w, 0x4242, 1, 0);
	wire_put_opt_trust_anchor(&w, 1, ta_name, (size_t)ta_len);
	wire_put_opt_cert(&w, 1, cert, (size_t)cert_len);
	icmp_done(&w, icmp_off);
	emit_icmp(mac_mn, mac_ar, pkt, w.len, "cpa", WIRE_ICMP6_CPA, -1);

	/*
	 * RA from the NAR with SLLA, Prefix Information and a NAACK (status 1, Length 1).  Not the
	 * Length-3 form with a supplied NCoA: A22 puts the NCoA at offset 8, Wireshark 4.0 reads
	 * it at offset 4 and flags the last 4 octets "Unknown Data" — a disagreement reported to
	 * the lead, not one of the quirks the tshark test may allow.
	 */
	{
		struct wire_opt_prefix pi = { 64, 0xc0, 86400, 14400, nar_prefix };
		w = wire_buf_make(pkt, sizeof(pkt));
		wire_build_ip6(&w, ar_ll, pcoa, WIRE_NH_ICMPV6, 255);
		icmp_off = w.len;
		wire_put_u8(&w, WIRE_ICMP6_RA);
		wire_put_u8(&w, 0);
		wire_put_be16(&w, 0);	 /* checksum */
		wire_put_u8(&w, 64);	 /* Cur Hop Limit */
		wire_put_u8(&w, 0);	 /* M O */
		wire_put_be16(&w, 1800); /* Router Lifetime */
		wire_put_be32(&w, 0);	 /* Reachable Time */
		wire_put_be32(&w, 0);	 /* Retrans Timer */
		wire_put_opt_ll(&w, WIRE_ND_SLLA, mac_nar, 6);
		wire_put_opt_prefix(&w, &pi);
		wire_put_opt_naack(&w, 0, 1, NULL);
		icmp_done(&w, icmp_off);
		emit_icmp(mac_mn, mac_nar, pkt, w.len, "nd", WIRE_ICMP6_RA, -1);
	}

	/* FBUs: from the PAR's link (HAO + Alt-CoA) and the NAR's link, AT 0 (12) and AT 1 (16) */
	for (int at = 0; at < 2; at++) {
		for (int from_par = 1; from_par >= 0; from_par--) {
			static const uint8_t tag[16] = { 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
							 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
							 0xa5, 0xa5, 0xa5, 0xa5 };
			struct wire_fbu_spec s = {
				.src = from_par ? pcoa : ncoa,
				.dst = par,
				.hoa = pcoa,
				.altcoa = from_par ? ncoa : NULL,
				.mh_lla = at == 1 && from_par ? mac_mn : NULL,
				.seq = (uint16_t)(1 + 2 * at + !from_par),
				.lifetime = 10,
				.auth_len = at ? 16 : 12,
			};
			w = wire_buf_make(pkt, sizeof(pkt));
			if (wire_build_fbu(&w, &s, &mh_off, &auth_off) != WIRE_OK ||
			    wire_mh_seal(pkt, w.len, mh_off, auth_off, tag, s.auth_len) != WIRE_OK)
				die("FBU builder failed");
			emit_mh(mac_ar, mac_mn, pkt, w.len, "fbu", WIRE_MH_FBU);
		}
	}

	/* FBack: status 0 with AT 0; status 1 with an Alt-CoA and AT 1 */
	for (int at = 0; at < 2; at++) {
		static const uint8_t tag[16] = { 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c,
						 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c, 0x3c };
		struct wire_fback_spec s = {
			.src = par,
			.dst = ncoa,
			.status = (uint8_t)at,
			.seq = 1,
			.lifetime = 10,
			.altcoa = at ? ncoa : NULL,
			.auth_len = at ? 16 : 12,
		};
		w = wire_buf_make(pkt, sizeof(pkt));
		if (wire_build_fback(&w, &s, &mh_off, &auth_off) != WIRE_OK ||
		    wire_mh_seal(pkt, w.len, mh_off, auth_off, tag, s.auth_len) != WIRE_OK)
			die("FBack builder failed");
		emit_mh(mac_mn, mac_ar, pkt, w.len, "fback", WIRE_MH_FBACK);
	}

	/* HI (PAR -> NAR) with the MN's LLA, PCoA and NCoA; HAck (NAR -> PAR) with the NCoA */
	{
		struct wire_hi_spec hi = { .src = par,
					   .dst = nar,
					   .seq = 7,
					   .flags = WIRE_HI_FLAG_S | WIRE_HI_FLAG_U,
					   .code = 0,
					   .mn_lla = mac_mn,
					   .pcoa = pcoa,
					   .ncoa = ncoa };
		struct wire_hack_spec hack = {
			.src = nar, .dst = par, .seq = 7, .code = 0, .ncoa = ncoa
		};
		w = wire_buf_make(pkt, sizeof(pkt));
		if (wire_build_hi(&w, &hi) != WIRE_OK)
			die("HI builder failed");
		emit_mh(mac_nar, mac_ar, pkt, w.len, "hi", WIRE_MH_HI);
		w = wire_buf_make(pkt, sizeof(pkt));
		if (wire_build_hack(&w, &hack) != WIRE_OK)
			die("HAck builder failed");
		emit_mh(mac_ar, mac_nar, pkt, w.len, "hack", WIRE_MH_HACK);
		/* HI code 1 without the optional addresses */
		hi.code = 1;
		hi.flags = 0;
		hi.pcoa = hi.ncoa = NULL;
		w = wire_buf_make(pkt, sizeof(pkt));
		if (wire_build_hi(&w, &hi) != WIRE_OK)
			die("HI builder failed");
		emit_mh(mac_nar, mac_ar, pkt, w.len, "hi", WIRE_MH_HI);
	}

	pcap_dump_close(dumper);
	pcap_close(dead);
	return 0;
}
