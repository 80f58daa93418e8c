// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * printk.c: the guest kernel's log, from the lockless printk_ringbuffer
 * (Linux 5.10+) or the printk_log records of log_buf (3.5 - 5.9), with
 * only the layouts VMCOREINFO gives.
 *
 * Sources: Linux kernel/printk/printk_ringbuffer.{c,h} (descriptor states,
 * ids, logical positions, data blocks, get_data()), kernel/printk/printk.c
 * (log_buf_vmcoreinfo_setup(), struct printk_log, log_from_idx(),
 * log_next()); makedumpfile printk.c and makedumpfile.c dump_log_entry()
 * (the text form).
 */
#include <config.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "le.h"
#include "printk-priv.h"
#include "vmcoreinfo-priv.h"

#define PAGE_SZ		4096u
#define STRUCT_MAX	4096u	/* the largest struct size taken from VMCOREINFO */

struct xencore_log {
	struct xencore_log_info info;
	struct xencore_log_record *recs;
	size_t nr, cap;
	unsigned char *text;	/* the ring's (log_buf's) bytes; records point into it */
};

void xencore_log_destroy(struct xencore_log *log)
{
	if (!log)
		return;
	free(log->recs);
	free(log->text);
	free(log);
}

const struct xencore_log_info *xencore_log_info(const struct xencore_log *log)
{
	return &log->info;
}

const struct xencore_log_record *xencore_log_records(const struct xencore_log *log,
						     size_t *count_ret)
{
	*count_ret = log->nr;
	return log->recs;
}

/* Where a line of rec starts with what, or NULL. */
static const char *line_starting(const struct xencore_log_record *rec, const char *what, size_t len)
{
	const char *p = rec->text, *end = rec->text + rec->text_len;
	while (p && (size_t)(end - p) >= len) {
		if (!memcmp(p, what, len))
			return p;
		p = memchr(p, '\n', (size_t)(end - p));
		if (p)
			p++;
	}
	return NULL;
}

const struct xencore_log_record *xencore_log_panic(const struct xencore_log *log,
						   const char **line_ret, size_t *len_ret)
{
	/*
	 * kernel/panic.c panic(): pr_emerg("Kernel panic - not syncing: %s\n"),
	 * and at its end "---[ end Kernel panic - not syncing: %s ]---": the
	 * line that starts with it, else any that holds it.
	 */
	static const char needle[] = "Kernel panic - not syncing";
	const size_t len = sizeof(needle) - 1;
	const struct xencore_log_record *rec = NULL;
	const char *line = NULL;
	for (size_t i = log->nr; i-- > 0 && !line;)
		if ((line = line_starting(&log->recs[i], needle, len)))
			rec = &log->recs[i];
	for (size_t i = log->nr; i-- > 0 && !line;) {
		rec = &log->recs[i];
		if ((line = memmem(rec->text, rec->text_len, needle, len)))
			while (line > rec->text && line[-1] != '\n')
				line--;
	}
	if (!line)
		return NULL;
	const char *nl = memchr(line, '\n', (size_t)(rec->text + rec->text_len - line));
	*line_ret = line;
	*len_ret = (size_t)((nl ? nl : rec->text + rec->text_len) - line);
	return rec;
}

/* ---- the text form ---- */

struct out {
	char *buf;
	size_t size, len;
};

static void out_put(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

size_t xencore_log_format(const struct xencore_log_record *rec, char *buf, size_t size)
{
	struct out o = { .buf = buf, .size = size ? size - 1 : 0, .len = 0 };
	char prefix[64];
	int plen = snprintf(prefix, sizeof(prefix), "[%5" PRIu64 ".%06" PRIu64 "] ",
			    rec->ts_nsec / 1000000000, rec->ts_nsec % 1000000000 / 1000);
	out_put(&o, prefix, (size_t)plen);
	for (size_t i = 0; i < rec->text_len; i++) {
		unsigned char c = (unsigned char)rec->text[i];
		char esc[8];
		if (c == '\n') {
			/* the next line lines up under the text, as makedumpfile indents it */
			out_put(&o, "\n", 1);
			for (int k = 0; k < plen; k++)
				out_put(&o, " ", 1);
		} else if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\v' || c == '\f' ||
			   c == '\r') {
			out_put(&o, (const char *)&c, 1);
		} else {
			/* makedumpfile prints a byte >= 0x80 sign-extended; this prints \x80 */
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			out_put(&o, esc, 4);
		}
	}
	out_put(&o, "\n", 1);
	if (size)
		buf[o.len < o.size ? o.len : o.size] = '\0';
	return o.len;
}

