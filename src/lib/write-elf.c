// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * write-elf.c: the ELF core writer of xencore filter: the guest as the
 * /proc/vmcore of a kdump kernel would give it (a native export only).
 *
 * Layout, as kexec-tools builds /proc/vmcore (kexec/crashdump-elf.c) and
 * its readers need it: the ELF header; the program headers right after it
 * (makedumpfile reads them there whatever e_phoff says), one PT_NOTE first
 * (crash takes the first as the notes and the rest as loads), then the
 * PT_LOADs, p_align 0 (crash tells a kdump vmcore by it); the notes; the
 * pages from the next page boundary on.
 *
 * A PT_LOAD per run of kept pfns: p_paddr = pfn << 12, p_vaddr the direct
 * map's address (page_offset + p_paddr).  Zero pages at dump level 1 are a
 * load's tail beyond p_filesz (they read as zeros, as makedumpfile -E
 * writes them), which needs them known before the headers: a first pass
 * reads the pages.  x86-64: the kernel image gets loads of its own first,
 * at __START_KERNEL_map + p_paddr, sharing the file's bytes with the
 * direct map's (drgn reads the top page table through it).  i386: ELF32
 * unless memory reaches past 4 GiB (then ELF64, EM_386), loads split at
 * 896 MiB, those above with p_vaddr all ones (highmem has no direct map).
 */
#include <config.h>

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "filter-priv.h"
#include "native-priv.h"
#include "output-notes.h"
#include "x86.h"

/* kexec-tools kexec/arch/i386/crashdump-x86.h X86_MAXMEM: lowmem's end. */
#define LOWMEM_END_PFN	(X86_32_LOWMEM_MAX >> X86_PAGE_SHIFT)
/* What the program headers' count holds without extended numbering. */
#define MAX_LOADS	(PN_XNUM - 2)

struct elf_load {
	uint64_t pfn, pages;	/* the pfns it covers */
	uint64_t file_pages;	/* the first ones held in the file, the rest zero */
	uint64_t offset;	/* of its first page in the file */
	uint64_t vaddr;
};

struct elf_w {
	struct output_notes notes;
	struct elf_load *loads;
	size_t nr, cap;
	uint64_t notes_off, data_off;
	uint64_t *zero;		/* plan pages that are zero (dump level 1), or NULL */
	struct out_stream data;
};

