// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * elf.c: the ELF xc_core dump ("xl dump-core", Xen tools/libs/guest
 * xg_core.c): its sections (.note.Xen, .xen_prstatus, .xen_shared_info,
 * .xen_p2m or .xen_pfn, .xen_pages) written through libelf, and the --bad
 * kinds that damage the container after libelf wrote a good one.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* ftruncate when built standalone */
#endif

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libelf.h>

#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* xen/include/public/elfnote.h */
#define XEN_ELFNOTE_DUMPCORE_NONE		0x2000000u
#define XEN_ELFNOTE_DUMPCORE_HEADER		0x2000001u
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION	0x2000002u
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION	0x2000003u
/* xg_private.h: an HVM dump's magic (model.h: XC_CORE_MAGIC, a PV one's) */
#define XC_CORE_MAGIC_HVM	0xF00FEBEEULL

/* xg_core.h: XEN_DUMPCORE_FORMAT_VERSION_CURRENT = (0 << 32) | 1 */
#define XC_CORE_FORMAT_VERSION	1ULL

/* xg_core.h: struct elfnote is namesz, descsz, type, name[4] = "Xen\0". */
#define NOTE_HDR		16u
#define NOTE_HEADER_DESC	32u	/* xen_dumpcore_elfnote_header_desc */
#define NOTE_VERSION_DESC	1280u	/* xen_dumpcore_elfnote_xen_version_desc */
#define NOTE_FORMAT_DESC	8u	/* xen_dumpcore_elfnote_format_version_desc */
#define NOTE_SECTION_SIZE \
	(4 * NOTE_HDR + NOTE_HEADER_DESC + NOTE_VERSION_DESC + NOTE_FORMAT_DESC)

/* Offsets in xen_dumpcore_elfnote_xen_version_desc (xg_core.h, version.h). */
#define XV_MAJOR		0
#define XV_MINOR		8
#define XV_EXTRA		16	/* xen_extraversion_t, char[16] */
#define XV_COMPILER		32	/* xen_compile_info_t: compiler[64] */
#define XV_COMPILE_BY		96	/*   compile_by[16] */
#define XV_COMPILE_DOMAIN	112	/*   compile_domain[32] */
#define XV_COMPILE_DATE		144	/*   compile_date[32] */
#define XV_CAPABILITIES		176	/* xen_capabilities_info_t, char[1024] */
#define XV_CHANGESET		1200	/* xen_changeset_info_t, char[64] */
#define XV_VIRT_START		1264	/* xen_platform_parameters_t.virt_start */
#define XV_PAGESIZE		1272	/* 64-bit guests; 32-bit ones move it to 1268 */
#define VGC_FCW			0	/* fpu_ctxt is an FXSAVE image */
#define VGC_MXCSR		24
#define VGC_FLAGS		512
#define VGC_RBP			552	/* user_regs starts at 520 with r15 */
#define VGC_RAX			600
#define VGC_RDI			632
#define VGC_RIP			648
#define VGC_CS			656
#define VGC_RFLAGS		664
#define VGC_RSP			672
#define VGC_SS			680
#define VGC_KERNEL_SS		4968
#define VGC_KERNEL_SP		4976
#define VGC_CTRLREG(n)		(4984 + 8 * (n))
#define VGCF_I387_VALID		(1ULL << 0)
#define VGCF_IN_KERNEL		(1ULL << 2)
#define VGCF_ONLINE		(1ULL << 5)
#define FLAT_KERNEL_CS64	0xe033u	/* xen-x86_64.h: FLAT_RING3_CS64 */
#define FLAT_KERNEL_SS64	0xe02bu	/* xen-x86_64.h: FLAT_RING3_SS64 */
#define VGC_FS_BASE		5144
#define VGC_GS_BASE_KERNEL	5152

/* HVM guest state (Linux segment.h, a typical cr4, an invented per-cpu area). */
#define HVM_KERNEL_CS		0x10u	/* __KERNEL_CS */
#define HVM_KERNEL_DS		0x18u	/* __KERNEL_DS */
#define HVM_CR4			0x3706f0ULL	/* PAE|PGE|OSFXSR|OSXMMEXCPT|FSGSBASE|PCIDE|OSXSAVE|SMEP|SMAP, |0x10 PSE */
#define HVM_PERCPU_BASE		0xffff88803ec00000ULL
#define HVM_PERCPU_STRIDE	0x40000ULL
#define VGC32_FLAGS		512	/* u32 */
#define VGC32_EDI		532	/* user_regs at 516: ebx ecx edx esi edi ebp eax */
#define VGC32_EBP		536
#define VGC32_EIP		548
#define VGC32_CS		552	/* u16 */
#define VGC32_EFLAGS		556
#define VGC32_ESP		560
#define VGC32_SS		564	/* u16 */
#define VGC32_KERNEL_SS		2708
#define VGC32_KERNEL_SP		2712
#define VGC32_CTRLREG(n)	(2716 + 4 * (n))
#define FLAT_KERNEL_CS32	0xe019u	/* xen-x86_32.h FLAT_RING1_CS */
#define FLAT_KERNEL_SS32	0xe021u	/* xen-x86_32.h FLAT_RING1_SS */

