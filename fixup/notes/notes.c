/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes.c - decode .debug_klp (docs/note-format.md).
 *
 * The section is untrusted input: every length, offset and count is
 * checked against the bytes that hold it before it is used, and every
 * string must end inside its own note.
 */
#include "notes-internal.h"
#include "notes-names.h"
#include "../base/warn.h"

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
#define KLP_SITE_NAME(name, value, dump) case KLP_SITE_##name: return dump;
	KLP_SITE_KINDS(KLP_SITE_NAME)
#undef KLP_SITE_NAME
	default:
		return "unknown";
	}
}

/* Both tables end with { 0, NULL }. */
const struct klp_flag_name klp_unit_flag_names[] = {
#define KLP_UNIT_FLAG_NAME(name, value, dump, meaning) { KLP_UNIT_##name, dump },
	KLP_UNIT_FLAGS(KLP_UNIT_FLAG_NAME)
#undef KLP_UNIT_FLAG_NAME
	{ 0, NULL },
};

const struct klp_flag_name klp_sym_flag_names[] = {
#define KLP_SYM_FLAG_NAME(name, value, dump, meaning) { KLP_SYM_##name, dump },
	KLP_SYM_FLAGS(KLP_SYM_FLAG_NAME)
#undef KLP_SYM_FLAG_NAME
	{ 0, NULL },
};

static const unsigned char *bytes_at(struct reader *r, uint64_t off, size_t len)
{
	if (r->mem)
		return r->mem + (off - r->base);
	return kelf_stream_at(r->stream, off, len);
}

/* The unit note being decoded: its descriptor and where its parts are. */
struct unit_desc {
	const unsigned char *desc;
	uint32_t descsz;
	size_t note_off;
	struct klp_note_unit fixed;
	const unsigned char *checksums;	/* checksum_size bytes */
	uint32_t next_checksum;		/* byte offset of the next one */
	const char *strtab;		/* strtab_size bytes, the last a NUL */
	uint32_t *stroff;		/* nstrings offsets into strtab */
	const unsigned char *rec, *rec_end;	/* records, inlined lists, padding */
	uint64_t addr_off;		/* section offset of addr[0] */
	const char *unit_path;
};

static int corrupt(const struct reader *r, const struct unit_desc *d, const char *what)
{
	KLP_ERR(r->k->path, "%s+0x%zx: %s; the notes are corrupt: rebuild the object",
		KLP_NOTES_SECTION, d->note_off, what);
	return -1;
}

/* A string of the unit by index, or NULL after printing why. */
static const char *unit_string(const struct reader *r, const struct unit_desc *d,
			       uint64_t index, const char *field)
{
	if (index >= d->fixed.nstrings) {
		KLP_ERR(r->k->path, "%s+0x%zx: %s string %llu is past the unit's %u strings; "
			"the notes are corrupt: rebuild the object", KLP_NOTES_SECTION,
			d->note_off, field, (unsigned long long)index, d->fixed.nstrings);
		return NULL;
	}
	return d->strtab + d->stroff[index];
}

