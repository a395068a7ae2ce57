/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sympos.h - from (source path, symbol name) to the symbol a target has
 * and the position the kernel's livepatch lookup gives it.
 */
#ifndef KLP_SYMPOS_H
#define KLP_SYMPOS_H

#include "../notes/target.h"

struct klp_resolution {
	const struct klp_unit *unit;		/* NULL when no path was given; the
						 * index's: path and id, syms NULL */
	const struct kelf_symbol *sym;		/* the target's symbol */
	unsigned long pos;			/* sympos: 0 when the name is unique */
	size_t count;				/* symbols of that name the kernel sees */
	bool unseen;				/* in the symbol table, but not among the
						 * symbols the kernel's lookup sees (only
						 * with klp_resolver.unseen_ok) */
};

/*
 * The resolver of one target: what it learnt while resolving, so that
 * references to one file, and a unit's check against the symbol table,
 * cost once.
 */
struct klp_resolver {
	struct klp_target *t;
	unsigned char *unit_checked;	/* per unit: 1 once its notes matched the symbol table */
	char *last_tu;			/* the last unit path looked up */
	size_t last_unit;		/* and its unit index */
	bool unseen_ok;			/* a symbol the kernel's lookup does not see
					 * (a module's init code) resolves, with
					 * r->unseen set, instead of an error: for
					 * commands that report it as a fact */
};

/* 0, or -1 after printing why (no memory). */
int klp_resolver_init(struct klp_resolver *rs, struct klp_target *t);
void klp_resolver_free(struct klp_resolver *rs);

/* One resolver per target, rs[i] for targets[i]: 0, or -1 after printing
 * why.  klp_resolvers_free() frees all n, also after an error. */
int klp_resolvers_init(struct klp_resolver *rs, struct klp_target *targets, size_t n);
void klp_resolvers_free(struct klp_resolver *rs, size_t n);

/*
 * Resolve name in the translation unit whose recorded path is tu (exact,
 * or a unique suffix starting after a '/').  An empty tu asks for a name
 * that is unique in the target.  Returns 0, or -1 after printing a
 * message naming the file, the unit, the symbol and the fix.
 */
int klp_resolve(struct klp_resolver *rs, const char *tu, const char *name,
		struct klp_resolution *r);

/*
 * Say that klp_resolve(rs, tu, name) will follow, so that the symbols it
 * needs are read, with those of the other references, in the one pass
 * of klp_target_load().  Errors of the reference itself are left to
 * klp_resolve().  Returns 0, or -1 after printing why (no memory, a
 * read error).
 */
int klp_resolve_want(struct klp_resolver *rs, const char *tu, const char *name);

/* Does the recorded unit path equal tu (2), or end in "/" tu (1), or not (0)? */
int klp_path_match(const char *path, const char *tu);
/* The same, with both lengths known. */
int klp_path_match_n(const char *path, size_t n, const char *tu, size_t m);

#endif /* KLP_SYMPOS_H */
