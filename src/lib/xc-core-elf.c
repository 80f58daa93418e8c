// SPDX-License-Identifier: LGPL-2.1-or-later
/* xc-core-elf.c: the Xen ELF xc_core reader (`xl dump-core`), through libelf. */
#include <config.h>

#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "xen-notes.h"

/*
 * Format facts: Xen tools/libs/guest/xg_core.h and xg_core.c,
 * docs/misc/dump-core-format.txt.  Sections are found by name; their order
 * is not part of the format.
 */
/* sizeof(struct xen_dumpcore_p2m): u64 pfn, u64 gmfn. */
#define P2M_ENTRY_SIZE		16
/* sizeof(vcpu_guest_context) of a 64-bit toolstack: the stride for every guest. */
#define CONTEXT_SIZE_64		5168
/* Xen's limit on vcpus per domain (HVM_MAX_VCPUS); bounds .xen_prstatus. */
#define MAX_VCPUS		4096
/* Notes are a few KiB; refuse to load a hostile huge section. */
#define MAX_NOTE_SECTION	(1024 * 1024)

struct elf_sections {
	GElf_Shdr note, prstatus, shared_info, p2m, pfn, pages;
	bool has_note, has_prstatus, has_shared_info, has_p2m, has_pfn, has_pages;
};

struct elf_state {
	Elf *elf;
};

static bool elf_probe(const unsigned char *head, size_t len)
{
	return len >= EI_NIDENT && !memcmp(head, ELFMAG, SELFMAG);
}

static struct xencore_error *elf_fail(const char *what)
{
	return xc_error(XENCORE_ERROR_FORMAT, "%s: %s", what, elf_errmsg(-1));
}

/*
 * The bytes of a section the file holds: all of them, or, in a dump cut
 * short, those before the end (0 when it starts past it).
 */
static uint64_t in_file(const struct xencore_dump *dump, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_NOBITS || sh->sh_offset >= dump->file_size)
		return 0;
	uint64_t left = dump->file_size - sh->sh_offset;
	return sh->sh_size < left ? sh->sh_size : left;
}

/* "page 7" or "pages 7-9" for [first, end). */
static const char *range(char *buf, size_t size, const char *what, uint64_t first, uint64_t end)
{
	if (end - first == 1)
		snprintf(buf, size, "%s %" PRIu64, what, first);
	else
		snprintf(buf, size, "%ss %" PRIu64 "-%" PRIu64, what, first, end - 1);
	return buf;
}

/*
 * A dump cut short: one line for where it ends, the first section it cuts
 * (what each reader loses is its own line).
 */
static void note_cut(struct xencore_dump *dump, const GElf_Shdr *first, const char *name)
{
	if (!first)
		return;
	xc_damage(dump, "the file is cut short at %" PRIu64 " bytes, %s %s (offset 0x%" PRIx64
		  ", %" PRIu64 " bytes)", dump->file_size,
		  first->sh_offset < dump->file_size ? "inside" : "before", name,
		  (uint64_t)first->sh_offset, (uint64_t)first->sh_size);
}

/*
 * Without the section names (xl dump-core writes .shstrtab last, so a dump
 * cut short loses them first), a section by what xg_core.c makes it: type,
 * entry size, alignment.
 */
static const char *shape_name(const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_NOTE)
		return ".note.Xen";
	if (sh->sh_type != SHT_PROGBITS)
		return NULL;
	switch (sh->sh_entsize) {
	case P2M_ENTRY_SIZE:
		return ".xen_p2m";
	case 8:
		return ".xen_pfn";
	case 4096:
		return sh->sh_addralign == 4096 ? ".xen_pages" : ".xen_shared_info";
	default:
		return sh->sh_entsize >= 2800 && sh->sh_entsize <= 8192 ? ".xen_prstatus" : NULL;
	}
}

