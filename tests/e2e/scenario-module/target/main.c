// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the out-of-tree module the module scenario patches: three C
 * files, two of which (stats.c, limits.c) hold a static variable `level`
 * and a static function `describe` each.  /proc/klp_e2e_target shows what
 * target_show() computes; the livepatch replaces target_show().
 */
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

int stats_value(void);
void stats_reset(int value);
int limits_value(void);
void limits_reset(int value);

static int target_show(struct seq_file *m, void *v)
{
	seq_printf(m, "target stats=%d limits=%d\n", stats_value(), limits_value());
	return 0;
}

static int __init target_init(void)
{
	stats_reset(1);
	limits_reset(2);
	return proc_create_single("klp_e2e_target", 0444, NULL, target_show) ? 0 : -ENOMEM;
}

static void __exit target_exit(void)
{
	remove_proc_entry("klp_e2e_target", NULL);
}

module_init(target_init);
module_exit(target_exit);
MODULE_LICENSE("GPL");
