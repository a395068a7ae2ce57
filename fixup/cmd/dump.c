/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.c - `klp-fixup dump FILE [--json]`: print the notes of an object,
 * module or vmlinux.  Addresses are shown as the file has them: absolute
 * in a linked file, section+offset in a relocatable one.
 */
#include "dump.h"
#include "../base/json.h"
#include "../notes/notes.h"
#include "../base/warn.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hex digits of a checksum: 64 bits a function's, 32 an object's. */
static int checksum_digits(const struct klp_sym *s)
{
	return 2 * KLP_CHECKSUM_SIZE(s->kind);
}

static void print_where(FILE *out, struct kelf *k, const struct klp_sym *s)
{
	const struct kelf_section *sec;

	if (!s->has_addr) {
		fputs("none", out);
		return;
	}
	if (!kelf_is_relocatable(k)) {
		fprintf(out, "0x%" PRIx64, s->addr);
		return;
	}
	sec = kelf_section(k, s->shndx);
	fprintf(out, "%s+0x%" PRIx64, sec ? sec->name : "?", s->addr);
}

/* Shown as fields of their own (binding, site=, prefix=, origin=, ...). */
#define SHOWN_AS_FIELDS (KLP_SYM_LOCAL | KLP_SYM_SITE | KLP_SYM_PRESENCE_FLAGS)

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* By name: the notes keep them in string-table order, which says nothing. */
static void sort_inlined(const struct klp_sym *s)
{
	if (s->ninlined > 1)	/* qsort wants a non-null base even for none */
		qsort(s->inlined, s->ninlined, sizeof(*s->inlined), by_name);
}

static void text_sym(FILE *out, struct kelf *k, const struct klp_sym *s)
{
	fprintf(out, "  %s %s %s size=%" PRIu64 " addr=", klp_kind_name(s->kind),
		s->flags & KLP_SYM_LOCAL ? "local" : "global", s->name, s->size);
	print_where(out, k, s);
	if (s->flags & KLP_SYM_SITE)
		fprintf(out, " site=%s%+" PRId32, klp_site_kind_name(s->site_kind), s->site);
	if (s->prefix)
		fprintf(out, " prefix=%" PRIu32, s->prefix);
	if (s->origin)
		fprintf(out, " origin=%s", s->origin);
	for (const struct klp_flag_name *f = klp_sym_flag_names; f->name; f++)
		if ((s->flags & f->flag) && !(f->flag & SHOWN_AS_FIELDS))
			fprintf(out, " %s", f->name);
	if (s->reloc_sym && strcmp(s->reloc_sym, s->name))
		fprintf(out, " reloc-symbol=%s", s->reloc_sym);
	sort_inlined(s);
	for (unsigned i = 0; i < s->ninlined; i++)
		fprintf(out, "%s%s", i ? "," : " inlined=", s->inlined[i]);
	if (s->has_checksum)
		fprintf(out, " checksum=0x%0*" PRIx64, checksum_digits(s), s->checksum);
	fputc('\n', out);
}

static void text_dump(FILE *out, struct kelf *k, const struct klp_notes *n)
{
	fprintf(out, "file %s: %s %s, %zu units, %zu symbols\n", k->path,
		kelf_is_relocatable(k) ? "relocatable" : "linked",
		kelf_machine_name(k->ehdr.e_machine), n->nunits, n->nsyms);
	for (size_t i = 0; i < n->nunits; i++) {
		const struct klp_unit *u = &n->units[i];

		fprintf(out, "unit %s id=0x%016" PRIx64 " producer=\"%s\" plugin=\"%s\" symbols=%zu",
			u->path, u->id, u->producer, u->plugin, u->nsyms);
		for (const struct klp_flag_name *f = klp_unit_flag_names; f->name; f++)
			if (u->flags & f->flag)
				fprintf(out, " %s", f->name);
		fputc('\n', out);
		for (size_t j = 0; j < u->nsyms; j++)
			text_sym(out, k, &u->syms[j]);
	}
}

/* ["name",...] of the flags set in a flag table */
#define JSON_FLAGS(out, table, flags)						\
	do {									\
		const char *sep = "";						\
										\
		fputc('[', out);						\
		for (const struct klp_flag_name *f_ = table; f_->name; f_++) {	\
			if ((flags) & f_->flag) {				\
				fprintf(out, "%s\"%s\"", sep, f_->name);		\
				sep = ",";					\
			}							\
		}								\
		fputc(']', out);						\
	} while (0)

