/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry of the router fast path (fwd_tel.h): the control lcore's snapshot and the
 * two commands that read it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_telemetry.h>

#include "fwd.h"
#include "fwd_tel.h"

void fwd_snap_init(struct fwd_snap *s)
{
	rte_spinlock_init(&s->lock);
}

static void route_text(const struct route_spec *r, char *buf, size_t len)
{
	char p[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, r->prefix, p, sizeof(p));
	inet_ntop(AF_INET6, r->gw, g, sizeof(g));
	if (r->kind == ROUTE_LOCAL)
		snprintf(buf, len, "%s/%u local", p, r->len);
	else if (r->kind == ROUTE_CONNECTED)
		snprintf(buf, len, "%s/%u connected port %u", p, r->len, r->port);
	else if (r->len == 0)
		snprintf(buf, len, "default via %s port %u", g, r->port);
	else
		snprintf(buf, len, "%s/%u via %s port %u", p, r->len, g, r->port);
}

static int neigh_text(const struct neigh_key *k, const struct neigh_info *info, void *arg)
{
	struct fwd_snap *s = arg;
	char a[INET6_ADDRSTRLEN];

	if (s->n_neigh < FWD_SNAP_MAX) {
		inet_ntop(AF_INET6, k->addr, a, sizeof(a));
		snprintf(s->neigh[s->n_neigh++], FWD_SNAP_TEXT,
			 "%s port %u %s %02x:%02x:%02x:%02x:%02x:%02x held %u probes %u", a,
			 k->port, neigh_state_name(info->state), info->mac[0], info->mac[1],
			 info->mac[2], info->mac[3], info->mac[4], info->mac[5], info->held,
			 info->probes);
	}
	s->neigh_total++;
	return 0;
}

void fwd_snap_serve(struct gw *gw)
{
	struct gw_fwd *fw = gw->fwd;
	struct fwd_snap *s = fw->snap;
	uint32_t req = __atomic_load_n(&s->req, __ATOMIC_ACQUIRE);
	const struct gw_fwd_cfg *fc = &gw->cfg.fwd;

	if (req == __atomic_load_n(&s->done, __ATOMIC_RELAXED))
		return;
	memset(&s->rs, 0, sizeof(s->rs));
	memset(&s->ns, 0, sizeof(s->ns));
	s->n_routes = s->n_neigh = s->neigh_total = 0;
	s->n_configured = fc->n_routes;
	snprintf(s->last_err, sizeof(s->last_err), "%s", fw->last_err);
	if (fw->on) {
		route_table_get_stats(fw->rt, &s->rs);
		neigh_get_stats(fw->nt, &s->ns);
		for (; s->n_routes < fc->n_routes && s->n_routes < FWD_SNAP_MAX; s->n_routes++)
			route_text(&fc->routes[s->n_routes], s->route[s->n_routes], FWD_SNAP_TEXT);
		neigh_walk(fw->nt, neigh_text, s);
	}
	__atomic_store_n(&s->done, req, __ATOMIC_RELEASE);
}

/* Ask the control lcore for a snapshot; with the lock held on success (true). */
static bool snap_get(struct fwd_snap *s)
{
	uint64_t end = rte_get_tsc_cycles() + rte_get_tsc_hz();
	uint32_t req;

	rte_spinlock_lock(&s->lock);
	req = __atomic_add_fetch(&s->req, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&s->done, __ATOMIC_ACQUIRE) != req) {
		if (rte_get_tsc_cycles() > end) {
			rte_spinlock_unlock(&s->lock);
			return false;
		}
		rte_delay_us_sleep(200);
	}
	return true;
}

/* d["key"] = the n strings of list. */
static int add_list(struct rte_tel_data *d, const char *key, char (*list)[FWD_SNAP_TEXT],
		    unsigned n)
{
	struct rte_tel_data *a = rte_tel_data_alloc();

	if (a == NULL)
		return -1;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	for (unsigned i = 0; i < n; i++)
		rte_tel_data_add_array_string(a, list[i]);
	if (rte_tel_data_add_dict_container(d, key, a, 0) != 0) {
		rte_tel_data_free(a);
		return -1;
	}
	return 0;
}

int fwd_tel_routes(struct gw *gw, struct rte_tel_data *d)
{
	struct fwd_snap *s = gw->fwd->snap;
	int rc;

	if (!snap_get(s))
		return -1;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "routing", gw->fwd->on ? "on" : "off (pass_through)");
	rte_tel_data_add_dict_u64(d, "generation", s->rs.gen);
	rte_tel_data_add_dict_u64(d, "routes", s->rs.routes);
	rte_tel_data_add_dict_u64(d, "configured", s->n_configured);
	rte_tel_data_add_dict_u64(d, "next_hops", s->rs.next_hops);
	rte_tel_data_add_dict_u64(d, "builds", s->rs.builds);
	rte_tel_data_add_dict_u64(d, "build_errors", s->rs.build_errors);
	rte_tel_data_add_dict_u64(d, "published", s->rs.published);
	rte_tel_data_add_dict_u64(d, "freed", s->rs.freed);
	rte_tel_data_add_dict_string(d, "last_error", s->last_err);
	rc = add_list(d, "list", s->route, s->n_routes);
	rte_spinlock_unlock(&s->lock);
	return rc;
}

int fwd_tel_neighbours(struct gw *gw, struct rte_tel_data *d)
{
	struct fwd_snap *s = gw->fwd->snap;
	const struct neigh_stats *n = &s->ns;
	int rc;

	if (!snap_get(s))
		return -1;
	rte_tel_data_start_dict(d);
#define NS_U64(f) rte_tel_data_add_dict_u64(d, #f, n->f)
	NS_U64(live);
	NS_U64(statics);
	NS_U64(created);
	NS_U64(resolved);
	NS_U64(failed);
	NS_U64(probe_failed);
	NS_U64(expired);
	NS_U64(learned);
	NS_U64(ns_mcast);
	NS_U64(ns_ucast);
	NS_U64(queued);
	NS_U64(released);
	NS_U64(drop_queue_full);
	NS_U64(drop_timeout);
	NS_U64(drop_failed);
	NS_U64(drop_table_full);
	NS_U64(na_ignored);
	NS_U64(full);
	NS_U64(freed);
#undef NS_U64
	rte_tel_data_add_dict_u64(d, "listed", s->n_neigh);
	rc = add_list(d, "entries", s->neigh, s->n_neigh);
	rte_spinlock_unlock(&s->lock);
	return rc;
}
