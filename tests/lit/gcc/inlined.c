// Functions whose bodies were inlined are listed on every function they
// were inlined into, with or without debug info, and not on the others.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %cc-x86 -O2 -g -c %s -o %t-g.o
// RUN: %klp-fixup dump %t-g.o | FileCheck %s
// RUN: %klp-fixup dump --json %t.o | FileCheck %s --check-prefix=JSON

// CHECK: func global reader size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} inlined=
// CHECK-SAME: {{(validate,decode|decode,validate) checksum=0x[0-9a-f]{16}$}}
// CHECK: func global writer size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} inlined=validate checksum={{0x[0-9a-f]{16}$}}
// CHECK: func global plain size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} checksum={{0x[0-9a-f]{16}$}}
// JSON: {"name":"writer","kind":"func","binding":"global",{{.*}}"inlined":["validate"]}

static inline int validate(int x)
{
	return x > 0 && x < 1000;
}

static inline int decode(int x)
{
	return validate(x) ? x * 2 : -1;
}

int reader(int x) { return decode(x) + 1; }
int writer(int x) { return validate(x) ? x : 0; }
int plain(int x) { return x * 7; }
