/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire — every byte fmipgw reads from or writes to the network goes through here.
 *
 * Pure C11: no DPDK, no OpenSSL, no allocation.  Decoders take (pointer, length), check every
 * length field against what remains before reading, and return typed views that point into
 * the caller's buffer, or a specific error code.  Builders write through a bounded writer
 * (struct wire_buf) that refuses to overflow and computes lengths, padding and alignment.
 *
 * Conventions
 *   - Functions that can fail return enum wire_err (WIRE_OK == 0).
 *   - Iterators return 1 (an item was produced), 0 (end), or -(int)enum wire_err.
 *   - Multi-octet values in views are host order; addresses stay as pointers to 16 octets.
 *   - "offset" fields are relative to the start of the enclosing message (ICMPv6 header or
 *     Mobility Header) unless said otherwise.
 *
 * Decision ids (A1..A23) refer to shared/PROTOCOL.md, copied into docs/protocol-decisions.md.
 */
#ifndef FMIPGW_WIRE_H
#define FMIPGW_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* X-macro: name, text.  The order is the ABI of wire_strerror() and of fmipctl's output. */
#define WIRE_ERRORS(X)                                                                       \
	X(OK, "ok")                                                                          \
	X(TRUNCATED, "truncated")   /* fewer octets than a header/field needs */             \
	X(BAD_LENGTH, "bad length") /* a length field is 0, odd, or inconsistent */          \
	X(BAD_CHECKSUM, "bad checksum")                                                      \
	X(BAD_ALIGNMENT, "bad alignment")   /* an option off its natural boundary */         \
	X(UNKNOWN_TYPE, "unknown type")	    /* a type/subtype this decoder does not know */  \
	X(BAD_VALUE, "bad value")	    /* a field out of its range */                   \
	X(NOT_IPV6, "not ipv6")		    /* ethertype or IP version is not IPv6 */        \
	X(FRAGMENT, "fragment")		    /* non-first fragment: no upper layer to read */ \
	X(HDR_CHAIN, "bad extension chain") /* too long, or HBH not first */                 \
	X(MISSING, "missing option")	    /* a mandatory option is absent */               \
	X(OPT_ORDER, "option order")	    /* e.g. BADF not the last mobility option */     \
	X(DUPLICATE, "duplicate option")    /* an option allowed once appears again */       \
	X(NOSPACE, "no space")		    /* a builder ran out of room */

enum wire_err {
#define WIRE_ERR_ENUM(n, s) WIRE_E_##n,
	WIRE_ERRORS(WIRE_ERR_ENUM)
#undef WIRE_ERR_ENUM
	    WIRE_E__COUNT
};
#define WIRE_OK WIRE_E_OK

/* Short, stable, lower-case text ("truncated", "bad checksum", ...). Never NULL. */
const char *wire_strerror(int err);

/* ------------------------------------------------------------------------------------------ */
/* Read cursor (after OpenSSH sshbuf)                                                          */
/* ------------------------------------------------------------------------------------------ */

struct wire_cur {
	const uint8_t *p; /* next octet to read */
	size_t len;	  /* octets remaining */
};

static inline struct wire_cur wire_cur_make(const void *p, size_t len)
{
	struct wire_cur c = { (const uint8_t *)p, len };
	return c;
}

static inline int wire_need(const struct wire_cur *c, size_t n)
{
	return c->len >= n ? WIRE_OK : WIRE_E_TRUNCATED;
}

static inline int wire_skip(struct wire_cur *c, size_t n)
{
	if (c->len < n)
		return WIRE_E_TRUNCATED;
	c->p += n;
	c->len -= n;
	return WIRE_OK;
}

static inline int wire_get_u8(struct wire_cur *c, uint8_t *v)
{
	if (c->len < 1)
		return WIRE_E_TRUNCATED;
	*v = c->p[0];
	c->p++;
	c->len--;
	return WIRE_OK;
}

static inline int wire_get_be16(struct wire_cur *c, uint16_t *v)
{
	if (c->len < 2)
		return WIRE_E_TRUNCATED;
	*v = (uint16_t)((c->p[0] << 8) | c->p[1]);
	c->p += 2;
	c->len -= 2;
	return WIRE_OK;
}

static inline int wire_get_be32(struct wire_cur *c, uint32_t *v)
{
	if (c->len < 4)
		return WIRE_E_TRUNCATED;
	*v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) | ((uint32_t)c->p[2] << 8) |
	     c->p[3];
	c->p += 4;
	c->len -= 4;
	return WIRE_OK;
}

static inline int wire_get_be64(struct wire_cur *c, uint64_t *v)
{
	uint32_t hi, lo;
	int e;
	if (c->len < 8)
		return WIRE_E_TRUNCATED;
	if ((e = wire_get_be32(c, &hi)) != WIRE_OK || (e = wire_get_be32(c, &lo)) != WIRE_OK)
		return e;
	*v = ((uint64_t)hi << 32) | lo;
	return WIRE_OK;
}

/* Copy n octets out. */
static inline int wire_get_bytes(struct wire_cur *c, void *dst, size_t n)
{
	if (c->len < n)
		return WIRE_E_TRUNCATED;
	memcpy(dst, c->p, n);
	c->p += n;
	c->len -= n;
	return WIRE_OK;
}

/* A view of the next n octets (no copy); the cursor moves past them. */
static inline int wire_get_view(struct wire_cur *c, size_t n, const uint8_t **view)
{
	if (c->len < n)
		return WIRE_E_TRUNCATED;
	*view = c->p;
	c->p += n;
	c->len -= n;
	return WIRE_OK;
}

/* Split off a sub-cursor of n octets (for a TLV body); the parent moves past them. */
static inline int wire_get_sub(struct wire_cur *c, size_t n, struct wire_cur *sub)
{
	if (c->len < n)
		return WIRE_E_TRUNCATED;
	sub->p = c->p;
	sub->len = n;
	c->p += n;
	c->len -= n;
	return WIRE_OK;
}

/* Big-endian loads from a pointer the caller has already bounds-checked through a view. */
static inline uint16_t wire_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}
static inline uint32_t wire_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* ------------------------------------------------------------------------------------------ */
/* Bounded writer                                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * Writes never go past cap.  The first write that does not fit sets err = WIRE_E_NOSPACE and
 * every later write is ignored (sticky), so builders can chain puts and check once.  The
 * *_finish() functions also return errors of their own (a length too big for its field):
 * check what they return.
 */
struct wire_buf {
	uint8_t *p;
	size_t cap;
	size_t len;
	int err;
};

static inline struct wire_buf wire_buf_make(void *p, size_t cap)
{
	struct wire_buf w = { (uint8_t *)p, cap, 0, WIRE_OK };
	return w;
}

/* Reserve n octets; returns a pointer to them, or NULL (and sets err) if they do not fit. */
uint8_t *wire_put_reserve(struct wire_buf *w, size_t n);
void wire_put_u8(struct wire_buf *w, uint8_t v);
void wire_put_be16(struct wire_buf *w, uint16_t v);
void wire_put_be32(struct wire_buf *w, uint32_t v);
void wire_put_be64(struct wire_buf *w, uint64_t v);
void wire_put_bytes(struct wire_buf *w, const void *src, size_t n);
void wire_put_zero(struct wire_buf *w, size_t n);
/* Overwrite a big-endian 16-bit value already written at offset off (len unchanged). */
void wire_poke_be16(struct wire_buf *w, size_t off, uint16_t v);

