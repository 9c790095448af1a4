/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry (telemetry.h lists the commands): the teardown guard, the registration,
 * and the counter and configuration commands (/fmipgw/stats, /fmipgw/lcore, /fmipgw/config;
 * /fmipgw/routes and /fmipgw/neighbours through fwd_tel.c).  The key and binding table
 * commands are in tel_tables.c, the parameter parsers in tel_params.c.  DPDK 22.11 callbacks
 * take no user argument: tel_gw (tel_int.h) is the context (set once before registration, never
 * changed).  Counter reads race benignly with the lcores that own them (aligned 64-bit relaxed
 * loads).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_pause.h>
#include <rte_telemetry.h>

#include "cp.h"
#include "dp.h"
#include "fbu.h"
#include "fwd.h"
#include "fwd_tel.h"
#include "port_tel.h"
#include "snapshot.h"
#include "tel_int.h"
#include "tel_params.h"
#include "telemetry.h"

struct gw *tel_gw;
/* Teardown guard: the telemetry threads outlive the gateway's state (DPDK 22.11 cannot
 * unregister a command).  A command runs only while tel_live; telemetry_stop() clears it and
 * waits until no command is inside (sequentially consistent flag/count pair). */
static uint32_t tel_live;
static uint32_t tel_readers;

static bool tel_enter(void)
{
	__atomic_add_fetch(&tel_readers, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&tel_live, __ATOMIC_SEQ_CST))
		return true;
	__atomic_sub_fetch(&tel_readers, 1, __ATOMIC_SEQ_CST);
	return false;
}

static void tel_leave(void)
{
	__atomic_sub_fetch(&tel_readers, 1, __ATOMIC_SEQ_CST);
}

