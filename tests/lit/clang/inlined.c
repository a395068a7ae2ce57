// The functions whose bodies were inlined into a function are listed on its
// note, transitively, with or without debug info; the truth is the
// DW_TAG_inlined_subroutine tree llvm-dwarfdump shows for the same file
// built with -g (Inputs/dwarf-inlined).  Without -g the plugin adds debug
// locations for the inliner and removes them before code generation: the
// code is the same as without the plugin and the object has no DWARF.
// REQUIRES: clang, clang14
// RUN: %clang-x86 -O2 -g -c %s -o %t-g.o
// RUN: %kclang-x86 -O2 -g -c %s -o %t-kg.o
// RUN: %kclang-x86 -O2 -c %s -o %t.o
// RUN: %S/Inputs/dwarf-inlined %t-g.o %t-kg.o %t.o | FileCheck %s --check-prefix=DWARF
// RUN: %klp-fixup dump %t.o | FileCheck %s
// RUN: %klp-fixup dump %t-kg.o | FileCheck %s
// RUN: %clang-x86 -O2 -c %s -o %t-0.o
// RUN: %klp-check same-code %t-0.o %t.o | FileCheck %s --check-prefix=SAME
// RUN: readelf -SW %t.o | FileCheck %s --check-prefix=NODWARF
// RUN: llvm-objcopy-19 --dump-section .debug_klp=%t.klp %t.o
// RUN: od -An -tx4 -j20 -N4 %t.klp | FileCheck %s --check-prefix=COMPLETE
//
// -O0: only always_inline bodies are inlined.
// RUN: %clang-x86 -O0 -g -c %s -o %t-g0.o
// RUN: %kclang-x86 -O0 -c %s -o %t-k0.o
// RUN: %S/Inputs/dwarf-inlined %t-g0.o %t-k0.o | FileCheck %s --check-prefix=DWARF0
// RUN: %clang-x86 -O0 -c %s -o %t-0-0.o
// RUN: %klp-check same-code %t-0-0.o %t-k0.o | FileCheck %s --check-prefix=SAME
//
// LLVM 14.
// RUN: %clang14-x86 -O2 -g -c %s -o %t14-g.o
// RUN: %kclang14-x86 -O2 -g -c %s -o %t14-kg.o
// RUN: %kclang14-x86 -O2 -c %s -o %t14.o
// RUN: %S/Inputs/dwarf-inlined %t14-g.o %t14-kg.o %t14.o | FileCheck %s --check-prefix=DWARF
// RUN: %klp-fixup dump %t14.o | FileCheck %s
// RUN: %clang14-x86 -O2 -c %s -o %t14-0.o
// RUN: %klp-check same-code %t14-0.o %t14.o | FileCheck %s --check-prefix=SAME
// RUN: readelf -SW %t14.o | FileCheck %s --check-prefix=NODWARF
//
// ppc64le, the code left alone (-klp-ppc-calls=none).
// RUN: %kclang-ppc -O2 -fplugin=%klp-clang -mllvm -klp-ppc-calls=none -c %s -o %t-ppc.o
// RUN: %klp-fixup dump %t-ppc.o | FileCheck %s
// RUN: %clang-ppc -O2 -c %s -o %t-ppc-0.o
// RUN: %klp-check same-code %t-ppc-0.o %t-ppc.o | FileCheck %s --check-prefix=SAME
//
// With -g, a function without debug info (nodebug) leaves no trace when it
// is inlined: the unit says its lists may be partial (0x80).  Without -g
// every function gets a scope, so the list is complete.
// RUN: %kclang-x86 -O2 -g -DPARTIAL -c %s -o %t-p.o
// RUN: llvm-objcopy-19 --dump-section .debug_klp=%t-p.klp %t-p.o
// RUN: od -An -tx4 -j20 -N4 %t-p.klp | FileCheck %s --check-prefix=PARTIAL
// RUN: %klp-fixup dump %t-p.o | FileCheck %s --check-prefix=PARTIAL-LIST
// RUN: %kclang-x86 -O2 -DPARTIAL -c %s -o %t-p0.o
// RUN: llvm-objcopy-19 --dump-section .debug_klp=%t-p0.klp %t-p0.o
// RUN: od -An -tx4 -j20 -N4 %t-p0.klp | FileCheck %s --check-prefix=COMPLETE
// RUN: %klp-fixup dump %t-p0.o | FileCheck %s

// DWARF: dwarf decode validate
// DWARF-NEXT: dwarf indirect twice
// DWARF-NEXT: dwarf reader decode,validate
// DWARF-NEXT: dwarf slow_path validate
// DWARF-NEXT: dwarf writer validate
// DWARF-NEXT: inlined {{.*}}-kg.o: 6 functions compared, 0 differ
// DWARF-NEXT: inlined {{.*}}.o: 6 functions compared, 0 differ
// DWARF0: dwarf indirect twice
// DWARF0-NEXT: inlined {{.*}}.o: 7 functions compared, 0 differ

// CHECK-DAG: func global reader size={{[0-9]+}} {{.*}} inlined=decode,validate checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func local decode size={{[0-9]+}} {{.*}} inlined=validate checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global writer size={{[0-9]+}} {{.*}} inlined=validate checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func local slow_path size={{[0-9]+}} {{.*}} inlined=validate checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global indirect size={{[0-9]+}} {{.*}} inlined=twice checksum={{0x[0-9a-f]{16}$}}
// CHECK-DAG: func global plain size={{[0-9]+}} addr={{[^ ]+}} checksum={{0x[0-9a-f]{16}$}}
// PARTIAL-LIST: func global reader size={{[0-9]+}} {{.*}} inlined=decode checksum={{0x[0-9a-f]{16}$}}
// SAME: same-code: {{[1-9][0-9]*}} items compared, 0 differ
// NODWARF-NOT: .debug_info
// NODWARF-NOT: .debug_line
// NODWARF: .debug_klp
// NODWARF-NOT: .debug_info
// NODWARF-NOT: .debug_line
// COMPLETE: {{^ *0+$}}
// PARTIAL: {{^ *0+80$}}

#ifdef PARTIAL
#define NODEBUG __attribute__((nodebug))
#else
#define NODEBUG
#endif

extern void sink(int);

/* inlined everywhere it is called */
static inline NODEBUG int validate(int x)
{
	return x > 0 && x < 1000;
}

/* inlined into reader, and validate with it */
static inline int decode(int x)
{
	if (validate(x))
		return x * 2;
	sink(x);
	return -1;
}

/* never inlined: its own note lists validate, its callers do not list it */
static __attribute__((noinline)) int slow_path(int x)
{
	sink(x);
	return validate(x + 3) ? x : 0;
}

/* inlined even at -O0 */
static inline __attribute__((always_inline)) int twice(int x)
{
	sink(x);
	return 2 * x;
}

/* called only through a pointer: emitted (validate inlined into it), and
 * listed nowhere */
static int (*volatile decoder)(int) = decode;

int reader(int x) { return decode(x) + 1; }
int writer(int x) { return slow_path(x) + validate(x); }
int indirect(int x) { return decoder(x) + twice(x); }
int plain(int x) { return x * 7; }
