/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu — the FBU authenticator fast path, with its baselines, in one process and run.
 *
 * For N mobile nodes (default 1k, 100k, 1M) and AT 0 / AT 1, real FBU frames (Ethernet +
 * IPv6 + Dest-Opts/HAO + MH with Alt-CoA and BADF, built and sealed with lib/wire) are put in
 * a random order; 1 in 8 is forged (its authenticator was made with a wrong key, checksum
 * valid).  Each "RX burst" of 32 allocates mbufs and copies the frames in (the RX stand-in,
 * identical in every variant), then:
 *   (a) full:   wire_decode_frame -> keytab bulk lookup (precomputed signatures) ->
 *               wire_mac_input -> mac_verify_burst (ipsec-mb) -> free
 *   (b) openssl: the same with lib/mac's OpenSSL backend (precomputed EVP states)
 *   (c) naive:  decode, one rte_hash lookup per packet, OpenSSL HMAC() one-shot, CRYPTO_memcmp
 *   (d) floor:  mbuf alloc/copy/free + bulk lookup + hash-burst MAC on pre-extracted inputs
 * Every variant must accept exactly the valid 7/8 (checked per packet; a mismatch exits 1).
 * Cycles are TSC ticks (rte_rdtsc); Mpps = TSC Hz / ticks per packet.
 *
 * usage: bench-fbu [EAL args] -- [-n N[,N...]] [-t AT[,AT]] [-r runs] [-p packets/run]
 *                                 [-m sse|avx|avx2|avx512|auto|imb-auto] [-V a,b,c,d] [--smoke]
 */
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_hash.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"
#include "mac.h"
#include "wire.h"

#define BURST	  32
#define FRAME_MAX 192
#define MAX_RUNS  64

enum { V_FULL, V_OSSL, V_OSSL_SEG, V_NAIVE, V_FLOOR, V__COUNT };
static const char *const vname[V__COUNT] = {
	"(a) full: parse+bulk lookup+ipsec-mb burst", "(b) same, OpenSSL backend (copy)",
	"(b') same, OpenSSL backend (segmented)",     "(c) naive: lookup + HMAC() per pkt",
	"(d) floor: mbuf+bulk lookup+burst MAC",
};

struct frame {
	uint16_t len;
	uint8_t valid;
	uint8_t p[FRAME_MAX];
};

/* Pre-extracted for (d): PCoA pointer, signature, contiguous MAC input, authenticator. */
struct pre {
	const uint8_t *pcoa;
	hash_sig_t sig;
	uint16_t in_len;
	struct wire_seg seg;
	uint8_t in[128];
	uint8_t auth[16];
};

/* Per-lcore state of the worker loop: one cache-aligned block. */
struct lcore_state {
	struct mac_ctx *mac;
	struct rte_mempool *mp;
	struct rte_mbuf *m[BURST];
	struct wire_frame f[BURST];
	struct wire_mac_input in[BURST];
	const uint8_t *keys[BURST];
	hash_sig_t sigs[BURST];
	struct keytab_rec *recs[BURST];
	struct mac_job jobs[BURST];
	uint8_t jidx[BURST];
	uint8_t flat[BURST][256];
	uint64_t accepted, wrong;
} __rte_cache_aligned;

struct world {
	uint8_t at;
	uint32_t n_mn;
	struct keytab *kt;	/* ipsec-mb keys */
	struct keytab *kt_ossl; /* same keys, OpenSSL states */
	struct frame *fr;	/* n_fr frames */
	struct pre *pre;
	uint32_t n_fr;
};

static struct rte_rcu_qsbr *qsv;
static struct mac_engine *eng_imb, *eng_ossl, *eng_ossl_seg;
static unsigned tab_no;

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench-fbu: %s: %d (%s)\n", what, rc, strerror(rc < 0 ? -rc : rc));
	exit(2);
}

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

