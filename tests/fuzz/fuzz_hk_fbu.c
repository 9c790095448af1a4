/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: hk_fbu_check() (RFC 5568 §6.2.2, A2, A4, A21, A23) on arbitrary
 * decoded frames, and the FBack the PAR builds from what it accepted (hk_fback_build, A20).
 * Input: one flags octet, two octets (a last sequence number, unused since A14 is the
 * caller's: app/fmipgw/dp/fbu.h), then the frame.
 *
 *   bit 0  the frame is Ethernet (else raw IPv6)      bit 1  checksum not fixed
 *   bits 2-3  key CGA: 0 none, 1 the Home Address, 2 mn1's CGA (the vectors' PCoA), 3 ::
 *   bit 4  (unused: A14 is the caller's, wire_mh_seq_newer)   bit 5  A4 4-second units
 *   bit 6  FBack status 1 (NCoA supplied) else 0       bit 7  AT 1 key (else AT 0)
 *
 * Oracles besides ASan/UBSan: an accepted FBU decoded as one, its PCoA is the Home Address
 * (and the key's CGA when given), its NCoA the Alternate CoA else the source, its PAR the
 * destination, its sequence the FBU's, its lifetime within the policy; the FBack
 * built from it decodes as an FBack from the PAR to the NCoA with the same sequence, a
 * lifetime not above the one granted, and a BADF that verifies with the key (lib/mac).
 */
#include <string.h>

#include "fuzz.h"
#include "fz.h"
#include "hk.h"
#include "mac.h"

static struct {
	struct mac_engine *eng;
	struct mac_ctx *ctx;
	struct mac_key key[2];
} m;

static void init(void)
{
	struct mac_cfg cfg;
	static const uint8_t k[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	mac_cfg_defaults(&cfg);
	cfg.backend = MAC_BACKEND_OPENSSL;
	if (mac_engine_create(&cfg, &m.eng) != 0 || (m.ctx = mac_ctx_create(m.eng)) == NULL ||
	    mac_key_init(m.eng, &m.key[0], 0, k, 20) != 0 ||
	    mac_key_init(m.eng, &m.key[1], 1, k, 32) != 0)
		abort();
}

static void fback(const struct hk_fbu_policy *p, const struct hk_fbu_info *info, unsigned flags)
{
	static const uint8_t assigned[16] = { 0x20, 0x03, [7] = 9, [15] = 9 };
	const struct mac_key *key = &m.key[flags >> 7];
	uint8_t status = flags & 0x40 ? 1 : 0, pkt[512];
	struct wire_frame f;
	struct wire_mac_input in;
	struct mac_job job;
	uint64_t ok = 0;
	size_t len = 0;

	if (hk_fback_build(m.ctx, key, p, info, status, assigned, pkt, sizeof(pkt), &len) !=
	    HK_R_OK)
		abort();
	if (wire_decode_frame(pkt, len, WIRE_LINK_RAW6, &f) != WIRE_OK || f.msg != WIRE_MSG_FBACK ||
	    memcmp(f.ip.src, info->par, 16) != 0 || memcmp(f.ip.dst, info->ncoa, 16) != 0 ||
	    f.mh.u.fback.seq != info->seq || f.mh.u.fback.status != status ||
	    (uint32_t)f.mh.u.fback.lifetime * (p->lifetime_4s ? 4 : 1) > info->lifetime)
		abort();
	if (status == 1 && (f.mh.altcoa == NULL || memcmp(f.mh.altcoa, assigned, 16) != 0))
		abort();
	if (wire_mac_input(&f.ip, &f.mh, &in) != WIRE_OK)
		abort();
	mac_job_from_input(&job, key, &in);
	if (mac_verify_burst(m.ctx, &job, 1, &ok) != 1 || ok != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hk_fbu_policy p;
	struct hk_fbu_info info;
	struct wire_frame f;
	unsigned flags;
	uint16_t last;
	static const uint8_t zero[16];
	const uint8_t *key_cga;

	if (size < 3 || size > FZ_MAX_IN)
		return 0;
	if (m.eng == NULL)
		init();
	flags = data[0];
	last = wire_be16(data + 1);
	(void)last;
	uint8_t *pkt = fz_dup(data + 3, size - 3);
	size_t len = size - 3;
	enum wire_link link = flags & 1 ? WIRE_LINK_ETH : WIRE_LINK_RAW6;

	if (!(flags & 2))
		fz_fix_csum(pkt, len, link);
	(void)wire_decode_frame(pkt, len, link, &f);
	switch ((flags >> 2) & 3) {
	case 1:
		key_cga = f.ip.hao;
		break;
	case 2:
		key_cga = fz_mn1_addr;
		break;
	case 3:
		key_cga = zero;
		break;
	default:
		key_cga = NULL;
	}
	hk_fbu_policy_defaults(&p);
	p.lifetime_4s = flags & 0x20;
	int r = hk_fbu_check(&p, &f, key_cga, &info);
	if (r < 0 || r >= HK_R__COUNT)
		abort();
	if (r == HK_R_OK) {
		if (f.msg != WIRE_MSG_FBU || f.err != WIRE_OK || f.ip.hao == NULL ||
		    memcmp(info.pcoa, f.ip.hao, 16) != 0 ||
		    (key_cga && memcmp(info.pcoa, key_cga, 16) != 0) ||
		    memcmp(info.ncoa, f.mh.altcoa ? f.mh.altcoa : f.ip.src, 16) != 0 ||
		    memcmp(info.par, f.ip.dst, 16) != 0 || info.lifetime > p.max_lifetime ||
		    info.seq != f.mh.u.fbu.seq)
			abort();
		fback(&p, &info, flags);
	}
	free(pkt);
	return 0;
}
