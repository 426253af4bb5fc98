#!/bin/bash
# The main job through Kafka, on a laptop without Kafka: tsbroker (the mock
# cluster) stands in for the brokers. Sensors publish to a topic; the
# pipeline tsconsume | dwt | tscore | merge | tsproduce downsamples them
# with committed offsets; the reduced topic is read back and plotted over
# the original. With BROKERS=host:port a real cluster is used instead.
# Usage: scripts/kafka-demo.sh      (tools from $B/bin, default build/rel;
#        outputs in demo/kafka/; make demo runs it)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${B:-$ROOT/build/rel}/bin
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
export PATH="$BIN:$PATH"
OUT=${OUT:-$ROOT/demo/kafka}
mkdir -p "$OUT"
T=$(mktemp -d)
BP=
trap '[ -n "$BP" ] && kill $BP 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

if [ -n "${BROKERS:-}" ]; then
	BR=$BROKERS
	COMMIT=${COMMIT:-txn}
else
	tsbroker -p 4 -t sensors -t reduced </dev/null >"$T/bs" & BP=$!
	for i in $(seq 50); do [ -s "$T/bs" ] && break; sleep 0.1; done
	BR=$(cat "$T/bs")
	# the mock cluster does not keep offsets sent in transactions
	COMMIT=${COMMIT:-ack}
fi
echo "brokers: $BR (commit mode $COMMIT)"

echo "== sensors -> topic 'sensors' (4 series, 2 days at 1 min, keyed by series)"
tsgen -n 4 -p 2880 -r 1m -s 1 | tee "$OUT/sensors.csv" | tsproduce -b "$BR" -t sensors --commit none
echo "== tsconsume | dwt -w 6h | tscore | merge | tsproduce (offsets of group 'demo' committed after the output)"
tsconsume -q -b "$BR" -G demo -a -t sensors -e --output-format bin |
	dwt -w 6h -J 4 -o bin | tscore -o bin | merge |
	tsproduce -b "$BR" -t reduced -G demo --commit "$COMMIT"
echo "== a restart of the same pipeline finds nothing new to read:"
n=$(tsconsume -q -b "$BR" -G demo -a -t sensors -e | grep -vc '^#' || true)
echo "   $n records"
tsconsume -q -b "$BR" -t reduced -e | grep -v '^#' >"$OUT/reduced.csv"
echo "reduced: $(($(wc -l <"$OUT/reduced.csv") - 1)) of $(($(wc -l <"$OUT/sensors.csv") - 1)) samples"
if command -v tsplot >/dev/null; then
	tsplot --once --panels --output "$OUT/chart.png" --labels original,reduced \
		"$OUT/sensors.csv" "$OUT/reduced.csv" 2>/dev/null && echo "chart: $OUT/chart.png"
fi
