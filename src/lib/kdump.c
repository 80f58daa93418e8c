// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kdump.c: reading the kdump-compressed files `xencore filter` writes.
 *
 * Pages are read through libkdumpfile's diskdump reader, by pfn (its
 * machine addresses of such a file).  What libkdumpfile does not know about,
 * the Xen side of the guest, comes from xencore's notes in the file's note area
 * (xen-notes.h): the dump's "Xen" notes, vcpu contexts, shared_info, the
 * pfn -> mfn table of the pages in the file and the p2m xencore rebuilt.
 * The header is read here only to find that note area and the dump level.
 */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "kdump-format.h"
#include "le.h"
#include "output-notes.h"
#include "runs.h"
#include "xen-notes.h"

/* A run of the pages note: pfns and where their descriptors start. */
struct file_run {
	uint64_t pfn, count, first;	/* first: the descriptor of pfn */
	uint64_t mfn;			/* pfn's machine frame */
};

struct kdump_state {
	/* libkdumpfile's context is one thread's at a time (its caches). */
	pthread_mutex_t ctx_lock;
	kdump_ctx_t *ctx;
	unsigned char *notes;
	struct file_run *runs;	/* in pfn order, as the file stores the pages */
	size_t nr_runs, cap_runs;
	uint64_t desc_off;	/* the page descriptors */
	uint64_t ram_off, ram_bits;	/* the first bitmap: its offset, max_mapnr */
};

/*
 * An error of libkdumpfile's: a system call's failure (KDUMP_ERR_SYSTEM)
 * keeps its errno, taken right after the call; the rest are the file's.
 */
static struct xencore_error *kd_error(kdump_ctx_t *ctx, kdump_status s, int errnum,
				      const char *what)
{
	if (s == KDUMP_ERR_SYSTEM && errnum) {
		struct xencore_error *err = xc_error(errnum == ENOMEM ? XENCORE_ERROR_NOMEM
								   : XENCORE_ERROR_OS,
						     "%s: %s", what, kdump_get_err(ctx));
		if (err != &xencore_enomem)
			err->errnum = errnum;
		return err;
	}
	return xc_error(XENCORE_ERROR_FORMAT, "%s: %s", what, kdump_get_err(ctx));
}

static bool kdump_probe(const unsigned char *head, size_t len)
{
	return len >= KDUMP_SIGNATURE_LEN &&
	       !memcmp(head, KDUMP_SIGNATURE, KDUMP_SIGNATURE_LEN);
}

static struct xencore_error *bad(const char *what)
{
	return xc_error(XENCORE_ERROR_FORMAT, "kdump file: %s", what);
}

/*
 * A run of the pages note, kept to find page descriptors: the file holds
 * the pages in pfn order, so the runs must come in that order.
 */
static struct xencore_error *add_file_run(struct kdump_state *st, uint64_t pfn, uint64_t mfn,
					  uint64_t count, uint64_t first)
{
	if (st->nr_runs) {
		const struct file_run *last = &st->runs[st->nr_runs - 1];
		if (pfn < last->pfn + last->count)
			return xc_error(XENCORE_ERROR_FORMAT, "XENCORE pages note: runs out of pfn order");
	}
	if (st->nr_runs == st->cap_runs) {
		size_t cap = st->cap_runs ? 2 * st->cap_runs : 64;
		struct file_run *r = realloc(st->runs, cap * sizeof(*r));
		if (!r)
			return &xencore_enomem;
		st->runs = r;
		st->cap_runs = cap;
	}
	st->runs[st->nr_runs++] = (struct file_run){ pfn, count, first, mfn };
	return NULL;
}

/* A run of the pages note (the page index is made of them once the bitmap is read). */
static struct xencore_error *pages_run(struct xencore_dump *dump, uint64_t pfn, uint64_t mfn,
				       uint64_t count, uint64_t ordinal)
{
	return add_file_run(dump->format_data, pfn, mfn, count, ordinal);
}

