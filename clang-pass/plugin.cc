/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * plugin.cc - klp-clang.so: LLVM pass plugin (new pass manager) that
 * records, in every object, the facts a livepatch build needs about the
 * object's symbols, in the .debug_klp notes of include/klp-notes.h
 * (docs/note-format.md, docs/clang-pass.md).
 *
 * Use:  clang -fpass-plugin=/path/to/klp-clang.so ...
 *
 * A first module pass, at the start of the optimisation pipeline, makes
 * sure the inliner leaves a trace of what it inlined (inlined.cc).  The
 * main module pass runs at the end of the optimisation pipeline (also at
 * -O0).  It does four things:
 *   - records, as function metadata, the functions inlined into each
 *     function, and removes the debug info the first pass added;
 *   - ppc64 ELFv2: makes calls to locally-binding functions keep their
 *     nop and never become tail calls (ppc-calls.cc);
 *   - adds a body-only "available_externally" anchor function using the
 *     GC strategy KLP_GC_NAME: no code is generated for it, but it makes
 *     the code generator instantiate our GC printer, which is how a pass
 *     plugin reaches the AsmPrinter (measure.cc);
 *   - refuses -flto: the notes must describe the code the link gets.
 * The notes themselves are written by the AsmPrinter side (emit.cc), where
 * the assembler can measure sizes, patch sites and padding.
 *
 * Options (-mllvm -klp-NAME=VALUE, include/klp-options.def, klp-plugins(7);
 * clang parses -mllvm before it loads a pass plugin, so also load the file
 * as a plugin: -fplugin=/path/to/klp-clang.so): tu-path, ppc-calls.
 */
#include "klp-pass.h"

#include <dlfcn.h>
#include <stdio.h>

#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#if LLVM_VERSION_MAJOR >= 17
#include "llvm/TargetParser/Triple.h"
#else
#include "llvm/ADT/Triple.h"
#endif
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

/* Names and descriptions from the list klp.so and the man page share. */
#define KLP_OPTION(id, name, value, summary, text) \
	static const char klp_opt_##id[] = "klp-" name, klp_sum_##id[] = "klp: " summary;
#include "../include/klp-options.def"
#undef KLP_OPTION

static cl::opt<std::string> tu_path_opt(klp_opt_tu_path, cl::init(""),
	cl::desc(klp_sum_tu_path), cl::value_desc("PATH"));

static cl::opt<enum klp_ppc_calls_mode> ppc_calls_opt(klp_opt_ppc_calls,
	cl::desc(klp_sum_ppc_calls),
	cl::init(KLP_PPC_CALLS_LOCAL),
	cl::ValuesClass({
#define KLP_PPC_CALLS_MODE(id, name, summary) clEnumValN(KLP_PPC_CALLS_##id, name, summary),
#include "../include/klp-options.def"
#undef KLP_PPC_CALLS_MODE
	}));

enum klp_ppc_calls_mode klp_ppc_mode(void)
{
	return ppc_calls_opt;
}

std::string klp_tu_path(const Module &M)
{
	if (!tu_path_opt.empty())
		return tu_path_opt;
	return M.getSourceFileName();
}

bool klp_is_ppc64(const Module &M)
{
	Triple T(M.getTargetTriple());

	return T.getArch() == Triple::ppc64le || T.getArch() == Triple::ppc64;
}

bool klp_is_s390x(const Module &M)
{
	return Triple(M.getTargetTriple()).getArch() == Triple::systemz;
}

bool klp_left_out(const Module &M)
{
	return Triple(M.getTargetTriple()).getArch() == Triple::x86;
}

static bool is_lto(const Module &M)
{
	return M.getModuleFlag("ThinLTO") || M.getModuleFlag("EnableSplitLTOUnit");
}

