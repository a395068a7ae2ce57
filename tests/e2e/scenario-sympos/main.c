// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - livepatch for the end-to-end test: replaces cmdline_proc_show()
 * with a function that reports where two statics named c_start are, as
 * the kernel resolved them from the .klp.sym symbols klp-fixup wrote, and
 * what each file's c_start/c_stop pair returns when called.
 * The references live in two objects of this module (consoles.c and
 * cpuinfo.c), each naming its target `c_start` in C: after the objects are
 * linked together each must still resolve to its own file's c_start.
 */
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

void *consoles_c_start_addr(void);
unsigned long consoles_c_start_refs(void);
void *cpuinfo_c_start_addr(void);
const char *consoles_first_name(struct seq_file *m);
int cpuinfo_first_cpu(struct seq_file *m);

static int klp_cmdline_proc_show(struct seq_file *m, void *v)
{
	seq_printf(m, "klp-e2e patched consoles_c_start=%px cpuinfo_c_start=%px refs=%lu "
		   "first_console=%s first_cpu=%d\n",
		   consoles_c_start_addr(), cpuinfo_c_start_addr(), consoles_c_start_refs(),
		   consoles_first_name(m), cpuinfo_first_cpu(m));
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
