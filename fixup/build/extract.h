/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * extract.h - from the patched compile of one unit, the object a livepatch
 * links: the changed functions, what they need that the running kernel
 * does not have, the special-section entries that go with them, and a
 * reference for everything else.
 */
#ifndef KLP_EXTRACT_H
#define KLP_EXTRACT_H

#include "../elf/kelf-write.h"
#include "../notes/notes.h"

#include <stdbool.h>
#include <stddef.h>

/* One function the livepatch replaces. */
struct klp_patched_func {
	char *old_name;		/* its name in the running kernel */
	char *new_name;		/* the global symbol of its new code in the object */
};

struct klp_extract_in {
	const char *path;		/* the patched compile, for messages */
	struct kelf *obj;		/* its ELF, symbols loaded */
	const struct klp_unit *new_unit;	/* its notes */
	const struct klp_unit *old_unit;	/* the running kernel's unit */
	const size_t *new_to_old;	/* per new note symbol: old index or SIZE_MAX */
	const char *objname;		/* "vmlinux" or the module's name */
	const char *tu_path;		/* the unit's path in the running kernel's notes */
	unsigned index;			/* the unit's number in the livepatch (symbol names) */
	uint32_t bug_entsize;		/* struct bug_entry's size in this kernel */
	/* Does the kernel export name (Module.symvers)? */
	bool (*exported)(void *ctx, const char *name);
	/* The object that defines global name, for a reference to it:
	 * objname, when a module's unit names a global of the module's own,
	 * else vmlinux */
	const char *(*home_of)(void *ctx, const char *name);
	void *ctx;
	/* Does a unit of this livepatch define name as a new global? */
	bool (*patch_defines)(void *ctx, const char *name);
	void *patch_ctx;
};

/* A callback the patch declares (include/klp-build.h). */
struct klp_callback {
	unsigned kind;		/* enum klp_build_callback_kind */
	char *name;		/* the global symbol of the function in the object */
};

struct klp_extract_out {
	struct klp_patched_func *funcs;
	size_t nfuncs;
	struct klp_callback *callbacks;
	size_t ncallbacks;
	size_t nfunctions_copied, nobjects_copied, nrefs, nentries;
};

/*
 * Fill w with the livepatch object of one unit and list in out the
 * functions it replaces.  0, or -1 after printing why (a changed
 * writable object, a changed function without a patch site, an
 * __init function, a section of entries about code that is unknown),
 * naming the file, the symbol and what to do.
 */
int klp_extract(const struct klp_extract_in *in, struct kelf_writer *w,
		struct klp_extract_out *out);
void klp_extract_out_free(struct klp_extract_out *out);

#endif /* KLP_EXTRACT_H */
