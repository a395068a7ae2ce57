/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symtab-order.h - which symbols of a target the kernel's livepatch lookup
 * sees, and in which order (../docs/klp-fixup.md, "How positions are
 * counted").
 */
#ifndef KLP_SYMTAB_ORDER_H
#define KLP_SYMTAB_ORDER_H

#include "../elf/kelf.h"

/* vmlinux: does the symbol reach kallsyms (nm, scripts/mksysmap,
 * scripts/kallsyms.c with --all-symbols)? */
bool kallsyms_keeps(const struct kelf *k, const struct kelf_symbol *s);

/* vmlinux: kallsyms order of two symbols of the same name
 * (scripts/kallsyms.c compare_symbols(), then table order). */
int kallsyms_compare(const struct kelf_symbol *a, const struct kelf_symbol *b);

/* A module: is the symbol one of the core symbols the loader keeps in
 * the module's kallsyms (kernel/module/kallsyms.c is_core_symbol())? */
bool module_kallsyms_keeps(const struct kelf *k, const struct kelf_symbol *s);

#endif /* KLP_SYMTAB_ORDER_H */
