// SPDX-License-Identifier: LGPL-2.1-or-later
/* check.c: cross-checking the p2m sources of a dump, run by run. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "p2m-priv.h"
#include "page-index.h"

/*
 * Findings kept at most (48 MiB): a hostile p2m can disagree with itself at
 * every one of its 2^24 runs.  The totals still count every pfn.
 */
#define MAX_FINDINGS	(UINT64_C(1) << 20)

struct xencore_check {
	struct xencore_finding *findings;
	size_t nr, cap;
	uint64_t total[XENCORE_FINDING_KINDS];
	uint64_t not_kept;
};

const char *xencore_finding_kind_name(enum xencore_finding_kind kind)
{
	switch (kind) {
	case XENCORE_FINDING_DISAGREE:
		return "disagree";
	case XENCORE_FINDING_DUMPED_NOT_LISTED:
		return "dumped-not-listed";
	case XENCORE_FINDING_LISTED_NOT_DUMPED:
		return "listed-not-dumped";
	case XENCORE_FINDING_MFN_TWICE:
		return "mfn-twice";
	case XENCORE_FINDING_UNKNOWN:
		return "unknown";
	case XENCORE_FINDING_GENERATION:
		return "generation";
	case XENCORE_FINDING_MISSING:
		return "missing";
	case XENCORE_FINDING_DROPPED:
		return "dropped";
	}
	return "?";
}

/* Records a finding, merging it into the last one when it continues it. */
static struct xencore_error *add(struct xencore_check *c,
				 const struct xencore_finding *f)
{
	c->total[f->kind] += f->count;
	/* Kinds interleave segment by segment: look back a little to merge. */
	for (size_t back = 1; back <= 8 && back <= c->nr; back++) {
		struct xencore_finding *last = &c->findings[c->nr - back];
		if (last->kind == f->kind && f->kind != XENCORE_FINDING_MFN_TWICE &&
		    last->source == f->source && last->pfn + last->count == f->pfn) {
			last->count += f->count;
			return NULL;
		}
	}
	if (c->nr >= MAX_FINDINGS) {
		c->not_kept++;
		return NULL;
	}
	if (c->nr == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct xencore_finding *p = realloc(c->findings, cap * sizeof(*p));
		if (!p)
			return &xencore_enomem;
		c->findings = p;
		c->cap = cap;
	}
	c->findings[c->nr++] = *f;
	return NULL;
}

static bool has_mfn(enum xencore_run_kind k)
{
	return k == XENCORE_RUN_MAPPED || k == XENCORE_RUN_FOREIGN;
}

/* Whether runs a and b say the same thing about the pfns they share. */
static bool same(const struct xencore_p2m_run *a, const struct xencore_p2m_run *b)
{
	if (a->kind != b->kind)
		return false;
	/* pfn p maps to mfn + (p - pfn) in both: equal offsets. */
	return !has_mfn(a->kind) || a->mfn - a->pfn == b->mfn - b->pfn;
}

/* One source being walked: its runs and where we are in them. */
struct cursor {
	const struct xencore_p2m_run *runs;
	size_t nr, i;
	uint64_t end;		/* max_pfn of this source */
	enum xencore_p2m_source source;
};

static struct xencore_error *compare(struct xencore_check *c,
				     struct cursor *cur, size_t n)
{
	uint64_t max = 0;
	for (size_t s = 0; s < n; s++)
		if (cur[s].end > max)
			max = cur[s].end;
	/* The first guest source is what the dump's table is held against. */
	int guest = -1, dump = -1;
	for (size_t s = 0; s < n; s++) {
		if (cur[s].source == XENCORE_P2M_DUMP)
			dump = dump < 0 ? (int)s : dump;
		else if (guest < 0)
			guest = (int)s;
	}

