/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * build.c - `klp-fixup build`: a livepatch module from source patches,
 * compiling only the units they touch (docs/builder.md).
 *
 *   klp-fixup build --kdir DIR [--srctree DIR] [--name NAME] [--work DIR]
 *                   [--verbose] -o OUT.ko PATCH...
 *
 * 1. the units: each changed .c file, and every unit whose kbuild
 *    dependency list names a changed header; assembly is refused;
 * 2. each unit compiled twice, from the tree and from a patched copy of it
 *    (hard links: cp -al, then patch -p1), with kbuild's saved command,
 *    the plugin it names, and -ffunction-sections -fdata-sections;
 * 3. the unpatched compile's checksums must all equal the running
 *    kernel's notes: otherwise this is not the source, config or
 *    compiler that kernel was built from;
 * 4. the patched compile's changed and new functions, by checksum;
 * 5. the livepatch object of each unit (build/extract.c);
 * 6. a registration (klp_patch, atomic replace, old_sympos from the
 *    notes) linked with them by kbuild as an external module, then
 *    `convert` and `verify`; OUT appears only when all of it succeeded.
 */
#include "build.h"
#include "../base/warn.h"
#include "../build/extract.h"
#include "../build/kbuild.h"
#include "../build/patchfile.h"
#include "../elf/kelf-write.h"
#include "../notes/pairing.h"
#include "../resolve/sympos.h"
#include "../../include/klp-build-records.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct unit {
	char *obj;		/* fs/proc/consoles.o, in the build directory */
	char *src;		/* fs/proc/consoles.c, in the source tree */
	char *cmd;		/* kbuild's saved command */
	char *tu_path;		/* the unit's path in vmlinux's notes */
	size_t target_unit;
	char **new_globals;	/* globals the patch adds to this unit */
	size_t nnew_globals;
	struct klp_extract_out ex;
};

struct build {
	const char *kdir_arg, *srctree_arg, *out, *work_arg;
	const char *const *patches;
	size_t npatches;
	bool verbose;
	char name[KLP_OBJNAME_MAX + 1];
	char *kdir, *srctree, *work, *newtree, *vmlinux;
	char *built_from;	/* the tree the kernel was built from: DIR/source, or DIR */
	struct unit *units;
	size_t nunits, compiles;
	struct klp_target vm;
	bool vm_open;
	struct klp_symvers symvers;
	uint32_t bug_entsize;
	char self[PATH_MAX];
	char *kpatch_include;	/* -I for kpatch-macros.h and kpatch-syscall.h */
	struct timespec t0;
};

