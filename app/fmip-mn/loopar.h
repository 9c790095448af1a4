/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn in-process router: lib/hk's AR role answering the simulator's own frames, for
 * offline mode (the nodes get their keys without a gateway; the keys go to the key-export
 * file) and for the tests (a whole handover without DPDK: RtSolPr -> PrRtAdv, FBU -> MAC,
 * sequence and hk_fbu_check -> FBack from hk_fback_build).  Its router identity is made at
 * start (RSA, a link-local CGA, a self-signed certificate that only lends its key: the
 * simulator's path cache is seeded with it, so there is no CPS).
 */
#ifndef FMIP_MN_LOOPAR_H
#define FMIP_MN_LOOPAR_H

#include "mn.h"

struct mn_loopar {
	const struct mn_world *w;
	struct send_cfg send;
	struct mac_engine *eng;
	struct mac_ctx *mctx;
	struct send_creds creds;
	X509 *cert;
	struct hk_ar_cfg cfg;
	struct hk_ar_state st;
	struct hk_fbu_policy pol;
	uint8_t lla[6];
	struct hk_key *keys; /* by node id */
	uint16_t *last_seq;
	bool *have, *seq_set;
	struct hk_ar_out out;
	/* answers, in order */
	uint8_t *q;
	size_t *qlen;
	unsigned q_head, q_n, q_cap;
	/* what it did */
	unsigned served, keys_made, fbu_ok, fbu_bad_mac, fbu_no_key, fbu_stale, fbu_check_failed;
};

int mn_loopar_init(struct mn_loopar *a, const struct mn_world *w, uint16_t hk_lifetime, char *err,
		   size_t len);
void mn_loopar_free(struct mn_loopar *a);
/* A frame the simulator sent (Ethernet); answers are queued. */
void mn_loopar_input(struct mn_loopar *a, const uint8_t *frame, size_t len, uint64_t now48);
/* The next queued answer (an Ethernet frame): its length, 0 when there is none. */
size_t mn_loopar_pop(struct mn_loopar *a, uint8_t *out, size_t cap);
/* The router's link-local address (the PrRtAdv source: what the nodes' keys are named by). */
const uint8_t *mn_loopar_addr(const struct mn_loopar *a);
/* Write every key it made to a key-export file: the number written, or -1 with err. */
int mn_loopar_export(const struct mn_loopar *a, const char *path, uint64_t now48, char *err,
		     size_t len);

#endif /* FMIP_MN_LOOPAR_H */
