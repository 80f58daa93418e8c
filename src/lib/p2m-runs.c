// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-runs.c: the run list that holds a p2m in memory proportional to its runs. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "frame.h"
#include "le.h"
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

static bool has_mfn(enum xencore_run_kind kind)
{
	return kind == XENCORE_RUN_MAPPED || kind == XENCORE_RUN_FOREIGN;
}

void run_builder_expect(struct run_builder *b, const struct xencore_p2m_run *ref, size_t nr)
{
	b->ref = ref;
	b->ref_nr = nr;
	b->ref_matched = 0;
}

static bool same_run(const struct xencore_p2m_run *a, const struct xencore_p2m_run *b)
{
	return a->pfn == b->pfn && a->count == b->count && a->kind == b->kind &&
	       (!has_mfn(a->kind) || a->mfn == b->mfn);
}

/* The runs stop matching ref: the matched ones go back in front of what is held. */
static struct xencore_error *unmatch(struct run_builder *b)
{
	size_t m = b->ref_matched, cap = m + b->nr + 1;
	if (m) {
		struct xencore_p2m_run *runs = malloc(cap * sizeof(*runs));
		if (!runs)
			return &xencore_enomem;
		memcpy(runs, b->ref, m * sizeof(*runs));
		if (b->nr)
			memcpy(runs + m, b->runs, b->nr * sizeof(*runs));
		free(b->runs);
		b->runs = runs;
		b->nr += m;
		b->cap = cap;
	}
	b->ref = NULL;
	b->ref_nr = b->ref_matched = 0;
	return NULL;
}

/*
 * Drops the held runs that match ref, all but the last (it may still
 * grow); or, at the first that does not, stops matching.
 */
static struct xencore_error *match_held(struct run_builder *b, bool all)
{
	size_t keep = all ? 0 : 1, k = 0;
	while (k + keep < b->nr && b->ref_matched + k < b->ref_nr &&
	       same_run(&b->runs[k], &b->ref[b->ref_matched + k]))
		k++;
	if (k + keep < b->nr)
		return unmatch(b);
	if (!k)
		return NULL;	/* runs may still be NULL: no pointer arithmetic on it */
	b->ref_matched += k;
	memmove(b->runs, b->runs + k, (b->nr - k) * sizeof(*b->runs));
	b->nr -= k;
	return NULL;
}

struct xencore_error *run_builder_finish(struct run_builder *b, bool *same_ret)
{
	*same_ret = false;
	if (!b->ref)
		return NULL;
	struct xencore_error *err = match_held(b, true);
	if (!err && b->ref && b->ref_matched == b->ref_nr && !b->nr) {
		*same_ret = true;
		return NULL;
	}
	return err ? err : b->ref ? unmatch(b) : NULL;
}

/* Appends a run that follows the rule, merged with the last when it continues it. */
static struct xencore_error *append(struct run_builder *b, enum xencore_run_kind kind,
				    uint64_t pfn, uint64_t mfn, uint64_t count)
{
	if (!count)
		return NULL;
	if (b->nr) {
		struct xencore_p2m_run *last = &b->runs[b->nr - 1];
		if (kind == XENCORE_RUN_MAPPED && last->kind == XENCORE_RUN_MAPPED &&
		    last->pfn + last->count == pfn && last->mfn + last->count - 1 == mfn) {
			if (!b->repeats++) {
				b->repeat_pfn = pfn;
				b->repeat_mfn = mfn;
			}
		}
		if (last->kind == kind &&
		    (!has_mfn(kind) || last->mfn + last->count == mfn)) {
			last->count += count;
			return NULL;
		}
	}
	/* Matching ref: what matches so far need not be held. */
	if (b->ref && b->nr >= 4096) {
		struct xencore_error *err = match_held(b, false);
		if (err)
			return err;
	}
	if (b->nr == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		if (b->nr + b->ref_matched >= P2M_MAX_RUNS)
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
		.mfn = has_mfn(kind) ? mfn : 0,
		.kind = kind,
	};
	return NULL;
}

struct xencore_error *run_builder_add(struct run_builder *b,
				      enum xencore_run_kind kind, uint64_t pfn,
				      uint64_t mfn, uint64_t count)
{
	if (!count)
		return NULL;
	if (pfn != b->next_pfn || count > UINT64_MAX - pfn)	/* a source bug, not bad input */
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"internal error: p2m run at pfn 0x%" PRIx64 ", expected 0x%" PRIx64,
				pfn, b->next_pfn);
	b->next_pfn = pfn + count;
	/* frame.h: no pfn from XC_FRAMES on is held. */
	if (!xc_frames_ok(pfn, count)) {
		uint64_t keep = xc_frame_ok(pfn) ? XC_FRAMES - pfn : 0;
		b->past += count - keep;
		count = keep;
		if (!count)
			return NULL;
	}
	/* Nor a frame past XC_MAX_FRAME: the pfns naming one are unknown. */
	if (has_mfn(kind) && !xc_frames_ok(mfn, count)) {
		uint64_t keep = xc_frame_ok(mfn) ? XC_FRAMES - mfn : 0;
		if (!b->impossible) {
			b->impossible_pfn = pfn + keep;
			b->impossible_mfn = mfn + keep;
			b->impossible_kind = kind;
		}
		b->impossible += count - keep;
		struct xencore_error *err = append(b, kind, pfn, mfn, keep);
		return err ? err : append(b, XENCORE_RUN_UNKNOWN, pfn + keep, 0, count - keep);
	}
	return append(b, kind, pfn, mfn, count);
}

