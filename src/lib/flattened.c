// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * flattened.c: makedumpfile's flattened format, the form a dump file takes
 * on a pipe (makedumpfile -F; xencore filter -o -).
 *
 * The format (makedumpfile.h: struct makedumpfile_header,
 * struct makedumpfile_data_header, MAX_SIZE_MDF_HEADER, TYPE_FLAT_HEADER,
 * VERSION_FLAT_HEADER, END_FLAG_FLAT_HEADER; makedumpfile.c:
 * write_start_flat_header(), write_buffer(), write_end_flat_header()):
 *   - a header block of MAX_SIZE_MDF_HEADER (4096) bytes: the signature
 *     "makedumpfile" in SIG_LEN_MDF (16) bytes, NUL padded (strncpy), then
 *     type and version as big-endian int64, both 1; zeros after;
 *   - then a record for every write(2) the file would have had: its offset
 *     and size as big-endian int64, then the size bytes;
 *   - then the end marker, an offset and a size of END_FLAG_FLAT_HEADER (-1).
 * makedumpfile -R (makedumpfile.c: rearrange_dumpdata(),
 * read_start_flat_header(), read_flat_data_header()) rebuilds the file by
 * writing each record at its offset: it checks the signature with strcmp()
 * and the type (not the version), reads records while the offset is >= 0
 * and the size > 0, and then wants exactly (-1, -1).
 */
#include <config.h>

#include <string.h>

#include "flattened.h"

#define FLAT_SIGNATURE		"makedumpfile"
#define FLAT_SIG_LEN		16
#define FLAT_TYPE		1
#define FLAT_VERSION		1
#define FLAT_END		(-1)

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

void flat_header(unsigned char h[FLAT_HEADER_SIZE])
{
	memset(h, 0, FLAT_HEADER_SIZE);
	memcpy(h, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE) - 1);
	put_be64(h + FLAT_SIG_LEN, FLAT_TYPE);
	put_be64(h + FLAT_SIG_LEN + 8, FLAT_VERSION);
}

void flat_record(unsigned char h[FLAT_RECORD_SIZE], int64_t offset, int64_t size)
{
	put_be64(h, (uint64_t)offset);
	put_be64(h + 8, (uint64_t)size);
}

void flat_end_marker(unsigned char h[FLAT_RECORD_SIZE])
{
	flat_record(h, FLAT_END, FLAT_END);
}
