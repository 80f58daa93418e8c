// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m.c: choosing a p2m source and the public p2m object. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "p2m-priv.h"
#include "runs.h"

static bool offers_linear(const struct xencore_dump_info *info)
{
	return info->has_linear_p2m;
}

static bool offers_tree(const struct xencore_dump_info *info)
{
	return info->has_tree_p2m;
}

static bool offers_saved(const struct xencore_dump_info *info)
{
	return info->has_saved_p2m;
}

static bool offers_dump(const struct xencore_dump_info *info)
{
	return info->has_dump_p2m;
}

/*
 * Every p2m source, in the order `check` compares them: the guest's own
 * structures first (what the p2m is), then what xencore filter saved of
 * them, then what the toolstack wrote.  A new source is a row here (and
 * its builder): the name, `p2m --source=`, `check` and the session follow.
 * The kernel's list has no builder of its own: it is read through an
 * address space (xencore_p2m_from_kernel(), xencore_session_create_p2m()).
 */
static const struct source_def {
	enum xencore_p2m_source source;
	const char *name;
	bool (*offered)(const struct xencore_dump_info *info);	/* NULL: needs symbols */
	struct xencore_error *(*build)(struct xencore_dump *dump, struct run_builder *b);
	/* Why `auto` picks it: the first offered source in this order wins. */
	const char *why;
} source_defs[] = {
	{ XENCORE_P2M_LINEAR, "linear", offers_linear, p2m_linear_build,
	  "the guest publishes a linear p2m list (p2m_cr3 is set)" },
	{ XENCORE_P2M_TREE, "tree", offers_tree, p2m_tree_build,
	  "the guest publishes no linear list but a 3-level tree (frame_list_list)" },
	{ XENCORE_P2M_KERNEL, "kernel", NULL, NULL, NULL },	/* the session's pick */
	{ XENCORE_P2M_SAVED, "saved", offers_saved, p2m_saved_build,
	  "the guest publishes no p2m of its own; xencore filter saved the one it used" },
	{ XENCORE_P2M_DUMP, "dump", offers_dump, p2m_dump_build,
	  "the guest publishes no p2m of its own; the dump's .xen_p2m remains" },
};
#define NR_SOURCES	(sizeof(source_defs) / sizeof(source_defs[0]))

static const struct source_def *source_def(enum xencore_p2m_source source)
{
	for (size_t i = 0; i < NR_SOURCES; i++)
		if (source_defs[i].source == source)
			return &source_defs[i];
	return NULL;
}

const char *xencore_p2m_source_name(enum xencore_p2m_source source)
{
	if (source == XENCORE_P2M_AUTO)
		return "auto";
	const struct source_def *d = source_def(source);
	return d ? d->name : "?";
}

bool xencore_p2m_source_from_name(const char *name, enum xencore_p2m_source *ret)
{
	if (!strcmp(name, "auto")) {
		*ret = XENCORE_P2M_AUTO;
		return true;
	}
	for (size_t i = 0; i < NR_SOURCES; i++)
		if (!strcmp(name, source_defs[i].name)) {
			*ret = source_defs[i].source;
			return true;
		}
	return false;
}

size_t xencore_p2m_source_count(void)
{
	return NR_SOURCES;
}

enum xencore_p2m_source xencore_p2m_source_at(size_t i)
{
	return i < NR_SOURCES ? source_defs[i].source : XENCORE_P2M_AUTO;
}

bool xencore_p2m_source_offered(const struct xencore_dump *dump, enum xencore_p2m_source source,
				bool with_symbols)
{
	const struct source_def *d = source_def(source);
	if (!d)
		return false;
	return d->offered ? d->offered(xencore_dump_info(dump)) : with_symbols;
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
	if (info->hvm && info->has_dump_p2m && !info->has_linear_p2m && !info->has_tree_p2m &&
	    !info->has_saved_p2m) {
		*why_ret = "an HVM guest is auto-translated: its frames are its pfns (.xen_pfn)";
		return XENCORE_P2M_DUMP;
	}
	for (size_t i = 0; i < NR_SOURCES; i++)
		if (source_defs[i].offered && source_defs[i].offered(info)) {
			*why_ret = source_defs[i].why;
			return source_defs[i].source;
		}
	*why_ret = "the dump has no p2m source";
	return XENCORE_P2M_AUTO;
}

