// SPDX-License-Identifier: LGPL-2.1-or-later
/* dump.c: opening a dump through the format table, and reading its pages. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "dump-priv.h"
#include "error.h"
#include "flattened.h"
#include "p2m-priv.h"

/* Tried in order; the first whose probe and open accept the file wins. */
static const struct format_ops *const formats[] = {
	&xc_core_elf_ops,
	&xc_core_legacy_ops,
	&xc_kdump_ops,
	&elf_core_ops,
};

void xc_warn(struct xencore_dump *dump, const char *fmt, ...)
{
	if (!dump->warn)
		return;
	char *msg;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	/* One warning at a time, whichever thread's read gives it. */
	pthread_mutex_lock(&dump->warn_lock);
	dump->warn(dump->warn_arg, n < 0 ? "out of memory formatting a warning" : msg);
	pthread_mutex_unlock(&dump->warn_lock);
	if (n >= 0)
		free(msg);
}

void xc_damage(struct xencore_dump *dump, const char *fmt, ...)
{
	dump->info.damaged = true;
	/* A hostile file could make many: the first few say enough. */
	if (dump->nr_damage >= 16)
		return;
	char **more = realloc(dump->damage, (dump->nr_damage + 1) * sizeof(*more));
	if (!more)
		return;
	dump->damage = more;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&dump->damage[dump->nr_damage], fmt, ap);
	va_end(ap);
	if (n >= 0)
		dump->nr_damage++;
}

size_t xencore_dump_missing(struct xencore_dump *dump, struct xencore_missing *buf, size_t max)
{
	struct page_index *index = &dump->index;
	size_t n = page_index_missing(index, NULL, 0);
	struct page_run *runs = n && max ? calloc(n < max ? n : max, sizeof(*runs)) : NULL;
	if (!runs)
		return n;	/* none, none asked for, or no memory: the count */
	n = page_index_missing(index, runs, max);	/* in pfn order */
	/* The caller's elements are buf[0].size bytes apart ("Sizes"). */
	size_t stride = buf->size ? buf->size : XC_SIZE_0_1_MISSING;
	for (size_t i = 0; i < n && i < max; i++) {
		struct xencore_missing m = {
			.size = sizeof(m),
			.pfn = index->no_pfn ? UINT64_MAX : runs[i].pfn,
			.mfn = runs[i].mfn,
			.count = runs[i].count,
		};
		struct xencore_missing *dst = (struct xencore_missing *)((char *)buf + i * stride);
		dst->size = stride;
		XC_ABI_OUT(dst, &m, XC_SIZE_0_1_MISSING);
	}
	free(runs);
	return n;
}

const char *const *xencore_dump_damage(const struct xencore_dump *dump, size_t *count_ret)
{
	*count_ret = dump->nr_damage;
	return (const char *const *)dump->damage;
}

struct xencore_error *xc_pread(struct xencore_dump *dump, void *buf, size_t len,
			       uint64_t offset, const char *what)
{
	unsigned char *p = buf;
	if (offset > dump->file_size || len > dump->file_size - offset)
		return xc_error_at(xc_error(XENCORE_ERROR_FORMAT,
					    "%s at offset 0x%" PRIx64 " (%zu bytes) is past the end of the file (%" PRIu64 " bytes)",
					    what, offset, len, dump->file_size),
				   XENCORE_WHERE_FILE, offset);
	while (len) {
		ssize_t n = pread(dump->fd, p, len, (off_t)offset);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return xc_error_at(xc_error_os(errno, "cannot read %s", what),
					   XENCORE_WHERE_FILE, offset);
		}
		if (n == 0)
			return xc_error_at(xc_error(XENCORE_ERROR_FORMAT,
						    "%s: file ends early (was it truncated while open?)",
						    what),
					   XENCORE_WHERE_FILE, offset);
		p += n;
		len -= (size_t)n;
		offset += (uint64_t)n;
	}
	return NULL;
}

/* Forgets what a format that declined the file had filled in. */
static void dump_reset(struct xencore_dump *dump)
{
	dump->ops = NULL;
	dump->format_data = NULL;
	page_index_deinit(&dump->index);
	free(dump->shared_info);
	dump->shared_info = NULL;
	dump->shared_info_size = 0;
	free(dump->contexts);
	dump->contexts = NULL;
	dump->context_size = 0;
	dump->pages_offset = 0;
	free(dump->xen_notes);
	dump->xen_notes = NULL;
	dump->xen_notes_size = 0;
	free(dump->saved_p2m);
	dump->saved_p2m = NULL;
	dump->saved_p2m_nr = 0;
	dump->saved_p2m_max_pfn = 0;
	dump->pt_pfn = false;
	free(dump->native_record);
	dump->native_record = NULL;
	dump->native_record_size = 0;
	free(dump->vmcoreinfo);
	dump->vmcoreinfo = NULL;
	dump->vmcoreinfo_size = 0;
	for (size_t i = 0; i < dump->nr_damage; i++)
		free(dump->damage[i]);
	free(dump->damage);
	dump->damage = NULL;
	dump->nr_damage = 0;
	memset(&dump->info, 0, sizeof(dump->info));
	dump->xen_version[0] = '\0';
	dump->origin[0] = '\0';
}

