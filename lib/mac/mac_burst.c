/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/mac — the per-packet burst: jobs built one at a time (mac_burst_add, issue 14) or from
 * mac_job arrays (mac_verify_burst, mac_generate_burst), one ipsec-mb submission per
 * algorithm present in the burst, and the word-wise constant-time compare.
 */
#include <string.h>

#include <intel-ipsec-mb.h>

#include "mac.h"
#include "mac_priv.h"

/* ------------------------------------------------------------------------------------------ */
/* Constant-time compare                                                                       */
/* ------------------------------------------------------------------------------------------ */

static inline uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/*
 * Word-wise: 8-octet XORs ORed together (the last word overlaps the one before it when n is
 * not a multiple of 8), 4/2/1-octet pieces only below 8 octets.  No byte loop, no branch on
 * the data, no early exit: only n (public) decides which loads run.
 */
int mac_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint64_t d = 0;

	if (n >= 8) {
		size_t i = 0;
		for (; i + 8 <= n; i += 8)
			d |= ld64(a + i) ^ ld64(b + i);
		if (i < n)
			d |= ld64(a + n - 8) ^ ld64(b + n - 8);
	} else {
		size_t i = 0;
		if (n & 4) {
			uint32_t x, y;
			memcpy(&x, a, 4);
			memcpy(&y, b, 4);
			d |= x ^ y;
			i = 4;
		}
		if (n & 2) {
			uint16_t x, y;
			memcpy(&x, a + i, 2);
			memcpy(&y, b + i, 2);
			d |= (uint16_t)(x ^ y);
			i += 2;
		}
		if (n & 1)
			d |= (uint8_t)(a[i] ^ b[i]);
	}
	/* keep the compiler from turning the accumulation into an early exit */
	__asm__("" : "+r"(d));
	return (int)(1 ^ ((d | (0 - d)) >> 63));
}

/* ------------------------------------------------------------------------------------------ */
/* Building the burst                                                                          */
/* ------------------------------------------------------------------------------------------ */

void mac_burst_begin(struct mac_ctx *c)
{
	c->nb = 0;
	c->scratch_off = 0;
	c->bad = 0;
	for (int alg = 0; alg < MAC_ALG__COUNT; alg++)
		c->nalg[alg] = 0;
}

/*
 * Take the next slot for a job over the contiguous input [in, in + len) with states k and
 * algorithm alg, checked against want octets of tag (verify) or written to out (generate).
 * valid == false: the slot exists and never verifies.  -1: the burst is full.
 */
static inline int burst_add(struct mac_ctx *c, const struct mac_key *k, unsigned alg, unsigned want,
			    const uint8_t *in, uint32_t len, const uint8_t *tag, uint8_t *out,
			    bool valid)
{
	unsigned slot = c->nb, q;
	IMB_JOB *ij;

	if (slot >= MAC_BURST_MAX)
		return -1;
	c->nb = slot + 1;
	if (!valid) {
		c->bad |= 1ull << slot;
		c->ojobs[slot].key = NULL;
		return (int)slot;
	}
	c->slot_tag[slot] = tag;
	c->slot_tag_len[slot] = (uint8_t)want;
	if (c->backend == MAC_BACKEND_OPENSSL) {
		c->oseg[slot][0] = (struct wire_seg){ in, len };
		c->ojobs[slot] = (struct mac_job){ .key = k,
						   .seg = c->oseg[slot],
						   .nseg = 1,
						   .len = len,
						   .tag = tag,
						   .tag_len = want,
						   .out = out };
		return (int)slot;
	}
	q = c->nalg[alg]++;
	ij = &c->jobs[alg][q];
	ij->src = in;
	ij->msg_len_to_hash_in_bytes = len;
	ij->auth_tag_output = c->digest[slot];
	ij->u.HMAC._hashed_auth_key_xor_ipad = k->ipad;
	ij->u.HMAC._hashed_auth_key_xor_opad = k->opad;
	ij->status = IMB_STATUS_BEING_PROCESSED;
	c->idx[alg][q] = (uint8_t)slot;
	return (int)slot;
}

int mac_burst_add(struct mac_ctx *c, const struct mac_key *k, uint8_t at, const uint8_t *in,
		  uint32_t len, const uint8_t *tag, uint32_t tag_len)
{
	unsigned alg = at < MAC_AT_MAX ? c->at_alg[at] : MAC_ALG_NONE;
	unsigned want = at < MAC_AT_MAX ? c->at_tag[at] : 0;
	bool valid = k != NULL && alg != MAC_ALG_NONE && in != NULL && tag != NULL &&
		     tag_len == want && len <= MAC_INPUT_MAX; /* A3: the key's length */

	return burst_add(c, k, alg, want, in, len, tag, NULL, valid);
}

/* Copy segments into the scratch arena; NULL if they do not add up to len or do not fit. */
static const uint8_t *gather(struct mac_ctx *c, const struct wire_seg *seg, uint32_t nseg,
			     uint32_t len)
{
	uint8_t *dst = c->scratch + c->scratch_off;
	uint32_t got = 0;

	if (nseg == 1 && seg[0].len == len)
		return seg[0].p; /* already contiguous: hash in place */
	if (len > MAC_INPUT_MAX || c->scratch_off + len > sizeof(c->scratch))
		return NULL;
	for (uint32_t s = 0; s < nseg; s++) {
		uint32_t l = seg[s].len;
		if (l > len - got)
			return NULL;
		memcpy(dst + got, seg[s].p, l);
		got += l;
	}
	if (got != len)
		return NULL;
	c->scratch_off += (len + 63u) & ~63u;
	return dst;
}

