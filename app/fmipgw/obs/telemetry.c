/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry commands (telemetry.h lists them).  DPDK 22.11 callbacks take no user
 * argument: the one file-scope pointer below is the context (set once before registration,
 * never changed).  /fmipgw/binding reads the binding table the same way as /fmipgw/key.  Counter
 * reads race benignly with the lcores that own them (aligned 64-bit relaxed loads).  /fmipgw/key
 * reads the key table as an RCU reader with its own QSBR thread id (n_workers), online only for the
 * lookup; a spinlock serialises telemetry clients (each has its own thread) on that id — never on
 * the fast path.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_pause.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "cp.h"
#include "dp.h"
#include "fbu.h"
#include "fwd.h"
#include "fwd_tel.h"
#include "port_tel.h"
#include "telemetry.h"

static struct gw *tel_gw;
/* DPDK serves each telemetry client on its own thread; they share one QSBR thread id. */
static rte_spinlock_t tel_rcu_lock = RTE_SPINLOCK_INITIALIZER;
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
	unsigned long id;
	unsigned n = 0;
	char *end;

	(void)cmd;
	if (params == NULL || *params == '\0')
		return -1;
	id = strtoul(params, &end, 10);
	if (*end != '\0')
		return -1;
	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < gw->n_workers; i++) {
		const struct gw_worker *w = gw->workers[i];

		if (w->lcore != id || gw->ctrl->lcore == id)
			continue;
		/* its queues to others: the control ring, the slow rings; its distribution ring */
		rings[n++] = w->ring;
		rings[n++] = w->dist_ring;
		for (unsigned k = 0; k < gw->n_slow; k++)
			rings[n++] = w->slow_ring[k];
		return lcore_dict(d, "worker", (int)i, &w->cnt, rings, n);
	}
	for (unsigned k = 0; k < gw->n_slow; k++) {
		if (gw->slow[k]->lcore != id)
			continue;
		for (unsigned i = 0; i < gw->n_workers; i++) /* what waits for it */
			rings[n++] = gw->workers[i]->slow_ring[k];
		return lcore_dict(d, "slow", (int)k, &gw->slow[k]->cnt, rings, n);
	}
	if (gw->ctrl->lcore != id)
		return -1;
	for (unsigned i = 0; i < gw->n_workers; i++)
		rings[n++] = gw->workers[i]->ring;
	rings[n++] = gw->dec_ring;
	if (gw->workers[0]->lcore == id) {
		struct gw_counters s;

		gw_counters_sum(gw, &s); /* one lcore does everything */
		return lcore_dict(d, "control+worker", -1, &s, rings, n);
	}
	return lcore_dict(d, "control", -1, &gw->ctrl->cnt, rings, n);
}

static int cmd_keys(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct keytab_stats st;
	struct rte_tel_data *per;

	(void)cmd;
	(void)params;
	keytab_get_stats(tel_gw->kt, &st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "live", st.live);
	rte_tel_data_add_dict_u64(d, "capacity", keytab_capacity(tel_gw->kt));
	rte_tel_data_add_dict_u64(d, "added", st.added);
	rte_tel_data_add_dict_u64(d, "replaced", st.replaced);
	rte_tel_data_add_dict_u64(d, "deleted", st.deleted);
	rte_tel_data_add_dict_u64(d, "expired", st.expired);
	rte_tel_data_add_dict_u64(d, "full", st.full);
	rte_tel_data_add_dict_u64(d, "errors", st.errors);
	rte_tel_data_add_dict_u64(d, "freed", st.freed);
	per = rte_tel_data_alloc();
	if (per != NULL) {
		rte_tel_data_start_dict(per);
		for (int a = 0; a < MAC_AT_MAX; a++) {
			char name[16];

			if (tel_gw->cfg.mac.at[a].alg == MAC_ALG_NONE)
				continue;
			snprintf(name, sizeof(name), "at%d", a);
			rte_tel_data_add_dict_u64(
			    per, name,
			    __atomic_load_n(&tel_gw->ctrl->keys_per_at[a], __ATOMIC_RELAXED));
		}
		if (rte_tel_data_add_dict_container(d, "per_at", per, 0) != 0)
			rte_tel_data_free(per);
	}
	return 0;
}