static void __attribute__((format(printf, 2, 3))) say(const struct build *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->verbose)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "klp-fixup build: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static char *join(const char *a, const char *b)
{
	char *s;

	return asprintf(&s, "%s/%s", a, b) < 0 ? NULL : s;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The livepatch's module name: --name, or livepatch_ and the first patch's
 * file name, as a C identifier (the kernel's module names). */
static void module_name(struct build *b, const char *given)
{
	const char *base = strrchr(b->patches[0], '/');
	size_t n = 0;
	char raw[KLP_OBJNAME_MAX + 1];

	base = base ? base + 1 : b->patches[0];
	if (given)
		snprintf(raw, sizeof(raw), "%s", given);
	else
		snprintf(raw, sizeof(raw), "livepatch_%.*s", (int)strcspn(base, "."), base);
	for (const char *p = raw; *p && n < KLP_OBJNAME_MAX; p++)
		b->name[n++] = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9') ? *p : '_';
	b->name[n] = 0;
}

static int add_unit(struct build *b, const char *obj, char *cmd)
{
	struct unit *u;
	size_t len = strlen(obj);

	for (size_t i = 0; i < b->nunits; i++)
		if (!strcmp(b->units[i].obj, obj)) {
			free(cmd);
			return 0;
		}
	u = realloc(b->units, (b->nunits + 1) * sizeof(*u));
	if (!u)
		return -1;
	b->units = u;
	u = &u[b->nunits];
	memset(u, 0, sizeof(*u));
	u->obj = strdup(obj);
	u->src = strdup(obj);
	u->cmd = cmd;
	if (!u->obj || !u->src)
		return -1;
	u->src[len - 1] = 'c';
	b->nunits++;
	return 0;
}

/* The vmlinux unit of source path src (in the tree), or -1 (not in
 * vmlinux), -2 (several).  kbuild compiles with the tree's absolute path
 * (O= builds) or the relative one: either is exact. */
static long vmlinux_unit(const struct build *b, const char *src)
{
	long found = -1;
	size_t n = strlen(b->built_from);

	for (size_t i = 0; i < b->vm.notes.nunits; i++) {
		const char *path = b->vm.notes.units[i].path;

		if (!strcmp(path, src) || (!strncmp(path, b->built_from, n) && path[n] == '/' &&
					   !strcmp(path + n + 1, src)))
			return (long)i;
	}
	/* a tree moved since: the one unit whose path ends in /src */
	for (size_t i = 0; i < b->vm.notes.nunits; i++)
		if (klp_path_match(b->vm.notes.units[i].path, src)) {
			if (found >= 0)
				return -2;
			found = (long)i;
		}
	return found;
}

/* A changed header: every unit that read it and vmlinux has. */
static int add_header_users(struct build *b, const char *path)
{
	char *abs = join(b->srctree, path), **objs = NULL;
	long n = abs ? klp_kbuild_objects_using(b->kdir, abs, &objs) : -1;
	int ret = n < 0 ? -1 : 0;

	for (long i = 0; i < n; i++) {
		char *cmd = ret ? NULL : klp_kbuild_saved_cmd(b->kdir, objs[i], true);
		char src[PATH_MAX];

		snprintf(src, sizeof(src), "%.*s.c", (int)strlen(objs[i]) - 2, objs[i]);
		if (cmd && vmlinux_unit(b, src) >= 0 && strstr(cmd, src)) {
			if (add_unit(b, objs[i], cmd))
				ret = -1;
		} else {
			say(b, "%s: not a C unit of vmlinux, left out", objs[i]);
			free(cmd);
		}
		free(objs[i]);
	}
	if (n == 0)
		say(b, "%s: no unit of this build reads it", path);
	free(objs);
	free(abs);
	return ret;
}

static int add_file(struct build *b, const char *patch, const struct klp_patch_file *f)
{
	char obj[PATH_MAX];
	char *cmd;

	if (f->created || f->deleted) {
		KLP_ERR(patch, "%s: the patch %s the file; klp-fixup build patches existing C files "
			"and headers: put new code in an existing unit", f->path,
			f->created ? "creates" : "deletes");
		return -1;
	}
	if (has_suffix(f->path, ".S") || has_suffix(f->path, ".s")) {
		KLP_ERR(patch, "%s: the patch changes assembly, which has no notes and no "
			"checksums: klp-fixup build livepatches C code only; change the C callers "
			"instead", f->path);
		return -1;
	}
	if (has_suffix(f->path, ".h"))
		return add_header_users(b, f->path);
	if (!has_suffix(f->path, ".c")) {
		KLP_ERR(patch, "%s: the patch changes a file that is neither C nor a header "
			"(Makefile, Kconfig, ...): a livepatch cannot change the build; drop it from "
			"the patch", f->path);
		return -1;
	}
	snprintf(obj, sizeof(obj), "%.*s.o", (int)strlen(f->path) - 2, f->path);
	cmd = klp_kbuild_saved_cmd(b->kdir, obj, false);
	if (!cmd)
		return -1;
	if (vmlinux_unit(b, f->path) < 0) {
		KLP_ERR(patch, "%s: vmlinux has no unit of this path (%s): the unit is in a module "
			"or was built without the klp plugin; klp-fixup build patches vmlinux units",
			f->path, b->vmlinux);
		free(cmd);
		return -1;
	}
	return add_unit(b, obj, cmd);
}

static int find_units(struct build *b)
{
	for (size_t i = 0; i < b->npatches; i++) {
		struct klp_patch_file *files;
		long n = klp_patch_files(b->patches[i], &files);
		int ret = 0;

		if (n < 0)
			return -1;
		for (long j = 0; j < n && !ret; j++)
			ret = add_file(b, b->patches[i], &files[j]);
		klp_patch_files_free(files, n);
		if (ret)
			return -1;
	}
	if (!b->nunits) {
		KLP_ERR(b->patches[0], "the patches change no C unit that vmlinux was built from");
		return -1;
	}
	for (size_t i = 0; i < b->nunits; i++) {
		long at = vmlinux_unit(b, b->units[i].src);

		if (at < 0) {
			KLP_ERR(b->vmlinux, "unit %s: %s", b->units[i].src, at == -2 ?
				"more than one unit of vmlinux has this path" : "not in vmlinux");
			return -1;
		}
		b->units[i].target_unit = (size_t)at;
		b->units[i].tu_path = strdup(b->vm.notes.units[at].path);
		if (!b->units[i].tu_path)
			return -1;
	}
	return 0;
}

static int run(const struct build *b, char *const argv[], const char *log, const char *what)
{
	pid_t pid = klp_spawn(argv, log);

	if (pid < 0 || klp_wait(pid)) {
		KLP_ERR(what, "%s failed: see %s", argv[0], log);
		return -1;
	}
	(void)b;
	return 0;
}

/* The patched tree: hard links to the source tree, patched by GNU patch,
 * which writes each changed file anew and so leaves the tree's own. */
static int patched_tree(struct build *b)
{
	char *log = join(b->work, "patch.log");
	char *cp[] = { "cp", "-al", b->srctree, b->newtree, NULL };
	int ret = log ? run(b, cp, log, b->srctree) : -1;

	for (size_t i = 0; !ret && i < b->npatches; i++) {
		char *p[] = { "patch", "-p1", "-s", "--no-backup-if-mismatch", "-d", b->newtree,
			      "-i", (char *)b->patches[i], NULL };
		char *abs = realpath(b->patches[i], NULL);

		if (abs)
			p[7] = abs;
		pid_t pid = klp_spawn(p, log);

		if (pid < 0 || klp_wait(pid)) {
			KLP_ERR(b->patches[i], "does not apply to %s (patch -p1 says why in %s)",
				b->srctree, log);
			ret = -1;
		}
		free(abs);
	}
	free(log);
	return ret;
}

static char *unit_file(const struct build *b, size_t i, const char *kind)
{
	char *s;

	return asprintf(&s, "%s/%s-%zu.o", b->work, kind, i) < 0 ? NULL : s;
}

/* Unit i from the tree (old) and from the patched copy (new), at once. */
static int compile_unit(struct build *b, size_t i)
{
	struct unit *u = &b->units[i];
	char *old_o = unit_file(b, i, "old"), *new_o = unit_file(b, i, "new");
	/* the saved command names the tree the kernel was built from */
	char *old_cmd = old_o ? klp_kbuild_compile_cmd(u->cmd, u->obj, old_o, b->built_from,
						       b->srctree, NULL) : NULL;
	char *new_cmd = new_o ? klp_kbuild_compile_cmd(u->cmd, u->obj, new_o, b->built_from,
						       b->newtree, b->kpatch_include) : NULL;
	char *log = join(b->work, "compile.log");
	pid_t po = -1, pn = -1;
	int ret = -1;

	if (old_cmd && new_cmd && log) {
		say(b, "compile: %s", u->src);
		po = klp_spawn_shell(b->kdir, old_cmd, log);
		pn = po < 0 ? -1 : klp_spawn_shell(b->kdir, new_cmd, log);
		ret = (po >= 0 && klp_wait(po) ? -1 : 0) | (pn >= 0 && klp_wait(pn) ? -1 : 0);
		if (po < 0 || pn < 0 || ret) {
			KLP_ERR(u->src, "the compile failed: see %s (the command: kbuild's, from "
				"%s's .cmd file)", log, u->obj);
			ret = -1;
		}
		b->compiles += 2;
	}
	free(old_o);
	free(new_o);
	free(old_cmd);
	free(new_cmd);
	free(log);
	return ret;
}

static int read_object(const char *path, struct kelf *k, struct klp_notes *notes)
{
	int r;

	if (kelf_open(k, path))
		return -1;
	r = klp_notes_read(k, notes);
	if (r || notes->nunits != 1) {
		if (!r)
			klp_notes_free(notes);
		KLP_ERR(path, "%s", r == 1 ? "no notes: the compile did not run the klp plugin "
			"(was the kernel built with it?)" : "not one unit of notes");
		kelf_close(k);
		return -1;
	}
	return 0;
}

/* The unpatched compile against the running kernel: every symbol paired,
 * none changed, none new. */
static int check_same(const struct build *b, const struct unit *u, const struct klp_unit *vm,
		      const char *old_path, const struct klp_unit *old)
{
	size_t *o2n = calloc(vm->nsyms + 1, sizeof(*o2n));
	bool *paired = calloc(old->nsyms + 1, sizeof(*paired));
	bool *used = calloc(vm->ndiscarded + 1, sizeof(*used));
	const char *differs = NULL, *how = NULL;
	int ret = -1;

	if (!o2n || !paired || !used || klp_pair_symbols(vm, old, o2n, paired))
		goto out;
	if (klp_units_comparable(b->vmlinux, vm, old_path, old))
		goto out;
	for (size_t i = 0; i < vm->nsyms && !differs; i++)
		if (o2n[i] == SIZE_MAX || !klp_same_contents(&vm->syms[i], &old->syms[o2n[i]])) {
			differs = vm->syms[i].name;
			how = o2n[i] == SIZE_MAX ? "is missing from the compile" : "differs";
		}
	for (size_t j = 0; j < old->nsyms && !differs; j++)
		if (!paired[j] && !klp_was_discarded(vm, &old->syms[j], used)) {
			differs = old->syms[j].name;
			how = "is new in the compile";
		}
	if (differs) {
		KLP_ERR(u->src, "unit %s: %s %s (checksums against %s): this source, config or "
			"compiler is not what the running kernel was built from; give the build "
			"directory and source tree of that kernel", u->tu_path, differs, how,
			b->vmlinux);
		goto out;
	}
	ret = 0;
out:
	free(o2n);
	free(paired);
	free(used);
	return ret;
}

static bool exported(void *ctx, const char *name)
{
	return klp_symvers_has(ctx, name);
}

static bool patch_defines(void *ctx, const char *name)
{
	const struct build *b = ctx;

	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].nnew_globals; j++)
			if (!strcmp(b->units[i].new_globals[j], name))
				return true;
	return false;
}

