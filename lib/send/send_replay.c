/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 3971 §5.3.4.2 replay cache (PROTOCOL.md 2.4): per-peer RDlast/TSlast in an OpenSSL
 * LHASH over a bounded slot array; the read-only verdict (send_replay_peek) and the
 * check-and-update (send_replay_check) share one implementation of the formulas.
 */
#include "send.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/lhash.h>

struct send_peer {
	uint8_t addr[16];
	uint64_t rdlast, tslast; /* 48.16 */
	unsigned sec;
	bool used;
};

typedef struct send_peer SEND_PEER;
DEFINE_LHASH_OF(SEND_PEER);

static unsigned long peer_hash(const struct send_peer *p)
{
	uint32_t h = 2166136261u; /* FNV-1a over the address */

	for (unsigned i = 0; i < 16; i++)
		h = (h ^ p->addr[i]) * 16777619u;
	return h;
}

static int peer_cmp(const struct send_peer *a, const struct send_peer *b)
{
	return memcmp(a->addr, b->addr, 16);
}

struct send_replay {
	LHASH_OF(SEND_PEER) * h;
	struct send_peer *slots;
	unsigned n, used;
	int64_t delta, fuzz; /* 48.16 */
	uint32_t drift;	     /* permille */
};

struct send_replay *send_replay_new(const struct send_cfg *cfg)
{
	struct send_replay *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->n = cfg->cache_size ? cfg->cache_size : 1;
	r->slots = calloc(r->n, sizeof(*r->slots));
	r->h = lh_SEND_PEER_new(peer_hash, peer_cmp);
	if (r->slots == NULL || r->h == NULL) {
		send_replay_free(r);
		return NULL;
	}
	r->delta = (int64_t)cfg->ts_delta << 16;
	r->fuzz = (int64_t)cfg->ts_fuzz << 16;
	r->drift = cfg->ts_drift_permille;
	return r;
}

void send_replay_free(struct send_replay *r)
{
	if (r == NULL)
		return;
	lh_SEND_PEER_free(r->h);
	free(r->slots);
	free(r);
}

size_t send_replay_count(const struct send_replay *r)
{
	return r->used;
}

static bool peer_stale(const struct send_replay *r, const struct send_peer *p, uint64_t now)
{
	return (int64_t)(now - p->rdlast) >= r->delta;
}

static void peer_drop(struct send_replay *r, struct send_peer *p)
{
	(void)lh_SEND_PEER_delete(r->h, p);
	p->used = false;
	r->used--;
}

/* A slot for a new peer of the given Sec, or NULL (cache full of live, not-lower-Sec peers). */
static struct send_peer *peer_slot(struct send_replay *r, unsigned sec, uint64_t now)
{
	struct send_peer *victim = NULL;

	for (unsigned i = 0; i < r->n; i++) {
		struct send_peer *p = &r->slots[i];
		if (!p->used)
			return p;
		if (peer_stale(r, p, now)) {
			peer_drop(r, p);
			return p;
		}
		if (p->sec < sec && (victim == NULL || p->sec < victim->sec ||
				     (p->sec == victim->sec && p->rdlast < victim->rdlast)))
			victim = p;
	}
	if (victim != NULL)
		peer_drop(r, victim);
	return victim;
}

/* The live entry of peer, or NULL (absent, or stale: then it counts as a new peer). */
static struct send_peer *peer_live(const struct send_replay *r, const uint8_t peer[16],
				   uint64_t now)
{
	struct send_peer key, *p;

	memcpy(key.addr, peer, 16);
	p = lh_SEND_PEER_retrieve(r->h, &key);
	return p != NULL && !peer_stale(r, p, now) ? p : NULL;
}

/* The §5.3.4.2 formulas for a new peer (p NULL) or a known one; no state is touched. */
static int replay_verdict(const struct send_replay *r, const struct send_peer *p, uint64_t ts,
			  uint64_t now)
{
	if (p == NULL) {
		/* New peer: -Delta < RDnew - TSnew < +Delta. */
		__int128 d = (__int128)now - (__int128)ts;
		return d > -(__int128)r->delta && d < (__int128)r->delta ? SEND_R_OK
									 : SEND_R_TS_WINDOW;
	}
	/*
	 * Known peer: TSnew + fuzz > TSlast + (RDnew - RDlast) * (1 - drift) - fuzz, multiplied
	 * by 1000 so that drift in permille is exact.
	 */
	__int128 lhs = ((__int128)ts + r->fuzz) * 1000;
	__int128 rhs = ((__int128)p->tslast - r->fuzz) * 1000 +
		       ((__int128)now - (__int128)p->rdlast) * (1000 - (__int128)r->drift);
	return lhs > rhs ? SEND_R_OK : SEND_R_TS_REPLAY;
}

int send_replay_peek(const struct send_replay *r, const uint8_t peer[16], uint64_t ts, uint64_t now)
{
	return replay_verdict(r, peer_live(r, peer, now), ts, now);
}

int send_replay_check(struct send_replay *r, const uint8_t peer[16], unsigned sec, uint64_t ts,
		      uint64_t now)
{
	struct send_peer key, *p;
	int v;

	memcpy(key.addr, peer, 16);
	p = lh_SEND_PEER_retrieve(r->h, &key);
	if (p != NULL && peer_stale(r, p, now)) {
		peer_drop(r, p);
		p = NULL;
	}
	if ((v = replay_verdict(r, p, ts, now)) != SEND_R_OK)
		return v;
	if (p == NULL) {
		if ((p = peer_slot(r, sec, now)) == NULL)
			return SEND_R_CACHE_FULL;
		memcpy(p->addr, peer, 16);
		p->rdlast = now;
		p->tslast = ts;
		p->sec = sec;
		p->used = true;
		r->used++;
		(void)lh_SEND_PEER_insert(r->h, p);
		return SEND_R_OK;
	}
	if (ts > p->tslast) {
		p->tslast = ts;
		p->rdlast = now;
	}
	if (sec > p->sec)
		p->sec = sec;
	return SEND_R_OK;
}
