// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-regs.c: `xencore regs`: every vcpu's registers, from its context in the dump. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char regs_usage[] =
	"Usage: xencore regs [--vmlinux F | --system-map F] [--json] DUMP\n"
	"Print every vcpu's registers as its context in the dump holds them: the\n"
	"general registers, rip, rflags, the segment selectors and bases, the\n"
	"kernel stack Xen switches to (kernel_ss, kernel_sp; PV only) and the control\n"
	"registers; a 32-bit guest's in their 32-bit names (eax .. esp, eip).\n"
	"With symbols, rip and rsp are also given as name+0xOFFSET when a symbol\n"
	"names them.\n"
	"\n"
	"  --vmlinux F      symbols from the guest kernel's ELF symbol table\n"
	"  --system-map F   symbols from an nm-format System.map\n"
	"  --force          accepted, as the other commands take it\n"
	"  --json           one object: vcpus, each with every register as a\n"
	"                   \"0x...\" string, rip_symbol and rsp_symbol when named\n"
	"  -h, --help       show this help\n";

/* xen/include/public/arch-x86/xen.h: _VGCF_* bit numbers. */
static const char *const flag_names[] = {
	"i387_valid", NULL, "in_kernel", "failsafe_disables_events",
	"syscall_disables_events", "online",
};
#define NR_FLAG_NAMES (sizeof(flag_names) / sizeof(flag_names[0]))

struct reg {
	const char *name;	/* 64-bit name; 32-bit guests print name32 */
	const char *name32;	/* NULL: not shown for 32-bit guests */
	uint64_t value;
};

static int collect(const struct xencore_vcpu_regs *r, struct reg *out)
{
	const struct reg all[] = {
		{ "rax", "eax", r->rax }, { "rbx", "ebx", r->rbx }, { "rcx", "ecx", r->rcx },
		{ "rdx", "edx", r->rdx }, { "rsi", "esi", r->rsi }, { "rdi", "edi", r->rdi },
		{ "rbp", "ebp", r->rbp }, { "r8", NULL, r->r8 }, { "r9", NULL, r->r9 },
		{ "r10", NULL, r->r10 }, { "r11", NULL, r->r11 }, { "r12", NULL, r->r12 },
		{ "r13", NULL, r->r13 }, { "r14", NULL, r->r14 }, { "r15", NULL, r->r15 },
	};
	int n = 0;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (r->bits == 64 || all[i].name32)
			out[n++] = all[i];
	return n;
}

static void upper(const char *s, char *buf, size_t size)
{
	size_t i;
	for (i = 0; s[i] && i + 1 < size; i++)
		buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	buf[i] = '\0';
}

static void print_text(const struct kernel *k, uint64_t index, const struct xencore_vcpu_regs *r,
		       bool hvm)
{
	bool w64 = r->bits == 64;
	int digits = w64 ? 16 : 8;
	char name[16], sym[256];
	printf("vcpu %" PRIu64 ": %u-bit, flags 0x%" PRIx64 " (", index, r->bits, r->flags);
	bool first = true;
	for (size_t b = 0; b < NR_FLAG_NAMES; b++)
		if (flag_names[b] && (r->flags >> b & 1)) {
			printf("%s%s", first ? "" : " ", flag_names[b]);
			first = false;
		}
	printf(")\n");
	const char *s = kernel_symbolize(k, r->rip, sym, sizeof(sym));
	printf("    %s: %0*" PRIx64 "%s%s\n", w64 ? "RIP" : "EIP", digits, r->rip, s ? "  " : "",
	       s ? s : "");
	s = kernel_symbolize(k, r->rsp, sym, sizeof(sym));
	printf("    %s: %0*" PRIx64 "%s%s\n", w64 ? "RSP" : "ESP", digits, r->rsp, s ? "  " : "",
	       s ? s : "");
	printf("    %s: %0*" PRIx64 "\n", w64 ? "RFLAGS" : "EFLAGS", digits, r->rflags);
	struct reg regs[16];
	int n = collect(r, regs);
	for (int i = 0; i < n; i++) {
		upper(w64 ? regs[i].name : regs[i].name32, name, sizeof(name));
		printf("%s%s:%*s%0*" PRIx64, i % 3 ? "  " : "    ", name,
		       (int)(4 - strlen(name)), "", digits, regs[i].value);
		if (i % 3 == 2 || i == n - 1)
			printf("\n");
	}
	printf("    CS: %04x  SS: %04x  DS: %04x  ES: %04x  FS: %04x  GS: %04x\n", r->cs, r->ss,
	       r->ds, r->es, r->fs, r->gs);
	if (w64)
		printf("    FS_BASE: %016" PRIx64 "  GS_BASE_KERNEL: %016" PRIx64
		       "  GS_BASE_USER: %016" PRIx64 "\n",
		       r->fs_base, r->gs_base_kernel, r->gs_base_user);
	if (!hvm)	/* the stack Xen switches a PV kernel to */
		printf("    KERNEL_SS: %04" PRIx64 "  KERNEL_SP: %0*" PRIx64 "\n", r->kernel_ss,
		       digits, r->kernel_sp);
	printf("    CR0: %0*" PRIx64 "  CR2: %0*" PRIx64 "  CR3: %0*" PRIx64 "  CR4: %0*" PRIx64
	       "\n", digits, r->cr[0], digits, r->cr[2], digits, r->cr[3], digits, r->cr[4]);
	printf("    CR3_MFN: %" PRIx64, r->cr3_mfn);
	if (r->user_cr3_mfn)
		printf("  USER_CR3_MFN: %" PRIx64, r->user_cr3_mfn);
	printf("\n");
}

