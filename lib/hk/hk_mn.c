/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk, mobile-node role (RFC 5269 §3.1, §3.3, §3.4): encryption key pairs, the RtSolPr,
 * PrRtAdv processing, the key store by (AR, own CGA), FBU building and the FBack check.
 * Used by the simulator and the tests; not on any fast path.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "cga.h"
#include "hk.h"
#include "hk_priv.h"

void hk_mn_cfg_defaults(struct hk_mn_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->hkepk_lifetime = HKEPK_LIFETIME_DEFAULT;
	cfg->hkepk_handovers = HKEPK_HANDOVERS_DEFAULT;
	cfg->refresh_margin = 60;
}

static void enc_free(struct hk_enc_key *e)
{
	EVP_PKEY_free(e->key);
	OPENSSL_cleanse(e, sizeof(*e));
}

int hk_mn_init(struct hk_mn *mn, const struct hk_mn_cfg *cfg)
{
	memset(mn, 0, sizeof(*mn));
	if (cfg->creds == NULL || cfg->creds->key == NULL || cfg->creds->params == NULL ||
	    cfg->mac == NULL || cfg->send == NULL)
		return HK_R_INTERNAL;
	mn->cfg = *cfg;
	if (RAND_bytes((uint8_t *)&mn->next_id, sizeof(mn->next_id)) != 1)
		return HK_R_RANDOM;
	return HK_R_OK;
}

void hk_mn_free(struct hk_mn *mn)
{
	for (unsigned i = 0; i < HK_MN_ENC; i++)
		enc_free(&mn->enc[i]);
	for (unsigned i = 0; i < HK_MN_KEYS; i++)
		EVP_PKEY_free(mn->routers[i].key);
	OPENSSL_cleanse(mn, sizeof(*mn));
}

/*
 * RFC 5269 §3.1: exactly the SEND key's algorithm and parameters (RSA, same modulus size,
 * e = 65537), used for nothing else; discarded after HKEPK-LIFETIME or HKEPK-HANDOVERS.
 */
int hk_mn_rotate(struct hk_mn *mn, uint64_t now)
{
	struct hk_enc_key *cur = &mn->enc[0];
	uint64_t sec = now >> 16;
	EVP_PKEY *k;
	size_t n;

	if (cur->in_use && sec - cur->created < mn->cfg.hkepk_lifetime &&
	    cur->handovers < mn->cfg.hkepk_handovers)
		return HK_R_OK;
	k = EVP_RSA_gen((unsigned)EVP_PKEY_get_bits(mn->cfg.creds->key));
	if (k == NULL) {
		ERR_clear_error();
		return HK_R_RANDOM;
	}
	/* the previous pair stays for solicitations still outstanding with it */
	for (unsigned i = 0; i < HK_MN_PENDING; i++) {
		if (!mn->pending[i].used)
			continue;
		if (mn->pending[i].enc == 0)
			mn->pending[i].enc = 1;
		else
			mn->pending[i].used = false;
	}
	enc_free(&mn->enc[1]);
	mn->enc[1] = *cur;
	memset(cur, 0, sizeof(*cur));
	cur->key = k;
	n = cga_pubkey_der(k, cur->spki, sizeof(cur->spki));
	if (n == 0) {
		enc_free(cur);
		return HK_R_INTERNAL;
	}
	cur->spki_len = n;
	cur->created = sec;
	cur->in_use = true;
	return HK_R_OK;
}

void hk_mn_handover_done(struct hk_mn *mn)
{
	mn->enc[0].handovers++;
}

static int router_slot(const struct hk_mn *mn, const uint8_t ar[16])
{
	for (int i = 0; i < HK_MN_KEYS; i++)
		if (mn->routers[i].key && memcmp(mn->routers[i].ar, ar, 16) == 0)
			return i;
	return -1;
}

int hk_mn_set_router(struct hk_mn *mn, const uint8_t ar[16], X509 *router_cert)
{
	EVP_PKEY *k = X509_get_pubkey(router_cert);
	int i = router_slot(mn, ar);

	if (k == NULL)
		return HK_R_INTERNAL;
	for (int j = 0; i < 0 && j < HK_MN_KEYS; j++)
		if (mn->routers[j].key == NULL)
			i = j;
	if (i < 0)
		i = 0; /* full: replace the first */
	EVP_PKEY_free(mn->routers[i].key);
	memcpy(mn->routers[i].ar, ar, 16);
	mn->routers[i].key = k;
	return HK_R_OK;
}

