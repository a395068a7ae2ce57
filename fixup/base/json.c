/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - the one JSON string writer of dump, diff and affected.
 */
#include "json.h"

void klp_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
