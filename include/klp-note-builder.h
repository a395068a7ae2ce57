/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-note-builder.h - write one unit's .debug_klp note (klp-notes.h)
 * through a compiler's assembler.
 *
 * Both plugins use it: they supply their compiler's values (names, flags,
 * checksums, and sizes or offsets as differences of labels the assembler
 * resolves) and an emitter that knows how that compiler writes bytes,
 * integers, label differences and relocations.  The builder owns the
 * layout: the string table, string references, ULEB/SLEB encodings,
 * padding, the descriptor size and the unit id.
 */
#ifndef KLP_NOTE_BUILDER_H
#define KLP_NOTE_BUILDER_H

#include "klp-notes.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A label or symbol as the emitter knows it (gcc: its name; clang: an MCSymbol). */
typedef const void *klp_label_ref;

/* A value: constant + (a - b) when a is set (b then is set too). */
struct klp_value {
	uint64_t constant;
	klp_label_ref a, b;
};

struct klp_emitter {
	void *ctx;
	/* raw bytes */
	void (*bytes)(void *ctx, const void *p, size_t n);
	/* an integer of `size` bytes (2, 4, 8) in the target's byte order */
	void (*fixed)(void *ctx, struct klp_value v, unsigned size);
	void (*uleb)(void *ctx, struct klp_value v);
	/* 8 zero bytes with a 64-bit absolute relocation against sym */
	void (*addr)(void *ctx, klp_label_ref sym);
	/* a new label, not yet placed; then place it here */
	klp_label_ref (*new_label)(void *ctx);
	void (*place)(void *ctx, klp_label_ref label);
	/* pad with zeros to a multiple of n bytes */
	void (*align)(void *ctx, unsigned n);
};

/* One symbol of the unit. */
struct klp_symbol_info {
	const char *name;
	unsigned kind;			/* enum klp_sym_kind */
	unsigned flags;			/* KLP_SYM_*, presence flags left to the builder */
	klp_label_ref where;		/* address relocation target; NULL: none */
	struct klp_value size;
	uint64_t checksum;		/* unless KLP_SYM_ZERO (an all-zero object) */
	unsigned site_kind;		/* with KLP_SYM_SITE */
	struct klp_value site;		/* with KLP_SYM_SITE: site label - symbol */
	bool has_prefix;
	struct klp_value prefix;	/* symbol - label at the padding's start */
	const char *origin;		/* or NULL */
	bool mergeable;			/* an object in a section the linker merges
					 * (SHF_MERGE): another unit's equal
					 * constant may share its address */
	const char *const *inlined;
	size_t ninlined;
};

struct klp_unit_info {
	const char *path, *producer;
	unsigned flags;			/* KLP_UNIT_* */
	unsigned machine;		/* ELF e_machine */
	bool big_endian;		/* the target's byte order */
};

/* "klp.so 0.3.0": what the unit's plugin string says. */
#define KLP_PLUGIN_STRING(name)	name " " KLP_RELEASE

/*
 * Write the unit's note in the current section (the caller has switched
 * to KLP_NOTES_SECTION).  plugin: KLP_PLUGIN_STRING(...).  Returns 0, or
 * -1 when memory runs out (nothing sensible was written; the caller
 * reports an error, so the compile fails instead of lacking notes).
 */
int klp_build_unit_note(const struct klp_emitter *e, const struct klp_unit_info *unit,
			const char *plugin, const struct klp_symbol_info *syms, size_t nsyms);

/* The unit id over path, producer and every symbol's kind, name and checksum. */
uint64_t klp_unit_id(const struct klp_unit_info *unit, const struct klp_symbol_info *syms,
		     size_t nsyms);

#ifdef __cplusplus
}
#endif

#endif /* KLP_NOTE_BUILDER_H */
