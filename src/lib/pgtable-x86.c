// SPDX-License-Identifier: LGPL-2.1-or-later
/* pgtable-x86.c: walking a PV guest's x86-64 page tables by machine frame. */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "pgtable-x86.h"
#include "x86.h"

/* Intel SDM vol. 3, 4.5: frame of a 1 GiB (L3) or 2 MiB (L2) page. */
#define X86_PDPE_1G_MASK	UINT64_C(0x000fffffc0000000)
#define X86_PDE_2M_MASK		UINT64_C(0x000fffffffe00000)

struct xencore_error *pt_cache_init(struct pt_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->pages = malloc(PT_CACHE_SLOTS * X86_PAGE_SIZE);
	return c->pages ? NULL : &xencore_enomem;
}

void pt_cache_deinit(struct pt_cache *c)
{
	free(c->pages);
	c->pages = NULL;
}

static const unsigned char *get_table(struct xencore_dump *dump,
				      struct pt_cache *c, uint64_t mfn,
				      struct xencore_error **err)
{
	size_t slot = (size_t)(mfn * UINT64_C(0x9E3779B97F4A7C15) >> 56) % PT_CACHE_SLOTS;
	unsigned char *page = c->pages + slot * X86_PAGE_SIZE;
	if (c->valid[slot] && c->mfn[slot] == mfn)
		return page;
	c->valid[slot] = false;
	*err = xencore_read_mfn(dump, mfn, page);
	if (*err)
		return NULL;
	c->mfn[slot] = mfn;
	c->valid[slot] = true;
	return page;
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
	uint64_t table_mfn = root_mfn;
	for (int level = levels; level >= 1; level--) {
		struct xencore_error *err = NULL;
		const unsigned char *table = get_table(dump, c, table_mfn, &err);
		if (!table) {
			if (err->code == XENCORE_ERROR_NOT_PRESENT) {
				xencore_error_destroy(err);
				err = xc_error(XENCORE_ERROR_NOT_PRESENT,
					       "page-table page mfn 0x%" PRIx64 " (L%d table for 0x%" PRIx64 ") is not in the dump",
					       table_mfn, level, vaddr);
			}
			return err;
		}
		unsigned int shift = X86_PAGE_SHIFT + 9 * (unsigned int)(level - 1);
		unsigned int index = (unsigned int)(vaddr >> shift) & 511;
		uint64_t pte = le64(table + 8 * index);
		ret->levels[ret->nr_levels++] = (struct xencore_vtop_level){
			.level = level, .table_mfn = table_mfn, .index = index,
			.entry = pte,
		};
		if (!(pte & X86_PTE_PRESENT))
			return xc_error(XENCORE_ERROR_NOT_PRESENT,
					"0x%" PRIx64 " is not mapped: L%d entry %u of table mfn 0x%" PRIx64 " is not present",
					vaddr, level, index, table_mfn);
		/* PS exists at L2 and at the x86-64 L3, not in a PAE PDPTE. */
		if ((level == 2 || (level == 3 && levels == 4)) && (pte & X86_PTE_PSE)) {
			/* PV forbids large pages; decode one rather than misread it. */
			uint64_t mask = level == 3 ? X86_PDPE_1G_MASK : X86_PDE_2M_MASK;
			ret->large = true;
			ret->page_size = UINT64_C(1) << shift;
			uint64_t base;
			if ((err = xc_table_frame(dump, (pte & mask) >> X86_PAGE_SHIFT, &base)))
				return xc_error_prefix(err, "0x%" PRIx64, vaddr);
			ret->mfn = base + ((vaddr & (ret->page_size - 1)) >> X86_PAGE_SHIFT);
			ret->offset = vaddr & (X86_PAGE_SIZE - 1);
			return NULL;
		}
		/* A native export's tables hold pfns: their machine frames, here. */
		uint64_t next;
		if ((err = xc_table_frame(dump, (pte & X86_PTE_FRAME_MASK) >> X86_PAGE_SHIFT, &next)))
			return xc_error_prefix(err, "0x%" PRIx64 " (L%d entry %u of table mfn 0x%" PRIx64 ")",
					       vaddr, level, index, table_mfn);
		if (level == 1) {
			ret->page_size = X86_PAGE_SIZE;
			ret->mfn = next;
			ret->offset = vaddr & (X86_PAGE_SIZE - 1);
			return NULL;
		}
		/* Xen's page types forbid a frame at two levels: that is a loop. */
		for (int i = 0; i < ret->nr_levels; i++)
			if (ret->levels[i].table_mfn == next)
				return xc_error(XENCORE_ERROR_FORMAT,
						"page-table loop at 0x%" PRIx64 ": the L%d entry points back at table mfn 0x%" PRIx64 " (the L%d table)",
						vaddr, level, next, ret->levels[i].level);
		table_mfn = next;
	}
	return NULL;	/* not reached: level 1 returns */
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
