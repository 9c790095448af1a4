/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn nodes: the plan (made at set-up), the step dispatcher, and provisioning on lib/hk's
 * MN role: the RtSolPr (hk_mn_rtsolpr), its retransmissions with back-off (RFC 5568 6.1.1),
 * re-provisioning before HK-LIFETIME runs out (hk_mn_refresh_due), and the PrRtAdv
 * (hk_mn_prrtadv; HK_R_NEED_PATH sends the node to the path cache, path.c).
 */
#include <stdlib.h>
#include <string.h>

#include "mn.h"

static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
static const uint8_t all_routers_mac[6] = { 0x33, 0x33, 0, 0, 0, 2 };

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* The node's attacks, in a shuffled order. */
static unsigned attack_steps(const struct mn_scen *s, uint8_t *out, uint32_t *r)
{
	const struct {
		uint32_t n;
		uint8_t step;
	} a[] = { { s->forged_fbu, STEP_FORGED },	    { s->replayed_fbu, STEP_REPLAY_FBU },
		  { s->unknown_fbu, STEP_UNKNOWN_FBU },	    { s->badsig_rtsolpr, STEP_BADSIG },
		  { s->replayed_rtsolpr, STEP_REPLAY_SOL }, { s->malformed, STEP_MALFORMED } };
	unsigned n = 0;

	for (unsigned i = 0; i < sizeof(a) / sizeof(a[0]); i++)
		for (uint32_t j = 0; j < a[i].n; j++)
			out[n++] = a[i].step;
	for (unsigned i = n; i > 1; i--) {
		unsigned j = rnd(r) % i;
		uint8_t t = out[i - 1];

		out[i - 1] = out[j];
		out[j] = t;
	}
	return n;
}

int mn_plan_make(struct mn_world *w, struct mn_node *n)
{
	const struct mn_scen *s = &w->scen;
	uint64_t per_ho = 1 + (uint64_t)s->data_per_ho + s->reverse_per_ho;
	uint64_t attacks = (uint64_t)s->forged_fbu + s->replayed_fbu + s->unknown_fbu +
			   s->badsig_rtsolpr + s->replayed_rtsolpr + s->malformed;
	uint64_t total = 2 + s->prov_repeat + per_ho * s->ho_count + attacks;
	uint32_t r = (s->seed ^ 0x9e3779b9u) * 2654435761u + n->id * 40503u + 1;
	unsigned k = 0;

	if (total > 65535 || (n->plan = malloc(total)) == NULL)
		return -1;
	n->plan[k++] = STEP_PROVISION;
	for (uint32_t i = 0; i < s->prov_repeat; i++)
		n->plan[k++] = STEP_RESOLICIT;
	if (s->ho_count == 0)
		k += attack_steps(s, n->plan + k, &r);
	for (uint32_t h = 0; h < s->ho_count; h++) {
		n->plan[k++] = rnd(&r) % 100 < s->nar_percent ? STEP_HO_NAR : STEP_HO_PAR;
		for (uint32_t d = 0; d < s->data_per_ho; d++)
			n->plan[k++] = STEP_DATA;
		for (uint32_t d = 0; d < s->reverse_per_ho; d++)
			n->plan[k++] = STEP_REVERSE;
		if (h == 0) /* after the first handover: there is an FBU to replay */
			k += attack_steps(s, n->plan + k, &r);
	}
	if (s->ho_return && s->ho_count > 0)
		n->plan[k++] = STEP_RETURN;
	n->plan_len = (uint16_t)k;
	n->mal_next = n->id * (s->malformed ? s->malformed : 1);
	return 0;
}

void mn_node_next(struct mn_node *n, uint64_t at_ns)
{
	n->state = NS_IDLE;
	n->pos++;
	n->t_next = at_ns;
}

static void node_done(struct mn_shard *sh, struct mn_node *n)
{
	if (n->state != NS_DONE) {
		n->state = NS_DONE;
		sh->n_done++;
	}
	if (!n->plan_counted) {
		n->plan_counted = true;
		sh->st.out[MN_OUT_plans_done] += !n->failed;
	}
}

void mn_node_give_up(struct mn_shard *sh, struct mn_node *n)
{
	if (!n->refreshing) {
		n->failed = true;
		sh->st.out[MN_OUT_prov_failed]++;
		node_done(sh, n);
		return;
	}
	/* a refresh that got no answer: the key may still serve; try again later */
	n->refreshing = false;
	n->state = NS_IDLE;
	n->t_next = n->t_sol + (uint64_t)sh->scen->refresh_min_ms * 1000000u;
}

