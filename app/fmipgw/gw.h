/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw — internal interfaces between the gateway's modules.
 *
 *   main.c       start-up only: EAL, options, wiring the modules together, shutdown
 *   config.c     the configuration table, rte_cfgfile parsing, file:line errors, reload
 *   ports.c      ethdev set-up: queues, RSS, mempools, start-up checks
 *   worker.c     the fast path (one struct gw_worker per worker lcore)
 *   control.c    the control lcore (struct gw_ctrl): provisioning, CPS, FBU events, sweeps
 *   telemetry.c  /fmipgw/... commands
 *
 * Every lcore's state is one cache-aligned struct passed explicitly.  The only file-scope
 * state is the signal flags (main.c) and the telemetry context pointer (telemetry.c: DPDK
 * 22.11's rte_telemetry_register_cmd() callbacks take no user argument).
 */
#ifndef FMIPGW_GW_H
#define FMIPGW_GW_H

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_ring.h>
#include <rte_rcu_qsbr.h>

#include "counters.h"
#include "hk.h"
#include "keytab.h"
#include "mac.h"
#include "send.h"
#include "wire.h"

#define GW_MAX_PORTS	 8
#define GW_MAX_WORKERS	 16
#define GW_MAX_PAR	 8
#define GW_MAX_PREFIXES	 8
#define GW_MAX_APS	 32
#define GW_BURST_MAX	 64
#define GW_LAT_SAMPLES	 4096
#define GW_PATH_MAX	 256
#define GW_RET_RING_SIZE 1024 /* control -> worker 0 return ring (ctrl_via_worker ports) */

/* rte_log types (registered in main.c); used through the GW_LOG macro. */
struct gw_logtypes {
	int fast, ctrl, cfg, crypto;
};
extern struct gw_logtypes gw_log;
#define GW_LOG(type, level, ...) \
	rte_log(RTE_LOG_##level, gw_log.type, "fmipgw." #type ": " __VA_ARGS__)

/* ------------------------------------------------------------------------------------------ */
/* Configuration                                                                               */
/* ------------------------------------------------------------------------------------------ */

enum gw_pass { GW_PASS_DROP = 0, GW_PASS_SAME, GW_PASS_OTHER };

struct gw_policer_cfg {
	uint32_t rate;	/* packets per second per worker; 0: no limit */
	uint32_t burst; /* bucket depth, packets */
};

enum { GW_CLS_RTSOLPR = 0, GW_CLS_CPS, GW_CLS_ND, GW_CLS__COUNT };

struct gw_config {
	char file[GW_PATH_MAX];
	/* [router] */
	char key_file[GW_PATH_MAX];
	char params_file[GW_PATH_MAX];
	char cert_file[GW_PATH_MAX];
	char anchor_file[GW_PATH_MAX];
	uint8_t router_addr[16]; /* link-local; zero: the CGA of params_file */
	bool has_router_addr;
	struct send_prefix prefixes[GW_MAX_PREFIXES];
	unsigned n_prefixes;
	/* [par] */
	uint8_t par[GW_MAX_PAR][16];
	unsigned n_par;
	/* [ap.NAME] sections */
	struct hk_ap aps[GW_MAX_APS];
	unsigned n_aps;
	/* [keys] */
	uint32_t capacity;
	uint32_t hk_lifetime;
	uint32_t sweep_interval_ms;
	uint32_t sweep_batch;
	/* [mac] */
	struct mac_cfg mac;
	/* [send] */
	struct send_cfg send;
	bool reply_on_failure;
	uint32_t failure_reply_rate;
	/* [fbu] */
	struct hk_fbu_policy fbu;
	/* [policer] */
	struct gw_policer_cfg pol[GW_CLS__COUNT];
	/* [rings] */
	uint32_t ring_size;
	/* [ports] */
	enum gw_pass pass;
	uint32_t mbufs;
	uint32_t mbuf_cache;
	uint32_t rx_desc, tx_desc;
	uint32_t burst;
	bool rss;
	bool promiscuous;
	/* [lcores] */
	int control_lcore; /* -1: the main lcore */
	/* [log] */
	uint32_t log_level;

	/* the effective value of every key as text, for /fmipgw/config (no secrets in it) */
	char (*text)[160];     /* replaced whole on reload (atomic pointer store), never edited */
	char (*text_old)[160]; /* the array the last reload replaced, freed at the next one */
};

/* Parse file into cfg (defaults for absent keys).  0, or -1 with a "file:line: what" message
 * in err.  cfg->text is allocated (config_free). */
int config_load(const char *file, struct gw_config *cfg, char *err, size_t errlen);
void config_free(struct gw_config *cfg);
/* Copy the reloadable keys of nw into cur; start-up-only keys that differ are named in
 * warn (logged by the caller).  Returns the number of start-up-only keys that changed. */
int config_apply_reload(struct gw_config *cur, const struct gw_config *nw, char *warn,
			size_t warnlen);
unsigned config_nkeys(void);
/* Key i: "section", "key", "type", "default", reloadable, "help". */
void config_key_info(unsigned i, const char **section, const char **key, const char **type,
		     const char **def, bool *reload, const char **help);
/* Print the documentation of every key (--help-config). */
void config_print_help(FILE *f);
/* The same as a markdown table (docs/operations.md, --config-md). */
void config_print_md(FILE *f);
/* The line of [section] key in cfg's file (else of the section header; 0 if absent), for
 * `file:line:` messages about values that only fail later (credentials, certificates). */
unsigned config_key_line(const struct gw_config *cfg, const char *section, const char *key);
/* Refuse private key files readable by group or others (and missing files). */
int config_check_key_file(const char *path, char *err, size_t errlen);

/* ------------------------------------------------------------------------------------------ */
/* Lcores                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* Class of an mbuf queued to the control lcore (stored in the mbuf dynfield). */
enum gw_ev { GW_EV_RTSOLPR = 1, GW_EV_CPS, GW_EV_ND, GW_EV_FBU_OK };

/* Per-mbuf metadata carried from worker to control (an rte_mbuf dynamic field). */
struct gw_mbuf_meta {
	uint64_t rx_tsc; /* when the worker received it (provisioning latency) */
	uint32_t ev;	 /* enum gw_ev */
};

struct gw;

struct gw_tb { /* TSC token bucket: credit in TSC ticks */
	uint64_t last;
	uint64_t credit;
};

struct gw_worker {
	struct gw_counters cnt;
	/* read-mostly */
	const struct gw *gw;
	unsigned idx; /* worker index == RCU thread id */
	unsigned lcore;
	uint16_t rxq;	       /* this worker's RX queue on every port */
	uint16_t txq;	       /* this worker's TX queue on every port */
	struct rte_ring *ring; /* to the control lcore (SP/SC) */
	struct mac_ctx *mctx;
	/* policer, rates updated by control on reload (atomics) */
	uint64_t pol_cost[GW_CLS__COUNT]; /* ticks per packet (0: no limit) */
	uint64_t pol_cap[GW_CLS__COUNT];  /* bucket depth in ticks */
	struct gw_tb tb[GW_CLS__COUNT];
	/* burst scratch (never on the stack, never shared) */
	struct rte_mbuf *pkts[GW_BURST_MAX];
	struct wire_frame frames[GW_BURST_MAX];
	struct wire_mac_input min[GW_BURST_MAX];
	struct mac_job jobs[GW_BURST_MAX];
	const uint8_t *cgas[GW_BURST_MAX];
	hash_sig_t sigs[GW_BURST_MAX];
	struct keytab_rec *recs[GW_BURST_MAX];
	uint16_t fbu_idx[GW_BURST_MAX];
	struct rte_mbuf *tx[GW_MAX_PORTS][GW_BURST_MAX];
	uint16_t ntx[GW_MAX_PORTS];
} __attribute__((aligned(64)));

struct gw_ctrl {
	struct gw_counters cnt;
	struct gw *gw;
	unsigned lcore;
	uint16_t txq; /* the control lcore's TX queue on every port */
	struct rte_mempool *pool;
	/* provisioning */
	struct send_creds creds;
	struct send_trust *trust;
	struct hk_ar_cfg ar;
	struct hk_ar_state ar_st;
	struct send_cpa_server cpa;
	uint64_t keys_per_at[MAC_AT_MAX]; /* live keys per AT, refreshed at each sweep */
	uint64_t hk_reason[HK_R__COUNT];
	uint64_t send_reason[SEND_R__COUNT];
	/* provisioning latency (RX at a worker -> PrRtAdv handed to the PMD), microseconds */
	uint32_t lat_us[GW_LAT_SAMPLES];
	uint64_t lat_n;
	uint64_t next_sweep;
	struct hk_ar_out out; /* large: kept here, not on the stack */
	struct send_cpa_out cpa_out;
	struct wire_frame frame;
} __attribute__((aligned(64)));

struct gw_port {
	uint16_t id;
	struct rte_ether_addr mac;
	uint16_t nb_rxq, nb_txq;
	bool rss;
	bool ctrl_via_worker; /* too few TX queues: control TX goes through worker 0 */
	char name[64];
};

struct gw {
	struct gw_config cfg;
	volatile int running; /* 0: workers stop (written by the control lcore) */
	uint64_t tsc_hz;
	int mbuf_meta_off; /* dynfield offset of struct gw_mbuf_meta */
	struct gw_port ports[GW_MAX_PORTS];
	unsigned n_ports;
	struct rte_mempool *pool;
	struct rte_rcu_qsbr *qsv;
	struct mac_engine *mac;
	struct keytab *kt;
	unsigned n_workers;
	struct gw_worker *workers[GW_MAX_WORKERS];
	struct gw_ctrl *ctrl;
	struct rte_ring *ret_ring; /* control -> worker 0 TX, for ports with ctrl_via_worker */
	uint64_t start_tsc;
	double duration; /* seconds; 0: run until a signal */
};

static inline struct gw_mbuf_meta *gw_meta(const struct gw *gw, struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, gw->mbuf_meta_off, struct gw_mbuf_meta *);
}

/* Seconds since boot from the TSC: the key table's clock (keytab never reads a clock). */
static inline uint64_t gw_now_s(const struct gw *gw)
{
	return rte_get_tsc_cycles() / gw->tsc_hz;
}

/* ports.c */
int ports_init(struct gw *gw, char *err, size_t errlen);
void ports_stop(struct gw *gw);

/* worker.c */
int worker_main(void *arg); /* arg: struct gw_worker * */
/* One turn of the loop (single-lcore mode): online, RX every port, quiescent, offline. */
void worker_poll(struct gw_worker *w);
void worker_set_policer(struct gw_worker *w, const struct gw_config *cfg, uint64_t hz);
/* The per-class token bucket (credit in TSC ticks, rate/burst from worker_set_policer()):
 * 1 the packet passes, 0 it is over the rate.  now: the TSC. */
int worker_policer_take(struct gw_worker *w, int cls, uint64_t now);
/* Classification helpers shared with control and tests. */
bool gw_is_par(const struct gw_config *cfg, const uint8_t a[16]);
bool gw_is_router_dst(const struct gw_config *cfg, const uint8_t ll[16], const uint8_t a[16]);

/* control.c */
/* EAL-free credential checks (--check and ctrl_init): load the router's credentials, default
 * router_addr from them, the certificate covers [router] prefixes, the path leads to the
 * anchor.  0 (creds and *trust to be freed by the caller) or -1 with "file:line: what". */
int gw_creds_check(struct gw_config *cfg, struct send_creds *creds, struct send_trust **trust,
		   char *err, size_t errlen);
int ctrl_init(struct gw *gw, struct gw_ctrl *c, char *err, size_t errlen);
int ctrl_main(void *arg); /* arg: struct gw_ctrl *; returns when stopped */
void ctrl_free(struct gw_ctrl *c);
void ctrl_drain_after_stop(struct gw_ctrl *c);
/* Percentile (0..100) of the recorded provisioning latencies, microseconds; 0 if none. */
uint32_t ctrl_latency_pct(const struct gw_ctrl *c, unsigned pct);

/* telemetry.c */
int telemetry_init(struct gw *gw, char *err, size_t errlen);
/* Before teardown: commands answer -1 from now on; returns when none is running. */
void telemetry_stop(void);
void counters_sum(const struct gw *gw, struct gw_counters *sum);
void counters_print_md(FILE *f);

/* main.c: signal flags (the handlers only set them) */
extern volatile sig_atomic_t gw_sig_stop;
extern volatile sig_atomic_t gw_sig_hup;

#endif /* FMIPGW_GW_H */
