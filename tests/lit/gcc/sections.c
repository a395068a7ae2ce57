// -ffunction-sections and -fdata-sections: each symbol is found in its own
// section, and the unit records the flags.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -ffunction-sections -fdata-sections -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK

// CHECK: unit {{.*}}sections.c {{.*}} function-sections data-sections
// CHECK-DAG: func local helper size={{[0-9]+}} addr=.text.helper+0x0
// CHECK-DAG: func global entry size={{[0-9]+}} addr=.text.entry+0x0
// CHECK-DAG: object local counter size=4 addr=.bss.counter+0x0
// CHECK-DAG: object local limits size=12 addr=.data.limits+0x0
// OK: addrs: 4 symbols checked, 0 mismatches, 0 without address

static int counter;
static int limits[3] = { 1, 2, 3 };

static __attribute__((noinline)) int helper(int x)
{
	return limits[x % 3] + ++counter;
}

int entry(int x) { limits[x % 3] = x; return helper(x) + helper(x + 1); }
