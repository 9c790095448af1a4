/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw configuration loading: defaults from the key table, the pre-scan (scan.c), the
 * sections through rte_cfgfile, the [ap.NAME] checks, then the cross-key validation.  Every
 * error is `file:line: what is wrong`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_cfgfile.h>

#include "config_int.h"

/* Where loading failed: the line (0: none) and what is wrong. */
struct fail {
	unsigned line;
	char msg[384];
};

static int __attribute__((format(printf, 3, 4)))
failed(struct fail *f, unsigned line, const char *fmt, ...)
{
	va_list ap;

	f->line = line;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void set_defaults(struct gw_config *cfg)
{
	char e[160];

	send_cfg_default(&cfg->send); /* library defaults first: the table covers every field */
	mac_cfg_defaults(&cfg->mac);  /* we expose, the libraries' the rest */
	for (unsigned i = 0; i < config_nkeys_; i++) {
		if (config_is_ap(config_keys[i].section))
			continue;
		if (config_parse_value(&config_keys[i], config_keys[i].def, cfg, cfg, e,
				       sizeof(e)) < 0)
			fprintf(stderr, "fmipgw: internal: default of %s.%s: %s\n",
				config_keys[i].section, config_keys[i].key, e);
		snprintf(cfg->text[i], sizeof(cfg->text[i]), "%s", config_keys[i].def);
	}
}

/* The keys of an [ap.NAME] section are complete (RFC 5568 6.1.2: the PrRtAdv carries them),
 * and its lla names no access point an earlier section named (the New-AP LLA picks one). */
static int ap_check(const struct gw_config *cfg, const char *sec, const struct hk_ap *a,
		    struct fail *f)
{
	static const uint8_t z6[6], z16[16];
	const char *file = cfg->file;

	if (memcmp(a->ap_lla, z6, 6) == 0)
		return failed(f, config_find_line(file, sec, NULL), "[%s] needs lla", sec);
	for (unsigned i = 0; i < cfg->n_aps; i++)
		if (memcmp(cfg->aps[i].ap_lla, a->ap_lla, 6) == 0)
			return failed(
			    f, config_find_line(file, sec, "lla"),
			    "[%s] lla %02x:%02x:%02x:%02x:%02x:%02x is already the lla of "
			    "an earlier [ap.*] section",
			    sec, a->ap_lla[0], a->ap_lla[1], a->ap_lla[2], a->ap_lla[3],
			    a->ap_lla[4], a->ap_lla[5]);
	if (a->kind == HK_AP_NAR && (a->nar_prefix_len == 0 || memcmp(a->nar_lla, z6, 6) == 0 ||
				     memcmp(a->nar_addr, z16, 16) == 0))
		return failed(f, config_find_line(file, sec, NULL),
			      "[%s] kind = nar needs nar_addr, nar_lla and nar_prefix (none of "
			      "them all zero: the PrRtAdv would carry them)",
			      sec);
	return 0;
}

/* One section's entries into cfg (or into the next [ap.*] slot). */
static int load_section(struct rte_cfgfile *cf, const char *sec, struct gw_config *cfg,
			struct fail *f)
{
	const char *file = cfg->file;
	bool ap = config_is_ap(sec);
	void *base = cfg;
	struct rte_cfgfile_entry *ent;
	char e[256];
	int nent, rc = 0;

	if (!config_section_known(sec))
		return failed(f, config_find_line(file, sec, NULL), "unknown section [%s]", sec);
	if (ap) {
		if (cfg->n_aps == GW_MAX_APS)
			return failed(f, config_find_line(file, sec, NULL),
				      "more than %d [ap.*] sections", GW_MAX_APS);
		base = &cfg->aps[cfg->n_aps];
		cfg->aps[cfg->n_aps].kind = HK_AP_NAR;
		snprintf(cfg->ap_ext[cfg->n_aps].name, sizeof(cfg->ap_ext[0].name), "%s", sec);
	}
	nent = rte_cfgfile_section_num_entries(cf, sec);
	ent = nent < 0 ? NULL : calloc((size_t)nent + 1, sizeof(*ent));
	if (ent == NULL || rte_cfgfile_section_entries(cf, sec, ent, nent) != nent) {
		free(ent);
		return failed(f, config_find_line(file, sec, NULL), "cannot read section [%s]",
			      sec);
	}
	for (int i = 0; i < nent && rc == 0; i++) {
		int ki = config_key_index(sec, ent[i].name), fr = 0;
		char *v = config_trim(ent[i].value);
		void *b =
		    ki >= 0 && config_keys[ki].ap_ext ? (void *)&cfg->ap_ext[cfg->n_aps] : base;

		if (config_cfgfile_entry_skipped(ent[i].name))
			continue;
		if (ki < 0) /* route.<label>, static.<label> (fwd_cfg.c) */
			fr = config_fwd_entry(cfg, sec, ent[i].name, v, e, sizeof(e));
		if (fr < 0)
			rc = failed(f, config_find_line(file, sec, ent[i].name), "%s: %s",
				    ent[i].name, e);
		else if (fr > 0)
			continue;
		else if (ki < 0)
			rc = failed(f, config_find_line(file, sec, ent[i].name),
				    "unknown key '%s' in [%s]", ent[i].name, sec);
		else if (config_parse_value(&config_keys[ki], v, b, cfg, e, sizeof(e)) < 0)
			rc = failed(f, config_find_line(file, sec, ent[i].name), "%s: %s",
				    ent[i].name, e);
		else if (!ap)
			snprintf(cfg->text[ki], sizeof(cfg->text[ki]), "%s", v);
	}
	free(ent);
	if (rc == 0 && ap) {
		rc = ap_check(cfg, sec, &cfg->aps[cfg->n_aps], f);
		cfg->n_aps++;
	}
	return rc;
}

/* '#' starts a comment line (conf/fmipgw.conf), but rte_cfgfile knows one comment character,
 * ';': it reads a '#' line holding a '=' as an entry named "#...", of the section above it or,
 * before the first section, of the GLOBAL section CFG_FLAG_GLOBAL_SECTION opens first (without
 * it such a line fails the whole file).  The pre-scan refuses every other entry outside a
 * section, so section 0 holds only those. */
struct rte_cfgfile *config_cfgfile_load(const char *file)
{
	return rte_cfgfile_load(file, CFG_FLAG_EMPTY_VALUES | CFG_FLAG_GLOBAL_SECTION);
}

bool config_cfgfile_section_skipped(int index)
{
	return index == 0;
}

bool config_cfgfile_entry_skipped(const char *name)
{
	return name[0] == '#';
}

static int load_sections(struct rte_cfgfile *cf, struct gw_config *cfg, struct fail *f)
{
	int nsec = rte_cfgfile_num_sections(cf, NULL, 0), rc = 0;
	char(*names)[CFG_NAME_LEN];

	if (nsec < 0)
		return failed(f, 0, "cannot read sections");
	names = calloc((size_t)nsec + 1, sizeof(*names));
	if (names == NULL)
		return failed(f, 0, "out of memory");
	{
		char *ptrs[nsec + 1];

		for (int i = 0; i < nsec; i++)
			ptrs[i] = names[i];
		if (rte_cfgfile_sections(cf, ptrs, nsec) != nsec)
			rc = failed(f, 0, "cannot read sections");
	}
	for (int s = 0; s < nsec && rc == 0; s++)
		if (!config_cfgfile_section_skipped(s))
			rc = load_section(cf, names[s], cfg, f);
	free(names);
	return rc;
}

/* A readable file named by a key, when set. */
static int file_check(const char *file, const char *key, const char *path, struct fail *f)
{
	if (path[0] != '\0' && access(path, R_OK) != 0)
		return failed(f, config_find_line(file, "router", key), "%s '%s': %s", key, path,
			      strerror(errno));
	return 0;
}

/* [binding] capacity 0 is the [keys] capacity; [tunnel] source, when set, is a global
 * unicast address (the tunnel entry point, RFC 5568 4). */
static int handover_validate(struct gw_config *cfg, struct fail *f)
{
	static const uint8_t z16[16];
	const uint8_t *a = cfg->tun_source;

	if (cfg->bind_capacity == 0)
		cfg->bind_capacity = cfg->capacity;
	cfg->has_tun_source = memcmp(a, z16, 16) != 0;
	if (cfg->has_tun_source && (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)))
		return failed(f, config_find_line(cfg->file, "tunnel", "source"),
			      "source must be a global unicast address (not multicast or "
			      "link-local)");
	return 0;
}