/* Reads the note area and everything xencore keeps in it. */
static struct xencore_error *read_notes(struct xencore_dump *dump, struct kdump_state *st,
					uint64_t off, uint64_t size, uint64_t max_mapnr)
{
	if (!size)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump file without a note area: a native Linux vmcore, not a Xen guest dump (xencore reads the vmcores its filter writes); drgn, crash and makedumpfile read it");
	st->notes = malloc((size_t)size);
	if (!st->notes)
		return &xencore_enomem;
	struct xencore_error *err = xc_pread(dump, st->notes, (size_t)size, off, "kdump note area");
	if (err)
		return err;
	struct output_notes_read rd;
	/* Checked now; the saved p2m is taken after libkdumpfile opened the file (read_p2m()). */
	err = output_notes_read(dump, &st->notes, (size_t)size, max_mapnr, pages_run, false, &rd);
	if (err && err->code == XENCORE_ERROR_UNRECOGNIZED) {
		struct xencore_error *e = xc_error(err->code, "kdump file: %s", err->message);
		xencore_error_destroy(err);
		return e;
	}
	return err && err->code != XENCORE_ERROR_NOMEM ? xc_error_prefix(err, "kdump file") : err;
}

/*
 * The saved p2m, from the note area read again: libkdumpfile reads the
 * whole area into memory while it opens the file, and at 2^24 runs the
 * p2m's notes are 512 MiB, which xencore then does not hold beside it.
 */
static struct xencore_error *read_p2m(struct xencore_dump *dump, uint64_t off, uint64_t size)
{
	if (!dump->info.has_saved_p2m)
		return NULL;
	unsigned char *area = malloc((size_t)size);
	if (!area)
		return &xencore_enomem;
	struct xencore_error *err = xc_pread(dump, area, (size_t)size, off, "kdump note area");
	if (!err)
		err = output_notes_read_p2m(dump, &area, (size_t)size);
	free(area);
	return err && err->code != XENCORE_ERROR_NOMEM ? xc_error_prefix(err, "kdump file") : err;
}

/*
 * The file's pages: those of the pages note that its bitmap holds, and no
 * other.  xencore writes every page it lists; makedumpfile refiltering the
 * file (-d) drops some and keeps xencore's notes, so a listed page that the
 * bitmap lacks was excluded later: left out, and said once.  The n-th page
 * the bitmap holds is the file's n-th, whose descriptor xencore checks
 * before libkdumpfile reads it.  The page index is made here (page = pfn).
 */
