/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pairing.h - which symbol of one compile of a unit is which of another's,
 * and whether its code or data changed, from the notes' checksums
 * (docs/checksums.md).  `diff` prints the answer; `build` acts on it.
 */
#ifndef KLP_PAIRING_H
#define KLP_PAIRING_H

#include "notes.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Same code or data?  An all-zero object has no checksum: its size says it. */
bool klp_same_contents(const struct klp_sym *s, const struct klp_sym *t);

/*
 * Pair the symbols of old unit o with those of new unit n: by name with
 * the same contents, then by name but for a compiler-made number with the
 * same contents (one more static elsewhere renamed it: counter.3 is
 * counter.4 now; alike ones in order), then by name (changed), then by
 * that base name when it is unique on both sides.  old_to_new[i] is the
 * new index of old symbol i or SIZE_MAX; new_paired[j] says whether new
 * symbol j has an old one.  Returns 0, or -1 when out of memory.
 */
int klp_pair_symbols(const struct klp_unit *o, const struct klp_unit *n, size_t *old_to_new,
		     bool *new_paired);

/*
 * Is t, which old has no symbol for, one of old's records the link
 * discarded (.exitcall.exit, .modinfo in vmlinux)?  Those have no name
 * left, but their kind and contents say it.  used (o->ndiscarded flags)
 * keeps one record from answering twice.
 */
bool klp_was_discarded(const struct klp_unit *o, const struct klp_sym *t, bool *used);

/*
 * Can the checksums of the two units be compared at all (same producer,
 * same ppc64le call mode)?  0, or -1 after saying why and what to do.
 */
int klp_units_comparable(const char *old_file, const struct klp_unit *o,
			 const char *new_file, const struct klp_unit *n);

#endif /* KLP_PAIRING_H */
