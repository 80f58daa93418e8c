// SPDX-License-Identifier: LGPL-2.1-or-later
/* describe.c: --describe, the guest model in words on stdout. */
#include <inttypes.h>
#include <stdio.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

static const char *const sp_kind_name[] = {
	[SP_ROOT] = "L4 root",
	[SP_KL3] = "kernel L3",
	[SP_KL2] = "kernel L2",
	[SP_KL1] = "kernel L1",
	[SP_MISSING] = "p2m_missing",
	[SP_MISSING_PTE] = "p2m_missing_pte",
	[SP_L3] = "p2m L3",
	[SP_L2] = "p2m L2",
	[SP_L1] = "p2m L1",
	[SP_LEAF] = "p2m page",
	[SP_FLL] = "frame_list_list",
	[SP_MID_MISSING] = "p2m_mid_missing",
	[SP_MID] = "p2m mid",
	[SP_IDENTITY] = "p2m_identity",
	[SP_TLEAF] = "tree-only p2m page",
	[SP_VMM_L3] = "vmemmap L3",
	[SP_VMM_L2] = "vmemmap L2",
	[SP_VMM_L1] = "vmemmap L1",
	[SP_DM_L3] = "direct map L3",
	[SP_DM_L2] = "direct map L2",
	[SP_DM_L1] = "direct map L1",
};

static const char *sp_label(const struct model *m, int kind)
{
	if (m->pae && kind == SP_ROOT)
		return "L3 root (swapper_pg_dir)";
	if (m->pae && kind == SP_KL2)
		return "kernel pmd";
	return sp_kind_name[kind];
}

/*
 * pagetypes: pgd_list, the cr3 of vcpu 1 and what each process maps
 * (first va, pfns or frame) in describe().
 */
static void describe_procs(const struct model *m, FILE *f)
{
	uint8_t w[16];
	uint32_t word = m->pgs->word;
	uint64_t text = m->pae ? PROC_TEXT_VA32 : PROC_TEXT_VA;
	uint64_t stack = m->pae ? PROC_STACK_VA32 : PROC_STACK_VA;

	pgd_list_words(m, m->ka, w);
	fprintf(f, "pgd_list      0x%" PRIx64 ": next 0x%" PRIx64 " prev 0x%" PRIx64
		" (page.lru of the pgds of process 1, then 0)\n", m->ka->va + PGD_LIST_OFF,
		get_word(w, 0, word), get_word(w, word, word));
	if (m->pae)
		fprintf(f, "vcpu1 cr3     0x%" PRIx64 " (process 0's pgd, folded)\n",
			guest_cr3(m, vcpu_root_mfn(m, 1, false)));
	else
		fprintf(f, "vcpu1 cr3     0x%" PRIx64 " (process 0's kernel pgd), ctrlreg[1] 0x%"
			PRIx64 " (its user pgd)\n", vcpu_root_mfn(m, 1, false) << PAGE_SHIFT,
			vcpu_root_mfn(m, 1, true) << PAGE_SHIFT);
	for (unsigned p = 0; p < PROC_N; p++) {
		uint64_t a = PROC_ANON_PFN + 0x10 * p;

		fprintf(f, "process %u     %spgd 0x%" PRIx64, p, m->pae ? "" : "kernel ",
			pt_direct(m, proc_pt_pfn(m, p, PPT_PGD), 0));
		if (!m->pae)
			fprintf(f, " (page.private: user pgd 0x%" PRIx64 ")",
				pt_direct(m, proc_pt_pfn(m, p, PPT_UPGD), 0));
		fprintf(f, "; text 0x%" PRIx64 " -> pfns 0x%" PRIx64 "-0x%" PRIx64, text, a,
			a + PROC_PAGES - 1);
		if (m->pae)
			fprintf(f, ", mmap 0x%" PRIx64 " -> pfns 0x%" PRIx64 "-0x%" PRIx64,
				(uint64_t)PROC_MMAP_VA32, a + 4, a + 4 + PROC_PAGES - 1);
		fprintf(f, ", stack 0x%" PRIx64 " -> pfns 0x%" PRIx64 "-0x%" PRIx64 " (NX)", stack,
			a + 8, a + 8 + PROC_PAGES - 1);
		if (p == 0)
			fprintf(f, "; 0x%" PRIx64 " -> foreign mfn 0x%" PRIx64 ", 0x%" PRIx64
				" swap entry 0x%" PRIx64,
				(uint64_t)(m->pae ? PROC_FOREIGN_VA32 : PROC_FOREIGN_VA),
				(uint64_t)PROC_FOREIGN_MFN, stack - PAGE_SIZE,
				swp_pte(PROC_SWAP_TYPE, PROC_SWAP_OFFSET));
		fputc('\n', f);
	}
}

