/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-input.h - what the fuzz targets share: the fuzz input as a file
 * (klp-fixup reads paths, not buffers) and a quiet stdout/stderr.
 */
#ifndef KLP_FUZZ_INPUT_H
#define KLP_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* A private scratch directory for this process (under $TMPDIR or
 * /dev/shm, which keeps the per-input file I/O in memory). */
const char *fuzz_workdir(void);

/* Write data to fuzz_workdir()/name and return that path. */
const char *fuzz_write_input(const char *name, const uint8_t *data, size_t size);

/* Send klp-fixup's messages to /dev/null unless KLP_FUZZ_VERBOSE is set:
 * every rejected input prints an error, and printing them all slows the
 * run down for nothing.  libFuzzer and the sanitizers keep their own
 * handle on stderr, so crash reports still appear. */
void fuzz_quiet(void);

/* Remove every file in the work directory (outputs, temporary copies). */
void fuzz_clean_workdir(void);

#endif /* KLP_FUZZ_INPUT_H */
