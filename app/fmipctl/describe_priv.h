/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * describe — what describe.c (the frame), describe_nd.c (ICMPv6, ND options, SEND) and
 * describe_mh.c (the Mobility Header) share.  Not part of the interface (describe.h is).
 */
#ifndef FMIPCTL_DESCRIBE_PRIV_H
#define FMIPCTL_DESCRIBE_PRIV_H

#include "describe.h"

/* Shown octets of long values (keys, certificates, signatures): enough to recognise them. */
#define SHORT_HEX 8

/* Option-Code names: the LLA and MH-LLA options (RFC 5568 §6.4.3), the IP Address/Prefix
 * options (§6.4.1); NULL when unassigned. */
static inline const char *lla_code_name(uint8_t code)
{
	static const char *const n[] = { "wildcard", "new-ap",	  "mn",	       "nar",
					 "source",   "ap-cur-if", "no-prefix", "no-fmip" };
	return code < sizeof(n) / sizeof(n[0]) ? n[code] : NULL;
}

static inline const char *ipa_code_name(uint8_t code)
{
	static const char *const n[] = { NULL, "old-coa", "new-coa", "nar-addr", "nar-prefix" };
	return code < sizeof(n) / sizeof(n[0]) ? n[code] : NULL;
}

/* "code" (and "code_name" when named); "error" with lib/wire's name of err. */
static inline void kv_code(struct jw *w, uint8_t code, const char *name)
{
	jw_kv_uint(w, "code", code);
	if (name)
		jw_kv_str(w, "code_name", name);
}

static inline void kv_err(struct jw *w, int err)
{
	jw_kv_str(w, "error", wire_strerror(err));
}

/* The ICMPv6 fields of f (type, code, checksum, the message header, ND options, SEND). */
void describe_icmp(struct jw *w, const struct wire_frame *f);
/* The Mobility Header fields of f (header, message, options, BADF, MAC input). */
void describe_mh(struct jw *w, const struct wire_frame *f);

#endif /* FMIPCTL_DESCRIBE_PRIV_H */
