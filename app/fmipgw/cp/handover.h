/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw handover control (RFC 5568 3-6, RFC 5269 3.5-3.6; docs/binding.md "What the control
 * plane does"): what an accepted FBU does on the control lcore, the single writer of the
 * binding table.
 *
 *   ho_policy.c  the decisions, pure functions of the configuration (unit-tested without the
 *                EAL in ho_policy_test.c): the [ap.*] section of an NCoA (longest prefix
 *                match, RFC 5568 4), the FBack status fmipgw decides itself (128, 129), the
 *                configured neighbours, the NAR role's HAck code, the HI back-off
 *   handover.c   accepted FBU -> decision -> binding_install / binding_teardown -> FBack now
 *                (reactive mode, no HI) or after the HAck (predictive); the binding's end
 *                callback (A13: the key is deleted when the forwarding it set up ends); the
 *                periodic sweep and the HI timers
 *   fback.c      building an FBack with a BADF made with the FBU's key (hk_fback_build) and
 *                sending it through the tunnel to the NCoA or back on the FBU's path
 *   hi.c         the PAR role: HI to the NAR (MH 14), retransmission with back-off on
 *                rte_timer, HAck (MH 15) -> binding_activate / binding_delete -> FBack
 *   nar.c        the NAR role: HI -> HAck
 *
 * Decisions taken here (docs/conformance.md lists them with the RFC text):
 *   - predictive mode (FBU from the PAR's link) with an HI: the binding is PENDING and the
 *     FBack waits for the HAck (RFC 5568 6.2.3 SHOULD NOT precede it); reactive mode (FBU
 *     from the NAR's link): the binding is ACTIVE and the FBack goes at once (6.2.3 MAY),
 *     the HI (Code 1) follows when the FBU gave the MN's link-layer address (MH-LLA: an HI
 *     MUST carry it), and a refusing HAck removes the binding;
 *   - an HI that times out after HI_RETRIES retransmissions removes a pending binding and
 *     the FBack says 128 on the old link (the MN learns at once that the PAR will not tunnel;
 *     from the NAR's link it sends a new FBU, RFC 5568 3.2 (2)); in reactive mode the binding
 *     stays;
 *   - HAck code 3 (use PCoA): the tunnel's exit is the NAR itself (its host route for the
 *     PCoA, RFC 5568 6.2.1.2), so the binding's NCoA is the NAR's address and reverse-tunnelled
 *     packets come from it; code 1 (NCoA not valid) in predictive mode: no tunnel, FBack 128;
 *   - a binding removed because the NAR refused or never answered keeps its key (the MN may
 *     send its FBU again from the NAR's link); a binding torn down (Lifetime 0) or expired
 *     deletes it (A13).
 */
#ifndef FMIPGW_CP_HANDOVER_H
#define FMIPGW_CP_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_hash.h>
#include <rte_timer.h>

#include "config.h"
#include "counters.h"
#include "hk.h"
#include "keytab.h"
#include "wire.h"

struct gw_ctrl;
struct rte_mbuf;

/* ---- ho_policy.c (no EAL) ---------------------------------------------------------------- */

/* The [ap.*] section whose nar_prefix covers a, longest prefix first (RFC 5568 4: "the
 * longest prefix match of NCoA with the prefix list of neighboring access routers"); -1.
 * At most GW_MAX_APS sections on the control lcore: a scan (an rte_lpm6 would be 64 MiB). */
int cp_ap_match(const struct gw_config *cfg, const uint8_t a[16]);
/* The FBack status fmipgw decides for an FBU before any table (RFC 5568 6.2.3): 0 (go on,
 * *ap its section), 128 (the NCoA is not a usable unicast address, is the PCoA, or is in no
 * kind = nar section's prefix), 129 (its section is kind = no-fmip: the NAR does not support
 * fast handovers). */
uint8_t cp_fbu_status(const struct gw_config *cfg, const struct hk_fbu_info *info, int *ap);
/* a is the nar_addr of a kind = nar [ap.*] section: a configured neighbour. */
bool cp_is_neighbour(const struct gw_config *cfg, const uint8_t a[16]);
/* The NAR role's HAck code for an HI from src (RFC 5568 6.2.1.2): 129 (the role is off, or
 * [handover] neighbours_only and src is no neighbour), 128 (no MN link-layer address, which
 * the HI MUST carry), 0 (Code 1: the NAR skips the NCoA checks, RFC 5568 4; Code 0 with an
 * NCoA inside [router] prefixes), 1 (Code 0, NCoA absent or not on this router's link).
 * *echo: the HAck carries the NCoA back (code 0 and the S flag, 6.2.1.2). */
uint8_t cp_nar_code(const struct gw_config *cfg, const uint8_t src[16], const struct wire_mh *mh,
		    bool *echo);
/* Milliseconds to wait after transmission number tries (1, 2, ...) of an HI: hi_timeout_ms
 * doubled each time (RFC 5568 6.2.1.1: exponential back-off). */
uint32_t cp_hi_wait_ms(const struct gw_config *cfg, unsigned tries);

/* The counter of a message's code or status: the row of t (n rows) with that code, else the
 * counter at offset other (offsets into struct gw_counters, GW_CNT_OFF). */
struct cp_code_ctr {
	uint8_t code;
	size_t off;
};
uint64_t *cp_code_counter(struct gw_counters *c, const struct cp_code_ctr *t, unsigned n,
			  uint8_t code, size_t other);

/* ---- the state (handover.c) ------------------------------------------------------------- */

/* How a control packet leaves: back on a received frame's path (port, Ethernet source,
 * 802.1Q tag), or through the tunnel from tun_src to exit, out of [ap.*] section ap's port to
 * its NAR's link-layer address. */
struct cp_path {
	bool tunnel;
	uint16_t port; /* DPDK port id (reverse path) */
	uint8_t mac[6];
	int vlan; /* < 0: untagged */
	unsigned ap;
	uint8_t tun_src[16], exit[16];
};

/* An outstanding HI (hi.c). */
struct cp_hi_entry {
	struct rte_timer tim;
	struct gw_ctrl *c;
	bool used;
	uint8_t tries; /* transmissions so far */
	uint16_t seq;  /* the HI's Sequence # */
	uint8_t ap;
	struct hk_fbu_info fbu;
	uintptr_t key_ref;  /* the key record the FBU was authenticated with */
	struct cp_path old; /* the FBU's path (the old link in predictive mode) */
	uint8_t tun_src[16];
	uint16_t len;
	uint8_t pkt[192]; /* the HI (IPv6), resent as it is */
};

struct cp_ho {
	struct mac_ctx *mctx; /* the FBack's BADF (lib/mac) */
	struct rte_hash *hi_by_pcoa;
	uint32_t *hi_by_seq; /* [65536]: entry index + 1; 0: none */
	struct cp_hi_entry *hi;
	uint32_t *hi_free; /* indexes of the free entries (a stack of hi_cap - hi_used) */
	uint32_t hi_cap, hi_used;
	uint16_t next_seq;
	uint64_t next_sweep; /* TSC */
	uint8_t pkt[2048];   /* an FBack or HAck being built */
	uint8_t tx[2048];    /* ... and its tunnel header */
};

/* handover.c */
int cp_handover_init(struct gw_ctrl *c, char *err, size_t errlen);
void cp_handover_free(struct gw_ctrl *c);
/* The accepted FBU m (decoded in f, checked by hk_fbu_check into info). */
void cp_handover_fbu(struct gw_ctrl *c, struct rte_mbuf *m, const struct wire_frame *f,
		     const struct hk_fbu_info *info);
/* The reverse path of a received frame. */
void cp_path_back(struct cp_path *p, const struct rte_mbuf *m, const struct wire_frame *f);

/* fback.c: the FBack for fbu with status (and, for 1, the assigned NCoA) to dst, with the
 * BADF made with kr's key, sent on p.  0, or -1 counted in fback_failed. */
int cp_fback_send(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *fbu,
		  uint8_t status, const uint8_t *assigned, const uint8_t dst[16],
		  const struct cp_path *p);
/* The accepted outcome (status 0 or 1): through the tunnel to tun_dst (the NCoA, the assigned
 * NCoA, or for HAck code 3 the PCoA by way of the NAR) and, for an FBU from the PAR's link
 * with [handover] fback_old_link, to the PCoA on the old link. */
void cp_fback_accept(struct gw_ctrl *c, const struct keytab_rec *kr, const struct hk_fbu_info *fbu,
		     uint8_t status, const uint8_t *assigned, const uint8_t tun_dst[16],
		     const struct cp_path *tunnel, const struct cp_path *old);
/* Send the IPv6 packet pkt on p (through the tunnel: an RFC 2473 header first).  0 or -1. */
int cp_path_tx(struct gw_ctrl *c, const struct cp_path *p, const uint8_t *pkt, size_t len);

/* hi.c */
/* An HI slot is free for pcoa (its own outstanding HI is replaced). */
bool cp_hi_room(struct gw_ctrl *c, const uint8_t pcoa[16]);
/* Send the HI for the accepted FBU (info; key record kr; [ap.*] section ap; old: its path)
 * and arm its retransmission; replaces pcoa's outstanding HI. */
void cp_hi_start(struct gw_ctrl *c, const struct hk_fbu_info *info, const struct keytab_rec *kr,
		 unsigned ap, const uint8_t tun_src[16], const struct cp_path *old,
		 const uint8_t *mn_lla);
/* Forget pcoa's outstanding HI (a teardown, or an FBU that needs none). */
void cp_hi_cancel(struct gw_ctrl *c, const uint8_t pcoa[16]);
void cp_hi_free_all(struct gw_ctrl *c);
/* handover.c: the tunnel path of an outstanding HI's binding toward exit. */
void cp_hi_tunnel_path(const struct cp_hi_entry *e, const uint8_t exit[16], struct cp_path *p);

#endif /* FMIPGW_CP_HANDOVER_H */
