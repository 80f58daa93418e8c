// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memmap.c: --scenario pagetypes: the guest's struct pages, mem_section
 * and VMCOREINFO, and --expect-types, each pfn's class as makedumpfile
 * decides it.
 *
 * A Linux 6.1 x86_64 guest with CONFIG_SPARSEMEM_EXTREME and (default)
 * CONFIG_SPARSEMEM_VMEMMAP, whose struct pages say what each page is, for
 * page-type filtering as makedumpfile does it (-d 2/4/8/16).  Sources:
 * include/linux/mm_types.h (struct page), page-flags.h (enum pageflags,
 * page types), mm.h (enum compound_dtor_id), mmzone.h (struct
 * mem_section, SECTION_* bits), mm/sparse.c, mm/sparse-vmemmap.c,
 * kernel/crash_core.c crash_save_vmcoreinfo_init(),
 * arch/x86/kernel/machine_kexec_64.c arch_crash_save_vmcoreinfo(),
 * include/linux/crash_core.h (the VMCOREINFO_* formats); makedumpfile
 * 1.7.2 makedumpfile.c (__exclude_unnecessary_pages() and the tests it
 * calls) for what each page is to a filter.
 *
 * pagetypes-pae: the same on a 32-bit PAE guest, Linux 6.1 686-pae with
 * classic SPARSEMEM (x86_32 selects SPARSEMEM_STATIC and has no VMEMMAP:
 * arch/x86/Kconfig), arch/x86/include/asm/sparsemem.h (X86_32 PAE:
 * MAX_PHYSMEM_BITS 36), arch/x86/kernel/crash_core_32.c
 * arch_crash_save_vmcoreinfo().
 *
 * struct page, 64 bytes on x86_64: flags @0; lru @8 (a tail page:
 * compound_head @8, bit 0 set); mapping @24; index @32; private @40;
 * _mapcount (page_type) @48; _refcount @52; memcg_data @56.  The first tail
 * page of a compound page holds compound_dtor (u8) @16, compound_order (u8)
 * @17, compound_mapcount @20, compound_pincount @24, compound_nr @28.
 * 32 bytes on i386 without CONFIG_MEMCG (no memcg_data): flags @0, lru @4
 * (compound_head @4), mapping @12, index @16, private @20, _mapcount @24,
 * _refcount @28; the first tail's compound_dtor @8, compound_order @9,
 * compound_mapcount @12, compound_pincount @16 (compound_nr is 64-bit only).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

#define PT_USAGE_PFN		0x3f22ULL	/* the sections' mem_section_usage */

/*
 * The page holding this pfn's struct page is populated but not dumped: 0x3fc1
 * (pfns 0x3040-0x307f), PAE 0x3f80 (pfns 0x3000-0x307f).
 */
#define PT_UNDUMPED_OF		0x3040ULL
#define PT_PRESENT_SECTIONS	0xbu	/* sections 0, 1 and 3 */

/*
 * --max-pfn: block b (PT_BLOCK_PFNS pfns from b * PT_BLOCK_PFNS) repeats
 * the layout: sections 4b, 4b + 1 and 4b + 3 present, its struct pages in
 * its own pfns 0x3f40-0x3fff (as memmap_on_memory or a node's memmap
 * would be), its 0x3fc1 undumped, mem_section[r] (sections 256r..) in the
 * pfn 0x3f20 of block 64r, the blocks' usage in their own 0x3f22.
 */
#define PT_BLOCK_SECTIONS	((uint32_t)(PT_BLOCK_PFNS / PT_SECTION_PFNS))

/* --native-vmcore: crash_save_vmcoreinfo()'s line, 2024-02-01 12:00:00 UTC */
#define PT_CRASHTIME_LINE	"CRASHTIME=1706788800\n"

#define PGS_FLAGS		0
#define PGS_MAX			64u	/* the largest struct page here */
static const struct pgs_layout pgs64 = {
	64, 8, 8, 8, 16, 17, 20, 24, 28, 24, 32, 40, 48, 52, 0xdead000000000400ULL,
};
static const struct pgs_layout pgs32 = {
	32, 4, 4, 4, 8, 9, 12, 16, 0, 12, 16, 20, 24, 28, 0x400,
};

const struct pgs_layout *pgs_of(bool is32)
{
	return is32 ? &pgs32 : &pgs64;
}

uint32_t pgs_size(const struct model *m)
{
	return m->pgs->size;
}

static const uint8_t pgf_612[64];

/* The guest kernel's number for the model's flag bit (6.1's numbering). */
static unsigned int pt_bit(const struct model *m, unsigned int bit)
{
	return m->pt612 ? pgf_612[bit] : bit;
}

/* The guest kernel's flags word for the model's (a bit 6.12 lacks is dropped). */
static uint64_t pt_flags_out(const struct model *m, uint64_t f)
{
	uint64_t o = 0;

	if (!m->pt612)
		return f;
	for (unsigned int b = 1; b < 64; b++)
		if (f >> b & 1 && pgf_612[b])
			o |= 1ULL << pgf_612[b];
	return o;
}

/* The model's flags for the guest kernel's word. */
static uint64_t pt_flags_in(const struct model *m, uint64_t f)
{
	uint64_t o = 0;

	if (!m->pt612)
		return f;
	for (unsigned int b = 1; b < 64; b++)
		if (pgf_612[b] && f >> pgf_612[b] & 1)
			o |= 1ULL << b;
	return o;
}

/*
 * page-flags.h enum pageflags (6.1; CONFIG_MMU, X86_PAT's PG_uncached 22,
 * MEMORY_FAILURE), the same on i386 (PG_arch_2 and PG_young/PG_idle, the
 * bits after PG_hwpoison, are 64-bit only).  A 6.1 i386 kernel with
 * SPARSEMEM has no MEMORY_FAILURE (arch/x86/Kconfig
 * X86_SUPPORTS_MEMORY_FAILURE: depends on X86_64 || !SPARSEMEM, for want of
 * page-flag bits), so no PG_hwpoison: pagetypes-pae keeps it anyway (see
 * testdata/README).
 */
