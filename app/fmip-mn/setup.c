/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn set-up over the lcores: node i is set up by lcore i mod W (rte_eal_remote_launch on
 * every worker lcore, the main lcore taking its share), each lcore summing its own costs; and
 * the export of the keys the nodes hold after a live run.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/sha.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "cga.h"
#include "keyexp.h"
#include "run.h"

void mn_now_get(struct mn_now *now)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	now->ns = (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
	now->wall48 = send_time_now();
}

struct setup_job {
	struct mn_world *w;
	unsigned first, step;
	struct mn_ident_cost cost;
	int rc;
	char err[256];
};

static int setup_lcore(void *arg)
{
	struct setup_job *j = arg;
	struct mn_now now;

	mn_now_get(&now);
	for (unsigned i = j->first; i < j->w->n_nodes && j->rc == 0; i += j->step)
		j->rc = mn_node_setup(j->w, i, &now, &j->cost, j->err, sizeof(j->err));
	return j->rc;
}

int mn_setup_nodes(struct mn_world *w, struct mn_ident_cost *cost, double *wall_s, char *err,
		   size_t len)
{
	static struct setup_job jobs[RTE_MAX_LCORE];
	unsigned lc, n = 0, lcs[RTE_MAX_LCORE];
	struct mn_now t0, t1;
	int rc = 0;

	mn_now_get(&t0);
	RTE_LCORE_FOREACH_WORKER(lc)
	lcs[n++] = lc;
	lcs[n++] = rte_get_main_lcore();
	for (unsigned i = 0; i < n; i++) {
		memset(&jobs[i], 0, sizeof(jobs[i]));
		jobs[i].w = w;
		jobs[i].first = i;
		jobs[i].step = n;
	}
	for (unsigned i = 0; i + 1 < n; i++)
		if (rte_eal_remote_launch(setup_lcore, &jobs[i], lcs[i]) != 0) {
			snprintf(err, len, "cannot launch set-up on lcore %u", lcs[i]);
			return -1;
		}
	setup_lcore(&jobs[n - 1]);
	rte_eal_mp_wait_lcore();
	mn_now_get(&t1);
	memset(cost, 0, sizeof(*cost));
	for (unsigned i = 0; i < n; i++) {
		struct mn_ident_cost *c = &jobs[i].cost;

		cost->generated += c->generated;
		cost->loaded += c->loaded;
		cost->keygen_s += c->keygen_s;
		cost->search_s += c->search_s;
		cost->load_s += c->load_s;
		cost->save_s += c->save_s;
		cost->enc_s += c->enc_s;
		cost->iterations += c->iterations;
		if (jobs[i].rc != 0 && rc == 0) {
			snprintf(err, len, "%s", jobs[i].err);
			rc = -1;
		}
	}
	*wall_s = (double)(t1.ns - t0.ns) / 1e9;
	return rc;
}

int mn_world_export_keys(const struct mn_world *w, const char *path, char *err, size_t len)
{
	struct mn_keyexp *x = mn_keyexp_open(path, err, len);
	uint64_t now48 = send_time_now(), now = now48 >> 16;
	uint8_t spki[1024], sha[20];
	int n = 0;

	if (x == NULL)
		return -1;
	for (unsigned i = 0; i < w->n_nodes; i++) {
		const struct mn_node *nd = &w->nodes[i];
		const struct hk_mn_key *k =
		    nd->has_key ? hk_mn_key_find(&nd->hk, nd->ar, now48) : NULL;
		size_t sl;

		if (k == NULL || k->received + k->lifetime <= now)
			continue;
		sl = cga_pubkey_der(nd->creds.key, spki, sizeof(spki));
		SHA1(spki, sl, sha); /* A8: the gateway records SHA-1 of the CGA public key */
		mn_keyexp_add(x, k->cga, k->at, k->key, k->key_len,
			      (uint32_t)(k->received + k->lifetime - now), sha);
		n++;
	}
	return mn_keyexp_close(x, err, len) == 0 ? n : -1;
}