void telemetry_stop(void)
{
	__atomic_store_n(&tel_live, 0, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&tel_readers, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

void gw_counters_sum(const struct gw *gw, struct gw_counters *s)
{
	memset(s, 0, sizeof(*s));
	for (unsigned i = 0; i < gw->n_workers; i++)
		counters_add(s, &gw->workers[i]->cnt);
	if (gw->ctrl != NULL)
		counters_add(s, &gw->ctrl->cnt);
	for (unsigned k = 0; k < gw->n_slow; k++)
		if (gw->slow[k] != NULL)
			counters_add(s, &gw->slow[k]->cnt);
}

/* lib/hk and SEND outcomes summed over every work context (control, slow-path lcores). */
static void reasons_sum(const struct gw *gw, uint64_t hk[HK_R__COUNT], uint64_t sr[SEND_R__COUNT])
{
	const struct cp_work *w[1 + GW_MAX_SLOW];
	unsigned n = 0;

	w[n++] = &gw->ctrl->work;
	for (unsigned k = 0; k < gw->n_slow; k++)
		w[n++] = &gw->slow[k]->work;
	memset(hk, 0, HK_R__COUNT * sizeof(*hk));
	memset(sr, 0, SEND_R__COUNT * sizeof(*sr));
	for (unsigned i = 0; i < n; i++) {
		for (int r = 0; r < HK_R__COUNT; r++)
			hk[r] += __atomic_load_n(&w[i]->hk_reason[r], __ATOMIC_RELAXED);
		for (int r = 0; r < SEND_R__COUNT; r++)
			sr[r] += __atomic_load_n(&w[i]->send_reason[r], __ATOMIC_RELAXED);
	}
}

static const char *const hk_names[] = {
#define HK_NAME(n, s) #n,
	HK_REASONS(HK_NAME)
#undef HK_NAME
};

/* A nested dictionary "key" of n reason counters named by name(r) made telemetry-safe
 * (lower case, '_' for '-').  0, or -1 (nothing added). */
static int add_reasons(struct rte_tel_data *d, const char *key, const char *(*name)(int),
		       const uint64_t *v, int n)
{
	struct rte_tel_data *sub = rte_tel_data_alloc();
	int rc = 0;

	if (sub == NULL)
		return -1;
	rte_tel_data_start_dict(sub);
	for (int r = 0; r < n && rc == 0; r++) {
		char buf[64];

		snprintf(buf, sizeof(buf), "%s", name(r));
		for (char *p = buf; *p; p++)
			*p = *p == '-' ? '_' : (char)tolower((unsigned char)*p);
		rc = rte_tel_data_add_dict_u64(sub, buf, __atomic_load_n(&v[r], __ATOMIC_RELAXED));
	}
	if (rc != 0 || rte_tel_data_add_dict_container(d, key, sub, 0) != 0) {
		rte_tel_data_free(sub);
		return -1;
	}
	return 0;
}

static const char *hk_reason_id(int r)
{
	return r >= 0 && r < HK_R__COUNT ? hk_names[r] : "?";
}

static int cmd_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t hk[HK_R__COUNT], sr[SEND_R__COUNT];
	struct gw_counters s;
	const struct gw_ctrl *c = tel_gw->ctrl;

	(void)cmd;
	(void)params;
	gw_counters_sum(tel_gw, &s);
	rte_tel_data_start_dict(d);
	if (counters_tel_dict(d, &s) < 0 ||
	    rte_tel_data_add_dict_u64(d, "workers", tel_gw->n_workers))
		return -1;
	rte_tel_data_add_dict_u64(d, "prov_latency_samples",
				  __atomic_load_n(&c->lat_n, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "prov_latency_p50_us", cp_latency_pct(c, 50));
	rte_tel_data_add_dict_u64(d, "prov_latency_p99_us", cp_latency_pct(c, 99));
	rte_tel_data_add_dict_u64(d, "prov_latency_max_us", cp_latency_pct(c, 100));
	reasons_sum(tel_gw, hk, sr);
	if (add_reasons(d, "rtsolpr_reasons", hk_reason_id, hk, HK_R__COUNT) < 0 ||
	    add_reasons(d, "send_reasons", send_reason_name, sr, SEND_R__COUNT) < 0)
		return -1;
	return 0;
}

/* Role, load (busy ticks / ticks since the start) and the depth of the rings that wait for
 * or on the lcore, then its counters.  index: the worker's or slow-path lcore's number, under
 * the role's name ("worker": 1); < 0: none. */
static int lcore_dict(struct rte_tel_data *d, const char *role, int index,
		      const struct gw_counters *c, const struct rte_ring *const *rings, unsigned n)
{
	uint64_t up = rte_get_tsc_cycles() - tel_gw->start_tsc;
	uint64_t busy = __atomic_load_n(&c->busy_ticks, __ATOMIC_RELAXED);
	unsigned depth = 0;
	char load[16];

	for (unsigned i = 0; i < n; i++)
		depth += rings[i] != NULL ? rte_ring_count(rings[i]) : 0;
	snprintf(load, sizeof(load), "%.3f", up ? (double)busy / (double)up : 0.0);
	if (rte_tel_data_add_dict_string(d, "role", role) != 0 ||
	    (index >= 0 && rte_tel_data_add_dict_u64(d, role, (uint64_t)index) != 0) ||
	    rte_tel_data_add_dict_string(d, "load", load) != 0 ||
	    rte_tel_data_add_dict_u64(d, "ring_depth", depth) != 0)
		return -1;
	return counters_tel_dict(d, c);
}

static int cmd_lcore(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct gw *gw = tel_gw;
	const struct rte_ring *rings[GW_MAX_WORKERS * (GW_MAX_SLOW + 2)];
	unsigned wl[GW_MAX_WORKERS], sl[GW_MAX_SLOW], x = 0, n = 0;
	struct tel_lcores l = { wl, gw->n_workers, sl, gw->n_slow, gw->ctrl->lcore };
	const struct gw_worker *w;
	struct gw_counters s;
	enum tel_role role;
	unsigned long id;

	(void)cmd;
	if (tel_param_lcore(params, &id) < 0)
		return -1;
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < gw->n_workers; i++)
		wl[i] = gw->workers[i]->lcore;
	for (unsigned k = 0; k < gw->n_slow; k++)
		sl[k] = gw->slow[k]->lcore;
	role = tel_lcore_role(&l, id, &x);
	switch (role) {
	case TEL_ROLE_WORKER:
		/* its queues to others: the control ring, the slow rings; its distribution ring */
		w = gw->workers[x];
		rings[n++] = w->ring;
		rings[n++] = w->dist_ring;
		for (unsigned k = 0; k < gw->n_slow; k++)
			rings[n++] = w->slow_ring[k];
		return lcore_dict(d, "worker", (int)x, &w->cnt, rings, n);
	case TEL_ROLE_SLOW:
		for (unsigned i = 0; i < gw->n_workers; i++) /* what waits for it */
			rings[n++] = gw->workers[i]->slow_ring[x];
		return lcore_dict(d, "slow", (int)x, &gw->slow[x]->cnt, rings, n);
	case TEL_ROLE_CONTROL:
	case TEL_ROLE_CONTROL_WORKER:
		for (unsigned i = 0; i < gw->n_workers; i++)
			rings[n++] = gw->workers[i]->ring;
		rings[n++] = gw->dec_ring;
		if (role == TEL_ROLE_CONTROL)
			return lcore_dict(d, "control", -1, &gw->ctrl->cnt, rings, n);
		gw_counters_sum(gw, &s); /* one lcore does everything */
		return lcore_dict(d, "control+worker", -1, &s, rings, n);
	case TEL_ROLE_NONE:
		break;
	}
	return -1;
}

static int cmd_config(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct rte_tel_data *sec_d = NULL;
	const char *cur = "";
	char(*text)[GW_CFG_TEXT] = __atomic_load_n(&tel_gw->cfg.text, __ATOMIC_ACQUIRE);
	unsigned truncated = 0;
	bool failed = false;
	int rc;

	(void)cmd;
	(void)params;
	/* {"file": ..., "<section>": {"<key>": "<value>"}, ...}: telemetry names allow no '.' */
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "file", tel_gw->cfg.file);
	for (unsigned i = 0; i < config_nkeys(); i++) {
		const char *sec, *key, *type, *def, *help;
		bool rl;

		config_key_info(i, &sec, &key, &type, &def, &rl, &help);
		if (strcmp(sec, "ap.*") == 0)
			continue;
		if (strcmp(sec, cur) != 0) {
			if (sec_d != NULL && rte_tel_data_add_dict_container(d, cur, sec_d, 0) != 0)
				rte_tel_data_free(sec_d);
			sec_d = rte_tel_data_alloc();
			if (sec_d == NULL)
				return -1;
			rte_tel_data_start_dict(sec_d);
			cur = sec;
		}
		rc = rte_tel_data_add_dict_string(sec_d, key, text[i]);
		if (rc == E2BIG)
			truncated++; /* value >= RTE_TEL_MAX_STRING_LEN: cut by the library */
		else if (rc != 0)
			failed = true;
	}
	if (sec_d != NULL && rte_tel_data_add_dict_container(d, cur, sec_d, 0) != 0)
		rte_tel_data_free(sec_d);
	/* values the telemetry library cut (it keeps < RTE_TEL_MAX_STRING_LEN characters): the
	 * file has them whole */
	if (rte_tel_data_add_dict_u64(d, "truncated_values", truncated) != 0 ||
	    rte_tel_data_add_dict_u64(d, "access_points", tel_gw->cfg.n_aps) != 0)
		failed = true;
	rc = rte_tel_data_add_dict_string(d, "mac_engine", mac_engine_describe(tel_gw->mac));
	return failed || (rc != 0 && rc != E2BIG) ? -1 : 0;
}

