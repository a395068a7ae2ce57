/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.c - open a target (vmlinux or module), index its notes and decode
 * a unit when asked, find its symbols by name, and walk the symbols of one
 * name as the kernel does (symtab-order.c has the rules).
 */
#include "target.h"
#include "symtab-order.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

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

static struct klp_unit_notes *decode(struct klp_target *t, size_t i)
{
	struct klp_unit_notes *un = calloc(1, sizeof(*un));

	if (!un) {
		KLP_ERR(t->path, "out of memory for unit %s", t->notes.units[i].path);
		return NULL;
	}
	if (klp_notes_read_unit(&t->elf, &t->notes, &t->spans, i, un)) {
		free(un);
		return NULL;
	}
	return un;
}

static void drop(struct klp_unit_notes *un)
{
	if (un)
		klp_unit_notes_free(un);
	free(un);
}

int klp_target_open(struct klp_target *t, const char *spec, bool need_notes)
{
	const struct kelf_section *symtab;
	int ret;

	memset(t, 0, sizeof(*t));
	klp_symset_init(&t->syms, spec);
	if (parse_spec(t, spec))
		return -1;
	t->syms.path = t->path;
	if (kelf_open_lazy(&t->elf, t->path))
		return -1;
	t->is_module = kelf_is_relocatable(&t->elf);
	if (!t->objname[0]) {
		if (!t->is_module)
			strcpy(t->objname, "vmlinux");
		else if (module_name(t, t->path))
			goto fail;
	}
	/* A module is small, and its notes name its symbols by index. */
	if (t->is_module && (kelf_load_symbols(&t->elf) ||
			     klp_symset_load_memory(&t->syms, &t->elf, true)))
		goto fail;
	symtab = kelf_symtab(&t->elf);
	if (t->is_module ? !t->elf.nsyms : !symtab || !symtab->size) {
		KLP_ERR(t->path, "no symbol table: the kernel's symbol order cannot be known "
			"from a stripped file; use the unstripped %s", t->is_module ? "module" :
			"vmlinux");
		goto fail;
	}
	ret = klp_notes_index(&t->elf, &t->notes, &t->spans);
	if (ret < 0)
		goto fail;
	t->has_notes = ret == 0;
	t->decoded = calloc(t->notes.nunits ? t->notes.nunits : 1, sizeof(*t->decoded));
	if (!t->decoded) {
		KLP_ERR(t->path, "out of memory");
		goto fail;
	}
	if (!t->has_notes && need_notes) {
		KLP_ERR(t->path, "no %s section: positions come from the notes of the klp "
			"plugin; rebuild the target with -fplugin=klp.so (and for vmlinux with "
			"integration/kernel/keep-debug-klp.patch applied)", KLP_NOTES_SECTION);
		goto fail;
	}
	return 0;
fail:
	klp_target_close(t);
	return -1;
}

void klp_target_close(struct klp_target *t)
{
	for (size_t i = 0; t->decoded && i < t->notes.nunits; i++)
		if (t->decoded[i]) {
			klp_unit_notes_free(t->decoded[i]);
			free(t->decoded[i]);
		}
	free(t->decoded);
	t->decoded = NULL;
	drop(t->peeked);
	t->peeked = NULL;
	if (t->has_notes)
		klp_notes_index_free(&t->notes, &t->spans);
	t->has_notes = false;
	klp_symset_free(&t->syms);
	if (t->elf.path)
		kelf_close(&t->elf);
	t->elf.path = NULL;
}

int klp_target_need(struct klp_target *t, const char *name)
{
	return klp_symset_need(&t->syms, name);
}

int klp_target_load(struct klp_target *t)
{
	return klp_symset_load_file(&t->syms, &t->elf);
}

const struct klp_unit *klp_target_unit(struct klp_target *t, size_t i)
{
	struct klp_unit_notes *un = t->decoded[i];

	if (un)
		return &un->unit;
	if (t->peeked && t->peeked_index == i) {
		un = t->peeked;		/* kept from now on, where it is */
		t->peeked = NULL;
	} else if (!(un = decode(t, i))) {
		return NULL;
	}
	t->decoded[i] = un;
	return &un->unit;
}

const struct klp_unit *klp_target_peek_unit(struct klp_target *t, size_t i)
{
	if (t->decoded[i])
		return &t->decoded[i]->unit;
	if (t->peeked && t->peeked_index == i)
		return &t->peeked->unit;
	drop(t->peeked);
	t->peeked = decode(t, i);
	t->peeked_index = i;
	return t->peeked ? &t->peeked->unit : NULL;
}

const struct kelf_symbol *klp_target_first(const struct klp_target *t, const char *name)
{
	return klp_symset_first(&t->syms, name);
}

const struct kelf_symbol *klp_target_next(const struct klp_target *t,
					  const struct kelf_symbol *s)
{
	(void)t;
	return klp_symset_next(s);
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
	if (!klp_symset_loaded(&t->syms, name) &&
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
		     size_t nspecs, bool need_notes)
{
	for (*n = 0; *n < nspecs; ++*n) {
		struct klp_target *t = &targets[*n];

		if (klp_target_open(t, specs[*n], need_notes))
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
