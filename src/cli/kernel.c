// SPDX-License-Identifier: LGPL-2.1-or-later
/* kernel.c: what read, vtop, sym and info share: symbols, p2m, address space. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kernel.h"

bool parse_u64(const char *s, uint64_t *ret)
{
	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

int kernel_option(const char *cmd, int c, const char *arg, struct kernel_opts *o)
{
	switch (c) {
	case OPT_VMLINUX:
		o->vmlinux = arg;
		return 1;
	case OPT_SYSTEM_MAP:
		o->system_map = arg;
		return 1;
	case OPT_FORCE:
		o->force = true;
		return 1;
	case OPT_VCPU:
		if (!parse_u64(arg, &o->vcpu)) {
			cli_usage_error(cmd, "--vcpu wants a number, not '%s'", arg);
			return -1;
		}
		o->have_vcpu = true;
		return 1;
	case OPT_CR3:
		if (!parse_u64(arg, &o->cr3)) {
			cli_usage_error(cmd, "--cr3 wants a number, not '%s'", arg);
			return -1;
		}
		o->have_cr3 = true;
		return 1;
	case OPT_KERNEL_ROOT:
		o->kernel_root = true;
		return 1;
	case OPT_VMCOREINFO:
		o->vmcoreinfo = arg;
		return 1;
	default:
		return 0;
	}
}

static void print_warning(void *arg, const char *message)
{
	cli_message(arg, "warning: %s", message);
}

/* The NUL-terminated string at addr (at most size-1 bytes); false if unreadable. */
static bool read_string(struct xencore_as *as, uint64_t addr, char *buf,
			size_t size)
{
	size_t len;
	struct xencore_error *err = xencore_as_read_string(as, XENCORE_KVADDR, addr,
							   buf, size - 1, &len);
	buf[err ? 0 : len] = '\0';
	xencore_error_destroy(err);
	return !err && len > 0;
}

/* Shortens a banner for a message: first line only. */
static void one_line(char *s)
{
	s[strcspn(s, "\n")] = '\0';
}

/*
 * crash refuses a vmlinux whose linux_banner differs from the dump's ("vmlinux
 * and dump do not match"); xencore warns, and --force silences it.
 */
static void check_banner(struct kernel *k, const struct kernel_opts *o)
{
	const struct xencore_symbol *sym = xencore_symbol_lookup(k->syms, "linux_banner");
	if (!sym || !k->as)
		return;
	char image[sizeof(k->banner)];
	if (!read_string(k->as, sym->address, k->banner, sizeof(k->banner))) {
		if (!o->force)
			cli_message(k->path, "warning: cannot read linux_banner at 0x%" PRIx64 " from the dump",
				    sym->address);
		k->banner[0] = '\0';
		return;
	}
	if (!o->vmlinux)
		return;		/* a System.map holds no bytes to compare */
	size_t len = strlen(k->banner) + 1;
	struct xencore_error *err = xencore_symbols_read_image(k->syms, sym->address,
							       image, len);
	if (err) {
		xencore_error_destroy(err);
		return;		/* linux_banner's bytes are not in this vmlinux */
	}
	image[len - 1] = '\0';
	if (strcmp(image, k->banner) && !o->force) {
		char a[sizeof(k->banner)];
		memcpy(a, k->banner, sizeof(a));
		one_line(a);
		one_line(image);
		cli_message(k->path, "warning: vmlinux and dump do not match: the dump says '%s', the vmlinux says '%s' (--force silences this)",
			    a, image);
	}
}

int kernel_open(struct kernel *k, const char *path, const struct kernel_opts *o)
{
	memset(k, 0, sizeof(*k));
	k->path = path;
	struct xencore_error *err = NULL;
	if (o->vmlinux && o->system_map)
		return cli_usage_error(NULL, "give --vmlinux or --system-map, not both");
	if (o->vmlinux)
		err = xencore_symbols_from_vmlinux(o->vmlinux, &k->syms);
	else if (o->system_map)
		err = xencore_symbols_from_system_map(o->system_map, &k->syms);
	if (err) {
		/* The message names the symbol file itself. */
		cli_message(NULL, "%s", err->message);
		xencore_error_destroy(err);
		return EXIT_ERROR;
	}
	err = xencore_dump_open(path, print_warning, (void *)path, &k->dump);
	if (err) {
		kernel_close(k);
		return cli_fail(path, err);
	}
	return EXIT_OK;
}

