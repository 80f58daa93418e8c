// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * native.c: --native-vmcore, the pagetypes guest as a native machine's
 * /proc/vmcore (x86_64, or i386 PAE) whose page tables hold pfns, and
 * --expect-pagetables, the tables such an export rewrites and the entries
 * it clears.
 */
#include <elf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* The pfn whose extent maps mfn, or INVALID_ENTRY (not a frame of the guest). */
static uint64_t pfn_of_mfn(const struct model *m, uint64_t mfn)
{
	for (size_t x = 0; x < m->n_ext; x++)
		if (mfn >= m->ext[x].mfn && mfn - m->ext[x].mfn < m->ext[x].count)
			return m->ext[x].pfn + (mfn - m->ext[x].mfn);
	return INVALID_ENTRY;
}

/* What a page-table page is to a native export (gen_native_page()). */
enum native_table {
	NT_NONE,		/* not a page table */
	NT_L4,			/* a 64-bit L4 (the root, a process's kernel or user pgd) */
	NT_PDPT,		/* a PAE pgd: only entries 0-3 are entries */
	NT_XEN_L2,		/* a PAE L2 under a PDPT's entry 3: entries 428-511 are Xen's */
	NT_TABLE,		/* any other table */
};

static enum native_table native_table_of(const struct model *m, uint64_t pfn)
{
	uint32_t k = sp_of_pfn(m, pfn);
	unsigned p, kind;

	if (k != SP_NONE) {
		/* A table no entry names is no table a walk finds (pagetypes' p2m_missing_pte). */
		if (!is_page_table(m->sp[k].kind) ||
		    (m->sp[k].kind == SP_MISSING_PTE && !m->missing_pte_used))
			return NT_NONE;
		if (m->sp[k].kind == SP_ROOT)
			return m->pae ? NT_PDPT : NT_L4;
		return m->pae && m->sp[k].kind == SP_KL2 ? NT_XEN_L2 : NT_TABLE;
	}
	if (!proc_pt_of_pfn(m, pfn, &p, &kind))
		return NT_NONE;
	if (kind == PPT_PGD)
		return m->pae ? NT_PDPT : NT_L4;
	return kind == PPT_UPGD ? NT_L4 : kind == PPT_KPMD ? NT_XEN_L2 : NT_TABLE;
}

/* Entry i of a table of this kind is in Xen's range (xg_core_x86.c's limits). */
static bool native_xen_entry(enum native_table t, unsigned i)
{
	return (t == NT_L4 && i >= XEN_SLOT_FIRST && i <= XEN_SLOT_LAST) ||
	       (t == NT_XEN_L2 && i >= XEN_PAE_L2_FIRST);
}

/*
 * pfn's page as the native machine holds it: the guest's bytes, but a page
 * table holds pfns where the guest's held mfns (what xen_pte_val() would
 * show the kernel) and has no Xen entries (every L4's slots 256-271, a
 * PAE pmd's entries 428-511 under a pgd's entry 3); a present entry naming
 * no frame of the guest is cleared.  Flags and entries that are not
 * present are kept; a PAE pgd's entries are its first 4.
 */
static void gen_native_page(const struct model *m, uint64_t pfn, uint8_t *pg)
{
	enum native_table t = native_table_of(m, pfn);

	gen_page(m, pfn, mfn_of(m, pfn), pg);
	if (t == NT_NONE)
		return;
	for (unsigned i = 0; i < (t == NT_PDPT ? 4 : ENTRIES); i++) {
		uint64_t e = get_le64(pg, 8 * i), f;

		if (native_xen_entry(t, i))
			e = 0;
		if (e & 1) {
			f = pfn_of_mfn(m, (e & 0x000ffffffffff000ULL) >> PAGE_SHIFT);
			e = f == INVALID_ENTRY ? 0 : (e & ~0x000ffffffffff000ULL) | f << PAGE_SHIFT;
		}
		put_le64(pg, 8 * i, e);
	}
}

/* A PT_LOAD of the native vmcore: pfns [pfn, pfn + count), the last nodata ones without bytes. */
struct native_load {
	uint64_t pfn, count, nodata, vaddr, offset;
};

