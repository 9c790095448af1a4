/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu internals: the world (keys, frames), the per-lcore state and the variants.
 * bench_fbu.c: options, runs, tables and the data file; bench_world.c: keys and frames;
 * bench_paths.c: (a') (b) (c) (d) and the MAC-only line; bench_fast.c: (a) and (e).
 */
#ifndef FMIPGW_BENCH_FBU_H
#define FMIPGW_BENCH_FBU_H

#include <stdint.h>

#include <intel-ipsec-mb.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"
#include "mac.h"
#include "wire.h"

#define BURST	  32
#define FRAME_MAX 192
#define MAX_RUNS  64

/* Variants, in table order; their letters are what -V takes. */
enum { V_FAST, V_PREV, V_OSSL, V_OSSL_SEG, V_NAIVE, V_FLOOR, V_BARE, V__COUNT };
extern const char *const vname[V__COUNT];
extern const char *const vkey[V__COUNT];

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

/* (a): what one packet carries from parsing to its verification, a loop later. */
struct fast_pkt {
	struct wire_fbu_fast ff;
	struct wire_mac_inplace ip;
	uint8_t fast;	 /* 1: ff (fast shape); 0: fallback, f/in of the stage */
	uint8_t inplace; /* ip was begun: restore if the packet goes on */
	uint16_t auth_off;
	uint8_t auth_len;
};

/* (a): one burst in the lookup pipeline (two of them: keytab_pipe). */
struct fast_stage {
	const struct frame *fr; /* for the decision check */
	unsigned n;		/* mbufs */
	struct rte_mbuf *m[BURST];
	struct fast_pkt p[BURST];
	uint8_t bidx[BURST];		 /* batch index -> packet */
	struct wire_frame f[BURST];	 /* fallback decodes only */
	struct wire_mac_input in[BURST]; /* fallback with octets after the authenticator */
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
	/* (a) */
	struct keytab_pipe pipe;
	struct fast_stage st[2];
	uint8_t sidx[MAC_BURST_MAX]; /* MAC slot -> packet */
	uint8_t par[16];	     /* the PAR address (A12) */
	/* (e): its own ipsec-mb manager and jobs, no lib/mac */
	IMB_MGR *imb;
	IMB_JOB ejobs[BURST];
	uint8_t edig[BURST][32] __rte_cache_aligned;
	void *edata[BURST];
} __rte_cache_aligned;

struct world {
	uint8_t at;
	uint32_t n_mn;
	struct keytab *kt;	/* ipsec-mb keys */
	struct keytab *kt_ossl; /* same keys, OpenSSL states */
	struct frame *fr;	/* n_fr frames */
	struct frame *fe;	/* (e): the same frames with the MAC input laid out in place */
	struct pre *pre;
	uint32_t n_fr;
	/* (e): fixed offsets of the frames (no parse) */
	uint16_t e_key_off, e_in_off, e_in_len, e_tag_off, e_tag_len;
};

extern struct rte_rcu_qsbr *qsv;
extern struct mac_engine *eng_imb, *eng_ossl, *eng_ossl_seg;
extern unsigned pipe_depth;

void die(const char *what, int rc);

/* bench_world.c */
void build_world(struct world *wd, uint8_t at, uint32_t n_mn, uint32_t n_fr, struct mac_ctx *mc);
void free_world(struct world *wd);
void bench_par(uint8_t par[16]);

/* bench_paths.c */
void rx(struct rte_mempool *mp, struct rte_mbuf **m, const struct frame *fr);
void check(struct lcore_state *ls, const struct frame *fr, uint64_t ok);
void burst_prev(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr);
void burst_naive(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr);
void burst_floor(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr,
		 const struct pre *pre);
void mac_only(struct lcore_state *ls, struct world *wd);

/* bench_fast.c */
void fast_begin(struct lcore_state *ls);
void burst_fast(struct lcore_state *ls, const struct keytab *kt, const struct frame *fr);
void fast_drain(struct lcore_state *ls, const struct keytab *kt);
int bare_setup(struct lcore_state *ls, const struct world *wd);
void bare_teardown(struct lcore_state *ls);
void burst_bare(struct lcore_state *ls, const struct world *wd, const struct frame *fe);

#endif
