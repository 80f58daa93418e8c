// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-dump.c: the p2m as the toolstack recorded it at dump time (.xen_p2m). */
#include <config.h>

#include <inttypes.h>

#include "dump-priv.h"
#include "error.h"
#include "p2m-priv.h"

/*
 * .xen_p2m lists only the pages that were dumped: every pfn it does not list
 * is reported invalid.  Older Xen (before 4.16) wrote this table wrongly for
 * guests with a linear p2m list, which is why "auto" prefers the list.
 */
struct xencore_error *p2m_dump_build(struct xencore_dump *dump,
				     struct run_builder *b)
{
	const struct xencore_dump_info *info = &dump->info;
	const struct page_index *index = &dump->index;
	if (!info->has_dump_p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the dump has no .xen_p2m table");
	struct xencore_error *err = page_index_complete(&dump->index);
	if (err)
		return err;

	uint64_t max_pfn;
	if (info->has_shared_info) {
		max_pfn = info->max_pfn;
	} else {
		const struct page_run *last = index->nr ? &index->by_pfn[index->nr - 1] : NULL;
		max_pfn = last ? last->pfn + last->count : 0;
	}

	uint64_t pfn = 0, beyond = 0;
	for (size_t i = 0; i < index->nr; i++) {
		const struct page_run *r = &index->by_pfn[i];
		if (r->pfn >= max_pfn) {
			beyond += r->count;
			continue;
		}
		uint64_t count = r->count;
		if (count > max_pfn - r->pfn) {
			beyond += count - (max_pfn - r->pfn);
			count = max_pfn - r->pfn;
		}
		if ((err = run_builder_add(b, XENCORE_RUN_INVALID, pfn, 0, r->pfn - pfn)) ||
		    (err = run_builder_add(b, XENCORE_RUN_MAPPED, r->pfn, r->mfn, count)))
			return err;
		pfn = r->pfn + count;
	}
	if (beyond)
		xc_warn(dump, "%" PRIu64 " dumped pages have pfns at or above max_pfn 0x%" PRIx64 " and are left out of the p2m",
			beyond, max_pfn);
	return run_builder_add(b, XENCORE_RUN_INVALID, pfn, 0, max_pfn - pfn);
}

/* The p2m xencore filter saved in a kdump file (checked when it was read). */
struct xencore_error *p2m_saved_build(struct xencore_dump *dump,
				      struct run_builder *b)
{
	if (!dump->info.has_saved_p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the dump has no saved p2m (only kdump files xencore filter wrote have one)");
	for (size_t i = 0; i < dump->saved_p2m_nr; i++) {
		const struct xencore_p2m_run *r = &dump->saved_p2m[i];
		struct xencore_error *err = run_builder_add(b, r->kind, r->pfn, r->mfn, r->count);
		if (err)
			return err;
	}
	return NULL;
}
