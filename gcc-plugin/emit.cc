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
#else
#define KLP_ADDR_RELOC	"R_X86_64_64"
#define KLP_MACHINE	EM_X86_64
#endif

/* A descriptor's strings, laid out after its fixed part. */
struct strtab {
	const char **s;
	unsigned n;
	unsigned size;	/* bytes so far, counted from the descriptor start */
};

static unsigned strtab_add(struct strtab *t, const char *s)
{
	unsigned off = t->size;

	t->s = XRESIZEVEC(const char *, t->s, t->n + 1);
	t->s[t->n++] = s;
	t->size += strlen(s) + 1;
	return off;
}

static unsigned padded(unsigned size)
{
	return (size + KLP_NOTES_ALIGN - 1) & ~(unsigned)(KLP_NOTES_ALIGN - 1);
}

static void emit_string(FILE *f, const char *s)
{
	fputs("\t.asciz \"", f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f)
			fprintf(f, "\\%03o", c);
		else
			fputc(c, f);
	}
	fputs("\"\n", f);
}

static void emit_header(FILE *f, unsigned descsz, unsigned type)
{
	fprintf(f, "\t.balign %d\n\t.4byte %d, %u, %u\n", KLP_NOTES_ALIGN,
		KLP_NOTES_OWNER_SIZE, descsz, type);
	emit_string(f, KLP_NOTES_OWNER);
}

/* The strings, the padding to KLP_NOTES_ALIGN, and the table is done. */
static void emit_strings(FILE *f, struct strtab *t)
{
	for (unsigned i = 0; i < t->n; i++)
		emit_string(f, t->s[i]);
	if (padded(t->size) != t->size)
		fprintf(f, "\t.zero %u\n", padded(t->size) - t->size);
	XDELETEVEC(t->s);
	t->s = NULL;
}

/* A symbol note; the expressions are assembler text ("0" when unknown). */
struct sym_note {
	const char *name;
	const char *where;	/* what the address relocation refers to */
	const char *origin;
	unsigned kind, flags, site_kind;
	char size[96], site[96], prefix[96];
	char *const *inlined;
	unsigned ninlined;
};

static void emit_sym(FILE *f, const struct sym_note *s)
{
	struct strtab t = { NULL, 0, KLP_NOTE_SYM_SIZE };
	unsigned name, origin = 0, inlined = 0, ninlined = s->ninlined;

	name = strtab_add(&t, s->name);
	if (s->origin)
		origin = strtab_add(&t, s->origin);
	if (ninlined > UINT16_MAX)
		ninlined = UINT16_MAX;	/* the field's limit; documented */
	for (unsigned i = 0; i < ninlined; i++) {
		unsigned off = strtab_add(&t, s->inlined[i]);

		if (!i)
			inlined = off;
	}
	emit_header(f, padded(t.size), KLP_NT_SYM);
	if (s->flags & KLP_SYM_NOADDR)
		fprintf(f, "\t.8byte 0\n");
	else
		fprintf(f, "\t.reloc ., %s, %s\n\t.8byte 0\n", KLP_ADDR_RELOC, s->where);
	fprintf(f, "\t.4byte %s\n\t.2byte %u, %u\n\t.4byte %s, %s\n\t.2byte %u, %u\n"
		"\t.4byte %u, %u, %u\n", s->size, s->kind, s->flags, s->site, s->prefix,
		s->site_kind, ninlined, name, origin, inlined);
	emit_strings(f, &t);
}

static void func_note(const struct klp_func *fn, struct sym_note *s, char *begin)
{
	memset(s, 0, sizeof(*s));
	s->name = fn->name;
	/* an alias is where its target is, even when the alias name itself
	 * is weak and another definition overrides it */
	s->where = fn->flags & KLP_SYM_ALIAS ? fn->origin : fn->name;
	if (fn->begin >= 0) {
		sprintf(begin, ".Lklp_b%d", fn->begin);
		s->where = begin;
	}
	s->origin = fn->origin;
	s->kind = KLP_KIND_FUNC;
	s->flags = fn->flags;
	s->site_kind = fn->site_kind;
	s->inlined = fn->inlined;
	s->ninlined = fn->ninlined;
	strcpy(s->size, "0");
	strcpy(s->site, "0");
	strcpy(s->prefix, "0");
	if (fn->end >= 0)
		snprintf(s->size, sizeof(s->size), ".Lklp_e%d - %s", fn->end, s->where);
	if (fn->site_label)
		snprintf(s->site, sizeof(s->site), "%s - %s", fn->site_label, s->where);
	if (fn->prefix_label)
		snprintf(s->prefix, sizeof(s->prefix), "%s - %s", s->where, fn->prefix_label);
}

/* Is this variable a local symbol the object defines? */
static bool local_object(varpool_node *v)
{
	tree decl = v->decl;

	if (!TREE_ASM_WRITTEN(decl) || DECL_EXTERNAL(decl) || TREE_PUBLIC(decl)
	    || DECL_HARD_REGISTER(decl) || v->weakref || !DECL_ASSEMBLER_NAME_SET_P(decl))
		return false;
	if (v->alias && !TREE_ASM_WRITTEN(v->ultimate_alias_target()->decl))
		return false;
	/* Constant-pool entries (".LC0") are assembler temporaries: they never
	 * reach the symbol table, so a relocation against one would leave an
	 * undefined symbol behind. */
	return strncmp(klp_decl_name(decl), ".L", 2) != 0;
}

