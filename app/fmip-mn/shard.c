/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn shards: the nodes one lcore drives.  A tick visits a bounded number of nodes from a
 * cursor and lets each do what is due, within the rate buckets and the sink's room (a step is
 * taken only when its frame can leave: nothing is dropped inside the simulator).  Received
 * frames are decoded once (lib/wire) and handed to the node they are for; CPAs go to the path
 * cache.  mn_frame_owner() tells an lcore which shard a frame belongs to.
 */
#include <stdlib.h>
#include <string.h>

#include "mn.h"

enum { VISIT_MAX = 256, ROOM_MIN = 4 };

static void bucket_init(struct mn_bucket *b, uint32_t rate, unsigned shards, uint64_t now)
{
	double r = (double)rate / shards;

	b->per_ns = r / 1e9;
	b->depth = r / 50 > 1 ? r / 50 : 1; /* 20 ms worth */
	b->tokens = 1;
	b->last = now;
}

bool mn_bucket_take(struct mn_bucket *b, uint64_t now)
{
	if (now > b->last) {
		b->tokens += (double)(now - b->last) * b->per_ns;
		if (b->tokens > b->depth)
			b->tokens = b->depth;
		b->last = now;
	}
	if (b->tokens < 1)
		return false;
	b->tokens -= 1;
	return true;
}

int mn_shard_init(struct mn_shard *sh, struct mn_world *w, unsigned idx, const struct mn_sink *sink,
		  const uint8_t port_mac[6], const struct mn_now *now)
{
	static const uint8_t z6[6];
	const struct mn_scen *s = &w->scen;
	unsigned ns = w->n_shards;

	memset(sh, 0, offsetof(struct mn_shard, f));
	sh->idx = idx;
	sh->w = w;
	sh->scen = s;
	sh->sink = *sink;
	memcpy(sh->port_mac, port_mac, 6);
	sh->nodes = calloc(w->n_nodes / ns + 1, sizeof(*sh->nodes));
	sh->mctx = mac_ctx_create(w->eng);
	if (sh->nodes == NULL || sh->mctx == NULL)
		return -1;
	for (unsigned i = idx; i < w->n_nodes; i += ns)
		sh->nodes[sh->n_nodes++] = &w->nodes[i];
	bucket_init(&sh->prov, s->prov_rate, ns, now->ns);
	bucket_init(&sh->ho, s->ho_rate, ns, now->ns);
	bucket_init(&sh->data, s->data_rate, ns, now->ns);
	bucket_init(&sh->attack, s->attack_rate, ns, now->ns);
	bucket_init(&sh->flood, s->flood_rate, ns, now->ns);
	sh->flood_left = s->flood_rtsolpr / ns + (idx < s->flood_rtsolpr % ns);
	if (memcmp(s->gw_mac, z6, 6) != 0) {
		memcpy(sh->gw_mac, s->gw_mac, 6);
		sh->gw_mac_known = true;
	}
	sh->rng = s->seed * 2246822519u + idx + 1;
	return 0;
}

void mn_shard_free(struct mn_shard *sh)
{
	mn_path_free(&sh->path);
	mac_ctx_destroy(sh->mctx);
	free(sh->nodes);
	mn_stats_free(&sh->st);
	sh->nodes = NULL;
	sh->mctx = NULL;
}

const uint8_t *mn_gw_mac(const struct mn_shard *sh)
{
	return sh->gw_mac_known ? sh->gw_mac : sh->w->offline_mac;
}

void mn_emit_ip6(struct mn_shard *sh, unsigned kind, unsigned err, const uint8_t dst_mac[6],
		 const uint8_t src_mac[6], size_t len)
{
	struct wire_buf b = wire_buf_make(sh->buf, MN_L2);

	if (len == 0 || len > sizeof(sh->buf) - MN_L2)
		return;
	wire_build_eth(&b, dst_mac, src_mac, -1, WIRE_ETH_P_IPV6);
	sh->sink.emit(sh->sink.ctx, kind, err, sh->buf, MN_L2 + len);
	sh->emitted++;
}