/* The PT_LOADs a guest can need: 64, and 8 more per block of pagetypes --max-pfn. */
static size_t native_max_loads(const struct model *m)
{
	return 64 + 8 * (m->max_pfn / PT_BLOCK_PFNS);
}

/*
 * The PT_LOADs: first the kernel image's (vaddr __START_KERNEL_map +
 * paddr, PAE PAGE_OFFSET + paddr, as kexec-tools puts it first), then one
 * per run of populated pfns in the direct map (vaddr PAGE_OFFSET + paddr:
 * a PAE guest's 64 MiB are all lowmem), the holes being
 * unpopulated pfns.  A populated pfn the dump lacks ends its run as a
 * page without bytes (p_memsz past p_filesz, as a filtered ELF dump
 * marks an excluded page): makedumpfile reads it as zeros and never
 * writes it out.  Returns the number of loads, or 0.
 */
static size_t native_loads(const struct model *m, struct native_load *ld)
{
	const size_t max = native_max_loads(m);
	size_t n = 0;

	ld[n++] = (struct native_load){ KERNEL_TEXT_PFN, kimage_pages(m), 0, m->ka->va, 0 };
	for (uint64_t pfn = 0; pfn < m->max_pfn;) {
		uint64_t end = pfn;

		if (!find_extent(m, pfn)) {
			pfn++;
			continue;
		}
		while (end < m->max_pfn && find_extent(m, end) && is_dumped(m, end))
			end++;
		if (end < m->max_pfn && find_extent(m, end))	/* populated, not dumped */
			end++;
		if (n == max)
			return 0;
		ld[n++] = (struct native_load){ pfn, end - pfn, is_dumped(m, end - 1) ? 0 : 1,
						pt_direct(m, pfn, 0), 0 };
		pfn = end;
	}
	return n;
}

/* A program header of the native vmcore at ph: Elf64_Phdr, or Elf32_Phdr for PAE. */
static void native_phdr(const struct model *m, uint8_t *ph, uint32_t type, uint32_t flags,
			uint64_t offset, uint64_t vaddr, uint64_t paddr, uint64_t filesz,
			uint64_t memsz)
{
	put_le32(ph, 0, type);
	if (m->pae) {
		put_le32(ph, 4, (uint32_t)offset);
		put_le32(ph, 8, (uint32_t)vaddr);
		put_le32(ph, 12, (uint32_t)paddr);
		put_le32(ph, 16, (uint32_t)filesz);
		put_le32(ph, 20, (uint32_t)memsz);
		put_le32(ph, 24, flags);
		return;
	}
	put_le32(ph, 4, flags);
	put_le64(ph, 8, offset);
	put_le64(ph, 16, vaddr);
	put_le64(ph, 24, paddr);
	put_le64(ph, 32, filesz);
	put_le64(ph, 40, memsz);
}

/*
 * --native-vmcore: an ELF64 ET_CORE EM_X86_64 (pagetypes-pae: ELF32
 * EM_386) such as /proc/vmcore gives a kdump kernel of this guest's
 * machine, for makedumpfile: a PT_NOTE with the VMCOREINFO note (the
 * guest's text and CRASHTIME), then the PT_LOADs of native_loads() in
 * pseudo-physical space (p_paddr = pfn << 12) with the pages of
 * gen_native_page().  Headers are written with put_le*(); the layout: ELF
 * header, program headers, the note, pages from the next page boundary
 * on, in PT_LOAD order.
 */
