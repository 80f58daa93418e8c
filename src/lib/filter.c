// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * filter.c: xencore_filter(), makedumpfile-style smaller dumps.
 *
 * The pages to write are planned first (pfn order, from the page index).
 * Then batches of pages go round a ring: the calling thread reads a batch,
 * a worker checks it for zero pages and compresses it, and the calling
 * thread hands finished batches to the writer strictly in plan order.  So
 * memory is the ring (a few MiB), never a function of the dump's size, and
 * the output is the same for any number of threads.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "abi.h"
#include "codec.h"
#include "dump-priv.h"
#include "error.h"
#include "filter-priv.h"
#include "flattened.h"
#include "le.h"
#include "native-priv.h"
#include "xen-notes.h"

/* Batches in flight per worker: enough to keep every worker busy. */
#define RING_PER_THREAD	4
/* Most workers xencore starts, whatever is asked. */
#define MAX_THREADS	256

enum batch_state { B_FREE, B_QUEUED, B_DONE };

/* All len bytes to fd: at off with pwrite, or (off < 0) where the stream is. */
static struct xencore_error *write_all(int fd, const void *buf, size_t len, int64_t off)
{
	const unsigned char *p = buf;
	while (len) {
		ssize_t n = off < 0 ? write(fd, p, len) : pwrite(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xc_error_output(errno, "cannot write");
		}
		p += n;
		len -= (size_t)n;
		if (off >= 0)
			off += n;
	}
	return NULL;
}

static struct xencore_error *flat_write(int fd, const void *buf, size_t len)
{
	return write_all(fd, buf, len, -1);
}

/* makedumpfile's flattened format (flattened.c): its header block first. */
static struct xencore_error *flat_start(int fd)
{
	unsigned char h[FLAT_HEADER_SIZE];
	flat_header(h);
	return flat_write(fd, h, sizeof(h));
}

/* The end marker last: makedumpfile -R refuses a stream without one. */
static struct xencore_error *flat_end(int fd)
{
	unsigned char h[FLAT_RECORD_SIZE];
	flat_end_marker(h);
	return flat_write(fd, h, sizeof(h));
}

struct xencore_error *filter_pwrite(struct filter_out *o, const void *buf, size_t len,
				    uint64_t off)
{
	if (o->stream_fd > 0) {
		/* Empty writes are left out: a size of 0 would end makedumpfile -R's loop. */
		if (!len)
			return NULL;
		if (off > INT64_MAX || len > INT64_MAX - off)
			return xc_error(XENCORE_ERROR_OUTPUT, "offset 0x%" PRIx64 " is too large for the flattened format", off);
		unsigned char h[FLAT_RECORD_SIZE];
		flat_record(h, (int64_t)off, (int64_t)len);
		struct xencore_error *err = flat_write(o->stream_fd, h, sizeof(h));
		if (!err)
			err = flat_write(o->stream_fd, buf, len);
		if (!err && off + len > o->size)
			o->size = off + len;
		return err;
	}
	if (off > INT64_MAX || len > INT64_MAX - off)
		return xc_error(XENCORE_ERROR_OUTPUT, "offset 0x%" PRIx64 " is too large for a file", off);
	struct xencore_error *err = write_all(o->fd, buf, len, (int64_t)off);
	if (!err && off + len > o->size)
		o->size = off + len;
	return err;
}

struct xencore_error *filter_libelf_error(const char *what, int errnum)
{
	/* A failed write(2) or ftruncate(2) inside libelf: its errno says why. */
	if (errnum)
		return xc_error_output(errnum, "cannot write the %s", what);
	return xc_error(XENCORE_ERROR_OUTPUT, "libelf cannot write the %s: %s", what,
			elf_errmsg(-1));
}

#define STREAM_BUF	(1024 * 1024)

struct xencore_error *stream_init(struct out_stream *s, uint64_t off)
{
	s->buf = malloc(STREAM_BUF);
	s->len = 0;
	s->off = off;
	return s->buf ? NULL : &xencore_enomem;
}

struct xencore_error *stream_flush(struct filter_out *o, struct out_stream *s)
{
	struct xencore_error *err = filter_pwrite(o, s->buf, s->len, s->off);
	s->off += s->len;
	s->len = 0;
	return err;
}

struct xencore_error *stream_put(struct filter_out *o, struct out_stream *s,
				 const void *data, size_t len)
{
	/* Callers put at most a page (and its compressed form) at a time. */
	if (len > STREAM_BUF)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"internal error: %zu bytes for a %d-byte write buffer", len, STREAM_BUF);
	if (s->len + len > STREAM_BUF) {
		struct xencore_error *err = stream_flush(o, s);
		if (err)
			return err;
	}
	if (data)
		memcpy(s->buf + s->len, data, len);
	else
		memset(s->buf + s->len, 0, len);
	s->len += len;
	return NULL;
}

void stream_free(struct out_stream *s)
{
	free(s->buf);
	s->buf = NULL;
}

/* ---- the plan ---- */

static struct xencore_error *plan_add(struct filter_plan *plan, size_t *cap,
				      uint64_t pfn, uint64_t mfn, uint64_t page,
				      uint64_t count)
{
	if (plan->nr) {
		struct page_run *last = &plan->runs[plan->nr - 1];
		if (last->pfn + last->count == pfn && last->mfn + last->count == mfn &&
		    last->page + last->count == page) {
			last->count += count;
			plan->nr_pages += count;
			return NULL;
		}
	}
	if (plan->nr == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct page_run *r = realloc(plan->runs, c * sizeof(*r));
		if (!r)
			return &xencore_enomem;
		plan->runs = r;
		*cap = c;
	}
	plan->runs[plan->nr++] = (struct page_run){ pfn, mfn, page, count };
	plan->nr_pages += count;
	return NULL;
}

struct named_page {
	uint64_t pfn, mfn, page;
};

