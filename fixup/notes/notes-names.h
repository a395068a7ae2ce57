/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes-names.h - names of records that leave them to the symbol table.
 */
#ifndef KLP_NOTES_NAMES_H
#define KLP_NOTES_NAMES_H

#include "notes.h"

/* The file's functions and objects by place, built on first use. */
struct klp_symaddr;

/*
 * Give s (located, without a name) the name of the one symbol of its
 * kind and binding at its place; a symbol the link discarded keeps none,
 * and so does one that several symbols fit equally (after a warning).
 * Returns 0, or -1 after printing why (none there: another build).
 */
int klp_notes_name(struct kelf *k, struct klp_symaddr **cache, struct klp_sym *s);
void klp_symaddr_free(struct klp_symaddr *a);

#endif /* KLP_NOTES_NAMES_H */
