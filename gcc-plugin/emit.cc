/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * emit.cc - write this unit's .debug_klp notes (docs/note-format.md).
 *
 * Runs at PLUGIN_FINISH_UNIT, after every function and variable has been
 * written, so TREE_ASM_WRITTEN says exactly what the object will define.
 * Every symbol's address is a ".reloc" against the symbol itself: a plain
 * ".8byte sym" would let the assembler fold a local symbol into
 * section+offset, and the final link must write the symbol's own address.
 */
#include "klp-plugin.h"

#include <stdio.h>
#include <string.h>
#include <elf.h>

#ifdef KLP_TARGET_PPC64
#define KLP_ADDR_RELOC	"R_PPC64_ADDR64"
#define KLP_MACHINE	EM_PPC64
#define KLP_MACHINE_32	EM_PPC
#elif defined(KLP_TARGET_S390)
#define KLP_ADDR_RELOC	"R_390_64"
#define KLP_MACHINE	EM_S390
#define KLP_MACHINE_32	EM_S390	/* -m31 objects are EM_S390 too, ELFCLASS32 */
#else
#define KLP_ADDR_RELOC	"R_X86_64_64"
#define KLP_MACHINE	EM_X86_64
#define KLP_MACHINE_32	EM_386
#endif

/*
 * The note builder's emitter for GCC: assembler text.  A label reference
 * is the label's or symbol's name.  Names are written whole, whatever
 * their length: an expression never holds a cut name.
 */
struct gcc_emitter {
	FILE *f;
	struct klp_state *st;	/* numbers the labels */
	char **labels;		/* made by new_label, freed at the end */
	unsigned nlabels;
};

static void put_expr(FILE *f, struct klp_value v)
{
	if (!v.a) {
		fprintf(f, "%llu", (unsigned long long)v.constant);
		return;
	}
	fprintf(f, "%s - %s", (const char *)v.a, (const char *)v.b);
	if (v.constant)
		fprintf(f, " + %llu", (unsigned long long)v.constant);
}

/*
 * Raw bytes as .ascii strings, 64 bytes a line: text as it is, other bytes
 * as three-digit octal escapes (never shorter: a digit after a shorter
 * one would extend it).  Built in a buffer and written once a line: one
 * fprintf and one ".byte" number per byte made the notes cost cc1 and as
 * more than everything else the plugin does.
 */
static void gcc_bytes(void *ctx, const void *p, size_t n)
{
	FILE *f = ((struct gcc_emitter *)ctx)->f;
	const unsigned char *b = (const unsigned char *)p;
	char line[16 + 64 * 4];

	for (size_t i = 0; i < n; i += 64) {
		size_t len = 0;

		memcpy(line, "\t.ascii \"", 9);
		len = 9;
		for (size_t j = i; j < n && j < i + 64; j++) {
			unsigned char c = b[j];

			if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
				line[len++] = (char)c;
			} else {
				line[len++] = '\\';
				line[len++] = (char)('0' + (c >> 6));
				line[len++] = (char)('0' + ((c >> 3) & 7));
				line[len++] = (char)('0' + (c & 7));
			}
		}
		line[len++] = '"';
		line[len++] = '\n';
		fwrite(line, 1, len, f);
	}
}

static void gcc_fixed(void *ctx, struct klp_value v, unsigned size)
{
	FILE *f = ((struct gcc_emitter *)ctx)->f;

	fprintf(f, "\t.%ubyte ", size);
	put_expr(f, v);
	fputc('\n', f);
}

static void gcc_uleb(void *ctx, struct klp_value v)
{
	FILE *f = ((struct gcc_emitter *)ctx)->f;

	fputs("\t.uleb128 ", f);
	put_expr(f, v);
	fputc('\n', f);
}

/* A ".reloc" against the symbol itself: a plain ".8byte sym" would let
 * the assembler fold a local symbol into section+offset. */
static void gcc_addr(void *ctx, klp_label_ref sym)
{
	fprintf(((struct gcc_emitter *)ctx)->f, "\t.reloc ., %s, %s\n\t.8byte 0\n",
		KLP_ADDR_RELOC, (const char *)sym);
}

static klp_label_ref gcc_new_label(void *ctx)
{
	struct gcc_emitter *g = (struct gcc_emitter *)ctx;
	char buf[32];

	snprintf(buf, sizeof(buf), ".Lklp_n%d", klp_next_label(g->st));
	g->labels = XRESIZEVEC(char *, g->labels, g->nlabels + 1);
	g->labels[g->nlabels] = xstrdup(buf);
	return g->labels[g->nlabels++];
}

static void gcc_place(void *ctx, klp_label_ref label)
{
	fprintf(((struct gcc_emitter *)ctx)->f, "%s:\n", (const char *)label);
}

