# tseval: every figure on tiny hand-made series against values worked out
# by hand (the arithmetic is in the comments), and the bad inputs.
. "$TSD_ROOT/tests/cli/lib.sh"

# Original o.csv: t = 0..4 s, v = 0 2 0 2 0 (range 2), 24 bytes.
# Reduced r.csv: (0,0) (4,0), 12 bytes: read at the original times it is
# 0 everywhere, so e = 0 -2 0 -2 0.
#   ratio 5/2 = 2.5; bytes 24/12 = 2
#   RMSE = sqrt(8/5); nrmse = RMSE / 2 = sqrt(0.4) = 0.632456
#   maxabs 2, first at t = 1
# Event window v,1,3 holds t = 1 2 3, e = -2 0 -2:
#   win_n 3, win_nrmse = sqrt(8/3) / 2 = 0.816497, win_maxabs 2
#   peaks: max 2 (at t 1 and 3, reduced 0: lost at --tol 0), min 0 (at
#   t 2, reduced 0: kept) -> 1 of 2; --tol 2 or --tol 100% (of the range 2)
#   keep both; --tol 99% (1.98) keeps 1.
# Charts 11 x 11: the original's points map to x = 0 2.5 5 7.5 10 and
#   y = 10 0 10 0 10 (row 0 at the top). Four steep Bresenham segments
#   of 11 pixels (one per row) = 44; the 3 joints are shared, and at each
#   of the 3 apexes the two segments also share the next row's pixel
#   (x within half a pixel of the apex on both), so the original inks 38
#   pixels, 3 of them in row 10 (x = 0 5 10). The reduced chart is row 10,
#   11 pixels. Differing: (38 - 3) + (11 - 3) = 43.
# DSSIM 0.497679 is the library's figure (its SSIM is checked against a
# numpy reference in tests/test_raster.c); here it guards the wiring. A
# straight line and its two end points draw the same chart: DSSIM 0.
printf 't,v\n0,0\n1,2\n2,0\n3,2\n4,0\n' >o.csv
printf 't,v\n0,0\n4,0\n' >r.csv
printf 'v,1,3\n' >ev.csv
# Noise floor: first differences 2 -2 2 -2, median |d| = 2, sigma = 2 x
#   1.4826 / sqrt 2 = 2.09669, over the range 2: 1.04834; excess = nrmse -
#   noise = 0.632456 - 1.04834 = -0.415887. peak_tol: the default 1% of the
#   range, 0.02 (the '(all)' row says 1%).
H=series,n,m,ratio,bytes_ratio,nrmse,maxabs,maxabs_time,win_n,win_nrmse,win_maxabs,peaks_kept,peaks,pixels,dssim,range,noise,excess,peak_tol

ck hand 0 '' 'tseval -o csv --width 11 --height 11 -e ev.csv o.csv r.csv >got'
printf '%s\n' $H 'v,5,2,2.5,2,0.632456,2,1,3,0.816497,2,1,2,43,0.497679,2,1.04834,-0.415887,0.02' \
	'(all),5,2,2.5,2,0.632456,2,,3,0.816497,2,1,2,43,0.497679,,1.04834,-0.415887,1%' >want
same hand-values got want

# the default: 1% of the range; a peak 1.5% off is lost, 0.5% off is kept
printf 't,v\n0,0\n1,100\n2,0\n' >pk.csv
printf 't,v\n0,0\n1,98.5\n2,0\n' >pk1.csv
printf 't,v\n0,0\n1,99.5\n2,0\n' >pk2.csv
printf 'v,0,2\n' >pkev.csv
ck tol-default-lost 0 '' 'test "$(tseval -o csv -e pkev.csv pk.csv pk1.csv | awk -F, "NR == 2 { print \$12, \$13, \$19 }")" = "1 2 1"'
ck tol-default-kept 0 '' 'test "$(tseval -o csv -e pkev.csv pk.csv pk2.csv | awk -F, "NR == 2 { print \$12, \$13, \$19 }")" = "2 2 1"'
# the noise floor of white noise: near its sd over the range
awk 'BEGIN { srand(3); print "t,v"; for (i = 0; i < 20000; i++) { s = 0; for (k = 0; k < 12; k++) s += rand(); print i "," s - 6 } }' >wn.csv
ck noise-white 0 '' 'tseval -o csv wn.csv wn.csv | awk -F, "NR == 2 { r = \$16; f = \$17 * r; exit !(f > 0.97 && f < 1.03) }"'

