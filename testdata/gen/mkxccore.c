// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mkxccore.c: writes synthetic, format-faithful Xen xc_core dumps ("xl
 * dump-core", ELF, and the older pre-ELF format) of 64-bit and 32-bit PAE
 * x86 PV guests and of HVM guests, the fixtures of xencore's tests.
 *
 * The guest is modelled the way a Linux PV guest lays out its memory: a
 * pfn->mfn map made of runs ("extents"), page tables that hold MFNs, a linear
 * p2m list mapped in the vmalloc area with Linux's shared p2m_missing pages
 * (arch/x86/xen/p2m.c), optionally the legacy 3-level tree, and a dump that
 * holds exactly the pages the model says are dumped.  The guest kernel's
 * image is modelled too (its own page tables inside the image, as in Linux,
 * and a few variables with known values), and a matching symbol-only vmlinux
 * and System.map can be written beside the dump.  testdata/README describes
 * every scenario and what is simplified.
 *
 * Format sources: Xen tools/libs/guest/xg_core.{c,h}, xg_core_x86.{c,h},
 * xen/include/public/{elfnote.h,xen.h,version.h,arch-x86/xen.h,
 * arch-x86/xen-x86_64.h,arch-x86/xen-x86_32.h}, docs/misc/dump-core-format.txt,
 * xen/arch/x86 arch_get_info_guest() (HVM contexts), the pre-ELF
 * tools/libxc/xc_core.c (before commit e3ce7ff90f) and crash's xendump.c
 * (which reads it); Linux
 * arch/x86/xen/{p2m.c,mmu_pv.c,enlighten*.c}, arch/x86/kernel/head_64.S,
 * arch/x86/kernel/vmlinux.lds.S, scripts/mksysmap; for pagetypes (struct
 * pages, mem_section, VMCOREINFO) the sources listed before pt_struct_page()
 * and makedumpfile 1.7.2's page classification.  Every multi-byte field
 * is written little-endian with put_le*(): nothing is ever cast onto a
 * buffer.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* pwrite, ftruncate, fdopen when built standalone */
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <libelf.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* ---- the guest model ---- */

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

/* ---- --describe ---- */

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

static void describe(const struct model *m, FILE *f)
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