#define PGF_REFERENCED		(1ULL << 1)
#define PGF_UPTODATE		(1ULL << 2)
#define PGF_DIRTY		(1ULL << 3)
#define PGF_LRU_BIT		4
#define PGF_ACTIVE		(1ULL << 5)
#define PGF_SLAB_BIT		9
#define PGF_SWAPCACHE_BIT	10	/* PG_swapcache = PG_owner_priv_1 */
#define PGF_RESERVED		(1ULL << 12)
#define PGF_PRIVATE_BIT		13
#define PGF_HEAD_BIT		16
#define PGF_SWAPBACKED_BIT	19
#define PGF_HWPOISON_BIT	23
#define PGF_LRU			(1ULL << PGF_LRU_BIT)
#define PGF_SLAB		(1ULL << PGF_SLAB_BIT)
#define PGF_SWAPCACHE		(1ULL << PGF_SWAPCACHE_BIT)
#define PGF_PRIVATE		(1ULL << PGF_PRIVATE_BIT)
#define PGF_HEAD		(1ULL << PGF_HEAD_BIT)	/* NUMBER(PG_head_mask) */
#define PGF_SWAPBACKED		(1ULL << PGF_SWAPBACKED_BIT)
#define PGF_HWPOISON		(1ULL << PGF_HWPOISON_BIT)
/*
 * Page types live in _mapcount (page-flags.h: PAGE_TYPE_BASE 0xf0000000,
 * PG_buddy 0x80, PG_offline 0x100, PG_table 0x200; a page of a type has
 * page_type = ~bit).  crash_core.c: PAGE_BUDDY_MAPCOUNT_VALUE (~PG_buddy),
 * PAGE_OFFLINE_MAPCOUNT_VALUE (~PG_offline).
 */
#define PAGE_BUDDY_MAPCOUNT	(-129)
#define PAGE_OFFLINE_MAPCOUNT	(-257)
#define PAGE_TABLE_MAPCOUNT	(-513)
/*
 * --kernel 6.12: page-flags.h enum pagetype, one type per page in the top
 * byte of page_type (PGTY_x << 24; the low 24 bits free for the type's
 * own use), and vmcore_info.c's values are those (PAGE_SLAB_MAPCOUNT_VALUE
 * and PAGE_HUGETLB_MAPCOUNT_VALUE too: PG_slab and HUGETLB_PAGE_DTOR are
 * gone).
 */
#define PGTY_BUDDY		0xf0u
#define PGTY_OFFLINE		0xf1u
#define PGTY_TABLE		0xf2u
#define PGTY_HUGETLB		0xf4u
#define PGTY_SLAB		0xf5u
#define PGTY_VALUE(t)		((int32_t)((uint32_t)(t) << 24))
/*
 * --kernel 6.12's flag numbers: mainline's reordered enum pageflags (no
 * PG_slab, PG_head in bit 6; x86_64, CONFIG_MMU, MEMORY_FAILURE): locked 0,
 * writeback 1, referenced 2, uptodate 3, dirty 4, lru 5, head 6, waiters
 * 7, active 8, workingset 9, owner_priv_1 (swapcache) 10, owner_2 11,
 * arch_1 12, reserved 13, private 14, private_2 15, reclaim 16, swapbacked
 * 17, unevictable 18, then dropbehind, mlocked and hwpoison 21.  Readers
 * take every number from VMCOREINFO.  The model composes flags with 6.1's
 * bits (PGF_*); pt_bit() gives the kernel's own.
 */
static const uint8_t pgf_612[64] = {
	[1] = 2, [2] = 3, [3] = 4, [PGF_LRU_BIT] = 5, [5] = 8, [PGF_SWAPCACHE_BIT] = 10,
	[12] = 13, [PGF_PRIVATE_BIT] = 14, [PGF_HEAD_BIT] = 6, [PGF_SWAPBACKED_BIT] = 17,
	[PGF_HWPOISON_BIT] = 21,
};
/* mm.h enum compound_dtor_id with HUGETLB_PAGE and TRANSPARENT_HUGEPAGE */
#define COMPOUND_PAGE_DTOR	1
#define HUGETLB_PAGE_DTOR	2
#define TRANSHUGE_PAGE_DTOR	3
#define PAGE_MAPPING_ANON	1ULL	/* page-flags.h: mapping | 1 is an anon_vma */
/* mmzone.h (6.1): the low bits of section_mem_map */
#define SECTION_MARKED_PRESENT	1ULL
#define SECTION_HAS_MEM_MAP	2ULL
#define SECTION_IS_ONLINE	4ULL
#define SECTION_IS_EARLY	8ULL
/* What a run of pfns holds (struct page contents: pt_struct_page()). */
enum pt_kind {
	PK_RESERVED,		/* memblock memory: PG_reserved (mm_init.c reserve_bootmem_region) */
	PK_KERNEL,		/* a kernel allocation (alloc_pages): no flag */
	PK_PGTABLE,		/* a page-table page: page type PG_table */
	PK_SLAB,		/* a one-page slab: PG_slab, slab_cache where mapping is */
	PK_SLAB_BUDDYVAL,	/* the same, its unused word (_mapcount) PAGE_BUDDY_MAPCOUNT_VALUE */
	PK_SLAB_HEAD,		/* an order-3 slab: PG_slab|PG_head, COMPOUND_PAGE_DTOR */
	PK_CACHE,		/* page cache: PG_lru, a file mapping */
	PK_CACHE_PRIVATE,	/* the same with PG_private (buffer heads in private) */
	PK_SHMEM_SWAPCACHE,	/* shmem in the swap cache: PG_swapcache|PG_swapbacked, no LRU */
	PK_ANON,		/* anonymous: PG_lru|PG_swapbacked, mapping anon_vma | 1 */
	PK_ANON_NOLRU,		/* the same, off the LRU (a per-cpu batch) */
	PK_ANON_SWAPCACHE,	/* anonymous in the swap cache: PG_lru|PG_swapcache too */
	PK_HUGETLB,		/* a hugetlbfs page: HUGETLB_PAGE_DTOR, file mapping, no LRU */
	PK_THP,			/* an anonymous THP: TRANSHUGE_PAGE_DTOR */
	PK_FOLIO,		/* a large page-cache folio: COMPOUND_PAGE_DTOR, PG_lru */
	PK_FREE,		/* a free buddy block: head _mapcount PAGE_BUDDY, private order */
	PK_HWPOISON,		/* PG_hwpoison (memory_failure() took a reference) */
	PK_OFFLINE,		/* PageOffline, still populated */
	PK_BALLOON,		/* given back to Xen: PageOffline (xen/balloon.c), not populated */
};

/* pfns [pfn, pfn + count): one compound page or buddy block when order > 0. */
struct pt_run {
	uint32_t pfn;
	uint32_t count;
	uint8_t kind;		/* enum pt_kind */
	uint8_t order;
};

/*
 * Every pfn of the present sections, ascending.  Compound pages and buddy
 * blocks are naturally aligned (a hugetlb page at 0x200, a free order-10
 * block at 0x400, ...).  testdata/README lists the runs and their classes.
 */
