/* SPDX-License-Identifier: BSD-3-Clause */
/* app/common/lcore — see lcore.h. */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_lcore.h>

#include "lcore.h"

static bool listed(const unsigned *v, unsigned n, unsigned x)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static int check_slow(const struct fmip_lcores *l, const unsigned *slow, unsigned n_slow, char *err,
		      size_t errlen)
{
	if (n_slow > FMIP_MAX_LCORE_ROLE) {
		snprintf(err, errlen, "more than %d slow-path lcores", FMIP_MAX_LCORE_ROLE);
		return -1;
	}
	for (unsigned i = 0; i < n_slow; i++) {
		if (slow[i] >= RTE_MAX_LCORE || !rte_lcore_is_enabled(slow[i])) {
			snprintf(err, errlen,
				 "slow-path lcore %u is not in the EAL lcore list (-l)", slow[i]);
			return -1;
		}
		if (slow[i] == l->ctrl) {
			snprintf(
			    err, errlen,
			    "slow-path lcore %u is the control lcore: give the control lcore "
			    "apart (the control lcore does the work when no slow lcore is set)",
			    slow[i]);
			return -1;
		}
		if (listed(slow, i, slow[i])) {
			snprintf(err, errlen, "slow-path lcore %u is listed twice", slow[i]);
			return -1;
		}
	}
	return 0;
}

int fmip_lcores_assign(int want_ctrl, const unsigned *slow, unsigned n_slow, unsigned max_workers,
		       struct fmip_lcores *l, char *err, size_t errlen)
{
	unsigned lc, cap = max_workers;

	if (cap > FMIP_MAX_LCORE_ROLE)
		cap = FMIP_MAX_LCORE_ROLE;
	memset(l, 0, sizeof(*l));
	l->ctrl = want_ctrl < 0 ? rte_get_main_lcore() : (unsigned)want_ctrl;
	if (want_ctrl >= 0 && !rte_lcore_is_enabled(l->ctrl)) {
		snprintf(err, errlen, "lcore %d is not in the EAL lcore list (-l)", want_ctrl);
		return -1;
	}
	if (check_slow(l, slow, n_slow, err, errlen) < 0)
		return -1;
	memcpy(l->slow, slow, n_slow * sizeof(*slow));
	l->n_slow = n_slow;
	RTE_LCORE_FOREACH(lc)
	{
		if (lc == l->ctrl || listed(slow, n_slow, lc))
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

/* The first CPU both lcores may run on, or -1. */
static int common_cpu(unsigned a, unsigned b)
{
	rte_cpuset_t x = rte_lcore_cpuset(a), y = rte_lcore_cpuset(b);

	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &x) && CPU_ISSET(c, &y))
			return c;
	return -1;
}

unsigned fmip_lcores_sharing(const struct fmip_lcores *l, char *buf, size_t len)
{
	unsigned all[1 + 2 * FMIP_MAX_LCORE_ROLE], n = 0, pairs = 0;
	size_t used = 0;

	buf[0] = '\0';
	all[n++] = l->ctrl;
	for (unsigned i = 0; i < l->n_slow; i++)
		all[n++] = l->slow[i];
	for (unsigned i = l->shared ? 1 : 0; i < l->n_workers; i++)
		all[n++] = l->workers[i];
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = i + 1; j < n; j++) {
			int c = common_cpu(all[i], all[j]);

			if (c < 0)
				continue;
			pairs++;
			if (used < len)
				used += (size_t)snprintf(buf + used, len - used, "%s%u+%u@%d",
							 pairs > 1 ? ", " : "", all[i], all[j], c);
		}
	return pairs;
}
