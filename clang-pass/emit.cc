/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * emit.cc - write this unit's .debug_klp notes (docs/note-format.md).
 *
 * Runs in AsmPrinter::doFinalization (through the GC printer of
 * measure.cc), after every function and global has been emitted, so the
 * module says exactly what the object defines.  The notes go straight to
 * the MC streamer, as gcc-plugin/emit.cc writes them as text:
 *   - section ".debug_klp", SHT_PROGBITS with no flags (not "aw": LLVM's
 *     default for a named IR section), 8-aligned;
 *   - one KLP_NT_UNIT note, then one KLP_NT_SYM note per emitted function
 *     (in emission order, with the functions inlined into it: inlined.cc),
 *     per call alias (ppc-calls.cc), and per local object, in module order;
 *   - each address field is 0 with a ".reloc" R_X86_64_64 / R_PPC64_ADDR64
 *     against the symbol itself (a plain 8-byte value would become
 *     section+offset for a local symbol);
 *   - sizes, sites and padding are expressions over the labels measure.cc
 *     recorded, resolved by the assembler.
 */
#include "klp-pass.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/CodeGen/AsmPrinter.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalAlias.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCContext.h"
#include "llvm/MC/MCExpr.h"
#include "llvm/MC/MCSectionELF.h"
#include "llvm/MC/MCStreamer.h"
#include "llvm/MC/MCSymbol.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

namespace {

/* One symbol note before it is written. */
struct sym_note {
	std::string name;
	std::string origin;
	std::vector<std::string> inlined;
	MCSymbol *sym = nullptr;	/* address relocation target */
	unsigned kind = 0, flags = 0, site_kind = 0;
	const MCExpr *size = nullptr, *site = nullptr, *prefix = nullptr;
	uint64_t size_value = 0;
};

struct writer {
	MCStreamer &out;
	MCContext &ctx;
	const MCSubtargetInfo &sti;
	const char *reloc;

	void align()
	{
#if LLVM_VERSION_MAJOR >= 19
		out.emitValueToAlignment(Align(KLP_NOTES_ALIGN));
#else
		out.emitValueToAlignment(KLP_NOTES_ALIGN);
#endif
	}

	void header(unsigned descsz, unsigned type)
	{
		align();
		out.emitIntValue(KLP_NOTES_OWNER_SIZE, 4);
		out.emitIntValue(descsz, 4);
		out.emitIntValue(type, 4);
		out.emitBytes(StringRef(KLP_NOTES_OWNER, KLP_NOTES_OWNER_SIZE));
	}

	/* strings at the end of a descriptor, then the padding */
	void strings(const std::vector<std::string> &v, unsigned fixed)
	{
		unsigned size = fixed;

		for (const std::string &s : v) {
			out.emitBytes(StringRef(s.c_str(), s.size() + 1));
			size += s.size() + 1;
		}
		if (size % KLP_NOTES_ALIGN)
			out.emitZeros(KLP_NOTES_ALIGN - size % KLP_NOTES_ALIGN);
	}

	void value(const MCExpr *e, uint64_t dflt, unsigned bytes)
	{
		if (e)
			out.emitValue(e, bytes);
		else
			out.emitIntValue(dflt, bytes);
	}

	bool sym(const sym_note &s)
	{
		std::vector<std::string> strs;
		unsigned size = KLP_NOTE_SYM_SIZE, name, origin = 0, inlined;

		name = size;
		strs.push_back(s.name);
		size += s.name.size() + 1;
		if (!s.origin.empty()) {
			origin = size;
			strs.push_back(s.origin);
			size += s.origin.size() + 1;
		}
		inlined = s.inlined.empty() ? 0 : size;
		for (const std::string &i : s.inlined) {
			strs.push_back(i);
			size += i.size() + 1;
		}
		header((size + KLP_NOTES_ALIGN - 1) & ~(KLP_NOTES_ALIGN - 1u), KLP_NT_SYM);
		MCSymbol *here = ctx.createTempSymbol("klp_addr");
		out.emitLabel(here);
		auto err = out.emitRelocDirective(*MCSymbolRefExpr::create(here, ctx), reloc,
			MCSymbolRefExpr::create(s.sym, ctx), SMLoc(), sti);
		if (err && err->first) {
			ctx.reportError(SMLoc(), "klp: cannot write the address relocation of " +
				s.name + " in " KLP_NOTES_SECTION ": " + err->second);
			return false;
		}
		out.emitIntValue(0, 8);
		value(s.size, s.size_value, 4);
		out.emitIntValue(s.kind, 2);
		out.emitIntValue(s.flags, 2);
		value(s.site, 0, 4);
		value(s.prefix, 0, 4);
		out.emitIntValue(s.site_kind, 2);
		out.emitIntValue(s.inlined.size(), 2);
		out.emitIntValue(name, 4);
		out.emitIntValue(origin, 4);
		out.emitIntValue(inlined, 4);
		strings(strs, KLP_NOTE_SYM_SIZE);
		return true;
	}
};

} /* namespace */

