/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/binding internals shared by binding.c (writer) and binding_read.c (readers). */
#ifndef FMIPGW_BINDING_PRIV_H
#define FMIPGW_BINDING_PRIV_H

#include "binding.h"
#include "rcuhash.h"

/* A LIFO of free indices. */
struct idx_stack {
	uint32_t *v;
	uint32_t n, cap;
};

struct binding_table {
	struct rcuhash *rh;
	struct binding_rec *recs; /* n_rec records */
	struct binding_ctr *ctr;  /* n_workers arrays of ctr_stride counters */
	struct idx_stack free_rec, free_slot;
	uint32_t capacity, ctr_stride, sweep_batch, iter;
	unsigned n_workers;
	binding_end_fn on_end;
	void *on_end_arg;
	struct binding_stats st;
};

/* Worker w's counter of slot. */
static inline struct binding_ctr *ctr_at(const struct binding_table *bt, unsigned w, uint32_t slot)
{
	return &bt->ctr[(size_t)w * bt->ctr_stride + slot];
}

#endif /* FMIPGW_BINDING_PRIV_H */
