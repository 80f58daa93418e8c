// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pagetables.c: the guest's structural pages, the ones the generator builds
 * itself: which pages its page tables and p2m pages are and where they
 * lie (build_structure()), and what each one holds (gen_struct_page()):
 * the kernel's own tables, the linear list's, the vmemmap's and the direct
 * map's, Xen's slots in them, and the p2m and tree pages.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pagetypes.h"
#include "util.h"

#define PTE_XEN			0x63ULL	/* Xen __PAGE_HYPERVISOR: present|rw|accessed|dirty */
#define PTE_XEN_NX		(PTE_NX | 0x63ULL)	/* __PAGE_HYPERVISOR_RW */

/* --bad large-page: the 2 MiB-aligned frame its PSE entry maps. */
#define LARGE_PAGE_MFN		0x1e00000ULL
#define XEN_SLOT_LINEAR		258u	/* self map: points at the L4 itself */
#define XEN_SLOT_SH_LINEAR	259u	/* shadow linear map: empty for PV */

/*
 * MFNs of Xen's own frames (its L3 tables) and of the absent root used by
 * --bad cr3-missing.  Guest MFNs are all >= the mfn base (>= 0x2000000), so
 * these are never in the dump.
 */
#define XEN_FRAME_MFN		0x83f000ULL

int alloc_sp(struct model *m, uint32_t *cap, enum sp_kind kind, uint32_t arg, uint32_t *ret)
{
	if (m->nsp == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 64;
		struct spage *n = realloc(m->sp, ncap * sizeof(*n));

		if (!n)
			return fail("out of memory for %u structural pages", ncap);
		m->sp = n;
		*cap = ncap;
	}
	m->sp[m->nsp] = (struct spage){ .kind = kind, .arg = arg };
	if (ret)
		*ret = m->nsp;
	m->nsp++;
	return 0;
}

uint32_t *alloc_u32(uint64_t n, uint32_t fill)
{
	uint32_t *a = malloc((n ? n : 1) * sizeof(*a));

	if (a)
		for (uint64_t i = 0; i < n; i++)
			a[i] = fill;
	return a;
}

/* The pfn of structural page k. */
uint64_t sp_pfn(const struct model *m, uint32_t k)
{
	if (k < m->pool_first)
		return KERNEL_TEXT_PFN + m->kpt_page[k];
	if (m->pool_seg)
		return m->pool_pfn + (k - m->pool_first) / m->pool_seg * PT_BLOCK_PFNS +
		       (k - m->pool_first) % m->pool_seg;
	return m->pool_pfn + (k - m->pool_first);
}

/* The structural page at pfn, or SP_NONE. */
uint32_t sp_of_pfn(const struct model *m, uint64_t pfn)
{
	if (m->pool_seg) {
		uint64_t rel = (pfn - m->pool_pfn) % PT_BLOCK_PFNS;
		uint64_t i = (pfn - m->pool_pfn) / PT_BLOCK_PFNS * m->pool_seg + rel;

		if (pfn >= m->pool_pfn && rel < m->pool_seg && i < m->nsp - m->pool_first)
			return m->pool_first + (uint32_t)i;
	} else if (pfn >= m->pool_pfn && pfn - m->pool_pfn < m->nsp - m->pool_first) {
		return m->pool_first + (uint32_t)(pfn - m->pool_pfn);
	}
	for (uint32_t k = 0; k < m->pool_first; k++)
		if (pfn == KERNEL_TEXT_PFN + m->kpt_page[k])
			return k;
	return SP_NONE;
}

/*
 * Decides which pages the guest needs for its page tables and p2m and gives
 * each a pfn, in a fixed order (see sp_kind): the kernel's own tables are
 * image pages (with kimage), the rest come from the pool.
 */
