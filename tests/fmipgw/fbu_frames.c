/* SPDX-License-Identifier: BSD-3-Clause */
/* The frames of the worker-level FBU test — see fbu_frames.h. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pcap/pcap.h>

#include "fbu_frames.h"
#include "wire.h"

const uint8_t fr_par[16] = { 0x20, 0x03, [15] = 1 };
static const uint8_t mn_mac[6] = { 2, 0, 0, 0, 0, 1 }, gw_mac[6] = { 2, 0, 0, 0, 0, 2 };

void fr_add(struct fr_list *l, const uint8_t *p, size_t len)
{
	if (l->n >= FR_FRAMES || len > FR_MAX)
		return;
	memcpy(l->p[l->n], p, len);
	l->len[l->n++] = (uint16_t)len;
}

/* The authenticator of the decoded FBU f with key k (OpenSSL, not lib/mac): the A2 input as
 * lib/wire gives it, HMAC, truncated to the AT's length (A1). */
static bool fr_tag(const struct wire_frame *f, const uint8_t *key, size_t key_len, uint8_t at,
		   uint8_t tag[EVP_MAX_MD_SIZE])
{
	struct wire_mac_input in;
	uint8_t mi[2100];
	unsigned tl = 0;
	size_t ml;

	if (wire_mac_input(&f->ip, &f->mh, &in) != WIRE_OK)
		return false;
	ml = wire_segs_copy(in.seg, in.n, mi, sizeof(mi));
	return HMAC(at == 0 ? EVP_sha1() : EVP_sha256(), key, (int)key_len, mi, ml, tag, &tl) !=
	       NULL;
}

void fr_add_fbu(struct fr_list *l, const struct fr_key *k, const struct fr_fbu *s)
{
	static const uint8_t lla[6] = { 2, 0, 0, 0, 0, 1 };
	uint8_t frame[FR_MAX], ncoa[16], tag[EVP_MAX_MD_SIZE], wrong[32];
	struct wire_buf w = wire_buf_make(frame, sizeof(frame));
	struct wire_fbu_spec fs = { 0 };
	struct wire_frame f;
	size_t mh_off, auth_off, l3;
	int e;

	memcpy(ncoa, k->pcoa, 16);
	ncoa[7] ^= 2;
	wire_build_eth(&w, gw_mac, mn_mac, s->vlan, WIRE_ETH_P_IPV6);
	l3 = w.len;
	fs.src = s->nar_link ? ncoa : k->pcoa;
	fs.dst = s->dst != NULL ? s->dst : fr_par;
	fs.hoa = k->pcoa;
	fs.altcoa = s->nar_link ? NULL : ncoa;
	fs.mh_lla = s->mh_lla ? lla : NULL;
	fs.seq = s->seq;
	fs.lifetime = 10;
	fs.auth_len = k->at == 0 ? 12 : 16;
	struct wire_buf ip = wire_buf_make(frame + l3, sizeof(frame) - l3 - s->trailer);
	if (wire_build_fbu(&ip, &fs, &mh_off, &auth_off) != WIRE_OK)
		return;
	frame[l3 + auth_off - 4] = (uint8_t)(s->spi >> 24); /* the BADF SPI, before the MAC */
	frame[l3 + auth_off - 3] = (uint8_t)(s->spi >> 16);
	frame[l3 + auth_off - 2] = (uint8_t)(s->spi >> 8);
	frame[l3 + auth_off - 1] = (uint8_t)s->spi;
	/* not sealed yet: the checksum is unset, every field is decoded (it is checked last) */
	e = wire_decode_frame(frame + l3, ip.len, WIRE_LINK_RAW6, &f);
	if (e != WIRE_OK && e != WIRE_E_BAD_CHECKSUM)
		return;
	memset(wrong, 0x5a, sizeof(wrong));
	if (!fr_tag(&f, s->forged ? wrong : k->key, k->key_len, k->at, tag) ||
	    wire_mh_seal(frame + l3, ip.len, mh_off, auth_off, tag, fs.auth_len) != WIRE_OK)
		return;
	memset(frame + l3 + ip.len, 0, s->trailer);
	fr_add(l, frame, l3 + ip.len + s->trailer);
}