int hk_mn_rtsolpr(struct hk_mn *mn, const struct hk_rtsolpr_spec *s, uint64_t now, uint8_t *pkt,
		  size_t cap, size_t *len)
{
	static const uint8_t wildcard[6];
	struct wire_buf w = wire_buf_make(pkt, cap);
	const struct send_creds *c = mn->cfg.creds;
	uint8_t nonce[HK_NONCE_LEN];
	int slot = -1, r;
	uint8_t at = (uint8_t)(s->at < 0 ? mn->cfg.preferred_at : s->at);
	size_t ip6, icmp;

	if ((r = hk_mn_rotate(mn, now)) != HK_R_OK)
		return r;
	for (int i = 0; i < HK_MN_PENDING && slot < 0; i++)
		if (!mn->pending[i].used)
			slot = i;
	if (slot < 0) { /* reuse the oldest outstanding solicitation's slot */
		slot = 0;
		for (int i = 1; i < HK_MN_PENDING; i++)
			if (mn->pending[i].sent < mn->pending[slot].sent)
				slot = i;
	}
	if (RAND_bytes(nonce, sizeof(nonce)) != 1)
		return HK_R_RANDOM;

	/* RFC 5568 §6.1.1 + RFC 5269 §3.1; option order as PROTOCOL.md §10. */
	ip6 = wire_build_ip6(&w, c->addr, s->dst, WIRE_NH_ICMPV6, 255);
	icmp = wire_build_fmip(&w, WIRE_FMIP_RTSOLPR, 0, mn->next_id);
	if (s->src_lla)
		wire_put_opt_lla(&w, WIRE_LLA_SOURCE, s->src_lla, 6);
	if (s->n_new_aps == 0)
		wire_put_opt_lla(&w, WIRE_LLA_WILDCARD, wildcard, 6);
	for (unsigned i = 0; i < s->n_new_aps; i++)
		wire_put_opt_lla(&w, WIRE_LLA_NEW_AP, s->new_aps[i], 6);
	struct send_sign_opts so = { .timestamp = now, .nonce = nonce, .nonce_len = sizeof(nonce) };
	send_put_opts(&w, c, &so);
	wire_put_opt_hkreq(&w, at, mn->enc[0].spki, mn->enc[0].spki_len);
	if ((r = hk_sign_reason(send_sign_finish(&w, c, ip6, icmp))) != HK_R_OK)
		return r;
	mn->pending[slot].used = true;
	memcpy(mn->pending[slot].nonce, nonce, sizeof(nonce));
	memcpy(mn->pending[slot].dst, s->dst, 16);
	mn->pending[slot].identifier = mn->next_id++;
	mn->pending[slot].enc = 0;
	mn->pending[slot].at = at;
	mn->pending[slot].sent = now >> 16;
	*len = w.len;
	return HK_R_OK;
}

/*
 * The outstanding solicitation a PrRtAdv answers: same nonce (RFC 5269 §3.3), same Identifier
 * (RFC 5568 §6.1.2), sent recently (RFC 3971 §5.3.4.1: within TIMESTAMP_DELTA).  Solicitations
 * older than that are forgotten.
 */
static int pending_match(struct hk_mn *mn, const uint8_t *nonce, size_t len, uint16_t identifier,
			 uint64_t now)
{
	uint64_t sec = now >> 16;
	int found = -1;

	for (int i = 0; i < HK_MN_PENDING; i++) {
		if (!mn->pending[i].used)
			continue;
		if (sec - mn->pending[i].sent > mn->cfg.send->ts_delta) {
			mn->pending[i].used = false;
			continue;
		}
		if (found < 0 && nonce != NULL && len == HK_NONCE_LEN &&
		    mn->pending[i].identifier == identifier &&
		    CRYPTO_memcmp(mn->pending[i].nonce, nonce, len) == 0)
			found = i;
	}
	return found;
}

