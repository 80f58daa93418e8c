// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * scenarios.c: the scenarios mkxccore knows (their populated extents, the
 * places of --special-entries and --disagree) and the names of the --bad
 * kinds, the hostile variants.
 */
#include <string.h>

#include "model.h"

#define DEFAULT_P2M_VADDR	(VMALLOC_START + (1ULL << 30))
#define PAE_P2M_VADDR		0xee000000ULL

/* xc_dom_x86.c: special_pfn(0) = X86_HVM_END_SPECIAL_REGION (0xff000) - 8 */
#define HVM_SPECIAL_PFN		0xfeff8ULL
#define SCALE_MAX_PFN_DEFAULT	(1ULL << 28)

/*
 * big: a 64 GiB guest by default.  Its .xen_p2m is written for real (16
 * bytes a pfn), so the upper limit keeps it at 4 GiB.
 */
#define BIG_MAX_PFN_DEFAULT	(1ULL << 24)

const char *const bad_names[] = {
	[BAD_NONE] = "none",
	[BAD_TRUNCATE_PAGES] = "truncate-pages",
	[BAD_P2M_SIZE] = "p2m-size",
	[BAD_CR3_MISSING] = "cr3-missing",
	[BAD_NONCANONICAL] = "noncanonical",
	[BAD_HYPERVISOR] = "hypervisor",
	[BAD_WRAP] = "wrap",
	[BAD_NOT_XC_CORE] = "not-xc-core",
	[BAD_MAGIC] = "bad-magic",
	[BAD_L4_LOOP] = "l4-loop",
	[BAD_PAGES_OFFSET] = "pages-offset",
	[BAD_PT_MISSING] = "pt-missing",
	[BAD_PT_SELF] = "pt-self",
	[BAD_CR3_ZERO] = "cr3-zero",
	[BAD_LARGE_PAGE] = "large-page",
	[BAD_CTXT_OFFSET] = "ctxt-offset",
	[BAD_INDEX_SIZE] = "index-size",
	[BAD_MACHINE_386] = "machine-386",
	[BAD_ELF_MAGIC] = "elf-magic",
	[BAD_ELF_CLASS32] = "elf-class32",
	[BAD_ELF_BIG_ENDIAN] = "elf-big-endian",
	[BAD_ELF_VERSION] = "elf-version",
	[BAD_ELF_NOT_CORE] = "elf-not-core",
	[BAD_ELF_MACHINE] = "elf-machine",
	[BAD_SHOFF_PAST_END] = "shoff-past-end",
	[BAD_SHNUM_PAST_END] = "shnum-past-end",
	[BAD_SHSTRNDX] = "shstrndx-bad",
	[BAD_SHENTSIZE] = "shentsize-bad",
	[BAD_TRUNCATE_HEADERS] = "truncate-headers",
	[BAD_NO_NOTE_SECTION] = "no-note-section",
	[BAD_NOTE_TYPE] = "note-type",
	[BAD_NOTE_SIZE_ABSURD] = "note-size-absurd",
	[BAD_NOTE_NO_HEADER] = "note-no-header",
	[BAD_NOTE_HEADER_SHORT] = "note-header-short",
	[BAD_NOTE_PAGE_SIZE] = "note-page-size",
	[BAD_NOTE_DESC_PAST] = "note-desc-past-section",
	[BAD_NO_PAGES_SECTION] = "no-pages-section",
	[BAD_PAGES_UNALIGNED] = "pages-unaligned",
	[BAD_PAGES_SHORT] = "pages-short",
	[BAD_P2M_PAST_END] = "p2m-past-end",
	[BAD_TWO_P2M] = "two-p2m-sections",
	[BAD_NO_P2M_SECTION] = "no-p2m-section",
	[BAD_PRSTATUS_ENTSIZE] = "prstatus-entsize",
	[BAD_PRSTATUS_TOO_MANY] = "prstatus-too-many",
	[BAD_SHARED_INFO_SIZE] = "shared-info-size",
	[BAD_P2M_DUP_PFN] = "p2m-duplicate-pfn",
	[BAD_P2M_DUP_MFN] = "p2m-duplicate-mfn",
	[BAD_SECTIONS_OVERLAP] = "sections-overlap",
	[BAD_LEGACY_NR_PAGES] = "legacy-nr-pages",
	[BAD_LEGACY_INDEX_PAST_END] = "legacy-index-past-end",
	[BAD_LEGACY_PAGES_UNALIGNED] = "legacy-pages-unaligned",
	[BAD_LEGACY_ZERO_VCPUS] = "legacy-zero-vcpus",
	[BAD_LEGACY_TOO_MANY_VCPUS] = "legacy-too-many-vcpus",
	[BAD_LEGACY_CTXT_ARRAY] = "legacy-ctxt-array",
	[BAD_MAX_PFN_HUGE] = "max-pfn-huge",
	[BAD_P2M_OWN_TABLES] = "p2m-maps-own-tables",
	[BAD_ALL_ONE_MFN] = "all-one-mfn",
	[BAD_ROOT_TWICE] = "root-twice",
	[BAD_P2M_VADDR_KERNEL] = "p2m-vaddr-kernel",
	[BAD_P2M_MFN_HUGE] = "p2m-mfn-huge",
	[BAD_P2M_FOREIGN_HUGE] = "p2m-foreign-huge",
	[BAD_PRINTK_SIZE_HUGE] = "printk-size-huge",
	[BAD_PRINTK_IDS_FAR] = "printk-ids-far",
	[BAD_PRINTK_LPOS_OUTSIDE] = "printk-lpos-outside",
	[BAD_LOG_BUF_LEN_HUGE] = "log-buf-len-huge",
	[BAD_LOG_BUF_LOOP] = "log-buf-loop",
};

