/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw control plane (DESIGN.md "Slow path"): the single writer of the key table.
 *
 *   control.c    the loop: signals, reload, drain of every worker's ring, expiry sweeps; init
 *   handlers.c   the handler table: one row per control event (dispatch by event)
 *   prov.c       RtSolPr: the work that writes no table (SEND verification, key decision, RSA
 *                wrap, signing: struct cp_work, hk_ar_rtsolpr) apart from the writer's
 *                commit and the reply, which leaves only after the commit
 *   cps.c        CPS -> CPA
 *   fbu_event.c  an accepted FBU: hk_fbu_check (A4, A21, flags, Alt-CoA)
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
#include "hk.h"
#include "send.h"

#define CP_LAT_SAMPLES 4096

/*
 * The work of a control event that writes no table: it reads the key table, verifies, decides
 * and builds the reply; the writer commits the decision.  One per lcore doing such work (one
 * today: the control lcore); nothing in it is shared between lcores.
 */
struct cp_work {
	struct gw_counters *cnt; /* the counters of the lcore doing the work */
	struct hk_ar_cfg ar;
	struct hk_ar_state ar_st;
	struct send_cpa_server cpa;
	uint64_t hk_reason[HK_R__COUNT];
	uint64_t send_reason[SEND_R__COUNT];
	struct hk_ar_out out; /* large: kept here, not on the stack */
	struct send_cpa_out cpa_out;
	struct wire_frame frame;
};

struct gw_ctrl {
	struct gw_counters cnt;
	struct gw *gw;
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

/* the handlers (prov.c, cps.c, fbu_event.c, handlers.c) */
void cp_on_rtsolpr(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_cps(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_fbu(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);
void cp_on_nd(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);

/* prov.c: the work and the commit, apart */
const struct hk_ar_out *cp_prov_work(struct cp_work *wk, struct gw *gw, struct rte_mbuf *m);
void cp_prov_commit(struct gw_ctrl *c, struct rte_mbuf *m, uint64_t rx_tsc);

/* creds.c: EAL-free credential checks (--check and cp_create): load the router's credentials,
 * default router_addr from them, the certificate covers [router] prefixes, the path leads to
 * the anchor.  0 (creds and *trust to be freed by the caller) or -1 with "file:line: what". */
int cp_creds_check(struct gw_config *cfg, struct send_creds *creds, struct send_trust **trust,
		   char *err, size_t errlen);

/* ctrl_tx.c: send pkt (an IPv6 packet) out of port with an Ethernet header to dst_mac (vlan
 * -1: none).  0, or -1 counted in ctrl_tx_failed. */
int cp_tx(struct gw_ctrl *c, uint16_t port, const uint8_t dst_mac[6], int vlan, const uint8_t *pkt,
	  size_t len);

/* latency.c */
void cp_latency_record(struct gw_ctrl *c, uint64_t rx_tsc);
/* Percentile (0..100) of the recorded provisioning latencies, microseconds; 0 if none. */
uint32_t cp_latency_pct(const struct gw_ctrl *c, unsigned pct);

/* reload.c */
void cp_apply_runtime(struct gw *gw);
void cp_reload(struct gw *gw);

#endif /* FMIPGW_CP_H */
