/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * builder.h - `klp-fixup build`: the state of one build and its steps
 * (docs/builder.md), each in a file of its own: units.c finds the units a
 * patch touches, compile.c compiles and compares them, module.c writes,
 * links and finishes the module, builder.c runs the steps in order.
 */
#ifndef KLP_BUILDER_H
#define KLP_BUILDER_H

#include "extract.h"
#include "kbuild.h"
#include "../resolve/sympos.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A list of names, each allocated. */
struct klp_name_list {
	char **names;
	size_t n;
};

int klp_name_list_add(struct klp_name_list *l, const char *name);
void klp_name_list_free(struct klp_name_list *l);

struct klp_build_unit {
	char *obj;		/* fs/proc/consoles.o, in the build directory */
	char *src;		/* fs/proc/consoles.c, in the source tree */
	char *cmd;		/* kbuild's saved command */
	char *tu_path;		/* the unit's path in its object's notes */
	size_t object;		/* the object that links it: objs[object] */
	size_t target_unit;	/* its unit there */
	struct klp_name_list new_globals;	/* globals the patch adds to this unit */
	/* the functions the patch changes and adds, by the checksums */
	struct klp_name_list changed, added;
	struct klp_extract_out ex;
};

/* An object the livepatch patches: vmlinux, or a module of the build
 * directory. */
struct klp_build_object {
	char *path;		/* KDIR/vmlinux, KDIR/fs/xfs/xfs.ko */
	char *kbuild_name;	/* Module.symvers' name for it: vmlinux, fs/xfs/xfs */
	struct klp_target t;	/* t.objname: vmlinux, xfs */
	struct klp_resolver rs;	/* of t */
	bool open;
};

struct klp_builder {
	const char *kdir_arg, *srctree_arg, *out, *work_arg;
	const char *const *patches;
	size_t npatches;
	bool verbose;
	char name[KLP_OBJNAME_MAX + 1];
	char *kdir, *srctree, *work, *newtree, *vmlinux;
	char *built_from;	/* the tree the kernel was built from: DIR/source, or DIR */
	struct klp_build_unit *units;
	size_t nunits, compiles;
	/* [0]: vmlinux; then the modules with units the patch touches */
	struct klp_build_object **objs;
	size_t nobjs;
	struct klp_symvers symvers;
	uint32_t bug_entsize;
	char self[PATH_MAX];
	char *kpatch_include;	/* -I for kpatch-macros.h and kpatch-syscall.h */
	/* the patched compile's options of its own, after kbuild's: ppc64's
	 * -mcmodel=large and ppc-calls=local; NULL on x86_64 */
	const char *patch_flags;
	struct timespec t0;
};

/* Print a step under --verbose. */
void klp_build_say(const struct klp_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "a/b", allocated; NULL when out of memory. */
char *klp_build_join(const char *a, const char *b);
bool klp_build_has_suffix(const char *s, const char *suffix);
/* Run argv with its output to log; 0, or -1 after naming what failed. */
int klp_build_run_tool(char *const argv[], const char *log, const char *what);
/* WORK/KIND-I.o, allocated. */
char *klp_build_unit_file(const struct klp_builder *b, size_t i, const char *kind);
/* The module's name from --name or the first patch's file name. */
void klp_build_module_name(struct klp_builder *b, const char *given);

/* objects.c */
int klp_build_open_vmlinux(struct klp_builder *b);
void klp_build_close_objects(struct klp_builder *b);
/* The unit whose source is src, compiled to obj: in vmlinux, else in the
 * module that links obj (opened then); its index, *object its object.
 * -1: none has it; -2: several units of the object have the path; -3:
 * after printing why. */
long klp_build_locate(struct klp_builder *b, const char *obj, const char *src, size_t *object);

/* units.c */
int klp_build_find_units(struct klp_builder *b);
/* compile.c */
int klp_build_patched_tree(struct klp_builder *b);
int klp_build_compile_unit(struct klp_builder *b, size_t i);
int klp_build_check_unit(struct klp_builder *b, size_t i);
int klp_build_extract_unit(struct klp_builder *b, size_t i);
/* module.c */
int klp_build_positions(struct klp_builder *b, unsigned long **pos);
int klp_build_write_main(struct klp_builder *b, const unsigned long *pos);
int klp_build_link_module(struct klp_builder *b);
int klp_build_publish(const struct klp_builder *b);
/* builder.c: every step; 0, or -1 after saying why (OUT not written) */
int klp_build_steps(struct klp_builder *b);
void klp_build_finish(struct klp_builder *b, int ret);

#endif /* KLP_BUILDER_H */
