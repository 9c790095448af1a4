/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw counters, declared once (DESIGN.md "Counters are declared once").
 *
 * X(name, unit, help).  This one table generates the fields of struct gw_counters (one
 * instance per lcore, cache aligned); counters.c is its one emitter: the telemetry
 * dictionaries of /fmipgw/stats and /fmipgw/lcore, --stats-json, and the counter table of
 * docs/operations.md (`fmipgw -- --counters-md`; the test `fmipgw-doc-counters` fails when the
 * document and this table differ).  Malformed drops are one counter per lib/wire error
 * (WIRE_ERRORS), named malformed_<err>.  Code that picks a counter by a table row uses
 * GW_CNT_OFF(name) and gw_cnt(); there are no if-chains over counters.
 */
#ifndef FMIPGW_COUNTERS_H
#define FMIPGW_COUNTERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire.h"

#define GW_COUNTERS(X)                                                                            \
	/* fast path: every frame */                                                              \
	X(rx_packets, "packets", "frames received by workers")                                    \
	X(rx_bursts, "bursts", "non-empty RX bursts")                                             \
	X(rx_pool_empty, "events",                                                                \
	  "pool starvations: an RX turn found nothing, the pool had less than a burst left")      \
	X(drop_multiseg, "packets", "dropped: chained mbuf (the fast path reads one segment)")    \
	X(drop_malformed, "packets", "dropped: lib/wire refused the frame (sum of malformed_*)")  \
	/* FBUs to a PAR address */                                                               \
	X(fbu_rx, "packets", "FBUs addressed to a PAR address")                                   \
	X(fbu_accepted, "packets", "FBUs whose authenticator verified with a newer sequence")     \
	X(drop_fbu_spi, "packets", "dropped: FBU whose BADF SPI is not 0 (L1)")                   \
	X(drop_fbu_no_hao, "packets", "dropped: FBU without Home Address option (A23)")           \
	X(drop_fbu_no_key, "packets", "dropped: no handover key for the PCoA")                    \
	X(drop_fbu_expired, "packets", "dropped: the PCoA's key is past its lifetime (A13)")      \
	X(drop_fbu_bad_mac, "packets", "dropped: authenticator does not verify (forged)")         \
	X(drop_fbu_stale_seq, "packets", "dropped: sequence not newer than the last (A14)")       \
	X(drop_fbu_mac_input, "packets", "dropped: MAC input could not be formed")                \
	X(drop_fbu_ring_full, "packets",                                                          \
	  "dropped: verified FBU, ring to control full (sequence not consumed)")                  \
	/* traffic for the control lcore */                                                       \
	X(ctrl_rtsolpr, "packets", "RtSolPr queued to the control lcore")                         \
	X(ctrl_cps, "packets", "CPS queued to the control lcore")                                 \
	X(ctrl_nd, "packets", "other ND/SEND/MH messages for the router queued to control")       \
	X(drop_policer_rtsolpr, "packets", "dropped: RtSolPr over the policer rate")              \
	X(drop_policer_cps, "packets", "dropped: CPS over the policer rate")                      \
	X(drop_policer_nd, "packets", "dropped: other control traffic over the policer rate")     \
	X(drop_ring_full, "packets", "dropped: ring to control full (not FBUs; not ctrl_*)")      \
	X(ctrl_hi, "packets", "HI (MH 14) queued to the control lcore")                           \
	X(ctrl_hack, "packets", "HAck (MH 15) queued to the control lcore")                       \
	X(drop_policer_hi, "packets", "dropped: HI over the policer rate")                        \
	X(drop_policer_hack, "packets", "dropped: HAck over the policer rate")                    \
	/* the tunnel stage (dp/tunnel.c; RFC 2473, RFC 5568 4) */                                \
	X(tun_encap, "packets", "packets for a PCoA encapsulated toward its NCoA (IPv6-in-IPv6)") \
	X(tun_decap, "packets", "reverse-tunnelled packets of a live binding decapsulated")       \
	X(tun_pending, "packets", "packets for a PCoA whose binding awaits the HAck (handed on)") \
	X(tun_too_big, "packets", "packets over the tunnel MTU (Packet Too Big, RFC 2473 7.1)")   \
	X(tun_hop_limit, "packets", "packets for a PCoA with Hop Limit <= 1 (Time Exceeded)")     \
	X(tun_icmp_tx, "packets", "ICMPv6 errors sent by the tunnel stage (in the mbuf)")         \
	X(drop_tun_icmp_limited, "packets",                                                       \
	  "dropped: ICMPv6 error over [tunnel] icmp_error_rate (RFC 4443 2.4 f)")                 \
	X(drop_tun_icmp_refused, "packets",                                                       \
	  "dropped: no ICMPv6 error allowed for the packet (RFC 4443 2.4 e)")                     \
	X(drop_tun_unmatched, "packets",                                                          \
	  "dropped: tunnel packet to a tunnel source matching no live binding (never forwarded)") \
	X(drop_tun_malformed, "packets", "dropped: frame the tunnel functions cannot parse")      \
	X(drop_tun_ext_hdr, "packets", "dropped: tunnel packet with tunnel extension headers")    \
	X(drop_tun_unusable, "packets",                                                           \
	  "dropped: mbuf the tunnel cannot write (segmented, shared, no headroom)")               \
	/* everything else */                                                                     \
	X(pass_tx, "packets",                                                                     \
	  "sent by workers (passed, forwarded, tunnelled, punted, injected, tunnel ICMPv6 "       \
	  "errors)")                                                                              \
	X(drop_pass, "packets", "dropped: not for the gateway and pass_through = drop")           \
	X(drop_tx_full, "packets", "dropped: TX queue full")                                      \
	/* the routing stage (dp/route.c) */                                                      \
	X(fwd_packets, "packets", "forwarded (FIB, neighbour, Hop Limit - 1)")                    \
	X(fwd_drop_no_route, "packets", "dropped: no route (Destination Unreachable 0 answered)") \
	X(fwd_drop_hlim, "packets", "dropped: Hop Limit 0 or 1 (Time Exceeded, rate limited)")    \
	X(fwd_drop_scope, "packets", "dropped: link-local source, not to leave its link")         \
	X(fwd_drop_l2_other, "packets", "dropped: unicast frame for another MAC (promiscuous)")   \
	X(fwd_drop_multicast, "packets", "dropped: multicast beyond link scope or not taken")     \
	X(fwd_to_resolve, "packets", "handed to control: next hop not resolved yet")              \
	X(fwd_drop_unresolved, "packets", "dropped: next hop unresolved, over resolve_rate")      \
	X(fwd_drop_neigh_failed, "packets", "dropped: the next hop failed to resolve")            \
	X(icmp6_err_queued, "packets", "ICMPv6 errors handed to control to build and send")       \
	X(icmp6_err_ratelimited, "packets", "ICMPv6 errors not sent: [icmp6] error_rate")         \
	X(icmp6_err_suppressed, "packets", "ICMPv6 errors not sent: RFC 4443 2.4 (e) rules")      \
	X(exc_punted, "packets", "for the router: sent to the exception port (kernel)")           \
	X(exc_injected, "packets", "from an exception port (kernel): out of its data port")       \
	X(exc_drop_no_port, "packets", "dropped: for the router, its port has no exception port") \
	/* software distribution ([lcores] distribute) */                                         \
	X(dist_tx, "packets", "handed to the worker their addresses hash to (distributed port)")  \
	X(dist_rx, "packets", "received from another worker's distribution")                      \
	X(drop_dist_full, "packets", "dropped: the target worker's distribution ring was full")   \
	/* every polling lcore */                                                                 \
	X(busy_ticks, "TSC ticks", "time in loop turns that found work (load = busy / uptime)")   \
	X(idle_sleeps, "events", "sleeps or interrupt waits of the idle policy ([lcores] idle)")  \
	X(idle_wakeups, "events", "interrupt waits that ended with an RX interrupt")              \
	/* control lcore */                                                                       \
	X(rtsolpr_rx, "packets", "RtSolPr served (control or slow-path lcores)")                  \
	X(keys_provisioned, "keys", "new handover keys committed to the key table")               \
	X(keys_existing, "keys", "RtSolPr answered with the CGA's existing key")                  \
	X(keys_commit_failed, "keys", "key commits refused by the key table (full, error)")       \
	X(prov_stale_decision, "packets",                                                         \
	  "replies not sent: a slow-path lcore's key is no longer the table's")                   \
	X(rtsolpr_refused, "packets", "RtSolPr that provisioned no key (lib/hk reason != ok)")    \
	X(rtsolpr_send_failed, "packets", "RtSolPr that failed SEND validation")                  \
	X(rtsolpr_unserved, "packets", "RtSolPr dropped: this build has no lib/hk")               \
	X(rtsolpr_reply_suppressed, "packets", "failure replies not sent: A19 rate limit")        \
	X(prrtadv_tx, "packets", "PrRtAdv sent (to the PMD, or to the return ring)")              \
	X(cps_rx, "packets", "CPS served by the control lcore")                                   \
	X(cpa_tx, "packets", "CPA sent (to the PMD, or to the return ring)")                      \
	X(cps_refused, "packets",                                                                 \
	  "CPS answered with nothing (rate limit, error, no lib/send CPA)")                       \
	X(nd_rx, "packets", "other ND/SEND/MH messages received by control (counted, dropped)")   \
	X(fbu_events, "events", "accepted-FBU events received by control")                        \
	X(fbu_check_ok, "events", "accepted FBUs that passed lib/hk's FBU checks")                \
	X(fbu_check_failed, "events", "accepted FBUs refused by lib/hk's FBU checks")             \
	/* the handover (cp/handover.c, hi.c, nar.c; RFC 5568) */                                 \
	X(fbu_lifetime_clamped, "events", "FBU lifetimes clamped to [fbu] max_lifetime (A4)")     \
	X(fbu_ncoa_refused, "events",                                                             \
	  "FBUs refused: the NCoA is in no kind = nar [ap.*] nar_prefix (FBack 128)")             \
	X(fbu_admin_refused, "events",                                                            \
	  "FBUs refused: the NCoA's [ap.*] section is kind = no-fmip (FBack 129)")                \
	X(fbu_table_full, "events", "FBUs refused: binding table or HI table full (FBack 130)")   \
	X(fbu_binding_stale, "events",                                                            \
	  "FBUs whose sequence is not newer than their binding's (nothing changes, no FBack)")    \
	X(fbu_teardown, "events", "FBUs with Lifetime 0 that removed a binding (RFC 5568 5.6)")   \
	X(fbu_teardown_none, "events", "FBUs with Lifetime 0 and no binding to remove")           \
	X(fback_sent_0, "packets", "FBacks sent with status 0 (each copy: NCoA, old link)")       \
	X(fback_sent_1, "packets", "FBacks sent with status 1 (NCoA assigned by the NAR)")        \
	X(fback_sent_128, "packets", "FBacks sent with status 128 (reason unspecified)")          \
	X(fback_sent_129, "packets", "FBacks sent with status 129 (administratively prohibited)") \
	X(fback_sent_130, "packets", "FBacks sent with status 130 (insufficient resources)")      \
	X(fback_failed, "packets", "FBacks not sent (key gone or replaced, build or TX error)")   \
	X(hi_sent, "packets", "HIs sent to a NAR (first transmissions)")                          \
	X(hi_retransmitted, "packets", "HI retransmissions (RFC 5568 6.2.1.1 back-off)")          \
	X(hi_timed_out, "events", "HIs unanswered after HI_RETRIES retransmissions")              \
	X(hack_rx_0, "packets", "HAcks received: code 0 (accepted, NCoA valid)")                  \
	X(hack_rx_1, "packets", "HAcks received: code 1 (accepted, NCoA not valid)")              \
	X(hack_rx_2, "packets", "HAcks received: code 2 (accepted, NCoA assigned)")               \
	X(hack_rx_3, "packets", "HAcks received: code 3 (accepted, use PCoA)")                    \
	X(hack_rx_4, "packets", "HAcks received: code 4 (unsolicited; ignored)")                  \
	X(hack_rx_128, "packets", "HAcks received: code 128 (not accepted)")                      \
	X(hack_rx_129, "packets", "HAcks received: code 129 (administratively prohibited)")       \
	X(hack_rx_130, "packets", "HAcks received: code 130 (insufficient resources)")            \
	X(hack_rx_other, "packets", "HAcks received with another code (treated as not accepted)") \
	X(hack_rx_unmatched, "packets", "HAcks matching no outstanding HI (late, duplicate)")     \
	X(hack_rx_stale, "packets", "HAcks whose binding was replaced or removed meanwhile")      \
	X(hack_rx_refused, "packets",                                                             \
	  "HAcks dropped: source not a configured neighbour, or malformed")                       \
	X(hi_rx, "packets", "HIs received by the NAR role")                                       \
	X(hack_sent_0, "packets", "HAcks sent: code 0 (accepted, NCoA valid)")                    \
	X(hack_sent_1, "packets", "HAcks sent: code 1 (accepted, NCoA not on this link)")         \
	X(hack_sent_128, "packets", "HAcks sent: code 128 (no MN link-layer address)")            \
	X(hack_sent_129, "packets",                                                               \
	  "HAcks sent: code 129 (not a neighbour, or [handover] nar off)")                        \
	X(bindings_expired, "bindings", "bindings removed by the expiry sweep")                   \
	X(keys_released, "keys", "keys deleted because the forwarding they set up ended (A13)")   \
	X(ctrl_tx_failed, "packets", "control packets not sent: TX queue or return ring full")    \
	X(ctrl_alloc_failed, "packets", "control packets not sent: no mbuf left in the pool")     \
	X(ctrl_tx_too_long, "packets", "control packets not sent: frame longer than an mbuf")     \
	X(ctrl_ret_tx, "packets", "control packets worker 0 sent from the return ring")           \
	X(ctrl_ret_tx_failed, "packets", "return-ring packets worker 0 could not send (TX full)") \
	X(fwd_ctrl_tx, "packets", "forwarded by control once the next hop resolved")              \
	X(fwd_ctrl_drop, "packets", "dropped by control: no route any more, neighbour refused")   \
	X(icmp6_err_sent, "packets", "ICMPv6 errors sent (Time Exceeded, Dest. Unreachable)")     \
	X(ns_sent_mcast, "packets", "NSs sent to a solicited-node group (address resolution)")    \
	X(ns_sent_ucast, "packets", "unicast NSs sent (reachability probes)")                     \
	X(ns_rx, "packets", "NSs for the router's addresses received")                            \
	X(na_rx, "packets", "NAs received (neighbour table input)")                               \
	X(na_tx, "packets", "NAs sent for the router's addresses")                                \
	X(nd_invalid, "packets", "NS/NA refused by the RFC 4861 7.1 checks")                      \
	X(exc_nd_copied, "packets", "ND/RA/MLD for the router copied to the kernel (nd)")         \
	X(keys_expired, "keys", "keys removed by the expiry sweep")                               \
	X(rtsolpr_cycles, "TSC ticks",                                                            \
	  "time spent in lib/hk serving RtSolPr (all lcores doing it)")                           \
	X(cps_cycles, "TSC ticks", "control lcore time spent in lib/send answering CPS")          \
	X(reloads, "events", "configuration reloads applied (SIGHUP)")                            \
	/* the key table across restarts ([snapshot], [bench] key_import; cp/snapshot.h) */       \
	X(snapshot_writes, "events", "sealed snapshots of the key table written")                 \
	X(snapshot_write_failures, "events", "snapshot writes that failed (the previous stays)")  \
	X(snapshot_keys_loaded, "keys", "keys restored from the snapshot at start")               \
	X(snapshot_keys_expired, "keys", "snapshot keys skipped at start: no lifetime left")      \
	X(snapshot_keys_refused, "keys",                                                          \
	  "snapshot keys refused at start (AT map, key length, already imported, table full)")    \
	X(snapshot_files_refused, "events",                                                       \
	  "snapshots refused at start (tampered, foreign, other KEK, malformed): started empty")  \
	X(keys_imported, "keys", "keys installed at start by the [bench] key_import aid")         \
	X(reload_errors, "events", "configuration reloads refused (the old values stay)")