static uint64_t align(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

static bool add_load(struct elf_w *w, const struct elf_load *l)
{
	if (w->nr == w->cap) {
		size_t c = w->cap ? 2 * w->cap : 64;
		struct elf_load *n = realloc(w->loads, c * sizeof(*n));
		if (!n)
			return false;
		w->loads = n;
		w->cap = c;
	}
	w->loads[w->nr++] = *l;
	return true;
}

/*
 * Zero pages are a load's tail only in runs of ELF_MIN_ZERO or more (pfns
 * in a row): shorter ones are written, as makedumpfile -E writes short
 * runs, so that the loads stay few (crash and makedumpfile read 65535).
 */
#define ELF_MIN_ZERO	256

static void clear_if_short(uint64_t *zero, uint64_t start, uint64_t len)
{
	for (uint64_t i = start; len < ELF_MIN_ZERO && i < start + len; i++)
		zero[i / 64] &= ~(UINT64_C(1) << (i % 64));
}

static void keep_short_zero_runs(const struct filter_plan *plan, uint64_t *zero)
{
	uint64_t ord = 0, start = 0, len = 0, next_pfn = 0;
	for (size_t r = 0; r < plan->nr; r++) {
		for (uint64_t k = 0; k < plan->runs[r].count; k++, ord++) {
			uint64_t pfn = plan->runs[r].pfn + k;
			bool z = zero[ord / 64] >> (ord % 64) & 1;
			if (len && (!z || pfn != next_pfn)) {
				clear_if_short(zero, start, len);
				len = 0;
			}
			if (z) {
				if (!len)
					start = ord;
				len++;
				next_pfn = pfn + 1;
			}
		}
	}
	clear_if_short(zero, start, len);
}

/*
 * The direct map's loads, in plan order: a load is pfn-contiguous pages,
 * those held in the file first and zero ones after; a page held after a
 * zero one, a gap in the pfns or (i386) the lowmem boundary starts the next.
 */
static struct xencore_error *plan_loads(struct filter_out *o, struct elf_w *w, bool i386,
					uint64_t page_offset)
{
	const struct filter_plan *plan = o->plan;
	struct elf_load cur = { 0 };
	bool open = false;
	uint64_t ord = 0, file_page = 0;
	for (size_t r = 0; r < plan->nr; r++) {
		const struct page_run *run = &plan->runs[r];
		for (uint64_t k = 0; k < run->count; k++, ord++) {
			uint64_t pfn = run->pfn + k;
			bool zero = w->zero && (w->zero[ord / 64] >> (ord % 64) & 1);
			bool next = !open || pfn != cur.pfn + cur.pages ||
				    (!zero && cur.file_pages < cur.pages) ||
				    (i386 && pfn == LOWMEM_END_PFN);
			if (next) {
				if (open && !add_load(w, &cur))
					return &xencore_enomem;
				uint64_t va = i386 && pfn >= LOWMEM_END_PFN ? UINT64_MAX
					    : page_offset + (pfn << X86_PAGE_SHIFT);
				cur = (struct elf_load){ pfn, 0, 0, file_page, va };
				open = true;
			}
			cur.pages++;
			if (!zero) {
				cur.file_pages++;
				file_page++;
			}
		}
	}
	if (open && !add_load(w, &cur))
		return &xencore_enomem;
	return NULL;
}

/*
 * The kernel image's loads: the parts of the direct map's loads it covers,
 * put first, as kexec-tools puts the kernel's load before the others.
 */
static struct xencore_error *text_loads(struct elf_w *w, const struct xencore_native_info *in)
{
	if (!w->nr)
		return NULL;
	/* At most one a direct map's load: room for both sets. */
	struct elf_load *all = malloc(2 * w->nr * sizeof(*all));
	if (!all)
		return &xencore_enomem;
	size_t nr = 0;
	uint64_t start = in->text_pfn, end = in->text_pfn + in->text_pages;
	for (size_t i = 0; i < w->nr; i++) {
		const struct elf_load *l = &w->loads[i];
		uint64_t a = l->pfn > start ? l->pfn : start;
		uint64_t b = l->pfn + l->pages < end ? l->pfn + l->pages : end;
		if (a >= b)
			continue;
		uint64_t skip = a - l->pfn;
		uint64_t file = l->file_pages > skip ? l->file_pages - skip : 0;
		all[nr++] = (struct elf_load){
			a, b - a, file < b - a ? file : b - a,
			l->offset + (skip < l->file_pages ? skip : l->file_pages),
			in->text_vaddr + ((a - start) << X86_PAGE_SHIFT),
		};
	}
	memcpy(all + nr, w->loads, w->nr * sizeof(*all));
	free(w->loads);
	w->loads = all;
	w->cap = 2 * w->nr;
	w->nr += nr;
	return NULL;
}

/* The ELF header and program headers, through libelf (which truncates the file to them). */
static struct xencore_error *write_headers(struct filter_out *o, struct elf_w *w, int cls,
					   unsigned int machine)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return filter_libelf_error("ELF headers", 0);
	Elf *elf = elf_begin(o->fd, ELF_C_WRITE, NULL);
	if (!elf)
		return filter_libelf_error("ELF headers", 0);
	struct xencore_error *err = NULL;
	GElf_Ehdr eh;
	if (!gelf_newehdr(elf, cls) || !gelf_getehdr(elf, &eh)) {
		err = filter_libelf_error("ELF header", 0);
		goto out;
	}
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh.e_type = ET_CORE;
	eh.e_machine = (GElf_Half)machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	/* The header first: gelf_newphdr() then sets its count. */
	if (!gelf_update_ehdr(elf, &eh) || !gelf_newphdr(elf, w->nr + 1)) {
		err = filter_libelf_error("ELF header", 0);
		goto out;
	}
	GElf_Phdr ph = {
		.p_type = PT_NOTE, .p_offset = w->notes_off, .p_filesz = w->notes.total,
		.p_memsz = w->notes.total,
	};
	bool ok = gelf_update_phdr(elf, 0, &ph);
	for (size_t i = 0; ok && i < w->nr; i++) {
		const struct elf_load *l = &w->loads[i];
		ph = (GElf_Phdr){
			.p_type = PT_LOAD, .p_flags = PF_R | PF_W | PF_X,
			.p_offset = l->file_pages ? l->offset * FILTER_PAGE_SIZE + w->data_off
						  : w->data_off,
			.p_vaddr = l->vaddr, .p_paddr = l->pfn << X86_PAGE_SHIFT,
			.p_filesz = l->file_pages * FILTER_PAGE_SIZE,
			.p_memsz = l->pages * FILTER_PAGE_SIZE,
		};
		ok = gelf_update_phdr(elf, (int)(i + 1), &ph);
	}
	if (!ok) {
		err = filter_libelf_error("program headers", 0);
		goto out;
	}
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	errno = 0;
	if (elf_update(elf, ELF_C_WRITE) < 0)
		err = filter_libelf_error("ELF headers", errno);
out:
	elf_end(elf);
	(void)elf_errno();	/* libelf keeps its last error per thread: leave none */
	return err;
}

