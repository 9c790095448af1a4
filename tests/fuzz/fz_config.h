/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fz_config: the oracles of fuzz_config.c (see its header comment); each aborts. */
#ifndef FMIPGW_FZ_CONFIG_H
#define FMIPGW_FZ_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "config_int.h"

/* The line that separates the configuration from the route file in an input. */
#define FZ_CFG_SEP "\n%%routes%%\n"

/* When config_scan accepts path, rte_cfgfile reads it as the scan saw it.  data/size (the
 * input) choose which entries are checked against the line finder (a file read each). */
void fz_cfg_scan_agrees(const char *path, const uint8_t *data, size_t size);
/* config_load refused text (written to path) with err. */
void fz_cfg_refusal(const char *path, const char *text, size_t len, const char *err);
/* config_load accepted cfg. */
void fz_cfg_accepted(const struct gw_config *cfg);
/* The reload diff of loaded onto a copy of base (base itself is left as it is). */
void fz_cfg_reload(const struct gw_config *base, struct gw_config *loaded);

#endif /* FMIPGW_FZ_CONFIG_H */
