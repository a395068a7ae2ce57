// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * filler.c - takes the module memory the target leaves when it is
 * unloaded, so that the target loads again at other addresses: 64 KiB of
 * code, data and read-only data, more than the target has of each.
 */
#include <linux/module.h>

__asm__(".pushsection .text\n\t.balign 16\n\t.skip 65536\n\t.popsection");
static char filler_data[65536] = { 1 };
static const char filler_rodata[65536] = { 1 };

static int __init filler_init(void)
{
	/* read, so that neither array is dropped */
	return filler_data[0] == filler_rodata[0] ? 0 : -EINVAL;
}
module_init(filler_init);

static void __exit filler_exit(void)
{
}
module_exit(filler_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("klp-toolchain e2e: module memory filler");