/* ---- reading guest memory ---- */

/* len bytes at addr, split at page boundaries. */
static struct xencore_error *mem_read(const struct log_mem *mem, uint64_t addr, void *buf,
				      size_t len)
{
	unsigned char *out = buf;
	while (len) {
		size_t chunk = PAGE_SZ - (size_t)(addr % PAGE_SZ);
		if (chunk > len)
			chunk = len;
		struct xencore_error *err = mem->read(mem->arg, addr, out, chunk);
		if (err)
			return err;
		addr += chunk;
		out += chunk;
		len -= chunk;
	}
	return NULL;
}

static struct xencore_error *mem_word(const struct log_mem *mem, uint64_t addr, unsigned int word,
				      uint64_t *ret)
{
	unsigned char b[8];
	struct xencore_error *err = mem_read(mem, addr, b, word);
	if (!err)
		*ret = word == 8 ? le64(b) : le32(b);
	return err;
}

/*
 * A big buffer read page by page: pages that cannot be read stay zero and
 * are remembered, so the records elsewhere are still read.
 */
struct region {
	unsigned char *buf;
	uint64_t addr, len;
	uint8_t *missing;	/* a bit per page from addr's page on */
	uint64_t nr_pages, nr_missing;
	struct xencore_error *first_err;
};

static void region_free(struct region *r)
{
	free(r->missing);
	xencore_error_destroy(r->first_err);
}

/* Reads [addr, addr + len); len is at most LOG_MAX_BYTES. */
static struct xencore_error *region_read(const struct log_mem *mem, uint64_t addr, uint64_t len,
					 struct region *r)
{
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->len = len;
	r->nr_pages = (addr % PAGE_SZ + len + PAGE_SZ - 1) / PAGE_SZ;
	r->buf = calloc(1, (size_t)len);
	r->missing = calloc(1, (size_t)(r->nr_pages + 7) / 8);
	if (!r->buf || !r->missing) {
		free(r->buf);
		r->buf = NULL;
		return &xencore_enomem;
	}
	uint64_t off = 0;
	for (uint64_t p = 0; off < len; p++) {
		uint64_t chunk = PAGE_SZ - (addr + off) % PAGE_SZ;
		if (chunk > len - off)
			chunk = len - off;
		struct xencore_error *err = mem->read(mem->arg, addr + off, r->buf + off,
						      (size_t)chunk);
		if (err) {
			r->missing[p / 8] |= (uint8_t)(1u << p % 8);
			r->nr_missing++;
			if (!r->first_err)
				r->first_err = err;
			else
				xencore_error_destroy(err);
		}
		off += chunk;
	}
	return NULL;
}

/* Whether [off, off + len) of the region was read. */
static bool region_has(const struct region *r, uint64_t off, uint64_t len)
{
	if (off > r->len || len > r->len - off)
		return false;
	if (!r->nr_missing || !len)
		return true;
	uint64_t first = (r->addr % PAGE_SZ + off) / PAGE_SZ;
	uint64_t last = (r->addr % PAGE_SZ + off + len - 1) / PAGE_SZ;
	for (uint64_t p = first; p <= last; p++)
		if (r->missing[p / 8] & (1u << p % 8))
			return false;
	return true;
}

/*
 * Structs read one element at a time in ascending (wrapping) order: one page
 * is kept, so the descriptor and info arrays cost a page, not their size.
 */
struct cursor {
	const struct log_mem *mem;
	uint64_t page;		/* the kept page's address; 1 when none */
	bool present;
	unsigned char data[PAGE_SZ];
};

/* Copies len bytes at addr into buf: false when a page is not readable. */
static bool cursor_get(struct cursor *c, uint64_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	while (len) {
		uint64_t page = addr - addr % PAGE_SZ;
		if (page != c->page) {
			struct xencore_error *err = c->mem->read(c->mem->arg, page, c->data, PAGE_SZ);
			c->page = page;
			c->present = !err;
			xencore_error_destroy(err);
		}
		if (!c->present)
			return false;
		size_t chunk = PAGE_SZ - (size_t)(addr % PAGE_SZ);
		if (chunk > len)
			chunk = len;
		memcpy(out, c->data + addr % PAGE_SZ, chunk);
		out += chunk;
		addr += chunk;
		len -= chunk;
	}
	return true;
}

