/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pgtable-x86.h: an address space's translations, virtual -> machine
 * frame, through the page-walk engine (walk.h) and a small TLB.
 */
#ifndef XENCORE_PGTABLE_X86_H
#define XENCORE_PGTABLE_X86_H

#include <stdbool.h>
#include <stdint.h>

#include "walk.h"
#include "xencore.h"

/* Direct-mapped caches: walked tables by mfn, translations by virtual page. */
#define PT_CACHE_BITS	8		/* 256 tables */
#define TLB_SLOTS	1024

struct pt_cache {
	struct walk_tables tables;
	uint64_t tlb_vpage[TLB_SLOTS];
	uint64_t tlb_mfn[TLB_SLOTS];	/* 4 KiB frame of the page */
	bool tlb_valid[TLB_SLOTS];
};

struct xencore_error *pt_cache_init(struct pt_cache *c);
void pt_cache_deinit(struct pt_cache *c);

/*
 * Walks the tables under root_mfn for vaddr (levels: 4 for x86-64, 3 for
 * 32-bit PAE guests, whose top table has 4 entries), filling every level of
 * *ret.  Errors: not canonical, an entry not present, a table not in the
 * dump (XENCORE_ERROR_NOT_PRESENT), a table that is already on the path
 * (a loop, XENCORE_ERROR_FORMAT).  A large page is decoded (walk.h).
 */
struct xencore_error *pt_walk(struct xencore_dump *dump, struct pt_cache *c,
			      uint64_t root_mfn, int levels, uint64_t vaddr,
			      struct xencore_vtop *ret);

/* The 4 KiB frame holding vaddr, through the TLB when it can. */
struct xencore_error *pt_translate(struct xencore_dump *dump, struct pt_cache *c,
				   uint64_t root_mfn, int levels, uint64_t vaddr,
				   uint64_t *mfn_ret);

#endif /* XENCORE_PGTABLE_X86_H */
