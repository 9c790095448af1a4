/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw configuration internals shared by keys.c, parse.c, scan.c, load.c and reload.c. */
#ifndef FMIPGW_CONFIG_INT_H
#define FMIPGW_CONFIG_INT_H

#include "config.h"

enum ktype {
	T_STR,
	T_UINT,
	T_BOOL,
	T_IP6,
	T_IP6_LIST,
	T_PREFIX_LIST,
	T_ENUM,
	T_MAC,
	T_ATMAP,
	T_PREFIX,
	T_LCORE,
	T_LCORE_LIST
};

struct key {
	const char *section, *key;
	enum ktype type;
	const char *def;
	bool reload;
	const char *help;
	size_t off;		  /* into struct gw_config (or struct hk_ap for "ap.*") */
	size_t size;		  /* T_STR: buffer size; T_UINT: field size (1, 2, 4) */
	uint64_t min, max;	  /* T_UINT */
	const char *const *names; /* T_ENUM: values 0.. */
	bool ap_ext;		  /* an "ap.*" key of struct gw_ap_ext, not of struct hk_ap */
};

/* keys.c */
extern const struct key config_keys[];
extern const unsigned config_nkeys_;
extern const char *const config_type_names[];
bool config_is_ap(const char *section); /* an [ap.NAME] section (or the "ap.*" rows) */
int config_key_index(const char *section, const char *key);
bool config_section_known(const char *section);

/* parse.c: 0, or -1 with a message (without file:line) in err.  base: the struct the key's
 * offset is into (cfg, or one struct hk_ap); cfg: the whole configuration. */
int config_parse_value(const struct key *k, const char *v, void *base, struct gw_config *cfg,
		       char *err, size_t len);

/* scan.c */
char *config_trim(char *s);
/* The line of key in section (key NULL: of the section header); 0 if not found. */
unsigned config_find_line(const char *file, const char *section, const char *key);
/* The pre-scan: 0, or -1 with *line and msg (what rte_cfgfile would get wrong silently). */
int config_scan(const char *file, unsigned *line, char *msg, size_t msglen);

/* load.c: rte_cfgfile's view of file as config_load reads it (NULL: it cannot parse it); the
 * sections (by index) and entries (by name) of it that config_load skips: comments. */
struct rte_cfgfile *config_cfgfile_load(const char *file);
bool config_cfgfile_section_skipped(int index);
bool config_cfgfile_entry_skipped(const char *name);

#endif /* FMIPGW_CONFIG_INT_H */
