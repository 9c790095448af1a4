/* SPDX-License-Identifier: BSD-3-Clause */
/* tests/fuzz/fz_describe: fmipctl's decode-and-render path with its output oracles. */
#include "fz_describe.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct out {
	size_t n;
	size_t newlines;
	bool json;
};

static void sink(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			o->newlines++;
		else if (o->json && (c < 0x20 || c >= 0x7f))
			abort(); /* JSON output must be escaped ASCII */
	}
	o->n += n;
}

void fz_decode(struct fmipctl_frame *f, const uint8_t *data, size_t size, enum describe_link link)
{
	memset(f, 0, sizeof(*f));
	f->no = 1;
	f->data = data;
	f->len = size;
	f->orig_len = size;
	f->link = link;
	describe_decode(f);
}

void fz_render(const struct fmipctl_frame *f, const struct describe_annotator *ann, unsigned n_ann)
{
	for (int json = 1; json >= 0; json--) {
		struct out o = { 0, 0, json };
		struct jw w;
		jw_init(&w, json, sink, &o);
		describe_frame(&w, f, ann, n_ann);
		if (w.err || w.depth || o.newlines != 1)
			abort();
	}
}
