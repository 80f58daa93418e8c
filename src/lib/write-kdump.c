// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * write-kdump.c: the kdump-compressed ("diskdump") writer of xencore filter.
 *
 * Layout (makedumpfile's IMPLEMENTATION, diskdump_mod.h): block 0 the
 * disk_dump_header; block 1 the kdump_sub_header followed by the note area;
 * the 1st bitmap (pfns that exist) and the 2nd (pfns dumped), each rounded
 * to whole blocks; one page_desc per dumped pfn in pfn order; the page data.
 * Pages are compressed one by one (zlib, lzo, snappy or zstd, the codec's
 * flag in each page_desc and in the header's status); a page the codec
 * cannot shrink is stored as it is; with dump level bit 1 every zero page shares one descriptor pointing
 * at a single zero page at the start of the data.  Headers are written last,
 * so a file cut short has no valid header.
 */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "filter-priv.h"
#include "kdump-format.h"
#include "le.h"
#include "output-notes.h"
#include "xen-notes.h"

/* Bitmap bytes built in memory at a time. */
#define BITMAP_CHUNK	(64 * 1024)
/* Bitmaps may take this much even for a small dump (a guest's pfn gaps). */
#define BITMAP_SLACK	(UINT64_C(64) << 20)

struct kdump_w {
	const struct kdump_layout *l;	/* 64-bit, or 32-bit for i686 guests */
	uint64_t max_mapnr;
	struct output_notes notes;
	uint32_t sub_hdr_blocks;
	uint64_t bitmap_len;	/* of one bitmap */
	uint64_t bitmap_off, desc_off, data_off;
	uint64_t cursor;	/* where the next page's data goes */
	unsigned char zero_desc[PD_LEN];
	unsigned char descs[BATCH_PAGES * PD_LEN];
	struct out_stream data;
};

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/*
 * One bitmap at off: a bit per pfn of plan.  The 1st bitmap is the pages
 * the guest had (the input's), the 2nd the pages dumped (the plan): a page
 * the page-type pass dropped is in the first only, so crash and
 * libkdumpfile call it excluded rather than absent, as for makedumpfile.
 * ram: the first bitmap, which also keeps a kdump input's own first bitmap
 * (the pages an earlier filter left out stay known, as makedumpfile's
 * refiltering copies it).  Written a chunk at a time; chunks with no bit
 * stay holes, which read as zeros.
 */
static struct xencore_error *write_bitmap(struct filter_out *o, struct kdump_w *w,
					  const struct filter_plan *plan, uint64_t off, bool ram)
{
	uint64_t in_off = 0, in_bits = 0;
	if (!ram || !xc_kdump_ram_bitmap(o->dump, &in_off, &in_bits))
		in_bits = 0;
	unsigned char *chunk = malloc(BITMAP_CHUNK);
	if (!chunk)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	size_t i = 0;		/* the plan run, and the next pfn to mark */
	uint64_t pfn = 0;
	for (uint64_t base = 0; !err && base < w->bitmap_len; base += BITMAP_CHUNK) {
		size_t len = w->bitmap_len - base < BITMAP_CHUNK ? (size_t)(w->bitmap_len - base)
								 : BITMAP_CHUNK;
		uint64_t end_pfn = (base + len) * 8;
		bool any = false;
		memset(chunk, 0, len);
		if (base * 8 < in_bits) {
			uint64_t bits = in_bits - base * 8 < (uint64_t)len * 8 ? in_bits - base * 8
									: (uint64_t)len * 8;
			if ((err = xc_pread(o->dump, chunk, (size_t)((bits + 7) / 8), in_off + base,
					    "the input's first page bitmap")))
				break;
			if (bits % 8)
				chunk[bits / 8] &= (unsigned char)((1u << (bits % 8)) - 1);
			any = true;
		}
		/* The runs ascend: each bit is marked once, in this chunk or a later one. */
		while (i < plan->nr) {
			const struct page_run *r = &plan->runs[i];
			if (pfn < r->pfn)
				pfn = r->pfn;
			if (pfn - r->pfn >= r->count) {
				i++;
				continue;
			}
			if (pfn >= end_pfn)
				break;
			chunk[pfn / 8 - base] |= (unsigned char)(1u << (pfn % 8));
			any = true;
			pfn++;
		}
		if (any)
			err = filter_pwrite(o, chunk, len, off + base);
	}
	free(chunk);
	return err;
}

static struct xencore_error *write_bitmaps(struct filter_out *o, struct kdump_w *w)
{
	const struct filter_plan *present = o->present ? o->present : o->plan;
	struct xencore_error *err = write_bitmap(o, w, present, w->bitmap_off, true);
	return err ? err : write_bitmap(o, w, o->plan, w->bitmap_off + w->bitmap_len, false);
}

static struct xencore_error *kdump_begin(struct filter_out *o)
{
	struct kdump_w *w = calloc(1, sizeof(*w));
	if (!w)
		return &xencore_enomem;
	o->writer = w;
	const struct filter_plan *plan = o->plan;
	const struct filter_plan *present = o->present ? o->present : plan;
	if (present->nr) {
		const struct page_run *last = &present->runs[present->nr - 1];
		w->max_mapnr = last->pfn + last->count;
	}
	/* A kdump input's first bitmap is kept (write_bitmap): its pfns count. */
	uint64_t in_off, in_bits;
	if (xc_kdump_ram_bitmap(o->dump, &in_off, &in_bits) && in_bits > w->max_mapnr)
		w->max_mapnr = in_bits;
	/* One bit per pfn up to the highest: refuse what a few far pfns would blow up. */
	w->bitmap_len = round_up((w->max_mapnr + 7) / 8, KDUMP_BLOCK_SIZE);
	if (!w->bitmap_len)
		w->bitmap_len = KDUMP_BLOCK_SIZE;
	if (2 * w->bitmap_len > o->dump->file_size + BITMAP_SLACK)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"pfn 0x%" PRIx64 " is too high for a kdump file of this dump: its bitmaps would take %" PRIu64 " bytes; use --output-format=xc_core",
				w->max_mapnr - 1, 2 * w->bitmap_len);
	if (2 * w->bitmap_len / KDUMP_BLOCK_SIZE > INT32_MAX)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"pfn 0x%" PRIx64 " is beyond what a kdump header can describe",
				w->max_mapnr - 1);

	struct xencore_error *err = output_notes_build(o, plan->nr_pages, &w->notes);
	if (err)
		return err;
	w->l = o->dump->info.guest_bits == 32 ? &kdump_layout32 : &kdump_layout64;
	if (w->l->bits == 32 && w->notes.total > UINT32_MAX)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE, "the notes are too large for a 32-bit kdump file");
	uint64_t sub = round_up(w->l->sh_size + w->notes.total, KDUMP_BLOCK_SIZE) / KDUMP_BLOCK_SIZE;
	if (sub > INT32_MAX)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE, "the notes are too large for a kdump file");
	w->sub_hdr_blocks = (uint32_t)sub;
	w->bitmap_off = (1 + sub) * KDUMP_BLOCK_SIZE;
	w->desc_off = w->bitmap_off + 2 * w->bitmap_len;
	w->data_off = w->desc_off + plan->nr_pages * PD_LEN;
	w->cursor = w->data_off;
	if ((err = write_bitmaps(o, w)))
		return err;

	if ((err = stream_init(&w->data, w->cursor)))
		return err;
	if (o->level & XENCORE_DL_ZERO) {
		/* The one zero page every zero pfn's descriptor points at. */
		put_le64(w->zero_desc + PD_OFFSET, w->cursor);
		put_le32(w->zero_desc + PD_SIZE, KDUMP_BLOCK_SIZE);
		w->cursor += KDUMP_BLOCK_SIZE;
		return stream_put(o, &w->data, NULL, KDUMP_BLOCK_SIZE);
	}
	return NULL;
}

