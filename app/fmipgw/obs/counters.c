/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw counters: the one emitter of the X-macro table in counters.h.  Every output — the
 * telemetry dictionaries, --stats-json, the docs table — walks counters_foreach(), so a
 * counter's name (malformed_<err> included) is written in one place.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_telemetry.h>

#include "counters.h"

/* malformed_<lib/wire error>, with the error's text made a telemetry-safe name */
static void malformed_name(int e, char *name, size_t len)
{
	snprintf(name, len, "malformed_%s", wire_strerror(e));
	for (char *p = name; *p; p++)
		if (*p == ' ' || *p == '-')
			*p = '_';
}

int counters_foreach(const struct gw_counters *c, gw_counter_fn fn, void *ctx)
{
	int rc;

#define GW_CNT_VISIT(n, u, h)                                             \
	rc = fn(ctx, #n, u, h, __atomic_load_n(&c->n, __ATOMIC_RELAXED)); \
	if (rc != 0)                                                      \
		return rc;
	GW_COUNTERS(GW_CNT_VISIT)
#undef GW_CNT_VISIT
	for (int e = 1; e < WIRE_E__COUNT; e++) {
		char name[64];

		malformed_name(e, name, sizeof(name));
		rc = fn(ctx, name, "packets", wire_strerror(e),
			__atomic_load_n(&c->malformed[e], __ATOMIC_RELAXED));
		if (rc != 0)
			return rc;
	}
	return 0;
}

void counters_add(struct gw_counters *s, const struct gw_counters *c)
{
#define GW_CNT_ADD(n, u, h) s->n += __atomic_load_n(&c->n, __ATOMIC_RELAXED);
	GW_COUNTERS(GW_CNT_ADD)
#undef GW_CNT_ADD
	for (int e = 0; e < WIRE_E__COUNT; e++)
		s->malformed[e] += __atomic_load_n(&c->malformed[e], __ATOMIC_RELAXED);
}

static int md_row(void *ctx, const char *name, const char *unit, const char *help, uint64_t v)
{
	(void)v;
	if (strncmp(name, "malformed_", 10) == 0)
		fprintf(ctx, "| `%s` | %s | %s \"%s\" |\n", name, unit, GW_MALFORMED_HELP, help);
	else
		fprintf(ctx, "| `%s` | %s | %s |\n", name, unit, help);
	return 0;
}

void counters_print_md(FILE *f)
{
	static const struct gw_counters zero;

	fprintf(f, "| counter | unit | meaning |\n|---|---|---|\n");
	counters_foreach(&zero, md_row, f);
}

static int json_member(void *ctx, const char *name, const char *unit, const char *help, uint64_t v)
{
	(void)unit;
	(void)help;
	fprintf(ctx, "\"%s\": %" PRIu64 ", ", name, v);
	return 0;
}

void counters_print_json(FILE *f, const struct gw_counters *c)
{
	counters_foreach(c, json_member, f);
}

static int tel_member(void *ctx, const char *name, const char *unit, const char *help, uint64_t v)
{
	(void)unit;
	(void)help;
	return rte_tel_data_add_dict_u64(ctx, name, v) != 0 ? -1 : 0;
}

int counters_tel_dict(struct rte_tel_data *d, const struct gw_counters *c)
{
	return counters_foreach(c, tel_member, d);
}