/* xen.h + arch-x86/xen.h: arch_shared_info in a 64-bit shared_info page. */
#define SHI_MAX_PFN		3088
#define SHI_FRAME_LIST_LIST	3096
#define SHI_NMI_REASON		3104
#define SHI_P2M_CR3		3112	/* merged order: p2m_cr3, p2m_vaddr, p2m_generation */
#define SHI_P2M_VADDR		3120
#define SHI_P2M_GENERATION	3128

/* The same in a 32-bit guest's shared_info (FORMATS.md; 4-byte fields). */
#define SHI32_MAX_PFN		2316
#define SHI32_FRAME_LIST_LIST	2320
#define SHI32_NMI_REASON	2324
#define SHI32_P2M_CR3		2328	/* folded, as xen_pfn_to_cr3() */
#define SHI32_P2M_VADDR		2332
#define SHI32_P2M_GENERATION	2336
#define P2M_BATCH		65536u	/* .xen_p2m entries per pwrite (big) */

static void put_note(uint8_t *b, size_t *off, uint32_t type, uint32_t descsz)
{
	put_le32(b, *off, 4);		/* namesz: "Xen" + NUL */
	put_le32(b, *off + 4, descsz);
	put_le32(b, *off + 8, type);
	memcpy(b + *off + 12, "Xen", 4);
	*off += NOTE_HDR;
}

/*
 * .note.Xen as xg_core.c writes it: none, header, xen_version,
 * format_version; returns its size (NOTE_SECTION_SIZE but for the --bad
 * kinds that drop or shorten the header note).
 */
static size_t build_notes(const struct model *m, uint8_t *b)
{
	size_t off = 0;
	uint8_t *v;
	/* note-header-short: the desc ends after nr_pages (no page_size). */
	uint32_t hdr_desc = m->bad == BAD_NOTE_HEADER_SHORT ? NOTE_HEADER_DESC - 8 : NOTE_HEADER_DESC;

	memset(b, 0, NOTE_SECTION_SIZE);
	put_note(b, &off, XEN_ELFNOTE_DUMPCORE_NONE, 0);

	if (m->bad != BAD_NOTE_NO_HEADER) {
		put_note(b, &off, XEN_ELFNOTE_DUMPCORE_HEADER, hdr_desc);
		put_le64(b, off, m->bad == BAD_MAGIC ? 0x12345678ULL :
				 m->hvm ? XC_CORE_MAGIC_HVM : XC_CORE_MAGIC);
		put_le64(b, off + 8, m->bad == BAD_PRSTATUS_TOO_MANY ? XEN_MAX_VCPUS + 1 : NR_VCPUS);
		put_le64(b, off + 16, m->nr_pages);
		if (hdr_desc == NOTE_HEADER_DESC)
			put_le64(b, off + 24, m->bad == BAD_NOTE_PAGE_SIZE ? 2 * PAGE_SIZE : PAGE_SIZE);
		off += hdr_desc;
	}

	put_note(b, &off, XEN_ELFNOTE_DUMPCORE_XEN_VERSION, NOTE_VERSION_DESC);
	v = b + off;
	put_le64(v, XV_MAJOR, 4);
	put_le64(v, XV_MINOR, 17);
	put_str(v, XV_EXTRA, 16, ".2");
	put_str(v, XV_COMPILER, 64, "gcc (Debian 12.2.0-14) 12.2.0");
	put_str(v, XV_COMPILE_BY, 16, "xencore");
	put_str(v, XV_COMPILE_DOMAIN, 32, "fixture.invalid");
	put_str(v, XV_COMPILE_DATE, 32, "Tue Aug  8 12:00:00 UTC 2023");
	put_str(v, XV_CAPABILITIES, 1024,
		"xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64");
	put_str(v, XV_CHANGESET, 64, "Tue Aug 8 12:00:00 2023 +0000 git:0000000000");
	put_le64(v, XV_VIRT_START, HYPERVISOR_VIRT_START);
	put_le64(v, XV_PAGESIZE, PAGE_SIZE);
	/*
	 * xg_core.c elfnote_dump_xen_version(): for a guest narrower than the
	 * toolstack, "32 bit elf file format differs in pagesize's alignment":
	 * pagesize is moved 4 bytes down, over virt_start's upper half (the
	 * toolstack's own virt_start, 0xffff800000000000, keeps its low half
	 * 0 at 1264); bytes 1276-1279 keep pagesize's old upper half, 0.
	 */
	if (m->pae)
		memmove(v + XV_PAGESIZE - 4, v + XV_PAGESIZE, 8);
	off += NOTE_VERSION_DESC;

	/* note-desc-past-section: the last note claims a page of desc; 8 bytes follow. */
	put_note(b, &off, XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION,
		 m->bad == BAD_NOTE_DESC_PAST ? PAGE_SIZE : NOTE_FORMAT_DESC);
	put_le64(b, off, XC_CORE_FORMAT_VERSION);
	return off + NOTE_FORMAT_DESC;
}

/*
 * Two vcpus of a guest interrupted in its kernel, both on the same L4 but
 * in pagetypes, whose vcpu 1 idles on process 0's tables (lazy TLB: the
 * idle task keeps the last mm loaded).
 */
