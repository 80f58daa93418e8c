// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * codec.c: compressing one 4 KiB page the way a kdump file stores it.
 *
 * makedumpfile compresses each page alone and keeps the result only when it
 * is shorter than the page (makedumpfile.c: write_kdump_pages_cyclic(),
 * with compress2(..., Z_BEST_SPEED), lzo1x_1_compress(), snappy_compress()
 * or ZSTD_compressCCtx(..., 1)); libkdumpfile and crash decompress each page
 * alone.  xencore does the same, with one state per thread reused for every
 * page, and one difference: a page that looks incompressible is stored as
 * it is without a try (codec_page_incompressible()).
 */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>

#include "codec.h"

#define PAGE	4096

/*
 * lzo1x_1_compress() and snappy_compress() need room for their worst case
 * (lzo: 4096 + 4096 / 16 + 64 + 3; snappy: 32 + 4096 + 4096 / 6), more
 * than the caller's slot; the page is copied out when it shrank.
 */
#define SCRATCH_SIZE	(PAGE + PAGE / 4 + 128)

/*
 * A page is not tried when both tests below say it cannot shrink.  Such
 * pages (compressed files in the page cache, encrypted or random data) cost
 * deflate as much time as any other page (all literals, a hash insert per
 * byte) and are then stored raw anyway; with 20% of them, deflate spends a
 * third of its time on them.
 *
 * 1. The byte histogram is nearly flat: the sum of the squared counts is
 *    at most 72,704, i.e. the collision entropy -log2(sum (c/4096)^2) is at
 *    least 7.85 bits a byte, and so is the Shannon entropy, which is never
 *    smaller.  An entropy coder (deflate's and zstd's Huffman literals)
 *    then saves at most 0.15 bit a byte, 77 bytes of a page, less than the
 *    code table it would have to write first; lzo and snappy have no
 *    entropy stage, so for them the bound is stricter than it needs to be.
 *    A page of uniform random bytes has an expected sum of 69,616 (4096 +
 *    4096 * 4095 / 256); compressible pages are far above it (text: about
 *    10^6).
 * 2. Almost nothing repeats: fewer than 8 of the page's positions start 4
 *    bytes that also start at the last earlier position with the same hash
 *    (an 8192-entry table, every position inserted).  A repeated stretch
 *    of n bytes counts most of its n - 3 positions (a later position with
 *    the same hash can take the slot first), so a page with repetition a
 *    codec could use (snappy shrinks a random page from 12 repeated bytes
 *    on, lzo from about 20) is tried.  Random bytes count 0 to 3.
 * What a page not tried could have saved is a few bytes (tests/test-units.c
 * test_codec() bounds it at 16 for every codec on pages made to sit at
 * both limits).
 */
#define FLAT_SUMSQ_MAX	72704u
#define REPEATS_MIN	8u
/* The first look, at 256 bytes: far above random, far below anything else. */
#define SAMPLE_SUMSQ_MAX	1024u

/* The sum of the squared byte counts of every step-th byte of the page. */
static uint64_t sum_of_squares(const unsigned char *p, size_t step)
{
	/* Four histograms, so runs of equal bytes do not wait on each other. */
	uint16_t h[4][256];
	memset(h, 0, sizeof(h));
	for (size_t i = 0; i < PAGE; i += 4 * step) {
		h[0][p[i]]++;
		h[1][p[i + step]]++;
		h[2][p[i + 2 * step]]++;
		h[3][p[i + 3 * step]]++;
	}
	uint64_t sum = 0;
	for (size_t k = 0; k < 256; k++) {
		uint32_t c = (uint32_t)h[0][k] + h[1][k] + h[2][k] + h[3][k];
		sum += (uint64_t)c * c;
	}
	return sum;
}

static bool histogram_flat(const unsigned char *p)
{
	/*
	 * Most pages are far from flat, and every 16th byte says so: 256
	 * uniform random bytes give a sum of 511 on average (256 + 256 * 255
	 * / 256) with a standard deviation near 23 (bench/filter's 52,530
	 * random pages: at most 620); the other pages of that bench and of the
	 * pagetypes guest are nearly all far above it.
	 */
	if (sum_of_squares(p, 16) > SAMPLE_SUMSQ_MAX)
		return false;
	return sum_of_squares(p, 1) <= FLAT_SUMSQ_MAX;
}

static bool few_repeats(const unsigned char *p)
{
	uint16_t last[8192];	/* position of the last 4 bytes with this hash */
	memset(last, 0, sizeof(last));
	unsigned int repeats = 0;
	for (uint32_t i = 0; i + 4 <= PAGE; i++) {
		uint32_t v, w;
		memcpy(&v, p + i, 4);
		uint32_t h = (v * 2654435761u) >> 19;
		memcpy(&w, p + last[h], 4);
		repeats += v == w && i;	/* branch-free: the compare is at random */
		last[h] = (uint16_t)i;
	}
	return repeats < REPEATS_MIN;
}