static const MCExpr *sub(MCContext &ctx, MCSymbol *a, MCSymbol *b)
{
	return MCBinaryExpr::createSub(MCSymbolRefExpr::create(a, ctx),
				       MCSymbolRefExpr::create(b, ctx), ctx);
}

/*
 * Clone and split names LLVM gives (docs/clang-pass.md): the origin is the
 * name before the suffix.  Returns the suffix's flag, or 0.
 */
static unsigned clone_origin(StringRef name, std::string &origin)
{
	static const struct { const char *infix; unsigned flag; } kinds[] = {
		{ ".specialized.", KLP_SYM_CLONE },
		{ ".constprop.", KLP_SYM_CLONE },
		{ ".argelim", KLP_SYM_CLONE },
		{ ".argprom", KLP_SYM_CLONE },
		{ ".llvm.", KLP_SYM_CLONE },
		{ ".cold", KLP_SYM_COLD },
	};

	for (const auto &k : kinds) {
		size_t at = name.find(k.infix);

		if (at != StringRef::npos && at > 0) {
			origin = name.substr(0, at).str();
			return k.flag;
		}
	}
	return 0;
}

/* A local object the object file's symbol table will have. */
static bool local_object(const GlobalVariable &G)
{
	return G.hasLocalLinkage() && !G.isDeclaration() && !G.hasPrivateLinkage() &&
	       G.getName().substr(0, 2) != ".L" && G.getName().substr(0, 5) != "llvm." &&
	       G.getSection() != "llvm.metadata";
}

/* clang names a function-local static "<function>.<variable>" */
static bool function_static(const Module &M, StringRef name)
{
	size_t dot = name.find('.');

	return dot != StringRef::npos && dot > 0 && M.getFunction(name.substr(0, dot));
}

static uint64_t hash_str(uint64_t h, const std::string &s)
{
	return klp_fnv64(h, s.c_str(), s.size() + 1);
}