static int cmp_named(const void *a, const void *b)
{
	const struct named_page *x = a, *y = b;
	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/* A dump that records machine frames only (legacy): pfns through the p2m. */
static struct xencore_error *plan_by_mfn(struct xencore_dump *dump, struct xencore_p2m *p2m,
					 struct filter_plan *plan)
{
	const struct page_index *ix = &dump->index;
	if (!p2m)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"this dump records machine frames only (%s): naming its pages needs the guest's p2m; give the kernel's symbols (--vmlinux or --system-map)",
				dump->info.format);
	/* One entry per page: the dump's own index is that big already. */
	struct named_page *pages = malloc((ix->nr_pages ? ix->nr_pages : 1) * sizeof(*pages));
	if (!pages)
		return &xencore_enomem;
	size_t n = 0;
	for (size_t r = 0; r < ix->nr; r++) {
		const struct page_run *run = &ix->runs[r];
		for (uint64_t i = 0; i < run->count; i++) {
			uint64_t pfn;
			if (!xencore_p2m_mfn_to_pfn(p2m, run->mfn + i, &pfn) || pfn > XC_MAX_FRAME) {
				plan->unnamed++;
				continue;
			}
			pages[n++] = (struct named_page){ pfn, run->mfn + i, run->page + i };
		}
	}
	qsort(pages, n, sizeof(*pages), cmp_named);
	struct xencore_error *err = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < n && !err; i++) {
		if (i && pages[i].pfn == pages[i - 1].pfn) {
			plan->unnamed++;	/* a hostile p2m gave two frames one pfn */
			continue;
		}
		err = plan_add(plan, &cap, pages[i].pfn, pages[i].mfn, pages[i].page, 1);
	}
	free(pages);
	return err;
}

static struct xencore_error *build_plan(struct xencore_dump *dump, struct xencore_p2m *p2m,
					struct filter_plan *plan)
{
	struct xencore_error *err = page_index_complete(&dump->index);
	if (err)
		return err;
	const struct page_index *ix = &dump->index;
	if (ix->no_pfn)
		return plan_by_mfn(dump, p2m, plan);
	size_t cap = 0;
	for (size_t i = 0; i < ix->nr; i++) {
		const struct page_run *r = &ix->by_pfn[i];
		uint64_t count = r->count;
		/* Records with pfn ~0 (HVM dumps end in some) name no page. */
		if (r->pfn > XC_MAX_FRAME) {
			plan->unnamed += count;
			continue;
		}
		if (count > XC_MAX_FRAME + 1 - r->pfn) {
			plan->unnamed += count - (XC_MAX_FRAME + 1 - r->pfn);
			count = XC_MAX_FRAME + 1 - r->pfn;
		}
		if ((err = plan_add(plan, &cap, r->pfn, r->mfn, r->page, count)))
			return err;
	}
	return NULL;
}

/* ---- the page-type pass ---- */

/*
 * Classifies every planned page through the guest's memmap (in pfn order,
 * so struct pages are read in batches) and plans only the ones kept.
 */
static struct xencore_error *exclude_pages(const struct xencore_filter_options *opt,
					   const struct filter_plan *in, struct filter_plan *out,
					   struct xencore_filter_stats *st)
{
	struct xencore_memmap *mm = opt->memmap;
	uint64_t unreadable = xencore_memmap_unreadable(mm), done = 0;
	size_t cap = 0;
	struct xencore_error *err = NULL;
	out->unnamed = in->unnamed;
	for (size_t i = 0; !err && i < in->nr; i++) {
		const struct page_run *r = &in->runs[i];
		for (uint64_t k = 0; !err && k < r->count; k++) {
			enum xencore_page_class c;
			if ((err = xencore_memmap_classify(mm, r->pfn + k, &c)))
				break;
			st->pages_class[c]++;
			if (c == XENCORE_PAGE_KEEP)
				err = plan_add(out, &cap, r->pfn + k, r->mfn + k, r->page + k, 1);
			if (++done % 65536 == 0) {
				if (opt->exclude_progress)
					opt->exclude_progress(opt->progress_arg, done, in->nr_pages,
							      st->pages_class);
				if (opt->cancel && *opt->cancel)
					err = xc_error(XENCORE_ERROR_OS, "interrupted");
			}
		}
	}
	if (!err && opt->exclude_progress)
		opt->exclude_progress(opt->progress_arg, in->nr_pages, in->nr_pages, st->pages_class);
	st->pages_no_memmap = xencore_memmap_unreadable(mm) - unreadable;
	return err;
}

/*
 * An ELF core's loads are runs of pfns, and crash and makedumpfile read at
 * most 65535 of them: as makedumpfile -E does, a run of fewer than
 * ELF_MIN_GAP pages the page types left out between kept ones (of one run
 * of the dump's pfns) is written as data, and only longer ones are gaps.
 * *refilled counts the pages put back.
 */
#define ELF_MIN_GAP	256

static struct xencore_error *refill_gaps(const struct filter_plan *present,
					 const struct filter_plan *kept, struct filter_plan *out,
					 uint64_t *refilled)
{
	size_t cap = 0, k = 0;
	struct xencore_error *err = NULL;
	out->unnamed = kept->unnamed;
	for (size_t i = 0; !err && i < present->nr; i++) {
		const struct page_run *r = &present->runs[i];
		uint64_t gap = 0;	/* left-out pages since the last kept one, in this run */
		bool any = false;
		for (uint64_t j = 0; !err && j < r->count; j++) {
			uint64_t pfn = r->pfn + j;
			while (k < kept->nr && kept->runs[k].pfn + kept->runs[k].count <= pfn)
				k++;
			bool is_kept = k < kept->nr && kept->runs[k].pfn <= pfn;
			if (!is_kept) {
				gap++;
				continue;
			}
			if (any && gap && gap < ELF_MIN_GAP) {
				uint64_t from = j - gap;
				err = plan_add(out, &cap, r->pfn + from, r->mfn + from, r->page + from, gap);
				*refilled += gap;
			}
			gap = 0;
			any = true;
			if (!err)
				err = plan_add(out, &cap, pfn, r->mfn + j, r->page + j, 1);
		}
	}
	return err;
}

/* ---- batches ---- */

