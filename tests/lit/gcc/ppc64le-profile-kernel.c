// ppc64le -mprofile-kernel: the site is the `bl _mcount` after the
// global-entry TOC setup (+12) or, in a function without one, after
// `mflr r0` (+4).  The ground truth is every R_PPC64_REL24 to _mcount.
// Linked without libc (-e api): addresses match the symbol table.
// REQUIRES: gcc-ppc64le
// RUN: %cc-ppc -O2 -pg -mprofile-kernel -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check sites %t.o | FileCheck %s --check-prefix=OK
// RUN: %cc-ppc -O2 -pg -mprofile-kernel -mcmodel=large -ffunction-sections -c %s -o %t-large.o
// RUN: %klp-check sites %t-large.o | FileCheck %s --check-prefix=OK
// RUN: %ld-ppc -e api --unresolved-symbols=ignore-all %t.o -o %t.exe
// RUN: %klp-fixup dump %t.exe | FileCheck %s --check-prefix=EXE
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=ADDR

// CHECK: file {{.*}}: relocatable ppc64, 1 units
// CHECK-DAG: func local twice size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} site=mprofile-kernel+{{4|12}}
// CHECK-DAG: func global api size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} site=mprofile-kernel+12
// CHECK-DAG: object local hits size=8 addr=.bss+0x{{[0-9a-f]+}}
// OK: sites: 2 functions checked, 0 mismatches
// EXE: file {{.*}}: linked ppc64, 1 units
// EXE: func local twice size={{[0-9]+}} addr=0x{{[0-9a-f]+}}
// ADDR: addrs: 3 symbols checked, 0 mismatches, 0 without address

static long hits;

static __attribute__((noinline)) long twice(long x)
{
	return 2 * x + hits++;
}

long api(long x) { return twice(x) + twice(x + 1); }