/* Send an RtSolPr (kind: first, retry, refresh). */
static void solicit(struct mn_shard *sh, struct mn_node *n, unsigned kind, const struct mn_now *now)
{
	static const uint8_t z6[6];
	const struct mn_scen *s = sh->scen;
	const uint8_t(*aps)[6] = (const uint8_t(*)[6])s->new_ap;
	struct hk_rtsolpr_spec spec = { .dst = all_routers,
					.src_lla = n->mac,
					.new_aps = aps,
					.n_new_aps = memcmp(s->new_ap, z6, 6) ? 1 : 0,
					.at = -1 };
	const void *enc = n->hk.enc[0].key;
	size_t len = 0;

	if (hk_mn_rtsolpr(&n->hk, &spec, now->wall48, sh->buf + MN_L2, sizeof(sh->buf) - MN_L2,
			  &len) != HK_R_OK) {
		mn_node_give_up(sh, n);
		return;
	}
	if (n->hk.enc[0].key != enc) /* HKEPK-LIFETIME or HKEPK-HANDOVERS reached */
		sh->st.out[MN_OUT_enc_rotations]++;
	if ((s->badsig_rtsolpr || s->replayed_rtsolpr) && len <= UINT16_MAX) {
		uint8_t *c = realloc(n->last_sol, len);

		if (c != NULL) {
			memcpy(c, sh->buf + MN_L2, len);
			n->last_sol = c;
			n->last_sol_len = (uint16_t)len;
		}
	}
	if (kind == MN_TX_rtsolpr) /* latency from the first RtSolPr built to the key stored */
		n->t_start = now->ns;
	mn_emit_ip6(sh, kind, 0, all_routers_mac, n->mac, len);
	n->t_sol = now->ns;
	n->state = NS_SOLICIT;
	n->t_next = now->ns + ((uint64_t)s->prov_timeout_ms * 1000000u
			       << (n->tries < 6 ? n->tries : 6)); /* back-off, at most 64 x */
}

static bool refresh_due(const struct mn_shard *sh, const struct mn_node *n,
			const struct mn_now *now)
{
	return n->has_key && !n->failed &&
	       now->ns >= n->t_sol + (uint64_t)sh->scen->refresh_min_ms * 1000000u &&
	       hk_mn_refresh_due(&n->hk, n->ar, now->wall48);
}

static void step_idle(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now)
{
	enum mn_step step = (enum mn_step)n->plan[n->pos];

	if (step != STEP_PROVISION && refresh_due(sh, n, now)) {
		if (mn_bucket_take(&sh->prov, now->ns)) {
			n->refreshing = true;
			n->tries = 0;
			solicit(sh, n, MN_TX_rtsolpr_refresh, now);
		}
		return;
	}
	switch (step) {
	case STEP_PROVISION:
		if (mn_bucket_take(&sh->prov, now->ns)) {
			n->tries = 0;
			n->refreshing = false;
			solicit(sh, n, MN_TX_rtsolpr, now);
		}
		break;
	case STEP_RESOLICIT:
		if (mn_bucket_take(&sh->prov, now->ns)) {
			n->refreshing = true;
			n->tries = 0;
			solicit(sh, n, MN_TX_rtsolpr_refresh, now);
		}
		break;
	case STEP_HO_PAR:
	case STEP_HO_NAR:
	case STEP_RETURN:
		mn_node_handover(sh, n, step, now);
		break;
	case STEP_DATA:
	case STEP_REVERSE:
		if (mn_bucket_take(&sh->data, now->ns)) {
			mn_node_data(sh, n, step == STEP_REVERSE);
			mn_node_next(n, now->ns);
		}
		break;
	default:
		if (mn_bucket_take(&sh->attack, now->ns)) {
			mn_node_attack(sh, n, step);
			mn_node_next(n, now->ns);
		}
		break;
	}
}