/* The flag of a page (and the header's status) compressed with codec. */
static uint32_t codec_flag(enum xencore_compression codec)
{
	switch (codec) {
	case XENCORE_COMPRESS_ZLIB: return DUMP_DH_COMPRESSED_ZLIB;
	case XENCORE_COMPRESS_LZO: return DUMP_DH_COMPRESSED_LZO;
	case XENCORE_COMPRESS_SNAPPY: return DUMP_DH_COMPRESSED_SNAPPY;
	case XENCORE_COMPRESS_ZSTD: return DUMP_DH_COMPRESSED_ZSTD;
	default: return 0;
	}
}

static struct xencore_error *kdump_batch(struct filter_out *o, const struct batch *b)
{
	struct kdump_w *w = o->writer;
	struct xencore_error *err;
	uint32_t flag = codec_flag(o->opt->compression);
	for (size_t i = 0; i < b->n; i++) {
		unsigned char *d = w->descs + i * PD_LEN;
		if (b->fate[i] == PAGE_ZERO) {
			memcpy(d, w->zero_desc, PD_LEN);
			continue;
		}
		const unsigned char *data = b->fate[i] == PAGE_COMPRESSED
						    ? b->out + i * OUT_SLOT
						    : b->in + i * FILTER_PAGE_SIZE;
		uint32_t len = b->out_len[i];
		memset(d, 0, PD_LEN);
		put_le64(d + PD_OFFSET, w->cursor);
		put_le32(d + PD_SIZE, len);
		put_le32(d + PD_FLAGS, b->fate[i] == PAGE_COMPRESSED ? flag : 0);
		if ((err = stream_put(o, &w->data, data, len)))
			return err;
		w->cursor += len;
	}
	return filter_pwrite(o, w->descs, b->n * PD_LEN, w->desc_off + b->first * PD_LEN);
}

