/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab: the records' memory (issue 13, issue 14) — a per-table rte_mempool whose chunks
 * are advised MADV_DONTDUMP, records zeroed on the way in and on the way out (and poisoned
 * while in the pool under AddressSanitizer), and the layout keytab.h promises.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_memory.h>
#include <rte_mempool.h>
#include <rte_rcu_qsbr.h>

#include "keytab.h"
#include "keytab_priv.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
/* a record back in the pool is poisoned: a reader touching it after its grace period aborts
 * under AddressSanitizer (tests/keytab keytab-asan), as it did with free() */
#define REC_POISON(r)	ASAN_POISON_MEMORY_REGION((r), sizeof(struct keytab_rec))
#define REC_UNPOISON(r) ASAN_UNPOISON_MEMORY_REGION((r), sizeof(struct keytab_rec))
#else
#define REC_POISON(r)	((void)(r))
#define REC_UNPOISON(r) ((void)(r))
#endif

/* keytab.h's layout promises (issue 14) */
_Static_assert(offsetof(struct keytab_rec, mac.ipad) == 0 &&
		   offsetof(struct keytab_rec, mac.opad) == 32,
	       "the HMAC states fill cache line 0");
_Static_assert(offsetof(struct keytab_rec, key) == 128 &&
		   offsetof(struct keytab_rec, expires) >= 128 &&
		   offsetof(struct keytab_rec, last_seq) >= 128,
	       "key material and the fields workers write live in line 2");
_Static_assert(sizeof(struct keytab_rec) == 192, "three cache lines");
_Static_assert(MAC_AT_MAX - 1 <= KEYTAB_AT_MASK, "the AT fits the data pointer's low bits");

void keytab_rec_zero_free(struct keytab *kt, struct keytab_rec *r)
{
	mac_key_clear(&r->mac);
	memset(r, 0, sizeof(*r));
	__asm__ __volatile__("" : : "r"(r) : "memory"); /* the zeroing is not a dead store */
	REC_POISON(r);
	rte_mempool_put(kt->mp, r);
}

/*
 * A zeroed record from the pool.  An empty pool means records wait for their grace period:
 * reclaim those that are past it, and as the last resort wait for the readers (as
 * defer_free() does when its queue is full).
 */
struct keytab_rec *keytab_rec_alloc(struct keytab *kt)
{
	void *o = NULL;

	if (rte_mempool_get(kt->mp, &o) != 0) {
		rte_rcu_qsbr_dq_reclaim(kt->dq, UINT32_MAX, NULL, NULL, NULL);
		if (rte_mempool_get(kt->mp, &o) != 0) {
			rte_rcu_qsbr_synchronize(kt->qsv, RTE_QSBR_THRID_INVALID);
			rte_rcu_qsbr_dq_reclaim(kt->dq, UINT32_MAX, NULL, NULL, NULL);
			if (rte_mempool_get(kt->mp, &o) != 0)
				return NULL;
		}
	}
	REC_UNPOISON(o);
	memset(o, 0, sizeof(struct keytab_rec));
	return o;
}

/*
 * issue 13: no key material in core dumps.  Every memory chunk of the record pool, widened
 * to its pages (4 KiB with --no-huge, the hugepage size otherwise), is advised
 * MADV_DONTDUMP; the kernel then shows "dd" in the VmFlags of those mappings
 * (/proc/self/smaps, tested in tests/keytab).
 */
static void dontdump_chunk(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *m,
			   unsigned idx)
{
	int *rc = arg;
	const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(m->addr);
	uintptr_t pg = msl != NULL ? (uintptr_t)msl->page_sz : (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)m->addr & ~(pg - 1);
	uintptr_t e = ((uintptr_t)m->addr + m->len + pg - 1) & ~(pg - 1);

	(void)mp;
	(void)idx;
	if (madvise((void *)a, e - a, MADV_DONTDUMP) != 0 && *rc == 0)
		*rc = -errno;
}

static void unpoison_chunk(struct rte_mempool *mp, void *arg, struct rte_mempool_memhdr *m,
			   unsigned idx)
{
	(void)mp;
	(void)arg;
	(void)idx;
#if defined(__SANITIZE_ADDRESS__)
	ASAN_UNPOISON_MEMORY_REGION(m->addr, m->len);
#else
	(void)m;
#endif
}

int keytab_pool_create(struct keytab *kt, const struct keytab_cfg *cfg, uint32_t n)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	int rc = 0;

	if (snprintf(name, sizeof(name), "%s_rec", cfg->name) >= (int)sizeof(name))
		return -ENAMETOOLONG;
	/* no per-lcore cache: only the writer allocates and frees; no channel spreading (the
	 * records are not packet buffers); IOVA contiguity is not needed */
	kt->mp = rte_mempool_create(name, n, sizeof(struct keytab_rec), 0, 0, NULL, NULL, NULL,
				    NULL, cfg->socket_id,
				    RTE_MEMPOOL_F_NO_SPREAD | RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	if (kt->mp == NULL)
		return rte_errno ? -rte_errno : -ENOMEM;
	rte_mempool_mem_iter(kt->mp, dontdump_chunk, &rc);
	return rc;
}

void keytab_pool_free(struct keytab *kt)
{
	if (kt->mp == NULL)
		return;
	rte_mempool_mem_iter(kt->mp, unpoison_chunk, NULL); /* the memory goes back to DPDK */
	rte_mempool_free(kt->mp);
	kt->mp = NULL;
}
