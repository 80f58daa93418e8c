/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * util.h: what every part of mkxccore uses: little-endian stores and loads
 * (every multi-byte field is written with put_le*(): nothing is ever cast
 * onto a buffer), diagnostics, the deterministic PRNG and file writes.
 */
#ifndef MKXCCORE_UTIL_H
#define MKXCCORE_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PROG "mkxccore"

/* ---- little-endian helpers ---- */

static inline void put_le16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *b, size_t off, uint32_t v)
{
	for (unsigned i = 0; i < 4; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le64(uint8_t *b, size_t off, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t get_le32(const uint8_t *b, size_t off)
{
	uint32_t v = 0;

	for (unsigned i = 4; i-- > 0;)
		v = v << 8 | b[off + i];
	return v;
}

static inline uint64_t get_le64(const uint8_t *b, size_t off)
{
	uint64_t v = 0;

	for (unsigned i = 8; i-- > 0;)
		v = v << 8 | b[off + i];
	return v;
}

static inline void put_str(uint8_t *b, size_t off, size_t field, const char *s)
{
	size_t n = strlen(s);

	memcpy(b + off, s, n < field ? n : field - 1);
}

/* A guest word (unsigned long, a pointer) at b + off. */
static inline void put_word(uint8_t *b, size_t off, uint64_t v, uint32_t w)
{
	if (w == 8)
		put_le64(b, off, v);
	else
		put_le32(b, off, (uint32_t)v);
}

static inline uint64_t get_word(const uint8_t *b, size_t off, uint32_t w)
{
	return w == 8 ? get_le64(b, off) : get_le32(b, off);
}

static inline uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* ---- diagnostics ---- */

/* Prints "mkxccore: message" on stderr; returns -1 for "return fail(...)". */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fail() with libelf's message for the call that failed. */
int fail_elf(const char *call);

/* ---- deterministic randomness ---- */

/* xorshift64 (Marsaglia 2003); the state is never 0. */
static inline uint64_t prng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* splitmix64's finalizer: a fixed hash for the data-page patterns. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- text ---- */

/* A text built line by line into b (at most size bytes); len counts it all. */
struct text {
	char *b;
	size_t size, len;
};

/* Appends to t what printf() would print. */
void text_add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- file writes ---- */

/* Writes all len bytes at off (pwrite() may write fewer); path is for messages. */
int pwrite_all(int fd, const void *buf, size_t len, uint64_t off, const char *path);

#endif /* MKXCCORE_UTIL_H */
