/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-internal.h - what the files of the ELF layer share with each other
 * and nothing outside the layer uses.
 */
#ifndef KLP_KELF_INTERNAL_H
#define KLP_KELF_INTERNAL_H

#include "kelf.h"

/* kelf.c */
int kelf_begin(struct kelf *k, Elf_Cmd cmd);
int kelf_take_data(struct kelf *k, Elf_Scn *scn, struct kelf_section *s);
int kelf_refuse_compressed(const struct kelf *k, const struct kelf_section *sec);

/* kelf-check.c */
int kelf_check_tables(struct kelf *k, uint64_t *nsecs);
int kelf_check_reloc_links(struct kelf *k);
int kelf_check_layout(struct kelf *k);
uint64_t kelf_notes_budget(struct kelf *k);

/* kelf-stream.c */
int kelf_pread(struct kelf *k, const char *what, uint64_t off, void *buf, size_t len);

/* kelf-edit.c */
void *kelf_own(struct kelf *k, void *p);

/* kelf-output.c */
void kelf_output_discard(struct kelf *k);

#endif /* KLP_KELF_INTERNAL_H */
