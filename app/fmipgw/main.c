/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw — start-up only: application options, configuration, EAL, the modules wired
 * together, lcores launched, and the orderly shutdown.  The work is in worker.c (fast path)
 * and control.c (control lcore); see gw.h for the map.
 *
 *   fmipgw [EAL options] -- --config FILE [--duration S] [--stats-json FILE]
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "gw.h"

volatile sig_atomic_t gw_sig_stop;
volatile sig_atomic_t gw_sig_hup;
struct gw_logtypes gw_log;

static void on_stop(int sig)
{
	(void)sig;
	gw_sig_stop = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	gw_sig_hup = 1;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(
	    f,
	    "usage: %s [EAL options] -- --config FILE [options]\n"
	    "\n"
	    "fmipgw: RFC 5269 handover-key provisioning (control lcore) and FBU authenticator\n"
	    "checks at line rate (worker lcores) on any DPDK port.\n"
	    "\n"
	    "EAL options (before --) are DPDK's: -l/--lcores (the first lcore, or [lcores]\n"
	    "control, is the control lcore; every other lcore is a worker), -a/--vdev for ports,\n"
	    "--no-huge -m MB for a machine without hugepages, --file-prefix NAME for the\n"
	    "telemetry socket /var/run/dpdk/NAME/dpdk_telemetry.v2.  See docs/operations.md.\n"
	    "\n"
	    "Application options (after --):\n"
	    "  -c, --config FILE      configuration file (INI; conf/fmipgw.conf documents\n"
	    "                         every key); required\n"
	    "  -d, --duration S       stop after S seconds (tests, demo); default: until\n"
	    "                         SIGINT/SIGTERM\n"
	    "  -s, --stats-json FILE  at exit, write every counter as a JSON object to FILE\n"
	    "      --check            load and validate the configuration, then exit 0/1\n"
	    "      --help-config      print every configuration key with type, default, help\n"
	    "      --counters-md      print the counter table of docs/operations.md\n"
	    "      --config-md        print the configuration key table of docs/operations.md\n"
	    "  -h, --help             this text\n"
	    "\n"
	    "Signals: SIGINT/SIGTERM stop gracefully (exit 0); SIGHUP reloads the reloadable\n"
	    "keys (the others need a restart).  Exit status: 0 clean stop, 1 configuration or\n"
	    "start-up error.\n",
	    prog);
}

struct opts {
	const char *config;
	const char *stats_json;
	double duration;
	bool check;
};

/* 0: go on; 1: done, exit 0; -1: usage error. */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "stats-json", required_argument, NULL, 's' },
		{ "check", no_argument, NULL, 'C' },
		{ "help-config", no_argument, NULL, 'H' },
		{ "counters-md", no_argument, NULL, 'M' },
		{ "config-md", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:d:s:h", lo, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end != '\0' || o->duration <= 0) {
				fprintf(stderr,
					"fmipgw: --duration: '%s' is not a positive number\n",
					optarg);
				return -1;
			}
			break;
		case 's':
			o->stats_json = optarg;
			break;
		case 'C':
			o->check = true;
			break;
		case 'H':
			config_print_help(stdout);
			return 1;
		case 'M':
			counters_print_md(stdout);
			return 1;
		case 'K':
			config_print_md(stdout);
			return 1;
		case 'h':
			usage(stdout, "fmipgw");
			return 1;
		default:
			usage(stderr, "fmipgw");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "fmipgw: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (o->config == NULL) {
		fprintf(stderr, "fmipgw: --config FILE is required (after --); see --help\n");
		return -1;
	}
	return 0;
}

