/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-gw — what its two files share: the options, the MNs and their frames' split over the
 * workers (bench_gw_frames.c builds the frames and the pcap files before the EAL starts;
 * bench_gw.c runs the gateway's worker loop on them and checks every decision).
 */
#ifndef FMIPGW_BENCH_GW_H
#define FMIPGW_BENCH_GW_H

#include <stdbool.h>
#include <stdint.h>

#include "counters.h"
#include "gw.h"

#define BG_MAX_WINDOWS 32
#define BG_FILE_LEN    40

struct bg_opts {
	unsigned n, at, windows, depth;
	unsigned workers; /* -w: worker lcores (gw->n_workers) */
	bool dist;	  /* -d: one RX queue, the gateway's software distribution ([lcores]) */
	bool mem;	  /* -M: measure the key and binding tables' memory per MN */
	double secs;
	bool quiet, slow_decode;
	int arch;
};

struct bg_mn {
	uint8_t pcoa[16];
	uint8_t key[32];
};

/* One worker's share of the MNs: the ones dp_dist_target() hands to it (as RSS on the IPv6
 * addresses would), in the order of their frames; frame j of a share is forged when
 * j % 8 == 7, so a share's stream of laps says exactly how many forged frames it holds. */
struct bg_share {
	unsigned n, n_valid;
};

struct bg_frames {
	unsigned workers;
	struct bg_share share[GW_MAX_WORKERS];
	/* without -d: one file per worker (its share), one RX queue each; with -d: file[0]
	 * holds every frame in the order they were made (the shares interleaved) */
	unsigned n_files;
	char file[GW_MAX_WORKERS][BG_FILE_LEN];
};

/* Per window: elapsed ticks per RX packet, every worker's RX (Mpps), busy ticks of all
 * workers per processed packet, each worker's processed packets (Mpps). */
struct bg_result {
	double tpp[BG_MAX_WINDOWS], total[BG_MAX_WINDOWS], cpu[BG_MAX_WINDOWS];
	double per[GW_MAX_WORKERS][BG_MAX_WINDOWS];
};

/* The check's outcome; the exit status 0, 3, 1. */
enum bg_verdict { BG_OK = 0, BG_INCONCLUSIVE, BG_FAILED };

/* The packets a worker ran through its stages: its RX kept, plus what others handed it. */
static inline uint64_t bg_processed(const struct gw_counters *k)
{
	return k->rx_packets - k->dist_tx - k->drop_dist_full + k->dist_rx;
}

/* bench_gw_frames.c: o->n MNs with random PCoAs and keys into mns, their frames into the pcap
 * file(s) of fr.  0, or -1 (said on stderr). */
int bg_frames_build(const struct bg_opts *o, struct bg_mn *mns, struct bg_frames *fr);
void bg_frames_unlink(const struct bg_frames *fr);
/* The forged frames among the first `seen` of a share's endless stream (laps of its n). */
uint64_t bg_forged_in(const struct bg_share *s, uint64_t seen);

/* bench_gw_report.c: the table (one worker: the row bench_gw_a.py reads; several: totals and
 * each worker's share), the "# data" line bench_scale.py and sizing.py read, the verdict. */
void bg_report(const struct gw *gw, const struct bg_opts *o, const struct bg_frames *fr,
	       struct bg_result *r, enum bg_verdict v);

#endif /* FMIPGW_BENCH_GW_H */
