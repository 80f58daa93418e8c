/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* printk-priv.h: the kernel log reader over any memory, for the unit tests. */
#ifndef XENCORE_PRINTK_PRIV_H
#define XENCORE_PRINTK_PRIV_H

#include <stdint.h>

#include "xencore.h"

/* Guest kernel memory as the log reader sees it. */
struct log_mem {
	/*
	 * Reads len bytes at the kernel virtual address addr, never across a
	 * page boundary; an error when any of them cannot be read.
	 */
	struct xencore_error *(*read)(void *arg, uint64_t addr, void *buf, size_t len);
	void *arg;
};

/* The largest text ring or log_buf read (64 MiB: LOG_BUF_SHIFT is at most 25). */
#define LOG_MAX_BYTES	(UINT64_C(1) << 26)
/* The most descriptors a ring may have (a 128 MiB ring has 2^22). */
#define LOG_MAX_DESC_BITS 22

/*
 * xencore_log_read() over mem; first_seq_addr is log_first_seq's address
 * (0 when unknown).
 */
struct xencore_error *log_read_mem(const struct log_mem *mem,
				   const struct xencore_vmcoreinfo *vi,
				   uint64_t first_seq_addr, unsigned int word,
				   xencore_warning_fn *warn, void *warn_arg,
				   struct xencore_log **ret);

#endif /* XENCORE_PRINTK_PRIV_H */
