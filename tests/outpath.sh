#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# outpath.sh: where `filter -o OUT` writes.  A new name or a regular file is
# replaced through a temporary file beside it (unnamed, O_TMPFILE, where the
# filesystem has it; else named .xencore-XXXXXX, which tests/no-tmpfile.so
# forces); symbolic links (a chain, a
# dangling one) are followed to the file they name and stay links.  A
# device, FIFO, socket or directory, or a link to one, the input dump itself
# (by name, symbolic or hard link) are refused: exit 2, one line, nothing
# changed, no temporary file left (`-o -` is a stream: tests/stream.sh).  Parts that need root (mknod) say
# so and are skipped otherwise.
. "${srcdir:-.}/tests/common.sh"

D="$T/d"
mkdir "$D" "$D/files" "$D/links"
cp "$FIXTURES/good-linear.xc" "$D/in.xc"
sum=$(cksum <"$D/in.xc")
# The output every successful run below must produce (outputs are
# reproducible: the kdump header's time is the dump's mtime).
"$XENCORE" filter -d 1 -o "$T/want.kdump" "$D/in.xc" >/dev/null 2>&1 ||
	fail "filter to a new name"

# no_temps WHAT DIR...: no temporary file (.xencore-XXXXXX, or an older
# xencore's .NAME.XXXXXX) left in any DIR.
no_temps() {
	what=$1
	shift
	for dir in "$@"; do
		left=$(ls -A "$dir" | grep -E '^\.(.+\.|xencore-)[A-Za-z0-9]{6}$' | head -3)
		[ -z "$left" ] || { fail "$what: left $dir/$left"; return 1; }
	done
	return 0
}

# refused WHAT OUT LINE [DIR...]: filter -o OUT exits 2 and prints LINE on
# stderr and nothing else; the input is unchanged and no temporary file is
# left in $D, $D/files, $D/links or the DIRs.
refused() {
	what=$1
	out=$2
	line=$3
	shift 3
	"$XENCORE" filter -d 1 -o "$out" "$D/in.xc" >"$T/out" 2>"$T/err"
	rc=$?
	if [ $rc != 2 ] || [ "$(cat "$T/err")" != "$line" ] || [ -s "$T/out" ]; then
		fail "$what: exit $rc, stderr $(cat "$T/err"), stdout $(head -c 200 "$T/out")"
	elif [ "$(cksum <"$D/in.xc")" != "$sum" ]; then
		fail "$what: the input changed"
	elif no_temps "$what" "$D" "$D/files" "$D/links" "$@"; then
		pass "$what: $line"
	fi
}

# x ARGS...: xencore ARGS, with O_TMPFILE unsupported when $shim is set.
shim=
x() {
	if [ -n "$shim" ]; then
		LD_PRELOAD=$shim "$XENCORE" "$@"
	else
		"$XENCORE" "$@"
	fi
}

# written WHAT OUT TARGET: filter -o OUT succeeds, TARGET holds the output
# (the same bytes as a direct run) and reads back; no temporary file left.
written() {
	what=$1
	out=$2
	target=$3
	if ! x filter -d 1 -o "$out" "$D/in.xc" >/dev/null 2>"$T/err"; then
		fail "$what: $(cat "$T/err")"
	elif [ ! -f "$target" ] || [ -L "$target" ] || ! cmp -s "$target" "$T/want.kdump"; then
		fail "$what: $target does not hold the output"
	elif ! "$XENCORE" info "$out" 2>/dev/null | grep -q '^format: *kdump$'; then
		fail "$what: xencore info $out does not read a kdump file"
	elif no_temps "$what" "$D" "$D/files" "$D/links"; then
		pass "$what"
	fi
}

