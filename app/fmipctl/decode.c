/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fmipctl decode [--json] FILE.pcap|-
 *
 * Reads a capture with libpcap (pcap or pcapng; "-" is stdin) and writes one line per frame
 * (describe.c).  A frame that does not decode is reported on its line and the next frame is
 * decoded; only file-level errors (cannot open, unsupported link type, a cut or corrupt record)
 * end the run with exit 1.
 */
#include <getopt.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_ext.h"
#include "describe.h"
#include "fmipctl.h"

#define MAX_EXTS 32

static void stdout_sink(void *ctx, const char *s, size_t n)
{
	fwrite(s, 1, n, (FILE *)ctx);
}

static void decode_usage(FILE *to)
{
	fprintf(to,
		"usage: fmipctl decode [--json] FILE.pcap|-\n"
		"  --json        one JSON object per frame (default: one text line per frame)\n");
	for (unsigned i = 0; decode_exts[i]; i++) {
		const struct decode_ext *x = decode_exts[i];
		char opt[64];
		snprintf(opt, sizeof(opt), "--%s%s%s", x->name, x->arg_name ? " " : "",
			 x->arg_name ? x->arg_name : "");
		fprintf(to, "  %-13s %s\n", opt, x->help);
	}
	fprintf(to,
		"Link types: Ethernet, raw IPv6 (DLT_RAW, DLT_IPV6), Linux cooked (SLL, SLL2).\n"
		"Exit: 0 every frame was output (malformed ones included), 1 the file could not\n"
		"be read (missing, not a capture, unsupported link type, cut or corrupt record),\n"
		"2 usage.  See docs/fmipctl.md.\n");
}

static int map_link(int dlt, enum describe_link *link)
{
	switch (dlt) {
	case DLT_EN10MB:
		*link = DESCRIBE_LINK_ETH;
		return 0;
	case DLT_RAW:
#ifdef DLT_IPV6
	case DLT_IPV6:
#endif
		*link = DESCRIBE_LINK_RAW6;
		return 0;
	case DLT_LINUX_SLL:
		*link = DESCRIBE_LINK_SLL;
		return 0;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		*link = DESCRIBE_LINK_SLL2;
		return 0;
#endif
	default:
		return -1;
	}
}

/* The decode run's options: --json and the extensions named (decode_ext.h). */
struct decode_opts {
	void *ext_ctx[MAX_EXTS];
	bool ext_on[MAX_EXTS];
	unsigned n_ext;
	bool json;
	bool help; /* --help: the usage was printed, nothing else to do */
};

/* Parse argv into o; -1: go on (argv[optind] is the capture), else the exit status. */
static int parse_opts(int argc, char **argv, struct decode_opts *o)
{
	struct option opts[MAX_EXTS + 3];
	unsigned k = 0;
	int c;

	opts[k++] = (struct option){ "json", no_argument, NULL, 'j' };
	opts[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (; decode_exts[o->n_ext] && o->n_ext < MAX_EXTS; o->n_ext++)
		opts[k++] =
		    (struct option){ decode_exts[o->n_ext]->name, decode_exts[o->n_ext]->has_arg,
				     NULL, 256 + (int)o->n_ext };
	opts[k] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j') {
			o->json = true;
		} else if (c == 'h') {
			decode_usage(stdout);
			o->help = true;
			return FMIPCTL_EXIT_OK;
		} else if (c >= 256 && c < 256 + (int)o->n_ext) {
			unsigned i = (unsigned)(c - 256);
			if (decode_exts[i]->parse(&o->ext_ctx[i], optarg) != 0)
				return FMIPCTL_EXIT_USAGE;
			o->ext_on[i] = true;
		} else {
			decode_usage(stderr);
			return FMIPCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "fmipctl decode: expected one capture file (or -)\n");
		decode_usage(stderr);
		return FMIPCTL_EXIT_USAGE;
	}
	return -1;
}

/* The capture at path ("-": stdin) and its link type; NULL when it cannot be read (told). */
static pcap_t *open_capture(const char *path, enum describe_link *link)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc =
	    strcmp(path, "-") ? pcap_open_offline(path, errbuf) : pcap_fopen_offline(stdin, errbuf);
	int dlt;

	if (!pc) {
		fprintf(stderr, "fmipctl decode: %s: %s\n", path, errbuf);
		return NULL;
	}
	dlt = pcap_datalink(pc);
	if (map_link(dlt, link) != 0) {
		const char *dn = pcap_datalink_val_to_name(dlt);
		fprintf(stderr, "fmipctl decode: %s: unsupported link type %s (%d)\n", path,
			dn ? dn : "?", dlt);
		pcap_close(pc);
		return NULL;
	}
	return pc;
}

/* One line per frame of pc to stdout; the exit status. */
static int decode_frames(pcap_t *pc, const char *path, enum describe_link link, bool json,
			 const struct describe_annotator *ann, unsigned n_ann)
{
	struct jw w;
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t no = 0;
	int r, rc = FMIPCTL_EXIT_OK;

	jw_init(&w, json, stdout_sink, stdout);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		struct fmipctl_frame f;
		memset(&f, 0, sizeof(f));
		f.no = ++no;
		f.data = data;
		f.len = h->caplen;
		f.orig_len = h->len;
		f.has_ts = true;
		f.ts_sec = (int64_t)h->ts.tv_sec;
		f.ts_usec = (uint32_t)h->ts.tv_usec;
		f.link = link;
		describe_decode(&f);
		describe_frame(&w, &f, ann, n_ann);
		if (w.err) {
			/* an annotator left the writer unbalanced: end the line, say so */
			fprintf(stdout, "\n");
			fprintf(stderr, "fmipctl decode: frame %llu: output writer error %d\n",
				(unsigned long long)no, w.err);
			jw_reset(&w);
		}
	}
	if (r == PCAP_ERROR) {
		fflush(stdout);
		fprintf(stderr, "fmipctl decode: %s: after frame %llu: %s\n", path,
			(unsigned long long)no, pcap_geterr(pc));
		rc = FMIPCTL_EXIT_FAIL;
	}
	return rc;
}

int cmd_decode(int argc, char **argv)
{
	struct describe_annotator ann[MAX_EXTS];
	struct decode_opts o = { 0 };
	enum describe_link link;
	unsigned n_ann = 0;
	pcap_t *pc;
	int rc = parse_opts(argc, argv, &o);

	if (o.help)
		return rc; /* the usage only: no extension finishes */
	if (rc >= 0)
		goto out;
	rc = FMIPCTL_EXIT_OK;
	for (unsigned i = 0; i < o.n_ext; i++)
		if (o.ext_on[i])
			ann[n_ann++] =
			    (struct describe_annotator){ decode_exts[i]->name,
							 decode_exts[i]->annotate, o.ext_ctx[i] };
	pc = open_capture(argv[optind], &link);
	if (pc == NULL) {
		rc = FMIPCTL_EXIT_FAIL;
		goto out;
	}
	rc = decode_frames(pc, argv[optind], link, o.json, ann, n_ann);
	pcap_close(pc);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fmipctl decode: write error on standard output\n");
		rc = FMIPCTL_EXIT_FAIL;
	}
out:
	for (unsigned i = 0; i < o.n_ext; i++) {
		if (!o.ext_on[i] && !o.ext_ctx[i])
			continue;
		int x = decode_exts[i]->finish ? decode_exts[i]->finish(o.ext_ctx[i]) : 0;
		if ((rc == FMIPCTL_EXIT_OK || rc >= 3) && x > rc)
			rc = x;
	}
	return rc;
}
