/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * warn.c - the one writer of klp-fixup's messages (warn.h).
 */
#include "warn.h"

#include <stdarg.h>
#include <stdlib.h>

/* Control bytes (and DEL) as \xNN; text, UTF-8 included, as it is. */
static void put_escaped(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
}

/* fmt and ap formatted whole (long names too), escaped, then end. */
static void put_formatted(const char *fmt, va_list ap)
{
	char small[512], *text = small;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		text = malloc((size_t)n + 1);
		if (text)
			vsnprintf(text, (size_t)n + 1, fmt, again);
		else
			text = small;	/* out of memory: the message cut, not lost */
	}
	va_end(again);
	put_escaped(n < 0 ? fmt : text);
	fputc('\n', stderr);
	if (text != small)
		free(text);
}

void klp_report(const char *level, const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "klp-fixup: %s: ", level);
	put_escaped(file ? file : "(null)");
	fputs(": ", stderr);
	va_start(ap, fmt);
	put_formatted(fmt, ap);
	va_end(ap);
}

void klp_report_more(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_formatted(fmt, ap);
	va_end(ap);
}