void klp_emit_notes(Module &M, AsmPrinter &AP, const std::vector<klp_emitted> &funcs,
		    uint64_t code_hash)
{
	MCContext &ctx = AP.OutContext;
	MCStreamer &out = *AP.OutStreamer;
	const DataLayout &DL = M.getDataLayout();
	bool ppc = klp_is_ppc64(M);
	writer w = { out, ctx, *AP.TM.getMCSubtargetInfo(),
		     ppc ? "R_PPC64_ADDR64" : "R_X86_64_64" };
	std::vector<sym_note> notes;
	bool partial = klp_inlined_partial(M);

	for (const klp_emitted &e : funcs) {
		sym_note s;

		if (!e.sym || !e.end)
			continue;
		s.name = e.sym->getName().str();
		s.sym = e.begin ? e.begin : e.sym;
		s.kind = KLP_KIND_FUNC;
		if (e.fn->hasLocalLinkage())
			s.flags |= KLP_SYM_LOCAL;
		else if (e.fn->hasWeakLinkage() || e.fn->hasLinkOnceLinkage() ||
			 e.fn->hasExternalWeakLinkage())
			s.flags |= KLP_SYM_WEAK;
		s.flags |= clone_origin(s.name, s.origin);
		if (e.notrace)
			s.flags |= KLP_SYM_NOTRACE;
		s.size = sub(ctx, e.end, e.sym);
		if (e.site) {
			s.site = sub(ctx, e.site, e.sym);
			s.site_kind = e.site_kind;
		} else if (e.pfe && e.pfe_site) {
			/* no profiler call: the patchable nops are the site */
			s.site = sub(ctx, e.pfe, e.sym);
			s.site_kind = KLP_SITE_PATCHABLE;
		}
		if (s.site && !(s.flags & KLP_SYM_COLD))
			s.flags |= KLP_SYM_SITE;
		else
			s.site = nullptr, s.site_kind = 0;
		if (e.pfe && e.pfe_before)
			s.prefix = sub(ctx, e.sym, e.pfe);
		s.inlined = klp_inlined(*e.fn);
		if (s.inlined.size() > UINT16_MAX) {
			/* ninlined is 16 bits */
			s.inlined.resize(UINT16_MAX);
			partial = true;
		}
		notes.push_back(s);
	}
	for (const GlobalAlias &A : M.aliases()) {
		sym_note s;
		size_t at = A.getName().find(KLP_ALIAS_INFIX);

		if (at == StringRef::npos)
			continue;
		s.name = A.getName().str();
		s.origin = A.getAliasee()->stripPointerCasts()->getName().str();
		s.sym = AP.getSymbol(&A);
		s.kind = KLP_KIND_FUNC;
		s.flags = KLP_SYM_ALIAS;
		/* the alias has the size of its function; no code of its own */
		for (const sym_note &f : notes)
			if (f.name == s.origin)
				s.size = f.size;
		notes.push_back(s);
	}
	for (const GlobalVariable &G : M.globals()) {
		sym_note s;

		if (!local_object(G))
			continue;
		s.name = AP.getSymbol(&G)->getName().str();
		s.sym = AP.getSymbol(&G);
		s.kind = KLP_KIND_OBJECT;
		s.flags = KLP_SYM_LOCAL;
		if (function_static(M, s.name))
			s.flags |= KLP_SYM_FUNC_STATIC;
		s.size_value = DL.getTypeAllocSize(G.getValueType());
		notes.push_back(s);
	}

	/* the unit */
	std::string path = klp_tu_path(M);
	std::string producer = "clang " LLVM_VERSION_STRING;
	std::string plugin = KLP_PASS_NAME " " KLP_PASS_VERSION;
	uint64_t id = hash_str(KLP_FNV64_OFFSET, path);
	unsigned flags = 0;

	unsigned char code[8];

	for (int i = 0; i < 8; i++)	/* little-endian, whatever the host */
		code[i] = (unsigned char)(code_hash >> (8 * i));
	id = klp_fnv64(id, code, sizeof(code));
	id = hash_str(id, producer);
	for (const sym_note &s : notes) {
		char k = (char)s.kind;

		id = klp_fnv64(id, &k, 1);
		id = hash_str(id, s.name);
	}
	if (AP.TM.getFunctionSections())
		flags |= KLP_UNIT_FUNCTION_SECTIONS;
	if (AP.TM.getDataSections())
		flags |= KLP_UNIT_DATA_SECTIONS;
	if (ppc && klp_ppc_mode() == KLP_PPC_CALLS_LOCAL)
		flags |= KLP_UNIT_PPC_CALLS_LOCAL | KLP_UNIT_CLANG_ALIASES;
	else if (ppc && klp_ppc_mode() == KLP_PPC_CALLS_STATIC)
		flags |= KLP_UNIT_PPC_CALLS_STATIC | KLP_UNIT_CLANG_ALIASES;
	if (partial)
		flags |= KLP_UNIT_INLINED_PARTIAL;

	MCSection *sec = ctx.getELFSection(KLP_NOTES_SECTION, ELF::SHT_PROGBITS, 0);
#if LLVM_VERSION_MAJOR >= 19
	out.pushSection();
	out.switchSection(sec);
#else
	out.PushSection();
	out.SwitchSection(sec);
#endif
	unsigned size = KLP_NOTE_UNIT_SIZE;
	unsigned o_path = size, o_prod = (size += path.size() + 1);
	unsigned o_plug = (size += producer.size() + 1);
	size += plugin.size() + 1;
	w.header((size + KLP_NOTES_ALIGN - 1) & ~(KLP_NOTES_ALIGN - 1u), KLP_NT_UNIT);
	out.emitIntValue(KLP_NOTES_VERSION, 4);
	out.emitIntValue(flags, 4);
	out.emitIntValue(id, 8);
	out.emitIntValue(notes.size(), 4);
	out.emitIntValue(ppc ? ELF::EM_PPC64 : ELF::EM_X86_64, 2);
	out.emitIntValue(0, 2);
	out.emitIntValue(o_path, 4);
	out.emitIntValue(o_prod, 4);
	out.emitIntValue(o_plug, 4);
	out.emitIntValue(0, 4);
	w.strings({ path, producer, plugin }, KLP_NOTE_UNIT_SIZE);
	for (const sym_note &s : notes)
		if (!w.sym(s))
			break;
#if LLVM_VERSION_MAJOR >= 19
	out.popSection();
#else
	out.PopSection();
#endif
}