/* Pair vmlinux's unit with the patched compile's: n2o[j] is the vmlinux
 * symbol of patched symbol j, or SIZE_MAX (new). */
static size_t *pair_new(const struct klp_unit *vm, const struct klp_unit *n)
{
	size_t *o2n = calloc(vm->nsyms + 1, sizeof(*o2n));
	size_t *n2o = malloc((n->nsyms + 1) * sizeof(*n2o));
	bool *paired = calloc(n->nsyms + 1, sizeof(*paired));

	if (!o2n || !n2o || !paired || klp_pair_symbols(vm, n, o2n, paired)) {
		free(n2o);
		n2o = NULL;
	} else {
		for (size_t j = 0; j < n->nsyms; j++)
			n2o[j] = SIZE_MAX;
		for (size_t j = 0; j < vm->nsyms; j++)
			if (o2n[j] != SIZE_MAX)
				n2o[o2n[j]] = j;
	}
	free(o2n);
	free(paired);
	return n2o;
}

/* The globals the patched compile of u has and vmlinux's unit has not. */
static int collect_new_globals(struct unit *u, const struct klp_unit *vm,
			       const struct klp_unit *n)
{
	size_t *n2o = pair_new(vm, n);

	if (!n2o)
		return -1;
	for (size_t j = 0; j < n->nsyms; j++) {
		char **grown;

		if (n2o[j] != SIZE_MAX || (n->syms[j].flags & KLP_SYM_LOCAL) || !n->syms[j].name)
			continue;
		grown = realloc(u->new_globals, (u->nnew_globals + 1) * sizeof(*grown));
		if (!grown) {
			free(n2o);
			return -1;
		}
		u->new_globals = grown;
		grown[u->nnew_globals] = strdup(n->syms[j].name);
		if (!grown[u->nnew_globals++]) {
			free(n2o);
			return -1;
		}
	}
	free(n2o);
	return 0;
}