static struct xencore_error *read_pagemap(struct xencore_dump *dump, struct kdump_state *st)
{
	const char *format = NULL;
	if (kdump_get_string_attr(st->ctx, KDUMP_ATTR_FILE_FORMAT, &format) != KDUMP_OK ||
	    strcmp(format, "diskdump"))
		return bad("libkdumpfile does not read it as a diskdump");
	kdump_attr_t attr;
	attr.type = KDUMP_BITMAP;
	if (kdump_get_typed_attr(st->ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK)
		return xc_error(XENCORE_ERROR_FORMAT, "kdump file: no page bitmap: %s",
				kdump_get_err(st->ctx));
	kdump_bmp_t *bmp = attr.val.bitmap;
	size_t cap = st->nr_runs + 1, nr = 0;
	struct file_run *held = calloc(cap, sizeof(*held));
	if (!held)
		return &xencore_enomem;
	uint64_t gap = 0, ordinal = 0, excluded = 0;
	struct xencore_error *err = NULL;
	for (size_t i = 0; i <= st->nr_runs && !err; i++) {
		/* No page the notes do not list. */
		uint64_t end = i < st->nr_runs ? st->runs[i].pfn : UINT64_MAX;
		kdump_addr_t idx = gap;
		kdump_status s = kdump_bmp_find_set(bmp, &idx);
		if (s == KDUMP_OK && idx < end) {
			err = xc_error(XENCORE_ERROR_FORMAT,
				       "kdump file: pfn 0x%" PRIx64 " is in the file but not in the XENCORE pages note",
				       (uint64_t)idx);
			break;
		}
		if (s != KDUMP_OK && s != KDUMP_ERR_NODATA) {
			err = bad("cannot read its page bitmap");
			break;
		}
		if (i == st->nr_runs)
			break;
		/* The run's pfns the bitmap holds, each stretch a run of the file's. */
		const struct file_run *r = &st->runs[i];
		uint64_t p = r->pfn, run_end = r->pfn + r->count;
		while (p < run_end) {
			kdump_addr_t from = p, to;
			s = kdump_bmp_find_set(bmp, &from);
			if (s == KDUMP_ERR_NODATA || (s == KDUMP_OK && from >= run_end))
				break;
			to = from;
			if (s != KDUMP_OK || kdump_bmp_find_clear(bmp, &to) != KDUMP_OK) {
				err = bad("cannot read its page bitmap");
				break;
			}
			if (to > run_end)
				to = run_end;
			if (nr == cap) {	/* more stretches than runs: the pages bound them */
				struct file_run *more = realloc(held, 2 * cap * sizeof(*held));
				if (!more) {
					err = &xencore_enomem;
					break;
				}
				held = more;
				cap *= 2;
			}
			held[nr++] = (struct file_run){ .pfn = from, .count = to - from, .first = ordinal,
							.mfn = r->mfn + (from - r->pfn) };
			ordinal += to - from;
			p = to;
		}
		excluded += r->count;
		gap = run_end;
	}
	if (err) {
		free(held);
		return err;
	}
	excluded -= ordinal;
	free(st->runs);
	st->runs = held;
	st->nr_runs = nr;
	st->cap_runs = cap;
	for (size_t i = 0; i < nr && !err; i++)
		err = page_index_add_run(&dump->index, held[i].pfn, held[i].mfn, held[i].pfn,
					 held[i].count);
	if (err)
		return err;
	dump->info.nr_pages = ordinal;
	if (excluded)
		xc_warn(dump, "%" PRIu64 " pages its XENCORE notes list are not in the file (a later filter, such as makedumpfile -d, excluded them)",
			excluded);
	return NULL;
}

/*
 * The header fields libkdumpfile acts on that xencore's writer sets one way
 * (write-kdump.c): the architecture comes from utsname, and the
 * sub-header's split and eraseinfo parts are unused; a native export's
 * VMCOREINFO part lies in its note area (its VMCOREINFO note's text, as
 * makedumpfile writes it).  Anything else is not a file xencore wrote,
 * and libkdumpfile would read it as something else entirely.
 */
/* Whether utsname field is exactly s (NUL-terminated inside its 65 bytes). */
static bool uts_is(const unsigned char *dh, int field, const char *s)
{
	const char *f = (const char *)dh + DH_UTSNAME + field * UTS_FIELD_LEN;
	size_t len = strlen(s);
	return strnlen(f, UTS_FIELD_LEN) == len && !memcmp(f, s, len);
}

static struct xencore_error *check_as_written(const struct kdump_layout *l,
					      const unsigned char *dh, const unsigned char *sh)
{
	if (!uts_is(dh, UTS_SYSNAME, "Linux") ||
	    (!uts_is(dh, UTS_MACHINE, "x86_64") && !uts_is(dh, UTS_MACHINE, "i686")))
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump file whose utsname is not Linux on x86_64 or i686: not one xencore wrote");
	const struct kd_field unused[] = {
		l->phys_base, l->split, l->start_pfn, l->end_pfn, l->offset_eraseinfo,
		l->size_eraseinfo, l->start_pfn_64, l->end_pfn_64,
	};
	for (size_t i = 0; i < sizeof(unused) / sizeof(unused[0]); i++)
		if (kd_get(sh, unused[i]))
			return xc_error(XENCORE_ERROR_UNRECOGNIZED,
					"kdump file with a split or eraseinfo part: not one xencore wrote");
	uint64_t vi_off = kd_get(sh, l->offset_vmcoreinfo), vi_size = kd_get(sh, l->size_vmcoreinfo);
	uint64_t note_off = kd_get(sh, l->offset_note), note_size = kd_get(sh, l->size_note);
	if ((vi_off || vi_size) &&
	    (!vi_size || vi_off < note_off || vi_off - note_off > note_size ||
	     vi_size > note_size - (vi_off - note_off)))
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump file whose VMCOREINFO part is not in its note area: not one xencore wrote");
	/* A refilter ORs it into its output's level: makedumpfile's levels only. */
	uint32_t level = (uint32_t)kd_get(sh, l->dump_level);
	if (level > XENCORE_DL_MAX)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump file with dump level %u: not one xencore wrote (0 to 31)", level);
	return NULL;
}

/*
 * The layout the file is in: an i686 file whose 32-bit block_size says
 * 4096 is in the 32-bit one (xencore's first versions wrote i686 files in the
 * 64-bit layout, which libkdumpfile also reads), the rest in the 64-bit.
 */
static const struct kdump_layout *layout_of(const unsigned char *dh)
{
	if (uts_is(dh, UTS_MACHINE, "i686") && kd_get(dh, kdump_layout32.block_size) == KDUMP_BLOCK_SIZE)
		return &kdump_layout32;
	return &kdump_layout64;
}

static struct xencore_error *kdump_open(struct xencore_dump *dump)
{
	struct kdump_state *st = calloc(1, sizeof(*st));
	if (!st)
		return &xencore_enomem;
	pthread_mutex_init(&st->ctx_lock, NULL);
	dump->format_data = st;

