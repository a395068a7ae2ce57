/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * records.cc - what the plugin learns about each emitted function.
 *
 * Runs around "final" for every function GCC emits, so it sees the
 * function as it really goes out: IPA clones under their clone names,
 * the .cold part if the body was split, and the BLOCK tree that still
 * remembers which functions were inlined into it.
 */
#include "klp-plugin.h"

#include <string.h>

/* The symbol name the assembler will see (no '*' encoding prefix). */
const char *klp_decl_name(tree decl)
{
	const char *name = IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(decl));

	return targetm.strip_name_encoding(name);
}

/* Name of a decl we did not emit; never forces an assembler name on it.
 * Only decls with linkage have an assembler name at all: a LABEL_DECL
 * (&&label in an initializer, GCC's labels as values) has its own name
 * only, and reading an assembler name from it reads past the node. */
const char *klp_origin_name(tree decl)
{
	if (HAS_DECL_ASSEMBLER_NAME_P(decl) && DECL_ASSEMBLER_NAME_SET_P(decl))
		return klp_decl_name(decl);
	return DECL_NAME(decl) ? IDENTIFIER_POINTER(DECL_NAME(decl)) : NULL;
}

struct klp_func *klp_new_func(struct klp_funcs *f)
{
	struct klp_func *fn;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->v = XRESIZEVEC(struct klp_func, f->v, f->cap);
	}
	fn = &f->v[f->n++];
	memset(fn, 0, sizeof(*fn));
	fn->end = -1;
	fn->begin = -1;
	return fn;
}

/* The function this clone was made from, if it is an IPA clone. */
static tree clone_origin(tree decl)
{
	cgraph_node *node = cgraph_node::get(decl);
	tree origin = NULL_TREE;

	if (node && node->former_clone_of)
		origin = node->former_clone_of;
	else if (DECL_ABSTRACT_ORIGIN(decl))
		origin = DECL_ORIGIN(decl);
	return origin && origin != decl ? origin : NULL_TREE;
}

void klp_add_inlined(struct klp_func *fn, const char *name)
{
	for (unsigned i = 0; i < fn->ninlined; i++)
		if (!strcmp(fn->inlined[i], name))
			return;
	fn->inlined = XRESIZEVEC(char *, fn->inlined, fn->ninlined + 1);
	fn->inlined[fn->ninlined++] = xstrdup(name);
}

/* Every function whose body was inlined somewhere in this BLOCK tree. */
static void collect_inlined(struct klp_func *fn, tree block, tree self)
{
	for (; block && TREE_CODE(block) == BLOCK; block = BLOCK_CHAIN(block)) {
		if (inlined_function_outer_scope_p(block)) {
			tree origin = block_ultimate_origin(block);

			if (origin && TREE_CODE(origin) == FUNCTION_DECL && origin != self) {
				const char *name = klp_origin_name(DECL_ORIGIN(origin));

				if (name)
					klp_add_inlined(fn, name);
			}
		}
		collect_inlined(fn, BLOCK_SUBBLOCKS(block), self);
	}
}

/*
 * Called right before "final": the BLOCK tree is still there (final
 * releases it), and the assembly is about to be captured.
 */
void klp_begin_function(struct klp_state *st, tree decl)
{
	struct klp_func *fn;
	tree origin;

	fn = klp_new_func(&st->emitted);
	st->pending = fn - st->emitted.v;
	fn->name = xstrdup(klp_decl_name(decl));
	if (!TREE_PUBLIC(decl))
		fn->flags |= KLP_SYM_LOCAL;
	if (DECL_WEAK(decl))
		fn->flags |= KLP_SYM_WEAK;
	/* the attribute, not DECL_NO_INSTRUMENT_FUNCTION_ENTRY_EXIT: GCC sets
	 * that on every function when profiling is off */
	if (lookup_attribute("no_instrument_function", DECL_ATTRIBUTES(decl)))
		fn->flags |= KLP_SYM_NOTRACE;
	origin = clone_origin(decl);
	if (origin) {
		const char *name = klp_origin_name(origin);

		if (name && strcmp(name, fn->name)) {
			fn->origin = xstrdup(name);
			fn->flags |= KLP_SYM_CLONE;
		}
	}
	collect_inlined(fn, DECL_INITIAL(decl), DECL_ORIGIN(decl));
	/* and what left no scope behind (inline-tree.cc) */
	klp_inline_tree_complete(st->inlines, fn, decl);
	klp_collect_constants(st->constants);
	klp_asm_capture_begin(&st->capture);
}

/* Called right after "final": the function's assembly is complete. */
void klp_end_function(struct klp_state *st)
{
	struct klp_func cold;

	if (st->pending < 0)
		return;
	memset(&cold, 0, sizeof(cold));
	cold.end = -1;
	cold.begin = -1;
	klp_asm_capture_end(st, &st->emitted.v[st->pending], &cold);
	if (cold.name) {
		/* the vector may move in klp_new_func(): copy the name first */
		char *origin = xstrdup(st->emitted.v[st->pending].name);
		struct klp_func *c = klp_new_func(&st->emitted);

		*c = cold;
		c->origin = origin;
		c->flags = KLP_SYM_LOCAL | KLP_SYM_COLD;
	}
	st->pending = -1;
}