static int cmd_routes(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return fwd_tel_routes(tel_gw, d);
}

static int cmd_neighbours(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return fwd_tel_neighbours(tel_gw, d);
}

static int cmd_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return port_tel_ports(tel_gw, d);
}

/* Every command through the teardown guard: -1 (an error to the client) once stopping. */
#define TEL_GUARDED(fn)                                                                      \
	static int fn##_guarded(const char *cmd, const char *params, struct rte_tel_data *d) \
	{                                                                                    \
		int rc_;                                                                     \
		if (!tel_enter())                                                            \
			return -1;                                                           \
		rc_ = fn(cmd, params, d);                                                    \
		tel_leave();                                                                 \
		return rc_;                                                                  \
	}
static int cmd_snapshot(const char *cmd, const char *params, struct rte_tel_data *d)
{
	(void)cmd;
	(void)params;
	return cp_snapshot_tel(tel_gw, d);
}

TEL_GUARDED(cmd_stats)
TEL_GUARDED(cmd_snapshot)
TEL_GUARDED(cmd_lcore)
TEL_GUARDED(tel_cmd_keys)
TEL_GUARDED(tel_cmd_key)
TEL_GUARDED(cmd_config)
TEL_GUARDED(cmd_routes)
TEL_GUARDED(cmd_neighbours)
TEL_GUARDED(tel_cmd_bindings)
TEL_GUARDED(tel_cmd_binding)
TEL_GUARDED(cmd_ports)

static bool name_ok(const char *s)
{
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' ||
		      *s == '/'))
			return false;
	return true;
}

int telemetry_init(struct gw *gw, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/fmipgw/stats", cmd_stats_guarded,
		  "fmipgw counters summed over lcores. No parameters" },
		{ "/fmipgw/lcore", cmd_lcore_guarded, "one lcore's counters. Parameter: lcore id" },
		{ "/fmipgw/keys", tel_cmd_keys_guarded,
		  "handover-key table summary. No parameters" },
		{ "/fmipgw/key", tel_cmd_key_guarded,
		  "one key record, no secrets. Parameter: IPv6 address" },
		{ "/fmipgw/config", cmd_config_guarded, "effective configuration. No parameters" },
		{ "/fmipgw/routes", cmd_routes_guarded, "the FIB and its routes. No parameters" },
		{ "/fmipgw/neighbours", cmd_neighbours_guarded,
		  "the neighbour table. No parameters" },
		{ "/fmipgw/bindings", tel_cmd_bindings_guarded,
		  "binding table summary (count, capacity, writer statistics). No parameters" },
		{ "/fmipgw/binding", tel_cmd_binding_guarded,
		  "one binding, no key material. Parameter: the PCoA" },
		{ "/fmipgw/snapshot", cmd_snapshot_guarded,
		  "the key table's sealed snapshot and key import. No parameters" },
		{ "/fmipgw/ports", cmd_ports_guarded,
		  "mbuf pool counts, each port's ethdev statistics. No parameters" },
	};

	tel_gw = gw;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int rc;

		if (!name_ok(cmds[i].name)) {
			snprintf(err, errlen, "telemetry command name '%s' is not [a-z0-9_/]",
				 cmds[i].name);
			return -1;
		}
		rc = rte_telemetry_register_cmd(cmds[i].name, cmds[i].fn, cmds[i].help);
		if (rc != 0) {
			snprintf(err, errlen, "telemetry: cannot register %s: %s", cmds[i].name,
				 strerror(-rc));
			return -1;
		}
	}
	__atomic_store_n(&tel_live, 1, __ATOMIC_SEQ_CST);
	return 0;
}
