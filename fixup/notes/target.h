/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.h - a file a livepatch patches (vmlinux or a module), its notes,
 * and its symbols by name.
 *
 * A vmlinux is not read whole: its notes are indexed by unit and a unit
 * is decoded when asked for (klp_target_unit()), and only the symbols
 * of the names asked for are read (klp_target_need(), then one pass in
 * klp_target_load()).  A module is small and read whole.
 */
#ifndef KLP_TARGET_H
#define KLP_TARGET_H

#include "../elf/kelf.h"
#include "notes.h"
#include "symset.h"


/* The kernel reads object names with %55[^.] and symbol names with %511[^,]. */
#define KLP_OBJNAME_MAX	55
#define KLP_SYMNAME_MAX	511

struct klp_target {
	const char *path;
	char objname[KLP_OBJNAME_MAX + 1];	/* "vmlinux" or the module name */
	bool is_module;				/* ET_REL: module rules apply */
	bool lean;				/* klp_target_open_lean() */
	struct kelf elf;
	/* Lean: the units without their symbols (klp_target_unit() decodes
	 * one), spans says where each is. */
	struct klp_notes notes;
	struct klp_notes_spans spans;
	bool has_notes;
	/* Per unit: 1 once its notes matched the symbol table (sympos.c) */
	unsigned char *unit_checked;
	/* sympos.c: the last unit path looked up and its unit index */
	char *last_tu;
	size_t last_unit;
	/* Lean: the last unit klp_target_unit() decoded */
	struct klp_unit_notes unit;
	size_t unit_index;
	bool unit_loaded;
	/* Symbols by name.  Not lean: chains of symtab indices, in table
	 * order.  Lean: the symbols of the names asked for. */
	uint32_t *name_head, *name_next;
	size_t name_mask;
	struct klp_symset syms;
};

/*
 * Open spec, "FILE" or "OBJ=FILE".  OBJ defaults to "vmlinux" for a
 * linked file and to the file's base name without .ko/.o, '-' made '_'
 * (as the kernel names modules), for a relocatable one.  need_notes:
 * fail when the file has no .debug_klp.  Every note is checked.  Returns
 * 0 or -1 after printing why.
 *
 * klp_target_open() reads all notes and symbols.  klp_target_open_lean()
 * keeps a vmlinux in the file: its notes are indexed by unit and a unit
 * is decoded when asked for (klp_target_unit()), and only the symbols of
 * the names asked for are read (klp_target_need(), then one pass in
 * klp_target_load()).  A module is small and read whole either way.
 */
int klp_target_open(struct klp_target *t, const char *spec, bool need_notes);
int klp_target_open_lean(struct klp_target *t, const char *spec, bool need_notes);
void klp_target_close(struct klp_target *t);

/* Lean: ask for the symbols named name; klp_target_load() reads them,
 * with all others asked for, in one pass.  Both return 0 or -1 after
 * printing why; without lean they have nothing to do. */
int klp_target_need(struct klp_target *t, const char *name);
int klp_target_load(struct klp_target *t);

/* Unit i of t->notes with its symbols (lean: valid until the next call);
 * NULL after printing why. */
const struct klp_unit *klp_target_unit(struct klp_target *t, size_t i);

/* Not lean: first symtab index named name (0: none); then
 * klp_target_next_named(). */
uint32_t klp_target_first_named(const struct klp_target *t, const char *name);
uint32_t klp_target_next_named(const struct klp_target *t, uint32_t index);

/* Either way: the symbols named name in table order, the first (NULL:
 * none) then klp_target_next(); lean: name must have been loaded. */
const struct kelf_symbol *klp_target_first(const struct klp_target *t, const char *name);
const struct kelf_symbol *klp_target_next(const struct klp_target *t,
					  const struct kelf_symbol *s);

/*
 * The symbols named name that the kernel's lookup visits, in its order
 * (vmlinux: kallsyms; module: core symtab), loading name if it was not.
 * Returns the count and an allocated array in *out (freed by the
 * caller), or -1 after printing why.
 */
long klp_target_walk(struct klp_target *t, const char *name,
		     const struct kelf_symbol ***out);

/* Find a target by object name among n targets, or NULL. */
struct klp_target *klp_target_find(struct klp_target *targets, size_t n, const char *objname);

/*
 * Open the targets of nspecs --target specs into targets[], lean or full
 * (as above), refusing two of one object name.  *n counts those opened,
 * for klp_target_close() also after an error (-1).
 */
int klp_targets_open(struct klp_target *targets, size_t *n, const char *const *specs,
		     size_t nspecs, bool lean, bool need_notes);

#endif /* KLP_TARGET_H */