	uint64_t pfn = 0;
	while (pfn < max) {
		/* The segment [pfn, seg_end) where no source's run changes. */
		uint64_t seg_end = max;
		const struct xencore_p2m_run *r[8] = { 0 };
		for (size_t s = 0; s < n; s++) {
			struct cursor *k = &cur[s];
			while (k->i < k->nr && k->runs[k->i].pfn + k->runs[k->i].count <= pfn)
				k->i++;
			if (k->i < k->nr && k->runs[k->i].pfn <= pfn) {
				r[s] = &k->runs[k->i];
				uint64_t e = r[s]->pfn + r[s]->count;
				if (e < seg_end)
					seg_end = e;
			} else if (k->i < k->nr && k->runs[k->i].pfn < seg_end) {
				seg_end = k->runs[k->i].pfn;
			}
		}
		uint64_t count = seg_end - pfn;
		struct xencore_finding f = { .pfn = pfn, .count = count };
		struct xencore_error *err = NULL;
		bool disagree = false;
		for (size_t s = 0; s < n && !err; s++) {
			if (!r[s])
				continue;
			if (r[s]->kind == XENCORE_RUN_UNKNOWN) {
				f.kind = XENCORE_FINDING_UNKNOWN;
				f.source = cur[s].source;
				err = add(c, &f);
				continue;
			}
			/* The guest's sources must agree with each other exactly. */
			for (size_t t = s + 1; t < n; t++)
				if (r[t] && (int)t != dump && (int)s != dump &&
				    r[t]->kind != XENCORE_RUN_UNKNOWN && !same(r[s], r[t]))
					disagree = true;
		}
		if (!err && dump >= 0 && guest >= 0 && r[dump] && r[guest] &&
		    r[guest]->kind != XENCORE_RUN_UNKNOWN) {
			enum xencore_run_kind g = r[guest]->kind, d = r[dump]->kind;
			f.source = XENCORE_P2M_AUTO;
			if (d == XENCORE_RUN_MAPPED && g == XENCORE_RUN_INVALID) {
				f.kind = XENCORE_FINDING_DUMPED_NOT_LISTED;
				err = add(c, &f);
			} else if (d == XENCORE_RUN_INVALID && g == XENCORE_RUN_MAPPED) {
				f.kind = XENCORE_FINDING_LISTED_NOT_DUMPED;
				err = add(c, &f);
			} else if (d == XENCORE_RUN_MAPPED && !same(r[dump], r[guest])) {
				disagree = true;
			}
			/* Xen does not dump identity, foreign or invalid pfns: fine. */
		}
		if (!err && disagree) {
			f.kind = XENCORE_FINDING_DISAGREE;
			f.source = XENCORE_P2M_AUTO;
			err = add(c, &f);
		}
		if (err)
			return err;
		pfn = seg_end;
	}
	return NULL;
}

/* Two pfns mapped to one mfn, in the primary source (its runs in mfn order). */
static struct xencore_error *mfns_twice(struct xencore_check *c, struct xencore_p2m *p2m)
{
	if (!p2m_index_by_mfn(p2m))
		return &xencore_enomem;
	const struct xencore_p2m_run *runs = p2m->runs;
	const uint32_t *m = p2m->by_mfn;
	size_t n = p2m->nr_by_mfn;
	struct xencore_error *err = NULL;
	/* The run reaching furthest so far: overlaps with it are duplicates. */
	size_t far = 0;
	for (size_t i = 1; i < n && !err; i++) {
		const struct xencore_p2m_run *f = &runs[m[far]], *r = &runs[m[i]];
		uint64_t far_end = f->mfn + f->count;
		if (r->mfn < far_end) {
			uint64_t end = r->mfn + r->count < far_end ? r->mfn + r->count : far_end;
			struct xencore_finding fd = {
				.kind = XENCORE_FINDING_MFN_TWICE,
				.pfn = f->pfn + (r->mfn - f->mfn),
				.pfn2 = r->pfn,
				.mfn = r->mfn,
				.count = end - r->mfn,
			};
			err = add(c, &fd);
		}
		if (r->mfn + r->count > far_end)
			far = i;
	}
	return err;
}

