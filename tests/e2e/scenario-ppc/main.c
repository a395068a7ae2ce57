// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - livepatch of the ppc64le scenario: replaces version_proc_show()
 * with klp_version_proc_show() of patched.c.
 */
#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/seq_file.h>

int klp_version_proc_show(struct seq_file *m, void *v);

static struct klp_func funcs[] = {
	{ .old_name = "version_proc_show", .new_func = klp_version_proc_show },
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
