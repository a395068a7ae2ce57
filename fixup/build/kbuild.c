/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbuild.c - kbuild's records of a build directory (kbuild.h).
 *
 * Each object's .cmd file (dir/.name.o.cmd) holds the command that made
 * it, `savedcmd_dir/name.o := ...` (make's escapes: $$ for $, $(pound)
 * for #), and, after fixdep, `deps_dir/name.o := \` with one file per
 * line: the source and every header the compile read.
 */
#include "kbuild.h"
#include "../base/files.h"
#include "../base/warn.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The .cmd file of obj: dir/.name.o.cmd. */
static char *cmd_file(const char *kdir, const char *obj)
{
	const char *slash = strrchr(obj, '/');
	char *path;
	int n = slash ? asprintf(&path, "%s/%.*s/.%s.cmd", kdir, (int)(slash - obj), obj,
				 slash + 1) :
			asprintf(&path, "%s/.%s.cmd", kdir, obj);

	return n < 0 ? NULL : path;
}

/* A regular file's text (a FIFO among the .cmd files would block the
 * walk); NULL when there is none. */
static char *read_text(const char *path)
{
	FILE *f = klp_fopen_regular(path, NULL);
	char *text = NULL;
	size_t len = 0;
	FILE *m;

	if (!f)
		return NULL;
	m = open_memstream(&text, &len);
	if (m) {
		char buf[65536];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		fclose(m);
	}
	fclose(f);
	return text;
}

/* Undo make's escapes in place. */
static void unmake(char *s)
{
	char *w = s;

	for (const char *r = s; *r;) {
		if (r[0] == '$' && r[1] == '$') {
			*w++ = '$';
			r += 2;
		} else if (!strncmp(r, "$(pound)", 8)) {
			*w++ = '#';
			r += 8;
		} else {
			*w++ = *r++;
		}
	}
	*w = 0;
}

char *klp_kbuild_saved_cmd(const char *kdir, const char *obj, bool quiet)
{
	char *path = cmd_file(kdir, obj), *text = path ? read_text(path) : NULL;
	char *key = NULL, *found = NULL;

	if (text && asprintf(&key, "savedcmd_%s := ", obj) > 0) {
		char *at = strstr(text, key);

		/* kernels before 6.2 wrote cmd_ */
		if (!at) {
			free(key);
			key = NULL;
			if (asprintf(&key, "cmd_%s := ", obj) > 0)
				at = strstr(text, key);
		}
		if (at) {
			char *start = at + strlen(key), *end = strchr(start, '\n');

			found = strndup(start, end ? (size_t)(end - start) : strlen(start));
			if (found)
				unmake(found);
		}
	}
	if (!found && !quiet)
		KLP_ERR(path ? path : obj, "no command kbuild saved for %s: the build directory "
			"did not build it (is it in this kernel's config?)", obj);
	free(key);
	free(text);
	free(path);
	return found;
}

/* Does the deps list of .cmd text name file? */
static bool deps_name(const char *text, const char *file)
{
	const char *deps = strstr(text, "\ndeps_");
	size_t n = strlen(file);

	if (!deps)
		return false;
	for (const char *p = strstr(deps, file); p; p = strstr(p + 1, file)) {
		char before = p[-1], after = p[n];

		if ((before == ' ' || before == '\t' || before == '\n') &&
		    (after == ' ' || after == '\n' || after == '\\' || !after))
			return true;
	}
	return false;
}

static struct {
	const char *file;
	size_t kdir_len;
	char **objs;
	size_t n;
	int failed;
} walk;

static int visit(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	const char *base = path + ftw->base;
	size_t len = strlen(base);
	char *text, **grown;

	(void)st;
	if (flag != FTW_F || base[0] != '.' || len < 7 || strcmp(base + len - 6, ".o.cmd"))
		return 0;
	text = read_text(path);
	if (text && deps_name(text, walk.file)) {
		/* dir/.name.o.cmd -> dir/name.o, relative to kdir */
		const char *dir = path + walk.kdir_len + 1;
		size_t dlen = (size_t)(base - dir);
		char *obj = malloc(dlen + len);

		grown = obj ? realloc(walk.objs, (walk.n + 1) * sizeof(*grown)) : NULL;
		if (!grown) {
			free(obj);
			free(text);
			walk.failed = 1;
			return 1;
		}
		memcpy(obj, dir, dlen);
		memcpy(obj + dlen, base + 1, len - 5);
		obj[dlen + len - 5] = 0;
		walk.objs = grown;
		walk.objs[walk.n++] = obj;
	}
	free(text);
	return 0;
}

long klp_kbuild_objects_using(const char *kdir, const char *file, char ***objs)
{
	walk.file = file;
	walk.kdir_len = strlen(kdir);
	walk.objs = NULL;
	walk.n = 0;
	walk.failed = 0;
	if (nftw(kdir, visit, 32, FTW_PHYS) || walk.failed) {
		KLP_ERR(kdir, "cannot read its .cmd files: %s",
			walk.failed ? "out of memory" : strerror(errno));
		for (size_t i = 0; i < walk.n; i++)
			free(walk.objs[i]);
		free(walk.objs);
		return -1;
	}
	*objs = walk.objs;
	return (long)walk.n;
}

/* Append text to a memstream-built string. */
static void put_replaced(FILE *m, const char *tok, size_t n, const char *from, const char *to)
{
	size_t flen = from ? strlen(from) : 0;

	for (size_t i = 0; i < n;) {
		if (to && flen && i + flen <= n && !memcmp(tok + i, from, flen) &&
		    (i + flen == n || tok[i + flen] == '/' || tok[i + flen] == '=')) {
			fputs(to, m);
			i += flen;
		} else {
			fputc(tok[i++], m);
		}
	}
}

char *klp_kbuild_compile_cmd(const char *cmd, const char *obj, const char *out,
			     const char *from, const char *to, const char *extra)
{
	char *text = NULL;
	size_t len = 0, objlen = strlen(obj);
	FILE *m = open_memstream(&text, &len);
	int segment = 0, word = 0;
	bool keep = true;

	if (!m)
		return NULL;
	for (const char *p = cmd; *p;) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " \t");
		if (n == 1 && *p == ';') {
			segment++;
			word = 0;
			p++;
			continue;
		}
		if (word == 0 && segment == 1 && extra)
			fprintf(m, " %s", extra);
		if (word == 0 && segment > 0) {
			/* a chained command: objtool stays, the rest was kbuild's own
			 * bookkeeping (the single-object module link, symversions) */
			keep = n >= 7 && !memcmp(p + n - 7, "objtool", 7);
			if (keep)
				fputs(" ;", m);
		}
		if (keep) {
			fputc(' ', m);
			if (n == objlen && !memcmp(p, obj, n))
				fputs(out, m);
			else if (n > 9 && !memcmp(p, "-Wp,-MMD,", 9))
				fprintf(m, "-Wp,-MMD,%s.d", out);
			else
				put_replaced(m, p, n, from, to);
		}
		word++;
		p += n;
	}
	if (segment == 0 && extra)
		fprintf(m, " %s", extra);
	fclose(m);
	return text;
}

