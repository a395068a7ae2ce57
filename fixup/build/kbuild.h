/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kbuild.h - what a kernel build directory says about its units: the
 * command kbuild ran for each object and the files it depended on (the
 * .cmd files), the exported symbols (Module.symvers); and running a
 * command as make runs it.
 */
#ifndef KLP_KBUILD_H
#define KLP_KBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* kbuild's saved command for obj ("fs/proc/consoles.o") of the build in
 * kdir, make's escapes undone; NULL when there is none (printed unless
 * quiet).  Free it. */
char *klp_kbuild_saved_cmd(const char *kdir, const char *obj, bool quiet);

/* The objects whose dependency lists name file (an absolute path), in
 * *objs (free each and the array); the count, or -1 after printing why. */
long klp_kbuild_objects_using(const char *kdir, const char *file, char ***objs);

/*
 * The saved command rewritten for a compile of our own: the output to
 * out (and no .d file in the build), extra after the compile's own
 * options (so that it overrides them: ppc64's -mcmodel=large), with from (the source tree) replaced by
 * to in every argument when to is given; of the commands kbuild chains
 * after the compile only objtool stays, run on out.  NULL when out of
 * memory.
 */
char *klp_kbuild_compile_cmd(const char *cmd, const char *obj, const char *out,
			     const char *from, const char *to, const char *extra);

/* The compiler of a saved command (its first word); free it. */
char *klp_kbuild_compiler(const char *cmd);

/* Exported symbol names, from Module.symvers. */
struct klp_symvers {
	char **names;		/* sorted; each "name\0module" */
	size_t n;
};
int klp_symvers_read(struct klp_symvers *sv, const char *path);
bool klp_symvers_has(const struct klp_symvers *sv, const char *name);
/* Who exports name: vmlinux, or a module as kbuild names it (fs/xfs/xfs);
 * NULL when nothing does. */
const char *klp_symvers_module(const struct klp_symvers *sv, const char *name);
void klp_symvers_free(struct klp_symvers *sv);

/* Start /bin/sh -c cmd in dir with stdout and stderr to log; the pid, or
 * -1 after printing why. */
pid_t klp_spawn_shell(const char *dir, const char *cmd, const char *log);
/* Start argv (argv[0] a path) with stdout and stderr to log. */
pid_t klp_spawn(char *const argv[], const char *log);
/* Wait for pid: 0 when it exited with 0, else -1 (nothing printed). */
int klp_wait(pid_t pid);

#endif /* KLP_KBUILD_H */
