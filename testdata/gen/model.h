/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * model.h: mkxccore's guest model, shared by all its parts: the formats'
 * and the guest's constants, the model of a guest (struct model) and the
 * scenarios and options it is built from.
 */
#ifndef MKXCCORE_MODEL_H
#define MKXCCORE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PAGE_SIZE	4096u
#define PAGE_SHIFT	12
/* u64 entries per page: p2m entries (Linux p2m.c P2M_PER_PAGE), PTEs, MFNs. */
#define ENTRIES		512u
#define ENTRIES_MAX	1024u	/* u32 p2m entries or MFNs per page of a 32-bit guest */
#define INVALID_ENTRY	UINT64_MAX	/* Linux INVALID_P2M_ENTRY, xg_core.h XC_CORE_INVALID_GMFN */
#define VA_MASK		0x0000ffffffffffffULL	/* xg_core_x86.c: 4-level va mask */

/* xg_private.h: XC_CORE_MAGIC (PV; HVM is 0xF00FEBEE) */
#define XC_CORE_MAGIC		0xF00FEBEDULL

/* arch-x86/xen-x86_64.h: struct vcpu_guest_context, 64-bit layout. */
#define VGC_SIZE		5168u
#define NR_VCPUS		2u
/* vcpu v's rip, from the image's start: in __schedule (vcpu 0) or default_idle (1) */
#define VCPU_RIP_OFF(v)		((v) ? 0x2f1b2u : 0x1c3a0u)

/* Page-table entry bits (x86 PTE; Linux pgtable_types.h names). */
#define PTE_NX			(1ULL << 63)
/*
 * present|rw|user|accessed|dirty: Linux _PAGE_TABLE / _KERNPG_TABLE plus
 * _PAGE_USER, which Xen sets on every 64-bit PV kernel mapping (the kernel
 * runs in ring 3).
 */
#define PTE_TABLE		0x67ULL
/* A PAE L3 (PDPT) entry: present only; bits 1-2 and 5-8 are reserved there. */
#define PTE_PAE_L3		0x1ULL

/* The flags of the guest's own entries, per kind of guest. */
struct pte_flags {
	uint64_t table;		/* an entry naming a lower table */
	uint64_t p2m_page;	/* a real p2m page of the list */
	uint64_t p2m_shared;	/* p2m_missing / p2m_identity, read-only */
	uint64_t text;		/* a kernel image page */
	uint64_t pt_ro;		/* a kernel image page that is a page table */
};

/* Guest virtual layout (Linux x86_64, FORMATS.md). */
#define KERNEL_TEXT_VA		0xffffffff81000000ULL	/* __START_KERNEL_map + 16 MiB */
#define KERNEL_TEXT_PFN		0x1000u			/* the kernel is loaded at 16 MiB */
#define KERNEL_TEXT_PAGES	64u
#define START_KERNEL_MAP	0xffffffff80000000ULL	/* __START_KERNEL_map, phys_base 0 */
#define PAGE_OFFSET_BASE	0xffff888000000000ULL	/* direct map (4.20+, no KASLR for PV) */
#define VMALLOC_START		0xffffc90000000000ULL
/* vmemmap_base (pgtable_64_types.h __VMEMMAP_BASE_L4; PV: no KASLR): L4 slot 468 */
#define VMEMMAP_BASE		0xffffea0000000000ULL
/*
 * 32-bit PAE guests (Linux arch/x86/include/asm/page_32_types.h,
 * pgtable_32_areas.h; Xen xen-x86_32.h): PAGE_OFFSET 0xc0000000, the kernel
 * loaded at 16 MiB so its image is at 0xc1000000, Xen's range from
 * 0xf5800000 (HYPERVISOR_VIRT_START_PAE; Xen's L2 slots 428-511 of the
 * kernel pmd), the vmalloc area below it.  The list is 4 MiB aligned
 * (p2m.c: PMD_SIZE * PMDS_PER_MID_PAGE) in the vmalloc area.
 */