static const struct pt_run pt_runs[] = {
	{ 0x0000, 0x100, PK_RESERVED, 0 },
	{ 0x0100, 0x5, PK_SLAB, 0 },
	{ 0x0105, 0x1, PK_SLAB_BUDDYVAL, 0 },
	{ 0x0106, 0x2, PK_SLAB, 0 },
	{ 0x0108, 0x8, PK_SLAB_HEAD, 3 },
	{ 0x0110, 0x30, PK_SLAB, 0 },
	{ 0x0140, 0x40, PK_PGTABLE, 0 },
	{ 0x0180, 0x80, PK_KERNEL, 0 },
	{ 0x0200, 0x200, PK_HUGETLB, 9 },
	{ 0x0400, 0x400, PK_FREE, 10 },
	{ 0x0800, 0x100, PK_CACHE, 0 },
	{ 0x0900, 0x80, PK_CACHE_PRIVATE, 0 },
	{ 0x0980, 0x40, PK_SHMEM_SWAPCACHE, 0 },
	{ 0x09c0, 0x4, PK_FOLIO, 2 },
	{ 0x09c4, 0x3c, PK_CACHE, 0 },
	{ 0x0a00, 0x100, PK_ANON, 0 },
	{ 0x0b00, 0x40, PK_ANON_NOLRU, 0 },
	{ 0x0b40, 0x40, PK_ANON_SWAPCACHE, 0 },
	{ 0x0b80, 0x10, PK_THP, 4 },
	{ 0x0b90, 0x10, PK_ANON, 0 },
	{ 0x0ba0, 0x1, PK_FREE, 0 },
	{ 0x0ba1, 0x1, PK_HWPOISON, 0 },
	{ 0x0ba2, 0x2, PK_FREE, 1 },
	{ 0x0ba4, 0x1, PK_HWPOISON, 0 },
	{ 0x0ba5, 0x2, PK_OFFLINE, 0 },
	{ 0x0ba7, 0x1, PK_KERNEL, 0 },
	{ 0x0ba8, 0x8, PK_FREE, 3 },
	{ 0x0bb0, 0x10, PK_KERNEL, 0 },
	{ 0x0bc0, 0x20, PK_FREE, 5 },
	{ 0x0be0, 0x420, PK_RESERVED, 0 },
	/* the kernel image 0x1000-0x103f, the pool from 0x1040 */
	{ 0x1000, 0x100, PK_RESERVED, 0 },
	{ 0x1100, 0xb00, PK_BALLOON, 0 },
	{ 0x1c00, 0x400, PK_FREE, 10 },
	/* section 2 (0x2000-0x2fff) is not present */
	{ 0x3000, 0x80, PK_ANON, 0 },	/* 0x3040-0x307f: their struct pages are not dumped */
	{ 0x3080, 0x80, PK_CACHE, 0 },
	{ 0x3100, 0x300, PK_KERNEL, 0 },
	{ 0x3400, 0x400, PK_FREE, 10 },
	{ 0x3800, 0x700, PK_BALLOON, 0 },
	{ 0x3f00, 0x21, PK_RESERVED, 0 },	/* mem_section roots, mem_section[0] */
	{ 0x3f21, 0x1, PK_KERNEL, 0 },		/* VMCOREINFO: get_zeroed_page() */
	{ 0x3f22, 0xde, PK_RESERVED, 0 },	/* usage, reserved, the struct pages */
};

#define N_PT_RUNS (sizeof(pt_runs) / sizeof(pt_runs[0]))

/* Data pages that hold zeros (the others hold the data-page pattern). */
static const struct ext_def pt_zero[] = {
	{ 0x0000, 0x10 },	/* kernel (reserved) */
	{ 0x01f0, 0x4 },	/* kernel */
	{ 0x0300, 0x2 },	/* user: two tails of the hugetlb page */
	{ 0x0400, 0x8 },	/* free: the start of an order-10 block */
	{ 0x08f0, 0x2 },	/* cache */
	{ 0x0970, 0x1 },	/* cache_private */
	{ 0x0af0, 0x4 },	/* user */
	{ 0x0ba2, 0x2 },	/* free: a whole order-1 block */
	{ 0x0ba4, 0x1 },	/* hwpoison */
	{ 0x0ba6, 0x1 },	/* offline */
	{ 0x3f23, 0x1d },	/* kernel (reserved) */
};

/* The first pfn of pfn's block of the layout (see PT_BLOCK_PFNS). */
static uint64_t pt_block(uint64_t pfn)
{
	return pfn - pfn % PT_BLOCK_PFNS;
}

static bool pt_section_present(const struct model *m, uint64_t pfn)
{
	uint64_t s = pfn / PT_SECTION_PFNS;

	return s < m->max_pfn / PT_SECTION_PFNS &&
	       (PT_PRESENT_SECTIONS >> (s % PT_BLOCK_SECTIONS) & 1);
}

/*
 * The present sections of its block below section s: where s's struct
 * pages are among the block's.
 */
static uint32_t pt_section_slot(uint64_t s)
{
	uint32_t n = 0;

	for (uint64_t t = 0; t < s % PT_BLOCK_SECTIONS; t++)
		n += PT_PRESENT_SECTIONS >> t & 1;
	return n;
}

/* The pages of struct pages a present section has. */
uint64_t pt_memmap_pages(const struct model *m)
{
	return PT_SECTION_PFNS * pgs_size(m) / PAGE_SIZE;
}

/* The pfn of the page holding pfn's struct page, or INVALID_ENTRY (no section). */
uint64_t pt_memmap_page(const struct model *m, uint64_t pfn)
{
	if (!pt_section_present(m, pfn))
		return INVALID_ENTRY;
	return pt_block(pfn) + PT_MEMMAP_PFN +
	       pt_section_slot(pfn / PT_SECTION_PFNS) * pt_memmap_pages(m) +
	       pfn % PT_SECTION_PFNS * pgs_size(m) / PAGE_SIZE;
}

/* The populated struct-page page that is not in the dump (the first block's). */
uint64_t pt_undumped_pfn(const struct model *m)
{
	return pt_memmap_page(m, PT_UNDUMPED_OF);
}

/* pfn is a block's struct-page page that is not in the dump. */
bool pt_is_undumped(const struct model *m, uint64_t pfn)
{
	return !m->pt_whole_memmap && pfn % PT_BLOCK_PFNS == pt_undumped_pfn(m);
}

/* A direct-map address (__va()) in a kernel page: the objects struct pages point at. */
uint64_t pt_direct(const struct model *m, uint64_t pfn, uint64_t off)
{
	return (m->pae ? PAGE_OFFSET32 : PAGE_OFFSET_BASE) + (pfn << PAGE_SHIFT) + off;
}

/* The virtual address of pfn's struct page: in the vmemmap, or in the direct map. */
uint64_t pt_page_va(const struct model *m, uint64_t pfn)
{
	uint32_t per = PAGE_SIZE / pgs_size(m);

	if (m->pt_vmemmap)
		return VMEMMAP_BASE + pfn * pgs_size(m);
	return pt_direct(m, pt_memmap_page(m, pfn), pfn % per * pgs_size(m));
}

/*
 * mem_section[s].section_mem_map (sparse.c sparse_encode_mem_map()): the
 * section's mem_map minus its first pfn's index, so that adding a pfn
 * gives its struct page, and the flags of an early, online section (the
 * mem_map pages are page aligned: the low bits are free).
 */
