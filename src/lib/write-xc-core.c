// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * write-xc-core.c: the ELF xc_core writer of xencore filter.
 *
 * The layout is xg_core.c's (Xen tools/libs/guest): the ELF header, the
 * section headers, .note.Xen, .xen_prstatus, .xen_shared_info, then
 * .xen_pages (page aligned), .xen_p2m (or .xen_pfn for HVM) and .shstrtab
 * last, with the headers listing the sections in that order.  Pages are
 * streamed to their place first; libelf then writes the headers and the
 * small sections (ELF_F_LAYOUT: it leaves the page and table bytes, which
 * have no Elf_Data, as they are).  The dropped pages are gone from both
 * .xen_pages and .xen_p2m, and the header note counts the pages kept.
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
#include "le.h"

/* sizeof(vcpu_guest_context_any_t) of a 64-bit toolstack: xg_core's stride. */
#define CONTEXT_SIZE_64	5168
/* Table records built in memory at a time. */
#define TABLE_CHUNK	4096

enum { S_NULL, S_STR, S_NOTE, S_PRS, S_SHI, S_PAGES, S_P2M, S_COUNT };

struct xc_w {
	bool hvm, has_shi;
	unsigned char *notes;
	size_t notes_len;
	unsigned char *contexts;	/* padded to ctx_size each */
	size_t ctx_size;
	uint64_t note_off, prs_off, shi_off, pages_off;
	struct out_stream pages;
};

static uint64_t align(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

static struct xencore_error *xc_begin(struct filter_out *o)
{
	struct xencore_dump *dump = o->dump;
	struct xc_w *w = calloc(1, sizeof(*w));
	if (!w)
		return &xencore_enomem;
	o->writer = w;
	w->hvm = dump->info.hvm;
	w->has_shi = dump->shared_info != NULL;
	uint64_t nplan = o->plan->nr_pages;
	o->kept = calloc((size_t)(nplan / 64 + 1), sizeof(*o->kept));
	if (!o->kept)
		return &xencore_enomem;

	/* The header note's page count is set at the end; its size is known now. */
	struct xencore_error *err = filter_xen_notes(dump, 0, &w->notes, &w->notes_len);
	if (err)
		return err;
	if (dump->contexts && dump->info.nr_contexts) {
		w->ctx_size = dump->context_size < CONTEXT_SIZE_64 ? CONTEXT_SIZE_64
								   : dump->context_size;
		w->contexts = calloc((size_t)dump->info.nr_contexts, w->ctx_size);
		if (!w->contexts)
			return &xencore_enomem;
		/* A 32-bit toolstack's 2800-byte contexts sit at the start of the union. */
		for (uint64_t i = 0; i < dump->info.nr_contexts; i++)
			memcpy(w->contexts + i * w->ctx_size, dump->contexts + i * dump->context_size,
			       dump->context_size);
	}

	unsigned int nsec = w->has_shi ? S_COUNT : S_COUNT - 1;
	uint64_t off = sizeof(Elf64_Ehdr) + (uint64_t)nsec * sizeof(Elf64_Shdr);
	w->note_off = off;
	off = align(off + w->notes_len, 8);
	w->prs_off = off;
	off += (uint64_t)w->ctx_size * (w->contexts ? dump->info.nr_contexts : 0);
	if (w->has_shi) {
		off = align(off, 8);
		w->shi_off = off;
		off += dump->shared_info_size;
	}
	w->pages_off = align(off, FILTER_PAGE_SIZE);
	return stream_init(&w->pages, w->pages_off);
}

static struct xencore_error *xc_batch(struct filter_out *o, const struct batch *b)
{
	struct xc_w *w = o->writer;
	for (size_t i = 0; i < b->n; i++) {
		if (b->fate[i] == PAGE_ZERO) {
			o->nr_zero++;
			continue;
		}
		uint64_t ord = b->first + i;
		o->kept[ord / 64] |= UINT64_C(1) << (ord % 64);
		o->nr_kept++;
		struct xencore_error *err =
			stream_put(o, &w->pages, b->in + i * FILTER_PAGE_SIZE, FILTER_PAGE_SIZE);
		if (err)
			return err;
	}
	return NULL;
}

/* .xen_p2m {pfn, gmfn} (or .xen_pfn {pfn}) of the kept pages, at off. */
static struct xencore_error *write_table(struct filter_out *o, struct xc_w *w, uint64_t off,
					 uint64_t *size_ret)
{
	size_t esize = w->hvm ? 8 : 16;
	unsigned char *buf = malloc(TABLE_CHUNK * esize);
	if (!buf)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	size_t n = 0;
	uint64_t ord = 0, start = off;
	for (size_t r = 0; !err && r < o->plan->nr; r++) {
		const struct page_run *run = &o->plan->runs[r];
		/* frame.h: what the page index of the output will accept. */
		if (!xc_frames_ok(run->pfn, run->count) ||
		    (!w->hvm && !xc_frames_ok(run->mfn, run->count))) {
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "internal error: page run at pfn 0x%" PRIx64 " (mfn 0x%" PRIx64 ", %" PRIu64 " pages) names an impossible frame",
				       run->pfn, run->mfn, run->count);
			break;
		}
		for (uint64_t k = 0; !err && k < run->count; k++, ord++) {
			if (!(o->kept[ord / 64] >> (ord % 64) & 1))
				continue;
			put_le64(buf + n * esize, run->pfn + k);
			if (!w->hvm)
				put_le64(buf + n * esize + 8, run->mfn + k);
			if (++n == TABLE_CHUNK) {
				err = filter_pwrite(o, buf, n * esize, off);
				off += n * esize;
				n = 0;
			}
		}
	}
	if (!err && n) {
		err = filter_pwrite(o, buf, n * esize, off);
		off += n * esize;
	}
	free(buf);
	*size_ret = off - start;
	return err;
}