static struct hk_mn_key *key_slot(struct hk_mn *mn, const uint8_t ar[16])
{
	struct hk_mn_key *oldest = &mn->keys[0];
	for (unsigned i = 0; i < HK_MN_KEYS; i++)
		if (mn->keys[i].valid && memcmp(mn->keys[i].ar, ar, 16) == 0)
			return &mn->keys[i];
	for (unsigned i = 0; i < HK_MN_KEYS; i++) {
		if (!mn->keys[i].valid)
			return &mn->keys[i];
		if (mn->keys[i].received < oldest->received)
			oldest = &mn->keys[i];
	}
	return oldest;
}

int hk_mn_prrtadv(struct hk_mn *mn, const uint8_t *pkt, size_t len, uint64_t now,
		  struct hk_mn_key *key)
{
	struct wire_frame f;
	struct wire_send_opts so;
	struct wire_opt_nonce on;
	struct wire_opt_hkrep hr;
	struct send_verify_req req;
	struct send_verify_res res;
	uint8_t plain[512];
	size_t plain_len = sizeof(plain);
	unsigned want;
	int p, rs;

	if (wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &f) != WIRE_OK)
		return HK_R_MALFORMED;
	if (f.msg != WIRE_MSG_PRRTADV)
		return HK_R_NOT_PRRTADV;
	/* RFC 5269 §3.3: signed by the router's certified key, else dropped */
	/* unicast to the CGA that solicited it (RFC 5269 §3.2) */
	if (memcmp(f.ip.dst, mn->cfg.creds->addr, 16) != 0)
		return HK_R_NOT_FOR_US;
	if ((rs = router_slot(mn, f.ip.src)) < 0)
		return HK_R_NEED_PATH;
	/* the nonce names the solicitation and so the encryption key pair */
	if (wire_send_opts_collect(&f.icmp, f.nd.fmip.opts_off, &so) != WIRE_OK)
		return HK_R_MALFORMED;
	if (!so.has_nonce || wire_opt_nonce_decode(&so.nonce, &on) != WIRE_OK ||
	    (p = pending_match(mn, on.nonce, on.nonce_len, f.nd.fmip.identifier, now)) < 0)
		return HK_R_NONCE;

	send_verify_req_from_frame(&req, &f);
	req.role = SEND_ADVERTISEMENT;
	req.certified = mn->routers[rs].key;
	req.expect_nonce = mn->pending[p].nonce;
	req.expect_nonce_len = HK_NONCE_LEN;
	memset(&res, 0, sizeof(res));
	if (send_verify(mn->cfg.send, &req, &res) != SEND_R_OK)
		return HK_R_SEND;
	if (!res.opts.has_hkrep || wire_opt_hkrep_decode(&res.opts.hkrep, &hr) != WIRE_OK)
		return HK_R_NO_HKREP;
	/* the AT returned must be one the MN supports; it MUST then use it */
	if ((want = hk_at_key_len(mn->cfg.mac, hr.at)) == 0)
		return HK_R_NO_AT;

	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_pkey(NULL, mn->enc[mn->pending[p].enc].key, NULL);
	int ok = c && EVP_PKEY_decrypt_init(c) == 1 &&
		 EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1 &&
		 EVP_PKEY_decrypt(c, plain, &plain_len, hr.enc, hr.enc_len) == 1;
	EVP_PKEY_CTX_free(c);
	ERR_clear_error();
	if (!ok || plain_len != want) {
		OPENSSL_cleanse(plain, sizeof(plain));
		return HK_R_DECRYPT;
	}

	/* RFC 5269 §3.3: stored by (AR address, own CGA) with the AT and HK-LIFETIME */
	struct hk_mn_key *k = key_slot(mn, f.ip.src);
	OPENSSL_cleanse(k, sizeof(*k));
	memcpy(k->ar, f.ip.src, 16);
	memcpy(k->cga, mn->cfg.creds->addr, 16);
	k->at = hr.at;
	k->key_len = (uint8_t)plain_len;
	memcpy(k->key, plain, plain_len);
	k->received = now >> 16;
	k->lifetime = hr.lifetime;
	k->valid = true;
	OPENSSL_cleanse(plain, sizeof(plain));
	mn->pending[p].used = false;
	if (key)
		*key = *k;
	return HK_R_OK;
}