int write_native_vmcore(const struct model *m, int fd, const char *path)
{
	struct native_load *ld = malloc(native_max_loads(m) * sizeof(*ld));
	size_t nld = ld ? native_loads(m, ld) : 0, nph = nld + 1, textlen, hdr_size;
	uint8_t *hdr = NULL, *buf = malloc((size_t)WRITE_BATCH * PAGE_SIZE);
	char text[PAGE_SIZE];
	/* Elf64_Ehdr and Elf64_Phdr, or Elf32_Ehdr and Elf32_Phdr */
	const uint32_t ehsize = m->pae ? 52 : 64, phsize = m->pae ? 32 : 56;
	uint64_t note_off = ehsize + phsize * nph, note_size, off;
	int ret = -1;

	if (!buf || !ld) {
		fail("out of memory");
		goto out;
	}
	textlen = pt_vmcoreinfo(m, text, sizeof(text), true);
	note_size = 12 + 12 + align_up(textlen, 4);	/* header, "VMCOREINFO\0" padded, text */
	/* One page for the 64 MiB guests; more with many loads (pagetypes --max-pfn). */
	hdr_size = align_up(note_off + note_size, PAGE_SIZE);
	hdr = calloc(1, hdr_size);
	if (!hdr) {
		fail("out of memory");
		goto out;
	}
	if (!nld || textlen >= sizeof(text)) {
		fail("internal: the native vmcore's headers do not fit");
		goto out;
	}
	memcpy(hdr, ELFMAG, SELFMAG);
	hdr[EI_CLASS] = m->pae ? ELFCLASS32 : ELFCLASS64;
	hdr[EI_DATA] = ELFDATA2LSB;
	hdr[EI_VERSION] = EV_CURRENT;
	hdr[EI_OSABI] = ELFOSABI_SYSV;
	put_le16(hdr, 16, ET_CORE);
	put_le16(hdr, 18, m->pae ? EM_386 : EM_X86_64);
	put_le32(hdr, 20, EV_CURRENT);
	if (m->pae) {
		put_le32(hdr, 28, ehsize);	/* e_phoff */
		put_le16(hdr, 40, (uint16_t)ehsize);
		put_le16(hdr, 42, (uint16_t)phsize);
		put_le16(hdr, 44, (uint16_t)nph);
	} else {
		put_le64(hdr, 32, ehsize);	/* e_phoff */
		put_le16(hdr, 52, (uint16_t)ehsize);
		put_le16(hdr, 54, (uint16_t)phsize);
		put_le16(hdr, 56, (uint16_t)nph);
	}
	/* PT_NOTE */
	native_phdr(m, hdr + ehsize, PT_NOTE, 0, note_off, 0, 0, note_size, note_size);
	/* The note: namesz 11, descsz, type 0, "VMCOREINFO" (crash_core.c append_elf_note()). */
	put_le32(hdr, note_off, 11);
	put_le32(hdr, note_off + 4, (uint32_t)textlen);
	put_le32(hdr, note_off + 8, 0);
	memcpy(hdr + note_off + 12, "VMCOREINFO", 11);
	memcpy(hdr + note_off + 24, text, textlen);
	off = align_up(note_off + note_size, PAGE_SIZE);
	for (size_t i = 0; i < nld; i++) {
		ld[i].offset = off;
		native_phdr(m, hdr + ehsize + phsize * (i + 1), PT_LOAD, PF_R | PF_W | PF_X, off,
			    ld[i].vaddr, ld[i].pfn << PAGE_SHIFT,
			    (ld[i].count - ld[i].nodata) << PAGE_SHIFT, ld[i].count << PAGE_SHIFT);
		off += (ld[i].count - ld[i].nodata) << PAGE_SHIFT;
	}
	if (pwrite_all(fd, hdr, hdr_size, 0, path))
		goto out;
	for (size_t i = 0; i < nld; i++) {
		uint64_t n = ld[i].count - ld[i].nodata;

		for (uint64_t done = 0; done < n;) {
			uint64_t b = n - done < WRITE_BATCH ? n - done : WRITE_BATCH;

			for (uint64_t k = 0; k < b; k++)
				gen_native_page(m, ld[i].pfn + done + k, buf + k * PAGE_SIZE);
			if (pwrite_all(fd, buf, b * PAGE_SIZE, ld[i].offset + done * PAGE_SIZE, path))
				goto out;
			done += b;
		}
	}
	ret = 0;
out:
	free(buf);
	free(hdr);
	free(ld);
	return ret;
}
/* ---- --expect-pagetables: the tables a native export rewrites ---- */

