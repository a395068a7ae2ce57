/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-machine.c - which machine an ELF file is for, and the rule that a
 * livepatch module and every file it is resolved against are for one:
 * positions and relocations of an x86_64 vmlinux mean nothing to a ppc64le
 * module, and nothing downstream would notice the mix.
 */
#include "kelf.h"
#include "../base/warn.h"

#include <stdio.h>

const char *kelf_machine_name(unsigned machine)
{
	switch (machine) {
	case EM_X86_64:	return "x86_64";
	case EM_PPC64:	return "ppc64";
	case EM_S390:	return "s390x";
	default:	return "unknown";
	}
}

/* "x86_64 little-endian" or "machine 22 big-endian", in buf. */
static const char *describe(const struct kelf *k, char *buf, size_t len)
{
	const char *order = k->big_endian ? "big-endian" : "little-endian";
	unsigned machine = k->ehdr.e_machine;

	if (machine == EM_X86_64 || machine == EM_PPC64 || machine == EM_S390)
		snprintf(buf, len, "%s %s", kelf_machine_name(machine), order);
	else
		snprintf(buf, len, "machine %u %s", machine, order);
	return buf;
}

int kelf_check_same_machine(const struct kelf *module, const struct kelf *target)
{
	char m[48], t[48];

	/* kelf_begin() takes 64-bit files only, so the class is equal. */
	if (module->ehdr.e_machine == target->ehdr.e_machine &&
	    module->big_endian == target->big_endian)
		return 0;
	KLP_ERR(module->path, "is %s, but target %s is %s: a livepatch and the kernel or "
		"modules it patches are built for one machine; give the targets of the "
		"module's architecture", describe(module, m, sizeof(m)), target->path,
		describe(target, t, sizeof(t)));
	return -1;
}