static void write_stats_json(const struct gw *gw, const char *file)
{
	struct gw_counters s;
	FILE *f = fopen(file, "w");
	struct keytab_stats ks;

	if (f == NULL) {
		GW_LOG(ctrl, ERR, "cannot write %s\n", file);
		return;
	}
	counters_sum(gw, &s);
	keytab_get_stats(gw->kt, &ks);
	fprintf(f, "{");
#define GW_CNT_JSON(n, u, h) fprintf(f, "\"%s\": %" PRIu64 ", ", #n, s.n);
	GW_COUNTERS(GW_CNT_JSON)
#undef GW_CNT_JSON
	for (int e = 1; e < WIRE_E__COUNT; e++) {
		char name[64];

		snprintf(name, sizeof(name), "malformed_%s", wire_strerror(e));
		for (char *p = name; *p; p++)
			if (*p == ' ' || *p == '-')
				*p = '_';
		fprintf(f, "\"%s\": %" PRIu64 ", ", name, s.malformed[e]);
	}
	fprintf(f, "\"keys_live\": %u, \"prov_latency_p50_us\": %u, \"prov_latency_p99_us\": %u}\n",
		ks.live, ctrl_latency_pct(gw->ctrl, 50), ctrl_latency_pct(gw->ctrl, 99));
	fclose(f);
}

/* Before EAL: without --no-huge/--in-memory EAL needs reserved hugepages; say how to get them
 * instead of EAL's "Cannot get hugepage information". */