/* ------------------------------------------------------------------------------------------ */
/* Scatter segments (MAC inputs, signed data) and checksums                                    */
/* ------------------------------------------------------------------------------------------ */

struct wire_seg {
	const uint8_t *p;
	uint32_t len;
};

/* Copy segments into dst (cap octets); returns the total, or 0 if it does not fit. */
size_t wire_segs_copy(const struct wire_seg *seg, unsigned n, uint8_t *dst, size_t cap);

/* 32-bit one's-complement accumulator (RFC 1071): sum over data, continued from sum. */
uint32_t wire_csum_add(uint32_t sum, const uint8_t *data, size_t len);
/* Fold and complement; returns the value to put in a checksum field (host order). */
uint16_t wire_csum_fold(uint32_t sum);
/* Sum of the IPv6 pseudo-header (RFC 8200 §8.1): src, dst, upper-layer length, next header. */
uint32_t wire_csum_pseudo(const uint8_t src[16], const uint8_t dst[16], uint32_t ulen, uint8_t nh);
/*
 * Checksum of an upper-layer message whose checksum field is at csum_off: computed as if
 * that field were zero.  Returns the value to store (host order).
 */
uint16_t wire_l4_csum(const uint8_t src[16], const uint8_t dst[16], uint8_t nh, const uint8_t *msg,
		      size_t len, size_t csum_off);

/* ------------------------------------------------------------------------------------------ */
/* Constants                                                                                   */
/* ------------------------------------------------------------------------------------------ */

enum {
	WIRE_ETH_P_IPV6 = 0x86dd,
	WIRE_ETH_P_8021Q = 0x8100,
	WIRE_ETH_HLEN = 14,	 /* Ethernet header */
	WIRE_ETH_HLEN_VLAN = 18, /* with one 802.1Q tag */

	WIRE_NH_HOPOPT = 0,
	WIRE_NH_IPV6 = 41, /* IPv6-in-IPv6 (RFC 2473) */
	WIRE_NH_ROUTING = 43,
	WIRE_NH_FRAGMENT = 44,
	WIRE_NH_ESP = 50,
	WIRE_NH_AH = 51,
	WIRE_NH_ICMPV6 = 58,
	WIRE_NH_NONE = 59,
	WIRE_NH_DSTOPTS = 60,
	WIRE_NH_MH = 135, /* A16: also the pseudo-header value for the MH checksum */

	WIRE_IPV6_HLEN = 40,
	WIRE_IPV6_MAX_EXT = 8, /* extension headers walked before giving up (HDR_CHAIN) */

	WIRE_DSTOPT_PAD1 = 0,
	WIRE_DSTOPT_PADN = 1,
	WIRE_DSTOPT_HAO = 201, /* 0xC9, RFC 3775 §6.3, alignment 8n+6 */

	/* ICMPv6 */
	WIRE_ICMP6_RS = 133,
	WIRE_ICMP6_RA = 134,
	WIRE_ICMP6_NS = 135,
	WIRE_ICMP6_NA = 136,
	WIRE_ICMP6_REDIRECT = 137,
	WIRE_ICMP6_CPS = 148,
	WIRE_ICMP6_CPA = 149,
	WIRE_ICMP6_EXP_MOBILITY = 150,
	WIRE_ICMP6_FMIP = 154,
	WIRE_FMIP_RTSOLPR = 2,
	WIRE_FMIP_PRRTADV = 3,

	/* ND options */
	WIRE_ND_SLLA = 1,
	WIRE_ND_TLLA = 2,
	WIRE_ND_PREFIX = 3,
	WIRE_ND_CGA = 11,
	WIRE_ND_RSA_SIG = 12,
	WIRE_ND_TIMESTAMP = 13,
	WIRE_ND_NONCE = 14,
	WIRE_ND_TRUST_ANCHOR = 15,
	WIRE_ND_CERTIFICATE = 16,
	WIRE_ND_IPADDR = 17,
	WIRE_ND_FMIP_LLA = 19,
	WIRE_ND_NAACK = 20,
	WIRE_ND_HK_REQUEST = 27,
	WIRE_ND_HK_REPLY = 28,

	/* Option-Codes of the FMIPv6 LLA option (19) and IP Address/Prefix option (17) */
	WIRE_LLA_WILDCARD = 0,
	WIRE_LLA_NEW_AP = 1,
	WIRE_LLA_MN = 2,
	WIRE_LLA_NAR = 3,
	WIRE_LLA_SOURCE = 4,
	WIRE_LLA_AP_CURRENT_IF = 5,
	WIRE_LLA_NO_PREFIX = 6,
	WIRE_LLA_NO_FMIP = 7,
	WIRE_IPA_OLD_COA = 1,
	WIRE_IPA_NEW_COA = 2,
	WIRE_IPA_NAR_ADDR = 3,
	WIRE_IPA_NAR_PREFIX = 4,

	/* Mobility Header */
	WIRE_MH_BU = 5,
	WIRE_MH_BA = 6,
	WIRE_MH_FBU = 8,
	WIRE_MH_FBACK = 9,
	WIRE_MH_HI = 14,
	WIRE_MH_HACK = 15,
	WIRE_MHOPT_PAD1 = 0,
	WIRE_MHOPT_PADN = 1,
	WIRE_MHOPT_ALTCOA = 3,	/* alignment 8n+6 */
	WIRE_MHOPT_MH_LLA = 7,	/* no alignment */
	WIRE_MHOPT_BADF = 21,	/* last option (A20 for placement) */
	WIRE_MHOPT_IPADDR = 34, /* A17; alignment 8n+4 */

	WIRE_FBU_FLAG_A = 0x80,
	WIRE_FBU_FLAG_H = 0x40,
	WIRE_FBU_FLAG_L = 0x20,
	WIRE_FBU_FLAG_K = 0x10,
	WIRE_HI_FLAG_S = 0x80,
	WIRE_HI_FLAG_U = 0x40,

	WIRE_BADF_MAX_AUTH = 32, /* longest authenticator accepted (HMAC-SHA256 untruncated) */
};

/* The 16-octet CGA Message Type tag of SEND (RFC 3971 §5.2). */
extern const uint8_t wire_send_cga_tag[16];

/* ------------------------------------------------------------------------------------------ */
/* Layer 2 and IPv6                                                                            */
/* ------------------------------------------------------------------------------------------ */

enum wire_link {
	WIRE_LINK_ETH = 0, /* Ethernet II, at most one 802.1Q tag */
	WIRE_LINK_RAW6,	   /* the buffer starts with the IPv6 header */
};

struct wire_eth {
	const uint8_t *dst, *src; /* 6 octets each */
	bool has_vlan;
	uint16_t vlan_tci;
	uint16_t ethertype; /* after the tag */
	size_t hdr_len;	    /* 14 or 18 */
};

int wire_eth_decode(const uint8_t *p, size_t len, struct wire_eth *eth);

struct wire_ip6 {
	const uint8_t *hdr; /* the IPv6 header */
	size_t len;	    /* 40 + Payload Length (octets after it in the frame are trailer) */
	const uint8_t *src, *dst;
	uint8_t tclass, hlim;
	uint32_t flow;

	/* extension headers found (pointers into the packet; NULL when absent) */
	const uint8_t *hbh;	/* Hop-by-Hop header */
	const uint8_t *dstopt;	/* the Destination Options header before the upper layer */
	const uint8_t *routing; /* Routing header */
	uint8_t rt_type, rt_segleft;
	const uint8_t *hao;	 /* Home Address (16 octets) from the Destination Options */
	const uint8_t *rt2_addr; /* type-2 Routing header home address, if any */
	const uint8_t *frag;	 /* Fragment header */
	uint16_t frag_off;	 /* in octets */
	bool frag_more;
	uint32_t frag_id;
	unsigned n_ext;

