/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/send — SEcure Neighbor Discovery (RFC 3971; PROTOCOL.md section 2) for RtSolPr, PrRtAdv,
 * CPS and CPA: CGA + RSA Signature options (build and verify, decision A5), Timestamp and Nonce
 * with the replay cache of §5.3.4.2, and certification paths (§6, RFC 3779 prefixes), CPS/CPA.
 *
 * Everything on the wire is read through lib/wire (wire_send_opts_collect, wire_send_tbs,
 * wire_opt_*_decode) and written through its builders; RSA, SHA-1, X.509 and RFC 3779 come from
 * OpenSSL.  Nothing here logs; results are reason codes (send_strerror()).
 *
 * Threading: a struct send_creds, a struct send_trust and a struct send_cfg are read-only after
 * loading and can be shared; a struct send_replay, send_cpa_server and send_cpa_client are
 * single-threaded (one per control lcore).
 */
#ifndef FMIPGW_SEND_H
#define FMIPGW_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cga.h"
#include "wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, text.  The order is the ABI of send_strerror() and of fmipctl's JSON. */
#define SEND_REASONS(X)                                                                       \
	X(OK, "ok")                                                                           \
	X(MALFORMED, "malformed options")    /* wire_send_opts_collect refused the walk */    \
	X(HOP_LIMIT, "hop limit is not 255") /* A7 */                                         \
	X(UNSECURED, "no send protection")   /* neither CGA nor signature, or no ts/nonce */  \
	X(NO_CGA, "no cga option and no certified key")                                       \
	X(NO_RSASIG, "no rsa signature option")                                               \
	X(CGA, "cga verification failed") /* detail: send_verify_res.cga_err */               \
	X(KEY, "public key is not a usable rsa key")                                          \
	X(KEY_TOO_SMALL, "rsa key below the minimum size")                                    \
	X(KEY_TOO_LARGE, "rsa key above the maximum size")                                    \
	X(KEY_HASH, "key hash does not name the cga key")                                     \
	X(NOT_CERTIFIED, "signer is not the certified key")                                   \
	X(SIG_SHORT, "signature field shorter than the modulus")                              \
	X(SIG, "signature does not verify")                                                   \
	X(NO_TIMESTAMP, "signed message without timestamp") /* §5.3.4: discard */            \
	X(NO_NONCE, "solicitation without nonce")	    /* §5.3.4, A7: discard */        \
	X(NONCE_MISMATCH, "nonce does not match the solicitation")                            \
	X(TS_WINDOW, "timestamp outside the window")	       /* new peer, §5.3.4.2 */      \
	X(TS_REPLAY, "timestamp older than the last accepted") /* known peer, §5.3.4.2 */    \
	X(CACHE_FULL, "replay cache full")                                                    \
	X(CERT_PARSE, "certificate does not parse")                                           \
	X(CERT_UNTRUSTED, "no path to a trust anchor")                                        \
	X(CERT_EXPIRED, "certificate expired or not yet valid")                               \
	X(CERT_WEAK, "certificate signed with a weak algorithm") /* MD5, SHA-1, small keys */ \
	X(CERT_NO_IPADDR, "router certificate without rfc 3779 ipv6 blocks")                  \
	X(CERT_RESOURCES, "certificate blocks not inside its issuer's")                       \
	X(CERT_PREFIX, "served prefix outside the certificate's blocks")                      \
	X(CERT_INVALID, "certification path invalid") /* any other X509 error */              \
	X(RATE_LIMITED, "rate limited")		      /* MAX_CPA_RATE */                      \
	X(NOT_FOR_US, "identifier does not match")                                            \
	X(INCOMPLETE, "certification path incomplete")                                        \
	X(NOSPACE, "no space")                                                                \
	X(IO, "cannot read file")                                                             \
	X(INTERNAL, "internal error")

enum send_reason {
#define SEND_REASON_ENUM(n, s) SEND_R_##n,
	SEND_REASONS(SEND_REASON_ENUM)
#undef SEND_REASON_ENUM
	    SEND_R__COUNT
};

/* Stable lower-case text; never NULL. */
const char *send_strerror(int reason);
/* Short machine name ("sig", "key-hash", "ts-window", ...) for JSON; never NULL. */
const char *send_reason_name(int reason);

/* ------------------------------------------------------------------------------------------ */
/* Configuration                                                                               */
/* ------------------------------------------------------------------------------------------ */

