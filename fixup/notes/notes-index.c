/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notes-index.c - the notes of a large file without holding them: the
 * units indexed in one bounded pass, and one unit decoded again from the
 * file when it is asked for (notes.h).
 */
#include "notes-internal.h"
#include "notes-names.h"
#include "../base/warn.h"

#include <stdlib.h>
#include <string.h>

int klp_notes_index(struct kelf *k, struct klp_notes *notes, struct klp_notes_spans *spans)
{
	struct reader r = { .k = k };
	struct kelf_stream stream;
	struct kelf_section *sec;
	int ret;

	memset(notes, 0, sizeof(*notes));
	memset(spans, 0, sizeof(*spans));
	sec = klp_notes_section(k, &ret);
	if (!sec)
		return ret;
	if (kelf_stream_open(&stream, k, sec))
		return -1;
	ret = klp_notes_relocs(k, sec, &spans->relocs, &spans->nrelocs);
	r.relocs = spans->relocs;
	r.nrelocs = spans->nrelocs;
	r.sec = sec;
	r.stream = &stream;
	if (!ret)
		ret = klp_notes_walk(&r, 0, sec->size, notes, &spans->ends);
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
	klp_symaddr_free(spans->symaddr);
	memset(notes, 0, sizeof(*notes));
	memset(spans, 0, sizeof(*spans));
}

int klp_notes_read_unit(struct kelf *k, const struct klp_notes *index,
			struct klp_notes_spans *spans, size_t i, struct klp_unit_notes *un)
{
	struct reader r = { .k = k, .relocs = spans->relocs, .nrelocs = spans->nrelocs,
			    .symaddr = &spans->symaddr };
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
		ret = klp_notes_walk(&r, start, start + len, &notes, NULL);
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
	for (size_t j = 0; j < un->unit.ndiscarded; j++)
		un->unit.discarded[j].unit = &un->unit;
	return 0;
}

void klp_unit_notes_free(struct klp_unit_notes *un)
{
	for (size_t j = 0; j < un->unit.nsyms; j++)
		free(un->unit.syms[j].inlined);
	free(un->unit.syms);
	free(un->unit.discarded);
	free(un->bytes);
	memset(un, 0, sizeof(*un));
}
