/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration: one INI file read with rte_cfgfile (DESIGN.md "Configuration").
 *
 * One table of keys {section, key, type, default, reloadable, help} drives parsing,
 * validation, defaults, /fmipgw/config, --help-config and the check that conf/fmipgw.conf
 * documents every key.  Errors say `file:line: what is wrong`; rte_cfgfile keeps no line
 * numbers, so the line of an offending key is found by a small scan of the file, for error
 * messages only.  Access-point sections are [ap.NAME], with the keys of the "ap.*" rows.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_cfgfile.h>

#include "gw.h"

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
	T_LCORE
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
};

static const char *const pass_names[] = { "drop", "same", "other", NULL };
static const char *const backend_names[] = { "ipsec-mb", "openssl", NULL };
static const char *const arch_names[] = {
	"auto", "sse", "avx", "avx2", "avx512", "imb-auto", NULL
};
static const char *const apkind_names[] = { "nar", "current-if", "no-prefix", "no-fmip", NULL };
static const char *const level_names[] = { "none",    "emerg",	"alert", "crit",  "err",
					   "warning", "notice", "info",	 "debug", NULL };

#define C(f)	     offsetof(struct gw_config, f), sizeof(((struct gw_config *)0)->f)
#define A(f)	     offsetof(struct hk_ap, f), sizeof(((struct hk_ap *)0)->f)
#define U(f, lo, hi) C(f), lo, hi, NULL
#define E(f, n)	     C(f), 0, 0, n

