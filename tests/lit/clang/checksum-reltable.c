// A switch that returns string literals becomes, in position-independent
// code, a relative lookup table: a private constant whose entries are the
// distances from the table itself to each string, so its initializer refers
// to itself.  The checksum of the function that reads it hashes the table's
// contents: the self-reference is hashed by its place on the path, not
// followed again (klp-clang.so used to recurse until the stack ran out).
// A change to one string still changes the function's checksum, and only it.
// REQUIRES: clang
// RUN: %clang-x86 -O2 -fPIE -S -emit-llvm %s -o - | FileCheck %s --check-prefix=IR
// IR: @switch.table.kind_name.rel = private unnamed_addr constant {{.*}}ptrtoint (ptr @switch.table.kind_name.rel
// RUN: %kclang-x86 -O2 -fPIE -c %s -o %t-a.o
// RUN: %kclang-x86 -O2 -fPIE -DCHANGED -c %s -o %t-b.o
// RUN: %klp-fixup dump %t-a.o | FileCheck %s --check-prefix=DUMP
// DUMP: func global kind_name size={{[0-9]+}} {{.*}}checksum={{0x[0-9a-f]{16}$}}
// RUN: %klp-fixup diff %t-a.o %t-b.o | FileCheck %s --check-prefix=DIFF
// DIFF: changed function kind_name
// DIFF-NOT: function other
// RUN: %kclang-ppc -O2 -fPIC -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s --check-prefix=DUMP

#ifdef CHANGED
#define MCOUNT "mcount2"
#else
#define MCOUNT "mcount"
#endif

const char *kind_name(int k)
{
	switch (k) {
	case 0: return "none";
	case 1: return "fentry";
	case 2: return MCOUNT;
	case 3: return "nop";
	case 4: return "other";
	}
	return "?";
}

int other(int x) { return x * 3; }
