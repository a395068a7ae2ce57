/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compile.c - `klp-fixup build`: each unit compiled unpatched and patched, the unpatched compile checked against vmlinux, the patched one extracted.
 */
#include "builder.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../elf/kelf-write.h"
#include "../notes/pairing.h"

/* The patched tree: hard links to the source tree, patched by GNU patch,
 * which writes each changed file anew and so leaves the tree's own. */
int klp_build_patched_tree(struct klp_builder *b)
{
	char *log = klp_build_join(b->work, "patch.log");
	char *cp[] = { "cp", "-al", b->srctree, b->newtree, NULL };
	int ret = log ? klp_build_run_tool(cp, log, b->srctree) : -1;

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

char *klp_build_unit_file(const struct klp_builder *b, size_t i, const char *kind)
{
	char *s;

	return asprintf(&s, "%s/%s-%zu.o", b->work, kind, i) < 0 ? NULL : s;
}

/* Start compile kind (old, base, new) of unit i from tree with extra
 * options after the command's own; the pid, or -1. */
static pid_t start_compile(struct klp_builder *b, size_t i, const char *kind, const char *tree,
			   const char *extra, const char *log)
{
	struct klp_build_unit *u = &b->units[i];
	char *o = klp_build_unit_file(b, i, kind);
	/* the saved command names the tree the kernel was built from */
	char *cmd = o ? klp_kbuild_compile_cmd(u->cmd, u->obj, o, b->built_from, tree, extra) : NULL;
	pid_t pid = cmd ? klp_spawn_shell(b->kdir, cmd, log) : -1;

	if (pid >= 0)
		b->compiles++;
	free(o);
	free(cmd);
	return pid;
}

/*
 * Unit i, at once: from the tree as kbuild built it (old: the check
 * against vmlinux), and from the patched copy (new).  When the patched
 * compile takes options of its own (b->patch_flags), the tree once more
 * with them (base), the one the patched compile is compared with.
 */
int klp_build_compile_unit(struct klp_builder *b, size_t i)
{
	struct klp_build_unit *u = &b->units[i];
	char *log = klp_build_join(b->work, "compile.log"), *new_extra = NULL, *base_extra = NULL;
	pid_t pids[3] = { -1, -1, -1 };
	size_t n = 0;
	int ret = 0;

	if (!log || asprintf(&base_extra, "-ffunction-sections -fdata-sections%s%s",
			     b->patch_flags ? " " : "", b->patch_flags ? b->patch_flags : "") < 0 ||
	    asprintf(&new_extra, "%s %s", base_extra, b->kpatch_include) < 0) {
		free(log);
		free(base_extra);
		return -1;
	}
	klp_build_say(b, "compile: %s", u->src);
	/* old, for the check: kbuild's command, with each function and object
	 * in a section of its own where that leaves the code as it is (not on
	 * ppc64, where -fdata-sections turns GCC's section anchors off); new
	 * and base: in sections of their own, for the extraction */
	pids[n++] = start_compile(b, i, "old", b->srctree, b->patch_flags ? NULL : base_extra, log);
	pids[n++] = start_compile(b, i, "new", b->newtree, new_extra, log);
	if (b->patch_flags)
		pids[n++] = start_compile(b, i, "base", b->srctree, base_extra, log);
	for (size_t j = 0; j < n; j++)
		if (pids[j] < 0 || klp_wait(pids[j]))
			ret = -1;
	if (ret)
		KLP_ERR(u->src, "the compile failed: see %s (the command: kbuild's, from %s's .cmd "
			"file%s%s)", log, u->obj, b->patch_flags ? ", with " : "",
			b->patch_flags ? b->patch_flags : "");
	free(new_extra);
	free(base_extra);
	free(log);
	return ret;
}

/* A compile of one unit with its notes. */
static int read_object(const char *path, struct kelf *k, struct klp_notes *notes)
{
	if (klp_notes_open(k, path, notes))
		return -1;
	if (notes->nunits == 1)
		return 0;
	KLP_ERR(path, "%zu units of notes where one compile has one", notes->nunits);
	klp_notes_free(notes);
	kelf_close(k);
	return -1;
}

/* The unpatched compile against the running kernel: every symbol paired,
 * none changed, none new. */
static int check_same(const struct klp_builder *b, const struct klp_build_unit *u, const struct klp_unit *vm,
		      const char *old_path, const struct klp_unit *old)
{
	size_t *o2n = calloc(vm->nsyms + 1, sizeof(*o2n));
	bool *paired = calloc(old->nsyms + 1, sizeof(*paired));
	bool *used = calloc(vm->ndiscarded + 1, sizeof(*used));
	const char *differs = NULL, *how = NULL;
	int ret = -1;

	if (!o2n || !paired || !used || klp_pair_symbols(vm, old, o2n, paired))
		goto out;
	if (klp_units_comparable(b->objs[u->object]->path, vm, old_path, old))
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
			b->objs[u->object]->path);
		goto out;
	}
	ret = 0;
out:
	free(o2n);
	free(paired);
	free(used);
	return ret;
}

/* What the extraction asks of a name: exported, and not by the unit's own
 * module, whose exports the livepatch reaches through .klp.sym as the
 * module's other symbols (a plain reference would make the livepatch
 * need the module loaded before it). */
struct export_ctx {
	const struct klp_symvers *sv;
	const char *own;	/* the unit's module as Module.symvers names it; NULL: vmlinux */
	struct klp_target *module;	/* the unit's module, or NULL */
};

