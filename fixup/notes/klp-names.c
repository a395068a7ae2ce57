/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-names.c - parse reference, .klp.sym and .klp.rela names.  The
 * kernel reads the latter with sscanf(); the limits and stop characters
 * here are those of its format strings, so a name accepted here is read
 * the same way by the kernel.
 */
#include "klp-names.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool klp_is_ref(const char *name)
{
	return !strncmp(name, KLP_REF_PREFIX, strlen(KLP_REF_PREFIX));
}

bool klp_is_sym_name(const char *name)
{
	return !strncmp(name, KLP_SYM_PREFIX, strlen(KLP_SYM_PREFIX));
}

bool klp_is_rela_name(const char *name)
{
	return !strncmp(name, KLP_RELA_PREFIX, strlen(KLP_RELA_PREFIX));
}

int klp_ref_parse(const char *name, struct klp_ref *ref, const char **why)
{
	const char *obj = name + strlen(KLP_REF_PREFIX);
	const char *colon = strchr(obj, ':'), *last = strrchr(obj, ':');
	size_t objlen;

	memset(ref, 0, sizeof(*ref));
	if (!colon || colon == last) {
		*why = "it is not " KLP_REF_PREFIX "OBJ:PATH:SYMBOL";
		return -1;
	}
	objlen = (size_t)(colon - obj);
	if (!objlen || objlen > KLP_OBJNAME_MAX || memchr(obj, '.', objlen)) {
		*why = "the object name must have 1 to 55 characters and no '.'";
		return -1;
	}
	if (!last[1] || strlen(last + 1) > KLP_SYMNAME_MAX || strchr(last + 1, ',')) {
		*why = "the symbol name must have 1 to 511 characters and no ','";
		return -1;
	}
	memcpy(ref->objname, obj, objlen);
	ref->objname[objlen] = '\0';
	ref->path = strndup(colon + 1, (size_t)(last - colon - 1));
	ref->symbol = strdup(last + 1);
	if (!ref->path || !ref->symbol) {
		klp_ref_free(ref);
		*why = "out of memory";
		return -1;
	}
	return 0;
}

void klp_ref_free(struct klp_ref *ref)
{
	free(ref->path);
	free(ref->symbol);
	ref->path = ref->symbol = NULL;
}

/* %N[^stop]: 1 to max characters up to stop; returns the length or 0. */
static size_t scan_set(const char *s, char stop, size_t max, char *out)
{
	size_t n = 0;

	while (s[n] && s[n] != stop && n < max) {
		out[n] = s[n];
		n++;
	}
	out[n] = '\0';
	return n;
}

int klp_sym_parse(const char *name, char objname[KLP_OBJNAME_MAX + 1],
		  char symbol[KLP_SYMNAME_MAX + 1], unsigned long *pos, const char **why)
{
	const char *p = name;
	size_t n;
	char *end;

	if (!klp_is_sym_name(p)) {
		*why = "the name does not start with " KLP_SYM_PREFIX;
		return -1;
	}
	p += strlen(KLP_SYM_PREFIX);
	n = scan_set(p, '.', KLP_OBJNAME_MAX, objname);
	if (!n || p[n] != '.') {
		*why = "no object name of 1 to 55 characters followed by '.'";
		return -1;
	}
	p += n + 1;
	n = scan_set(p, ',', KLP_SYMNAME_MAX, symbol);
	if (!n || p[n] != ',') {
		*why = "no symbol name of 1 to 511 characters followed by ','";
		return -1;
	}
	p += n + 1;
	if (!isdigit((unsigned char)*p)) {
		*why = "no position after ','";
		return -1;
	}
	*pos = strtoul(p, &end, 10);
	if (*end) {
		/* sscanf would stop here and still succeed; a name with
		 * trailing text is not one klp-fixup writes. */
		*why = "text after the position";
		return -1;
	}
	return 0;
}

int klp_rela_parse(const char *name, char objname[KLP_OBJNAME_MAX + 1],
		   const char **secname)
{
	const char *p = name + strlen(KLP_RELA_PREFIX);
	size_t n;

	if (!klp_is_rela_name(name))
		return -1;
	n = scan_set(p, '.', KLP_OBJNAME_MAX, objname);
	if (!n || p[n] != '.')
		return -1;
	*secname = p + n + 1;
	return 0;
}