static bool add_section(Elf *elf, const GElf_Shdr *sh, void *data, size_t size)
{
	Elf_Scn *scn = elf_newscn(elf);
	if (!scn)
		return false;
	if (data) {
		Elf_Data *d = elf_newdata(scn);
		if (!d)
			return false;
		d->d_buf = data;
		d->d_size = size;
		d->d_type = ELF_T_BYTE;
		d->d_align = 1;
		d->d_version = EV_CURRENT;
	}
	GElf_Shdr tmp = *sh;
	return gelf_update_shdr(scn, &tmp);
}

static struct xencore_error *xc_finish(struct filter_out *o)
{
	struct xc_w *w = o->writer;
	struct xencore_dump *dump = o->dump;
	struct xencore_error *err = stream_flush(o, &w->pages);
	if (err)
		return err;
	/* The header note counts the pages kept. */
	unsigned char *notes;
	size_t len;
	if ((err = filter_xen_notes(dump, o->nr_kept, &notes, &len)))
		return err;
	free(w->notes);
	w->notes = notes;

	uint64_t p2m_off = w->pages_off + o->nr_kept * FILTER_PAGE_SIZE, p2m_size;
	if ((err = write_table(o, w, p2m_off, &p2m_size)))
		return err;

	/* Only the names used, in header order (xg_core.c's string table). */
	char strtab[96];
	size_t slen = 1;
	size_t n_str, n_note, n_prs, n_shi = 0, n_pages, n_p2m;
	strtab[0] = '\0';
#define NAME(var, str) (var = slen, memcpy(strtab + slen, str, sizeof(str)), slen += sizeof(str))
	NAME(n_str, ".shstrtab");
	NAME(n_note, ".note.Xen");
	NAME(n_prs, ".xen_prstatus");
	if (w->has_shi)
		NAME(n_shi, ".xen_shared_info");
	NAME(n_pages, ".xen_pages");
	if (w->hvm)
		NAME(n_p2m, ".xen_pfn");
	else
		NAME(n_p2m, ".xen_p2m");
#undef NAME
	uint64_t str_off = p2m_off + p2m_size;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return filter_libelf_error("ELF headers", 0);
	Elf *elf = elf_begin(o->fd, ELF_C_WRITE, NULL);
	if (!elf)
		return filter_libelf_error("ELF headers", 0);
	err = NULL;
	GElf_Ehdr eh;
	if (!gelf_newehdr(elf, ELFCLASS64) || !gelf_getehdr(elf, &eh)) {
		err = filter_libelf_error("ELF header", 0);
		goto out;
	}
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh.e_ident[EI_ABIVERSION] = EV_CURRENT;	/* as xg_core.c's ehdr */
	eh.e_type = ET_CORE;
	/* xg_core_x86.c: EM_386 for 32-bit PV guests, else EM_X86_64. */
	eh.e_machine = dump->info.guest_bits == 32 && !dump->info.hvm ? EM_386 : EM_X86_64;
	eh.e_version = EV_CURRENT;
	eh.e_shoff = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);	/* xg_core.c sets it with no headers */
	eh.e_shstrndx = S_STR;

	uint64_t nctx = w->contexts ? dump->info.nr_contexts : 0;
	GElf_Shdr sh[S_COUNT];
	memset(sh, 0, sizeof(sh));
	/* sh_addralign and sh_entsize as xg_core.c sets them. */
	sh[S_STR] = (GElf_Shdr){ .sh_name = n_str, .sh_type = SHT_STRTAB, .sh_offset = str_off,
				 .sh_size = slen };
	sh[S_NOTE] = (GElf_Shdr){ .sh_name = n_note, .sh_type = SHT_NOTE, .sh_offset = w->note_off,
				  .sh_size = w->notes_len };
	sh[S_PRS] = (GElf_Shdr){ .sh_name = n_prs, .sh_type = SHT_PROGBITS, .sh_offset = w->prs_off,
				 .sh_size = nctx * w->ctx_size, .sh_addralign = 8,
				 .sh_entsize = w->ctx_size ? w->ctx_size : CONTEXT_SIZE_64 };
	sh[S_SHI] = (GElf_Shdr){ .sh_name = n_shi, .sh_type = SHT_PROGBITS, .sh_offset = w->shi_off,
				 .sh_size = dump->shared_info_size, .sh_addralign = 8,
				 .sh_entsize = dump->shared_info_size };
	sh[S_PAGES] = (GElf_Shdr){ .sh_name = n_pages, .sh_type = SHT_PROGBITS,
				   .sh_offset = w->pages_off,
				   .sh_size = o->nr_kept * FILTER_PAGE_SIZE,
				   .sh_addralign = FILTER_PAGE_SIZE, .sh_entsize = FILTER_PAGE_SIZE };
	sh[S_P2M] = (GElf_Shdr){ .sh_name = n_p2m, .sh_type = SHT_PROGBITS,
				 .sh_offset = p2m_off, .sh_size = p2m_size, .sh_addralign = 8,
				 .sh_entsize = w->hvm ? 8 : 16 };
	bool ok = add_section(elf, &sh[S_STR], strtab, slen) &&
		  add_section(elf, &sh[S_NOTE], w->notes, w->notes_len) &&
		  add_section(elf, &sh[S_PRS], w->contexts, nctx * w->ctx_size) &&
		  (!w->has_shi ||
		   add_section(elf, &sh[S_SHI], dump->shared_info, dump->shared_info_size)) &&
		  add_section(elf, &sh[S_PAGES], NULL, 0) && add_section(elf, &sh[S_P2M], NULL, 0);
	if (!ok || !gelf_update_ehdr(elf, &eh)) {
		err = filter_libelf_error("section headers", 0);
		goto out;
	}
	elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT);
	errno = 0;
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		/* libelf reports a failed write(2) as its own error: errno has the cause. */
		err = filter_libelf_error("ELF headers", errno);
		goto out;
	}
	if (str_off + slen > o->size)
		o->size = str_off + slen;
out:
	elf_end(elf);
	(void)elf_errno();	/* libelf keeps its last error per thread: leave none */
	return err;
}

static void xc_cleanup(struct filter_out *o)
{
	struct xc_w *w = o->writer;
	if (!w)
		return;
	free(w->notes);
	free(w->contexts);
	stream_free(&w->pages);
	free(w);
	o->writer = NULL;
}

const struct filter_writer xc_core_writer = {
	.begin = xc_begin,
	.batch = xc_batch,
	.finish = xc_finish,
	.cleanup = xc_cleanup,
};
