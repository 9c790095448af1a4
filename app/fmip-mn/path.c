/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn router certification paths (RFC 3971 6.4): when lib/hk says a PrRtAdv's router is
 * unknown (HK_R_NEED_PATH), the node keeps the PrRtAdv, a CPS goes out (lib/send's host side,
 * naming the trust anchor), the CPA components are collected and validated
 * (send_cpa_process_frame, RFC 3779 prefixes included), and every node waiting on that path
 * gets the router's certified key (hk_mn_set_router) and its kept PrRtAdv processed.  The
 * cache is one per shard (path_cache = shared) or one per node (path_cache = node).  CPS
 * Identifiers carry the shard in their top 4 bits so that a CPA finds its shard.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "mn.h"

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
static const uint8_t all_routers_mac[6] = { 0x33, 0x33, 0, 0, 0, 2 };

static struct mn_path *path_of(struct mn_shard *sh, struct mn_node *n)
{
	if (sh->scen->path_cache == MN_PATH_SHARED)
		return &sh->path;
	if (n->path == NULL)
		n->path = calloc(1, sizeof(*n->path));
	return n->path;
}

static void send_cps(struct mn_shard *sh, struct mn_path *p, struct mn_node *n,
		     const struct mn_now *now)
{
	struct wire_buf b = wire_buf_make(sh->buf + MN_L2, sizeof(sh->buf) - MN_L2);
	uint16_t x = 0;

	if (sh->scen->path_cache == MN_PATH_SHARED) {
		if (RAND_bytes((uint8_t *)&x, sizeof(x)) != 1)
			x = (uint16_t)now->ns;
		x = (uint16_t)(x % 4095 + 1);
	} else {
		x = (uint16_t)(n->local % 4095 + 1);
	}
	p->ident = (uint16_t)((sh->idx + 1) << 12 | x);
	send_cpa_client_reset(&p->client);
	send_cpa_client_init(&p->client, sh->w->trust, p->ident);
	p->tries++;
	p->cps_out = true;
	p->t_next = now->ns + ((uint64_t)sh->scen->prov_timeout_ms * 1000000u
			       << (p->tries < 7 ? p->tries - 1 : 6));
	/* RFC 3971 6.4.1: from a link-local address, component 65535 (all), the anchor named */
	if (send_cps_build(&b, n->ll, all_routers, p->ident, 0xffff, sh->w->trust) == SEND_R_OK)
		mn_emit_ip6(sh, MN_TX_cps, 0, all_routers_mac, n->mac, b.len);
}

static int wait_add(struct mn_path *p, uint32_t local)
{
	for (unsigned i = 0; i < p->n_wait; i++)
		if (p->waiting[i] == local)
			return 0;
	if (p->n_wait == p->cap_wait) {
		unsigned cap = p->cap_wait ? p->cap_wait * 2 : 16;
		uint32_t *v = realloc(p->waiting, cap * sizeof(*v));

		if (v == NULL)
			return -1;
		p->waiting = v;
		p->cap_wait = cap;
	}
	p->waiting[p->n_wait++] = local;
	return 0;
}

int mn_path_need(struct mn_shard *sh, struct mn_node *n, const uint8_t router[16],
		 const uint8_t *ip6, size_t len, const struct mn_now *now)
{
	struct mn_path *p = path_of(sh, n);

	if (p == NULL)
		return 1; /* no memory: lib/hk refuses the PrRtAdv again, counted there */
	if (p->have && memcmp(p->addr, router, 16) == 0) {
		hk_mn_set_router(&n->hk, router, p->router); /* a failure: refused again, counted */
		return 1;
	}
	if (p->have || (p->cps_out && memcmp(p->addr, router, 16) != 0)) {
		/* another router than the cached one: start over for this one */
		X509_free(p->router);
		p->router = NULL;
		p->have = false;
		p->cps_out = false;
	}
	free(n->stash);
	n->stash = malloc(len);
	if (n->stash == NULL || wait_add(p, n->local) < 0)
		return 1;
	memcpy(n->stash, ip6, len);
	n->stash_len = (uint16_t)len;
	n->state = NS_WAIT_PATH;
	memcpy(p->addr, router, 16);
	if (!p->cps_out) {
		p->tries = 0;
		send_cps(sh, p, n, now);
	}
	return 0;
}

