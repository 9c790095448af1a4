/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/wire: Neighbor Solicitation and Advertisement (RFC 4861 §4.3, §4.4): builders, the
 * receive-side validation of §7.1, solicited-node groups and their Ethernet addresses.
 */
#include "wire.h"

void wire_solicited_node(const uint8_t addr[16], uint8_t group[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };

	memcpy(group, pfx, sizeof(pfx));
	memcpy(group + 13, addr + 13, 3);
}

void wire_ip6_mcast_mac(const uint8_t group[16], uint8_t mac[6])
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

static bool is_unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return memcmp(a, zero, 16) == 0;
}

static bool is_solicited_node(const uint8_t a[16])
{
	uint8_t g[16];
	wire_solicited_node(a, g);
	return memcmp(a, g, 13) == 0;
}

/* IPv6 header, ICMPv6 type/code/checksum, the 32-bit field and the target; returns the ICMPv6
 * offset (the IPv6 header is at *ip6_off). */
static size_t nsna_head(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16],
			uint8_t type, uint32_t word, const uint8_t target[16], size_t *ip6_off)
{
	size_t icmp_off;

	*ip6_off = wire_build_ip6(w, src, dst, WIRE_NH_ICMPV6, WIRE_ND_HLIM);
	icmp_off = w->len;
	wire_put_u8(w, type);
	wire_put_u8(w, 0);
	wire_put_be16(w, 0);
	wire_put_be32(w, word);
	wire_put_bytes(w, target, 16);
	return icmp_off;
}

static int nsna_finish(struct wire_buf *w, size_t ip6_off, size_t icmp_off)
{
	int e = wire_ip6_finish(w, ip6_off);
	return e ? e : wire_icmp6_finish(w, ip6_off, icmp_off);
}

int wire_build_ns(struct wire_buf *w, const uint8_t src[16], const uint8_t *dst,
		  const uint8_t target[16], const uint8_t *slla)
{
	uint8_t group[16];
	size_t ip6_off, icmp_off;

	if (slla && is_unspecified(src))
		return WIRE_E_BAD_VALUE; /* §4.3: no SLLA from the unspecified address */
	if (dst == NULL) {
		wire_solicited_node(target, group);
		dst = group;
	}
	icmp_off = nsna_head(w, src, dst, WIRE_ICMP6_NS, 0, target, &ip6_off);
	if (slla)
		wire_put_opt_ll(w, WIRE_ND_SLLA, slla, 6);
	return nsna_finish(w, ip6_off, icmp_off);
}

int wire_build_na(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16],
		  const uint8_t target[16], uint8_t flags, const uint8_t *tlla)
{
	size_t ip6_off, icmp_off;

	if ((flags & WIRE_NA_FLAG_S) && wire_ip6_is_multicast(dst))
		return WIRE_E_BAD_VALUE;
	flags &= WIRE_NA_FLAG_R | WIRE_NA_FLAG_S | WIRE_NA_FLAG_O;
	icmp_off = nsna_head(w, src, dst, WIRE_ICMP6_NA, (uint32_t)flags << 24, target, &ip6_off);
	if (tlla)
		wire_put_opt_ll(w, WIRE_ND_TLLA, tlla, 6);
	return nsna_finish(w, ip6_off, icmp_off);
}

/* Walk every option (lengths checked by the iterator); keep the first SLLA (NS) or TLLA (NA). */
static int nsna_opts(const struct wire_icmp6 *icmp, struct wire_nsna *v)
{
	uint8_t want = v->type == WIRE_ICMP6_NS ? WIRE_ND_SLLA : WIRE_ND_TLLA;
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	int r;

	if ((r = wire_ndopt_iter_init(&it, icmp, WIRE_NS_LEN)))
		return r;
	while ((r = wire_ndopt_next(&it, &o)) == 1) {
		struct wire_opt_ll ll;

		v->n_opts++;
		if (o.type == want && v->lla == NULL && wire_opt_ll_decode(&o, &ll) == WIRE_OK) {
			v->lla = ll.addr;
			v->lla_len = ll.addr_len;
		}
	}
	return -r;
}

int wire_nsna_decode(const struct wire_ip6 *ip, const struct wire_icmp6 *icmp, struct wire_nsna *v)
{
	int e;

	memset(v, 0, sizeof(*v));
	if (icmp->type != WIRE_ICMP6_NS && icmp->type != WIRE_ICMP6_NA)
		return WIRE_E_UNKNOWN_TYPE;
	v->type = icmp->type;
	if (icmp->len < WIRE_NS_LEN)
		return WIRE_E_TRUNCATED;
	if (ip->hlim != WIRE_ND_HLIM || icmp->code != 0)
		return WIRE_E_BAD_VALUE;
	v->target = icmp->p + 8;
	if (wire_ip6_is_multicast(v->target))
		return WIRE_E_BAD_VALUE;
	if (v->type == WIRE_ICMP6_NA) {
		v->flags = icmp->p[4] & (WIRE_NA_FLAG_R | WIRE_NA_FLAG_S | WIRE_NA_FLAG_O);
		if ((v->flags & WIRE_NA_FLAG_S) && wire_ip6_is_multicast(ip->dst))
			return WIRE_E_BAD_VALUE;
	}
	if ((e = nsna_opts(icmp, v)))
		return e;
	if (v->type == WIRE_ICMP6_NS && is_unspecified(ip->src) &&
	    (!is_solicited_node(ip->dst) || v->lla != NULL))
		return WIRE_E_BAD_VALUE; /* §7.1.1: DAD goes to a solicited-node group, no SLLA */
	return WIRE_OK;
}
