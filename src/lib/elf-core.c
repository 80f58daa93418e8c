// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * elf-core.c: reading the ELF cores `xencore filter --output-format=elf`
 * writes (write-elf.c), through libelf.
 *
 * Pages are the PT_LOADs' (p_paddr = pfn << 12; past p_filesz they read
 * as zeros); the kernel image's loads repeat pfns of the direct map's and
 * are left aside.  The Xen side of the guest comes from xencore's notes in
 * the PT_NOTE (output-notes.c), as for a kdump file.  An ELF core without
 * them is a native Linux core (/proc/vmcore, makedumpfile -E): not a Xen
 * guest's dump, which the message says.
 */
#include <config.h>

#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "output-notes.h"
#include "runs.h"
#include "x86.h"

#define PAGE		UINT64_C(4096)
/* A note segment larger than this is not one xencore wrote. */
#define MAX_NOTES	(UINT64_C(1) << 32)

struct load {
	uint64_t pfn, pages, file_pages, offset;
};

/* A run of the pages note, kept to check that the loads hold it. */
struct listed {
	uint64_t pfn, count;
};

struct core_state {
	Elf *elf;
	struct load *loads;	/* sorted by pfn, disjoint */
	size_t nr;
	struct listed *listed;
	size_t nr_listed, cap_listed;
};

/* An ELF core with program headers (xc_core has none): e_type, e_phnum. */
static bool core_probe(const unsigned char *head, size_t len)
{
	if (len < 64 || memcmp(head, ELFMAG, SELFMAG))
		return false;
	unsigned int phnum_at = head[EI_CLASS] == ELFCLASS64 ? 56 : 44;
	return le16(head + 16) == ET_CORE && le16(head + phnum_at) != 0;
}

static struct xencore_error *bad(const char *what)
{
	return xc_error(XENCORE_ERROR_FORMAT, "ELF core: %s", what);
}

static int cmp_load(const void *a, const void *b)
{
	const struct load *x = a, *y = b;
	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	return x->pages > y->pages ? -1 : x->pages < y->pages;	/* the larger first */
}

/*
 * Sorts the loads and drops those inside another (the kernel image's, a
 * view of the direct map's pages); any other overlap is an error.
 */
static struct xencore_error *settle_loads(struct core_state *st)
{
	qsort(st->loads, st->nr, sizeof(*st->loads), cmp_load);
	size_t n = 0;
	for (size_t i = 0; i < st->nr; i++) {
		const struct load *l = &st->loads[i];
		if (n) {
			const struct load *p = &st->loads[n - 1];
			if (l->pfn < p->pfn + p->pages) {
				if (l->pfn + l->pages > p->pfn + p->pages)
					return xc_error(XENCORE_ERROR_FORMAT,
							"ELF core: loads of pfns 0x%" PRIx64 " and 0x%" PRIx64 " overlap",
							p->pfn, l->pfn);
				continue;
			}
		}
		st->loads[n++] = *l;
	}
	st->nr = n;
	return NULL;
}

static const struct load *find_load(const struct core_state *st, uint64_t pfn)
{
	return RUNS_FIND(struct load, st->loads, st->nr, pfn, pages, pfn);
}

static struct xencore_error *pages_run(struct xencore_dump *dump, uint64_t pfn, uint64_t mfn,
				       uint64_t count, uint64_t ordinal)
{
	(void)ordinal;
	struct core_state *st = dump->format_data;
	if (st->nr_listed == st->cap_listed) {
		size_t c = st->cap_listed ? 2 * st->cap_listed : 64;
		struct listed *n = realloc(st->listed, c * sizeof(*n));
		if (!n)
			return &xencore_enomem;
		st->listed = n;
		st->cap_listed = c;
	}
	st->listed[st->nr_listed++] = (struct listed){ pfn, count };
	return page_index_add_run(&dump->index, pfn, mfn, pfn, count);
}

/* Every page the notes list is in a load (its bytes or a zero tail). */
static struct xencore_error *check_listed(const struct core_state *st)
{
	for (size_t i = 0; i < st->nr_listed; i++) {
		uint64_t pfn = st->listed[i].pfn, end = pfn + st->listed[i].count;
		while (pfn < end) {
			const struct load *l = find_load(st, pfn);
			if (!l)
				return xc_error(XENCORE_ERROR_FORMAT,
						"ELF core: pfn 0x%" PRIx64 " is listed in the XENCORE pages note but in no load",
						pfn);
			pfn = l->pfn + l->pages;
		}
	}
	return NULL;
}

