// Two translation units with same-named statics: each unit's notes name its
// own copies, and the links (ld -r, and a final link) keep them apart with
// the addresses the symbol table has.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -fplugin-arg-klp-tu-path=drivers/a.c -DUNIT_A -c %s -o %t-a.o
// RUN: %cc-x86 -O2 -fplugin-arg-klp-tu-path=drivers/b.c -c %s -o %t-b.o
// RUN: ld -r %t-a.o %t-b.o -o %t.ro
// RUN: %klp-fixup dump %t.ro | FileCheck %s --check-prefix=REL
// RUN: %klp-check addrs %t.ro | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -DMAIN -c %s -o %t-main.o
// RUN: gcc %t-a.o %t-b.o %t-main.o -o %t.exe
// RUN: %klp-fixup dump %t.exe | FileCheck %s --check-prefix=EXE
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=OK

// REL: file {{.*}}.ro: relocatable x86_64, 2 units
// REL: unit drivers/a.c id=0x{{[0-9a-f]+}} producer="gcc 12.{{.*}}" plugin="klp.so {{.*}}"
// REL-DAG: func local count_show size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}}
// REL-DAG: object local count size=4 addr=.bss+0x{{[0-9a-f]+}}
// REL: unit drivers/b.c
// REL-DAG: func local count_show size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}}
// REL-DAG: object local count size=4 addr=.bss+0x{{[0-9a-f]+}}
// EXE: file {{.*}}.exe: linked x86_64, 3 units
// EXE: unit drivers/a.c
// EXE: func local count_show size={{[0-9]+}} addr=0x{{[0-9a-f]+}}
// EXE: unit drivers/b.c
// EXE: func local count_show size={{[0-9]+}} addr=0x{{[0-9a-f]+}}
// OK: addrs: {{[1-9][0-9]*}} symbols checked, 0 mismatches, 0 without address

#ifdef MAIN
int show_a(int), show_b(int);
int main(int argc, char **argv) { return show_a(argc) + show_b(argc); }
#else
static int count;

static __attribute__((noinline)) int count_show(int x)
{
	return ++count + x;
}

#ifdef UNIT_A
int show_a(int x) { return count_show(x) * 2; }
#else
int show_b(int x) { return count_show(x) * 3; }
#endif
#endif