static const struct key keys[] = {
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
	  "hmac-sha1, hmac-sha256; ATs not listed are refused",
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
	/* [policer] per worker */
	{ "policer", "rtsolpr_rate", T_UINT, "1000", true,
	  "RtSolPr per second per worker toward control (0: no limit)",
	  U(pol[GW_CLS_RTSOLPR].rate, 0, 100000000) },
	{ "policer", "rtsolpr_burst", T_UINT, "64", true, "RtSolPr bucket depth (packets)",
	  U(pol[GW_CLS_RTSOLPR].burst, 1, 1000000) },
	{ "policer", "cps_rate", T_UINT, "100", true, "CPS per second per worker (0: no limit)",
	  U(pol[GW_CLS_CPS].rate, 0, 100000000) },
	{ "policer", "cps_burst", T_UINT, "16", true, "CPS bucket depth (packets)",
	  U(pol[GW_CLS_CPS].burst, 1, 1000000) },
	{ "policer", "nd_rate", T_UINT, "1000", true,
	  "other ND/SEND/MH messages for the router per second per worker (0: no limit)",
	  U(pol[GW_CLS_ND].rate, 0, 100000000) },
	{ "policer", "nd_burst", T_UINT, "64", true, "their bucket depth (packets)",
	  U(pol[GW_CLS_ND].burst, 1, 1000000) },
	/* [rings] */
	{ "rings", "ring_size", T_UINT, "1024", false,
	  "entries of each worker's ring to the control lcore (power of two)",
	  U(ring_size, 64, 1u << 20) },
	/* [ports] */
	{ "ports", "pass_through", T_ENUM, "drop", true,
	  "traffic not for the gateway: drop, same (back out the port it came in) or other "
	  "(out port id xor 1)",
	  E(pass, pass_names) },
	{ "ports", "mbufs", T_UINT, "8191", false, "mbufs in the pool (all ports and lcores)",
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
	/* [log] */
	{ "log", "level", T_ENUM, "info", true,
	  "level of the fmipgw.* log types: none emerg alert crit err warning notice info debug",
	  E(log_level, level_names) },
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
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const type_names[] = { "string",    "uint",	      "bool", "ipv6",
					  "ipv6 list", "prefix list", "enum", "mac",
					  "at map",    "prefix",      "lcore" };

unsigned config_nkeys(void)
{
	return NKEYS;
}

void config_key_info(unsigned i, const char **section, const char **key, const char **type,
		     const char **def, bool *reload, const char **help)
{
	*section = keys[i].section;
	*key = keys[i].key;
	*type = type_names[keys[i].type];
	*def = keys[i].def;
	*reload = keys[i].reload;
	*help = keys[i].help;
}

void config_print_help(FILE *f)
{
	const char *sec = "";

	for (unsigned i = 0; i < NKEYS; i++) {
		if (strcmp(sec, keys[i].section) != 0) {
			sec = keys[i].section;
			fprintf(f, "\n[%s]\n", strcmp(sec, "ap.*") == 0 ? "ap.NAME" : sec);
		}
		fprintf(f, "  %-20s %-11s default '%s'%s\n      %s\n", keys[i].key,
			type_names[keys[i].type], keys[i].def,
			keys[i].reload ? ", reloadable (SIGHUP)" : "", keys[i].help);
	}
}

void config_print_md(FILE *f)
{
	fprintf(
	    f,
	    "| section | key | type | default | reload | meaning |\n|---|---|---|---|---|---|\n");
	for (unsigned i = 0; i < NKEYS; i++)
		fprintf(f, "| `[%s]` | `%s` | %s | `%s` | %s | %s |\n",
			strcmp(keys[i].section, "ap.*") == 0 ? "ap.NAME" : keys[i].section,
			keys[i].key, type_names[keys[i].type], keys[i].def,
			keys[i].reload ? "yes" : "no", keys[i].help);
}

/* ------------------------------------------------------------------------------------------ */
/* Line numbers for error messages                                                             */
/* ------------------------------------------------------------------------------------------ */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The line of key in section (key NULL: of the section header); 0 if not found. */
static unsigned find_line(const char *file, const char *section, const char *key)
{
	FILE *f = fopen(file, "r");
	char buf[1024];
	unsigned n = 0, found = 0;
	bool in = false;

	if (f == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		char *s = trim(buf), *e;

		n++;
		if (*s == '[') {
			e = strchr(s, ']');
			if (e != NULL)
				*e = '\0';
			in = strcmp(trim(s + 1), section) == 0;
			if (in && key == NULL) {
				found = n;
				break;
			}
			continue;
		}
		if (!in || key == NULL || *s == ';' || *s == '#')
			continue;
		e = strchr(s, '=');
		if (e == NULL)
			continue;
		*e = '\0';
		if (strcmp(trim(s), key) == 0) {
			found = n;
			break;
		}
	}
	fclose(f);
	return found;
}

/* ------------------------------------------------------------------------------------------ */
/* Value parsers: 0, or -1 with a message (without file:line) in err                           */
/* ------------------------------------------------------------------------------------------ */

static int parse_uint(const char *v, uint64_t lo, uint64_t hi, uint64_t *out, char *err, size_t len)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (*v == '-' || *v == '\0') {
		snprintf(err, len, "'%s' is not an unsigned number", v);
		return -1;
	}
	x = strtoull(v, &end, 10); /* base 10: 0100 is one hundred, not octal */
	if (errno != 0 || *end != '\0') {
		snprintf(err, len, "'%s' is not an unsigned number", v);
		return -1;
	}
	if (x < lo || x > hi) {
		snprintf(err, len, "%llu is out of range [%llu, %llu]", x, (unsigned long long)lo,
			 (unsigned long long)hi);
		return -1;
	}
	*out = x;
	return 0;
}

static int parse_ip6(const char *v, uint8_t out[16], char *err, size_t len)
{
	if (inet_pton(AF_INET6, v, out) != 1) {
		snprintf(err, len, "'%s' is not an IPv6 address", v);
		return -1;
	}
	return 0;
}

static int parse_prefix(const char *v, uint8_t addr[16], uint8_t *plen, char *err, size_t len)
{
	char buf[128];
	char *slash;
	uint64_t l;

	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash == NULL) {
		snprintf(err, len, "'%s' is not a prefix (addr/len)", v);
		return -1;
	}
	*slash = '\0';
	if (parse_ip6(trim(buf), addr, err, len) < 0 ||
	    parse_uint(trim(slash + 1), 1, 128, &l, err, len) < 0)
		return -1;
	*plen = (uint8_t)l;
	return 0;
}