for tol in 2 100% 99%; do
	ck "tol $tol" 0 '' "tseval -o csv --tol $tol -e ev.csv o.csv r.csv | cut -d, -f1,12,13 >got"
	k=2; [ "$tol" = 99% ] && k=1
	printf '%s\n' series,peaks_kept,peaks "v,$k,2" "(all),$k,2" >want
	same "tol $tol kept" got want
done

# no events: the window columns are empty; a table shows them as '-'
ck no-events 0 '' 'tseval -o csv --width 11 --height 11 o.csv r.csv >got'
printf '%s\n' $H 'v,5,2,2.5,2,0.632456,2,1,,,,,,43,0.497679,2,1.04834,-0.415887,0.02' \
	'(all),5,2,2.5,2,0.632456,2,,,,,,,43,0.497679,,1.04834,-0.415887,1%' >want
same no-events-values got want
ck table 0 '' 'tseval --width 11 --height 11 o.csv r.csv >got'
cat >want <<'EOF'
series  n  m  ratio  bytes_ratio     nrmse  maxabs  maxabs_time  win_n  win_nrmse  win_maxabs  peaks_kept  peaks  pixels     dssim  range    noise     excess  peak_tol
v       5  2    2.5            2  0.632456       2            1      -          -           -           -      -      43  0.497679      2  1.04834  -0.415887      0.02
(all)   5  2    2.5            2  0.632456       2            -      -          -           -           -      -      43  0.497679      -  1.04834  -0.415887        1%
EOF
same table-layout got want

# Charts only when asked: by default the pixels and dssim columns are
# empty; --charts fills them at 800 x 200, --width or --height at their
# size; --no-charts after them empties them again (the last one wins).
ck charts-default 0 '' 'tseval -o csv o.csv r.csv | cut -d, -f1,14,15 >got'
printf '%s\n' series,pixels,dssim 'v,,' '(all),,' >want
same charts-default-empty got want
ck charts-default-table 0 '' 'tseval o.csv r.csv | awk "NR > 1 { print \$14, \$15 }" >got'
printf '%s\n' '- -' '- -' >want
same charts-default-table-dashes got want
ck charts-on 0 '' 'tseval -o csv --charts o.csv r.csv | cut -d, -f14,15 >got'
ok charts-on-filled 'awk -F, "NR > 1 { if (\$1 !~ /^[0-9]+\$/ || \$1 == 0 || \$2 !~ /^[0-9.e-]+\$/) exit 1; n++ } END { exit n != 2 }" got'
ck charts-width 0 '' 'tseval -o csv --width 11 o.csv r.csv | cut -d, -f14 >w11'
ck charts-height 0 '' 'tseval -o csv --height 11 --width 11 o.csv r.csv | cut -d, -f14 >h11'
printf '%s\n' pixels 43 43 >want
same charts-width-and-height-imply-charts h11 want
ok charts-width-implies-charts 'awk "NR == 2 { exit !(\$1 > 0) }" w11'
ck charts-no-charts-last 0 '' 'tseval -o csv --width 11 --height 11 --no-charts o.csv r.csv | cut -d, -f14,15 >got'
printf '%s\n' pixels,dssim , , >want
same charts-no-charts-last-wins got want

# A straight line against its end points: no error; on a 13 x 13 chart
# the points fall on whole pixels (x = 0 3 6 9 12), so the 4 segments ink
# exactly the pixels of the one: none differs. (On charts where the inner
# points are rounded to pixels the 1-bit charts do differ, by design.)
printf 't,v\n0,0\n1,1\n2,2\n3,3\n4,4\n' >line.csv
printf 't,v\n0,0\n4,4\n' >line2.csv
ck line 0 '' 'tseval -o csv --width 13 --height 13 line.csv line2.csv | cut -d, -f1-3,6,7,14,15 >got'
printf '%s\n' series,n,m,nrmse,maxabs,pixels,dssim 'v,5,2,0,0,0,0' '(all),5,2,0,0,0,0' >want
same line-values got want

# Two series (long shape). a as o.csv above; b = 1 5 3 kept whole.
# Pooled nrmse = sqrt((sum (e/range)^2 over all) / n) = sqrt((8/4 + 0) / 8)
# = 0.5; ratio 8/4 = 2; maxabs 2 (from a); bytes per series unknown.
printf 'series,t,v\na,0,0\na,1,2\na,2,0\na,3,2\na,4,0\nb,0,1\nb,1,5\nb,2,3\n' >o2.csv
printf 'series,t,v\nb,0,1\na,0,0\nb,1,5\na,4,0\nb,2,3\n' >r2.csv
ck long 0 '' 'tseval -o csv o2.csv r2.csv | cut -d, -f1-3,5-7 >got'
printf '%s\n' series,n,m,bytes_ratio,nrmse,maxabs 'a,5,2,,0.632456,2' 'b,3,3,,0,0' \
	'(all),8,5,1.43902,0.5,2' >want