static struct xencore_error *core_open(struct xencore_dump *dump)
{
	struct core_state *st = calloc(1, sizeof(*st));
	if (!st)
		return &xencore_enomem;
	dump->format_data = st;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bad("libelf is out of date");
	st->elf = elf_begin(dump->fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	if (!st->elf || elf_kind(st->elf) != ELF_K_ELF || !gelf_getehdr(st->elf, &eh))
		return xc_error(XENCORE_ERROR_UNRECOGNIZED, "ELF file of a kind xencore does not read");
	size_t phnum;
	if (eh.e_type != ET_CORE || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    elf_getphdrnum(st->elf, &phnum) < 0 || !phnum)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED, "ELF file of a kind xencore does not read");
	unsigned int bits = eh.e_machine == EM_X86_64 ? 64 : eh.e_machine == EM_386 ? 32 : 0;
	if (!bits)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF core for machine %u: xencore reads x86 guests only",
				(unsigned)eh.e_machine);
	size_t phsize = gelf_fsize(st->elf, ELF_T_PHDR, 1, EV_CURRENT);
	if (!phsize || eh.e_phoff > dump->file_size ||
	    phnum > (dump->file_size - eh.e_phoff) / phsize)
		return bad("program headers past the end of the file");
	st->loads = malloc(phnum * sizeof(*st->loads));
	if (!st->loads)
		return &xencore_enomem;

	GElf_Phdr note = { 0 };
	bool have_note = false;
	uint64_t max_pfn = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(st->elf, (int)i, &ph))
			return bad(elf_errmsg(-1));
		if (ph.p_offset > dump->file_size || ph.p_filesz > dump->file_size - ph.p_offset)
			return xc_error(XENCORE_ERROR_FORMAT,
					"ELF core: program header %zu (offset 0x%" PRIx64 ", %" PRIu64 " bytes) extends past the end of the file (%" PRIu64 " bytes)",
					i, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz, dump->file_size);
		if (ph.p_type == PT_NOTE) {
			if (have_note)
				return bad("two PT_NOTEs: not one xencore wrote");
			note = ph;
			have_note = true;
		} else if (ph.p_type == PT_LOAD) {
			if (ph.p_paddr % PAGE || ph.p_filesz % PAGE || ph.p_memsz % PAGE ||
			    ph.p_filesz > ph.p_memsz ||
			    !xc_frames_ok(ph.p_paddr >> X86_PAGE_SHIFT, ph.p_memsz >> X86_PAGE_SHIFT))
				return xc_error(XENCORE_ERROR_FORMAT,
						"ELF core: load %zu (paddr 0x%" PRIx64 ", %" PRIu64 " of %" PRIu64 " bytes) is not whole pages of physical memory",
						i, (uint64_t)ph.p_paddr, (uint64_t)ph.p_filesz,
						(uint64_t)ph.p_memsz);
			struct load *l = &st->loads[st->nr++];
			*l = (struct load){ ph.p_paddr >> X86_PAGE_SHIFT, ph.p_memsz >> X86_PAGE_SHIFT,
					    ph.p_filesz >> X86_PAGE_SHIFT, ph.p_offset };
			if (l->pfn + l->pages > max_pfn)
				max_pfn = l->pfn + l->pages;
		}
	}
	if (!have_note || !note.p_filesz)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"an ELF core without notes: not a Xen guest dump");
	if (note.p_filesz > MAX_NOTES)
		return bad("its notes are larger than any xencore writes");
	struct xencore_error *err = settle_loads(st);
	if (err)
		return err;
	unsigned char *notes = malloc((size_t)note.p_filesz);
	if (!notes)
		return &xencore_enomem;
	err = xc_pread(dump, notes, (size_t)note.p_filesz, note.p_offset, "ELF core notes");
	struct output_notes_read rd;
	if (!err)
		err = output_notes_read(dump, &notes, (size_t)note.p_filesz, max_pfn, pages_run, true,
					&rd);
	free(notes);
	if (err && err->code == XENCORE_ERROR_UNRECOGNIZED) {
		xencore_error_destroy(err);
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"a native Linux core (an ELF vmcore without xencore's Xen notes), not a Xen guest dump: read it with drgn or crash");
	}
	if (err)
		return err->code == XENCORE_ERROR_NOMEM ? err : xc_error_prefix(err, "ELF core");
	if (dump->info.guest_bits != bits)
		return xc_error(XENCORE_ERROR_FORMAT,
				"ELF core: e_machine says a %u-bit guest, its notes a %u-bit one", bits,
				dump->info.guest_bits);
	if (rd.has_level && rd.level > XENCORE_DL_MAX)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF core with dump level %u: not one xencore wrote (0 to 31)", rd.level);
	dump->info.format = "elf";
	dump->info.has_dump_level = rd.has_level;
	dump->info.dump_level = rd.level;
	return check_listed(st);
}

static void core_close(struct xencore_dump *dump)
{
	struct core_state *st = dump->format_data;
	if (!st)
		return;
	elf_end(st->elf);
	free(st->loads);
	free(st->listed);
	free(st);
	dump->format_data = NULL;
}

/* An ELF core's page index: page = pfn. */
static struct xencore_error *core_read_pages(struct xencore_dump *dump, uint64_t page, size_t n,
					     void *buf)
{
	struct core_state *st = dump->format_data;
	unsigned char *out = buf;
	while (n) {
		const struct load *l = find_load(st, page);
		if (!l)
			return xc_error(XENCORE_ERROR_NOT_PRESENT,
					"pfn 0x%" PRIx64 " is not in the ELF core", page);
		uint64_t at = page - l->pfn, m = l->pages - at;
		if (m > n)
			m = n;
		if (at < l->file_pages) {
			uint64_t f = l->file_pages - at < m ? l->file_pages - at : m;
			struct xencore_error *err = xc_pread(dump, out, (size_t)(f * PAGE),
							     l->offset + at * PAGE, "pages");
			if (err)
				return err;
			memset(out + f * PAGE, 0, (size_t)((m - f) * PAGE));
		} else {
			memset(out, 0, (size_t)(m * PAGE));
		}
		out += m * PAGE;
		page += m;
		n -= (size_t)m;
	}
	return NULL;
}

const struct format_ops elf_core_ops = {
	.name = "elf",
	.probe = core_probe,
	.open = core_open,
	.close = core_close,
	.read_pages = core_read_pages,
};
