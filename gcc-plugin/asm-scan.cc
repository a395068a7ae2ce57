/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * asm-scan.cc - let the assembler measure patch sites, padding and sizes.
 *
 * Where the ftrace site lands (after endbr64, after a ppc64 global-entry
 * TOC setup, after -fpatchable-function-entry nops) is decided deep in
 * each back end's prologue code.  Rather than re-deriving those rules,
 * the plugin redirects asm_out_file to a memory stream for the duration
 * of the "final" pass, then copies the function's text to the real file
 * and inserts ".Lklp_*" labels in front of:
 *   - the profiler call (call __fentry__ / call mcount / bl _mcount),
 *   - the ".size NAME, .-NAME" line of the function and of its .cold part,
 *   - the label of a weak function (its own address, even when overridden).
 * Local labels take no bytes, so the object's code is unchanged; the
 * notes then say ".4byte .Lklp_s3 - NAME" and gas computes the offset.
 * The padding before the symbol is measured from the ".LPFE<n>" label
 * that GCC itself puts in front of -fpatchable-function-entry nops.
 */
#include "klp-plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void klp_asm_capture_begin(struct klp_capture *c)
{
	if (c->stream)	/* previous function never reached final's end */
		return;
	fflush(asm_out_file);
	c->stream = open_memstream(&c->buf, &c->len);
	if (!c->stream) {
		error("klp: cannot capture assembly: %m");
		return;
	}
	c->real_out = asm_out_file;
	asm_out_file = c->stream;
}

/* A line with its terminating newline excluded. */
struct line {
	const char *p;
	size_t len;
};

static bool line_is(struct line l, const char *s1, const char *s2)
{
	size_t n1 = strlen(s1), n2 = strlen(s2);

	return l.len == n1 + n2 && !memcmp(l.p, s1, n1) && !memcmp(l.p + n1, s2, n2);
}

static bool line_has(struct line l, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= l.len; i++)
		if (!memcmp(l.p + i, s, n))
			return true;
	return false;
}

/* "\t.size\tNAME, .-NAME" as ASM_DECLARE_FUNCTION_SIZE prints it
 * (rs6000 leaves out the space after the comma). */
static bool line_is_size_of(struct line l, const char *name)
{
	size_t n = strlen(name);
	const char *p = l.p, *end = l.p + l.len;

	if (l.len < 7 + n || memcmp(p, "\t.size\t", 7) || memcmp(p + 7, name, n))
		return false;
	p += 7 + n;
	if (p >= end || *p++ != ',')
		return false;
	while (p < end && *p == ' ')
		p++;
	return (size_t)(end - p) == n + 2 && !memcmp(p, ".-", 2) && !memcmp(p + 2, name, n);
}

/* The profiler call that ftrace patches, as the back ends print it. */
static unsigned profiler_call_kind(struct line l)
{
	bool call = line_has(l, "call\t") || line_has(l, "call ");

#ifdef KLP_TARGET_S390
	/* s390's -mfentry: "brasl 0,__fentry__", or with -mnop-mcount the
	 * 6-byte "brcl 0,0" that s390_function_profiler announces with this
	 * comment (the kernel's choice since gcc 9); any "1:" label of
	 * -mrecord-mcount between them takes no bytes. */
	if ((line_has(l, "brasl") && line_has(l, "__fentry__")) ||
	    line_has(l, "# NOPs for -mnop-mcount"))
		return KLP_SITE_FENTRY;
	if (line_has(l, "brasl") && line_has(l, "_mcount"))
		return KLP_SITE_MCOUNT;
#endif

	if (call && line_has(l, "__fentry__"))
		return KLP_SITE_FENTRY;
	if (call && line_has(l, "mcount"))
		return KLP_SITE_MCOUNT;
	if (line_has(l, "bl _mcount") || line_has(l, "bl\t_mcount")) {
#ifdef KLP_TARGET_PPC64
		/* -mprofile-kernel calls before the frame is set up */
		if (profile_kernel)
			return KLP_SITE_MPROFILE_KERNEL;
#endif
		return KLP_SITE_MCOUNT;
	}
	return KLP_SITE_NONE;
}

/* -fpatchable-function-entry=N,M or the function's attribute: N > M? */
static bool nops_after_entry(tree decl)
{
	tree attr = lookup_attribute("patchable_function_entry", DECL_ATTRIBUTES(decl));
	unsigned long total = 0, before = 0;

	if (attr && TREE_VALUE(attr)) {
		tree args = TREE_VALUE(attr);

		total = tree_to_uhwi(TREE_VALUE(args));
		if (TREE_CHAIN(args))
			before = tree_to_uhwi(TREE_VALUE(TREE_CHAIN(args)));
	} else if (flag_patchable_function_entry) {
		char *end;

		total = strtoul(flag_patchable_function_entry, &end, 10);
		if (*end == ',')
			before = strtoul(end + 1, NULL, 10);
	}
	return total > before;
}

static bool is_pfe_label(struct line l)
{
	return l.len > 6 && !memcmp(l.p, ".LPFE", 5) && l.p[l.len - 1] == ':';
}

static void put_label(FILE *f, const char *what, int n)
{
	fprintf(f, ".Lklp_%s%d:\n", what, n);
}

/* The captured text from *from up to to, to the real output: the lines
 * go out in runs, broken only where a label is put between two of them. */
static void write_upto(const char **from, const char *to)
{
	if (to > *from)
		fwrite(*from, 1, (size_t)(to - *from), asm_out_file);
	*from = to;
}

/* One function's captured assembly while it is copied out. */
struct asm_scan {
	struct klp_state *st;
	struct klp_func *fn;	/* the function just emitted */
	struct klp_func *cold;	/* filled in if it has a .cold part */
	char *cold_name;	/* NAME.cold, the prefix of its .cold part */
	size_t cold_len;
	bool seen_label;	/* past the function's own label */
	const char *unwritten;	/* first byte not yet copied out */
	struct klp_sections secs;
	/* which part's checksum the lines go to: none before the label */
	struct klp_part_hash hot_hash, cold_hash, *part;
};

/* The entry: a weak function's own label, the padding's .LPFE label, and
 * the patch site (the profiler call, or nops after the entry). */
static void scan_entry(struct asm_scan *s, struct line l)
{
	struct klp_func *fn = s->fn;

	if (!s->seen_label && line_is(l, fn->name, ":")) {
		s->seen_label = true;
		s->part = &s->hot_hash;
		klp_part_hash_start(s->part);
		if (fn->flags & KLP_SYM_WEAK) {
			write_upto(&s->unwritten, l.p);
			fn->begin = klp_next_label(s->st);
			put_label(asm_out_file, "b", fn->begin);
		}
	} else if (!s->seen_label && is_pfe_label(l) && !fn->prefix_label) {
		fn->prefix_label = xstrndup(l.p, l.len - 1);
	} else if (s->seen_label && !fn->site_label) {
		unsigned kind = profiler_call_kind(l);

		if (kind != KLP_SITE_NONE) {
			char buf[32];

			write_upto(&s->unwritten, l.p);
			snprintf(buf, sizeof(buf), ".Lklp_s%d", klp_next_label(s->st));
			fn->site_label = xstrdup(buf);
			fn->site_kind = kind;
			fputs(fn->site_label, asm_out_file);
			fputs(":\n", asm_out_file);
		} else if (is_pfe_label(l)) {
			/* nops only after the entry: they are the site */
			fn->site_label = xstrndup(l.p, l.len - 1);
			fn->site_kind = KLP_SITE_PATCHABLE;
		}
	}
}

/* The .cold part's label, and the ends of both parts. */
static void scan_parts(struct asm_scan *s, struct line l)
{
	struct klp_func *fn = s->fn, *cold = s->cold;

	if (!cold->name && l.len > s->cold_len && !memcmp(l.p, s->cold_name, s->cold_len)
	    && l.p[l.len - 1] == ':' && !memchr(l.p, '\t', l.len)) {
		cold->name = xstrndup(l.p, l.len - 1);
		s->cold_hash.name = cold->name;
		s->part = &s->cold_hash;
		klp_part_hash_start(s->part);
	}
	if (line_is_size_of(l, fn->name)) {
		s->part = NULL;
		write_upto(&s->unwritten, l.p);
		fn->end = klp_next_label(s->st);
		put_label(asm_out_file, "e", fn->end);
	} else if (cold->name && line_is_size_of(l, cold->name)) {
		write_upto(&s->unwritten, l.p);
		cold->end = klp_next_label(s->st);
		put_label(asm_out_file, "e", cold->end);
		s->part = NULL;
	}
}

/* A line into the checksum of the part it belongs to; the part's own
 * label line names it and is not hashed. */
static void scan_hash(struct asm_scan *s, struct line l)
{
	const struct klp_func *fn = s->fn, *cold = s->cold;

	if (s->part && !(l.len && l.p[l.len - 1] == ':' &&
	    (line_is(l, fn->name, ":") || (cold->name && line_is(l, cold->name, ":")))))
		klp_part_hash_line(s->part, l.p, l.len);
}

/* The site, when no profiler call is: the patchable area (what
 * __patchable_function_entries points to) when some of its nops follow
 * the entry.  When all of them precede it, as with x86's CALL_PADDING
 * (=16,16), they are padding, and a function without a profiler call
 * (notrace, or a file built without -pg) has no site. */
static void settle_site(struct klp_func *fn)
{
	if (!fn->site_label && fn->prefix_label && nops_after_entry(current_function_decl)) {
		fn->site_label = xstrdup(fn->prefix_label);
		fn->site_kind = KLP_SITE_PATCHABLE;
	}
	if (fn->site_label)
		fn->flags |= KLP_SYM_SITE;
}

/*
 * After "final": copy the captured text to the real output, inserting our
 * labels, and take each part's checksum on the way.
 */
void klp_asm_capture_end(struct klp_state *st, struct klp_func *fn, struct klp_func *cold)
{
	struct klp_capture *c = &st->capture;
	struct asm_scan s;
	const char *p, *end;

	if (!c->stream)
		return;
	fclose(c->stream);
	c->stream = NULL;
	asm_out_file = c->real_out;

	memset(&s, 0, sizeof(s));
	s.st = st;
	s.fn = fn;
	s.cold = cold;
	s.cold_name = concat(fn->name, ".cold", NULL);
	s.cold_len = strlen(s.cold_name);
	klp_sections_init(&s.secs);
	klp_part_hash_init(&s.hot_hash, fn->name, &s.secs, st->constants);
	klp_part_hash_init(&s.cold_hash, s.cold_name, &s.secs, st->constants);
	p = c->buf;
	end = c->buf + c->len;
	s.unwritten = c->buf;
	while (p < end) {
		const char *nl = (const char *)memchr(p, '\n', end - p);
		struct line l = { p, (size_t)((nl ? nl : end) - p) };

		klp_sections_line(&s.secs, l.p, l.len);
		scan_entry(&s, l);
		scan_parts(&s, l);
		scan_hash(&s, l);
		p = nl ? nl + 1 : end;
	}
	write_upto(&s.unwritten, end);
	settle_site(fn);
	/* The code as compiled, not the source file: the same for a local
	 * compile and one of preprocessed input elsewhere (distcc, ccache's
	 * preprocessor mode), different when the function changes. */
	fn->checksum = s.hot_hash.hash;
	cold->checksum = s.cold_hash.hash;
	klp_part_hash_free(&s.hot_hash);
	klp_part_hash_free(&s.cold_hash);
	klp_sections_free(&s.secs);
	free(s.cold_name);
	free(c->buf);
	c->buf = NULL;
	c->len = 0;
}