struct xencore_error *xc_read_table(void *arg, void *buf, size_t len,
				    uint64_t offset)
{
	return xc_pread(arg, buf, len, offset, "the dump's page table");
}

/* One warning for all the damage the format found. */
static void warn_damage(struct xencore_dump *dump)
{
	if (!dump->nr_damage)
		return;
	size_t len = 0;
	for (size_t i = 0; i < dump->nr_damage; i++)
		len += strlen(dump->damage[i]) + 2;
	char *all = malloc(len + 1);
	if (!all)
		return;
	all[0] = '\0';
	for (size_t i = 0; i < dump->nr_damage; i++) {
		if (i)
			strcat(all, "; ");
		strcat(all, dump->damage[i]);
	}
	xc_warn(dump, "damaged dump: %s; what is there is read", all);
	free(all);
}

static const char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

static struct xencore_error *dump_detect(struct xencore_dump *dump)
{
	unsigned char head[64];
	size_t len = dump->file_size < sizeof(head) ? (size_t)dump->file_size
						     : sizeof(head);
	struct xencore_error *err = xc_pread(dump, head, len, 0, "file header");
	if (err)
		return err;

	/* Compressed whole: say which, so the user knows what to run. */
	static const struct {
		const char *magic;
		size_t len;
		const char *name, *tool;
	} packed[] = {
		{ "\x1f\x8b", 2, "gzip", "gunzip" },
		{ "\xfd" "7zXZ\0", 6, "xz", "unxz" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd", "unzstd" },
		{ "BZh", 3, "bzip2", "bunzip2" },
		{ "\x04\x22\x4d\x18", 4, "lz4", "unlz4" },
	};
	for (size_t i = 0; i < sizeof(packed) / sizeof(packed[0]); i++)
		if (len >= packed[i].len && !memcmp(head, packed[i].magic, packed[i].len))
			return xc_error(XENCORE_ERROR_UNRECOGNIZED,
					"a %s-compressed file, not a dump: decompress it first (%s)",
					packed[i].name, packed[i].tool);

	struct xencore_error *declined = NULL;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!formats[i]->probe(head, len))
			continue;
		dump->ops = formats[i];
		err = formats[i]->open(dump);
		if (!err) {
			xencore_error_destroy(declined);	/* an earlier format's "not mine" */
			warn_damage(dump);
			return NULL;
		}
		formats[i]->close(dump);
		dump_reset(dump);
		if (err->code != XENCORE_ERROR_UNRECOGNIZED) {
			xencore_error_destroy(declined);
			return err;
		}
		/*
		 * "Not mine after all": try the rest, keeping the last reason,
		 * the most specific (an ELF core without sections is no
		 * xc_core, and the core reader says what it is instead).
		 */
		xencore_error_destroy(declined);
		declined = err;
	}
	if (declined)
		return declined;
	if (len >= 4 && !memcmp(head, elf_magic, 4))
		return xc_error(XENCORE_ERROR_UNRECOGNIZED,
				"ELF file of a kind xencore does not read");
	return xc_error(XENCORE_ERROR_UNRECOGNIZED,
			"not a Xen guest dump (neither ELF xc_core nor legacy xc_core)");
}

struct xencore_error *xencore_dump_open(const char *path,
					xencore_warning_fn *warn, void *warn_arg,
					struct xencore_dump **ret)
{
	*ret = NULL;
	struct xencore_dump *dump = calloc(1, sizeof(*dump));
	if (!dump)
		return &xencore_enomem;
	dump->fd = -1;
	pthread_mutex_init(&dump->warn_lock, NULL);
	dump->warn = warn;
	dump->warn_arg = warn_arg;
	page_index_init(&dump->index);
	struct xencore_error *err = NULL;

	dump->path = strdup(path);
	if (!dump->path) {
		err = &xencore_enomem;
		goto fail;
	}
	/* "-": standard input (a descriptor of its own, which destroy closes). */
	bool std_in = !strcmp(path, "-");
	dump->fd = std_in ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3) : open(path, O_RDONLY | O_CLOEXEC);
	if (dump->fd < 0) {
		err = xc_error_os(errno, std_in ? "cannot read" : "cannot open");
		goto fail;
	}
	struct stat st;
	if (fstat(dump->fd, &st) < 0) {
		err = xc_error_os(errno, "cannot stat");
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "is a directory");
		goto fail;
	}
	if (std_in && isatty(dump->fd)) {
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT,
			       "is a terminal: give a dump file, or pipe a flattened stream in (xencore filter -o -)");
		goto fail;
	}
	dump->input_dev = st.st_dev;
	dump->input_ino = st.st_ino;
	dump->time = st.st_mtime > 0 ? (uint64_t)st.st_mtime : 0;
	dump->file_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	if (S_ISREG(st.st_mode) && dump->file_size == 0) {
		err = xc_error(XENCORE_ERROR_FORMAT, "file is empty");
		goto fail;
	}
	/* A flattened stream (a pipe must hold one) becomes the file it makes. */
	err = flat_open_input(dump, &st);
	if (!err)
		err = dump_detect(dump);
	if (err)
		goto fail;
	dump->info.flattened = dump->flattened;
	*ret = dump;
	return NULL;

