// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-runs.c: the run list that holds a p2m in memory proportional to its runs. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "p2m-priv.h"

void run_builder_init(struct run_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void run_builder_deinit(struct run_builder *b)
{
	free(b->runs);
	run_builder_init(b);
}

struct xencore_error *run_builder_add(struct run_builder *b,
				      enum xencore_run_kind kind, uint64_t pfn,
				      uint64_t mfn, uint64_t count)
{
	if (!count)
		return NULL;
	if (pfn != b->next_pfn)	/* a source bug, not bad input */
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"internal error: p2m run at pfn 0x%" PRIx64 ", expected 0x%" PRIx64,
				pfn, b->next_pfn);
	b->next_pfn = pfn + count;
	if (b->nr) {
		struct xencore_p2m_run *last = &b->runs[b->nr - 1];
		if (last->kind == kind &&
		    (kind != XENCORE_RUN_MAPPED || last->mfn + last->count == mfn)) {
			last->count += count;
			return NULL;
		}
	}
	if (b->nr == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		if (b->nr >= P2M_MAX_RUNS)
			return xc_error(XENCORE_ERROR_FORMAT,
					"the p2m has more than %" PRIu64 " runs (at pfn 0x%" PRIx64 "): refusing to hold it",
					P2M_MAX_RUNS, pfn);
		struct xencore_p2m_run *runs = realloc(b->runs, cap * sizeof(*runs));
		if (!runs)
			return &xencore_enomem;
		b->runs = runs;
		b->cap = cap;
	}
	b->runs[b->nr++] = (struct xencore_p2m_run){
		.pfn = pfn,
		.count = count,
		.mfn = kind == XENCORE_RUN_MAPPED ? mfn : 0,
		.kind = kind,
	};
	return NULL;
}
