/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn world: the libraries' configurations (SEND defaults, lib/mac with its OpenSSL
 * backend — a second implementation beside the gateway's ipsec-mb one), the trust anchor, the
 * nodes (identity, lib/hk MN state with its first encryption key pair, plan), the address
 * index and the flood's attacker identity.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "ident.h"
#include "mn.h"

static struct mn_ident_req ident_req(const struct mn_world *w, const char **cache)
{
	struct mn_ident_req r = { w->scen.bits, w->scen.sec, { 0 }, NULL };

	memcpy(r.prefix, w->scen.prefix.addr, 8);
	*cache = w->cache_sub[0] ? w->cache_sub : NULL;
	r.cache = *cache;
	return r;
}

int mn_world_init(struct mn_world *w, const struct mn_scen *s, unsigned n_shards, char *err,
		  size_t len)
{
	static const uint8_t z[16];
	char e[256];

	memset(w, 0, sizeof(*w));
	w->scen = *s;
	w->n_shards = n_shards;
	send_cfg_default(&w->send);
	mac_cfg_defaults(&w->mac);
	w->mac.backend = MAC_BACKEND_OPENSSL;
	if (mac_engine_create(&w->mac, &w->eng) != 0) {
		snprintf(err, len, "cannot create the MAC engine");
		return -1;
	}
	memcpy(w->tunnel_end, memcmp(s->tunnel_src, z, 16) ? s->tunnel_src : s->par, 16);
	memcpy(w->offline_mac, (uint8_t[6]){ 2, 0, 0, 0, 0, 2 }, 6);
	memcpy(w->cn_mac, (uint8_t[6]){ 2, 0, 0, 0, 0x0c, 1 }, 6);
	if (s->trust_anchor[0] != '\0' &&
	    (w->trust = send_trust_load(s->trust_anchor, e, sizeof(e))) == NULL) {
		snprintf(err, len, "gateway.trust_anchor: %s", e);
		return -1;
	}
	if (s->cache[0] != '\0') {
		const char *c;
		struct mn_ident_req r = ident_req(w, &c);

		r.cache = s->cache;
		if (mn_ident_cache_open(&r, w->cache_sub, sizeof(w->cache_sub), err, len) < 0)
			return -1;
	}
	w->n_nodes = s->nodes;
	w->nodes = calloc(s->nodes, sizeof(*w->nodes));
	if (w->nodes == NULL) {
		snprintf(err, len, "cannot allocate %u nodes", s->nodes);
		return -1;
	}
	return 0;
}

/* CPU time of this thread: what an identity costs, whatever else the machine runs. */
static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

int mn_node_init(struct mn_world *w, unsigned i, const struct mn_now *now,
		 struct mn_ident_cost *cost, char *err, size_t len)
{
	const struct mn_scen *s = &w->scen;
	struct mn_node *n = &w->nodes[i];
	uint32_t m = (uint32_t)s->mn_mac[3] << 16 | (uint32_t)s->mn_mac[4] << 8 | s->mn_mac[5];
	struct hk_mn_cfg c;
	double t0;

	n->id = i;
	n->local = i / w->n_shards;
	m += i;
	memcpy(n->mac, s->mn_mac, 3);
	n->mac[3] = (uint8_t)(m >> 16);
	n->mac[4] = (uint8_t)(m >> 8);
	n->mac[5] = (uint8_t)m;
	n->ll[0] = 0xfe;
	n->ll[1] = 0x80;
	memcpy(n->ll + 8, n->creds.addr + 8, 8);
	memcpy(n->ncoa, s->nar_prefix.addr, 8);
	memcpy(n->ncoa + 8, n->creds.addr + 8, 8);
	n->at = mix32(s->seed * 2654435761u + i) % 100 < s->at1_percent ? 1 : 0;

	hk_mn_cfg_defaults(&c);
	c.send = &w->send;
	c.creds = &n->creds;
	c.trust = w->trust;
	c.mac = &w->mac;
	c.preferred_at = n->at;
	c.hkepk_lifetime = s->hkepk_lifetime;
	c.hkepk_handovers = s->hkepk_handovers;
	c.refresh_margin = s->refresh_margin;
	if (hk_mn_init(&n->hk, &c) != HK_R_OK) {
		snprintf(err, len, "node %u: hk_mn_init failed", i);
		return -1;
	}
	t0 = cpu_s();
	/* the first encryption key pair now, not in the first solicitation's latency */
	if (hk_mn_rotate(&n->hk, now->wall48) != HK_R_OK) {
		snprintf(err, len, "node %u: encryption key pair generation failed", i);
		return -1;
	}
	cost->enc_s += cpu_s() - t0;
	return mn_plan_make(w, n);
}

