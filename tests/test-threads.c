// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-threads: several threads reading one open dump at once, through the
 * public API only (include/xencore.h, "Threads").
 *
 *   test-threads [--threads N] DUMP...
 *
 * For each DUMP the answers are first taken from one thread on a dump
 * opened for that alone: the bytes (FNV-1a) of up to 1500 pfns spread over
 * the p2m's mapped runs, read by pfn and by mfn; their mfns by the p2m and
 * back; and 8 bytes at a kernel virtual address in the direct map for each
 * (0xffff888000000000 + pfn * 4096, through vcpu 0's page tables) where the
 * guest maps one.  Then on a fresh open of the same file N threads (default
 * 6) go over the same pfns, each from its own start, twice:
 *   phase 1, nothing built yet: xencore_read_pfn and xencore_read_mfn, so
 *     the threads index the dump's page table lazily together, and beside
 *     them xencore_dump_info, xencore_dump_vcpu and xencore_dump_missing
 *     (which sorts the cut-off pages found so far);
 *   phase 2, a p2m and an address space made by the main thread:
 *     xencore_p2m_mfn_to_pfn (the mfn order is built by whichever thread
 *     comes first), xencore_as_read of the direct map and of the
 *     pseudo-physical page, xencore_as_vtop, and xencore_read_pfn again.
 * Every answer must equal the single-threaded one.  Built with
 * --enable-sanitizers=thread, ThreadSanitizer also fails the run on any
 * data race (CI does that).
 *
 * Prints per dump "DUMP: N threads, P pfns (V by virtual address), K
 * answers equal"; exit 0 all equal, 1 a difference or error, 2 usage.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xencore.h"

#define MAX_SAMPLES	1500
#define PASSES		2
#define DIRECT_MAP	UINT64_C(0xffff888000000000)

struct sample {
	uint64_t pfn, mfn;
	uint32_t sum;		/* FNV-1a of the page */
	bool has_va;
	uint64_t word;		/* 8 bytes at the direct map's address, offset 8 * (pfn % 512) */
};

struct shared {
	struct xencore_dump *dump;
	struct xencore_p2m *p2m;
	struct xencore_as *as;
	const struct sample *s;
	size_t n;
	uint64_t page_size;
	size_t missing;		/* runs of cut-off pages, all indexed */
	bool has_vcpu;		/* vcpu 0's context */
	int phase;
	unsigned int nthreads;
	atomic_ulong answers, wrong;
};

struct worker {
	struct shared *sh;
	unsigned int id;
	pthread_t thread;
};

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void ignore_warning(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static bool failed(struct xencore_error *err, const char *what, const char *path)
{
	if (!err)
		return false;
	fprintf(stderr, "test-threads: %s: %s: %s\n", path, what, err->message);
	xencore_error_destroy(err);
	return true;
}

static struct xencore_error *open_all(const char *path, bool with_p2m,
				      struct xencore_dump **dump, struct xencore_p2m **p2m,
				      struct xencore_as **as)
{
	*p2m = NULL;
	*as = NULL;
	struct xencore_error *err = xencore_dump_open(path, ignore_warning, NULL, dump);
	if (err || !with_p2m)
		return err;
	if ((err = xencore_p2m_create(*dump, XENCORE_P2M_AUTO, p2m)))
		return err;
	struct xencore_root root = { .size = sizeof(root), .kind = XENCORE_ROOT_VCPU };
	if (xencore_as_create(*dump, *p2m, NULL, &root, as)) {
		*as = NULL;	/* no vcpu root (HVM, say): no virtual reads */
	}
	return NULL;
}

static void close_all(struct xencore_dump *dump, struct xencore_p2m *p2m, struct xencore_as *as)
{
	xencore_as_destroy(as);
	xencore_p2m_destroy(p2m);
	xencore_dump_destroy(dump);
}

static void check(struct shared *sh, bool ok)
{
	atomic_fetch_add(&sh->answers, 1);
	if (!ok)
		atomic_fetch_add(&sh->wrong, 1);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	unsigned char *page = malloc(sh->page_size);
	if (!page) {
		atomic_fetch_add(&sh->wrong, 1);
		return NULL;
	}
	for (size_t k = 0; k < PASSES * sh->n; k++) {
		/* Each thread from its own start, so they meet on cold state. */
		const struct sample *s = &sh->s[(k + w->id * sh->n / sh->nthreads) % sh->n];
		struct xencore_error *err;
		if (sh->phase == 1) {
			/* What a dump says of itself, beside the lazy indexing. */
			struct xencore_missing cut[4] = { { .size = sizeof(cut[0]) } };
			struct xencore_vcpu v = { .size = sizeof(v) };
			check(sh, xencore_dump_info(sh->dump)->page_size == sh->page_size &&
				  xencore_dump_missing(sh->dump, cut, 4) <= sh->missing);
			err = xencore_dump_vcpu(sh->dump, 0, &v);
			check(sh, !err == sh->has_vcpu);
			xencore_error_destroy(err);
			err = xencore_read_pfn(sh->dump, s->pfn, page);
			check(sh, !err && fnv1a(page, sh->page_size) == s->sum);
			xencore_error_destroy(err);
			err = xencore_read_mfn(sh->dump, s->mfn, page);
			check(sh, !err && fnv1a(page, sh->page_size) == s->sum);
			xencore_error_destroy(err);
			continue;
		}
		uint64_t pfn = UINT64_MAX;
		check(sh, xencore_p2m_mfn_to_pfn(sh->p2m, s->mfn, &pfn) && pfn == s->pfn);
		err = xencore_read_pfn(sh->dump, s->pfn, page);
		check(sh, !err && fnv1a(page, sh->page_size) == s->sum);
		xencore_error_destroy(err);
		if (!sh->as)
			continue;
		size_t done;
		err = xencore_as_read(sh->as, XENCORE_PHYS, s->pfn * sh->page_size, page,
				      sh->page_size, &done);
		check(sh, !err && fnv1a(page, sh->page_size) == s->sum);
		xencore_error_destroy(err);
		if (!s->has_va)
			continue;
		uint64_t va = DIRECT_MAP + s->pfn * sh->page_size, word = 0;
		err = xencore_as_read(sh->as, XENCORE_KVADDR, va + 8 * (s->pfn % 512), &word,
				      sizeof(word), &done);
		check(sh, !err && word == s->word);
		xencore_error_destroy(err);
		struct xencore_vtop v = { .size = sizeof(v) };
		err = xencore_as_vtop(sh->as, va, &v);
		check(sh, !err && v.mfn == s->mfn);
		xencore_error_destroy(err);
	}
	free(page);
	return NULL;
}

/* The single-threaded answers, from a dump opened for them alone. */
static int expect(const char *path, struct sample **ret, size_t *n_ret, size_t *va_ret,
		  uint64_t *page_size_ret)
{
	struct xencore_dump *dump;
	struct xencore_p2m *p2m;
	struct xencore_as *as;
	if (failed(open_all(path, true, &dump, &p2m, &as), "open", path))
		return 1;
	uint64_t ps = xencore_dump_info(dump)->page_size;
	size_t nr, mapped = 0;
	const struct xencore_p2m_run *runs = xencore_p2m_runs(p2m, &nr);
	for (size_t i = 0; i < nr; i++)
		if (runs[i].kind == XENCORE_RUN_MAPPED)
			mapped += runs[i].count;
	struct sample *s = calloc(MAX_SAMPLES, sizeof(*s));
	unsigned char *page = malloc(ps);
	size_t n = 0, va = 0, step = mapped / MAX_SAMPLES + 1, seen = 0;
	for (size_t i = 0; s && page && i < nr; i++) {
		if (runs[i].kind != XENCORE_RUN_MAPPED)
			continue;
		for (uint64_t j = 0; j < runs[i].count && n < MAX_SAMPLES; j++, seen++) {
			if (seen % step)
				continue;
			struct sample *x = &s[n];
			x->pfn = runs[i].pfn + j;
			x->mfn = runs[i].mfn + j;
			struct xencore_error *err = xencore_read_pfn(dump, x->pfn, page);
			if (err) {	/* mapped but not dumped */
				xencore_error_destroy(err);
				continue;
			}
			x->sum = fnv1a(page, ps);
			size_t done;
			uint64_t addr = DIRECT_MAP + x->pfn * ps + 8 * (x->pfn % 512);
			if (as) {
				err = xencore_as_read(as, XENCORE_KVADDR, addr, &x->word,
						      sizeof(x->word), &done);
				x->has_va = !err;
				xencore_error_destroy(err);
			}
			va += x->has_va;
			n++;
		}
	}
	free(page);
	close_all(dump, p2m, as);
	if (!s)
		return 1;
	*ret = s;
	*n_ret = n;
	*va_ret = va;
	*page_size_ret = ps;
	return 0;
}

static int run_phase(struct shared *sh, int phase)
{
	struct worker w[64];
	sh->phase = phase;
	unsigned int started = 0;
	for (; started < sh->nthreads; started++) {
		w[started] = (struct worker){ .sh = sh, .id = started };
		if (pthread_create(&w[started].thread, NULL, work, &w[started]))
			break;
	}
	for (unsigned int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	return started == sh->nthreads ? 0 : 1;
}

static int test_dump(const char *path, unsigned int nthreads)
{
	struct sample *s;
	size_t n, va;
	uint64_t ps;
	if (expect(path, &s, &n, &va, &ps))
		return 1;
	if (!n) {
		fprintf(stderr, "test-threads: %s: no pfn to read\n", path);
		free(s);
		return 1;
	}
	struct shared sh = { .s = s, .n = n, .page_size = ps, .nthreads = nthreads };
	struct xencore_dump *dump;
	if (failed(xencore_dump_open(path, ignore_warning, NULL, &dump), "open", path)) {
		free(s);
		return 1;
	}
	struct xencore_error *err = xencore_dump_index_all(dump);
	struct xencore_vcpu v = { .size = sizeof(v) };
	struct xencore_error *verr = xencore_dump_vcpu(dump, 0, &v);
	sh.has_vcpu = !verr;
	xencore_error_destroy(verr);
	sh.missing = xencore_dump_missing(dump, NULL, 0);
	xencore_dump_destroy(dump);
	if (failed(err, "index", path)) {
		free(s);
		return 1;
	}
	int rc = 0;
	for (int phase = 1; phase <= 2 && !rc; phase++) {
		if (failed(open_all(path, phase == 2, &sh.dump, &sh.p2m, &sh.as), "open", path)) {
			rc = 1;
			break;
		}
		rc = run_phase(&sh, phase);
		close_all(sh.dump, sh.p2m, sh.as);
	}
	unsigned long answers = atomic_load(&sh.answers), wrong = atomic_load(&sh.wrong);
	free(s);
	if (rc || wrong) {
		fprintf(stderr, "test-threads: %s: %lu of %lu answers differ from one thread's\n",
			path, wrong, answers);
		return 1;
	}
	printf("%s: %u threads, %zu pfns (%zu by virtual address), %lu answers equal\n", path,
	       nthreads, n, va, answers);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int nthreads = 6;
	int i = 1;
	if (argc > 2 && !strcmp(argv[1], "--threads")) {
		nthreads = (unsigned int)strtoul(argv[2], NULL, 0);
		i = 3;
	}
	if (i >= argc || nthreads < 1 || nthreads > 64) {
		fprintf(stderr, "usage: test-threads [--threads N (1-64)] DUMP...\n");
		return 2;
	}
	int rc = 0;
	for (; i < argc; i++)
		rc |= test_dump(argv[i], nthreads);
	return rc;
}
