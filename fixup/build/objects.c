/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * objects.c - `klp-fixup build`: the objects a livepatch patches: vmlinux,
 * and each module of the build directory that has a unit the patch
 * touches.  kbuild says which module links an object: modules.order
 * lists the modules (fs/xfs/xfs.o), and each one's .mod file its objects.
 */
#include "builder.h"
#include "../base/files.h"
#include "../base/warn.h"
#include "../resolve/sympos.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Open path as object (module: its name from the file, as the kernel
 * names modules); its index, or -1 after printing why. */
static long add_object(struct klp_builder *b, const char *path, const char *kbuild_name)
{
	struct klp_build_object **grown = realloc(b->objs, (b->nobjs + 1) * sizeof(*grown));
	struct klp_build_object *o = calloc(1, sizeof(*o));

	if (grown)
		b->objs = grown;
	if (!grown || !o || !(o->path = strdup(path)) ||
	    !(o->kbuild_name = strdup(kbuild_name))) {
		KLP_ERR(path, "out of memory");
		if (o)
			free(o->path);
		free(o);
		return -1;
	}
	b->objs[b->nobjs++] = o;
	if (klp_target_open(&o->t, o->path, true))
		return -1;
	o->open = true;
	if (klp_resolver_init(&o->rs, &o->t))
		return -1;
	return (long)b->nobjs - 1;
}

int klp_build_open_vmlinux(struct klp_builder *b)
{
	return add_object(b, b->vmlinux, "vmlinux") == 0 ? 0 : -1;
}

void klp_build_close_objects(struct klp_builder *b)
{
	for (size_t i = 0; i < b->nobjs; i++) {
		if (b->objs[i]->open) {
			klp_resolver_free(&b->objs[i]->rs);
			klp_target_close(&b->objs[i]->t);
		}
		free(b->objs[i]->path);
		free(b->objs[i]->kbuild_name);
		free(b->objs[i]);
	}
	free(b->objs);
	b->objs = NULL;
	b->nobjs = 0;
}

/* The unit of t whose source is src (in the tree), or -1 (none), -2
 * (several).  kbuild compiles with the tree's absolute path (O= builds)
 * or the relative one: either is exact. */
static long unit_of(const struct klp_builder *b, const struct klp_target *t, const char *src)
{
	long found = -1;
	size_t n = strlen(b->built_from);

	for (size_t i = 0; i < t->notes.nunits; i++) {
		const char *path = t->notes.units[i].path;

		if (!strcmp(path, src) || (!strncmp(path, b->built_from, n) && path[n] == '/' &&
					   !strcmp(path + n + 1, src)))
			return (long)i;
	}
	/* a tree moved since: the one unit whose path ends in /src */
	for (size_t i = 0; i < t->notes.nunits; i++)
		if (klp_path_match(t->notes.units[i].path, src)) {
			if (found >= 0)
				return -2;
			found = (long)i;
		}
	return found;
}

/* Does kbuild's list of a module's objects (KDIR/MOD.mod) name obj? */
static bool module_links(const struct klp_builder *b, const char *mod, const char *obj)
{
	char *path = NULL, *line = NULL;
	size_t cap = 0;
	bool found = false;
	FILE *f = asprintf(&path, "%s/%.*s.mod", b->kdir, (int)strlen(mod) - 2, mod) < 0 ? NULL :
		  klp_fopen_regular(path, NULL);

	while (f && !found && getline(&line, &cap, f) > 0) {
		/* one line of space-separated objects (kbuild's cmd_mod) */
		for (char *w = strtok(line, " \n"); w && !found; w = strtok(NULL, " \n"))
			found = !strcmp(w, obj);
	}
	if (f)
		fclose(f);
	free(line);
	free(path);
	return found;
}

/* The module of the build directory that links obj: its kbuild name
 * (fs/xfs/xfs), allocated, or NULL. */
static char *module_of(const struct klp_builder *b, const char *obj)
{
	char *order = klp_build_join(b->kdir, "modules.order"), *line = NULL, *mod = NULL;
	FILE *f = order ? klp_fopen_regular(order, NULL) : NULL;
	size_t cap = 0;
	ssize_t n;

	while (f && !mod && (n = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\n")] = 0;
		if (klp_build_has_suffix(line, ".o") && module_links(b, line, obj))
			mod = strndup(line, strlen(line) - 2);
	}
	if (f)
		fclose(f);
	free(line);
	free(order);
	return mod;
}

long klp_build_locate(struct klp_builder *b, const char *obj, const char *src, size_t *object)
{
	char *mod, *ko = NULL;
	long at = unit_of(b, &b->objs[0]->t, src), k = -1;

	*object = 0;
	if (at != -1)
		return at;
	mod = module_of(b, obj);
	if (!mod)
		return -1;
	for (size_t i = 1; i < b->nobjs && k < 0; i++)
		if (!strcmp(b->objs[i]->kbuild_name, mod))
			k = (long)i;
	if (k < 0 && asprintf(&ko, "%s/%s.ko", b->kdir, mod) > 0) {
		if (access(ko, F_OK)) {
			KLP_ERR(ko, "missing: the module that links %s must be built (make modules)",
				obj);
		} else {
			k = add_object(b, ko, mod);
		}
	}
	free(ko);
	free(mod);
	if (k < 0)
		return -3;
	*object = (size_t)k;
	return unit_of(b, &b->objs[k]->t, src);
}
