/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * seal_tool — lib/seal on the command line, for test_seal.py (the independent check of the
 * file format with python3-cryptography):
 *   seal_tool seal KEK FILE LABEL CREATED < plaintext
 *   seal_tool open KEK FILE LABEL > plaintext        (prints "created N" on stderr)
 * Exit status: the seal error code (0 = ok), 100 on a usage or I/O error of the tool itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seal.h"

int main(int argc, char **argv)
{
	static uint8_t in[1 << 20];
	struct seal_kek *k;
	struct seal_info info;
	char err[512] = "";
	uint8_t *out;
	size_t len;
	int r;

	if (argc < 5 || (strcmp(argv[1], "seal") && strcmp(argv[1], "open")))
		return fprintf(stderr, "usage: seal_tool seal|open KEK FILE LABEL [CREATED]\n"),
		       100;
	if ((r = seal_kek_load(argv[2], &k, err, sizeof(err))) != SEAL_OK) {
		fprintf(stderr, "%s\n", err);
		return r;
	}
	if (strcmp(argv[1], "seal") == 0) {
		len = fread(in, 1, sizeof(in), stdin);
		r = seal_write(k, argv[3], argv[4], in, len,
			       argc > 5 ? strtoull(argv[5], NULL, 10) : 0, err, sizeof(err));
	} else {
		r = seal_open(k, argv[3], argv[4], &out, &len, &info, err, sizeof(err));
		if (r == SEAL_OK) {
			if (fwrite(out, 1, len, stdout) != len)
				r = 100;
			fprintf(stderr, "created %llu\n", (unsigned long long)info.created);
			seal_buf_free(out, len);
		}
	}
	if (r != SEAL_OK && err[0])
		fprintf(stderr, "%s\n", err);
	seal_kek_free(k);
	return r;
}
