#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# example.sh: libxencore as a program outside this tree meets it.  `make
# install` into a scratch root (DESTDIR); examples/xencore-pfn.c compiled
# against the installed tree with pkg-config (PKG_CONFIG_SYSROOT_DIR), once
# with the shared library (--libs) and once with the static archive
# (--static --libs, -lxencore taken as libxencore.a), each run on a fixture
# and its values compared with `xencore info` and `xencore read --phys` of
# the same dump.  The static link also defines names the library uses
# inside (xc_error, page_index_init, stream_init): the installed archive
# must export only the header's functions, so they do not clash.
# make check gives it MAKE, CC, SANITIZER_CFLAGS, PKG_CONFIG and the
# installation directories.
. "${srcdir:-.}/tests/common.sh"

if [ -z "${libdir:-}" ] || [ -z "${pkgconfigdir:-}" ] || [ -z "${includedir:-}" ] ||
	[ -z "${mandir:-}" ]; then
	echo "ERROR: libdir, includedir, pkgconfigdir and mandir come from make check"
	exit 99
fi
: "${MAKE:=make}" "${CC:=cc}" "${PKG_CONFIG:=pkg-config}"
if ! command -v "$PKG_CONFIG" >/dev/null 2>&1; then
	echo "SKIP: no pkg-config"
	exit 77
fi

R="$T/root"
D="$FIXTURES/good-linear.xc"
EX="$srcdir/examples/xencore-pfn.c"
# The example must build without a warning; the sanitizer builds' library
# needs their runtime in the program too.
CCW="$CC -std=c11 -Wall -Wextra -Werror ${SANITIZER_CFLAGS:-}"

# A make of its own, not the jobs or the variables of the make check
# around it; everything is built already, so it only copies.
if (cd "$top_builddir" && MAKEFLAGS= MFLAGS= MAKELEVEL= $MAKE install DESTDIR="$R") \
	>"$T/install.log" 2>&1; then
	pass "make install DESTDIR=..."
else
	fail "make install DESTDIR=..."
	tail -20 "$T/install.log"
	finish
fi

# The manual pages: each of man/*.3, and a page that sources it for each
# other name its NAME section gives.
missing=
for p in "$srcdir"/man/*.3; do
	[ -f "$R$mandir/man3/$(basename "$p")" ] || missing="$missing $(basename "$p")"
done
[ -z "$missing" ] && pass "man3 pages installed" || fail "man3 pages not installed:$missing"
if [ "$(cat "$R$mandir/man3/xencore_read_mfn.3" 2>/dev/null)" = ".so man3/xencore_read_pfn.3" ]; then
	pass "xencore_read_mfn(3) sources xencore_read_pfn(3)"
else
	fail "xencore_read_mfn(3): '$(cat "$R$mandir/man3/xencore_read_mfn.3" 2>&1)'"
fi

# pkg-config of the installed tree: its paths under the scratch root.
pc() {
	PKG_CONFIG_PATH="$R$pkgconfigdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
		PKG_CONFIG_SYSROOT_DIR="$R" "$PKG_CONFIG" "$@"
}
cflags=$(pc --cflags xencore) && libs=$(pc --libs xencore) && slibs=$(pc --static --libs xencore) ||
	{ fail "pkg-config cannot read the installed xencore.pc"; finish; }
case " $cflags " in
*" -I$R$includedir "*) pass "pkg-config --cflags: $R$includedir" ;;
*) fail "pkg-config --cflags xencore: $cflags" ;;
esac

"$XENCORE" info "$D" >"$T/info" 2>&1 || fail "xencore info $D"
"$XENCORE" read --phys -n 16 "$D" 0x1000 >"$T/read" 2>&1 || fail "xencore read --phys $D 0x1000"
version=$("$XENCORE" --version | sed 's/^xencore //')

# expect NAME PROGRAM [ENV...]: runs the example on the fixture and compares.
expect() {
	name=$1 prog=$2
	shift 2
	env "$@" "$prog" "$D" 1 >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = 0 ] && pass "$name: exit 0" || { fail "$name: exit $rc"; cat "$T/err"; return; }
	for key in format guest_bits xen_version nr_pages page_size max_pfn; do
		want=$(sed -n "s/^$key: *//p" "$T/info")
		got=$(sed -n "s/^$key: *//p" "$T/out")
		if [ -n "$want" ] && [ "$got" = "$want" ]; then
			pass "$name: $key $got"
		else
			fail "$name: $key '$got', xencore info says '$want'"
		fi
	done
	got=$(sed -n 's/^libxencore: *//p' "$T/out")
	[ "$got" = "$version" ] && pass "$name: xencore_version() $got" ||
		fail "$name: xencore_version() '$got', xencore --version says '$version'"
	want=$(sed 's/^[0-9a-f]*: *//; s/ *|.*//' "$T/read" | tr -s ' ')
	got=$(sed -n 's/^pfn 0x1: //p' "$T/out")
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		pass "$name: pfn 1's first 16 bytes as xencore read --phys"
	else
		fail "$name: pfn 1 reads '$got', xencore read --phys 0x1000 '$want'"
	fi
	env "$@" "$prog" "$D" 0xfffff >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" = 1 ] && grep -q 'not in the dump' "$T/err"; then
		pass "$name: a pfn not dumped: exit 1, $(cat "$T/err")"
	else
		fail "$name: a pfn not dumped: exit $rc, $(cat "$T/err")"
	fi
}

