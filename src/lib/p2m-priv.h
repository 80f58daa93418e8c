/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* p2m-priv.h: the run list every p2m source fills, and the sources. */
#ifndef XENCORE_P2M_PRIV_H
#define XENCORE_P2M_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xencore.h"

/*
 * Refuse to hold more runs than this (32 bytes each: 512 MiB).  A real
 * guest has far fewer; a hostile p2m that maps one data page over and over
 * would otherwise make memory grow without bound.
 */
#define P2M_MAX_RUNS	(UINT64_C(1) << 24)

/* Appends runs in pfn order, merging neighbours that continue each other. */
struct run_builder {
	struct xencore_p2m_run *runs;
	size_t nr, cap;
	uint64_t next_pfn;	/* the pfn the next run must start at */
	/* Mapped pfns whose mfn is the previous pfn's: a forged or broken p2m. */
	uint64_t repeats, repeat_pfn, repeat_mfn;
	/*
	 * Entries naming a frame past frame.h's rule, held as unknown: how
	 * many, and the first (its pfn, frame and kind, mapped or foreign).
	 */
	uint64_t impossible, impossible_pfn, impossible_mfn;
	enum xencore_run_kind impossible_kind;
	/* Pfns past the rule (from XC_FRAMES on), left out of the runs. */
	uint64_t past;
	/*
	 * A p2m the runs may turn out to equal (a filter output's saved one):
	 * while they do, the runs that match are dropped as they are made
	 * (ref_matched of them) and the result shares ref; at the first that
	 * does not, the matched ones are copied back in and building goes on
	 * as usual.  So `check` of an output holds one p2m, not two.
	 */
	const struct xencore_p2m_run *ref;
	size_t ref_nr, ref_matched;
};

void run_builder_init(struct run_builder *b);
/* Builds against ref (see struct run_builder): call before the first run. */
void run_builder_expect(struct run_builder *b, const struct xencore_p2m_run *ref, size_t nr);
/* The runs built: b->runs[0 .. b->nr) then, or true when they are exactly ref. */
struct xencore_error *run_builder_finish(struct run_builder *b, bool *same_ret);
void run_builder_deinit(struct run_builder *b);
/*
 * Appends count pfns from pfn (the pfn after the last run's).  Frame.h's
 * rule holds for what it keeps: pfns from XC_FRAMES on are counted in
 * b->past, not held; mapped or foreign frames past XC_MAX_FRAME become
 * unknown pfns, counted in b->impossible.
 */
struct xencore_error *run_builder_add(struct run_builder *b,
				      enum xencore_run_kind kind, uint64_t pfn,
				      uint64_t mfn, uint64_t count);

/*
 * Appends the runs of n p2m entries of `word` bytes at p, for pfns pfn..:
 * ~0 invalid, the foreign and identity bits decoded, else mapped.
 */
struct xencore_error *run_builder_scan(struct run_builder *b, uint64_t pfn,
				       const unsigned char *p, size_t n,
				       unsigned int word);

struct xencore_p2m {
	enum xencore_p2m_source source;
	uint64_t max_pfn;
	struct xencore_p2m_run *runs;
	size_t nr_runs;
	bool runs_shared;	/* runs are the dump's saved p2m: not freed here */
	/*
	 * The MAPPED runs in mfn order, as indexes into runs (4 bytes a run, not
	 * a copy of 32: at 2^24 runs that is 64 MiB, not 512), built on first
	 * use, under by_mfn_lock; by_mfn_ready says (acquire) it is there and
	 * will not change again, so lookups from many threads read it freely.
	 */
	pthread_mutex_t by_mfn_lock;
	atomic_bool by_mfn_ready;
	uint32_t *by_mfn;
	size_t nr_by_mfn;
	/*
	 * Only when runs overlap in mfn (a forged p2m): by_mfn_reach[i] is the
	 * furthest mfn + count of by_mfn[0..i], so a lookup finds a run that
	 * holds the mfn even when a later-starting one is shorter.
	 */
	uint64_t *by_mfn_reach;
};

struct xencore_dump;

/*
 * mfn -> pfn by a scan of every run (what xencore_p2m_mfn_to_pfn() falls
 * back on when the mfn order cannot be built): the same answer.
 */
bool p2m_mfn_to_pfn_scan(const struct xencore_p2m *p2m, uint64_t mfn, uint64_t *pfn_ret);

/* The run of runs[0 .. nr) (in pfn order, disjoint) holding pfn, or NULL. */
const struct xencore_p2m_run *p2m_runs_find(const struct xencore_p2m_run *runs, size_t nr,
					    uint64_t pfn);

/*
 * Wraps a filled builder into a p2m (takes its runs); warns through dump
 * when pfns repeat the mfn before them, when entries name impossible
 * frames and when pfns past the rule were left out.
 */
/* Builds p2m->by_mfn if it is not built yet: false when out of memory. */
bool p2m_index_by_mfn(struct xencore_p2m *p2m);

struct xencore_error *p2m_from_builder(struct xencore_dump *dump, struct run_builder *b,
				       enum xencore_p2m_source source,
				       struct xencore_p2m **ret);

/* Each source fills b with runs covering exactly pfns 0 .. max_pfn-1. */
struct xencore_error *p2m_linear_build(struct xencore_dump *dump,
				       struct run_builder *b);
struct xencore_error *p2m_dump_build(struct xencore_dump *dump,
				     struct run_builder *b);
struct xencore_error *p2m_tree_build(struct xencore_dump *dump,
				     struct run_builder *b);
struct xencore_error *p2m_saved_build(struct xencore_dump *dump,
				      struct run_builder *b);

#endif /* XENCORE_P2M_PRIV_H */