/* ---- main ---- */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " --scenario NAME [OPTIONS] OUTPUT\n"
		"Write a synthetic Xen xc_core dump of an x86 guest (64-bit PV, 32-bit PAE PV\n"
		"or HVM).\n"
		"\n"
		"  --scenario NAME  good-linear, good-odd, good-nolinear, good-missing, scale,\n"
		"                   big, good-pae, good-hvm, tiny, tiny-hvm, pagetypes,\n"
		"                   pagetypes-pae\n"
		"  --bad KIND       hostile variant: truncate-pages, p2m-size, cr3-missing,\n"
		"                   noncanonical, hypervisor, wrap, not-xc-core, bad-magic,\n"
		"                   l4-loop, pages-offset, pt-missing, pt-self, cr3-zero,\n"
		"                   large-page, machine-386;\n"
		"                   the ELF header: elf-magic, elf-class32, elf-big-endian,\n"
		"                   elf-version, elf-not-core, elf-machine, shoff-past-end,\n"
		"                   shnum-past-end, shstrndx-bad, shentsize-bad, truncate-headers;\n"
		"                   sections: no-note-section, note-type, note-size-absurd,\n"
		"                   note-no-header, note-header-short, note-page-size,\n"
		"                   note-desc-past-section, no-pages-section, pages-unaligned,\n"
		"                   pages-short, p2m-past-end, two-p2m-sections, no-p2m-section,\n"
		"                   prstatus-entsize, prstatus-too-many, shared-info-size,\n"
		"                   p2m-duplicate-pfn, p2m-duplicate-mfn, sections-overlap;\n"
		"                   the guest's data: max-pfn-huge, p2m-maps-own-tables,\n"
		"                   all-one-mfn, root-twice, p2m-vaddr-kernel, p2m-mfn-huge,\n"
		"                   p2m-foreign-huge;\n"
		"                   pagetypes' kernel log: printk-size-huge, printk-ids-far,\n"
		"                   printk-lpos-outside; with --printk log_buf:\n"
		"                   log-buf-len-huge, log-buf-loop;\n"
		"                   with --legacy: ctxt-offset, index-size, legacy-nr-pages,\n"
		"                   legacy-index-past-end, legacy-pages-unaligned,\n"
		"                   legacy-zero-vcpus, legacy-too-many-vcpus, legacy-ctxt-array\n"
		"  --expect FILE    also write the true p2m as runs ('0xPFN 0xMFN N',\n"
		"                   '0xPFN invalid N', '0xPFN unknown N', '0xPFN identity N',\n"
		"                   '0xPFN foreign 0xMFN N')\n"
		"  --vmlinux FILE   also write the guest kernel's symbol-only vmlinux (ELF)\n"
		"  --system-map FILE  also write its System.map (`nm -n` format)\n"
		"  --bad-banner     the vmlinux's linux_banner differs from the dump's\n"
		"  --expect-symbols FILE  also write 'name 0xADDR SIZE [HEX]' per kernel\n"
		"                   symbol, HEX being the bytes the dump holds there\n"
		"  --expect-tree FILE  also write the p2m as the 3-level tree says it\n"
		"  --disagree       the tree is stale: it differs from the list in 3 pfns\n"
		"  --special-entries  identity and foreign p2m entries, a p2m_identity page\n"
		"  --legacy[=4|8]   write the pre-ELF xc_core format instead, with 4- or\n"
		"                   8-byte index entries (default: the guest's word)\n"
		"  --describe       print the guest model on stdout\n"
		"  --tree           also build the legacy 3-level p2m tree\n"
		"  --xen-order      section order and placement exactly as xg_core.c\n"
		"                   (.xen_pages, .xen_p2m, .shstrtab at the end)\n"
		"  --shuffle        .xen_p2m (and .xen_pages) in PRNG order, not by pfn\n"
		"  --max-pfn N      scale, big and pagetypes only: guest size in pfns\n"
		"                   (default 0x10000000 for scale, 0x1000000 for big);\n"
		"                   pagetypes: a multiple of 0x4000 up to 0x400000, its\n"
		"                   64 MiB layout repeated in every 0x4000 pfns\n"
		"  --max-run N      scale and big: runs of 1..N pfns (default 8191; 1:\n"
		"                   every pfn its own run, the most a p2m can have)\n"
		"  --seed N         PRNG seed (default 0x%llx)\n"
		"  --content KIND   data pages: pattern (default) or mixed (zero,\n"
		"                   compressible and random pages; big writes them all)\n"
		"  --memmap KIND    pagetypes: vmemmap (default; struct pages at\n"
		"                   0xffffea0000000000) or sparse (mem_map arrays in the\n"
		"                   direct map, no vmemmap_base)\n"
		"  --kernel VERSION pagetypes: the guest kernel, 6.1 (default) or 6.12\n"
		"                   (slabs and hugetlb pages as page types, 6.12 flag\n"
		"                   numbers and struct slab, no compound order in VMCOREINFO)\n"
		"  --expect-types FILE  pagetypes, pagetypes-pae: also write each pfn's page\n"
		"                   class as makedumpfile decides it ('0xPFN N CLASS[ zero]';\n"
		"                   CLASS kernel, cache, cache_private, user, free, hwpoison,\n"
		"                   offline, nomemmap or absent)\n"
		"  --native-vmcore FILE  pagetypes, pagetypes-pae: also write the guest as\n"
		"                   a native ELF vmcore (/proc/vmcore: x86_64, or i386 PAE),\n"
		"                   page tables holding pfns, for makedumpfile\n"
		"  --expect-pagetables FILE  pagetypes, pagetypes-pae: also write every\n"
		"                   page-table page a native export rewrites ('0xPFN 0xMFN\n"
		"                   LEVEL') and every entry it clears ('clear 0xPFN INDEX\n"
		"                   0xENTRY')\n"
		"  --whole-memmap   pagetypes, pagetypes-pae: dump the struct-page page\n"
		"                   the scenario otherwise leaves out (0x3fc1; PAE 0x3f80)\n"
		"  --printk KIND    pagetypes, pagetypes-pae: the kernel log, lockless (Linux\n"
		"                   5.10+ printk_ringbuffer; pagetypes' default) or log_buf\n"
		"                   (3.5-5.9 struct printk_log records; pagetypes-pae's)\n"
		"  --expect-dmesg FILE  pagetypes, pagetypes-pae: also write the log's\n"
		"                   readable records, one JSON object a line\n"
		"  --expect-stack FILE  pagetypes, pagetypes-pae: also write every kernel\n"
		"                   text address on the vcpus' stacks ('vcpu N 0xSLOT 0xVALUE\n"
		"                   NAME+0xOFF fp|-')\n"
		"  --shared-info    HVM scenarios: the guest mapped its shared_info page, so\n"
		"                   the dump has .xen_shared_info (arch_shared_info all zero)\n"
		"  --pad N          tot_pages N higher than the pages found (a live dump of a\n"
		"                   shrinking domain): N more entries ~0 at the end of\n"
		"                   .xen_p2m/.xen_pfn and N zero pages at the end of .xen_pages\n"
		"  --help           show this help\n"
		"\n"
		"The output is written to OUTPUT.tmp and renamed; see testdata/README.\n",
		(unsigned long long)DEFAULT_SEED);
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/* Usage checks of --special-entries, --disagree and --expect-tree; 0 or 2. */
static int check_feature_args(const struct options *o)
{
	const struct scenario *sc = find_scenario(o->scenario);
	const struct scenario_extra *x = find_extra(o->scenario);

	if (o->special && !x) {
		fail("--special-entries applies to the good-* PV scenarios only");
		return 2;
	}
	if (o->disagree && (!x || !x->dis[0])) {
		fail("--disagree needs a scenario with a linear list and no missing pages "
		     "(good-linear, good-odd, good-pae)");
		return 2;
	}
	if (o->expect_tree && (!x || !(sc->tree || o->tree || o->disagree || !sc->p2m_vaddr))) {
		fail("--expect-tree needs the 3-level tree (--tree, or a scenario that has it)");
		return 2;
	}
	if (sc->guest == GUEST_HVM && !o->shared_info &&
	    (o->bad == BAD_SHARED_INFO_SIZE || o->bad == BAD_MAX_PFN_HUGE)) {
		fail("%s has no .xen_shared_info: --bad %s does not apply", sc->name,
		     bad_names[o->bad]);
		return 2;
	}
	if (sc->guest == GUEST_HVM && o->bad == BAD_MAX_PFN_HUGE) {
		fail("an HVM guest's arch_shared_info is all zero: --bad %s does not apply",
		     bad_names[o->bad]);
		return 2;
	}
	if (o->shared_info && sc->guest != GUEST_HVM) {
		fail("--shared-info applies to HVM scenarios (good-hvm, tiny-hvm); PV dumps "
		     "always have .xen_shared_info");
		return 2;
	}
	if (o->pad && (sc->sparse || !sc->ext || o->legacy || o->bad == BAD_NOT_XC_CORE)) {
		fail("--pad applies to ELF xc_core dumps of scenarios that dump every page "
		     "(not scale, big or --legacy)");
		return 2;
	}
	if (sc->guest == GUEST_HVM &&
	    (o->tree || o->bad == BAD_CR3_MISSING || o->bad == BAD_NONCANONICAL ||
	     o->bad == BAD_HYPERVISOR || o->bad == BAD_WRAP || o->bad == BAD_L4_LOOP ||
	     o->bad == BAD_P2M_OWN_TABLES || o->bad == BAD_ALL_ONE_MFN ||
	     o->bad == BAD_ROOT_TWICE || o->bad == BAD_P2M_VADDR_KERNEL ||
	     o->bad == BAD_P2M_DUP_MFN)) {
		if (o->tree)
			fail("%s has no p2m of its own: --tree does not apply", sc->name);
		else
			fail("%s has no p2m of its own: --bad %s does not apply", sc->name,
			     bad_names[o->bad]);
		return 2;
	}
	if (sc->guest == GUEST_PAE &&
	    (o->bad == BAD_NONCANONICAL || o->bad == BAD_L4_LOOP || o->bad == BAD_MAX_PFN_HUGE)) {
		fail("--bad %s is for 64-bit guests", bad_names[o->bad]);
		return 2;
	}
	if ((o->bad == BAD_P2M_MFN_HUGE || o->bad == BAD_P2M_FOREIGN_HUGE) &&
	    sc->guest != GUEST_PV64) {
		fail("--bad %s applies to 64-bit PV scenarios (a 32-bit entry names no frame past 2^40)",
		     bad_names[o->bad]);
		return 2;
	}
	if ((o->bad == BAD_P2M_MFN_HUGE || o->bad == BAD_P2M_FOREIGN_HUGE) && !sc->ext) {
		fail("--bad %s does not apply to scale or big (their p2m pages are generated whole)",
		     bad_names[o->bad]);
		return 2;
	}
	if (o->bad == BAD_MACHINE_386 && sc->guest != GUEST_PV64) {
		fail("--bad machine-386 applies to 64-bit PV scenarios");
		return 2;
	}
	if ((o->bad == BAD_CTXT_OFFSET || o->bad == BAD_INDEX_SIZE ||
	     (o->bad >= BAD_LEGACY_NR_PAGES && o->bad <= BAD_LEGACY_CTXT_ARRAY)) && !o->legacy) {
		fail("--bad %s applies to --legacy dumps", bad_names[o->bad]);
		return 2;
	}
	/* big streams .xen_p2m and has no table to damage; scale dumps no data page. */
	if (sc->sparse && (o->bad == BAD_P2M_DUP_PFN || o->bad == BAD_P2M_DUP_MFN ||
			   o->bad == BAD_ROOT_TWICE)) {
		fail("--bad %s does not apply to big", bad_names[o->bad]);
		return 2;
	}
	if (!sc->ext && !sc->sparse && o->bad == BAD_ROOT_TWICE) {
		fail("--bad root-twice needs a dumped data page; scale has none");
		return 2;
	}
	if (o->legacy) {
		static const enum bad_kind ok[] = {
			BAD_NONE, BAD_TRUNCATE_PAGES, BAD_MAGIC, BAD_PAGES_OFFSET, BAD_PT_MISSING,
			BAD_PT_SELF, BAD_CR3_ZERO, BAD_LARGE_PAGE, BAD_CTXT_OFFSET, BAD_INDEX_SIZE,
			BAD_LEGACY_NR_PAGES, BAD_LEGACY_INDEX_PAST_END, BAD_LEGACY_PAGES_UNALIGNED,
			BAD_LEGACY_ZERO_VCPUS, BAD_LEGACY_TOO_MANY_VCPUS, BAD_LEGACY_CTXT_ARRAY,
			BAD_P2M_DUP_MFN, BAD_P2M_OWN_TABLES, BAD_ALL_ONE_MFN,
			BAD_P2M_MFN_HUGE, BAD_P2M_FOREIGN_HUGE,
		};
		bool bad_ok = false;

		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			bad_ok = bad_ok || o->bad == ok[i];
		/* A reader finds the p2m through xen_p2m_addr: a linear list is needed. */
		if (!sc->ext || !sc->p2m_vaddr || sc->missing || sc->guest == GUEST_HVM) {
			fail("--legacy applies to good-linear, good-odd and good-pae");
			return 2;
		}
		if (o->xen_order || o->shuffle) {
			fail("--xen-order and --shuffle are for ELF dumps; --legacy has its own order");
			return 2;
		}
		if (!bad_ok) {
			fail("--bad %s does not apply to --legacy dumps", bad_names[o->bad]);
			return 2;
		}
	}
	return 0;
}

