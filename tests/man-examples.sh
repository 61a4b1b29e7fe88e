#!/bin/sh
# man-examples.sh: runs every command of every man page's EXAMPLES section.
#
# In the mdoc source, an example command is a line that starts with "$ "
# inside the EXAMPLES section.  Each runs with sh in a fresh directory
# holding a link `testdata` to the source tree's testdata/, with the built
# commands first on PATH; it passes when it exits 0 and writes something
# (to standard output or a file).  A page whose first line is
# `.\" needs: PROGRAM ...` has its examples skipped, saying so, when one of
# those programs (gnuplot, chromium) is not installed.
set -u
src=$(cd "${srcdir:-.}" && pwd)
build=$(pwd)
PATH="$build/cmd:$src/scripts:$PATH"
export PATH
LC_ALL=C
export LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-man.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
for page in "$src"/man/*.[1-9]; do
	[ -f "$page" ] || continue
	missing=
	# shellcheck disable=SC2013 # the names of one line, split at blanks
	for need in $(sed -n '1s/^\.\\" needs: //p' "$page"); do
		command -v "$need" >/dev/null 2>&1 || missing="$missing $need"
	done
	if [ -n "$missing" ]; then
		echo "SKIP: $(basename "$page"): not installed:$missing"
		continue
	fi
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | sed -n 's/^\\\{0,1\}&\{0,1\}\$ //p' >"$tmp/cmds"
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		dir="$tmp/run"
		rm -rf "$dir"
		mkdir "$dir"
		ln -s "$src/testdata" "$dir/testdata"
		cmd=$(printf '%s' "$cmd" | sed 's/\\e/\\/g; s/\\(em/--/g; s/\\-/-/g')
		if (cd "$dir" && sh -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null) &&
		    { [ -s "$tmp/out" ] ||
		    [ "$(find "$dir" ! -name testdata | wc -l)" -gt 1 ]; }; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL: $(basename "$page") example $n: $cmd"
			head -5 "$tmp/err"
		fi
	done <"$tmp/cmds"
done
echo "man examples: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
