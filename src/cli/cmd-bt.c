// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-bt.c: `xencore bt --scan`: each vcpu's kernel stack, every word that
 * points into kernel text named (crash's `bt -t`), the frame-pointer chain
 * marked when it is intact.
 */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char bt_usage[] =
	"Usage: xencore bt --scan (--vmlinux F | --system-map F) [--vcpu N]\n"
	"                  [--thread-size N] [--vmcoreinfo F] [--json] DUMP\n"
	"Scan each vcpu's kernel stack, read through the guest's page tables from\n"
	"rsp up to the top of its stack, and print every word that points into\n"
	"kernel text as `[SLOT]  ADDRESS  name+0xOFF`, as crash's `bt -t` does.\n"
	"The top is the vcpu's kernel_sp (a PV kernel's current task stack top)\n"
	"when rsp lies in the THREAD_SIZE below it, else rsp rounded up to\n"
	"THREAD_SIZE: NUMBER(THREAD_SIZE) from VMCOREINFO, else 16 KiB (8 KiB\n"
	"for a 32-bit guest).  The frame-pointer chain from rbp (saved rbp, then\n"
	"the return address, each frame higher up, ending in a saved rbp of 0)\n"
	"is followed; when it is intact its return addresses end in `fp`.\n"
	"\n"
	"  --scan           the stack scan (the only kind of backtrace there is)\n"
	"  --vmlinux F      symbols from the guest kernel's ELF symbol table\n"
	"  --system-map F   symbols from an nm-format System.map\n"
	"  --force          do not warn when the vmlinux does not match the dump\n"
	"  --vcpu N         only vcpu N (read through its own page tables)\n"
	"  --thread-size N  the kernel stack size (a power of two, 4 KiB to 1 MiB)\n"
	"  --vmcoreinfo F   the kernel's VMCOREINFO from a file (makedumpfile -g)\n"
	"  --json           one object: vcpus, each with rip, rsp, rbp, the stack\n"
	"                   bounds, the frame-pointer verdict and the text words\n"
	"  -h, --help       show this help\n";

enum { OPT_SCAN = 0x200, OPT_THREAD_SIZE };

#define THREAD_SIZE_MAX (UINT64_C(1) << 20)

/* Text: [_stext, _etext) when the symbols have both, else what a text symbol names. */
struct text_range {
	uint64_t start, end;
};

static const char *text_name(const struct kernel *k, const struct text_range *t, uint64_t v,
			     char *buf, size_t size)
{
	if (t->end && (v < t->start || v >= t->end))
		return NULL;
	uint64_t off;
	const struct xencore_symbol *sym = xencore_symbol_at(k->syms, v, &off);
	if (!sym)
		return NULL;
	if (!t->end && sym->type != 'T' && sym->type != 't' && sym->type != 'W' &&
	    sym->type != 'w')
		return NULL;
	return kernel_symbolize(k, v, buf, size);
}

struct stack {
	uint64_t index;
	struct xencore_vcpu_regs regs;
	uint64_t bottom, top;		/* [bottom, top): from rsp (aligned) */
	const char *top_from;		/* "kernel_sp", "thread_size" */
	bool user;			/* rsp is not a kernel address */
	unsigned char *bytes;
	bool *present;			/* per word: read */
	uint64_t nr_words, missing_words;
	bool fp_intact;
	uint64_t fp_frames;
	uint64_t fp_broken_at;		/* the frame where the chain stopped */
	bool *fp_slot;			/* per word: a return address of the chain */
};

static uint64_t stack_word(const struct stack *s, uint64_t i, unsigned int w)
{
	const unsigned char *p = s->bytes + i * w;
	uint64_t v = 0;
	for (unsigned int b = 0; b < w; b++)
		v |= (uint64_t)p[b] << (8 * b);
	return v;
}

/* Reads [bottom, top) page by page: a page not in the dump leaves its words out. */
static int read_stack(struct kernel *k, struct stack *s, unsigned int w)
{
	uint64_t len = s->top - s->bottom;
	s->nr_words = len / w;
	s->bytes = calloc(1, len ? len : 1);
	s->present = calloc(s->nr_words + 1, sizeof(bool));
	s->fp_slot = calloc(s->nr_words + 1, sizeof(bool));
	if (!s->bytes || !s->present || !s->fp_slot) {
		cli_message(NULL, "out of memory");
		return EXIT_ERROR;
	}
	for (uint64_t off = 0; off < len;) {
		uint64_t chunk = 4096 - (s->bottom + off) % 4096;
		if (chunk > len - off)
			chunk = len - off;
		size_t done;
		struct xencore_error *err = xencore_as_read(k->as, XENCORE_KVADDR, s->bottom + off,
							    s->bytes + off, (size_t)chunk, &done);
		for (uint64_t i = off / w; i < (off + chunk) / w; i++) {
			s->present[i] = !err;
			s->missing_words += err != NULL;
		}
		xencore_error_destroy(err);
		off += chunk;
	}
	return EXIT_OK;
}

/*
 * The frame-pointer chain from rbp: [fp] the caller's rbp, [fp + w] the
 * return address; each link strictly higher and inside the stack, so the
 * walk ends within nr_words / 2 steps.  Intact: every return address is
 * text and the last saved rbp is 0.
 */
static void follow_frames(const struct kernel *k, const struct text_range *t, struct stack *s,
			  unsigned int w)
{
	char name[256];
	uint64_t fp = s->regs.rbp;
	while (fp >= s->bottom && fp < s->top && (fp - s->bottom) % w == 0 &&
	       s->top - fp >= 2 * (uint64_t)w) {
		uint64_t i = (fp - s->bottom) / w;
		if (!s->present[i] || !s->present[i + 1] ||
		    !text_name(k, t, stack_word(s, i + 1, w), name, sizeof(name)))
			break;
		s->fp_slot[i + 1] = true;
		s->fp_frames++;
		uint64_t next = stack_word(s, i, w);
		if (next == 0) {
			s->fp_intact = true;
			return;
		}
		if (next <= fp)
			break;
		fp = next;
	}
	s->fp_broken_at = fp;
	memset(s->fp_slot, 0, (s->nr_words + 1) * sizeof(bool));
}

static void stack_free(struct stack *s)
{
	free(s->bytes);
	free(s->present);
	free(s->fp_slot);
}

static void print_text(const struct kernel *k, const struct text_range *t, const struct stack *s,
		       unsigned int w)
{
	int digits = 2 * (int)w;
	char name[256];
	const char *rip = kernel_symbolize(k, s->regs.rip, name, sizeof(name));
	printf("vcpu %" PRIu64 ": rip %0*" PRIx64 "%s%s\n", s->index, digits, s->regs.rip,
	       rip ? "  " : "", rip ? rip : "");
	if (s->user) {
		printf("  rsp %0*" PRIx64 " is not a kernel address: the vcpu ran in user mode\n",
		       digits, s->regs.rsp);
		return;
	}
	printf("  stack %0*" PRIx64 "-%0*" PRIx64 " (rsp %0*" PRIx64 " to %s, %" PRIu64
	       " bytes)\n", digits, s->bottom, digits, s->top, digits, s->regs.rsp, s->top_from,
	       s->top - s->bottom);
	if (s->missing_words)
		printf("  %" PRIu64 " of its %" PRIu64 " words are in pages not in the dump\n",
		       s->missing_words, s->nr_words);
	if (s->fp_intact)
		printf("  frame pointers: intact, %" PRIu64 " frame%s from rbp %0*" PRIx64 "\n",
		       s->fp_frames, s->fp_frames == 1 ? "" : "s", digits, s->regs.rbp);
	else
		printf("  frame pointers: not intact from rbp %0*" PRIx64 " (stopped at %0*" PRIx64
		       " after %" PRIu64 " frame%s)\n", digits, s->regs.rbp, digits, s->fp_broken_at,
		       s->fp_frames, s->fp_frames == 1 ? "" : "s");
	for (uint64_t i = 0; i < s->nr_words; i++) {
		uint64_t v = stack_word(s, i, w);
		if (!s->present[i] || !text_name(k, t, v, name, sizeof(name)))
			continue;
		printf("  [%0*" PRIx64 "]  %0*" PRIx64 "  %s%s\n", digits, s->bottom + i * w, digits,
		       v, name, s->fp_slot[i] ? "  fp" : "");
	}
}

static void print_json(struct json *j, const struct kernel *k, const struct text_range *t,
		       const struct stack *s, unsigned int w)
{
	char name[256];
	json_object_begin(j);
	json_key(j, "vcpu");
	json_uint(j, s->index);
	json_key(j, "rip");
	json_hex(j, s->regs.rip);
	if (kernel_symbolize(k, s->regs.rip, name, sizeof(name))) {
		json_key(j, "rip_symbol");
		json_string(j, name);
	}
	json_key(j, "rsp");
	json_hex(j, s->regs.rsp);
	json_key(j, "rbp");
	json_hex(j, s->regs.rbp);
	json_key(j, "user_mode");
	json_bool(j, s->user);
	if (!s->user) {
		json_key(j, "stack_bottom");
		json_hex(j, s->bottom);
		json_key(j, "stack_top");
		json_hex(j, s->top);
		json_key(j, "top_from");
		json_string(j, s->top_from);
		json_key(j, "missing_words");
		json_uint(j, s->missing_words);
		json_key(j, "frame_pointers_intact");
		json_bool(j, s->fp_intact);
		json_key(j, "frames");
		json_uint(j, s->fp_frames);
		json_key(j, "words");
		json_array_begin(j);
		for (uint64_t i = 0; i < s->nr_words; i++) {
			uint64_t v = stack_word(s, i, w);
			if (!s->present[i] || !text_name(k, t, v, name, sizeof(name)))
				continue;
			json_object_begin(j);
			json_key(j, "slot");
			json_hex(j, s->bottom + i * w);
			json_key(j, "value");
			json_hex(j, v);
			json_key(j, "symbol");
			json_string(j, name);
			json_key(j, "fp");
			json_bool(j, s->fp_slot[i]);
			json_object_end(j);
		}
		json_array_end(j);
	}
	json_object_end(j);
}

/* THREAD_SIZE: the option, NUMBER(THREAD_SIZE) in VMCOREINFO, else the x86 default. */
static uint64_t thread_size(struct kernel *k, const struct kernel_opts *o, uint64_t given,
			    unsigned int w)
{
	if (given)
		return given;
	struct kernel_memmap km;
	struct xencore_error *why = NULL;
	uint64_t size = w == 8 ? 16384 : 8192;	/* arch/x86/include/asm/page_{64,32}_types.h */
	if (!kernel_find_vmcoreinfo(k, o, &km, &why) && !why) {
		const char *v = xencore_vmcoreinfo_get(km.vi, "NUMBER(THREAD_SIZE)");
		uint64_t n;
		if (v && parse_u64(v, &n) && n >= 4096 && n <= THREAD_SIZE_MAX && !(n & (n - 1)))
			size = n;
	}
	xencore_error_destroy(why);
	kernel_close_memmap(&km);
	return size;
}

int cmd_bt(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		VMCOREINFO_LONG_OPTION,
		ROOT_LONG_OPTIONS,
		{ "scan", no_argument, NULL, OPT_SCAN },
		{ "thread-size", required_argument, NULL, OPT_THREAD_SIZE },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false, scan = false;
	uint64_t given = 0;
	struct cli_opts co = { "bt", bt_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case OPT_SCAN:
			scan = true;
			break;
		case OPT_THREAD_SIZE:
			if (!parse_u64(optarg, &given) || given < 4096 || given > THREAD_SIZE_MAX ||
			    (given & (given - 1)))
				return cli_usage_error("bt", "bad --thread-size '%s' (a power of two, 4096 to 1048576)",
						       optarg);
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error("bt", "expected one DUMP");
	if (!scan)
		return cli_usage_error("bt", "only the stack scan is there: give --scan");
	if (!o.vmlinux && !o.system_map)
		return cli_usage_error("bt", "needs --vmlinux or --system-map (to know kernel text)");
	if (o.have_cr3 || o.kernel_root)
		return cli_usage_error("bt", "--cr3 and --kernel-root do not apply: each vcpu's stack is read through its page tables");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	const struct xencore_dump_info *info = xencore_dump_info(k.dump);
	unsigned int w = info->guest_bits / 8;
	uint64_t first = 0, end = info->nr_contexts;
	if (o.have_vcpu) {
		if (o.vcpu >= info->nr_contexts) {
			cli_message(path, "vcpu %" PRIu64 " is not in the dump (it has %" PRIu64
				    " vcpu contexts)", o.vcpu, info->nr_contexts);
			kernel_close(&k);
			return EXIT_ERROR;
		}
		first = o.vcpu;
		end = o.vcpu + 1;
	}
	if (!info->nr_contexts) {
		cli_message(path, "the dump holds no vcpu context");
		kernel_close(&k);
		return EXIT_ERROR;
	}
	if ((rc = kernel_open_as(&k, &o, false))) {
		kernel_close(&k);
		return rc;
	}
	uint64_t tsize = thread_size(&k, &o, given, w);
	struct text_range t = { 0, 0 };
	const struct xencore_symbol *st = xencore_symbol_lookup(k.syms, "_stext");
	const struct xencore_symbol *et = xencore_symbol_lookup(k.syms, "_etext");
	if (st && et && st->address < et->address)
		t = (struct text_range){ st->address, et->address };
	uint64_t kernel_base = w == 8 ? UINT64_C(0xffff800000000000) : 0xc0000000;

	struct json j;
	if (json) {
		json_init(&j, stdout, true);
		json_object_begin(&j);
		json_key(&j, "thread_size");
		json_uint(&j, tsize);
		json_key(&j, "vcpus");
		json_array_begin(&j);
	}
	for (uint64_t i = first; i < end && !rc; i++) {
		struct stack s = { .index = i, .regs = { .size = sizeof(s.regs) } };
		struct xencore_error *err = xencore_dump_vcpu_regs(k.dump, i, &s.regs);
		if (err) {
			rc = cli_fail(path, err);
			break;
		}
		uint64_t rsp = s.regs.rsp, ksp = s.regs.kernel_sp;
		s.user = rsp < kernel_base;
		if (!s.user) {
			s.bottom = (rsp + w - 1) / w * w;
			if (ksp >= tsize && rsp >= ksp - tsize && rsp < ksp) {
				s.top = ksp - ksp % w;
				s.top_from = "kernel_sp";
			} else {
				s.top = (rsp | (tsize - 1)) + 1;
				s.top_from = "THREAD_SIZE";
			}
			if (s.top < s.bottom || s.top == 0)	/* the last page of the address space */
				s.top = s.bottom;
			if ((rc = read_stack(&k, &s, w)))
				break;
			follow_frames(&k, &t, &s, w);
		}
		if (json) {
			print_json(&j, &k, &t, &s, w);
		} else {
			if (i != first)
				printf("\n");
			print_text(&k, &t, &s, w);
		}
		stack_free(&s);
	}
	if (json && !rc) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	kernel_close(&k);
	return rc ? rc : cli_finish_output(EXIT_OK);
}
