/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inlined.cc - which functions were inlined into each emitted function.
 *
 * LLVM keeps no list of inlining decisions; what it keeps is the debug
 * location of every instruction: when a body is inlined, each of its
 * instructions gets a DILocation whose inlinedAt chain names the call
 * site, and through nested chains every body it came through.  The scope
 * of each link of the chain is the DISubprogram of the source function.
 * So the lists are read from those chains: right after the inliner, at
 * each visit of a call-graph SCC, because the function simplification that
 * follows may delete every instruction of an inlined body whose change
 * would still change the caller, and once more at the end of the
 * optimisation pipeline.  The CGSCC pipeline's "optimizer late" extension
 * point is that place: LLVM 14 to 19 put it after the inliner (and the
 * attribute passes that change no code), before the simplification
 * pipeline, and at -O0 after the always-inliner.  The optional module
 * inliner (-mllvm -enable-module-inliner) has no such point: there the
 * chains are read after each inliner run (a pass-instrumentation
 * callback, which costs every pass of the pipeline a name lookup).
 *
 * A body can leave no instruction at all, even right after the inliner:
 * `return 42;` becomes the constant that replaces the call.  So every
 * function also gets, at the start of the pipeline, a debug label at its
 * entry (KLP_ENTRY_LABEL): the inliner copies it with the body, with the
 * call site as its inlinedAt, and debug labels change no code (they are
 * not instructions for the optimiser, and inline cost ignores them).
 * They are removed again at the end, before code generation.
 *
 * A unit compiled without debug info has no locations, so the inliner
 * records nothing.  Then, at the start of the pipeline, every defined
 * function gets a DISubprogram of its own (in a compile unit whose
 * producer is KLP_INLINE_CU) and every instruction a line-0 location in
 * it; at the end the chains are read and all debug info is stripped again
 * (StripDebugInfo), before code generation: the object gets no debug
 * sections, and the code is the one the unit gets without the plugin
 * (tests/lit/clang/inlined.c compares them with klp-check same-code).
 *
 * The list of a function is kept as function metadata KLP_INLINED_MD
 * (strings), which emit.cc reads in the AsmPrinter.  A unit with real
 * debug info where some inlinable function has no DISubprogram, or is
 * built with -gno-inline-line-tables, may have lists that miss functions:
 * named metadata KLP_PARTIAL_MD says so, and the unit note gets
 * KLP_UNIT_INLINED_PARTIAL.
 */
#include "klp-pass.h"

#include <unordered_set>

#include "llvm/ADT/Any.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LazyCallGraph.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/DIBuilder.h"
#include "llvm/IR/DebugInfo.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassInstrumentation.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CommandLine.h"

using namespace llvm;

/* producer of the compile unit made for a unit without debug info */
#define KLP_INLINE_CU		"klp-clang.so inline scopes"
#define KLP_INLINED_MD		"klp.inlined"
#define KLP_PARTIAL_MD		"klp.inlined.partial"
/* a label name no C or C++ source can spell */
#define KLP_ENTRY_LABEL		"klp.entry"

/*
 * What each function's scope had inlined into it when it was last read.
 * Later optimisation may remove every instruction of an inlined body (a
 * loop folded to a closed form, a constant result); the list read right
 * after the inliner still names it, and a body inlined further takes the
 * list of its scope along.  Keyed by scope, not by function: the inliner
 * may delete a callee it has inlined everywhere.  One module per process.
 */
static DenseMap<const DISubprogram *, std::vector<std::string>> recorded;

/* The metadata kind of KLP_INLINED_MD, looked up by name once. */
static unsigned inlined_md_kind(LLVMContext &ctx)
{
	static LLVMContext *for_ctx;
	static unsigned kind;

	if (for_ctx != &ctx) {
		kind = ctx.getMDKindID(KLP_INLINED_MD);
		for_ctx = &ctx;
	}
	return kind;
}

static bool has_synthetic_cu(const Module &M)
{
	for (const DICompileUnit *CU : M.debug_compile_units())
		if (CU->getProducer() == KLP_INLINE_CU)
			return true;
	return false;
}

/*
 * KLP_ENTRY_LABEL (see the top), not retained: no DWARF names it.  Only
 * where the inliner can copy it: a function that is not noinline and that
 * has a use (a call, or its address, which may become a call); no pass
 * adds a use to a function that had none.  Elsewhere nothing would copy
 * the label (measured: leaving it off changes a unit's cost by <0.01%).
 */
static void add_entry_label(DIBuilder &DIB, Function &F)
{
	DISubprogram *SP = F.getSubprogram();

	if (F.use_empty() || F.hasFnAttribute(Attribute::NoInline))
		return;
	DILabel *label = DILabel::get(F.getContext(), SP, KLP_ENTRY_LABEL, SP->getFile(),
				      SP->getLine());

	DIB.insertLabel(label, DILocation::get(F.getContext(), SP->getLine(), 0, SP),
			&*F.getEntryBlock().getFirstInsertionPt());
}

