/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/hk — RFC 5269 handover-key provisioning and use, for both roles.
 *
 *   AR role (the gateway's control lcore): RtSolPr in → SEND validation (lib/send) → find or
 *   make the CGA's handover key through a key-store interface → RSAES-PKCS1-v1_5 encryption →
 *   a signed PrRtAdv out, plus the key-record operation for the caller to commit (the caller
 *   owns the table: lib/keytab in the gateway, an array in tests).  Nothing here writes state
 *   the caller did not ask for: a solicitation that fails validation returns op NONE.
 *   FBU checks that are not the MAC (A4, A14, A21, A23) and the FBack builder.
 *
 *   MN role (simulator and tests): handover-key encryption key pairs with HKEPK-LIFETIME and
 *   HKEPK-HANDOVERS, the RtSolPr, PrRtAdv processing (SEND + certified router key + nonce
 *   match + decryption), the key store by (AR address, own CGA), FBU building, FBack check.
 *
 * No DPDK.  OpenSSL for RSA and randomness (RAND_priv_bytes, A9); lib/mac for BADF tags.
 * Times: `now` arguments are 48.16 fixed-point seconds (the SEND Timestamp format); key
 * issue/expiry times in struct hk_key are whole seconds (now >> 16).
 */
#ifndef FMIPGW_HK_H
#define FMIPGW_HK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "mac.h"
#include "send.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 5269 §3.7 defaults */
#define HK_LIFETIME_DEFAULT	43200u /* HK-LIFETIME, seconds */
#define HKEPK_LIFETIME_DEFAULT	43200u /* HKEPK-LIFETIME, seconds (12 h) */
#define HKEPK_HANDOVERS_DEFAULT 10u    /* HKEPK-HANDOVERS */
#define HK_KEY_MAX		32     /* A9: 20 (AT 0) or 32 (AT 1) octets */
#define HK_PKT_MAX		2048   /* largest PrRtAdv built (RSA-4096 keys fit) */
#define HK_NONCE_LEN		14     /* nonces this implementation sends (6 + 8) */

/* X-macro: name, text.  One reason per way a message is refused or answered without a key. */
#define HK_REASONS(X)                                                                         \
	X(OK, "ok")                                                                           \
	X(MALFORMED, "malformed message") /* lib/wire refused it */                           \
	X(NOT_RTSOLPR, "not an rtsolpr")                                                      \
	X(NOT_PRRTADV, "not a prrtadv")                                                       \
	X(SEND, "send validation failed")		  /* detail: send_reason */           \
	X(NO_HKREQ, "no handover key request")		  /* valid, answered without a key */ \
	X(ENC_KEY, "handover key encryption key refused") /* A10 */                           \
	X(NO_AT, "no acceptable algorithm type")                                              \
	X(RANDOM, "random generator failed")                                                  \
	X(ENCRYPT, "rsa encryption failed")                                                   \
	X(DECRYPT, "rsa decryption failed")                                                   \
	X(SIGN, "signing failed")                                                             \
	X(RATE_LIMITED, "reply rate limited") /* A19 */                                       \
	X(NO_HKREP, "no handover key reply")                                                  \
	X(NONCE, "matches no outstanding solicitation") /* nonce, identifier, age */          \
	X(NOT_FOR_US, "not addressed to this node")                                           \
	X(NEED_PATH, "router certification path not known") /* fetch it with CPS/CPA */       \
	X(NOT_FBU, "not an fbu")                                                              \
	X(NO_HAO, "fbu without home address option")                                          \
	X(HAO_MISMATCH, "home address is not the key's cga") /* A21 */                        \
	X(STALE_SEQ, "fbu sequence not newer")		     /* A14 */                        \
	X(NO_ALTCOA, "fbu from the par's link without alternate care-of address")             \
	X(FLAGS, "fbu without the a and h flags") /* RFC 5568 §6.2.2 */                      \
	X(BAD_MAC, "authenticator does not verify")                                           \
	X(NO_KEY, "no handover key")                                                          \
	X(NOSPACE, "no space")                                                                \
	X(INTERNAL, "internal error")

enum hk_reason {
#define HK_REASON_ENUM(n, s) HK_R_##n,
	HK_REASONS(HK_REASON_ENUM)
#undef HK_REASON_ENUM
	    HK_R__COUNT
};
const char *hk_strerror(int reason);

/* ------------------------------------------------------------------------------------------ */
/* Algorithm types (A1)                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* Key length for an AT under a MAC configuration (A9: the hash's digest length); 0 if the AT
 * is not enabled. */
unsigned hk_at_key_len(const struct mac_cfg *mac, uint8_t at);
/*
 * A1 / RFC 5269 §3.2: the AT to answer a request for `want`: want itself if enabled;
 * otherwise the strongest enabled AT that is at least as strong (hash strength, then tag
 * length).  -1 if none.
 */
int hk_at_resolve(const struct mac_cfg *mac, uint8_t want);

/* ------------------------------------------------------------------------------------------ */
/* AR role                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A handover key as the AR stores it (the gateway keeps these fields in a keytab record). */
struct hk_key {
	uint8_t cga[16];     /* A8, A21: the RtSolPr source */
	uint8_t pk_sha1[20]; /* A8: SHA-1 of the CGA public key (DER SPKI) */
	uint8_t at;
	uint8_t key_len;
	uint8_t key[HK_KEY_MAX];
	uint64_t issued;   /* seconds */
	uint32_t lifetime; /* HK-LIFETIME recorded with the key, seconds */
};

/* The caller's key table, read-only for lib/hk. */
struct hk_keystore {
	void *ctx;
	/* 1 and *out filled when cga has a usable key; 0 otherwise. */
	int (*find)(void *ctx, const uint8_t cga[16], struct hk_key *out);
};

/* What the AR knows of one access point (RFC 5568 §6.1.2 [AP-ID, AR-Info] tuples). */
enum hk_ap_kind {
	HK_AP_NAR = 0,	  /* behind a neighbouring AR: NAR LLA, address, prefix */
	HK_AP_CURRENT_IF, /* on this AR's own interface: Option-Code 5 */
	HK_AP_NO_PREFIX,  /* known, no prefix information: Option-Code 6 */
	HK_AP_NO_FMIP,	  /* NAR does not support fast handover: Option-Code 7 */
};
struct hk_ap {
	uint8_t ap_lla[6]; /* the AP's link-layer identifier, matched to New-AP LLA options */
	enum hk_ap_kind kind;
	uint8_t nar_lla[6];
	uint8_t nar_addr[16];
	uint8_t nar_prefix[16];
	uint8_t nar_prefix_len;
};

struct hk_ar_cfg {
	const struct send_cfg *send;
	const struct send_creds *creds; /* router key, its link-local CGA parameters, its cert */
	const struct mac_cfg *mac;	/* the AT map (A1) */
	const uint8_t *lla; /* router's link-layer address (source LLA option) or NULL */
	const struct hk_ap *aps;
	unsigned n_aps;
	uint16_t hk_lifetime;	     /* HK-LIFETIME seconds (default 43200) */
	bool reply_on_failure;	     /* A19: answer unverified solicitations (default true) */
	uint32_t failure_reply_rate; /* A19: at most this many such replies per second (10) */
	uint16_t mtu; /* the link MTU the PrRtAdv must fit (default 1500, at least 1280): AP
		       * tuples that do not fit are left out and the Code is 3 */
};
void hk_ar_cfg_defaults(struct hk_ar_cfg *cfg);

/* Mutable AR state (one per control lcore). */
#define HK_SEEN_NONCES 256 /* verified solicitations remembered against exact replays */

struct hk_ar_state {
	struct send_replay *replay; /* RFC 3971 §5.3.4.2 per-peer cache */
	/*
	 * The §5.3.4.2 formula accepts a timestamp equal to the last one, so a byte-exact
	 * replay of a verified RtSolPr would pass it.  The AR also remembers the (source, nonce,
	 * timestamp) of the last HK_SEEN_NONCES verified solicitations and, within
	 * TIMESTAMP_DELTA (after that the timestamp window refuses it), refuses the same source
	 * and nonce unless the timestamp is newer: a retransmission the MN signed again is
	 * served, a copy is not.  Both this ring and the §5.3.4.2 formulas are consulted before
	 * the CGA check and the RSA verification (a copy costs no RSA work, out->send_work 0);
	 * both are written only after the signature verified.
	 */
	struct hk_seen {
		uint8_t src[16];
		uint8_t nonce[32];
		uint8_t nonce_len;
		bool has_ts;
		uint64_t ts; /* 48.16 */
		uint64_t at; /* seconds */
	} seen[HK_SEEN_NONCES];
	unsigned seen_next;
	uint64_t fail_win; /* A19 rate-limit window start (seconds) */
	uint32_t fail_count;
};

enum hk_key_op {
	HK_KEY_NONE = 0, /* nothing to commit */
	HK_KEY_INSERT,	 /* a new key: commit out->key under out->key.cga */
	HK_KEY_EXISTING, /* the CGA's existing key was returned; nothing to commit */
};

struct hk_ar_out {
	int reason;	    /* enum hk_reason */
	int send_reason;    /* enum send_reason when reason == HK_R_SEND */
	int cga_err;	    /* enum cga_err when send_reason == SEND_R_CGA */
	unsigned send_work; /* SEND_WORK_* bits: the costly SEND steps run (0: refused before
			     * any CGA or RSA work, e.g. a stale or replayed solicitation) */
	enum hk_key_op op;
	struct hk_key key; /* INSERT / EXISTING: the key in the reply */
	bool suppressed;   /* A19: a failure reply was due but rate-limited */
	uint8_t dst[16];   /* the reply's destination (the RtSolPr source) */
	size_t len;	   /* the PrRtAdv (IPv6 packet, no L2); 0: nothing to send */
	uint8_t pkt[HK_PKT_MAX];
};

/*
 * Serve one RtSolPr (an IPv6 packet, no L2) received at `now` (48.16).  Validates it first
 * (RFC 5269 §3.2, A6, A7); then (A8-A10, A1) finds or makes the key, encrypts it with the
 * Handover Key Request's public key and builds the signed PrRtAdv (A19 on failure).
 * out->reason says why no key was provisioned; out->len says whether to send a reply.
 */
int hk_ar_rtsolpr(const struct hk_ar_cfg *cfg, struct hk_ar_state *st, const struct hk_keystore *ks,
		  const uint8_t *pkt, size_t len, uint64_t now, struct hk_ar_out *out);

/* FBU policy (A4). */
struct hk_fbu_policy {
	uint32_t max_lifetime; /* seconds; longer requests are clamped (default 60) */
	bool lifetime_4s;      /* A4 switch: the Lifetime field counts 4-second units */
};
void hk_fbu_policy_defaults(struct hk_fbu_policy *p);

/* An authenticated FBU as the PAR acts on it. */
struct hk_fbu_info {
	uint8_t pcoa[16]; /* A23: from the Home Address option */
	uint8_t ncoa[16]; /* A2: Alt-CoA, else the IPv6 source */
	uint8_t par[16];  /* A12: the IPv6 destination */
	uint16_t seq;
	uint32_t lifetime;  /* seconds, after A4 units and clamping */
	bool teardown;	    /* Lifetime 0 (RFC 5568 §5.6) */
	bool from_par_link; /* IPv6 source == PCoA (HI Code 0) */
	uint8_t flags;
	bool has_mn_lla;
	uint8_t mn_lla[6];
};

/*
 * The FBU checks that are not the MAC, for a frame wire_decode_frame() accepted: an FBU with
 * the A and H flags (RFC 5568 §6.2.2), a Home Address option (A23) equal to key_cga when given
 * (A21), and an Alternate CoA when sent from the PAR's link (source == HAO, §6.2.2).  Fills
 * *info.  HK_R_OK or the reason.  The replay rule (A14) is the caller's, with the one
 * comparison wire_mh_seq_newer(): the gateway consumes the sequence on the fast path
 * (app/fmipgw/dp/fbu.h, L2) and reports HK_R_STALE_SEQ itself where it needs a reason.
 */
int hk_fbu_check(const struct hk_fbu_policy *p, const struct wire_frame *f, const uint8_t *key_cga,
		 struct hk_fbu_info *info);

/*
 * The FBack (RFC 5568 §6.2.3) from the PAR to the NCoA with a BADF made with the key (A20):
 * status, the FBU's sequence, the granted lifetime (in the policy's units, never more than
 * granted), and for status 1 the NCoA the NAR assigned (assigned_ncoa, required then) in an
 * Alternate CoA option.  Writes an IPv6 packet (no L2).  Returns HK_R_OK or a reason.
 */
int hk_fback_build(struct mac_ctx *mctx, const struct mac_key *key, const struct hk_fbu_policy *p,
		   const struct hk_fbu_info *fbu, uint8_t status, const uint8_t *assigned_ncoa,
		   uint8_t *pkt, size_t cap, size_t *len);

/* ------------------------------------------------------------------------------------------ */
/* MN role                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A handover-key encryption key pair (RFC 5269 §3.1). */
struct hk_enc_key {
	EVP_PKEY *key;
	uint8_t spki[1024]; /* DER SubjectPublicKeyInfo, as sent in the Request */
	size_t spki_len;
	uint64_t created;   /* seconds */
	unsigned handovers; /* handovers it has served */
	bool in_use;
};

/* A key the MN received, named by (AR address, own CGA) (RFC 5269 §3.3).  The AR address is
 * the PrRtAdv's source (the router's link-local CGA, "named with the AR's CGA"); the FBU is
 * sent to one of the AR's PAR addresses (A12), given separately. */
struct hk_mn_key {
	uint8_t ar[16];
	uint8_t cga[16];
	uint8_t at;
	uint8_t key_len;
	uint8_t key[HK_KEY_MAX];
	uint64_t received; /* seconds */
	uint32_t lifetime;
	bool valid;
};

#define HK_MN_PENDING 4 /* outstanding solicitations */
#define HK_MN_KEYS    8 /* keys kept */
#define HK_MN_ENC     2 /* current and previous encryption key pair */

struct hk_mn_cfg {
	const struct send_cfg *send;
	const struct send_creds *creds; /* the MN's CGA key and parameters */
	const struct send_trust *trust; /* trust anchors for router certificates */
	const struct mac_cfg *mac;	/* ATs the MN supports */
	uint8_t preferred_at;
	uint32_t hkepk_lifetime;  /* seconds (default 43200) */
	unsigned hkepk_handovers; /* default 10 */
	uint32_t refresh_margin;  /* re-request this long before HK-LIFETIME ends (default 60) */
};
void hk_mn_cfg_defaults(struct hk_mn_cfg *cfg);

struct hk_mn {
	struct hk_mn_cfg cfg;
	struct hk_enc_key enc[HK_MN_ENC]; /* [0] current */
	struct {
		bool used;
		uint8_t nonce[HK_NONCE_LEN];
		uint8_t dst[16];
		uint16_t identifier;
		int enc; /* index into enc[] */
		uint8_t at;
		uint64_t sent; /* seconds */
	} pending[HK_MN_PENDING];
	struct {
		uint8_t ar[16]; /* the router's link-local address */
		EVP_PKEY *key;	/* its certified key (from a validated certificate) */
	} routers[HK_MN_KEYS];
	struct hk_mn_key keys[HK_MN_KEYS];
	uint16_t next_id;
};

int hk_mn_init(struct hk_mn *mn, const struct hk_mn_cfg *cfg);
void hk_mn_free(struct hk_mn *mn);
/* Rotate the encryption key pair if HKEPK-LIFETIME or HKEPK-HANDOVERS is reached (or none). */
int hk_mn_rotate(struct hk_mn *mn, uint64_t now);
/* Record that a handover used the current encryption key pair (HKEPK-HANDOVERS). */
void hk_mn_handover_done(struct hk_mn *mn);
/* Remember the certified key of router `ar` (after send_path_verify / CPA). */
int hk_mn_set_router(struct hk_mn *mn, const uint8_t ar[16], X509 *router_cert);

struct hk_rtsolpr_spec {
	const uint8_t *dst;	     /* the AR's address or ff02::2 */
	const uint8_t *src_lla;	     /* 6 octets, Option-Code 4 (NULL: none) */
	const uint8_t (*new_aps)[6]; /* New-AP LLAs; none: the wildcard (Option-Code 0) */
	unsigned n_new_aps;
	int at; /* -1: cfg.preferred_at */
};
/* Build a signed RtSolPr with a Handover Key Request; remembers the nonce. */
int hk_mn_rtsolpr(struct hk_mn *mn, const struct hk_rtsolpr_spec *s, uint64_t now, uint8_t *pkt,
		  size_t cap, size_t *len);

/*
 * Process a PrRtAdv (IPv6 packet): SEND validation with the router's certified key
 * (HK_R_NEED_PATH if the router is unknown), an AT the MN supports, nonce match to an
 * outstanding solicitation and its encryption key, decryption, and storage by (AR address,
 * own CGA).  *key (may be NULL) receives the stored key.
 */
int hk_mn_prrtadv(struct hk_mn *mn, const uint8_t *pkt, size_t len, uint64_t now,
		  struct hk_mn_key *key);
/* The key for (ar, own CGA), valid at now; NULL if none (never an old, unreceived key). */
const struct hk_mn_key *hk_mn_key_find(const struct hk_mn *mn, const uint8_t ar[16], uint64_t now);
/* Whether a new RtSolPr is due for ar (no key, or within refresh_margin of HK-LIFETIME). */
bool hk_mn_refresh_due(const struct hk_mn *mn, const uint8_t ar[16], uint64_t now);
/* Forget the key for ar (e.g. after the MIPv6 binding completed at the NAR). */
void hk_mn_key_drop(struct hk_mn *mn, const uint8_t ar[16]);

struct hk_fbu_spec {
	const uint8_t *pcoa; /* previous care-of CGA (the HAO; must be the MN's own CGA) */
	const uint8_t *ncoa;
	const uint8_t *par; /* the FBU's destination: a PAR address (A12) */
	const uint8_t *ar;  /* the AR the key was received from (NULL: par) */
	bool from_par_link; /* source PCoA + Alt-CoA NCoA; else source NCoA */
	uint16_t seq;
	uint16_t lifetime;     /* field value */
	const uint8_t *mn_lla; /* optional, 6 octets */
};
/* Build an FBU authenticated with the key for (ar, own CGA) (A2, A20). */
int hk_mn_fbu(struct hk_mn *mn, struct mac_ctx *mctx, const struct mac_engine *eng,
	      const struct hk_fbu_spec *s, uint64_t now, uint8_t *pkt, size_t cap, size_t *len);
/* Check an FBack's BADF with the key for (ar, own CGA).  HK_R_OK or a reason. */
int hk_mn_fback_check(const struct hk_mn *mn, struct mac_ctx *mctx, const struct mac_engine *eng,
		      const uint8_t ar[16], const uint8_t *pkt, size_t len, uint64_t now);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_HK_H */