#define PAGE_OFFSET32		0xc0000000ULL
#define KERNEL_TEXT_VA32	0xc1000000ULL
#define HYPERVISOR_VIRT_START32	0xf5800000ULL
#define XEN_PAE_L2_FIRST	428u	/* l2_table_offset(HYPERVISOR_VIRT_START_PAE) */
#define HYPERVISOR_VIRT_START	0xffff800000000000ULL	/* xg_core_x86.c */
/* Xen's L4 slots in every 64-bit PV L4 (Xen mm.c init_xen_l4_slots). */
#define XEN_SLOT_FIRST		256u
#define XEN_SLOT_LAST		271u

/*
 * The kernel image, page by page (index i: virtual KERNEL_TEXT_VA + i * 4096,
 * pfn KERNEL_TEXT_PFN + i).  The order is vmlinux.lds.S's: .text, .rodata,
 * .data (head_64.S puts init_top_pgt, level3_kernel_pgt and
 * level2_kernel_pgt there, page aligned), .bss, _end; then what Xen's domain
 * builder places after the kernel and Linux keeps: start_info, the xenstore
 * and console rings, and the boot page tables at start_info.pt_base, whose L1
 * still maps the kernel (mmu_pv.c xen_setup_kernel_pagetable() copies Xen's
 * L2 into level2_kernel_pgt, so the L1s stay Xen's).
 */
#define KP_TEXT_END		0x30u	/* .text 0x00-0x2f (_etext) */
#define KP_RODATA		0x30u	/* .rodata: linux_banner */
#define KP_ROOT			0x31u	/* .data starts: init_top_pgt, the L4 */
#define KP_KL3			0x32u	/* level3_kernel_pgt */
#define KP_KL2			0x33u	/* level2_kernel_pgt */
#define KP_VARS			0x34u	/* init_uts_ns, jiffies, first half of xencore_straddle */
#define KP_VARS2		0x35u	/* second half of xencore_straddle, xen_p2m_* */
#define KP_BSS			0x36u	/* .bss 0x36-0x3b: xen_start_info, xen_dummy_shared_info */
#define KP_STACK0		0x39u	/* vcpu v's stack top is page KP_STACK0 + 2v (in .bss) */
#define KP_END			0x3cu	/* _end */
#define KP_START_INFO		0x3cu	/* Xen's start_info page */
#define KP_XENSTORE		0x3du	/* xenstore ring (start_info.store_mfn) */
#define KP_CONSOLE		0x3eu	/* console ring (start_info.console.domU.mfn) */
#define KP_XEN_PAGES		4u	/* start_info, the two rings, the L1: the image's last pages */
/*
 * pagetypes-pae: its kernel's .bss ends with the static mem_section array
 * (32 KiB), so its image has these pages more before Xen's four.
 */
#define PT32_MEM_SECTION_PAGES	8u
/*
 * The kernel extent is two MFN runs split at this page: xencore_straddle
 * lies across the boundary, so reading it needs two unrelated machine pages.
 */
#define KERNEL_SPLIT		KP_VARS2
#define STRADDLE_OFF		(KERNEL_SPLIT * PAGE_SIZE - 32)

/* Machine frame of Xen's shared_info page: Xen heap, not a guest page. */
#define SHARED_INFO_MFN		0x83e7f0ULL

/* Legacy tree limit: 512^3 pfns (Linux p2m.c MAX_P2M_PFN on 64-bit). */
#define TREE_MAX_PFN		(1ULL << 27)

/*
 * Linux arch/x86/include/asm/xen/page.h: the top bits of a p2m entry.
 * IDENTITY_FRAME(pfn) = pfn | IDENTITY_FRAME_BIT marks a 1:1 mapped non-RAM
 * pfn; FOREIGN_FRAME(mfn) = mfn | FOREIGN_FRAME_BIT a grant-mapped frame of
 * another domain.  BITS_PER_LONG - 2 and - 1: bits 62/63, or 30/31 on 32-bit.
 */
#define IDENTITY_BIT(esz)	(1ULL << (8 * (esz) - 2))
#define FOREIGN_BIT(esz)	(1ULL << (8 * (esz) - 1))
/*
 * --disagree: the stale tree maps a pfn it disagrees on to this base + pfn,
 * a frame below every guest MFN (>= 0x2000000), so never in the dump.
 */
#define STALE_MFN_BASE		0x1f00000ULL

