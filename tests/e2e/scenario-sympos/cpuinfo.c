// SPDX-License-Identifier: GPL-2.0-or-later
/* cpuinfo.c - arch/x86/kernel/cpu/proc.c's c_start, under the same C name. */
#include <linux/seq_file.h>
#include "klp.h"

extern void *c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", "arch/x86/kernel/cpu/proc.c", "c_start");

void *cpuinfo_c_start_addr(void)
{
	return c_start;
}
