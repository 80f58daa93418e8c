// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * read-latency-random.c: the throughput half of bench/read-latency: random
 * 8-byte kernel-virtual reads per second through libxencore
 * (xencore_as_read) and through libkdumpfile (kdump_read, KDUMP_KVADDR), over
 * the same address sequence, in the same process.
 *
 * Usage: read-latency-random DUMP BASE SIZE [COUNT [ROUNDS [SEED]]]
 *   BASE, SIZE  the range to read in (the kernel image: _text, _end - _text)
 *   COUNT       reads per round and library (default 1000000)
 *   ROUNDS      rounds, each timing xencore then libkdumpfile (default 3)
 *   SEED        xorshift64 seed (default 1)
 * Addresses are BASE + 8 * (r % (SIZE / 8)), r from xorshift64: 8-aligned,
 * all 8 bytes inside the range.  Both libraries are opened before timing;
 * only the read loops are timed (best round of each).  Before timing, the
 * first 1000 addresses are read through both and must give identical bytes;
 * every round also compares a checksum of all the values read.
 * Prints one line: "XENCORE_READS_PER_S KDUMP_READS_PER_S".
 * Exit: 0 done; 1 a read failed or the libraries disagree; 2 usage.
 *
 * xencore's address space uses vcpu 0's cr3 as its root and no p2m (kernel
 * virtual reads need none), as libkdumpfile uses cpu.0.reg.cr3 once
 * addrxlat.ostype is "linux" (see tests/kdump-kvread.c).
 *
 * Build: gcc -std=c11 -O2 -I include -o read-latency-random \
 *         bench/read-latency-random.c build/.libs/libxencore.a -lelf -lz -llzo2 -lsnappy -lzstd \
 *        $(pkg-config --cflags --libs libkdumpfile)
 */
#define _GNU_SOURCE 1	/* open, close, clock_gettime under -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xencore.h"

#define PROG "read-latency-random"
#define CHECK_FIRST 1000u	/* addresses compared byte for byte before timing */
#define READ_LEN 8u

