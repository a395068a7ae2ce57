/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kpatch-macros.h - the macro names patches written for kpatch-build use,
 * for `klp-fixup build`, which puts this directory on the include path of
 * the patched compile.  Each maps to klp-build.h.
 */
#ifndef KLP_KPATCH_MACROS_H
#define KLP_KPATCH_MACROS_H

#include <linux/printk.h>
#include "../klp-build.h"

/* kpatch's name for the object a callback gets */
typedef struct klp_object patch_object;

#define KPATCH_PRE_PATCH_CALLBACK(fn)		KLP_BUILD_PRE_PATCH(fn)
#define KPATCH_POST_PATCH_CALLBACK(fn)		KLP_BUILD_POST_PATCH(fn)
#define KPATCH_PRE_UNPATCH_CALLBACK(fn)		KLP_BUILD_PRE_UNPATCH(fn)
#define KPATCH_POST_UNPATCH_CALLBACK(fn)	KLP_BUILD_POST_UNPATCH(fn)
#define KPATCH_IGNORE_FUNCTION(fn)		KLP_BUILD_IGNORE_FUNCTION(fn)

/*
 * The kernel's livepatch consistency model has no unsafe mode to force:
 * a patch that uses this is refused by the builder with that reason.
 */
#define KPATCH_FORCE_UNSAFE(fn)							\
	static const char __klp_build_force_unsafe_##fn[]			\
	__used __section(".klp.build.force_unsafe") = #fn

#define KPATCH_PRINTK(fmt, ...)	printk(fmt, ##__VA_ARGS__)

#endif /* KLP_KPATCH_MACROS_H */
