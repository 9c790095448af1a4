/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry command parameters (obs/tel_params.c): what a client writes after the
 * comma of "/fmipgw/<command>,<params>", parsed without the EAL or the gateway's state, so
 * that the commands (telemetry.c, tel_cmds.c) and the fuzz target tests/fuzz/fuzz_tel_params.c
 * run the same code.  DPDK 22.11's telemetry thread reads a request of at most 1023 octets and
 * hands params as the rest of it after the first ',' (NULL when there is none or it is empty):
 * any octets but NUL.
 *
 *   tel_param_lcore  /fmipgw/lcore: an lcore id, strtoul() base 10 over the whole string
 *                    (so leading white space and a sign are taken, as strtoul does; an id
 *                    that names no lcore is refused by the command)
 *   tel_param_addr   /fmipgw/key, /fmipgw/binding: an IPv6 address as inet_pton() reads it
 *                    (the command echoes the accepted text: at most 45 characters of
 *                    [0-9A-Fa-f:.])
 *   tel_lcore_role   /fmipgw/lcore: which of the gateway's lcores an id names
 *
 * The other commands take no parameter and ignore what they get.
 */
#ifndef FMIPGW_TEL_PARAMS_H
#define FMIPGW_TEL_PARAMS_H

#include <stdint.h>

/* 0 and the id, or -1 (NULL, empty, or not all digits after strtoul's prefix). */
int tel_param_lcore(const char *params, unsigned long *id);
/* 0 and the address, or -1 (NULL or not an IPv6 address). */
int tel_param_addr(const char *params, uint8_t addr[16]);

/* The gateway's lcores as /fmipgw/lcore sees them. */
struct tel_lcores {
	const unsigned *worker; /* worker i runs on worker[i] */
	unsigned n_workers;
	const unsigned *slow; /* slow-path lcore k runs on slow[k] */
	unsigned n_slow;
	unsigned control; /* the control lcore */
};

enum tel_role {
	TEL_ROLE_NONE,		 /* no lcore of the gateway */
	TEL_ROLE_WORKER,	 /* *index: the worker (not on the control lcore) */
	TEL_ROLE_SLOW,		 /* *index: the slow-path lcore */
	TEL_ROLE_CONTROL,	 /* the control lcore */
	TEL_ROLE_CONTROL_WORKER, /* the control lcore, which also runs worker 0 */
};

/* The first worker on id that is not the control lcore, else the first slow-path lcore on
 * id, else the control lcore (with worker 0 on it: CONTROL_WORKER). */
enum tel_role tel_lcore_role(const struct tel_lcores *l, unsigned long id, unsigned *index);

#endif /* FMIPGW_TEL_PARAMS_H */
