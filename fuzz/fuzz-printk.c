// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-printk.c: the kernel log reader on a guest memory the fuzzer
 * damages.  The memory starts as a sound log of each layout (Linux 6.1's
 * lockless printk_ringbuffer, 5.4's log_buf records, 64- and 32-bit); the
 * input's first byte picks the layout and word size, the rest is a list of
 * patches (a 16-bit offset and a byte each) over the memory, so the
 * pointers, ids, positions, lengths and states stay close to real ones.
 * Every record read must lie in the memory read, and formatting it must
 * give what its length says.
 */
#define _GNU_SOURCE 1
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "le.h"
#include "printk-priv.h"
#include "xencore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE UINT64_C(0xffff888000000000)
#define BASE32 UINT64_C(0xc0000000)
#define MEM 0x8000

static unsigned char mem[MEM];
static uint64_t base;

static struct xencore_error *mem_read(void *arg, uint64_t addr, void *buf, size_t len)
{
	(void)arg;
	/* The last page is "not in the dump", so absent pages are fuzzed too. */
	if (addr < base || addr - base >= MEM - 4096 || len > MEM - 4096 - (addr - base))
		return xc_error(XENCORE_ERROR_NOT_PRESENT, "no page at 0x%llx",
				(unsigned long long)addr);
	memcpy(buf, mem + (addr - base), len);
	return NULL;
}

static void put_word(unsigned int off, uint64_t v, unsigned int w)
{
	if (w == 8)
		put_le64(mem + off, v);
	else
		put_le32(mem + off, (uint32_t)v);
}

/* printk_ringbuffer at 0x100, 8 descriptors at 0x1000, infos at 0x2000, 256 bytes of text at 0x3000. */
static void ringbuffer(unsigned int w)
{
	unsigned int dsz = 3 * w, isz = w == 8 ? 88 : 84;
	put_word(0, base + 0x100, w);
	put_le32(mem + 0x100, 3);
	put_word(0x100 + w, base + 0x1000, w);
	put_word(0x100 + 2 * w, base + 0x2000, w);
	put_word(0x100 + 3 * w, 12, w);		/* head_id */
	put_word(0x100 + 4 * w, 6, w);		/* tail_id */
	put_le32(mem + 0x100 + 6 * w, 8);	/* text_data_ring.size_bits */
	put_word(0x100 + 7 * w, base + 0x3000, w);
	uint64_t lpos = 300;
	for (unsigned int id = 6; id <= 12; id++) {
		unsigned int idx = id % 8, len = 5 + id % 4, blk = (w + len + w - 1) / w * w;
		uint64_t begin = lpos, next = lpos + blk, at = begin % 256;
		if (at + blk > 256) {	/* wraps: stored at the start */
			next = (lpos / 256 + 1) * 256 + blk;
			at = 0;
		}
		uint64_t state = id == 12 ? 0 : id == 9 ? 3 : 2;
		put_word(0x1000 + idx * dsz, id | state << (8 * w - 2), w);
		put_word(0x1000 + idx * dsz + w, id == 8 ? 3 : begin, w);
		put_word(0x1000 + idx * dsz + 2 * w, id == 8 ? 3 : next, w);
		unsigned char *info = mem + 0x2000 + idx * isz;
		put_le64(info, id);
		put_le64(info + 8, id * UINT64_C(1000000123));
		put_le16(info + 16, (uint16_t)len);
		info[19] = (uint8_t)(id % 8 << 5);
		put_le32(info + 20, id);
		put_word(0x3000 + (unsigned int)at, id, w);
		memset(mem + 0x3000 + at + w, 'a' + (int)id, len);
		mem[0x3000 + at + w] = '\n';
		lpos = next;
	}
}

static const char rb64[] =
	"SYMBOL(prb)=ffff888000000000\nSIZE(printk_ringbuffer)=88\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=48\n"
	"OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\nOFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\nSIZE(prb_desc)=24\nOFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\nOFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\nSIZE(printk_info)=88\nOFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\nOFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\nOFFSET(atomic_long_t.counter)=0\n";
static const char rb32[] =
	"SYMBOL(prb)=c0000000\nSIZE(printk_ringbuffer)=44\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\nOFFSET(printk_ringbuffer.text_data_ring)=24\n"
	"OFFSET(prb_desc_ring.count_bits)=0\nOFFSET(prb_desc_ring.descs)=4\n"
	"OFFSET(prb_desc_ring.infos)=8\nOFFSET(prb_desc_ring.head_id)=12\n"
	"OFFSET(prb_desc_ring.tail_id)=16\nSIZE(prb_desc)=12\nOFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=4\nOFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=4\nSIZE(printk_info)=84\nOFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\nOFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=4\nOFFSET(atomic_long_t.counter)=0\n";

/* log_buf (256 bytes at 0x4000) wrapped: records from 200, the len-0 marker, on to 48. */
static void printk_log(unsigned int w)
{
	put_word(0x10, base + 0x4000, w);
	put_le32(mem + 0x20, 256);
	put_le32(mem + 0x24, 200);	/* log_first_idx */
	put_le32(mem + 0x28, 48);	/* log_next_idx */
	static const unsigned int at[] = { 200, 0, 24 };
	for (int i = 0; i < 3; i++) {
		unsigned char *h = mem + 0x4000 + at[i];
		put_le64(h, (uint64_t)i * 77777);
		put_le16(h + 8, 24);
		put_le16(h + 10, 4);
		h[15] = (uint8_t)(i << 5);
		memcpy(h + 20, "x\ty\x01", 4);
	}
}

static const char log64[] =
	"SYMBOL(log_buf)=ffff888000000010\nSYMBOL(log_buf_len)=ffff888000000020\n"
	"SYMBOL(log_first_idx)=ffff888000000024\nSYMBOL(log_next_idx)=ffff888000000028\n"
	"SIZE(printk_log)=20\nOFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8\n"
	"OFFSET(printk_log.text_len)=10\nOFFSET(printk_log.dict_len)=12\n"
	"OFFSET(printk_log.caller_id)=16\n";
static const char log32[] =
	"SYMBOL(log_buf)=c0000010\nSYMBOL(log_buf_len)=c0000020\n"
	"SYMBOL(log_first_idx)=c0000024\nSYMBOL(log_next_idx)=c0000028\n"
	"SIZE(log)=16\nOFFSET(log.ts_nsec)=0\nOFFSET(log.len)=8\n"
	"OFFSET(log.text_len)=10\nOFFSET(log.dict_len)=12\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned int kind = data[0] % 4, w = kind & 1 ? 4 : 8;
	static const char *const texts[] = { rb64, rb32, log64, log32 };
	base = w == 8 ? BASE : BASE32;
	memset(mem, 0, sizeof(mem));
	if (kind < 2)
		ringbuffer(w);
	else
		printk_log(w);
	for (size_t i = 1; i + 3 <= size; i += 3)
		mem[le16(data + i) % MEM] = data[i + 2];
	struct xencore_vmcoreinfo *vi;
	if (xencore_vmcoreinfo_parse(texts[kind], strlen(texts[kind]), &vi))
		abort();
	const struct log_mem lm = { .read = mem_read, .arg = NULL };
	struct xencore_log *log;
	struct xencore_error *err = log_read_mem(&lm, vi, kind >= 2 ? base + 0x30 : 0, w, NULL,
						 NULL, &log);
	xencore_vmcoreinfo_destroy(vi);
	if (err) {
		xencore_error_destroy(err);
		return 0;
	}
	size_t n;
	const struct xencore_log_record *r = xencore_log_records(log, &n);
	const struct xencore_log_info *li = xencore_log_info(log);
	if (n != li->records || n > 4096)
		abort();
	char buf[512];
	for (size_t i = 0; i < n; i++) {
		/* the text is inside the buffer the log read */
		if (r[i].text_len > li->buffer_size)
			abort();
		size_t len = xencore_log_format(&r[i], buf, sizeof(buf));
		if (len < r[i].text_len + 16 || (len < sizeof(buf) && strlen(buf) != len))
			abort();
	}
	const char *line;
	size_t len;
	if (xencore_log_panic(log, &line, &len) && len > li->buffer_size)
		abort();
	xencore_log_destroy(log);
	return 0;
}
