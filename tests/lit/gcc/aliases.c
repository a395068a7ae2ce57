// Identical code folding turns a function into another name for its twin
// (".set inc_b, inc_a"), which never goes through GCC's final pass: it is
// recorded as an alias of its twin, at the same address, with the same size.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=OK
// RUN: %klp-check coverage %t.o | FileCheck %s --check-prefix=COV
// RUN: %klp-check sites %t.o | FileCheck %s --check-prefix=SITES

// CHECK-DAG: func local [[TWIN:inc_[ab]]] size=[[SIZE:[0-9]+]] addr=.text+0x[[ADDR:[0-9a-f]+]] site=fentry+0 checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func local inc_{{[ab]}} size=[[SIZE]] addr=.text+0x[[ADDR]] site=fentry+0 origin=[[TWIN]] alias
// OK: addrs: 3 symbols checked, 0 mismatches, 0 without address
// COV: coverage: 2 of 2 C local symbols (100.00%)
// SITES: sites: 3 functions checked, 0 mismatches

struct mm { long a, b; };

static __attribute__((noinline)) void inc_a(struct mm *m) { __atomic_add_fetch(&m->a, 1, 0); }
static __attribute__((noinline)) void inc_b(struct mm *m) { __atomic_add_fetch(&m->a, 1, 0); }

void f(struct mm *m) { inc_a(m); inc_b(m); }