int fr_add_pcap(struct fr_list *l, const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(file, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	if (pc == NULL)
		return -1;
	while (pcap_next_ex(pc, &h, &d) == 1) {
		fr_add(l, d, h->caplen);
		n++;
	}
	pcap_close(pc);
	return n;
}

bool fr_reseal(uint8_t *p, size_t len, const struct fr_key *keys, unsigned n_keys)
{
	uint8_t tag[EVP_MAX_MD_SIZE];
	struct wire_frame f;
	int e = wire_decode_frame(p, len, WIRE_LINK_ETH, &f);

	if ((e != WIRE_OK && e != WIRE_E_BAD_CHECKSUM) || f.msg != WIRE_MSG_FBU ||
	    f.ip.hao == NULL || !f.mh.badf.present)
		return false;
	for (unsigned i = 0; i < n_keys; i++) {
		if (memcmp(keys[i].pcoa, f.ip.hao, 16) != 0)
			continue;
		if (!fr_tag(&f, keys[i].key, keys[i].key_len, keys[i].at, tag))
			return false;
		return wire_mh_seal(p + f.eth.hdr_len, len - f.eth.hdr_len,
				    (size_t)(f.mh.p - (p + f.eth.hdr_len)),
				    (size_t)(f.mh.badf.auth - (p + f.eth.hdr_len)), tag,
				    f.mh.badf.auth_len) == WIRE_OK;
	}
	return false;
}

static uint64_t rnd(uint64_t *s) /* xorshift64* */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* One mutation of b (len octets, room for FR_MAX); the new length. */
static size_t mutate_once(uint8_t *b, size_t len, uint64_t *s)
{
	static const uint8_t interesting[] = { 0, 1, 0x7f, 0x80, 0xff, 8, 21, 201, 59, 135 };
	unsigned op = (unsigned)(rnd(s) % 100);

	if (op < 45 && len > 14) { /* flip a bit past the Ethernet addresses */
		b[12 + rnd(s) % (len - 12)] ^= (uint8_t)(1u << (rnd(s) % 8));
	} else if (op < 60 && len > 14) {
		b[12 + rnd(s) % (len - 12)] = interesting[rnd(s) % sizeof(interesting)];
	} else if (op < 80) { /* truncate */
		len = (size_t)(rnd(s) % (len + 1));
	} else if (op < 90) { /* trailing octets */
		size_t add = 1 + (size_t)(rnd(s) % 32);

		if (len + add > FR_MAX)
			add = FR_MAX - len;
		for (size_t i = 0; i < add; i++)
			b[len + i] = (uint8_t)rnd(s);
		len += add;
	} else if (len > 1) { /* reverse the tail */
		size_t j = (size_t)(rnd(s) % len);

		for (size_t a = j, z = len - 1; a < z; a++, z--) {
			uint8_t t = b[a];
			b[a] = b[z];
			b[z] = t;
		}
	}
	return len;
}

void fr_mutate(struct fr_list *out, const struct fr_list *seeds, unsigned n, uint64_t seed,
	       const struct fr_key *keys, unsigned n_keys)
{
	uint64_t s = seed | 1;

	for (unsigned i = 0; i < n; i++) {
		unsigned k = (unsigned)(rnd(&s) % seeds->n), ops = 1 + (unsigned)(rnd(&s) % 3);
		uint8_t b[FR_MAX];
		size_t len = seeds->len[k];

		memcpy(b, seeds->p[k], len);
		for (unsigned o = 0; o < ops; o++)
			len = mutate_once(b, len, &s);
		if (len < 14)
			continue;
		if (i % 2 == 1)
			fr_reseal(b, len, keys, n_keys);
		fr_add(out, b, len);
	}
}
