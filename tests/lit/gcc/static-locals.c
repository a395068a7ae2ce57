// Function-local statics get the numbered names GCC gives them (calls.0),
// are flagged function-static and carry their size; a static the compiler
// drops is not recorded.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK
// RUN: %klp-check coverage %t.o | FileCheck %s --check-prefix=COV

// CHECK-DAG: object local calls.{{[0-9]+}} size=4 addr=.bss+0x{{[0-9a-f]+}} function-static
// CHECK-DAG: object local calls.{{[0-9]+}} size=8 addr=.bss+0x{{[0-9a-f]+}} function-static
// CHECK-DAG: object local table size=40 addr=.rodata+0x{{[0-9a-f]+}} checksum={{0x[0-9a-f]{8}$}}
// CHECK-NOT: unused_table
// OK: addrs: 5 symbols checked, 0 mismatches
// COV: coverage: 3 of 3 C local symbols (100.00%)

static const int table[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const int unused_table[4] = { 1, 2, 3, 4 };

int first(int i)
{
	static int calls;

	return table[i % 10] + ++calls;
}

long second(int i)
{
	static long calls;

	return table[(i + 1) % 10] + ++calls;
}
