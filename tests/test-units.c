// SPDX-License-Identifier: LGPL-2.1-or-later
/* test-units.c: unit tests of the pure pieces: page index, p2m runs, x86 helpers. */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "codec.h"
#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "p2m-priv.h"
#include "page-index.h"
#include "pgtable-canon.h"
#include "printk-priv.h"
#include "runs.h"
#include "vmcoreinfo-priv.h"
#include "walk.h"
#include "x86.h"
#include "xen-notes.h"

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

static void test_le(void)
{
	const unsigned char b[8] = { 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01 };
	CHECK(le16(b) == 0xcdef);
	CHECK(le32(b) == 0x89abcdef);
	CHECK(le64(b) == UINT64_C(0x0123456789abcdef));
}

static void test_x86(void)
{
	/* FORMATS.md: mfn 0x23456789 <-> PAE cr3 0x56789234. */
	CHECK(x86_cr3_to_mfn(0x56789234, 32) == 0x23456789);
	CHECK(x86_cr3_to_mfn(UINT64_C(0x123456000), 64) == 0x123456);
	CHECK(x86_64_canonical(UINT64_C(0xffffc90000000000)));
	CHECK(x86_64_canonical(UINT64_C(0x00007fffffffffff)));
	CHECK(!x86_64_canonical(UINT64_C(0x0000800000000000)));
	CHECK(!x86_64_canonical(UINT64_C(0x0000900000000000)));
}

/* The run found (a copy, good until the fourth call after), or NULL. */
static const struct page_run *found_run(struct xencore_error *err, const struct page_run *r)
{
	static struct page_run ring[4];
	static unsigned int next;
	CHECK(!err);
	xencore_error_destroy(err);
	if (!r->count)
		return NULL;
	ring[next % 4] = *r;
	return &ring[next++ % 4];
}

static const struct page_run *by_pfn(struct page_index *idx, uint64_t pfn)
{
	struct page_run r;
	struct xencore_error *err = page_index_find_pfn(idx, pfn, &r);
	return found_run(err, &r);
}

static const struct page_run *by_mfn(struct page_index *idx, uint64_t mfn)
{
	struct page_run r;
	struct xencore_error *err = page_index_find_mfn(idx, mfn, &r);
	return found_run(err, &r);
}

/* A fake .xen_p2m in memory, read the way the dump reads its file. */
static unsigned char fake_table[16 * 20000];

static struct xencore_error *read_fake(void *arg, void *buf, size_t len,
				       uint64_t offset)
{
	(void)arg;
	if (offset > sizeof(fake_table) || len > sizeof(fake_table) - offset)
		return xc_error(XENCORE_ERROR_FORMAT, "past the end");
	memcpy(buf, fake_table + offset, len);
	return NULL;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Lazy indexing: a lookup indexes only as much of the table as it needs. */
static void test_page_index_lazy(void)
{
	/* 20000 records: pfn i at mfn 0x100000 + i, except a second run from 10000. */
	for (uint64_t i = 0; i < 20000; i++) {
		put64(fake_table + 16 * i, i);
		put64(fake_table + 16 * i + 8, i < 10000 ? 0x100000 + i : 0x300000 + i);
	}
	struct page_index idx;
	page_index_init(&idx);
	page_index_set_table(&idx, read_fake, NULL, ".xen_p2m", 0, 20000, PAGE_TABLE_P2M, 16);
	const struct page_run *r = by_mfn(&idx, 0x100005);
	CHECK(r && r->page + (0x100005 - r->mfn) == 5);
	CHECK(idx.next == 4096 && !idx.complete);	/* the first chunk only */
	r = by_pfn(&idx, 15000);
	CHECK(r && r->mfn + (15000 - r->pfn) == 0x300000 + 15000);
	CHECK(idx.complete && idx.nr == 2);	/* two runs in the end */
	CHECK(!by_mfn(&idx, 0x200000));
	page_index_deinit(&idx);

	/* Found by fuzz-open: a table whose records are all ~0 (a domain that
	 * shrank to nothing during the dump) indexes no run at all. */
	memset(fake_table, 0xff, 16 * 100);
	page_index_init(&idx);
	page_index_set_table(&idx, read_fake, NULL, ".xen_p2m", 0, 100, PAGE_TABLE_P2M, 16);
	CHECK(!by_pfn(&idx, 3) && idx.complete && idx.nr == 0);
	page_index_deinit(&idx);
	for (uint64_t i = 0; i < 20000; i++) {
		put64(fake_table + 16 * i, i);
		put64(fake_table + 16 * i + 8, i < 10000 ? 0x100000 + i : 0x300000 + i);
	}

	/* An out-of-range record is an error when it is reached. */
	put64(fake_table + 16 * 19999, UINT64_C(1) << 50);
	page_index_init(&idx);
	page_index_set_table(&idx, read_fake, NULL, ".xen_p2m", 0, 20000, PAGE_TABLE_P2M, 16);
	CHECK(by_pfn(&idx, 3) != NULL);
	struct page_run none;
	struct xencore_error *err = page_index_find_pfn(&idx, 19999, &none);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT && !none.count);
	xencore_error_destroy(err);
	page_index_deinit(&idx);

	/* xencore_has_mfn() says so too, rather than "not dumped". */
	struct xencore_dump dump;
	memset(&dump, 0, sizeof(dump));
	page_index_init(&dump.index);
	page_index_set_table(&dump.index, read_fake, NULL, ".xen_p2m", 0, 20000, PAGE_TABLE_P2M, 16);
	bool has = false;
	CHECK(!xencore_has_mfn(&dump, 0x100003, &has) && has);
	has = true;
	err = xencore_has_mfn(&dump, 0x7000000, &has);	/* a miss reaches record 19999 */
	CHECK(err && err->code == XENCORE_ERROR_FORMAT && err->where == XENCORE_WHERE_MFN &&
	      err->at == 0x7000000 && !has);
	xencore_error_destroy(err);
	page_index_deinit(&dump.index);
}

static void test_page_index(void)
{
	struct page_index idx;
	page_index_init(&idx);
	/* pages 0-2: pfns 10-12 at mfns 100-102; page 3: pfn 13 at mfn 50. */
	CHECK(!page_index_add(&idx, 10, 100, 0));
	CHECK(!page_index_add(&idx, 11, 101, 1));
	CHECK(!page_index_add(&idx, 12, 102, 2));
	CHECK(!page_index_add(&idx, 13, 50, 3));
	CHECK(!page_index_add(&idx, 2, 7, 4));	/* out of pfn order: sorted later */
	CHECK(idx.nr == 3);
	CHECK(!page_index_complete(&idx));
	const struct page_run *r = by_pfn(&idx, 12);
	CHECK(r && r->page + (12 - r->pfn) == 2);
	r = by_mfn(&idx, 101);
	CHECK(r && r->page + (101 - r->mfn) == 1 && r->pfn + (101 - r->mfn) == 11);
	r = by_mfn(&idx, 50);
	CHECK(r && r->page == 3);
	CHECK(by_pfn(&idx, 2)->page == 4);
	CHECK(!by_pfn(&idx, 14));
	CHECK(!by_pfn(&idx, 9));
	CHECK(!by_mfn(&idx, 103));
	CHECK(!by_mfn(&idx, 0));
	page_index_deinit(&idx);

	/* The same mfn on two pages is a damaged dump. */
	page_index_init(&idx);
	CHECK(!page_index_add(&idx, 1, 100, 0));
	CHECK(!page_index_add(&idx, 5, 100, 1));
	struct xencore_error *err = page_index_complete(&idx);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT);
	xencore_error_destroy(err);
	page_index_deinit(&idx);

	/* The same pfn on two pages too. */
	page_index_init(&idx);
	CHECK(!page_index_add(&idx, 1, 100, 0));
	CHECK(!page_index_add(&idx, 1, 200, 1));
	err = page_index_complete(&idx);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT);
	xencore_error_destroy(err);
	page_index_deinit(&idx);
}

static void test_runs(void)
{
	struct run_builder b;
	run_builder_init(&b);
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, 0, 1000, 4));
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, 4, 1004, 2));	/* merges */
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, 6, 2000, 1));	/* new run */
	CHECK(!run_builder_add(&b, XENCORE_RUN_INVALID, 7, 0, 3));
	CHECK(!run_builder_add(&b, XENCORE_RUN_INVALID, 10, 0, 5));	/* merges */
	CHECK(!run_builder_add(&b, XENCORE_RUN_UNKNOWN, 15, 0, 1));
	CHECK(!run_builder_add(&b, XENCORE_RUN_INVALID, 16, 0, 0));	/* empty: no-op */
	CHECK(b.nr == 4);
	CHECK(b.runs[0].pfn == 0 && b.runs[0].count == 6 && b.runs[0].mfn == 1000);
	CHECK(b.runs[1].pfn == 6 && b.runs[1].mfn == 2000 && b.runs[1].count == 1);
	CHECK(b.runs[2].kind == XENCORE_RUN_INVALID && b.runs[2].count == 8);
	CHECK(b.runs[3].kind == XENCORE_RUN_UNKNOWN && b.next_pfn == 16);
	/* A gap is a source bug, reported, not papered over. */
	struct xencore_error *err = run_builder_add(&b, XENCORE_RUN_MAPPED, 20, 1, 1);
	CHECK(err != NULL);
	xencore_error_destroy(err);
	run_builder_deinit(&b);
}

/* ---- the sorted-run lookups (runs.h) ---- */

struct test_run {
	uint64_t first;
	uint32_t other;		/* fields between and around: offsets matter */
	uint64_t count;
};

static uint64_t test_run_first(const void *arg, size_t i)
{
	return ((const struct test_run *)arg)[i].first;
}

static void test_run_lookup(void)
{
	/* Runs of 1, a gap, a long run, runs touching, a last run of 1. */
	const struct test_run r[] = {
		{ 10, 0, 1 }, { 20, 0, 5 }, { 25, 0, 3 }, { 100, 0, 1 },
	};
	CHECK(!RUNS_FIND(struct test_run, r, 0, first, count, 10));	/* empty */
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 10) == &r[0]);	/* first */
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, 9));	/* before it */
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, 11));	/* count 1: past it */
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, 15));	/* a gap */
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 20) == &r[1]);
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 24) == &r[1]);
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 25) == &r[2]);	/* touching */
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 27) == &r[2]);
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, 28));
	CHECK(RUNS_FIND(struct test_run, r, 4, first, count, 100) == &r[3]);	/* last */
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, 101));
	CHECK(!RUNS_FIND(struct test_run, r, 4, first, count, UINT64_MAX));
	CHECK(RUNS_FIND(struct test_run, r, 1, first, count, 10) == &r[0]);	/* one run */
	CHECK(!RUNS_FIND(struct test_run, r, 1, first, count, 20));
	/* Every want against a linear scan. */
	for (uint64_t want = 0; want < 110; want++) {
		const struct test_run *lin = NULL;
		for (size_t i = 0; i < 4; i++)
			if (want >= r[i].first && want - r[i].first < r[i].count)
				lin = &r[i];
		CHECK(RUNS_FIND(struct test_run, r, 4, first, count, want) == lin);
	}
	/* A run at the top of the number space: no overflow. */
	const struct test_run top[] = { { UINT64_MAX - 1, 0, 2 } };
	CHECK(RUNS_FIND(struct test_run, top, 1, first, count, UINT64_MAX) == &top[0]);

	/* runs_upper: how many start at or below want. */
	CHECK(runs_upper(r, 0, test_run_first, 50) == 0);
	CHECK(runs_upper(r, 4, test_run_first, 0) == 0);
	CHECK(runs_upper(r, 4, test_run_first, 10) == 1);
	CHECK(runs_upper(r, 4, test_run_first, 24) == 2);
	CHECK(runs_upper(r, 4, test_run_first, 99) == 3);
	CHECK(runs_upper(r, 4, test_run_first, UINT64_MAX) == 4);
	const struct test_run eq[] = { { 5, 0, 1 }, { 5, 0, 1 }, { 7, 0, 1 } };
	CHECK(runs_upper(eq, 3, test_run_first, 5) == 2 && runs_upper(eq, 3, test_run_first, 4) == 0);
}