	/* upper layer: valid unless the packet is a non-first fragment */
	uint8_t proto;	   /* next header after the chain (58, 135, 41, 59, 6, 17, ...) */
	size_t l4_off;	   /* offset of the upper-layer header from hdr */
	const uint8_t *l4; /* == hdr + l4_off */
	size_t l4_len;	   /* len - l4_off */
};

/*
 * Decode the IPv6 header and walk the extension chain (HBH, Routing, Fragment, Destination
 * Options).  Payload Length must fit in len (trailing octets are ignored).  A Fragment header
 * is reported; for a non-first fragment the result is WIRE_E_FRAGMENT with the view filled up
 * to the Fragment header.  The HAO must sit at 8n+6 and have length 16.
 */
int wire_ip6_decode(const uint8_t *p, size_t len, struct wire_ip6 *ip);

/*
 * The destination an upper-layer checksum uses (RFC 8200 §8.1, RFC 3775 §6.1.1): the final
 * destination, i.e. the type-2 Routing header's home address while it is still to be visited.
 */
static inline const uint8_t *wire_ip6_final_dst(const struct wire_ip6 *ip)
{
	return ip->rt2_addr && ip->rt_segleft == 1 ? ip->rt2_addr : ip->dst;
}

/* ------------------------------------------------------------------------------------------ */
/* ICMPv6 and ND options                                                                       */
/* ------------------------------------------------------------------------------------------ */

struct wire_icmp6 {
	const uint8_t *p; /* ICMPv6 header */
	size_t len;
	uint8_t type, code;
	uint16_t csum;
};

/* Decode the ICMPv6 header of ip's upper layer and verify the RFC 4443 checksum. */
int wire_icmp6_decode(const struct wire_ip6 *ip, struct wire_icmp6 *icmp);

/* A raw ND option: type, Length in 8-octet units, and its octets (header included). */
struct wire_ndopt {
	uint8_t type;
	uint8_t len8;
	const uint8_t *p; /* option start (the Type octet) */
	size_t len;	  /* 8 * len8 */
	size_t off;	  /* offset of the option from the start of the ICMPv6 message */
};

struct wire_ndopt_iter {
	struct wire_cur c;
	const uint8_t *msg; /* start of the ICMPv6 message, for offsets */
};

/* Options of an ICMPv6 message start at opts_off (8 for RtSolPr/PrRtAdv/CPS, 12 for CPA). */
int wire_ndopt_iter_init(struct wire_ndopt_iter *it, const struct wire_icmp6 *icmp,
			 size_t opts_off);
/* 1: *opt filled; 0: end; -WIRE_E_BAD_LENGTH (Length 0) or -WIRE_E_TRUNCATED (runs past). */
int wire_ndopt_next(struct wire_ndopt_iter *it, struct wire_ndopt *opt);

/* Typed views of the options. Each checks the option's type and every inner length. */
struct wire_opt_ll { /* 1 SLLA / 2 TLLA (RFC 4861) */
	const uint8_t *addr;
	size_t addr_len; /* 8*len8 - 2 (padding included; Ethernet uses the first 6) */
};
struct wire_opt_prefix { /* 3 (RFC 4861 §4.6.2) */
	uint8_t prefix_len;
	uint8_t flags; /* L=0x80, A=0x40 */
	uint32_t valid, preferred;
	const uint8_t *prefix;
};
struct wire_opt_cga { /* 11 (RFC 3971 §5.1) */
	uint8_t pad_len;
	const uint8_t *params;
	size_t params_len;
};
struct wire_opt_rsasig {	 /* 12 (RFC 3971 §5.2); sig_len comes from the key (A5) */
	const uint8_t *key_hash; /* 16 octets */
	const uint8_t *sig;	 /* signature followed by padding */
	size_t sig_room;	 /* octets from sig to the end of the option */
};
struct wire_opt_timestamp { /* 13: 48.16 fixed point seconds since 1970 */
	uint64_t ts;
};
struct wire_opt_nonce { /* 14 */
	const uint8_t *nonce;
	size_t nonce_len; /* >= 6 */
};
struct wire_opt_trust_anchor { /* 15 */
	uint8_t name_type;
	uint8_t pad_len;
	const uint8_t *name;
	size_t name_len;
};
struct wire_opt_cert { /* 16 */
	uint8_t cert_type;
	const uint8_t *cert;
	size_t cert_len; /* from the DER header when it parses, else the rest of the option */
};
struct wire_opt_ipaddr { /* 17 (RFC 5568 §6.4.1) */
	uint8_t code;
	uint8_t prefix_len;
	const uint8_t *addr;
};
struct wire_opt_lla { /* 19 (RFC 5568 §6.4.3) */
	uint8_t code;
	const uint8_t *lla;
	size_t lla_len; /* 8*len8 - 3 (padding included; Ethernet uses the first 6) */
};
struct wire_opt_naack { /* 20 (RFC 5568 §6.4.6; A22) */
	uint8_t code, status;
	const uint8_t *ncoa; /* NULL when Length is 1 */
};
struct wire_opt_hkreq { /* 27 (RFC 5269 §4.1) */
	uint8_t pad_len;
	uint8_t at;	    /* high nibble of octet 3 */
	const uint8_t *key; /* DER SubjectPublicKeyInfo */
	size_t key_len;
};
struct wire_opt_hkrep { /* 28 (RFC 5269 §4.2; A11: ciphertext at offset 6) */
	uint8_t pad_len;
	uint8_t at;
	uint16_t lifetime;
	const uint8_t *enc;
	size_t enc_len;
};

int wire_opt_ll_decode(const struct wire_ndopt *o, struct wire_opt_ll *v);
int wire_opt_prefix_decode(const struct wire_ndopt *o, struct wire_opt_prefix *v);
int wire_opt_cga_decode(const struct wire_ndopt *o, struct wire_opt_cga *v);
int wire_opt_rsasig_decode(const struct wire_ndopt *o, struct wire_opt_rsasig *v);
int wire_opt_timestamp_decode(const struct wire_ndopt *o, struct wire_opt_timestamp *v);
int wire_opt_nonce_decode(const struct wire_ndopt *o, struct wire_opt_nonce *v);
int wire_opt_trust_anchor_decode(const struct wire_ndopt *o, struct wire_opt_trust_anchor *v);
int wire_opt_cert_decode(const struct wire_ndopt *o, struct wire_opt_cert *v);
int wire_opt_ipaddr_decode(const struct wire_ndopt *o, struct wire_opt_ipaddr *v);
int wire_opt_lla_decode(const struct wire_ndopt *o, struct wire_opt_lla *v);
int wire_opt_naack_decode(const struct wire_ndopt *o, struct wire_opt_naack *v);
int wire_opt_hkreq_decode(const struct wire_ndopt *o, struct wire_opt_hkreq *v);
int wire_opt_hkrep_decode(const struct wire_ndopt *o, struct wire_opt_hkrep *v);

/*
 * Length of a DER element (tag, length, content) at the start of p: the SubjectPublicKeyInfo
 * in CGA Parameters and HK Request, certificates.  Only the outer header is read; definite
 * lengths only, at most 4 length octets.  *total = header + content; must fit in len.
 */
int wire_der_len(const uint8_t *p, size_t len, size_t *total);