static int parse_mac(const char *v, uint8_t out[6], char *err, size_t len)
{
	unsigned b[6];
	char c;

	if (sscanf(v, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &c) != 6) {
		snprintf(err, len, "'%s' is not a MAC address (xx:xx:xx:xx:xx:xx)", v);
		return -1;
	}
	for (int i = 0; i < 6; i++) {
		if (b[i] > 255) {
			snprintf(err, len, "'%s' is not a MAC address", v);
			return -1;
		}
		out[i] = (uint8_t)b[i];
	}
	return 0;
}

/* Split a comma-separated list in place; returns the count or -1 if over max. */
static int split(char *s, char **items, int max)
{
	int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
		t = trim(t);
		if (*t == '\0')
			continue;
		if (n == max)
			return -1;
		items[n++] = t;
	}
	return n;
}

static int parse_atmap(const char *v, struct mac_at_cfg *at, char *err, size_t len)
{
	char buf[256];
	char *items[MAC_AT_MAX];
	int n;

	memset(at, 0, sizeof(struct mac_at_cfg) * MAC_AT_MAX);
	snprintf(buf, sizeof(buf), "%s", v);
	n = split(buf, items, MAC_AT_MAX);
	if (n <= 0) {
		snprintf(err, len, "'%s': need at least one AT:algorithm:tag-octets", v);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char alg[32];
		unsigned a, t, dl;
		enum mac_alg ma;

		if (sscanf(items[i], "%u:%31[a-z0-9-]:%u", &a, alg, &t) != 3 || a >= MAC_AT_MAX) {
			snprintf(err, len, "'%s' is not AT:algorithm:tag-octets with AT 0..15",
				 items[i]);
			return -1;
		}
		if (strcmp(alg, "hmac-sha1") == 0) {
			ma = MAC_ALG_HMAC_SHA1;
			dl = 20;
		} else if (strcmp(alg, "hmac-sha256") == 0) {
			ma = MAC_ALG_HMAC_SHA256;
			dl = 32;
		} else {
			snprintf(err, len, "unknown algorithm '%s' (hmac-sha1, hmac-sha256)", alg);
			return -1;
		}
		if (t < 1 || t > dl) {
			snprintf(err, len, "tag length %u of AT %u is not 1..%u", t, a, dl);
			return -1;
		}
		if (at[a].alg != MAC_ALG_NONE) {
			snprintf(err, len, "AT %u listed twice", a);
			return -1;
		}
		at[a].alg = ma;
		at[a].tag_len = (uint8_t)t;
	}
	return 0;
}

