// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m.c: choosing a p2m source and the public p2m object. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>

#include "dump-priv.h"
#include "error.h"
#include "p2m-priv.h"

const char *xencore_p2m_source_name(enum xencore_p2m_source source)
{
	switch (source) {
	case XENCORE_P2M_AUTO:
		return "auto";
	case XENCORE_P2M_LINEAR:
		return "linear";
	case XENCORE_P2M_DUMP:
		return "dump";
	case XENCORE_P2M_TREE:
		return "tree";
	case XENCORE_P2M_KERNEL:
		return "kernel";
	case XENCORE_P2M_SAVED:
		return "saved";
	}
	return "?";
}

enum xencore_p2m_source xencore_p2m_auto_source(const struct xencore_dump *dump,
						const char **why_ret)
{
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	/*
	 * The guest's own structures are the truth; .xen_p2m is what the
	 * toolstack made of them, and Xen before 4.16 got it wrong for guests
	 * with a linear list.  The list is newer than the tree, which Linux
	 * keeps only for older tools and which stops at 512 GiB.
	 */
	/*
	 * A damaged dump may have lost the list's root table: then the dump's
	 * table is what remains.  (The index is a cache: looking in it is
	 * reading, not changing, the dump.)
	 */
	bool root_lost = false;
	if (info->has_linear_p2m && info->damaged && info->has_dump_p2m) {
		struct xencore_error *err = xencore_linear_p2m_check((struct xencore_dump *)dump);
		root_lost = err != NULL;
		xencore_error_destroy(err);
	}
	if (root_lost) {
		*why_ret = "the dump is damaged: the linear p2m list's root table is cut off, the dump's .xen_p2m remains";
		return XENCORE_P2M_DUMP;
	}
	if (info->has_linear_p2m) {
		*why_ret = "the guest publishes a linear p2m list (p2m_cr3 is set)";
		return XENCORE_P2M_LINEAR;
	}
	if (info->has_tree_p2m) {
		*why_ret = "the guest publishes no linear list but a 3-level tree (frame_list_list)";
		return XENCORE_P2M_TREE;
	}
	if (info->has_saved_p2m) {
		*why_ret = "the guest publishes no p2m of its own; xencore filter saved the one it used";
		return XENCORE_P2M_SAVED;
	}
	if (info->has_dump_p2m && info->hvm) {
		*why_ret = "an HVM guest is auto-translated: its frames are its pfns (.xen_pfn)";
		return XENCORE_P2M_DUMP;
	}
	if (info->has_dump_p2m) {
		*why_ret = "the guest publishes no p2m of its own; the dump's .xen_p2m remains";
		return XENCORE_P2M_DUMP;
	}
	*why_ret = "the dump has no p2m source";
	return XENCORE_P2M_AUTO;
}

struct xencore_error *xencore_p2m_create(struct xencore_dump *dump,
					 enum xencore_p2m_source source,
					 struct xencore_p2m **ret)
{
	*ret = NULL;
	if (source == XENCORE_P2M_AUTO) {
		const char *why;
		source = xencore_p2m_auto_source(dump, &why);
		if (source == XENCORE_P2M_AUTO)
			return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
					"the dump has no p2m source (no linear p2m list, no 3-level tree, no .xen_p2m)");
	}

	struct run_builder b;
	run_builder_init(&b);
	struct xencore_error *err;
	if (source == XENCORE_P2M_LINEAR)
		err = p2m_linear_build(dump, &b);
	else if (source == XENCORE_P2M_DUMP)
		err = p2m_dump_build(dump, &b);
	else if (source == XENCORE_P2M_TREE)
		err = p2m_tree_build(dump, &b);
	else if (source == XENCORE_P2M_SAVED)
		err = p2m_saved_build(dump, &b);
	else if (source == XENCORE_P2M_KERNEL)
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
			       "the kernel's p2m needs symbols: use xencore_p2m_from_kernel()");
	else
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "unknown p2m source %d",
			       (int)source);
	if (err) {
		run_builder_deinit(&b);
		return err;
	}

	return p2m_from_builder(dump, &b, source, ret);
}

