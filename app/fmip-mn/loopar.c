/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn in-process router (see loopar.h).  The FBU path mirrors the gateway's order: the
 * key of the Home Address (A23), the authenticator (lib/mac), a newer sequence (A14), then
 * lib/hk's checks (hk_fbu_check) and the FBack (hk_fback_build, Status 0).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "ident.h"
#include "keyexp.h"
#include "loopar.h"

enum { Q_FRAME = MN_FRAME_MAX };

static int store_find(void *ctx, const uint8_t cga[16], struct hk_key *out)
{
	const struct mn_loopar *a = ctx;
	const struct mn_node *n = mn_world_find(a->w, cga);

	if (n == NULL || !a->have[n->id] || memcmp(a->keys[n->id].cga, cga, 16) != 0)
		return 0;
	*out = a->keys[n->id];
	return 1;
}

static X509 *self_signed(EVP_PKEY *key)
{
	X509 *x = X509_new();

	if (x == NULL)
		return NULL;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400 * 30);
	X509_set_pubkey(x, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"fmip-mn in-process router", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	if (X509_sign(x, key, EVP_sha256()) <= 0) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int mn_loopar_init(struct mn_loopar *a, const struct mn_world *w, uint16_t hk_lifetime, char *err,
		   size_t len)
{
	struct mn_ident_req r = { 1024, 0, { 0xfe, 0x80 }, NULL };
	struct mn_ident_cost c = { 0 };
	unsigned n = w->n_nodes + 1;

	memset(a, 0, sizeof(*a));
	a->w = w;
	send_cfg_default(&a->send);
	a->send.cache_size = n + 16; /* every node is a peer within TIMESTAMP_DELTA */
	if (mn_ident_make(&r, &a->creds, &c, err, len) < 0 ||
	    (a->cert = self_signed(a->creds.key)) == NULL ||
	    mac_engine_create(&w->mac, &a->eng) != 0 ||
	    (a->mctx = mac_ctx_create(a->eng)) == NULL ||
	    (a->st.replay = send_replay_new(&a->send)) == NULL) {
		if (err[0] == '\0')
			snprintf(err, len, "cannot set up the in-process router");
		return -1;
	}
	a->keys = calloc(n, sizeof(*a->keys));
	a->last_seq = calloc(n, sizeof(*a->last_seq));
	a->have = calloc(n, sizeof(*a->have));
	a->seq_set = calloc(n, sizeof(*a->seq_set));
	if (a->keys == NULL || a->last_seq == NULL || a->have == NULL || a->seq_set == NULL) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	memcpy(a->lla, (uint8_t[6]){ 2, 0, 0, 0, 0, 2 }, 6);
	hk_ar_cfg_defaults(&a->cfg);
	a->cfg.send = &a->send;
	a->cfg.creds = &a->creds;
	a->cfg.mac = &w->mac;
	a->cfg.lla = a->lla;
	a->cfg.hk_lifetime = hk_lifetime;
	hk_fbu_policy_defaults(&a->pol);
	return 0;
}

void mn_loopar_free(struct mn_loopar *a)
{
	if (a->keys)
		OPENSSL_cleanse(a->keys, (a->w->n_nodes + 1) * sizeof(*a->keys));
	free(a->keys);
	free(a->last_seq);
	free(a->have);
	free(a->seq_set);
	free(a->q);
	free(a->qlen);
	send_replay_free(a->st.replay);
	X509_free(a->cert);
	send_creds_free(&a->creds);
	mac_ctx_destroy(a->mctx);
	mac_engine_destroy(a->eng);
	OPENSSL_cleanse(&a->out, sizeof(a->out));
	memset(a, 0, sizeof(*a));
}

const uint8_t *mn_loopar_addr(const struct mn_loopar *a)
{
	return a->creds.addr;
}

/* Queue an answer: Ethernet to dst_mac, then the IPv6 packet. */
static void answer(struct mn_loopar *a, const uint8_t dst_mac[6], const uint8_t *ip6, size_t len)
{
	struct wire_buf b;
	unsigned slot;

	if (len + WIRE_ETH_HLEN > Q_FRAME)
		return;
	if (a->q_n == a->q_cap) {
		unsigned cap = a->q_cap ? a->q_cap * 2 : 64;
		uint8_t *q = malloc((size_t)cap * Q_FRAME);
		size_t *ql = malloc(cap * sizeof(*ql));

		if (q == NULL || ql == NULL) {
			free(q);
			free(ql);
			return;
		}
		for (unsigned i = 0; i < a->q_n; i++) { /* in order, from the head */
			unsigned s = (a->q_head + i) % (a->q_cap ? a->q_cap : 1);

			memcpy(q + (size_t)i * Q_FRAME, a->q + (size_t)s * Q_FRAME, a->qlen[s]);
			ql[i] = a->qlen[s];
		}
		free(a->q);
		free(a->qlen);
		a->q = q;
		a->qlen = ql;
		a->q_cap = cap;
		a->q_head = 0;
	}
	slot = (a->q_head + a->q_n++) % a->q_cap;
	b = wire_buf_make(a->q + (size_t)slot * Q_FRAME, Q_FRAME);
	wire_build_eth(&b, dst_mac, a->lla, -1, WIRE_ETH_P_IPV6);
	wire_put_bytes(&b, ip6, len);
	a->qlen[slot] = b.len;
}

size_t mn_loopar_pop(struct mn_loopar *a, uint8_t *out, size_t cap)
{
	size_t n;

	if (a->q_n == 0)
		return 0;
	n = a->qlen[a->q_head];
	if (n > cap)
		n = 0;
	else
		memcpy(out, a->q + (size_t)a->q_head * Q_FRAME, n);
	a->q_head = (a->q_head + 1) % a->q_cap;
	a->q_n--;
	return n;
}

static void rtsolpr(struct mn_loopar *a, const struct wire_frame *f, uint64_t now48)
{
	struct hk_keystore ks = { a, store_find };
	struct hk_ar_out *o = &a->out;
	const struct mn_node *n;

	a->served++;
	hk_ar_rtsolpr(&a->cfg, &a->st, &ks, f->ip.hdr, f->ip.len, now48, o);
	if (o->op == HK_KEY_INSERT && (n = mn_world_find(a->w, o->key.cga)) != NULL) {
		a->keys[n->id] = o->key;
		a->have[n->id] = true;
		a->seq_set[n->id] = false;
		a->keys_made++;
	}
	if (o->len > 0)
		answer(a, f->eth.src, o->pkt, o->len);
	OPENSSL_cleanse(&o->key, sizeof(o->key));
}

static void fbu(struct mn_loopar *a, const struct wire_frame *f)
{
	const struct mn_node *n = f->ip.hao ? mn_world_find(a->w, f->ip.hao) : NULL;
	struct wire_mac_input in;
	struct hk_fbu_info info;
	struct mac_key mk;
	struct mac_job job;
	uint8_t pkt[512];
	uint64_t ok = 0;
	size_t len;

	if (n == NULL || !a->have[n->id]) {
		a->fbu_no_key++;
		return;
	}
	const struct hk_key *k = &a->keys[n->id];
	if (wire_mac_input(&f->ip, &f->mh, &in) != WIRE_OK ||
	    mac_key_init(a->eng, &mk, k->at, k->key, k->key_len) != 0) {
		a->fbu_bad_mac++;
		return;
	}
	mac_job_from_input(&job, &mk, &in);
	mac_verify_burst(a->mctx, &job, 1, &ok);
	if (!(ok & 1)) {
		a->fbu_bad_mac++;
	} else if (a->seq_set[n->id] && !wire_mh_seq_newer(a->last_seq[n->id], f->mh.u.fbu.seq)) {
		a->fbu_stale++; /* A14 */
	} else if (hk_fbu_check(&a->pol, f, k->cga, &info) != HK_R_OK) {
		a->fbu_check_failed++;
	} else {
		a->last_seq[n->id] = f->mh.u.fbu.seq;
		a->seq_set[n->id] = true;
		a->fbu_ok++;
		if (hk_fback_build(a->mctx, &mk, &a->pol, &info, 0, NULL, pkt, sizeof(pkt), &len) ==
		    HK_R_OK)
			answer(a, f->eth.src, pkt, len);
	}
	mac_key_clear(&mk);
}

void mn_loopar_input(struct mn_loopar *a, const uint8_t *frame, size_t len, uint64_t now48)
{
	struct wire_frame f;

	if (wire_decode_frame(frame, len, WIRE_LINK_ETH, &f) != WIRE_OK)
		return;
	if (f.msg == WIRE_MSG_RTSOLPR)
		rtsolpr(a, &f, now48);
	else if (f.msg == WIRE_MSG_FBU && memcmp(f.ip.dst, a->w->scen.par, 16) == 0)
		fbu(a, &f);
}

int mn_loopar_export(const struct mn_loopar *a, const char *path, uint64_t now48, char *err,
		     size_t len)
{
	struct mn_keyexp *x = mn_keyexp_open(path, err, len);
	uint64_t now = now48 >> 16;
	int n = 0;

	if (x == NULL)
		return -1;
	for (unsigned i = 0; i < a->w->n_nodes; i++) {
		const struct hk_key *k = &a->keys[i];
		uint64_t end = k->issued + k->lifetime;

		if (!a->have[i] || end <= now)
			continue;
		mn_keyexp_add(x, k->cga, k->at, k->key, k->key_len, (uint32_t)(end - now),
			      k->pk_sha1);
		n++;
	}
	return mn_keyexp_close(x, err, len) == 0 ? n : -1;
}