const struct hk_mn_key *hk_mn_key_find(const struct hk_mn *mn, const uint8_t ar[16], uint64_t now)
{
	uint64_t sec = now >> 16;
	for (unsigned i = 0; i < HK_MN_KEYS; i++) {
		const struct hk_mn_key *k = &mn->keys[i];
		if (k->valid && memcmp(k->ar, ar, 16) == 0 && sec < k->received + k->lifetime)
			return k;
	}
	return NULL;
}

bool hk_mn_refresh_due(const struct hk_mn *mn, const uint8_t ar[16], uint64_t now)
{
	const struct hk_mn_key *k = hk_mn_key_find(mn, ar, now);
	return k == NULL || (now >> 16) + mn->cfg.refresh_margin >= k->received + k->lifetime;
}

void hk_mn_key_drop(struct hk_mn *mn, const uint8_t ar[16])
{
	for (unsigned i = 0; i < HK_MN_KEYS; i++)
		if (mn->keys[i].valid && memcmp(mn->keys[i].ar, ar, 16) == 0)
			OPENSSL_cleanse(&mn->keys[i], sizeof(mn->keys[i]));
}

int hk_mn_fbu(struct hk_mn *mn, struct mac_ctx *mctx, const struct mac_engine *eng,
	      const struct hk_fbu_spec *s, uint64_t now, uint8_t *pkt, size_t cap, size_t *len)
{
	const struct hk_mn_key *k = hk_mn_key_find(mn, s->ar ? s->ar : s->par, now);
	struct wire_buf w = wire_buf_make(pkt, cap);
	struct mac_key mk;
	size_t mh_off, auth_off;
	int r;

	/* RFC 5269 §3.4: the key of (PAR, previous care-of CGA): the HAO must be the CGA the
	 * key was provisioned for */
	if (k == NULL || memcmp(s->pcoa, k->cga, 16) != 0)
		return HK_R_NO_KEY;
	if (mac_key_init(eng, &mk, k->at, k->key, k->key_len) != 0)
		return HK_R_NO_AT;
	/* RFC 5568 §6.2.2 / RFC 5269 §3.4: HAO = the previous care-of CGA; from the PAR's
	 * link the source is the PCoA and the NCoA rides in an Alt-CoA option. */
	struct wire_fbu_spec fs = {
		.src = s->from_par_link ? s->pcoa : s->ncoa,
		.dst = s->par,
		.hoa = s->pcoa,
		.altcoa = s->from_par_link ? s->ncoa : NULL,
		.mh_lla = s->mn_lla,
		.seq = s->seq,
		.lifetime = s->lifetime,
		.auth_len = mk.tag_len,
	};
	if (wire_build_fbu(&w, &fs, &mh_off, &auth_off) != WIRE_OK)
		r = HK_R_NOSPACE;
	else
		r = hk_badf_seal(mctx, &mk, pkt, w.len, mh_off, auth_off);
	mac_key_clear(&mk);
	if (r == HK_R_OK)
		*len = w.len;
	return r;
}

int hk_mn_fback_check(const struct hk_mn *mn, struct mac_ctx *mctx, const struct mac_engine *eng,
		      const uint8_t ar[16], const uint8_t *pkt, size_t len, uint64_t now)
{
	const struct hk_mn_key *k = hk_mn_key_find(mn, ar, now);
	struct wire_frame f;
	struct wire_mac_input in;
	struct mac_key mk;
	struct mac_job job;
	uint64_t ok = 0;

	if (wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &f) != WIRE_OK || f.msg != WIRE_MSG_FBACK ||
	    wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		return HK_R_MALFORMED;
	if (k == NULL)
		return HK_R_NO_KEY;
	if (mac_key_init(eng, &mk, k->at, k->key, k->key_len) != 0)
		return HK_R_NO_AT;
	mac_job_from_input(&job, &mk, &in);
	mac_verify_burst(mctx, &job, 1, &ok);
	mac_key_clear(&mk);
	return (ok & 1) ? HK_R_OK : HK_R_BAD_MAC;
}
