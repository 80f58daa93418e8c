// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memmap.c: the guest kernel's struct page array, and what makedumpfile's
 * dump levels make of each page.
 *
 * Where a pfn's struct page is (Linux include/linux/mmzone.h,
 * mm/sparse.c; makedumpfile.c get_mm_sparsemem):
 *   SPARSEMEM_VMEMMAP  vmemmap_base + pfn * SIZE(page), one virtual array;
 *   SPARSEMEM          mem_section[nr].section_mem_map holds the section's
 *                      mem_map minus its first pfn, flags in the low bits
 *                      (SECTION_MARKED_PRESENT 1, SECTION_HAS_MEM_MAP 2);
 *                      with SPARSEMEM_EXTREME mem_section is an array of
 *                      root pointers, each to a page of sections;
 *   FLATMEM            mem_map + pfn * SIZE(page).
 * The reads go through the guest's page tables, so a PV guest's memmap is
 * found by pfn and read by mfn like any kernel data.
 *
 * The classification follows makedumpfile.c __exclude_unnecessary_pages
 * (1.7.2): a compound page's tails follow their head, a buddy head covers
 * 1 << page.private pages; tests in this order, each only at its level:
 * free (16: _mapcount is PAGE_BUDDY_MAPCOUNT_VALUE, not a slab), cache
 * without private data (2: PG_lru, or PG_swapcache with PG_swapbacked; not
 * anonymous; no PG_private), all cache (4), user (8: mapping & 1
 * (PAGE_MAPPING_ANON) and not a slab, or a hugetlb page), then at every
 * level PG_hwpoison and logically offline pages (_mapcount is
 * PAGE_OFFLINE_MAPCOUNT_VALUE, not a slab).
 *
 * Newer kernels, as makedumpfile 1.7.3 and later read them:
 *   - since 6.2 struct slab puts a counter where page.mapping is (mm/slab.h:
 *     slab_list's slabs), which can look anonymous: a slab page is never
 *     user data (1.7.2 dropped such pages at -d 8);
 *   - since 6.10 slabs and hugetlb folios are page types, not PG_slab or a
 *     compound destructor: NUMBER(PAGE_SLAB_MAPCOUNT_VALUE) and
 *     NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE) in VMCOREINFO;
 *   - page types (in _mapcount, include/linux/page-flags.h) up to 6.11 are
 *     ~PG_x: a page of type x has that bit clear and is below
 *     PAGE_MAPCOUNT_RESERVE (-128); since 6.12 the type is the top byte
 *     (PGTY_x << 24) and the low 24 bits may hold data.  A value whose low
 *     24 bits are zero is of the second kind.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "le.h"
#include "memmap-priv.h"
#include "vmcoreinfo-priv.h"

/* Struct pages read at once: makedumpfile's PGMM_CACHED. */
#define BATCH		512u
#define PAGE_SZ		4096u
/* Largest struct page accepted (Linux's is 64 bytes, 32-40 on 32-bit). */
#define MAX_PAGE_STRUCT	256u
#define NONE		UINT64_MAX

/* Section flags (include/linux/mmzone.h). */
#define SECTION_MARKED_PRESENT	1u
#define SECTION_HAS_MEM_MAP	2u

/* A page type: _mapcount's value for it, as VMCOREINFO gives it. */
struct page_type {
	bool known;
	uint32_t value;
};

struct xencore_memmap {
	struct xencore_as *as;
	struct xencore_memmap_info info;
	unsigned int word;
	unsigned int level;

	/* struct page: offsets, NONE when VMCOREINFO lacks the field */
	uint64_t size, off_flags, off_mapping, off_mapcount, off_private, off_head;
	uint64_t order_at, dtor_at;	/* from the head's start (first tail page's field) */
	unsigned int order_width, dtor_width;
	/* flag bits (NONE: unknown) and values */
	uint64_t pg_lru, pg_private, pg_swapcache, pg_swapbacked, pg_slab, pg_hwpoison;
	uint64_t pg_buddy, head_mask;
	struct page_type buddy, offline, slab, hugetlb;	/* from _mapcount */
	uint64_t hugetlb_dtor, free_huge_page;	/* NONE: unknown */

