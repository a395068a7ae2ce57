/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * target.h - a file a livepatch patches (vmlinux or a module), its notes,
 * and its symbols by name, read lazily by every command.
 *
 * No file is read whole on open: the notes are indexed by unit, and a unit
 * is decoded when first asked for (klp_target_unit()) and then kept; the
 * symbols of the names asked for are read in one pass
 * (klp_target_need(), then klp_target_load()).  A module's notes name its
 * symbols by index, so its symbol table is read on open; it is small.
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
	struct kelf elf;
	/* The units without their symbols (klp_target_unit() decodes one);
	 * spans says where each is. */
	struct klp_notes notes;
	struct klp_notes_spans spans;
	bool has_notes;
	/* Per unit: its notes once decoded, kept until close */
	struct klp_unit_notes **decoded;
	/* The last unit klp_target_peek_unit() decoded without keeping it */
	struct klp_unit_notes *peeked;
	size_t peeked_index;
	/* The symbols of the names asked for (all of a module's) */
	struct klp_symset syms;
};

/*
 * Open spec, "FILE" or "OBJ=FILE".  OBJ defaults to "vmlinux" for a
 * linked file and to the file's base name without .ko/.o, '-' made '_'
 * (as the kernel names modules), for a relocatable one.  need_notes:
 * fail when the file has no .debug_klp.  Every note is checked.  Returns
 * 0 or -1 after printing why.
 */
int klp_target_open(struct klp_target *t, const char *spec, bool need_notes);
void klp_target_close(struct klp_target *t);

/* Ask for the symbols named name; klp_target_load() reads them, with all
 * others asked for, in one pass.  Both return 0 or -1 after printing why. */
int klp_target_need(struct klp_target *t, const char *name);
int klp_target_load(struct klp_target *t);

/* Unit i of t->notes with its symbols, decoded on the first call and
 * valid until klp_target_close(); NULL after printing why. */
const struct klp_unit *klp_target_unit(struct klp_target *t, size_t i);

/* The same, valid only until the next klp_target_peek_unit() of another
 * unit: for a reader that visits units one after the other (the
 * resolver), so that a large file's units are not all held. */
const struct klp_unit *klp_target_peek_unit(struct klp_target *t, size_t i);

/* The symbols named name in table order, the first (NULL: none) then
 * klp_target_next(); name must have been loaded. */
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
 * Open the targets of nspecs --target specs into targets[], refusing two
 * of one object name.  *n counts those opened, for klp_target_close()
 * also after an error (-1).
 */
int klp_targets_open(struct klp_target *targets, size_t *n, const char *const *specs,
		     size_t nspecs, bool need_notes);

#endif /* KLP_TARGET_H */