/* [snapshot]: file and kek_file go together; the secret heap holds a snapshot twice (its
 * plaintext and its ciphertext) while it is written or loaded.  The files themselves are
 * checked at start and by --check (cp_snapshot_check), not on reload. */
static int snapshot_validate(const struct gw_config *cfg, struct fail *f)
{
	uint64_t need = ((uint64_t)2 * cfg->capacity * GW_SNAP_ENTRY_LEN + (1u << 20) - 1) >> 20;

	if (cfg->snap_file[0] != '\0' && cfg->snap_kek_file[0] == '\0')
		return failed(f, config_find_line(cfg->file, "snapshot", "file"),
			      "[snapshot] file needs kek_file, the key-encryption key: (umask 077; "
			      "openssl rand -out /etc/fmipgw/seal.kek 32)");
	if (cfg->snap_file[0] == '\0' && cfg->snap_kek_file[0] != '\0')
		return failed(f, config_find_line(cfg->file, "snapshot", "kek_file"),
			      "[snapshot] kek_file is set but file is empty: set file (where the "
			      "snapshot is written) or remove kek_file");
	unsigned line = config_find_line(cfg->file, "security", "secret_heap_mb");

	need += GW_SNAP_HEAP_SPARE_MB;
	if (cfg->snap_file[0] != '\0' && cfg->secret_heap_mb < need)
		return failed(f, line ? line : config_find_line(cfg->file, "snapshot", "file"),
			      "[security] secret_heap_mb = %u cannot hold a snapshot of %u keys "
			      "([keys] capacity) twice besides OpenSSL's own use: raise it to at "
			      "least %" PRIu64,
			      cfg->secret_heap_mb, cfg->capacity, need);
	return 0;
}

