// ppc64le: with klp-clang.so every direct call to a locally-binding function
// is `bl` + nop and no tail call reaches one, at every optimisation level,
// code model and PIC mode, with LLVM 19 and 14.  Static functions are reached
// through call aliases (<name>.klp_ppc.<hash>) that the notes map back.  The
// source is the gcc plugin's test (tests/lit/ppc/calls.c); the control build
// without the plugin shows the violations exist.
// REQUIRES: clang, clang14
// RUN: %kclang-ppc -O0 -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// RUN: %clang-ppc -O0 -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o
// RUN: %kclang-ppc -O2 -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o | FileCheck %s --check-prefix=CLEAN
// RUN: %klp-fixup dump %t.o | FileCheck %s --check-prefix=NOTES
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=ADDRS
// RUN: %clang-ppc -O2 -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o | FileCheck %s --check-prefix=CONTROL
// RUN: %kclang-ppc -O3 -ffunction-sections -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// RUN: %clang-ppc -O3 -ffunction-sections -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o
// RUN: %kclang-ppc -Os -fno-pic -mcmodel=medium -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// RUN: %clang-ppc -Os -fno-pic -mcmodel=medium -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o
// RUN: %kclang-ppc -O2 -fPIC -mcmodel=large -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// RUN: %clang-ppc -O2 -fPIC -mcmodel=large -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o
// RUN: %kclang14-ppc -O2 -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// RUN: %klp-check addrs %t.o | FileCheck %s --check-prefix=ADDRS
// RUN: %clang14-ppc -O2 -c %top/tests/lit/ppc/calls.c -o %t.o && not ppc-nop-check %t.o
// RUN: %kclang14-ppc -O0 -c %top/tests/lit/ppc/calls.c -o %t.o && ppc-nop-check %t.o
// Modes: static leaves calls to same-file globals alone; none changes no code.
// RUN: %kclang-ppc -fplugin=%klp-clang -mllvm -klp-ppc-calls=static -O2 -c %top/tests/lit/ppc/calls.c -o %t.o
// RUN: not ppc-nop-check %t.o | FileCheck %s --check-prefix=STATIC
// RUN: %klp-fixup dump %t.o | FileCheck %s --check-prefix=STATIC-NOTES
// RUN: %kclang-ppc -fplugin=%klp-clang -mllvm -klp-ppc-calls=none -O2 -c %top/tests/lit/ppc/calls.c -o %t-none.o
// RUN: %clang-ppc -O2 -c %top/tests/lit/ppc/calls.c -o %t-plain.o
// RUN: %klp-check same-code %t-plain.o %t-none.o | FileCheck %s --check-prefix=SAME

// CLEAN: ppc-nop-check: 1 files, {{[1-9][0-9]*}} calls, 0 violations
// NOTES: unit {{.*}}calls.c {{.*}} ppc-calls-local clang-aliases
// NOTES-DAG: func local helper size={{[1-9][0-9]*}} addr=.text+0x[[HELPER:[0-9a-f]+]]
// NOTES-DAG: func global helper.klp_ppc.{{[0-9a-f]+}} size={{[1-9][0-9]*}} addr=.text+0x[[HELPER]] origin=helper alias
// NOTES-DAG: func global report_broken.klp_ppc.{{[0-9a-f]+}} {{.*}} origin=report_broken alias
// ADDRS: addrs: {{[1-9][0-9]*}} symbols checked, 0 mismatches, 0 without address
// CONTROL-DAG: bl without nop: {{.*}} -> helper
// CONTROL-DAG: bl without nop: {{.*}} -> same_file_global
// CONTROL-DAG: sibling call: tail_static -> helper
// STATIC-NOT: -> helper
// STATIC: -> same_file_global
// STATIC-NOT: -> helper
// STATIC-NOTES: unit {{.*}} ppc-calls-static clang-aliases
// SAME: same-code: {{[1-9][0-9]*}} items compared, 0 differ