void mn_node_step(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now)
{
	switch (n->state) {
	case NS_SOLICIT:
		if (now->ns < n->t_next)
			return;
		if (n->tries >= sh->scen->prov_retries) {
			mn_node_give_up(sh, n);
		} else if (mn_bucket_take(&sh->prov, now->ns)) {
			n->tries++;
			solicit(sh, n, MN_TX_rtsolpr_retry, now);
		}
		return;
	case NS_WAIT_FBACK:
		if (now->ns >= n->t_next) {
			sh->st.out[MN_OUT_fback_timeout]++;
			mn_node_next(n, now->ns);
		}
		return;
	case NS_IDLE:
		if (n->pos >= n->plan_len) {
			node_done(sh, n);
			return;
		}
		if (now->ns >= n->t_next)
			step_idle(sh, n, now);
		return;
	case NS_DONE:
		/* a run with a duration keeps the keys of finished nodes fresh */
		if (sh->scen->duration_s > 0 && refresh_due(sh, n, now) &&
		    mn_bucket_take(&sh->prov, now->ns)) {
			n->refreshing = true;
			n->tries = 0;
			sh->n_done--;
			solicit(sh, n, MN_TX_rtsolpr_refresh, now);
		}
		return;
	default: /* NS_WAIT_PATH */
		mn_path_tick(sh, n, now);
		return;
	}
}

/* A key arrived for the outstanding solicitation. */
static void key_stored(struct mn_shard *sh, struct mn_node *n, const uint8_t ar[16],
		       const struct mn_now *now)
{
	bool was_refresh = n->refreshing;

	memcpy(n->ar, ar, 16);
	n->has_key = true;
	n->refreshing = false;
	n->tries = 0;
	if (was_refresh) { /* back to the step it interrupted (or to done) */
		sh->st.out[MN_OUT_refresh_ok]++;
		mn_samples_add(&sh->st.reprov, (now->ns - n->t_sol) / 1000);
		n->state = NS_IDLE;
		if (n->pos < n->plan_len && n->plan[n->pos] == STEP_RESOLICIT)
			mn_node_next(n, now->ns + (uint64_t)sh->scen->refresh_min_ms * 1000000u);
		return;
	}
	sh->st.out[MN_OUT_prov_ok]++;
	mn_samples_add(&sh->st.prov, (now->ns - n->t_start) / 1000);
	mn_node_next(n, now->ns + (uint64_t)sh->scen->ho_interval_ms * 1000000u);
}

void mn_node_prrtadv(struct mn_shard *sh, struct mn_node *n, const uint8_t *ip6, size_t len,
		     const struct mn_now *now)
{
	struct wire_frame *f = &sh->inner;
	struct wire_send_opts so;
	const struct hk_mn_key *old;
	uint8_t prev[HK_KEY_MAX], prev_len = 0, ar[16];
	struct hk_mn_key k;
	int r;

	if (wire_decode_frame(ip6, len, WIRE_LINK_RAW6, f) != WIRE_OK ||
	    wire_send_opts_collect(&f->icmp, f->nd.fmip.opts_off, &so) != WIRE_OK) {
		sh->st.rx[MN_RX_malformed]++;
		return;
	}
	if (!so.has_nonce) { /* A19: the answer to a solicitation that failed verification */
		sh->st.rx[MN_RX_prrtadv_failure]++;
		return;
	}
	memcpy(ar, f->ip.src, 16);
	if ((old = hk_mn_key_find(&n->hk, ar, now->wall48)) != NULL) {
		prev_len = old->key_len;
		memcpy(prev, old->key, prev_len);
	}
	r = hk_mn_prrtadv(&n->hk, ip6, len, now->wall48, &k);
	if (r == HK_R_NEED_PATH) {
		if (mn_path_need(sh, n, ar, ip6, len, now) == 0)
			return; /* kept until the path is validated */
		r = hk_mn_prrtadv(&n->hk, ip6, len, now->wall48, &k);
	}
	if (r == HK_R_OK) {
		bool same = prev_len == k.key_len && memcmp(prev, k.key, prev_len) == 0;

		sh->st.rx[same ? MN_RX_prrtadv_key_existing : MN_RX_prrtadv_key_new]++;
		if (n->state == NS_SOLICIT || n->state == NS_WAIT_PATH)
			key_stored(sh, n, ar, now);
	} else if (r == HK_R_NO_HKREP) {
		sh->st.rx[MN_RX_prrtadv_nokey]++;
	} else {
		sh->st.rx[MN_RX_prrtadv_refused]++;
		sh->st.prrtadv_reason[r < HK_R__COUNT ? r : HK_R_INTERNAL]++;
	}
	memset(&k, 0, sizeof(k));
	memset(prev, 0, sizeof(prev));
}

void mn_node_resume(struct mn_shard *sh, struct mn_node *n, const struct mn_now *now)
{
	uint8_t *p = n->stash;
	uint16_t len = n->stash_len;

	n->stash = NULL;
	n->stash_len = 0;
	if (p == NULL)
		return;
	n->state = NS_SOLICIT; /* the kept PrRtAdv answers the outstanding solicitation */
	mn_node_prrtadv(sh, n, p, len, now);
	free(p);
}
