// s390x ftrace sites, as Linux 6.12 builds with gcc 12 and clang 19:
// -pg -mfentry -mnop-mcount -mrecord-mcount puts a 6-byte `brcl 0,0` at
// +0 and lists it in __mcount_loc; without -mnop-mcount the site is a
// `brasl %r0,__fentry__` there, and without -mrecord-mcount the only
// ground truth is that call's relocation.  Each plugin's notes, read back
// from a big-endian object, must name the site the object's own table or
// call gives (klp-check), the address of every symbol, and every C local.
// A notrace function has no site.
// REQUIRES: gcc-s390x, clang
// RUN: rm -rf %t && mkdir %t
// RUN: %cc-s390 -O2 -fPIC -pg -mfentry -mnop-mcount -mrecord-mcount -mpacked-stack -mbackchain -msoft-float -c %s -o %t/nop.o
// RUN: %klp-fixup dump %t/nop.o | FileCheck %s --check-prefix=DUMP
// RUN: %klp-check sites %t/nop.o | FileCheck %s --check-prefix=SITES
// RUN: %klp-check addrs %t/nop.o | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check coverage %t/nop.o | FileCheck %s --check-prefix=COVER
// RUN: %cc-s390 -O2 -fPIC -pg -mfentry -mrecord-mcount -mpacked-stack -mbackchain -msoft-float -c %s -o %t/call.o
// RUN: %klp-fixup dump %t/call.o | FileCheck %s --check-prefix=DUMP
// RUN: %klp-check sites %t/call.o | FileCheck %s --check-prefix=SITES
// RUN: %cc-s390 -O0 -fPIC -pg -mfentry -mpacked-stack -mbackchain -msoft-float -c %s -o %t/bare.o
// RUN: %readelf-s390 -S %t/bare.o | FileCheck %s --check-prefix=NOTABLE
// RUN: %klp-check sites %t/bare.o | FileCheck %s --check-prefix=SITES
// RUN: %kclang-s390 -O2 -fPIC -pg -mfentry -mnop-mcount -mrecord-mcount -mpacked-stack -mbackchain -msoft-float -c %s -o %t/clang.o
// RUN: %klp-fixup dump %t/clang.o | FileCheck %s --check-prefixes=DUMP,CLANG
// RUN: %klp-check sites %t/clang.o | FileCheck %s --check-prefix=SITES
// RUN: %klp-check addrs %t/clang.o | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check coverage %t/clang.o | FileCheck %s --check-prefix=COVER
// clang folds a local symbol's relocation into section+offset: the reader
// names it from the big-endian symbol table.
// RUN: %readelf-s390 -r %t/clang.o | FileCheck %s --check-prefix=FOLDED

// DUMP: file {{.*}}.o: relocatable s390x, 1 units
// CLANG: producer="clang 19
// DUMP-DAG: func local scale {{.*}} site=fentry+0
// DUMP-DAG: func global api {{.*}} site=fentry+0
// DUMP-DAG: func global raw {{.*}} notrace
// DUMP-DAG: object local hits size=4 addr=.bss+0x0
// SITES: sites: 3 functions checked, 0 mismatches
// ADDRS: addrs: {{[4-9]}} symbols checked, 0 mismatches, 0 without address
// COVER: coverage: 2 of 2 C local symbols (100.00%)
// NOTABLE-NOT: __mcount_loc
// FOLDED: Relocation section '.rela.debug_klp'
// FOLDED: R_390_64 {{.*}} .text + {{[0-9a-f]+}}

static int hits;

static __attribute__((noinline)) int scale(int x)
{
	hits++;
	return 3 * x;
}

int api(int x) { return scale(x) + scale(x + 1); }

__attribute__((no_instrument_function)) int raw(int x) { return x + hits; }
