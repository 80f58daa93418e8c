// SPDX-License-Identifier: LGPL-2.1-or-later
/* json.c: a small streaming JSON writer for the commands' --json output. */
#include <config.h>

#include <inttypes.h>
#include <string.h>

#include "json.h"

void json_init(struct json *j, FILE *out, bool pretty)
{
	j->out = out;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
	j->pretty = pretty;
}

static void indent(struct json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("  ", j->out);
}

/* Separator and indentation before a value or a key. */
static void before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0) {
		if (!j->first[j->depth])
			fputc(',', j->out);
		indent(j);
	}
	j->first[j->depth] = false;
}

static void open_container(struct json *j, char c)
{
	before_item(j);
	fputc(c, j->out);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_container(struct json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->out);
}

void json_object_begin(struct json *j) { open_container(j, '{'); }
void json_object_end(struct json *j) { close_container(j, '}'); }
void json_array_begin(struct json *j) { open_container(j, '['); }
void json_array_end(struct json *j) { close_container(j, ']'); }

/*
 * len bytes as a JSON string.  With latin1, a byte >= 0x80 becomes the code
 * point of its value (\u0080 .. \u00ff), so any bytes stay valid JSON and
 * come back exactly (Python: text.encode("latin-1")); without, it is copied
 * (names and paths, UTF-8 already).
 */
static void put_bytes(FILE *out, const char *s, size_t len, bool latin1)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; len--; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f || (latin1 && *p > 0x7f))
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

static void put_string(FILE *out, const char *s)
{
	put_bytes(out, s, strlen(s), false);
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	put_string(j->out, key);
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	before_item(j);
	put_string(j->out, s);
}

void json_bytes(struct json *j, const char *s, size_t len)
{
	before_item(j);
	put_bytes(j->out, s, len, true);
}

void json_hex(struct json *j, uint64_t v)
{
	before_item(j);
	fprintf(j->out, "\"0x%" PRIx64 "\"", v);
}

void json_uint(struct json *j, uint64_t v)
{
	before_item(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_fixed(struct json *j, double v, int decimals)
{
	before_item(j);
	fprintf(j->out, "%.*f", decimals, v);
}

void json_bool(struct json *j, bool v)
{
	before_item(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	before_item(j);
	fputs("null", j->out);
}

void json_finish(struct json *j)
{
	fputc('\n', j->out);
}