static void gcc_align(void *ctx, unsigned n)
{
	fprintf(((struct gcc_emitter *)ctx)->f, "\t.balign %u, 0\n", n);
}

static struct klp_value diff(const char *a, const char *b)
{
	struct klp_value v = { 0, a, b };

	return v;
}

static struct klp_value konst(uint64_t c)
{
	struct klp_value v = { c, NULL, NULL };

	return v;
}

/* Labels a note expression needs, made once per function: their names
 * live until the notes are written. */
static const char *label_name(const char *what, int n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), ".Lklp_%s%d", what, n);
	return xstrdup(buf);
}

static void func_note(const struct klp_func *fn, struct klp_symbol_info *s)
{
	memset(s, 0, sizeof(*s));
	s->name = fn->name;
	/* an alias is where its target is, even when the alias name itself
	 * is weak and another definition overrides it */
	s->where = fn->flags & KLP_SYM_ALIAS ? fn->origin : fn->name;
	if (fn->begin >= 0)
		s->where = label_name("b", fn->begin);
	s->origin = fn->origin;
	s->kind = KLP_KIND_FUNC;
	s->flags = fn->flags;
	s->site_kind = fn->site_kind;
	s->inlined = fn->inlined;
	s->ninlined = fn->ninlined;
	s->checksum = fn->checksum;
	if (fn->end >= 0)
		s->size = diff(label_name("e", fn->end), (const char *)s->where);
	if (fn->site_label)
		s->site = diff(fn->site_label, (const char *)s->where);
	if (fn->prefix_label) {
		s->has_prefix = true;
		s->prefix = diff((const char *)s->where, fn->prefix_label);
	}
}

/*
 * Is this variable an object the object file defines?  Local ones for
 * their positions, global ones for their checksums: a livepatch must not
 * silently change any data.
 */
static bool recorded_object(varpool_node *v)
{
	tree decl = v->decl;

	if (!TREE_ASM_WRITTEN(decl) || DECL_EXTERNAL(decl) || DECL_COMMON(decl)
	    || DECL_HARD_REGISTER(decl) || v->weakref || !DECL_ASSEMBLER_NAME_SET_P(decl))
		return false;
	if (v->alias && !TREE_ASM_WRITTEN(v->ultimate_alias_target()->decl))
		return false;
	/* .discard* sections never reach vmlinux or a module (the kernel's
	 * linker scripts drop them): __ADDRESSABLE's __UNIQUE_ID_ objects,
	 * dozens per unit, would only take room in the notes */
	if (DECL_SECTION_NAME(decl) && !strncmp(DECL_SECTION_NAME(decl), ".discard", 8))
		return false;
	/* Constant-pool entries (".LC0") are assembler temporaries: they never
	 * reach the symbol table, so a relocation against one would leave an
	 * undefined symbol behind. */
	return strncmp(klp_decl_name(decl), ".L", 2) != 0;
}

/*
 * Is the variable in a section the linker merges?  With
 * -fmerge-all-constants (and no -fdata-sections), GCC puts a read-only
 * string variable in .rodata.str1.1 and the like, and the link folds
 * equal ones of different units into one place whatever their names: the
 * symbol table then has several symbols at one address.  Asks varasm
 * where the variable went.  A variable with a section name of its own
 * (attribute section, -fdata-sections) is never merged; asking varasm
 * about one would look its named section up again.
 */
static bool in_merged_section(tree decl)
{
	section *sect;

	if (flag_merge_constants < 2 || DECL_SECTION_NAME(decl) || !TREE_READONLY(decl))
		return false;
	sect = get_variable_section(decl, false);
	return sect && (sect->common.flags & SECTION_MERGE);
}

static void object_note(varpool_node *v, struct klp_symbol_info *s)
{
	tree decl = v->decl, size = DECL_SIZE_UNIT(decl);

	memset(s, 0, sizeof(*s));
	s->name = klp_decl_name(decl);
	s->where = s->name;
	s->kind = KLP_KIND_OBJECT;
	if (!TREE_PUBLIC(decl))
		s->flags |= KLP_SYM_LOCAL;
	else if (DECL_WEAK(decl))
		s->flags |= KLP_SYM_WEAK;
	if (v->alias) {
		decl = v->ultimate_alias_target()->decl;
		size = DECL_SIZE_UNIT(decl);
		s->origin = klp_decl_name(decl);
		s->flags |= KLP_SYM_ALIAS;
	}
	s->size = konst(size && tree_fits_uhwi_p(size) ? tree_to_uhwi(size) : 0);
	s->mergeable = in_merged_section(decl);
	/* all zero (.bss): the size says everything a checksum would */
	if (!DECL_INITIAL(decl) || DECL_INITIAL(decl) == error_mark_node ||
	    initializer_zerop(DECL_INITIAL(decl)))
		s->flags |= KLP_SYM_ZERO;
	else
		s->checksum = klp_data_checksum(decl);
	/* the flag belongs to the declaration, wherever its storage is */
	if (DECL_CONTEXT(v->decl) && TREE_CODE(DECL_CONTEXT(v->decl)) == FUNCTION_DECL)
		s->flags |= KLP_SYM_FUNC_STATIC;
}

