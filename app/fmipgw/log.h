/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipgw log types (registered by main.c; a benchmark or test may point them all at one). */
#ifndef FMIPGW_LOG_H
#define FMIPGW_LOG_H

#include <rte_log.h>

struct gw_logtypes {
	int fast, ctrl, cfg, crypto;
};
extern struct gw_logtypes gw_log;

#define GW_LOG(type, level, ...) \
	rte_log(RTE_LOG_##level, gw_log.type, "fmipgw." #type ": " __VA_ARGS__)

#endif /* FMIPGW_LOG_H */