static struct xencore_error *find_sections(struct xencore_dump *dump, Elf *elf,
					   struct elf_sections *s)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) < 0)
		return elf_fail("cannot read section name table");
	/* The names, if the file still holds them. */
	GElf_Shdr strsh;
	Elf_Scn *strscn = elf_getscn(elf, shstrndx);
	bool names = strscn && gelf_getshdr(strscn, &strsh) && strsh.sh_type == SHT_STRTAB &&
		     in_file(dump, &strsh) == strsh.sh_size;

	static const struct {
		const char *name;
		size_t shdr, has;
	} known[] = {
#define KNOWN(n, f) { n, offsetof(struct elf_sections, f), offsetof(struct elf_sections, has_##f) }
		KNOWN(".note.Xen", note),
		KNOWN(".xen_prstatus", prstatus),
		KNOWN(".xen_shared_info", shared_info),
		KNOWN(".xen_p2m", p2m),
		KNOWN(".xen_pfn", pfn),
		KNOWN(".xen_pages", pages),
#undef KNOWN
	};

	GElf_Shdr cut = { 0 };
	const char *cut_name = NULL;
	if (!names && strscn) {
		cut = strsh;
		cut_name = ".shstrtab";
	}
	Elf_Scn *scn = NULL;
	(void)elf_errno();	/* forget an error an earlier libelf call left */
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return elf_fail("cannot read a section header");
		const char *name = names ? elf_strptr(elf, shstrndx, sh.sh_name) : shape_name(&sh);
		if (!name)
			continue;	/* unnamed: not one of ours */
		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
			if (strcmp(name, known[i].name))
				continue;
			bool *has = (bool *)((char *)s + known[i].has);
			/* Cut short is damage; past any file there could be is a lie. */
			if (sh.sh_type != SHT_NOBITS && sh.sh_size > UINT64_MAX - sh.sh_offset)
				return xc_error(XENCORE_ERROR_FORMAT,
						"section %s (offset 0x%" PRIx64 ", %" PRIu64 " bytes) runs past the end of any file",
						name, (uint64_t)sh.sh_offset, (uint64_t)sh.sh_size);
			if (*has)
				return xc_error(XENCORE_ERROR_FORMAT,
						"two sections named %s%s", name,
						names ? "" : " (by their types: the names are cut off)");
			if (in_file(dump, &sh) < sh.sh_size && sh.sh_type != SHT_NOBITS &&
			    (!cut_name || sh.sh_offset < cut.sh_offset)) {
				cut = sh;
				cut_name = known[i].name;
			}
			*has = true;
			memcpy((char *)s + known[i].shdr, &sh, sizeof(sh));
		}
	}
	int e = elf_errno();
	if (e)
		return xc_error(XENCORE_ERROR_FORMAT, "cannot read section headers: %s", elf_errmsg(e));
	note_cut(dump, cut_name ? &cut : NULL, cut_name);
	if (!names && s->has_note)
		xc_damage(dump, "the section names (.shstrtab) are cut off: sections known by their types");
	return NULL;
}

/*
 * xg_core.c gives every section its own bytes.  Overlapping ones would make
 * one dump page double as the page table or a note: refuse them.
 */
static struct xencore_error *check_overlaps(const struct xencore_dump *dump,
					    const struct elf_sections *s)
{
	const struct {
		const char *name;
		const GElf_Shdr *sh;
		bool has;
	} secs[] = {
		{ ".note.Xen", &s->note, s->has_note },
		{ ".xen_prstatus", &s->prstatus, s->has_prstatus },
		{ ".xen_shared_info", &s->shared_info, s->has_shared_info },
		{ ".xen_p2m", &s->p2m, s->has_p2m },
		{ ".xen_pfn", &s->pfn, s->has_pfn },
		{ ".xen_pages", &s->pages, s->has_pages },
	};
	size_t n = sizeof(secs) / sizeof(secs[0]);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const GElf_Shdr *a = secs[i].sh, *b = secs[j].sh;
			uint64_t as = in_file(dump, a), bs = in_file(dump, b);
			if (!secs[i].has || !secs[j].has || !as || !bs)
				continue;
			/* Both are cut to the file, so no sum overflows. */
			if (a->sh_offset < b->sh_offset + bs && b->sh_offset < a->sh_offset + as)
				return xc_error(XENCORE_ERROR_FORMAT, "sections %s and %s overlap",
						secs[i].name, secs[j].name);
		}
	}
	return NULL;
}

