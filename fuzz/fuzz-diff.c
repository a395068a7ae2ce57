/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-diff.c - libFuzzer target for the checksum comparison (klp-fixup
 * diff, diff.c): the input is an object compared with itself, both ways
 * of output, and against its unit in the linked target of
 * KLP_FUZZ_TARGETS (the first spec: fuzz/run.sh's vmlinux), as a livepatch
 * builder compares an unpatched compile with the running kernel.  Reaches
 * the pairing of records by name and kind, the comparability checks
 * (producer, ppc-calls mode) and the JSON writer.
 */
#include "fuzz-input.h"
#include "../fixup/cmd/diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char target[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *env = getenv("KLP_FUZZ_TARGETS");
	size_t len = env ? strcspn(env, " ") : 0;

	(void)argc;
	(void)argv;
	if (!len || len >= sizeof(target)) {
		fprintf(stderr, "fuzz-diff: set KLP_FUZZ_TARGETS to the --target specs "
			"(fuzz/run.sh does); the first is the linked target\n");
		exit(1);
	}
	memcpy(target, env, len);
	fuzz_quiet();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = strdup(fuzz_write_input("fuzz-new.o", data, size));
	char json[] = "--json", tflag[] = "--target";
	char *self[] = { path, path };
	char *self_json[] = { json, path, path };
	char *against[] = { tflag, target, path };

	if (!path)
		return 0;
	klp_cli_run(&klp_cmd_diff, 2, self);
	klp_cli_run(&klp_cmd_diff, 3, self_json);
	klp_cli_run(&klp_cmd_diff, 3, against);
	free(path);
	fuzz_clean_workdir();
	return 0;
}
