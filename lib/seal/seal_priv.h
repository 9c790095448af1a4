/* SPDX-License-Identifier: BSD-3-Clause */
/* lib/seal internals shared by seal.c and seal_file.c. */
#ifndef FMIPGW_SEAL_PRIV_H
#define FMIPGW_SEAL_PRIV_H

#include "seal.h"

struct seal_kek {
	uint8_t key[SEAL_KEK_LEN];
	uint8_t id[8]; /* HMAC-SHA-256(key, "fmipgw-seal kek-id v1"), first 8 octets */
};

#endif