static uint64_t pt_section_mem_map(const struct model *m, uint64_t s)
{
	uint64_t first = s * PT_SECTION_PFNS;

	return (pt_page_va(m, first) - first * pgs_size(m)) | SECTION_MARKED_PRESENT |
	       SECTION_HAS_MEM_MAP | SECTION_IS_ONLINE | SECTION_IS_EARLY;
}

/* SYMBOL(mem_section): the roots array (EXTREME), or the static array in .bss. */
uint64_t pt_mem_section(const struct model *m)
{
	return m->pae ? m->ka->va + PG(KP_END) : pt_direct(m, PT_ROOTS_PFN, 0);
}

/* NR_SECTION_ROOTS: LENGTH(mem_section). */
uint32_t pt_nr_section_roots(const struct model *m)
{
	uint32_t nr_sections = 1u << ((m->pae ? 36 : 46) - PT_SECTION_SIZE_BITS);

	return m->pae ? nr_sections : nr_sections / (PAGE_SIZE / (2 * m->pgs->word));
}

/* The run of pt_runs[] that holds pfn's offset in its block. */
static const struct pt_run *pt_run_of(uint64_t pfn)
{
	uint64_t rel = pfn % PT_BLOCK_PFNS;

	for (size_t i = 0; i < N_PT_RUNS; i++)
		if (rel >= pt_runs[i].pfn && rel - pt_runs[i].pfn < pt_runs[i].count)
			return &pt_runs[i];
	return NULL;
}

static bool pt_is_compound(const struct pt_run *r)
{
	return r->kind == PK_SLAB_HEAD || r->kind == PK_HUGETLB || r->kind == PK_THP ||
	       r->kind == PK_FOLIO;
}

/*
 * --kernel 6.12: a slab page is mm/slab.h's struct slab (SLUB,
 * SLUB_CPU_PARTIAL) over struct page: flags (PG_head for a large slab, no
 * PG_slab), slab_cache where compound_head is, then slab_list, or on a
 * cpu's partial list the next slab and the count of partial slabs (an int
 * where page.mapping is: 3 here, so mapping & 1 is set), freelist,
 * counters, and page_type PGTY_slab.  Every fourth slab is on a cpu
 * partial list.
 */
static void pt_struct_slab612(const struct model *m, uint64_t pfn, const struct pt_run *r,
			      uint8_t *p, uint64_t *flags, uint64_t *mapping, int32_t *mapcount)
{
	const struct pgs_layout *L = m->pgs;
	uint64_t node_partial = pt_direct(m, 0x104, 0x40 + 0x100 * (pfn & 7));

	*flags = r->kind == PK_SLAB_HEAD ? PGF_HEAD : 0;
	put_word(p, L->head, pt_direct(m, 0x104, 0x100 + 0x100 * (pfn & 7)), L->word);
	/* slab_list (or next) is where page.lru's second word is */
	if (pfn % 4 == 1) {
		put_word(p, L->lru + L->word, pt_page_va(m, pfn + 1), L->word);
		*mapping = 3;
	} else {
		put_word(p, L->lru + L->word, node_partial, L->word);
		*mapping = node_partial;
	}
	*mapcount = PGTY_VALUE(PGTY_SLAB);
}

/* The mm_structs of the processes: objects of the slab page 0x120. */
#define PROC_MM_PFN		0x120ULL

/* The address of process p's pgd's page.lru (its link on pgd_list). */
static uint64_t proc_pgd_lru(const struct model *m, unsigned p)
{
	return pt_page_va(m, proc_pt_pfn(m, p, PPT_PGD)) + m->pgs->lru;
}

/*
 * pgd_list's two words (next, prev) into out: at link time (m NULL)
 * LIST_HEAD_INIT, the list itself; at run time the processes' pgds, each
 * pgd_list_add()ed as it was made (list_add(): the newest first).
 */
void pgd_list_words(const struct model *m, const struct kabi *ka, uint8_t *out)
{
	uint32_t w = ka->is32 ? 4 : 8;
	uint64_t self = ka->va + PGD_LIST_OFF;

	put_word(out, 0, m ? proc_pgd_lru(m, PROC_N - 1) : self, w);
	put_word(out, w, m ? proc_pgd_lru(m, 0) : self, w);
}

/*
 * A process's pgd page (pgd_ctor(), xen_pgd_alloc()): page.lru on
 * pgd_list (process p between p + 1, added after it, and p - 1), pt_mm
 * where page.index is (its mm_struct), and on 64-bit page.private the
 * direct-map address of its user pgd.  Other pages are left alone.
 */
static void pt_pgd_struct_page(const struct model *m, uint64_t pfn, uint8_t *pg,
			       uint64_t *index, uint64_t *priv)
{
	const struct pgs_layout *L = m->pgs;
	uint64_t head = m->ka->va + PGD_LIST_OFF;
	unsigned p, kind;

	if (pfn >= PT_BLOCK_PFNS || !proc_pt_of_pfn(m, pfn, &p, &kind) || kind != PPT_PGD)
		return;
	put_word(pg, L->lru, p == 0 ? head : proc_pgd_lru(m, p - 1), L->word);
	put_word(pg, L->lru + L->word, p == PROC_N - 1 ? head : proc_pgd_lru(m, p + 1), L->word);
	*index = pt_direct(m, PROC_MM_PFN, 0x400 * p);
	*priv = m->pae ? 0 : pt_direct(m, proc_pt_pfn(m, p, PPT_UPGD), 0);
}

/*
 * pfn's struct page, as Linux 6.1 leaves it for what the run holds.
 * Pointers name plausible kernel objects in the slab pages 0x100-0x13f
 * (inodes' address_space, anon_vma, kmem_cache, buffer heads), not
 * modelled further.
 */