struct gw_counters {
#define GW_CNT_FIELD(n, u, h) uint64_t n;
	GW_COUNTERS(GW_CNT_FIELD)
#undef GW_CNT_FIELD
	uint64_t malformed[WIRE_E__COUNT]; /* by lib/wire error; [WIRE_E_OK] unused */
} __attribute__((aligned(64)));

#define GW_MALFORMED_HELP "dropped: lib/wire error"

/* A counter named by its offset in struct gw_counters (table rows carry these). */
#define GW_CNT_OFF(name) offsetof(struct gw_counters, name)
static inline uint64_t *gw_cnt(struct gw_counters *c, size_t off)
{
	return (uint64_t *)(void *)((uint8_t *)c + off);
}

/* Every counter of c, malformed_<err> included, in table order: fn(ctx, name, unit, help,
 * value) with relaxed loads (the owning lcore may be writing).  Stops at the first non-zero
 * return of fn and returns it; 0 when all were visited. */
typedef int (*gw_counter_fn)(void *ctx, const char *name, const char *unit, const char *help,
			     uint64_t v);
int counters_foreach(const struct gw_counters *c, gw_counter_fn fn, void *ctx);
/* sum += c, field by field (relaxed loads). */
void counters_add(struct gw_counters *sum, const struct gw_counters *c);
/* The emitters. */
void counters_print_md(FILE *f);				/* --counters-md */
void counters_print_json(FILE *f, const struct gw_counters *c); /* "name": v, ... */
struct rte_tel_data;
int counters_tel_dict(struct rte_tel_data *d, const struct gw_counters *c); /* 0 or -1 */

#endif /* FMIPGW_COUNTERS_H */