/* Builds n one-pfn runs (mfns scattered so none merge), run bad (if < n) another mfn. */
static struct xencore_error *build_expecting(struct run_builder *b,
					     const struct xencore_p2m_run *ref, size_t nr_ref,
					     size_t n, size_t bad, bool *same)
{
	run_builder_init(b);
	run_builder_expect(b, ref, nr_ref);
	for (size_t i = 0; i < n; i++) {
		struct xencore_error *err = run_builder_add(b, XENCORE_RUN_MAPPED, i,
							    (i * 7919 % 100003) * 2 + (i == bad), 1);
		if (err)
			return err;
	}
	return run_builder_finish(b, same);
}

/* A source held against a saved p2m: shared when equal, whole when not. */
static void test_runs_expect(void)
{
	enum { N = 10000 };
	struct xencore_p2m_run *ref = calloc(N, sizeof(*ref));
	CHECK(ref != NULL);
	if (!ref)
		return;
	for (size_t i = 0; i < N; i++)
		ref[i] = (struct xencore_p2m_run){ .pfn = i, .count = 1,
						   .mfn = (i * 7919 % 100003) * 2,
						   .kind = XENCORE_RUN_MAPPED };
	struct run_builder b;
	bool same;
	/* equal: nothing held, the result is ref */
	CHECK(!build_expecting(&b, ref, N, N, N, &same) && same && b.nr == 0 && b.cap < 8192);
	run_builder_deinit(&b);
	/* one run differs after the first drops (4096 runs): all N back, the one changed */
	CHECK(!build_expecting(&b, ref, N, N, 5000, &same) && !same && b.nr == N);
	CHECK(b.nr == N && b.runs[4999].mfn == ref[4999].mfn && b.runs[5000].mfn == ref[5000].mfn + 1 &&
	      b.runs[N - 1].mfn == ref[N - 1].mfn && b.runs[0].pfn == 0);
	run_builder_deinit(&b);
	/* shorter and longer than ref: whole, not shared */
	CHECK(!build_expecting(&b, ref, N, N - 1, N, &same) && !same && b.nr == N - 1);
	run_builder_deinit(&b);
	CHECK(!build_expecting(&b, ref, N - 1, N, N, &same) && !same && b.nr == N);
	CHECK(b.nr == N && b.runs[N - 1].mfn == ref[N - 1].mfn);
	run_builder_deinit(&b);
	free(ref);
}

/* Entry decoding: ~0, the foreign and identity bits, mapped runs (Linux page.h). */
static void test_scan(void)
{
	unsigned char p[8 * 8];
	const uint64_t v[8] = {
		0x1000, 0x1001, UINT64_MAX, UINT64_MAX,
		(UINT64_C(1) << 62) | 4, (UINT64_C(1) << 62) | 5,
		(UINT64_C(1) << 63) | 0x77, (UINT64_C(1) << 63) | 0x78,
	};
	for (int i = 0; i < 8; i++)
		put64(p + 8 * i, v[i]);
	struct run_builder b;
	run_builder_init(&b);
	CHECK(!run_builder_scan(&b, 0, p, 8, 8));
	CHECK(b.nr == 4);
	CHECK(b.runs[0].kind == XENCORE_RUN_MAPPED && b.runs[0].mfn == 0x1000 && b.runs[0].count == 2);
	CHECK(b.runs[1].kind == XENCORE_RUN_INVALID && b.runs[1].count == 2);
	CHECK(b.runs[2].kind == XENCORE_RUN_IDENTITY && b.runs[2].pfn == 4 && b.runs[2].count == 2);
	CHECK(b.runs[3].kind == XENCORE_RUN_FOREIGN && b.runs[3].mfn == 0x77 && b.runs[3].count == 2);
	run_builder_deinit(&b);

	/* 32-bit guests: 4-byte entries, bits 31 and 30. */
	unsigned char q[4 * 4] = { 0 };
	const uint32_t w[4] = { 0xffffffff, 0x80000010, 0x40000002, 0x123 };
	for (int i = 0; i < 4; i++)
		for (int k = 0; k < 4; k++)
			q[4 * i + k] = (unsigned char)(w[i] >> (8 * k));
	run_builder_init(&b);
	CHECK(!run_builder_scan(&b, 0, q, 4, 4));
	CHECK(b.nr == 4 && b.runs[1].kind == XENCORE_RUN_FOREIGN && b.runs[1].mfn == 0x10);
	CHECK(b.runs[2].kind == XENCORE_RUN_IDENTITY && b.runs[3].mfn == 0x123);
	run_builder_deinit(&b);
}

/*
 * Frame.h's rule in the builder: frames up to 2^40-1 are kept, a mapped or
 * foreign run crossing into 2^40 is split, what lies past it is unknown
 * and counted; pfns from 2^40 on are counted and not held.
 */
static void test_frame_rule(void)
{
	CHECK(xc_frame_ok(XC_MAX_FRAME) && !xc_frame_ok(XC_FRAMES));
	CHECK(xc_frames_ok(XC_MAX_FRAME, 1) && !xc_frames_ok(XC_MAX_FRAME, 2));
	CHECK(!xc_frames_ok(0, 0) && xc_frames_ok(0, XC_FRAMES) && !xc_frames_ok(1, XC_FRAMES));

	struct run_builder b;
	run_builder_init(&b);
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, 0, XC_MAX_FRAME - 1, 4));
	CHECK(!run_builder_add(&b, XENCORE_RUN_FOREIGN, 4, XC_FRAMES, 2));
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, 6, 0x1000, 1));
	CHECK(b.nr == 3);
	CHECK(b.runs[0].kind == XENCORE_RUN_MAPPED && b.runs[0].count == 2 &&
	      b.runs[0].mfn == XC_MAX_FRAME - 1);
	CHECK(b.runs[1].kind == XENCORE_RUN_UNKNOWN && b.runs[1].pfn == 2 && b.runs[1].count == 4);
	CHECK(b.runs[2].kind == XENCORE_RUN_MAPPED && b.runs[2].mfn == 0x1000);
	CHECK(b.impossible == 4 && b.impossible_pfn == 2 && b.impossible_mfn == XC_FRAMES &&
	      b.impossible_kind == XENCORE_RUN_MAPPED);
	run_builder_deinit(&b);

	/* A 64-bit entry's frame is bits 0..61: 2^40 and up, plain or foreign. */
	unsigned char p[3 * 8];
	put64(p, XC_FRAMES);
	put64(p + 8, (UINT64_C(1) << 63) | XC_FRAMES);
	put64(p + 16, (UINT64_C(1) << 63) | XC_MAX_FRAME);
	run_builder_init(&b);
	CHECK(!run_builder_scan(&b, 0, p, 3, 8));
	CHECK(b.nr == 2 && b.runs[0].kind == XENCORE_RUN_UNKNOWN && b.runs[0].count == 2);
	CHECK(b.runs[1].kind == XENCORE_RUN_FOREIGN && b.runs[1].mfn == XC_MAX_FRAME);
	CHECK(b.impossible == 2);
	run_builder_deinit(&b);

	/* Pfns: the run reaching past 2^40 is cut there, the next not held. */
	run_builder_init(&b);
	CHECK(!run_builder_add(&b, XENCORE_RUN_INVALID, 0, 0, XC_FRAMES - 1));
	CHECK(!run_builder_add(&b, XENCORE_RUN_MAPPED, XC_FRAMES - 1, 0x10, 3));
	CHECK(!run_builder_add(&b, XENCORE_RUN_UNKNOWN, XC_FRAMES + 2, 0, 100));
	CHECK(b.nr == 2 && b.runs[1].count == 1 && b.past == 102 && b.next_pfn == XC_FRAMES + 102);
	run_builder_deinit(&b);
}

static struct xencore_p2m *make_p2m(enum xencore_p2m_source source,
				    const struct xencore_p2m_run *runs, size_t n)
{
	struct run_builder b;
	run_builder_init(&b);
	for (size_t i = 0; i < n; i++)
		CHECK(!run_builder_add(&b, runs[i].kind, runs[i].pfn, runs[i].mfn, runs[i].count));
	struct xencore_p2m *p = calloc(1, sizeof(*p));
	p->source = source;
	p->max_pfn = b.next_pfn;
	p->runs = b.runs;
	p->nr_runs = b.nr;
	return p;
}

/*
 * mfn -> pfn when runs overlap in mfn (a forged p2m): a long run starting
 * before two short ones still answers for the mfns only it holds (a plain
 * binary search on the start missed them).
 */
static void test_mfn_to_pfn_overlap(void)
{
	const struct xencore_p2m_run runs[] = {
		{ .pfn = 0, .count = 100, .mfn = 1000, .kind = XENCORE_RUN_MAPPED },
		{ .pfn = 100, .count = 1, .mfn = 1010, .kind = XENCORE_RUN_MAPPED },
		{ .pfn = 101, .count = 1, .mfn = 1050, .kind = XENCORE_RUN_MAPPED },
		{ .pfn = 102, .count = 5, .mfn = 5000, .kind = XENCORE_RUN_MAPPED },
	};
	struct xencore_p2m *p = make_p2m(XENCORE_P2M_LINEAR, runs, 4);
	uint64_t pfn = 0;
	CHECK(xencore_p2m_mfn_to_pfn(p, 1060, &pfn) && pfn == 60);
	CHECK(xencore_p2m_mfn_to_pfn(p, 1099, &pfn) && pfn == 99);
	CHECK(xencore_p2m_mfn_to_pfn(p, 1000, &pfn) && pfn == 0);
	CHECK(xencore_p2m_mfn_to_pfn(p, 1010, &pfn) && (pfn == 10 || pfn == 100));
	CHECK(xencore_p2m_mfn_to_pfn(p, 5004, &pfn) && pfn == 106);
	CHECK(!xencore_p2m_mfn_to_pfn(p, 1100, &pfn) && !xencore_p2m_mfn_to_pfn(p, 999, &pfn) &&
	      !xencore_p2m_mfn_to_pfn(p, 5005, &pfn));
	/* The scan (no memory for the mfn order) answers as the order does. */
	for (uint64_t mfn = 990; mfn < 5010; mfn++) {
		uint64_t a = UINT64_MAX, b = UINT64_MAX;
		bool fa = xencore_p2m_mfn_to_pfn(p, mfn, &a), fb = p2m_mfn_to_pfn_scan(p, mfn, &b);
		CHECK(fa == fb && a == b);
	}
	xencore_p2m_destroy(p);
	/* without overlap: the plain search, no reach array */
	const struct xencore_p2m_run plain[] = {
		{ .pfn = 0, .count = 10, .mfn = 300, .kind = XENCORE_RUN_MAPPED },
		{ .pfn = 10, .count = 10, .mfn = 100, .kind = XENCORE_RUN_MAPPED },
	};
	p = make_p2m(XENCORE_P2M_LINEAR, plain, 2);
	CHECK(xencore_p2m_mfn_to_pfn(p, 105, &pfn) && pfn == 15 && !p->by_mfn_reach);
	CHECK(xencore_p2m_mfn_to_pfn(p, 309, &pfn) && pfn == 9 && !xencore_p2m_mfn_to_pfn(p, 110, &pfn));
	xencore_p2m_destroy(p);
}

