/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * measure.cc - let the assembler measure sizes, patch sites and padding.
 *
 * An IR pass cannot name the labels the AsmPrinter puts at a function's
 * end: they are assembler temporaries created by createTempSymbol, which a
 * reference by name (".Lfunc_end0") does not find; the integrated assembler
 * renames such a reference instead.  So the measurement happens in the
 * AsmPrinter itself: the GC strategy KLP_GC_NAME (used only by the pass's
 * anchor function, which gets no code) has a GCMetadataPrinter, which LLVM
 * calls from AsmPrinter::doInitialization and doFinalization.  At the start
 * it adds an AsmPrinterHandler; for every function the AsmPrinter emits,
 * the handler records, as MCSymbols (no names, no guessing):
 *   - the function's symbol and the end label (.Lfunc_end<N>) its .size
 *     directive uses: size = end - symbol;
 *   - the profiler call that ftrace patches (x86 FENTRY_CALL, a call to
 *     mcount/_mcount/__fentry__): a zero-size label is attached in front
 *     of that instruction (MachineInstr pre-instruction symbol);
 *   - the -fpatchable-function-entry label the AsmPrinter itself emits
 *     (before the symbol when there is padding, else at the entry nops).
 * At the end, emit.cc writes the notes with expressions over these
 * symbols, which the assembler resolves.  Labels take no bytes: the code
 * is unchanged.
 */
#include "klp-pass.h"

#include "llvm/CodeGen/AsmPrinter.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/CodeGen/AsmPrinterHandler.h"
#include "llvm/CodeGen/GCMetadata.h"
#include "llvm/CodeGen/GCMetadataPrinter.h"
#include "llvm/CodeGen/MachineFunction.h"
#include "llvm/CodeGen/MachineInstr.h"
#include "llvm/CodeGen/TargetInstrInfo.h"
#include "llvm/CodeGen/TargetSubtargetInfo.h"
#include "llvm/IR/GCStrategy.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCSymbol.h"

using namespace llvm;

static bool is_profiler(StringRef name)
{
	return name == "__fentry__" || name == "mcount" || name == "_mcount" ||
	       name == ".mcount" || name == "\01_mcount" || name == "\01mcount";
}

/* The profiler call's kind, or KLP_SITE_NONE. */
static unsigned profiler_call(const MachineInstr &MI, const TargetInstrInfo *TII)
{
	if (TII->getName(MI.getOpcode()) == StringRef("FENTRY_CALL"))
		return KLP_SITE_FENTRY;
	if (!MI.isCall())
		return KLP_SITE_NONE;
	for (const MachineOperand &MO : MI.operands()) {
		StringRef name;

		if (MO.isGlobal())
			name = MO.getGlobal()->getName();
		else if (MO.isSymbol())
			name = MO.getSymbolName();
		else
			continue;
		if (!is_profiler(name))
			continue;
		return name == "__fentry__" ? KLP_SITE_FENTRY : KLP_SITE_MCOUNT;
	}
	return KLP_SITE_NONE;
}

/* -pg instruments every function clang did not mark no_instrument_function. */
static bool instrumented(const Function &F)
{
	return F.hasFnAttribute("fentry-call") ||
	       F.hasFnAttribute("instrument-function-entry-inlined") ||
	       F.hasFnAttribute("instrument-function-entry");
}

static bool has_patchable(const Function &F, const char *attr)
{
	unsigned n = 0;

	if (!F.hasFnAttribute(attr))
		return false;
	return !F.getFnAttribute(attr).getValueAsString().getAsInteger(10, n) && n;
}

namespace {

struct klp_state {
	std::vector<klp_emitted> funcs;
	bool profiled = false;	/* some function of the unit is instrumented */
};

class KlpHandler : public AsmPrinterHandler {
	AsmPrinter &AP;
	klp_state &S;
public:
	KlpHandler(AsmPrinter &ap, klp_state &s) : AP(ap), S(s) {}

	void beginFunction(const MachineFunction *MF) override
	{
		const Function &F = MF->getFunction();
		const TargetInstrInfo *TII = MF->getSubtarget().getInstrInfo();
		klp_emitted e = {};

		e.fn = &F;
		e.sym = AP.CurrentFnSym;
		/*
		 * A weak definition's address must be its own code's, also when
		 * the link picks another definition of the name: relocate
		 * against a label here, right after the function's own, not
		 * against the symbol (gcc-plugin does the same).
		 */
		if (F.hasWeakLinkage() || F.hasLinkOnceLinkage()) {
			e.begin = AP.OutContext.createTempSymbol("klp_begin");
			AP.OutStreamer->emitLabel(e.begin);
		}
		if (instrumented(F))
			S.profiled = true;
		e.checksum = klp_function_checksum(*MF);
		for (const MachineBasicBlock &MBB : *MF) {
			for (const MachineInstr &MI : MBB) {
				unsigned kind = profiler_call(MI, TII);

				if (kind == KLP_SITE_NONE)
					continue;
				e.site_kind = kind;
				e.site = MI.getPreInstrSymbol();
				if (!e.site) {
					e.site = AP.OutContext.createTempSymbol("klp_site");
					const_cast<MachineInstr &>(MI).setPreInstrSymbol(
						*const_cast<MachineFunction *>(MF), e.site);
				}
				break;
			}
			if (e.site)
				break;
		}
		S.funcs.push_back(e);
	}

	void endFunction(const MachineFunction *MF) override
	{
		const Function &F = MF->getFunction();
		klp_emitted &e = S.funcs.back();

		e.end = AP.getFunctionEnd();
		e.notrace = !instrumented(F);
		if (has_patchable(F, "patchable-function-prefix") ||
		    has_patchable(F, "patchable-function-entry")) {
			e.pfe = AP.CurrentPatchableFunctionEntrySym;
			e.pfe_before = has_patchable(F, "patchable-function-prefix");
			/*
			 * Only nops at or after the entry can be patched into a
			 * call: padding alone (N,N, the kernel's CALL_PADDING) is
			 * no site, as with gcc.
			 */
			e.pfe_site = has_patchable(F, "patchable-function-entry");
		}
	}

	void endModule() override {}
#if LLVM_VERSION_MAJOR < 19
	void setSymbolSize(const MCSymbol *, uint64_t) override {}
	void beginInstruction(const MachineInstr *) override {}
	void endInstruction() override {}
#endif
};

class KlpGC : public GCStrategy {
public:
	KlpGC() { UsesMetadata = true; }
};

class KlpPrinter : public GCMetadataPrinter {
	klp_state S;
public:
	void beginAssembly(Module &, GCModuleInfo &, AsmPrinter &AP) override
	{
		auto H = std::make_unique<KlpHandler>(AP, S);
#if LLVM_VERSION_MAJOR >= 19
		AP.addAsmPrinterHandler(std::move(H));
#else
		AP.addAsmPrinterHandler(AsmPrinter::HandlerInfo(std::move(H), "klp",
			"klp notes", "klp", "klp notes"));
#endif
	}

	void finishAssembly(Module &M, GCModuleInfo &, AsmPrinter &AP) override
	{
		if (!S.profiled)
			for (klp_emitted &e : S.funcs)
				e.notrace = false;
		klp_emit_notes(M, AP, S.funcs);
	}
};

} /* namespace */

static GCRegistry::Add<KlpGC> klp_gc(KLP_GC_NAME, "klp notes anchor (no GC)");
static GCMetadataPrinterRegistry::Add<KlpPrinter> klp_printer(KLP_GC_NAME,
	"writes the .debug_klp notes");
