// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * p2m.c: the guest's p2m as Linux builds it (arch/x86/xen/p2m.c): the p2m
 * pages, the linear list's tables, the legacy 3-level tree, the
 * --special-entries and --disagree changes; and the dump's own index of
 * its pages, .xen_p2m, as xg_core.c writes it.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* xg_core_x86.c: HVM_BELOW_4G_MMIO_START (0xf0000000) and the VGA hole */
#define HVM_MMIO_PFN		0xf0000ULL
#define HVM_VGA_PFN		0xa0ULL
#define HVM_VGA_END		0xc0ULL
#define IDENT_MARK (UINT32_MAX - 1)	/* build_structure(): the p2m_identity leaf, not numbered yet */

/* Overlays the --special-entries runs on out[0..n), the entries of pfns [pfn, pfn+n). */
static void apply_specials(const struct model *m, uint64_t pfn, uint64_t n, uint64_t *out)
{
	for (unsigned k = 0; m->spec && k < NSPECIAL; k++) {
		const struct special *r = &m->spec[k];

		for (uint64_t i = 0; i < r->count; i++) {
			uint64_t p = r->pfn + i;

			if (p < pfn || p - pfn >= n)
				continue;
			out[p - pfn] = r->kind == SPECIAL_IDENTITY ? p | IDENTITY_BIT(m->esz)
							   : (r->mfn + i) | FOREIGN_BIT(m->esz);
		}
	}
}

/* The stale tree's own p2m pages: the list's entries with the --disagree changes. */
static void apply_disagree(const struct model *m, uint64_t pfn, uint64_t n, uint64_t *out)
{
	for (unsigned k = 0; m->disagree && k < NDISAGREE; k++) {
		uint64_t p = m->dis_pfn[k];

		if (p >= pfn && p - pfn < n)
			out[p - pfn] = k == 1 ? INVALID_ENTRY : STALE_MFN_BASE + p;
	}
}

