/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inline-tree.cc - every function whose body was inlined, even where
 * the inlined code was optimised away afterwards.
 *
 * The BLOCK tree that records.cc reads before "final" loses the scope of
 * an inlined body that left no statements (remove_unused_locals prunes
 * it), yet a change to that function may change its host: a constant it
 * returned made a branch dead.  So the inline decisions themselves are
 * recorded, from the call graph: once a call is inlined, GCC removes the
 * callee's inline clone (its inlined_to is the function it went into),
 * while the caller is the function being compiled.
 *
 *  - early inliner: NAME into HOST's body, before IPA ("early" sets);
 *  - IPA inline transform: NAME into the function being expanded ("ipa"
 *    sets, for the emitted function itself only: each inlined copy of a
 *    function gets its own IPA decisions).
 *
 * A body inlined at IPA time is the one the early passes left, so an
 * emitted function also holds what was early-inlined into the functions
 * it inlined, transitively.  ipa-split cuts a body in two after early
 * inlining: a pass right before and right after "fnsplit" records which
 * inlined functions still have statements in each part; a function whose
 * code was gone before the split is counted in both.  Those "body" sets
 * replace the early ones.
 *
 * Everything is kept by name (the notes are by name; trees of removed
 * functions may be garbage-collected), and observed only: no pass here
 * changes the IL.
 */
#include "klp-plugin.h"
#include "hash-map.h"
#include "hash-set.h"
#include "tree-ssa-alias.h"
#include "gimple-expr.h"
#include "gimple.h"
#include "gimple-iterator.h"

#include <string.h>

struct nameset {
	const char **v;
	unsigned n, cap;
};

typedef hash_map<nofree_string_hash, nameset> nameset_map;

struct klp_inline_sets {
	hash_map<nofree_string_hash, const char *> interned;
	nameset_map early;	/* early inliner: host -> inlined */
	nameset_map body;	/* what a body holds when IPA starts */
	nameset_map ipa;	/* IPA inliner: emitted function -> inlined */
	nameset pre_split;	/* the current function's, right before fnsplit */
	int pre_split_uid;
};

/* One copy of every name, so that sets compare pointers. */
static const char *intern(struct klp_inline_sets *in, const char *s)
{
	const char **p = in->interned.get(s);
	char *copy;

	if (p)
		return *p;
	copy = xstrdup(s);
	in->interned.put(copy, copy);
	return copy;
}

static bool set_has(const nameset *s, const char *name)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->v[i] == name)
			return true;
	return false;
}

static void set_add(nameset *s, const char *name)
{
	if (set_has(s, name))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = XRESIZEVEC(const char *, s->v, s->cap);
	}
	s->v[s->n++] = name;
}

static nameset *set_of(struct klp_inline_sets *in, nameset_map *map, const char *key)
{
	return &map->get_or_insert(intern(in, key));
}

/* The source function a decl was made from, by name; NULL if unnamed. */
static const char *source_name(struct klp_inline_sets *in, tree decl)
{
	const char *name = klp_origin_name(DECL_ORIGIN(decl));

	return name ? intern(in, name) : NULL;
}

/*
 * A call was inlined and its inline clone is going away: record it for
 * the function being compiled, the clone's root.  Inline clones that go
 * away for other reasons (their root was unreachable) are not expanded
 * while their root is cfun.
 */
static void node_removed(cgraph_node *node, void *sets)
{
	struct klp_inline_sets *in = (struct klp_inline_sets *)sets;
	const char *host, *name;

	if (!node->inlined_to || !cfun || cfun->decl != node->inlined_to->decl)
		return;
	host = klp_origin_name(cfun->decl);
	name = source_name(in, node->decl);
	if (!host || !name || !strcmp(host, name))
		return;
	set_add(set_of(in, symtab->state >= EXPANSION ? &in->ipa : &in->early, host), name);
}

/* Inlined functions some statement of FN still comes from. */
static void stmt_origins(struct klp_inline_sets *in, function *fn, nameset *out)
{
	hash_set<tree> seen;
	tree self = DECL_ORIGIN(fn->decl);
	basic_block bb;

	FOR_EACH_BB_FN(bb, fn) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi);
		     gsi_next(&gsi)) {
			tree b = gimple_block(gsi_stmt(gsi));

			for (; b && TREE_CODE(b) == BLOCK; b = BLOCK_SUPERCONTEXT(b)) {
				tree origin;

				if (seen.add(b))
					break;	/* and everything above it */
				if (!inlined_function_outer_scope_p(b))
					continue;
				origin = block_ultimate_origin(b);
				if (origin && TREE_CODE(origin) == FUNCTION_DECL
				    && DECL_ORIGIN(origin) != self) {
					const char *name = source_name(in, origin);

					if (name)
						set_add(out, name);
				}
			}
		}
	}
}

