// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * output-notes.c: the note area of the kdump and ELF files xencore filter
 * writes, built and read back.
 *
 * In order: for a native export one NT_PRSTATUS note ("CORE") per vcpu
 * and the guest's VMCOREINFO ("VMCOREINFO"), as /proc/vmcore has them
 * (kexec-tools puts the CPU notes first, VMCOREINFO last); then the dump's
 * "Xen" notes; then xencore's own ("XENCORE", xen-notes.h): what the
 * Linux notes cannot say of a Xen guest, which is what xencore reads back.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "filter-priv.h"
#include "le.h"
#include "native-priv.h"
#include "output-notes.h"
#include "p2m-priv.h"
#include "xen-notes.h"

/* Xen's limit on vcpus per domain (HVM_MAX_VCPUS); bounds the contexts. */
#define MAX_VCPUS	4096
/* A VMCOREINFO note larger than this is no kernel's (VMCOREINFO_BYTES is a page). */
#define VMCOREINFO_MAX	(UINT32_C(1) << 20)

/* linux/elf.h, include/uapi/linux/elfcore.h. */
#define NT_PRSTATUS		1
#define PRSTATUS64_SIZE		336	/* struct elf_prstatus, x86-64 */
#define PRSTATUS64_REG		112	/* pr_reg: struct user_regs_struct */
#define PRSTATUS32_SIZE		144	/* i386 */
#define PRSTATUS32_REG		72

/*
 * What a run of the PAGES and P2M notes may be, for the writer and the
 * reader alike (frame.h's rule): what one writes the other reads.
 */

/* A PAGES run: count pages, pfns and mfns all possible frames. */
static bool pages_run_ok(uint64_t pfn, uint64_t mfn, uint64_t count)
{
	return xc_frames_ok(pfn, count) && xc_frames_ok(mfn, count);
}

/*
 * A P2M run: inside 0 .. max_pfn-1 (max_pfn at most XC_FRAMES), a kind
 * this xencore knows, and a mapped or foreign run's frames possible.
 */
static bool p2m_run_ok(uint64_t pfn, uint64_t count, uint64_t mfn, uint32_t kind,
		       uint64_t max_pfn)
{
	if (!count || max_pfn > XC_FRAMES || pfn >= max_pfn || count > max_pfn - pfn ||
	    kind > XENCORE_RUN_FOREIGN)
		return false;
	return (kind != XENCORE_RUN_MAPPED && kind != XENCORE_RUN_FOREIGN) ||
	       xc_frames_ok(mfn, count);
}

/* ---- building ---- */

/*
 * struct elf_prstatus of a vcpu: zero but pr_reg, the registers in
 * struct user_regs_struct's order (arch/x86/include/asm/user_64.h,
 * user_32.h); orig_ax -1, as a crash's saved registers have it.
 */
static size_t prstatus(const struct xencore_vcpu_regs *r, unsigned char *p)
{
	if (r->bits == 64) {
		/* A PV kernel's GS base is gs_base_kernel (VGCF_in_kernel = 1 << 2). */
		uint64_t gs_base = r->flags & 4 ? r->gs_base_kernel : r->gs_base_user;
		const uint64_t reg[27] = {
			r->r15, r->r14, r->r13, r->r12, r->rbp, r->rbx, r->r11, r->r10, r->r9,
			r->r8, r->rax, r->rcx, r->rdx, r->rsi, r->rdi, UINT64_MAX, r->rip, r->cs,
			r->rflags, r->rsp, r->ss, r->fs_base, gs_base, r->ds, r->es, r->fs, r->gs,
		};
		memset(p, 0, PRSTATUS64_SIZE);
		for (int i = 0; i < 27; i++)
			put_le64(p + PRSTATUS64_REG + 8 * i, reg[i]);
		return PRSTATUS64_SIZE;
	}
	const uint64_t reg[17] = {
		r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rax, r->ds, r->es, r->fs,
		r->gs, UINT32_MAX, r->rip, r->cs, r->rflags, r->rsp, r->ss,
	};
	memset(p, 0, PRSTATUS32_SIZE);
	for (int i = 0; i < 17; i++)
		put_le32(p + PRSTATUS32_REG + 4 * i, (uint32_t)reg[i]);
	return PRSTATUS32_SIZE;
}

/*
 * A root's pseudo-physical address: what a native kernel's cr3 would hold
 * (an HVM guest's is one already).  0 when no pfn maps the root.
 */
static uint64_t cr3_phys(const struct xencore_dump *dump, struct xencore_p2m *p2m, uint64_t mfn)
{
	uint64_t pfn;
	if (dump->info.hvm)
		return mfn << 12;
	return p2m && mfn && xencore_p2m_mfn_to_pfn(p2m, mfn, &pfn) ? pfn << 12 : 0;
}

