/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn: the mobile-node simulator and traffic generator (docs/fmip-mn.md).  Start-up only:
 * the EAL, the options and the scenario, the nodes' set-up over the lcores, the run (live on a
 * port, or offline into a pcap), the report and the exit status.
 */
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_lcore.h>

#include "opts.h"
#include "run.h"

static void run_info(struct mn_run_info *ri, const struct mn_world *w, const struct mn_opts *o,
		     const struct mn_ident_cost *c, double ids_wall)
{
	memset(ri, 0, sizeof(*ri));
	ri->mode = o->offline ? "offline" : "live";
	ri->scenario = o->scenario;
	ri->output = o->offline;
	ri->nodes = w->n_nodes;
	ri->lcores = rte_lcore_count();
	ri->ids_generated = c->generated;
	ri->ids_loaded = c->loaded;
	ri->id_keygen_s = c->keygen_s;
	ri->id_search_s = c->search_s;
	ri->id_load_s = c->load_s + c->save_s;
	ri->enc_keygen_s = c->enc_s;
	ri->ids_wall_s = ids_wall;
	ri->id_bits = w->scen.bits;
	ri->id_sec = w->scen.sec;
	ri->scen = &w->scen;
}

static void ids_report(const struct mn_run_info *ri, unsigned n)
{
	printf("identities: %u nodes (RSA-%u, Sec %u) on %u lcore(s) in %.3f s wall: %u generated "
	       "(CPU: key generation %.3f s, CGA generation %.3f s), %u from the cache (CPU: "
	       "loading and saving %.3f s); encryption key pairs (CPU) %.3f s\n",
	       n, ri->id_bits, ri->id_sec, ri->lcores, ri->ids_wall_s, ri->ids_generated,
	       ri->id_keygen_s, ri->id_search_s, ri->ids_loaded, ri->id_load_s, ri->enc_keygen_s);
	if (n > 0)
		printf("per identity: %.2f ms wall, %.2f ms CPU summed over lcores\n",
		       1e3 * ri->ids_wall_s / n,
		       1e3 *
			   (ri->id_keygen_s + ri->id_search_s + ri->id_load_s + ri->enc_keygen_s) /
			   n);
}

static bool failures(const struct mn_stats *st)
{
	return st->out[MN_OUT_prov_failed] || st->rx[MN_RX_fback_bad] ||
	       st->rx[MN_RX_data_tunnel_bad] || st->rx[MN_RX_reverse_bad];
}

static int run(struct mn_world *w, const struct mn_opts *o, char *err, size_t len)
{
	static struct mn_stats st;
	struct mn_ident_cost cost;
	struct mn_run_info ri;
	double ids_wall = 0, secs = 0;
	int rc, nk;

	fprintf(stderr, "fmip-mn: setting up %u nodes on %u lcore(s)\n", w->n_nodes,
		rte_lcore_count());
	if (mn_setup_nodes(w, &cost, &ids_wall, err, len) < 0 || mn_world_finish(w, err, len) < 0)
		return 1;
	run_info(&ri, w, o, &cost, ids_wall);
	if (o->ids_only) {
		ids_report(&ri, w->n_nodes);
		return 0;
	}
	rc = o->offline ? mn_offline_run(w, o, &st, &secs, err, len)
			: mn_live_run(w, o, &st, &secs, err, len);
	if (rc < 0)
		return 1;
	ri.seconds = secs;
	if (!o->offline && o->keys) {
		if ((nk = mn_world_export_keys(w, o->keys, err, len)) < 0)
			return 1;
		fprintf(stderr, "fmip-mn: %d handover keys written to %s (mode 0600)\n", nk,
			o->keys);
	}
	if (o->json && mn_report_json(o->json, &st, &ri) < 0) {
		snprintf(err, len, "--json %s: cannot write it", o->json);
		return 1;
	}
	if (!o->quiet)
		mn_report_text(stdout, &st, &ri);
	rc = o->fail_on_error && failures(&st) ? 3 : 0;
	mn_stats_free(&st);
	return rc;
}

int main(int argc, char **argv)
{
	static struct mn_world w;
	struct mn_scen s;
	struct mn_opts o;
	char err[512] = "";
	int n, rc;

	n = rte_eal_init(argc, argv);
	if (n < 0) {
		fprintf(stderr,
			"fmip-mn: EAL initialisation failed (without hugepages add --no-huge "
			"-m 512)\n");
		return 1;
	}
	rc = mn_opts_parse(argc - n, argv + n, &o, &s, err, sizeof(err));
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "fmip-mn: %s\n", err);
		rte_eal_cleanup();
		return rc < 0 ? 1 : 0;
	}
	if (!o.offline && s.trust_anchor[0] == '\0' && !o.ids_only) {
		fprintf(stderr, "fmip-mn: live mode needs gateway.trust_anchor (the router's "
				"certification path is validated from CPA)\n");
		rte_eal_cleanup();
		return 1;
	}
	if (o.offline)
		s.path_cache = MN_PATH_SHARED; /* the in-process router's path is given */
	if (mn_world_init(&w, &s, o.offline ? 1 : rte_lcore_count(), err, sizeof(err)) < 0)
		rc = 1;
	else
		rc = run(&w, &o, err, sizeof(err));
	if (rc == 1)
		fprintf(stderr, "fmip-mn: %s\n", err);
	mn_world_free(&w);
	rte_eal_cleanup();
	return rc;
}