	/* sections */
	uint64_t mem_section;
	bool extreme;
	uint64_t per_root, nr_roots, ms_size, ms_off_map, map_mask;
	unsigned int pfn_shift;		/* SECTION_SIZE_BITS - PAGE_SHIFT */
	uint64_t sec_nr;		/* the section last looked up, or NONE */
	bool sec_present;
	uint64_t sec_map;

	/* the batch of struct pages */
	uint64_t batch_pfn;		/* its first pfn, or NONE */
	unsigned char *buf;		/* BATCH + 1 struct pages */
	unsigned char ok[BATCH + 1];	/* struct page i was read whole */

	uint64_t last_pfn, carry_end;
	enum xencore_page_class carry_class;
	uint64_t unreadable;
};

static const char *const class_names[XENCORE_PAGE_CLASSES] = {
	"keep", "cache", "cache_private", "user", "free", "hwpoison", "offline",
};

const char *xencore_page_class_name(enum xencore_page_class c)
{
	return (unsigned)c < XENCORE_PAGE_CLASSES ? class_names[c] : "?";
}

static const char *const model_names[] = {
	"sparsemem-vmemmap", "sparsemem", "sparsemem-extreme", "flatmem",
};

/* ---- setting up from VMCOREINFO ---- */

/* Collects the names of missing entries for one error message. */
struct missing {
	char text[512];
	size_t len;
	bool bad;	/* an entry that is there but not a number */
	char bad_key[64];
};

static void miss(struct missing *m, const char *key)
{
	if (m->len < sizeof(m->text) - 1)
		m->len += (size_t)snprintf(m->text + m->len, sizeof(m->text) - m->len, "%s%s",
					   m->len ? ", " : "", key);
	if (m->len >= sizeof(m->text))
		m->len = sizeof(m->text) - 1;
}

/* key's value, or NONE (and, when needed, noted as missing). */
static uint64_t get(const struct xencore_vmcoreinfo *vi, const char *key, enum vi_kind kind,
		    bool needed, struct missing *m)
{
	int64_t v;
	int r = vi_lookup(vi, key, kind, &v);
	if (r == VI_BAD && !m->bad) {
		m->bad = true;
		snprintf(m->bad_key, sizeof(m->bad_key), "%s", key);
	}
	if (r != VI_FOUND) {
		if (needed)
			miss(m, key);
		return NONE;
	}
	return (uint64_t)v;
}

static struct xencore_error *read_word(struct xencore_memmap *mm, uint64_t addr, uint64_t *ret)
{
	unsigned char b[8];
	size_t done;
	struct xencore_error *err =
		xencore_as_read(mm->as, XENCORE_KVADDR, addr, b, mm->word, &done);
	if (!err)
		*ret = mm->word == 8 ? le64(b) : le32(b);
	return err;
}

/* "6.1.0-amd64" -> 6, 1. */
static bool parse_release(const char *s, unsigned int *major, unsigned int *minor)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10);
	if (end == s || *end != '.')
		return false;
	const char *p = end + 1;
	unsigned long b = strtoul(p, &end, 10);
	if (end == p || a > 1000 || b > 1000)
		return false;
	*major = (unsigned int)a;
	*minor = (unsigned int)b;
	return true;
}

static bool kernel_at_least(const struct xencore_memmap *mm, unsigned int major,
			    unsigned int minor)
{
	return mm->info.kernel_major > major ||
	       (mm->info.kernel_major == major && mm->info.kernel_minor >= minor);
}

/* The page types read from _mapcount, in struct xencore_memmap's order. */
enum { TYPE_BUDDY, TYPE_OFFLINE, TYPE_SLAB, TYPE_HUGETLB, N_TYPES };
static const char *const type_keys[N_TYPES] = {
	[TYPE_BUDDY] = "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)",
	[TYPE_OFFLINE] = "NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)",
	[TYPE_SLAB] = "NUMBER(PAGE_SLAB_MAPCOUNT_VALUE)",
	[TYPE_HUGETLB] = "NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)",
};

/*
 * The page types VMCOREINFO gives (with _mapcount's offset): each must be
 * one, a 32-bit value at or below PAGE_MAPCOUNT_RESERVE (-128), written
 * signed or not.
 */
