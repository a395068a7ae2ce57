// A body that leaves no instruction behind when it is inlined: `return 42;`
// becomes the constant that replaces the call, and the caller's code holds
// no location of it, even right after the inliner.  A change to it still
// changes the caller, so the caller must list it, as klp.so lists it (gcc
// keeps the inlined block).  klp-clang.so marks each function's entry with
// a debug label the inliner copies along, and removes the labels before
// code generation: the code and the DWARF are those of the unit without it.
// REQUIRES: clang, clang14, gcc-x86
// RUN: %kclang-x86 -O2 -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %kclang-x86 -O2 -g -c %s -o %t-g.o
// RUN: %klp-fixup dump %t-g.o | FileCheck %s
// RUN: %cc-x86 -O2 -c %s -o %t-gcc.o
// RUN: %klp-fixup dump %t-gcc.o | FileCheck %s
// RUN: %kclang14-x86 -O2 -c %s -o %t14.o
// RUN: %klp-fixup dump %t14.o | FileCheck %s
// RUN: %kclang-x86 -O2 -mllvm -enable-module-inliner -c %s -o %t-mi.o
// RUN: %klp-fixup dump %t-mi.o | FileCheck %s
// RUN: %kclang-ppc -O2 -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
//
// The same code and the same DWARF as without the plugin.
// RUN: %clang-x86 -O2 -c %s -o %t-0.o
// RUN: %klp-check same-code %t-0.o %t.o | FileCheck %s --check-prefix=SAME
// RUN: %clang-x86 -O2 -g -c %s -o %t-g0.o
// RUN: %klp-check same-code %t-g0.o %t-g.o | FileCheck %s --check-prefix=SAME
// RUN: llvm-dwarfdump-19 --debug-info %t-g0.o | grep -v -e '^0x' -e 'file format' > %t-g0.dwarf
// RUN: llvm-dwarfdump-19 --debug-info %t-g.o | grep -v -e '^0x' -e 'file format' > %t-g.dwarf
// RUN: diff %t-g0.dwarf %t-g.dwarf
// RUN: %clang14-x86 -O2 -c %s -o %t14-0.o
// RUN: %klp-check same-code %t14-0.o %t14.o | FileCheck %s --check-prefix=SAME
//
// -O0: only the always_inline body is inlined, and listed.
// RUN: %kclang-x86 -O0 -c %s -o %t-k0.o
// RUN: %klp-fixup dump %t-k0.o | FileCheck %s --check-prefix=O0
// RUN: %clang-x86 -O0 -c %s -o %t-00.o
// RUN: %klp-check same-code %t-00.o %t-k0.o | FileCheck %s --check-prefix=SAME

// CHECK-DAG: func global folded size={{[0-9]+}} {{.*}} inlined=limit checksum=
// CHECK-DAG: func global folded_arg size={{[0-9]+}} {{.*}} inlined=clamp checksum=
// CHECK-DAG: func global folded_nested size={{[0-9]+}} {{.*}} inlined=limit,outer checksum=
// CHECK-DAG: func global folded_always size={{[0-9]+}} {{.*}} inlined=one checksum=
// O0: func global folded size={{[0-9]+}} addr={{[^ ]+}} checksum=
// O0: func global folded_always size={{[0-9]+}} {{.*}} inlined=one checksum=
// SAME: same-code: {{[1-9][0-9]*}} items compared, 0 differ

static inline int limit(void) { return 42; }
static inline int clamp(int x) { return x > 100 ? 100 : x; }
static inline int outer(void) { return limit() * 2; }
static inline __attribute__((always_inline)) int one(void) { return 1; }

int folded(void) { return limit() + 1; }
int folded_arg(void) { return clamp(7) * 3; }
int folded_nested(void) { return outer() - 1; }
int folded_always(void) { return one() + 2; }
