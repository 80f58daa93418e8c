/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * walk.h: the x86 page-walk engine, the one place that says what a PV
 * guest's page tables mean.  Every walker of them uses it: the address
 * space (pgtable-x86.c), the linear p2m list (p2m-linear.c) and the
 * native export's walk of every table (pgtable-canon.c); the 3-level p2m
 * tree (p2m-tree.c) takes its table cache and its loop rule.
 *
 *   walk_decode()       an entry of a level-L table: not present, the next
 *                       table, a large page, or (L1) a 4 KiB page
 *   struct walk_tables  table pages by mfn, direct-mapped
 *   walk_descend()      from a root for one virtual address, at most one
 *                       table a level, saying where and why it stopped
 *   walk_path_level()   whether a frame is a table of the path
 *
 * The rules:
 *  - 4 levels (x86-64, 512 entries a table) or 3 (32-bit PAE, whose top
 *    table, the PDPT, has 4); entries are 8 bytes in both.
 *  - Large pages: PS (bit 7) makes an entry a large page at L2 (2 MiB)
 *    and at L3 of 4 levels (1 GiB) only; in an L4 entry and in a PAE PDPTE
 *    bit 7 is not PS, and such an entry names a table (Intel SDM vol. 3,
 *    4.4.1 and 4.5).  A large page is decoded (its frame from the large
 *    frame field), ends a walk and is never read as a table.  PV guests may
 *    not use large pages, but what a dump's tables say is what a CPU would
 *    have read: every walker reads through one (the frames of its span
 *    follow its first), and says it met one.
 *  - Frames: an entry's frame is a machine frame, or in a native export
 *    (dump->pt_pfn) a pfn that xc_table_frame() turns back into one.
 *  - Loops: Xen's page types make a frame an L4, L3, L2 or L1 table,
 *    never two at once, so a table the path already holds at another level
 *    is a loop (every cycle is one), and the walk stops on it.
 *  - Bounded: a descend reads at most one table a level, nothing recurses.
 */
#ifndef XENCORE_WALK_H
#define XENCORE_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "x86.h"
#include "xencore.h"

#define WALK_ENTRIES	512		/* entries a table (a PAE PDPT uses 4) */
#define WALK_MAX_LEVELS	4

/* Intel SDM vol. 3, 4.5: the frame of a 1 GiB (L3) or 2 MiB (L2) page. */
#define X86_PDPE_1G_MASK	UINT64_C(0x000fffffc0000000)
#define X86_PDE_2M_MASK		UINT64_C(0x000fffffffe00000)

enum walk_kind {
	WALK_ABSENT,	/* not present */
	WALK_TABLE,	/* names the table of the level below */
	WALK_LARGE,	/* maps a 2 MiB (L2) or 1 GiB (L3 of 4 levels) page */
	WALK_PAGE,	/* an L1 entry: maps a 4 KiB page */
};

struct walk_entry {
	enum walk_kind kind;
	uint64_t mask;		/* the entry's frame bits */
	uint64_t frame;		/* (entry & mask) >> 12, as the table holds it */
	unsigned int shift;	/* the entry maps 1 << shift bytes */
};

/* log2 of the bytes one entry of a level-`level` table maps. */
static inline unsigned int walk_shift(int level)
{
	return X86_PAGE_SHIFT + 9 * (unsigned int)(level - 1);
}

/* va's entry in its level-`level` table (a PAE PDPT's: va < 2^32 gives 0-3). */
static inline unsigned int walk_index(uint64_t va, int level)
{
	return (unsigned int)(va >> walk_shift(level)) & (WALK_ENTRIES - 1);
}

/* Entry e of a level-`level` table of a `levels`-level (4 or 3) hierarchy. */
static inline struct walk_entry walk_decode(int levels, int level, uint64_t e)
{
	struct walk_entry d = { WALK_ABSENT, X86_PTE_FRAME_MASK, 0, walk_shift(level) };
	if (!(e & X86_PTE_PRESENT))
		return d;
	if (level == 1) {
		d.kind = WALK_PAGE;
	} else if ((e & X86_PTE_PSE) && (level == 2 || (level == 3 && levels == 4))) {
		d.kind = WALK_LARGE;
		d.mask = level == 3 ? X86_PDPE_1G_MASK : X86_PDE_2M_MASK;
	} else {
		d.kind = WALK_TABLE;
	}
	d.frame = (e & d.mask) >> X86_PAGE_SHIFT;
	return d;
}