enum { EXIT_FAIL = 1, EXIT_USAGE = 2 };

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/* xorshift64 (Marsaglia 2003); the state is never 0. */
static uint64_t xorshift64(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t le64(const unsigned char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

struct readers {
	const char *path;
	struct xencore_dump *dump;
	struct xencore_as *as;
	kdump_ctx_t *kctx;
	int kfd;
};

static bool read_xencore(struct readers *r, uint64_t addr, unsigned char *buf)
{
	size_t done;
	struct xencore_error *err = xencore_as_read(r->as, XENCORE_KVADDR, addr, buf,
						    READ_LEN, &done);

	if (!err)
		return true;
	fprintf(stderr, PROG ": %s: xencore: %s\n", r->path, err->message);
	xencore_error_destroy(err);
	return false;
}

static bool read_kdump(struct readers *r, uint64_t addr, unsigned char *buf)
{
	size_t got = READ_LEN;

	if (kdump_read(r->kctx, KDUMP_KVADDR, addr, buf, &got) == KDUMP_OK && got == READ_LEN)
		return true;
	fprintf(stderr, PROG ": %s: libkdumpfile: KVADDR 0x%" PRIx64 ": %s\n", r->path, addr,
		kdump_get_err(r->kctx));
	return false;
}

static bool open_readers(struct readers *r)
{
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	struct xencore_error *err = xencore_dump_open(r->path, NULL, NULL, &r->dump);

	if (!err)
		err = xencore_as_create(r->dump, NULL, NULL, &root, &r->as);
	if (err) {
		fprintf(stderr, PROG ": %s: xencore: %s\n", r->path, err->message);
		xencore_error_destroy(err);
		return false;
	}
	r->kfd = open(r->path, O_RDONLY);
	if (r->kfd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", r->path, strerror(errno));
		return false;
	}
	r->kctx = kdump_new();
	if (!r->kctx) {
		fprintf(stderr, PROG ": %s: kdump_new failed\n", r->path);
		return false;
	}
	if (kdump_open_fd(r->kctx, r->kfd) != KDUMP_OK ||
	    kdump_set_string_attr(r->kctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: libkdumpfile: %s\n", r->path, kdump_get_err(r->kctx));
		return false;
	}
	return true;
}

static void close_readers(struct readers *r)
{
	xencore_as_destroy(r->as);
	xencore_dump_destroy(r->dump);
	if (r->kctx)
		kdump_free(r->kctx);
	if (r->kfd >= 0)
		close(r->kfd);
}

/* One timed pass over addr[0..n) through one library; false if a read failed. */
static bool timed_pass(struct readers *r, bool (*rd)(struct readers *, uint64_t, unsigned char *),
		       const uint64_t *addr, uint64_t n, double *secs_ret, uint64_t *sum_ret)
{
	unsigned char buf[READ_LEN];
	uint64_t sum = 0;
	double t0 = now();

	for (uint64_t i = 0; i < n; i++) {
		if (!rd(r, addr[i], buf))
			return false;
		/* Position-dependent, so that the compiler keeps every read and order counts. */
		sum = sum * 0x100000001b3ULL + le64(buf);
	}
	*secs_ret = now() - t0;
	*sum_ret = sum;
	return true;
}

int main(int argc, char **argv)
{
	uint64_t base, size, count = 1000000, rounds = 3, seed = 1;
	struct readers r = { .kfd = -1 };
	double best_xc = 0, best_kd = 0;
	uint64_t *addr = NULL;
	int rc = EXIT_FAIL;

	if (argc < 4 || argc > 7 || !parse_u64(argv[2], &base) || !parse_u64(argv[3], &size) ||
	    (argc > 4 && !parse_u64(argv[4], &count)) ||
	    (argc > 5 && !parse_u64(argv[5], &rounds)) ||
	    (argc > 6 && !parse_u64(argv[6], &seed)) ||
	    size < READ_LEN || base % READ_LEN || base + size < base ||
	    count < CHECK_FIRST || count > 100000000 || rounds < 1 || rounds > 100 || !seed) {
		fprintf(stderr, "Usage: " PROG " DUMP BASE SIZE [COUNT [ROUNDS [SEED]]]\n"
			"  BASE 8-aligned, SIZE >= 8, %u <= COUNT <= 100000000, 1 <= ROUNDS <= 100,"
			" SEED != 0\n", CHECK_FIRST);
		return EXIT_USAGE;
	}
	r.path = argv[1];
	addr = malloc(count * sizeof(*addr));
	if (!addr) {
		fprintf(stderr, PROG ": out of memory for %" PRIu64 " addresses\n", count);
		return EXIT_FAIL;
	}
	for (uint64_t i = 0, s = seed; i < count; i++)
		addr[i] = base + READ_LEN * (xorshift64(&s) % (size / READ_LEN));
	if (!open_readers(&r))
		goto out;

	for (unsigned i = 0; i < CHECK_FIRST; i++) {
		unsigned char a[READ_LEN], b[READ_LEN];

		if (!read_xencore(&r, addr[i], a) || !read_kdump(&r, addr[i], b))
			goto out;
		if (memcmp(a, b, READ_LEN)) {
			fprintf(stderr, PROG ": %s: read %u at 0x%" PRIx64 ": xencore 0x%016" PRIx64
				", libkdumpfile 0x%016" PRIx64 "\n", r.path, i, addr[i], le64(a),
				le64(b));
			goto out;
		}
	}

	/* Interleaved rounds: drift in machine load hits both libraries alike. */
	for (uint64_t k = 0; k < rounds; k++) {
		double t_xc, t_kd;
		uint64_t sum_xc, sum_kd;

		if (!timed_pass(&r, read_xencore, addr, count, &t_xc, &sum_xc) ||
		    !timed_pass(&r, read_kdump, addr, count, &t_kd, &sum_kd))
			goto out;
		if (sum_xc != sum_kd) {
			fprintf(stderr, PROG ": %s: round %" PRIu64 ": the libraries read different"
				" bytes (checksums 0x%016" PRIx64 ", 0x%016" PRIx64 ")\n", r.path, k,
				sum_xc, sum_kd);
			goto out;
		}
		if (k == 0 || t_xc < best_xc)
			best_xc = t_xc;
		if (k == 0 || t_kd < best_kd)
			best_kd = t_kd;
	}
	printf("%.0f %.0f\n", (double)count / best_xc, (double)count / best_kd);
	rc = fflush(stdout) == 0 ? 0 : EXIT_FAIL;
out:
	close_readers(&r);
	free(addr);
	return rc;
}