/* The telemetry threads' one RCU reader id, online only around a lookup: records found stay
 * valid until tel_reader_offline(). */
static void tel_reader_online(void)
{
	rte_spinlock_lock(&tel_rcu_lock);
	rte_rcu_qsbr_thread_online(tel_gw->qsv, gw_qsbr_telemetry(tel_gw));
}

static void tel_reader_offline(void)
{
	rte_rcu_qsbr_quiescent(tel_gw->qsv, gw_qsbr_telemetry(tel_gw));
	rte_rcu_qsbr_thread_offline(tel_gw->qsv, gw_qsbr_telemetry(tel_gw));
	rte_spinlock_unlock(&tel_rcu_lock);
}

static int cmd_key(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint8_t a[16];
	const uint8_t *cgas[1] = { a };
	hash_sig_t sig[1];
	struct keytab_rec *rec[1];
	uint64_t now_s = gw_now_s(tel_gw);

	(void)cmd;
	if (params == NULL || inet_pton(AF_INET6, params, a) != 1)
		return -1;
	sig[0] = keytab_sig(tel_gw->kt, a);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "address", params);
	tel_reader_online();
	if (keytab_lookup_bulk(tel_gw->kt, cgas, sig, 1, rec) == 1) {
		const struct keytab_rec *r = rec[0];
		uint32_t ls = __atomic_load_n(&r->last_seq, __ATOMIC_RELAXED);
		uint64_t exp = __atomic_load_n(&r->expires, __ATOMIC_RELAXED);
		char hex[41];

		for (int i = 0; i < 20; i++)
			snprintf(hex + 2 * i, 3, "%02x", r->pk_sha1[i]);
		rte_tel_data_add_dict_string(
		    d, "state", dp_fbu_key_rules(r, now_s) == DP_FBU_GO ? "live" : "expired");
		rte_tel_data_add_dict_u64(d, "at", r->at);
		rte_tel_data_add_dict_string(d, "alg", mac_alg_name((enum mac_alg)r->mac.alg));
		rte_tel_data_add_dict_u64(d, "tag_len", r->mac.tag_len);
		rte_tel_data_add_dict_string(d, "pk_sha1", hex);
		rte_tel_data_add_dict_u64(d, "age_s", now_s - r->issued);
		rte_tel_data_add_dict_u64(d, "expires_in_s", exp > now_s ? exp - now_s : 0);
		rte_tel_data_add_dict_u64(d, "hk_lifetime_s", r->hk_expires - r->issued);
		rte_tel_data_add_dict_u64(d, "fbu_seen", (ls >> 16) & 1);
		rte_tel_data_add_dict_u64(d, "last_seq", ls & 0xffff);
	} else {
		rte_tel_data_add_dict_string(d, "state", "absent");
	}
	tel_reader_offline();
	return 0;
}

/* The binding table's writer statistics (lib/binding), by name. */
#define BSTAT(f)                                      \
	{                                             \
#f, offsetof(struct binding_stats, f) \
	}
static const struct {
	const char *name;
	size_t off;
} bstats[] = { BSTAT(added),   BSTAT(replaced), BSTAT(activated), BSTAT(torn_down), BSTAT(deleted),
	       BSTAT(expired), BSTAT(stale),	BSTAT(full),	  BSTAT(errors),    BSTAT(freed) };
#undef BSTAT

