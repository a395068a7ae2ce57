/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * build.c - `klp-fixup build`: a livepatch module from source patches,
 * compiling only the units they touch (docs/builder.md); the steps are
 * the build layer's (fixup/build/builder.h).
 *
 *   klp-fixup build --kdir DIR [--srctree DIR] [--name NAME] [--work DIR]
 *                   [--verbose] -o OUT.ko PATCH...
 *
 * 1. the units: each changed .c file, and every unit whose kbuild
 *    dependency list names a changed header; assembly is refused;
 * 2. each unit compiled twice, from the tree and from a patched copy of it
 *    (hard links: cp -al, then patch -p1), with kbuild's saved command,
 *    the plugin it names, and -ffunction-sections -fdata-sections;
 * 3. the unpatched compile's checksums must all equal the running
 *    kernel's notes: otherwise this is not the source, config or
 *    compiler that kernel was built from;
 * 4. the patched compile's changed and new functions, by checksum;
 * 5. the livepatch object of each unit (build/extract.c);
 * 6. a registration (klp_patch, atomic replace, old_sympos from the
 *    notes) linked with them by kbuild as an external module, then
 *    `convert` and `verify`; OUT appears only when all of it succeeded.
 */
#include "build.h"
#include "../base/warn.h"
#include "../build/builder.h"

#include <string.h>

static int build_run(const struct klp_args *a)
{
	struct klp_builder b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.kdir_arg = klp_value(a, "--kdir");
	b.srctree_arg = klp_value(a, "--srctree");
	b.work_arg = klp_value(a, "--work");
	b.out = klp_value(a, "--output");
	b.verbose = klp_flag(a, "--verbose");
	b.patches = (const char *const *)a->operands;
	b.npatches = a->noperands;
	klp_build_module_name(&b, klp_value(a, "--name"));
	if (!b.name[0])
		return klp_usage_error(a, "--name: give a module name");
	ret = klp_build_steps(&b);
	klp_build_finish(&b, ret);
	return ret ? 1 : 0;
}

static const struct klp_option build_options[] = {
	{ "--kdir", NULL, "DIR", 1, true, KLP_COMPLETE_FILE,
	  "the build directory of the running kernel: vmlinux with notes, .config, "
	  "Module.symvers and kbuild's .cmd files" },
	{ "--srctree", NULL, "DIR", 1, false, KLP_COMPLETE_FILE,
	  "the kernel source tree (default: DIR/source, the link kbuild makes for O=)" },
	{ "--output", "-o", "OUT", 1, true, KLP_COMPLETE_FILE,
	  "the livepatch module, written atomically and only when it built, converted and "
	  "verified" },
	{ "--name", NULL, "NAME", 1, false, KLP_COMPLETE_NONE,
	  "the module's name (default: livepatch_ and the first patch's file name)" },
	{ "--work", NULL, "DIR", 1, false, KLP_COMPLETE_FILE,
	  "keep the work files (compiles, logs, module sources) here instead of a "
	  "temporary directory" },
	KLP_OPTION_VERBOSE("say each step and each unit left out"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_build = {
	"build", "PATCH...", 1, KLP_OPERANDS_MANY,
	"build a livepatch module from unified diffs of the kernel source: only the units "
	"the patches touch are compiled, unpatched and patched; the unpatched compile must "
	"equal the running kernel's notes; the changed functions are extracted with exact "
	"positions (docs/builder.md)",
	build_options, build_run,
};