bool filter_page_is_zero(const unsigned char *p)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < FILTER_PAGE_SIZE; i += 64) {
		uint64_t w[8];
		memcpy(w, p + i, sizeof(w));
		acc |= w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7];
		if (acc)
			return false;
	}
	return true;
}

static void process_batch(struct batch *b, struct codec *w, bool drop_zero)
{
	for (size_t i = 0; i < b->n; i++) {
		const unsigned char *page = b->in + i * FILTER_PAGE_SIZE;
		b->out_len[i] = FILTER_PAGE_SIZE;
		b->fate[i] = PAGE_RAW;
		if (drop_zero && filter_page_is_zero(page)) {
			b->fate[i] = PAGE_ZERO;
			b->out_len[i] = 0;
			continue;
		}
		if (!b->out)
			continue;	/* no compression: no output slots, stored raw */
		bool untried;
		size_t len = codec_compress(w, page, b->out + i * OUT_SLOT, OUT_SLOT, &untried);
		if (untried)
			b->fate[i] = PAGE_UNTRIED;
		if (len) {
			b->fate[i] = PAGE_COMPRESSED;
			b->out_len[i] = (uint32_t)len;
		}
	}
}

/* The level codec compresses at: 0 is makedumpfile's, level 1. */
static int codec_level(const struct xencore_filter_options *opt)
{
	return opt->compression_level ? (int)opt->compression_level : 1;
}

struct pipeline {
	struct batch *ring;
	size_t ring_n;
	bool compress, drop_zero;
	enum xencore_compression codec;	/* NONE when !compress */
	int level;

	unsigned int nthreads;
	pthread_t *threads;
	unsigned int started;
	pthread_mutex_t lock;
	pthread_cond_t work_cv, done_cv;
	size_t *queue;
	size_t qhead, qtail;
	bool stop;
	bool worker_failed;
};

static void *worker_main(void *arg)
{
	struct pipeline *pl = arg;
	struct codec w;
	bool ok = codec_init(&w, pl->codec, pl->level);
	pthread_mutex_lock(&pl->lock);
	if (!ok)
		pl->worker_failed = true;
	for (;;) {
		while (!pl->stop && pl->qhead == pl->qtail)
			pthread_cond_wait(&pl->work_cv, &pl->lock);
		if (pl->stop)
			break;
		struct batch *b = &pl->ring[pl->queue[pl->qhead++ % pl->ring_n]];
		pthread_mutex_unlock(&pl->lock);
		process_batch(b, &w, pl->drop_zero);
		pthread_mutex_lock(&pl->lock);
		b->state = B_DONE;
		pthread_cond_broadcast(&pl->done_cv);
	}
	pthread_mutex_unlock(&pl->lock);
	codec_fini(&w);
	return NULL;
}

static void pipeline_stop(struct pipeline *pl)
{
	if (pl->started) {
		pthread_mutex_lock(&pl->lock);
		pl->stop = true;
		pthread_cond_broadcast(&pl->work_cv);
		pthread_mutex_unlock(&pl->lock);
		for (unsigned int i = 0; i < pl->started; i++)
			pthread_join(pl->threads[i], NULL);
		pl->started = 0;
	}
	if (pl->nthreads > 1) {
		pthread_mutex_destroy(&pl->lock);
		pthread_cond_destroy(&pl->work_cv);
		pthread_cond_destroy(&pl->done_cv);
	}
	if (pl->ring)
		for (size_t i = 0; i < pl->ring_n; i++) {
			free(pl->ring[i].in);
			free(pl->ring[i].out);
		}
	free(pl->ring);
	free(pl->queue);
	free(pl->threads);
}

static struct xencore_error *pipeline_start(struct pipeline *pl, unsigned int threads,
					    enum xencore_compression codec, int level,
					    bool drop_zero)
{
	bool compress = codec != XENCORE_COMPRESS_NONE;
	memset(pl, 0, sizeof(*pl));
	pl->compress = compress;
	pl->codec = codec;
	pl->level = level;
	pl->drop_zero = drop_zero;
	pl->nthreads = threads;
	pl->ring_n = threads > 1 ? (size_t)threads * RING_PER_THREAD : 1;
	pl->ring = calloc(pl->ring_n, sizeof(*pl->ring));
	pl->queue = calloc(pl->ring_n, sizeof(*pl->queue));
	if (!pl->ring || !pl->queue)
		return &xencore_enomem;
	for (size_t i = 0; i < pl->ring_n; i++) {
		pl->ring[i].in = malloc((size_t)BATCH_PAGES * FILTER_PAGE_SIZE);
		pl->ring[i].out = compress ? malloc((size_t)BATCH_PAGES * OUT_SLOT) : NULL;
		if (!pl->ring[i].in || (compress && !pl->ring[i].out))
			return &xencore_enomem;
	}
	if (threads <= 1)
		return NULL;
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->work_cv, NULL);
	pthread_cond_init(&pl->done_cv, NULL);
	pl->threads = calloc(threads, sizeof(*pl->threads));
	if (!pl->threads)
		return &xencore_enomem;
	for (unsigned int i = 0; i < threads; i++) {
		int e = pthread_create(&pl->threads[i], NULL, worker_main, pl);
		if (e)
			return xc_error_os(e, "cannot start a compression thread");
		pl->started++;
	}
	return NULL;
}

/* Where the next batch starts in the plan. */
struct plan_cursor {
	size_t run;
	uint64_t off;		/* pages into that run */
	uint64_t ordinal;	/* pages before it */
};

struct xencore_error *filter_transform(struct filter_out *o, uint64_t pfn, uint64_t mfn,
				       unsigned char *page)
{
	if (o->canon) {
		const struct pt_table *t = pt_set_find(o->canon, mfn);
		if (!t)
			return NULL;
		struct pt_counts counts = { 0 };
		o->pages_rewritten++;
		return pt_canon_page(o->canon, t, page, &counts, NULL, NULL);
	}
	struct pt_table t;
	if (o->restore && pt_record_find(o->restore, pfn, &t)) {
		o->pages_rewritten++;
		return pt_restore_page(o->dump, o->restore, &t, page);
	}
	return NULL;
}