static struct xencore_error *page_types(struct xencore_memmap *mm,
					const struct xencore_vmcoreinfo *vi)
{
	struct page_type *t[N_TYPES] = {
		[TYPE_BUDDY] = &mm->buddy, [TYPE_OFFLINE] = &mm->offline,
		[TYPE_SLAB] = &mm->slab, [TYPE_HUGETLB] = &mm->hugetlb,
	};
	for (size_t i = 0; i < N_TYPES; i++) {
		int64_t v;
		t[i]->known = false;
		if (vi_lookup(vi, type_keys[i], VI_NUMBER, &v) != VI_FOUND)
			continue;
		if (!((v >= INT32_MIN && v <= -128) || (v >= INT64_C(0x80000000) &&
							v <= INT64_C(0xffffff80))))
			return xc_error(XENCORE_ERROR_FORMAT,
					"VMCOREINFO: %s=%" PRId64 " is not a page type (a 32-bit value at most -128)",
					type_keys[i], v);
		t[i]->value = (uint32_t)v;
		t[i]->known = mm->off_mapcount != NONE;
	}
	return NULL;
}

/*
 * _mapcount says the page is of type t: since 6.12 the top byte is the
 * type; before, the type's bit (clear in t's value) is clear in a page
 * type.  Buddy and offline pages compare whole before 6.12, as
 * makedumpfile does (they carry no other type).
 */
static bool is_type(const struct page_type *t, uint32_t mapcount, bool whole)
{
	if (!t->known)
		return false;
	if (!(t->value & 0xffffffu))
		return mapcount >> 24 == t->value >> 24;
	if (whole)
		return mapcount == t->value;
	return (int32_t)mapcount <= -128 && !(mapcount & ~t->value);
}

/* A field of width bytes at off must lie in a struct page (or two, for tails). */
static bool field_fits(uint64_t off, unsigned int width, uint64_t limit)
{
	return off == NONE || (off <= limit && width <= limit - off);
}

