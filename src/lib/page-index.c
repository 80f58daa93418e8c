// SPDX-License-Identifier: LGPL-2.1-or-later
/* page-index.c: pfn -> page and mfn -> page lookup, held as runs, built lazily. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "page-index.h"
#include "runs.h"

/* Records indexed by the first miss; each later miss doubles it. */
#define FIRST_CHUNK	4096
/* Records per read: 64 KiB of {pfn, mfn}. */
#define READ_RECORDS	4096

void page_index_init(struct page_index *index)
{
	memset(index, 0, sizeof(*index));
	pthread_mutex_init(&index->lock, NULL);
	atomic_init(&index->frozen, false);
	index->sorted = true;
	index->pages_present = UINT64_MAX;
	index->missing_sorted = true;
}

void page_index_deinit(struct page_index *index)
{
	free(index->runs);
	free(index->by_pfn);
	free(index->by_mfn);
	free(index->missing);
	pthread_mutex_destroy(&index->lock);
	page_index_init(index);
}

void page_index_set_present(struct page_index *index, uint64_t pages)
{
	index->pages_present = pages;
}

/* A record of a page that is cut off: merged into the last missing run if it continues it. */
static struct xencore_error *add_missing(struct page_index *index, uint64_t pfn, uint64_t mfn,
					 uint64_t page)
{
	index->missing_pages++;
	if (index->nr_missing) {
		struct page_run *last = &index->missing[index->nr_missing - 1];
		if (last->pfn + last->count == pfn && last->mfn + last->count == mfn) {
			last->count++;
			return NULL;
		}
	}
	if (index->nr_missing == index->cap_missing) {
		size_t cap = index->cap_missing ? index->cap_missing * 2 : 16;
		struct page_run *m = realloc(index->missing, cap * sizeof(*m));
		if (!m)
			return &xencore_enomem;
		index->missing = m;
		index->cap_missing = cap;
	}
	index->missing[index->nr_missing++] =
		(struct page_run){ .pfn = pfn, .mfn = mfn, .page = page, .count = 1 };
	index->missing_sorted = index->nr_missing == 1 ||
				(index->missing_sorted &&
				 index->missing[index->nr_missing - 2].pfn < pfn);
	return NULL;
}

static int cmp_pfn(const void *a, const void *b);
static const struct page_run *search(const struct page_run *runs, size_t nr, uint64_t want,
				     bool by_mfn);

/* Under the lock. */
static void sort_missing(struct page_index *index)
{
	if (!index->missing_sorted) {
		qsort(index->missing, index->nr_missing, sizeof(*index->missing), cmp_pfn);
		index->missing_sorted = true;
	}
}

void page_index_find_missing(struct page_index *index, uint64_t pfn, struct page_run *run)
{
	*run = (struct page_run){ 0 };
	pthread_mutex_lock(&index->lock);
	if (index->nr_missing && !index->no_pfn) {
		sort_missing(index);
		const struct page_run *r = search(index->missing, index->nr_missing, pfn, false);
		if (r)
			*run = *r;
	}
	pthread_mutex_unlock(&index->lock);
}

size_t page_index_missing(struct page_index *index, struct page_run *buf, size_t max)
{
	pthread_mutex_lock(&index->lock);
	sort_missing(index);
	size_t n = index->nr_missing;
	if (n && max)
		memcpy(buf, index->missing, (n < max ? n : max) * sizeof(*buf));
	pthread_mutex_unlock(&index->lock);
	return n;
}

void page_index_set_table(struct page_index *index, page_table_read_fn *read,
			  void *arg, const char *name, uint64_t offset,
			  uint64_t entries, enum page_table_kind kind,
			  unsigned int entry_size)
{
	index->kind = kind;
	index->no_pfn = kind == PAGE_TABLE_MFN;
	index->read = read;
	index->read_arg = arg;
	index->name = name;
	index->offset = offset;
	index->entries = entries;
	index->next = 0;
	index->entry_size = entry_size;
	index->chunk = FIRST_CHUNK;
	index->complete = false;
	atomic_store(&index->frozen, false);
}

static struct xencore_error *append(struct page_index *index,
				    const struct page_run *run)
{
	if (index->nr == index->cap) {
		size_t cap = index->cap ? index->cap * 2 : 64;
		struct page_run *runs;
		if (cap > SIZE_MAX / sizeof(*runs))
			return &xencore_enomem;
		runs = realloc(index->runs, cap * sizeof(*runs));
		if (!runs)
			return &xencore_enomem;
		index->runs = runs;
		index->cap = cap;
	}
	index->runs[index->nr++] = *run;
	index->nr_pages += run->count;
	index->sorted = false;
	atomic_store(&index->frozen, false);	/* building, before the dump is shared */
	return NULL;
}

