#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# abi.sh: what libxencore exports (doc/DESIGN.md, "The ABI"): the functions
# include/xencore.h declares, and nothing else.  The version script lists
# exactly the header's functions; libxencore.so exports exactly those, each
# in a version node, under a versioned soname; the command refers to no
# other name of the library; the header compiles on its own as C11.
# (tests/example.sh checks the installed static archive.)
. "${srcdir:-.}/tests/common.sh"

B=$(cd "$top_builddir" && pwd)
MAP="$srcdir/src/lib/libxencore.map"

header_functions >"$T/header"
[ "$(wc -l <"$T/header")" -gt 50 ] && pass "header declares $(wc -l <"$T/header") functions" ||
	fail "header_functions found only $(wc -l <"$T/header")"

sed -n 's/^[[:space:]]*\(xencore_[a-z0-9_]*\);$/\1/p' "$MAP" | sort >"$T/map"
sort -u "$T/map" | cmp -s - "$T/map" && pass "version script: no name twice" ||
	fail "version script names a function twice"
same "version script lists the header's functions" "$T/header" "$T/map"
if grep -q '^local:' "$MAP" && grep -q '^[[:space:]]*\*;$' "$MAP"; then
	pass "version script: everything else local"
else
	fail "version script lacks local: *;"
fi

so="$B/.libs/libxencore.so"
if [ -f "$so" ]; then
	# objdump -T: ... VERSION NAME; *UND* are the library's own imports,
	# and the version node itself is an absolute symbol named as it is.
	objdump -T "$so" | awk '/^[0-9a-f]+ / && !/\*UND\*/ && $NF != $(NF-1) {print $(NF-1), $NF}' \
		>"$T/dynsym"
	awk '{print $2}' "$T/dynsym" | sort >"$T/exported"
	same "libxencore.so exports the header's functions, nothing else" "$T/header" "$T/exported"
	if awk '$1 !~ /^XENCORE_[0-9.]+$/' "$T/dynsym" | grep -q .; then
		fail "exports outside a XENCORE_ version node: $(awk '$1 !~ /^XENCORE_/' "$T/dynsym" | head -3)"
	else
		pass "every export is in a XENCORE_ version node"
	fi
	soname=$(objdump -p "$so" | awk '$1 == "SONAME" {print $2}')
	case $soname in
	libxencore.so.[0-9]*) pass "soname $soname" ;;
	*) fail "soname '$soname'" ;;
	esac
else
	echo "no shared library in this build (--disable-shared): its checks left out"
fi

# The command is built from include/xencore.h alone: none of its objects
# refers to a global name of the library that the header does not declare.
ar="$B/.libs/libxencore-internal.a"
set -- "$B"/src/cli/*.o
if [ -f "$ar" ] && [ -f "$1" ]; then
	nm -g --defined-only "$ar" | awk 'NF == 3 {print $3}' | sort -u >"$T/lib-globals"
	comm -23 "$T/lib-globals" "$T/header" >"$T/internal"
	nm -u "$@" | awk 'NF == 2 {print $2}' | sort -u >"$T/cli-undefined"
	comm -12 "$T/cli-undefined" "$T/internal" >"$T/cli-internal"
	if [ -s "$T/cli-internal" ]; then
		fail "the command calls library internals: $(tr '\n' ' ' <"$T/cli-internal")"
	else
		pass "the command calls public functions only ($(comm -12 "$T/cli-undefined" "$T/header" | wc -l) of them)"
	fi
else
	fail "$ar or the command's objects not built"
fi

# The header alone, as a program would include it.
if ${CC:-cc} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c "$srcdir/include/xencore.h" \
	2>"$T/cc.err"; then
	pass "include/xencore.h compiles alone as C11 (-pedantic -Werror)"
else
	fail "include/xencore.h alone: $(head -3 "$T/cc.err")"
fi
finish
