/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/keytab, persistence (keytab.h "Persistence"): a record's persistent fields out
 * (keytab_entry_get), a key installed as it was (keytab_insert: times and sequence set before
 * it is published), and the walk by key slot that a snapshot spread over many control-loop
 * turns needs (keytab_slots, keytab_slot).  Writer only.
 */
#include <errno.h>
#include <string.h>

#include <rte_hash.h>

#include "keytab.h"
#include "keytab_priv.h"

/* The writer's statistics (telemetry reads them with relaxed loads, keytab.c). */
#define ST_INC(kt, f) __atomic_store_n(&(kt)->st.f, (kt)->st.f + 1, __ATOMIC_RELAXED)

void keytab_entry_get(const struct keytab_rec *r, struct keytab_entry *e)
{
	memset(e, 0, sizeof(*e));
	memcpy(e->cga, r->cga, 16);
	memcpy(e->pk_sha1, r->pk_sha1, 20);
	e->at = r->at;
	e->key_len = r->key_len <= KEYTAB_KEY_MAX ? r->key_len : KEYTAB_KEY_MAX;
	memcpy(e->key, r->key, e->key_len);
	e->issued = r->issued;
	e->hk_expires = r->hk_expires;
	e->expires = __atomic_load_n(&r->expires, __ATOMIC_RELAXED);
	e->last_seq = __atomic_load_n(&r->last_seq, __ATOMIC_RELAXED);
}

int keytab_insert(struct keytab *kt, const struct keytab_entry *e)
{
	hash_sig_t sig = rte_hash_hash(kt->h, e->cga);
	struct keytab_rec *r;
	int rc;

	if (e->key_len == 0 || e->key_len > KEYTAB_KEY_MAX || e->expires < e->issued ||
	    e->hk_expires < e->issued) {
		ST_INC(kt, errors);
		return -EINVAL;
	}
	if (rte_hash_lookup_with_hash(kt->h, e->cga, sig) >= 0)
		return -EEXIST;
	if (kt->st.live >= kt->capacity) {
		ST_INC(kt, full);
		return -ENOSPC;
	}
	r = keytab_rec_alloc(kt);
	if (r == NULL) {
		ST_INC(kt, errors);
		return -ENOMEM;
	}
	rc = mac_key_init(kt->mac, &r->mac, e->at, e->key, e->key_len);
	if (rc != 0) {
		keytab_rec_zero_free(kt, r);
		ST_INC(kt, errors);
		return rc;
	}
	memcpy(r->cga, e->cga, 16);
	memcpy(r->pk_sha1, e->pk_sha1, 20);
	r->at = e->at;
	r->key_len = e->key_len;
	memcpy(r->key, e->key, e->key_len);
	r->issued = e->issued;
	r->hk_expires = e->hk_expires;
	r->expires = e->expires;
	r->last_seq = e->last_seq & 0x1ffffu;
	/* publishes the complete record (release store of the new key slot) */
	rc = rte_hash_add_key_with_hash_data(kt->h, e->cga, sig, keytab_rec_tag(r));
	if (rc == -ENOSPC) {
		/* slots of deleted keys may be past their grace period now */
		rte_rcu_qsbr_dq_reclaim(kt->dq, UINT32_MAX, NULL, NULL, NULL);
		rc = rte_hash_add_key_with_hash_data(kt->h, e->cga, sig, keytab_rec_tag(r));
	}
	if (rc != 0) {
		keytab_rec_zero_free(kt, r); /* never published */
		if (rc == -ENOSPC)
			ST_INC(kt, full);
		else
			ST_INC(kt, errors);
		return rc;
	}
	ST_INC(kt, added);
	ST_INC(kt, live);
	return 0;
}

uint32_t keytab_slots(const struct keytab *kt)
{
	int32_t n = rte_hash_max_key_id(kt->h);

	return n > 0 ? (uint32_t)n : 0;
}

int keytab_slot(const struct keytab *kt, uint32_t slot, const struct keytab_rec **rec)
{
	void *key = NULL, *data = NULL;

	/* the key stored in the slot, if the table finds it there (a freed or a deleted key's
	 * slot still holds its old octets: the lookup tells) */
	if (slot >= keytab_slots(kt) ||
	    rte_hash_get_key_with_position(kt->h, (int32_t)slot, &key) != 0 ||
	    rte_hash_lookup_data(kt->h, key, &data) != (int32_t)slot)
		return 0;
	*rec = keytab_data_rec(data);
	return 1;
}
