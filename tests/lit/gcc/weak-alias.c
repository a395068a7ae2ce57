// Weak aliases of one function (the kernel's cpu_show_* pattern), one of
// them overridden by a strong definition elsewhere: every alias note keeps
// its target's address, not the overriding definition's.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -c %s -o %t-a.o
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -DSTRONG -c %s -o %t-b.o
// RUN: ld -e show_b --unresolved-symbols=ignore-all %t-a.o %t-b.o -o %t.exe
// RUN: %klp-fixup dump %t.exe | FileCheck %s
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check sites %t.exe | FileCheck %s --check-prefix=SITES

// CHECK: func global not_affected size=[[S:[0-9]+]] addr=0x[[A:[0-9a-f]+]] site=fentry+0
// CHECK-DAG: func global show_a size=[[S]] addr=0x[[A]] site=fentry+0 origin=not_affected weak alias
// CHECK-DAG: func global show_b size=[[S]] addr=0x[[A]] site=fentry+0 origin=not_affected weak alias
// CHECK: func global show_a size={{[0-9]+}} addr=0x{{[0-9a-f]+}} site=fentry+0 checksum={{0x[0-9a-f]{16}$}}
// ADDRS: overridden weak: show_a
// ADDRS-NOT: overridden weak
// ADDRS: addrs: 4 symbols checked, 0 mismatches, 0 without address
// SITES: sites: 3 functions checked, 0 mismatches, 1 overridden weak definitions skipped

#ifdef STRONG
int show_a(int x) { return x * 10 + 3; }
#else
int not_affected(int x) { return x - 1; }
int show_a(int) __attribute__((weak, alias("not_affected")));
int show_b(int) __attribute__((weak, alias("not_affected")));
#endif
