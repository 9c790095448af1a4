/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw telemetry command parameters (tel_params.h): pure functions, no EAL, no gateway
 * state.  Numbers through strtoul, addresses through inet_pton.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "tel_params.h"

int tel_param_lcore(const char *params, unsigned long *id)
{
	char *end;

	if (params == NULL || *params == '\0')
		return -1;
	*id = strtoul(params, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int tel_param_addr(const char *params, uint8_t addr[16])
{
	return params != NULL && inet_pton(AF_INET6, params, addr) == 1 ? 0 : -1;
}

enum tel_role tel_lcore_role(const struct tel_lcores *l, unsigned long id, unsigned *index)
{
	for (unsigned i = 0; i < l->n_workers; i++)
		if (l->worker[i] == id && l->control != id) {
			*index = i;
			return TEL_ROLE_WORKER;
		}
	for (unsigned k = 0; k < l->n_slow; k++)
		if (l->slow[k] == id) {
			*index = k;
			return TEL_ROLE_SLOW;
		}
	if (l->control != id)
		return TEL_ROLE_NONE;
	return l->n_workers > 0 && l->worker[0] == id ? TEL_ROLE_CONTROL_WORKER : TEL_ROLE_CONTROL;
}
