/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration keys: the one table {section, key, type, default, reloadable, help,
 * field} that drives parsing (parse.c), defaults, /fmipgw/config, --help-config, --config-md
 * and the test that conf/fmipgw.conf documents every key.  Access-point sections are
 * [ap.NAME], with the keys of the "ap.*" rows.
 */
#include <stddef.h>
#include <string.h>

#include "config_int.h"

static const char *const pass_names[] = { "drop", "same", "other", NULL };
static const char *const backend_names[] = { "ipsec-mb", "openssl", NULL };
static const char *const arch_names[] = {
	"auto", "sse", "avx", "avx2", "avx512", "imb-auto", NULL
};
static const char *const idle_names[] = { "poll", "adaptive", "interrupt", NULL };
static const char *const dist_names[] = { "auto", "off", "on", NULL };
static const char *const tuncopy_names[] = { "copy", "fixed", NULL };
static const char *const apkind_names[] = { "nar", "current-if", "no-prefix", "no-fmip", NULL };
static const char *const level_names[] = { "none",    "emerg",	"alert", "crit",  "err",
					   "warning", "notice", "info",	 "debug", NULL };

#define C(f)	     offsetof(struct gw_config, f), sizeof(((struct gw_config *)0)->f)
#define A(f)	     offsetof(struct hk_ap, f), sizeof(((struct hk_ap *)0)->f)
#define U(f, lo, hi) C(f), lo, hi, NULL
#define E(f, n)	     C(f), 0, 0, n
#define AX(f, lo, hi) \
	offsetof(struct gw_ap_ext, f), sizeof(((struct gw_ap_ext *)0)->f), lo, hi, NULL, true

