/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sympos-cmd.c - `klp-fixup sympos`: the position resolve/sympos.c gives
 * one symbol, printed.
 */
#include "sympos-cmd.h"
#include "../resolve/sympos.h"

#include <inttypes.h>
#include <stdio.h>

static int sympos_run(const struct klp_args *a)
{
	const char *target = klp_value(a, "--target"), *const *args = (const char *const *)a->operands;
	bool verbose = klp_flag(a, "--verbose");
	struct klp_resolution r;
	struct klp_resolver rs;
	struct klp_target t;
	int ret;

	if (klp_target_open(&t, target, *args[0] != '\0'))
		return 1;
	ret = klp_resolver_init(&rs, &t);
	if (!ret)
		ret = klp_resolve(&rs, args[0], args[1], &r);
	if (!ret) {
		printf("%lu\n", r.pos);
		if (verbose)
			printf("%s %s,%lu: %s symbol %zu at 0x%" PRIx64 ", %zu of this name, unit %s\n",
			       t.objname, args[1], r.pos, r.sym->bind == STB_LOCAL ? "local" :
			       r.sym->bind == STB_WEAK ? "weak" : "global", r.sym->index,
			       (uint64_t)r.sym->sym.st_value, r.count,
			       r.unit ? r.unit->path : "(any)");
	}
	klp_resolver_free(&rs);
	klp_target_close(&t);
	return ret ? 1 : 0;
}

static const struct klp_option sympos_options[] = {
	KLP_OPTION_TARGET(true, "vmlinux or the module whose symbol is meant"),
	KLP_OPTION_VERBOSE("also print the symbol's binding, index, address, how many "
			   "share its name, and its unit"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_sympos = {
	"sympos", "TU SYMBOL", 2, 2,
	"print the position (sympos) the kernel's livepatch lookup gives SYMBOL of source "
	"file TU in the target: vmlinux in kallsyms order, a module in its symtab order; "
	"0 when the name is unique.  TU is the recorded path or a suffix of it starting "
	"after a '/'; \"\" asks for a unique name",
	sympos_options, sympos_run,
};
