/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* error.h: making struct xencore_error values inside the library. */
#ifndef XENCORE_ERROR_PRIV_H
#define XENCORE_ERROR_PRIV_H

#include "xencore.h"

/* Returned when an allocation fails; needs no allocation itself. */
extern struct xencore_error xencore_enomem;

/* A new error with a printf-formatted message (xencore_enomem on failure). */
struct xencore_error *xc_error(enum xencore_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* An XENCORE_ERROR_OS error: "<message>: strerror(errnum)". */
struct xencore_error *xc_error_os(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * An error writing an output (XENCORE_ERROR_OUTPUT): "<message>:
 * strerror(errnum)".  Messages leave out the output's name: the caller
 * names it.
 */
struct xencore_error *xc_error_output(int errnum, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Records where err happened (not for xencore_enomem); returns err. */
struct xencore_error *xc_error_at(struct xencore_error *err, enum xencore_error_where where,
				  uint64_t at);

/* Prefixes err's message with context ("<context>: <message>"); returns err. */
struct xencore_error *xc_error_prefix(struct xencore_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* XENCORE_ERROR_PRIV_H */
