// SPDX-License-Identifier: LGPL-2.1-or-later
/* page-index.c: pfn -> page and mfn -> page lookup, held as runs. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "page-index.h"

void page_index_init(struct page_index *index)
{
	memset(index, 0, sizeof(*index));
}

void page_index_deinit(struct page_index *index)
{
	free(index->by_pfn);
	free(index->by_mfn);
	page_index_init(index);
}

struct xencore_error *page_index_add(struct page_index *index, uint64_t pfn,
				     uint64_t mfn, uint64_t page)
{
	if (index->nr) {
		struct page_run *last = &index->by_pfn[index->nr - 1];
		if (last->page + last->count == page &&
		    last->pfn + last->count == pfn &&
		    last->mfn + last->count == mfn) {
			last->count++;
			index->nr_pages++;
			return NULL;
		}
	}
	if (index->nr == index->cap) {
		size_t cap = index->cap ? index->cap * 2 : 64;
		struct page_run *runs;
		if (cap > SIZE_MAX / sizeof(*runs))
			return &xencore_enomem;
		runs = realloc(index->by_pfn, cap * sizeof(*runs));
		if (!runs)
			return &xencore_enomem;
		index->by_pfn = runs;
		index->cap = cap;
	}
	index->by_pfn[index->nr++] = (struct page_run){
		.pfn = pfn, .mfn = mfn, .page = page, .count = 1,
	};
	index->nr_pages++;
	return NULL;
}

static int cmp_pfn(const void *a, const void *b)
{
	const struct page_run *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int cmp_mfn(const void *a, const void *b)
{
	const struct page_run *x = a, *y = b;
	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

static bool is_sorted(const struct page_run *runs, size_t nr,
		      int (*cmp)(const void *, const void *))
{
	for (size_t i = 1; i < nr; i++)
		if (cmp(&runs[i - 1], &runs[i]) > 0)
			return false;
	return true;
}

struct xencore_error *page_index_finish(struct page_index *index)
{
	size_t nr = index->nr;
	if (!nr)
		return NULL;

	/* Shrink to fit: a terabyte dump may have grown the array a lot. */
	struct page_run *shrunk = realloc(index->by_pfn, nr * sizeof(*shrunk));
	if (shrunk) {
		index->by_pfn = shrunk;
		index->cap = nr;
	}
	/* The format says ascending pfn; tolerate any order, never duplicates. */
	if (!is_sorted(index->by_pfn, nr, cmp_pfn))
		qsort(index->by_pfn, nr, sizeof(*index->by_pfn), cmp_pfn);
	for (size_t i = 1; i < nr; i++) {
		const struct page_run *a = &index->by_pfn[i - 1];
		if (a->pfn + a->count > index->by_pfn[i].pfn)
			return xc_error(XENCORE_ERROR_FORMAT,
					"pfn 0x%" PRIx64 " is given to two pages in the dump",
					index->by_pfn[i].pfn);
	}

	index->by_mfn = malloc(nr * sizeof(*index->by_mfn));
	if (!index->by_mfn)
		return &xencore_enomem;
	memcpy(index->by_mfn, index->by_pfn, nr * sizeof(*index->by_mfn));
	if (!is_sorted(index->by_mfn, nr, cmp_mfn))
		qsort(index->by_mfn, nr, sizeof(*index->by_mfn), cmp_mfn);
	for (size_t i = 1; i < nr; i++) {
		const struct page_run *a = &index->by_mfn[i - 1];
		if (a->mfn + a->count > index->by_mfn[i].mfn)
			return xc_error(XENCORE_ERROR_FORMAT,
					"mfn 0x%" PRIx64 " is given to two pages in the dump",
					index->by_mfn[i].mfn);
	}
	return NULL;
}

/* Binary search for the run whose [key, key+count) holds want. */
static const struct page_run *find(const struct page_run *runs, size_t nr,
				   uint64_t want, bool by_mfn)
{
	size_t lo = 0, hi = nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t key = by_mfn ? runs[mid].mfn : runs[mid].pfn;
		if (want < key)
			hi = mid;
		else if (want - key >= runs[mid].count)
			lo = mid + 1;
		else
			return &runs[mid];
	}
	return NULL;
}

const struct page_run *page_index_find_pfn(const struct page_index *index,
					   uint64_t pfn)
{
	return find(index->by_pfn, index->nr, pfn, false);
}

const struct page_run *page_index_find_mfn(const struct page_index *index,
					   uint64_t mfn)
{
	if (!index->by_mfn)
		return NULL;
	return find(index->by_mfn, index->nr, mfn, true);
}
