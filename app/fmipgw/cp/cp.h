/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control plane (DESIGN.md "Slow path"): the single writer of the key and binding
 * tables.
 *
 *   control.c    the loop: signals, reload, drain of every worker's ring and of the slow-path
 *                lcores' decisions, expiry sweeps; init
 *   handlers.c   the handler table: one row per control event (dispatch by event)
 *   work.c       struct cp_work: what an lcore needs to do the work that writes no table
 *                (lib/hk's AR state, its own copy of the reloadable values, the key-store
 *                adapter: writer-side lookup on the control lcore, RCU reader lookup plus the
 *                keys it decided but the writer has not committed yet on a slow-path lcore)
 *   prov.c       RtSolPr: the work (SEND verification, key decision, RSA wrap, signing:
 *                hk_ar_rtsolpr) apart from the writer's commit and the reply, which leaves
 *                only after the commit
 *   slow.c       the slow-path lcores ([lcores] slow): RtSolPr work from every worker's ring
 *                to them, decisions to the writer through one ring
 *   cps.c        CPS -> CPA
 *   nd.c         ND for the router: NA/NS into the neighbour table, NA for its addresses
 *   resolve.c    next-hop resolution: held packets, NS timers (fwd.h, lib/route)
 *   icmp6_err.c  Time Exceeded / Destination Unreachable from the routing stage's packets
 *   fwd_setup.c  the FIB, neighbour table and exception ports: start-up, reload, timers
 *   fbu_event.c  an accepted FBU: hk_fbu_check (A4, A21, flags, Alt-CoA)
 *   fbu_event.c  an accepted FBU: hk_fbu_check (A4, A21, flags, Alt-CoA), then handover.c
 *   handover.c   the binding an accepted FBU asks for, its FBack (fback.c), the HI to the NAR
 *                and its HAck (hi.c), the NAR role (nar.c): handover.h is the map
 *   creds.c      the credentials checks shared with `--check`
 *   ctrl_tx.c    sending on the control lcore's TX queue (or worker 0's relay)
 *   latency.c    provisioning latency samples (RX at a worker -> reply handed to the PMD)
 *   reload.c     SIGHUP: the reloadable keys, applied to the workers' policers and lib/hk
 *
 * Time: lib/hk and lib/send use 48.16 wall-clock time (send_time_now()); the key table uses
 * whole seconds of the TSC (gw_now_s()), which the workers read without a system call.
 */
#ifndef FMIPGW_CP_H
#define FMIPGW_CP_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "counters.h"
#include "gw.h"
#include "idle.h"
#include "hk.h"
#include "send.h"

#define CP_LAT_SAMPLES 4096

#define CP_PENDING 64 /* keys a slow-path lcore decided and the writer may not hold yet */

/* Keys a slow-path lcore handed out in decisions not yet seen in the table: a second
 * RtSolPr of the same CGA (all of a CGA's go to one slow lcore) gets the same key (RFC 5269
 * 3.2: "MUST return the existing key"), not a second one. */
struct cp_pending {
	struct {
		struct hk_key key;
		uint64_t tsc; /* when decided; 0: free */
	} e[CP_PENDING];
	unsigned next;
};

/*
 * The work of a control event that writes no table: it reads the key table, verifies, decides
 * and builds the reply; the writer commits the decision.  One per lcore doing such work (the
 * control lcore's, and one per slow-path lcore); nothing in it is shared between lcores, its
 * OpenSSL objects (the replay cache, the router key in creds) included.
 */
struct cp_work {
	struct gw *gw;
	struct gw_counters *cnt; /* the counters of the lcore doing the work */
	unsigned qsbr_id;	 /* RCU reader id; CP_WRITER: the writer (no RCU needed) */
	unsigned share;		 /* slow-path lcores sharing the A19 failure-reply rate */
	uint32_t cfg_gen;	 /* the reload generation this copy reflects */
	struct send_cfg send;	 /* this lcore's copy of [send] (reloadable keys applied) */
	struct hk_ar_cfg ar;
	struct hk_ar_state ar_st;
	struct send_cpa_server cpa;
	struct cp_pending pend;
	uint64_t hk_reason[HK_R__COUNT];
	uint64_t send_reason[SEND_R__COUNT];
	struct hk_ar_out out; /* large: kept here, not on the stack */
	struct send_cpa_out cpa_out;
	struct wire_frame frame;
};
#define CP_WRITER (~0u)

/* A slow-path lcore's key decision, handed to the writer (a gw->dec_pool object). */
struct cp_decision {
	struct rte_mbuf *m; /* the RtSolPr: the reply goes to its source MAC, out of its port */
	uint64_t rx_tsc;
	struct hk_ar_out out;
};

struct cp_ho;

struct gw_ctrl {
	struct gw_counters cnt;
	struct gw *gw;
	struct cp_ho *ho; /* the handover state (handover.h); NULL in the unit tests */
	unsigned lcore;
	uint16_t txq; /* the control lcore's TX queue on every port */
	struct send_creds creds;
	struct send_trust *trust;
	struct cp_work work;
	uint64_t keys_per_at[MAC_AT_MAX]; /* live keys per AT, refreshed at each sweep */
	/* provisioning latency (RX at a worker -> PrRtAdv handed to the PMD), microseconds */
	uint32_t lat_us[CP_LAT_SAMPLES];
	uint64_t lat_n;
	uint64_t next_sweep;
} __attribute__((aligned(64)));

/* A slow-path lcore ([lcores] slow): it serves the RtSolPr rings of every worker (its column:
 * worker w's ring number idx), round robin, does the work with its own cp_work and hands each
 * decision to the writer through gw->dec_ring. */
