// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-tree.c: the p2m from the legacy 3-level frame list (frame_list_list). */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "p2m-priv.h"
#include "walk.h"

/*
 * arch_shared_info.pfn_to_mfn_frame_list_list is the mfn of a page of mfns
 * of "mid" pages, each a page of mfns of p2m leaf pages (Linux
 * xen_build_mfn_list_list(), arch/x86/xen/p2m.c).  Entries are guest words:
 * 512 per page on 64-bit guests (512^3 pfns, 512 GiB), 1024 on 32-bit.
 * Absent parts point at shared pages (p2m_mid_missing, p2m_missing), which
 * the table cache and the memo make O(1).  Three fixed levels, no recursion.
 *
 * From the page-walk engine (walk.h) the tree takes the table cache (top
 * and mid pages by mfn) and the loop rule: Linux allocates the top, each
 * mid page and each leaf apart, so a frame at two levels of the tree is a
 * forged tree, refused as the linear walk refuses a list whose p2m page is
 * one of its own tables.  It does not take the descend: the tree's entries
 * are plain mfns (no present bit, no large pages, no pfns in a native
 * export), a 32-bit guest's pages hold 1024 of them (10 bits a level, not
 * 9), and the walk reads every entry in order rather than one address.
 */

#define PAGE		4096
#define MAX_WARNINGS	16
#define TABLE_BITS	4		/* 16 top and mid pages cached */

struct twalk {
	struct xencore_dump *dump;
	struct run_builder *b;
	unsigned int word, per_page;
	struct walk_tables tables;
	uint64_t top_mfn;
	uint64_t invalid_leaf[4];	/* leaf frames seen to hold only ~0 */
	unsigned int nr_invalid_leaf;
	unsigned int warnings;
	unsigned char top[PAGE], leaf[PAGE];
};

static uint64_t entry(const unsigned char *page, unsigned int i, unsigned int word)
{
	return word == 8 ? le64(page + 8 * i) : le32(page + 4 * i);
}

static bool leaf_is_invalid(const struct twalk *w, uint64_t mfn)
{
	for (unsigned int i = 0; i < w->nr_invalid_leaf; i++)
		if (w->invalid_leaf[i] == mfn)
			return true;
	return false;
}

static bool page_all_invalid(const unsigned char *page)
{
	for (size_t i = 0; i < PAGE; i++)
		if (page[i] != 0xff)
			return false;
	return true;
}

static struct xencore_error *unknown(struct twalk *w, uint64_t pfn,
				     uint64_t count, const char *why,
				     uint64_t mfn)
{
	if (w->warnings++ < MAX_WARNINGS)
		xc_warn(w->dump, "p2m tree: pfns 0x%" PRIx64 "-0x%" PRIx64 " unknown: %s 0x%" PRIx64,
			pfn, pfn + count - 1, why, mfn);
	return run_builder_add(w->b, XENCORE_RUN_UNKNOWN, pfn, 0, count);
}

/*
 * Reads a tree page: the top or a leaf into buf, a mid page (buf NULL)
 * through the table cache (*page_ret).  *missing says it is not in the
 * dump (not an error).
 */
static struct xencore_error *read_page(struct twalk *w, uint64_t mfn, unsigned char *buf,
				       const unsigned char **page_ret, bool *missing)
{
	*missing = false;
	if (mfn > XC_MAX_FRAME) {
		*missing = true;
		return NULL;
	}
	struct xencore_error *err = buf ? xencore_read_mfn(w->dump, mfn, buf)
					: walk_tables_get(&w->tables, w->dump, mfn, page_ret);
	if (err && err->code == XENCORE_ERROR_NOT_PRESENT) {
		xencore_error_destroy(err);
		*missing = true;
		return NULL;
	}
	return err;
}

/* A frame at two levels of the tree: which, or NULL. */
static const char *on_path(const struct twalk *w, uint64_t mfn, uint64_t mid_mfn)
{
	return mfn == w->top_mfn ? "top" : mfn == mid_mfn ? "mid" : NULL;
}

