/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-stream.c - a section read in bounded chunks (a vmlinux's symbol
 * table is too large to hold next to everything else), and the one pread
 * loop of the ELF layer.
 */
#include "kelf.h"
#include "kelf-internal.h"
#include "../base/warn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * len bytes at file offset off, which the caller has checked lie inside
 * the file; what names the section for the message (NULL: none).
 */
int kelf_pread(struct kelf *k, const char *what, uint64_t off, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(k->fd, (unsigned char *)buf + done, len - done,
				  (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			KLP_ERR(k->path, "%s%scannot read %zu bytes at 0x%llx: %s", what ? what : "",
				what ? ": " : "", len - done, (unsigned long long)(off + done),
				n ? strerror(errno) : "the file is truncated");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
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
		return kelf_refuse_compressed(k, sec);
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
	size_t want;

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
	if (kelf_pread(st->k, sec->name, sec->sh.sh_offset + off, st->buf, want))
		return NULL;
	st->start = off;
	st->len = want;
	return st->buf;
}

void kelf_stream_close(struct kelf_stream *st)
{
	free(st->buf);
	memset(st, 0, sizeof(*st));
}