/* Unit i's unpatched compile against vmlinux, and what the patch adds. */
static int check_unit(struct build *b, size_t i)
{
	struct unit *u = &b->units[i];
	char *old_o = unit_file(b, i, "old"), *new_o = unit_file(b, i, "new");
	struct kelf ko, kn;
	struct klp_notes no, nn;
	const struct klp_unit *vm;
	int ret = -1;

	if (!old_o || !new_o || read_object(old_o, &ko, &no))
		goto free_names;
	if (read_object(new_o, &kn, &nn))
		goto close_old;
	vm = klp_target_unit(&b->vm, u->target_unit);
	if (vm && !check_same(b, u, vm, old_o, &no.units[0]) &&
	    !klp_units_comparable(b->vmlinux, vm, new_o, &nn.units[0]))
		ret = collect_new_globals(u, vm, &nn.units[0]);
	klp_notes_free(&nn);
	kelf_close(&kn);
close_old:
	klp_notes_free(&no);
	kelf_close(&ko);
free_names:
	free(old_o);
	free(new_o);
	return ret;
}

/* Unit i's livepatch object, work/mod/lp-i.o. */
static int extract_unit(struct build *b, size_t i)
{
	struct unit *u = &b->units[i];
	char *new_o = unit_file(b, i, "new"), *lp_o = unit_file(b, i, "mod/lp");
	struct kelf kn;
	struct klp_notes nn;
	const struct klp_unit *vm;
	struct kelf_writer w;
	size_t *n2o = NULL;
	int ret = -1;

	if (!new_o || !lp_o || read_object(new_o, &kn, &nn))
		goto free_names;
	vm = klp_target_unit(&b->vm, u->target_unit);
	n2o = vm ? pair_new(vm, &nn.units[0]) : NULL;
	if (n2o && !kelf_writer_init(&w, &kn)) {
		struct klp_extract_in in = { u->src, &kn, &nn.units[0], vm, n2o, "vmlinux",
					     u->tu_path, (unsigned)i, b->bug_entsize, exported,
					     &b->symvers, patch_defines, b };

		ret = klp_extract(&in, &w, &u->ex) || kelf_writer_write(&w, new_o, lp_o) ? -1 : 0;
		kelf_writer_free(&w);
	}
	free(n2o);
	klp_notes_free(&nn);
	kelf_close(&kn);
free_names:
	free(new_o);
	free(lp_o);
	return ret;
}