/*
 * A 32-bit PAE guest's contexts (xen-x86_32.h layout, 2800 bytes) at the
 * start of each 5168-byte slot: xg_core.c writes vcpu_guest_context_any_t,
 * the union of both layouts, zero-filled.
 */
static void build_prstatus32(const struct model *m, uint8_t *b)
{
	for (unsigned v = 0; v < NR_VCPUS; v++) {
		uint8_t *c = b + v * VGC_SIZE;
		uint32_t cr3 = (uint32_t)guest_cr3(m, vcpu_root_mfn(m, v, false));
		uint32_t stack_top = (uint32_t)(KERNEL_TEXT_VA32 + (KP_STACK0 + 2 * v) * PAGE_SIZE);

		put_le16(c, VGC_FCW, 0x037f);
		put_le32(c, VGC_MXCSR, 0x1f80);
		put_le32(c, VGC32_FLAGS, VGCF_I387_VALID | VGCF_IN_KERNEL | VGCF_ONLINE);
		put_le32(c, VGC32_EDI, v);
		put_le32(c, VGC32_EBP, m->pk ? (uint32_t)pk_vcpu_rbp(m, v) : stack_top - 0x18);
		put_le32(c, VGC32_EIP, (uint32_t)(KERNEL_TEXT_VA32 + VCPU_RIP_OFF(v)));
		put_le16(c, VGC32_CS, FLAT_KERNEL_CS32);
		put_le32(c, VGC32_EFLAGS, 0x246);
		put_le32(c, VGC32_ESP, m->pk ? (uint32_t)pk_vcpu_rsp(m, v) : stack_top - 0x2c - 0x20 * v);
		put_le16(c, VGC32_SS, FLAT_KERNEL_SS32);
		put_le32(c, VGC32_KERNEL_SS, FLAT_KERNEL_SS32);
		put_le32(c, VGC32_KERNEL_SP, stack_top);
		put_le32(c, VGC32_CTRLREG(0), 0x80050033);
		put_le32(c, VGC32_CTRLREG(3), m->bad == BAD_CR3_ZERO ? 0 : cr3);
	}
}

/*
 * HVM contexts as Xen's arch_get_info_guest() fills them: the 64-bit
 * layout; flags without VGCF_in_kernel (a PV notion); ctrlreg[0,2,3,4] the
 * guest's own cr0/cr2/cr3/cr4, cr3 a guest-physical address; cs/ss the
 * guest's selectors (Linux __KERNEL_CS 0x10, __KERNEL_DS 0x18); fs_base and
 * gs_base_kernel from the segment registers (ring 0: gs_base_kernel is the
 * active GS base, the per-cpu area); no kernel_ss/kernel_sp (PV only).
 */
static void build_prstatus_hvm(const struct model *m, uint8_t *b)
{
	uint64_t cr3 = m->sp_mfn[0] << PAGE_SHIFT;	/* gpfn = gmfn */

	for (unsigned v = 0; v < NR_VCPUS; v++) {
		uint8_t *c = b + v * VGC_SIZE;
		uint64_t stack_top = KERNEL_TEXT_VA + (KP_STACK0 + 2 * v) * PAGE_SIZE;

		put_le16(c, VGC_FCW, 0x037f);
		put_le32(c, VGC_MXCSR, 0x1f80);
		put_le64(c, VGC_FLAGS, VGCF_I387_VALID | VGCF_ONLINE);
		put_le64(c, VGC_RDI, v);
		put_le64(c, VGC_RIP, KERNEL_TEXT_VA + VCPU_RIP_OFF(v));
		put_le64(c, VGC_CS, HVM_KERNEL_CS);
		put_le64(c, VGC_RFLAGS, 0x246);
		put_le64(c, VGC_RSP, stack_top - 0x58 - 0x40 * v);
		put_le64(c, VGC_RBP, stack_top - 0x30);
		put_le64(c, VGC_SS, HVM_KERNEL_DS);
		put_le64(c, VGC_CTRLREG(0), 0x80050033);
		put_le64(c, VGC_CTRLREG(3), m->bad == BAD_CR3_ZERO ? 0 : cr3);
		put_le64(c, VGC_CTRLREG(4), HVM_CR4);
		put_le64(c, VGC_GS_BASE_KERNEL, HVM_PERCPU_BASE + v * HVM_PERCPU_STRIDE);
	}
}

