/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app/common/lcore — lcore roles from the EAL lcore list (-l / --lcores), shared by the
 * gateway, the benchmarks and the simulator: one lcore (the main lcore, or a chosen one) runs
 * the control plane, every other enabled lcore is a worker.
 */
#ifndef FMIP_LCORE_H
#define FMIP_LCORE_H

#include <stdbool.h>
#include <stddef.h>

struct fmip_lcores {
	unsigned ctrl;	      /* the control lcore */
	unsigned n_workers;   /* >= 1 */
	unsigned workers[64]; /* worker lcore ids, in EAL order */
	bool shared;	      /* only one lcore: the control lcore is also worker 0 */
};

/*
 * Roles for the enabled lcores.  want_ctrl < 0: the EAL main lcore.  At most max_workers
 * workers (<= 64).  One enabled lcore only: shared mode (workers[0] == ctrl).
 * 0, or -1 with err ("[lcores] control" not enabled, too many workers).
 */
int fmip_lcores_assign(int want_ctrl, unsigned max_workers, struct fmip_lcores *l, char *err,
		       size_t errlen);

#endif /* FMIP_LCORE_H */