# ---- refused: not a regular file ----
# /dev/null last, and only once a FIFO and a device in the scratch directory
# were refused: as root, a regression would turn the machine's /dev/null
# into a regular file.
failed_before=$failures
mkfifo "$D/fifo"
refused "FIFO" "$D/fifo" "xencore: $D/fifo: is a FIFO, not a regular file: refusing to write there"
[ -p "$D/fifo" ] && pass "the FIFO is still one" || fail "the FIFO was replaced"
if [ "$(id -u)" = 0 ]; then
	# In a directory the output could be renamed into: only the check stops it.
	if mknod "$D/null" c 1 3 2>/dev/null; then
		refused "character device, writable directory" "$D/null" \
			"xencore: $D/null: is a character device, not a regular file: refusing to write there"
		[ -c "$D/null" ] && pass "mknod'd device is still one" || fail "mknod'd device replaced"
		rm -f "$D/null"
	else
		echo "skip: mknod fails here (a container without the capability?)"
	fi
else
	echo "skip: a character device in a writable directory needs root (mknod)"
fi
if [ $failures = $failed_before ]; then
	refused "character device" /dev/null \
		"xencore: /dev/null: is a character device, not a regular file: refusing to write there" /dev
	[ -c /dev/null ] && pass "/dev/null is still a character device" ||
		fail "/dev/null is no longer a device"
	ln -s /dev/null "$D/links/null"
	refused "symbolic link to /dev/null" "$D/links/null" \
		"xencore: $D/links/null: is a symbolic link to /dev/null, a character device, not a regular file: refusing to write there" /dev
	[ "$(readlink "$D/links/null")" = /dev/null ] && [ -c /dev/null ] &&
		pass "the link to /dev/null is unchanged" || fail "the link to /dev/null changed"
else
	fail "not trying -o /dev/null: a FIFO or a device was not refused"
fi
if command -v python3 >/dev/null 2>&1 &&
   python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock" 2>/dev/null; then
	refused "socket" "$D/sock" "xencore: $D/sock: is a socket, not a regular file: refusing to write there"
	[ -S "$D/sock" ] && pass "the socket is still one" || fail "the socket was replaced"
	rm -f "$D/sock"
else
	echo "skip: no python3 to make a socket"
fi
mkdir "$D/dir"
refused "directory" "$D/dir" "xencore: $D/dir: is a directory, not a regular file: refusing to write there"
refused "directory, trailing slash" "$D/dir/" \
	"xencore: $D/dir/: is a directory, not a regular file: refusing to write there"
refused "new name ending in /" "$D/new/" "xencore: $D/new/: names a directory, not a file"
[ -d "$D/dir" ] && [ -z "$(ls -A "$D/dir")" ] && [ ! -e "$D/new" ] &&
	pass "directories untouched" || fail "directories changed"
ln -s ../fifo "$D/links/fifo"
ln -s fifo "$D/links/fifo2"
refused "chain to a FIFO" "$D/links/fifo2" \
	"xencore: $D/links/fifo2: is a symbolic link to $(cd "$D" && pwd -P)/fifo, a FIFO, not a regular file: refusing to write there"
ln -s ../dir "$D/links/dir"
refused "symbolic link to a directory" "$D/links/dir" \
	"xencore: $D/links/dir: is a symbolic link to $(cd "$D" && pwd -P)/dir, a directory, not a regular file: refusing to write there"
[ -L "$D/links/fifo" ] && [ -L "$D/links/dir" ] && [ -p "$D/fifo" ] && [ -z "$(ls -A "$D/dir")" ] &&
	pass "links to a FIFO and a directory unchanged" || fail "links to a FIFO or a directory changed"

# ---- refused: the input itself ----
ln -s ../in.xc "$D/links/in"
ln -s in "$D/links/in2"
ln "$D/in.xc" "$D/files/hard.xc"
for o in "$D/in.xc" "$D/links/in" "$D/links/in2" "$D/files/hard.xc"; do
	refused "the input ($o)" "$o" "xencore: $o: the output is the input dump: refusing to write over it"
done
[ -L "$D/links/in" ] && [ "$(cksum <"$D/files/hard.xc")" = "$sum" ] &&
	pass "the input's links unchanged" || fail "the input's links changed"

# ---- refused: too many links, an empty name; -o - is no file ----
ln -s loop2 "$D/links/loop1"
ln -s loop1 "$D/links/loop2"
refused "symbolic link loop" "$D/links/loop1" \
	"xencore: $D/links/loop1: cannot look up the output: Too many levels of symbolic links"
