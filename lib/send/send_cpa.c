/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3971 §6.4: Certification Path Solicitation and Advertisement, both sides (PROTOCOL.md
 * 2.6); the paths themselves are verified by send_cert.c. */
#include "send.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };

static void solicited_node(const uint8_t a[16], uint8_t out[16])
{
	static const uint8_t pfx[13] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
	memcpy(out, pfx, 13);
	memcpy(out + 13, a + 13, 3);
}

static bool is_unspecified(const uint8_t a[16])
{
	static const uint8_t z[16];
	return memcmp(a, z, 16) == 0;
}

static int put_name(struct wire_buf *w, const X509_NAME *n)
{
	unsigned char *der = NULL;
	int len = i2d_X509_NAME(n, &der);

	if (len <= 0)
		return SEND_R_INTERNAL;
	wire_put_opt_trust_anchor(w, 1, der, (size_t)len); /* Name Type 1: DER X.501 */
	OPENSSL_free(der);
	return SEND_R_OK;
}

int send_cps_build(struct wire_buf *w, const uint8_t src[16], const uint8_t dst[16],
		   uint16_t identifier, uint16_t component, const struct send_trust *t)
{
	size_t ip = wire_build_ip6(w, src, dst, WIRE_NH_ICMPV6, 255);
	size_t icmp = wire_build_cps(w, identifier, component);

	for (unsigned i = 0; t != NULL && i < send_trust_count(t); i++)
		if (put_name(w, X509_get_subject_name(send_trust_get(t, i))) != SEND_R_OK)
			return SEND_R_INTERNAL;
	if (w->err != WIRE_OK || wire_ip6_finish(w, ip) != WIRE_OK ||
	    wire_icmp6_finish(w, ip, icmp) != WIRE_OK)
		return SEND_R_NOSPACE;
	return SEND_R_OK;
}

/* Does a Trust Anchor option (Name Type 1) name this certificate's subject? */
static bool ta_names(const struct wire_opt_trust_anchor *ta, const X509_NAME *subject)
{
	const unsigned char *p = ta->name;
	X509_NAME *n;
	bool eq;

	if (ta->name_type != 1)
		return false; /* FQDN names (type 2) are not supported (MAY) */
	if ((n = d2i_X509_NAME(NULL, &p, (long)ta->name_len)) == NULL) {
		ERR_clear_error();
		return false;
	}
	eq = X509_NAME_cmp(n, subject) == 0;
	X509_NAME_free(n);
	return eq;
}

/* What a solicitation asks for (§6.4.1, §6.4.5): the component (0xffff: every one), the Trust
 * Anchor options it carries (at most SEND_MAX_PATH kept) and those naming our anchor. */
struct cps_req {
	struct wire_ndopt tas[SEND_MAX_PATH];
	const struct wire_ndopt *echo[SEND_MAX_PATH];
	unsigned n_ta, n_echo, want;
	bool any_ta, matched;
	uint16_t identifier;
};

/* Validity checks on the solicitation (§6.4.1, §6.4.5) and what it asks for, into q. */
static int cps_parse(const uint8_t *icmp, size_t icmp_len, const X509_NAME *anchor,
		     struct cps_req *q)
{
	struct wire_icmp6 m = { icmp, icmp_len, 0, 0, 0 };
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	struct wire_cps cps;
	int r;

	if (icmp_len < 8)
		return SEND_R_MALFORMED;
	m.type = icmp[0];
	m.code = icmp[1];
	if (m.code != 0 || wire_cps_decode(&m, &cps) != WIRE_OK || cps.identifier == 0)
		return SEND_R_MALFORMED;
	q->want = cps.component;
	if (wire_ndopt_iter_init(&it, &m, cps.opts_off) != WIRE_OK)
		return SEND_R_MALFORMED;
	while ((r = wire_ndopt_next(&it, &o)) == 1) {
		struct wire_opt_trust_anchor ta;
		if (o.type != WIRE_ND_TRUST_ANCHOR)
			continue; /* unrecognised options are ignored */
		if (wire_opt_trust_anchor_decode(&o, &ta) != WIRE_OK)
			return SEND_R_MALFORMED;
		bool stored = q->n_ta < SEND_MAX_PATH; /* echo at most SEND_MAX_PATH */

		q->any_ta = true;
		if (stored)
			q->tas[q->n_ta++] = o;
		if (anchor != NULL && ta_names(&ta, anchor)) {
			q->matched = true;
			if (stored && q->n_echo < SEND_MAX_PATH)
				q->echo[q->n_echo++] = &q->tas[q->n_ta - 1];
		}
	}
	if (r != 0)
		return SEND_R_MALFORMED;
	q->identifier = cps.identifier;
	return SEND_R_OK;
}

/* Destination and rate (MAX_CPA_RATE per second; over it, all-nodes) into out. */
static int cpa_dest(struct send_cpa_server *s, const uint8_t *cps_src, uint64_t now,
		    struct send_cpa_out *out)
{
	const uint64_t second = 1u << 16;
	bool allnodes;

