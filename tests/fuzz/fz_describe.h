/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/fuzz/fz_describe — fmipctl's per-frame path for the fuzz targets fuzz_decode and
 * fuzz_fmipctl: describe_decode() of the input, then describe_frame() in JSON and in text with
 * the given annotators, under the oracles: the writer ends balanced and without error, the JSON
 * output is printable ASCII (escaped), and each rendering is exactly one line.
 */
#ifndef FMIPGW_FZ_DESCRIBE_H
#define FMIPGW_FZ_DESCRIBE_H

#include "describe.h"

/* describe_decode() of data (not copied: keep it alive while f is used). */
void fz_decode(struct fmipctl_frame *f, const uint8_t *data, size_t size, enum describe_link link);
/* Both renderings of a decoded frame, with the oracles above (abort on a violation). */
void fz_render(const struct fmipctl_frame *f, const struct describe_annotator *ann, unsigned n_ann);

#endif /* FMIPGW_FZ_DESCRIBE_H */
