/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz-input.c - the fuzz input as a file, and quiet output.
 */
#include "fuzz-input.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char workdir[4096];
static char path[4096 + 256];

/* The directory goes when the process exits (libFuzzer's -runs and
 * -max_total_time end with exit()), so that runs leave no klp-fuzz.*
 * behind; fuzz/run.sh also points TMPDIR at a directory it removes, for
 * the runs that end in a crash. */
static void remove_workdir(void)
{
	if (!workdir[0])
		return;
	fuzz_clean_workdir();
	rmdir(workdir);
}

const char *fuzz_workdir(void)
{
	const char *base;

	if (workdir[0])
		return workdir;
	base = getenv("TMPDIR");
	if (!base || !*base)
		base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	snprintf(workdir, sizeof(workdir), "%s/klp-fuzz.XXXXXX", base);
	if (!mkdtemp(workdir)) {
		perror("klp-fuzz: mkdtemp");
		abort();
	}
	atexit(remove_workdir);
	return workdir;
}

const char *fuzz_write_input(const char *name, const uint8_t *data, size_t size)
{
	int fd;

	snprintf(path, sizeof(path), "%s/%s", fuzz_workdir(), name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		perror("klp-fuzz: open");
		abort();
	}
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0) {
			perror("klp-fuzz: write");
			abort();
		}
		done += (size_t)n;
	}
	close(fd);
	return path;
}

void fuzz_quiet(void)
{
	FILE *null;

	if (getenv("KLP_FUZZ_VERBOSE"))
		return;
	null = fopen("/dev/null", "w");
	if (!null)
		return;
	stdout = null;
	stderr = null;
}

void fuzz_clean_workdir(void)
{
	DIR *d = opendir(fuzz_workdir());
	struct dirent *e;
	char file[4096 + 256];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(file, sizeof(file), "%s/%s", workdir, e->d_name);
		unlink(file);
	}
	closedir(d);
}