void build_prstatus(const struct model *m, uint8_t *b)
{
	memset(b, 0, NR_VCPUS * VGC_SIZE);
	if (m->pae) {
		build_prstatus32(m, b);
		return;
	}
	if (m->hvm) {
		build_prstatus_hvm(m, b);
		return;
	}
	for (unsigned v = 0; v < NR_VCPUS; v++) {
		uint8_t *c = b + v * VGC_SIZE;
		/* Stacks in the mapped kernel image (.bss with kimage), one per vcpu. */
		uint64_t stack_top = KERNEL_TEXT_VA +
			(m->kimage ? KP_STACK0 + 2 * v : KERNEL_TEXT_PAGES - 4 + 2 * v) * PAGE_SIZE;

		put_le16(c, VGC_FCW, 0x037f);	/* FNINIT state */
		put_le32(c, VGC_MXCSR, 0x1f80);
		put_le64(c, VGC_FLAGS, VGCF_I387_VALID | VGCF_IN_KERNEL | VGCF_ONLINE);
		put_le64(c, VGC_RAX, 0);
		put_le64(c, VGC_RDI, v);
		put_le64(c, VGC_RIP, KERNEL_TEXT_VA + VCPU_RIP_OFF(v));
		put_le64(c, VGC_CS, FLAT_KERNEL_CS64);
		put_le64(c, VGC_RFLAGS, 0x246);
		/* pagetypes: a frame-pointer chain from rbp (pk_build_stacks()) */
		put_le64(c, VGC_RSP, m->pk ? pk_vcpu_rsp(m, v) : stack_top - 0x58 - 0x40 * v);
		put_le64(c, VGC_RBP, m->pk ? pk_vcpu_rbp(m, v) : stack_top - 0x30);
		put_le64(c, VGC_SS, FLAT_KERNEL_SS64);
		put_le64(c, VGC_KERNEL_SS, FLAT_KERNEL_SS64);
		put_le64(c, VGC_KERNEL_SP, stack_top);
		put_le64(c, VGC_CTRLREG(0), 0x80050033);	/* PG|AM|WP|NE|ET|MP|PE */
		/* user L4: the same root but for pagetypes' process (its user pgd) */
		put_le64(c, VGC_CTRLREG(1), vcpu_root_mfn(m, v, true) << PAGE_SHIFT);
		put_le64(c, VGC_CTRLREG(3),
			 m->bad == BAD_CR3_ZERO ? 0 : vcpu_root_mfn(m, v, false) << PAGE_SHIFT);
	}
}

/*
 * The shared_info page as the dump holds it.  Only arch_shared_info is
 * modelled; an HVM guest's is all zero (--shared-info): its kernel
 * publishes no p2m (only a PV Linux writes max_pfn and the list fields,
 * arch/x86/xen/p2m.c) and Xen writes none of them.
 */
static void build_shared_info(const struct model *m, uint8_t *b)
{
	memset(b, 0, PAGE_SIZE);
	if (m->hvm)
		return;
	if (m->pae) {	/* 32-bit layout: arch_shared_info at 0x90c, u32 fields */
		put_le32(b, SHI32_MAX_PFN, (uint32_t)m->max_pfn);
		put_le32(b, SHI32_FRAME_LIST_LIST, (uint32_t)m->pub_fll);
		put_le32(b, SHI32_NMI_REASON, 0);
		put_le32(b, SHI32_P2M_CR3, (uint32_t)m->pub_p2m_cr3);
		put_le32(b, SHI32_P2M_VADDR, (uint32_t)m->pub_p2m_vaddr);
		put_le32(b, SHI32_P2M_GENERATION, (uint32_t)m->generation);
		return;
	}
	put_le64(b, SHI_MAX_PFN, m->bad == BAD_MAX_PFN_HUGE ? 1ULL << 52 : m->max_pfn);
	put_le64(b, SHI_FRAME_LIST_LIST, m->pub_fll);
	put_le64(b, SHI_NMI_REASON, 0);
	put_le64(b, SHI_P2M_CR3, m->pub_p2m_cr3);
	put_le64(b, SHI_P2M_VADDR, m->pub_p2m_vaddr);
	put_le64(b, SHI_P2M_GENERATION, m->generation);
}

struct section {
	const char *name;
	uint32_t type;
	uint64_t offset;
	uint64_t size;
	uint64_t addralign;
	uint64_t entsize;
	const void *data;	/* NULL: written by the caller (.xen_pages) */
	uint32_t name_off;
};

/*
 * Writes an ELF64 ET_CORE with the given sections through libelf with
 * ELF_F_LAYOUT: section headers right after the ELF header (as xg_core.c
 * puts them), every offset chosen by us.  A section without data gets a
 * header only; libelf sizes the file to cover it and writes nothing there.
 */
static int write_elf(int fd, struct section *secs, size_t nsec, size_t shstrndx,
		     uint16_t machine)
{
	Elf *elf;
	Elf64_Ehdr *eh;
	int ret = -1;

	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf)
		return fail_elf("elf_begin");
	if (!elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT)) {
		fail_elf("elf_flagelf");
		goto out;
	}
	eh = elf64_newehdr(elf);
	if (!eh) {
		fail_elf("elf64_newehdr");
		goto out;
	}
	/* xg_core.c xc_core_ehdr_init(); note EI_ABIVERSION = EV_CURRENT there. */
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_ident[EI_ABIVERSION] = EV_CURRENT;
	eh->e_type = ET_CORE;
	eh->e_machine = machine;	/* xg_core_x86.h: EM_386 for a 32-bit PV guest */
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0;
	eh->e_phoff = 0;
	eh->e_shoff = sizeof(Elf64_Ehdr);
	eh->e_flags = 0;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 0;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shstrndx = (Elf64_Half)shstrndx;

	for (size_t i = 0; i < nsec; i++) {
		Elf_Scn *scn = elf_newscn(elf);
		Elf64_Shdr *sh;

		if (!scn || !(sh = elf64_getshdr(scn))) {
			fail_elf("elf_newscn");
			goto out;
		}
		sh->sh_name = secs[i].name_off;
		sh->sh_type = secs[i].type;
		sh->sh_flags = 0;
		sh->sh_addr = 0;
		sh->sh_offset = secs[i].offset;
		sh->sh_size = secs[i].size;
		sh->sh_link = 0;
		sh->sh_info = 0;
		sh->sh_addralign = secs[i].addralign;
		sh->sh_entsize = secs[i].entsize;
		if (secs[i].data && secs[i].size) {
			Elf_Data *d = elf_newdata(scn);

			if (!d) {
				fail_elf("elf_newdata");
				goto out;
			}
			/* Bytes already in file order: no libelf conversion. */
			d->d_buf = (void *)secs[i].data;
			d->d_type = ELF_T_BYTE;
			d->d_size = secs[i].size;
			d->d_off = 0;
			d->d_align = 1;
			d->d_version = EV_CURRENT;
		}
	}
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		fail_elf("elf_update");
		goto out;
	}
	ret = 0;
