// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * native.c: what a native export of a guest needs besides its pages: the
 * page-table roots (and so every table, pgtable-canon.c), the VMCOREINFO
 * to carry, the utsname, the direct map's base and the kernel image.
 *
 * The roots: every vcpu's cr3 and (64-bit PV) user cr3, p2m_cr3, the
 * kernel's own root (init_top_pgt or swapper_pg_dir, from the symbols or
 * VMCOREINFO), and each pgd on the kernel's pgd_list with its user pgd
 * (arch/x86/mm/pgtable.c pgd_list_add(): the pgd's struct page is linked
 * through page.lru; arch/x86/xen/mmu_pv.c xen_pgd_alloc(): a 64-bit PV
 * pgd's struct page keeps its user pgd's address in page.private).
 */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "memmap-priv.h"
#include "native-priv.h"
#include "vmcoreinfo-priv.h"
#include "x86.h"
#include "xen-notes.h"

/* struct new_utsname: six fields of 65 bytes (include/uapi/linux/utsname.h). */
#define UTS_FIELDS	6

struct roots {
	struct pt_root *r;
	size_t nr, cap;
};

static struct xencore_error *add_root(struct roots *rs, uint64_t mfn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static struct xencore_error *add_root(struct roots *rs, uint64_t mfn, const char *fmt, ...)
{
	if (rs->nr == rs->cap) {
		size_t c = rs->cap ? 2 * rs->cap : 16;
		struct pt_root *n = realloc(rs->r, c * sizeof(*n));
		if (!n)
			return &xencore_enomem;
		rs->r = n;
		rs->cap = c;
	}
	struct pt_root *r = &rs->r[rs->nr++];
	r->mfn = mfn;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->what, sizeof(r->what), fmt, ap);
	va_end(ap);
	return NULL;
}

static bool read_word(struct xencore_as *as, uint64_t addr, unsigned int word, uint64_t *ret)
{
	unsigned char b[8];
	size_t done;
	struct xencore_error *err = xencore_as_read(as, XENCORE_KVADDR, addr, b, word, &done);
	if (err) {
		xencore_error_destroy(err);
		return false;
	}
	*ret = word == 8 ? le64(b) : le32(b);
	return true;
}

/* The mfn of the page holding kernel address va, through the kernel's tables. */
static bool kernel_mfn(struct xencore_as *as, uint64_t va, uint64_t *mfn)
{
	struct xencore_vtop v = { .size = sizeof(v) };
	struct xencore_error *err = xencore_as_vtop(as, va, &v);
	if (err) {
		xencore_error_destroy(err);
		return false;
	}
	*mfn = v.mfn;
	return true;
}

/* An address from the symbols, else from VMCOREINFO's SYMBOL(name). */
static bool symbol(const struct xencore_symbols *syms, const struct xencore_vmcoreinfo *vi,
		   const char *name, uint64_t *ret)
{
	const struct xencore_symbol *s = syms ? xencore_symbol_lookup(syms, name) : NULL;
	if (s) {
		*ret = s->address;
		return true;
	}
	char key[96];
	int64_t v;
	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	if (vi && vi_lookup(vi, key, VI_HEX, &v) == VI_FOUND) {
		*ret = (uint64_t)v;
		return true;
	}
	return false;
}

/* The kernel's root: init_top_pgt (4.14+) or swapper_pg_dir. */
static bool kernel_root(struct xencore_as *as, const struct xencore_symbols *syms,
			const struct xencore_vmcoreinfo *vi, uint64_t *mfn, const char **name)
{
	static const char *const names[] = { "init_top_pgt", "swapper_pg_dir" };
	for (size_t i = 0; i < 2; i++) {
		uint64_t va;
		if (symbol(syms, vi, names[i], &va) && kernel_mfn(as, va, mfn)) {
			*name = names[i];
			return true;
		}
	}
	return false;
}

/* Roots from the vcpus and shared_info. */
static struct xencore_error *xen_roots(struct xencore_dump *dump, struct roots *rs)
{
	struct xencore_error *err = NULL;
	for (uint64_t i = 0; !err && i < dump->info.nr_contexts; i++) {
		struct xencore_vcpu_regs r = { .size = sizeof(r) };
		if ((err = xencore_dump_vcpu_regs(dump, i, &r)))
			break;
		if (r.cr[3])
			err = add_root(rs, r.cr3_mfn, "vcpu %" PRIu64 " cr3", i);
		if (!err && r.user_cr3_mfn)
			err = add_root(rs, r.user_cr3_mfn, "vcpu %" PRIu64 " user cr3", i);
	}
	if (!err && dump->info.has_linear_p2m)
		err = add_root(rs, dump->info.p2m_root_mfn, "p2m_cr3");
	return err;
}