/* CGA Parameters (RFC 3972 §3; PROTOCOL.md 3.2). */
struct wire_cga_params {
	const uint8_t *modifier; /* 16 */
	const uint8_t *prefix;	 /* 8 */
	uint8_t collision_count;
	const uint8_t *pubkey; /* DER SubjectPublicKeyInfo */
	size_t pubkey_len;
	const uint8_t *ext; /* extension fields (TLVs, RFC 4581), possibly empty */
	size_t ext_len;
	const uint8_t *all; /* the whole structure, for Hash1 */
	size_t all_len;
};
/* Extensions must be whole TLVs (type 16, length 16, data). */
int wire_cga_params_decode(const uint8_t *p, size_t len, struct wire_cga_params *v);

/* ------------------------------------------------------------------------------------------ */
/* FMIPv6 ICMPv6 messages and SEND certification path messages                                */
/* ------------------------------------------------------------------------------------------ */

struct wire_fmip {    /* RtSolPr (subtype 2) / PrRtAdv (subtype 3), RFC 5568 §6.1 */
	uint8_t type; /* 154 (RFC 4068's type 150 is classified as other ICMPv6) */
	uint8_t code;
	uint8_t subtype;
	uint16_t identifier;
	size_t opts_off; /* 8 */
};
int wire_fmip_decode(const struct wire_icmp6 *icmp, struct wire_fmip *m);

struct wire_cps { /* RFC 3971 §6.4.1 */
	uint16_t identifier;
	uint16_t component;
	size_t opts_off; /* 8 */
};
struct wire_cpa { /* RFC 3971 §6.4.2 */
	uint16_t identifier;
	uint16_t all_components;
	uint16_t component;
	size_t opts_off; /* 12 */
};
int wire_cps_decode(const struct wire_icmp6 *icmp, struct wire_cps *m);
int wire_cpa_decode(const struct wire_icmp6 *icmp, struct wire_cpa *m);

/*
 * The SEND-protected options of one message, collected by one walk (RFC 3971 §5.2.2: options
 * after the first RSA Signature option are ignored and not even walked).  Each pointer is the
 * first occurrence, NULL if absent.  Duplicate CGA/Timestamp/Nonce/HK options are an error.
 */
struct wire_send_opts {
	struct wire_ndopt cga, rsasig, timestamp, nonce, hkreq, hkrep;
	bool has_cga, has_rsasig, has_timestamp, has_nonce, has_hkreq, has_hkrep;
	size_t sig_off;	 /* offset of the RSA Signature option; == icmp len when absent */
	unsigned n_opts; /* options walked */
};
int wire_send_opts_collect(const struct wire_icmp6 *icmp, size_t opts_off,
			   struct wire_send_opts *s);

/*
 * The octets RFC 3971 §5.2 signs, with decision A5: CGA tag ‖ src ‖ dst ‖ Type, Code and the
 * checksum computed over the message cut at sig_off (pseudo-header length = sig_off) ‖ the
 * message from octet 4 up to sig_off.  Two segments, no copy of the message: head (52 octets,
 * stored in the struct) and the message tail.
 */
struct wire_send_tbs {
	uint8_t head[52];
	struct wire_seg seg[2];
	uint16_t csum; /* the checksum placed in head */
};
int wire_send_tbs(const uint8_t src[16], const uint8_t dst[16], const uint8_t *icmp, size_t sig_off,
		  struct wire_send_tbs *tbs);

/* ------------------------------------------------------------------------------------------ */
/* Mobility Header                                                                             */
/* ------------------------------------------------------------------------------------------ */

struct wire_mhopt {
	uint8_t type;
	uint16_t len;	  /* octets after Type and Length as consumed (0 for Pad1; for a BADF in
			   * the A3 short form, Length + 4) */
	const uint8_t *p; /* option start */
	size_t off;	  /* offset from the start of the MH */
};

struct wire_badf { /* mobility option 21, RFC 5568 §6.4.5; A3 */
	bool present;
	uint32_t spi;
	const uint8_t *auth;
	uint8_t auth_len;
	size_t off;	 /* offset of the option in the MH */
	size_t auth_off; /* offset of the authenticator in the MH */
};

struct wire_mh {
	const uint8_t *p; /* MH start */
	size_t len;	  /* 8 * (Header Len + 1) */
	uint8_t proto, type;
	uint16_t csum;
	size_t opts_off; /* offset of the first option for known types */

	union {
		struct {
			uint16_t seq;
			uint8_t flags; /* A H L K */
			uint16_t lifetime;
		} fbu;
		struct {
			uint8_t status;
			uint8_t flags; /* K=0x80 */
			uint16_t seq;
			uint16_t lifetime;
		} fback;
		struct {
			uint16_t seq;
			uint8_t flags; /* S U (P F) */
			uint8_t code;
		} hi;
		struct {
			uint16_t seq;
			uint8_t code;
		} hack;
	} u;

	/* options (first occurrence; NULL/absent otherwise) */
	const uint8_t *altcoa; /* 16 octets */
	const uint8_t *mh_lla; /* MH-LLA option: code at [2], address after */
	uint8_t mh_lla_code;
	size_t mh_lla_len;	  /* address length */
	const uint8_t *ipaddr[5]; /* MH IPv6 Address/Prefix by Option-Code 1..4 (address) */
	uint8_t ipaddr_plen[5];
	struct wire_badf badf;
};

struct wire_mhopt_iter {
	struct wire_cur c;
	const uint8_t *mh;
};
int wire_mhopt_iter_init(struct wire_mhopt_iter *it, const struct wire_mh *mh);
/* 1: *opt filled (Pad1/PadN included); 0: end; -err. */
int wire_mhopt_next(struct wire_mhopt_iter *it, struct wire_mhopt *opt);

/*
 * Decode the Mobility Header at ip's upper layer: header, checksum (A16: pseudo-header next
 * header 135; the HAO address, when present, is the pseudo-source), the message body for
 * FBU/FBack/HI/HAck (other types: header only, WIRE_OK, opts_off 0), and the options with
 * their alignment rules.  For FBU and FBack the BADF must be present, be last (A3 length forms)
 * and its authenticator length 1..WIRE_BADF_MAX_AUTH.
 */
int wire_mh_decode(const struct wire_ip6 *ip, struct wire_mh *mh);

/*
 * The BADF MAC input (PROTOCOL.md 1.9, A2, A12): NCoA ‖ PAR ‖ the MH from its first octet with
 * the checksum zeroed and only the authenticator removed.  For an FBU, NCoA = Alt-CoA if
 * present else the IPv6 source and PAR = the IPv6 destination; for an FBack, NCoA = the IPv6
 * destination and PAR = the source.  No copy: up to six segments.
 */
#define WIRE_MAC_SEGS 6
struct wire_mac_input {
	struct wire_seg seg[WIRE_MAC_SEGS];
	unsigned n;
	uint32_t total;
	const uint8_t *coa, *par;
	const uint8_t *auth;
	uint8_t auth_len;
};
int wire_mac_input(const struct wire_ip6 *ip, const struct wire_mh *mh, struct wire_mac_input *in);

/* RFC 3775 9.5.1: Sequence # seq is newer than last (mod 2^16).  The one comparison of the
 * FBU replay rule (A14), used by the gateway's fast path and lib/hk. */
static inline bool wire_mh_seq_newer(uint16_t last, uint16_t seq)
{
	uint16_t d = (uint16_t)(seq - last);

	return d != 0 && d < 0x8000u;
}