static int parse_value(const struct key *k, const char *v, void *base, const struct gw_config *cfg,
		       char *err, size_t len)
{
	uint8_t *dst = (uint8_t *)base + k->off;
	uint64_t x;

	(void)cfg;
	switch (k->type) {
	case T_STR:
		if (strlen(v) >= k->size) {
			snprintf(err, len, "value longer than %zu characters", k->size - 1);
			return -1;
		}
		memcpy(dst, v, strlen(v) + 1);
		return 0;
	case T_UINT:
		if (parse_uint(v, k->min, k->max, &x, err, len) < 0)
			return -1;
		if (k->size == 4)
			*(uint32_t *)(void *)dst = (uint32_t)x;
		else if (k->size == 2)
			*(uint16_t *)(void *)dst = (uint16_t)x;
		else if (k->size == 8)
			*(uint64_t *)(void *)dst = x;
		else
			*(unsigned *)(void *)dst = (unsigned)x;
		return 0;
	case T_BOOL:
		if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
		    !strcasecmp(v, "on"))
			*(bool *)(void *)dst = true;
		else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
			 !strcasecmp(v, "off"))
			*(bool *)(void *)dst = false;
		else {
			snprintf(err, len, "'%s' is not a boolean (true/false)", v);
			return -1;
		}
		return 0;
	case T_ENUM:
		for (unsigned i = 0; k->names[i] != NULL; i++) {
			if (strcmp(v, k->names[i]) == 0) {
				*(uint32_t *)(void *)dst = i; /* every enum field is 4 octets */
				return 0;
			}
		}
		{
			char opts[160] = "";

			for (unsigned i = 0; k->names[i] != NULL; i++) {
				strncat(opts, " ", sizeof(opts) - strlen(opts) - 1);
				strncat(opts, k->names[i], sizeof(opts) - strlen(opts) - 1);
			}
			snprintf(err, len, "'%s' is not one of:%s", v, opts);
		}
		return -1;
	case T_IP6:
		if (*v == '\0')
			return 0;
		return parse_ip6(v, dst, err, len);
	case T_MAC:
		if (*v == '\0')
			return 0;
		return parse_mac(v, dst, err, len);
	case T_PREFIX:
		if (*v == '\0')
			return 0;
		/* struct hk_ap: nar_prefix[16] then nar_prefix_len */
		return parse_prefix(v, dst, &((struct hk_ap *)base)->nar_prefix_len, err, len);
	case T_ATMAP:
		return parse_atmap(v, (struct mac_at_cfg *)(void *)dst, err, len);
	case T_LCORE: {
		int *l = (int *)(void *)dst;

		if (strcmp(v, "main") == 0) {
			*l = -1;
			return 0;
		}
		if (parse_uint(v, 0, RTE_MAX_LCORE - 1, &x, err, len) < 0)
			return -1;
		*l = (int)x;
		return 0;
	}
	case T_IP6_LIST:
	case T_PREFIX_LIST: {
		char buf[1024];
		char *items[GW_MAX_PAR > GW_MAX_PREFIXES ? GW_MAX_PAR : GW_MAX_PREFIXES];
		struct gw_config *c = base;
		int n;

		snprintf(buf, sizeof(buf), "%s", v);
		n = split(buf, items, k->type == T_IP6_LIST ? GW_MAX_PAR : GW_MAX_PREFIXES);
		if (n < 0) {
			snprintf(err, len, "more than %d entries",
				 k->type == T_IP6_LIST ? GW_MAX_PAR : GW_MAX_PREFIXES);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			if (k->type == T_IP6_LIST) {
				if (parse_ip6(items[i], c->par[i], err, len) < 0)
					return -1;
			} else if (parse_prefix(items[i], c->prefixes[i].addr, &c->prefixes[i].len,
						err, len) < 0) {
				return -1;
			}
		}
		if (k->type == T_IP6_LIST)
			c->n_par = (unsigned)n;
		else
			c->n_prefixes = (unsigned)n;
		return 0;
	}
	}
	snprintf(err, len, "internal: unknown type");
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                     */
/* ------------------------------------------------------------------------------------------ */

static int key_index(const char *section, const char *key)
{
	bool ap = strncmp(section, "ap.", 3) == 0;

	for (unsigned i = 0; i < NKEYS; i++) {
		if ((ap ? strcmp(keys[i].section, "ap.*") == 0
			: strcmp(keys[i].section, section) == 0) &&
		    strcmp(keys[i].key, key) == 0)
			return (int)i;
	}
	return -1;
}

static bool section_known(const char *s)
{
	if (strncmp(s, "ap.", 3) == 0)
		return s[3] != '\0';
	for (unsigned i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, s) == 0)
			return true;
	return false;
}

#define FAIL(line, ...)                                                            \
	do {                                                                       \
		int o_ = snprintf(err, errlen, "%s:%u: ", file, (unsigned)(line)); \
		if (o_ > 0 && (size_t)o_ < errlen)                                 \
			snprintf(err + o_, errlen - (size_t)o_, __VA_ARGS__);      \
		goto fail;                                                         \
	} while (0)