/* An extent by its mfns (pt_walk's mfn -> pfn lookup). */
static int cmp_extent_mfn(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	return x->mfn < y->mfn ? -1 : x->mfn > y->mfn;
}

/* A page-table entry a native export clears. */
struct pt_clear {
	uint64_t pfn, entry;
	uint32_t index;
};

static int cmp_pt_clear(const void *a, const void *b)
{
	const struct pt_clear *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The walk from the roots: level[pfn] is a table's level (4..1, PAE 3..1;
 * 0: not a table), | PT_XEN_L2 for a PAE L2 reached through a pgd's entry
 * 3; the entries to clear, unsorted.
 */
#define PT_XEN_L2		0x10u
#define PT_LEVEL_MASK		0x0fu

struct pt_walk {
	const struct model *m;
	struct extent *by_mfn;	/* the extents sorted by mfn */
	uint8_t *level;
	uint64_t *todo;
	size_t ntodo, cap_todo;
	struct pt_clear *clear;
	size_t nclear, cap_clear;
};

/* The pfn whose extent maps mfn, or INVALID_ENTRY (binary search). */
static uint64_t pt_walk_pfn(const struct pt_walk *w, uint64_t mfn)
{
	size_t lo = 0, hi = w->m->n_ext;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct extent *e = &w->by_mfn[mid];

		if (mfn < e->mfn)
			hi = mid;
		else if (mfn - e->mfn >= e->count)
			lo = mid + 1;
		else
			return e->pfn + (mfn - e->mfn);
	}
	return INVALID_ENTRY;
}

/* Marks pfn a table of this level (and flag); queues it the first time. */
static int pt_walk_add(struct pt_walk *w, uint64_t pfn, uint8_t level)
{
	if (pfn >= w->m->max_pfn)
		return fail("internal: a page table at pfn 0x%" PRIx64 " past max_pfn", pfn);
	if (w->level[pfn])
		return w->level[pfn] == level ? 0 :
		       fail("internal: pfn 0x%" PRIx64 " is a table of two levels", pfn);
	w->level[pfn] = level;
	if (w->ntodo == w->cap_todo) {
		size_t ncap = w->cap_todo ? 2 * w->cap_todo : 256;
		uint64_t *n = realloc(w->todo, ncap * sizeof(*n));

		if (!n)
			return fail("out of memory");
		w->todo = n;
		w->cap_todo = ncap;
	}
	w->todo[w->ntodo++] = pfn;
	return 0;
}

static int pt_walk_clear(struct pt_walk *w, uint64_t pfn, uint32_t index, uint64_t entry)
{
	if (w->nclear == w->cap_clear) {
		size_t ncap = w->cap_clear ? 2 * w->cap_clear : 256;
		struct pt_clear *n = realloc(w->clear, ncap * sizeof(*n));

		if (!n)
			return fail("out of memory");
		w->clear = n;
		w->cap_clear = ncap;
	}
	w->clear[w->nclear++] = (struct pt_clear){ pfn, entry, index };
	return 0;
}

/*
 * The table at pfn: its entries to clear, and the tables it names, queued.
 * Present entries only; an L1's are leaves, and so are large pages (PS,
 * bit 7, in an L2 or a 64-bit L3); Xen's entries are not followed.  The
 * native export (gen_native_page()) must see the same table.
 */
static int pt_walk_table(struct pt_walk *w, uint64_t pfn, uint8_t *pg)
{
	const struct model *m = w->m;
	uint8_t lv = w->level[pfn] & PT_LEVEL_MASK, top = m->pae ? 3 : 4;
	enum native_table want = lv == top ? (m->pae ? NT_PDPT : NT_L4) :
				 w->level[pfn] & PT_XEN_L2 ? NT_XEN_L2 : NT_TABLE;

	if (native_table_of(m, pfn) != want)
		return fail("internal: the native export does not rewrite the table at pfn 0x%"
			    PRIx64 " as one", pfn);
	gen_page(m, pfn, mfn_of(m, pfn), pg);
	for (unsigned i = 0; i < (want == NT_PDPT ? 4 : ENTRIES); i++) {
		uint64_t e = get_le64(pg, 8 * i), f;

		if (native_xen_entry(want, i)) {
			if (e && pt_walk_clear(w, pfn, i, e))
				return -1;
			continue;
		}
		if (!(e & 1))
			continue;
		f = pt_walk_pfn(w, (e & 0x000ffffffffff000ULL) >> PAGE_SHIFT);
		if (f == INVALID_ENTRY) {
			if (pt_walk_clear(w, pfn, i, e))
				return -1;
			continue;
		}
		if (lv == 1 || (lv != top && e & 0x80))
			continue;
		if (pt_walk_add(w, f, (uint8_t)((lv - 1) | (m->pae && lv == 3 && i == 3 ?
							    PT_XEN_L2 : 0))))
			return -1;
	}
	return 0;
}