/* ------------------------------------------------------------------------------------------ */
/* Classification: one call per frame for the fast path and for fmipctl                         */
/* ------------------------------------------------------------------------------------------ */

#define WIRE_MSG_CLASSES(X)                                   \
	X(OTHER, "other")                                     \
	X(RTSOLPR, "rtsolpr")                                 \
	X(PRRTADV, "prrtadv")                                 \
	X(CPS, "cps")                                         \
	X(CPA, "cpa")                                         \
	X(ND, "nd")	  /* RS/RA/NS/NA/Redirect */          \
	X(ICMP6, "icmp6") /* any other ICMPv6 */              \
	X(FBU, "fbu")                                         \
	X(FBACK, "fback")                                     \
	X(HI, "hi")                                           \
	X(HACK, "hack")                                       \
	X(MH, "mh")	    /* other Mobility Header types */ \
	X(TUNNEL, "tunnel") /* IPv6-in-IPv6 */                \
	X(FRAGMENT, "fragment")                               \
	X(NOT_IPV6, "not-ipv6")

enum wire_msg {
#define WIRE_MSG_ENUM(n, s) WIRE_MSG_##n,
	WIRE_MSG_CLASSES(WIRE_MSG_ENUM)
#undef WIRE_MSG_ENUM
	    WIRE_MSG__COUNT
};
const char *wire_msg_name(enum wire_msg m);

/* Everything one frame decodes to. */
struct wire_frame {
	enum wire_msg msg;
	int err;	     /* WIRE_OK, or why the frame was rejected */
	struct wire_eth eth; /* when link == WIRE_LINK_ETH */
	struct wire_ip6 ip;
	struct wire_icmp6 icmp; /* ICMPv6 classes */
	union {
		struct wire_fmip fmip;
		struct wire_cps cps;
		struct wire_cpa cpa;
	} nd;
	struct wire_mh mh; /* MH classes */
};

/*
 * Classify and fully decode one frame: L2, IPv6 and extensions, then the upper layer for the
 * classes above (checksums verified).  msg is set as far as decoding got (e.g. an FBU with a
 * bad checksum is msg FBU, err BAD_CHECKSUM).  Returns err.
 */
int wire_decode_frame(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f);

/*
 * The plain-IPv6 fast shape (issue 11), with fixed-offset loads after explicit length checks:
 * [Ethernet, at most one 802.1Q tag,] IPv6 straight to an upper layer wire_decode_frame()
 * decodes no further (not an extension header, ICMPv6 or MH; No Next Header included), its
 * Payload Length inside len.  true: f->msg OTHER (TUNNEL for Next Header 41, IPv6-in-IPv6,
 * whose inner packet is not decoded either), f->err WIRE_OK and every
 * member of f->eth and f->ip written (eth's zero/NULL for WIRE_LINK_RAW6, no extension views)
 * with the values wire_decode_frame() gives the frame; nothing else is written — not f->icmp,
 * f->nd, f->mh (a plain frame has none: a caller that reads them must decode in full), not
 * the structs' padding (no memset: the fast path's point).  false: not that shape, f
 * untouched.  wire_decode_frame() clears f and tries it first (tests/wire test_wire_plain;
 * the differential fuzz target tests/fuzz/fuzz_plain_diff.c).
 */
bool wire_plain_decode(const uint8_t *p, size_t len, enum wire_link link, struct wire_frame *f);

/* ------------------------------------------------------------------------------------------ */
/* Builders                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Ethernet header; vlan_tci < 0 means untagged. */
void wire_build_eth(struct wire_buf *w, const uint8_t dst[6], const uint8_t src[6], int vlan_tci,
		    uint16_t ethertype);

/* IPv6 header with Payload Length 0: wire_ip6_finish() fills it in. Returns the header offset. */
size_t wire_build_ip6(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16], uint8_t nh,
		      uint8_t hlim);
/* Set Payload Length from w->len; WIRE_E_BAD_LENGTH if over 65535. */
int wire_ip6_finish(struct wire_buf *w, size_t ip6_off);

/* Destination Options header carrying a Home Address option at 8n+6 (24 octets). */
void wire_build_dstopt_hao(struct wire_buf *w, uint8_t nh, const uint8_t hoa[16]);

/* ICMPv6: header with checksum 0; options follow; wire_icmp6_finish() sets the checksum. */
size_t wire_build_fmip(struct wire_buf *w, uint8_t subtype, uint8_t code, uint16_t identifier);
size_t wire_build_cps(struct wire_buf *w, uint16_t identifier, uint16_t component);
size_t wire_build_cpa(struct wire_buf *w, uint16_t identifier, uint16_t all_components,
		      uint16_t component);
/* Checksum of the ICMPv6 message from icmp_off to w->len (src/dst from the IPv6 header). */
int wire_icmp6_finish(struct wire_buf *w, size_t ip6_off, size_t icmp_off);

/*
 * ND options.  Each writes Type, Length (8-octet units) and zero padding to a multiple of 8.
 * Variable parts longer than an option can hold (2040 octets) set WIRE_E_NOSPACE.
 */
void wire_put_opt_ll(struct wire_buf *w, uint8_t type, const uint8_t *addr, size_t addr_len);
void wire_put_opt_prefix(struct wire_buf *w, const struct wire_opt_prefix *v);
void wire_put_opt_cga(struct wire_buf *w, const uint8_t *params, size_t params_len);
/* RSA Signature with sig_len octets of signature; padding to 8. */
void wire_put_opt_rsasig(struct wire_buf *w, const uint8_t key_hash[16], const uint8_t *sig,
			 size_t sig_len);
void wire_put_opt_timestamp(struct wire_buf *w, uint64_t ts);
/* nonce_len must be 6 + 8k. */
void wire_put_opt_nonce(struct wire_buf *w, const uint8_t *nonce, size_t nonce_len);
void wire_put_opt_trust_anchor(struct wire_buf *w, uint8_t name_type, const uint8_t *name,
			       size_t name_len);
void wire_put_opt_cert(struct wire_buf *w, uint8_t cert_type, const uint8_t *cert, size_t cert_len);
void wire_put_opt_ipaddr(struct wire_buf *w, uint8_t code, uint8_t prefix_len,
			 const uint8_t addr[16]);
void wire_put_opt_lla(struct wire_buf *w, uint8_t code, const uint8_t *lla, size_t lla_len);
void wire_put_opt_naack(struct wire_buf *w, uint8_t code, uint8_t status,
			const uint8_t *ncoa /* NULL: Length 1 */);
void wire_put_opt_hkreq(struct wire_buf *w, uint8_t at, const uint8_t *key, size_t key_len);
void wire_put_opt_hkrep(struct wire_buf *w, uint8_t at, uint16_t lifetime, const uint8_t *enc,
			size_t enc_len);

/*
 * Mobility Header.  wire_build_mh() writes the 6-octet header (Payload Proto 59, checksum 0)
 * and returns its offset; the message body and options follow; wire_mh_align() inserts
 * Pad1/PadN so that the next option starts at 8n+k from the MH start; wire_mh_finish() pads
 * to a multiple of 8 and sets Header Len; wire_mh_csum_finish() sets the checksum (A16).
 */
size_t wire_build_mh(struct wire_buf *w, uint8_t type);
void wire_mh_align(struct wire_buf *w, size_t mh_off, unsigned n, unsigned k);
int wire_mh_finish(struct wire_buf *w, size_t mh_off);
/* pseudo_src: the HAO address if the packet carries one, else the IPv6 source. */
int wire_mh_csum_finish(struct wire_buf *w, size_t mh_off, const uint8_t pseudo_src[16],
			const uint8_t dst[16]);

