/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - klp-fixup's command line: picks the command, parses its
 * options, and leaves the work to the file that owns that command.
 */
#include "dump.h"
#include "../include/klp-notes.h"

#include <stdio.h>
#include <string.h>

#ifndef KLP_VERSION
#define KLP_VERSION "0.1.0"
#endif

static const char usage[] =
	"usage: klp-fixup COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Commands:\n"
	"  dump [--json] FILE    print the .debug_klp notes of an object, module or\n"
	"                        vmlinux: per translation unit, every local symbol and\n"
	"                        function with its address, size, patch site, padding,\n"
	"                        clone origin and inlined functions\n"
	"  --version             print the version and the note format it reads\n"
	"  --help                print this text\n"
	"\n"
	"The notes come from the klp compiler plugins (docs/note-format.md).\n";

static int cmd_dump(int argc, char **argv)
{
	const char *file = NULL;
	bool json = false;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "klp-fixup: error: dump: unknown option %s\n%s",
				argv[i], usage);
			return 2;
		} else if (file) {
			fprintf(stderr, "klp-fixup: error: dump takes one FILE\n%s", usage);
			return 2;
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		fprintf(stderr, "klp-fixup: error: dump needs a FILE\n%s", usage);
		return 2;
	}
	return klp_dump(file, json);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("klp-fixup %s (reads %s note format version %d)\n", KLP_VERSION,
		       KLP_NOTES_SECTION, KLP_NOTES_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 2, argv + 2);
	fprintf(stderr, "klp-fixup: error: unknown command '%s'\n%s", argv[1], usage);
	return 2;
}
