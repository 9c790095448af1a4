/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The differential oracle of the plain-IPv6 fast shape (issue 11), shared by the libFuzzer
 * target fuzz_plain_diff.c and the unit test tests/wire/test_wire_plain.c:
 * wire_plain_decode() against wire_decode_frame().  Where the fast decoder says "plain", the
 * full decoder must say WIRE_OK and the same class (OTHER, or TUNNEL) with every member of the
 * Ethernet and IPv6 views equal, whatever the view held before (it is filled with two different
 * patterns first: a member the fast decoder forgot to write differs); where it says no, the full
 * decoder must not give such a frame's view (WIRE_OK, msg OTHER, no extension header, an upper
 * layer it does not decode), and the view must be untouched.
 */
#ifndef FMIPGW_PLAIN_DIFF_H
#define FMIPGW_PLAIN_DIFF_H

#include <string.h>

#include "wire.h"

/* 0 when the two Ethernet and IPv6 views are equal member by member; else the first that is
 * not (a small number, for the test's message). */
static inline int plain_diff_views(const struct wire_frame *a, const struct wire_frame *b)
{
	const struct wire_eth *x = &a->eth, *y = &b->eth;
	const struct wire_ip6 *p = &a->ip, *q = &b->ip;

	if (x->dst != y->dst || x->src != y->src || x->has_vlan != y->has_vlan ||
	    x->vlan_tci != y->vlan_tci || x->ethertype != y->ethertype || x->hdr_len != y->hdr_len)
		return 10;
	if (p->hdr != q->hdr || p->len != q->len || p->src != q->src || p->dst != q->dst)
		return 11;
	if (p->tclass != q->tclass || p->hlim != q->hlim || p->flow != q->flow)
		return 12;
	if (p->hbh != q->hbh || p->dstopt != q->dstopt || p->routing != q->routing ||
	    p->rt_type != q->rt_type || p->rt_segleft != q->rt_segleft || p->hao != q->hao ||
	    p->rt2_addr != q->rt2_addr)
		return 13;
	if (p->frag != q->frag || p->frag_off != q->frag_off || p->frag_more != q->frag_more ||
	    p->frag_id != q->frag_id || p->n_ext != q->n_ext)
		return 14;
	if (p->proto != q->proto || p->l4_off != q->l4_off || p->l4 != q->l4 ||
	    p->l4_len != q->l4_len)
		return 15;
	return 0;
}

/* The upper layers wire_decode_frame() decodes further (never the fast shape). */
static inline bool plain_diff_special(uint8_t proto)
{
	return proto == WIRE_NH_ICMPV6 || proto == WIRE_NH_MH;
}

/* The classes of the fast shape: OTHER, and TUNNEL (IPv6-in-IPv6, not decoded further). */
static inline bool plain_diff_msg(int msg)
{
	return msg == WIRE_MSG_OTHER || msg == WIRE_MSG_TUNNEL;
}

/* 0 when wire_plain_decode() and wire_decode_frame() agree on frame p (len octets); else a
 * small number naming the disagreement. */
static inline int plain_diff(const uint8_t *p, size_t len, enum wire_link link)
{
	static const uint8_t pat[2] = { 0x00, 0xa5 };
	struct wire_frame full, fast[2];
	int e = wire_decode_frame(p, len, link, &full);
	bool plain[2];

	for (unsigned k = 0; k < 2; k++) {
		memset(&fast[k], pat[k], sizeof(fast[k]));
		plain[k] = wire_plain_decode(p, len, link, &fast[k]);
	}
	if (plain[0] != plain[1])
		return 1;
	if (!plain[0]) {
		for (unsigned k = 0; k < 2; k++) {
			struct wire_frame u;

			memset(&u, pat[k], sizeof(u));
			if (memcmp(&u, &fast[k], sizeof(u)) != 0)
				return 2; /* written although not plain */
		}
		if (e == WIRE_OK && plain_diff_msg(full.msg) && full.ip.n_ext == 0 &&
		    full.ip.frag == NULL && !plain_diff_special(full.ip.proto))
			return 3; /* the full decoder's plain view, refused */
		return 0;
	}
	if (e != WIRE_OK || full.err != WIRE_OK || !plain_diff_msg(full.msg))
		return 4;
	for (unsigned k = 0; k < 2; k++) {
		int d;

		if (fast[k].msg != full.msg || fast[k].err != WIRE_OK)
			return 5;
		if ((d = plain_diff_views(&fast[k], &full)) != 0)
			return d;
	}
	return 0;
}

#endif /* FMIPGW_PLAIN_DIFF_H */
