/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * klp-pass.h - what the pieces of klp-clang.so share.
 *
 * plugin.cc     llvmGetPassPluginInfo, options, the module pass
 * ppc-calls.cc  ppc64: calls to locally-binding functions keep their nop
 * inlined.cc    which functions were inlined into each function
 * measure.cc    AsmPrinter side: labels at patch sites, prefix and end
 * checksum.cc   each function's checksum from its machine code
 * emit.cc       writes the .debug_klp notes at the end of the object
 *
 * Options (cl::opt, given as -mllvm -NAME=VALUE to clang):
 *   -klp-tu-path=PATH             record PATH as the unit's source path
 *   -klp-ppc-calls=local|static|none   ppc64 calls keep nops (default local)
 */
#ifndef KLP_PASS_H
#define KLP_PASS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Config/llvm-config.h"
#include <string>
#include <vector>

#include "../include/klp-note-builder.h"
#include "../include/klp-options.h"

#define KLP_PASS_NAME		"klp-clang.so"
#define KLP_PASS_VERSION	KLP_RELEASE
/* The GC strategy whose printer gives us the AsmPrinter (measure.cc). */
#define KLP_GC_NAME		"klp-notes"
/* Name of the body-less anchor function that makes codegen load it. */
#define KLP_ANCHOR_NAME		"__klp_notes_anchor"
/* Call aliases: "<callee>" KLP_ALIAS_INFIX "<16 hex digits of the unit hash>" */
#define KLP_ALIAS_INFIX		".klp_ppc."

namespace llvm {
class Any;
class PassBuilder;
class Module;
class Function;
class MCSymbol;
class AsmPrinter;
class MachineFunction;
class GlobalVariable;
class DataLayout;
}

/* plugin.cc */
enum klp_ppc_calls_mode klp_ppc_mode(void);
std::string klp_tu_path(const llvm::Module &M);
bool klp_is_ppc64(const llvm::Module &M);
bool klp_is_s390x(const llvm::Module &M);
/* 32- or 16-bit x86 code (-m32, -m16: the vDSO's 32-bit half, real-mode
 * and boot code): never livepatched, and its objects cannot hold the
 * notes' 64-bit relocations.  The unit gets a note that says so
 * (KLP_UNIT_LEFT_OUT) and records nothing. */
bool klp_left_out(const llvm::Module &M);

/* ppc-calls.cc */
void klp_ppc_force_nops(llvm::Module &M);
uint64_t klp_unit_salt(const llvm::Module &M);

/* inlined.cc: begin at the start of the optimisation pipeline, collect
 * at its end (before code generation) */
void klp_inline_begin(llvm::Module &M);
void klp_inline_collect(llvm::Module &M);
/* hooks the reading of the chains after the inliner into the pipeline */
void klp_inline_register(llvm::PassBuilder &PB);
std::vector<std::string> klp_inlined(const llvm::Function &F);
bool klp_inlined_partial(const llvm::Module &M);

/* measure.cc: one function as the AsmPrinter emitted it */
struct klp_emitted {
	const llvm::Function *fn;
	llvm::MCSymbol *sym;	/* the function's symbol */
	llvm::MCSymbol *begin;	/* weak: a label at its own start, or null */
	llvm::MCSymbol *end;	/* .Lfunc_end<N>: size = end - sym */
	llvm::MCSymbol *site;	/* label at the profiler call, or null */
	unsigned site_kind;	/* enum klp_site_kind of site */
	llvm::MCSymbol *pfe;	/* -fpatchable-function-entry label, or null */
	bool pfe_before;	/* pfe starts the padding before sym */
	bool pfe_site;		/* nops after the entry too: a patch site */
	bool notrace;		/* -pg unit, function not instrumented */
	uint64_t checksum;	/* checksum.cc */
};

/* checksum.cc */
uint64_t klp_function_checksum(const llvm::MachineFunction &MF);
uint64_t klp_data_checksum(const llvm::GlobalVariable &G, const llvm::DataLayout &DL);

/* emit.cc */
void klp_emit_notes(llvm::Module &M, llvm::AsmPrinter &AP,
		    const std::vector<klp_emitted> &funcs);

#endif /* KLP_PASS_H */