/* An empty p2m, its lock ready. */
static struct xencore_p2m *p2m_new(void)
{
	struct xencore_p2m *p2m = calloc(1, sizeof(*p2m));
	if (p2m) {
		pthread_mutex_init(&p2m->by_mfn_lock, NULL);
		atomic_init(&p2m->by_mfn_ready, false);
	}
	return p2m;
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

	/* The saved p2m was checked when the file was read: shared, not copied. */
	if (source == XENCORE_P2M_SAVED && dump->info.has_saved_p2m) {
		struct xencore_p2m *p2m = p2m_new();
		if (!p2m)
			return &xencore_enomem;
		p2m->source = source;
		p2m->max_pfn = dump->saved_p2m_max_pfn;
		p2m->runs = dump->saved_p2m;
		p2m->nr_runs = dump->saved_p2m_nr;
		p2m->runs_shared = true;
		*ret = p2m;
		return NULL;
	}

	struct run_builder b;
	run_builder_init(&b);
	/* A filter output's sources mostly say what its saved p2m says: held once. */
	if (dump->info.has_saved_p2m)
		run_builder_expect(&b, dump->saved_p2m, dump->saved_p2m_nr);
	const struct source_def *d = source_def(source);
	struct xencore_error *err;
	if (d && d->build)
		err = d->build(dump, &b);
	else if (d)
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
	if (b->impossible)
		xc_warn(dump,
			"%s p2m: %" PRIu64 " pfns name machine frames past 2^%d, which x86-64 Xen cannot address (the first: pfn 0x%" PRIx64 " -> %s0x%" PRIx64 "): a damaged or forged p2m; they are unknown",
			xencore_p2m_source_name(source), b->impossible, XC_FRAME_BITS,
			b->impossible_pfn,
			b->impossible_kind == XENCORE_RUN_FOREIGN ? "foreign " : "mfn ",
			b->impossible_mfn);
	if (b->past)
		xc_warn(dump,
			"%s p2m: pfns 0x%" PRIx64 "-0x%" PRIx64 " are past 2^%d, which no x86-64 guest has: left out (the p2m ends at pfn 0x%" PRIx64 ")",
			xencore_p2m_source_name(source), b->next_pfn - b->past, b->next_pfn - 1,
			XC_FRAME_BITS, b->next_pfn - b->past - 1);
	bool same;
	struct xencore_error *err = run_builder_finish(b, &same);
	struct xencore_p2m *p2m = err ? NULL : p2m_new();
	if (!p2m) {
		run_builder_deinit(b);
		return err ? err : &xencore_enomem;
	}
	p2m->source = source;
	p2m->max_pfn = b->next_pfn - b->past;
	/* The same runs as the dump's saved p2m: shared, as that source's are. */
	p2m->runs_shared = same;
	if (same) {
		p2m->runs = (struct xencore_p2m_run *)b->ref;
		p2m->nr_runs = b->ref_nr;
		run_builder_deinit(b);
	} else {
		p2m->runs = b->runs;
		p2m->nr_runs = b->nr;
	}
	*ret = p2m;
	return NULL;
}

void xencore_p2m_destroy(struct xencore_p2m *p2m)
{
	if (!p2m)
		return;
	if (!p2m->runs_shared)
		free(p2m->runs);
	free(p2m->by_mfn);
	free(p2m->by_mfn_reach);
	pthread_mutex_destroy(&p2m->by_mfn_lock);
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
	return RUNS_FIND(struct xencore_p2m_run, runs, nr, pfn, count, pfn);
}

const struct xencore_p2m_run *xencore_p2m_find(const struct xencore_p2m *p2m,
					       uint64_t pfn)
{
	return p2m_runs_find(p2m->runs, p2m->nr_runs, pfn);
}

