// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-dmesg.c: `xencore dmesg`: the guest kernel's log, as makedumpfile --dump-dmesg prints it. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char dmesg_usage[] =
	"Usage: xencore dmesg [--vmlinux F | --system-map F] [--vmcoreinfo F] [--json] DUMP\n"
	"Print the guest kernel's log, oldest record first, as makedumpfile\n"
	"--dump-dmesg does: `[SECONDS.MICROS] text`, continuation lines indented,\n"
	"other unprintable bytes as \\xNN.  It reads the lockless printk ring\n"
	"(Linux 5.10+) or log_buf's records (3.5 to 5.9) with the layouts the\n"
	"kernel's VMCOREINFO gives (no debuginfo): from --vmcoreinfo, the dump's\n"
	"own note (a native export), the kernel's memory (with symbols), or a scan\n"
	"of the dumped pages.  Records whose pages are not in the dump, and\n"
	"damaged ones, are left out with a warning.\n"
	"\n"
	"  --vmlinux F      symbols from the guest kernel's ELF symbol table\n"
	"  --system-map F   symbols from an nm-format System.map\n"
	"  --force          do not warn when the vmlinux does not match the dump\n"
	"  --vmcoreinfo F   the kernel's VMCOREINFO from a file (makedumpfile -g)\n"
	"  --vcpu N, --cr3 CR3, --kernel-root\n"
	"                   the page tables to read through (default: vcpu 0's)\n"
	"  --json           one object: layout, buffer, buffer_size, vmcoreinfo,\n"
	"                   skipped, and records: seq (null when unknown), ts_nsec,\n"
	"                   level, facility, flags, caller_id (when the kernel keeps\n"
	"                   it), truncated, text (bytes >= 0x80 as \\u0080-\\u00ff)\n"
	"  -h, --help       show this help\n";

static void print_json(struct xencore_log *log, const char *source)
{
	const struct xencore_log_info *li = xencore_log_info(log);
	size_t n;
	const struct xencore_log_record *recs = xencore_log_records(log, &n);
	struct json j;
	json_init(&j, stdout, false);
	json_object_begin(&j);
	json_key(&j, "layout");
	json_string(&j, li->layout_name);
	json_key(&j, "buffer");
	json_hex(&j, li->buffer);
	json_key(&j, "buffer_size");
	json_uint(&j, li->buffer_size);
	json_key(&j, "vmcoreinfo");
	json_string(&j, source);
	json_key(&j, "skipped");
	json_uint(&j, li->skipped);
	json_key(&j, "records");
	json_array_begin(&j);
	for (size_t i = 0; i < n; i++) {
		const struct xencore_log_record *r = &recs[i];
		json_object_begin(&j);
		json_key(&j, "seq");
		if (r->has & XENCORE_LOG_HAS_SEQ)
			json_uint(&j, r->seq);
		else
			json_null(&j);
		json_key(&j, "ts_nsec");
		json_uint(&j, r->ts_nsec);
		json_key(&j, "level");
		json_uint(&j, r->level);
		json_key(&j, "facility");
		json_uint(&j, r->facility);
		json_key(&j, "flags");
		json_uint(&j, r->flags);
		if (r->has & XENCORE_LOG_HAS_CALLER) {
			json_key(&j, "caller_id");
			json_uint(&j, r->caller_id);
		}
		json_key(&j, "truncated");
		json_bool(&j, r->has & XENCORE_LOG_TRUNCATED);
		json_key(&j, "text");
		json_bytes(&j, r->text, r->text_len);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static int print_text(struct xencore_log *log)
{
	size_t n, cap = 4096;
	const struct xencore_log_record *recs = xencore_log_records(log, &n);
	char *buf = malloc(cap);
	if (!buf) {
		cli_message(NULL, "out of memory");
		return EXIT_ERROR;
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = xencore_log_format(&recs[i], buf, cap);
		if (len >= cap) {
			/* a record's text is at most 64 KiB; its escaped form 4 times that */
			char *more = realloc(buf, len + 1);
			if (!more) {
				free(buf);
				cli_message(NULL, "out of memory");
				return EXIT_ERROR;
			}
			buf = more;
			cap = len + 1;
			xencore_log_format(&recs[i], buf, cap);
		}
		fwrite(buf, 1, len, stdout);
	}
	free(buf);
	return EXIT_OK;
}

int cmd_dmesg(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		VMCOREINFO_LONG_OPTION,
		ROOT_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false;
	struct cli_opts co = { "dmesg", dmesg_usage, opts, NULL, &o, argc, argv };
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
		return cli_usage_error("dmesg", "expected one DUMP");
	const char *path = cli_dump_name(argv[optind]);

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	struct kernel_memmap km;
	struct xencore_error *why = NULL;
	struct xencore_log *log = NULL;
	rc = kernel_find_vmcoreinfo(&k, &o, &km, &why);
	if (!rc && !why)
		rc = kernel_read_log(&k, &o, &km, false, &log, &why);
	if (!rc && why) {
		/* the layouts come from VMCOREINFO: without it, no log */
		cli_message(path, "no kernel log: %s", why->message);
		xencore_error_destroy(why);
		rc = EXIT_ERROR;
	}
	if (!rc) {
		if (json)
			print_json(log, km.source);
		else
			rc = print_text(log);
	}
	xencore_log_destroy(log);
	kernel_close_memmap(&km);
	kernel_close(&k);
	return rc ? rc : cli_finish_output(EXIT_OK);
}
