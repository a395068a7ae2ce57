/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symset.h - the symbols of a target that carry one of a chosen set of
 * names.  A livepatch lookup only ever compares symbols of one name
 * (symtab-order.c), so a vmlinux's symbol table need not be held: the
 * names are asked for first, then one pass over .strtab and .symtab
 * finds all their symbols.
 */
#ifndef KLP_SYMSET_H
#define KLP_SYMSET_H

#include "../elf/kelf.h"

struct klp_symset_name;
struct klp_symset_block;

struct klp_symset {
	const char *path;			/* for messages */
	struct klp_symset_name **slots;		/* open addressing by name hash */
	size_t mask, nnames, npending, maxlen;	/* maxlen: longest pending name */
	bool all;				/* every name is loaded */
	struct klp_symset_block *blocks;	/* where the symbols live */
};

void klp_symset_init(struct klp_symset *ss, const char *path);
void klp_symset_free(struct klp_symset *ss);

/* Ask for the symbols named name at the next load.  0, or -1 (printed). */
int klp_symset_need(struct klp_symset *ss, const char *name);

/* Find the symbols of every name asked for since the last load, reading
 * the file's .strtab and .symtab in bounded chunks.  0, or -1 (printed). */
int klp_symset_load_file(struct klp_symset *ss, struct kelf *k);

/* The same from k->syms (a file opened with kelf_open() or after
 * kelf_load_symbols()); with all, every name is loaded. */
int klp_symset_load_memory(struct klp_symset *ss, const struct kelf *k, bool all);

/* Have the symbols named name been loaded (possibly none)? */
bool klp_symset_loaded(const struct klp_symset *ss, const char *name);

/* The loaded symbols of one name, in table order; NULL ends. */
const struct kelf_symbol *klp_symset_first(const struct klp_symset *ss, const char *name);
const struct kelf_symbol *klp_symset_next(const struct kelf_symbol *s);

#endif /* KLP_SYMSET_H */