/*
 * pagetypes --max-pfn N: the 64 MiB guest's layout (pt_runs[], four memory
 * sections) repeated in every block of PT_BLOCK_PFNS pfns, up to 16 GiB:
 * mem_section roots 0-3 (a root holds 256 sections of 16 MiB, 4 GiB).
 * Blocks after the first have no kernel image; the pool of structural
 * pages, too big for pfns 0x1040..PT_POOL_END-1 of the first block,
 * continues in the same pfns of the next blocks (model.pool_seg).
 */
#define PT_BLOCK_PFNS		0x4000ULL
#define PT_POOL_END		0x1100ULL

#define DEFAULT_SEED		0x6d6b7863636f7265ULL	/* "mkxccore" */
#define WRITE_BATCH		256u	/* pages per pwrite */

/* ---- the guest model ---- */

/* pfns [pfn, pfn+count) map to mfns [mfn, mfn+count). */
struct extent {
	uint64_t pfn;
	uint64_t count;
	uint64_t mfn;
};

struct ext_def {
	uint64_t pfn;
	uint64_t count;
};

/* Guest pages the generator builds itself ("structural" pages). */
enum sp_kind {
	SP_ROOT,		/* the L4: vcpu cr3 and p2m_cr3 */
	SP_KL3,			/* kernel-image mapping: L3 for L4[511] */
	SP_KL2,
	SP_KL1,
	SP_MISSING,		/* Linux p2m_missing: a p2m page of ~0 */
	SP_MISSING_PTE,		/* Linux p2m_missing_pte: an L1 mapping only p2m_missing */
	SP_L3,			/* p2m list tables; arg = table number */
	SP_L2,
	SP_L1,			/* arg = L1 slot number, relative to the first */
	SP_LEAF,		/* a p2m page holding real entries; arg = leaf number */
	SP_FLL,			/* legacy tree: pfn_to_mfn_frame_list_list (p2m_top_mfn) */
	SP_MID_MISSING,		/* p2m_mid_missing_mfn */
	SP_MID,			/* a p2m_mid_mfn page; arg = chunk number */
	SP_IDENTITY,		/* Linux p2m_identity: a p2m page of ~0 for 1:1 regions */
	SP_TLEAF,		/* --disagree: the stale tree's own p2m page; arg = leaf number */
	SP_VMM_L3,		/* pagetypes: the vmemmap's L3, L2 and L1 (4 KiB PTEs) */
	SP_VMM_L2,
	SP_VMM_L1,
	SP_DM_L3,		/* pagetypes: the direct map's L3, L2 and L1s (arg = 2 MiB chunk) */
	SP_DM_L2,
	SP_DM_L1,
	SP_NKINDS,
};

struct spage {
	uint8_t kind;		/* enum sp_kind */
	bool omitted;		/* left out of the dump (good-missing) */
	uint32_t arg;
};