static void set_defaults(struct gw_config *cfg)
{
	char e[160];

	for (unsigned i = 0; i < NKEYS; i++) {
		if (strcmp(keys[i].section, "ap.*") == 0)
			continue;
		if (parse_value(&keys[i], keys[i].def, cfg, cfg, e, sizeof(e)) < 0)
			fprintf(stderr, "fmipgw: internal: default of %s.%s: %s\n", keys[i].section,
				keys[i].key, e);
		snprintf(cfg->text[i], sizeof(cfg->text[i]), "%s", keys[i].def);
	}
}

/* Record section/key (key "": a section header) seen at line n; true (msg set) if it was
 * seen before: rte_cfgfile would keep one of the two silently. */
static bool seen_check(char (*seen)[2 * CFG_NAME_LEN], unsigned *seen_line, unsigned *nseen,
		       unsigned max, const char *sec, const char *key, unsigned n, char *msg,
		       size_t msglen)
{
	char id[2 * CFG_NAME_LEN];

	if (seen == NULL || seen_line == NULL)
		return false;
	snprintf(id, sizeof(id), "%s\n%s", sec, key);
	for (unsigned i = 0; i < *nseen; i++) {
		if (strcmp(seen[i], id) != 0)
			continue;
		if (*key == '\0')
			snprintf(msg, msglen, "section [%s] appears twice (first at line %u)", sec,
				 seen_line[i]);
		else
			snprintf(msg, msglen, "duplicate key '%s' in [%s] (first at line %u)", key,
				 sec, seen_line[i]);
		return true;
	}
	if (*nseen < max) {
		memcpy(seen[*nseen], id, sizeof(id));
		seen_line[(*nseen)++] = n;
	}
	return false;
}

