/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * compress.c - klp-fixup compress: store a file's .debug_klp as an
 * SHF_COMPRESSED section, zstd at a level of our choosing.
 *
 * Why a command of its own: the linker's --compress-debug-sections and
 * objcopy compress at zstd's default levels (3, 5), and neither lets the
 * level be chosen.  The notes are a long run of like records that a
 * higher level shrinks by a further tenth (docs/performance.md, "Note
 * size"); decompressing them costs the same at any level.
 *
 * The file is spliced, not laid out again: every byte before the section
 * stays where it is, the compressed section takes its place, and what
 * follows it (non-allocated sections, the section header table) moves by
 * a multiple of the largest alignment among them.  So no address, segment
 * or file offset a loader uses changes; a file whose segments or program
 * headers lie after the section is refused, since moving them is a
 * linker's job.
 */
#include "compress.h"
#include "../base/files.h"
#include "../elf/kelf.h"
#include "../base/warn.h"
#include "../../include/klp-notes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#define CHDR64_SIZE	24	/* Elf64_Chdr */
#define SHDR64_SIZE	64	/* Elf64_Shdr */
#define EHDR64_SHOFF	0x28	/* e_shoff in Elf64_Ehdr */
#define SHDR_FLAGS	8	/* field offsets in Elf64_Shdr */
#define SHDR_OFFSET	24
#define SHDR_SIZE	32
#define SHDR_ADDRALIGN	48

/* The largest alignment a section may ask for here: beyond it the file is
 * not a linker's (and the padding it would need is unbounded). */
#define MAX_ALIGN	(1u << 20)

static void put_u32(const struct kelf *k, unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[k->big_endian ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

static void put_u64(const struct kelf *k, unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[k->big_endian ? 7 - i : i] = (unsigned char)(v >> (8 * i));
}

static int write_all(const char *out, int fd, const void *buf, size_t n, uint64_t at)
{
	const unsigned char *p = buf;

	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)at);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			KLP_ERR(out, "cannot write: %s", strerror(w < 0 ? errno : EIO));
			return -1;
		}
		p += w;
		at += (uint64_t)w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copy len bytes at from of in to to of out. */
static int copy_range(const struct kelf *in, const char *out, int out_fd, uint64_t from,
		      uint64_t len, uint64_t to)
{
	static unsigned char buf[1 << 16];

	while (len) {
		size_t want = len < sizeof(buf) ? (size_t)len : sizeof(buf);
		ssize_t n = pread(in->fd, buf, want, (off_t)from);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			KLP_ERR(in->path, "cannot read at 0x%llx: %s", (unsigned long long)from,
				n < 0 ? strerror(errno) : "the file ends early");
			return -1;
		}
		if (write_all(out, out_fd, buf, (size_t)n, to))
			return -1;
		from += (uint64_t)n;
		to += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

/* How far what follows the section [off, end) may move: the largest
 * alignment after it.  0 after printing why the layout is refused. */
static uint64_t tail_alignment(const struct kelf *k, const struct kelf_section *notes)
{
	uint64_t off = notes->sh.sh_offset, end = off + notes->sh.sh_size, align = 8;

	for (size_t i = 0; i < k->ehdr.e_phnum; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(k->elf, (int)i, &ph)) {
			KLP_ERR_ELF(k->path, "cannot read program header %zu", i);
			return 0;
		}
		if (ph.p_filesz && ph.p_offset + ph.p_filesz > off) {
			KLP_ERR(k->path, "segment %zu lies after %s: the file is not laid out as "
				"a linker does (non-allocated sections last); compress the notes "
				"before such a rearrangement", i, KLP_NOTES_SECTION);
			return 0;
		}
	}
	if (k->ehdr.e_phnum && k->ehdr.e_phoff >= off) {
		KLP_ERR(k->path, "the program headers lie after %s: the file is not laid out "
			"as a linker does", KLP_NOTES_SECTION);
		return 0;
	}
	if (k->ehdr.e_shoff >= off && k->ehdr.e_shoff < end) {
		KLP_ERR(k->path, "the section headers lie inside %s", KLP_NOTES_SECTION);
		return 0;
	}
	for (size_t i = 1; i < k->nsecs; i++) {
		const GElf_Shdr *sh = &k->secs[i].sh;

		if (&k->secs[i] == notes || sh->sh_type == SHT_NOBITS || !sh->sh_size)
			continue;
		if (sh->sh_offset < end && sh->sh_offset + sh->sh_size > off) {
			KLP_ERR(k->path, "section %s overlaps %s", k->secs[i].name,
				KLP_NOTES_SECTION);
			return 0;
		}
		if (sh->sh_offset >= end && sh->sh_addralign > align) {
			if (sh->sh_addralign > MAX_ALIGN) {
				KLP_ERR(k->path, "section %s asks for an alignment of %llu bytes",
					k->secs[i].name, (unsigned long long)sh->sh_addralign);
				return 0;
			}
			align = sh->sh_addralign;
		}
	}
	return align;
}

/* The new section: an Elf64_Chdr, then the zstd frame.  NULL after
 * printing why; its size in *n. */
static unsigned char *compress_notes(const struct kelf *k, const struct kelf_section *notes,
				     int level, size_t *n)
{
	size_t bound = ZSTD_compressBound(notes->size), z;
	unsigned char *buf = malloc(CHDR64_SIZE + bound);

	if (!buf) {
		KLP_ERR(k->path, "out of memory compressing %s", KLP_NOTES_SECTION);
		return NULL;
	}
	z = ZSTD_compress(buf + CHDR64_SIZE, bound, notes->data, notes->size, level);
	if (ZSTD_isError(z)) {
		KLP_ERR(k->path, "cannot compress %s: %s", KLP_NOTES_SECTION,
			ZSTD_getErrorName(z));
		free(buf);
		return NULL;
	}
	put_u32(k, buf, ELFCOMPRESS_ZSTD);
	put_u32(k, buf + 4, 0);
	put_u64(k, buf + 8, notes->size);
	put_u64(k, buf + 16, KLP_NOTES_ALIGN);	/* the notes' own alignment */
	*n = CHDR64_SIZE + z;
	return buf;
}

/* Section and ELF headers of the output: offsets past the old section
 * moved by delta, the notes section compressed. */
static int patch_headers(const struct kelf *in, const struct kelf *out,
			 const struct kelf_section *notes, uint64_t new_size, int64_t delta)
{
	uint64_t end = notes->sh.sh_offset + notes->sh.sh_size;
	uint64_t shoff = in->ehdr.e_shoff >= end ? in->ehdr.e_shoff + (uint64_t)delta :
			 in->ehdr.e_shoff;
	unsigned char b[8];

	put_u64(in, b, shoff);
	if (write_all(out->out_path, out->fd, b, 8, EHDR64_SHOFF))
		return -1;
	for (size_t i = 1; i < in->nsecs; i++) {
		const GElf_Shdr *sh = &in->secs[i].sh;
		uint64_t at = shoff + i * SHDR64_SIZE;

		if (&in->secs[i] == notes) {
			put_u64(in, b, sh->sh_flags | SHF_COMPRESSED);
			if (write_all(out->out_path, out->fd, b, 8, at + SHDR_FLAGS))
				return -1;
			put_u64(in, b, new_size);
			if (write_all(out->out_path, out->fd, b, 8, at + SHDR_SIZE))
				return -1;
			put_u64(in, b, 8);	/* of the Elf64_Chdr */
			if (write_all(out->out_path, out->fd, b, 8, at + SHDR_ADDRALIGN))
				return -1;
		} else if (sh->sh_offset >= end) {
			put_u64(in, b, sh->sh_offset + (uint64_t)delta);
			if (write_all(out->out_path, out->fd, b, 8, at + SHDR_OFFSET))
				return -1;
		}
	}
	return 0;
}

/* The distance what follows [.., end) moves so that the new section of
 * new_end fits and every later offset keeps its alignment. */
static int64_t tail_delta(uint64_t end, uint64_t new_end, uint64_t align)
{
	if (new_end <= end)
		return -(int64_t)((end - new_end) / align * align);
	return (int64_t)((new_end - end + align - 1) / align * align);
}

static int compress_file(const char *path, const char *out_path, int level)
{
	struct kelf in, out;
	struct kelf_section *notes;
	unsigned char *buf = NULL, *zeros = NULL;
	size_t n = 0;
	uint64_t off, end, align, tail_at;
	int64_t delta;
	int ret = -1;

	memset(&out, 0, sizeof(out));
	out.fd = -1;
	if (kelf_open_lazy(&in, path))
		return -1;
	notes = kelf_find_section(&in, KLP_NOTES_SECTION);
	if (!notes) {
		KLP_ERR(path, "has no %s section: compile it with a klp plugin "
			"(docs/kernel-integration.md)", KLP_NOTES_SECTION);
		goto close_in;
	}
	if (in.ehdr.e_ident[EI_CLASS] != ELFCLASS64 || in.ehdr.e_shentsize != SHDR64_SIZE ||
	    notes->sh.sh_type == SHT_NOBITS || (notes->sh.sh_flags & SHF_ALLOC)) {
		KLP_ERR(path, "%s is not a non-allocated section of a 64-bit file: not "
			"notes a klp plugin wrote", KLP_NOTES_SECTION);
		goto close_in;
	}
	if ((!notes->data && kelf_load_section(&in, notes)) ||
	    !(align = tail_alignment(&in, notes)) ||
	    !(buf = compress_notes(&in, notes, level, &n)))
		goto close_in;
	off = notes->sh.sh_offset;
	end = off + notes->sh.sh_size;
	delta = tail_delta(end, off + n, align);
	tail_at = end + (uint64_t)delta;
	zeros = calloc(1, tail_at - (off + n) + 1);
	if (!zeros) {
		KLP_ERR(path, "out of memory");
		goto close_in;
	}
	if (kelf_open_output(&out, path, out_path))
		goto close_in;
	if (copy_range(&in, out_path, out.fd, 0, off, 0) ||
	    write_all(out_path, out.fd, buf, n, off) ||
	    write_all(out_path, out.fd, zeros, tail_at - (off + n), off + n) ||
	    copy_range(&in, out_path, out.fd, end, in.file_size - end, tail_at) ||
	    ftruncate(out.fd, (off_t)(in.file_size + (uint64_t)delta)) ||
	    patch_headers(&in, &out, notes, n, delta) || kelf_publish(&out))
		goto close_out;
	printf("%s: %s: %zu bytes, stored in %zu (zstd level %d; were %llu)\n", out_path,
	       KLP_NOTES_SECTION, notes->size, n, level,
	       (unsigned long long)notes->sh.sh_size);
	ret = 0;
close_out:
	kelf_close(&out);
close_in:
	free(zeros);
	free(buf);
	kelf_close(&in);
	return ret;
}

static int compress_run(const struct klp_args *a)
{
	const char *file = a->operands[0], *out = klp_value(a, "-o");
	const char *level_arg = klp_value(a, "--level");
	int level = KLP_COMPRESS_LEVEL;

	if (level_arg) {
		char *endp;
		long v = strtol(level_arg, &endp, 10);

		if (*endp || endp == level_arg || v < 1 || v > ZSTD_maxCLevel())
			return klp_usage_error(a, "--level takes 1 to %d, not %s",
					       ZSTD_maxCLevel(), level_arg);
		level = (int)v;
	}
	return compress_file(file, out ? out : file, level) ? 1 : 0;
}

static const struct klp_option compress_options[] = {
	{ "--level", NULL, "N", 1, false, KLP_COMPLETE_NONE,
	  "zstd level, 1 to 22 (default 19, where the linker and objcopy use 3 or 5)" },
	{ "--output", "-o", "OUT", 1, false, KLP_COMPLETE_FILE,
	  "write the result to OUT (atomically); without it FILE is replaced" },
	KLP_OPTION_END
};

const struct klp_command klp_cmd_compress = {
	"compress", "FILE", 1, 1,
	"store FILE's .debug_klp as an SHF_COMPRESSED section, zstd-compressed.  Nothing "
	"else moves: a post-link step for vmlinux and modules",
	compress_options, compress_run,
};
