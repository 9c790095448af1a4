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
void dp_frag_collect(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct dp_class *row, uint64_t tsc);

#endif /* FMIPGW_DP_STAGES_H */
