// -fpatchable-function-entry: nops before the symbol are its prefix (the
// kernel's CALL_PADDING area, where objtool later puts __pfx_ symbols);
// without -pg the nops after the entry are the patch site.  The ground
// truth is the __patchable_function_entries table.
// REQUIRES: gcc-x86
// RUN: %cc-x86 -O2 -pg -mfentry -mrecord-mcount -fcf-protection=branch -fpatchable-function-entry=16,16 -c %s -o %t-pad.o
// RUN: %klp-fixup dump %t-pad.o | FileCheck %s --check-prefix=PAD
// RUN: %klp-check sites %t-pad.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -fpatchable-function-entry=4,2 -c %s -o %t-pfe.o
// RUN: %klp-fixup dump %t-pfe.o | FileCheck %s --check-prefix=PFE
// RUN: %klp-check sites %t-pfe.o | FileCheck %s --check-prefix=OK
// RUN: %cc-x86 -O2 -fpatchable-function-entry=16,16 -DATTR -c %s -o %t-pad.o
// RUN: %klp-fixup dump %t-pad.o | FileCheck %s --check-prefix=PADONLY
// RUN: %klp-check sites %t-pad.o | FileCheck %s --check-prefix=OK3

// PAD-DAG: func local twice {{.*}} site=fentry+0 prefix=16
// PAD-DAG: func global api {{.*}} site=fentry+4 prefix=16
// PFE-DAG: func local twice {{.*}} site=patchable-entry-2 prefix=2
// PFE-DAG: func global api {{.*}} site=patchable-entry-2 prefix=2
// OK: sites: 2 functions checked, 0 mismatches
// Without -pg, nops that all precede the entry are padding (x86
// CALL_PADDING in files built without ftrace), not a site; an attribute
// that puts nops after the entry makes them the site.
// PADONLY-DAG: func local twice size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} prefix=16 checksum={{0x[0-9a-f]{16}$}}
// PADONLY-DAG: func global api size={{[0-9]+}} addr=.text+0x{{[0-9a-f]+}} prefix=16 checksum={{0x[0-9a-f]{16}$}}
// PADONLY-DAG: func global with_attr {{.*}} site=patchable-entry-1 prefix=1 checksum={{0x[0-9a-f]{16}$}}
// OK3: sites: 3 functions checked, 0 mismatches

static __attribute__((noinline)) int twice(int x)
{
	return 2 * x;
}

int api(int x) { return twice(x) + twice(x + 1); }

#ifdef ATTR
__attribute__((patchable_function_entry(3, 1))) int with_attr(int x) { return x * 5; }
#endif
