/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pagetypes.h: what the parts of --scenario pagetypes and pagetypes-pae
 * share: the guest's user processes (procs.c), its struct pages and
 * mem_section (memmap.c), its kernel log and stacks (printk.c), its
 * native export (native.c).
 */
#ifndef MKXCCORE_PAGETYPES_H
#define MKXCCORE_PAGETYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

/* ---- places in the pagetypes guest ---- */

#define PT_ROOTS_PFN		0x3f00ULL	/* pagetypes: mem_section's roots array */
#define PT_VMCOREINFO_PFN	0x3f21ULL	/* pagetypes: the VMCOREINFO text */
#define PK_TEXT_PFN		0x33feULL	/* the text ring or the log_buf buffer, 2 pages */

/* ---- memmap.c: struct pages, mem_section, VMCOREINFO ---- */

/*
 * SECTION_SIZE_BITS is 27 on x86_64 and 29 on i386 PAE; 24 here, so that
 * 64 MiB span four sections.  MAX_PHYSMEM_BITS 46 (4-level paging) or 36
 * (PAE).  struct mem_section (section_mem_map, usage) is two words.
 * x86_64 (SPARSEMEM_EXTREME): NR_SECTION_ROOTS = 2^(46-24) sections /
 * (4096 / 16) per root = 16384 root pointers.  i386 (SPARSEMEM_STATIC,
 * SECTIONS_PER_ROOT 1): NR_SECTION_ROOTS = 2^(36-24) = 4096 sections of
 * 8 bytes, the array in the kernel's .bss.
 */
#define PT_SECTION_SIZE_BITS	24
#define PT_SECTION_PFNS		(1u << (PT_SECTION_SIZE_BITS - PAGE_SHIFT))
#define PT_ROOTS_PAGES		32u	/* x86_64: 16384 root pointers */
#define PT_ROOT0_PFN		0x3f20ULL	/* mem_section[0]: sections 0-255 */
#define PT_MEMMAP_PFN		0x3f40ULL	/* the struct pages, 64 (PAE 32) pages a section */
#define PT_NR_PRESENT		3u
#define PT_ROOT_SECTIONS	256u	/* SECTIONS_PER_ROOT: 4096 / 16 */
#define PT_ROOT_PFNS		((uint64_t)PT_ROOT_SECTIONS * PT_SECTION_PFNS)
struct pgs_layout {
	uint32_t size, word;
	uint32_t lru, head, dtor, order, cmapcount, cpincount, cnr;	/* cnr 0: none */
	uint32_t mapping, index, priv, mapcount, refcount;
	/* poison.h TAIL_MAPPING: 0x400 + POISON_POINTER_DELTA (x86_64 0xdead000000000000, i386 0) */
	uint64_t tail_mapping;
};

const struct pgs_layout *pgs_of(bool is32);
uint32_t pgs_size(const struct model *m);
uint64_t pt_memmap_pages(const struct model *m);
uint64_t pt_memmap_page(const struct model *m, uint64_t pfn);
uint64_t pt_undumped_pfn(const struct model *m);
bool pt_is_undumped(const struct model *m, uint64_t pfn);
uint64_t pt_direct(const struct model *m, uint64_t pfn, uint64_t off);
uint64_t pt_page_va(const struct model *m, uint64_t pfn);
uint64_t pt_mem_section(const struct model *m);
uint32_t pt_nr_section_roots(const struct model *m);
void pgd_list_words(const struct model *m, const struct kabi *ka, uint8_t *out);
size_t pt_vmcoreinfo(const struct model *m, char *b, size_t size, bool crash);
bool gen_pt_page(const struct model *m, uint64_t pfn, uint8_t *pg);
int check_pagetypes(const struct model *m);
int write_expect_types(const struct model *m, FILE *f);

/* ---- procs.c: the guest's user processes ---- */