bool codec_page_incompressible(const unsigned char *page)
{
	return histogram_flat(page) && few_repeats(page);
}

static pthread_once_t lzo_once = PTHREAD_ONCE_INIT;
static bool lzo_ok;

static void lzo_start(void)
{
	lzo_ok = lzo_init() == LZO_E_OK;
}

size_t codec_compress(struct codec *c, const unsigned char *page, unsigned char *out,
		      size_t out_size, bool *untried)
{
	size_t len = 0;
	*untried = false;
	if (c->kind == XENCORE_COMPRESS_NONE)
		return 0;
	if (codec_page_incompressible(page)) {
		*untried = true;
		return 0;
	}
	switch (c->kind) {
	case XENCORE_COMPRESS_ZLIB:
		/* compress2() on each page, without its allocations. */
		if (!c->zs_ready || deflateReset(&c->zs) != Z_OK)
			return 0;
		c->zs.next_in = (Bytef *)page;
		c->zs.avail_in = PAGE;
		c->zs.next_out = out;
		c->zs.avail_out = (uInt)out_size;
		if (deflate(&c->zs, Z_FINISH) != Z_STREAM_END)
			return 0;
		len = c->zs.total_out;
		break;
	case XENCORE_COMPRESS_LZO: {
		lzo_uint n = SCRATCH_SIZE;
		if (lzo1x_1_compress(page, PAGE, c->scratch, &n, c->lzo_wrkmem) != LZO_E_OK)
			return 0;
		len = n;
		break;
	}
	case XENCORE_COMPRESS_SNAPPY: {
		size_t n = SCRATCH_SIZE;
		if (snappy_compress((const char *)page, PAGE, (char *)c->scratch, &n) != SNAPPY_OK)
			return 0;
		len = n;
		break;
	}
	case XENCORE_COMPRESS_ZSTD:
		/* Past out_size it could not have shrunk anyway: an error, stored raw. */
		len = ZSTD_compressCCtx(c->zcctx, out, out_size, page, PAGE, c->level);
		if (ZSTD_isError(len))
			return 0;
		break;
	default:
		return 0;
	}
	if (len == 0 || len >= PAGE)
		return 0;
	if (c->kind == XENCORE_COMPRESS_LZO || c->kind == XENCORE_COMPRESS_SNAPPY)
		memcpy(out, c->scratch, len);
	return len;
}

void codec_fini(struct codec *c)
{
	if (c->zs_ready)
		deflateEnd(&c->zs);
	c->zs_ready = false;
	free(c->lzo_wrkmem);
	c->lzo_wrkmem = NULL;
	ZSTD_freeCCtx(c->zcctx);
	c->zcctx = NULL;
	free(c->scratch);
	c->scratch = NULL;
}

bool codec_init(struct codec *c, enum xencore_compression kind, int level)
{
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->level = level;
	bool ok = true;
	switch (kind) {
	case XENCORE_COMPRESS_ZLIB:
		/* makedumpfile: compress2(..., Z_BEST_SPEED), i.e. zlib's defaults at level 1. */
		ok = c->zs_ready = deflateInit(&c->zs, level) == Z_OK;
		break;
	case XENCORE_COMPRESS_LZO:
		pthread_once(&lzo_once, lzo_start);
		c->lzo_wrkmem = malloc(LZO1X_1_MEM_COMPRESS);
		c->scratch = malloc(SCRATCH_SIZE);
		ok = lzo_ok && c->lzo_wrkmem && c->scratch;
		break;
	case XENCORE_COMPRESS_SNAPPY:
		c->scratch = malloc(SCRATCH_SIZE);
		ok = c->scratch && snappy_max_compressed_length(PAGE) <= SCRATCH_SIZE;
		break;
	case XENCORE_COMPRESS_ZSTD:
		ok = (c->zcctx = ZSTD_createCCtx()) != NULL;
		break;
	default:
		break;
	}
	if (!ok)
		codec_fini(c);
	return ok;
}

const char *codec_name(enum xencore_compression kind)
{
	switch (kind) {
	case XENCORE_COMPRESS_ZLIB: return "zlib";
	case XENCORE_COMPRESS_LZO: return "lzo";
	case XENCORE_COMPRESS_SNAPPY: return "snappy";
	case XENCORE_COMPRESS_ZSTD: return "zstd";
	default: return "none";
	}
}