/*
 * The kernel image at 16 MiB, mapped at KERNEL_TEXT_VA: contiguous pfns but
 * two extents, so two MFN runs split at page KERNEL_SPLIT.
 */
#define KERNEL_EXTENTS \
	{ KERNEL_TEXT_PFN, KERNEL_SPLIT }, \
	{ KERNEL_TEXT_PFN + KERNEL_SPLIT, KERNEL_TEXT_PAGES - KERNEL_SPLIT }

/*
 * Hand-placed populated extents of the small scenarios (pfn, count); see
 * testdata/README for why each is where it is.
 */
static const struct ext_def ext_linear[] = {
	{ 0x0, 0x10 },		/* p2m page 0: low memory, partly filled page */
	{ 0x1f8, 0x10 },	/* crosses the p2m page 0 / page 1 boundary */
	KERNEL_EXTENTS,
	{ 0x2345, 0x1b },	/* odd start in p2m page 0x11 */
	{ 0x3f000, 0x20 },	/* pool: page tables and p2m pages */
	{ 0x3ffe0, 0x20 },	/* ends exactly at the end of chunk 0 */
	{ 0x41234, 0x18 },	/* chunk 1: two extents contiguous in pfn... */
	{ 0x4124c, 0x18 },	/* ...but not in mfn */
	{ 0x7ffc0, 0x40 },	/* ends exactly at the end of chunk 1 */
};

static const struct ext_def ext_odd[] = {
	{ 0x0, 0x20 },
	KERNEL_EXTENTS,
	{ 0x3ff0, 0x20 },	/* p2m pages 31/32: the list's L1 and L2 table boundary */
	{ 0x8000, 0x20 },	/* pool */
	{ 0xa123, 0x31 },
	{ 0x12300, 0x45 },	/* ends exactly at max_pfn 0x12345 */
};

static const struct ext_def ext_nolinear[] = {
	{ 0x0, 0x20 },
	KERNEL_EXTENTS,
	{ 0x2000, 0x20 },	/* pool */
	{ 0x5555, 0x2b },
	{ 0x7fc0, 0x40 },	/* ends exactly at max_pfn 0x8000 */
};

/*
 * tiny: as few dumped pages as a 64-bit PV guest with a list, a tree and a
 * readable kernel can have.  Of the image only the pages that hold
 * something are populated: .rodata and .data (0x30-0x34, 0x35), the first
 * .bss page (xen_start_info), and start_info, the two rings and Xen's L1
 * (0x3c-0x3f); .text and the rest of .bss are unpopulated.  The split at
 * KERNEL_SPLIT stays, so xencore_straddle still spans two MFN runs.  The
 * pool follows the image in the same p2m page (one real p2m page in all):
 * its 9 structural pages and one data page.
 */
static const struct ext_def ext_tiny[] = {
	{ KERNEL_TEXT_PFN + KP_RODATA, KERNEL_SPLIT - KP_RODATA },	/* 0x1030-0x1034 */
	{ KERNEL_TEXT_PFN + KERNEL_SPLIT, KP_BSS + 1 - KERNEL_SPLIT },	/* 0x1035-0x1036 */
	{ KERNEL_TEXT_PFN + KP_START_INFO, KERNEL_TEXT_PAGES - KP_START_INFO },	/* 0x103c-0x103f */
	{ KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES, 0xa },	/* pool at 0x1040 */
};

