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

int klp_open_regular(const char *path)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO without a writer would block open() itself. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0) {
		KLP_ERR(path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st)) {
		KLP_ERR(path, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		KLP_ERR(path, "is %s, not a regular file: klp-fixup reads ELF files "
			"(copy the data to a file first)", klp_file_kind(st.st_mode));
		close(fd);
		return -1;
	}
	/* Regular files never block; clear the flag for plain reads. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

FILE *klp_fopen_regular(const char *path, mode_t *kind)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	FILE *f;

	if (kind)
		*kind = 0;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st)) {
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		if (kind)
			*kind = st.st_mode;
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	f = fdopen(fd, "r");
	if (!f)
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
