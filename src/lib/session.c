// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * session.c: the guest as one object: the dump, the kernel's symbols, the
 * p2m the `auto` policy picks, an address space, the guest's VMCOREINFO,
 * and the checks that the symbols are this kernel's.  What `xencore` does
 * before every command is here, so a program using the library gets the
 * answers the command line gives (drgn's program object plays this part).
 */
#include <config.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "xencore.h"

struct xencore_session {
	struct xencore_dump *dump;
	struct xencore_symbols *syms;
	struct xencore_p2m *p2m;	/* the auto pick, built on first need */
	bool p2m_tried;			/* NULL p2m after a try: the dump has none */
	bool p2m_borrowed;		/* p2m is the caller's (xencore_session_use_p2m()) */
	struct xencore_as *as;		/* built on first need */
	struct xencore_vmcoreinfo *vi;
	char vi_source[64];
	bool force;
	struct xencore_root root;
	bool root_given;
	char *vmcoreinfo_path;
	char banner[512];
};

/* The options a caller built for an older (shorter) struct: the rest zero. */
static void copy_options(const struct xencore_session_options *in,
			 struct xencore_session_options *out)
{
	memset(out, 0, sizeof(*out));
	if (!in)
		return;
	size_t n = in->size < sizeof(*out) ? in->size : sizeof(*out);
	memcpy(out, in, n);
}

struct xencore_error *xencore_session_open(const char *path,
					   const struct xencore_session_options *options,
					   struct xencore_session **ret)
{
	*ret = NULL;
	if (options && options->size < offsetof(struct xencore_session_options, symbols) +
					 sizeof(options->symbols)) {
		/*
		 * A size no build had (every one has the symbols): refused, and
		 * the symbols released all the same, as the header promises.
		 */
		xencore_symbols_destroy(options->symbols);
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"xencore_session_options.size is %zu: set it to the struct's size",
				options->size);
	}
	struct xencore_session_options o;
	copy_options(options, &o);
	struct xencore_session *s = calloc(1, sizeof(*s));
	if (!s) {
		xencore_symbols_destroy(o.symbols);	/* ours, whatever happens */
		return &xencore_enomem;
	}
	s->syms = o.symbols;
	s->force = o.force;
	s->root = o.root;
	s->root_given = o.root_given;
	struct xencore_error *err = NULL;
	if (o.vmcoreinfo && !(s->vmcoreinfo_path = strdup(o.vmcoreinfo)))
		err = &xencore_enomem;
	if (!err)
		err = xencore_dump_open(path, o.warn, o.warn_arg, &s->dump);
	if (err) {
		xencore_session_destroy(s);
		return err;
	}
	*ret = s;
	return NULL;
}

void xencore_session_destroy(struct xencore_session *s)
{
	if (!s)
		return;
	xencore_vmcoreinfo_destroy(s->vi);
	xencore_as_destroy(s->as);
	if (!s->p2m_borrowed)
		xencore_p2m_destroy(s->p2m);
	xencore_symbols_destroy(s->syms);
	xencore_dump_destroy(s->dump);
	free(s->vmcoreinfo_path);
	free(s);
}

struct xencore_dump *xencore_session_dump(const struct xencore_session *s)
{
	return s->dump;
}

const struct xencore_symbols *xencore_session_symbols(const struct xencore_session *s)
{
	return s->syms;
}

enum xencore_p2m_source xencore_session_auto_source(const struct xencore_session *s,
						    const char **why_ret)
{
	enum xencore_p2m_source src = xencore_p2m_auto_source(s->dump, why_ret);
	if (src == XENCORE_P2M_AUTO && s->syms) {
		*why_ret = "the dump has no p2m of its own; the kernel's list (xen_p2m_addr) is read through its page tables";
		return XENCORE_P2M_KERNEL;
	}
	return src;
}

/* The page-table root: the options', else vcpu 0's, else the kernel's own. */
static struct xencore_root session_root(const struct xencore_session *s)
{
	if (s->root_given)
		return s->root;
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	if (!xencore_dump_info(s->dump)->nr_contexts && s->syms)
		root.kind = XENCORE_ROOT_SYMBOL;	/* no vcpu context to ask */
	return root;
}

/* First line only, for a message. */
static void one_line(char *t)
{
	t[strcspn(t, "\n")] = '\0';
}

/*
 * crash refuses a vmlinux whose linux_banner differs from the dump's
 * ("vmlinux and dump do not match"); the session warns, unless force.
 */
static void check_banner(struct xencore_session *s)
{
	const struct xencore_symbol *sym = xencore_symbol_lookup(s->syms, "linux_banner");
	if (!sym || !s->as)
		return;
	size_t len;
	struct xencore_error *err = xencore_as_read_string(s->as, XENCORE_KVADDR, sym->address,
							   s->banner, sizeof(s->banner) - 1, &len);
	s->banner[err ? 0 : len] = '\0';
	xencore_error_destroy(err);
	if (err || !len) {
		if (!s->force)
			xc_warn(s->dump, "cannot read linux_banner at 0x%" PRIx64 " from the dump",
				sym->address);
		s->banner[0] = '\0';
		return;
	}
	char image[sizeof(s->banner)];
	len = strlen(s->banner) + 1;
	err = xencore_symbols_read_image(s->syms, sym->address, image, len);
	if (err) {
		/* A System.map holds no bytes; or linux_banner's are not in this vmlinux. */
		xencore_error_destroy(err);
		return;
	}
	image[len - 1] = '\0';
	if (strcmp(image, s->banner) && !s->force) {
		char a[sizeof(s->banner)];
		memcpy(a, s->banner, sizeof(a));
		one_line(a);
		one_line(image);
		xc_warn(s->dump, "vmlinux and dump do not match: the dump says '%s', the vmlinux says '%s' (--force silences this)",
			a, image);
	}
}

/* The p2m the auto policy picks; a broken source falls back, loudly, to .xen_p2m. */
static struct xencore_error *build_p2m(struct xencore_session *s)
{
	const char *why;
	struct xencore_error *err;
	if (xencore_session_auto_source(s, &why) == XENCORE_P2M_KERNEL && s->as)
		err = xencore_p2m_from_kernel(s->dump, s->as, s->syms, &s->p2m);
	else
		err = xencore_p2m_create(s->dump, XENCORE_P2M_AUTO, &s->p2m);
	if (err && err->code != XENCORE_ERROR_NOT_AVAILABLE &&
	    xencore_dump_info(s->dump)->has_dump_p2m) {
		/* A broken linear list must not stop reads. */
		xc_warn(s->dump, "%s; using the dump's p2m table", err->message);
		xencore_error_destroy(err);
		err = xencore_p2m_create(s->dump, XENCORE_P2M_DUMP, &s->p2m);
	}
	if (err && err->code == XENCORE_ERROR_NOT_AVAILABLE) {
		xencore_error_destroy(err);
		err = NULL;	/* no p2m: machine reads still work */
	}
	return err;
}

struct xencore_error *xencore_session_p2m(struct xencore_session *s, struct xencore_p2m **ret)
{
	*ret = NULL;
	if (!s->p2m_tried) {
		struct xencore_error *err = build_p2m(s);
		if (err)
			return err;	/* tried again next time */
		s->p2m_tried = true;
		if (s->as && s->p2m)
			xencore_as_set_p2m(s->as, s->p2m);
	}
	*ret = s->p2m;
	return NULL;
}

struct xencore_error *xencore_session_as(struct xencore_session *s, bool want_p2m,
					 struct xencore_as **ret)
{
	*ret = NULL;
	struct xencore_error *err;
	struct xencore_p2m *p2m;
	if (!s->as) {
		struct xencore_root root = session_root(s);
		/* The symbol root needs the p2m first; the others take it afterwards. */
		if (root.kind == XENCORE_ROOT_SYMBOL && (err = xencore_session_p2m(s, &p2m)))
			return err;
		if ((err = xencore_as_create(s->dump, s->p2m, s->syms, &root, &s->as)))
			return err;
		if (s->syms)
			check_banner(s);
	}
	/* Pseudo-physical reads and vtop's pfns need the p2m. */
	if (want_p2m && (err = xencore_session_p2m(s, &p2m)))
		return err;
	*ret = s->as;
	return NULL;
}

struct xencore_error *xencore_session_use_p2m(struct xencore_session *s, struct xencore_p2m *p2m)
{
	if (s->p2m_tried)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"the session has its p2m already");
	s->p2m = p2m;
	s->p2m_tried = true;
	s->p2m_borrowed = true;
	if (s->as && p2m)
		xencore_as_set_p2m(s->as, p2m);
	return NULL;
}

const char *xencore_session_banner(const struct xencore_session *s)
{
	return s->banner;
}

struct xencore_error *xencore_session_create_p2m(struct xencore_session *s,
						 enum xencore_p2m_source source,
						 struct xencore_p2m **ret)
{
	*ret = NULL;
	if (source == XENCORE_P2M_AUTO) {
		const char *why;
		source = xencore_session_auto_source(s, &why);
	}
	if (source != XENCORE_P2M_KERNEL)
		return xencore_p2m_create(s->dump, source, ret);
	if (!s->syms)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"the kernel's p2m needs its symbols (--vmlinux or --system-map)");
	struct xencore_as *as;
	struct xencore_error *err = xencore_session_as(s, false, &as);
	if (err)
		return err;
	return xencore_p2m_from_kernel(s->dump, as, s->syms, ret);
}

