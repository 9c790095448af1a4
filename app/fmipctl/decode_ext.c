/* SPDX-License-Identifier: BSD-3-Clause */
/* The table of `fmipctl decode` extensions (decode_ext.h says how to add one). */
#include <stddef.h>

#include "decode_ext.h"

const struct decode_ext *const decode_exts[] = {
	NULL,
};
