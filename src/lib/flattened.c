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
 * and the size > 0, and then wants exactly (-1, -1).  What comes after the
 * end marker it never reads.
 *
 * What the writers emit (seen on makedumpfile 1.7.2's -F output of a
 * native vmcore, and xencore's): records come in no offset order.
 * makedumpfile writes the kdump header at 0 first, then the notes, the
 * sub-header, the bitmaps, and page descriptors interleaved with page data
 * as its two caches fill; xencore writes the pages first and the header
 * blocks last.  Neither writes a byte of a kdump file twice, except that
 * makedumpfile rewrites the sub-header once its eraseinfo is known
 * (update_eraseinfo_of_sub_header(): the same offset and size again), and
 * with -E the program headers (its first record, again near the end).  The
 * holes they leave (the rest of the header block, before the bitmaps) are
 * a few KiB.
 *
 * Reading one as xencore's input (flat_open_input()), it is rebuilt as -R
 * would into an unlinked temporary file, which is then read as a kdump
 * file.  Refused, besides what -R refuses: another version; a record that
 * writes bytes an earlier one wrote, unless it repeats exactly the range
 * of one of the first FLAT_REWRITABLE records (a header made final, the
 * later bytes win, as with -R); anything after the end marker (two streams
 * one after the other, say); a file with nothing at offset 0 or made mostly
 * of holes (its sizes would no longer be bounded by the bytes read: the
 * readers check offsets and sizes against the file's size); and a file
 * that is not a kdump file (a flattened stream again, or an ELF file).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump-priv.h"
#include "error.h"
#include "flattened.h"

#define FLAT_SIGNATURE		"makedumpfile"
#define FLAT_SIG_LEN		16
#define FLAT_TYPE		1
#define FLAT_VERSION		1
#define FLAT_END		(-1)

/* The copy goes through this much memory, whatever the stream. */
#define FLAT_COPY_BUF		(1024 * 1024)
/* Records this large, from a regular file, are copied by the kernel. */
#define FLAT_COPY_RANGE_MIN	(64 * 1024)
/*
 * Separate written ranges at once: the writers make a handful (the headers,
 * the descriptors, the page data); 4096 of them take 64 KiB.
 */
#define FLAT_MAX_PIECES		4096
/* How many of the first records may be written again, exactly. */
#define FLAT_REWRITABLE		64
/* Holes in the rebuilt file: at most as many bytes as written, plus this. */
#define FLAT_HOLE_SLACK		(UINT64_C(1) << 20)

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

static uint64_t be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

bool flat_probe(const unsigned char *head, size_t len)
{
	/* read_start_flat_header()'s strcmp(): the signature and its NUL. */
	return len >= sizeof(FLAT_SIGNATURE) && !memcmp(head, FLAT_SIGNATURE, sizeof(FLAT_SIGNATURE));
}

/* A range of the rebuilt file: [start, end). */
struct piece {
	uint64_t start, end;
};

struct flat_in {
	int fd;			/* the stream */
	bool seekable;		/* a regular file: pread(), size known */
	bool no_copy_range;	/* copy_file_range() does not work between the two */
	uint64_t size;		/* the stream's size, when seekable */
	uint64_t pos;		/* bytes of the stream read */
	uint64_t records;	/* records read */
	const char *dir;	/* where the rebuilt file is */
	int out;		/* the rebuilt file (unlinked) */
	unsigned char *buf;	/* FLAT_COPY_BUF */
	/* What the records wrote: sorted, disjoint, never touching. */
	struct piece *pieces;
	size_t nr_pieces, cap_pieces;
	struct piece early[FLAT_REWRITABLE];	/* the first records' ranges */
	size_t nr_early;
	uint64_t written;	/* bytes written (rewrites counted once) */
	uint64_t end;		/* the rebuilt file's size */
};

static struct xencore_error *bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static struct xencore_error *bad(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xc_error(XENCORE_ERROR_FORMAT, "flattened stream: %s", msg);
}

/* Up to len bytes of the stream; *got says how many (fewer: it ended). */
static struct xencore_error *stream_read(struct flat_in *in, void *buf, size_t len, size_t *got)
{
	unsigned char *p = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = in->seekable ? pread(in->fd, p + done, len - done, (off_t)(in->pos + done))
					 : read(in->fd, p + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xc_error_os(errno, "cannot read");
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	in->pos += done;
	*got = done;
	return NULL;
}

static struct xencore_error *write_error(const struct flat_in *in, int errnum)
{
	return xc_error_os(errnum, "cannot write the file rebuilt from the flattened stream in %s",
			   in->dir);
}

static struct xencore_error *write_out(struct flat_in *in, const unsigned char *p, size_t len,
				       uint64_t off)
{
	while (len) {
		ssize_t n = pwrite(in->out, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return write_error(in, errno);
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return NULL;
}

/*
 * The rebuilt file, unlinked from the start: O_TMPFILE in $TMPDIR (else
 * /var/tmp, where large files belong), so that nothing is left whatever
 * ends the process; without O_TMPFILE a named file, unlinked at once.
 */
static struct xencore_error *make_temp(struct flat_in *in)
{
	const char *dir = getenv("TMPDIR");
	in->dir = dir && *dir ? dir : "/var/tmp";
	in->out = open(in->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (in->out >= 0)
		return NULL;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return xc_error_os(errno, "cannot make a temporary file in %s to rebuild the flattened stream",
				   in->dir);
	char *name;
	if (asprintf(&name, "%s/.xencore-XXXXXX", in->dir) < 0)
		return &xencore_enomem;
	in->out = mkostemp(name, O_CLOEXEC);
	int e = errno;
	if (in->out >= 0 && unlink(name) < 0) {
		e = errno;
		close(in->out);
		in->out = -1;
	}
	free(name);
	return in->out < 0 ? xc_error_os(e, "cannot make a temporary file in %s to rebuild the flattened stream",
					 in->dir)
			   : NULL;
}

/*
 * Notes that record n (at byte `at` of the stream) writes [a, b): refused
 * if it writes bytes an earlier record wrote, unless it is a rewrite
 * (one of the first records' ranges exactly); refused past FLAT_MAX_PIECES
 * separate ranges.
 */
static struct xencore_error *place(struct flat_in *in, uint64_t a, uint64_t b, uint64_t at)
{
	struct piece *p = in->pieces;
	size_t lo = 0, hi = in->nr_pieces;
	while (lo < hi) {	/* the first piece ending at a or later */
		size_t mid = lo + (hi - lo) / 2;
		if (p[mid].end < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t j = lo;
	bool left = j < in->nr_pieces && p[j].end == a;
	if (left)
		j++;
	if (j < in->nr_pieces && p[j].start < b) {
		for (size_t i = 0; i < in->nr_early; i++)
			if (in->early[i].start == a && in->early[i].end == b)
				return NULL;	/* a rewrite: the later bytes win */
		uint64_t from = a > p[j].start ? a : p[j].start, to = b < p[j].end ? b : p[j].end;
		return bad("record %" PRIu64 " (byte %" PRIu64 "; %" PRIu64 " bytes for offset 0x%" PRIx64
			   ") writes 0x%" PRIx64 "-0x%" PRIx64 " again, which an earlier record wrote",
			   in->records, at, b - a, a, from, to - 1);
	}
	bool right = j < in->nr_pieces && p[j].start == b;
	if (left && right) {
		p[j - 1].end = p[j].end;
		memmove(p + j, p + j + 1, (in->nr_pieces - j - 1) * sizeof(*p));
		in->nr_pieces--;
	} else if (left) {
		p[j - 1].end = b;
	} else if (right) {
		p[j].start = a;
	} else {
		if (in->nr_pieces == FLAT_MAX_PIECES)
			return bad("record %" PRIu64 " (byte %" PRIu64 ") makes more than %d separate ranges of the file written: not a stream makedumpfile or xencore writes",
				   in->records, at, FLAT_MAX_PIECES);
		if (in->nr_pieces == in->cap_pieces) {
			size_t cap = in->cap_pieces ? 2 * in->cap_pieces : 16;
			p = realloc(in->pieces, cap * sizeof(*p));
			if (!p)
				return &xencore_enomem;
			in->pieces = p;
			in->cap_pieces = cap;
		}
		memmove(p + j + 1, p + j, (in->nr_pieces - j) * sizeof(*p));
		p[j] = (struct piece){ a, b };
		in->nr_pieces++;
	}
	if (in->nr_early < FLAT_REWRITABLE)
		in->early[in->nr_early++] = (struct piece){ a, b };
	in->written += b - a;
	if (b > in->end)
		in->end = b;
	return NULL;
}

static struct xencore_error *cut_short(const struct flat_in *in, uint64_t at, uint64_t size,
				       uint64_t off, uint64_t have)
{
	return bad("cut short: record %" PRIu64 " (byte %" PRIu64 "; %" PRIu64 " bytes for offset 0x%" PRIx64
		   ") has only %" PRIu64 " of its bytes",
		   in->records, at, size, off, have);
}

/* Copies record n's size bytes (at byte `at`) to offset off of the rebuilt file. */
static struct xencore_error *copy_record(struct flat_in *in, uint64_t off, uint64_t size,
					 uint64_t at)
{
	uint64_t done = 0;
	if (in->seekable && size > in->size - in->pos)
		return cut_short(in, at, size, off, in->size - in->pos);
	if (in->seekable && size >= FLAT_COPY_RANGE_MIN && !in->no_copy_range) {
		loff_t from = (loff_t)in->pos, to = (loff_t)off;
		while (done < size) {
			ssize_t n = copy_file_range(in->fd, &from, in->out, &to, size - done, 0);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
				      errno == EOPNOTSUPP || errno == EBADF)) {
				in->no_copy_range = true;	/* the rest as below */
				break;
			}
			if (n < 0)
				return write_error(in, errno);
			if (n == 0)
				break;	/* shorter than it was: the reads below say so */
			done += (uint64_t)n;
		}
		in->pos += done;
	}
	while (done < size) {
		size_t len = size - done < FLAT_COPY_BUF ? (size_t)(size - done) : FLAT_COPY_BUF, got;
		struct xencore_error *err = stream_read(in, in->buf, len, &got);
		if (err)
			return err;
		if (got < len)
			return cut_short(in, at, size, off, done + got);
		if ((err = write_out(in, in->buf, len, off + done)))
			return err;
		done += len;
	}
	return NULL;
}

/* The records, up to the end marker. */
static struct xencore_error *rebuild(struct flat_in *in)
{
	for (;;) {
		unsigned char h[FLAT_RECORD_SIZE];
		uint64_t at = in->pos;
		size_t got;
		struct xencore_error *err = stream_read(in, h, sizeof(h), &got);
		if (err)
			return err;
		if (!got)
			return bad("cut short: it ends at byte %" PRIu64 ", after %" PRIu64 " records, without the end marker",
				   at, in->records);
		if (got < sizeof(h))
			return bad("cut short: it ends inside the header of record %" PRIu64 " (byte %" PRIu64 ")",
				   in->records + 1, at);
		int64_t off = (int64_t)be64(h), size = (int64_t)be64(h + 8);
		if (off == FLAT_END && size == FLAT_END)
			return NULL;
		in->records++;
		if (off < 0 || size <= 0)
			return bad("record %" PRIu64 " (byte %" PRIu64 ") has offset %" PRId64 " and size %" PRId64
				   ": neither data (offset 0 or more, size 1 or more) nor the end marker (-1, -1)",
				   in->records, at, off, size);
		if (off > INT64_MAX - size)
			return bad("record %" PRIu64 " (byte %" PRIu64 "): offset 0x%" PRIx64 " and size 0x%" PRIx64
				   " end past 2^63",
				   in->records, at, (uint64_t)off, (uint64_t)size);
		if ((err = place(in, (uint64_t)off, (uint64_t)(off + size), at)) ||
		    (err = copy_record(in, (uint64_t)off, (uint64_t)size, at)))
			return err;
	}
}

/* After the end marker: nothing, and the rebuilt file must be a kdump file. */
static struct xencore_error *check_rebuilt(struct flat_in *in)
{
	uint64_t marker_end = in->pos;
	unsigned char extra[1];
	size_t got = 0;
	struct xencore_error *err = stream_read(in, extra, sizeof(extra), &got);
	if (err)
		return err;
	if (got)
		return bad("more data after its end marker (byte %" PRIu64 "): two streams one after the other?",
			   marker_end);
	if (!in->nr_pieces || in->pieces[0].start)
		return bad("no record writes offset 0, where the file's header goes");
	if (in->end - in->written > in->written + FLAT_HOLE_SLACK)
		return bad("its records write %" PRIu64 " bytes of a %" PRIu64 "-byte file: the rest would be holes",
			   in->written, in->end);
	unsigned char head[64];
	size_t len = in->end < sizeof(head) ? (size_t)in->end : sizeof(head);
	ssize_t n = pread(in->out, head, len, 0);
	if (n < 0)
		return xc_error_os(errno, "cannot read the file rebuilt from the flattened stream");
	if (flat_probe(head, (size_t)n))
		return bad("it holds another flattened stream, not a kdump file");
	if (!xc_kdump_ops.probe(head, (size_t)n))
		return bad("it holds %s, not a kdump file (xencore reads only kdump files from a flattened stream)",
			   n >= 4 && !memcmp(head, "\177ELF", 4) ? "an ELF file" : "something else");
	return NULL;
}

struct xencore_error *flat_open_input(struct xencore_dump *dump, const struct stat *st)
{
	bool seekable = S_ISREG(st->st_mode);
	const char *kind = S_ISFIFO(st->st_mode) ? "a pipe" : S_ISSOCK(st->st_mode) ? "a socket" : NULL;
	if (!seekable && !kind)
		/* Sizes and offsets are checked against the file size. */
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "not a regular file");
	struct flat_in in = {
		.fd = dump->fd, .seekable = seekable, .size = dump->file_size, .out = -1,
	};
	unsigned char head[FLAT_HEADER_SIZE];
	size_t got;
	struct xencore_error *err = stream_read(&in, head, sizeof(head), &got);
	if (err)
		return err;
	if (!flat_probe(head, got)) {
		if (seekable)
			return NULL;	/* read in place */
		if (!got)
			return xc_error(XENCORE_ERROR_FORMAT, "%s with nothing in it", kind);
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"%s: only makedumpfile's flattened format (xencore filter -o -, makedumpfile -F) can be read from a pipe; save other dumps to a file",
				kind);
	}
	if (got < FLAT_HEADER_SIZE)
		return bad("cut short: it ends inside its %d-byte header, at byte %zu", FLAT_HEADER_SIZE, got);
	int64_t type = (int64_t)be64(head + FLAT_SIG_LEN), version = (int64_t)be64(head + FLAT_SIG_LEN + 8);
	if (type != FLAT_TYPE || version != FLAT_VERSION)
		return bad("type %" PRId64 ", version %" PRId64 ": not makedumpfile's type %d, version %d",
			   type, version, FLAT_TYPE, FLAT_VERSION);
	in.buf = malloc(FLAT_COPY_BUF);
	if (!in.buf)
		return &xencore_enomem;
	if (!(err = make_temp(&in)) && !(err = rebuild(&in)) && !(err = check_rebuilt(&in))) {
		close(dump->fd);
		dump->fd = in.out;
		in.out = -1;
		dump->file_size = in.end;
		dump->flattened = true;
	}
	if (in.out >= 0)
		close(in.out);	/* unlinked: nothing is left */
	free(in.pieces);
	free(in.buf);
	return err;
}
