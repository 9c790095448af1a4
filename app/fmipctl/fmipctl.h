/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipctl — the operator's command-line tool.  main.c dispatches `fmipctl <command> ...` through
 * the table fmipctl_cmds[] (main.c); each command lives in its own file and is declared here.
 *
 * Adding a command: write `int cmd_<name>(int argc, char **argv)` in app/fmipctl/<name>.c
 * (argv[0] is the command name, parse the rest with getopt_long), declare it below, add one row
 * {name, function, one-line help} to fmipctl_cmds[] and the file to app/fmipctl/meson.build.
 *
 * Exit codes shared by all commands (docs/fmipctl.md):
 */
#ifndef FMIPCTL_H
#define FMIPCTL_H

enum {
	FMIPCTL_EXIT_OK = 0,	/* done (frames that fail to decode are output, not failures) */
	FMIPCTL_EXIT_FAIL = 1,	/* the input could not be read: missing, corrupt or cut file */
	FMIPCTL_EXIT_USAGE = 2, /* bad command line */
};

struct fmipctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help; /* one line */
};

extern const struct fmipctl_cmd fmipctl_cmds[];

/* commands */
int cmd_decode(int argc, char **argv);
int cmd_cga(int argc, char **argv);
int cmd_stats(int argc, char **argv); /* cmd_stats.c: fmipgw telemetry (jansson) */
int cmd_keys(int argc, char **argv);

#endif /* FMIPCTL_H */
