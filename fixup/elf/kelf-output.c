/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-output.c - atomic output: a copy of the input (or a new file) next
 * to the output, written, then renamed over it; a failed or interrupted
 * run leaves nothing, and an output that is not a regular file is
 * refused (files.h).
 */
#include "kelf.h"
#include "kelf-internal.h"
#include "../base/files.h"
#include "../base/warn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Copy all of in_fd to out_fd. */
static int copy_bytes(const char *in, int in_fd, int out_fd)
{
	char buf[1 << 16];
	ssize_t n;

	while ((n = read(in_fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			KLP_ERR(in, "cannot read: %s", strerror(errno));
			return -1;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out_fd, buf + done, (size_t)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				KLP_ERR(in, "cannot write a copy: %s", strerror(errno));
				return -1;
			}
			done += w;
		}
	}
	return 0;
}

/*
 * The named temporary copy (the fallback without O_TMPFILE, and the
 * moment between linkat() and rename() at commit) is removed when any
 * signal that can be caught and whose default is to end the process ends
 * the run while its disposition is still that default (SIGKILL cannot be
 * caught; crashes are not cleaned up after).
 * The handler only unlinks and raises the signal again with its default
 * action, so the exit status still tells the signal.  One copy is edited
 * at a time.
 */
static const int cleanup_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
};
#define NCLEANUP (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))
static struct sigaction cleanup_saved[NCLEANUP];
static bool cleanup_set[NCLEANUP];
static const char *volatile cleanup_path;

static void cleanup_on_signal(int sig)
{
	const char *path = cleanup_path;

	if (path)
		unlink(path);
	raise(sig);	/* SA_RESETHAND: the default action, once we return */
}