static int cmp_run_mfn(const void *a, const void *b, void *arg)
{
	const struct xencore_p2m_run *runs = arg;
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	uint64_t x = runs[i].mfn, y = runs[j].mfn;
	/* Ties in run order, as the packed keys sort them: one answer either way. */
	return x < y ? -1 : x > y ? 1 : i < j ? -1 : i > j;
}

static void sift_down(uint64_t *v, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && v[child + 1] > v[child])
			child++;
		if (v[root] >= v[child])
			return;
		uint64_t t = v[root];
		v[root] = v[child];
		v[child] = t;
	}
}

/*
 * Sorts v in place, allocating nothing: quicksort on the middle element,
 * the smaller side first (a log n deep stack), heapsort below a depth that
 * a hostile order of keys would reach (introsort).
 */
static void sort_u64(uint64_t *v, size_t n, unsigned int depth)
{
	while (n > 16) {
		if (!depth--) {
			for (size_t i = n / 2; i-- > 0;)
				sift_down(v, i, n);
			for (size_t i = n; --i > 0;) {
				uint64_t t = v[0];
				v[0] = v[i];
				v[i] = t;
				sift_down(v, 0, i);
			}
			return;
		}
		uint64_t pivot = v[n / 2];
		size_t i = 0, j = n - 1;
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			uint64_t t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* [0, j] <= pivot <= [j + 1, n) */
		if (j + 1 < n - j - 1) {
			sort_u64(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u64(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && v[k - 1] > v[k]; k--) {
			uint64_t t = v[k];
			v[k] = v[k - 1];
			v[k - 1] = t;
		}
}

/* by_mfn_reach, when the runs overlap: false when out of memory. */
static bool index_reach(struct xencore_p2m *p2m)
{
	const struct xencore_p2m_run *runs = p2m->runs;
	uint64_t reach = 0;
	bool overlap = false;
	for (size_t i = 0; i < p2m->nr_by_mfn && !overlap; i++) {
		const struct xencore_p2m_run *r = &runs[p2m->by_mfn[i]];
		overlap = i && r->mfn < reach;
		if (r->mfn + r->count > reach)
			reach = r->mfn + r->count;
	}
	if (!overlap)
		return true;
	p2m->by_mfn_reach = malloc(p2m->nr_by_mfn * sizeof(*p2m->by_mfn_reach));
	if (!p2m->by_mfn_reach) {
		free(p2m->by_mfn);	/* built again, whole, next time */
		p2m->by_mfn = NULL;
		p2m->nr_by_mfn = 0;
		return false;
	}
	reach = 0;
	for (size_t i = 0; i < p2m->nr_by_mfn; i++) {
		const struct xencore_p2m_run *r = &runs[p2m->by_mfn[i]];
		if (r->mfn + r->count > reach)
			reach = r->mfn + r->count;
		p2m->by_mfn_reach[i] = reach;
	}
	return true;
}

static bool build_by_mfn(struct xencore_p2m *p2m)
{
	if (p2m->by_mfn)
		return true;
	/* Runs are capped far below 2^32 (p2m-runs.c), so an index fits 32 bits. */
	size_t n = 0;
	bool pack = p2m->nr_runs <= (UINT64_C(1) << 24);
	for (size_t i = 0; i < p2m->nr_runs; i++)
		if (p2m->runs[i].kind == XENCORE_RUN_MAPPED) {
			n++;
			pack = pack && p2m->runs[i].mfn < (UINT64_C(1) << 40);
		}
	if (pack) {
		/*
		 * mfn << 24 | index sorts as integers, fast, with no buffer but
		 * the keys, which then shrink in place to the indexes.
		 */
		uint64_t *keys = malloc((n ? n : 1) * sizeof(*keys));
		if (!keys)
			return false;
		size_t k = 0;
		for (size_t i = 0; i < p2m->nr_runs; i++)
			if (p2m->runs[i].kind == XENCORE_RUN_MAPPED)
				keys[k++] = p2m->runs[i].mfn << 24 | i;
		sort_u64(keys, n, 2 * 64);
		uint32_t *idx = (uint32_t *)keys;
		for (size_t i = 0; i < n; i++)
			idx[i] = (uint32_t)(keys[i] & 0xffffff);
		uint32_t *shrunk = realloc(keys, (n ? n : 1) * sizeof(*idx));
		p2m->by_mfn = shrunk ? shrunk : idx;
		p2m->nr_by_mfn = n;
		return index_reach(p2m);
	}
	p2m->by_mfn = malloc((n ? n : 1) * sizeof(*p2m->by_mfn));
	if (!p2m->by_mfn)
		return false;
	p2m->nr_by_mfn = 0;
	for (size_t i = 0; i < p2m->nr_runs; i++)
		if (p2m->runs[i].kind == XENCORE_RUN_MAPPED)
			p2m->by_mfn[p2m->nr_by_mfn++] = (uint32_t)i;
	qsort_r(p2m->by_mfn, p2m->nr_by_mfn, sizeof(*p2m->by_mfn), cmp_run_mfn, p2m->runs);
	return index_reach(p2m);
}

bool p2m_index_by_mfn(struct xencore_p2m *p2m)
{
	if (atomic_load_explicit(&p2m->by_mfn_ready, memory_order_acquire))
		return true;
	pthread_mutex_lock(&p2m->by_mfn_lock);
	bool ok = build_by_mfn(p2m);
	if (ok)
		atomic_store_explicit(&p2m->by_mfn_ready, true, memory_order_release);
	pthread_mutex_unlock(&p2m->by_mfn_lock);
	return ok;
}

bool p2m_mfn_to_pfn_scan(const struct xencore_p2m *p2m, uint64_t mfn, uint64_t *pfn_ret)
{
	/* Of the runs holding mfn, the one the mfn order puts first. */
	const struct xencore_p2m_run *best = NULL;
	for (size_t i = 0; i < p2m->nr_runs; i++) {
		const struct xencore_p2m_run *r = &p2m->runs[i];
		if (r->kind == XENCORE_RUN_MAPPED && mfn >= r->mfn && mfn - r->mfn < r->count &&
		    (!best || r->mfn < best->mfn))
			best = r;
	}
	if (!best)
		return false;
	*pfn_ret = best->pfn + (mfn - best->mfn);
	return true;
}

/* runs_upper() keys: the first mfn of the i-th run in mfn order; a plain array. */
static uint64_t by_mfn_start(const void *arg, size_t i)
{
	const struct xencore_p2m *p2m = arg;
	return p2m->runs[p2m->by_mfn[i]].mfn;
}

static uint64_t u64_at(const void *arg, size_t i)
{
	return ((const uint64_t *)arg)[i];
}

bool xencore_p2m_mfn_to_pfn(struct xencore_p2m *p2m, uint64_t mfn,
			    uint64_t *pfn_ret)
{
	/* No memory for the mfn order: the same answer, slower. */
	if (!p2m_index_by_mfn(p2m))
		return p2m_mfn_to_pfn_scan(p2m, mfn, pfn_ret);
	const struct xencore_p2m_run *runs = p2m->runs;
	const uint32_t *idx = p2m->by_mfn;
	/* k: the runs that start at or below mfn. */
	size_t k = runs_upper(p2m, p2m->nr_by_mfn, by_mfn_start, mfn);
	if (!k)
		return false;
	const struct xencore_p2m_run *r = &runs[idx[k - 1]];
	if (p2m->by_mfn_reach) {
		/*
		 * Hostile or shared mappings give one mfn to several pfns, and a
		 * longer run may start before a shorter one: the first run whose
		 * reach passes mfn holds it (its reach is its own end, and reaches
		 * do not decrease).
		 */
		const uint64_t *reach = p2m->by_mfn_reach;
		if (reach[k - 1] <= mfn)
			return false;
		r = &runs[idx[runs_upper(reach, k - 1, u64_at, mfn)]];
	} else if (mfn - r->mfn >= r->count) {
		return false;
	}
	*pfn_ret = r->pfn + (mfn - r->mfn);
	return true;
}
