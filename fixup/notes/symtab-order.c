/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * symtab-order.c - the kernel's rules for which symbols a livepatch
 * lookup counts and in which order, restated from the 6.1/6.12 sources:
 *
 * vmlinux: scripts/link-vmlinux.sh feeds `nm -n vmlinux` through
 * scripts/mksysmap (a sed script deleting types a, N, U, w and a list of
 * names) into scripts/kallsyms, which ignores types u, n and most A, sorts
 * by address with compare_symbols() and keeps everything (LIVEPATCH needs
 * KALLSYMS_ALL, i.e. --all-symbols).  klp_find_object_symbol() then counts
 * the symbols of one name in that order.
 *
 * Modules: the loader keeps the core symbols of the .ko symtab in table
 * order (add_kallsyms() with is_core_symbol()), and the lookup walks them.
 */
#include "symtab-order.h"

#include <string.h>

#define STB_GNU_UNIQUE_ 10	/* not in every elf.h */

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* bfd marks these non-allocated sections SEC_DEBUGGING: nm type 'N'. */
static bool is_debug_section(const char *name)
{
	return starts_with(name, ".debug") || starts_with(name, ".zdebug") ||
	       starts_with(name, ".gnu.debuglto_.debug_") ||
	       starts_with(name, ".gnu.linkonce.wi.") || starts_with(name, ".line") ||
	       starts_with(name, ".stab") || !strcmp(name, ".gdb_index");
}

/*
 * The type letter GNU nm prints for a defined symbol (bfd_decode_symclass()
 * and decode_section_type()), or 0 when nm does not list it at all
 * (FILE and SECTION symbols are debugging symbols to bfd).
 */
static char nm_type(const struct kelf *k, const struct kelf_symbol *s)
{
	const struct kelf_section *sec;
	bool global = s->bind != STB_LOCAL;
	char c;

	if (s->type == STT_FILE || s->type == STT_SECTION || !s->name[0])
		return 0;
	if (s->sym.st_shndx == SHN_UNDEF)
		return s->bind == STB_WEAK ? (s->type == STT_OBJECT ? 'v' : 'w') : 'U';
	if (s->sym.st_shndx == SHN_COMMON)
		return 'C';
	if (s->type == STT_GNU_IFUNC)
		return 'i';
	if (s->bind == STB_WEAK)
		return s->type == STT_OBJECT ? 'V' : 'W';
	if (s->bind == STB_GNU_UNIQUE_)
		return 'u';
	if (s->sym.st_shndx == SHN_ABS)
		return global ? 'A' : 'a';
	sec = s->sym.st_shndx < SHN_LORESERVE ?
	      &k->secs[s->sym.st_shndx < k->nsecs ? s->sym.st_shndx : 0] : NULL;
	if (!sec || !sec->name)
		return '?';
	if (sec->sh.sh_flags & SHF_EXECINSTR)
		c = 't';
	else if ((sec->sh.sh_flags & SHF_ALLOC) && sec->sh.sh_type != SHT_NOBITS)
		c = (sec->sh.sh_flags & SHF_WRITE) ? 'd' : 'r';
	else if (sec->sh.sh_type == SHT_NOBITS)
		c = 'b';
	else if (is_debug_section(sec->name))
		c = 'N';
	else if (!(sec->sh.sh_flags & SHF_WRITE))
		c = 'n';
	else
		c = '?';
	return global && c != '?' ? (char)(c - 'a' + 'A') : c;
}

/* scripts/mksysmap: names deleted before kallsyms sees them. */
static bool mksysmap_drops(const char *name)
{
	static const char *const prefixes[] = {
		"$", ".L", "__efistub_", "__pi_$", "__pi_.L", "__kvm_nvhe_$",
		"__kvm_nvhe_.L", "__kcfi_typeid_", "__kvm_nvhe___kcfi_typeid_",
		"__pi___kcfi_typeid_", "__crc_", "__kstrtab_", "__kstrtabns_",
	};
	static const char *const suffixes[] = { "_from_arm", "_from_thumb", "_veneer" };
	const char *p;

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts_with(name, prefixes[i]))
			return true;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (ends_with(name, suffixes[i]))
			return true;
	if (!strcmp(name, "L0") || !strcmp(name, "_SDA_BASE_") || !strcmp(name, "_SDA2_BASE_"))
		return true;
	if (strstr(name, ".long_branch.") || strstr(name, ".plt_branch."))
		return true;
	/* / __[[:alnum:]]*Thunk_/: "__", letters and digits, then "Thunk_" */
	if (starts_with(name, "__")) {
		for (p = name + 2; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				   (*p >= '0' && *p <= '9'); p++)
			if (starts_with(p, "Thunk_"))
				return true;
	}
	return false;
}

bool kallsyms_keeps(const struct kelf *k, const struct kelf_symbol *s)
{
	char type = nm_type(k, s);

	if (!type)
		return false;
	/* mksysmap: / [aNUw] /d */
	if (type == 'a' || type == 'N' || type == 'U' || type == 'w' || type == 'v')
		return false;
	if (mksysmap_drops(s->name))
		return false;
	/* kallsyms.c is_ignored_symbol() */
	if (type == 'u' || type == 'n')
		return false;
	if (type == 'A' && strcmp(s->name, "__kernel_syscall_via_break") &&
	    strcmp(s->name, "__kernel_syscall_via_epc") &&
	    strcmp(s->name, "__kernel_sigtramp") && strcmp(s->name, "__gp"))
		return false;
	/* KSYM_NAME_LEN: longer names are dropped with a warning */
	return strlen(s->name) < 512;
}

/*
 * compare_symbols() sorts by address, then non-weak ('W' only: nm calls a
 * weak object 'V') before weak, then by linker-provided look and leading
 * underscores (equal for equal names), then by input order.  The input is
 * `nm -n`, which orders equal addresses by name and leaves equal names in
 * no defined order: such symbols share an address, so any position among
 * them resolves to the same place.  Table order stands in for it.
 */
int kallsyms_compare(const struct kelf_symbol *a, const struct kelf_symbol *b)
{
	bool wa = a->bind == STB_WEAK && a->type != STT_OBJECT;
	bool wb = b->bind == STB_WEAK && b->type != STT_OBJECT;

	if (a->sym.st_value != b->sym.st_value)
		return a->sym.st_value < b->sym.st_value ? -1 : 1;
	if (wa != wb)
		return wa ? 1 : -1;
	return a->index < b->index ? -1 : a->index > b->index;
}

bool module_kallsyms_keeps(const struct kelf *k, const struct kelf_symbol *s)
{
	const struct kelf_section *sec;

	if (s->sym.st_shndx == SHN_UNDEF || s->sym.st_shndx >= k->nsecs || !s->sym.st_name)
		return false;
	sec = &k->secs[s->sym.st_shndx];
	if (!sec->name)
		return false;
	/* KALLSYMS_ALL: per-cpu data counts although the loader clears its
	 * SHF_ALLOC. */
	if (!strcmp(sec->name, ".data..percpu"))
		return true;
	/* The loader clears SHF_ALLOC of .modinfo and __versions. */
	if (!(sec->sh.sh_flags & SHF_ALLOC) || !strcmp(sec->name, ".modinfo") ||
	    !strcmp(sec->name, "__versions"))
		return false;
	/* Init sections are freed after init and their symbols with them
	 * (module_init_layout_section(); exit sections stay with
	 * MODULE_UNLOAD, which livepatch modules need). */
	return !starts_with(sec->name, ".init");
}
