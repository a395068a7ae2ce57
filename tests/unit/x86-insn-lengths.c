/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-insn-lengths.c - the builder's x86-64 instruction lengths
 * (fixup/build/x86-insn.c) over a file of code: one "OFFSET LENGTH" line
 * per instruction, decoding from the first byte, or "OFFSET unknown" and
 * exit 1.  tests/tools/x86-insn-compare holds them against objdump.
 */
#include "../../fixup/build/x86-insn.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	static uint8_t code[1 << 22];
	size_t size, at = 0;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: x86-insn-lengths FILE\n");
		return 2;
	}
	size = fread(code, 1, sizeof(code), f);
	fclose(f);
	while (at < size) {
		size_t n = klp_x86_insn_length(code + at, size - at);

		if (!n) {
			printf("%zx unknown\n", at);
			return 1;
		}
		printf("%zx %zu\n", at, n);
		at += n;
	}
	return 0;
}