struct cp_slow {
	struct gw_counters cnt;
	struct gw *gw;
	unsigned idx; /* its column in the workers' slow rings */
	unsigned lcore;
	unsigned next; /* the worker whose ring is served first in the next turn */
	struct dp_idle idle;
	struct send_creds creds; /* its own copy of the router's key: no EVP_PKEY is shared */
	struct cp_work work;
} __attribute__((aligned(64)));

/* control.c */
/* Build the control plane on lcore (credentials, lib/hk, the CPA server, the replay cache).
 * 0, or -1 with err. */
int cp_create(struct gw *gw, unsigned lcore, char *err, size_t errlen);
void cp_free(struct gw *gw);
int cp_main(void *arg); /* arg: struct gw_ctrl *; returns when stopped */
/* After the workers stopped: what is still queued is freed (not served). */
void cp_drain_after_stop(struct gw *gw);

/* handlers.c */
struct cp_handler {
	const char *name;
	void (*fn)(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
};
extern const struct cp_handler cp_handlers[GW_EV__COUNT];
/* Handle one mbuf from a worker by its event through table (the caller frees it).  An event
 * the table has no row for is counted (nd_rx) and dropped. */
void cp_dispatch(struct gw_ctrl *c, struct rte_mbuf *m, const struct cp_handler *table);

/* the handlers (prov.c, cps.c, fbu_event.c, nd.c, resolve.c, icmp6_err.c) */
void cp_on_rtsolpr(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_cps(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_fbu(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_nd(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_resolve(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_err_hlim(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_err_noroute(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);

/* resolve.c: forward m (a frame the routing stage routed) to mac out of port (index); the
 * neighbour timers (NS to send), every FWD_TICK_MS. */
void cp_fwd_send(struct gw_ctrl *c, struct rte_mbuf *m, unsigned port, const uint8_t mac[6]);
void cp_neigh_timers(struct gw_ctrl *c);
void cp_on_hi(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);	 /* nar.c */
void cp_on_hack(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc); /* hi.c */

/* handover.c */
/* The binding table's end callback (arg: struct gw *): A13, the key goes with the binding. */
struct binding_end;
void cp_binding_on_end(void *arg, const struct binding_end *e);
/* Per control-loop turn: the HI timers (rte_timer_manage) and the periodic binding sweep. */
void cp_handover_tick(struct gw_ctrl *c, uint64_t now_tsc);

/* work.c */
/* The work context of an lcore: lib/hk's AR configuration and state, the CPA server, from gw's
 * configuration; creds: that lcore's router credentials.  0, or -1 with err. */
int cp_work_init(struct cp_work *wk, struct gw *gw, const struct send_creds *creds,
		 const struct send_trust *trust, struct gw_counters *cnt, unsigned qsbr_id,
		 unsigned share, char *err, size_t errlen);
/* The reloadable values into wk's own copies (run on wk's own lcore). */
void cp_work_apply(struct cp_work *wk);
void cp_work_free(struct cp_work *wk);
/* lib/hk's key-store adapter over wk (the lookup its lcore may do). */
const struct hk_keystore *cp_work_keystore(struct cp_work *wk, struct hk_keystore *ks);
/* A slow-path lcore decided key (an INSERT not yet committed by the writer). */
void cp_work_pending_add(struct cp_work *wk, const struct hk_key *key);

/* prov.c: the work and the commit, apart */
const struct hk_ar_out *cp_prov_work(struct cp_work *wk, struct rte_mbuf *m);
/* The writer's part: commit out's key op (INSERT: keytab_add; EXISTING: the table must
 * still hold that key), then the reply.  out's key is cleansed. */
void cp_prov_commit(struct gw_ctrl *c, struct rte_mbuf *m, struct hk_ar_out *out, uint64_t rx_tsc);

/* slow.c: the slow-path lcores */
int cp_slow_create(struct gw *gw, unsigned idx, unsigned lcore, char *err, size_t errlen);
void cp_slow_free(struct gw *gw);
int cp_slow_main(void *arg); /* arg: struct cp_slow * */
/* The writer: commit up to max decisions of the slow-path lcores; the number done. */
unsigned cp_slow_commit(struct gw_ctrl *c, unsigned max);

/* creds.c: EAL-free credential checks (--check and cp_create): load the router's credentials,
 * default router_addr from them, the certificate covers [router] prefixes, the path leads to
 * the anchor.  0 (creds and *trust to be freed by the caller) or -1 with "file:line: what". */
int cp_creds_check(struct gw_config *cfg, struct send_creds *creds, struct send_trust **trust,
		   char *err, size_t errlen);

/* ctrl_tx.c: send pkt (an IPv6 packet) out of port with an Ethernet header to dst_mac (vlan
 * -1: none).  0, or -1 counted by cause: ctrl_alloc_failed, ctrl_tx_too_long, ctrl_tx_failed. */
int cp_tx(struct gw_ctrl *c, uint16_t port, const uint8_t dst_mac[6], int vlan, const uint8_t *pkt,
	  size_t len);
/* Send the frame m as it is out of port (DPDK id); m is consumed.  0, or -1 counted
 * (ctrl_tx_failed). */
int cp_tx_mbuf(struct gw_ctrl *c, uint16_t port, struct rte_mbuf *m);

/* latency.c */
void cp_latency_record(struct gw_ctrl *c, uint64_t rx_tsc);
/* Percentile (0..100) of the recorded provisioning latencies, microseconds; 0 if none. */
uint32_t cp_latency_pct(const struct gw_ctrl *c, unsigned pct);

/* latency.c: an IPv6 address as text for DEBUG lines (buf of INET6_ADDRSTRLEN). */
const char *cp_addr(const uint8_t a[16], char *buf);

/* reload.c */
void cp_apply_runtime(struct gw *gw);
void cp_reload(struct gw *gw);

#endif /* FMIPGW_CP_H */