static struct xencore_error *layout(struct xencore_memmap *mm,
				    const struct xencore_vmcoreinfo *vi, struct missing *m)
{
	unsigned int lvl = mm->level;
	bool cache = lvl & (XENCORE_DL_CACHE | XENCORE_DL_CACHE_PRI);
	bool user = lvl & XENCORE_DL_USER, free_ = lvl & XENCORE_DL_FREE;

	mm->size = get(vi, "SIZE(page)", VI_DEC, true, m);
	mm->off_flags = get(vi, "OFFSET(page.flags)", VI_DEC, true, m);
	mm->off_mapping = get(vi, "OFFSET(page.mapping)", VI_DEC, cache || user, m);
	/* _mapcount tells free pages, and slabs once they are page types (6.10+). */
	int64_t v;
	bool slab_type = vi_lookup(vi, type_keys[TYPE_SLAB], VI_NUMBER, &v) == VI_FOUND &&
			 vi_lookup(vi, "NUMBER(PG_slab)", VI_NUMBER, &v) != VI_FOUND;
	mm->off_mapcount = get(vi, "OFFSET(page._mapcount)", VI_DEC, free_ || (user && slab_type), m);
	mm->off_private = get(vi, "OFFSET(page.private)", VI_DEC, free_, m);
	mm->off_head = get(vi, "OFFSET(page.compound_head)", VI_DEC, false, m);
	mm->pg_lru = get(vi, "NUMBER(PG_lru)", VI_NUMBER, cache, m);
	mm->pg_private = get(vi, "NUMBER(PG_private)", VI_NUMBER, cache, m);
	mm->pg_swapcache = get(vi, "NUMBER(PG_swapcache)", VI_NUMBER, cache, m);
	mm->pg_swapbacked = get(vi, "NUMBER(PG_swapbacked)", VI_NUMBER, false, m);
	mm->pg_slab = get(vi, "NUMBER(PG_slab)", VI_NUMBER, false, m);
	mm->pg_hwpoison = get(vi, "NUMBER(PG_hwpoison)", VI_NUMBER, false, m);
	mm->pg_buddy = get(vi, "NUMBER(PG_buddy)", VI_NUMBER, false, m);
	mm->head_mask = get(vi, "NUMBER(PG_head_mask)", VI_NUMBER, false, m);
	/* Page types: signed values (-1 is one, not "absent"), checked below. */
	for (size_t i = 0; i < N_TYPES; i++)
		(void)get(vi, type_keys[i], VI_NUMBER, false, m);
	mm->hugetlb_dtor = get(vi, "NUMBER(HUGETLB_PAGE_DTOR)", VI_NUMBER, false, m);
	mm->free_huge_page = get(vi, "SYMBOL(free_huge_page)", VI_HEX, false, m);

	/* Free pages: makedumpfile's page_is_buddy_v2 (PG_buddy) or _v3. */
	bool has_buddy = vi_lookup(vi, type_keys[TYPE_BUDDY], VI_NUMBER, &v) == VI_FOUND;
	if (free_ && mm->pg_buddy == NONE && !has_buddy)
		miss(m, type_keys[TYPE_BUDDY]);

	/* The first tail page holds the order and destructor (u8 since 4.16). */
	mm->order_at = mm->dtor_at = NONE;
	unsigned int width = kernel_at_least(mm, 4, 16) ? 1 : 2;
	uint64_t o = get(vi, "OFFSET(page.compound_order)", VI_DEC, false, m);
	uint64_t d = get(vi, "OFFSET(page.compound_dtor)", VI_DEC, false, m);
	uint64_t fo = get(vi, "OFFSET(folio._folio_order)", VI_DEC, false, m);
	uint64_t fd = get(vi, "OFFSET(folio._folio_dtor)", VI_DEC, false, m);
	if (mm->size != NONE) {
		if (o != NONE && o <= MAX_PAGE_STRUCT)
			mm->order_at = mm->size + o;
		else if (fo != NONE)
			mm->order_at = fo;
		if (d != NONE && d <= MAX_PAGE_STRUCT)
			mm->dtor_at = mm->size + d;
		else if (fd != NONE)
			mm->dtor_at = fd;
	}
	mm->order_width = mm->dtor_width = width;

	if (m->len || m->bad)
		return NULL;	/* the caller reports */
	uint64_t sz = mm->size;
	if (sz < 4u * mm->word || sz > MAX_PAGE_STRUCT)
		return xc_error(XENCORE_ERROR_FORMAT,
				"VMCOREINFO: SIZE(page)=%" PRIu64 " is not a struct page size (%u to %u)",
				sz, 4u * mm->word, MAX_PAGE_STRUCT);
	struct {
		const char *name;
		uint64_t off;
		unsigned int width;
		uint64_t limit;
	} fields[] = {
		{ "page.flags", mm->off_flags, mm->word, sz },
		{ "page.mapping", mm->off_mapping, mm->word, sz },
		{ "page._mapcount", mm->off_mapcount, 4, sz },
		{ "page.private", mm->off_private, mm->word, sz },
		{ "page.compound_head", mm->off_head, mm->word, sz },
		{ "page.compound_order", mm->order_at, mm->order_width, 2 * sz },
		{ "page.compound_dtor", mm->dtor_at, mm->dtor_width, 2 * sz },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!field_fits(fields[i].off, fields[i].width, fields[i].limit))
			return xc_error(XENCORE_ERROR_FORMAT,
					"VMCOREINFO: the offset of %s (%" PRIu64 ") is outside its struct page (%" PRIu64 " bytes)",
					fields[i].name, fields[i].off, sz);
	/* Looked up again: -1 must not pass for "absent" (NONE). */
	static const char *const bit_keys[] = {
		"NUMBER(PG_lru)", "NUMBER(PG_private)", "NUMBER(PG_swapcache)",
		"NUMBER(PG_swapbacked)", "NUMBER(PG_slab)", "NUMBER(PG_hwpoison)",
		"NUMBER(PG_buddy)",
	};
	for (size_t i = 0; i < sizeof(bit_keys) / sizeof(bit_keys[0]); i++) {
		int64_t b;
		if (vi_lookup(vi, bit_keys[i], VI_NUMBER, &b) == VI_FOUND &&
		    (b < 0 || b >= 8 * (int64_t)mm->word))
			return xc_error(XENCORE_ERROR_FORMAT,
					"VMCOREINFO: %s=%" PRId64 " is not a bit of page.flags",
					bit_keys[i], b);
	}
	if (mm->head_mask == NONE || mm->off_head == NONE)
		mm->head_mask = 0;	/* compound pages then count page by page */
	return page_types(mm, vi);
}