static struct xencore_error *parse_notes(struct xencore_dump *dump,
					 const struct elf_sections *s)
{
	if (s->note.sh_type != SHT_NOTE)
		return xc_error(XENCORE_ERROR_FORMAT, "section .note.Xen is not SHT_NOTE");
	/* What the file holds of it: a dump cut short keeps the notes before the end. */
	size_t size = (size_t)in_file(dump, &s->note);
	unsigned char *buf = malloc(size ? size : 1);
	if (!buf)
		return &xencore_enomem;
	struct xencore_error *err = xc_pread(dump, buf, size, s->note.sh_offset, ".note.Xen");
	bool have_header = false;
	struct note_iter it = { .p = buf, .len = size, .off = 0 };
	struct note n;
	int r;
	while (!err && (r = note_next(&it, &n)) > 0)
		if (note_is(&n, XEN_NOTE_NAME))
			err = xc_parse_xen_note(dump, n.type, n.desc, n.descsz, &have_header);
	if (!err && r < 0) {
		/* The section's last note is cut off, or does not fit it: the notes before it stand. */
		if (size < s->note.sh_size)
			xc_damage(dump, "the notes from offset %zu of .note.Xen are cut off", it.off);
		else
			xc_damage(dump, "a note at offset %zu of .note.Xen runs past the end of the section (%zu bytes)",
				  it.off, size);
	}
	/* Kept as written, for xencore filter to copy (what there is of it). */
	if (!err && it.off) {
		dump->xen_notes = buf;
		dump->xen_notes_size = it.off;
		buf = NULL;
	}
	free(buf);
	if (err)
		return err;
	if (!have_header && size < s->note.sh_size)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the file ends at %" PRIu64 " bytes, inside .note.Xen, before its DUMPCORE_HEADER note: the dump is cut short and nothing can be read",
				dump->file_size);
	return xc_check_xen_notes(dump, have_header);
}

/*
 * .xen_pages and the table that places its pages (.xen_p2m for PV, .xen_pfn
 * for HVM: entry i is page i).  A dump cut short, or whose header counts
 * more pages than its sections hold, keeps every page it holds whole and
 * has an entry for; entries of pages cut off are kept apart (their pfns
 * are known, their bytes are not).
 */
static struct xencore_error *read_pages(struct xencore_dump *dump, const struct elf_sections *s)
{
	struct xencore_dump_info *info = &dump->info;
	const uint64_t psize = info->page_size;
	if (!s->has_pages)
		return xc_error(XENCORE_ERROR_FORMAT, "no .xen_pages section");
	if (s->pages.sh_offset % psize)
		return xc_error(XENCORE_ERROR_FORMAT,
				"section .xen_pages at offset 0x%" PRIx64 " is not page aligned",
				(uint64_t)s->pages.sh_offset);
	uint64_t declared = info->nr_pages;
	uint64_t in_section = s->pages.sh_size / psize;
	uint64_t whole = in_file(dump, &s->pages) / psize;
	if (declared > in_section)
		xc_damage(dump, "the header says %" PRIu64 " pages, section .xen_pages holds %" PRIu64,
			  declared, in_section);
	uint64_t pages = declared < in_section ? declared : in_section;
	if (whole < pages)
		xc_damage(dump, ".xen_pages holds %" PRIu64 " of its %" PRIu64 " pages whole", whole,
			  pages);
	uint64_t present = whole < pages ? whole : pages;
	if (pages && !present)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the file ends at %" PRIu64 " bytes, %s .xen_pages (offset 0x%" PRIx64
				"): none of its %" PRIu64 " pages can be read", dump->file_size,
				s->pages.sh_offset < dump->file_size ? "inside" : "before",
				(uint64_t)s->pages.sh_offset, pages);
	dump->pages_offset = s->pages.sh_offset;