void wire_put_mhopt_altcoa(struct wire_buf *w, size_t mh_off, const uint8_t coa[16]);
void wire_put_mhopt_lla(struct wire_buf *w, uint8_t code, const uint8_t *lla, size_t lla_len);
void wire_put_mhopt_ipaddr(struct wire_buf *w, size_t mh_off, uint8_t code, uint8_t prefix_len,
			   const uint8_t addr[16]);
/*
 * BADF placed as A20 says (so that the MH ends right after the authenticator), with Option
 * Length = 4 + auth_len (A3).  The authenticator octets are zero; *auth_off receives their
 * offset from mh_off, for the MAC to be written there.  Must be the last option.
 */
void wire_put_mhopt_badf(struct wire_buf *w, size_t mh_off, uint32_t spi, uint8_t auth_len,
			 size_t *auth_off);

/* Whole-packet builders for the messages fmipgw and the simulator send. */
struct wire_fbu_spec {
	const uint8_t *src, *dst; /* IPv6 source (PCoA or NCoA) and the PAR address */
	const uint8_t *hoa;	  /* PCoA for the Home Address option (NULL: none) */
	const uint8_t *altcoa;	  /* NCoA when sent from the PAR's link (NULL: none) */
	const uint8_t *mh_lla;	  /* optional MH-LLA of the MN (6 octets), code 2 */
	uint16_t seq;
	uint8_t flags; /* A|H by default when 0 */
	uint16_t lifetime;
	uint8_t auth_len; /* 12 for AT 0, 16 for AT 1 */
	uint8_t hlim;	  /* 64 when 0 */
};
struct wire_fback_spec {
	const uint8_t *src, *dst; /* PAR and NCoA */
	uint8_t status;
	uint8_t flags;
	uint16_t seq;
	uint16_t lifetime;
	const uint8_t *altcoa; /* status 1: the NCoA to use */
	uint8_t auth_len;
	uint8_t hlim;
};
/*
 * Build the IPv6 packet (no L2) with the authenticator zeroed and the checksum unset;
 * *mh_off and *auth_off (from the packet start) say where the MH and authenticator are.
 * The caller MACs wire_mac_input() of the decoded packet, writes the tag, then calls
 * wire_mh_csum_finish().  wire_fbu_seal() does those last steps given the tag.
 */
int wire_build_fbu(struct wire_buf *w, const struct wire_fbu_spec *s, size_t *mh_off,
		   size_t *auth_off);
int wire_build_fback(struct wire_buf *w, const struct wire_fback_spec *s, size_t *mh_off,
		     size_t *auth_off);
/* Write the authenticator at auth_off and the MH checksum (pseudo-src: HAO if any, else src). */
int wire_mh_seal(uint8_t *pkt, size_t pkt_len, size_t mh_off, size_t auth_off, const uint8_t *tag,
		 size_t tag_len);

struct wire_hi_spec {
	const uint8_t *src, *dst; /* PAR and NAR */
	uint16_t seq;
	uint8_t flags, code;
	const uint8_t *mn_lla; /* 6 octets, MH-LLA code 2 */
	const uint8_t *pcoa;   /* MH IPv6 Address option code 1 (NULL: none) */
	const uint8_t *ncoa;   /* code 2 (NULL: none) */
};
struct wire_hack_spec {
	const uint8_t *src, *dst; /* NAR and PAR */
	uint16_t seq;
	uint8_t code;
	const uint8_t *ncoa; /* code 2 (NULL: none) */
};
int wire_build_hi(struct wire_buf *w, const struct wire_hi_spec *s);
int wire_build_hack(struct wire_buf *w, const struct wire_hack_spec *s);

/* ------------------------------------------------------------------------------------------ */
/* ICMPv6 error messages (RFC 4443) and their rate limit — wire_icmp6_err.c                    */
/* ------------------------------------------------------------------------------------------ */

enum {
	WIRE_ICMP6_DST_UNREACH = 1,
	WIRE_ICMP6_PACKET_TOO_BIG = 2,
	WIRE_ICMP6_TIME_EXCEEDED = 3,
	WIRE_ICMP6_PARAM_PROBLEM = 4,
	WIRE_ICMP6_ECHO_REQUEST = 128,
	WIRE_ICMP6_ECHO_REPLY = 129,

	/* Destination Unreachable codes (RFC 4443 §3.1) */
	WIRE_DU_NO_ROUTE = 0,
	WIRE_DU_ADMIN = 1,	  /* communication administratively prohibited */
	WIRE_DU_BEYOND_SCOPE = 2, /* beyond scope of source address */
	WIRE_DU_ADDR = 3,	  /* address unreachable */
	WIRE_DU_PORT = 4,
	WIRE_DU_POLICY = 5, /* source address failed ingress/egress policy */
	WIRE_DU_REJECT = 6, /* reject route to destination */
	/* Time Exceeded codes (§3.3) */
	WIRE_TE_HOP_LIMIT = 0,
	WIRE_TE_REASSEMBLY = 1,
	/* Parameter Problem codes (§3.4; 3 from RFC 7112) */
	WIRE_PP_HEADER = 0,	 /* erroneous header field */
	WIRE_PP_NEXT_HEADER = 1, /* unrecognized Next Header type */
	WIRE_PP_OPTION = 2,	 /* unrecognized IPv6 option */
	WIRE_PP_CHAIN = 3,	 /* first fragment has an incomplete header chain */

	WIRE_IPV6_MIN_MTU = 1280, /* RFC 8200 §5: an ICMPv6 error never exceeds it (§2.4 (c)) */
	WIRE_ICMP6_ERR_HLEN = 48, /* IPv6 header + the 8-octet ICMPv6 error header */
};

/*
 * Build an ICMPv6 error message (RFC 4443 §3) answering the IPv6 packet invoking[0..inv_len)
 * (no L2; octets after its Payload Length are not quoted): an IPv6 header from src (a router
 * address) to the invoking packet's source with Hop Limit hlim (64 when 0), Type and Code, the
 * 32-bit field (param: the MTU for Packet Too Big, the Pointer for Parameter Problem; 0 is
 * written for the other types whatever param is), as much of the invoking packet as fits with
 * the whole error at most WIRE_IPV6_MIN_MTU octets (§2.4 (c)) — and within w's room if that is
 * smaller —, and the checksum.  Written at w->len; invoking must not overlap w's buffer (build
 * into a new buffer, not in place).
 * Errors: WIRE_E_BAD_VALUE (type/code not an error listed above: Destination Unreachable 0-6,
 * Packet Too Big 0, Time Exceeded 0-1, Parameter Problem 0-3), WIRE_E_TRUNCATED (fewer than 40
 * octets), WIRE_E_NOT_IPV6 (version is not 6), WIRE_E_NOSPACE (w has no room for 48 octets).
 * Whether an error may be sent at all is wire_icmp6_error_allowed()'s question, not this one's.
 */
int wire_build_icmp6_error(struct wire_buf *w, const uint8_t src[16], uint8_t type, uint8_t code,
			   uint32_t param, const uint8_t *invoking, size_t inv_len, uint8_t hlim);