	if (now - s->win_start >= second) {
		s->win_start = now;
		s->win_count = 0;
	}
	allnodes = cps_src == NULL || is_unspecified(cps_src);
	if (s->win_count < SEND_MAX_CPA_RATE) {
		s->win_count++;
	} else {
		if (s->sent_allnodes && now - s->last_allnodes < second)
			return SEND_R_RATE_LIMITED;
		allnodes = true;
	}
	if (allnodes) {
		memcpy(out->dst, all_nodes, 16);
		out->identifier = 0; /* §6.4.2: zero for all-nodes */
		s->sent_allnodes = true;
		s->last_allnodes = now;
	} else {
		solicited_node(cps_src, out->dst);
	}
	return SEND_R_OK;
}

/* One CPA per component asked for (every one: q->want 0xffff), into out->pkt. */
static int cpa_build(const struct send_cpa_server *s, const uint8_t *cps_src,
		     const X509_NAME *anchor, const struct cps_req *q, X509 *const path[],
		     unsigned n_path, struct send_cpa_out *out)
{
	unsigned all = n_path ? n_path : 1;

	for (unsigned k = 0; k < all; k++) {
		unsigned comp = all - 1 - k;
		if (q->want != 0xffff && q->want != comp)
			continue;
		struct wire_buf w = wire_buf_make(out->pkt[out->n], sizeof(out->pkt[0]));
		size_t ip = wire_build_ip6(&w, s->src, out->dst, WIRE_NH_ICMPV6, 255);
		size_t ic = wire_build_cpa(&w, out->identifier, (uint16_t)all, (uint16_t)comp);

		if (k == 0) { /* Trust Anchor options only in the first component */
			if (cps_src == NULL && anchor != NULL && out->path_found) {
				if (put_name(&w, anchor) != SEND_R_OK)
					return SEND_R_INTERNAL;
			}
			for (unsigned i = 0; i < q->n_echo; i++)
				wire_put_bytes(&w, q->echo[i]->p, q->echo[i]->len);
		}
		if (n_path) {
			unsigned char *der = NULL;
			int len = i2d_X509(path[k], &der);
			if (len <= 0)
				return SEND_R_INTERNAL;
			wire_put_opt_cert(&w, 1, der, (size_t)len); /* Cert Type 1: X.509v3 */
			OPENSSL_free(der);
		}
		if (w.err != WIRE_OK || wire_ip6_finish(&w, ip) != WIRE_OK ||
		    wire_icmp6_finish(&w, ip, ic) != WIRE_OK)
			return SEND_R_NOSPACE;
		out->len[out->n++] = w.len;
	}
	return SEND_R_OK;
}

int send_cpa_answer(struct send_cpa_server *s, const uint8_t *cps_src, const uint8_t *icmp,
		    size_t icmp_len, uint64_t now, struct send_cpa_out *out)
{
	struct cps_req q = { .want = 0xffff };
	X509 *path[SEND_MAX_PATH];
	unsigned n_path = 0;
	const X509_NAME *anchor = s->anchor ? X509_get_subject_name(s->anchor) : NULL;
	int r;

	memset(out, 0, offsetof(struct send_cpa_out, pkt));
	if (cps_src != NULL) {
		if ((r = cps_parse(icmp, icmp_len, anchor, &q)) != SEND_R_OK)
			return r;
		out->identifier = q.identifier;
	}
	bool path_found = s->creds->cert != NULL && (!q.any_ta || q.matched);
	if (!path_found) /* §6.4.5: no certificates, echo the solicited anchors */
		for (q.n_echo = 0; q.n_echo < q.n_ta; q.n_echo++)
			q.echo[q.n_echo] = &q.tas[q.n_echo];
	if ((r = cpa_dest(s, cps_src, now, out)) != SEND_R_OK)
		return r;

	/* The path, trust-anchor end first, the router's own certificate last (§6.4.2). */
	if (path_found) {
		int n = s->creds->chain ? sk_X509_num(s->creds->chain) : 0;
		if (n + 1 > SEND_MAX_PATH)
			return SEND_R_NOSPACE;
		for (int i = n - 1; i >= 0; i--)
			path[n_path++] = sk_X509_value(s->creds->chain, i);
		path[n_path++] = s->creds->cert;
	}
	out->path_found = path_found;
	return cpa_build(s, cps_src, anchor, &q, path, n_path, out);
}

void send_cpa_client_init(struct send_cpa_client *c, const struct send_trust *t,
			  uint16_t identifier)
{
	memset(c, 0, sizeof(*c));
	c->trust = t;
	c->identifier = identifier;
}

static void client_clear_parts(struct send_cpa_client *c)
{
	for (unsigned i = 0; i < SEND_MAX_PATH; i++) {
		X509_free(c->certs[i]);
		c->certs[i] = NULL;
	}
	c->all = 0;
}