/*
 * The p2m, built on first need (a terabyte guest's takes a quarter second):
 * the dump's best source, else, for a dump without one (legacy xc_core),
 * the kernel's own list read through the address space.
 */
static int need_p2m(struct kernel *k)
{
	if (k->p2m)
		return EXIT_OK;
	const char *why;
	struct xencore_error *err;
	if (kernel_auto_source(k, &why) == XENCORE_P2M_KERNEL && k->as)
		err = xencore_p2m_from_kernel(k->dump, k->as, k->syms, &k->p2m);
	else
		err = xencore_p2m_create(k->dump, XENCORE_P2M_AUTO, &k->p2m);
	if (err && err->code != XENCORE_ERROR_NOT_AVAILABLE &&
	    xencore_dump_info(k->dump)->has_dump_p2m) {
		/* A broken linear list must not stop reads: fall back, loudly. */
		cli_message(k->path, "warning: %s; using the dump's p2m table", err->message);
		xencore_error_destroy(err);
		err = xencore_p2m_create(k->dump, XENCORE_P2M_DUMP, &k->p2m);
	}
	if (err) {
		if (err->code == XENCORE_ERROR_NOT_AVAILABLE) {
			xencore_error_destroy(err);
			return EXIT_OK;	/* no p2m: machine reads still work */
		}
		return cli_fail(k->path, err);
	}
	return EXIT_OK;
}

/* The page-table root the options choose: vcpu 0's cr3 unless told otherwise. */
static struct xencore_root choose_root(const struct kernel *k, const struct kernel_opts *o)
{
	struct xencore_root root = { .kind = XENCORE_ROOT_VCPU, .value = 0 };
	if (o->have_cr3) {
		root.kind = XENCORE_ROOT_CR3;
		root.value = o->cr3;
	} else if (o->kernel_root) {
		root.kind = XENCORE_ROOT_SYMBOL;
	} else if (o->have_vcpu) {
		root.value = o->vcpu;
	} else if (!xencore_dump_info(k->dump)->nr_contexts && k->syms) {
		root.kind = XENCORE_ROOT_SYMBOL;	/* no vcpu context to ask */
	}
	return root;
}

struct xencore_error *kernel_try_as(struct kernel *k, const struct kernel_opts *o,
				    struct xencore_p2m *p2m)
{
	if (k->as)
		return NULL;
	struct xencore_root root = choose_root(k, o);
	struct xencore_error *err = xencore_as_create(k->dump, p2m, k->syms, &root, &k->as);
	if (!err && k->syms)
		check_banner(k, o);
	return err;
}

int kernel_open_as(struct kernel *k, const struct kernel_opts *o, bool want_p2m)
{
	int chosen = o->have_vcpu + o->have_cr3 + o->kernel_root;
	if (chosen > 1)
		return cli_usage_error(NULL, "--vcpu, --cr3 and --kernel-root choose the root: give one");
	struct xencore_root root = choose_root(k, o);
	/* The symbol root needs the p2m first; the others take it afterwards. */
	if (root.kind == XENCORE_ROOT_SYMBOL) {
		int rc = need_p2m(k);
		if (rc)
			return rc;
	}
	struct xencore_error *err = xencore_as_create(k->dump, k->p2m, k->syms,
						      &root, &k->as);
	if (err)
		return cli_fail(k->path, err);
	/* Pseudo-physical reads and vtop's pfns need the p2m. */
	if (want_p2m && !k->p2m) {
		int rc = need_p2m(k);
		if (rc)
			return rc;
		xencore_as_set_p2m(k->as, k->p2m);
	}
	if (k->syms)
		check_banner(k, o);
	return EXIT_OK;
}

enum xencore_p2m_source kernel_auto_source(const struct kernel *k,
					   const char **why_ret)
{
	enum xencore_p2m_source s = xencore_p2m_auto_source(k->dump, why_ret);
	if (s == XENCORE_P2M_AUTO && k->syms) {
		*why_ret = "the dump has no p2m of its own; the kernel's list (xen_p2m_addr) is read through its page tables";
		return XENCORE_P2M_KERNEL;
	}
	return s;
}

void kernel_close(struct kernel *k)
{
	xencore_as_destroy(k->as);
	xencore_p2m_destroy(k->p2m);
	xencore_symbols_destroy(k->syms);
	xencore_dump_destroy(k->dump);
	memset(k, 0, sizeof(*k));
}