/* Build, MAC and seal frame i of MN `mn`; forged frames are MACed with a wrong key. */
static void build_frame(struct mac_ctx *mc, const struct mac_engine *e, uint8_t at, uint32_t mn,
			int forged, struct frame *fr, struct pre *pre)
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
	addr_of(par, 0, 0);
	par[15] = 1;
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
	/* pre-extracted inputs for (d), from the sealed frame */
	if (wire_decode_frame(fr->p, fr->len, WIRE_LINK_ETH, &f) != WIRE_OK ||
	    wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		die("decode of a sealed FBU", -EINVAL);
	if (wire_segs_copy(in.seg, in.n, pre->in, sizeof(pre->in)) != in.total)
		die("mac input too long", -E2BIG);
	pre->in_len = (uint16_t)in.total;
	pre->pcoa = f.ip.hao;
	memcpy(pre->auth, in.auth, in.auth_len);
}

static void build_world(struct world *wd, uint8_t at, uint32_t n_mn, uint32_t n_fr,
			struct mac_ctx *mc)
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
	wd->pre = malloc(sizeof(*wd->pre) * n_fr);
	if (perm == NULL || wd->fr == NULL || wd->pre == NULL)
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
		build_frame(mc, eng_imb, at, perm[i], (i % 8) == 7, &wd->fr[i], &wd->pre[i]);
		wd->pre[i].sig = keytab_sig(wd->kt, wd->pre[i].pcoa);
		wd->pre[i].seg.p = wd->pre[i].in;
		wd->pre[i].seg.len = wd->pre[i].in_len;
	}
	free(perm);
	printf("# AT %u, %u MNs: tables and %u frames (%u octets each) built in %.1f s\n", at, n_mn,
	       n_fr, wd->fr[0].len, (double)(rte_rdtsc() - t0) / (double)rte_get_tsc_hz());
}

static void free_world(struct world *wd)
{
	/* keytab_free() wants its readers offline: this thread is the only one */
	rte_rcu_qsbr_thread_offline(qsv, 0);
	keytab_free(wd->kt);
	keytab_free(wd->kt_ossl);
	rte_rcu_qsbr_thread_online(qsv, 0);
	free(wd->fr);
	free(wd->pre);
}

/* RX stand-in: allocate BURST mbufs and copy frames [base, base+BURST) in. */
static inline void rx(struct lcore_state *ls, const struct frame *fr)
{
	if (rte_pktmbuf_alloc_bulk(ls->mp, ls->m, BURST) != 0)
		die("mbuf alloc", -ENOMEM);
	for (int i = 0; i < BURST; i++) {
		struct rte_mbuf *m = ls->m[i];
		rte_memcpy(rte_pktmbuf_mtod(m, uint8_t *), fr[i].p, fr[i].len);
		m->data_len = fr[i].len;
		m->pkt_len = fr[i].len;
	}
}

static inline void check(struct lcore_state *ls, const struct frame *fr, uint64_t ok)
{
	uint64_t want = 0;

	for (int i = 0; i < BURST; i++)
		want |= (uint64_t)fr[i].valid << i;
	ls->accepted += (uint64_t)__builtin_popcountll(ok);
	ls->wrong += (uint64_t)__builtin_popcountll(ok ^ want);
}

/* (a)/(b): parse -> bulk lookup -> batched MAC -> compare -> free */
static void burst_full(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr)
{
	unsigned nk = 0, nj = 0;
	uint64_t ok = 0, okj = 0;

	rx(ls, fr);
	for (int i = 0; i < BURST; i++) {
		struct wire_frame *f = &ls->f[i];
		const uint8_t *p = rte_pktmbuf_mtod(ls->m[i], const uint8_t *);
		if (wire_decode_frame(p, ls->m[i]->data_len, WIRE_LINK_ETH, f) != WIRE_OK ||
		    f->msg != WIRE_MSG_FBU || f->ip.hao == NULL)
			continue;	  /* counted drop in the gateway */
		ls->keys[nk] = f->ip.hao; /* PCoA (A23) */
		ls->sigs[nk] = keytab_sig(kt, f->ip.hao);
		ls->jidx[nk++] = (uint8_t)i;
	}
	keytab_lookup_bulk(kt, ls->keys, ls->sigs, nk, ls->recs);
	for (unsigned q = 0; q < nk; q++) {
		unsigned i = ls->jidx[q];
		const struct keytab_rec *r = ls->recs[q];
		if (r == NULL || wire_mac_input(&ls->f[i].ip, &ls->f[i].mh, &ls->in[i]) != WIRE_OK)
			continue;
		mac_job_from_input(&ls->jobs[nj], &r->mac, &ls->in[i]);
		ls->jidx[nj++] = (uint8_t)i;
	}
	mac_verify_burst(ls->mac, ls->jobs, nj, &okj);
	for (unsigned q = 0; q < nj; q++)
		if (okj & (1ull << q))
			ok |= 1ull << ls->jidx[q];
	check(ls, fr, ok);
	rte_pktmbuf_free_bulk(ls->m, BURST);
}

