// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klp_e2e_sympos.c - livepatch for the end-to-end test: replaces
 * cmdline_proc_show() with a function that reports where two statics
 * named c_start (fs/proc/consoles.c and arch/x86/kernel/cpu/proc.c) are,
 * as the kernel resolved them from the .klp.sym symbols klp-fixup wrote.
 */
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>
#include "klp.h"

extern void *klp_consoles_c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", "fs/proc/consoles.c", "c_start");
extern void *klp_cpuinfo_c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", "arch/x86/kernel/cpu/proc.c", "c_start");

static int klp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-e2e patched consoles_c_start=%px cpuinfo_c_start=%px\n",
		   klp_consoles_c_start, klp_cpuinfo_c_start);
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = klp_cmdline_proc_show },
	{ }
};

static struct klp_object objs[] = {
	{ .funcs = funcs },	/* vmlinux */
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
