/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* filter-priv.h: what filter.c shares with the two writers. */
#ifndef XENCORE_FILTER_PRIV_H
#define XENCORE_FILTER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page-index.h"
#include "pgtable-canon.h"
#include "xencore.h"

#define FILTER_PAGE_SIZE	4096
/* Pages per batch: the unit of reading, compressing and writing. */
#define BATCH_PAGES		64
/* Room for one compressed page (zlib's deflateBound(4096) is 4096 + 27). */
#define OUT_SLOT		(FILTER_PAGE_SIZE + 64)

/* What happened to one page of a batch. */
enum page_fate {
	PAGE_RAW,		/* stored as it is */
	PAGE_COMPRESSED,	/* stored compressed (out_len bytes) */
	PAGE_ZERO,		/* all zero and the level drops zero pages */
	PAGE_UNTRIED,		/* stored as it is, not tried: it looked incompressible */
};

struct batch {
	uint64_t first;		/* ordinal of the first page in the plan */
	size_t n;
	uint64_t pfn[BATCH_PAGES], mfn[BATCH_PAGES];
	unsigned char *in;	/* n pages */
	unsigned char *out;	/* n slots of OUT_SLOT */
	uint32_t out_len[BATCH_PAGES];
	unsigned char fate[BATCH_PAGES];
	int state;		/* filter.c's */
};

/* The pages to write, in pfn order (runs of the input's page index). */
struct filter_plan {
	struct page_run *runs;	/* pfn, mfn, page (input index page), count */
	size_t nr;
	uint64_t nr_pages;
	uint64_t unnamed;	/* input pages without a usable pfn */
};

struct filter_out {
	struct xencore_dump *dump;
	const struct xencore_filter_options *opt;
	const struct filter_plan *plan;
	/* The input's pages before the page-type pass, or NULL if it dropped none. */
	const struct filter_plan *present;
	int fd;
	/* > 0: every write is a record of makedumpfile's flattened format to it. */
	int stream_fd;
	const char *path;	/* for messages: the final name */
	uint64_t size;		/* bytes of the file written so far (its end) */
	uint64_t dump_time;	/* the dump's (dump->time), in seconds */
	/*
	 * The level the output records and drops zero pages at: the options',
	 * ORed for a kdump output with the level a kdump input records (what
	 * it lacks already, as makedumpfile does when it refilters).
	 */
	unsigned int level;
	void *writer;		/* the writer's own state */

	/* xc_core: bit i set = plan page i is in the output. */
	uint64_t *kept;
	uint64_t nr_kept, nr_zero;

	/*
	 * Page tables: rewritten to pfns (a native output of a dump whose
	 * tables hold mfns), or given their mfns back (a native export
	 * filtered to xc_core or raw kdump); at most one is set.
	 */
	const struct pt_set *canon;
	struct pt_record *restore;
	uint64_t pages_rewritten;
};

/*
 * What an output page holds for input page (pfn, mfn): the page-table
 * rewrite or restore of o, if its page is a table.
 */
struct xencore_error *filter_transform(struct filter_out *o, uint64_t pfn, uint64_t mfn,
				       unsigned char *page);

/* Whether the FILTER_PAGE_SIZE bytes at p are all zero. */
bool filter_page_is_zero(const unsigned char *p);

/*
 * Reads every page of the plan (as the output will hold it) and marks the
 * zero ones: bit i of *ret for plan page i.  The caller frees *ret.
 */
struct xencore_error *filter_zero_map(struct filter_out *o, uint64_t **ret);


/*
 * libelf failed writing the output's what (its ELF header, ...): errnum
 * is errno after the call that failed (set to 0 before it), 0 for a call
 * that does no I/O; without one, libelf's own message.
 */
struct xencore_error *filter_libelf_error(const char *what, int errnum);

/*
 * pwrite all of buf at off (streaming: a flattened-format record of it),
 * or an XENCORE_ERROR_OUTPUT error.
 */
struct xencore_error *filter_pwrite(struct filter_out *o, const void *buf, size_t len,
				    uint64_t off);

/* Sequential writes at a moving offset, gathered into 1 MiB writes. */
struct out_stream {
	unsigned char *buf;
	size_t len;
	uint64_t off;		/* file offset of buf[0] */
};

struct xencore_error *stream_init(struct out_stream *s, uint64_t off);
struct xencore_error *stream_put(struct filter_out *o, struct out_stream *s,
				 const void *data, size_t len);
struct xencore_error *stream_flush(struct filter_out *o, struct out_stream *s);
void stream_free(struct out_stream *s);

/* Each writer: begin (layout, before any page), batch (in plan order), finish. */
struct filter_writer {
	struct xencore_error *(*begin)(struct filter_out *o);
	struct xencore_error *(*batch)(struct filter_out *o, const struct batch *b);
	struct xencore_error *(*finish)(struct filter_out *o);
	void (*cleanup)(struct filter_out *o);
};

extern const struct filter_writer xc_kdump_writer;
extern const struct filter_writer xc_core_writer;
extern const struct filter_writer elf_writer;

/*
 * The dump's "Xen" notes for an output, with the header note's page count
 * set to nr_pages (synthesized for a legacy dump, which has none).
 */
struct xencore_error *filter_xen_notes(struct xencore_dump *dump, uint64_t nr_pages,
				       unsigned char **notes_ret, size_t *len_ret);

#endif /* XENCORE_FILTER_PRIV_H */
