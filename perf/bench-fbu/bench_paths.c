/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu: the RX stand-in, the decision check, the paths as they were before issue 14 —
 * (a') full and (b)/(b') on the OpenSSL backend, (c) naive, (d) floor — and the MAC-only line.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_memcpy.h>

#include "bench_fbu.h"

/* RX stand-in: allocate BURST mbufs and copy frames [base, base+BURST) in. */
void rx(struct rte_mempool *mp, struct rte_mbuf **mb, const struct frame *fr)
{
	if (rte_pktmbuf_alloc_bulk(mp, mb, BURST) != 0)
		die("mbuf alloc", -ENOMEM);
	for (int i = 0; i < BURST; i++) {
		struct rte_mbuf *m = mb[i];
		rte_memcpy(rte_pktmbuf_mtod(m, uint8_t *), fr[i].p, fr[i].len);
		m->data_len = fr[i].len;
		m->pkt_len = fr[i].len;
	}
}

void check(struct lcore_state *ls, const struct frame *fr, uint64_t ok)
{
	uint64_t want = 0;

	for (int i = 0; i < BURST; i++)
		want |= (uint64_t)fr[i].valid << i;
	ls->accepted += (uint64_t)__builtin_popcountll(ok);
	ls->wrong += (uint64_t)__builtin_popcountll(ok ^ want);
}

/* (a')/(b): the path before issue 14: wire_decode_frame -> bulk lookup -> wire_mac_input
 * (segments) -> mac_verify_burst (gathered into scratch) -> free */
void burst_prev(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr)
{
	unsigned nk = 0, nj = 0;
	uint64_t ok = 0, okj = 0;

	rx(ls->mp, ls->m, fr);
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
void burst_naive(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr)
{
	uint64_t ok = 0;

	rx(ls->mp, ls->m, fr);
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
		r = keytab_data_rec(data); /* the AT rides in the data pointer */
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
void burst_floor(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr,
		 const struct pre *pre)
{
	uint64_t ok = 0;
	unsigned nj = 0;

	rx(ls->mp, ls->m, fr);
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
void mac_only(struct lcore_state *ls, struct world *wd)
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