/* old_sympos of every replaced function, from vmlinux's notes. */
static int positions(struct build *b, unsigned long **pos)
{
	size_t n = 0, k = 0;

	for (size_t i = 0; i < b->nunits; i++)
		n += b->units[i].ex.nfuncs;
	*pos = calloc(n + 1, sizeof(**pos));
	if (!*pos)
		return -1;
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++)
			if (klp_resolve_want(&b->vm, b->units[i].tu_path,
					     b->units[i].ex.funcs[j].old_name))
				return -1;
	if (klp_target_load(&b->vm))
		return -1;
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++) {
			struct klp_resolution r;

			if (klp_resolve(&b->vm, b->units[i].tu_path,
					b->units[i].ex.funcs[j].old_name, &r))
				return -1;
			(*pos)[k++] = r.pos;
		}
	return 0;
}

static const char *const callback_names[] = {
	[KLP_BUILD_CB_PRE_PATCH] = "pre_patch", [KLP_BUILD_CB_POST_PATCH] = "post_patch",
	[KLP_BUILD_CB_PRE_UNPATCH] = "pre_unpatch", [KLP_BUILD_CB_POST_UNPATCH] = "post_unpatch",
};

static bool has_callback(const struct build *b, unsigned kind)
{
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.ncallbacks; j++)
			if (b->units[i].ex.callbacks[j].kind == kind)
				return true;
	return false;
}

/* One callback per kind for the object: each unit's in turn; a pre-patch
 * callback that fails stops the others and the patch. */
static void write_callbacks(const struct build *b, FILE *f)
{
	for (unsigned kind = KLP_BUILD_CB_PRE_PATCH; kind <= KLP_BUILD_CB_POST_UNPATCH; kind++) {
		bool pre = kind == KLP_BUILD_CB_PRE_PATCH;

		if (!has_callback(b, kind))
			continue;
		fputc('\n', f);
		for (size_t i = 0; i < b->nunits; i++)
			for (size_t j = 0; j < b->units[i].ex.ncallbacks; j++)
				if (b->units[i].ex.callbacks[j].kind == kind)
					fprintf(f, "%s %s(struct klp_object *obj);\n",
						pre ? "int" : "void", b->units[i].ex.callbacks[j].name);
		fprintf(f, "\nstatic %s klp_%s(struct klp_object *obj)\n{\n", pre ? "int" : "void",
			callback_names[kind]);
		if (pre)
			fprintf(f, "\tint ret;\n\n");
		for (size_t i = 0; i < b->nunits; i++)
			for (size_t j = 0; j < b->units[i].ex.ncallbacks; j++)
				if (b->units[i].ex.callbacks[j].kind == kind)
					fprintf(f, pre ? "\tret = %s(obj);\n\tif (ret)\n\t\treturn ret;\n" :
						"\t%s(obj);\n", b->units[i].ex.callbacks[j].name);
		fprintf(f, "%s}\n", pre ? "\treturn 0;\n" : "");
	}
}

/* The module's registration: one klp_func per replaced function. */
static int write_main(struct build *b, const unsigned long *pos)
{
	char *path = join(b->work, "mod/klp-main.c");
	FILE *f = path ? fopen(path, "w") : NULL;
	size_t k = 0;

	if (!f) {
		KLP_ERR(path ? path : b->work, "cannot write: %s", strerror(errno));
		free(path);
		return -1;
	}
	fprintf(f, "// SPDX-License-Identifier: GPL-2.0-or-later\n"
		"/* Written by klp-fixup build: the registration of the livepatch. */\n"
		"#include <linux/module.h>\n#include <linux/livepatch.h>\n\n");
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++)
			fprintf(f, "void %s(void);\n", b->units[i].ex.funcs[j].new_name);
	fprintf(f, "\nstatic struct klp_func klp_funcs[] = {\n");
	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].ex.nfuncs; j++, k++)
			fprintf(f, "\t{ .old_name = \"%s\", .new_func = %s, .old_sympos = %lu },"
				" /* %s */\n", b->units[i].ex.funcs[j].old_name,
				b->units[i].ex.funcs[j].new_name, pos[k], b->units[i].tu_path);
	fprintf(f, "\t{ }\n};\n");
	write_callbacks(b, f);
	fprintf(f, "\nstatic struct klp_object klp_objs[] = {\n\t{\n\t\t.funcs = klp_funcs,\n"
		"\t\t.callbacks = {\n");
	for (unsigned kind = KLP_BUILD_CB_PRE_PATCH; kind <= KLP_BUILD_CB_POST_UNPATCH; kind++)
		if (has_callback(b, kind))
			fprintf(f, "\t\t\t.%s = klp_%s,\n", callback_names[kind], callback_names[kind]);
	fprintf(f, "\t\t},\n\t},\n\t{ }\n};\n\n"
		"static struct klp_patch klp_patch = {\n\t.mod = THIS_MODULE,\n"
		"\t.objs = klp_objs,\n\t.replace = true,\n};\n\n"
		"static int __init klp_build_init(void)\n{\n"
		"\treturn klp_enable_patch(&klp_patch);\n}\n\n"
		"static void __exit klp_build_exit(void)\n{\n}\n\n"
		"module_init(klp_build_init);\nmodule_exit(klp_build_exit);\n"
		"MODULE_LICENSE(\"GPL\");\nMODULE_INFO(livepatch, \"Y\");\n"
		"MODULE_DESCRIPTION(\"livepatch built by klp-fixup build\");\n");
	if (fclose(f)) {
		KLP_ERR(path, "cannot write: %s", strerror(errno));
		free(path);
		return -1;
	}
	free(path);
	path = join(b->work, "mod/Kbuild");
	f = path ? fopen(path, "w") : NULL;
	if (!f)
		return -1;
	fprintf(f, "obj-m := %s.o\n%s-y := klp-main.o", b->name, b->name);
	for (size_t i = 0; i < b->nunits; i++)
		fprintf(f, " lp-%zu.o", i);
	fputc('\n', f);
	free(path);
	return fclose(f) ? -1 : 0;
}

