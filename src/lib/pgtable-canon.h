/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pgtable-canon.h: a PV guest's page-table pages, found from every root,
 * and their entries rewritten between machine and pseudo-physical frames.
 */
#ifndef XENCORE_PGTABLE_CANON_H
#define XENCORE_PGTABLE_CANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencore.h"

struct xencore_dump;

/* What a table's place says about its entries. */
#define PT_XEN_L4	1	/* 64-bit PV L4: slots 256-271 are Xen's */
#define PT_PAE_ROOT	2	/* PAE PDPT: entries 0-3 only */
#define PT_PAE_XEN_L2	4	/* PAE L2 under PDPT entry 3: 428-511 are Xen's */

/*
 * Xen's part of a guest's address space (public/arch-x86/xen-x86_64.h:
 * HYPERVISOR_VIRT_START .. END = L4 slots 256-271; xen-x86_32.h:
 * HYPERVISOR_VIRT_START_PAE 0xF5800000 = entry 428 of the top L2).
 */
#define PT_XEN_L4_FIRST		256
#define PT_XEN_L4_LAST		271
#define PT_XEN_PAE_L2_FIRST	428

/* One page-table page. */
struct pt_table {
	uint64_t mfn;
	uint64_t pfn;		/* where an output puts its page */
	uint8_t level;		/* 4 (x86-64 root) or 3 (PAE PDPT) .. 1 */
	uint8_t flags;		/* PT_* */
};

/* An entry a native export clears: nothing is lost, it is recorded. */
struct pt_cleared {
	uint64_t pfn;		/* of its table */
	uint32_t index;
	uint32_t level;
	uint64_t entry;		/* as the guest had it */
};

/* Entries rewritten, and cleared (Xen's slots; frames no pfn maps). */
struct pt_counts {
	uint64_t rewritten, cleared_xen, cleared_unmapped;
};

/* The page tables of a guest. */
struct pt_set {
	unsigned int bits;		/* 64 or 32 (PAE) */
	struct pt_table *tables;	/* sorted by mfn (pt_set_find) */
	size_t nr;
	struct pt_cleared *cleared;	/* by table pfn, then index */
	size_t nr_cleared;
	struct pt_counts counts;
	uint64_t not_dumped;		/* tables entries name that are not in the dump */
	struct xencore_p2m *p2m;	/* mfn -> pfn for the rewrite */
};

/* A page-table root to walk from, and what it is for warnings. */
struct pt_root {
	uint64_t mfn;
	char what[48];
};

/*
 * Walks every table under the roots (Xen's slots excepted, large pages
 * ending a walk), rejecting a table met at two levels (which is also
 * every cycle), and records each with its level and the entries a
 * rewrite clears.  Roots not in the dump are skipped with a warning.
 * p2m gives each frame's pfn.  Memory: 16 bytes a table (at most the
 * dump's pages) and 24 a cleared entry (at most PT_MAX_CLEARED).
 */
#define PT_MAX_CLEARED	(UINT64_C(1) << 24)
struct xencore_error *pt_set_build(struct xencore_dump *dump, struct xencore_p2m *p2m,
				   const struct pt_root *roots, size_t nr_roots,
				   struct pt_set *set);
void pt_set_deinit(struct pt_set *set);

/* The table at mfn, or NULL. */
const struct pt_table *pt_set_find(const struct pt_set *set, uint64_t mfn);

/*
 * Rewrites table t's page in place: each present entry's frame mfn -> pfn
 * (flags kept; a large page only where its whole span maps contiguously),
 * entries in Xen's range and present entries whose frame no pfn maps
 * become 0.  Adds to *counts; calls record for each cleared nonzero entry
 * (may be NULL).  Fails only when record does.
 */
typedef struct xencore_error *pt_record_fn(void *arg, const struct pt_cleared *c);
struct xencore_error *pt_canon_page(const struct pt_set *set, const struct pt_table *t,
				    unsigned char *page, struct pt_counts *counts,
				    pt_record_fn *record, void *arg);


/*
 * The other way, for a native export read back (dump->pt_pfn): its table
 * pages and cleared entries, from the file's record (TABLES, CLEARED).
 */
struct pt_table_run {
	uint64_t pfn, count;	/* tables pfn .. pfn+count-1, */
	uint8_t level, flags;	/* all of one level and kind */
};

struct pt_record {
	struct pt_table_run *runs;	/* by pfn, as the notes keep them */
	size_t nr;
	struct pt_cleared *cleared;	/* by pfn, then index */
	size_t nr_cleared;
};

/* Parses dump->native_record (checked when the file was opened). */
struct xencore_error *pt_record_load(const struct xencore_dump *dump, struct pt_record *rec);
void pt_record_deinit(struct pt_record *rec);
/* Whether pfn's page is a table the record lists: *ret says its level and kind. */
bool pt_record_find(const struct pt_record *rec, uint64_t pfn, struct pt_table *ret);
/*
 * Gives table t's page (pfn t->pfn) back the guest's own entries: each
 * present entry's frame pfn -> mfn through the dump's saved p2m, each
 * cleared entry as it was.  The exact inverse of pt_canon_page() with the
 * same p2m.  An entry whose pfn has no mfn is an error (a damaged file).
 */
struct xencore_error *pt_restore_page(struct xencore_dump *dump, const struct pt_record *rec,
				      const struct pt_table *t, unsigned char *page);

#endif /* XENCORE_PGTABLE_CANON_H */