/* The vcpus' control registers, which NT_PRSTATUS has no room for (CPUS). */
static bool add_cpus(struct xc_buf *b, struct xencore_dump *dump, struct xencore_p2m *p2m)
{
	if (!dump->info.nr_contexts)
		return true;
	struct xc_buf d = { 0 };
	bool ok = true;
	for (uint64_t i = 0; ok && i < dump->info.nr_contexts; i++) {
		struct xencore_vcpu_regs r = { .size = sizeof(r) };
		struct xencore_error *err = xencore_dump_vcpu_regs(dump, i, &r);
		if (err) {
			xencore_error_destroy(err);
			memset(&r, 0, sizeof(r));
		}
		unsigned char c[XENCORE_CPUS_SIZE];
		put_le64(c, r.cr[0]);
		put_le64(c + 8, r.cr[2]);
		put_le64(c + 16, r.cr[3] ? cr3_phys(dump, p2m, r.cr3_mfn) : 0);
		put_le64(c + 24, r.cr[4]);
		put_le64(c + 32, cr3_phys(dump, p2m, r.user_cr3_mfn));
		ok = xc_buf_add(&d, c, sizeof(c));
	}
	ok = ok && xc_buf_add_note(b, XENCORE_NOTE_NAME, XENCORE_NOTE_CPUS, d.p, d.len);
	xc_buf_free(&d);
	return ok;
}

/* Runs of at most XENCORE_NOTE_MAX bytes each, after a fixed head. */
static bool add_split_notes(struct xc_buf *b, uint32_t type, const unsigned char *head,
			    size_t head_len, const unsigned char *recs, size_t nr, size_t rec_size)
{
	size_t per = (XENCORE_NOTE_MAX - head_len) / rec_size;
	size_t i = 0;
	do {
		size_t k = nr - i < per ? nr - i : per;
		struct xc_buf one = { 0 };
		bool ok = xc_buf_add(&one, head, head_len) &&
			  xc_buf_add(&one, recs + i * rec_size, k * rec_size) &&
			  xc_buf_add_note(b, XENCORE_NOTE_NAME, type, one.p, one.len);
		xc_buf_free(&one);
		if (!ok)
			return false;
		i += k;
	} while (i < nr);
	return true;
}

/* The dump's pfn -> mfn of the pages written, as runs. */
static struct xencore_error *add_pages(struct xc_buf *b, const struct filter_plan *plan)
{
	unsigned char *runs = malloc((plan->nr ? plan->nr : 1) * XENCORE_PAGES_RUN_SIZE);
	if (!runs)
		return &xencore_enomem;
	size_t nr = 0;
	for (size_t i = 0; i < plan->nr; i++) {
		const struct page_run *r = &plan->runs[i];
		if (!pages_run_ok(r->pfn, r->mfn, r->count)) {
			free(runs);	/* the plan's sources hold the rule: a bug */
			return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
					"internal error: page run at pfn 0x%" PRIx64 " (mfn 0x%" PRIx64 ", %" PRIu64 " pages) names an impossible frame",
					r->pfn, r->mfn, r->count);
		}
		unsigned char *last = nr ? runs + (nr - 1) * XENCORE_PAGES_RUN_SIZE : NULL;
		if (last && le64(last) + le64(last + 16) == r->pfn &&
		    le64(last + 8) + le64(last + 16) == r->mfn) {
			put_le64(last + 16, le64(last + 16) + r->count);
			continue;
		}
		unsigned char *p = runs + nr++ * XENCORE_PAGES_RUN_SIZE;
		put_le64(p, r->pfn);
		put_le64(p + 8, r->mfn);
		put_le64(p + 16, r->count);
	}
	bool ok = add_split_notes(b, XENCORE_NOTE_PAGES, NULL, 0, runs, nr, XENCORE_PAGES_RUN_SIZE);
	free(runs);
	return ok ? NULL : &xencore_enomem;
}

/*
 * The p2m the caller rebuilt holds frame.h's rule (run_builder_add() sees
 * to it); one that does not is refused here rather than written for the
 * reader to refuse.
 */
static struct xencore_error *check_p2m(struct xencore_p2m *p2m)
{
	size_t n;
	const struct xencore_p2m_run *pr = xencore_p2m_runs(p2m, &n);
	uint64_t max_pfn = xencore_p2m_max_pfn(p2m), next = 0;
	for (size_t i = 0; i < n; i++) {
		if (pr[i].pfn != next ||
		    !p2m_run_ok(pr[i].pfn, pr[i].count, pr[i].mfn, (uint32_t)pr[i].kind, max_pfn))
			return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
					"internal error: p2m run %zu (pfn 0x%" PRIx64 ", %" PRIu64 " pfns, %s 0x%" PRIx64 ") cannot be saved",
					i, pr[i].pfn, pr[i].count, xencore_run_kind_name(pr[i].kind),
					pr[i].mfn);
		next = pr[i].pfn + pr[i].count;
	}
	if (next != max_pfn)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"internal error: the p2m's runs end at pfn 0x%" PRIx64 ", not at max_pfn 0x%" PRIx64,
				next, max_pfn);
	return NULL;
}

