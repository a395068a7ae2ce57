/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kelf-relax.c - the instruction rewrite a linker makes for a symbol it
 * knows to be local, made by convert for a livepatch's references:
 *
 * s390x modules are built with -fPIC, so a reference to data of default
 * visibility loads the address from a GOT slot: `lgrl %rN,sym@GOTENT`.
 * The module loader fills the slot once per symbol and, in 6.12, never
 * clears it (s390 has no clear_relocate_add()): against a module's
 * symbol, the slot would keep the old address after that module is
 * loaded again.  GNU ld rewrites such a load of a local symbol into
 * `larl %rN,sym` (R_390_PC32DBL), which the loader computes anew on every
 * load; a module reaches every module that way (their area is 2 GiB).
 */
#include "kelf.h"
#include "../base/warn.h"

#include <string.h>

#define S390_LGRL	0xc4	/* RIL-b, low nibble of byte 1: 8 */
#define S390_LARL	0xc0	/* RIL-b, low nibble of byte 1: 0 */

bool kelf_s390_relax_gotent(struct kelf *k, size_t sec_index, struct kelf_reloc *r)
{
	Elf_Scn *scn = elf_getscn(k->elf, sec_index);
	Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
	unsigned char *insn;

	/* the field is the instruction's last 4 of 6 bytes: addend 2 */
	if (k->ehdr.e_machine != EM_S390 || r->type != R_390_GOTENT || r->addend != 2 ||
	    !data || !data->d_buf || r->offset < 2 || r->offset + 4 > data->d_size)
		return false;
	insn = (unsigned char *)data->d_buf + r->offset - 2;
	if (insn[0] != S390_LGRL || (insn[1] & 0x0f) != 0x08)
		return false;
	insn[0] = S390_LARL;
	insn[1] &= 0xf0;	/* the register stays */
	memset(insn + 2, 0, 4);	/* RELA: the loader writes the field */
	elf_flagdata(data, ELF_C_SET, ELF_F_DIRTY);
	r->type = R_390_PC32DBL;
	return true;
}
