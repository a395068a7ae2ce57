/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.c - open a target (vmlinux or module), read or index its notes,
 * find its symbols by name, and walk the symbols of one name as the
 * kernel does (symtab-order.c has the rules).
 */
#include "target.h"
#include "symtab-order.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

static uint32_t name_hash(const char *s)
{
	return (uint32_t)klp_fnv64(KLP_FNV64_OFFSET, s, strlen(s));
}

/* Chains hold symtab indices in ascending order; index 0 ends a chain
 * (symbol 0 is the null symbol and is never looked up). */
static int index_names(struct klp_target *t)
{
	size_t buckets = 16;

	while (buckets < 2 * t->elf.nsyms)
		buckets *= 2;
	t->name_head = calloc(buckets, sizeof(*t->name_head));
	t->name_next = calloc(t->elf.nsyms ? t->elf.nsyms : 1, sizeof(*t->name_next));
	if (!t->name_head || !t->name_next) {
		KLP_ERR(t->path, "out of memory indexing %zu symbols", t->elf.nsyms);
		return -1;
	}
	t->name_mask = buckets - 1;
	for (size_t i = t->elf.nsyms; i-- > 1;) {
		uint32_t *head = &t->name_head[name_hash(t->elf.syms[i].name) & t->name_mask];

		t->name_next[i] = *head;
		*head = (uint32_t)i;
	}
	return 0;
}

uint32_t klp_target_next_named(const struct klp_target *t, uint32_t index)
{
	const char *name = t->elf.syms[index].name;

	for (index = t->name_next[index]; index; index = t->name_next[index])
		if (!strcmp(t->elf.syms[index].name, name))
			return index;
	return 0;
}

uint32_t klp_target_first_named(const struct klp_target *t, const char *name)
{
	uint32_t i = t->name_head[name_hash(name) & t->name_mask];

	for (; i; i = t->name_next[i])
		if (!strcmp(t->elf.syms[i].name, name))
			return i;
	return 0;
}

