/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf.c - open an ELF file and load its sections, symbols and relocations
 * into plain structs; for a file too large to hold (a vmlinux), leave the
 * sections to be read in bounded chunks (kelf-stream.c).  The file is
 * only read: inputs are never modified.  Every size and index read from
 * the file is checked before use (kelf-check.c), so a truncated or
 * hostile file gives an error, not a crash.
 */
#include "kelf.h"
#include "kelf-internal.h"
#include "../base/files.h"
#include "../base/warn.h"
#include "../../include/klp-notes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * The section's bytes in the file's byte order, as the kelf_u* accessors
 * read them (scn may be NULL: none).  elf_getdata() converts typed sections
 * (.symtab, .rela.*) to the host's order, so a file of the other order
 * (s390x read on x86_64) is taken raw; libelf's converted view stays for
 * the gelf_* calls that edit it.
 */
int kelf_take_data(struct kelf *k, Elf_Scn *scn, struct kelf_section *s)
{
	Elf_Data *data = NULL;

	if (scn)
		data = k->big_endian == KELF_HOST_BIG_ENDIAN ? elf_getdata(scn, NULL)
							      : elf_rawdata(scn, NULL);

	if (!data && s->sh.sh_size) {
		KLP_ERR_ELF(k->path, "section %s: cannot read %llu bytes", s->name,
			    (unsigned long long)s->sh.sh_size);
		return -1;
	}
	s->data = data ? data->d_buf : NULL;
	s->size = data ? data->d_size : 0;
	return 0;
}


/* The notes' size, inflated or as stored, against k->notes_budget. */
int kelf_check_notes_size(const struct kelf *k, const struct kelf_section *s, uint64_t size)
{
	if (size <= k->notes_budget)
		return 0;
	KLP_ERR(k->path, "section %s holds %llu bytes of notes, more than the file's symbol "
		"and string tables can describe (at most %llu): the section is corrupt or a "
		"decompression bomb; rebuild the file with the klp plugin", s->name,
		(unsigned long long)size, (unsigned long long)k->notes_budget);
	return -1;
}

/*
 * Inflate compressed section s: s->data and s->size then hold its
 * contents, while s->sh keeps the header as stored.  zlib goes through
 * libelf; zstd, unknown to elfutils before 0.189, through kelf-inflate.c.
 * The header is decoded here, not by libelf, so that an unknown type gets
 * a message that says what to do.
 */
static int inflate_section(struct kelf *k, Elf_Scn *scn, struct kelf_section *s)
{
	Elf_Data *raw = elf_rawdata(scn, NULL);
	struct kelf_chdr ch;
	unsigned char *buf;

	if (!raw) {
		KLP_ERR_ELF(k->path, "section %s: cannot read its %llu compressed bytes", s->name,
			    (unsigned long long)s->sh.sh_size);
		return -1;
	}
	if (kelf_chdr_decode(k, s, raw->d_buf, raw->d_size, &ch))
		return -1;
	if (ch.type == ELFCOMPRESS_ZLIB) {
		if (kelf_check_notes_size(k, s, ch.size))
			return -1;
		if (elf_compress(scn, 0, 0) < 0) {
			KLP_ERR_ELF(k->path, "section %s: cannot inflate its zlib data (the section "
				    "is corrupt; rebuild the file)", s->name);
			return -1;
		}
		return kelf_take_data(k, scn, s);
	}
	if (ch.type != ELFCOMPRESS_ZSTD) {
		KLP_ERR(k->path, "section %s: compression type %u is unknown (klp-fixup reads "
			"zlib and zstd): decompress it with objcopy --decompress-debug-sections",
			s->name, ch.type);
		return -1;
	}
	buf = kelf_inflate_zstd(k, s, raw->d_buf, raw->d_size, &ch);
	if (!buf)
		return -1;
	if (!kelf_own(k, buf)) {	/* freed by kelf_own() */
		KLP_ERR(k->path, "section %s: out of memory", s->name);
		return -1;
	}
	s->data = buf;
	s->size = (size_t)ch.size;
	return 0;
}

/* A compressed section that was not inflated cannot be read in place. */
int kelf_refuse_compressed(const struct kelf *k, const struct kelf_section *sec)
{
	KLP_ERR(k->path, "section %s is compressed (SHF_COMPRESSED) and only %s is inflated; "
		"decompress the file with objcopy --decompress-debug-sections", sec->name,
		KLP_NOTES_SECTION);
	return -1;
}

