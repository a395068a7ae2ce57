/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * patchfile.h - the files a unified diff changes, as `patch -p1` names
 * them.
 */
#ifndef KLP_PATCHFILE_H
#define KLP_PATCHFILE_H

#include <stdbool.h>

struct klp_patch_file {
	char *path;		/* relative to the tree, one leading component dropped */
	bool created, deleted;
};

/* The files patch changes, in *files (klp_patch_files_free()); their
 * count, or -1 after printing why (unreadable, no file in it). */
long klp_patch_files(const char *patch, struct klp_patch_file **files);
void klp_patch_files_free(struct klp_patch_file *files, long n);

#endif /* KLP_PATCHFILE_H */
