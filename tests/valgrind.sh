#!/bin/sh
# valgrind.sh: runs the unit tests and every golden case's commands under
# valgrind (memcheck, --leak-check=full) and fails on any error: an invalid
# read or write, a use of uninitialised memory, a definite or possible leak.
#
# Run from a configured build directory after `make check` (it uses the
# built commands and unit tests; cmd/.libs holds the real binaries when the
# library is shared).  The golden cases run through tests/golden.sh with
# every dg-* on PATH replaced by a shim that execs valgrind on the binary:
# a valgrind report lands on the case's stderr and fails the case with its
# diff; the exit status is 99 on any error.
#
# usage: tests/valgrind.sh [CASE ...]   (default: unit tests and all cases)
#   VALGRIND_JOBS=N   cases run in N parallel groups (default 2)
set -u
build=$(pwd)
src=$(cd "${srcdir:-$(dirname "$0")/..}" && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind.sh: valgrind not installed" >&2; exit 77; }
jobs=${VALGRIND_JOBS:-2}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dg-valgrind.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
# valgrind by its path: a case may run its command with PATH emptied
vg="$(command -v valgrind) -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible --track-origins=no --num-callers=20"
libpath=$build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
status=0

# Shims: $tmp/cmd/dg-NAME execs valgrind on the real binary.
mkdir -p "$tmp/cmd"
for c in "$build"/cmd/dg-*; do
	[ -x "$c" ] || continue
	case $c in *.c|*.o|*.h) continue ;; esac
	n=$(basename "$c")
	real=$c
	[ -x "$build/cmd/.libs/$n" ] && real=$build/cmd/.libs/$n
	cat >"$tmp/cmd/$n" <<SHIM
#!/bin/sh
LD_LIBRARY_PATH='$libpath' exec $vg '$real' "\$@"
SHIM
	chmod +x "$tmp/cmd/$n"
done

# Unit tests (in process: CK_FORK=no, so valgrind sees every test).
if [ $# -eq 0 ]; then
	for t in "$build"/tests/unit/check_*; do
		[ -x "$t" ] || continue
		case $t in *.c|*.o|*.log|*.trs) continue ;; esac
		n=$(basename "$t")
		real=$t
		[ -x "$build/tests/unit/.libs/$n" ] && real=$build/tests/unit/.libs/$n
		[ -x "$build/tests/unit/.libs/lt-$n" ] && real=$build/tests/unit/.libs/lt-$n
		if CK_FORK=no LD_LIBRARY_PATH=$libpath $vg "$real" >"$tmp/$n.log" 2>&1; then
			echo "PASS: valgrind $n"
		else
			status=1
			echo "FAIL: valgrind $n"
			grep -E '==[0-9]+==|Checks|Failures|Errors' "$tmp/$n.log" | head -40
		fi
	done
fi

# Golden cases, split in $jobs groups run at once (a group's file holds a
# case directory a line).
[ $# -gt 0 ] || set -- "$src"/tests/cases/*/
i=0
for c in "$@"; do
	(cd "$c" && pwd) >>"$tmp/group.$((i % jobs))"
	i=$((i + 1))
done
g=0
while [ $g -lt "$jobs" ]; do
	if [ -f "$tmp/group.$g" ]; then
		(set --
		while IFS= read -r c; do set -- "$@" "$c"; done <"$tmp/group.$g"
		cd "$tmp" && srcdir=$src sh "$src/tests/golden.sh" "$@" \
		    >"$tmp/golden.$g.log" 2>&1; echo $? >"$tmp/golden.$g.status") &
	fi
	g=$((g + 1))
done
wait
g=0
while [ $g -lt "$jobs" ]; do
	if [ -f "$tmp/golden.$g.log" ]; then
		grep -v '^PASS: ' "$tmp/golden.$g.log"
		[ "$(cat "$tmp/golden.$g.status")" = 0 ] || status=1
	fi
	g=$((g + 1))
done
if [ $status -eq 0 ]; then
	echo "valgrind: all clean"
else
	echo "valgrind: FAILED" >&2
fi
exit $status