static int load_section(struct kelf *k, Elf_Scn *scn, size_t shstrndx)
{
	struct kelf_section *s = &k->secs[elf_ndxscn(scn)];

	s->index = elf_ndxscn(scn);
	if (!gelf_getshdr(scn, &s->sh)) {
		KLP_ERR_ELF(k->path, "section %zu: bad header", s->index);
		return -1;
	}
	s->name = elf_strptr(k->elf, shstrndx, s->sh.sh_name);
	if (!s->name) {
		KLP_ERR_ELF(k->path, "section %zu: bad name", s->index);
		return -1;
	}
	if (s->sh.sh_type == SHT_NOBITS || s->sh.sh_type == SHT_NULL)
		return 0;
	/* Checked here, not left to libelf: a lazy open reads no section
	 * until asked, and the message can say which section is cut. */
	if (s->sh.sh_offset > k->file_size || s->sh.sh_size > k->file_size - s->sh.sh_offset) {
		KLP_ERR(k->path, "section %s (%llu bytes at 0x%llx) runs past the end of the file "
			"(%llu bytes): the file is truncated or its section header is corrupt; use "
			"the complete file", s->name, (unsigned long long)s->sh.sh_size,
			(unsigned long long)s->sh.sh_offset, (unsigned long long)k->file_size);
		return -1;
	}
	/* An edited copy keeps compressed sections as they are: nothing
	 * that edits a file reads them, and inflating would rewrite them. */
	if ((s->sh.sh_flags & SHF_COMPRESSED) && k->editing)
		return 0;
	/* Linkers may compress .debug_* (SHF_COMPRESSED).  Only the notes
	 * are read: inflating DWARF too would cost a kernel's worth of it. */
	if ((s->sh.sh_flags & SHF_COMPRESSED) && strcmp(s->name, KLP_NOTES_SECTION))
		return 0;
	if (s->sh.sh_flags & SHF_COMPRESSED)
		return inflate_section(k, scn, s);
	if (!strcmp(s->name, KLP_NOTES_SECTION) && kelf_check_notes_size(k, s, s->sh.sh_size))
		return -1;
	if (kelf_take_data(k, scn, s))
		return -1;
	/* Lazy: the section lies inside the file (checked above) and libelf
	 * points into the mapping without reading it.  Forget the pointer:
	 * reads then go through kelf_stream and no mapped page is touched. */
	if (k->lazy)
		s->data = NULL;
	return 0;
}

int kelf_load_symbols(struct kelf *k)
{
	struct kelf_section *symtab = kelf_symtab(k);
	Elf_Data *data;
	Elf_Scn *scn;

	if (k->syms || !symtab)
		return 0;	/* a stripped file: callers say what they miss */
	if (symtab->sh.sh_entsize != sizeof(Elf64_Sym) && symtab->sh.sh_entsize != sizeof(Elf32_Sym)) {
		KLP_ERR(k->path, ".symtab: bad entry size %llu",
			(unsigned long long)symtab->sh.sh_entsize);
		return -1;
	}
	scn = elf_getscn(k->elf, symtab->index);
	data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data) {
		KLP_ERR_ELF(k->path, ".symtab: cannot read");
		return -1;
	}
	k->nsyms = data->d_size / symtab->sh.sh_entsize;
	k->syms = calloc(k->nsyms ? k->nsyms : 1, sizeof(*k->syms));
	if (!k->syms) {
		KLP_ERR(k->path, "out of memory for %zu symbols", k->nsyms);
		return -1;
	}
	for (size_t i = 0; i < k->nsyms; i++) {
		struct kelf_symbol *s = &k->syms[i];

		if (!gelf_getsym(data, (int)i, &s->sym)) {
			KLP_ERR_ELF(k->path, ".symtab: bad symbol %zu", i);
			return -1;
		}
		s->index = i;
		s->bind = GELF_ST_BIND(s->sym.st_info);
		s->type = GELF_ST_TYPE(s->sym.st_info);
		s->name = elf_strptr(k->elf, symtab->sh.sh_link, s->sym.st_name);
		if (!s->name) {
			KLP_ERR_ELF(k->path, ".symtab: symbol %zu has a bad name", i);
			return -1;
		}
	}
	return 0;
}

