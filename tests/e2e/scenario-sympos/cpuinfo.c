// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpuinfo.c - arch/x86/kernel/cpu/proc.c's c_start and c_stop, under the
 * same C names as consoles.c's.
 */
#include <linux/seq_file.h>
#include <asm/processor.h>
#include "klp.h"

extern void *c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", "arch/x86/kernel/cpu/proc.c", "c_start");
extern void c_stop(struct seq_file *m, void *v)
	KLP_LOCAL_SYM("vmlinux", "arch/x86/kernel/cpu/proc.c", "c_stop");

void *cpuinfo_c_start_addr(void)
{
	return c_start;
}

/* CPU 0's index, as /proc/cpuinfo walks the CPUs (its c_start and c_stop). */
int cpuinfo_first_cpu(struct seq_file *m)
{
	loff_t pos = 0;
	struct cpuinfo_x86 *c = c_start(m, &pos);
	int index = c ? c->cpu_index : -1;

	c_stop(m, c);
	return index;
}
