/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp.h - refer to a livepatch target's local symbols from C.
 *
 * A livepatch module often needs a symbol the target does not export: a
 * static function or object of vmlinux or of a module.  Declare it with
 * KLP_LOCAL_SYM() and use it as usual:
 *
 *	#include "klp.h"
 *
 *	extern int klp_c_start_count
 *		KLP_LOCAL_SYM("vmlinux", "fs/proc/consoles.c", "c_start_count");
 *	extern void *klp_c_start(struct seq_file *m, loff_t *pos)
 *		KLP_LOCAL_SYM("vmlinux", "fs/proc/consoles.c", "c_start");
 *
 * OBJ is "vmlinux" or the module's name; PATH is the source file as the
 * target's notes record it (`klp-fixup dump` lists them), or any suffix
 * of it that starts after a '/' and names one file; SYMBOL is the name in
 * the target's symbol table (clones as "name.constprop.0", function-local
 * statics as "name.N").  An empty PATH asks for a name the kernel sees
 * only once in OBJ.
 *
 * The declaration becomes an undefined symbol named
 *
 *	__klp_ref:OBJ:PATH:SYMBOL
 *
 * Object and symbol are the text up to the first and after the last ':'.
 * Because the path is part of the name, two objects of one module that
 * refer to same-named symbols of different files keep two symbols after
 * they are linked together, and each resolves to its own position.
 * `klp-fixup convert --target FILE... MODULE.ko -o OUT.ko` replaces each
 * such symbol by the kernel's `.klp.sym.OBJ.SYMBOL,POS` and moves every
 * relocation against it to `.klp.rela.OBJ.SECTION` (docs/klp-fixup.md).
 * Until then the module cannot load.
 *
 * The C name (klp_c_start above) is free: it may differ from SYMBOL, so a
 * livepatch can hold its own function of the same name.
 */
#ifndef KLP_H
#define KLP_H

#define KLP_REF_PREFIX "__klp_ref:"

/* The symbol name of a reference, as klp-fixup parses it. */
#define KLP_REF_NAME(obj, path, symbol) KLP_REF_PREFIX obj ":" path ":" symbol

/*
 * The asm label that gives a declaration that name.  gcc prints the label
 * into its assembly as it is: the quotes make the assembler accept '/',
 * ':' and spaces in it (binutils 2.26 and later).  clang takes the label
 * as the symbol's name and quotes it itself where its assembler needs
 * that: quotes of ours would become part of the name.
 */
#ifdef __clang__
#define KLP_LOCAL_SYM(obj, path, symbol) __asm__(KLP_REF_NAME(obj, path, symbol))
#else
#define KLP_LOCAL_SYM(obj, path, symbol) __asm__("\"" KLP_REF_NAME(obj, path, symbol) "\"")
#endif

#endif /* KLP_H */
