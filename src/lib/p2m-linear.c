// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-linear.c: rebuilding the p2m from the guest's virtually mapped list. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "p2m-priv.h"
#include "walk.h"
#include "x86.h"

/*
 * Linux (3.19+, arch/x86/xen/p2m.c) keeps pfn -> mfn as an array of
 * unsigned long at p2m_vaddr, mapped by the page tables rooted at p2m_cr3,
 * and publishes both in arch_shared_info (Xen public/arch-x86/xen.h).  Runs
 * of absent p2m pages map one shared page of ~0 (p2m_missing) and whole
 * 1 GiB chunks one shared L1 table (p2m_missing_pte): the same frame shows up
 * many times, which is normal and is what the memos below make cheap.
 *
 * The walk is a flat loop over the list's byte range: each step descends
 * from the root for the current address with the page-walk engine (walk.h:
 * decoding, table cache, loop rule) and consumes one L1 table's worth of
 * the list, one large page's, or the span of one entry that is not present
 * or not dumped.  Nothing recurses on dump data and every step advances, so
 * the walk ends.
 */

#define PTE_SIZE	8			/* x86-64 and PAE entries alike */
#define TABLE_BITS	4			/* 16 tables cached: a path is 4 */
#define BATCH_PAGES	64			/* leaf pages read at once: 256 KiB, stays in L2 */
#define MEMO_SIZE	8
#define MAX_WARNINGS	16
/* Entry visits before the walk gives up: far beyond any real guest. */
#define WORK_LIMIT	(UINT64_C(1) << 34)

/* Bytes of list address space that one entry at level l maps. */
static inline uint64_t span(int level)
{
	return UINT64_C(1) << walk_shift(level);
}

/* A small set of frames known to map nothing but one kind (invalid/unknown). */
struct memo {
	uint64_t mfn[MEMO_SIZE];
	enum xencore_run_kind kind[MEMO_SIZE];
	unsigned int nr, next;
};

static bool memo_find(const struct memo *m, uint64_t mfn,
		      enum xencore_run_kind *kind_ret)
{
	for (unsigned int i = 0; i < m->nr; i++) {
		if (m->mfn[i] == mfn) {
			*kind_ret = m->kind[i];
			return true;
		}
	}
	return false;
}

static void memo_add(struct memo *m, uint64_t mfn, enum xencore_run_kind kind)
{
	enum xencore_run_kind k;
	if (memo_find(m, mfn, &k))
		return;
	m->mfn[m->next] = mfn;
	m->kind[m->next] = kind;
	m->next = (m->next + 1) % MEMO_SIZE;
	if (m->nr < MEMO_SIZE)
		m->nr++;
}

struct lwalk {
	struct xencore_dump *dump;
	struct run_builder *b;
	uint64_t start;			/* p2m_vaddr */
	uint64_t len;			/* bytes: word * max_pfn */
	unsigned int word;		/* p2m entry: 8 (64-bit), 4 (32-bit) */
	int levels;			/* 4 (x86-64) or 3 (PAE) */
	uint64_t root;			/* p2m_cr3's table */
	struct walk_tables tables;
	struct memo leaf_memo;		/* leaf p2m pages of all ~0 */
	struct memo l1_memo;		/* L1 tables mapping one kind only */
	unsigned char *batch;		/* BATCH_PAGES leaf pages */
	uint64_t work;
	unsigned int warnings;
	unsigned int large;		/* large-page entries read through */
};

static struct xencore_error *emit(struct lwalk *w, enum xencore_run_kind kind,
				  uint64_t off, uint64_t bytes, uint64_t mfn)
{
	return run_builder_add(w->b, kind, off / w->word, mfn, bytes / w->word);
}