/* The module name the kernel will know: base name, no suffix, '-' -> '_'. */
static int module_name(struct klp_target *t, const char *file)
{
	const char *base = strrchr(file, '/');
	size_t len;

	base = base ? base + 1 : file;
	len = strlen(base);
	if (len > 3 && !strcmp(base + len - 3, ".ko"))
		len -= 3;
	else if (len > 2 && !strcmp(base + len - 2, ".o"))
		len -= 2;
	if (!len || len > KLP_OBJNAME_MAX) {
		KLP_ERR(file, "cannot derive a module name of at most %d characters from the "
			"file name: give it as --target NAME=%s", KLP_OBJNAME_MAX, file);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		t->objname[i] = base[i] == '-' ? '_' : base[i];
	t->objname[len] = '\0';
	return 0;
}

/* OBJ=FILE, unless the '=' is part of a directory name */
static int parse_spec(struct klp_target *t, const char *spec)
{
	const char *eq = strchr(spec, '=');

	t->path = spec;
	if (eq && !memchr(spec, '/', (size_t)(eq - spec))) {
		size_t len = (size_t)(eq - spec);

		t->path = eq + 1;
		if (!len || len > KLP_OBJNAME_MAX || memchr(spec, '.', len)) {
			KLP_ERR(t->path, "object name '%.*s' must have 1 to %d characters and no '.' "
				"(the kernel reads it with %%55[^.])", (int)len, spec,
				KLP_OBJNAME_MAX);
			return -1;
		}
		memcpy(t->objname, spec, len);
		t->objname[len] = '\0';
	}
	return 0;
}

static int open_target(struct klp_target *t, const char *spec, bool need_notes, bool lean)
{
	const struct kelf_section *symtab;
	int ret;

	memset(t, 0, sizeof(*t));
	klp_symset_init(&t->syms, spec);
	if (parse_spec(t, spec))
		return -1;
	t->syms.path = t->path;
	if (lean ? kelf_open_lazy(&t->elf, t->path) : kelf_open(&t->elf, t->path))
		return -1;
	t->is_module = kelf_is_relocatable(&t->elf);
	/* A module is small, and its notes name its symbols by index. */
	t->lean = lean && !t->is_module;
	if (!t->objname[0]) {
		if (!t->is_module)
			strcpy(t->objname, "vmlinux");
		else if (module_name(t, t->path))
			goto fail;
	}
	if (t->is_module && kelf_load_symbols(&t->elf))
		goto fail;
	symtab = kelf_symtab(&t->elf);
	if (t->lean ? !symtab || !symtab->size : !t->elf.nsyms) {
		KLP_ERR(t->path, "no symbol table: the kernel's symbol order cannot be known "
			"from a stripped file; use the unstripped %s", t->is_module ? "module" :
			"vmlinux");
		goto fail;
	}
	if (t->lean)
		ret = klp_notes_index(&t->elf, &t->notes, &t->spans);
	else
		ret = klp_notes_read(&t->elf, &t->notes);
	if (ret < 0)
		goto fail;
	t->has_notes = ret == 0;
	t->unit_checked = calloc(t->notes.nunits ? t->notes.nunits : 1, 1);
	if (!t->unit_checked) {
		KLP_ERR(t->path, "out of memory");
		goto fail;
	}
	if (!t->has_notes && need_notes) {
		KLP_ERR(t->path, "no %s section: positions come from the notes of the klp "
			"plugin; rebuild the target with -fplugin=klp.so (and for vmlinux with "
			"integration/kernel/keep-debug-klp.patch applied)", KLP_NOTES_SECTION);
		goto fail;
	}
	if (!t->lean && index_names(t))
		goto fail;
	return 0;
fail:
	klp_target_close(t);
	return -1;
}

int klp_target_open(struct klp_target *t, const char *spec, bool need_notes)
{
	return open_target(t, spec, need_notes, false);
}

int klp_target_open_lean(struct klp_target *t, const char *spec, bool need_notes)
{
	return open_target(t, spec, need_notes, true);
}

void klp_target_close(struct klp_target *t)
{
	if (t->has_notes && t->lean)
		klp_notes_index_free(&t->notes, &t->spans);
	else if (t->has_notes)
		klp_notes_free(&t->notes);
	if (t->unit_loaded)
		klp_unit_notes_free(&t->unit);
	t->unit_loaded = false;
	klp_symset_free(&t->syms);
	free(t->name_head);
	free(t->name_next);
	free(t->unit_checked);
	free(t->last_tu);
	t->unit_checked = NULL;
	t->last_tu = NULL;
	t->name_head = t->name_next = NULL;
	t->has_notes = false;
	if (t->elf.path)
		kelf_close(&t->elf);
	t->elf.path = NULL;
}

int klp_target_need(struct klp_target *t, const char *name)
{
	return t->lean ? klp_symset_need(&t->syms, name) : 0;
}

int klp_target_load(struct klp_target *t)
{
	return t->lean ? klp_symset_load_file(&t->syms, &t->elf) : 0;
}

const struct klp_unit *klp_target_unit(struct klp_target *t, size_t i)
{
	if (!t->lean)
		return &t->notes.units[i];
	if (t->unit_loaded && t->unit_index == i)
		return &t->unit.unit;
	if (t->unit_loaded)
		klp_unit_notes_free(&t->unit);
	t->unit_loaded = false;
	if (klp_notes_read_unit(&t->elf, &t->notes, &t->spans, i, &t->unit))
		return NULL;
	t->unit_loaded = true;
	t->unit_index = i;
	return &t->unit.unit;
}

const struct kelf_symbol *klp_target_first(const struct klp_target *t, const char *name)
{
	uint32_t i;

	if (t->lean)
		return klp_symset_first(&t->syms, name);
	i = klp_target_first_named(t, name);
	return i ? &t->elf.syms[i] : NULL;
}

const struct kelf_symbol *klp_target_next(const struct klp_target *t,
					  const struct kelf_symbol *s)
{
	uint32_t i;

	if (t->lean)
		return klp_symset_next(s);
	i = klp_target_next_named(t, (uint32_t)s->index);
	return i ? &t->elf.syms[i] : NULL;
}

static int by_kallsyms_order(const void *a, const void *b)
{
	return kallsyms_compare(*(const struct kelf_symbol *const *)a,
				*(const struct kelf_symbol *const *)b);
}

long klp_target_walk(struct klp_target *t, const char *name,
		     const struct kelf_symbol ***out)
{
	const struct kelf_symbol **list = NULL, *s;
	size_t n = 0, cap = 0;

	*out = NULL;
	if (t->lean && !klp_symset_loaded(&t->syms, name) &&
	    (klp_target_need(t, name) || klp_target_load(t)))
		return -1;
	for (s = klp_target_first(t, name); s; s = klp_target_next(t, s)) {
		if (t->is_module ? !module_kallsyms_keeps(&t->elf, s) :
				   !kallsyms_keeps(&t->elf, s))
			continue;
		if (n == cap) {
			const struct kelf_symbol **grown;

			cap = cap ? 2 * cap : 8;
			grown = realloc(list, cap * sizeof(*grown));
			if (!grown) {
				free(list);
				KLP_ERR(t->path, "out of memory walking symbol %s", name);
				return -1;
			}
			list = grown;
		}
		list[n++] = s;
	}
	/* A module's walk is its table order, which the chain already has. */
	if (!t->is_module && n > 1)
		qsort(list, n, sizeof(*list), by_kallsyms_order);
	*out = list;
	return (long)n;
}

struct klp_target *klp_target_find(struct klp_target *targets, size_t n, const char *objname)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(targets[i].objname, objname))
			return &targets[i];
	return NULL;
}

int klp_targets_open(struct klp_target *targets, size_t *n, const char *const *specs,
		     size_t nspecs, bool lean, bool need_notes)
{
	for (*n = 0; *n < nspecs; ++*n) {
		struct klp_target *t = &targets[*n];

		if (lean ? klp_target_open_lean(t, specs[*n], need_notes) :
			   klp_target_open(t, specs[*n], need_notes))
			return -1;
		if (klp_target_find(targets, *n, t->objname)) {
			KLP_ERR(t->path, "two targets are object %s; give each its name with "
				"--target OBJ=FILE", t->objname);
			++*n;
			return -1;
		}
	}
	return 0;
}