/*
 * The kernel that wrote the VMCOREINFO must be the symbols' (a relocated
 * or other kernel would put every symbol elsewhere): its SYMBOL(_stext) and
 * KERNELOFFSET against the symbols' _stext.  Xen PV kernels are not
 * relocated, so KERNELOFFSET is 0 when they match.
 */
/* A VMCOREINFO hex value: 1 to 16 hex digits and nothing else (no sign, no space). */
static bool hex_value(const char *t, uint64_t *v)
{
	size_t n = strlen(t);
	if (!n || n > 16 || strspn(t, "0123456789abcdefABCDEF") != n)
		return false;
	*v = strtoull(t, NULL, 16);
	return true;
}

static void check_stext(struct xencore_session *s)
{
	if (s->force)
		return;
	const char *text = xencore_vmcoreinfo_get(s->vi, "SYMBOL(_stext)");
	const char *off = xencore_vmcoreinfo_get(s->vi, "KERNELOFFSET");
	const struct xencore_symbol *sym = s->syms ? xencore_symbol_lookup(s->syms, "_stext") : NULL;
	uint64_t v;
	/* Guest data: printed as the number it is, never echoed. */
	if (off && strcmp(off, "0")) {
		if (!hex_value(off, &v))
			xc_warn(s->dump, "VMCOREINFO's KERNELOFFSET is not a hex number: symbol addresses may not be this kernel's");
		else if (v)
			xc_warn(s->dump, "VMCOREINFO says the kernel was relocated by 0x%" PRIx64 " (KERNELOFFSET): symbol addresses may not be this kernel's",
				v);
	}
	if (text && sym && hex_value(text, &v) && v != sym->address)
		xc_warn(s->dump, "VMCOREINFO's _stext is 0x%" PRIx64 ", the symbols' 0x%" PRIx64 ": they are not this kernel's (--force silences this)",
			v, sym->address);
}

/*
 * The first way that gives a VMCOREINFO (see xencore.h); s->vi_source
 * names the way tried last, also when it failed.
 */
static struct xencore_error *find_vmcoreinfo(struct xencore_session *s)
{
	struct xencore_error *err;
	if (s->vmcoreinfo_path) {
		snprintf(s->vi_source, sizeof(s->vi_source), "file");
		return xencore_vmcoreinfo_from_file(s->vmcoreinfo_path, &s->vi);
	}
	/* A native export carries the text it was made with. */
	snprintf(s->vi_source, sizeof(s->vi_source), "dump note");
	err = xencore_vmcoreinfo_from_dump(s->dump, &s->vi);
	if (!err || err->code != XENCORE_ERROR_NOT_AVAILABLE)
		return err;
	xencore_error_destroy(err);
	if (s->syms) {
		snprintf(s->vi_source, sizeof(s->vi_source), "kernel");
		struct xencore_as *as;
		if ((err = xencore_session_as(s, false, &as)))
			return err;
		unsigned int word = xencore_dump_info(s->dump)->guest_bits / 8;
		if ((err = xencore_vmcoreinfo_read(as, s->syms, word, &s->vi)))
			return err;
		snprintf(s->vi_source, sizeof(s->vi_source), "kernel 0x%" PRIx64,
			 xencore_vmcoreinfo_address(s->vi));
		return NULL;
	}
	/* No symbols at all: the page that holds it. */
	snprintf(s->vi_source, sizeof(s->vi_source), "scan");
	if ((err = xencore_vmcoreinfo_scan(s->dump, &s->vi)))
		return err;
	uint64_t pfn;
	if (xencore_vmcoreinfo_pfn(s->vi, &pfn))
		snprintf(s->vi_source, sizeof(s->vi_source), "scan pfn 0x%" PRIx64, pfn);
	return NULL;
}

struct xencore_error *xencore_session_vmcoreinfo(struct xencore_session *s,
						 const struct xencore_vmcoreinfo **ret,
						 const char **source_ret)
{
	*ret = NULL;
	struct xencore_error *err = s->vi ? NULL : find_vmcoreinfo(s);
	if (source_ret)
		*source_ret = s->vi_source;
	if (err)
		return err;
	*ret = s->vi;
	return NULL;
}

struct xencore_error *xencore_session_memmap(struct xencore_session *s, unsigned int dump_level,
					     struct xencore_memmap **ret)
{
	*ret = NULL;
	const struct xencore_vmcoreinfo *vi;
	struct xencore_as *as;
	struct xencore_error *err;
	if ((err = xencore_session_vmcoreinfo(s, &vi, NULL)) ||
	    (err = xencore_session_as(s, false, &as)))
		return err;
	check_stext(s);
	unsigned int word = xencore_dump_info(s->dump)->guest_bits / 8;
	return xencore_memmap_create(as, vi, s->syms, word, dump_level, ret);
}
