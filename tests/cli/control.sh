#!/bin/bash
# Control records in a final CSV: kept by default (the next tsdown tool
# needs them), dropped by tsconv --strip-control, in CSV and binary.
. "$(dirname "$0")/lib.sh"

cat >in.csv <<'X'
series,timestamp,value
a,2024-01-01 00:00:00,1
#tsd pos topic=t partition=0 offset=1
b,2024-01-01 00:00:00,5
#tsd pos topic=t partition=1 offset=1
#tsd revoke topic=t partition=0 offset=1
a,2024-01-01 00:01:00,2
#tsd pos topic=- partition=-1 offset=-1
X
grep -v '^#' in.csv >want.csv
ck keeps 0 '' 'tsconv in.csv >kept.csv'
same keeps-all in.csv kept.csv
ck strip 0 '' 'tsconv --strip-control in.csv >got.csv'
same strip-out want.csv got.csv
ck strip-bin 0 '' 'tsconv -o bin in.csv | tsconv --strip-control -o csv >gotb.csv'
same strip-bin-out want.csv gotb.csv
# binary to binary: no K frame is left (tsconv -o csv of it has no #tsd)
ck strip-bin-bin 0 '' 'tsconv -o bin in.csv | tsconv --strip-control -o bin | tsconv -o csv >gotbb.csv'
same strip-bin-bin-out want.csv gotbb.csv
# after a windowing tool, the last stage of a pipeline
ck strip-pipeline 0 '' 'paa -w 2 -g 2 -Z in.csv | tsconv --strip-control >p.csv'
ok strip-pipeline-clean '! grep -q "^#" p.csv && grep -q "^a," p.csv && grep -q "^b," p.csv'
# with selection: the kept series only, no control record
ck strip-select 0 '' 'tsconv --strip-control -s a in.csv >s.csv'
ok strip-select-out 'printf "series,timestamp,value\na,2024-01-01 00:00:00,1\na,2024-01-01 00:01:00,2\n" | cmp - s.csv'
ck strip-help 0 '' 'tsconv --help | grep -q -- --strip-control'
