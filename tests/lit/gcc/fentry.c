// x86 ftrace sites: with -pg -mfentry the site is the call to __fentry__,
// at +0, or at +4 after an endbr64 (-fcf-protection).  The assembler
// measures it; the ground truth is the object's own __mcount_loc table.
// A notrace function has no site.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -c %s -o %t.o
// RUN: %klp-fixup dump %t.o | FileCheck %s --check-prefix=PLAIN
// RUN: %klp-check sites %t.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -fcf-protection=branch -c %s -o %t-ibt.o
// RUN: %klp-fixup dump %t-ibt.o | FileCheck %s --check-prefix=IBT
// RUN: %klp-check sites %t-ibt.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O0 -pg -mfentry -mrecord-mcount -fcf-protection=branch -c %s -o %t-O0.o
// RUN: %klp-check sites %t-O0.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -pg -c %s -o %t-mcount.o
// RUN: %klp-fixup dump %t-mcount.o | FileCheck %s --check-prefix=MCOUNT

// PLAIN-DAG: func local twice {{.*}} site=fentry+0
// PLAIN-DAG: func global api {{.*}} site=fentry+0
// PLAIN-DAG: func global raw {{.*}} notrace
// IBT-DAG: func local twice {{.*}} site=fentry+0
// IBT-DAG: func global api {{.*}} site=fentry+4
// IBT-DAG: func global raw size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} notrace
// MCOUNT: func global api {{.*}} site=mcount+{{[1-9][0-9]*}}
// OK: sites: 3 functions checked, 0 mismatches

static __attribute__((noinline)) int twice(int x)
{
	return 2 * x;
}

int api(int x) { return twice(x) + twice(x + 1); }

__attribute__((no_instrument_function)) int raw(int x) { return x + 1; }
