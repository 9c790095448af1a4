/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef FMIPGW_FUZZ_H
#define FMIPGW_FUZZ_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer entry point (fuzz_decode.c); also driven by replay_main.c in the normal build. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif
