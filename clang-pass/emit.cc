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
 *   - each address field is 0 with a ".reloc" R_X86_64_64 / R_PPC64_ADDR64 / R_390_64
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
#include "llvm/Target/TargetLoweringObjectFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace llvm;

namespace {

/* One symbol before it is written: owns what the builder's view points to. */
struct sym_note {
	std::string name;
	std::string origin;
	std::vector<std::string> inlined;
	std::vector<const char *> inlined_ptrs;
	klp_symbol_info info = {};
};

/* The note builder's emitter for LLVM: the MC streamer of the AsmPrinter.
 * A label reference is an MCSymbol. */
struct mc_emitter {
	MCStreamer &out;
	MCContext &ctx;
	const MCSubtargetInfo &sti;
	const char *reloc;
	bool failed;

	const MCExpr *expr(klp_value v)
	{
		const MCExpr *e = MCBinaryExpr::createSub(
			MCSymbolRefExpr::create((MCSymbol *)v.a, ctx),
			MCSymbolRefExpr::create((MCSymbol *)v.b, ctx), ctx);

		if (v.constant)
			e = MCBinaryExpr::createAdd(e, MCConstantExpr::create(v.constant, ctx), ctx);
		return e;
	}
};

mc_emitter &em(void *ctx)
{
	return *(mc_emitter *)ctx;
}

void mc_bytes(void *ctx, const void *p, size_t n)
{
	em(ctx).out.emitBytes(StringRef((const char *)p, n));
}

void mc_fixed(void *ctx, klp_value v, unsigned size)
{
	if (v.a)
		em(ctx).out.emitValue(em(ctx).expr(v), size);
	else
		em(ctx).out.emitIntValue(v.constant, size);
}

void mc_uleb(void *ctx, klp_value v)
{
	if (v.a)
		em(ctx).out.emitULEB128Value(em(ctx).expr(v));
	else
		em(ctx).out.emitULEB128IntValue(v.constant);
}

/* 0 with a ".reloc" against the symbol itself: a plain 8-byte value
 * would become section+offset for a local symbol. */
void mc_addr(void *ctx, klp_label_ref sym)
{
	mc_emitter &e = em(ctx);
	MCSymbol *here = e.ctx.createTempSymbol("klp_addr");

	e.out.emitLabel(here);
	auto err = e.out.emitRelocDirective(*MCSymbolRefExpr::create(here, e.ctx), e.reloc,
		MCSymbolRefExpr::create((const MCSymbol *)sym, e.ctx), SMLoc(), e.sti);
	if (err && err->first && !e.failed) {
		e.ctx.reportError(SMLoc(), "klp: cannot write the address relocation of " +
			((const MCSymbol *)sym)->getName() + " in " KLP_NOTES_SECTION ": " +
			err->second);
		e.failed = true;
	}
	e.out.emitIntValue(0, 8);
}

klp_label_ref mc_new_label(void *ctx)
{
	return em(ctx).ctx.createTempSymbol("klp_note");
}

void mc_place(void *ctx, klp_label_ref label)
{
	em(ctx).out.emitLabel((MCSymbol *)label);
}

void mc_align(void *ctx, unsigned n)
{
#if LLVM_VERSION_MAJOR >= 19
	em(ctx).out.emitValueToAlignment(Align(n));
#else
	em(ctx).out.emitValueToAlignment(n);
#endif
}

} /* namespace */

static klp_value konst(uint64_t c)
{
	return klp_value{ c, nullptr, nullptr };
}