/* ---- building the log ---- */

struct reader {
	const struct log_mem *mem;
	const struct xencore_vmcoreinfo *vi;
	unsigned int word;
	xencore_warning_fn *warn;
	void *warn_arg;
	struct xencore_log *log;
	char missing[512];	/* VMCOREINFO entries needed and not there */
	char bad_key[96];	/* one that is there but not a number */
	uint64_t damaged;	/* records left out as impossible */
	char first_damage[256];
	uint64_t absent;	/* records left out as not in the dump */
};

static void warnf(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(struct reader *rd, const char *fmt, ...)
{
	if (!rd->warn)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->warn(rd->warn_arg, msg);
}

static void damaged(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void damaged(struct reader *rd, const char *fmt, ...)
{
	if (!rd->damaged++) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(rd->first_damage, sizeof(rd->first_damage), fmt, ap);
		va_end(ap);
	}
}

/* A VMCOREINFO value: SYMBOL() hex, SIZE()/OFFSET() decimal; *ok false when missing. */
static uint64_t need(struct reader *rd, const char *key, bool *ok)
{
	int64_t v;
	int r = vi_lookup(rd->vi, key, key[1] == 'Y' ? VI_HEX : VI_DEC, &v);
	if (r == VI_FOUND)
		return (uint64_t)v;
	if (r == VI_BAD && !rd->bad_key[0])
		snprintf(rd->bad_key, sizeof(rd->bad_key), "%s", key);
	size_t len = strlen(rd->missing);
	if (len < sizeof(rd->missing) - 1)
		snprintf(rd->missing + len, sizeof(rd->missing) - len, "%s%s", len ? ", " : "", key);
	*ok = false;
	return 0;
}

/* An optional value, or dflt. */
static uint64_t optional(struct reader *rd, const char *key, uint64_t dflt)
{
	int64_t v;
	return vi_lookup(rd->vi, key, VI_DEC, &v) == VI_FOUND ? (uint64_t)v : dflt;
}

static struct xencore_error *lacks(struct reader *rd, const char *layout)
{
	if (rd->bad_key[0])
		return xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO: %s is not a number", rd->bad_key);
	return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
			"VMCOREINFO lacks what the kernel log (%s) needs: %s", layout, rd->missing);
}

/* Whether a field of width bytes at off lies inside a struct of size bytes. */
static bool fits(uint64_t off, uint64_t width, uint64_t size)
{
	return off <= size && width <= size - off;
}

static struct xencore_log_record *add_record(struct reader *rd)
{
	struct xencore_log *log = rd->log;
	if (log->nr == log->cap) {
		size_t cap = log->cap ? log->cap * 2 : 256;
		struct xencore_log_record *n = realloc(log->recs, cap * sizeof(*n));
		if (!n)
			return NULL;
		log->recs = n;
		log->cap = cap;
	}
	struct xencore_log_record *rec = &log->recs[log->nr++];
	memset(rec, 0, sizeof(*rec));
	return rec;
}

/* The level and facility bytes: u8 facility; u8 flags:5, level:3 (x86 bit order). */
static void level_facility(struct xencore_log_record *rec, const unsigned char *p)
{
	rec->facility = p[0];
	rec->flags = p[1] & 0x1f;
	rec->level = p[1] >> 5;
}

/*
 * Reads the text ring (log_buf) into the log, which owns it from then on:
 * an error when none of it can be read.
 */
static struct xencore_error *read_text(struct reader *rd, enum xencore_log_layout layout,
				       const char *what, uint64_t addr, uint64_t size,
				       struct region *r)
{
	struct xencore_log *log = rd->log;
	log->info.layout = layout;
	log->info.layout_name = layout == XENCORE_LOG_RINGBUFFER ? "printk_ringbuffer" : "printk_log";
	log->info.buffer = addr;
	log->info.buffer_size = size;
	struct xencore_error *err = region_read(rd->mem, addr, size, r);
	if (err)
		return err;
	log->text = r->buf;
	if (r->nr_missing < r->nr_pages)
		return NULL;
	err = xc_error_prefix(r->first_err, "kernel log: %s at 0x%" PRIx64 " (%" PRIu64
			      " bytes) cannot be read", what, addr, size);
	r->first_err = NULL;
	region_free(r);
	return err;
}

