/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: the builders of ICMPv6 FMIPv6 and certification-path messages, their checksum, and
 * every ND option wire_nd.c decodes (RFC 4861, SEND RFC 3971, FMIPv6 RFC 5568, RFC 5269), on
 * the bounded writer (struct wire_buf).
 */
#include "wire.h"

static size_t icmp_head(struct wire_buf *w, uint8_t type, uint8_t code)
{
	size_t off = w->len;
	wire_put_u8(w, type);
	wire_put_u8(w, code);
	wire_put_be16(w, 0);
	return off;
}

size_t wire_build_fmip(struct wire_buf *w, uint8_t subtype, uint8_t code, uint16_t identifier)
{
	size_t off = icmp_head(w, WIRE_ICMP6_FMIP, code);
	wire_put_u8(w, subtype);
	wire_put_u8(w, 0);
	wire_put_be16(w, identifier);
	return off;
}

size_t wire_build_cps(struct wire_buf *w, uint16_t identifier, uint16_t component)
{
	size_t off = icmp_head(w, WIRE_ICMP6_CPS, 0);
	wire_put_be16(w, identifier);
	wire_put_be16(w, component);
	return off;
}

size_t wire_build_cpa(struct wire_buf *w, uint16_t identifier, uint16_t all_components,
		      uint16_t component)
{
	size_t off = icmp_head(w, WIRE_ICMP6_CPA, 0);
	wire_put_be16(w, identifier);
	wire_put_be16(w, all_components);
	wire_put_be16(w, component);
	wire_put_be16(w, 0);
	return off;
}

int wire_icmp6_finish(struct wire_buf *w, size_t ip6_off, size_t icmp_off)
{
	const uint8_t *ip;
	if (w->err != WIRE_OK)
		return w->err;
	if (w->len < icmp_off + 4 || icmp_off < ip6_off + WIRE_IPV6_HLEN)
		return WIRE_E_TRUNCATED;
	ip = w->p + ip6_off;
	wire_poke_be16(
	    w, icmp_off + 2,
	    wire_l4_csum(ip + 8, ip + 24, WIRE_NH_ICMPV6, w->p + icmp_off, w->len - icmp_off, 2));
	return w->err;
}

/* Pad octets that make hdr + body a multiple of 8. */
static size_t pad8(size_t n)
{
	return (8 - n % 8) % 8;
}

/* Type, Length and the first two octets of an option whose total size is known. */
static void opt_head(struct wire_buf *w, uint8_t type, size_t total)
{
	if (total == 0 || total % 8 || total > 255 * 8) {
		if (w->err == WIRE_OK)
			w->err = WIRE_E_NOSPACE;
		return;
	}
	wire_put_u8(w, type);
	wire_put_u8(w, (uint8_t)(total / 8));
}

void wire_put_opt_ll(struct wire_buf *w, uint8_t type, const uint8_t *addr, size_t addr_len)
{
	size_t pad = pad8(2 + addr_len);
	opt_head(w, type, 2 + addr_len + pad);
	wire_put_bytes(w, addr, addr_len);
	wire_put_zero(w, pad);
}

void wire_put_opt_prefix(struct wire_buf *w, const struct wire_opt_prefix *v)
{
	opt_head(w, WIRE_ND_PREFIX, 32);
	wire_put_u8(w, v->prefix_len);
	wire_put_u8(w, v->flags);
	wire_put_be32(w, v->valid);
	wire_put_be32(w, v->preferred);
	wire_put_zero(w, 4);
	wire_put_bytes(w, v->prefix, 16);
}

/* Type, Length, Pad Length, one octet, body, padding: CGA, Trust Anchor, HK Request. */
static void opt_padlen(struct wire_buf *w, uint8_t type, uint8_t octet3, const uint8_t *body,
		       size_t len)
{
	size_t pad = pad8(4 + len);
	opt_head(w, type, 4 + len + pad);
	wire_put_u8(w, (uint8_t)pad);
	wire_put_u8(w, octet3);
	wire_put_bytes(w, body, len);
	wire_put_zero(w, pad);
}

void wire_put_opt_cga(struct wire_buf *w, const uint8_t *params, size_t params_len)
{
	opt_padlen(w, WIRE_ND_CGA, 0, params, params_len);
}

