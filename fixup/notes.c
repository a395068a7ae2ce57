/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes.c - decode .debug_klp (docs/note-format.md).
 *
 * The section is untrusted input: every length, offset and count is
 * checked against the bytes that hold it before it is used, and every
 * string must end inside its own note.
 */
#include "notes.h"
#include "warn.h"

#include <stdlib.h>
#include <string.h>

const char *klp_kind_name(unsigned kind)
{
	switch (kind) {
	case KLP_KIND_FUNC:	return "func";
	case KLP_KIND_OBJECT:	return "object";
	default:		return "unknown";
	}
}

const char *klp_site_kind_name(unsigned site_kind)
{
	switch (site_kind) {
	case KLP_SITE_NONE:		return "none";
	case KLP_SITE_FENTRY:		return "fentry";
	case KLP_SITE_MCOUNT:		return "mcount";
	case KLP_SITE_MPROFILE_KERNEL:	return "mprofile-kernel";
	case KLP_SITE_PATCHABLE:	return "patchable-entry";
	default:			return "unknown";
	}
}

/* Reading context: the file, its notes section and its relocations. */
struct reader {
	struct kelf *k;
	const struct kelf_section *sec;
	struct kelf_reloc *relocs;
	long nrelocs;
};

/* A string at desc offset off, which must end inside the descriptor. */
static const char *desc_string(const struct reader *r, const unsigned char *desc,
			       uint32_t descsz, uint32_t off, uint32_t fixed,
			       size_t note_off, const char *field)
{
	const char *s = (const char *)desc + off;

	if (off < fixed || off >= descsz || !memchr(s, '\0', descsz - off)) {
		KLP_ERR(r->k->path, "%s+0x%zx: %s string at %u is outside its note "
			"(descriptor %u bytes); the notes are corrupt: rebuild the object",
			KLP_NOTES_SECTION, note_off, field, off, descsz);
		return NULL;
	}
	return s;
}