int mac_burst_add_segs(struct mac_ctx *c, const struct mac_key *k, uint8_t at,
		       const struct wire_mac_input *in)
{
	unsigned alg = at < MAC_AT_MAX ? c->at_alg[at] : MAC_ALG_NONE;
	unsigned want = at < MAC_AT_MAX ? c->at_tag[at] : 0;
	bool valid = k != NULL && alg != MAC_ALG_NONE && in->auth != NULL && in->auth_len == want &&
		     in->n <= WIRE_MAC_SEGS;
	const uint8_t *src = NULL;
	int slot;

	if (valid && c->backend == MAC_BACKEND_OPENSSL) {
		/* OpenSSL hashes the segments (or its own copy): keep them for the run */
		slot = burst_add(c, k, alg, want, NULL, in->total, in->auth, NULL, true);
		if (slot >= 0) {
			memcpy(c->oseg[slot], in->seg, in->n * sizeof(in->seg[0]));
			c->ojobs[slot].nseg = in->n;
		}
		return slot;
	}
	if (valid)
		src = gather(c, in->seg, in->n, in->total);
	return burst_add(c, k, alg, want, src, in->total, in->auth, NULL, src != NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Running the burst                                                                           */
/* ------------------------------------------------------------------------------------------ */

/* ipsec-mb: one submission per algorithm present; bit s set iff slot s was hashed (and, for
 * verify, its tag matched). */
static uint64_t imb_run(struct mac_ctx *c, int verify)
{
	uint64_t res = 0;

	for (int alg = MAC_ALG_HMAC_SHA1; alg < MAC_ALG__COUNT; alg++) {
		unsigned k = c->nalg[alg];
		IMB_JOB *jobs = c->jobs[alg];

		if (k == 0)
			continue;
		imb_burst(c->mgr[alg], jobs, k, (enum mac_alg)alg);
		/* only jobs ipsec-mb reports as hashed count: a digest slot left from an earlier
		 * burst must never be compared */
		for (unsigned q = 0; q < k; q++) {
			unsigned s = c->idx[alg][q];
			uint64_t hashed = (jobs[q].status & IMB_STATUS_COMPLETED_AUTH) != 0;
			if (verify)
				hashed &= (uint64_t)mac_ct_equal(c->digest[s], c->slot_tag[s],
								 c->slot_tag_len[s]);
			res |= hashed << s;
		}
	}
	return res;
}

/* OpenSSL: the same result from mac_ossl_run() over the slots' jobs. */
static uint64_t ossl_run(struct mac_ctx *c, int verify)
{
	uint64_t done = mac_ossl_run(c, c->ojobs, c->nb, verify), res = 0;

	for (unsigned s = 0; s < c->nb; s++)
		if (done & (1ull << s))
			res |= (uint64_t)(!verify || mac_ct_equal(c->digest[s], c->slot_tag[s],
								  c->slot_tag_len[s]))
			       << s;
	return res;
}

uint64_t mac_burst_verify(struct mac_ctx *c)
{
	uint64_t ok = c->backend == MAC_BACKEND_OPENSSL ? ossl_run(c, 1) : imb_run(c, 1);

	ok &= ~c->bad;
	mac_burst_begin(c);
	return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* mac_job arrays                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Is job j well formed for a check (verify) or a computation (generate)? */
static inline bool job_ok(const struct mac_job *j, int verify)
{
	if (j->key == NULL || j->key->alg == MAC_ALG_NONE || j->len > MAC_INPUT_MAX)
		return false;
	if (verify)
		return j->tag != NULL && j->tag_len == j->key->tag_len;
	return j->out != NULL;
}

/* Slots 0..n-1 for jobs 0..n-1; returns the run's mask. */
static uint64_t run_jobs(struct mac_ctx *c, const struct mac_job *jobs, unsigned n, int verify)
{
	if (n > MAC_BURST_MAX)
		n = MAC_BURST_MAX;
	mac_burst_begin(c);
	if (c->backend == MAC_BACKEND_OPENSSL) {
		/* the caller's jobs as they are (segmented or copied by mac_ossl_run) */
		uint64_t done = mac_ossl_run(c, jobs, n, verify), res = 0;
		for (unsigned i = 0; i < n; i++)
			if (done & (1ull << i))
				res |= (uint64_t)(!verify || mac_ct_equal(c->digest[i], jobs[i].tag,
									  jobs[i].key->tag_len))
				       << i;
		return res;
	}
	for (unsigned i = 0; i < n; i++) {
		const struct mac_job *j = &jobs[i];
		const uint8_t *src = job_ok(j, verify) ? gather(c, j->seg, j->nseg, j->len) : NULL;
		unsigned alg = src != NULL ? j->key->alg : MAC_ALG_NONE;
		burst_add(c, j->key, alg, src != NULL ? j->key->tag_len : 0, src, j->len, j->tag,
			  j->out, src != NULL);
	}
	return imb_run(c, verify) & ~c->bad;
}

unsigned mac_verify_burst(struct mac_ctx *c, const struct mac_job *jobs, unsigned n,
			  uint64_t *ok_mask)
{
	uint64_t ok = run_jobs(c, jobs, n, 1);

	mac_burst_begin(c);
	*ok_mask = ok;
	return (unsigned)__builtin_popcountll(ok);
}

unsigned mac_generate_burst(struct mac_ctx *c, const struct mac_job *jobs, unsigned n)
{
	uint64_t done = run_jobs(c, jobs, n, 0);
	unsigned w = 0;

	mac_burst_begin(c);
	for (unsigned i = 0; i < n && i < MAC_BURST_MAX; i++) {
		if (!(done & (1ull << i)))
			continue;
		memcpy(jobs[i].out, c->digest[i], jobs[i].key->tag_len);
		w++;
	}
	return w;
}
