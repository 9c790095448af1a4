/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The frames of the worker-level FBU test (fbu_worker_test.c): FBUs built with lib/wire and
 * sealed with an independent OpenSSL HMAC over wire_mac_input()'s octets (PROTOCOL.md 1.9),
 * the reference capture, and deterministic mutations of them (some re-sealed, so that mutated
 * frames reach the MAC and sequence checks with a live key).
 */
#ifndef FMIPGW_TESTS_FBU_FRAMES_H
#define FMIPGW_TESTS_FBU_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FR_MAX	  768 /* octets of one frame (the reference RtSolPr has 638) */
#define FR_FRAMES 4608

struct fr_key {
	uint8_t pcoa[16];
	uint8_t at;
	uint8_t key[32];
	uint8_t key_len;
	bool expired; /* installed with a lifetime over long ago (A13) */
	bool absent;  /* not installed */
};

struct fr_list {
	unsigned n;
	uint16_t len[FR_FRAMES];
	uint8_t p[FR_FRAMES][FR_MAX];
};

/* How one built FBU departs from a plain valid one from the PAR's link. */
struct fr_fbu {
	uint16_t seq;
	bool nar_link;	    /* no Alt-CoA, sent from the NCoA */
	bool mh_lla;	    /* an MH-LLA option too: not the fast shape (full decode) */
	int vlan;	    /* 802.1Q tag, or -1 */
	bool forged;	    /* authenticator of another key */
	uint32_t spi;	    /* BADF SPI (the MAC covers it) */
	const uint8_t *dst; /* NULL: the PAR address */
	unsigned trailer;   /* link-layer octets after the IPv6 packet */
};

extern const uint8_t fr_par[16];

/* Append one sealed FBU of MN k (Ethernet). */
void fr_add_fbu(struct fr_list *l, const struct fr_key *k, const struct fr_fbu *s);
/* Append the frames of a pcap file; their number, -1 if unreadable. */
int fr_add_pcap(struct fr_list *l, const char *file);
void fr_add(struct fr_list *l, const uint8_t *p, size_t len);
/* Seal frame p again with the key of its Home Address among keys (MAC and MH checksum), when
 * it still decodes far enough (an FBU with a BADF in the A3 form); true if it did. */
bool fr_reseal(uint8_t *p, size_t len, const struct fr_key *keys, unsigned n_keys);
/* Append n mutants of the frames of seeds (flips, interesting octets, truncation, trailing
 * octets, a reversed tail), every second one re-sealed; seed is the PRNG's state. */
void fr_mutate(struct fr_list *out, const struct fr_list *seeds, unsigned n, uint64_t seed,
	       const struct fr_key *keys, unsigned n_keys);

#endif