void wire_put_opt_rsasig(struct wire_buf *w, const uint8_t key_hash[16], const uint8_t *sig,
			 size_t sig_len)
{
	size_t pad = pad8(20 + sig_len);
	opt_head(w, WIRE_ND_RSA_SIG, 20 + sig_len + pad);
	wire_put_zero(w, 2);
	wire_put_bytes(w, key_hash, 16);
	wire_put_bytes(w, sig, sig_len);
	wire_put_zero(w, pad);
}

void wire_put_opt_timestamp(struct wire_buf *w, uint64_t ts)
{
	opt_head(w, WIRE_ND_TIMESTAMP, 16);
	wire_put_zero(w, 6);
	wire_put_be64(w, ts);
}

void wire_put_opt_nonce(struct wire_buf *w, const uint8_t *nonce, size_t nonce_len)
{
	if (nonce_len < 6 || (nonce_len + 2) % 8) {
		if (w->err == WIRE_OK)
			w->err = WIRE_E_BAD_LENGTH;
		return;
	}
	opt_head(w, WIRE_ND_NONCE, nonce_len + 2);
	wire_put_bytes(w, nonce, nonce_len);
}

void wire_put_opt_trust_anchor(struct wire_buf *w, uint8_t name_type, const uint8_t *name,
			       size_t name_len)
{
	size_t pad = pad8(4 + name_len);
	opt_head(w, WIRE_ND_TRUST_ANCHOR, 4 + name_len + pad);
	wire_put_u8(w, name_type);
	wire_put_u8(w, (uint8_t)pad);
	wire_put_bytes(w, name, name_len);
	wire_put_zero(w, pad);
}

void wire_put_opt_cert(struct wire_buf *w, uint8_t cert_type, const uint8_t *cert, size_t cert_len)
{
	size_t pad = pad8(4 + cert_len);
	opt_head(w, WIRE_ND_CERTIFICATE, 4 + cert_len + pad);
	wire_put_u8(w, cert_type);
	wire_put_u8(w, 0);
	wire_put_bytes(w, cert, cert_len);
	wire_put_zero(w, pad);
}

void wire_put_opt_ipaddr(struct wire_buf *w, uint8_t code, uint8_t prefix_len,
			 const uint8_t addr[16])
{
	opt_head(w, WIRE_ND_IPADDR, 24);
	wire_put_u8(w, code);
	wire_put_u8(w, prefix_len);
	wire_put_zero(w, 4);
	wire_put_bytes(w, addr, 16);
}

void wire_put_opt_lla(struct wire_buf *w, uint8_t code, const uint8_t *lla, size_t lla_len)
{
	size_t pad = pad8(3 + lla_len);
	opt_head(w, WIRE_ND_FMIP_LLA, 3 + lla_len + pad);
	wire_put_u8(w, code);
	wire_put_bytes(w, lla, lla_len);
	wire_put_zero(w, pad);
}

void wire_put_opt_naack(struct wire_buf *w, uint8_t code, uint8_t status, const uint8_t *ncoa)
{
	opt_head(w, WIRE_ND_NAACK, ncoa ? 24 : 8);
	wire_put_u8(w, code);
	wire_put_u8(w, status);
	wire_put_zero(w, 4);
	if (ncoa)
		wire_put_bytes(w, ncoa, 16); /* A22 */
}

/* The AT is a 4-bit field (RFC 5269 §4.1). */
static bool at_fits(struct wire_buf *w, uint8_t at)
{
	if (at <= 15)
		return true;
	if (w->err == WIRE_OK)
		w->err = WIRE_E_BAD_VALUE;
	return false;
}

void wire_put_opt_hkreq(struct wire_buf *w, uint8_t at, const uint8_t *key, size_t key_len)
{
	if (!at_fits(w, at))
		return;
	opt_padlen(w, WIRE_ND_HK_REQUEST, (uint8_t)(at << 4), key, key_len);
}

void wire_put_opt_hkrep(struct wire_buf *w, uint8_t at, uint16_t lifetime, const uint8_t *enc,
			size_t enc_len)
{
	size_t pad = pad8(6 + enc_len);
	if (!at_fits(w, at))
		return;
	opt_head(w, WIRE_ND_HK_REPLY, 6 + enc_len + pad);
	wire_put_u8(w, (uint8_t)pad);
	wire_put_u8(w, (uint8_t)(at << 4));
	wire_put_be16(w, lifetime);
	wire_put_bytes(w, enc, enc_len); /* A11: right after Key Lifetime */
	wire_put_zero(w, pad);
}