/* make's ARCH and toolchain for the kernel's compiler. */
static void make_args(const struct build *b, char *arch, char *tool, size_t n)
{
	char *cc = klp_kbuild_compiler(b->units[0].cmd);
	const char *base = cc ? strrchr(cc, '/') : NULL;
	const char *clang;

	base = base ? base + 1 : cc ? cc : "gcc";
	snprintf(arch, n, "ARCH=%s", b->vm.elf.ehdr.e_machine == EM_PPC64 ? "powerpc" :
		 b->vm.elf.ehdr.e_machine == EM_S390 ? "s390" : "x86_64");
	clang = strstr(base, "clang");
	if (clang)
		snprintf(tool, n, "LLVM=%s", clang[5] == '-' ? clang + 5 : "1");
	else if (has_suffix(base, "-gcc"))
		snprintf(tool, n, "CROSS_COMPILE=%.*s", (int)(strlen(base) - 3), base);
	else
		tool[0] = 0;
	free(cc);
}

/* kbuild links the module; convert and verify finish it. */
static int link_module(struct build *b)
{
	char arch[64], tool[256], *mod = join(b->work, "mod"), *log = join(b->work, "make.log");
	char *ko = NULL, *out = NULL, target[PATH_MAX + 16];
	int ret = -1;

	make_args(b, arch, tool, sizeof(arch));
	snprintf(target, sizeof(target), "vmlinux=%s", b->vmlinux);
	if (mod && log && asprintf(&ko, "%s/%s.ko", mod, b->name) > 0 &&
	    asprintf(&out, "%s/%s.ko", b->work, b->name) > 0) {
		char mdir[PATH_MAX + 8];
		char *make[] = { "make", "-C", b->kdir, mdir, arch, "KBUILD_MODPOST_WARN=1",
				 "modules", tool[0] ? tool : NULL, NULL };
		char *convert[] = { b->self, "convert", "--target", target, ko, "-o", out, NULL };
		char *verify[] = { b->self, "verify", "--target", target, out, NULL };

		snprintf(mdir, sizeof(mdir), "M=%s", mod);
		say(b, "link: %s", ko);
		ret = run(b, make, log, mod) || run(b, convert, log, ko) ||
		      run(b, verify, log, out) ? -1 : 0;
	}
	free(mod);
	free(log);
	free(ko);
	free(out);
	return ret;
}

/* Copy the finished module to b->out atomically. */
static int publish(const struct build *b)
{
	char *done = NULL;
	struct kelf k;
	FILE *in;
	int ret = -1;

	if (asprintf(&done, "%s/%s.ko", b->work, b->name) < 0)
		return -1;
	in = fopen(done, "rb");
	if (in && !kelf_open_output(&k, done, b->out)) {
		char buf[65536];
		size_t n;

		ret = 0;
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			if (write(k.fd, buf, n) != (ssize_t)n)
				ret = -1;
		if (ret || ferror(in) || kelf_publish(&k)) {
			KLP_ERR(b->out, "cannot write it");
			ret = -1;
		}
		kelf_close(&k);
	}
	if (in)
		fclose(in);
	free(done);
	return ret;
}