/*
 * The p2m the caller rebuilt: P2M notes of at most XENCORE_NOTE_MAX bytes,
 * each a head (max_pfn, source) and runs of XENCORE_P2M_RUN_SIZE bytes.
 * Their size, and their bytes a chunk at a time, from the runs themselves.
 */
static uint64_t p2m_per_note(void)
{
	return (XENCORE_NOTE_MAX - XENCORE_P2M_HEAD_SIZE) / XENCORE_P2M_RUN_SIZE;
}

/* ELF note header (12) and "XENCORE\0" (8, already 4-aligned). */
#define P2M_NOTE_HEAD	(12 + sizeof(XENCORE_NOTE_NAME))

static uint64_t p2m_notes_len(struct xencore_p2m *p2m)
{
	size_t n;
	(void)xencore_p2m_runs(p2m, &n);
	uint64_t per = p2m_per_note(), notes = n ? (n + per - 1) / per : 1;
	return notes * (P2M_NOTE_HEAD + XENCORE_P2M_HEAD_SIZE) + (uint64_t)n * XENCORE_P2M_RUN_SIZE;
}

/* Runs [first, first + k) of p2m as P2M records at file offset off. */
static struct xencore_error *write_runs(struct filter_out *o, struct xencore_p2m *p2m,
					size_t first, size_t k, uint64_t off)
{
	size_t n;
	const struct xencore_p2m_run *pr = xencore_p2m_runs(p2m, &n);
	enum { CHUNK = 4096 };	/* runs per write: 128 KiB */
	unsigned char *buf = malloc(CHUNK * XENCORE_P2M_RUN_SIZE);
	if (!buf)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	for (size_t done = 0; !err && done < k;) {
		size_t c = k - done < CHUNK ? k - done : CHUNK;
		for (size_t j = 0; j < c; j++) {
			const struct xencore_p2m_run *r = &pr[first + done + j];
			unsigned char *p = buf + j * XENCORE_P2M_RUN_SIZE;
			memset(p, 0, XENCORE_P2M_RUN_SIZE);
			put_le64(p, r->pfn);
			put_le64(p + 8, r->count);
			put_le64(p + 16, r->mfn);
			put_le32(p + 24, (uint32_t)r->kind);
		}
		err = filter_pwrite(o, buf, c * XENCORE_P2M_RUN_SIZE, off);
		off += (uint64_t)c * XENCORE_P2M_RUN_SIZE;
		done += c;
	}
	free(buf);
	return err;
}

struct xencore_error *output_notes_write(struct filter_out *o, const struct output_notes *nt,
					 uint64_t off)
{
	struct xencore_error *err = filter_pwrite(o, nt->p, nt->len, off);
	if (err || !nt->p2m_len)
		return err;
	off += nt->len;
	size_t n;
	(void)xencore_p2m_runs(nt->p2m, &n);
	uint64_t per = p2m_per_note();
	size_t i = 0;
	do {
		size_t k = n - i < per ? n - i : (size_t)per;
		unsigned char h[P2M_NOTE_HEAD + XENCORE_P2M_HEAD_SIZE];
		memset(h, 0, sizeof(h));
		put_le32(h, sizeof(XENCORE_NOTE_NAME));
		put_le32(h + 4, (uint32_t)(XENCORE_P2M_HEAD_SIZE + (uint64_t)k * XENCORE_P2M_RUN_SIZE));
		put_le32(h + 8, XENCORE_NOTE_P2M);
		memcpy(h + 12, XENCORE_NOTE_NAME, sizeof(XENCORE_NOTE_NAME));
		put_le64(h + P2M_NOTE_HEAD, xencore_p2m_max_pfn(nt->p2m));
		put_le32(h + P2M_NOTE_HEAD + 8, (uint32_t)xencore_p2m_get_source(nt->p2m));
		err = filter_pwrite(o, h, sizeof(h), off);
		off += sizeof(h);
		if (!err)
			err = write_runs(o, nt->p2m, i, k, off);
		off += (uint64_t)k * XENCORE_P2M_RUN_SIZE;
		i += k;
	} while (!err && i < n);
	return err;
}

