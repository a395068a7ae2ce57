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

/* Unit i from the tree (old) and from the patched copy (new), at once. */
int klp_build_compile_unit(struct klp_builder *b, size_t i)
{
	struct klp_build_unit *u = &b->units[i];
	char *old_o = klp_build_unit_file(b, i, "old"), *new_o = klp_build_unit_file(b, i, "new");
	/* the saved command names the tree the kernel was built from */
	char *old_cmd = old_o ? klp_kbuild_compile_cmd(u->cmd, u->obj, old_o, b->built_from,
						       b->srctree, NULL) : NULL;
	char *new_cmd = new_o ? klp_kbuild_compile_cmd(u->cmd, u->obj, new_o, b->built_from,
						       b->newtree, b->kpatch_include) : NULL;
	char *log = klp_build_join(b->work, "compile.log");
	pid_t po = -1, pn = -1;
	int ret = -1;

	if (old_cmd && new_cmd && log) {
		klp_build_say(b, "compile: %s", u->src);
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
int klp_build_extract_unit(struct klp_builder *b, size_t i)
{
	struct klp_build_unit *u = &b->units[i];
	char *new_o = klp_build_unit_file(b, i, "new"), *lp_o = klp_build_unit_file(b, i, "mod/lp");
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
