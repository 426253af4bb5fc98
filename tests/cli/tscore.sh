# tscore: scores on every detail, determinism, CSV and binary paths,
# pipelines into thresh and merge, bad models with their exact messages.
. "$TSD_ROOT/tests/cli/lib.sh"
NAB=$DATA/nab; [ -d "$NAB" ] || NAB=$DATA
JD=$NAB/art_daily_jumpsdown.csv

tsgen --points 700 -S 5 >g.csv
dwt -w 128 -J 3 g.csv >c.csv 2>/dev/null
dwt -w 128 -J 3 -o bin g.csv >c.bin 2>/dev/null

ck help 0 '' 'tscore --help | grep -q "^usage: tscore"'
ck info 0 '' 'tscore --info | grep -q "^features 14$"'
ck samples 1 "tscore: g.csv:2: expected wavelet coefficients (dwt output), found samples" 'tscore g.csv'

# every coefficient scored, values unchanged; approximations score 1
ok scores 'tscore c.csv > s.csv'
ck all-scored 0 '' 'test $(grep -c ",[AD],.*,[0-9.e-]*$" s.csv) = $(grep -c ",[AD]," c.csv)'
ck approx-1 0 '' 'test $(grep ",A," s.csv | grep -vc ",1$") = 0'
ck in-range 0 '' 'grep ",D," s.csv | awk -F, "\$9 < 0 || \$9 > 1 { exit 1 }"'
ck values-kept 0 '' 'cut -d, -f1-8 s.csv > v1; cut -d, -f1-8 c.csv | sed 2s/\$/,score/ | cut -d, -f1-8 > v2; cmp -s v1 v2'
# deterministic; CSV and binary input agree; binary output reads back the same
ok again 'tscore c.csv > s2.csv'
same twice s.csv s2.csv
ok bin 'tscore -o csv c.bin > sb.csv && tscore -o bin c.bin | tscore -o csv > sbb.csv'
same csv-bin s.csv sb.csv
same rescored s.csv sbb.csv   # scoring a scored stream replaces its scores
ok bin-out 'tscore -o bin c.csv | thresh -r 4 | merge -o csv --shape long > rb.csv && tscore c.csv | thresh -r 4 | merge --shape long > rc.csv'
same bin-out-same rb.csv rc.csv
# a named model file scores as the built-in one it was copied from
ok named "tscore -M $TSD_ROOT/models/default.tsdm c.csv > sn.csv"
same named-eq-builtin s.csv sn.csv

# pipelines: dwt | tscore | thresh | merge and dwt | tscore | merge
ok pipe-thresh "dwt -w 256 -J 5 $JD 2>/dev/null | tscore | thresh --ratio 8 | merge > r.csv"
ck pipe-thresh-points 0 '' 'test $(tail -n +2 r.csv | wc -l) = 504'
ok pipe-merge "dwt -w 256 -J 5 $JD 2>/dev/null | tscore | merge > r2.csv"
ck pipe-merge-points 0 '' 'test $(tail -n +2 r2.csv | wc -l) -ge 126'
# thresh --budget on a scored stream keeps the top-scored details: a
# stream whose scores rank the details against their magnitude
awk -F, 'BEGIN { OFS = "," } NR == 1 || $3 == "A" || $3 == "W" { print; next }
	$3 == "D" { $9 = 1 / (1 + ($8 < 0 ? -$8 : $8)); print; next } { print }' s.csv > inv.csv
# window 0: 128 samples, J 3: 16 coarse points, so -b 20 keeps 4 details,
# the 4 best scored (here the 4 smallest magnitudes)
ck budget-by-score 0 '' 'thresh -b 20 inv.csv | awk -F, "\$3 == \"D\" && \$2 == 0" | cut -d, -f1-5 | sort > k1
	awk -F, "\$3 == \"D\" && \$2 == 0" inv.csv | sort -t, -k9,9gr | head -4 | cut -d, -f1-5 | sort > k2
	test -s k1 && cmp -s k1 k2'
ck ratio-by-score 0 '' 'test "$(thresh -r 4 inv.csv | merge | wc -l)" = "$(thresh -r 4 c.csv | merge | wc -l)"'

# NaN or infinity never reach the model
sed '5s/,[^,]*,\([^,]*\)$/,inf,\1/' s.csv > inf.csv
ck inf 1 '*' 'tscore inf.csv'

