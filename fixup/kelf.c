/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf.c - load an ELF file's sections, symbols and relocations into
 * plain structs, or, for a file too large to hold (a vmlinux), read its
 * sections in bounded chunks.  The file is only read: inputs are never
 * modified.
 * Every size and index read from the file is checked before use, so a
 * truncated or hostile file gives an error, not a crash.
 */
#include "kelf.h"
#include "files.h"
#include "warn.h"
#include "../include/klp-notes.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The section's bytes as libelf gives them (scn may be NULL: none). */
static int take_data(struct kelf *k, Elf_Scn *scn, struct kelf_section *s)
{
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;

	if (!data && s->sh.sh_size) {
		KLP_ERR_ELF(k->path, "section %s: cannot read %llu bytes", s->name,
			    (unsigned long long)s->sh.sh_size);
		return -1;
	}
	s->data = data ? data->d_buf : NULL;
	s->size = data ? data->d_size : 0;
	return 0;
}

static void *own(struct kelf *k, void *p);

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
		return take_data(k, scn, s);
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
	if (!own(k, buf)) {	/* freed by own() */
		KLP_ERR(k->path, "section %s: out of memory", s->name);
		return -1;
	}
	s->data = buf;
	s->size = (size_t)ch.size;
	return 0;
}

/* A compressed section that was not inflated cannot be read in place. */
static int refuse_compressed(const struct kelf *k, const struct kelf_section *sec)
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
	if (take_data(k, scn, s))
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