/* The cross-check on p2ms with known differences. */
static void test_check(void)
{
#define M XENCORE_RUN_MAPPED
#define I XENCORE_RUN_INVALID
#define U XENCORE_RUN_UNKNOWN
	/* pfns 0-99: list maps 0-49 at 1000, 50-59 unknown, 60-99 invalid. */
	const struct xencore_p2m_run linear[] = {
		{ 0, 50, 1000, M }, { 50, 10, 0, U }, { 60, 40, 0, I },
	};
	/* The tree: pfn 7 elsewhere (a disagreement), else the same. */
	const struct xencore_p2m_run tree[] = {
		{ 0, 7, 1000, M }, { 7, 1, 5000, M }, { 8, 42, 1008, M }, { 50, 50, 0, I },
	};
	/* The dump: lacks pfn 3, has pfn 70 (invalid in the list), and pfn 80
	 * mapped to mfn 1010, which pfn 10 also has in the list. */
	const struct xencore_p2m_run dump_runs[] = {
		{ 0, 3, 1000, M }, { 3, 1, 0, I }, { 4, 46, 1004, M }, { 50, 20, 0, I },
		{ 70, 1, 9000, M }, { 71, 29, 0, I },
	};
	struct xencore_p2m *p[3] = {
		make_p2m(XENCORE_P2M_LINEAR, linear, 3),
		make_p2m(XENCORE_P2M_TREE, tree, 4),
		make_p2m(XENCORE_P2M_DUMP, dump_runs, 6),
	};
	struct xencore_dump dump;
	memset(&dump, 0, sizeof(dump));
	page_index_init(&dump.index);	/* an empty table: check indexes it too */
	struct xencore_check *c;
	CHECK(!xencore_check_create(&dump, p, 3, &c));
	CHECK(xencore_check_total(c, XENCORE_FINDING_DISAGREE) == 1);
	CHECK(xencore_check_total(c, XENCORE_FINDING_LISTED_NOT_DUMPED) == 1);
	CHECK(xencore_check_total(c, XENCORE_FINDING_DUMPED_NOT_LISTED) == 1);
	CHECK(xencore_check_total(c, XENCORE_FINDING_UNKNOWN) == 10);
	CHECK(xencore_check_total(c, XENCORE_FINDING_MFN_TWICE) == 0);
	size_t nr;
	const struct xencore_finding *f = xencore_check_findings(c, &nr);
	CHECK(nr == 4 && f[0].kind == XENCORE_FINDING_DISAGREE && f[0].pfn == 7);
	CHECK(f[1].kind == XENCORE_FINDING_DUMPED_NOT_LISTED && f[1].pfn == 70);
	CHECK(f[2].kind == XENCORE_FINDING_LISTED_NOT_DUMPED && f[2].pfn == 3);
	CHECK(f[3].kind == XENCORE_FINDING_UNKNOWN && f[3].pfn == 50 &&
	      f[3].source == XENCORE_P2M_LINEAR);
	xencore_check_destroy(c);

	/* One mfn for two pfns: 10-11 and 90-91 both at 2000-2001. */
	const struct xencore_p2m_run twice[] = {
		{ 0, 10, 0, I }, { 10, 2, 2000, M }, { 12, 78, 0, I }, { 90, 2, 2000, M },
	};
	struct xencore_p2m *t = make_p2m(XENCORE_P2M_LINEAR, twice, 4);
	CHECK(!xencore_check_create(&dump, &t, 1, &c));
	f = xencore_check_findings(c, &nr);
	CHECK(nr == 1 && f[0].kind == XENCORE_FINDING_MFN_TWICE && f[0].mfn == 2000 &&
	      f[0].count == 2 && ((f[0].pfn == 10 && f[0].pfn2 == 90) ||
				  (f[0].pfn == 90 && f[0].pfn2 == 10)));
	xencore_check_destroy(c);
	xencore_p2m_destroy(t);
	page_index_deinit(&dump.index);
	for (int i = 0; i < 3; i++)
		xencore_p2m_destroy(p[i]);
#undef M
#undef I
#undef U
}

static void test_errors(void)
{
	struct xencore_error *err = xc_error(XENCORE_ERROR_FORMAT, "bad %d", 7);
	err = xc_error_prefix(err, "reading %s", "x");
	CHECK(err->code == XENCORE_ERROR_FORMAT);
	CHECK(!strcmp(err->message, "reading x: bad 7"));
	xencore_error_destroy(err);
	xencore_error_destroy(&xencore_enomem);	/* must be a no-op */
	xencore_error_destroy(NULL);
}

/* Notes built with xc_buf_add_note read back with note_next; bad sizes stop it. */
static void test_notes(void)
{
	struct xc_buf b = { 0 };
	/* An empty add to an empty buffer (found by fuzz-filter: NULL + 0). */
	CHECK(xc_buf_add(&b, NULL, 0) && b.len == 0);
	CHECK(xc_buf_add_note(&b, "Xen", 0x2000000, NULL, 0));
	CHECK(xc_buf_add_note(&b, "XENCORE", 4, "abcde", 5));
	CHECK(b.len == 12 + 4 + 12 + 8 + 8);
	struct note_iter it = { b.p, b.len, 0 };
	struct note n;
	CHECK(note_next(&it, &n) == 1 && note_is(&n, "Xen") && n.type == 0x2000000 &&
	      n.descsz == 0);
	CHECK(note_next(&it, &n) == 1 && note_is(&n, "XENCORE") && !note_is(&n, "XENCOR") &&
	      n.descsz == 5 && !memcmp(n.desc, "abcde", 5) && n.size == 28);
	CHECK(note_next(&it, &n) == 0);
	/* A descsz past the buffer is -1, not a read past it. */
	put_le32(b.p + 4, 0xfffffff0u);
	it.off = 0;
	CHECK(note_next(&it, &n) == -1);
	it = (struct note_iter){ b.p, 7, 0 };
	CHECK(note_next(&it, &n) == -1);
	xc_buf_free(&b);
}

/* VMCOREINFO text: lines, the three number forms, what is refused. */
static void test_vmcoreinfo(void)
{
	static const char text[] =
		"OSRELEASE=6.1.0-xencore\n"
		"PAGESIZE=4096\n"
		"\n"
		"SYMBOL(mem_section)=ffff888000100000\n"
		"SIZE(page)=64\n"
		"NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
		"NUMBER(PAGE_OFFSET)=0xffff888000000000\n"
		"SIZE(page)=32\n"
		"CRASHTIME=x=y\n"
		"\0SIZE(hidden)=1\n";	/* the kernel's buffer ends in zeros */
	struct xencore_vmcoreinfo *vi;
	struct xencore_error *err = xencore_vmcoreinfo_parse(text, sizeof(text) - 1, &vi);
	CHECK(!err);
	if (err)
		return;
	CHECK(xencore_vmcoreinfo_count(vi) == 8);
	CHECK(!strcmp(xencore_vmcoreinfo_get(vi, "OSRELEASE"), "6.1.0-xencore"));
	CHECK(!strcmp(xencore_vmcoreinfo_get(vi, "CRASHTIME"), "x=y"));
	CHECK(!xencore_vmcoreinfo_get(vi, "SIZE(hidden)"));
	int64_t v;
	CHECK(vi_lookup(vi, "SYMBOL(mem_section)", VI_HEX, &v) == VI_FOUND &&
	      (uint64_t)v == UINT64_C(0xffff888000100000));
	CHECK(vi_lookup(vi, "SIZE(page)", VI_DEC, &v) == VI_FOUND && v == 64);	/* the first */
	CHECK(vi_lookup(vi, "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)", VI_NUMBER, &v) == VI_FOUND &&
	      v == -129);
	CHECK(vi_lookup(vi, "NUMBER(PAGE_OFFSET)", VI_NUMBER, &v) == VI_FOUND &&
	      (uint64_t)v == UINT64_C(0xffff888000000000));
	CHECK(vi_lookup(vi, "OSRELEASE", VI_DEC, &v) == VI_BAD);
	CHECK(vi_lookup(vi, "SIZE(none)", VI_DEC, &v) == VI_MISSING);
	const char *k, *val;
	xencore_vmcoreinfo_entry(vi, 1, &k, &val);
	CHECK(!strcmp(k, "PAGESIZE") && !strcmp(val, "4096"));
	xencore_vmcoreinfo_destroy(vi);

	static const char *const bad[] = { "OSRELEASE=6.1\nno equals sign\n", "=value\n", "\n\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = xencore_vmcoreinfo_parse(bad[i], strlen(bad[i]), &vi);
		CHECK(err && err->code == XENCORE_ERROR_FORMAT);
		xencore_error_destroy(err);
	}
	err = xencore_vmcoreinfo_parse("SIZE(page)=99999999999999999999\n", 32, &vi);
	CHECK(!err);
	if (!err) {
		CHECK(vi_lookup(vi, "SIZE(page)", VI_DEC, &v) == VI_BAD);
		xencore_vmcoreinfo_destroy(vi);
	}
}

/* What pt_canon_page() clears, kept for pt_restore_page(). */
static struct pt_cleared cleared[16];
static size_t nr_cleared;

static struct xencore_error *keep_cleared(void *arg, const struct pt_cleared *c)
{
	(void)arg;
	CHECK(nr_cleared < 16);
	if (nr_cleared < 16)
		cleared[nr_cleared++] = *c;
	return NULL;
}

/*
 * The page-table rewrite mfn -> pfn and back, entry kinds the fixtures
 * lack: 2 MiB pages whose span does or does not map contiguously, frames
 * no pfn maps, entries that are not present, Xen's L4 slots, a PAE PDPT.
 */
static void test_canon(void)
{
	const struct xencore_p2m_run runs[] = {
		{ 0, 1024, 0x10000, XENCORE_RUN_MAPPED },
		{ 1024, 512, 0x30000, XENCORE_RUN_MAPPED },
		{ 1536, 256, 0, XENCORE_RUN_INVALID },
		{ 1792, 512, 0x50000, XENCORE_RUN_MAPPED },	/* a 2 MiB frame at an odd pfn */
		{ 2304, 256, 0, XENCORE_RUN_INVALID },
		{ 2560, 100, 0x60000, XENCORE_RUN_MAPPED },	/* fewer than 512 */
	};
	struct xencore_p2m *p2m = make_p2m(XENCORE_P2M_LINEAR, runs, 6);
	struct pt_set set = { .bits = 64, .p2m = p2m };
	uint64_t unused;
	(void)xencore_p2m_mfn_to_pfn(p2m, 0, &unused);	/* builds by_mfn */

	unsigned char page[4096], orig[4096];
	memset(page, 0, sizeof(page));
	const uint64_t nx = UINT64_C(1) << 63;
	put_le64(page + 0, nx | 0x10001000 | 0x67);	/* 4 KiB: pfn 1 */
	put_le64(page + 8, 0x10000000 | 0xe3);		/* 2 MiB at pfn 0 */
	put_le64(page + 16, 0x10200000 | 0xe3);		/* 2 MiB at pfn 512 */
	put_le64(page + 24, 0x50000000 | 0xe3);		/* pfn 1792: not 2 MiB aligned */
	put_le64(page + 32, 0x30000000 | 0xe3);		/* pfn 1024: aligned, 512 pfns */
	put_le64(page + 40, 0x60000000 | 0xe3);		/* pfn 2560: its run is short */
	put_le64(page + 48, 0x99999000 | 0x67);		/* no pfn: foreign */
	put_le64(page + 56, 0x1234000);			/* not present: a swap entry */
	memcpy(orig, page, sizeof(page));
	struct pt_table l2 = { .mfn = 0x10005, .pfn = 5, .level = 2 };
	struct pt_counts c = { 0 };
	nr_cleared = 0;
	CHECK(!pt_canon_page(&set, &l2, page, &c, keep_cleared, NULL));
	CHECK(le64(page + 0) == (nx | 0x1000 | 0x67));
	CHECK(le64(page + 8) == (0x0 | 0xe3));
	CHECK(le64(page + 16) == (0x200000 | 0xe3));
	CHECK(le64(page + 24) == 0);
	CHECK(le64(page + 32) == (0x400000 | 0xe3));
	CHECK(le64(page + 40) == 0);
	CHECK(le64(page + 48) == 0);
	CHECK(le64(page + 56) == 0x1234000);
	CHECK(c.rewritten == 4 && c.cleared_unmapped == 3 && c.cleared_xen == 0);
	CHECK(nr_cleared == 3 && cleared[0].index == 3 && cleared[0].pfn == 5 &&
	      cleared[0].level == 2 && cleared[0].entry == (0x50000000 | 0xe3));

	/* Back: a native export's page with its record gives the guest's bytes. */
	struct xencore_dump dump;
	memset(&dump, 0, sizeof(dump));
	page_index_init(&dump.index);
	dump.info.guest_bits = 64;
	dump.pt_pfn = true;
	dump.saved_p2m = (struct xencore_p2m_run *)runs;
	dump.saved_p2m_nr = 6;
	struct pt_table_run run = { 5, 1, 2, 0 };
	struct pt_record rec = { .runs = &run, .nr = 1, .cleared = cleared, .nr_cleared = nr_cleared };
	struct pt_table found;
	CHECK(pt_record_find(&rec, 5, &found) && found.level == 2 && !pt_record_find(&rec, 6, &found));
	CHECK(!pt_restore_page(&dump, &rec, &l2, page));
	CHECK(!memcmp(page, orig, sizeof(page)));

	/* An L4: Xen's slots 256-271 go, whatever they hold. */
	memset(page, 0, sizeof(page));
	put_le64(page + 8 * 256, 0x83f100000 | 0x63);
	put_le64(page + 8 * 258, 0x10005000 | 0x63);	/* the linear map: a guest frame */
	put_le64(page + 8 * 272, 0x10006000 | 0x67);
	memcpy(orig, page, sizeof(page));
	struct pt_table l4 = { .mfn = 0x10004, .pfn = 4, .level = 4, .flags = PT_XEN_L4 };
	memset(&c, 0, sizeof(c));
	nr_cleared = 0;
	CHECK(!pt_canon_page(&set, &l4, page, &c, keep_cleared, NULL));
	CHECK(!le64(page + 8 * 256) && !le64(page + 8 * 258));
	CHECK(le64(page + 8 * 272) == (0x6000 | 0x67));
	CHECK(c.cleared_xen == 2 && c.rewritten == 1 && nr_cleared == 2);
	run = (struct pt_table_run){ 4, 1, 4, PT_XEN_L4 };
	rec = (struct pt_record){ .runs = &run, .nr = 1, .cleared = cleared, .nr_cleared = 2 };
	CHECK(!pt_restore_page(&dump, &rec, &l4, page));
	CHECK(!memcmp(page, orig, sizeof(page)));

	/* A PAE PDPT: its 4 entries only (the rest of the page is not one). */
	set.bits = 32;
	memset(page, 0, sizeof(page));
	put_le64(page + 24, 0x10007000 | 0x1);
	put_le64(page + 32, 0x10008000 | 0x1);	/* entry 4: not an entry */
	struct pt_table pdpt = { .mfn = 0x10004, .pfn = 4, .level = 3, .flags = PT_PAE_ROOT };
	memset(&c, 0, sizeof(c));
	CHECK(!pt_canon_page(&set, &pdpt, page, &c, NULL, NULL));
	CHECK(le64(page + 24) == (0x7000 | 0x1) && le64(page + 32) == (0x10008000 | 0x1));
	CHECK(c.rewritten == 1);
	page_index_deinit(&dump.index);
	xencore_p2m_destroy(p2m);
}