struct send_cfg {
	unsigned min_bits;	    /* RFC 3971 §5.1.3 minbits; default 1024 */
	unsigned max_bits;	    /* upper bound for verification; default 4096 */
	uint32_t ts_delta;	    /* TIMESTAMP_DELTA, seconds; default 300 */
	uint32_t ts_fuzz;	    /* TIMESTAMP_FUZZ, seconds; default 1 */
	uint32_t ts_drift_permille; /* TIMESTAMP_DRIFT in 1/1000; default 10 (1 %) */
	unsigned cache_size;	    /* replay cache peers; default 1024 */
	bool accept_nonce_only;	    /* A6: accept solicitations with a nonce and no timestamp */
	bool no_hop_limit_check;    /* A7 checks Hop Limit 255 unless set (tests on raw bytes) */
};
void send_cfg_default(struct send_cfg *cfg);

/* 48.16 fixed-point seconds since 1970 (the Timestamp option's format), from CLOCK_REALTIME. */
uint64_t send_time_now(void);

/* ------------------------------------------------------------------------------------------ */
/* Credentials (one node's signing identity)                                                   */
/* ------------------------------------------------------------------------------------------ */

struct send_creds {
	EVP_PKEY *key;	 /* RSA private key */
	uint8_t *params; /* CGA Parameters (RFC 3972 §3) for the key, or NULL */
	size_t params_len;
	uint8_t addr[16];	/* the CGA the parameters produce (valid if params) */
	uint8_t key_hash[16];	/* RFC 3971 §5.2 Key Hash of the key */
	size_t sig_len;		/* modulus length in octets (A5) */
	X509 *cert;		/* router: its certificate (the key's), or NULL */
	STACK_OF(X509) * chain; /* router: intermediates, leaf side first (may be empty/NULL) */
};

/*
 * Private keys out of core dumps (DESIGN.md "Secrets").  OpenSSL keeps keys, the working
 * copies it derives (RSA's Montgomery contexts of p and q) and every operation's temporaries
 * on its heap.  send_mem_install() puts lib/send's allocation functions under OpenSSL
 * (CRYPTO_set_mem_functions: before any other OpenSSL call of the process; -1 if too late);
 * send_mem_secret() names the allocator every OpenSSL allocation comes from from then on (e.g.
 * memory marked MADV_DONTDUMP); blocks made before stay libc's.  Without one, everything is
 * libc's, as before.  Load private keys after naming it.
 */
struct send_secret_alloc {
	void *(*alloc)(size_t n);
	void *(*realloc)(void *p, size_t n);
	void (*free)(void *p);
	bool (*owns)(const void *p); /* p was allocated by alloc/realloc */
};
int send_mem_install(void);
void send_mem_secret(const struct send_secret_alloc *a);
/* OpenSSL's cleanup now (not at exit, when the secret allocator may be gone); no OpenSSL call
 * of the process may follow. */
void send_mem_shutdown(void);

/*
 * Load a PEM private key (PKCS#1 or PKCS#8, unencrypted), optionally the raw CGA Parameters
 * file (must contain the same public key and verify as a CGA), and optionally a PEM file with
 * the router certificate first then its intermediates (the certificate's key must be the
 * private key's).  Paths may be NULL except key_pem.  On failure returns a reason and leaves
 * *c empty; errbuf (may be NULL) receives a one-line explanation without key material.
 */
int send_creds_load(struct send_creds *c, const char *key_pem, const char *params_file,
		    const char *chain_pem, char *errbuf, size_t errlen);
/* Same from memory; takes a reference to key (the caller keeps its own). */
int send_creds_set(struct send_creds *c, EVP_PKEY *key, const uint8_t *params, size_t params_len);
/*
 * send_creds_set/load derive the address from the parameters with the highest Sec (0..2) the
 * modifier satisfies.  A CGA generated with a lower Sec whose Hash2 happens to have more zero
 * bits is a different address: set it here (it must verify against the parameters).
 */
int send_creds_set_addr(struct send_creds *c, const uint8_t addr[16]);
/* Free and zero (the private key is freed by OpenSSL, which clears it). */
void send_creds_free(struct send_creds *c);

/* ------------------------------------------------------------------------------------------ */
/* Signing                                                                                     */
/* ------------------------------------------------------------------------------------------ */