/* (c): what a straightforward implementation does: one lookup and one HMAC() per packet */
static void burst_naive(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr)
{
	uint64_t ok = 0;

	rx(ls, fr);
	for (int i = 0; i < BURST; i++) {
		struct wire_frame *f = &ls->f[i];
		const uint8_t *p = rte_pktmbuf_mtod(ls->m[i], const uint8_t *);
		void *data = NULL;
		const struct keytab_rec *r;
		uint8_t md[EVP_MAX_MD_SIZE];
		unsigned int mdl = 0;
		size_t n;

		if (wire_decode_frame(p, ls->m[i]->data_len, WIRE_LINK_ETH, f) != WIRE_OK ||
		    f->msg != WIRE_MSG_FBU || f->ip.hao == NULL)
			continue;
		if (rte_hash_lookup_data(keytab_hash_table(kt), f->ip.hao, &data) < 0)
			continue;
		r = data;
		if (wire_mac_input(&f->ip, &f->mh, &ls->in[i]) != WIRE_OK)
			continue;
		n = wire_segs_copy(ls->in[i].seg, ls->in[i].n, ls->flat[i], sizeof(ls->flat[i]));
		if (HMAC(r->at == 0 ? EVP_sha1() : EVP_sha256(), r->key, r->key_len, ls->flat[i], n,
			 md, &mdl) == NULL)
			continue;
		if (ls->in[i].auth_len == r->mac.tag_len &&
		    CRYPTO_memcmp(md, ls->in[i].auth, r->mac.tag_len) == 0)
			ok |= 1ull << i;
	}
	check(ls, fr, ok);
	rte_pktmbuf_free_bulk(ls->m, BURST);
}

/* (d): no parse: pre-extracted PCoA/signature/MAC input */
static void burst_floor(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr,
			const struct pre *pre)
{
	uint64_t ok = 0;
	unsigned nj = 0;

	rx(ls, fr);
	for (int i = 0; i < BURST; i++) {
		ls->keys[i] = pre[i].pcoa;
		ls->sigs[i] = pre[i].sig;
	}
	keytab_lookup_bulk(kt, ls->keys, ls->sigs, BURST, ls->recs);
	for (int i = 0; i < BURST; i++) {
		const struct keytab_rec *r = ls->recs[i];
		struct mac_job *j = &ls->jobs[nj];
		if (r == NULL)
			continue;
		j->key = &r->mac;
		j->seg = &pre[i].seg;
		j->nseg = 1;
		j->len = pre[i].in_len;
		j->tag = pre[i].auth;
		j->tag_len = r->mac.tag_len;
		j->out = NULL;
		ls->jidx[nj++] = (uint8_t)i;
	}
	{
		uint64_t okj = 0;
		mac_verify_burst(ls->mac, ls->jobs, nj, &okj);
		for (unsigned q = 0; q < nj; q++)
			if (okj & (1ull << q))
				ok |= 1ull << ls->jidx[q];
	}
	check(ls, fr, ok);
	rte_pktmbuf_free_bulk(ls->m, BURST);
}

/*
 * The scratch-copy question (lib/mac): ticks per job of mac_verify_burst on BURST resident
 * inputs, hashed in place (one contiguous segment) against gathered from the five segments
 * wire_mac_input() yields for these frames (NCoA, PAR, MH head, zeroed checksum, MH rest).
 */