/* The leaves of the mid page at mid_mfn: pfns pfn .. pfn+count-1. */
static struct xencore_error *walk_mid(struct twalk *w, const unsigned char *mid,
				      uint64_t mid_mfn, uint64_t pfn, uint64_t count)
{
	struct xencore_error *err;
	for (unsigned int m = 0; count; m++) {
		uint64_t n = count < w->per_page ? count : w->per_page;
		uint64_t mfn = entry(mid, m, w->word);
		const char *twice = on_path(w, mfn, mid_mfn);
		bool missing;
		if (twice)
			return xc_error(XENCORE_ERROR_FORMAT,
					"p2m tree: the p2m page for pfns from 0x%" PRIx64 " (mfn 0x%" PRIx64 ") is the tree's own %s page",
					pfn, mfn, twice);
		if (leaf_is_invalid(w, mfn)) {
			err = run_builder_add(w->b, XENCORE_RUN_INVALID, pfn, 0, n);
		} else if ((err = read_page(w, mfn, w->leaf, NULL, &missing))) {
			return err;
		} else if (missing) {
			err = unknown(w, pfn, n, "p2m page not in the dump: mfn", mfn);
		} else {
			err = run_builder_scan(w->b, pfn, w->leaf, (size_t)n, w->word);
			if (page_all_invalid(w->leaf) &&
			    w->nr_invalid_leaf < sizeof(w->invalid_leaf) / sizeof(w->invalid_leaf[0]))
				w->invalid_leaf[w->nr_invalid_leaf++] = mfn;
		}
		if (err)
			return err;
		pfn += n;
		count -= n;
	}
	return NULL;
}

struct xencore_error *p2m_tree_build(struct xencore_dump *dump,
				     struct run_builder *b)
{
	const struct xencore_dump_info *info = &dump->info;
	if (!info->has_shared_info)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no 3-level p2m tree: the dump has no shared_info page");
	if (!info->has_tree_p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no 3-level p2m tree: pfn_to_mfn_frame_list_list is 0x%" PRIx64,
				info->frame_list_list);
	struct xencore_error *err = page_index_complete(&dump->index);
	if (err)
		return err;

	struct twalk *w = calloc(1, sizeof(*w));
	if (!w)
		return &xencore_enomem;
	w->dump = dump;
	w->b = b;
	w->word = info->guest_bits / 8;
	w->per_page = PAGE / w->word;
	w->top_mfn = info->frame_list_list;
	uint64_t per_mid = (uint64_t)w->per_page * w->per_page;
	uint64_t limit = per_mid * w->per_page;
	uint64_t max = info->max_pfn < limit ? info->max_pfn : limit;

	const unsigned char *page = NULL;
	bool missing = false;
	err = walk_tables_init(&w->tables, TABLE_BITS);
	if (!err)
		err = read_page(w, w->top_mfn, w->top, NULL, &missing);
	if (!err && missing)
		err = xc_error(XENCORE_ERROR_FORMAT,
			       "pfn_to_mfn_frame_list_list 0x%" PRIx64 " is not in the dump",
			       info->frame_list_list);
	uint64_t pfn = 0;
	for (unsigned int t = 0; !err && pfn < max; t++) {
		uint64_t n = max - pfn < per_mid ? max - pfn : per_mid;
		uint64_t mfn = entry(w->top, t, w->word);
		if (mfn == w->top_mfn) {
			err = xc_error(XENCORE_ERROR_FORMAT,
				       "p2m tree: the mid page for pfns from 0x%" PRIx64 " (mfn 0x%" PRIx64 ") is the tree's own top page",
				       pfn, mfn);
			break;
		}
		if ((err = read_page(w, mfn, NULL, &page, &missing)))
			break;
		if (missing)
			err = unknown(w, pfn, n, "mid page not in the dump: mfn", mfn);
		else
			err = walk_mid(w, page, mfn, pfn, n);
		pfn += n;
	}
	if (!err && info->max_pfn > max) {
		if (w->warnings++ < MAX_WARNINGS)
			xc_warn(dump, "p2m tree: pfns 0x%" PRIx64 "-0x%" PRIx64 " unknown: the tree covers %" PRIu64 " pfns",
				max, info->max_pfn - 1, limit);
		err = run_builder_add(b, XENCORE_RUN_UNKNOWN, max, 0, info->max_pfn - max);
	}
	if (!err && w->warnings > MAX_WARNINGS)
		xc_warn(dump, "p2m tree: %u more unknown ranges not listed",
			w->warnings - MAX_WARNINGS);
	walk_tables_deinit(&w->tables);
	free(w);
	return err;
}