static struct xencore_error *model(struct xencore_memmap *mm,
				   const struct xencore_vmcoreinfo *vi,
				   const struct xencore_symbols *syms, struct missing *m)
{
	struct xencore_memmap_info *in = &mm->info;
	struct xencore_error *err;
	/* Sections, when the kernel has them: the VMEMMAP case uses them too. */
	mm->mem_section = get(vi, "SYMBOL(mem_section)", VI_HEX, false, m);
	mm->sec_nr = NONE;
	if (mm->mem_section != NONE) {
		mm->ms_size = get(vi, "SIZE(mem_section)", VI_DEC, true, m);
		mm->ms_off_map = get(vi, "OFFSET(mem_section.section_mem_map)", VI_DEC, true, m);
		uint64_t bits = get(vi, "NUMBER(SECTION_SIZE_BITS)", VI_NUMBER, false, m);
		uint64_t phys = get(vi, "NUMBER(MAX_PHYSMEM_BITS)", VI_NUMBER, false, m);
		uint64_t length = get(vi, "LENGTH(mem_section)", VI_DEC, false, m);
		if (m->len || m->bad)
			return NULL;
		/* Older kernels print neither: x86's values (asm/sparsemem.h). */
		if (bits == NONE)
			bits = mm->word == 8 ? 27 : 29;
		if (phys == NONE)
			phys = mm->word == 8 ? 46 : 36;
		if (bits < 21 || bits > 40 || phys > 52 || phys < bits)
			return xc_error(XENCORE_ERROR_FORMAT,
					"VMCOREINFO: SECTION_SIZE_BITS %" PRIu64 " and MAX_PHYSMEM_BITS %" PRIu64 " are not a sparse memory layout",
					bits, phys);
		if (mm->ms_size < mm->word || mm->ms_size > PAGE_SZ ||
		    mm->ms_off_map > mm->ms_size - mm->word)
			return xc_error(XENCORE_ERROR_FORMAT,
					"VMCOREINFO: SIZE(mem_section)=%" PRIu64 " with section_mem_map at %" PRIu64 " is not a struct mem_section",
					mm->ms_size, mm->ms_off_map);
		in->section_size_bits = (unsigned int)bits;
		in->max_physmem_bits = (unsigned int)phys;
		mm->pfn_shift = (unsigned int)bits - 12;
		uint64_t nr_sections = 1ull << (phys - bits);
		uint64_t per_root = PAGE_SZ / mm->ms_size;
		uint64_t roots = (nr_sections + per_root - 1) / per_root;
		/* makedumpfile.c is_sparsemem_extreme(): by LENGTH(mem_section). */
		mm->extreme = length == NONE || length == roots;
		mm->per_root = mm->extreme ? per_root : 1;
		mm->nr_roots = mm->extreme ? roots : nr_sections;
		mm->map_mask = mm->size % 64 == 0 ? 0x3f : 0x1f;
		in->has_sections = true;
	}

	uint64_t base = NONE;
	const struct xencore_symbol *s = syms ? xencore_symbol_lookup(syms, "vmemmap_base") : NULL;
	if (s) {
		if ((err = read_word(mm, s->address, &base)))
			return xc_error_prefix(err, "reading vmemmap_base");
	} else {
		base = get(vi, "SYMBOL(vmemmap)", VI_HEX, false, m);
	}
	if (base != NONE) {
		in->model = XENCORE_MEMMAP_VMEMMAP;
		in->base = base;
	} else if (mm->mem_section != NONE) {
		in->model = mm->extreme ? XENCORE_MEMMAP_SPARSEMEM_EXTREME : XENCORE_MEMMAP_SPARSEMEM;
		in->base = mm->mem_section;
	} else {
		uint64_t sym = get(vi, "SYMBOL(mem_map)", VI_HEX, false, m);
		if (m->bad)
			return NULL;	/* the caller names the entry */
		if (sym == NONE)
			return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
					"VMCOREINFO names no memory model: no SYMBOL(mem_section), SYMBOL(mem_map) or vmemmap_base");
		if ((err = read_word(mm, sym, &in->base)))
			return xc_error_prefix(err, "reading mem_map");
		in->model = XENCORE_MEMMAP_FLATMEM;
	}
	in->model_name = model_names[in->model];
	return NULL;
}

