// clang + klp-clang.so (LLVM 19 and 14): every function and local object is
// recorded with the address the symbol table has and the size the assembler
// measured; the section is non-allocated PROGBITS like gcc's; the code is
// the same as without the plugin.
// REQUIRES: clang, clang14
// RUN: %kclang-x86 -O2 -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK
// RUN: %klp-check coverage %t.o | FileCheck %s --check-prefix=COV
// RUN: readelf -SW %t.o | FileCheck %s --check-prefix=SEC
// RUN: %clang-x86 -O2 -c %s -o %t0.o
// RUN: %klp-check same-code %t0.o %t.o | FileCheck %s --check-prefix=SAME
// RUN: %kclang14-x86 -O2 -c %s -o %t14.o
// RUN: %klp-fixup dump %t14.o | FileCheck %s --check-prefix=CHECK14
// RUN: %klp-check addrs %t14.o | FileCheck %s --check-prefix=OK
// RUN: readelf -SW %t14.o | FileCheck %s --check-prefix=SEC
// RUN: %clang14-x86 -O2 -c %s -o %t14-0.o
// RUN: %klp-check same-code %t14-0.o %t14.o | FileCheck %s --check-prefix=SAME
// RUN: %kclang-x86 -O0 -ffunction-sections -fdata-sections -c %s -o %t-O0.o
// RUN: %klp-fixup dump %t-O0.o | FileCheck %s --check-prefix=SECTIONS
// RUN: %klp-check addrs %t-O0.o | FileCheck %s --check-prefix=OK
// RUN: ld -e entry --unresolved-symbols=ignore-all %t.o -o %t.exe
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=OK
// RUN: readelf -SW %t.exe | FileCheck %s --check-prefix=SEC

// CHECK: unit {{.*}}notes.c id=0x{{[0-9a-f]+}} producer="clang 19.{{.*}}" plugin="klp-clang.so {{.*}}" symbols=6
// CHECK-DAG: func global entry size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}}
// CHECK-DAG: func local helper size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}}
// CHECK-DAG: object local counter size=4 addr=.bss+0x{{[0-9a-f]+}}
// CHECK-DAG: object local limits size=12 addr=.data+0x{{[0-9a-f]+}}
// CHECK-DAG: object local entry.calls size=8 addr=.bss+0x{{[0-9a-f]+}} function-static
// CHECK-DAG: func global weak_one size={{[1-9][0-9]*}} {{.*}} weak
// CHECK14: producer="clang 14.{{.*}}" plugin="klp-clang.so {{.*}}" symbols=6
// SECTIONS: function-sections data-sections
// SECTIONS-DAG: func local helper size={{[1-9][0-9]*}} addr=.text.helper+0x0
// SECTIONS-DAG: object local counter size=4 addr=.bss.counter+0x0
// OK: addrs: 6 symbols checked, 0 mismatches, 0 without address
// COV: coverage: 4 of 4 C local symbols (100.00%)
// SEC: {{\] \.debug_klp +PROGBITS +0+ [0-9a-f]+ [0-9a-f]+ 00 +0 +0 +8$}}
// SAME: same-code: {{[1-9][0-9]*}} items compared, 0 differ

static int counter;
static int limits[3] = { 1, 2, 3 };

static __attribute__((noinline)) int helper(int x)
{
	return limits[x % 3] + ++counter;
}

int entry(int x)
{
	static long calls;

	limits[x % 3] = x;
	return helper(x) + helper(x + 1) + ++calls;
}

__attribute__((weak)) int weak_one(int x) { return x - 1; }
