/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipctl stats / fmipctl keys — read a running fmipgw's telemetry socket
 * (/var/run/dpdk/<prefix>/dpdk_telemetry.v2, DPDK's v2 protocol: a JSON greeting, then one
 * JSON reply per command) and print tables.  JSON is parsed with jansson.
 *
 *   fmipctl stats [--prefix NAME] [--all] [--json] [--lcore ID]
 *   fmipctl keys  [--prefix NAME] [--json] [ADDRESS]
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>

#include "fmipctl.h"

#define TEL_BUF (64 * 1024)

/* Send cmd, return the parsed value under the command's own key (caller json_decref's the
 * root *rootp).  NULL with a message on failure. */
static json_t *tel_query(const char *prefix, const char *cmd, json_t **rootp)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char *buf = malloc(TEL_BUF);
	json_error_t jerr;
	json_t *root = NULL, *v;
	ssize_t n;
	int s;
	char key[128];

	*rootp = NULL;
	if (buf == NULL)
		return NULL;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		fprintf(stderr,
			"fmipctl: cannot connect to %s: %s (is fmipgw running with --file-prefix "
			"%s?)\n",
			sun.sun_path, strerror(errno), prefix);
		goto out;
	}
	if (recv(s, buf, TEL_BUF - 1, 0) <= 0 || send(s, cmd, strlen(cmd), 0) < 0 ||
	    (n = recv(s, buf, TEL_BUF - 1, 0)) <= 0) {
		fprintf(stderr, "fmipctl: telemetry exchange failed: %s\n", strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	root = json_loads(buf, 0, &jerr);
	if (root == NULL) {
		fprintf(stderr, "fmipctl: telemetry reply is not JSON: %s\n", jerr.text);
		goto out;
	}
	snprintf(key, sizeof(key), "%s", cmd);
	if (strchr(key, ',') != NULL)
		*strchr(key, ',') = '\0';
	v = json_object_get(root, key);
	if (v == NULL || json_is_null(v)) {
		fprintf(stderr, "fmipctl: %s: no such command or bad parameter (is this fmipgw?)\n",
			cmd);
		json_decref(root);
		root = NULL;
		goto out;
	}
	*rootp = root;
	close(s);
	free(buf);
	return v;
out:
	if (s >= 0)
		close(s);
	free(buf);
	return NULL;
}

static void print_value(const char *indent, const char *k, json_t *v, bool all)
{
	if (json_is_integer(v)) {
		if (all || json_integer_value(v) != 0)
			printf("%s%-36s %20" JSON_INTEGER_FORMAT "\n", indent, k,
			       json_integer_value(v));
	} else if (json_is_string(v)) {
		printf("%s%-36s %20s\n", indent, k, json_string_value(v));
	} else if (json_is_object(v)) {
		const char *kk;
		json_t *vv;
		bool any = all;

		json_object_foreach(v, kk, vv) if (!json_is_integer(vv) || json_integer_value(vv))
		    any = true;
		if (!any)
			return;
		printf("%s%s:\n", indent, k);
		json_object_foreach(v, kk, vv) print_value("    ", kk, vv, all);
	}
}

static int usage(const char *cmd, FILE *f, int rc)
{
	if (!strcmp(cmd, "stats"))
		fprintf(
		    f,
		    "usage: fmipctl stats [--prefix NAME] [--all] [--json] [--lcore ID]\n"
		    "  counters of a running fmipgw (telemetry /fmipgw/stats or /fmipgw/lcore);\n"
		    "  zero counters are left out unless --all.  --prefix: EAL --file-prefix "
		    "(default rte)\n");
	else
		fprintf(
		    f, "usage: fmipctl keys [--prefix NAME] [--json] [ADDRESS]\n"
		       "  the handover-key table of a running fmipgw (/fmipgw/keys), or one record "
		       "(/fmipgw/key,ADDRESS; never the key itself)\n");
	return rc;
}

static int run(int argc, char **argv, bool stats)
{
	static const struct option lo[] = {
		{ "prefix", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "lcore", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prefix = "rte", *lcore = NULL;
	bool json = false, all = false;
	char cmd[160];
	json_t *root, *v;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:jal:h", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			prefix = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'a':
			all = true;
			break;
		case 'l':
			lcore = optarg;
			break;
		case 'h':
			return usage(argv[0], stdout, FMIPCTL_EXIT_OK);
		default:
			return usage(argv[0], stderr, FMIPCTL_EXIT_USAGE);
		}
	}
	if (stats) {
		if (optind != argc || (lcore && strspn(lcore, "0123456789") != strlen(lcore)))
			return usage(argv[0], stderr, FMIPCTL_EXIT_USAGE);
		if (lcore)
			snprintf(cmd, sizeof(cmd), "/fmipgw/lcore,%s", lcore);
		else
			snprintf(cmd, sizeof(cmd), "/fmipgw/stats");
	} else {
		if (optind + 1 < argc || lcore)
			return usage(argv[0], stderr, FMIPCTL_EXIT_USAGE);
		if (optind < argc) {
			if (strspn(argv[optind], "0123456789abcdefABCDEF:.") !=
			    strlen(argv[optind]))
				return usage(argv[0], stderr, FMIPCTL_EXIT_USAGE);
			snprintf(cmd, sizeof(cmd), "/fmipgw/key,%s", argv[optind]);
		} else {
			snprintf(cmd, sizeof(cmd), "/fmipgw/keys");
		}
	}
	v = tel_query(prefix, cmd, &root);
	if (v == NULL)
		return FMIPCTL_EXIT_FAIL;
	if (json) {
		char *s = json_dumps(v, JSON_COMPACT);

		if (s != NULL)
			puts(s);
		free(s);
	} else {
		const char *k;
		json_t *vv;

		printf("%s (%s)\n", cmd, prefix);
		json_object_foreach(v, k, vv) print_value("  ", k, vv, all || !stats);
	}
	json_decref(root);
	return FMIPCTL_EXIT_OK;
}

int cmd_stats(int argc, char **argv)
{
	return run(argc, argv, true);
}

int cmd_keys(int argc, char **argv)
{
	return run(argc, argv, false);
}