/* Marks [off, off+bytes) unknown and says why (the first few times). */
static struct xencore_error *unknown(struct lwalk *w, uint64_t off,
				     uint64_t bytes, const char *why,
				     uint64_t what)
{
	if (w->warnings++ < MAX_WARNINGS)
		xc_warn(w->dump,
			"p2m list: pfns 0x%" PRIx64 "-0x%" PRIx64 " unknown: %s 0x%" PRIx64,
			off / w->word, (off + bytes) / w->word - 1, why, what);
	return emit(w, XENCORE_RUN_UNKNOWN, off, bytes, 0);
}

static bool all_invalid(const unsigned char *page)
{
	/* ~0 in every entry, whatever the entry size. */
	for (size_t i = 0; i < X86_PAGE_SIZE; i += 8)
		if (le64(page + i) != UINT64_MAX)
			return false;
	return true;
}

/*
 * Where one step's leaf p2m pages are: the entries of the L1 table the
 * descend stopped at, or a large page, whose frames follow its first.
 */
struct leaves {
	const struct walk_path *path;
	const unsigned char *l1;	/* NULL: a large page */
	uint64_t va, mfn;		/* a large page: the frame of the page at va */
};

/*
 * The machine frame of the leaf page at list address va: false when its
 * entry is not present.  A native export's entry whose pfn has no mfn
 * gives a frame no page has, so that it reads as not dumped.
 */
static inline bool leaf_mfn(const struct lwalk *w, const struct leaves *l, uint64_t va,
		     uint64_t *mfn_ret)
{
	if (!l->l1) {
		*mfn_ret = l->mfn + ((va >> X86_PAGE_SHIFT) - (l->va >> X86_PAGE_SHIFT));
		return true;
	}
	struct walk_entry d = walk_decode(w->levels, 1, le64(l->l1 + PTE_SIZE * walk_index(va, 1)));
	if (d.kind == WALK_ABSENT)
		return false;
	struct xencore_error *err = xc_table_frame(w->dump, d.frame, mfn_ret);
	if (err) {
		xencore_error_destroy(err);
		*mfn_ret = UINT64_MAX;
	}
	return true;
}

/*
 * Consumes [off, off+bytes), which lies within the span of one L1 table or
 * one large page: its leaf p2m pages.  Leaf pages that sit next to each
 * other in the file are read with one pread.  Sets *uniform to the kind if
 * everything came out one kind (for the memo), else to -1.
 */
static struct xencore_error *walk_leaves(struct lwalk *w, const struct leaves *l,
					 uint64_t off, uint64_t bytes, int *uniform)
{
	struct xencore_error *err;
	uint64_t end = off + bytes;
	int kind_seen = -2;	/* -2 nothing yet, -1 mixed */
#define SEEN(k) (kind_seen = (kind_seen == -2 || kind_seen == (int)(k)) ? (int)(k) : -1)

	while (off < end) {
		uint64_t va = w->start + off;
		uint64_t chunk = X86_PAGE_SIZE - (va & (X86_PAGE_SIZE - 1));
		if (chunk > end - off)
			chunk = end - off;
		uint64_t mfn;
		enum xencore_run_kind memo_kind;
		w->work++;

		if (!leaf_mfn(w, l, va, &mfn)) {
			SEEN(XENCORE_RUN_UNKNOWN);
			if ((err = unknown(w, off, chunk, "L1 entry not present for list address", va)))
				return err;
			off += chunk;
			continue;
		}
		/* A table is never also a data page (Xen's page types): a p2m
		   page that is a table of its own walk is a forged list. */
		int level = walk_path_level(l->path, mfn);
		if (level)
			return xc_error(XENCORE_ERROR_FORMAT,
					"p2m list: the p2m page for pfns from 0x%" PRIx64 " (mfn 0x%" PRIx64 ") is the list's own L%d page table",
					off / w->word, mfn, level);
		if (memo_find(&w->leaf_memo, mfn, &memo_kind)) {
			SEEN(memo_kind);
			if ((err = emit(w, memo_kind, off, chunk, 0)))
				return err;
			off += chunk;
			continue;
		}
		struct page_run run;
		if ((err = page_index_find_mfn(&w->dump->index, mfn, &run)))
			return err;
		if (!run.count) {
			SEEN(XENCORE_RUN_UNKNOWN);
			if ((err = unknown(w, off, chunk, "p2m page not in the dump: mfn", mfn)))
				return err;
			off += chunk;
			continue;
		}

		/* Gather following leaf pages that are contiguous in the file. */
		uint64_t first_page = run.page + (mfn - run.mfn);
		size_t npages = 1;
		uint64_t batch_end = off + chunk;
		while (npages < BATCH_PAGES && batch_end < end) {
			uint64_t nmfn;
			if (!leaf_mfn(w, l, w->start + batch_end, &nmfn) || nmfn != mfn + npages ||
			    nmfn - run.mfn >= run.count || walk_path_level(l->path, nmfn) ||
			    memo_find(&w->leaf_memo, nmfn, &memo_kind))
				break;
			uint64_t nbytes = end - batch_end < X86_PAGE_SIZE ? end - batch_end
									  : X86_PAGE_SIZE;
			batch_end += nbytes;
			npages++;
		}
		/*
		 * read() into a page-aligned buffer that stays in L2 measured
		 * faster than mmap (page-table setup) and than a 2 MiB buffer.
		 */
		err = xc_read_pages(w->dump, first_page, npages, w->batch);
		if (err)
			return err;
		for (size_t k = 0; k < npages && !err; k++) {
			const unsigned char *page = w->batch + k * X86_PAGE_SIZE;
			uint64_t pva = w->start + off;
			size_t in = (size_t)(pva & (X86_PAGE_SIZE - 1));
			uint64_t n = (X86_PAGE_SIZE - in) / w->word;
			if (n > (end - off) / w->word)
				n = (end - off) / w->word;
			w->work += n;
			err = run_builder_scan(w->b, off / w->word, page + in, (size_t)n, w->word);
			if (all_invalid(page)) {
				memo_add(&w->leaf_memo, mfn + k, XENCORE_RUN_INVALID);
				SEEN(XENCORE_RUN_INVALID);
			} else {
				kind_seen = -1;
			}
			off += n * w->word;
		}
		if (err)
			return err;
	}
#undef SEEN
	*uniform = kind_seen;
	return NULL;
}

static struct xencore_error *check_range(const struct xencore_dump_info *info)
{
	uint64_t start = info->p2m_vaddr, max_pfn = info->max_pfn;
	unsigned int word = info->guest_bits / 8;
	if (start % word)
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m_vaddr 0x%" PRIx64 " is not aligned to the guest word", start);
	if (word == 8 && !x86_64_canonical(start))
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m_vaddr 0x%" PRIx64 " is not a canonical address", start);
	if (word == 4 && start > UINT32_MAX)
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m_vaddr 0x%" PRIx64 " is not a 32-bit address", start);
	if (max_pfn == 0)
		return NULL;
	if (max_pfn > UINT64_MAX / word || word * max_pfn - 1 > UINT64_MAX - start)
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m list at 0x%" PRIx64 " with max_pfn 0x%" PRIx64 " wraps around the address space",
				start, max_pfn);
	uint64_t last = start + word * max_pfn - 1;
	if (word == 4) {
		/* 32-bit PAE: the list must end below Xen's part (xen-x86_32.h). */
		if (last > UINT32_MAX)
			return xc_error(XENCORE_ERROR_FORMAT,
					"p2m list at 0x%" PRIx64 " with max_pfn 0x%" PRIx64 " wraps around the address space",
					start, max_pfn);
		if (last >= X86_32_XEN_START)
			return xc_error(XENCORE_ERROR_FORMAT,
					"p2m list 0x%" PRIx64 "-0x%" PRIx64 " overlaps the hypervisor range 0x%" PRIx64 "-0xffffffff",
					start, last, X86_32_XEN_START);
		return NULL;
	}
	/* Both ends canonical and in the same half: no hole in between. */
	if (!x86_64_canonical(last) || (start >> 47) != (last >> 47))
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m list 0x%" PRIx64 "-0x%" PRIx64 " is not canonical", start, last);
	if (start < X86_64_XEN_END && last >= X86_64_XEN_START)
		return xc_error(XENCORE_ERROR_FORMAT,
				"p2m list 0x%" PRIx64 "-0x%" PRIx64 " overlaps the hypervisor range 0x%" PRIx64 "-0x%" PRIx64,
				start, last, X86_64_XEN_START, X86_64_XEN_END - 1);
	return NULL;
}

