// SPDX-License-Identifier: LGPL-2.1-or-later
/* shared-info.c: the arch_shared_info fields of a PV guest's shared_info page. */
#include <config.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "x86.h"

/*
 * Offsets in struct shared_info (Xen public/xen.h, public/arch-x86/xen.h,
 * compiled against Xen 4.17 headers): 32 vcpu_info, event channel bitmaps and
 * wallclock, then arch_shared_info with guest-word fields in the merged order
 * max_pfn, pfn_to_mfn_frame_list_list, nmi_reason, p2m_cr3, p2m_vaddr,
 * p2m_generation (Xen commit 50bd1f0825).
 */
struct arch_shared_info_layout {
	unsigned int word;	/* guest word size in bytes */
	unsigned int base;	/* offset of arch_shared_info */
};

static const struct arch_shared_info_layout layout64 = { 8, 0xC10 };
static const struct arch_shared_info_layout layout32 = { 4, 0x90C };

static uint64_t field(const unsigned char *page,
		      const struct arch_shared_info_layout *l, unsigned int i)
{
	const unsigned char *p = page + l->base + i * l->word;
	return l->word == 8 ? le64(p) : le32(p);
}

struct xencore_error *xc_parse_shared_info(struct xencore_dump *dump)
{
	const struct arch_shared_info_layout *l =
		dump->info.guest_bits == 64 ? &layout64 : &layout32;
	if (dump->shared_info_size < l->base + 6 * l->word)
		return xc_error(XENCORE_ERROR_FORMAT,
				"shared_info is %zu bytes, too short for arch_shared_info",
				dump->shared_info_size);

	const unsigned char *page = dump->shared_info;
	struct xencore_dump_info *info = &dump->info;
	/*
	 * An HVM guest's arch_shared_info is not its p2m's: Xen's writer adds
	 * the section whenever it can map the frame, and for an auto-translated
	 * guest those fields are zeros.  Its max_pfn comes from .xen_pfn.
	 */
	if (info->hvm)
		return NULL;
	info->has_shared_info = true;
	info->max_pfn = field(page, l, 0);
	info->frame_list_list = field(page, l, 1);
	info->nmi_reason = field(page, l, 2);
	info->p2m_cr3 = field(page, l, 3);
	info->p2m_vaddr = field(page, l, 4);
	info->p2m_generation = field(page, l, 5);
	info->p2m_root_mfn = x86_cr3_to_mfn(info->p2m_cr3, info->guest_bits);
	info->p2m_update_in_progress = info->p2m_generation & 1;
	/* Xen's own tools take the list as valid when p2m_cr3 != 0. */
	info->has_linear_p2m = info->p2m_cr3 != 0;
	/* Linux writes ~0 there when it publishes only the list. */
	uint64_t all_ones = l->word == 8 ? UINT64_MAX : UINT32_MAX;
	info->has_tree_p2m = info->frame_list_list != 0 &&
			     info->frame_list_list != all_ones;
	return NULL;
}
