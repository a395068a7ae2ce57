/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes-internal.h - the decoder notes.c shares with notes-index.c.
 */
#ifndef KLP_NOTES_INTERNAL_H
#define KLP_NOTES_INTERNAL_H

#include "notes.h"

/*
 * Reading context: the file, its notes section, its relocations, and
 * where the note bytes come from: the section in memory (klp_notes_read),
 * a copy of one unit's notes (klp_notes_read_unit), or the file through a
 * bounded window (klp_notes_index).
 */
struct reader {
	struct kelf *k;
	const struct kelf_section *sec;
	const struct kelf_reloc *relocs;
	long nrelocs;
	const unsigned char *mem;	/* section bytes from offset base, or NULL */
	uint64_t base;
	struct kelf_stream *stream;	/* without mem */
	struct klp_symaddr **symaddr;	/* names by place, built on first use */
};

/* One note as next_note() found it; desc is valid until the next call. */
struct note {
	uint32_t type, descsz;
	size_t off;
	const unsigned char *desc;
};

/*
 * Read the notes in [start, end) into notes.  With ends (index mode) the
 * symbols are decoded and checked but not kept, unit strings are copied,
 * and ends gets each unit's end offset.  0, or -1 after printing why.
 */
int klp_notes_walk(struct reader *r, uint64_t start, uint64_t end, struct klp_notes *notes,
		   uint64_t **ends);

/* The notes section, or NULL (*ret 1: none; -1: unreadable, printed). */
struct kelf_section *klp_notes_section(struct kelf *k, int *ret);

/* A relocatable file's relocations of the notes section, by offset (none
 * for a linked file).  0, or -1 after printing why. */
int klp_notes_relocs(struct kelf *k, const struct kelf_section *sec,
		     struct kelf_reloc **relocs, long *nrelocs);

#endif /* KLP_NOTES_INTERNAL_H */