static void object_note(varpool_node *v, struct sym_note *s)
{
	tree decl = v->decl, size = DECL_SIZE_UNIT(decl);

	memset(s, 0, sizeof(*s));
	s->name = klp_decl_name(decl);
	s->where = s->name;
	s->kind = KLP_KIND_OBJECT;
	s->flags = KLP_SYM_LOCAL;
	if (v->alias) {
		decl = v->ultimate_alias_target()->decl;
		size = DECL_SIZE_UNIT(decl);
		s->origin = klp_decl_name(decl);
		s->flags |= KLP_SYM_ALIAS;
	}
	snprintf(s->size, sizeof(s->size), "%lu",
		 size && tree_fits_uhwi_p(size) ? (unsigned long)tree_to_uhwi(size) : 0UL);
	/* the flag belongs to the declaration, wherever its storage is */
	if (DECL_CONTEXT(v->decl) && TREE_CODE(DECL_CONTEXT(v->decl)) == FUNCTION_DECL)
		s->flags |= KLP_SYM_FUNC_STATIC;
	strcpy(s->site, "0");
	strcpy(s->prefix, "0");
}

/*
 * Symbols that are another name for an emitted function or object: GCC's
 * identical code folding turns a function into ".set name, twin", and
 * alias attributes do the same.  They never pass through "final", so
 * they are recorded here, measured with their target's labels (same
 * address, same code).
 */
static void record_aliases(void)
{
	cgraph_node *node;

	FOR_EACH_FUNCTION(node) {
		struct klp_func *fn, *target = NULL;
		const char *target_name;

		if (!node->alias || !node->definition || !TREE_ASM_WRITTEN(node->decl)
		    || node->weakref)
			continue;
		target_name = klp_decl_name(node->ultimate_alias_target()->decl);
		for (unsigned i = 0; i < klp_emitted.n; i++)
			if (!strcmp(klp_emitted.v[i].name, target_name))
				target = &klp_emitted.v[i];
		if (!target)
			continue;	/* not emitted here */
		/* copy first: klp_new_func() may move the vector */
		struct klp_func copy = *target;

		fn = klp_new_func();
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

static const char *tu_path(void)
{
	if (klp_opts.tu_path)
		return klp_opts.tu_path;
	return remap_debug_filename(main_input_filename);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	return klp_fnv64(h, s, strlen(s) + 1);
}

void klp_emit_notes(void)
{
	FILE *f = asm_out_file;
	struct strtab t = { NULL, 0, KLP_NOTE_UNIT_SIZE };
	unsigned path, prod, plug, nsyms = 0, flags = 0;
	uint64_t id = KLP_FNV64_OFFSET;
	unsigned char code[8];
	varpool_node *v;

	record_aliases();
	id = hash_str(id, tu_path());
	for (int i = 0; i < 8; i++)	/* little-endian, whatever the host */
		code[i] = (unsigned char)(klp_code_hash >> (8 * i));
	id = klp_fnv64(id, code, sizeof(code));
	id = hash_str(id, klp_producer);
	for (unsigned i = 0; i < klp_emitted.n; i++, nsyms++) {
		id = klp_fnv64(id, "\1", 1);
		id = hash_str(id, klp_emitted.v[i].name);
	}
	FOR_EACH_VARIABLE(v) {
		if (!local_object(v))
			continue;
		nsyms++;
		id = klp_fnv64(id, "\2", 1);
		id = hash_str(id, klp_decl_name(v->decl));
	}

	if (flag_function_sections)
		flags |= KLP_UNIT_FUNCTION_SECTIONS;
	if (flag_data_sections)
		flags |= KLP_UNIT_DATA_SECTIONS;
#ifdef KLP_TARGET_PPC64
	if (klp_opts.ppc_calls == KLP_PPC_CALLS_LOCAL)
		flags |= KLP_UNIT_PPC_CALLS_LOCAL;
	else if (klp_opts.ppc_calls == KLP_PPC_CALLS_STATIC)
		flags |= KLP_UNIT_PPC_CALLS_STATIC;
#endif

	fprintf(f, "\t.pushsection %s,\"\",@progbits\n", KLP_NOTES_SECTION);
	path = strtab_add(&t, tu_path());
	prod = strtab_add(&t, klp_producer);
	plug = strtab_add(&t, KLP_PLUGIN_NAME " " KLP_PLUGIN_VERSION);
	emit_header(f, padded(t.size), KLP_NT_UNIT);
	fprintf(f, "\t.4byte %d, %u\n\t.8byte 0x%016llx\n\t.4byte %u\n\t.2byte %d, 0\n"
		"\t.4byte %u, %u, %u, 0\n", KLP_NOTES_VERSION, flags,
		(unsigned long long)id, nsyms, KLP_MACHINE, path, prod, plug);
	emit_strings(f, &t);

	for (unsigned i = 0; i < klp_emitted.n; i++) {
		struct sym_note s;
		char begin[32];

		func_note(&klp_emitted.v[i], &s, begin);
		emit_sym(f, &s);
	}
	FOR_EACH_VARIABLE(v) {
		struct sym_note s;

		if (!local_object(v))
			continue;
		object_note(v, &s);
		emit_sym(f, &s);
	}
	fprintf(f, "\t.popsection\n");
}
