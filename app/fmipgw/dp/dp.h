/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw data plane: the worker lcore (DESIGN.md "Fast path"; after DPDK examples/l3fwd).
 *
 *   worker.c    the one loop: RX burst -> decode -> classify -> stages -> TX flush ->
 *               quiescent state; building and freeing a worker
 *   classify.c  the classification table (message -> stage, destination rule, event, counters)
 *   fbu.h/.c    every fast-path FBU rule (L1, A23, A2, A13, MAC, L2, A14) and the FBU stage
 *   relay.c     the control stage (policer, ring to the control plane or, for RtSolPr, to a
 *               slow-path lcore chosen by the source address) and worker 0's relay of the
 *               control plane's packets for ports with too few TX queues
 *   dist.c      software distribution for ports with fewer RX queues than workers
 *   idle.c      the idle policy ([lcores] idle)
 *   tunnel.c    the binding stage: packets for a PCoA with a live binding into the
 *               IPv6-in-IPv6 tunnel toward the NCoA, reverse-tunnel packets out of it
 *               (RFC 2473, RFC 5568 4); tunnel_err.c its ICMPv6 errors, in the packet's mbuf
 *   tx.c        per-port TX buffering and [ports] pass_through
 *   policer.c   the per-event token bucket
 *
 * No allocation, lock, OpenSSL call or log line per packet; one bulk key lookup and one MAC
 * burst per batch of FBUs (an RX burst, or a loop turn with [fbu] pipeline_depth 1); the
 * state of a worker is this one struct.
 */
#ifndef FMIPGW_DP_H
#define FMIPGW_DP_H

#include <stdint.h>

#include <rte_hash.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "binding.h"
#include "counters.h"
#include "gw.h"
#include "keytab.h"
#include "mac.h"
#include "idle.h"
#include "policer.h"
#include "route_stage.h"
#include "wire.h"

/* One FBU between its collection and its verification (dp/fbu.c): the mbuf and where the
 * parts of its A2 MAC input are (offsets from the frame start, except auth_off: in the MH). */
struct dp_fbu_pkt {
	struct rte_mbuf *m;
	uint64_t tsc; /* RX time (the control plane's latency figures) */
	uint16_t seq; /* A14 */
	uint16_t mh_off, mh_len, auth_off;
	uint16_t ncoa_off, par_off;
	uint8_t auth_len;
	uint8_t segs; /* a full decode: its MAC input's segments are in dp_fbu_burst.in */
};

/* FBUs a worker may hold from one turn to the next (pipeline depth 1). */
#define DP_FBU_HELD KEYTAB_BATCH_MAX

/* The FBU stage: the key lookup pipeline (two batches, lib/keytab's keytab_pipe) and, beside
 * each batch's keys, its packets; the in-place MAC inputs of the batch being verified. */
struct dp_fbu_burst {
	struct keytab_pipe pipe;
	struct keytab_batch *fill;	/* the batch collect adds to */
	bool fast;			/* [fbu] fast_decode */
	uint8_t of_slot[MAC_BURST_MAX]; /* MAC burst slot -> batch entry */
	unsigned n_drop;
	struct rte_mbuf *drop[KEYTAB_BATCH_MAX]; /* dropped during a verification: one bulk free */
	struct dp_fbu_pkt pkt[2][KEYTAB_BATCH_MAX];    /* [batch][entry] */
	struct wire_mac_input in[2][KEYTAB_BATCH_MAX]; /* full decodes' segments (A2) */
	struct wire_mac_inplace ip[KEYTAB_BATCH_MAX];  /* start NULL: not in place */
};

/* The tunnel stage's burst (dp/tunnel.c): the packets that may be for a PCoA (one bulk
 * binding lookup) and the reverse-tunnel packets (one bulk reverse-tunnel check), and the
 * worker's tunnel settings. */
struct dp_tunnel_burst {
	unsigned n, nr;
	struct rte_mbuf *m[GW_BURST_MAX];
	const struct wire_frame *f[GW_BURST_MAX];
	const uint8_t *dst[GW_BURST_MAX]; /* in the frames */
	hash_sig_t sig[GW_BURST_MAX];
	const struct binding_rec *rec[GW_BURST_MAX];
	struct rte_mbuf *rm[GW_BURST_MAX];
	struct wire_frame *rf[GW_BURST_MAX]; /* re-decoded after decapsulation */
	struct binding_decap d[GW_BURST_MAX];
	const struct binding_rec *rrec[GW_BURST_MAX];
	struct binding_ctr *ctrs; /* this worker's per-binding counters */
	struct binding_tun_cfg cfg;
	struct wire_ratelim icmp_rl;			 /* RFC 4443 2.4 (f), this worker's share */
	uint8_t err[WIRE_IPV6_MIN_MTU] __rte_aligned(8); /* an ICMPv6 error being built */
};