static int cmd_bindings(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct binding_stats st;
	const struct binding_table *bt = tel_gw->bt;

	(void)cmd;
	(void)params;
	rte_tel_data_start_dict(d);
	if (bt == NULL)
		return 0;
	binding_get_stats(bt, &st);
	rte_tel_data_add_dict_u64(d, "count", binding_count(bt));
	rte_tel_data_add_dict_u64(d, "capacity", binding_capacity(bt));
	for (size_t i = 0; i < sizeof(bstats) / sizeof(bstats[0]); i++)
		rte_tel_data_add_dict_u64(
		    d, bstats[i].name,
		    *(const uint64_t *)(const void *)((const uint8_t *)&st + bstats[i].off));
	return 0;
}

static void add_addr(struct rte_tel_data *d, const char *name, const uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];

	rte_tel_data_add_dict_string(d, name, inet_ntop(AF_INET6, a, s, sizeof(s)) ? s : "?");
}

/* One binding as an RCU reader (the telemetry QSBR id, like /fmipgw/key): NCoA, state,
 * lifetime left, traffic; never key material (not even the key reference). */
static int cmd_binding(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint8_t a[16];
	const uint8_t *pcoas[1] = { a };
	hash_sig_t sig[1];
	const struct binding_rec *rec[1];
	const struct binding_table *bt = tel_gw->bt;
	struct binding_info bi;

	(void)cmd;
	if (params == NULL || bt == NULL || inet_pton(AF_INET6, params, a) != 1)
		return -1;
	sig[0] = binding_sig(bt, a);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "pcoa", params);
	tel_reader_online();
	if (binding_lookup_bulk(bt, pcoas, sig, 1, rec) == 1) {
		binding_info_get(bt, rec[0], gw_now_s(tel_gw), &bi);
		rte_tel_data_add_dict_string(d, "state",
					     bi.state == BINDING_ACTIVE ? "active" : "pending");
		add_addr(d, "ncoa", bi.ncoa);
		add_addr(d, "par", bi.par);
		add_addr(d, "tunnel_source", bi.tun_src);
		rte_tel_data_add_dict_u64(d, "seq", bi.seq);
		rte_tel_data_add_dict_u64(d, "lifetime_s", bi.lifetime);
		rte_tel_data_add_dict_u64(d, "left_s", bi.left);
		rte_tel_data_add_dict_u64(d, "tunnelled_packets", bi.ctr.tun_pkts);
		rte_tel_data_add_dict_u64(d, "tunnelled_bytes", bi.ctr.tun_bytes);
		rte_tel_data_add_dict_u64(d, "reverse_packets", bi.ctr.rev_pkts);
		rte_tel_data_add_dict_u64(d, "reverse_bytes", bi.ctr.rev_bytes);
	} else {
		rte_tel_data_add_dict_string(d, "state", "absent");
	}
	tel_reader_offline();
	return 0;
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
TEL_GUARDED(cmd_stats)
TEL_GUARDED(cmd_lcore)
TEL_GUARDED(cmd_keys)
TEL_GUARDED(cmd_key)
TEL_GUARDED(cmd_config)
TEL_GUARDED(cmd_routes)
TEL_GUARDED(cmd_neighbours)
TEL_GUARDED(cmd_bindings)
TEL_GUARDED(cmd_binding)
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
		{ "/fmipgw/keys", cmd_keys_guarded, "handover-key table summary. No parameters" },
		{ "/fmipgw/key", cmd_key_guarded,
		  "one key record, no secrets. Parameter: IPv6 address" },
		{ "/fmipgw/config", cmd_config_guarded, "effective configuration. No parameters" },
		{ "/fmipgw/routes", cmd_routes_guarded, "the FIB and its routes. No parameters" },
		{ "/fmipgw/neighbours", cmd_neighbours_guarded,
		  "the neighbour table. No parameters" },
		{ "/fmipgw/bindings", cmd_bindings_guarded,
		  "binding table summary (count, capacity, writer statistics). No parameters" },
		{ "/fmipgw/binding", cmd_binding_guarded,
		  "one binding, no key material. Parameter: the PCoA" },
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