/* Rules across keys, in the order an operator would fix them. */
static int validate(struct gw_config *cfg, struct fail *f)
{
	static const uint8_t z16[16];
	const char *file = cfg->file;
	char e[256];

#define LINE(s, k) config_find_line(file, s, k)
	cfg->has_router_addr = memcmp(cfg->router_addr, z16, 16) != 0;
	if (cfg->has_router_addr &&
	    !(cfg->router_addr[0] == 0xfe && (cfg->router_addr[1] & 0xc0) == 0x80))
		return failed(f, LINE("router", "address"),
			      "address must be a link-local address (fe80::/10)");
	if (cfg->key_file[0] == '\0')
		return failed(f, LINE("router", NULL), "[router] key_file is required");
	if (config_check_key_file(cfg->key_file, e, sizeof(e)) < 0)
		return failed(f, LINE("router", "key_file"), "key_file: %s", e);
	if (file_check(file, "cert_file", cfg->cert_file, f) < 0 ||
	    file_check(file, "anchor_file", cfg->anchor_file, f) < 0 ||
	    file_check(file, "params_file", cfg->params_file, f) < 0)
		return -1;
	if (cfg->n_par == 0)
		return failed(f, LINE("par", NULL), "[par] addresses: at least one PAR address");
	if (cfg->n_prefixes == 0)
		return failed(f, LINE("router", "prefixes"),
			      "[router] prefixes: at least one prefix");
	if (cfg->send.min_bits > cfg->send.max_bits)
		return failed(f, LINE("send", "min_bits"), "min_bits is greater than max_bits");
	if ((cfg->ring_size & (cfg->ring_size - 1)) != 0)
		return failed(f, LINE("rings", "ring_size"), "ring_size %u is not a power of two",
			      cfg->ring_size);
	if (cfg->mbuf_cache > cfg->mbufs / 4)
		return failed(f, LINE("ports", "mbuf_cache"),
			      "mbuf_cache must be at most mbufs / 4");
	if ((cfg->rx_desc & (cfg->rx_desc - 1)) != 0 || (cfg->tx_desc & (cfg->tx_desc - 1)) != 0)
		return failed(f, LINE("ports", "rx_desc"),
			      "rx_desc and tx_desc must be powers of two");
	if (handover_validate(cfg, f) < 0 || snapshot_validate(cfg, f) < 0)
		return -1;
	for (int a = 0; a < MAC_AT_MAX; a++)
		if (cfg->mac.at[a].alg != MAC_ALG_NONE)
			return 0;
	return failed(f, LINE("mac", "at_map"), "at_map enables no AT");
#undef LINE
}

