#!/bin/bash
# fuzz-corpus.sh DIR: seed corpora for make fuzz from the tools' own output:
# CSV in each shape, binary frames of samples and of coefficients, Kafka
# payloads. The reader's inputs start with the byte that picks its options.
set -eu
D=$1
BIN=${B:?}/bin
mkdir -p "$D/corpus_reader" "$D/corpus_kdec" "$D/corpus_coefwin"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$BIN/tsgen" -n 2 -p 40 -s 1 >"$T/long.csv"
"$BIN/tsgen" -p 40 -s 2 >"$T/single.csv"
printf 'timestamp,a,b\n1704067200,1,2\n1704067260,,3\n' >"$T/wide.csv"
printf 'series;timestamp;value\n"s;1";2024-01-01T00:00:00Z;1.5\r\n' >"$T/quoted.csv"
"$BIN/tsconv" -o bin "$T/long.csv" >"$T/long.bin"
"$BIN/dwt" -W haar -w 16 -J 2 "$T/single.csv" >"$T/coef.csv"
"$BIN/dwt" -W haar -w 16 -J 2 -o bin "$T/single.csv" >"$T/coef.bin"
i=0
for f in "$T"/*; do
	for opt in 0 3 6 10; do
		{ printf "\\$(printf %03o $opt)"; head -c 3000 "$f"; } >"$D/corpus_reader/seed$i"
		i=$((i + 1))
	done
done
head -c 200 "$T/long.csv" >"$D/corpus_kdec/csv"
printf '2024-01-01 00:00:00,1\n2024-01-01 00:01:00,nan\n' >"$D/corpus_kdec/keyed"
head -c 400 "$T/long.bin" >"$D/corpus_kdec/bin"
head -c 1500 "$T/coef.bin" >"$D/corpus_kdec/coef"
for f in coef.csv coef.bin; do
	{ printf '\003'; head -c 3000 "$T/$f"; } >"$D/corpus_coefwin/$f"
done
"$BIN/dwt" -W db2 -m periodization -w 8 -J 1 "$T/single.csv" | head -c 2000 >"$D/corpus_coefwin/db2.csv"
"$BIN/dwt" -W haar -w 7 -J 2 -o bin "$T/single.csv" | head -c 2000 >"$D/corpus_coefwin/odd.bin"
# whole tools (fuzz_tool_*): the first byte picks the option set; samples
# for the sample readers, coefficients for the coefficient readers, and
# the small files of the hostile corpus for both
H=$(dirname "$0")/../testdata/hostile
for t in tsconv paa sax dwt lttb sdt thresh merge tscore; do
	mkdir -p "$D/corpus_tool_$t"
	case $t in
	thresh|merge|tscore) seeds="$T/coef.csv $T/coef.bin" ;;
	*) seeds="$T/long.csv $T/single.csv $T/wide.csv $T/long.bin" ;;
	esac
	i=0
	for f in $seeds $(find "$H" -name '*.bin' -size -4k) $(find "$H" -name '*.csv' -size -4k); do
		for opt in 0 1 2 3; do
			{ printf "\\$(printf %03o $opt)"; head -c 4000 "$f"; } >"$D/corpus_tool_$t/seed$i"
			i=$((i + 1))
		done
	done
done
