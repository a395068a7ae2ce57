// Clones LLVM makes are recorded under their symbol names with the clone
// flag and the function they came from.  LLVM 19 specialises compute() for
// each constant function pointer argument (IPSCCP function specialisation,
// on at -O2 and -O3): compute.specialized.N.  The truth for the names is
// the object's symbol table (readelf).  LLVM 14 makes no such clone here.
// The body inlined into each clone is listed although the loop became a
// closed form and no instruction of it is left (its DWARF names nothing):
// the list is read right after inlining.
// REQUIRES: clang, clang14
// RUN: %kclang-x86 -O2 -c %s -o %t.o
// RUN: readelf -sW %t.o | FileCheck %s --check-prefix=SYMS
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK
// RUN: %clang-x86 -O2 -c %s -o %t-0.o
// RUN: %klp-check same-code %t-0.o %t.o | FileCheck %s --check-prefix=SAME
// RUN: %kclang-x86 -O2 -mllvm -enable-module-inliner -c %s -o %t-mi.o
// RUN: %klp-fixup dump %t-mi.o | FileCheck %s
// RUN: %kclang-x86 -O3 -c %s -o %t3.o
// RUN: readelf -sW %t3.o | FileCheck %s --check-prefix=SYMS
// RUN: %klp-fixup dump %t3.o | FileCheck %s
// RUN: %clang-x86 -O3 -c %s -o %t3-0.o
// RUN: %klp-check same-code %t3-0.o %t3.o | FileCheck %s --check-prefix=SAME
// RUN: %kclang-ppc -O3 -fplugin=%klp-clang -mllvm -klp-ppc-calls=none -c %s -o %t-ppc.o
// RUN: %readelf-ppc -sW %t-ppc.o | FileCheck %s --check-prefix=SYMS
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
// RUN: %clang-ppc -O3 -c %s -o %t-ppc-0.o
// RUN: %klp-check same-code %t-ppc-0.o %t-ppc.o | FileCheck %s --check-prefix=SAME
// RUN: %kclang14-x86 -O3 -c %s -o %t14.o
// RUN: readelf -sW %t14.o | FileCheck %s --check-prefix=SYMS14
// RUN: %klp-fixup dump %t14.o | FileCheck %s --check-prefix=CHECK14
// RUN: %clang14-x86 -O3 -c %s -o %t14-0.o
// RUN: %klp-check same-code %t14-0.o %t14.o | FileCheck %s --check-prefix=SAME

// SYMS-DAG: {{FUNC +LOCAL +DEFAULT +[0-9]+ compute.specialized.1$}}
// SYMS-DAG: {{FUNC +LOCAL +DEFAULT +[0-9]+ compute.specialized.2$}}
// SYMS-NOT: {{ compute$}}
// CHECK-DAG: func local compute.specialized.1 size={{[1-9][0-9]*}} addr={{[^ ]+}} origin=compute clone inlined={{plus1|times3}} checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func local compute.specialized.2 size={{[1-9][0-9]*}} addr={{[^ ]+}} origin=compute clone inlined={{plus1|times3}} checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global use_a size={{[1-9][0-9]*}} addr={{[^ ]+}} checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global use_b size={{[1-9][0-9]*}} addr={{[^ ]+}} checksum={{0x[0-9a-f]{16}$}}
// SYMS14: {{FUNC +LOCAL +DEFAULT +[0-9]+ compute$}}
// SYMS14-NOT: {{FUNC .* [a-z_0-9]+\.[a-z0-9.]+$}}
// CHECK14: func local compute size={{[1-9][0-9]*}} addr={{[^ ]+}} checksum={{0x[0-9a-f]{16}$}}
// OK: addrs: 4 symbols checked, 0 mismatches, 0 without address
// SAME: same-code: {{[1-9][0-9]*}} items compared, 0 differ

static __attribute__((noinline)) long compute(long n, long (*op)(long))
{
	long r = 0;

	for (long i = 0; i < n; i++)
		r += op(i);
	return r;
}

static long plus1(long v) { return v + 1; }
static long times3(long v) { return v * 3; }

long use_a(long n) { return compute(n, plus1); }
long use_b(long n) { return compute(n, times3); }