static int check_hugepages(int argc, char **argv)
{
	FILE *f;
	char line[256];
	long total = -1;

	for (int i = 1; i < argc; i++)
		/* --in-memory alone still maps hugepages: only --no-huge goes without */
		if (!strcmp(argv[i], "--no-huge") || !strncmp(argv[i], "--no-huge=", 10))
			return 0;
	f = fopen("/proc/meminfo", "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "HugePages_Total: %ld", &total) == 1)
			break;
	fclose(f);
	if (total != 0)
		return 0;
	fprintf(
	    stderr,
	    "fmipgw: no hugepages are reserved.  Reserve some (as root):\n"
	    "  echo 512 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages\n"
	    "or run without them: fmipgw --no-huge -m 512 ... (docs/operations.md, section 3)\n");
	return -1;
}

static int register_logtypes(void)
{
	gw_log.fast = rte_log_register_type_and_pick_level("fmipgw.fast", RTE_LOG_INFO);
	gw_log.ctrl = rte_log_register_type_and_pick_level("fmipgw.ctrl", RTE_LOG_INFO);
	gw_log.cfg = rte_log_register_type_and_pick_level("fmipgw.cfg", RTE_LOG_INFO);
	gw_log.crypto = rte_log_register_type_and_pick_level("fmipgw.crypto", RTE_LOG_INFO);
	return (gw_log.fast < 0 || gw_log.ctrl < 0 || gw_log.cfg < 0 || gw_log.crypto < 0) ? -1 : 0;
}

/* Lcore roles: the control lcore, every other lcore a worker; one lcore: both (dev mode). */
static int lcore_map(struct gw *gw, unsigned *ctrl_lcore, unsigned wl[], char *err, size_t errlen)
{
	unsigned lc, n = 0;
	int want = gw->cfg.control_lcore;

	*ctrl_lcore = want < 0 ? rte_get_main_lcore() : (unsigned)want;
	if (want >= 0 && !rte_lcore_is_enabled((unsigned)want)) {
		snprintf(err, errlen,
			 "%s:%u: [lcores] control = %d is not in the EAL lcore list (-l): add it "
			 "or set control = main",
			 gw->cfg.file, config_key_line(&gw->cfg, "lcores", "control"), want);
		return -1;
	}
	RTE_LCORE_FOREACH(lc)
	{
		if (lc == *ctrl_lcore)
			continue;
		if (n == GW_MAX_WORKERS) {
			snprintf(err, errlen,
				 "more than %d worker lcores: give fewer lcores with -l",
				 GW_MAX_WORKERS);
			return -1;
		}
		wl[n++] = lc;
	}
	if (n == 0) {
		GW_LOG(ctrl, WARNING,
		       "single-lcore development mode: the control lcore also polls the ports; "
		       "give at least two lcores (-l 0-1: control + 1 worker) in production\n");
		wl[n++] = *ctrl_lcore;
	}
	gw->n_workers = n;
	return 0;
}

static int setup(struct gw *gw, char *err, size_t errlen)
{
	unsigned ctrl_lcore, wl[GW_MAX_WORKERS];
	size_t sz;
	int rc;

	if (lcore_map(gw, &ctrl_lcore, wl, err, errlen) < 0)
		return -1;
	gw->tsc_hz = rte_get_tsc_hz();
	rc = mac_engine_create(&gw->cfg.mac, &gw->mac);
	if (rc < 0) {
		snprintf(err, errlen,
			 "%s:%u: [mac] engine: %s (arch %s%s): choose an arch this CPU has "
			 "(arch = auto) or backend = openssl",
			 gw->cfg.file, config_key_line(&gw->cfg, "mac", "arch"), strerror(-rc),
			 mac_arch_name(gw->cfg.mac.arch),
			 mac_arch_available(gw->cfg.mac.arch) ? "" : ", not available here");
		return -1;
	}
	GW_LOG(crypto, INFO, "FBU authenticator engine: %s\n", mac_engine_describe(gw->mac));
	if (gw->cfg.mac.backend == MAC_BACKEND_OPENSSL)
		GW_LOG(crypto, WARNING,
		       "%s:%u: [mac] backend = openssl puts OpenSSL (allocating EVP copies) on the "
		       "fast path: for cross-checks only\n",
		       gw->cfg.file, config_key_line(&gw->cfg, "mac", "backend"));
	sz = rte_rcu_qsbr_get_memsize(gw->n_workers + 1);
	gw->qsv = rte_zmalloc("fmipgw_qsv", sz, RTE_CACHE_LINE_SIZE);
	if (gw->qsv == NULL || rte_rcu_qsbr_init(gw->qsv, gw->n_workers + 1) != 0) {
		snprintf(err, errlen,
			 "cannot allocate the RCU variable: give EAL more memory (-m)");
		return -1;
	}
	{
		struct keytab_cfg kc = {
			.name = "fmipgw_keys",
			.capacity = gw->cfg.capacity,
			.socket_id = (int)rte_socket_id(),
			.qsv = gw->qsv,
			.mac = gw->mac,
			.sweep_batch = gw->cfg.sweep_batch,
		};
		rc = keytab_create(&kc, &gw->kt);
		if (rc < 0) {
			snprintf(err, errlen,
				 "%s:%u: cannot create the key table (capacity %u): %s; lower "
				 "[keys] capacity or give EAL more memory (-m)",
				 gw->cfg.file, config_key_line(&gw->cfg, "keys", "capacity"),
				 gw->cfg.capacity, strerror(-rc));
			return -1;
		}
	}
	/* the telemetry thread's QSBR id (/fmipgw/key), offline except during a lookup */
	if (rte_rcu_qsbr_thread_register(gw->qsv, gw->n_workers) != 0) {
		snprintf(err, errlen, "cannot register the telemetry RCU thread id");
		return -1;
	}
	if (ports_init(gw, err, errlen) < 0)
		return -1;
	for (unsigned i = 0; i < gw->n_ports; i++) {
		if (gw->ports[i].ctrl_via_worker && gw->ret_ring == NULL) {
			gw->ret_ring = rte_ring_create("fmipgw_ret", GW_RET_RING_SIZE,
						       (int)rte_socket_id(), RING_F_SC_DEQ);
			if (gw->ret_ring == NULL) {
				snprintf(err, errlen, "cannot create the return ring: %s",
					 rte_strerror(rte_errno));
				return -1;
			}
		}
	}
	for (unsigned i = 0; i < gw->n_workers; i++) {
		struct gw_worker *w =
		    rte_zmalloc_socket("fmipgw_worker", sizeof(*w), RTE_CACHE_LINE_SIZE,
				       (int)rte_lcore_to_socket_id(wl[i]));
		char name[RTE_RING_NAMESIZE];

		if (w == NULL) {
			snprintf(err, errlen,
				 "cannot allocate worker %u: give EAL more memory (-m)", i);
			return -1;
		}
		gw->workers[i] = w;
		w->gw = gw;
		w->idx = i;
		w->lcore = wl[i];
		w->rxq = (uint16_t)i;
		w->txq = (uint16_t)i;
		snprintf(name, sizeof(name), "fmipgw_ctrl_%u", i);
		w->ring =
		    rte_ring_create(name, gw->cfg.ring_size, (int)rte_lcore_to_socket_id(wl[i]),
				    RING_F_SP_ENQ | RING_F_SC_DEQ);
		w->mctx = mac_ctx_create(gw->mac);
		if (w->ring == NULL || w->mctx == NULL) {
			snprintf(err, errlen, "cannot create worker %u's ring/MAC context: %s", i,
				 rte_strerror(rte_errno));
			return -1;
		}
		if (rte_rcu_qsbr_thread_register(gw->qsv, i) != 0) {
			snprintf(err, errlen, "cannot register worker %u's RCU thread id", i);
			return -1;
		}
	}
	gw->ctrl = rte_zmalloc("fmipgw_ctrl", sizeof(*gw->ctrl), RTE_CACHE_LINE_SIZE);
	if (gw->ctrl == NULL) {
		snprintf(err, errlen, "cannot allocate the control lcore state");
		return -1;
	}
	gw->ctrl->lcore = ctrl_lcore;
	gw->ctrl->txq = (uint16_t)gw->n_workers;
	if (ctrl_init(gw, gw->ctrl, err, errlen) < 0)
		return -1;
	return telemetry_init(gw, err, errlen);
}

static void teardown(struct gw *gw)
{
	telemetry_stop(); /* no telemetry thread reads what is freed below */
	if (gw->ctrl != NULL)
		ctrl_drain_after_stop(gw->ctrl);
	ports_stop(gw);
	for (unsigned i = 0; i < gw->n_workers; i++) {
		struct gw_worker *w = gw->workers[i];

		if (w == NULL)
			continue;
		mac_ctx_destroy(w->mctx);
		rte_ring_free(w->ring);
		rte_free(w);
	}
	if (gw->ret_ring != NULL) {
		struct rte_mbuf *m;

		while (rte_ring_sc_dequeue(gw->ret_ring, (void **)&m) == 0)
			rte_pktmbuf_free(m);
		rte_ring_free(gw->ret_ring);
	}
	if (gw->kt != NULL)
		keytab_free(gw->kt);
	if (gw->ctrl != NULL) {
		ctrl_free(gw->ctrl);
		rte_free(gw->ctrl);
	}
	if (gw->mac != NULL)
		mac_engine_destroy(gw->mac);
	rte_mempool_free(gw->pool); /* after the ports are closed and every ring drained */
	gw->pool = NULL;
	rte_free(gw->qsv);
	config_free(&gw->cfg);
}

int main(int argc, char **argv)
{
	static struct gw gw; /* start-up context; lcores get their own structs */
	struct opts o = { 0 };
	char err[1024];
	int sep = argc, rc;
	unsigned lc;
	struct sigaction sa;
	int launch_failed = 0;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	/* application options first: --help and configuration errors need no EAL */
	{
		char *app[argc - sep + 1];
		int n = 0;

		app[n++] = argv[0];
		for (int i = sep + 1; i < argc; i++)
			app[n++] = argv[i];
		app[n] = NULL;
		rc = parse_opts(n, app, &o);
		if (rc != 0)
			return rc > 0 ? 0 : 1;
	}
	if (config_load(o.config, &gw.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		return 1;
	}
	if (o.check) {
		struct send_creds cr;
		struct send_trust *tr = NULL;

		memset(&cr, 0, sizeof(cr));
		if (gw_creds_check(&gw.cfg, &cr, &tr, err, sizeof(err)) < 0) {
			fprintf(stderr, "fmipgw: %s\n", err);
			config_free(&gw.cfg);
			return 1;
		}
		send_trust_free(tr);
		send_creds_free(&cr);
		if (gw.cfg.mac.backend == MAC_BACKEND_OPENSSL)
			fprintf(stderr,
				"fmipgw: WARNING: %s:%u: [mac] backend = openssl puts OpenSSL "
				"(allocating EVP copies) on the fast path: for cross-checks only\n",
				gw.cfg.file, config_key_line(&gw.cfg, "mac", "backend"));
		printf("%s: configuration OK\n", o.config);
		config_free(&gw.cfg);
		return 0;
	}
	gw.duration = o.duration;

	if (check_hugepages(sep, argv) < 0) {
		config_free(&gw.cfg);
		return 1;
	}
	rc = rte_eal_init(sep, argv);
	if (rc < 0) {
		fprintf(stderr,
			"fmipgw: EAL initialisation failed: %s\n"
			"  without hugepages use --no-huge -m 512; without a NIC add --vdev "
			"(docs/operations.md)\n",
			rte_strerror(rte_errno));
		config_free(&gw.cfg);
		return 1;
	}
	if (register_logtypes() < 0) {
		fprintf(stderr, "fmipgw: cannot register log types\n");
		config_free(&gw.cfg);
		rte_eal_cleanup();
		return 1;
	}
	rte_log_set_level_pattern("fmipgw.*", gw.cfg.log_level);
	if (setup(&gw, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		GW_LOG(ctrl, ERR, "start-up failed: %s\n", err);
		teardown(&gw);
		rte_eal_cleanup();
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);

	gw.running = 1;
	gw.start_tsc = rte_get_tsc_cycles();
	GW_LOG(ctrl, NOTICE, "running: %u worker(s), control lcore %u, %u port(s)\n", gw.n_workers,
	       gw.ctrl->lcore, gw.n_ports);
	printf("fmipgw: running (%u worker(s), %u port(s))\n", gw.n_workers, gw.n_ports);
	fflush(stdout);
	for (unsigned i = 0; i < gw.n_workers; i++) {
		lc = gw.workers[i]->lcore;
		if (lc != rte_get_main_lcore() && lc != gw.ctrl->lcore &&
		    rte_eal_remote_launch(worker_main, gw.workers[i], lc) != 0) {
			GW_LOG(ctrl, ERR, "cannot launch worker %u on lcore %u: stopping\n", i, lc);
			launch_failed = 1;
		}
	}
	if (gw.ctrl->lcore != rte_get_main_lcore() &&
	    rte_eal_remote_launch(ctrl_main, gw.ctrl, gw.ctrl->lcore) != 0) {
		GW_LOG(ctrl, ERR, "cannot launch the control lcore %u: stopping\n", gw.ctrl->lcore);
		launch_failed = 1;
		__atomic_store_n(&gw.running, 0, __ATOMIC_RELEASE); /* nobody else would */
	}
	if (launch_failed)
		gw_sig_stop = 1; /* everything launched returns at once */
	if (gw.ctrl->lcore == rte_get_main_lcore()) {
		ctrl_main(gw.ctrl);
	} else {
		for (unsigned i = 0; i < gw.n_workers; i++)
			if (gw.workers[i]->lcore == rte_get_main_lcore())
				worker_main(gw.workers[i]);
	}
	rte_eal_mp_wait_lcore();

	if (o.stats_json != NULL)
		write_stats_json(&gw, o.stats_json);
	{
		struct gw_counters s;

		counters_sum(&gw, &s);
		printf("fmipgw: stopped: rx %" PRIu64 ", keys provisioned %" PRIu64
		       ", FBUs accepted %" PRIu64 ", forged %" PRIu64 "\n",
		       s.rx_packets, s.keys_provisioned, s.fbu_accepted, s.drop_fbu_bad_mac);
	}
	teardown(&gw);
	rte_eal_cleanup();
	return launch_failed ? 1 : 0;
}