/*
 * tiny-hvm: the same image pages as tiny in an HVM guest (no p2m pages, so
 * no pool), for the damaged .xen_pfn variants.  max_pfn = last gpfn + 1.
 */
static const struct ext_def ext_tiny_hvm[] = {
	{ KERNEL_TEXT_PFN + KP_RODATA, KERNEL_SPLIT - KP_RODATA },
	{ KERNEL_TEXT_PFN + KERNEL_SPLIT, KP_BSS + 1 - KERNEL_SPLIT },
	{ KERNEL_TEXT_PFN + KP_START_INFO, KERNEL_TEXT_PAGES - KP_START_INFO },
};

/*
 * pagetypes: a 64 MiB guest, SPARSEMEM sections of 16 MiB (SECTION_SIZE_BITS
 * 24 here).  Section 2 (0x2000-0x2fff) is a hole; the balloon driver has
 * given pfns 0x1100-0x1bff and 0x3800-0x3eff back to Xen (unpopulated, their
 * struct pages PageOffline).  pt_runs[] says what every pfn of the present
 * sections holds.
 */
static const struct ext_def ext_pagetypes[] = {
	{ 0x0, 0x1000 },	/* section 0 */
	KERNEL_EXTENTS,		/* 0x1000 53, 0x1035 11 */
	{ KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES, 0xc0 },	/* 0x1040-0x10ff: the pool, kernel pages */
	{ 0x1c00, 0x400 },	/* a free order-10 block */
	{ 0x3000, 0x800 },
	{ 0x3f00, 0x100 },	/* mem_section, VMCOREINFO, the struct pages */
};

/*
 * pagetypes-pae: pagetypes' pfns in a 32-bit PAE guest.  The image is
 * PT32_MEM_SECTION_PAGES longer (mem_section in .bss), so its second MFN
 * run ends at 0x1047 and the pool starts at 0x1048.
 */
static const struct ext_def ext_pagetypes_pae[] = {
	{ 0x0, 0x1000 },
	{ KERNEL_TEXT_PFN, KERNEL_SPLIT },
	{ KERNEL_TEXT_PFN + KERNEL_SPLIT, KERNEL_TEXT_PAGES + PT32_MEM_SECTION_PAGES - KERNEL_SPLIT },
	{ KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES + PT32_MEM_SECTION_PAGES, 0xb8 },	/* 0x1048-0x10ff */
	{ 0x1c00, 0x400 },
	{ 0x3000, 0x800 },
	{ 0x3f00, 0x100 },
};

/*
 * good-pae: a 6 GiB 32-bit PAE guest.  1024 entries a p2m page, so one L1
 * table of the list maps 2^19 pfns (2 GiB of guest).  The pool is in
 * lowmem (below 0x2d000 here), where Linux allocates p2m_missing and
 * the p2m pages.
 */
static const struct ext_def ext_pae[] = {
	{ 0x0, 0x20 },
	{ 0x3fc, 0x8 },		/* crosses the p2m page 0 / page 1 boundary */
	KERNEL_EXTENTS,
	{ 0x2345, 0x1b },	/* odd start in p2m page 8 */
	{ 0x8000, 0x20 },	/* pool: page tables and p2m pages */
	{ 0x3ffe0, 0x20 },	/* ends exactly at 1 GiB */
	{ 0x7fff0, 0x20 },	/* crosses p2m pages 0x1ff/0x200: the list's two L1 tables */
	{ 0x81234, 0x18 },	/* two extents contiguous in pfn... */
	{ 0x8124c, 0x18 },	/* ...but not in mfn */
	{ 0xfffc0, 0x40 },	/* ends exactly at 4 GiB */
};

/*
 * good-hvm: populated gpfns of an HVM guest (xc_dom_x86.c meminit_hvm()
 * leaves the VGA hole 0xa0-0xbf unpopulated; the special pages sit at
 * 0xfeff8-0xfefff, inside the MMIO hole that xg_core_x86.c
 * xc_core_arch_gpfn_may_present() never dumps; RAM past the hole is
 * relocated above 4 GiB).
 */
static const struct ext_def ext_hvm[] = {
	{ 0x0, 0xa0 },		/* below the VGA hole */
	{ 0xc0, 0x40 },		/* after it, up to 1 MiB */
	KERNEL_EXTENTS,
	{ 0x2345, 0x1b },
	{ 0x3ffe0, 0x20 },
	{ HVM_SPECIAL_PFN, 8 },	/* special pages: populated, in tot_pages, not dumped */
	{ 0x100000, 0x40 },	/* above 4 GiB */
};