static void json_sym(FILE *out, struct kelf *k, const struct klp_sym *s)
{
	const struct kelf_section *sec;

	fputs("{\"name\":", out);
	klp_json_string(out, s->name);
	fprintf(out, ",\"kind\":\"%s\",\"binding\":\"%s\",\"size\":%" PRIu64,
		klp_kind_name(s->kind), s->flags & KLP_SYM_LOCAL ? "local" :
		s->flags & KLP_SYM_WEAK ? "weak" : "global", s->size);
	if (!s->has_addr) {
		fputs(",\"address\":null", out);
	} else if (kelf_is_relocatable(k)) {
		sec = kelf_section(k, s->shndx);
		fputs(",\"section\":", out);
		klp_json_string(out, sec ? sec->name : "?");
		fprintf(out, ",\"offset\":%" PRIu64, s->addr);
	} else {
		fprintf(out, ",\"address\":\"0x%" PRIx64 "\"", s->addr);
	}
	if (s->flags & KLP_SYM_SITE)
		fprintf(out, ",\"site\":{\"kind\":\"%s\",\"offset\":%" PRId32 "}",
			klp_site_kind_name(s->site_kind), s->site);
	else
		fputs(",\"site\":null", out);
	fprintf(out, ",\"prefix\":%" PRIu32 ",\"origin\":", s->prefix);
	if (s->origin)
		klp_json_string(out, s->origin);
	else
		fputs("null", out);
	if (s->has_checksum)
		fprintf(out, ",\"checksum\":\"0x%0*" PRIx64 "\"", checksum_digits(s),
			s->checksum);
	else
		fputs(",\"checksum\":null", out);
	fputs(",\"flags\":", out);
	JSON_FLAGS(out, klp_sym_flag_names, s->flags);
	sort_inlined(s);
	fputs(",\"inlined\":[", out);
	for (unsigned i = 0; i < s->ninlined; i++) {
		if (i)
			fputc(',', out);
		klp_json_string(out, s->inlined[i]);
	}
	fputs("]}", out);
}

static void json_dump(FILE *out, struct kelf *k, const struct klp_notes *n)
{
	fputs("{\"file\":", out);
	klp_json_string(out, k->path);
	fprintf(out, ",\"linked\":%s,\"machine\":\"%s\",\"units\":[",
		kelf_is_relocatable(k) ? "false" : "true", kelf_machine_name(k->ehdr.e_machine));
	for (size_t i = 0; i < n->nunits; i++) {
		const struct klp_unit *u = &n->units[i];

		fputs(i ? ",\n{\"path\":" : "\n{\"path\":", out);
		klp_json_string(out, u->path);
		fprintf(out, ",\"id\":\"0x%016" PRIx64 "\",\"producer\":", u->id);
		klp_json_string(out, u->producer);
		fputs(",\"plugin\":", out);
		klp_json_string(out, u->plugin);
		fputs(",\"flags\":", out);
		JSON_FLAGS(out, klp_unit_flag_names, u->flags);
		fputs(",\"symbols\":[", out);
		for (size_t j = 0; j < u->nsyms; j++) {
			fputs(j ? ",\n " : "\n ", out);
			json_sym(out, k, &u->syms[j]);
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}

int klp_dump(const char *path, bool json)
{
	struct klp_notes notes;
	struct kelf k;
	int ret;

	if (kelf_open(&k, path))
		return 1;
	ret = klp_notes_read(&k, &notes);
	if (ret == 1) {
		KLP_ERR(path, "no %s section: build it with the klp plugin "
			"(gcc -fplugin=klp.so, or clang -fpass-plugin=klp-clang.so)",
			KLP_NOTES_SECTION);
	} else if (ret == 0) {
		if (json)
			json_dump(stdout, &k, &notes);
		else
			text_dump(stdout, &k, &notes);
		klp_notes_free(&notes);
	}
	kelf_close(&k);
	return ret ? 1 : 0;
}

static const struct klp_option dump_options[] = {
	KLP_OPTION_JSON,
	KLP_OPTION_END
};

static int dump_run(const struct klp_args *a)
{
	return klp_dump(a->operands[0], klp_flag(a, "--json"));
}

const struct klp_command klp_cmd_dump = {
	"dump", "FILE", 1, 1,
	"print the .debug_klp notes of an object, module or vmlinux: per translation "
	"unit, every local symbol and function with its address, size, patch site, "
	"padding, clone origin, inlined functions and checksum",
	dump_options, dump_run,
};