# Linked the way a user links it, with the shared library.
if $CCW -o "$T/pfn-shared" "$EX" $cflags $libs 2>"$T/cc.err"; then
	pass "cc xencore-pfn.c \$(pkg-config --cflags --libs xencore)"
	if env LD_LIBRARY_PATH="$R$libdir" ldd "$T/pfn-shared" | grep -q "libxencore.so.[0-9]* => $R$libdir/"; then
		pass "shared: libxencore.so from the installed tree"
	else
		fail "shared: libxencore.so not from $R$libdir: $(env LD_LIBRARY_PATH="$R$libdir" ldd "$T/pfn-shared" | grep xencore)"
	fi
	expect shared "$T/pfn-shared" LD_LIBRARY_PATH="$R$libdir"
else
	fail "cc xencore-pfn.c \$(pkg-config --cflags --libs xencore): $(cat "$T/cc.err")"
fi

# The installed archive's global names are the header's functions.
a="$R$libdir/libxencore.a"
if [ -f "$a" ]; then
	header_functions >"$T/header"
	nm -g --defined-only "$a" | awk 'NF == 3 {print $3}' | sort >"$T/archive"
	same "installed libxencore.a defines the header's functions, nothing else global" \
		"$T/header" "$T/archive"

	# With the static archive: a linker prefers libxencore.so to
	# libxencore.a for -lxencore, so name the archive (GNU ld's -l:).
	slibs=$(printf ' %s ' "$slibs" | sed 's/ -lxencore / -l:libxencore.a /')
	cat >"$T/clash.c" <<-'EOF'
	/* Names libxencore uses inside, defined again by the program. */
	int xc_error(void);
	int xc_error(void) { return 1; }
	int page_index_init = 1;
	void stream_init(void);
	void stream_init(void) {}
	EOF
	if $CCW -o "$T/pfn-static" "$EX" "$T/clash.c" $cflags $slibs 2>"$T/cc.err"; then
		pass "cc xencore-pfn.c \$(pkg-config --static --cflags --libs xencore), -l:libxencore.a"
		if objdump -p "$T/pfn-static" | grep -q 'NEEDED.*libxencore'; then
			fail "static: the program still needs libxencore.so"
		else
			pass "static: no libxencore.so needed"
		fi
		expect static "$T/pfn-static"
	else
		fail "static link: $(head -5 "$T/cc.err")"
	fi
else
	echo "no static archive in this build (--disable-static): its checks left out"
fi
finish