static void pt_struct_page(const struct model *m, uint64_t pfn, uint8_t *p)
{
	const struct pgs_layout *L = m->pgs;
	const uint32_t w = L->word;
	const struct pt_run *r = pt_run_of(pfn);
	uint64_t first = pt_block(pfn) + r->pfn;	/* the run's first pfn */
	uint64_t va = pt_page_va(m, pfn), i = pfn - first;
	uint64_t flags = 0, mapping = 0, index = i, priv = 0;
	uint64_t file = pt_direct(m, 0x112, 0xa8 + 0x400 * (r->pfn >> 8 & 3));
	uint64_t anon = pt_direct(m, 0x118, 0x40 * (r->pfn >> 4 & 0x3f)) | PAGE_MAPPING_ANON;
	int32_t mapcount = -1, refcount = 1;

	memset(p, 0, L->size);
	/* __init_single_page(): an empty lru list; LRU pages link to their neighbours. */
	put_word(p, L->lru, va + L->lru, w);
	put_word(p, L->lru + w, va + L->lru, w);
	if (r->kind == PK_CACHE || r->kind == PK_CACHE_PRIVATE || r->kind == PK_ANON ||
	    r->kind == PK_ANON_SWAPCACHE) {
		if (i + 1 < r->count)
			put_word(p, L->lru, va + L->size + L->lru, w);
		if (i > 0)
			put_word(p, L->lru + w, va - L->size + L->lru, w);
	}
	if (pt_is_compound(r) && i > 0) {
		/* prep_compound_tail(): compound_head = head | 1, TAIL_MAPPING */
		put_word(p, L->head, pt_page_va(m, first) | 1, w);
		put_word(p, L->lru + w, 0, w);
		if (i == 1 && m->pt612) {
			/*
			 * 6.12 struct folio's second page: _flags_1 (its low byte
			 * the order: folio_set_order()), _head_1, _large_mapcount,
			 * _entire_mapcount, _nr_pages_mapped, _pincount,
			 * _folio_nr_pages; VMCOREINFO names none of them.
			 */
			put_word(p, PGS_FLAGS, r->order, w);
			put_le32(p, 2 * w, r->kind == PK_SLAB_HEAD ? UINT32_MAX : 0);
			put_le32(p, 2 * w + 4, r->kind == PK_SLAB_HEAD ? UINT32_MAX : 0);
			put_le32(p, 2 * w + 8, 0);
			put_le32(p, 2 * w + 12, 0);
			put_le32(p, 2 * w + 16, 1u << r->order);
		} else if (i == 1) {	/* prep_compound_head() */
			p[L->dtor] = r->kind == PK_HUGETLB ? HUGETLB_PAGE_DTOR :
				     r->kind == PK_THP ? TRANSHUGE_PAGE_DTOR :
				     COMPOUND_PAGE_DTOR;
			p[L->order] = r->order;
			put_le32(p, L->cmapcount,
				 r->kind == PK_SLAB_HEAD ? UINT32_MAX : 0);	/* mapped once */
			put_le32(p, L->cpincount, 0);
			if (L->cnr)
				put_le32(p, L->cnr, 1u << r->order);
		} else {
			put_word(p, L->mapping, L->tail_mapping, w);
		}
		put_le32(p, L->mapcount, UINT32_MAX);
		put_le32(p, L->refcount, 0);
		return;
	}
	switch ((enum pt_kind)r->kind) {
	case PK_RESERVED:
		flags = PGF_RESERVED;
		index = 0;
		break;
	case PK_KERNEL:
		index = 0;
		break;
	case PK_PGTABLE:	/* 6.1: PageTable is a page type */
		mapcount = m->pt612 ? PGTY_VALUE(PGTY_TABLE) : PAGE_TABLE_MAPCOUNT;
		index = 0;
		pt_pgd_struct_page(m, pfn, p, &index, &priv);
		break;
	case PK_SLAB_BUDDYVAL:	/* struct slab's unused word left at the buddy value */
		mapcount = PAGE_BUDDY_MAPCOUNT;
		/* fall through */
	case PK_SLAB:
	case PK_SLAB_HEAD:
		if (m->pt612) {
			pt_struct_slab612(m, pfn, r, p, &flags, &mapping, &mapcount);
			index = pt_direct(m, pfn, 0x200);	/* freelist */
			priv = 0x200010ULL;			/* counters */
			break;
		}
		/* mm/slab.h struct slab: slab_cache @24, freelist @32, counters @40 */
		flags = PGF_SLAB | (r->kind == PK_SLAB_HEAD ? PGF_HEAD : 0);
		mapping = pt_direct(m, 0x104, 0x100 + 0x100 * (pfn & 7));
		index = pt_direct(m, pfn, 0x200);
		priv = 0x200010ULL;	/* inuse 16, objects 32 */
		break;
	case PK_CACHE:
	case PK_FOLIO:
		flags = PGF_LRU | PGF_UPTODATE | PGF_REFERENCED |
			(r->kind == PK_FOLIO ? PGF_HEAD : 0);
		mapping = file;
		mapcount = r->kind == PK_FOLIO || i % 2 ? -1 : 0;
		refcount = mapcount + 2;
		break;
	case PK_CACHE_PRIVATE:	/* block-device cache with buffer heads */
		flags = PGF_LRU | PGF_UPTODATE | PGF_PRIVATE;
		mapping = file;
		priv = pt_direct(m, 0x130 + (i & 0xf), 0x68 * (i >> 4 & 0x1f));
		refcount = 2;
		break;
	case PK_SHMEM_SWAPCACHE:	/* shmem_writepage(): out of the page cache, in swap */
		flags = PGF_SWAPCACHE | PGF_SWAPBACKED | PGF_UPTODATE | PGF_DIRTY;
		priv = 0x2000 + i;	/* swp_entry_t: type 0, offset */
		index = 0;
		break;
	case PK_ANON:
	case PK_ANON_NOLRU:
	case PK_ANON_SWAPCACHE:
	case PK_THP:
		flags = PGF_SWAPBACKED | PGF_UPTODATE |
			(r->kind != PK_ANON_NOLRU ? PGF_LRU | PGF_ACTIVE : 0) |
			(r->kind == PK_ANON_SWAPCACHE ? PGF_SWAPCACHE : 0) |
			(r->kind == PK_THP ? PGF_HEAD : 0);
		mapping = anon;
		/* linear_page_index() of a user address (i386: below 3 GiB) */
		index = (m->pae ? 0xb7a40ULL : 0x7f3a40000ULL) + pfn;
		priv = r->kind == PK_ANON_SWAPCACHE ? 0x3000 + i : 0;
		mapcount = r->kind == PK_THP ? -1 : 0;	/* a THP is mapped by its PMD */
		refcount = r->kind == PK_ANON_SWAPCACHE ? 2 : 1;
		break;
	case PK_HUGETLB:	/* private: hugetlb's own flags, HPG_migratable */
		flags = PGF_HEAD | PGF_UPTODATE;
		mapping = pt_direct(m, 0x11c, 0x2a8);
		priv = 1ULL << 1;
		if (m->pt612)	/* 6.12: a hugetlb folio is a page type of its head */
			mapcount = PGTY_VALUE(PGTY_HUGETLB);
		break;
	case PK_FREE:	/* __free_one_page(): set_buddy_order(); the rest of the block */
		refcount = 0;
		index = 0;
		if (i == 0) {
			mapcount = m->pt612 ? PGTY_VALUE(PGTY_BUDDY) : PAGE_BUDDY_MAPCOUNT;
			priv = r->order;
		}
		break;
	case PK_HWPOISON:
		flags = PGF_HWPOISON;
		index = 0;
		break;
	case PK_OFFLINE:
	case PK_BALLOON:
		mapcount = m->pt612 ? PGTY_VALUE(PGTY_OFFLINE) : PAGE_OFFLINE_MAPCOUNT;
		index = 0;
		break;
	}
	put_word(p, PGS_FLAGS, pt_flags_out(m, flags), w);
	put_word(p, L->mapping, mapping, w);
	put_word(p, L->index, index, w);
	put_word(p, L->priv, priv, w);
	put_le32(p, L->mapcount, (uint32_t)mapcount);
	put_le32(p, L->refcount, (uint32_t)refcount);
}

