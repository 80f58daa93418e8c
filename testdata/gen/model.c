// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * model.c: the guest model built from a scenario and the options: its
 * populated extents and their MFNs, then its structure (build_model()).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

#define PTE_P2M_PAGE		(PTE_NX | 0x67ULL)	/* PAGE_KERNEL: p2m.c maps real p2m pages RW */
#define PTE_P2M_SHARED		(PTE_NX | 0x25ULL)	/* PAGE_KERNEL_RO: p2m_missing, read-only */
#define PTE_KERNEL_TEXT		0x67ULL

/*
 * The kernel image's own page-table pages: mmu_pv.c makes them
 * PAGE_KERNEL_RO (set_page_prot) because Xen refuses a writable mapping of
 * a page used as a page table.
 */
#define PTE_KERNEL_PT_RO	(PTE_NX | 0x25ULL)
#define ABSENT_MFN		0x1ffe123ULL
#define KP_KL1			0x3fu	/* Xen's boot L1 mapping the image (start_info.pt_base) */

static const struct pte_flags flags_pv64 = {
	PTE_TABLE, PTE_P2M_PAGE, PTE_P2M_SHARED, PTE_KERNEL_TEXT, PTE_KERNEL_PT_RO,
};

/*
 * A 32-bit PV kernel runs in ring 1 and keeps _PAGE_USER off its own
 * mappings (Xen sets it only for 64-bit PV): _KERNPG_TABLE 0x63,
 * PAGE_KERNEL NX|0x63, PAGE_KERNEL_RO NX|0x61.
 */
static const struct pte_flags flags_pae = {
	0x63ULL, PTE_NX | 0x63ULL, PTE_NX | 0x61ULL, 0x63ULL, PTE_NX | 0x61ULL,
};

/* HVM: a native kernel's tables (_KERNPG_TABLE, PAGE_KERNEL); nothing read-only. */
static const struct pte_flags flags_hvm = {
	0x63ULL, PTE_NX | 0x63ULL, PTE_NX | 0x61ULL, 0x63ULL, 0x63ULL,
};

/*
 * The kernel's own page tables, structural pages 0..nkpt-1 in this order,
 * and (with kimage) the image page each one is.  A 32-bit PAE kernel has
 * no L3 below its root: swapper_pg_dir is the L3 (PDPT), its entry 3 names
 * the kernel pmd (mmu_pv.c swapper_kernel_pmd, here image page 0x32).
 */
const uint8_t kpt_kinds64[] = { SP_ROOT, SP_KL3, SP_KL2, SP_KL1 };
static const uint32_t kpt_pages64[] = { KP_ROOT, KP_KL3, KP_KL2, KP_KL1 };
const uint8_t kpt_kinds_pae[] = { SP_ROOT, SP_KL2, SP_KL1 };
static const uint32_t kpt_pages_pae[] = { KP_ROOT, KP_KL3, KP_KL1 };
static const uint32_t kpt_pages_pae_pt[] = { KP_ROOT, KP_KL3, KP_KL1 + PT32_MEM_SECTION_PAGES };

/* The kernel image's pages, Xen's four last. */
uint32_t kimage_pages(const struct model *m)
{
	return m->kp_xen + KP_XEN_PAGES;
}

void model_free(struct model *m)
{
	free(m->ext);
	free(m->sp);
	free(m->sp_mfn);
	free(m->leaf_sp);
	free(m->l1_sp);
	free(m->mid_sp);
	free(m->p2m);
	free(m->dm_l1_sp);
	free(m->pk);
}