/*
 * The kernel that wrote the VMCOREINFO must be the symbols' (a relocated
 * or other kernel would put every symbol elsewhere): its SYMBOL(_stext) and
 * KERNELOFFSET against the symbols' _stext.  Xen PV kernels are not
 * relocated, so KERNELOFFSET is 0 when they match.
 */
static void check_stext(struct kernel *k, const struct kernel_opts *o,
			const struct xencore_vmcoreinfo *vi)
{
	const char *text = xencore_vmcoreinfo_get(vi, "SYMBOL(_stext)");
	const char *off = xencore_vmcoreinfo_get(vi, "KERNELOFFSET");
	const struct xencore_symbol *sym = k->syms ? xencore_symbol_lookup(k->syms, "_stext") : NULL;
	if (o->force)
		return;
	uint64_t v;
	char hex[32];
	/* Guest data: printed as the number it is, never echoed. */
	if (off && strcmp(off, "0")) {
		if (snprintf(hex, sizeof(hex), "0x%s", off) >= (int)sizeof(hex) || !parse_u64(hex, &v))
			cli_message(k->path, "warning: VMCOREINFO's KERNELOFFSET is not a hex number: symbol addresses may not be this kernel's");
		else if (v)
			cli_message(k->path, "warning: VMCOREINFO says the kernel was relocated by 0x%" PRIx64 " (KERNELOFFSET): symbol addresses may not be this kernel's",
				    v);
	}
	if (!text || !sym || snprintf(hex, sizeof(hex), "0x%s", text) >= (int)sizeof(hex) ||
	    !parse_u64(hex, &v))
		return;
	if (v != sym->address)
		cli_message(k->path, "warning: VMCOREINFO's _stext is 0x%" PRIx64 ", the symbols' 0x%" PRIx64 ": they are not this kernel's (--force silences this)",
			    v, sym->address);
}

/*
 * VMCOREINFO from the kernel's memory through its symbols (vmcoreinfo_data);
 * the address space is opened here if need be.
 */
static int vmcoreinfo_from_kernel(struct kernel *k, const struct kernel_opts *o,
				  struct kernel_memmap *km, struct xencore_error **why_ret)
{
	if (!k->as) {
		int rc = kernel_open_as(k, o, false);
		if (rc)
			return rc;
	}
	unsigned int word = xencore_dump_info(k->dump)->guest_bits / 8;
	struct xencore_error *err = xencore_vmcoreinfo_read(k->as, k->syms, word, &km->vi);
	if (err) {
		*why_ret = err;
		return EXIT_OK;
	}
	snprintf(km->source, sizeof(km->source), "kernel 0x%" PRIx64,
		 xencore_vmcoreinfo_address(km->vi));
	return EXIT_OK;
}

int kernel_find_vmcoreinfo(struct kernel *k, const struct kernel_opts *o,
			   struct kernel_memmap *km, struct xencore_error **why_ret)
{
	memset(km, 0, sizeof(*km));
	*why_ret = NULL;
	struct xencore_error *err;
	if (o->vmcoreinfo) {
		err = xencore_vmcoreinfo_from_file(o->vmcoreinfo, &km->vi);
		if (err) {
			/* The message names the file. */
			cli_message(NULL, "%s", err->message);
			xencore_error_destroy(err);
			return EXIT_ERROR;
		}
		snprintf(km->source, sizeof(km->source), "file");
		return EXIT_OK;
	}
	/* A native export carries the text it was made with. */
	err = xencore_vmcoreinfo_from_dump(k->dump, &km->vi);
	if (!err) {
		snprintf(km->source, sizeof(km->source), "dump note");
		return EXIT_OK;
	}
	if (err->code != XENCORE_ERROR_NOT_AVAILABLE) {
		*why_ret = err;
		return EXIT_OK;
	}
	xencore_error_destroy(err);
	if (k->syms)
		return vmcoreinfo_from_kernel(k, o, km, why_ret);
	/* No symbols at all: the page that holds it. */
	err = xencore_vmcoreinfo_scan(k->dump, &km->vi);
	if (err && err->code != XENCORE_ERROR_NOT_AVAILABLE)
		return cli_fail(k->path, err);	/* a damaged page: the dump's error */
	if (err) {
		*why_ret = err;
		return EXIT_OK;
	}
	uint64_t pfn;
	if (xencore_vmcoreinfo_pfn(km->vi, &pfn))
		snprintf(km->source, sizeof(km->source), "scan pfn 0x%" PRIx64, pfn);
	else
		snprintf(km->source, sizeof(km->source), "scan");
	return EXIT_OK;
}