static int read_leb(const struct reader *r, const struct unit_desc *d,
		    const unsigned char **p, uint64_t *v)
{
	unsigned shift = 0;
	unsigned char c;

	*v = 0;
	do {
		if (*p >= d->rec_end || shift > 63)
			return corrupt(r, d, *p >= d->rec_end ? "a symbol record runs past its note"
				       : "a LEB128 value longer than 64 bits");
		c = *(*p)++;
		*v |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	return 0;
}

static bool is_abs64_reloc(const struct kelf *k, uint32_t type)
{
	switch (k->ehdr.e_machine) {
	case EM_X86_64:	return type == 1;	/* R_X86_64_64 */
	case EM_PPC64:	return type == 38;	/* R_PPC64_ADDR64 */
	case EM_S390:	return type == 22;	/* R_390_64 */
	default:	return false;
	}
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
			KLP_NOTES_SECTION, (unsigned long long)field_off,
			s->name ? s->name : "(named by the symbol table)", rel->type);
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

/* A record's inlined list, from the unit's inlined part at *p. */
static int read_inlined(const struct reader *r, const struct unit_desc *d,
			const unsigned char **p, struct klp_sym *s)
{
	uint64_t n, index = 0;

	if (read_leb(r, d, p, &n))
		return -1;
	/* each index takes at least one byte: bound the count first */
	if (!n || n > (uint64_t)(d->rec_end - *p))
		return corrupt(r, d, "an inlined list empty or longer than its note");
	s->inlined = calloc(n, sizeof(*s->inlined));
	if (!s->inlined) {
		KLP_ERR(r->k->path, "out of memory");
		return -1;
	}
	s->ninlined = (unsigned)n;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t delta;

		if (read_leb(r, d, p, &delta))
			return -1;
		if (i && !delta)
			return corrupt(r, d, "an inlined list names a function twice");
		index += delta;
		s->inlined[i] = unit_string(r, d, index, "inlined");
		if (!s->inlined[i])
			return -1;
	}
	return 0;
}

/* The record's fields into s (cleared first). */
static int read_record(const struct reader *r, struct unit_desc *d,
		       const unsigned char **p, struct klp_sym *s, size_t i)
{
	struct klp_note_record rec;
	uint64_t flags = 0;

	memset(s, 0, sizeof(*s));
	memset(&rec, 0, sizeof(rec));
	s->note_offset = d->note_off;
#define KLP_RECORD_READ(field, enc, present)					\
	if ((present) && read_leb(r, d, p, &rec.field))				\
		return -1;							\
	flags = KLP_INFO_FLAGS(rec.info);
	KLP_SYM_RECORD(KLP_RECORD_READ)
#undef KLP_RECORD_READ
	if (flags & KLP_SYM_NAMED) {
		s->name = unit_string(r, d, rec.name, "name");
		if (!s->name)
			return -1;
		/* The plugins record named symbols only: an empty name would
		 * only fail later as a symbol "missing" from the symbol table. */
		if (!*s->name)
			return corrupt(r, d, "a symbol record with an empty name");
	}
	s->kind = (uint16_t)KLP_INFO_KIND(rec.info);
	if (s->kind != KLP_KIND_FUNC && s->kind != KLP_KIND_OBJECT) {
		KLP_ERR(r->k->path, "%s+0x%zx: symbol %zu of unit %s has unknown kind %u; the "
			"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, d->note_off,
			i, d->unit_path, s->kind);
		return -1;
	}
	/* A function's size, site and prefix fit 32 bits; an object's size is
	 * ELF's st_size (GCC's own torture tests declare 1.2 EB arrays). */
	if (flags > UINT16_MAX || rec.prefix > UINT32_MAX || rec.site > UINT32_MAX ||
	    (rec.size > UINT32_MAX && KLP_INFO_KIND(rec.info) == KLP_KIND_FUNC))
		return corrupt(r, d, "a symbol record with a value out of range");
	s->flags = (uint16_t)flags;
	s->size = rec.size;
	s->site_kind = (uint16_t)KLP_INFO_SITE_KIND(rec.info);
	s->site = (int32_t)(rec.site - rec.prefix);	/* from the symbol */
	s->prefix = (uint32_t)rec.prefix;
	if (KLP_HAS_CHECKSUM(s->kind, flags)) {
		unsigned width = KLP_CHECKSUM_SIZE(s->kind);
		const unsigned char *at = d->checksums + d->next_checksum;

		if (width > d->fixed.checksum_size - d->next_checksum)
			return corrupt(r, d, "more records with a checksum than checksums");
		s->has_checksum = true;
		s->checksum = width == KLP_NOTE_FUNC_CHECKSUM_SIZE ? kelf_u64(r->k, at) :
			      kelf_u32(r->k, at);
		d->next_checksum += width;
	}
	if (flags & KLP_SYM_ORIGIN) {
		s->origin = unit_string(r, d, rec.origin, "origin");
		if (!s->origin)
			return -1;
	}
	return locate(r, s, d->addr_off + (uint64_t)i * KLP_NOTE_ADDR_SIZE,
		      kelf_u64(r->k, d->desc + KLP_NOTE_UNIT_SIZE + i * KLP_NOTE_ADDR_SIZE));
}