	unsigned char dh[DH_SIZE], sh[SH_SIZE_MAX];
	struct xencore_error *err;
	if (dump->file_size < 2 * KDUMP_BLOCK_SIZE)
		return bad("shorter than its two header blocks");
	if ((err = xc_pread(dump, dh, sizeof(dh), 0, "kdump header")) ||
	    (err = xc_pread(dump, sh, sizeof(sh), KDUMP_BLOCK_SIZE, "kdump sub-header")))
		return err;
	const struct kdump_layout *l = layout_of(dh);
	int32_t version = (int32_t)le32(dh + DH_HEADER_VERSION);
	uint32_t block_size = (uint32_t)kd_get(dh, l->block_size);
	if (block_size != KDUMP_BLOCK_SIZE)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump file with %u-byte blocks: not one xencore wrote (4096)", block_size);
	if (version < KDUMP_HEADER_VERSION)
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump header version %d: not one xencore wrote (6)", version);
	/*
	 * xencore writes tv_usec 0: libkdumpfile 0.5.1 takes other values for
	 * a 32-bit header's block_size and then reads every field elsewhere
	 * (a fuzzed tv_usec made it allocate 16 GiB and crash freeing it).
	 */
	if (kd_get(dh, l->tv_usec))
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"kdump header with a time in microseconds: not one xencore wrote");
	uint64_t max_mapnr = kd_get(sh, l->max_mapnr_64);
	uint64_t note_off = kd_get(sh, l->offset_note), note_size = kd_get(sh, l->size_note);
	if (note_off > dump->file_size || note_size > dump->file_size - note_off)
		return bad("note area is past the end of the file");
	if (max_mapnr > XC_FRAMES)	/* frame.h */
		return bad("max_mapnr beyond 2^40 pfns");
	/*
	 * The two bitmaps, before libkdumpfile sizes anything by them (0.5.1
	 * allocates what bitmap_blocks says, and crashes freeing a failed
	 * open): inside the file, and covering max_mapnr.
	 */
	uint64_t sub = kd_get(dh, l->sub_hdr_size), bitmaps = kd_get(dh, l->bitmap_blocks);
	if (!sub || !bitmaps || bitmaps % 2)
		return bad("its bitmap blocks are not two equal halves");
	if (1 + sub + bitmaps > dump->file_size / KDUMP_BLOCK_SIZE)
		return bad("its bitmaps run past the end of the file");
	if (max_mapnr > bitmaps / 2 * KDUMP_BLOCK_SIZE * 8)
		return bad("its bitmaps are shorter than max_mapnr");