/*
 * Each pgd on pgd_list, and (64-bit) its user pgd.  A list that cannot be
 * read, or does not end, is reported in *why and leaves what was found.
 */
static struct xencore_error *pgd_list_roots(struct xencore_dump *dump, struct xencore_p2m *p2m,
					    struct xencore_as *as,
					    const struct xencore_symbols *syms,
					    const struct xencore_vmcoreinfo *vi, struct roots *rs,
					    uint64_t *found, char *why, size_t why_len)
{
	unsigned int word = dump->info.guest_bits / 8;
	const struct xencore_symbol *head = syms ? xencore_symbol_lookup(syms, "pgd_list") : NULL;
	int64_t lru, priv = -1;
	if (!head) {
		snprintf(why, why_len, "%s", syms ? "the symbols have no pgd_list"
						  : "pgd_list needs the kernel's symbols");
		return NULL;
	}
	if (!vi || vi_lookup(vi, "OFFSET(page.lru)", VI_DEC, &lru) != VI_FOUND ||
	    lru > 256 - 8) {
		snprintf(why, why_len, "pgd_list needs VMCOREINFO's OFFSET(page.lru)");
		return NULL;
	}
	if (word == 8 && (vi_lookup(vi, "OFFSET(page.private)", VI_DEC, &priv) != VI_FOUND ||
			  priv > 256 - 8))
		priv = -1;
	struct xencore_memmap *mm;
	struct xencore_error *err = xencore_memmap_create(as, vi, syms, word, 0, &mm);
	if (err) {
		snprintf(why, why_len, "pgd_list: %s", err->message);
		xencore_error_destroy(err);
		return NULL;
	}
	/*
	 * The list: at most one entry a dumped page, and Brent's cycle
	 * check for a loop that misses the head.
	 */
	uint64_t max_pfn = xencore_p2m_max_pfn(p2m), next, tortoise = head->address;
	uint64_t limit = dump->info.nr_pages + 1, steps = 0, power = 1, lam = 0;
	bool ok = read_word(as, head->address, word, &next);
	while (ok && !err && next != head->address) {
		if (++steps > limit || next == tortoise) {
			snprintf(why, why_len, "pgd_list does not end (a loop after %" PRIu64 " entries)",
				 steps);
			break;
		}
		if (++lam == power) {
			tortoise = next;
			power *= 2;
			lam = 0;
		}
		uint64_t page = next - (uint64_t)lru, pfn, mfn;
		struct xencore_error *e = memmap_pfn_of_page(mm, page, max_pfn, &pfn);
		const struct xencore_p2m_run *run = e ? NULL : xencore_p2m_find(p2m, pfn);
		if (e || !run || run->kind != XENCORE_RUN_MAPPED) {
			snprintf(why, why_len, "pgd_list entry 0x%" PRIx64 ": %s", next,
				 e ? e->message : "its pgd's pfn has no frame");
			xencore_error_destroy(e);
			break;
		}
		mfn = run->mfn + (pfn - run->pfn);
		err = add_root(rs, mfn, "pgd 0x%" PRIx64 " on pgd_list", pfn);
		(*found)++;
		uint64_t user, umfn;
		if (!err && priv >= 0 && read_word(as, page + (uint64_t)priv, word, &user) && user &&
		    kernel_mfn(as, user, &umfn))
			err = add_root(rs, umfn, "user pgd of pfn 0x%" PRIx64, pfn);
		ok = read_word(as, next, word, &next);
	}
	if (!ok && !why[0])
		snprintf(why, why_len, "pgd_list cannot be read at 0x%" PRIx64, head->address);
	xencore_memmap_destroy(mm);
	return err;
}