/* The extent holding pfn, or NULL. */
const struct extent *find_extent(const struct model *m, uint64_t pfn)
{
	size_t lo = 0, hi = m->n_ext;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct extent *e = &m->ext[mid];

		if (pfn < e->pfn)
			hi = mid;
		else if (pfn - e->pfn >= e->count)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

uint64_t mfn_of(const struct model *m, uint64_t pfn)
{
	const struct extent *e = find_extent(m, pfn);

	return e ? e->mfn + (pfn - e->pfn) : INVALID_ENTRY;
}

/* Fills out[0..n) with the p2m entries of pfns [pfn, pfn+n). */
void p2m_entries(const struct model *m, uint64_t pfn, uint64_t n, uint64_t *out)
{
	size_t lo = 0, hi = m->n_ext;

	/* First extent that ends after pfn. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->ext[mid].pfn + m->ext[mid].count <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t p = pfn + i;

		while (lo < m->n_ext && m->ext[lo].pfn + m->ext[lo].count <= p)
			lo++;
		if (lo < m->n_ext && p >= m->ext[lo].pfn && p < m->max_pfn)
			out[i] = m->ext[lo].mfn + (p - m->ext[lo].pfn);
		else
			out[i] = INVALID_ENTRY;
	}
}

static int add_extent(struct model *m, size_t *cap, uint64_t pfn, uint64_t count)
{
	if (m->n_ext == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct extent *n = realloc(m->ext, ncap * sizeof(*n));

		if (!n)
			return fail("out of memory for %zu extents", ncap);
		m->ext = n;
		*cap = ncap;
	}
	m->ext[m->n_ext++] = (struct extent){ .pfn = pfn, .count = count };
	return 0;
}

/*
 * pagetypes --max-pfn: the populated pfns of every block after the first,
 * from its first pfn (PT_BLOCK_PFNS * b): ext_pagetypes' without the
 * kernel image's two MFN runs.
 */
static const struct ext_def ext_pagetypes_block[] = {
	{ 0x0, 0x1100 },	/* section 4b, then reserved pages (and the pool) */
	{ 0x1c00, 0x400 },
	{ 0x3000, 0x800 },
	{ 0x3f00, 0x100 },	/* reserved, the block's struct pages */
};

/* good-missing omits the p2m page holding this pfn and the L1 table mapping this one. */
#define MISSING_LEAF_PFN	0x2345u

#define MISSING_L1_PFN		0x40000u

bool is_populated_range(const struct model *m, uint64_t pfn, uint64_t n)
{
	while (n > 0) {
		const struct extent *e = find_extent(m, pfn);
		uint64_t left;

		if (!e)
			return false;
		left = e->count - (pfn - e->pfn);
		if (left >= n)
			return true;
		pfn += left;
		n -= left;
	}
	return true;
}

/*
 * Places each extent at its own run of MFNs far above max_pfn, in shuffled
 * order with gaps, so that neither pfn order nor pfn-adjacent extents give
 * the MFNs away and no two extents touch in MFN space.
 */
static int place_mfns(struct model *m, uint64_t *rng)
{
	size_t *perm = malloc(m->n_ext * sizeof(*perm));
	uint64_t base = 0x2000000, cursor;

	if (!perm)
		return fail("out of memory for %zu extents", m->n_ext);
	while (base < 2 * m->max_pfn)
		base <<= 1;
	for (size_t i = 0; i < m->n_ext; i++)
		perm[i] = i;
	for (size_t i = m->n_ext; i > 1; i--) {
		size_t j = prng_next(rng) % i;
		size_t t = perm[i - 1];

		perm[i - 1] = perm[j];
		perm[j] = t;
	}
	cursor = base + prng_next(rng) % 0x1000;
	for (size_t i = 0; i < m->n_ext; i++) {
		struct extent *e = &m->ext[perm[i]];

		e->mfn = cursor;
		cursor += e->count + 1 + prng_next(rng) % 64;
	}
	free(perm);
	/* PTEs hold 40-bit frame numbers (mask 0x000ffffffffff000). */
	if (cursor >= (1ULL << 40))
		return fail("mfns overflow 40 bits");
	return 0;
}

/* p2m-mfn-huge, p2m-foreign-huge: the mfn the entry names. */
#define HUGE_MFN	(1ULL << 40)

/*
 * A root table's cr3 value: mfn << 12, or for a 32-bit guest the folded
 * form of xen-x86_32.h xen_pfn_to_cr3(), (u32)(mfn << 12 | mfn >> 20), so
 * that MFNs above 2^20 fit in a 32-bit cr3.
 */
uint64_t guest_cr3(const struct model *m, uint64_t mfn)
{
	if (m->pae)
		return (uint32_t)(mfn << PAGE_SHIFT | mfn >> 20);
	return mfn << PAGE_SHIFT;
}

int build_model(struct model *m, const struct options *o)
{
	const struct scenario *sc = find_scenario(o->scenario);
	uint64_t rng = o->seed ? o->seed : DEFAULT_SEED;
	size_t cap = 0;

	if (!sc)
		return fail("unknown scenario '%s'", o->scenario);

	m->scenario = sc->name;
	m->bad = o->bad;
	m->seed = rng;
	m->max_pfn = o->max_pfn ? o->max_pfn : sc->max_pfn;
	m->linear = sc->p2m_vaddr != 0;
	m->p2m_vaddr = sc->p2m_vaddr;
	m->generation = sc->generation;
	m->pae = sc->guest == GUEST_PAE;
	m->hvm = sc->guest == GUEST_HVM;
	m->shinfo = !m->hvm || o->shared_info;
	m->pad = o->pad;
	/* An older guest publishes only the tree: it must be built.  HVM has neither. */
	m->tree = !m->hvm && (sc->tree || o->tree || !m->linear);
	m->dump_data = sc->ext != NULL || sc->sparse;
	m->kimage = sc->ext != NULL || sc->sparse;
	m->sparse = sc->sparse;
	m->mixed = o->mixed;
	m->shuffle = o->shuffle;
	m->pf = m->pae ? &flags_pae : m->hvm ? &flags_hvm : &flags_pv64;
	m->ka = kabi_of(m->pae);
	m->pt = sc->pagetypes;
	m->pt_whole_memmap = m->pt && o->whole_memmap;
	/* x86_32 has no SPARSEMEM_VMEMMAP (arch/x86/Kconfig): classic mem_map arrays. */
	m->pt_vmemmap = m->pt && !m->pae && o->memmap != MEMMAP_SPARSE;
	m->pt612 = m->pt && o->k612;
	if (m->pt) {
		/* 6.1 (and 6.12): the lockless ring; the PAE guest's 5.4-era side: log_buf */
		m->printk = o->printk ? o->printk : m->pae ? PRINTK_LOGBUF : PRINTK_LOCKLESS;
		m->ka = kabi_pt(m->pae, m->pt_vmemmap, m->pt612, m->printk);
		m->pgs = pgs_of(m->pae);
		if (pk_build(m))
			return -1;
	}
	m->kp_xen = KP_START_INFO + (m->pt && m->pae ? PT32_MEM_SECTION_PAGES : 0);
	m->esz = m->pae ? 4 : 8;
	m->epp = PAGE_SIZE / m->esz;
	m->nkpt = m->pae ? sizeof(kpt_kinds_pae) : sizeof(kpt_kinds64);
	m->kpt_page = !m->pae ? kpt_pages64 : m->pt ? kpt_pages_pae_pt : kpt_pages_pae;
	m->legacy = o->legacy == 1 ? m->esz : o->legacy;	/* bare --legacy: the guest's word */
	m->ident_sp = SP_NONE;
	if (o->special || o->disagree) {
		const struct scenario_extra *x = find_extra(sc->name);

		if (!x)
			return fail("internal: no special pfns for '%s'", sc->name);
		if (o->special) {
			m->spec = x->spec;
			m->ident_leaf = x->ident_pfn / m->epp;
		}
		if (o->disagree) {
			m->disagree = true;
			m->tree = true;	/* the tree is what disagrees */
			memcpy(m->dis_pfn, x->dis, sizeof(m->dis_pfn));
		}
	}

	if (sc->ext) {
		for (size_t i = 0; i < sc->n_ext; i++)
			if (add_extent(m, &cap, sc->ext[i].pfn, sc->ext[i].count))
				return -1;
		m->pool_pfn = sc->pool_pfn;
		/* pagetypes --max-pfn: the 64 MiB layout again in every further block */
		for (uint64_t b = PT_BLOCK_PFNS; m->pt && b < m->max_pfn; b += PT_BLOCK_PFNS)
			for (size_t i = 0; i < sizeof(ext_pagetypes_block) /
					       sizeof(ext_pagetypes_block[0]); i++)
				if (add_extent(m, &cap, b + ext_pagetypes_block[i].pfn,
					       ext_pagetypes_block[i].count))
					return -1;
		if (m->pt && m->max_pfn > PT_BLOCK_PFNS)
			m->pool_seg = PT_POOL_END - m->pool_pfn;
	} else {
		/*
		 * scale and big: everything populated, runs of 1..8191 pfns (mean
		 * ~4096).  big keeps the good-* kernel image: its two extents
		 * at KERNEL_TEXT_PFN, with the runs before them cut to fit.
		 */
		for (uint64_t pfn = 0; pfn < m->max_pfn;) {
			uint64_t n = 1 + prng_next(&rng) % (o->max_run ? o->max_run : 8191);
			uint64_t end = m->max_pfn;

			if (m->kimage && pfn == KERNEL_TEXT_PFN) {
				if (add_extent(m, &cap, pfn, KERNEL_SPLIT) ||
				    add_extent(m, &cap, pfn + KERNEL_SPLIT,
					       KERNEL_TEXT_PAGES - KERNEL_SPLIT))
					return -1;
				pfn += KERNEL_TEXT_PAGES;
				continue;
			}
			if (m->kimage && pfn < KERNEL_TEXT_PFN)
				end = KERNEL_TEXT_PFN;
			if (n > end - pfn)
				n = end - pfn;
			if (add_extent(m, &cap, pfn, n))
				return -1;
			pfn += n;
		}
		m->pool_pfn = (m->max_pfn / 2) & ~(uint64_t)(ENTRIES - 1);
	}
	/* HVM: Xen's p2m is not in the dump; the guest's frames are its gpfns. */
	for (size_t i = 0; m->hvm && i < m->n_ext; i++)
		m->ext[i].mfn = m->ext[i].pfn;
	if (check_extras(m) || (!m->hvm && place_mfns(m, &rng)) || build_structure(m) ||
	    (m->pt && check_pagetypes(m)))
		return -1;

	if (sc->missing) {
		uint64_t leaf = MISSING_LEAF_PFN / ENTRIES;
		uint64_t slot = ((m->p2m_vaddr & VA_MASK) + MISSING_L1_PFN / ENTRIES * PAGE_SIZE) >> 21;

		uint32_t leaf_page = m->leaf_sp[leaf], l1_table = m->l1_sp[slot - m->l1_first];

		if (m->sp[leaf_page].kind != SP_LEAF || m->sp[l1_table].kind != SP_L1)
			return fail("internal: good-missing must omit a real p2m page and L1");
		m->sp[leaf_page].omitted = true;
		m->sp[l1_table].omitted = true;
	}
	/* pt-missing: the L1 that maps the kernel image is not in the dump. */
	if (m->bad == BAD_PT_MISSING)
		m->sp[m->kpt_sp[SP_KL1]].omitted = true;

	/* What shared_info publishes (Linux p2m.c xen_setup_mfn_list_list). */
	m->pub_p2m_vaddr = m->linear ? m->p2m_vaddr : 0;
	m->pub_p2m_cr3 = m->linear ? guest_cr3(m, m->sp_mfn[0]) : 0;
	m->pub_fll = m->tree ? m->sp_mfn[m->fll_sp] : (m->linear ? INVALID_ENTRY : 0);
	switch (m->bad) {
	case BAD_CR3_MISSING:
		m->pub_p2m_cr3 = guest_cr3(m, ABSENT_MFN);
		break;
	case BAD_NONCANONICAL:
		m->pub_p2m_vaddr = 0x0000900000000000ULL;
		break;
	case BAD_HYPERVISOR:
		m->pub_p2m_vaddr = m->pae ? HYPERVISOR_VIRT_START32 : HYPERVISOR_VIRT_START;
		break;
	case BAD_WRAP:
		/* Half the list below 2^64 (2^32), half past it. */
		m->pub_p2m_vaddr = (0 - m->max_pfn * m->esz / 2) & ~(uint64_t)(PAGE_SIZE - 1);
		if (m->pae)
			m->pub_p2m_vaddr &= UINT32_MAX;
		break;
	case BAD_P2M_VADDR_KERNEL:
		/* The image's .rodata and .data: linux_banner, then the page tables. */
		m->pub_p2m_vaddr = (m->pae ? KERNEL_TEXT_VA32 : KERNEL_TEXT_VA) +
				   (uint64_t)KP_RODATA * PAGE_SIZE;
		break;
	case BAD_ROOT_TWICE:
		/* The first pool pfn after the structural pages: a data page. */
		m->twice_pfn = sp_pfn(m, m->nsp);
		if (!m->dump_data || !find_extent(m, m->twice_pfn))
			return fail("internal: root-twice needs a dumped data page after the pool");
		break;
	case BAD_ALL_ONE_MFN:
		/* linux_banner's page (scale: the root, its only dumped kind of page). */
		m->one_mfn = m->kimage ? mfn_of(m, KERNEL_TEXT_PFN + KP_RODATA) : m->sp_mfn[0];
		break;
	case BAD_P2M_MFN_HUGE:
	case BAD_P2M_FOREIGN_HUGE:
		/* 2^40: the first machine frame past x86-64 Xen's 52-bit addresses. */
		m->huge_pfn = huge_pfn(m);
		if (m->huge_pfn == INVALID_ENTRY)
			return fail("internal: --bad %s finds no unpopulated pfn in a p2m page",
				    bad_names[m->bad]);
		m->huge_entry = HUGE_MFN | (m->bad == BAD_P2M_FOREIGN_HUGE ? FOREIGN_BIT(m->esz) : 0);
		break;
	default:
		break;
	}
	return 0;
}

uint64_t populated_pages(const struct model *m)
{
	uint64_t n = 0;

	for (size_t x = 0; x < m->n_ext; x++)
		n += m->ext[x].count;
	return n;
}
