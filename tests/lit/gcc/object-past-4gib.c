// An object larger than 4 GiB: ELF's st_size is 64 bits, and so is the
// notes' size (ULEB128).  The reader took any size past 32 bits for
// corrupt notes and refused the whole object ("a symbol record with a
// value out of range").  Found by tests/torture/compile.py on GCC's
// compile/pr65680.c, whose array is 1.2e18 bytes; the kernel has no such
// object, but valid notes must read.  A function's size stays 32 bits.
// REQUIRES: gcc-x86, gcc-ppc64le
// RUN: %cc-x86 -O2 -c %s -o %t.o
// RUN: %cc-ppc -O2 -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check object %t.o
// RUN: readelf -sW %t.o | FileCheck %s --check-prefix=SYMTAB
// SYMTAB-DAG: 0x200000000 OBJECT LOCAL {{.*}} huge
// SYMTAB-DAG: 0x10a741a46278000c OBJECT GLOBAL {{.*}} a
// CHECK-DAG: object local huge size=8589934592 {{.*}}zero
// CHECK-DAG: object global a size=1200000000000000012 {{.*}}zero
// CHECK-DAG: func global touch size={{[0-9]+}}
// ADDRS: addrs: 4 symbols checked, 0 mismatches, 0 without address

static char huge[1UL << 33];

struct S {
	int f : 1;
} a[100000000000000001][3];

char *touch(unsigned long i)
{
	a[100000000000000000][0].f = 1;
	return &huge[i];
}

char *touch2(unsigned long i)
{
	return &huge[i + 1];
}
