/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gen_icmp6_nd OUT.pcap — every kind of ICMPv6 error, NS and NA the lib/wire builders make,
 * as Ethernet frames in OUT.pcap, for tests/wire/test_icmp6_nd.py.  On stdout, one JSON line
 * per frame with the builder's inputs and its IPv6 output in hex:
 *   {"frame":N,"kind":"error","type":T,"code":C,"param":P,"hlim":H,"src":"...",
 *    "invoking":"hex","packet":"hex"}
 *   {"frame":N,"kind":"ns","src":"...","dst":"..."|null,"target":"...","slla":"hex"|null,
 *    "packet":"hex"}
 *   {"frame":N,"kind":"na","src":"...","dst":"...","target":"...","flags":F,"tlla":"hex"|null,
 *    "packet":"hex"}
 * The test rebuilds each packet with scapy from the inputs alone and has tshark dissect them.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static const uint8_t mac_rtr[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_host[6] = { 0x02, 0, 0, 0, 0, 0x10 };

static pcap_dumper_t *dumper;
static unsigned frame_no;
static uint8_t inv[2048];

static void die(const char *what)
{
	fprintf(stderr, "gen_icmp6_nd: %s\n", what);
	exit(1);
}

static void addr(uint8_t a[16], const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		die("bad address literal");
}

static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void str6(const char *key, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	if (a == NULL) {
		printf(",\"%s\":null", key);
		return;
	}
	inet_ntop(AF_INET6, a, s, sizeof(s));
	printf(",\"%s\":\"%s\"", key, s);
}

static void hexkey(const char *key, const uint8_t *p, size_t n)
{
	if (p == NULL) {
		printf(",\"%s\":null", key);
		return;
	}
	printf(",\"%s\":\"", key);
	hex(p, n);
	printf("\"");
}

/* Wrap the IPv6 packet pkt in Ethernet to l2dst, write it, and end the manifest line. */
static void emit(const uint8_t l2dst[6], const uint8_t *pkt, size_t len)
{
	uint8_t frame[2048];
	struct wire_buf w = wire_buf_make(frame, sizeof(frame));
	struct pcap_pkthdr h = { 0 };

	wire_build_eth(&w, l2dst, mac_rtr, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&w, pkt, len);
	if (w.err)
		die("frame too big");
	h.caplen = h.len = (bpf_u_int32)w.len;
	h.ts.tv_sec = (time_t)frame_no;
	pcap_dump((u_char *)dumper, &h, frame);
	hexkey("packet", pkt, len);
	printf("}\n");
}

/* A UDP packet (checksum right) of total length len from src to dst. */
static size_t udp_packet(const char *src, const char *dst, size_t len)
{
	uint8_t s[16], d[16];
	struct wire_buf w = wire_buf_make(inv, sizeof(inv));
	size_t ip6, udp;

	addr(s, src);
	addr(d, dst);
	ip6 = wire_build_ip6(&w, s, d, 17, 63);
	udp = w.len;
	wire_put_be16(&w, 40000);
	wire_put_be16(&w, 9);
	wire_put_be16(&w, (uint16_t)(len - 40));
	wire_put_be16(&w, 0);
	for (size_t i = 48; i < len; i++)
		wire_put_u8(&w, (uint8_t)(i * 7));
	if (wire_ip6_finish(&w, ip6))
		die("udp packet");
	uint16_t c = wire_l4_csum(s, d, 17, inv + udp, w.len - udp, 6);
	wire_poke_be16(&w, udp + 6, c ? c : 0xffff);
	return w.len;
}

static void error(uint8_t type, uint8_t code, uint32_t param, size_t inv_len)
{
	uint8_t src[16], pkt[2048];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));

	addr(src, "2001:db8:ff::1");
	if (wire_build_icmp6_error(&w, src, type, code, param, inv, inv_len, 0) != WIRE_OK)
		die("wire_build_icmp6_error");
	printf("{\"frame\":%u,\"kind\":\"error\",\"type\":%u,\"code\":%u,\"param\":%u,\"hlim\":64",
	       ++frame_no, type, code, param);
	str6("src", src);
	hexkey("invoking", inv, inv_len);
	emit(mac_host, pkt, w.len);
}

