// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * consoles.c - fs/proc/consoles.c's c_start, referred to by eight
 * relocations that share one symbol: every one must be converted; and
 * called, with that file's c_stop, both names other files have too.
 */
#include <linux/console.h>
#include <linux/seq_file.h>
#include "klp.h"

extern void *c_start(struct seq_file *m, loff_t *pos)
	KLP_LOCAL_SYM("vmlinux", "fs/proc/consoles.c", "c_start");
extern void c_stop(struct seq_file *m, void *v)
	KLP_LOCAL_SYM("vmlinux", "fs/proc/consoles.c", "c_stop");

typedef void *(*start_fn)(struct seq_file *m, loff_t *pos);

/* volatile: every element is read, so no compiler folds the relocations away */
static start_fn const volatile refs[] = {
	c_start, c_start, c_start, c_start, c_start, c_start, c_start,
};

void *consoles_c_start_addr(void)
{
	return c_start;
}

/* How many of the references the kernel resolved to the same address. */
unsigned long consoles_c_start_refs(void)
{
	unsigned long n = 1;	/* consoles_c_start_addr()'s own */

	for (int i = 0; i < ARRAY_SIZE(refs); i++)
		n += refs[i] == c_start;
	return n;
}

/*
 * The first registered console's name, as /proc/consoles walks them:
 * c_start takes the console list lock, c_stop releases it.  Another
 * file's c_start or c_stop would return something else or unlock a lock
 * nobody holds.
 */
const char *consoles_first_name(struct seq_file *m)
{
	loff_t pos = 0;
	struct console *con = c_start(m, &pos);
	const char *name = con ? con->name : "none";

	c_stop(m, con);
	return name;
}