/* ---- the page-walk engine (walk.h) over tables in memory ---- */

#define FAKE_PAGES	16
#define FAKE_MFN	0x100		/* page i of the fake dump is mfn 0x100 + i, pfn i */
static unsigned char fake_pages[FAKE_PAGES][4096];
static unsigned int fake_reads;

static struct xencore_error *fake_read_pages(struct xencore_dump *dump, uint64_t page,
					     size_t n, void *buf)
{
	(void)dump;
	CHECK(page + n <= FAKE_PAGES);
	memcpy(buf, fake_pages[page], n * 4096);
	fake_reads += (unsigned int)n;
	return NULL;
}

static const struct format_ops fake_ops = { .name = "fake", .read_pages = fake_read_pages };

/* A dump of the fake pages: page_index by mfn (and pfn), read from memory. */
static void fake_dump(struct xencore_dump *dump, unsigned int guest_bits)
{
	memset(dump, 0, sizeof(*dump));
	page_index_init(&dump->index);
	pthread_mutex_init(&dump->warn_lock, NULL);
	dump->ops = &fake_ops;
	dump->info.guest_bits = guest_bits;
	CHECK(!page_index_add_run(&dump->index, 0, FAKE_MFN, 0, FAKE_PAGES));
}

static void fake_pte(unsigned int page, unsigned int index, uint64_t e)
{
	put_le64(fake_pages[page] + 8 * index, e);
}

/* va from its table indices, 4 levels (sign-extended from bit 47). */
static uint64_t va4(unsigned int l4, unsigned int l3, unsigned int l2, unsigned int l1)
{
	uint64_t va = (uint64_t)l4 << 39 | (uint64_t)l3 << 30 | (uint64_t)l2 << 21 | (uint64_t)l1 << 12;
	return va & (UINT64_C(1) << 47) ? va | UINT64_C(0xffff000000000000) : va;
}

static void test_walk_decode(void)
{
	const uint64_t p = X86_PTE_PRESENT | X86_PTE_RW, ps = X86_PTE_PSE;
	struct walk_entry d = walk_decode(4, 3, 0x1234000);	/* not present: a swap entry */
	CHECK(d.kind == WALK_ABSENT && d.shift == 30);
	/* PS at L4 and in a PAE PDPTE is not PS: a table. */
	d = walk_decode(4, 4, UINT64_C(0x123456000) | p | ps);
	CHECK(d.kind == WALK_TABLE && d.frame == 0x123456 && d.shift == 39);
	d = walk_decode(3, 3, UINT64_C(0x123456000) | p | ps);
	CHECK(d.kind == WALK_TABLE && d.frame == 0x123456 && d.shift == 30);
	/* At L3 of 4 levels: 1 GiB; at L2 of either: 2 MiB; low bits of the frame field are not frame. */
	d = walk_decode(4, 3, UINT64_C(0x80000000) | UINT64_C(0x1000) | p | ps);
	CHECK(d.kind == WALK_LARGE && d.frame == 0x80000 && d.mask == X86_PDPE_1G_MASK &&
	      d.shift == 30);
	d = walk_decode(4, 2, UINT64_C(0x40200000) | UINT64_C(0x1000) | p | ps);
	CHECK(d.kind == WALK_LARGE && d.frame == 0x40200 && d.shift == 21);
	d = walk_decode(3, 2, UINT64_C(0x40200000) | p | ps);
	CHECK(d.kind == WALK_LARGE && d.frame == 0x40200 && d.mask == X86_PDE_2M_MASK);
	/* Without PS, a table at every level above 1; bit 7 at L1 is PAT: a page. */
	d = walk_decode(4, 3, UINT64_C(0x5000) | p);
	CHECK(d.kind == WALK_TABLE && d.frame == 5 && d.mask == X86_PTE_FRAME_MASK);
	d = walk_decode(4, 2, (UINT64_C(1) << 63) | UINT64_C(0x6000) | p);	/* NX is not frame */
	CHECK(d.kind == WALK_TABLE && d.frame == 6);
	d = walk_decode(4, 1, UINT64_C(0x7000) | p | ps);
	CHECK(d.kind == WALK_PAGE && d.frame == 7 && d.shift == 12);
	d = walk_decode(3, 1, UINT64_C(0x7000) | p);
	CHECK(d.kind == WALK_PAGE && d.frame == 7);
	CHECK(walk_index(va4(511, 2, 3, 4), 4) == 511 && walk_index(va4(511, 2, 3, 4), 3) == 2 &&
	      walk_index(va4(511, 2, 3, 4), 2) == 3 && walk_index(va4(511, 2, 3, 4), 1) == 4);
	CHECK(walk_index(UINT64_C(0xc0000000), 3) == 3);	/* PAE: the PDPT's 4 entries */
}

static void test_walk(void)
{
	const uint64_t p = X86_PTE_PRESENT | X86_PTE_RW, ps = X86_PTE_PSE;
	struct xencore_dump dump;
	struct walk_tables t;
	struct walk_path path;
	struct xencore_error *err;
	memset(fake_pages, 0, sizeof(fake_pages));
	fake_dump(&dump, 64);
	/* The cache: a table read once, until a table of the same slot replaces it. */
	const unsigned char *page;
	CHECK(!walk_tables_init(&t, 2));
	fake_reads = 0;
	CHECK(!walk_tables_get(&t, &dump, FAKE_MFN, &page) && page && fake_reads == 1);
	CHECK(!walk_tables_get(&t, &dump, FAKE_MFN, &page) && fake_reads == 1);
	CHECK(!walk_tables_get(&t, &dump, FAKE_MFN + 3, &page) && fake_reads == 2);	/* slot 0 too */
	CHECK(!walk_tables_get(&t, &dump, FAKE_MFN, &page) && fake_reads == 3);
	err = walk_tables_get(&t, &dump, 0x999, &page);
	CHECK(err && err->code == XENCORE_ERROR_NOT_PRESENT && !page);
	xencore_error_destroy(err);
	walk_tables_deinit(&t);
	CHECK(!walk_tables_init(&t, 4));	/* mfns 0x100-0x10a in slots of their own */
#define MFN(page) ((uint64_t)(FAKE_MFN + (page)) << 12)
	/*
	 * 4 levels: L4 page 0 -> L3 page 1 -> L2 page 2 -> L1 page 3.  The L4
	 * entry has bit 7 set, which is not PS at L4.
	 */
	fake_pte(0, 1, MFN(1) | p | ps);
	fake_pte(1, 0, MFN(2) | p);
	fake_pte(2, 0, MFN(3) | p);
	fake_pte(3, 5, UINT64_C(0x555000) | p);
	fake_pte(1, 1, UINT64_C(0x80000000) | p | ps);		/* 1 GiB at mfn 0x80000 */
	/* L3 entry 2 not present */
	fake_pte(1, 3, UINT64_C(0x1ff000) | p);			/* an L2 not dumped */
	fake_pte(2, 1, UINT64_C(0x40200000) | p | ps);		/* 2 MiB at mfn 0x40200 */
	fake_pte(2, 2, MFN(0) | p);				/* the L4 as an L1: a loop */
	fake_pte(2, 3, MFN(2) | p);				/* the L2 as its own L1 */
	fake_pte(2, 4, MFN(1) | p);				/* the L3 as an L1 */
	/* L1 entry 6 not present */

	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 0, 5) + 0x123, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_PAGE && path.mfn == 0x555 && path.size == 4096 &&
	      path.level == 1 && path.nr == 4);
	CHECK(path.step[0].level == 4 && path.step[0].table_mfn == FAKE_MFN &&
	      path.step[0].index == 1 && path.step[3].level == 1 &&
	      path.step[3].table_mfn == FAKE_MFN + 3 && path.step[3].index == 5);
	/* Each table read once: the next walk is from the cache (4 slots, 4 tables). */
	unsigned int reads = fake_reads;
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 0, 5), 0, &path);
	CHECK(!err && path.mfn == 0x555 && fake_reads == reads);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 0, 6), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_ABSENT && path.level == 1 && path.nr == 4);
	/* Large pages: the frame holding va, the page's size. */
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 1, 3, 7) + 8, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LARGE && path.level == 3 &&
	      path.size == UINT64_C(1) << 30 && path.mfn == 0x80000 + 3 * 512 + 7 && path.nr == 2);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 1, 9), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LARGE && path.level == 2 &&
	      path.size == UINT64_C(1) << 21 && path.mfn == 0x40209 && path.nr == 3);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 2, 0, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_ABSENT && path.level == 3 && path.nr == 2);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(0, 0, 0, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_ABSENT && path.level == 4 && path.nr == 1);
	/* A table not dumped: its level and mfn. */
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 3, 0, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_NOT_DUMPED && path.level == 2 && path.mfn == 0x1ff &&
	      path.nr == 2);
	err = walk_descend(&t, &dump, 0x999, 4, va4(1, 0, 0, 5), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_NOT_DUMPED && path.level == 4 && path.nr == 0);
	/* Loops: a table the path holds, at another level. */
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 2, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LOOP && path.level == 1 && path.mfn == FAKE_MFN &&
	      path.loop_level == 4 && path.nr == 3);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 3, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LOOP && path.mfn == FAKE_MFN + 2 && path.loop_level == 2);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 4, 0), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LOOP && path.mfn == FAKE_MFN + 1 && path.loop_level == 3);
	/* Stopping at a level: the table, read; the path knows its tables. */
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 0, 5), 1, &path);
	CHECK(!err && path.stop == WALK_STOP_TABLE && path.level == 1 && path.mfn == FAKE_MFN + 3 &&
	      path.nr == 3 && path.table && le64(path.table + 8 * 5) == (UINT64_C(0x555000) | p));
	CHECK(walk_path_level(&path, FAKE_MFN) == 4 && walk_path_level(&path, FAKE_MFN + 2) == 2 &&
	      walk_path_level(&path, FAKE_MFN + 3) == 1 && walk_path_level(&path, 0x555) == 0);
	err = walk_descend(&t, &dump, FAKE_MFN, 4, va4(1, 0, 0, 5), 4, &path);
	CHECK(!err && path.stop == WALK_STOP_TABLE && path.level == 4 && path.nr == 0);
	err = walk_descend(&t, &dump, FAKE_MFN, 5, 0, 0, &path);
	CHECK(err && err->code == XENCORE_ERROR_INVALID_ARGUMENT);
	xencore_error_destroy(err);

	/* PAE: PDPT page 8 (entry 3 with bit 7, not PS there) -> L2 page 9 -> L1 page 10. */
	dump.info.guest_bits = 32;
	fake_pte(8, 3, MFN(9) | X86_PTE_PRESENT | ps);
	fake_pte(9, 0, MFN(10) | p);
	fake_pte(9, 1, UINT64_C(0x600000) | p | ps);		/* 2 MiB at mfn 0x600 */
	fake_pte(10, 2, UINT64_C(0x777000) | p);
	uint64_t pae = UINT64_C(0xc0000000);
	err = walk_descend(&t, &dump, FAKE_MFN + 8, 3, pae + 0x2000, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_PAGE && path.mfn == 0x777 && path.nr == 3 &&
	      path.step[0].level == 3 && path.step[0].index == 3);
	err = walk_descend(&t, &dump, FAKE_MFN + 8, 3, pae + 0x200000 + 0x5000, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_LARGE && path.level == 2 && path.mfn == 0x605);
	err = walk_descend(&t, &dump, FAKE_MFN + 8, 3, pae + 0x3000, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_ABSENT && path.level == 1);
	err = walk_descend(&t, &dump, FAKE_MFN + 8, 3, 0x1000, 0, &path);
	CHECK(!err && path.stop == WALK_STOP_ABSENT && path.level == 3 && path.nr == 1);

	/* A native export: entries hold pfns (page i is pfn i); a pfn with no mfn stops. */
	dump.info.guest_bits = 64;
	dump.pt_pfn = true;
	memset(fake_pages[4], 0, 4096);
	memset(fake_pages[5], 0, 4096);
	memset(fake_pages[6], 0, 4096);
	fake_pte(4, 0, (UINT64_C(5) << 12) | p);
	fake_pte(5, 0, (UINT64_C(6) << 12) | p);
	fake_pte(6, 0, (UINT64_C(3) << 12) | p);		/* the L1, page 3 */
	fake_pte(6, 1, (UINT64_C(0x5000) << 12) | p);		/* pfn 0x5000: no mfn */
	fake_pte(6, 2, (UINT64_C(0x400) << 12) | p | ps);	/* 2 MiB at pfns 0x400..: no mfn */
	/* pfns 3-6 are the dump's pages; the saved p2m gives pfn 0x555 its mfn. */
	const struct xencore_p2m_run saved[] = { { 0x555, 1, 0x9555, XENCORE_RUN_MAPPED } };
	dump.saved_p2m = (struct xencore_p2m_run *)saved;
	dump.saved_p2m_nr = 1;
	err = walk_descend(&t, &dump, FAKE_MFN + 4, 4, va4(0, 0, 0, 5), 0, &path);
	CHECK(!err && path.stop == WALK_STOP_PAGE && path.mfn == 0x9555 &&
	      path.step[3].table_mfn == FAKE_MFN + 3);
	err = walk_descend(&t, &dump, FAKE_MFN + 4, 4, va4(0, 0, 1, 0), 0, &path);
	CHECK(err && err->code == XENCORE_ERROR_NOT_PRESENT && path.stop == WALK_STOP_NO_FRAME &&
	      path.mfn == 0x5000 && path.level == 2 && path.nr == 3);
	xencore_error_destroy(err);
	err = walk_descend(&t, &dump, FAKE_MFN + 4, 4, va4(0, 0, 2, 0), 0, &path);
	CHECK(err && path.stop == WALK_STOP_NO_FRAME && path.mfn == 0x400);
	xencore_error_destroy(err);
