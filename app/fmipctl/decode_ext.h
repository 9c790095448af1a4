/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Extensions of `fmipctl decode`: each adds one command-line option and one annotator
 * (describe.h) that writes its own key(s) into every frame's object.
 *
 * Adding one (e.g. `--verify` for SEND verdicts, `--hk ADDR=HEXKEY[:AT]` for BADF MAC
 * verdicts): write its functions in its own file (app/fmipctl/<name>.c), declare its
 * `extern const struct decode_ext decode_ext_<name>;` below, add `&decode_ext_<name>` to
 * decode_exts[] in decode_ext.c and the file (and its dependencies) to app/fmipctl/meson.build.
 *
 * Life cycle, for each extension whose option appears on the command line:
 *   parse(&ctx, arg)        once per occurrence, in command-line order (options may repeat:
 *                           `--hk A=K1 --hk B=K2`); ctx starts NULL; the extension allocates
 *                           it.  Non-zero: a usage error (message already on stderr) -> exit 2.
 *   annotate(f, w, ctx)     for every frame, malformed ones included (describe.h rules).
 *   finish(ctx)             after the last frame (also after a file error): print any summary
 *                           to stderr, zero key material, free ctx.  Returns 0 or an exit code
 *                           >= 3 of its own (documented in docs/fmipctl.md); the largest wins
 *                           unless decode itself failed (exit 1).
 */
#ifndef FMIPCTL_DECODE_EXT_H
#define FMIPCTL_DECODE_EXT_H

#include "describe.h"

struct decode_ext {
	const char *name;     /* long option name, without "--" */
	int has_arg;	      /* no_argument or required_argument (getopt.h) */
	const char *arg_name; /* for --help, e.g. "ADDR=HEXKEY[:AT]"; NULL when has_arg is 0 */
	const char *help;     /* one line for --help */
	int (*parse)(void **ctx, const char *arg); /* arg is NULL for no_argument */
	void (*annotate)(const struct fmipctl_frame *f, struct jw *w, void *ctx);
	int (*finish)(void *ctx);
};

/* SEND verdicts (decode_verify.c). */
extern const struct decode_ext decode_ext_verify;
extern const struct decode_ext decode_ext_trust_anchor;
extern const struct decode_ext decode_ext_chain;

/* Handover Key Reply decryption (decode_hkenc.c). */
extern const struct decode_ext decode_ext_hk_enc_key;

/* BADF MAC verdicts with handover keys (decode_mac.c, lib/mac). */
extern const struct decode_ext decode_ext_hk;
extern const struct decode_ext decode_ext_hk_file;

/* NULL-terminated. */
extern const struct decode_ext *const decode_exts[];

#endif /* FMIPCTL_DECODE_EXT_H */
