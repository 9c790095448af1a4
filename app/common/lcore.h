/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/common/lcore — lcore roles from the EAL lcore list (-l / --lcores), shared by the
 * gateway, the benchmarks and the simulator: one lcore (the main lcore, or a chosen one) runs
 * the control plane, an optional list of "slow-path" lcores does the expensive per-message
 * work, every other enabled lcore is a worker.  And the check that lcores share a CPU (what
 * --lcores '(0,1)@0' does), which busy-polling lcores should not.
 */
#ifndef FMIP_LCORE_H
#define FMIP_LCORE_H

#include <stdbool.h>
#include <stddef.h>

#define FMIP_MAX_LCORE_ROLE 64

struct fmip_lcores {
	unsigned ctrl; /* the control lcore */
	unsigned n_slow;
	unsigned slow[FMIP_MAX_LCORE_ROLE];    /* slow-path lcores, as given */
	unsigned n_workers;		       /* >= 1 */
	unsigned workers[FMIP_MAX_LCORE_ROLE]; /* worker lcore ids, in EAL order */
	bool shared; /* only the control lcore is left: it is also worker 0 */
};

/*
 * Roles for the enabled lcores.  want_ctrl < 0: the EAL main lcore.  slow: lcore ids that are
 * neither the control lcore nor workers.  At most max_workers workers.  When no lcore is left
 * for a worker: shared mode (workers[0] == ctrl).  0, or -1 with err (an lcore that is not
 * enabled, a slow lcore that is the control lcore or listed twice, too many workers).
 */
int fmip_lcores_assign(int want_ctrl, const unsigned *slow, unsigned n_slow, unsigned max_workers,
		       struct fmip_lcores *l, char *err, size_t errlen);

/* Lcores of l whose CPU sets overlap, as "a+b@cpu" pairs in buf (empty: none).  The number of
 * such pairs. */
unsigned fmip_lcores_sharing(const struct fmip_lcores *l, char *buf, size_t len);

#endif /* FMIP_LCORE_H */