static uint64_t read_int(const struct kelf *k, const unsigned char *p, size_t size)
{
	return size == 2 ? kelf_u16(k, p) : size == 4 ? kelf_u32(k, p) : kelf_u64(k, p);
}

/* Where each string starts; exactly nstrings of them. */
static int index_strings(const struct reader *r, struct unit_desc *d)
{
	uint32_t n = 0;

	if (d->fixed.nstrings > d->fixed.strtab_size)
		return corrupt(r, d, "more strings than string table bytes");
	d->stroff = malloc((d->fixed.nstrings ? d->fixed.nstrings : 1) * sizeof(*d->stroff));
	if (!d->stroff) {
		KLP_ERR(r->k->path, "out of memory");
		return -1;
	}
	for (uint32_t off = 0; off < d->fixed.strtab_size; n++) {
		if (n == d->fixed.nstrings)
			return corrupt(r, d, "more strings in the string table than announced");
		d->stroff[n] = off;
		off += (uint32_t)strlen(d->strtab + off) + 1;
	}
	if (n != d->fixed.nstrings)
		return corrupt(r, d, "fewer strings in the string table than announced");
	return 0;
}

/* The fixed part and the string table of a unit note, checked. */
static int read_unit_fixed(const struct reader *r, struct unit_desc *d)
{
	struct klp_note_unit *f = &d->fixed;
	uint64_t tables;

	if (d->descsz < KLP_NOTE_UNIT_SIZE) {
		KLP_ERR(r->k->path, "%s+0x%zx: unit note of %u bytes, expected at least %d; the "
			"notes are corrupt: rebuild the object", KLP_NOTES_SECTION, d->note_off,
			d->descsz, KLP_NOTE_UNIT_SIZE);
		return -1;
	}
	f->version = kelf_u32(r->k, d->desc);
	if (f->version != KLP_NOTES_VERSION) {
		KLP_ERR(r->k->path, "%s+0x%zx: notes of format version %u; this klp-fixup %s "
			"reads version %d: rebuild the object (or the kernel) with the plugin of "
			"the same release", KLP_NOTES_SECTION, d->note_off, f->version,
			KLP_RELEASE, KLP_NOTES_VERSION);
		return -1;
	}
#define KLP_FIELD_READ(type, field, comment)					\
	f->field = (type)read_int(r->k, d->desc + offsetof(struct klp_note_unit, field),	\
				  sizeof(type));
	KLP_UNIT_FIELDS(KLP_FIELD_READ)
#undef KLP_FIELD_READ
	/* addresses, checksums, strings and the smallest record per symbol */
	tables = KLP_NOTE_UNIT_SIZE + (uint64_t)f->nsyms * (KLP_NOTE_ADDR_SIZE +
		KLP_RECORD_MIN_SIZE) + (uint64_t)f->checksum_size +
		f->strtab_size;
	if (tables > d->descsz ||
	    f->checksum_size > (uint64_t)f->nsyms * KLP_NOTE_FUNC_CHECKSUM_SIZE)
		return corrupt(r, d, "the unit's symbol count, checksums and string table do "
			       "not fit its note");
	d->checksums = d->desc + KLP_NOTE_UNIT_SIZE + (size_t)f->nsyms * KLP_NOTE_ADDR_SIZE;
	d->strtab = (const char *)d->checksums + f->checksum_size;
	if (f->strtab_size && d->strtab[f->strtab_size - 1])
		return corrupt(r, d, "the unit's string table does not end with a NUL");
	d->rec = (const unsigned char *)d->strtab + f->strtab_size;
	d->rec_end = d->desc + d->descsz;
	d->addr_off = d->note_off + KLP_NOTE_HEADER_SIZE + KLP_NOTE_UNIT_SIZE;
	return index_strings(r, d);
}