/*
 * The VMCOREINFO text of the guest kernel, in crash_save_vmcoreinfo_init()
 * order, formats from crash_core.h (SYMBOL %lx, SIZE/OFFSET/LENGTH %lu,
 * NUMBER %ld), then arch_crash_save_vmcoreinfo()'s lines (x86_64
 * machine_kexec_64.c; i386 crash_core_32.c: CONFIG_X86_PAE, node_data only
 * with NUMA).  Lines about objects the fixture does not model are left out
 * (testdata/README).  --kernel 6.12 (vmcore_info.c): no compound
 * destructor or order, no PG_slab or HUGETLB_PAGE_DTOR, but
 * PAGE_SLAB_MAPCOUNT_VALUE and PAGE_HUGETLB_MAPCOUNT_VALUE, PGTY values
 * printed as the signed longs their int expressions give.  crash: a kdump
 * kernel's copy (--native-vmcore) ends with CRASHTIME, as
 * crash_save_vmcoreinfo() appends it when the kernel panics into kdump;
 * the guest's own vmcoreinfo_data has none (xl dump-core is no crash).
 * Writes at most size bytes (with a NUL) to b; returns the text's length.
 */
size_t pt_vmcoreinfo(const struct model *m, char *b, size_t size, bool crash)
{
	const struct kabi *ka = m->ka;
	const struct pgs_layout *L = m->pgs;
	uint64_t uts = ka->va + PG(KP_VARS), pgt = ka->va + PG(KP_ROOT);
	struct text t = { b, size, 0 };

	if (size)
		b[0] = 0;
	text_add(&t,
		 "OSRELEASE=%s\n"
		 "PAGESIZE=%u\n"
		 "SYMBOL(init_uts_ns)=%" PRIx64 "\n"
		 "OFFSET(uts_namespace.name)=%u\n"
		 /* x86_64: #define swapper_pg_dir init_top_pgt */
		 "SYMBOL(swapper_pg_dir)=%" PRIx64 "\n"
		 "SYMBOL(_stext)=%" PRIx64 "\n"
		 /* VMCOREINFO_SYMBOL_ARRAY: the pointer's value (the roots), or the array */
		 "SYMBOL(mem_section)=%" PRIx64 "\n"
		 "LENGTH(mem_section)=%u\n"
		 "SIZE(mem_section)=%u\n"
		 "OFFSET(mem_section.section_mem_map)=0\n"
		 "NUMBER(SECTION_SIZE_BITS)=%d\n"
		 "NUMBER(MAX_PHYSMEM_BITS)=%d\n"
		 "SIZE(page)=%u\n"
		 "SIZE(list_head)=%u\n"
		 "OFFSET(page.flags)=%d\n"
		 "OFFSET(page._refcount)=%u\n"
		 "OFFSET(page.mapping)=%u\n"
		 "OFFSET(page.lru)=%u\n"
		 "OFFSET(page._mapcount)=%u\n"
		 "OFFSET(page.private)=%u\n",
		 ka->release, PAGE_SIZE, uts, ka->uts_name, pgt, ka->va, pt_mem_section(m),
		 pt_nr_section_roots(m), 2 * L->word, PT_SECTION_SIZE_BITS, m->pae ? 36 : 46,
		 L->size, 2 * L->word, PGS_FLAGS, L->refcount, L->mapping, L->lru, L->mapcount,
		 L->priv);
	if (!m->pt612)
		text_add(&t, "OFFSET(page.compound_dtor)=%u\nOFFSET(page.compound_order)=%u\n",
			 L->dtor, L->order);
	text_add(&t,
		 "OFFSET(page.compound_head)=%u\n"
		 "OFFSET(list_head.next)=0\n"
		 "OFFSET(list_head.prev)=%u\n", L->head, L->word);
	pk_vmcoreinfo(m, &t);
	text_add(&t,
		 "NUMBER(PG_lru)=%u\n"
		 "NUMBER(PG_private)=%u\n"
		 "NUMBER(PG_swapcache)=%u\n"
		 "NUMBER(PG_swapbacked)=%u\n",
		 pt_bit(m, PGF_LRU_BIT), pt_bit(m, PGF_PRIVATE_BIT),
		 pt_bit(m, PGF_SWAPCACHE_BIT), pt_bit(m, PGF_SWAPBACKED_BIT));
	if (m->pt612)
		text_add(&t, "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)=%d\n", PGTY_VALUE(PGTY_SLAB));
	else
		text_add(&t, "NUMBER(PG_slab)=%d\n", PGF_SLAB_BIT);
	text_add(&t,
		 "NUMBER(PG_hwpoison)=%u\n"
		 "NUMBER(PG_head_mask)=%llu\n"
		 "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=%d\n",
		 pt_bit(m, PGF_HWPOISON_BIT), 1ULL << pt_bit(m, PGF_HEAD_BIT),
		 m->pt612 ? PGTY_VALUE(PGTY_BUDDY) : PAGE_BUDDY_MAPCOUNT);
	if (m->pt612)
		text_add(&t, "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)=%d\n",
			 PGTY_VALUE(PGTY_HUGETLB));
	else
		text_add(&t, "NUMBER(HUGETLB_PAGE_DTOR)=%d\n", HUGETLB_PAGE_DTOR);
	text_add(&t, "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=%d\n",
		 m->pt612 ? PGTY_VALUE(PGTY_OFFLINE) : PAGE_OFFLINE_MAPCOUNT);
	if (m->pae)
		text_add(&t, "CONFIG_X86_PAE=y\n");
	else
		text_add(&t,
			 "NUMBER(phys_base)=0\n"
			 "SYMBOL(init_top_pgt)=%" PRIx64 "\n"
			 "NUMBER(pgtable_l5_enabled)=0\n"
			 "KERNELOFFSET=0\n"
			 /* CONFIG_RANDOMIZE_BASE: 1 GiB */
			 "NUMBER(KERNEL_IMAGE_SIZE)=1073741824\n"
			 "NUMBER(sme_mask)=0\n", pgt);
	if (crash)
		text_add(&t, "%s", PT_CRASHTIME_LINE);
	return t.len;
}

/*
 * The present sections' struct mem_section of root r (sections 256r..
 * 256r + 255) at b: section s at (s - 256r) * SIZE(mem_section); its usage
 * in its block's PT_USAGE_PFN.
 */
static void pt_put_sections(const struct model *m, uint8_t *b, uint64_t r)
{
	uint32_t w = m->pgs->word;

	for (uint64_t t = 0; t < PT_ROOT_SECTIONS; t++) {
		uint64_t s = r * PT_ROOT_SECTIONS + t, first = s * PT_SECTION_PFNS;

		if (pt_section_present(m, first)) {
			put_word(b, 2 * w * t, pt_section_mem_map(m, s), w);
			put_word(b, 2 * w * t + w, pt_direct(m, pt_block(first) + PT_USAGE_PFN,
							     0x40 * (s % PT_BLOCK_SECTIONS)), w);
		}
	}
}