static struct xencore_error *fill_batch(struct filter_out *o, const struct filter_plan *plan,
					struct plan_cursor *c, struct batch *b)
{
	struct xencore_dump *dump = o->dump;
	b->first = c->ordinal;
	b->n = 0;
	while (b->n < BATCH_PAGES && c->run < plan->nr) {
		const struct page_run *r = &plan->runs[c->run];
		uint64_t m = r->count - c->off;
		if (m > BATCH_PAGES - b->n)
			m = BATCH_PAGES - b->n;
		struct xencore_error *err =
			xc_read_pages(dump, r->page + c->off, (size_t)m,
				      b->in + b->n * FILTER_PAGE_SIZE);
		if (err)
			return xc_error_prefix(err, "reading pfn 0x%" PRIx64, r->pfn + c->off);
		for (uint64_t k = 0; k < m; k++) {
			b->pfn[b->n + k] = r->pfn + c->off + k;
			b->mfn[b->n + k] = r->mfn + c->off + k;
			err = filter_transform(o, b->pfn[b->n + k], b->mfn[b->n + k],
					       b->in + (b->n + k) * FILTER_PAGE_SIZE);
			if (err)
				return err;
		}
		b->n += (size_t)m;
		c->off += m;
		c->ordinal += m;
		if (c->off == r->count) {
			c->run++;
			c->off = 0;
		}
	}
	return NULL;
}

/* Reads, processes and writes every page of the plan. */
static struct xencore_error *copy_pages(struct filter_out *o, const struct filter_writer *wr,
					struct xencore_filter_stats *st)
{
	const struct xencore_filter_options *opt = o->opt;
	const struct filter_plan *plan = o->plan;
	enum xencore_compression codec = opt->format == XENCORE_OUTPUT_KDUMP
					 ? opt->compression : XENCORE_COMPRESS_NONE;
	bool compress = codec != XENCORE_COMPRESS_NONE;
	int level = codec_level(opt);
	/* An ELF core's zero pages: the writer's own map (write-elf.c). */
	bool drop_zero = (o->level & XENCORE_DL_ZERO) && opt->format != XENCORE_OUTPUT_ELF;
	unsigned int threads = opt->threads ? opt->threads : 1;
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	/* Nothing to compress: the copy is I/O, one thread does it. */
	if (!compress)
		threads = 1;

	struct pipeline pl;
	struct codec inline_w;
	bool inline_ready = false;
	struct xencore_error *err = pipeline_start(&pl, threads, codec, level, drop_zero);
	if (!err && threads == 1) {
		inline_ready = codec_init(&inline_w, codec, level);
		if (!inline_ready)
			err = xc_error(XENCORE_ERROR_NOMEM, "%s cannot start a compressor",
				       codec_name(codec));
	}
	uint64_t nb = (plan->nr_pages + BATCH_PAGES - 1) / BATCH_PAGES;
	uint64_t next_read = 0, next_write = 0;
	struct plan_cursor cur = { 0, 0, 0 };
	while (!err && next_write < nb) {
		while (!err && next_read < nb && next_read - next_write < pl.ring_n) {
			struct batch *b = &pl.ring[next_read % pl.ring_n];
			if ((err = fill_batch(o, plan, &cur, b)))
				break;
			if (threads == 1) {
				process_batch(b, &inline_w, drop_zero);
				b->state = B_DONE;
			} else {
				pthread_mutex_lock(&pl.lock);
				b->state = B_QUEUED;
				pl.queue[pl.qtail++ % pl.ring_n] = (size_t)(next_read % pl.ring_n);
				pthread_cond_signal(&pl.work_cv);
				pthread_mutex_unlock(&pl.lock);
			}
			next_read++;
		}
		if (err)
			break;
		struct batch *b = &pl.ring[next_write % pl.ring_n];
		if (threads > 1) {
			pthread_mutex_lock(&pl.lock);
			while (b->state != B_DONE && !pl.worker_failed)
				pthread_cond_wait(&pl.done_cv, &pl.lock);
			bool failed = pl.worker_failed;
			pthread_mutex_unlock(&pl.lock);
			if (failed) {
				err = xc_error(XENCORE_ERROR_NOMEM, "%s cannot start a compressor",
					       codec_name(codec));
				break;
			}
		}
		if ((err = wr->batch(o, b)))
			break;
		b->state = B_FREE;
		for (size_t i = 0; i < b->n; i++) {
			st->pages_zero += b->fate[i] == PAGE_ZERO;
			st->pages_stored_raw += compress &&
				(b->fate[i] == PAGE_RAW || b->fate[i] == PAGE_UNTRIED);
			st->pages_untried += b->fate[i] == PAGE_UNTRIED;
		}
		st->pages_read += b->n;
		next_write++;
		if (opt->progress)
			opt->progress(opt->progress_arg, st->pages_read, plan->nr_pages);
		if (opt->cancel && *opt->cancel)
			err = xc_error(XENCORE_ERROR_OS, "interrupted");
	}
	if (inline_ready)
		codec_fini(&inline_w);
	pipeline_stop(&pl);
	return err;
}

struct xencore_error *filter_zero_map(struct filter_out *o, uint64_t **ret)
{
	*ret = NULL;
	const struct filter_plan *plan = o->plan;
	uint64_t *map = calloc((size_t)(plan->nr_pages / 64 + 1), sizeof(*map));
	struct batch b = { .in = malloc((size_t)BATCH_PAGES * FILTER_PAGE_SIZE) };
	struct xencore_error *err = map && b.in ? NULL : &xencore_enomem;
	struct plan_cursor cur = { 0, 0, 0 };
	/* The rewrite is done again in the copy: count it once. */
	uint64_t rewritten = o->pages_rewritten;
	while (!err && cur.ordinal < plan->nr_pages) {
		if ((err = fill_batch(o, plan, &cur, &b)))
			break;
		for (size_t i = 0; i < b.n; i++)
			if (filter_page_is_zero(b.in + i * FILTER_PAGE_SIZE))
				map[(b.first + i) / 64] |= UINT64_C(1) << ((b.first + i) % 64);
		if (o->opt->cancel && *o->opt->cancel)
			err = xc_error(XENCORE_ERROR_OS, "interrupted");
	}
	o->pages_rewritten = rewritten;
	free(b.in);
	if (err) {
		free(map);
		return err;
	}
	*ret = map;
	return NULL;
}

