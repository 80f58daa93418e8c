// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pgtable-canon.c: a PV guest's page-table pages, found from every root,
 * and their entries rewritten from machine to pseudo-physical frames.
 *
 * A PV guest's page tables hold machine frames; a native Linux vmcore's
 * hold physical ones, which for the guest are its pfns.  Xen's own
 * migration stream does the same rewrite ("canonicalisation", Xen
 * tools/libs/guest/xg_sr_save_x86_pv.c normalise_pagetable()): each
 * present entry's frame becomes the pfn the guest's p2m gives it, Xen's
 * slots are dropped, and an entry whose frame no pfn of the guest maps
 * (another domain's, I/O, Xen's) is made not present.
 *
 * Finding the tables is a walk from every root, level by level (a FIFO of
 * tables: every table of level L is met through one of level L+1, so all
 * of one level are done before the next).  Xen's page types never let a
 * frame be a table at two levels, so meeting one twice at different
 * levels is a damaged or hostile guest, and it is also how a cycle shows:
 * the walk ends on it.  Nothing recurses; every table is read once.
 *
 * What an entry is (names a table, maps a large page, which bits are its
 * frame) is the page-walk engine's walk_decode() (walk.h), for the walk,
 * the rewrite and the restore alike.  The walk is not a descend: it visits
 * every table of every root once, and its mfn -> table hash applies the
 * loop rule across roots.  Its frames are machine frames: a native export
 * read back (tables in pfns) is never walked again (native.c).
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "p2m-priv.h"
#include "pgtable-canon.h"
#include "runs.h"
#include "walk.h"
#include "x86.h"
#include "xen-notes.h"

#define ENTRIES		512
#define PAE_ROOT_ENTRIES	4
/* Warnings about roots or tables not in the dump, at most. */
#define MAX_WARNINGS	8

/* ---- mfn -> table index during the walk: open addressing ---- */

struct pt_hash {
	uint64_t *key;		/* mfn + 1; 0 = empty */
	size_t *val;
	size_t cap, used;
};

