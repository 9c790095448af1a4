/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * binding_pcap_tool — lets the independent Python peer (tests/e2e/fmippeer.py, driven by
 * tests/e2e/test_peer_handover.py) check what the C code builds:
 *
 *   encap IN OUT TUN_SRC NCOA [key=value...]   every frame of IN through binding_encap();
 *        keys: mtu, hop_limit, tc (a fixed Traffic Class; default: copied), flow (a fixed
 *        Flow Label; "copy": copied), eth_dst, eth_src (aa:bb:..).  OUT: the frames that were
 *        encapsulated.
 *   decap IN OUT                               binding_decap_parse() + _strip() per frame.
 *   mh OUT PAR NAR PCOA NCOA MAC SEQ           HI and HAck packets from lib/wire's builders.
 *   fback OUT PAR NCOA KEYHEX SEQ LIFETIME STATUS [ALTCOA]
 *                                              an FBack from lib/wire, BADF = first 96 bits of
 *                                              HMAC-SHA1 (OpenSSL) over wire_mac_input().
 *
 * stdout: one JSON line per frame ({"frame":N,"rc":"ok",...}).  EAL: --no-huge --no-pci, a
 * per-process --file-prefix, no lcore but the main one.
 */
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "binding.h"
#include "wire.h"

static const uint8_t mac_par[6] = { 2, 0, 0, 0, 0, 0x0a };
static const uint8_t mac_nar[6] = { 2, 0, 0, 0, 0, 0x0b };

static void die(const char *what)
{
	fprintf(stderr, "binding_pcap_tool: %s\n", what);
	exit(1);
}

static void addr(uint8_t a[16], const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		die("bad IPv6 address");
}

static void mac(uint8_t m[6], const char *s)
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		die("bad MAC address");
	for (int i = 0; i < 6; i++)
		m[i] = (uint8_t)v[i];
}

static void hexaddr(const char *k, const uint8_t *a, int last)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	printf("\"%s\":\"%s\"%s", k, s, last ? "" : ",");
}

static pcap_dumper_t *out_open(const char *path)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d = dead ? pcap_dump_open(dead, path) : NULL;

	if (d == NULL)
		die("cannot write the output pcap");
	return d;
}

static void out_frame(pcap_dumper_t *d, const uint8_t *p, size_t len)
{
	struct pcap_pkthdr h = { 0 };

	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)d, &h, p);
}

static struct rte_mempool *eal_pool(const char *argv0)
{
	char prefix[64];
	char *eal[] = { (char *)argv0, "--no-huge",
			"--no-pci",    "-m",
			"64",	       "-l",
			"0",	       "--file-prefix",
			prefix,	       "--no-telemetry",
			"--log-level", "lib.eal:error",
			NULL };
	struct rte_mempool *mp;

	snprintf(prefix, sizeof(prefix), "fmipgw_binding_tool_%d", (int)getpid());
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0)
		die("rte_eal_init");
	mp = rte_pktmbuf_pool_create("tool", 64, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, 0);
	if (mp == NULL)
		die("mbuf pool");
	return mp;
}

/* Each frame of in as a fresh mbuf, handed to fn; fn writes its line and the output. */
typedef void (*frame_fn)(struct rte_mbuf *m, unsigned n, pcap_dumper_t *out, const void *arg);

static void each_frame(struct rte_mempool *mp, const char *in, const char *outp, frame_fn fn,
		       const void *arg)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(in, err);
	pcap_dumper_t *out = out_open(outp);
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned n = 0;

	if (p == NULL)
		die(err);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		char *dst = m ? rte_pktmbuf_append(m, (uint16_t)h->caplen) : NULL;

		if (dst == NULL)
			die("frame does not fit an mbuf");
		memcpy(dst, data, h->caplen);
		fn(m, n++, out, arg);
		rte_pktmbuf_free(m);
	}
	pcap_close(p);
	pcap_dump_close(out);
}

struct encap_arg {
	struct binding_rec b;
	struct binding_tun_cfg cfg;
	uint8_t eth_dst[6], eth_src[6];
	bool has_dst, has_src;
};