enum bad_kind {
	BAD_NONE,
	BAD_TRUNCATE_PAGES,
	BAD_P2M_SIZE,
	BAD_CR3_MISSING,
	BAD_NONCANONICAL,
	BAD_HYPERVISOR,
	BAD_WRAP,
	BAD_NOT_XC_CORE,
	BAD_MAGIC,
	BAD_L4_LOOP,
	BAD_PAGES_OFFSET,
	BAD_PT_MISSING,
	BAD_PT_SELF,
	BAD_CR3_ZERO,
	BAD_LARGE_PAGE,
	BAD_CTXT_OFFSET,	/* --legacy only */
	BAD_INDEX_SIZE,		/* --legacy only */
	BAD_MACHINE_386,	/* 64-bit PV guests only */
	/* The ELF header (patched after libelf wrote it). */
	BAD_ELF_MAGIC,
	BAD_ELF_CLASS32,
	BAD_ELF_BIG_ENDIAN,
	BAD_ELF_VERSION,
	BAD_ELF_NOT_CORE,
	BAD_ELF_MACHINE,
	BAD_SHOFF_PAST_END,
	BAD_SHNUM_PAST_END,
	BAD_SHSTRNDX,
	BAD_SHENTSIZE,
	BAD_TRUNCATE_HEADERS,
	/* Sections and notes. */
	BAD_NO_NOTE_SECTION,
	BAD_NOTE_TYPE,
	BAD_NOTE_SIZE_ABSURD,
	BAD_NOTE_NO_HEADER,
	BAD_NOTE_HEADER_SHORT,
	BAD_NOTE_PAGE_SIZE,
	BAD_NOTE_DESC_PAST,
	BAD_NO_PAGES_SECTION,
	BAD_PAGES_UNALIGNED,
	BAD_PAGES_SHORT,
	BAD_P2M_PAST_END,
	BAD_TWO_P2M,
	BAD_NO_P2M_SECTION,
	BAD_PRSTATUS_ENTSIZE,
	BAD_PRSTATUS_TOO_MANY,
	BAD_SHARED_INFO_SIZE,
	BAD_P2M_DUP_PFN,
	BAD_P2M_DUP_MFN,	/* also --legacy: two index entries */
	BAD_SECTIONS_OVERLAP,
	/* The legacy header (--legacy only). */
	BAD_LEGACY_NR_PAGES,
	BAD_LEGACY_INDEX_PAST_END,
	BAD_LEGACY_PAGES_UNALIGNED,
	BAD_LEGACY_ZERO_VCPUS,
	BAD_LEGACY_TOO_MANY_VCPUS,
	BAD_LEGACY_CTXT_ARRAY,
	/* Hostile guest data: the dump is well formed, the guest's structures are not. */
	BAD_MAX_PFN_HUGE,
	BAD_P2M_OWN_TABLES,
	BAD_ALL_ONE_MFN,
	BAD_ROOT_TWICE,
	BAD_P2M_VADDR_KERNEL,
	BAD_P2M_MFN_HUGE,	/* 64-bit PV guests only */
	BAD_P2M_FOREIGN_HUGE,	/* 64-bit PV guests only */
	/* The guest's kernel log (pagetypes). */
	BAD_PRINTK_SIZE_HUGE,
	BAD_PRINTK_IDS_FAR,
	BAD_PRINTK_LPOS_OUTSIDE,
	BAD_LOG_BUF_LEN_HUGE,
	BAD_LOG_BUF_LOOP,
	BAD_KINDS,		/* how many (bad_names[]) */
};

struct options {
	const char *scenario;
	const char *output;
	const char *expect;
	const char *vmlinux;
	const char *system_map;
	const char *expect_symbols;
	enum bad_kind bad;
	uint64_t seed;
	uint64_t max_pfn;	/* 0: the scenario's */
	uint64_t max_run;	/* scale, big: the longest run (default 8191) */
	bool tree;
	bool xen_order;
	bool shuffle;
	bool describe;
	bool bad_banner;
	const char *expect_tree;
	bool disagree;
	bool special;
	uint32_t legacy;	/* --legacy[=4|8]: 0, 4 or 8 */
	bool mixed;		/* --content mixed */
	int memmap;		/* --memmap: 0 not given, MEMMAP_VMEMMAP or MEMMAP_SPARSE */
	bool k612;		/* --kernel 6.12: pagetypes' kernel is a 6.12 build */
	const char *expect_types;
	const char *native_vmcore;
	const char *expect_pagetables;
	bool whole_memmap;	/* --whole-memmap: every struct-page page is dumped */
	int printk;		/* --printk: 0 not given, PRINTK_LOCKLESS or PRINTK_LOGBUF */
	const char *expect_dmesg;
	const char *expect_stack;
	bool shared_info;	/* --shared-info: HVM dumps get .xen_shared_info */
	uint64_t pad;		/* --pad N: N padding entries and zero pages */
};

enum { MEMMAP_VMEMMAP = 1, MEMMAP_SPARSE };
/* pagetypes' kernel log: Linux 5.10+'s lockless ring, or 3.5-5.9's log_buf. */
enum { PRINTK_NONE, PRINTK_LOCKLESS, PRINTK_LOGBUF, PRINTK_KINDS };

/* --special-entries: a run of pfns whose p2m entries carry a Linux type bit. */
enum special_kind { SPECIAL_IDENTITY, SPECIAL_FOREIGN };

struct special {
	uint64_t pfn;
	uint64_t count;
	uint8_t kind;		/* enum special_kind */
	uint64_t mfn;		/* SPECIAL_FOREIGN: the first foreign frame */
};

#define NSPECIAL	3

#define NDISAGREE	3

struct pgs_layout;