struct xencore_error *page_index_add(struct page_index *index, uint64_t pfn,
				     uint64_t mfn, uint64_t page)
{
	if (index->nr) {
		struct page_run *last = &index->runs[index->nr - 1];
		if (last->page + last->count == page &&
		    last->pfn + last->count == pfn &&
		    last->mfn + last->count == mfn) {
			last->count++;
			index->nr_pages++;
			index->sorted = false;
			atomic_store(&index->frozen, false);
			return NULL;
		}
	}
	struct page_run run = { .pfn = pfn, .mfn = mfn, .page = page, .count = 1 };
	return append(index, &run);
}

struct xencore_error *page_index_add_run(struct page_index *index, uint64_t pfn,
					 uint64_t mfn, uint64_t page, uint64_t count)
{
	if (!count)
		return NULL;
	struct page_run run = { .pfn = pfn, .mfn = mfn, .page = page, .count = count };
	return append(index, &run);
}

/*
 * Indexes records [next, next + n): the hot loop of opening a terabyte dump,
 * so a run is extended in registers and stored once when it ends.
 */
static struct xencore_error *index_records(struct page_index *index, uint64_t n)
{
	unsigned int esize = index->entry_size;
	unsigned char *buf = malloc((size_t)READ_RECORDS * esize);
	if (!buf)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	struct page_run cur = { 0 };
	/* Continue the last run if this chunk carries it on. */
	if (index->nr) {
		cur = index->runs[--index->nr];
		index->nr_pages -= cur.count;
	}
	uint64_t end = index->next + n;
	for (uint64_t i = index->next; i < end && !err; i += READ_RECORDS) {
		size_t k = end - i < READ_RECORDS ? (size_t)(end - i) : READ_RECORDS;
		err = index->read(index->read_arg, buf, k * esize,
				  index->offset + i * esize);
		for (size_t j = 0; j < k && !err; j++) {
			const unsigned char *rec = buf + j * esize;
			uint64_t page = i + j;
			uint64_t pfn, mfn;
			if (index->kind == PAGE_TABLE_MFN) {
				/* No pfn: the page number stands in, never looked up. */
				mfn = esize == 8 ? le64(rec) : le32(rec);
				if (esize == 4 && mfn == UINT32_MAX)
					mfn = UINT64_MAX;
				pfn = mfn == UINT64_MAX ? UINT64_MAX : page;
			} else {
				pfn = le64(rec);
				mfn = index->kind == PAGE_TABLE_P2M ? le64(rec + 8) : pfn;
			}
			if (cur.count && pfn == cur.pfn + cur.count &&
			    mfn == cur.mfn + cur.count && page == cur.page + cur.count &&
			    page < index->pages_present) {
				cur.count++;
				continue;
			}
			/* xg_core.c: a domain that shrank during the dump leaves ~0 records. */
			if (pfn == UINT64_MAX)
				continue;
			if (page >= index->pages_present) {
				/* cut off: known, not readable; a damaged record is not worth an error */
				if (xc_frame_ok(pfn) && xc_frame_ok(mfn))
					err = add_missing(index, pfn, mfn, page);
				continue;
			}
			if (!xc_frame_ok(pfn) || !xc_frame_ok(mfn)) {
				err = xc_error(XENCORE_ERROR_FORMAT,
					       "%s entry %" PRIu64 " (pfn 0x%" PRIx64 ", mfn 0x%" PRIx64 ") is out of range",
					       index->name, page, pfn, mfn);
				break;
			}
			if (cur.count && (err = append(index, &cur)))
				break;
			cur = (struct page_run){ .pfn = pfn, .mfn = mfn, .page = page, .count = 1 };
		}
	}
	if (!err && cur.count)
		err = append(index, &cur);
	free(buf);
	if (!err)
		index->next = end;
	index->sorted = false;
	return err;
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

/* Sorted copies of the runs indexed so far. */
static struct xencore_error *sort_runs(struct page_index *index)
{
	if (index->sorted)
		return NULL;
	size_t nr = index->nr, size = (nr ? nr : 1) * sizeof(struct page_run);
	struct page_run *p = realloc(index->by_pfn, size);
	if (!p)
		return &xencore_enomem;
	index->by_pfn = p;
	p = realloc(index->by_mfn, size);
	if (!p)
		return &xencore_enomem;
	index->by_mfn = p;
	if (nr) {	/* runs is NULL when every record was skipped */
		memcpy(index->by_pfn, index->runs, nr * sizeof(*p));
		memcpy(index->by_mfn, index->runs, nr * sizeof(*p));
	}
	/* The format says ascending pfn; any order is accepted. */
	if (!is_sorted(index->by_pfn, nr, cmp_pfn))
		qsort(index->by_pfn, nr, sizeof(*p), cmp_pfn);
	if (!is_sorted(index->by_mfn, nr, cmp_mfn))
		qsort(index->by_mfn, nr, sizeof(*p), cmp_mfn);
	index->sorted = true;
	return NULL;
}

/* Under the lock. */
static struct xencore_error *complete(struct page_index *index)
{
	struct xencore_error *err;
	if (index->complete)
		return sort_runs(index);
	if (index->read && index->next < index->entries &&
	    (err = index_records(index, index->entries - index->next)))
		return err;
	/* Shrink to fit: a terabyte dump may have grown the array a lot. */
	if (index->nr && index->nr < index->cap) {
		struct page_run *shrunk = realloc(index->runs, index->nr * sizeof(*shrunk));
		if (shrunk) {
			index->runs = shrunk;
			index->cap = index->nr;
		}
	}
	if ((err = sort_runs(index)))
		return err;
	for (size_t i = 1; i < index->nr && !index->no_pfn; i++) {
		const struct page_run *a = &index->by_pfn[i - 1];
		if (a->pfn + a->count > index->by_pfn[i].pfn)
			return xc_error(XENCORE_ERROR_FORMAT,
					"pfn 0x%" PRIx64 " is given to two pages in the dump",
					index->by_pfn[i].pfn);
	}
	for (size_t i = 1; i < index->nr; i++) {
		const struct page_run *a = &index->by_mfn[i - 1];
		if (a->mfn + a->count > index->by_mfn[i].mfn)
			return xc_error(XENCORE_ERROR_FORMAT,
					"mfn 0x%" PRIx64 " is given to two pages in the dump",
					index->by_mfn[i].mfn);
	}
	index->complete = true;
	return NULL;
}

struct xencore_error *page_index_complete(struct page_index *index)
{
	if (atomic_load_explicit(&index->frozen, memory_order_acquire))
		return NULL;
	pthread_mutex_lock(&index->lock);
	struct xencore_error *err = complete(index);
	if (!err)
		err = sort_runs(index);
	if (!err)
		atomic_store_explicit(&index->frozen, true, memory_order_release);
	pthread_mutex_unlock(&index->lock);
	return err;
}

/* The run whose [pfn or mfn, +count) holds want. */
static const struct page_run *search(const struct page_run *runs, size_t nr,
				     uint64_t want, bool by_mfn)
{
	return by_mfn ? RUNS_FIND(struct page_run, runs, nr, mfn, count, want)
		      : RUNS_FIND(struct page_run, runs, nr, pfn, count, want);
}

/* Under the lock. */
static struct xencore_error *find_locked(struct page_index *index, uint64_t want,
					 bool by_mfn, const struct page_run **ret)
{
	*ret = NULL;
	for (;;) {
		struct xencore_error *err = sort_runs(index);
		if (err)
			return err;
		*ret = search(by_mfn ? index->by_mfn : index->by_pfn, index->nr,
			      want, by_mfn);
		if (*ret || index->complete)
			return NULL;
		/* A miss: index the next chunk, or all the rest and check it. */
		uint64_t left = index->entries - index->next;
		if (!index->read || left <= index->chunk)
			err = complete(index);
		else
			err = index_records(index, index->chunk);
		if (err)
			return err;
		index->chunk *= 2;
	}
}

static struct xencore_error *find(struct page_index *index, uint64_t want,
				  bool by_mfn, struct page_run *run)
{
	*run = (struct page_run){ 0 };
	const struct page_run *r;
	if (atomic_load_explicit(&index->frozen, memory_order_acquire)) {
		r = search(by_mfn ? index->by_mfn : index->by_pfn, index->nr, want, by_mfn);
		if (r)
			*run = *r;
		return NULL;
	}
	pthread_mutex_lock(&index->lock);
	struct xencore_error *err = find_locked(index, want, by_mfn, &r);
	if (!err && r)
		*run = *r;
	if (!err && index->complete && index->sorted)
		atomic_store_explicit(&index->frozen, true, memory_order_release);
	pthread_mutex_unlock(&index->lock);
	return err;
}

struct xencore_error *page_index_find_pfn(struct page_index *index, uint64_t pfn,
					  struct page_run *run)
{
	if (index->no_pfn) {
		*run = (struct page_run){ 0 };
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the dump records no pfns: pfn 0x%" PRIx64 " needs the p2m",
				pfn);
	}
	return find(index, pfn, false, run);
}

struct xencore_error *page_index_find_mfn(struct page_index *index, uint64_t mfn,
					  struct page_run *run)
{
	return find(index, mfn, true, run);
}
