/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `fmipctl decode --verify [--trust-anchor FILE --chain FILE]`: SEND verdicts (lib/send) for
 * every RtSolPr/PrRtAdv that carries a CGA or RSA Signature option, as one "send" object:
 *
 *   "send": {"cga": "ok"|<cga reason>|"absent",
 *            "sig": "ok"|<send reason>,            (the signature on its own, key from the CGA)
 *            "verdict": "ok"|<send reason>,        (all RFC 3971 receive rules, A5-A7)
 *            "signer": "ok"|<send reason>}         (PrRtAdv with --trust-anchor/--chain: the path
 *                                                   validates and the router's key signed)
 *
 * A PrRtAdv's nonce is accepted as it is (the capture may not hold the solicitation), and no
 * replay cache is kept.  Reason names are send_reason_name()/cga_errname() (docs/fmipctl.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "decode_ext.h"
#include "send.h"

struct verify_state {
	bool on;
	struct send_cfg cfg;
	const char *ta_file, *chain_file;
	struct send_trust *trust;
	X509 *leaf;
	STACK_OF(X509) * chain;
	int path; /* send reason of the path check, -1 before it ran */
	bool loaded, load_failed;
	unsigned n_checked, n_ok;
};

static struct verify_state vs = { .path = -1 };

static int load(void)
{
	char err[256] = "";

	if (vs.loaded)
		return 0;
	vs.loaded = true;
	send_cfg_default(&vs.cfg);
	if (vs.ta_file == NULL && vs.chain_file == NULL)
		return 0;
	if (vs.ta_file == NULL || vs.chain_file == NULL) {
		fprintf(stderr, "fmipctl decode: --trust-anchor and --chain go together\n");
		return -1;
	}
	if ((vs.trust = send_trust_load(vs.ta_file, err, sizeof(err))) == NULL) {
		fprintf(stderr, "fmipctl decode: %s\n", err);
		return -1;
	}
	BIO *b = BIO_new_file(vs.chain_file, "r");
	if (b == NULL) {
		fprintf(stderr, "fmipctl decode: %s: cannot open\n", vs.chain_file);
		return -1;
	}
	vs.chain = sk_X509_new_null();
	for (X509 *x; (x = PEM_read_bio_X509(b, NULL, NULL, NULL)) != NULL;) {
		if (vs.leaf == NULL)
			vs.leaf = x;
		else if (!sk_X509_push(vs.chain, x))
			X509_free(x);
	}
	BIO_free(b);
	ERR_clear_error();
	if (vs.leaf == NULL) {
		fprintf(stderr, "fmipctl decode: %s: no certificate\n", vs.chain_file);
		return -1;
	}
	vs.path = send_path_verify(vs.trust, vs.leaf, vs.chain, NULL, 0);
	return 0;
}

static int parse_verify(void **ctx, const char *arg)
{
	(void)arg;
	vs.on = true;
	*ctx = &vs;
	return 0;
}

static int parse_ta(void **ctx, const char *arg)
{
	vs.ta_file = arg;
	*ctx = &vs;
	return 0;
}

static int parse_chain(void **ctx, const char *arg)
{
	vs.chain_file = arg;
	*ctx = &vs;
	return 0;
}

static void annotate(const struct fmipctl_frame *f, struct jw *w, void *ctx)
{
	const struct wire_frame *wf = &f->wf;
	struct send_verify_req req;
	struct send_verify_res res;
	struct wire_send_opts o;
	struct wire_opt_nonce nonce = { 0 };
	struct wire_opt_cga cga;

	(void)ctx;
	if (!vs.on || vs.load_failed)
		return;
	if (load() != 0) {
		vs.load_failed = true;
		return;
	}
	if ((wf->msg != WIRE_MSG_RTSOLPR && wf->msg != WIRE_MSG_PRRTADV) || wf->icmp.p == NULL ||
	    (wf->err != WIRE_OK && wf->err != WIRE_E_BAD_CHECKSUM))
		return;
	if (wire_send_opts_collect(&wf->icmp, 8, &o) != WIRE_OK || (!o.has_cga && !o.has_rsasig))
		return;
	vs.n_checked++;
	send_verify_req_from_frame(&req, wf);
	if (o.has_nonce && wire_opt_nonce_decode(&o.nonce, &nonce) == WIRE_OK) {
		req.expect_nonce = nonce.nonce;
		req.expect_nonce_len = nonce.nonce_len;
	}

	jw_key(w, "send");
	jw_obj_begin(w);
	/* the CGA on its own (RFC 3972 §5 against the source) */
	if (!o.has_cga)
		jw_kv_str(w, "cga", "absent");
	else if (wire_opt_cga_decode(&o.cga, &cga) != WIRE_OK)
		jw_kv_str(w, "cga", cga_errname(CGA_E_PARAMS));
	else
		jw_kv_str(w, "cga",
			  cga_errname(cga_verify(wf->ip.src, cga.params, cga.params_len, NULL)));
	/* the signature on its own */
	struct send_cfg cfg = vs.cfg;
	cfg.no_hop_limit_check = true;
	cfg.accept_nonce_only = true;
	req.no_cga_check = true;
	int sig = send_verify(&cfg, &req, &res);
	if (sig == SEND_R_NO_TIMESTAMP || sig == SEND_R_NO_NONCE || sig == SEND_R_NONCE_MISMATCH)
		sig = SEND_R_OK; /* presence rules are the verdict's business */
	jw_kv_str(w, "sig", send_reason_name(sig));
	/* every receive rule */
	req.no_cga_check = false;
	int verdict = send_verify(&vs.cfg, &req, &res);
	jw_kv_str(w, "verdict", send_reason_name(verdict));
	if (verdict == SEND_R_OK)
		vs.n_ok++;
	if (wf->msg == WIRE_MSG_PRRTADV && vs.leaf != NULL) {
		int signer = vs.path;
		if (signer == SEND_R_OK) {
			req.certified = X509_get0_pubkey(vs.leaf);
			signer = send_verify(&vs.cfg, &req, &res);
		}
		jw_kv_str(w, "signer", send_reason_name(signer));
	}
	jw_obj_end(w);
}

static int finish(void *ctx)
{
	(void)ctx;
	if (vs.on && vs.n_checked)
		fprintf(stderr, "fmipctl decode: send: %u of %u protected messages verified\n",
			vs.n_ok, vs.n_checked);
	send_trust_free(vs.trust);
	X509_free(vs.leaf);
	sk_X509_pop_free(vs.chain, X509_free);
	vs.trust = NULL;
	vs.leaf = NULL;
	vs.chain = NULL;
	return vs.load_failed ? 3 : 0; /* 3: --trust-anchor/--chain could not be loaded */
}

static int finish_none(void *ctx)
{
	(void)ctx;
	return 0;
}

static void annotate_none(const struct fmipctl_frame *f, struct jw *w, void *ctx)
{
	(void)f;
	(void)w;
	(void)ctx;
}

const struct decode_ext decode_ext_verify = {
	.name = "verify",
	.has_arg = no_argument,
	.help = "add SEND verdicts (cga, sig, verdict) to RtSolPr/PrRtAdv",
	.parse = parse_verify,
	.annotate = annotate,
	.finish = finish,
};

const struct decode_ext decode_ext_trust_anchor = {
	.name = "trust-anchor",
	.has_arg = required_argument,
	.arg_name = "FILE",
	.help = "with --verify and --chain: check a PrRtAdv's signer against these anchors (PEM)",
	.parse = parse_ta,
	.annotate = annotate_none,
	.finish = finish_none,
};

const struct decode_ext decode_ext_chain = {
	.name = "chain",
	.has_arg = required_argument,
	.arg_name = "FILE",
	.help = "with --trust-anchor: the router certificate, then its intermediates (PEM)",
	.parse = parse_chain,
	.annotate = annotate_none,
	.finish = finish_none,
};