int kernel_memmap_create(struct kernel *k, const struct kernel_opts *o, unsigned int dump_level,
			 struct kernel_memmap *km, struct xencore_error **why_ret)
{
	int rc;
	*why_ret = NULL;
	if (!k->as && (rc = kernel_open_as(k, o, false)))
		return rc;
	check_stext(k, o, km->vi);
	unsigned int word = xencore_dump_info(k->dump)->guest_bits / 8;
	*why_ret = xencore_memmap_create(k->as, km->vi, k->syms, word, dump_level, &km->mm);
	return EXIT_OK;
}

int kernel_open_memmap(struct kernel *k, const struct kernel_opts *o, unsigned int dump_level,
		       struct kernel_memmap *km, struct xencore_error **why_ret)
{
	int rc = kernel_find_vmcoreinfo(k, o, km, why_ret);
	if (rc || *why_ret)
		return rc;
	return kernel_memmap_create(k, o, dump_level, km, why_ret);
}

void kernel_close_memmap(struct kernel_memmap *km)
{
	xencore_memmap_destroy(km->mm);
	xencore_vmcoreinfo_destroy(km->vi);
	memset(km, 0, sizeof(*km));
}

static void log_warning(void *arg, const char *message)
{
	cli_message(arg, "warning: %s", message);
}

int kernel_read_log(struct kernel *k, const struct kernel_opts *o, const struct kernel_memmap *km,
		    bool quiet, struct xencore_log **log_ret, struct xencore_error **why_ret)
{
	*log_ret = NULL;
	*why_ret = NULL;
	int rc;
	if (!k->as && (rc = kernel_open_as(k, o, false)))
		return rc;
	unsigned int word = xencore_dump_info(k->dump)->guest_bits / 8;
	*why_ret = xencore_log_read(k->as, km->vi, k->syms, word, quiet ? NULL : log_warning,
				    (void *)k->path, log_ret);
	return EXIT_OK;
}

const char *kernel_symbolize(const struct kernel *k, uint64_t addr, char *buf, size_t size)
{
	uint64_t off;
	const struct xencore_symbol *sym = k->syms ? xencore_symbol_at(k->syms, addr, &off) : NULL;
	/*
	 * The nearest symbol below names an address only near it: inside a
	 * sized symbol; for a System.map's, within 1 MiB of a function or a
	 * page of an object (a vmalloc stack is not
	 * "fixed_percpu_data+0xffffc8ff...", a .bss stack not "clear_seq+0x1fe0").
	 */
	bool text = sym && sym->type && strchr("TtWw", sym->type);
	if (!sym || off >= (sym->size ? sym->size : text ? UINT64_C(1) << 20 : 4096))
		return NULL;
	snprintf(buf, size, "%s+0x%" PRIx64, sym->name, off);
	return buf;
}

int kernel_resolve(struct kernel *k, const char *cmd, const char *text,
		   uint64_t *addr_ret, const struct xencore_symbol **sym_ret)
{
	*sym_ret = NULL;
	char name[1024];
	uint64_t off = 0;
	const char *plus = strchr(text, '+');
	size_t len = plus ? (size_t)(plus - text) : strlen(text);
	if (len < sizeof(name)) {
		memcpy(name, text, len);
		name[len] = '\0';
		const struct xencore_symbol *sym =
			k->syms ? xencore_symbol_lookup(k->syms, name) : NULL;
		if (sym) {
			if (plus && !parse_u64(plus + 1, &off))
				return cli_usage_error(cmd, "bad offset in '%s'", text);
			*sym_ret = sym;
			*addr_ret = sym->address + off;
			return EXIT_OK;
		}
	}
	if (parse_u64(text, addr_ret))
		return EXIT_OK;
	/* crash takes bare hex addresses too. */
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 16);
	if (!errno && *text && !*end && isxdigit((unsigned char)*text)) {
		*addr_ret = v;
		return EXIT_OK;
	}
	if (!k->syms)
		return cli_usage_error(cmd, "'%s' is not an address (symbols need --vmlinux or --system-map)",
				       text);
	cli_message(k->path, "unknown symbol '%s'", name);
	return EXIT_ERROR;
}
