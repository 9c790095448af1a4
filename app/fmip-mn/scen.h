/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn scenarios: what a run does, read from an INI file (rte_cfgfile) and from --set
 * section.key=value overrides.  One table of keys {section, key, type, default, help, field}
 * drives the defaults, the parsing, --help-scenario and --scenario-md (docs/fmip-mn.md has
 * that table).  Errors are `file:line: section.key: what is wrong` (`--set:` for overrides).
 * No EAL needed.
 */
#ifndef FMIP_MN_SCEN_H
#define FMIP_MN_SCEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MN_PATH_MAX 256

enum mn_path_cache {
	MN_PATH_SHARED = 0, /* one CPS per lcore: its nodes share the validated router path */
	MN_PATH_NODE,	    /* every node fetches the path itself (CPS load) */
};

enum mn_offline_prov {
	MN_OFF_INPROC = 0, /* RtSolPr answered in process, not written */
	MN_OFF_PCAP,	   /* RtSolPr written, not answered */
	MN_OFF_BOTH,
};

struct mn_prefix {
	uint8_t addr[16];
	uint8_t len;
};

struct mn_scen {
	/* [run] */
	uint32_t nodes;
	uint32_t seed;
	uint32_t duration_s; /* 0: until every node finished its plan */
	uint32_t drain_ms;
	uint32_t progress_s;
	/* [identity] */
	uint32_t bits;
	uint32_t sec;
	char cache[MN_PATH_MAX];
	struct mn_prefix prefix;
	/* [gateway] */
	char trust_anchor[MN_PATH_MAX];
	uint8_t par[16];
	struct mn_prefix nar_prefix;
	uint8_t tunnel_src[16]; /* all zero: par */
	uint8_t gw_mac[6];	/* all zero: learnt (offline: 02:00:00:00:00:02) */
	uint8_t mn_mac[6];
	uint8_t cn[16];
	uint8_t new_ap[6]; /* all zero: the wildcard */
	/* [provision] */
	uint32_t prov_rate;
	uint32_t at1_percent;
	uint32_t prov_timeout_ms;
	uint32_t prov_retries;
	uint32_t refresh_margin;
	uint32_t refresh_min_ms;
	uint32_t prov_repeat;
	uint32_t path_cache; /* enum mn_path_cache */
	uint32_t hkepk_lifetime;
	uint32_t hkepk_handovers;
	/* [handover] */
	uint32_t ho_count;
	uint32_t ho_interval_ms;
	uint32_t ho_rate;
	uint32_t nar_percent;
	uint32_t ho_lifetime;
	uint32_t fback_timeout_ms;
	bool ho_return;
	bool ho_mn_lla;
	/* [data] */
	uint32_t data_per_ho;
	uint32_t reverse_per_ho;
	uint32_t data_size;
	uint32_t data_rate;
	/* [attack] (per node unless said) */
	uint32_t forged_fbu;
	uint32_t replayed_fbu;
	uint32_t unknown_fbu;
	uint32_t badsig_rtsolpr;
	uint32_t replayed_rtsolpr;
	uint32_t malformed;
	uint32_t flood_rtsolpr; /* total */
	uint32_t flood_rate;
	uint32_t attack_rate;
	/* [offline] */
	uint32_t pps;
	uint32_t offline_prov; /* enum mn_offline_prov */
	uint32_t hk_lifetime;
};

/* Defaults for every key. */
void scen_defaults(struct mn_scen *s);
/* Load FILE over s: 0, or -1 with "file:line: ..." in err. */
int scen_load(struct mn_scen *s, const char *file, char *err, size_t errlen);
/* Apply one "section.key=value" override: 0, or -1 with "--set: ..." in err. */
int scen_set(struct mn_scen *s, const char *assignment, char *err, size_t errlen);
/* Cross-key checks (after loading and overrides): 0, or -1 with err. */
int scen_check(const struct mn_scen *s, char *err, size_t errlen);
/* The key table as INI comments (--help-scenario) or as a Markdown table (--scenario-md). */
void scen_print_help(FILE *f);
void scen_print_md(FILE *f);
/* Every key with its value as text, for the report ("section.key" -> value). */
typedef void (*scen_kv_fn)(void *ctx, const char *section, const char *key, const char *value);
void scen_foreach(const struct mn_scen *s, scen_kv_fn fn, void *ctx);

#endif /* FMIP_MN_SCEN_H */
