#!/bin/sh
# ds.sh: build bench/ds_bench.c against the release library and run it:
# MinMax, M4 and LTTB on 1e8 float64 samples, beside a memcpy of the same
# 800 MB timed in the same run and the published tsdownsample figures.
# usage: bench/ds.sh [n [n_out]]   ($B: the build tree, default build/rel)
set -eu
cd "$(dirname "$0")/.."
B=${B:-build/rel}
[ -f "$B/libtsd.a" ] || make --no-print-directory "$B/libtsd.a" >/dev/null
out=$(mktemp /tmp/ds_bench.XXXXXX)
trap 'rm -f "$out"' EXIT
${CC:-cc} -O3 -march=native -Ilib -o "$out" bench/ds_bench.c "$B/libtsd.a" -lm
echo "== ds_bench: lib-level downsampler throughput ($(uname -m), $(nproc) cpus)"
"$out" "$@"