/* ---- Linux 5.10+: the lockless printk_ringbuffer ---- */

struct rb_layout {
	uint64_t prb_sym, rb_size, desc_ring, text_ring;
	uint64_t count_bits, descs, infos, head_id, tail_id;
	uint64_t desc_size, state_var, text_lpos, lpos_begin, lpos_next;
	uint64_t info_size, seq, ts_nsec, text_len, caller_id;
	uint64_t size_bits, data, counter;
};

static bool rb_layout(struct reader *rd, struct rb_layout *l)
{
	bool ok = true;
	l->prb_sym = need(rd, "SYMBOL(prb)", &ok);
	l->rb_size = need(rd, "SIZE(printk_ringbuffer)", &ok);
	l->desc_ring = need(rd, "OFFSET(printk_ringbuffer.desc_ring)", &ok);
	l->text_ring = need(rd, "OFFSET(printk_ringbuffer.text_data_ring)", &ok);
	l->count_bits = need(rd, "OFFSET(prb_desc_ring.count_bits)", &ok);
	l->descs = need(rd, "OFFSET(prb_desc_ring.descs)", &ok);
	l->infos = need(rd, "OFFSET(prb_desc_ring.infos)", &ok);
	l->head_id = need(rd, "OFFSET(prb_desc_ring.head_id)", &ok);
	l->tail_id = need(rd, "OFFSET(prb_desc_ring.tail_id)", &ok);
	l->desc_size = need(rd, "SIZE(prb_desc)", &ok);
	l->state_var = need(rd, "OFFSET(prb_desc.state_var)", &ok);
	l->text_lpos = need(rd, "OFFSET(prb_desc.text_blk_lpos)", &ok);
	l->lpos_begin = need(rd, "OFFSET(prb_data_blk_lpos.begin)", &ok);
	l->lpos_next = need(rd, "OFFSET(prb_data_blk_lpos.next)", &ok);
	l->info_size = need(rd, "SIZE(printk_info)", &ok);
	l->seq = need(rd, "OFFSET(printk_info.seq)", &ok);
	l->ts_nsec = need(rd, "OFFSET(printk_info.ts_nsec)", &ok);
	l->text_len = need(rd, "OFFSET(printk_info.text_len)", &ok);
	l->size_bits = need(rd, "OFFSET(prb_data_ring.size_bits)", &ok);
	l->data = need(rd, "OFFSET(prb_data_ring.data)", &ok);
	/* Both are in every 5.10+ VMCOREINFO; their values have never changed. */
	l->caller_id = optional(rd, "OFFSET(printk_info.caller_id)", UINT64_MAX);
	l->counter = optional(rd, "OFFSET(atomic_long_t.counter)", 0);
	return ok;
}

static struct xencore_error *rb_check_layout(const struct rb_layout *l, unsigned int w)
{
	uint64_t dr = l->desc_ring, tr = l->text_ring;
	bool ok = l->rb_size && l->rb_size <= STRUCT_MAX && l->desc_size && l->desc_size <= STRUCT_MAX &&
		  l->info_size && l->info_size <= STRUCT_MAX &&
		  fits(dr + l->count_bits, 4, l->rb_size) && fits(dr + l->descs, w, l->rb_size) &&
		  fits(dr + l->infos, w, l->rb_size) &&
		  fits(dr + l->head_id + l->counter, w, l->rb_size) &&
		  fits(dr + l->tail_id + l->counter, w, l->rb_size) &&
		  fits(tr + l->size_bits, 4, l->rb_size) && fits(tr + l->data, w, l->rb_size) &&
		  fits(l->state_var + l->counter, w, l->desc_size) &&
		  fits(l->text_lpos + l->lpos_begin, w, l->desc_size) &&
		  fits(l->text_lpos + l->lpos_next, w, l->desc_size) &&
		  fits(l->seq, 8, l->info_size) && fits(l->ts_nsec, 8, l->info_size) &&
		  fits(l->text_len, 4, l->info_size) &&
		  (l->caller_id == UINT64_MAX || fits(l->caller_id, 4, l->info_size));
	if (!ok)
		return xc_error(XENCORE_ERROR_FORMAT,
				"VMCOREINFO: the printk_ringbuffer layout is impossible (an offset outside its struct, or a struct over %u bytes)",
				STRUCT_MAX);
	return NULL;
}