/* Fills pg with the page of a pagetypes-only pfn; false for the others. */
bool gen_pt_page(const struct model *m, uint64_t pfn, uint8_t *pg)
{
	uint64_t mmp = pt_memmap_pages(m), per = PAGE_SIZE / pgs_size(m);
	uint64_t ms_pfn = KERNEL_TEXT_PFN + KP_END;	/* PAE: mem_section in .bss */
	uint64_t blk = pt_block(pfn), rel = pfn - blk;

	if (rel >= PT_MEMMAP_PFN && rel < PT_MEMMAP_PFN + PT_NR_PRESENT * mmp) {
		/* struct pages, in pfn order within a present section of the block */
		uint64_t slot = (rel - PT_MEMMAP_PFN) / mmp, s = 0, first;

		for (uint64_t t = 0, seen = 0; t < PT_BLOCK_SECTIONS; t++)
			if (PT_PRESENT_SECTIONS >> t & 1 && seen++ == slot)
				s = t;
		first = blk + s * PT_SECTION_PFNS + (rel - PT_MEMMAP_PFN) % mmp * per;
		for (uint64_t k = 0; k < per; k++)
			pt_struct_page(m, first + k, pg + k * pgs_size(m));
		return true;
	}
	if (m->pae && pfn >= ms_pfn && pfn < ms_pfn + PT32_MEM_SECTION_PAGES) {
		/* SPARSEMEM_STATIC: mem_section[4096][1], sections 0-3 in its first page */
		memset(pg, 0, PAGE_SIZE);
		if (pfn == ms_pfn)
			pt_put_sections(m, pg, 0);
		return true;
	}
	if (pk_page(m, pfn, pg))	/* the kernel log's memblock pages */
		return true;
	memset(pg, 0, PAGE_SIZE);
	if (pfn >= PT_ROOTS_PFN && pfn < PT_ROOTS_PFN + PT_ROOTS_PAGES) {
		/*
		 * SPARSEMEM_EXTREME: mem_section[root] -> 256 struct mem_section
		 * (PAE: zero); root r (a 4 GiB span) is the pfn 0x3f20 of block 64r.
		 */
		for (uint64_t r = 0; pfn == PT_ROOTS_PFN && !m->pae && r * PT_ROOT_PFNS < m->max_pfn;
		     r++)
			put_le64(pg, 8 * r, pt_direct(m, r * PT_ROOT_PFNS + PT_ROOT0_PFN, 0));
		return true;
	}
	if (rel == PT_ROOT0_PFN && blk % PT_ROOT_PFNS == 0) {
		if (!m->pae)
			pt_put_sections(m, pg, blk / PT_ROOT_PFNS);
		return true;
	}
	if (rel == PT_USAGE_PFN) {
		/*
		 * struct mem_section_usage of the block's sections: subsection_map
		 * (8 subsections of 2 MiB present), pageblock_flags (8 pageblocks,
		 * MIGRATE_MOVABLE).
		 */
		for (uint64_t s = 0; s < PT_BLOCK_SECTIONS; s++)
			if (PT_PRESENT_SECTIONS >> s & 1) {
				put_word(pg, 0x40 * s, 0xff, m->pgs->word);
				put_le32(pg, 0x40 * s + m->pgs->word, 0x11111111);
			}
		return true;
	}
	if (pfn == PT_VMCOREINFO_PFN) {
		char text[PAGE_SIZE];
		size_t n = pt_vmcoreinfo(m, text, sizeof(text), false);

		memcpy(pg, text, n);
		return true;
	}
	/* Later blocks: their pfns 0x3f00-0x3f3f but the usage are reserved zero pages. */
	if (blk && rel >= PT_ROOTS_PFN && rel < PT_MEMMAP_PFN)
		return true;
	for (size_t z = 0; z < sizeof(pt_zero) / sizeof(pt_zero[0]); z++)
		if (rel >= pt_zero[z].pfn && rel - pt_zero[z].pfn < pt_zero[z].count)
			return true;
	return false;
}

/* The model's own checks: runs, extents and pool agree (build_model()). */
int check_pagetypes(const struct model *m)
{
	uint64_t next = 0;

	for (uint64_t blk = 0; blk < m->max_pfn; blk += PT_BLOCK_PFNS) {
		next = 0;
		for (size_t i = 0; i < N_PT_RUNS; i++) {
			const struct pt_run *r = &pt_runs[i];

			if (!pt_section_present(m, blk + next))
				next = (next / PT_SECTION_PFNS + 1) * PT_SECTION_PFNS;
			if (r->pfn != next || (r->order && (r->count != 1u << r->order ||
							    r->pfn % r->count)))
				return fail("internal: pagetypes run 0x%x is misplaced", r->pfn);
			for (uint64_t p = blk + r->pfn; p < blk + r->pfn + r->count; p++)
				if (!pt_section_present(m, p) ||
				    (find_extent(m, p) != NULL) == (r->kind == PK_BALLOON))
					return fail("internal: pagetypes pfn 0x%" PRIx64
						    " is misplaced", p);
			next = r->pfn + r->count;
		}
	}
	for (uint64_t p = 0; p < m->max_pfn; p++)
		if (!pt_section_present(m, p) && find_extent(m, p))
			return fail("internal: pagetypes pfn 0x%" PRIx64 " has no section", p);
	if ((m->pool_seg ? (sp_pfn(m, m->nsp - 1) % PT_BLOCK_PFNS >= PT_POOL_END ||
			    sp_pfn(m, m->nsp - 1) >= m->max_pfn)
			 : m->pool_pfn + (m->nsp - m->pool_first) > PT_POOL_END) ||
	    next != PT_BLOCK_PFNS || m->max_pfn % PT_BLOCK_PFNS ||
	    !find_extent(m, pt_undumped_pfn(m)) || pt_run_of(PT_ROOTS_PFN)->kind != PK_RESERVED)
		return fail("internal: the pagetypes layout does not fit");
	return 0;
}

/* ---- --expect-types: each pfn's class, as makedumpfile decides it ---- */

enum pt_class {
	PC_KERNEL, PC_CACHE, PC_CACHE_PRIVATE, PC_USER, PC_FREE, PC_HWPOISON, PC_OFFLINE,
	PC_NOMEMMAP, PC_ABSENT,
};

static const char *const pt_class_name[] = {
	[PC_KERNEL] = "kernel", [PC_CACHE] = "cache", [PC_CACHE_PRIVATE] = "cache_private",
	[PC_USER] = "user", [PC_FREE] = "free", [PC_HWPOISON] = "hwpoison",
	[PC_OFFLINE] = "offline", [PC_NOMEMMAP] = "nomemmap", [PC_ABSENT] = "absent",
};

