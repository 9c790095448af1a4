/* SPDX-License-Identifier: BSD-3-Clause */
/* app/common/lcore — see lcore.h. */
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>

#include "lcore.h"

int fmip_lcores_assign(int want_ctrl, unsigned max_workers, struct fmip_lcores *l, char *err,
		       size_t errlen)
{
	unsigned lc, cap = max_workers;

	if (cap > sizeof(l->workers) / sizeof(l->workers[0]))
		cap = sizeof(l->workers) / sizeof(l->workers[0]);
	memset(l, 0, sizeof(*l));
	l->ctrl = want_ctrl < 0 ? rte_get_main_lcore() : (unsigned)want_ctrl;
	if (want_ctrl >= 0 && !rte_lcore_is_enabled(l->ctrl)) {
		snprintf(err, errlen, "lcore %d is not in the EAL lcore list (-l)", want_ctrl);
		return -1;
	}
	RTE_LCORE_FOREACH(lc)
	{
		if (lc == l->ctrl)
			continue;
		if (l->n_workers == cap) {
			snprintf(err, errlen,
				 "more than %u worker lcores: give fewer lcores with -l", cap);
			return -1;
		}
		l->workers[l->n_workers++] = lc;
	}
	if (l->n_workers == 0) {
		l->workers[l->n_workers++] = l->ctrl;
		l->shared = true;
	}
	return 0;
}