int build_structure(struct model *m)
{
	uint32_t cap = 0;

	for (uint32_t k = 0; k <= SP_KL1; k++)
		m->kpt_sp[k] = SP_NONE;
	for (uint32_t k = 0; k < m->nkpt; k++) {
		uint8_t kind = m->pae ? kpt_kinds_pae[k] : kpt_kinds64[k];

		if (alloc_sp(m, &cap, kind, 0, &m->kpt_sp[kind]))
			return -1;
	}
	/* An HVM guest's p2m is Xen's (auto-translated): no p2m pages of its own. */
	m->missing_sp = SP_NONE;
	if (!m->hvm && build_p2m_structure(m, &cap))
		return -1;
	/*
	 * pagetypes: vmemmap_populate() maps the struct pages with 4 KiB PTEs
	 * (PV: no PSE), an L1 for each 2 MiB of them (32768 pfns).
	 */
	if (m->pt_vmemmap) {
		uint64_t per_l1 = (uint64_t)ENTRIES * (PAGE_SIZE / pgs_size(m));

		m->nvmm_l1 = (uint32_t)((m->max_pfn + per_l1 - 1) / per_l1);
		if (alloc_sp(m, &cap, SP_VMM_L3, 0, &m->vmm_sp[0]) ||
		    alloc_sp(m, &cap, SP_VMM_L2, 0, &m->vmm_sp[1]))
			return -1;
		for (uint32_t i = 0; i < m->nvmm_l1; i++)
			if (alloc_sp(m, &cap, SP_VMM_L1, i, i ? NULL : &m->vmm_sp[2]))
				return -1;
	}
	/*
	 * pagetypes: the direct map, 4 KiB PTEs for every populated pfn
	 * (PV: no PSE; xen/balloon.c clears the PTEs of the pages it gives
	 * back); an L1 for each 2 MiB chunk with a populated pfn.
	 */
	if (m->pt) {
		uint64_t nchunk = (m->max_pfn + ENTRIES - 1) / ENTRIES;

		m->dm_l1_sp = alloc_u32(nchunk, SP_NONE);
		if (!m->dm_l1_sp)
			return fail("out of memory");
		/*
		 * PAE: lowmem is under swapper_pg_dir[3] too, the kernel pmd
		 * maps it; the image is direct-mapped lowmem, and its 2 MiB
		 * chunk keeps Xen's boot L1, which kernel_physical_mapping_init()
		 * (arch/x86/mm/init_32.c) completes rather than replaces.
		 */
		m->ndm_l2 = m->pae ? 0 : (uint32_t)((nchunk + ENTRIES - 1) / ENTRIES);
		if (!m->pae && alloc_sp(m, &cap, SP_DM_L3, 0, &m->dm_sp[0]))
			return -1;
		for (uint32_t g = 0; g < m->ndm_l2; g++)
			if (alloc_sp(m, &cap, SP_DM_L2, g, g ? NULL : &m->dm_sp[1]))
				return -1;
		for (uint64_t c = 0; c < nchunk; c++) {
			bool any = false;

			for (uint64_t p = c * ENTRIES; p < (c + 1) * ENTRIES && p < m->max_pfn; p++)
				any = any || find_extent(m, p);
			if (any && m->pae && c == KERNEL_TEXT_PFN / ENTRIES)
				m->dm_l1_sp[c] = m->kpt_sp[SP_KL1];
			else if (any && alloc_sp(m, &cap, SP_DM_L1, (uint32_t)c, &m->dm_l1_sp[c]))
				return -1;
		}
	}

	m->pool_first = m->kimage ? m->nkpt : 0;
	if (m->pool_seg) {
		for (uint32_t k = m->pool_first; k < m->nsp; k += (uint32_t)m->pool_seg)
			if (sp_pfn(m, k) + m->pool_seg > m->max_pfn ||
			    !is_populated_range(m, sp_pfn(m, k), m->pool_seg))
				return fail("internal: the pool at pfn 0x%" PRIx64 " cannot hold "
					    "%u pages", m->pool_pfn, m->nsp - m->pool_first);
	} else if (m->pool_pfn + (m->nsp - m->pool_first) > m->max_pfn ||
		   !is_populated_range(m, m->pool_pfn, m->nsp - m->pool_first)) {
		return fail("internal: the pool at pfn 0x%" PRIx64 " cannot hold %u pages",
			    m->pool_pfn, m->nsp - m->pool_first);
	}
	/* tiny leaves .text and most of .bss unpopulated; the rest must be there. */
	if (!is_populated_range(m, KERNEL_TEXT_PFN + KP_RODATA, KP_BSS + 1 - KP_RODATA) ||
	    !is_populated_range(m, KERNEL_TEXT_PFN + m->kp_xen, KP_XEN_PAGES))
		return fail("internal: the kernel image pfns are not populated");

	m->sp_mfn = malloc((size_t)m->nsp * sizeof(*m->sp_mfn));
	if (!m->sp_mfn)
		return fail("out of memory for %u structural pages", m->nsp);
	for (uint32_t k = 0; k < (m->pool_seg ? m->nsp : m->pool_first); k++)
		m->sp_mfn[k] = mfn_of(m, sp_pfn(m, k));
	if (!m->pool_seg)
		p2m_entries(m, m->pool_pfn, m->nsp - m->pool_first, m->sp_mfn + m->pool_first);
	if (m->kimage && !m->hvm && mfn_of(m, KERNEL_TEXT_PFN + KERNEL_SPLIT - 1) + 1 ==
					 mfn_of(m, KERNEL_TEXT_PFN + KERNEL_SPLIT))
		return fail("internal: the kernel image must be two MFN runs");
	return 0;
}

