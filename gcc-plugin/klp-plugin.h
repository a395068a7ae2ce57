/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-plugin.h - what the pieces of klp.so share.
 *
 * klp.cc        plugin_init: checks, arguments, registration
 * asm-scan.cc   captures each function's final assembly and drops
 *               zero-size labels at its patch site, prefix and end
 * records.cc    per-function and per-variable facts (clones, inlining)
 * inline-tree.cc inline decisions, also of code optimised away later
 * checksum.cc   per-function checksums from the captured assembly
 * checksum-data.cc  local objects' checksums from their initializers
 * emit.cc       writes the .debug_klp notes at the end of the unit
 * ppc-calls.cc  ppc64: calls to local functions keep their nop
 */
#ifndef KLP_PLUGIN_H
#define KLP_PLUGIN_H

#include "gcc-plugin.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "rtl.h"
#include "cgraph.h"
#include "output.h"
#include "varasm.h"
#include "target.h"
#include "diagnostic-core.h"
#include "stringpool.h"
#include "attribs.h"
#include "file-prefix-map.h"
#include "toplev.h"

#include "../include/klp-note-builder.h"
#include "../include/klp-options.h"

#define KLP_PLUGIN_NAME		"klp.so"
#define KLP_PLUGIN_VERSION	KLP_RELEASE
/* the target this klp.so is built for (CMakeLists.txt defines one) */
#if defined(KLP_TARGET_PPC64)
#define KLP_TARGET_NAME		"ppc64le"
#elif defined(KLP_TARGET_S390)
#define KLP_TARGET_NAME		"s390x"
#else
#define KLP_TARGET_NAME		"x86_64"
#endif

/* Where the assembler measures something for us: the number of a
 * ".Lklp_e<n>" label placed in the function's own section, or -1. */
typedef int klp_label;

/* One function as it was emitted (its .cold part is a record of its own). */
struct klp_func {
	char *name;		/* symbol name */
	char *origin;		/* clone/cold origin, or NULL */
	unsigned flags;		/* KLP_SYM_* */
	unsigned site_kind;	/* enum klp_site_kind */
	char *site_label;	/* label at the patch site, or NULL */
	char *prefix_label;	/* ".LPFE<n>" that starts the padding, or NULL */
	klp_label end;		/* label at the end: size = end - name */
	klp_label begin;	/* label at a weak function's own start, or -1:
				 * a relocation against the symbol would find
				 * the definition that overrides it */
	char **inlined;		/* functions inlined into this one */
	unsigned ninlined;
	uint64_t checksum;	/* checksum.cc, of this part's code */
};

struct klp_funcs {
	struct klp_func *v;
	unsigned n, cap;
};

/* Options from -fplugin-arg-klp-*. */
struct klp_options {
	const char *tu_path;	/* tu-path=: record this path instead */
	enum klp_ppc_calls_mode ppc_calls;	/* ppc-calls= (ppc64 only) */
};

/* The assembly of the function "final" is writing, held in memory
 * (asm-scan.cc). */
struct klp_capture {
	FILE *real_out;		/* asm_out_file while the capture lasts */
	FILE *stream;		/* NULL: not capturing */
	char *buf;
	size_t len;
};

struct klp_constants;		/* checksum.cc: .LC labels, section anchors */
struct klp_inline_sets;		/* inline-tree.cc: inline decisions by name */

/*
 * Everything the plugin keeps for the unit being compiled: made once in
 * plugin_init and handed to every pass and callback, so no file reaches
 * into another's variables.
 */
struct klp_state {
	struct klp_options opts;
	char producer[64];		/* "gcc 12.2.0": the compiler running us */
	struct klp_funcs emitted;	/* every function part written so far */
	int pending;			/* index in emitted of the function
					 * "final" is writing, or -1 */
	int labels;			/* .Lklp_* labels numbered so far */
	struct klp_capture capture;
	struct klp_constants *constants;
	struct klp_inline_sets *inlines;
};

/* Which section the assembly is in, line by line (checksum.cc). */
struct klp_sections {
	char *cur, *prev;	/* as .previous swaps them */
	char **stack;		/* .pushsection */
	unsigned depth;
};

