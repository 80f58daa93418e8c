#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# kdumpfile.sh: libkdumpfile reads every fixture as xc_core_elf and returns
# the same page bytes as xencore, by pfn and by mfn.  Skips without it.
. "${srcdir:-.}/tests/common.sh"

prog="$top_builddir/tests/test-kdumpfile"
if [ ! -x "$prog" ]; then
	echo "SKIP: built without libkdumpfile"
	exit 77
fi
for f in $KDUMP_FIXTURES; do
	if "$prog" "$FIXTURES/$f.xc"; then
		pass "$f"
	else
		fail "$f"
	fi
done
finish