same long-values got want
# (bytes: o2.csv 11 + 8 * 6 = 59, r2.csv 11 + 5 * 6 = 41 -> 1.43902)

# Names: -N names both inputs; --name-from-file names both after ORIGINAL.
printf 'x,1,3\n' >evx.csv
ck name-N 0 '' 'tseval -o csv -N x -e evx.csv o.csv r.csv | cut -d, -f1,9 >got'
printf '%s\n' series,win_n x,3 '(all),3' >want
same name-N-values got want
cp o.csv o-file.csv
printf '"o-file.csv": [["1970-01-01 00:00:01", "1970-01-01 00:00:03"]]}\n' | sed 's/^/{/' >ev.json
ck name-from-file 0 '' 'tseval -o csv --name-from-file -e ev.json o-file.csv r.csv | cut -d, -f1,9,12,13 >got'
printf '%s\n' series,win_n,peaks_kept,peaks o-file,3,1,2 '(all),3,1,2' >want
same name-from-file-values got want
ck pipe 0 '' 'cat r.csv | tseval -o csv o.csv - | cut -d, -f5 >got'
printf '%s\n' bytes_ratio 2 2 >want
same pipe-bytes got want

# Bad input: clear messages, exit 1.
printf 't,w\n0,0\n4,0\n' >rw.csv
ck series-sets 1 "tseval: series 'w' of rw.csv is not in o.csv
tseval: series 'v' of o.csv is not in rw.csv
tseval: the two inputs hold different series (name them with -N or --name-from-file)" \
	'tseval o.csv rw.csv'
printf 't,v\n0,0\n5,0\n' >rlate.csv
ck time-range 1 "tseval: rlate.csv: series 'v': the reduced series has points outside the original's time range 0 .. 4" \
	'tseval o.csv rlate.csv'
printf 't,v\n0,0\n3,1\n2,0\n4,0\n' >runs.csv
ck unsorted-reduced 1 "tseval: runs.csv:4: time goes backwards in series 'v'" 'tseval o.csv runs.csv'
printf 't,v\n0,0\n2,1\n1,2\n4,0\n' >ouns.csv
ck unsorted-original-strict 1 "tseval: ouns.csv:4: time goes backwards in series 'v'" \
	'tseval --order strict ouns.csv r.csv'
ck unsorted-original-drop 0 "tseval: ouns.csv: 1 sample not later than the one before dropped (first at line 4; see --order)" \
	'tseval ouns.csv r.csv'
ck more-points 1 "tseval: o.csv: series 'v': the reduced series has more points (5) than the original (2); are the inputs swapped?" \
	'tseval r.csv o.csv'
printf 'v,100,200\n' >evout.csv
ck events-outside 1 "tseval: series 'v': 1 of 1 event windows hold no sample of it
tseval: evout.csv: no event window holds a sample of the data (times in another zone or unit?)" \
	'tseval -e evout.csv o.csv r.csv'
printf 'v,100,200\nv,1,3\n' >evpart.csv
ck events-partly-outside 0 "tseval: series 'v': 1 of 2 event windows hold no sample of it" \
	'tseval -e evpart.csv o.csv r.csv'
ck events-no-series 1 "tseval: evx.csv: names none of the series of o.csv (name them with -N or --name-from-file)" \
	'tseval -e evx.csv o.csv r.csv'
ck no-file 1 "tseval: nope.csv: No such file or directory" 'tseval o.csv nope.csv'
ck coefs 1 '*' 'tseval o.csv <(printf "series,window,kind,level,index,t0,t1,value,score\nv,0,A,1,0,0,4,0,\n")'

# Usage errors: exit 2.
ck one-input 2 "tseval: need two inputs: ORIGINAL REDUCED
Try 'tseval --help' for more information." 'tseval o.csv'
ck small-chart 2 "tseval: --width: '5' out of range 11..100000
Try 'tseval --help' for more information." 'tseval --width 5 o.csv r.csv'
ck bad-tol 2 "tseval: --tol: '-1' must be a finite number >= 0
Try 'tseval --help' for more information." 'tseval --tol -1 o.csv r.csv'
ck bad-format 2 "tseval: -o: unknown output format 'json' (table or csv)
Try 'tseval --help' for more information." 'tseval -o json o.csv r.csv'
ck full-disk 1 '*' 'tseval o.csv r.csv >/dev/full'
ck help 0 '' 'tseval --help | grep -q "^usage: tseval"'
