/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu: (a) the FBU fast path of issue 14, as the gateway worker will run it, and (e) the
 * bare pipeline it is measured against.
 *
 * (a) per loop: RX burst k -> wire_fbu_fast_decode (fallback wire_decode_frame) -> PAR and SPI
 *     checks -> keytab_batch_add (signature) ... verification of burst k-1 (looked up in the
 *     previous loop, records prefetched): A13 expiry read, the MAC input in place,
 *     mac_burst_add, one mac_burst_verify, restore of the accepted packets -> quiescent state
 *     -> bulk lookup of burst k (keytab_pipe, depth 1; -D 0: all in one loop).
 * (e) per burst: RX -> rte_hash_lookup_bulk_data on the PCoA at a fixed offset -> one
 *     IMB_SUBMIT_HASH_BURST_NOCHECK over the frames' MAC input, already laid out in place at a
 *     fixed offset -> compare.  No parse, no lib/mac, no pipeline.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>
#include <rte_mbuf.h>

#include "bench_fbu.h"

void fast_begin(struct lcore_state *ls)
{
	keytab_pipe_init(&ls->pipe, pipe_depth);
	ls->st[0].n = 0;
	ls->st[1].n = 0;
	bench_par(ls->par);
}

/* Stage 1, one packet: the CGA to look up (the PCoA, A23), or NULL: dropped. */
static const uint8_t *parse_one(struct lcore_state *ls, struct fast_stage *st, unsigned i)
{
	struct rte_mbuf *m = st->m[i];
	uint8_t *pkt = rte_pktmbuf_mtod(m, uint8_t *);
	struct fast_pkt *fp = &st->p[i];
	struct wire_frame *f;

	fp->inplace = 0;
	if (wire_fbu_fast_decode(pkt, m->data_len, WIRE_LINK_ETH, &fp->ff)) {
		/* the worker's checks: to a PAR address (A12), SPI 0 (L1) */
		if (memcmp(pkt + fp->ff.par_off, ls->par, 16) != 0 || fp->ff.spi != 0)
			return NULL;
		fp->fast = 1;
		return pkt + fp->ff.pcoa_off;
	}
	/* anything else: the full decoder decides (here every frame has the fast shape) */
	f = &st->f[i];
	if (wire_decode_frame(pkt, m->data_len, WIRE_LINK_ETH, f) != WIRE_OK ||
	    f->msg != WIRE_MSG_FBU || f->ip.hao == NULL || memcmp(f->ip.dst, ls->par, 16) != 0 ||
	    f->mh.badf.spi != 0)
		return NULL;
	fp->fast = 0;
	return f->ip.hao;
}

/* Stage 3, one packet: its MAC input in place (or gathered) into the MAC burst; the slot. */
static int add_one(struct lcore_state *ls, struct fast_stage *st, unsigned i,
		   const struct keytab_rec *r, uint8_t at)
{
	struct fast_pkt *fp = &st->p[i];
	uint8_t *pkt = rte_pktmbuf_mtod(st->m[i], uint8_t *);
	const struct wire_frame *f = &st->f[i];
	const struct wire_badf *b = &f->mh.badf;

	if (fp->fast) {
		if (wire_fbu_fast_inplace(pkt, &fp->ff, &fp->ip) != WIRE_OK)
			return -1;
		fp->inplace = 1;
		return mac_burst_add(ls->mac, &r->mac, at, fp->ip.start, fp->ip.len,
				     pkt + fp->ff.auth_off, fp->ff.auth_len);
	}
	if (wire_mac_inplace_begin(pkt + (f->mh.p - pkt), f->mh.len, b->auth_off, b->auth_len,
				   f->mh.altcoa ? f->mh.altcoa : f->ip.src, f->ip.dst,
				   &fp->ip) == WIRE_OK) {
		fp->inplace = 1;
		return mac_burst_add(ls->mac, &r->mac, at, fp->ip.start, fp->ip.len, b->auth,
				     b->auth_len);
	}
	/* octets after the authenticator: segments, gathered by lib/mac */
	if (wire_mac_input(&f->ip, &f->mh, &st->in[i]) != WIRE_OK)
		return -1;
	return mac_burst_add_segs(ls->mac, &r->mac, at, &st->in[i]);
}

/* Stage 3: verify one looked-up burst, restore the accepted packets, check, free. */
static void verify_stage(struct lcore_state *ls, const struct keytab_batch *b,
			 struct fast_stage *st)
{
	uint64_t ok, okp = 0;

	if (st->n == 0)
		return;
	for (unsigned j = 0; j < b->n; j++) {
		const struct keytab_rec *r = b->recs[j];
		unsigned i = st->bidx[j];
		int slot;

		if (r == NULL)
			continue; /* no key (A15) */
		/* A13, as the worker reads it (line 2, prefetched with the record) */
		if (1 >= __atomic_load_n(&r->expires, __ATOMIC_RELAXED))
			continue;
		slot = add_one(ls, st, i, r, b->at[j]);
		if (slot >= 0)
			ls->sidx[slot] = (uint8_t)i;
	}
	ok = mac_burst_verify(ls->mac);
	while (ok) {
		unsigned s = (unsigned)__builtin_ctzll(ok);
		ok &= ok - 1;
		okp |= 1ull << ls->sidx[s];
	}
	/* accepted FBUs go on to the control lcore: as they were received */
	for (uint64_t a = okp; a; a &= a - 1) {
		struct fast_pkt *fp = &st->p[__builtin_ctzll(a)];
		if (fp->inplace)
			wire_mac_inplace_restore(&fp->ip);
	}
	check(ls, st->fr, okp);
	rte_pktmbuf_free_bulk(st->m, st->n);
	st->n = 0;
}