	if ((err = check_as_written(l, dh, sh)))
		return err;

	dump->info.format = "kdump";
	dump->info.has_dump_level = true;
	dump->info.dump_level = (unsigned int)kd_get(sh, l->dump_level);	/* 0 to 31: checked */
	err = read_notes(dump, st, note_off, note_size, max_mapnr);
	if (!err && !uts_is(dh, UTS_MACHINE, dump->info.guest_bits == 32 ? "i686" : "x86_64"))
		err = bad("its utsname machine does not match the guest's width");
	free(st->notes);	/* what is needed was copied out */
	st->notes = NULL;
	if (err)
		return err;

	/* The pages: libkdumpfile's diskdump reader. */
	st->ctx = kdump_new();
	if (!st->ctx)
		return &xencore_enomem;
	/*
	 * read(2), not mmap(2): libkdumpfile maps the file, and a page whose
	 * data lies past the end of a truncated file would be SIGBUS.
	 */
	kdump_status s = kdump_set_number_attr(st->ctx, KDUMP_ATTR_FILE_MMAP_POLICY,
					       KDUMP_MMAP_NEVER);
	if (s != KDUMP_OK)
		return kd_error(st->ctx, s, errno, "libkdumpfile");
	errno = 0;
	s = kdump_open_fd(st->ctx, dump->fd);
	if (s != KDUMP_OK)
		return kd_error(st->ctx, s, errno, "kdump file: libkdumpfile cannot open it");
	if ((err = read_p2m(dump, note_off, note_size)))
		return err;
	/* Where the descriptors are, as makedumpfile lays them out. */
	st->desc_off = (1 + sub + bitmaps) * KDUMP_BLOCK_SIZE;
	st->ram_off = (1 + sub) * KDUMP_BLOCK_SIZE;
	st->ram_bits = max_mapnr;
	if ((err = read_pagemap(dump, st)))
		return err;
	if (st->desc_off > dump->file_size ||
	    dump->info.nr_pages > (dump->file_size - st->desc_off) / PD_LEN)
		return bad("page descriptors past the end of the file");
	/*
	 * The dump's time is the header's, not this file's: makedumpfile keeps
	 * it when it refilters (makedumpfile.c: read_kdump_header() copies
	 * dh.timestamp, write_kdump_header() writes it back).
	 */
	dump->time = kd_get(dh, l->tv_sec);
	return NULL;
}

static void kdump_close(struct xencore_dump *dump)
{
	struct kdump_state *st = dump->format_data;
	if (!st)
		return;
	if (st->ctx)
		kdump_free(st->ctx);
	free(st->notes);
	free(st->runs);
	pthread_mutex_destroy(&st->ctx_lock);
	free(st);
	dump->format_data = NULL;
}

bool xc_kdump_ram_bitmap(const struct xencore_dump *dump, uint64_t *off, uint64_t *nbits)
{
	if (dump->ops != &xc_kdump_ops || !dump->format_data)
		return false;
	const struct kdump_state *st = dump->format_data;
	*off = st->ram_off;
	*nbits = st->ram_bits;
	return true;
}

/* The run of the pages note holding pfn, or NULL. */
static const struct file_run *find_run(const struct kdump_state *st, uint64_t pfn)
{
	return RUNS_FIND(struct file_run, st->runs, st->nr_runs, pfn, count, pfn);
}

