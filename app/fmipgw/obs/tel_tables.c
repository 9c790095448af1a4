/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry commands that read the key and binding tables (telemetry.h lists them):
 * /fmipgw/keys, /fmipgw/key, /fmipgw/bindings, /fmipgw/binding.  /fmipgw/key and
 * /fmipgw/binding look one record up as an RCU reader with the telemetry threads' own QSBR
 * thread id (n_workers), online only for the lookup; a spinlock serialises telemetry clients
 * (each has its own thread) on that id — never on the fast path.  Their parameter is parsed by
 * tel_params.c.  Registered, behind the teardown guard, by telemetry.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "cp.h"
#include "dp.h"
#include "fbu.h"
#include "tel_int.h"
#include "tel_params.h"

/* DPDK serves each telemetry client on its own thread; they share one QSBR thread id. */
static rte_spinlock_t tel_rcu_lock = RTE_SPINLOCK_INITIALIZER;

int tel_cmd_keys(const char *cmd, const char *params, struct rte_tel_data *d)
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

int tel_cmd_key(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint8_t a[16];
	const uint8_t *cgas[1] = { a };
	hash_sig_t sig[1];
	struct keytab_rec *rec[1];
	uint64_t now_s = gw_now_s(tel_gw);

	(void)cmd;
	if (tel_param_addr(params, a) < 0)
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

int tel_cmd_bindings(const char *cmd, const char *params, struct rte_tel_data *d)
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
int tel_cmd_binding(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint8_t a[16];
	const uint8_t *pcoas[1] = { a };
	hash_sig_t sig[1];
	const struct binding_rec *rec[1];
	const struct binding_table *bt = tel_gw->bt;
	struct binding_info bi;

	(void)cmd;
	if (bt == NULL || tel_param_addr(params, a) < 0)
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
