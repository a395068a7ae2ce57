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

/*
 * Reading context: the file, its notes section, its relocations, and
 * where the note bytes come from: the section in memory (klp_notes_read),
 * a copy of one unit's notes (klp_notes_read_unit), or the file through a
 * bounded window (klp_notes_index).
 */
struct reader {
	struct kelf *k;
	const struct kelf_section *sec;
	const struct kelf_reloc *relocs;
	long nrelocs;
	const unsigned char *mem;	/* section bytes from offset base, or NULL */
	uint64_t base;
	struct kelf_stream *stream;	/* without mem */
};

/* One note as next_note() found it; desc is valid until the next call. */
struct note {
	uint32_t type, descsz;
	size_t off;
	const unsigned char *desc;
};

static const unsigned char *bytes_at(struct reader *r, uint64_t off, size_t len)
{
	if (r->mem)
		return r->mem + (off - r->base);
	return kelf_stream_at(r->stream, off, len);
}

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

/* Decode a symbol note into s (cleared first; its inlined list is
 * allocated, so the caller frees s even on error). */
static int read_sym(const struct reader *r, struct klp_sym *s, const struct note *n)
{
	struct kelf *k = r->k;
	const unsigned char *desc = n->desc;
	uint32_t descsz = n->descsz, name, origin, inlined;
	size_t note_off = n->off;

	memset(s, 0, sizeof(*s));
	if (descsz < KLP_NOTE_SYM_SIZE) {
		KLP_ERR(k->path, "%s+0x%zx: symbol note of %u bytes, expected at least %d; "
			"the notes are corrupt: rebuild the object", KLP_NOTES_SECTION, note_off,
			descsz, KLP_NOTE_SYM_SIZE);
		return -1;
	}
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
	/* The plugin records named symbols only: an empty name is a name
	 * offset at a padding NUL, and would only fail later as a symbol
	 * "missing" from the symbol table. */
	if (!*s->name) {
		KLP_ERR(k->path, "%s+0x%zx: symbol note with an empty name (name string at %u "
			"of %u bytes); the notes are corrupt: rebuild the object",
			KLP_NOTES_SECTION, note_off, name, descsz);
		return -1;
	}
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

/*
 * Decode a unit note into u (syms left alone); returns the symbol count
 * it announces, or -1.  The strings point into the note bytes and are set
 * in u only on success: in index mode those bytes are a reused read buffer
 * and u's strings are copies the index frees, so a unit that fails here
 * must keep none of them.
 */
static long read_unit(const struct reader *r, struct klp_unit *u, const struct note *n)
{
	struct kelf *k = r->k;
	const unsigned char *desc = n->desc;
	uint32_t descsz = n->descsz, nsyms;
	size_t note_off = n->off;
	const char *path, *producer, *plugin;

	if (descsz < KLP_NOTE_UNIT_SIZE) {
		KLP_ERR(k->path, "%s+0x%zx: unit note of %u bytes, expected at least %d; the "
			"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, note_off,
			descsz, KLP_NOTE_UNIT_SIZE);
		return -1;
	}
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
	path = desc_string(r, desc, descsz, kelf_u32(k, desc + 24), KLP_NOTE_UNIT_SIZE,
			   note_off, "path");
	producer = desc_string(r, desc, descsz, kelf_u32(k, desc + 28), KLP_NOTE_UNIT_SIZE,
			       note_off, "producer");
	plugin = desc_string(r, desc, descsz, kelf_u32(k, desc + 32), KLP_NOTE_UNIT_SIZE,
			     note_off, "plugin");
	if (!path || !producer || !plugin)
		return -1;
	if (u->machine != k->ehdr.e_machine) {
		KLP_ERR(k->path, "%s+0x%zx: unit %s was compiled for machine %u but the file is "
			"for machine %u; the notes do not belong to this file",
			KLP_NOTES_SECTION, note_off, path, u->machine, k->ehdr.e_machine);
		return -1;
	}
	/* Each symbol note takes at least header + fixed part: cap the count
	 * by what the section can hold before allocating for it. */
	if (nsyms > r->sec->size / (KLP_NOTE_HEADER_SIZE + KLP_NOTE_SYM_SIZE)) {
		KLP_ERR(k->path, "%s+0x%zx: unit %s claims %u symbols, more than the section "
			"can hold; the notes are corrupt: rebuild the object",
			KLP_NOTES_SECTION, note_off, path, nsyms);
		return -1;
	}
	u->path = path;
	u->producer = producer;
	u->plugin = plugin;
	return nsyms;
}

static int unit_complete(const struct reader *r, const struct klp_unit *u, uint32_t want,
			 size_t seen)
{
	if (seen == want)
		return 0;
	KLP_ERR(r->k->path, "%s+0x%zx: unit %s announces %u symbols but %zu follow; the "
		"notes are truncated or mixed: rebuild the object", KLP_NOTES_SECTION,
		u->note_offset, u->path, want, seen);
	return -1;
}

/* The note at *off (skipping padding) up to end: 1, 0 at the end, -1. */
static int next_note(struct reader *r, uint64_t *off, uint64_t end, struct note *n)
{
	const struct kelf *k = r->k;

	while (*off < end) {
		const unsigned char *p;
		uint64_t left = end - *off;
		uint32_t namesz;

		if (left < KLP_NOTE_HEADER_SIZE) {
			KLP_ERR(k->path, "%s+0x%llx: truncated note header", KLP_NOTES_SECTION,
				(unsigned long long)*off);
			return -1;
		}
		p = bytes_at(r, *off, KLP_NOTE_HEADER_SIZE);
		if (!p)
			return -1;
		namesz = kelf_u32(k, p);
		n->descsz = kelf_u32(k, p + 4);
		n->type = kelf_u32(k, p + 8);
		if (!namesz && !n->descsz && !n->type) {	/* alignment padding */
			*off += KLP_NOTES_ALIGN;
			continue;
		}
		if (namesz != KLP_NOTES_OWNER_SIZE || memcmp(p + 12, KLP_NOTES_OWNER, 4)) {
			KLP_ERR(k->path, "%s+0x%llx: note owner is not \"%s\"; the section is "
				"corrupt or not made by klp-toolchain", KLP_NOTES_SECTION,
				(unsigned long long)*off, KLP_NOTES_OWNER);
			return -1;
		}
		/* Every record is padded to 8 bytes; an odd size is no cut. */
		if (n->descsz % KLP_NOTES_ALIGN) {
			KLP_ERR(k->path, "%s+0x%llx: note descriptor of %u bytes is not a multiple "
				"of %d: every klp note is padded to %d bytes, so the notes are "
				"corrupt: rebuild the object", KLP_NOTES_SECTION,
				(unsigned long long)*off, n->descsz, KLP_NOTES_ALIGN, KLP_NOTES_ALIGN);
			return -1;
		}
		if (n->descsz > left - KLP_NOTE_HEADER_SIZE) {
			KLP_ERR(k->path, "%s+0x%llx: note descriptor of %u bytes does not fit the "
				"%llu bytes left; the notes are truncated: rebuild the object",
				KLP_NOTES_SECTION, (unsigned long long)*off, n->descsz,
				(unsigned long long)(left - KLP_NOTE_HEADER_SIZE));
			return -1;
		}
		n->off = (size_t)*off;
		n->desc = bytes_at(r, *off + KLP_NOTE_HEADER_SIZE, n->descsz);
		if (!n->desc)
			return -1;
		*off += KLP_NOTE_HEADER_SIZE + n->descsz;
		return 1;
	}
	return 0;
}

static struct klp_unit *add_unit(struct kelf *k, struct klp_notes *notes, size_t *cap,
				 uint64_t **ends)
{
	struct klp_unit *u;

	if (notes->nunits == *cap) {
		size_t grown_cap = *cap ? 2 * *cap : 16;
		struct klp_unit *grown = realloc(notes->units, grown_cap * sizeof(*grown));
		uint64_t *grown_ends = NULL;

		if (grown)
			notes->units = grown;
		if (grown && ends) {
			grown_ends = realloc(*ends, grown_cap * sizeof(*grown_ends));
			if (grown_ends)
				*ends = grown_ends;
		}
		if (!grown || (ends && !grown_ends)) {
			KLP_ERR(k->path, "out of memory");
			return NULL;
		}
		*cap = grown_cap;
	}
	u = &notes->units[notes->nunits++];
	memset(u, 0, sizeof(*u));	/* freeable if reading it fails */
	return u;
}

/* Index mode: the unit outlives the bytes its strings point into.  Each
 * string is a copy or NULL afterwards, even when a copy fails. */
static int own_strings(struct kelf *k, struct klp_unit *u)
{
	u->path = strdup(u->path);
	u->producer = strdup(u->producer);
	u->plugin = strdup(u->plugin);
	if (u->path && u->producer && u->plugin)
		return 0;
	KLP_ERR(k->path, "out of memory");
	return -1;
}

/*
 * Read the notes in [start, end) into notes.  With ends (index mode) the
 * symbols are decoded and checked but not kept, unit strings are copied,
 * and ends gets each unit's end offset.
 */
static int walk(struct reader *r, uint64_t start, uint64_t end, struct klp_notes *notes,
		uint64_t **ends)
{
	struct kelf *k = r->k;
	struct klp_unit *u = NULL;
	uint64_t off = start;
	uint32_t want = 0;
	size_t cap = 0, seen = 0;
	struct note n;
	int got;

	while ((got = next_note(r, &off, end, &n)) > 0) {
		if (n.type == KLP_NT_UNIT) {
			long count;

			if (u && unit_complete(r, u, want, seen))
				return -1;
			u = add_unit(k, notes, &cap, ends);
			if (!u)
				return -1;
			/* On error u keeps no string (read_unit()): nothing to free. */
			count = read_unit(r, u, &n);
			if (count < 0)
				return -1;
			want = (uint32_t)count;
			seen = 0;
			if (ends) {
				(*ends)[notes->nunits - 1] = off;
				u->nsyms = want;
				if (own_strings(k, u))
					return -1;
			} else {
				u->syms = calloc(want ? want : 1, sizeof(*u->syms));
				if (!u->syms) {
					KLP_ERR(k->path, "out of memory");
					return -1;
				}
			}
		} else if (n.type == KLP_NT_SYM) {
			struct klp_sym scratch, *s = &scratch;
			int ret;

			if (!u) {
				KLP_ERR(k->path, "%s+0x%zx: symbol note before any unit note; the "
					"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, n.off);
				return -1;
			}
			if (seen >= want) {
				KLP_ERR(k->path, "%s+0x%zx: unit %s announces %u symbols but more "
					"follow; the notes are corrupt: rebuild the object",
					KLP_NOTES_SECTION, n.off, u->path, want);
				return -1;
			}
			if (!ends)	/* counted now so klp_notes_free() sees s on error */
				s = &u->syms[u->nsyms++];
			ret = read_sym(r, s, &n);
			s->unit = u;
			if (ends) {
				free(scratch.inlined);
				(*ends)[notes->nunits - 1] = off;
			}
			if (ret)
				return -1;
			seen++;
			notes->nsyms++;
		} else {
			KLP_ERR(k->path, "%s+0x%zx: unknown note type %u; use a klp-fixup of the "
				"same release as the plugin", KLP_NOTES_SECTION, n.off, n.type);
			return -1;
		}
	}
	if (got < 0 || (u && unit_complete(r, u, want, seen)))
		return -1;
	return 0;
}

/* The notes section, or NULL (*ret 1: none; -1: unreadable, printed). */
static struct kelf_section *notes_section(struct kelf *k, int *ret)
{
	struct kelf_section *sec = kelf_find_section(k, KLP_NOTES_SECTION);

	*ret = 1;
	if (!sec)
		return NULL;
	*ret = -1;
	if (sec->sh.sh_type == SHT_NOBITS) {
		KLP_ERR(k->path, "%s has no contents (stripped or --only-keep-debug "
			"counterpart?); use the unstripped file", KLP_NOTES_SECTION);
		return NULL;
	}
	*ret = 0;
	return sec;
}

static int read_relocs(struct kelf *k, const struct kelf_section *sec,
		       struct kelf_reloc **relocs, long *nrelocs)
{
	struct kelf_section *rsec;

	*relocs = NULL;
	*nrelocs = 0;
	if (!kelf_is_relocatable(k) || !(rsec = kelf_relocs_for(k, sec)))
		return 0;
	*nrelocs = kelf_read_relocs(k, rsec, relocs);
	return *nrelocs < 0 ? -1 : 0;
}

int klp_notes_read(struct kelf *k, struct klp_notes *notes)
{
	struct reader r = { .k = k };
	struct kelf_section *sec;
	struct kelf_reloc *relocs;
	int ret;

	memset(notes, 0, sizeof(*notes));
	sec = notes_section(k, &ret);
	if (!sec)
		return ret;
	/* The units keep pointers into the section: it stays in memory. */
	if (kelf_load_section(k, sec))
		return -1;
	if (!sec->data && sec->size) {
		KLP_ERR(k->path, "%s has no contents (stripped or --only-keep-debug "
			"counterpart?); use the unstripped file", KLP_NOTES_SECTION);
		return -1;
	}
	if (read_relocs(k, sec, &relocs, &r.nrelocs))
		return -1;
	r.relocs = relocs;
	r.sec = sec;
	r.mem = sec->data;
	ret = walk(&r, 0, sec->size, notes, NULL);
	free(relocs);
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

int klp_notes_index(struct kelf *k, struct klp_notes *notes, struct klp_notes_spans *spans)
{
	struct reader r = { .k = k };
	struct kelf_stream stream;
	struct kelf_section *sec;
	int ret;

	memset(notes, 0, sizeof(*notes));
	memset(spans, 0, sizeof(*spans));
	sec = notes_section(k, &ret);
	if (!sec)
		return ret;
	if (kelf_stream_open(&stream, k, sec))
		return -1;
	ret = read_relocs(k, sec, &spans->relocs, &spans->nrelocs);
	r.relocs = spans->relocs;
	r.nrelocs = spans->nrelocs;
	r.sec = sec;
	r.stream = &stream;
	if (!ret)
		ret = walk(&r, 0, sec->size, notes, &spans->ends);
	kelf_stream_close(&stream);
	if (ret)
		klp_notes_index_free(notes, spans);
	return ret;
}

void klp_notes_index_free(struct klp_notes *notes, struct klp_notes_spans *spans)
{
	for (size_t i = 0; i < notes->nunits; i++) {
		free((char *)notes->units[i].path);
		free((char *)notes->units[i].producer);
		free((char *)notes->units[i].plugin);
	}
	free(notes->units);
	free(spans->ends);
	free(spans->relocs);
	memset(notes, 0, sizeof(*notes));
	memset(spans, 0, sizeof(*spans));
}

int klp_notes_read_unit(struct kelf *k, const struct klp_notes *index,
			const struct klp_notes_spans *spans, size_t i, struct klp_unit_notes *un)
{
	struct reader r = { .k = k, .relocs = spans->relocs, .nrelocs = spans->nrelocs };
	const struct klp_unit *iu = &index->units[i];
	uint64_t start = iu->note_offset, len = spans->ends[i] - start;
	struct klp_notes notes = { 0 };
	struct kelf_stream stream;
	const unsigned char *p;
	int ret = -1;

	memset(un, 0, sizeof(*un));
	r.sec = kelf_find_section(k, KLP_NOTES_SECTION);
	if (!r.sec || kelf_stream_open(&stream, k, r.sec))
		return -1;
	/* One read for the unit; its strings point into the copy. */
	p = kelf_stream_at(&stream, start, (size_t)len);
	un->bytes = p ? malloc(len ? len : 1) : NULL;
	if (p && !un->bytes)
		KLP_ERR(k->path, "out of memory for unit %s", iu->path);
	if (un->bytes) {
		memcpy(un->bytes, p, len);
		r.mem = un->bytes;
		r.base = start;
		ret = walk(&r, start, start + len, &notes, NULL);
	}
	kelf_stream_close(&stream);
	if (!ret && notes.nunits != 1) {
		KLP_ERR(k->path, "%s+0x%llx: unit %s changed while it was read; read the file "
			"when nothing writes it", KLP_NOTES_SECTION, (unsigned long long)start,
			iu->path);
		ret = -1;
	}
	if (ret) {
		klp_notes_free(&notes);
		free(un->bytes);
		un->bytes = NULL;
		return -1;
	}
	un->unit = notes.units[0];
	free(notes.units);
	for (size_t j = 0; j < un->unit.nsyms; j++)
		un->unit.syms[j].unit = &un->unit;
	return 0;
}

void klp_unit_notes_free(struct klp_unit_notes *un)
{
	for (size_t j = 0; j < un->unit.nsyms; j++)
		free(un->unit.syms[j].inlined);
	free(un->unit.syms);
	free(un->bytes);
	memset(un, 0, sizeof(*un));
}
