/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn identities: RSA key generation (OpenSSL), the CGA modifier search (lib/cga), and the
 * on-disk cache (see ident.h for its layout and its permission rules).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cga.h"
#include "ident.h"

/* CPU time of this thread: what an identity costs, whatever else the machine runs. */
static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A directory that exists (or is made 0700) and is not open to group or others. */
static int private_dir(const char *d, char *err, size_t len)
{
	struct stat st;

	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		snprintf(err, len, "identity cache %s: cannot make it: %s", d, strerror(errno));
		return -1;
	}
	if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, len, "identity cache %s: not a directory", d);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, len,
			 "identity cache %s is accessible by group or others (mode %04o): it holds "
			 "private keys; chmod 700 it",
			 d, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

int mn_ident_cache_open(const struct mn_ident_req *req, char *sub, size_t sublen, char *err,
			size_t len)
{
	int n;

	if (private_dir(req->cache, err, len) < 0)
		return -1;
	n = snprintf(sub, sublen, "%s/rsa%u-sec%u-", req->cache, req->bits, req->sec);
	for (int i = 0; i < 8 && n > 0 && (size_t)n + 2 < sublen; i++)
		n += snprintf(sub + n, sublen - (size_t)n, "%02x", req->prefix[i]);
	if (n <= 0 || (size_t)n >= sublen - 1) {
		snprintf(err, len, "identity cache path too long");
		return -1;
	}
	return private_dir(sub, err, len);
}

int mn_ident_make(const struct mn_ident_req *req, struct send_creds *c, struct mn_ident_cost *cost,
		  char *err, size_t len)
{
	uint8_t der[1024], params[1200];
	struct cga_gen_req g = { 0 };
	struct cga_gen_res res;
	double t0 = cpu_s(), t1;
	EVP_PKEY *k = EVP_RSA_gen(req->bits);
	size_t n;
	int r = -1;

	if (k == NULL) {
		ERR_clear_error();
		snprintf(err, len, "RSA-%u key generation failed", req->bits);
		return -1;
	}
	t1 = cpu_s();
	n = cga_pubkey_der(k, der, sizeof(der));
	g.pubkey = der;
	g.pubkey_len = n;
	memcpy(g.prefix, req->prefix, 8);
	g.sec = req->sec;
	if (n == 0 || cga_generate(&g, params, sizeof(params), &res) != CGA_OK)
		snprintf(err, len, "CGA generation failed");
	else if (send_creds_set(c, k, params, res.params_len) != SEND_R_OK ||
		 send_creds_set_addr(c, res.addr) != SEND_R_OK) /* the Sec asked for, not more */
		snprintf(err, len, "the generated CGA does not verify");
	else
		r = 0;
	EVP_PKEY_free(k);
	cost->keygen_s += t1 - t0;
	cost->search_s += cpu_s() - t1;
	if (r == 0) {
		cost->generated++;
		cost->iterations += res.iterations;
	}
	return r;
}

/* Write data to path through path.tmp (mode 0600) and a rename. */
static int write_private(const char *path, const void *data, size_t n, EVP_PKEY *key)
{
	char tmp[600];
	int fd, ok;
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ok = key ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1
		 : fwrite(data, 1, n, f) == n;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int save(const char *sub, unsigned idx, const struct send_creds *c, char *err, size_t len)
{
	char p[560], a[INET6_ADDRSTRLEN + 2];

	inet_ntop(AF_INET6, c->addr, a, sizeof(a) - 1);
	strcat(a, "\n");
	snprintf(p, sizeof(p), "%s/%06u.cga.params", sub, idx);
	if (write_private(p, c->params, c->params_len, NULL) == 0) {
		snprintf(p, sizeof(p), "%s/%06u.cga", sub, idx);
		if (write_private(p, a, strlen(a), NULL) == 0) {
			/* the key last: its presence says the identity is complete */
			snprintf(p, sizeof(p), "%s/%06u.key.pem", sub, idx);
			if (write_private(p, NULL, 0, c->key) == 0)
				return 0;
		}
	}
	snprintf(err, len, "identity cache: cannot write %s: %s", p, strerror(errno));
	return -1;
}

static int load(const struct mn_ident_req *req, const char *sub, unsigned idx, struct send_creds *c,
		char *err, size_t len)
{
	char k[560], pa[560], ad[560], text[64] = "", e[256];
	uint8_t addr[16];
	struct stat st;
	FILE *f;

	snprintf(k, sizeof(k), "%s/%06u.key.pem", sub, idx);
	snprintf(pa, sizeof(pa), "%s/%06u.cga.params", sub, idx);
	snprintf(ad, sizeof(ad), "%s/%06u.cga", sub, idx);
	if (stat(k, &st) != 0)
		return 1; /* not cached */
	if (st.st_mode & 077) {
		snprintf(err, len, "%s is readable by group or others (mode %04o): chmod 600 it", k,
			 (unsigned)(st.st_mode & 07777));
		return -1;
	}
	if (send_creds_load(c, k, pa, NULL, e, sizeof(e)) != SEND_R_OK) {
		snprintf(err, len, "identity cache: %s", e);
		return -1;
	}
	if ((f = fopen(ad, "r")) != NULL) {
		if (fgets(text, sizeof(text), f) == NULL)
			text[0] = '\0';
		fclose(f);
	}
	text[strcspn(text, "\r\n")] = '\0';
	if (inet_pton(AF_INET6, text, addr) != 1 || send_creds_set_addr(c, addr) != SEND_R_OK ||
	    cga_addr_sec(addr) != req->sec || (unsigned)EVP_PKEY_get_bits(c->key) != req->bits ||
	    memcmp(addr, req->prefix, 8) != 0) {
		send_creds_free(c);
		snprintf(err, len, "identity cache: %s does not match %s (bits, Sec, prefix)", ad,
			 k);
		return -1;
	}
	return 0;
}

int mn_ident_get(const struct mn_ident_req *req, const char *sub, unsigned idx,
		 struct send_creds *c, struct mn_ident_cost *cost, char *err, size_t len)
{
	double t0 = cpu_s(), t1;
	int r;

	memset(c, 0, sizeof(*c));
	if (sub != NULL) {
		r = load(req, sub, idx, c, err, len);
		if (r <= 0) {
			cost->load_s += cpu_s() - t0;
			cost->loaded += r == 0;
			return r;
		}
	}
	if (mn_ident_make(req, c, cost, err, len) < 0)
		return -1;
	if (sub == NULL)
		return 0;
	t1 = cpu_s();
	r = save(sub, idx, c, err, len);
	cost->save_s += cpu_s() - t1;
	if (r < 0)
		send_creds_free(c);
	return r;
}
