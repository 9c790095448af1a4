/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/route — the neighbour table's timers (RFC 4861 §7.3.3, as neigh.h keeps it): which NS
 * to send, when an entry goes STALE, DELAY, PROBE, FAILED, and when it is removed.
 */
#include <string.h>

#include "neigh_priv.h"

static void act_make(struct neigh_action *a, const struct neigh_rec *r, enum neigh_act_kind kind)
{
	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)kind;
	a->port = r->key.port;
	memcpy(a->addr, r->key.addr, 16);
	neigh_word_mac(r->pub.word, a->mac);
}

/* INCOMPLETE and due: the next multicast NS, or FAILED. */
static int incomplete_due(struct neigh_table *t, struct neigh_rec *r, uint64_t now,
			  struct neigh_action *a)
{
	if (r->probes < t->cfg.mcast_solicit) {
		act_make(a, r, NEIGH_ACT_NS_MCAST);
		r->probes++;
		r->due = now + t->cfg.retrans_ms;
		NST_INC(t, ns_mcast);
		return 1;
	}
	act_make(a, r, NEIGH_ACT_FAILED);
	a->dropped = (uint16_t)neigh_q_drop(t, r);
	neigh_set(r, NEIGH_FAILED, NULL);
	r->due = now + t->cfg.failed_ms;
	NST_INC(t, failed);
	return 1;
}

/* PROBE and due: the next unicast NS, or the entry goes (RFC 4861 §7.3.3). */
static int probe_due(struct neigh_table *t, struct neigh_rec *r, uint64_t now,
		     struct neigh_action *a)
{
	if (r->probes < t->cfg.ucast_solicit) {
		act_make(a, r, NEIGH_ACT_NS_UCAST);
		r->probes++;
		r->due = now + t->cfg.retrans_ms;
		NST_INC(t, ns_ucast);
		return 1;
	}
	NST_INC(t, probe_failed);
	neigh_remove(t, r);
	return 0;
}

/*
 * One entry at time now: returns the number of actions written to a (0 or 1), or -1 when the
 * entry was removed.  Entries that need an action are only visited when an action slot is
 * free (the caller checks).
 */
static int entry_tick(struct neigh_table *t, struct neigh_rec *r, uint64_t now,
		      struct neigh_action *a)
{
	if (r->state == NEIGH_STALE && __atomic_load_n(&r->pub.used, __ATOMIC_RELAXED)) {
		neigh_set(r, NEIGH_DELAY, NULL); /* a worker sent through it */
		r->due = now + t->cfg.delay_ms;
		return 0;
	}
	if (now < r->due)
		return 0;
	switch (r->state) {
	case NEIGH_INCOMPLETE:
		return incomplete_due(t, r, now, a);
	case NEIGH_REACHABLE:
		neigh_set(r, NEIGH_STALE, NULL);
		r->due = now + t->cfg.stale_ms;
		return 0;
	case NEIGH_DELAY:
		neigh_set(r, NEIGH_PROBE, NULL);
		r->due = now; /* the first unicast NS now */
		return probe_due(t, r, now, a);
	case NEIGH_PROBE:
		return probe_due(t, r, now, a) ? 1 : -1;
	case NEIGH_STALE:
	case NEIGH_FAILED:
	default:
		NST_INC(t, expired);
		neigh_remove(t, r);
		return -1;
	}
}

/* Whether visiting r now may write an action (so it needs a free slot). */
static bool may_act(const struct neigh_rec *r, uint64_t now)
{
	return now >= r->due &&
	       (r->state == NEIGH_INCOMPLETE || r->state == NEIGH_DELAY || r->state == NEIGH_PROBE);
}

unsigned neigh_timer(struct neigh_table *t, uint64_t now, struct neigh_action *act, unsigned max)
{
	struct neigh_rec *r, *next;
	unsigned n = 0;

	for (r = TAILQ_FIRST(&t->dyn); r != NULL; r = next) {
		next = TAILQ_NEXT(r, link);
		if (n == max && may_act(r, now))
			continue; /* still due at the next call */
		if (entry_tick(t, r, now, &act[n < max ? n : 0]) > 0)
			n++;
	}
	rcuhash_reclaim(t->rh, 32);
	return n;
}