out:
	elf_end(elf);
	return ret;
}

/* Streams the .xen_pages contents, in .xen_p2m order, at off. */
static int write_pages(const struct model *m, int fd, uint64_t off, const char *path)
{
	return write_pages_of(m, m->p2m, fd, off, path);
}

/*
 * big: streams .xen_p2m (every dumped pfn, ascending) at p2m_off and writes
 * only the pages with contents of their own (structural pages and the
 * kernel image) into .xen_pages at pages_off.  The data pages are never
 * written: they stay holes of the sparse file and read as zeros.  Memory
 * use does not depend on max_pfn.  With --content mixed every page is
 * written.  Consecutive written pages go out in batches of WRITE_BATCH.
 */
static int write_sparse(const struct model *m, int fd, uint64_t pages_off, uint64_t p2m_off,
			const char *path)
{
	uint8_t *ents = malloc((size_t)P2M_BATCH * 16), *pg = malloc((size_t)WRITE_BATCH * PAGE_SIZE);
	uint64_t i = 0, first = 0, pg_first = 0;
	size_t nb = 0, npg = 0;
	int ret = -1;

	if (!ents || !pg) {
		fail("out of memory for the .xen_p2m buffer");
		goto out;
	}
	for (size_t x = 0; x < m->n_ext; x++) {
		const struct extent *e = &m->ext[x];

		for (uint64_t pfn = e->pfn; pfn < e->pfn + e->count; pfn++) {
			uint64_t mfn = e->mfn + (pfn - e->pfn);

			if (!is_dumped(m, pfn))
				continue;
			put_le64(ents, 16 * nb, pfn);
			put_le64(ents, 16 * nb + 8, mfn);
			if (++nb == P2M_BATCH) {
				if (pwrite_all(fd, ents, nb * 16, p2m_off + 16 * first, path))
					goto out;
				first += nb;
				nb = 0;
			}
			if (m->mixed || sp_of_pfn(m, pfn) != SP_NONE ||
			    (pfn >= KERNEL_TEXT_PFN && pfn - KERNEL_TEXT_PFN < kimage_pages(m))) {
				/* The batch holds pages pg_first .. pg_first + npg - 1. */
				if (npg && (pg_first + npg != i || npg == WRITE_BATCH)) {
					if (pwrite_all(fd, pg, npg * PAGE_SIZE,
						       pages_off + pg_first * PAGE_SIZE, path))
						goto out;
					npg = 0;
				}
				if (!npg)
					pg_first = i;
				gen_page(m, pfn, mfn, pg + npg++ * PAGE_SIZE);
			}
			i++;
		}
	}
	if (nb && pwrite_all(fd, ents, nb * 16, p2m_off + 16 * first, path))
		goto out;
	if (npg && pwrite_all(fd, pg, npg * PAGE_SIZE, pages_off + pg_first * PAGE_SIZE, path))
		goto out;
	if (i != m->nr_pages) {
		fail("internal: wrote %" PRIu64 " of %" PRIu64 " pages", i, m->nr_pages);
		goto out;
	}
	ret = 0;
out:
	free(ents);
	free(pg);
	return ret;
}

uint32_t strtab_add(char *tab, uint32_t *len, const char *name)
{
	uint32_t off = *len;

	memcpy(tab + off, name, strlen(name) + 1);
	*len += (uint32_t)strlen(name) + 1;
	return off;
}

/* --bad not-xc-core: a well-formed ET_CORE with nothing of Xen in it. */
int write_not_xc_core(int fd)
{
	static const char desc[] = "not an xc_core dump";
	/* namesz, descsz, type, "xencore\0", desc padded to 4 bytes */
	uint8_t note[12 + 8 + (sizeof(desc) + 3) / 4 * 4];
	char strtab[32];
	uint32_t len = 1;
	struct section secs[2];
	size_t notesz = sizeof(note);

	memset(note, 0, sizeof(note));
	memset(strtab, 0, sizeof(strtab));
	put_le32(note, 0, 8);		/* namesz: "xencore" + NUL */
	put_le32(note, 4, sizeof(desc));
	put_le32(note, 8, 0x786e6300);	/* a type no reader knows */
	memcpy(note + 12, "xencore", 8);
	memcpy(note + 20, desc, sizeof(desc));

	secs[0] = (struct section){ .name = ".shstrtab", .type = SHT_STRTAB };
	secs[1] = (struct section){ .name = ".note", .type = SHT_NOTE, .addralign = 4,
				    .data = note, .size = notesz };
	for (size_t i = 0; i < 2; i++)
		secs[i].name_off = strtab_add(strtab, &len, secs[i].name);
	secs[0].data = strtab;
	secs[0].size = len;
	secs[1].offset = sizeof(Elf64_Ehdr) + 3 * sizeof(Elf64_Shdr);
	secs[0].offset = secs[1].offset + notesz;
	return write_elf(fd, secs, 2, 1, EM_X86_64);
}