static size_t hash_slot(const struct pt_hash *h, uint64_t mfn)
{
	return (size_t)((mfn * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (h->cap - 1);
}

static bool hash_get(const struct pt_hash *h, uint64_t mfn, size_t *val)
{
	if (!h->cap)
		return false;
	for (size_t s = hash_slot(h, mfn);; s = (s + 1) & (h->cap - 1)) {
		if (!h->key[s])
			return false;
		if (h->key[s] == mfn + 1) {
			*val = h->val[s];
			return true;
		}
	}
}

static bool hash_put(struct pt_hash *h, uint64_t mfn, size_t val)
{
	if (2 * (h->used + 1) > h->cap) {
		struct pt_hash n = { .cap = h->cap ? 2 * h->cap : 1024 };
		n.key = calloc(n.cap, sizeof(*n.key));
		n.val = malloc(n.cap * sizeof(*n.val));
		if (!n.key || !n.val) {
			free(n.key);
			free(n.val);
			return false;
		}
		for (size_t i = 0; i < h->cap; i++) {
			if (!h->key[i])
				continue;
			size_t s = hash_slot(&n, h->key[i] - 1);
			while (n.key[s])
				s = (s + 1) & (n.cap - 1);
			n.key[s] = h->key[i];
			n.val[s] = h->val[i];
		}
		n.used = h->used;
		free(h->key);
		free(h->val);
		*h = n;
	}
	size_t s = hash_slot(h, mfn);
	while (h->key[s])
		s = (s + 1) & (h->cap - 1);
	h->key[s] = mfn + 1;
	h->val[s] = val;
	h->used++;
	return true;
}

static void hash_free(struct pt_hash *h)
{
	free(h->key);
	free(h->val);
	memset(h, 0, sizeof(*h));
}

/* ---- frames ---- */

/* The pfn the p2m gives mfn, for span pages mapped contiguously from a pfn aligned to span. */
static bool frame_pfn(struct xencore_p2m *p2m, uint64_t mfn, uint64_t span, uint64_t *pfn_ret)
{
	uint64_t pfn;
	if (!xencore_p2m_mfn_to_pfn(p2m, mfn, &pfn))
		return false;
	if (span > 1) {
		const struct xencore_p2m_run *r = xencore_p2m_find(p2m, pfn);
		if (pfn % span || !r || r->kind != XENCORE_RUN_MAPPED ||
		    r->count - (pfn - r->pfn) < span)
			return false;
	}
	if (pfn > XC_MAX_FRAME)
		return false;
	*pfn_ret = pfn;
	return true;
}

/* Entries of table t a walk and a rewrite look at: [0, *n), Xen's from *xen_first. */
static void entry_range(const struct pt_table *t, unsigned int *n, unsigned int *xen_first,
			unsigned int *xen_last)
{
	*n = t->flags & PT_PAE_ROOT ? PAE_ROOT_ENTRIES : ENTRIES;
	*xen_first = ENTRIES;
	*xen_last = ENTRIES - 1;
	if (t->flags & PT_XEN_L4) {
		*xen_first = PT_XEN_L4_FIRST;
		*xen_last = PT_XEN_L4_LAST;
	} else if (t->flags & PT_PAE_XEN_L2) {
		*xen_first = PT_XEN_PAE_L2_FIRST;
		*xen_last = ENTRIES - 1;
	}
}

/* Entry e of table t of a guest of `bits`, as the page-walk engine reads it. */
static struct walk_entry decode(unsigned int bits, const struct pt_table *t, uint64_t e)
{
	return walk_decode(bits == 64 ? 4 : 3, t->level, e);
}

struct xencore_error *pt_canon_page(const struct pt_set *set, const struct pt_table *t,
				    unsigned char *page, struct pt_counts *counts,
				    pt_record_fn *record, void *arg)
{
	unsigned int n, xen_first, xen_last;
	entry_range(t, &n, &xen_first, &xen_last);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t e = le64(page + 8 * i), v = e;
		bool xen = i >= xen_first && i <= xen_last;
		if (xen) {
			v = 0;
		} else if (e & X86_PTE_PRESENT) {
			struct walk_entry d = decode(set->bits, t, e);
			/* A large page's frames: its span, which must map contiguously. */
			uint64_t span = d.kind == WALK_LARGE ? UINT64_C(1) << (d.shift - X86_PAGE_SHIFT)
							     : 1, pfn;
			if (frame_pfn(set->p2m, d.frame, span, &pfn)) {
				v = (e & ~d.mask) | pfn << X86_PAGE_SHIFT;
				counts->rewritten++;
			} else {
				v = 0;
			}
		}
		if (v == e)
			continue;
		put_le64(page + 8 * i, v);
		if (v)
			continue;
		if (xen)
			counts->cleared_xen++;
		else
			counts->cleared_unmapped++;
		if (record) {
			struct pt_cleared c = { t->pfn, i, t->level, e };
			struct xencore_error *err = record(arg, &c);
			if (err)
				return err;
		}
	}
	return NULL;
}

/* ---- the walk ---- */

struct walk {
	struct xencore_dump *dump;
	struct pt_set *set;
	struct pt_hash hash;
	size_t cap, cap_cleared;
	unsigned int warned;
};

static const char *level_name(unsigned int bits, unsigned int level)
{
	static const char *const n64[] = { "", "L1", "L2", "L3", "L4" };
	static const char *const n32[] = { "", "L1", "L2", "PDPT" };
	return bits == 64 ? n64[level] : n32[level];
}

/*
 * Adds the table at mfn with its level and flags, unless it is there
 * already at that level.  A table not in the dump is counted, not added.
 */
static struct xencore_error *add_table(struct walk *w, uint64_t mfn, unsigned int level,
				       unsigned int flags, uint64_t from_mfn, unsigned int from_index,
				       const char *what)
{
	struct pt_set *s = w->set;
	size_t at;
	if (hash_get(&w->hash, mfn, &at)) {
		struct pt_table *t = &s->tables[at];
		if (t->level == level) {
			t->flags |= (uint8_t)flags;
			return NULL;
		}
		if (what)
			return xc_error(XENCORE_ERROR_FORMAT,
					"page table mfn 0x%" PRIx64 " is %s but also an %s table: a page table at two levels",
					mfn, what, level_name(s->bits, t->level));
		return xc_error(XENCORE_ERROR_FORMAT,
				"page table mfn 0x%" PRIx64 " is an %s table and an %s table (entry %u of table mfn 0x%" PRIx64 "): a page table at two levels or a cycle",
				mfn, level_name(s->bits, t->level), level_name(s->bits, level),
				from_index, from_mfn);
	}
	struct page_run run;
	struct xencore_error *err = page_index_find_mfn(&w->dump->index, mfn, &run);
	if (err)
		return err;
	if (!run.count) {
		s->not_dumped++;
		if (w->warned++ < MAX_WARNINGS) {
			if (what)
				xc_warn(w->dump, "page-table root mfn 0x%" PRIx64 " (%s) is not in the dump",
					mfn, what);
			else
				xc_warn(w->dump, "%s table mfn 0x%" PRIx64 " (entry %u of mfn 0x%" PRIx64 ") is not in the dump: what it maps keeps its frames",
					level_name(s->bits, level), mfn, from_index, from_mfn);
		}
		return NULL;
	}
	/* Its page goes where the output puts the page: the dump's pfn, else the p2m's. */
	uint64_t pfn;
	if (!w->dump->index.no_pfn)
		pfn = run.pfn + (mfn - run.mfn);
	else if (!xencore_p2m_mfn_to_pfn(s->p2m, mfn, &pfn))
		pfn = UINT64_MAX;	/* the output has no such page */
	if (s->nr == w->cap) {
		size_t c = w->cap ? 2 * w->cap : 256;
		struct pt_table *n = realloc(s->tables, c * sizeof(*n));
		if (!n)
			return &xencore_enomem;
		s->tables = n;
		w->cap = c;
	}
	if (!hash_put(&w->hash, mfn, s->nr))
		return &xencore_enomem;
	s->tables[s->nr++] = (struct pt_table){ mfn, pfn, (uint8_t)level, (uint8_t)flags };
	return NULL;
}

static struct xencore_error *record_cleared(void *arg, const struct pt_cleared *c)
{
	struct walk *w = arg;
	struct pt_set *s = w->set;
	if (s->nr_cleared == w->cap_cleared) {
		if (s->nr_cleared >= PT_MAX_CLEARED)
			return xc_error(XENCORE_ERROR_FORMAT,
					"more than %" PRIu64 " page-table entries name no frame of the guest: not a guest a native export can describe (--raw-pagetables keeps them as they are)",
					PT_MAX_CLEARED);
		size_t n = w->cap_cleared ? 2 * w->cap_cleared : 64;
		struct pt_cleared *p = realloc(s->cleared, n * sizeof(*p));
		if (!p)
			return &xencore_enomem;
		s->cleared = p;
		w->cap_cleared = n;
	}
	s->cleared[s->nr_cleared++] = *c;
	return NULL;
}

/* Reads table i, queues the tables it names and records what a rewrite clears. */
static struct xencore_error *walk_table(struct walk *w, size_t i, unsigned char *page)
{
	struct pt_set *s = w->set;
	struct pt_table t = s->tables[i];	/* the array may move below */
	struct xencore_error *err = xencore_read_mfn(w->dump, t.mfn, page);
	if (err)
		return xc_error_prefix(err, "reading page table mfn 0x%" PRIx64, t.mfn);
	if (t.level > 1) {
		unsigned int n, xen_first, xen_last;
		entry_range(&t, &n, &xen_first, &xen_last);
		for (unsigned int k = 0; k < n; k++) {
			/* Entries naming tables: not Xen's, present, not large pages. */
			struct walk_entry d = decode(s->bits, &t, le64(page + 8 * k));
			if ((k >= xen_first && k <= xen_last) || d.kind != WALK_TABLE)
				continue;
			unsigned int flags = 0;
			if (s->bits == 32 && (t.flags & PT_PAE_ROOT) && k == 3)
				flags = PT_PAE_XEN_L2;
			err = add_table(w, d.frame, t.level - 1, flags, t.mfn, k, NULL);
			if (err)
				return err;
		}
	}
	if (t.pfn == UINT64_MAX)
		return NULL;	/* not in the output: nothing to record */
	return pt_canon_page(s, &t, page, &s->counts, record_cleared, w);
}

static int cmp_mfn(const void *a, const void *b)
{
	const struct pt_table *x = a, *y = b;
	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

static int cmp_cleared(const void *a, const void *b)
{
	const struct pt_cleared *x = a, *y = b;
	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

struct xencore_error *pt_set_build(struct xencore_dump *dump, struct xencore_p2m *p2m,
				   const struct pt_root *roots, size_t nr_roots,
				   struct pt_set *set)
{
	memset(set, 0, sizeof(*set));
	set->bits = dump->info.guest_bits;
	set->p2m = p2m;
	/* The mfn-sorted runs, built now: out of memory is an error, not "unmapped". */
	uint64_t unused;
	(void)xencore_p2m_mfn_to_pfn(p2m, 0, &unused);
	if (!p2m->by_mfn)
		return &xencore_enomem;
	struct walk w = { .dump = dump, .set = set };
	unsigned int top = set->bits == 64 ? 4 : 3;
	unsigned int top_flags = set->bits == 64 ? PT_XEN_L4 : PT_PAE_ROOT;
	struct xencore_error *err = NULL;
	for (size_t i = 0; !err && i < nr_roots; i++)
		err = add_table(&w, roots[i].mfn, top, top_flags, 0, 0, roots[i].what);
	unsigned char *page = err ? NULL : malloc(X86_PAGE_SIZE);
	if (!err && !page)
		err = &xencore_enomem;
	for (size_t i = 0; !err && i < set->nr; i++)
		err = walk_table(&w, i, page);
	free(page);
	hash_free(&w.hash);
	if (err) {
		pt_set_deinit(set);
		return err;
	}
	if (w.warned > MAX_WARNINGS)
		xc_warn(dump, "%u more page tables are not in the dump", w.warned - MAX_WARNINGS);
	if (set->nr)
		qsort(set->tables, set->nr, sizeof(*set->tables), cmp_mfn);
	if (set->nr_cleared)
		qsort(set->cleared, set->nr_cleared, sizeof(*set->cleared), cmp_cleared);
	return NULL;
}

void pt_set_deinit(struct pt_set *set)
{
	free(set->tables);
	free(set->cleared);
	memset(set, 0, sizeof(*set));
}

const struct pt_table *pt_set_find(const struct pt_set *set, uint64_t mfn)
{
	size_t lo = 0, hi = set->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mfn < set->tables[mid].mfn)
			hi = mid;
		else if (mfn > set->tables[mid].mfn)
			lo = mid + 1;
		else
			return &set->tables[mid];
	}
	return NULL;
}

/* ---- back to machine frames ---- */

struct xencore_error *pt_record_load(const struct xencore_dump *dump, struct pt_record *rec)
{
	memset(rec, 0, sizeof(*rec));
	struct note_iter it = { dump->native_record, dump->native_record_size, 0 };
	struct note n;
	size_t cap = 0, cap_c = 0;
	/* As many entries as the notes hold: their size bounds the memory. */
	while (note_next(&it, &n) > 0) {
		uint32_t type = xencore_note_type(&n);
		size_t size = type == XENCORE_NOTE_TABLES ? XENCORE_TABLES_RUN_SIZE
			    : type == XENCORE_NOTE_CLEARED ? XENCORE_CLEARED_SIZE : 0;
		for (size_t off = 0; size && off + size <= n.descsz; off += size) {
			const unsigned char *d = n.desc + off;
			if (type == XENCORE_NOTE_TABLES) {
				if (rec->nr == cap) {
					size_t c = cap ? 2 * cap : 64;
					struct pt_table_run *p = realloc(rec->runs, c * sizeof(*p));
					if (!p)
						goto nomem;
					rec->runs = p;
					cap = c;
				}
				uint32_t kind = le32(d + 12);
				rec->runs[rec->nr++] = (struct pt_table_run){
					le64(d), le32(d + 8), (uint8_t)kind, (uint8_t)(kind >> 8)
				};
				continue;
			}
			if (rec->nr_cleared == cap_c) {
				size_t c = cap_c ? 2 * cap_c : 64;
				struct pt_cleared *p = realloc(rec->cleared, c * sizeof(*p));
				if (!p)
					goto nomem;
				rec->cleared = p;
				cap_c = c;
			}
			rec->cleared[rec->nr_cleared++] = (struct pt_cleared){
				le64(d), le32(d + 8), le32(d + 12), le64(d + 16)
			};
		}
	}
	return NULL;
nomem:
	pt_record_deinit(rec);
	return &xencore_enomem;
}

void pt_record_deinit(struct pt_record *rec)
{
	free(rec->runs);
	free(rec->cleared);
	memset(rec, 0, sizeof(*rec));
}

bool pt_record_find(const struct pt_record *rec, uint64_t pfn, struct pt_table *ret)
{
	const struct pt_table_run *r = RUNS_FIND(struct pt_table_run, rec->runs, rec->nr,
						 pfn, count, pfn);
	if (r)
		*ret = (struct pt_table){ 0, pfn, r->level, r->flags };
	return r != NULL;
}

/* The first cleared entry of table pfn, by binary search. */
static size_t first_cleared(const struct pt_record *rec, uint64_t pfn)
{
	size_t lo = 0, hi = rec->nr_cleared;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rec->cleared[mid].pfn < pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct xencore_error *pt_restore_page(struct xencore_dump *dump, const struct pt_record *rec,
				      const struct pt_table *t, unsigned char *page)
{
	unsigned int n, xen_first, xen_last;
	entry_range(t, &n, &xen_first, &xen_last);
	size_t c = first_cleared(rec, t->pfn);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t e = le64(page + 8 * i);
		while (c < rec->nr_cleared && rec->cleared[c].pfn == t->pfn &&
		       rec->cleared[c].index < i)
			c++;
		if (c < rec->nr_cleared && rec->cleared[c].pfn == t->pfn &&
		    rec->cleared[c].index == i) {
			put_le64(page + 8 * i, rec->cleared[c].entry);
			continue;
		}
		if (!(e & X86_PTE_PRESENT) || (i >= xen_first && i <= xen_last))
			continue;
		struct walk_entry d = decode(dump->info.guest_bits, t, e);
		uint64_t mfn;
		struct xencore_error *err = xc_table_frame(dump, d.frame, &mfn);
		if (err)
			return xc_error_prefix(err, "restoring page table pfn 0x%" PRIx64 " entry %u",
					       t->pfn, i);
		put_le64(page + 8 * i, (e & ~d.mask) | mfn << X86_PAGE_SHIFT);
	}
	return NULL;
}
