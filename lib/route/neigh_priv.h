/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — what neigh.c and neigh_timer.c share: the writer's record behind each
 * struct neigh_entry, and the table.  Not part of the interface (neigh.h is).
 */
#ifndef FMIPGW_NEIGH_PRIV_H
#define FMIPGW_NEIGH_PRIV_H

#include <stddef.h>
#include <sys/queue.h>

#include "neigh.h"
#include "rcuhash.h"

struct neigh_rec {
	struct neigh_entry pub; /* first: what the hash's data pointer shows readers */
	/* writer only */
	struct neigh_key key;
	TAILQ_ENTRY(neigh_rec) link; /* on the table's dynamic list (not STATIC) */
	uint64_t due;		     /* next timer event */
	uint8_t state;		     /* == neigh_word_state(pub.word) */
	uint8_t probes;		     /* NS sent in this state */
	uint16_t n_q;
	struct rte_mbuf *q[]; /* cfg.queue_len held packets */
};

TAILQ_HEAD(neigh_list, neigh_rec);

struct neigh_table {
	struct rcuhash *rh; /* key -> struct neigh_rec (lib/rcuhash: LF readers, deferred frees) */
	struct neigh_cfg cfg;
	struct neigh_list dyn; /* every entry but the STATIC ones: the timers walk it */
	struct neigh_stats st;
};

/* Written by the single writer, read by telemetry: relaxed atomics. */
#define NST_SET(t, f, v) __atomic_store_n(&(t)->st.f, (v), __ATOMIC_RELAXED)
#define NST_ADD(t, f, v) NST_SET(t, f, (t)->st.f + (v))
#define NST_INC(t, f)	 NST_ADD(t, f, 1)

/* Publish state (and mac; NULL keeps the cached one) in one store; resets probes. */
void neigh_set(struct neigh_rec *r, unsigned state, const uint8_t *mac);
/* Take r out of the hash and the lists; freed after the grace period. */
void neigh_remove(struct neigh_table *t, struct neigh_rec *r);
/* Drop every held packet (counted drop_timeout); returns how many. */
unsigned neigh_q_drop(struct neigh_table *t, struct neigh_rec *r);

#endif /* FMIPGW_NEIGH_PRIV_H */