/* One function part's checksum while its lines go by (checksum.cc). */
struct klp_part_hash {
	uint64_t hash;
	const struct klp_constants *consts;	/* what .LC labels hold */
	const char *name;	/* the part's symbol: its section suffix */
	const struct klp_sections *secs;	/* NULL: every line counts */
	char *section;		/* the part's own: where its label is */
	char **labels;		/* local labels in order of first appearance */
	unsigned nlabels;
};

/* checksum.cc */
void klp_sections_init(struct klp_sections *s);
bool klp_sections_line(struct klp_sections *s, const char *line, size_t len);
void klp_sections_free(struct klp_sections *s);
void klp_part_hash_init(struct klp_part_hash *ph, const char *name,
			const struct klp_sections *secs, const struct klp_constants *consts);
void klp_part_hash_start(struct klp_part_hash *ph);
void klp_part_hash_line(struct klp_part_hash *ph, const char *line, size_t len);
void klp_part_hash_free(struct klp_part_hash *ph);
struct klp_constants *klp_constants_new(void);
void klp_collect_constants(struct klp_constants *c);

/* checksum-data.cc */
uint64_t klp_data_checksum(tree decl);
uint64_t klp_rtx_hash(uint64_t h, const_rtx x, int depth);

/* asm-scan.cc */
void klp_asm_capture_begin(struct klp_capture *c);
void klp_asm_capture_end(struct klp_state *st, struct klp_func *fn, struct klp_func *cold);

/* records.cc */
const char *klp_decl_name(tree decl);
const char *klp_origin_name(tree decl);
void klp_add_inlined(struct klp_func *fn, const char *name);
void klp_begin_function(struct klp_state *st, tree decl);
void klp_end_function(struct klp_state *st);
struct klp_func *klp_new_func(struct klp_funcs *funcs);

/* inline-tree.cc */
void klp_inline_tree_init(struct klp_state *st, const char *plugin_name);
void klp_inline_tree_complete(struct klp_inline_sets *sets, struct klp_func *fn, tree decl);

/* emit.cc */
void klp_emit_notes(struct klp_state *st);

/* ppc-calls.cc (ppc64 only) */
#ifdef KLP_TARGET_PPC64
void klp_ppc_calls_init(const struct klp_options *opts);
void klp_ppc_force_nops(const struct klp_options *opts);
#endif

/* klp.cc */
int klp_next_label(struct klp_state *st);
/* 32- or 16-bit code in a 64-bit compiler (-m32, -m16: the vDSO's 32-bit
 * half, real-mode and boot code): it runs outside the kernel proper and
 * is never livepatched, and its objects cannot hold the notes' 64-bit
 * relocations.  Every pass stays out; the unit gets a note that says it
 * was left out (KLP_UNIT_LEFT_OUT) and records nothing. */
bool klp_left_out(void);

/*
 * A pass that runs CALL for every function, with st, the plugin's state:
 * the plugin's pass objects differ only in their kind (GIMPLE or RTL),
 * name and what they call.
 */
#define KLP_PASS(kind, base, type, name, call)					\
	static const pass_data type##_data = {					\
		kind, name, OPTGROUP_NONE, TV_NONE, 0, 0, 0, 0, 0,		\
	};									\
	struct type : base {							\
		struct klp_state *st;						\
		type(gcc::context *ctxt, struct klp_state *state)		\
			: base(type##_data, ctxt), st(state) {}			\
		bool gate(function *) override { return !klp_left_out(); }	\
		unsigned int execute(function *fun) override			\
		{								\
			(void)fun;						\
			(void)st;						\
			call;							\
			return 0;						\
		}								\
	}
#define KLP_RTL_PASS(type, name, call) KLP_PASS(RTL_PASS, rtl_opt_pass, type, name, call)
#define KLP_GIMPLE_PASS(type, name, call) KLP_PASS(GIMPLE_PASS, gimple_opt_pass, type, name, call)

#endif /* KLP_PLUGIN_H */
