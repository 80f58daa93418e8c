/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.h: a small streaming JSON writer for the commands' --json output. */
#ifndef XENCORE_JSON_H
#define XENCORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool after_key;
	bool pretty;
};

void json_init(struct json *j, FILE *out, bool pretty);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
/* The key of the next member of the current object. */
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
/* len bytes of any value; bytes >= 0x80 as \u0080 .. \u00ff (Latin-1). */
void json_bytes(struct json *j, const char *s, size_t len);
void json_hex(struct json *j, uint64_t v);	/* "0x..." */
void json_uint(struct json *j, uint64_t v);
/* A number with a fixed count of decimals (ratios, seconds). */
void json_fixed(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Ends the document with a newline. */
void json_finish(struct json *j);

#endif /* XENCORE_JSON_H */