#undef MFN
	walk_tables_deinit(&t);
	page_index_deinit(&dump.index);
	pthread_mutex_destroy(&dump.warn_lock);
}

/* Warnings a fake dump gives, the last one kept. */
static unsigned int fake_warnings;
static char fake_warning[256];

static void fake_warn(void *arg, const char *msg)
{
	(void)arg;
	fake_warnings++;
	snprintf(fake_warning, sizeof(fake_warning), "%s", msg);
}

/*
 * The linear list through a large page (PV forbids them): read through it,
 * as the address space reads, with a warning; PS in an L4 entry is not PS.
 */
static void test_linear_large(void)
{
	const uint64_t p = X86_PTE_PRESENT | X86_PTE_RW, ps = X86_PTE_PSE;
	struct xencore_dump dump;
	memset(fake_pages, 0, sizeof(fake_pages));
	fake_dump(&dump, 64);
	dump.warn = fake_warn;
	/* Pages 12-15 again as pfns 0x1000.. and mfns 0x200.. (2 MiB aligned). */
	CHECK(!page_index_add_run(&dump.index, 0x1000, 0x200, 12, 4));
	fake_pte(0, 1, ((uint64_t)(FAKE_MFN + 1) << 12) | p | ps);
	fake_pte(1, 0, ((uint64_t)(FAKE_MFN + 2) << 12) | p);
	fake_pte(2, 0, UINT64_C(0x200000) | p | ps);	/* 2 MiB at mfn 0x200 */
	for (unsigned int i = 0; i < 512; i++)
		put_le64(fake_pages[12] + 8 * i, 0x5000 + i);
	memset(fake_pages[13], 0xff, 4096);
	put_le64(fake_pages[14], 0x7000);
	dump.info.has_shared_info = true;
	dump.info.has_linear_p2m = true;
	dump.info.p2m_cr3 = (uint64_t)FAKE_MFN << 12;
	dump.info.p2m_root_mfn = FAKE_MFN;
	dump.info.p2m_vaddr = va4(1, 0, 0, 0);
	dump.info.max_pfn = 1025;
	struct run_builder b;
	run_builder_init(&b);
	fake_warnings = 0;
	struct xencore_error *err = p2m_linear_build(&dump, &b);
	CHECK(!err);
	xencore_error_destroy(err);
	CHECK(b.nr == 3 && b.runs[0].pfn == 0 && b.runs[0].count == 512 && b.runs[0].mfn == 0x5000 &&
	      b.runs[0].kind == XENCORE_RUN_MAPPED && b.runs[1].kind == XENCORE_RUN_INVALID &&
	      b.runs[1].count == 512 && b.runs[2].pfn == 1024 && b.runs[2].mfn == 0x7000);
	CHECK(fake_warnings == 1 &&
	      strstr(fake_warning, "pfns 0x0-0x400 are mapped by a large-page L2 entry"));
	run_builder_deinit(&b);
	page_index_deinit(&dump.index);
	pthread_mutex_destroy(&dump.warn_lock);
}

/* The 3-level tree: the table cache for mid pages, a frame at two levels refused. */
static void test_tree_loops(void)
{
	struct xencore_dump dump;
	memset(fake_pages, 0, sizeof(fake_pages));
	fake_dump(&dump, 64);
	dump.info.has_shared_info = true;
	dump.info.has_tree_p2m = true;
	dump.info.frame_list_list = FAKE_MFN;	/* top page 0 */
	dump.info.max_pfn = 3 * 512;
	put_le64(fake_pages[0], FAKE_MFN + 1);	/* mid page 1 */
	put_le64(fake_pages[1], FAKE_MFN + 2);	/* leaves 2, 3 (all ~0), 3 again */
	put_le64(fake_pages[1] + 8, FAKE_MFN + 3);
	put_le64(fake_pages[1] + 16, FAKE_MFN + 3);
	for (unsigned int i = 0; i < 512; i++)
		put_le64(fake_pages[2] + 8 * i, 0x9000 + i);
	memset(fake_pages[3], 0xff, 4096);
	struct run_builder b;
	run_builder_init(&b);
	fake_reads = 0;
	CHECK(!p2m_tree_build(&dump, &b));
	CHECK(b.nr == 2 && b.runs[0].mfn == 0x9000 && b.runs[0].count == 512 &&
	      b.runs[1].kind == XENCORE_RUN_INVALID && b.runs[1].count == 1024);
	CHECK(fake_reads == 4);	/* top, mid, two leaves: the ~0 leaf once */
	run_builder_deinit(&b);
	/* A leaf that is the mid page, a mid page that is the top. */
	put_le64(fake_pages[1] + 8, FAKE_MFN + 1);
	run_builder_init(&b);
	struct xencore_error *err = p2m_tree_build(&dump, &b);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT &&
	      strstr(err->message, "p2m page for pfns from 0x200 (mfn 0x101) is the tree's own mid page"));
	xencore_error_destroy(err);
	run_builder_deinit(&b);
	put_le64(fake_pages[0], FAKE_MFN);
	run_builder_init(&b);
	err = p2m_tree_build(&dump, &b);
	CHECK(err && strstr(err->message, "mid page for pfns from 0x0 (mfn 0x100) is the tree's own top page"));
	xencore_error_destroy(err);
	run_builder_deinit(&b);
	page_index_deinit(&dump.index);
	pthread_mutex_destroy(&dump.warn_lock);
}

/* ---- the kernel log over a synthetic memory ---- */

#define LOGMEM_BASE UINT64_C(0xffff888000000000)
#define LOGMEM_SIZE 0x8000

struct logmem {
	unsigned char b[LOGMEM_SIZE];
	uint32_t absent;	/* a bit per page that reads fail on */
};

static struct xencore_error *logmem_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	struct logmem *m = arg;
	uint64_t off = addr - LOGMEM_BASE;
	if (addr < LOGMEM_BASE || off + len > LOGMEM_SIZE || (m->absent >> (off / 4096) & 1))
		return xc_error(XENCORE_ERROR_NOT_PRESENT, "no page at 0x%" PRIx64, addr);
	memcpy(buf, m->b + off, len);
	return NULL;
}

static void mput64(struct logmem *m, uint64_t off, uint64_t v)
{
	put_le64(m->b + off, v);
}

static void warn_count(void *arg, const char *msg)
{
	if (getenv("TEST_UNITS_VERBOSE"))
		fprintf(stderr, "warning: %s\n", msg);
	++*(int *)arg;
}

/* Linux 6.1's x86_64 layout (printk_ringbuffer.h), as its VMCOREINFO says it. */
static const char rb_vmcoreinfo[] =
	"OSRELEASE=6.1.0\n"
	"SYMBOL(prb)=ffff888000000000\n"
	"SIZE(printk_ringbuffer)=88\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\n"
	"OFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(printk_ringbuffer.fail)=80\n"
	"SIZE(prb_desc_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\n"
	"OFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\n"
	"OFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\n"
	"SIZE(prb_desc)=24\n"
	"OFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\n"
	"SIZE(prb_data_blk_lpos)=16\n"
	"OFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\n"
	"SIZE(printk_info)=88\n"
	"OFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\n"
	"OFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\n"
	"OFFSET(printk_info.dev_info)=24\n"
	"OFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\n"
	"OFFSET(prb_data_ring.head_lpos)=16\n"
	"OFFSET(prb_data_ring.tail_lpos)=24\n"
	"SIZE(atomic_long_t)=8\n"
	"OFFSET(atomic_long_t.counter)=0\n";

#define RB_DESCS 0x1000
#define RB_INFOS 0x2000
#define RB_TEXT 0x3000
#define RB_SIZE_BITS 8
#define SV(id, state) ((uint64_t)(id) | (uint64_t)(state) << 62)

/* One record: descriptor id, state, text block [begin, next) and its text. */
static void rb_record(struct logmem *m, uint64_t id, unsigned int state, uint64_t begin,
		      uint64_t next, const char *text, size_t len, uint64_t ts)
{
	uint64_t idx = id % 8, size = 1u << RB_SIZE_BITS;
	mput64(m, RB_DESCS + idx * 24, SV(id, state));
	mput64(m, RB_DESCS + idx * 24 + 8, begin);
	mput64(m, RB_DESCS + idx * 24 + 16, next);
	unsigned char *info = m->b + RB_INFOS + idx * 88;
	put_le64(info, 100 + id);		/* seq */
	put_le64(info + 8, ts);
	put_le16(info + 16, (uint16_t)len);
	info[18] = 3;				/* facility */
	info[19] = (uint8_t)(4 << 5 | 2);	/* level 4, LOG_NEWLINE */
	put_le32(info + 20, 0x80000001);	/* cpu 1 */
	if (begin & 1)
		return;
	uint64_t at = begin >> RB_SIZE_BITS == next >> RB_SIZE_BITS ? begin % size : 0;
	mput64(m, RB_TEXT + at, id);
	memcpy(m->b + RB_TEXT + at + 8, text, len);
}

