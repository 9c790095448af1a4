/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmip-mn counters and the report: sums over lcores, exact percentiles, the text report, the
 * JSON report (jansson) and the progress line.  The names come from the tables in stats.h.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "scen.h"
#include "stats.h"

#define MN_NAME(n, h) #n,
static const char *const tx_names[] = { MN_TX_KINDS(MN_NAME) };
static const char *const rx_names[] = { MN_RX_KINDS(MN_NAME) };
static const char *const out_names[] = { MN_OUTCOMES(MN_NAME) };
static const char *const fb_names[] = { MN_FBACK_REASONS(MN_NAME) };
#undef MN_NAME
#define MN_HELP(n, h) h,
static const char *const tx_help[] = { MN_TX_KINDS(MN_HELP) };
static const char *const rx_help[] = { MN_RX_KINDS(MN_HELP) };
static const char *const out_help[] = { MN_OUTCOMES(MN_HELP) };
static const char *const fb_help[] = { MN_FBACK_REASONS(MN_HELP) };
#undef MN_HELP
#define HK_NAME(n, s) #n,
static const char *const hk_names[] = { HK_REASONS(HK_NAME) };
#undef HK_NAME

enum { SAMPLES_MAX = 1 << 24 };

const char *mn_tx_name(unsigned k)
{
	return k < MN_TX__COUNT ? tx_names[k] : "?";
}

void mn_samples_add(struct mn_samples *s, uint64_t us)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		uint32_t *v;

		if (cap > SAMPLES_MAX || (v = realloc(s->v, cap * sizeof(*v))) == NULL)
			return; /* the report says n; beyond 16M samples the tail is not kept */
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