static void validated(struct mn_shard *sh, struct mn_path *p, const struct mn_now *now)
{
	unsigned nw = p->n_wait;

	if (!X509_up_ref(p->client.router))
		return;
	p->router = p->client.router;
	p->have = true;
	p->cps_out = false;
	p->tries = 0;
	sh->st.out[MN_OUT_path_ok]++;
	p->n_wait = 0;
	for (unsigned i = 0; i < nw; i++) {
		struct mn_node *n = sh->nodes[p->waiting[i]];

		if (n->state != NS_WAIT_PATH)
			continue;
		if (hk_mn_set_router(&n->hk, p->addr, p->router) == HK_R_OK)
			mn_node_resume(sh, n, now);
	}
}

static void cpa_to(struct mn_shard *sh, struct mn_path *p, const struct wire_frame *f,
		   const struct mn_now *now)
{
	struct send_prefix served;

	memcpy(served.addr, sh->scen->prefix.addr, 16);
	served.len = sh->scen->prefix.len;
	if (send_cpa_process_frame(&p->client, f, &served, 1) == SEND_R_OK)
		validated(sh, p, now);
}

void mn_path_cpa(struct mn_shard *sh, const struct wire_frame *f, const struct mn_now *now)
{
	uint16_t id = f->nd.cpa.identifier;

	if (sh->scen->path_cache == MN_PATH_SHARED) {
		if (sh->path.cps_out && (id == 0 || id == sh->path.ident))
			cpa_to(sh, &sh->path, f, now);
		return;
	}
	for (unsigned i = 0; i < sh->n_nodes; i++) {
		struct mn_path *p = sh->nodes[i]->path;

		if (p != NULL && p->cps_out && (id == 0 || id == p->ident))
			cpa_to(sh, p, f, now);
	}
}

void mn_path_tick(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now)
{
	struct mn_path *p = path_of(sh, n);
	unsigned nw;

	if (p != NULL && p->have && !p->cps_out && n->stash != NULL) {
		/* validated, but this node was not resumed then (not on the list): now */
		if (hk_mn_set_router(&n->hk, p->addr, p->router) == HK_R_OK)
			mn_node_resume(sh, n, now);
		return;
	}
	if (p == NULL || !p->cps_out || now->ns < p->t_next)
		return;
	if (p->tries <= sh->scen->prov_retries) {
		if (mn_bucket_take(&sh->prov, now->ns))
			send_cps(sh, p, n, now);
		return;
	}
	/* no valid path: every node waiting on it gives up */
	sh->st.out[MN_OUT_path_failed]++;
	p->cps_out = false;
	nw = p->n_wait;
	p->n_wait = 0;
	for (unsigned i = 0; i < nw; i++) {
		struct mn_node *w = sh->nodes[p->waiting[i]];

		if (w->state != NS_WAIT_PATH)
			continue;
		sh->st.rx[MN_RX_prrtadv_no_path] += w->stash != NULL;
		free(w->stash);
		w->stash = NULL;
		mn_node_give_up(sh, w);
	}
}

int mn_path_seed(struct mn_shard *sh, const uint8_t router[16], X509 *cert)
{
	if (!X509_up_ref(cert))
		return -1;
	X509_free(sh->path.router);
	sh->path.router = cert;
	memcpy(sh->path.addr, router, 16);
	sh->path.have = true;
	return 0;
}

void mn_path_free(struct mn_path *p)
{
	X509_free(p->router);
	send_cpa_client_reset(&p->client);
	free(p->waiting);
	memset(p, 0, sizeof(*p));
}
