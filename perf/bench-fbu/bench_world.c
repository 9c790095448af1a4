/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu: the world of one row — N keys in two tables (ipsec-mb and OpenSSL states), and
 * max(N, 65536) sealed FBU frames in random order, 1 in 8 forged, with the pre-extracted
 * inputs of (d) and the in-place-form copies of (e).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "bench_fbu.h"

static unsigned tab_no;

static void addr_of(uint8_t a[16], uint16_t p2, uint32_t i)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x03;
	a[6] = (uint8_t)(p2 >> 8);
	a[7] = (uint8_t)p2;
	a[8] = 0x30; /* an interface id like the vectors' */
	a[9] = 0x49;
	a[12] = (uint8_t)(i >> 24);
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}

void bench_par(uint8_t par[16])
{
	addr_of(par, 0, 0);
	par[15] = 1;
}

static void mn_key(uint32_t i, uint8_t at, uint8_t *key, size_t *len)
{
	*len = at == 0 ? 20 : 32;
	for (size_t q = 0; q < *len; q++)
		key[q] = (uint8_t)((i * 2654435761u) >> (q % 24)) ^ (uint8_t)q;
}

static struct keytab *make_table(uint32_t n, const struct mac_engine *e)
{
	char name[32];
	struct keytab_cfg c = { 0 };
	struct keytab *kt;
	int rc;

	snprintf(name, sizeof(name), "bench%u", tab_no++);
	c.name = name;
	c.capacity = n;
	c.socket_id = (int)rte_socket_id();
	c.qsv = qsv;
	c.mac = e;
	rc = keytab_create(&c, &kt);
	if (rc != 0)
		die("keytab_create", rc);
	return kt;
}

/* Ethernet + the sealed IPv6 FBU of MN mn (PAR link: src = HAO = PCoA, Alt-CoA = NCoA). */
static void seal_frame(struct mac_ctx *mc, const struct mac_engine *e, uint8_t at, uint32_t mn,
		       int forged, struct frame *fr)
{
	static const uint8_t dmac[6] = { 2, 0, 0, 0, 0, 1 }, smac[6] = { 2, 0, 0, 0, 0, 2 };
	uint8_t pcoa[16], ncoa[16], par[16], ip6[FRAME_MAX], key[32], tag[32];
	struct wire_fbu_spec s = { 0 };
	struct wire_buf w = wire_buf_make(ip6, sizeof(ip6)), we;
	struct wire_frame f;
	struct wire_mac_input in;
	struct mac_key k;
	struct mac_job j = { 0 };
	size_t mh_off, auth_off, kl;
	int rc;

	addr_of(pcoa, 0, mn);
	addr_of(ncoa, 2, mn);
	bench_par(par);
	s.src = pcoa;
	s.dst = par;
	s.hoa = pcoa;
	s.altcoa = ncoa;
	s.seq = 1;
	s.lifetime = 10;
	s.auth_len = at == 0 ? 12 : 16;
	rc = wire_build_fbu(&w, &s, &mh_off, &auth_off);
	if (rc != WIRE_OK || w.err != WIRE_OK)
		die("wire_build_fbu", rc);
	memset(tag, 0, sizeof(tag));
	/* seal with a zero tag so that the frame decodes; the MAC input excludes both */
	if ((rc = wire_mh_seal(ip6, w.len, mh_off, auth_off, tag, s.auth_len)) != WIRE_OK)
		die("wire_mh_seal", rc);
	we = wire_buf_make(fr->p, sizeof(fr->p));
	wire_build_eth(&we, dmac, smac, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&we, ip6, w.len);
	if (we.err != WIRE_OK)
		die("frame too long", we.err);
	fr->len = (uint16_t)we.len;
	if ((rc = wire_decode_frame(fr->p, fr->len, WIRE_LINK_ETH, &f)) != WIRE_OK ||
	    f.msg != WIRE_MSG_FBU)
		die("decode of a built FBU", rc);
	if ((rc = wire_mac_input(&f.ip, &f.mh, &in)) != WIRE_OK)
		die("wire_mac_input", rc);
	mn_key(forged ? mn ^ 0x5a5a5a5au : mn, at, key, &kl);
	if ((rc = mac_key_init(e, &k, at, key, kl)) != 0)
		die("mac_key_init", rc);
	j.key = &k;
	j.seg = in.seg;
	j.nseg = in.n;
	j.len = in.total;
	j.out = tag;
	if (mac_generate_burst(mc, &j, 1) != 1)
		die("mac_generate_burst", -EIO);
	mac_key_clear(&k);
	if ((rc = wire_mh_seal(fr->p + 14, fr->len - 14u, mh_off, auth_off, tag, s.auth_len)) !=
	    WIRE_OK)
		die("wire_mh_seal", rc);
	fr->valid = !forged;
}