static struct xencore_error *elf_begin_w(struct filter_out *o)
{
	struct elf_w *w = calloc(1, sizeof(*w));
	if (!w)
		return &xencore_enomem;
	o->writer = w;
	const struct xencore_native_info *in = xencore_native_info(o->opt->native);
	struct xencore_dump *dump = o->dump;
	bool i386 = dump->info.guest_bits == 32;
	struct xencore_error *err;
	if (o->level & XENCORE_DL_ZERO) {
		if ((err = filter_zero_map(o, &w->zero)))
			return err;
		keep_short_zero_runs(o->plan, w->zero);
	}
	if ((err = plan_loads(o, w, i386, in->page_offset)))
		return err;
	if (!i386 && in->has_kernel_text && (err = text_loads(w, in)))
		return err;
	if (w->nr > MAX_LOADS)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the kept pages make %zu runs of pfns, more than the %u loads an ELF core holds for crash and makedumpfile: use --output-format=kdump",
				w->nr, MAX_LOADS);
	/* kexec-tools: ELF32 for i386 unless memory ends above 4 GiB. */
	uint64_t end = 0;
	for (size_t i = 0; i < w->nr; i++)
		if (w->loads[i].pfn + w->loads[i].pages > end)
			end = w->loads[i].pfn + w->loads[i].pages;
	int cls = i386 && end <= (UINT64_C(1) << 20) ? ELFCLASS32 : ELFCLASS64;
	if (cls == ELFCLASS32)
		for (size_t i = 0; i < w->nr; i++)
			if (w->loads[i].vaddr == UINT64_MAX)
				w->loads[i].vaddr = UINT32_MAX;
	if ((err = output_notes_build(o, o->plan->nr_pages, &w->notes)))
		return err;
	uint64_t ehdr = cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	uint64_t phdr = cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	w->notes_off = ehdr + phdr * (w->nr + 1);
	w->data_off = align(w->notes_off + w->notes.total, FILTER_PAGE_SIZE);
	if (cls == ELFCLASS32 && w->data_off + o->plan->nr_pages * FILTER_PAGE_SIZE > UINT32_MAX)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the pages make an ELF32 core of more than 4 GiB: use --output-format=kdump");
	if ((err = write_headers(o, w, cls, i386 ? EM_386 : EM_X86_64)) ||
	    (err = output_notes_write(o, &w->notes, w->notes_off)))
		return err;
	return stream_init(&w->data, w->data_off);
}

static struct xencore_error *elf_batch(struct filter_out *o, const struct batch *b)
{
	struct elf_w *w = o->writer;
	for (size_t i = 0; i < b->n; i++) {
		uint64_t ord = b->first + i;
		const unsigned char *page = b->in + i * FILTER_PAGE_SIZE;
		if (w->zero && (w->zero[ord / 64] >> (ord % 64) & 1)) {
			/* The first pass and this one read the same bytes; they must agree. */
			if (!filter_page_is_zero(page))
				return xc_error(XENCORE_ERROR_OS,
						"pfn 0x%" PRIx64 " changed while the output was written",
						b->pfn[i]);
			o->nr_zero++;
			continue;
		}
		struct xencore_error *err = stream_put(o, &w->data, page, FILTER_PAGE_SIZE);
		if (err)
			return err;
	}
	return NULL;
}

static struct xencore_error *elf_finish(struct filter_out *o)
{
	struct elf_w *w = o->writer;
	return stream_flush(o, &w->data);
}

static void elf_cleanup(struct filter_out *o)
{
	struct elf_w *w = o->writer;
	if (!w)
		return;
	free(w->notes.p);
	free(w->loads);
	free(w->zero);
	stream_free(&w->data);
	free(w);
	o->writer = NULL;
}

const struct filter_writer elf_writer = {
	.begin = elf_begin_w,
	.batch = elf_batch,
	.finish = elf_finish,
	.cleanup = elf_cleanup,
};