/*
 * RFC 4443 §2.4 (e): may an error (type, code, param as given to wire_build_icmp6_error) be
 * sent in response to invoking?  false when
 *   (e.1) invoking is an ICMPv6 error message (type < 128) or a Redirect (137) — found by
 *         walking its extension headers; a chain that cannot be walked, or a non-first
 *         fragment, is not known to be one (as Linux's icmpv6_send()), an ICMPv6 header cut
 *         before its Type octet is treated as one;
 *   (e.2) its destination is multicast, (e.3/e.4) l2_mcast: its link-layer destination was
 *         multicast or broadcast (the caller knows) — except for Packet Too Big and for a
 *         Parameter Problem code 2 whose Pointer designates an option whose Type has the
 *         high-order bits 10 (RFC 8200 §4.2);
 *   (e.5) its source does not identify a single node: unspecified (::), loopback (::1),
 *         multicast (ff00::/8), IPv4-mapped (::ffff:0:0/96).  Anycast addresses of the router's
 *         own subnets are the caller's to refuse;
 *   and when invoking is not an IPv6 header (shorter than 40 octets, version not 6).
 */
bool wire_icmp6_error_allowed(const uint8_t *invoking, size_t inv_len, uint8_t type, uint8_t code,
			      uint32_t param, bool l2_mcast);

/*
 * RFC 4443 §2.4 (f): a token bucket of `burst` messages refilled at `rate` messages per
 * second, in the caller's clock of hz ticks per second (the TSC on a worker, a fake clock in
 * tests).  One per worker lcore: no lock, no atomics.  rate 0 or burst 0: nothing passes
 * (errors disabled).  The bucket starts full at `now`; a clock that goes backwards adds no
 * credit.  Integer arithmetic only: with cost = hz / rate ticks per message, over any
 * interval of T ticks at most burst + T / cost messages pass.
 */
struct wire_ratelim {
	uint64_t cost;	 /* ticks per message; 0: disabled */
	uint64_t cap;	 /* bucket depth in ticks (cost x burst) */
	uint64_t credit; /* ticks */
	uint64_t last;	 /* clock at the last take */
};
void wire_ratelim_init(struct wire_ratelim *r, uint32_t rate, uint32_t burst, uint64_t hz,
		       uint64_t now);
/* true: one message may be sent now (its token is taken). */
bool wire_ratelim_take(struct wire_ratelim *r, uint64_t now);

/* ------------------------------------------------------------------------------------------ */
/* Neighbor Discovery: Neighbor Solicitation / Advertisement (RFC 4861) — wire_ndp.c           */
/* ------------------------------------------------------------------------------------------ */

enum {
	WIRE_NA_FLAG_R = 0x80, /* Router */
	WIRE_NA_FLAG_S = 0x40, /* Solicited */
	WIRE_NA_FLAG_O = 0x20, /* Override */
	WIRE_ND_HLIM = 255,    /* RFC 4861 §7.1: ND messages are sent and accepted with 255 */
	WIRE_NS_LEN = 24,      /* NS / NA without options */
};

/* The solicited-node multicast address of addr: ff02::1:ff00:0/104 | its low 24 bits
 * (RFC 4291 §2.7.1). */
void wire_solicited_node(const uint8_t addr[16], uint8_t group[16]);
/* The Ethernet address of an IPv6 multicast group: 33:33 and its low 32 bits (RFC 2464 §7). */
void wire_ip6_mcast_mac(const uint8_t group[16], uint8_t mac[6]);
static inline bool wire_ip6_is_multicast(const uint8_t a[16])
{
	return a[0] == 0xff;
}

/*
 * Whole IPv6 packets (no L2), Hop Limit 255, checksum set, written at w->len.
 * NS (§4.3): dst NULL = the target's solicited-node group (address resolution), else unicast
 * (reachability probe); slla (6 octets, NULL: none) as a Source Link-Layer Address option;
 * src :: (DAD) with an slla is WIRE_E_BAD_VALUE (§4.3).
 * NA (§4.4): flags WIRE_NA_FLAG_*; tlla (6 octets, NULL: none) as a Target Link-Layer Address
 * option; a multicast dst with the S flag is WIRE_E_BAD_VALUE (§7.1.2).
 */
int wire_build_ns(struct wire_buf *w, const uint8_t src[16], const uint8_t *dst,
		  const uint8_t target[16], const uint8_t *slla);
int wire_build_na(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16],
		  const uint8_t target[16], uint8_t flags, const uint8_t *tlla);

/* A decoded NS or NA. */
struct wire_nsna {
	uint8_t type;	       /* 135 or 136 */
	uint8_t flags;	       /* NA: R S O (WIRE_NA_FLAG_*); NS: 0 */
	const uint8_t *target; /* 16 octets */
	const uint8_t *lla;    /* first SLLA (NS) / TLLA (NA) option's address, NULL if none */
	size_t lla_len;	       /* its octets (padding included: Ethernet uses the first 6) */
	unsigned n_opts;       /* options walked */
};

/*
 * Validate (RFC 4861 §7.1.1 / §7.1.2) and decode the NS or NA in icmp (from wire_icmp6_decode,
 * which verified the checksum) of the packet ip: Hop Limit 255, Code 0, at least 24 octets,
 * target not multicast, every option of non-zero length (WIRE_E_BAD_LENGTH) inside the
 * message (WIRE_E_TRUNCATED); NS from :: only to a solicited-node group and without SLLA; NA
 * to a multicast destination without the S flag.  WIRE_E_BAD_VALUE for the rules, and
 * WIRE_E_UNKNOWN_TYPE when the message is neither NS nor NA.  Options other than SLLA/TLLA
 * are skipped (§4.6: receivers ignore unknown options).
 */
int wire_nsna_decode(const struct wire_ip6 *ip, const struct wire_icmp6 *icmp, struct wire_nsna *v);

/* ------------------------------------------------------------------------------------------ */
/* FBU fast path: the one shape FBUs to a PAR have, and the MAC input in place (issue 14)      */
/* ------------------------------------------------------------------------------------------ */

/*
 * wire_fbu_fast_decode() matches, with fixed-offset loads and compares, exactly the FBUs that
 * the MN builds (wire_build_fbu(), PROTOCOL.md 10.3/10.4) and nothing else:
 *
 *   Ethernet [one 802.1Q tag] (or none for WIRE_LINK_RAW6)
 *   IPv6, Next Header 60, Payload Length 24 + MH length (octets after it are link trailer)
 *   Destination Options, 24 octets: 135, Hdr Ext Len 2, PadN(2) with zero data, HAO (201, 16)
 *     at 8n+6 (A23: the PCoA)
 *   Mobility Header: Payload Proto 59, type 8, Reserved 0, the 6-octet FBU body, then one of
 *     - no Alt-CoA (from the NAR's link):  PadN(2) + BADF@14 (12-octet auth., MH 32) or
 *                                          PadN(6) + BADF@18 (16-octet auth., MH 40)
 *     - Alt-CoA (from the PAR's link):     PadN(2) + Alt-CoA@14, then PadN(6) + BADF@38
 *                                          (12, MH 56) or PadN(2) + BADF@34 (16, MH 56)
 *     the BADF in the A20 layout (its authenticator ends the MH) with Option Length =
 *     4 + authenticator (A3, SPI counted), PadN data zero;
 *   a valid MH checksum (A16: HAO as pseudo-source, next header 135), computed in one pass.
 *
 * Anything else — another link header, a Hop-by-Hop or Routing header, another option or
 * padding, the A3 short BADF form, other authenticator lengths, octets after the
 * authenticator, a bad checksum — is "no match" (false), never an error: the caller then runs
 * wire_decode_frame(), which stays the one authority on validity and on errors.  On a match,
 * wire_decode_frame() returns WIRE_OK with msg FBU and the same fields (tests/wire
 * test_wire_fbu_fast, the differential fuzz target tests/fuzz/fuzz_fbu_diff.c).  No memset:
 * *ff is written only on a match.  The MH checksum is the cost (one pass, ~25 adds); the rest
 * is a dozen loads and compares.
 *
 * Offsets in struct wire_fbu_fast are from the frame start (what the caller passed as p).
 */
