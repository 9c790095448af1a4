/* SPDX-License-Identifier: BSD-3-Clause */
/* fmipctl: dispatch `fmipctl <command> [args]` to the command's function (fmipctl.h). */
#include <stdio.h>
#include <string.h>

#include "fmipctl.h"

const struct fmipctl_cmd fmipctl_cmds[] = {
	{ "decode", cmd_decode, "decode a pcap capture, one line (or JSON object) per frame" },
	{ "cga", cmd_cga, "generate (gen) or verify (verify) a CGA and its parameters" },
	{ "stats", cmd_stats, "counters of a running fmipgw (telemetry socket)" },
	{ "keys", cmd_keys, "handover-key table of a running fmipgw (telemetry socket)" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *to)
{
	fprintf(to, "usage: fmipctl <command> [options] [args]\n\ncommands:\n");
	for (const struct fmipctl_cmd *c = fmipctl_cmds; c->name; c++)
		fprintf(to, "  %-10s %s\n", c->name, c->help);
	fprintf(to, "\n`fmipctl <command> --help` describes a command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return FMIPCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return FMIPCTL_EXIT_OK;
	}
	for (const struct fmipctl_cmd *c = fmipctl_cmds; c->name; c++)
		if (!strcmp(argv[1], c->name))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "fmipctl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return FMIPCTL_EXIT_USAGE;
}