/* A utsname field: printable, NUL-terminated inside its 65 bytes. */
static bool uts_field(const unsigned char *p, char *out)
{
	size_t len = strnlen((const char *)p, XENCORE_UTS_LEN);
	if (len == XENCORE_UTS_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	memcpy(out, p, len + 1);
	return true;
}

/*
 * init_uts_ns.name (include/linux/utsname.h): at OFFSET(uts_namespace.name)
 * when VMCOREINFO gives it, else at 0 (5.11+) or after the kref (4).
 */
static bool read_utsname(struct xencore_as *as, const struct xencore_symbols *syms,
			 const struct xencore_vmcoreinfo *vi, struct xencore_native_info *in)
{
	uint64_t at;
	if (!symbol(syms, vi, "init_uts_ns", &at))
		return false;
	int64_t off;
	uint64_t offs[2] = { 0, 4 };
	size_t n = 2;
	if (vi && vi_lookup(vi, "OFFSET(uts_namespace.name)", VI_DEC, &off) == VI_FOUND &&
	    off < 4096) {
		offs[0] = (uint64_t)off;
		n = 1;
	}
	unsigned char b[UTS_FIELDS * XENCORE_UTS_LEN];
	char *fields[UTS_FIELDS] = { in->sysname, in->nodename, in->release,
				     in->version, in->machine, in->domainname };
	for (size_t k = 0; k < n; k++) {
		size_t done;
		struct xencore_error *err =
			xencore_as_read(as, XENCORE_KVADDR, at + offs[k], b, sizeof(b), &done);
		if (err) {
			xencore_error_destroy(err);
			continue;
		}
		bool ok = !memcmp(b, "Linux", 6);
		for (int i = 0; ok && i < UTS_FIELDS; i++)
			ok = uts_field(b + i * XENCORE_UTS_LEN, fields[i]);
		if (ok && in->release[0])
			return true;
	}
	for (int i = 0; i < UTS_FIELDS; i++)
		fields[i][0] = '\0';
	return false;
}

/* Whether va maps pfn's frame through the kernel's tables. */
static bool maps_pfn(struct xencore_as *as, struct xencore_p2m *p2m, uint64_t va, uint64_t pfn)
{
	const struct xencore_p2m_run *run = xencore_p2m_find(p2m, pfn);
	uint64_t mfn;
	return run && run->kind == XENCORE_RUN_MAPPED && kernel_mfn(as, va, &mfn) &&
	       mfn == run->mfn + (pfn - run->pfn);
}

/* The lowest dumped pfn that has a frame, to test the direct map with. */
static bool probe_pfn(struct xencore_dump *dump, struct xencore_p2m *p2m, uint64_t *pfn)
{
	size_t n;
	const struct xencore_p2m_run *r = xencore_p2m_runs(p2m, &n);
	for (size_t i = 0; i < n; i++) {
		if (r[i].kind != XENCORE_RUN_MAPPED)
			continue;
		bool dumped;
		struct xencore_error *err = xencore_has_mfn(dump, r[i].mfn, &dumped);
		if (err) {	/* a damaged record of the dump's table: no probe */
			xc_warn(dump, "cannot look for a page to test the direct map with: %s",
				err->message);
			xencore_error_destroy(err);
			return false;
		}
		if (dumped) {
			*pfn = r[i].pfn;
			return true;
		}
	}
	return false;
}

/*
 * The direct map's base: page_offset_base's value (x86-64 4.20+ keeps it
 * in a variable), else the known bases, each confirmed when it maps a
 * dumped pfn to its frame.  Unconfirmed, the first candidate stands.
 */
static void direct_map(struct xencore_dump *dump, struct xencore_p2m *p2m, struct xencore_as *as,
		       const struct xencore_symbols *syms, struct xencore_native_info *in)
{
	unsigned int word = dump->info.guest_bits / 8;
	uint64_t cand[4], pfn;
	size_t n = 0;
	const struct xencore_symbol *s = syms ? xencore_symbol_lookup(syms, "page_offset_base") : NULL;
	if (word == 8) {
		if (s && as && read_word(as, s->address, 8, &cand[n]))
			n++;
		cand[n++] = X86_64_PAGE_OFFSET;
		cand[n++] = X86_64_PAGE_OFFSET_OLD;
	} else {
		/* CONFIG_VMSPLIT_3G (the default), 2G, 1G. */
		cand[n++] = X86_32_PAGE_OFFSET;
		cand[n++] = UINT64_C(0x80000000);
		cand[n++] = UINT64_C(0x40000000);
	}
	in->page_offset = cand[0];
	if (!as || !p2m || !probe_pfn(dump, p2m, &pfn))
		return;
	for (size_t i = 0; i < n; i++) {
		if (maps_pfn(as, p2m, cand[i] + (pfn << X86_PAGE_SHIFT), pfn)) {
			in->page_offset = cand[i];
			in->page_offset_checked = true;
			return;
		}
	}
}

/*
 * The kernel image as /proc/vmcore gives it its own load (x86-64 only):
 * _text (or _stext) to _end from the symbols; without them, from
 * VMCOREINFO's SYMBOL(_stext) as far as the kernel's tables map it where
 * its pfns say (pfn = address - __START_KERNEL_map: PV kernels run at
 * phys_base 0), at most KERNEL_IMAGE_SIZE.
 */
static void kernel_text(struct xencore_p2m *p2m, struct xencore_as *as,
			const struct xencore_symbols *syms, const struct xencore_vmcoreinfo *vi,
			struct xencore_native_info *in)
{
	uint64_t start, end = 0;
	if (!as || !p2m)
		return;
	if (syms && (symbol(syms, NULL, "_text", &start) || symbol(syms, NULL, "_stext", &start))) {
		if (!symbol(syms, NULL, "_end", &end))
			return;
	} else if (!vi || !symbol(NULL, vi, "_stext", &start)) {
		return;
	}
	start &= ~(X86_PAGE_SIZE - 1);
	if (start < X86_64_START_KERNEL_MAP || start - X86_64_START_KERNEL_MAP >= X86_64_KERNEL_IMAGE_MAX ||
	    (end && (end <= start || end - X86_64_START_KERNEL_MAP > X86_64_KERNEL_IMAGE_MAX)))
		return;
	uint64_t pfn = (start - X86_64_START_KERNEL_MAP) >> X86_PAGE_SHIFT, pages;
	if (end) {
		/* Confirmed on the first page. */
		if (!maps_pfn(as, p2m, start, pfn))
			return;
		pages = (end - start + X86_PAGE_SIZE - 1) >> X86_PAGE_SHIFT;
	} else {
		uint64_t max = (X86_64_START_KERNEL_MAP + X86_64_KERNEL_IMAGE_MAX - start) >> X86_PAGE_SHIFT;
		for (pages = 0; pages < max; pages++)
			if (!maps_pfn(as, p2m, start + (pages << X86_PAGE_SHIFT), pfn + pages))
				break;
		if (!pages)
			return;
	}
	in->has_kernel_text = true;
	in->text_pfn = pfn;
	in->text_pages = pages;
	in->text_vaddr = start;
}

/*
 * Whether vi is this kernel's: SYMBOL(_stext) is the symbols' _stext; the
 * root it names (SYMBOL(init_top_pgt) or swapper_pg_dir) is one of the
 * guest's roots.
 */
static bool vmcoreinfo_ok(const struct xencore_vmcoreinfo *vi, const struct xencore_symbols *syms,
			  struct xencore_as *as, const struct pt_set *set, char *why, size_t len)
{
	if (!xencore_vmcoreinfo_get(vi, "OSRELEASE")) {
		snprintf(why, len, "the VMCOREINFO has no OSRELEASE");
		return false;
	}
	int64_t v;
	const struct xencore_symbol *s = syms ? xencore_symbol_lookup(syms, "_stext") : NULL;
	if (s && vi_lookup(vi, "SYMBOL(_stext)", VI_HEX, &v) == VI_FOUND &&
	    (uint64_t)v != s->address) {
		snprintf(why, len, "the VMCOREINFO's _stext 0x%" PRIx64 " is not the symbols' 0x%" PRIx64,
			 (uint64_t)v, s->address);
		return false;
	}
	uint64_t mfn;
	const char *name;
	if (set->nr && as && kernel_root(as, NULL, vi, &mfn, &name)) {
		const struct pt_table *t = pt_set_find(set, mfn);
		if (!t || t->level != (set->bits == 64 ? 4 : 3)) {
			snprintf(why, len, "the VMCOREINFO's %s (mfn 0x%" PRIx64 ") is not a page-table root of the guest",
				 name, mfn);
			return false;
		}
	}
	return true;
}

/* What a native export read back says of its rewrite (its NATIVE note). */
static void input_record(const struct xencore_dump *dump, struct xencore_native_info *in)
{
	struct note_iter it = { dump->native_record, dump->native_record_size, 0 };
	struct note n;
	in->input_native = true;
	while (note_next(&it, &n) > 0) {
		if (xencore_note_type(&n) != XENCORE_NOTE_NATIVE || n.descsz < XENCORE_NATIVE_DESC_SIZE)
			continue;
		in->nr_tables = le64(n.desc + 8);
		in->entries_rewritten = le64(n.desc + 24);
		in->entries_cleared_xen = le64(n.desc + 32);
		in->entries_cleared_unmapped = le64(n.desc + 40);
	}
}

struct xencore_error *xencore_native_create(struct xencore_dump *dump,
					    struct xencore_p2m *p2m,
					    struct xencore_as *as,
					    const struct xencore_symbols *syms,
					    const struct xencore_vmcoreinfo *vi,
					    struct xencore_native **ret)
{
	*ret = NULL;
	bool pv = !dump->info.hvm;
	if (pv && !p2m)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"a native export of a PV guest needs its p2m");
	struct xencore_native *n = calloc(1, sizeof(*n));
	if (!n)
		return &xencore_enomem;
	n->dump = dump;
	struct xencore_native_info *in = &n->info;
	struct roots rs = { 0 };
	struct xencore_error *err = NULL;

	if (dump->pt_pfn) {
		/* A native export filtered again: its tables hold pfns already. */
		input_record(dump, in);
	} else if (pv) {
		err = xen_roots(dump, &rs);
		uint64_t mfn;
		const char *name;
		if (!err && as && kernel_root(as, syms, vi, &mfn, &name))
			err = add_root(&rs, mfn, "%s", name);
		if (!err && as)
			err = pgd_list_roots(dump, p2m, as, syms, vi, &rs, &in->nr_pgd_list,
					     in->pgd_list_why, sizeof(in->pgd_list_why));
		else if (!err)
			snprintf(in->pgd_list_why, sizeof(in->pgd_list_why),
				 "no address space to read pgd_list through");
		if (!err)
			err = pt_set_build(dump, p2m, rs.r, rs.nr, &n->set);
		if (err)
			goto fail;
		in->rewrites_page_tables = true;
		in->nr_roots = rs.nr;
		in->nr_tables = n->set.nr;
		in->tables_not_dumped = n->set.not_dumped;
		in->entries_rewritten = n->set.counts.rewritten;
		in->entries_cleared_xen = n->set.counts.cleared_xen;
		in->entries_cleared_unmapped = n->set.counts.cleared_unmapped;
	}

	if (!vi)
		snprintf(in->vmcoreinfo_why, sizeof(in->vmcoreinfo_why), "no VMCOREINFO was found");
	else if (vmcoreinfo_ok(vi, syms, as, &n->set, in->vmcoreinfo_why,
			       sizeof(in->vmcoreinfo_why))) {
		size_t len;
		const char *text = xencore_vmcoreinfo_text(vi, &len);
		n->vmcoreinfo = malloc(len ? len : 1);
		if (!n->vmcoreinfo) {
			err = &xencore_enomem;
			goto fail;
		}
		memcpy(n->vmcoreinfo, text, len);
		n->vmcoreinfo_len = len;
		in->has_vmcoreinfo = true;
	}

	in->utsname_from = "none";
	if (as && read_utsname(as, syms, in->has_vmcoreinfo ? vi : NULL, in)) {
		in->utsname_from = "init_uts_ns";
	} else if (in->has_vmcoreinfo) {
		snprintf(in->release, sizeof(in->release), "%s", xencore_vmcoreinfo_get(vi, "OSRELEASE"));
		in->utsname_from = "VMCOREINFO";
	}
	direct_map(dump, p2m, as, syms, in);
	if (dump->info.guest_bits == 64)
		kernel_text(p2m, as, syms, in->has_vmcoreinfo ? vi : NULL, in);
	free(rs.r);
	*ret = n;
	return NULL;
fail:
	free(rs.r);
	xencore_native_destroy(n);
	return err;
}

void xencore_native_destroy(struct xencore_native *native)
{
	if (!native)
		return;
	pt_set_deinit(&native->set);
	free(native->vmcoreinfo);
	free(native);
}

const struct xencore_native_info *xencore_native_info(const struct xencore_native *native)
{
	return &native->info;
}