struct send_sign_opts {
	bool no_cga;	      /* omit the CGA option (a router naming its certified key) */
	bool no_timestamp;    /* omit the Timestamp option */
	uint64_t timestamp;   /* 48.16; 0 means send_time_now() */
	const uint8_t *nonce; /* NULL: no Nonce option */
	size_t nonce_len;     /* 6 + 8k */
};

/*
 * Append the SEND options that precede the signature, in the reference order (PROTOCOL.md
 * §10): CGA, Timestamp, Nonce.  The caller may append more options (e.g. Handover Key
 * Request/Reply) before send_sign_finish().  Errors are sticky in w->err.
 */
void send_put_opts(struct wire_buf *w, const struct send_creds *c, const struct send_sign_opts *o);

/*
 * Sign and finish a packet in w whose IPv6 header starts at ip6_off and ICMPv6 message at
 * icmp_off (the message runs to w->len): computes the A5 signed octets (wire_send_tbs),
 * RSASSA-PKCS1-v1_5/SHA-1, appends the RSA Signature option (last), sets Payload Length and
 * the final ICMPv6 checksum.  Returns SEND_R_OK or a reason.
 */
int send_sign_finish(struct wire_buf *w, const struct send_creds *c, size_t ip6_off,
		     size_t icmp_off);

/* RSASSA-PKCS1-v1_5 with SHA-1 over n segments; sig must hold c->sig_len octets. */
int send_sign_segs(const struct send_creds *c, const struct wire_seg *seg, unsigned n,
		   uint8_t *sig);

/* ------------------------------------------------------------------------------------------ */
/* Replay cache (RFC 3971 §5.3.4.2, PROTOCOL.md 2.4)                                           */
/* ------------------------------------------------------------------------------------------ */

/*
 * Per-peer RDlast/TSlast, bounded to cfg->cache_size peers.  An entry whose RDlast is more than
 * TIMESTAMP_DELTA old is stale (a replay of anything it protected would fail the new-peer
 * window anyway) and its slot is reused.  When full with live entries the cache keeps them and
 * refuses new peers (SEND_R_CACHE_FULL), except that a peer with a higher Sec replaces the
 * lowest-Sec entry (the least recently updated among those), as App. B suggests.
 */
struct send_replay;
struct send_replay *send_replay_new(const struct send_cfg *cfg);
void send_replay_free(struct send_replay *r);
/*
 * The §5.3.4.2 check for a message that passed the signature check: ts = TSnew from the
 * Timestamp option, now = RDnew (48.16, the injectable clock).  Accepting creates or updates
 * the peer's entry (updated only if TSnew > TSlast).
 */
int send_replay_check(struct send_replay *r, const uint8_t peer[16], unsigned sec, uint64_t ts,
		      uint64_t now);
/*
 * The verdict send_replay_check() would give for (peer, ts, now) on the cache as it is —
 * SEND_R_OK, SEND_R_TS_WINDOW or SEND_R_TS_REPLAY — without creating, updating or dropping any
 * entry (CACHE_FULL is not predicted: it depends on the verified Sec).  send_verify() runs it
 * before the CGA check and the signature, so that a stale or replayed message costs no RSA
 * work; the cache is still written only by send_replay_check() after the signature verified
 * (RFC 3971 §5.3.4.2).
 */
int send_replay_peek(const struct send_replay *r, const uint8_t peer[16], uint64_t ts,
		     uint64_t now);
size_t send_replay_count(const struct send_replay *r);

/* ------------------------------------------------------------------------------------------ */
/* Verification (RFC 3971 §5, A5-A7)                                                           */
/* ------------------------------------------------------------------------------------------ */

enum send_role {
	SEND_SOLICITATION = 0, /* RtSolPr (A7: like an RS): nonce mandatory */
	SEND_ADVERTISEMENT,    /* PrRtAdv (A7: like a solicited RA) */
};

struct send_verify_res;

