/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-build.h - what a source patch tells `klp-fixup build` beyond its
 * code: callbacks for the livepatch's objects and functions to leave
 * alone.  Each macro leaves a record in a section of its own that the
 * builder reads from the patched compile (docs/builder.md); no record
 * reaches the running kernel.
 *
 *	static int setup(struct klp_object *obj) { ... return 0; }
 *	KLP_BUILD_PRE_PATCH(setup);
 *
 * A callback belongs to the object (vmlinux or the module) of the unit
 * that declares it; several units' callbacks of one kind for the same
 * object run in the order of the patches' units.
 */
#ifndef KLP_BUILD_H
#define KLP_BUILD_H

#include <linux/compiler.h>
#include <linux/livepatch.h>

#include "klp-build-records.h"

/* A record (KLP_BUILD_RECORD_SIZE bytes on 64-bit kernels): the kind,
 * then the function's address, which the builder reads from the
 * relocation. */
struct klp_build_record {
	unsigned long kind;
	const void *what;
};

#define __KLP_BUILD_RECORD(section, kind, what, tag)				\
	static const struct klp_build_record __klp_build_##tag##_##what		\
	__used __section(section) __aligned(8) = { kind, (const void *)(what) }

#define KLP_BUILD_PRE_PATCH(fn)							\
	static inline int __klp_build_check_##fn(struct klp_object *o)		\
	{ return fn(o); }							\
	__KLP_BUILD_RECORD(KLP_BUILD_CALLBACKS_SECTION, KLP_BUILD_CB_PRE_PATCH, fn, pre)
#define KLP_BUILD_POST_PATCH(fn)						\
	static inline void __klp_build_check_##fn(struct klp_object *o)		\
	{ fn(o); }								\
	__KLP_BUILD_RECORD(KLP_BUILD_CALLBACKS_SECTION, KLP_BUILD_CB_POST_PATCH, fn, post)
#define KLP_BUILD_PRE_UNPATCH(fn)						\
	static inline void __klp_build_check_##fn(struct klp_object *o)		\
	{ fn(o); }								\
	__KLP_BUILD_RECORD(KLP_BUILD_CALLBACKS_SECTION, KLP_BUILD_CB_PRE_UNPATCH, fn, preun)
#define KLP_BUILD_POST_UNPATCH(fn)						\
	static inline void __klp_build_check_##fn(struct klp_object *o)		\
	{ fn(o); }								\
	__KLP_BUILD_RECORD(KLP_BUILD_CALLBACKS_SECTION, KLP_BUILD_CB_POST_UNPATCH, fn, postun)

/* Leave fn as the running kernel has it, though the patch changes its
 * code (a debugging aid, or a change only the new callers need). */
#define KLP_BUILD_IGNORE_FUNCTION(fn)						\
	__KLP_BUILD_RECORD(KLP_BUILD_IGNORE_SECTION, 0, fn, ignore)

#endif /* KLP_BUILD_H */