char *klp_kbuild_compiler(const char *cmd)
{
	cmd += strspn(cmd, " \t");
	return strndup(cmd, strcspn(cmd, " \t"));
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int klp_symvers_read(struct klp_symvers *sv, const char *path)
{
	mode_t kind;
	FILE *f = klp_fopen_regular(path, &kind);
	char *line = NULL;
	size_t cap = 0, alloc = 0;

	memset(sv, 0, sizeof(*sv));
	if (!f && kind) {
		KLP_ERR(path, "is %s, not a regular file: give the kernel build directory's "
			"own Module.symvers", klp_file_kind(kind));
		return -1;
	}
	if (!f) {
		KLP_ERR(path, "cannot read: %s; the kernel build directory must have it "
			"(make modules_prepare or a full build writes it)", strerror(errno));
		return -1;
	}
	/* crc <tab> name <tab> module <tab> export type <tab> namespace */
	while (getline(&line, &cap, f) > 0) {
		char *name = strchr(line, '\t'), *end, *mod = NULL;
		size_t nlen, mlen = 0;

		if (!name)
			continue;
		name++;
		end = strchr(name, '\t');
		if (end) {
			*end = 0;
			mod = end + 1;
			mlen = strcspn(mod, "\t\n");
		}
		nlen = strlen(name);
		if (sv->n == alloc) {
			char **grown = realloc(sv->names, (alloc ? 2 * alloc : 4096) * sizeof(*grown));

			if (!grown)
				goto oom;
			sv->names = grown;
			alloc = alloc ? 2 * alloc : 4096;
		}
		/* "name\0module\0": sorted by name, the module beside it */
		sv->names[sv->n] = malloc(nlen + mlen + 2);
		if (!sv->names[sv->n])
			goto oom;
		memcpy(sv->names[sv->n], name, nlen + 1);
		memcpy(sv->names[sv->n] + nlen + 1, mod ? mod : "", mlen);
		sv->names[sv->n++][nlen + 1 + mlen] = 0;
	}
	free(line);
	fclose(f);
	if (sv->n)
		qsort(sv->names, sv->n, sizeof(*sv->names), by_string);
	return 0;
oom:
	KLP_ERR(path, "out of memory");
	free(line);
	fclose(f);
	klp_symvers_free(sv);
	return -1;
}

const char *klp_symvers_module(const struct klp_symvers *sv, const char *name)
{
	char **at = sv->n ? bsearch(&name, sv->names, sv->n, sizeof(*sv->names), by_string) : NULL;

	return at ? *at + strlen(*at) + 1 : NULL;
}

bool klp_symvers_has(const struct klp_symvers *sv, const char *name)
{
	return klp_symvers_module(sv, name) != NULL;
}

void klp_symvers_free(struct klp_symvers *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->names[i]);
	free(sv->names);
	memset(sv, 0, sizeof(*sv));
}

static pid_t start(const char *dir, const char *log, char *const argv[])
{
	pid_t pid = fork();

	if (pid < 0) {
		KLP_ERR(argv[0], "cannot start: %s", strerror(errno));
		return -1;
	}
	if (!pid) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

		if (fd < 0 || (dir && chdir(dir)) || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

pid_t klp_spawn_shell(const char *dir, const char *cmd, const char *log)
{
	char *argv[] = { "/bin/sh", "-c", (char *)cmd, NULL };

	return start(dir, log, argv);
}

pid_t klp_spawn(char *const argv[], const char *log)
{
	return start(NULL, log, argv);
}

int klp_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -1;
}
