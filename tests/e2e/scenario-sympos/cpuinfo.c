// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpuinfo.c - /proc/cpuinfo's c_start and c_stop (x86_64:
 * arch/x86/kernel/cpu/proc.c, ppc64le: arch/powerpc/kernel/setup-common.c,
 * s390x: arch/s390/kernel/processor.c), under the same C names as
 * consoles.c's.
 */
#include <linux/seq_file.h>
#include <asm/processor.h>
#include "klp.h"

#if defined(CONFIG_X86)
#define CPUINFO_C "arch/x86/kernel/cpu/proc.c"
#elif defined(CONFIG_S390)
#define CPUINFO_C "arch/s390/kernel/processor.c"
#else
#define CPUINFO_C "arch/powerpc/kernel/setup-common.c"
#endif

extern void *c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", CPUINFO_C, "c_start");
extern void c_stop(struct seq_file *m, void *v)
	KLP_LOCAL_SYM("vmlinux", CPUINFO_C, "c_stop");

void *cpuinfo_c_start_addr(void)
{
	return c_start;
}

/* The first CPU's index, as /proc/cpuinfo walks the CPUs (its c_start and c_stop). */
int cpuinfo_first_cpu(struct seq_file *m)
{
	loff_t pos = 0;
	void *v = c_start(m, &pos);
	int index = -1;

	if (v)
#ifdef CONFIG_X86
		index = ((struct cpuinfo_x86 *)v)->cpu_index;
#else
		index = (int)((unsigned long)v - 1);	/* it returns CPU + 1 */
#endif
	c_stop(m, v);
	return index;
}