static struct xencore_error *read_ringbuffer(struct reader *rd)
{
	struct rb_layout l;
	unsigned int w = rd->word;
	if (!rb_layout(rd, &l))
		return lacks(rd, "printk_ringbuffer");
	struct xencore_error *err = rb_check_layout(&l, w);
	if (err)
		return err;
	uint64_t prb;
	if ((err = mem_word(rd->mem, l.prb_sym, w, &prb)))
		return xc_error_prefix(err, "kernel log: reading prb at 0x%" PRIx64, l.prb_sym);
	unsigned char rb[STRUCT_MAX];
	if ((err = mem_read(rd->mem, prb, rb, (size_t)l.rb_size)))
		return xc_error_prefix(err, "kernel log: reading the printk_ringbuffer at 0x%" PRIx64,
				       prb);
	const unsigned char *dr = rb + l.desc_ring, *tr = rb + l.text_ring;
	uint32_t count_bits = le32(dr + l.count_bits), size_bits = le32(tr + l.size_bits);
	uint64_t descs = w == 8 ? le64(dr + l.descs) : le32(dr + l.descs);
	uint64_t infos = w == 8 ? le64(dr + l.infos) : le32(dr + l.infos);
	uint64_t data = w == 8 ? le64(tr + l.data) : le32(tr + l.data);
	uint64_t head = w == 8 ? le64(dr + l.head_id + l.counter) : le32(dr + l.head_id + l.counter);
	uint64_t tail = w == 8 ? le64(dr + l.tail_id + l.counter) : le32(dr + l.tail_id + l.counter);
	if (size_bits > 26 || (UINT64_C(1) << size_bits) < 2 * w)
		return xc_error(XENCORE_ERROR_FORMAT,
				"kernel log: the text ring at 0x%" PRIx64 " claims 2^%" PRIu32
				" bytes (text_data_ring.size_bits %" PRIu32 "): not a ring xencore reads (%u to 2^26 bytes)",
				data, size_bits, size_bits, 2 * w);
	if (count_bits > LOG_MAX_DESC_BITS)
		return xc_error(XENCORE_ERROR_FORMAT,
				"kernel log: the descriptor ring claims 2^%" PRIu32
				" descriptors (desc_ring.count_bits): over the 2^%u xencore reads",
				count_bits, LOG_MAX_DESC_BITS);
	uint64_t size = UINT64_C(1) << size_bits, count = UINT64_C(1) << count_bits;
	uint64_t wmask = w == 8 ? UINT64_MAX : UINT32_MAX;
	uint64_t id_mask = wmask >> 2;	/* DESC_ID_MASK: the state is the top two bits */
	head &= id_mask;
	tail &= id_mask;
	if (descs + count * l.desc_size - 1 < descs || infos + count * l.info_size - 1 < infos ||
	    ((descs + count * l.desc_size - 1) & ~wmask) || ((infos + count * l.info_size - 1) & ~wmask))
		return xc_error(XENCORE_ERROR_FORMAT,
				"kernel log: the descriptor arrays at 0x%" PRIx64 " and 0x%" PRIx64
				" run past the end of the address space", descs, infos);

	struct xencore_log *log = rd->log;
	struct region text;
	if ((err = read_text(rd, XENCORE_LOG_RINGBUFFER, "the text ring", data, size, &text)))
		return err;

