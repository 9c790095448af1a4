/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fz_config: the oracles of fuzz_config.c (fz_config.h). */
#include "fz_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#define ORACLE(c)                                                                                 \
	do {                                                                                      \
		if (!(c)) {                                                                       \
			fprintf(stderr, "fuzz_config: oracle failed: %s (%s:%d)\n", #c, __FILE__, \
				__LINE__);                                                        \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

#define CHECKS 12 /* entries checked against the line finder per input (a file read each) */

static uint32_t fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

void fz_cfg_scan_agrees(const char *path, const uint8_t *data, size_t size)
{
	struct rte_cfgfile_entry *ent = NULL;
	char msg[384], name[CFG_NAME_LEN], prev[CFG_NAME_LEN];
	struct rte_cfgfile *cf;
	unsigned line, total = 0, seen = 0;
	uint32_t h = fnv(data, size);
	int ns;

	if (config_scan(path, &line, msg, sizeof(msg)) != 0)
		return;
	cf = config_cfgfile_load(path);
	ORACLE(cf != NULL); /* the scan passed what rte_cfgfile cannot parse */
	ns = rte_cfgfile_num_sections(cf, NULL, 0);
	for (int s = 0; s < ns; s++)
		total += (unsigned)rte_cfgfile_section_num_entries_by_index(cf, name, s);
	for (int s = 0; s < ns; s++) {
		int ne = rte_cfgfile_section_num_entries_by_index(cf, name, s);

		if (config_cfgfile_section_skipped(s))
			continue;
		for (int t = 0; t < s; t++) { /* the scan refuses a section seen twice */
			rte_cfgfile_section_num_entries_by_index(cf, prev, t);
			ORACLE(config_cfgfile_section_skipped(t) || strcmp(prev, name) != 0);
		}
		if (s < CHECKS) /* its header is on a line */
			ORACLE(config_find_line(path, name, NULL) != 0);
		ent = realloc(ent, ((size_t)ne + 1) * sizeof(*ent));
		ORACLE(ent != NULL);
		ORACLE(rte_cfgfile_section_entries_by_index(cf, s, name, ent, ne) == ne);
		for (int i = 0; i < ne; i++, seen++) {
			if (config_cfgfile_entry_skipped(ent[i].name))
				continue;
			for (int j = 0; j < i; j++) /* the scan refuses a key seen twice */
				ORACLE(config_cfgfile_entry_skipped(ent[j].name) ||
				       strcmp(ent[j].name, ent[i].name) != 0);
			/* a window of CHECKS entries (all of a small file): each is on a line of
			 * its section */
			if ((seen + total - h % total) % total < CHECKS)
				ORACLE(config_find_line(path, name, ent[i].name) != 0);
		}
	}
	free(ent);
	rte_cfgfile_close(cf);
}

void fz_cfg_refusal(const char *path, const char *text, size_t len, const char *err)
{
	size_t pl = strlen(path);
	unsigned lines = 1, line, scan_line;
	char *end, msg[384], want[512];

	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	ORACLE(strncmp(err, path, pl) == 0 && err[pl] == ':');
	line = (unsigned)strtoul(err + pl + 1, &end, 10);
	ORACLE(end > err + pl + 1 && end[0] == ':' && end[1] == ' ' && end[2] != '\0');
	ORACLE(line <= lines);
	ORACLE(strchr(err, '\n') == NULL);
	if (config_scan(path, &scan_line, msg, sizeof(msg)) != 0) { /* the scan's own words */
		snprintf(want, sizeof(want), "%s:%u: %s", path, scan_line, msg);
		ORACLE(strcmp(err, want) == 0);
	}
}

static bool pow2(uint32_t x)
{
	return x && (x & (x - 1)) == 0;
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void accepted_aps(const struct gw_config *c)
{
	ORACLE(c->n_aps <= GW_MAX_APS);
	for (unsigned i = 0; i < c->n_aps; i++) {
		const struct hk_ap *a = &c->aps[i];

		ORACLE(!zero(a->ap_lla, 6));
		for (unsigned j = 0; j < i; j++)
			ORACLE(memcmp(c->aps[j].ap_lla, a->ap_lla, 6) != 0);
		if (a->kind == HK_AP_NAR)
			ORACLE(a->nar_prefix_len > 0 && !zero(a->nar_lla, 6) &&
			       !zero(a->nar_addr, 16));
		ORACLE(memchr(c->ap_ext[i].name, '\0', sizeof(c->ap_ext[i].name)) != NULL);
	}
}

static void accepted_fwd(const struct gw_fwd_cfg *f)
{
	ORACLE(f->n_routes <= f->cap_routes && (f->n_routes == 0 || f->routes != NULL));
	for (unsigned i = 0; i < f->n_routes; i++) {
		const struct route_spec *r = &f->routes[i];

		ORACLE(r->len <= 128 && r->kind <= ROUTE_LOCAL);
		for (unsigned d = 0; d < GW_FWD_MAX_PORTS && r->kind != ROUTE_LOCAL; d++)
			ORACLE(f->exc_of[d] != (int)r->port); /* not through an exception port */
	}
	ORACLE(f->n_statics <= GW_MAX_STATIC);
	for (unsigned i = 0; i < f->n_statics; i++)
		ORACLE(f->statics[i].port < GW_FWD_MAX_PORTS && !(f->statics[i].mac[0] & 1) &&
		       f->statics[i].addr[0] != 0xff);
	for (unsigned d = 0; d < GW_FWD_MAX_PORTS; d++)
		ORACLE(f->exc_of[d] < GW_FWD_MAX_PORTS && f->exc_of[d] != (int)d);
}

void fz_cfg_accepted(const struct gw_config *c)
{
	static const unsigned digest[] = { [MAC_ALG_HMAC_SHA1] = 20, [MAC_ALG_HMAC_SHA256] = 32 };
	unsigned ats = 0;

	ORACLE(c->text != NULL);
	for (unsigned i = 0; i < config_nkeys(); i++)
		ORACLE(memchr(c->text[i], '\0', GW_CFG_TEXT) != NULL);
	ORACLE(c->key_file[0] != '\0');
	ORACLE(c->n_par >= 1 && c->n_par <= GW_MAX_PAR);
	ORACLE(c->n_prefixes >= 1 && c->n_prefixes <= GW_MAX_PREFIXES);
	for (unsigned i = 0; i < c->n_prefixes; i++)
		ORACLE(c->prefixes[i].len >= 1 && c->prefixes[i].len <= 128);
	ORACLE(!c->has_router_addr ||
	       (c->router_addr[0] == 0xfe && (c->router_addr[1] & 0xc0) == 0x80));
	ORACLE(c->send.min_bits <= c->send.max_bits);
	ORACLE(pow2(c->ring_size) && pow2(c->rx_desc) && pow2(c->tx_desc));
	ORACLE(c->mbuf_cache <= c->mbufs / 4);
	ORACLE(c->bind_capacity > 0);
	ORACLE(!c->has_tun_source ||
	       (c->tun_source[0] != 0xff &&
		!(c->tun_source[0] == 0xfe && (c->tun_source[1] & 0xc0) == 0x80)));
	for (unsigned a = 0; a < MAC_AT_MAX; a++) {
		enum mac_alg alg = c->mac.at[a].alg;

		if (alg == MAC_ALG_NONE)
			continue;
		ats++;
		ORACLE(alg == MAC_ALG_HMAC_SHA1 || alg == MAC_ALG_HMAC_SHA256);
		ORACLE(c->mac.at[a].tag_len >= GW_TAG_MIN && c->mac.at[a].tag_len <= digest[alg]);
	}
	ORACLE(ats > 0);
	ORACLE(c->control_lcore >= -1 && c->control_lcore < RTE_MAX_LCORE);
	ORACLE(c->n_slow <= GW_MAX_SLOW);
	for (unsigned i = 0; i < c->n_slow; i++) {
		ORACLE(c->slow_lcores[i] < RTE_MAX_LCORE);
		for (unsigned j = 0; j < i; j++)
			ORACLE(c->slow_lcores[j] != c->slow_lcores[i]);
	}
	accepted_aps(c);
	accepted_fwd(&c->fwd);
}

/* A copy of base that config_apply_reload and config_free may own. */
static void copy_cfg(struct gw_config *cur, const struct gw_config *base)
{
	size_t tl = config_nkeys() * sizeof(*base->text);
	size_t nr = base->fwd.cap_routes;

	memcpy(cur, base, sizeof(*cur));
	cur->text = malloc(tl);
	cur->text_old = NULL;
	ORACLE(cur->text != NULL);
	memcpy(cur->text, base->text, tl);
	cur->fwd.routes = nr ? malloc(nr * sizeof(*cur->fwd.routes)) : NULL;
	cur->fwd.route_line = nr ? malloc(nr * sizeof(*cur->fwd.route_line)) : NULL;
	ORACLE(nr == 0 || (cur->fwd.routes != NULL && cur->fwd.route_line != NULL));
	if (nr) {
		memcpy(cur->fwd.routes, base->fwd.routes, nr * sizeof(*cur->fwd.routes));
		memcpy(cur->fwd.route_line, base->fwd.route_line,
		       nr * sizeof(*cur->fwd.route_line));
	}
}

void fz_cfg_reload(const struct gw_config *base, struct gw_config *loaded)
{
	struct gw_config cur;
	char warn[2048];
	int want = 0, got;

	copy_cfg(&cur, base);
	for (unsigned i = 0; i < config_nkeys_; i++)
		if (!config_is_ap(config_keys[i].section) && !config_keys[i].reload &&
		    strcmp(base->text[i], loaded->text[i]) != 0)
			want++;
	if (base->n_aps != loaded->n_aps || memcmp(base->aps, loaded->aps, sizeof(base->aps)) ||
	    memcmp(base->ap_ext, loaded->ap_ext, sizeof(base->ap_ext)))
		want++;
	got = config_apply_reload(&cur, loaded, warn, sizeof(warn));
	ORACLE(got == want);
	ORACLE((warn[0] != '\0') == (want > 0));
	for (unsigned i = 0; i < config_nkeys_; i++) { /* each key from where it should come */
		const struct key *k = &config_keys[i];
		const struct gw_config *from = k->reload ? loaded : base;

		if (config_is_ap(k->section))
			continue;
		ORACLE(strcmp(cur.text[i], from->text[i]) == 0);
		ORACLE(memcmp((const uint8_t *)&cur + k->off, (const uint8_t *)from + k->off,
			      k->size) == 0);
	}
	ORACLE(cur.text_old != NULL &&
	       memcmp(cur.text_old, base->text, config_nkeys_ * sizeof(*base->text)) == 0);
	config_fwd_swap(&cur, loaded); /* as cp/fwd_setup.c does: the old lists leave */
	config_free(&cur);
}
