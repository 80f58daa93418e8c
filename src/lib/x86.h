/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x86.h: x86 paging facts shared by the page-table walkers and parsers. */
#ifndef XENCORE_X86_H
#define XENCORE_X86_H

#include <stdbool.h>
#include <stdint.h>

/* Intel SDM vol. 3, 4.5: PTE bits. */
#define X86_PTE_PRESENT		UINT64_C(0x001)
#define X86_PTE_RW		UINT64_C(0x002)
#define X86_PTE_USER		UINT64_C(0x004)
#define X86_PTE_ACCESSED	UINT64_C(0x020)
#define X86_PTE_DIRTY		UINT64_C(0x040)
#define X86_PTE_PSE		UINT64_C(0x080)
#define X86_PTE_NX		(UINT64_C(1) << 63)
#define X86_PTE_FRAME_MASK	UINT64_C(0x000ffffffffff000)

#define X86_PAGE_SHIFT	12
#define X86_PAGE_SIZE	(UINT64_C(1) << X86_PAGE_SHIFT)

/*
 * The hypervisor's part of a 64-bit PV guest's address space
 * (public/arch-x86/xen-x86_64.h: HYPERVISOR_VIRT_START .. _END).
 */
#define X86_64_XEN_START	UINT64_C(0xFFFF800000000000)
#define X86_64_XEN_END		UINT64_C(0xFFFF880000000000)
/* 32-bit PAE PV: public/arch-x86/xen-x86_32.h HYPERVISOR_VIRT_START. */
#define X86_32_XEN_START	UINT64_C(0xF5800000)

/* Linux x86-64 (arch/x86/include/asm/page_64_types.h): __START_KERNEL_map. */
#define X86_64_START_KERNEL_MAP	UINT64_C(0xffffffff80000000)
/* The kernel image's extent above it (KERNEL_IMAGE_SIZE max, 1 GiB). */
#define X86_64_KERNEL_IMAGE_MAX	UINT64_C(0x40000000)
/*
 * The direct map's base, page_offset_base without KASLR (which PV guests
 * do not use): __PAGE_OFFSET_BASE_L4 since Linux 4.20, before it
 * 0xffff880000000000 (arch/x86/include/asm/page_64_types.h).
 */
#define X86_64_PAGE_OFFSET	UINT64_C(0xffff888000000000)
#define X86_64_PAGE_OFFSET_OLD	UINT64_C(0xffff880000000000)
/* Linux i386 (arch/x86/include/asm/page_32_types.h): PAGE_OFFSET, lowmem. */
#define X86_32_PAGE_OFFSET	UINT64_C(0xc0000000)
#define X86_32_LOWMEM_MAX	UINT64_C(0x38000000)

/* 48-bit canonical: bits 63..47 all equal. */
static inline bool x86_64_canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

/*
 * cr3 <-> mfn (public/arch-x86/xen-x86_32.h xen_cr3_to_pfn): 64-bit guests
 * store mfn << 12; 32-bit PAE guests fold the high mfn bits into the low 12.
 */
static inline uint64_t x86_cr3_to_mfn(uint64_t cr3, unsigned int guest_bits)
{
	if (guest_bits == 32) {
		uint32_t c = (uint32_t)cr3;
		return (uint32_t)(c >> 12 | c << 20);
	}
	return cr3 >> 12;
}

#endif /* XENCORE_X86_H */
