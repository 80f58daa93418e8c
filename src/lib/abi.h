/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * abi.h: the structs a caller allocates, which start with their size
 * (xencore.h, "Sizes"): the library reads and writes only the bytes the
 * caller's build has.
 */
#ifndef XENCORE_ABI_H
#define XENCORE_ABI_H

#include <stddef.h>
#include <string.h>

#include "xencore.h"

/*
 * Each struct's size in release 0.1, what a size of 0 means.  When a field
 * is added, these stay: the assertions below then fail, and are the place
 * to say the struct's new size.
 */
#define XC_SIZE_0_1_ROOT		24
#define XC_SIZE_0_1_VCPU		56
#define XC_SIZE_0_1_VCPU_REGS		280
#define XC_SIZE_0_1_VTOP		200
#define XC_SIZE_0_1_MISSING		32
#define XC_SIZE_0_1_FILTER_OPTIONS	112
#define XC_SIZE_0_1_FILTER_STATS	168
#define XC_SIZE_0_1_SESSION_OPTIONS	72

_Static_assert(sizeof(struct xencore_root) == XC_SIZE_0_1_ROOT, "xencore_root grew");
_Static_assert(sizeof(struct xencore_vcpu) == XC_SIZE_0_1_VCPU, "xencore_vcpu grew");
_Static_assert(sizeof(struct xencore_vcpu_regs) == XC_SIZE_0_1_VCPU_REGS,
	       "xencore_vcpu_regs grew");
_Static_assert(sizeof(struct xencore_vtop) == XC_SIZE_0_1_VTOP, "xencore_vtop grew");
_Static_assert(sizeof(struct xencore_missing) == XC_SIZE_0_1_MISSING, "xencore_missing grew");
_Static_assert(sizeof(struct xencore_filter_options) == XC_SIZE_0_1_FILTER_OPTIONS,
	       "xencore_filter_options grew");
_Static_assert(sizeof(struct xencore_filter_stats) == XC_SIZE_0_1_FILTER_STATS,
	       "xencore_filter_stats grew");
_Static_assert(sizeof(struct xencore_session_options) == XC_SIZE_0_1_SESSION_OPTIONS,
	       "xencore_session_options grew");

/* The bytes of a caller's struct of `given` size the library may touch. */
static inline size_t xc_abi_bytes(size_t given, size_t first, size_t now)
{
	size_t n = given ? given : first;
	return n < now ? n : now;
}

/* The caller's struct *src as this library's *dst: fields it lacks are zero. */
#define XC_ABI_IN(dst, src, first)                                              \
	do {                                                                    \
		memset((dst), 0, sizeof(*(dst)));                               \
		memcpy((dst), (src), xc_abi_bytes((src)->size, (first),         \
						  sizeof(*(dst))));             \
		(dst)->size = sizeof(*(dst));                                   \
	} while (0)

/* What the library filled in *src, into the caller's *dst as far as it goes. */
#define XC_ABI_OUT(dst, src, first)                                             \
	do {                                                                    \
		size_t given_ = (dst)->size;                                    \
		memcpy((dst), (src), xc_abi_bytes(given_, (first), sizeof(*(src)))); \
		(dst)->size = given_;                                           \
	} while (0)

#endif /* XENCORE_ABI_H */