mkdir "$D/chain"
: >"$D/chain/l0"
i=1
while [ $i -le 41 ]; do
	ln -s l$((i - 1)) "$D/chain/l$i"
	i=$((i + 1))
done
refused "41 symbolic links" "$D/chain/l41" \
	"xencore: $D/chain/l41: cannot look up the output: Too many levels of symbolic links" "$D/chain"
[ ! -s "$D/chain/l0" ] && pass "41 links: their file untouched" || fail "41 links: their file written"
mkdir "$D/dash"
(cd "$D/dash" && "$XENCORE" filter -d 1 -o - "$D/in.xc") >"$T/out" 2>"$T/err"
rc=$?
if [ $rc = 0 ] && [ "$(head -c 12 "$T/out")" = makedumpfile ] && [ -z "$(ls -A "$D/dash")" ]; then
	pass "-o -: the flattened stream on standard output, no file"
else
	fail "-o -: exit $rc, $(cat "$T/err"), left $(ls -A "$D/dash")"
fi
(cd "$D/dash" && "$XENCORE" filter -d 1 -o ./- "$D/in.xc") >/dev/null 2>&1 &&
	cmp -s "$D/dash/-" "$T/want.kdump" && [ "$(ls -A "$D/dash")" = "-" ] &&
	pass "-o ./- writes a file named -" || fail "-o ./-: $(ls -A "$D/dash")"
refused "empty name" "" "xencore: filter: -o: the output file name is empty"

# ---- written: through symbolic links ----
echo old >"$D/files/t1"
ln -s ../files/t1 "$D/links/l1"
written "symbolic link to a regular file" "$D/links/l1" "$D/files/t1"
[ -L "$D/links/l1" ] && [ "$(readlink "$D/links/l1")" = ../files/t1 ] &&
	pass "the link stays a link to its file" || fail "the link was replaced"
echo old >"$D/files/t2"
ln -s "$D/files/t2" "$D/links/c1"
ln -s c1 "$D/links/c2"
ln -s "$D/links/c2" "$D/c3"
written "chain of three links" "$D/c3" "$D/files/t2"
[ -L "$D/c3" ] && [ -L "$D/links/c2" ] && [ -L "$D/links/c1" ] &&
	pass "the chain's links stay" || fail "the chain's links were replaced"
# 40 links, the kernel's limit too, are followed.
written "40 symbolic links" "$D/chain/l40" "$D/chain/l0"
[ -L "$D/chain/l40" ] && [ -L "$D/chain/l1" ] && no_temps "40 links" "$D/chain" &&
	pass "40 links: they stay"
# A dangling link: its target is created in its directory (which exists).
ln -s ../files/new.kdump "$D/links/dangling"
written "dangling symbolic link" "$D/links/dangling" "$D/files/new.kdump"
[ -L "$D/links/dangling" ] && [ "$(stat -c %a "$D/files/new.kdump")" = 600 ] &&
	pass "dangling link: the link stays, its new target has mode 0600" ||
	fail "dangling link: $(ls -l "$D/links/dangling" "$D/files/new.kdump")"
# ... unless that directory does not exist: an error, nothing created.
ln -s ../nodir/out "$D/links/nodir"
"$XENCORE" filter -d 1 -o "$D/links/nodir" "$D/in.xc" >/dev/null 2>"$T/err"
rc=$?
if [ $rc = 2 ] && [ "$(tail -1 "$T/err")" = "xencore: $D/links/nodir: cannot create a temporary file in $D/links/../nodir: No such file or directory" ] &&
   [ ! -e "$D/nodir" ] && [ -L "$D/links/nodir" ]; then
	pass "dangling link into a missing directory: exit 2, nothing created"
else
	fail "dangling link into a missing directory: exit $rc, $(cat "$T/err")"
fi
# A plain regular file is replaced (a new inode: its hard links keep the old).
echo old >"$D/files/plain"
ln "$D/files/plain" "$D/files/plain.link"
written "regular file" "$D/files/plain" "$D/files/plain"
[ "$(cat "$D/files/plain.link")" = old ] && pass "regular file: its other hard link keeps the old bytes" ||
	fail "regular file: its other hard link changed"

