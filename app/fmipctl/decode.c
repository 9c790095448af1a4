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

int cmd_decode(int argc, char **argv)
{
	struct option opts[MAX_EXTS + 3];
	struct describe_annotator ann[MAX_EXTS];
	void *ext_ctx[MAX_EXTS] = { 0 };
	bool ext_on[MAX_EXTS] = { 0 };
	unsigned n_ext = 0, n_ann = 0, k = 0;
	bool json = false;
	int c, rc = FMIPCTL_EXIT_OK;

	opts[k++] = (struct option){ "json", no_argument, NULL, 'j' };
	opts[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	for (; decode_exts[n_ext] && n_ext < MAX_EXTS; n_ext++)
		opts[k++] = (struct option){ decode_exts[n_ext]->name, decode_exts[n_ext]->has_arg,
					     NULL, 256 + (int)n_ext };
	opts[k] = (struct option){ NULL, 0, NULL, 0 };

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		if (c == 'j') {
			json = true;
		} else if (c == 'h') {
			decode_usage(stdout);
			return FMIPCTL_EXIT_OK;
		} else if (c >= 256 && c < 256 + (int)n_ext) {
			unsigned i = (unsigned)(c - 256);
			if (decode_exts[i]->parse(&ext_ctx[i], optarg) != 0) {
				rc = FMIPCTL_EXIT_USAGE;
				goto out;
			}
			ext_on[i] = true;
		} else {
			decode_usage(stderr);
			rc = FMIPCTL_EXIT_USAGE;
			goto out;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "fmipctl decode: expected one capture file (or -)\n");
		decode_usage(stderr);
		rc = FMIPCTL_EXIT_USAGE;
		goto out;
	}
	for (unsigned i = 0; i < n_ext; i++)
		if (ext_on[i])
			ann[n_ann++] =
			    (struct describe_annotator){ decode_exts[i]->name,
							 decode_exts[i]->annotate, ext_ctx[i] };

	const char *path = argv[optind];
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc =
	    strcmp(path, "-") ? pcap_open_offline(path, errbuf) : pcap_fopen_offline(stdin, errbuf);
	if (!pc) {
		fprintf(stderr, "fmipctl decode: %s: %s\n", path, errbuf);
		rc = FMIPCTL_EXIT_FAIL;
		goto out;
	}
	enum describe_link link;
	int dlt = pcap_datalink(pc);
	if (map_link(dlt, &link) != 0) {
		const char *dn = pcap_datalink_val_to_name(dlt);
		fprintf(stderr, "fmipctl decode: %s: unsupported link type %s (%d)\n", path,
			dn ? dn : "?", dlt);
		pcap_close(pc);
		rc = FMIPCTL_EXIT_FAIL;
		goto out;
	}

	struct jw w;
	jw_init(&w, json, stdout_sink, stdout);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t no = 0;
	int r;
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
	pcap_close(pc);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "fmipctl decode: write error on standard output\n");
		rc = FMIPCTL_EXIT_FAIL;
	}
out:
	for (unsigned i = 0; i < n_ext; i++) {
		if (!ext_on[i] && !ext_ctx[i])
			continue;
		int x = decode_exts[i]->finish ? decode_exts[i]->finish(ext_ctx[i]) : 0;
		if ((rc == FMIPCTL_EXIT_OK || rc >= 3) && x > rc)
			rc = x;
	}
	return rc;
}
