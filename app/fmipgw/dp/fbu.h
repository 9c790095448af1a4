/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw fast-path FBU rules — every rule an FBU to a PAR address meets on a worker, in the
 * order they are applied, and nothing else decides an FBU's fate on the fast path:
 *
 *   frame rules (per packet, before any lookup)
 *     L1   the BADF SPI is 0 (docs/protocol-decisions.md)              -> drop_fbu_spi
 *     A23  a Home Address option names the key (the PCoA)               -> drop_fbu_no_hao
 *     A2   the BADF MAC input can be formed (NCoA || PAR || MH)         -> drop_fbu_mac_input
 *   key rules (after one bulk lookup per burst)
 *          a key exists for the PCoA (RFC 5269 3.5)                     -> drop_fbu_no_key
 *     A13  the key is within its lifetime                               -> drop_fbu_expired
 *   accept rules (after one MAC burst)
 *          the authenticator verifies (constant time, lib/mac)          -> drop_fbu_bad_mac
 *     L2   the ring to the control plane has room: the sequence is only consumed for an
 *          FBU that will reach it (the MN's retransmission stays acceptable) -> drop_fbu_ring_full
 *     A14  the sequence is newer than the last accepted (mod 2^16) and is consumed here,
 *          before the control plane's hk_fbu_check (L2)                 -> drop_fbu_stale_seq
 *   accepted: the mbuf goes to the control plane as GW_EV_FBU          -> fbu_accepted
 *
 * A frame reaches the frame rules in one of two forms, with the same verdicts and counters:
 * the fast shape (wire_fbu_fast_decode: the one layout MNs send, matched at fixed offsets;
 * dp_fbu_fast_frame_rules) or the full decode of any other FBU (wire_decode_frame, the
 * authority; dp_fbu_frame_rules).  Where the fast decoder matches, wire_decode_frame would
 * return WIRE_OK/FBU with the same fields, a HAO and a MAC input that can be formed
 * (tests/fuzz/fuzz_fbu_diff.c), so for the fast shape A23 and A2 hold by construction and L1
 * is the one frame rule left.  The destination rule (a PAR address) is the classification
 * table's (dp_classify_msg), for both forms.
 *
 * The rules are pure functions over the frame and the key record (unit-tested without the
 * EAL in fbu_test.c); fbu.c is the stage that applies them to a burst.
 */
#ifndef FMIPGW_DP_FBU_H
#define FMIPGW_DP_FBU_H

#include <stdbool.h>
#include <stdint.h>

#include "keytab.h"
#include "wire.h"

enum dp_fbu_verdict {
	DP_FBU_GO = 0, /* this rule set passed: go on */
	DP_FBU_SPI,
	DP_FBU_NO_HAO,
	DP_FBU_MAC_INPUT,
	DP_FBU_NO_KEY,
	DP_FBU_EXPIRED,
	DP_FBU_BAD_MAC,
	DP_FBU_RING_FULL,
	DP_FBU_STALE_SEQ,
	DP_FBU_ACCEPT,
	DP_FBU__COUNT
};

/* L1, A23, A2: the MAC input into *in. */
static inline enum dp_fbu_verdict dp_fbu_frame_rules(const struct wire_frame *f,
						     struct wire_mac_input *in)
{
	if (f->mh.badf.spi != 0)
		return DP_FBU_SPI; /* L1: SPI 0 is the SEND-based handover key's (RFC 5568 6.4.5) */
	if (f->ip.hao == NULL)
		return DP_FBU_NO_HAO; /* A23 */
	if (wire_mac_input(&f->ip, &f->mh, in) != WIRE_OK)
		return DP_FBU_MAC_INPUT;
	return DP_FBU_GO;
}

/* The fast shape's frame rules: L1 on its SPI; A23 and A2 hold by construction (above). */
static inline enum dp_fbu_verdict dp_fbu_fast_frame_rules(const struct wire_fbu_fast *ff)
{
	if (ff->spi != 0)
		return DP_FBU_SPI; /* L1 */
	return DP_FBU_GO;
}

/* A key for the PCoA, within its lifetime at now (the key table's clock, seconds) (A13). */
static inline enum dp_fbu_verdict dp_fbu_key_rules(const struct keytab_rec *r, uint64_t now)
{
	if (r == NULL)
		return DP_FBU_NO_KEY;
	if (now >= __atomic_load_n(&r->expires, __ATOMIC_RELAXED))
		return DP_FBU_EXPIRED;
	return DP_FBU_GO;
}

/* A14: accept Sequence # seq if it is newer than the record's last accepted one (or none was
 * accepted yet) and record it.  Lock-free: workers sharing a key (RSS that splits one MN)
 * race through the compare-and-swap, and exactly one of two equal sequences wins.  The
 * record's last_seq: bit 16 set once a sequence was accepted, low 16 bits that sequence. */
static inline bool dp_fbu_seq_accept(struct keytab_rec *r, uint16_t seq)
{
	uint32_t cur = __atomic_load_n(&r->last_seq, __ATOMIC_RELAXED);

	for (;;) {
		if ((cur & 0x10000u) && !wire_mh_seq_newer((uint16_t)cur, seq))
			return false;
		if (__atomic_compare_exchange_n(&r->last_seq, &cur, 0x10000u | seq, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return true;
	}
}

/* After the MAC: the authenticator, L2, A14 (the sequence is consumed only on DP_FBU_ACCEPT). */
static inline enum dp_fbu_verdict dp_fbu_accept_rules(struct keytab_rec *r, bool mac_ok,
						      bool ring_room, uint16_t seq)
{
	if (!mac_ok)
		return DP_FBU_BAD_MAC;
	if (!ring_room)
		return DP_FBU_RING_FULL; /* L2 */
	if (!dp_fbu_seq_accept(r, seq))
		return DP_FBU_STALE_SEQ; /* A14 */
	return DP_FBU_ACCEPT;
}

/* The counter of each verdict (offsets into struct gw_counters; fbu.c). */
extern const size_t dp_fbu_counter[DP_FBU__COUNT];

#endif /* FMIPGW_DP_FBU_H */
