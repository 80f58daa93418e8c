// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pgtable-x86.c: an address space's translations, virtual -> machine
 * frame: the page-walk engine's descend (walk.c) turned into a vtop
 * record or an error that says where the walk stopped, and a TLB.
 */
#include <config.h>

#include <inttypes.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "pgtable-x86.h"
#include "x86.h"

struct xencore_error *pt_cache_init(struct pt_cache *c)
{
	memset(c, 0, sizeof(*c));
	return walk_tables_init(&c->tables, PT_CACHE_BITS);
}

void pt_cache_deinit(struct pt_cache *c)
{
	walk_tables_deinit(&c->tables);
}

/* Why the descend for vaddr stopped short of a page, as an error. */
static struct xencore_error *stopped(const struct walk_path *p, uint64_t vaddr)
{
	const struct walk_step *last = p->nr ? &p->step[p->nr - 1] : NULL;
	switch (p->stop) {
	case WALK_STOP_ABSENT:
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"0x%" PRIx64 " is not mapped: L%d entry %u of table mfn 0x%" PRIx64 " is not present",
				vaddr, last->level, last->index, last->table_mfn);
	case WALK_STOP_NOT_DUMPED:
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"page-table page mfn 0x%" PRIx64 " (L%d table for 0x%" PRIx64 ") is not in the dump",
				p->mfn, p->level, vaddr);
	case WALK_STOP_LOOP:
		return xc_error(XENCORE_ERROR_FORMAT,
				"page-table loop at 0x%" PRIx64 ": the L%d entry points back at table mfn 0x%" PRIx64 " (the L%d table)",
				vaddr, p->level + 1, p->mfn, p->loop_level);
	default:
		return xc_error(XENCORE_ERROR_FORMAT,
				"internal error: the page walk for 0x%" PRIx64 " stopped at L%d (%d)",
				vaddr, p->level, (int)p->stop);
	}
}

struct xencore_error *pt_walk(struct xencore_dump *dump, struct pt_cache *c,
			      uint64_t root_mfn, int levels, uint64_t vaddr,
			      struct xencore_vtop *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->vaddr = vaddr;
	if (levels == 4 && !x86_64_canonical(vaddr))
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"0x%" PRIx64 " is not a canonical address", vaddr);
	if (levels == 3 && vaddr > UINT32_MAX)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"0x%" PRIx64 " is not a 32-bit address", vaddr);
	struct walk_path p;
	struct xencore_error *err = walk_descend(&c->tables, dump, root_mfn, levels, vaddr, 0, &p);
	for (int i = 0; i < p.nr; i++)
		ret->levels[ret->nr_levels++] = (struct xencore_vtop_level){
			.level = p.step[i].level, .table_mfn = p.step[i].table_mfn,
			.index = p.step[i].index, .entry = p.step[i].entry,
		};
	if (err && p.stop == WALK_STOP_NO_FRAME) {
		const struct walk_step *last = &p.step[p.nr - 1];
		return xc_error_prefix(err, "0x%" PRIx64 " (L%d entry %u of table mfn 0x%" PRIx64 ")",
				       vaddr, last->level, last->index, last->table_mfn);
	}
	if (err)
		return err;
	if (p.stop != WALK_STOP_PAGE && p.stop != WALK_STOP_LARGE)
		return stopped(&p, vaddr);
	ret->large = p.stop == WALK_STOP_LARGE;
	ret->page_size = p.size;
	ret->mfn = p.mfn;
	ret->offset = vaddr & (X86_PAGE_SIZE - 1);
	return NULL;
}

struct xencore_error *pt_translate(struct xencore_dump *dump, struct pt_cache *c,
				   uint64_t root_mfn, int levels, uint64_t vaddr,
				   uint64_t *mfn_ret)
{
	uint64_t vpage = vaddr >> X86_PAGE_SHIFT;
	size_t slot = (size_t)(vpage % TLB_SLOTS);
	if (c->tlb_valid[slot] && c->tlb_vpage[slot] == vpage) {
		*mfn_ret = c->tlb_mfn[slot];
		return NULL;
	}
	struct xencore_vtop v;
	struct xencore_error *err = pt_walk(dump, c, root_mfn, levels, vaddr, &v);
	if (err)
		return err;
	c->tlb_vpage[slot] = vpage;
	c->tlb_mfn[slot] = v.mfn;
	c->tlb_valid[slot] = true;
	*mfn_ret = v.mfn;
	return NULL;
}