/* Writes the little-endian value v, size bytes, at off (the --bad patches). */
static int patch_le(int fd, uint64_t off, unsigned size, uint64_t v, const char *path)
{
	uint8_t b[8];

	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return pwrite_all(fd, b, size, off, path);
}

/* A page-misaligned offset at or after off (--bad pages-unaligned). */
uint64_t unaligned_after(uint64_t off)
{
	uint64_t u = align_up(off, 0x100);

	return u % PAGE_SIZE ? u : u + 0x100;
}

/* Elf64_Ehdr and Elf64_Shdr field offsets, for the --bad kinds that patch them. */
#define EH_TYPE		16
#define EH_MACHINE	18
#define EH_SHOFF	40
#define EH_SHENTSIZE	58
#define EH_SHNUM	60
#define EH_SHSTRNDX	62
#define SH_TYPE		4
#define SH_OFFSET	24
#define SH_SIZE		32
#define SH_ENTSIZE	56
#define EM_AARCH64_VALUE	183	/* elf.h EM_AARCH64 */

/*
 * The --bad kinds that damage the ELF container after libelf wrote a good
 * one: header fields, section header fields, the file's length.  shdr(i)
 * is the file offset of section header i; nhdr counts them, null included.
 */
static int patch_elf(const struct model *m, int fd, const char *path, size_t nhdr,
		     size_t hdr_note, size_t hdr_prs, size_t hdr_shi, size_t hdr_p2m,
		     size_t hdr_pages, uint64_t pages_off)
{
	struct stat st;
	uint64_t size;
#define SHDR(i) (sizeof(Elf64_Ehdr) + (uint64_t)(i) * sizeof(Elf64_Shdr))

	if (fstat(fd, &st) != 0)
		return fail("%s: stat: %s", path, strerror(errno));
	size = (uint64_t)st.st_size;
	switch (m->bad) {
	case BAD_ELF_MAGIC:	/* "\177ELG" */
		return patch_le(fd, EI_MAG3, 1, 'G', path);
	case BAD_ELF_CLASS32:
		return patch_le(fd, EI_CLASS, 1, ELFCLASS32, path);
	case BAD_ELF_BIG_ENDIAN:
		return patch_le(fd, EI_DATA, 1, ELFDATA2MSB, path);
	case BAD_ELF_VERSION:
		return patch_le(fd, EI_VERSION, 1, EV_NONE, path);
	case BAD_ELF_NOT_CORE:
		return patch_le(fd, EH_TYPE, 2, ET_EXEC, path);
	case BAD_ELF_MACHINE:
		return patch_le(fd, EH_MACHINE, 2, EM_AARCH64_VALUE, path);
	case BAD_SHOFF_PAST_END:
		return patch_le(fd, EH_SHOFF, 8, align_up(size, PAGE_SIZE) + 0x100000, path);
	case BAD_SHNUM_PAST_END: {
		/* One header more than the file holds after e_shoff. */
		uint64_t n = (size - sizeof(Elf64_Ehdr)) / sizeof(Elf64_Shdr) + 1;

		if (n > UINT16_MAX)
			return fail("--bad shnum-past-end: the file is too large for e_shnum to pass its end");
		return patch_le(fd, EH_SHNUM, 2, n, path);
	}
	case BAD_SHSTRNDX:	/* the first index past the last section */
		return patch_le(fd, EH_SHSTRNDX, 2, nhdr, path);
	case BAD_SHENTSIZE:	/* sizeof(Elf32_Shdr) */
		return patch_le(fd, EH_SHENTSIZE, 2, sizeof(Elf32_Shdr), path);
	case BAD_TRUNCATE_HEADERS:	/* in the middle of section header 3 */
		if (ftruncate(fd, (off_t)(SHDR(3) + sizeof(Elf64_Shdr) / 2)) != 0)
			return fail("%s: truncate: %s", path, strerror(errno));
		return 0;
	case BAD_NOTE_TYPE:
		return patch_le(fd, SHDR(hdr_note) + SH_TYPE, 4, SHT_PROGBITS, path);
	case BAD_NOTE_SIZE_ABSURD:	/* offset + size wraps past 2^64 */
		return patch_le(fd, SHDR(hdr_note) + SH_SIZE, 8, 0xfffffffffffff000ULL, path);
	case BAD_PRSTATUS_ENTSIZE:	/* a quarter of a context: divides the size, no layout is so small */
		return patch_le(fd, SHDR(hdr_prs) + SH_ENTSIZE, 8, VGC_SIZE / 4, path);
	case BAD_SHARED_INFO_SIZE:	/* half a page; the page's bytes are all there */
		return patch_le(fd, SHDR(hdr_shi) + SH_SIZE, 8, PAGE_SIZE / 2, path);
	case BAD_PAGES_SHORT:	/* one page fewer than the header note's nr_pages */
		return patch_le(fd, SHDR(hdr_pages) + SH_SIZE, 8,
				(m->nr_pages - 1) * PAGE_SIZE, path);
	case BAD_P2M_PAST_END:	/* the first entry is the file's last 16 bytes */
		return patch_le(fd, SHDR(hdr_p2m) + SH_OFFSET, 8, size - 16, path);
	case BAD_SECTIONS_OVERLAP:	/* .xen_p2m's header names .xen_pages' first bytes */
		return patch_le(fd, SHDR(hdr_p2m) + SH_OFFSET, 8, pages_off, path);
	default:
		return 0;
	}
#undef SHDR
}