/* The p2m pages, the list's tables and the tree of a PV guest (build_structure()). */
int build_p2m_structure(struct model *m, uint32_t *capp)
{
	uint32_t cap = *capp, missing_pte = SP_NONE;
	uint64_t va, va_end;

	m->nleaf = (m->max_pfn + m->epp - 1) / m->epp;
	m->leaf_sp = alloc_u32(m->nleaf, SP_NONE);
	if (!m->leaf_sp)
		return fail("out of memory for %" PRIu64 " p2m pages", m->nleaf);
	if (alloc_sp(m, &cap, SP_MISSING, 0, &m->missing_sp))
		return -1;
	if (m->linear && alloc_sp(m, &cap, SP_MISSING_PTE, 0, &missing_pte))
		return -1;

	/* A p2m page is real if any pfn it describes is populated (or special). */
	for (size_t i = 0; i < m->n_ext; i++) {
		uint64_t a = m->ext[i].pfn / m->epp;
		uint64_t b = (m->ext[i].pfn + m->ext[i].count - 1) / m->epp;

		for (uint64_t j = a; j <= b; j++)
			m->leaf_sp[j] = 0;	/* marked; numbered below */
	}
	for (unsigned k = 0; m->spec && k < NSPECIAL; k++)
		for (uint64_t p = m->spec[k].pfn; p < m->spec[k].pfn + m->spec[k].count; p++)
			m->leaf_sp[p / m->epp] = 0;
	/* set_phys_range_identity(): a whole 1:1 p2m page is the shared p2m_identity. */
	if (m->spec)
		m->leaf_sp[m->ident_leaf] = IDENT_MARK;

	if (m->linear) {
		va = m->p2m_vaddr & VA_MASK;
		va_end = va + m->nleaf * PAGE_SIZE;	/* exclusive */
		m->first_page = va >> PAGE_SHIFT;
		m->l1_first = va >> 21;
		m->n1 = ((va_end - 1) >> 21) - m->l1_first + 1;
		m->l2_first = va >> 30;
		m->n2 = ((va_end - 1) >> 30) - m->l2_first + 1;
		m->l3_first = va >> 39;
		m->n3 = ((va_end - 1) >> 39) - m->l3_first + 1;
		m->l1_sp = alloc_u32(m->n1, missing_pte);
		if (!m->l1_sp)
			return fail("out of memory for %" PRIu64 " L1 tables", m->n1);
		/*
		 * PAE: the root is the L3 and the list lies under its entry 3,
		 * so the list's L1 tables hang off the kernel pmd; no list
		 * L3 or L2 tables of their own.
		 */
		if (m->pae) {
			if (m->l2_first != 3 || m->n2 != 1 || va_end > HYPERVISOR_VIRT_START32)
				return fail("internal: a PAE list must lie in 0xc0000000-0xf57fffff");
			m->n2 = m->n3 = 0;
		}

		m->l3_base = m->nsp;
		for (uint64_t k = 0; k < m->n3; k++)
			if (alloc_sp(m, &cap, SP_L3, (uint32_t)k, NULL))
				return -1;
		m->l2_base = m->nsp;
		for (uint64_t k = 0; k < m->n2; k++)
			if (alloc_sp(m, &cap, SP_L2, (uint32_t)k, NULL))
				return -1;
		/*
		 * Like xen_rebuild_p2m_list(): an L1 table that would map only
		 * p2m_missing pages is the shared p2m_missing_pte instead.
		 */
		for (uint64_t s = 0; s < m->n1; s++) {
			uint64_t p0 = (m->l1_first + s) * ENTRIES;
			bool real = false;

			for (uint64_t i = 0; i < ENTRIES && !real; i++) {
				uint64_t p = p0 + i;

				if (p >= m->first_page && p - m->first_page < m->nleaf)
					real = m->leaf_sp[p - m->first_page] != SP_NONE;
			}
			if (real && alloc_sp(m, &cap, SP_L1, (uint32_t)s, &m->l1_sp[s]))
				return -1;
			m->missing_pte_used |= !real;
		}
	}

	if (m->spec && alloc_sp(m, &cap, SP_IDENTITY, 0, &m->ident_sp))
		return -1;
	for (uint64_t j = 0; j < m->nleaf; j++) {
		if (m->leaf_sp[j] == SP_NONE)
			m->leaf_sp[j] = m->missing_sp;
		else if (m->leaf_sp[j] == IDENT_MARK)
			m->leaf_sp[j] = m->ident_sp;
		else if (alloc_sp(m, &cap, SP_LEAF, (uint32_t)j, &m->leaf_sp[j]))
			return -1;
	}

	if (m->tree) {
		uint64_t chunk = (uint64_t)m->epp * m->epp, limit = chunk * m->epp;
		uint64_t covered = m->max_pfn < limit ? m->max_pfn : limit;

		m->ntop = (covered + chunk - 1) / chunk;
		if (alloc_sp(m, &cap, SP_FLL, 0, &m->fll_sp) ||
		    alloc_sp(m, &cap, SP_MID_MISSING, 0, &m->mid_missing_sp))
			return -1;
		m->mid_sp = alloc_u32(m->ntop, m->mid_missing_sp);
		if (!m->mid_sp)
			return fail("out of memory for the p2m tree");
		/* xen_build_mfn_list_list(): all-missing chunks share p2m_mid_missing_mfn. */
		for (uint64_t c = 0; c < m->ntop; c++) {
			bool real = false;

			for (uint64_t j = c * m->epp; j < (c + 1) * m->epp && j < m->nleaf; j++)
				if (m->leaf_sp[j] != m->missing_sp)
					real = true;
			if (real && alloc_sp(m, &cap, SP_MID, (uint32_t)c, &m->mid_sp[c]))
				return -1;
		}
	}
	/* --disagree: the stale tree keeps its own copy of each p2m page concerned. */
	for (unsigned k = 0; m->disagree && k < NDISAGREE; k++) {
		uint64_t j = m->dis_pfn[k] / m->epp;
		bool have = false;

		for (uint32_t t = 0; t < m->ntleaf; t++)
			have = have || m->tleaf_leaf[t] == j;
		if (have)
			continue;
		m->tleaf_leaf[m->ntleaf] = j;
		if (alloc_sp(m, &cap, SP_TLEAF, (uint32_t)j, &m->tleaf_sp[m->ntleaf++]))
			return -1;
	}
	*capp = cap;
	return 0;
}

