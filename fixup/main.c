/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - klp-fixup's command line: picks the command, parses its
 * options, and leaves the work to the file that owns that command.
 */
#include "affected.h"
#include "compress.h"
#include "convert.h"
#include "diff.h"
#include "dump.h"
#include "lookup.h"
#include "sympos.h"
#include "verify.h"
#include "klp-names.h"
#include "../include/klp-notes.h"

#include <stdio.h>
#include <string.h>


static const char usage[] =
	"usage: klp-fixup COMMAND [OPTIONS] FILE...\n"
	"\n"
	"Commands:\n"
	"  dump [--json] FILE    print the .debug_klp notes of an object, module or\n"
	"                        vmlinux: per translation unit, every local symbol and\n"
	"                        function with its address, size, patch site, padding,\n"
	"                        clone origin and inlined functions\n"
	"  sympos --target FILE [--verbose] TU SYMBOL\n"
	"                        print the position (sympos) the kernel's livepatch\n"
	"                        lookup gives SYMBOL of source file TU in FILE: vmlinux in\n"
	"                        kallsyms order, a module in its symtab order; 0 when the\n"
	"                        name is unique.  TU is the recorded path or a suffix of\n"
	"                        it starting after a '/'; \"\" asks for a unique name\n"
	"  convert --target FILE [--target FILE...] [--verbose] IN -o OUT\n"
	"                        turn the KLP_LOCAL_SYM() references (include/klp.h) of\n"
	"                        livepatch module IN into .klp.sym symbols and .klp.rela\n"
	"                        sections; OUT is written atomically, only if all resolve,\n"
	"                        with a .debug_klp_refs record of what each resolved to\n"
	"  verify --target FILE [--target FILE...] [--verbose] MODULE\n"
	"                        check a livepatch module as the kernel will: every\n"
	"                        .klp.sym resolves to exactly one symbol, section names\n"
	"                        and flags, on ppc64 a nop after every call to an\n"
	"                        undefined or livepatch symbol, and (with convert's\n"
	"                        .debug_klp_refs record) that the target units still\n"
	"                        have the ids and positions convert used; reports all\n"
	"                        problems\n"
	"  affected --target FILE [--json] TU FUNCTION...\n"
	"                        list the functions to patch when FUNCTIONs of source\n"
	"                        file TU change: those they were inlined into, their\n"
	"                        clones and .cold parts, transitively, with sympos and\n"
	"                        whether each has a patch site (for those that have\n"
	"                        none, the callers to patch instead); TU \"\" looks in\n"
	"                        every unit, for static inlines of headers\n"
	"  lookup --target FILE OBJECT SYMBOL...\n"
	"                        for tools that diff objects (kpatch-build): per\n"
	"                        local SYMBOL of OBJECT, an object compiled with the\n"
	"                        plugin, \"SYMBOL OBJ POS ADDR SIZE\" of the symbol the\n"
	"                        kernel will resolve in FILE, or \"SYMBOL - REASON\"\n"
	"                        when OBJECT's notes record no such local\n"
	"  diff [--json] OLD NEW\n"
	"  diff [--json] --target FILE [TU] NEW\n"
	"                        compare checksums: the functions and local objects\n"
	"                        of NEW's unit that changed, are new or were removed\n"
	"                        against OLD (an object of the same source file) or\n"
	"                        against unit TU of vmlinux or a module (default: the\n"
	"                        unit of NEW's recorded path)\n"
	"  compress [--level N] FILE [-o OUT]\n"
	"                        store FILE's .debug_klp as an SHF_COMPRESSED section,\n"
	"                        zstd at level N (default 19, where the linker and\n"
	"                        objcopy use 3 or 5); in place without -o.  Nothing\n"
	"                        else moves: a post-link step for vmlinux and modules\n"
	"  --version             print the version and the note format it reads\n"
	"  --help                print this text\n"
	"\n"
	"A target is vmlinux or a module, given as FILE or OBJ=FILE; OBJ defaults to\n"
	"\"vmlinux\" for a linked file and to the file name without .ko/.o, '-' made '_',\n"
	"for a module.  sympos and convert need the target's notes, from the klp\n"
	"compiler plugins (docs/note-format.md); see docs/klp-fixup.md.\n"
	"Exit status: 0 success, 1 error (nothing written), 2 usage.\n";

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
		printf("klp-fixup %s (reads %s note format version %d)\n", KLP_RELEASE,
		       KLP_NOTES_SECTION, KLP_NOTES_VERSION);
		printf("reads: %s notes version %d (include/klp-notes.h), klp.h references "
		       "%sOBJ:PATH:SYMBOL, %s records of %d fields\n", KLP_NOTES_SECTION,
		       KLP_NOTES_VERSION, KLP_REF_PREFIX, KLP_REFS_SECTION, KLP_REFS_FIELDS);
		return 0;
	}
	if (!strcmp(argv[1], "dump"))
		return cmd_dump(argc - 2, argv + 2);
	if (!strcmp(argv[1], "sympos"))
		return klp_sympos_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "convert"))
		return klp_convert_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "affected"))
		return klp_affected_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "verify"))
		return klp_verify_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "diff"))
		return klp_diff_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "compress"))
		return klp_compress_main(argc - 2, argv + 2);
	if (!strcmp(argv[1], "lookup"))
		return klp_lookup_main(argc - 2, argv + 2);
	fprintf(stderr, "klp-fixup: error: unknown command '%s'\n%s", argv[1], usage);
	return 2;
}