/* ---- page contents ---- */

static uint64_t sp_pte(const struct model *m, uint32_t sp, uint64_t flags)
{
	return (m->sp_mfn[sp] << PAGE_SHIFT) | flags;
}

/* The PTE mapping p2m page j of the list (real, or shared p2m_missing). */
static uint64_t leaf_pte(const struct model *m, uint64_t j)
{
	uint32_t sp = m->leaf_sp[j];

	bool shared = m->sp[sp].kind == SP_MISSING || m->sp[sp].kind == SP_IDENTITY;

	return sp_pte(m, sp, shared ? m->pf->p2m_shared : m->pf->p2m_page);
}

/*
 * --bad p2m-maps-own-tables: the L1 entry at index i maps, instead of a
 * p2m page, one of the tables on the list's own path (root, list L3, L2
 * and L1 tables; a PAE guest's kernel pmd), in turn.  Read-only, as Xen
 * allows a guest to map its page tables.
 */
static uint64_t own_table_pte(const struct model *m, unsigned i)
{
	uint32_t tab[64], nt = 0;

	for (uint32_t k = 0; k < m->nsp && nt < 64; k++) {
		uint8_t kind = m->sp[k].kind;

		if (kind == SP_ROOT || kind == SP_L3 || kind == SP_L2 || kind == SP_L1 ||
		    (m->pae && kind == SP_KL2))
			tab[nt++] = k;
	}
	return sp_pte(m, tab[i % nt], m->pf->p2m_shared);
}

/* A structural page the MMU reads as a table (not a p2m or tree page). */
bool is_page_table(uint8_t kind)
{
	return kind == SP_ROOT || kind == SP_KL3 || kind == SP_KL2 || kind == SP_KL1 ||
	       kind == SP_MISSING_PTE || kind == SP_L3 || kind == SP_L2 || kind == SP_L1 ||
	       kind == SP_VMM_L3 || kind == SP_VMM_L2 || kind == SP_VMM_L1 ||
	       kind == SP_DM_L3 || kind == SP_DM_L2 || kind == SP_DM_L1;
}

/*
 * A direct-map PTE of a populated pfn: PAGE_KERNEL; page tables (the
 * processes' too: Xen pins them) read-only, as Xen wants them.
 */