void burst_fast(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr)
{
	struct keytab_pipe *p = &ls->pipe;
	struct keytab_batch *b = keytab_pipe_begin(p), *r;
	struct fast_stage *st = &ls->st[keytab_pipe_idx(p, b)];

	if (fr != NULL) {
		rx(ls->mp, st->m, fr);
		st->n = BURST;
		st->fr = fr;
		for (unsigned i = 0; i < BURST; i++) {
			const uint8_t *key = parse_one(ls, st, i);
			int j = key != NULL ? keytab_batch_add(kt, b, key) : -1;
			if (j >= 0)
				st->bidx[j] = (uint8_t)i;
		}
	}
	if (p->depth == 0)
		keytab_pipe_advance(kt, p);
	r = keytab_pipe_ready(p);
	verify_stage(ls, r, &ls->st[keytab_pipe_idx(p, r)]);
	rte_rcu_qsbr_quiescent(qsv, 0); /* no record held: r is done, b not looked up yet */
	if (p->depth == 1)
		keytab_pipe_advance(kt, p);
}

void fast_drain(struct lcore_state *ls, const struct keytab *kt)
{
	burst_fast(ls, kt, NULL); /* a loop without RX verifies what is still in the pipe */
}

/* ---- (e) ------------------------------------------------------------------------------------ */

int bare_setup(struct lcore_state *ls, const struct world *wd)
{
	enum mac_alg alg = wd->at == 0 ? MAC_ALG_HMAC_SHA1 : MAC_ALG_HMAC_SHA256;
	IMB_MGR *m = alloc_mb_mgr(0);

	if (m == NULL)
		return -ENOMEM;
	/* the manager lib/mac chose for this algorithm */
	switch (mac_engine_arch(eng_imb, alg)) {
	case MAC_ARCH_SSE:
		init_mb_mgr_sse(m);
		break;
	case MAC_ARCH_AVX:
		init_mb_mgr_avx(m);
		break;
	case MAC_ARCH_AVX2:
		init_mb_mgr_avx2(m);
		break;
	case MAC_ARCH_AVX512:
		init_mb_mgr_avx512(m);
		break;
	default: {
		IMB_ARCH got;
		init_mb_mgr_auto(m, &got);
		break;
	}
	}
	ls->imb = m;
	for (unsigned i = 0; i < BURST; i++) {
		IMB_JOB *j = &ls->ejobs[i];
		memset(j, 0, sizeof(*j));
		j->hash_alg =
		    alg == MAC_ALG_HMAC_SHA1 ? IMB_AUTH_HMAC_SHA_1 : IMB_AUTH_HMAC_SHA_256;
		j->cipher_mode = IMB_CIPHER_NULL;
		j->chain_order = IMB_ORDER_HASH_CIPHER;
		j->msg_len_to_hash_in_bytes = wd->e_in_len;
		j->auth_tag_output_len_in_bytes = alg == MAC_ALG_HMAC_SHA1 ? 20 : 32;
	}
	return 0;
}

void bare_teardown(struct lcore_state *ls)
{
	free_mb_mgr(ls->imb);
	ls->imb = NULL;
}

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

void burst_bare(struct lcore_state *ls, const struct world *wd, const struct frame *fe)
{
	const void *keys[BURST];
	uint8_t idx[BURST];
	uint64_t hits = 0, ok = 0;
	unsigned n = 0, tl = wd->e_tag_len;
	IMB_HASH_ALG ha = ls->ejobs[0].hash_alg;

	rx(ls->mp, ls->m, fe);
	for (unsigned i = 0; i < BURST; i++)
		keys[i] = rte_pktmbuf_mtod(ls->m[i], const uint8_t *) + wd->e_key_off;
	rte_hash_lookup_bulk_data(keytab_hash_table(wd->kt), keys, BURST, &hits, ls->edata);
	for (unsigned i = 0; i < BURST; i++) {
		const struct keytab_rec *r;
		IMB_JOB *j = &ls->ejobs[n];
		if (!(hits & (1ull << i)))
			continue;
		r = keytab_data_rec(ls->edata[i]);
		j->src = rte_pktmbuf_mtod(ls->m[i], const uint8_t *) + wd->e_in_off;
		j->auth_tag_output = ls->edig[n];
		j->u.HMAC._hashed_auth_key_xor_ipad = r->mac.ipad;
		j->u.HMAC._hashed_auth_key_xor_opad = r->mac.opad;
		j->status = IMB_STATUS_BEING_PROCESSED;
		idx[n++] = (uint8_t)i;
	}
	if (n)
		IMB_SUBMIT_HASH_BURST_NOCHECK(ls->imb, ls->ejobs, n, ha);
	for (unsigned q = 0; q < n; q++) {
		const uint8_t *tag =
		    rte_pktmbuf_mtod(ls->m[idx[q]], const uint8_t *) + wd->e_tag_off;
		const uint8_t *d = ls->edig[q];
		/* 12 or 16 octets: two (overlapping) 8-octet words */
		uint64_t x = (ld64(d) ^ ld64(tag)) | (ld64(d + tl - 8) ^ ld64(tag + tl - 8));
		ok |= (uint64_t)(x == 0 && (ls->ejobs[q].status & IMB_STATUS_COMPLETED_AUTH))
		      << idx[q];
	}
	check(ls, fe, ok);
	rte_pktmbuf_free_bulk(ls->m, BURST);
}
