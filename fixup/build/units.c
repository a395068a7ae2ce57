/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * units.c - `klp-fixup build`: the units a patch touches: its C files, and the units that read its headers.
 */
#include "builder.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "patchfile.h"
#include "../resolve/sympos.h"

static int add_unit(struct klp_builder *b, const char *obj, char *cmd, size_t object, long at)
{
	struct klp_build_unit *u;
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
	u->object = object;
	u->target_unit = (size_t)at;
	u->tu_path = strdup(b->objs[object]->t.notes.units[at].path);
	if (!u->obj || !u->src || !u->tu_path)
		return -1;
	u->src[len - 1] = 'c';
	b->nunits++;
	return 0;
}

/* A changed header: every unit that read it and vmlinux or a module has. */
static int add_header_users(struct klp_builder *b, const char *path)
{
	char *abs = klp_build_join(b->srctree, path), **objs = NULL;
	long n = abs ? klp_kbuild_objects_using(b->kdir, abs, &objs) : -1;
	int ret = n < 0 ? -1 : 0;

	for (long i = 0; i < n; i++) {
		char *cmd = ret ? NULL : klp_kbuild_saved_cmd(b->kdir, objs[i], true);
		char src[PATH_MAX];
		size_t object;
		long at = -1;

		snprintf(src, sizeof(src), "%.*s.c", (int)strlen(objs[i]) - 2, objs[i]);
		if (cmd && strstr(cmd, src))
			at = klp_build_locate(b, objs[i], src, &object);
		if (at == -3)
			ret = -1;
		if (at >= 0) {
			if (add_unit(b, objs[i], cmd, object, at))
				ret = -1;
		} else {
			klp_build_say(b, "%s: not a C unit of vmlinux or a module, left out", objs[i]);
			free(cmd);
		}
		free(objs[i]);
	}
	if (n == 0)
		klp_build_say(b, "%s: no unit of this build reads it", path);
	free(objs);
	free(abs);
	return ret;
}

static int add_file(struct klp_builder *b, const char *patch, const struct klp_patch_file *f)
{
	char obj[PATH_MAX];
	char *cmd;
	size_t object;
	long at;

	if (f->created || f->deleted) {
		KLP_ERR(patch, "%s: the patch %s the file; klp-fixup build patches existing C files "
			"and headers: put new code in an existing unit", f->path,
			f->created ? "creates" : "deletes");
		return -1;
	}
	if (klp_build_has_suffix(f->path, ".S") || klp_build_has_suffix(f->path, ".s")) {
		KLP_ERR(patch, "%s: the patch changes assembly, which has no notes and no "
			"checksums: klp-fixup build livepatches C code only; change the C callers "
			"instead", f->path);
		return -1;
	}
	if (klp_build_has_suffix(f->path, ".h"))
		return add_header_users(b, f->path);
	if (!klp_build_has_suffix(f->path, ".c")) {
		KLP_ERR(patch, "%s: the patch changes a file that is neither C nor a header "
			"(Makefile, Kconfig, ...): a livepatch cannot change the build; drop it from "
			"the patch", f->path);
		return -1;
	}
	snprintf(obj, sizeof(obj), "%.*s.o", (int)strlen(f->path) - 2, f->path);
	cmd = klp_kbuild_saved_cmd(b->kdir, obj, false);
	if (!cmd)
		return -1;
	at = klp_build_locate(b, obj, f->path, &object);
	if (at < 0) {
		if (at == -1)
			KLP_ERR(patch, "%s: neither %s nor a module of %s has a unit of this path: "
				"the unit was built without the klp plugin; rebuild the kernel with it",
				f->path, b->vmlinux, b->kdir);
		else if (at == -2)
			KLP_ERR(patch, "%s: more than one unit of %s has this path", f->path,
				b->objs[object]->path);
		free(cmd);
		return -1;
	}
	return add_unit(b, obj, cmd, object, at);
}

int klp_build_find_units(struct klp_builder *b)
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
		KLP_ERR(b->patches[0], "the patches change no C unit that vmlinux or a module was "
			"built from");
		return -1;
	}
	return 0;
}
