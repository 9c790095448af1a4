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

/* fbu.c */
void dp_fbu_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		    const struct dp_class *row, uint64_t tsc);
void dp_fbu_flush(struct gw_worker *w, uint64_t tsc);
/* tunnel.c */
void dp_tunnel_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		       const struct dp_class *row, uint64_t tsc);
void dp_tunnel_flush(struct gw_worker *w, uint64_t tsc);
/* relay.c */
void dp_ctrl_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);
/* tx.c */
void dp_pass_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);
/* worker.c */
/* Hand m to stage's collect through the stage table (a stage passing packets on). */
void dp_stage_collect(struct gw_worker *w, unsigned stage, struct rte_mbuf *m,
		      const struct wire_frame *f, const struct dp_class *row, uint64_t tsc);
/* Drop m as malformed with lib/wire error e (drop_malformed, malformed_<e>). */
void dp_drop_malformed(struct gw_worker *w, struct rte_mbuf *m, int e);
void dp_frag_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);

#endif /* FMIPGW_DP_STAGES_H */