int config_load(const char *file, struct gw_config *cfg, char *err, size_t errlen)
{
	struct rte_cfgfile *cf = NULL;
	char(*sections)[CFG_NAME_LEN] = NULL;
	struct rte_cfgfile_entry *ent = NULL;
	int nsec, nent;
	char e[256];
	struct stat stt;

	memset(cfg, 0, sizeof(*cfg));
	cfg->text = calloc(NKEYS, sizeof(*cfg->text));
	if (cfg->text == NULL) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	/* library defaults first, then the table's (which cover every field we expose) */
	send_cfg_default(&cfg->send);
	mac_cfg_defaults(&cfg->mac);
	set_defaults(cfg);
	snprintf(cfg->file, sizeof(cfg->file), "%s", file);

	if (stat(file, &stt) != 0 || !S_ISREG(stt.st_mode)) {
		snprintf(err, errlen, "%s: cannot read the configuration file: %s", file,
			 errno ? strerror(errno) : "not a regular file");
		goto fail;
	}
	/* rte_cfgfile skips some malformed lines silently and cuts long ones (names at
	 * CFG_NAME_LEN - 1, values at CFG_VALUE_LEN - 1, lines at its read buffer): refuse them
	 * first, with their line */
	{
		FILE *f = fopen(file, "r");
		char buf[1024];
		unsigned n = 0, bad = 0, nseen = 0;
		char cursec[CFG_NAME_LEN] = "";
		/* "section\nkey" (key "" for a header) of every line so far: duplicates refused */
		enum { SEEN_MAX = 1024 };
		char(*seen)[2 * CFG_NAME_LEN] = calloc(SEEN_MAX, sizeof(*seen));
		unsigned *seen_line = calloc(SEEN_MAX, sizeof(*seen_line));
		const char *why = "syntax error (expected [section] or key = value)";
		/* rte_cfgfile_load() reads lines with fgets into CFG_NAME_LEN + CFG_VALUE_LEN + 4
		 */
		const size_t max_line = CFG_NAME_LEN + CFG_VALUE_LEN + 2;
		char msg[128];

		while (f != NULL && fgets(buf, sizeof(buf), f) != NULL) {
			size_t len = strlen(buf);
			bool nl = len > 0 && buf[len - 1] == '\n';
			char *s = NULL, *eq;

			n++;
			if (!nl && !feof(f)) {
				snprintf(msg, sizeof(msg), "line longer than %zu characters",
					 max_line);
				why = msg;
				bad = n;
				break;
			}
			if ((nl ? len - 1 : len) > max_line) {
				snprintf(msg, sizeof(msg), "line longer than %zu characters",
					 max_line);
				why = msg;
				bad = n;
				break;
			}
			s = trim(buf);
			if (*s == '\0' || *s == ';' || *s == '#')
				continue;
			if ((*s == '[' && strchr(s, ']') == NULL) ||
			    (*s != '[' && (strchr(s, '=') == NULL || *s == '='))) {
				bad = n;
				break;
			}
			if (*s == '[') {
				if ((size_t)(strchr(s, ']') - s - 1) >= CFG_NAME_LEN) {
					snprintf(msg, sizeof(msg),
						 "section name longer than %d characters",
						 CFG_NAME_LEN - 1);
					why = msg;
					bad = n;
					break;
				}
				*strchr(s, ']') = '\0';
				snprintf(cursec, sizeof(cursec), "%s", trim(s + 1));
				if (seen_check(seen, seen_line, &nseen, SEEN_MAX, cursec, "", n,
					       msg, sizeof(msg))) {
					why = msg;
					bad = n;
					break;
				}
				continue;
			}
			eq = strchr(s, '=');
			*eq = '\0';
			if (strlen(trim(s)) >= CFG_NAME_LEN) {
				snprintf(msg, sizeof(msg), "key name longer than %d characters",
					 CFG_NAME_LEN - 1);
				why = msg;
				bad = n;
				break;
			}
			if (seen_check(seen, seen_line, &nseen, SEEN_MAX, cursec, trim(s), n, msg,
				       sizeof(msg))) {
				why = msg;
				bad = n;
				break;
			}
			if (strchr(eq + 1, ';') != NULL)
				*strchr(eq + 1, ';') = '\0'; /* rte_cfgfile drops comments */
			if (strlen(trim(eq + 1)) >= CFG_VALUE_LEN) {
				snprintf(
				    msg, sizeof(msg),
				    "value longer than %d characters (rte_cfgfile would cut it)",
				    CFG_VALUE_LEN - 1);
				why = msg;
				bad = n;
				break;
			}
		}
		if (f != NULL)
			fclose(f);
		free(seen);
		free(seen_line);
		if (bad)
			FAIL(bad, "%s", why);
	}
	cf = rte_cfgfile_load(file, CFG_FLAG_EMPTY_VALUES);
	if (cf == NULL)
		FAIL(0, "rte_cfgfile cannot parse the file");
	nsec = rte_cfgfile_num_sections(cf, NULL, 0);
	if (nsec < 0)
		FAIL(0, "cannot read sections");
	sections = calloc((size_t)nsec + 1, sizeof(*sections));
	if (sections == NULL)
		FAIL(0, "out of memory");
	{
		char *ptrs[nsec + 1];

		for (int i = 0; i < nsec; i++)
			ptrs[i] = sections[i];
		if (rte_cfgfile_sections(cf, ptrs, nsec) != nsec)
			FAIL(0, "cannot read sections");
	}
	for (int s = 0; s < nsec; s++) {
		const char *sec = sections[s];
		bool ap = strncmp(sec, "ap.", 3) == 0;
		void *base = cfg;

		if (!section_known(sec))
			FAIL(find_line(file, sec, NULL), "unknown section [%s]", sec);
		if (ap) {
			if (cfg->n_aps == GW_MAX_APS)
				FAIL(find_line(file, sec, NULL), "more than %d [ap.*] sections",
				     GW_MAX_APS);
			base = &cfg->aps[cfg->n_aps];
			cfg->aps[cfg->n_aps].kind = HK_AP_NAR;
		}
		nent = rte_cfgfile_section_num_entries(cf, sec);
		if (nent < 0)
			FAIL(find_line(file, sec, NULL), "cannot read section [%s]", sec);
		free(ent);
		ent = calloc((size_t)nent + 1, sizeof(*ent));
		if (ent == NULL)
			FAIL(0, "out of memory");
		if (rte_cfgfile_section_entries(cf, sec, ent, nent) != nent)
			FAIL(find_line(file, sec, NULL), "cannot read section [%s]", sec);
		for (int i = 0; i < nent; i++) {
			int ki = key_index(sec, ent[i].name);
			char *v = trim(ent[i].value);

			if (ki < 0)
				FAIL(find_line(file, sec, ent[i].name), "unknown key '%s' in [%s]",
				     ent[i].name, sec);
			if (parse_value(&keys[ki], v, base, cfg, e, sizeof(e)) < 0)
				FAIL(find_line(file, sec, ent[i].name), "%s: %s", ent[i].name, e);
			if (!ap)
				snprintf(cfg->text[ki], sizeof(cfg->text[ki]), "%s", v);
		}
		if (ap) {
			struct hk_ap *a = &cfg->aps[cfg->n_aps];
			static const uint8_t z6[6], z16[16];

			if (memcmp(a->ap_lla, z6, 6) == 0)
				FAIL(find_line(file, sec, NULL), "[%s] needs lla", sec);
			if (a->kind == HK_AP_NAR &&
			    (a->nar_prefix_len == 0 || memcmp(a->nar_lla, z6, 6) == 0 ||
			     memcmp(a->nar_addr, z16, 16) == 0))
				FAIL(find_line(file, sec, NULL),
				     "[%s] kind = nar needs nar_addr, nar_lla and nar_prefix (none "
				     "of "
				     "them all zero: the PrRtAdv would carry them)",
				     sec);
			cfg->n_aps++;
		}
	}

	/* cross-key validation */
	{
		static const uint8_t z16[16];

		cfg->has_router_addr = memcmp(cfg->router_addr, z16, 16) != 0;
		if (cfg->has_router_addr &&
		    !(cfg->router_addr[0] == 0xfe && (cfg->router_addr[1] & 0xc0) == 0x80))
			FAIL(find_line(file, "router", "address"),
			     "address must be a link-local address (fe80::/10)");
	}
	if (cfg->key_file[0] == '\0')
		FAIL(find_line(file, "router", NULL), "[router] key_file is required");
	if (config_check_key_file(cfg->key_file, e, sizeof(e)) < 0)
		FAIL(find_line(file, "router", "key_file"), "key_file: %s", e);
	if (cfg->cert_file[0] != '\0' && access(cfg->cert_file, R_OK) != 0)
		FAIL(find_line(file, "router", "cert_file"), "cert_file '%s': %s", cfg->cert_file,
		     strerror(errno));
	if (cfg->anchor_file[0] != '\0' && access(cfg->anchor_file, R_OK) != 0)
		FAIL(find_line(file, "router", "anchor_file"), "anchor_file '%s': %s",
		     cfg->anchor_file, strerror(errno));
	if (cfg->params_file[0] != '\0' && access(cfg->params_file, R_OK) != 0)
		FAIL(find_line(file, "router", "params_file"), "params_file '%s': %s",
		     cfg->params_file, strerror(errno));
	if (cfg->n_par == 0)
		FAIL(find_line(file, "par", NULL), "[par] addresses: at least one PAR address");
	if (cfg->n_prefixes == 0)
		FAIL(find_line(file, "router", "prefixes"),
		     "[router] prefixes: at least one prefix");
	if (cfg->send.min_bits > cfg->send.max_bits)
		FAIL(find_line(file, "send", "min_bits"), "min_bits is greater than max_bits");
	if ((cfg->ring_size & (cfg->ring_size - 1)) != 0)
		FAIL(find_line(file, "rings", "ring_size"), "ring_size %u is not a power of two",
		     cfg->ring_size);
	if (cfg->mbuf_cache > cfg->mbufs / 4)
		FAIL(find_line(file, "ports", "mbuf_cache"),
		     "mbuf_cache must be at most mbufs / 4");
	if ((cfg->rx_desc & (cfg->rx_desc - 1)) != 0 || (cfg->tx_desc & (cfg->tx_desc - 1)) != 0)
		FAIL(find_line(file, "ports", "rx_desc"),
		     "rx_desc and tx_desc must be powers of two");
	for (int a = 0; a < MAC_AT_MAX; a++)
		if (cfg->mac.at[a].alg != MAC_ALG_NONE)
			goto have_at;
	FAIL(find_line(file, "mac", "at_map"), "at_map enables no AT");
have_at:
	free(ent);
	free(sections);
	rte_cfgfile_close(cf);
	return 0;
fail:
	free(ent);
	free(sections);
	if (cf != NULL)
		rte_cfgfile_close(cf);
	free(cfg->text);
	cfg->text = NULL;
	return -1;
}