/* ---- verification ---- */

static bool plan_page_kept(const struct filter_out *o, uint64_t i)
{
	return !o->kept || (o->kept[i / 64] >> (i % 64) & 1);
}

/* Re-reads every page of the output and compares it with the input. */
static struct xencore_error *verify(struct filter_out *o, const char *tmp,
				    struct xencore_filter_stats *st)
{
	struct xencore_dump *out;
	struct xencore_error *err = xencore_dump_open(tmp, NULL, NULL, &out);
	if (err)
		return xc_error_prefix(err, "verify: the output does not open");
	unsigned char *a = malloc(FILTER_PAGE_SIZE), *b = malloc(FILTER_PAGE_SIZE);
	if (!a || !b)
		err = &xencore_enomem;
	uint64_t ordinal = 0;
	for (size_t r = 0; !err && r < o->plan->nr; r++) {
		const struct page_run *run = &o->plan->runs[r];
		for (uint64_t k = 0; !err && k < run->count; k++, ordinal++) {
			if (o->opt->cancel && *o->opt->cancel) {
				err = xc_error(XENCORE_ERROR_OS, "interrupted");
				break;
			}
			if (!plan_page_kept(o, ordinal))
				continue;
			uint64_t pfn = run->pfn + k, mfn = run->mfn + k;
			if ((err = xc_read_pages(o->dump, run->page + k, 1, a)))
				break;
			/* The output holds the rewritten page tables: compare with those. */
			uint64_t rewritten = o->pages_rewritten;
			err = filter_transform(o, pfn, mfn, a);
			o->pages_rewritten = rewritten;
			if (err)
				break;
			if ((err = xencore_read_pfn(out, pfn, b))) {
				err = xc_error_prefix(err, "verify");
				break;
			}
			if (memcmp(a, b, FILTER_PAGE_SIZE)) {
				err = xc_error(XENCORE_ERROR_FORMAT,
					       "verify: pfn 0x%" PRIx64 " differs between the dump and the output",
					       pfn);
				break;
			}
			bool kept;
			if ((err = xencore_has_mfn(out, mfn, &kept)))
				err = xc_error_prefix(err, "verify");
			else if (!kept)
				err = xc_error(XENCORE_ERROR_FORMAT,
					       "verify: the output lost mfn 0x%" PRIx64 " of pfn 0x%" PRIx64,
					       mfn, pfn);
			st->pages_verified++;
		}
	}
	free(a);
	free(b);
	xencore_dump_destroy(out);
	return err;
}

/* ---- the output file ---- */

/* Symbolic links followed to the output at most: the kernel's MAXSYMLINKS. */
#define MAX_LINKS	40

/* What a file that is not a regular one is, for a message. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

/*
 * The file a symbolic link at path names: its text as is when absolute,
 * else taken from path's directory.
 */
static struct xencore_error *follow_link(const char *path, char **next_ret)
{
	char *text = malloc(PATH_MAX);
	if (!text)
		return &xencore_enomem;
	ssize_t n = readlink(path, text, PATH_MAX);
	if (n < 0 || n >= PATH_MAX) {
		struct xencore_error *err =
			xc_error_output(n < 0 ? errno : ENAMETOOLONG,
					   "cannot read a symbolic link to the output");
		free(text);
		return err;
	}
	text[n] = '\0';
	const char *slash = strrchr(path, '/');
	int r;
	if (text[0] == '/' || !slash)
		r = asprintf(next_ret, "%s", text);
	else
		r = asprintf(next_ret, "%.*s%s", (int)(slash + 1 - path), path, text);
	free(text);
	return r < 0 ? &xencore_enomem : NULL;
}

/*
 * The regular file (or new name) to write for path: path itself, or where
 * its symbolic links lead (at most MAX_LINKS of them, followed one at a
 * time; a dangling link's target is created).  Anything else that exists
 * is refused, and so is the input dump, by inode.  *target_ret is freed by
 * the caller.  Messages leave out path: callers name it.
 */
static struct xencore_error *resolve_output_from(const struct stat *in, const char *path,
						 char **target_ret)
{
	struct stat sb;
	if (!*path)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "the output file name is empty");
	char *cur = strdup(path);
	if (!cur)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	bool exists = false;
	unsigned int links = 0;
	for (;;) {
		if (lstat(cur, &sb) < 0) {
			if (errno != ENOENT)
				err = xc_error_output(errno, "cannot look up the output");
			break;
		}
		if (!S_ISLNK(sb.st_mode)) {
			exists = true;
			break;
		}
		if (links++ == MAX_LINKS) {
			err = xc_error_output(ELOOP, "cannot look up the output");
			break;
		}
		char *next;
		if ((err = follow_link(cur, &next)))
			break;
		free(cur);
		cur = next;
	}
	if (!err && exists && !S_ISREG(sb.st_mode)) {
		if (links) {
			char *real = realpath(cur, NULL);
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "is a symbolic link to %s, %s, not a regular file: refusing to write there",
				       real ? real : cur, file_kind(sb.st_mode));
			free(real);
		} else {
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "is %s, not a regular file: refusing to write there",
				       file_kind(sb.st_mode));
		}
	} else if (!err && exists && in && sb.st_dev == in->st_dev && sb.st_ino == in->st_ino) {
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
			       "the output is the input dump: refusing to write over it");
	}
	if (!err && !exists) {
		const char *slash = strrchr(cur, '/');
		const char *base = slash ? slash + 1 : cur;
		if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
			err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				       "names a directory, not a file");
	}
	if (err) {
		free(cur);
		return err;
	}
	*target_ret = cur;
	return NULL;
}