static klp_value sub(MCSymbol *a, MCSymbol *b)
{
	return klp_value{ 0, a, b };
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

/* An object the object file defines: local ones for their positions,
 * global ones for their checksums. */
static bool recorded_object(const GlobalVariable &G)
{
	/* .discard* sections never reach vmlinux or a module (the kernel's
	 * linker scripts drop them) */
	if (G.getSection().substr(0, 8) == ".discard")
		return false;
	return !G.isDeclaration() && !G.hasPrivateLinkage() && !G.hasCommonLinkage() &&
	       !G.hasAvailableExternallyLinkage() &&
	       G.getName().substr(0, 2) != ".L" && G.getName().substr(0, 5) != "llvm." &&
	       G.getSection() != "llvm.metadata";
}

/* clang names a function-local static "<function>.<variable>" */
static bool function_static(const Module &M, StringRef name)
{
	size_t dot = name.find('.');

	return dot != StringRef::npos && dot > 0 && M.getFunction(name.substr(0, dot));
}

/* A function's note, as measure.cc recorded it. */
static sym_note func_note(const klp_emitted &e)
{
	sym_note s;
	klp_symbol_info &i = s.info;

	s.name = e.sym->getName().str();
	i.where = e.begin ? e.begin : e.sym;
	i.kind = KLP_KIND_FUNC;
	if (e.fn->hasLocalLinkage())
		i.flags |= KLP_SYM_LOCAL;
	else if (e.fn->hasWeakLinkage() || e.fn->hasLinkOnceLinkage() ||
		 e.fn->hasExternalWeakLinkage())
		i.flags |= KLP_SYM_WEAK;
	i.flags |= clone_origin(s.name, s.origin);
	if (e.notrace)
		i.flags |= KLP_SYM_NOTRACE;
	i.size = sub(e.end, e.sym);
	i.checksum = e.checksum;
	if (e.site) {
		i.site = sub(e.site, e.sym);
		i.site_kind = e.site_kind;
	} else if (e.pfe && e.pfe_site) {
		/* no profiler call: the patchable nops are the site */
		i.site = sub(e.pfe, e.sym);
		i.site_kind = KLP_SITE_PATCHABLE;
	}
	if (i.site.a && !(i.flags & KLP_SYM_COLD))
		i.flags |= KLP_SYM_SITE;
	else
		i.site = konst(0), i.site_kind = 0;
	if (e.pfe && e.pfe_before) {
		i.has_prefix = true;
		i.prefix = sub(e.sym, e.pfe);
	}
	s.inlined = klp_inlined(*e.fn);
	return s;
}

/* Point the builder's view at the strings the note owns (after the vector
 * of notes stops moving). */
static void link_strings(sym_note &s)
{
	s.info.name = s.name.c_str();
	s.info.origin = s.origin.empty() ? nullptr : s.origin.c_str();
	s.inlined_ptrs.clear();
	for (const std::string &n : s.inlined)
		s.inlined_ptrs.push_back(n.c_str());
	s.info.inlined = s.inlined_ptrs.data();
	s.info.ninlined = s.inlined_ptrs.size();
}

static unsigned unit_flags(AsmPrinter &AP, bool ppc, bool partial)
{
	unsigned flags = 0;

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
	return flags;
}

/*
 * Is G in a section the linker merges?  A constant of 4, 8, 16 or 32
 * bytes, or a string, whose address no code compares (unnamed_addr) goes
 * to .rodata.cst8, .rodata.str1.1 and the like, and the link folds equal
 * ones of different units into one place whatever their names
 * (fs_dtype_by_ftype and ext4_filetype_table in a kernel): the symbol
 * table then has several locals at one address.  Asks the target where
 * G went, as the AsmPrinter did.
 */
static bool in_merged_section(AsmPrinter &AP, const GlobalVariable &G)
{
	const auto *sec = dyn_cast<MCSectionELF>(AP.getObjFileLowering().SectionForGlobal(&G, AP.TM));

	return sec && (sec->getFlags() & ELF::SHF_MERGE);
}

/* A global variable's note. */
static sym_note object_note(const Module &M, AsmPrinter &AP, const GlobalVariable &G)
{
	const DataLayout &DL = M.getDataLayout();
	sym_note s;

	s.name = AP.getSymbol(&G)->getName().str();
	s.info.where = AP.getSymbol(&G);
	s.info.kind = KLP_KIND_OBJECT;
	if (G.hasLocalLinkage())
		s.info.flags = KLP_SYM_LOCAL;
	else if (G.hasWeakLinkage() || G.hasLinkOnceLinkage())
		s.info.flags = KLP_SYM_WEAK;
	if (function_static(M, s.name))
		s.info.flags |= KLP_SYM_FUNC_STATIC;
	s.info.size = konst(DL.getTypeAllocSize(G.getValueType()));
	s.info.mergeable = in_merged_section(AP, G);
	/* all zero (.bss): the size says everything a checksum would */
	if (!G.hasInitializer() || G.getInitializer()->isNullValue())
		s.info.flags |= KLP_SYM_ZERO;
	else
		s.info.checksum = klp_data_checksum(G, DL);
	return s;
}

/*
 * Aliases: the ppc64 call aliases, and alias attributes (the kernel's
 * sched_clock_noinstr): another name at the same address, which the reader
 * must not have to guess between.  Each takes its target's note from notes
 * (size, contents, site and padding).
 */
static void add_alias_notes(const Module &M, AsmPrinter &AP, std::vector<sym_note> &notes)
{
	for (const GlobalAlias &A : M.aliases()) {
		const GlobalValue *target = A.getAliaseeObject();
		bool call_alias = A.getName().find(KLP_ALIAS_INFIX) != StringRef::npos;
		sym_note s;

		if (!target || target->isDeclaration() ||
		    !(isa<Function>(target) || isa<GlobalVariable>(target)))
			continue;
		s.name = AP.getSymbol(&A)->getName().str();
		s.origin = AP.getSymbol(target)->getName().str();
		/* where its target is, also when the alias name is weak and
		 * another definition overrides it (as klp.so does) */
		s.info.where = AP.getSymbol(target);
		s.info.kind = isa<Function>(target) ? KLP_KIND_FUNC : KLP_KIND_OBJECT;
		s.info.flags = KLP_SYM_ALIAS;
		if (!call_alias && A.hasLocalLinkage())
			s.info.flags |= KLP_SYM_LOCAL;
		else if (!call_alias && (A.hasWeakLinkage() || A.hasLinkOnceLinkage()))
			s.info.flags |= KLP_SYM_WEAK;
		for (const sym_note &f : notes) {
			if (f.name != s.origin || f.info.kind != s.info.kind)
				continue;
			s.info.where = f.info.where;
			s.info.size = f.info.size;
			s.info.checksum = f.info.checksum;
			s.info.flags |= f.info.flags & (KLP_SYM_ZERO | KLP_SYM_SITE | KLP_SYM_NOTRACE);
			s.info.site = f.info.site;
			s.info.site_kind = f.info.site_kind;
			s.info.has_prefix = f.info.has_prefix;
			s.info.prefix = f.info.prefix;
		}
		notes.push_back(s);
	}
}

/* The unit's note, with syms, into KLP_NOTES_SECTION through the note
 * builder (include/klp-note-builder.h). */
static void write_unit(Module &M, AsmPrinter &AP, const std::vector<klp_symbol_info> &syms)
{
	MCContext &ctx = AP.OutContext;
	MCStreamer &out = *AP.OutStreamer;
	const DataLayout &DL = M.getDataLayout();
	bool ppc = klp_is_ppc64(M), left_out = klp_left_out(M);
	std::string path = klp_tu_path(M);
	std::string producer = "clang " LLVM_VERSION_STRING;
	klp_unit_info unit = {};

	unit.path = path.c_str();
	unit.producer = producer.c_str();
	unit.flags = left_out ? KLP_UNIT_LEFT_OUT : unit_flags(AP, ppc, klp_inlined_partial(M));
	const char *addr_reloc = "R_X86_64_64";

	unit.machine = left_out ? ELF::EM_386 : ELF::EM_X86_64;
	if (ppc) {
		unit.machine = ELF::EM_PPC64;
		addr_reloc = "R_PPC64_ADDR64";
	} else if (klp_is_s390x(M)) {
		unit.machine = ELF::EM_S390;
		addr_reloc = "R_390_64";
	}
	unit.big_endian = !DL.isLittleEndian();

	mc_emitter me = { out, ctx, *AP.TM.getMCSubtargetInfo(), addr_reloc, false };
	klp_emitter e = { &me, mc_bytes, mc_fixed, mc_uleb, mc_addr, mc_new_label,
			  mc_place, mc_align };
	MCSection *sec = ctx.getELFSection(KLP_NOTES_SECTION, ELF::SHT_PROGBITS, 0);
#if LLVM_VERSION_MAJOR >= 19
	out.pushSection();
	out.switchSection(sec);
#else
	out.PushSection();
	out.SwitchSection(sec);
#endif
	if (klp_build_unit_note(&e, &unit, KLP_PLUGIN_STRING(KLP_PASS_NAME), syms.data(),
				syms.size()))
		ctx.reportError(SMLoc(), "klp: out of memory writing the " KLP_NOTES_SECTION
				" notes");
#if LLVM_VERSION_MAJOR >= 19
	out.popSection();
#else
	out.PopSection();
#endif
}

void klp_emit_notes(Module &M, AsmPrinter &AP, const std::vector<klp_emitted> &funcs)
{
	std::vector<sym_note> notes;
	std::vector<klp_symbol_info> syms;

	/* 32- and 16-bit x86 code: a unit note that says so, and nothing else */
	if (!klp_left_out(M)) {
		for (const klp_emitted &e : funcs)
			if (e.sym && e.end)
				notes.push_back(func_note(e));
		for (const GlobalVariable &G : M.globals())
			if (recorded_object(G))
				notes.push_back(object_note(M, AP, G));
		add_alias_notes(M, AP, notes);
	}
	for (sym_note &s : notes) {
		link_strings(s);
		syms.push_back(s.info);
	}
	write_unit(M, AP, syms);
}
