/* SPDX-License-Identifier: BSD-3-Clause */
/* RFC 3971 §6: certification paths with RFC 3779 blocks, CPS and CPA (PROTOCOL.md 2.5, 2.6). */
#include "send.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

struct send_trust {
	X509_STORE *store;
	STACK_OF(X509) * anchors;
	time_t at;
};

struct send_trust *send_trust_new(void)
{
	struct send_trust *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->store = X509_STORE_new();
	t->anchors = sk_X509_new_null();
	if (t->store == NULL || t->anchors == NULL) {
		send_trust_free(t);
		return NULL;
	}
	return t;
}

int send_trust_add(struct send_trust *t, X509 *anchor)
{
	if (!X509_STORE_add_cert(t->store, anchor))
		return SEND_R_INTERNAL;
	if (!X509_up_ref(anchor))
		return SEND_R_INTERNAL;
	if (!sk_X509_push(t->anchors, anchor)) {
		X509_free(anchor);
		return SEND_R_INTERNAL;
	}
	return SEND_R_OK;
}

struct send_trust *send_trust_load(const char *pem_file, char *errbuf, size_t errlen)
{
	struct send_trust *t;
	BIO *b = BIO_new_file(pem_file, "r");
	X509 *x;

	if (b == NULL) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: cannot open", pem_file);
		return NULL;
	}
	if ((t = send_trust_new()) == NULL) {
		BIO_free(b);
		return NULL;
	}
	while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL) {
		int r = send_trust_add(t, x);
		X509_free(x);
		if (r != SEND_R_OK)
			break;
	}
	BIO_free(b);
	ERR_clear_error();
	if (sk_X509_num(t->anchors) == 0) {
		if (errbuf && errlen)
			snprintf(errbuf, errlen, "%s: no certificate", pem_file);
		send_trust_free(t);
		return NULL;
	}
	return t;
}

void send_trust_free(struct send_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	sk_X509_pop_free(t->anchors, X509_free);
	free(t);
}

unsigned send_trust_count(const struct send_trust *t)
{
	return (unsigned)sk_X509_num(t->anchors);
}

X509 *send_trust_get(const struct send_trust *t, unsigned i)
{
	return sk_X509_value(t->anchors, (int)i);
}

void send_trust_set_time(struct send_trust *t, time_t at)
{
	t->at = at;
}

/* ------------------------------------------------------------------------------------------ */
/* RFC 3779 blocks                                                                             */
/* ------------------------------------------------------------------------------------------ */

static IPAddrBlocks *cert_blocks(X509 *x)
{
	return X509_get_ext_d2i(x, NID_sbgp_ipAddrBlock, NULL, NULL);
}

static void blocks_free(IPAddrBlocks *b)
{
	sk_IPAddressFamily_pop_free(b, IPAddressFamily_free);
}

/* RFC 3971 §6.3: at least one IPv6 addressesOrRanges element. */
static bool has_ipv6_blocks(IPAddrBlocks *b)
{
	for (int i = 0; b != NULL && i < sk_IPAddressFamily_num(b); i++) {
		IPAddressFamily *f = sk_IPAddressFamily_value(b, i);
		if (X509v3_addr_get_afi(f) == IANA_AFI_IPV6 && f->ipAddressChoice != NULL &&
		    f->ipAddressChoice->type == IPAddressChoice_addressesOrRanges &&
		    sk_IPAddressOrRange_num(f->ipAddressChoice->u.addressesOrRanges) > 0)
			return true;
	}
	return false;
}

/* One prefix inside one IPv6 family of the certificate (whatever its SAFI). */
static bool family_covers(IPAddressFamily *f, const uint8_t a[16], unsigned len)
{
	IPAddrBlocks *want = sk_IPAddressFamily_new_null(), *have = sk_IPAddressFamily_new_null();
	unsigned safi = 0;
	bool has_safi = f->addressFamily->length == 3, ok = false;

	if (want == NULL || have == NULL)
		goto out;
	if (has_safi)
		safi = f->addressFamily->data[2];
	if (!X509v3_addr_add_prefix(want, IANA_AFI_IPV6, has_safi ? &safi : NULL,
				    (unsigned char *)a, (int)len) ||
	    !X509v3_addr_canonize(want))
		goto out;
	/* a one-family view of the certificate's blocks, for X509v3_addr_subset */
	if (!sk_IPAddressFamily_push(have, f))
		goto out;
	ok = X509v3_addr_subset(want, have) == 1;
	(void)sk_IPAddressFamily_pop(have); /* f belongs to the certificate's blocks */
out:
	blocks_free(want);
	sk_IPAddressFamily_free(have);
	return ok;
}

