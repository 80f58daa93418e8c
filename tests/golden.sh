#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# golden.sh: info and p2m output for every checked-in fixture, against the
# golden files in testdata/golden (NAME.CASE.out: stdout; NAME.CASE.err:
# stderr then "exit: N").  XENCORE_UPDATE_GOLDEN=1 rewrites them instead.
. "${srcdir:-.}/tests/common.sh"

run_case() {	# fixture case args...
	f=$1 c=$2
	shift 2
	(cd "$FIXTURES" && "$XENCORE" "$@" "$f.xc") >"$T/out" 2>"$T/err"
	echo "exit: $?" >>"$T/err"
	if [ "${XENCORE_UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$T/out" "$GOLDEN/$f.$c.out"
		cp "$T/err" "$GOLDEN/$f.$c.err"
	fi
	if cmp -s "$T/out" "$GOLDEN/$f.$c.out" && cmp -s "$T/err" "$GOLDEN/$f.$c.err"; then
		pass "$f $c"
	else
		fail "$f $c ($*)"
		diff -u "$GOLDEN/$f.$c.out" "$T/out" | head -20
		diff -u "$GOLDEN/$f.$c.err" "$T/err" | head -20
	fi
}

for f in $GOOD_FIXTURES; do
	run_case "$f" info info
	run_case "$f" info-json info --json
	run_case "$f" runs p2m --format=runs
	run_case "$f" linear-runs p2m --source=linear --format=runs
	run_case "$f" dump-runs p2m --source=dump --format=runs
	run_case "$f" json p2m --format=json
done
finish