/* (d)'s pre-extracted input and (e)'s in-place-form copy of a sealed frame. */
static void derive(struct world *wd, const struct frame *fr, struct pre *pre, struct frame *fe)
{
	struct wire_frame f;
	struct wire_mac_input in;
	struct wire_fbu_fast ff;
	struct wire_mac_inplace ip;

	if (wire_decode_frame(fr->p, fr->len, WIRE_LINK_ETH, &f) != WIRE_OK ||
	    wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		die("decode of a sealed FBU", -EINVAL);
	if (wire_segs_copy(in.seg, in.n, pre->in, sizeof(pre->in)) != in.total)
		die("mac input too long", -E2BIG);
	pre->in_len = (uint16_t)in.total;
	pre->pcoa = f.ip.hao;
	memcpy(pre->auth, in.auth, in.auth_len);
	pre->sig = keytab_sig(wd->kt, pre->pcoa);
	pre->seg.p = pre->in;
	pre->seg.len = pre->in_len;

	*fe = *fr;
	if (!wire_fbu_fast_decode(fe->p, fe->len, WIRE_LINK_ETH, &ff) ||
	    wire_fbu_fast_inplace(fe->p, &ff, &ip) != WIRE_OK)
		die("the fast shape", -EINVAL);
	wd->e_key_off = (uint16_t)(ff.l3_off + 8); /* IPv6 source = PCoA on the PAR's link */
	wd->e_in_off = (uint16_t)(ip.start - fe->p);
	wd->e_in_len = (uint16_t)ip.len;
	wd->e_tag_off = ff.auth_off;
	wd->e_tag_len = ff.auth_len;
}

void build_world(struct world *wd, uint8_t at, uint32_t n_mn, uint32_t n_fr, struct mac_ctx *mc)
{
	uint32_t *perm;
	uint8_t pcoa[16], pk[20] = { 0 };
	uint64_t t0 = rte_rdtsc();

	wd->at = at;
	wd->n_mn = n_mn;
	wd->n_fr = n_fr;
	wd->kt = make_table(n_mn, eng_imb);
	wd->kt_ossl = make_table(n_mn, eng_ossl);
	for (uint32_t i = 0; i < n_mn; i++) {
		uint8_t key[32];
		size_t kl;
		int rc;
		addr_of(pcoa, 0, i);
		mn_key(i, at, key, &kl);
		if ((rc = keytab_add(wd->kt, pcoa, at, key, kl, pk, 0, 43200)) != 0)
			die("keytab_add", rc);
		if ((rc = keytab_add(wd->kt_ossl, pcoa, at, key, kl, pk, 0, 43200)) != 0)
			die("keytab_add (openssl)", rc);
	}
	/* frames: every MN at least once, in a random order; 1 in 8 forged */
	perm = malloc(sizeof(*perm) * n_fr);
	wd->fr = malloc(sizeof(*wd->fr) * n_fr);
	wd->fe = malloc(sizeof(*wd->fe) * n_fr);
	wd->pre = malloc(sizeof(*wd->pre) * n_fr);
	if (perm == NULL || wd->fr == NULL || wd->fe == NULL || wd->pre == NULL)
		die("malloc", -ENOMEM);
	for (uint32_t i = 0; i < n_fr; i++)
		perm[i] = i % n_mn;
	for (uint32_t i = n_fr - 1; i > 0; i--) {
		uint32_t r, x;
		RAND_bytes((unsigned char *)&r, sizeof(r));
		r %= i + 1;
		x = perm[i];
		perm[i] = perm[r];
		perm[r] = x;
	}
	for (uint32_t i = 0; i < n_fr; i++) {
		seal_frame(mc, eng_imb, at, perm[i], (i % 8) == 7, &wd->fr[i]);
		derive(wd, &wd->fr[i], &wd->pre[i], &wd->fe[i]);
	}
	free(perm);
	printf("# AT %u, %u MNs: tables and %u frames (%u octets each) built in %.1f s\n", at, n_mn,
	       n_fr, wd->fr[0].len, (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz());
}

void free_world(struct world *wd)
{
	/* keytab_free() wants its readers offline: this thread is the only one */
	rte_rcu_qsbr_thread_offline(qsv, 0);
	keytab_free(wd->kt);
	keytab_free(wd->kt_ossl);
	rte_rcu_qsbr_thread_online(qsv, 0);
	free(wd->fr);
	free(wd->fe);
	free(wd->pre);
}
