#!/bin/sh
# settle-property.sh: the property test of the monthly settlement
# (tests/settle-property.py): random portfolios with a fixed seed through
# scripts/monthly, a fault in one input at a time, checked against an
# oracle in Python's decimal module.  Skipped (77) without python3.
command -v python3 >/dev/null 2>&1 || {
	echo "settle-property: python3 is not installed: skipped"
	exit 77
}
src=$(cd "${srcdir:-.}" && pwd)
exec python3 "$src/tests/settle-property.py" "$src" "$(pwd)" "${DG_PROPERTY_PORTFOLIOS:-10}"
