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

int kernel_open(struct kernel *k, const char *path, const struct kernel_opts *o)
{
	memset(k, 0, sizeof(*k));
	k->path = cli_dump_name(path);
	if (o->vmlinux && o->system_map)
		return cli_usage_error(NULL, "give --vmlinux or --system-map, not both");
	if (o->have_vcpu + o->have_cr3 + o->kernel_root > 1)
		return cli_usage_error(NULL, "--vcpu, --cr3 and --kernel-root choose the root: give one");
	struct xencore_session_options so = {
		.size = sizeof(so),
		.vmcoreinfo = o->vmcoreinfo,
		.force = o->force,
		.warn = print_warning,
		.warn_arg = (void *)k->path,
	};
	/* The root the options choose (one at most: refused above). */
	if (o->have_cr3)
		so.root = (struct xencore_root){ .size = sizeof(so.root), .kind = XENCORE_ROOT_CR3, .value = o->cr3 };
	else if (o->kernel_root)
		so.root = (struct xencore_root){ .size = sizeof(so.root), .kind = XENCORE_ROOT_SYMBOL };
	else if (o->have_vcpu)
		so.root = (struct xencore_root){ .size = sizeof(so.root), .kind = XENCORE_ROOT_VCPU, .value = o->vcpu };
	so.root_given = o->have_cr3 || o->kernel_root || o->have_vcpu;
	struct xencore_error *err = NULL;
	if (o->vmlinux)
		err = xencore_symbols_from_vmlinux(o->vmlinux, &so.symbols);
	else if (o->system_map)
		err = xencore_symbols_from_system_map(o->system_map, &so.symbols);
	if (err) {
		/* The message names the symbol file itself. */
		cli_message(NULL, "%s", err->message);
		xencore_error_destroy(err);
		return EXIT_ERROR;
	}
	const char *name = k->path;
	err = xencore_session_open(path, &so, &k->session);	/* it owns the symbols */
	if (err) {
		kernel_close(k);
		return cli_fail(name, err);
	}
	k->syms = xencore_session_symbols(k->session);
	k->dump = xencore_session_dump(k->session);
	return EXIT_OK;
}

struct xencore_error *kernel_try_as(struct kernel *k, const struct kernel_opts *o,
				    struct xencore_p2m *p2m)
{
	(void)o;	/* the session has the options' root */
	if (k->as)
		return NULL;
	struct xencore_error *err = NULL;
	if (p2m && !k->p2m) {
		err = xencore_session_use_p2m(k->session, p2m);
		if (!err)
			k->p2m = p2m;
	}
	if (!err)
		err = xencore_session_as(k->session, false, &k->as);
	return err;
}

int kernel_open_as(struct kernel *k, const struct kernel_opts *o, bool want_p2m)
{
	(void)o;	/* the session has the options' root (kernel_open()) */
	struct xencore_error *err = xencore_session_as(k->session, want_p2m, &k->as);
	if (!err && want_p2m)
		err = xencore_session_p2m(k->session, &k->p2m);
	if (err)
		return cli_fail(k->path, err);
	return EXIT_OK;
}

enum xencore_p2m_source kernel_auto_source(const struct kernel *k,
					   const char **why_ret)
{
	return xencore_session_auto_source(k->session, why_ret);
}

void kernel_close(struct kernel *k)
{
	xencore_session_destroy(k->session);
	memset(k, 0, sizeof(*k));
}

int kernel_find_vmcoreinfo(struct kernel *k, const struct kernel_opts *o,
			   struct kernel_memmap *km, struct xencore_error **why_ret)
{
	memset(km, 0, sizeof(*km));
	*why_ret = NULL;
	const char *source;
	struct xencore_error *err = xencore_session_vmcoreinfo(k->session, &km->vi, &source);
	if (!err) {
		km->source = source;
		return EXIT_OK;
	}
	if (o->vmcoreinfo) {
		/* The message names the file. */
		cli_message(NULL, "%s", err->message);
		xencore_error_destroy(err);
		return EXIT_ERROR;
	}
	/*
	 * From the kernel's memory: a root that cannot be opened is the
	 * command's error, as for any kernel read (opening it again says why).
	 */
	int rc;
	if (!strcmp(source, "kernel") && !k->as && (rc = kernel_open_as(k, o, false))) {
		xencore_error_destroy(err);
		return rc;
	}
	/* A damaged page in the scan is the dump's error; the rest say why there is none. */
	if (!strcmp(source, "scan") && err->code != XENCORE_ERROR_NOT_AVAILABLE)
		return cli_fail(k->path, err);
	*why_ret = err;
	return EXIT_OK;
}

int kernel_memmap_create(struct kernel *k, const struct kernel_opts *o, unsigned int dump_level,
			 struct kernel_memmap *km, struct xencore_error **why_ret)
{
	int rc;
	*why_ret = NULL;
	if (!k->as && (rc = kernel_open_as(k, o, false)))
		return rc;
	*why_ret = xencore_session_memmap(k->session, dump_level, &km->mm);
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
