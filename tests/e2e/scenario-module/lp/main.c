// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - livepatch for the module scenario: replaces target_show() of
 * the out-of-tree module klp_e2e_target with a function that calls the
 * static describe() and reads the static `level` of two of that module's
 * files.  Both names exist in both files; each reference names its file
 * (include/klp.h) and klp-fixup gives it that file's position in the
 * module's symbol table.
 */
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include "klp.h"

extern int stats_describe(void) KLP_LOCAL_SYM("klp_e2e_target", "stats.c", "describe");
extern int stats_level KLP_LOCAL_SYM("klp_e2e_target", "stats.c", "level");
extern int limits_describe(void) KLP_LOCAL_SYM("klp_e2e_target", "limits.c", "describe");
extern int limits_level KLP_LOCAL_SYM("klp_e2e_target", "limits.c", "level");

static int klp_target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-e2e patched stats=%d/%d limits=%d/%d "
		   "stats_describe=%px stats_level=%px limits_describe=%px limits_level=%px\n",
		   stats_describe(), stats_level, limits_describe(), limits_level,
		   stats_describe, &stats_level, limits_describe, &limits_level);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "target_show", .new_func = klp_target_show },
	{ }
};

static struct klp_object objs[] = {
	{ .name = "klp_e2e_target", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klp_e2e_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit klp_e2e_exit(void)
{
}

module_init(klp_e2e_init);
module_exit(klp_e2e_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