bool mn_shard_tick(struct mn_shard *sh, const struct mn_now *now)
{
	uint64_t before = sh->emitted;
	unsigned visit = sh->n_nodes < VISIT_MAX ? sh->n_nodes : VISIT_MAX;

	for (unsigned v = 0; v < visit; v++) {
		if (sh->sink.room(sh->sink.ctx) < ROOM_MIN)
			return sh->emitted != before;
		if (sh->cursor >= sh->n_nodes)
			sh->cursor = 0;
		mn_node_step(sh, sh->nodes[sh->cursor++], now);
	}
	while (sh->flood_left > 0 && sh->sink.room(sh->sink.ctx) >= ROOM_MIN &&
	       mn_bucket_take(&sh->flood, now->ns)) {
		mn_flood_one(sh);
		sh->flood_left--;
	}
	if (!sh->finished && sh->n_done == sh->n_nodes && sh->flood_left == 0) {
		sh->finished = true;
		sh->t_finished = now->ns;
	} else if (sh->finished && sh->n_done != sh->n_nodes) {
		sh->finished = false; /* a finished node re-provisions */
	}
	return sh->emitted != before;
}

/* The node a frame is about, by the address that names it. */
static const struct mn_node *frame_node(const struct mn_world *w, const struct wire_frame *f)
{
	switch (f->msg) {
	case WIRE_MSG_PRRTADV:
	case WIRE_MSG_FBACK:
	case WIRE_MSG_TUNNEL:
		return mn_world_find(w, f->ip.dst);
	case WIRE_MSG_OTHER:
		if (f->ip.proto != 17)
			return NULL;
		/* to a PCoA, or (decapsulated reverse traffic) from one to the correspondent */
		return mn_world_find(w, memcmp(f->ip.dst, w->scen.cn, 16) == 0 ? f->ip.src
									       : f->ip.dst);
	default:
		return NULL;
	}
}

int mn_frame_owner(const struct mn_world *w, const uint8_t *frame, size_t len)
{
	struct wire_frame f;
	const struct mn_node *n;

	if (w->n_shards <= 1)
		return 0;
	if (wire_decode_frame(frame, len, WIRE_LINK_ETH, &f) != WIRE_OK)
		return 0;
	if (f.msg == WIRE_MSG_CPA) {
		unsigned s = f.nd.cpa.identifier >> 12;

		return s == 0 ? -1 : (int)((s - 1) % w->n_shards);
	}
	n = frame_node(w, &f);
	return n ? (int)(n->id % w->n_shards) : 0;
}

void mn_shard_rx(struct mn_shard *sh, const uint8_t *frame, size_t len, const struct mn_now *now)
{
	struct wire_frame *f = &sh->f;
	struct mn_node *n;
	int e;

	sh->st.rx_frames++;
	e = wire_decode_frame(frame, len, WIRE_LINK_ETH, f);
	if (e != WIRE_OK) {
		sh->st.rx[f->eth.ethertype == WIRE_ETH_P_IPV6 ? MN_RX_malformed : MN_RX_other]++;
		return;
	}
	if (!sh->gw_mac_known && (f->msg == WIRE_MSG_PRRTADV || f->msg == WIRE_MSG_CPA)) {
		memcpy(sh->gw_mac, f->eth.src, 6);
		sh->gw_mac_known = true;
	}
	if (f->msg == WIRE_MSG_CPA) {
		sh->st.rx[MN_RX_cpa]++;
		mn_path_cpa(sh, f, now);
		return;
	}
	n = (struct mn_node *)frame_node(sh->w, f);
	if (n == NULL && f->msg == WIRE_MSG_PRRTADV && sh->w->flood_tpl != NULL &&
	    memcmp(f->ip.dst, sh->w->attacker.addr, 16) == 0) {
		sh->st.rx[MN_RX_prrtadv_attacker]++;
		return;
	}
	if (n == NULL && f->msg == WIRE_MSG_TUNNEL &&
	    memcmp(f->ip.dst, sh->w->tunnel_end, 16) == 0) {
		sh->st.rx[MN_RX_reverse_returned]++; /* our own, not decapsulated */
		return;
	}
	if (n == NULL || n->id % sh->w->n_shards != sh->idx) {
		sh->st.rx[MN_RX_other]++;
		return;
	}
	switch (f->msg) {
	case WIRE_MSG_PRRTADV:
		if (memcmp(f->ip.dst, n->creds.addr, 16) == 0)
			mn_node_prrtadv(sh, n, f->ip.hdr, f->ip.len, now);
		else
			sh->st.rx[MN_RX_other]++;
		break;
	case WIRE_MSG_FBACK:
		mn_node_fback(sh, n, f->ip.hdr, f->ip.len, false, now);
		break;
	case WIRE_MSG_TUNNEL:
		mn_rx_tunnel(sh, n, f, now);
		break;
	default:
		mn_rx_udp(sh, f);
		break;
	}
}