static void mac_only(struct lcore_state *ls, struct world *wd)
{
	struct wire_seg segs[BURST][5], one[BURST];
	struct mac_job jobs[BURST];
	const struct keytab_rec *r[BURST];
	double best[2] = { 1e30, 1e30 };

	for (int i = 0; i < BURST; i++) {
		const struct pre *p = &wd->pre[i];
		r[i] = keytab_find(wd->kt, p->pcoa);
		one[i] = (struct wire_seg){ p->in, p->in_len };
		segs[i][0] = (struct wire_seg){ p->in, 16 };
		segs[i][1] = (struct wire_seg){ p->in + 16, 16 };
		segs[i][2] = (struct wire_seg){ p->in + 32, 4 };
		segs[i][3] = (struct wire_seg){ p->in + 36, 2 };
		segs[i][4] = (struct wire_seg){ p->in + 38, p->in_len - 38u };
	}
	for (int mode = 0; mode < 2; mode++) {
		for (int i = 0; i < BURST; i++)
			jobs[i] = (struct mac_job){ .key = &r[i]->mac,
						    .seg = mode ? segs[i] : &one[i],
						    .nseg = mode ? 5 : 1,
						    .len = wd->pre[i].in_len,
						    .tag = wd->pre[i].auth,
						    .tag_len = r[i]->mac.tag_len };
		for (int rep = 0; rep < 2000; rep++) {
			uint64_t okm = 0, t0 = rte_rdtsc();
			mac_verify_burst(ls->mac, jobs, BURST, &okm);
			double t = (double)(rte_rdtsc() - t0) / BURST;
			if (t < best[mode])
				best[mode] = t;
		}
	}
	printf("# AT %u MAC only (min of 2000 bursts): contiguous %.0f, 5 segments gathered to "
	       "scratch %.0f ticks/job\n",
	       wd->at, best[0], best[1]);
}