static struct xencore_error *root_missing(const struct xencore_dump_info *info)
{
	return xc_error(XENCORE_ERROR_FORMAT,
			"p2m_cr3 0x%" PRIx64 " names root table mfn 0x%" PRIx64 ", which is not in the dump",
			info->p2m_cr3, info->p2m_root_mfn);
}

/*
 * One step at list offset off: [off, off+chunk) is what the entry where the
 * descend stopped maps (an L1 table's span when it reached one).
 */
static struct xencore_error *step(struct lwalk *w, uint64_t off, uint64_t *chunk_ret)
{
	uint64_t va = w->start + off;
	struct walk_path p;
	struct xencore_error *err = walk_descend(&w->tables, w->dump, w->root, w->levels, va, 1, &p);
	w->work += (uint64_t)p.nr + 1;
	if (err && p.stop == WALK_STOP_NO_FRAME && err->code == XENCORE_ERROR_NOT_PRESENT) {
		/* A native export's entry naming a pfn with no mfn: as not dumped. */
		xencore_error_destroy(err);
		err = NULL;
		p.stop = WALK_STOP_NOT_DUMPED;
		p.mfn = UINT64_MAX;
		p.level--;
	}
	if (err)
		return err;
	/* The level of the entry that maps the step's span. */
	int level = p.stop == WALK_STOP_NOT_DUMPED || p.stop == WALK_STOP_LOOP ||
		    p.stop == WALK_STOP_TABLE ? p.level + 1 : p.level;
	uint64_t chunk = span(level) - (va & (span(level) - 1));
	if (chunk > w->len - off)
		chunk = w->len - off;
	*chunk_ret = chunk;
	char why[80];
	enum xencore_run_kind kind;
	int uniform = -1;
	struct leaves l = { &p, NULL, va, p.mfn };
	switch (p.stop) {
	case WALK_STOP_ABSENT:
		snprintf(why, sizeof(why), "L%d entry not present for list address", level);
		err = unknown(w, off, chunk, why, va);
		break;
	case WALK_STOP_NOT_DUMPED:
		if (level > w->levels)
			return root_missing(&w->dump->info);
		snprintf(why, sizeof(why), "L%d table not in the dump: mfn", p.level);
		err = unknown(w, off, chunk, why, p.mfn);
		break;
	case WALK_STOP_LOOP:
		return xc_error(XENCORE_ERROR_FORMAT,
				"page-table loop in the p2m mapping: mfn 0x%" PRIx64 " is used as L%d and L%d table",
				p.mfn, p.loop_level, p.level);
	case WALK_STOP_LARGE:
		/* PV forbids large pages; read through one as the CPU would. */
		if (!w->large++)
			xc_warn(w->dump,
				"p2m list: pfns 0x%" PRIx64 "-0x%" PRIx64 " are mapped by a large-page L%d entry (PV forbids them): read through it",
				off / w->word, (off + chunk) / w->word - 1, level);
		err = walk_leaves(w, &l, off, chunk, &uniform);
		break;
	case WALK_STOP_TABLE:
		if (memo_find(&w->l1_memo, p.mfn, &kind)) {
			err = kind == XENCORE_RUN_UNKNOWN
				? unknown(w, off, chunk, "L1 table maps nothing present: mfn", p.mfn)
				: emit(w, kind, off, chunk, 0);
			break;
		}
		l.l1 = p.table;
		err = walk_leaves(w, &l, off, chunk, &uniform);
		if (!err && uniform >= 0 && chunk == span(2))
			memo_add(&w->l1_memo, p.mfn, (enum xencore_run_kind)uniform);
		break;
	default:	/* WALK_STOP_PAGE: not with a stop at the L1 table */
		return xc_error(XENCORE_ERROR_FORMAT,
				"internal error: the p2m walk stopped at L%d (%d)", p.level, (int)p.stop);
	}
	return err;
}