const struct key config_keys[] = {
	/* [router] */
	{ "router", "key_file", T_STR, "", false,
	  "PEM RSA private key of the router (mode 0600 or stricter; refused when readable by "
	  "group or others)",
	  C(key_file), 0, 0, NULL },
	{ "router", "params_file", T_STR, "", false,
	  "CGA Parameters of the router's link-local address (raw, from conf/make-credentials.sh); "
	  "empty: messages name the certified key without a CGA option",
	  C(params_file), 0, 0, NULL },
	{ "router", "cert_file", T_STR, "", false,
	  "PEM router certificate (RFC 3779 IPv6 blocks) followed by its intermediates; sent in "
	  "CPA",
	  C(cert_file), 0, 0, NULL },
	{ "router", "anchor_file", T_STR, "", false,
	  "PEM trust anchor the certification path leads to (matched against CPS Trust Anchor "
	  "options); empty: CPS is answered without a path",
	  C(anchor_file), 0, 0, NULL },
	{ "router", "address", T_IP6, "", false,
	  "the router's link-local address (source of PrRtAdv and CPA); empty: the CGA of "
	  "params_file, else fe80::1",
	  C(router_addr), 0, 0, NULL },
	{ "router", "prefixes", T_PREFIX_LIST, "", false,
	  "prefixes served on the access link, comma separated (addr/len); must lie inside the "
	  "certificate's blocks",
	  C(prefixes), 0, 0, NULL },
	/* [par] */
	{ "par", "addresses", T_IP6_LIST, "", false,
	  "addresses of this router as PAR, comma separated: FBUs to them are checked on the fast "
	  "path",
	  C(par), 0, 0, NULL },
	/* [keys] */
	{ "keys", "capacity", T_UINT, "65536", false,
	  "handover keys the table holds; new CGAs beyond it are refused, live keys never evicted",
	  U(capacity, 16, 1u << 24) },
	{ "keys", "hk_lifetime", T_UINT, "43200", true,
	  "HK-LIFETIME in seconds (RFC 5269 section 3.7) for keys handed out from now on",
	  U(hk_lifetime, 1, 65535) },
	{ "keys", "sweep_interval_ms", T_UINT, "1000", true,
	  "milliseconds between expiry sweeps of the key table", U(sweep_interval_ms, 1, 3600000) },
	{ "keys", "sweep_batch", T_UINT, "1024", false,
	  "entries one sweep looks at (bounded work per control-loop turn)",
	  U(sweep_batch, 1, 1u << 20) },
	/* [mac] */
	{ "mac", "backend", T_ENUM, "ipsec-mb", false,
	  "FBU authenticator backend: ipsec-mb (fast path) or openssl (cross-check; allocates)",
	  E(mac.backend, backend_names) },
	{ "mac", "arch", T_ENUM, "auto", false,
	  "ipsec-mb manager: auto (start-up self-benchmark), sse, avx, avx2, avx512, imb-auto",
	  E(mac.arch, arch_names) },
	{ "mac", "burst", T_UINT, "32", false, "burst size the ipsec-mb self-benchmark measures",
	  U(mac.burst, 1, MAC_BURST_MAX) },
	{ "mac", "at_map", T_ATMAP, "0:hmac-sha1:12,1:hmac-sha256:16", false,
	  "AT policy and mapping (A1): comma separated AT:algorithm:tag-octets; algorithms "
	  "hmac-sha1, hmac-sha256; ATs not listed are refused; tag-octets 8..digest length (a "
	  "warning below 12)",
	  C(mac.at), 0, 0, NULL },
	/* [send] */
	{ "send", "min_bits", T_UINT, "1024", false, "smallest RSA key accepted (RFC 3971 minbits)",
	  U(send.min_bits, 512, 16384) },
	{ "send", "max_bits", T_UINT, "4096", false, "largest RSA key verified",
	  U(send.max_bits, 512, 16384) },
	{ "send", "ts_delta", T_UINT, "300", true, "TIMESTAMP_DELTA seconds",
	  U(send.ts_delta, 1, 86400) },
	{ "send", "ts_fuzz", T_UINT, "1", true, "TIMESTAMP_FUZZ seconds",
	  U(send.ts_fuzz, 0, 3600) },
	{ "send", "ts_drift_permille", T_UINT, "10", true, "TIMESTAMP_DRIFT in 1/1000",
	  U(send.ts_drift_permille, 0, 1000) },
	{ "send", "cache_size", T_UINT, "1024", false, "replay cache peers",
	  U(send.cache_size, 1, 1u << 20) },
	{ "send", "accept_nonce_only", T_BOOL, "false", true,
	  "A6: accept solicitations with a nonce and no timestamp", C(send.accept_nonce_only), 0, 0,
	  NULL },
	{ "send", "reply_on_failure", T_BOOL, "true", true,
	  "A19: answer unverified solicitations with a PrRtAdv without a key (rate limited)",
	  C(reply_on_failure), 0, 0, NULL },
	{ "send", "failure_reply_rate", T_UINT, "10", true, "A19: such replies per second at most",
	  U(failure_reply_rate, 0, 1000000) },
	/* [fbu] */
	{ "fbu", "max_lifetime", T_UINT, "60", true, "A4: FBU lifetimes are clamped to this (s)",
	  U(fbu.max_lifetime, 1, 262140) },
	{ "fbu", "lifetime_4s", T_BOOL, "false", true,
	  "A4: the FBU Lifetime field counts 4-second units", C(fbu.lifetime_4s), 0, 0, NULL },
	{ "fbu", "fast_decode", T_BOOL, "true", false,
	  "workers match FBUs to a PAR address with lib/wire's fixed-offset decoder first "
	  "(wire_decode_frame decides every other frame); false: wire_decode_frame for all, "
	  "same verdicts and counters (tests, benchmarks)",
	  C(fbu_fast_decode), 0, 0, NULL },
	{ "fbu", "pipeline_depth", T_UINT, "1", false,
	  "key lookup pipeline: 1 looks a turn's FBUs up after its quiescent state and verifies "
	  "them in the next turn (record misses hidden behind RX); 0 looks up and verifies each "
	  "RX burst at once",
	  U(fbu_pipeline_depth, 0, 1) },
	/* [binding] */
	{ "binding", "capacity", T_UINT, "0", false,
	  "bindings (PCoA -> NCoA) the table holds; a new PCoA beyond it gets FBack 130; 0: the "
	  "[keys] capacity",
	  U(bind_capacity, 0, 1u << 24) },
	{ "binding", "sweep_interval_ms", T_UINT, "250", true,
	  "milliseconds between expiry sweeps of the binding table (a binding lives at most this "
	  "much past its lifetime)",
	  U(bind_sweep_interval_ms, 1, 3600000) },
	{ "binding", "sweep_batch", T_UINT, "1024", false,
	  "bindings one sweep looks at (bounded work per control-loop turn)",
	  U(bind_sweep_batch, 1, 1u << 20) },
	/* [tunnel] */
	{ "tunnel", "source", T_IP6, "", false,
	  "tunnel entry point: the PAR's global address on the MN's old link (RFC 5568 4); "
	  "empty: the PAR address the FBU was sent to",
	  C(tun_source), 0, 0, NULL },
	{ "tunnel", "mtu", T_UINT, "1500", false,
	  "egress link MTU of the tunnel (IPv6 octets); larger packets get Packet Too Big with "
	  "MTU - 40 (RFC 2473 7.1)",
	  U(tun_mtu, 1320, 9600) },
	{ "tunnel", "hop_limit", T_UINT, "64", false,
	  "Hop Limit of the tunnel header (RFC 2473 6.3)", U(tun_hop_limit, 1, 255) },
	{ "tunnel", "traffic_class_mode", T_ENUM, "copy", false,
	  "tunnel Traffic Class: copy (the original packet's) or fixed (traffic_class; RFC 2473 "
	  "5, 6.4)",
	  E(tun_tc_mode, tuncopy_names) },
	{ "tunnel", "traffic_class", T_UINT, "0", false, "traffic_class_mode = fixed: the value",
	  U(tun_tc, 0, 255) },
	{ "tunnel", "flow_label_mode", T_ENUM, "fixed", false,
	  "tunnel Flow Label: fixed (flow_label, default 0: RFC 2473 6.5) or copy",
	  E(tun_fl_mode, tuncopy_names) },
	{ "tunnel", "flow_label", T_UINT, "0", false, "flow_label_mode = fixed: the value",
	  U(tun_flow_label, 0, 0xfffff) },
	{ "tunnel", "icmp_error_rate", T_UINT, "100", false,
	  "Packet Too Big / Time Exceeded per second per worker (RFC 4443 2.4 f; 0: none)",
	  U(tun_icmp_rate, 0, 1000000) },
	{ "tunnel", "icmp_error_burst", T_UINT, "10", false, "their bucket depth (messages)",
	  U(tun_icmp_burst, 1, 100000) },
	/* [handover] */
	{ "handover", "hi", T_BOOL, "true", true,
	  "send an HI to the NAR of the NCoA's [ap.*] section; predictive mode: FBack after the "
	  "HAck (RFC 5568 6.2.3)",
	  C(ho_hi), 0, 0, NULL },
	{ "handover", "hi_timeout_ms", T_UINT, "100", true,
	  "first HI retransmission timeout, doubled each time (RFC 5568 6.2.1.1: >= 2 x RTT, "
	  "100 ms when the RTT is not known)",
	  U(hi_timeout_ms, 10, 60000) },
	{ "handover", "hi_retries", T_UINT, "3", true, "HI_RETRIES (RFC 5568 9)",
	  U(hi_retries, 0, 10) },
	{ "handover", "hi_pending", T_UINT, "1024", false,
	  "outstanding HIs at most (their Sequence #s must stay unique); an FBU beyond it gets "
	  "FBack 130",
	  U(hi_pending, 16, 32768) },
	{ "handover", "fback_old_link", T_BOOL, "true", true,
	  "an FBU from the PAR's link is also answered on the old link, to the PCoA (RFC 5568 "
	  "6.2.3 MAY)",
	  C(fback_old_link), 0, 0, NULL },
	{ "handover", "neighbours_only", T_BOOL, "true", true,
	  "accept HI and HAck only from the nar_addr of an [ap.*] section (the operator's IPsec "
	  "protects them, RFC 5568 10)",
	  C(neighbours_only), 0, 0, NULL },
	{ "handover", "nar", T_BOOL, "true", true,
	  "answer HIs as the NAR (RFC 5568 6.2.1.2); false: every HI gets HAck 129", C(nar_role), 0,
	  0, NULL },
	/* [policer] per worker */
	{ "policer", "rtsolpr_rate", T_UINT, "1000", true,
	  "RtSolPr per second per worker toward control (0: no limit)",
	  U(pol[GW_EV_RTSOLPR].rate, 0, 100000000) },
	{ "policer", "rtsolpr_burst", T_UINT, "64", true, "RtSolPr bucket depth (packets)",
	  U(pol[GW_EV_RTSOLPR].burst, 1, 1000000) },
	{ "policer", "cps_rate", T_UINT, "100", true, "CPS per second per worker (0: no limit)",
	  U(pol[GW_EV_CPS].rate, 0, 100000000) },
	{ "policer", "cps_burst", T_UINT, "16", true, "CPS bucket depth (packets)",
	  U(pol[GW_EV_CPS].burst, 1, 1000000) },
	{ "policer", "nd_rate", T_UINT, "1000", true,
	  "other ND/SEND/MH messages for the router per second per worker (0: no limit)",
	  U(pol[GW_EV_ND].rate, 0, 100000000) },
	{ "policer", "nd_burst", T_UINT, "64", true, "their bucket depth (packets)",
	  U(pol[GW_EV_ND].burst, 1, 1000000) },
	{ "policer", "hi_rate", T_UINT, "1000", true,
	  "HI for the router per second per worker (0: no limit)",
	  U(pol[GW_EV_HI].rate, 0, 100000000) },
	{ "policer", "hi_burst", T_UINT, "64", true, "HI bucket depth (packets)",
	  U(pol[GW_EV_HI].burst, 1, 1000000) },
	{ "policer", "hack_rate", T_UINT, "1000", true,
	  "HAck for the router per second per worker (0: no limit)",
	  U(pol[GW_EV_HACK].rate, 0, 100000000) },
	{ "policer", "hack_burst", T_UINT, "64", true, "HAck bucket depth (packets)",
	  U(pol[GW_EV_HACK].burst, 1, 1000000) },
	/* [rings] */
	{ "rings", "ring_size", T_UINT, "1024", false,
	  "entries of each worker's ring to the control lcore, slow-path lcores and distribution "
	  "(power of two; below what the pool has beyond RX's share)",
	  U(ring_size, 64, 1u << 20) },
	/* [ports] */
	{ "ports", "pass_through", T_ENUM, "drop", true,
	  "traffic not for the gateway: drop, same (back out the port it came in) or other "
	  "(out port id xor 1)",
	  E(pass, pass_names) },
	{ "ports", "mbufs", T_UINT, "65535", false,
	  "mbufs in the pool (all ports and lcores); refused below what RX needs, warned below "
	  "the estimate logged at start-up",
	  U(mbufs, 1023, 1u << 24) },
	{ "ports", "mbuf_cache", T_UINT, "256", false, "per-lcore mempool cache",
	  U(mbuf_cache, 0, 512) },
	{ "ports", "rx_desc", T_UINT, "1024", false, "RX descriptors per queue",
	  U(rx_desc, 32, 32768) },
	{ "ports", "tx_desc", T_UINT, "1024", false, "TX descriptors per queue",
	  U(tx_desc, 32, 32768) },
	{ "ports", "burst", T_UINT, "32", false, "RX burst size of the workers",
	  U(burst, 1, GW_BURST_MAX) },
	{ "ports", "rss", T_BOOL, "true", false,
	  "spread traffic over worker RX queues with RSS when the port supports it", C(rss), 0, 0,
	  NULL },
	{ "ports", "promiscuous", T_BOOL, "true", false, "put ports in promiscuous mode",
	  C(promiscuous), 0, 0, NULL },
	/* [lcores] */
	{ "lcores", "control", T_LCORE, "main", false,
	  "lcore of the control plane: 'main' (the EAL main lcore) or an lcore id of -l; every "
	  "other lcore is a worker",
	  C(control_lcore), 0, 0, NULL },
	{ "lcores", "slow", T_LCORE_LIST, "none", false,
	  "slow-path lcores: the RtSolPr work (SEND verification, key decision, RSA wrap, "
	  "signing) apart from the control lcore, which commits and replies; comma separated ids "
	  "or ranges (2-3) of -l/--lcores; none: the control lcore does it",
	  C(slow_lcores), 0, 0, NULL },
	{ "lcores", "idle", T_ENUM, "poll", false,
	  "what a polling lcore (worker, slow-path, control) does when it finds nothing: poll "
	  "(busy, lowest latency), adaptive (pause, then sleeps up to idle_sleep_us), interrupt "
	  "(workers sleep until the NIC's RX interrupt; adaptive where a port has none and on "
	  "the other lcores)",
	  E(idle, idle_names) },
	{ "lcores", "idle_sleep_us", T_UINT, "200", false,
	  "adaptive/interrupt: the longest sleep, i.e. the worst wake-up latency added (us)",
	  U(idle_sleep_us, 1, 100000) },
	{ "lcores", "distribute", T_ENUM, "auto", false,
	  "software distribution when a port has fewer RX queues than workers: auto (then), on "
	  "(always), off (refuse such a port)",
	  E(distribute, dist_names) },
	/* [log] */
	{ "log", "level", T_ENUM, "info", true,
	  "level of the fmipgw.* log types: none emerg alert crit err warning notice info debug",
	  E(log_level, level_names) },
	/* [security] */
	{ "security", "allow_core_dumps", T_BOOL, "false", false,
	  "let the kernel write a core dump of the gateway (off: PR_SET_DUMPABLE 0); key records, "
	  "MAC states and the router key are excluded from dumps either way (MADV_DONTDUMP, "
	  "OpenSSL's secure heap)",
	  C(allow_core_dumps), 0, 0, NULL },
	{ "security", "secret_heap_mb", T_UINT, "32", false,
	  "memory for everything OpenSSL allocates (the router's private key, its working "
	  "copies, the replay cache, every RSA operation's temporaries), MiB; never in a core "
	  "dump, locked when the memlock limit allows",
	  U(secret_heap_mb, 4, 4096) },
	/* [snapshot]: the key table survives a restart (cp/snapshot.h, issue 13 item 7) */
	{ "snapshot", "file", T_STR, "", false,
	  "sealed snapshot of the key table (AES-256-GCM under kek_file, written atomically "
	  "every interval_s and at a clean stop, loaded at start; a tampered or foreign file is "
	  "refused, kept aside as FILE.rejected.<time>, and the gateway starts empty); empty: "
	  "keys live in memory only",
	  C(snap_file), 0, 0, NULL },
	{ "snapshot", "kek_file", T_STR, "", false,
	  "key-encryption key of the snapshot: 32 raw octets, mode 0600 or stricter: (umask 077; "
	  "openssl rand -out FILE 32)",
	  C(snap_kek_file), 0, 0, NULL },
	{ "snapshot", "interval_s", T_UINT, "30", true,
	  "seconds between two snapshots (a crash loses the keys handed out since the last "
	  "one); 0: only at a clean stop (SIGTERM, SIGINT, --duration)",
	  U(snap_interval_s, 0, 86400) },
	{ "snapshot", "batch", T_UINT, "4096", false,
	  "key slots the control lcore copies per loop turn while it takes a snapshot (bounded "
	  "work; sealing and writing run on a thread of their own)",
	  U(snap_batch, 64, 1u << 20) },
	/* [bench]: benchmarking aids, never in production */
	{ "bench", "key_import", T_STR, "", false,
	  "BENCHMARKING AID: handover keys to install at start from a key-export file of fmip-mn "
	  "(mode 0600; docs/operations.md \"Key import\"), logged as a WARNING; empty: none",
	  C(key_import), 0, 0, NULL },
	/* [routes], [neighbours], [icmp6], [exception]: the router fast path (fwd_cfg.c reads
	 * the labelled entries route.<label> and static.<label>) */
	{ "routes", "max_routes", T_UINT, "1024", false,
	  "routes an LPM6 FIB holds (rte_lpm6 rules; the default route not counted)",
	  U(fwd.max_routes, 1, 1u << 24) },
	{ "routes", "tbl8_groups", T_UINT, "4096", false,
	  "rte_lpm6 tbl8 groups per FIB (1 KiB each; a /56 under a common /32 costs about one per "
	  "256 routes)",
	  U(fwd.tbl8_groups, 1, 1u << 22) },
	{ "routes", "file", T_STR, "", true,
	  "file of route lines (one per line, '#' comments) read with the route.<label> entries; "
	  "the whole list is rebuilt aside and swapped on SIGHUP",
	  C(fwd.file), 0, 0, NULL },
	{ "neighbours", "capacity", T_UINT, "4096", false,
	  "neighbour entries (static ones included); new ones beyond are refused and counted",
	  U(fwd.capacity, 16, 1u << 24) },
	{ "neighbours", "queue_len", T_UINT, "3", false,
	  "packets held per unresolved neighbour (0: dropped until it answers)",
	  U(fwd.queue_len, 0, 64) },
	{ "neighbours", "retrans_ms", T_UINT, "1000", false,
	  "RFC 4861 RETRANS_TIMER: milliseconds between NSs", U(fwd.retrans_ms, 10, 3600000) },
	{ "neighbours", "mcast_solicit", T_UINT, "3", false,
	  "RFC 4861 MAX_MULTICAST_SOLICIT: NSs before a resolution fails",
	  U(fwd.mcast_solicit, 1, 255) },
	{ "neighbours", "ucast_solicit", T_UINT, "3", false,
	  "RFC 4861 MAX_UNICAST_SOLICIT: unicast probes before a stale neighbour is removed",
	  U(fwd.ucast_solicit, 1, 255) },
	{ "neighbours", "reachable_ms", T_UINT, "30000", false,
	  "RFC 4861 REACHABLE_TIME (not randomised): a confirmed neighbour turns stale after it",
	  U(fwd.reachable_ms, 100, 3600000) },
	{ "neighbours", "delay_ms", T_UINT, "5000", false, "RFC 4861 DELAY_FIRST_PROBE_TIME",
	  U(fwd.delay_ms, 10, 3600000) },
	{ "neighbours", "stale_ms", T_UINT, "60000", false,
	  "an unused stale neighbour is removed after this", U(fwd.stale_ms, 100, 86400000) },
	{ "neighbours", "failed_ms", T_UINT, "20000", false,
	  "a failed resolution drops the neighbour's packets for this long, then is forgotten",
	  U(fwd.failed_ms, 100, 86400000) },
	{ "neighbours", "resolve_rate", T_UINT, "1000", true,
	  "packets per second per worker handed to the control lcore for an unresolved "
	  "neighbour (0: none)",
	  U(fwd.resolve_rate, 0, 100000000) },
	{ "neighbours", "resolve_burst", T_UINT, "64", true, "their bucket depth (packets)",
	  U(fwd.resolve_burst, 1, 1000000) },
	{ "icmp6", "error_rate", T_UINT, "100", true,
	  "ICMPv6 errors (Time Exceeded, Destination Unreachable) per second per worker, RFC 4443 "
	  "2.4 (f) (0: none sent)",
	  U(fwd.error_rate, 0, 1000000) },
	{ "icmp6", "error_burst", T_UINT, "10", true, "their bucket depth (messages)",
	  U(fwd.error_burst, 1, 1000000) },
	{ "exception", "ports", T_STR, "", false,
	  "exception ports (TAP to the kernel) as EXC:DATA port-index pairs, comma separated: what "
	  "is for the router and not fmipgw's goes from DATA to EXC, what the kernel sends on EXC "
	  "leaves by DATA; empty: none",
	  C(fwd.ports), 0, 0, NULL },
	{ "exception", "nd", T_BOOL, "false", false,
	  "ND, RA and MLD for the router also go to the kernel, which then answers NSs for its "
	  "addresses (fmipgw still learns its next hops from them)",
	  C(fwd.nd), 0, 0, NULL },
	/* [ap.NAME] one section per access point */
	{ "ap.*", "lla", T_MAC, "", false, "the access point's link-layer identifier (New-AP LLA)",
	  A(ap_lla), 0, 0, NULL },
	{ "ap.*", "kind", T_ENUM, "nar", false,
	  "nar (behind a neighbouring AR), current-if, no-prefix, no-fmip (RFC 5568 6.4.3 codes)",
	  A(kind), 0, 0, apkind_names },
	{ "ap.*", "nar_lla", T_MAC, "", false, "the NAR's link-layer address", A(nar_lla), 0, 0,
	  NULL },
	{ "ap.*", "nar_addr", T_IP6, "", false, "the NAR's IPv6 address", A(nar_addr), 0, 0, NULL },
	{ "ap.*", "nar_prefix", T_PREFIX, "", false, "the prefix of the NAR's link (addr/len)",
	  A(nar_prefix), 0, 0, NULL },
	{ "ap.*", "port", T_UINT, "0", false,
	  "index of the gateway's port toward the NAR: tunnelled packets, HI and FBack leave by "
	  "it to nar_lla",
	  AX(port, 0, GW_AP_PORTS - 1) },
};
const unsigned config_nkeys_ = sizeof(config_keys) / sizeof(config_keys[0]);
#define NKEYS config_nkeys_