struct send_verify_req {
	const uint8_t *src, *dst; /* IPv6 addresses (16 octets each) */
	uint8_t hop_limit;
	const uint8_t *icmp; /* ICMPv6 message */
	size_t icmp_len;
	size_t opts_off; /* 8 for RtSolPr/PrRtAdv/CPS, 12 for CPA */
	enum send_role role;
	const uint8_t *claimed; /* the address the CGA must be (NULL: src) */
	EVP_PKEY *certified;	/* advertisements: the router's certified key (NULL: CGA only) */
	const uint8_t *expect_nonce; /* advertisements: the nonce we sent (NULL: none) */
	size_t expect_nonce_len;
	struct send_replay *replay; /* NULL: no §5.3.4.2 check */
	bool no_cga_check;	    /* diagnostics only (fmipctl): take the key from the CGA option
				     * without verifying the address, to report the signature on its own */
	uint64_t now;		    /* RDnew for the replay check (48.16) */
	bool keep_key;		    /* keep the verified signer's key in res->key */
	/*
	 * Optional: the caller's own cheap refusal, run after the presence rules and the
	 * timestamp window, before any CGA or RSA work (lib/hk's exact-replay ring).  It sees
	 * res->nonce, res->has_timestamp, res->timestamp and res->opts; the message is not
	 * verified yet, so it must not change state.  Returns SEND_R_OK to go on, or the reason
	 * to refuse the message with.
	 */
	int (*precheck)(void *ctx, const struct send_verify_res *res);
	void *precheck_ctx;
};

/* send_verify_res.work: which costly steps a call ran (a refusal before them ran none). */
enum {
	SEND_WORK_CGA = 1, /* RFC 3972 §5 verification (SHA-1 over the parameters) */
	SEND_WORK_KEY = 2, /* public key parse */
	SEND_WORK_SIG = 4, /* RSA signature verification */
};

struct send_verify_res {
	int reason;
	int cga_err; /* enum cga_err when reason == SEND_R_CGA */
	unsigned sec;
	unsigned key_bits;
	uint8_t key_hash[16];
	bool has_timestamp;
	uint64_t timestamp;
	const uint8_t *nonce; /* into the message, NULL if none */
	size_t nonce_len;
	bool solicited; /* advertisement whose nonce matched expect_nonce */
	struct wire_send_opts opts;
	EVP_PKEY *key; /* the verified signer, if req->keep_key was set (caller frees) */
	unsigned work; /* SEND_WORK_* bits */
};

/*
 * Verify one SEND-protected message.  Order (cheap checks first, RFC 3971 §5.1.2, §5.2.2,
 * §5.3.4, A6, A7): Hop Limit; option walk (options after the first RSA Signature ignored);
 * presence rules; the timestamp window and replay formulas read-only (send_replay_peek) and
 * req->precheck; CGA (RFC 3972 §5) against claimed/src; key parse and size; Key Hash; the
 * certified key; signature over the A5 octets; nonce; then the replay cache is updated
 * (send_replay_check: only a message whose signature verified writes it).  A stale or
 * replayed message is refused with the same reason as after the signature (TS_WINDOW,
 * TS_REPLAY) but with res->work == 0.  res is output only (send_verify zeroes it first: it
 * need not be initialised).  Returns res->reason.
 */
int send_verify(const struct send_cfg *cfg, const struct send_verify_req *req,
		struct send_verify_res *res);

/* Convenience: fill a request from a decoded frame (wire_decode_frame). */
void send_verify_req_from_frame(struct send_verify_req *req, const struct wire_frame *f);

/* ------------------------------------------------------------------------------------------ */
/* Certification paths (RFC 3971 §6, RFC 3779)                                                  */
/* ------------------------------------------------------------------------------------------ */

struct send_prefix {
	uint8_t addr[16];
	uint8_t len;
};

/* Trust anchors: an X509_STORE plus the anchors' subject names (for Trust Anchor options). */
struct send_trust;
/* Load every certificate of a PEM file as a trust anchor. NULL on error. */
struct send_trust *send_trust_load(const char *pem_file, char *errbuf, size_t errlen);
struct send_trust *send_trust_new(void);
int send_trust_add(struct send_trust *t, X509 *anchor); /* takes a reference */
void send_trust_free(struct send_trust *t);
unsigned send_trust_count(const struct send_trust *t);
X509 *send_trust_get(const struct send_trust *t, unsigned i);
/* Verification time (0 = now), for tests. */
void send_trust_set_time(struct send_trust *t, time_t at);

/*
 * Verify leaf through chain (intermediates, any order; may be NULL) to an anchor of t:
 * X509_verify_cert with RFC 3779 path validation (each certificate's blocks inside its
 * issuer's), no MD5/SHA-1 signed certificates and RSA keys of at least 1024 bits (security
 * level 1), the leaf must carry RFC 3779 IPv6 blocks (RFC 3971 §6.3), and each served prefix
 * must lie inside the leaf's blocks.  Returns SEND_R_OK or a SEND_R_CERT_* reason.
 */