static struct xencore_error *walk(struct lwalk *w)
{
	struct xencore_error *err;
	uint64_t off = 0;
	while (off < w->len) {
		if (w->work > WORK_LIMIT)
			return xc_error(XENCORE_ERROR_FORMAT,
					"p2m walk gave up after %" PRIu64 " steps at pfn 0x%" PRIx64 ": page tables map too much",
					w->work, off / w->word);
		uint64_t chunk;
		if ((err = step(w, off, &chunk)))
			return err;
		off += chunk;
	}
	if (w->warnings > MAX_WARNINGS)
		xc_warn(w->dump, "p2m list: %u more unknown ranges not listed",
			w->warnings - MAX_WARNINGS);
	if (w->large > 1)
		xc_warn(w->dump, "p2m list: %u large-page entries read through", w->large);
	return NULL;
}

struct xencore_error *xencore_linear_p2m_check(struct xencore_dump *dump)
{
	const struct xencore_dump_info *info = &dump->info;
	if (!info->has_shared_info || !info->has_linear_p2m)
		return NULL;
	struct xencore_error *err = check_range(info);
	if (err)
		return err;
	struct page_run run;
	err = page_index_find_mfn(&dump->index, info->p2m_root_mfn, &run);
	if (err)
		return err;
	return run.count ? NULL : root_missing(info);
}

struct xencore_error *p2m_linear_build(struct xencore_dump *dump,
				       struct run_builder *b)
{
	const struct xencore_dump_info *info = &dump->info;
	struct xencore_error *err;
	if (!info->has_shared_info)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no linear p2m list: the dump has no shared_info page");
	if (!info->has_linear_p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no linear p2m list: the guest did not publish one (p2m_cr3 is 0)");
	if ((err = check_range(info)))
		return err;
	/* The walk may need any dumped page: index them all (and check them). */
	if ((err = page_index_complete(&dump->index)))
		return err;

	struct lwalk *w = calloc(1, sizeof(*w));
	if (!w)
		return &xencore_enomem;
	w->dump = dump;
	w->b = b;
	w->start = info->p2m_vaddr;
	w->word = info->guest_bits / 8;
	w->levels = info->guest_bits == 64 ? 4 : 3;
	w->len = (uint64_t)w->word * info->max_pfn;
	w->root = info->p2m_root_mfn;
	w->batch = aligned_alloc(X86_PAGE_SIZE, BATCH_PAGES * X86_PAGE_SIZE);
	if (!w->batch) {
		free(w);
		return &xencore_enomem;
	}
	if ((err = walk_tables_init(&w->tables, TABLE_BITS)))
		goto out;

	const unsigned char *root;
	err = walk_tables_get(&w->tables, dump, w->root, &root);
	if (err) {
		if (err->code == XENCORE_ERROR_NOT_PRESENT) {
			xencore_error_destroy(err);
			err = root_missing(info);
		}
		goto out;
	}

	if (info->p2m_update_in_progress)
		xc_warn(dump, "p2m mapping update was in progress when the dump was taken (p2m_generation %" PRIu64 " is odd)",
			info->p2m_generation);
	err = walk(w);
out:
	walk_tables_deinit(&w->tables);
	free(w->batch);
	free(w);
	return err;
}