static struct xencore_error *resolve_output(struct xencore_dump *dump, const char *path,
					    char **target_ret)
{
	/* The file the user named: dump->fd may be one rebuilt from it (flattened.c). */
	struct stat in = { .st_dev = dump->input_dev, .st_ino = dump->input_ino };
	return resolve_output_from(&in, path, target_ret);
}

struct xencore_error *xencore_filter_check_output(const char *out_path, const char *dump_path)
{
	/* A dump that cannot be looked up is opening's to report: no inode to compare then. */
	struct stat in;
	bool have_in = !strcmp(dump_path, "-") ? fstat(STDIN_FILENO, &in) == 0 : stat(dump_path, &in) == 0;
	char *target;
	struct xencore_error *err = resolve_output_from(have_in ? &in : NULL, out_path, &target);
	if (!err)
		free(target);
	return err;
}

/*
 * The output while it is written.  Where the filesystem can, it has no
 * name: open(DIR, O_TMPFILE) in the target's directory, so that a run
 * killed by SIGKILL (or a crash, or a power cut) leaves nothing behind:
 * the kernel frees an unnamed file with its last descriptor.  It gets a
 * name only when complete (out_commit()).  A filesystem or kernel without
 * O_TMPFILE (EOPNOTSUPP; EISDIR from kernels before 3.11, which take it
 * for O_DIRECTORY; EINVAL) gets today's named temporary file instead,
 * which a SIGKILL leaves.  Either temporary name is TEMP_NAME, 15 bytes
 * whatever the target's name, so that every name the directory takes
 * (NAME_MAX bytes) can be written.
 */
#define TEMP_NAME	".xencore-XXXXXX"

struct out_file {
	int fd;			/* written; -1 once closed */
	/*
	 * Unnamed: a read-only descriptor of it, opened through /proc (which
	 * linkat() needs too), that keeps it once fd is closed, and its
	 * /proc/self/fd path.  -1 and "" for a named one.
	 */
	int keep;
	char proc[32];
	char *dir;		/* the target's directory */
	char *temp;		/* named: its path until it is renamed */
};

static void out_init(struct out_file *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = f->keep = -1;
}

/* Where the output can be read back (verify). */
static const char *out_read_path(const struct out_file *f)
{
	return f->keep >= 0 ? f->proc : f->temp;
}

/* Creates the output in target's directory: unnamed if it can, else named. */
static struct xencore_error *out_create(const char *target, struct out_file *f)
{
	const char *slash = strrchr(target, '/');
	int dirlen = !slash ? 1 : slash == target ? 1 : (int)(slash - target);
	if (asprintf(&f->dir, "%.*s", dirlen, slash ? target : ".") < 0) {
		f->dir = NULL;
		return &xencore_enomem;
	}
	/* Mode 0600, like makedumpfile's output: dumps hold secrets. */
#ifdef O_TMPFILE
	f->fd = open(f->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (f->fd >= 0) {
		snprintf(f->proc, sizeof(f->proc), "/proc/self/fd/%d", f->fd);
		f->keep = open(f->proc, O_RDONLY | O_CLOEXEC);
		if (f->keep >= 0) {
			snprintf(f->proc, sizeof(f->proc), "/proc/self/fd/%d", f->keep);
			return NULL;
		}
		/* No /proc: linkat() could not name it either. */
		close(f->fd);
		f->fd = -1;
		f->proc[0] = '\0';
	} else if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
		return xc_error_output(errno, "cannot create a temporary file in %s", f->dir);
	}
#endif
	if (asprintf(&f->temp, "%s/" TEMP_NAME, f->dir) < 0) {
		f->temp = NULL;
		return &xencore_enomem;
	}
	f->fd = mkostemp(f->temp, O_CLOEXEC);
	if (f->fd < 0) {
		struct xencore_error *err =
			xc_error_output(errno, "cannot create a temporary file in %s", f->dir);
		free(f->temp);
		f->temp = NULL;
		return err;
	}
	return NULL;
}

/* A new name for the unnamed output, as mkostemp() makes them. */
static struct xencore_error *out_link_temp(struct out_file *f, char **name_ret)
{
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char *name;
	if (asprintf(&name, "%s/" TEMP_NAME, f->dir) < 0)
		return &xencore_enomem;
	char *x = name + strlen(name) - 6;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t r = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		     ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)name;
	if (!r)
		r = 1;	/* xorshift stays at 0 */
	for (int tries = 0; tries < 1000; tries++) {
		for (int i = 0; i < 6; i++) {
			r ^= r << 13;	/* xorshift64 */
			r ^= r >> 7;
			r ^= r << 17;
			x[i] = chars[r % (sizeof(chars) - 1)];
		}
		if (linkat(AT_FDCWD, f->proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
			*name_ret = name;
			return NULL;
		}
		if (errno != EEXIST)
			break;
	}
	struct xencore_error *err =
		xc_error_output(errno, "cannot give the finished output a name in %s", f->dir);
	free(name);
	return err;
}

/*
 * Puts the complete output at target.  A named one is renamed.  An
 * unnamed one is linked (linkat() of its /proc/self/fd path, which needs
 * no privilege, unlike AT_EMPTY_PATH): to target itself when that is a
 * new name, so no other name ever exists; linkat() never replaces, so an
 * existing target is replaced by rename() from a TEMP_NAME linked just
 * before: that name exists only between the two calls (renameat2() has no
 * flag that takes an unnamed file, and RENAME_EXCHANGE would need a name
 * all the same).
 */
static struct xencore_error *out_commit(struct out_file *f, const char *target,
					const char *out_path)
{
	char *from = f->temp;
	if (f->keep >= 0) {
		if (linkat(AT_FDCWD, f->proc, AT_FDCWD, target, AT_SYMLINK_FOLLOW) == 0)
			return NULL;
		if (errno != EEXIST)
			return xc_error_output(errno, "cannot link the finished output into place");
		struct xencore_error *err = out_link_temp(f, &from);
		if (err)
			return err;
	}
	if (rename(from, target) < 0) {
		int e = errno;
		if (f->keep >= 0) {
			unlink(from);
			free(from);
		}
		return strcmp(target, out_path)
			       ? xc_error_output(e, "cannot rename the finished output to %s", target)
			       : xc_error_output(e, "cannot rename the finished output into place");
	}
	if (f->keep >= 0)
		free(from);
	free(f->temp);
	f->temp = NULL;
	return NULL;
}

