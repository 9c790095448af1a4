/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/send — where OpenSSL keeps its memory (send.h, "Private keys out of core dumps").
 *
 * OpenSSL 3.0 keeps a private key's BIGNUMs, the Montgomery contexts of p and q it caches, and
 * the temporaries of every RSA operation on its ordinary heap, and no public API lets a caller
 * place them.  So every OpenSSL allocation goes through the functions installed here
 * (CRYPTO_set_mem_functions): once the caller has named its secret allocator (memory marked
 * MADV_DONTDUMP, for instance) all of them come from it; before that, and for the blocks made
 * before it, libc's.  free/realloc go to whichever allocator owns the block.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "send.h"

static const struct send_secret_alloc *secret;

static void *mem_malloc(size_t n, const char *file, int line)
{
	const struct send_secret_alloc *a = __atomic_load_n(&secret, __ATOMIC_ACQUIRE);

	(void)file;
	(void)line;
	return a != NULL ? a->alloc(n) : malloc(n);
}

static void mem_free(void *p, const char *file, int line)
{
	const struct send_secret_alloc *a = __atomic_load_n(&secret, __ATOMIC_ACQUIRE);

	(void)file;
	(void)line;
	if (p != NULL && a != NULL && a->owns(p))
		a->free(p);
	else
		free(p);
}

static void *mem_realloc(void *p, size_t n, const char *file, int line)
{
	const struct send_secret_alloc *a = __atomic_load_n(&secret, __ATOMIC_ACQUIRE);
	size_t old;
	void *q;

	if (a == NULL)
		return realloc(p, n);
	if (p == NULL)
		return mem_malloc(n, file, line);
	if (a->owns(p))
		return a->realloc(p, n);
	/* a block from before the secret allocator: moved into it */
	q = a->alloc(n);
	if (q == NULL)
		return NULL;
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	OPENSSL_cleanse(p, old);
	free(p);
	return q;
}

int send_mem_install(void)
{
	return CRYPTO_set_mem_functions(mem_malloc, mem_realloc, mem_free) == 1 ? 0 : -1;
}

void send_mem_secret(const struct send_secret_alloc *a)
{
	__atomic_store_n(&secret, a, __ATOMIC_RELEASE);
}

void send_mem_shutdown(void)
{
	OPENSSL_cleanup(); /* explicitly, while the secret allocator still works */
}