	if (!s->has_p2m && !s->has_pfn) {
		if (pages)
			return xc_error(XENCORE_ERROR_FORMAT,
					"no .xen_p2m or .xen_pfn section: the pages cannot be located");
		info->nr_pages = 0;
		return NULL;
	}
	const GElf_Shdr *sh = s->has_p2m ? &s->p2m : &s->pfn;
	const char *name = s->has_p2m ? ".xen_p2m" : ".xen_pfn";
	size_t esize = s->has_p2m ? P2M_ENTRY_SIZE : 8;
	uint64_t entries = sh->sh_size / esize, have = in_file(dump, sh) / esize;
	if (sh->sh_size % esize || entries != declared)
		xc_damage(dump, "section %s is %" PRIu64 " bytes, but %" PRIu64 " pages need %" PRIu64,
			  name, (uint64_t)sh->sh_size, declared, declared * esize);
	/* Entries past the pages the file holds are indexed as missing. */
	uint64_t indexed = have < pages ? have : pages;
	if (!indexed)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the file ends at %" PRIu64 " bytes, %s %s: no page can be placed%s",
				dump->file_size, sh->sh_offset < dump->file_size ? "inside" : "before",
				name, sh->sh_offset > s->pages.sh_offset
					      ? " (xl dump-core writes that table after the pages)" : "");
	if (indexed < present) {
		char r[64];
		xc_damage(dump, "%s has no entry for %s: %s cannot be placed", name,
			  range(r, sizeof(r), "page", indexed, present),
			  present - indexed > 1 ? "they" : "it");
	}
	info->nr_pages = indexed < present ? indexed : present;
	/* HVM (.xen_pfn) is auto-translated: its "machine" frames are its pfns. */
	info->has_dump_p2m = true;
	/* Indexed on first use: opening reads no more than the headers. */
	page_index_set_table(&dump->index, xc_read_table, dump, name, sh->sh_offset, indexed,
			     s->has_p2m ? PAGE_TABLE_P2M : PAGE_TABLE_PFN, (unsigned int)esize);
	if (present < indexed)
		page_index_set_present(&dump->index, present);
	return NULL;
}

static struct xencore_error *read_contexts(struct xencore_dump *dump,
					   const struct elf_sections *s)
{
	if (!s->has_prstatus || !s->prstatus.sh_size)
		return NULL;
	uint64_t entsize = s->prstatus.sh_entsize ? s->prstatus.sh_entsize
						  : CONTEXT_SIZE_64;
	if (entsize < 2800 || entsize > 8192 || s->prstatus.sh_size % entsize)
		return xc_error(XENCORE_ERROR_FORMAT,
				"section .xen_prstatus: %" PRIu64 " bytes in entries of %" PRIu64 " is not a vcpu context array",
				(uint64_t)s->prstatus.sh_size, entsize);
	uint64_t nr = s->prstatus.sh_size / entsize;
	if (nr > MAX_VCPUS)
		return xc_error(XENCORE_ERROR_FORMAT,
				"section .xen_prstatus holds %" PRIu64 " vcpu contexts; Xen allows at most %d",
				nr, MAX_VCPUS);
	if (nr > dump->info.nr_vcpus)
		xc_warn(dump, ".xen_prstatus holds %" PRIu64 " vcpu contexts but the header says %" PRIu64 " vcpus",
			nr, dump->info.nr_vcpus);
	uint64_t whole = in_file(dump, &s->prstatus) / entsize;
	if (whole < nr) {
		char r[64];
		xc_damage(dump, "%s %s cut off", range(r, sizeof(r), "vcpu context", whole, nr),
			  nr - whole > 1 ? "are" : "is");
		nr = whole;
	}
	if (!nr)
		return NULL;
	dump->contexts = malloc((size_t)(nr * entsize));
	if (!dump->contexts)
		return &xencore_enomem;
	dump->context_size = (size_t)entsize;
	dump->info.nr_contexts = nr;
	return xc_pread(dump, dump->contexts, (size_t)(nr * entsize), s->prstatus.sh_offset,
			".xen_prstatus");
}

static struct xencore_error *read_shared_info(struct xencore_dump *dump,
					      const struct elf_sections *s)
{
	if (!s->has_shared_info)
		return NULL;
	if (s->shared_info.sh_size != dump->info.page_size)
		return xc_error(XENCORE_ERROR_FORMAT,
				"section .xen_shared_info is %" PRIu64 " bytes, want one page",
				(uint64_t)s->shared_info.sh_size);
	if (in_file(dump, &s->shared_info) < dump->info.page_size) {
		xc_damage(dump, "shared_info is cut off: the guest's p2m list and tree are not known");
		return NULL;
	}
	dump->shared_info = malloc((size_t)dump->info.page_size);
	if (!dump->shared_info)
		return &xencore_enomem;
	dump->shared_info_size = (size_t)dump->info.page_size;
	struct xencore_error *err =
		xc_pread(dump, dump->shared_info, dump->shared_info_size,
			 s->shared_info.sh_offset, ".xen_shared_info");
	return err ? err : xc_parse_shared_info(dump);
}