static uint64_t dm_pte(const struct model *m, uint64_t pfn)
{
	uint32_t t = sp_of_pfn(m, pfn);
	unsigned p, kind;
	bool ro = (t != SP_NONE && is_page_table(m->sp[t].kind)) ||
		  proc_pt_of_pfn(m, pfn, &p, &kind);

	return (mfn_of(m, pfn) << PAGE_SHIFT) | (ro ? m->pf->pt_ro : m->pf->p2m_page);
}

/*
 * Xen mm.c init_xen_l4_slots(): slots 256-271 of every 64-bit PV L4 belong
 * to Xen; slot 258 is the linear page-table self map (the L4 whose mfn is
 * self), slot 259 (shadow linear map) is empty for PV, the others Xen's
 * own frames, not in the dump.
 */
void put_xen_l4_slots(uint64_t *e, uint64_t self)
{
	for (unsigned i = XEN_SLOT_FIRST; i <= XEN_SLOT_LAST; i++)
		e[i] = ((XEN_FRAME_MFN + i) << PAGE_SHIFT) | PTE_XEN;
	e[XEN_SLOT_LINEAR] = (self << PAGE_SHIFT) | PTE_XEN_NX;
	e[XEN_SLOT_SH_LINEAR] = 0;
}

void gen_struct_page(const struct model *m, uint32_t k, uint8_t *pg)
{
	const struct spage *s = &m->sp[k];
	uint64_t e[ENTRIES_MAX];
	/* Page tables hold 512 8-byte entries; p2m and tree pages guest words. */
	uint32_t n = ENTRIES, w = 8;

	memset(e, 0, sizeof(e));
	switch ((enum sp_kind)s->kind) {
	case SP_ROOT:
		if (m->pae) {	/* swapper_pg_dir[KERNEL_PGD_BOUNDARY] = the kernel pmd */
			e[3] = sp_pte(m, m->kpt_sp[SP_KL2], PTE_PAE_L3);
			break;
		}
		for (uint64_t t = 0; t < m->n3; t++)
			e[(m->l3_first + t) % ENTRIES] = sp_pte(m, m->l3_base + (uint32_t)t, PTE_TABLE);
		/* 0xffffff8000000000: kernel image */
		e[511] = sp_pte(m, m->kpt_sp[SP_KL3], m->pf->table);
		/* pagetypes: the vmemmap (slot 468) */
		if (m->pt_vmemmap)
			e[(VMEMMAP_BASE >> 39) % ENTRIES] = sp_pte(m, m->vmm_sp[0], m->pf->table);
		/* pagetypes: the direct map (slot 273) */
		if (m->pt)
			e[(PAGE_OFFSET_BASE >> 39) % ENTRIES] = sp_pte(m, m->dm_sp[0], m->pf->table);
		if (!m->hvm)
			put_xen_l4_slots(e, m->sp_mfn[k]);
		break;
	case SP_KL3:
		/* 0xffffffff80000000 */
		e[510] = sp_pte(m, m->kpt_sp[SP_KL2], m->pf->table);
		break;
	case SP_KL2:
		/* pt-self: the entry points back at this L2 table itself. */
		e[(KERNEL_TEXT_VA >> 21) % ENTRIES] =
			sp_pte(m, m->kpt_sp[m->bad == BAD_PT_SELF ? SP_KL2 : SP_KL1], m->pf->table);
		if (m->pae) {
			/* The list's L1 tables, in the same pmd as the image. */
			for (uint64_t t = 0; m->linear && t < m->n1; t++)
				e[(m->l1_first + t) % ENTRIES] = sp_pte(m, m->l1_sp[t], m->pf->table);
			/* pagetypes-pae: the direct map's L1s (the image's is the kernel L1) */
			for (uint64_t c = 0; m->pt && c * ENTRIES < m->max_pfn; c++)
				if (m->dm_l1_sp[c] != SP_NONE && m->dm_l1_sp[c] != m->kpt_sp[SP_KL1])
					e[((PAGE_OFFSET32 >> 21) + c) % ENTRIES] =
						sp_pte(m, m->dm_l1_sp[c], m->pf->table);
			/*
			 * Xen mm.c init_xen_pae_l2_slots(): the compat M2P's slots
			 * 428-511 of every PAE kernel pmd are Xen's.
			 */
			for (unsigned i = XEN_PAE_L2_FIRST; i < ENTRIES; i++)
				e[i] = ((XEN_FRAME_MFN + i) << PAGE_SHIFT) | PTE_XEN;
		}
		/*
		 * large-page: a 2 MiB PSE entry (Intel SDM 4.5, bit 7), which PV
		 * guests may not use, mapping frames LARGE_PAGE_MFN.. (not dumped).
		 */
		if (m->bad == BAD_LARGE_PAGE)
			e[(KERNEL_TEXT_VA >> 21) % ENTRIES] =
				(LARGE_PAGE_MFN << PAGE_SHIFT) | 0x80 | PTE_TABLE;
		break;
	case SP_KL1:
		/* pagetypes-pae: also the rest of the image's 2 MiB of lowmem (direct map) */
		for (unsigned i = 0; i < (m->pt && m->pae ? ENTRIES : kimage_pages(m)); i++) {
			bool pt = m->kimage && sp_of_pfn(m, KERNEL_TEXT_PFN + i) != SP_NONE;

			/* tiny: unpopulated image pages are not mapped. */
			if (!find_extent(m, KERNEL_TEXT_PFN + i))
				continue;
			if (i >= kimage_pages(m))
				e[i] = dm_pte(m, KERNEL_TEXT_PFN + i);
			else
				e[i] = (mfn_of(m, KERNEL_TEXT_PFN + i) << PAGE_SHIFT) |
				       (pt ? m->pf->pt_ro : m->pf->text);
		}
		break;
	case SP_MISSING:
	case SP_IDENTITY:
		if (m->bad == BAD_ALL_ONE_MFN) {
			n = m->epp;
			w = m->esz;
			for (unsigned i = 0; i < n; i++)
				e[i] = m->one_mfn;
			break;
		}
		memset(pg, 0xff, PAGE_SIZE);
		return;
	case SP_MISSING_PTE:
		for (unsigned i = 0; i < ENTRIES; i++)
			e[i] = sp_pte(m, m->missing_sp, m->pf->p2m_shared);
		break;
	case SP_L3:
		for (unsigned i = 0; i < ENTRIES; i++) {
			uint64_t slot = (m->l3_first + s->arg) * ENTRIES + i;

			if (slot >= m->l2_first && slot - m->l2_first < m->n2)
				e[i] = sp_pte(m, m->l2_base + (uint32_t)(slot - m->l2_first), PTE_TABLE);
		}
		if (m->bad == BAD_L4_LOOP && s->arg == 0)
			e[m->l2_first % ENTRIES] = sp_pte(m, 0, PTE_TABLE);
		break;
	case SP_L2:
		for (unsigned i = 0; i < ENTRIES; i++) {
			uint64_t slot = (m->l2_first + s->arg) * ENTRIES + i;

			if (slot >= m->l1_first && slot - m->l1_first < m->n1)
				e[i] = sp_pte(m, m->l1_sp[slot - m->l1_first], PTE_TABLE);
		}
		break;
	case SP_L1:
		for (unsigned i = 0; i < ENTRIES; i++) {
			uint64_t p = (m->l1_first + s->arg) * ENTRIES + i;

			/* Outside the list: not present (Linux maps identity there). */
			if (p >= m->first_page && p - m->first_page < m->nleaf)
				e[i] = m->bad == BAD_P2M_OWN_TABLES ? own_table_pte(m, i)
								    : leaf_pte(m, p - m->first_page);
		}
		break;
	case SP_LEAF:
	case SP_TLEAF:
		n = m->epp;
		w = m->esz;
		leaf_entries(m, k, s->arg, e);
		for (unsigned i = 0; m->bad == BAD_ALL_ONE_MFN && i < n; i++)
			e[i] = m->one_mfn;
		if (m->bad == BAD_ROOT_TWICE && m->twice_pfn / n == s->arg)
			e[m->twice_pfn % n] = m->sp_mfn[0];
		if (m->huge_entry && m->huge_pfn / n == s->arg)
			e[m->huge_pfn % n] = m->huge_entry;
		break;
	case SP_FLL:
		n = m->epp;
		w = m->esz;
		for (unsigned i = 0; i < n; i++)
			e[i] = m->sp_mfn[i < m->ntop ? m->mid_sp[i] : m->mid_missing_sp];
		break;
	case SP_MID_MISSING:
		n = m->epp;
		w = m->esz;
		for (unsigned i = 0; i < n; i++)
			e[i] = m->sp_mfn[m->missing_sp];
		break;
	case SP_MID:
		n = m->epp;
		w = m->esz;
		for (unsigned i = 0; i < n; i++)
			e[i] = m->sp_mfn[tree_leaf_sp(m, (uint64_t)s->arg * n + i)];
		break;
	case SP_VMM_L3:
		e[(VMEMMAP_BASE >> 30) % ENTRIES] = sp_pte(m, m->vmm_sp[1], m->pf->table);
		break;
	case SP_VMM_L2:
		for (uint32_t i = 0; i < m->nvmm_l1; i++)
			e[((VMEMMAP_BASE >> 21) + i) % ENTRIES] =
				sp_pte(m, m->vmm_sp[2] + i, m->pf->table);
		break;
	case SP_VMM_L1:
		/*
		 * Page v of the vmemmap holds the struct pages of pfns 64v..64v+63
		 * (PAGE_KERNEL: NX, RW; _PAGE_USER as on every 64-bit PV kernel
		 * mapping); only present sections are populated
		 * (sparse-vmemmap.c vmemmap_populate_basepages()).
		 */
		for (unsigned v = 0; v < ENTRIES; v++) {
			uint64_t pfn = ((uint64_t)s->arg * ENTRIES + v) * (PAGE_SIZE / pgs_size(m));

			if (pfn < m->max_pfn && pt_memmap_page(m, pfn) != INVALID_ENTRY)
				e[v] = (mfn_of(m, pt_memmap_page(m, pfn)) << PAGE_SHIFT) |
				       m->pf->p2m_page;
		}
		break;
	case SP_DM_L3:
		for (uint32_t g = 0; g < m->ndm_l2; g++)
			e[((PAGE_OFFSET_BASE >> 30) + g) % ENTRIES] =
				sp_pte(m, m->dm_sp[1] + g, m->pf->table);
		break;
	case SP_DM_L2:	/* GiB number arg of the direct map: its 2 MiB chunks from 512 * arg */
		for (uint64_t c = (uint64_t)s->arg * ENTRIES;
		     c < ((uint64_t)s->arg + 1) * ENTRIES && c * ENTRIES < m->max_pfn; c++)
			if (m->dm_l1_sp[c] != SP_NONE)
				e[((PAGE_OFFSET_BASE >> 21) + c) % ENTRIES] =
					sp_pte(m, m->dm_l1_sp[c], m->pf->table);
		break;
	case SP_DM_L1:
		for (unsigned i = 0; i < ENTRIES; i++) {
			uint64_t pfn = (uint64_t)s->arg * ENTRIES + i;

			if (pfn < m->max_pfn && find_extent(m, pfn))
				e[i] = dm_pte(m, pfn);
		}
		break;
	case SP_NKINDS:
		break;
	}
	for (unsigned i = 0; i < n; i++) {
		if (w == 8)
			put_le64(pg, 8 * i, e[i]);
		else
			put_le32(pg, 4 * i, (uint32_t)e[i]);
	}
}