struct model {
	const char *scenario;
	enum bad_kind bad;
	uint64_t seed;
	uint64_t max_pfn;
	bool linear;		/* a linear p2m list is mapped and published */
	bool tree;		/* the legacy 3-level tree is built */
	bool dump_data;		/* data pages are dumped (all but scale) */
	/*
	 * big: every populated pfn is in .xen_p2m and .xen_pages, but only the
	 * structural and kernel-image pages are written; the other data pages
	 * are holes in a sparse file (they read as zeros).  .xen_p2m is
	 * streamed, never held in memory (p2m stays NULL).
	 */
	bool sparse;
	/*
	 * --content mixed: data pages outside the kernel image hold a
	 * benchmark's mix of zero, compressible and random pages
	 * (gen_mixed_page()), and big writes them all (no holes).
	 */
	bool mixed;
	/*
	 * The kernel image is modelled (all but scale): its page tables are
	 * image pages and some image pages hold variables.  Otherwise the
	 * kernel tables are pool pages like the rest.
	 */
	bool kimage;
	uint64_t p2m_vaddr;	/* where the list is really mapped */
	uint64_t generation;
	uint32_t esz;		/* guest word: p2m entry and tree MFN size, 8 or 4 */
	uint32_t epp;		/* p2m entries per page: 512, or 1024 for 32-bit */
	bool pae;		/* a 32-bit PAE PV guest (good-pae) */
	const struct kabi *ka;	/* its kernel: kabi64 or kabi32 */
	const struct pte_flags *pf;	/* flags_pv64, flags_pae or flags_hvm */
	bool hvm;		/* an HVM guest (good-hvm): .xen_pfn, identity gpfn = gmfn */
	bool shinfo;		/* .xen_shared_info is written (always for PV; --shared-info) */
	uint64_t pad;		/* --pad: tot_pages exceeds the pages found by this much */
	uint32_t legacy;	/* --legacy=N: pre-ELF format with N-byte index entries */
	uint32_t nkpt;		/* the kernel's page tables: structural pages 0..nkpt-1 */
	const uint32_t *kpt_page;	/* their image pages (kpt_pages64 or kpt_pages_pae) */
	uint32_t kpt_sp[SP_KL1 + 1];	/* kind (SP_ROOT..SP_KL1) -> structural page, or SP_NONE */

	struct extent *ext;	/* populated pfns, ascending, disjoint */
	size_t n_ext;

	uint32_t pool_first;	/* first structural page in the pool (4 with kimage) */
	uint64_t pool_pfn;	/* structural page k >= pool_first has pfn pool_pfn + k - pool_first */
	/*
	 * pagetypes --max-pfn: the pool is segments of pool_seg pfns, at
	 * pool_pfn + b * PT_BLOCK_PFNS for block b (0: one contiguous run).
	 */
	uint64_t pool_seg;
	struct spage *sp;
	uint64_t *sp_mfn;
	uint32_t nsp;

	uint64_t nleaf;		/* p2m pages in the list: ceil(max_pfn / 512) */
	uint32_t *leaf_sp;	/* leaf -> its spage (SP_LEAF or SP_MISSING) */
	uint64_t first_page;	/* (p2m_vaddr & VA_MASK) >> 12 */
	uint64_t l1_first, n1;	/* L1 slots (2 MiB of VA) covering the list */
	uint32_t *l1_sp;	/* slot -> SP_L1 or SP_MISSING_PTE */
	uint64_t l2_first, n2;	/* 1 GiB slots */
	uint32_t l2_base;
	uint64_t l3_first, n3;	/* 512 GiB slots */
	uint32_t l3_base;
	uint32_t missing_sp;	/* p2m_missing */
	uint64_t ntop;		/* tree: chunks of 2^18 pfns covered */
	uint32_t *mid_sp;	/* chunk -> SP_MID or SP_MID_MISSING */
	uint32_t fll_sp, mid_missing_sp;

	/* Values published in shared_info (the --bad kinds change them). */
	uint64_t pub_p2m_vaddr;
	uint64_t pub_p2m_cr3;
	uint64_t pub_fll;

	bool shuffle;		/* .xen_p2m in PRNG order instead of ascending pfn */
	uint64_t nr_pages;	/* pages in the dump */

