// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * procs.c: --scenario pagetypes: the guest's user processes.
 *
 * Two processes, as Linux 6.1 leaves them on a Xen PV guest
 * (arch/x86/mm/pgtable.c pgd_alloc(), pgd_ctor(), pgd_list_add(),
 * pgd_prepopulate_pmd(); arch/x86/mm/fault.c pgd_list;
 * arch/x86/xen/mmu_pv.c xen_pgd_alloc(), xen_get_user_pgd()).  Their page
 * tables are pages of block 0's page-table run (pt_runs[]: 0x140-0x17f),
 * process p's table t at pfn PROC_PT_PFN + PROC_PT_STRIDE * p + t, in the
 * order of proc_pt64[] or proc_pt_pae[].
 *
 * 64-bit (SHARED_KERNEL_PMD 0: every pgd is on pgd_list): the kernel pgd
 * (mm->pgd) is an L4 whose slots 256-511 pgd_ctor() copied from
 * init_top_pgt (Xen's slots 256-271 as init_xen_l4_slots() writes them
 * into every L4, slot 258 mapping this L4); xen_pgd_alloc() gave it a user
 * pgd, another L4 whose direct-map address is the kernel pgd's
 * page->private, holding the user half (slots 0-255, the same entries:
 * xen_set_p4d() writes both) and Xen's slots.  The user half maps text at
 * 0x400000 and the top of a stack below 0x7ffffffff000, each through its
 * own L3, L2 and L1.
 *
 * PAE (SHARED_KERNEL_PMD 0 for Xen PV): the pgd is a whole page
 * (_pgd_alloc()) whose 4 entries name the PREALLOCATED_PMDS (all four)
 * that pgd_prepopulate_pmd() installed: pmd 0 maps text at 0x08048000,
 * pmd 1 an mmap() area at 0x40000000 (TASK_UNMAPPED_BASE: the legacy
 * layout), pmd 2 the stack below 0xc0000000, pmd 3 is the process's own
 * copy of the kernel pmd (Xen's entries 428-511 included).  No user pgd.
 * (Every table maps something: an empty pmd would be a zero page.)
 *
 * Process 0 is the one vcpu 1 runs; it also maps another domain's frame
 * (a gntdev grant mapping: in its text L1, PAE its mmap L1) and its stack
 * L1 holds a swap entry.  Process 1 shares nothing user-side with it.
 */
#include <string.h>

#include "model.h"
#include "pagetypes.h"
#include "util.h"

#define PROC_PT_PFN		0x140ULL
#define PROC_PT_STRIDE		8u

/* A user page: present|rw|user|accessed|dirty (PAGE_SHARED with A and D); stack NX. */
#define PTE_USER_PAGE		0x67ULL

static const uint8_t proc_pt64[] = {
	PPT_PGD, PPT_UPGD, PPT_L3_TEXT, PPT_L2_TEXT, PPT_L1_TEXT, PPT_L3_STACK, PPT_L2_STACK,
	PPT_L1_STACK,
};
static const uint8_t proc_pt_pae[] = {
	PPT_PGD, PPT_L2_TEXT, PPT_L2_MMAP, PPT_L2_STACK, PPT_KPMD, PPT_L1_TEXT, PPT_L1_MMAP,
	PPT_L1_STACK,
};
_Static_assert(sizeof(proc_pt64) <= PROC_PT_STRIDE && sizeof(proc_pt_pae) <= PROC_PT_STRIDE,
	       "a process's tables fit its pfns");

static const char *const proc_pt_name64[] = {
	[PPT_PGD] = "kernel pgd (L4)", [PPT_UPGD] = "user pgd (L4)",
	[PPT_L3_TEXT] = "text L3", [PPT_L2_TEXT] = "text L2", [PPT_L1_TEXT] = "text L1",
	[PPT_L3_STACK] = "stack L3", [PPT_L2_STACK] = "stack L2", [PPT_L1_STACK] = "stack L1",
};
static const char *const proc_pt_name_pae[] = {
	[PPT_PGD] = "pgd (PDPT)", [PPT_L2_TEXT] = "pmd 0 (text)", [PPT_L2_MMAP] = "pmd 1 (mmap)",
	[PPT_L2_STACK] = "pmd 2 (stack)", [PPT_KPMD] = "pmd 3 (kernel pmd copy)",
	[PPT_L1_TEXT] = "text L1", [PPT_L1_MMAP] = "mmap L1", [PPT_L1_STACK] = "stack L1",
};

/* The tables of a process of this guest, in pfn order; NULL: no processes. */
const uint8_t *proc_pts(const struct model *m, uint32_t *n)
{
	*n = !m->pt ? 0 : m->pae ? sizeof(proc_pt_pae) : sizeof(proc_pt64);
	return !m->pt ? NULL : m->pae ? proc_pt_pae : proc_pt64;
}

const char *proc_pt_name(const struct model *m, unsigned kind)
{
	return m->pae ? proc_pt_name_pae[kind] : proc_pt_name64[kind];
}

/* The pfn of process p's table of the kind, or INVALID_ENTRY. */
uint64_t proc_pt_pfn(const struct model *m, unsigned p, unsigned kind)
{
	uint32_t n;
	const uint8_t *t = proc_pts(m, &n);

	for (uint32_t i = 0; i < n; i++)
		if (t[i] == kind)
			return PROC_PT_PFN + PROC_PT_STRIDE * p + i;
	return INVALID_ENTRY;
}

/* Whether pfn is a process's page table: which process and kind. */
bool proc_pt_of_pfn(const struct model *m, uint64_t pfn, unsigned *p, unsigned *kind)
{
	uint32_t n;
	const uint8_t *t = proc_pts(m, &n);
	uint64_t rel = pfn - PROC_PT_PFN;

	if (!t || pfn < PROC_PT_PFN || rel >= PROC_N * PROC_PT_STRIDE || rel % PROC_PT_STRIDE >= n)
		return false;
	*p = (unsigned)(rel / PROC_PT_STRIDE);
	*kind = t[rel % PROC_PT_STRIDE];
	return true;
}

static uint64_t proc_pte(const struct model *m, unsigned p, unsigned kind, uint64_t flags)
{
	return (mfn_of(m, proc_pt_pfn(m, p, kind)) << PAGE_SHIFT) | flags;
}

/*
 * A swap pte (pgtable_64.h and pgtable-3level.h __swp_entry(), the same
 * 64-bit layout): the type in bits 59-63, the offset inverted (L1TF) from
 * bit 9 (SWP_OFFSET_SHIFT 14, SWP_TYPE_BITS 5); not present.
 */
uint64_t swp_pte(uint64_t type, uint64_t offset)
{
	return (~offset << 14 >> 5) | type << 59;
}

/*
 * Process p's L1 of the kind (text, PAE mmap, stack): its PROC_PAGES
 * anonymous pages, text pfns PROC_ANON_PFN + 0x10 p.., mmap + 4, stack +
 * 8; process 0's grant mapping and swapped-out stack page.  e is indexed
 * by L1 slot.
 */
static void proc_l1(const struct model *m, unsigned p, unsigned kind, uint64_t *e)
{
	bool stack = kind == PPT_L1_STACK;
	uint64_t va = kind == PPT_L1_MMAP ? PROC_MMAP_VA32 :
		      stack ? (m->pae ? PROC_STACK_VA32 : PROC_STACK_VA)
			    : (m->pae ? PROC_TEXT_VA32 : PROC_TEXT_VA);
	uint64_t pfn = PROC_ANON_PFN + 0x10 * p + (stack ? 8 : kind == PPT_L1_MMAP ? 4 : 0);
	uint64_t foreign = m->pae ? PROC_FOREIGN_VA32 : PROC_FOREIGN_VA;

	for (unsigned i = 0; i < PROC_PAGES; i++)
		e[(va >> PAGE_SHIFT) % ENTRIES + i] = (mfn_of(m, pfn + i) << PAGE_SHIFT) |
						       PTE_USER_PAGE | (stack ? PTE_NX : 0);
	if (p != 0)
		return;
	if (stack)	/* the page below, swapped out */
		e[(va >> PAGE_SHIFT) % ENTRIES - 1] = swp_pte(PROC_SWAP_TYPE, PROC_SWAP_OFFSET);
	else if (foreign >> 21 == va >> 21)	/* gntdev: another domain's frame, NX */
		e[(foreign >> PAGE_SHIFT) % ENTRIES] =
			(PROC_FOREIGN_MFN << PAGE_SHIFT) | PTE_USER_PAGE | PTE_NX;
}

/* Process p's table of the kind (page tables hold 512 8-byte entries). */
void gen_proc_page(const struct model *m, unsigned p, unsigned kind, uint8_t *pg)
{
	uint64_t e[ENTRIES];
	uint64_t text = m->pae ? PROC_TEXT_VA32 : PROC_TEXT_VA;
	uint64_t stack = m->pae ? PROC_STACK_VA32 : PROC_STACK_VA, mmap = PROC_MMAP_VA32;
	/* _PAGE_TABLE: user page tables have _PAGE_USER */
	const uint64_t table = PTE_TABLE;

	memset(e, 0, sizeof(e));
	switch ((enum proc_pt)kind) {
	case PPT_PGD:
		if (m->pae) {	/* pud_populate(): present only */
			e[0] = proc_pte(m, p, PPT_L2_TEXT, PTE_PAE_L3);
			e[1] = proc_pte(m, p, PPT_L2_MMAP, PTE_PAE_L3);
			e[2] = proc_pte(m, p, PPT_L2_STACK, PTE_PAE_L3);
			e[3] = proc_pte(m, p, PPT_KPMD, PTE_PAE_L3);
			break;
		}
		/* pgd_ctor(): clone_pgd_range() of init_top_pgt's kernel half */
		gen_struct_page(m, m->kpt_sp[SP_ROOT], pg);
		for (unsigned i = ENTRIES / 2; i < ENTRIES; i++)
			e[i] = get_le64(pg, 8 * i);
		put_xen_l4_slots(e, mfn_of(m, proc_pt_pfn(m, p, PPT_PGD)));
		/* then the user half, as the user pgd's */
		/* fall through */
	case PPT_UPGD:
		e[(text >> 39) % ENTRIES] = proc_pte(m, p, PPT_L3_TEXT, table);
		e[(stack >> 39) % ENTRIES] = proc_pte(m, p, PPT_L3_STACK, table);
		if (kind == PPT_UPGD)
			put_xen_l4_slots(e, mfn_of(m, proc_pt_pfn(m, p, PPT_UPGD)));
		break;
	case PPT_L3_TEXT:
		e[(text >> 30) % ENTRIES] = proc_pte(m, p, PPT_L2_TEXT, table);
		break;
	case PPT_L3_STACK:
		e[(stack >> 30) % ENTRIES] = proc_pte(m, p, PPT_L2_STACK, table);
		break;
	case PPT_L2_TEXT:
		e[(text >> 21) % ENTRIES] = proc_pte(m, p, PPT_L1_TEXT, table);
		break;
	case PPT_L2_STACK:
		e[(stack >> 21) % ENTRIES] = proc_pte(m, p, PPT_L1_STACK, table);
		break;
	case PPT_L2_MMAP:
		e[(mmap >> 21) % ENTRIES] = proc_pte(m, p, PPT_L1_MMAP, table);
		break;
	case PPT_L1_TEXT:
	case PPT_L1_MMAP:
	case PPT_L1_STACK:
		proc_l1(m, p, kind, e);
		break;
	case PPT_KPMD:	/* pgd_prepopulate_pmd(): a memcpy() of swapper_pg_dir[3]'s pmd */
		gen_struct_page(m, m->kpt_sp[SP_KL2], pg);
		return;
	}
	for (unsigned i = 0; i < ENTRIES; i++)
		put_le64(pg, 8 * i, e[i]);
}

/* The guest's root table whose cr3 vcpu v holds: 64-bit user (ctrlreg[1]) or kernel. */
uint64_t vcpu_root_mfn(const struct model *m, unsigned v, bool user)
{
	if (v == 0 || !m->pt)	/* vcpu 0: init_top_pgt / swapper_pg_dir */
		return m->sp_mfn[0];
	/* vcpu 1 runs process 0 (xen_write_cr3(): the user pgd in ctrlreg[1]) */
	return mfn_of(m, proc_pt_pfn(m, 0, user && !m->pae ? PPT_UPGD : PPT_PGD));
}