/* len bytes at off, which the caller has checked lie inside the file. */
static int read_at(struct kelf *k, uint64_t off, unsigned char *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(k->fd, buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			KLP_ERR(k->path, "cannot read %zu bytes at 0x%llx: %s", len - done,
				(unsigned long long)(off + done),
				n ? strerror(errno) : "the file is truncated");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/*
 * The header tables against the file size, before libelf's view of the
 * file is used: libelf takes a section header table past the end of the
 * file for no sections at all (a cut module would convert into a bare ELF
 * header, a cut target would read as one without notes), and its
 * elf_update() crashes on a table that lies on the ELF header.  These are
 * the checks of the kernel's module loader (elf_validity_check()).
 * *nsecs gets the section count the header gives.
 */
static int check_tables(struct kelf *k, uint64_t *nsecs)
{
	const GElf_Ehdr *eh = &k->ehdr;
	uint64_t size = k->file_size, n = eh->e_shnum, pn = eh->e_phnum;
	unsigned char raw[8];

	if (!eh->e_shoff && !eh->e_shnum) {
		KLP_ERR(k->path, "no section header table (e_shoff 0): klp-fixup needs the "
			"sections and symbols; use the file as the linker wrote it");
		return -1;
	}
	if (eh->e_shentsize != sizeof(Elf64_Shdr)) {
		KLP_ERR(k->path, "section header entries of %u bytes, expected %zu: the ELF "
			"header is corrupt; rebuild the file", eh->e_shentsize, sizeof(Elf64_Shdr));
		return -1;
	}
	if (eh->e_shoff < sizeof(Elf64_Ehdr)) {
		KLP_ERR(k->path, "section header table at 0x%llx overlaps the ELF header (%zu "
			"bytes): the file is corrupt; rebuild it", (unsigned long long)eh->e_shoff,
			sizeof(Elf64_Ehdr));
		return -1;
	}
	/* e_shnum 0: more than SHN_LORESERVE sections, the count is the first
	 * section header's sh_size (extended numbering). */
	if (!n && eh->e_shoff <= size && size - eh->e_shoff >= sizeof(Elf64_Shdr)) {
		if (k->editing) {
			KLP_ERR(k->path, "e_shnum is 0 (extended section numbering): the kernel's "
				"module loader reads e_shnum as the section count and cannot load "
				"this module; link it with fewer than %d sections", SHN_LORESERVE);
			return -1;
		}
		if (read_at(k, eh->e_shoff + offsetof(Elf64_Shdr, sh_size), raw, 8))
			return -1;
		n = kelf_u64(k, raw);
		if (!n) {
			KLP_ERR(k->path, "e_shnum is 0 and the first section header gives no "
				"count either: the file has no sections; use the file as the linker "
				"wrote it");
			return -1;
		}
	}
	if (eh->e_shoff > size || (n ? n : 1) > (size - eh->e_shoff) / sizeof(Elf64_Shdr)) {
		KLP_ERR(k->path, "section header table (%llu entries of %zu bytes at 0x%llx) runs "
			"past the end of the file (%llu bytes): the file is truncated; use the "
			"complete file", (unsigned long long)(n ? n : 1), sizeof(Elf64_Shdr),
			(unsigned long long)eh->e_shoff, (unsigned long long)size);
		return -1;
	}
	/* e_phnum PN_XNUM: the count is the first section header's sh_info. */
	if (pn == PN_XNUM) {
		if (read_at(k, eh->e_shoff + offsetof(Elf64_Shdr, sh_info), raw, 4))
			return -1;
		pn = kelf_u32(k, raw);
	}
	if (pn && eh->e_phentsize != sizeof(Elf64_Phdr)) {
		KLP_ERR(k->path, "program header entries of %u bytes, expected %zu: the ELF "
			"header is corrupt; rebuild the file", eh->e_phentsize, sizeof(Elf64_Phdr));
		return -1;
	}
	if (pn && (eh->e_phoff > size || pn > (size - eh->e_phoff) / sizeof(Elf64_Phdr))) {
		KLP_ERR(k->path, "program header table (%llu entries of %zu bytes at 0x%llx) runs "
			"past the end of the file (%llu bytes): the file is truncated; use the "
			"complete file", (unsigned long long)pn, sizeof(Elf64_Phdr),
			(unsigned long long)eh->e_phoff, (unsigned long long)size);
		return -1;
	}
	*nsecs = n;
	return 0;
}

/*
 * A relocation section must name the symbol table its entries index
 * (sh_link) and, in a relocatable file, the section it applies to
 * (sh_info).  One that names neither applies to nothing: convert would
 * skip it, rename its klp references and leave their relocations behind.
 * A linked file's dynamic relocations apply to no one section (sh_info 0).
 */
static int check_reloc_links(struct kelf *k)
{
	bool rel = kelf_is_relocatable(k);

	for (size_t i = 1; i < k->nsecs; i++) {
		const struct kelf_section *s = &k->secs[i];
		const GElf_Shdr *sh = &s->sh;

		if (sh->sh_type != SHT_RELA && sh->sh_type != SHT_REL)
			continue;
		if (sh->sh_link >= k->nsecs ||
		    (rel && k->secs[sh->sh_link].sh.sh_type != SHT_SYMTAB)) {
			KLP_ERR(k->path, "relocation section %s: sh_link %u is not a symbol table "
				"(the file has %zu sections): the relocation section is corrupt; "
				"rebuild the object", s->name, sh->sh_link, k->nsecs);
			return -1;
		}
		if (sh->sh_info >= k->nsecs || (rel && !sh->sh_info)) {
			KLP_ERR(k->path, "relocation section %s: sh_info %u is not a section (the "
				"file has %zu): its relocations apply to nothing; the relocation "
				"section is corrupt: rebuild the object", s->name, sh->sh_info,
				k->nsecs);
			return -1;
		}
	}
	return 0;
}

/* Largest section alignment of a file to edit: a huge page. */
#define KELF_MAX_ALIGN	(2 * 1024 * 1024)

struct extent {
	uint64_t start, end;
	const char *name;	/* a section's name, or NULL for what */
	const char *what;
};

static int by_start(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void describe(char *buf, size_t len, const struct extent *e)
{
	snprintf(buf, len, "%s%s (0x%llx-0x%llx)", e->name ? "section " : e->what,
		 e->name ? e->name : "", (unsigned long long)e->start,
		 (unsigned long long)e->end);
}

/*
 * An edited copy is written back by libelf's elf_update(), which crashes
 * on layouts no linker makes.  Before anything is edited, no section may
 * lie on the ELF header, on a header table or on another section (all of
 * them already known to lie inside the file).
 */
static int check_layout(struct kelf *k)
{
	const GElf_Ehdr *eh = &k->ehdr;
	struct extent *e = calloc(k->nsecs + 3, sizeof(*e)), *last;
	size_t n = 0, phnum = 0;
	char a[192], b[192];
	int ret = 0;

	if (!e) {
		KLP_ERR(k->path, "out of memory for %zu sections", k->nsecs);
		return -1;
	}
	/*
	 * libelf's elf_update() crashes on a file whose section names have
	 * no string table (one NULL section only, say); a module always has
	 * one.
	 */
	{
		size_t shstrndx = 0;

		if (elf_getshdrstrndx(k->elf, &shstrndx) || shstrndx == 0 ||
		    shstrndx >= k->nsecs || k->secs[shstrndx].sh.sh_type != SHT_STRTAB) {
			KLP_ERR(k->path, "no section name string table (e_shstrndx %zu of %zu "
				"sections): not a kernel module; rebuild it", shstrndx, k->nsecs);
			free(e);
			return -1;
		}
	}
	e[n++] = (struct extent){ 0, sizeof(Elf64_Ehdr), NULL, "the ELF header" };
	e[n++] = (struct extent){ eh->e_shoff, eh->e_shoff + k->nsecs * sizeof(Elf64_Shdr),
				  NULL, "the section header table" };
	if (!elf_getphdrnum(k->elf, &phnum) && phnum)
		e[n++] = (struct extent){ eh->e_phoff, eh->e_phoff + phnum * sizeof(Elf64_Phdr),
					  NULL, "the program header table" };
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if (sh->sh_type != SHT_NOBITS && sh->sh_type != SHT_NULL && sh->sh_size)
			e[n++] = (struct extent){ sh->sh_offset, sh->sh_offset + sh->sh_size,
						  k->secs[i].name, NULL };
	}
	/* elf_update() pads each section to its alignment: a corrupt one of
	 * 2^43 has it write terabytes.  Modules align to pages at most. */
	for (size_t i = 0; i < k->nsecs && !ret; i++) {
		uint64_t align = k->secs[i].sh.sh_addralign;

		if (align & (align - 1) || align > KELF_MAX_ALIGN) {
			KLP_ERR(k->path, "section %zu (%s): alignment %llu is not a power of two "
				"of at most %d: the section header is corrupt; rebuild the object", i,
				i ? k->secs[i].name : "null", (unsigned long long)align, KELF_MAX_ALIGN);
			ret = -1;
		}
	}
	qsort(e, n, sizeof(*e), by_start);
	last = &e[0];	/* of those before i, the one that ends last */
	for (size_t i = 1; i < n && !ret; i++) {
		if (e[i].start < last->end) {
			describe(a, sizeof(a), &e[i]);
			describe(b, sizeof(b), last);
			KLP_ERR(k->path, "%s overlaps %s: the file is corrupt; rebuild it", a, b);
			ret = -1;
		}
		if (e[i].end > last->end)
			last = &e[i];
	}
	free(e);
	return ret;
}

/* KELF_NOTES_PER_TABLE_BYTE times the symbol table and its strings (as
 * their headers give them, at most the file), plus KELF_NOTES_FLOOR. */
static uint64_t notes_budget(struct kelf *k)
{
	uint64_t tables = 0;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh, link;

	while ((scn = elf_nextscn(k->elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB) {
			tables = sh.sh_size;
			if (gelf_getshdr(elf_getscn(k->elf, sh.sh_link), &link))
				tables += link.sh_size;
			break;
		}
	if (tables > k->file_size)
		tables = k->file_size;
	tables = tables * KELF_NOTES_PER_TABLE_BYTE + KELF_NOTES_FLOOR;
	return tables < KELF_INFLATE_MAX ? tables : KELF_INFLATE_MAX;
}

/* Read the file behind fd (opened by the caller) with libelf command cmd. */
static int kelf_begin(struct kelf *k, Elf_Cmd cmd)
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
	if (check_tables(k, &header_nsecs))
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
	k->notes_budget = notes_budget(k);
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
	if (check_reloc_links(k) || (k->editing && check_layout(k)))
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
		return refuse_compressed(k, sec);
	scn = elf_getscn(k->elf, sec->index);
	return take_data(k, scn, sec);
}

int kelf_stream_open(struct kelf_stream *st, struct kelf *k, const struct kelf_section *sec)
{
	memset(st, 0, sizeof(*st));
	st->k = k;
	st->sec = sec;
	if (sec->data || !sec->size)
		return 0;
	/* An inflated section has data (above); the stored bytes of one that
	 * was not are no contents to stream. */
	if (sec->sh.sh_flags & SHF_COMPRESSED)
		return refuse_compressed(k, sec);
	/* Checked once here, so every pread below stays inside the file. */
	if (sec->sh.sh_offset > k->file_size || sec->size > k->file_size - sec->sh.sh_offset) {
		KLP_ERR(k->path, "section %s (%zu bytes at 0x%llx) runs past the end of the file "
			"(%llu bytes): the file is truncated; use the complete file", sec->name,
			sec->size, (unsigned long long)sec->sh.sh_offset,
			(unsigned long long)k->file_size);
		return -1;
	}
	return 0;
}

const unsigned char *kelf_stream_at(struct kelf_stream *st, uint64_t off, size_t len)
{
	const struct kelf_section *sec = st->sec;
	size_t want, done = 0;

	if (off > sec->size || len > sec->size - off) {
		KLP_ERR(st->k->path, "section %s: %zu bytes at 0x%llx are outside its %zu bytes",
			sec->name, len, (unsigned long long)off, sec->size);
		return NULL;
	}
	if (sec->data)
		return sec->data + off;
	if (off >= st->start && off - st->start <= st->len && len <= st->len - (off - st->start))
		return st->buf + (off - st->start);
	want = len > KELF_STREAM_CHUNK ? len : KELF_STREAM_CHUNK;
	if (want > sec->size - off)
		want = (size_t)(sec->size - off);
	if (want > st->cap || !st->buf) {
		unsigned char *grown = realloc(st->buf, want ? want : 1);

		if (!grown) {
			KLP_ERR(st->k->path, "section %s: out of memory for %zu bytes", sec->name,
				want);
			return NULL;
		}
		st->buf = grown;
		st->cap = want;
	}
	st->len = 0;
	while (done < want) {
		ssize_t n = pread(st->k->fd, st->buf + done, want - done,
				  (off_t)(sec->sh.sh_offset + off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			KLP_ERR(st->k->path, "section %s: cannot read %zu bytes at 0x%llx: %s",
				sec->name, want - done, (unsigned long long)(off + done),
				n ? strerror(errno) : "the file is truncated");
			return NULL;
		}
		done += (size_t)n;
	}
	st->start = off;
	st->len = want;
	return st->buf;
}

void kelf_stream_close(struct kelf_stream *st)
{
	free(st->buf);
	memset(st, 0, sizeof(*st));
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

/* Copy all of in_fd to out_fd. */
static int copy_bytes(const char *in, int in_fd, int out_fd)
{
	char buf[1 << 16];
	ssize_t n;

	while ((n = read(in_fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			KLP_ERR(in, "cannot read: %s", strerror(errno));
			return -1;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out_fd, buf + done, (size_t)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				KLP_ERR(in, "cannot write a copy: %s", strerror(errno));
				return -1;
			}
			done += w;
		}
	}
	return 0;
}

/*
 * The named temporary copy (the fallback without O_TMPFILE, and the
 * moment between linkat() and rename() at commit) is removed when any
 * signal that can be caught and whose default is to end the process ends
 * the run while its disposition is still that default (SIGKILL cannot be
 * caught; crashes are not cleaned up after).
 * The handler only unlinks and raises the signal again with its default
 * action, so the exit status still tells the signal.  One copy is edited
 * at a time.
 */
static const int cleanup_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
};
#define NCLEANUP (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))
static struct sigaction cleanup_saved[NCLEANUP];
static bool cleanup_set[NCLEANUP];
static const char *volatile cleanup_path;

static void cleanup_on_signal(int sig)
{
	const char *path = cleanup_path;

	if (path)
		unlink(path);
	raise(sig);	/* SA_RESETHAND: the default action, once we return */
}

static void cleanup_install(void)
{
	struct sigaction sa = { .sa_handler = cleanup_on_signal, .sa_flags = SA_RESETHAND };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCLEANUP; i++) {
		/*
		 * Only a signal that would end the process is taken: one the
		 * caller ignores (nohup) stays ignored, and one the host
		 * program handles itself (libFuzzer's SIGALRM timer) keeps its
		 * handler, since it does not end the run.
		 */
		if (sigaction(cleanup_signals[i], NULL, &cleanup_saved[i]) ||
		    (cleanup_saved[i].sa_flags & SA_SIGINFO) ||
		    cleanup_saved[i].sa_handler != SIG_DFL)
			continue;
		cleanup_set[i] = !sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void cleanup_remove(void)
{
	cleanup_path = NULL;
	for (size_t i = 0; i < NCLEANUP; i++) {
		if (cleanup_set[i])
			sigaction(cleanup_signals[i], &cleanup_saved[i], NULL);
		cleanup_set[i] = false;
	}
}

/* Block the cleanup signals while a name is created and registered, so
 * that no signal falls between the two. */
static void cleanup_block(bool block, sigset_t *old)
{
	sigset_t set;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	for (size_t i = 0; i < NCLEANUP; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* dir/.klp-fixup.XXXXXX for out in dir (dir empty: the current one). */
static char *temp_name(const char *out)
{
	const char *slash = strrchr(out, '/');
	size_t dirlen = slash ? (size_t)(slash - out) + 1 : 0;
	char *name = malloc(dirlen + sizeof(".klp-fixup.XXXXXX"));

	if (name) {
		memcpy(name, out, dirlen);
		strcpy(name + dirlen, ".klp-fixup.XXXXXX");
	}
	return name;
}

/*
 * The copy as an unnamed file in the directory of out: nothing to remove
 * whatever ends the run, and kelf_commit() gives it a name only when it is
 * complete.  linkat() of an O_TMPFILE goes through /proc/self/fd (the
 * AT_EMPTY_PATH form needs CAP_DAC_READ_SEARCH).  -1 with errno when the
 * file system or kernel has no O_TMPFILE: the caller falls back.
 */
static int open_unnamed(const char *out)
{
	const char *slash = strrchr(out, '/');
	char *dir;
	int fd;

	/* KLP_FIXUP_NO_TMPFILE takes the fallback on any file system, so
	 * that tests reach it (tests/lit/hardening/interrupt-temp.test). */
	if (getenv("KLP_FIXUP_NO_TMPFILE") || access("/proc/self/fd", X_OK)) {
		errno = EOPNOTSUPP;
		return -1;
	}
	dir = slash ? strndup(out, (size_t)(slash - out) + 1) : strdup(".");
	if (!dir)
		return -1;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	free(dir);
	return fd;
}

/*
 * The temporary output next to out, for a copy of in (its mode), opened
 * read-write in k->fd; in's descriptor in *in_fd.  0, or -1 after
 * printing why (k closed, nothing left behind).
 */
static int open_output(struct kelf *k, const char *in, const char *out, int *in_fd)
{
	struct stat st;
	sigset_t old;

	memset(k, 0, sizeof(*k));
	k->path = in;
	k->fd = -1;
	k->out_path = out;
	k->editing = true;
	elf_version(EV_CURRENT);
	if (klp_check_output(out))
		return -1;
	*in_fd = klp_open_regular(in);
	if (*in_fd < 0)
		return -1;
	cleanup_install();
	/* The copy lives next to out so that the final rename is atomic. */
	k->fd = open_unnamed(out);
	/* Old kernels fail O_TMPFILE with EISDIR, file systems without it
	 * with EOPNOTSUPP: a named copy then, removed on the signals above. */
	if (k->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		k->tmp_path = temp_name(out);
		if (!k->tmp_path) {
			KLP_ERR(in, "out of memory");
			goto fail;
		}
		cleanup_block(true, &old);
		k->fd = mkostemp(k->tmp_path, O_CLOEXEC);
		if (k->fd >= 0)
			cleanup_path = k->tmp_path;
		cleanup_block(false, &old);
	}
	if (k->fd < 0) {
		KLP_ERR(out, "cannot create a temporary file in its directory: %s",
			strerror(errno));
		free(k->tmp_path);
		k->tmp_path = NULL;
		goto fail;
	}
	if (fstat(*in_fd, &st) || fchmod(k->fd, st.st_mode & 0777)) {
		KLP_ERR(out, "cannot give the temporary file %s's mode: %s", in,
			strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(*in_fd);
	*in_fd = -1;
	kelf_close(k);
	return -1;
}

int kelf_open_copy(struct kelf *k, const char *in, const char *out)
{
	int in_fd;

	if (open_output(k, in, out, &in_fd))
		return -1;
	if (copy_bytes(in, in_fd, k->fd) || lseek(k->fd, 0, SEEK_SET) < 0) {
		KLP_ERR(in, "cannot copy to a temporary file next to %s: %s", out,
			strerror(errno));
		close(in_fd);
		kelf_close(k);
		return -1;
	}
	close(in_fd);
	/* ELF_C_RDWR reads the whole copy into memory and writes it back. */
	if (kelf_begin(k, ELF_C_RDWR)) {
		kelf_close(k);
		return -1;
	}
	return 0;
}

int kelf_open_output(struct kelf *k, const char *in, const char *out)
{
	int in_fd;

	if (open_output(k, in, out, &in_fd))
		return -1;
	close(in_fd);
	return 0;
}

/* Keep p alive until kelf_close(): libelf points into it until elf_end. */
static void *own(struct kelf *k, void *p)
{
	if (!p)
		return NULL;
	if (k->nowned == k->owned_cap) {
		size_t cap = k->owned_cap ? 2 * k->owned_cap : 64;
		void **grown = realloc(k->owned, cap * sizeof(*grown));

		if (!grown) {
			free(p);
			return NULL;
		}
		k->owned = grown;
		k->owned_cap = cap;
	}
	k->owned[k->nowned++] = p;
	return p;
}

/* Append s to string table section index; its offset goes to *offset. */
static int add_string(struct kelf *k, size_t index, const char *s, size_t *offset)
{
	struct kelf_section *sec = kelf_section(k, index);
	Elf_Scn *scn = elf_getscn(k->elf, index);
	size_t len = strlen(s) + 1;
	char *copy = own(k, malloc(len));
	Elf_Data *data;

	if (!sec || !scn || sec->sh.sh_type != SHT_STRTAB) {
		KLP_ERR(k->path, "section %zu is not a string table", index);
		return -1;
	}
	if (!copy || !(data = elf_newdata(scn))) {
		KLP_ERR(k->path, "out of memory adding string %s", s);
		return -1;
	}
	memcpy(copy, s, len);
	if (!sec->edit_size)
		sec->edit_size = sec->sh.sh_size;
	data->d_buf = copy;
	data->d_size = len;
	data->d_type = ELF_T_BYTE;
	data->d_align = 1;
	data->d_off = (int64_t)sec->edit_size;
	data->d_version = EV_CURRENT;
	*offset = sec->edit_size;
	sec->edit_size += len;
	return 0;
}

struct kelf_section *kelf_symtab(struct kelf *k)
{
	struct kelf_section *symtab = NULL;

	for (size_t i = 1; i < k->nsecs; i++)
		if (k->secs[i].sh.sh_type == SHT_SYMTAB)
			symtab = &k->secs[i];
	return symtab;
}

int kelf_set_symbol(struct kelf *k, size_t index, const char *name, uint16_t shndx)
{
	struct kelf_section *symtab = kelf_symtab(k);
	size_t symtab_index, link, offset;
	Elf_Scn *scn;
	Elf_Data *data;
	GElf_Sym sym;

	if (!symtab || index >= k->nsyms) {
		KLP_ERR(k->path, "no symbol %zu to rename to %s", index, name);
		return -1;
	}
	symtab_index = symtab->index;
	link = symtab->sh.sh_link;
	if (add_string(k, link, name, &offset))
		return -1;
	scn = elf_getscn(k->elf, symtab_index);
	data = scn ? elf_getdata(scn, NULL) : NULL;
	if (!data || !gelf_getsym(data, (int)index, &sym)) {
		KLP_ERR_ELF(k->path, ".symtab: cannot read symbol %zu", index);
		return -1;
	}
	sym.st_name = (Elf64_Word)offset;
	sym.st_shndx = shndx;
	if (!gelf_update_sym(data, (int)index, &sym)) {
		KLP_ERR_ELF(k->path, ".symtab: cannot update symbol %zu", index);
		return -1;
	}
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	k->syms[index].sym = sym;
	k->syms[index].name = k->owned[k->nowned - 1];	/* the copy add_string made */
	return 0;
}

/* A RELA data buffer in memory (host) representation for libelf. */
static Elf64_Rela *rela_buffer(struct kelf *k, const struct kelf_reloc *r, size_t n)
{
	Elf64_Rela *buf = own(k, calloc(n ? n : 1, sizeof(*buf)));

	if (!buf) {
		KLP_ERR(k->path, "out of memory for %zu relocations", n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		buf[i].r_offset = r[i].offset;
		buf[i].r_addend = r[i].addend;
		buf[i].r_info = ELF64_R_INFO(r[i].symndx, r[i].type);
	}
	return buf;
}

int kelf_set_relocs(struct kelf *k, size_t rsec_index, const struct kelf_reloc *relocs,
		    size_t n)
{
	Elf_Scn *scn = elf_getscn(k->elf, rsec_index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	Elf64_Rela *buf;

	if (!data || k->secs[rsec_index].sh.sh_type != SHT_RELA) {
		KLP_ERR(k->path, "section %zu is not a RELA section", rsec_index);
		return -1;
	}
	buf = rela_buffer(k, relocs, n);
	if (!buf)
		return -1;
	data->d_buf = buf;
	data->d_size = n * sizeof(*buf);
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

/* Append a section holding buf (owned, n bytes, libelf type dtype);
 * sh gives type, flags, link, info, alignment and entry size. */
static size_t add_section(struct kelf *k, const char *name, GElf_Shdr *want, void *buf,
			  size_t n, Elf_Type dtype)
{
	struct kelf_section *grown, *s;
	size_t shstrndx, name_offset, index;
	const char *name_copy;
	Elf_Data *data;
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(k->elf, &shstrndx)) {
		KLP_ERR_ELF(k->path, "cannot add %s: no section names", name);
		return 0;
	}
	if (add_string(k, shstrndx, name, &name_offset))
		return 0;
	name_copy = k->owned[k->nowned - 1];
	grown = realloc(k->secs, (k->nsecs + 1) * sizeof(*grown));
	if (!grown) {
		KLP_ERR(k->path, "out of memory adding %s", name);
		return 0;
	}
	k->secs = grown;
	scn = elf_newscn(k->elf);
	data = scn ? elf_newdata(scn) : NULL;
	if (!data || !gelf_getshdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "cannot add section %s", name);
		return 0;
	}
	data->d_buf = buf;
	data->d_size = n;
	data->d_type = dtype;
	data->d_align = want->sh_addralign;
	data->d_version = EV_CURRENT;
	sh.sh_name = (Elf64_Word)name_offset;
	sh.sh_type = want->sh_type;
	sh.sh_flags = want->sh_flags;
	sh.sh_link = want->sh_link;
	sh.sh_info = want->sh_info;
	sh.sh_addralign = want->sh_addralign;
	sh.sh_entsize = want->sh_entsize;
	if (!gelf_update_shdr(scn, &sh)) {
		KLP_ERR_ELF(k->path, "cannot add section %s", name);
		return 0;
	}
	index = elf_ndxscn(scn);
	if (index != k->nsecs) {
		KLP_ERR(k->path, "libelf put new section %s at %zu, expected %zu", name, index,
			k->nsecs);
		return 0;
	}
	s = &k->secs[k->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = name_copy;
	s->sh = sh;
	s->index = index;
	s->data = buf;
	s->size = n;
	return index;
}

size_t kelf_add_rela_section(struct kelf *k, const char *name, size_t target_index,
			     uint64_t flags, const struct kelf_reloc *relocs, size_t n)
{
	struct kelf_section *symtab = kelf_symtab(k);
	GElf_Shdr sh = {
		.sh_type = SHT_RELA,
		.sh_flags = flags,
		.sh_info = (Elf64_Word)target_index,
		.sh_addralign = 8,
		.sh_entsize = sizeof(Elf64_Rela),
	};
	Elf64_Rela *buf;

	if (!symtab) {
		KLP_ERR(k->path, "cannot add %s: no symbol table", name);
		return 0;
	}
	sh.sh_link = (Elf64_Word)symtab->index;
	buf = rela_buffer(k, relocs, n);
	if (!buf)
		return 0;
	return add_section(k, name, &sh, buf, n * sizeof(*buf), ELF_T_RELA);
}

size_t kelf_add_bytes_section(struct kelf *k, const char *name, const void *bytes, size_t n)
{
	GElf_Shdr sh = { .sh_type = SHT_PROGBITS, .sh_addralign = 1 };
	void *buf = own(k, malloc(n ? n : 1));

	if (!buf) {
		KLP_ERR(k->path, "out of memory adding %s", name);
		return 0;
	}
	memcpy(buf, bytes, n);
	return add_section(k, name, &sh, buf, n, ELF_T_BYTE);
}

/*
 * Give the finished unnamed copy a name next to out, for the rename.  The
 * name is registered for the signal handler in the same step, so an
 * interrupt between here and the rename removes it.
 */
static int link_unnamed(struct kelf *k)
{
	char proc[64];
	char *name = temp_name(k->out_path);
	size_t len = name ? strlen(name) : 0;
	uint64_t seed = (uint64_t)getpid() << 32 ^ (uint64_t)time(NULL) ^ (uintptr_t)name;
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	sigset_t old;

	if (!name) {
		KLP_ERR(k->out_path, "out of memory");
		return -1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", k->fd);
	for (int tries = 0; tries < 100; tries++) {
		int ret;

		for (size_t i = len - 6; i < len; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			name[i] = digits[(seed >> 33) % 36];
		}
		cleanup_block(true, &old);
		ret = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
		if (!ret) {
			k->tmp_path = name;
			cleanup_path = name;
		}
		cleanup_block(false, &old);
		if (!ret)
			return 0;
		if (errno != EEXIST)
			break;
	}
	KLP_ERR(k->out_path, "cannot give the converted copy a name next to it (%s): %s",
		name, strerror(errno));
	free(name);
	return -1;
}

int kelf_publish(struct kelf *k)
{
	if (!k->editing) {
		KLP_ERR(k->path, "internal error: publish without an output");
		return -1;
	}
	if (fsync(k->fd)) {
		KLP_ERR(k->out_path, "cannot write the converted copy: %s", strerror(errno));
		return -1;
	}
	/* Again: something may have taken the name since the output opened. */
	if (klp_check_output(k->out_path) || (!k->tmp_path && link_unnamed(k)))
		return -1;
	if (rename(k->tmp_path, k->out_path)) {
		KLP_ERR(k->out_path, "cannot rename %s to it: %s", k->tmp_path, strerror(errno));
		return -1;
	}
	cleanup_path = NULL;
	free(k->tmp_path);
	k->tmp_path = NULL;	/* kelf_close() must not unlink the result */
	k->editing = false;
	cleanup_remove();
	return 0;
}

int kelf_commit(struct kelf *k)
{
	if (!k->editing || !k->elf) {
		KLP_ERR(k->path, "internal error: commit without kelf_open_copy()");
		return -1;
	}
	if (elf_update(k->elf, ELF_C_WRITE) < 0) {
		KLP_ERR_ELF(k->out_path, "cannot write the converted file");
		return -1;
	}
	return kelf_publish(k);
}

void kelf_close(struct kelf *k)
{
	if (k->tmp_path) {	/* an edit that was not committed leaves nothing */
		unlink(k->tmp_path);
		cleanup_path = NULL;	/* before the free: the handler reads it */
		free(k->tmp_path);
		k->tmp_path = NULL;
	}
	if (k->editing)
		cleanup_remove();
	k->editing = false;
	free(k->syms);
	free(k->secs);
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

struct kelf_section *kelf_find_section(struct kelf *k, const char *name)
{
	for (size_t i = 1; i < k->nsecs; i++)
		if (k->secs[i].name && !strcmp(k->secs[i].name, name))
			return &k->secs[i];
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
