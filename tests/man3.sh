#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# man3.sh: the library's manual pages.  xencore(3) lists every function and
# every struct and enum include/xencore.h declares; every name a page's NAME
# section gives is a function of the header; every page renders without a
# warning (groff -man -ww; skipped without groff).  tests/example.sh checks
# that make install puts them, and their .so pages, in place.
. "${srcdir:-.}/tests/common.sh"

MAN="$srcdir/man"
header_functions >"$T/header"

missing=
for f in $(cat "$T/header"); do
	grep -q "^\.BR $f ()" "$MAN/xencore.3" || missing="$missing $f"
done
[ -z "$missing" ] && pass "xencore(3) lists all $(wc -l <"$T/header") functions" ||
	fail "xencore(3) lacks:$missing"

missing=
for t in $(grep -o '^\(struct\|enum\) xencore_[a-z0-9_]*' "$srcdir/include/xencore.h" | tr ' ' '_' | sort -u); do
	grep -q "\"$(echo "$t" | sed 's/_/ /')\"" "$MAN/xencore.3" || missing="$missing $t"
done
[ -z "$missing" ] && pass "xencore(3) lists every struct and enum" ||
	fail "xencore(3) lacks:$missing"

for page in "$MAN"/*.3; do
	name=$(basename "$page" .3)
	names=$(sed -n '/^\.SH NAME/,/^\.SH SYNOPSIS/p' "$page" | sed '1d;$d' | tr '\n' ' ' |
		sed 's/ \\-.*//; s/,/ /g')
	bad=
	for n in $names; do
		[ "$n" = xencore ] || grep -qx "$n" "$T/header" || bad="$bad $n"
	done
	[ -z "$bad" ] && pass "$name(3): NAME gives functions of the header ($(echo $names | wc -w))" ||
		fail "$name(3): NAME gives what the header lacks:$bad"
	if command -v groff >/dev/null 2>&1; then
		if groff -man -ww -z "$page" >"$T/groff" 2>&1 && [ ! -s "$T/groff" ]; then
			pass "$name(3) renders without warnings"
		else
			fail "$name(3): $(head -3 "$T/groff")"
		fi
	fi
done
command -v groff >/dev/null 2>&1 || echo "no groff: rendering not checked"
finish