/* Read the file behind fd (opened by the caller) with libelf command cmd. */
int kelf_begin(struct kelf *k, Elf_Cmd cmd)
{
	const char *path = k->path;
	size_t shstrndx, nsecs;
	uint64_t header_nsecs;
	Elf_Scn *scn = NULL;
	struct stat st;

	k->elf = elf_begin(k->fd, cmd, NULL);
	if (!k->elf || elf_kind(k->elf) != ELF_K_ELF) {
		KLP_ERR(path, "not an ELF file");
		return -1;
	}
	if (!gelf_getehdr(k->elf, &k->ehdr)) {
		KLP_ERR_ELF(path, "bad ELF header");
		return -1;
	}
	if (k->ehdr.e_ident[EI_CLASS] != ELFCLASS64) {
		KLP_ERR(path, "only 64-bit ELF files are supported");
		return -1;
	}
	k->big_endian = k->ehdr.e_ident[EI_DATA] == ELFDATA2MSB;
	if (fstat(k->fd, &st)) {
		KLP_ERR(path, "cannot stat: %s", strerror(errno));
		return -1;
	}
	k->file_size = (uint64_t)st.st_size;
	if (kelf_check_tables(k, &header_nsecs))
		return -1;
	if (elf_getshdrnum(k->elf, &nsecs) || elf_getshdrstrndx(k->elf, &shstrndx)) {
		KLP_ERR_ELF(path, "bad section headers");
		return -1;
	}
	if (nsecs != header_nsecs) {
		KLP_ERR(path, "libelf reads %zu sections where the ELF header gives %llu: the "
			"section headers are corrupt; rebuild the file", nsecs,
			(unsigned long long)header_nsecs);
		return -1;
	}
	k->nsecs = nsecs;
	k->notes_budget = kelf_notes_budget(k);
	k->secs = calloc(nsecs ? nsecs : 1, sizeof(*k->secs));
	if (!k->secs) {
		KLP_ERR(path, "out of memory for %zu sections", nsecs);
		return -1;
	}
	while ((scn = elf_nextscn(k->elf, scn))) {
		if (elf_ndxscn(scn) >= nsecs) {
			KLP_ERR(path, "section index out of range");
			return -1;
		}
		if (load_section(k, scn, shstrndx))
			return -1;
	}
	if (kelf_check_reloc_links(k) || (k->editing && kelf_check_layout(k)))
		return -1;
	return k->lazy ? 0 : kelf_load_symbols(k);
}

static int open_read(struct kelf *k, const char *path, bool lazy)
{
	memset(k, 0, sizeof(*k));
	k->path = path;
	k->lazy = lazy;
	elf_version(EV_CURRENT);
	k->fd = klp_open_regular(path);
	if (k->fd < 0)
		return -1;
	/* Mapped, not read: only the pages something looks at cost memory. */
	if (kelf_begin(k, ELF_C_READ_MMAP)) {
		kelf_close(k);
		return -1;
	}
	return 0;
}

int kelf_open(struct kelf *k, const char *path)
{
	return open_read(k, path, false);
}

int kelf_open_lazy(struct kelf *k, const char *path)
{
	return open_read(k, path, true);
}

int kelf_load_section(struct kelf *k, struct kelf_section *sec)
{
	Elf_Scn *scn;

	if (sec->data || !sec->size || sec->sh.sh_type == SHT_NOBITS ||
	    sec->sh.sh_type == SHT_NULL)
		return 0;
	/* Only the notes are inflated at open (load_section()), and an edited
	 * copy keeps even those compressed. */
	if (sec->sh.sh_flags & SHF_COMPRESSED)
		return kelf_refuse_compressed(k, sec);
	scn = elf_getscn(k->elf, sec->index);
	return kelf_take_data(k, scn, sec);
}


void kelf_decode_sym(const struct kelf *k, const unsigned char *p, GElf_Sym *sym)
{
	sym->st_name = kelf_u32(k, p);
	sym->st_info = p[4];
	sym->st_other = p[5];
	sym->st_shndx = kelf_u16(k, p + 6);
	sym->st_value = kelf_u64(k, p + 8);
	sym->st_size = kelf_u64(k, p + 16);
}



void kelf_close(struct kelf *k)
{
	kelf_output_discard(k);
	free(k->syms);
	free(k->secs);
	free(k->by_name);
	k->by_name = NULL;
	if (k->elf)
		elf_end(k->elf);
	if (k->fd >= 0)
		close(k->fd);
	for (size_t i = 0; i < k->nowned; i++)
		free(k->owned[i]);
	free(k->owned);
	k->owned = NULL;
	k->nowned = k->owned_cap = 0;
	k->syms = NULL;
	k->secs = NULL;
	k->elf = NULL;
	k->fd = -1;
}