void describe(const struct model *m, FILE *f)
{
	uint32_t counts[SP_NKINDS] = { 0 };
	bool brief = m->nsp > 64;

	fprintf(f, "scenario      %s%s%s\n", m->scenario, m->bad ? " --bad " : "",
		m->bad ? bad_names[m->bad] : "");
	fprintf(f, "seed          0x%" PRIx64 "\n", m->seed);
	fprintf(f, "max_pfn       0x%" PRIx64 "\n", m->max_pfn);
	fprintf(f, "nr_pages      %" PRIu64 " (%s%s)\n", m->nr_pages,
		m->sparse ? "all populated pfns; data pages are holes" :
		m->dump_data ? "all populated pfns" : "page tables and p2m pages only",
		m->hvm || m->pad ? ", padding included" : "");
	if (m->hvm || m->pad) {
		uint64_t dumped = 0;

		for (size_t x = 0; x < m->n_ext; x++)
			for (uint64_t p = m->ext[x].pfn; p < m->ext[x].pfn + m->ext[x].count; p++)
				dumped += is_dumped(m, p);
		fprintf(f, "padding       %" PRIu64 " entries ~0 and zero pages after the %" PRIu64
			" dumped (%s--pad %" PRIu64 ")\n", m->nr_pages - dumped, dumped,
			m->hvm ? "undumped special pages, " : "", m->pad);
	}
	fprintf(f, "shared_info   %s\n", !m->shinfo ? "none (not mapped)" :
		m->hvm ? "zero (HVM: arch_shared_info all zero)" : "arch_shared_info only");
	fprintf(f, "dump order    %s\n", m->shuffle ? "shuffled" : "ascending pfn");
	fprintf(f, "root          mfn 0x%" PRIx64 " pfn 0x%" PRIx64 " (cr3 0x%" PRIx64 "%s)\n",
		m->sp_mfn[0], sp_pfn(m, 0), guest_cr3(m, m->sp_mfn[0]),
		m->pae ? ", folded" : m->hvm ? ", a gpfn" : "");
	fprintf(f, "p2m_vaddr     0x%" PRIx64 " published, list mapped at 0x%" PRIx64 "\n",
		m->pub_p2m_vaddr, m->linear ? m->p2m_vaddr : 0);
	fprintf(f, "p2m_cr3       0x%" PRIx64 "\n", m->pub_p2m_cr3);
	fprintf(f, "p2m_gen       %" PRIu64 "\n", m->generation);
	fprintf(f, "frame_list_list 0x%" PRIx64 "\n", m->pae ? (uint32_t)m->pub_fll : m->pub_fll);
	fprintf(f, "p2m pages     %" PRIu64 " in the list\n", m->nleaf);
	if (m->linear)
		fprintf(f, "list tables   %" PRIu64 " L3, %" PRIu64 " L2, %" PRIu64 " L1 slots\n",
			m->n3, m->n2, m->n1);
	fprintf(f, "kernel image  va 0x%" PRIx64 " -> pfns 0x%x-0x%x\n", m->ka->va,
		KERNEL_TEXT_PFN, (unsigned)(KERNEL_TEXT_PFN + kimage_pages(m) - 1));
	if (m->kimage && !is_populated_range(m, KERNEL_TEXT_PFN, kimage_pages(m))) {
		/* tiny: only some image pages are populated; list their runs. */
		fprintf(f, "kernel runs  ");
		for (size_t x = 0; x < m->n_ext; x++) {
			const struct extent *e = &m->ext[x];

			if (e->pfn < KERNEL_TEXT_PFN || e->pfn >= KERNEL_TEXT_PFN + kimage_pages(m))
				continue;
			fprintf(f, " pfns 0x%" PRIx64 "-0x%" PRIx64 " -> mfn 0x%" PRIx64 ";", e->pfn,
				e->pfn + e->count - 1, e->mfn);
		}
		fprintf(f, " the rest not populated\n");
		if (!m->hvm)
			fprintf(f, "start_info    va 0x%" PRIx64 " pfn 0x%x mfn 0x%" PRIx64 "\n",
				m->ka->va + PG(m->kp_xen), KERNEL_TEXT_PFN + m->kp_xen,
				mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen));
	} else if (m->kimage) {
		uint64_t k = KERNEL_TEXT_PFN + KERNEL_SPLIT;

		fprintf(f, "kernel runs   pfns 0x%x-0x%" PRIx64 " -> mfn 0x%" PRIx64
			", pfns 0x%" PRIx64 "-0x%x -> mfn 0x%" PRIx64 "\n",
			KERNEL_TEXT_PFN, k - 1, mfn_of(m, KERNEL_TEXT_PFN), k,
			KERNEL_TEXT_PFN + kimage_pages(m) - 1, mfn_of(m, k));
		if (!m->hvm)
			fprintf(f, "start_info    va 0x%" PRIx64 " pfn 0x%x mfn 0x%" PRIx64 "\n",
				m->ka->va + PG(m->kp_xen), KERNEL_TEXT_PFN + m->kp_xen,
				mfn_of(m, KERNEL_TEXT_PFN + m->kp_xen));
	}
	if (m->pt) {
		fprintf(f, "memmap        %s: struct pages at 0x%" PRIx64 " (pfn 0), pages at pfns "
			"0x%llx-0x%" PRIx64 " (0x%" PRIx64 " not dumped)\n",
			m->pt_vmemmap ? "vmemmap" : "sparse", pt_page_va(m, 0), PT_MEMMAP_PFN,
			(uint64_t)(PT_MEMMAP_PFN + PT_NR_PRESENT * pt_memmap_pages(m) - 1),
			pt_undumped_pfn(m));
		if (m->pae)
			fprintf(f, "mem_section   0x%" PRIx64 " (.bss, pfns 0x%x-0x%x), %u sections "
				"of %u bytes; sections 0, 1, 3 present\n", pt_mem_section(m),
				KERNEL_TEXT_PFN + KP_END,
				KERNEL_TEXT_PFN + KP_END + PT32_MEM_SECTION_PAGES - 1,
				pt_nr_section_roots(m), 2 * m->pgs->word);
		else if (m->max_pfn == PT_BLOCK_PFNS)
			fprintf(f, "mem_section   roots 0x%" PRIx64 " (pfns 0x%llx-0x%llx), "
				"mem_section[0] 0x%" PRIx64 "; sections 0, 1, 3 present\n",
				pt_mem_section(m), PT_ROOTS_PFN, PT_ROOTS_PFN + PT_ROOTS_PAGES - 1,
				pt_direct(m, PT_ROOT0_PFN, 0));
		else
			fprintf(f, "mem_section   roots 0x%" PRIx64 " (pfns 0x%llx-0x%llx), "
				"mem_section[0..%" PRIu64 "] at pfn 0x%llx + 0x%" PRIx64 " * root; "
				"sections 4b, 4b+1, 4b+3 of blocks b 0-%" PRIu64 " present\n",
				pt_mem_section(m), PT_ROOTS_PFN, PT_ROOTS_PFN + PT_ROOTS_PAGES - 1,
				(m->max_pfn - 1) / PT_ROOT_PFNS, PT_ROOT0_PFN, PT_ROOT_PFNS,
				(uint64_t)(m->max_pfn / PT_BLOCK_PFNS - 1));
		if (m->max_pfn > PT_BLOCK_PFNS)
			fprintf(f, "blocks        %" PRIu64 " of 0x%llx pfns, each the 64 MiB layout "
				"(memmap pages and the undumped one at the same offsets); "
				"the pool in pfns 0x%" PRIx64 "-0x%llx of blocks 0-%" PRIu64 "\n",
				(uint64_t)(m->max_pfn / PT_BLOCK_PFNS), PT_BLOCK_PFNS, m->pool_pfn,
				PT_POOL_END - 1,
				(uint64_t)((sp_pfn(m, m->nsp - 1) - m->pool_pfn) / PT_BLOCK_PFNS));
		fprintf(f, "vmcoreinfo    0x%" PRIx64 " (pfn 0x%llx), %zu bytes\n",
			pt_direct(m, PT_VMCOREINFO_PFN, 0), PT_VMCOREINFO_PFN,
			pt_vmcoreinfo(m, NULL, 0, false));
		describe_procs(m, f);
	}
	for (unsigned k = 0; m->spec && k < NSPECIAL; k++) {
		const struct special *r = &m->spec[k];

		if (r->kind == SPECIAL_IDENTITY)
			fprintf(f, "special       pfns 0x%" PRIx64 "-0x%" PRIx64 " identity\n",
				r->pfn, r->pfn + r->count - 1);
		else
			fprintf(f, "special       pfns 0x%" PRIx64 "-0x%" PRIx64
				" foreign mfn 0x%" PRIx64 "\n", r->pfn, r->pfn + r->count - 1,
				r->mfn);
	}
	if (m->spec)
		fprintf(f, "p2m_identity  p2m page 0x%" PRIx64 " (pfns 0x%" PRIx64 "-0x%" PRIx64
			") maps the shared page\n", m->ident_leaf, m->ident_leaf * m->epp,
			(m->ident_leaf + 1) * m->epp - 1);
	for (unsigned k = 0; m->disagree && k < NDISAGREE; k++) {
		static const char *const what[] = { "remapped", "invalid", "mapped" };
		uint64_t p = m->dis_pfn[k];

		fprintf(f, "disagree      pfn 0x%" PRIx64 " list 0x%" PRIx64 " tree %s 0x%" PRIx64
			"\n", p, mfn_of(m, p), what[k], (uint64_t)(k == 1 ? INVALID_ENTRY : STALE_MFN_BASE + p));
	}

	fprintf(f, "\nstructural pages (pfn mfn kind arg):\n");
	for (uint32_t k = 0; k < m->nsp; k++) {
		counts[m->sp[k].kind]++;
		if (brief && k >= 16 && k + 4 < m->nsp)
			continue;
		fprintf(f, "  0x%" PRIx64 " 0x%" PRIx64 " %s %u%s\n", sp_pfn(m, k), m->sp_mfn[k],
			sp_label(m, m->sp[k].kind), m->sp[k].arg,
			m->sp[k].omitted ? " (not in the dump)" : "");
		if (brief && k == 15)
			fprintf(f, "  ...\n");
	}
	fprintf(f, "  totals:");
	for (int i = 0; i < SP_NKINDS; i++)
		if (counts[i])
			fprintf(f, " %s %u;", sp_label(m, i), counts[i]);
	if (m->pt) {
		uint32_t n;
		const uint8_t *t = proc_pts(m, &n);

		fprintf(f, "\n\nprocess page tables (pfn mfn process kind):\n");
		for (unsigned p = 0; p < PROC_N; p++)
			for (uint32_t i = 0; i < n; i++) {
				uint64_t pfn = proc_pt_pfn(m, p, t[i]);

				fprintf(f, "  0x%" PRIx64 " 0x%" PRIx64 " %u %s\n", pfn,
					mfn_of(m, pfn), p, proc_pt_name(m, t[i]));
			}
		fprintf(f, "  totals: %u a process, %u pages", n, PROC_N * n);
	}
	fprintf(f, "\n\nextents (pfn mfn count): %zu\n", m->n_ext);
	for (size_t x = 0; x < m->n_ext; x++) {
		if (m->n_ext > 40 && x >= 16 && x + 4 < m->n_ext) {
			if (x == 16)
				fprintf(f, "  ...\n");
			continue;
		}
		fprintf(f, "  0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n", m->ext[x].pfn,
			m->ext[x].mfn, m->ext[x].count);
	}
}