	uint64_t span = (head - tail) & id_mask;
	if (span >= count) {
		warnf(rd, "kernel log: the descriptor ring's tail_id 0x%" PRIx64 " and head_id 0x%" PRIx64
		      " are %" PRIu64 " apart, more than its %" PRIu64 " descriptors: reading the last %" PRIu64,
		      tail, head, span, count, count);
		span = count - 1;
		tail = (head - span) & id_mask;
	}
	struct cursor *dc = malloc(sizeof(*dc)), *ic = malloc(sizeof(*ic));
	if (!dc || !ic) {
		free(dc);
		free(ic);
		region_free(&text);
		return &xencore_enomem;
	}
	*dc = (struct cursor){ .mem = rd->mem, .page = 1 };
	*ic = (struct cursor){ .mem = rd->mem, .page = 1 };
	unsigned char desc[STRUCT_MAX], info[STRUCT_MAX];
	for (uint64_t n = 0; n <= span && !err; n++) {
		uint64_t id = (tail + n) & id_mask, idx = id & (count - 1);
		if (!cursor_get(dc, descs + idx * l.desc_size, desc, (size_t)l.desc_size)) {
			rd->absent++;
			continue;
		}
		const unsigned char *sv_at = desc + l.state_var + l.counter;
		uint64_t sv = w == 8 ? le64(sv_at) : le32(sv_at);
		unsigned int state = (unsigned int)((sv & wmask) >> (w * 8 - 2));
		/* desc_committed 1 and desc_finalized 2 are readable; a reused slot has another id */
		if ((sv & id_mask) != id || (state != 1 && state != 2))
			continue;
		const unsigned char *lp = desc + l.text_lpos;
		uint64_t begin = w == 8 ? le64(lp + l.lpos_begin) : le32(lp + l.lpos_begin);
		uint64_t next = w == 8 ? le64(lp + l.lpos_next) : le32(lp + l.lpos_next);
		/* data-less (FAILED_LPOS, NO_LPOS: bit 0) and empty blocks carry no text */
		if ((begin & 1) || begin == next)
			continue;
		uint64_t off, len;
		if (begin >> size_bits == next >> size_bits) {
			off = begin & (size - 1);
			len = (next - begin) & wmask;
		} else if ((((begin + size) & wmask) >> size_bits) == next >> size_bits) {
			off = 0;	/* a block that would wrap is stored at the ring's start */
			len = next & (size - 1);
		} else {
			off = len = UINT64_MAX;
		}
		if (off == UINT64_MAX || len < w || len > size - off) {
			damaged(rd, "id 0x%" PRIx64 ": its text block 0x%" PRIx64 "-0x%" PRIx64
				" does not fit the %" PRIu64 "-byte ring", id, begin, next, size);
			continue;
		}
		if (!cursor_get(ic, infos + idx * l.info_size, info, (size_t)l.info_size) ||
		    !region_has(&text, off, len)) {
			rd->absent++;
			continue;
		}
		struct xencore_log_record *rec = add_record(rd);
		if (!rec) {
			err = &xencore_enomem;
			break;
		}
		rec->seq = le64(info + l.seq);
		rec->ts_nsec = le64(info + l.ts_nsec);
		rec->has = XENCORE_LOG_HAS_SEQ;
		if (l.caller_id != UINT64_MAX) {
			rec->caller_id = le32(info + l.caller_id);
			rec->has |= XENCORE_LOG_HAS_CALLER;
		}
		/* struct printk_info: u16 text_len; u8 facility; u8 flags:5, level:3 */
		level_facility(rec, info + l.text_len + 2);
		size_t text_len = le16(info + l.text_len);
		if (text_len > len - w) {
			text_len = (size_t)(len - w);	/* makedumpfile shows what the block holds */
			rec->has |= XENCORE_LOG_TRUNCATED;
		}
		rec->text = (const char *)log->text + off + w;
		rec->text_len = text_len;
	}
	free(dc);
	free(ic);
	region_free(&text);
	return err;
}

/* ---- Linux 3.5 - 5.9: printk_log records in log_buf ---- */

static struct xencore_error *read_printk_log(struct reader *rd, uint64_t first_seq_addr)
{
	unsigned int w = rd->word;
	bool ok = true;
	uint64_t buf_sym = need(rd, "SYMBOL(log_buf)", &ok);
	uint64_t len_sym = need(rd, "SYMBOL(log_buf_len)", &ok);
	uint64_t first_sym = need(rd, "SYMBOL(log_first_idx)", &ok);
	uint64_t next_sym = need(rd, "SYMBOL(log_next_idx)", &ok);
	/* Linux 3.11 renamed struct log to struct printk_log */
	const char *s = xencore_vmcoreinfo_get(rd->vi, "SIZE(printk_log)") ? "printk_log" : "log";
	char key[64];
	snprintf(key, sizeof(key), "SIZE(%s)", s);
	uint64_t hsize = need(rd, key, &ok);
	snprintf(key, sizeof(key), "OFFSET(%s.ts_nsec)", s);
	uint64_t o_ts = need(rd, key, &ok);
	snprintf(key, sizeof(key), "OFFSET(%s.len)", s);
	uint64_t o_len = need(rd, key, &ok);
	snprintf(key, sizeof(key), "OFFSET(%s.text_len)", s);
	uint64_t o_text_len = need(rd, key, &ok);
	snprintf(key, sizeof(key), "OFFSET(%s.dict_len)", s);
	uint64_t o_dict_len = optional(rd, key, UINT64_MAX);
	snprintf(key, sizeof(key), "OFFSET(%s.caller_id)", s);
	uint64_t o_caller = optional(rd, key, UINT64_MAX);
	if (!ok)
		return lacks(rd, "printk_log");
	/* struct printk_log: u16 len, text_len, dict_len; u8 facility; u8 flags:5, level:3 */
	uint64_t o_fac = o_dict_len != UINT64_MAX ? o_dict_len + 2 : o_text_len + 4;
	if (!hsize || hsize > STRUCT_MAX || !fits(o_ts, 8, hsize) || !fits(o_len, 2, hsize) ||
	    !fits(o_text_len, 2, hsize) || !fits(o_fac, 2, hsize) ||
	    (o_dict_len != UINT64_MAX && !fits(o_dict_len, 2, hsize)) ||
	    (o_caller != UINT64_MAX && !fits(o_caller, 4, hsize)))
		return xc_error(XENCORE_ERROR_FORMAT,
				"VMCOREINFO: the %s layout is impossible (an offset outside its %" PRIu64
				"-byte struct)", s, hsize);