/* The records, then the inlined lists of those that have one. */
static int read_records(const struct reader *r, struct unit_desc *d, struct klp_unit *u,
			bool keep, const unsigned char **p)
{
	size_t ninlined = 0;

	for (size_t i = 0; i < d->fixed.nsyms; i++) {
		struct klp_sym scratch, *s = keep ? &u->syms[u->nsyms++] : &scratch;
		int ret = read_record(r, d, p, s, i);

		s->unit = u;
		ninlined += (s->flags & KLP_SYM_INLINED) != 0;
		if (ret)
			return -1;
	}
	if (d->next_checksum != d->fixed.checksum_size)
		return corrupt(r, d, "fewer records with a checksum than checksums");
	for (size_t i = 0, j = 0; j < ninlined; i++) {
		struct klp_sym scratch, *s = keep ? &u->syms[i] : &scratch;
		int ret;

		memset(&scratch, 0, sizeof(scratch));
		if (keep && !(s->flags & KLP_SYM_INLINED))
			continue;
		ret = read_inlined(r, d, p, s);
		if (!keep)
			free(scratch.inlined);
		if (ret)
			return -1;
		j++;
	}
	return 0;
}

/*
 * Give each record its name from the symbol table where the notes leave
 * it out, and leave out those the link discarded: no table names them,
 * and the kernel cannot resolve them.
 */
static int name_records(const struct reader *r, struct klp_unit *u)
{
	size_t kept = 0;

	for (size_t i = 0; i < u->nsyms; i++) {
		struct klp_sym *s = &u->syms[i];

		if (klp_notes_name(r->k, r->symaddr, s))
			return -1;
		if (s->name) {
			u->syms[kept++] = *s;
			continue;
		}
		free(s->inlined);
		s->inlined = NULL;
		s->ninlined = 0;
		if (!u->discarded) {
			u->discarded = calloc(u->nsyms, sizeof(*u->discarded));
			if (!u->discarded) {
				KLP_ERR(r->k->path, "out of memory");
				return -1;
			}
		}
		u->discarded[u->ndiscarded++] = *s;
	}
	u->nsyms = kept;
	return 0;
}

/*
 * Decode a unit note into u.  With keep, u->syms gets every symbol;
 * without, they are decoded and checked only.  The strings point into the
 * note bytes: in index mode those are a reused read buffer, and u's
 * strings are copied by the caller.
 */
