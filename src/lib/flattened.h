/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * flattened.h: makedumpfile's flattened format, written by `filter -o -`
 * (filter.c) and read as input (flattened.c).  The facts and their sources
 * are in flattened.c.
 */
#ifndef XENCORE_FLATTENED_H
#define XENCORE_FLATTENED_H

#include <stdint.h>

#define FLAT_HEADER_SIZE	4096	/* the stream's header block */
#define FLAT_RECORD_SIZE	16	/* a record's header: offset, size */

/* The stream's header block: signature, type 1, version 1, zeros. */
void flat_header(unsigned char h[FLAT_HEADER_SIZE]);

/* A record's header: offset and size, big-endian (-1, -1: the end marker). */
void flat_record(unsigned char h[FLAT_RECORD_SIZE], int64_t offset, int64_t size);

/* The end marker's record header. */
void flat_end_marker(unsigned char h[FLAT_RECORD_SIZE]);

#endif /* XENCORE_FLATTENED_H */