/* A utsname field: at most 64 characters and the NUL (the block is zeroed). */
static void put_uts(unsigned char *h, int field, const char *s)
{
	memcpy(h + DH_UTSNAME + field * UTS_FIELD_LEN, s, strnlen(s, UTS_FIELD_LEN - 1));
}

static struct xencore_error *kdump_finish(struct filter_out *o)
{
	struct kdump_w *w = o->writer;
	struct xencore_error *err = stream_flush(o, &w->data);
	if (err)
		return err;

	const struct kdump_layout *l = w->l;
	unsigned char *blk = calloc(1, KDUMP_BLOCK_SIZE);
	unsigned char *sub = calloc(1, l->sh_size);
	if (!blk || !sub) {
		free(blk);
		free(sub);
		return &xencore_enomem;
	}
	const struct xencore_dump_info *info = &o->dump->info;
	const struct xencore_native_info *nat = o->opt->native ? xencore_native_info(o->opt->native)
							       : NULL;
	memcpy(blk + DH_SIGNATURE, KDUMP_SIGNATURE, KDUMP_SIGNATURE_LEN);
	put_le32(blk + DH_HEADER_VERSION, KDUMP_HEADER_VERSION);
	/*
	 * libkdumpfile needs a "sane" utsname (sysname Linux; release, version
	 * and machine set) to take the architecture from it: the machine is
	 * the guest's width whatever the kernel says.  A native export has the
	 * guest's own (init_uts_ns, else VMCOREINFO's OSRELEASE); otherwise
	 * release and version say it is unknown.
	 */
	bool uts = nat && nat->release[0];
	put_uts(blk, UTS_SYSNAME, "Linux");
	put_uts(blk, UTS_NODENAME, uts ? nat->nodename : "");
	put_uts(blk, UTS_RELEASE, uts ? nat->release : "unknown");
	put_uts(blk, UTS_VERSION, uts && nat->version[0] ? nat->version
			: "unknown (Xen guest dump filtered by xencore)");
	put_uts(blk, UTS_MACHINE, info->guest_bits == 32 ? "i686" : "x86_64");
	put_uts(blk, UTS_DOMAINNAME, uts ? nat->domainname : "");
	/*
	 * The time of the dump (dump->time: its file's mtime, a kdump input's
	 * header time), so that the same dump makes the same file.  tv_usec stays 0: libkdumpfile tries the 32-bit header
	 * layout first, where a 64-bit file's tv_usec would be block_size.
	 */
	kd_put(blk, l->tv_sec, l->bits == 32 && o->dump_time > UINT32_MAX ? 0 : o->dump_time);
	kd_put(blk, l->status, codec_flag(o->opt->compression));
	kd_put(blk, l->block_size, KDUMP_BLOCK_SIZE);
	kd_put(blk, l->sub_hdr_size, w->sub_hdr_blocks);
	kd_put(blk, l->bitmap_blocks, 2 * w->bitmap_len / KDUMP_BLOCK_SIZE);
	kd_put(blk, l->max_mapnr, w->max_mapnr > UINT32_MAX ? UINT32_MAX : w->max_mapnr);
	/* makedumpfile: the CPUs' notes; crash warns about 0. */
	uint64_t cpus = nat && info->nr_contexts ? info->nr_contexts : info->nr_vcpus;
	kd_put(blk, l->nr_cpus, cpus > INT32_MAX ? INT32_MAX : cpus ? cpus : 1);

	kd_put(sub, l->dump_level, o->level);
	kd_put(sub, l->offset_note, KDUMP_BLOCK_SIZE + l->sh_size);
	kd_put(sub, l->size_note, w->notes.total);
	/* makedumpfile's write_kdump_header(): the VMCOREINFO note's text. */
	if (w->notes.vmcoreinfo_len) {
		kd_put(sub, l->offset_vmcoreinfo,
		       KDUMP_BLOCK_SIZE + l->sh_size + w->notes.vmcoreinfo_off);
		kd_put(sub, l->size_vmcoreinfo, w->notes.vmcoreinfo_len);
	}
	kd_put(sub, l->max_mapnr_64, w->max_mapnr);
	/* The sub-header, then the notes, which follow it. */
	if (!(err = filter_pwrite(o, sub, l->sh_size, KDUMP_BLOCK_SIZE)) &&
	    !(err = output_notes_write(o, &w->notes, KDUMP_BLOCK_SIZE + l->sh_size)))
		err = filter_pwrite(o, blk, KDUMP_BLOCK_SIZE, 0);
	free(blk);
	free(sub);
	return err;
}

static void kdump_cleanup(struct filter_out *o)
{
	struct kdump_w *w = o->writer;
	if (!w)
		return;
	free(w->notes.p);
	stream_free(&w->data);
	free(w);
	o->writer = NULL;
}

const struct filter_writer xc_kdump_writer = {
	.begin = kdump_begin,
	.batch = kdump_batch,
	.finish = kdump_finish,
	.cleanup = kdump_cleanup,
};
