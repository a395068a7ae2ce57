/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-insn.c - x86-64 instruction lengths (x86-insn.h says why).  Written
 * from the opcode maps of the architecture manuals: per opcode, whether a
 * ModRM byte follows and which immediate.  Code the kernel's C compiles to
 * is covered, with VEX and EVEX for inline assembly; an opcode that is
 * invalid in 64-bit mode, or one of AMD's XOP, is "unknown", and the
 * caller refuses rather than guesses.
 */
#include "x86-insn.h"

#include <stdbool.h>

/*
 * One character per opcode:
 *   .  nothing follows          m  ModRM
 *   b  imm8                     B  ModRM, imm8
 *   z  imm16/32 (operand size)  Z  ModRM, imm16/32
 *   w  imm16                    e  imm16, imm8 (enter)
 *   v  imm16/32/64 (mov r, imm) o  a 64- or 32-bit address (mov moffs)
 *   j  rel32                    g  ModRM; imm8 if /0 or /1 (test)
 *   G  ModRM; imm16/32 if /0 or /1
 *   x  unknown here: invalid in 64-bit mode, or a prefix or escape the
 *      decoder takes before it looks here
 */
static const char one_byte[257] =
	"mmmmbzxxmmmmbzxx"	/* 00 */
	"mmmmbzxxmmmmbzxx"	/* 10 */
	"mmmmbzxxmmmmbzxx"	/* 20 */
	"mmmmbzxxmmmmbzxx"	/* 30 */
	"xxxxxxxxxxxxxxxx"	/* 40: REX */
	"................"	/* 50 */
	"xxxmxxxxzZbB...."	/* 60 */
	"bbbbbbbbbbbbbbbb"	/* 70 */
	"BZxBmmmmmmmmmmmm"	/* 80 */
	"..........x....."	/* 90 */
	"oooo....bz......"	/* a0 */
	"bbbbbbbbvvvvvvvv"	/* b0 */
	"BBw.xxBZe.w..bx."	/* c0 */
	"mmmmxxx.mmmmmmmm"	/* d0 */
	"bbbbbbbbjjxb...."	/* e0 */
	"x.xx..gG......mm";	/* f0 */

static const char two_byte[257] =
	"mmmmx.....x.xm.B"	/* 0f 00 */
	"mmmmmmmmmmmmmmmm"	/* 0f 10 */
	"mmmmxxxxmmmmmmmm"	/* 0f 20 */
	"......x.xxxxxxxx"	/* 0f 30 */
	"mmmmmmmmmmmmmmmm"	/* 0f 40 */
	"mmmmmmmmmmmmmmmm"	/* 0f 50 */
	"mmmmmmmmmmmmmmmm"	/* 0f 60 */
	"BBBBmmm.mmxxmmmm"	/* 0f 70 */
	"jjjjjjjjjjjjjjjj"	/* 0f 80 */
	"mmmmmmmmmmmmmmmm"	/* 0f 90 */
	"...mBmxx...mBmmm"	/* 0f a0 */
	"mmmmmmmmmmBmmmmm"	/* 0f b0 */
	"mmBmBBBm........"	/* 0f c0 */
	"mmmmmmmmmmmmmmmm"	/* 0f d0 */
	"mmmmmmmmmmmmmmmm"	/* 0f e0 */
	"mmmmmmmmmmmmmmmm";	/* 0f f0 */

static bool is_legacy_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 ||
	       b == 0x2e || b == 0x36 || b == 0x3e || b == 0x26 || b == 0x64 || b == 0x65;
}

/* The bytes of a ModRM byte at p and what it implies (SIB, displacement);
 * 0 if they run past end. */
static size_t modrm_length(const uint8_t *p, const uint8_t *end)
{
	uint8_t mod, rm;
	size_t n = 1;

	if (p >= end)
		return 0;
	mod = *p >> 6;
	rm = *p & 7;
	if (mod != 3 && rm == 4) {
		if (p + 1 >= end)
			return 0;
		n++;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4;
	}
	if (mod == 0 && rm == 5)
		n += 4;		/* RIP-relative */
	else if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return n;
}

size_t klp_x86_insn_length(const uint8_t *p, size_t avail)
{
	const uint8_t *start = p, *end = p + (avail < 15 ? avail : 15);
	bool opsize16 = false, addr32 = false, rex_w = false;
	size_t n;
	uint8_t op, reg;
	char kind;

	/* legacy prefixes, then REX (a REX before a legacy prefix is void) */
	for (; p < end; p++) {
		if (is_legacy_prefix(*p)) {
			opsize16 |= *p == 0x66;
			addr32 |= *p == 0x67;
			rex_w = false;
		} else if ((*p & 0xf0) == 0x40) {
			rex_w = *p & 8;
		} else {
			break;
		}
	}
	if (p >= end)
		return 0;
	if (*p == 0xc4 || *p == 0xc5 || *p == 0x62) {
		/* VEX (2 or 3 bytes) or EVEX (4): the map is in the prefix */
		size_t len = *p == 0xc5 ? 2 : *p == 0xc4 ? 3 : 4;
		unsigned m = *p == 0xc5 ? 1 : p + 1 < end ? p[1] & (*p == 0x62 ? 3 : 0x1f) : 0;

		if (p + len >= end || m < 1 || m > 3)
			return 0;
		p += len;
		op = *p++;
		kind = m == 2 ? 'm' : m == 3 ? 'B' : two_byte[op];
		if (m == 1 && op == 0x77)
			kind = '.';	/* vzeroupper, vzeroall */
	} else if (*p == 0x0f) {
		if (++p >= end)
			return 0;
		if (*p == 0x38 || *p == 0x3a) {
			kind = *p == 0x38 ? 'm' : 'B';
			if (++p >= end)
				return 0;
			p++;
		} else {
			kind = two_byte[*p++];
		}
	} else {
		op = *p++;
		kind = one_byte[op];
		/* 8f /1-/7 is AMD's XOP prefix */
		if (op == 0x8f && p < end && ((*p >> 3) & 7))
			return 0;
	}

	switch (kind) {
	case 'm': case 'B': case 'Z': case 'g': case 'G':
		reg = p < end ? (*p >> 3) & 7 : 0;
		n = modrm_length(p, end);
		if (!n)
			return 0;
		p += n;
		if (kind == 'B' || (kind == 'g' && reg < 2))
			p += 1;
		else if (kind == 'Z' || (kind == 'G' && reg < 2))
			p += opsize16 ? 2 : 4;
		break;
	case '.': break;
	case 'b': p += 1; break;
	case 'w': p += 2; break;
	case 'e': p += 3; break;
	case 'j': p += 4; break;
	case 'z': p += opsize16 ? 2 : 4; break;
	case 'v': p += rex_w ? 8 : opsize16 ? 2 : 4; break;
	case 'o': p += addr32 ? 4 : 8; break;
	default: return 0;
	}
	return p <= end ? (size_t)(p - start) : 0;
}

uint64_t klp_x86_insn_end(const uint8_t *code, uint64_t size, uint64_t start, uint64_t field)
{
	for (uint64_t at = start; at < size;) {
		size_t n = klp_x86_insn_length(code + at, (size_t)(size - at));

		if (!n)
			return 0;
		if (field < at + n)
			return field >= at && field + 4 <= at + n ? at + n : 0;
		at += n;
	}
	return 0;
}