namespace {

struct KlpPass : PassInfoMixin<KlpPass> {
	PreservedAnalyses run(Module &M, ModuleAnalysisManager &)
	{
		Triple T(M.getTargetTriple());

		if (is_lto(M)) {
			M.getContext().emitError("klp: '-flto' is not supported: the notes "
				"must describe the code the final link gets; build " +
				M.getSourceFileName() + " without '-flto'");
			return PreservedAnalyses::all();
		}
		if (!T.isOSBinFormatELF() || (T.getArch() != Triple::x86_64 && !klp_is_ppc64(M) &&
					      !klp_is_s390x(M) && !klp_left_out(M))) {
			M.getContext().emitError("klp: " KLP_PASS_NAME " supports x86_64, ppc64 "
				"and s390x ELF targets (and leaves 32-bit x86 out), not '" + T.str() + "' (" +
				M.getSourceFileName() + ")");
			return PreservedAnalyses::all();
		}
		/* first: it strips the debug info it added before the
		 * anchor and the call aliases exist */
		klp_inline_collect(M);
		if (klp_is_ppc64(M))
			klp_ppc_force_nops(M);
		if (M.getFunction(KLP_ANCHOR_NAME))
			return PreservedAnalyses::none();	/* pass ran twice */

		/* available_externally: codegen skips its body, the GC
		 * strategy is still instantiated from it */
		Function *A = Function::Create(FunctionType::get(Type::getVoidTy(M.getContext()),
				false), GlobalValue::AvailableExternallyLinkage,
				KLP_ANCHOR_NAME, M);
		IRBuilder<> B(BasicBlock::Create(M.getContext(), "", A));
		B.CreateRetVoid();
		A->setGC(KLP_GC_NAME);
		/* keeps it out of the address-significance table, which
		 * would put an undefined symbol into the object */
		A->setUnnamedAddr(GlobalValue::UnnamedAddr::Global);
		appendToCompilerUsed(M, { A });
		return PreservedAnalyses::none();
	}
	static bool isRequired() { return true; }
};

/* At the start of the pipeline, before any inlining (inlined.cc). */
struct KlpInlineBegin : PassInfoMixin<KlpInlineBegin> {
	PreservedAnalyses run(Module &M, ModuleAnalysisManager &)
	{
		if (is_lto(M))
			return PreservedAnalyses::all();	/* refused at the end */
		klp_inline_begin(M);
		return PreservedAnalyses::none();
	}
	static bool isRequired() { return true; }
};

} /* namespace */

/* LLVM's C API has LLVMGetVersion from LLVM 16 on: the LLVM that loaded us
 * must be the one we were built against, or the C++ ABI does not match. */
static bool same_llvm(void)
{
	typedef void (*get_version_fn)(unsigned *, unsigned *, unsigned *);
	auto get = (get_version_fn)dlsym(RTLD_DEFAULT, "LLVMGetVersion");
	unsigned major = 0, minor, patch;

	if (get)
		get(&major, &minor, &patch);
	if (LLVM_VERSION_MAJOR >= 16 ? major == LLVM_VERSION_MAJOR : !get)
		return true;
	fprintf(stderr, "error: klp: " KLP_PASS_NAME " was built for LLVM %d but this "
		"clang uses LLVM %s; use the klp-clang.so built for this clang "
		"(build/.../clang-pass/llvm-<N>/)\n", LLVM_VERSION_MAJOR,
		major ? std::to_string(major).c_str() : "older than 16");
	return false;
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo()
{
	if (!same_llvm())
		return { 0, "klp", KLP_PASS_VERSION, nullptr };
	return { LLVM_PLUGIN_API_VERSION, "klp", KLP_PASS_VERSION,
		 [](PassBuilder &PB) {
			 klp_inline_register(PB);
			 PB.registerPipelineStartEPCallback(
				 [](ModulePassManager &MPM, OptimizationLevel) {
					 MPM.addPass(KlpInlineBegin());
				 });
			 PB.registerOptimizerLastEPCallback(
				 [](ModulePassManager &MPM, OptimizationLevel) {
					 MPM.addPass(KlpPass());
				 });
		 } };
}