/* The pfns [*lo, *hi) the p2m page or L1 table sp describes. */
void sp_pfn_range(const struct model *m, uint32_t sp, uint64_t *lo, uint64_t *hi)
{
	uint64_t j0, j1;

	if (m->sp[sp].kind == SP_LEAF || m->sp[sp].kind == SP_TLEAF) {
		j0 = m->sp[sp].arg;
		j1 = j0 + 1;
	} else {	/* SP_L1 */
		uint64_t p0 = (m->l1_first + m->sp[sp].arg) * ENTRIES;

		j0 = p0 > m->first_page ? p0 - m->first_page : 0;
		j1 = p0 + ENTRIES - m->first_page;
		if (j1 > m->nleaf)
			j1 = m->nleaf;
	}
	*lo = j0 * m->epp;
	*hi = j1 * m->epp < m->max_pfn ? j1 * m->epp : m->max_pfn;
}

/* The p2m page the tree's mid pages name for p2m page j (the list's, unless stale). */
uint32_t tree_leaf_sp(const struct model *m, uint64_t j)
{
	if (j >= m->nleaf)
		return m->missing_sp;
	for (uint32_t t = 0; t < m->ntleaf; t++)
		if (m->tleaf_leaf[t] == j)
			return m->tleaf_sp[t];
	return m->leaf_sp[j];
}

/*
 * The entries out[0..epp) of p2m page j as page sp (a real, tree-only or
 * shared p2m page) holds them.  Beyond max_pfn the last page holds ~0, as
 * Linux fills it.
 */
void leaf_entries(const struct model *m, uint32_t sp, uint64_t j, uint64_t *out)
{
	uint64_t pfn = j * m->epp;

	if (m->sp[sp].kind != SP_LEAF && m->sp[sp].kind != SP_TLEAF) {
		for (uint32_t i = 0; i < m->epp; i++)
			out[i] = INVALID_ENTRY;
		return;
	}
	p2m_entries(m, pfn, m->epp, out);
	apply_specials(m, pfn, m->epp, out);
	if (m->sp[sp].kind == SP_TLEAF)
		apply_disagree(m, pfn, m->epp, out);
}

/*
 * The pfn whose entry p2m-mfn-huge and p2m-foreign-huge damage: the first
 * unpopulated pfn of a real p2m page, no special or --disagree pfn (as
 * xg_core.c cannot map the frame, the dump does not list it); ~0: none.
 */
uint64_t huge_pfn(const struct model *m)
{
	for (uint64_t p = 0; p < m->max_pfn && p / m->epp < m->nleaf; p++) {
		bool taken = find_extent(m, p) || m->sp[m->leaf_sp[p / m->epp]].kind != SP_LEAF ||
			     (m->spec && p / m->epp == m->ident_leaf);

		for (unsigned k = 0; m->spec && k < NSPECIAL; k++)
			taken = taken || (p >= m->spec[k].pfn && p < m->spec[k].pfn + m->spec[k].count);
		for (unsigned k = 0; m->disagree && k < NDISAGREE; k++)
			taken = taken || p == m->dis_pfn[k];
		if (!taken)
			return p;
	}
	return INVALID_ENTRY;
}

/*
 * The --special-entries and --disagree pfns must fit the scenario: special
 * and tree-only pfns unpopulated, the p2m_identity page all unpopulated,
 * the remapped and tree-invalid pfns populated.
 */
int check_extras(const struct model *m)
{
	for (unsigned k = 0; m->spec && k < NSPECIAL; k++)
		if (m->spec[k].pfn + m->spec[k].count > m->max_pfn ||
		    find_extent(m, m->spec[k].pfn) ||
		    find_extent(m, m->spec[k].pfn + m->spec[k].count - 1))
			return fail("internal: special run 0x%" PRIx64 " is populated",
				    m->spec[k].pfn);
	if (m->spec) {
		uint64_t lo = m->ident_leaf * m->epp;

		for (uint64_t p = lo; p < lo + m->epp; p++)
			if (p >= m->max_pfn || find_extent(m, p))
				return fail("internal: the p2m_identity page is not a hole");
		for (unsigned k = 0; k < NSPECIAL; k++)
			if (m->spec[k].pfn / m->epp == m->ident_leaf)
				return fail("internal: a special run in the p2m_identity page");
	}
	for (unsigned k = 0; m->disagree && k < NDISAGREE; k++) {
		uint64_t p = m->dis_pfn[k];

		if (p >= m->max_pfn || (find_extent(m, p) != NULL) != (k < 2) ||
		    (m->spec && p / m->epp == m->ident_leaf))
			return fail("internal: --disagree pfn 0x%" PRIx64 " does not fit", p);
		for (unsigned r = 0; m->spec && r < NSPECIAL; r++)
			if (p >= m->spec[r].pfn && p < m->spec[r].pfn + m->spec[r].count)
				return fail("internal: --disagree pfn 0x%" PRIx64 " is special", p);
	}
	return 0;
}

