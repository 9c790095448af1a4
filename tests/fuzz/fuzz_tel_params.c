/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer target: the gateway's telemetry command parameters (app/fmipgw/obs/tel_params.c,
 * which /fmipgw/lcore, /fmipgw/key and /fmipgw/binding call).  The input is a request as a
 * client writes it to the telemetry socket; it is split as DPDK 22.11's telemetry thread
 * splits it (at most 1023 octets read, strtok at the first ',', the rest as params, NULL
 * when empty), and params goes through every parser: tel_param_lcore, tel_param_addr, and
 * tel_lcore_role of the id on a few lcore layouts (one lcore doing everything, workers beside
 * the control lcore, slow-path lcores, a worker on the control lcore).
 *
 * Oracles besides ASan/UBSan (each recomputed here without the parser's code path):
 *  - lcore: accepted exactly when params is C white space, an optional sign and decimal
 *    digits to its end, with strtoul's value (magnitude saturated at ULONG_MAX, '-' negates
 *    modulo 2^64);
 *  - address: an accepted text is at most 45 characters of [0-9A-Fa-f:.] (the command echoes
 *    it into its JSON answer), and the address printed and read again is the same;
 *  - role: a worker role names a worker on id off the control lcore and no earlier one; a
 *    slow role the first slow-path lcore on id and no such worker; control (+worker) only for
 *    the control lcore with no such worker or slow-path lcore, +worker exactly when worker 0
 *    is on it; none when nothing is on id.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tel_params.h"

static bool c_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* strtoul(p, &end, 10) with *end == '\0', recomputed: 0 and *v, or -1. */
static int ref_lcore(const char *p, unsigned long *v)
{
	unsigned long x = 0;
	bool neg = false, sat = false;

	if (p == NULL || *p == '\0')
		return -1;
	while (c_space(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (x > (ULONG_MAX - d) / 10)
			sat = true;
		else
			x = x * 10 + d;
	}
	if (*p != '\0')
		return -1;
	*v = sat ? ULONG_MAX : neg ? 0ul - x : x;
	return 0;
}

static void check_addr(const char *params)
{
	uint8_t a[16], b[16];
	char text[INET6_ADDRSTRLEN];

	if (tel_param_addr(params, a) != 0)
		return;
	if (strlen(params) > 45 || strspn(params, "0123456789abcdefABCDEF:.") != strlen(params))
		abort();
	if (inet_ntop(AF_INET6, a, text, sizeof(text)) == NULL || tel_param_addr(text, b) != 0 ||
	    memcmp(a, b, 16) != 0)
		abort();
}

static void check_role(const struct tel_lcores *l, unsigned long id)
{
	unsigned x = ~0u, fw = ~0u, fs = ~0u;
	enum tel_role r = tel_lcore_role(l, id, &x);

	for (unsigned i = 0; i < l->n_workers && fw == ~0u; i++)
		if (l->worker[i] == id && l->control != id)
			fw = i;
	for (unsigned k = 0; k < l->n_slow && fs == ~0u; k++)
		if (l->slow[k] == id)
			fs = k;
	switch (r) {
	case TEL_ROLE_WORKER:
		if (x != fw)
			abort();
		break;
	case TEL_ROLE_SLOW:
		if (fw != ~0u || x != fs)
			abort();
		break;
	case TEL_ROLE_CONTROL:
	case TEL_ROLE_CONTROL_WORKER:
		if (fw != ~0u || fs != ~0u || l->control != id ||
		    (r == TEL_ROLE_CONTROL_WORKER) != (l->n_workers && l->worker[0] == id))
			abort();
		break;
	case TEL_ROLE_NONE:
		if (fw != ~0u || fs != ~0u || l->control == id)
			abort();
		break;
	default:
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned w1[] = { 0 }, w3[] = { 1, 2, 3 }, s2[] = { 4, 5 }, wc[] = { 2, 0, 2 };
	static const struct tel_lcores layouts[] = {
		{ w1, 1, NULL, 0, 0 }, /* one lcore does everything */
		{ w3, 3, NULL, 0, 0 }, /* control on the main lcore, three workers */
		{ w3, 3, s2, 2, 0 },   /* and two slow-path lcores */
		{ wc, 3, s2, 2, 2 },   /* worker 0 and 2 on the control lcore, worker 1 on 0 */
		{ w3, 3, w3, 3, 3 },   /* slow-path lcores on the workers' (and control's) */
	};
	char buffer[1024];
	const char *params;
	unsigned long id, ref;
	size_t n = size < sizeof(buffer) - 1 ? size : sizeof(buffer) - 1;
	int rc;

	memcpy(buffer, data, n); /* DPDK: read(s, buffer, sizeof(buffer) - 1) */
	buffer[n] = '\0';
	if (strtok(buffer, ",") == NULL)
		return 0;
	params = strtok(NULL, "\0");

	rc = tel_param_lcore(params, &id);
	if (rc != ref_lcore(params, &ref) || (rc == 0 && id != ref))
		abort();
	if (rc == 0)
		for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
			check_role(&layouts[i], id);
	check_addr(params);
	return 0;
}
