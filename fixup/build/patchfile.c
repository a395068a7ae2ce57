/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * patchfile.c - the "--- a/PATH" and "+++ b/PATH" lines of a unified
 * diff (git's or diff -u's), the leading component dropped as -p1 does.
 */
#include "patchfile.h"
#include "../base/files.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* PATH of "--- a/PATH\tdate": the part after the first '/', up to a tab. */
static char *header_path(const char *line)
{
	const char *p = line + 4, *slash;
	size_t n;

	if (!strncmp(p, "/dev/null", 9))
		return NULL;
	n = strcspn(p, "\t\n");
	slash = memchr(p, '/', n);
	if (!slash)
		return strndup(p, n);
	return strndup(slash + 1, n - (size_t)(slash + 1 - p));
}

long klp_patch_files(const char *patch, struct klp_patch_file **files)
{
	/* a regular file only: a FIFO would block, /dev/zero never end */
	int fd = klp_open_regular(patch);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");
	char *line = NULL, *old = NULL;
	size_t cap = 0;
	long n = 0;
	bool had_old = false;

	*files = NULL;
	if (!f) {
		if (fd >= 0) {
			KLP_ERR(patch, "cannot read: %s", strerror(errno));
			close(fd);
		}
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		struct klp_patch_file *grown;
		char *now;

		if (!strncmp(line, "--- ", 4)) {
			free(old);
			old = header_path(line);
			had_old = true;
			continue;
		}
		if (strncmp(line, "+++ ", 4) || !had_old)
			continue;
		had_old = false;
		now = header_path(line);
		grown = realloc(*files, (size_t)(n + 1) * sizeof(*grown));
		if (grown)
			*files = grown;	/* the old block is gone: fail frees this one */
		if (!grown || (!now && !old)) {
			free(now);
			KLP_ERR(patch, "%s", grown ? "a file header names /dev/null twice" :
				"out of memory");
			goto fail;
		}
		grown[n].created = !old;
		grown[n].deleted = !now;
		grown[n].path = now ? now : old;
		if (now)
			free(old);
		old = NULL;
		n++;
	}
	free(old);	/* a "--- " line that no "+++ " line followed */
	free(line);
	fclose(f);
	if (!n) {
		KLP_ERR(patch, "no file in it: give a unified diff (git diff, diff -u)");
		klp_patch_files_free(*files, n);
		return -1;
	}
	return n;
fail:
	free(old);
	free(line);
	fclose(f);
	klp_patch_files_free(*files, n);
	return -1;
}

void klp_patch_files_free(struct klp_patch_file *files, long n)
{
	for (long i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}