void config_free(struct gw_config *cfg)
{
	free(cfg->text);
	cfg->text = NULL;
	free(cfg->text_old);
	cfg->text_old = NULL;
}

unsigned config_key_line(const struct gw_config *cfg, const char *section, const char *key)
{
	unsigned l = find_line(cfg->file, section, key);

	return l ? l : find_line(cfg->file, section, NULL);
}

int config_check_key_file(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen,
			 "private key '%s' is accessible by group or others (mode %03o); "
			 "run: chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int config_apply_reload(struct gw_config *cur, const struct gw_config *nw, char *warn,
			size_t warnlen)
{
	int changed = 0;
	/* /fmipgw/config reads cur->text from a telemetry thread: the new text is built aside
	 * and published by one pointer store; the array it replaces is freed at the next reload
	 * (a reader holds it for microseconds) or by config_free() */
	char(*text)[160] = malloc(NKEYS * sizeof(*text));

	warn[0] = '\0';
	if (text == NULL) {
		snprintf(warn, warnlen, "out of memory: nothing reloaded");
		return 1;
	}
	memcpy(text, cur->text, NKEYS * sizeof(*text));
	for (unsigned i = 0; i < NKEYS; i++) {
		const struct key *k = &keys[i];

		if (strcmp(k->section, "ap.*") == 0)
			continue;
		if (strcmp(text[i], nw->text[i]) == 0)
			continue;
		if (!k->reload) {
			size_t l = strlen(warn);

			snprintf(warn + l, warnlen - l, "%s%s.%s", l ? ", " : "", k->section,
				 k->key);
			changed++;
			continue;
		}
		if (k->size == 4) /* workers read some of these (pass_through): one store */
			__atomic_store_n(
			    (uint32_t *)(void *)((uint8_t *)cur + k->off),
			    *(const uint32_t *)(const void *)((const uint8_t *)nw + k->off),
			    __ATOMIC_RELAXED);
		else
			memcpy((uint8_t *)cur + k->off, (const uint8_t *)nw + k->off, k->size);
		snprintf(text[i], sizeof(text[i]), "%s", nw->text[i]);
	}
	if (cur->n_aps != nw->n_aps || memcmp(cur->aps, nw->aps, sizeof(cur->aps)) != 0) {
		size_t l = strlen(warn);

		snprintf(warn + l, warnlen - l, "%s[ap.*] sections (need a restart)",
			 l ? ", " : "");
		changed++;
	}
	free(cur->text_old);
	cur->text_old = cur->text;
	__atomic_store_n(&cur->text, text, __ATOMIC_RELEASE);
	return changed;
}
