/* SPDX-License-Identifier: BSD-3-Clause */
/* fmip-mn scenario internals shared by scen_keys.c (the table) and scen.c (the parser). */
#ifndef FMIP_MN_SCEN_INT_H
#define FMIP_MN_SCEN_INT_H

#include "scen.h"

enum scen_type { S_UINT, S_BOOL, S_STR, S_IP6, S_IP6_OPT, S_PREFIX, S_MAC, S_MAC_OPT, S_ENUM };

struct scen_key {
	const char *section, *key;
	enum scen_type type;
	const char *def;
	const char *help;
	size_t off, size;
	uint32_t min, max;	  /* S_UINT */
	const char *const *names; /* S_ENUM: values 0.. */
};

extern const struct scen_key scen_keys[];
extern const unsigned scen_nkeys;

/* The key of section.key, or NULL. */
const struct scen_key *scen_key_find(const char *section, const char *key);
/* Parse v into the key's field of s: 0, or -1 with a message (no location) in err. */
int scen_parse_value(const struct scen_key *k, const char *v, struct mn_scen *s, char *err,
		     size_t errlen);
/* The key's value in s as text. */
void scen_format_value(const struct scen_key *k, const struct mn_scen *s, char *out, size_t len);

#endif /* FMIP_MN_SCEN_INT_H */