void mn_samples_free(struct mn_samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static void samples_append(struct mn_samples *d, const struct mn_samples *s)
{
	for (size_t i = 0; i < s->n; i++)
		mn_samples_add(d, s->v[i]);
}

static void add_n(uint64_t *d, const uint64_t *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		d[i] += s[i];
}

void mn_stats_add(struct mn_stats *sum, const struct mn_stats *s)
{
	add_n(sum->tx, s->tx, MN_TX__COUNT);
	add_n(sum->tx_malformed, s->tx_malformed, WIRE_E__COUNT);
	add_n(sum->rx, s->rx, MN_RX__COUNT);
	add_n(sum->out, s->out, MN_OUT__COUNT);
	add_n(sum->prrtadv_reason, s->prrtadv_reason, HK_R__COUNT);
	add_n(sum->fback_reason, s->fback_reason, MN_FB__COUNT);
	sum->tx_frames += s->tx_frames;
	sum->tx_bytes += s->tx_bytes;
	sum->rx_frames += s->rx_frames;
	sum->tx_retry += s->tx_retry;
	samples_append(&sum->prov, &s->prov);
	samples_append(&sum->reprov, &s->reprov);
	samples_append(&sum->fback, &s->fback);
}

void mn_stats_free(struct mn_stats *s)
{
	mn_samples_free(&s->prov);
	mn_samples_free(&s->reprov);
	mn_samples_free(&s->fback);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The smallest sample with at least pct % of the samples at or below it (nearest rank). */
static uint32_t rank(const struct mn_samples *s, unsigned pct)
{
	size_t k = (s->n * pct + 99) / 100;

	return s->n ? s->v[k ? k - 1 : 0] : 0;
}

void mn_samples_pct(struct mn_samples *s, struct mn_pct *p)
{
	memset(p, 0, sizeof(*p));
	if (s->n == 0)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_u32);
	p->n = s->n;
	p->p50 = rank(s, 50);
	p->p90 = rank(s, 90);
	p->p99 = rank(s, 99);
	p->max = s->v[s->n - 1];
}

static const char *wire_name(unsigned e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", wire_strerror((int)e));
	for (char *c = buf; *c; c++)
		if (*c == ' ')
			*c = '_';
	return buf;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

/* Valid operations attempted and their successes, as the report's "success by message". */
struct success {
	uint64_t prov_try, prov_ok, fbu_sent, fback_ok, data_sent, data_ok, rev_sent, rev_ok;
};

static void success_of(const struct mn_stats *st, struct success *s)
{
	s->prov_try = st->out[MN_OUT_prov_ok] + st->out[MN_OUT_prov_failed];
	s->prov_ok = st->out[MN_OUT_prov_ok];
	s->fbu_sent = st->tx[MN_TX_fbu_par] + st->tx[MN_TX_fbu_nar] + st->tx[MN_TX_fbu_return];
	s->fback_ok = st->rx[MN_RX_fback_ok];
	s->data_sent = st->tx[MN_TX_data];
	s->data_ok = st->rx[MN_RX_data_tunnel_ok];
	s->rev_sent = st->tx[MN_TX_reverse];
	s->rev_ok = st->rx[MN_RX_reverse_ok];
}

void mn_counters_md(FILE *f)
{
	fprintf(f, "| report | counter | meaning |\n|---|---|---|\n");
	for (unsigned i = 0; i < MN_TX__COUNT; i++)
		fprintf(f, "| tx | `%s` | %s |\n", tx_names[i], tx_help[i]);
	for (unsigned i = 0; i < MN_RX__COUNT; i++)
		fprintf(f, "| rx | `%s` | %s |\n", rx_names[i], rx_help[i]);
	for (unsigned i = 0; i < MN_OUT__COUNT; i++)
		fprintf(f, "| outcomes | `%s` | %s |\n", out_names[i], out_help[i]);
	for (unsigned i = 0; i < MN_FB__COUNT; i++)
		fprintf(f, "| fback_refused_by_reason | `%s` | %s |\n", fb_names[i], fb_help[i]);
}

static void text_pct(FILE *f, const char *what, struct mn_samples *s)
{
	struct mn_pct p;

	mn_samples_pct(s, &p);
	if (p.n == 0) {
		fprintf(f, "  %-34s no samples\n", what);
		return;
	}
	fprintf(f, "  %-34s n %zu  p50 %u  p90 %u  p99 %u  max %u\n", what, p.n, p.p50, p.p90,
		p.p99, p.max);
}

/* The non-zero counters of one table, with their help text. */
static void text_table(FILE *f, const uint64_t *v, const char *const *names,
		       const char *const *help, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (v[i])
			fprintf(f, "  %-28s %10llu  %s\n", names[i], (unsigned long long)v[i],
				help[i]);
}

static void text_counts(FILE *f, const struct mn_stats *st)
{
	char b[64];

	fprintf(f, "sent (frames the port or the pcap took)\n");
	text_table(f, st->tx, tx_names, tx_help, MN_TX__COUNT);
	for (unsigned e = 1; e < WIRE_E__COUNT; e++)
		if (st->tx_malformed[e])
			fprintf(f, "    malformed %-20s %10llu\n", wire_name(e, b, sizeof(b)),
				(unsigned long long)st->tx_malformed[e]);
	fprintf(f, "received\n");
	text_table(f, st->rx, rx_names, rx_help, MN_RX__COUNT);
	for (unsigned r = 0; r < HK_R__COUNT; r++)
		if (st->prrtadv_reason[r])
			fprintf(f, "    PrRtAdv refused: %-30s %llu\n", hk_strerror((int)r),
				(unsigned long long)st->prrtadv_reason[r]);
	for (unsigned r = 0; r < MN_FB__COUNT; r++)
		if (st->fback_reason[r])
			fprintf(f, "    FBack refused: %-32s %llu\n", fb_names[r],
				(unsigned long long)st->fback_reason[r]);
	fprintf(f, "outcomes\n");
	text_table(f, st->out, out_names, out_help, MN_OUT__COUNT);
}

void mn_report_text(FILE *f, struct mn_stats *st, const struct mn_run_info *ri)
{
	struct success s;

	fprintf(f,
		"\nfmip-mn %s: %u nodes on %u lcore(s), %.1f s, %llu frames sent (%llu octets), "
		"%llu received\n",
		ri->mode, ri->nodes, ri->lcores, ri->seconds, (unsigned long long)st->tx_frames,
		(unsigned long long)st->tx_bytes, (unsigned long long)st->rx_frames);
	fprintf(f, "identities: %u generated, %u from the cache (RSA-%u, Sec %u); %.2f s wall\n",
		ri->ids_generated, ri->ids_loaded, ri->id_bits, ri->id_sec, ri->ids_wall_s);
	success_of(st, &s);
	fprintf(f, "success by message\n");
	fprintf(f, "  %-34s %llu / %llu (%.1f %%)\n", "provisioning (RtSolPr -> key)",
		(unsigned long long)s.prov_ok, (unsigned long long)s.prov_try,
		100 * ratio(s.prov_ok, s.prov_try));
	fprintf(f, "  %-34s %llu / %llu (%.1f %%)\n", "FBU -> FBack verified",
		(unsigned long long)s.fback_ok, (unsigned long long)s.fbu_sent,
		100 * ratio(s.fback_ok, s.fbu_sent));
	fprintf(f, "  %-34s %llu / %llu (%.1f %%)\n", "data to PCoA -> tunnelled to NCoA",
		(unsigned long long)s.data_ok, (unsigned long long)s.data_sent,
		100 * ratio(s.data_ok, s.data_sent));
	fprintf(f, "  %-34s %llu / %llu (%.1f %%)\n", "reverse tunnel -> correspondent",
		(unsigned long long)s.rev_ok, (unsigned long long)s.rev_sent,
		100 * ratio(s.rev_ok, s.rev_sent));
	fprintf(f, "latency (us)\n");
	text_pct(f, "provisioning (first RtSolPr -> key)", &st->prov);
	text_pct(f, "re-provisioning (RtSolPr -> key)", &st->reprov);
	text_pct(f, "FBack (FBU -> verified FBack)", &st->fback);
	text_counts(f, st);
}

static json_t *json_pct(struct mn_samples *s)
{
	struct mn_pct p;
	json_t *o = json_object(), *cdf = json_array();

	mn_samples_pct(s, &p);
	json_object_set_new(o, "n", json_integer((json_int_t)p.n));
	json_object_set_new(o, "p50", json_integer(p.p50));
	json_object_set_new(o, "p90", json_integer(p.p90));
	json_object_set_new(o, "p99", json_integer(p.p99));
	json_object_set_new(o, "max", json_integer(p.max));
	for (unsigned pct = 1; p.n && pct <= 100; pct++)
		json_array_append_new(cdf, json_pack("[iI]", pct, (json_int_t)rank(s, pct)));
	json_object_set_new(o, "cdf_percent_us", cdf);
	return o;
}

static json_t *json_table(const uint64_t *v, const char *const *names, unsigned n)
{
	json_t *o = json_object();

	for (unsigned i = 0; i < n; i++)
		json_object_set_new(o, names[i], json_integer((json_int_t)v[i]));
	return o;
}

static json_t *json_reasons(const uint64_t *v, const char *const *names, unsigned n)
{
	json_t *o = json_object();

	for (unsigned r = 0; r < n; r++)
		if (v[r])
			json_object_set_new(o, names[r], json_integer((json_int_t)v[r]));
	return o;
}

static void json_scen_kv(void *ctx, const char *section, const char *key, const char *value)
{
	json_t *o = ctx, *sec = json_object_get(o, section);

	if (sec == NULL) {
		sec = json_object();
		json_object_set_new(o, section, sec);
	}
	json_object_set_new(sec, key, json_string(value));
}

static json_t *json_success(const struct mn_stats *st)
{
	struct success s;

	success_of(st, &s);
	return json_pack("{s{sIsI}s{sIsI}s{sIsI}s{sIsI}}", "provisioning", "ok",
			 (json_int_t)s.prov_ok, "attempted", (json_int_t)s.prov_try, "fback", "ok",
			 (json_int_t)s.fback_ok, "fbu_sent", (json_int_t)s.fbu_sent, "data_tunnel",
			 "ok", (json_int_t)s.data_ok, "sent", (json_int_t)s.data_sent,
			 "reverse_tunnel", "ok", (json_int_t)s.rev_ok, "sent",
			 (json_int_t)s.rev_sent);
}

static json_t *json_ids(const struct mn_run_info *ri)
{
	return json_pack("{sisisisisfsfsfsfsf}", "generated", ri->ids_generated, "loaded",
			 ri->ids_loaded, "bits", ri->id_bits, "sec", ri->id_sec, "keygen_s",
			 ri->id_keygen_s, "modifier_search_s", ri->id_search_s, "load_s",
			 ri->id_load_s, "enc_keygen_s", ri->enc_keygen_s, "wall_s", ri->ids_wall_s);
}

int mn_report_json(const char *path, struct mn_stats *st, const struct mn_run_info *ri)
{
	json_t *root = json_object(), *tx, *mal = json_object(), *scen = json_object();
	char b[64];
	int rc;

	json_object_set_new(root, "fmip_mn",
			    json_pack("{sisssssssisisfsI}", "version", 1, "mode", ri->mode,
				      "scenario", ri->scenario ? ri->scenario : "", "output",
				      ri->output ? ri->output : "", "nodes", ri->nodes, "lcores",
				      ri->lcores, "seconds", ri->seconds, "frames_sent",
				      (json_int_t)st->tx_frames));
	json_object_set_new(root, "identities", json_ids(ri));
	tx = json_table(st->tx, tx_names, MN_TX__COUNT);
	for (unsigned e = 1; e < WIRE_E__COUNT; e++)
		if (st->tx_malformed[e])
			json_object_set_new(mal, wire_name(e, b, sizeof(b)),
					    json_integer((json_int_t)st->tx_malformed[e]));
	json_object_set_new(tx, "malformed_by_error", mal);
	json_object_set_new(tx, "frames", json_integer((json_int_t)st->tx_frames));
	json_object_set_new(tx, "octets", json_integer((json_int_t)st->tx_bytes));
	json_object_set_new(tx, "partial_bursts_retried", json_integer((json_int_t)st->tx_retry));
	json_object_set_new(root, "tx", tx);
	json_object_set_new(root, "rx", json_table(st->rx, rx_names, MN_RX__COUNT));
	json_object_set_new(json_object_get(root, "rx"), "frames",
			    json_integer((json_int_t)st->rx_frames));
	json_object_set_new(root, "outcomes", json_table(st->out, out_names, MN_OUT__COUNT));
	json_object_set_new(root, "prrtadv_refused_by_reason",
			    json_reasons(st->prrtadv_reason, hk_names, HK_R__COUNT));
	json_object_set_new(root, "fback_refused_by_reason",
			    json_reasons(st->fback_reason, fb_names, MN_FB__COUNT));
	json_object_set_new(root, "success", json_success(st));
	json_object_set_new(root, "latency_us",
			    json_pack("{sososo}", "provisioning", json_pct(&st->prov),
				      "reprovisioning", json_pct(&st->reprov), "fback",
				      json_pct(&st->fback)));
	if (ri->scen)
		scen_foreach(ri->scen, json_scen_kv, scen);
	json_object_set_new(root, "scenario", scen);
	rc = json_dump_file(root, path, JSON_INDENT(2) | JSON_SORT_KEYS) == 0 ? 0 : -1;
	json_decref(root);
	return rc;
}

void mn_progress_line(char *buf, size_t len, const struct mn_stats *st, double t, double tx_rate,
		      unsigned nodes)
{
	snprintf(buf, len,
		 "fmip-mn %6.1fs  tx %llu (%.0f/s) rx %llu | keys %llu/%u failed %llu | FBU %llu "
		 "FBack %llu timeout %llu | attacks %llu | data %llu",
		 t, (unsigned long long)st->tx_frames, tx_rate, (unsigned long long)st->rx_frames,
		 (unsigned long long)st->out[MN_OUT_prov_ok], nodes,
		 (unsigned long long)st->out[MN_OUT_prov_failed],
		 (unsigned long long)(st->tx[MN_TX_fbu_par] + st->tx[MN_TX_fbu_nar] +
				      st->tx[MN_TX_fbu_return]),
		 (unsigned long long)st->rx[MN_RX_fback_ok],
		 (unsigned long long)st->out[MN_OUT_fback_timeout],
		 (unsigned long long)(st->tx[MN_TX_fbu_forged] + st->tx[MN_TX_fbu_replayed] +
				      st->tx[MN_TX_fbu_unknown] + st->tx[MN_TX_rtsolpr_badsig] +
				      st->tx[MN_TX_rtsolpr_replayed] + st->tx[MN_TX_rtsolpr_flood] +
				      st->tx[MN_TX_malformed]),
		 (unsigned long long)(st->tx[MN_TX_data] + st->tx[MN_TX_reverse]));
}
