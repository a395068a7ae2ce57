/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * checksum-names.c - names in checksums without compiler-made numbers
 * (klp-checksum.h).
 */
#include "../include/klp-checksum.h"

#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_clone_word(const char *p, size_t n)
{
	static const char *const words[] = { "constprop", "isra", "part", "cold", "lto_priv" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(p, words[i], n))
			return 1;
	return 0;
}

/* The number the compiler appended after a dot (counter.3), or n. */
static size_t without_dot_number(const char *p, size_t n)
{
	size_t dot = n;

	while (dot > 0 && is_digit(p[dot - 1]))
		dot--;
	if (dot == n || dot < 2 || p[dot - 1] != '.')
		return n;
	/* the word before the number: foo.constprop.0 keeps its number */
	for (size_t prev = dot - 1; prev-- > 0;)
		if (p[prev] == '.')
			return is_clone_word(p + prev + 1, dot - 2 - prev) ? n : dot - 1;
	return dot - 1;
}

size_t klp_unnumbered_len(const char *p, size_t n)
{
	static const char unique[] = "__UNIQUE_ID_";
	size_t len = without_dot_number(p, n);

	/* the kernel's __UNIQUE_ID(prefix) appends __COUNTER__, which every
	 * use before it in the unit moves: __UNIQUE_ID_ddebug603 */
	if (len > sizeof(unique) - 1 && !memcmp(p, unique, sizeof(unique) - 1))
		while (len > sizeof(unique) - 1 && is_digit(p[len - 1]))
			len--;
	return len;
}