/* --pad: at most 1 GiB of zero pages */
#define PAD_MAX		0x40000u

/* Parses the command line; returns 0, or the exit status to leave with. */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum { O_SCENARIO = 256, O_BAD, O_EXPECT, O_DESCRIBE, O_TREE, O_XEN_ORDER, O_SHUFFLE,
	       O_MAX_PFN, O_MAX_RUN, O_SEED, O_HELP, O_VMLINUX, O_SYSTEM_MAP, O_BAD_BANNER, O_EXPECT_SYMBOLS,
	       O_EXPECT_TREE, O_DISAGREE, O_SPECIAL, O_LEGACY, O_CONTENT, O_MEMMAP,
	       O_EXPECT_TYPES, O_NATIVE_VMCORE, O_KERNEL, O_EXPECT_PAGETABLES, O_WHOLE_MEMMAP,
	       O_PRINTK, O_EXPECT_DMESG, O_EXPECT_STACK, O_SHARED_INFO, O_PAD };
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, O_SCENARIO },
		{ "bad", required_argument, NULL, O_BAD },
		{ "expect", required_argument, NULL, O_EXPECT },
		{ "describe", no_argument, NULL, O_DESCRIBE },
		{ "tree", no_argument, NULL, O_TREE },
		{ "xen-order", no_argument, NULL, O_XEN_ORDER },
		{ "shuffle", no_argument, NULL, O_SHUFFLE },
		{ "max-pfn", required_argument, NULL, O_MAX_PFN },
		{ "max-run", required_argument, NULL, O_MAX_RUN },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, O_HELP },
		{ "vmlinux", required_argument, NULL, O_VMLINUX },
		{ "system-map", required_argument, NULL, O_SYSTEM_MAP },
		{ "bad-banner", no_argument, NULL, O_BAD_BANNER },
		{ "expect-symbols", required_argument, NULL, O_EXPECT_SYMBOLS },
		{ "expect-tree", required_argument, NULL, O_EXPECT_TREE },
		{ "disagree", no_argument, NULL, O_DISAGREE },
		{ "special-entries", no_argument, NULL, O_SPECIAL },
		{ "legacy", optional_argument, NULL, O_LEGACY },
		{ "content", required_argument, NULL, O_CONTENT },
		{ "memmap", required_argument, NULL, O_MEMMAP },
		{ "kernel", required_argument, NULL, O_KERNEL },
		{ "expect-types", required_argument, NULL, O_EXPECT_TYPES },
		{ "native-vmcore", required_argument, NULL, O_NATIVE_VMCORE },
		{ "whole-memmap", no_argument, NULL, O_WHOLE_MEMMAP },
		{ "expect-pagetables", required_argument, NULL, O_EXPECT_PAGETABLES },
		{ "printk", required_argument, NULL, O_PRINTK },
		{ "expect-dmesg", required_argument, NULL, O_EXPECT_DMESG },
		{ "expect-stack", required_argument, NULL, O_EXPECT_STACK },
		{ "shared-info", no_argument, NULL, O_SHARED_INFO },
		{ "pad", required_argument, NULL, O_PAD },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->seed = DEFAULT_SEED;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case O_SCENARIO:
			o->scenario = optarg;
			break;
		case O_BAD:
			o->bad = BAD_NONE;
			for (size_t i = 1; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
				if (!strcmp(optarg, bad_names[i]))
					o->bad = (enum bad_kind)i;
			if (o->bad == BAD_NONE) {
				fail("unknown --bad kind '%s'", optarg);
				return 2;
			}
			break;
		case O_EXPECT:
			o->expect = optarg;
			break;
		case O_DESCRIBE:
			o->describe = true;
			break;
		case O_TREE:
			o->tree = true;
			break;
		case O_XEN_ORDER:
			o->xen_order = true;
			break;
		case O_SHUFFLE:
			o->shuffle = true;
			break;
		case O_MAX_PFN:
			if (!parse_u64(optarg, &o->max_pfn)) {
				fail("bad --max-pfn '%s'", optarg);
				return 2;
			}
			break;
		case O_MAX_RUN:
			if (!parse_u64(optarg, &o->max_run) || !o->max_run || o->max_run > 8191) {
				fail("bad --max-run '%s' (1 to 8191)", optarg);
				return 2;
			}
			break;
		case O_SEED:
			if (!parse_u64(optarg, &o->seed)) {
				fail("bad --seed '%s'", optarg);
				return 2;
			}
			break;
		case O_VMLINUX:
			o->vmlinux = optarg;
			break;
		case O_SYSTEM_MAP:
			o->system_map = optarg;
			break;
		case O_BAD_BANNER:
			o->bad_banner = true;
			break;
		case O_EXPECT_SYMBOLS:
			o->expect_symbols = optarg;
			break;
		case O_EXPECT_TREE:
			o->expect_tree = optarg;
			break;
		case O_DISAGREE:
			o->disagree = true;
			break;
		case O_SPECIAL:
			o->special = true;
			break;
		case O_LEGACY:
			o->legacy = !optarg ? 1 : !strcmp(optarg, "4") ? 4 : !strcmp(optarg, "8") ? 8 : 0;
			if (!o->legacy) {
				fail("bad --legacy '%s' (4 or 8)", optarg);
				return 2;
			}
			break;
		case O_CONTENT:
			if (strcmp(optarg, "pattern") != 0 && strcmp(optarg, "mixed") != 0) {
				fail("bad --content '%s' (pattern or mixed)", optarg);
				return 2;
			}
			o->mixed = !strcmp(optarg, "mixed");
			break;
		case O_MEMMAP:
			o->memmap = !strcmp(optarg, "vmemmap") ? MEMMAP_VMEMMAP :
				    !strcmp(optarg, "sparse") ? MEMMAP_SPARSE : 0;
			if (!o->memmap) {
				fail("bad --memmap '%s' (vmemmap or sparse)", optarg);
				return 2;
			}
			break;
		case O_KERNEL:
			if (strcmp(optarg, "6.1") && strcmp(optarg, "6.12")) {
				fail("bad --kernel '%s' (6.1 or 6.12)", optarg);
				return 2;
			}
			o->k612 = !strcmp(optarg, "6.12");
			break;
		case O_EXPECT_TYPES:
			o->expect_types = optarg;
			break;
		case O_NATIVE_VMCORE:
			o->native_vmcore = optarg;
			break;
		case O_EXPECT_PAGETABLES:
			o->expect_pagetables = optarg;
			break;
		case O_WHOLE_MEMMAP:
			o->whole_memmap = true;
			break;
		case O_PRINTK:
			o->printk = !strcmp(optarg, "lockless") ? PRINTK_LOCKLESS :
				    !strcmp(optarg, "log_buf") ? PRINTK_LOGBUF : PRINTK_NONE;
			if (!o->printk) {
				fail("bad --printk '%s' (lockless or log_buf)", optarg);
				return 2;
			}
			break;
		case O_EXPECT_DMESG:
			o->expect_dmesg = optarg;
			break;
		case O_EXPECT_STACK:
			o->expect_stack = optarg;
			break;
		case O_SHARED_INFO:
			o->shared_info = true;
			break;
		case O_PAD:
			if (!parse_u64(optarg, &o->pad) || o->pad > PAD_MAX) {
				fail("bad --pad '%s' (0 to %u pages)", optarg, PAD_MAX);
				return 2;
			}
			break;
		case O_HELP:
			usage(stdout);
			exit(0);
		default:
			fputs("Try '" PROG " --help'.\n", stderr);
			return 2;
		}
	}
	if (!o->scenario || optind != argc - 1) {
		fail(!o->scenario ? "--scenario is required" : "exactly one OUTPUT is required");
		fputs("Try '" PROG " --help'.\n", stderr);
		return 2;
	}
	o->output = argv[optind];
	if (!find_scenario(o->scenario)) {
		fail("unknown scenario '%s'", o->scenario);
		return 2;
	}
	if (o->max_pfn && !strcmp(o->scenario, "pagetypes")) {
		if (o->max_pfn < PT_BLOCK_PFNS || o->max_pfn > PT_MAX_PFN_MAX ||
		    o->max_pfn % PT_BLOCK_PFNS) {
			fail("--max-pfn for pagetypes must be a multiple of 0x%llx between 0x%llx "
			     "and 0x%llx", (unsigned long long)PT_BLOCK_PFNS,
			     (unsigned long long)PT_BLOCK_PFNS, (unsigned long long)PT_MAX_PFN_MAX);
			return 2;
		}
	} else if (o->max_run && strcmp(o->scenario, "scale") != 0 &&
		   strcmp(o->scenario, "big") != 0) {
		fail("--max-run applies to the scale and big scenarios only");
		return 2;
	} else if (o->max_pfn && strcmp(o->scenario, "scale") != 0 &&
		   strcmp(o->scenario, "big") != 0) {
		fail("--max-pfn applies to the scale, big and pagetypes scenarios only");
		return 2;
	} else if (o->max_pfn) {
		uint64_t max = strcmp(o->scenario, "big") ? SCALE_MAX_PFN_MAX : BIG_MAX_PFN_MAX;

		if (o->max_pfn < SCALE_MAX_PFN_MIN || o->max_pfn > max) {
			fail("--max-pfn must be between 0x%llx and 0x%llx",
			     (unsigned long long)SCALE_MAX_PFN_MIN, (unsigned long long)max);
			return 2;
		}
	}
	/* Shuffling would need a per-page table; big streams .xen_p2m instead. */
	if (o->shuffle && !strcmp(o->scenario, "big")) {
		fail("--shuffle does not apply to big (its .xen_p2m is streamed in pfn order)");
		return 2;
	}
	if (!strcmp(o->scenario, "good-nolinear") &&
	    (o->bad == BAD_CR3_MISSING || o->bad == BAD_NONCANONICAL || o->bad == BAD_HYPERVISOR ||
	     o->bad == BAD_WRAP || o->bad == BAD_L4_LOOP || o->bad == BAD_P2M_OWN_TABLES ||
	     o->bad == BAD_P2M_VADDR_KERNEL)) {
		fail("--bad %s needs a linear p2m list; good-nolinear has none", bad_names[o->bad]);
		return 2;
	}
	/* scale's image is mapped but not modelled (its data pages are not dumped). */
	if ((o->vmlinux || o->system_map || o->expect_symbols) && !strcmp(o->scenario, "scale")) {
		fail("--vmlinux, --system-map and --expect-symbols need a scenario with a "
		     "kernel image; scale has none");
		return 2;
	}
	if (o->mixed && !strcmp(o->scenario, "scale")) {
		fail("--content mixed needs a scenario that dumps data pages; scale has none");
		return 2;
	}
	if (o->bad_banner && !o->vmlinux && !o->system_map) {
		fail("--bad-banner applies to --vmlinux and --system-map");
		return 2;
	}
	if ((o->memmap || o->k612 || o->expect_types || o->native_vmcore ||
	     o->expect_pagetables || o->whole_memmap) && !find_scenario(o->scenario)->pagetypes) {
		fail("--memmap, --kernel, --expect-types, --native-vmcore, --expect-pagetables "
		     "and --whole-memmap apply to pagetypes");
		return 2;
	}
	if ((o->printk || o->expect_dmesg || o->expect_stack) &&
	    !find_scenario(o->scenario)->pagetypes) {
		fail("--printk, --expect-dmesg and --expect-stack apply to pagetypes and "
		     "pagetypes-pae");
		return 2;
	}
	if (o->bad >= BAD_PRINTK_SIZE_HUGE && o->bad <= BAD_LOG_BUF_LOOP) {
		bool logbuf = o->bad >= BAD_LOG_BUF_LEN_HUGE;

		if (strcmp(o->scenario, "pagetypes") != 0 ||
		    (logbuf ? o->printk != PRINTK_LOGBUF : o->printk == PRINTK_LOGBUF)) {
			fail("--bad %s applies to pagetypes with --printk %s", bad_names[o->bad],
			     logbuf ? "log_buf" : "lockless (the default)");
			return 2;
		}
	}
	/*
	 * pagetypes-pae: always classic SPARSEMEM and a 6.1 kernel (no
	 * distribution builds 6.12 for 32-bit PV).
	 */
	if ((o->memmap || o->k612) && find_scenario(o->scenario)->pagetypes &&
	    find_scenario(o->scenario)->guest == GUEST_PAE) {
		fail("--memmap and --kernel apply to pagetypes, not %s", o->scenario);
		return 2;
	}
	return check_feature_args(o);
}

