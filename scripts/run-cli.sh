#!/bin/bash
# Run command-line test scripts (tests/cli/*.sh). Each script sources
# tests/cli/lib.sh and calls its checks; results are tallied here.
# TSD_BIN must name the directory holding the built tools.
: "${TSD_BIN:?TSD_BIN must be set}"
export TSD_BIN PATH="$TSD_BIN:$PATH"
export TSD_ROOT=${TSD_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
# NAB's series: beside the clone (../shared), else where this machine keeps them
if [ -z "${TSD_DATA:-}" ]; then
	for d in "$TSD_ROOT/../shared/data/nab" /work/shared/data/nab; do
		if [ -d "$d" ]; then TSD_DATA=$(cd "$d" && pwd); break; fi
	done
fi
export TSD_DATA=${TSD_DATA:-}
tally=$(mktemp); trap 'rm -f "$tally"' EXIT
export TSD_TALLY=$tally
for s in "$@"; do
	bash "$s" || echo "F $s: script exited with status $?" >>"$tally"
done
pass=$(grep -c '^P' "$tally"); fail=$(grep -c '^F' "$tally")
grep '^F' "$tally" | sed 's/^F /FAIL: /' >&2
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
