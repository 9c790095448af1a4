/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/binding — the readers' side (see binding.h): bulk lookups, the reverse-tunnel check,
 * per-worker counter arrays, and the telemetry view of one binding.
 */
#include <string.h>

#include <rte_hash.h>

#include "binding_priv.h"

void binding_info_get(const struct binding_table *bt, const struct binding_rec *r, uint64_t now,
		      struct binding_info *out)
{
	memset(out, 0, sizeof(*out));
	memcpy(out->pcoa, r->pcoa, 16);
	memcpy(out->ncoa, r->ncoa, 16);
	memcpy(out->par, r->par, 16);
	memcpy(out->tun_src, r->tun_src, 16);
	out->state = r->state;
	out->seq = r->seq;
	out->lifetime = r->lifetime;
	out->left = r->expires > now ? r->expires - now : 0;
	for (unsigned w = 0; w < bt->n_workers; w++) {
		const struct binding_ctr *c = ctr_at(bt, w, r->slot);

		out->ctr.tun_pkts += __atomic_load_n(&c->tun_pkts, __ATOMIC_RELAXED);
		out->ctr.tun_bytes += __atomic_load_n(&c->tun_bytes, __ATOMIC_RELAXED);
		out->ctr.rev_pkts += __atomic_load_n(&c->rev_pkts, __ATOMIC_RELAXED);
		out->ctr.rev_bytes += __atomic_load_n(&c->rev_bytes, __ATOMIC_RELAXED);
	}
}

struct binding_ctr *binding_worker_ctrs(struct binding_table *bt, unsigned worker)
{
	if (worker >= bt->n_workers)
		return NULL;
	return ctr_at(bt, worker, 0);
}

unsigned binding_lookup_bulk(const struct binding_table *bt, const uint8_t *const pcoas[],
			     const hash_sig_t sigs[], unsigned n, const struct binding_rec *recs[])
{
	return rcuhash_lookup_bulk(bt->rh, (const void *const *)pcoas, sigs, n,
				   (void **)(uintptr_t)recs);
}

uint64_t binding_rtun_check_bulk(const struct binding_table *bt, const struct binding_decap d[],
				 const hash_sig_t *sigs, unsigned n, uint64_t now,
				 const struct binding_rec *recs[])
{
	const uint8_t *keys[RTE_HASH_LOOKUP_BULK_MAX];
	hash_sig_t own[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t ok = 0;

	if (n > RTE_HASH_LOOKUP_BULK_MAX) {
		for (unsigned i = RTE_HASH_LOOKUP_BULK_MAX; i < n; i++)
			recs[i] = NULL;
		n = RTE_HASH_LOOKUP_BULK_MAX;
	}
	for (unsigned i = 0; i < n; i++) {
		keys[i] = d[i].inner_src;
		if (sigs == NULL)
			own[i] = binding_sig(bt, keys[i]);
	}
	if (binding_lookup_bulk(bt, keys, sigs ? sigs : own, n, recs) == 0)
		return 0;
	for (unsigned i = 0; i < n; i++) {
		const struct binding_rec *r = recs[i];

		if (r != NULL && binding_rec_live(r, now) &&
		    memcmp(r->ncoa, d[i].outer_src, 16) == 0 &&
		    memcmp(r->tun_src, d[i].outer_dst, 16) == 0)
			ok |= 1ull << i;
		else
			recs[i] = NULL;
	}
	return ok;
}
