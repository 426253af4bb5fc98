# Command-line tests of the foundation tools: tsconv, tsgen, paa, sax.
. "$(dirname "$0")/lib.sh"
NAB=$DATA/machine_temperature_system_failure.csv

# --help, --version and usage errors, for every tool built
for t in "$TSD_BIN"/*; do
	n=$(basename "$t")
	ck "$n --help" 0 '' "$n --help >/dev/null"
	ck "$n --version" 0 '' "$n --version | grep -q '^$n (tsdown) '"
	ck "$n bad option" 2 '*' "$n --no-such-option </dev/null"
done

# tsconv: NAB CSV -> binary -> CSV keeps every value and time
ok "tsconv to binary" "tsconv -o bin '$NAB' > m.bin"
ok "binary starts with the magic" "head -c 4 m.bin | od -An -tx1 | grep -q '89 54 53 44'"
ok "tsconv back to CSV" "tsconv -o csv m.bin > m.csv"
same "NAB round trip is byte-identical" "$NAB" m.csv
ok "CSV -> bin -> CSV -> bin is stable" "tsconv -o bin m.csv > m2.bin && cmp m.bin m2.bin"
# numbers written shortest-exact: every value equal as a double
printf 'timestamp,value\n2014-04-01 00:00:00,20.0\n2014-04-01 00:05:00,1e-3\n2014-04-01 00:10:00,0.30000000000000004\n' > f.csv
ok "number formatting" "tsconv f.csv > g.csv"
printf 'timestamp,value\n2014-04-01 00:00:00,20\n2014-04-01 00:05:00,0.001\n2014-04-01 00:10:00,0.30000000000000004\n' > want.csv
same "shortest exact numbers" want.csv g.csv

# shapes and delimiters
printf 'time;a;b\n1000;1;2\n1001;;4\n' > wide.csv
ck "wide to long" 0 '' "tsconv wide.csv > long.csv"
printf 'series,time,value\na,1000,1\nb,1000,2\nb,1001,4\n' > want.csv
same "wide becomes long, empty field missing" want.csv long.csv
ok "long round trip through binary" "tsconv -o bin long.csv | tsconv -o csv > long2.csv && cmp long.csv long2.csv"
ok "select series" "tsconv -s b long.csv > b.csv"
printf 'series,time,value\nb,1000,2\nb,1001,4\n' > want.csv
same "select series output" want.csv b.csv
ok "head per series" "tsconv -n 1 long.csv > h.csv"
printf 'series,time,value\na,1000,1\nb,1000,2\n' > want.csv
same "head output" want.csv h.csv
printf 'a\t2024-01-01T00:00:00Z\t1\r\n' > tab.tsv
ok "tab, headerless, CRLF, zone kept" "tsconv tab.tsv > tab.out"
printf 'series,timestamp,value\na,2024-01-01T00:00:00Z,1\n' > want.csv
same "tab output" want.csv tab.out
printf '\xef\xbb\xbftimestamp,value\n1,2\n' > bom.csv
ck "BOM" 0 '' "tsconv bom.csv | tail -1 | grep -qx '1,2'"
ck "time format option" 0 '' "tsconv -t ms bom.csv | tail -1 | grep -qx '1000,2'"

# bad input: exact messages, exit 1, nothing half-written
printf 'timestamp,value\n2014-04-01 00:00:00,1\n2014-04-01 00:05:00,x\n' > bad.csv
ck "bad number" 1 'tsconv: bad.csv:3: bad number '"'x'" "tsconv bad.csv > out.csv"
ok "no half record after an error" "! grep -q x out.csv"
printf 'timestamp,value\n2014-04-01 00:00:00,1,3\n' > bad2.csv
ck "field count" 1 'tsconv: bad2.csv:2: expected 2 fields, found 3' "tsconv bad2.csv"
printf 'timestamp,value\n2014-04-01 00:00:00,inf\n' > inf.csv
ck "infinite value" 1 'tsconv: inf.csv:2: infinite value '"'inf'" "tsconv inf.csv"
printf 'timestamp,value\n2014-04-01 00:00:00,nan\n2014-04-01 00:05:00,\n2014-04-01 00:10:00,3\n' > nan.csv
# to a windowing tool; tsconv keeps them as gap markers (an empty value)
ck "nan and empty are missing" 0 '' "test \$(nth -k 1 nan.csv | wc -l) -eq 2 && test \$(tsconv nan.csv | grep -c ',\$') -eq 2"
ck "missing file" 1 'tsconv: nope.csv: No such file or directory' "tsconv nope.csv"
ck "write error" 1 'tsconv: write error: No space left on device' "tsconv '$NAB' > /dev/full"
head -c 1000 m.bin > cut.bin
ck "truncated frame" 1 'tsconv: cut.bin: frame 3: truncated frame: 912 of 32800 bytes' "tsconv cut.bin > /dev/null"
printf '\x89TSD\x02\0\0\0' > v2.bin
ck "future version" 1 'tsconv: v2.bin: frame 1: binary stream version 2; this build reads version 1' "tsconv v2.bin"
ck "bad -o" 2 "tsconv: -o: unknown output format 'xml' (csv or bin)
Try 'tsconv --help' for more information." "tsconv -o xml '$NAB'"

# order policy on the real file (it has a clock step back)
ck "order: drop with a warning" 0 "paa: $NAB: 12 samples not later than the one before dropped (first at line 10151; see --order)" "paa '$NAB' > /dev/null"
ck "order: strict" 1 "paa: $NAB:10151: time goes backwards in series 'value'" "paa --order strict '$NAB' > /dev/null"
ck "order: tsconv keeps everything" 0 '' "test \$(tsconv '$NAB' | wc -l) -eq \$(wc -l < '$NAB')"

# tsgen: deterministic, series independent of their number, labels
ok "tsgen same seed same data" "tsgen --series-count 3 --points 500 -S 7 > a.csv && tsgen --series-count 3 --points 500 -S 7 > b.csv && cmp a.csv b.csv"
ok "tsgen other seed differs" "tsgen --series-count 3 --points 500 -S 8 > c.csv && ! cmp -s a.csv c.csv"
ok "tsgen series 1 same with 1 or 30 series" "tsgen --series-count 30 --points 300 --prefix x -o bin | tsconv -s x01 -o csv | cut -d, -f2- | tail -n +2 > s30 && tsgen --series-count 30 --points 300 --prefix x | grep '^x01,' | cut -d, -f2- > s30b && cmp s30 s30b"
ok "tsgen labels" "tsgen --series-count 2 --points 20000 --spike-rate 0.01 -e labels.csv > /dev/null && head -1 labels.csv | grep -qx 'series,start,end,kind' && grep -q ',spike$' labels.csv"
ok "tsgen binary equals CSV" "tsgen --series-count 4 --points 1000 -o bin | tsconv -o csv > x.csv && tsgen --series-count 4 --points 1000 > y.csv && cmp x.csv y.csv"
ok "tsgen plant: 1 s steps, values on the 0.1 grid, spikes and steps only" "tsgen --family plant --series-count 3 --points 20000 -t s -e pl.csv > p.csv && tail -n +2 p.csv | awk -F, '{ q = \$3 * 10; if (q != int(q + (q < 0 ? -0.5 : 0.5))) exit 1; if (\$1 == p && \$2 - t != 1) exit 1; p = \$1; t = \$2 }' && tail -n +2 pl.csv | cut -d, -f4 | sort -u | paste -sd, | grep -qx 'shift,spike'"
ok "tsgen plant: the slow process moves the level (sd well above the noise's 0.3)" "tsgen --family plant --no-events --points 20000 | tail -n +2 | cut -d, -f2 | awk '{ s += \$1; q += \$1 * \$1; n++ } END { exit !(sqrt(q / n - (s / n) ^ 2) > 0.6) }'"
ok "tsgen process off: same data as before it existed" "tsgen --points 2000 -S 3 > d0.csv && tsgen --points 2000 -S 3 --process-sd 0 --process-tau 50 --quantum 0 > d1.csv && cmp d0.csv d1.csv"
ck "tsgen unknown family" 2 "tsgen: --family: unknown family 'pump' (plant)
Try 'tsgen --help' for more information." "tsgen --family pump"
ck "tsgen bad quantum" 2 "tsgen: quantum must be finite and >= 0
Try 'tsgen --help' for more information." "tsgen --quantum -1"
ck "tsgen bad rate" 2 "tsgen: event rates must be in 0..1
Try 'tsgen --help' for more information." "tsgen --spike-rate 2"

# paa: known values, multi-series equals single-series
printf 'timestamp,value\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7\n8,8\n' > lin.csv
ok "paa raw means" "paa -Z -w 8 -g 4 lin.csv > p.csv"
printf 'timestamp,value\n2.500000000,2.5\n6.500000000,6.5\n' > want.csv
same "paa group means at group centres" want.csv p.csv
ok "paa z-normalised means are symmetric" "paa -w 8 -g 4 lin.csv | tail -n +2 | cut -d, -f2 | paste -sd, | awk -F, '{ exit !(\$1 == -\$2 && \$1 < 0) }'"
ok "paa multi-series equals single" "tsgen --series-count 3 --points 1000 > ms.csv && paa -w 64 -g 8 ms.csv | grep '^s2,' > m1 && grep -e '^s2,' ms.csv | cut -d, -f2- | (echo timestamp,value; cat) | paa -w 64 -g 8 | tail -n +2 > m2 && cut -d, -f2- m1 | cmp - m2"
ok "paa time windows" "paa -Z -w 1h -g 12 '$NAB' 2>/dev/null | awk -F, 'NR > 2 { n++ } END { exit !(n > 1800) }'"
ck "paa group too large" 2 "paa: -g: group 300 is larger than the window 256
Try 'paa --help' for more information." "paa -g 300 lin.csv"
ck "paa bad window" 2 "paa: -w: 'x' is neither a sample count nor a duration with its unit (e.g. 256, 90s, 5m, 1.5h)
Try 'paa --help' for more information." "paa -w x lin.csv"

# sax: words, decode, mindist
ok "sax words" "sax -Z -w 8 -g 2 -a 4 lin.csv > w.csv"
printf 'series,start,end,samples,group,alphabet,mean,std,word\nvalue,1,8,8,2,4,0,1,dddd\n' > want.csv
same "sax raw word" want.csv w.csv
ok "sax z-normalised word" "sax -w 8 -g 2 -a 4 lin.csv | tail -1 | grep -q ',abcd\$'"
ok "sax decode gives one value per symbol" "sax -w 8 -g 2 -a 4 lin.csv | sax -D | tail -n +2 | wc -l | grep -qx 4"
ok "sax decode then encode gives the same symbols" "paa -w 64 -g 1 '$NAB' 2>/dev/null | sax -Z -w 64 -g 8 -a 10 > w1.csv && sax -D w1.csv | sax -Z -w 8 -g 1 -a 10 > w2.csv && test \$(tail -n +2 w1.csv | cut -d, -f9 | tr -d '\\n') = \$(tail -n +2 w2.csv | cut -d, -f9 | tr -d '\\n') && test \$(wc -l < w1.csv) -gt 300"
ck "mindist adjacent letters are 0" 0 '' "test \$(sax --mindist abcd abdd -n 16 -a 4) = 0"
ck "mindist a vs d" 0 '' "sax --mindist aaaa dddd -n 16 -a 4 | awk '{ d = sqrt(16/4) * sqrt(4 * 1.3489795003921634^2); exit !((\$1 - d)^2 < 1e-20) }'"
ck "sax alphabet too large" 2 "sax: -a: alphabet of 30 symbols but only 26 letters (see --letters)
Try 'sax --help' for more information." "sax -a 30 lin.csv"
printf 'series,start,end,samples,group,alphabet,mean,std,word\nv,1,8,8,2,4,0,1,abz\n' > badw.csv
ck "sax decode bad word" 1 'sax: badw.csv:2: word of 3 symbols, but 8 samples in groups of 2 make 4' "sax -D badw.csv"

# binary in, binary out: runs of samples pass whole, byte for byte; series
# selection and the order check still apply to them
ck "bin runs pass whole" 0 '' 'tsgen --points 5000 --series-count 3 >g3.csv && tsconv -o bin g3.csv >g3.bin && tsconv -o bin g3.bin | cmp -s - g3.bin'
ck "bin runs select" 0 '' 'test "$(tsconv -o bin -s s2 g3.bin | tsconv -o csv --no-header | cut -d, -f1 | sort -u)" = s2 &&
	test $(tsconv -o bin -s s2 g3.bin | tsconv -o csv --no-header | wc -l) = 5000'
ck "bin run out of order" 0 'tsconv: ooo.bin: 1 sample not later than the one before dropped (first at line 3; see --order)' \
	'printf "timestamp,value\n1704067200,1\n1704067260,2\n1704067320,3\n1704067260,9\n1704067440,5\n" | tsconv --order any -o bin >ooo.bin &&
	test "$(tsconv --order drop -o bin ooo.bin | tsconv -o csv --no-header | tr "\n" " ")" = "1704067200,1 1704067260,2 1704067320,3 1704067440,5 "'