const char *xencore_run_kind_name(enum xencore_run_kind kind)
{
	switch (kind) {
	case XENCORE_RUN_MAPPED:
		return "mapped";
	case XENCORE_RUN_INVALID:
		return "invalid";
	case XENCORE_RUN_UNKNOWN:
		return "unknown";
	case XENCORE_RUN_IDENTITY:
		return "identity";
	case XENCORE_RUN_FOREIGN:
		return "foreign";
	}
	return "?";
}

/*
 * How far the run of 8-byte entries that starts at i goes: entries equal to
 * first + k*step.  Blocks of 8 are compared without branches so the compiler
 * can vectorize: a terabyte guest has 2^28 entries and this loop is most of
 * a p2m walk's CPU time.
 */
static size_t run_end64(const unsigned char *p, size_t i, size_t n,
			uint64_t first, uint64_t step)
{
	/* GCC/clang vector extension: SSE2 on any x86-64, NEON elsewhere. */
	typedef uint64_t v2u64 __attribute__((vector_size(16)));
	size_t j = i + 1;
	uint64_t want = first + step;
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n - j >= 8) {
		v2u64 w0 = { want, want + step }, inc = { 2 * step, 2 * step };
		v2u64 w1 = w0 + inc, w2 = w1 + inc, w3 = w2 + inc;
		v2u64 inc8 = inc * 4;
		while (n - j >= 8) {
			v2u64 a, b, c, d;
			memcpy(&a, p + 8 * j, 16);
			memcpy(&b, p + 8 * j + 16, 16);
			memcpy(&c, p + 8 * j + 32, 16);
			memcpy(&d, p + 8 * j + 48, 16);
			v2u64 diff = (a ^ w0) | (b ^ w1) | (c ^ w2) | (d ^ w3);
			if (diff[0] | diff[1])
				break;
			j += 8;
			w0 += inc8;
			w1 += inc8;
			w2 += inc8;
			w3 += inc8;
		}
		want = w0[0];
	}
#endif
	while (j < n && le64(p + 8 * j) == want) {
		j++;
		want += step;
	}
	return j;
}

static uint64_t entry(const unsigned char *p, size_t i, unsigned int word)
{
	return word == 8 ? le64(p + 8 * i) : le32(p + 4 * i);
}

/*
 * Linux arch/x86/include/asm/xen/page.h: INVALID_P2M_ENTRY is ~0,
 * FOREIGN_FRAME_BIT the top bit of the word, IDENTITY_FRAME_BIT the next.
 * The frame of a mapped or foreign entry is the rest of the word; one past
 * frame.h's rule (bits 40..61 of a 64-bit entry) is run_builder_add()'s to
 * turn into an unknown pfn.
 */
struct xencore_error *run_builder_scan(struct run_builder *b, uint64_t pfn,
				       const unsigned char *p, size_t n,
				       unsigned int word)
{
	uint64_t invalid = word == 8 ? UINT64_MAX : UINT32_MAX;
	uint64_t foreign = UINT64_C(1) << (8 * word - 1);
	uint64_t identity = foreign >> 1;
	struct xencore_error *err;
	size_t i = 0;
	while (i < n) {
		uint64_t v = entry(p, i, word);
		uint64_t step = v == invalid ? 0 : 1;
		size_t j;
		if (word == 8) {
			j = run_end64(p, i, n, v, step);
		} else {
			j = i + 1;
			while (j < n && entry(p, j, word) == v + step * (j - i))
				j++;
		}
		uint64_t count = j - i;
		if (v == invalid)
			err = run_builder_add(b, XENCORE_RUN_INVALID, pfn + i, 0, count);
		else if (v & foreign)
			err = run_builder_add(b, XENCORE_RUN_FOREIGN, pfn + i,
					      v & ~(foreign | identity), count);
		else if (v & identity)
			err = run_builder_add(b, XENCORE_RUN_IDENTITY, pfn + i, 0, count);
		else
			err = run_builder_add(b, XENCORE_RUN_MAPPED, pfn + i, v, count);
		if (err)
			return err;
		i = j;
	}
	return NULL;
}