static int cmp_table_pfn(const void *a, const void *b)
{
	const struct pt_table *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* What the rewrite did: NATIVE, the tables (TABLES) and what it cleared (CLEARED). */
static bool add_native(struct xc_buf *b, const struct xencore_native *nat)
{
	const struct pt_set *s = &nat->set;
	const struct xencore_native_info *in = &nat->info;
	unsigned char head[XENCORE_NATIVE_DESC_SIZE];
	memset(head, 0, sizeof(head));
	put_le32(head, 1);
	put_le32(head + 4, XENCORE_NATIVE_PFN_TABLES);
	put_le64(head + 8, in->nr_tables);
	put_le64(head + 16, s->nr_cleared);
	put_le64(head + 24, in->entries_rewritten);
	put_le64(head + 32, in->entries_cleared_xen);
	put_le64(head + 40, in->entries_cleared_unmapped);
	if (!xc_buf_add_note(b, XENCORE_NOTE_NAME, XENCORE_NOTE_NATIVE, head, sizeof(head)))
		return false;

	/* Tables in pfn order, as runs of one level and kind. */
	struct pt_table *t = malloc((s->nr ? s->nr : 1) * sizeof(*t));
	unsigned char *runs = malloc((s->nr ? s->nr : 1) * XENCORE_TABLES_RUN_SIZE);
	bool ok = t && runs;
	size_t nr = 0;
	if (ok && s->nr) {
		memcpy(t, s->tables, s->nr * sizeof(*t));
		qsort(t, s->nr, sizeof(*t), cmp_table_pfn);
	}
	for (size_t i = 0; ok && i < s->nr; i++) {
		if (t[i].pfn > XC_MAX_FRAME)
			continue;	/* not a page of the output */
		uint32_t kind = t[i].level | (uint32_t)t[i].flags << 8;
		unsigned char *last = nr ? runs + (nr - 1) * XENCORE_TABLES_RUN_SIZE : NULL;
		if (last && le64(last) + le32(last + 8) == t[i].pfn && le32(last + 12) == kind &&
		    le32(last + 8) < UINT32_MAX) {
			put_le32(last + 8, le32(last + 8) + 1);
			continue;
		}
		unsigned char *p = runs + nr++ * XENCORE_TABLES_RUN_SIZE;
		put_le64(p, t[i].pfn);
		put_le32(p + 8, 1);
		put_le32(p + 12, kind);
	}
	ok = ok && add_split_notes(b, XENCORE_NOTE_TABLES, NULL, 0, runs, nr,
				   XENCORE_TABLES_RUN_SIZE);
	free(t);
	free(runs);
	if (!ok || !s->nr_cleared)
		return ok;
	unsigned char *c = malloc(s->nr_cleared * XENCORE_CLEARED_SIZE);
	if (!c)
		return false;
	for (size_t i = 0; i < s->nr_cleared; i++) {
		unsigned char *p = c + i * XENCORE_CLEARED_SIZE;
		put_le64(p, s->cleared[i].pfn);
		put_le32(p + 8, s->cleared[i].index);
		put_le32(p + 12, s->cleared[i].level);
		put_le64(p + 16, s->cleared[i].entry);
	}
	ok = add_split_notes(b, XENCORE_NOTE_CLEARED, NULL, 0, c, s->nr_cleared,
			     XENCORE_CLEARED_SIZE);
	free(c);
	return ok;
}

struct xencore_error *output_notes_build(struct filter_out *o, uint64_t nr_pages,
					 struct output_notes *ret)
{
	struct xencore_dump *dump = o->dump;
	const struct xencore_native *nat = o->opt->native;
	struct xc_buf b = { 0 };
	bool ok = true;
	memset(ret, 0, sizeof(*ret));

	if (nat) {
		unsigned char pr[PRSTATUS64_SIZE];
		for (uint64_t i = 0; ok && i < dump->info.nr_contexts; i++) {
			struct xencore_vcpu_regs r = { .size = sizeof(r) };
			struct xencore_error *err = xencore_dump_vcpu_regs(dump, i, &r);
			if (err) {
				xc_buf_free(&b);
				return err;
			}
			ok = xc_buf_add_note(&b, "CORE", NT_PRSTATUS, pr, prstatus(&r, pr));
		}
		if (ok && nat->vmcoreinfo) {
			/* The text's offset: after the header and the padded name. */
			ret->vmcoreinfo_off = b.len + 12 + 12;
			ret->vmcoreinfo_len = nat->vmcoreinfo_len;
			ok = xc_buf_add_note(&b, "VMCOREINFO", 0, nat->vmcoreinfo, nat->vmcoreinfo_len);
		}
	}

	/* The dump's Xen notes, under xencore's name (note_is_xen()). */
	unsigned char *xen;
	size_t xen_len;
	struct xencore_error *err = filter_xen_notes(dump, nr_pages, &xen, &xen_len);
	if (err) {
		xc_buf_free(&b);
		return err;
	}
	struct note_iter it = { xen, xen_len, 0 };
	struct note n;
	while (ok && note_next(&it, &n) > 0)
		ok = xc_buf_add_note(&b, XENCORE_NOTE_NAME, n.type, n.desc, n.descsz);
	free(xen);

	unsigned char g[XENCORE_GUEST_DESC_SIZE];
	memset(g, 0, sizeof(g));
	put_le32(g, 1);
	put_le32(g + 4, dump->info.guest_bits);
	put_le64(g + 8, dump->contexts ? dump->context_size : 0);
	put_le64(g + 16, dump->contexts ? dump->info.nr_contexts : 0);
	/* Re-filtering an output keeps the format it was made from. */
	const char *origin = dump->origin[0] ? dump->origin : dump->info.format;
	memcpy(g + 24, origin, strnlen(origin, 15));
	put_le32(g + 40, o->level);
	ok = ok && xc_buf_add_note(&b, XENCORE_NOTE_NAME, XENCORE_NOTE_GUEST, g, sizeof(g));
	if (dump->contexts)
		ok = ok && xc_buf_add_note(&b, XENCORE_NOTE_NAME, XENCORE_NOTE_CONTEXTS,
					   dump->contexts,
					   dump->context_size * dump->info.nr_contexts);
	if (dump->shared_info)
		ok = ok && xc_buf_add_note(&b, XENCORE_NOTE_NAME, XENCORE_NOTE_SHARED_INFO,
					   dump->shared_info, dump->shared_info_size);
	if (ok && ((err = add_pages(&b, o->plan)) || (o->opt->p2m && (err = check_p2m(o->opt->p2m))))) {
		xc_buf_free(&b);
		return err;
	}
	if (ok && nat)
		ok = add_cpus(&b, dump, o->opt->p2m);
	/* A damaged input: the output holds what it had, and says what it lacked. */
	for (size_t i = 0; ok && i < dump->nr_damage; i++)
		ok = xc_buf_add_note(&b, XENCORE_NOTE_NAME, XENCORE_NOTE_DAMAGE, dump->damage[i],
				     strlen(dump->damage[i]));
	/* A native export's record: made now, or the input's own carried on. */
	if (ok && nat && nat->info.rewrites_page_tables)
		ok = add_native(&b, nat);
	else if (ok && nat && nat->info.input_native)
		ok = xc_buf_add(&b, dump->native_record, dump->native_record_size);
	if (!ok) {
		xc_buf_free(&b);
		return &xencore_enomem;
	}
	ret->p = b.p;
	ret->len = b.len;
	/* The p2m's notes last, written from it (output_notes_write()). */
	ret->p2m = o->opt->p2m;
	ret->p2m_len = ret->p2m ? p2m_notes_len(ret->p2m) : 0;
	ret->total = ret->len + ret->p2m_len;
	return NULL;
}

/* ---- reading ---- */

static struct xencore_error *bad(const char *what)
{
	return xc_error(XENCORE_ERROR_FORMAT, "%s", what);
}

/* The GUEST note: what the other notes need to be read. */
static struct xencore_error *parse_guest(struct xencore_dump *dump, const struct note *n,
					 uint64_t *context_size, struct output_notes_read *rd)
{
	if (n->descsz < XENCORE_GUEST_DESC_SIZE_V1)
		return bad("XENCORE guest note too short");
	if (le32(n->desc) != 1)
		return xc_error(XENCORE_ERROR_FORMAT,
				"XENCORE notes of version %u; this xencore reads version 1",
				le32(n->desc));
	unsigned int bits = le32(n->desc + 4);
	if (bits != 64 && bits != 32)
		return bad("XENCORE guest note: guest width is neither 64 nor 32 bits");
	dump->info.guest_bits = bits;
	/* The format it was made from: printable characters only. */
	size_t k = 0;
	for (const unsigned char *c = n->desc + 24; k < sizeof(dump->origin) - 1 && *c >= 0x21 && *c < 0x7f; c++)
		dump->origin[k++] = (char)*c;
	dump->origin[k] = '\0';
	*context_size = le64(n->desc + 8);
	dump->info.nr_contexts = le64(n->desc + 16);
	if (dump->info.nr_contexts > MAX_VCPUS)
		return bad("XENCORE guest note: more vcpu contexts than Xen allows");
	if (dump->info.nr_contexts && (*context_size < 2800 || *context_size > 8192))
		return bad("XENCORE guest note: vcpu context size is not a vcpu_guest_context's");
	if (n->descsz >= XENCORE_GUEST_DESC_SIZE) {
		rd->has_level = true;
		rd->level = le32(n->desc + 40);
	}
	return NULL;
}

static struct xencore_error *parse_pages(struct xencore_dump *dump, const struct note *n,
					 uint64_t max_pfn, uint64_t *nr_pages,
					 output_notes_pages_fn *pages)
{
	if (n->descsz % XENCORE_PAGES_RUN_SIZE)
		return bad("XENCORE pages note is not a whole number of runs");
	for (size_t off = 0; off < n->descsz; off += XENCORE_PAGES_RUN_SIZE) {
		uint64_t pfn = le64(n->desc + off), mfn = le64(n->desc + off + 8);
		uint64_t count = le64(n->desc + off + 16);
		if (!pages_run_ok(pfn, mfn, count) || pfn >= max_pfn || count > max_pfn - pfn)
			return xc_error(XENCORE_ERROR_FORMAT,
					"XENCORE pages note: run of %" PRIu64 " pages at pfn 0x%" PRIx64 " (mfn 0x%" PRIx64 ") is outside the dump's %" PRIu64 " pfns",
					count, pfn, mfn, max_pfn);
		struct xencore_error *err = pages(dump, pfn, mfn, count, *nr_pages);
		if (err)
			return err;
		*nr_pages += count;
	}
	return NULL;
}

/* A P2M note's head: checked now; its runs are decoded last, in place (take_p2m()). */
static struct xencore_error *parse_p2m(struct xencore_dump *dump, const struct note *n,
				       bool first)
{
	size_t len = n->descsz;
	if (len < XENCORE_P2M_HEAD_SIZE || (len - XENCORE_P2M_HEAD_SIZE) % XENCORE_P2M_RUN_SIZE)
		return bad("XENCORE p2m note is not a header and whole runs");
	uint64_t max_pfn = le64(n->desc);
	if (max_pfn > XC_FRAMES)
		return bad("XENCORE p2m note: max_pfn beyond 2^40");
	if (!first && max_pfn != dump->saved_p2m_max_pfn)
		return bad("XENCORE p2m notes disagree on max_pfn");
	dump->saved_p2m_max_pfn = max_pfn;
	return NULL;
}

/* One record of the saved p2m, the nr-th: it must go on from *next and stay below max_pfn. */
static struct xencore_error *decode_run(const struct xencore_dump *dump, const unsigned char *p,
					size_t nr, uint64_t *next, struct xencore_p2m_run *ret)
{
	uint64_t max_pfn = dump->saved_p2m_max_pfn;
	struct xencore_p2m_run r = { .pfn = le64(p), .count = le64(p + 8), .mfn = le64(p + 16) };
	uint32_t kind = le32(p + 24);
	if (r.pfn != *next || !p2m_run_ok(r.pfn, r.count, r.mfn, kind, max_pfn))
		return xc_error(XENCORE_ERROR_FORMAT,
				"XENCORE p2m note: run %zu (pfn 0x%" PRIx64 ", %" PRIu64 " pfns) does not follow the last one or leaves 0..max_pfn",
				nr, r.pfn, r.count);
	r.kind = (enum xencore_run_kind)kind;
	*next = r.pfn + r.count;
	*ret = r;
	return NULL;
}

/* A P2M note's runs: where they are in the note area, how many. */
struct p2m_span {
	size_t off, nr;
};

_Static_assert(sizeof(struct xencore_p2m_run) <= XENCORE_P2M_RUN_SIZE,
	       "the saved p2m's runs are decoded in place over their records");

/*
 * The saved p2m, decoded where its records are: every other note has been
 * copied out of the area by now, so the runs are moved down to its start
 * (each run is written no later than its record, so none is overwritten
 * before it is read) and the area, shrunk, becomes dump->saved_p2m.  At
 * 2^24 runs that is 512 MiB once, not the area and a copy.
 */
static struct xencore_error *take_p2m(struct xencore_dump *dump, unsigned char **area,
				      const struct p2m_span *spans, size_t nr_spans, bool keep,
				      size_t *nr_ret, uint64_t *end_ret)
{
	unsigned char *base = *area;
	struct xencore_p2m_run *out = (struct xencore_p2m_run *)(void *)base;
	uint64_t next = 0;
	size_t nr = 0;
	struct xencore_error *err = NULL;
	for (size_t s = 0; s < nr_spans && !err; s++) {
		const unsigned char *p = base + spans[s].off;
		for (size_t i = 0; i < spans[s].nr && !err; i++, p += XENCORE_P2M_RUN_SIZE) {
			struct xencore_p2m_run r;
			if (!(err = decode_run(dump, p, nr, &next, &r)) && keep)
				memcpy(&out[nr], &r, sizeof(r));
			nr += !err;
		}
	}
	*nr_ret = nr;
	*end_ret = next;
	if (err || !nr || !keep)
		return err;
	struct xencore_p2m_run *shrunk = realloc(base, nr * sizeof(*out));
	dump->saved_p2m = shrunk ? shrunk : out;
	dump->saved_p2m_nr = nr;
	*area = NULL;
	return NULL;
}

/*
 * The record of a native export: checked, and kept whole to be written
 * again.  Its tables need not be pages of the file (the level may have
 * left some out); what is kept of them is the notes' own size.
 */
static struct xencore_error *parse_native(struct xencore_dump *dump, const unsigned char *notes,
					  const struct note *n, struct xc_buf *record,
					  uint64_t *last_table, uint64_t *last_cleared, bool *have)
{
	switch (xencore_note_type(n)) {
	case XENCORE_NOTE_NATIVE:
		if (*have)
			return bad("two XENCORE native notes");
		if (n->descsz < XENCORE_NATIVE_DESC_SIZE || le32(n->desc) != 1)
			return bad("XENCORE native note is not one of version 1");
		*have = true;
		dump->pt_pfn = le32(n->desc + 4) & XENCORE_NATIVE_PFN_TABLES;
		break;
	case XENCORE_NOTE_TABLES:
		if (n->descsz % XENCORE_TABLES_RUN_SIZE)
			return bad("XENCORE tables note is not a whole number of runs");
		for (size_t off = 0; off < n->descsz; off += XENCORE_TABLES_RUN_SIZE) {
			uint64_t pfn = le64(n->desc + off);
			uint32_t count = le32(n->desc + off + 8), level = le32(n->desc + off + 12) & 0xff;
			if (!count || level < 1 || level > 4 || pfn > XC_MAX_FRAME ||
			    count > XC_MAX_FRAME + 1 - pfn || pfn < *last_table)
				return bad("XENCORE tables note: a run out of order or out of range");
			*last_table = pfn + count;
		}
		break;
	case XENCORE_NOTE_CLEARED:
		if (n->descsz % XENCORE_CLEARED_SIZE)
			return bad("XENCORE cleared-entries note is not a whole number of entries");
		for (size_t off = 0; off < n->descsz; off += XENCORE_CLEARED_SIZE) {
			uint64_t pfn = le64(n->desc + off);
			uint32_t index = le32(n->desc + off + 8);
			uint64_t key = pfn << 9 | index;
			if (pfn > XC_MAX_FRAME || index >= 512 || (*last_cleared && key < *last_cleared))
				return bad("XENCORE cleared-entries note: an entry out of order or out of range");
			*last_cleared = key + 1;
		}
		break;
	default:
		return NULL;
	}
	return xc_buf_add(record, notes + n->offset, n->size) ? NULL : &xencore_enomem;
}

/* Finds the P2M notes of the area: their heads checked, their runs' places in *spans. */
static struct xencore_error *p2m_spans(struct xencore_dump *dump, const unsigned char *notes,
				       const struct note *n, struct p2m_span **spans, size_t *nr)
{
	struct xencore_error *err = parse_p2m(dump, n, !*nr);
	if (err)
		return err;
	struct p2m_span *more = realloc(*spans, (*nr + 1) * sizeof(**spans));
	if (!more)
		return &xencore_enomem;
	*spans = more;
	(*spans)[(*nr)++] = (struct p2m_span){
		.off = (size_t)(n->desc - notes) + XENCORE_P2M_HEAD_SIZE,
		.nr = (n->descsz - XENCORE_P2M_HEAD_SIZE) / XENCORE_P2M_RUN_SIZE,
	};
	return NULL;
}

struct xencore_error *output_notes_read_p2m(struct xencore_dump *dump, unsigned char **area,
					    size_t size)
{
	struct note_iter it = { *area, size, 0 };
	struct note n;
	struct p2m_span *spans = NULL;
	size_t nr_spans = 0, saved_nr = 0;
	uint64_t saved_end = 0;
	struct xencore_error *err = NULL;
	int r;
	while (!err && (r = note_next(&it, &n)) > 0)
		if (xencore_note_type(&n) == XENCORE_NOTE_P2M)
			err = p2m_spans(dump, *area, &n, &spans, &nr_spans);
	if (!err && r < 0)
		err = xc_error(XENCORE_ERROR_FORMAT, "a note runs past the end of the note area");
	if (!err && nr_spans)
		err = take_p2m(dump, area, spans, nr_spans, true, &saved_nr, &saved_end);
	free(spans);
	/* The file changed between the reads: the same checks as the first. */
	if (!err && (saved_nr > 0) != dump->info.has_saved_p2m)
		err = bad("the XENCORE p2m notes changed while the file was read");
	if (!err && saved_nr && saved_end != dump->saved_p2m_max_pfn)
		err = bad("XENCORE p2m notes end before max_pfn");
	return err;
}

struct xencore_error *output_notes_read(struct xencore_dump *dump, unsigned char **area,
					size_t size, uint64_t max_pfn,
					output_notes_pages_fn *pages, bool keep_p2m,
					struct output_notes_read *rd)
{
	const unsigned char *notes = *area;
	memset(rd, 0, sizeof(*rd));
	/* Pass 1: the guest note, which says how to read the rest. */
	struct note_iter it = { notes, size, 0 };
	struct note n;
	int r;
	uint64_t context_size = 0;
	bool have_guest = false;
	struct xencore_error *err = NULL;
	while ((r = note_next(&it, &n)) > 0) {
		if (xencore_note_type(&n) != XENCORE_NOTE_GUEST)
			continue;
		if (have_guest)
			return bad("two XENCORE guest notes");
		if ((err = parse_guest(dump, &n, &context_size, rd)))
			return err;
		have_guest = true;
	}
	if (r < 0)
		return xc_error(XENCORE_ERROR_FORMAT, "a note runs past the end of the note area");
	if (!have_guest)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"a native Linux vmcore, not a Xen guest dump (it has no xencore notes: xencore reads the vmcores its filter writes); drgn, crash and makedumpfile read it");

	struct xc_buf xen = { 0 }, record = { 0 };
	bool have_header = false, have_ctx = false, have_pages = false, have_native = false;
	struct p2m_span *spans = NULL;
	size_t nr_spans = 0;
	uint64_t nr_pages = 0, last_table = 0, last_cleared = 0;
	it.off = 0;
	while (!err && (r = note_next(&it, &n)) > 0) {
		if (note_is_xen(&n)) {
			/* Kept as Xen's own notes, for an xc_core made from the file. */
			err = xc_parse_xen_note(dump, n.type, n.desc, n.descsz, &have_header);
			if (!err && !xc_buf_add_note(&xen, XEN_NOTE_NAME, n.type, n.desc, n.descsz))
				err = &xencore_enomem;
			continue;
		}
		if (note_is(&n, "VMCOREINFO") && n.type == 0) {
			if (dump->vmcoreinfo)
				err = bad("two VMCOREINFO notes");
			else if (!n.descsz || n.descsz > VMCOREINFO_MAX)
				err = bad("the VMCOREINFO note is empty or larger than 1 MiB");
			else if (!(dump->vmcoreinfo = malloc(n.descsz)))
				err = &xencore_enomem;
			else {
				memcpy(dump->vmcoreinfo, n.desc, n.descsz);
				dump->vmcoreinfo_size = n.descsz;
			}
			continue;
		}
		uint32_t type = xencore_note_type(&n);
		if (!type)
			continue;
		switch (type) {
		case XENCORE_NOTE_CONTEXTS:
			if (have_ctx) {
				err = bad("two XENCORE vcpu context notes");
				break;
			}
			have_ctx = true;
			if (n.descsz != dump->info.nr_contexts * context_size) {
				err = bad("XENCORE vcpu context note size does not match the guest note");
				break;
			}
			if (!n.descsz)
				break;
			dump->contexts = malloc(n.descsz);
			if (!dump->contexts) {
				err = &xencore_enomem;
				break;
			}
			memcpy(dump->contexts, n.desc, n.descsz);
			dump->context_size = (size_t)context_size;
			break;
		case XENCORE_NOTE_SHARED_INFO:
			if (dump->shared_info) {
				err = bad("two XENCORE shared_info notes");
				break;
			}
			if (n.descsz != 4096) {
				err = bad("XENCORE shared_info note is not one page");
				break;
			}
			dump->shared_info = malloc(4096);
			if (!dump->shared_info) {
				err = &xencore_enomem;
				break;
			}
			memcpy(dump->shared_info, n.desc, 4096);
			dump->shared_info_size = 4096;
			break;
		case XENCORE_NOTE_PAGES:
			have_pages = true;
			err = parse_pages(dump, &n, max_pfn, &nr_pages, pages);
			break;
		case XENCORE_NOTE_P2M:
			err = p2m_spans(dump, notes, &n, &spans, &nr_spans);
			break;
		case XENCORE_NOTE_DAMAGE: {
			/* The input's damage is the output's: what it holds is all there was. */
			char line[512];
			size_t len = n.descsz < sizeof(line) - 1 ? n.descsz : sizeof(line) - 1;
			for (size_t i = 0; i < len; i++)	/* the file's text, printable */
				line[i] = n.desc[i] >= 0x20 && n.desc[i] < 0x7f ? (char)n.desc[i] : '?';
			line[len] = '\0';
			xc_damage(dump, "%s", line);
			break;
		}
		default:
			err = parse_native(dump, notes, &n, &record, &last_table, &last_cleared,
					   &have_native);
			break;
		}
	}
	if (!err && r < 0)
		err = xc_error(XENCORE_ERROR_FORMAT, "a note runs past the end of the note area");
	if (!err)
		err = xc_check_xen_notes(dump, have_header);
	if (!err && dump->info.nr_contexts && !have_ctx)
		err = bad("the XENCORE guest note counts vcpu contexts but no note holds them");
	if (!err && !have_pages)
		err = bad("no XENCORE pages note: the pages' machine frames are unknown");
	if (!err && record.len && !have_native)
		err = bad("XENCORE tables or cleared-entries notes without a native note");
	if (!err && nr_pages != dump->info.nr_pages)
		err = xc_error(XENCORE_ERROR_FORMAT,
			       "the XENCORE pages note lists %" PRIu64 " pages but the header note says %" PRIu64,
			       nr_pages, dump->info.nr_pages);
	/* Last: the saved p2m is decoded over the area, which it then owns (or only checked). */
	size_t saved_nr = 0;
	uint64_t saved_end = 0;
	if (!err && nr_spans)
		err = take_p2m(dump, area, spans, nr_spans, keep_p2m, &saved_nr, &saved_end);
	free(spans);
	if (!err && saved_nr && saved_end != dump->saved_p2m_max_pfn)
		err = bad("XENCORE p2m notes end before max_pfn");
	if (!err && dump->pt_pfn && !saved_nr)
		err = bad("XENCORE native note: page tables in pfns without the p2m they were rewritten with");
	if (err) {
		xc_buf_free(&xen);
		xc_buf_free(&record);
		return err;
	}
	dump->xen_notes = xen.p;
	dump->xen_notes_size = xen.len;
	dump->native_record = record.p;
	dump->native_record_size = record.len;
	dump->info.has_dump_p2m = true;
	dump->info.has_saved_p2m = saved_nr > 0;
	dump->info.native = dump->pt_pfn;
	if (dump->shared_info)
		return xc_parse_shared_info(dump);
	return NULL;
}