static void print_summary(const struct build *b, const unsigned long *pos)
{
	struct timespec t1;
	size_t k = 0, refs = 0, entries = 0, copied = 0;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("units: %zu, compiles: %zu\n", b->nunits, b->compiles);
	for (size_t i = 0; i < b->nunits; i++) {
		const struct klp_extract_out *x = &b->units[i].ex;

		printf("unit %s: unpatched compile equals vmlinux\n", b->units[i].tu_path);
		for (size_t j = 0; j < x->nfuncs; j++, k++)
			printf("  patched %s sympos %lu\n", x->funcs[j].old_name, pos[k]);
		refs += x->nrefs;
		entries += x->nentries;
		copied += x->nfunctions_copied;
	}
	printf("module %s: %zu functions replaced, %zu functions copied, %zu references, "
	       "%zu special entries\n", b->name, k, copied, refs, entries);
	printf("wrote %s (%.1f s)\n", b->out, (double)(t1.tv_sec - b->t0.tv_sec) +
	       (double)(t1.tv_nsec - b->t0.tv_nsec) / 1e9);
}

static uint32_t bug_entry_size(const struct build *b)
{
	char *config = join(b->kdir, ".config"), *line = NULL;
	FILE *f = config ? fopen(config, "r") : NULL;
	size_t cap = 0;
	uint32_t size = 8;	/* bug_addr_disp, flags, padding */

	while (f && getline(&line, &cap, f) > 0)
		if (!strcmp(line, "CONFIG_DEBUG_BUGVERBOSE=y\n"))
			size = 12;	/* file_disp and line as well */
	if (f)
		fclose(f);
	free(line);
	free(config);
	return size;
}

/*
 * kpatch-macros.h and kpatch-syscall.h: installed beside the binary
 * (PREFIX/include/klp-toolchain/kpatch), or in the source tree it was
 * built from.
 */
static int find_include(struct build *b)
{
	char *dir = strdup(b->self), *slash = dir ? strrchr(dir, '/') : NULL;
	char *installed = NULL;
	const char *pick;

	if (slash)
		*slash = 0;
	if (!dir || asprintf(&installed, "%s/../include/klp-toolchain/kpatch", dir) < 0) {
		free(dir);
		return -1;
	}
	pick = !access(installed, F_OK) ? installed : KLP_SOURCE_INCLUDE "/kpatch";
	if (access(pick, F_OK)) {
		KLP_ERR(pick, "kpatch-macros.h is missing (looked also in %s): reinstall "
			"klp-fixup", installed);
		free(dir);
		free(installed);
		return -1;
	}
	if (asprintf(&b->kpatch_include, "-I%s", pick) < 0)
		b->kpatch_include = NULL;
	free(dir);
	free(installed);
	return b->kpatch_include ? 0 : -1;
}

static int prepare(struct build *b)
{
	char *symvers;
	ssize_t n;

	clock_gettime(CLOCK_MONOTONIC, &b->t0);
	b->kdir = realpath(b->kdir_arg, NULL);
	if (!b->kdir) {
		KLP_ERR(b->kdir_arg, "not a directory: %s", strerror(errno));
		return -1;
	}
	b->vmlinux = join(b->kdir, "vmlinux");
	symvers = join(b->kdir, "Module.symvers");
	if (!b->vmlinux || !symvers)
		return -1;
	{
		char *link = join(b->kdir, "source");

		b->built_from = link ? realpath(link, NULL) : NULL;
		if (!b->built_from)
			b->built_from = strdup(b->kdir);
		free(link);
	}
	b->srctree = b->srctree_arg ? realpath(b->srctree_arg, NULL) :
		     b->built_from ? strdup(b->built_from) : NULL;
	if (!b->srctree) {
		KLP_ERR(b->srctree_arg ? b->srctree_arg : b->kdir, "no source tree: %s",
			strerror(errno));
		return -1;
	}
	n = readlink("/proc/self/exe", b->self, sizeof(b->self) - 1);
	if (n < 0 || !b->srctree || klp_symvers_read(&b->symvers, symvers)) {
		free(symvers);
		return -1;
	}
	b->self[n] = 0;
	free(symvers);
	if (find_include(b))
		return -1;
	b->bug_entsize = bug_entry_size(b);
	if (klp_target_open_lean(&b->vm, b->vmlinux, true))
		return -1;
	b->vm_open = true;
	return 0;
}

static int make_work(struct build *b)
{
	char *mod;

	if (b->work_arg) {
		if (mkdir(b->work_arg, 0755) && errno != EEXIST) {
			KLP_ERR(b->work_arg, "cannot make it: %s", strerror(errno));
			return -1;
		}
		b->work = realpath(b->work_arg, NULL);
	} else {
		char tmpl[] = "/tmp/klp-build.XXXXXX";

		b->work = mkdtemp(tmpl) ? strdup(tmpl) : NULL;
	}
	if (!b->work) {
		KLP_ERR("/tmp", "cannot make a work directory: %s", strerror(errno));
		return -1;
	}
	b->newtree = join(b->work, "src");
	mod = join(b->work, "mod");
	if (!b->newtree || !mod || (mkdir(mod, 0755) && errno != EEXIST)) {
		free(mod);
		return -1;
	}
	free(mod);
	/* a work directory given again: the tree is patched anew */
	if (!access(b->newtree, F_OK)) {
		char *rm[] = { "rm", "-rf", b->newtree, NULL };

		if (run(b, rm, "/dev/null", b->newtree))
			return -1;
	}
	return 0;
}