/* One run of variant v over `packets` packets; returns TSC ticks per packet. */
static double run(int v, struct lcore_state *ls, struct world *wd, uint64_t packets, int *failed)
{
	uint64_t bursts = packets / BURST, t0, t;
	uint32_t pos = 0;
	uint64_t valid = 0;

	ls->accepted = ls->wrong = 0;
	t0 = rte_rdtsc();
	for (uint64_t b = 0; b < bursts; b++) {
		const struct frame *fr = &wd->fr[pos];
		switch (v) {
		case V_FULL:
			burst_full(ls, wd->kt, fr);
			break;
		case V_OSSL:
		case V_OSSL_SEG:
			burst_full(ls, wd->kt_ossl, fr);
			break;
		case V_NAIVE:
			burst_naive(ls, wd->kt, fr);
			break;
		default:
			burst_floor(ls, wd->kt, fr, &wd->pre[pos]);
			break;
		}
		rte_rcu_qsbr_quiescent(qsv, 0);
		pos += BURST;
		if (pos + BURST > wd->n_fr)
			pos = 0;
	}
	t = rte_rdtsc() - t0;
	/* exactly the valid 7/8 accepted, packet by packet */
	pos = 0;
	for (uint64_t b = 0; b < bursts; b++) {
		for (int i = 0; i < BURST; i++)
			valid += wd->fr[pos + (uint32_t)i].valid;
		pos += BURST;
		if (pos + BURST > wd->n_fr)
			pos = 0;
	}
	if (ls->wrong != 0 || ls->accepted != valid) {
		fprintf(stderr,
			"bench-fbu: %s: accepted %" PRIu64 " of %" PRIu64 " valid, %" PRIu64
			" wrong decisions\n",
			vname[v], ls->accepted, valid, ls->wrong);
		*failed = 1;
	}
	return (double)t / (double)(bursts * BURST);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-fbu [EAL args] -- [-n N[,N...]] [-t AT[,AT]] [-r runs] "
			"[-p packets/run] [-m arch] [-V a,b,c,d] [--smoke]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint32_t ns[8] = { 1000, 100000, 1000000 }, n_ns = 3;
	uint8_t ats[2] = { 0, 1 }, n_ats = 2;
	unsigned runs = 5;
	uint64_t packets = 0;
	int arch = MAC_ARCH_AUTO, failed = 0, rc, opt;
	struct mac_cfg mc;
	struct lcore_state *ls;
	/* a file prefix of its own, so that runs from several build directories never collide */
	char prefix[48];
	char *eal_default[] = { argv[0],       "--no-huge",	"--no-pci",
				"-m",	       "2048",		"-l",
				"0",	       "--file-prefix", prefix,
				"--log-level", "lib.eal:error", NULL };
	static const struct option lopts[] = { { "smoke", no_argument, NULL, 'S' },
					       { NULL, 0, NULL, 0 } };
	int has_eal = 0;
	unsigned vmask = (1u << V__COUNT) - 1;

	snprintf(prefix, sizeof(prefix), "fmipgw_bench_fbu_%d", (int)getpid());
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			has_eal = 1;
	if (has_eal) {
		rc = rte_eal_init(argc, argv);
		if (rc < 0)
			die("rte_eal_init", rc);
		argc -= rc;
		argv += rc;
	} else {
		rc = rte_eal_init((int)(sizeof(eal_default) / sizeof(eal_default[0])) - 1,
				  eal_default);
		if (rc < 0)
			die("rte_eal_init", rc);
	}
	optind = 0; /* glibc: 0 re-initialises getopt after the EAL scanned another vector */
	while ((opt = getopt_long(argc, argv, "n:t:r:p:m:V:", lopts, NULL)) != -1) {
		char *s, *tok, *save = NULL;
		switch (opt) {
		case 'n':
			n_ns = 0;
			for (s = optarg; (tok = strtok_r(s, ",", &save)) != NULL && n_ns < 8;
			     s = NULL)
				ns[n_ns++] = (uint32_t)strtoul(tok, NULL, 0);
			break;
		case 't':
			n_ats = 0;
			for (s = optarg; (tok = strtok_r(s, ",", &save)) != NULL && n_ats < 2;
			     s = NULL)
				ats[n_ats++] = (uint8_t)strtoul(tok, NULL, 0);
			break;
		case 'r':
			runs = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			packets = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			if ((arch = mac_arch_parse(optarg)) < 0)
				usage();
			break;
		case 'V': /* variants to run, e.g. "a,d" (b includes b') */
			vmask = 0;
			for (const char *c = optarg; *c; c++)
				vmask |= *c == 'a'   ? 1u << V_FULL
					 : *c == 'b' ? (1u << V_OSSL) | (1u << V_OSSL_SEG)
					 : *c == 'c' ? 1u << V_NAIVE
					 : *c == 'd' ? 1u << V_FLOOR
						     : 0;
			break;
		case 'S':
			ns[0] = 1000;
			n_ns = 1;
			runs = 2;
			packets = 16384;
			break;
		default:
			usage();
		}
	}
	if (runs == 0 || runs > MAX_RUNS)
		usage();

	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, 1) != 0)
		die("qsbr", -ENOMEM);
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);

	mac_cfg_defaults(&mc);
	mc.arch = (enum mac_arch)arch;
	mc.burst = BURST;
	if ((rc = mac_engine_create(&mc, &eng_imb)) != 0)
		die("mac engine (ipsec-mb)", rc);
	mc.backend = MAC_BACKEND_OPENSSL;
	mc.ossl_segmented = false;
	if ((rc = mac_engine_create(&mc, &eng_ossl)) != 0)
		die("mac engine (openssl)", rc);
	mc.ossl_segmented = true;
	if ((rc = mac_engine_create(&mc, &eng_ossl_seg)) != 0)
		die("mac engine (openssl segmented)", rc);

	ls = rte_zmalloc("lcore", sizeof(*ls), RTE_CACHE_LINE_SIZE);
	if (ls == NULL)
		die("lcore state", -ENOMEM);
	ls->mp = rte_pktmbuf_pool_create("bench_mb", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 (int)rte_socket_id());
	if (ls->mp == NULL)
		die("mbuf pool", -ENOMEM);

	{
		FILE *f = fopen("/proc/cpuinfo", "r");
		char line[256], model[200] = "?";
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			if (strncmp(line, "model name", 10) == 0) {
				snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
				model[strcspn(model, "\n")] = 0;
				break;
			}
		if (f != NULL)
			fclose(f);
		printf("# bench-fbu: CPU %s, TSC %.3f GHz; cycles = TSC ticks (rte_rdtsc)\n", model,
		       (double)rte_get_tsc_hz() / 1e9);
		printf("# MAC engine: %s; self-benchmark ticks/job at burst %d:",
		       mac_engine_describe(eng_imb), BURST);
		for (int a = MAC_ARCH_SSE; a <= MAC_ARCH_AVX512; a++)
			printf(" %s %.0f/%.0f", mac_arch_name(a),
			       mac_engine_bench_cycles(eng_imb, a, MAC_ALG_HMAC_SHA1),
			       mac_engine_bench_cycles(eng_imb, a, MAC_ALG_HMAC_SHA256));
		printf(" (sha1/sha256)\n");
		printf("# bursts of %d, 7/8 valid + 1/8 forged FBUs, %u runs: median [min, max]\n",
		       BURST, runs);
	}
	printf("| AT | MNs | variant | cycles/pkt median [min, max] | Mpps/core | vs (d) | vs (c) "
	       "|\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (unsigned ai = 0; ai < n_ats; ai++) {
		for (unsigned ni = 0; ni < n_ns; ni++) {
			struct world wd;
			uint32_t n_fr = ns[ni] < 65536 ? 65536 : ns[ni];
			uint64_t pk = packets ? packets : (n_fr < (1u << 20) ? (1u << 20) : n_fr);
			double res[V__COUNT][MAX_RUNS], med[V__COUNT], mn[V__COUNT], mx[V__COUNT];
			struct mac_ctx *ctx[V__COUNT];

			if (packets && n_fr > packets)
				n_fr = (uint32_t)((packets + BURST - 1) / BURST * BURST);
			if (n_fr < ns[ni])
				n_fr = ns[ni] + (BURST - ns[ni] % BURST) % BURST;
			ctx[V_FULL] = ctx[V_NAIVE] = ctx[V_FLOOR] = mac_ctx_create(eng_imb);
			ctx[V_OSSL] = mac_ctx_create(eng_ossl);
			ctx[V_OSSL_SEG] = mac_ctx_create(eng_ossl_seg);
			ls->mac = ctx[V_FULL];
			build_world(&wd, ats[ai], ns[ni], n_fr, ls->mac);
			if (ni == 0)
				mac_only(ls, &wd);
			/* runs interleaved so that drift hits every variant alike */
			for (unsigned r = 0; r < runs; r++)
				for (int v = 0; v < V__COUNT; v++) {
					ls->mac = ctx[v];
					res[v][r] =
					    (vmask & (1u << v)) ? run(v, ls, &wd, pk, &failed) : 0;
				}
			for (int v = 0; v < V__COUNT; v++) {
				qsort(res[v], runs, sizeof(double), cmp_d);
				med[v] = runs % 2 ? res[v][runs / 2]
						  : (res[v][runs / 2 - 1] + res[v][runs / 2]) / 2;
				mn[v] = res[v][0];
				mx[v] = res[v][runs - 1];
			}
			for (int v = 0; v < V__COUNT; v++) {
				char rd[16] = "-", rc_[16] = "-";
				if (!(vmask & (1u << v)))
					continue;
				if (vmask & (1u << V_FLOOR))
					snprintf(rd, sizeof(rd), "%.2f", med[V_FLOOR] / med[v]);
				if (vmask & (1u << V_NAIVE))
					snprintf(rc_, sizeof(rc_), "%.1f", med[V_NAIVE] / med[v]);
				printf("| %u | %u | %s | %.0f [%.0f, %.0f] | %.2f | %s | %s |\n",
				       ats[ai], ns[ni], vname[v], med[v], mn[v], mx[v],
				       (double)rte_get_tsc_hz() / med[v] / 1e6, rd, rc_);
			}
			fflush(stdout);
			free_world(&wd);
			mac_ctx_destroy(ctx[V_FULL]);
			mac_ctx_destroy(ctx[V_OSSL]);
			mac_ctx_destroy(ctx[V_OSSL_SEG]);
		}
	}
	printf("# vs (d) = (d) cycles / variant cycles (throughput relative to the floor); "
	       "vs (c) = speed-up over the naive per-packet HMAC()\n");
	printf("# acceptance check (exactly the valid 7/8 accepted, per packet): %s\n",
	       failed ? "FAILED" : "ok");
	rte_rcu_qsbr_thread_offline(qsv, 0);
	mac_engine_destroy(eng_imb);
	mac_engine_destroy(eng_ossl);
	mac_engine_destroy(eng_ossl_seg);
	rte_eal_cleanup();
	return failed ? 1 : 0;
}