static bool is_entry_label(const DILabel *label)
{
	return label && label->getName() == KLP_ENTRY_LABEL;
}

void klp_inline_begin(Module &M)
{
	recorded.clear();
	if (has_synthetic_cu(M))
		return;		/* registered twice */
	if (!M.debug_compile_units().empty()) {
		/* real debug info: the chains exist only for bodies that have
		 * a DISubprogram and keep inline line tables */
		DIBuilder DIB(M, false);

		for (Function &F : M) {
			if (F.isDeclaration() || F.hasFnAttribute(Attribute::NoInline))
				continue;
			if (!F.getSubprogram() || F.hasFnAttribute("no-inline-line-tables")) {
				M.getOrInsertNamedMetadata(KLP_PARTIAL_MD);
				continue;
			}
			add_entry_label(DIB, F);
		}
		return;
	}

	DIBuilder DIB(M);
	DIFile *file = DIB.createFile(M.getSourceFileName(), "");
	DICompileUnit *CU = DIB.createCompileUnit(dwarf::DW_LANG_C99, file, KLP_INLINE_CU,
		true, "", 0, "", DICompileUnit::LineTablesOnly);
	DISubroutineType *type = DIB.createSubroutineType(DIB.getOrCreateTypeArray({}));

	for (Function &F : M) {
		if (F.isDeclaration())
			continue;
		/* the symbol name: what the gcc plugin lists, and what a
		 * clone's copy of this DISubprogram will still say */
		DISubprogram *SP = DIB.createFunction(CU, F.getName(), StringRef(), file, 0,
			type, 0, DINode::FlagArtificial,
			DISubprogram::SPFlagDefinition | DISubprogram::SPFlagOptimized);
		DILocation *loc = DILocation::get(M.getContext(), 0, 0, SP);

		F.setSubprogram(SP);
		for (BasicBlock &BB : F)
			for (Instruction &I : BB)
				I.setDebugLoc(loc);
		add_entry_label(DIB, F);
	}
	DIB.finalize();
}

static std::string sp_name(const DISubprogram *SP)
{
	StringRef name = SP->getLinkageName();

	if (name.empty())
		name = SP->getName();
	if (!name.empty() && name[0] == '\1')	/* asm label marker */
		name = name.drop_front();
	return name.str();
}

/*
 * One function's scan: the list in its order (the notes' string table
 * follows it) with a set that answers "listed already?", and the chain
 * links done with.  Instructions share locations, and locations share
 * the links of their chains: each location is walked once, and each
 * DISubprogram on the chains is named, and its recorded list added, once
 * (recorded[] changes only after the walk, so a second visit adds nothing).
 */
struct scan_state {
	std::vector<std::string> v;
	std::unordered_set<std::string> have;
	/* the function's own scope, and its name once a chain needs it (a
	 * clone's copy of the DISubprogram says the same name) */
	const DISubprogram *self_sp = nullptr;
	std::string self;
	bool self_named = false;
	/* the (scope, call site) pairs done with: a location's chain
	 * depends on nothing else, and lines share them */
	DenseSet<std::pair<const DIScope *, const DILocation *>> seen;
	SmallPtrSet<const DISubprogram *, 16> done;
	/* the previous location's scope and call site: neighbours mostly
	 * share both, and a chain depends on nothing else */
	const DIScope *last_scope = nullptr;
	const DILocation *last_at = nullptr;
};

static const std::string &self_name(scan_state &st)
{
	if (!st.self_named) {
		st.self = st.self_sp ? sp_name(st.self_sp) : "";
		st.self_named = true;
	}
	return st.self;
}

static void add_name(scan_state &st, const std::string &name)
{
	if (st.have.insert(name).second)
		st.v.push_back(name);
}

/*
 * Every DISubprogram on the chain of L except the function's own: the
 * outermost inlined body first, as the gcc plugin walks its BLOCK tree,
 * each followed by what was inlined into it before.  The outermost link is
 * normally the function itself; it is listed too when it is not (a body
 * inlined through a call that had no location).
 */
static void add_chain(scan_state &st, const DILocation *L)
{
	SmallVector<const DISubprogram *, 8> chain;

	for (; L; L = L->getInlinedAt()) {
		const DISubprogram *SP = L->getScope()->getSubprogram();

		if (SP && !st.done.count(SP))
			chain.push_back(SP);
	}
	for (size_t i = chain.size(); i-- > 0;) {
		if (!st.done.insert(chain[i]).second || chain[i] == st.self_sp)
			continue;	/* twice on one chain (recursion), or itself */
		std::string name = sp_name(chain[i]);

		if (name == self_name(st))
			continue;
		add_name(st, name);
		auto it = recorded.find(chain[i]);
		if (it != recorded.end())
			for (const std::string &s : it->second)
				if (s != self_name(st))
					add_name(st, s);
	}
}

static void add_location(scan_state &st, const DILocation *L)
{
	if (!L || (L->getScope() == st.last_scope && L->getInlinedAt() == st.last_at))
		return;
	st.last_scope = L->getScope();
	st.last_at = L->getInlinedAt();
	if (st.seen.insert({ st.last_scope, st.last_at }).second)
		add_chain(st, L);
}