struct xencore_error *p2m_from_builder(struct xencore_dump *dump, struct run_builder *b,
				       enum xencore_p2m_source source,
				       struct xencore_p2m **ret)
{
	*ret = NULL;
	if (b->repeats)
		xc_warn(dump,
			"%s p2m: %" PRIu64 " pfns map the same mfn as the pfn before them (the first: pfn 0x%" PRIx64 " -> mfn 0x%" PRIx64 "): a damaged or forged p2m (`check` lists the shared mfns)",
			xencore_p2m_source_name(source), b->repeats, b->repeat_pfn, b->repeat_mfn);
	struct xencore_p2m *p2m = malloc(sizeof(*p2m));
	if (!p2m) {
		run_builder_deinit(b);
		return &xencore_enomem;
	}
	p2m->source = source;
	p2m->max_pfn = b->next_pfn;
	p2m->runs = b->runs;
	p2m->nr_runs = b->nr;
	p2m->by_mfn = NULL;
	p2m->nr_by_mfn = 0;
	*ret = p2m;
	return NULL;
}

void xencore_p2m_destroy(struct xencore_p2m *p2m)
{
	if (!p2m)
		return;
	free(p2m->runs);
	free(p2m->by_mfn);
	free(p2m);
}

enum xencore_p2m_source xencore_p2m_get_source(const struct xencore_p2m *p2m)
{
	return p2m->source;
}

uint64_t xencore_p2m_max_pfn(const struct xencore_p2m *p2m)
{
	return p2m->max_pfn;
}

const struct xencore_p2m_run *xencore_p2m_runs(const struct xencore_p2m *p2m,
					       size_t *nr_ret)
{
	*nr_ret = p2m->nr_runs;
	return p2m->runs;
}

const struct xencore_p2m_run *p2m_runs_find(const struct xencore_p2m_run *runs, size_t nr,
					    uint64_t pfn)
{
	size_t lo = 0, hi = nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xencore_p2m_run *r = &runs[mid];
		if (pfn < r->pfn)
			hi = mid;
		else if (pfn - r->pfn >= r->count)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

const struct xencore_p2m_run *xencore_p2m_find(const struct xencore_p2m *p2m,
					       uint64_t pfn)
{
	return p2m_runs_find(p2m->runs, p2m->nr_runs, pfn);
}

static int cmp_run_mfn(const void *a, const void *b)
{
	const struct xencore_p2m_run *x = a, *y = b;
	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

bool xencore_p2m_mfn_to_pfn(struct xencore_p2m *p2m, uint64_t mfn,
			    uint64_t *pfn_ret)
{
	if (!p2m->by_mfn) {
		size_t n = 0;
		for (size_t i = 0; i < p2m->nr_runs; i++)
			n += p2m->runs[i].kind == XENCORE_RUN_MAPPED;
		p2m->by_mfn = malloc((n ? n : 1) * sizeof(*p2m->by_mfn));
		if (!p2m->by_mfn)
			return false;
		for (size_t i = 0; i < p2m->nr_runs; i++)
			if (p2m->runs[i].kind == XENCORE_RUN_MAPPED)
				p2m->by_mfn[p2m->nr_by_mfn++] = p2m->runs[i];
		qsort(p2m->by_mfn, p2m->nr_by_mfn, sizeof(*p2m->by_mfn), cmp_run_mfn);
	}
	/*
	 * Hostile or shared mappings may give one mfn to several pfns: any run
	 * holding it answers (the check command reports such duplicates).
	 */
	size_t lo = 0, hi = p2m->nr_by_mfn;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct xencore_p2m_run *r = &p2m->by_mfn[mid];
		if (mfn < r->mfn) {
			hi = mid;
		} else if (mfn - r->mfn >= r->count) {
			lo = mid + 1;
		} else {
			*pfn_ret = r->pfn + (mfn - r->mfn);
			return true;
		}
	}
	return false;
}
