// GCC's labels as values in a static initializer (&&label - &&label, the
// kernel does not, GCC's torture suite does: compile/labels-3.c and eight
// more).  Hashing the initializer read an assembler name from the
// LABEL_DECL, which has none, and cc1 crashed (segfault in
// klp_decl_name).  Found by tests/torture/compile.py.
// REQUIRES: gcc-x86, gcc-ppc64le
// RUN: %cc-x86 -O2 -c %s -o %t.o
// RUN: %cc-x86 -O0 -c %s -o %t-O0.o
// RUN: %cc-ppc -O2 -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-fixup dump %t-O0.o | FileCheck %s
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
// RUN: %plain-x86 -O2 -c %s -o %t-plain.o
// RUN: %klp-check same-code %t-plain.o %t.o
// The table and the function, each with its checksum.
// CHECK-DAG: object local ar.{{[0-9]+}} size=4 {{.*}}checksum=0x{{[0-9a-f]+}}
// CHECK-DAG: func global dispatch size={{[0-9]+}} {{.*}}checksum=0x{{[0-9a-f]+}}

int dispatch(int a)
{
	static const short ar[] = { &&l1 - &&l1, &&l2 - &&l1 };
	void *p = &&l1 + ar[a];

	goto *p;
l1:
	return 1;
l2:
	return 2;
}