static bool exported(void *ctx, const char *name)
{
	const struct export_ctx *x = ctx;
	const char *by = klp_symvers_module(x->sv, name);

	return by && (!x->own || strcmp(by, x->own));
}

static const char *home_of(void *ctx, const char *name)
{
	const struct export_ctx *x = ctx;

	if (x->module)
		for (const struct kelf_symbol *s = klp_target_first(x->module, name); s;
		     s = klp_target_next(x->module, s))
			if (s->sym.st_shndx != SHN_UNDEF && s->bind != STB_LOCAL)
				return x->module->objname;
	return "vmlinux";
}

static bool patch_defines(void *ctx, const char *name)
{
	const struct klp_builder *b = ctx;

	for (size_t i = 0; i < b->nunits; i++)
		for (size_t j = 0; j < b->units[i].new_globals.n; j++)
			if (!strcmp(b->units[i].new_globals.names[j], name))
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
static int collect_new_globals(struct klp_build_unit *u, const struct klp_unit *vm,
			       const struct klp_unit *n)
{
	size_t *n2o = pair_new(vm, n);
	int ret = n2o ? 0 : -1;

	for (size_t j = 0; !ret && j < n->nsyms; j++) {
		const struct klp_sym *s = &n->syms[j];

		if (!s->name)
			continue;
		if (n2o[j] == SIZE_MAX && !(s->flags & KLP_SYM_LOCAL))
			ret = klp_name_list_add(&u->new_globals, s->name);
		if (ret)
			break;
		if (s->kind != KLP_KIND_FUNC)
			continue;
		if (n2o[j] == SIZE_MAX)
			ret = klp_name_list_add(&u->added, s->name);
		else if (!klp_same_contents(&vm->syms[n2o[j]], s))
			ret = klp_name_list_add(&u->changed, s->name);
	}
	free(n2o);
	return ret;
}

/* Unit i's unpatched compile against vmlinux, and what the patch adds. */
int klp_build_check_unit(struct klp_builder *b, size_t i)
{
	struct klp_build_unit *u = &b->units[i];
	char *old_o = klp_build_unit_file(b, i, "old"), *new_o = klp_build_unit_file(b, i, "new");
	char *base_o = klp_build_unit_file(b, i, "base");
	struct kelf ko, kn, kb;
	struct klp_notes no, nn, nb;
	const struct klp_unit *vm, *base;
	int ret = -1;

	if (!old_o || !new_o || !base_o || read_object(old_o, &ko, &no))
		goto free_names;
	if (read_object(new_o, &kn, &nn))
		goto close_old;
	if (b->patch_flags && read_object(base_o, &kb, &nb))
		goto close_new;
	vm = klp_target_unit(&b->objs[u->object]->t, u->target_unit);
	base = b->patch_flags ? &nb.units[0] : vm;
	if (vm && !check_same(b, u, vm, old_o, &no.units[0]) &&
	    !klp_units_comparable(b->patch_flags ? base_o : b->objs[u->object]->path, base, new_o,
				  &nn.units[0]))
		ret = collect_new_globals(u, base, &nn.units[0]);
	if (b->patch_flags) {
		klp_notes_free(&nb);
		kelf_close(&kb);
	}
close_new:
	klp_notes_free(&nn);
	kelf_close(&kn);
close_old:
	klp_notes_free(&no);
	kelf_close(&ko);
free_names:
	free(old_o);
	free(new_o);
	free(base_o);
	return ret;
}

/* Unit i's livepatch object, work/mod/lp-i.o: the patched compile
 * against the one it is compared with (vmlinux's unit, or base). */
int klp_build_extract_unit(struct klp_builder *b, size_t i)
{
	struct klp_build_unit *u = &b->units[i];
	char *new_o = klp_build_unit_file(b, i, "new"), *lp_o = klp_build_unit_file(b, i, "mod/lp");
	char *base_o = klp_build_unit_file(b, i, "base");
	struct kelf kn, kb;
	struct klp_notes nn, nb;
	const struct klp_unit *base;
	struct kelf_writer w;
	size_t *n2o = NULL;
	int ret = -1;

	if (!new_o || !lp_o || !base_o || read_object(new_o, &kn, &nn))
		goto free_names;
	if (b->patch_flags && read_object(base_o, &kb, &nb))
		goto close_new;
	base = b->patch_flags ? &nb.units[0] :
	       klp_target_unit(&b->objs[u->object]->t, u->target_unit);
	n2o = base ? pair_new(base, &nn.units[0]) : NULL;
	if (n2o && !kelf_writer_init(&w, &kn)) {
		struct export_ctx x = { &b->symvers,
					u->object ? b->objs[u->object]->kbuild_name : NULL,
					u->object ? &b->objs[u->object]->t : NULL };
		struct klp_extract_in in = { u->src, &kn, &nn.units[0], base, n2o,
					     b->objs[u->object]->t.objname, u->tu_path, (unsigned)i,
					     b->bug_entsize, exported, home_of, &x, patch_defines, b };

		ret = klp_extract(&in, &w, &u->ex) || kelf_writer_write(&w, new_o, lp_o) ? -1 : 0;
		kelf_writer_free(&w);
	}
	free(n2o);
	if (b->patch_flags) {
		klp_notes_free(&nb);
		kelf_close(&kb);
	}
close_new:
	klp_notes_free(&nn);
	kelf_close(&kn);
free_names:
	free(new_o);
	free(lp_o);
	free(base_o);
	return ret;
}
