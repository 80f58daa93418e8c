/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* codec.h: compressing one 4 KiB page as a kdump file stores it. */
#ifndef XENCORE_CODEC_H
#define XENCORE_CODEC_H

#include <stdbool.h>
#include <stddef.h>

#include <zlib.h>
#include <zstd.h>

#include "xencore.h"

/* One thread's codec state, reused for every page it compresses. */
struct codec {
	enum xencore_compression kind;	/* NONE: no compression */
	int level;
	z_stream zs;
	bool zs_ready;
	void *lzo_wrkmem;		/* LZO1X_1_MEM_COMPRESS bytes */
	ZSTD_CCtx *zcctx;
	unsigned char *scratch;		/* lzo and snappy write here */
};

bool codec_init(struct codec *c, enum xencore_compression kind, int level);
void codec_fini(struct codec *c);
/*
 * Compresses a 4096-byte page into out (room for out_size bytes, at least
 * 4096 + 64): its length, or 0 when it is to be stored as it is: it did
 * not shrink, or (*untried) it was not tried, looking incompressible.
 */
size_t codec_compress(struct codec *c, const unsigned char *page, unsigned char *out,
		      size_t out_size, bool *untried);
const char *codec_name(enum xencore_compression kind);
/* The test codec_compress() makes before trying: true if page cannot shrink. */
bool codec_page_incompressible(const unsigned char *page);

#endif