#define EXT(a) (a), (sizeof(a) / sizeof((a)[0]))

static const struct scenario scenarios[] = {
	{ "good-linear", 0x100000, DEFAULT_P2M_VADDR, 4, false, false, EXT(ext_linear), 0x3f000,
	  false, GUEST_PV64, false },
	{ "good-odd", 0x12345, VMALLOC_START + (1ULL << 30) - 0x20000, 7, true, false,
	  EXT(ext_odd), 0x8000, false, GUEST_PV64, false },
	{ "good-nolinear", 0x8000, 0, 0, true, false, EXT(ext_nolinear), 0x2000, false,
	  GUEST_PV64, false },
	{ "good-missing", 0x100000, DEFAULT_P2M_VADDR, 4, false, true, EXT(ext_linear), 0x3f000,
	  false, GUEST_PV64, false },
	/* scale: extents from the PRNG, pool at max_pfn / 2 */
	{ "scale", SCALE_MAX_PFN_DEFAULT, DEFAULT_P2M_VADDR, 2, false, false, NULL, 0, 0, false,
	  GUEST_PV64, false },
	/* big: scale's PRNG extents around the good-* kernel image, every page dumped */
	{ "big", BIG_MAX_PFN_DEFAULT, DEFAULT_P2M_VADDR, 2, false, false, NULL, 0, 0, true,
	  GUEST_PV64, false },
	{ "good-pae", 0x180000, PAE_P2M_VADDR, 6, false, false, EXT(ext_pae), 0x8000, false,
	  GUEST_PAE, false },
	/* HVM: no p2m of its own (auto-translated); max_pfn = highest gpfn + 1 */
	{ "good-hvm", 0x100040, 0, 0, false, false, EXT(ext_hvm), KERNEL_TEXT_PFN, false,
	  GUEST_HVM, false },
	/* tiny: a 32 MiB guest with a list and a tree in ~100 KB, for bad inputs and fuzz seeds */
	{ "tiny", 0x2000, DEFAULT_P2M_VADDR, 2, true, false, EXT(ext_tiny),
	  KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES, false, GUEST_PV64, false },
	{ "tiny-hvm", KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES, 0, 0, false, false, EXT(ext_tiny_hvm),
	  KERNEL_TEXT_PFN, false, GUEST_HVM, false },
	/* pagetypes: a 64 MiB guest whose struct pages say what every page is */
	{ "pagetypes", 0x4000, DEFAULT_P2M_VADDR, 2, false, false, EXT(ext_pagetypes),
	  KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES, false, GUEST_PV64, true },
	/* pagetypes-pae: the same on the 32-bit PAE code paths (classic SPARSEMEM) */
	{ "pagetypes-pae", 0x4000, PAE_P2M_VADDR, 2, false, false, EXT(ext_pagetypes_pae),
	  KERNEL_TEXT_PFN + KERNEL_TEXT_PAGES + PT32_MEM_SECTION_PAGES, false, GUEST_PAE, true },
};

#define SPECIALS(foreign_pfn) \
	{ { 0xa0, 0x60, SPECIAL_IDENTITY, 0 }, \
	  { (foreign_pfn), 5, SPECIAL_FOREIGN, 0x1e80000 }, \
	  { (foreign_pfn) + 5, 3, SPECIAL_FOREIGN, 0x1e9a000 } }

static const struct scenario_extra scenario_extras[] = {
	{ "good-linear", SPECIALS(0x41264), 0x3e000, { 0x2350, 0x7ffd0, 0x60000 } },
	{ "good-odd", SPECIALS(0xa154), 0xc000, { 0xa130, 0x12310, 0x6000 } },
	{ "good-nolinear", SPECIALS(0x5580), 0x6000, { 0, 0, 0 } },
	{ "good-missing", SPECIALS(0x41264), 0x3e000, { 0, 0, 0 } },
	/* 1024 entries a page: the p2m_identity page 0xf8 is pfns 0x3e000-0x3e3ff */
	{ "good-pae", SPECIALS(0x81264), 0x3e000, { 0x2350, 0xfffd0, 0xc0000 } },
};

const struct scenario_extra *find_extra(const char *name)
{
	for (size_t i = 0; i < sizeof(scenario_extras) / sizeof(scenario_extras[0]); i++)
		if (!strcmp(name, scenario_extras[i].name))
			return &scenario_extras[i];
	return NULL;
}

const struct scenario *find_scenario(const char *name)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(name, scenarios[i].name))
			return &scenarios[i];
	return NULL;
}