static struct xencore_error *elf_open(struct xencore_dump *dump)
{
	struct elf_state *st = calloc(1, sizeof(*st));
	if (!st)
		return &xencore_enomem;
	dump->format_data = st;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return elf_fail("libelf is out of date");
	/* ELF_C_READ reads headers on demand; page data is never loaded by libelf. */
	unsigned char ident[EI_NIDENT];
	struct xencore_error *ierr = xc_pread(dump, ident, sizeof(ident), 0, "ELF header");
	if (ierr)
		return ierr;
	/* libelf refuses other versions with no message of its own. */
	if (ident[EI_VERSION] != EV_CURRENT)
		return xc_error(XENCORE_ERROR_FORMAT, "ELF version %u in e_ident; xc_core dumps have %d",
				ident[EI_VERSION], EV_CURRENT);
	st->elf = elf_begin(dump->fd, ELF_C_READ, NULL);
	if (!st->elf || elf_kind(st->elf) != ELF_K_ELF)
		return elf_fail("cannot read ELF headers");

	GElf_Ehdr eh;
	if (!gelf_getehdr(st->elf, &eh))
		return elf_fail("cannot read ELF header");
	/* xg_core.c: always ELFCLASS64, little endian, ET_CORE. */
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_type != ET_CORE)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF file but not a Xen xc_core dump (not a 64-bit little-endian core file)");
	/* A core with no sections (/proc/vmcore, xencore's ELF output) is not xc_core. */
	if (!eh.e_shnum)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF core without sections: not a Xen xc_core dump");
	/* The section header table must be what it says, inside the file. */
	if (eh.e_shnum && eh.e_shentsize != sizeof(Elf64_Shdr))
		return xc_error(XENCORE_ERROR_FORMAT,
				"ELF section headers are %u bytes each; ELF64 has %zu",
				(unsigned)eh.e_shentsize, sizeof(Elf64_Shdr));
	if (eh.e_shoff > dump->file_size ||
	    (uint64_t)eh.e_shnum * sizeof(Elf64_Shdr) > dump->file_size - eh.e_shoff)
		return xc_error(XENCORE_ERROR_FORMAT,
				"ELF section header table (offset 0x%" PRIx64 ", %u headers) extends past the end of the file (%" PRIu64 " bytes): truncated dump?",
				(uint64_t)eh.e_shoff, (unsigned)eh.e_shnum, dump->file_size);
	if (eh.e_shstrndx >= eh.e_shnum && eh.e_shstrndx != SHN_XINDEX)
		return xc_error(XENCORE_ERROR_FORMAT,
				"ELF section name table index %u is not one of the %u sections",
				(unsigned)eh.e_shstrndx, (unsigned)eh.e_shnum);

	struct elf_sections s;
	memset(&s, 0, sizeof(s));
	struct xencore_error *err = find_sections(dump, st->elf, &s);
	if (err)
		return err;
	if (!s.has_note)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF file but not a Xen xc_core dump (no .note.Xen section)");
	/* Before the overlap check, which would blame the next section for it. */
	if (s.note.sh_size > MAX_NOTE_SECTION)
		return xc_error(XENCORE_ERROR_FORMAT,
				"section .note.Xen is %" PRIu64 " bytes, more than any xc_core dump has",
				(uint64_t)s.note.sh_size);
	if ((err = check_overlaps(dump, &s)))
		return err;

	struct xencore_dump_info *info = &dump->info;
	info->format = "xc_core_elf";
	/* xg_core_x86.c: EM_X86_64 for 64-bit PV and all HVM, EM_386 for 32-bit PV. */
	if (eh.e_machine == EM_X86_64)
		info->guest_bits = 64;
	else if (eh.e_machine == EM_386)
		info->guest_bits = 32;
	else
		return xc_error(XENCORE_ERROR_FORMAT,
				"xc_core dump for machine %u; xencore reads x86 only",
				(unsigned)eh.e_machine);

	if ((err = parse_notes(dump, &s)) ||
	    (err = read_pages(dump, &s)) ||
	    (err = read_contexts(dump, &s)) ||
	    (err = read_shared_info(dump, &s)))
		return err;
	return NULL;
}

static void elf_close(struct xencore_dump *dump)
{
	struct elf_state *st = dump->format_data;
	if (!st)
		return;
	elf_end(st->elf);
	free(st);
	dump->format_data = NULL;
}

const struct format_ops xc_core_elf_ops = {
	.name = "xc_core_elf",
	.probe = elf_probe,
	.open = elf_open,
	.close = elf_close,
	.read_pages = xc_read_file_pages,
};
