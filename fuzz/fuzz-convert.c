/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-convert.c - libFuzzer target for `klp-fixup convert`: the input is
 * the livepatch module; the targets are real files named by
 * KLP_FUZZ_TARGETS (space-separated --target specs; fuzz/run.sh sets it
 * from the seed corpus).
 *
 * Besides crashes, hangs and leaks, three properties are checked:
 * - a failed convert leaves no output and no temporary file;
 * - convert succeeds only on an input whose section header table lies
 *   inside the file (checked here independently of libelf, which takes a
 *   table past the end of the file for no sections at all);
 * - a module convert wrote passes `verify` against the same targets,
 *   i.e. every .klp.sym it wrote resolves as the kernel would resolve it.
 *   A module that converts but does not verify would load against the
 *   wrong symbol, or not at all.
 *
 * KLP_FUZZ_SKIP_KNOWN=1 steps around two classes of input that once were
 * open findings (section headers not inside the file; the verify check),
 * for hunting other bugs while such a finding is open
 * (fuzz/regressions/OPEN); CI runs with every check on.
 */
#include "fuzz-input.h"
#include "../fixup/cmd/convert.h"
#include "../fixup/cmd/verify.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SPECS 8

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *specs[MAX_SPECS];
static int nspecs;
static char out[4096 + 64];
static int skip_known;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("KLP_FUZZ_TARGETS");
	char *copy, *save = NULL;

	(void)argc;
	(void)argv;
	if (!env || !*env) {
		fprintf(stderr, "fuzz-convert: set KLP_FUZZ_TARGETS to the --target specs "
			"(fuzz/run.sh does)\n");
		exit(2);
	}
	copy = strdup(env);
	for (char *s = strtok_r(copy, " ", &save); s && nspecs < MAX_SPECS;
	     s = strtok_r(NULL, " ", &save))
		specs[nspecs++] = s;
	snprintf(out, sizeof(out), "%s/out.ko", fuzz_workdir());
	skip_known = getenv("KLP_FUZZ_SKIP_KNOWN") != NULL;
	fuzz_quiet();
	return 0;
}

/* Does the ELF64 section header table lie inside the file, after the
 * ELF header?  An independent check: convert must not accept less. */
static int shdrs_fit(const uint8_t *data, size_t size)
{
	uint64_t shoff = 0;
	uint16_t shentsize, shnum;

	if (size < 64)
		return 0;
	for (int i = 7; i >= 0; i--)	/* little-endian, as the seeds */
		shoff = shoff << 8 | data[0x28 + i];
	shentsize = (uint16_t)(data[0x3a] | data[0x3b] << 8);
	shnum = (uint16_t)(data[0x3c] | data[0x3d] << 8);
	return shoff >= 64 && shoff <= size && shnum &&
	       (uint64_t)shentsize * shnum <= size - shoff;
}

/* Files other than the input in the work directory: outputs and
 * temporary copies. */
static int leftovers(void)
{
	DIR *d = opendir(fuzz_workdir());
	struct dirent *e;
	int n = 0;

	if (!d)
		abort();
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "in.ko"))
			n++;
	closedir(d);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = fuzz_write_input("in.ko", data, size);
	char *argv[2 * MAX_SPECS + 4];
	int argc = 0, status;

	if (skip_known && !shdrs_fit(data, size))
		return -1;	/* findings 1 and 3; -1 keeps it out of the corpus */
	for (int i = 0; i < nspecs; i++) {
		argv[argc++] = "--target";
		argv[argc++] = specs[i];
	}
	argv[argc++] = (char *)in;
	argv[argc++] = "-o";
	argv[argc++] = out;
	argv[argc] = NULL;
	status = klp_cli_run(&klp_cmd_convert, argc, argv);

	if (status != 0 && leftovers()) {
		fprintf(stderr, "fuzz-convert: convert failed (status %d) but left files in %s\n",
			status, fuzz_workdir());
		abort();
	}
	if (status == 0) {
		if (!shdrs_fit(data, size)) {
			fprintf(stderr, "fuzz-convert: convert accepted an input whose section "
				"headers are not inside the file\n");
			abort();
		}
		if (access(out, F_OK)) {
			fprintf(stderr, "fuzz-convert: convert succeeded without writing %s\n", out);
			abort();
		}
		/* verify takes the same arguments, with the output as MODULE. */
		argc -= 3;
		argv[argc++] = out;
		argv[argc] = NULL;
		if (!skip_known && klp_cli_run(&klp_cmd_verify, argc, argv) != 0) {
			fprintf(stderr, "fuzz-convert: convert wrote %s but verify rejects it "
				"(rerun with KLP_FUZZ_VERBOSE=1 for the problems)\n", out);
			abort();
		}
	}
	fuzz_clean_workdir();
	return 0;
}