static void finish(struct build *b, int ret)
{
	if (b->work && !b->work_arg) {
		if (ret) {
			fprintf(stderr, "klp-fixup build: work files kept in %s\n", b->work);
		} else {
			char *rm[] = { "rm", "-rf", b->work, NULL };

			run(b, rm, "/dev/null", b->work);
		}
	}
	for (size_t i = 0; i < b->nunits; i++) {
		free(b->units[i].obj);
		free(b->units[i].src);
		free(b->units[i].cmd);
		free(b->units[i].tu_path);
		for (size_t j = 0; j < b->units[i].nnew_globals; j++)
			free(b->units[i].new_globals[j]);
		free(b->units[i].new_globals);
		klp_extract_out_free(&b->units[i].ex);
	}
	free(b->units);
	if (b->vm_open)
		klp_target_close(&b->vm);
	klp_symvers_free(&b->symvers);
	free(b->kdir);
	free(b->kpatch_include);
	free(b->srctree);
	free(b->built_from);
	free(b->work);
	free(b->newtree);
	free(b->vmlinux);
}

static int build_steps(struct build *b)
{
	unsigned long *pos = NULL;
	size_t nfuncs = 0;
	int ret = -1;

	if (prepare(b) || find_units(b) || make_work(b) || patched_tree(b))
		return -1;
	for (size_t i = 0; i < b->nunits; i++)
		if (compile_unit(b, i) || check_unit(b, i))
			return -1;
	for (size_t i = 0; i < b->nunits; i++)
		if (extract_unit(b, i))
			return -1;
	for (size_t i = 0; i < b->nunits; i++)
		nfuncs += b->units[i].ex.nfuncs + b->units[i].ex.ncallbacks;
	if (!nfuncs) {
		KLP_ERR(b->patches[0], "the patch changes no function's code (a comment, or only "
			"line numbers that WARN and BUG record): there is nothing to livepatch");
		return -1;
	}
	if (!positions(b, &pos) && !write_main(b, pos) && !link_module(b) && !publish(b)) {
		print_summary(b, pos);
		ret = 0;
	}
	free(pos);
	return ret;
}

static int build_run(const struct klp_args *a)
{
	struct build b;
	int ret;

	memset(&b, 0, sizeof(b));
	b.kdir_arg = klp_value(a, "--kdir");
	b.srctree_arg = klp_value(a, "--srctree");
	b.work_arg = klp_value(a, "--work");
	b.out = klp_value(a, "--output");
	b.verbose = klp_flag(a, "--verbose");
	b.patches = (const char *const *)a->operands;
	b.npatches = a->noperands;
	module_name(&b, klp_value(a, "--name"));
	if (!b.name[0])
		return klp_usage_error(a, "--name: give a module name");
	ret = build_steps(&b);
	finish(&b, ret);
	return ret ? 1 : 0;
}

static const struct klp_option build_options[] = {
	{ "--kdir", NULL, "DIR", 1, true, KLP_COMPLETE_FILE,
	  "the build directory of the running kernel: vmlinux with notes, .config, "
	  "Module.symvers and kbuild's .cmd files" },
	{ "--srctree", NULL, "DIR", 1, false, KLP_COMPLETE_FILE,
	  "the kernel source tree (default: DIR/source, the link kbuild makes for O=)" },
	{ "--output", "-o", "OUT", 1, true, KLP_COMPLETE_FILE,
	  "the livepatch module, written atomically and only when it built, converted and "
	  "verified" },
	{ "--name", NULL, "NAME", 1, false, KLP_COMPLETE_NONE,
	  "the module's name (default: livepatch_ and the first patch's file name)" },
	{ "--work", NULL, "DIR", 1, false, KLP_COMPLETE_FILE,
	  "keep the work files (compiles, logs, module sources) here instead of a "
	  "temporary directory" },
	KLP_OPTION_VERBOSE("say each step and each unit left out"),
	KLP_OPTION_END
};

const struct klp_command klp_cmd_build = {
	"build", "PATCH...", 1, KLP_OPERANDS_MANY,
	"build a livepatch module from unified diffs of the kernel source: only the units "
	"the patches touch are compiled, unpatched and patched; the unpatched compile must "
	"equal the running kernel's notes; the changed functions are extracted with exact "
	"positions (docs/builder.md)",
	build_options, build_run,
};