/*
 * The descriptors of n pages from pfn must describe a page xencore wrote:
 * raw (4096 bytes) or compressed by one codec (zlib, lzo, snappy or zstd: at
 * most 4096), inside the file.  libkdumpfile
 * 0.5.1 trusts them (a compressed size over a page overflows its buffer).
 */
static struct xencore_error *check_descriptors(struct xencore_dump *dump, uint64_t pfn,
					       size_t n)
{
	struct kdump_state *st = dump->format_data;
	unsigned char pd[64 * PD_LEN];
	while (n) {
		const struct file_run *r = find_run(st, pfn);
		if (!r)
			return xc_error(XENCORE_ERROR_NOT_PRESENT,
					"pfn 0x%" PRIx64 " is not in the kdump file", pfn);
		uint64_t m = r->count - (pfn - r->pfn);
		if (m > n)
			m = n;
		if (m > sizeof(pd) / PD_LEN)
			m = sizeof(pd) / PD_LEN;
		struct xencore_error *err =
			xc_pread(dump, pd, (size_t)m * PD_LEN,
				 st->desc_off + (r->first + (pfn - r->pfn)) * PD_LEN,
				 "kdump page descriptors");
		if (err)
			return err;
		for (uint64_t i = 0; i < m; i++) {
			const unsigned char *d = pd + i * PD_LEN;
			uint64_t off = le64(d + PD_OFFSET);
			uint32_t size = le32(d + PD_SIZE), flags = le32(d + PD_FLAGS);
			bool codec = flags == DUMP_DH_COMPRESSED_ZLIB ||
				     flags == DUMP_DH_COMPRESSED_LZO ||
				     flags == DUMP_DH_COMPRESSED_SNAPPY ||
				     flags == DUMP_DH_COMPRESSED_ZSTD;
			bool ok = (flags == 0 && size == KDUMP_BLOCK_SIZE) ||
				  (codec && size && size <= KDUMP_BLOCK_SIZE);
			if (!ok || off > dump->file_size || size > dump->file_size - off)
				return xc_error(XENCORE_ERROR_FORMAT,
						"kdump file: the descriptor of pfn 0x%" PRIx64 " (%u bytes at 0x%" PRIx64 ", flags 0x%x) is not one of a page in the file",
						pfn + i, size, off, flags);
		}
		pfn += m;
		n -= (size_t)m;
	}
	return NULL;
}

/* A kdump file's page index: page = pfn. */
static struct xencore_error *kdump_read_pages(struct xencore_dump *dump, uint64_t page,
					      size_t n, void *buf)
{
	struct kdump_state *st = dump->format_data;
	size_t len = n * KDUMP_BLOCK_SIZE;
	struct xencore_error *err = check_descriptors(dump, page, n);
	if (err)
		return err;
	/*
	 * The file's own frame numbers: libkdumpfile's machine addresses of a
	 * diskdump (KDUMP_KPHYSADDR would first set up a Linux translation,
	 * which fails without the kernel's VMCOREINFO).
	 */
	pthread_mutex_lock(&st->ctx_lock);
	errno = 0;
	kdump_status s = kdump_read(st->ctx, KDUMP_MACHPHYSADDR, page * KDUMP_BLOCK_SIZE, buf, &len);
	if (s != KDUMP_OK) {
		char what[64];
		snprintf(what, sizeof(what), "pfn 0x%" PRIx64 " of the kdump file",
			 page + len / KDUMP_BLOCK_SIZE);
		err = xc_error_at(kd_error(st->ctx, s, errno, what), XENCORE_WHERE_PFN,
				  page + len / KDUMP_BLOCK_SIZE);
	}
	pthread_mutex_unlock(&st->ctx_lock);
	return err;
}

const struct format_ops xc_kdump_ops = {
	.name = "kdump",
	.probe = kdump_probe,
	.open = kdump_open,
	.close = kdump_close,
	.read_pages = kdump_read_pages,
};