bool send_cert_covers(X509 *cert, const struct send_prefix *served, unsigned n_served)
{
	IPAddrBlocks *have = cert_blocks(cert);
	bool ok = have != NULL;

	for (unsigned i = 0; ok && i < n_served; i++) {
		uint8_t a[16];
		bool covered = false;

		if (served[i].len > 128) {
			ok = false;
			break;
		}
		/* X509v3_addr_add_prefix wants the bits beyond the length clear. */
		memset(a, 0, sizeof(a));
		for (unsigned bit = 0; bit < served[i].len; bit++)
			if (served[i].addr[bit / 8] & (0x80 >> (bit % 8)))
				a[bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
		for (int k = 0; !covered && k < sk_IPAddressFamily_num(have); k++) {
			IPAddressFamily *f = sk_IPAddressFamily_value(have, k);
			if (X509v3_addr_get_afi(f) == IANA_AFI_IPV6)
				covered = family_covers(f, a, served[i].len);
		}
		ok = covered;
	}
	blocks_free(have);
	ERR_clear_error();
	return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* Path validation                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* MD2/MD4/MD5/SHA-1 signatures are refused outright (the sendd example chain is MD5). */
static bool weak_sig(X509 *x)
{
	int mdnid = NID_undef, pknid = NID_undef;

	if (!X509_get_signature_info(x, &mdnid, &pknid, NULL, NULL))
		return true;
	return mdnid == NID_md5 || mdnid == NID_md4 || mdnid == NID_md2 || mdnid == NID_sha1 ||
	       mdnid == NID_md5_sha1 || mdnid == NID_undef;
}

static int map_x509_err(int e)
{
	switch (e) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return SEND_R_CERT_EXPIRED;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return SEND_R_CERT_UNTRUSTED;
	case X509_V_ERR_CA_MD_TOO_WEAK:
	case X509_V_ERR_CA_KEY_TOO_SMALL:
	case X509_V_ERR_EE_KEY_TOO_SMALL:
		return SEND_R_CERT_WEAK;
	case X509_V_ERR_UNNESTED_RESOURCE:
		return SEND_R_CERT_RESOURCES;
	default:
		return SEND_R_CERT_INVALID;
	}
}

int send_path_verify(const struct send_trust *t, X509 *leaf, STACK_OF(X509) * chain,
		     const struct send_prefix *served, unsigned n_served)
{
	X509_STORE_CTX *ctx;
	X509_VERIFY_PARAM *p;
	IPAddrBlocks *b;
	int r;

	if (leaf == NULL)
		return SEND_R_CERT_PARSE;
	if (weak_sig(leaf))
		return SEND_R_CERT_WEAK;
	for (int i = 0; chain != NULL && i < sk_X509_num(chain); i++)
		if (weak_sig(sk_X509_value(chain, i)))
			return SEND_R_CERT_WEAK;
	/* RFC 3971 §6.3: hosts use RSA keys only, from the last certificate. */
	EVP_PKEY *pk = X509_get0_pubkey(leaf);
	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		return SEND_R_KEY;

	if ((ctx = X509_STORE_CTX_new()) == NULL)
		return SEND_R_INTERNAL;
	if (!X509_STORE_CTX_init(ctx, t->store, leaf, chain)) {
		X509_STORE_CTX_free(ctx);
		return SEND_R_INTERNAL;
	}
	p = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(p, X509_V_FLAG_X509_STRICT);
	X509_VERIFY_PARAM_set_auth_level(p, 1); /* RSA >= 1024, no MD5 (security level 1) */
	if (t->at != 0)
		X509_VERIFY_PARAM_set_time(p, t->at);
	/* X509_verify_cert runs RFC 3779 path validation (X509v3_addr_validate_path). */
	if (X509_verify_cert(ctx) == 1) {
		r = SEND_R_OK;
		/* trust anchors (and CAs) check nesting; the router must carry IPv6 blocks. */
		if (!has_ipv6_blocks(b = cert_blocks(leaf)))
			r = SEND_R_CERT_NO_IPADDR;
		else if (!send_cert_covers(leaf, served, n_served))
			r = SEND_R_CERT_PREFIX;
		blocks_free(b);
	} else {
		r = map_x509_err(X509_STORE_CTX_get_error(ctx));
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return r;
}

/* ------------------------------------------------------------------------------------------ */
/* CPS / CPA                                                                                   */
/* ------------------------------------------------------------------------------------------ */

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

int send_cpa_answer(struct send_cpa_server *s, const uint8_t *cps_src, const uint8_t *icmp,
		    size_t icmp_len, uint64_t now, struct send_cpa_out *out)
{
	const struct wire_ndopt *echo[SEND_MAX_PATH];
	struct wire_ndopt tas[SEND_MAX_PATH];
	unsigned n_ta = 0, n_echo = 0, want = 0xffff;
	bool any_ta = false, matched = false, allnodes;
	X509 *path[SEND_MAX_PATH];
	unsigned n_path = 0;
	const X509_NAME *anchor = s->anchor ? X509_get_subject_name(s->anchor) : NULL;

	memset(out, 0, offsetof(struct send_cpa_out, pkt));

	/* Validity checks on the solicitation (§6.4.1, §6.4.5). */
	if (cps_src != NULL) {
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
		want = cps.component;
		if (wire_ndopt_iter_init(&it, &m, cps.opts_off) != WIRE_OK)
			return SEND_R_MALFORMED;
		while ((r = wire_ndopt_next(&it, &o)) == 1) {
			struct wire_opt_trust_anchor ta;
			if (o.type != WIRE_ND_TRUST_ANCHOR)
				continue; /* unrecognised options are ignored */
			if (wire_opt_trust_anchor_decode(&o, &ta) != WIRE_OK)
				return SEND_R_MALFORMED;
			bool stored = n_ta < SEND_MAX_PATH; /* echo at most SEND_MAX_PATH */

			any_ta = true;
			if (stored)
				tas[n_ta++] = o;
			if (anchor != NULL && ta_names(&ta, anchor)) {
				matched = true;
				if (stored && n_echo < SEND_MAX_PATH)
					echo[n_echo++] = &tas[n_ta - 1];
			}
		}
		if (r != 0)
			return SEND_R_MALFORMED;
		out->identifier = cps.identifier;
	}
	bool path_found = s->creds->cert != NULL && (!any_ta || matched);
	if (!path_found) /* §6.4.5: no certificates, echo the solicited anchors */
		for (n_echo = 0; n_echo < n_ta; n_echo++)
			echo[n_echo] = &tas[n_echo];

	/* Destination and rate (MAX_CPA_RATE per second; over it, all-nodes). */
	const uint64_t second = 1u << 16;
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

	unsigned all = n_path ? n_path : 1;
	for (unsigned k = 0; k < all; k++) {
		unsigned comp = all - 1 - k;
		if (want != 0xffff && want != comp)
			continue;
		struct wire_buf w = wire_buf_make(out->pkt[out->n], sizeof(out->pkt[0]));
		size_t ip = wire_build_ip6(&w, s->src, out->dst, WIRE_NH_ICMPV6, 255);
		size_t ic = wire_build_cpa(&w, out->identifier, (uint16_t)all, (uint16_t)comp);

		if (k == 0) { /* Trust Anchor options only in the first component */
			if (cps_src == NULL && anchor != NULL && path_found) {
				if (put_name(&w, anchor) != SEND_R_OK)
					return SEND_R_INTERNAL;
			}
			for (unsigned i = 0; i < n_echo; i++)
				wire_put_bytes(&w, echo[i]->p, echo[i]->len);
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
