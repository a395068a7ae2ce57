// The unit id and the whole object are the same when the compiler reads
// preprocessed output in another directory, as a distcc server or ccache's
// preprocessor mode does: the id hashes the compiled code, not a source
// file opened by name.  A change to the code changes the id (so the test
// can fail).  gcc with klp.so and clang-19/14 with klp-clang.so.
// REQUIRES: gcc-x86, clang, clang14
// RUN: rm -rf %t && mkdir -p %t/src %t/server && cp %s %t/src/unit.c
// RUN: cd %t/src && %cc-x86 -O2 -c unit.c -o %t/gcc-local.o
// RUN: cd %t/src && gcc -O2 -E unit.c -o %t/gcc.i
// RUN: cd %t/server && %cc-x86 -O2 -c %t/gcc.i -o %t/gcc-remote.o
// RUN: cmp %t/gcc-local.o %t/gcc-remote.o
// RUN: cd %t/src && %kclang-x86 -O2 -c unit.c -o %t/clang-local.o
// RUN: cd %t/src && %clang-x86 -O2 -E unit.c -o %t/clang.i
// RUN: cd %t/server && %kclang-x86 -O2 -c %t/clang.i -o %t/clang-remote.o
// RUN: cmp %t/clang-local.o %t/clang-remote.o
// RUN: cd %t/src && %kclang14-x86 -O2 -c unit.c -o %t/clang14-local.o
// RUN: cd %t/src && %clang14-x86 -O2 -E unit.c -o %t/clang14.i
// RUN: cd %t/server && %kclang14-x86 -O2 -c %t/clang14.i -o %t/clang14-remote.o
// RUN: cmp %t/clang14-local.o %t/clang14-remote.o
// The same unit with one constant changed: the same symbols, another id.
// RUN: mkdir %t/changed && sed 's/counter += 3/counter += 5/' %s > %t/changed/unit.c
// RUN: cd %t/changed && %cc-x86 -O2 -c unit.c -o %t/gcc-changed.o
// RUN: cd %t/changed && %kclang-x86 -O2 -c unit.c -o %t/clang-changed.o
// RUN: %klp-fixup dump %t/gcc-local.o > %t/ids
// RUN: %klp-fixup dump %t/gcc-changed.o >> %t/ids
// RUN: %klp-fixup dump %t/clang-local.o >> %t/ids
// RUN: %klp-fixup dump %t/clang-changed.o >> %t/ids
// RUN: FileCheck %s < %t/ids
// CHECK: unit unit.c id=[[GCC:0x[0-9a-f]+]] producer="gcc
// CHECK-NOT: id=[[GCC]]
// CHECK: unit unit.c id=[[GCC2:0x[0-9a-f]+]] producer="gcc
// CHECK: unit unit.c id=[[CLANG:0x[0-9a-f]+]] producer="clang
// CHECK-NOT: id=[[CLANG]]
// CHECK: unit unit.c id={{0x[0-9a-f]+}} producer="clang

static int counter;

int bump(void)
{
	counter += 3;
	return counter;
}