/* Opens PATH.tmp for writing; *tmp_ret is malloc'd. */
static int open_tmp(const char *path, char **tmp_ret)
{
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	int fd;

	if (!tmp)
		return fail("out of memory");
	snprintf(tmp, n, "%s.tmp", path);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	*tmp_ret = tmp;
	return fd;
}

static int finish_tmp(int fd, char *tmp, const char *path, int ok)
{
	if (close(fd) != 0 && ok == 0)
		ok = fail("%s: close: %s", tmp, strerror(errno));
	if (ok == 0 && rename(tmp, path) != 0)
		ok = fail("%s: rename: %s", path, strerror(errno));
	if (ok != 0)
		unlink(tmp);
	free(tmp);
	return ok;
}

/* Writes a text file (--expect, --system-map, --expect-symbols) through PATH.tmp. */
static int write_text_file(const struct model *m, const char *path,
			   int (*fn)(const struct model *, FILE *))
{
	char *tmp;
	int fd = open_tmp(path, &tmp), ok;
	FILE *f;

	if (fd < 0)
		return -1;
	f = fdopen(dup(fd), "w");
	if (!f) {
		ok = fail("%s: %s", tmp, strerror(errno));
	} else {
		ok = fn(m, f);
		if (fclose(f) != 0)
			ok = -1;
		if (ok)
			fail("%s: write failed", tmp);
	}
	return finish_tmp(fd, tmp, path, ok);
}