int send_path_verify(const struct send_trust *t, X509 *leaf, STACK_OF(X509) * chain,
		     const struct send_prefix *served, unsigned n_served);
/* The leaf's RFC 3779 IPv6 blocks cover every prefix in served (no path check). */
bool send_cert_covers(X509 *cert, const struct send_prefix *served, unsigned n_served);

/* CPS (host side, RFC 3971 §6.4.1): a whole IPv6 packet (no L2) naming every anchor of t. */
int send_cps_build(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16],
		   uint16_t identifier, uint16_t component, const struct send_trust *t);

enum { SEND_MAX_CPA_RATE = 10, SEND_MAX_PATH = 8 };

/* Router side: answers CPS with its path (§6.4.2, §6.4.5). */
struct send_cpa_server {
	const struct send_creds *creds; /* cert + chain; its anchor's name is matched */
	X509 *anchor;			/* the trust anchor the path leads to (not sent) */
	uint8_t src[16];		/* the router's link-local address */
	/* rate limit (injectable clock, 48.16): MAX_CPA_RATE advertisements per second */
	uint64_t win_start;
	unsigned win_count;
	uint64_t last_allnodes;
	bool sent_allnodes;
};

/* One answer: up to SEND_MAX_PATH packets, component N-1 first. */
struct send_cpa_out {
	unsigned n;
	uint8_t dst[16];
	uint16_t identifier;
	bool path_found;
	size_t len[SEND_MAX_PATH];
	uint8_t pkt[SEND_MAX_PATH][1500]; /* Ethernet MTU */
};

/*
 * Answer a CPS (src, icmp of a decoded CPS; NULL cps_src for an unsolicited advertisement to
 * all-nodes).  Destination and Identifier per §6.4.2/§6.4.5: unspecified source, unsolicited
 * or over MAX_CPA_RATE → all-nodes with Identifier 0; else the requester's solicited-node
 * address with its Identifier.  Trust Anchor options of the CPS that name the anchor are echoed
 * in the first component; without a matching anchor the answer has no certificates and
 * echoes the solicited anchors.  Returns SEND_R_OK, SEND_R_RATE_LIMITED (nothing to send) or
 * another reason.
 */
int send_cpa_answer(struct send_cpa_server *s, const uint8_t *cps_src, const uint8_t *icmp,
		    size_t icmp_len, uint64_t now, struct send_cpa_out *out);

/*
 * The same from a decoded frame (wire_decode_frame), with the IP-level validity checks of
 * §6.4.1/§6.4.5: Hop Limit 255 (else SEND_R_HOP_LIMIT) and a link-local or unspecified source
 * (else SEND_R_MALFORMED); f must be a CPS (WIRE_MSG_CPS, no decode error).
 */
int send_cpa_answer_frame(struct send_cpa_server *s, const struct wire_frame *f, uint64_t now,
			  struct send_cpa_out *out);

/* Host side: collects the components of one CPA answer and validates the path. */
struct send_cpa_client {
	const struct send_trust *trust;
	uint16_t identifier; /* of the outstanding CPS (0 accepts unsolicited all-nodes CPAs) */
	unsigned all;	     /* All Components of the answer being collected (0: none yet) */
	X509 *certs[SEND_MAX_PATH]; /* by Component */
	X509 *router;		    /* the validated router certificate (owned) */
	STACK_OF(X509) * path;	    /* its intermediates (owned) */
};
void send_cpa_client_init(struct send_cpa_client *c, const struct send_trust *t,
			  uint16_t identifier);
void send_cpa_client_reset(struct send_cpa_client *c);
/*
 * Process one CPA message (ICMPv6 octets, checksum already checked by lib/wire).  Returns
 * SEND_R_INCOMPLETE while components are missing, SEND_R_OK once the path validated (then
 * c->router holds the router certificate; served prefixes, if any, must be inside its
 * blocks), or the reason the message or path was refused.
 */
int send_cpa_process(struct send_cpa_client *c, const uint8_t *icmp, size_t icmp_len,
		     const struct send_prefix *served, unsigned n_served);

/*
 * The same from a decoded frame, with §6.4.2/§6.4.6 IP checks: Hop Limit 255 (else
 * SEND_R_HOP_LIMIT) and a link-local source (else SEND_R_MALFORMED); f must be a CPA.
 */
int send_cpa_process_frame(struct send_cpa_client *c, const struct wire_frame *f,
			   const struct send_prefix *served, unsigned n_served);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_SEND_H */
