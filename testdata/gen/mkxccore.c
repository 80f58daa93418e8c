// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mkxccore.c: main() and the command line of mkxccore, which writes
 * synthetic, format-faithful Xen xc_core dumps ("xl dump-core", ELF, and
 * the older pre-ELF format) of 64-bit and 32-bit PAE x86 PV guests and of
 * HVM guests, the fixtures of xencore's tests.
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
 * One concern a file: model.c builds the model (scenarios.c its tables),
 * pagetables.c and p2m.c its structural pages, pages.c every other page,
 * kernel.c the kernel image and its vmlinux, elf.c and legacy.c the two
 * dump formats, expect.c and describe.c what the tests compare; the
 * pagetypes scenarios add procs.c, memmap.c, printk.c and native.c
 * (pagetypes.h); util.c is what they all use.  model.h, kernel.h and
 * pagetypes.h hold only what crosses files.
 *
 * Format sources: Xen tools/libs/guest/xg_core.{c,h}, xg_core_x86.{c,h},
 * xen/include/public/{elfnote.h,xen.h,version.h,arch-x86/xen.h,
 * arch-x86/xen-x86_64.h,arch-x86/xen-x86_32.h}, docs/misc/dump-core-format.txt,
 * xen/arch/x86 arch_get_info_guest() (HVM contexts), the pre-ELF
 * tools/libxc/xc_core.c (before commit e3ce7ff90f) and crash's xendump.c
 * (which reads it); Linux
 * arch/x86/xen/{p2m.c,mmu_pv.c,enlighten*.c}, arch/x86/kernel/head_64.S,
 * arch/x86/kernel/vmlinux.lds.S, scripts/mksysmap; for pagetypes (struct
 * pages, mem_section, VMCOREINFO) the sources listed in memmap.c
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

#define SCALE_MAX_PFN_MIN	0x10000ULL
#define SCALE_MAX_PFN_MAX	(1ULL << 32)
#define BIG_MAX_PFN_MAX		(1ULL << 28)
#define PT_MAX_PFN_MAX		0x400000ULL

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
