#!/bin/bash
# The main job on bundled data (make demo): take a real data-center series,
# downsample it with each method, measure what each kept, and plot the
# original and the wavelet-reduced series. Output goes to demo/.
set -eu
BIN=${B:?}/bin
export PATH="$BIN:$PATH"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAB=${NAB:-$ROOT/../shared/data/nab}
[ -d "$NAB" ] || NAB=/work/shared/data/nab
IN=$NAB/machine_temperature_system_failure.csv
OUT=${OUT:-$ROOT/demo}
mkdir -p "$OUT"

echo "input: $IN ($(($(wc -l < "$IN") - 1)) samples)"
tsconv -i "$IN"

echo; echo "== CSV -> binary -> CSV"
tsconv -o bin "$IN" > "$OUT/machine.bin"
tsconv -o csv "$OUT/machine.bin" > "$OUT/machine.csv"
cmp "$IN" "$OUT/machine.csv" && echo "round trip through $(stat -c %s "$OUT/machine.bin") bytes of binary frames: identical"

echo; echo "== PAA (raw means of 8 samples) and SAX (words of 8 letters per day)"
paa -Z -w 256 -g 8 "$IN" 2>/dev/null > "$OUT/paa.csv"
echo "paa: $(($(wc -l < "$OUT/paa.csv") - 1)) points"
sax -w 1d -g 36 -a 8 "$IN" 2>/dev/null > "$OUT/sax.csv"
head -4 "$OUT/sax.csv"
sax -D "$OUT/sax.csv" > "$OUT/sax-decoded.csv"

if [ -x "$BIN/dwt" ] && [ -x "$BIN/thresh" ] && [ -x "$BIN/merge" ]; then
	echo; echo "== wavelet: dwt -w 256 -J 4 | thresh --ratio 8 | merge"
	dwt -w 256 -J 4 "$IN" 2>/dev/null | thresh --ratio 8 | merge > "$OUT/wavelet.csv"
	echo "reduced: $(($(wc -l < "$OUT/wavelet.csv") - 1)) points"
	if [ -x "$BIN/tscore" ]; then
		dwt -w 256 -J 4 "$IN" 2>/dev/null | tscore | thresh --ratio 8 | merge > "$OUT/learned.csv"
		echo "learned scorer: $(($(wc -l < "$OUT/learned.csv") - 1)) points"
	fi
fi
if [ -x "$BIN/tseval" ]; then
	echo; echo "== fidelity against the original (tseval)"
	for f in paa wavelet learned; do
		[ -f "$OUT/$f.csv" ] || continue
		echo "-- $f"
		tseval --charts -N machine_temperature_system_failure -e "$NAB/anomaly_windows.json" \
			"$IN" "$OUT/$f.csv" 2>/dev/null
	done
fi
if [ -x "$BIN/tsplot" ] && [ -f "$OUT/wavelet.csv" ]; then
	tsplot --title "machine temperature: original and 1/8 wavelet reduction" --labels original,reduced \
		--output "$OUT/chart.png" "$IN" "$OUT/wavelet.csv" 2>/dev/null &&
		echo "chart: $OUT/chart.png (original: thin line; reduced: line with points)"
fi
if [ -x "$BIN/tsbroker" ] && [ -x "$BIN/tsconsume" ] && [ -x "$BIN/tsproduce" ]; then
	echo; echo "== the pipeline through Kafka, on tsbroker (librdkafka's mock cluster: no Kafka installed)"
	OUT=$OUT/kafka B=$B bash "$ROOT/scripts/kafka-demo.sh"
fi
echo; echo "outputs in $OUT/"
