/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw secret memory (DESIGN.md "Secrets"): a DPDK external malloc heap, "fmipgw_secrets",
 * over pages this file maps and marks MADV_DONTDUMP (never in a core dump), locked when the
 * memlock limit allows (never swapped).  Every OpenSSL allocation comes from it once it exists
 * (send_mem_secret): the router's private key, RSA's working copies of it, the temporaries of
 * every RSA operation, the handover keys OpenSSL wraps; the key records and their MAC states
 * are on MADV_DONTDUMP pages of their own (lib/keytab).  At the end main.c runs OpenSSL's
 * cleanup (send_mem_shutdown) before gw_secmem_close() and the EAL's; anything OpenSSL would
 * still do after that is served by libc, and frees into the heap are ignored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <rte_errno.h>
#include <rte_malloc.h>

#include "gw.h"
#include "send.h"

#define SECMEM_HEAP "fmipgw_secrets"

static uint8_t *base;
static size_t size;
static int socket_id = -1;
static bool closed;

static bool owns(const void *p)
{
	return base != NULL && (const uint8_t *)p >= base && (const uint8_t *)p < base + size;
}

static void *sec_alloc(size_t n)
{
	if (__atomic_load_n(&closed, __ATOMIC_ACQUIRE))
		return malloc(n); /* after the EAL: libc's (free() knows it is not ours) */
	return rte_malloc_socket(NULL, n, 0, socket_id);
}

static void *sec_realloc(void *p, size_t n)
{
	if (__atomic_load_n(&closed, __ATOMIC_ACQUIRE))
		return NULL; /* send_mem_shutdown() ran: OpenSSL reallocates nothing any more */
	return rte_realloc_socket(p, n, 0, socket_id);
}

static void sec_free(void *p)
{
	if (!__atomic_load_n(&closed, __ATOMIC_ACQUIRE))
		rte_free(p); /* DPDK zeroes freed memory */
}

static const struct send_secret_alloc secmem = { sec_alloc, sec_realloc, sec_free, owns };

int gw_secmem_init(size_t bytes, char *err, size_t errlen)
{
	size_t pg = 4096;

	size = (bytes + pg - 1) & ~(pg - 1);
	base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		base = NULL;
		snprintf(err, errlen, "secret memory: mmap of %zu octets: %s", size,
			 strerror(errno));
		return -1;
	}
	if (madvise(base, size, MADV_DONTDUMP) != 0) {
		snprintf(err, errlen, "secret memory: madvise(MADV_DONTDUMP): %s", strerror(errno));
		munmap(base, size);
		base = NULL;
		return -1;
	}
	if (mlock(base, size) != 0)
		GW_LOG(crypto, NOTICE,
		       "secret memory (%zu KiB) not locked: %s; it may be swapped (raise `ulimit "
		       "-l` / LimitMEMLOCK to lock it)\n",
		       size >> 10, strerror(errno));
	if (rte_malloc_heap_create(SECMEM_HEAP) != 0 ||
	    rte_malloc_heap_memory_add(SECMEM_HEAP, base, size, NULL, 0, pg) != 0 ||
	    (socket_id = rte_malloc_heap_get_socket(SECMEM_HEAP)) < 0) {
		snprintf(err, errlen, "secret memory: DPDK external heap: %s",
			 rte_strerror(rte_errno));
		return -1;
	}
	send_mem_secret(&secmem);
	return 0;
}

void gw_secmem_close(void)
{
	__atomic_store_n(&closed, true, __ATOMIC_RELEASE);
}
