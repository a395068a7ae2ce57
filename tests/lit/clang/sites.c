// x86 patch sites and padding measured by the assembler: the fentry call at
// +0, or +4 after endbr64 (clang puts endbr64 only where an indirect branch
// may land); -fpatchable-function-entry padding (the kernel's CALL_PADDING,
// where objtool later puts __pfx_ symbols) as prefix; without -pg the nops
// themselves are the site when some follow the entry (padding alone, N,N, is
// none: nothing can be patched there, as gcc's notes say too).  Ground truth: the __fentry__ call relocations
// (clang has no -mrecord-mcount on x86) and, in a linked file, the
// __patchable_function_entries table.  A notrace function has no site.
// REQUIRES: clang, clang14
// RUN: %kclang-x86 -O2 -pg -mfentry -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s --check-prefix=PLAIN
// RUN: %fentry-sites %t.o | FileCheck %s --check-prefix=FENTRY
// RUN: %kclang-x86 -O2 -pg -mfentry -fcf-protection=branch -c %s -o %t-ibt.o
// RUN: %klp-fixup dump %t-ibt.o | FileCheck %s --check-prefix=IBT
// RUN: %fentry-sites %t-ibt.o | FileCheck %s --check-prefix=FENTRY
// RUN: %kclang-x86 -O0 -pg -mfentry -fcf-protection=branch -c %s -o %t-O0.o
// RUN: %fentry-sites %t-O0.o | FileCheck %s --check-prefix=FENTRY
// RUN: %kclang-x86 -O2 -pg -mfentry -fcf-protection=branch -fpatchable-function-entry=16,16 -c %s -o %t-pad.o
// RUN: %klp-fixup dump %t-pad.o | FileCheck %s --check-prefix=PAD
// RUN: %fentry-sites %t-pad.o | FileCheck %s --check-prefix=FENTRY
// RUN: %kclang14-x86 -O2 -pg -mfentry -fcf-protection=branch -fpatchable-function-entry=16,16 -c %s -o %t-pad14.o
// RUN: %klp-fixup dump %t-pad14.o | FileCheck %s --check-prefix=PAD
// RUN: %fentry-sites %t-pad14.o | FileCheck %s --check-prefix=FENTRY
// RUN: %kclang-x86 -O2 -fpatchable-function-entry=4,2 -c %s -o %t-pfe.o
// RUN: %klp-fixup dump %t-pfe.o | FileCheck %s --check-prefix=PFE
// RUN: ld -e api --unresolved-symbols=ignore-all %t-pfe.o -o %t-pfe.exe
// RUN: %klp-check sites %t-pfe.exe | FileCheck %s --check-prefix=SITES
// RUN: %kclang14-x86 -O2 -fpatchable-function-entry=4,2 -c %s -o %t-pfe14.o
// RUN: ld -e api --unresolved-symbols=ignore-all %t-pfe14.o -o %t-pfe14.exe
// RUN: %klp-check sites %t-pfe14.exe | FileCheck %s --check-prefix=SITES

// PLAIN-DAG: func local twice {{.*}} site=fentry+0
// PLAIN-DAG: func global api {{.*}} site=fentry+0
// PLAIN-DAG: func global raw size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}} notrace
// IBT-DAG: func local twice {{.*}} site=fentry+0
// IBT-DAG: func global api {{.*}} site=fentry+4
// IBT-DAG: func global raw size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}} notrace
// PAD-DAG: func local twice {{.*}} site=fentry+0 prefix=16
// PAD-DAG: func global api {{.*}} site=fentry+4 prefix=16
// PAD-DAG: func global raw size={{[1-9][0-9]*}} addr=.text+0x{{[0-9a-f]+}} prefix=16 notrace checksum={{0x[0-9a-f]{16}$}}
// PFE-DAG: func local twice {{.*}} site=patchable-entry-2 prefix=2
// PFE-DAG: func global api {{.*}} site=patchable-entry-2 prefix=2
// FENTRY: fentry-sites: 2 functions checked, 2 calls, 0 mismatches
// SITES: sites: 3 functions checked, 0 mismatches

static __attribute__((noinline)) int twice(int x)
{
	return 2 * x;
}

int api(int x) { return twice(x) + twice(x + 1); }

__attribute__((no_instrument_function)) int raw(int x) { return x + 1; }