static void rb_build(struct logmem *m)
{
	memset(m, 0, sizeof(*m));
	mput64(m, 0, LOGMEM_BASE + 0x100);			/* prb */
	unsigned char *rb = m->b + 0x100;
	put_le32(rb + 0, 3);					/* 8 descriptors */
	put_le64(rb + 8, LOGMEM_BASE + RB_DESCS);
	put_le64(rb + 16, LOGMEM_BASE + RB_INFOS);
	put_le64(rb + 24, 12);					/* head_id */
	put_le64(rb + 32, 8);					/* tail_id */
	put_le32(rb + 48, RB_SIZE_BITS);
	put_le64(rb + 56, LOGMEM_BASE + RB_TEXT);
	rb_record(m, 8, 2, 300, 316, "hello", 5, 1500000000);
	rb_record(m, 9, 1, 316, 340, "two\nlines", 9, 1600000000);
	rb_record(m, 10, 2, 3, 3, "", 0, 1700000000);		/* NO_LPOS: no text */
	rb_record(m, 11, 2, 500, 536, "wrapped\x01", 8, 1800000000);
	rb_record(m, 12, 0, 536, 560, "reserved", 8, 1900000000);
}

static struct xencore_log *log_from(struct logmem *m, const char *vmcoreinfo, uint64_t seq_addr,
				    int *warnings, struct xencore_error **err_ret)
{
	struct xencore_vmcoreinfo *vi;
	struct xencore_error *err = xencore_vmcoreinfo_parse(vmcoreinfo, strlen(vmcoreinfo), &vi);
	CHECK(!err);
	if (err)
		return NULL;
	const struct log_mem mem = { .read = logmem_read, .arg = m };
	struct xencore_log *log = NULL;
	*warnings = 0;
	err = log_read_mem(&mem, vi, seq_addr, 8, warn_count, warnings, &log);
	xencore_vmcoreinfo_destroy(vi);
	*err_ret = err;
	return log;
}

static void test_log_ringbuffer(void)
{
	static struct logmem m;
	struct xencore_error *err;
	int warnings;
	size_t n;
	rb_build(&m);
	struct xencore_log *log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 0);
	if (log) {
		const struct xencore_log_record *r = xencore_log_records(log, &n);
		CHECK(n == 3);
		CHECK(n == 3 && r[0].text_len == 5 && !memcmp(r[0].text, "hello", 5));
		CHECK(n == 3 && r[0].seq == 108 && r[0].ts_nsec == 1500000000 && r[0].level == 4 &&
		      r[0].facility == 3 && r[0].flags == 2 && r[0].caller_id == 0x80000001);
		CHECK(n == 3 && r[1].text_len == 9 && !memcmp(r[1].text, "two\nlines", 9));
		CHECK(n == 3 && r[2].seq == 111 && r[2].text_len == 8 &&
		      !memcmp(r[2].text, "wrapped\x01", 8));
		CHECK(!strcmp(xencore_log_info(log)->layout_name, "printk_ringbuffer"));
		CHECK(xencore_log_info(log)->buffer_size == 256);
		const char *line;
		size_t len;
		CHECK(!xencore_log_panic(log, &line, &len));
	}
	xencore_log_destroy(log);

	/* tail_id far behind head_id: the last 8 descriptors, and a warning */
	mput64(&m, 0x100 + 32, 8 - 1000);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 1);
	if (log)
		CHECK(xencore_log_records(log, &n) && n == 3);
	xencore_log_destroy(log);

	/* a text block longer than the ring: that record is left out */
	rb_build(&m);
	mput64(&m, RB_DESCS + 1 * 24 + 16, 316 + 4096);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 1);
	if (log)
		{
		xencore_log_records(log, &n);
		CHECK(n == 2 && xencore_log_info(log)->skipped == 1);
	}
	xencore_log_destroy(log);

	/* text_len beyond the block: truncated to it, as makedumpfile does */
	rb_build(&m);
	put_le16(m.b + RB_INFOS + 0 * 88 + 16, 300);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	if (log) {
		const struct xencore_log_record *r = xencore_log_records(log, &n);
		CHECK(n == 3 && r[0].text_len == 8 && (r[0].has & XENCORE_LOG_TRUNCATED));
	}
	xencore_log_destroy(log);

	/* the info page is not in the dump: every record left out, one warning */
	rb_build(&m);
	m.absent = 1u << (RB_INFOS / 4096);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 1);
	if (log)
		{
		xencore_log_records(log, &n);
		CHECK(n == 0 && xencore_log_info(log)->skipped == 3);
	}
	xencore_log_destroy(log);

	/* no text ring at all: an error */
	m.absent = 1u << (RB_TEXT / 4096);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(err && err->code == XENCORE_ERROR_NOT_PRESENT && !log);
	xencore_error_destroy(err);

	/* a 2^40-byte ring is refused before anything is allocated */
	rb_build(&m);
	put_le32(m.b + 0x100 + 48, 40);
	log = log_from(&m, rb_vmcoreinfo, 0, &warnings, &err);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT && !log && strstr(err->message, "2^40"));
	xencore_error_destroy(err);

	/* an entry missing from VMCOREINFO is named */
	rb_build(&m);
	char vi[sizeof(rb_vmcoreinfo)];
	strcpy(vi, rb_vmcoreinfo);
	char *line = strstr(vi, "OFFSET(printk_info.ts_nsec)=8\n");
	memmove(line, line + 30, strlen(line + 30) + 1);
	log = log_from(&m, vi, 0, &warnings, &err);
	CHECK(err && err->code == XENCORE_ERROR_NOT_AVAILABLE && !log &&
	      strstr(err->message, "OFFSET(printk_info.ts_nsec)"));
	xencore_error_destroy(err);
}

/* Linux 5.4's printk_log as this test lays it out (24 bytes, caller id). */
static const char log_vmcoreinfo[] =
	"OSRELEASE=5.4.0\n"
	"SYMBOL(log_buf)=ffff888000000000\n"
	"SYMBOL(log_buf_len)=ffff888000000008\n"
	"SYMBOL(log_first_idx)=ffff888000000010\n"
	"SYMBOL(clear_idx)=ffff888000000014\n"
	"SYMBOL(log_next_idx)=ffff888000000018\n"
	"SIZE(printk_log)=24\n"
	"OFFSET(printk_log.ts_nsec)=0\n"
	"OFFSET(printk_log.len)=8\n"
	"OFFSET(printk_log.text_len)=10\n"
	"OFFSET(printk_log.dict_len)=12\n"
	"OFFSET(printk_log.caller_id)=16\n";

static void log_record(struct logmem *m, uint64_t idx, const char *text, uint16_t len,
		       uint16_t dict_len)
{
	unsigned char *h = m->b + 0x4000 + idx;
	put_le64(h, 5000000000 + idx);
	put_le16(h + 8, (uint16_t)((24 + len + dict_len + 3) & ~3u));
	put_le16(h + 10, len);
	put_le16(h + 12, dict_len);
	h[14] = 0;
	h[15] = 6 << 5 | 8;	/* level 6, LOG_CONT */
	put_le32(h + 16, 1234);
	memcpy(h + 24, text, len);
}

static void log_build(struct logmem *m)
{
	memset(m, 0, sizeof(*m));
	mput64(m, 0, LOGMEM_BASE + 0x4000);
	put_le32(m->b + 8, 256);
	put_le32(m->b + 0x10, 200);
	put_le32(m->b + 0x18, 28);
	mput64(m, 0x30, 41);			/* log_first_seq */
	log_record(m, 200, "abcdefgh", 8, 0);	/* len 32: to 232, then the wrap marker */
	log_record(m, 0, "wrap", 4, 0);		/* len 28: log_next_idx */
}

static void test_log_printk_log(void)
{
	static struct logmem m;
	struct xencore_error *err;
	int warnings;
	size_t n;
	log_build(&m);
	struct xencore_log *log = log_from(&m, log_vmcoreinfo, LOGMEM_BASE + 0x30, &warnings, &err);
	CHECK(!err && log && warnings == 0);
	if (log) {
		const struct xencore_log_record *r = xencore_log_records(log, &n);
		CHECK(n == 2);
		CHECK(n == 2 && r[0].seq == 41 && r[1].seq == 42 && (r[1].has & XENCORE_LOG_HAS_SEQ));
		CHECK(n == 2 && r[0].text_len == 8 && !memcmp(r[0].text, "abcdefgh", 8) &&
		      r[0].ts_nsec == 5000000200 && r[0].level == 6 && r[0].flags == 8 &&
		      r[0].caller_id == 1234);
		CHECK(n == 2 && r[1].text_len == 4 && !memcmp(r[1].text, "wrap", 4));
		CHECK(!strcmp(xencore_log_info(log)->layout_name, "printk_log"));
	}
	xencore_log_destroy(log);

	/* without log_first_seq the sequence numbers are unknown */
	log = log_from(&m, log_vmcoreinfo, 0, &warnings, &err);
	if (log) {
		const struct xencore_log_record *r = xencore_log_records(log, &n);
		CHECK(n == 2 && !(r[0].has & XENCORE_LOG_HAS_SEQ));
	}
	xencore_log_destroy(log);

	/* log_next_idx never reached: a second wrap stops the walk */
	put_le32(m.b + 0x18, 100);
	log = log_from(&m, log_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 1);
	if (log)
		CHECK(xencore_log_records(log, &n) && n == 2);
	xencore_log_destroy(log);

	/* log_buf_len 2^31: refused */
	log_build(&m);
	put_le32(m.b + 8, 0x80000000u);
	log = log_from(&m, log_vmcoreinfo, 0, &warnings, &err);
	CHECK(err && err->code == XENCORE_ERROR_FORMAT && !log);
	xencore_error_destroy(err);

	/* a record whose len cannot hold its text */
	log_build(&m);
	put_le16(m.b + 0x4000 + 200 + 10, 200);
	log = log_from(&m, log_vmcoreinfo, 0, &warnings, &err);
	CHECK(!err && log && warnings == 1);
	if (log)
		{
		xencore_log_records(log, &n);
		CHECK(n == 0);
	}
	xencore_log_destroy(log);
}

/* Not NULL and never a valid object: what a caller's uninitialized pointer may hold. */
#define POISON ((void *)1)

