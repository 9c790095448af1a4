/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry internals shared by telemetry.c (the guard, registration and the counter
 * and configuration commands) and tel_tables.c (the key and binding table commands).
 */
#ifndef FMIPGW_TEL_INT_H
#define FMIPGW_TEL_INT_H

struct gw;
struct rte_tel_data;

/* DPDK 22.11 callbacks take no user argument: the gateway, set once by telemetry_init()
 * before registration, never changed. */
extern struct gw *tel_gw;

/* tel_tables.c: /fmipgw/keys, /fmipgw/key, /fmipgw/bindings, /fmipgw/binding */
int tel_cmd_keys(const char *cmd, const char *params, struct rte_tel_data *d);
int tel_cmd_key(const char *cmd, const char *params, struct rte_tel_data *d);
int tel_cmd_bindings(const char *cmd, const char *params, struct rte_tel_data *d);
int tel_cmd_binding(const char *cmd, const char *params, struct rte_tel_data *d);

#endif /* FMIPGW_TEL_INT_H */
