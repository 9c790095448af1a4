/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn counters, declared once: what the simulator sent (by kind, counted when the PMD or
 * the pcap took the frame), what it received (by kind), and the outcomes of its plans.  The
 * X-macro tables drive the struct, the text report, the JSON report and docs/fmip-mn.md.
 * Latency samples (microseconds) are kept whole so that percentiles are exact.
 */
#ifndef FMIP_MN_STATS_H
#define FMIP_MN_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hk.h"
#include "wire.h"

/* X(name, help): frames sent. */
#define MN_TX_KINDS(X)                                                                        \
	X(rtsolpr, "RtSolPr, the first solicitation of a provisioning")                       \
	X(rtsolpr_retry, "RtSolPr retransmitted (no answer in time)")                         \
	X(rtsolpr_refresh, "RtSolPr before HK-LIFETIME runs out (re-provisioning)")           \
	X(cps, "CPS: the router's certification path was not cached")                         \
	X(fbu_par, "valid FBU from the PAR's link (source PCoA, Alternate CoA NCoA)")         \
	X(fbu_nar, "valid FBU from the NAR's link (source NCoA)")                             \
	X(fbu_return, "valid FBU with lifetime 0 from the PAR's link: back at the PAR")       \
	X(fbu_forged, "attack: FBU with a wrong authenticator")                               \
	X(fbu_replayed, "attack: copy of the node's last valid FBU")                          \
	X(fbu_unknown, "attack: FBU for a PCoA that has no key")                              \
	X(rtsolpr_badsig, "attack: RtSolPr from the node's CGA with a broken signature")      \
	X(rtsolpr_replayed, "attack: copy of the node's last RtSolPr")                        \
	X(rtsolpr_flood, "attack: flood RtSolPr with a bad signature (attacker CGA)")         \
	X(malformed, "attack: malformed frames (by lib/wire error in tx.malformed_by_error)") \
	X(data, "UDP from the correspondent to a PCoA")                                       \
	X(reverse, "reverse-tunnelled UDP from an NCoA (IPv6-in-IPv6 to the tunnel end)")

/* X(name, help): frames received. */
#define MN_RX_KINDS(X)                                                                           \
	X(prrtadv_key_new, "PrRtAdv with a new handover key (verified, decrypted, stored)")      \
	X(prrtadv_key_existing, "PrRtAdv with the node's existing key")                          \
	X(prrtadv_nokey, "PrRtAdv answering a node's solicitation without a key")                \
	X(prrtadv_failure, "PrRtAdv without a nonce (A19 reply to an unverified RtSolPr)")       \
	X(prrtadv_refused, "PrRtAdv lib/hk refused (by reason in prrtadv_refused_by_reason)")    \
	X(prrtadv_attacker, "PrRtAdv to the flood's CGA (A19 replies to the flood)")             \
	X(prrtadv_no_path, "PrRtAdv kept for a router path that did not validate (dropped)")     \
	X(cpa, "CPA components")                                                                 \
	X(fback_ok, "FBack: BADF verified, sequence and status as expected")                     \
	X(fback_bad, "FBack refused (by reason in fback_refused_by_reason)")                     \
	X(fback_tunnelled, "FBacks that came IPv6-in-IPv6 (also counted as ok, copy or bad)")    \
	X(fback_copy, "verified copy of an FBack already taken (the PAR answers on both links)") \
	X(data_plain, "data to a PCoA delivered as sent (not tunnelled)")                        \
	X(data_tunnel_ok, "data to a PCoA tunnelled to the NCoA, inner packet intact")           \
	X(data_tunnel_bad, "tunnelled data with a wrong outer header or a changed inner packet") \
	X(reverse_ok, "reverse-tunnelled data delivered to the correspondent intact")            \
	X(reverse_bad, "reverse-tunnelled data delivered changed")                               \
	X(reverse_returned, "reverse-tunnelled packets that came back still tunnelled")          \
	X(other, "frames for no node, or of no kind the simulator expects")                      \
	X(malformed, "frames lib/wire refused")

