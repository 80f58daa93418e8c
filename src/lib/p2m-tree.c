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

/*
 * arch_shared_info.pfn_to_mfn_frame_list_list is the mfn of a page of mfns
 * of "mid" pages, each a page of mfns of p2m leaf pages (Linux
 * xen_build_mfn_list_list(), arch/x86/xen/p2m.c).  Entries are guest words:
 * 512 per page on 64-bit guests (512^3 pfns, 512 GiB), 1024 on 32-bit.
 * Absent parts point at shared pages (p2m_mid_missing, p2m_missing), which
 * the memos make O(1).  Three fixed levels, no recursion.
 */

#define PAGE		4096
#define MAX_WARNINGS	16

struct twalk {
	struct xencore_dump *dump;
	struct run_builder *b;
	unsigned int word, per_page;
	uint64_t invalid_leaf[4];	/* leaf frames seen to hold only ~0 */
	unsigned int nr_invalid_leaf;
	unsigned int warnings;
	unsigned char top[PAGE], mid[PAGE], leaf[PAGE];
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

/* Reads a tree page; *missing says it is not in the dump (not an error). */
static struct xencore_error *read_page(struct twalk *w, uint64_t mfn,
				       unsigned char *buf, bool *missing)
{
	*missing = false;
	if (mfn > XC_MAX_FRAME) {
		*missing = true;
		return NULL;
	}
	struct xencore_error *err = xencore_read_mfn(w->dump, mfn, buf);
	if (err && err->code == XENCORE_ERROR_NOT_PRESENT) {
		xencore_error_destroy(err);
		*missing = true;
		return NULL;
	}
	return err;
}

/* The leaves of one mid page: pfns pfn .. pfn+count-1. */
static struct xencore_error *walk_mid(struct twalk *w, uint64_t pfn,
				      uint64_t count)
{
	struct xencore_error *err;
	for (unsigned int m = 0; count; m++) {
		uint64_t n = count < w->per_page ? count : w->per_page;
		uint64_t mfn = entry(w->mid, m, w->word);
		bool missing;
		if (leaf_is_invalid(w, mfn)) {
			err = run_builder_add(w->b, XENCORE_RUN_INVALID, pfn, 0, n);
		} else if ((err = read_page(w, mfn, w->leaf, &missing))) {
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
	uint64_t per_mid = (uint64_t)w->per_page * w->per_page;
	uint64_t limit = per_mid * w->per_page;
	uint64_t max = info->max_pfn < limit ? info->max_pfn : limit;

	bool missing;
	err = read_page(w, info->frame_list_list, w->top, &missing);
	if (!err && missing)
		err = xc_error(XENCORE_ERROR_FORMAT,
			       "pfn_to_mfn_frame_list_list 0x%" PRIx64 " is not in the dump",
			       info->frame_list_list);
	uint64_t pfn = 0;
	uint64_t mid_mfn_cached = UINT64_MAX;
	for (unsigned int t = 0; !err && pfn < max; t++) {
		uint64_t n = max - pfn < per_mid ? max - pfn : per_mid;
		uint64_t mfn = entry(w->top, t, w->word);
		if (mfn != mid_mfn_cached) {
			err = read_page(w, mfn, w->mid, &missing);
			if (err)
				break;
			if (missing) {
				mid_mfn_cached = UINT64_MAX;
				err = unknown(w, pfn, n, "mid page not in the dump: mfn", mfn);
				pfn += n;
				continue;
			}
			mid_mfn_cached = mfn;
		}
		err = walk_mid(w, pfn, n);
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
	free(w);
	return err;
}