/* A failed call leaves NULL in *ret (include/xencore.h), never the caller's garbage. */
static void test_ret_null(void)
{
	struct xencore_dump dump;
	memset(&dump, 0, sizeof(dump));
	dump.info.guest_bits = 64;
	struct xencore_error *err;

	struct xencore_dump *d = POISON;
	err = xencore_dump_open("/nonexistent/xencore-test.xc", NULL, NULL, &d);
	CHECK(err && d == NULL);
	xencore_error_destroy(err);

	/* A System.map without the symbols the calls below look for. */
	const char *tmpdir = getenv("TMPDIR");
	char map[4096];
	snprintf(map, sizeof(map), "%s/xencore-units.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(map);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const char map_text[] = "ffffffff81000000 T _stext\n";
	CHECK(write(fd, map_text, sizeof(map_text) - 1) == (ssize_t)sizeof(map_text) - 1);
	close(fd);
	d = POISON;
	err = xencore_dump_open(map, NULL, NULL, &d);	/* not a dump */
	CHECK(err && d == NULL);
	xencore_error_destroy(err);

	struct xencore_symbols *syms = POISON;
	err = xencore_symbols_from_vmlinux(map, &syms);	/* not ELF */
	CHECK(err && syms == NULL);
	xencore_error_destroy(err);
	syms = POISON;
	err = xencore_symbols_from_system_map("/nonexistent/System.map", &syms);
	CHECK(err && syms == NULL);
	xencore_error_destroy(err);

	struct xencore_vmcoreinfo *vi = POISON;
	err = xencore_vmcoreinfo_parse("no equals sign\n", 15, &vi);
	CHECK(err && vi == NULL);
	xencore_error_destroy(err);
	vi = POISON;
	err = xencore_vmcoreinfo_from_file(map, &vi);	/* a line without '=' */
	CHECK(err && vi == NULL);
	xencore_error_destroy(err);
	vi = POISON;
	err = xencore_vmcoreinfo_from_file("/nonexistent/vmcoreinfo", &vi);
	CHECK(err && vi == NULL);
	xencore_error_destroy(err);

	syms = NULL;
	err = xencore_symbols_from_system_map(map, &syms);
	CHECK(!err && syms);
	xencore_error_destroy(err);
	unlink(map);
	if (!syms)
		return;
	vi = POISON;
	err = xencore_vmcoreinfo_read(NULL, syms, 8, &vi);	/* no vmcoreinfo_data */
	CHECK(err && vi == NULL);
	xencore_error_destroy(err);
	vi = POISON;
	err = xencore_vmcoreinfo_read(NULL, syms, 3, &vi);	/* no such word size */
	CHECK(err && vi == NULL);
	xencore_error_destroy(err);

	struct xencore_p2m *p2m = POISON;
	err = xencore_p2m_create(&dump, XENCORE_P2M_AUTO, &p2m);	/* no source */
	CHECK(err && p2m == NULL);
	xencore_error_destroy(err);
	p2m = POISON;
	err = xencore_p2m_from_kernel(&dump, NULL, syms, &p2m);	/* no xen_p2m_addr */
	CHECK(err && p2m == NULL);
	xencore_error_destroy(err);

	struct xencore_check *chk = POISON;
	struct xencore_p2m *none[9] = { NULL };
	err = xencore_check_create(&dump, none, 9, &chk);	/* too many sources */
	CHECK(err && chk == NULL);
	xencore_error_destroy(err);

	struct xencore_as *as = POISON;
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };	/* no vcpu context */
	err = xencore_as_create(&dump, NULL, syms, &root, &as);
	CHECK(err && as == NULL);
	xencore_error_destroy(err);
	as = POISON;
	root = (struct xencore_root){ .size = sizeof(root), .kind = XENCORE_ROOT_CR3 };
	err = xencore_as_create(&dump, NULL, syms, &root, &as);
	CHECK(err && as == NULL);
	xencore_error_destroy(err);

	/* The bug that started this: a VMCOREINFO lacking what level 31 needs. */
	static const char lacking[] = "OSRELEASE=6.1.0\nPAGESIZE=4096\nSIZE(page)=64\n";
	vi = NULL;
	err = xencore_vmcoreinfo_parse(lacking, sizeof(lacking) - 1, &vi);
	CHECK(!err && vi);
	xencore_error_destroy(err);
	if (vi) {
		struct xencore_memmap *mm = POISON;
		err = xencore_memmap_create(NULL, vi, syms, 8, XENCORE_DL_MAX, &mm);
		CHECK(err && err->code == XENCORE_ERROR_NOT_AVAILABLE && mm == NULL);
		xencore_error_destroy(err);
		mm = POISON;
		err = xencore_memmap_create(NULL, vi, syms, 3, 0, &mm);
		CHECK(err && mm == NULL);
		xencore_error_destroy(err);

		struct xencore_log *log = POISON;	/* neither SYMBOL(prb) nor SYMBOL(log_buf) */
		err = xencore_log_read(NULL, vi, syms, 8, NULL, NULL, &log);
		CHECK(err && log == NULL);
		xencore_error_destroy(err);
		log = POISON;
		err = xencore_log_read(NULL, vi, syms, 3, NULL, NULL, &log);
		CHECK(err && log == NULL);
		xencore_error_destroy(err);

		struct xencore_native *nat = POISON;	/* a PV guest needs its p2m */
		err = xencore_native_create(&dump, NULL, NULL, syms, vi, &nat);
		CHECK(err && nat == NULL);
		xencore_error_destroy(err);
		xencore_vmcoreinfo_destroy(vi);
	}
	xencore_symbols_destroy(syms);

	/* Structs filled through an out-parameter are zeroed. */
	/* (all but their size, which says how much of them is the caller's) */
	static const struct xencore_vcpu_regs zero_regs = { .size = sizeof(zero_regs) };
	struct xencore_vcpu_regs regs;
	memset(&regs, 0xa5, sizeof(regs));
	regs.size = sizeof(regs);
	err = xencore_dump_vcpu_regs(&dump, 0, &regs);
	CHECK(err && !memcmp(&regs, &zero_regs, sizeof(regs)));
	xencore_error_destroy(err);
	static const struct xencore_vcpu zero_vcpu = { .size = sizeof(zero_vcpu) };
	struct xencore_vcpu vcpu;
	memset(&vcpu, 0xa5, sizeof(vcpu));
	vcpu.size = sizeof(vcpu);
	err = xencore_dump_vcpu(&dump, 0, &vcpu);
	CHECK(err && !memcmp(&vcpu, &zero_vcpu, sizeof(vcpu)));
	xencore_error_destroy(err);
	static const struct xencore_filter_stats zero_stats = { .size = sizeof(zero_stats) };
	struct xencore_filter_stats st;
	memset(&st, 0xa5, sizeof(st));
	st.size = sizeof(st);
	struct xencore_filter_options fo = { .size = sizeof(fo), .dump_level = 99 };
	err = xencore_filter(&dump, "/nonexistent/out", &fo, &st);
	CHECK(err && !memcmp(&st, &zero_stats, sizeof(st)));
	xencore_error_destroy(err);
}

static void test_log_format(void)
{
	struct xencore_log_record r = { .ts_nsec = 1234567890, .text = "a\nb\x01\x80\tc",
					.text_len = 7 };
	char buf[128];
	size_t len = xencore_log_format(&r, buf, sizeof(buf));
	const char want[] = "[    1.234567] a\n               b\\x01\\x80\tc\n";
	CHECK(len == sizeof(want) - 1 && !strcmp(buf, want));
	/* snprintf's rules: the length needed, a NUL within size */
	CHECK(xencore_log_format(&r, buf, 5) == len && !strcmp(buf, "[   "));
	r.ts_nsec = UINT64_C(123456) * 1000000000 + 999999999;
	xencore_log_format(&r, buf, sizeof(buf));
	CHECK(!strcmp(buf, "[123456.999999] a\n                b\\x01\\x80\tc\n"));
}

/* ---- codec.c: which pages are not tried ---- */

static uint64_t codec_rng = 0x9e3779b97f4a7c15ULL;

static uint64_t codec_next(void)
{
	codec_rng ^= codec_rng << 13;
	codec_rng ^= codec_rng >> 7;
	codec_rng ^= codec_rng << 17;
	return codec_rng;
}

/* The smallest any of the four codecs at level 1 makes of page. */
static size_t codec_best(const unsigned char *page)
{
	static unsigned char out[2 * 4096], wrk[LZO1X_1_MEM_COMPRESS];
	size_t best = SIZE_MAX;
	uLongf zn = sizeof(out);
	if (compress2(out, &zn, page, 4096, 1) == Z_OK && zn < best)
		best = zn;
	size_t sn = ZSTD_compress(out, sizeof(out), page, 4096, 1);
	if (!ZSTD_isError(sn) && sn < best)
		best = sn;
	lzo_uint ln = sizeof(out);
	if (lzo1x_1_compress(page, 4096, out, &ln, wrk) == LZO_E_OK && ln < best)
		best = ln;
	size_t yn = sizeof(out);
	if (snappy_compress((const char *)page, 4096, (char *)out, &yn) == SNAPPY_OK && yn < best)
		best = yn;
	return best;
}

static void test_codec(void)
{
	static unsigned char page[4096];
	CHECK(lzo_init() == LZO_E_OK);

	/* Random bytes are not tried (the odd page near the limit may be). */
	unsigned int untried = 0;
	for (int t = 0; t < 1000; t++) {
		for (size_t i = 0; i < sizeof(page); i++)
			page[i] = (unsigned char)(codec_next() >> 32);
		untried += codec_page_incompressible(page);
	}
	CHECK(untried >= 990);

	/*
	 * Pages at both limits: random bytes with a share drawn from 16
	 * values (the histogram from flat to clearly not), and random bytes
	 * with a stretch of 2 to 64 bytes copied from elsewhere in the page.
	 * Whatever is not tried, no codec would have shrunk by more than 16
	 * bytes; and each kind has pages that are tried.
	 */
	unsigned int tried_biased = 0, tried_repeat = 0, untried_total = 0;
	size_t worst = SIZE_MAX;
	for (int share = 0; share <= 240; share += 16) {
		for (int t = 0; t < 40; t++) {
			for (size_t i = 0; i < sizeof(page); i++) {
				uint64_t r = codec_next();
				page[i] = (int)(r % 1000) < share ? (unsigned char)(r >> 20 & 15)
								  : (unsigned char)(r >> 32);
			}
			if (!codec_page_incompressible(page)) {
				tried_biased++;
				continue;
			}
			untried_total++;
			size_t best = codec_best(page);
			if (best < worst)
				worst = best;
		}
	}
	for (size_t len = 2; len <= 64; len += 2) {
		for (int t = 0; t < 40; t++) {
			for (size_t i = 0; i < sizeof(page); i++)
				page[i] = (unsigned char)(codec_next() >> 32);
			size_t from = codec_next() % 2000, to = 2048 + codec_next() % 1900;
			memcpy(page + to, page + from, len);
			if (!codec_page_incompressible(page)) {
				tried_repeat++;
				continue;
			}
			untried_total++;
			size_t best = codec_best(page);
			if (best < worst)
				worst = best;
		}
	}
	CHECK(untried_total > 100);
	CHECK(tried_biased > 100 && tried_repeat > 100);
	CHECK(worst >= 4096 - 16);
	if (worst < 4096 - 16)
		fprintf(stderr, "codec: an untried page shrinks to %zu bytes\n", worst);

	/* What compresses is tried: zeros, text, a random half repeated. */
	memset(page, 0, sizeof(page));
	CHECK(!codec_page_incompressible(page));
	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (unsigned char)"kernel: page allocation failure\n"[i % 32];
	CHECK(!codec_page_incompressible(page));
	for (size_t i = 0; i < 2048; i++)
		page[i] = page[i + 2048] = (unsigned char)(codec_next() >> 32);
	CHECK(!codec_page_incompressible(page));
	CHECK(codec_best(page) < 2200);

	/* codec_compress(): untried pages are reported and left raw. */
	struct codec c;
	static unsigned char out[4096 + 64];
	static const enum xencore_compression kinds[] = {
		XENCORE_COMPRESS_ZLIB, XENCORE_COMPRESS_LZO, XENCORE_COMPRESS_SNAPPY,
		XENCORE_COMPRESS_ZSTD,
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		CHECK(codec_init(&c, kinds[k], 1));
		bool not_tried = false;
		size_t n = codec_compress(&c, page, out, sizeof(out), &not_tried);
		CHECK(n > 0 && n < 2600 && !not_tried);	/* lzo 2429, snappy 2474 */
		for (size_t i = 0; i < sizeof(page); i++)
			page[i] = (unsigned char)(codec_next() >> 32);
		if (codec_page_incompressible(page)) {
			n = codec_compress(&c, page, out, sizeof(out), &not_tried);
			CHECK(n == 0 && not_tried);
		}
		for (size_t i = 0; i < 2048; i++)
			page[i] = page[i + 2048];
		codec_fini(&c);
	}
}

/* ---- errors say where: the pfn, mfn, address or file offset ---- */