static void encap_one(struct rte_mbuf *m, unsigned n, pcap_dumper_t *out, const void *p)
{
	const struct encap_arg *a = p;
	uint32_t ilen = 0;
	int rc = binding_encap(m, &a->b, &a->cfg, a->has_dst ? a->eth_dst : NULL,
			       a->has_src ? a->eth_src : NULL, &ilen);

	printf("{\"frame\":%u,\"rc\":\"%s\",\"inner_len\":%u,\"ptb_mtu\":%u}\n", n,
	       binding_tun_strerror(rc), ilen, binding_tun_ptb_mtu(&a->cfg));
	if (rc == BINDING_TUN_OK)
		out_frame(out, rte_pktmbuf_mtod(m, const uint8_t *), rte_pktmbuf_data_len(m));
}

static void decap_one(struct rte_mbuf *m, unsigned n, pcap_dumper_t *out, const void *p)
{
	struct binding_decap d;
	int rc = binding_decap_parse(m, &d);

	(void)p;
	printf("{\"frame\":%u,\"rc\":\"%s\"", n, binding_tun_strerror(rc));
	if (rc == BINDING_TUN_OK) {
		printf(",");
		hexaddr("outer_src", d.outer_src, 0);
		hexaddr("outer_dst", d.outer_dst, 0);
		hexaddr("inner_src", d.inner_src, 0);
		hexaddr("inner_dst", d.inner_dst, 0);
		printf("\"inner_len\":%u,\"l2_len\":%u", d.inner_len, d.l2_len);
		rc = binding_decap_strip(m, &d);
		printf(",\"strip\":\"%s\"", binding_tun_strerror(rc));
		if (rc == BINDING_TUN_OK)
			out_frame(out, rte_pktmbuf_mtod(m, const uint8_t *),
				  rte_pktmbuf_data_len(m));
	}
	printf("}\n");
}

static void encap_opts(struct encap_arg *a, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		char *v = strchr(argv[i], '=');

		if (v == NULL)
			die("options are key=value");
		*v++ = 0;
		if (strcmp(argv[i], "mtu") == 0) {
			a->cfg.mtu = (uint16_t)atoi(v);
		} else if (strcmp(argv[i], "hop_limit") == 0) {
			a->cfg.hop_limit = (uint8_t)atoi(v);
		} else if (strcmp(argv[i], "tc") == 0) {
			a->cfg.tc_mode = BINDING_TC_FIXED;
			a->cfg.tc = (uint8_t)strtoul(v, NULL, 0);
		} else if (strcmp(argv[i], "flow") == 0 && strcmp(v, "copy") == 0) {
			a->cfg.fl_mode = BINDING_FL_COPY;
		} else if (strcmp(argv[i], "flow") == 0) {
			a->cfg.flow_label = (uint32_t)strtoul(v, NULL, 0);
		} else if (strcmp(argv[i], "eth_dst") == 0) {
			mac(a->eth_dst, v);
			a->has_dst = true;
		} else if (strcmp(argv[i], "eth_src") == 0) {
			mac(a->eth_src, v);
			a->has_src = true;
		} else {
			die("unknown option");
		}
	}
}

static void emit_eth(pcap_dumper_t *d, const uint8_t *dst, const uint8_t *src, const uint8_t *pkt,
		     size_t len)
{
	uint8_t f[2048];

	if (len + 14 > sizeof(f))
		die("packet too long");
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memcpy(f + 14, pkt, len);
	out_frame(d, f, len + 14);
}

static void mode_mh(char **argv)
{
	uint8_t par[16], nar[16], pcoa[16], ncoa[16], lla[6], pkt[512];
	uint16_t seq = (uint16_t)atoi(argv[6]);
	pcap_dumper_t *d = out_open(argv[0]);
	struct wire_hi_spec hi[2] = { 0 };
	struct wire_hack_spec hk[3] = { 0 };
	static const uint8_t codes[3] = { 0, 2, 130 };

	addr(par, argv[1]);
	addr(nar, argv[2]);
	addr(pcoa, argv[3]);
	addr(ncoa, argv[4]);
	mac(lla, argv[5]);
	for (int i = 0; i < 2; i++) {
		struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
		hi[i].src = par;
		hi[i].dst = nar;
		hi[i].seq = seq;
		hi[i].mn_lla = lla;
		hi[i].flags = i == 0 ? WIRE_HI_FLAG_S | WIRE_HI_FLAG_U : 0;
		hi[i].code = (uint8_t)i;
		hi[i].pcoa = i == 0 ? pcoa : NULL;
		hi[i].ncoa = i == 0 ? ncoa : NULL;
		if (wire_build_hi(&w, &hi[i]) != WIRE_OK)
			die("wire_build_hi");
		emit_eth(d, mac_nar, mac_par, pkt, w.len);
		printf("{\"frame\":%d,\"msg\":\"hi\",\"code\":%d,\"flags\":%d,\"seq\":%u}\n", i, i,
		       hi[i].flags, seq);
	}
	for (int i = 0; i < 3; i++) {
		struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
		hk[i].src = nar;
		hk[i].dst = par;
		hk[i].seq = seq;
		hk[i].code = codes[i];
		hk[i].ncoa = codes[i] == 2 ? ncoa : NULL;
		if (wire_build_hack(&w, &hk[i]) != WIRE_OK)
			die("wire_build_hack");
		emit_eth(d, mac_par, mac_nar, pkt, w.len);
		printf("{\"frame\":%d,\"msg\":\"hack\",\"code\":%d,\"seq\":%u}\n", 2 + i, codes[i],
		       seq);
	}
	pcap_dump_close(d);
}

