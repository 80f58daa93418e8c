/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kernel.h: what read, vtop, sym and info share: symbols, p2m, address space. */
#ifndef XENCORE_CLI_KERNEL_H
#define XENCORE_CLI_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "xencore.h"

/* Options every kernel-reading command takes (see kernel_option()). */
struct kernel_opts {
	const char *vmlinux;
	const char *system_map;
	const char *vmcoreinfo;	/* --vmcoreinfo (info, filter) */
	bool force;
	bool have_vcpu, have_cr3, kernel_root;
	uint64_t vcpu, cr3;
};

/*
 * An opened guest (the library's session) and the session's objects the
 * command has asked for so far.
 */
struct kernel {
	const char *path;
	struct xencore_session *session;
	struct xencore_dump *dump;
	struct xencore_p2m *p2m;	/* NULL if the dump has no p2m source */
	const struct xencore_symbols *syms;	/* NULL without --vmlinux/--system-map */
	struct xencore_as *as;		/* NULL until kernel_open_as() */
};

/* getopt_long values of the shared options. */
enum {
	OPT_VMLINUX = 0x100,
	OPT_SYSTEM_MAP,
	OPT_FORCE,
	OPT_VCPU,
	OPT_CR3,
	OPT_KERNEL_ROOT,
	OPT_VMCOREINFO,
};

#define KERNEL_LONG_OPTIONS                                                     \
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },                    \
	{ "system-map", required_argument, NULL, OPT_SYSTEM_MAP },              \
	{ "force", no_argument, NULL, OPT_FORCE }

#define VMCOREINFO_LONG_OPTION                                                  \
	{ "vmcoreinfo", required_argument, NULL, OPT_VMCOREINFO }

#define ROOT_LONG_OPTIONS                                                       \
	{ "vcpu", required_argument, NULL, OPT_VCPU },                          \
	{ "cr3", required_argument, NULL, OPT_CR3 },                            \
	{ "kernel-root", no_argument, NULL, OPT_KERNEL_ROOT }

/*
 * Handles one shared option c (with optarg); returns 1 if it was one,
 * 0 if not, -1 after printing a usage error.
 */
int kernel_option(const char *cmd, int c, const char *arg, struct kernel_opts *o);

/* Parses a number: 0x-prefixed hex, or decimal. */
bool parse_u64(const char *s, uint64_t *ret);

/*
 * Loads the symbols and opens the dump at path ("-": standard input; k->path
 * is the name messages give it).  Prints the error and returns EXIT_ERROR
 * on failure, else 0.
 */
int kernel_open(struct kernel *k, const char *path, const struct kernel_opts *o);
/*
 * Creates k->as from the root the options choose (building the p2m when
 * want_p2m or the root needs it), then, with symbols, compares the dump's
 * linux_banner with the vmlinux's: a mismatch warns unless --force.
 */
int kernel_open_as(struct kernel *k, const struct kernel_opts *o, bool want_p2m);
/*
 * The same address space for a native export, with p2m (the filter's, for
 * the symbol root; may be NULL; it must outlive k): a failure is returned,
 * not printed, as the export goes on without one.
 */
struct xencore_error *kernel_try_as(struct kernel *k, const struct kernel_opts *o,
				    struct xencore_p2m *p2m);
void kernel_close(struct kernel *k);

/* The guest kernel's page metadata (info, filter). */
struct kernel_memmap {
	const struct xencore_vmcoreinfo *vi;	/* the session's */
	struct xencore_memmap *mm;
	const char *source;	/* "kernel 0xADDR", "file", "dump note", "scan pfn 0xPFN" */
};

/*
 * The guest kernel's VMCOREINFO: --vmcoreinfo's file, else the text a
 * native export carries, else the kernel's memory (vmcoreinfo_data, with
 * symbols; the address space is opened here if need be), else a scan of
 * the dumped pages; km->source says which.  Returns EXIT_OK with *why_ret
 * set when there is none (the first reason); other return values are
 * errors already printed.
 */
int kernel_find_vmcoreinfo(struct kernel *k, const struct kernel_opts *o,
			   struct kernel_memmap *km, struct xencore_error **why_ret);

/*
 * kernel_find_vmcoreinfo(), then the memmap it describes, classifying for
 * dump_level.  Returns EXIT_OK with *why_ret set (and km->mm NULL, km->vi
 * maybe set) when the dump's page metadata cannot be used: the caller
 * decides whether that is an error; other return values are errors
 * already printed.
 */
int kernel_open_memmap(struct kernel *k, const struct kernel_opts *o, unsigned int dump_level,
		       struct kernel_memmap *km, struct xencore_error **why_ret);
/* The second half of kernel_open_memmap(): km->vi is found already. */
int kernel_memmap_create(struct kernel *k, const struct kernel_opts *o, unsigned int dump_level,
			 struct kernel_memmap *km, struct xencore_error **why_ret);
void kernel_close_memmap(struct kernel_memmap *km);

/*
 * The kernel log through k's address space (opened here if need be), with
 * km->vi's layout.  Warnings (records left out) are printed unless quiet.
 * Returns EXIT_OK with *why_ret set when the log cannot be read; other
 * return values are errors already printed.
 */
int kernel_read_log(struct kernel *k, const struct kernel_opts *o, const struct kernel_memmap *km,
		    bool quiet, struct xencore_log **log_ret, struct xencore_error **why_ret);

/*
 * The source `auto` means for this dump (and why): the library's pick, or,
 * for a dump with no p2m of its own (legacy xc_core) and symbols given, the
 * kernel's list.  XENCORE_P2M_AUTO when there is none.
 */
enum xencore_p2m_source kernel_auto_source(const struct kernel *k,
					   const char **why_ret);

/* "name+0xOFF" for an address a symbol names, in buf; NULL when none does. */
const char *kernel_symbolize(const struct kernel *k, uint64_t addr, char *buf, size_t size);

/*
 * Resolves ADDR, SYMBOL or SYMBOL+OFF.  A symbol wins over a bare hex
 * number that happens to spell a name; *sym_ret is the symbol used (or NULL).
 */
int kernel_resolve(struct kernel *k, const char *cmd, const char *text,
		   uint64_t *addr_ret, const struct xencore_symbol **sym_ret);

#endif /* XENCORE_CLI_KERNEL_H */