/*
 * --expect-pagetables: every page-table page reachable from the roots a
 * native export starts from (each vcpu's ctrlreg[3] and, 64-bit,
 * ctrlreg[1], p2m_cr3, init_top_pgt / swapper_pg_dir, every pgd on
 * pgd_list and, 64-bit, each one's user pgd), "0x<pfn> 0x<mfn> <level>"
 * in pfn order, then the entries the export clears, "clear 0x<pfn>
 * <index> 0x<entry>" by pfn and index.  The model's tables, not the --bad
 * damage.
 */
int write_expect_pagetables(const struct model *m0, FILE *f)
{
	struct model mm = *m0;
	struct pt_walk w = { &mm, NULL, NULL, NULL, 0, 0, NULL, 0, 0 };
	uint8_t pg[PAGE_SIZE], top = mm.pae ? 3 : 4;
	int ret = -1;

	mm.bad = BAD_NONE;
	w.by_mfn = malloc(mm.n_ext * sizeof(*w.by_mfn));
	w.level = calloc(mm.max_pfn, 1);
	if (!w.by_mfn || !w.level) {
		fail("out of memory");
		goto out;
	}
	memcpy(w.by_mfn, mm.ext, mm.n_ext * sizeof(*w.by_mfn));
	qsort(w.by_mfn, mm.n_ext, sizeof(*w.by_mfn), cmp_extent_mfn);
	/* the vcpus' cr3 (and user cr3), p2m_cr3 and init_top_pgt: */
	for (unsigned v = 0; v < NR_VCPUS; v++)
		for (int user = 0; user < (mm.pae ? 1 : 2); user++)
			if (pt_walk_add(&w, pt_walk_pfn(&w, vcpu_root_mfn(&mm, v, user)), top))
				goto out;
	if (pt_walk_add(&w, pt_walk_pfn(&w, mm.sp_mfn[0]), top) ||
	    pt_walk_add(&w, sp_pfn(&mm, mm.kpt_sp[SP_ROOT]), top))
		goto out;
	/* pgd_list's pgds and their user pgds (page.private) */
	for (unsigned p = 0; p < PROC_N; p++)
		if (pt_walk_add(&w, proc_pt_pfn(&mm, p, PPT_PGD), top) ||
		    (!mm.pae && pt_walk_add(&w, proc_pt_pfn(&mm, p, PPT_UPGD), top)))
			goto out;
	while (w.ntodo)
		if (pt_walk_table(&w, w.todo[--w.ntodo], pg))
			goto out;
	for (uint64_t pfn = 0; pfn < mm.max_pfn; pfn++)
		if (w.level[pfn])
			fprintf(f, "0x%" PRIx64 " 0x%" PRIx64 " %u\n", pfn, mfn_of(&mm, pfn),
				w.level[pfn] & PT_LEVEL_MASK);
	qsort(w.clear, w.nclear, sizeof(*w.clear), cmp_pt_clear);
	for (size_t i = 0; i < w.nclear; i++)
		fprintf(f, "clear 0x%" PRIx64 " %u 0x%" PRIx64 "\n", w.clear[i].pfn,
			w.clear[i].index, w.clear[i].entry);
	ret = ferror(f) ? -1 : 0;
out:
	free(w.by_mfn);
	free(w.level);
	free(w.todo);
	free(w.clear);
	return ret;
}