/* Section indexes by name, equal names by index (qsort_r: glibc). */
static int by_name_then_index(const void *a, const void *b, void *kelf)
{
	const struct kelf *k = kelf;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	const char *x = k->secs[i].name, *y = k->secs[j].name;
	int c = strcmp(x ? x : "", y ? y : "");

	return c ? c : (i > j) - (i < j);
}

/* The first section of that name, as a scan from index 1 would find it. */
struct kelf_section *kelf_find_section(struct kelf *k, const char *name)
{
	size_t lo = 0, hi;

	if (k->nsecs < 2)
		return NULL;
	if (!k->by_name) {
		k->by_name = malloc((k->nsecs - 1) * sizeof(*k->by_name));
		if (!k->by_name) {	/* no index: the scan still answers */
			for (size_t i = 1; i < k->nsecs; i++)
				if (k->secs[i].name && !strcmp(k->secs[i].name, name))
					return &k->secs[i];
			return NULL;
		}
		for (size_t i = 1; i < k->nsecs; i++)
			k->by_name[i - 1] = i;
		/* equal names: the lower index first, as the scan finds it */
		qsort_r(k->by_name, k->nsecs - 1, sizeof(*k->by_name), by_name_then_index, k);
	}
	hi = k->nsecs - 1;
	while (lo < hi) {	/* the first entry whose name is not below name */
		size_t mid = lo + (hi - lo) / 2;
		const char *n = k->secs[k->by_name[mid]].name;

		if (strcmp(n ? n : "", name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < k->nsecs - 1 && k->secs[k->by_name[lo]].name &&
	    !strcmp(k->secs[k->by_name[lo]].name, name))
		return &k->secs[k->by_name[lo]];
	return NULL;
}

struct kelf_section *kelf_section(struct kelf *k, size_t index)
{
	return index && index < k->nsecs && k->secs[index].name ? &k->secs[index] : NULL;
}

struct kelf_section *kelf_relocs_for(struct kelf *k, const struct kelf_section *sec)
{
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if ((sh->sh_type == SHT_RELA || sh->sh_type == SHT_REL) && sh->sh_info == sec->index)
			return &k->secs[i];
	}
	return NULL;
}

static int by_offset(const void *a, const void *b)
{
	const struct kelf_reloc *x = a, *y = b;

	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

long kelf_read_relocs_in_order(struct kelf *k, const struct kelf_section *rsec,
			       struct kelf_reloc **out)
{
	Elf_Scn *scn = elf_getscn(k->elf, rsec->index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	bool rela = rsec->sh.sh_type == SHT_RELA;
	size_t n, entsize = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
	struct kelf_reloc *r;

	*out = NULL;
	if (!data) {
		KLP_ERR_ELF(k->path, "%s: cannot read relocations", rsec->name);
		return -1;
	}
	n = data->d_size / entsize;
	r = calloc(n ? n : 1, sizeof(*r));
	if (!r) {
		KLP_ERR(k->path, "%s: out of memory for %zu relocations", rsec->name, n);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		GElf_Rela ra;
		GElf_Rel rl;

		if (rela ? !gelf_getrela(data, (int)i, &ra) : !gelf_getrel(data, (int)i, &rl)) {
			KLP_ERR_ELF(k->path, "%s: bad relocation %zu", rsec->name, i);
			free(r);
			return -1;
		}
		if (!rela) {
			ra.r_offset = rl.r_offset;
			ra.r_info = rl.r_info;
			ra.r_addend = 0;
		}
		r[i].offset = ra.r_offset;
		r[i].addend = ra.r_addend;
		r[i].type = (uint32_t)GELF_R_TYPE(ra.r_info);
		r[i].symndx = (uint32_t)GELF_R_SYM(ra.r_info);
		if (r[i].symndx >= k->nsyms && r[i].symndx) {
			KLP_ERR(k->path, "%s: relocation %zu refers to symbol %u of %zu",
				rsec->name, i, r[i].symndx, k->nsyms);
			free(r);
			return -1;
		}
	}
	*out = r;
	return (long)n;
}

long kelf_read_relocs(struct kelf *k, const struct kelf_section *rsec, struct kelf_reloc **out)
{
	long n = kelf_read_relocs_in_order(k, rsec, out);

	if (n > 0)
		qsort(*out, (size_t)n, sizeof(**out), by_offset);
	return n;
}
