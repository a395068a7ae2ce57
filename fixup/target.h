/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.h - a file a livepatch patches (vmlinux or a module), its notes,
 * and its symbols by name.
 */
#ifndef KLP_TARGET_H
#define KLP_TARGET_H

#include "kelf.h"
#include "notes.h"

/* The kernel reads object names with %55[^.] and symbol names with %511[^,]. */
#define KLP_OBJNAME_MAX	55
#define KLP_SYMNAME_MAX	511

struct klp_target {
	const char *path;
	char objname[KLP_OBJNAME_MAX + 1];	/* "vmlinux" or the module name */
	bool is_module;				/* ET_REL: module rules apply */
	struct kelf elf;
	struct klp_notes notes;
	bool has_notes;
	/* Per unit: 1 once its notes matched the symbol table (sympos.c) */
	unsigned char *unit_checked;
	/* sympos.c: the last unit path looked up and its unit */
	char *last_tu;
	const struct klp_unit *last_unit;
	/* Symbols by name: chains of symtab indices, in table order. */
	uint32_t *name_head, *name_next;
	size_t name_mask;
};

/*
 * Open spec, "FILE" or "OBJ=FILE".  OBJ defaults to "vmlinux" for a
 * linked file and to the file's base name without .ko/.o, '-' made '_'
 * (as the kernel names modules), for a relocatable one.  need_notes:
 * fail when the file has no .debug_klp.  Returns 0 or -1 after printing
 * why.
 */
int klp_target_open(struct klp_target *t, const char *spec, bool need_notes);
void klp_target_close(struct klp_target *t);

/* First symtab index named name (0: none); then klp_target_next_named(). */
uint32_t klp_target_first_named(const struct klp_target *t, const char *name);
uint32_t klp_target_next_named(const struct klp_target *t, uint32_t index);

/*
 * The symbols named name that the kernel's lookup visits, in its order
 * (vmlinux: kallsyms; module: core symtab).  Returns the count and an
 * allocated array in *out (freed by the caller), or -1 on no memory.
 */
long klp_target_walk(const struct klp_target *t, const char *name,
		     const struct kelf_symbol ***out);

/* Find a target by object name among n targets, or NULL. */
struct klp_target *klp_target_find(struct klp_target *targets, size_t n, const char *objname);

#endif /* KLP_TARGET_H */