static int read_unit(const struct reader *r, struct klp_unit *u, const struct note *n,
		     bool keep)
{
	struct unit_desc d;
	const unsigned char *p;
	int ret = -1;

	memset(&d, 0, sizeof(d));
	d.desc = n->desc;
	d.descsz = n->descsz;
	d.note_off = n->off;
	if (read_unit_fixed(r, &d))
		goto out;
	u->note_offset = n->off;
	u->version = d.fixed.version;
	u->flags = d.fixed.flags;
	u->id = d.fixed.id;
	u->machine = d.fixed.machine;
	u->path = unit_string(r, &d, d.fixed.path, "path");
	u->producer = unit_string(r, &d, d.fixed.producer, "producer");
	u->plugin = unit_string(r, &d, d.fixed.plugin, "plugin");
	if (!u->path || !u->producer || !u->plugin)
		goto out;
	u->path_len = strlen(u->path);
	d.unit_path = u->path;
	if (u->machine != r->k->ehdr.e_machine) {
		KLP_ERR(r->k->path, "%s+0x%zx: unit %s was compiled for machine %u but the file is "
			"for machine %u; the notes do not belong to this file",
			KLP_NOTES_SECTION, n->off, u->path, u->machine, r->k->ehdr.e_machine);
		goto out;
	}
	if (keep) {
		u->syms = calloc(d.fixed.nsyms ? d.fixed.nsyms : 1, sizeof(*u->syms));
		if (!u->syms) {
			KLP_ERR(r->k->path, "out of memory");
			goto out;
		}
	}
	p = d.rec;
	if (read_records(r, &d, u, keep, &p) || (keep && name_records(r, u)))
		goto out;
	if (!keep)
		u->nsyms = d.fixed.nsyms;
	if (d.rec_end - p >= KLP_NOTES_ALIGN) {
		corrupt(r, &d, "bytes after the last symbol record");
		goto out;
	}
	for (; p < d.rec_end; p++) {
		if (*p) {
			corrupt(r, &d, "padding after the last symbol record is not zero");
			goto out;
		}
	}
	ret = 0;
out:
	free(d.stroff);
	return ret;
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

int klp_notes_walk(struct reader *r, uint64_t start, uint64_t end, struct klp_notes *notes,
		   uint64_t **ends)
{
	struct kelf *k = r->k;
	uint64_t off = start;
	size_t cap = 0;
	struct note n;
	int got;

	while ((got = next_note(r, &off, end, &n)) > 0) {
		struct klp_unit *u;

		if (n.type != KLP_NT_UNIT) {
			KLP_ERR(k->path, "%s+0x%zx: note type %u; this klp-fixup %s reads unit "
				"notes (type %d) of format %d: use a klp-fixup of the same release "
				"as the plugin", KLP_NOTES_SECTION, n.off, n.type, KLP_RELEASE,
				KLP_NT_UNIT, KLP_NOTES_VERSION);
			return -1;
		}
		u = add_unit(k, notes, &cap, ends);
		if (!u)
			return -1;
		if (read_unit(r, u, &n, !ends)) {
			/* index mode: strings point into a reused buffer */
			if (ends)
				u->path = u->producer = u->plugin = NULL;
			return -1;
		}
		notes->nsyms += u->nsyms;
		if (ends) {
			(*ends)[notes->nunits - 1] = off;
			if (own_strings(k, u))
				return -1;
		}
	}
	/* add_unit() moves the units as the array grows: each symbol's unit
	 * pointer is set again where its unit now is. */
	for (size_t i = 0; i < notes->nunits; i++) {
		struct klp_unit *u = &notes->units[i];

		for (size_t j = 0; u->syms && j < u->nsyms; j++)
			u->syms[j].unit = u;
		for (size_t j = 0; u->discarded && j < u->ndiscarded; j++)
			u->discarded[j].unit = u;
	}
	return got < 0 ? -1 : 0;
}

struct kelf_section *klp_notes_section(struct kelf *k, int *ret)
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

int klp_notes_relocs(struct kelf *k, const struct kelf_section *sec,
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
	sec = klp_notes_section(k, &ret);
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
	if (klp_notes_relocs(k, sec, &relocs, &r.nrelocs))
		return -1;
	r.relocs = relocs;
	r.sec = sec;
	r.mem = sec->data;
	r.symaddr = &notes->symaddr;	/* names read from .strtab live as long */
	ret = klp_notes_walk(&r, 0, sec->size, notes, NULL);
	free(relocs);
	if (ret)
		klp_notes_free(notes);
	return ret;
}

void klp_notes_free(struct klp_notes *notes)
{
	klp_symaddr_free(notes->symaddr);
	for (size_t i = 0; i < notes->nunits; i++) {
		for (size_t j = 0; j < notes->units[i].nsyms; j++)
			free(notes->units[i].syms[j].inlined);
		free(notes->units[i].syms);
		free(notes->units[i].discarded);
	}
	free(notes->units);
	memset(notes, 0, sizeof(*notes));
}

int klp_notes_open(struct kelf *k, const char *path, struct klp_notes *notes)
{
	int ret;

	if (kelf_open(k, path))
		return -1;
	ret = klp_notes_read(k, notes);
	if (ret == 1)
		KLP_ERR(path, "no %s section: compile it with the klp plugin", KLP_NOTES_SECTION);
	if (ret) {
		kelf_close(k);
		return -1;
	}
	return 0;
}