/* The route file and the exception map, after every section (fwd_cfg.c). */
static int fwd_finish(struct gw_config *cfg, struct fail *f)
{
	char e[300];
	unsigned line;

	return config_fwd_finish(cfg, &line, e, sizeof(e)) < 0 ? failed(f, line, "%s", e) : 0;
}

int config_load(const char *file, struct gw_config *cfg, char *err, size_t errlen)
{
	struct rte_cfgfile *cf = NULL;
	struct fail f = { 0, "" };
	struct stat st;
	int rc = -1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->text = calloc(config_nkeys_, sizeof(*cfg->text));
	if (cfg->text == NULL) {
		snprintf(err, errlen, "%s: out of memory", file);
		return -1;
	}
	snprintf(cfg->file, sizeof(cfg->file), "%s", file);
	config_fwd_init(cfg);
	set_defaults(cfg);
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: cannot read the configuration file: %s", file,
			 errno ? strerror(errno) : "not a regular file");
		goto out;
	}
	if (config_scan(file, &f.line, f.msg, sizeof(f.msg)) < 0)
		goto fail;
	cf = config_cfgfile_load(file);
	if (cf == NULL) {
		failed(&f, 0, "rte_cfgfile cannot parse the file");
		goto fail;
	}
	if (load_sections(cf, cfg, &f) == 0 && validate(cfg, &f) == 0 && fwd_finish(cfg, &f) == 0)
		rc = 0;
fail:
	if (rc != 0)
		snprintf(err, errlen, "%s:%u: %s", file, f.line, f.msg);
out:
	if (cf != NULL)
		rte_cfgfile_close(cf);
	if (rc != 0) {
		free(cfg->text);
		cfg->text = NULL;
		config_fwd_free(cfg);
	}
	return rc;
}

void config_free(struct gw_config *cfg)
{
	free(cfg->text);
	cfg->text = NULL;
	free(cfg->text_old);
	cfg->text_old = NULL;
	config_fwd_free(cfg);
}

unsigned config_key_line(const struct gw_config *cfg, const char *section, const char *key)
{
	unsigned l = config_find_line(cfg->file, section, key);

	return l ? l : config_find_line(cfg->file, section, NULL);
}

int config_check_key_file(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "'%s' is not a regular file", path);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen,
			 "private key '%s' is accessible by group or others (mode %03o); "
			 "run: chmod 600 %s",
			 path, (unsigned)(st.st_mode & 0777), path);
		return -1;
	}
	if (access(path, R_OK) != 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

void config_warnings(const struct gw_config *cfg, char *buf, size_t len)
{
	size_t l;

	buf[0] = '\0';
	if (cfg->mac.backend == MAC_BACKEND_OPENSSL)
		snprintf(buf, len,
			 "%s:%u: [mac] backend = openssl puts OpenSSL (allocating EVP copies) on "
			 "the fast path: for cross-checks only\n",
			 cfg->file, config_key_line(cfg, "mac", "backend"));
	for (unsigned a = 0; a < MAC_AT_MAX; a++) {
		if (cfg->mac.at[a].alg == MAC_ALG_NONE || cfg->mac.at[a].tag_len >= GW_TAG_WARN)
			continue;
		l = strlen(buf);
		snprintf(buf + l, len - l,
			 "%s:%u: [mac] at_map: AT %u keeps %u octets of the tag; below %u an "
			 "FBU authenticator is weak (RFC 5269 uses 12 for HMAC-SHA1)\n",
			 cfg->file, config_key_line(cfg, "mac", "at_map"), a,
			 cfg->mac.at[a].tag_len, GW_TAG_WARN);
	}
}
