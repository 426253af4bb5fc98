#!/bin/bash
# reduce-error.sh: interpolation error of merge's reduced series.
#
# Usage: scripts/reduce-error.sh FILE [RATIO [WINDOW [LEVELS [WAVELET]]]]
# Defaults: ratio 8, window 256, 4 levels, db4. Runs
#     dwt -w WINDOW -J LEVELS -W WAVELET FILE | thresh --ratio RATIO | merge
# interpolates the reduced series linearly at every input time (flat past
# its ends) and prints the points in and out, the NRMSE (RMSE over the
# input's range) and the largest absolute error; beside them, the same
# figures for keeping every RATIO-th sample, as a baseline.
# The tools are taken from $PATH, else from build/rel/bin.
set -eu
f=${1:?usage: reduce-error.sh FILE [RATIO [WINDOW [LEVELS [WAVELET]]]]}
ratio=${2:-8} window=${3:-256} levels=${4:-4} wavelet=${5:-db4}
if ! command -v merge >/dev/null; then
	PATH=$(cd "$(dirname "$0")/.." && pwd)/build/rel/bin:$PATH
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# times as seconds, so awk can interpolate
tsconv -t s --no-header "$f" 2>/dev/null >"$tmp/in"
dwt -w "$window" -J "$levels" -W "$wavelet" "$f" 2>/dev/null | thresh --ratio "$ratio" |
	merge -t s --no-header >"$tmp/out"
awk -F, -v ratio="$ratio" -v what="dwt -w $window -J $levels -W $wavelet | thresh --ratio $ratio | merge" '
FNR == NR { rt[n] = $1 + 0; rv[n] = $2 + 0; n++; next }
{ t[m] = $1 + 0; x[m] = $2 + 0; m++ }
function err(bt, bv, nb,    i, j, y, e, se, mx) {
	j = 0; se = 0; mx = 0
	for (i = 0; i < m; i++) {
		while (j + 1 < nb && bt[j + 1] <= t[i]) j++
		if (t[i] <= bt[0]) y = bv[0]
		else if (j + 1 >= nb) y = bv[nb - 1]
		else y = bv[j] + (bv[j + 1] - bv[j]) * (t[i] - bt[j]) / (bt[j + 1] - bt[j])
		e = x[i] - y; se += e * e
		if (e < 0) e = -e
		if (e > mx) mx = e
	}
	ERR_RMS = sqrt(se / m); ERR_MAX = mx
}
END {
	lo = hi = x[0]
	for (i = 1; i < m; i++) { if (x[i] < lo) lo = x[i]; if (x[i] > hi) hi = x[i] }
	range = hi > lo ? hi - lo : 1
	err(rt, rv, n)
	printf "%s\n", what
	printf "points: %d in, %d out (ratio %.3f)\n", m, n, m / n
	printf "reduced series:   NRMSE %.5f  max abs error %.5g\n", ERR_RMS / range, ERR_MAX
	k = 0
	for (i = 0; i < m; i += ratio) { bt[k] = t[i]; bv[k] = x[i]; k++ }
	err(bt, bv, k)
	printf "every %dth sample: NRMSE %.5f  max abs error %.5g (%d points)\n", ratio, ERR_RMS / range, ERR_MAX, k
}' "$tmp/out" "$tmp/in"
