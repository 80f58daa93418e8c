// SPDX-License-Identifier: LGPL-2.1-or-later
/* walk.c: the x86 page-walk engine: table cache, loop rule, one descend (walk.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "walk.h"

struct xencore_error *walk_tables_init(struct walk_tables *t, unsigned int bits)
{
	memset(t, 0, sizeof(*t));
	size_t slots = (size_t)1 << bits;
	t->bits = bits;
	t->mfn = calloc(slots, sizeof(*t->mfn));
	t->valid = calloc(slots, sizeof(*t->valid));
	t->pages = malloc(slots * X86_PAGE_SIZE);
	if (t->mfn && t->valid && t->pages)
		return NULL;
	walk_tables_deinit(t);
	return &xencore_enomem;
}

void walk_tables_deinit(struct walk_tables *t)
{
	free(t->mfn);
	free(t->valid);
	free(t->pages);
	memset(t, 0, sizeof(*t));
}

struct xencore_error *walk_tables_get(struct walk_tables *t, struct xencore_dump *dump,
				      uint64_t mfn, const unsigned char **ret)
{
	/* Fibonacci hashing: the top bits of mfn * 2^64/phi. */
	size_t slot = t->bits ? (size_t)(mfn * UINT64_C(0x9E3779B97F4A7C15) >> (64 - t->bits)) : 0;
	unsigned char *page = t->pages + slot * X86_PAGE_SIZE;
	*ret = NULL;
	if (!t->valid[slot] || t->mfn[slot] != mfn) {
		t->valid[slot] = false;
		struct xencore_error *err = xencore_read_mfn(dump, mfn, page);
		if (err)
			return err;
		t->mfn[slot] = mfn;
		t->valid[slot] = true;
	}
	*ret = page;
	return NULL;
}

struct xencore_error *walk_descend(struct walk_tables *t, struct xencore_dump *dump,
				   uint64_t root_mfn, int levels, uint64_t va, int stop_level,
				   struct walk_path *path)
{
	memset(path, 0, sizeof(*path));
	if (levels < 1 || levels > WALK_MAX_LEVELS)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "a page walk of %d levels", levels);
	uint64_t mfn = root_mfn;
	/* One table a level, `levels` of them at most: level 1's entry ends the walk. */
	for (int level = levels; level >= 1; level--) {
		path->level = level;
		path->mfn = mfn;
		/* The table the entry above names: on the path already? */
		for (int i = 0; i < path->nr; i++) {
			if (path->step[i].table_mfn == mfn) {
				path->stop = WALK_STOP_LOOP;
				path->loop_level = path->step[i].level;
				return NULL;
			}
		}
		const unsigned char *table;
		struct xencore_error *err = walk_tables_get(t, dump, mfn, &table);
		if (err && err->code == XENCORE_ERROR_NOT_PRESENT) {
			xencore_error_destroy(err);
			path->stop = WALK_STOP_NOT_DUMPED;
			return NULL;
		}
		if (err)
			return err;
		if (level == stop_level) {
			path->stop = WALK_STOP_TABLE;
			path->table = table;
			return NULL;
		}
		unsigned int index = walk_index(va, level);
		uint64_t e = le64(table + 8 * index);
		path->step[path->nr++] = (struct walk_step){ level, mfn, index, e };
		struct walk_entry d = walk_decode(levels, level, e);
		if (d.kind == WALK_ABSENT) {
			path->stop = WALK_STOP_ABSENT;
			return NULL;
		}
		/* A native export's tables hold pfns: their machine frames, here. */
		if ((err = xc_table_frame(dump, d.frame, &mfn))) {
			path->stop = WALK_STOP_NO_FRAME;
			path->mfn = d.frame;
			return err;
		}
		if (d.kind == WALK_TABLE)
			continue;
		path->stop = d.kind == WALK_LARGE ? WALK_STOP_LARGE : WALK_STOP_PAGE;
		path->size = UINT64_C(1) << d.shift;
		path->mfn = mfn + ((va & (path->size - 1)) >> X86_PAGE_SHIFT);
		return NULL;
	}
	return NULL;	/* not reached: level 1's entry is absent or a page */
}