static void json_reg(struct json *j, const char *name, uint64_t v)
{
	json_key(j, name);
	json_hex(j, v);
}

static void print_json_vcpu(struct json *j, const struct kernel *k, uint64_t index,
			    const struct xencore_vcpu_regs *r, bool hvm)
{
	bool w64 = r->bits == 64;
	char sym[256];
	json_object_begin(j);
	json_key(j, "vcpu");
	json_uint(j, index);
	json_key(j, "bits");
	json_uint(j, r->bits);
	json_reg(j, "flags", r->flags);
	json_key(j, "flag_names");
	json_array_begin(j);
	for (size_t b = 0; b < NR_FLAG_NAMES; b++)
		if (flag_names[b] && (r->flags >> b & 1))
			json_string(j, flag_names[b]);
	json_array_end(j);
	json_reg(j, w64 ? "rip" : "eip", r->rip);
	const char *s = kernel_symbolize(k, r->rip, sym, sizeof(sym));
	if (s) {
		json_key(j, w64 ? "rip_symbol" : "eip_symbol");
		json_string(j, s);
	}
	json_reg(j, w64 ? "rsp" : "esp", r->rsp);
	if ((s = kernel_symbolize(k, r->rsp, sym, sizeof(sym)))) {
		json_key(j, w64 ? "rsp_symbol" : "esp_symbol");
		json_string(j, s);
	}
	json_reg(j, w64 ? "rflags" : "eflags", r->rflags);
	struct reg regs[16];
	int n = collect(r, regs);
	for (int i = 0; i < n; i++)
		json_reg(j, w64 ? regs[i].name : regs[i].name32, regs[i].value);
	json_reg(j, "cs", r->cs);
	json_reg(j, "ss", r->ss);
	json_reg(j, "ds", r->ds);
	json_reg(j, "es", r->es);
	json_reg(j, "fs", r->fs);
	json_reg(j, "gs", r->gs);
	if (w64) {
		json_reg(j, "fs_base", r->fs_base);
		json_reg(j, "gs_base_kernel", r->gs_base_kernel);
		json_reg(j, "gs_base_user", r->gs_base_user);
	}
	if (!hvm) {
		json_reg(j, "kernel_ss", r->kernel_ss);
		json_reg(j, "kernel_sp", r->kernel_sp);
	}
	static const char *const cr[] = { "cr0", "cr1", "cr2", "cr3", "cr4" };
	for (int i = 0; i < 5; i++)
		json_reg(j, cr[i], r->cr[i]);
	json_reg(j, "cr3_mfn", r->cr3_mfn);
	if (r->user_cr3_mfn)
		json_reg(j, "user_cr3_mfn", r->user_cr3_mfn);
	json_object_end(j);
}

int cmd_regs(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false;
	struct cli_opts co = { "regs", regs_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error("regs", "expected one DUMP");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	const struct xencore_dump_info *info = xencore_dump_info(k.dump);
	if (!info->nr_contexts) {
		cli_message(path, "the dump holds no vcpu context");
		kernel_close(&k);
		return EXIT_ERROR;
	}
	/* All contexts first: a damaged one fails before anything is printed. */
	struct json j;
	if (json) {
		json_init(&j, stdout, true);
		json_object_begin(&j);
		json_key(&j, "vcpus");
		json_array_begin(&j);
	}
	for (uint64_t i = 0; i < info->nr_contexts && !rc; i++) {
		struct xencore_vcpu_regs r = { .size = sizeof(r) };
		struct xencore_error *err = xencore_dump_vcpu_regs(k.dump, i, &r);
		if (err) {
			rc = cli_fail(path, err);
			break;
		}
		if (json) {
			print_json_vcpu(&j, &k, i, &r, info->hvm);
		} else {
			if (i)
				printf("\n");
			print_text(&k, i, &r, info->hvm);
		}
	}
	if (json && !rc) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	kernel_close(&k);
	return rc ? rc : cli_finish_output(EXIT_OK);
}
