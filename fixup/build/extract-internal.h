/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract-internal.h - what the files of the extraction share
 * (extract.c: pieces and relocations; extract-special.c: special-section
 * entries; extract-changed.c: the functions a patch changes, its records).
 */
#ifndef KLP_EXTRACT_INTERNAL_H
#define KLP_EXTRACT_INTERNAL_H

#include "extract.h"
#include "special.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum change { UNNOTED, SAME, CHANGED, NEW };

struct piece {
	size_t in_sec;
	uint64_t start, end;
	size_t out_sec;			/* writer section index + 1 */
	uint64_t out_off;
	bool done;			/* relocations copied */
};

struct special_state {
	const struct klp_special *sp;
	size_t sec, parallel_sec;	/* input indices, 0 none */
	struct kelf_reloc *relocs;
	long nrelocs;
	bool *taken;
	size_t nentries;
};

struct extract {
	const struct klp_extract_in *in;
	struct kelf *k;
	struct kelf_writer *w;
	struct klp_extract_out *out;
	/* per input symbol */
	const struct klp_sym **note;
	size_t *out_sym;		/* writer symbol, 0 none yet */
	/* per input section */
	bool *is_text_kept;
	size_t *out_sec_sym;		/* writer section symbol of the output section */
	struct piece *pieces;
	size_t npieces;
	struct special_state *specials;
	size_t nspecials;
	bool *ignored;			/* per input symbol: KLP_BUILD_IGNORE_FUNCTION */
};

/* extract.c */
const char *ex_sym_name(const struct extract *e, size_t i);
enum change ex_change_of(const struct extract *e, const struct klp_sym *n);
const char *ex_old_name_of(const struct extract *e, const struct klp_sym *n);
long ex_add_piece_linked(struct extract *e, size_t sec, uint64_t start, uint64_t end,
			 size_t link);
long ex_add_piece(struct extract *e, size_t sec, uint64_t start, uint64_t end);
long ex_piece_at(const struct extract *e, size_t sec, uint64_t off);
long ex_covering_symbol(const struct extract *e, size_t sec, uint64_t off);
int ex_keep_symbol(struct extract *e, size_t i);
bool ex_is_cold(const char *name);
bool ex_section_writable(const struct kelf_section *s);

/* extract-special.c */
bool ex_in_kept_text(const struct extract *e, size_t sec);
int ex_open_specials(struct extract *e);
long ex_take_entries(struct extract *e);
int ex_check_unknown_tables(struct extract *e);

/* extract-changed.c */
int ex_read_records(struct extract *e);
int ex_start_changed(struct extract *e);

#endif /* KLP_EXTRACT_INTERNAL_H */
