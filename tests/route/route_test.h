/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What tests/route's two executables share: the EAL (--no-huge --no-pci, two lcores, the
 * TEST_PREFIX file prefix meson gives each executable, so the plain and the ASan builds may
 * run at once), the workers' QSBR variable, and IPv6 literals.
 */
#ifndef FMIPGW_ROUTE_TEST_H
#define FMIPGW_ROUTE_TEST_H

#include <arpa/inet.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

static struct rte_rcu_qsbr *qsv;

/* EAL with mem MB of memory, and a QSBR variable for 4 reader thread ids. */
static inline int route_test_eal(const char *prog, const char *mem)
{
	char *argv[] = { (char *)prog, "--no-huge",   "--no-pci",      "-m",
			 (char *)mem,  "-l",	      "0-1",	       "--file-prefix",
			 TEST_PREFIX,  "--log-level", "lib.eal:error", NULL };

	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(4), RTE_CACHE_LINE_SIZE);
	return qsv == NULL || rte_rcu_qsbr_init(qsv, 4) != 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	rte_free(qsv);
	rte_eal_cleanup();
	return 0;
}

static void addr(uint8_t a[16], const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
}

#endif /* FMIPGW_ROUTE_TEST_H */
