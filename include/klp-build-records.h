/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-build-records.h - the records include/klp-build.h leaves in a
 * patched compile, as `klp-fixup build` reads them: one place for the
 * section names, the record layout and the callback kinds, shared by the
 * kernel-side header and the builder.
 */
#ifndef KLP_BUILD_RECORDS_H
#define KLP_BUILD_RECORDS_H

#define KLP_BUILD_CALLBACKS_SECTION	".klp.build.callbacks"
#define KLP_BUILD_IGNORE_SECTION	".klp.build.ignore"

/* A record: 8 bytes of kind, then the 8-byte address of the function. */
#define KLP_BUILD_RECORD_SIZE		16
#define KLP_BUILD_RECORD_WHAT		8

enum klp_build_callback_kind {
	KLP_BUILD_CB_PRE_PATCH = 1,
	KLP_BUILD_CB_POST_PATCH = 2,
	KLP_BUILD_CB_PRE_UNPATCH = 3,
	KLP_BUILD_CB_POST_UNPATCH = 4,
};

#endif /* KLP_BUILD_RECORDS_H */
