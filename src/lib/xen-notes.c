// SPDX-License-Identifier: LGPL-2.1-or-later
/* xen-notes.c: reading and writing ELF notes, and Xen's xc_core notes. */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "xen-notes.h"

/* xen_dumpcore_elfnote_xen_version_desc: major @0, minor @8, extra[16] @16. */
#define VERSION_DESC_MIN	32
/* ... and the page size at 1272 (64-bit guests) or 1268 (32-bit). */
#define VERSION_DESC_FULL	1280

void xc_buf_free(struct xc_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

bool xc_buf_add(struct xc_buf *b, const void *data, size_t len)
{
	if (!len)
		return true;	/* an empty buffer's p is NULL: no arithmetic on it */
	if (len > SIZE_MAX / 2 - b->len)
		return false;
	if (b->len + len > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + len)
			cap *= 2;
		unsigned char *p = realloc(b->p, cap);
		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	if (data)
		memcpy(b->p + b->len, data, len);
	else
		memset(b->p + b->len, 0, len);
	b->len += len;
	return true;
}

static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

bool xc_buf_add_note(struct xc_buf *b, const char *name, uint32_t type,
		     const void *desc, size_t descsz)
{
	size_t namesz = strlen(name) + 1;
	unsigned char h[12];
	if (descsz > UINT32_MAX)
		return false;
	put_le32(h, (uint32_t)namesz);
	put_le32(h + 4, (uint32_t)descsz);
	put_le32(h + 8, type);
	return xc_buf_add(b, h, sizeof(h)) && xc_buf_add(b, name, namesz) &&
	       xc_buf_add(b, NULL, pad4(namesz)) && xc_buf_add(b, desc, descsz) &&
	       xc_buf_add(b, NULL, pad4(descsz));
}

int note_next(struct note_iter *it, struct note *n)
{
	if (it->off >= it->len)
		return 0;
	size_t left = it->len - it->off;
	const unsigned char *h = it->p + it->off;
	if (left < 12)
		return -1;
	uint64_t namesz = le32(h), descsz = le32(h + 4);
	uint64_t name_end = 12 + namesz + pad4((size_t)namesz);
	uint64_t end = name_end + descsz;
	if (end > left)
		return -1;
	n->type = le32(h + 8);
	n->name = (const char *)h + 12;
	n->namesz = (size_t)namesz;
	n->desc = h + name_end;
	n->descsz = (size_t)descsz;
	n->offset = it->off;
	end += pad4((size_t)descsz);
	n->size = end > left ? left : (size_t)end;
	it->off += n->size;
	return 1;
}

bool note_is(const struct note *n, const char *name)
{
	size_t len = strlen(name);
	/* The NUL is part of namesz, but some writers leave it out. */
	return (n->namesz == len + 1 || n->namesz == len) &&
	       !memcmp(n->name, name, len) && (n->namesz == len || !n->name[len]);
}

uint32_t xencore_note_type(const struct note *n)
{
	if (!note_is(n, XENCORE_NOTE_NAME))
		return 0;
	if (n->type >= 1 && n->type <= 5)
		return XENCORE_NOTE_TYPE_BASE + n->type;
	if (n->type > XENCORE_NOTE_TYPE_BASE && n->type <= XENCORE_NOTE_DAMAGE)
		return n->type;
	return 0;
}

bool note_is_xen(const struct note *n)
{
	return note_is(n, XEN_NOTE_NAME) ||
	       (note_is(n, XENCORE_NOTE_NAME) && n->type >= XEN_ELFNOTE_DUMPCORE_NONE &&
		n->type <= XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION);
}

/* Copies a fixed-size, maybe unterminated string field, printable only. */
static void copy_field_string(char *dst, size_t dstsize, const unsigned char *src,
			      size_t srclen)
{
	size_t n = 0;
	for (size_t i = 0; i < srclen && src[i] && n + 1 < dstsize; i++)
		dst[n++] = (src[i] >= 0x20 && src[i] < 0x7f) ? (char)src[i] : '?';
	dst[n] = '\0';
}

struct xencore_error *xc_parse_xen_note(struct xencore_dump *dump, uint32_t type,
					const unsigned char *desc, size_t descsz,
					bool *have_header)
{
	struct xencore_dump_info *info = &dump->info;
	switch (type) {
	case XEN_ELFNOTE_DUMPCORE_HEADER: {
		if (descsz < XEN_HEADER_DESC_SIZE)
			return xc_error(XENCORE_ERROR_FORMAT,
					"DUMPCORE_HEADER note is %zu bytes, want %d",
					descsz, XEN_HEADER_DESC_SIZE);
		uint64_t magic = le64(desc);
		if (magic == XC_CORE_MAGIC)
			info->hvm = false;
		else if (magic == XC_CORE_MAGIC_HVM)
			info->hvm = true;
		else
			return xc_error(XENCORE_ERROR_FORMAT,
					"bad xc_core magic 0x%" PRIx64 " in DUMPCORE_HEADER note (want 0xf00febed or 0xf00febee)",
					magic);
		info->nr_vcpus = le64(desc + 8);
		info->nr_pages = le64(desc + XEN_HEADER_NR_PAGES);
		info->page_size = le64(desc + 24);
		*have_header = true;
		break;
	}
	case XEN_ELFNOTE_DUMPCORE_XEN_VERSION: {
		if (descsz < VERSION_DESC_MIN)
			break;	/* informational only */
		/*
		 * xen_dumpcore_elfnote_xen_version_desc ends in the page size:
		 * at 1272 for 64-bit guests, 1268 for 32-bit ones
		 * (platform_parameters is one guest word shorter).  A mismatch
		 * means e_machine lies about the guest's width.
		 */
		if (descsz >= VERSION_DESC_FULL) {
			unsigned int at = info->guest_bits == 64 ? 1272 : 1268;
			uint64_t ps = le64(desc + at);
			uint64_t other = le64(desc + (info->guest_bits == 64 ? 1268 : 1272));
			if (ps != 4096 && other == 4096)
				return xc_error(XENCORE_ERROR_FORMAT,
						"e_machine says a %u-bit guest, but the Xen version note is laid out for a %u-bit one",
						info->guest_bits, info->guest_bits == 64 ? 32 : 64);
		}
		char extra[17];
		copy_field_string(extra, sizeof(extra), desc + 16, 16);
		snprintf(dump->xen_version, sizeof(dump->xen_version),
			 "%" PRIu64 ".%" PRIu64 "%s", le64(desc), le64(desc + 8), extra);
		info->xen_version = dump->xen_version;
		break;
	}
	case XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION:
		if (descsz >= 8)
			info->format_version = le64(desc);
		break;
	default:
		break;
	}
	return NULL;
}

struct xencore_error *xc_check_xen_notes(struct xencore_dump *dump, bool have_header)
{
	struct xencore_dump_info *info = &dump->info;
	if (!have_header)
		return xc_error(XENCORE_ERROR_FORMAT, "no DUMPCORE_HEADER note in .note.Xen");
	/* x86 guests: 4 KiB pages (the header records it; trust but verify). */
	if (info->page_size != 4096)
		return xc_error(XENCORE_ERROR_FORMAT,
				"page size %" PRIu64 " in DUMPCORE_HEADER note; x86 has 4096",
				info->page_size);
	if (info->format_version && info->format_version != 1)
		xc_warn(dump, "unknown xc_core format version 0x%" PRIx64 "; reading it as version 1",
			info->format_version);
	return NULL;
}