/*
 * Symbols that are another name for an emitted function or object: GCC's
 * identical code folding turns a function into ".set name, twin", and
 * alias attributes do the same.  They never pass through "final", so
 * they are recorded here, measured with their target's labels (same
 * address, same code).
 */
static void record_aliases(struct klp_funcs *emitted)
{
	cgraph_node *node;

	FOR_EACH_FUNCTION(node) {
		struct klp_func *fn, *target = NULL;
		const char *target_name;

		if (!node->alias || !node->definition || !TREE_ASM_WRITTEN(node->decl)
		    || node->weakref)
			continue;
		target_name = klp_decl_name(node->ultimate_alias_target()->decl);
		for (unsigned i = 0; i < emitted->n; i++)
			if (!strcmp(emitted->v[i].name, target_name))
				target = &emitted->v[i];
		if (!target)
			continue;	/* not emitted here */
		/* copy first: klp_new_func() may move the vector */
		struct klp_func copy = *target;

		fn = klp_new_func(emitted);
		*fn = copy;
		fn->name = xstrdup(klp_decl_name(node->decl));
		fn->origin = xstrdup(target_name);
		fn->flags = (copy.flags & (KLP_SYM_SITE | KLP_SYM_NOTRACE)) | KLP_SYM_ALIAS;
		if (!TREE_PUBLIC(node->decl))
			fn->flags |= KLP_SYM_LOCAL;
		if (DECL_WEAK(node->decl))
			fn->flags |= KLP_SYM_WEAK;
	}
}

static const char *tu_path(const struct klp_options *opts)
{
	if (opts->tu_path)
		return opts->tu_path;
	return remap_debug_filename(main_input_filename);
}

void klp_emit_notes(struct klp_state *st)
{
	struct gcc_emitter g = { asm_out_file, st, NULL, 0 };
	struct klp_emitter e = { &g, gcc_bytes, gcc_fixed, gcc_uleb, gcc_addr,
				 gcc_new_label, gcc_place, gcc_align };
	struct klp_unit_info unit;
	struct klp_symbol_info *syms;
	unsigned nsyms = 0, n = 0;
	varpool_node *v;

	memset(&unit, 0, sizeof(unit));
	if (klp_left_out()) {
		/* no records, so no relocation an ELF32 object could not hold */
		unit.flags |= KLP_UNIT_LEFT_OUT;
	} else {
		record_aliases(&st->emitted);
		nsyms = st->emitted.n;
		FOR_EACH_VARIABLE(v)
			nsyms += recorded_object(v);
	}
	syms = XNEWVEC(struct klp_symbol_info, nsyms ? nsyms : 1);
	for (unsigned i = 0; i < st->emitted.n && nsyms; i++)
		func_note(&st->emitted.v[i], &syms[n++]);
	FOR_EACH_VARIABLE(v)
		if (nsyms && recorded_object(v))
			object_note(v, &syms[n++]);

	unit.path = tu_path(&st->opts);
	unit.producer = st->producer;
	unit.machine = klp_left_out() ? KLP_MACHINE_32 : KLP_MACHINE;
	unit.big_endian = BYTES_BIG_ENDIAN;
	if (flag_function_sections)
		unit.flags |= KLP_UNIT_FUNCTION_SECTIONS;
	if (flag_data_sections)
		unit.flags |= KLP_UNIT_DATA_SECTIONS;
#ifdef KLP_TARGET_PPC64
	if (st->opts.ppc_calls == KLP_PPC_CALLS_LOCAL)
		unit.flags |= KLP_UNIT_PPC_CALLS_LOCAL;
	else if (st->opts.ppc_calls == KLP_PPC_CALLS_STATIC)
		unit.flags |= KLP_UNIT_PPC_CALLS_STATIC;
#endif

	fprintf(asm_out_file, "\t.pushsection %s,\"\",@progbits\n", KLP_NOTES_SECTION);
	if (klp_build_unit_note(&e, &unit, KLP_PLUGIN_STRING(KLP_PLUGIN_NAME), syms, n))
		error("klp: out of memory writing the %s notes", KLP_NOTES_SECTION);
	fprintf(asm_out_file, "\t.popsection\n");
	for (unsigned i = 0; i < g.nlabels; i++)
		free(g.labels[i]);
	free(g.labels);
	XDELETEVEC(syms);
}
