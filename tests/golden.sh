#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# golden.sh: info and p2m output (every source) for every checked-in fixture, against the
# golden files in testdata/golden (NAME.CASE.out: stdout; NAME.CASE.err:
# stderr then "exit: N").  XENCORE_UPDATE_GOLDEN=1 rewrites them instead.
. "${srcdir:-.}/tests/common.sh"

for f in $GOOD_FIXTURES; do
	golden "$f.info" info "$f.xc"
	golden "$f.info-json" info --json "$f.xc"
	golden "$f.runs" p2m --format=runs "$f.xc"
	golden "$f.linear-runs" p2m --source=linear --format=runs "$f.xc"
	golden "$f.dump-runs" p2m --source=dump --format=runs "$f.xc"
	golden "$f.tree-runs" p2m --source=tree --format=runs "$f.xc"
	golden "$f.json" p2m --format=json "$f.xc"
	golden "$f.check" check "$f.xc"
	golden "$f.check-json" check --json --all "$f.xc"
done
finish
