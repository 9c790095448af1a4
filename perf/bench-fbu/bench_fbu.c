/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench-fbu — the FBU authenticator fast path, with its baselines, in one process and run.
 *
 * For N mobile nodes (default 1k, 100k, 1M) and AT 0 / AT 1, real FBU frames (Ethernet +
 * IPv6 + Dest-Opts/HAO + MH with Alt-CoA and BADF, built and sealed with lib/wire) are put in
 * a random order; 1 in 8 is forged (its authenticator was made with a wrong key, checksum
 * valid).  Each "RX burst" of 32 allocates mbufs and copies the frames in (the RX stand-in,
 * identical in every variant), then:
 *   (a)  fast:  wire_fbu_fast_decode (fallback wire_decode_frame) -> keytab_pipe (signatures
 *               while parsing, bulk lookup and record prefetch one loop ahead, -D depth) ->
 *               MAC input in place -> mac_burst_add/verify (ipsec-mb) -> restore -> free
 *   (a') prev:  the path before issue 14: wire_decode_frame -> keytab_lookup_bulk ->
 *               wire_mac_input -> mac_verify_burst (gathered into scratch) -> free
 *   (b)  openssl: (a') with lib/mac's OpenSSL backend (precomputed EVP states), copy/segments
 *   (c)  naive: decode, one rte_hash lookup per packet, OpenSSL HMAC() one-shot, CRYPTO_memcmp
 *   (d)  floor: mbuf alloc/copy/free + bulk lookup + mac_verify_burst on pre-extracted inputs
 *   (e)  bare:  RX, rte_hash_lookup_bulk_data on the PCoA, one ipsec-mb hash burst over the
 *               frames' MAC input laid out in place beforehand, compare; no parse, no lib/mac
 * Every variant must accept exactly the valid 7/8 (checked per packet; a mismatch exits 1).
 * Cycles are TSC ticks (rte_rdtsc); Mpps = TSC Hz / ticks per packet.
 *
 * usage: bench-fbu [EAL args] -- [-n N[,N...]] [-t AT[,AT]] [-r runs] [-p packets/run]
 *             [-m sse|avx|avx2|avx512|auto|imb-auto] [-V a,A,b,c,d,e] [-D 0|1] [-o FILE]
 *             [--smoke]
 */
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "bench_fbu.h"

const char *const vname[V__COUNT] = {
	"(a) fast: template+in place+pipeline",	 "(a') before: parse+bulk lookup+burst",
	"(b) (a') OpenSSL backend (copy)",	 "(b') (a') OpenSSL backend (segmented)",
	"(c) naive: lookup + HMAC() per pkt",	 "(d) floor: mbuf+bulk lookup+burst MAC",
	"(e) bare: mbuf+bulk lookup+hash burst",
};
/* the data file's variant column */
const char *const vkey[V__COUNT] = { "a", "a_prev", "b", "b_seg", "c", "d", "e" };

struct rte_rcu_qsbr *qsv;
struct mac_engine *eng_imb, *eng_ossl, *eng_ossl_seg;
unsigned pipe_depth = 1;

void die(const char *what, int rc)
{
	fprintf(stderr, "bench-fbu: %s: %d (%s)\n", what, rc, strerror(rc < 0 ? -rc : rc));
	exit(2);
}

/* One run of variant v over `packets` packets; returns TSC ticks per packet. */
static double run(int v, struct lcore_state *ls, struct world *wd, uint64_t packets, int *failed)
{
	uint64_t bursts = packets / BURST, t0, t;
	uint32_t pos = 0;
	uint64_t valid = 0;

	ls->accepted = ls->wrong = 0;
	if (v == V_FAST)
		fast_begin(ls);
	t0 = rte_rdtsc();
	for (uint64_t b = 0; b < bursts; b++) {
		const struct frame *fr = &wd->fr[pos];
		switch (v) {
		case V_FAST:
			burst_fast(ls, wd->kt, fr); /* reports its quiescent state itself */
			break;
		case V_PREV:
			burst_prev(ls, wd->kt, fr);
			break;
		case V_OSSL:
		case V_OSSL_SEG:
			burst_prev(ls, wd->kt_ossl, fr);
			break;
		case V_NAIVE:
			burst_naive(ls, wd->kt, fr);
			break;
		case V_FLOOR:
			burst_floor(ls, wd->kt, fr, &wd->pre[pos]);
			break;
		default:
			burst_bare(ls, wd, &wd->fe[pos]);
			break;
		}
		if (v != V_FAST)
			rte_rcu_qsbr_quiescent(qsv, 0);
		pos += BURST;
		if (pos + BURST > wd->n_fr)
			pos = 0;
	}
	if (v == V_FAST)
		fast_drain(ls, wd->kt);
	t = rte_rdtsc() - t0;
	/* exactly the valid 7/8 accepted, packet by packet */
	pos = 0;
	for (uint64_t b = 0; b < bursts; b++) {
		for (int i = 0; i < BURST; i++)
			valid += wd->fr[pos + (uint32_t)i].valid;
		pos += BURST;
		if (pos + BURST > wd->n_fr)
			pos = 0;
	}
	if (ls->wrong != 0 || ls->accepted != valid) {
		fprintf(stderr,
			"bench-fbu: %s: accepted %" PRIu64 " of %" PRIu64 " valid, %" PRIu64
			" wrong decisions\n",
			vname[v], ls->accepted, valid, ls->wrong);
		*failed = 1;
	}
	return (double)t / (double)(bursts * BURST);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench-fbu [EAL args] -- [-n N[,N...]] [-t AT[,AT]] [-r runs] "
			"[-p packets/run] [-m arch] [-V a,A,b,c,d,e] [-D 0|1] [-o FILE] "
			"[--smoke]\n");
	exit(2);
}

struct opts {
	uint32_t ns[8], n_ns;
	uint8_t ats[2], n_ats;
	unsigned runs;
	uint64_t packets;
	int arch;
	unsigned vmask;
	FILE *data; /* -o */
};

/* EAL: the arguments before "--", or built-in ones (--no-huge, one lcore, own prefix). */
static void eal_start(int *argc, char ***argv)
{
	static char prefix[48];
	char *eal_default[] = { (*argv)[0],    "--no-huge",	"--no-pci",
				"-m",	       "2048",		"-l",
				"0",	       "--file-prefix", prefix,
				"--log-level", "lib.eal:error", NULL };
	int rc, has_eal = 0;

	/* a file prefix of its own, so that runs from several build directories never collide */
	snprintf(prefix, sizeof(prefix), "fmipgw_bench_fbu_%d", (int)getpid());
	for (int i = 1; i < *argc; i++)
		if (strcmp((*argv)[i], "--") == 0)
			has_eal = 1;
	if (!has_eal) {
		rc = rte_eal_init((int)(sizeof(eal_default) / sizeof(eal_default[0])) - 1,
				  eal_default);
		if (rc < 0)
			die("rte_eal_init", rc);
		return;
	}
	rc = rte_eal_init(*argc, *argv);
	if (rc < 0)
		die("rte_eal_init", rc);
	*argc -= rc;
	*argv += rc;
}

static unsigned parse_list(const char *arg, uint32_t *out, unsigned max)
{
	char buf[256], *s = buf, *tok, *save = NULL;
	unsigned n = 0;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (; (tok = strtok_r(s, ",", &save)) != NULL && n < max; s = NULL)
		out[n++] = (uint32_t)strtoul(tok, NULL, 0);
	return n;
}

static unsigned parse_variants(const char *arg)
{
	unsigned m = 0;

	for (const char *c = arg; *c; c++)
		m |= *c == 'a'	 ? 1u << V_FAST
		     : *c == 'A' ? 1u << V_PREV
		     : *c == 'b' ? (1u << V_OSSL) | (1u << V_OSSL_SEG)
		     : *c == 'c' ? 1u << V_NAIVE
		     : *c == 'd' ? 1u << V_FLOOR
		     : *c == 'e' ? 1u << V_BARE
				 : 0;
	return m;
}

static void parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lopts[] = { { "smoke", no_argument, NULL, 'S' },
					       { NULL, 0, NULL, 0 } };
	uint32_t at[2];
	int opt;

	*o = (struct opts){ .ns = { 1000, 100000, 1000000 },
			    .n_ns = 3,
			    .ats = { 0, 1 },
			    .n_ats = 2,
			    .runs = 5,
			    .arch = MAC_ARCH_AUTO,
			    .vmask = (1u << V__COUNT) - 1 };
	optind = 0; /* glibc: 0 re-initialises getopt after the EAL scanned another vector */
	while ((opt = getopt_long(argc, argv, "n:t:r:p:m:V:D:o:", lopts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			o->n_ns = parse_list(optarg, o->ns, 8);
			break;
		case 't':
			o->n_ats = (uint8_t)parse_list(optarg, at, 2);
			for (unsigned i = 0; i < o->n_ats; i++)
				o->ats[i] = (uint8_t)at[i];
			break;
		case 'r':
			o->runs = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			o->packets = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			if ((o->arch = mac_arch_parse(optarg)) < 0)
				usage();
			break;
		case 'V': /* variants to run, e.g. "a,e" (A: (a'); b includes b') */
			o->vmask = parse_variants(optarg);
			break;
		case 'D': /* lookup pipeline depth of (a) */
			pipe_depth = (unsigned)strtoul(optarg, NULL, 0);
			if (pipe_depth > 1)
				usage();
			break;
		case 'o': /* append the results to FILE, one tab-separated line per cell */
			if ((o->data = fopen(optarg, "a")) == NULL)
				die(optarg, -errno);
			if (ftell(o->data) == 0)
				fprintf(o->data, "# bench-fbu: hugepages\tat\tmns\tvariant\tmedian"
						 "\tmin\tmax\tmpps\tdepth\n");
			break;
		case 'S':
			o->ns[0] = 1000;
			o->n_ns = 1;
			o->runs = 2;
			o->packets = 16384;
			break;
		default:
			usage();
		}
	}
	if (o->runs == 0 || o->runs > MAX_RUNS || o->n_ns == 0 || o->n_ats == 0)
		usage();
}

static void engines_create(int arch)
{
	struct mac_cfg mc;
	int rc;

	mac_cfg_defaults(&mc);
	mc.arch = (enum mac_arch)arch;
	mc.burst = BURST;
	if ((rc = mac_engine_create(&mc, &eng_imb)) != 0)
		die("mac engine (ipsec-mb)", rc);
	mc.backend = MAC_BACKEND_OPENSSL;
	mc.ossl_segmented = false;
	if ((rc = mac_engine_create(&mc, &eng_ossl)) != 0)
		die("mac engine (openssl)", rc);
	mc.ossl_segmented = true;
	if ((rc = mac_engine_create(&mc, &eng_ossl_seg)) != 0)
		die("mac engine (openssl segmented)", rc);
}

static void print_header(const struct opts *o)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256], model[200] = "?";

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "model name", 10) == 0) {
			snprintf(model, sizeof(model), "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (f != NULL)
		fclose(f);
	printf("# bench-fbu: CPU %s, TSC %.3f GHz; cycles = TSC ticks (rte_rdtsc)\n", model,
	       (double)rte_get_tsc_hz() / 1e9);
	printf("# MAC engine: %s; self-benchmark ticks/job at burst %d:",
	       mac_engine_describe(eng_imb), BURST);
	for (int a = MAC_ARCH_SSE; a <= MAC_ARCH_AVX512; a++)
		printf(" %s %.0f/%.0f", mac_arch_name(a),
		       mac_engine_bench_cycles(eng_imb, a, MAC_ALG_HMAC_SHA1),
		       mac_engine_bench_cycles(eng_imb, a, MAC_ALG_HMAC_SHA256));
	printf(" (sha1/sha256)\n");
	printf("# bursts of %d, 7/8 valid + 1/8 forged FBUs, %u runs: median [min, max]; "
	       "(a) lookup pipeline depth %u; memory: %s\n",
	       BURST, o->runs, pipe_depth,
	       rte_eal_has_hugepages() ? "hugepages" : "4 KiB pages (--no-huge)");
	printf("| AT | MNs | variant | cycles/pkt median [min, max] | Mpps/core | vs (e) | vs (d) "
	       "| vs (c) |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
}

/* The table rows (and data lines) of one AT and MN count from the runs' results. */
static void print_row(const struct opts *o, uint8_t at, uint32_t n_mn,
		      double res[V__COUNT][MAX_RUNS])
{
	double med[V__COUNT], mn[V__COUNT], mx[V__COUNT];
	unsigned runs = o->runs, vm = o->vmask;

	for (int v = 0; v < V__COUNT; v++) {
		qsort(res[v], runs, sizeof(double), cmp_d);
		med[v] =
		    runs % 2 ? res[v][runs / 2] : (res[v][runs / 2 - 1] + res[v][runs / 2]) / 2;
		mn[v] = res[v][0];
		mx[v] = res[v][runs - 1];
	}
	for (int v = 0; v < V__COUNT; v++) {
		char re[16] = "-", rd[16] = "-", rc[16] = "-";
		double mpps = (double)rte_get_tsc_hz() / med[v] / 1e6;
		if (!(vm & (1u << v)))
			continue;
		if (vm & (1u << V_BARE))
			snprintf(re, sizeof(re), "%.2f", med[V_BARE] / med[v]);
		if (vm & (1u << V_FLOOR))
			snprintf(rd, sizeof(rd), "%.2f", med[V_FLOOR] / med[v]);
		if (vm & (1u << V_NAIVE))
			snprintf(rc, sizeof(rc), "%.1f", med[V_NAIVE] / med[v]);
		printf("| %u | %u | %s | %.0f [%.0f, %.0f] | %.2f | %s | %s | %s |\n", at, n_mn,
		       vname[v], med[v], mn[v], mx[v], mpps, re, rd, rc);
		if (o->data != NULL)
			fprintf(o->data, "%d\t%u\t%u\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%u\n",
				rte_eal_has_hugepages(), at, n_mn, vkey[v], med[v], mn[v], mx[v],
				mpps, pipe_depth);
	}
	fflush(stdout);
	if (o->data != NULL)
		fflush(o->data);
}

/* One AT and MN count: the world, the interleaved runs of every variant, the rows. */
static void run_cell(struct lcore_state *ls, const struct opts *o, uint8_t at, uint32_t n_mn,
		     int first, int *failed)
{
	struct world wd;
	uint32_t n_fr = n_mn < 65536 ? 65536 : n_mn;
	uint64_t pk = o->packets ? o->packets : (n_fr < (1u << 20) ? (1u << 20) : n_fr);
	double res[V__COUNT][MAX_RUNS];
	struct mac_ctx *ctx[V__COUNT];
	int rc;

	if (o->packets && n_fr > o->packets)
		n_fr = (uint32_t)((o->packets + BURST - 1) / BURST * BURST);
	if (n_fr < n_mn)
		n_fr = n_mn + (BURST - n_mn % BURST) % BURST;
	ctx[V_FAST] = ctx[V_PREV] = ctx[V_NAIVE] = ctx[V_FLOOR] = ctx[V_BARE] =
	    mac_ctx_create(eng_imb);
	ctx[V_OSSL] = mac_ctx_create(eng_ossl);
	ctx[V_OSSL_SEG] = mac_ctx_create(eng_ossl_seg);
	if (ctx[V_FAST] == NULL || ctx[V_OSSL] == NULL || ctx[V_OSSL_SEG] == NULL)
		die("mac_ctx_create", -ENOMEM);
	ls->mac = ctx[V_FAST];
	build_world(&wd, at, n_mn, n_fr, ls->mac);
	if ((rc = bare_setup(ls, &wd)) != 0)
		die("ipsec-mb manager for (e)", rc);
	if (first)
		mac_only(ls, &wd);
	/* runs interleaved so that drift hits every variant alike */
	for (unsigned r = 0; r < o->runs; r++)
		for (int v = 0; v < V__COUNT; v++) {
			ls->mac = ctx[v];
			res[v][r] = (o->vmask & (1u << v)) ? run(v, ls, &wd, pk, failed) : 0;
		}
	print_row(o, at, n_mn, res);
	bare_teardown(ls);
	free_world(&wd);
	mac_ctx_destroy(ctx[V_FAST]);
	mac_ctx_destroy(ctx[V_OSSL]);
	mac_ctx_destroy(ctx[V_OSSL_SEG]);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct lcore_state *ls;
	int failed = 0;

	eal_start(&argc, &argv);
	parse_opts(argc, argv, &o);
	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, 1) != 0)
		die("qsbr", -ENOMEM);
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);
	engines_create(o.arch);
	ls = rte_zmalloc("lcore", sizeof(*ls), RTE_CACHE_LINE_SIZE);
	if (ls == NULL)
		die("lcore state", -ENOMEM);
	ls->mp = rte_pktmbuf_pool_create("bench_mb", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 (int)rte_socket_id());
	if (ls->mp == NULL)
		die("mbuf pool", -ENOMEM);
	print_header(&o);
	for (unsigned ai = 0; ai < o.n_ats; ai++)
		for (unsigned ni = 0; ni < o.n_ns; ni++)
			run_cell(ls, &o, o.ats[ai], o.ns[ni], ni == 0, &failed);
	printf("# vs (e) / vs (d) = (e) / (d) cycles over the variant's (throughput relative to "
	       "the bare pipeline / the floor); vs (c) = speed-up over the naive per-packet "
	       "HMAC()\n");
	printf("# acceptance check (exactly the valid 7/8 accepted, per packet): %s\n",
	       failed ? "FAILED" : "ok");
	if (o.data != NULL)
		fclose(o.data);
	rte_rcu_qsbr_thread_offline(qsv, 0);
	mac_engine_destroy(eng_imb);
	mac_engine_destroy(eng_ossl);
	mac_engine_destroy(eng_ossl_seg);
	rte_eal_cleanup();
	return failed ? 1 : 0;
}