	/* --special-entries: identity and foreign runs, and a p2m_identity page. */
	const struct special *spec;	/* NSPECIAL runs, or NULL */
	uint64_t ident_leaf;	/* the p2m page mapped to p2m_identity */
	uint32_t ident_sp;	/* p2m_identity */
	/*
	 * --disagree: the tree's view differs from the list's at dis_pfn[0]
	 * (another mfn), dis_pfn[1] (invalid) and dis_pfn[2] (mapped, invalid
	 * in the list); the tree has its own copies (SP_TLEAF) of their p2m pages.
	 */
	bool disagree;
	uint64_t dis_pfn[NDISAGREE];
	uint32_t ntleaf;
	uint64_t tleaf_leaf[NDISAGREE];
	uint32_t tleaf_sp[NDISAGREE];
	uint8_t *p2m;		/* .xen_p2m contents, nr_pages * 16 bytes (NULL for big) */
	/* --bad root-twice: this dumped data pfn claims the root table's mfn. */
	uint64_t twice_pfn;
	/* --bad all-one-mfn: the mfn every entry of every p2m page holds. */
	uint64_t one_mfn;
	/* --bad p2m-mfn-huge, p2m-foreign-huge: this unpopulated pfn's entry. */
	uint64_t huge_pfn;
	uint64_t huge_entry;
	/*
	 * pagetypes: the guest's struct pages, mem_section and VMCOREINFO are
	 * modelled (see "pagetypes" in testdata/README); pt_vmemmap: the
	 * struct pages are at VMEMMAP_BASE (--memmap=vmemmap, the default),
	 * mapped by the vmemmap tables vmm_sp[0..2] (L3, L2, L1).
	 */
	bool pt;
	bool pt_whole_memmap;	/* --whole-memmap: no struct-page page left out */
	bool missing_pte_used;	/* some L2 entry names p2m_missing_pte */
	bool pt_vmemmap;
	bool pt612;		/* --kernel 6.12 */
	uint32_t vmm_sp[3];	/* the L3, the L2 and the first of nvmm_l1 L1s */
	uint32_t nvmm_l1;	/* vmemmap L1 tables (2 MiB of struct pages, 32768 pfns, each) */
	uint32_t dm_sp[2];	/* the direct map's L3 and first L2 (64-bit) */
	uint32_t ndm_l2;	/* the direct map's L2 tables (1 GiB each) */
	uint32_t *dm_l1_sp;	/* 2 MiB chunk -> its L1 table, or SP_NONE */
	const struct pgs_layout *pgs;	/* pagetypes: the kernel's struct page */
	/*
	 * The image page of Xen's start_info, followed by the xenstore and
	 * console rings and the boot L1 (KP_START_INFO; pagetypes-pae's
	 * longer .bss puts them PT32_MEM_SECTION_PAGES later).
	 */
	uint32_t kp_xen;
	/* pagetypes: the kernel log's kind and the log and stacks (pk_build()) */
	int printk;
	struct pk_model *pk;
};

#define SP_NONE UINT32_MAX

enum guest_kind {
	GUEST_PV64,		/* 64-bit PV: EM_X86_64, 4-level tables, u64 p2m entries */
	GUEST_PAE,		/* 32-bit PAE PV: EM_386, 3-level PAE tables, u32 entries */
	GUEST_HVM,		/* HVM: magic 0xF00FEBEE, .xen_pfn, no p2m of its own */
};

struct scenario {
	const char *name;
	uint64_t max_pfn;
	uint64_t p2m_vaddr;	/* 0: no linear list */
	uint64_t generation;
	bool tree;
	bool missing;		/* omit one p2m page and one L1 table */
	const struct ext_def *ext;
	size_t n_ext;
	uint64_t pool_pfn;
	bool sparse;		/* big: all pfns dumped, data pages left as holes */
	uint8_t guest;		/* enum guest_kind */
	bool pagetypes;		/* struct pages, mem_section and VMCOREINFO modelled */
};

/*
 * Per-scenario places of --special-entries and --disagree (testdata/README
 * lists them).  Linux marks non-RAM e820 ranges 1:1 (setup.c
 * xen_set_identity_and_remap(); the legacy hole 0xa0-0xff is the classic
 * one) and sets FOREIGN_FRAME entries for grant-mapped pages (p2m.c
 * set_foreign_p2m_mapping()).  The foreign run continues in pfn but not in
 * mfn after 5 pfns.  Foreign frames 0x1e80000.. are another domain's: below
 * every MFN of this one.
 */
