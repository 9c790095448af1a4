/* SPDX-License-Identifier: BSD-3-Clause */
/* fmip-mn command line: the options after "--" (run.h's struct mn_opts) and the scenario. */
#ifndef FMIP_MN_OPTS_H
#define FMIP_MN_OPTS_H

#include <stddef.h>

#include "run.h"
#include "scen.h"

/* 0: run; 1: done (a help text was printed); -1: error in err (file:line for scenarios). */
int mn_opts_parse(int argc, char **argv, struct mn_opts *o, struct mn_scen *s, char *err,
		  size_t len);

#endif /* FMIP_MN_OPTS_H */
