/* SPDX-License-Identifier: BSD-3-Clause */
/* The table of `fmipctl decode` extensions (decode_ext.h says how to add one). */
#include <stddef.h>

#include "decode_ext.h"

const struct decode_ext *const decode_exts[] = {
	&decode_ext_verify,
	&decode_ext_trust_anchor,
	&decode_ext_chain,
	&decode_ext_hk_enc_key,
	&decode_ext_hk,
	&decode_ext_hk_file,
	NULL,
};
