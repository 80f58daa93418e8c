/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * flattened.h: makedumpfile's flattened format, written by `filter -o -`
 * (filter.c) and read as input (flattened.c).  The facts and their sources
 * are in flattened.c.
 */
#ifndef XENCORE_FLATTENED_H
#define XENCORE_FLATTENED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "xencore.h"

struct xencore_dump;

#define FLAT_HEADER_SIZE	4096	/* the stream's header block */
#define FLAT_RECORD_SIZE	16	/* a record's header: offset, size */

/* The stream's header block: signature, type 1, version 1, zeros. */
void flat_header(unsigned char h[FLAT_HEADER_SIZE]);

/* A record's header: offset and size, big-endian (-1, -1: the end marker). */
void flat_record(unsigned char h[FLAT_RECORD_SIZE], int64_t offset, int64_t size);

/* The end marker's record header. */
void flat_end_marker(unsigned char h[FLAT_RECORD_SIZE]);

/* Whether head (len bytes of a file's start) begins with the signature. */
bool flat_probe(const unsigned char *head, size_t len);

/*
 * The dump's input (dump->fd, as st describes it; dump->file_size its size
 * if regular): a flattened stream is rebuilt into an unlinked temporary
 * file, which becomes dump->fd (and dump->file_size; dump->flattened is
 * set); a regular file of another kind is left to be read in place; a pipe
 * or socket must hold a stream, anything else is refused.  Errors say what
 * is wrong with the stream, or with the temporary file.
 */
struct xencore_error *flat_open_input(struct xencore_dump *dump, const struct stat *st);

#endif /* XENCORE_FLATTENED_H */
