/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* page-index.h: pfn -> page and mfn -> page lookup, held as runs, built lazily. */
#ifndef XENCORE_PAGE_INDEX_H
#define XENCORE_PAGE_INDEX_H

#include <pthread.h>
#include <stdatomic.h>
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

/* What one record of the dump's page table holds. */
enum page_table_kind {
	PAGE_TABLE_P2M,		/* {u64 pfn, u64 mfn} (ELF .xen_p2m) */
	PAGE_TABLE_PFN,		/* {u64 pfn}, mfn = pfn (ELF .xen_pfn, HVM) */
	PAGE_TABLE_MFN,		/* {u32 or u64 mfn}, no pfn (legacy xc_core) */
};

/* Reads len bytes of the dump at offset (the dump's checked pread). */
typedef struct xencore_error *page_table_read_fn(void *arg, void *buf,
						 size_t len, uint64_t offset);

/*
 * Built from the dump's own table (.xen_p2m: one record per dumped page):
 * memory grows with the number of runs, lookups are binary searches (crash
 * scans the table linearly for every lookup).  The table is indexed lazily:
 * a lookup that misses indexes the next chunk (doubling), so reading a few
 * kernel pages of a 64 GiB guest does not first read 256 MiB of table.
 * page_index_complete() indexes the rest and rejects a pfn or mfn given to
 * two pages; lookups answer from what is indexed so far until then.
 *
 * Threads: the lookups and page_index_complete() may be called from any
 * number of threads at once.  Until the index is complete they take the
 * lock (a lookup may index more, growing and sorting the arrays); once it
 * is (frozen), the arrays never change again and lookups read them
 * without it.  Building (set_table, add, add_run, set_present) is for the
 * opening thread alone, before the dump is shared.
 */
struct page_index {
	pthread_mutex_t lock;
	atomic_bool frozen;		/* complete and sorted: read without the lock */
	struct page_run *runs;		/* in table order */
	size_t nr, cap;
	struct page_run *by_pfn;	/* runs sorted by pfn */
	struct page_run *by_mfn;	/* runs sorted by mfn */
	bool sorted;			/* by_pfn/by_mfn hold runs[0..nr) */
	bool complete;			/* every record indexed and checked */
	uint64_t nr_pages;		/* pages indexed so far */

	/* The table still to index. */
	page_table_read_fn *read;
	void *read_arg;
	const char *name;		/* ".xen_p2m" */
	uint64_t offset;		/* of record 0 */
	uint64_t entries, next;		/* records in all, next to index */
	enum page_table_kind kind;
	unsigned int entry_size;	/* bytes per record */
	bool no_pfn;			/* records hold no pfns (PAGE_TABLE_MFN) */
	uint64_t chunk;			/* records to index at the next miss */
	/*
	 * A dump cut short: records of pages from pages_present on describe
	 * pages the file no longer holds.  They are kept apart, as runs (page
	 * is the first record's), so a lookup says why such a pfn is missing.
	 */
	uint64_t pages_present;		/* UINT64_MAX: every page is there */
	struct page_run *missing;
	size_t nr_missing, cap_missing;
	uint64_t missing_pages;
	bool missing_sorted;		/* missing is in pfn order */
};

void page_index_init(struct page_index *index);
void page_index_deinit(struct page_index *index);

/* Gives the index a table of records to index on demand. */
void page_index_set_table(struct page_index *index, page_table_read_fn *read,
			  void *arg, const char *name, uint64_t offset,
			  uint64_t entries, enum page_table_kind kind,
			  unsigned int entry_size);

/* Records that dump page `page` holds pfn/mfn (pages in any order). */
struct xencore_error *page_index_add(struct page_index *index, uint64_t pfn,
				     uint64_t mfn, uint64_t page);

/* Records that pages page.. hold pfn.. and mfn.. (count of each). */
struct xencore_error *page_index_add_run(struct page_index *index, uint64_t pfn,
					 uint64_t mfn, uint64_t page, uint64_t count);

/* Records of pages from page on are of pages the file does not hold (cut short). */
void page_index_set_present(struct page_index *index, uint64_t pages);
/*
 * The missing run (a record whose page is cut off) holding pfn, copied to
 * *run (count 0: none); from what is indexed so far.
 */
void page_index_find_missing(struct page_index *index, uint64_t pfn, struct page_run *run);
/* The missing runs in pfn order, copied (at most max): how many there are. */
size_t page_index_missing(struct page_index *index, struct page_run *buf, size_t max);

/* Indexes every remaining record, sorts, rejects a pfn or mfn given twice. */
struct xencore_error *page_index_complete(struct page_index *index);

/*
 * The run holding pfn (or mfn), copied to *run; count 0 if no dumped page
 * has it.  Indexes more of the table as needed.  Errors: a damaged record;
 * a pfn lookup in a dump that records no pfns (XENCORE_ERROR_NOT_AVAILABLE).
 */
struct xencore_error *page_index_find_pfn(struct page_index *index, uint64_t pfn,
					  struct page_run *run);
struct xencore_error *page_index_find_mfn(struct page_index *index, uint64_t mfn,
					  struct page_run *run);

#endif /* XENCORE_PAGE_INDEX_H */