/* X(name, help): what the plans came to. */
#define MN_OUTCOMES(X)                                                                      \
	X(prov_ok, "provisionings that ended with a key")                                   \
	X(prov_failed, "provisionings that gave up (no answer after the retries, refused)") \
	X(refresh_ok, "re-provisionings that ended with a key")                             \
	X(path_ok, "router certification paths validated from CPA")                         \
	X(path_failed, "CPS that got no valid path")                                        \
	X(handovers, "handovers (a valid FBU sent)")                                        \
	X(returns, "returns to the PAR (FBU lifetime 0)")                                   \
	X(fback_timeout, "FBUs with no FBack within handover.fback_timeout_ms")             \
	X(enc_rotations, "handover-key encryption key pairs made (HKEPK rules)")            \
	X(skipped, "plan steps skipped (no key left, nothing to replay)")                   \
	X(plans_done, "nodes that finished their plan")

/* X(name, help): why an FBack was refused. */
#define MN_FBACK_REASONS(X)                                                  \
	X(malformed, "lib/wire refused it, or it is not an FBack")           \
	X(no_key, "the node holds no key for the router")                    \
	X(mac, "the BADF authenticator does not verify with the node's key") \
	X(addr, "not from the PAR, or not to the node's NCoA or PCoA")       \
	X(unexpected, "no FBU is awaiting an FBack")                         \
	X(seq, "the sequence is not the awaited FBU's")                      \
	X(status, "the status refuses the FBU (128 or more)")                \
	X(lifetime, "the granted lifetime is longer than the FBU asked (A4)")

#define MN_ENUM(n, h) MN_TX_##n,
enum mn_tx { MN_TX_KINDS(MN_ENUM) MN_TX__COUNT };
#undef MN_ENUM
#define MN_ENUM(n, h) MN_RX_##n,
enum mn_rx { MN_RX_KINDS(MN_ENUM) MN_RX__COUNT };
#undef MN_ENUM
#define MN_ENUM(n, h) MN_OUT_##n,
enum mn_out { MN_OUTCOMES(MN_ENUM) MN_OUT__COUNT };
#undef MN_ENUM
#define MN_ENUM(n, h) MN_FB_##n,
enum mn_fb { MN_FBACK_REASONS(MN_ENUM) MN_FB__COUNT };
#undef MN_ENUM

const char *mn_tx_name(unsigned k);

/* Latency samples, microseconds. */
struct mn_samples {
	uint32_t *v;
	size_t n, cap;
};
void mn_samples_add(struct mn_samples *s, uint64_t us);
void mn_samples_free(struct mn_samples *s);

struct mn_stats {
	uint64_t tx[MN_TX__COUNT];
	uint64_t tx_malformed[WIRE_E__COUNT]; /* by the lib/wire error each frame carries */
	uint64_t rx[MN_RX__COUNT];
	uint64_t out[MN_OUT__COUNT];
	uint64_t prrtadv_reason[HK_R__COUNT];
	uint64_t fback_reason[MN_FB__COUNT];
	uint64_t tx_frames, tx_bytes, rx_frames;
	uint64_t tx_retry; /* TX bursts the PMD took only part of (retried, never dropped) */
	struct mn_samples prov, reprov, fback; /* first provisioning, later RtSolPr, FBack */
};

/* sum += s (samples appended). */
void mn_stats_add(struct mn_stats *sum, const struct mn_stats *s);
void mn_stats_free(struct mn_stats *s);

/* Percentiles of a sample set (sorted in place). */
struct mn_pct {
	size_t n;
	uint32_t p50, p90, p99, max;
};
void mn_samples_pct(struct mn_samples *s, struct mn_pct *p);

/* What the report says about the run besides the counters. */
struct mn_run_info {
	const char *mode; /* "live" or "offline" */
	const char *scenario;
	const char *output; /* offline: the pcap */
	unsigned nodes, lcores;
	double seconds;
	/* identities */
	unsigned ids_generated, ids_loaded;
	double id_keygen_s, id_search_s, id_load_s, enc_keygen_s, ids_wall_s;
	unsigned id_bits, id_sec;
	const struct mn_scen *scen;
};

/* The end-of-run report: text (stdout) and JSON (--json FILE).  0, or -1 (JSON not written). */
void mn_report_text(FILE *f, struct mn_stats *st, const struct mn_run_info *ri);
int mn_report_json(const char *path, struct mn_stats *st, const struct mn_run_info *ri);
/* The counter tables as Markdown (--counters-md; docs/fmip-mn.md has them). */
void mn_counters_md(FILE *f);
/* One progress line (no newline): rate and outcomes so far. */
void mn_progress_line(char *buf, size_t len, const struct mn_stats *st, double t, double tx_rate,
		      unsigned nodes);

#endif /* FMIP_MN_STATS_H */