static void cleanup_install(void)
{
	struct sigaction sa = { .sa_handler = cleanup_on_signal, .sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCLEANUP; i++) {
		/*
		 * Only a signal that would end the process is taken: one the
		 * caller ignores (nohup) stays ignored, and one the host
		 * program handles itself (libFuzzer's SIGALRM timer) keeps its
		 * handler, since it does not end the run.
		 */
		if (sigaction(cleanup_signals[i], NULL, &cleanup_saved[i]) ||
		    (cleanup_saved[i].sa_flags & SA_SIGINFO) ||
		    cleanup_saved[i].sa_handler != SIG_DFL)
			continue;
		cleanup_set[i] = !sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void cleanup_remove(void)
{
	cleanup_path = NULL;
	for (size_t i = 0; i < NCLEANUP; i++) {
		if (cleanup_set[i])
			sigaction(cleanup_signals[i], &cleanup_saved[i], NULL);
		cleanup_set[i] = false;
	}
}

/* Block the cleanup signals while a name is created and registered, so
 * that no signal falls between the two. */
static void cleanup_block(bool block, sigset_t *old)
{
	sigset_t set;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (size_t i = 0; i < NCLEANUP; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* dir/.klp-fixup.XXXXXX for out in dir (dir empty: the current one). */
static char *temp_name(const char *out)
{
	const char *slash = strrchr(out, '/');
	size_t dirlen = slash ? (size_t)(slash - out) + 1 : 0;
	char *name = malloc(dirlen + sizeof(".klp-fixup.XXXXXX"));

	if (name) {
		memcpy(name, out, dirlen);
		strcpy(name + dirlen, ".klp-fixup.XXXXXX");
	}
	return name;
}

/*
 * The copy as an unnamed file in the directory of out: nothing to remove
 * whatever ends the run, and kelf_commit() gives it a name only when it is
 * complete.  linkat() of an O_TMPFILE goes through /proc/self/fd (the
 * AT_EMPTY_PATH form needs CAP_DAC_READ_SEARCH).  -1 with errno when the
 * file system or kernel has no O_TMPFILE: the caller falls back.
 */
static int open_unnamed(const char *out)
{
	const char *slash = strrchr(out, '/');
	char *dir;
	int fd;

	/* KLP_FIXUP_NO_TMPFILE takes the fallback on any file system, so
	 * that tests reach it (tests/lit/hardening/interrupt-temp.test). */
	if (getenv("KLP_FIXUP_NO_TMPFILE") || access("/proc/self/fd", X_OK)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	dir = slash ? strndup(out, (size_t)(slash - out) + 1) : strdup(".");
	if (!dir)
		return -1;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(dir);
	return fd;
}

/*
 * The temporary output next to out, for a copy of in (its mode), opened
 * read-write in k->fd; in's descriptor in *in_fd.  0, or -1 after
 * printing why (k closed, nothing left behind).
 */
static int open_output(struct kelf *k, const char *in, const char *out, int *in_fd)
{
	struct stat st;
	sigset_t old;

	memset(k, 0, sizeof(*k));
	k->path = in;
	k->fd = -1;
	k->out_path = out;
	k->editing = true;
	elf_version(EV_CURRENT);
	if (klp_check_output(out))
		return -1;
	*in_fd = klp_open_regular(in);
	if (*in_fd < 0)
		return -1;
	cleanup_install();
	/* The copy lives next to out so that the final rename is atomic. */
	k->fd = open_unnamed(out);
	/* Old kernels fail O_TMPFILE with EISDIR, file systems without it
	 * with EOPNOTSUPP: a named copy then, removed on the signals above. */
	if (k->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		k->tmp_path = temp_name(out);
		if (!k->tmp_path) {
			KLP_ERR(in, "out of memory");
			goto fail;
		}
		cleanup_block(true, &old);
		k->fd = mkostemp(k->tmp_path, O_CLOEXEC);
		if (k->fd >= 0)
			cleanup_path = k->tmp_path;
		cleanup_block(false, &old);
	}
	if (k->fd < 0) {
		KLP_ERR(out, "cannot create a temporary file in its directory: %s",
			strerror(errno));
		free(k->tmp_path);
		k->tmp_path = NULL;
		goto fail;
	}
	if (fstat(*in_fd, &st) || fchmod(k->fd, st.st_mode & 0777)) {
		KLP_ERR(out, "cannot give the temporary file %s's mode: %s", in,
			strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(*in_fd);
	*in_fd = -1;
	kelf_close(k);
	return -1;
}

int kelf_open_copy(struct kelf *k, const char *in, const char *out)
{
	int in_fd;

	if (open_output(k, in, out, &in_fd))
		return -1;
	if (copy_bytes(in, in_fd, k->fd) || lseek(k->fd, 0, SEEK_SET) < 0) {
		KLP_ERR(in, "cannot copy to a temporary file next to %s: %s", out,
			strerror(errno));
		close(in_fd);
		kelf_close(k);
		return -1;
	}
	close(in_fd);
	/* ELF_C_RDWR reads the whole copy into memory and writes it back. */
	if (kelf_begin(k, ELF_C_RDWR)) {
		kelf_close(k);
		return -1;
	}
	return 0;
}

int kelf_open_output(struct kelf *k, const char *in, const char *out)
{
	int in_fd;

	if (open_output(k, in, out, &in_fd))
		return -1;
	close(in_fd);
	return 0;
}

int kelf_copy_file(const char *in, const char *out)
{
	struct kelf k;
	int in_fd, ret;

	if (open_output(&k, in, out, &in_fd))
		return -1;
	ret = copy_bytes(in, in_fd, k.fd) || kelf_publish(&k) ? -1 : 0;
	close(in_fd);
	kelf_close(&k);
	return ret;
}

/*
 * Give the finished unnamed copy a name next to out, for the rename.  The
 * name is registered for the signal handler in the same step, so an
 * interrupt between here and the rename removes it.
 */
static int link_unnamed(struct kelf *k)
{
	char proc[64];
	char *name = temp_name(k->out_path);
	size_t len = name ? strlen(name) : 0;
	uint64_t seed = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^ (uintptr_t)name;
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	sigset_t old;

	if (!name) {
		KLP_ERR(k->out_path, "out of memory");
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", k->fd);
	for (int tries = 0; tries < 100; tries++) {
		int ret;

		for (size_t i = len - 6; i < len; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			name[i] = digits[(seed >> 33) % 36];
		}
		cleanup_block(true, &old);
		ret = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
		if (!ret) {
			k->tmp_path = name;
			cleanup_path = name;
		}
		cleanup_block(false, &old);
		if (!ret)
			return 0;
		if (errno != EEXIST)
			break;
	}
	KLP_ERR(k->out_path, "cannot give the converted copy a name next to it (%s): %s",
		name, strerror(errno));
	free(name);
	return -1;
}

int kelf_publish(struct kelf *k)
{
	if (!k->editing) {
		KLP_ERR(k->path, "internal error: publish without an output");
		return -1;
	}
	if (fsync(k->fd)) {
		KLP_ERR(k->out_path, "cannot write the converted copy: %s", strerror(errno));
		return -1;
	}
	/* Again: something may have taken the name since the output opened. */
	if (klp_check_output(k->out_path) || (!k->tmp_path && link_unnamed(k)))
		return -1;
	if (rename(k->tmp_path, k->out_path)) {
		KLP_ERR(k->out_path, "cannot rename %s to it: %s", k->tmp_path, strerror(errno));
		return -1;
	}
	cleanup_path = NULL;
	free(k->tmp_path);
	k->tmp_path = NULL;	/* kelf_close() must not unlink the result */
	k->editing = false;
	cleanup_remove();
	return 0;
}

int kelf_commit(struct kelf *k)
{
	if (!k->editing || !k->elf) {
		KLP_ERR(k->path, "internal error: commit without kelf_open_copy()");
		return -1;
	}
	if (elf_update(k->elf, ELF_C_WRITE) < 0) {
		KLP_ERR_ELF(k->out_path, "cannot write the converted file");
		return -1;
	}
	return kelf_publish(k);
}

/* An output that was not published leaves nothing (kelf_close()). */
void kelf_output_discard(struct kelf *k)
{
	if (k->tmp_path) {
		unlink(k->tmp_path);
		cleanup_path = NULL;	/* before the free: the handler reads it */
		free(k->tmp_path);
		k->tmp_path = NULL;
	}
	if (k->editing)
		cleanup_remove();
	k->editing = false;
}