fail:
	xencore_dump_destroy(dump);
	return err;
}

void xencore_dump_destroy(struct xencore_dump *dump)
{
	if (!dump)
		return;
	if (dump->ops)
		dump->ops->close(dump);
	dump_reset(dump);	/* everything a format filled in */
	if (dump->fd >= 0)
		close(dump->fd);
	free(dump->path);
	pthread_mutex_destroy(&dump->warn_lock);
	free(dump);
}

const struct xencore_dump_info *xencore_dump_info(const struct xencore_dump *dump)
{
	return &dump->info;
}

struct xencore_error *xencore_dump_index_all(struct xencore_dump *dump)
{
	struct xencore_error *err = page_index_complete(&dump->index);
	/* An auto-translated guest's max_pfn: its highest dumped pfn + 1 (.xen_pfn). */
	const struct page_index *index = &dump->index;
	if (!err && dump->info.hvm && !dump->info.has_shared_info && index->nr && !index->no_pfn) {
		const struct page_run *last = &index->by_pfn[index->nr - 1];
		dump->info.max_pfn = last->pfn + last->count;
	}
	return err;
}

struct xencore_error *xc_read_file_pages(struct xencore_dump *dump, uint64_t page,
					 size_t n, void *buf)
{
	/* page < nr_pages, and .xen_pages was checked to fit in the file. */
	return xc_pread(dump, buf, n * (size_t)dump->info.page_size,
			dump->pages_offset + page * dump->info.page_size,
			n > 1 ? "pages" : "page data");
}

struct xencore_error *xc_read_pages(struct xencore_dump *dump, uint64_t page,
				    size_t n, void *buf)
{
	return dump->ops->read_pages(dump, page, n, buf);
}

static struct xencore_error *read_page(struct xencore_dump *dump,
				       const struct page_run *run,
				       uint64_t delta, void *buf)
{
	return xc_read_pages(dump, run->page + delta, 1, buf);
}

static struct xencore_error *read_pfn(struct xencore_dump *dump, uint64_t pfn, void *buf)
{
	struct page_run run, cut;
	struct xencore_error *err = page_index_find_pfn(&dump->index, pfn, &run);
	if (err)
		return err;
	if (!run.count) {
		page_index_find_missing(&dump->index, pfn, &cut);
		if (cut.count)
			return xc_error(XENCORE_ERROR_NOT_PRESENT,
					"pfn 0x%" PRIx64 " is listed in the dump but its page is cut off (the file is cut short)",
					pfn);
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"pfn 0x%" PRIx64 " is not in the dump", pfn);
	}
	return read_page(dump, &run, pfn - run.pfn, buf);
}

static struct xencore_error *read_mfn(struct xencore_dump *dump, uint64_t mfn, void *buf)
{
	struct page_run run;
	struct xencore_error *err = page_index_find_mfn(&dump->index, mfn, &run);
	if (err)
		return err;
	if (!run.count)
		return xc_error(XENCORE_ERROR_NOT_PRESENT,
				"mfn 0x%" PRIx64 " is not in the dump", mfn);
	return read_page(dump, &run, mfn - run.mfn, buf);
}

struct xencore_error *xencore_read_pfn(struct xencore_dump *dump, uint64_t pfn,
				       void *buf)
{
	return xc_error_at(read_pfn(dump, pfn, buf), XENCORE_WHERE_PFN, pfn);
}

struct xencore_error *xencore_read_mfn(struct xencore_dump *dump, uint64_t mfn,
				       void *buf)
{
	return xc_error_at(read_mfn(dump, mfn, buf), XENCORE_WHERE_MFN, mfn);
}

struct xencore_error *xc_table_frame_pfn(struct xencore_dump *dump, uint64_t frame,
					 uint64_t *mfn_ret)
{
	/* The p2m the tables were rewritten with (runs in pfn order), then the file's pages. */
	const struct xencore_p2m_run *r = p2m_runs_find(dump->saved_p2m, dump->saved_p2m_nr, frame);
	if (r && r->kind == XENCORE_RUN_MAPPED) {
		*mfn_ret = r->mfn + (frame - r->pfn);
		return NULL;
	}
	struct page_run run;
	struct xencore_error *err = page_index_find_pfn(&dump->index, frame, &run);
	if (err)
		return err;
	if (run.count) {
		*mfn_ret = run.mfn + (frame - run.pfn);
		return NULL;
	}
	return xc_error(XENCORE_ERROR_NOT_PRESENT,
			"pfn 0x%" PRIx64 " (a page-table entry's frame) has no machine frame in this native export",
			frame);
}

struct xencore_error *xencore_has_mfn(struct xencore_dump *dump, uint64_t mfn, bool *ret)
{
	struct page_run run;
	struct xencore_error *err = page_index_find_mfn(&dump->index, mfn, &run);
	*ret = !err && run.count;
	return xc_error_at(err, XENCORE_WHERE_MFN, mfn);
}

const char *xencore_version(void)
{
	return PACKAGE_VERSION;
}