/* --native-vmcore FILE, through FILE.tmp. */
static int write_native_file(const struct model *m, const char *path)
{
	char *tmp;
	int fd = open_tmp(path, &tmp);

	if (fd < 0)
		return -1;
	return finish_tmp(fd, tmp, path, write_native_vmcore(m, fd, tmp));
}

static int write_vmlinux_file(const char *path, bool bad_banner, const struct kabi *ka)
{
	char *tmp;
	int fd = open_tmp(path, &tmp);

	if (fd < 0)
		return -1;
	return finish_tmp(fd, tmp, path, write_vmlinux(fd, bad_banner, ka));
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct model m = { 0 };
	char *tmp;
	int rc, fd, ok;

	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fail_elf("elf_version");
		return 1;
	}
	if (build_model(&m, &o) || build_dump_index(&m)) {
		model_free(&m);
		return 1;
	}

	fd = open_tmp(o.output, &tmp);
	if (fd < 0) {
		model_free(&m);
		return 1;
	}
	if (m.bad == BAD_NOT_XC_CORE)
		ok = write_not_xc_core(fd);
	else if (m.legacy)
		ok = write_legacy(&m, fd, tmp);
	else
		ok = write_dump(&m, fd, o.xen_order, tmp);
	if (finish_tmp(fd, tmp, o.output, ok) != 0 ||
	    (o.expect && write_text_file(&m, o.expect, write_expect_list) != 0) ||
	    (o.expect_tree && write_text_file(&m, o.expect_tree, write_expect_tree) != 0) ||
	    (o.vmlinux && write_vmlinux_file(o.vmlinux, o.bad_banner, m.ka) != 0) ||
	    (o.system_map && write_text_file(&m, o.system_map, write_system_map) != 0) ||
	    (o.expect_symbols &&
	     write_text_file(&m, o.expect_symbols, write_expect_symbols) != 0) ||
	    (o.expect_types && write_text_file(&m, o.expect_types, write_expect_types) != 0) ||
	    (o.native_vmcore && write_native_file(&m, o.native_vmcore) != 0) ||
	    (o.expect_pagetables &&
	     write_text_file(&m, o.expect_pagetables, write_expect_pagetables) != 0) ||
	    (o.expect_dmesg && write_text_file(&m, o.expect_dmesg, write_expect_dmesg) != 0) ||
	    (o.expect_stack && write_text_file(&m, o.expect_stack, write_expect_stack) != 0)) {
		model_free(&m);
		return 1;
	}
	if (o.describe) {
		describe(&m, stdout);
		if (fflush(stdout) != 0) {
			model_free(&m);
			return 1;
		}
	}
	model_free(&m);
	return 0;
}