/* Closes the output; a named one not put into place is removed. */
static void out_discard(struct out_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->keep >= 0)
		close(f->keep);
	if (f->temp)
		unlink(f->temp);
	free(f->temp);
	free(f->dir);
	out_init(f);
}

static struct xencore_error *check_options(const struct xencore_filter_options *opt)
{
	if (opt->dump_level > XENCORE_DL_MAX)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"dump level %u: makedumpfile's levels are 0 to 31", opt->dump_level);
	if ((opt->dump_level & ~(unsigned int)XENCORE_DL_ZERO) && !opt->memmap)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"dump level %u: bits 2, 4, 8 and 16 need the guest kernel's page types (its VMCOREINFO and memmap)",
				opt->dump_level);
	if (opt->memmap && xencore_memmap_info(opt->memmap)->dump_level != opt->dump_level)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"the memmap classifies for dump level %u, not %u",
				xencore_memmap_info(opt->memmap)->dump_level, opt->dump_level);
	if (opt->format != XENCORE_OUTPUT_KDUMP && opt->format != XENCORE_OUTPUT_XC_CORE &&
	    opt->format != XENCORE_OUTPUT_ELF)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "unknown output format %d",
				(int)opt->format);
	if (opt->format == XENCORE_OUTPUT_ELF && !opt->native)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"an ELF core is a native export: its page tables must be rewritten (no raw page tables)");
	unsigned int level_max = 0;
	switch (opt->compression) {
	case XENCORE_COMPRESS_ZLIB: level_max = XENCORE_ZLIB_LEVEL_MAX; break;
	case XENCORE_COMPRESS_ZSTD: level_max = XENCORE_ZSTD_LEVEL_MAX; break;
	case XENCORE_COMPRESS_NONE:
	case XENCORE_COMPRESS_LZO:
	case XENCORE_COMPRESS_SNAPPY: break;
	default:
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "unknown compression %d",
				(int)opt->compression);
	}
	if (opt->stream_fd < 0)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "stream descriptor %d: 0 is none, else a descriptor",
				opt->stream_fd);
	if (opt->stream_fd > 0 && opt->format != XENCORE_OUTPUT_KDUMP)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"only kdump output can be streamed (makedumpfile's flattened format), not %s",
				opt->format == XENCORE_OUTPUT_ELF ? "an ELF core" : "xc_core");
	if (opt->stream_fd > 0 && opt->verify)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"a streamed output cannot be read back to verify it");
	if (opt->compression_level > level_max) {
		if (!level_max)
			return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
					"%s compression has no levels",
					codec_name(opt->compression));
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
				"%s compression level %u is not 1 to %u",
				codec_name(opt->compression), opt->compression_level, level_max);
	}
	return NULL;
}

struct xencore_error *xencore_filter(struct xencore_dump *dump, const char *out_path,
				     const struct xencore_filter_options *caller_opt,
				     struct xencore_filter_stats *stats_ret)
{
	/* The caller's structs as far as its build has them ("Sizes"). */
	struct xencore_filter_options opt_in;
	XC_ABI_IN(&opt_in, caller_opt, XC_SIZE_0_1_FILTER_OPTIONS);
	const struct xencore_filter_options *opt = &opt_in;
	struct xencore_filter_stats st;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	if (stats_ret)
		XC_ABI_OUT(stats_ret, &st, XC_SIZE_0_1_FILTER_STATS);	/* zeroed */
	struct xencore_error *err = check_options(opt);
	char *target = NULL;	/* the file written: out_path, or where its links lead */
	bool streaming = !err && opt->stream_fd > 0;	/* no file: a flattened stream */
	if (err || (!streaming && (err = resolve_output(dump, out_path, &target))))
		return err;

	struct filter_plan plan = { 0 };
	if ((err = build_plan(dump, opt->p2m, &plan))) {
		free(plan.runs);
		free(target);
		return err;
	}
	if (plan.unnamed)
		xc_warn(dump, "%" PRIu64 " dumped pages have no usable pfn and are left out", plan.unnamed);
	struct filter_plan kept = { 0 };
	bool excluding = opt->memmap != NULL;
	if (excluding) {
		if ((err = exclude_pages(opt, &plan, &kept, &st))) {
			free(kept.runs);
			free(plan.runs);
			free(target);
			return err;
		}
		if (st.pages_no_memmap)
			xc_warn(dump, "%" PRIu64 " pages have no readable struct page in the guest's memmap and are kept",
				st.pages_no_memmap);
	}