	uint64_t buf, blen;
	unsigned char b4[4];
	struct xencore_error *err;
	if ((err = mem_word(rd->mem, buf_sym, w, &buf)))
		return xc_error_prefix(err, "kernel log: reading log_buf at 0x%" PRIx64, buf_sym);
	/* log_buf_len, log_first_idx and log_next_idx are 32-bit (int, then u32) */
	if ((err = mem_read(rd->mem, len_sym, b4, 4)))
		return xc_error_prefix(err, "kernel log: reading log_buf_len at 0x%" PRIx64, len_sym);
	blen = le32(b4);
	if ((err = mem_read(rd->mem, first_sym, b4, 4)))
		return xc_error_prefix(err, "kernel log: reading log_first_idx at 0x%" PRIx64, first_sym);
	uint64_t first = le32(b4);
	if ((err = mem_read(rd->mem, next_sym, b4, 4)))
		return xc_error_prefix(err, "kernel log: reading log_next_idx at 0x%" PRIx64, next_sym);
	uint64_t next_idx = le32(b4);
	if (blen < hsize || blen > LOG_MAX_BYTES)
		return xc_error(XENCORE_ERROR_FORMAT,
				"kernel log: log_buf_len is %" PRIu64 ": not a log_buf xencore reads (%" PRIu64
				" to %" PRIu64 " bytes)", blen, hsize, LOG_MAX_BYTES);
	if (first >= blen || next_idx >= blen)
		return xc_error(XENCORE_ERROR_FORMAT,
				"kernel log: log_first_idx %" PRIu64 " or log_next_idx %" PRIu64
				" is outside the %" PRIu64 "-byte log_buf", first, next_idx, blen);
	uint64_t first_seq = 0;
	bool have_seq = false;
	unsigned char b8[8];
	if (first_seq_addr && !(err = mem_read(rd->mem, first_seq_addr, b8, 8))) {
		first_seq = le64(b8);
		have_seq = true;
	}
	xencore_error_destroy(err);

