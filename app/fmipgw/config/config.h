/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration: one INI file read with rte_cfgfile (DESIGN.md "Configuration").
 *
 *   keys.c    the key table {section, key, type, default, reloadable, help, field} and what
 *             it generates: --help-config, --config-md, /fmipgw/config's key list
 *   parse.c   value parsers, one per key type
 *   scan.c    the pre-scan rte_cfgfile needs (it cuts long lines and keeps one of two
 *             duplicates silently) and the line finder for `file:line:` messages
 *   load.c    config_load: defaults, pre-scan, sections, cross-key validation
 *   reload.c  the SIGHUP diff: reloadable keys applied, start-up-only keys named
 *
 * EAL-free: the unit tests (reload_test.c) and `--check` run without DPDK's EAL.
 */
#ifndef FMIPGW_CONFIG_H
#define FMIPGW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ev.h"
#include "fwd_cfg.h"
#include "hk.h"
#include "mac.h"
#include "send.h"

#define GW_MAX_PAR	8
#define GW_MAX_PREFIXES 8
#define GW_MAX_APS	32
#define GW_BURST_MAX	64
#define GW_PATH_MAX	256
#define GW_CFG_TEXT	160 /* room for one value's text in /fmipgw/config */
#define GW_MAX_SLOW	16

#define GW_AP_NAME  64 /* an [ap.NAME] section's name, kept for messages */
#define GW_AP_PORTS 8  /* [ap.*] port: == FMIP_MAX_PORTS (gw.c asserts it) */
/* [mac] at_map tag lengths (A3 leaves truncation to configuration): refused below 8 octets,
 * a warning below 12 (RFC 5269's HMAC-SHA1 length). */
#define GW_TAG_MIN  8
#define GW_TAG_WARN 12
/* One key in a [snapshot] file (cp/snap_fmt.c asserts it): sizing of the secret heap, which
 * holds a snapshot twice while it is written or loaded (plaintext and ciphertext). */
#define GW_SNAP_ENTRY_LEN     86
#define GW_SNAP_HEAP_SPARE_MB 16 /* what OpenSSL needs besides (keys, replay cache, RSA) */

/* [ports] pass_through: what happens to traffic that is not the gateway's */
enum gw_pass_through { GW_PASS_DROP = 0, GW_PASS_SAME, GW_PASS_OTHER };

/* [lcores] idle: what a polling lcore does when it finds nothing to do */
enum gw_idle { GW_IDLE_POLL = 0, GW_IDLE_ADAPTIVE, GW_IDLE_INTERRUPT };

/* [lcores] distribute: software distribution of a port with fewer RX queues than workers */
enum gw_distribute { GW_DIST_AUTO = 0, GW_DIST_OFF, GW_DIST_ON };

/* [tunnel] traffic_class_mode / flow_label_mode (RFC 2473 5, 6.4, 6.5) */
enum gw_tun_copy { GW_TUN_COPY = 0, GW_TUN_FIXED };

/* What fmipgw keeps of an [ap.NAME] section beside lib/hk's struct hk_ap (the keys of keys.c's
 * "ap.*" rows marked ext): the handover's egress toward the NAR. */
struct gw_ap_ext {
	uint32_t port;	       /* index of the gateway's port toward the NAR (tunnel, HI, FBack) */
	char name[GW_AP_NAME]; /* the section's name, for messages */
};

struct gw_policer_cfg {
	uint32_t rate;	/* packets per second per worker; 0: no limit */
	uint32_t burst; /* bucket depth, packets */
};

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
	struct gw_ap_ext ap_ext[GW_MAX_APS];
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
	bool fbu_fast_decode;	     /* the fast FBU decoder first (dp/fbu.c) */
	uint32_t fbu_pipeline_depth; /* 0 or 1 (keytab_pipe) */
	/* [binding] */
	uint32_t bind_capacity; /* 0 in the file: the [keys] capacity (config_load resolves it) */
	uint32_t bind_sweep_interval_ms;
	uint32_t bind_sweep_batch;
	/* [tunnel] */
	uint8_t tun_source[16]; /* zero: the PAR address the FBU was sent to (A12) */
	bool has_tun_source;
	uint32_t tun_mtu;
	uint32_t tun_hop_limit;
	enum gw_tun_copy tun_tc_mode;
	uint32_t tun_tc;
	enum gw_tun_copy tun_fl_mode;
	uint32_t tun_flow_label;
	uint32_t tun_icmp_rate; /* ICMPv6 errors per second per worker (RFC 4443 2.4 f) */
	uint32_t tun_icmp_burst;
	/* [handover] */
	bool ho_hi;		/* send HI to the NAR (RFC 5568 6.2.1.1) */
	uint32_t hi_timeout_ms; /* first retransmission timeout (>= 2 x RTT, 100 ms) */
	uint32_t hi_retries;	/* HI_RETRIES (RFC 5568 9) */
	uint32_t hi_pending;	/* outstanding HIs at most */
	bool fback_old_link;	/* predictive: also send the FBack to the PCoA on the old link */
	bool neighbours_only;	/* HI/HAck only from the [ap.*] nar_addr addresses */
	bool nar_role;		/* answer HIs as the NAR */
	/* [policer], per policed event */
	struct gw_policer_cfg pol[GW_EV__POLICED];
	/* [rings] */
	uint32_t ring_size;
	/* [ports] */
	enum gw_pass_through pass;
	uint32_t mbufs;
	uint32_t mbuf_cache;
	uint32_t rx_desc, tx_desc;
	uint32_t burst;
	bool rss;
	bool promiscuous;
	/* [lcores] */
	int control_lcore; /* -1: the main lcore */
	unsigned slow_lcores[GW_MAX_SLOW];
	unsigned n_slow;
	enum gw_idle idle;
	uint32_t idle_sleep_us;
	enum gw_distribute distribute;
	/* [log] */
	uint32_t log_level;
	/* [security] */
	bool allow_core_dumps;
	uint32_t secret_heap_mb;
	/* [snapshot] (cp/snapshot.h) */
	char snap_file[GW_PATH_MAX];
	char snap_kek_file[GW_PATH_MAX];
	uint32_t snap_interval_s; /* 0: only at a clean stop */
	uint32_t snap_batch;	  /* key slots the control lcore walks per turn */
	/* [bench] */
	char key_import[GW_PATH_MAX]; /* the key-import file (config/keyimp.h); empty: none */
	/* [routes], [neighbours], [icmp6], [exception] (fwd_cfg.h) */
	struct gw_fwd_cfg fwd;

	/* the effective value of every key as text, for /fmipgw/config (no secrets in it) */
	char (*text)[GW_CFG_TEXT];     /* replaced whole on reload (atomic pointer store) */
	char (*text_old)[GW_CFG_TEXT]; /* the array the last reload replaced, freed at the next */
};

/* Parse file into cfg (defaults for absent keys).  0, or -1 with a "file:line: what" message
 * in err.  cfg->text is allocated (config_free). */
int config_load(const char *file, struct gw_config *cfg, char *err, size_t errlen);
void config_free(struct gw_config *cfg);
/* Copy the reloadable keys of loaded into cur; start-up-only keys that differ are named in
 * warn (logged by the caller).  Returns the number of start-up-only keys that changed. */
int config_apply_reload(struct gw_config *cur, const struct gw_config *loaded, char *warn,
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
/* Warnings about a configuration that works but should not be used in production (written to
 * buf, one per line; empty when none): e.g. [mac] backend = openssl on the fast path. */
void config_warnings(const struct gw_config *cfg, char *buf, size_t len);

#endif /* FMIPGW_CONFIG_H */