/*
 * Adds what F's code says now to its list (function metadata); the last
 * scan (last) also removes the entry labels.
 */
static void scan(Function &F, bool last = false)
{
	LLVMContext &ctx = F.getContext();
	const DISubprogram *SP = F.getSubprogram();
	scan_state st;
	size_t known;

	if (F.isDeclaration())
		return;
	st.self_sp = SP;
	for (const std::string &s : klp_inlined(F))
		add_name(st, s);
	known = st.v.size();
	for (BasicBlock &BB : F) {
		for (Instruction &I : make_early_inc_range(BB)) {
			add_location(st, I.getDebugLoc().get());
#if LLVM_VERSION_MAJOR >= 19
			/* variable locations (with -g) and our labels: an
			 * inlined body folded to constants leaves only these */
			for (DbgRecord &DR : make_early_inc_range(I.getDbgRecordRange())) {
				add_location(st, DR.getDebugLoc().get());
				if (last)
					if (auto *L = dyn_cast<DbgLabelRecord>(&DR))
						if (is_entry_label(L->getLabel()))
							DR.eraseFromParent();
			}
#endif
			if (last)
				if (auto *L = dyn_cast<DbgLabelInst>(&I))
					if (is_entry_label(L->getLabel()))
						I.eraseFromParent();
		}
	}
	/* nothing new since the last scan: the list and recorded[] hold it */
	if (st.v.empty() || (st.v.size() == known && (!SP || recorded.count(SP))))
		return;
	if (SP)
		recorded[SP] = st.v;
	SmallVector<Metadata *, 8> md;
	for (const std::string &s : st.v)
		md.push_back(MDString::get(ctx, s));
	F.setMetadata(inlined_md_kind(ctx), MDTuple::get(ctx, md));
}

/*
 * The inliners: InlinerPass (per SCC), ModuleInlinerPass,
 * ModuleInlinerWrapperPass, AlwaysInlinerPass.  This runs after every
 * pass on every function: a suffix compare, not a search.
 */
static bool is_inliner(StringRef pass)
{
	return pass.take_back(11) == "InlinerPass" || pass.take_back(18) == "InlinerWrapperPass";
}

static void scan_scc(const LazyCallGraph::SCC &C)
{
	for (LazyCallGraph::Node &N : C)
		scan(N.getFunction());
}

static void after_pass(StringRef pass, const Any &IR)
{
	if (!is_inliner(pass))
		return;
	if (const LazyCallGraph::SCC *const *C = any_cast<const LazyCallGraph::SCC *>(&IR)) {
		scan_scc(**C);
	} else if (const Module *const *M = any_cast<const Module *>(&IR)) {
		for (const Function &F : **M)
			scan(const_cast<Function &>(F));
	}
}

namespace {
/* In each SCC's pipeline, right after the inliner (see the top). */
struct KlpInlineRead : PassInfoMixin<KlpInlineRead> {
	PreservedAnalyses run(LazyCallGraph::SCC &C, CGSCCAnalysisManager &, LazyCallGraph &,
			      CGSCCUpdateResult &)
	{
		scan_scc(C);
		return PreservedAnalyses::all();	/* metadata only */
	}
	static bool isRequired() { return true; }
};
} /* namespace */

static bool module_inliner_on(void)
{
	auto &opts = cl::getRegisteredOptions();
	auto it = opts.find("enable-module-inliner");

	if (it == opts.end())
		return false;
	auto *opt = static_cast<cl::opt<bool> *>(it->second);
	return opt->getValue();
}

void klp_inline_register(PassBuilder &PB)
{
	if (!module_inliner_on()) {
		PB.registerCGSCCOptimizerLateEPCallback(
			[](CGSCCPassManager &CGPM, OptimizationLevel) {
				CGPM.addPass(KlpInlineRead());
			});
		return;
	}
	/* an inliner run that preserved everything inlined nothing */
	if (PassInstrumentationCallbacks *PIC = PB.getPassInstrumentationCallbacks())
		PIC->registerAfterPassCallback([](StringRef pass, Any IR, const PreservedAnalyses &PA) {
			if (!PA.areAllPreserved())
				after_pass(pass, IR);
		});
}

void klp_inline_collect(Module &M)
{
	for (Function &F : M)
		scan(F, true);
	if (has_synthetic_cu(M))
		StripDebugInfo(M);
}

std::vector<std::string> klp_inlined(const Function &F)
{
	std::vector<std::string> v;
	const MDNode *md = F.getMetadata(inlined_md_kind(F.getContext()));

	if (!md)
		return v;
	for (const MDOperand &op : md->operands())
		if (const MDString *s = dyn_cast_or_null<MDString>(op.get()))
			v.push_back(s->getString().str());
	return v;
}

bool klp_inlined_partial(const Module &M)
{
	return M.getNamedMetadata(KLP_PARTIAL_MD) != nullptr;
}