/*
 * The class of every pfn (cls[0..max_pfn)), decided from the struct pages
 * the guest holds the way makedumpfile 1.7.2 __exclude_unnecessary_pages()
 * does with every exclusion enabled (-d 31), testing in its order:
 *   - a tail page (compound_head bit 0) is skipped: its head's exclusion
 *     covered it, or the head was kept, so it takes the head's class;
 *   - free: page_is_buddy_v3(): not PG_slab and _mapcount ==
 *     PAGE_BUDDY_MAPCOUNT_VALUE; the block of 1 << private pages;
 *   - cache / cache_private: is_cache_page() (PG_lru, or PG_swapcache with
 *     PG_swapbacked) and !isAnon() (mapping bit 0 clear); cache_private if
 *     isPrivate() (PG_private), which only -d 4 drops;
 *   - user: isAnon() (mapping bit 0 set, and not a slab: 1.7.3 added that
 *     test, no page of the 6.1 model needs it) or isHugetlb() (the first
 *     tail's compound_dtor == NUMBER(HUGETLB_PAGE_DTOR));
 *   - hwpoison: isHWPOISON() (PG_hwpoison), dropped at every level;
 *   - offline: isOffline() (_mapcount == PAGE_OFFLINE_MAPCOUNT_VALUE),
 *     dropped at every level;
 *   - kernel: anything else, never dropped but as a zero page.
 * A compound head's class covers 1 << compound_order pages (the order
 * read from the first tail when the head has PG_head, as makedumpfile
 * reads it: not for the last struct page of its 512-entry cache, and only
 * for a naturally aligned order).  Pfns whose struct page is not in the
 * dump are nomemmap; pfns not in the dump are absent, whatever their
 * struct page says.  The classes do not depend on the level here: no page
 * of the model passes two of the tests.
 *
 * --kernel 6.12, as makedumpfile 1.7.7 reads such a kernel: a slab is
 * page_type PGTY_slab (no PG_slab), a hugetlb page is its head's page type
 * PGTY_hugetlb, free and offline pages are PGTY_buddy and PGTY_offline (the
 * top byte of page_type); VMCOREINFO gives no compound order, so a
 * compound head's class covers the head alone and its tails are kept.
 */
static void pt_classify(const struct model *m, uint8_t *cls)
{
	const struct pgs_layout *L = m->pgs;
	uint8_t p[PGS_MAX], t[PGS_MAX];

	for (uint64_t pfn = 0; pfn < m->max_pfn;) {
		uint64_t flags, mapping, head, priv, nr = 1;
		uint32_t mapcount, order = 0, dtor = 0;
		uint8_t c;

		if (!pt_section_present(m, pfn)) {
			cls[pfn++] = PC_ABSENT;
			continue;
		}
		if (pt_is_undumped(m, pt_memmap_page(m, pfn))) {
			cls[pfn++] = PC_NOMEMMAP;
			continue;
		}
		pt_struct_page(m, pfn, p);
		flags = pt_flags_in(m, get_word(p, PGS_FLAGS, L->word));
		head = get_word(p, L->head, L->word);
		mapping = get_word(p, L->mapping, L->word);
		priv = get_word(p, L->priv, L->word);
		mapcount = get_le32(p, L->mapcount);
		if (head & 1) {	/* a tail its head did not cover: kept */
			cls[pfn++] = PC_KERNEL;
			continue;
		}
		if (flags & PGF_HEAD && pfn % 512 != 511 && !m->pt612) {
			pt_struct_page(m, pfn + 1, t);
			order = t[L->order];
			dtor = t[L->dtor];
			if (order >= 64 || pfn % (1ULL << order))
				order = 0;
			nr = 1ULL << order;
		}
		bool slab = m->pt612 ? mapcount >> 24 == PGTY_SLAB : flags & PGF_SLAB;
		bool anon = mapping & PAGE_MAPPING_ANON && !slab;
		bool buddy = m->pt612 ? mapcount >> 24 == PGTY_BUDDY :
					mapcount == (uint32_t)PAGE_BUDDY_MAPCOUNT;
		bool offline = m->pt612 ? mapcount >> 24 == PGTY_OFFLINE :
					  mapcount == (uint32_t)PAGE_OFFLINE_MAPCOUNT;
		bool hugetlb = m->pt612 ? mapcount >> 24 == PGTY_HUGETLB : dtor == HUGETLB_PAGE_DTOR;

		if (!slab && buddy) {
			c = PC_FREE;
			nr = 1ULL << priv;
		} else if ((flags & PGF_LRU || (flags & PGF_SWAPBACKED && flags & PGF_SWAPCACHE)) &&
			   !anon) {
			c = flags & PGF_PRIVATE ? PC_CACHE_PRIVATE : PC_CACHE;
		} else if (anon || hugetlb) {
			c = PC_USER;
		} else if (flags & PGF_HWPOISON) {
			c = PC_HWPOISON;
		} else if (!slab && offline) {
			c = PC_OFFLINE;
		} else {
			c = PC_KERNEL;
		}
		for (uint64_t k = 0; k < nr && pfn < m->max_pfn; k++)
			cls[pfn++] = c;
	}
	for (uint64_t pfn = 0; pfn < m->max_pfn; pfn++)
		if (!find_extent(m, pfn) || !is_dumped(m, pfn))
			cls[pfn] = PC_ABSENT;
}

static bool is_zero_page(const uint8_t *pg)
{
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (pg[i])
			return false;
	return true;
}

/*
 * --expect-types: "0x<pfn> <count> <class>[ zero]" per run of pfns of one
 * class whose pages are all zero or all not, covering 0..max_pfn-1.
 */
int write_expect_types(const struct model *m, FILE *f)
{
	uint8_t *cls = malloc(m->max_pfn), pg[PAGE_SIZE], rc = 0;
	uint64_t start = 0;
	bool rz = false;

	if (!cls)
		return fail("out of memory");
	pt_classify(m, cls);
	for (uint64_t pfn = 0; pfn < m->max_pfn; pfn++) {
		bool z = false;

		if (cls[pfn] != PC_ABSENT) {
			gen_page(m, pfn, mfn_of(m, pfn), pg);
			z = is_zero_page(pg);
		}
		if (pfn > start && (cls[pfn] != rc || z != rz)) {
			fprintf(f, "0x%" PRIx64 " %" PRIu64 " %s%s\n", start, pfn - start,
				pt_class_name[rc], rz ? " zero" : "");
			start = pfn;
		}
		if (pfn == start) {
			rc = cls[pfn];
			rz = z;
		}
	}
	fprintf(f, "0x%" PRIx64 " %" PRIu64 " %s%s\n", start, m->max_pfn - start,
		pt_class_name[rc], rz ? " zero" : "");
	free(cls);
	return ferror(f) ? -1 : 0;
}
