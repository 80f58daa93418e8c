/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * runs.h: the lookups in sorted runs, written once.
 *
 * A run is an element with a first number (pfn, mfn, page) and a count: it
 * covers [first, first + count).  Arrays of runs sorted by first and not
 * overlapping are how xencore holds everything large: the page index (by
 * pfn and by mfn), p2m runs, a kdump file's pages note, an ELF core's loads,
 * a native export's table record.  Both lookups are binary searches that
 * read nothing but the array; a count of 0 covers nothing.
 *
 *   RUNS_FIND(type, runs, nr, first, count, want)
 *       the run of runs[0..nr) (type's fields first and count, both
 *       uint64_t) holding want, or NULL
 *   runs_upper(arg, nr, key, want)
 *       how many of the nr keys key(arg, 0..nr-1), in non-decreasing order,
 *       are <= want: the last of them is "the last run starting at or
 *       below want", for runs kept through an index or that may overlap
 *       (p2m.c's mfn order)
 */
#ifndef XENCORE_RUNS_H
#define XENCORE_RUNS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* RUNS_FIND's worker: runs of size bytes, first and count at those offsets. */
static inline const void *runs_find_at(const void *runs, size_t nr, size_t size,
				       size_t first_off, size_t count_off, uint64_t want)
{
	const unsigned char *base = runs;
	size_t lo = 0, hi = nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const unsigned char *r = base + mid * size;
		uint64_t first, count;
		memcpy(&first, r + first_off, sizeof(first));
		memcpy(&count, r + count_off, sizeof(count));
		if (want < first)
			hi = mid;
		else if (want - first >= count)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* offsetof(type, field), which must be a uint64_t (a compile error otherwise). */
#define RUNS_U64_AT(type, field) \
	(offsetof(type, field) + 0 * sizeof(char[sizeof(((type *)0)->field) == sizeof(uint64_t) ? 1 : -1]))

/* runs must point to type (the conditional makes the compiler check it). */
#define RUNS_FIND(type, runs, nr, first, count, want)                              \
	((const type *)runs_find_at(1 ? (runs) : (const type *)0, (nr), sizeof(type), \
				    RUNS_U64_AT(type, first), RUNS_U64_AT(type, count), (want)))

/* Key i of an array the caller describes through arg. */
typedef uint64_t runs_key_fn(const void *arg, size_t i);

static inline size_t runs_upper(const void *arg, size_t nr, runs_key_fn *key, uint64_t want)
{
	size_t lo = 0, hi = nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (key(arg, mid) <= want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#endif /* XENCORE_RUNS_H */
