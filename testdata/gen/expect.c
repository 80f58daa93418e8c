// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * expect.c: --expect and --expect-tree, the p2m the generator built as
 * runs, for the tests to hold xencore's against: the list's or the
 * tree's view, the dumped gpfns of an HVM guest.
 */
#include <inttypes.h>
#include <stdio.h>

#include "model.h"

struct run_writer {
	FILE *f;
	bool have;
	int kind;		/* 0 mapped, 1 invalid, 2 unknown, 3 identity, 4 foreign */
	uint64_t pfn, mfn, count;
};

static void run_flush(struct run_writer *w)
{
	static const char *const what[] = { NULL, "invalid", "unknown", "identity", NULL };

	if (!w->have)
		return;
	if (w->kind == 0)
		fprintf(w->f, "0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n", w->pfn, w->mfn, w->count);
	else if (w->kind == 4)
		fprintf(w->f, "0x%" PRIx64 " foreign 0x%" PRIx64 " %" PRIu64 "\n", w->pfn, w->mfn,
			w->count);
	else
		fprintf(w->f, "0x%" PRIx64 " %s %" PRIu64 "\n", w->pfn, what[w->kind], w->count);
	w->have = false;
}

/* Appends a run, merging it with the previous one when both continue. */
static void run_add(struct run_writer *w, int kind, uint64_t pfn, uint64_t mfn, uint64_t count)
{
	if (count == 0)
		return;
	if (w->have && w->kind == kind && w->pfn + w->count == pfn &&
	    ((kind != 0 && kind != 4) || w->mfn + w->count == mfn)) {
		w->count += count;
		return;
	}
	run_flush(w);
	*w = (struct run_writer){ w->f, true, kind, pfn, mfn, count };
}

struct range {
	uint64_t lo, hi;
};

/* Adds [pfn, pfn+count) of one kind, with the unknown ranges cut out. */
static void run_add_masked(struct run_writer *w, const struct range *unk, size_t nunk,
			   int kind, uint64_t pfn, uint64_t mfn, uint64_t count)
{
	while (count > 0) {
		uint64_t n = count;
		bool in_unknown = false;

		for (size_t u = 0; u < nunk; u++) {
			if (pfn >= unk[u].lo && pfn < unk[u].hi) {
				in_unknown = true;
				n = unk[u].hi - pfn < n ? unk[u].hi - pfn : n;
			} else if (unk[u].lo > pfn && unk[u].lo - pfn < n) {
				n = unk[u].lo - pfn;
			}
		}
		if (in_unknown)
			run_add(w, 2, pfn, 0, n);
		else
			run_add(w, kind, pfn, mfn, n);
		pfn += n;
		if (kind == 0)
			mfn += n;
		count -= n;
	}
}

static int write_expect(const struct model *m, FILE *f)
{
	struct run_writer w = { .f = f };
	struct range unk[4];
	size_t nunk = 0;
	uint64_t pfn = 0;

	/* good-missing: the pfns described by an omitted p2m page or L1 table. */
	for (uint32_t k = 0; k < m->nsp && nunk < 4; k++)
		if (m->sp[k].omitted && (m->sp[k].kind == SP_LEAF || m->sp[k].kind == SP_L1)) {
			sp_pfn_range(m, k, &unk[nunk].lo, &unk[nunk].hi);
			nunk++;
		}
	for (size_t x = 0; x < m->n_ext; x++) {
		const struct extent *e = &m->ext[x];

		run_add_masked(&w, unk, nunk, 1, pfn, 0, e->pfn - pfn);
		run_add_masked(&w, unk, nunk, 0, e->pfn, e->mfn, e->count);
		pfn = e->pfn + e->count;
	}
	run_add_masked(&w, unk, nunk, 1, pfn, 0, m->max_pfn - pfn);
	run_flush(&w);
	return ferror(f) ? -1 : 0;
}

/*
 * --expect with --special-entries or --disagree, and --expect-tree: the p2m
 * as the list (tree false) or the tree reads it, entry by entry from the
 * pages the guest holds: ~0 invalid, FOREIGN_FRAME_BIT foreign,
 * IDENTITY_FRAME_BIT identity, else an MFN; unknown where the p2m page (or,
 * for the list, its L1 table) is not in the dump.  Pfns behind the shared
 * p2m_identity page read ~0 like p2m_missing's and are "invalid" here.
 */
static int write_expect_view(const struct model *m, FILE *f, bool tree)
{
	struct run_writer w = { .f = f };
	uint64_t e[ENTRIES_MAX];
	uint64_t word = m->esz == 8 ? UINT64_MAX : UINT32_MAX;

	for (uint64_t j = 0; j < m->nleaf; j++) {
		uint32_t sp = tree ? tree_leaf_sp(m, j) : m->leaf_sp[j];
		bool unknown = m->sp[sp].omitted;

		if (!tree && m->linear) {
			uint64_t slot = ((m->first_page + j) >> 9) - m->l1_first;

			unknown = unknown || m->sp[m->l1_sp[slot]].omitted;
		}
		leaf_entries(m, sp, j, e);
		for (uint32_t i = 0; i < m->epp && j * m->epp + i < m->max_pfn; i++) {
			uint64_t pfn = j * m->epp + i, v = e[i] & word;

			if (unknown)
				run_add(&w, 2, pfn, 0, 1);
			else if (v == word)
				run_add(&w, 1, pfn, 0, 1);
			else if (v & FOREIGN_BIT(m->esz))
				run_add(&w, 4, pfn, v & ~FOREIGN_BIT(m->esz), 1);
			else if (v & IDENTITY_BIT(m->esz))
				run_add(&w, 3, pfn, 0, 1);
			else
				run_add(&w, 0, pfn, v, 1);
		}
	}
	run_flush(&w);
	return ferror(f) ? -1 : 0;
}

/*
 * HVM: what a reader can know is the identity map of the dumped gpfns
 * (.xen_pfn); everything else below the highest gpfn + 1 is invalid,
 * including the populated special pages Xen does not dump.
 */
static int write_expect_hvm(const struct model *m, FILE *f)
{
	struct run_writer w = { .f = f };

	for (uint64_t pfn = 0; pfn < m->max_pfn; pfn++) {
		if (find_extent(m, pfn) && is_dumped(m, pfn))
			run_add(&w, 0, pfn, pfn, 1);
		else
			run_add(&w, 1, pfn, 0, 1);
	}
	run_flush(&w);
	return ferror(f) ? -1 : 0;
}

int write_expect_list(const struct model *m, FILE *f)
{
	if (m->hvm)
		return write_expect_hvm(m, f);
	if (m->spec || m->disagree)
		return write_expect_view(m, f, false);
	return write_expect(m, f);
}

int write_expect_tree(const struct model *m, FILE *f)
{
	return write_expect_view(m, f, true);
}
