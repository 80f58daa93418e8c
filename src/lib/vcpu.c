// SPDX-License-Identifier: LGPL-2.1-or-later
/* vcpu.c: registers from the dump's vcpu_guest_context records. */
#include <config.h>

#include <inttypes.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "x86.h"

/*
 * Offsets in struct vcpu_guest_context (public/arch-x86/xen.h with
 * xen-x86_64.h / xen-x86_32.h): flags, user_regs.rip/rsp, kernel_sp,
 * ctrlreg[3].
 */
struct context_layout {
	unsigned int size;	/* bytes actually defined */
	unsigned int word;
	unsigned int flags, rip, rsp, kernel_sp, cr3;
};

static const struct context_layout ctx64 = {
	.size = 5168, .word = 8,
	.flags = 512, .rip = 648, .rsp = 672, .kernel_sp = 4976, .cr3 = 5008,
};

/* 32-bit: trap_ctxt 256x8 @584, gdt_frames[16] @2640, kernel_sp @2712. */
static const struct context_layout ctx32 = {
	.size = 2800, .word = 4,
	.flags = 512, .rip = 548, .rsp = 560, .kernel_sp = 2712, .cr3 = 2728,
};

static uint64_t word(const unsigned char *p, unsigned int off, unsigned int w)
{
	return w == 8 ? le64(p + off) : le32(p + off);
}

struct xencore_error *xencore_dump_vcpu(const struct xencore_dump *dump,
					uint64_t index,
					struct xencore_vcpu *ret)
{
	if (index >= dump->info.nr_contexts)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"vcpu %" PRIu64 " is not in the dump (it has %" PRIu64 " vcpu contexts)",
				index, dump->info.nr_contexts);
	const struct context_layout *l =
		dump->info.guest_bits == 64 ? &ctx64 : &ctx32;
	if (dump->context_size < l->size)
		return xc_error(XENCORE_ERROR_FORMAT,
				"vcpu contexts are %zu bytes, want at least %u",
				dump->context_size, l->size);
	const unsigned char *c = dump->contexts + index * dump->context_size;
	ret->flags = word(c, l->flags, l->word);
	ret->rip = word(c, l->rip, l->word);
	ret->rsp = word(c, l->rsp, l->word);
	ret->kernel_sp = word(c, l->kernel_sp, l->word);
	ret->cr3 = word(c, l->cr3, l->word);
	ret->cr3_mfn = x86_cr3_to_mfn(ret->cr3, dump->info.guest_bits);
	return NULL;
}
