// SPDX-License-Identifier: LGPL-2.1-or-later
/* vcpu.c: registers from the dump's vcpu_guest_context records. */
#include <config.h>

#include <inttypes.h>
#include <string.h>

#include "abi.h"
#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "x86.h"

/*
 * Offsets in struct vcpu_guest_context (public/arch-x86/xen.h with
 * xen-x86_64.h / xen-x86_32.h): flags, then user_regs (struct
 * cpu_user_regs), kernel_ss/kernel_sp, ctrlreg[8]; 64-bit: fs_base,
 * gs_base_kernel, gs_base_user at the end.
 */
struct context_layout {
	unsigned int size;	/* bytes actually defined */
	unsigned int word;
	unsigned int flags, regs, kernel_ss, kernel_sp, ctrlreg;
	unsigned int fs_base, gs_base_kernel, gs_base_user;	/* 0: none */
};

static const struct context_layout ctx64 = {
	.size = 5168, .word = 8,
	.flags = 512, .regs = 520, .kernel_ss = 4968, .kernel_sp = 4976, .ctrlreg = 4984,
	.fs_base = 5144, .gs_base_kernel = 5152, .gs_base_user = 5160,
};

/* 32-bit: trap_ctxt 256x8 @584, gdt_frames[16] @2640, kernel_ss @2708. */
static const struct context_layout ctx32 = {
	.size = 2800, .word = 4,
	.flags = 512, .regs = 516, .kernel_ss = 2708, .kernel_sp = 2712, .ctrlreg = 2716,
};

/*
 * struct cpu_user_regs, x86-64: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax
 * rcx rdx rsi rdi (u64 each), error_code and entry_vector (u32), rip @128,
 * cs @136, rflags @144, rsp @152, then ss, es, ds, fs, gs (u16, each in 8
 * bytes) from @160.
 */
static void regs64(const unsigned char *r, struct xencore_vcpu_regs *ret)
{
	uint64_t *const gpr[15] = {
		&ret->r15, &ret->r14, &ret->r13, &ret->r12, &ret->rbp, &ret->rbx, &ret->r11,
		&ret->r10, &ret->r9, &ret->r8, &ret->rax, &ret->rcx, &ret->rdx, &ret->rsi,
		&ret->rdi,
	};
	for (int i = 0; i < 15; i++)
		*gpr[i] = le64(r + 8 * i);
	ret->rip = le64(r + 128);
	ret->cs = le16(r + 136);
	ret->rflags = le64(r + 144);
	ret->rsp = le64(r + 152);
	ret->ss = le16(r + 160);
	ret->es = le16(r + 168);
	ret->ds = le16(r + 176);
	ret->fs = le16(r + 184);
	ret->gs = le16(r + 192);
}

/*
 * x86-32: ebx ecx edx esi edi ebp eax (u32 each), error_code and
 * entry_vector (u16), eip @32, cs @36, eflags @40, esp @44, then ss, es,
 * ds, fs, gs (u16, each in 4 bytes) from @48.
 */
static void regs32(const unsigned char *r, struct xencore_vcpu_regs *ret)
{
	uint64_t *const gpr[7] = {
		&ret->rbx, &ret->rcx, &ret->rdx, &ret->rsi, &ret->rdi, &ret->rbp, &ret->rax,
	};
	for (int i = 0; i < 7; i++)
		*gpr[i] = le32(r + 4 * i);
	ret->rip = le32(r + 32);
	ret->cs = le16(r + 36);
	ret->rflags = le32(r + 40);
	ret->rsp = le32(r + 44);
	ret->ss = le16(r + 48);
	ret->es = le16(r + 52);
	ret->ds = le16(r + 56);
	ret->fs = le16(r + 60);
	ret->gs = le16(r + 64);
}

static uint64_t word(const unsigned char *p, unsigned int off, unsigned int w)
{
	return w == 8 ? le64(p + off) : le32(p + off);
}

/* The context of vcpu index and its layout, or an error. */
static struct xencore_error *context(const struct xencore_dump *dump, uint64_t index,
				     const unsigned char **ret, const struct context_layout **l_ret)
{
	if (index >= dump->info.nr_contexts)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"vcpu %" PRIu64 " is not in the dump (it has %" PRIu64 " vcpu contexts)",
				index, dump->info.nr_contexts);
	const struct context_layout *l = dump->info.guest_bits == 64 ? &ctx64 : &ctx32;
	if (dump->context_size < l->size)
		return xc_error(XENCORE_ERROR_FORMAT,
				"vcpu contexts are %zu bytes, want at least %u",
				dump->context_size, l->size);
	*ret = dump->contexts + index * dump->context_size;
	*l_ret = l;
	return NULL;
}

/* The whole struct, this library's size. */
static struct xencore_error *vcpu_regs(const struct xencore_dump *dump, uint64_t index,
				       struct xencore_vcpu_regs *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->size = sizeof(*ret);
	const unsigned char *c = NULL;
	const struct context_layout *l = NULL;
	struct xencore_error *err = context(dump, index, &c, &l);
	if (err)
		return err;
	ret->bits = dump->info.guest_bits;
	ret->flags = word(c, l->flags, l->word);
	if (l->word == 8)
		regs64(c + l->regs, ret);
	else
		regs32(c + l->regs, ret);
	ret->kernel_ss = word(c, l->kernel_ss, l->word);
	ret->kernel_sp = word(c, l->kernel_sp, l->word);
	for (int i = 0; i < 5; i++)
		ret->cr[i] = word(c, l->ctrlreg + i * l->word, l->word);
	if (l->fs_base) {
		ret->fs_base = le64(c + l->fs_base);
		ret->gs_base_kernel = le64(c + l->gs_base_kernel);
		ret->gs_base_user = le64(c + l->gs_base_user);
	}
	/* HVM: ctrlreg[3] is the guest's own cr3, a guest-physical address. */
	ret->cr3_mfn = dump->info.hvm ? ret->cr[3] >> X86_PAGE_SHIFT
				      : x86_cr3_to_mfn(ret->cr[3], dump->info.guest_bits);
	ret->user_cr3_mfn = l->word == 8 && !dump->info.hvm ? ret->cr[1] >> X86_PAGE_SHIFT : 0;
	return NULL;
}

struct xencore_error *xencore_dump_vcpu_regs(const struct xencore_dump *dump, uint64_t index,
					     struct xencore_vcpu_regs *ret)
{
	struct xencore_vcpu_regs r;
	struct xencore_error *err = vcpu_regs(dump, index, &r);
	XC_ABI_OUT(ret, &r, XC_SIZE_0_1_VCPU_REGS);	/* zeroed on failure */
	return err;
}

struct xencore_error *xencore_dump_vcpu(const struct xencore_dump *dump,
					uint64_t index,
					struct xencore_vcpu *ret)
{
	struct xencore_vcpu v = { .size = sizeof(v) };
	struct xencore_vcpu_regs r;
	struct xencore_error *err = vcpu_regs(dump, index, &r);
	if (!err) {
		v.flags = r.flags;
		v.rip = r.rip;
		v.rsp = r.rsp;
		v.kernel_sp = r.kernel_sp;
		v.cr3 = r.cr[3];
		v.cr3_mfn = x86_cr3_to_mfn(r.cr[3], dump->info.guest_bits);
	}
	XC_ABI_OUT(ret, &v, XC_SIZE_0_1_VCPU);
	return err;
}
