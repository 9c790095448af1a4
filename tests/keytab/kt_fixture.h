/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The EAL, QSBR variable and MAC engine every lib/keytab test group starts from (test_keytab,
 * test_keytab_fast, test_keytab_persist): --no-huge --no-pci, lcores LCORES, its own
 * --file-prefix, a QSBR variable for NTHREADS reader threads, the SSE MAC engine and one
 * context.  Header-only: each test is one translation unit.
 */
#ifndef FMIPGW_TESTS_KT_FIXTURE_H
#define FMIPGW_TESTS_KT_FIXTURE_H

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "mac.h"

static struct rte_rcu_qsbr *qsv;
static struct mac_engine *eng;
static struct mac_ctx *mctx;

static int kt_fixture_setup(const char *prog, const char *prefix, const char *lcores,
			    uint32_t nthreads)
{
	char *argv[] = { (char *)prog,	 "--no-huge",	"--no-pci",	 "-m",
			 "256",		 "-l",		(char *)lcores,	 "--file-prefix",
			 (char *)prefix, "--log-level", "lib.eal:error", NULL };
	struct mac_cfg cfg;

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(nthreads), RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, nthreads) != 0)
		return -1;
	mac_cfg_defaults(&cfg);
	cfg.arch = MAC_ARCH_SSE;
	if (mac_engine_create(&cfg, &eng) != 0)
		return -1;
	mctx = mac_ctx_create(eng);
	return mctx == NULL ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	mac_ctx_destroy(mctx);
	mac_engine_destroy(eng);
	rte_free(qsv);
	rte_eal_cleanup();
	return 0;
}

#endif