static void mode_fback(int argc, char **argv)
{
	uint8_t par[16], ncoa[16], alt[16], key[64], pkt[512], in[512], tag[EVP_MAX_MD_SIZE];
	struct wire_fback_spec s = { 0 };
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));
	struct wire_mac_input mi;
	struct wire_frame f;
	size_t mh_off, auth_off, klen = strlen(argv[3]) / 2, n;
	unsigned tlen = 0;
	pcap_dumper_t *d;

	addr(par, argv[1]);
	addr(ncoa, argv[2]);
	if (klen == 0 || klen > sizeof(key))
		die("bad key");
	for (size_t i = 0; i < klen; i++)
		if (sscanf(argv[3] + 2 * i, "%2hhx", &key[i]) != 1)
			die("bad key hex");
	s.src = par;
	s.dst = ncoa;
	s.seq = (uint16_t)atoi(argv[4]);
	s.lifetime = (uint16_t)atoi(argv[5]);
	s.status = (uint8_t)atoi(argv[6]);
	s.auth_len = 12;
	if (argc > 7) {
		addr(alt, argv[7]);
		s.altcoa = alt;
	}
	if (wire_build_fback(&w, &s, &mh_off, &auth_off) != WIRE_OK)
		die("wire_build_fback");
	/* the MAC input as a receiver sees it: seal with a zero tag first so that the packet
	 * decodes (neither the checksum nor the tag enters the MAC input) */
	memset(tag, 0, sizeof(tag));
	if (wire_mh_seal(pkt, w.len, mh_off, auth_off, tag, 12) != WIRE_OK ||
	    wire_decode_frame(pkt, w.len, WIRE_LINK_RAW6, &f) != WIRE_OK ||
	    wire_mac_input(&f.ip, &f.mh, &mi) != WIRE_OK)
		die("cannot decode the FBack just built");
	n = wire_segs_copy(mi.seg, mi.n, in, sizeof(in));
	if (HMAC(EVP_sha1(), key, (int)klen, in, n, tag, &tlen) == NULL)
		die("HMAC");
	if (wire_mh_seal(pkt, w.len, mh_off, auth_off, tag, 12) != WIRE_OK)
		die("wire_mh_seal");
	d = out_open(argv[0]);
	emit_eth(d, mac_nar, mac_par, pkt, w.len);
	pcap_dump_close(d);
	printf("{\"frame\":0,\"msg\":\"fback\",\"mac_input_len\":%zu}\n", n);
}

int main(int argc, char **argv)
{
	struct encap_arg ea;
	struct rte_mempool *mp;

	if (argc >= 6 && strcmp(argv[1], "encap") == 0) {
		memset(&ea, 0, sizeof(ea));
		addr(ea.b.tun_src, argv[4]);
		addr(ea.b.ncoa, argv[5]);
		ea.b.state = BINDING_ACTIVE;
		encap_opts(&ea, argc - 6, argv + 6);
		mp = eal_pool(argv[0]);
		each_frame(mp, argv[2], argv[3], encap_one, &ea);
	} else if (argc == 4 && strcmp(argv[1], "decap") == 0) {
		mp = eal_pool(argv[0]);
		each_frame(mp, argv[2], argv[3], decap_one, NULL);
	} else if (argc == 9 && strcmp(argv[1], "mh") == 0) {
		mode_mh(argv + 2);
		return 0;
	} else if ((argc == 9 || argc == 10) && strcmp(argv[1], "fback") == 0) {
		mode_fback(argc - 2, argv + 2);
		return 0;
	} else {
		fprintf(stderr, "usage: see the header of binding_pcap_tool.c\n");
		return 2;
	}
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
