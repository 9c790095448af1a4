/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw credentials checks (EAL-free): shared by `fmipgw -- --check` and cp_create(), so that
 * a configuration --check accepts is one the gateway starts with.
 */
#include <stdio.h>
#include <string.h>

#include "cp.h"

int cp_creds_check(struct gw_config *cfg, struct send_creds *creds, struct send_trust **trust,
		   char *err, size_t errlen)
{
	char e[256];
	int rc;

	*trust = NULL;
	rc = send_creds_load(creds, cfg->key_file, cfg->params_file[0] ? cfg->params_file : NULL,
			     cfg->cert_file[0] ? cfg->cert_file : NULL, e, sizeof(e));
	if (rc != SEND_R_OK) {
		snprintf(err, errlen, "%s:%u: [router] credentials: %s (%s)", cfg->file,
			 config_key_line(cfg, "router", "key_file"), e, send_strerror(rc));
		return -1;
	}
	if (!cfg->has_router_addr) {
		static const uint8_t fe80_1[16] = { 0xfe, 0x80, [15] = 1 };

		memcpy(cfg->router_addr, creds->params ? creds->addr : fe80_1, 16);
	}
	if (creds->cert != NULL && !send_cert_covers(creds->cert, cfg->prefixes, cfg->n_prefixes)) {
		snprintf(err, errlen,
			 "%s:%u: [router] prefixes are not all inside the RFC 3779 blocks of "
			 "cert_file %s: issue a certificate covering them "
			 "(conf/make-credentials.sh)",
			 cfg->file, config_key_line(cfg, "router", "prefixes"), cfg->cert_file);
		goto fail;
	}
	if (cfg->anchor_file[0] != '\0') {
		*trust = send_trust_load(cfg->anchor_file, e, sizeof(e));
		if (*trust == NULL || send_trust_count(*trust) == 0) {
			snprintf(err, errlen, "%s:%u: [router] anchor_file %s: %s", cfg->file,
				 config_key_line(cfg, "router", "anchor_file"), cfg->anchor_file,
				 *trust ? "no certificate" : e);
			goto fail;
		}
		if (creds->cert != NULL) {
			rc = send_path_verify(*trust, creds->cert, creds->chain, cfg->prefixes,
					      cfg->n_prefixes);
			if (rc != SEND_R_OK) {
				snprintf(err, errlen,
					 "%s:%u: [router] cert_file %s does not validate to "
					 "anchor_file %s: %s",
					 cfg->file, config_key_line(cfg, "router", "cert_file"),
					 cfg->cert_file, cfg->anchor_file, send_strerror(rc));
				goto fail;
			}
		}
	}
	return 0;
fail:
	send_trust_free(*trust);
	*trust = NULL;
	send_creds_free(creds);
	return -1;
}