	const struct filter_writer *wr = opt->format == XENCORE_OUTPUT_KDUMP ? &xc_kdump_writer
				       : opt->format == XENCORE_OUTPUT_ELF ? &elf_writer
				       : &xc_core_writer;
	struct filter_plan elf_plan = { 0 };
	uint64_t refilled = 0;
	if (excluding && opt->format == XENCORE_OUTPUT_ELF &&
	    (err = refill_gaps(&plan, &kept, &elf_plan, &refilled))) {
		free(elf_plan.runs);
		free(kept.runs);
		free(plan.runs);
		free(target);
		return err;
	}
	struct filter_out o = {
		.dump = dump, .opt = opt,
		.plan = !excluding ? &plan : opt->format == XENCORE_OUTPUT_ELF ? &elf_plan : &kept,
		.present = excluding ? &plan : NULL, .fd = -1,
		.path = out_path ? out_path : "-",
		.dump_time = dump->time, .level = opt->dump_level,
	};
	if (opt->format != XENCORE_OUTPUT_XC_CORE && dump->info.has_dump_level)
		o.level |= dump->info.dump_level;
	st.dump_level = o.level;
	/* The page tables: rewritten for a native output, restored for a raw one. */
	bool native_out = opt->native && opt->format != XENCORE_OUTPUT_XC_CORE;
	struct pt_record record = { 0 };
	struct out_file file;
	out_init(&file);
	if (native_out && !dump->pt_pfn && opt->native->set.nr) {
		o.canon = &opt->native->set;
	} else if (!native_out && dump->pt_pfn) {
		if ((err = pt_record_load(dump, &record)))
			goto out;
		o.restore = &record;
	}
	if (streaming) {
		o.stream_fd = opt->stream_fd;
		if ((err = flat_start(o.stream_fd)))
			goto out;
	} else {
		if ((err = out_create(target, &file)))
			goto out;
		o.fd = file.fd;
	}
	if ((err = wr->begin(&o)) || (err = copy_pages(&o, wr, &st)) ||
	    (err = wr->finish(&o)))
		goto out;
	if (opt->format == XENCORE_OUTPUT_ELF)
		st.pages_zero = o.nr_zero;	/* its writer decides (zero runs of 256 and more) */
	st.pages_kept = st.pages_read - st.pages_zero;
	st.pages_rewritten = o.pages_rewritten;
	if (streaming) {
		st.bytes_out = o.size;	/* the kdump file makedumpfile -R makes of it */
		goto written;
	}
	/* A network filesystem may say only now that the disk is full. */
	if (fsync(o.fd) < 0 && errno != EINVAL) {
		err = xc_error_output(errno, "cannot write");
		goto out;
	}
	struct stat sb;
	st.bytes_out = fstat(o.fd, &sb) == 0 ? (uint64_t)sb.st_size : o.size;
	/* Closed before it is put into place: close(2) may report a failed write. */
	int fd = file.fd;
	o.fd = file.fd = -1;
	if (close(fd) < 0) {
		err = xc_error_output(errno, "cannot write");
		goto out;
	}
	if (opt->verify && (err = verify(&o, out_read_path(&file), &st)))
		goto out;
written:
	if (opt->cancel && *opt->cancel) {
		err = xc_error(XENCORE_ERROR_OS, "interrupted");
		goto out;
	}
	/* What out_path is may have changed meanwhile: never a rename over a device. */
	char *again = NULL;
	if (!streaming && (err = resolve_output(dump, out_path, &again)))
		goto out;
	if (!streaming && strcmp(again, target)) {
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
			       "now leads to %s, not %s as it did: changed while the output was written",
			       again, target);
		free(again);
		goto out;
	}
	free(again);
	uint64_t dropped = 0;
	for (int c = XENCORE_PAGE_KEEP + 1; c < XENCORE_PAGE_CLASSES; c++)
		dropped += st.pages_class[c];
	/* An ELF core's short runs of left-out pages are in it (refill_gaps()). */
	st.pages_excluded = plan.unnamed + dropped - refilled;
	st.pages_read += plan.unnamed + dropped - refilled;
	st.pages_unnamed = plan.unnamed;
	st.bytes_in = dump->file_size;
	/* The caller's last word (the CLI's summary) comes before the output exists. */
	if (opt->ready && !opt->ready(opt->ready_arg, &st)) {
		err = xc_error_output(ECANCELED, "not put in place: the caller said no");
		goto out;
	}
	/* The end marker last: a stream cut short before it is no dump to makedumpfile -R. */
	err = streaming ? flat_end(o.stream_fd) : out_commit(&file, target, out_path);

out:
	if (wr->cleanup)
		wr->cleanup(&o);
	out_discard(&file);
	if (!err && stats_ret)
		XC_ABI_OUT(stats_ret, &st, XC_SIZE_0_1_FILTER_STATS);
	free(o.kept);
	free(target);
	pt_record_deinit(&record);
	free(elf_plan.runs);
	free(kept.runs);
	free(plan.runs);
	return err;
}

/* ---- notes for the outputs ---- */

struct xencore_error *filter_xen_notes(struct xencore_dump *dump, uint64_t nr_pages,
				       unsigned char **notes_ret, size_t *len_ret)
{
	*notes_ret = NULL;
	struct xc_buf b = { 0 };
	bool ok = true;
	if (dump->xen_notes) {
		/* Copied note by note; the header note gets the new page count. */
		struct note_iter it = { dump->xen_notes, dump->xen_notes_size, 0 };
		struct note n;
		while (ok && note_next(&it, &n) > 0) {
			size_t at = b.len;
			ok = xc_buf_add(&b, dump->xen_notes + n.offset, n.size);
			if (ok && note_is(&n, XEN_NOTE_NAME) && n.type == XEN_ELFNOTE_DUMPCORE_HEADER &&
			    n.descsz >= XEN_HEADER_DESC_SIZE)
				put_le64(b.p + at + (size_t)(n.desc - (dump->xen_notes + n.offset)) +
						 XEN_HEADER_NR_PAGES,
					 nr_pages);
		}
	} else {
		/* Legacy xc_core has no notes: the ones xg_core.c writes, from its header. */
		unsigned char h[XEN_HEADER_DESC_SIZE], v[8];
		put_le64(h, dump->info.hvm ? XC_CORE_MAGIC_HVM : XC_CORE_MAGIC);
		put_le64(h + 8, dump->info.nr_vcpus);
		put_le64(h + XEN_HEADER_NR_PAGES, nr_pages);
		put_le64(h + 24, dump->info.page_size);
		put_le64(v, 1);
		ok = xc_buf_add_note(&b, XEN_NOTE_NAME, XEN_ELFNOTE_DUMPCORE_NONE, NULL, 0) &&
		     xc_buf_add_note(&b, XEN_NOTE_NAME, XEN_ELFNOTE_DUMPCORE_HEADER, h, sizeof(h)) &&
		     xc_buf_add_note(&b, XEN_NOTE_NAME, XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION, v,
				     sizeof(v));
	}
	if (!ok) {
		xc_buf_free(&b);
		return &xencore_enomem;
	}
	*notes_ret = b.p;
	*len_ret = b.len;
	return NULL;
}
