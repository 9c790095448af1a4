/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw fast-path stages.  The worker loop (worker.c) decodes each frame, looks its row up in
 * the classification table (classify.h) and hands it to that row's stage: `collect` takes one
 * packet (it may finish it at once or keep it for the burst), `flush` (optional) does the
 * burst's bulk work once every packet was collected.  A stage owns its packets until it frees,
 * sends, queues to the control plane or hands them to another stage's collect.
 *
 * Adding a stage: a new file with its collect/flush (and its burst state in struct gw_worker,
 * dp.h), a value in enum dp_stage (classify.h), a row in worker.c's stage table, and the rows
 * of the classification table that lead to it.  docs/architecture.md walks through one.
 */
#ifndef FMIPGW_DP_STAGES_H
#define FMIPGW_DP_STAGES_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "classify.h"
#include "wire.h"

struct gw_worker;

struct dp_stage_ops {
	const char *name;
	void (*collect)(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
			const struct dp_class *row, uint64_t tsc);
	void (*flush)(struct gw_worker *w, uint64_t tsc); /* NULL: nothing per burst */
};

/* fbu.c: the stage (a frame wire_decode_frame decoded) ... */
void dp_fbu_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		    const struct dp_class *row, uint64_t tsc);
void dp_fbu_flush(struct gw_worker *w, uint64_t tsc); /* [fbu] pipeline_depth 0 */
/* ... and its fast path, tried first on every single-segment frame when [fbu] fast_decode:
 * true when the frame is an FBU to a PAR address in the fast shape, which the stage took
 * (queued or dropped and counted); false: nothing was done, decode it in full. */
bool dp_fbu_fast(struct gw_worker *w, struct rte_mbuf *m, uint64_t tsc);
/* The loop turn around its quiescent state (pipeline_depth 1; no-ops with 0): before it,
 * verify the FBUs looked up in the previous turn; after it, look this turn's up — true when
 * that holds records until the next turn (the turn was busy: no idle sleep in between). */
void dp_fbu_before_quiescent(struct gw_worker *w);
bool dp_fbu_after_quiescent(struct gw_worker *w);
/* Verify what is looked up now: before the lcore goes offline (no record held offline). */
void dp_fbu_drain(struct gw_worker *w);
/* Construction ([fbu] keys) and the end (frees the FBUs still held, unverified). */
void dp_fbu_init(struct gw_worker *w);
void dp_fbu_release(struct gw_worker *w);
/* tunnel.c.  dp_tunnel_on: false when collect would hand every frame of the row of
 * everything else on at once, with dp_tunnel_next_row, to DP_TUNNEL_NEXT (no binding table,
 * or no binding): the worker then hands a burst's plain frames there itself. */
extern const struct dp_class dp_tunnel_next_row;
bool dp_tunnel_on(const struct gw_worker *w);
void dp_tunnel_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		       const struct dp_class *row, uint64_t tsc);
void dp_tunnel_flush(struct gw_worker *w, uint64_t tsc);
/* relay.c */
void dp_ctrl_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);
/* tx.c */
void dp_pass_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);
/* route.c: everything else (the row of `other`), and what other stages hand on — from their
 * collect or their flush (the routing stage is flushed last).  f must describe m as it is
 * (a stage that changed m decodes it again); it is read at collect, and an NS's frame again
 * at flush (the control stage's policer), so it must live until then, as w->frames do. */
void dp_route_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		      const struct dp_class *row, uint64_t tsc);
void dp_route_flush(struct gw_worker *w, uint64_t tsc);
/* worker.c */
/* Hand m to stage's collect through the stage table (a stage passing packets on). */
void dp_stage_collect(struct gw_worker *w, unsigned stage, struct rte_mbuf *m,
		      const struct wire_frame *f, const struct dp_class *row, uint64_t tsc);
/* Drop m as malformed with lib/wire error e (drop_malformed, malformed_<e>). */
void dp_drop_malformed(struct gw_worker *w, struct rte_mbuf *m, int e);
void dp_frag_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);

#endif /* FMIPGW_DP_STAGES_H */