struct xencore_error *xencore_memmap_create(struct xencore_as *as,
					    const struct xencore_vmcoreinfo *vi,
					    const struct xencore_symbols *syms,
					    unsigned int word, unsigned int level,
					    struct xencore_memmap **ret)
{
	*ret = NULL;
	if ((word != 8 && word != 4) || level > XENCORE_DL_MAX)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "memmap: word size %u, level %u",
				word, level);
	struct xencore_memmap *mm = calloc(1, sizeof(*mm));
	if (!mm)
		return &xencore_enomem;
	mm->as = as;
	mm->word = word;
	mm->level = level;
	mm->info.dump_level = level;
	mm->batch_pfn = NONE;
	struct missing m = { .len = 0 };
	struct xencore_error *err = NULL;

	const char *rel = xencore_vmcoreinfo_get(vi, "OSRELEASE");
	int64_t psz;
	int r = vi_lookup(vi, "PAGESIZE", VI_DEC, &psz);
	if (!rel || !parse_release(rel, &mm->info.kernel_major, &mm->info.kernel_minor))
		err = xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO: %s",
			       rel ? "OSRELEASE is not a kernel release" : "no OSRELEASE");
	else if (r == VI_FOUND && psz != PAGE_SZ)
		err = xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO: PAGESIZE=%" PRId64 ", not 4096", psz);
	else if (r == VI_BAD)
		err = xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO: PAGESIZE is not a number");
	if (!err)
		err = layout(mm, vi, &m);
	if (!err && !m.len && !m.bad)
		err = model(mm, vi, syms, &m);
	if (!err && m.bad)
		err = xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO: %s is not a number", m.bad_key);
	else if (!err && m.len)
		err = xc_error(XENCORE_ERROR_NOT_AVAILABLE,
			       "VMCOREINFO lacks what dump level %u needs: %s", level, m.text);
	if (!err) {
		mm->info.page_struct_size = (unsigned int)mm->size;
		mm->buf = malloc((BATCH + 1) * mm->size);
		if (!mm->buf)
			err = &xencore_enomem;
	}
	if (err) {
		xencore_memmap_destroy(mm);
		return err;
	}
	*ret = mm;
	return NULL;
}

void xencore_memmap_destroy(struct xencore_memmap *mm)
{
	if (!mm)
		return;
	free(mm->buf);
	free(mm);
}

const struct xencore_memmap_info *xencore_memmap_info(const struct xencore_memmap *mm)
{
	return &mm->info;
}

uint64_t xencore_memmap_unreadable(const struct xencore_memmap *mm)
{
	return mm->unreadable;
}

/* ---- reading struct pages ---- */

/* Looks section nr up: present with a mem_map (and the coded map), or not. */
static void lookup_section(struct xencore_memmap *mm, uint64_t nr)
{
	if (mm->sec_nr == nr)
		return;
	mm->sec_nr = nr;
	mm->sec_present = false;
	uint64_t root = nr / mm->per_root, entry, value;
	if (root >= mm->nr_roots)
		return;
	struct xencore_error *err;
	if (mm->extreme) {
		uint64_t ptr;
		err = read_word(mm, mm->mem_section + root * mm->word, &ptr);
		if (err || !ptr) {
			xencore_error_destroy(err);
			return;
		}
		entry = ptr + (nr % mm->per_root) * mm->ms_size;
	} else {
		entry = mm->mem_section + nr * mm->ms_size;
	}
	err = read_word(mm, entry + mm->ms_off_map, &value);
	if (err) {
		xencore_error_destroy(err);
		return;
	}
	if ((value & (SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP)) !=
	    (SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP))
		return;
	mm->sec_present = true;
	mm->sec_map = value & ~mm->map_mask;
}

/*
 * Reads the struct pages of pfns first .. first+BATCH (one more than the
 * batch, for a head's first tail), a guest page of them at a time, so an
 * unmapped page of the memmap loses only the struct pages on it.
 */
