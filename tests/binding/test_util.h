/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/binding: what the table and tunnel tests share — EAL start (--no-huge --no-pci, a
 * file prefix per executable and process), the readers' QSBR variable, address helpers and a
 * table constructor.  Header-only: each test executable includes it once.
 */
#ifndef FMIPGW_TEST_BINDING_UTIL_H
#define FMIPGW_TEST_BINDING_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "binding.h"

#define TEST_QSBR_THREADS 4

static struct rte_rcu_qsbr *qsv;
static unsigned tab_seq;

/* EAL with two lcores (a reader can run on the second). */
static inline int eal_up(void)
{
	char prefix[64];
	char *argv[] = { "test_binding", "--no-huge",	"--no-pci",	 "-m",
			 "256",		 "-l",		"0-1",		 "--file-prefix",
			 prefix,	 "--log-level", "lib.eal:error", NULL };
	size_t sz;

	snprintf(prefix, sizeof(prefix), "%s_%d", TEST_PREFIX, (int)getpid());
	if (rte_eal_init((int)(sizeof(argv) / sizeof(argv[0])) - 1, argv) < 0)
		return -1;
	sz = rte_rcu_qsbr_get_memsize(TEST_QSBR_THREADS);
	qsv = rte_zmalloc("qsv", sz, RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, TEST_QSBR_THREADS) != 0)
		return -1;
	return 0;
}

static inline void eal_down(void)
{
	rte_free(qsv);
	rte_eal_cleanup();
}

/* 2003::<i>, the PCoA of binding i; 2003:0:0:2::<i> its NCoA. */
static inline void addr_of(uint32_t i, uint8_t a[16], uint8_t net)
{
	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x03;
	a[7] = net;
	a[12] = (uint8_t)(i >> 24);
	a[13] = (uint8_t)(i >> 16);
	a[14] = (uint8_t)(i >> 8);
	a[15] = (uint8_t)i;
}
#define pcoa_of(i, a) addr_of(i, a, 0)
#define ncoa_of(i, a) addr_of(i, a, 2)

static const uint8_t par_addr[16] = { 0x20, 0x03, [15] = 0x01 };
static const uint8_t tun_src_addr[16] = { 0x20, 0x03, [7] = 0x01, [15] = 0x01 };

static inline struct binding_table *new_table_cb(uint32_t capacity, unsigned n_workers,
						 uint32_t sweep_batch, binding_end_fn fn, void *arg)
{
	char name[32];
	struct binding_cfg cfg = { 0 };
	struct binding_table *bt = NULL;

	snprintf(name, sizeof(name), "bt%u", tab_seq++);
	cfg.name = name;
	cfg.capacity = capacity;
	cfg.n_workers = n_workers;
	cfg.socket_id = 0;
	cfg.qsv = qsv;
	cfg.sweep_batch = sweep_batch;
	cfg.on_end = fn;
	cfg.on_end_arg = arg;
	assert_int_equal(binding_create(&cfg, &bt), 0);
	return bt;
}

static inline struct binding_table *new_table(uint32_t capacity)
{
	return new_table_cb(capacity, 1, 0, NULL, NULL);
}

/* cmocka group setup / teardown of the table tests */
static inline int util_setup(void **state)
{
	(void)state;
	return eal_up();
}

static inline int util_teardown(void **state)
{
	(void)state;
	eal_down();
	return 0;
}

/* A spec for binding i: PCoA 2003::i, NCoA 2003:0:0:2::i, key_ref 1000 + i. */
static inline struct binding_spec spec_of(uint32_t i, uint8_t pcoa[16], uint8_t ncoa[16],
					  uint16_t seq, uint64_t expires, uint8_t state)
{
	struct binding_spec s = { 0 };

	pcoa_of(i, pcoa);
	ncoa_of(i, ncoa);
	s.pcoa = pcoa;
	s.ncoa = ncoa;
	s.par = par_addr;
	s.tun_src = tun_src_addr;
	s.seq = seq;
	s.lifetime = 10;
	s.expires = expires;
	s.state = state;
	s.key_ref = 1000 + i;
	return s;
}

#endif /* FMIPGW_TEST_BINDING_UTIL_H */