void send_cpa_client_reset(struct send_cpa_client *c)
{
	client_clear_parts(c);
	X509_free(c->router);
	sk_X509_pop_free(c->path, X509_free);
	c->router = NULL;
	c->path = NULL;
}

int send_cpa_process(struct send_cpa_client *c, const uint8_t *icmp, size_t icmp_len,
		     const struct send_prefix *served, unsigned n_served)
{
	struct wire_icmp6 m = { icmp, icmp_len, 0, 0, 0 };
	struct wire_ndopt_iter it;
	struct wire_ndopt o;
	struct wire_cpa cpa;
	X509 *cert = NULL;
	int r;

	if (icmp_len < 12)
		return SEND_R_MALFORMED;
	m.type = icmp[0];
	m.code = icmp[1];
	if (m.code != 0 || wire_cpa_decode(&m, &cpa) != WIRE_OK)
		return SEND_R_MALFORMED;
	/* Identifier: ours, or 0 (an all-nodes advertisement anyone may use). */
	if (cpa.identifier != 0 && cpa.identifier != c->identifier)
		return SEND_R_NOT_FOR_US;
	if (cpa.all_components == 0 || cpa.all_components > SEND_MAX_PATH ||
	    cpa.component >= cpa.all_components)
		return SEND_R_MALFORMED;
	if (wire_ndopt_iter_init(&it, &m, cpa.opts_off) != WIRE_OK)
		return SEND_R_MALFORMED;
	while ((r = wire_ndopt_next(&it, &o)) == 1) {
		struct wire_opt_cert oc;
		if (o.type != WIRE_ND_CERTIFICATE || cert != NULL)
			continue;
		if (wire_opt_cert_decode(&o, &oc) != WIRE_OK || oc.cert_type != 1)
			return SEND_R_MALFORMED;
		const unsigned char *p = oc.cert;
		if ((cert = d2i_X509(NULL, &p, (long)oc.cert_len)) == NULL) {
			ERR_clear_error();
			return SEND_R_CERT_PARSE;
		}
	}
	if (r != 0) {
		X509_free(cert);
		return SEND_R_MALFORMED;
	}
	if (cert == NULL) /* the router has no path to our anchors */
		return SEND_R_CERT_UNTRUSTED;
	if (c->all != cpa.all_components) { /* a different answer: start over */
		client_clear_parts(c);
		c->all = cpa.all_components;
	}
	X509_free(c->certs[cpa.component]);
	c->certs[cpa.component] = cert;
	for (unsigned i = 0; i < c->all; i++)
		if (c->certs[i] == NULL)
			return SEND_R_INCOMPLETE;

	/* Component 0 is the router's certificate; 1..N-1 lead to the anchor. */
	STACK_OF(X509) *chain = sk_X509_new_null();
	if (chain == NULL)
		return SEND_R_INTERNAL;
	for (unsigned i = 1; i < c->all; i++) {
		if (!X509_up_ref(c->certs[i]) || !sk_X509_push(chain, c->certs[i])) {
			sk_X509_pop_free(chain, X509_free);
			return SEND_R_INTERNAL;
		}
	}
	r = send_path_verify(c->trust, c->certs[0], chain, served, n_served);
	if (r != SEND_R_OK) {
		sk_X509_pop_free(chain, X509_free);
		client_clear_parts(c);
		return r;
	}
	X509_free(c->router);
	sk_X509_pop_free(c->path, X509_free);
	c->router = c->certs[0];
	c->certs[0] = NULL;
	c->path = chain;
	client_clear_parts(c);
	return SEND_R_OK;
}

static bool is_link_local(const uint8_t a[16])
{
	return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

int send_cpa_answer_frame(struct send_cpa_server *s, const struct wire_frame *f, uint64_t now,
			  struct send_cpa_out *out)
{
	if (f->msg != WIRE_MSG_CPS || f->err != WIRE_OK)
		return SEND_R_MALFORMED;
	if (f->ip.hlim != 255)
		return SEND_R_HOP_LIMIT;
	if (!is_link_local(f->ip.src) && !is_unspecified(f->ip.src))
		return SEND_R_MALFORMED;
	return send_cpa_answer(s, f->ip.src, f->icmp.p, f->icmp.len, now, out);
}

int send_cpa_process_frame(struct send_cpa_client *c, const struct wire_frame *f,
			   const struct send_prefix *served, unsigned n_served)
{
	if (f->msg != WIRE_MSG_CPA || f->err != WIRE_OK)
		return SEND_R_MALFORMED;
	if (f->ip.hlim != 255)
		return SEND_R_HOP_LIMIT;
	if (!is_link_local(f->ip.src))
		return SEND_R_MALFORMED;
	return send_cpa_process(c, f->icmp.p, f->icmp.len, served, n_served);
}