static void read_batch(struct xencore_memmap *mm, uint64_t first)
{
	mm->batch_pfn = first;
	memset(mm->ok, 0, sizeof(mm->ok));
	uint64_t addr;
	if (mm->info.has_sections) {
		lookup_section(mm, first >> mm->pfn_shift);
		if (!mm->sec_present)
			return;
		if (mm->info.model != XENCORE_MEMMAP_VMEMMAP) {
			addr = mm->sec_map + first * mm->size;
			goto read;
		}
	}
	addr = mm->info.base + first * mm->size;
read:;
	uint64_t len = (BATCH + 1) * mm->size, done = 0;
	bool seg_ok[(BATCH + 1) * MAX_PAGE_STRUCT / PAGE_SZ + 2];
	size_t nseg = 0;
	while (done < len) {
		uint64_t a = addr + done;
		uint64_t n = PAGE_SZ - (a & (PAGE_SZ - 1));
		if (n > len - done)
			n = len - done;
		size_t got;
		struct xencore_error *err = a < addr ? xc_error(XENCORE_ERROR_NOT_PRESENT, "wraps")
			: xencore_as_read(mm->as, XENCORE_KVADDR, a, mm->buf + done, (size_t)n, &got);
		seg_ok[nseg++] = !err;
		xencore_error_destroy(err);
		done += n;
	}
	uint64_t skew = addr & (PAGE_SZ - 1);
	for (unsigned int i = 0; i <= BATCH; i++) {
		uint64_t s = (skew + i * mm->size) / PAGE_SZ;
		uint64_t e = (skew + (i + 1) * mm->size - 1) / PAGE_SZ;
		mm->ok[i] = seg_ok[s] && seg_ok[e];
	}
	/* The extra struct page belongs to the next section, maybe absent. */
	if (mm->info.has_sections && ((first + BATCH) >> mm->pfn_shift) != (first >> mm->pfn_shift))
		mm->ok[BATCH] = 0;
}

static uint64_t word_at(const struct xencore_memmap *mm, const unsigned char *p)
{
	return mm->word == 8 ? le64(p) : le32(p);
}

static bool bit(uint64_t flags, uint64_t nr)
{
	return nr != NONE && (flags >> nr & 1);
}

/* makedumpfile.c is_cache_page(). */
static bool is_cache(const struct xencore_memmap *mm, uint64_t flags)
{
	if (bit(flags, mm->pg_lru))
		return true;
	return (mm->pg_swapbacked == NONE || bit(flags, mm->pg_swapbacked)) &&
	       bit(flags, mm->pg_swapcache);
}

struct xencore_error *xencore_memmap_classify(struct xencore_memmap *mm, uint64_t pfn,
					      enum xencore_page_class *ret)
{
	if (pfn < mm->last_pfn)
		mm->carry_end = 0;	/* out of order: no range applies */
	mm->last_pfn = pfn;
	if (pfn < mm->carry_end) {
		*ret = mm->carry_class;
		return NULL;
	}
	*ret = XENCORE_PAGE_KEEP;
	uint64_t first = pfn & ~(uint64_t)(BATCH - 1);
	if (mm->batch_pfn != first)
		read_batch(mm, first);
	unsigned int i = (unsigned int)(pfn - first);
	if (!mm->ok[i]) {
		mm->unreadable++;
		return NULL;
	}
	const unsigned char *p = mm->buf + i * mm->size;
	uint64_t flags = word_at(mm, p + mm->off_flags);
	uint64_t mapping = mm->off_mapping != NONE ? word_at(mm, p + mm->off_mapping) : 0;
	uint32_t mapcount = mm->off_mapcount != NONE ? le32(p + mm->off_mapcount) : 0;
	uint64_t priv = mm->off_private != NONE ? word_at(mm, p + mm->off_private) : 0;
	uint64_t head = mm->off_head != NONE ? word_at(mm, p + mm->off_head) : 0;

