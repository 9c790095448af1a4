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

int main(int argc, char **argv)
{
	uint32_t ns[8] = { 1000, 100000, 1000000 }, n_ns = 3;
	uint8_t ats[2] = { 0, 1 }, n_ats = 2;
	unsigned runs = 5;
	uint64_t packets = 0;
	int arch = MAC_ARCH_AUTO, failed = 0, rc, opt;
	const char *data_path = NULL;
	FILE *data = NULL;
	struct mac_cfg mc;
	struct lcore_state *ls;
	/* a file prefix of its own, so that runs from several build directories never collide */
	char prefix[48];
	char *eal_default[] = { argv[0],       "--no-huge",	"--no-pci",
				"-m",	       "2048",		"-l",
				"0",	       "--file-prefix", prefix,
				"--log-level", "lib.eal:error", NULL };
	static const struct option lopts[] = { { "smoke", no_argument, NULL, 'S' },
					       { NULL, 0, NULL, 0 } };
	int has_eal = 0;
	unsigned vmask = (1u << V__COUNT) - 1;

	snprintf(prefix, sizeof(prefix), "fmipgw_bench_fbu_%d", (int)getpid());
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			has_eal = 1;
	if (has_eal) {
		rc = rte_eal_init(argc, argv);
		if (rc < 0)
			die("rte_eal_init", rc);
		argc -= rc;
		argv += rc;
	} else {
		rc = rte_eal_init((int)(sizeof(eal_default) / sizeof(eal_default[0])) - 1,
				  eal_default);
		if (rc < 0)
			die("rte_eal_init", rc);
	}
	optind = 0; /* glibc: 0 re-initialises getopt after the EAL scanned another vector */
	while ((opt = getopt_long(argc, argv, "n:t:r:p:m:V:D:o:", lopts, NULL)) != -1) {
		char *s, *tok, *save = NULL;
		switch (opt) {
		case 'n':
			n_ns = 0;
			for (s = optarg; (tok = strtok_r(s, ",", &save)) != NULL && n_ns < 8;
			     s = NULL)
				ns[n_ns++] = (uint32_t)strtoul(tok, NULL, 0);
			break;
		case 't':
			n_ats = 0;
			for (s = optarg; (tok = strtok_r(s, ",", &save)) != NULL && n_ats < 2;
			     s = NULL)
				ats[n_ats++] = (uint8_t)strtoul(tok, NULL, 0);
			break;
		case 'r':
			runs = (unsigned)strtoul(optarg, NULL, 0);
			break;
		case 'p':
			packets = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			if ((arch = mac_arch_parse(optarg)) < 0)
				usage();
			break;
		case 'V': /* variants to run, e.g. "a,e" (A: (a'); b includes b') */
			vmask = 0;
			for (const char *c = optarg; *c; c++)
				vmask |= *c == 'a'   ? 1u << V_FAST
					 : *c == 'A' ? 1u << V_PREV
					 : *c == 'b' ? (1u << V_OSSL) | (1u << V_OSSL_SEG)
					 : *c == 'c' ? 1u << V_NAIVE
					 : *c == 'd' ? 1u << V_FLOOR
					 : *c == 'e' ? 1u << V_BARE
						     : 0;
			break;
		case 'D': /* lookup pipeline depth of (a) */
			pipe_depth = (unsigned)strtoul(optarg, NULL, 0);
			if (pipe_depth > 1)
				usage();
			break;
		case 'o': /* append the results to FILE, one tab-separated line per cell */
			data_path = optarg;
			break;
		case 'S':
			ns[0] = 1000;
			n_ns = 1;
			runs = 2;
			packets = 16384;
			break;
		default:
			usage();
		}
	}
	if (runs == 0 || runs > MAX_RUNS)
		usage();
	if (data_path != NULL) {
		data = fopen(data_path, "a");
		if (data == NULL)
			die(data_path, -errno);
		if (ftell(data) == 0)
			fprintf(data, "# bench-fbu: hugepages\tat\tmns\tvariant\tmedian\tmin\tmax"
				      "\tmpps\tdepth\n");
	}

	qsv = rte_zmalloc("qsv", rte_rcu_qsbr_get_memsize(1), RTE_CACHE_LINE_SIZE);
	if (qsv == NULL || rte_rcu_qsbr_init(qsv, 1) != 0)
		die("qsbr", -ENOMEM);
	rte_rcu_qsbr_thread_register(qsv, 0);
	rte_rcu_qsbr_thread_online(qsv, 0);

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

	ls = rte_zmalloc("lcore", sizeof(*ls), RTE_CACHE_LINE_SIZE);
	if (ls == NULL)
		die("lcore state", -ENOMEM);
	ls->mp = rte_pktmbuf_pool_create("bench_mb", 4095, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					 (int)rte_socket_id());
	if (ls->mp == NULL)
		die("mbuf pool", -ENOMEM);

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
		       BURST, runs, pipe_depth,
		       rte_eal_has_hugepages() ? "hugepages" : "4 KiB pages (--no-huge)");
	}
	printf("| AT | MNs | variant | cycles/pkt median [min, max] | Mpps/core | vs (e) | vs (d) "
	       "| vs (c) |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	for (unsigned ai = 0; ai < n_ats; ai++) {
		for (unsigned ni = 0; ni < n_ns; ni++) {
			struct world wd;
			uint32_t n_fr = ns[ni] < 65536 ? 65536 : ns[ni];
			uint64_t pk = packets ? packets : (n_fr < (1u << 20) ? (1u << 20) : n_fr);
			double res[V__COUNT][MAX_RUNS], med[V__COUNT], mn[V__COUNT], mx[V__COUNT];
			struct mac_ctx *ctx[V__COUNT];

			if (packets && n_fr > packets)
				n_fr = (uint32_t)((packets + BURST - 1) / BURST * BURST);
			if (n_fr < ns[ni])
				n_fr = ns[ni] + (BURST - ns[ni] % BURST) % BURST;
			ctx[V_FAST] = ctx[V_PREV] = ctx[V_NAIVE] = ctx[V_FLOOR] = ctx[V_BARE] =
			    mac_ctx_create(eng_imb);
			ctx[V_OSSL] = mac_ctx_create(eng_ossl);
			ctx[V_OSSL_SEG] = mac_ctx_create(eng_ossl_seg);
			if (ctx[V_FAST] == NULL || ctx[V_OSSL] == NULL || ctx[V_OSSL_SEG] == NULL)
				die("mac_ctx_create", -ENOMEM);
			ls->mac = ctx[V_FAST];
			build_world(&wd, ats[ai], ns[ni], n_fr, ls->mac);
			if ((rc = bare_setup(ls, &wd)) != 0)
				die("ipsec-mb manager for (e)", rc);
			if (ni == 0)
				mac_only(ls, &wd);
			/* runs interleaved so that drift hits every variant alike */
			for (unsigned r = 0; r < runs; r++)
				for (int v = 0; v < V__COUNT; v++) {
					ls->mac = ctx[v];
					res[v][r] =
					    (vmask & (1u << v)) ? run(v, ls, &wd, pk, &failed) : 0;
				}
			for (int v = 0; v < V__COUNT; v++) {
				qsort(res[v], runs, sizeof(double), cmp_d);
				med[v] = runs % 2 ? res[v][runs / 2]
						  : (res[v][runs / 2 - 1] + res[v][runs / 2]) / 2;
				mn[v] = res[v][0];
				mx[v] = res[v][runs - 1];
			}
			for (int v = 0; v < V__COUNT; v++) {
				char re[16] = "-", rd[16] = "-", rc_[16] = "-";
				double mpps = (double)rte_get_tsc_hz() / med[v] / 1e6;
				if (!(vmask & (1u << v)))
					continue;
				if (vmask & (1u << V_BARE))
					snprintf(re, sizeof(re), "%.2f", med[V_BARE] / med[v]);
				if (vmask & (1u << V_FLOOR))
					snprintf(rd, sizeof(rd), "%.2f", med[V_FLOOR] / med[v]);
				if (vmask & (1u << V_NAIVE))
					snprintf(rc_, sizeof(rc_), "%.1f", med[V_NAIVE] / med[v]);
				printf(
				    "| %u | %u | %s | %.0f [%.0f, %.0f] | %.2f | %s | %s | %s |\n",
				    ats[ai], ns[ni], vname[v], med[v], mn[v], mx[v], mpps, re, rd,
				    rc_);
				if (data != NULL)
					fprintf(data,
						"%d\t%u\t%u\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%u\n",
						rte_eal_has_hugepages(), ats[ai], ns[ni], vkey[v],
						med[v], mn[v], mx[v], mpps, pipe_depth);
			}
			fflush(stdout);
			if (data != NULL)
				fflush(data);
			bare_teardown(ls);
			free_world(&wd);
			mac_ctx_destroy(ctx[V_FAST]);
			mac_ctx_destroy(ctx[V_OSSL]);
			mac_ctx_destroy(ctx[V_OSSL_SEG]);
		}
	}
	printf(
	    "# vs (e) / vs (d) = (e) / (d) cycles over the variant's (throughput relative to the "
	    "bare pipeline / the floor); vs (c) = speed-up over the naive per-packet HMAC()\n");
	if (data != NULL)
		fclose(data);
	printf("# acceptance check (exactly the valid 7/8 accepted, per packet): %s\n",
	       failed ? "FAILED" : "ok");
	rte_rcu_qsbr_thread_offline(qsv, 0);
	mac_engine_destroy(eng_imb);
	mac_engine_destroy(eng_ossl);
	mac_engine_destroy(eng_ossl_seg);
	rte_eal_cleanup();
	return failed ? 1 : 0;
}
