#!/bin/sh
# golden.sh: runs every CLI golden case under tests/cases/.
#
# A case is a directory holding `cmd` (a sh script), the expected `stdout`,
# `stderr` and `status`, and optionally `files`: the sorted list of files the
# run must leave in its (fresh, empty) working directory.  Without `files`
# the directory must be left empty, which is how a case proves that -o left
# nothing behind after an error.  The working directory holds a link
# `testdata` to the source tree's testdata/, so cases name inputs by
# relative paths (testdata/sample/sites.csv) and messages do not depend on
# where the tree is.  Environment of a case: DG_TESTDATA (the source tree's
# testdata/), DG_CASE (the case directory), PATH with the built commands
# first, LC_ALL=C, TZ unset.
#
# usage: golden.sh [CASE ...]   (default: all cases)
# DG_GOLDEN_RECORD=1 writes each run's output into its case as the
# expected output: review the diff before committing it.
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
PATH="$build/cmd:$src/scripts:$PATH"
DG_TESTDATA="$src/testdata"
export PATH DG_TESTDATA
LC_ALL=C
export LC_ALL
unset TZ
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-golden.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0
[ $# -gt 0 ] || set -- "$src"/tests/cases/*/
for c in "$@"; do
	[ -f "$c/cmd" ] || continue
	c=$(cd "$c" && pwd)
	name=$(basename "$c")
	work="$tmp/$name"
	mkdir -p "$work/run"
	ln -s "$src/testdata" "$work/run/testdata"
	(cd "$work/run" && DG_CASE="$c" sh "$c/cmd" >"$work/stdout" 2>"$work/stderr" </dev/null)
	echo $? >"$work/status"
	(cd "$work/run" && find . -mindepth 1 ! -path ./testdata | sed 's,^\./,,' | LC_ALL=C sort) >"$work/files"
	if [ -n "${DG_GOLDEN_RECORD:-}" ]; then
		# record what the run did, for a person to review before commit
		for f in stdout stderr status; do
			if [ -s "$work/$f" ] || [ "$f" = status ]; then
				cp "$work/$f" "$c/$f"
			else
				rm -f "$c/$f"
			fi
		done
		if [ -s "$work/files" ]; then cp "$work/files" "$c/files"; else rm -f "$c/files"; fi
	fi
	ok=1
	for f in stdout stderr status; do
		exp="$c/$f"
		[ -f "$exp" ] || exp=/dev/null
		if ! cmp -s "$exp" "$work/$f"; then
			ok=0
			echo "FAIL: $name: $f differs:"
			diff -u "$exp" "$work/$f" | head -40
		fi
	done
	exp="$c/files"
	[ -f "$exp" ] || exp=/dev/null
	if ! cmp -s "$exp" "$work/files"; then
		ok=0
		echo "FAIL: $name: files left in the working directory differ:"
		diff -u "$exp" "$work/files" | head -20
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1))
		echo "PASS: $name"
	else
		fail=$((fail + 1))
	fi
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