/*
 * What the dump itself says it lacks or no source takes: pages its table
 * lists but the file no longer holds (cut short), and dumped pages at or
 * past every source's max_pfn (no p2m places them: a reader would drop
 * them without a word).
 */
static struct xencore_error *dump_pages(struct xencore_check *c, struct xencore_dump *dump,
					struct xencore_p2m *const *p2ms, size_t n)
{
	struct page_index *index = &dump->index;
	struct xencore_error *err = page_index_complete(index);
	/* A legacy dump's pages have no pfns of their own: its missing ones are mfns. */
	for (size_t i = 0; i < index->nr_missing && !err; i++) {
		struct xencore_finding f = { .kind = XENCORE_FINDING_MISSING,
					     .pfn = index->no_pfn ? UINT64_MAX : index->missing[i].pfn,
					     .mfn = index->missing[i].mfn,
					     .count = index->missing[i].count };
		err = add(c, &f);
	}
	if (err || !n || index->no_pfn)
		return err;
	uint64_t max = 0;
	for (size_t s = 0; s < n; s++)
		if (p2ms[s]->max_pfn > max)
			max = p2ms[s]->max_pfn;
	for (size_t i = 0; i < index->nr && !err; i++) {
		const struct page_run *r = &index->by_pfn[i];
		if (r->pfn + r->count <= max)
			continue;
		uint64_t from = r->pfn > max ? r->pfn : max;
		struct xencore_finding f = { .kind = XENCORE_FINDING_DROPPED, .pfn = from,
					     .count = r->pfn + r->count - from };
		err = add(c, &f);
	}
	return err;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct xencore_finding *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->source != y->source)
		return x->source < y->source ? -1 : 1;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

struct xencore_error *xencore_check_create(struct xencore_dump *dump,
					   struct xencore_p2m *const *p2ms,
					   size_t nr_p2ms,
					   struct xencore_check **ret)
{
	*ret = NULL;
	struct cursor cur[8];
	if (nr_p2ms > sizeof(cur) / sizeof(cur[0]))
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "too many p2m sources");
	struct xencore_check *c = calloc(1, sizeof(*c));
	if (!c)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	const struct xencore_dump_info *info = &dump->info;
	if (info->has_shared_info && info->p2m_update_in_progress &&
	    info->has_linear_p2m) {
		struct xencore_finding f = { .kind = XENCORE_FINDING_GENERATION, .count = 1 };
		err = add(c, &f);
	}
	for (size_t s = 0; s < nr_p2ms; s++)
		cur[s] = (struct cursor){
			.runs = p2ms[s]->runs, .nr = p2ms[s]->nr_runs,
			.end = p2ms[s]->max_pfn, .source = p2ms[s]->source,
		};
	if (!err)
		err = compare(c, cur, nr_p2ms);
	if (!err && nr_p2ms)
		err = mfns_twice(c, p2ms[0]);
	if (!err)
		err = dump_pages(c, dump, p2ms, nr_p2ms);
	if (!err && c->nr > 1)
		qsort(c->findings, c->nr, sizeof(*c->findings), cmp_finding);
	if (err) {
		xencore_check_destroy(c);
		return err;
	}
	*ret = c;
	return NULL;
}

void xencore_check_destroy(struct xencore_check *check)
{
	if (!check)
		return;
	free(check->findings);
	free(check);
}

uint64_t xencore_check_not_kept(const struct xencore_check *check)
{
	return check->not_kept;
}

const struct xencore_finding *xencore_check_findings(const struct xencore_check *check,
						     size_t *nr_ret)
{
	*nr_ret = check->nr;
	return check->findings;
}

uint64_t xencore_check_total(const struct xencore_check *check,
			     enum xencore_finding_kind kind)
{
	return (unsigned)kind < XENCORE_FINDING_KINDS ? check->total[kind] : 0;
}
