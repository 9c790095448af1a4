/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipctl cga gen    --key KEY.pem --prefix PREFIX/64 [--sec N] [--out PARAMS] [--modifier HEX]
 * fmipctl cga verify --address ADDR --params PARAMS
 *
 * gen prints the CGA (RFC 3972 §4) of the key's public half and writes the CGA Parameters
 * (raw octets: the format of the .params files under tests/vectors/keys and of the gateway's
 * configuration).  verify exits 0 and prints "ok sec N" when the address is the CGA of the
 * parameters, else exits 1 and prints the failed RFC 3972 §5 step.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "cga.h"
#include "fmipctl.h"

static int cga_usage(FILE *to, int code)
{
	fprintf(to, "usage: fmipctl cga gen --key KEY.pem --prefix PREFIX/64 [--sec 0|1|2] "
		    "[--out PARAMS] [--modifier HEX32]\n"
		    "       fmipctl cga verify --address ADDR --params PARAMS\n");
	return code;
}

static int parse_hex16(const char *s, uint8_t out[16])
{
	if (strlen(s) != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

/* PREFIX or PREFIX/64 -> the prefix's 16 octets; 0, or FMIPCTL_EXIT_USAGE (told). */
static int parse_prefix64(const char *prefix, uint8_t pfx[16])
{
	char pbuf[64];
	const char *slash = strchr(prefix, '/');
	size_t plen = slash ? (size_t)(slash - prefix) : strlen(prefix);

	if (plen >= sizeof(pbuf) || (slash && strcmp(slash, "/64") != 0)) {
		fprintf(stderr, "fmipctl cga gen: --prefix must be an IPv6 /64\n");
		return FMIPCTL_EXIT_USAGE;
	}
	memcpy(pbuf, prefix, plen);
	pbuf[plen] = 0;
	if (inet_pton(AF_INET6, pbuf, pfx) != 1) {
		fprintf(stderr, "fmipctl cga gen: bad prefix '%s'\n", pbuf);
		return FMIPCTL_EXIT_USAGE;
	}
	return 0;
}

/* The DER SubjectPublicKeyInfo of the PEM private (or public) key in key_file; its length,
 * 0 when unreadable or too large (told). */
static size_t read_pubkey_der(const char *key_file, uint8_t *der, size_t cap)
{
	BIO *b = BIO_new_file(key_file, "r");
	EVP_PKEY *key = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	size_t dlen;

	BIO_free(b);
	if (key == NULL) {
		/* a public key will do as well */
		b = BIO_new_file(key_file, "r");
		key = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
		BIO_free(b);
	}
	ERR_clear_error();
	if (key == NULL) {
		fprintf(stderr, "fmipctl cga gen: %s: cannot read a PEM key\n", key_file);
		return 0;
	}
	dlen = cga_pubkey_der(key, der, cap);
	EVP_PKEY_free(key);
	if (dlen == 0)
		fprintf(stderr, "fmipctl cga gen: %s: key too large\n", key_file);
	return dlen;
}

/* Write the CGA Parameters to out; 0, or FMIPCTL_EXIT_FAIL (told). */
static int write_params(const char *out, const uint8_t *params, size_t len)
{
	FILE *f = fopen(out, "wb");

	if (f == NULL || fwrite(params, 1, len, f) != len) {
		if (f)
			fclose(f);
		fprintf(stderr, "fmipctl cga gen: %s: cannot write\n", out);
		return FMIPCTL_EXIT_FAIL;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "fmipctl cga gen: %s: cannot write\n", out);
		return FMIPCTL_EXIT_FAIL;
	}
	return 0;
}

static int cga_gen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "sec", required_argument, NULL, 's' },
		{ "out", required_argument, NULL, 'o' },
		{ "modifier", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key_file = NULL, *prefix = NULL, *out = NULL;
	uint8_t modifier[16], pfx[16], params[CGA_PARAMS_MAX], der[2048];
	bool have_mod = false;
	unsigned sec = 1;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "k:p:s:o:m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			key_file = optarg;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 's':
			if (strlen(optarg) != 1 || optarg[0] < '0' || optarg[0] > '2')
				return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
			sec = (unsigned)(optarg[0] - '0');
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			if (parse_hex16(optarg, modifier) != 0)
				return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
			have_mod = true;
			break;
		case 'h':
			return cga_usage(stdout, FMIPCTL_EXIT_OK);
		default:
			return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
		}
	}
	if (key_file == NULL || prefix == NULL || optind != argc)
		return cga_usage(stderr, FMIPCTL_EXIT_USAGE);

	if (parse_prefix64(prefix, pfx) != 0)
		return FMIPCTL_EXIT_USAGE;
	size_t dlen = read_pubkey_der(key_file, der, sizeof(der));
	if (dlen == 0)
		return FMIPCTL_EXIT_FAIL;

	struct cga_gen_req req = {
		.pubkey = der,
		.pubkey_len = dlen,
		.sec = sec,
		.modifier_start = have_mod ? modifier : NULL,
	};
	struct cga_gen_res res;
	memcpy(req.prefix, pfx, 8);
	int r = cga_generate(&req, params, sizeof(params), &res);
	if (r != CGA_OK) {
		fprintf(stderr, "fmipctl cga gen: %s\n", cga_strerror(r));
		return FMIPCTL_EXIT_FAIL;
	}
	if (out != NULL && write_params(out, params, res.params_len) != 0)
		return FMIPCTL_EXIT_FAIL;
	char abuf[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, res.addr, abuf, sizeof(abuf));
	printf("%s\n", abuf);
	return FMIPCTL_EXIT_OK;
}

static int cga_verify_cmd(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "params", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *addr_s = NULL, *params_file = NULL;
	uint8_t addr[16], params[CGA_PARAMS_MAX + 1];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			addr_s = optarg;
			break;
		case 'p':
			params_file = optarg;
			break;
		case 'h':
			return cga_usage(stdout, FMIPCTL_EXIT_OK);
		default:
			return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
		}
	}
	if (addr_s == NULL || params_file == NULL || optind != argc)
		return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
	if (inet_pton(AF_INET6, addr_s, addr) != 1) {
		fprintf(stderr, "fmipctl cga verify: bad address '%s'\n", addr_s);
		return FMIPCTL_EXIT_USAGE;
	}
	FILE *f = fopen(params_file, "rb");
	if (f == NULL) {
		fprintf(stderr, "fmipctl cga verify: %s: cannot open\n", params_file);
		return FMIPCTL_EXIT_FAIL;
	}
	size_t n = fread(params, 1, sizeof(params), f);
	fclose(f);

	struct cga_info info;
	int r = n > CGA_PARAMS_MAX ? CGA_E_PARAMS : cga_verify(addr, params, n, &info);
	if (r == CGA_OK) {
		printf("ok sec %u\n", info.sec);
		return FMIPCTL_EXIT_OK;
	}
	printf("fail: %s\n", cga_strerror(r));
	return FMIPCTL_EXIT_FAIL;
}

int cmd_cga(int argc, char **argv)
{
	if (argc < 2)
		return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
	if (!strcmp(argv[1], "gen"))
		return cga_gen(argc - 1, argv + 1);
	if (!strcmp(argv[1], "verify"))
		return cga_verify_cmd(argc - 1, argv + 1);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return cga_usage(stdout, FMIPCTL_EXIT_OK);
	return cga_usage(stderr, FMIPCTL_EXIT_USAGE);
}
