// clang: a weak function overridden at link time keeps its code but loses
// its symbol.  Its note records its own address (relocated against a label
// at its start, not against the name, which the link gives to the
// overriding definition), as with gcc (gcc/weak.c).  Checked for x86_64
// (sites against the __fentry__ calls) and ppc64le.
// REQUIRES: clang
// RUN: %kclang-x86 -O2 -pg -mfentry -c %s -o %t-weak.o
// RUN: %kclang-x86 -O2 -pg -mfentry -DSTRONG -c %s -o %t-strong.o
// RUN: ld -e use --unresolved-symbols=ignore-all %t-weak.o %t-strong.o -o %t.exe
// RUN: %klp-fixup dump %t.exe | FileCheck %s
// RUN: %klp-check addrs %t.exe | FileCheck %s --check-prefix=ADDRS
// RUN: %kclang-ppc -O2 -c %s -o %t-weak-ppc.o
// RUN: %kclang-ppc -O2 -DSTRONG -c %s -o %t-strong-ppc.o
// RUN: %ld-ppc -e use --unresolved-symbols=ignore-all %t-weak-ppc.o %t-strong-ppc.o -o %t-ppc.exe
// RUN: %klp-check addrs %t-ppc.exe | FileCheck %s --check-prefix=ADDRS

// CHECK: func global hook size={{[0-9]+}} addr=0x[[WEAK:[0-9a-f]+]] site=fentry+0 weak
// CHECK: func global hook size={{[0-9]+}} addr=0x[[STRONG:[0-9a-f]+]] site=fentry+0 checksum={{0x[0-9a-f]{16}$}}
// ADDRS: overridden weak: hook
// ADDRS: addrs: {{[0-9]+}} symbols checked, 0 mismatches

#ifdef STRONG
int hook(int x) { return x + 100; }
int other(int x) { return hook(x) - 1; }
#else
__attribute__((weak)) int hook(int x) { return x + 1; }
int use(int x) { return hook(x) * 2; }
#endif