# ---- names as long as the directory takes (NAME_MAX, 255 bytes) ----
# The temporary name does not grow with the output's: each format, a new
# name (linked there at once) and an existing file (replaced by rename).
long=$(printf '%0255d' 0 | tr 0 n)
# long_names WHAT: filter to $D/long/$long in each format, twice.
long_names() {
	rm -rf "$D/long"
	mkdir "$D/long"
	for fmt in kdump elf xc_core; do
		for round in new existing; do
			if ! x filter --output-format=$fmt -o "$D/long/$long" "$D/in.xc" \
				>/dev/null 2>"$T/err"; then
				fail "$1: 255-byte name, $fmt, $round: $(cat "$T/err")"
			elif [ "$(ls -A "$D/long")" != "$long" ] ||
			     [ "$(stat -c %a "$D/long/$long")" != 600 ] ||
			     ! "$XENCORE" info "$D/long/$long" 2>/dev/null | grep -q '^format: '; then
				fail "$1: 255-byte name, $fmt, $round: $(ls -lA "$D/long")"
			else
				pass "$1: 255-byte name, $fmt, $round"
			fi
		done
		rm -f "$D/long/$long"
	done
}
long_names "unnamed temporary"

# ---- no O_TMPFILE: a named temporary file, as before ----
# tests/no-tmpfile.so makes open(O_TMPFILE) fail as a filesystem without it
# does (EOPNOTSUPP; EISDIR and EINVAL as kernels and filesystems say it
# too).  Not with a sanitizer's runtime, which must be preloaded first.
so="$top_builddir/tests/no-tmpfile.so"
if [ -f "$so" ] && LD_PRELOAD="$(cd "$(dirname "$so")" && pwd)/no-tmpfile.so" "$XENCORE" --version >/dev/null 2>&1; then
	shim="$(cd "$(dirname "$so")" && pwd)/no-tmpfile.so"
	for e in 95 21 22; do	# EOPNOTSUPP, EISDIR, EINVAL
		echo old >"$D/files/plain$e"
		ln "$D/files/plain$e" "$D/files/plain$e.link"
		NO_TMPFILE_ERRNO=$e
		export NO_TMPFILE_ERRNO
		written "no O_TMPFILE (errno $e): regular file" \
			"$D/files/plain$e" "$D/files/plain$e"
		[ "$(cat "$D/files/plain$e.link")" = old ] && [ "$(stat -c %a "$D/files/plain$e")" = 600 ] &&
			pass "no O_TMPFILE (errno $e): mode 0600, the other hard link keeps the old bytes" ||
			fail "no O_TMPFILE (errno $e): $(ls -l "$D/files/plain$e" "$D/files/plain$e.link")"
	done
	unset NO_TMPFILE_ERRNO
	ln -s ../files/new2.kdump "$D/links/dangling2"
	written "no O_TMPFILE: dangling symbolic link" "$D/links/dangling2" "$D/files/new2.kdump"
	written "no O_TMPFILE: chain of three links" "$D/c3" "$D/files/t2"
	long_names "no O_TMPFILE"
	# A failure removes the named temporary file.
	mkdir "$D/fsz"
	(trap '' XFSZ; ulimit -f 64; LD_PRELOAD=$shim "$XENCORE" filter -o "$D/fsz/out" "$D/in.xc") \
		>/dev/null 2>"$T/err"
	rc=$?
	[ $rc = 2 ] && [ -z "$(ls -A "$D/fsz")" ] && grep -q "^xencore: $D/fsz/out: cannot write: File too large$" "$T/err" &&
		pass "no O_TMPFILE: a failed write leaves nothing" ||
		fail "no O_TMPFILE: a failed write: exit $rc, left $(ls -A "$D/fsz"), $(cat "$T/err")"
	shim=
else
	echo "skip: tests/no-tmpfile.so is not built or cannot be preloaded (a sanitizer build?)"
fi

finish
