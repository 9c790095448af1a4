/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw mbuf sizing: the estimate of sizing.h term by term, the refusals and the warning,
 * each naming the key to change with its file:line.
 */
#include <inttypes.h>
#include <stdio.h>

#include "sizing.h"

uint64_t gw_sizing_neigh(const struct gw_config *cfg, unsigned workers, bool routing)
{
	const struct gw_fwd_cfg *f = &cfg->fwd;
	uint64_t by_table = (uint64_t)f->capacity * f->queue_len, by_rate, hold_ms;

	if (!routing || f->resolve_rate == 0)
		return 0;
	/* a packet waits at most mcast_solicit NSs retrans_ms apart (lib/route neigh_timer.c);
	 * each worker hands over at most resolve_burst + resolve_rate per second meanwhile */
	hold_ms = (uint64_t)f->mcast_solicit * f->retrans_ms;
	by_rate = (uint64_t)workers *
		  (f->resolve_burst + ((uint64_t)f->resolve_rate * hold_ms + 999) / 1000);
	return by_table < by_rate ? by_table : by_rate;
}

void gw_sizing_compute(const struct gw_config *cfg, const struct gw_sizing_layout *l,
		       struct gw_sizing *s)
{
	uint64_t w = l->workers, per_ring = cfg->ring_size ? cfg->ring_size - 1 : 0;

	*s = (struct gw_sizing){ 0 };
	for (unsigned p = 0; p < l->ports && p < GW_SIZING_PORTS; p++) {
		s->rx += (uint64_t)l->rxq[p] * l->rxd[p];
		s->tx += (w + 1) * l->txd[p];
	}
	s->caches =
	    (uint64_t)l->lcores * (cfg->mbuf_cache * GW_SIZING_CACHE_NUM / GW_SIZING_CACHE_DEN);
	s->bursts = w * cfg->burst + GW_SIZING_CTRL_DRAIN + l->slow;
	s->fixed = s->rx + s->tx + s->caches + s->bursts;
	s->held = (cfg->fbu_pipeline_depth != 0 ? w * l->fbu_held : 0) +
		  (l->relay ? l->relay_entries : 0) + (uint64_t)l->slow * GW_SIZING_DECISIONS;
	s->n_rings = w * (1 + l->slow + (l->dist ? 1 : 0));
	s->rings = s->n_rings * per_ring;
	s->neigh = gw_sizing_neigh(cfg, l->workers, l->routing);
	s->total = s->fixed + s->held + s->rings + s->neigh;
}

/* "file:line" of [section] key, or "file" when neither is in it. */
static const char *where(const struct gw_config *cfg, const char *sec, const char *key, char *buf,
			 size_t len)
{
	unsigned line = config_key_line(cfg, sec, key);

	if (line != 0)
		snprintf(buf, len, "%s:%u", cfg->file, line);
	else
		snprintf(buf, len, "%s", cfg->file[0] ? cfg->file : "(configuration)");
	return buf;
}

/* The largest power of two whose ring (size - 1 entries) fits below room, 0 if none. */
static uint64_t ring_fits(uint64_t room)
{
	uint64_t p = 1;

	while (p * 2 - 1 < room)
		p *= 2;
	return p >= 64 ? p : 0;
}

static void risk(const struct gw_config *cfg, const struct gw_sizing *s, char *warn, size_t len)
{
	char at[GW_PATH_MAX + 16];

	if (s->neigh >= s->rings && s->neigh >= s->held)
		snprintf(warn, len,
			 "%s: [neighbours] queue_len = %u: up to %" PRIu64 " packets held for "
			 "unresolved next hops, with everything else the pool can hold (%" PRIu64
			 " in all) exceed [ports] mbufs = %u: a flood to unresolved addresses can "
			 "stop reception; raise mbufs to %" PRIu64
			 " or lower queue_len / resolve_rate / capacity",
			 where(cfg, "neighbours", "queue_len", at, sizeof(at)), cfg->fwd.queue_len,
			 s->neigh, s->total, cfg->mbufs, s->total);
	else if (s->rings >= s->held)
		snprintf(warn, len,
			 "%s: [rings] ring_size = %u: %" PRIu64 " rings of mbufs can hold %" PRIu64
			 ", with everything else the pool can hold (%" PRIu64 " in all) more than "
			 "[ports] mbufs = %u: a control or slow-path lcore that falls behind would "
			 "stop reception; raise mbufs to %" PRIu64 " or lower ring_size",
			 where(cfg, "rings", "ring_size", at, sizeof(at)), cfg->ring_size,
			 s->n_rings, s->rings, s->total, cfg->mbufs, s->total);
	else
		snprintf(
		    warn, len,
		    "%s: [ports] mbufs = %u is below the %" PRIu64 " the queues, caches, rings "
		    "and held packets can take: RX may stall under load; raise mbufs to %" PRIu64,
		    where(cfg, "ports", "mbufs", at, sizeof(at)), cfg->mbufs, s->total, s->total);
}

int gw_sizing_check(const struct gw_config *cfg, const struct gw_sizing *s, char *err,
		    size_t errlen, char *warn, size_t warnlen)
{
	uint64_t per_ring = cfg->ring_size ? cfg->ring_size - 1 : 0, fit;
	char at[GW_PATH_MAX + 16], to[32] = "";

	warn[0] = '\0';
	if (cfg->mbufs < s->fixed) {
		snprintf(err, errlen,
			 "%s: [ports] mbufs = %u cannot work: the RX descriptors (%" PRIu64
			 "), TX descriptors (%" PRIu64 "), lcore caches (%" PRIu64
			 ") and bursts in flight (%" PRIu64 ") alone take %" PRIu64
			 ": raise mbufs to at least %" PRIu64 " (%" PRIu64
			 " with the rings and held packets; docs/operations.md, \"Sizing the mbuf "
			 "pool\"), or lower rx_desc / tx_desc / mbuf_cache",
			 where(cfg, "ports", "mbufs", at, sizeof(at)), cfg->mbufs, s->rx, s->tx,
			 s->caches, s->bursts, s->fixed, s->fixed, s->total);
		return -1;
	}
	if (per_ring != 0 && s->n_rings != 0 && per_ring >= cfg->mbufs - s->fixed) {
		fit = ring_fits(cfg->mbufs - s->fixed);
		if (fit != 0)
			snprintf(to, sizeof(to), " to %" PRIu64, fit);
		snprintf(err, errlen,
			 "%s: [rings] ring_size = %u cannot work: one ring could hold %" PRIu64
			 " mbufs, all the %" PRIu64 " [ports] mbufs = %u leaves beyond the queues, "
			 "caches and bursts: a busy control lcore would stop reception before the "
			 "ring is full; lower ring_size%s or raise mbufs to at least %" PRIu64,
			 where(cfg, "rings", "ring_size", at, sizeof(at)), cfg->ring_size, per_ring,
			 cfg->mbufs - s->fixed, cfg->mbufs, to, s->fixed + per_ring + 1);
		return -1;
	}
	if (s->total > cfg->mbufs)
		risk(cfg, s, warn, warnlen);
	return 0;
}

void gw_sizing_describe(const struct gw_sizing *s, char *buf, size_t len)
{
	snprintf(buf, len,
		 "rx %" PRIu64 " + tx %" PRIu64 " + caches %" PRIu64 " + bursts %" PRIu64
		 " + held %" PRIu64 " + rings %" PRIu64 " + neighbours %" PRIu64 " = %" PRIu64,
		 s->rx, s->tx, s->caches, s->bursts, s->held, s->rings, s->neigh, s->total);
}
