/* SPDX-License-Identifier: BSD-3-Clause */
/* fmip-mn options (after the EAL's, getopt_long) and the scenario they select and override. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"
#include "stats.h"

static const char usage[] =
    "usage: fmip-mn [EAL options] -- [options]\n"
    "  -s, --scenario FILE   scenario (INI; fmip-mn -- --help-scenario lists every key)\n"
    "      --set S.K=V       override one scenario key (repeatable), e.g. run.nodes=100\n"
    "  -n, --nodes N         the same as --set run.nodes=N\n"
    "  -d, --duration S      the same as --set run.duration=S\n"
    "  -j, --json FILE       the report as JSON (latency CDFs for the plot included)\n"
    "  -o, --offline PCAP    offline: write the frames to PCAP (libpcap), no port\n"
    "  -k, --keys FILE       the key-export file (offline: default PCAP.keys; live: the keys\n"
    "                        received from the gateway, at the end of the run)\n"
    "      --tx-pcap FILE    live: record every frame sent (one lcore)\n"
    "  -p, --port N          live: the Nth probed port (default 0)\n"
    "      --idle-us N       live: sleep N us when a turn did nothing (default 50; 0: poll)\n"
    "      --ids-only        set up the identities, print their cost, stop\n"
    "      --fail-on-error   exit 3 when a provisioning, FBack or tunnel check failed\n"
    "  -q, --quiet           no text report\n"
    "      --help-scenario   the scenario keys as a commented INI file\n"
    "      --scenario-md     the scenario keys as a Markdown table\n"
    "Live: one shard per EAL lcore (-l), each with an RX and a TX queue of the port.\n"
    "Exit: 0 ran, 1 set-up error (file:line for scenarios), 3 --fail-on-error and a failure.\n";

enum { O_SET = 256, O_TXPCAP, O_IDLE, O_IDS, O_FAIL, O_HELPS, O_MD, O_CMD };

static const struct option long_opts[] = {
	{ "scenario", required_argument, NULL, 's' },
	{ "set", required_argument, NULL, O_SET },
	{ "nodes", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "json", required_argument, NULL, 'j' },
	{ "offline", required_argument, NULL, 'o' },
	{ "keys", required_argument, NULL, 'k' },
	{ "tx-pcap", required_argument, NULL, O_TXPCAP },
	{ "port", required_argument, NULL, 'p' },
	{ "idle-us", required_argument, NULL, O_IDLE },
	{ "ids-only", no_argument, NULL, O_IDS },
	{ "fail-on-error", no_argument, NULL, O_FAIL },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help-scenario", no_argument, NULL, O_HELPS },
	{ "scenario-md", no_argument, NULL, O_MD },
	{ "counters-md", no_argument, NULL, O_CMD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One option into o; *set receives a scenario override.  0, 1 (a help text was printed), or
 * -1 (unknown option). */
static int one_option(int c, struct mn_opts *o, const char **set)
{
	char buf[300];

	switch (c) {
	case 's':
		o->scenario = optarg;
		break;
	case O_SET:
		*set = optarg;
		break;
	case 'n':
	case 'd':
		snprintf(buf, sizeof(buf), "run.%s=%s", c == 'n' ? "nodes" : "duration", optarg);
		*set = strdup(buf);
		break;
	case 'j':
		o->json = optarg;
		break;
	case 'o':
		o->offline = optarg;
		break;
	case 'k':
		o->keys = optarg;
		break;
	case O_TXPCAP:
		o->tx_pcap = optarg;
		break;
	case 'p':
		o->port = (unsigned)strtoul(optarg, NULL, 10);
		break;
	case O_IDLE:
		o->idle_us = (unsigned)strtoul(optarg, NULL, 10);
		break;
	case O_IDS:
		o->ids_only = true;
		break;
	case O_FAIL:
		o->fail_on_error = true;
		break;
	case 'q':
		o->quiet = true;
		break;
	case O_HELPS:
		scen_print_help(stdout);
		return 1;
	case O_MD:
		scen_print_md(stdout);
		return 1;
	case O_CMD:
		mn_counters_md(stdout);
		return 1;
	case 'h':
		fputs(usage, stdout);
		return 1;
	default:
		return -1;
	}
	return 0;
}

int mn_opts_parse(int argc, char **argv, struct mn_opts *o, struct mn_scen *s, char *err,
		  size_t len)
{
	const char *sets[256]; /* overrides apply after the file: kept in order */
	unsigned n_sets = 0;
	int c, r;

	memset(o, 0, sizeof(*o));
	o->idle_us = 50;
	scen_defaults(s);
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:n:d:j:o:k:p:qh", long_opts, NULL)) != -1) {
		const char *set = NULL;

		if ((r = one_option(c, o, &set)) != 0) {
			if (r < 0)
				snprintf(err, len, "unknown option (fmip-mn -- --help)");
			return r;
		}
		if (set != NULL) {
			if (n_sets == sizeof(sets) / sizeof(sets[0])) {
				snprintf(err, len, "too many --set");
				return -1;
			}
			sets[n_sets++] = set;
		}
	}
	if (optind < argc) {
		snprintf(err, len, "unexpected argument '%s' (fmip-mn -- --help)", argv[optind]);
		return -1;
	}
	if (o->scenario && scen_load(s, o->scenario, err, len) < 0)
		return -1;
	for (unsigned i = 0; i < n_sets; i++)
		if (scen_set(s, sets[i], err, len) < 0)
			return -1;
	return scen_check(s, err, len) < 0 ? -1 : 0;
}
