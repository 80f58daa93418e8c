/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * frame.h: what a frame number, pseudo-physical (pfn) or machine (mfn),
 * may be.  One rule, for every reader, writer and p2m source.
 *
 * x86-64 Xen addresses at most 52 bits of machine memory: PADDR_BITS is 52,
 * "architectural limits" (xen/arch/x86/include/asm/page-bits.h; a page-table
 * entry's frame field is bits 12..51, Intel SDM vol. 3 4.5), so with 4 KiB
 * pages a machine frame is below 2^40.  A PV guest's p2m entry is a word
 * holding such a frame, its top bits type bits (Linux
 * arch/x86/include/asm/xen/page.h: FOREIGN_FRAME_BIT 63, IDENTITY_FRAME_BIT
 * 62, INVALID_P2M_ENTRY ~0): an entry whose frame is 2^40 or more names no
 * frame that can exist.  Pfns are held to the same bound (4 PiB of guest),
 * which is what the kdump format's max_mapnr and xc_core's tables can say
 * of a guest xencore reads.
 *
 * What xencore does with a frame past the rule: a p2m entry naming one is
 * an unknown pfn, with one warning per p2m (p2m-runs.c); pfns past it are
 * left out of the p2m; a dump's page table naming one is refused
 * (page-index.c); the writers never write one, the readers refuse one.
 */
#ifndef XENCORE_FRAME_H
#define XENCORE_FRAME_H

#include <stdbool.h>
#include <stdint.h>

#define XC_FRAME_BITS	40				/* PADDR_BITS 52 - PAGE_SHIFT 12 */
#define XC_FRAMES	(UINT64_C(1) << XC_FRAME_BITS)	/* frames 0 .. 2^40-1 */
#define XC_MAX_FRAME	(XC_FRAMES - 1)

/* A frame number that can exist. */
static inline bool xc_frame_ok(uint64_t frame)
{
	return frame <= XC_MAX_FRAME;
}

/* count >= 1 frames from first, all of which can exist. */
static inline bool xc_frames_ok(uint64_t first, uint64_t count)
{
	return count && first <= XC_MAX_FRAME && count <= XC_FRAMES - first;
}

#endif /* XENCORE_FRAME_H */
