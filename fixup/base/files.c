/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files.c - regular files in, regular files out (files.h).
 */
#include "files.h"
#include "warn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *klp_file_kind(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "a regular file";
	case S_IFDIR:	return "a directory";
	case S_IFCHR:	return "a character device";
	case S_IFBLK:	return "a block device";
	case S_IFIFO:	return "a FIFO";
	case S_IFSOCK:	return "a socket";
	case S_IFLNK:	return "a symbolic link";
	default:	return "not a regular file";
	}
}

/*
 * Open path read-only without blocking on a FIFO (O_NONBLOCK: one without
 * a writer would block open() itself), quietly.  The descriptor, with
 * *mode its file type; -1 with errno set when open() or fstat() failed
 * (*mode 0), or when it is not a regular file (*mode its type).
 */
static int open_regular_quiet(const char *path, mode_t *mode, const char **failed)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*mode = 0;
	*failed = "open";
	if (fd < 0)
		return -1;
	*failed = "stat";
	if (fstat(fd, &st)) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*mode = st.st_mode;
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* Regular files never block; clear the flag for plain reads. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int klp_open_regular(const char *path)
{
	const char *failed;
	mode_t mode;
	int fd = open_regular_quiet(path, &mode, &failed);

	if (fd < 0 && mode)
		KLP_ERR(path, "is %s, not a regular file: klp-fixup reads ELF files "
			"(copy the data to a file first)", klp_file_kind(mode));
	else if (fd < 0)
		KLP_ERR(path, "cannot %s: %s", failed, strerror(errno));
	return fd;
}

FILE *klp_fopen_regular(const char *path, mode_t *kind)
{
	const char *failed;
	mode_t mode;
	int fd = open_regular_quiet(path, &mode, &failed);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");

	if (kind)
		*kind = mode;
	if (fd >= 0 && !f)
		close(fd);
	return f;
}

int klp_check_output(const char *out)
{
	struct stat st;

	if (lstat(out, &st)) {
		if (errno == ENOENT)
			return 0;
		KLP_ERR(out, "cannot stat the output: %s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	KLP_ERR(out, "the output exists and is %s: klp-fixup writes a new file and "
		"renames it to OUT, which would replace it; give -o the path of a "
		"regular file%s", klp_file_kind(st.st_mode),
		S_ISLNK(st.st_mode) ? " (the file the link names, to replace that)" : "");
	return -1;
}