const char *const config_type_names[] = { "string",    "uint",	      "bool",  "ipv6",
					  "ipv6 list", "prefix list", "enum",  "mac",
					  "at map",    "prefix",      "lcore", "lcore list" };

unsigned config_nkeys(void)
{
	return NKEYS;
}

void config_key_info(unsigned i, const char **section, const char **key, const char **type,
		     const char **def, bool *reload, const char **help)
{
	*section = config_keys[i].section;
	*key = config_keys[i].key;
	*type = config_type_names[config_keys[i].type];
	*def = config_keys[i].def;
	*reload = config_keys[i].reload;
	*help = config_keys[i].help;
}

void config_print_help(FILE *f)
{
	const char *sec = "";

	for (unsigned i = 0; i < NKEYS; i++) {
		if (strcmp(sec, config_keys[i].section) != 0) {
			sec = config_keys[i].section;
			fprintf(f, "\n[%s]\n", strcmp(sec, "ap.*") == 0 ? "ap.NAME" : sec);
		}
		fprintf(f, "  %-20s %-11s default '%s'%s\n      %s\n", config_keys[i].key,
			config_type_names[config_keys[i].type], config_keys[i].def,
			config_keys[i].reload ? ", reloadable (SIGHUP)" : "", config_keys[i].help);
	}
}

void config_print_md(FILE *f)
{
	fprintf(
	    f,
	    "| section | key | type | default | reload | meaning |\n|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < NKEYS; i++)
		fprintf(f, "| `[%s]` | `%s` | %s | `%s` | %s | %s |\n",
			strcmp(config_keys[i].section, "ap.*") == 0 ? "ap.NAME"
								    : config_keys[i].section,
			config_keys[i].key, config_type_names[config_keys[i].type],
			config_keys[i].def, config_keys[i].reload ? "yes" : "no",
			config_keys[i].help);
}

bool config_is_ap(const char *section)
{
	return strncmp(section, "ap.", 3) == 0;
}

int config_key_index(const char *section, const char *key)
{
	bool ap = config_is_ap(section);

	for (unsigned i = 0; i < NKEYS; i++) {
		if ((ap ? strcmp(config_keys[i].section, "ap.*") == 0
			: strcmp(config_keys[i].section, section) == 0) &&
		    strcmp(config_keys[i].key, key) == 0)
			return (int)i;
	}
	return -1;
}

bool config_section_known(const char *s)
{
	if (config_is_ap(s))
		return s[3] != '\0';
	for (unsigned i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].section, s) == 0)
			return true;
	return false;
}