int mn_node_setup(struct mn_world *w, unsigned i, const struct mn_now *now,
		  struct mn_ident_cost *cost, char *err, size_t len)
{
	const char *cache;
	struct mn_ident_req r = ident_req(w, &cache);

	if (mn_ident_get(&r, cache, i, &w->nodes[i].creds, cost, err, len) < 0)
		return -1;
	return mn_node_init(w, i, now, cost, err, len);
}

static int iid_cmp(const void *a, const void *b)
{
	const struct mn_iid *x = a, *y = b;

	return x->iid < y->iid ? -1 : x->iid > y->iid;
}

static uint64_t iid_of(const uint8_t a[16])
{
	uint64_t v = 0;

	for (int i = 8; i < 16; i++)
		v = v << 8 | a[i];
	return v;
}

/* The flood's RtSolPr: signed once by the attacker; each flood copy gets a fresh nonce, which
 * breaks the signature (see attack.c). */
static int flood_template(struct mn_world *w, char *err, size_t len)
{
	uint8_t nonce[HK_NONCE_LEN] = { 0 }, pkt[MN_FRAME_MAX];
	static const uint8_t wildcard[6], all_routers[16] = { 0xff, 0x02, [15] = 2 };
	struct wire_buf b = wire_buf_make(pkt, sizeof(pkt));
	struct send_sign_opts so = { .timestamp = 0, .nonce = nonce, .nonce_len = sizeof(nonce) };
	uint8_t spki[1024];
	size_t ip6, icmp, n = cga_pubkey_der(w->attacker.key, spki, sizeof(spki));

	ip6 = wire_build_ip6(&b, w->attacker.addr, all_routers, WIRE_NH_ICMPV6, 255);
	icmp = wire_build_fmip(&b, WIRE_FMIP_RTSOLPR, 0, 0x4e4e);
	wire_put_opt_lla(&b, WIRE_LLA_WILDCARD, wildcard, 6);
	send_put_opts(&b, &w->attacker, &so);
	wire_put_opt_hkreq(&b, 0, spki, n);
	if (n == 0 || send_sign_finish(&b, &w->attacker, ip6, icmp) != SEND_R_OK ||
	    (w->flood_tpl = malloc(b.len)) == NULL) {
		snprintf(err, len, "cannot build the flood's RtSolPr");
		return -1;
	}
	memcpy(w->flood_tpl, pkt, b.len);
	w->flood_tpl_len = (uint16_t)b.len;
	return 0;
}

int mn_world_finish(struct mn_world *w, char *err, size_t len)
{
	struct mn_ident_cost c = { 0 };
	const char *cache;
	struct mn_ident_req r = ident_req(w, &cache);

	w->index = calloc(w->n_nodes, sizeof(*w->index));
	if (w->index == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	for (unsigned i = 0; i < w->n_nodes; i++) {
		w->index[i].iid = iid_of(w->nodes[i].creds.addr);
		w->index[i].node = i;
	}
	qsort(w->index, w->n_nodes, sizeof(*w->index), iid_cmp);
	for (unsigned i = 1; i < w->n_nodes; i++)
		if (w->index[i].iid == w->index[i - 1].iid) {
			snprintf(err, len, "nodes %u and %u share an interface identifier",
				 w->index[i].node, w->index[i - 1].node);
			return -1;
		}
	if (w->scen.flood_rtsolpr == 0)
		return 0;
	/* the attacker is identity n_nodes of the same cache */
	if (mn_ident_get(&r, cache, w->n_nodes, &w->attacker, &c, err, len) < 0)
		return -1;
	return flood_template(w, err, len);
}

struct mn_node *mn_world_find(const struct mn_world *w, const uint8_t addr[16])
{
	struct mn_iid key = { iid_of(addr), 0 }, *hit;

	if (w->index == NULL)
		return NULL;
	hit = bsearch(&key, w->index, w->n_nodes, sizeof(*w->index), iid_cmp);
	return hit ? &w->nodes[hit->node] : NULL;
}

void mn_world_free(struct mn_world *w)
{
	for (unsigned i = 0; w->nodes && i < w->n_nodes; i++) {
		struct mn_node *n = &w->nodes[i];

		hk_mn_free(&n->hk);
		send_creds_free(&n->creds);
		free(n->plan);
		free(n->stash);
		free(n->last_sol);
		if (n->path) {
			mn_path_free(n->path);
			free(n->path);
		}
	}
	free(w->nodes);
	free(w->index);
	free(w->flood_tpl);
	send_creds_free(&w->attacker);
	send_trust_free(w->trust);
	mac_engine_destroy(w->eng);
	memset(w, 0, sizeof(*w));
}
