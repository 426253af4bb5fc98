#!/bin/bash
# live-demo.sh: the README's live demo. Synthetic sensor data at 60 times
# real speed goes through a downsampler and tsplot draws the original and
# the downsampled series over each other, one panel per series, moving.
#
#   scripts/live-demo.sh                   in this terminal (or a window)
#   scripts/live-demo.sh --serve 8080      on http://127.0.0.1:8080/
#   scripts/live-demo.sh --output chart.png   a PNG rewritten every second
#
# Any arguments go to tsplot. METHOD=dwt (default: dwt | thresh | merge,
# db4 wavelet, 1 point in 8), paa or lttb picks the downsampler; SERIES=N
# (default 3) the number of series; SPAN (default 15m) the window. Ctrl-C
# ends it. ONCE=N stops after N minutes of data (for cron and tests).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="${B:-$ROOT/build/rel}/bin:$PATH"
METHOD=${METHOD:-dwt}
SERIES=${SERIES:-3}
SPAN=${SPAN:-15m}
POINTS=0
[ -n "${ONCE:-}" ] && POINTS=$((ONCE * 60))
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
mkfifo "$W/down"
case $METHOD in
dwt)  down() { dwt -w 128 -J 4 -W db4 | thresh --ratio 8 | merge --shape long; } ;;
paa)  down() { paa -Z -w 64 -g 8; } ;;
lttb) down() { lttb -w 64 -n 8; } ;;
*) echo "live-demo.sh: METHOD is dwt, paa or lttb" >&2; exit 2 ;;
esac
tsgen --series-count "$SERIES" --points "$POINTS" --step 1s --realtime=60 --spike-rate 0.01 |
	tee >(down >"$W/down") |
	tsplot --span "$SPAN" --panels --labels "original,$METHOD" "$@" - "$W/down"
