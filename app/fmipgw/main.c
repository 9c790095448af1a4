/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipgw — start-up only: application options, configuration, EAL, lcores launched, exit
 * status.  The shared resources are built in gw.c, the work is in dp/ (fast path) and cp/
 * (control plane); gw.h has the map.
 *
 *   fmipgw [EAL options] -- --config FILE [--duration S] [--stats-json FILE]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "cp.h"
#include "dp.h"
#include "gw.h"
#include "snapshot.h"
#include "telemetry.h"

/* the signal handlers can reach nothing else: the one file-scope state of the gateway */
static struct gw_signals signals;

static void on_stop(int sig)
{
	(void)sig;
	signals.stop = 1;
}

static void on_hup(int sig)
{
	(void)sig;
	signals.hup = 1;
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

/* 0, or -1 (logged): the exit status says so. */
static int write_stats_json(const struct gw *gw, const char *file)
{
	struct gw_counters s;
	FILE *f = fopen(file, "w");
	struct keytab_stats ks;

	if (f == NULL) {
		GW_LOG(ctrl, ERR, "--stats-json: cannot write %s: %s\n", file, strerror(errno));
		return -1;
	}
	gw_counters_sum(gw, &s);
	keytab_get_stats(gw->kt, &ks);
	fprintf(f, "{");
	counters_print_json(f, &s);
	fprintf(f, "\"keys_live\": %u, \"prov_latency_p50_us\": %u, \"prov_latency_p99_us\": %u}\n",
		ks.live, cp_latency_pct(gw->ctrl, 50), cp_latency_pct(gw->ctrl, 99));
	if (fclose(f) != 0) {
		GW_LOG(ctrl, ERR, "--stats-json: writing %s failed: %s\n", file, strerror(errno));
		return -1;
	}
	return 0;
}

/* Before anything runs: an unwritable --stats-json is an error now, not at exit. */
static int stats_json_writable(const char *file)
{
	int fd = open(file, O_WRONLY | O_CREAT, 0644);

	if (fd < 0) {
		fprintf(stderr, "fmipgw: --stats-json %s: cannot write: %s\n", file,
			strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* The EAL's --log-level names fmipgw's types: it wins over [log] level (at start and on
 * reload).  argv[0..sep) are the EAL's arguments. */
static bool eal_sets_log_level(int sep, char **argv)
{
	for (int i = 1; i < sep; i++) {
		const char *v = NULL;

		if (strncmp(argv[i], "--log-level=", 12) == 0)
			v = argv[i] + 12;
		else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < sep)
			v = argv[i + 1];
		if (v != NULL && strstr(v, "fmipgw") != NULL)
			return true;
	}
	return false;
}

/* An option only the application has: `fmipgw --help` needs no "--". */
static bool app_only(const char *a)
{
	static const char *const names[] = { "-h",	    "--help",	     "--help-config",
					     "--config-md", "--counters-md", NULL };

	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

/* The options after "--" (argv[sep + 1..]): 0 go on, 1 done (exit 0), -1 usage error. */
static int app_options(int argc, char **argv, int sep, struct opts *o)
{
	char *app[argc - sep + 1];
	int n = 0;

	app[n++] = argv[0];
	for (int i = sep + 1; i < argc; i++)
		app[n++] = argv[i];
	app[n] = NULL;
	return parse_opts(n, app, o);
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

/* No core dump at all unless [security] allow_core_dumps (the secrets are out of any dump
 * either way: secmem.c, lib/keytab).  0, or -1 (said why). */
static int secrets_setup(const struct gw_config *cfg)
{
	if (!cfg->allow_core_dumps && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fprintf(stderr, "fmipgw: cannot turn core dumps off (PR_SET_DUMPABLE): %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/* --check: the configuration and the credentials, without the EAL.  The exit status. */
static int check_only(struct gw_config *cfg, const char *file)
{
	struct send_creds cr;
	struct send_trust *tr = NULL;
	char err[1024], warn[512];
	unsigned imported = 0;

	memset(&cr, 0, sizeof(cr));
	if (cp_creds_check(cfg, &cr, &tr, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		return 1;
	}
	send_trust_free(tr);
	send_creds_free(&cr);
	if (cp_snapshot_check(cfg, &imported, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		return 1;
	}
	if (cfg->key_import[0] != '\0')
		fprintf(stderr,
			"fmipgw: WARNING: BENCHMARK AID: %s:%u: [bench] key_import installs %u "
			"handover keys from %s at start; never in production\n",
			cfg->file, config_key_line(cfg, "bench", "key_import"), imported,
			cfg->key_import);
	config_warnings(cfg, warn, sizeof(warn));
	if (warn[0] != '\0')
		fprintf(stderr, "fmipgw: WARNING: %s", warn);
	printf("%s: configuration OK\n", file);
	return 0;
}

/* The EAL (its own options are argv[0..sep)) and the log types.  0, or 1 (said why). */
static int eal_start(struct gw *gw, int sep, char **argv)
{
	if (check_hugepages(sep, argv) < 0)
		return 1;
	if (rte_eal_init(sep, argv) < 0) {
		fprintf(stderr,
			"fmipgw: EAL initialisation failed: %s\n"
			"  without hugepages use --no-huge -m 512; without a NIC add --vdev "
			"(docs/operations.md)\n",
			rte_strerror(rte_errno));
		return 1;
	}
	if (register_logtypes() < 0) {
		fprintf(stderr, "fmipgw: cannot register log types\n");
		rte_eal_cleanup();
		return 1;
	}
	if (gw->log_from_eal)
		GW_LOG(cfg, NOTICE, "[log] level is not applied: --log-level names fmipgw\n");
	else
		rte_log_set_level_pattern("fmipgw.*", gw->cfg.log_level);
	return 0;
}

/* Launch every lcore's loop, run the main lcore's own, wait.  0, or 1 if a launch failed. */
static int run(struct gw *gw)
{
	unsigned main_lc = rte_get_main_lcore(), ctrl_lc = gw->ctrl->lcore;
	int failed = 0;

	gw->running = 1;
	gw->start_tsc = rte_get_tsc_cycles();
	GW_LOG(ctrl, NOTICE, "running: %u worker(s), control lcore %u, %u port(s)\n", gw->n_workers,
	       ctrl_lc, gw->n_ports);
	printf("fmipgw: running (%u worker(s), %u port(s))\n", gw->n_workers, gw->n_ports);
	fflush(stdout);
	for (unsigned i = 0; i < gw->n_workers; i++) {
		unsigned lc = gw->workers[i]->lcore;

		if (lc != main_lc && lc != ctrl_lc &&
		    rte_eal_remote_launch(dp_worker_main, gw->workers[i], lc) != 0) {
			GW_LOG(ctrl, ERR, "cannot launch worker %u on lcore %u: stopping\n", i, lc);
			failed = 1;
		}
	}
	for (unsigned k = 0; k < gw->n_slow; k++) {
		unsigned lc = gw->slow[k]->lcore;

		if (lc != main_lc && rte_eal_remote_launch(cp_slow_main, gw->slow[k], lc) != 0) {
			GW_LOG(ctrl, ERR, "cannot launch slow-path lcore %u: stopping\n", lc);
			failed = 1;
		}
	}
	if (ctrl_lc != main_lc && rte_eal_remote_launch(cp_main, gw->ctrl, ctrl_lc) != 0) {
		GW_LOG(ctrl, ERR, "cannot launch the control lcore %u: stopping\n", ctrl_lc);
		failed = 1;
		__atomic_store_n(&gw->running, 0, __ATOMIC_RELEASE); /* nobody else would */
	}
	if (failed)
		gw->sig->stop = 1; /* everything launched returns at once */
	if (ctrl_lc == main_lc) {
		cp_main(gw->ctrl);
	} else {
		for (unsigned i = 0; i < gw->n_workers; i++)
			if (gw->workers[i]->lcore == main_lc)
				dp_worker_main(gw->workers[i]);
		for (unsigned k = 0; k < gw->n_slow; k++)
			if (gw->slow[k]->lcore == main_lc)
				cp_slow_main(gw->slow[k]);
	}
	rte_eal_mp_wait_lcore();
	return failed;
}

int main(int argc, char **argv)
{
	static struct gw gw; /* start-up context; lcores get their own structs */
	struct opts o = { 0 };
	struct gw_counters s;
	struct sigaction sa;
	char err[1024];
	int sep = argc, rc;

	/* before any OpenSSL call: its allocations through lib/send (private keys into the
	 * secret memory once it exists, secmem.c) */
	if (send_mem_install() < 0) {
		fprintf(stderr, "fmipgw: internal: cannot install OpenSSL's allocator\n");
		return 1;
	}
	/* first of all: a SIGHUP or SIGTERM during start-up must not kill the process */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			sep = i;
			break;
		}
	/* `fmipgw --help` (no "--"): the application's options, not the EAL's */
	if (sep == argc && argc > 1 && app_only(argv[1]))
		sep = 0;
	/* application options first: --help and configuration errors need no EAL */
	rc = app_options(argc, argv, sep, &o);
	if (rc != 0)
		return rc > 0 ? 0 : 1;
	if (o.stats_json != NULL && !o.check && stats_json_writable(o.stats_json) < 0)
		return 1;
	if (config_load(o.config, &gw.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		return 1;
	}
	if (secrets_setup(&gw.cfg) < 0) {
		config_free(&gw.cfg);
		return 1;
	}
	gw.log_from_eal = eal_sets_log_level(sep, argv);
	if (o.check || eal_start(&gw, sep, argv) != 0) {
		rc = o.check ? check_only(&gw.cfg, o.config) : 1;
		config_free(&gw.cfg);
		return rc;
	}
	gw.duration = o.duration;
	gw.sig = &signals;
	if (signals.stop) { /* asked to stop while the EAL started */
		config_free(&gw.cfg);
		rte_eal_cleanup();
		return 0;
	}
	if (gw_setup(&gw, err, sizeof(err)) < 0) {
		fprintf(stderr, "fmipgw: %s\n", err);
		GW_LOG(ctrl, ERR, "start-up failed: %s\n", err);
		gw_teardown(&gw);
		send_mem_shutdown();
		gw_secmem_close();
		rte_eal_cleanup();
		return 1;
	}
	rc = run(&gw);
	cp_snapshot_stop(&gw); /* every lcore returned: the keys as they are at stop */
	if (o.stats_json != NULL && write_stats_json(&gw, o.stats_json) < 0)
		rc = 1;
	gw_counters_sum(&gw, &s);
	printf("fmipgw: stopped: rx %" PRIu64 ", keys provisioned %" PRIu64
	       ", FBUs accepted %" PRIu64 ", forged %" PRIu64 "\n",
	       s.rx_packets, s.keys_provisioned, s.fbu_accepted, s.drop_fbu_bad_mac);
	gw_teardown(&gw);
	send_mem_shutdown();
	gw_secmem_close();
	rte_eal_cleanup();
	return rc;
}