static void test_error_where(void)
{
	const char *srcdir = getenv("srcdir");
	char path[4096];
	snprintf(path, sizeof(path), "%s/testdata/good-linear.xc", srcdir ? srcdir : ".");
	struct xencore_dump *dump;
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, &dump);
	CHECK(!err);
	if (err) {
		xencore_error_destroy(err);
		return;
	}
	static unsigned char page[4096];
	err = xencore_read_pfn(dump, 0x7777777, page);
	CHECK(err && err->code == XENCORE_ERROR_NOT_PRESENT &&
	      err->where == XENCORE_WHERE_PFN && err->at == 0x7777777);
	xencore_error_destroy(err);
	err = xencore_read_mfn(dump, 0x6666666, page);
	CHECK(err && err->where == XENCORE_WHERE_MFN && err->at == 0x6666666);
	xencore_error_destroy(err);
	bool has = true;
	CHECK(!xencore_has_mfn(dump, 0x6666666, &has) && !has);

	struct xencore_p2m *p2m;
	CHECK(!xencore_p2m_create(dump, XENCORE_P2M_AUTO, &p2m));
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	struct xencore_as *as;
	CHECK(!xencore_as_create(dump, p2m, NULL, &root, &as));
	uint64_t word;
	size_t done = 1;
	/* 8 bytes from 4 below a page boundary: the second page fails. */
	err = xencore_as_read(as, XENCORE_KVADDR, UINT64_C(0xffffc90000000ffc), &word, 8, &done);
	CHECK(err && err->where == XENCORE_WHERE_KVADDR &&
	      (err->at == UINT64_C(0xffffc90000000ffc) || err->at == UINT64_C(0xffffc90000001000)));
	xencore_error_destroy(err);
	/* pfns past max_pfn: the physical address that failed. */
	err = xencore_as_read(as, XENCORE_PHYS, UINT64_C(0x7777777000), &word, 8, &done);
	CHECK(err && err->where == XENCORE_WHERE_PHYS && err->at == UINT64_C(0x7777777000) &&
	      done == 0);
	xencore_error_destroy(err);
	struct xencore_vtop v = { .size = sizeof(v) };
	err = xencore_as_vtop(as, UINT64_C(0xffffc90000000000), &v);
	CHECK(err && err->where == XENCORE_WHERE_KVADDR && err->at == UINT64_C(0xffffc90000000000));
	xencore_error_destroy(err);
	xencore_as_destroy(as);
	xencore_p2m_destroy(p2m);

	/* A read of the file past its end: the offset. */
	err = xc_pread(dump, page, 16, dump->file_size - 8, "test");
	CHECK(err && err->code == XENCORE_ERROR_FORMAT && err->where == XENCORE_WHERE_FILE &&
	      err->at == dump->file_size - 8);
	xencore_error_destroy(err);
	/* No place: where NONE, at 0. */
	err = xc_error(XENCORE_ERROR_FORMAT, "x");
	CHECK(err->where == XENCORE_WHERE_NONE && err->at == 0 && err->errnum == 0);
	xencore_error_destroy(err);
	xencore_dump_destroy(dump);
}

/* ---- the session: the command line's policy, for programs ---- */

static void test_session(void)
{
	const char *srcdir = getenv("srcdir");
	char dump_path[4096], vmlinux[4096];
	snprintf(dump_path, sizeof(dump_path), "%s/testdata/good-linear.xc", srcdir ? srcdir : ".");
	snprintf(vmlinux, sizeof(vmlinux), "%s/testdata/good-linear.vmlinux", srcdir ? srcdir : ".");

	/* The source table: every source once, named both ways, the guest's own first. */
	CHECK(xencore_p2m_source_count() == 5);
	CHECK(xencore_p2m_source_at(0) == XENCORE_P2M_LINEAR);
	CHECK(xencore_p2m_source_at(4) == XENCORE_P2M_DUMP);
	CHECK(xencore_p2m_source_at(5) == XENCORE_P2M_AUTO);
	for (size_t i = 0; i < xencore_p2m_source_count(); i++) {
		enum xencore_p2m_source s = xencore_p2m_source_at(i), back;
		CHECK(xencore_p2m_source_from_name(xencore_p2m_source_name(s), &back) && back == s);
	}
	enum xencore_p2m_source none;
	CHECK(!xencore_p2m_source_from_name("linear2", &none));

	struct xencore_session_options so = { .size = sizeof(so) };
	CHECK(!xencore_symbols_from_vmlinux(vmlinux, &so.symbols));
	struct xencore_session *s;
	struct xencore_error *err = xencore_session_open(dump_path, &so, &s);
	CHECK(!err);
	if (err) {
		xencore_error_destroy(err);
		return;
	}
	struct xencore_dump *dump = xencore_session_dump(s);
	CHECK(xencore_session_symbols(s) == so.symbols);
	/* good-linear offers the linear list and .xen_p2m (info's p2m_sources). */
	CHECK(xencore_p2m_source_offered(dump, XENCORE_P2M_LINEAR, false));
	CHECK(!xencore_p2m_source_offered(dump, XENCORE_P2M_TREE, false));
	CHECK(xencore_p2m_source_offered(dump, XENCORE_P2M_DUMP, false));
	CHECK(!xencore_p2m_source_offered(dump, XENCORE_P2M_KERNEL, false) &&
	      xencore_p2m_source_offered(dump, XENCORE_P2M_KERNEL, true));
	const char *why;
	CHECK(xencore_session_auto_source(s, &why) == XENCORE_P2M_LINEAR &&
	      !strcmp(why, "the guest publishes a linear p2m list (p2m_cr3 is set)"));
	struct xencore_p2m *p2m, *again, *mine;
	CHECK(!xencore_session_p2m(s, &p2m) && p2m &&
	      xencore_p2m_get_source(p2m) == XENCORE_P2M_LINEAR &&
	      xencore_p2m_max_pfn(p2m) == 0x100000);
	CHECK(!xencore_session_p2m(s, &again) && again == p2m);
	CHECK(!xencore_session_create_p2m(s, XENCORE_P2M_DUMP, &mine) &&
	      xencore_p2m_get_source(mine) == XENCORE_P2M_DUMP && mine != p2m);
	xencore_p2m_destroy(mine);
	/* The kernel's own list, read through the address space: linear's answers. */
	CHECK(!xencore_session_create_p2m(s, XENCORE_P2M_KERNEL, &mine) &&
	      xencore_p2m_get_source(mine) == XENCORE_P2M_KERNEL);
	const struct xencore_p2m_run *r = mine ? xencore_p2m_find(mine, 0x1000) : NULL,
				     *l = xencore_p2m_find(p2m, 0x1000);
	CHECK(r && l && r->kind == l->kind && r->mfn - r->pfn == l->mfn - l->pfn);
	xencore_p2m_destroy(mine);
	struct xencore_as *as;
	CHECK(!xencore_session_as(s, true, &as) && as);
	CHECK(!strncmp(xencore_session_banner(s), "Linux version 6.1.0-xencore (builder@xencore.invalid)", 53));
	err = xencore_session_use_p2m(s, NULL);
	CHECK(err != NULL);	/* it has one already */
	xencore_error_destroy(err);
	xencore_session_destroy(s);

	/* An options struct of a size no build had: refused, the symbols released. */
	so = (struct xencore_session_options){ .size = 4 };
	CHECK(!xencore_symbols_from_vmlinux(vmlinux, &so.symbols));
	err = xencore_session_open(dump_path, &so, &s);
	CHECK(err && err->code == XENCORE_ERROR_INVALID_ARGUMENT && !s);
	xencore_error_destroy(err);
	/* No options: no symbols, the dump's own pick. */
	CHECK(!xencore_session_open(dump_path, NULL, &s));
	CHECK(xencore_session_auto_source(s, &why) == XENCORE_P2M_LINEAR);
	CHECK(!xencore_session_symbols(s) && !xencore_session_banner(s)[0]);
	xencore_session_destroy(s);
}

/* ---- "Sizes": the library touches only the bytes of the caller's build ---- */

static void test_sizes(void)
{
	const char *srcdir = getenv("srcdir");
	char path[4096], cut[] = "/tmp/xencore-test-sizes-XXXXXX";
	snprintf(path, sizeof(path), "%s/testdata/good-linear.xc", srcdir ? srcdir : ".");
	struct xencore_dump *dump;
	CHECK(!xencore_dump_open(path, NULL, NULL, &dump));
	if (!dump)
		return;

	/* An older build's xencore_vcpu_regs: up to cr[], the rest not its own. */
	struct xencore_vcpu_regs full = { .size = sizeof(full) };
	CHECK(!xencore_dump_vcpu_regs(dump, 0, &full) && full.cr3_mfn && full.bits == 64);
	union {
		struct xencore_vcpu_regs r;
		unsigned char b[sizeof(struct xencore_vcpu_regs)];
	} old;
	size_t old_size = offsetof(struct xencore_vcpu_regs, cr);
	memset(&old, 0x5a, sizeof(old));
	old.r.size = old_size;
	CHECK(!xencore_dump_vcpu_regs(dump, 0, &old.r));
	CHECK(old.r.size == old_size && old.r.rip == full.rip && old.r.kernel_sp == full.kernel_sp);
	bool untouched = true;
	for (size_t i = old_size; i < sizeof(old); i++)
		untouched = untouched && old.b[i] == 0x5a;
	CHECK(untouched);
	/* Size 0: the 0.1 layout, all of it. */
	struct xencore_vtop v0, vfull = { .size = sizeof(vfull) };
	memset(&v0, 0, sizeof(v0));
	struct xencore_p2m *p2m;
	CHECK(!xencore_p2m_create(dump, XENCORE_P2M_AUTO, &p2m));
	/* A root whose size leaves out value: value reads as 0, so cr3 0 is refused. */
	struct xencore_root r = { .size = offsetof(struct xencore_root, value),
				  .kind = XENCORE_ROOT_CR3, .value = full.cr[3] };
	struct xencore_as *as;
	struct xencore_error *err = xencore_as_create(dump, p2m, NULL, &r, &as);
	CHECK(err && err->code == XENCORE_ERROR_INVALID_ARGUMENT && !as);
	xencore_error_destroy(err);
	r.size = sizeof(r);
	CHECK(!xencore_as_create(dump, p2m, NULL, &r, &as));
	uint64_t va = UINT64_C(0xffffffff81000000);
	err = xencore_as_vtop(as, va, &vfull);
	struct xencore_error *err0 = xencore_as_vtop(as, va, &v0);
	CHECK(!err == !err0 && v0.size == 0 && v0.mfn == vfull.mfn &&
	      v0.nr_levels == vfull.nr_levels);
	xencore_error_destroy(err);
	xencore_error_destroy(err0);
	xencore_as_destroy(as);
	xencore_p2m_destroy(p2m);
	xencore_dump_destroy(dump);

	/* xencore_dump_missing(): elements buf[0].size bytes apart, a newer build's. */
	int fd = mkstemp(cut), in = open(path, O_RDONLY);
	static unsigned char half[1 << 20];
	off_t total = in >= 0 ? lseek(in, 0, SEEK_END) : 0;
	ssize_t n = total > 0 && (size_t)total / 2 <= sizeof(half)
			    ? pread(in, half, (size_t)total / 2, 0) : -1;
	CHECK(fd >= 0 && n > 0 && write(fd, half, (size_t)n) == n);
	if (fd >= 0)
		close(fd);
	if (in >= 0)
		close(in);
	if (!xencore_dump_open(cut, NULL, NULL, &dump) && dump) {
		CHECK(xencore_dump_index_all(dump) == NULL);
		struct xencore_missing plain[4] = { { .size = sizeof(plain[0]) } };
		size_t nr = xencore_dump_missing(dump, plain, 4);
		CHECK(nr >= 1);
		size_t stride = sizeof(struct xencore_missing) + 16;
		unsigned char wide[4 * (sizeof(struct xencore_missing) + 16)];
		memset(wide, 0x5a, sizeof(wide));
		struct xencore_missing *w0 = (struct xencore_missing *)wide;
		w0->size = stride;
		CHECK(xencore_dump_missing(dump, w0, 4) == nr);
		for (size_t i = 0; i < nr && i < 4; i++) {
			struct xencore_missing m;
			memcpy(&m, wide + i * stride, sizeof(m));
			CHECK(m.size == stride && m.pfn == plain[i].pfn && m.mfn == plain[i].mfn &&
			      m.count == plain[i].count);
			CHECK(wide[i * stride + sizeof(m)] == 0x5a);	/* the newer fields: not ours */
		}
		xencore_dump_destroy(dump);
	} else {
		CHECK(!"the cut copy of good-linear opens");
	}
	unlink(cut);
}

int main(void)
{
	test_log_ringbuffer();
	test_log_printk_log();
	test_log_format();
	test_vmcoreinfo();
	test_notes();
	test_le();
	test_x86();
	test_page_index();
	test_page_index_lazy();
	test_runs();
	test_run_lookup();
	test_runs_expect();
	test_scan();
	test_frame_rule();
	test_check();
	test_mfn_to_pfn_overlap();
	test_canon();
	test_walk_decode();
	test_walk();
	test_linear_large();
	test_tree_loops();
	test_errors();
	test_ret_null();
	test_codec();
	test_error_where();
	test_session();
	test_sizes();
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}
