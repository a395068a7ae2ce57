// A weak function overridden at link time keeps its code but loses its
// symbol.  Its note records its own address (a label at its start, not a
// relocation against the name, which would find the overriding one).
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -c %s -o %t-weak.o
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -DSTRONG -c %s -o %t-strong.o
// RUN: ld -e use --unresolved-symbols=ignore-all %t-weak.o %t-strong.o -o %t.exe
// RUN: %klp-fixup dump %t.exe | FileCheck %s
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=ADDRS
// RUN: %klp-check sites %t.exe | FileCheck %s --check-prefix=SITES

// CHECK: func global hook size=[[S:[0-9]+]] addr=0x[[WEAK:[0-9a-f]+]] site=fentry+0 weak
// CHECK: func global hook size={{[0-9]+}} addr=0x[[STRONG:[0-9a-f]+]] site=fentry+0 checksum={{0x[0-9a-f]{16}$}}
// ADDRS: overridden weak: hook
// ADDRS: addrs: 4 symbols checked, 0 mismatches, 0 without address
// SITES: sites: 3 functions checked, 0 mismatches, 1 overridden weak definitions skipped

#ifdef STRONG
int hook(int x) { return x + 100; }
int other(int x) { return hook(x) - 1; }
#else
__attribute__((weak)) int hook(int x) { return x + 1; }
int use(int x) { return hook(x) * 2; }
#endif
