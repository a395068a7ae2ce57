// SPDX-License-Identifier: GPL-2.0-or-later
/* limits.c - a static `level` and `describe`, as in the module's other files. */
#include <linux/compiler.h>

/* Written at load time, so the compiler cannot fold it into describe(). */
static int level;

static noinline int describe(void)
{
	return 200 + level;
}

int limits_value(void)
{
	return describe();
}

void limits_reset(void)
{
	level = 2;
}
