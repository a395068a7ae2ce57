// SPDX-License-Identifier: GPL-2.0-or-later
/* limits.c - a static `level` and `describe`, as in the module's other files. */
#include <linux/compiler.h>

/*
 * Set at load time from an argument, so the compiler can neither fold it
 * into describe() nor, as LLVM's globalopt does with a static that only
 * ever receives one constant, shrink it to a one-byte flag.
 */
static int level;

static noinline int describe(void)
{
	return 200 + level;
}

int limits_value(void)
{
	return describe();
}

void limits_reset(int value)
{
	level = value;
}