	struct region r;
	if ((err = read_text(rd, XENCORE_LOG_PRINTK_LOG, "log_buf", buf, blen, &r)))
		return err;
	/*
	 * From log_first_idx to log_next_idx; a record with len 0 sends the
	 * walk to index 0 (log_next()).  Indexes only grow between the one
	 * allowed wrap, so the walk ends; a second wrap is a loop.
	 */
	uint64_t idx = first, n = 0;
	bool wrapped = false;
	const char *stop = NULL;
	while (idx != next_idx) {
		if (idx + hsize > blen) {
			stop = "a header runs past the end of log_buf";
			break;
		}
		if (!region_has(&r, idx, hsize)) {
			stop = "a header is in a page not in the dump";
			break;
		}
		const unsigned char *h = r.buf + idx;
		uint64_t len = le16(h + o_len);
		if (len == 0) {
			if (wrapped) {
				stop = "the records wrap to index 0 twice (a loop)";
				break;
			}
			if (first <= next_idx) {
				stop = "a wrap to index 0 between log_first_idx and log_next_idx";
				break;
			}
			wrapped = true;
			idx = 0;
			continue;
		}
		uint64_t text_len = le16(h + o_text_len);
		uint64_t dict_len = o_dict_len != UINT64_MAX ? le16(h + o_dict_len) : 0;
		if (len < hsize + text_len + dict_len || idx + len > blen) {
			stop = "a record's len does not hold its header and text";
			break;
		}
		if (!wrapped && first <= next_idx && idx + len > next_idx) {
			stop = "a record runs past log_next_idx";
			break;
		}
		if (wrapped && idx + len > next_idx) {
			stop = "a record after the wrap runs past log_next_idx";
			break;
		}
		if (!region_has(&r, idx + hsize, text_len)) {
			rd->absent++;
		} else {
			struct xencore_log_record *rec = add_record(rd);
			if (!rec) {
				region_free(&r);
				return &xencore_enomem;
			}
			rec->ts_nsec = le64(h + o_ts);
			if (have_seq) {
				rec->seq = first_seq + n;
				rec->has |= XENCORE_LOG_HAS_SEQ;
			}
			if (o_caller != UINT64_MAX) {
				rec->caller_id = le32(h + o_caller);
				rec->has |= XENCORE_LOG_HAS_CALLER;
			}
			level_facility(rec, h + o_fac);
			rec->text = (const char *)r.buf + idx + hsize;
			rec->text_len = (size_t)text_len;
		}
		n++;
		idx += len;
	}
	if (stop)
		warnf(rd, "kernel log: log_buf's records stop at index %" PRIu64 " (%s), before log_next_idx %" PRIu64
		      ": %" PRIu64 " records read", idx, stop, next_idx, n);
	region_free(&r);
	return NULL;
}

struct xencore_error *log_read_mem(const struct log_mem *mem, const struct xencore_vmcoreinfo *vi,
				   uint64_t first_seq_addr, unsigned int word,
				   xencore_warning_fn *warn, void *warn_arg, struct xencore_log **ret)
{
	*ret = NULL;
	if (word != 8 && word != 4)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "word size %u", word);
	struct reader rd = { .mem = mem, .vi = vi, .word = word, .warn = warn, .warn_arg = warn_arg };
	rd.log = calloc(1, sizeof(*rd.log));
	if (!rd.log)
		return &xencore_enomem;
	struct xencore_error *err;
	if (xencore_vmcoreinfo_get(vi, "SYMBOL(prb)"))
		err = read_ringbuffer(&rd);
	else if (xencore_vmcoreinfo_get(vi, "SYMBOL(log_buf)"))
		err = read_printk_log(&rd, first_seq_addr);
	else
		err = xc_error(XENCORE_ERROR_NOT_AVAILABLE,
			       "VMCOREINFO has neither SYMBOL(prb) (Linux 5.10+) nor SYMBOL(log_buf) (3.5 to 5.9): no kernel log layout");
	if (err) {
		xencore_log_destroy(rd.log);
		return err;
	}
	if (rd.damaged)
		warnf(&rd, "kernel log: %" PRIu64 " damaged record%s left out (first: %s)", rd.damaged,
		      rd.damaged == 1 ? "" : "s", rd.first_damage);
	if (rd.absent)
		warnf(&rd, "kernel log: %" PRIu64 " record%s in pages not in the dump left out", rd.absent,
		      rd.absent == 1 ? "" : "s");
	rd.log->info.records = rd.log->nr;
	rd.log->info.skipped = rd.damaged + rd.absent;
	*ret = rd.log;
	return NULL;
}

static struct xencore_error *as_read_page(void *arg, uint64_t addr, void *buf, size_t len)
{
	size_t done;
	return xencore_as_read(arg, XENCORE_KVADDR, addr, buf, len, &done);
}

struct xencore_error *xencore_log_read(struct xencore_as *as, const struct xencore_vmcoreinfo *vi,
				       const struct xencore_symbols *syms, unsigned int word_size,
				       xencore_warning_fn *warn, void *warn_arg,
				       struct xencore_log **ret)
{
	*ret = NULL;
	const struct log_mem mem = { .read = as_read_page, .arg = as };
	const struct xencore_symbol *first_seq =
		syms ? xencore_symbol_lookup(syms, "log_first_seq") : NULL;
	return log_read_mem(&mem, vi, first_seq ? first_seq->address : 0, word_size, warn, warn_arg,
			    ret);
}