static void before_split(struct klp_inline_sets *in, function *fn)
{
	in->pre_split.n = 0;
	in->pre_split_uid = symtab->cgraph_max_uid;
	if (fn->cfg)
		stmt_origins(in, fn, &in->pre_split);
}

/* The body of a function made by fnsplit, or of what it left behind. */
static void record_body(struct klp_inline_sets *in, const char *name, function *fn,
			const nameset *early)
{
	nameset *body = set_of(in, &in->body, name);

	body->n = 0;
	/* gone before the split: either part may have held it */
	for (unsigned i = 0; early && i < early->n; i++)
		if (!set_has(&in->pre_split, early->v[i]))
			set_add(body, early->v[i]);
	stmt_origins(in, fn, body);
}

static void after_split(struct klp_inline_sets *in, function *fn)
{
	const char *name = klp_origin_name(fn->decl);
	const nameset *early;
	cgraph_node *node;

	if (!name || !fn->cfg)
		return;
	early = in->early.get(name);
	record_body(in, name, fn, early);
	if (symtab->cgraph_max_uid == in->pre_split_uid)
		return;		/* not split */
	FOR_EACH_FUNCTION(node) {
		function *part = DECL_STRUCT_FUNCTION(node->decl);
		const char *part_name;

		if (node->get_uid() < in->pre_split_uid || !node->split_part || !part
		    || !part->cfg || DECL_ORIGIN(node->decl) != DECL_ORIGIN(fn->decl))
			continue;
		part_name = klp_origin_name(node->decl);
		if (part_name)
			record_body(in, part_name, part, early);
	}
}

/* What a function's body held when IPA started: recorded, or early. */
static const nameset *body_of(struct klp_inline_sets *in, const char *name)
{
	const nameset *s = in->body.get(name);

	return s ? s : in->early.get(name);
}

static void add_all(struct klp_func *fn, const nameset *s, const char *self)
{
	for (unsigned i = 0; s && i < s->n; i++)
		if (strcmp(s->v[i], self) && strcmp(s->v[i], fn->name))
			klp_add_inlined(fn, s->v[i]);
}

/*
 * Complete FN's list (so far from its BLOCK tree): its own body, of its
 * origin for an IPA clone; its IPA decisions; then, transitively, the
 * bodies of everything listed.
 */
void klp_inline_tree_complete(struct klp_inline_sets *in, struct klp_func *fn, tree decl)
{
	const char *self = klp_origin_name(DECL_ORIGIN(decl));
	const nameset *own = body_of(in, fn->name);

	if (!self)
		self = fn->name;
	if (!own && fn->origin)
		own = body_of(in, fn->origin);
	add_all(fn, own, self);
	add_all(fn, in->ipa.get(fn->name), self);
	for (unsigned i = 0; i < fn->ninlined; i++)
		add_all(fn, body_of(in, fn->inlined[i]), self);
}

KLP_GIMPLE_PASS(before_split_pass, "klp_presplit", before_split(st->inlines, fun));
KLP_GIMPLE_PASS(after_split_pass, "klp_postsplit", after_split(st->inlines, fun));

static void start_unit(void *, void *sets)
{
	symtab->add_cgraph_removal_hook(node_removed, sets);
}

void klp_inline_tree_init(struct klp_state *st, const char *plugin_name)
{
	static struct register_pass_info before, after;

	st->inlines = new klp_inline_sets();

	before.pass = new before_split_pass(g, st);
	before.reference_pass_name = "fnsplit";
	before.ref_pass_instance_number = 1;
	before.pos_op = PASS_POS_INSERT_BEFORE;
	after.pass = new after_split_pass(g, st);
	after.reference_pass_name = "fnsplit";
	after.ref_pass_instance_number = 1;
	after.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &before);
	register_callback(plugin_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &after);
	register_callback(plugin_name, PLUGIN_START_UNIT, start_unit, st->inlines);
}