struct wire_fbu_fast {
	uint16_t l3_off;   /* IPv6 header: 14, 18 (802.1Q) or 0 (WIRE_LINK_RAW6) */
	uint16_t mh_off;   /* Mobility Header: l3_off + 64 */
	uint16_t mh_len;   /* 32, 40 or 56 */
	uint16_t pcoa_off; /* Home Address (PCoA; A21, A23): l3_off + 48 */
	uint16_t par_off;  /* IPv6 destination (the PAR address MACed, A12): l3_off + 24 */
	uint16_t ncoa_off; /* A2: the Alt-CoA (mh_off + 16) if present, else the IPv6 source */
	uint16_t auth_off; /* the authenticator; auth_off + auth_len == mh_off + mh_len (A20) */
	uint8_t auth_len;  /* 12 or 16 */
	uint8_t flags;	   /* FBU flags (A H L K ...), as wire_mh.u.fbu.flags */
	uint16_t seq;
	uint16_t lifetime;
	uint16_t vlan_tci; /* valid when has_vlan */
	bool has_vlan;
	bool has_altcoa;
	uint32_t spi; /* BADF SPI (the worker drops SPI != 0, L1) */
};

/* true: the frame has the shape above and *ff is filled; false: use wire_decode_frame(). */
bool wire_fbu_fast_decode(const uint8_t *p, size_t len, enum wire_link link,
			  struct wire_fbu_fast *ff);

/*
 * The A2 MAC input (PROTOCOL.md 1.9: NCoA ‖ PAR ‖ MH with the checksum zeroed, the
 * authenticator left out) made contiguous in the packet itself, so the hash reads one
 * segment and nothing is gathered: wire_mac_inplace_begin() saves the 32 octets just before
 * the MH and the MH checksum into *s, writes NCoA ‖ PAR into those 32 octets and zeroes the
 * checksum; the input is then s->start .. s->start + s->len.  wire_mac_inplace_restore()
 * puts the saved octets back, so the packet is byte for byte what was received: call it for
 * every packet that goes on (an accepted FBU goes to the control lcore, which decodes it
 * again); a dropped packet need not be restored.
 *
 * Between begin and restore the 32 octets before the MH are NCoA ‖ PAR: in the fast shape
 * they are the second half of the IPv6 destination and the whole Destination Options header
 * (HAO included): read the PCoA before begin or from s->saved (wire_fbu_fast_saved_pcoa());
 * NCoA and PAR are s->start and s->start + 16.  ncoa and par may point into the octets
 * overwritten (they are copied first).
 *
 * The input is contiguous only when the authenticator ends the MH (A20); otherwise begin
 * returns WIRE_E_BAD_LENGTH, changes nothing, and the caller uses wire_mac_input() (segments,
 * gathered by lib/mac).  The caller guarantees that the 32 octets before mh are its own,
 * writable buffer: true for any MH behind an IPv6 header (40 octets).
 */
struct wire_mac_inplace {
	uint8_t *start;	   /* mh - 32: NCoA ‖ PAR ‖ MH up to the authenticator */
	uint32_t len;	   /* 32 + auth_off (MH octets before the authenticator) */
	uint8_t saved[32]; /* the octets [mh - 32, mh) as received */
	uint8_t csum[2];   /* the MH checksum as received */
};

int wire_mac_inplace_begin(uint8_t *mh, size_t mh_len, size_t auth_off, size_t auth_len,
			   const uint8_t ncoa[16], const uint8_t par[16],
			   struct wire_mac_inplace *s);
void wire_mac_inplace_restore(const struct wire_mac_inplace *s);

/* The fast shape's MAC input in place: frame is the p given to wire_fbu_fast_decode(). */
static inline int wire_fbu_fast_inplace(uint8_t *frame, const struct wire_fbu_fast *ff,
					struct wire_mac_inplace *s)
{
	return wire_mac_inplace_begin(frame + ff->mh_off, ff->mh_len,
				      (size_t)(ff->auth_off - ff->mh_off), ff->auth_len,
				      frame + ff->ncoa_off, frame + ff->par_off, s);
}
/* In the fast shape, the saved octets are dst[8..16) ‖ DstOpt: the PCoA (HAO) is their last
 * 16 octets. */
static inline const uint8_t *wire_fbu_fast_saved_pcoa(const struct wire_mac_inplace *s)
{
	return s->saved + 16;
}

/* ------------------------------------------------------------------------------------------ */
/* IPv6-in-IPv6 tunnels (RFC 2473; wire_tunnel.c)                                              */
/* ------------------------------------------------------------------------------------------ */

/* The fixed 40-octet IPv6 header and nothing after it (no extension-header walk). */
struct wire_ip6_hdr {
	const uint8_t *hdr; /* the header */
	const uint8_t *src, *dst;
	uint8_t tclass, nh, hlim;
	uint32_t flow;
	uint16_t plen;
	size_t len; /* 40 + Payload Length; octets after it are trailer */
};
/* Version 6, Payload Length not 0 (no jumbograms) and within len.  TRUNCATED, NOT_IPV6,
 * BAD_LENGTH. */
int wire_ip6_hdr_decode(const uint8_t *p, size_t len, struct wire_ip6_hdr *h);

struct wire_tunnel_spec {
	const uint8_t *src; /* tunnel entry point (RFC 2473 §6.1) */
	const uint8_t *dst; /* tunnel exit point (§6.2) */
	uint8_t hlim;	    /* tunnel Hop Limit (§6.3) */
	bool tc_copy; /* Traffic Class copied from the original header, else tc (§5, §6.4) */
	uint8_t tc;
	bool flow_copy; /* Flow Label copied from the original header, else flow (§5, §6.5) */
	uint32_t flow;
};
/*
 * The tunnel IPv6 header (RFC 2473 §5) for the original packet inner: Next Header 41 (no
 * tunnel extension headers), Payload Length = inner->len.  BAD_LENGTH if that exceeds 65535.
 * The original packet is not touched (its Hop Limit is the caller's business, §3.1).
 */
int wire_tunnel_hdr(uint8_t out[WIRE_IPV6_HLEN], const struct wire_ip6_hdr *inner,
		    const struct wire_tunnel_spec *s);

struct wire_tunnel {
	struct wire_ip6_hdr outer; /* outer.len: the tunnel packet; after it, trailer */
	struct wire_ip6_hdr inner; /* the original packet: inner.len == outer.plen */
};
/*
 * A tunnel packet at its exit point: the outer header's Next Header must be 41 itself.
 * Tunnel extension headers (Hop-by-Hop, Routing, Fragment, Destination Options — e.g. RFC 2473
 * §4.1.1's Tunnel Encapsulation Limit —, ESP, AH) are refused: HDR_CHAIN; any other Next
 * Header: UNKNOWN_TYPE.  The original packet must be IPv6 (NOT_IPV6) and fill the tunnel
 * payload exactly (BAD_LENGTH).  TRUNCATED when the frame is shorter than a header or the
 * outer Payload Length.
 */
int wire_tunnel_decode(const uint8_t *p, size_t len, struct wire_tunnel *t);

#ifdef __cplusplus
}
#endif
#endif /* FMIPGW_WIRE_H */
