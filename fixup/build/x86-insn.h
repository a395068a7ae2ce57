/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-insn.h - the length of x86-64 instructions, which is all the builder
 * needs of them: a PC-relative relocation in code is relative to the end
 * of its instruction, and an immediate after the displacement moves that
 * end (`movb $1, x(%rip)`: the addend is x - 5, not x - 4).  GNU as writes
 * a local variable's relocation against its section, so the addend alone
 * cannot say which variable it is.
 */
#ifndef KLP_X86_INSN_H
#define KLP_X86_INSN_H

#include <stddef.h>
#include <stdint.h>

/* The length of the 64-bit mode instruction at p (at most avail bytes
 * there), or 0 if it is not one this decoder knows. */
size_t klp_x86_insn_length(const uint8_t *p, size_t avail);

/* The offset of the end of the instruction of code that holds the bytes
 * [field, field + 4), decoding from start (a function's first byte); 0 if
 * the code from start cannot be decoded up to it, or no instruction holds
 * the field whole. */
uint64_t klp_x86_insn_end(const uint8_t *code, uint64_t size, uint64_t start, uint64_t field);

#endif