static const struct kelf_reloc *reloc_at(const struct reader *r, uint64_t offset)
{
	long lo = 0, hi = r->nrelocs - 1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;

		if (r->relocs[mid].offset == offset)
			return &r->relocs[mid];
		if (r->relocs[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static bool is_abs64_reloc(const struct kelf *k, uint32_t type)
{
	switch (k->ehdr.e_machine) {
	case EM_X86_64:	return type == 1;	/* R_X86_64_64 */
	case EM_PPC64:	return type == 38;	/* R_PPC64_ADDR64 */
	default:	return false;
	}
}

/* Where the symbol of a note is: from the relocation, or the linked value. */
static int locate(const struct reader *r, struct klp_sym *s, uint64_t field_off,
		  uint64_t value)
{
	const struct kelf_reloc *rel;
	const struct kelf_symbol *target;

	if (s->flags & KLP_SYM_NOADDR)
		return 0;
	if (!kelf_is_relocatable(r->k)) {
		s->addr = value;
		s->has_addr = value != 0;
		return 0;
	}
	rel = reloc_at(r, field_off);
	if (!rel || !rel->symndx)
		return 0;	/* the link dropped it (R_*_NONE) */
	if (!is_abs64_reloc(r->k, rel->type)) {
		KLP_ERR(r->k->path, "%s+0x%llx: symbol %s: relocation type %u is not a 64-bit "
			"absolute address; the notes are corrupt: rebuild the object",
			KLP_NOTES_SECTION, (unsigned long long)field_off, s->name, rel->type);
		return -1;
	}
	target = &r->k->syms[rel->symndx];
	s->shndx = target->sym.st_shndx;
	s->addr = target->sym.st_value + (uint64_t)rel->addend;
	s->has_addr = s->shndx != SHN_UNDEF && s->shndx < SHN_LORESERVE;
	if (target->type != STT_SECTION)
		s->reloc_sym = target->name;
	return 0;
}

static int read_sym(struct reader *r, struct klp_unit *u, const unsigned char *desc,
		    uint32_t descsz, size_t note_off)
{
	struct kelf *k = r->k;
	struct klp_sym *s = &u->syms[u->nsyms];
	uint32_t name, origin, inlined;

	if (descsz < KLP_NOTE_SYM_SIZE) {
		KLP_ERR(k->path, "%s+0x%zx: symbol note of %u bytes, expected at least %d; "
			"the notes are corrupt: rebuild the object", KLP_NOTES_SECTION, note_off,
			descsz, KLP_NOTE_SYM_SIZE);
		return -1;
	}
	memset(s, 0, sizeof(*s));
	u->nsyms++;	/* counted now so klp_notes_free() sees s on error */
	s->unit = u;
	s->note_offset = note_off;
	s->size = kelf_u32(k, desc + 8);
	s->kind = kelf_u16(k, desc + 12);
	s->flags = kelf_u16(k, desc + 14);
	s->site = (int32_t)kelf_u32(k, desc + 16);
	s->prefix = kelf_u32(k, desc + 20);
	s->site_kind = kelf_u16(k, desc + 24);
	s->ninlined = kelf_u16(k, desc + 26);
	name = kelf_u32(k, desc + 28);
	origin = kelf_u32(k, desc + 32);
	inlined = kelf_u32(k, desc + 36);

	s->name = desc_string(r, desc, descsz, name, KLP_NOTE_SYM_SIZE, note_off, "name");
	if (!s->name)
		return -1;
	if (origin) {
		s->origin = desc_string(r, desc, descsz, origin, KLP_NOTE_SYM_SIZE, note_off,
					"origin");
		if (!s->origin)
			return -1;
	}
	if (s->ninlined) {
		s->inlined = calloc(s->ninlined, sizeof(*s->inlined));
		if (!s->inlined) {
			KLP_ERR(k->path, "out of memory");
			return -1;
		}
		for (unsigned i = 0; i < s->ninlined; i++) {
			s->inlined[i] = desc_string(r, desc, descsz, inlined, KLP_NOTE_SYM_SIZE,
						    note_off, "inlined");
			if (!s->inlined[i])
				return -1;
			inlined += strlen(s->inlined[i]) + 1;
		}
	}
	if (s->kind != KLP_KIND_FUNC && s->kind != KLP_KIND_OBJECT) {
		KLP_ERR(k->path, "%s+0x%zx: symbol %s has unknown kind %u; the notes are "
			"corrupt: rebuild the object", KLP_NOTES_SECTION, note_off, s->name, s->kind);
		return -1;
	}
	/* addr is the descriptor's first field */
	return locate(r, s, note_off + KLP_NOTE_HEADER_SIZE, kelf_u64(k, desc));
}

static int read_unit(struct reader *r, struct klp_unit *u, const unsigned char *desc,
		     uint32_t descsz, size_t note_off)
{
	struct kelf *k = r->k;
	uint32_t nsyms;

	if (descsz < KLP_NOTE_UNIT_SIZE) {
		KLP_ERR(k->path, "%s+0x%zx: unit note of %u bytes, expected at least %d; the "
			"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, note_off,
			descsz, KLP_NOTE_UNIT_SIZE);
		return -1;
	}
	memset(u, 0, sizeof(*u));
	u->note_offset = note_off;
	u->version = kelf_u32(k, desc);
	if (u->version != KLP_NOTES_VERSION) {
		KLP_ERR(k->path, "%s+0x%zx: notes of format version %u; this klp-fixup reads "
			"version %d: use a klp-fixup and plugin of the same release",
			KLP_NOTES_SECTION, note_off, u->version, KLP_NOTES_VERSION);
		return -1;
	}
	u->flags = kelf_u32(k, desc + 4);
	u->id = kelf_u64(k, desc + 8);
	nsyms = kelf_u32(k, desc + 16);
	u->machine = kelf_u16(k, desc + 20);
	u->path = desc_string(r, desc, descsz, kelf_u32(k, desc + 24), KLP_NOTE_UNIT_SIZE,
			      note_off, "path");
	u->producer = desc_string(r, desc, descsz, kelf_u32(k, desc + 28), KLP_NOTE_UNIT_SIZE,
				  note_off, "producer");
	u->plugin = desc_string(r, desc, descsz, kelf_u32(k, desc + 32), KLP_NOTE_UNIT_SIZE,
				note_off, "plugin");
	if (!u->path || !u->producer || !u->plugin)
		return -1;
	if (u->machine != k->ehdr.e_machine) {
		KLP_ERR(k->path, "%s+0x%zx: unit %s was compiled for machine %u but the file is "
			"for machine %u; the notes do not belong to this file",
			KLP_NOTES_SECTION, note_off, u->path, u->machine, k->ehdr.e_machine);
		return -1;
	}
	/* Each symbol note takes at least header + fixed part: cap the count
	 * by what the section can hold before allocating for it. */
	if (nsyms > r->sec->size / (KLP_NOTE_HEADER_SIZE + KLP_NOTE_SYM_SIZE)) {
		KLP_ERR(k->path, "%s+0x%zx: unit %s claims %u symbols, more than the section "
			"can hold; the notes are corrupt: rebuild the object",
			KLP_NOTES_SECTION, note_off, u->path, nsyms);
		return -1;
	}
	u->syms = calloc(nsyms ? nsyms : 1, sizeof(*u->syms));
	if (!u->syms) {
		KLP_ERR(k->path, "out of memory");
		return -1;
	}
	/* nsyms is what the producer wrote; u->nsyms counts what is read. */
	return (int)nsyms;
}

static int unit_complete(const struct reader *r, const struct klp_unit *u, uint32_t want)
{
	if (u->nsyms == want)
		return 0;
	KLP_ERR(r->k->path, "%s+0x%zx: unit %s announces %u symbols but %zu follow; the "
		"notes are truncated or mixed: rebuild the object", KLP_NOTES_SECTION,
		u->note_offset, u->path, want, u->nsyms);
	return -1;
}

int klp_notes_read(struct kelf *k, struct klp_notes *notes)
{
	struct reader r = { .k = k };
	struct kelf_section *rsec;
	struct klp_unit *u = NULL;
	uint32_t want = 0;
	size_t off = 0, cap = 0;
	int ret = -1;

	memset(notes, 0, sizeof(*notes));
	r.sec = kelf_find_section(k, KLP_NOTES_SECTION);
	if (!r.sec)
		return 1;
	if (r.sec->sh.sh_type == SHT_NOBITS || (!r.sec->data && r.sec->size)) {
		KLP_ERR(k->path, "%s has no contents (stripped or --only-keep-debug "
			"counterpart?); use the unstripped file", KLP_NOTES_SECTION);
		return -1;
	}
	if (kelf_is_relocatable(k) && (rsec = kelf_relocs_for(k, r.sec))) {
		r.nrelocs = kelf_read_relocs(k, rsec, &r.relocs);
		if (r.nrelocs < 0)
			return -1;
	}

	while (off < r.sec->size) {
		const unsigned char *p = r.sec->data + off;
		uint32_t namesz, descsz, type;
		size_t left = r.sec->size - off;

		if (left < KLP_NOTE_HEADER_SIZE) {
			KLP_ERR(k->path, "%s+0x%zx: truncated note header", KLP_NOTES_SECTION, off);
			goto out;
		}
		namesz = kelf_u32(k, p);
		descsz = kelf_u32(k, p + 4);
		type = kelf_u32(k, p + 8);
		if (!namesz && !descsz && !type) {	/* alignment padding */
			off += KLP_NOTES_ALIGN;
			continue;
		}
		if (namesz != KLP_NOTES_OWNER_SIZE || memcmp(p + 12, KLP_NOTES_OWNER, 4)) {
			KLP_ERR(k->path, "%s+0x%zx: note owner is not \"%s\"; the section is "
				"corrupt or not made by klp-toolchain", KLP_NOTES_SECTION, off,
				KLP_NOTES_OWNER);
			goto out;
		}
		if (descsz % KLP_NOTES_ALIGN || descsz > left - KLP_NOTE_HEADER_SIZE) {
			KLP_ERR(k->path, "%s+0x%zx: note descriptor of %u bytes does not fit the "
				"%zu bytes left; the notes are truncated: rebuild the object",
				KLP_NOTES_SECTION, off, descsz, left - KLP_NOTE_HEADER_SIZE);
			goto out;
		}
		if (type == KLP_NT_UNIT) {
			int n;

			if (u && unit_complete(&r, u, want))
				goto out;
			if (notes->nunits == cap) {
				struct klp_unit *grown;

				cap = cap ? 2 * cap : 16;
				grown = realloc(notes->units, cap * sizeof(*grown));
				if (!grown) {
					KLP_ERR(k->path, "out of memory");
					goto out;
				}
				notes->units = grown;
			}
			u = &notes->units[notes->nunits++];
			memset(u, 0, sizeof(*u));	/* freeable if read_unit fails */
			n = read_unit(&r, u, p + KLP_NOTE_HEADER_SIZE, descsz, off);
			if (n < 0)
				goto out;
			want = (uint32_t)n;
		} else if (type == KLP_NT_SYM) {
			if (!u) {
				KLP_ERR(k->path, "%s+0x%zx: symbol note before any unit note; the "
					"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, off);
				goto out;
			}
			if (u->nsyms >= want) {
				KLP_ERR(k->path, "%s+0x%zx: unit %s announces %u symbols but more "
					"follow; the notes are corrupt: rebuild the object",
					KLP_NOTES_SECTION, off, u->path, want);
				goto out;
			}
			if (read_sym(&r, u, p + KLP_NOTE_HEADER_SIZE, descsz, off))
				goto out;
			notes->nsyms++;
		} else {
			KLP_ERR(k->path, "%s+0x%zx: unknown note type %u; use a klp-fixup of the "
				"same release as the plugin", KLP_NOTES_SECTION, off, type);
			goto out;
		}
		off += KLP_NOTE_HEADER_SIZE + descsz;
	}
	if (u && unit_complete(&r, u, want))
		goto out;
	ret = 0;
out:
	free(r.relocs);
	if (ret)
		klp_notes_free(notes);
	return ret;
}

void klp_notes_free(struct klp_notes *notes)
{
	for (size_t i = 0; i < notes->nunits; i++) {
		for (size_t j = 0; j < notes->units[i].nsyms; j++)
			free(notes->units[i].syms[j].inlined);
		free(notes->units[i].syms);
	}
	free(notes->units);
	memset(notes, 0, sizeof(*notes));
}