/* ---- the dump index (.xen_p2m) ---- */

bool is_dumped(const struct model *m, uint64_t pfn)
{
	uint32_t k = sp_of_pfn(m, pfn);

	/* xg_core_x86.c xc_core_arch_gpfn_may_present(): HVM holes are never dumped. */
	if (m->hvm && ((pfn >= HVM_VGA_PFN && pfn < HVM_VGA_END) ||
		       (pfn >= HVM_MMIO_PFN && pfn < (1ULL << 32) >> PAGE_SHIFT)))
		return false;
	if (k != SP_NONE)
		return !m->sp[k].omitted;
	/* pagetypes: one page of struct pages (one a block) is not in the dump */
	if (m->pt && pt_is_undumped(m, pfn))
		return false;
	return m->dump_data;
}

/*
 * Builds .xen_p2m: {pfn, mfn} of every dumped page in ascending pfn, as
 * xg_core.c writes it (or shuffled).  A sparse dump (scale) holds only the
 * structural pages.  .xen_pages follows this order.
 */
int build_dump_index(struct model *m)
{
	uint64_t n = 0, i = 0;

	/* big: every populated pfn but the omitted ones; write_sparse() streams the table. */
	if (m->sparse) {
		m->nr_pages = populated_pages(m);
		for (uint32_t k = 0; k < m->nsp; k++)
			if (m->sp[k].omitted)
				m->nr_pages--;
		return 0;
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t x = 0; x < m->n_ext; x++) {
			const struct extent *e = &m->ext[x];
			uint64_t lo = e->pfn, hi = e->pfn + e->count;

			/* Only the pool can hold dumped pages (scale has no kimage). */
			if (!m->dump_data) {
				if (lo < m->pool_pfn)
					lo = m->pool_pfn;
				if (hi > m->pool_pfn + (m->nsp - m->pool_first))
					hi = m->pool_pfn + (m->nsp - m->pool_first);
			}
			for (uint64_t pfn = lo; pfn < hi; pfn++) {
				if (!is_dumped(m, pfn))
					continue;
				if (pass == 0) {
					n++;
				} else {
					bool twice = m->bad == BAD_ROOT_TWICE && pfn == m->twice_pfn;

					put_le64(m->p2m, 16 * i, pfn);
					put_le64(m->p2m, 16 * i + 8,
						 twice ? m->sp_mfn[0] : e->mfn + (pfn - e->pfn));
					i++;
				}
			}
		}
		if (pass == 0) {
			/*
			 * nr_pages is tot_pages (xg_core.c).  HVM: it counts the
			 * special pages that are never dumped; --pad: pages the
			 * domain gave back during a live dump, after its
			 * tot_pages was read.  xg_core.c pads the tail with
			 * XC_CORE_INVALID_PFN (PV: and _GMFN) entries and zero
			 * pages up to nr_pages, which it does not lower.
			 */
			m->nr_pages = (m->hvm ? populated_pages(m) : n) + m->pad;
			m->p2m = malloc(m->nr_pages ? m->nr_pages * 16 : 1);
			if (!m->p2m)
				return fail("out of memory for a %" PRIu64 "-entry .xen_p2m", n);
			for (uint64_t k = n; k < m->nr_pages; k++) {
				put_le64(m->p2m, 16 * k, INVALID_ENTRY);
				put_le64(m->p2m, 16 * k + 8, INVALID_ENTRY);
			}
		}
	}
	/*
	 * dump-core-format.txt: "There is no rule about the order. Analysis
	 * tools must no rely on its order."  xg_core.c happens to write
	 * ascending pfns; --shuffle checks that readers do not depend on it.
	 */
	if (m->shuffle) {
		uint64_t rng = m->seed ^ 0x53485546464c45ULL;	/* own stream: "SHUFFLE" */

		for (uint64_t k = i; k > 1; k--) {	/* the padding stays last */
			uint64_t j = prng_next(&rng) % k;
			uint8_t t[16];

			memcpy(t, m->p2m + 16 * (k - 1), 16);
			memcpy(m->p2m + 16 * (k - 1), m->p2m + 16 * j, 16);
			memcpy(m->p2m + 16 * j, t, 16);
		}
	}
	return 0;
}
