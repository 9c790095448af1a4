/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the configuration unit tests (reload_test.c, fwd_cfg_test.c) share: a temporary
 * directory holding an empty private key file of mode 0600 (config_load refuses any other
 * mode).  Include after cmocka.h.  No EAL.
 */
#ifndef FMIPGW_CFG_TEST_H
#define FMIPGW_CFG_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdtemp(dir) (a template ending in XXXXXX), then dir/router.key, its path in keyf. */
static inline void cfg_test_dir(char *dir, char *keyf, size_t keylen)
{
	FILE *k;

	assert_non_null(mkdtemp(dir));
	snprintf(keyf, keylen, "%s/router.key", dir);
	k = fopen(keyf, "w");
	assert_non_null(k);
	fclose(k);
	assert_int_equal(chmod(keyf, 0600), 0);
}

#endif /* FMIPGW_CFG_TEST_H */