struct scenario_extra {
	const char *name;
	struct special spec[NSPECIAL];
	uint64_t ident_pfn;	/* first pfn of the p2m page mapped to p2m_identity */
	uint64_t dis[NDISAGREE];	/* remapped, invalid in the tree, mapped in the tree */
};

/* ---- model.c: the model's extents, building it ---- */

/* The kinds of the kernel's own page tables (structural pages 0..nkpt-1). */
extern const uint8_t kpt_kinds64[];
extern const uint8_t kpt_kinds_pae[];
uint32_t kimage_pages(const struct model *m);
void model_free(struct model *m);
const struct extent *find_extent(const struct model *m, uint64_t pfn);
uint64_t mfn_of(const struct model *m, uint64_t pfn);
void p2m_entries(const struct model *m, uint64_t pfn, uint64_t n, uint64_t *out);
bool is_populated_range(const struct model *m, uint64_t pfn, uint64_t n);
uint64_t populated_pages(const struct model *m);
uint64_t guest_cr3(const struct model *m, uint64_t mfn);
int build_model(struct model *m, const struct options *o);

/* ---- scenarios.c: the scenarios and the --bad kinds ---- */

extern const char *const bad_names[BAD_KINDS];
const struct scenario *find_scenario(const char *name);
const struct scenario_extra *find_extra(const char *name);

/* ---- p2m.c: the guest's p2m pages, list and tree; .xen_p2m ---- */

int build_p2m_structure(struct model *m, uint32_t *capp);
int check_extras(const struct model *m);
uint64_t huge_pfn(const struct model *m);
void sp_pfn_range(const struct model *m, uint32_t sp, uint64_t *lo, uint64_t *hi);
uint32_t tree_leaf_sp(const struct model *m, uint64_t j);
void leaf_entries(const struct model *m, uint32_t sp, uint64_t j, uint64_t *out);
bool is_dumped(const struct model *m, uint64_t pfn);
int build_dump_index(struct model *m);

/* ---- pagetables.c: the structural pages, where they are, what they hold ---- */

int alloc_sp(struct model *m, uint32_t *cap, enum sp_kind kind, uint32_t arg, uint32_t *ret);
uint32_t *alloc_u32(uint64_t n, uint32_t fill);
int build_structure(struct model *m);
uint64_t sp_pfn(const struct model *m, uint32_t k);
uint32_t sp_of_pfn(const struct model *m, uint64_t pfn);
bool is_page_table(uint8_t kind);
void put_xen_l4_slots(uint64_t *e, uint64_t self);
void gen_struct_page(const struct model *m, uint32_t k, uint8_t *pg);

/* ---- pages.c: what each page holds; writing them ---- */

void gen_page(const struct model *m, uint64_t pfn, uint64_t mfn, uint8_t *pg);
void gen_data_page(uint64_t pfn, uint64_t mfn, uint8_t *pg);
int write_pages_of(const struct model *m, const uint8_t *tab, int fd, uint64_t off,
		   const char *path);

/* ---- elf.c: the ELF xc_core dump ---- */

/* Xen's limit on vcpus per domain (HVM_MAX_VCPUS); --bad prstatus-too-many exceeds it. */
#define XEN_MAX_VCPUS		4096u

void build_prstatus(const struct model *m, uint8_t *b);
uint32_t strtab_add(char *tab, uint32_t *len, const char *name);
uint64_t unaligned_after(uint64_t off);
int write_not_xc_core(int fd);
int write_dump(const struct model *m, int fd, bool xen_order, const char *path);

/* ---- legacy.c: the pre-ELF xc_core dump ---- */

int write_legacy(const struct model *m, int fd, const char *path);

/* ---- expect.c: --expect, --expect-tree ---- */

int write_expect_list(const struct model *m, FILE *f);
int write_expect_tree(const struct model *m, FILE *f);

/* ---- describe.c: --describe ---- */

void describe(const struct model *m, FILE *f);

#endif /* MKXCCORE_MODEL_H */
