/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-inflate.c - the compression header of an SHF_COMPRESSED section,
 * and inflating zstd data (ch_type ELFCOMPRESS_ZSTD) with libzstd.
 * elfutils' elf_compress() knows zstd only from 0.189 on, and Debian
 * bookworm has 0.188, so a kernel built with
 * CONFIG_DEBUG_INFO_COMPRESSED_ZSTD would otherwise have unreadable notes.
 * zlib sections still go through libelf (kelf.c).
 * The bytes come from an untrusted file: the header is decoded by hand in
 * the file's class and byte order, and every size it gives is checked
 * before anything of that size is allocated.
 */
#include "kelf.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <zstd.h>

/*
 * A zstd block inflates to at most 128 KiB and takes at least 4 bytes
 * (an RLE block: 3 bytes of header, 1 of data), so no zstd data of n bytes
 * inflates to more than n * 32768.  A header claiming more is corrupt,
 * and nothing of that size is allocated for it.
 */
#define ZSTD_MAX_RATIO	32768u

int kelf_chdr_decode(const struct kelf *k, const struct kelf_section *sec,
		     const unsigned char *raw, size_t n, struct kelf_chdr *ch)
{
	bool elf64 = k->ehdr.e_ident[EI_CLASS] == ELFCLASS64;

	if (!elf64 && k->ehdr.e_ident[EI_CLASS] != ELFCLASS32) {
		KLP_ERR(k->path, "section %s: ELF class %u has no compression header layout: "
			"the ELF header is corrupt; rebuild the file", sec->name,
			k->ehdr.e_ident[EI_CLASS]);
		return -1;
	}
	ch->len = elf64 ? sizeof(Elf64_Chdr) : sizeof(Elf32_Chdr);
	if (!raw || n < ch->len) {
		KLP_ERR(k->path, "section %s is compressed (SHF_COMPRESSED) but its %zu bytes "
			"are shorter than a compression header (%zu bytes): the section is corrupt; "
			"rebuild the file", sec->name, n, ch->len);
		return -1;
	}
	/* Elf64_Chdr: type, reserved, size, alignment; Elf32_Chdr: type,
	 * size, alignment, all words. */
	ch->type = kelf_u32(k, raw);
	ch->size = elf64 ? kelf_u64(k, raw + 8) : kelf_u32(k, raw + 4);
	ch->addralign = elf64 ? kelf_u64(k, raw + 16) : kelf_u32(k, raw + 8);
	/* Here, for zlib too: libelf would allocate whatever the header says. */
	if (ch->size > KELF_INFLATE_MAX) {
		KLP_ERR(k->path, "section %s inflates to %llu bytes, more than the %llu "
			"klp-fixup holds in memory: decompress it with objcopy "
			"--decompress-debug-sections and read the decompressed file", sec->name,
			(unsigned long long)ch->size, (unsigned long long)KELF_INFLATE_MAX);
		return -1;
	}
	return 0;
}

/*
 * The inflated size the zstd frames of data[0..n) give, summed over all of
 * them (nothing binds a writer to one frame, and ZSTD_decompress() reads
 * them all; ZSTD_findDecompressedSize() is not in libzstd's stable
 * interface), or ZSTD_CONTENTSIZE_UNKNOWN when a frame does not say (as
 * streams its frames), or ZSTD_CONTENTSIZE_ERROR when data is not
 * whole zstd frames.
 */
static unsigned long long frames_size(const unsigned char *data, size_t n)
{
	unsigned long long total = 0, size;
	bool unknown = false;

	while (n) {
		size_t len = ZSTD_findFrameCompressedSize(data, n);

		size = ZSTD_getFrameContentSize(data, n);	/* 0 for a skippable frame */
		if (ZSTD_isError(len) || !len || len > n || size == ZSTD_CONTENTSIZE_ERROR)
			return ZSTD_CONTENTSIZE_ERROR;
		if (size == ZSTD_CONTENTSIZE_UNKNOWN)
			unknown = true;
		else if (total > KELF_INFLATE_MAX || size > KELF_INFLATE_MAX - total)
			total = KELF_INFLATE_MAX + 1;	/* too much, without overflow */
		else
			total += size;
		data += len;
		n -= len;
	}
	return unknown ? ZSTD_CONTENTSIZE_UNKNOWN : total;
}

/* The sizes the header (at most KELF_INFLATE_MAX, kelf_chdr_decode()) and
 * the zstd frames give, against each other and against what zstd can
 * encode in n bytes.  0, or -1 after printing why. */
static int check_sizes(const struct kelf *k, const struct kelf_section *sec,
		       const unsigned char *data, size_t n, uint64_t size)
{
	unsigned long long frames;

	if (size / ZSTD_MAX_RATIO > n) {
		KLP_ERR(k->path, "section %s: its compression header gives %llu bytes, more than "
			"%zu bytes of zstd data can hold: the section is corrupt; rebuild the file",
			sec->name, (unsigned long long)size, n);
		return -1;
	}
	frames = frames_size(data, n);
	if (frames == ZSTD_CONTENTSIZE_ERROR) {
		KLP_ERR(k->path, "section %s: its %zu bytes of compressed data are not whole "
			"zstd frames: the section is truncated or corrupt; rebuild the file",
			sec->name, n);
		return -1;
	}
	/* A frame without a content size is allowed: the header's size still
	 * bounds the output, and the inflated size is checked against it. */
	if (frames != ZSTD_CONTENTSIZE_UNKNOWN && frames != size) {
		KLP_ERR(k->path, "section %s: its compression header gives %llu bytes but its "
			"zstd frames give %llu: the section is corrupt; rebuild the file", sec->name,
			(unsigned long long)size, frames);
		return -1;
	}
	return 0;
}

unsigned char *kelf_inflate_zstd(const struct kelf *k, const struct kelf_section *sec,
				 const unsigned char *raw, size_t n, const struct kelf_chdr *ch)
{
	const unsigned char *data = raw + ch->len;
	size_t len = n - ch->len, got;
	unsigned char *out;

	/* The size is consistent first, so that a corrupt one is named so. */
	if (check_sizes(k, sec, data, len, ch->size) || kelf_check_notes_size(k, sec, ch->size))
		return NULL;
	out = malloc(ch->size ? (size_t)ch->size : 1);
	if (!out) {
		KLP_ERR(k->path, "section %s: out of memory for %llu inflated bytes; decompress "
			"it with objcopy --decompress-debug-sections", sec->name,
			(unsigned long long)ch->size);
		return NULL;
	}
	/* One call: all frames, into a buffer that cannot be overrun. */
	got = ZSTD_decompress(out, (size_t)ch->size, data, len);
	if (ZSTD_isError(got)) {
		KLP_ERR(k->path, "section %s: cannot inflate its zstd data (%s; its compression "
			"header gives %llu bytes): the section is corrupt; rebuild the file",
			sec->name, ZSTD_getErrorName(got), (unsigned long long)ch->size);
	} else if (got != ch->size) {
		KLP_ERR(k->path, "section %s: its zstd data inflates to %zu bytes where its "
			"compression header gives %llu: the section is corrupt; rebuild the file",
			sec->name, got, (unsigned long long)ch->size);
	} else {
		return out;
	}
	free(out);
	return NULL;
}