/* Table pages by mfn: a direct-mapped cache of 2^bits pages. */
struct walk_tables {
	unsigned int bits;
	uint64_t *mfn;
	bool *valid;
	unsigned char *pages;
};

struct xencore_error *walk_tables_init(struct walk_tables *t, unsigned int bits);
void walk_tables_deinit(struct walk_tables *t);

/*
 * The table page at mfn, from the cache or read (good until the next
 * call).  Errors: xencore_read_mfn()'s (XENCORE_ERROR_NOT_PRESENT: not in
 * the dump).
 */
struct xencore_error *walk_tables_get(struct walk_tables *t, struct xencore_dump *dump,
				      uint64_t mfn, const unsigned char **ret);

/* One entry read on the way down. */
struct walk_step {
	int level;		/* of its table */
	uint64_t table_mfn;
	unsigned int index;
	uint64_t entry;
};

/* Why a descend stopped. */
enum walk_stop {
	WALK_STOP_PAGE,		/* an L1 entry maps a 4 KiB page */
	WALK_STOP_LARGE,	/* an entry maps a large page */
	WALK_STOP_ABSENT,	/* an entry is not present */
	WALK_STOP_NO_FRAME,	/* a native export's entry names a pfn with no mfn */
	WALK_STOP_NOT_DUMPED,	/* a table is not in the dump */
	WALK_STOP_LOOP,		/* a table is on the path already, at another level */
	WALK_STOP_TABLE,	/* the table at the level asked for, read */
};

struct walk_path {
	struct walk_step step[WALK_MAX_LEVELS];	/* the entries read, root first */
	int nr;
	enum walk_stop stop;
	/*
	 * PAGE, LARGE, ABSENT, NO_FRAME: the level of the entry that stopped
	 * the walk (the last step); NOT_DUMPED, LOOP, TABLE: the level of the
	 * table (the root's is `levels`, with no step).
	 */
	int level;
	/*
	 * PAGE, LARGE: the 4 KiB frame holding va (a large page's frames
	 * follow each other); NOT_DUMPED, LOOP, TABLE: the table's mfn;
	 * NO_FRAME: the entry's frame, a pfn.
	 */
	uint64_t mfn;
	uint64_t size;		/* PAGE, LARGE: bytes the entry maps */
	int loop_level;		/* LOOP: where the path holds the table */
	const unsigned char *table;	/* TABLE: its page (until the next fetch) */
};

/*
 * Walks from the table at root_mfn (levels: 4 or 3) for va, reading the
 * tables of levels `levels` down to stop_level (0: to the end), and fills
 * *path.  Stops on a leaf, a large page, an entry not present, a table not
 * dumped or already on the path, or the table at stop_level (read, its
 * entries left to the caller).  The caller checks va (canonical, 32 bits).
 * Errors: a table that cannot be read for another reason than not being
 * dumped; an entry's frame that xc_table_frame() cannot make an mfn (then
 * also stop NO_FRAME, the path up to that entry filled: its error is
 * XENCORE_ERROR_NOT_PRESENT when the pfn has none).
 */
struct xencore_error *walk_descend(struct walk_tables *t, struct xencore_dump *dump,
				   uint64_t root_mfn, int levels, uint64_t va, int stop_level,
				   struct walk_path *path);

/* The level of the path's table at mfn (a TABLE stop's table included), or 0. */
static inline int walk_path_level(const struct walk_path *path, uint64_t mfn)
{
	for (int i = 0; i < path->nr; i++)
		if (path->step[i].table_mfn == mfn)
			return path->step[i].level;
	if (path->stop == WALK_STOP_TABLE && path->mfn == mfn)
		return path->level;
	return 0;
}

#endif /* XENCORE_WALK_H */