/* Packets waiting for one TX burst per port at the end of an RX burst. */
struct dp_txbuf {
	uint16_t n[GW_MAX_PORTS];
	struct rte_mbuf *m[GW_MAX_PORTS][GW_BURST_MAX];
};

struct gw_worker {
	struct gw_counters cnt;
	/* read-mostly */
	const struct gw *gw;
	unsigned idx; /* worker index == RCU thread id */
	unsigned lcore;
	uint16_t rxq;	       /* this worker's RX queue on every port that has one for it */
	uint16_t txq;	       /* this worker's TX queue on every port */
	struct rte_ring *ring; /* to the control plane (SP/SC) */
	struct rte_ring *slow_ring[GW_MAX_SLOW]; /* RtSolPr to slow-path lcore k (SP/SC) */
	struct rte_ring *dist_ring; /* packets other workers distributed to this one (MP/SC) */
	struct mac_ctx *mctx;
	struct dp_policer pol; /* rates rewritten by the control plane on reload (atomics) */
	struct dp_idle idle;
	bool intr;    /* idle = interrupt and this worker's queues can interrupt */
	bool polls;   /* it has an RX queue on some port (else only distributed packets) */
	bool starved; /* (atomic) the pool is short for its RX: rx_pool_empty (worker.c) */
	/* burst scratch (never on the stack, never shared) */
	struct rte_mbuf *pkts[GW_BURST_MAX];
	struct wire_frame frames[GW_BURST_MAX];
	struct dp_fbu_burst fbu;
	struct dp_route_burst route;
	struct dp_tunnel_burst tun;
	struct dp_txbuf tx;
} __attribute__((aligned(64)));

/* Build worker idx on lcore: its struct on the lcore's socket, its ring to the control plane,
 * its MAC context, its RCU thread id, its policer.  0, or -1 with err. */
int dp_worker_create(struct gw *gw, unsigned idx, unsigned lcore, struct gw_worker **out, char *err,
		     size_t errlen);
void dp_worker_free(struct gw_worker *w);
int dp_worker_main(void *arg); /* arg: struct gw_worker *; returns when gw->running is 0 */
/* One turn of the loop (shared mode: the control lcore polls too): online, turn, offline.
 * Whether it found work. */
bool dp_worker_poll(struct gw_worker *w);

/* tx.c */
void dp_tx_queue(struct gw_worker *w, unsigned port_index, struct rte_mbuf *m);
void dp_tx_flush(struct gw_worker *w);
/* [ports] pass_through for one packet that is not the gateway's (also non-IPv6 frames). */
void dp_pass_through(struct gw_worker *w, struct rte_mbuf *m);
/* relay.c: queue m on ring r (to the control plane or a slow-path lcore) as event ev; false
 * (m freed) when the ring is full. */
bool dp_to_ctrl(struct gw_worker *w, struct rte_ring *r, struct rte_mbuf *m, unsigned ev,
		uint64_t tsc);
unsigned dp_relay_tx(struct gw_worker *w);
/* tunnel.c: the worker's tunnel settings and counters (at creation). */
void dp_tunnel_init(struct gw_worker *w);
/* tunnel_err.c: answer the IPv6 packet of frame f in m (received at tsc) with an ICMPv6
 * error from src (RFC 4443; type, code, param as wire_build_icmp6_error takes them), built in
 * the worker's scratch and written over m, which goes back out of the port it came in to the
 * frame's Ethernet source; when RFC 4443 2.4 (e) or the rate limit (f) says no, m is dropped
 * and counted.  No allocation: the offending mbuf carries the error. */
void dp_tunnel_icmp_error(struct gw_worker *w, struct rte_mbuf *m, const struct wire_frame *f,
			  const uint8_t src[16], uint8_t type, uint8_t code, uint32_t param,
			  uint64_t tsc);
/* The Ethernet frame [dst, src, vlan (< 0: none), IPv6] of pkt into buf (room octets): its
 * length, or 0 if it does not fit. */
size_t dp_frame_write(uint8_t *buf, size_t room, const uint8_t dst[6], const uint8_t src[6],
		      int vlan, const uint8_t *pkt, size_t len);

/* dist.c: of the n packets of a distributed port's burst, hand those that hash to another
 * worker to it; the ones that stay are compacted to the front.  Returns how many stay. */
uint16_t dp_dist_spread(struct gw_worker *w, struct rte_mbuf **pkts, uint16_t n);
/* The worker a frame belongs to: its IPv6 source and destination hashed (non-IPv6: self). */
unsigned dp_dist_target(const struct gw_worker *w, const struct rte_mbuf *m);

#endif /* FMIPGW_DP_H */
