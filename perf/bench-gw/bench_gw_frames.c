/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw's input: N mobile nodes' FBU frames (Ethernet + IPv6 FBU from the PAR's link, built
 * with lib/wire and sealed with an independent OpenSSL HMAC), split over the workers by the
 * gateway's own dp_dist_target() — the worker its software distribution (and RSS on the IPv6
 * addresses) gives each MN — and written with libpcap: one file per worker (its RX queue), or
 * with -d one file of every frame for the one RX queue the distribution spreads.  Built
 * before the EAL starts: net_pcap reads the files when it probes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pcap/pcap.h>

#include "bench_gw.h"
#include "dp.h"

static const uint8_t par[16] = { 0x20, 0x03, [15] = 1 };

/* One MN's sealed FBU frame into frame; its length (0: building failed). */
static size_t build_frame(uint8_t at, const struct bg_mn *mn, bool forged, uint8_t *frame,
			  size_t cap)
{
	static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 1 }, gw_mac[6] = { 2, 0, 0, 0, 0, 2 };
	unsigned klen = at == 0 ? 20 : 32, tlen = at == 0 ? 12 : 16, tl = 0;
	const EVP_MD *md = at == 0 ? EVP_sha1() : EVP_sha256();
	uint8_t ncoa[16], tag[EVP_MAX_MD_SIZE], mi[512];
	struct wire_buf w = wire_buf_make(frame, cap);
	struct wire_fbu_spec s = { 0 };
	struct wire_frame f;
	struct wire_mac_input in;
	size_t mh_off, auth_off;

	memcpy(ncoa, mn->pcoa, 16);
	ncoa[7] = 2;
	wire_build_eth(&w, gw_mac, mn_mac, -1, WIRE_ETH_P_IPV6);
	s.src = mn->pcoa;
	s.dst = par;
	s.hoa = mn->pcoa;
	s.altcoa = ncoa;
	s.seq = 1;
	s.lifetime = 10;
	s.auth_len = (uint8_t)tlen;
	struct wire_buf ip = wire_buf_make(frame + w.len, cap - w.len);
	if (wire_build_fbu(&ip, &s, &mh_off, &auth_off) != WIRE_OK)
		return 0;
	/* the MAC input as lib/wire defines it, MACed by OpenSSL (independent of lib/mac) */
	wire_decode_frame(frame + w.len, ip.len, WIRE_LINK_RAW6, &f);
	if (f.msg != WIRE_MSG_FBU || wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		return 0;
	size_t ml = wire_segs_copy(in.seg, in.n, mi, sizeof(mi));
	HMAC(md, mn->key, (int)klen, mi, ml, tag, &tl);
	if (forged)
		tag[0] ^= 0x5a;
	wire_mh_seal(frame + w.len, ip.len, mh_off, auth_off, tag, tlen);
	return w.len + ip.len;
}

/* The worker the gateway's distribution gives frame (len octets) among `workers`: the
 * gateway's own function on a stand-in mbuf and worker (it reads the frame, its length and
 * the worker count only). */
static unsigned frame_worker(const uint8_t *frame, size_t len, unsigned workers)
{
	static struct gw g;
	static struct gw_worker w;
	struct rte_mbuf m;

	memset(&m, 0, sizeof(m));
	m.buf_addr = (void *)(uintptr_t)frame;
	m.data_len = (uint16_t)len;
	g.n_workers = workers;
	w.gw = &g;
	return dp_dist_target(&w, &m);
}

static pcap_dumper_t *open_file(pcap_t *pd, char *name)
{
	int fd;

	snprintf(name, BG_FILE_LEN, "/tmp/fmipgw-bench-gw-XXXXXX");
	if ((fd = mkstemp(name)) < 0)
		return NULL;
	close(fd);
	return pcap_dump_open(pd, name);
}

uint64_t bg_forged_in(const struct bg_share *s, uint64_t seen)
{
	return (seen / s->n) * (s->n / 8) + (seen % s->n) / 8;
}

void bg_frames_unlink(const struct bg_frames *fr)
{
	for (unsigned i = 0; i < fr->n_files; i++)
		unlink(fr->file[i]);
}

static int fail(const char *what)
{
	fprintf(stderr, "bench-gw: %s\n", what);
	return -1;
}

int bg_frames_build(const struct bg_opts *o, struct bg_mn *mns, struct bg_frames *fr)
{
	pcap_dumper_t *d[GW_MAX_WORKERS] = { NULL };
	pcap_t *pd = pcap_open_dead(DLT_EN10MB, 65535);
	int rc = 0;

	memset(fr, 0, sizeof(*fr));
	fr->workers = o->workers;
	fr->n_files = o->dist ? 1 : o->workers;
	for (unsigned k = 0; k < fr->n_files; k++)
		if (pd == NULL || (d[k] = open_file(pd, fr->file[k])) == NULL)
			return fail("cannot write a pcap file in /tmp");
	for (unsigned i = 0; i < o->n && rc == 0; i++) {
		uint8_t frame[256];
		struct pcap_pkthdr h = { 0 };
		struct bg_share *s;
		unsigned k;
		bool forged;

		mns[i].pcoa[0] = 0x20;
		mns[i].pcoa[1] = 0x03;
		RAND_bytes(mns[i].pcoa + 8, 8);
		RAND_bytes(mns[i].key, sizeof(mns[i].key));
		/* the share is the source/destination hash's: build once to learn it */
		h.len =
		    (bpf_u_int32)build_frame((uint8_t)o->at, &mns[i], false, frame, sizeof(frame));
		k = frame_worker(frame, h.len, o->workers);
		s = &fr->share[k];
		forged = s->n % 8 == 7;
		if (forged)
			build_frame((uint8_t)o->at, &mns[i], true, frame, sizeof(frame));
		if (h.len == 0)
			rc = fail("building an FBU failed");
		h.caplen = h.len;
		pcap_dump((u_char *)d[o->dist ? 0 : k], &h, frame);
		s->n++;
		s->n_valid += !forged;
	}
	for (unsigned k = 0; k < fr->n_files; k++)
		pcap_dump_close(d[k]);
	pcap_close(pd);
	for (unsigned k = 0; k < o->workers && rc == 0; k++)
		if (fr->share[k].n < 8)
			rc = fail("a worker's share has fewer than 8 MNs: give more MNs (-n)");
	return rc;
}