/*
 * Writes the dump to fd.  Default layout: .xen_pages last in the file and in
 * the section headers; --xen-order: exactly xg_core.c's order (.xen_pages,
 * then .xen_p2m, then .shstrtab at the end of the file).
 */
int write_dump(const struct model *m, int fd, bool xen_order, const char *path)
{
	uint8_t notes[NOTE_SECTION_SIZE];
	/* prstatus-too-many: one context more than Xen allows, zero after the first two. */
	uint64_t nctx = m->bad == BAD_PRSTATUS_TOO_MANY ? XEN_MAX_VCPUS + 1 : NR_VCPUS;
	uint8_t *prstatus = calloc(nctx, VGC_SIZE);
	uint8_t shinfo[PAGE_SIZE];
	char strtab[128];
	uint32_t len = 1;
	struct section secs[6], out[7];
	enum { S_STR, S_NOTE, S_PRS, S_SHI, S_P2M, S_PAGES };
	size_t idx_pages, idx_p2m, nsec = 6, nout = 0, drop = SIZE_MAX, hdr[6];
	/* HVM: .xen_pfn, u64 pfn per page, instead of .xen_p2m {pfn, gmfn}. */
	uint64_t entsz = m->hvm ? 8 : 16;
	uint64_t off, p2m_size = m->nr_pages * entsz, pages_size = m->nr_pages * PAGE_SIZE;
	uint8_t *pfns = NULL, *table = NULL;
	int ret = -1;

	if (!prstatus)
		return fail("out of memory");
	build_prstatus(m, prstatus);
	build_shared_info(m, shinfo);
	memset(strtab, 0, sizeof(strtab));
	/* p2m-duplicate-*: the section gets a damaged copy; the pages follow m->p2m. */
	if (m->bad == BAD_P2M_DUP_PFN || m->bad == BAD_P2M_DUP_MFN) {
		uint64_t last = m->nr_pages;

		table = malloc(m->nr_pages * 16);
		if (!table) {
			free(prstatus);
			return fail("out of memory");
		}
		memcpy(table, m->p2m, m->nr_pages * 16);
		/* The last entry that is not HVM padding claims the first entry's pfn (mfn). */
		while (last > 0 && !memcmp(table + 16 * (last - 1), "\xff\xff\xff\xff\xff\xff\xff\xff", 8))
			last--;
		if (last < 2) {
			free(prstatus);
			free(table);
			return fail("--bad %s needs two dumped pages", bad_names[m->bad]);
		}
		memcpy(table + 16 * (last - 1) + (m->bad == BAD_P2M_DUP_MFN ? 8 : 0),
		       table + (m->bad == BAD_P2M_DUP_MFN ? 8 : 0), 8);
	}
	if (m->hvm) {
		const uint8_t *src = table ? table : m->p2m;

		pfns = malloc(p2m_size ? p2m_size : 1);
		if (!pfns) {
			free(prstatus);
			free(table);
			return fail("out of memory");
		}
		for (uint64_t i = 0; i < m->nr_pages; i++)
			memcpy(pfns + 8 * i, src + 16 * i, 8);
	}

	/* xg_core.c: sh_addralign is the C alignment, sh_entsize the element size. */
	secs[S_STR] = (struct section){ ".shstrtab", SHT_STRTAB, 0, 0, 0, 0, strtab, 0 };
	secs[S_NOTE] = (struct section){ ".note.Xen", SHT_NOTE, 0, build_notes(m, notes), 0, 0,
					 notes, 0 };
	secs[S_PRS] = (struct section){ ".xen_prstatus", SHT_PROGBITS, 0, nctx * VGC_SIZE,
					8, VGC_SIZE, prstatus, 0 };
	secs[S_SHI] = (struct section){ ".xen_shared_info", SHT_PROGBITS, 0, PAGE_SIZE, 8,
					PAGE_SIZE, shinfo, 0 };
	secs[S_P2M] = (struct section){ ".xen_p2m", SHT_PROGBITS, 0, p2m_size, 8, 16,
					table ? table : m->p2m, 0 };
	if (m->hvm)
		secs[S_P2M] = (struct section){ ".xen_pfn", SHT_PROGBITS, 0, p2m_size, 8, 8, pfns,
						0 };
	secs[S_PAGES] = (struct section){ ".xen_pages", SHT_PROGBITS, 0, pages_size, PAGE_SIZE,
					  PAGE_SIZE, NULL, 0 };
	if (xen_order) {	/* header order of xg_core.c: pages before p2m */
		struct section t = secs[S_P2M];

		secs[S_P2M] = secs[S_PAGES];
		secs[S_PAGES] = t;
	}
	idx_pages = xen_order ? S_P2M : S_PAGES;
	idx_p2m = xen_order ? S_PAGES : S_P2M;
	/*
	 * xg_core.c: no .xen_shared_info when the page cannot be mapped (HVM
	 * without --shared-info: the guest never placed it in its physmap).
	 */
	if (!m->shinfo) {
		memmove(&secs[S_SHI], &secs[S_SHI + 1], 2 * sizeof(secs[0]));
		nsec = 5;
		idx_pages--;
		idx_p2m--;
	}
	for (size_t i = 0; i < nsec; i++)
		secs[i].name_off = strtab_add(strtab, &len, secs[i].name);
	secs[S_STR].size = len;

	/*
	 * The section headers written: secs[] without the one a no-*-section
	 * kind drops, and two-p2m-sections repeats .xen_p2m's header at the
	 * end (same name, same bytes).  hdr[i]: secs[i]'s header number.
	 */
	if (m->bad == BAD_NO_NOTE_SECTION)
		drop = S_NOTE;
	else if (m->bad == BAD_NO_P2M_SECTION)
		drop = idx_p2m;
	else if (m->bad == BAD_NO_PAGES_SECTION)
		drop = idx_pages;
	for (size_t i = 0; i < nsec; i++)
		hdr[i] = i == drop ? 0 : 1 + nout++;
	if (m->bad == BAD_TWO_P2M)
		nout++;

	/* File offsets: ELF header, nout + 1 section headers, then the contents. */
	off = sizeof(Elf64_Ehdr) + (nout + 1) * sizeof(Elf64_Shdr);
	secs[S_NOTE].offset = off;
	off += secs[S_NOTE].size;
	secs[S_PRS].offset = off;
	off += secs[S_PRS].size;
	if (m->shinfo) {
		secs[S_SHI].offset = off;
		off += PAGE_SIZE;
	}
	if (!xen_order) {
		secs[idx_p2m].offset = off;
		off += p2m_size;
		secs[S_STR].offset = off;
		off += len;
		secs[idx_pages].offset = m->bad == BAD_PAGES_UNALIGNED ? unaligned_after(off)
								 : align_up(off, PAGE_SIZE);
	} else {
		secs[idx_pages].offset = m->bad == BAD_PAGES_UNALIGNED ? unaligned_after(off)
								 : align_up(off, PAGE_SIZE);
		off = secs[idx_pages].offset + pages_size;
		secs[idx_p2m].offset = off;
		off += p2m_size;
		secs[S_STR].offset = off;
	}
	if (m->bad == BAD_P2M_SIZE)	/* one entry short; the table itself is intact */
		secs[idx_p2m].size = p2m_size >= entsz ? p2m_size - entsz : 0;
	for (size_t i = 0; i < nsec; i++)
		if (i != drop)
			out[hdr[i] - 1] = secs[i];
	if (m->bad == BAD_TWO_P2M) {
		out[nout - 1] = secs[idx_p2m];
		out[nout - 1].data = NULL;	/* a header naming the first one's bytes */
	}

	/* machine-386: a 64-bit guest's sections under a 32-bit guest's e_machine. */
	if (write_elf(fd, out, nout, 1,
		      m->pae || m->bad == BAD_MACHINE_386 ? EM_386 : EM_X86_64) == 0 &&
	    (m->bad == BAD_NO_PAGES_SECTION ||	/* its pages are not written either */
	     (m->sparse ? write_sparse(m, fd, secs[idx_pages].offset, secs[idx_p2m].offset, path)
			: write_pages(m, fd, secs[idx_pages].offset, path)) == 0))
		ret = 0;

	if (ret == 0 && m->bad == BAD_TRUNCATE_PAGES) {
		uint64_t cut = secs[idx_pages].offset + m->nr_pages / 2 * PAGE_SIZE + PAGE_SIZE / 2;

		if (ftruncate(fd, (off_t)cut) != 0)
			ret = fail("%s: truncate: %s", path, strerror(errno));
	}
	if (ret == 0 && m->bad == BAD_PAGES_OFFSET) {
		struct stat st;
		uint8_t v[8];
		/* sh_offset is at byte 24 of an Elf64_Shdr; headers start at 64. */
		uint64_t field = sizeof(Elf64_Ehdr) + (idx_pages + 1) * sizeof(Elf64_Shdr) + 24;

		if (fstat(fd, &st) != 0) {
			ret = fail("%s: stat: %s", path, strerror(errno));
		} else {
			put_le64(v, 0, align_up((uint64_t)st.st_size, PAGE_SIZE) + 0x100000);
			ret = pwrite_all(fd, v, 8, field, path);
		}
	}
	if (ret == 0)
		ret = patch_elf(m, fd, path, nout + 1, hdr[S_NOTE], hdr[S_PRS],
				m->shinfo ? hdr[S_SHI] : 0, hdr[idx_p2m], hdr[idx_pages],
				secs[idx_pages].offset);
	free(prstatus);
	free(pfns);
	free(table);
	return ret;
}
