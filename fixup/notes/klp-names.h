/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-names.h - the symbol and section names of livepatch modules:
 * references written with include/klp.h, and the kernel's .klp.sym and
 * .klp.rela names (Documentation/livepatch/module-elf-format.rst).
 */
#ifndef KLP_NAMES_H
#define KLP_NAMES_H

#include "target.h"
#include "../../include/klp.h"

/* SHN_LIVEPATCH and SHF_RELA_LIVEPATCH from include/uapi/linux/elf.h */
#define KLP_SHN_LIVEPATCH	0xff20
#define KLP_SHF_RELA_LIVEPATCH	0x00100000

#define KLP_SYM_PREFIX		".klp.sym."
/* convert's record of what each .klp.sym was resolved against (docs/klp-fixup.md) */
#define KLP_REFS_SECTION	".debug_klp_refs"
#define KLP_REFS_FIELDS		4	/* .klp.sym name, object, unit path, unit id */
#define KLP_RELA_PREFIX		".klp.rela."

/* A reference __klp_ref:OBJ:PATH:SYMBOL, split. */
struct klp_ref {
	char objname[KLP_OBJNAME_MAX + 1];
	char *path;			/* allocated; "" for none */
	char *symbol;			/* allocated */
};

bool klp_is_ref(const char *name);
/* Whether name has the prefix of a .klp.sym symbol / a .klp.rela section. */
bool klp_is_sym_name(const char *name);
bool klp_is_rela_name(const char *name);

/* Split name; returns 0, or -1 with a reason in *why. */
int klp_ref_parse(const char *name, struct klp_ref *ref, const char **why);
void klp_ref_free(struct klp_ref *ref);

/* A .klp.sym name as the kernel's sscanf(".klp.sym.%55[^.].%511[^,],%lu")
 * reads it.  Returns 0, or -1 with a reason in *why. */
int klp_sym_parse(const char *name, char objname[KLP_OBJNAME_MAX + 1],
		  char symbol[KLP_SYMNAME_MAX + 1], unsigned long *pos, const char **why);

/* The object name of a .klp.rela section (sscanf(".klp.rela.%55[^.]")),
 * and where the target section's name starts; -1 if malformed. */
int klp_rela_parse(const char *name, char objname[KLP_OBJNAME_MAX + 1],
		   const char **secname);

#endif /* KLP_NAMES_H */