static void ns(const char *src_s, const char *dst_s, const char *tgt_s, const uint8_t *slla)
{
	uint8_t src[16], dst[16], tgt[16], pkt[256], grp[16], l2[6];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));

	addr(src, src_s);
	addr(tgt, tgt_s);
	if (dst_s)
		addr(dst, dst_s);
	if (wire_build_ns(&w, src, dst_s ? dst : NULL, tgt, slla) != WIRE_OK)
		die("wire_build_ns");
	printf("{\"frame\":%u,\"kind\":\"ns\"", ++frame_no);
	str6("src", src);
	str6("dst", dst_s ? dst : NULL);
	str6("target", tgt);
	hexkey("slla", slla, 6);
	wire_solicited_node(tgt, grp);
	wire_ip6_mcast_mac(grp, l2);
	emit(dst_s ? mac_host : l2, pkt, w.len);
}

static void na(const char *src_s, const char *dst_s, const char *tgt_s, uint8_t flags,
	       const uint8_t *tlla)
{
	uint8_t src[16], dst[16], tgt[16], pkt[256], l2[6];
	struct wire_buf w = wire_buf_make(pkt, sizeof(pkt));

	addr(src, src_s);
	addr(dst, dst_s);
	addr(tgt, tgt_s);
	if (wire_build_na(&w, src, dst, tgt, flags, tlla) != WIRE_OK)
		die("wire_build_na");
	printf("{\"frame\":%u,\"kind\":\"na\",\"flags\":%u", ++frame_no, flags);
	str6("src", src);
	str6("dst", dst);
	str6("target", tgt);
	hexkey("tlla", tlla, 6);
	wire_ip6_mcast_mac(dst, l2);
	emit(wire_ip6_is_multicast(dst) ? l2 : mac_host, pkt, w.len);
}

int main(int argc, char **argv)
{
	const char *h = "2001:db8:1::10", *far = "2001:db8:99::20";
	pcap_t *pd;
	size_t n;

	if (argc != 2)
		die("usage: gen_icmp6_nd OUT.pcap");
	pd = pcap_open_dead(DLT_EN10MB, 65535);
	dumper = pd ? pcap_dump_open(pd, argv[1]) : NULL;
	if (dumper == NULL)
		die("cannot open the pcap");

	n = udp_packet(h, far, 100);
	for (uint8_t code = 0; code <= 6; code++)
		error(WIRE_ICMP6_DST_UNREACH, code, 0, n);
	n = udp_packet(h, far, 1500); /* quoted up to the 1280-octet limit */
	error(WIRE_ICMP6_PACKET_TOO_BIG, 0, 1400, n);
	n = udp_packet(h, far, 1232); /* exactly fills 1280 */
	error(WIRE_ICMP6_TIME_EXCEEDED, WIRE_TE_HOP_LIMIT, 0, n);
	n = udp_packet(h, far, 1233); /* one octet too many */
	error(WIRE_ICMP6_TIME_EXCEEDED, WIRE_TE_HOP_LIMIT, 0, n);
	n = udp_packet(h, far, 64);
	error(WIRE_ICMP6_TIME_EXCEEDED, WIRE_TE_REASSEMBLY, 0, n);
	error(WIRE_ICMP6_PARAM_PROBLEM, WIRE_PP_HEADER, 4, n);
	error(WIRE_ICMP6_PARAM_PROBLEM, WIRE_PP_NEXT_HEADER, 6, n);
	error(WIRE_ICMP6_PARAM_PROBLEM, WIRE_PP_OPTION, 42, n);

	ns("fe80::1", NULL, "2001:db8:1::a:b", mac_rtr);		    /* address resolution */
	ns("2001:db8:1::1", "2001:db8:1::a:b", "2001:db8:1::a:b", mac_rtr); /* probe */
	ns("2001:db8:1::1", "2001:db8:1::a:b", "2001:db8:1::a:b", NULL);
	ns("::", NULL, "2001:db8:1::77", NULL); /* DAD */
	na("fe80::1", "fe80::99", "2001:db8:1::1", WIRE_NA_FLAG_R | WIRE_NA_FLAG_S, mac_rtr);
	na("fe80::1", "ff02::1", "2001:db8:1::1", WIRE_NA_FLAG_R | WIRE_NA_FLAG_O, mac_rtr);
	na("2001:db8:1::1", "2001:db8:1::10", "2001:db8:1::1", WIRE_NA_FLAG_S, NULL);

	pcap_dump_close(dumper);
	pcap_close(pd);
	return 0;
}
