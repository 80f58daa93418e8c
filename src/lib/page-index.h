/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* page-index.h: pfn -> page and mfn -> page lookup, held as runs. */
#ifndef XENCORE_PAGE_INDEX_H
#define XENCORE_PAGE_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencore.h"

/* Pages page .. page+count-1 of the dump hold pfn.. and mfn.. (both +1 each). */
struct page_run {
	uint64_t pfn;
	uint64_t mfn;
	uint64_t page;
	uint64_t count;
};

/*
 * Built once from the dump's own table (.xen_p2m): memory grows with the
 * number of runs, lookups are binary searches (crash scans the table linearly
 * for every lookup; a terabyte guest makes that unusable).
 */
struct page_index {
	struct page_run *by_pfn;	/* sorted by pfn */
	struct page_run *by_mfn;	/* the same runs sorted by mfn */
	size_t nr, cap;
	uint64_t nr_pages;		/* pages indexed */
};

void page_index_init(struct page_index *index);
void page_index_deinit(struct page_index *index);

/* Records that dump page `page` holds pfn/mfn; call in page order. */
struct xencore_error *page_index_add(struct page_index *index, uint64_t pfn,
				     uint64_t mfn, uint64_t page);

/* Sorts, rejects a pfn or mfn given to two pages, builds the mfn order. */
struct xencore_error *page_index_finish(struct page_index *index);

/* The run holding pfn (or mfn), or NULL. */
const struct page_run *page_index_find_pfn(const struct page_index *index,
					   uint64_t pfn);
const struct page_run *page_index_find_mfn(const struct page_index *index,
					   uint64_t mfn);

#endif /* XENCORE_PAGE_INDEX_H */
