/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * main.c - klp-fixup: the list of commands.  Each command's file declares
 * its options and operands (cli.h) and does the work.
 */
#include "affected.h"
#include "build.h"
#include "../base/cli.h"
#include "compress.h"
#include "convert.h"
#include "diff.h"
#include "dump.h"
#include "lookup.h"
#include "sympos-cmd.h"
#include "verify.h"
#include "../notes/klp-names.h"
#include "../../include/klp-notes.h"

#include <stdio.h>

static const struct klp_command *const commands[] = {
	&klp_cmd_dump, &klp_cmd_sympos, &klp_cmd_convert, &klp_cmd_verify, &klp_cmd_affected,
	&klp_cmd_lookup, &klp_cmd_diff, &klp_cmd_compress, &klp_cmd_build,
};

static const char intro[] =
	"Build livepatch modules with exact symbol positions, from the notes the klp\n"
	"compiler plugins leave in every object, module and vmlinux.\n";

static const char outro[] =
	"A target is vmlinux or a module, given as FILE or OBJ=FILE; OBJ defaults to\n"
	"\"vmlinux\" for a linked file and to the file name without .ko/.o, '-' made '_',\n"
	"for a module.  sympos and convert need the target's notes, from the klp\n"
	"compiler plugins (docs/note-format.md); see docs/klp-fixup.md.\n"
	"Exit status: 0 success, 1 error (nothing written), 2 usage.\n";

int main(int argc, char **argv)
{
	char version[512];

	snprintf(version, sizeof(version),
		 "klp-fixup %s (reads %s note format version %d)\n"
		 "reads: %s notes version %d (include/klp-notes.h), klp.h references "
		 "%sOBJ:PATH:SYMBOL, %s records of %d fields\n", KLP_RELEASE, KLP_NOTES_SECTION,
		 KLP_NOTES_VERSION, KLP_NOTES_SECTION, KLP_NOTES_VERSION, KLP_REF_PREFIX,
		 KLP_REFS_SECTION, KLP_REFS_FIELDS);
	return klp_cli_main(commands, sizeof(commands) / sizeof(commands[0]), intro, outro,
			    version, argc, argv);
}