# bad model files: missing, empty, truncated, not a model, other version,
# impossible or inconsistent dimensions, corrupt weights
cp "$TSD_ROOT/models/default.tsdm" m.tsdm
head -c 1000 m.tsdm > trunc.tsdm
: > empty.tsdm
{ printf XXXX; tail -c +5 m.tsdm; } > magic.tsdm
setb() { # FILE OFFSET BYTE > OUT: one byte replaced
	{ head -c "$2" "$1"; printf "\\$(printf %o "$3")"; tail -c +$(($2 + 2)) "$1"; }
}
setb m.tsdm 4 2 > ver.tsdm
setb m.tsdm 16 17 > dims.tsdm
setb m.tsdm 28 33 > size.tsdm
setb m.tsdm 5000 0 > crc.tsdm
H="retrain with tstrain or pass the right file"
ck no-model 1 "tscore: nope.tsdm: cannot open: No such file or directory; train one with tstrain or pass the right path" 'tscore -M nope.tsdm c.csv'
ck empty-model 1 "tscore: empty.tsdm: truncated: 0 of 256 header bytes; $H" 'tscore -M empty.tsdm c.csv'
ck trunc-model 1 "tscore: trunc.tsdm: truncated: 744 of 19060 weight bytes; $H" 'tscore -M trunc.tsdm c.csv'
ck magic-model 1 'tscore: magic.tsdm: not a tsdown model (magic is not "TSDM"); pass a file written by tstrain' 'tscore -M magic.tsdm c.csv'
ck version-model 1 "tscore: ver.tsdm: model format version 2, this build reads version 1; retrain with this tstrain or use the tsdown that wrote it" 'tscore -M ver.tsdm c.csv'
ck dims-model 1 "tscore: dims.tsdm: bad dimensions: model width 17 is not a multiple of heads 2; $H" 'tscore -M dims.tsdm c.csv'
ck size-model 1 "tscore: size.tsdm: header says 4737 parameters and 28 normalisation floats, but F=14 C=16 NH=2 L=2 H=33 give 4803 and 28; the file is corrupt, $H" 'tscore -M size.tsdm c.csv'
ck crc-model 1 "tscore: crc.tsdm: checksum mismatch (file X, weights X): the file is corrupt; $H" \
	'tscore -M crc.tsdm c.csv 2>&1 >/dev/null | sed "s/[0-9a-f]\{8\}/X/g" >&2; exit ${PIPESTATUS[0]}'
ck no-output-on-bad-model 0 '' 'tscore -M trunc.tsdm c.csv 2>/dev/null | wc -c | grep -qx 0'

# -j N: the same output, record for record, as one thread, with source
# positions kept behind the windows read before them (CSV and binary)
tsgen --series-count 3 --points 3000 --step 1s | dwt -w 256 -J 5 > c3.csv
awk 'NR > 1 && NR % 997 == 0 { print "#tsd pos topic=in partition=" NR % 4 " offset=" NR } { print }' c3.csv > c3p.csv
ok jobs-positions-in 'test "$(grep -c "^#tsd pos" c3p.csv)" -ge 10'
ok jobs-1 'tscore c3p.csv > j1.csv'
ok jobs-2 'tscore -j 2 c3p.csv > j2.csv'
ok jobs-4 'tscore --jobs 4 c3p.csv > j4.csv'
same jobs-2-same j1.csv j2.csv
same jobs-4-same j1.csv j4.csv
ok jobs-bin 'tsconv -o bin c3p.csv | tscore -j 3 -o bin | tsconv > j3b.csv && tsconv -o bin c3p.csv | tscore -o bin | tsconv > j1b.csv && cmp j1b.csv j3b.csv'
ck jobs-zero 2 "tscore: -j: '0' out of range 1..256
Try 'tscore --help' for more information." 'tscore -j 0 c3.csv'
# an error found by a worker names the window's place in the input, as
# without -j, and nothing of that window is written
tsgen --series-count 2 --points 3000 --step 1s | dwt -w 1024 -J 3 > long.csv
ck jobs-error-located 1 '*' 'tscore -j 2 long.csv > jl.csv 2> jl.err; tscore long.csv > l1.csv 2> l1.err; cmp jl.err l1.err && cmp jl.csv l1.csv && grep -q "^tscore: long.csv:[0-9]*: series .s1. window 0: [0-9]* detail coefficients, the model takes at most" jl.err'
ok info-kernels 'tscore --info | grep -q "^kernels "'

# --ratio R: only the 4 x budget details of largest magnitude are scored
# by the model (scores >= 0.5), every other detail ranks below them; the
# budget is thresh's: 1024 / 8 points less merge's 1024 / 2^7 coarse ones
tsgen --points 4096 | dwt -w 1024 -J 7 > cand.csv
ok candidates-count-and-rank 'tscore --ratio 8 cand.csv | awk -F, '\''$3 == "A" { na[$2]++ } $3 == "D" { a = $8 < 0 ? -$8 : $8; if ($9 >= 0.5) { nc[$2]++; if (!($2 in mn) || a < mn[$2]) mn[$2] = a } else if (a > mx[$2]) mx[$2] = a }
	END { for (w in na) { want = 4 * (128 - 8); if (nc[w] != want || mn[w] < mx[w]) exit 1; n++ } exit n != 4 }'\'''
ok candidates-all-when-budget-covers 'tscore -M "$TSD_ROOT/models/default.tsdm" cand.csv > c0.csv && tscore -M "$TSD_ROOT/models/default.tsdm" --ratio 1 --candidates 4 cand.csv | awk -F, -v OFS=, '\''$3 == "D" { $9 = ($9 - 0.5) * 2 } { print }'\'' > c1.csv && paste -d, c0.csv c1.csv | awk -F, '\''$3 == "D" { d = $9 - $18; if (d > 1e-6 || d < -1e-6) exit 1 }'\'''
# with --ratio the built-in model is the one trained on candidates
ok candidates-model 'tscore --info | grep -qx "model built-in" && tscore --ratio 8 --info | grep -qx "model built-in, trained on candidates (4 x budget)" &&
	tscore --ratio 8 cand.csv | cmp -s - <(tscore -M "$TSD_ROOT/models/candidates.tsdm" --ratio 8 cand.csv) &&
	! tscore --ratio 8 cand.csv | cmp -s - <(tscore -M "$TSD_ROOT/models/default.tsdm" --ratio 8 cand.csv)'
ck candidates-bad 2 "tscore: --candidates: must be above 0
Try 'tscore --help' for more information." 'tscore --ratio 8 --candidates 0 cand.csv'