	/* A head's order and destructor, from its first tail page. */
	uint64_t order = 0, dtor = 0;
	if (mm->head_mask && (flags & mm->head_mask) && i < BATCH && mm->ok[i + 1]) {
		if (mm->order_at != NONE)
			order = mm->order_width == 1 ? p[mm->order_at] : le16(p + mm->order_at);
		if (mm->dtor_at != NONE)
			dtor = mm->dtor_width == 1 ? p[mm->dtor_at] : le16(p + mm->dtor_at);
		if (order >= 8u * mm->word || (pfn & ((1ull << order) - 1)))
			order = 0;	/* not a compound page's order */
	}
	/* A tail whose head left it in: makedumpfile skips it too. */
	if (head & 1)
		return NULL;

	unsigned int lvl = mm->level;
	bool anon = mapping & 1;	/* PAGE_MAPPING_ANON */
	bool slab = bit(flags, mm->pg_slab) || is_type(&mm->slab, mapcount, false);
	bool hugetlb = (dtor && (dtor == mm->hugetlb_dtor || dtor == mm->free_huge_page)) ||
		       is_type(&mm->hugetlb, mapcount, false);
	enum xencore_page_class c = XENCORE_PAGE_KEEP;
	if ((lvl & XENCORE_DL_FREE) &&
	    (mm->pg_buddy != NONE ? bit(flags, mm->pg_buddy)
				  : !slab && is_type(&mm->buddy, mapcount, true))) {
		c = XENCORE_PAGE_FREE;
		order = priv < 8u * mm->word ? priv : 0;
	} else if ((lvl & XENCORE_DL_CACHE) && is_cache(mm, flags) &&
		   !bit(flags, mm->pg_private) && !anon) {
		c = XENCORE_PAGE_CACHE;
	} else if ((lvl & XENCORE_DL_CACHE_PRI) && is_cache(mm, flags) && !anon) {
		c = bit(flags, mm->pg_private) ? XENCORE_PAGE_CACHE_PRIVATE : XENCORE_PAGE_CACHE;
	} else if ((lvl & XENCORE_DL_USER) && ((anon && !slab) || hugetlb)) {
		c = XENCORE_PAGE_USER;
	} else if (bit(flags, mm->pg_hwpoison)) {
		c = XENCORE_PAGE_HWPOISON;
	} else if (!slab && is_type(&mm->offline, mapcount, true)) {
		c = XENCORE_PAGE_OFFLINE;
	}
	if (c != XENCORE_PAGE_KEEP && order) {
		uint64_t n = 1ull << order;
		mm->carry_end = pfn > UINT64_MAX - n ? UINT64_MAX : pfn + n;
		mm->carry_class = c;
	}
	*ret = c;
	return NULL;
}

/* ---- struct page -> pfn ---- */

/* Section probes one lookup may make on a classic SPARSEMEM memmap. */
#define MAX_SECTION_PROBES	(UINT64_C(1) << 20)

struct xencore_error *memmap_pfn_of_page(struct xencore_memmap *mm, uint64_t page,
					 uint64_t max_pfn, uint64_t *pfn_ret)
{
	uint64_t base = mm->info.base;
	if (mm->info.model == XENCORE_MEMMAP_VMEMMAP || mm->info.model == XENCORE_MEMMAP_FLATMEM) {
		if (page >= base && (page - base) % mm->size == 0 &&
		    (page - base) / mm->size < max_pfn) {
			*pfn_ret = (page - base) / mm->size;
			return NULL;
		}
	} else {
		/* Which present section's mem_map holds it: the one whose coded map gives a pfn inside it. */
		uint64_t last = max_pfn ? (max_pfn - 1) >> mm->pfn_shift : 0;
		uint64_t per = UINT64_C(1) << mm->pfn_shift;
		for (uint64_t nr = 0; nr <= last && nr < MAX_SECTION_PROBES; nr++) {
			lookup_section(mm, nr);
			if (!mm->sec_present || page < mm->sec_map ||
			    (page - mm->sec_map) % mm->size)
				continue;
			uint64_t pfn = (page - mm->sec_map) / mm->size;
			if (pfn >> mm->pfn_shift == nr && pfn < max_pfn && pfn - nr * per < per) {
				*pfn_ret = pfn;
				return NULL;
			}
		}
	}
	return xc_error(XENCORE_ERROR_FORMAT,
			"0x%" PRIx64 " is not the struct page of a pfn below 0x%" PRIx64 " (%s memmap at 0x%" PRIx64 ")",
			page, max_pfn, mm->info.model_name, base);
}
