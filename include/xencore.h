/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xencore.h: the public interface of libxencore, a reader for crash dumps of
 * Xen PV guests (Xen ELF xc_core, as written by `xl dump-core`).
 *
 * Conventions: functions that can fail return a struct xencore_error * (NULL
 * means success) and deliver results through out-parameters named ret, last.
 * Objects are made by a _create or _open function and released by _destroy, which accepts
 * NULL.  On failure, every function that returns an object through ret
 * sets *ret to NULL (it does so on entry), so a failed call's object may
 * be given to _destroy; a struct or count filled through an out-parameter
 * is zeroed on entry (xencore_as_read()'s *done_ret says how far it got).
 * The library never prints and never exits: warnings go to the
 * callback given to xencore_dump_open().
 *
 * Sizes.  A struct the caller allocates (xencore_root, xencore_vcpu,
 * xencore_vcpu_regs, xencore_vtop, xencore_missing, xencore_filter_options,
 * xencore_filter_stats, xencore_session_options) starts with size_t size:
 * set it to sizeof the struct as the program was built (0 means the size
 * it had in release 0.1, this header's).  The library reads and writes only
 * that many bytes of it, so fields added at the end in a later release are
 * never touched in an older program's struct, and a newer program's extra
 * fields are ignored by an older library (left as they were when it fills
 * one).
 * An array of them (xencore_dump_missing()) is indexed by its first
 * element's size.
 *
 * Threads.  Once an object is made, these may be called on it from any
 * number of threads at once (tests/test-threads.c does, under
 * ThreadSanitizer in CI):
 *   a dump: xencore_read_pfn(), xencore_read_mfn(), xencore_has_mfn(),
 *     xencore_dump_info(), xencore_dump_vcpu(), xencore_dump_vcpu_regs(),
 *     xencore_dump_damage(), xencore_dump_missing();
 *   a p2m: xencore_p2m_find(), xencore_p2m_runs(), xencore_p2m_max_pfn(),
 *     xencore_p2m_mfn_to_pfn();
 *   an address space: xencore_as_read(), xencore_as_read_string(),
 *     xencore_as_vtop() (its caches are shared and locked a page at a
 *     time: an address space per thread reads faster).
 * Symbols, VMCOREINFO and a kernel log read with xencore_log_read() do
 * not change once made: their lookups may be shared too.
 * The dump's lazy state (its page index, a p2m's mfn order, an address
 * space's caches) is built under locks by whichever thread needs it
 * first.  The warning callback is called by one thread at a time, from the
 * thread whose call found the problem, possibly with a lock held: it must
 * not call into the library.  Everything else, the _create,
 * _open and _destroy functions above all, is for one thread at a time on
 * the objects it touches: make the objects, share them, join the readers,
 * destroy.  xencore_dump_index_all() changes what xencore_dump_info()
 * says (an HVM guest's max_pfn) and xencore_as_set_p2m() an address
 * space: call them before sharing.  xencore_filter() reads the dump with
 * its own threads; do not run it beside other users of the same dump.
 */
#ifndef XENCORE_H
#define XENCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Errors ------------------------------------------------------------ */

enum xencore_error_code {
	XENCORE_ERROR_NOMEM = 1,	/* out of memory */
	XENCORE_ERROR_OS,		/* a system call failed; see errnum */
	XENCORE_ERROR_FORMAT,		/* the dump is damaged or inconsistent */
	XENCORE_ERROR_UNRECOGNIZED,	/* not a dump format xencore reads */
	XENCORE_ERROR_NOT_AVAILABLE,	/* the dump lacks what was asked for */
	XENCORE_ERROR_NOT_PRESENT,	/* a page is not in the dump */
	XENCORE_ERROR_INVALID_ARGUMENT,	/* the caller asked for something invalid */
	/*
	 * xencore_filter()'s output file cannot be looked up, created or
	 * written; errnum is the failed system call's errno, or 0 (libelf's
	 * own error).  The message leaves out the file's name.
	 */
	XENCORE_ERROR_OUTPUT,
};

/* The one place an error is about, when there is one. */
enum xencore_error_where {
	XENCORE_WHERE_NONE,	/* none: at is 0 */
	XENCORE_WHERE_FILE,	/* a byte offset in the dump file */
	XENCORE_WHERE_PFN,	/* a pseudo-physical frame number */
	XENCORE_WHERE_MFN,	/* a machine frame number */
	XENCORE_WHERE_KVADDR,	/* a guest kernel virtual address */
	XENCORE_WHERE_PHYS,	/* a pseudo-physical address */
	XENCORE_WHERE_MACHINE,	/* a machine address */
};

/*
 * Errors are made by the library and only read by the caller; fields may
 * be added at the end.
 */
struct xencore_error {
	enum xencore_error_code code;
	/*
	 * errno for XENCORE_ERROR_OS (a system call failed, in the library or
	 * in libkdumpfile) and XENCORE_ERROR_OUTPUT, ENOMEM for
	 * XENCORE_ERROR_NOMEM, else 0.
	 */
	int errnum;
	char *message;		/* one line, no trailing newline */
	/*
	 * Where, in the terms of the call that failed: xencore_read_pfn()
	 * the pfn, xencore_read_mfn() the mfn, xencore_as_read() and
	 * xencore_as_read_string() the first address that failed in the
	 * space read, xencore_as_vtop() the virtual address; a failed read of
	 * the dump file itself its offset.
	 */
	enum xencore_error_where where;
	uint64_t at;
};

/*
 * Releases an error returned by any xencore function.  Accepts NULL and the
 * library's static out-of-memory error.
 */
void xencore_error_destroy(struct xencore_error *err);

/* ---- Dumps ------------------------------------------------------------- */

struct xencore_dump;

/* Receives one warning (one line, no newline); arg is the caller's pointer. */
typedef void xencore_warning_fn(void *arg, const char *message);

/*
 * Opens the dump at path and checks its structure: sections, notes, page
 * index.  path "-" is standard input.  A kdump file in makedumpfile's
 * flattened format (makedumpfile -F, xencore filter -o -) is rebuilt
 * first, as makedumpfile -R would, into an unlinked temporary file in
 * $TMPDIR (else /var/tmp); a pipe must hold such a stream.  warn may be
 * NULL.  On success the caller owns *ret and releases it with
 * xencore_dump_destroy().
 */
struct xencore_error *xencore_dump_open(const char *path,
					xencore_warning_fn *warn, void *warn_arg,
					struct xencore_dump **ret);
void xencore_dump_destroy(struct xencore_dump *dump);

struct xencore_dump_info {
	const char *format;	/* "xc_core_elf", "xc_core_legacy", "kdump" */
	/* Read from makedumpfile's flattened format (a kdump file's stream). */
	bool flattened;
	bool hvm;		/* header magic says HVM rather than PV */
	unsigned int guest_bits;	/* 64 or 32 */
	const char *xen_version;	/* "4.17.2", or NULL without the note */
	uint64_t format_version;	/* DUMPCORE_FORMAT_VERSION note, 0 if absent */
	uint64_t nr_vcpus;	/* from the header note */
	uint64_t nr_contexts;	/* vcpu contexts in the dump */
	uint64_t nr_pages;	/* pages in the dump */
	uint64_t page_size;

	bool has_shared_info;	/* the fields below are valid (PV: an HVM guest's
				   arch_shared_info is not its p2m's, and ignored) */
	uint64_t max_pfn;	/* HVM: its highest dumped pfn + 1, once
				   xencore_dump_index_all() ran */
	uint64_t frame_list_list;	/* pfn_to_mfn_frame_list_list */
	uint64_t nmi_reason;
	uint64_t p2m_cr3;
	uint64_t p2m_root_mfn;	/* p2m_cr3 unfolded */
	uint64_t p2m_vaddr;
	uint64_t p2m_generation;
	bool p2m_update_in_progress;	/* p2m_generation is odd */

	bool has_linear_p2m;	/* p2m_cr3 != 0 */
	bool has_tree_p2m;	/* frame_list_list is neither 0 nor ~0 */
	bool has_dump_p2m;	/* the dump has a pfn->mfn table (.xen_p2m, or
				   .xen_pfn for HVM: pfn = mfn) */
	bool has_saved_p2m;	/* a p2m xencore filter saved (kdump files) */

	bool has_dump_level;	/* the file records a dump level (kdump) */
	unsigned int dump_level;	/* makedumpfile -d bits it was written with */

	/* A native export (kdump or ELF): its page tables hold pfns. */
	bool native;

	/*
	 * The dump is damaged (cut short, or its counts disagree with its
	 * sections): what is there is read, xencore_dump_damage() says what
	 * is not.
	 */
	bool damaged;
};

/* Valid until xencore_dump_destroy(). */
const struct xencore_dump_info *xencore_dump_info(const struct xencore_dump *dump);

/*
 * What a damaged dump lacks, one line each ("cut short at 0x1f000 bytes,
 * inside .xen_pages: pages 25-298 of 299 are lost"), *count_ret of them
 * (0 for a sound dump; at most 16).  Valid until xencore_dump_destroy().
 */
const char *const *xencore_dump_damage(const struct xencore_dump *dump, size_t *count_ret);

/* Pages a damaged dump's table lists whose bytes are cut off: a run of them. */
struct xencore_missing {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	uint64_t pfn;		/* the first's (UINT64_MAX in a legacy dump: unknown) */
	uint64_t mfn;		/* the first's */
	uint64_t count;
};

/*
 * The runs of such pages indexed so far (all of them once
 * xencore_dump_index_all() ran), in pfn order: copies up to max into buf
 * and returns how many there are.
 */
size_t xencore_dump_missing(struct xencore_dump *dump, struct xencore_missing *buf, size_t max);

/*
 * Opening reads headers only; the page table (.xen_p2m) is indexed as
 * lookups need it.  This indexes and checks all of it now (a pfn or mfn
 * given to two pages, records out of range), as info and p2m do.
 */
struct xencore_error *xencore_dump_index_all(struct xencore_dump *dump);

/* Registers of one vcpu, from the dump's vcpu_guest_context. */
struct xencore_vcpu {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	uint64_t flags;		/* VGCF_* */
	uint64_t rip;
	uint64_t rsp;
	uint64_t kernel_sp;
	uint64_t cr3;		/* ctrlreg[3] as stored (folded frame) */
	uint64_t cr3_mfn;	/* the page-table root it names */
};

/* Vcpu context index (0 .. nr_contexts-1). */
struct xencore_error *xencore_dump_vcpu(const struct xencore_dump *dump,
					uint64_t index,
					struct xencore_vcpu *ret);

/*
 * All of a vcpu's registers, from its vcpu_guest_context (struct
 * cpu_user_regs, ctrlreg[], the segment bases).  A 32-bit guest's eax ..
 * esp are in rax .. rsp (zero-extended) and r8-r15, the bases are 0.
 */
struct xencore_vcpu_regs {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	unsigned int bits;	/* the guest's width: 64 or 32 */
	uint64_t flags;		/* VGCF_* */
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint16_t cs, ss, ds, es, fs, gs;
	uint64_t fs_base, gs_base_kernel, gs_base_user;
	uint64_t kernel_ss, kernel_sp;
	uint64_t cr[5];		/* ctrlreg[0..4] as stored (a 32-bit PV cr3 folded) */
	uint64_t cr3_mfn;	/* the root cr3 names (HVM: its guest frame) */
	uint64_t user_cr3_mfn;	/* 64-bit PV: the user L4 (ctrlreg[1]), 0 if none */
};

struct xencore_error *xencore_dump_vcpu_regs(const struct xencore_dump *dump,
					     uint64_t index,
					     struct xencore_vcpu_regs *ret);

/* Reads the page with pseudo-physical frame pfn into buf (page_size bytes). */
struct xencore_error *xencore_read_pfn(struct xencore_dump *dump, uint64_t pfn,
				       void *buf);
/* Reads the page with machine frame mfn into buf (page_size bytes). */
struct xencore_error *xencore_read_mfn(struct xencore_dump *dump, uint64_t mfn,
				       void *buf);
/*
 * Whether the page with machine frame mfn is in the dump, in *ret.  Fails
 * (and *ret is false) when finding out needs more of the dump's page table
 * and a record of it is damaged, or memory runs out.
 */
struct xencore_error *xencore_has_mfn(struct xencore_dump *dump, uint64_t mfn, bool *ret);

/* ---- The p2m (pfn -> mfn) ---------------------------------------------- */

enum xencore_p2m_source {
	XENCORE_P2M_AUTO,	/* linear list if published, else the dump's table */
	XENCORE_P2M_LINEAR,	/* the guest's linear list (p2m_cr3, p2m_vaddr) */
	XENCORE_P2M_DUMP,	/* the table the toolstack wrote (.xen_p2m) */
	XENCORE_P2M_TREE,	/* the 3-level frame list (frame_list_list) */
	XENCORE_P2M_KERNEL,	/* xen_p2m_addr/xen_p2m_size read through the kernel */
	XENCORE_P2M_SAVED,	/* the p2m xencore filter saved in a kdump file */
};

/*
 * The source XENCORE_P2M_AUTO picks for this dump and, in *why_ret, one
 * sentence saying why; XENCORE_P2M_AUTO itself when there is none.
 */
enum xencore_p2m_source xencore_p2m_auto_source(const struct xencore_dump *dump,
						const char **why_ret);

/*
 * Checks the linear p2m list the guest published, without walking it: its
 * address range (aligned, canonical, no wrap, outside the hypervisor's range)
 * and that the root table p2m_cr3 names is in the dump.  NULL when the list
 * is usable or when the guest published none.
 */
struct xencore_error *xencore_linear_p2m_check(struct xencore_dump *dump);

/* "auto", "linear", "dump", "tree", "kernel", "saved" */
const char *xencore_p2m_source_name(enum xencore_p2m_source source);
/* The source a name names (as xencore_p2m_source_name() spells it); false if none. */
bool xencore_p2m_source_from_name(const char *name, enum xencore_p2m_source *ret);
/*
 * Every source (never XENCORE_P2M_AUTO), i from 0 to count-1, in the
 * order `xencore check` compares them: the guest's own structures first.
 */
size_t xencore_p2m_source_count(void);
enum xencore_p2m_source xencore_p2m_source_at(size_t i);
/*
 * Whether the dump offers a source (its structures or tables are there; it
 * may still fail to read).  XENCORE_P2M_KERNEL is offered when the caller
 * has the kernel's symbols.
 */
bool xencore_p2m_source_offered(const struct xencore_dump *dump, enum xencore_p2m_source source,
				bool with_symbols);

enum xencore_run_kind {
	XENCORE_RUN_MAPPED,	/* pfn + i -> mfn + i */
	XENCORE_RUN_INVALID,	/* no frame (INVALID_P2M_ENTRY) */
	XENCORE_RUN_UNKNOWN,	/* the p2m page describing it is not in the dump */
	XENCORE_RUN_IDENTITY,	/* IDENTITY_FRAME: pfn + i is machine frame pfn + i */
	XENCORE_RUN_FOREIGN,	/* FOREIGN_FRAME: another domain's mfn + i */
};

/* "mapped", "invalid", "unknown", "identity", "foreign" */
const char *xencore_run_kind_name(enum xencore_run_kind kind);

/* A maximal run of consecutive pfns. */
struct xencore_p2m_run {
	uint64_t pfn;
	uint64_t count;
	uint64_t mfn;		/* first mfn; only for XENCORE_RUN_MAPPED */
	enum xencore_run_kind kind;
};

struct xencore_p2m;

/*
 * Builds the pfn -> mfn map of pfns 0 .. max_pfn-1 from the chosen source.
 * Memory grows with the number of runs, not with max_pfn.  Problems that
 * leave part of the map unknown are reported through the dump's warning
 * callback.  The caller releases *ret with xencore_p2m_destroy(); it must not
 * outlive the dump.
 */
struct xencore_error *xencore_p2m_create(struct xencore_dump *dump,
					 enum xencore_p2m_source source,
					 struct xencore_p2m **ret);
void xencore_p2m_destroy(struct xencore_p2m *p2m);

/* The source actually used (never XENCORE_P2M_AUTO). */
enum xencore_p2m_source xencore_p2m_get_source(const struct xencore_p2m *p2m);
uint64_t xencore_p2m_max_pfn(const struct xencore_p2m *p2m);
/* Runs in pfn order, covering 0 .. max_pfn-1; valid until destroy. */
const struct xencore_p2m_run *xencore_p2m_runs(const struct xencore_p2m *p2m,
					       size_t *nr_ret);
/* The run holding pfn, or NULL if pfn >= max_pfn.  O(log runs). */
const struct xencore_p2m_run *xencore_p2m_find(const struct xencore_p2m *p2m,
					       uint64_t pfn);

struct xencore_as;
struct xencore_symbols;

/*
 * The p2m as the guest kernel sees it: the list at the kernel variable
 * xen_p2m_addr, xen_p2m_size entries long, read through the address space's
 * page tables (Linux arch/x86/xen/p2m.c).  It covers max_pfn pfns (or
 * xen_p2m_size without shared_info); a shorter list leaves the rest unknown,
 * with a warning.  Needs the symbols xen_p2m_addr and xen_p2m_size.
 */
struct xencore_error *xencore_p2m_from_kernel(struct xencore_dump *dump,
					      struct xencore_as *as,
					      const struct xencore_symbols *syms,
					      struct xencore_p2m **ret);

/* Machine frame -> pseudo-physical frame through the p2m; false if unmapped. */
bool xencore_p2m_mfn_to_pfn(struct xencore_p2m *p2m, uint64_t mfn,
			    uint64_t *pfn_ret);

/* ---- Cross-checking the p2m sources ------------------------------------ */

enum xencore_finding_kind {
	XENCORE_FINDING_DISAGREE,	/* sources give these pfns different values */
	XENCORE_FINDING_DUMPED_NOT_LISTED,	/* dumped pages the guest's p2m calls invalid */
	XENCORE_FINDING_LISTED_NOT_DUMPED,	/* pages the guest's p2m maps, not dumped */
	XENCORE_FINDING_MFN_TWICE,	/* one mfn mapped by two pfns */
	XENCORE_FINDING_UNKNOWN,	/* a source cannot say (its pages not dumped) */
	XENCORE_FINDING_GENERATION,	/* odd p2m_generation: update in progress */
	XENCORE_FINDING_MISSING,	/* pages the dump lists whose bytes are cut off */
	XENCORE_FINDING_DROPPED,	/* dumped pages past every source's max_pfn */
};
#define XENCORE_FINDING_KINDS 8

/* "disagree", "dumped-not-listed", ... */
const char *xencore_finding_kind_name(enum xencore_finding_kind kind);

struct xencore_finding {
	enum xencore_finding_kind kind;
	uint64_t pfn;		/* first pfn */
	uint64_t count;		/* pfns (MFN_TWICE: overlapping frames) */
	uint64_t pfn2;		/* MFN_TWICE: the other pfn */
	uint64_t mfn;		/* MFN_TWICE: the first shared mfn; MISSING: the first
				   page's (a legacy dump's: pfn is then ~0, unknown) */
	enum xencore_p2m_source source;	/* UNKNOWN: which source */
};

struct xencore_check;

/*
 * Compares the given p2ms (each built by xencore_p2m_create with a different
 * source) pfn by pfn, through their runs: cost grows with the runs, not with
 * max_pfn.  The guest's own sources (linear, tree) must agree exactly; the
 * dump's table is compared with the first guest source: mapped vs invalid
 * either way is its own finding, IDENTITY/FOREIGN pfns are not dumped by
 * design.  Release with xencore_check_destroy().
 */
struct xencore_error *xencore_check_create(struct xencore_dump *dump,
					   struct xencore_p2m *const *p2ms,
					   size_t nr_p2ms,
					   struct xencore_check **ret);
void xencore_check_destroy(struct xencore_check *check);
/* All findings, in pfn order per kind; valid until destroy. */
const struct xencore_finding *xencore_check_findings(const struct xencore_check *check,
						     size_t *nr_ret);
/*
 * Findings beyond the first 2^20, counted in the totals but not kept (a
 * hostile p2m can make one per run).
 */
uint64_t xencore_check_not_kept(const struct xencore_check *check);
/* Total pfns (or frames, or 1 for GENERATION) found for kind. */
uint64_t xencore_check_total(const struct xencore_check *check,
			     enum xencore_finding_kind kind);

/* ---- Symbols ----------------------------------------------------------- */

struct xencore_symbols;

struct xencore_symbol {
	const char *name;
	uint64_t address;
	uint64_t size;		/* 0 when unknown (System.map) */
	char type;		/* nm letter: T, t, D, d, B, b, R, r, A, W, ... */
};

/*
 * Loads symbols from a vmlinux's ELF symbol table (no DWARF needed) or from
 * an nm-format System.map.  The caller releases *ret with
 * xencore_symbols_destroy().
 */
struct xencore_error *xencore_symbols_from_vmlinux(const char *path,
						   struct xencore_symbols **ret);
struct xencore_error *xencore_symbols_from_system_map(const char *path,
						      struct xencore_symbols **ret);
void xencore_symbols_destroy(struct xencore_symbols *syms);

/* The symbol called name, or NULL.  Valid until destroy. */
const struct xencore_symbol *xencore_symbol_lookup(const struct xencore_symbols *syms,
						   const char *name);
/*
 * The symbol at or below address that best names it (a sized symbol that
 * contains it, else the nearest below), or NULL; *offset_ret = address -
 * symbol address.
 */
const struct xencore_symbol *xencore_symbol_at(const struct xencore_symbols *syms,
					       uint64_t address,
					       uint64_t *offset_ret);
/*
 * Reads bytes that the vmlinux file itself holds at a kernel address (its
 * allocated sections), e.g. its own linux_banner.  NOT_AVAILABLE for a
 * System.map or an address outside the file's sections.
 */
struct xencore_error *xencore_symbols_read_image(const struct xencore_symbols *syms,
						 uint64_t address, void *buf,
						 size_t len);

/* ---- Address translation and reads ------------------------------------- */

enum xencore_addr_space {
	XENCORE_KVADDR,		/* guest (kernel) virtual, through its page tables */
	XENCORE_PHYS,		/* pseudo-physical, through the p2m */
	XENCORE_MACHINE,	/* machine addresses */
};

/* Where the page-table root comes from. */
enum xencore_root_kind {
	XENCORE_ROOT_VCPU,	/* ctrlreg[3] of a vcpu context */
	XENCORE_ROOT_CR3,	/* a cr3 value given by the caller */
	XENCORE_ROOT_SYMBOL,	/* init_top_pgt / swapper_pg_dir through the p2m */
};

struct xencore_root {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	enum xencore_root_kind kind;
	uint64_t value;		/* vcpu index, or cr3 */
};

struct xencore_as;

/*
 * An address space for reads: the dump, its p2m (needed for XENCORE_PHYS,
 * the symbol root and mfn -> pfn), symbols (may be NULL unless the root is a
 * symbol) and the page-table root.  Walked tables are cached.  None of the
 * objects passed may be destroyed before the address space.
 */
struct xencore_error *xencore_as_create(struct xencore_dump *dump,
					struct xencore_p2m *p2m,
					const struct xencore_symbols *syms,
					const struct xencore_root *root,
					struct xencore_as **ret);
void xencore_as_destroy(struct xencore_as *as);
/* Gives the address space a p2m later (e.g. one read through it). */
void xencore_as_set_p2m(struct xencore_as *as, struct xencore_p2m *p2m);
/* The root table's mfn. */
uint64_t xencore_as_root_mfn(const struct xencore_as *as);

/*
 * Reads len bytes at addr in space into buf, across page boundaries whose
 * frames need not be contiguous.  On failure *done_ret says how many bytes
 * were read, and the error names the first address that failed.
 */
struct xencore_error *xencore_as_read(struct xencore_as *as,
				      enum xencore_addr_space space,
				      uint64_t addr, void *buf, size_t len,
				      size_t *done_ret);

/*
 * Reads a NUL-terminated string of at most max bytes at addr, page by page,
 * so an unmapped page after the NUL does not matter.  *len_ret is its length
 * without the NUL (max when none was found); fails only before the NUL.
 */
struct xencore_error *xencore_as_read_string(struct xencore_as *as,
					     enum xencore_addr_space space,
					     uint64_t addr, void *buf, size_t max,
					     size_t *len_ret);

/* One level of a page-table walk. */
struct xencore_vtop_level {
	int level;		/* 4 (root) .. 1 */
	uint64_t table_mfn;
	unsigned int index;
	uint64_t entry;
};

struct xencore_vtop {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	uint64_t vaddr;
	int nr_levels;		/* levels walked */
	struct xencore_vtop_level levels[4];
	uint64_t page_size;	/* 4 KiB, or 2 MiB / 1 GiB for a large page */
	bool large;		/* a PSE entry ended the walk (PV forbids them) */
	uint64_t mfn;		/* the 4 KiB frame holding vaddr */
	uint64_t offset;	/* vaddr's offset in that frame */
	bool has_pfn;
	uint64_t pfn;		/* through the p2m, when it maps mfn */
};

/* Translates a kernel virtual address, recording every level. */
struct xencore_error *xencore_as_vtop(struct xencore_as *as, uint64_t vaddr,
				      struct xencore_vtop *ret);

/* ---- The guest kernel's page metadata: VMCOREINFO and the memmap ------- */

/*
 * VMCOREINFO: the KEY=VALUE lines a Linux kernel keeps in memory for dump
 * tools (kernel/crash_core.c), e.g. "OSRELEASE=6.1.0", "SIZE(page)=64",
 * "SYMBOL(mem_section)=ffff888...", or the same text in a file (as
 * makedumpfile -g writes and -i reads it).
 */
struct xencore_vmcoreinfo;

/* Parses the text (at most 1 MiB; lines without '=' are an error). */
struct xencore_error *xencore_vmcoreinfo_parse(const char *text, size_t len,
					       struct xencore_vmcoreinfo **ret);
struct xencore_error *xencore_vmcoreinfo_from_file(const char *path,
						   struct xencore_vmcoreinfo **ret);
/*
 * Reads the guest kernel's own text through as: the buffer vmcoreinfo_data
 * points at (or is, before Linux 4.15), vmcoreinfo_size bytes of it (at
 * most 4096).  word_size is the guest's pointer size (8 or 4).
 */
struct xencore_error *xencore_vmcoreinfo_read(struct xencore_as *as,
					      const struct xencore_symbols *syms,
					      unsigned int word_size,
					      struct xencore_vmcoreinfo **ret);
void xencore_vmcoreinfo_destroy(struct xencore_vmcoreinfo *vi);
/* The value of key ("OSRELEASE", "SIZE(page)"), or NULL; the first if repeated. */
const char *xencore_vmcoreinfo_get(const struct xencore_vmcoreinfo *vi, const char *key);
/* The entries in text order: count, then key and value of entry i. */
size_t xencore_vmcoreinfo_count(const struct xencore_vmcoreinfo *vi);
void xencore_vmcoreinfo_entry(const struct xencore_vmcoreinfo *vi, size_t i,
			      const char **key_ret, const char **value_ret);
/* Where the text was read (guest virtual address), 0 if from text or a file. */
uint64_t xencore_vmcoreinfo_address(const struct xencore_vmcoreinfo *vi);
/*
 * Without symbols: the first dumped page (in the dump's page order) that
 * holds a VMCOREINFO text, a page starting with "OSRELEASE=" and text up
 * to a NUL (the kernel keeps it in a zeroed page of its own).  Reads every
 * page until it finds one: the cost of the dump's size at worst.
 * NOT_AVAILABLE when no page holds one.
 */
struct xencore_error *xencore_vmcoreinfo_scan(struct xencore_dump *dump,
					      struct xencore_vmcoreinfo **ret);
/*
 * The VMCOREINFO a native export recorded in the file (kdump or ELF
 * written by xencore filter); NOT_AVAILABLE when it has none.
 */
struct xencore_error *xencore_vmcoreinfo_from_dump(struct xencore_dump *dump,
						   struct xencore_vmcoreinfo **ret);
/* The pfn of the page a scan found it on; false when not found by a scan. */
bool xencore_vmcoreinfo_pfn(const struct xencore_vmcoreinfo *vi, uint64_t *pfn_ret);
/* The text as given (up to its first NUL), *len_ret bytes; valid until destroy. */
const char *xencore_vmcoreinfo_text(const struct xencore_vmcoreinfo *vi, size_t *len_ret);

/*
 * What makedumpfile's dump levels drop a page for, decided as
 * makedumpfile's __exclude_unnecessary_pages does for the levels asked
 * (so a page that is both, say, cache and poisoned gets the first reason
 * the levels allow).  HWPOISON and OFFLINE are dropped at every level.
 */
enum xencore_page_class {
	XENCORE_PAGE_KEEP,		/* nothing drops it */
	XENCORE_PAGE_CACHE,		/* page cache without private data (2, 4) */
	XENCORE_PAGE_CACHE_PRIVATE,	/* page cache with private data (4) */
	XENCORE_PAGE_USER,		/* anonymous or hugetlb (8) */
	XENCORE_PAGE_FREE,		/* in the buddy allocator (16) */
	XENCORE_PAGE_HWPOISON,		/* memory failure (always) */
	XENCORE_PAGE_OFFLINE,		/* logically offline (always) */
	XENCORE_PAGE_CLASSES
};

/* "keep", "cache", "cache_private", "user", "free", "hwpoison", "offline". */
const char *xencore_page_class_name(enum xencore_page_class c);

enum xencore_memmap_model {
	XENCORE_MEMMAP_VMEMMAP,		/* SPARSEMEM_VMEMMAP: one virtual array */
	XENCORE_MEMMAP_SPARSEMEM,	/* mem_section[][], a mem_map per section */
	XENCORE_MEMMAP_SPARSEMEM_EXTREME,	/* mem_section roots, then sections */
	XENCORE_MEMMAP_FLATMEM,		/* one mem_map array */
};

struct xencore_memmap_info {
	enum xencore_memmap_model model;
	const char *model_name;		/* "sparsemem-vmemmap", "sparsemem", ... */
	uint64_t base;			/* vmemmap base, mem_section or mem_map */
	bool has_sections;		/* mem_section tells which sections exist */
	unsigned int section_size_bits, max_physmem_bits;
	unsigned int page_struct_size;	/* SIZE(page) */
	unsigned int kernel_major, kernel_minor;	/* from OSRELEASE */
	unsigned int dump_level;	/* the levels it classifies for */
};

struct xencore_memmap;

/*
 * The guest's struct page array as VMCOREINFO describes it, ready to
 * classify pages for dump_level (XENCORE_DL_* bits).  syms may be NULL; with
 * them, a vmemmap_base variable means SPARSEMEM_VMEMMAP.  Fails, naming
 * the missing VMCOREINFO entries, when the levels need what it lacks.
 * Reads go through as (kernel virtual addresses); none of the objects
 * passed may be destroyed before the memmap.
 */
struct xencore_error *xencore_memmap_create(struct xencore_as *as,
					    const struct xencore_vmcoreinfo *vi,
					    const struct xencore_symbols *syms,
					    unsigned int word_size,
					    unsigned int dump_level,
					    struct xencore_memmap **ret);
void xencore_memmap_destroy(struct xencore_memmap *mm);
const struct xencore_memmap_info *xencore_memmap_info(const struct xencore_memmap *mm);
/*
 * The class of pfn.  Calls in increasing pfn order read the struct pages
 * in batches of 512 and carry a compound page's or a buddy block's class
 * over its tail pages; a pfn whose struct page cannot be read (its section
 * absent, or its page not in the dump) is KEEP and counted.  Never fails
 * on guest data; errors are out of memory only.
 */
struct xencore_error *xencore_memmap_classify(struct xencore_memmap *mm, uint64_t pfn,
					      enum xencore_page_class *ret);
/* Pfns classified without a readable struct page so far. */
uint64_t xencore_memmap_unreadable(const struct xencore_memmap *mm);

/* ---- The kernel log (printk) ------------------------------------------- */

/*
 * The guest kernel's log, read from its memory with the layouts VMCOREINFO
 * gives (kernel/printk/printk.c log_buf_vmcoreinfo_setup()): no DWARF.
 */
enum xencore_log_layout {
	XENCORE_LOG_RINGBUFFER,	/* Linux 5.10+: the lockless printk_ringbuffer (prb) */
	XENCORE_LOG_PRINTK_LOG,	/* Linux 3.5 - 5.9: struct printk_log records in log_buf */
};

#define XENCORE_LOG_HAS_SEQ	1	/* seq is the kernel's (printk_log: log_first_seq known) */
#define XENCORE_LOG_HAS_CALLER	2	/* caller_id is there (5.10+, or CONFIG_PRINTK_CALLER) */
#define XENCORE_LOG_TRUNCATED	4	/* text_len said more than the record's block holds */

struct xencore_log_record {
	uint64_t seq;
	uint64_t ts_nsec;	/* local_clock() at printk time */
	uint32_t caller_id;	/* a thread id, or 0x80000000 | cpu */
	uint8_t level;		/* 0 (KERN_EMERG) .. 7 (KERN_DEBUG) */
	uint8_t facility;	/* 0 kernel, 1 user, ... (syslog's) */
	uint8_t flags;		/* the kernel's LOG_NEWLINE 2, LOG_CONT 8 */
	unsigned int has;	/* XENCORE_LOG_* */
	const char *text;	/* text_len bytes, any bytes, not NUL-terminated */
	size_t text_len;
};

struct xencore_log_info {
	enum xencore_log_layout layout;
	const char *layout_name;	/* "printk_ringbuffer" or "printk_log" */
	uint64_t buffer;	/* the text ring's (log_buf's) guest address */
	uint64_t buffer_size;	/* its size in bytes */
	uint64_t records;	/* records read */
	uint64_t skipped;	/* records left out: text not in the dump, or damaged */
};

struct xencore_log;

/*
 * Reads the kernel log through as (kernel virtual addresses), oldest record
 * first, with the layout VMCOREINFO describes; syms (may be NULL) gives
 * log_first_seq for printk_log records.  word_size is the guest's pointer
 * size (8 or 4).  What cannot be read (records in pages not in the dump,
 * damaged records) is left out and reported through warn (may be NULL);
 * an error means no record could be read: VMCOREINFO lacks an entry the
 * layout needs (NOT_AVAILABLE, naming them), or the ring's own header is
 * unreadable or impossible (FORMAT).  Memory is bounded by the ring's
 * declared size, which may be at most 256 MiB.  The caller releases *ret
 * with xencore_log_destroy().
 */
struct xencore_error *xencore_log_read(struct xencore_as *as,
				       const struct xencore_vmcoreinfo *vi,
				       const struct xencore_symbols *syms,
				       unsigned int word_size,
				       xencore_warning_fn *warn, void *warn_arg,
				       struct xencore_log **ret);
void xencore_log_destroy(struct xencore_log *log);
const struct xencore_log_info *xencore_log_info(const struct xencore_log *log);
/* The records in order, *count_ret of them; valid until destroy. */
const struct xencore_log_record *xencore_log_records(const struct xencore_log *log,
						     size_t *count_ret);
/*
 * The last record with a line that starts "Kernel panic - not syncing"
 * (panic()'s message), else the last that holds it anywhere, or NULL;
 * *line_ret and *len_ret give that line (no newline) within its text.
 */
const struct xencore_log_record *xencore_log_panic(const struct xencore_log *log,
						   const char **line_ret, size_t *len_ret);
/*
 * A record as makedumpfile --dump-dmesg prints it: "[%5llu.%06lu] ", the
 * text with each newline followed by the prefix's width of spaces, bytes
 * that are neither printable nor space as \xNN, and a final newline.
 * Writes at most size bytes with a NUL (snprintf's rules) and returns the
 * length the whole line needs.
 */
size_t xencore_log_format(const struct xencore_log_record *rec, char *buf, size_t size);

/* ---- Native export: the guest as a Linux vmcore ------------------------ */

/*
 * What a Linux vmcore of the guest needs besides its pages, for drgn,
 * crash and makedumpfile: the page tables in pseudo-physical frames (a PV
 * guest's hold machine frames), the kernel's VMCOREINFO and utsname, the
 * direct map's base.  Given to xencore_filter(), it makes the kdump and
 * ELF outputs native.
 */
struct xencore_native;

#define XENCORE_UTS_LEN	65	/* struct new_utsname's fields, with the NUL */

struct xencore_native_info {
	bool rewrites_page_tables;	/* PV: the output's page tables hold pfns */
	bool input_native;	/* the input's page tables hold pfns already */
	uint64_t nr_roots;	/* page-table roots walked (vcpus, p2m_cr3, kernel, pgd_list) */
	uint64_t nr_pgd_list;	/* pgds found on the kernel's pgd_list */
	char pgd_list_why[160];	/* why pgd_list was not read, or "" */
	uint64_t nr_tables;	/* page-table pages found (in the dump) */
	uint64_t tables_not_dumped;	/* tables entries name that the dump lacks */
	uint64_t entries_rewritten;	/* present entries whose frame became a pfn */
	uint64_t entries_cleared_xen;	/* entries in Xen's range, made 0 */
	uint64_t entries_cleared_unmapped;	/* frames no pfn maps (foreign, I/O): 0 */

	bool has_vmcoreinfo;	/* the output carries the guest's VMCOREINFO */
	char vmcoreinfo_why[160];	/* why it does not, or "" */
	/* utsname for the kdump header: from init_uts_ns, else OSRELEASE. */
	char sysname[XENCORE_UTS_LEN], nodename[XENCORE_UTS_LEN];
	char release[XENCORE_UTS_LEN], version[XENCORE_UTS_LEN];
	char machine[XENCORE_UTS_LEN], domainname[XENCORE_UTS_LEN];
	const char *utsname_from;	/* "init_uts_ns", "VMCOREINFO", "none" */
	/* The direct map's base (PT_LOAD p_vaddr = it + p_paddr). */
	uint64_t page_offset;
	bool page_offset_checked;	/* confirmed through the guest's page tables */
	/* The kernel image (its own PT_LOAD, as /proc/vmcore has), if known. */
	bool has_kernel_text;
	uint64_t text_pfn, text_pages, text_vaddr;
};

/*
 * Prepares a native export of dump: finds every page-table page (from each
 * vcpu's cr3 and user cr3, p2m_cr3, the kernel's root, and, with symbols
 * and VMCOREINFO, each pgd on the kernel's pgd_list and its user pgd) and
 * what rewriting them clears; reads the utsname.  p2m gives the frames'
 * pfns (required for a PV guest); as reads kernel memory (may be NULL:
 * no kernel root, pgd_list or utsname then); syms and vi may be NULL.  vi
 * is copied into the output unless it disagrees with the symbols or the
 * guest (then has_vmcoreinfo is false and vmcoreinfo_why says why).  A
 * page table met at two levels (also every cycle) is an error.  Release
 * with xencore_native_destroy(); none of the objects given may be
 * destroyed first.
 */
struct xencore_error *xencore_native_create(struct xencore_dump *dump,
					    struct xencore_p2m *p2m,
					    struct xencore_as *as,
					    const struct xencore_symbols *syms,
					    const struct xencore_vmcoreinfo *vi,
					    struct xencore_native **ret);
void xencore_native_destroy(struct xencore_native *native);
const struct xencore_native_info *xencore_native_info(const struct xencore_native *native);

/* ---- Filtering: smaller dumps (makedumpfile -d) ------------------------ */

/* makedumpfile's dump level bits (-d). */
#define XENCORE_DL_ZERO		1	/* pages filled with zeros */
#define XENCORE_DL_CACHE	2	/* page cache without private data */
#define XENCORE_DL_CACHE_PRI	4	/* all page cache */
#define XENCORE_DL_USER		8	/* user (anonymous and hugetlb) pages */
#define XENCORE_DL_FREE		16	/* free (buddy) pages */
#define XENCORE_DL_MAX		31

enum xencore_output_format {
	XENCORE_OUTPUT_KDUMP,	/* kdump-compressed (makedumpfile's diskdump) */
	XENCORE_OUTPUT_XC_CORE,	/* ELF xc_core, as xl dump-core writes it */
	XENCORE_OUTPUT_ELF,	/* an ELF core like /proc/vmcore (needs native) */
};

/*
 * How a kdump output's pages are compressed, each page on its own as
 * makedumpfile does (-c, -l, -p, -z); a page the codec cannot shrink is
 * stored as it is.
 */
enum xencore_compression {
	XENCORE_COMPRESS_ZLIB,	/* zlib, level 1 unless compression_level */
	XENCORE_COMPRESS_NONE,
	XENCORE_COMPRESS_LZO,	/* lzo1x_1 (no levels) */
	XENCORE_COMPRESS_SNAPPY,	/* (no levels) */
	XENCORE_COMPRESS_ZSTD,	/* zstd, level 1 unless compression_level */
};

/* The levels compression_level may name (zlib 1-9, zstd 1-19). */
#define XENCORE_ZLIB_LEVEL_MAX	9
#define XENCORE_ZSTD_LEVEL_MAX	19

/* Progress: done of total pages handled (called from the calling thread). */
typedef void xencore_progress_fn(void *arg, uint64_t done, uint64_t total);
typedef void xencore_exclude_progress_fn(void *arg, uint64_t done, uint64_t total,
					 const uint64_t counts[XENCORE_PAGE_CLASSES]);

struct xencore_filter_stats;

struct xencore_filter_options {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	unsigned int dump_level;	/* XENCORE_DL_* bits */
	enum xencore_output_format format;
	enum xencore_compression compression;	/* kdump only */
	unsigned int threads;		/* compression workers; 0 = 1 */
	/*
	 * Names the pages of a dump that records only machine frames (legacy
	 * xc_core), and is saved in kdump files; may be NULL otherwise.
	 */
	struct xencore_p2m *p2m;
	bool verify;			/* re-read the output, compare every page */
	/*
	 * The guest's memmap: classifies the pages for levels 2, 4, 8 and 16
	 * and drops poisoned and offline pages at any level.  Required for
	 * those bits; NULL at levels 0 and 1 keeps every page but zero ones.
	 */
	struct xencore_memmap *memmap;
	xencore_progress_fn *progress;
	/* The page-type pass, before the copy: counts per class so far. */
	xencore_exclude_progress_fn *exclude_progress;
	void *progress_arg;
	/* Polled between batches; non-zero stops the run (no output left). */
	const volatile int *cancel;
	/*
	 * A native export (kdump and ELF output): the page tables rewritten
	 * to pseudo-physical frames, the guest's VMCOREINFO, NT_PRSTATUS for
	 * every vcpu and its utsname, as a Linux vmcore has them.  NULL
	 * writes the guest's bytes as dumped (not for ELF output).
	 */
	const struct xencore_native *native;
	/*
	 * Called once the output is complete (written, fsync'd and, with
	 * verify, verified), before it is put in place at out_path, with
	 * the stats xencore_filter() will return: false discards the output
	 * and xencore_filter() fails (XENCORE_ERROR_OUTPUT, errnum
	 * ECANCELED).  The CLI prints its summary here, so that a summary it
	 * cannot write leaves no output.  May be NULL.
	 */
	bool (*ready)(void *arg, const struct xencore_filter_stats *stats);
	void *ready_arg;
	/*
	 * zlib and zstd: 1 (fastest, makedumpfile's) to XENCORE_*_LEVEL_MAX;
	 * 0 is level 1.  Must be 0 for the codecs without levels and for
	 * no compression.
	 */
	unsigned int compression_level;
	/*
	 * 0: the output is the file out_path.  A descriptor > 0 (a pipe, say):
	 * the kdump output is written to it in makedumpfile's flattened format
	 * instead (a 4096-byte header, then every write as its big-endian
	 * offset and size and its bytes, then an end marker), which
	 * makedumpfile -R turns back into the kdump file; out_path is then
	 * only the output's name in messages and may be NULL.  kdump output
	 * only, and not with verify (the output cannot be read back);
	 * nothing is fsync'd or put in place, ready is called before the
	 * end marker (false leaves it out), and bytes_out is the size of the
	 * kdump file the stream describes.  The descriptor is not closed.
	 */
	int stream_fd;
};

struct xencore_filter_stats {
	size_t size;		/* sizeof as the caller sees it (see "Sizes") */
	uint64_t pages_read;	/* pages of the input handled */
	uint64_t pages_kept;	/* pages whose contents are in the output */
	uint64_t pages_zero;	/* zero pages dropped (kdump: one shared page) */
	uint64_t pages_excluded;	/* pages dropped for other reasons */
	uint64_t pages_unnamed;	/* legacy pages the p2m gives no pfn (dropped) */
	/* Pages dropped per class by the page-type pass ([KEEP]: kept by it). */
	uint64_t pages_class[XENCORE_PAGE_CLASSES];
	uint64_t pages_no_memmap;	/* kept: their struct page was unreadable */
	uint64_t bytes_in;	/* size of the input file */
	uint64_t bytes_out;	/* size of the output file */
	uint64_t pages_verified;	/* with verify */
	/*
	 * The dump level a kdump output records: the options', ORed with the
	 * level a kdump input records (the pages it left out stay out, as
	 * makedumpfile's refiltering says); zero pages go when it has bit 1.
	 * For xc_core output the options' level.
	 */
	unsigned int dump_level;
	/*
	 * Page-table pages whose frames were rewritten: to pfns for a native
	 * output, back to mfns when a native export is filtered to xc_core.
	 */
	uint64_t pages_rewritten;
	/*
	 * With compression: kept pages stored as they are, because they did
	 * not shrink or, pages_untried of them, were not tried (their bytes
	 * looked random: a flat byte histogram and nothing repeated).
	 */
	uint64_t pages_stored_raw;
	uint64_t pages_untried;
};

/*
 * Writes a smaller copy of dump to out_path: through a temporary file in the
 * same directory, unnamed (O_TMPFILE) where the filesystem has it, else
 * .xencore-XXXXXX, put in place at out_path only when complete (fsync'd,
 * and verified); on any failure nothing is left behind (and where
 * O_TMPFILE works, not even when the process is killed).  Errors about the
 * output file are XENCORE_ERROR_OUTPUT.  out_path is a new name or a
 * regular file; its symbolic links (at most 40) are followed and the file
 * they lead to is replaced (a dangling link's target is created), the links
 * kept.  A device, FIFO, socket or directory, or a link to one, and the dump
 * itself by inode are refused (XENCORE_ERROR_INVALID_ARGUMENT, a message
 * that does not repeat out_path).  stats may be NULL.  With
 * options->stream_fd set, the output goes to that descriptor instead (no
 * file, out_path not looked at).
 */
struct xencore_error *xencore_filter(struct xencore_dump *dump, const char *out_path,
				     const struct xencore_filter_options *options,
				     struct xencore_filter_stats *stats);

/*
 * What xencore_filter() would say of out_path before any work (the output
 * written through symbolic links to the regular file they lead to; a
 * device, FIFO, socket or directory, or the dump at dump_path itself,
 * refused): NULL, or the error, whose message leaves out the path.  A
 * dump_path that cannot be looked up is not compared (opening it fails);
 * "-" is standard input, as for xencore_dump_open().
 */
struct xencore_error *xencore_filter_check_output(const char *out_path, const char *dump_path);

/* ---- The guest session: what the command line holds ---------------- */

/*
 * One guest: the dump, optionally the kernel's symbols and a VMCOREINFO
 * file, and what is built from them on first need with the policy the
 * `xencore` commands use (so a program gets the same answers): the p2m
 * the `auto` source picks (for a dump with no p2m of its own and symbols,
 * the kernel's list; a source that fails falls back to .xen_p2m with a
 * warning), an address space (the options' root, else vcpu 0's, else the
 * kernel's own when the dump holds no vcpu context), the check that the
 * vmlinux is the dump's kernel (linux_banner, warned through warn unless
 * force), and the guest's VMCOREINFO.  Objects the session returns are
 * its own: they live until xencore_session_destroy().
 */
struct xencore_session;

struct xencore_session_options {
	/*
	 * sizeof(struct xencore_session_options) as the caller was built:
	 * fields added later read as zero for older callers.
	 */
	size_t size;
	/*
	 * The kernel's symbols (xencore_symbols_from_vmlinux() or
	 * _from_system_map()), or NULL.  The session takes them over: it
	 * destroys them, also when xencore_session_open() fails.
	 */
	struct xencore_symbols *symbols;
	const char *vmcoreinfo;		/* a VMCOREINFO file, or NULL */
	bool force;			/* no warnings that symbols do not match */
	bool root_given;		/* root below chooses the page tables */
	struct xencore_root root;
	xencore_warning_fn *warn;	/* may be NULL */
	void *warn_arg;
};

/*
 * Opens the dump.  options may be NULL (no symbols, no warnings).  Release
 * with xencore_session_destroy().
 */
struct xencore_error *xencore_session_open(const char *path,
					   const struct xencore_session_options *options,
					   struct xencore_session **ret);
void xencore_session_destroy(struct xencore_session *session);
struct xencore_dump *xencore_session_dump(const struct xencore_session *session);
/* The symbols given, or NULL. */
const struct xencore_symbols *xencore_session_symbols(const struct xencore_session *session);
/*
 * The source `auto` means for this guest, and why: the dump's pick
 * (xencore_p2m_auto_source()), or XENCORE_P2M_KERNEL for a dump without a
 * p2m of its own when the session has symbols.
 */
enum xencore_p2m_source xencore_session_auto_source(const struct xencore_session *session,
						    const char **why_ret);
/*
 * The p2m of the auto source, built on the first call; *ret NULL (and no
 * error) when the dump has no p2m at all (machine reads still work).
 */
struct xencore_error *xencore_session_p2m(struct xencore_session *session,
					  struct xencore_p2m **ret);
/* A new p2m from any source, XENCORE_P2M_KERNEL too; the caller destroys it. */
struct xencore_error *xencore_session_create_p2m(struct xencore_session *session,
						 enum xencore_p2m_source source,
						 struct xencore_p2m **ret);
/*
 * The address space, made on the first call (with symbols, the banner
 * check then); want_p2m also gives it the p2m (pseudo-physical reads and
 * vtop's pfns need it).
 */
struct xencore_error *xencore_session_as(struct xencore_session *session, bool want_p2m,
					 struct xencore_as **ret);
/*
 * Gives the session a p2m the caller made (and destroys, after the
 * session): its address space and the kernel's own root use it, and
 * xencore_session_p2m() returns it, instead of the auto pick.  Only before
 * the session has built its own.
 */
struct xencore_error *xencore_session_use_p2m(struct xencore_session *session,
					      struct xencore_p2m *p2m);
/* The dump's linux_banner as the banner check read it ("" if not read). */
const char *xencore_session_banner(const struct xencore_session *session);
/*
 * The guest's VMCOREINFO, the first way that gives one: the options' file;
 * the text a native export carries ("dump note"); with symbols, the
 * kernel's memory at vmcoreinfo_data ("kernel 0xADDR"); else a scan of the
 * dumped pages for the page holding it ("scan pfn 0xPFN").  *source_ret
 * (may be NULL) says which, and on failure which way failed last ("file",
 * "dump note", "kernel" or "scan").
 */
struct xencore_error *xencore_session_vmcoreinfo(struct xencore_session *session,
						 const struct xencore_vmcoreinfo **ret,
						 const char **source_ret);
/*
 * The memmap (xencore_memmap_create()) for dump_level from the session's
 * VMCOREINFO, after checking (warning unless force) that it was written
 * by the symbols' kernel (SYMBOL(_stext), KERNELOFFSET).  The caller
 * destroys it.
 */
struct xencore_error *xencore_session_memmap(struct xencore_session *session,
					     unsigned int dump_level,
					     struct xencore_memmap **ret);

/* The library version, "MAJOR.MINOR.PATCH". */
const char *xencore_version(void);

#ifdef __cplusplus
}
#endif

#endif /* XENCORE_H */