#define PROC_N			2u
/* The anonymous pages: text PROC_ANON_PFN + 0x10 p + i, stack + 8. */
#define PROC_ANON_PFN		0xa10ULL
#define PROC_PAGES		3u	/* text pages from the text va, stack pages from the stack va */
#define PROC_TEXT_VA		0x400000ULL
#define PROC_STACK_VA		0x7fffffffc000ULL	/* [stack] 0x7ffffffde000-0x7ffffffff000 */
#define PROC_FOREIGN_VA		0x500000ULL	/* an mmap() of /dev/xen/gntdev */
#define PROC_TEXT_VA32		0x08048000ULL
#define PROC_MMAP_VA32		0x40000000ULL
#define PROC_STACK_VA32		0xbfffc000ULL	/* [stack] 0xbffde000-0xbffff000 */
#define PROC_FOREIGN_VA32	0x40003000ULL
/* Another domain's machine frame, granted to process 0: not a frame of the guest. */
#define PROC_FOREIGN_MFN	0x83f300ULL
/* Process 0's swapped-out stack page: the page below the mapped ones. */
#define PROC_SWAP_TYPE		0u
#define PROC_SWAP_OFFSET	0x3100u
/* pgd_list's place in .data (image page KP_VARS2), 64-bit and PAE */
#define PGD_LIST_OFF		(PG(KP_VARS2) + 0x80)

/* A process page table's kind (its place in its process's PROC_PT_STRIDE pfns). */
enum proc_pt {
	PPT_PGD,		/* mm->pgd: an L4 (64-bit), the PDPT (PAE) */
	PPT_UPGD,		/* 64-bit: the user pgd of xen_pgd_alloc(), an L4 */
	PPT_L3_TEXT,		/* 64-bit */
	PPT_L2_TEXT,		/* PAE: pmd 0 */
	PPT_L1_TEXT,
	PPT_L3_STACK,		/* 64-bit */
	PPT_L2_STACK,		/* PAE: pmd 2 */
	PPT_L1_STACK,
	PPT_L2_MMAP,		/* PAE: pmd 1 */
	PPT_L1_MMAP,		/* PAE */
	PPT_KPMD,		/* PAE: pmd 3, the process's copy of the kernel pmd */
};

const uint8_t *proc_pts(const struct model *m, uint32_t *n);
const char *proc_pt_name(const struct model *m, unsigned kind);
uint64_t proc_pt_pfn(const struct model *m, unsigned p, unsigned kind);
bool proc_pt_of_pfn(const struct model *m, uint64_t pfn, unsigned *p, unsigned *kind);
uint64_t swp_pte(uint64_t type, uint64_t offset);
void gen_proc_page(const struct model *m, unsigned p, unsigned kind, uint8_t *pg);
uint64_t vcpu_root_mfn(const struct model *m, unsigned v, bool user);

/* ---- printk.c: the kernel log and the stacks ---- */

struct text;

int pk_build(struct model *m);
void pk_vmcoreinfo(const struct model *m, struct text *t);
void pk_prb_bytes(const struct model *m, uint8_t *out);
uint32_t pk_log_buf_len(const struct model *m);
uint64_t pk_log_var(const struct model *m, const char *name);
bool pk_page(const struct model *m, uint64_t pfn, uint8_t *pg);
bool pk_stack_page(const struct model *m, uint64_t pfn, uint64_t mfn, uint8_t *pg);
uint64_t pk_vcpu_rsp(const struct model *m, unsigned v);
uint64_t pk_vcpu_rbp(const struct model *m, unsigned v);
int write_expect_dmesg(const struct model *m, FILE *f);
int write_expect_stack(const struct model *m, FILE *f);

/* ---- native.c: --native-vmcore, --expect-pagetables ---- */

int write_native_vmcore(const struct model *m, int fd, const char *path);
int write_expect_pagetables(const struct model *m0, FILE *f);

#endif /* MKXCCORE_PAGETYPES_H */
