/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn engine: the world (every node, read-only once set up), shards (the nodes one lcore
 * drives, its clocks, rate buckets, path cache, counters) and nodes (one RFC 5269 mobile node
 * each, on lib/hk's MN role).  No DPDK here: frames leave through a sink (an mbuf ring in live
 * mode, a pcap in offline mode, an array in the tests) and come in through mn_shard_rx().
 *
 * A node follows a plan made at set-up: provision, then each handover (an FBU from the PAR's
 * or the NAR's link, the FBack check, data to the PCoA, reverse-tunnelled data), its attacks,
 * and the return to the PAR (FBU lifetime 0).  Its key is re-provisioned before HK-LIFETIME
 * runs out (hk_mn_refresh_due).  Every frame sent is counted by kind when the sink took it.
 */
#ifndef FMIP_MN_H
#define FMIP_MN_H

#include <stdbool.h>
#include <stdint.h>

#include "hk.h"
#include "mac.h"
#include "scen.h"
#include "send.h"
#include "stats.h"
#include "wire.h"

#define MN_FRAME_MAX 2200 /* Ethernet + the largest RtSolPr (RSA-4096) */
#define MN_FBU_MAX   192

/* Now, in both clocks: monotonic nanoseconds (timers, latency) and SEND's 48.16 wall time. */
struct mn_now {
	uint64_t ns;
	uint64_t wall48;
};

/* Plan steps (one octet each). */
enum mn_step {
	STEP_PROVISION = 0,
	STEP_RESOLICIT, /* another RtSolPr once the key is there (provision.repeat) */
	STEP_HO_PAR,	/* FBU from the PAR's link (predictive) */
	STEP_HO_NAR,	/* FBU from the NAR's link (reactive) */
	STEP_DATA,	/* correspondent -> PCoA */
	STEP_REVERSE,	/* NCoA -> tunnel end, inner PCoA -> correspondent */
	STEP_RETURN,	/* FBU lifetime 0 from the PAR's link */
	STEP_FORGED,	/* attacks */
	STEP_REPLAY_FBU,
	STEP_UNKNOWN_FBU,
	STEP_BADSIG,
	STEP_REPLAY_SOL,
	STEP_MALFORMED,
	STEP__COUNT
};

enum mn_state {
	NS_IDLE = 0,   /* the current step has not started */
	NS_SOLICIT,    /* RtSolPr outstanding */
	NS_WAIT_PATH,  /* a PrRtAdv is kept until the router's path is validated */
	NS_WAIT_FBACK, /* FBU sent, FBack awaited */
	NS_DONE,       /* plan finished (or given up) */
};

/* The router certification path cache: one per shard (shared) or per node. */
struct mn_path {
	X509 *router;	    /* the validated router certificate (owned) */
	uint8_t addr[16];   /* the router's link-local address it is for */
	bool have, cps_out; /* validated / a CPS is outstanding */
	uint16_t ident;
	uint8_t tries;
	uint64_t t_next; /* CPS retransmission, ns */
	struct send_cpa_client client;
	uint32_t *waiting; /* local node indices with a kept PrRtAdv */
	unsigned n_wait, cap_wait;
};

struct mn_node {
	struct send_creds creds; /* the CGA key pair and parameters */
	struct hk_mn hk;	 /* lib/hk MN role: encryption key pairs, solicitations, keys */
	uint32_t id, local;	 /* index in the world, index in its shard */
	uint8_t mac[6];
	uint8_t ll[16];	  /* fe80:: + the CGA's interface id: the CPS source */
	uint8_t ncoa[16]; /* NAR prefix + interface id (or what an FBack Status 1 assigned) */
	uint8_t ar[16];	  /* the router the key came from (PrRtAdv source) */
	uint8_t at;	  /* AT asked for */
	uint8_t state;	  /* enum mn_state */
	uint8_t tries;	  /* RtSolPr retransmissions so far */
	bool refreshing;  /* the outstanding RtSolPr re-provisions */
	bool at_nar;
	bool has_key; /* a key was received (from ar) */
	bool failed;  /* gave up provisioning */
	bool plan_counted;
	bool fb_pending;   /* an FBU awaits its FBack */
	bool fb_acked;	   /* fb_seq's FBack was verified (copies may follow) */
	uint16_t seq;	   /* last FBU Sequence # */
	uint16_t fb_seq;   /* the FBU an FBack is awaited for */
	uint16_t fb_life;  /* its Lifetime field */
	uint32_t data_seq; /* data and reverse packets sent */
	uint32_t mal_next; /* next malformed kind */
	uint64_t t_next;   /* ns: the next action or the current timeout */
	uint64_t t_start;  /* ns: provisioning started (first RtSolPr) */
	uint64_t t_fbu;	   /* ns: the awaited FBU left */
	uint64_t t_sol;	   /* ns: last RtSolPr */
	uint8_t *plan;
	uint16_t plan_len, pos;
	uint8_t *stash; /* a PrRtAdv waiting for the router path */
	uint16_t stash_len;
	uint8_t *last_sol; /* the node's last RtSolPr (attacks that copy it) */
	uint16_t last_sol_len;
	uint8_t last_fbu[MN_FBU_MAX]; /* its last valid FBU (IPv6) */
	uint8_t last_fbu_len;
	struct mn_path *path; /* path_cache = node */
};

/* Everything shared and read-only while shards run. */
struct mn_world {
	struct mn_scen scen;
	struct send_cfg send;
	struct mac_cfg mac;
	struct mac_engine *eng;
	struct send_trust *trust; /* NULL offline (the in-process router's path is given) */
	struct mn_node *nodes;
	unsigned n_nodes, n_shards;
	struct mn_iid *index; /* interface id -> node, sorted */
	uint8_t tunnel_end[16];
	struct send_creds attacker; /* the flood's CGA */
	uint8_t *flood_tpl;	    /* a signed RtSolPr of the attacker (IPv6) */
	uint16_t flood_tpl_len;
	uint8_t offline_mac[6]; /* offline: the gateway's MAC unless gateway.gw_mac */
	uint8_t cn_mac[6];	/* offline: the correspondent's MAC */
	char cache_sub[600];	/* the identity cache's directory for this (bits, Sec, prefix) */
};

struct mn_iid {
	uint64_t iid;
	uint32_t node;
};

/* Where a shard's frames go.  room(): frames it can take now; emit(): take one (L2 frame);
 * the sink counts it in st when it has left (kind: enum mn_tx; err: lib/wire error for
 * malformed frames). */
struct mn_sink {
	void *ctx;
	unsigned (*room)(void *ctx);
	void (*emit)(void *ctx, unsigned kind, unsigned err, const uint8_t *frame, size_t len);
};

struct mn_bucket {
	double tokens, depth, per_ns;
	uint64_t last;
};

struct mn_shard {
	unsigned idx;
	struct mn_world *w;
	const struct mn_scen *scen;
	struct mn_node **nodes; /* owned: world nodes with id % n_shards == idx */
	unsigned n_nodes, cursor, n_done;
	struct mn_bucket prov, ho, data, attack, flood;
	uint64_t flood_left;
	struct mn_path path; /* path_cache = shared */
	struct mac_ctx *mctx;
	struct mn_stats st;
	struct mn_sink sink;
	uint8_t port_mac[6]; /* the correspondent's MAC */
	uint8_t gw_mac[6];
	bool gw_mac_known;
	uint64_t emitted; /* frames handed to the sink */
	bool finished;	  /* every plan done and the flood sent */
	uint64_t t_finished;
	uint32_t rng;
	struct wire_frame f, inner; /* scratch */
	uint8_t buf[MN_FRAME_MAX];
};

/* world.c */
int mn_world_init(struct mn_world *w, const struct mn_scen *s, unsigned n_shards, char *err,
		  size_t len);
/* Set up node i (identity from the cache or made, hk_mn, first encryption key pair). */
struct mn_ident_cost;
int mn_node_setup(struct mn_world *w, unsigned i, const struct mn_now *now,
		  struct mn_ident_cost *cost, char *err, size_t len);
/* The same for a node whose creds the caller set (tests: the published mn1). */
int mn_node_init(struct mn_world *w, unsigned i, const struct mn_now *now,
		 struct mn_ident_cost *cost, char *err, size_t len);
int mn_world_finish(struct mn_world *w, char *err, size_t len); /* index, attacker */
void mn_world_free(struct mn_world *w);
struct mn_node *mn_world_find(const struct mn_world *w, const uint8_t addr[16]);

/* shard.c */
int mn_shard_init(struct mn_shard *sh, struct mn_world *w, unsigned idx, const struct mn_sink *sink,
		  const uint8_t port_mac[6], const struct mn_now *now);
void mn_shard_free(struct mn_shard *sh);
/* Do what is due (bounded work); true if something was sent. */
bool mn_shard_tick(struct mn_shard *sh, const struct mn_now *now);
/* One received frame (Ethernet). */
void mn_shard_rx(struct mn_shard *sh, const uint8_t *frame, size_t len, const struct mn_now *now);
/* Which shard a received frame is for (by its addresses; CPA by Identifier); -1: every shard. */
int mn_frame_owner(const struct mn_world *w, const uint8_t *frame, size_t len);
bool mn_bucket_take(struct mn_bucket *b, uint64_t now_ns);
/* Emit an IPv6 packet sh->buf + MN_L2 (len octets) with an Ethernet header. */
#define MN_L2 WIRE_ETH_HLEN
void mn_emit_ip6(struct mn_shard *sh, unsigned kind, unsigned err, const uint8_t dst_mac[6],
		 const uint8_t src_mac[6], size_t len);
const uint8_t *mn_gw_mac(const struct mn_shard *sh);

/* node.c */
int mn_plan_make(struct mn_world *w, struct mn_node *n);
void mn_node_step(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now);
void mn_node_prrtadv(struct mn_shard *sh, struct mn_node *n, const uint8_t *ip6, size_t len,
		     const struct mn_now *now);
/* after the path came: process the kept PrRtAdv */
void mn_node_resume(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now);
void mn_node_give_up(struct mn_shard *sh, struct mn_node *n);
void mn_node_next(struct mn_node *n, uint64_t at_ns);

/* node_ho.c: handovers, FBack, data */
bool mn_node_handover(struct mn_shard *sh, struct mn_node *n, enum mn_step step,
		      const struct mn_now *now);
void mn_node_fback(struct mn_shard *sh, struct mn_node *n, const uint8_t *ip6, size_t len,
		   bool tunnelled, const struct mn_now *now);
void mn_node_data(struct mn_shard *sh, struct mn_node *n, bool reverse);
/* A received UDP packet (IPv6, decoded in f): plain to a PCoA, or to the correspondent. */
void mn_rx_udp(struct mn_shard *sh, const struct wire_frame *f);
/* A received IPv6-in-IPv6 packet (decoded in f) for node n's NCoA. */
void mn_rx_tunnel(struct mn_shard *sh, struct mn_node *n, const struct wire_frame *f,
		  const struct mn_now *now);
/* The data packet (node, seq, reverse or not) as sent: inner IPv6 packet; returns its length. */
size_t mn_data_build(const struct mn_world *w, const struct mn_node *n, uint32_t seq, bool reverse,
		     uint8_t *pkt, size_t cap);

/* attack.c */
void mn_node_attack(struct mn_shard *sh, struct mn_node *n, enum mn_step step);
void mn_flood_one(struct mn_shard *sh);
/* The malformed kinds: the lib/wire error each one carries. */
unsigned mn_malformed_count(void);
int mn_malformed_err(unsigned kind);
/* Build malformed kind k from FBU parts (pcoa, ncoa, par) into pkt; returns the length. */
size_t mn_malformed_build(unsigned k, const uint8_t pcoa[16], const uint8_t ncoa[16],
			  const uint8_t par[16], uint8_t *pkt, size_t cap);

/* path.c */
/* A PrRtAdv named a router whose path this node lacks: 1 if the path is known (set, retry the
 * PrRtAdv now), 0 if the PrRtAdv was kept and a CPS is (or was) sent. */
int mn_path_need(struct mn_shard *sh, struct mn_node *n, const uint8_t router[16],
		 const uint8_t *ip6, size_t len, const struct mn_now *now);
void mn_path_cpa(struct mn_shard *sh, const struct wire_frame *f, const struct mn_now *now);
/* A waiting node's turn: retransmit the CPS, or give up the path after the retries. */
void mn_path_tick(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now);
void mn_path_free(struct mn_path *p);
/* Seed a shard's cache with a known router certificate (offline: the in-process router). */
int mn_path_seed(struct mn_shard *sh, const uint8_t router[16], X509 *cert);

#endif /* FMIP_MN_H */
